// Package room is Hearth's live meeting rooms: the hub that holds the
// connected members of each room, the sequenced event log every process
// folds into the same state, the facilitation rules (raise hand, floor,
// rounds, share of voice, mute, remove, lock, end) and the wire protocol
// (docs/rooms-protocol.md). It knows no SQL and no HTTP: persistence is a
// Store (internal/app implements it on sqldb and the vault), connections
// are a Conn (internal/web adapts a WebSocket library), and other processes
// are reached through a Bell (local: nothing; internal/roombus: NATS).
//
// # Model
//
// A room is one occurrence of an online or hybrid meeting. Everything that
// changes what members see is an Event with a per-room sequence number
// given by the Store inside the transaction that makes it durable: chat
// messages, hands raised and lowered, the floor given, rounds started,
// advanced, passed and ended, mutes, removals, lock, end, and the release
// of a held message. The room's State is a pure fold of its events, so
// every process derives the same state from the same log, and a client that
// reconnects says the last sequence it saw and is sent exactly the events
// after it, in order. Presence (who is connected now) is the only thing not
// in the log: each process knows its own connections and announces them
// (every 10 s, at once when its presence changes, when it first sees
// another process in the room, and after its Bell reconnects).
//
// Nothing is acknowledged to a sender before the Store has committed it
// (group commit: the hub's committer gathers what is pending in all rooms
// into one Store.Append call). A retried send carries the same client key
// and is answered with the sequence it already has, never stored twice.
//
// # Files
//
//   - room.go: the model and the interfaces others implement.
//   - state.go: State (the fold: Apply) and Check (the facilitation rules,
//     errors with stable codes).
//   - protocol.go: the frames both ways, Decode (never panics; limits).
//   - hub.go, serve.go: the Hub. NewHub starts its committer and deliverer, its
//     housekeeping (presence every 10 s, other processes' presence
//     forgotten after 30 s, rooms closed at their time, polling when there
//     is a Bell) and its Bell listener; Serve runs one connection; Evict,
//     CloseRoom and Close. The Hub is the Bell's Listener (and has the
//     optional Reconnected: read every held room and announce presence at
//     once after the Bell's connection came back).
//   - bell.go: LocalBell.
//
// # The hub
//
// Serve waits for hello (or takes the resume point from the caller),
// folds the room's log from the Store if it is the room's first connection
// here, registers the connection and writes the welcome with a snapshot at
// sequence S, then the events after the resume point up to S read from the
// Store page by page, straight to the connection; live events arriving
// meanwhile wait in the connection's queue and follow, so nothing is
// missed or doubled at the seam. Then it reads frames: Decode, the rate
// limits, Check against the room's state, the Store's Prepare when it has
// one (screening and sealing, on this goroutine), and the pending goes to
// the committer, which only runs Store.Append. Its answer goes to the
// deliverer (one goroutine, batches in commit order; the committer is
// already on the next batch) which applies the new events to each room in
// sequence order and fans them out (one encoding per event), rings the
// Bell and acknowledges, handing each connection all its frames of the
// batch at once (one wake-up of its writer, one write). An event past the next expected one
// (another process wrote in between), a ring, or a poll makes the room
// read the Store from its last sequence, one reader per room.
//
// Each connection has a bounded queue (512 frames or 1 MiB, then
// CloseSlow: the client resumes). Frames are queued under the room's lock,
// so in sequence order whoever delivers them, and written by whoever queued
// them with a write that never waits (TryWriter: the deliverer writes each
// connection's frames of a batch in one write); a writer goroutine starts
// only when the socket is full, and exits once the queue is empty. With an
// IdleConn (internal/web on Linux) nothing waits in read either: Serve
// returns after the welcome, and the Conn calls the hub back when a frame
// comes (one epoll goroutine watches every idle socket), so an idle member
// costs no goroutine. Otherwise the reader is the Serve call itself, and
// each frame read is acted on by a goroutine of its own while the reader
// waits, so the reader's stack never grows past what a blocked Conn.Read
// needs.
package room

