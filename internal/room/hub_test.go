package room

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"
)

var (
	fac   = Member{ID: 1, UserID: 101, Pseudonym: "Willow", Facilitator: true}
	ann   = Member{ID: 2, UserID: 102, Pseudonym: "Robin"}
	ben   = Member{ID: 3, UserID: 103, Pseudonym: "Heron"}
	cara  = Member{ID: 4, UserID: 104, Pseudonym: "Fern"}
	info7 = RoomInfo{ID: 7, Group: 70}
)

func newTestHub(t testing.TB, store *memStore, edit func(*HubConfig)) *Hub {
	t.Helper()
	cfg := HubConfig{Store: store, PollEvery: -1}
	if edit != nil {
		edit(&cfg)
	}
	h := NewHub(cfg)
	t.Cleanup(h.Close)
	return h
}

func msg(key, text string) map[string]any {
	return map[string]any{"type": "send", "key": key, "text": text}
}

func TestAckComesOnlyAfterTheStoreCommitted(t *testing.T) {
	store := newMemStore()
	h := newTestHub(t, store, nil)
	a := h.connect(t, info7, ann, 0)
	b := h.connect(t, info7, ben, 0)
	gate := make(chan struct{})
	store.mu.Lock()
	store.gate = gate
	store.mu.Unlock()
	a.send(msg("k1", "hello everyone"))
	if f, ok := a.next(200 * time.Millisecond); ok && (f.Type == "ack" || f.Type == "event") {
		t.Fatalf("got %q before the store committed", f.Type)
	}
	close(gate)
	ack := a.waitType("ack")
	if ack.Key != "k1" || ack.Seq != 1 || ack.Dup {
		t.Fatalf("ack = %+v", ack)
	}
	if store.count(7) != 1 {
		t.Fatalf("store has %d events", store.count(7))
	}
	ev := b.waitEvent(KindMessage)
	if ev.Seq != 1 || ev.Text != "hello everyone" || ev.Name != "Robin" || ev.Actor != ann.ID {
		t.Fatalf("event = %+v", ev)
	}
}

func TestARetriedSendGetsTheSameSequenceAndIsNotStoredTwice(t *testing.T) {
	store := newMemStore()
	h := newTestHub(t, store, nil)
	a := h.connect(t, info7, ann, 0)
	a.send(msg("same-key", "first try"))
	first := a.waitType("ack")
	a.close()
	a2 := h.connect(t, info7, ann, 0)
	a2.send(msg("same-key", "first try"))
	again := a2.waitType("ack")
	if !again.Dup || again.Seq != first.Seq {
		t.Fatalf("retry ack = %+v, first = %+v", again, first)
	}
	if n := store.count(7); n != 1 {
		t.Fatalf("store has %d events, want 1", n)
	}
	// The same key twice at once, in what could be one batch.
	a2.send(msg("twice", "quick"))
	a2.send(msg("twice", "quick"))
	x, y := a2.waitType("ack"), a2.waitType("ack")
	if x.Seq != y.Seq || x.Dup == y.Dup {
		t.Fatalf("acks %+v and %+v", x, y)
	}
	if n := store.count(7); n != 2 {
		t.Fatalf("store has %d events, want 2", n)
	}
}

// Commits that would follow each other start at least CommitGap apart, so
// what comes meanwhile shares one transaction; a message that finds the
// store quiet is committed at once.
func TestBackToBackCommitsShareOneTransaction(t *testing.T) {
	store := newMemStore()
	const gap = time.Second
	h := newTestHub(t, store, func(c *HubConfig) { c.CommitGap = gap; c.MessageBurst = 100 })
	a := h.connect(t, info7, ann, 0)
	b := h.connect(t, info7, ben, 0)
	sent := time.Now()
	a.send(msg("k0", "after a quiet while"))
	a.waitType("ack")
	if d := time.Since(sent); d >= gap {
		t.Fatalf("a message to a quiet store waited %v (the gap is %v)", d, gap)
	}
	for i := range 10 {
		a.send(msg(fmt.Sprint("k", i+1), fmt.Sprint("message ", i+1)))
		time.Sleep(5 * time.Millisecond)
	}
	for i := range 10 {
		if ack := a.waitType("ack"); ack.Seq != int64(i+2) {
			t.Fatalf("ack %d = %+v", i, ack)
		}
	}
	for i := range 11 {
		if ev := b.waitEvent(KindMessage); ev.Seq != int64(i+1) {
			t.Fatalf("event %d = %+v", i, ev)
		}
	}
	store.mu.Lock()
	n, starts := store.appends, slices.Clone(store.starts)
	store.mu.Unlock()
	if n != 2 || len(starts) != 2 {
		t.Fatalf("%d commits (%d started) for one message and then ten sent within the gap, want 2", n, len(starts))
	}
	if d := starts[1].Sub(starts[0]); d < gap {
		t.Fatalf("the second commit started %v after the first (the gap is %v)", d, gap)
	}
}

