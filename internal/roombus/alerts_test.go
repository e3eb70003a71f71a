package roombus

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/hearth-org/hearth/internal/roombus/natstest"
)

// alertRecorder is a recorder that also takes alerts (room.AlertListener).
type alertRecorder struct {
	*recorder
	amu    sync.Mutex
	alerts [][2]int64
}

func (r *alertRecorder) Alerted(roomID, member int64) {
	r.amu.Lock()
	r.alerts = append(r.alerts, [2]int64{roomID, member})
	r.amu.Unlock()
	r.poke()
}

func (r *alertRecorder) got() [][2]int64 {
	r.amu.Lock()
	defer r.amu.Unlock()
	return append([][2]int64(nil), r.alerts...)
}

func TestAlertWire(t *testing.T) {
	p, m, err := decodeAlert(encodeAlert("proc", 1<<40))
	if err != nil || p != "proc" || m != 1<<40 {
		t.Fatalf("alert: %q %d %v", p, m, err)
	}
	good := encodeAlert("p", 5)
	for name, b := range map[string][]byte{
		"empty":     nil,
		"version":   append([]byte{2}, good[1:]...),
		"truncated": good[:len(good)-1],
		"trailing":  append(append([]byte{}, good...), 0),
		"member 0":  encodeAlert("p", 0),
	} {
		if _, _, err := decodeAlert(b); err == nil {
			t.Errorf("%s: decoded", name)
		}
	}
}

// An alert rung by one process reaches the other's listener with the room
// and the member, nothing else; its own process does not hear it; a
// malformed one is counted and dropped; a listener that takes no alerts
// is not bothered.
func TestTwoBellsExchangeAlerts(t *testing.T) {
	url := natstest.URL(t)
	prefix := uniquePrefix(t)
	a, b := newBell(t, url, prefix), newBell(t, url, prefix)
	l := &alertRecorder{recorder: newRecorder()}
	listenAlerts(t, b, a, l)
	b.Alert(7, 3) // its own: ignored
	raw, err := nats.Connect(url)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for _, m := range []struct{ subject, data string }{
		{prefix + "alert.x", string(encodeAlert("p", 1))},
		{prefix + "alert.7", "\x01\x01p\x00"},
	} {
		if err := raw.Publish(m.subject, []byte(m.data)); err != nil {
			t.Fatal(err)
		}
	}
	_ = raw.Flush()
	a.Alert(0, 3) // not a room: not sent
	a.Alert(7, 12)
	l.waitFor(t, "the alert", func() bool { return len(l.got()) > 0 })
	if got := l.got(); len(got) != 1 || got[0] != [2]int64{7, 12} {
		t.Fatalf("alerts %v", got)
	}
	if got := b.Stats().Malformed; got != 2 {
		t.Errorf("malformed = %d, want 2", got)
	}
}

// listenAlerts is listen for an alertRecorder: b.Listen hands it all,
// and the warm-up ring reaches its recorder.
func listenAlerts(t *testing.T, b, other *Bell, l *alertRecorder) {
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

// FuzzDecodeAlert: no payload makes the alert decoder panic, and what
// decodes encodes back to the same bytes.
func FuzzDecodeAlert(f *testing.F) {
	f.Add(encodeAlert("abc", 7))
	f.Add(encodeAlert("0123456789abcdef", 1<<62))
	f.Add([]byte{1, 0, 0})
	f.Add([]byte{1, 1, 'p', 0x80, 0x00})
	f.Fuzz(func(t *testing.T, b []byte) {
		if p, m, err := decodeAlert(b); err == nil {
			if m <= 0 {
				t.Errorf("member %d decoded", m)
			}
			if got := encodeAlert(p, m); string(got) != string(b) {
				t.Errorf("alert re-encodes to %x, was %x", got, b)
			}
		}
	})
}
