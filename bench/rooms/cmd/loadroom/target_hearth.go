package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

// hearthTarget starts `hearth serve` on a data folder bench/roomfixture
// prepared and speaks the room protocol (docs/rooms-protocol.md): the
// session cookie and a same-origin Origin on the upgrade, hello, then
// send frames with an idempotency key; events of kind message are the
// deliveries, acks are counted.
type hearthTarget struct {
	bin, addr, logDir, fixture, data, dbURL string
	extra                                   []string // more arguments for hearth serve
	srv                                     *server
	plan                                    Plan
	clients                                 []fixtureClient

	refused func(id string)

	acks, dupAcks, errFrames, closes atomic.Int64
	mu                               sync.Mutex
	errCodes                         map[string]int64
	closeCodes                       map[int]int64
}

type fixtureClient struct {
	Room   int    `json:"room"`
	Cookie string `json:"cookie"`
	Path   string `json:"path"`
}

func (t *hearthTarget) Name() string { return "hearth" }
func (t *hearthTarget) PID() int     { return t.srv.pid() }

func (t *hearthTarget) Setup(ctx context.Context, p Plan) error {
	t.plan = p
	t.errCodes, t.closeCodes = map[string]int64{}, map[int]int64{}
	b, err := os.ReadFile(t.fixture)
	if err != nil {
		return err
	}
	var f struct {
		Clients []fixtureClient `json:"clients"`
	}
	if err := json.Unmarshal(b, &f); err != nil {
		return fmt.Errorf("%s: %w", t.fixture, err)
	}
	if len(f.Clients) != p.Clients {
		return fmt.Errorf("%s has %d members, the run wants %d", t.fixture, len(f.Clients), p.Clients)
	}
	for i, c := range f.Clients {
		if c.Room != p.Room(i) {
			return fmt.Errorf("%s: member %d is in room %d, the run puts it in %d (same --clients and --rooms?)", t.fixture, i, c.Room, p.Room(i))
		}
	}
	t.clients = f.Clients
	args := []string{"serve", "--addr", t.addr, "--data", t.data, "--log-level", "warn"}
	if t.dbURL != "" {
		args = append(args, "--database-url", t.dbURL)
	}
	args = append(args, t.extra...)
	s, err := startServer(ctx, t.bin, args, nil, "", filepath.Join(t.logDir, "hearth.log"), t.addr, 60*time.Second)
	if err != nil {
		return err
	}
	t.srv = s
	return nil
}

// RuntimeStats reads the Go runtime's figures from Hearth's /metrics:
// heap and stacks in use, goroutines.
func (t *hearthTarget) RuntimeStats(ctx context.Context) map[string]float64 {
	want := map[string]bool{"go_memstats_heap_inuse_bytes": true, "go_memstats_stack_inuse_bytes": true, "go_goroutines": true,
		"go_memstats_heap_objects": true, "go_memstats_sys_bytes": true}
	req, err := http.NewRequestWithContext(ctx, "GET", "http://"+t.addr+"/metrics", nil)
	if err != nil {
		return nil
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil
	}
	out := map[string]float64{}
	for _, line := range strings.Split(string(b), "\n") {
		name, val, ok := strings.Cut(line, " ")
		if ok && want[name] {
			if v, err := strconv.ParseFloat(strings.TrimSpace(val), 64); err == nil {
				out[name] = v
			}
		}
	}
	return out
}

// Acknowledged counts ack frames: messages durably stored.
func (t *hearthTarget) Acknowledged() int64 { return t.acks.Load() }

// OnRefused is told the key of every send the server answered with an
// error frame (the message was not stored).
func (t *hearthTarget) OnRefused(f func(id string)) { t.refused = f }

func (t *hearthTarget) Close() error { t.srv.stop(); return nil }

func (t *hearthTarget) Counters() map[string]int64 {
	m := map[string]int64{"acks": t.acks.Load(), "dup_acks": t.dupAcks.Load(), "error_frames": t.errFrames.Load(), "closed_by_server": t.closes.Load()}
	t.mu.Lock()
	defer t.mu.Unlock()
	for k, v := range t.errCodes {
		m["error:"+k] = v
	}
	for k, v := range t.closeCodes {
		m[fmt.Sprintf("close:%d", k)] = v
	}
	return m
}