// While the committer is behind, the hub stops reading a connection and
// its member's frames wait; read in a burst once there is room again,
// they are not taken for a flood (CloseRateLimited): the member sent them
// at half the allowed rate.
func TestFramesThatWaitedForABusyServerAreNotAFlood(t *testing.T) {
	store := newMemStore()
	h := newTestHub(t, store, func(c *HubConfig) {
		c.MaxBatch = 1 // a queue of 4 pending messages
		c.FramesPerSec, c.FrameBurst = 20, 5
		c.MessageBurst = 1000
	})
	a := h.connect(t, info7, ann, 0)
	gate := make(chan struct{})
	store.mu.Lock()
	store.gate = gate
	store.mu.Unlock()
	const n = 30
	for i := range n {
		a.send(msg(fmt.Sprint("k", i), fmt.Sprint("message ", i)))
		time.Sleep(100 * time.Millisecond) // 10 a second
	}
	close(gate)
	for i := range n {
		f, ok := a.next(5 * time.Second)
		for ok && f.Type != "ack" && f.Type != "error" {
			f, ok = a.next(5 * time.Second)
		}
		if !ok {
			code, _ := a.conn.closed()
			t.Fatalf("after %d acks the connection ended (close %d)", i, code)
		}
		if f.Type == "error" {
			t.Fatalf("message %d refused: %+v", i, f)
		}
	}
}

func TestAStoreFailureIsAnErrorFrameAndTheConnectionStays(t *testing.T) {
	store := newMemStore()
	h := newTestHub(t, store, nil)
	a := h.connect(t, info7, ann, 0)
	store.mu.Lock()
	store.fail = fmt.Errorf("disk on fire")
	store.mu.Unlock()
	a.send(msg("k", "hello"))
	e := a.waitType("error")
	if e.Key != "k" || e.Code != "room_unavailable" {
		t.Fatalf("error = %+v", e)
	}
	store.mu.Lock()
	store.fail = nil
	store.mu.Unlock()
	a.send(msg("k", "hello"))
	if ack := a.waitType("ack"); ack.Seq != 1 {
		t.Fatalf("ack = %+v", ack)
	}
	a.send(msg("k2", "REFUSE this"))
	if e := a.waitType("error"); e.Code != "refused" || e.Key != "k2" {
		t.Fatalf("refused = %+v", e)
	}
}

func TestHelloFrameGivesTheResumePoint(t *testing.T) {
	store := newMemStore()
	h := newTestHub(t, store, nil)
	for i := range 5 {
		store.appendDirect(7, ann, Event{Kind: KindMessage, Text: fmt.Sprint("m", i), Key: fmt.Sprint("k", i)})
	}
	c := &tclient{t: t, conn: newTestConn(), done: make(chan error, 1)}
	go func() { c.done <- h.Serve(t.Context(), c.conn, info7, ben, -1) }()
	c.sendRaw(`{"type":"hello","after":3}`)
	w := c.waitType("welcome")
	if w.Seq != 5 || w.You.Name != "Heron" {
		t.Fatalf("welcome = %+v", w)
	}
	if ev := c.waitEvent(KindMessage); ev.Seq != 4 {
		t.Fatalf("first event after resume = %d", ev.Seq)
	}
	if ev := c.waitEvent(KindMessage); ev.Seq != 5 {
		t.Fatalf("second = %d", ev.Seq)
	}

	bad := &tclient{t: t, conn: newTestConn()}
	go h.Serve(t.Context(), bad.conn, info7, ben, -1)
	bad.sendRaw(`{"type":"send","key":"x","text":"hi"}`)
	if code := bad.waitClosed(time.Second); code != CloseBadFrame {
		t.Fatalf("no hello: close %d", code)
	}
}