import (
	"context"
	"time"
)

// Event kinds.
const (
	KindMessage    = "message"     // Text from Actor
	KindHand       = "hand"        // Actor raises (On) or lowers (!On) a hand; a facilitator may lower another's (Target)
	KindFloor      = "floor"       // facilitator gives the floor to Target (0: nobody)
	KindRoundStart = "round_start" // facilitator starts a round: Round (check_in, check_out, question), Text (the question), Seconds (turn timer, 0 none); order = members present, in order of first entry to the room (admission id)
	KindRoundNext  = "round_next"  // the turn moves on (facilitator, or the member whose turn it is when done)
	KindRoundPass  = "round_pass"  // the member whose turn it is passes
	KindRoundEnd   = "round_end"   // facilitator ends the round
	KindMute       = "mute"        // facilitator mutes (On) or unmutes Target for this meeting
	KindRemove     = "remove"      // facilitator removes Target from the room for this meeting
	KindLock       = "lock"        // facilitator locks (On) or unlocks the room: no new entries
	KindEnd        = "end"         // facilitator ends the meeting; the room closes
	KindRelease    = "release"     // facilitator releases held message Target (a sequence) to everyone
	// KindHide: a moderator hid message Target (a sequence) from the room
	// (internal/app appends it when a moderation action hides a room
	// message; no client frame asks for it); Hidden is the reason code.
	KindHide = "hide"
)

// Event is one entry of a room's log.
type Event struct {
	Room  int64     `json:"-"`
	Seq   int64     `json:"seq"`
	Kind  string    `json:"kind"`
	At    time.Time `json:"at"`
	Actor int64     `json:"actor"` // the member (Member.ID) who did it
	// Target is the member acted on (floor, mute, remove, hand) or, for
	// release, the sequence of the held message.
	Target  int64  `json:"target,omitempty"`
	On      bool   `json:"on,omitempty"`
	Round   string `json:"round,omitempty"`
	Seconds int    `json:"seconds,omitempty"`
	Text    string `json:"text,omitempty"` // message text or round question; never logged
	// Key is the sender's idempotency key (messages only).
	Key string `json:"key,omitempty"`
	// Held is true for a message giving method details: delivered to
	// facilitators (and its writer) only until released.
	Held bool `json:"held,omitempty"`
	// Alert is true for a message that read as a crisis: every process
	// sends its facilitators in the room a private alert (no text). The
	// Store keeps it with the event so that facilitators connected to
	// another process are alerted too.
	Alert bool `json:"alert,omitempty"`
	// Hidden is the reason code (a hearth.ActionReason) when a moderator
	// hid this message — Text is then empty — and, on a hide event, why.
	Hidden string `json:"hidden,omitempty"`
	// Order is the turn order of a round (round_start only): the ids
	// (Member.ID) of the members present, in order of first entry to the room, as the hub
	// saw them. The Store keeps it (a list of integers) so that every process
	// folds the same round.
	Order []int64 `json:"order,omitempty"`
	// Name and TargetName are the pseudonyms of Actor and Target in this
	// group. They are not part of what is appended: Since fills them from
	// the admissions (Append may leave them empty; the hub knows the
	// sender's). Never a user id or a handle.
	Name       string `json:"name,omitempty"`
	TargetName string `json:"target_name,omitempty"`
	// Former is true when Actor erased their account and the group kept
	// what they wrote: they have no name any more ("a former member").
	Former bool `json:"former_member,omitempty"`
}

// Member is a person in a room, as the room shows them.
type Member struct {
	// ID is the person's admission to this room (one per person and
	// room, made when they first enter; a guest without a membership has
	// one too): what events, presence and the protocol name them by. It
	// is not a membership id and means nothing outside this room.
	ID          int64
	UserID      int64  // never sent to other members
	Pseudonym   string // the only name other members see
	Facilitator bool
}

