package roombus

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/hearth-org/hearth/internal/room"
	"github.com/hearth-org/hearth/internal/roombus/natstest"
)

// uniquePrefix keeps parallel test runs on the same server apart.
func uniquePrefix(t *testing.T) string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return "test.roombus." + hex.EncodeToString(b[:]) + "."
}

// recorder is a room.Listener that keeps what it is told.
type recorder struct {
	mu          sync.Mutex
	rings       [][2]int64
	evicts      [][2]int64
	presence    []presenceCall
	reconnected int
	warm        bool
	changed     chan struct{}
}

type presenceCall struct {
	process string
	room    int64
	members []room.Member
}

func newRecorder() *recorder { return &recorder{changed: make(chan struct{}, 1)} }

func (r *recorder) poke() {
	select {
	case r.changed <- struct{}{}:
	default:
	}
}

// warmRoom is the room listen rings until the listener hears it; the
// recorder notes it apart.
const warmRoom = 1 << 62

func (r *recorder) Rung(roomID, seq int64) {
	r.mu.Lock()
	if roomID == warmRoom {
		r.warm = true
	} else {
		r.rings = append(r.rings, [2]int64{roomID, seq})
	}
	r.mu.Unlock()
	r.poke()
}

func (r *recorder) Evicted(group, user int64) {
	r.mu.Lock()
	r.evicts = append(r.evicts, [2]int64{group, user})
	r.mu.Unlock()
	r.poke()
}

func (r *recorder) Present(process string, roomID int64, members []room.Member) {
	r.mu.Lock()
	r.presence = append(r.presence, presenceCall{process, roomID, members})
	r.mu.Unlock()
	r.poke()
}

func (r *recorder) Reconnected() {
	r.mu.Lock()
	r.reconnected++
	r.mu.Unlock()
	r.poke()
}

// waitFor waits until cond (called under the recorder's lock) holds.
func (r *recorder) waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		r.mu.Lock()
		ok := cond()
		r.mu.Unlock()
		if ok {
			return
		}
		select {
		case <-r.changed:
		case <-time.After(20 * time.Millisecond):
		case <-deadline:
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

func newBell(t *testing.T, url, prefix string) *Bell {
	t.Helper()
	return newBellWith(t, Config{URL: url, Prefix: prefix, ReconnectWait: 50 * time.Millisecond})
}

func newBellWith(t *testing.T, c Config) *Bell {
	t.Helper()
	b, err := New(c)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })
	return b
}

