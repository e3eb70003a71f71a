package room

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/hearth-org/hearth"
)

// client is one connection. It holds no goroutine and no buffer while
// idle. Frames are written by whoever queues them (the deliverer, the
// reader answering a ping) with an attempt that never waits, when the Conn
// can (TryWriter); a writer goroutine starts only when the socket would
// block (a slow client), and exits once the queue is empty. With an
// IdleConn nothing waits in read either: the Conn calls back when a frame
// comes.
type client struct {
	h    *Hub
	r    *hubRoom
	conn Conn
	tw   TryWriter // conn, when it can write without waiting
	m    Member

	mu       sync.Mutex
	queue    [][]byte
	spare    [][]byte // a written queue's array, kept for the next (small ones only)
	qbytes   int
	writing  bool     // somebody is writing the queue
	catching bool     // during resume: frames wait in held
	burst    int32    // the length of the last written queue too big to keep: the next one's capacity
	held     [][]byte // frames that arrived during resume
	closed   bool
	after    *closeReq // close once the queue is written

	// rd is the reader's: its frame rate and the hand-off of each frame to
	// the goroutine that acts on it (readLoop), or, with an IdleConn, what
	// the callback needs (readReady).
	rd struct {
		rate  bucket
		wg    sync.WaitGroup
		ok    bool
		ic    IdleConn
		ctx   context.Context
		ready func()
		stop  func() bool
		prep  *prepareBound // made by the first frame Prepare reads
	}
}

// prepareBound is the context a connection's frames are prepared under
// (prepareCtx): made at, ended by end.
type prepareBound struct {
	ctx context.Context
	end context.CancelFunc
	at  time.Time
}

// prepareTimeout bounds the screening and sealing of one frame.
const prepareTimeout = 15 * time.Second

// prepareCtx is the context Prepare runs under: it ends prepareTimeout
// after it was made, and is made again once more than a second of that
// has gone, so that a busy member's frames share one (a context and its
// timer made for every message were 2 % of the server's CPU at
// saturation). Only the connection's reader calls it.
func (c *client) prepareCtx(ctx context.Context) context.Context {
	now := time.Now()
	b := c.rd.prep
	if b == nil {
		b = &prepareBound{}
		c.rd.prep = b
	}
	if b.ctx == nil || now.Sub(b.at) > time.Second {
		if b.end != nil {
			b.end()
		}
		b.ctx, b.end = context.WithTimeout(ctx, prepareTimeout)
		b.at = now
	}
	return b.ctx
}

// endPrepare lets go of the reader's Prepare context, when the connection
// ends (the reader's goroutine).
func (c *client) endPrepare() {
	if b := c.rd.prep; b != nil && b.end != nil {
		b.end()
		b.ctx, b.end = nil, nil
	}
}

// A TryWriter is a Conn that can write without waiting: TryWrite writes
// at once what the network takes and keeps the rest, which the next Write
// (even of no frames) sends first; pending says that something was kept.
// ErrWouldBlock says that nothing was written nor kept (another write
// holds the connection): the frames go to Write. Any other error means the
// connection is gone.
type TryWriter interface {
	TryWrite(frames [][]byte) (pending bool, err error)
}

// ErrWouldBlock is TryWrite's answer when it could not even start.
var ErrWouldBlock = errors.New("room: the connection is busy writing")

// An IdleConn is a Conn that can wait for the next frame without a
// goroutine waiting in Read, so an idle member costs no goroutine stack.
type IdleConn interface {
	// WaitRead arranges for ready to be called, once, on another
	// goroutine, when a frame may be read or the connection has ended. It
	// returns false when it cannot (then the caller reads as usual).
	WaitRead(ready func()) bool
	// Buffered reports whether bytes after the last frame read are
	// already in memory (the next Read needs no wait for the network).
	Buffered() bool
}

// spareFrames is the largest written queue a connection keeps for the
// next one: enough for the usual few frames, without holding a burst's.
const spareFrames = 16

