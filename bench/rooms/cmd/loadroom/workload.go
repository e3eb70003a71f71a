package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Plan is the workload's shape: Clients members, Rooms rooms, member i in
// room i/Size.
type Plan struct {
	Clients, Rooms, Size int
}

// Room is member i's room.
func (p Plan) Room(i int) int { return i / p.Size }

// Target is one system under test. Setup starts it (the harness owns the
// server process) and makes the accounts and rooms; Dial connects member i
// and returns once the member receives its room's live messages, calling
// deliver (from one goroutine per connection) with each message's text as
// it arrives.
type Target interface {
	Name() string
	Setup(ctx context.Context, p Plan) error
	PID() int
	Dial(ctx context.Context, i int, deliver func(text string)) (Conn, error)
	// Counters are the target's own counts (acks, refusals…), for the report.
	Counters() map[string]int64
	Close() error
}

// Refuser is a target that can tell, after Send returned, that the server
// refused a message (Hearth answers a send with an error frame carrying
// its key, e.g. when a member is over the message limit): the harness then
// expects no delivery of it and counts it as refused, not lost.
type Refuser interface {
	OnRefused(func(id string))
}

// Acker is a target that counts the sends its server acknowledged: Hearth
// once the message is durably stored (ack frame), Dendrite once the event
// is persisted (the PUT's answer), the centrifuge peer once published (the
// reply; nothing is stored on disk there).
type Acker interface {
	Acknowledged() int64
}

// Conn is one member's connection. Send sends a message with a unique id
// (an idempotency key where the target takes one) and returns once it is
// written (or, for request/response targets, answered).
type Conn interface {
	Send(ctx context.Context, id, text string) error
	Close()
}

// The text of every message: "lr1 STEP PHASE SENDER N UNIXNANO filler".
// Receivers read the step, the phase (w: warm-up, m: measured), who sent
// it and its number, and the send time; the filler makes it a chat-sized
// message (about 120 bytes) that reads as ordinary support-group talk.
const filler = "thanks everyone for listening tonight, this week was easier than the last one"

func messageText(step int, phase byte, sender, n int, at time.Time) string {
	b := make([]byte, 0, 160)
	b = append(b, "lr1 "...)
	b = strconv.AppendInt(b, int64(step), 10)
	b = append(b, ' ', phase, ' ')
	b = strconv.AppendInt(b, int64(sender), 10)
	b = append(b, ' ')
	b = strconv.AppendInt(b, int64(n), 10)
	b = append(b, ' ')
	b = strconv.AppendInt(b, at.UnixNano(), 10)
	b = append(b, ' ')
	b = append(b, filler...)
	return string(b)
}

type parsed struct {
	step, sender, n int
	phase           byte
	sent            int64
}

// parseText reads a message text without allocating.
func parseText(s string) (parsed, bool) {
	var p parsed
	if len(s) < 4 || s[:4] != "lr1 " {
		return p, false
	}
	s = s[4:]
	next := func() (int64, bool) {
		var v int64
		i := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			v = v*10 + int64(s[i]-'0')
			i++
		}
		if i == 0 || i >= len(s) || s[i] != ' ' {
			return 0, false
		}
		s = s[i+1:]
		return v, true
	}
	step, ok := next()
	if !ok || len(s) < 2 {
		return p, false
	}
	p.step = int(step)
	p.phase = s[0]
	s = s[2:]
	sender, ok1 := next()
	n, ok2 := next()
	at, ok3 := next()
	if !ok1 || !ok2 || !ok3 {
		return p, false
	}
	p.sender, p.n, p.sent = int(sender), int(n), at
	return p, true
}

// recvStep is what one receiver saw of one step's measured messages.
type recvStep struct {
	lat       []int64 // send-to-deliver, nanoseconds
	unique    int64
	dup, ooo  int64
	malformed int64
}

// client is one simulated member.
type client struct {
	idx, room int
	plan      Plan
	conn      Conn
	send      chan sendReq

	nextN  int     // sender side, touched by the sender goroutine only
	sentAs []int32 // per message number: step*2 + 1 when measured (under mu)

	mu    sync.Mutex
	seen  [][]uint64 // per sender in the room: bit n set when message n arrived
	last  []int      // per sender in the room: highest n seen
	steps map[int]*recvStep
}

type sendReq struct {
	step  int
	phase byte
}

func newClient(i int, p Plan) *client {
	c := &client{idx: i, room: p.Room(i), plan: p, send: make(chan sendReq, 4), steps: map[int]*recvStep{}}
	c.seen = make([][]uint64, p.Size)
	c.last = make([]int, p.Size)
	for j := range c.last {
		c.last[j] = -1
	}
	return c
}

