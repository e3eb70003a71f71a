package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hearth-org/hearth"
)

// Room storage: rooms (one per meeting occurrence), who entered them, and
// their sequenced logs. Sequence numbers are given inside the transaction
// that stores the events: the room's row is locked (FOR UPDATE on
// PostgreSQL; SQLite's single writer serializes), its last_seq raised by
// the number of new events, and the events inserted with the numbers below
// it — so two processes appending to one room take turns and never give
// the same number twice, and a rolled-back batch gives none away. Text is
// stored only as the vault sealed it; the seal callback is handed each new
// event once its number is known (the number is part of what the seal is
// bound to).

// Room is one occurrence's room.
type Room struct {
	ID        int64
	GroupID   int64
	MeetingID int64
	Original  time.Time // the occurrence's original start (UTC)
	Opens     time.Time
	Closes    time.Time
	LastSeq   int64
	Locked    bool
	Ended     time.Time // zero while not ended
	Purged    time.Time // when its history was deleted (zero: not yet)
	CreatedAt time.Time
}

const roomCols = `id, group_id, meeting_id, original_at, opens_at, closes_at, last_seq, locked, ended_at, purged_at, created_at`

func scanRoom(row rowScanner) (*Room, error) {
	var r Room
	var orig, opens, closes, ended, purged, created int64
	if err := row.Scan(&r.ID, &r.GroupID, &r.MeetingID, &orig, &opens, &closes, &r.LastSeq, &r.Locked, &ended, &purged, &created); err != nil {
		return nil, err
	}
	r.Original, r.Opens, r.Closes, r.Ended, r.Purged, r.CreatedAt = fromUnix(orig), fromUnix(opens), fromUnix(closes), fromUnix(ended), fromUnix(purged), fromUnix(created)
	return &r, nil
}

// EnsureRoom returns the room of an occurrence (r.MeetingID, r.Original),
// creating it with r's group and window when there is none, or moving the
// existing room's window to r's (an occurrence moved after its room was
// made). Two callers at once get the same room, on both engines: the
// insert and the update are one statement.
func (t *Tx) EnsureRoom(ctx context.Context, r *Room) (*Room, error) {
	got, err := scanRoom(t.queryRow(ctx, `INSERT INTO rooms (group_id, meeting_id, original_at, opens_at, closes_at, created_at) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (meeting_id, original_at) DO UPDATE SET opens_at = excluded.opens_at, closes_at = excluded.closes_at
		RETURNING `+roomCols, r.GroupID, r.MeetingID, unix(r.Original), unix(r.Opens), unix(r.Closes), t.db.now().Unix()))
	if err != nil {
		return nil, fmt.Errorf("ensure room: %w", err)
	}
	return got, nil
}

// Room returns a room by id.
func (db *DB) Room(ctx context.Context, id int64) (*Room, error) {
	r, err := scanRoom(db.queryRow(ctx, `SELECT `+roomCols+` FROM rooms WHERE id = ?`, id))
	return r, notFound(err, "The room")
}

// RoomOf returns the room of an occurrence (NotFound when nobody has
// entered it yet).
func (db *DB) RoomOf(ctx context.Context, meetingID int64, original time.Time) (*Room, error) {
	r, err := scanRoom(db.queryRow(ctx, `SELECT `+roomCols+` FROM rooms WHERE meeting_id = ? AND original_at = ?`, meetingID, unix(original)))
	return r, notFound(err, "The room")
}

// ---------------------------------------------------------------------------
// Admissions

// Admission is a person let into a room. Its ID is how the room's events
// name them.
type Admission struct {
	ID           int64
	RoomID       int64
	UserID       int64
	MembershipID int64 // 0 for a guest
	Pseudonym    string
	Facilitator  bool
	AdmittedAt   time.Time
}

const admissionCols = `id, room_id, user_id, membership_id, pseudonym, facilitator, admitted_at`

func scanAdmission(row rowScanner) (*Admission, error) {
	var a Admission
	var at int64
	if err := row.Scan(&a.ID, &a.RoomID, &a.UserID, &a.MembershipID, &a.Pseudonym, &a.Facilitator, &at); err != nil {
		return nil, err
	}
	a.AdmittedAt = fromUnix(at)
	return &a, nil
}

// Admission returns a person's admission to a room (NotFound: never
// entered).
func (t *Tx) Admission(ctx context.Context, roomID, userID int64) (*Admission, error) {
	return admission(ctx, t, roomID, userID)
}

// Admission returns a person's admission to a room, read outside a
// transaction.
func (db *DB) Admission(ctx context.Context, roomID, userID int64) (*Admission, error) {
	return admission(ctx, db, roomID, userID)
}

func admission(ctx context.Context, r reader, roomID, userID int64) (*Admission, error) {
	a, err := scanAdmission(r.queryRow(ctx, `SELECT `+admissionCols+` FROM room_admissions WHERE room_id = ? AND user_id = ?`, roomID, userID))
	return a, notFound(err, "The admission")
}

// AdmissionByID returns one admission by its id (what a room's events
// name), read outside a transaction.
func (db *DB) AdmissionByID(ctx context.Context, id int64) (*Admission, error) {
	a, err := scanAdmission(db.queryRow(ctx, `SELECT `+admissionCols+` FROM room_admissions WHERE id = ?`, id))
	return a, notFound(err, "The admission")
}

