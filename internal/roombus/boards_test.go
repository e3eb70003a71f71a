package roombus

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/hearth-org/hearth/internal/roombus/natstest"
)

// boardRecorder keeps the board rings it hears.
type boardRecorder struct {
	mu    sync.Mutex
	rings [][3]int64
}

func (r *boardRecorder) Rung(group, thread, post int64) {
	r.mu.Lock()
	r.rings = append(r.rings, [3]int64{group, thread, post})
	r.mu.Unlock()
}

func (r *boardRecorder) snapshot() [][3]int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([][3]int64(nil), r.rings...)
}

// warmBoard is the group listenBoards rings until the listener hears it.
const warmBoard = 1 << 62

// listenBoards runs b.ListenBoards(l) until the test ends, and waits until
// it hears other's warm-up rings.
func listenBoards(t *testing.T, b, other *Bell, l *boardRecorder) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- b.ListenBoards(ctx, l) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("ListenBoards: %v", err)
		}
	})
	deadline := time.Now().Add(10 * time.Second)
	for {
		other.RingBoard(warmBoard, 1, 1)
		for _, r := range l.snapshot() {
			if r[0] == warmBoard {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatal("the board listener never heard the warm-up ring")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// waitBoard waits until the recorder has heard a ring of group.
func waitBoard(t *testing.T, l *boardRecorder, group int64) [3]int64 {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		for _, r := range l.snapshot() {
			if r[0] == group {
				return r
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("no ring of group %d", group)
	return [3]int64{}
}

func TestBoardRingsCrossProcesses(t *testing.T) {
	url := natstest.URL(t)
	prefix := uniquePrefix(t)
	a, b := newBell(t, url, prefix), newBell(t, url, prefix)
	la, lb := &boardRecorder{}, &boardRecorder{}
	listenBoards(t, a, b, la)
	listenBoards(t, b, a, lb)
	// The rooms' listener on the same bell hears nothing of the boards and
	// counts nothing malformed.
	rooms := newRecorder()
	listen(t, b, a, rooms)

	a.RingBoard(5, 70, 900)
	if got := waitBoard(t, lb, 5); got != [3]int64{5, 70, 900} {
		t.Fatalf("b heard %v", got)
	}
	b.RingBoard(6, 71, 901)
	waitBoard(t, la, 6)
	a.RingBoard(0, 1, 1) // not a group: never sent
	a.RingBoard(8, 72, 902)
	waitBoard(t, lb, 8)
	for _, r := range la.snapshot() {
		if r[0] == 5 || r[0] == 8 {
			t.Errorf("a heard its own ring %v", r)
		}
	}
	for _, r := range lb.snapshot() {
		if r[0] == 0 || r[0] == 6 {
			t.Errorf("b heard %v", r)
		}
	}
	rooms.mu.Lock()
	if len(rooms.rings) != 0 || len(rooms.evicts) != 0 || len(rooms.presence) != 0 {
		t.Errorf("the rooms' listener heard board rings: %v", rooms.rings)
	}
	rooms.mu.Unlock()
	if s := b.Stats(); s.Malformed != 0 {
		t.Errorf("b counted %d malformed", s.Malformed)
	}
}

func TestBoardRingWire(t *testing.T) {
	t.Run("a ring carries the process, the thread and the post: numbers only", func(t *testing.T) {
		b := encodeBoardRing("proc-1", 70, 900)
		p, thread, post, err := decodeBoardRing(b)
		if err != nil || p != "proc-1" || thread != 70 || post != 900 {
			t.Fatalf("%q %d %d %v", p, thread, post, err)
		}
		if len(b) > 2+len("proc-1")+4 {
			t.Errorf("a ring takes %d bytes", len(b))
		}
	})
	t.Run("malformed payloads are refused", func(t *testing.T) {
		good := encodeBoardRing("p", 1, 2)
		for name, data := range map[string][]byte{
			"empty":         nil,
			"old version":   append([]byte{9}, good[1:]...),
			"truncated":     good[:len(good)-1],
			"extra byte":    append(bytes.Clone(good), 0),
			"thread zero":   encodeBoardRing("p", 0, 2),
			"post zero":     encodeBoardRing("p", 1, 0),
			"a room's ring": encodeRing("p", 1),
		} {
			if _, _, _, err := decodeBoardRing(data); err == nil {
				t.Errorf("%s: decoded", name)
			}
		}
	})
	t.Run("the board prefix sits beside the rooms' prefix, never under it", func(t *testing.T) {
		for room, want := range map[string]string{
			"hearth.rooms.":     "hearth.boards.",
			"rooms.":            "boards.",
			"test.roombus.abc.": "test.roombus.abc-boards.",
			"a.myrooms.":        "a.myrooms-boards.",
		} {
			got := BoardPrefix(room)
			if got != want || strings.HasPrefix(got, room) || checkPrefix(got) != nil {
				t.Errorf("BoardPrefix(%q) = %q, want %q", room, got, want)
			}
		}
	})
}

func TestBoardMalformedIgnored(t *testing.T) {
	url := natstest.URL(t)
	prefix := uniquePrefix(t)
	b, other := newBell(t, url, prefix), newBell(t, url, prefix)
	l := &boardRecorder{}
	listenBoards(t, b, other, l)
	raw, err := nats.Connect(url)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	bp := BoardPrefix(prefix)
	for _, m := range []struct{ subject, data string }{
		{bp + "ring.abc", string(encodeBoardRing("p", 1, 1))},
		{bp + "ring.-4", string(encodeBoardRing("p", 1, 1))},
		{bp + "ring.4", "garbage"},
	} {
		if err := raw.Publish(m.subject, []byte(m.data)); err != nil {
			t.Fatal(err)
		}
	}
	if err := raw.Flush(); err != nil {
		t.Fatal(err)
	}
	other.RingBoard(9, 1, 1)
	waitBoard(t, l, 9)
	if s := b.Stats(); s.Malformed != 3 {
		t.Errorf("malformed %d, want 3", s.Malformed)
	}
	for _, r := range l.snapshot() {
		if r[0] == 4 {
			t.Errorf("heard a malformed ring %v", r)
		}
	}
}
