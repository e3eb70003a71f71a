//go:build !race

package room

import (
	"context"
	"fmt"
	"runtime"
	"sync/atomic"
	"testing"
	"time"
)

// TestIdleConnectionMemory measures what the hub itself holds for an idle
// connection (the Serve goroutine blocked in Read, the client record, its
// share of the room), without the WebSocket library's part.
func TestIdleConnectionMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("measures memory")
	}
	const n = 2000
	store := newMemStore()
	h := NewHub(HubConfig{Store: store, PollEvery: -1})
	defer h.Close()
	var frames, writes atomic.Int64
	conns := make([]*countConn, n)
	for i := range conns {
		conns[i] = &countConn{in: make(chan []byte), done: make(chan struct{}), frames: &frames, writes: &writes}
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&before)
	for i, c := range conns {
		m := Member{ID: int64(i + 1), UserID: int64(i + 1), Pseudonym: fmt.Sprint("Member", i)}
		go h.Serve(context.Background(), c, RoomInfo{ID: int64(i/10 + 1), Group: 1}, m, 0)
	}
	for frames.Load() < n {
		time.Sleep(time.Millisecond)
	}
	measure := func(when string) float64 {
		time.Sleep(200 * time.Millisecond)
		for range 4 { // each collection may halve an idle goroutine's stack
			runtime.GC()
		}
		runtime.ReadMemStats(&after)
		heap := float64(after.HeapAlloc-before.HeapAlloc) / n
		stack := float64(after.StackInuse-before.StackInuse) / n
		t.Logf("hub per idle connection %s: heap %.0f B, stack %.0f B, total %.2f KiB (the test's channel-based Conn included)", when, heap, stack, (heap+stack)/1024)
		return (heap + stack) / 1024
	}
	if kib := measure("after the welcome"); kib > 6 {
		t.Errorf("the hub holds %.1f KiB per idle connection; budget is 6 of the 12 KiB", kib)
	}
	// An idle client still pings (every 25 s): acting on a frame must not
	// leave the reader's stack grown for as long as the member stays. (The
	// channel Conn here blocks shallowly, so Go shrinks a grown stack back;
	// over the network, web's Conn waits without a goroutine at all: see
	// bench/rooms, IDLE_ONLY=1.)
	ping := []byte(`{"type":"ping"}`)
	for _, c := range conns {
		c.in <- ping
	}
	for frames.Load() < 2*n { // every pong
		time.Sleep(time.Millisecond)
	}
	if kib := measure("after a ping"); kib > 6 {
		t.Errorf("the hub holds %.1f KiB per idle connection after a ping; budget is 6 of the 12 KiB", kib)
	}
}