// RoomPseudonyms returns the pseudonym of every admission to a room, by
// admission id: "" for a person who erased their account (EraseUser).
func (db *DB) RoomPseudonyms(ctx context.Context, roomID int64) (map[int64]string, error) {
	type row struct {
		id   int64
		name string
	}
	rows, err := list(ctx, db, "room pseudonyms", func(r rowScanner) (row, error) {
		var x row
		return x, r.Scan(&x.id, &x.name)
	}, `SELECT id, pseudonym FROM room_admissions WHERE room_id = ?`, roomID)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]string, len(rows))
	for _, x := range rows {
		out[x.id] = x.name
	}
	return out, nil
}

// RemovedFromRoom reports, outside a transaction, whether a facilitator
// removed the admission from the room.
func (db *DB) RemovedFromRoom(ctx context.Context, roomID, admissionID int64) (bool, error) {
	return removedFromRoom(ctx, db, roomID, admissionID)
}

// Admit records a person's entry to a room, or refreshes an earlier one
// (pseudonym, role, membership as they are now); a.ID is set.
func (t *Tx) Admit(ctx context.Context, a *Admission) error {
	err := t.queryRow(ctx, `INSERT INTO room_admissions (room_id, user_id, membership_id, pseudonym, facilitator, admitted_at) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (room_id, user_id) DO UPDATE SET membership_id = excluded.membership_id, pseudonym = excluded.pseudonym,
		facilitator = excluded.facilitator RETURNING id, admitted_at`,
		a.RoomID, a.UserID, a.MembershipID, a.Pseudonym, a.Facilitator, unix(a.AdmittedAt)).Scan(&a.ID, new(int64))
	if err != nil {
		return fmt.Errorf("admit: %w", err)
	}
	return nil
}

// CountGuests counts a room's admissions without a membership.
func (t *Tx) CountGuests(ctx context.Context, roomID int64) (int, error) {
	var n int
	if err := t.queryRow(ctx, `SELECT COUNT(*) FROM room_admissions WHERE room_id = ? AND membership_id = 0`, roomID).Scan(&n); err != nil {
		return 0, fmt.Errorf("count guests: %w", err)
	}
	return n, nil
}

// RemovedFromRoom reports whether a facilitator removed the admission from
// the room (a remove event names it).
func (t *Tx) RemovedFromRoom(ctx context.Context, roomID, admissionID int64) (bool, error) {
	return removedFromRoom(ctx, t, roomID, admissionID)
}

func removedFromRoom(ctx context.Context, r reader, roomID, admissionID int64) (bool, error) {
	var n int
	err := r.queryRow(ctx, `SELECT COUNT(*) FROM room_events WHERE room_id = ? AND kind = 'remove' AND target = ?`, roomID, admissionID).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("removed from room: %w", err)
	}
	return n > 0, nil
}

// ---------------------------------------------------------------------------
// Events

// RoomEvent is one stored entry of a room's log.
type RoomEvent struct {
	Room    int64
	Seq     int64
	Kind    string
	Actor   int64 // admission id
	Target  int64 // admission id, or a sequence (release)
	On      bool
	Round   string
	Seconds int
	Order   []int64
	Key     string // messages only
	Held    bool
	Alert   bool
	Sealed  []byte // the text as the vault sealed it (messages, a round's question)
	At      time.Time
	// Name and TargetName are the pseudonyms of Actor and Target, filled
	// by RoomEventsSince.
	Name, TargetName string
}

// AppendEvent is one event a batch asks to store, and what became of it.
type AppendEvent struct {
	RoomEvent
	// UserID is the account the sender's admission must belong to.
	UserID int64
	// GroupID, when not 0, is the group the event's text was sealed for
	// before the transaction: the event is refused unless its room is
	// that group's.
	GroupID int64
	// Duplicate: a message with the same key from the same sender was
	// stored already; RoomEvent is that earlier one.
	Duplicate bool
	// Err is why this one was refused (the rest of the batch is stored).
	Err error

	dupOf *AppendEvent
}

// Kinds only a room's facilitators may append (the hub checks them first;
// the store refuses them from anyone else all the same).
var facilitatorKinds = []string{"floor", "round_start", "round_end", "mute", "remove", "lock", "end", "release"}

