package room

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hearth-org/hearth"
)

// HubConfig configures a Hub. Zero limits take the defaults shown.
type HubConfig struct {
	Store  Store
	Bell   Bell         // nil: LocalBell (one process)
	Logger *slog.Logger // nil: discard
	Now    func() time.Time
	// Process names this process in presence; random when empty.
	Process string
	// OnPresence is called when a member is first present in a room on
	// this process (present) and when their last connection here ends
	// (!present): attendance is taken from it. It is called from the
	// member's connection goroutine and should be quick.
	OnPresence func(room int64, m Member, present bool)
	// ScreenRefused, when set, reads a message the room refuses because
	// its writer is muted in this room (nothing is stored): crisis
	// language never silences anyone, so a crisis in it still brings the
	// writer help (support, sent as the help frame) and the room's
	// facilitators an alert (alert). The app screens the text as it does
	// any writing and opens its follow-up. Called on its own goroutine.
	ScreenRefused func(ctx context.Context, room int64, m Member, text string) (support any, alert bool)

	MaxBatch      int           // pendings per Store.Append (4096)
	CommitGap     time.Duration // least time from one Store.Append's start to the next's while they follow each other (3 ms; negative: none)
	QueueFrames   int           // frames queued for one connection before it is closed as slow (512)
	QueueBytes    int           // bytes queued for one connection before it is closed as slow (1 MiB)
	MessageBurst  int           // messages a member may send at once (5)…
	MessageWindow time.Duration // …refilled over this window (10 s)
	FramesPerSec  int           // frames a connection may send per second on average (20)…
	FrameBurst    int           // …with this burst (40); above: CloseRateLimited
	PollEvery     time.Duration // read the Store for rooms held here (5 s with a Bell; never with LocalBell or when negative)
	PresenceEvery time.Duration // announce presence through the Bell (10 s)
	PresenceTTL   time.Duration // forget another process's presence after (30 s)
	WriteTimeout  time.Duration // one write to a connection (10 s)
	HelloTimeout  time.Duration // wait for the hello frame (10 s)
	PageSize      int           // events per Store.Since (256)
}