type closeReq struct {
	code   int
	reason string
}

// push queues frames and writes them, unless somebody is writing already;
// a client whose queue overflows is closed as slow. It may be called with
// the room's lock held: the write never waits.
func (c *client) push(frames ...[]byte) {
	if c.enqueue(frames...) {
		c.mu.Lock()
		c.writeQueue()
	}
}

// enqueue queues frames without writing them; false when they were dropped
// (the connection is closing, or is closed now as slow because its queue
// overflowed).
func (c *client) enqueue(frames ...[]byte) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed || c.after != nil {
		return false
	}
	n := 0
	for _, f := range frames {
		n += len(f)
	}
	if c.catching {
		c.held = append(c.held, frames...)
	} else {
		if c.queue == nil {
			c.queue, c.spare = c.spare, nil
			if c.queue == nil && c.burst > 0 {
				// Made at once at the size the last one reached,
				// rather than doubled there frame after frame.
				c.queue = make([][]byte, 0, c.burst)
			}
		}
		c.queue = append(c.queue, frames...)
	}
	c.qbytes += n
	if len(c.queue)+len(c.held) > c.h.cfg.QueueFrames || c.qbytes > c.h.cfg.QueueBytes {
		c.closeLocked(CloseSlow, "You fell behind the room. Reconnecting will catch you up.")
		return false
	}
	return true
}

// writeQueue writes what is queued if nobody is writing: at once when the
// Conn can write without waiting, else (or when the socket would block, or
// a close follows the queue) on a writer goroutine. c.mu is held and
// released here.
func (c *client) writeQueue() {
	if c.writing || c.catching || len(c.queue) == 0 && c.after == nil {
		c.mu.Unlock()
		return
	}
	c.writing = true
	if c.tw == nil || c.after != nil {
		c.mu.Unlock()
		go c.writeLoop(false)
		return
	}
	for len(c.queue) > 0 && !c.closed && c.after == nil {
		q := c.queue
		c.queue = nil
		c.qbytes = 0
		c.mu.Unlock()
		pending, err := c.tw.TryWrite(q)
		c.mu.Lock()
		if err == ErrWouldBlock {
			// Back to the head of the queue, for a writer that may wait.
			c.queue = append(q, c.queue...)
			c.qbytes = 0
			c.mu.Unlock()
			go c.writeLoop(false)
			return
		}
		clear(q)
		if cap(q) <= spareFrames {
			c.spare, c.burst = q[:0], 0
		} else {
			c.burst = int32(min(len(q), c.h.cfg.QueueFrames))
		}
		if err != nil {
			c.writing = false
			c.closeLocked(CloseSlow, "Writing to you failed. Reconnecting will catch you up.")
			c.mu.Unlock()
			return
		}
		if pending {
			// The socket is full: the rest waits on a goroutine.
			c.mu.Unlock()
			go c.writeLoop(true)
			return
		}
	}
	if c.after != nil && !c.closed {
		// What is still queued goes out before the close.
		c.mu.Unlock()
		go c.writeLoop(false)
		return
	}
	c.writing = false
	c.mu.Unlock()
}

// writeLoop writes the queue until it is empty, waiting on the network as
// long as the write timeout allows; kept: the Conn holds bytes of an
// earlier TryWrite to send first. Then it closes the connection if a close
// was asked for after the queue.
func (c *client) writeLoop(kept bool) {
	for {
		c.mu.Lock()
		q := c.queue
		c.queue = nil
		c.qbytes = 0 // nothing is held once the writer runs
		if len(q) == 0 && !kept || c.closed {
			c.writing = false
			after := c.after
			if after != nil && !c.closed {
				c.closed = true
				c.mu.Unlock()
				c.conn.Close(after.code, after.reason)
				return
			}
			c.mu.Unlock()
			return
		}
		c.mu.Unlock()
		ctx, cancel := context.WithTimeout(c.h.ctx, c.h.cfg.WriteTimeout)
		err := c.conn.Write(ctx, q)
		cancel()
		clear(q)
		kept = false
		if err != nil {
			c.mu.Lock()
			c.writing = false
			c.closeLocked(CloseSlow, "Writing to you failed. Reconnecting will catch you up.")
			c.mu.Unlock()
			return
		}
	}
}