// AppendRoomEvents stores a batch of events from any rooms in the
// transaction, in the batch's order per room: each room's row is locked,
// each message's key checked (a retried send is answered with the event
// stored before, Duplicate, and takes no number), the room's last_seq
// raised by the number of new events, each new event numbered and handed
// to seal (which sets Sealed; nil when the events come sealed), and all
// inserted. Every step is one statement for the whole batch (arrays on
// PostgreSQL; on SQLite a JSON array and statements prepared once, the
// rows in chunks of fixed sizes), so a batch costs the same few
// statements whatever its size. An
// event is refused (its Err set) when its room does not exist, is ended or
// closed, when its sender was not admitted to that room or is no longer an
// active member, when a member-only step comes from someone who does not
// facilitate, or when a message's sender is muted in the group. Lock and
// end events also change the room's row.
//
// On SQLite the keys are not kept unique by an index: a retried send is
// found through the memory of each room's keys (markSent, roomkeys.go).
// PostgreSQL looks the keys up against its unique index.
func (t *Tx) AppendRoomEvents(ctx context.Context, evs []*AppendEvent, at time.Time, seal func(*AppendEvent) error) error {
	if len(evs) == 0 {
		return nil
	}
	at = at.UTC().Truncate(time.Second)
	rooms, err := t.lockRooms(ctx, evs)
	if err != nil {
		return err
	}
	if err := t.checkSenders(ctx, evs, rooms, at); err != nil {
		return err
	}
	if t.db.engine == Postgres {
		if err := t.findDuplicates(ctx, evs, true); err != nil {
			return err
		}
		return t.numberRoomEvents(ctx, evs, rooms, at, seal)
	}
	if err := t.findDuplicates(ctx, evs, false); err != nil {
		return err
	}
	if err := t.markSent(ctx, evs, rooms); err != nil {
		return err
	}
	if err := t.numberRoomEvents(ctx, evs, rooms, at, seal); err != nil {
		return err
	}
	from, to := map[int64]int64{}, map[int64]int64{}
	for _, e := range evs {
		if e.Err == nil && !e.Duplicate {
			from[e.Room] = rooms[e.Room].LastSeq
			to[e.Room] = max(to[e.Room], e.Seq)
		}
	}
	if len(to) > 0 {
		t.AfterCommit(func() { t.db.rememberSent(evs, from, to) })
	}
	return nil
}

// numberRoomEvents numbers the batch's new events per room, raises each
// room's last_seq, seals and inserts them (AppendRoomEvents, once the
// rooms are locked, the senders checked and the keys known).
func (t *Tx) numberRoomEvents(ctx context.Context, evs []*AppendEvent, rooms map[int64]*Room, at time.Time, seal func(*AppendEvent) error) error {
	// Per room, in batch order: what is new, and what the room becomes.
	type change struct {
		room   *Room
		events []*AppendEvent
		locked bool
		ended  int64
	}
	changes := map[int64]*change{}
	var order []int64
	for _, e := range evs {
		if e.Err != nil || e.Duplicate {
			continue
		}
		c := changes[e.Room]
		if c == nil {
			r := rooms[e.Room]
			c = &change{room: r, locked: r.Locked, ended: unix(r.Ended)}
			changes[e.Room] = c
			order = append(order, e.Room)
		}
		if c.ended != 0 {
			e.Err = hearth.Coded(hearth.Conflict, "room_ended", "The meeting has ended.")
			continue
		}
		switch e.Kind {
		case "lock":
			c.locked = e.On
		case "end":
			c.ended = at.Unix()
		}
		e.At = at
		c.events = append(c.events, e)
	}
	slices.Sort(order)
	order = slices.DeleteFunc(order, func(id int64) bool { return len(changes[id].events) == 0 })
	if len(order) == 0 {
		return nil
	}
	ns, locked, ended := make([]int64, len(order)), make([]bool, len(order)), make([]int64, len(order))
	for i, id := range order {
		c := changes[id]
		ns[i], locked[i], ended[i] = int64(len(c.events)), c.locked, c.ended
	}
	last, err := t.bumpRooms(ctx, order, ns, locked, ended)
	if err != nil {
		return err
	}
	var fresh []*AppendEvent
	for _, id := range order {
		c := changes[id]
		l, ok := last[id]
		if !ok {
			return fmt.Errorf("number room %d events: the room was not updated", id)
		}
		first := l - int64(len(c.events)) + 1
		for i, e := range c.events {
			e.Seq = first + int64(i)
			if seal != nil {
				if err := seal(e); err != nil {
					return err
				}
			}
			fresh = append(fresh, e)
		}
	}
	return t.insertRoomEvents(ctx, fresh)
}

// bumpRooms raises each room's last_seq by its number of new events, sets
// its lock and end, and returns the new last_seq of each, in one statement
// however many rooms the batch touches: an UPDATE of arrays on PostgreSQL
// (one round trip), an UPDATE … FROM json_each on SQLite (prepared once).
func (t *Tx) bumpRooms(ctx context.Context, ids, ns []int64, locked []bool, ended []int64) (map[int64]int64, error) {
	last := make(map[int64]int64, len(ids))
	var rows *sql.Rows
	var err error
	if t.db.engine == Postgres {
		rows, err = t.tx.QueryContext(ctx, `UPDATE rooms r SET last_seq = r.last_seq + u.n, locked = u.locked, ended_at = u.ended
			FROM unnest($1::bigint[], $2::bigint[], $3::boolean[], $4::bigint[]) AS u(id, n, locked, ended)
			WHERE r.id = u.id RETURNING r.id, r.last_seq`, ids, ns, locked, ended)
	} else {
		// [[id, n, locked, ended], …]
		b := make([]byte, 0, 32*len(ids))
		b = append(b, '[')
		for i, id := range ids {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, '[')
			b = strconv.AppendInt(b, id, 10)
			b = append(b, ',')
			b = strconv.AppendInt(b, ns[i], 10)
			b = append(b, ',')
			b = strconv.AppendBool(b, locked[i])
			b = append(b, ',')
			b = strconv.AppendInt(b, ended[i], 10)
			b = append(b, ']')
		}
		b = append(b, ']')
		rows, err = t.roomQuery(ctx, qBumpRooms, string(b))
	}
	if err != nil {
		return nil, fmt.Errorf("number room events: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, l int64
		if err := rows.Scan(&id, &l); err != nil {
			return nil, err
		}
		last[id] = l
	}
	return last, rows.Err()
}