// hearthFrame is the part of a server frame the harness reads.
type hearthFrame struct {
	Type  string `json:"type"`
	Key   string `json:"key"`
	Dup   bool   `json:"dup"`
	Code  string `json:"code"`
	Event *struct {
		Kind string `json:"kind"`
		Text string `json:"text"`
	} `json:"event"`
	Limits *struct {
		PingEvery int `json:"ping_every_seconds"`
	} `json:"limits"`
}

type hearthConn struct {
	ws   *wsConn
	stop chan struct{}
	once sync.Once
	pong chan struct{} // a pong came
}

func (t *hearthTarget) Dial(ctx context.Context, i int, deliver func(string)) (Conn, error) {
	c := t.clients[i]
	h := http.Header{"Origin": {"http://" + t.addr}, "Cookie": {c.Cookie}}
	ws, _, err := dialWS(ctx, "ws://"+t.addr+c.Path, h)
	if err != nil {
		return nil, err
	}
	if err := ws.write([]byte(`{"type":"hello","after":0}`)); err != nil {
		ws.close()
		return nil, err
	}
	// The first frame is the welcome.
	b, err := ws.readOne(30 * time.Second)
	if err != nil {
		ws.close()
		return nil, fmt.Errorf("welcome: %w", err)
	}
	var w hearthFrame
	if err := json.Unmarshal(firstLine(b), &w); err != nil || w.Type != "welcome" {
		ws.close()
		return nil, fmt.Errorf("expected a welcome, got %.200s", b)
	}
	hc := &hearthConn{ws: ws, stop: make(chan struct{}), pong: make(chan struct{}, 1)}
	handle := func(line []byte) {
		if text, ok := hearthMessageText(line); ok {
			deliver(text)
			return
		}
		var f hearthFrame
		if err := json.Unmarshal(line, &f); err != nil {
			return
		}
		switch f.Type {
		case "event":
			if f.Event != nil && f.Event.Kind == "message" {
				deliver(f.Event.Text)
			}
		case "pong":
			select {
			case hc.pong <- struct{}{}:
			default:
			}
		case "ack":
			t.acks.Add(1)
			if f.Dup {
				t.dupAcks.Add(1)
			}
		case "error":
			t.errFrames.Add(1)
			if f.Key != "" && t.refused != nil {
				t.refused(f.Key)
			}
			t.mu.Lock()
			t.errCodes[f.Code]++
			t.mu.Unlock()
		}
	}
	ws.readLoop(func(b []byte) {
		for len(b) > 0 {
			var line []byte
			line, b, _ = bytes.Cut(b, []byte{'\n'})
			if len(bytes.TrimSpace(line)) > 0 {
				handle(line)
			}
		}
	}, func(err error) {
		hc.once.Do(func() { close(hc.stop) })
		var ce *websocket.CloseError
		if errors.As(err, &ce) {
			t.closes.Add(1)
			t.mu.Lock()
			t.closeCodes[ce.Code]++
			t.mu.Unlock()
		}
	})
	// Keep the connection alive the way the protocol asks.
	if w.Limits != nil && w.Limits.PingEvery > 0 {
		every := time.Duration(w.Limits.PingEvery) * time.Second
		go func() {
			tk := time.NewTicker(every)
			defer tk.Stop()
			for {
				select {
				case <-hc.stop:
					return
				case <-tk.C:
					_ = ws.write([]byte(`{"type":"ping"}`))
				}
			}
		}()
	}
	return hc, nil
}

type hearthSend struct {
	Type string `json:"type"`
	Key  string `json:"key"`
	Text string `json:"text"`
}

func (c *hearthConn) Send(ctx context.Context, id, text string) error {
	b, err := json.Marshal(hearthSend{Type: "send", Key: id, Text: text})
	if err != nil {
		return err
	}
	return c.ws.write(b)
}

// Ping sends a ping frame and waits for the pong (Pinger).
func (c *hearthConn) Ping(ctx context.Context) error {
	if err := c.ws.write([]byte(`{"type":"ping"}`)); err != nil {
		return err
	}
	select {
	case <-c.pong:
		return nil
	case <-c.stop:
		return errors.New("connection closed")
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (c *hearthConn) Close() {
	c.once.Do(func() { close(c.stop) })
	c.ws.close()
}