// Members keep sending while a reader drops and resumes again and again:
// what the reader sees, over all its connections, is every message exactly
// once, in order.
func TestResumeGivesExactlyTheMissedEventsWhileMessagesKeepFlowing(t *testing.T) {
	store := newMemStore()
	h := newTestHub(t, store, func(c *HubConfig) {
		c.MessageBurst = 1000
		c.FramesPerSec = 10000
		c.FrameBurst = 10000
		c.PageSize = 7
	})
	const writers, each = 4, 60
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			m := Member{ID: int64(10 + w), UserID: int64(110 + w), Pseudonym: fmt.Sprint("Writer", w)}
			c := h.connect(t, info7, m, 0)
			defer c.close()
			for i := range each {
				c.send(msg(fmt.Sprintf("w%d-%d", w, i), fmt.Sprintf("message %d from %d", i, w)))
				if i%10 == 9 {
					time.Sleep(time.Millisecond)
				}
			}
			acks := 0
			for acks < each {
				if c.waitType("ack").Type == "ack" {
					acks++
				}
			}
		}()
	}
	var seen []int64
	last := int64(0)
	total := writers * each
	for round := 0; last < int64(total); round++ {
		if round > 500 {
			t.Fatalf("reader stuck at %d of %d", last, total)
		}
		r := h.connect(t, info7, cara, last)
		// read a few, then drop without warning
		for range 3 + round%5 {
			f, ok := r.next(2 * time.Second)
			if !ok {
				break
			}
			if f.Type == "event" && f.Event.Kind == KindMessage {
				seen = append(seen, f.Event.Seq)
				last = f.Event.Seq
			}
		}
		r.close()
	}
	wg.Wait()
	want := make([]int64, total)
	for i := range want {
		want[i] = int64(i + 1)
	}
	if !slices.Equal(seen, want) {
		t.Fatalf("reader saw %d events; first wrong at %d: %v…", len(seen), firstDiff(seen, want), seen[:min(len(seen), 20)])
	}
	if store.appends >= total {
		t.Logf("no group commit happened: %d appends for %d messages", store.appends, total)
	}
}

func firstDiff(a, b []int64) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

func TestASlowClientIsClosedAndThenResumesFully(t *testing.T) {
	store := newMemStore()
	h := newTestHub(t, store, func(c *HubConfig) {
		c.QueueFrames = 8
		c.MessageBurst = 1000
		c.FramesPerSec = 10000
		c.FrameBurst = 10000
		c.WriteTimeout = time.Second
	})
	a := h.connect(t, info7, ann, 0)
	slow := h.connect(t, info7, ben, 0)
	slow.conn.stopReading()
	for i := range 40 {
		a.send(msg(fmt.Sprint("k", i), fmt.Sprint("message ", i)))
		a.waitType("ack")
	}
	if code := slow.waitClosed(3 * time.Second); code != CloseSlow {
		t.Fatalf("slow client closed with %d, want %d", code, CloseSlow)
	}
	// It saw some (maybe none); it resumes from the last it saw.
	last := int64(0)
	for {
		f, ok := slow.next(0)
		if !ok {
			break
		}
		if f.Type == "event" {
			last = f.Event.Seq
		}
	}
	again := h.connect(t, info7, ben, last)
	for want := last + 1; want <= 40; want++ {
		if ev := again.waitEvent(KindMessage); ev.Seq != want {
			t.Fatalf("after resume got %d, want %d", ev.Seq, want)
		}
	}
}

func TestMessageRateLimitAndFrameFlood(t *testing.T) {
	store := newMemStore()
	h := newTestHub(t, store, func(c *HubConfig) {
		c.MessageBurst = 3
		c.MessageWindow = time.Minute
		c.FramesPerSec = 5
		c.FrameBurst = 10
	})
	a := h.connect(t, info7, ann, 0)
	for i := range 4 {
		a.send(msg(fmt.Sprint("k", i), "hi"))
	}
	acks, limited := 0, 0
	for acks+limited < 4 {
		f, ok := a.next(2 * time.Second)
		if !ok {
			t.Fatal("connection ended")
		}
		switch {
		case f.Type == "ack":
			acks++
		case f.Type == "error" && f.Code == "room_rate_limited":
			limited++
			if f.Key != "k3" {
				t.Errorf("rate limited key %q", f.Key)
			}
		}
	}
	if acks != 3 || limited != 1 {
		t.Fatalf("acks %d, limited %d", acks, limited)
	}
	for range 20 {
		a.sendRaw(`{"type":"ping"}`)
	}
	if code := a.waitClosed(2 * time.Second); code != CloseRateLimited {
		t.Fatalf("flood closed with %d", code)
	}
}

