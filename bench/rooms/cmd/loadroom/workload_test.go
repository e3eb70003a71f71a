package main

import (
	"testing"
	"time"
)

func TestMessageTextRoundTrip(t *testing.T) {
	at := time.Unix(1796056260, 123456789)
	s := messageText(3, 'm', 1999, 42, at)
	p, ok := parseText(s)
	if !ok || p.step != 3 || p.phase != 'm' || p.sender != 1999 || p.n != 42 || p.sent != at.UnixNano() {
		t.Fatalf("parseText(%q) = %+v, %v", s, p, ok)
	}
	if len(s) < 100 || len(s) > 160 {
		t.Errorf("message is %d bytes, want chat-sized (100-160)", len(s))
	}
	for _, bad := range []string{"", "lr1", "lr1 3 m 1 2", "lr1 x m 1 2 3 f", "hello there"} {
		if _, ok := parseText(bad); ok {
			t.Errorf("parseText(%q) accepted", bad)
		}
	}
}

// A receiver counts each measured message once, in order, and tells
// duplicates, out-of-order messages and messages from other rooms apart.
func TestDeliverCounts(t *testing.T) {
	p := Plan{Clients: 20, Rooms: 2, Size: 10}
	h := newHarness(nil, p)
	c := h.clients[12] // room 1: senders 10..19
	now := time.Now()
	c.deliver(h, messageText(1, 'm', 11, 0, now))
	c.deliver(h, messageText(1, 'm', 11, 2, now))
	c.deliver(h, messageText(1, 'm', 11, 1, now)) // out of order
	c.deliver(h, messageText(1, 'm', 11, 2, now)) // duplicate
	c.deliver(h, messageText(1, 'w', 12, 0, now)) // warm-up: not measured
	c.deliver(h, messageText(1, 'm', 3, 0, now))  // another room
	c.deliver(h, "not ours")
	st := c.steps[1]
	if st.unique != 3 || st.ooo != 1 || st.dup != 1 || len(st.lat) != 3 {
		t.Errorf("step stats %+v", st)
	}
	if h.foreign.Load() != 1 || h.malformed.Load() != 1 || h.deliveries.Load() != 7 {
		t.Errorf("foreign %d malformed %d deliveries %d", h.foreign.Load(), h.malformed.Load(), h.deliveries.Load())
	}
}
