package main

import (
	"context"
	"log/slog"
	"runtime/debug"
	"runtime/metrics"
	"time"
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
func returnMemory(ctx context.Context, log *slog.Logger, period time.Duration, minFree uint64) {
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
	tick := time.NewTicker(period)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		cycles, spare, _ := read()
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
