package room

import (
	"context"
	"strings"
	"sync"
	"testing"

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
}

func (s *prepStore) Prepare(ctx context.Context, p Pending) (Pending, error) {
	if strings.Contains(p.Event.Text, "NOPREP") {
		return p, hearth.Coded(hearth.Invalid, "not_prepared", "Refused before the batch.")
	}
	s.mu.Lock()
	s.prepared++
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
