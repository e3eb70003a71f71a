package room

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// countConn is a Conn that counts what it is sent and keeps nothing.
type countConn struct {
	in     chan []byte
	done   chan struct{}
	once   sync.Once
	frames *atomic.Int64
	writes *atomic.Int64
}

func (c *countConn) Read(ctx context.Context) ([]byte, error) {
	select {
	case b := <-c.in:
		return b, nil
	case <-c.done:
		return nil, errClosed
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (c *countConn) Write(ctx context.Context, frames [][]byte) error {
	c.frames.Add(int64(len(frames)))
	c.writes.Add(1)
	return nil
}

func (c *countConn) Close(code int, reason string) { c.once.Do(func() { close(c.done) }) }

// tryCountConn is a countConn that can write without waiting (TryWriter),
// as the WebSocket adapter can: the hub then writes on the goroutine that
// queues, without starting a writer.
type tryCountConn struct{ *countConn }

func (c tryCountConn) TryWrite(frames [][]byte) (bool, error) {
	return false, c.Write(context.Background(), frames)
}

// BenchmarkHubFanout: 200 rooms of 10 members; every op is one message
// sent, stored (in memory, group commit) and delivered to the room's 10
// members. Reported: deliveries per second, network writes per delivery
// (batching), Store.Append calls per message (group commit).
func BenchmarkHubFanout(b *testing.B) {
	for _, try := range []bool{false, true} {
		name := "writer goroutines"
		if try {
			name = "writes without waiting"
		}
		b.Run(name, func(b *testing.B) {
			b.Run("store in memory", func(b *testing.B) { benchFanout(b, 0, try) })
			// A commit that takes 2 ms, like a disk's fsync: group commit
			// keeps the rate up (one Append per batch, not per message).
			b.Run("store taking 2ms a commit", func(b *testing.B) { benchFanout(b, 2*time.Millisecond, try) })
		})
	}
}

func benchFanout(b *testing.B, delay time.Duration, try bool) {
	const rooms, per = 200, 10
	store := newMemStore()
	store.delay = delay
	h := NewHub(HubConfig{Store: store, PollEvery: -1, MessageBurst: 1 << 30, FramesPerSec: 1 << 30, FrameBurst: 1 << 30})
	defer h.Close()
	var frames, writes atomic.Int64
	senders := make([]*countConn, 0, rooms)
	var served sync.WaitGroup
	for r := range rooms {
		for i := range per {
			c := &countConn{in: make(chan []byte, 1024), done: make(chan struct{}), frames: &frames, writes: &writes}
			m := Member{ID: int64(r*per + i + 1), UserID: int64(r*per + i + 1), Pseudonym: fmt.Sprint("M", r, "-", i)}
			var conn Conn = c
			if try {
				conn = tryCountConn{c}
			}
			served.Add(1)
			go func() {
				defer served.Done()
				_ = h.Serve(context.Background(), conn, RoomInfo{ID: int64(r + 1), Group: int64(r + 1)}, m, 0)
			}()
			if i == 0 {
				senders = append(senders, c)
			}
		}
	}
	for frames.Load() < rooms*per { // every welcome
		time.Sleep(time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond) // presence frames settle
	msgs := make([][]byte, b.N)
	for i := range msgs {
		msgs[i], _ = json.Marshal(map[string]any{"type": "send", "key": fmt.Sprint("k", i), "text": "a message of an ordinary length, about sixty characters"})
	}
	startFrames, startWrites := frames.Load(), writes.Load()
	startAppends := store.appends
	b.ResetTimer()
	start, cpu0 := time.Now(), processCPU()
	for i := range b.N {
		senders[i%rooms].in <- msgs[i]
	}
	want := startFrames + int64(b.N)*(per+1) // events to all + an ack
	for frames.Load() < want {
		time.Sleep(100 * time.Microsecond)
	}
	elapsed, cpu := time.Since(start), processCPU()-cpu0
	b.StopTimer()
	deliveries := float64(b.N * per)
	b.ReportMetric(deliveries/elapsed.Seconds(), "deliveries/s")
	if cpu > 0 {
		b.ReportMetric(float64(cpu.Nanoseconds())/1e3/deliveries, "cpu-µs/delivery")
	}
	b.ReportMetric(float64(writes.Load()-startWrites)/deliveries, "writes/delivery")
	store.mu.Lock()
	b.ReportMetric(float64(store.appends-startAppends)/float64(b.N), "appends/msg")
	store.mu.Unlock()
	h.Close()
	served.Wait()
}

// BenchmarkDecodeSend reads the frame a member sends for each message.
func BenchmarkDecodeSend(b *testing.B) {
	data := []byte(`{"type":"send","key":"1234-17","text":"lr1 5 m 1234 17 1764541234567890123 thanks everyone for listening tonight, this week was easier than the last one"}`)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decode(data); err != nil {
			b.Fatal(err)
		}
	}
}