// listen runs b.Listen(l) until the test ends, and waits until the
// subscription is in place: another bell rings room 0's warm-up until l
// hears it.
func listen(t *testing.T, b *Bell, other *Bell, l *recorder) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- b.Listen(ctx, l) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Listen: %v", err)
		}
	})
	deadline := time.Now().Add(10 * time.Second)
	for {
		other.Ring(warmRoom, 1)
		l.mu.Lock()
		warm := l.warm
		l.mu.Unlock()
		if warm {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("the listener never heard the warm-up ring")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestTwoBellsExchangeRingEvictPresence(t *testing.T) {
	url := natstest.URL(t)
	prefix := uniquePrefix(t)
	a, b := newBell(t, url, prefix), newBell(t, url, prefix)
	if a.Process() == b.Process() {
		t.Fatal("two bells got the same process id")
	}
	la, lb := newRecorder(), newRecorder()
	listen(t, a, b, la)
	listen(t, b, a, lb)

	// Rings arrive in order, with their room and sequence.
	for seq := int64(1); seq <= 100; seq++ {
		a.Ring(42, seq)
	}
	b.Ring(7, 3)
	lb.waitFor(t, "100 rings at b", func() bool { return len(lb.rings) >= 100 })
	for i, r := range lb.rings {
		if r != [2]int64{42, int64(i + 1)} {
			t.Fatalf("ring %d at b = %v, want room 42 seq %d", i, r, i+1)
		}
	}
	la.waitFor(t, "b's ring at a", func() bool { return len(la.rings) == 1 })
	if la.rings[0] != [2]int64{7, 3} {
		t.Fatalf("a heard %v, want room 7 seq 3", la.rings[0])
	}

	a.Evict(5, 99)
	lb.waitFor(t, "eviction at b", func() bool { return len(lb.evicts) == 1 })
	if lb.evicts[0] != [2]int64{5, 99} {
		t.Fatalf("b got evict %v, want group 5 user 99", lb.evicts[0])
	}

	members := []room.Member{
		{ID: 11, UserID: 1001, Pseudonym: "Quiet River", Facilitator: true},
		{ID: 12, UserID: 1002, Pseudonym: "Álvaro 🌿"},
	}
	a.Presence(42, members)
	a.Presence(43, nil)
	lb.waitFor(t, "presence at b", func() bool { return len(lb.presence) == 2 })
	p := lb.presence[0]
	if p.process != a.Process() || p.room != 42 {
		t.Fatalf("presence from %q for room %d, want %q room 42", p.process, p.room, a.Process())
	}
	want := []room.Member{
		{ID: 11, Pseudonym: "Quiet River", Facilitator: true}, // no user id on the bus
		{ID: 12, Pseudonym: "Álvaro 🌿"},
	}
	if !slices.Equal(p.members, want) {
		t.Fatalf("presence members = %+v, want %+v", p.members, want)
	}
	if q := lb.presence[1]; q.room != 43 || len(q.members) != 0 {
		t.Fatalf("empty presence = %+v", q)
	}

	// Nobody hears their own voice.
	time.Sleep(100 * time.Millisecond)
	la.mu.Lock()
	if len(la.rings) != 1 || len(la.evicts) != 0 || len(la.presence) != 0 {
		t.Errorf("a heard its own messages: %d rings, %d evicts, %d presence", len(la.rings), len(la.evicts), len(la.presence))
	}
	la.mu.Unlock()
	if s := b.Stats(); s.Received < 103 || s.Malformed != 0 {
		t.Errorf("b's stats = %+v, want 103 received (100 rings, 1 evict, 2 presence, and warm-up rings)", s)
	}
}

// TestOwnProcessIgnored: even without the server's no-echo (two
// connections of the same process id), a bell ignores its process's own
// messages.
func TestOwnProcessIgnored(t *testing.T) {
	url := natstest.URL(t)
	prefix := uniquePrefix(t)
	a1 := newBellWith(t, Config{URL: url, Prefix: prefix, Process: "same"})
	a2 := newBellWith(t, Config{URL: url, Prefix: prefix, Process: "same"})
	other := newBell(t, url, prefix)
	l := newRecorder()
	listen(t, a1, other, l)
	a2.Ring(1, 1)
	a2.Evict(1, 1)
	a2.Presence(1, []room.Member{{ID: 1, Pseudonym: "x"}})
	other.Ring(2, 5) // a marker after them: when it arrives, the others would have
	l.waitFor(t, "the marker ring", func() bool { return len(l.rings) > 0 })
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.rings) != 1 || l.rings[0] != [2]int64{2, 5} || len(l.evicts) != 0 || len(l.presence) != 0 {
		t.Fatalf("heard its own process: rings %v, evicts %v, presence %d", l.rings, l.evicts, len(l.presence))
	}
}

// TestMalformedIgnored: garbage on the subjects is counted and dropped,
// and what follows still arrives.
func TestMalformedIgnored(t *testing.T) {
	url := natstest.URL(t)
	prefix := uniquePrefix(t)
	b := newBell(t, url, prefix)
	other := newBell(t, url, prefix)
	l := newRecorder()
	listen(t, b, other, l)
	raw, err := nats.Connect(url)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for _, m := range []struct{ subject, data string }{
		{prefix + "ring.abc", string(encodeRing("p", 1))},
		{prefix + "ring.-4", string(encodeRing("p", 1))},
		{prefix + "ring.4", "\x01"},
		{prefix + "evict", "\x02\x01p\x01\x01"},
		{prefix + "presence.4", "\x01\x01p\x05"},
		{prefix + "other", "x"},
	} {
		if err := raw.Publish(m.subject, []byte(m.data)); err != nil {
			t.Fatal(err)
		}
	}
	if err := raw.Flush(); err != nil {
		t.Fatal(err)
	}
	other.Ring(9, 9)
	l.waitFor(t, "the ring after the garbage", func() bool { return len(l.rings) == 1 })
	if got := b.Stats().Malformed; got != 6 {
		t.Errorf("malformed = %d, want 6", got)
	}
}

func TestConfigRefused(t *testing.T) {
	for _, c := range []Config{
		{},
		{URL: "nats://127.0.0.1:1", Prefix: "no-dot"},
		{URL: "nats://127.0.0.1:1", Prefix: "a..b."},
		{URL: "nats://127.0.0.1:1", Prefix: "a.*."},
		{URL: "nats://127.0.0.1:1", Prefix: "a.>."},
	} {
		if _, err := New(c); err == nil {
			t.Errorf("New(%+v) accepted", c)
		}
	}
}

// TestUnreachableFailsAtOnce: a server that is not there is an error at
// start, with the address and no password.
func TestUnreachableFailsAtOnce(t *testing.T) {
	port := natstest.FreePort(t)
	start := time.Now()
	_, err := New(Config{URL: "nats://hearth:s3cret@127.0.0.1:" + strconv.Itoa(port), ConnectTimeout: time.Second})
	if err == nil {
		t.Fatal("connected to nothing")
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v to fail", d)
	}
	msg := err.Error()
	if !strings.Contains(msg, "cannot reach NATS") || !strings.Contains(msg, "127.0.0.1:"+strconv.Itoa(port)) || strings.Contains(msg, "s3cret") {
		t.Errorf("error = %q", msg)
	}
}

// TestSurvivesReconnect: the server goes away and comes back on the same
// port; both bells reconnect by themselves, listeners are told, and rings
// flow again without anyone calling Listen anew.
func TestSurvivesReconnect(t *testing.T) {
	srv := natstest.New(t)
	prefix := uniquePrefix(t)
	a, b := newBell(t, srv.URL(), prefix), newBell(t, srv.URL(), prefix)
	l := newRecorder()
	listen(t, b, a, l)
	a.Ring(1, 1)
	l.waitFor(t, "first ring", func() bool { return len(l.rings) == 1 })

	srv.Stop()
	// Published while the server is down: buffered by the client, or lost
	// (the store covers that); either way nothing breaks.
	a.Ring(1, 2)
	time.Sleep(200 * time.Millisecond)
	srv.Start()

	l.waitFor(t, "the listener told of the reconnection", func() bool { return l.reconnected >= 1 })
	deadline := time.Now().Add(10 * time.Second)
	for seq := int64(3); ; seq++ {
		a.Ring(1, seq)
		got := false
		l.mu.Lock()
		for _, r := range l.rings {
			got = got || r[1] >= 3
		}
		l.mu.Unlock()
		if got {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no ring got through after the server came back")
		}
		time.Sleep(50 * time.Millisecond)
	}
	l.mu.Lock()
	rings := slices.Clone(l.rings)
	l.mu.Unlock()
	for i := 1; i < len(rings); i++ {
		if rings[i][1] <= rings[i-1][1] {
			t.Fatalf("rings out of order or doubled across the reconnection: %v", rings)
		}
	}
	t.Logf("rings heard across the reconnection: %v", rings)
}

// TestCloseEndsListen: closing the bell ends Listen with an error, and
// Close flushes what was published first.
func TestCloseEndsListen(t *testing.T) {
	url := natstest.URL(t)
	prefix := uniquePrefix(t)
	a := newBell(t, url, prefix)
	b, err := New(Config{URL: url, Prefix: prefix})
	if err != nil {
		t.Fatal(err)
	}
	l := newRecorder()
	listen(t, a, b, l)

	lb := newRecorder()
	done := make(chan error, 1)
	go func() { done <- b.Listen(context.Background(), lb) }()
	for seq := int64(1); seq <= 1000; seq++ {
		b.Ring(3, seq)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if err == nil {
			t.Fatal("Listen on a closed bell returned nil")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Listen did not end when the bell closed")
	}
	l.waitFor(t, "all 1000 rings published before Close", func() bool { return len(l.rings) == 1000 })
	b.Ring(3, 1001) // after Close: counted, not a panic
	if b.Stats().PublishFailed != 1 {
		t.Errorf("publish after close: stats %+v", b.Stats())
	}
	if err := b.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

func TestRedact(t *testing.T) {
	for in, want := range map[string]string{
		"nats://127.0.0.1:4222":          "nats://127.0.0.1:4222",
		"nats://u:p@h:4222":              "nats://***@h:4222",
		"nats://u:p@a:1, nats://tok@b:2": "nats://***@a:1,nats://***@b:2",
		"tls://user:pa@ss@host:4443":     "tls://***@host:4443",
	} {
		if got := redact(in); got != want {
			t.Errorf("redact(%q) = %q, want %q", in, got, want)
		}
	}
}