// closeNow closes the connection without writing what is queued.
func (c *client) closeNow(code int, reason string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.closeLocked(code, reason)
}

func (c *client) closeLocked(code int, reason string) {
	if c.closed {
		return
	}
	c.closed = true
	c.queue, c.held, c.spare, c.qbytes = nil, nil, nil, 0
	// Close may wait for the peer's answer: never under the room's lock.
	go c.conn.Close(code, reason)
}

// closeAfter closes the connection once what is queued is written.
func (c *client) closeAfter(code int, reason string) {
	c.mu.Lock()
	if c.closed || c.after != nil {
		c.mu.Unlock()
		return
	}
	c.after = &closeReq{code, reason}
	c.writeQueue()
}

func (c *client) isClosed() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.closed || c.after != nil
}

// Serve runs one member's connection to a room until it ends: it waits for
// the hello frame unless resumeAfter ≥ 0 (the sequence the client says it
// saw, from the URL), sends the welcome and every event after the resume
// point, then live events, and records what the member does. It returns
// when the connection ends (nil), or an error when the room could not be
// read; the connection is closed either way.
func (h *Hub) Serve(ctx context.Context, conn Conn, info RoomInfo, m Member, resumeAfter int64) error {
	// enter runs on a goroutine of its own: its deep frames (JSON, the
	// Store's reads) then never grow this one's stack, which stays as
	// small as the read loop needs for as long as the member is idle.
	var (
		c    *client
		err  error
		done = make(chan struct{})
	)
	go func() {
		defer close(done)
		c, err = h.enter(ctx, conn, info, m, resumeAfter)
	}()
	<-done
	if c == nil {
		return err
	}
	if ic, ok := conn.(IdleConn); ok {
		// Nothing waits in Read for this member: the Conn calls back when
		// a frame comes, and the connection goes on without this goroutine.
		c.rd.ic, c.rd.ctx = ic, ctx
		c.rd.ready = func() { h.readReady(c) }
		if ctx.Done() != nil {
			c.rd.stop = context.AfterFunc(ctx, func() { c.closeNow(CloseUnavailable, "The server is restarting. Reconnecting…") })
		}
		if ic.Buffered() || !ic.WaitRead(c.rd.ready) {
			h.readReady(c)
		}
		return nil
	}
	defer h.release(c.r)
	defer h.leave(c)
	// Only the small frames of the read loop stay on this goroutine's
	// stack while the member is idle: the runtime shrinks it.
	h.readLoop(ctx, c)
	return nil
}

