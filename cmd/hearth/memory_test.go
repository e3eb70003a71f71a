package main

import (
	"context"
	"log/slog"
	"runtime"
	"runtime/debug"
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
	go returnMemory(ctx, slog.New(slog.DiscardHandler), 50*time.Millisecond, minFree, false)
	deadline := time.Now().Add(10 * time.Second)
	for free() >= minFree {
		if time.Now().After(deadline) {
			t.Fatalf("still %d bytes free and held after 10 s", free())
		}
		time.Sleep(20 * time.Millisecond)
	}
	_ = burst
}

// While garbage comes fast the collector's target is raised, and it goes
// back once the process is quiet; with adaptGC false (GOGC set) it is
// never touched.
func TestBusyProcessCollectsLess(t *testing.T) {
	gogc := func() uint64 {
		s := []metrics.Sample{{Name: "/gc/gogc:percent"}}
		metrics.Read(s)
		return s[0].Value.Uint64()
	}
	was := debug.SetGCPercent(normalGCPercent)
	t.Cleanup(func() { debug.SetGCPercent(was) })
	waitFor := func(want uint64, what string) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for gogc() != want {
			if time.Now().After(deadline) {
				t.Fatalf("%s: GC percent %d, want %d", what, gogc(), want)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	churn := func(ctx context.Context) {
		var keep [][]byte
		for ctx.Err() == nil {
			keep = append(keep, make([]byte, 64<<10))
			if len(keep) > 64 {
				keep = keep[:0]
				runtime.GC()
			}
		}
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go returnMemory(ctx, slog.New(slog.DiscardHandler), 100*time.Millisecond, 1<<30, true)
	busy, stop := context.WithCancel(ctx)
	go churn(busy)
	waitFor(busyGCPercent, "while collecting many times a period")
	stop()
	waitFor(normalGCPercent, "once quiet")

	fixed, cancelFixed := context.WithCancel(context.Background())
	defer cancelFixed()
	cancel()
	go returnMemory(fixed, slog.New(slog.DiscardHandler), 100*time.Millisecond, 1<<30, false)
	busy2, stop2 := context.WithCancel(fixed)
	go churn(busy2)
	time.Sleep(500 * time.Millisecond)
	stop2()
	if got := gogc(); got != normalGCPercent {
		t.Fatalf("with GOGC set the target moved to %d", got)
	}
}