func (c *HubConfig) defaults() {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	defd := func(v *time.Duration, d time.Duration) {
		if *v == 0 {
			*v = d
		}
	}
	def(&c.MaxBatch, 4096)
	def(&c.QueueFrames, 512)
	def(&c.QueueBytes, 1<<20)
	def(&c.MessageBurst, 5)
	def(&c.FramesPerSec, 20)
	def(&c.FrameBurst, 40)
	def(&c.PageSize, 256)
	defd(&c.MessageWindow, 10*time.Second)
	defd(&c.CommitGap, 3*time.Millisecond)
	if c.PollEvery == 0 {
		c.PollEvery = 5 * time.Second
		if _, alone := c.Bell.(LocalBell); alone || c.Bell == nil {
			c.PollEvery = -1 // one process: every event comes through this hub
		}
	}
	defd(&c.PresenceEvery, 10*time.Second)
	defd(&c.PresenceTTL, 30*time.Second)
	defd(&c.WriteTimeout, 10*time.Second)
	defd(&c.HelloTimeout, 10*time.Second)
	if c.Bell == nil {
		c.Bell = LocalBell{}
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Process == "" {
		var b [8]byte
		_, _ = rand.Read(b[:])
		c.Process = hex.EncodeToString(b[:])
	}
}

// RoomInfo is what the hub needs to know of a room a member enters.
type RoomInfo struct {
	ID     int64
	Group  int64     // for Evict
	Closes time.Time // when the room closes (zero: never by time)
}

// Hub holds the rooms that have members connected to this process. It is
// safe for concurrent use; one Hub serves every room of a process.
type Hub struct {
	cfg    HubConfig
	ctx    context.Context
	cancel context.CancelFunc
	pend   chan *request
	// done carries committed batches from the committer to the
	// deliverer, in commit order.
	done chan committed
	wg   sync.WaitGroup

	mu     sync.Mutex
	rooms  map[int64]*hubRoom
	closed bool

	byRoom map[int64]*roomEvents // deliverCommitted's, reused
}

// roomEvents are one room's events of a committed batch.
type roomEvents struct {
	evs []Event
	max int64
}

type memberKey struct {
	room, member int64
	key          string
}

// request is one pending on its way to the committer.
type request struct {
	p   Pending
	c   *client
	key string // the client's key, echoed in ack or error
}

// NewHub starts a hub: its committer, its housekeeping and its Bell
// listener run until Close.
func NewHub(cfg HubConfig) *Hub {
	cfg.defaults()
	ctx, cancel := context.WithCancel(context.Background())
	h := &Hub{cfg: cfg, ctx: ctx, cancel: cancel, pend: make(chan *request, 4*cfg.MaxBatch), done: make(chan committed, 2), rooms: map[int64]*hubRoom{}, byRoom: map[int64]*roomEvents{}}
	h.wg.Add(4)
	go func() { defer h.wg.Done(); defer close(h.done); h.commitLoop() }()
	go func() { defer h.wg.Done(); h.deliverLoop() }()
	go func() { defer h.wg.Done(); h.houseLoop() }()
	go func() { defer h.wg.Done(); h.listenLoop() }()
	return h
}

// Process is this hub's process name in presence.
func (h *Hub) Process() string { return h.cfg.Process }

// Close closes every connection with CloseUnavailable (clients reconnect
// and resume, elsewhere or here after a restart) and stops the hub.
func (h *Hub) Close() {
	h.mu.Lock()
	h.closed = true
	rooms := make([]*hubRoom, 0, len(h.rooms))
	for _, r := range h.rooms {
		rooms = append(rooms, r)
	}
	h.mu.Unlock()
	for _, r := range rooms {
		r.closeAll(CloseUnavailable, "The server is restarting. Reconnecting…", false)
	}
	h.cancel()
	h.wg.Wait()
}

// Evict closes, within the second, every connection of user to rooms of
// group on this process and asks other processes to do the same (a
// membership ended, a ban, a removal from the group).
func (h *Hub) Evict(group, user int64) {
	h.Evicted(group, user)
	h.cfg.Bell.Evict(group, user)
}

// CloseRoom closes every connection to a room on this process (the room
// closed or its meeting was cancelled).
func (h *Hub) CloseRoom(room int64) {
	if r := h.lookup(room); r != nil {
		r.closeAll(CloseClosed, "The room is closed.", false)
	}
}

// Rung implements Listener: another process stored events up to seq.
func (h *Hub) Rung(room, seq int64) {
	r := h.lookup(room)
	if r == nil {
		return
	}
	r.mu.Lock()
	behind := seq > r.state.Seq
	r.mu.Unlock()
	if behind {
		h.kick(r)
	}
}

// Evicted implements Listener: close user's connections to rooms of group
// and, if the Store is a Namer, forget the names of those of the rooms'
// members who erased their account (forgetErased).
func (h *Hub) Evicted(group, user int64) {
	h.mu.Lock()
	var rooms []*hubRoom
	for _, r := range h.rooms {
		if r.group == group {
			rooms = append(rooms, r)
		}
	}
	h.mu.Unlock()
	for _, r := range rooms {
		r.mu.Lock()
		for c := range r.clients {
			if c.m.UserID == user {
				c.closeNow(CloseRemoved, "You are no longer a member of this group.")
			}
		}
		r.mu.Unlock()
	}
	if n, ok := h.cfg.Store.(Namer); ok {
		for _, r := range rooms {
			h.forgetErased(n, r)
		}
	}
}

// forgetErased reads which of r's members erased their account and
// forgets their names: snapshots and later events call them a former
// member, and every connection here is told at once (FrameFormer), so a
// pseudonym gone from the database does not stay on a facilitator's
// share-of-voice panel until the meeting ends. An account's erasure
// evicts its person from every group they were in, on every process.
func (h *Hub) forgetErased(n Namer, r *hubRoom) {
	ctx, cancel := context.WithTimeout(h.ctx, 10*time.Second)
	names, err := n.Names(ctx, r.id)
	cancel()
	if err != nil {
		h.cfg.Logger.Warn("room: reading names after an eviction", "room", r.id, "err", err)
		return
	}
	var gone []int64
	for id, name := range names {
		if name == "" && id != 0 {
			gone = append(gone, id)
		}
	}
	slices.Sort(gone)
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, id := range gone {
		if old, known := r.names[id]; known && old == "" {
			continue // forgotten already
		}
		r.names[id] = ""
		frame := encode(formerFrame{Type: FrameFormer, Member: id})
		for c := range r.clients {
			c.push(frame)
		}
	}
}

// Present implements Listener: who is connected to a room on another
// process.
func (h *Hub) Present(process string, room int64, members []Member) {
	if process == h.cfg.Process {
		return
	}
	r := h.lookup(room)
	if r == nil {
		return
	}
	now := h.cfg.Now()
	r.mu.Lock()
	old, had := r.remote[process]
	if len(members) == 0 {
		delete(r.remote, process)
	} else {
		r.remote[process] = remotePresence{members: slices.Clone(members), at: now}
		for _, m := range members {
			r.learn(m.ID, m.Pseudonym)
		}
	}
	changed := !had && len(members) > 0 || had && !sameMembers(old.members, members)
	if changed {
		r.broadcastPresence()
	}
	// A process newly holding this room announced itself: tell it at once
	// who is here, rather than let its members wait for our next round.
	var local []Member
	if !had && len(members) > 0 && len(r.present) > 0 {
		local = r.localMembers()
	}
	r.mu.Unlock()
	if local != nil {
		h.cfg.Bell.Presence(room, local)
	}
}

// Reconnected is called by a Bell after its connection to the other
// processes came back (internal/roombus): rings and presence may have been
// lost meanwhile, so every room held here is read from the Store at once
// and this process's presence in it announced again.
func (h *Hub) Reconnected() {
	h.mu.Lock()
	rooms := make([]*hubRoom, 0, len(h.rooms))
	for _, r := range h.rooms {
		rooms = append(rooms, r)
	}
	h.mu.Unlock()
	for _, r := range rooms {
		h.kick(r)
		r.mu.Lock()
		var local []Member
		if len(r.present) > 0 {
			local = r.localMembers()
		}
		r.mu.Unlock()
		if local != nil {
			h.cfg.Bell.Presence(r.id, local)
		}
	}
}

func sameMembers(a, b []Member) bool {
	return slices.EqualFunc(a, b, func(x, y Member) bool {
		return x.ID == y.ID && x.Pseudonym == y.Pseudonym && x.Facilitator == y.Facilitator
	})
}

func (h *Hub) isClosed() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.closed
}

