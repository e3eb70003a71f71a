package ratelimit

import (
	"testing"
	"time"
)

func TestLimiter(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	l := New(3, time.Minute, func() time.Time { return now })
	t.Run("allows up to the limit within the window", func(t *testing.T) {
		for i := range 3 {
			if ok, _ := l.Allow("a"); !ok {
				t.Fatalf("attempt %d refused", i+1)
			}
		}
		ok, wait := l.Allow("a")
		if ok || wait <= 0 || wait > time.Minute {
			t.Fatalf("fourth attempt: ok=%v wait=%v", ok, wait)
		}
	})
	t.Run("other keys are counted apart", func(t *testing.T) {
		if ok, _ := l.Allow("b"); !ok {
			t.Fatal("b refused")
		}
	})
	t.Run("the window slides", func(t *testing.T) {
		now = now.Add(61 * time.Second)
		if ok, _ := l.Allow("a"); !ok {
			t.Fatal("a still refused after the window")
		}
	})
	t.Run("reset forgets a key", func(t *testing.T) {
		l.Add("c")
		l.Add("c")
		l.Add("c")
		if blocked, _ := l.Blocked("c"); !blocked {
			t.Fatal("c not blocked")
		}
		l.Reset("c")
		if blocked, _ := l.Blocked("c"); blocked {
			t.Fatal("c still blocked")
		}
	})
}