// deliver is called by the target's connection for every message it gets.
func (c *client) deliver(h *harness, text string) {
	now := time.Now().UnixNano()
	h.deliveries.Add(1)
	p, ok := parseText(text)
	c.mu.Lock()
	defer c.mu.Unlock()
	if !ok {
		h.malformed.Add(1)
		return
	}
	j := p.sender - c.room*c.plan.Size
	if j < 0 || j >= c.plan.Size {
		h.foreign.Add(1) // a message from another room: a leak between rooms
		return
	}
	w, bit := p.n/64, uint64(1)<<(p.n%64)
	for len(c.seen[j]) <= w {
		c.seen[j] = append(c.seen[j], 0)
	}
	st := c.steps[p.step]
	if st == nil {
		st = &recvStep{}
		c.steps[p.step] = st
	}
	if c.seen[j][w]&bit != 0 {
		if p.phase == 'm' {
			st.dup++
		}
		return
	}
	c.seen[j][w] |= bit
	if p.n < c.last[j] {
		if p.phase == 'm' {
			st.ooo++
		}
	} else {
		c.last[j] = p.n
	}
	if p.phase == 'm' {
		st.unique++
		st.lat = append(st.lat, now-p.sent)
	}
}

// harness runs the workload against a target.
type harness struct {
	t       Target
	plan    Plan
	clients []*client

	deliveries atomic.Int64
	malformed  atomic.Int64
	foreign    atomic.Int64
	inflight   atomic.Int64 // sends taken from a member's queue and not yet counted
	completed  atomic.Int64 // sends that returned without an error, any step or phase

	mu        sync.Mutex
	sent      map[int]int64 // measured messages sent, per step
	sentWarm  map[int]int64
	sendErrs  map[int]int64
	refused   map[int]int64 // measured messages the server refused after they were written
	backlog   map[int]int64 // a send was due while the member's previous sends were still pending
	firstErrs []string
}

func newHarness(t Target, p Plan) *harness {
	h := &harness{t: t, plan: p, sent: map[int]int64{}, sentWarm: map[int]int64{}, sendErrs: map[int]int64{}, backlog: map[int]int64{}, refused: map[int]int64{}}
	for i := range p.Clients {
		h.clients = append(h.clients, newClient(i, p))
	}
	return h
}

// refuse counts a measured message the server refused ("sender-n").
func (h *harness) refuse(id string) {
	s, n, ok := strings.Cut(id, "-")
	i, err1 := strconv.Atoi(s)
	k, err2 := strconv.Atoi(n)
	if !ok || err1 != nil || err2 != nil || i < 0 || i >= len(h.clients) {
		return
	}
	c := h.clients[i]
	c.mu.Lock()
	var tag int32 = -1
	if k >= 0 && k < len(c.sentAs) {
		tag = c.sentAs[k]
	}
	c.mu.Unlock()
	if tag >= 0 && tag%2 == 1 {
		h.mu.Lock()
		h.refused[int(tag/2)]++
		h.mu.Unlock()
	}
}

// connect dials every member, concurrency at a time.
func (h *harness) connect(ctx context.Context, concurrency int) error {
	if r, ok := h.t.(Refuser); ok {
		r.OnRefused(h.refuse)
	}
	var wg sync.WaitGroup
	errc := make(chan error, 1)
	sem := make(chan struct{}, concurrency)
	for _, c := range h.clients {
		sem <- struct{}{}
		if ctx.Err() != nil {
			break
		}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			conn, err := h.t.Dial(ctx, c.idx, func(text string) { c.deliver(h, text) })
			if err != nil {
				select {
				case errc <- fmt.Errorf("member %d: %w", c.idx, err):
				default:
				}
				return
			}
			c.conn = conn
		}()
		select {
		case err := <-errc:
			wg.Wait()
			return err
		default:
		}
	}
	wg.Wait()
	select {
	case err := <-errc:
		return err
	default:
	}
	for _, c := range h.clients {
		go h.sender(ctx, c)
	}
	return ctx.Err()
}

// Pinger is a connection that can make one round trip that changes
// nothing (Hearth: a ping frame and its pong), as every idle client does
// now and then; the idle memory is read after one such round, so that it
// counts what acting on a frame leaves behind.
type Pinger interface {
	Ping(ctx context.Context) error
}

// pingAll makes one round trip on every connection that can (concurrency
// at once) and reports how many did.
func (h *harness) pingAll(ctx context.Context, concurrency int) (int, error) {
	var wg sync.WaitGroup
	var n atomic.Int64
	errc := make(chan error, 1)
	sem := make(chan struct{}, concurrency)
	for _, c := range h.clients {
		p, ok := c.conn.(Pinger)
		if !ok {
			continue
		}
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			pctx, cancel := context.WithTimeout(ctx, 30*time.Second)
			defer cancel()
			if err := p.Ping(pctx); err != nil {
				select {
				case errc <- fmt.Errorf("member %d: ping: %w", c.idx, err):
				default:
				}
				return
			}
			n.Add(1)
		}()
	}
	wg.Wait()
	select {
	case err := <-errc:
		return int(n.Load()), err
	default:
	}
	return int(n.Load()), ctx.Err()
}

