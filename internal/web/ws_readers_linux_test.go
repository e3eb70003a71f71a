//go:build linux

package web

import (
	"runtime"
	"sync"
	"testing"
	"time"
)

// The poller's callbacks run on readers that are kept between callbacks:
// a callback never waits for another one still running, every callback
// runs, and a quiet server keeps no reader.
func TestReadersRunEveryCallbackAndExitWhenQuiet(t *testing.T) {
	before := runtime.NumGoroutine()
	r := readers{work: make(chan func()), idle: 500 * time.Millisecond}

	// One callback blocks; the next must still run at once.
	release := make(chan struct{})
	blocked := make(chan struct{})
	r.run(func() { close(blocked); <-release })
	<-blocked
	ran := make(chan struct{})
	r.run(func() { close(ran) })
	select {
	case <-ran:
	case <-time.After(5 * time.Second):
		t.Fatal("a callback waited for another one still running")
	}
	close(release)

	// Many callbacks, some at once: all run, each once.
	var mu sync.Mutex
	seen := map[int]int{}
	var wg sync.WaitGroup
	for i := range 1000 {
		wg.Add(1)
		r.run(func() {
			defer wg.Done()
			mu.Lock()
			seen[i]++
			mu.Unlock()
		})
	}
	wg.Wait()
	for i := range 1000 {
		if seen[i] != 1 {
			t.Fatalf("callback %d ran %d times", i, seen[i])
		}
	}

	// Readers are kept for a while (sequential callbacks reuse them)…
	peak := runtime.NumGoroutine()
	for range 100 {
		done := make(chan struct{})
		r.run(func() { close(done) })
		<-done
	}
	if n := runtime.NumGoroutine(); n > peak {
		t.Fatalf("sequential callbacks started new readers: %d goroutines, %d before", n, peak)
	}
	if n := runtime.NumGoroutine(); n <= before {
		t.Fatalf("no reader was kept after its callback (%d goroutines, %d before): each callback paid for a new goroutine's stack", n, before)
	}
	// …then exit once there is nothing to read.
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before {
		if time.Now().After(deadline) {
			t.Fatalf("%d goroutines a while after the last callback, %d before", runtime.NumGoroutine(), before)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