func TestBadFramesCloseOrAnswerWithAnError(t *testing.T) {
	store := newMemStore()
	h := newTestHub(t, store, nil)
	a := h.connect(t, info7, ann, 0)
	a.send(map[string]any{"type": "send", "key": "k", "text": ""})
	if e := a.waitType("error"); e.Code != "room_empty_text" {
		t.Fatalf("empty text: %+v", e)
	}
	a.send(map[string]any{"type": "ping"})
	a.waitType("pong")
	a.sendRaw(`{"type":"dance"}`)
	if code := a.waitClosed(time.Second); code != CloseBadFrame {
		t.Fatalf("unknown type closed with %d", code)
	}
	b := h.connect(t, info7, ben, 0)
	b.sendRaw(`{"type":"send","key":"k","text":"` + string(make([]byte, MaxFrameBytes)) + `"}`)
	if code := b.waitClosed(time.Second); code != CloseTooBig {
		t.Fatalf("big frame closed with %d", code)
	}
}

func TestAMutedMemberCannotSend(t *testing.T) {
	store := newMemStore()
	h := newTestHub(t, store, nil)
	f := h.connect(t, info7, fac, 0)
	a := h.connect(t, info7, ann, 0)
	b := h.connect(t, info7, ben, 0)
	a.send(map[string]any{"type": "mute", "member": ben.ID})
	if e := a.waitType("error"); e.Code != "room_facilitators_only" {
		t.Fatalf("member muting: %+v", e)
	}
	f.send(map[string]any{"type": "mute", "member": ben.ID, "key": "m1"})
	f.waitType("ack")
	if ev := b.waitEvent(KindMute); ev.Target != ben.ID || !ev.On {
		t.Fatalf("mute event to the muted: %+v", ev)
	}
	b.send(msg("k", "let me talk"))
	if e := b.waitType("error"); e.Code != "room_muted" || e.Key != "k" {
		t.Fatalf("muted send: %+v", e)
	}
	f.send(map[string]any{"type": "unmute", "member": ben.ID, "key": "m2"})
	f.waitType("ack")
	b.waitEvent(KindMute)
	b.send(msg("k", "thank you"))
	b.waitType("ack")
	// Ann never saw the mute, only the message.
	if ev := a.waitEvent(KindMessage); ev.Text != "thank you" {
		t.Fatalf("ann saw %+v", ev)
	}
}

func TestRoundFlow(t *testing.T) {
	store := newMemStore()
	h := newTestHub(t, store, nil)
	f := h.connect(t, info7, fac, 0)
	a := h.connect(t, info7, ann, 0)
	b := h.connect(t, info7, ben, 0)
	a.send(map[string]any{"type": "round_start", "round": "check_in"})
	if e := a.waitType("error"); e.Code != "room_facilitators_only" {
		t.Fatalf("member starting a round: %+v", e)
	}
	f.send(map[string]any{"type": "round_start", "round": "question", "question": "What helped this week?", "seconds": 90, "key": "r"})
	f.waitType("ack")
	start := a.waitEvent(KindRoundStart)
	if !slices.Equal(start.Order, []int64{fac.ID, ann.ID, ben.ID}) || start.Text != "What helped this week?" || start.Seconds != 90 {
		t.Fatalf("round start = %+v", start)
	}
	a.send(map[string]any{"type": "pass", "key": "p"})
	if e := a.waitType("error"); e.Code != "room_not_your_turn" {
		t.Fatalf("pass out of turn: %+v", e)
	}
	f.send(map[string]any{"type": "done", "key": "d"}) // the facilitator's own turn
	f.waitType("ack")
	a.send(map[string]any{"type": "pass", "key": "p2"})
	a.waitType("ack")
	b.send(msg("m", "a walk helped"))
	b.waitType("ack")
	b.send(map[string]any{"type": "done", "key": "d2"})
	b.waitType("ack")
	// A newcomer's welcome shows the round as the log folds it.
	c := h.connect(t, info7, cara, 0)
	c.conn.mu.Lock()
	var w frame
	_ = json.Unmarshal(c.conn.frames[0], &w)
	c.conn.mu.Unlock()
	r := w.State.Round
	if r == nil || r.Turn != 0 || !slices.Equal(r.Passed, []int64{ann.ID}) || r.Kind != "question" {
		t.Fatalf("round in welcome = %+v", r)
	}
	f.send(map[string]any{"type": "round_end", "key": "e"})
	f.waitType("ack")
	b.waitEvent(KindRoundEnd)
	f.send(map[string]any{"type": "round_end", "key": "e2"})
	if e := f.waitType("error"); e.Code != "room_no_round" {
		t.Fatalf("second end: %+v", e)
	}
}