func (h *Hub) lookup(room int64) *hubRoom {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.rooms[room]
}

// acquire gets or makes the room and counts one more user of it.
func (h *Hub) acquire(info RoomInfo) (*hubRoom, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return nil, false
	}
	r := h.rooms[info.ID]
	if r == nil {
		r = &hubRoom{
			h: h, id: info.ID, group: info.Group,
			state:   NewState(),
			clients: map[*client]struct{}{},
			present: map[int64]*localPresence{},
			remote:  map[string]remotePresence{},
			names:   map[int64]string{},
			buckets: map[int64]*bucket{},
		}
		h.rooms[info.ID] = r
	}
	if !info.Closes.IsZero() {
		r.mu.Lock() // houseLoop reads it under r.mu
		r.closes = info.Closes
		r.mu.Unlock()
	}
	r.refs++
	return r, true
}

func (h *Hub) release(r *hubRoom) {
	h.mu.Lock()
	defer h.mu.Unlock()
	r.refs--
	if r.refs == 0 && h.rooms[r.id] == r {
		delete(h.rooms, r.id)
	}
}

// kick makes sure the room is read from the Store soon (a ring, a gap, a
// poll); one read at a time per room.
func (h *Hub) kick(r *hubRoom) {
	if r.kicked.Swap(true) || h.ctx.Err() != nil {
		return
	}
	// Not counted in h.wg (an Add racing Close's Wait): a read ends with
	// h.ctx anyway.
	go func() {
		if err := h.fill(h.ctx, r); err != nil && h.ctx.Err() == nil {
			h.cfg.Logger.Warn("room: reading events", "room", r.id, "err", err)
		}
	}()
}