const insertRoomEvent = `INSERT INTO room_events (room_id, seq, kind, actor, target, is_on, round, seconds, turn_order, client_key, held, alert, sealed, created_at)
	VALUES `

const roomEventRow = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"

func roomEventArgs(args []any, e *AppendEvent) []any {
	var key any
	if e.Key != "" {
		key = e.Key
	}
	return append(args, e.Room, e.Seq, e.Kind, e.Actor, e.Target, e.On, e.Round, e.Seconds, joinIDs(e.Order), key, e.Held, e.Alert, e.Sealed, unix(e.At))
}

// insertChunks are the row counts of SQLite's prepared multi-row INSERTs:
// a batch is written in the fewest of them (160 rows: 64, 64, 16, 16).
var insertChunks = [...]int{64, 16, 4, 1}

// insertRoomEvents writes numbered events: on PostgreSQL in one INSERT of
// arrays (one round trip, and one statement text whatever the batch's
// size, so its plan is cached); on SQLite in multi-row INSERTs of fixed
// sizes, each prepared once on the writer connection (so a batch of 160
// is four statements stepped, none parsed).
func (t *Tx) insertRoomEvents(ctx context.Context, evs []*AppendEvent) error {
	if t.db.engine != Postgres {
		args := make([]any, 0, 14*insertChunks[0])
		for len(evs) > 0 {
			q := len(insertChunks) - 1
			for i, n := range insertChunks {
				if len(evs) >= n {
					q = i
					break
				}
			}
			n := insertChunks[q]
			args = args[:0]
			for _, e := range evs[:n] {
				args = roomEventArgs(args, e)
			}
			if _, err := t.roomExec(ctx, qInsert64+roomSQL(q), args...); err != nil {
				return fmt.Errorf("store room events: %w", err)
			}
			evs = evs[n:]
		}
		return nil
	}
	// One statement whatever the batch's size: every column as an array.
	n := len(evs)
	var (
		room, seq, actor, target, seconds, at = make([]int64, n), make([]int64, n), make([]int64, n), make([]int64, n), make([]int64, n), make([]int64, n)
		kind, round, order                    = make([]string, n), make([]string, n), make([]string, n)
		key                                   = make([]*string, n)
		on, held, alert                       = make([]bool, n), make([]bool, n), make([]bool, n)
		sealed                                = make([][]byte, n)
	)
	for i, e := range evs {
		room[i], seq[i], actor[i], target[i], seconds[i], at[i] = e.Room, e.Seq, e.Actor, e.Target, int64(e.Seconds), unix(e.At)
		kind[i], round[i], order[i] = e.Kind, e.Round, joinIDs(e.Order)
		if e.Key != "" {
			key[i] = &e.Key
		}
		on[i], held[i], alert[i], sealed[i] = e.On, e.Held, e.Alert, e.Sealed
	}
	_, err := t.tx.ExecContext(ctx, `INSERT INTO room_events (room_id, seq, kind, actor, target, is_on, round, seconds, turn_order, client_key, held, alert, sealed, created_at)
		SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::bigint[], $5::bigint[], $6::boolean[], $7::text[], $8::bigint[], $9::text[],
		$10::text[], $11::boolean[], $12::boolean[], $13::bytea[], $14::bigint[])`,
		room, seq, kind, actor, target, on, round, seconds, order, key, held, alert, sealed, at)
	if err != nil {
		return fmt.Errorf("store room events: %w", err)
	}
	return nil
}

// lockRooms locks the batch's rooms (in id order, so two batches never
// wait on each other in a circle) and refuses events of rooms that do not
// exist.
func (t *Tx) lockRooms(ctx context.Context, evs []*AppendEvent) (map[int64]*Room, error) {
	var ids []int64
	for _, e := range evs {
		if !slices.Contains(ids, e.Room) {
			ids = append(ids, e.Room)
		}
	}
	slices.Sort(ids)
	var rows *sql.Rows
	var err error
	if t.db.engine == Postgres {
		rows, err = t.tx.QueryContext(ctx, `SELECT `+roomCols+` FROM rooms WHERE id = ANY($1::bigint[]) ORDER BY id FOR UPDATE`, ids)
	} else {
		rows, err = t.roomQuery(ctx, qLockRooms, intsJSON(ids))
	}
	if err != nil {
		return nil, fmt.Errorf("lock rooms: %w", err)
	}
	defer rows.Close()
	rooms := make(map[int64]*Room, len(ids))
	for rows.Next() {
		r, err := scanRoom(rows)
		if err != nil {
			return nil, fmt.Errorf("lock rooms: %w", err)
		}
		rooms[r.ID] = r
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("lock rooms: %w", err)
	}
	for _, e := range evs {
		if rooms[e.Room] == nil {
			e.Err = hearth.Coded(hearth.NotFound, "no_room", "The room was not found.")
		}
	}
	return rooms, nil
}

