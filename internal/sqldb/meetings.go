package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hearth-org/hearth"
)

// startLayout is how a meeting's first start is stored: a wall-clock time
// in the group's zone.
const startLayout = "2006-01-02T15:04"

const meetingColumns = `m.id, m.group_id, m.title, m.start_local, m.duration_minutes, m.rrule, m.mode, m.venue_notes,
	m.conference_url, m.phone, m.access_code, m.capacity, m.created_at, m.updated_at, g.time_zone`

// ZoneError reports groups whose stored time zone is not one Hearth knows
// (corrupt data, or a zone dropped from the time zone database): their
// meetings cannot be placed in time. Readers of many groups return it beside
// the other groups' meetings (see SkipBadZones); readers of one group return
// it alone.
type ZoneError struct {
	Zones map[int64]string // group id → the stored zone name
}

func (e *ZoneError) Error() string {
	ids := make([]int64, 0, len(e.Zones))
	for id := range e.Zones {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = fmt.Sprintf("group %d has the unknown time zone %q", id, e.Zones[id])
	}
	return "meetings left out: " + strings.Join(parts, "; ") + " (set a valid IANA zone in the group's settings)"
}

// SkipBadZones returns nil when err is only a *ZoneError (the groups it
// names were left out and bad is called with it), else err.
func SkipBadZones(err error, bad func(*ZoneError)) error {
	if ze, ok := err.(*ZoneError); ok {
		bad(ze)
		return nil
	}
	return err
}

// zones caches loaded locations for one query and collects unknown ones.
type zones struct {
	locs map[string]*time.Location
	bad  map[int64]string
}

func newZones() *zones { return &zones{locs: map[string]*time.Location{}} }

// get returns the group's zone; false (and the group remembered) when the
// name is not a zone.
func (z *zones) get(groupID int64, name string) (*time.Location, bool) {
	loc, ok := z.locs[name]
	if !ok {
		l, err := time.LoadLocation(name)
		if err == nil && name != "" && name != "Local" {
			loc = l
		}
		z.locs[name] = loc
	}
	if loc == nil {
		if z.bad == nil {
			z.bad = map[int64]string{}
		}
		z.bad[groupID] = name
		return nil, false
	}
	return loc, true
}

// err is the *ZoneError for the groups left out, or nil.
func (z *zones) err() error {
	if len(z.bad) == 0 {
		return nil
	}
	return &ZoneError{Zones: z.bad}
}

// errBadZone marks a row skipped for its group's unknown zone.
var errBadZone = errors.New("unknown zone")

func scanMeeting(row interface{ Scan(...any) error }, z *zones) (*hearth.Meeting, error) {
	var m hearth.Meeting
	var start, mode, zone string
	var created, updated int64
	if err := row.Scan(&m.ID, &m.GroupID, &m.Title, &start, &m.Duration, &m.RRule, &mode, &m.Attend.VenueNotes,
		&m.Attend.ConferenceURL, &m.Attend.Phone, &m.Attend.AccessCode, &m.Capacity, &created, &updated, &zone); err != nil {
		return nil, err
	}
	loc, ok := z.get(m.GroupID, zone)
	if !ok {
		return nil, errBadZone
	}
	t, err := time.ParseInLocation(startLayout, start, loc)
	if err != nil {
		return nil, fmt.Errorf("meeting %d: start %q: %w", m.ID, start, err)
	}
	m.Start, m.Attend.Mode = t, hearth.Format(mode)
	m.CreatedAt, m.UpdatedAt = fromUnix(created), fromUnix(updated)
	return &m, nil
}

// InsertMeeting stores a new meeting of a group and sets its ID and times.
// m.Start must be in the group's time zone: its wall clock is what is kept.
func (tx *Tx) InsertMeeting(ctx context.Context, m *hearth.Meeting) error {
	now := tx.db.now().UTC().Truncate(time.Second)
	if m.CreatedAt.IsZero() {
		m.CreatedAt = now
	}
	m.UpdatedAt = now
	id, err := tx.insert(ctx, `INSERT INTO meetings (group_id, title, start_local, duration_minutes, rrule, mode, venue_notes,
		conference_url, phone, access_code, capacity, created_at, updated_at, zone)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, (SELECT time_zone FROM groups WHERE id = ?))`,
		m.GroupID, m.Title, m.Start.Format(startLayout), m.Duration, m.RRule, string(m.Attend.Mode), m.Attend.VenueNotes,
		m.Attend.ConferenceURL, m.Attend.Phone, m.Attend.AccessCode, m.Capacity, unix(m.CreatedAt), unix(m.UpdatedAt), m.GroupID)
	if err != nil {
		return fmt.Errorf("insert meeting: %w", err)
	}
	m.ID = id
	return nil
}