// fill reads the room's events after what it holds and delivers them.
func (h *Hub) fill(ctx context.Context, r *hubRoom) error {
	r.fillMu.Lock()
	defer r.fillMu.Unlock()
	r.kicked.Store(false)
	for {
		r.mu.Lock()
		after := r.state.Seq
		r.mu.Unlock()
		evs, err := h.cfg.Store.Since(ctx, r.id, after, h.cfg.PageSize)
		if err != nil {
			return err
		}
		r.offer(evs, true)
		if len(evs) < h.cfg.PageSize {
			return nil
		}
	}
}

// committed is a batch the Store has answered (err: all of it failed).
type committed struct {
	batch   []*request
	results []Result
	err     error
}

// commitLoop is the committer: it gathers what every room has pending
// into one Store.Append (group commit) and hands the answer to the
// deliverer, so the next transaction starts while the last batch is being
// applied and fanned out. It only runs transactions: screening and
// sealing were done by each sender's goroutine (Preparer).
func (h *Hub) commitLoop() {
	var batch []*request
	pend := make([]Pending, 0, h.cfg.MaxBatch)
	// A message whose key is already in the batch (a retry racing its
	// original) waits for the next batch, where the Store finds it stored.
	var carry []*request
	keys := map[memberKey]bool{}
	var lastStart time.Time // of the last Store.Append
	for {
		batch = make([]*request, 0, min(h.cfg.MaxBatch, 64)) // the deliverer keeps the last one
		clear(keys)
		add := func(req *request) {
			if req.p.Event.Kind == KindMessage {
				k := memberKey{req.p.Room, req.p.Member.ID, req.p.Event.Key}
				if keys[k] {
					carry = append(carry, req)
					return
				}
				keys[k] = true
			}
			batch = append(batch, req)
		}
		waiting := carry
		carry = nil
		for _, req := range waiting {
			add(req)
		}
		if len(batch) == 0 {
			select {
			case req := <-h.pend:
				add(req)
			case <-h.ctx.Done():
				return
			}
		}
		// Commits that follow each other start at least CommitGap apart,
		// so what comes meanwhile shares the next one. Each transaction
		// costs the same few statements and a sync to disk whatever its
		// size: at a thousand messages a second they were most of the
		// server's time, one or two messages each. A message that finds
		// the store idle for longer than the gap is committed at once, and
		// a commit that took longer than the gap (a busy server) is
		// followed at once, so this adds at most the gap to a send, and
		// only under load.
		if wait := time.Until(lastStart.Add(h.cfg.CommitGap)); wait > 0 {
			t := time.NewTimer(wait)
			select {
			case <-t.C:
			case <-h.ctx.Done():
				t.Stop()
				return
			}
		}
	gather:
		for len(batch) < h.cfg.MaxBatch {
			select {
			case req := <-h.pend:
				add(req)
			default:
				break gather
			}
		}
		pend = pend[:0]
		for _, req := range batch {
			pend = append(pend, req.p)
		}
		ctx, cancel := context.WithTimeout(h.ctx, 15*time.Second)
		lastStart = time.Now()
		results, err := h.cfg.Store.Append(ctx, pend)
		cancel()
		clear(pend)
		if err == nil && len(results) != len(batch) {
			err = errors.New("room: store answered a different number of results")
		}
		select {
		case h.done <- committed{batch, results, err}:
		case <-h.ctx.Done():
			return
		}
	}
}