func TestHandQueueAndFloor(t *testing.T) {
	store := newMemStore()
	h := newTestHub(t, store, nil)
	f := h.connect(t, info7, fac, 0)
	a := h.connect(t, info7, ann, 0)
	b := h.connect(t, info7, ben, 0)
	b.send(map[string]any{"type": "hand", "on": true, "key": "h1"})
	b.waitType("ack")
	a.send(map[string]any{"type": "hand", "on": true, "key": "h2"})
	a.waitType("ack")
	a.send(map[string]any{"type": "hand", "on": false, "member": ben.ID, "key": "h3"})
	if e := a.waitType("error"); e.Code != "room_own_hand" {
		t.Fatalf("lowering another's hand: %+v", e)
	}
	f.send(map[string]any{"type": "floor", "member": ben.ID, "key": "f1"})
	f.waitType("ack")
	if ev := a.waitEvent(KindFloor); ev.Target != ben.ID || ev.TargetName != "Heron" {
		t.Fatalf("floor event = %+v", ev)
	}
	c := h.connect(t, info7, cara, 0)
	c.conn.mu.Lock()
	var w frame
	_ = json.Unmarshal(c.conn.frames[0], &w)
	c.conn.mu.Unlock()
	if w.State.Floor == nil || w.State.Floor.ID != ben.ID || len(w.State.Hands) != 1 || w.State.Hands[0].ID != ann.ID || w.State.Hands[0].Name != "Robin" {
		t.Fatalf("snapshot = %+v", w.State)
	}
	if w.State.Voice != nil {
		t.Fatal("a member was sent the share of voice")
	}
}

func TestEvictClosesWithinASecond(t *testing.T) {
	store := newMemStore()
	h := newTestHub(t, store, nil)
	a := h.connect(t, info7, ann, 0)
	other := h.connect(t, RoomInfo{ID: 8, Group: 80}, ann, 0)
	b := h.connect(t, info7, ben, 0)
	start := time.Now()
	h.Evict(info7.Group, ann.UserID)
	if code := a.waitClosed(time.Second); code != CloseRemoved {
		t.Fatalf("evicted with %d", code)
	}
	t.Logf("closed in %v", time.Since(start))
	if _, closed := other.conn.closed(); closed {
		t.Fatal("eviction from group 70 closed a room of group 80")
	}
	if _, closed := b.conn.closed(); closed {
		t.Fatal("eviction closed another member")
	}
}

func TestRemoveClosesTheMemberAndKeepsThemOut(t *testing.T) {
	store := newMemStore()
	h := newTestHub(t, store, nil)
	f := h.connect(t, info7, fac, 0)
	a := h.connect(t, info7, ann, 0)
	f.send(map[string]any{"type": "remove", "member": ann.ID, "key": "x"})
	f.waitType("ack")
	if ev := a.waitEvent(KindRemove); ev.Target != ann.ID {
		t.Fatalf("remove = %+v", ev)
	}
	if code := a.waitClosed(time.Second); code != CloseRemoved {
		t.Fatalf("removed with %d", code)
	}
	c := &tclient{t: t, conn: newTestConn()}
	go h.Serve(t.Context(), c.conn, info7, ann, 0)
	if code := c.waitClosed(time.Second); code != CloseRemoved {
		t.Fatalf("coming back: %d", code)
	}
}