// checkSenders refuses events whose sender is not admitted to the room
// (or no longer an active member), facilitation steps from someone who
// does not facilitate, events of rooms that are closed, and messages from
// someone muted in the group.
func (t *Tx) checkSenders(ctx context.Context, evs []*AppendEvent, rooms map[int64]*Room, at time.Time) error {
	var ids, users []int64
	for _, e := range evs {
		if e.Err == nil {
			ids = append(ids, e.Actor)
			users = append(users, e.UserID)
		}
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	slices.Sort(users)
	users = slices.Compact(users)
	if len(ids) == 0 {
		return nil
	}
	type sender struct {
		Admission
		status string
	}
	senders := make(map[int64]sender, len(ids))
	var rows *sql.Rows
	var err error
	const admissions = `SELECT a.id, a.room_id, a.user_id, a.membership_id, a.facilitator, COALESCE(m.status, '') FROM room_admissions a
		LEFT JOIN memberships m ON m.id = a.membership_id WHERE a.id `
	if t.db.engine == Postgres {
		rows, err = t.tx.QueryContext(ctx, admissions+`= ANY($1::bigint[])`, ids)
	} else {
		rows, err = t.roomQuery(ctx, qSenders, intsJSON(ids))
	}
	if err != nil {
		return fmt.Errorf("room senders: %w", err)
	}
	for rows.Next() {
		var s sender
		if err := rows.Scan(&s.ID, &s.RoomID, &s.UserID, &s.MembershipID, &s.Facilitator, &s.status); err != nil {
			rows.Close()
			return err
		}
		senders[s.ID] = s
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	muted := map[[2]int64]bool{}
	if t.db.engine == Postgres {
		rows, err = t.tx.QueryContext(ctx, `SELECT group_id, user_id FROM mutes WHERE until_at > $1 AND user_id = ANY($2::bigint[])`, at.Unix(), users)
	} else {
		rows, err = t.roomQuery(ctx, qMutes, at.Unix(), intsJSON(users))
	}
	if err != nil {
		return fmt.Errorf("room mutes: %w", err)
	}
	for rows.Next() {
		var g, u int64
		if err := rows.Scan(&g, &u); err != nil {
			rows.Close()
			return err
		}
		muted[[2]int64{g, u}] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, e := range evs {
		if e.Err != nil {
			continue
		}
		r := rooms[e.Room]
		s, ok := senders[e.Actor]
		switch {
		case e.GroupID != 0 && e.GroupID != r.GroupID:
			e.Err = hearth.Coded(hearth.NotFound, "no_room", "The room was not found.")
		case e.Kind == "hide" && e.Actor == 0:
			// A moderator's hide or restore from outside the room
			// (internal/app, moderateInRoom): there is no admitted sender.
			// No client frame decodes to a hide and the hub always sends
			// as an admission, so only the app appends one; an open room
			// takes it.
			if at.After(r.Closes) {
				e.Err = hearth.Coded(hearth.Conflict, "room_closed", "The room has closed.")
			}
		case !ok || s.RoomID != e.Room || s.UserID != e.UserID || (s.MembershipID != 0 && s.status != string(hearth.StatusActive)):
			e.Err = hearth.Coded(hearth.Forbidden, "not_in_room", "You are not in this room.")
		case at.After(r.Closes):
			e.Err = hearth.Coded(hearth.Conflict, "room_closed", "The room has closed.")
		case slices.Contains(facilitatorKinds, e.Kind) && !s.Facilitator:
			e.Err = hearth.Coded(hearth.Forbidden, "room_facilitators_only", "Only the meeting's facilitators can do that.")
		case e.Kind == "message" && muted[[2]int64{r.GroupID, e.UserID}]:
			e.Err = hearth.Coded(hearth.Forbidden, "muted", "A moderator has paused your posting in this group.")
		}
	}
	return nil
}

// findDuplicates marks messages whose (room, sender, key) comes earlier in
// the same batch — or, with lookup, is stored already — as Duplicate of
// that event, and refuses keys that are not UTF-8. The batch's keys are
// looked up in one statement: triples as arrays on PostgreSQL against its
// (room, actor, key) index. SQLite calls it without lookup: its stored
// keys are found by markSent (roomkeys.go).
func (t *Tx) findDuplicates(ctx context.Context, evs []*AppendEvent, lookup bool) error {
	var first map[sentKey]*AppendEvent
	if s := t.db.sentKeys; s != nil {
		// SQLite: one writer at a time, so one map serves every batch.
		if s.first == nil {
			s.first = make(map[sentKey]*AppendEvent, len(evs))
		}
		first = s.first
		defer clear(first)
	} else {
		first = make(map[sentKey]*AppendEvent, len(evs))
	}
	var keys []sentKey
	for _, e := range evs {
		if e.Err != nil || e.Key == "" || first[sentKey{e.Room, e.Actor, e.Key}] != nil {
			continue
		}
		if !utf8.ValidString(e.Key) {
			e.Err = hearth.Coded(hearth.Invalid, "room_bad_key", "The message key is not valid UTF-8.")
			continue
		}
		first[sentKey{e.Room, e.Actor, e.Key}] = e
		keys = append(keys, sentKey{e.Room, e.Actor, e.Key})
	}
	var stored map[sentKey]*RoomEvent
	if lookup && len(keys) > 0 {
		var err error
		if stored, err = t.storedMessages(ctx, keys); err != nil {
			return err
		}
	}
	for _, e := range evs {
		if e.Err != nil || e.Key == "" {
			continue
		}
		kk := sentKey{e.Room, e.Actor, e.Key}
		if ev := stored[kk]; ev != nil {
			e.RoomEvent, e.Duplicate = *ev, true
			continue
		}
		if f := first[kk]; f != e {
			// The same send twice in one batch: the second is answered
			// with the first once it is numbered (DuplicateOf).
			e.Duplicate = true
			e.dupOf = f
		}
	}
	return nil
}

// sentKey is what makes a message unique: its room, sender and key.
type sentKey struct {
	room, actor int64
	key         string
}

// storedMessages returns the stored messages with these keys.
func (t *Tx) storedMessages(ctx context.Context, keys []sentKey) (map[sentKey]*RoomEvent, error) {
	var rows *sql.Rows
	var err error
	if t.db.engine == Postgres {
		rs, as, ks := make([]int64, len(keys)), make([]int64, len(keys)), make([]string, len(keys))
		for i, kk := range keys {
			rs[i], as[i], ks[i] = kk.room, kk.actor, kk.key
		}
		// LATERAL with LIMIT (the key is unique; the limit keeps the
		// subquery from being flattened): one index look-up per key. A
		// plain join was planned as a hash join over a scan of every
		// stored event (3–77 ms at 16,000 events, growing with the log).
		rows, err = t.tx.QueryContext(ctx, `SELECT `+roomEventCols+`, '', '' FROM unnest($1::bigint[], $2::bigint[], $3::text[]) AS s(room_id, actor, client_key)
			CROSS JOIN LATERAL (SELECT * FROM room_events x WHERE x.room_id = s.room_id AND x.actor = s.actor AND x.client_key = s.client_key LIMIT 1) e`, rs, as, ks)
	} else {
		// [[room, actor, "key"], …]
		b := make([]byte, 0, 48*len(keys))
		b = append(b, '[')
		for i, kk := range keys {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, '[')
			b = strconv.AppendInt(b, kk.room, 10)
			b = append(b, ',')
			b = strconv.AppendInt(b, kk.actor, 10)
			b = append(b, ',')
			b = appendJSONString(b, kk.key)
			b = append(b, ']')
		}
		b = append(b, ']')
		rows, err = t.roomQuery(ctx, qSentMessages, string(b))
	}
	if err != nil {
		return nil, fmt.Errorf("find sent messages: %w", err)
	}
	defer rows.Close()
	stored := map[sentKey]*RoomEvent{}
	for rows.Next() {
		ev, err := scanRoomEvent(rows)
		if err != nil {
			return nil, fmt.Errorf("find sent messages: %w", err)
		}
		stored[sentKey{ev.Room, ev.Actor, ev.Key}] = ev
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find sent messages: %w", err)
	}
	return stored, nil
}

// DuplicateOf returns the event a duplicate within the same batch repeats
// (nil otherwise); after AppendRoomEvents it carries its number.
func (e *AppendEvent) DuplicateOf() *AppendEvent { return e.dupOf }

const roomEventCols = `e.room_id, e.seq, e.kind, e.actor, e.target, e.is_on, e.round, e.seconds, e.turn_order, COALESCE(e.client_key, ''), e.held, e.alert, e.sealed, e.created_at`

func scanRoomEvent(row rowScanner) (*RoomEvent, error) {
	var e RoomEvent
	var order string
	var at int64
	if err := row.Scan(&e.Room, &e.Seq, &e.Kind, &e.Actor, &e.Target, &e.On, &e.Round, &e.Seconds, &order, &e.Key, &e.Held, &e.Alert, &e.Sealed, &at,
		&e.Name, &e.TargetName); err != nil {
		return nil, err
	}
	e.At = fromUnix(at)
	var err error
	if e.Order, err = splitIDs(order); err != nil {
		return nil, fmt.Errorf("room %d event %d: %w", e.Room, e.Seq, err)
	}
	return &e, nil
}

// ---------------------------------------------------------------------------
// SQLite's prepared statements

// roomSQL names one of the room log's SQLite statements. They have fixed
// texts (a batch's ids travel as one JSON array, its rows in chunks of
// fixed sizes), so each is prepared once on the writer connection when
// the database opens and only stepped after that: parsing them anew for
// every batch cost a tenth of the server's time under load. PostgreSQL
// needs none of this: pgx caches a prepared statement per connection and
// statement text, and its texts are fixed too (arrays).
type roomSQL int

const (
	qLockRooms roomSQL = iota
	qSenders
	qMutes
	qSentMessages
	qBumpRooms
	qInsert64 // then one per insertChunks size, in its order
	nRoomSQL  = qInsert64 + roomSQL(len(insertChunks))
)

// roomStatements are the prepared statements, by roomSQL.
type roomStatements [nRoomSQL]*sql.Stmt

func sqliteRoomSQL(q roomSQL) string {
	switch q {
	case qLockRooms:
		return `SELECT ` + roomCols + ` FROM rooms WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id`
	case qSenders:
		return `SELECT a.id, a.room_id, a.user_id, a.membership_id, a.facilitator, COALESCE(m.status, '') FROM room_admissions a
			LEFT JOIN memberships m ON m.id = a.membership_id WHERE a.id IN (SELECT value FROM json_each(?))`
	case qMutes:
		return `SELECT group_id, user_id FROM mutes WHERE until_at > ? AND user_id IN (SELECT value FROM json_each(?))`
	case qSentMessages:
		// CROSS JOIN keeps the keys outside: each reads its room's rows
		// through the primary key (SQLite has no key index: only markSent's
		// rare fallback asks).
		return `SELECT ` + roomEventCols + `, '', '' FROM json_each(?) s CROSS JOIN room_events e
			ON e.room_id = (s.value ->> 0) AND e.actor = (s.value ->> 1) AND e.client_key = (s.value ->> 2)`
	case qBumpRooms:
		return `UPDATE rooms SET last_seq = last_seq + (u.value ->> 1), locked = (u.value ->> 2), ended_at = (u.value ->> 3)
			FROM json_each(?) u WHERE rooms.id = (u.value ->> 0) RETURNING rooms.id, rooms.last_seq`
	}
	n := insertChunks[q-qInsert64]
	return insertRoomEvent + strings.Repeat(roomEventRow+", ", n-1) + roomEventRow
}

// prepareRoomStatements prepares the room log's SQLite statements on the
// writer pool (its one connection); Open calls it after the migrations.
func (db *DB) prepareRoomStatements(ctx context.Context) error {
	if db.engine == Postgres {
		return nil
	}
	st := new(roomStatements)
	for q := range nRoomSQL {
		p, err := db.write.PrepareContext(ctx, sqliteRoomSQL(q))
		if err != nil {
			for _, p := range st {
				if p != nil {
					p.Close()
				}
			}
			return fmt.Errorf("prepare room statement %d: %w", q, err)
		}
		st[q] = p
	}
	db.roomStmts = st
	return nil
}

// roomStmt returns a prepared statement for this transaction (on the
// connection it was prepared on, nothing is parsed again), or prepares it
// here if the database was opened without them.
func (t *Tx) roomStmt(ctx context.Context, q roomSQL) (*sql.Stmt, error) {
	if t.db.roomStmts != nil {
		return t.tx.StmtContext(ctx, t.db.roomStmts[q]), nil
	}
	return t.tx.PrepareContext(ctx, sqliteRoomSQL(q))
}

func (t *Tx) roomQuery(ctx context.Context, q roomSQL, args ...any) (*sql.Rows, error) {
	st, err := t.roomStmt(ctx, q)
	if err != nil {
		return nil, err
	}
	// The rows keep the statement open until they are closed; the
	// transaction closes it at its end.
	return st.QueryContext(ctx, args...)
}

func (t *Tx) roomExec(ctx context.Context, q roomSQL, args ...any) (sql.Result, error) {
	st, err := t.roomStmt(ctx, q)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	return st.ExecContext(ctx, args...)
}

// intsJSON writes ids as a JSON array.
func intsJSON(ids []int64) string {
	b := make([]byte, 0, 8*len(ids)+2)
	b = append(b, '[')
	for i, id := range ids {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, id, 10)
	}
	return string(append(b, ']'))
}

// appendJSONString writes s (valid UTF-8) as a JSON string.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c < 0x20:
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
		default:
			b = append(b, c)
		}
	}
	return append(b, '"')
}