func (h *harness) sender(ctx context.Context, c *client) {
	for {
		select {
		case <-ctx.Done():
			return
		case r := <-c.send:
			h.inflight.Add(1)
			n := c.nextN
			c.nextN++
			tag := int32(r.step * 2)
			if r.phase == 'm' {
				tag++
			}
			c.mu.Lock()
			c.sentAs = append(c.sentAs, tag)
			c.mu.Unlock()
			text := messageText(r.step, r.phase, c.idx, n, time.Now())
			err := c.conn.Send(ctx, strconv.Itoa(c.idx)+"-"+strconv.Itoa(n), text)
			h.mu.Lock()
			switch {
			case err != nil:
				h.sendErrs[r.step]++
				if len(h.firstErrs) < 5 {
					h.firstErrs = append(h.firstErrs, err.Error())
				}
			case r.phase == 'm':
				h.completed.Add(1)
				h.sent[r.step]++
			default:
				h.completed.Add(1)
				h.sentWarm[r.step]++
			}
			h.mu.Unlock()
			h.inflight.Add(-1)
		}
	}
}

func (h *harness) close() {
	for _, c := range h.clients {
		if c.conn != nil {
			c.conn.Close()
		}
	}
}

// StepResult is one offered rate's outcome.
type StepResult struct {
	Step          int     `json:"step"`
	Label         string  `json:"label"`
	OfferedPerSec float64 `json:"offered_msgs_per_sec"`
	SentPerSec    float64 `json:"sent_msgs_per_sec"` // measured sends that completed, over the window
	// CompletedPerSec is every send that completed during the window (for
	// a target answering each send once stored, its store rate), whenever
	// it was offered.
	CompletedPerSec float64 `json:"completed_sends_per_sec"`
	// AckedPerSec is what the server acknowledged during the window (see
	// Acker): stored messages per second for Hearth and Dendrite.
	AckedPerSec     float64 `json:"acked_per_sec"`
	DeliveredPerSec float64 `json:"delivered_per_sec"`
	Expected        int64   `json:"expected_deliveries"`
	Delivered       int64   `json:"delivered_measured"`
	Lost            int64   `json:"lost"`
	Duplicated      int64   `json:"duplicated"`
	OutOfOrder      int64   `json:"out_of_order"`
	SendErrors      int64   `json:"send_errors"`
	Refused         int64   `json:"refused"`
	Backlogged      int64   `json:"backlogged_sends"`
	P50ms           float64 `json:"p50_ms"`
	P90ms           float64 `json:"p90_ms"`
	P99ms           float64 `json:"p99_ms"`
	P999ms          float64 `json:"p999_ms"`
	Maxms           float64 `json:"max_ms"`
	ServerCPUus     float64 `json:"server_cpu_us_per_delivery"`
	ServerCores     float64 `json:"server_cores"`
	HarnessCores    float64 `json:"harness_cores"`
	MachineCores    float64 `json:"machine_busy_cores"`
	Window          float64 `json:"window_seconds"`
}

