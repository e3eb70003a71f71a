package main

import (
	"context"
	"log/slog"
	"runtime"
	"runtime/metrics"
	"testing"
	"time"
)

// After a burst of garbage, a quiet process gives the freed heap back to
// the system: the heap's free-but-held bytes fall under the threshold.
func TestQuietProcessReturnsFreedMemory(t *testing.T) {
	free := func() uint64 {
		s := []metrics.Sample{{Name: "/memory/classes/heap/free:bytes"}}
		metrics.Read(s)
		return s[0].Value.Uint64()
	}
	// A burst: 64 MiB in small pieces, then nothing refers to them.
	burst := make([][]byte, 0, 16384)
	for range 16384 {
		burst = append(burst, make([]byte, 4096))
	}
	burst = nil
	runtime.GC() // the burst is now free heap the runtime still holds
	const minFree = 4 << 20
	if f := free(); f < minFree {
		t.Skipf("the runtime already returned the burst (%d bytes free)", f)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go returnMemory(ctx, slog.New(slog.DiscardHandler), 50*time.Millisecond, minFree)
	deadline := time.Now().Add(10 * time.Second)
	for free() >= minFree {
		if time.Now().After(deadline) {
			t.Fatalf("still %d bytes free and held after 10 s", free())
		}
		time.Sleep(20 * time.Millisecond)
	}
	_ = burst
}