// deliverLoop applies and fans out committed batches one after the
// other, in commit order (so each room's events are offered in order),
// and acknowledges them: every ack follows its commit.
// A batch committed while the last was being applied joins its writes:
// fewer, fuller writes when the store keeps ahead.
func (h *Hub) deliverLoop() {
	out := fanout{}
	for cb := range h.done {
		h.deliverCommitted(cb.batch, cb.results, cb.err, out)
	more:
		for {
			select {
			case next, ok := <-h.done:
				if !ok {
					break more
				}
				h.deliverCommitted(next.batch, next.results, next.err, out)
			default:
				break more
			}
		}
		out.flush()
	}
}

// deliverCommitted applies, fans out and acknowledges one committed batch,
// leaving the frames in out for the caller to write.
func (h *Hub) deliverCommitted(batch []*request, results []Result, err error, out fanout) {
	if err != nil {
		if h.ctx.Err() == nil {
			h.cfg.Logger.Error("room: storing events", "n", len(batch), "err", err)
		}
		for _, req := range batch {
			out.add(req.c, errorBytes(err, req.key))
		}
		return
	}
	// The per-room lists are the deliverer's own, kept from batch to batch
	// (only deliverLoop calls this), so a batch allocates none.
	byRoom := h.byRoom
	if len(byRoom) > 4096 {
		clear(byRoom) // rooms long gone
	}
	for _, re := range byRoom {
		clear(re.evs)
		re.evs, re.max = re.evs[:0], 0
	}
	for i, res := range results {
		req := batch[i]
		if res.Err != nil || res.Duplicate {
			continue
		}
		ev := res.Event
		ev.Room = req.p.Room
		ev.Alert = ev.Alert || res.Alert
		if ev.Actor == 0 {
			ev.Actor = req.p.Member.ID
		}
		if ev.Name == "" {
			ev.Name = req.p.Member.Pseudonym
		}
		re := byRoom[ev.Room]
		if re == nil {
			re = &roomEvents{}
			byRoom[ev.Room] = re
		}
		re.evs = append(re.evs, ev)
		re.max = max(re.max, ev.Seq)
		results[i].Event = ev
	}
	// Every frame of the batch for a connection — its room's events, its
	// acks, help — is written at once: one network write.
	for room, re := range byRoom {
		if len(re.evs) == 0 {
			continue
		}
		slices.SortFunc(re.evs, func(a, b Event) int { return cmp.Compare(a.Seq, b.Seq) })
		if r := h.lookup(room); r != nil {
			r.offerInto(re.evs, false, out)
		}
		h.cfg.Bell.Ring(room, re.max)
	}
	for i, res := range results {
		req := batch[i]
		if res.Err != nil {
			out.add(req.c, errorBytes(res.Err, req.key))
			if res.Support != nil {
				// Refused (a member muted in the group), but a crisis
				// still brings help to the writer and a human to them.
				out.add(req.c, encode(helpFrame{Type: FrameHelp, Support: res.Support}))
			}
			if res.Alert {
				out.flush()
				h.alertLocal(req.p.Room, req.p.Member)
			}
			continue
		}
		if req.key != "" {
			out.add(req.c, ackBytes(req.key, res.Event.Seq, res.Duplicate))
		}
		if res.Support != nil {
			out.add(req.c, encode(helpFrame{Type: FrameHelp, Seq: res.Event.Seq, Support: res.Support}))
		}
	}
}

// alertLocal tells the room's facilitators on this process that a member
// may need support, for a message that was not stored (no event carries it).
func (h *Hub) alertLocal(room int64, m Member) {
	h.alertOthers(room, m) // and the facilitators on other processes (alerts_live.go)
	r := h.lookup(room)
	if r == nil {
		return
	}
	frame := encode(alertFrame{Type: FrameAlert, Member: m.ID, Name: m.Pseudonym,
		Message: "A member may need support. Their message was not posted; reach out to them privately."})
	r.mu.Lock()
	defer r.mu.Unlock()
	for c := range r.clients {
		if c.m.Facilitator {
			c.push(frame)
		}
	}
}

const alertText = "A member may need support. Their message is marked; reach out to them privately."

