package app

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/room"
	"github.com/hearth-org/hearth/internal/safety"
	"github.com/hearth-org/hearth/internal/sqldb"
	"github.com/hearth-org/hearth/internal/vault"
)

// Rooms: the live online space of one occurrence of an online or hybrid
// meeting. EnterRoom decides who may be in a room and when; the room.Store
// (RoomStore) makes the room's events durable — every message screened by
// the safety pipeline and sealed by the vault before it is stored, a crisis
// followed up in the same transaction. The facilitation rules themselves
// (who holds the floor, whose turn it is) are the hub's (internal/room),
// checked again here only where a mistake would let someone act who may
// not: the sender must hold an admission to the room and, for
// facilitation steps, facilitate it; a member muted in the group cannot
// send; nothing is stored after the room closed or the meeting ended.
//
// People in a room are named by their admission (sqldb.Admission): one per
// person and room, made when they first enter, so that a guest without a
// membership (an open online group lets anyone signed in take a place) is
// named like a member. room.Member.ID is that admission's id.

// RoomPass is what EnterRoom gives a person who may be in a room now.
type RoomPass struct {
	Room      int64
	Group     int64
	GroupSlug string
	MeetingID int64
	Original  time.Time // the occurrence's original start (its name)
	Start     time.Time
	End       time.Time
	Opens     time.Time // the room's window
	Closes    time.Time
	// Member is the person as the room shows them.
	Member room.Member
	// Guest: a person with a place at the meeting who is not a member.
	Guest bool
	// Muted: a moderator paused the person's posting in the group (until
	// MutedUntil). They may be in the room and read; their messages are
	// refused with code "muted".
	Muted      bool
	MutedUntil time.Time
	Locked     bool // no new entries (the person was admitted before)
	Ended      bool // the facilitator ended the meeting: read only
	// RetentionDays is how long the group keeps the room's history after
	// the meeting (0: deleted when the meeting ends); members are told.
	RetentionDays int
}

// roomNotFound is the answer for anyone who may not be in a room: the same
// whether the room, the meeting or the person's place does not exist.
func roomNotFound() error { return hearth.Coded(hearth.NotFound, "no_room", "The room was not found.") }

// EnterRoom lets a person into the room of an occurrence (named by its
// meeting and original start), making the room and the person's admission
// when they are the first: the group's active members who accepted its
// current guidelines, its facilitators and — in an open online group —
// anyone with a place at the meeting; nobody removed or banned. The room is
// open from the group's lead time before the start (15 minutes unless it
// chose otherwise) to hearth.RoomGraceMinutes after the end; a cancelled
// occurrence has none, a moved one opens at its new time. A locked room
// admits its facilitators and those admitted before the lock; an ended one
// answers a pass marked Ended (to read what was said while the history is
// kept). Everyone who may not enter gets the same NotFound.
func (a *App) EnterRoom(ctx context.Context, actor hearth.Actor, slug string, meetingID int64, at time.Time) (*RoomPass, error) {
	if !actor.SignedIn() {
		return nil, hearth.Coded(hearth.Unauthorized, "sign_in", "Please sign in to enter the room.")
	}
	g, err := a.visibleGroupForMember(ctx, actor, slug)
	if err != nil {
		return nil, err
	}
	m, err := a.meetingOf(ctx, g, meetingID)
	if err != nil {
		return nil, roomNotFound()
	}
	o, err := a.findOccurrence(ctx, m, at)
	if hearth.ErrorKind(err) == hearth.NotFound {
		return nil, roomNotFound()
	} else if err != nil {
		return nil, err
	}
	who, err := a.roomEntrant(ctx, g, m, o, actor.UserID, actor.StaffWithheld)
	if err != nil {
		return nil, err
	}
	if !o.Attend.Online() {
		return nil, hearth.Coded(hearth.NotFound, "no_room", "This meeting is held in person or by phone: it has no online room.")
	}
	if o.Cancelled {
		return nil, hearth.Coded(hearth.Conflict, "occurrence_cancelled", "This meeting is cancelled; its room will not open.")
	}
	set, err := a.db.RoomSettings(ctx, g.ID)
	if err != nil {
		return nil, err
	}
	opens, closes := hearth.RoomWindow(o.Start, o.End, set.LeadMinutes)
	now := a.now()
	switch {
	case now.Before(opens):
		return nil, &hearth.Error{Kind: hearth.Conflict, Code: "room_not_open", Message: fmt.Sprintf("The room opens at %s.", opens.UTC().Format("2006-01-02 15:04 UTC")),
			Fields: []hearth.FieldError{{Field: "opens", Code: "room_not_open", Message: "The room opens at " + opens.UTC().Format(time.RFC3339) + ".",
				Params: map[string]any{"Opens": opens.UTC().Format(time.RFC3339)}}}}
	case !now.Before(closes):
		return nil, hearth.Coded(hearth.Conflict, "room_closed", "This meeting is over and its room has closed.")
	}
	mute, err := a.MyMute(ctx, g, actor.UserID)
	if err != nil {
		return nil, err
	}
	pass := &RoomPass{Group: g.ID, GroupSlug: g.Slug, MeetingID: m.ID, Original: o.Original.UTC(), Start: o.Start, End: o.End, Opens: opens, Closes: closes,
		Guest: who.MembershipID == 0, Muted: mute != nil, RetentionDays: set.RetentionDays}
	if mute != nil {
		pass.MutedUntil = mute.Until
	}
	// Someone coming back (a reconnect) to a room they are in, as they
	// were, is read without writing.
	if ok, err := a.reenterRoom(ctx, pass, who, m.ID, o.Original.UTC(), opens, closes); err != nil || ok {
		if err != nil {
			return nil, err
		}
		return pass, nil
	}
	err = a.db.InTx(ctx, func(tx *sqldb.Tx) error {
		r, err := tx.EnsureRoom(ctx, &sqldb.Room{GroupID: g.ID, MeetingID: m.ID, Original: o.Original.UTC(), Opens: opens, Closes: closes})
		if err != nil {
			return err
		}
		pass.Room, pass.Locked, pass.Ended = r.ID, r.Locked, !r.Ended.IsZero()
		prior, err := tx.Admission(ctx, r.ID, actor.UserID)
		switch {
		case hearth.ErrorKind(err) == hearth.NotFound:
			prior = nil
		case err != nil:
			return err
		}
		if prior != nil {
			removed, err := tx.RemovedFromRoom(ctx, r.ID, prior.ID)
			if err != nil {
				return err
			}
			if removed {
				return hearth.Coded(hearth.Forbidden, "removed_from_room", "A facilitator removed you from this meeting's room.")
			}
		}
		switch {
		case pass.Ended && prior == nil:
			// Only those who were there read an ended meeting's room.
			return roomNotFound()
		case pass.Ended:
			who.ID = prior.ID
			who.Pseudonym = prior.Pseudonym
			return nil
		case pass.Locked && prior == nil && !who.Facilitator:
			return hearth.Coded(hearth.Conflict, "room_locked", "The facilitator has locked the room: nobody new can come in now.")
		}
		if who.MembershipID == 0 {
			if prior != nil {
				who.Pseudonym = prior.Pseudonym
			} else {
				n, err := tx.CountGuests(ctx, r.ID)
				if err != nil {
					return err
				}
				who.Pseudonym = fmt.Sprintf("Guest %d", n+1)
			}
		}
		who.RoomID, who.AdmittedAt = r.ID, now.UTC().Truncate(time.Second)
		return tx.Admit(ctx, who)
	})
	if err != nil {
		return nil, err
	}
	pass.Member = room.Member{ID: who.ID, UserID: actor.UserID, Pseudonym: who.Pseudonym, Facilitator: who.Facilitator}
	a.log.Info("room entered", "group_id", g.ID, "room_id", pass.Room, "user_id", actor.UserID, "facilitator", who.Facilitator, "guest", pass.Guest)
	return pass, nil
}