// enter does everything before the read loop: hello, admission, welcome,
// resume. It returns nil when the connection is over (closed already).
//
//go:noinline
func (h *Hub) enter(ctx context.Context, conn Conn, info RoomInfo, m Member, resumeAfter int64) (*client, error) {
	if resumeAfter < 0 {
		hctx, cancel := context.WithTimeout(ctx, h.cfg.HelloTimeout)
		data, err := conn.Read(hctx)
		cancel()
		if err != nil {
			conn.Close(CloseBadFrame, "The first frame must be hello.")
			return nil, nil
		}
		f, err := Decode(data)
		var de *DecodeError
		switch {
		case errors.As(err, &de) && de.Close != 0:
			conn.Close(de.Close, de.Err.Message)
			return nil, nil
		case err != nil || f.Type != FrameHello:
			conn.Close(CloseBadFrame, "The first frame must be hello.")
			return nil, nil
		}
		resumeAfter = 0
		if f.After != nil {
			resumeAfter = *f.After
		}
	}
	if !info.Closes.IsZero() && !h.cfg.Now().Before(info.Closes) {
		conn.Close(CloseClosed, "The room has closed: the meeting is over.")
		return nil, nil
	}
	r, ok := h.acquire(info)
	if !ok {
		conn.Close(CloseUnavailable, "The server is restarting. Reconnecting…")
		return nil, nil
	}
	if err := h.fill(ctx, r); err != nil {
		conn.Close(CloseUnavailable, "The room could not be read just now. Reconnecting…")
		h.release(r)
		return nil, fmt.Errorf("room %d: %w", info.ID, err)
	}

	c := &client{h: h, r: r, conn: conn, m: m, catching: true}
	c.tw, _ = conn.(TryWriter)
	r.mu.Lock()
	switch {
	case r.state.Ended:
		r.mu.Unlock()
		h.release(r)
		conn.Close(CloseClosed, "The meeting has ended.")
		return nil, nil
	case r.state.Removed[m.ID]:
		r.mu.Unlock()
		h.release(r)
		conn.Close(CloseRemoved, "A facilitator has removed you from this meeting.")
		return nil, nil
	}
	r.learn(m.ID, m.Pseudonym)
	r.clients[c] = struct{}{}
	lp := r.present[m.ID]
	first := lp == nil
	if first {
		lp = &localPresence{m: m}
		r.present[m.ID] = lp
	}
	lp.n++
	seq := r.state.Seq
	var closes *time.Time
	if !r.closes.IsZero() {
		t := r.closes.UTC()
		closes = &t
	}
	welcome := encode(welcomeFrame{
		Type: FrameWelcome, You: WireMember{ID: m.ID, Name: m.Pseudonym, Facilitator: m.Facilitator},
		Room: r.id, Closes: closes, Seq: seq, State: r.snapshot(m),
		Presence: wireMembers(r.presentMembers()), Limits: h.limits(),
	})
	var local []Member
	if first {
		r.broadcastPresence() // c is catching: its copy waits in held
		local = r.localMembers()
	}
	r.mu.Unlock()
	if first {
		h.cfg.Bell.Presence(r.id, local)
	}
	if h.isClosed() {
		// Close went through the room before c was in it.
		c.closeNow(CloseUnavailable, "The server is restarting. Reconnecting…")
		return c, nil
	}

	wctx, cancel := context.WithTimeout(ctx, h.cfg.WriteTimeout)
	err := conn.Write(wctx, [][]byte{welcome})
	cancel()
	if err != nil {
		c.closeNow(CloseSlow, "Writing to you failed.")
		return c, nil
	}
	if err := h.catchUp(ctx, c, min(resumeAfter, seq), seq); err != nil {
		c.closeNow(CloseUnavailable, "The room could not be read just now. Reconnecting…")
		return c, nil
	}
	c.mu.Lock()
	c.catching = false
	c.queue, c.held = c.held, nil
	c.writeQueue()
	// Attendance may write to the database: after the member is in.
	if first && h.cfg.OnPresence != nil {
		h.cfg.OnPresence(r.id, m, true)
	}
	return c, nil
}