// Pending is something a member asks the room to record.
type Pending struct {
	Room   int64
	Member Member
	Event  Event // Kind and its fields; Seq, At and Actor are set by the store
	// Prepared is what the Store's Prepare made of it (opaque to the
	// room; nil when the Store has no Prepare).
	Prepared any
}

// Result is the Store's answer for one Pending, in the same order.
type Result struct {
	Event Event // as stored, with Seq and At
	// Duplicate is true when a message with the same key from the same
	// member was already stored: Event is that earlier one.
	Duplicate bool
	// Support, when not nil, is shown to the writer only (the crisis
	// panel); it is opaque to the room and sent as the "help" frame.
	Support any
	// Alert is true when the message read as a crisis: the room's
	// facilitators get a private alert frame (no text).
	Alert bool
	Err   error // this one was refused (the others may still be stored)
}

// Store makes events durable. Append stores a batch from any rooms in one
// transaction (group commit), giving each new event the next sequence of
// its room, screening and sealing message text; results are in the order
// of the batch. Since returns a room's events after a sequence, in order,
// at most limit of them.
type Store interface {
	Append(ctx context.Context, batch []Pending) ([]Result, error)
	Since(ctx context.Context, room int64, after int64, limit int) ([]Event, error)
}

// Namer is a Store that says what a room's members are called now, by
// member id; a member who erased their account is there with no name.
// A hub told that a person's membership ended (Evicted) asks it for the
// group's rooms it holds, so that a pseudonym gone from the database is
// gone from the room too — its share of voice, hands, round order and
// later events — while the meeting goes on.
type Namer interface {
	Names(ctx context.Context, room int64) (map[int64]string, error)
}

// Preparer is a Store that does the work of a pending that needs no
// transaction before the pending joins a batch — screening a message's
// text and sealing it — so that the hub's one committer only runs the
// transaction. The hub calls Prepare on the sender's goroutine (many run
// at once); an error refuses that pending alone, as a refusal from Append
// would. Append must still accept pendings that were not prepared.
type Preparer interface {
	Prepare(ctx context.Context, p Pending) (Pending, error)
}

// Conn is one member's connection (internal/web adapts a WebSocket).
// Read returns the next text frame. Write sends frames in order, as few
// writes to the network as it can. Close ends the connection with a close
// code and a reason a person can read. Read is called from one goroutine,
// Write from one other; Close from any.
type Conn interface {
	Read(ctx context.Context) ([]byte, error)
	Write(ctx context.Context, frames [][]byte) error
	Close(code int, reason string)
}

// Bell tells other processes that a room's log has grown, and that a
// member must be disconnected, and carries presence. The local Bell does
// nothing (one process); internal/roombus rings over NATS. A lost ring only
// delays delivery: every process also polls the Store for rooms it holds.
type Bell interface {
	Ring(room, seq int64)
	Evict(group, user int64)
	Presence(room int64, members []Member)
	// Listen delivers what other processes ring until ctx ends.
	Listen(ctx context.Context, l Listener) error
}

// Listener receives what other processes ring.
type Listener interface {
	Rung(room, seq int64)
	Evicted(group, user int64)
	Present(process string, room int64, members []Member)
}

// Close codes sent to clients (4000–4999 are the application's own).
const (
	CloseNormal      = 1000 // the meeting ended or the member left
	CloseBadFrame    = 1003 // a frame that is not valid JSON or not a known type
	ClosePolicy      = 1008 // origin refused
	CloseTooBig      = 1009 // a frame above the size limit
	CloseUnavailable = 1013 // the server is shutting down: reconnect
	CloseRemoved     = 4003 // removed from the room, the group, or banned
	CloseSlow        = 4008 // the client fell behind; reconnect with resume
	CloseClosed      = 4009 // the room is not open (before the window, after the end, ended, locked)
	CloseRateLimited = 4029 // too many frames
)
