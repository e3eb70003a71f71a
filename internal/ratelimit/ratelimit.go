// Package ratelimit counts attempts per key in a sliding window, in memory.
// It guards sign-in, sign-up and other abuse-prone actions of one process.
package ratelimit

import (
	"sync"
	"time"
)

// Limiter allows at most Max events per key in any Window.
type Limiter struct {
	max    int
	window time.Duration
	now    func() time.Time

	mu      sync.Mutex
	events  map[string][]time.Time
	sweptAt time.Time
}

// New returns a limiter; now may be nil for time.Now.
func New(max int, window time.Duration, now func() time.Time) *Limiter {
	if now == nil {
		now = time.Now
	}
	return &Limiter{max: max, window: window, now: now, events: map[string][]time.Time{}}
}

// Allow reports whether one more event for key is within the limit, and if
// so records it. When not, it says how long until the next is allowed.
func (l *Limiter) Allow(key string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	l.sweep(now)
	ev := l.recent(key, now)
	if len(ev) >= l.max {
		return false, ev[0].Add(l.window).Sub(now)
	}
	l.events[key] = append(ev, now)
	return true, 0
}

// Blocked reports whether key is at its limit, without recording anything.
func (l *Limiter) Blocked(key string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	ev := l.recent(key, now)
	if len(ev) >= l.max {
		return true, ev[0].Add(l.window).Sub(now)
	}
	return false, 0
}

// Add records an event for key regardless of the limit.
func (l *Limiter) Add(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	l.events[key] = append(l.recent(key, now), now)
}

// Reset forgets key (after a successful sign-in, say).
func (l *Limiter) Reset(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.events, key)
}

func (l *Limiter) recent(key string, now time.Time) []time.Time {
	ev := l.events[key]
	cut := 0
	for cut < len(ev) && now.Sub(ev[cut]) >= l.window {
		cut++
	}
	if cut == len(ev) {
		delete(l.events, key)
		return nil
	}
	return ev[cut:]
}

// sweep drops stale keys once per window so memory stays bounded.
func (l *Limiter) sweep(now time.Time) {
	if now.Sub(l.sweptAt) < l.window {
		return
	}
	l.sweptAt = now
	for k := range l.events {
		l.recent(k, now)
	}
}