// reenterRoom fills the pass, reading only, for someone admitted before
// to a room whose window has not moved, whose admission says what it
// would say now, who was not removed from it and for whom the lock does
// not matter (they were in before it). It reports false when EnterRoom
// must write (a first entry, a change) or refuse (a removal: the write
// path says why).
func (a *App) reenterRoom(ctx context.Context, pass *RoomPass, who *sqldb.Admission, meetingID int64, original, opens, closes time.Time) (bool, error) {
	r, err := a.db.RoomOf(ctx, meetingID, original)
	if hearth.ErrorKind(err) == hearth.NotFound {
		return false, nil
	} else if err != nil {
		return false, err
	}
	if !r.Opens.Equal(opens) || !r.Closes.Equal(closes) || !r.Ended.IsZero() {
		return false, nil
	}
	prior, err := a.db.Admission(ctx, r.ID, who.UserID)
	if hearth.ErrorKind(err) == hearth.NotFound {
		return false, nil
	} else if err != nil {
		return false, err
	}
	if prior.MembershipID != who.MembershipID || prior.Facilitator != who.Facilitator || (who.MembershipID != 0 && prior.Pseudonym != who.Pseudonym) {
		return false, nil
	}
	if removed, err := a.db.RemovedFromRoom(ctx, r.ID, prior.ID); err != nil || removed {
		return false, err
	}
	pass.Room, pass.Locked = r.ID, r.Locked
	pass.Member = room.Member{ID: prior.ID, UserID: prior.UserID, Pseudonym: prior.Pseudonym, Facilitator: prior.Facilitator}
	return true, nil
}

// roomEntrant decides whether a person may be in an occurrence's room and
// as whom (an admission not yet stored: membership, pseudonym, role).
// A facilitator whose sign-in has not passed the second factor the staff
// rule asks for (staffWithheld) enters as a member.
func (a *App) roomEntrant(ctx context.Context, g *hearth.Group, m *hearth.Meeting, o hearth.Occurrence, userID int64, staffWithheld bool) (*sqldb.Admission, error) {
	ms, err := a.db.Membership(ctx, g.ID, userID)
	switch {
	case hearth.ErrorKind(err) == hearth.NotFound:
		ms = nil
	case err != nil:
		return nil, err
	}
	if ms != nil {
		switch {
		case ms.Status == hearth.StatusActive && ms.Leads() && !staffWithheld:
			return &sqldb.Admission{UserID: userID, MembershipID: ms.ID, Pseudonym: ms.Pseudonym, Facilitator: true}, nil
		case ms.Status == hearth.StatusActive && ms.MustAcceptGuidelines(g):
			return nil, hearth.Coded(hearth.Forbidden, "accept_guidelines", "The group's guidelines changed: please read and accept them on the group's page first.")
		case ms.Status == hearth.StatusActive:
			return &sqldb.Admission{UserID: userID, MembershipID: ms.ID, Pseudonym: ms.Pseudonym}, nil
		case ms.Status == hearth.StatusRemoved || ms.Status == hearth.StatusBanned:
			return nil, roomNotFound()
		}
	}
	// Not a member (or not yet one): a guest with a place, in a group
	// anyone signed in may attend.
	if !openRemote(g) {
		return nil, roomNotFound()
	}
	rsvps, err := a.db.RSVPs(ctx, []int64{m.ID}, o.Original, o.Original.Add(time.Second))
	if err != nil {
		return nil, err
	}
	if !slices.ContainsFunc(rsvps, func(r sqldb.RSVP) bool { return r.UserID == userID }) {
		return nil, roomNotFound()
	}
	banned := false
	if err := a.db.InTx(ctx, func(tx *sqldb.Tx) error {
		var err error
		banned, err = tx.OrgBanned(ctx, g.OrgID, userID)
		return err
	}); err != nil {
		return nil, err
	}
	if banned {
		return nil, roomNotFound()
	}
	return &sqldb.Admission{UserID: userID}, nil
}