// houseLoop polls, announces and expires presence, and closes rooms whose
// time is over.
func (h *Hub) houseLoop() {
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	var lastPoll, lastAnnounce time.Time
	for {
		select {
		case <-h.ctx.Done():
			return
		case <-tick.C:
		}
		now := h.cfg.Now()
		h.mu.Lock()
		rooms := make([]*hubRoom, 0, len(h.rooms))
		for _, r := range h.rooms {
			rooms = append(rooms, r)
		}
		h.mu.Unlock()
		poll := h.cfg.PollEvery > 0 && now.Sub(lastPoll) >= h.cfg.PollEvery
		announce := now.Sub(lastAnnounce) >= h.cfg.PresenceEvery
		if poll {
			lastPoll = now
		}
		if announce {
			lastAnnounce = now
		}
		for _, r := range rooms {
			if poll {
				h.kick(r)
			}
			r.mu.Lock()
			expired := false
			for p, rp := range r.remote {
				if now.Sub(rp.at) > h.cfg.PresenceTTL {
					delete(r.remote, p)
					expired = true
				}
			}
			if expired {
				r.broadcastPresence()
			}
			closing := !r.closes.IsZero() && !now.Before(r.closes)
			var local []Member
			if announce && len(r.present) > 0 {
				local = r.localMembers()
			}
			r.mu.Unlock()
			if local != nil {
				h.cfg.Bell.Presence(r.id, local)
			}
			if closing {
				r.closeAll(CloseClosed, "The room has closed: the meeting is over.", true)
			}
		}
	}
}

func (h *Hub) listenLoop() {
	wait := time.Second
	for h.ctx.Err() == nil {
		err := h.cfg.Bell.Listen(h.ctx, h)
		if h.ctx.Err() != nil {
			return
		}
		h.cfg.Logger.Warn("room: bell stopped listening; retrying", "err", err)
		select {
		case <-time.After(wait):
		case <-h.ctx.Done():
			return
		}
		wait = min(2*wait, 30*time.Second)
	}
}

// hubRoom is one room with members connected to this process.
type hubRoom struct {
	h      *Hub
	id     int64
	group  int64
	refs   int // Serve calls using it (under h.mu)
	fillMu sync.Mutex
	kicked atomic.Bool

	mu      sync.Mutex
	closes  time.Time
	state   *State
	clients map[*client]struct{}
	present map[int64]*localPresence // connected here, by member
	remote  map[string]remotePresence
	names   map[int64]string  // pseudonyms by member id; "" once a member erased their account (forgetErased)
	buckets map[int64]*bucket // message rate per member
}

type localPresence struct {
	m Member
	n int // connections
}

type remotePresence struct {
	members []Member
	at      time.Time
}

// learn keeps a member's pseudonym, unless they erased their account: an
// event stored before the erasure does not bring the name back.
func (r *hubRoom) learn(id int64, name string) {
	if id == 0 || name == "" {
		return
	}
	if old, known := r.names[id]; known && (old == name || old == "") {
		return
	}
	r.names[id] = name
}

// former says whether member id erased their account (r.mu held).
func (r *hubRoom) former(id int64) bool {
	name, known := r.names[id]
	return known && name == ""
}

// offer applies events in sequence order and fans them out. A gap (an
// event past the next expected one) makes the room read the Store, unless
// trust is set (the events come from the Store, which has no more). Each
// connection's frames of the call are written at once: one network write.
func (r *hubRoom) offer(evs []Event, trust bool) {
	out := fanout{}
	r.offerInto(evs, trust, out)
	out.flush()
}

// offerInto is offer, leaving the frames in out for the caller to flush.
func (r *hubRoom) offerInto(evs []Event, trust bool, out fanout) {
	r.mu.Lock()
	defer r.mu.Unlock()
	gap := false
	for _, ev := range evs {
		if ev.Seq <= r.state.Seq {
			continue
		}
		if ev.Seq != r.state.Seq+1 && !trust {
			gap = true
			break
		}
		r.deliver(ev, out)
	}
	if gap {
		r.h.kick(r)
	}
}

// fanout is the set of connections given frames not written yet. Frames
// are queued on each connection at once, in the order they are given (so
// under the room's lock, in sequence order, whoever delivers), and written
// at flush: each connection's frames of several events in one write.
type fanout map[*client]struct{}