func TestEndClosesEveryone(t *testing.T) {
	store := newMemStore()
	h := newTestHub(t, store, nil)
	f := h.connect(t, info7, fac, 0)
	a := h.connect(t, info7, ann, 0)
	f.send(map[string]any{"type": "end", "key": "end"})
	a.waitEvent(KindEnd)
	if code := a.waitClosed(time.Second); code != CloseNormal {
		t.Fatalf("end closed with %d", code)
	}
	if code := f.waitClosed(time.Second); code != CloseNormal {
		t.Fatalf("facilitator closed with %d", code)
	}
	c := &tclient{t: t, conn: newTestConn()}
	go h.Serve(t.Context(), c.conn, info7, ann, 0)
	if code := c.waitClosed(time.Second); code != CloseClosed {
		t.Fatalf("after the end: %d", code)
	}
}

func TestHeldMessageGoesToFacilitatorsUntilReleasedAndAlerts(t *testing.T) {
	store := newMemStore()
	h := newTestHub(t, store, nil)
	f := h.connect(t, info7, fac, 0)
	a := h.connect(t, info7, ann, 0)
	b := h.connect(t, info7, ben, 0)
	a.send(msg("k", "METHOD details"))
	if ev := a.waitEvent(KindMessage); !ev.Held {
		t.Fatalf("the writer's copy = %+v", ev)
	}
	if help := a.waitType("help"); help.Support == nil {
		t.Fatal("the writer got no help frame")
	}
	if ev := f.waitEvent(KindMessage); !ev.Held || ev.Text != "METHOD details" {
		t.Fatalf("the facilitator's copy = %+v", ev)
	}
	if al := f.waitType("alert"); al.Seq != 1 || al.Member != ann.ID {
		t.Fatalf("alert = %+v", al)
	}
	a.send(msg("k2", "ok"))
	if ev := b.waitEvent(KindMessage); ev.Seq != 2 {
		t.Fatalf("ben saw the held message: %+v", ev)
	}
	f.send(map[string]any{"type": "release", "seq": 1, "key": "r"})
	f.waitType("ack")
	rel := b.waitEvent(KindRelease)
	if rel.Message == nil || rel.Message.Text != "METHOD details" || rel.Message.Held {
		t.Fatalf("release = %+v", rel)
	}
	// A late reader resuming from 0 gets the release with its message.
	c := h.connect(t, info7, cara, 0)
	if ev := c.waitEvent(KindRelease); ev.Message == nil || ev.Message.Seq != 1 {
		t.Fatalf("catch-up release = %+v", ev)
	}
}

func TestGapFilledWhenAnotherProcessWroteAndRang(t *testing.T) {
	store := newMemStore()
	h := newTestHub(t, store, nil)
	a := h.connect(t, info7, ann, 0)
	ev := store.appendDirect(7, ben, Event{Kind: KindMessage, Text: "from elsewhere", Key: "e1"})
	h.Rung(7, ev.Seq)
	if got := a.waitEvent(KindMessage); got.Seq != 1 || got.Name != "Heron" {
		t.Fatalf("rung event = %+v", got)
	}
	// Another write without a ring, then a local send: the gap is read.
	store.appendDirect(7, ben, Event{Kind: KindMessage, Text: "silent", Key: "e2"})
	a.send(msg("k", "mine"))
	if got := a.waitEvent(KindMessage); got.Seq != 2 || got.Text != "silent" {
		t.Fatalf("gap event = %+v", got)
	}
	if got := a.waitEvent(KindMessage); got.Seq != 3 || got.Text != "mine" {
		t.Fatalf("after the gap = %+v", got)
	}
}

func TestPollFindsEventsNobodyRang(t *testing.T) {
	store := newMemStore()
	h := newTestHub(t, store, func(c *HubConfig) { c.PollEvery = time.Second })
	a := h.connect(t, info7, ann, 0)
	store.appendDirect(7, ben, Event{Kind: KindMessage, Text: "lost ring", Key: "e1"})
	if got := a.waitEvent(KindMessage); got.Seq != 1 {
		t.Fatalf("polled event = %+v", got)
	}
}