// RoomEventsSince returns a room's events after a sequence, in order, at
// most limit of them, with the pseudonyms of who did them and to whom.
func (db *DB) RoomEventsSince(ctx context.Context, roomID, after int64, limit int) ([]*RoomEvent, error) {
	if limit <= 0 {
		return nil, nil
	}
	return list(ctx, db, "room events", scanRoomEvent, `SELECT `+roomEventCols+`, COALESCE(a.pseudonym, ''), COALESCE(t.pseudonym, '')
		FROM room_events e LEFT JOIN room_admissions a ON a.id = e.actor
		LEFT JOIN room_admissions t ON t.id = e.target AND e.kind <> 'release' AND t.room_id = e.room_id
		WHERE e.room_id = ? AND e.seq > ? ORDER BY e.seq LIMIT ?`, roomID, after, limit)
}

func joinIDs(ids []int64) string {
	var b strings.Builder
	for i, id := range ids {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.FormatInt(id, 10))
	}
	return b.String()
}

func splitIDs(s string) ([]int64, error) {
	if s == "" {
		return nil, nil
	}
	parts := strings.Split(s, ",")
	out := make([]int64, len(parts))
	for i, p := range parts {
		id, err := strconv.ParseInt(p, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("turn order %q: %w", s, err)
		}
		out[i] = id
	}
	return out, nil
}