// RoomPresence is the hub's presence hook (room.HubConfig.OnPresence):
// the first time a person is present in a room they are marked present at
// its occurrence, unless a mark was taken already (a facilitator's
// correction on the occurrence's page stands, and they can correct this
// one there).
func (a *App) RoomPresence(roomID int64, m room.Member, present bool) {
	if !present {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := a.markRoomAttendance(ctx, roomID, m.UserID); err != nil {
		a.log.Error("room attendance", "room_id", roomID, "user_id", m.UserID, "err", err)
	}
}

func (a *App) markRoomAttendance(ctx context.Context, roomID, userID int64) error {
	r, err := a.db.Room(ctx, roomID)
	if err != nil {
		return err
	}
	var added bool
	err = a.db.InTx(ctx, func(tx *sqldb.Tx) error {
		added, err = tx.MarkPresent(ctx, r.MeetingID, r.Original, userID, 0)
		return err
	})
	if err == nil && added {
		a.log.Info("attendance from room", "room_id", roomID, "meeting_id", r.MeetingID, "original", r.Original.Unix(), "user_id", userID)
	}
	return err
}

// ---------------------------------------------------------------------------
// Settings and retention

// RoomSettings returns how a group runs its rooms (its runners).
func (a *App) RoomSettings(ctx context.Context, actor hearth.Actor, slug string) (hearth.RoomSettings, error) {
	g, err := a.editableGroup(ctx, actor, slug)
	if err != nil {
		return hearth.RoomSettings{}, err
	}
	return a.db.RoomSettings(ctx, g.ID)
}

// SetRoomSettings changes how long a group keeps its rooms' history after
// a meeting (0: nothing once it ends) and how early its rooms open. Only
// the group's facilitators and its organization's administrators.
func (a *App) SetRoomSettings(ctx context.Context, actor hearth.Actor, slug string, s hearth.RoomSettings) error {
	g, err := a.editableGroup(ctx, actor, slug)
	if err != nil {
		return err
	}
	if err := s.Validate(); err != nil {
		return err
	}
	err = a.db.InTx(ctx, func(tx *sqldb.Tx) error {
		if err := tx.SetRoomSettings(ctx, g.ID, s); err != nil {
			return err
		}
		return a.audit(ctx, tx, AuditEntry{ActorID: actor.UserID, Action: "rooms.settings", OrgID: g.OrgID, GroupID: g.ID, SubjectKind: "group", SubjectID: g.ID,
			Reason: fmt.Sprintf("retention_days_%d", s.RetentionDays)})
	})
	if err != nil {
		return err
	}
	a.log.Info("room settings changed", "group_id", g.ID, "retention_days", s.RetentionDays, "lead_minutes", s.LeadMinutes, "by", actor.UserID)
	return nil
}

// SetRoomRetention changes only how long a group keeps its rooms' history.
func (a *App) SetRoomRetention(ctx context.Context, actor hearth.Actor, slug string, days int) error {
	s, err := a.RoomSettings(ctx, actor, slug)
	if err != nil {
		return err
	}
	s.RetentionDays = days
	return a.SetRoomSettings(ctx, actor, slug, s)
}

// SweepRoomHistory deletes for good the history of every room whose
// group's retention has passed since it closed (the serve chore).
func (a *App) SweepRoomHistory(ctx context.Context) error {
	rooms, events, err := a.db.DeleteExpiredRoomHistory(ctx, a.now())
	if err != nil {
		return err
	}
	if rooms > 0 {
		a.log.Info("room history deleted", "rooms", rooms, "events", events)
	}
	return nil
}

// ---------------------------------------------------------------------------
// Eviction

// SetRoomEvictor gives the app the hub's Evict: after a membership ends
// (removal, ban, leaving) commits, the person's connections to the group's
// rooms are closed. Call it once, before serving.
func (a *App) SetRoomEvictor(f func(group, user int64)) { a.roomEvictor.Store(&f) }

// SetRoomRinger gives the app what tells the room hubs (this process's
// and, through the Bell, the others') that a room's log grew outside them
// — a moderator hid a message from the review queue. Call it once, before
// serving.
func (a *App) SetRoomRinger(f func(room, seq int64)) { a.roomRinger.Store(&f) }

// ringRoom tells the hubs once the transaction commits.
func (a *App) ringRoom(tx *sqldb.Tx, roomID, seq int64) {
	tx.AfterCommit(func() {
		if f := a.roomRinger.Load(); f != nil && *f != nil {
			(*f)(roomID, seq)
		}
	})
}

// evictFromRooms closes the person's room connections in the group once
// the transaction commits.
func (a *App) evictFromRooms(tx *sqldb.Tx, groupID, userID int64) {
	tx.AfterCommit(func() {
		if f := a.roomEvictor.Load(); f != nil && *f != nil {
			(*f)(groupID, userID)
		}
	})
}

// ---------------------------------------------------------------------------
// The Store

// RoomStore returns the rooms' room.Store on this app's database and
// vault.
// It is also a room.Preparer: a message is screened and sealed on its
// sender's goroutine before it joins a batch.
func (a *App) RoomStore() room.Store { return roomStore{a, &roomGroups{m: map[int64]int64{}}} }

type roomStore struct {
	a      *App
	groups *roomGroups
}

// roomGroups remembers each room's group (a room never changes group;
// the transaction checks it all the same, sqldb.AppendEvent.GroupID).
type roomGroups struct {
	mu sync.Mutex
	m  map[int64]int64
}

// groupOf returns one room's group (Prepare's, for every message: no map
// is made when the room is known); ok is false when the room does not
// exist.
func (s roomStore) groupOf(ctx context.Context, room int64) (g int64, ok bool, err error) {
	s.groups.mu.Lock()
	g, ok = s.groups.m[room]
	s.groups.mu.Unlock()
	if ok {
		return g, true, nil
	}
	groups, err := s.groupsOf(ctx, []int64{room})
	if err != nil {
		return 0, false, err
	}
	g, ok = groups[room]
	return g, ok, nil
}

// groupsOf returns the group of each room that exists.
func (s roomStore) groupsOf(ctx context.Context, ids []int64) (map[int64]int64, error) {
	out := make(map[int64]int64, len(ids))
	var missing []int64
	s.groups.mu.Lock()
	for _, id := range ids {
		if g, ok := s.groups.m[id]; ok {
			out[id] = g
		} else {
			missing = append(missing, id)
		}
	}
	s.groups.mu.Unlock()
	if len(missing) == 0 {
		return out, nil
	}
	got, err := s.a.db.RoomGroups(ctx, missing)
	if err != nil {
		return nil, err
	}
	s.groups.mu.Lock()
	if len(s.groups.m) > 100_000 {
		clear(s.groups.m)
	}
	for id, g := range got {
		s.groups.m[id] = g
		out[id] = g
	}
	s.groups.mu.Unlock()
	return out, nil
}

// roomEventAD binds a sealed text to its row by number: a round's
// question, and messages stored before they were sealed ahead of their
// transaction.
func roomEventAD(roomID, seq int64) string {
	return fmt.Sprintf("room_event:room=%d:seq=%d", roomID, seq)
}

// roomMessageAD binds a message's sealed text to its row by what names it
// before it has a number: its room, its writer's admission and their key
// (unique together in the log), so a message is sealed before the
// transaction that numbers it.
func roomMessageAD(roomID, actor int64, key string) string {
	return fmt.Sprintf("room_message:room=%d:actor=%d:key=%s", roomID, actor, key)
}

// roomKinds are the event kinds a room stores.
var roomKinds = []string{room.KindMessage, room.KindHand, room.KindFloor, room.KindRoundStart, room.KindRoundNext, room.KindRoundPass,
	room.KindRoundEnd, room.KindMute, room.KindRemove, room.KindLock, room.KindEnd, room.KindRelease}

// checkPending refuses what no room stores: an unknown kind, an empty or
// overlong message, a key too long.
func checkPending(p room.Pending) error {
	e := p.Event
	switch {
	case !slices.Contains(roomKinds, e.Kind):
		return hearth.Coded(hearth.Invalid, "room_unknown_action", "That is not something a room records.")
	case utf8.RuneCountInString(e.Key) > hearth.MaxRoomKeyLen:
		return hearth.Coded(hearth.Invalid, "room_bad_key", fmt.Sprintf("The message key is longer than %d characters.", hearth.MaxRoomKeyLen))
	case e.Kind == room.KindMessage && strings.TrimSpace(e.Text) == "":
		return hearth.Coded(hearth.Invalid, "room_empty_text", "Write something before sending.")
	case (e.Kind == room.KindMessage || e.Kind == room.KindRoundStart) && utf8.RuneCountInString(e.Text) > hearth.MaxRoomMessageLen:
		return hearth.Coded(hearth.TooLarge, "room_text_too_long", fmt.Sprintf("Keep a message to %d characters.", hearth.MaxRoomMessageLen))
	case e.Kind == room.KindMessage && e.Key == "":
		return hearth.Coded(hearth.Invalid, "room_bad_key", "A message needs its key (so a retried send is not shown twice).")
	case !utf8.ValidString(e.Text):
		return hearth.Coded(hearth.Invalid, "bad_text", "The text is not valid UTF-8.")
	}
	return nil
}

// preparedMessage is a message screened and sealed ahead of its batch.
type preparedMessage struct {
	group    int64
	screened Screened
	sealed   []byte
}

// Prepare screens a message and seals it (room.Preparer), so the batch's
// transaction has only to store it; anything else passes as it is, after
// the checks every pending gets.
func (s roomStore) Prepare(ctx context.Context, p room.Pending) (room.Pending, error) {
	if err := checkPending(p); err != nil {
		return p, err
	}
	if p.Event.Kind != room.KindMessage {
		return p, nil
	}
	g, ok, err := s.groupOf(ctx, p.Room)
	if err != nil {
		return p, err
	}
	if !ok {
		return p, roomNotFound()
	}
	pm, err := s.prepareMessage(ctx, p, g, map[int64]*hearth.Group{})
	if err != nil {
		return p, err
	}
	p.Prepared = pm
	return p, nil
}

// prepareMessage reads a message with the crisis detector and seals what
// was screened under the group's key, bound to (room, writer, key).
func (s roomStore) prepareMessage(ctx context.Context, p room.Pending, g int64, groups map[int64]*hearth.Group) (*preparedMessage, error) {
	a := s.a
	w := Writing{AuthorID: p.Member.UserID, GroupID: g, Kind: WritingRoomMessage, Text: p.Event.Text}
	sc, err := a.screen(ctx, w)
	if err != nil {
		return nil, err
	}
	if sc.Crisis() {
		// The writer is shown helplines for where they are: their
		// zone's country (else the group's), their language.
		if w.Country, w.Lang, err = a.writerPlace(ctx, p.Member.UserID, g, groups); err != nil {
			return nil, err
		}
		if sc, err = a.screen(ctx, w); err != nil {
			return nil, err
		}
	}
	sealed, err := a.sealWriting(ctx, sc, roomMessageAD(p.Room, p.Member.ID, p.Event.Key))
	if err != nil {
		return nil, err
	}
	return &preparedMessage{group: g, screened: sc, sealed: sealed}, nil
}

// Append stores a batch from any rooms in one transaction (group commit).
// Every message is read by the crisis detector and sealed under its
// group's key before the transaction — by Prepare on its sender's
// goroutine, or here for a pending that was not prepared — and stored; a
// message that reads as a crisis is followed up in the same transaction
// (an escalation, the facilitators alerted, tier 3's on-call chain) and
// its writer is given Support, the room's facilitators an Alert; a message
// with method details is stored Held. The writing an escalation names is
// the room (writing kind room_message, id the room's id).
func (s roomStore) Append(ctx context.Context, batch []room.Pending) ([]room.Result, error) {
	a := s.a
	res := make([]room.Result, len(batch))
	var roomIDs []int64
	for _, p := range batch {
		if !slices.Contains(roomIDs, p.Room) {
			roomIDs = append(roomIDs, p.Room)
		}
	}
	groupOf, err := s.groupsOf(ctx, roomIDs)
	if err != nil {
		return nil, err
	}
	prepared := make([]*preparedMessage, len(batch)) // each message's screening and sealing
	rows := make([]sqldb.AppendEvent, len(batch))    // one array for the batch's events
	evs := make([]*sqldb.AppendEvent, 0, len(batch))
	index := make(map[*sqldb.AppendEvent]int, len(batch))
	groups := map[int64]*hearth.Group{}
	for i, p := range batch {
		pm, _ := p.Prepared.(*preparedMessage)
		if pm == nil {
			if err := checkPending(p); err != nil {
				res[i].Err = err
				continue
			}
		}
		g, ok := groupOf[p.Room]
		if !ok {
			res[i].Err = roomNotFound()
			continue
		}
		e := p.Event
		ev := &rows[i]
		*ev = sqldb.AppendEvent{UserID: p.Member.UserID, RoomEvent: sqldb.RoomEvent{Room: p.Room, Kind: e.Kind, Actor: p.Member.ID, Target: e.Target,
			On: e.On, Round: e.Round, Seconds: e.Seconds, Order: e.Order, Key: e.Key}}
		switch e.Kind {
		case room.KindMessage:
			if pm == nil {
				if pm, err = s.prepareMessage(ctx, p, g, groups); err != nil {
					return nil, err
				}
			}
			prepared[i] = pm
			ev.Sealed, ev.GroupID = pm.sealed, pm.group
			ev.Held, ev.Alert = pm.screened.Held(), pm.screened.Crisis()
		case room.KindRoundStart:
			if e.Text != "" {
				// A facilitator's question: staff writing, sealed on the
				// plain vault path.
				if err := a.vault.EnsureKey(ctx, vault.GroupScope(g)); err != nil {
					return nil, err
				}
			}
		}
		index[ev] = i
		evs = append(evs, ev)
	}
	now := a.now().UTC().Truncate(time.Second)
	err = a.db.InTx(ctx, func(tx *sqldb.Tx) error {
		for i := range res {
			res[i].Support, res[i].Alert = nil, false
		}
		err := tx.AppendRoomEvents(ctx, evs, now, func(ev *sqldb.AppendEvent) error {
			// Messages come sealed; a round's question is sealed here,
			// bound to its number.
			if ev.Kind != room.KindRoundStart {
				return nil
			}
			t := batch[index[ev]].Event.Text
			if t == "" {
				return nil
			}
			var err error
			ev.Sealed, err = a.vault.SealString(ctx, vault.GroupScope(groupOf[ev.Room]), roomEventAD(ev.Room, ev.Seq), t)
			return err
		})
		if err != nil {
			return err
		}
		// One follow-up per writer and room, whatever the number of their
		// messages in the batch that read as a crisis.
		type who struct{ room, user int64 }
		crisis := map[who][]int{}
		var order []who
		for _, ev := range evs {
			i := index[ev]
			// A muted member's message is refused, but a crisis in it
			// still brings help: the writer is shown it and the
			// facilitators are alerted (the text is not stored).
			if ev.Duplicate || !ev.Alert || (ev.Err != nil && hearth.AsError(ev.Err).Code != "muted") {
				continue
			}
			k := who{ev.Room, ev.UserID}
			if crisis[k] == nil {
				order = append(order, k)
			}
			crisis[k] = append(crisis[k], i)
		}
		for _, k := range order {
			g, err := a.roomGroup(ctx, groupOf[k.room], groups)
			if err != nil {
				return err
			}
			var ss []Screened
			for _, i := range crisis[k] {
				ss = append(ss, prepared[i].screened)
			}
			sup, err := a.roomFollowUp(ctx, tx, g, k.room, k.user, ss)
			if err != nil {
				return err
			}
			for _, i := range crisis[k] {
				res[i].Support, res[i].Alert = sup, true
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, ev := range evs {
		i := index[ev]
		p := batch[i]
		switch {
		case ev.Err != nil && hearth.AsError(ev.Err).Code == "muted":
			// Why and until when, as every refusal of a mute says.
			res[i].Err = ev.Err
			if g, err := a.roomGroup(ctx, groupOf[ev.Room], groups); err == nil {
				if mv, err := a.MyMute(ctx, g, ev.UserID); err == nil && mv != nil {
					res[i].Err = mutedError(mv)
				}
			}
		case ev.Err != nil:
			res[i].Err = ev.Err
		case ev.DuplicateOf() != nil:
			first := ev.DuplicateOf()
			if first.Err != nil {
				res[i].Err = first.Err
				continue
			}
			res[i].Event, res[i].Duplicate = toRoomEvent(&first.RoomEvent, batch[index[first]].Event.Text), true
			res[i].Event.Name = p.Member.Pseudonym
		case ev.Duplicate:
			text, err := a.openRoomText(ctx, groupOf[ev.Room], &ev.RoomEvent)
			if err != nil {
				return nil, err
			}
			res[i].Event, res[i].Duplicate = toRoomEvent(&ev.RoomEvent, text), true
			res[i].Event.Name = p.Member.Pseudonym
		default:
			res[i].Event = toRoomEvent(&ev.RoomEvent, p.Event.Text)
			res[i].Event.Name = p.Member.Pseudonym
			res[i].Event.TargetName = p.Event.TargetName
		}
	}
	return res, nil
}

// Names implements room.Namer: every admission's pseudonym now, "" for a
// person who erased their account.
func (s roomStore) Names(ctx context.Context, roomID int64) (map[int64]string, error) {
	return s.a.db.RoomPseudonyms(ctx, roomID)
}

// Since returns a room's events after a sequence, with their text opened
// and the pseudonyms of who did them and to whom.
func (s roomStore) Since(ctx context.Context, roomID int64, after int64, limit int) ([]room.Event, error) {
	a := s.a
	evs, err := a.db.RoomEventsSince(ctx, roomID, after, limit)
	if err != nil || len(evs) == 0 {
		return nil, err
	}
	hidden, err := a.hiddenRoomMessages(ctx, roomID, evs)
	if err != nil {
		return nil, err
	}
	var groupID int64
	out := make([]room.Event, len(evs))
	for i, ev := range evs {
		text := ""
		if reason, ok := hidden[ev.Seq]; ok && ev.Kind == room.KindMessage {
			// Hidden by a moderator: nobody gets its text from the room
			// again (its moderators read it on the report's page).
			out[i] = toRoomEvent(ev, "")
			out[i].Hidden, out[i].Name, out[i].Former = reason, ev.Name, ev.Actor != 0 && ev.Name == ""
			continue
		}
		if ev.Sealed != nil {
			if groupID == 0 {
				r, err := a.db.Room(ctx, roomID)
				if err != nil {
					return nil, err
				}
				groupID = r.GroupID
			}
			if text, err = a.openRoomText(ctx, groupID, ev); err != nil {
				return nil, err
			}
		}
		out[i] = toRoomEvent(ev, text)
		out[i].Name, out[i].TargetName = ev.Name, ev.TargetName
		// Someone who erased their account and whose writing the group
		// kept has no name any more: "a former member" (privacy.go).
		out[i].Former = ev.Actor != 0 && ev.Name == ""
		if ev.Kind == room.KindHide {
			out[i].TargetName = "" // its target is a sequence, not a person
			// A message shown again since (restored, or an appeal upheld)
			// is not hidden by its old hide event: the event says nothing
			// of a reason and gives the message's text again.
			if _, still := hidden[ev.Target]; !still {
				out[i].Hidden = ""
				if out[i].Text, err = a.shownAgainText(ctx, roomID, ev.Target, evs); err != nil {
					return nil, err
				}
			}
		}
	}
	return out, nil
}

// shownAgainText is the text of message seq of a room that a moderator hid
// and then showed again, for the hide event that says so: "" when it is
// gone (retention, erasure) or was held — a held message goes only to
// facilitators and its writer, and a hide event goes to everyone.
func (a *App) shownAgainText(ctx context.Context, roomID, seq int64, page []*sqldb.RoomEvent) (string, error) {
	var msg *sqldb.RoomEvent
	for _, ev := range page {
		if ev.Seq == seq {
			msg = ev
		}
	}
	if msg == nil {
		evs, err := a.db.RoomEventsSince(ctx, roomID, seq-1, 1)
		if err != nil {
			return "", err
		}
		if len(evs) == 1 && evs[0].Seq == seq {
			msg = evs[0]
		}
	}
	if msg == nil || msg.Kind != room.KindMessage || msg.Held {
		return "", nil
	}
	r, err := a.db.Room(ctx, roomID)
	if err != nil {
		return "", err
	}
	return a.openRoomText(ctx, r.GroupID, msg)
}

func (a *App) openRoomText(ctx context.Context, groupID int64, ev *sqldb.RoomEvent) (string, error) {
	if ev.Sealed == nil {
		return "", nil
	}
	scope := vault.GroupScope(groupID)
	if ev.Kind == room.KindMessage && ev.Key != "" {
		// Sealed before its transaction, bound to (room, writer, key).
		if t, err := a.vault.OpenString(ctx, scope, roomMessageAD(ev.Room, ev.Actor, ev.Key), ev.Sealed); err == nil {
			return t, nil
		}
		// Else a message stored when messages were sealed with their
		// number (both name this one row only).
	}
	t, err := a.vault.OpenString(ctx, scope, roomEventAD(ev.Room, ev.Seq), ev.Sealed)
	if err != nil {
		return "", fmt.Errorf("open room %d event %d: %w", ev.Room, ev.Seq, err)
	}
	return t, nil
}

func toRoomEvent(ev *sqldb.RoomEvent, text string) room.Event {
	out := room.Event{Room: ev.Room, Seq: ev.Seq, Kind: ev.Kind, At: ev.At, Actor: ev.Actor, Target: ev.Target, On: ev.On, Round: ev.Round,
		Seconds: ev.Seconds, Text: text, Key: ev.Key, Held: ev.Held, Alert: ev.Alert, Order: ev.Order}
	if ev.Kind == room.KindHide {
		// A hide event keeps its reason code in the round column.
		out.Hidden, out.Round = ev.Round, ""
	}
	return out
}

// roomFollowUp follows up a writer's crisis messages in a room, inside the
// transaction that stores them. Someone writing several messages in
// crisis during a meeting raises one alert, not one per message: while
// their alert is not resolved, later messages of no higher tier (and no
// method details, which a person must review) bring the writer help and
// the room's facilitators the in-room alert, and nobody is told again.
func (a *App) roomFollowUp(ctx context.Context, tx *sqldb.Tx, g *hearth.Group, roomID, userID int64, ss []Screened) (*Support, error) {
	worst, held := 0, false
	for _, s := range ss {
		worst = max(worst, s.Assessment.Tier)
		held = held || s.Held()
	}
	open, err := tx.UnresolvedAlertTier(ctx, WritingRoomMessage, roomID, userID)
	if err != nil {
		return nil, err
	}
	if open > 0 && open >= worst && !held {
		return roomSupport(ss[0], worst), nil
	}
	return a.followUp(ctx, tx, g, roomID, ss...)
}

// ScreenRefusedRoomMessage is the hub's ScreenRefused hook
// (room.HubConfig.ScreenRefused): a message the room refused because its
// writer is muted in the meeting is read by the crisis detector all the
// same — crisis language never silences anyone. A crisis brings the writer
// help (the *Support returned) and the facilitators an alert (alert true;
// the escalation is opened as for a stored message, naming the room);
// nothing of the text is stored.
func (a *App) ScreenRefusedRoomMessage(ctx context.Context, roomID int64, m room.Member, text string) (support any, alert bool) {
	sup, err := a.screenRefused(ctx, roomID, m, text)
	if err != nil {
		a.log.Error("screen refused room message", "room_id", roomID, "user_id", m.UserID, "err", err)
		return nil, false
	}
	if sup == nil {
		return nil, false
	}
	return sup, true
}

func (a *App) screenRefused(ctx context.Context, roomID int64, m room.Member, text string) (*Support, error) {
	r, err := a.db.Room(ctx, roomID)
	if err != nil {
		return nil, err
	}
	w := Writing{AuthorID: m.UserID, GroupID: r.GroupID, Kind: WritingRoomMessage, Text: text}
	sc, err := a.screen(ctx, w)
	if err != nil || !sc.Crisis() {
		return nil, err
	}
	groups := map[int64]*hearth.Group{}
	if w.Country, w.Lang, err = a.writerPlace(ctx, m.UserID, r.GroupID, groups); err != nil {
		return nil, err
	}
	if sc, err = a.screen(ctx, w); err != nil {
		return nil, err
	}
	g, err := a.roomGroup(ctx, r.GroupID, groups)
	if err != nil {
		return nil, err
	}
	var sup *Support
	err = a.db.InTx(ctx, func(tx *sqldb.Tx) error {
		var err error
		sup, err = a.roomFollowUp(ctx, tx, g, roomID, m.UserID, []Screened{sc})
		return err
	})
	return sup, err
}

// roomSupport is the help shown to a writer whose earlier alert in the
// room is still open (the staff were told then).
func roomSupport(s Screened, tier int) *Support {
	sup := SupportFor(s.w.Country, s.w.Lang)
	if sup.Lang == "" {
		sup.Lang = s.Assessment.Language
		sup.Helplines = safety.ForViewer(s.w.Country, sup.Lang)
	}
	sup.Tier, sup.StaffTold = tier, true
	return sup
}

// roomGroup loads a group once per batch.
func (a *App) roomGroup(ctx context.Context, id int64, cache map[int64]*hearth.Group) (*hearth.Group, error) {
	if g := cache[id]; g != nil {
		return g, nil
	}
	g, err := a.db.Group(ctx, id)
	if err != nil {
		return nil, err
	}
	cache[id] = g
	return g, nil
}

// writerPlace is the country and language a writer in crisis is shown
// helplines for: the country of their time zone (else the group's), and
// their language (else the detector's reading).
func (a *App) writerPlace(ctx context.Context, userID, groupID int64, groups map[int64]*hearth.Group) (country, lang string, err error) {
	u, err := a.db.User(ctx, userID)
	if err != nil {
		return "", "", err
	}
	country = safety.CountryForZone(u.TimeZone)
	if country == "" {
		g, err := a.roomGroup(ctx, groupID, groups)
		if err != nil {
			return "", "", err
		}
		country = g.Location.Country
	}
	lang, _, _ = strings.Cut(u.Locale, "-")
	return country, strings.ToLower(lang), nil
}

// ---------------------------------------------------------------------------
// Room messages as moderation subjects

// A room message is the moderation subject (message, id) with id the
// room's id and the message's sequence packed together: the sequence in
// the low roomSeqBits bits. Both fit a JSON number exactly (a room id
// below 2^29, a sequence below 2^24: far more than a meeting writes).
const (
	roomSeqBits = 24
	maxRoomID   = 1 << (53 - roomSeqBits)
)

// RoomMessageSubject is the moderation subject of message seq of a room.
func RoomMessageSubject(roomID, seq int64) hearth.Subject {
	return hearth.Subject{Kind: hearth.SubjectMessage, ID: roomID<<roomSeqBits | seq}
}

// roomMessageOf splits a message subject's id (ok false: not one).
func roomMessageOf(id int64) (roomID, seq int64, ok bool) {
	roomID, seq = id>>roomSeqBits, id&(1<<roomSeqBits-1)
	return roomID, seq, roomID > 0 && roomID < maxRoomID && seq > 0
}

// roomMessage is one stored room message, for moderation.
type roomMessage struct {
	Room   *sqldb.Room
	Event  *sqldb.RoomEvent
	Author *sqldb.Admission
}

func errNoMessage() error { return hearth.Errorf(hearth.NotFound, "The message was not found.") }

// loadRoomMessage reads a message subject: its room, its event (a
// message, not yet deleted by retention) and its writer's admission.
func (a *App) loadRoomMessage(ctx context.Context, id int64) (*roomMessage, error) {
	roomID, seq, ok := roomMessageOf(id)
	if !ok {
		return nil, errNoMessage()
	}
	r, err := a.db.Room(ctx, roomID)
	if hearth.ErrorKind(err) == hearth.NotFound {
		return nil, errNoMessage()
	} else if err != nil {
		return nil, err
	}
	evs, err := a.db.RoomEventsSince(ctx, roomID, seq-1, 1)
	if err != nil {
		return nil, err
	}
	if len(evs) != 1 || evs[0].Seq != seq || evs[0].Kind != room.KindMessage {
		return nil, errNoMessage()
	}
	adm, err := a.db.AdmissionByID(ctx, evs[0].Actor)
	if hearth.ErrorKind(err) == hearth.NotFound {
		return nil, errNoMessage()
	} else if err != nil {
		return nil, err
	}
	return &roomMessage{Room: r, Event: evs[0], Author: adm}, nil
}

// roomMessageKind is the moderation registry's entry for room messages
// (moderation.go lists it in subjectKinds).
var roomMessageKind = subjectKind{
	resolve: func(ctx context.Context, a *App, id int64) (*subjectRef, error) {
		rm, err := a.loadRoomMessage(ctx, id)
		if err != nil {
			return nil, err
		}
		ref := &subjectRef{GroupID: rm.Room.GroupID, AuthorID: rm.Author.UserID}
		if rm.Author.MembershipID != 0 {
			ms, err := a.db.Membership(ctx, rm.Room.GroupID, rm.Author.UserID)
			switch {
			case err == nil:
				ref.Membership = ms
			case hearth.ErrorKind(err) != hearth.NotFound:
				return nil, err
			}
		}
		return ref, nil
	},
	maySee: func(ctx context.Context, a *App, actor hearth.Actor, _ *hearth.Group, ref *subjectRef) (bool, error) {
		return a.maySeeRoomMessage(ctx, actor, ref.SubjectID)
	},
}

// maySeeRoomMessage reports whether a person who does not moderate the
// group sees a room message (and so may report it): they were let into
// the room and not removed, and the message is neither held nor hidden.
func (a *App) maySeeRoomMessage(ctx context.Context, actor hearth.Actor, id int64) (bool, error) {
	rm, err := a.loadRoomMessage(ctx, id)
	if err != nil {
		return false, err
	}
	adm, err := a.db.Admission(ctx, rm.Room.ID, actor.UserID)
	if hearth.ErrorKind(err) == hearth.NotFound {
		return false, nil
	} else if err != nil {
		return false, err
	}
	if removed, err := a.db.RemovedFromRoom(ctx, rm.Room.ID, adm.ID); err != nil || removed {
		return false, err
	}
	if rm.Event.Held && rm.Event.Actor != adm.ID {
		return false, nil
	}
	hidden, err := a.db.Hidden(ctx, hearth.SubjectMessage, []int64{id})
	return !hidden[id], err
}

// hiddenRoomMessages returns the reason codes of a page's messages that a
// moderator hid, by sequence.
func (a *App) hiddenRoomMessages(ctx context.Context, roomID int64, evs []*sqldb.RoomEvent) (map[int64]string, error) {
	var ids []int64
	for _, ev := range evs {
		switch ev.Kind {
		case room.KindMessage:
			ids = append(ids, RoomMessageSubject(roomID, ev.Seq).ID)
		case room.KindHide:
			ids = append(ids, RoomMessageSubject(roomID, ev.Target).ID)
		}
	}
	if len(ids) == 0 || roomID >= maxRoomID {
		return nil, nil
	}
	hidden, err := a.db.Hidden(ctx, hearth.SubjectMessage, ids)
	if err != nil || len(hidden) == 0 {
		return nil, err
	}
	out := make(map[int64]string, len(hidden))
	for id := range hidden {
		s := hearth.Subject{Kind: hearth.SubjectMessage, ID: id}
		acts, err := a.db.ActionsAbout(ctx, s)
		if err != nil {
			return nil, err
		}
		reason := "other"
		for _, act := range acts {
			if act.Kind == hearth.ActionHide {
				reason = string(act.Reason)
			}
		}
		_, seq, _ := roomMessageOf(id)
		out[seq] = reason
	}
	return out, nil
}

// hideInRoom puts a moderator's hiding of a room message into the room's
// log (a hide event, in the moderation's transaction), so that everyone
// in the room sees the placeholder at once; the hubs — this process's and,
// through the Bell, the others' — are told after the commit. A moderator
// who is not in the room (an organization admin, a facilitator working
// from the review queue) appends it too, as nobody in the room (actor 0).
// Only while the room is open: otherwise nobody is connected, and the mark
// alone hides the message (the room gives it without its text from then
// on).
func (a *App) hideInRoom(ctx context.Context, tx *sqldb.Tx, actor hearth.Actor, act *hearth.ModAction) error {
	return a.moderateInRoom(ctx, tx, actor.UserID, act.Subject, string(act.Reason), act.CreatedAt)
}

// showInRoom tells the room that a hidden message is shown again (restored,
// or its hiding overturned on appeal): a hide event without a reason,
// which the room's readers give with the message's text (Since), so that
// members connected now see it again without reconnecting.
func (a *App) showInRoom(ctx context.Context, tx *sqldb.Tx, userID int64, s hearth.Subject, at time.Time) error {
	return a.moderateInRoom(ctx, tx, userID, s, "", at)
}

// moderateInRoom appends a hide event (reason "": shown again) about a
// room message subject, by the moderator's admission when they facilitate
// in the room, else by nobody in it (actor 0), and rings the hubs after
// the commit. A room that is closed or ended takes nothing (the store
// refuses the event); that is no error.
func (a *App) moderateInRoom(ctx context.Context, tx *sqldb.Tx, userID int64, s hearth.Subject, reason string, at time.Time) error {
	roomID, seq, ok := roomMessageOf(s.ID)
	if !ok {
		return errNoMessage()
	}
	ev := &sqldb.AppendEvent{RoomEvent: sqldb.RoomEvent{Room: roomID, Kind: room.KindHide, Target: seq, On: reason != "", Round: reason}}
	adm, err := tx.Admission(ctx, roomID, userID)
	switch {
	case err == nil && adm.Facilitator:
		ev.Actor, ev.UserID = adm.ID, userID
	case err != nil && hearth.ErrorKind(err) != hearth.NotFound:
		return err
	}
	if err := tx.AppendRoomEvents(ctx, []*sqldb.AppendEvent{ev}, at, nil); err != nil {
		return err
	}
	if ev.Err == nil && ev.Seq > 0 {
		a.ringRoom(tx, roomID, ev.Seq)
	}
	return nil
}

// RoomMessageView is a reported room message as its moderators read it.
type RoomMessageView struct {
	Room, Seq int64
	Name      string // the writer's pseudonym in the room
	Former    bool   // the writer erased their account: no name, "a former member"
	At        time.Time
	Text      string
	Held      bool
	// Link is where the moderator finds the meeting (RoomLink).
	Link string
}

// roomMessageView opens a message for its moderators.
func (a *App) roomMessageView(ctx context.Context, id int64) (*RoomMessageView, error) {
	rm, err := a.loadRoomMessage(ctx, id)
	if err != nil {
		return nil, err
	}
	text, err := a.openRoomText(ctx, rm.Room.GroupID, rm.Event)
	if err != nil {
		return nil, err
	}
	return &RoomMessageView{Room: rm.Room.ID, Seq: rm.Event.Seq, Name: rm.Author.Pseudonym, Former: rm.Author.Pseudonym == "", At: rm.Event.At, Text: text, Held: rm.Event.Held,
		Link: fmt.Sprintf("/rooms/%d", rm.Room.ID)}, nil
}

// ReportRoomMessage files a report of message seq of a room (see Report).
func (a *App) ReportRoomMessage(ctx context.Context, actor hearth.Actor, roomID, seq int64, in hearth.ReportInput, country, lang string) (*Filed, error) {
	in.Subject = RoomMessageSubject(roomID, seq)
	if _, _, ok := roomMessageOf(in.Subject.ID); !ok || seq >= 1<<roomSeqBits {
		return nil, errNoMessage()
	}
	return a.Report(ctx, actor, ReportRequest{ReportInput: in, Country: country, Lang: lang})
}

// HideRoomMessage hides message seq of a room (a moderation action, see
// Moderate): in.Kind is set to hide.
func (a *App) HideRoomMessage(ctx context.Context, actor hearth.Actor, roomID, seq int64, in hearth.ActionInput) (*hearth.ModAction, error) {
	s := RoomMessageSubject(roomID, seq)
	if _, _, ok := roomMessageOf(s.ID); !ok || seq >= 1<<roomSeqBits {
		return nil, errNoMessage()
	}
	r, err := a.db.Room(ctx, roomID)
	if hearth.ErrorKind(err) == hearth.NotFound {
		return nil, errNoMessage()
	} else if err != nil {
		return nil, err
	}
	g, err := a.db.Group(ctx, r.GroupID)
	if err != nil {
		return nil, err
	}
	if !actor.CanModerate(g) {
		return nil, errNoMessage()
	}
	in.Kind = hearth.ActionHide
	return a.Moderate(ctx, actor, g.Slug, s, in)
}

// RoomLink is where the people who moderate a room's group (or handle its
// safety alerts) find it: the room's page while it is open, else the
// occurrence's page (attendance, and the room's history while it is
// kept). Everyone else is told it does not exist.
func (a *App) RoomLink(ctx context.Context, actor hearth.Actor, roomID int64) (string, error) {
	if !actor.SignedIn() {
		return "", hearth.Errorf(hearth.Unauthorized, "Please sign in.")
	}
	r, err := a.db.Room(ctx, roomID)
	if err != nil {
		return "", roomNotFound()
	}
	g, err := a.db.Group(ctx, r.GroupID)
	if err != nil {
		return "", err
	}
	if !actor.CanModerate(g) {
		ok, err := a.mayHandle(ctx, actor, g.OrgID, g.ID)
		if err != nil {
			return "", err
		}
		if !ok {
			return "", roomNotFound()
		}
	}
	path := OccurrencePath(g.Slug, r.MeetingID, r.Original)
	now := a.now()
	if r.Ended.IsZero() && !now.Before(r.Opens) && now.Before(r.Closes) {
		path += "/room"
	}
	return path, nil
}
