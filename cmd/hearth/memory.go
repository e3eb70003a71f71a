package main

import (
	"context"
	"log/slog"
	"runtime/debug"
	"runtime/metrics"
	"time"
)

// While the process allocates hard — busyCycles or more collections in a
// period, as when live rooms carry tens of thousands of messages a second
// — returnMemory (with adaptGC) sets the collector's target to
// busyGCPercent: a collection when the heap has grown by twice what the
// last one found live, not once. The live heap is small and nearly all of
// what a busy server allocates is garbage within a batch, so collecting
// half as often saved about a tenth of its CPU per delivery there (4–11 %
// more room deliveries a second at saturation, two interleaved pairs). It goes back to normalGCPercent once a period
// has fewer than quietCycles. Only while busy: at 200 all the time, the
// burst of members entering rooms left 11.0–11.6 KiB per idle connection
// instead of 9.1–9.2. A GOGC the operator set is left alone (adaptGC
// false).
const (
	busyCycles      = 5
	quietCycles     = 2
	busyGCPercent   = 200
	normalGCPercent = 100
)

// returnMemory gives memory the Go heap no longer uses back to the
// operating system once the process has gone quiet after a burst — many
// members entering rooms at the start of meetings leave megabytes of
// garbage (HTTP buffers, look-ups) that the runtime would otherwise keep,
// since a quiet process runs no collection to free it. Every period it
// looks at the runtime's figures: when no collection ran in the last
// period (little is being allocated) and more than minFree bytes of heap
// are either free but still held or garbage nobody collected yet (heap
// objects beyond what the last collection found live), it collects and
// returns what is free (debug.FreeOSMemory). A busy process is never
// interrupted; a quiet one pays one collection of its small live heap,
// once per quiet spell.
func returnMemory(ctx context.Context, log *slog.Logger, period time.Duration, minFree uint64, adaptGC bool) {
	samples := []metrics.Sample{
		{Name: "/gc/cycles/total:gc-cycles"},
		{Name: "/memory/classes/heap/free:bytes"},
		{Name: "/memory/classes/heap/objects:bytes"},
		{Name: "/gc/heap/live:bytes"},
	}
	read := func() (cycles, spare uint64, ok bool) {
		metrics.Read(samples)
		for _, s := range samples {
			if s.Value.Kind() != metrics.KindUint64 {
				return 0, 0, false // a runtime without these figures
			}
		}
		cycles, free, objects, live := samples[0].Value.Uint64(), samples[1].Value.Uint64(), samples[2].Value.Uint64(), samples[3].Value.Uint64()
		spare = free
		if objects > live {
			spare += objects - live
		}
		return cycles, spare, true
	}
	lastCycles, _, ok := read()
	if !ok {
		return
	}
	busy := false
	defer func() {
		if busy {
			debug.SetGCPercent(normalGCPercent)
		}
	}()
	tick := time.NewTicker(period)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		cycles, spare, _ := read()
		if adaptGC {
			n := cycles - lastCycles
			switch {
			case !busy && n >= busyCycles:
				busy = true
				debug.SetGCPercent(busyGCPercent)
				log.Debug("collecting less while busy", "collections", n, "gc_percent", busyGCPercent)
			case busy && n < quietCycles:
				busy = false
				debug.SetGCPercent(normalGCPercent)
				log.Debug("collecting as usual again", "collections", n, "gc_percent", normalGCPercent)
			}
		}
		if cycles != lastCycles {
			lastCycles = cycles
			continue // collecting on its own: not quiet
		}
		if spare < minFree {
			continue
		}
		debug.FreeOSMemory()
		lastCycles, _, _ = read()
		log.Debug("returned free memory to the system", "free_or_garbage", spare)
	}
}