// ---------------------------------------------------------------------------
// Settings, attendance and retention

// RoomSettings returns how a group runs its rooms (the defaults when never
// set).
func (db *DB) RoomSettings(ctx context.Context, groupID int64) (hearth.RoomSettings, error) {
	s := hearth.DefaultRoomSettings
	err := db.queryRow(ctx, `SELECT room_retention_days, room_lead_minutes FROM group_meeting_policy WHERE group_id = ?`, groupID).
		Scan(&s.RetentionDays, &s.LeadMinutes)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return s, fmt.Errorf("room settings: %w", err)
	}
	return s, nil
}

// SetRoomSettings stores how a group runs its rooms (its meeting policy
// row keeps the rest as it was).
func (t *Tx) SetRoomSettings(ctx context.Context, groupID int64, s hearth.RoomSettings) error {
	_, err := t.exec(ctx, `INSERT INTO group_meeting_policy (group_id, room_retention_days, room_lead_minutes, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (group_id) DO UPDATE SET room_retention_days = excluded.room_retention_days, room_lead_minutes = excluded.room_lead_minutes,
		updated_at = excluded.updated_at`, groupID, s.RetentionDays, s.LeadMinutes, t.db.now().Unix())
	if err != nil {
		return fmt.Errorf("set room settings: %w", err)
	}
	return nil
}

