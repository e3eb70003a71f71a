package room

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hearth-org/hearth"
)

// memStore is an in-memory Store: a test double for the database (the
// app's own tests run the real Store on SQLite and PostgreSQL).
type memStore struct {
	mu      sync.Mutex
	events  map[int64][]Event
	keys    map[memKey]int64
	names   map[int64]string
	appends int
	starts  []time.Time   // when each Append was called
	gate    chan struct{} // when set, Append waits for it
	fail    error
	delay   time.Duration // each Append takes this long (a disk's sync)
}

type memKey struct {
	room, actor int64
	key         string
}

func newMemStore() *memStore {
	return &memStore{events: map[int64][]Event{}, keys: map[memKey]int64{}, names: map[int64]string{}}
}

func (s *memStore) Append(ctx context.Context, batch []Pending) ([]Result, error) {
	s.mu.Lock()
	gate, delay := s.gate, s.delay
	s.starts = append(s.starts, time.Now())
	s.mu.Unlock()
	if delay > 0 {
		time.Sleep(delay)
	}
	if gate != nil {
		select {
		case <-gate:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail != nil {
		return nil, s.fail
	}
	s.appends++
	out := make([]Result, len(batch))
	for i, p := range batch {
		ev := p.Event
		s.names[p.Member.ID] = p.Member.Pseudonym
		if ev.Kind == KindMessage {
			k := memKey{p.Room, p.Member.ID, ev.Key}
			if seq, ok := s.keys[k]; ok {
				out[i] = Result{Event: s.events[p.Room][seq-1], Duplicate: true}
				continue
			}
			if strings.Contains(ev.Text, "GROUPMUTED") {
				out[i] = Result{Err: hearth.Coded(hearth.Forbidden, "muted", "You are muted in this group."),
					Support: map[string]string{"line": "988"}, Alert: strings.Contains(ev.Text, "CRISIS")}
				continue
			}
			if strings.Contains(ev.Text, "REFUSE") {
				out[i] = Result{Err: hearth.Coded(hearth.Invalid, "refused", "Refused by the store.")}
				continue
			}
		}
		ev.Room = p.Room
		ev.Seq = int64(len(s.events[p.Room]) + 1)
		ev.At = time.Now()
		ev.Actor = p.Member.ID
		if ev.Kind == KindMessage {
			s.keys[memKey{p.Room, p.Member.ID, ev.Key}] = ev.Seq
			if strings.Contains(ev.Text, "METHOD") {
				ev.Held = true
			}
			if strings.Contains(ev.Text, "CRISIS") || ev.Held {
				ev.Alert = true
				out[i].Support = map[string]string{"line": "988"}
				out[i].Alert = true
			}
		}
		stored := ev
		stored.Name = ""
		s.events[p.Room] = append(s.events[p.Room], stored)
		out[i].Event = ev
	}
	return out, nil
}

// appendDirect stores an event as another process would.
func (s *memStore) appendDirect(room int64, m Member, ev Event) Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.names[m.ID] = m.Pseudonym
	ev.Room, ev.Seq, ev.At, ev.Actor = room, int64(len(s.events[room])+1), time.Now(), m.ID
	s.events[room] = append(s.events[room], ev)
	return ev
}

func (s *memStore) Since(ctx context.Context, room, after int64, limit int) ([]Event, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	all := s.events[room]
	if after < 0 {
		after = 0
	}
	if after >= int64(len(all)) {
		return nil, nil
	}
	page := all[after:min(int64(len(all)), after+int64(limit))]
	out := make([]Event, len(page))
	for i, ev := range page {
		ev.Name = s.names[ev.Actor]
		ev.TargetName = s.names[ev.Target]
		out[i] = ev
	}
	return out, nil
}

func (s *memStore) count(room int64) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.events[room])
}

// testConn is an in-memory Conn: the test is the client.
type testConn struct {
	in     chan []byte
	mu     sync.Mutex
	cond   *sync.Cond
	frames [][]byte
	writes int
	gate   chan struct{} // when set, Write waits for it (a slow client)
	kept   [][]byte      // what TryWrite could not write (a full socket)
	done   chan struct{}
	code   int
	reason string
}

func newTestConn() *testConn {
	c := &testConn{in: make(chan []byte, 64), done: make(chan struct{})}
	c.cond = sync.NewCond(&c.mu)
	return c
}

var errClosed = errors.New("closed")