// catchUp writes the events in (after, upto] that c may see, page by page,
// straight to the connection (nothing else writes to it meanwhile).
func (h *Hub) catchUp(ctx context.Context, c *client, after, upto int64) error {
	held := map[int64]Event{}
	for after < upto {
		if c.isClosed() {
			return nil
		}
		evs, err := h.cfg.Store.Since(ctx, c.r.id, after, h.cfg.PageSize)
		if err != nil {
			return err
		}
		if len(evs) == 0 {
			return nil
		}
		frames := make([][]byte, 0, len(evs))
		for _, ev := range evs {
			if ev.Seq > upto {
				break
			}
			after = ev.Seq
			if ev.Kind == KindMessage && ev.Held {
				held[ev.Seq] = ev
			}
			if !visible(ev, c.m) {
				continue
			}
			c.r.mu.Lock()
			we := wireOf(ev, c.r.names)
			c.r.mu.Unlock()
			if ev.Kind == KindRelease {
				msg, ok := held[ev.Target]
				if !ok {
					if old, err := h.cfg.Store.Since(ctx, c.r.id, ev.Target-1, 1); err == nil && len(old) == 1 && old[0].Seq == ev.Target {
						msg, ok = old[0], true
					}
				}
				if ok {
					c.r.mu.Lock()
					w := wireOf(msg, c.r.names)
					c.r.mu.Unlock()
					w.Held = false
					we.Message = &w
				}
			}
			frames = append(frames, eventBytes(we))
		}
		if len(frames) > 0 {
			wctx, cancel := context.WithTimeout(ctx, h.cfg.WriteTimeout)
			err := c.conn.Write(wctx, frames)
			cancel()
			if err != nil {
				c.closeNow(CloseSlow, "Writing to you failed.")
				return nil
			}
		}
		if len(evs) < h.cfg.PageSize {
			return nil
		}
	}
	return nil
}

// leave forgets c when its connection ends.
func (h *Hub) leave(c *client) {
	c.closeNow(CloseNormal, "")
	r := c.r
	r.mu.Lock()
	delete(r.clients, c)
	last := false
	if lp := r.present[c.m.ID]; lp != nil {
		lp.n--
		if lp.n == 0 {
			delete(r.present, c.m.ID)
			last = true
			r.broadcastPresence()
		}
	}
	local := r.localMembers()
	r.mu.Unlock()
	if last {
		h.cfg.Bell.Presence(r.id, local)
		if h.cfg.OnPresence != nil {
			h.cfg.OnPresence(r.id, c.m, false)
		}
	}
}

func (h *Hub) limits() WireLimits {
	return WireLimits{
		FrameBytes: MaxFrameBytes, TextChars: MaxTextChars, KeyChars: MaxKeyChars,
		MessageBurst: h.cfg.MessageBurst, MessageWindow: int(h.cfg.MessageWindow / time.Second),
		FramesPerSec: h.cfg.FramesPerSec, FrameBurst: h.cfg.FrameBurst, PingEverySecs: 25,
	}
}

// readLoop reads the member's frames until the connection ends, for a
// Conn that cannot wait without a goroutine (not an IdleConn). This
// goroutine only reads: each frame is acted on by a goroutine of its own
// (handleApart) while this one waits for it, so the deep frames of decoding
// and checking (JSON, the rules, a write) never grow the stack an idle
// member keeps. Go shrinks an idle goroutine's stack only down to four
// times what it uses, so a stack grown once by a ping would stay at 8 KiB
// for as long as the member is connected; this one stays at what reading
// needs (TestIdleConnectionMemory).
func (h *Hub) readLoop(ctx context.Context, c *client) {
	for {
		data, err := c.conn.Read(ctx)
		if err != nil || !h.handleApart(ctx, c, data) {
			c.endPrepare()
			return
		}
	}
}

// readReady reads and acts on the frames that came, then waits for the
// next without a goroutine (IdleConn); when the connection has ended it
// forgets it. Only one readReady runs at a time for a connection: the next
// is called back only after this one asked for it.
func (h *Hub) readReady(c *client) {
	for {
		data, err := c.conn.Read(c.rd.ctx)
		if err != nil || !h.handle(c.rd.ctx, c, &c.rd.rate, data) {
			if c.rd.stop != nil {
				c.rd.stop()
			}
			c.endPrepare()
			h.leave(c)
			h.release(c.r)
			return
		}
		if !c.rd.ic.Buffered() && c.rd.ic.WaitRead(c.rd.ready) {
			return
		}
	}
}

// handleApart runs handle on a goroutine of its own and waits for it. The
// frame is acted on before the next is read, as if on this goroutine.
//
//go:noinline
func (h *Hub) handleApart(ctx context.Context, c *client, data []byte) bool {
	c.rd.wg.Go(func() { c.rd.ok = h.handle(ctx, c, &c.rd.rate, data) })
	c.rd.wg.Wait()
	return c.rd.ok
}