// run offers rate messages per second in total (spread evenly over the
// members, in a fixed shuffled order) for warm then for dur, measuring
// during dur; then it waits up to drain for the measured messages to
// arrive and counts what did.
func (h *harness) run(ctx context.Context, step int, label string, rate float64, warm, dur, drain time.Duration) (StepResult, error) {
	r := StepResult{Step: step, Label: label, OfferedPerSec: rate, Window: dur.Seconds()}
	order := rand.New(rand.NewPCG(uint64(step), 7)).Perm(len(h.clients))
	pid := h.t.PID()
	start := time.Now()
	measureAt, endAt := start.Add(warm), start.Add(warm+dur)
	var (
		issued      int64
		next        int
		measuring   bool
		cpu0, self0 time.Duration
		busy0       time.Duration
		del0, comp0 int64
		ack0        int64
		mStart      time.Time
	)
	tick := time.NewTicker(2 * time.Millisecond)
	defer tick.Stop()
	for {
		var now time.Time
		select {
		case <-ctx.Done():
			return r, ctx.Err()
		case now = <-tick.C:
		}
		if !measuring && !now.Before(measureAt) {
			measuring = true
			mStart = time.Now()
			c, err := procCPU(pid)
			if err != nil {
				return r, fmt.Errorf("server CPU: %w", err)
			}
			cpu0, self0, del0, comp0, ack0 = c, selfCPU(), h.deliveries.Load(), h.completed.Load(), h.acked()
			busy0, _ = machineCPU()
		}
		if !now.Before(endAt) {
			break
		}
		phase := byte('w')
		if measuring {
			phase = 'm'
		}
		due := int64(rate*now.Sub(start).Seconds()) - issued
		for ; due > 0; due-- {
			c := h.clients[order[next]]
			next = (next + 1) % len(order)
			issued++
			select {
			case c.send <- sendReq{step: step, phase: phase}:
			default:
				h.mu.Lock()
				h.backlog[step]++
				h.mu.Unlock()
			}
		}
	}
	mEnd := time.Now()
	cpu1, err := procCPU(pid)
	if err != nil {
		return r, fmt.Errorf("server CPU: %w", err)
	}
	self1, del1, comp1, ack1 := selfCPU(), h.deliveries.Load(), h.completed.Load(), h.acked()
	busy1, _ := machineCPU()
	win := mEnd.Sub(mStart).Seconds()
	r.Window = win
	r.DeliveredPerSec = float64(del1-del0) / win
	r.CompletedPerSec = float64(comp1-comp0) / win
	r.AckedPerSec = float64(ack1-ack0) / win
	r.ServerCores = (cpu1 - cpu0).Seconds() / win
	r.HarnessCores = (self1 - self0).Seconds() / win
	r.MachineCores = (busy1 - busy0).Seconds() / win
	if del1 > del0 {
		r.ServerCPUus = float64((cpu1 - cpu0).Microseconds()) / float64(del1-del0)
	}

	// Sends still queued when the offered time is over are dropped (counted
	// as backlogged: the target did not keep up), so a slow target's queue
	// does not spill into the next step; sends already under way finish.
	for _, c := range h.clients {
		for dropped := false; !dropped; {
			select {
			case <-c.send:
				h.mu.Lock()
				h.backlog[step]++
				h.mu.Unlock()
			default:
				dropped = true
			}
		}
	}
	// Drain: wait for the measured messages still in flight.
	deadline := time.Now().Add(drain)
	var lastGot int64 = -1
	stable := time.Now()
	for time.Now().Before(deadline) {
		time.Sleep(250 * time.Millisecond)
		h.mu.Lock()
		sent := h.sent[step] - h.refused[step]
		h.mu.Unlock()
		got := h.measuredUnique(step)
		if got >= sent*int64(h.plan.Size) && h.queuesEmpty() {
			break
		}
		if got != lastGot {
			lastGot, stable = got, time.Now()
		} else if time.Since(stable) > 3*time.Second && h.queuesEmpty() {
			break
		}
	}
	time.Sleep(200 * time.Millisecond) // late duplicates
	h.mu.Lock()
	sent := h.sent[step]
	r.Refused = h.refused[step]
	r.SendErrors = h.sendErrs[step]
	r.Backlogged = h.backlog[step]
	h.mu.Unlock()
	r.SentPerSec = float64(sent-r.Refused) / dur.Seconds()
	r.Expected = (sent - r.Refused) * int64(h.plan.Size)
	var lat []int64
	for _, c := range h.clients {
		c.mu.Lock()
		if st := c.steps[step]; st != nil {
			r.Delivered += st.unique
			r.Duplicated += st.dup
			r.OutOfOrder += st.ooo
			lat = append(lat, st.lat...)
			st.lat = nil
		}
		c.mu.Unlock()
	}
	r.Lost = max(r.Expected-r.Delivered, 0)
	slices.Sort(lat)
	pct := func(q float64) float64 {
		if len(lat) == 0 {
			return 0
		}
		i := int(q * float64(len(lat)-1))
		return float64(lat[i]) / 1e6
	}
	r.P50ms, r.P90ms, r.P99ms, r.P999ms = pct(0.50), pct(0.90), pct(0.99), pct(0.999)
	if len(lat) > 0 {
		r.Maxms = float64(lat[len(lat)-1]) / 1e6
	}
	return r, nil
}

func (h *harness) acked() int64 {
	if a, ok := h.t.(Acker); ok {
		return a.Acknowledged()
	}
	return h.completed.Load()
}

func (h *harness) measuredUnique(step int) int64 {
	var n int64
	for _, c := range h.clients {
		c.mu.Lock()
		if st := c.steps[step]; st != nil {
			n += st.unique
		}
		c.mu.Unlock()
	}
	return n
}

func (h *harness) queuesEmpty() bool {
	if h.inflight.Load() > 0 {
		return false
	}
	for _, c := range h.clients {
		if len(c.send) > 0 {
			return false
		}
	}
	return true
}