// MarkPresent marks a person present at an occurrence unless a mark was
// taken already (a facilitator's correction stands). by is 0 for marks
// taken from presence in the room. It reports whether a mark was added.
func (t *Tx) MarkPresent(ctx context.Context, meetingID int64, original time.Time, userID, by int64) (bool, error) {
	res, err := t.exec(ctx, `INSERT INTO attendance (meeting_id, original_at, user_id, mark, taken_by, taken_at) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (meeting_id, original_at, user_id) DO NOTHING`, meetingID, unix(original), userID, string(hearth.Present), by, t.db.now().Unix())
	if err != nil {
		return false, fmt.Errorf("mark present: %w", err)
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

// sweepBatch is how many rooms one pass of the retention sweeper purges.
const sweepBatch = 200

// DeleteExpiredRoomHistory deletes for good the events and admissions of
// every room whose history has expired at now: its group's retention days
// after it closed (or was ended, if earlier; 0 days: at once). The room row
// stays, marked purged. It returns how many rooms and events it purged.
func (db *DB) DeleteExpiredRoomHistory(ctx context.Context, now time.Time) (rooms int, events int64, err error) {
	for {
		var ids []int64
		err := db.InTx(ctx, func(tx *Tx) error {
			var err error
			ids, err = list(ctx, tx, "expired rooms", func(row rowScanner) (int64, error) {
				var id int64
				return id, row.Scan(&id)
			}, `SELECT r.id FROM rooms r LEFT JOIN group_meeting_policy p ON p.group_id = r.group_id
				WHERE r.purged_at = 0
				AND (CASE WHEN r.ended_at > 0 AND r.ended_at < r.closes_at THEN r.ended_at ELSE r.closes_at END)
				    + COALESCE(p.room_retention_days, ?) * 86400 <= ?
				ORDER BY r.id LIMIT ?`, hearth.DefaultRoomRetentionDays, now.Unix(), sweepBatch)
			if err != nil || len(ids) == 0 {
				return err
			}
			in := `room_id IN (` + placeholders(len(ids)) + `)`
			res, err := tx.exec(ctx, `DELETE FROM room_events WHERE `+in, anys(ids)...)
			if err != nil {
				return fmt.Errorf("delete room events: %w", err)
			}
			n, _ := res.RowsAffected()
			events += n
			if _, err := tx.exec(ctx, `DELETE FROM room_admissions WHERE `+in, anys(ids)...); err != nil {
				return fmt.Errorf("delete room admissions: %w", err)
			}
			_, err = tx.exec(ctx, `UPDATE rooms SET purged_at = ? WHERE id IN (`+placeholders(len(ids))+`)`, append([]any{now.Unix()}, anys(ids)...)...)
			return err
		})
		if err != nil {
			return rooms, events, fmt.Errorf("sweep room history: %w", err)
		}
		rooms += len(ids)
		if len(ids) < sweepBatch {
			return rooms, events, nil
		}
	}
}

// RoomGroups returns the group of each room that exists.
func (db *DB) RoomGroups(ctx context.Context, ids []int64) (map[int64]int64, error) {
	out := make(map[int64]int64, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := db.query(ctx, `SELECT id, group_id FROM rooms WHERE id IN (`+placeholders(len(ids))+`)`, anys(ids)...)
	if err != nil {
		return nil, fmt.Errorf("room groups: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, g int64
		if err := rows.Scan(&id, &g); err != nil {
			return nil, err
		}
		out[id] = g
	}
	return out, rows.Err()
}

// UnresolvedAlertTier returns the highest tier of the safety alerts not
// yet resolved that one writer's writing of a kind raised about one row
// (for rooms: the room), 0 when there is none.
func (t *Tx) UnresolvedAlertTier(ctx context.Context, writingKind string, writingID, authorID int64) (int, error) {
	var tier int
	err := t.queryRow(ctx, `SELECT COALESCE(MAX(tier), 0) FROM escalations WHERE writing_kind = ? AND writing_id = ? AND author_id = ? AND status <> ?`,
		writingKind, writingID, authorID, EscalationResolved).Scan(&tier)
	if err != nil {
		return 0, fmt.Errorf("unresolved alerts: %w", err)
	}
	return tier, nil
}
