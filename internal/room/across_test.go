package room

import (
	"sync"
	"testing"
	"time"
)

// quietHubs are two hubs on one store joined by a pairBell whose periodic
// presence comes only once an hour: anything seen across sooner comes from
// the announcements made at once. The first tick (which announces and
// polls whatever is held) is let pass before the test goes on.
func quietHubs(t *testing.T, store *memStore) (h1, h2 *Hub) {
	t.Helper()
	for i, name := range []string{"one", "two"} {
		h := newTestHub(t, store, func(c *HubConfig) {
			c.Process = name
			c.PresenceEvery = time.Hour
			c.PollEvery = time.Hour
			c.Bell = &pairBell{self: name, other: func() *Hub {
				if i == 0 {
					return h2
				}
				return h1
			}}
		})
		if i == 0 {
			h1 = h
		} else {
			h2 = h
		}
	}
	time.Sleep(1200 * time.Millisecond)
	return h1, h2
}

func presenceIDs(ms []WireMember) map[int64]bool {
	out := map[int64]bool{}
	for _, m := range ms {
		out[m.ID] = true
	}
	return out
}

// A member entering a room on a process that did not hold it sees at once
// who is already there on another process, not after its next round of
// announcements (10 s by default).
func TestAProcessNewToARoomLearnsAtOnceWhoIsThere(t *testing.T) {
	store := newMemStore()
	h1, h2 := quietHubs(t, store)
	a := h1.connect(t, info7, ann, 0)
	f := h1.connect(t, info7, fac, 0)
	b := h2.connect(t, info7, ben, 0)
	for {
		p := b.waitType("presence")
		if got := presenceIDs(p.Members); len(got) == 3 && got[ann.ID] && got[fac.ID] && got[ben.ID] {
			break
		}
	}
	for _, c := range []*tclient{a, f} {
		for !presenceIDs(c.waitType("presence").Members)[ben.ID] {
		}
	}
	// A member who enters on h2 later is announced at once too (h2's
	// presence changed), and h1 shows them.
	h2.connect(t, info7, cara, 0)
	for !presenceIDs(a.waitType("presence").Members)[cara.ID] {
	}
}

// countBell counts presence announcements per room.
type countBell struct {
	LocalBell
	mu       sync.Mutex
	presence map[int64]int
	last     map[int64][]Member
}

func (b *countBell) Presence(room int64, ms []Member) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.presence[room]++
	b.last[room] = ms
}

func (b *countBell) announced(room int64) (int, []Member) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.presence[room], b.last[room]
}

// After the bus reconnects, what may have been missed is read at once and
// this process's presence announced again.
func TestReconnectedReadsHeldRoomsAndAnnouncesAtOnce(t *testing.T) {
	store := newMemStore()
	bell := &countBell{presence: map[int64]int{}, last: map[int64][]Member{}}
	h := newTestHub(t, store, func(c *HubConfig) {
		c.Bell = bell
		c.PresenceEvery = time.Hour
		c.PollEvery = time.Hour
	})
	time.Sleep(1200 * time.Millisecond) // the first tick (poll, announce) is past
	a := h.connect(t, info7, ann, 0)
	// Written by another process while the bus was down: no ring came.
	store.appendDirect(7, ben, Event{Kind: KindMessage, Text: "while you were cut off", Key: "e1"})
	before, _ := bell.announced(7)
	var _ Listener = h
	var _ interface{ Reconnected() } = h
	h.Reconnected()
	if got := a.waitEvent(KindMessage); got.Seq != 1 || got.Text != "while you were cut off" {
		t.Fatalf("after reconnecting: %+v", got)
	}
	n, last := bell.announced(7)
	if n != before+1 || len(last) != 1 || last[0].ID != ann.ID || last[0].UserID != 0 {
		t.Fatalf("announced %d times (was %d), last %+v", n, before, last)
	}
}