// handle acts on one frame; false ends the connection.
//
//go:noinline
func (h *Hub) handle(ctx context.Context, c *client, rate *bucket, data []byte) bool {
	r := c.r
	now := h.cfg.Now()
	if !rate.take(now, h.cfg.FrameBurst, time.Duration(float64(time.Second)*float64(h.cfg.FrameBurst)/float64(h.cfg.FramesPerSec))) {
		c.closeNow(CloseRateLimited, "Too many frames: please slow down and reconnect.")
		return false
	}
	f, err := Decode(data)
	if err != nil {
		var de *DecodeError
		if errors.As(err, &de) && de.Close != 0 {
			c.closeNow(de.Close, de.Err.Message)
			return false
		}
		c.push(errorBytes(err, f.Key))
		return true
	}
	switch f.Type {
	case FramePing:
		c.push(pongBytes)
		return true
	case FrameHello: // the resume point came with the URL: nothing to do
		return true
	}
	ev, _ := f.Event()
	p := Pending{Room: r.id, Member: c.m, Event: ev}
	r.mu.Lock()
	if ev.Kind == KindMessage && !r.messageAllowed(c.m.ID, now) {
		r.mu.Unlock()
		c.push(errorBytes(ErrRateLimited, f.Key))
		return true
	}
	if ev.Kind == KindRoundStart {
		for _, pm := range r.presentMembers() {
			if !r.state.Removed[pm.ID] {
				p.Event.Order = append(p.Event.Order, pm.ID)
			}
		}
	}
	err = Check(r.state, c.m, p)
	r.mu.Unlock()
	if err != nil {
		c.push(errorBytes(err, f.Key))
		if err == ErrMuted && h.cfg.ScreenRefused != nil {
			go h.screenRefused(c, ev.Text)
		}
		return true
	}
	if pr, ok := h.cfg.Store.(Preparer); ok {
		// Screening and sealing on this goroutine, in parallel with
		// every other sender's, not in the one committer.
		p, err = pr.Prepare(c.prepareCtx(ctx), p)
		if err != nil {
			if e := hearth.AsError(err); (e == nil || e.Kind == hearth.Internal) && h.ctx.Err() == nil {
				h.cfg.Logger.Error("room: preparing an event", "room", r.id, "err", err)
			}
			c.push(errorBytes(err, f.Key))
			return true
		}
	}
	req := &request{p: p, c: c, key: f.Key}
	select {
	case h.pend <- req:
		return true
	default:
	}
	// The committer is behind: this connection is not read until there
	// is room, and what its member sends meanwhile waits in the socket,
	// to be read in a burst once there is. That burst is the server's
	// doing, not a flood: the frames the member could have sent while
	// waiting, at the average rate allowed, are credited.
	waited := h.cfg.Now()
	select {
	case h.pend <- req:
	case <-ctx.Done():
		return false
	case <-h.ctx.Done():
		return false
	}
	rate.credit(h.cfg.Now().Sub(waited), h.cfg.FramesPerSec)
	return true
}

func (r *hubRoom) messageAllowed(member int64, now time.Time) bool {
	b := r.buckets[member]
	if b == nil {
		b = &bucket{}
		r.buckets[member] = b
	}
	return b.take(now, r.h.cfg.MessageBurst, r.h.cfg.MessageWindow)
}

// screenRefused brings help and a human to a muted member whose refused
// message reads as a crisis.
func (h *Hub) screenRefused(c *client, text string) {
	ctx, cancel := context.WithTimeout(h.ctx, 15*time.Second)
	defer cancel()
	support, alert := h.cfg.ScreenRefused(ctx, c.r.id, c.m, text)
	if support != nil {
		c.push(encode(helpFrame{Type: FrameHelp, Support: support}))
	}
	if alert {
		h.alertLocal(c.r.id, c.m)
	}
}