func (f fanout) add(c *client, frames ...[]byte) {
	if c.enqueue(frames...) {
		f[c] = struct{}{}
	}
}

func (f fanout) flush() {
	for c := range f {
		c.mu.Lock()
		c.writeQueue()
		delete(f, c)
	}
}

// deliver applies one event and queues it, in out, for those who may see
// it (r.mu held).
func (r *hubRoom) deliver(ev Event, out fanout) {
	r.learn(ev.Actor, ev.Name)
	r.learn(ev.Target, ev.TargetName)
	we := r.wire(ev)
	frame := eventBytes(we)
	var alert []byte
	if ev.Kind == KindMessage && ev.Alert {
		alert = encode(alertFrame{Type: FrameAlert, Seq: ev.Seq, Member: ev.Actor, Name: we.Name, Message: alertText})
	}
	r.state.Apply(ev)
	for c := range r.clients {
		if !visible(ev, c.m) {
			continue
		}
		if alert != nil && c.m.Facilitator {
			out.add(c, frame, alert)
		} else {
			out.add(c, frame)
		}
	}
	switch ev.Kind {
	case KindRemove, KindEnd:
		// What they were sent goes out before the close.
		out.flush()
	}
	switch ev.Kind {
	case KindRemove:
		for c := range r.clients {
			if c.m.ID == ev.Target {
				c.closeAfter(CloseRemoved, "A facilitator has removed you from this meeting.")
			}
		}
	case KindEnd:
		for c := range r.clients {
			c.closeAfter(CloseNormal, "The meeting has ended. Thank you for being here.")
		}
	}
}

// visible says whether m may see ev: held messages go to facilitators and
// their writer; mutes and removals to facilitators and the member acted on.
func visible(ev Event, m Member) bool {
	switch ev.Kind {
	case KindMessage:
		return !ev.Held || m.Facilitator || m.ID == ev.Actor
	case KindMute, KindRemove:
		return m.Facilitator || m.ID == ev.Target
	}
	return true
}

// wire is ev as members see it (r.mu held; before ev is applied, so that
// a release finds the held message).
func (r *hubRoom) wire(ev Event) WireEvent {
	we := wireOf(ev, r.names)
	if ev.Kind == KindRelease {
		if held, ok := r.state.Held[ev.Target]; ok {
			m := wireOf(held, r.names)
			m.Held = false
			we.Message = &m
		}
	}
	return we
}

func wireOf(ev Event, names map[int64]string) WireEvent {
	we := WireEvent{Seq: ev.Seq, Kind: ev.Kind, At: ev.At.UTC(), Actor: ev.Actor, Name: ev.Name, Target: ev.Target,
		TargetName: ev.TargetName, On: ev.On, Round: ev.Round, Seconds: ev.Seconds, Text: ev.Text, Order: ev.Order, Held: ev.Held, Hidden: ev.Hidden, Former: ev.Former}
	if we.Name == "" && !ev.Former && ev.Actor != 0 {
		name, known := names[ev.Actor]
		// "" once the actor erased their account (forgetErased)
		we.Name, we.Former = name, known && name == ""
	}
	if we.TargetName == "" && ev.Target != 0 && ev.Kind != KindRelease && ev.Kind != KindHide { // their targets are sequences
		we.TargetName = names[ev.Target]
	}
	return we
}