// UpdateMeeting stores changes to a meeting of its group.
func (tx *Tx) UpdateMeeting(ctx context.Context, m *hearth.Meeting) error {
	m.UpdatedAt = tx.db.now().UTC().Truncate(time.Second)
	res, err := tx.exec(ctx, `UPDATE meetings SET title = ?, start_local = ?, duration_minutes = ?, rrule = ?, mode = ?, venue_notes = ?,
		conference_url = ?, phone = ?, access_code = ?, capacity = ?, updated_at = ? WHERE id = ? AND group_id = ?`,
		m.Title, m.Start.Format(startLayout), m.Duration, m.RRule, string(m.Attend.Mode), m.Attend.VenueNotes,
		m.Attend.ConferenceURL, m.Attend.Phone, m.Attend.AccessCode, m.Capacity, unix(m.UpdatedAt), m.ID, m.GroupID)
	if err != nil {
		return fmt.Errorf("update meeting: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return hearth.Errorf(hearth.NotFound, "The meeting was not found.")
	}
	return nil
}

// DeleteMeeting removes a meeting of a group with its exceptions, RSVPs,
// attendance and link tokens.
func (tx *Tx) DeleteMeeting(ctx context.Context, groupID, id int64) error {
	res, err := tx.exec(ctx, `DELETE FROM meetings WHERE id = ? AND group_id = ?`, id, groupID)
	if err != nil {
		return fmt.Errorf("delete meeting: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return hearth.Errorf(hearth.NotFound, "The meeting was not found.")
	}
	return nil
}

// LockMeeting takes the meeting's row for the rest of the transaction, so
// that two transactions counting seats of the same meeting run one after
// the other (SQLite's transactions already do; PostgreSQL needs the row
// lock an UPDATE takes).
func (tx *Tx) LockMeeting(ctx context.Context, id int64) error {
	res, err := tx.exec(ctx, `UPDATE meetings SET capacity = capacity WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("lock meeting: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return hearth.Errorf(hearth.NotFound, "The meeting was not found.")
	}
	return nil
}

// Meeting returns one meeting with its start in its group's zone.
func (db *DB) Meeting(ctx context.Context, id int64) (*hearth.Meeting, error) {
	z := newZones()
	m, err := scanMeeting(db.queryRow(ctx, `SELECT `+meetingColumns+` FROM meetings m JOIN groups g ON g.id = m.group_id WHERE m.id = ?`, id), z)
	if errors.Is(err, errBadZone) {
		return nil, z.err()
	}
	return m, notFound(err, "The meeting")
}

// MeetingsByGroup returns the meetings of the groups, each group's ordered
// by first start, with starts in the group's zone. Groups without meetings
// have no entry. Groups whose stored zone is unknown are left out and named
// by a *ZoneError returned with the others' meetings.
func (db *DB) MeetingsByGroup(ctx context.Context, groupIDs []int64) (map[int64][]*hearth.Meeting, error) {
	out := make(map[int64][]*hearth.Meeting, len(groupIDs))
	z := newZones()
	for len(groupIDs) > 0 {
		chunk := groupIDs[:min(len(groupIDs), 500)]
		groupIDs = groupIDs[len(chunk):]
		if err := db.meetingsWhere(ctx, out, z, `m.group_id IN (`+placeholders(len(chunk))+`)`, anys(chunk)...); err != nil {
			return nil, err
		}
	}
	return out, z.err()
}

// MeetingsWithAudience returns, by group, the meetings someone may need a
// reminder for: those of groups with active members, and those with places
// taken for occurrences scheduled at or after since. Groups whose stored
// zone is unknown are left out and named by a *ZoneError returned with the
// others' meetings.
func (db *DB) MeetingsWithAudience(ctx context.Context, since time.Time) (map[int64][]*hearth.Meeting, error) {
	out := map[int64][]*hearth.Meeting{}
	z := newZones()
	if err := db.meetingsWhere(ctx, out, z, `m.group_id IN (SELECT group_id FROM memberships WHERE status = ?)
		OR m.id IN (SELECT meeting_id FROM rsvps WHERE original_at >= ?)`, string(hearth.StatusActive), since.Unix()); err != nil {
		return nil, err
	}
	return out, z.err()
}

func (db *DB) meetingsWhere(ctx context.Context, out map[int64][]*hearth.Meeting, z *zones, where string, args ...any) error {
	rows, err := db.query(ctx, `SELECT `+meetingColumns+` FROM meetings m JOIN groups g ON g.id = m.group_id WHERE `+where+
		` ORDER BY m.group_id, m.start_local, m.id`, args...)
	if err != nil {
		return fmt.Errorf("list meetings: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		m, err := scanMeeting(rows, z)
		if errors.Is(err, errBadZone) {
			continue
		}
		if err != nil {
			return fmt.Errorf("scan meeting: %w", err)
		}
		out[m.GroupID] = append(out[m.GroupID], m)
	}
	return rows.Err()
}

// MeetingsOfGroup reads a group's meetings inside the transaction (so the
// transaction's own changes are seen).
func (tx *Tx) MeetingsOfGroup(ctx context.Context, groupID int64) ([]*hearth.Meeting, error) {
	rows, err := tx.query(ctx, `SELECT `+meetingColumns+` FROM meetings m JOIN groups g ON g.id = m.group_id WHERE m.group_id = ?
		ORDER BY m.start_local, m.id`, groupID)
	if err != nil {
		return nil, fmt.Errorf("list meetings: %w", err)
	}
	defer rows.Close()
	z := newZones()
	var out []*hearth.Meeting
	for rows.Next() {
		m, err := scanMeeting(rows, z)
		if errors.Is(err, errBadZone) {
			return nil, z.err()
		}
		if err != nil {
			return nil, fmt.Errorf("scan meeting: %w", err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// CountMeetings reports how many meetings a group has.
func (tx *Tx) CountMeetings(ctx context.Context, groupID int64) (int, error) {
	var n int
	if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM meetings WHERE group_id = ?`, groupID).Scan(&n); err != nil {
		return 0, fmt.Errorf("count meetings: %w", err)
	}
	return n, nil
}

// SetGroupSchedule stores a group's simple weekly schedule (what directory
// search uses) and moves updated_at so every process's directory sees it.
func (tx *Tx) SetGroupSchedule(ctx context.Context, groupID int64, s hearth.Schedule) error {
	_, err := tx.exec(ctx, `UPDATE groups SET weekday = ?, start_minute = ?, duration_minutes = ?, updated_at = ? WHERE id = ?`,
		int(s.Weekday), s.Start, s.Duration, tx.db.now().Unix(), groupID)
	if err != nil {
		return fmt.Errorf("set schedule: %w", err)
	}
	return nil
}

// --- zone changes ---

// ZoneMove is a meeting whose group changed its time zone since the
// meeting's places and marks were placed.
type ZoneMove struct {
	MeetingID int64
	GroupID   int64
	From, To  string // zone names
}

// MeetingsOutOfZone lists the meetings (of groupID, or of every group when
// 0) whose recorded zone is not their group's zone now.
func (tx *Tx) MeetingsOutOfZone(ctx context.Context, groupID int64) ([]ZoneMove, error) {
	q, args := `SELECT m.id, m.group_id, m.zone, g.time_zone FROM meetings m JOIN groups g ON g.id = m.group_id WHERE m.zone <> g.time_zone`, []any{}
	if groupID != 0 {
		q += ` AND m.group_id = ?`
		args = append(args, groupID)
	}
	rows, err := tx.query(ctx, q+` ORDER BY m.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("list meetings out of zone: %w", err)
	}
	defer rows.Close()
	var out []ZoneMove
	for rows.Next() {
		var zm ZoneMove
		if err := rows.Scan(&zm.MeetingID, &zm.GroupID, &zm.From, &zm.To); err != nil {
			return nil, err
		}
		out = append(out, zm)
	}
	return out, rows.Err()
}

// AnyMeetingOutOfZone reports whether some group changed its zone since
// its meetings' places were placed (a cheap read before the chore writes).
func (db *DB) AnyMeetingOutOfZone(ctx context.Context) (bool, error) {
	var n int
	err := db.queryRow(ctx, `SELECT COUNT(*) FROM meetings m JOIN groups g ON g.id = m.group_id WHERE m.zone <> g.time_zone`).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("count meetings out of zone: %w", err)
	}
	return n > 0, nil
}

// MoveMeetingZone moves a meeting's places and attendance marks, kept by
// the UTC instant of the occurrence they name, to the same wall clock in
// the new zone, and records the new zone. (Exceptions and the first start
// are wall clocks already.)
func (tx *Tx) MoveMeetingZone(ctx context.Context, meetingID int64, from, to *time.Location) error {
	for _, table := range []string{"rsvps", "attendance"} {
		var olds []int64
		rows, err := tx.query(ctx, `SELECT DISTINCT original_at FROM `+table+` WHERE meeting_id = ? AND original_at > 0 ORDER BY original_at`, meetingID)
		if err != nil {
			return fmt.Errorf("move %s: %w", table, err)
		}
		for rows.Next() {
			var v int64
			if err := rows.Scan(&v); err != nil {
				rows.Close()
				return err
			}
			olds = append(olds, v)
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return err
		}
		// Two steps (through negative values) so that no new instant meets
		// an old one not yet moved.
		for _, v := range olds {
			if _, err := tx.exec(ctx, `UPDATE `+table+` SET original_at = ? WHERE meeting_id = ? AND original_at = ?`, -v, meetingID, v); err != nil {
				return fmt.Errorf("move %s: %w", table, err)
			}
		}
		for _, v := range olds {
			wall := time.Unix(v, 0).In(from)
			moved := time.Date(wall.Year(), wall.Month(), wall.Day(), wall.Hour(), wall.Minute(), wall.Second(), 0, to).Unix()
			if _, err := tx.exec(ctx, `UPDATE `+table+` SET original_at = ? WHERE meeting_id = ? AND original_at = ?`, moved, meetingID, -v); err != nil {
				return fmt.Errorf("move %s: %w", table, err)
			}
		}
	}
	if _, err := tx.exec(ctx, `UPDATE meetings SET zone = ? WHERE id = ?`, to.String(), meetingID); err != nil {
		return fmt.Errorf("record meeting zone: %w", err)
	}
	return nil
}

// --- exceptions ---

// meetingZone is the zone of the meeting's group, read inside the
// transaction.
func (tx *Tx) meetingZone(ctx context.Context, meetingID int64) (*time.Location, error) {
	var gid int64
	var name string
	err := tx.queryRow(ctx, `SELECT g.id, g.time_zone FROM meetings m JOIN groups g ON g.id = m.group_id WHERE m.id = ?`, meetingID).Scan(&gid, &name)
	if err != nil {
		return nil, notFound(err, "The meeting")
	}
	z := newZones()
	loc, ok := z.get(gid, name)
	if !ok {
		return nil, z.err()
	}
	return loc, nil
}

// localText is t as a wall clock in loc ("" for the zero time).
func localText(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	return t.In(loc).Format(startLayout)
}

// PutException stores an exception for one occurrence, replacing any
// earlier one for the same occurrence, and sets its ID. The original and new
// starts are kept as wall-clock times in the group's zone.
func (tx *Tx) PutException(ctx context.Context, e *hearth.MeetingException) error {
	loc, err := tx.meetingZone(ctx, e.MeetingID)
	if err != nil {
		return err
	}
	orig := localText(e.Original, loc)
	if _, err := tx.exec(ctx, `DELETE FROM meeting_exceptions WHERE meeting_id = ? AND original_local = ?`, e.MeetingID, orig); err != nil {
		return fmt.Errorf("replace exception: %w", err)
	}
	id, err := tx.insert(ctx, `INSERT INTO meeting_exceptions (meeting_id, original_local, cancelled, start_local, duration_minutes, note, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, e.MeetingID, orig, e.Cancelled, localText(e.Start, loc), e.Duration, e.Note, tx.db.now().Unix())
	if err != nil {
		return fmt.Errorf("insert exception: %w", err)
	}
	e.ID = id
	return nil
}

// DeleteException restores an occurrence as scheduled.
func (tx *Tx) DeleteException(ctx context.Context, meetingID int64, original time.Time) error {
	loc, err := tx.meetingZone(ctx, meetingID)
	if err != nil {
		return err
	}
	res, err := tx.exec(ctx, `DELETE FROM meeting_exceptions WHERE meeting_id = ? AND original_local = ?`, meetingID, localText(original, loc))
	if err != nil {
		return fmt.Errorf("delete exception: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return hearth.Errorf(hearth.NotFound, "That occurrence has no change to undo.")
	}
	return nil
}

// DeleteExceptions removes the named exceptions of a meeting (those a new
// schedule no longer has an occurrence for) and reports how many went.
func (tx *Tx) DeleteExceptions(ctx context.Context, meetingID int64, ids []int64) (int, error) {
	if len(ids) == 0 {
		return 0, nil
	}
	res, err := tx.exec(ctx, `DELETE FROM meeting_exceptions WHERE meeting_id = ? AND id IN (`+placeholders(len(ids))+`)`,
		append([]any{meetingID}, anys(ids)...)...)
	if err != nil {
		return 0, fmt.Errorf("delete exceptions: %w", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// ExceptionsByMeeting returns the exceptions of the meetings, by meeting,
// ordered by original start, with times in the group's zone. Meetings of
// groups whose stored zone is unknown are left out and named by a
// *ZoneError returned with the others' exceptions.
func (db *DB) ExceptionsByMeeting(ctx context.Context, meetingIDs []int64) (map[int64][]hearth.MeetingException, error) {
	out := map[int64][]hearth.MeetingException{}
	z := newZones()
	for len(meetingIDs) > 0 {
		chunk := meetingIDs[:min(len(meetingIDs), 500)]
		meetingIDs = meetingIDs[len(chunk):]
		if err := db.exceptionsOf(ctx, out, z, chunk); err != nil {
			return nil, err
		}
	}
	return out, z.err()
}

func (db *DB) exceptionsOf(ctx context.Context, out map[int64][]hearth.MeetingException, z *zones, ids []int64) error {
	rows, err := db.query(ctx, `SELECT e.id, e.meeting_id, e.original_local, e.cancelled, e.start_local, e.duration_minutes, e.note, g.id, g.time_zone
		FROM meeting_exceptions e JOIN meetings m ON m.id = e.meeting_id JOIN groups g ON g.id = m.group_id
		WHERE e.meeting_id IN (`+placeholders(len(ids))+`) ORDER BY e.meeting_id, e.original_local`, anys(ids)...)
	if err != nil {
		return fmt.Errorf("list exceptions: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var e hearth.MeetingException
		var orig, start, zone string
		var gid int64
		if err := rows.Scan(&e.ID, &e.MeetingID, &orig, &e.Cancelled, &start, &e.Duration, &e.Note, &gid, &zone); err != nil {
			return fmt.Errorf("scan exception: %w", err)
		}
		loc, ok := z.get(gid, zone)
		if !ok {
			continue
		}
		if e.Original, err = time.ParseInLocation(startLayout, orig, loc); err != nil {
			return fmt.Errorf("exception %d: original %q: %w", e.ID, orig, err)
		}
		if start != "" {
			if e.Start, err = time.ParseInLocation(startLayout, start, loc); err != nil {
				return fmt.Errorf("exception %d: start %q: %w", e.ID, start, err)
			}
		}
		out[e.MeetingID] = append(out[e.MeetingID], e)
	}
	return rows.Err()
}

// --- policy ---

// MeetingPolicy returns how a group protects its meetings (defaults when
// never set).
func (db *DB) MeetingPolicy(ctx context.Context, groupID int64) (hearth.MeetingPolicy, error) {
	p := hearth.MeetingPolicy{LinkLeadMinutes: hearth.DefaultLinkLeadMinutes}
	err := db.queryRow(ctx, `SELECT publish_link, link_lead_minutes FROM group_meeting_policy WHERE group_id = ?`, groupID).
		Scan(&p.PublishLink, &p.LinkLeadMinutes)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return p, fmt.Errorf("meeting policy: %w", err)
	}
	return p, nil
}

// MeetingPolicies returns the policies of the groups that set one.
func (db *DB) MeetingPolicies(ctx context.Context, groupIDs []int64) (map[int64]hearth.MeetingPolicy, error) {
	out := map[int64]hearth.MeetingPolicy{}
	for len(groupIDs) > 0 {
		chunk := groupIDs[:min(len(groupIDs), 500)]
		groupIDs = groupIDs[len(chunk):]
		rows, err := db.query(ctx, `SELECT group_id, publish_link, link_lead_minutes FROM group_meeting_policy WHERE group_id IN (`+
			placeholders(len(chunk))+`)`, anys(chunk)...)
		if err != nil {
			return nil, fmt.Errorf("list meeting policies: %w", err)
		}
		for rows.Next() {
			var id int64
			var p hearth.MeetingPolicy
			if err := rows.Scan(&id, &p.PublishLink, &p.LinkLeadMinutes); err != nil {
				rows.Close()
				return nil, err
			}
			out[id] = p
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// SetMeetingPolicy stores how a group protects its meetings.
func (tx *Tx) SetMeetingPolicy(ctx context.Context, groupID int64, p hearth.MeetingPolicy) error {
	now := tx.db.now().Unix()
	_, err := tx.exec(ctx, `INSERT INTO group_meeting_policy (group_id, publish_link, link_lead_minutes, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (group_id) DO UPDATE SET publish_link = excluded.publish_link, link_lead_minutes = excluded.link_lead_minutes,
		updated_at = excluded.updated_at`, groupID, p.PublishLink, p.LinkLeadMinutes, now)
	if err != nil {
		return fmt.Errorf("set meeting policy: %w", err)
	}
	return nil
}

// --- RSVP ---

// CountRSVPs counts the seats taken for one occurrence.
func (tx *Tx) CountRSVPs(ctx context.Context, meetingID int64, original time.Time) (int, error) {
	var n int
	err := tx.queryRow(ctx, `SELECT COUNT(*) FROM rsvps WHERE meeting_id = ? AND original_at = ?`, meetingID, unix(original)).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count rsvps: %w", err)
	}
	return n, nil
}

// DeleteRSVPsAt gives back every place taken for the meeting's occurrences
// at the given original starts.
func (tx *Tx) DeleteRSVPsAt(ctx context.Context, meetingID int64, originals []time.Time) error {
	for _, o := range originals {
		if _, err := tx.exec(ctx, `DELETE FROM rsvps WHERE meeting_id = ? AND original_at = ?`, meetingID, unix(o)); err != nil {
			return fmt.Errorf("delete rsvps: %w", err)
		}
	}
	return nil
}

// HasRSVPTx reports, inside a transaction, whether the person has a seat.
func (tx *Tx) HasRSVP(ctx context.Context, meetingID int64, original time.Time, userID int64) (bool, error) {
	var n int
	err := tx.queryRow(ctx, `SELECT COUNT(*) FROM rsvps WHERE meeting_id = ? AND original_at = ? AND user_id = ?`,
		meetingID, unix(original), userID).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("check rsvp: %w", err)
	}
	return n > 0, nil
}

// InsertRSVP takes a seat. The caller locks the meeting and checks the
// capacity first (LockMeeting, CountRSVPs).
func (tx *Tx) InsertRSVP(ctx context.Context, meetingID int64, original time.Time, userID int64) error {
	_, err := tx.exec(ctx, `INSERT INTO rsvps (meeting_id, original_at, user_id, created_at) VALUES (?, ?, ?, ?)`,
		meetingID, unix(original), userID, tx.db.now().Unix())
	if isUnique(err) {
		return hearth.Coded(hearth.Conflict, "already_rsvpd", "You already have a place at this meeting.")
	}
	if err != nil {
		return fmt.Errorf("insert rsvp: %w", err)
	}
	return nil
}

// DeleteRSVP gives a seat back.
func (tx *Tx) DeleteRSVP(ctx context.Context, meetingID int64, original time.Time, userID int64) error {
	res, err := tx.exec(ctx, `DELETE FROM rsvps WHERE meeting_id = ? AND original_at = ? AND user_id = ?`, meetingID, unix(original), userID)
	if err != nil {
		return fmt.Errorf("delete rsvp: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return hearth.Coded(hearth.NotFound, "no_rsvp", "You had no place at this meeting.")
	}
	return nil
}

// RSVP is one seat taken.
type RSVP struct {
	MeetingID int64
	Original  time.Time
	UserID    int64
	CreatedAt time.Time
}

// RSVPs lists the seats taken for the meetings' occurrences starting (as
// scheduled) in [from, to).
func (db *DB) RSVPs(ctx context.Context, meetingIDs []int64, from, to time.Time) ([]RSVP, error) {
	if len(meetingIDs) == 0 {
		return nil, nil
	}
	return db.rsvps(ctx, `meeting_id IN (`+placeholders(len(meetingIDs))+`) AND original_at >= ? AND original_at < ?`,
		append(anys(meetingIDs), from.Unix(), to.Unix())...)
}

// RSVPsOf lists a person's seats for occurrences scheduled at or after from.
func (db *DB) RSVPsOf(ctx context.Context, userID int64, from time.Time) ([]RSVP, error) {
	return db.rsvps(ctx, `user_id = ? AND original_at >= ?`, userID, from.Unix())
}

func (db *DB) rsvps(ctx context.Context, where string, args ...any) ([]RSVP, error) {
	rows, err := db.query(ctx, `SELECT meeting_id, original_at, user_id, created_at FROM rsvps WHERE `+where+
		` ORDER BY original_at, meeting_id, created_at, user_id`, args...)
	if err != nil {
		return nil, fmt.Errorf("list rsvps: %w", err)
	}
	defer rows.Close()
	var out []RSVP
	for rows.Next() {
		var r RSVP
		var orig, created int64
		if err := rows.Scan(&r.MeetingID, &orig, &r.UserID, &created); err != nil {
			return nil, err
		}
		r.Original, r.CreatedAt = fromUnix(orig), fromUnix(created)
		out = append(out, r)
	}
	return out, rows.Err()
}

// --- attendance ---

// AttendanceMark is one person's mark for one occurrence.
type AttendanceMark struct {
	MeetingID int64
	Original  time.Time
	UserID    int64
	Mark      hearth.AttendanceMark
}

// SetAttendance records marks for one occurrence; an empty mark removes
// the person's mark.
func (tx *Tx) SetAttendance(ctx context.Context, meetingID int64, original time.Time, marks map[int64]hearth.AttendanceMark, by int64) error {
	now := tx.db.now().Unix()
	for uid, mark := range marks {
		if _, err := tx.exec(ctx, `DELETE FROM attendance WHERE meeting_id = ? AND original_at = ? AND user_id = ?`, meetingID, unix(original), uid); err != nil {
			return fmt.Errorf("clear attendance: %w", err)
		}
		if mark == "" {
			continue
		}
		if _, err := tx.exec(ctx, `INSERT INTO attendance (meeting_id, original_at, user_id, mark, taken_by, taken_at) VALUES (?, ?, ?, ?, ?, ?)`,
			meetingID, unix(original), uid, string(mark), by, now); err != nil {
			return fmt.Errorf("record attendance: %w", err)
		}
	}
	return nil
}

// Attendance lists the marks taken for a group's meetings, oldest
// occurrence first; with userID, only that person's.
func (db *DB) Attendance(ctx context.Context, groupID, userID int64) ([]AttendanceMark, error) {
	q := `SELECT a.meeting_id, a.original_at, a.user_id, a.mark FROM attendance a JOIN meetings m ON m.id = a.meeting_id WHERE m.group_id = ?`
	args := []any{groupID}
	if userID != 0 {
		q += ` AND a.user_id = ?`
		args = append(args, userID)
	}
	rows, err := db.query(ctx, q+` ORDER BY a.original_at, a.meeting_id, a.user_id`, args...)
	if err != nil {
		return nil, fmt.Errorf("list attendance: %w", err)
	}
	defer rows.Close()
	var out []AttendanceMark
	for rows.Next() {
		var a AttendanceMark
		var orig int64
		var mark string
		if err := rows.Scan(&a.MeetingID, &orig, &a.UserID, &mark); err != nil {
			return nil, err
		}
		a.Original, a.Mark = fromUnix(orig), hearth.AttendanceMark(mark)
		out = append(out, a)
	}
	return out, rows.Err()
}

// --- the people a meeting is for ---

// Attendee is an active member of a group as a meeting sees them.
type Attendee struct {
	UserID    int64
	Pseudonym string
	Role      hearth.Role
	JoinedAt  time.Time
	Email     string // for reminders only; never shown
}

// ActiveMembers lists a group's active members by pseudonym.
func (db *DB) ActiveMembers(ctx context.Context, groupID int64) ([]Attendee, error) {
	rows, err := db.query(ctx, `SELECT m.user_id, m.pseudonym, m.role, m.joined_at, COALESCE(u.email, '') FROM memberships m JOIN users u ON u.id = m.user_id
		WHERE m.group_id = ? AND m.status = ? ORDER BY m.pseudonym, m.user_id`, groupID, string(hearth.StatusActive))
	if err != nil {
		return nil, fmt.Errorf("list members: %w", err)
	}
	defer rows.Close()
	var out []Attendee
	for rows.Next() {
		var a Attendee
		var role string
		var joined int64
		if err := rows.Scan(&a.UserID, &a.Pseudonym, &role, &joined, &a.Email); err != nil {
			return nil, err
		}
		a.Role, a.JoinedAt = hearth.Role(role), fromUnix(joined)
		out = append(out, a)
	}
	return out, rows.Err()
}

// ActiveMembershipsByGroup returns, for every group with active members,
// who they are and since when (the reminder chore's view).
func (db *DB) ActiveMembershipsByGroup(ctx context.Context, groupIDs []int64) (map[int64][]Attendee, error) {
	out := map[int64][]Attendee{}
	for len(groupIDs) > 0 {
		chunk := groupIDs[:min(len(groupIDs), 500)]
		groupIDs = groupIDs[len(chunk):]
		rows, err := db.query(ctx, `SELECT group_id, user_id, pseudonym, role, joined_at FROM memberships WHERE status = ? AND group_id IN (`+
			placeholders(len(chunk))+`)`, append([]any{string(hearth.StatusActive)}, anys(chunk)...)...)
		if err != nil {
			return nil, fmt.Errorf("list members: %w", err)
		}
		for rows.Next() {
			var gid int64
			var a Attendee
			var role string
			var joined int64
			if err := rows.Scan(&gid, &a.UserID, &a.Pseudonym, &role, &joined); err != nil {
				rows.Close()
				return nil, err
			}
			a.Role, a.JoinedAt = hearth.Role(role), fromUnix(joined)
			out[gid] = append(out[gid], a)
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// GroupsWithRSVPsOf lists the groups whose meetings the person holds a seat
// at from `from` on.
func (db *DB) GroupsWithRSVPsOf(ctx context.Context, userID int64, from time.Time) ([]int64, error) {
	return db.ids(ctx, "list rsvp groups", `SELECT DISTINCT m.group_id FROM rsvps r JOIN meetings m ON m.id = r.meeting_id
		WHERE r.user_id = ? AND r.original_at >= ? ORDER BY m.group_id`, userID, from.Unix())
}

// ActiveGroupsOf lists the groups in which the person is an active member.
func (db *DB) ActiveGroupsOf(ctx context.Context, userID int64) ([]int64, error) {
	return db.ids(ctx, "list groups", `SELECT group_id FROM memberships WHERE user_id = ? AND status = ? ORDER BY group_id`,
		userID, string(hearth.StatusActive))
}

// ids runs a query of one id column and collects the ids.
func (db *DB) ids(ctx context.Context, what, q string, args ...any) ([]int64, error) {
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// --- personal links ---

// SetMeetingLinkKey stores a meeting's sealed link key unless it has one
// already (another process sealed it first); it reports whether this one
// was stored.
func (db *DB) SetMeetingLinkKey(ctx context.Context, meetingID int64, sealed []byte) (bool, error) {
	var stored bool
	err := db.InTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE meetings SET link_key = ? WHERE id = ? AND link_key IS NULL`, sealed, meetingID)
		if err != nil {
			return fmt.Errorf("set link key: %w", err)
		}
		n, _ := res.RowsAffected()
		stored = n > 0
		return nil
	})
	return stored, err
}

// MeetingLinkKey returns a meeting's sealed link key (nil when none was
// sealed yet).
func (db *DB) MeetingLinkKey(ctx context.Context, meetingID int64) ([]byte, error) {
	var key []byte
	err := db.queryRow(ctx, `SELECT link_key FROM meetings WHERE id = ?`, meetingID).Scan(&key)
	if err != nil {
		return nil, notFound(err, "The meeting")
	}
	if len(key) == 0 {
		return nil, nil
	}
	return key, nil
}

// MeetingRef names a meeting and its group.
type MeetingRef struct {
	ID      int64
	GroupID int64
}

// MeetingsWithoutLinkKey lists up to limit meetings (of groupID, or of any
// group when 0) whose link key is not sealed yet.
func (db *DB) MeetingsWithoutLinkKey(ctx context.Context, groupID int64, limit int) ([]MeetingRef, error) {
	q, args := `SELECT id, group_id FROM meetings WHERE link_key IS NULL`, []any{}
	if groupID != 0 {
		q += ` AND group_id = ?`
		args = append(args, groupID)
	}
	rows, err := db.query(ctx, q+` ORDER BY id LIMIT ?`, append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("list meetings without link key: %w", err)
	}
	defer rows.Close()
	var out []MeetingRef
	for rows.Next() {
		var r MeetingRef
		if err := rows.Scan(&r.ID, &r.GroupID); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// LinkAccess is where a person's personal link to a meeting stands: the
// generation their token is derived with, and whether a facilitator revoked
// it. A person without a row has generation 0, not revoked.
type LinkAccess struct {
	Generation int64
	Revoked    bool
}

// LinkAccess reads a person's standing for a meeting's personal link.
func (db *DB) LinkAccess(ctx context.Context, meetingID, userID int64) (LinkAccess, error) {
	var la LinkAccess
	err := db.queryRow(ctx, `SELECT generation, revoked FROM meeting_link_access WHERE meeting_id = ? AND user_id = ?`, meetingID, userID).
		Scan(&la.Generation, &la.Revoked)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return la, fmt.Errorf("read link access: %w", err)
	}
	return la, nil
}

// RevokedLinkUsers lists, for a group, the people whose personal links are
// revoked, by meeting.
func (db *DB) RevokedLinkUsers(ctx context.Context, groupID int64) (map[int64][]int64, error) {
	rows, err := db.query(ctx, `SELECT t.meeting_id, t.user_id FROM meeting_link_access t JOIN meetings m ON m.id = t.meeting_id
		WHERE m.group_id = ? AND t.revoked = ? ORDER BY t.meeting_id, t.user_id`, groupID, true)
	if err != nil {
		return nil, fmt.Errorf("list revoked links: %w", err)
	}
	defer rows.Close()
	out := map[int64][]int64{}
	for rows.Next() {
		var mid, uid int64
		if err := rows.Scan(&mid, &uid); err != nil {
			return nil, err
		}
		out[mid] = append(out[mid], uid)
	}
	return out, rows.Err()
}

// RevokeLink blocks a person's personal link to a meeting: their token
// stops working.
func (tx *Tx) RevokeLink(ctx context.Context, meetingID, userID, by int64) error {
	_, err := tx.exec(ctx, `INSERT INTO meeting_link_access (meeting_id, user_id, generation, revoked, changed_at, changed_by) VALUES (?, ?, 0, ?, ?, ?)
		ON CONFLICT (meeting_id, user_id) DO UPDATE SET revoked = excluded.revoked, changed_at = excluded.changed_at, changed_by = excluded.changed_by`,
		meetingID, userID, true, tx.db.now().Unix(), by)
	if err != nil {
		return fmt.Errorf("revoke link: %w", err)
	}
	return nil
}

// RestoreLink gives a person a new personal link to a meeting: the
// generation moves on, so the old token stays dead.
func (tx *Tx) RestoreLink(ctx context.Context, meetingID, userID, by int64) error {
	_, err := tx.exec(ctx, `INSERT INTO meeting_link_access (meeting_id, user_id, generation, revoked, changed_at, changed_by) VALUES (?, ?, 1, ?, ?, ?)
		ON CONFLICT (meeting_id, user_id) DO UPDATE SET generation = meeting_link_access.generation + 1, revoked = excluded.revoked,
		changed_at = excluded.changed_at, changed_by = excluded.changed_by`,
		meetingID, userID, false, tx.db.now().Unix(), by)
	if err != nil {
		return fmt.Errorf("restore link: %w", err)
	}
	return nil
}

// --- calendar tokens ---

// SetCalendarToken stores the hash of a person's new private calendar
// address, replacing the old one.
func (db *DB) SetCalendarToken(ctx context.Context, userID int64, hash string) error {
	return db.InTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `DELETE FROM calendar_tokens WHERE user_id = ?`, userID); err != nil {
			return fmt.Errorf("replace calendar token: %w", err)
		}
		if _, err := tx.exec(ctx, `INSERT INTO calendar_tokens (user_id, token_hash, created_at) VALUES (?, ?, ?)`, userID, hash, db.now().Unix()); err != nil {
			return fmt.Errorf("store calendar token: %w", err)
		}
		return nil
	})
}

// DeleteCalendarToken turns a person's private calendar address off.
func (db *DB) DeleteCalendarToken(ctx context.Context, userID int64) error {
	_, err := db.write.ExecContext(ctx, db.rebind(`DELETE FROM calendar_tokens WHERE user_id = ?`), userID)
	if err != nil {
		return fmt.Errorf("delete calendar token: %w", err)
	}
	return nil
}

// CalendarTokenCreated reports when the person's calendar address was made
// (zero when they have none).
func (db *DB) CalendarTokenCreated(ctx context.Context, userID int64) (time.Time, error) {
	var created int64
	err := db.queryRow(ctx, `SELECT created_at FROM calendar_tokens WHERE user_id = ?`, userID).Scan(&created)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("read calendar token: %w", err)
	}
	return fromUnix(created), nil
}

// UserByCalendarToken returns the person whose calendar address hashes to
// hash.
func (db *DB) UserByCalendarToken(ctx context.Context, hash string) (*hearth.User, error) {
	u, err := scanUser(db.queryRow(ctx, `SELECT `+prefixed("u.", userColumns)+` FROM calendar_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?`, hash))
	return u, notFound(err, "The calendar")
}