type recBell struct {
	LocalBell
	mu       sync.Mutex
	presence map[int64][]Member
	rings    []int64
}

func (b *recBell) Presence(room int64, ms []Member) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.presence[room] = ms
}

func (b *recBell) Ring(room, seq int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.rings = append(b.rings, seq)
}

func TestPresenceLocalAndFromOtherProcesses(t *testing.T) {
	store := newMemStore()
	bell := &recBell{presence: map[int64][]Member{}}
	var mu sync.Mutex
	var seen []string
	h := newTestHub(t, store, func(c *HubConfig) {
		c.Bell = bell
		c.PresenceTTL = time.Second
		c.OnPresence = func(room int64, m Member, present bool) {
			mu.Lock()
			defer mu.Unlock()
			seen = append(seen, fmt.Sprintf("%d %s %v", room, m.Pseudonym, present))
		}
	})
	a := h.connect(t, info7, ann, 0)
	h.Present("other", 7, []Member{{ID: ben.ID, Pseudonym: "Heron"}})
	p := a.waitType("presence")
	for len(p.Members) != 2 {
		p = a.waitType("presence")
	}
	if p.Members[0].ID != ann.ID || p.Members[1].Name != "Heron" {
		t.Fatalf("presence = %+v", p.Members)
	}
	bell.mu.Lock()
	if got := bell.presence[7]; len(got) != 1 || got[0].ID != ann.ID || got[0].UserID != 0 {
		t.Errorf("announced %+v (user ids must not leave the process)", got)
	}
	bell.mu.Unlock()
	// The other process goes quiet: after the TTL, Heron is gone.
	for {
		p = a.waitType("presence")
		if len(p.Members) == 1 {
			break
		}
	}
	a.close()
	deadline := time.Now().Add(time.Second)
	for {
		mu.Lock()
		n := len(seen)
		mu.Unlock()
		if n == 2 || time.Now().After(deadline) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	mu.Lock()
	defer mu.Unlock()
	if !slices.Equal(seen, []string{"7 Robin true", "7 Robin false"}) {
		t.Fatalf("OnPresence calls = %v", seen)
	}
}

func TestARefusedCrisisMessageStillBringsHelpAndAnAlert(t *testing.T) {
	store := newMemStore()
	h := newTestHub(t, store, nil)
	f := h.connect(t, info7, fac, 0)
	a := h.connect(t, info7, ann, 0)
	a.send(msg("k", "GROUPMUTED CRISIS"))
	if e := a.waitType("error"); e.Code != "muted" || e.Key != "k" {
		t.Fatalf("error = %+v", e)
	}
	if help := a.waitType("help"); help.Support == nil {
		t.Fatal("no help for the writer")
	}
	if al := f.waitType("alert"); al.Member != ann.ID || al.Seq != 0 {
		t.Fatalf("alert = %+v", al)
	}
	if n := store.count(7); n != 0 {
		t.Fatalf("stored %d", n)
	}
}

// pairBell rings another hub directly, as a bus between two processes
// would, sometimes late.
type pairBell struct {
	LocalBell
	self  string
	other func() *Hub
}

func (b *pairBell) Ring(room, seq int64) {
	go func() {
		if seq%7 == 0 {
			time.Sleep(20 * time.Millisecond) // a late ring
		}
		b.other().Rung(room, seq)
	}()
}

func (b *pairBell) Evict(group, user int64) { go b.other().Evicted(group, user) }

func (b *pairBell) Presence(room int64, ms []Member) {
	go b.other().Present(b.self, room, ms)
}

// Two hubs on one store, as two processes on one database: members on
// each send at once; everyone sees every message once, in one order.
func TestTwoHubsShareARoom(t *testing.T) {
	store := newMemStore()
	var h1, h2 *Hub
	h1 = newTestHub(t, store, func(c *HubConfig) {
		c.Process = "one"
		c.Bell = &pairBell{self: "one", other: func() *Hub { return h2 }}
		c.MessageBurst, c.FramesPerSec, c.FrameBurst = 1000, 10000, 10000
	})
	h2 = newTestHub(t, store, func(c *HubConfig) {
		c.Process = "two"
		c.Bell = &pairBell{self: "two", other: func() *Hub { return h1 }}
		c.MessageBurst, c.FramesPerSec, c.FrameBurst = 1000, 10000, 10000
	})
	a := h1.connect(t, info7, ann, 0)
	b := h2.connect(t, info7, ben, 0)
	const each = 100
	var wg sync.WaitGroup
	for _, c := range []*tclient{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				c.send(msg(fmt.Sprint("k", i), fmt.Sprint("message ", i)))
			}
		}()
	}
	wg.Wait()
	var presence []WireMember
	for _, c := range []*tclient{a, b} {
		var seqs []int64
		for len(seqs) < 2*each {
			f, ok := c.next(5 * time.Second)
			if !ok {
				t.Fatalf("stopped after %d events", len(seqs))
			}
			if f.Type == "event" {
				seqs = append(seqs, f.Event.Seq)
			}
			if f.Type == "presence" && c == a {
				presence = f.Members
			}
		}
		for i, s := range seqs {
			if s != int64(i+1) {
				t.Fatalf("event %d has seq %d", i, s)
			}
		}
	}
	// Each sees the other in presence, and an eviction on one closes the
	// member on the other.
	for len(presence) != 2 {
		presence = a.waitType("presence").Members
	}
	h1.Evict(info7.Group, ben.UserID)
	if code := b.waitClosed(time.Second); code != CloseRemoved {
		t.Fatalf("evicted across with %d", code)
	}
}

