package e2e

import (
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/hearth-org/hearth/internal/roombus/natstest"
)

// TestRoomSurvivesNATSRestart: the NATS server between two hearth
// processes goes away in the middle of a meeting. Messages written
// meanwhile still reach everyone, in one order — the database is the truth
// and each hub polls it for the rooms it holds, even when only the other
// side writes — and once NATS is back the processes reconnect by
// themselves and delivery is rung again.
func TestRoomSurvivesNATSRestart(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts two servers: skipped in -short mode")
	}
	nats := natstest.New(t)
	c := startCluster(t, nats.URL())
	clock := &sentAt{at: map[string]time.Time{}}
	a := connectRoom(t, clock, "A", c.p1, c.wsPath, c.tokA, 0)
	b := connectRoom(t, clock, "B", c.p2, c.wsPath, c.tokB, 0)
	a.waitPresent(t, "Birch")
	b.waitPresent(t, "Alder")

	both := func(first, n int) {
		var wg sync.WaitGroup
		for _, c := range []*roomClient{a, b} {
			wg.Add(1)
			go func() { defer wg.Done(); c.sendMany(t, c.name, first, n) }()
		}
		wg.Wait()
	}
	both(1, 10)
	a.waitMessages(t, 20)
	b.waitMessages(t, 20)

	nats.Stop()
	down := time.Now()
	// Only B writes: nothing A's process commits fills the gap, so A's
	// hub finds them by polling the database.
	b.sendMany(t, "B", 101, 10)
	a.waitMessages(t, 30)
	t.Logf("with NATS down, B's 10 messages reached A by polling the database within %v", time.Since(down).Round(time.Millisecond))
	b.waitMessages(t, 30)
	both(11, 20)
	a.waitMessages(t, 70)
	b.waitMessages(t, 70)

	nats.Start()
	// Give the clients' reconnection (0.5 s wait plus jitter) a moment.
	time.Sleep(3 * time.Second)
	fromA, fromB := len(a.crossLatency()), len(b.crossLatency())
	both(31, 20)
	a.waitMessages(t, 110)
	b.waitMessages(t, 110)
	checkSameHistory(t, a, b, 110, map[string]int{"A": 50, "B": 60})
	after := slices.Sorted(slices.Values(slices.Concat(a.crossLatency()[fromA:], b.crossLatency()[fromB:])))
	t.Logf("after NATS came back, %d messages across processes: p50 %v, max %v", len(after), after[len(after)/2], after[len(after)-1])
	if after[len(after)/2] > time.Second {
		t.Errorf("after NATS came back, the median delivery across processes took %v: the bell is not ringing again", after[len(after)/2])
	}
}
