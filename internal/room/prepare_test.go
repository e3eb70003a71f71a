package room

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hearth-org/hearth"
)

// prepStore is a memStore that prepares (room.Preparer): it marks what it
// prepared, refuses texts with NOPREP, and records whether Append was
// ever handed a message it had not prepared.
type prepStore struct {
	*memStore
	mu         sync.Mutex
	prepared   int
	unprepared int
	// what each Prepare was given: its context and how long it had
	ctxs []context.Context
	left []time.Duration
}

func (s *prepStore) Prepare(ctx context.Context, p Pending) (Pending, error) {
	if strings.Contains(p.Event.Text, "NOPREP") {
		return p, hearth.Coded(hearth.Invalid, "not_prepared", "Refused before the batch.")
	}
	s.mu.Lock()
	s.prepared++
	d, _ := ctx.Deadline()
	s.ctxs, s.left = append(s.ctxs, ctx), append(s.left, time.Until(d))
	s.mu.Unlock()
	p.Prepared = "prepared:" + p.Event.Text
	return p, nil
}

func (s *prepStore) Append(ctx context.Context, batch []Pending) ([]Result, error) {
	s.mu.Lock()
	for _, p := range batch {
		if p.Prepared != "prepared:"+p.Event.Text {
			s.unprepared++
		}
	}
	s.mu.Unlock()
	return s.memStore.Append(ctx, batch)
}

func TestAPreparingStorePreparesOnTheSendersSide(t *testing.T) {
	store := &prepStore{memStore: newMemStore()}
	h := NewHub(HubConfig{Store: store, PollEvery: -1})
	t.Cleanup(h.Close)
	a := h.connect(t, info7, ann, 0)
	b := h.connect(t, info7, ben, 0)
	a.send(msg("k1", "hello"))
	if ack := a.waitType("ack"); ack.Seq != 1 {
		t.Fatalf("ack = %+v", ack)
	}
	if ev := b.waitEvent(KindMessage); ev.Text != "hello" {
		t.Fatalf("event = %+v", ev)
	}
	a.send(msg("k2", "NOPREP please"))
	if e := a.waitType("error"); e.Code != "not_prepared" || e.Key != "k2" {
		t.Fatalf("refusal = %+v", e)
	}
	a.send(msg("k3", "again"))
	if ack := a.waitType("ack"); ack.Seq != 2 {
		t.Fatalf("ack = %+v", ack)
	}
	store.mu.Lock()
	defer store.mu.Unlock()
	if store.prepared != 2 || store.unprepared != 0 || store.count(7) != 2 {
		t.Fatalf("prepared %d, appended unprepared %d, stored %d", store.prepared, store.unprepared, store.count(7))
	}
}

// TestPrepareIsBoundedWithoutAContextPerMessage: each Prepare has at least
// 14 of the 15 seconds the bound allows, and a member's messages within a
// second share one context (one made per message was 2 % of the server's
// CPU under load); a message after that gets a fresh one.
func TestPrepareIsBoundedWithoutAContextPerMessage(t *testing.T) {
	store := &prepStore{memStore: newMemStore()}
	h := NewHub(HubConfig{Store: store, PollEvery: -1, MessageBurst: 10})
	t.Cleanup(h.Close)
	a := h.connect(t, info7, ann, 0)
	send := func(key string) {
		t.Helper()
		a.send(msg(key, "hello "+key))
		if ack := a.waitType("ack"); ack.Key != key {
			t.Fatalf("ack = %+v", ack)
		}
	}
	send("k1")
	send("k2")
	time.Sleep(1100 * time.Millisecond)
	send("k3")
	store.mu.Lock()
	defer store.mu.Unlock()
	if len(store.ctxs) != 3 {
		t.Fatalf("%d prepares", len(store.ctxs))
	}
	for i, left := range store.left {
		if left < 14*time.Second || left > prepareTimeout {
			t.Fatalf("prepare %d had %v", i+1, left)
		}
	}
	if store.ctxs[0] != store.ctxs[1] {
		t.Fatal("two messages within a second were prepared under two contexts")
	}
	if store.ctxs[2] == store.ctxs[1] {
		t.Fatal("a message after more than a second was prepared under the old context")
	}
	if store.ctxs[1].Err() == nil {
		t.Fatal("the replaced context was not ended")
	}
}