func TestRoomsCloseAtTheirTimeAndOnRequest(t *testing.T) {
	store := newMemStore()
	h := newTestHub(t, store, nil)
	timed := RoomInfo{ID: 9, Group: 70, Closes: time.Now().Add(1500 * time.Millisecond)}
	a := h.connect(t, timed, ann, 0)
	if code := a.waitClosed(3 * time.Second); code != CloseClosed {
		t.Fatalf("at closing time: %d", code)
	}
	late := &tclient{t: t, conn: newTestConn()}
	go h.Serve(t.Context(), late.conn, timed, ben, 0)
	if code := late.waitClosed(time.Second); code != CloseClosed {
		t.Fatalf("after closing time: %d", code)
	}
	b := h.connect(t, info7, ben, 0)
	h.CloseRoom(info7.ID)
	if code := b.waitClosed(time.Second); code != CloseClosed {
		t.Fatalf("CloseRoom: %d", code)
	}
}

func TestHubCloseTellsClientsToReconnect(t *testing.T) {
	store := newMemStore()
	h := NewHub(HubConfig{Store: store})
	a := h.connect(t, info7, ann, 0)
	h.Close()
	if code := a.waitClosed(time.Second); code != CloseUnavailable {
		t.Fatalf("hub close: %d", code)
	}
	late := &tclient{t: t, conn: newTestConn()}
	go h.Serve(t.Context(), late.conn, info7, ben, 0)
	if code := late.waitClosed(time.Second); code != CloseUnavailable {
		t.Fatalf("after close: %d", code)
	}
}

func TestAMemberMutedInTheRoomStillGetsHelpInACrisis(t *testing.T) {
	store := newMemStore()
	var screened sync.WaitGroup
	screened.Add(1)
	h := newTestHub(t, store, func(c *HubConfig) {
		c.ScreenRefused = func(ctx context.Context, room int64, m Member, text string) (any, bool) {
			defer screened.Done()
			if room != 7 || m.ID != ben.ID || text != "CRISIS now" {
				t.Errorf("screened %d %d %q", room, m.ID, text)
			}
			return map[string]string{"line": "988"}, true
		}
	})
	f := h.connect(t, info7, fac, 0)
	b := h.connect(t, info7, ben, 0)
	f.send(map[string]any{"type": "mute", "member": ben.ID, "key": "m"})
	f.waitType("ack")
	b.waitEvent(KindMute)
	b.send(msg("k", "CRISIS now"))
	if e := b.waitType("error"); e.Code != "room_muted" {
		t.Fatalf("error = %+v", e)
	}
	if help := b.waitType("help"); help.Support == nil {
		t.Fatal("no help")
	}
	if al := f.waitType("alert"); al.Member != ben.ID || al.Seq != 0 {
		t.Fatalf("alert = %+v", al)
	}
	screened.Wait()
	if n := store.count(7); n != 1 { // the mute only
		t.Fatalf("stored %d events", n)
	}
}