// members present, here and on other processes, in order of first entry to
// the room: a member's id is their admission, numbered by the database when
// they first entered, so every process lists the same people in the same
// order (a count kept by each process would put its own members first)
// (r.mu held).
func (r *hubRoom) presentMembers() []Member {
	seen := map[int64]Member{}
	for id, lp := range r.present {
		seen[id] = lp.m
	}
	for _, rp := range r.remote {
		for _, m := range rp.members {
			if _, ok := seen[m.ID]; !ok {
				seen[m.ID] = m
			}
		}
	}
	out := make([]Member, 0, len(seen))
	for _, m := range seen {
		out = append(out, m)
	}
	slices.SortFunc(out, func(a, b Member) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

func (r *hubRoom) localMembers() []Member {
	out := make([]Member, 0, len(r.present))
	for _, lp := range r.present {
		m := lp.m
		m.UserID = 0 // never leaves the process
		out = append(out, m)
	}
	slices.SortFunc(out, func(a, b Member) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

func wireMembers(ms []Member) []WireMember {
	out := make([]WireMember, 0, len(ms))
	for _, m := range ms {
		out = append(out, WireMember{ID: m.ID, Name: m.Pseudonym, Facilitator: m.Facilitator})
	}
	return out
}

func (r *hubRoom) broadcastPresence() {
	frame := encode(presenceFrame{Type: FramePresence, Members: wireMembers(r.presentMembers())})
	for c := range r.clients {
		c.push(frame)
	}
}

// closeAll closes every connection, after what is queued (flush) or now.
func (r *hubRoom) closeAll(code int, reason string, flush bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for c := range r.clients {
		if flush {
			c.closeAfter(code, reason)
		} else {
			c.closeNow(code, reason)
		}
	}
}

// snapshot is the state as m may see it (r.mu held).
func (r *hubRoom) snapshot(m Member) Snapshot {
	s := r.state
	ref := func(id int64) WireMember { return WireMember{ID: id, Name: r.names[id], Former: r.former(id)} }
	snap := Snapshot{Seq: s.Seq, Hands: []WireMember{}, Muted: []int64{}, Locked: s.Locked, Ended: s.Ended}
	for _, id := range s.Hands {
		snap.Hands = append(snap.Hands, ref(id))
	}
	if s.Floor != 0 {
		f := ref(s.Floor)
		snap.Floor = &f
	}
	if rd := s.Round; rd != nil {
		snap.Round = &WireRound{Kind: rd.Kind, Question: rd.Question, Seconds: rd.Seconds, Order: slices.Clone(rd.Order),
			Turn: rd.Current(), TurnAt: rd.TurnAt.UTC(), Passed: append([]int64{}, rd.Passed...)}
	}
	for id := range s.Muted {
		if m.Facilitator || id == m.ID {
			snap.Muted = append(snap.Muted, id)
		}
	}
	slices.Sort(snap.Muted)
	if m.Facilitator {
		for id := range s.Removed {
			snap.Removed = append(snap.Removed, id)
		}
		slices.Sort(snap.Removed)
		for id, v := range s.Voice {
			snap.Voice = append(snap.Voice, WireVoice{Member: id, Name: r.names[id], Former: r.former(id), Messages: v.Messages, Chars: v.Chars})
		}
		slices.SortFunc(snap.Voice, func(a, b WireVoice) int { return cmp.Compare(a.Member, b.Member) })
	}
	for _, ev := range s.Held {
		if m.Facilitator || ev.Actor == m.ID {
			snap.Held = append(snap.Held, wireOf(ev, r.names))
		}
	}
	slices.SortFunc(snap.Held, func(a, b WireEvent) int { return cmp.Compare(a.Seq, b.Seq) })
	return snap
}

// bucket is a token bucket.
type bucket struct {
	tokens float64
	at     time.Time
}

func (b *bucket) take(now time.Time, burst int, per time.Duration) bool {
	switch {
	case b.at.IsZero():
		b.tokens = float64(burst)
	case b.tokens < float64(burst): // a credit above the burst is kept until spent
		b.tokens = min(float64(burst), b.tokens+now.Sub(b.at).Seconds()*float64(burst)/per.Seconds())
	}
	b.at = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// credit adds what d allows at perSec on average, above the burst if need
// be: the frames a client could send while the server kept it waiting.
func (b *bucket) credit(d time.Duration, perSec int) {
	if d > 0 && perSec > 0 {
		b.tokens += d.Seconds() * float64(perSec)
	}
}

// ErrRateLimited is the error frame for a member sending too fast.
var ErrRateLimited = hearth.Coded(hearth.TooMany, "room_rate_limited", "You are sending messages very fast. Please wait a few seconds.")