func (c *testConn) Read(ctx context.Context) ([]byte, error) {
	select {
	case b := <-c.in:
		return b, nil
	case <-c.done:
		return nil, errClosed
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (c *testConn) Write(ctx context.Context, frames [][]byte) error {
	c.mu.Lock()
	g := c.gate
	c.mu.Unlock()
	if g != nil {
		select {
		case <-g:
		case <-c.done:
			return errClosed
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	select {
	case <-c.done:
		return errClosed
	default:
	}
	c.frames = append(c.frames, c.kept...)
	c.kept = nil
	for _, f := range frames {
		c.frames = append(c.frames, append([]byte(nil), f...))
	}
	c.writes++
	c.cond.Broadcast()
	return nil
}

// TryWrite writes at once, as the WebSocket adapter does, unless the
// client stopped reading: then the frames are kept for the next Write, as
// a full socket's would be (TryWriter).
func (c *testConn) TryWrite(frames [][]byte) (bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	select {
	case <-c.done:
		return false, errClosed
	default:
	}
	if c.gate != nil || len(c.kept) > 0 {
		for _, f := range frames {
			c.kept = append(c.kept, append([]byte(nil), f...))
		}
		return true, nil
	}
	for _, f := range frames {
		c.frames = append(c.frames, append([]byte(nil), f...))
	}
	c.writes++
	c.cond.Broadcast()
	return false, nil
}

func (c *testConn) Close(code int, reason string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	select {
	case <-c.done:
		return
	default:
	}
	c.code, c.reason = code, reason
	close(c.done)
	c.cond.Broadcast()
}

func (c *testConn) stopReading() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gate = make(chan struct{})
}

func (c *testConn) closed() (int, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	select {
	case <-c.done:
		return c.code, true
	default:
		return 0, false
	}
}

// frame is any server frame, decoded for tests.
type frame struct {
	Type     string       `json:"type"`
	Key      string       `json:"key"`
	Seq      int64        `json:"seq"`
	Dup      bool         `json:"dup"`
	Code     string       `json:"code"`
	Message  string       `json:"message"`
	Event    WireEvent    `json:"event"`
	State    Snapshot     `json:"state"`
	You      WireMember   `json:"you"`
	Presence []WireMember `json:"presence"`
	Members  []WireMember `json:"members"`
	Member   int64        `json:"member"`
	Support  any          `json:"support"`
}

// tclient is the test's side of one connection.
type tclient struct {
	t    testing.TB
	conn *testConn
	read int // frames consumed
	done chan error
}

func (h *Hub) connect(t testing.TB, info RoomInfo, m Member, after int64) *tclient {
	t.Helper()
	c := &tclient{t: t, conn: newTestConn(), done: make(chan error, 1)}
	go func() { c.done <- h.Serve(context.Background(), c.conn, info, m, after) }()
	c.waitType("welcome")
	return c
}

func (c *tclient) send(v any) {
	b, err := json.Marshal(v)
	if err != nil {
		c.t.Fatal(err)
	}
	select {
	case c.conn.in <- b:
	case <-c.conn.done:
	case <-time.After(5 * time.Second):
		c.t.Fatal("send: the hub is not reading")
	}
}

func (c *tclient) sendRaw(b string) {
	select {
	case c.conn.in <- []byte(b):
	case <-c.conn.done:
	}
}

// next returns the next frame, or false when the connection closed and
// everything written was read, or the timeout passed.
func (c *tclient) next(timeout time.Duration) (frame, bool) {
	c.conn.mu.Lock()
	defer c.conn.mu.Unlock()
	deadline := time.Now().Add(timeout)
	for c.read >= len(c.conn.frames) {
		select {
		case <-c.conn.done:
			return frame{}, false
		default:
		}
		if time.Now().After(deadline) {
			return frame{}, false
		}
		t := time.AfterFunc(20*time.Millisecond, c.conn.cond.Broadcast)
		c.conn.cond.Wait()
		t.Stop()
	}
	var f frame
	if err := json.Unmarshal(c.conn.frames[c.read], &f); err != nil {
		c.t.Errorf("server sent a frame that is not JSON: %q", c.conn.frames[c.read])
	}
	c.read++
	return f, true
}

func (c *tclient) waitType(typ string) frame {
	c.t.Helper()
	for {
		f, ok := c.next(5 * time.Second)
		if !ok {
			code, _ := c.conn.closed()
			c.t.Fatalf("waiting for %q: connection ended or silent (close %d)", typ, code)
		}
		if f.Type == typ {
			return f
		}
	}
}

// waitEvent waits for an event of kind.
func (c *tclient) waitEvent(kind string) WireEvent {
	c.t.Helper()
	for {
		f := c.waitType("event")
		if f.Event.Kind == kind {
			return f.Event
		}
	}
}

func (c *tclient) waitClosed(within time.Duration) int {
	c.t.Helper()
	select {
	case <-c.conn.done:
		code, _ := c.conn.closed()
		return code
	case <-time.After(within):
		c.t.Fatalf("connection still open after %v", within)
		return 0
	}
}

func (c *tclient) close() { c.conn.Close(CloseNormal, "bye") }
