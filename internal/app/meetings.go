package app

import (
	"context"
	"crypto/aes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/schedule"
	"github.com/hearth-org/hearth/internal/sqldb"
	"github.com/hearth-org/hearth/internal/vault"
)

// Meetings: a group's schedules (RFC 5545 rules in the group's zone), their
// exceptions, the occurrences they give, RSVPs with capacity, attendance,
// and the protection of conference links (section 3 of issue 3).

// MeetingInput is a meeting as a facilitator gives it (the API's body; the
// page's plain fields become one through MeetingForm.Input).
type MeetingInput struct {
	Title string
	// Start is the first meeting: "2006-01-02T15:04" as a wall-clock time in
	// the group's zone, or an RFC 3339 time with an offset.
	Start string
	// TimeZone, when given, is the zone Start is written in; it must be an
	// IANA name. The meeting is kept in the group's zone.
	TimeZone string
	Duration int
	RRule    string // "" for a one-off meeting
	Ongoing  bool   // a rule without COUNT or UNTIL runs until stopped
	Attend   hearth.Attend
	Capacity int
}

// startLayouts are the wall-clock forms a start may take.
var startLayouts = []string{"2006-01-02T15:04", "2006-01-02T15:04:05", "2006-01-02 15:04"}

// ParseLocalTime reads a start given as a wall clock in loc, or as RFC 3339
// with an offset (then shown in loc).
func ParseLocalTime(s string, loc *time.Location) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, l := range startLayouts {
		if t, err := time.ParseInLocation(l, s, loc); err == nil {
			return t.Truncate(time.Minute), true
		}
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.In(loc).Truncate(time.Minute), true
	}
	return time.Time{}, false
}

// meetingFromInput validates an input for a group and returns the meeting
// and its parsed rule (nil for a one-off). Every problem is reported at once.
func (a *App) meetingFromInput(g *hearth.Group, in MeetingInput, isNew bool) (*hearth.Meeting, *schedule.Rule, error) {
	var p hearth.Problems
	groupLoc, err := time.LoadLocation(g.Location.TimeZone)
	if err != nil {
		return nil, nil, fmt.Errorf("group %d zone %q: %w", g.ID, g.Location.TimeZone, err)
	}
	inLoc := groupLoc
	if z := strings.TrimSpace(in.TimeZone); z != "" {
		if loc, err := time.LoadLocation(z); err != nil || z == "Local" {
			p.Add("time_zone", "unknown", fmt.Sprintf("%q is not a time zone; use a name like America/Chicago or Europe/Madrid.", hearth.Clip(z)), map[string]any{"Value": hearth.Clip(z)})
			inLoc = nil
		} else {
			inLoc = loc
		}
	}
	m := &hearth.Meeting{GroupID: g.ID, Title: in.Title, Duration: in.Duration, Attend: in.Attend, Capacity: in.Capacity}
	m.Normalize()
	if inLoc != nil {
		start, ok := ParseLocalTime(in.Start, inLoc)
		if !ok {
			p.Add("start", "format", "Give the first meeting's date and time, like 2026-03-03T18:30.", nil)
		} else {
			m.Start = start.In(groupLoc)
		}
	}
	var rule *schedule.Rule
	if raw := strings.TrimSpace(in.RRule); raw != "" {
		r, err := schedule.ParseRule(raw)
		if err != nil {
			appendProblems(&p, err)
		} else {
			rule = &r
		}
	}
	p = append(p, m.Validate()...)
	if len(p) == 0 {
		if rule != nil {
			if err := schedule.ValidateSchedule(m.Start, rule, in.Ongoing); err != nil {
				appendProblems(&p, err)
			} else {
				m.RRule = rule.String()
			}
		} else if isNew && m.Start.Before(a.now()) {
			p.Add("start", "past", "A one-off meeting must be in the future.", nil)
		}
	}
	if err := p.Err(); err != nil {
		return nil, nil, err
	}
	return m, rule, nil
}

// appendProblems adds the field problems of err (a *hearth.Error) to p; any
// other error becomes a general problem.
func appendProblems(p *hearth.Problems, err error) {
	if e := hearth.AsError(err); e != nil && len(e.Fields) > 0 {
		*p = append(*p, e.Fields...)
		return
	}
	p.Add("", "invalid", err.Error(), nil)
}

// ruleOf parses a stored meeting's rule (nil for a one-off).
func ruleOf(m *hearth.Meeting) *schedule.Rule {
	if m.RRule == "" {
		return nil
	}
	r, err := schedule.ParseRule(m.RRule)
	if err != nil {
		return nil
	}
	return &r
}

func duration(m *hearth.Meeting) time.Duration { return time.Duration(m.Duration) * time.Minute }

// expand lists a meeting's occurrences overlapping [from, to), filled with
// the meeting's id, title and way to attend.
func expand(m *hearth.Meeting, excs []hearth.MeetingException, from, to time.Time) []hearth.Occurrence {
	occs := schedule.Expand(m.Start, duration(m), ruleOf(m), excs, from, to)
	for i := range occs {
		occs[i].MeetingID, occs[i].Title, occs[i].Attend = m.ID, m.Title, m.Attend
	}
	return occs
}

// MeetingView is one schedule as its page shows it.
type MeetingView struct {
	Meeting    *hearth.Meeting
	Rule       *schedule.Rule // nil: one-off
	Ongoing    bool
	Exceptions []hearth.MeetingException
	Upcoming   []hearth.Occurrence // the next few, exceptions applied
}

// MeetingsView is a group's meetings, as the facilitators' page and the API
// show them.
type MeetingsView struct {
	Group    *hearth.Group
	Policy   hearth.MeetingPolicy
	Meetings []MeetingView
	CanEdit  bool
	// Members lists the active members (for link revocation); facilitators
	// only.
	Members []sqldb.Attendee
	// Revoked lists, by meeting, the people whose personal link is revoked.
	Revoked map[int64][]int64
}

// upcomingWindow is how far ahead pages list occurrences.
const upcomingWindow = 92 * 24 * time.Hour

// Meetings lists a group's meetings. Anyone who may see the group may read
// them; conference links and dial-in codes are left out unless the reader
// runs the group or the group publishes its links.
func (a *App) Meetings(ctx context.Context, actor hearth.Actor, slug string) (*MeetingsView, error) {
	g, err := a.visibleGroup(ctx, actor, slug)
	if err != nil {
		return nil, err
	}
	return a.meetingsView(ctx, actor, g)
}

func (a *App) meetingsView(ctx context.Context, actor hearth.Actor, g *hearth.Group) (*MeetingsView, error) {
	pol, err := a.db.MeetingPolicy(ctx, g.ID)
	if err != nil {
		return nil, err
	}
	byGroup, err := a.db.MeetingsByGroup(ctx, []int64{g.ID})
	if err != nil {
		return nil, err
	}
	ms := byGroup[g.ID]
	excs, err := a.db.ExceptionsByMeeting(ctx, meetingIDs(ms))
	if err != nil {
		return nil, err
	}
	v := &MeetingsView{Group: g, Policy: pol, CanEdit: actor.CanEditGroup(g)}
	now := a.now()
	for _, m := range ms {
		mv := MeetingView{Meeting: m, Rule: ruleOf(m), Exceptions: excs[m.ID]}
		mv.Ongoing = mv.Rule != nil && !mv.Rule.Ends()
		up := expand(m, excs[m.ID], now, now.Add(upcomingWindow))
		if len(up) > 8 {
			up = up[:8]
		}
		mv.Upcoming = up
		if !v.CanEdit && !pol.PublishLink {
			cp := *m
			cp.Attend = publicAttend(m.Attend)
			mv.Meeting = &cp
			for i := range mv.Upcoming {
				mv.Upcoming[i].Attend = cp.Attend
			}
		}
		v.Meetings = append(v.Meetings, mv)
	}
	if v.CanEdit {
		if v.Members, err = a.db.ActiveMembers(ctx, g.ID); err != nil {
			return nil, err
		}
		if v.Revoked, err = a.db.RevokedLinkUsers(ctx, g.ID); err != nil {
			return nil, err
		}
	}
	return v, nil
}

// publicAttend is how to attend as anyone may read it: the mode and venue
// notes, never a link, number or code.
func publicAttend(at hearth.Attend) hearth.Attend {
	return hearth.Attend{Mode: at.Mode, VenueNotes: at.VenueNotes}
}

func meetingIDs(ms []*hearth.Meeting) []int64 {
	ids := make([]int64, len(ms))
	for i, m := range ms {
		ids[i] = m.ID
	}
	return ids
}

// visibleGroup loads a group the actor may see (a private group is NotFound
// to others).
func (a *App) visibleGroup(ctx context.Context, actor hearth.Actor, slug string) (*hearth.Group, error) {
	return a.groupAllowed(ctx, actor, slug, actor.CanSeeGroup, "")
}

// editableGroup loads a group the actor runs.
func (a *App) editableGroup(ctx context.Context, actor hearth.Actor, slug string) (*hearth.Group, error) {
	if !actor.SignedIn() {
		return nil, hearth.Errorf(hearth.Unauthorized, "Please sign in.")
	}
	return a.groupAllowed(ctx, actor, slug, actor.CanEditGroup, "Only the group's facilitators and its organization's administrators can change its meetings.")
}

// meetingOf loads a meeting and checks that it belongs to the group.
func (a *App) meetingOf(ctx context.Context, g *hearth.Group, id int64) (*hearth.Meeting, error) {
	m, err := a.db.Meeting(ctx, id)
	if err != nil {
		return nil, err
	}
	if m.GroupID != g.ID {
		return nil, hearth.Errorf(hearth.NotFound, "The meeting was not found.")
	}
	return m, nil
}

// editableMeeting loads a group the actor runs and one of its meetings.
func (a *App) editableMeeting(ctx context.Context, actor hearth.Actor, slug string, id int64) (*hearth.Group, *hearth.Meeting, error) {
	return a.groupMeeting(ctx, a.editableGroup, actor, slug, id)
}

// visibleMeeting loads a group the actor may see and one of its meetings.
func (a *App) visibleMeeting(ctx context.Context, actor hearth.Actor, slug string, id int64) (*hearth.Group, *hearth.Meeting, error) {
	return a.groupMeeting(ctx, a.visibleGroup, actor, slug, id)
}

func (a *App) groupMeeting(ctx context.Context, load func(context.Context, hearth.Actor, string) (*hearth.Group, error), actor hearth.Actor,
	slug string, id int64) (*hearth.Group, *hearth.Meeting, error) {
	g, err := load(ctx, actor, slug)
	if err != nil {
		return nil, nil, err
	}
	m, err := a.meetingOf(ctx, g, id)
	if err != nil {
		return nil, nil, err
	}
	return g, m, nil
}

// CreateMeeting adds a meeting to a group (its facilitators and
// organization admins).
func (a *App) CreateMeeting(ctx context.Context, actor hearth.Actor, slug string, in MeetingInput) (*hearth.Meeting, error) {
	g, err := a.editableGroup(ctx, actor, slug)
	if err != nil {
		return nil, err
	}
	m, _, err := a.meetingFromInput(g, in, true)
	if err != nil {
		return nil, err
	}
	if err := a.changeMeetings(ctx, g, func(tx *sqldb.Tx) error { return tx.InsertMeeting(ctx, m) }); err != nil {
		return nil, err
	}
	a.log.Info("meeting created", "group_id", g.ID, "meeting_id", m.ID, "by", actor.UserID)
	return m, nil
}

// changeMeetings runs change on a group's meetings in one transaction that
// also keeps the group's simple schedule in step (g.Schedule follows);
// after it commits, the directory learns of a moved schedule and new
// meetings get their sealed link keys.
func (a *App) changeMeetings(ctx context.Context, g *hearth.Group, change func(*sqldb.Tx) error) error {
	var sched *hearth.Schedule
	err := a.db.InTx(ctx, func(tx *sqldb.Tx) error {
		if err := change(tx); err != nil {
			return err
		}
		var err error
		sched, err = a.syncSchedule(ctx, tx, g)
		return err
	})
	if err != nil {
		return err
	}
	if sched != nil {
		g.Schedule = *sched
	}
	a.scheduleChanged(ctx, g, sched)
	a.afterMeetingWrite(ctx, g.ID)
	return nil
}

// MeetingUpdate is a changed meeting and what the change cost.
type MeetingUpdate struct {
	Meeting *hearth.Meeting
	// DroppedExceptions counts the cancellations and moves removed because
	// the new first start or rule has no occurrence where they were.
	DroppedExceptions int
	// DroppedPlaces counts the places people held at coming occurrences the
	// new schedule no longer has; each holder was told that date is off.
	DroppedPlaces int
}

// UpdateMeeting changes a meeting. Cancellations and moves of occurrences
// the new schedule still has stay; those naming an occurrence it no longer
// has are deleted in the same transaction and counted, so the facilitator
// can be told.
func (a *App) UpdateMeeting(ctx context.Context, actor hearth.Actor, slug string, id int64, in MeetingInput) (*MeetingUpdate, error) {
	g, cur, err := a.editableMeeting(ctx, actor, slug, id)
	if err != nil {
		return nil, err
	}
	// A one-off already in the past may be corrected, not only moved ahead.
	m, _, err := a.meetingFromInput(g, in, in.RRule != "" || !cur.Start.Equal(mustStart(in, g)))
	if err != nil {
		return nil, err
	}
	m.ID, m.CreatedAt = cur.ID, cur.CreatedAt
	out := &MeetingUpdate{Meeting: m}
	err = a.changeMeetings(ctx, g, func(tx *sqldb.Tx) error {
		if err := tx.UpdateMeeting(ctx, m); err != nil {
			return err
		}
		if out.DroppedExceptions, err = a.pruneExceptions(ctx, tx, m); err != nil {
			return err
		}
		out.DroppedPlaces, err = a.dropPlaces(ctx, tx, g, m)
		return err
	})
	if err != nil {
		return nil, err
	}
	a.log.Info("meeting updated", "group_id", g.ID, "meeting_id", m.ID, "dropped_exceptions", out.DroppedExceptions,
		"dropped_places", out.DroppedPlaces, "by", actor.UserID)
	return out, nil
}

// pruneExceptions deletes, inside tx, the meeting's exceptions whose
// original start is not an occurrence of its (new) schedule, and reports
// how many went.
func (a *App) pruneExceptions(ctx context.Context, tx *sqldb.Tx, m *hearth.Meeting) (int, error) {
	excs, err := a.db.ExceptionsByMeeting(ctx, []int64{m.ID})
	if err != nil {
		return 0, err
	}
	rule := ruleOf(m)
	var gone []int64
	for _, e := range excs[m.ID] {
		if !schedule.Occurs(m.Start, rule, e.Original.In(m.Start.Location())) {
			gone = append(gone, e.ID)
		}
	}
	return tx.DeleteExceptions(ctx, m.ID, gone)
}

// dropPlaces gives back, inside tx, the places held at coming occurrences
// the meeting's (new) schedule no longer has, and tells each holder that
// the meeting on that date is off (a notice pointing to the group's page,
// where the new dates are). It reports how many places went.
func (a *App) dropPlaces(ctx context.Context, tx *sqldb.Tx, g *hearth.Group, m *hearth.Meeting) (int, error) {
	now := a.now()
	rs, err := a.db.RSVPs(ctx, []int64{m.ID}, now, now.AddDate(100, 0, 0))
	if err != nil {
		return 0, err
	}
	rule := ruleOf(m)
	var gone []time.Time
	seen := map[int64]bool{}
	n := 0
	for _, r := range rs {
		orig := r.Original.In(m.Start.Location())
		if schedule.Occurs(m.Start, rule, orig) {
			continue
		}
		n++
		if !seen[orig.Unix()] {
			seen[orig.Unix()] = true
			gone = append(gone, orig)
		}
		err := a.notify(ctx, tx, Notice{UserID: r.UserID, Kind: "meeting_cancelled", GroupID: g.ID, Link: "/groups/" + g.Slug, At: orig,
			Key: fmt.Sprintf("meeting_cancelled:%d:%d:rescheduled", m.ID, orig.Unix())})
		if err != nil {
			return 0, err
		}
	}
	return n, tx.DeleteRSVPsAt(ctx, m.ID, gone)
}

// mustStart reads an input's start for comparison (zero when unreadable).
func mustStart(in MeetingInput, g *hearth.Group) time.Time {
	loc, err := time.LoadLocation(g.Location.TimeZone)
	if err != nil {
		return time.Time{}
	}
	if z := strings.TrimSpace(in.TimeZone); z != "" {
		if l, err := time.LoadLocation(z); err == nil {
			loc = l
		}
	}
	t, _ := ParseLocalTime(in.Start, loc)
	return t
}

// DeleteMeeting removes a meeting with its exceptions, RSVPs and attendance.
func (a *App) DeleteMeeting(ctx context.Context, actor hearth.Actor, slug string, id int64) error {
	g, err := a.editableGroup(ctx, actor, slug)
	if err != nil {
		return err
	}
	if err := a.changeMeetings(ctx, g, func(tx *sqldb.Tx) error { return tx.DeleteMeeting(ctx, g.ID, id) }); err != nil {
		return err
	}
	a.log.Info("meeting deleted", "group_id", g.ID, "meeting_id", id, "by", actor.UserID)
	return nil
}

// scheduleOf is the simple weekly schedule (what directory search uses) a
// meeting gives: its first start's weekday (the rule's first day when it
// names one) and clock time, and its length.
func scheduleOf(m *hearth.Meeting) hearth.Schedule {
	s := hearth.Schedule{Weekday: m.Start.Weekday(), Start: m.Start.Hour()*60 + m.Start.Minute(), Duration: m.Duration}
	if r := ruleOf(m); r != nil && r.Freq == schedule.FreqWeekly && len(r.ByDay) > 0 {
		s.Weekday = r.ByDay[0].Day
	}
	return s
}

// syncSchedule keeps the group's simple Schedule equal to its first
// recurring meeting (by first start), read inside the transaction after the
// change. It returns the new schedule when it changed.
func (a *App) syncSchedule(ctx context.Context, tx *sqldb.Tx, g *hearth.Group) (*hearth.Schedule, error) {
	ms, err := tx.MeetingsOfGroup(ctx, g.ID)
	if err != nil {
		return nil, err
	}
	var first *hearth.Meeting
	for _, m := range ms {
		if m.RRule != "" && (first == nil || m.Start.Before(first.Start)) {
			first = m
		}
	}
	if first == nil {
		return nil, nil
	}
	s := scheduleOf(first)
	if s == g.Schedule {
		return nil, nil
	}
	if err := tx.SetGroupSchedule(ctx, g.ID, s); err != nil {
		return nil, err
	}
	return &s, nil
}

// scheduleChanged updates the directory after a group's schedule moved.
func (a *App) scheduleChanged(ctx context.Context, g *hearth.Group, s *hearth.Schedule) {
	if s == nil {
		return
	}
	a.reindexGroup(ctx, g.ID)
}

// DefaultMeeting is the weekly, ongoing meeting a group without meetings
// gets from its simple schedule: its next start from now, in the group's
// zone, attended as the group's format says.
func DefaultMeeting(g *hearth.Group, now time.Time) (*hearth.Meeting, error) {
	loc, err := time.LoadLocation(g.Location.TimeZone)
	if err != nil {
		return nil, fmt.Errorf("group %s zone: %w", g.Slug, err)
	}
	s := g.Schedule
	start := s.Next(now, loc)
	// A week back, so this week's meeting is listed even once begun.
	start = time.Date(start.Year(), start.Month(), start.Day()-7, s.Start/60, s.Start%60, 0, 0, loc)
	dur := s.Duration
	if dur <= 0 || dur > hearth.MaxMeetingMinutes {
		dur = 60
	}
	r := schedule.Weekly(s.Weekday, 1)
	m := &hearth.Meeting{GroupID: g.ID, Start: start, Duration: dur, RRule: r.String(),
		Attend: hearth.Attend{Mode: g.Format, VenueNotes: hearth.Clip(g.VenueNotes)}}
	if len([]rune(m.Attend.VenueNotes)) > hearth.MaxVenueNotesLen {
		m.Attend.VenueNotes = string([]rune(m.Attend.VenueNotes)[:hearth.MaxVenueNotesLen])
	}
	return m, nil
}

// ensureMeeting gives a group without meetings its default weekly meeting,
// inside the caller's transaction.
func (a *App) ensureMeeting(ctx context.Context, tx *sqldb.Tx, g *hearth.Group) error {
	n, err := tx.CountMeetings(ctx, g.ID)
	if err != nil || n > 0 {
		return err
	}
	m, err := DefaultMeeting(g, a.now())
	if err != nil {
		return err
	}
	return tx.InsertMeeting(ctx, m)
}

// EnsureMeetings gives the group its default meeting when it has none (used
// after a group is created or edited).
func (a *App) EnsureMeetings(ctx context.Context, g *hearth.Group) error {
	return a.db.InTx(ctx, func(tx *sqldb.Tx) error { return a.ensureMeeting(ctx, tx, g) })
}

// --- exceptions ---

// ExceptionInput changes one occurrence: Cancel it (with a note) or move it
// to Start ("2006-01-02T15:04" in the group's zone, or RFC 3339) for
// Duration minutes (0: as scheduled).
type ExceptionInput struct {
	Original time.Time
	Cancel   bool
	Start    string
	Duration int
	Note     string
}

// ChangeOccurrence cancels or moves one occurrence of a meeting and tells
// the members (and anyone holding a place) with a notice.
func (a *App) ChangeOccurrence(ctx context.Context, actor hearth.Actor, slug string, meetingID int64, in ExceptionInput) (*hearth.MeetingException, error) {
	g, m, err := a.editableMeeting(ctx, actor, slug, meetingID)
	if err != nil {
		return nil, err
	}
	var p hearth.Problems
	orig := in.Original.In(m.Start.Location())
	if in.Original.IsZero() || !schedule.Occurs(m.Start, ruleOf(m), orig) {
		p.Add("original_start", "no_occurrence", "The meeting has no occurrence at that time; choose one from its list.", nil)
	}
	e := &hearth.MeetingException{MeetingID: m.ID, Original: orig, Cancelled: in.Cancel, Note: in.Note, Duration: in.Duration}
	if !in.Cancel {
		if e.Duration == 0 {
			e.Duration = m.Duration
		}
		if strings.TrimSpace(in.Start) != "" {
			t, ok := ParseLocalTime(in.Start, m.Start.Location())
			if !ok {
				p.Add("start", "format", "Give the new date and time, like 2026-03-03T18:30.", nil)
			} else {
				e.Start = t
			}
		}
	}
	p = append(p, e.Validate()...)
	if len(p) == 0 && !in.Cancel && e.Start.Before(a.now()) {
		p.Add("start", "past", "The new time must be in the future.", nil)
	}
	if len(p) == 0 && orig.Add(duration(m)).Before(a.now()) {
		p.Add("original_start", "past", "That meeting is over; it can no longer be changed.", nil)
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	kind := "meeting_moved"
	if e.Cancelled {
		kind = "meeting_cancelled"
	}
	err = a.db.InTx(ctx, func(tx *sqldb.Tx) error {
		if err := tx.PutException(ctx, e); err != nil {
			return err
		}
		return a.tellOccurrence(ctx, tx, g, m, orig, kind, "exception:"+strconv.FormatInt(e.ID, 10), e.Start, actor.UserID)
	})
	if err != nil {
		return nil, err
	}
	a.log.Info("occurrence changed", "group_id", g.ID, "meeting_id", m.ID, "original", orig.Unix(), "cancelled", e.Cancelled, "by", actor.UserID)
	return e, nil
}

// RestoreOccurrence undoes an occurrence's change: it takes place as
// scheduled.
func (a *App) RestoreOccurrence(ctx context.Context, actor hearth.Actor, slug string, meetingID int64, original time.Time) error {
	g, m, err := a.editableMeeting(ctx, actor, slug, meetingID)
	if err != nil {
		return err
	}
	if err := a.db.InTx(ctx, func(tx *sqldb.Tx) error { return tx.DeleteException(ctx, m.ID, original) }); err != nil {
		return err
	}
	a.log.Info("occurrence restored", "group_id", g.ID, "meeting_id", m.ID, "original", original.Unix(), "by", actor.UserID)
	return nil
}

// tellOccurrence sends a notice about one occurrence to the group's active
// members (co-facilitators included) and to anyone holding a place at it —
// but not to the person who made the change.
func (a *App) tellOccurrence(ctx context.Context, tx *sqldb.Tx, g *hearth.Group, m *hearth.Meeting, orig time.Time, kind, event string, about time.Time, by int64) error {
	members, err := a.db.ActiveMembers(ctx, g.ID)
	if err != nil {
		return err
	}
	to := map[int64]bool{}
	for _, mem := range members {
		to[mem.UserID] = true
	}
	rsvps, err := a.db.RSVPs(ctx, []int64{m.ID}, orig, orig.Add(time.Second))
	if err != nil {
		return err
	}
	for _, r := range rsvps {
		to[r.UserID] = true
	}
	delete(to, by)
	ids := make([]int64, 0, len(to))
	for id := range to {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	if about.IsZero() {
		about = orig
	}
	for _, uid := range ids {
		n := Notice{UserID: uid, Kind: kind, GroupID: g.ID, Link: OccurrencePath(g.Slug, m.ID, orig), At: about,
			Key: fmt.Sprintf("%s:%d:%d:%s", kind, m.ID, orig.Unix(), event)}
		if err := a.notify(ctx, tx, n); err != nil {
			return err
		}
	}
	return nil
}

// OccurrencePath is the address of an occurrence's page.
func OccurrencePath(slug string, meetingID int64, original time.Time) string {
	return fmt.Sprintf("/groups/%s/meetings/%d/%d", slug, meetingID, original.Unix())
}

// --- policy ---

// MeetingPolicy returns how a group protects its meetings (its runners).
func (a *App) MeetingPolicy(ctx context.Context, actor hearth.Actor, slug string) (hearth.MeetingPolicy, error) {
	g, err := a.editableGroup(ctx, actor, slug)
	if err != nil {
		return hearth.MeetingPolicy{}, err
	}
	return a.db.MeetingPolicy(ctx, g.ID)
}

// MaxLinkLeadMinutes is the earliest a link may show before a start.
const MaxLinkLeadMinutes = 24 * 60

// SetMeetingPolicy chooses whether a group publishes its conference links
// and how early members see them.
func (a *App) SetMeetingPolicy(ctx context.Context, actor hearth.Actor, slug string, p hearth.MeetingPolicy) error {
	g, err := a.editableGroup(ctx, actor, slug)
	if err != nil {
		return err
	}
	if p.LinkLeadMinutes < 0 || p.LinkLeadMinutes > MaxLinkLeadMinutes {
		var pr hearth.Problems
		pr.Add("link_lead_minutes", "range", fmt.Sprintf("Show the link between 0 and %d minutes before the start.", MaxLinkLeadMinutes),
			map[string]any{"Min": 0, "Max": MaxLinkLeadMinutes})
		return pr.Err()
	}
	if err := a.db.InTx(ctx, func(tx *sqldb.Tx) error { return tx.SetMeetingPolicy(ctx, g.ID, p) }); err != nil {
		return err
	}
	a.log.Info("meeting policy set", "group_id", g.ID, "publish_link", p.PublishLink, "lead", p.LinkLeadMinutes, "by", actor.UserID)
	return nil
}

// --- personal link tokens ---
//
// A personal link (/go/{token}) is derived, never stored: viewing a page
// writes nothing. Each meeting has a 32-byte secret, its link key, sealed by
// the vault under the group's scope and bound to the meeting's id (so a
// copy of the database alone yields no token). A token is
//
//	base64url( uvarint(meeting id) ‖ AES-256(k_enc, user id ‖ generation ‖ 0⁴) ‖ HMAC-SHA256(k_mac, uvarint(meeting id) ‖ that block)[:16] )
//
// with k_enc and k_mac derived from the link key: the person is hidden from
// whoever sees the link, and the tag is checked in constant time before
// anything else. A facilitator's revocation is a row (meeting_link_access);
// restoring moves the person's generation on, so an old token stays dead.

// linkKeyAD binds a sealed link key to its meeting.
func linkKeyAD(meetingID int64) string { return "meeting-link-key:" + strconv.FormatInt(meetingID, 10) }

// linkKeys are a meeting's two derived keys.
type linkKeys struct{ enc, mac []byte }

func deriveLinkKeys(secret []byte) linkKeys {
	d := func(label string) []byte {
		h := hmac.New(sha256.New, secret)
		h.Write([]byte(label))
		return h.Sum(nil)
	}
	return linkKeys{enc: d("hearth personal link: encrypt"), mac: d("hearth personal link: authenticate")}
}

func (k linkKeys) tag(prefix, block []byte) []byte {
	h := hmac.New(sha256.New, k.mac)
	h.Write(prefix)
	h.Write(block)
	return h.Sum(nil)[:16]
}

// makeLinkToken derives the person's token for the meeting.
func makeLinkToken(k linkKeys, meetingID, userID, generation int64) string {
	prefix := binary.AppendUvarint(nil, uint64(meetingID))
	var plain [16]byte
	binary.BigEndian.PutUint64(plain[:8], uint64(userID))
	binary.BigEndian.PutUint32(plain[8:12], uint32(generation))
	c, _ := aes.NewCipher(k.enc) // a 32-byte key: never fails
	block := make([]byte, 16)
	c.Encrypt(block, plain[:])
	tok := append(append(prefix, block...), k.tag(prefix, block)...)
	return base64.RawURLEncoding.EncodeToString(tok)
}

// linkTokenMeeting reads the meeting id a token names (not yet verified).
func linkTokenMeeting(token string) (meetingID int64, raw []byte, ok bool) {
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil {
		return 0, nil, false
	}
	id, n := binary.Uvarint(raw)
	if n <= 0 || id == 0 || id > 1<<62 || len(raw)-n != 32 {
		return 0, nil, false
	}
	return int64(id), raw, true
}

// openLinkToken verifies a token against the meeting's keys and returns
// whom it was made for.
func openLinkToken(k linkKeys, raw []byte) (userID, generation int64, ok bool) {
	_, n := binary.Uvarint(raw)
	prefix, block, tag := raw[:n], raw[n:n+16], raw[n+16:]
	if !hmac.Equal(tag, k.tag(prefix, block)) {
		return 0, 0, false
	}
	c, _ := aes.NewCipher(k.enc)
	var plain [16]byte
	c.Decrypt(plain[:], block)
	if binary.BigEndian.Uint32(plain[12:]) != 0 {
		return 0, 0, false
	}
	uid := binary.BigEndian.Uint64(plain[:8])
	if uid == 0 || uid > 1<<62 {
		return 0, 0, false
	}
	return int64(uid), int64(binary.BigEndian.Uint32(plain[8:12])), true
}

// meetingLinkKeys opens a meeting's sealed link key; ok is false when none
// was sealed yet.
func (a *App) meetingLinkKeys(ctx context.Context, groupID, meetingID int64) (linkKeys, bool, error) {
	sealed, err := a.db.MeetingLinkKey(ctx, meetingID)
	if err != nil || sealed == nil {
		return linkKeys{}, false, err
	}
	secret, err := a.vault.Open(ctx, vault.GroupScope(groupID), linkKeyAD(meetingID), sealed)
	if err != nil {
		return linkKeys{}, false, fmt.Errorf("link key of meeting %d: %w", meetingID, err)
	}
	return deriveLinkKeys(secret), true, nil
}

// sealLinkKeys gives every meeting of the group (of every group when 0)
// that has none its sealed link key. It runs after a meeting is written, in
// its own short transactions (sealing may create the group's data key,
// which cannot happen inside another write transaction), and from the
// reminder chore for meetings written elsewhere (imports, new groups).
func (a *App) sealLinkKeys(ctx context.Context, groupID int64) error {
	refs, err := a.db.MeetingsWithoutLinkKey(ctx, groupID, 200)
	if err != nil {
		return err
	}
	for _, r := range refs {
		scope := vault.GroupScope(r.GroupID)
		if err := a.vault.EnsureKey(ctx, scope); err != nil {
			return err
		}
		secret := make([]byte, 32)
		rand.Read(secret)
		sealed, err := a.vault.Seal(ctx, scope, linkKeyAD(r.ID), secret)
		if err != nil {
			return err
		}
		if _, err := a.db.SetMeetingLinkKey(ctx, r.ID, sealed); err != nil {
			return err
		}
	}
	return nil
}

// afterMeetingWrite seals the link keys of the group's new meetings; a
// failure is logged (the chore retries, and pages fall back meanwhile).
func (a *App) afterMeetingWrite(ctx context.Context, groupID int64) {
	if err := a.sealLinkKeys(ctx, groupID); err != nil {
		a.log.Error("seal meeting link keys", "group_id", groupID, "err", err)
	}
}

// --- occurrences ---

// Upcoming lists a group's next occurrences across its meetings (at most n,
// within three months), as anyone who may see the group reads them: no
// conference link unless the group publishes it. Cancelled ones are listed
// with their note.
func (a *App) Upcoming(ctx context.Context, actor hearth.Actor, g *hearth.Group, n int) ([]hearth.Occurrence, error) {
	if !actor.CanSeeGroup(g) {
		return nil, hearth.Errorf(hearth.NotFound, "The group was not found.")
	}
	now := a.now()
	occs, pol, err := a.groupOccurrences(ctx, g, now, now.Add(upcomingWindow))
	if err != nil {
		return nil, err
	}
	if len(occs) > n {
		occs = occs[:n]
	}
	if !pol.PublishLink {
		for i := range occs {
			occs[i].Attend = publicAttend(occs[i].Attend)
		}
	}
	return occs, nil
}

// groupOccurrences expands every meeting of a group over [from, to), sorted
// by start.
func (a *App) groupOccurrences(ctx context.Context, g *hearth.Group, from, to time.Time) ([]hearth.Occurrence, hearth.MeetingPolicy, error) {
	pol, err := a.db.MeetingPolicy(ctx, g.ID)
	if err != nil {
		return nil, pol, err
	}
	byGroup, err := a.db.MeetingsByGroup(ctx, []int64{g.ID})
	if err != nil {
		return nil, pol, err
	}
	ms := byGroup[g.ID]
	excs, err := a.db.ExceptionsByMeeting(ctx, meetingIDs(ms))
	if err != nil {
		return nil, pol, err
	}
	var out []hearth.Occurrence
	for _, m := range ms {
		out = append(out, expand(m, excs[m.ID], from, to)...)
	}
	slices.SortStableFunc(out, func(x, y hearth.Occurrence) int { return x.Start.Compare(y.Start) })
	return out, pol, nil
}

// OccurrenceItem is one occurrence in a list, with its places.
type OccurrenceItem struct {
	hearth.Occurrence
	Taken    int  // places taken
	Capacity int  // 0: no limit
	Mine     bool // the viewer holds a place
}

// MaxOccurrenceWindow is the longest window Occurrences answers.
const MaxOccurrenceWindow = 400 * 24 * time.Hour

// Occurrences lists a group's occurrences overlapping [from, to) for anyone
// who may see the group; links only when published.
func (a *App) Occurrences(ctx context.Context, actor hearth.Actor, slug string, from, to time.Time) ([]OccurrenceItem, error) {
	g, err := a.visibleGroup(ctx, actor, slug)
	if err != nil {
		return nil, err
	}
	if !from.Before(to) || to.Sub(from) > MaxOccurrenceWindow {
		var p hearth.Problems
		p.Add("to", "window", "Ask for a window that ends after it starts and spans at most 400 days.", map[string]any{"Max": 400})
		return nil, p.Err()
	}
	occs, pol, err := a.groupOccurrences(ctx, g, from, to)
	if err != nil {
		return nil, err
	}
	byGroup, _ := a.db.MeetingsByGroup(ctx, []int64{g.ID})
	capOf := map[int64]int{}
	for _, m := range byGroup[g.ID] {
		capOf[m.ID] = m.Capacity
	}
	rsvps, err := a.db.RSVPs(ctx, slices.Collect(mapsKeys(capOf)), from.Add(-hearth.MaxMeetingMinutes*time.Minute), to)
	if err != nil {
		return nil, err
	}
	type key struct {
		m int64
		t int64
	}
	taken, mine := map[key]int{}, map[key]bool{}
	for _, r := range rsvps {
		k := key{r.MeetingID, r.Original.Unix()}
		taken[k]++
		if r.UserID == actor.UserID && actor.SignedIn() {
			mine[k] = true
		}
	}
	out := make([]OccurrenceItem, 0, len(occs))
	for _, o := range occs {
		if !pol.PublishLink && !actor.CanEditGroup(g) {
			o.Attend = publicAttend(o.Attend)
		}
		k := key{o.MeetingID, o.Original.Unix()}
		out = append(out, OccurrenceItem{Occurrence: o, Taken: taken[k], Capacity: capOf[o.MeetingID], Mine: mine[k]})
	}
	return out, nil
}

func mapsKeys[V any](m map[int64]V) func(func(int64) bool) {
	return func(yield func(int64) bool) {
		keys := make([]int64, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			if !yield(k) {
				return
			}
		}
	}
}

// Link states: what a viewer sees of an occurrence's conference link.
const (
	LinkNone        = ""             // the occurrence has no link or dial-in
	LinkPublished   = "published"    // the group publishes it: shown to all
	LinkMembersOnly = "members_only" // join (or RSVP) to see it
	LinkNotYet      = "not_yet"      // shown from LinkOpens
	LinkOpen        = "open"         // shown now
	LinkOver        = "over"         // the meeting has ended
	LinkRevoked     = "revoked"      // a facilitator revoked this person's link
	LinkCancelled   = "cancelled"    // no meeting this time
	LinkNotSet      = "not_set"      // an online or phone meeting whose runners have not given the link yet
)

// OccurrenceView is one occurrence as its page shows it to the viewer.
type OccurrenceView struct {
	Group      *hearth.Group
	Meeting    *hearth.Meeting // Attend without link, number or code unless the viewer may see them
	Occurrence hearth.Occurrence
	Policy     hearth.MeetingPolicy
	Taken      int
	Capacity   int
	Full       bool
	HasRSVP    bool
	CanRSVP    bool // the viewer may take a place
	IsMember   bool // an active member who may see member-only things
	// MustAcceptGuidelines: an active member who must accept the group's
	// new guidelines before seeing the link.
	MustAcceptGuidelines bool
	CanEdit              bool
	Started              bool
	Over                 bool // it has ended
	// The link, as the viewer may see it.
	Link      string    // one of the Link* states
	LinkPath  string    // "/go/{token}" (or the real link when published or for the group's runners)
	LinkOpens time.Time // when LinkNotYet
	Phone     string    // dial-in, when shown
	Code      string
	// Roster is who may be marked present (facilitators only).
	Roster []RosterEntry
	MyMark hearth.AttendanceMark
}

// RosterEntry is one person at an occurrence, as facilitators see them.
type RosterEntry struct {
	UserID    int64
	Pseudonym string // "" for a non-member who RSVP'd to an open group
	Member    bool
	RSVP      bool
	Mark      hearth.AttendanceMark
}

// findOccurrence returns the meeting's occurrence that was scheduled at
// original (exceptions applied), or NotFound.
func (a *App) findOccurrence(ctx context.Context, m *hearth.Meeting, original time.Time) (hearth.Occurrence, error) {
	orig := original.In(m.Start.Location())
	if !schedule.Occurs(m.Start, ruleOf(m), orig) {
		return hearth.Occurrence{}, hearth.Coded(hearth.NotFound, "no_occurrence", "That meeting has no occurrence at that time.")
	}
	excs, err := a.db.ExceptionsByMeeting(ctx, []int64{m.ID})
	if err != nil {
		return hearth.Occurrence{}, err
	}
	o := hearth.Occurrence{MeetingID: m.ID, Original: orig, Start: orig, End: orig.Add(duration(m)), Title: m.Title, Attend: m.Attend}
	for _, e := range excs[m.ID] {
		if !e.Original.Equal(orig) {
			continue
		}
		o.Note = e.Note
		switch {
		case e.Cancelled:
			o.Cancelled = true
		case !e.Start.IsZero():
			o.Moved, o.Start = true, e.Start.In(m.Start.Location())
			d := duration(m)
			if e.Duration > 0 {
				d = time.Duration(e.Duration) * time.Minute
			}
			o.End = o.Start.Add(d)
		}
	}
	return o, nil
}

// barred reports whether the person was removed from or banned by the
// group: they hold no place and follow no link, open group or not.
func (a *App) barred(ctx context.Context, g *hearth.Group, userID int64) (bool, error) {
	m, err := a.db.Membership(ctx, g.ID, userID)
	switch {
	case hearth.ErrorKind(err) == hearth.NotFound:
		return false, nil
	case err != nil:
		return false, err
	}
	return m.Status == hearth.StatusBanned || m.Status == hearth.StatusRemoved, nil
}

// openRemote reports whether anyone signed in may take a place (and then
// see the link): open groups that meet online or by phone, not private.
func openRemote(g *hearth.Group) bool {
	return g.Policy == hearth.Open && g.Format.Remote() && g.Visibility != hearth.Private
}

// Occurrence is one occurrence's page: how to attend (the link only when
// the viewer may see it now), places, the viewer's RSVP and, for the
// group's runners, who is coming and attendance.
func (a *App) Occurrence(ctx context.Context, actor hearth.Actor, slug string, meetingID int64, original time.Time) (*OccurrenceView, error) {
	g, m, err := a.visibleMeeting(ctx, actor, slug, meetingID)
	if err != nil {
		return nil, err
	}
	o, err := a.findOccurrence(ctx, m, original)
	if err != nil {
		return nil, err
	}
	pol, err := a.db.MeetingPolicy(ctx, g.ID)
	if err != nil {
		return nil, err
	}
	now := a.now()
	v := &OccurrenceView{Group: g, Occurrence: o, Policy: pol, Capacity: m.Capacity, CanEdit: actor.CanEditGroup(g), Started: !now.Before(o.Start),
		Over: !now.Before(o.End)}
	rsvps, err := a.db.RSVPs(ctx, []int64{m.ID}, o.Original, o.Original.Add(time.Second))
	if err != nil {
		return nil, err
	}
	v.Taken = len(rsvps)
	v.Full = m.Capacity > 0 && v.Taken >= m.Capacity
	for _, r := range rsvps {
		if actor.SignedIn() && r.UserID == actor.UserID {
			v.HasRSVP = true
		}
	}
	if actor.SignedIn() {
		st, err := a.MemberStanding(ctx, g, actor.UserID)
		if err != nil {
			return nil, err
		}
		// Member-only things wait until the current guidelines are accepted.
		v.IsMember, v.MustAcceptGuidelines = st.MaySeeMemberOnly(), st.Active && !st.MaySeeMemberOnly()
		barred, err := a.barred(ctx, g, actor.UserID)
		if err != nil {
			return nil, err
		}
		v.CanRSVP = v.IsMember || (openRemote(g) && !barred)
		if barred {
			v.HasRSVP = false // a removed person's old place opens nothing
		}
		marks, err := a.db.Attendance(ctx, g.ID, actor.UserID)
		if err != nil {
			return nil, err
		}
		for _, mk := range marks {
			if mk.MeetingID == m.ID && mk.Original.Equal(o.Original) {
				v.MyMark = mk.Mark
			}
		}
	}
	if err := a.fillLink(ctx, actor, v, m, now); err != nil {
		return nil, err
	}
	shown := *m
	shown.Attend = publicAttend(m.Attend)
	if pol.PublishLink || v.CanEdit {
		shown.Attend = m.Attend
	}
	v.Meeting = &shown
	v.Occurrence.Attend = shown.Attend
	if v.CanEdit {
		if v.Roster, err = a.roster(ctx, g, m, o); err != nil {
			return nil, err
		}
	}
	return v, nil
}

// fillLink decides what the viewer sees of the link (section 3).
func (a *App) fillLink(ctx context.Context, actor hearth.Actor, v *OccurrenceView, m *hearth.Meeting, now time.Time) error {
	at := m.Attend
	hasLink := at.Online() && at.ConferenceURL != ""
	hasPhone := at.Phone != ""
	if !hasLink && !hasPhone {
		v.Link = LinkNone
		if at.Online() || at.Mode == hearth.Phone {
			v.Link = LinkNotSet
			if !v.CanEdit && !v.IsMember && !(openRemote(v.Group) && v.HasRSVP) {
				v.Link = LinkMembersOnly
			}
		}
		return nil
	}
	show := func(path string) {
		v.LinkPath = path
		if hasPhone {
			v.Phone, v.Code = at.Phone, at.AccessCode
		}
	}
	o := v.Occurrence
	switch {
	case o.Cancelled:
		v.Link = LinkCancelled
		return nil
	case v.Policy.PublishLink:
		v.Link = LinkPublished
		if hasLink {
			show(at.ConferenceURL)
		} else {
			show("")
		}
		return nil
	case v.CanEdit:
		// The group's runners manage the link: they see it as stored.
		v.Link = LinkOpen
		if hasLink {
			show(at.ConferenceURL)
		} else {
			show("")
		}
		return nil
	case !actor.SignedIn() || !(v.IsMember || (openRemote(v.Group) && v.HasRSVP)):
		v.Link = LinkMembersOnly
		return nil
	}
	access, err := a.db.LinkAccess(ctx, m.ID, actor.UserID)
	if err != nil {
		return err
	}
	opens := o.Start.Add(-time.Duration(v.Policy.LinkLeadMinutes) * time.Minute)
	switch {
	case access.Revoked:
		v.Link = LinkRevoked
	case !now.Before(o.End):
		v.Link = LinkOver
	case now.Before(opens):
		v.Link, v.LinkOpens = LinkNotYet, opens
	default:
		v.Link = LinkOpen
		if !hasLink {
			show("")
			return nil
		}
		keys, ok, err := a.meetingLinkKeys(ctx, v.Group.ID, m.ID)
		if err != nil {
			return err
		}
		if !ok {
			// The key is sealed right after a meeting is written, or by the
			// chore within a minute; until then the person sees the link
			// itself, as the group's runners do.
			show(at.ConferenceURL)
			return nil
		}
		show("/go/" + makeLinkToken(keys, m.ID, actor.UserID, access.Generation))
	}
	return nil
}

// roster lists the active members and anyone else holding a place, with
// their marks.
func (a *App) roster(ctx context.Context, g *hearth.Group, m *hearth.Meeting, o hearth.Occurrence) ([]RosterEntry, error) {
	members, err := a.db.ActiveMembers(ctx, g.ID)
	if err != nil {
		return nil, err
	}
	rsvps, err := a.db.RSVPs(ctx, []int64{m.ID}, o.Original, o.Original.Add(time.Second))
	if err != nil {
		return nil, err
	}
	marks, err := a.db.Attendance(ctx, g.ID, 0)
	if err != nil {
		return nil, err
	}
	markOf := map[int64]hearth.AttendanceMark{}
	for _, mk := range marks {
		if mk.MeetingID == m.ID && mk.Original.Equal(o.Original) {
			markOf[mk.UserID] = mk.Mark
		}
	}
	rsvpd := map[int64]bool{}
	for _, r := range rsvps {
		rsvpd[r.UserID] = true
	}
	var out []RosterEntry
	seen := map[int64]bool{}
	for _, mem := range members {
		seen[mem.UserID] = true
		out = append(out, RosterEntry{UserID: mem.UserID, Pseudonym: mem.Pseudonym, Member: true, RSVP: rsvpd[mem.UserID], Mark: markOf[mem.UserID]})
	}
	for _, r := range rsvps {
		if !seen[r.UserID] {
			seen[r.UserID] = true
			out = append(out, RosterEntry{UserID: r.UserID, RSVP: true, Mark: markOf[r.UserID]})
		}
	}
	return out, nil
}

// --- RSVP ---

// RSVP takes a place at an occurrence: for the group's active members, and
// in open online or phone groups for anyone signed in. A full meeting is a
// Conflict that changes nothing; two people taking the last place at once
// end with one place taken.
func (a *App) RSVP(ctx context.Context, actor hearth.Actor, slug string, meetingID int64, original time.Time) error {
	if !actor.SignedIn() {
		return hearth.Coded(hearth.Unauthorized, "sign_in", "Please sign in to say you are coming.")
	}
	g, m, err := a.visibleMeeting(ctx, actor, slug, meetingID)
	if err != nil {
		return err
	}
	o, err := a.findOccurrence(ctx, m, original)
	if err != nil {
		return err
	}
	switch {
	case o.Cancelled:
		return hearth.Coded(hearth.Conflict, "occurrence_cancelled", "This meeting is cancelled; there is nothing to come to.")
	case !a.now().Before(o.End):
		return hearth.Coded(hearth.Conflict, "occurrence_over", "This meeting is over.")
	}
	if barred, err := a.barred(ctx, g, actor.UserID); err != nil || barred {
		if err != nil {
			return err
		}
		return hearth.Coded(hearth.Forbidden, "members_only", "You cannot take a place at this group's meetings.")
	}
	if !openRemote(g) && !actor.CanEditGroup(g) {
		st, err := a.MemberStanding(ctx, g, actor.UserID)
		if err != nil {
			return err
		}
		if st.Active && !st.MaySeeMemberOnly() {
			return hearth.Coded(hearth.Forbidden, "accept_guidelines", "The group's guidelines changed: please read and accept them on the group's page first.")
		}
		if !st.Active {
			return hearth.Coded(hearth.Forbidden, "members_only", "Only the group's members can say they are coming. Join the group first.")
		}
	}
	err = a.db.InTx(ctx, func(tx *sqldb.Tx) error {
		if err := tx.LockMeeting(ctx, m.ID); err != nil {
			return err
		}
		has, err := tx.HasRSVP(ctx, m.ID, o.Original, actor.UserID)
		if err != nil {
			return err
		}
		if has {
			return hearth.Coded(hearth.Conflict, "already_rsvpd", "You already have a place at this meeting.")
		}
		if m.Capacity > 0 {
			n, err := tx.CountRSVPs(ctx, m.ID, o.Original)
			if err != nil {
				return err
			}
			if n >= m.Capacity {
				return hearth.Coded(hearth.Conflict, "meeting_full", fmt.Sprintf("This meeting is full: all %d places are taken. Nothing was changed.", m.Capacity))
			}
		}
		return tx.InsertRSVP(ctx, m.ID, o.Original, actor.UserID)
	})
	if err != nil {
		return err
	}
	a.log.Info("rsvp", "group_id", g.ID, "meeting_id", m.ID, "original", o.Original.Unix(), "user_id", actor.UserID)
	return nil
}

// CancelRSVP gives a place back.
func (a *App) CancelRSVP(ctx context.Context, actor hearth.Actor, slug string, meetingID int64, original time.Time) error {
	if !actor.SignedIn() {
		return hearth.Coded(hearth.Unauthorized, "sign_in", "Please sign in.")
	}
	g, m, err := a.visibleMeeting(ctx, actor, slug, meetingID)
	if err != nil {
		return err
	}
	if err := a.db.InTx(ctx, func(tx *sqldb.Tx) error { return tx.DeleteRSVP(ctx, m.ID, original, actor.UserID) }); err != nil {
		return err
	}
	a.log.Info("rsvp cancelled", "group_id", g.ID, "meeting_id", m.ID, "original", original.Unix(), "user_id", actor.UserID)
	return nil
}

// --- attendance ---

// TakeAttendance records marks for an occurrence that has begun (the
// group's runners). Marks name people on its roster; an empty mark clears
// one.
func (a *App) TakeAttendance(ctx context.Context, actor hearth.Actor, slug string, meetingID int64, original time.Time, marks map[int64]hearth.AttendanceMark) error {
	g, m, err := a.editableMeeting(ctx, actor, slug, meetingID)
	if err != nil {
		return err
	}
	o, err := a.findOccurrence(ctx, m, original)
	if err != nil {
		return err
	}
	var p hearth.Problems
	switch {
	case o.Cancelled:
		return hearth.Coded(hearth.Conflict, "occurrence_cancelled", "This meeting was cancelled; there is no attendance to take.")
	case a.now().Before(o.Start):
		return hearth.Coded(hearth.Conflict, "not_started", "Attendance can be taken once the meeting has begun.")
	}
	roster, err := a.roster(ctx, g, m, o)
	if err != nil {
		return err
	}
	on := map[int64]bool{}
	for _, r := range roster {
		on[r.UserID] = true
	}
	for uid, mark := range marks {
		if mark != "" && !slices.Contains(hearth.Marks, mark) {
			p.Add("marks", "unknown", "Mark each person present, absent or excused.", map[string]any{"Value": hearth.Clip(string(mark))})
			break
		}
		if !on[uid] {
			p.Add("marks", "not_on_roster", "Someone marked is not a member of the group.", nil)
			break
		}
	}
	if err := p.Err(); err != nil {
		return err
	}
	if err := a.db.InTx(ctx, func(tx *sqldb.Tx) error { return tx.SetAttendance(ctx, m.ID, o.Original, marks, actor.UserID) }); err != nil {
		return err
	}
	a.log.Info("attendance taken", "group_id", g.ID, "meeting_id", m.ID, "original", o.Original.Unix(), "marks", len(marks), "by", actor.UserID)
	return nil
}

// MemberAttendance is one member's record.
type MemberAttendance struct {
	UserID    int64
	Pseudonym string
	Present   int
	Absent    int
	Excused   int
	// Rate is present ÷ (present + absent), in [0, 1]; excused meetings do
	// not count. HasRate is false before any such mark.
	Rate    float64
	HasRate bool
	// AbsentStreak is how many of their latest marks in a row are absent.
	AbsentStreak int
}

// AttendanceEntry is one mark of one person.
type AttendanceEntry struct {
	MeetingID int64
	Original  time.Time
	Title     string
	Mark      hearth.AttendanceMark
}

// AttendanceReport is a group's attendance: for its runners every active
// member's rate and the people to reach out to; for a member their own.
type AttendanceReport struct {
	Group    *hearth.Group
	CanEdit  bool
	Members  []MemberAttendance // runners only
	ReachOut []MemberAttendance // absent from their last ReachOutAfter meetings
	Mine     []AttendanceEntry  // the viewer's own marks, newest first
}

// ReachOutAfter is how many missed meetings in a row put a member on the
// reach-out list.
const ReachOutAfter = 3

// Attendance returns the attendance report the actor may see: the group's
// runners see everyone; an active member sees their own marks.
func (a *App) Attendance(ctx context.Context, actor hearth.Actor, slug string) (*AttendanceReport, error) {
	if !actor.SignedIn() {
		return nil, hearth.Errorf(hearth.Unauthorized, "Please sign in.")
	}
	g, err := a.visibleGroup(ctx, actor, slug)
	if err != nil {
		return nil, err
	}
	rep := &AttendanceReport{Group: g, CanEdit: actor.CanEditGroup(g)}
	if !rep.CanEdit {
		mem, err := a.db.Membership(ctx, g.ID, actor.UserID)
		if err != nil && hearth.ErrorKind(err) != hearth.NotFound {
			return nil, err
		}
		if err != nil || (mem.Status != hearth.StatusActive && mem.Status != hearth.StatusAlumni) {
			return nil, hearth.Coded(hearth.Forbidden, "members_only", "Only the group's members and the people who run it can see attendance.")
		}
	}
	byGroup, err := a.db.MeetingsByGroup(ctx, []int64{g.ID})
	if err != nil {
		return nil, err
	}
	titles := map[int64]string{}
	for _, m := range byGroup[g.ID] {
		titles[m.ID] = m.Title
	}
	if actor.SignedIn() {
		mine, err := a.db.Attendance(ctx, g.ID, actor.UserID)
		if err != nil {
			return nil, err
		}
		for i := len(mine) - 1; i >= 0; i-- {
			mk := mine[i]
			rep.Mine = append(rep.Mine, AttendanceEntry{MeetingID: mk.MeetingID, Original: mk.Original, Title: titles[mk.MeetingID], Mark: mk.Mark})
		}
	}
	if !rep.CanEdit {
		return rep, nil
	}
	members, err := a.db.ActiveMembers(ctx, g.ID)
	if err != nil {
		return nil, err
	}
	all, err := a.db.Attendance(ctx, g.ID, 0)
	if err != nil {
		return nil, err
	}
	byUser := map[int64][]hearth.AttendanceMark{} // oldest first
	for _, mk := range all {
		byUser[mk.UserID] = append(byUser[mk.UserID], mk.Mark)
	}
	for _, mem := range members {
		ma := MemberAttendance{UserID: mem.UserID, Pseudonym: mem.Pseudonym}
		marks := byUser[mem.UserID]
		for _, mk := range marks {
			switch mk {
			case hearth.Present:
				ma.Present++
			case hearth.Absent:
				ma.Absent++
			case hearth.Excused:
				ma.Excused++
			}
		}
		for i := len(marks) - 1; i >= 0 && marks[i] == hearth.Absent; i-- {
			ma.AbsentStreak++
		}
		if n := ma.Present + ma.Absent; n > 0 {
			ma.Rate, ma.HasRate = float64(ma.Present)/float64(n), true
		}
		rep.Members = append(rep.Members, ma)
		if ma.AbsentStreak >= ReachOutAfter {
			rep.ReachOut = append(rep.ReachOut, ma)
		}
	}
	return rep, nil
}

// --- personal links ---

// SetLinkRevoked revokes (or restores) a person's personal link to a
// meeting's conference (the group's runners). A restored person gets a new
// token (their generation moves on); the old one stays dead.
func (a *App) SetLinkRevoked(ctx context.Context, actor hearth.Actor, slug string, meetingID, userID int64, revoked bool) error {
	g, m, err := a.editableMeeting(ctx, actor, slug, meetingID)
	if err != nil {
		return err
	}
	mem, err := a.db.Membership(ctx, g.ID, userID)
	if err != nil && hearth.ErrorKind(err) != hearth.NotFound {
		return err
	}
	if err != nil {
		// Someone who RSVP'd to an open group without joining.
		rs, rerr := a.db.RSVPsOf(ctx, userID, time.Time{})
		if rerr != nil {
			return rerr
		}
		found := false
		for _, r := range rs {
			found = found || r.MeetingID == m.ID
		}
		if !found {
			return hearth.Errorf(hearth.NotFound, "That person is not in this group.")
		}
	} else if mem.GroupID != g.ID {
		return hearth.Errorf(hearth.NotFound, "That person is not in this group.")
	}
	err = a.db.InTx(ctx, func(tx *sqldb.Tx) error {
		if revoked {
			return tx.RevokeLink(ctx, m.ID, userID, actor.UserID)
		}
		return tx.RestoreLink(ctx, m.ID, userID, actor.UserID)
	})
	if err != nil {
		return err
	}
	a.log.Info("personal link changed", "group_id", g.ID, "meeting_id", m.ID, "user_id", userID, "revoked", revoked, "by", actor.UserID)
	return nil
}

// LinkOutcome is where a personal link leads now.
type LinkOutcome struct {
	URL   string    // the conference link: redirect there
	State string    // LinkOpen, LinkNotYet, LinkRevoked or LinkOver
	Opens time.Time // the next time it opens (LinkNotYet)
	Group *hearth.Group
	Path  string // the occurrence page to send people to
}

// FollowLink resolves a personal link token: the real conference link while
// it is showing for its holder, otherwise why not. A revoked token, or a
// holder who is no longer in the group, gets LinkRevoked.
func (a *App) FollowLink(ctx context.Context, token string) (*LinkOutcome, error) {
	notFound := hearth.Errorf(hearth.NotFound, "The link was not found.")
	if len(token) < 40 || len(token) > 64 {
		return nil, notFound
	}
	meetingID, raw, ok := linkTokenMeeting(token)
	if !ok {
		return nil, notFound
	}
	m, err := a.db.Meeting(ctx, meetingID)
	if hearth.ErrorKind(err) == hearth.NotFound {
		return nil, notFound
	}
	if err != nil {
		return nil, err
	}
	keys, ok, err := a.meetingLinkKeys(ctx, m.GroupID, m.ID)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, notFound
	}
	userID, gen, ok := openLinkToken(keys, raw)
	if !ok {
		return nil, notFound
	}
	access, err := a.db.LinkAccess(ctx, m.ID, userID)
	if err != nil {
		return nil, err
	}
	if access.Generation != gen {
		return nil, notFound // replaced when the person's link was restored
	}
	g, err := a.db.Group(ctx, m.GroupID)
	if err != nil {
		return nil, err
	}
	out := &LinkOutcome{Group: g, State: LinkRevoked}
	if access.Revoked {
		return out, nil
	}
	pol, err := a.db.MeetingPolicy(ctx, g.ID)
	if err != nil {
		return nil, err
	}
	lead := time.Duration(pol.LinkLeadMinutes) * time.Minute
	now := a.now()
	excs, err := a.db.ExceptionsByMeeting(ctx, []int64{m.ID})
	if err != nil {
		return nil, err
	}
	st, err := a.MemberStanding(ctx, g, userID)
	if err != nil {
		return nil, err
	}
	member := st.MaySeeMemberOnly()
	var rsvpd map[int64]bool
	if !member {
		barred, err := a.barred(ctx, g, userID)
		if err != nil {
			return nil, err
		}
		if !openRemote(g) || barred {
			return out, nil
		}
		rs, err := a.db.RSVPs(ctx, []int64{m.ID}, now.Add(-2*hearth.MaxMeetingMinutes*time.Minute), now.Add(upcomingWindow))
		if err != nil {
			return nil, err
		}
		rsvpd = map[int64]bool{}
		for _, r := range rs {
			if r.UserID == userID {
				rsvpd[r.Original.Unix()] = true
			}
		}
		if len(rsvpd) == 0 {
			return out, nil
		}
	}
	allowed := func(o hearth.Occurrence) bool { return member || rsvpd[o.Original.Unix()] }
	for _, o := range expand(m, excs[m.ID], now, now.Add(lead+time.Minute)) {
		if o.Cancelled || !allowed(o) {
			continue
		}
		if !now.Before(o.Start.Add(-lead)) && now.Before(o.End) {
			out.State, out.URL, out.Path = LinkOpen, m.Attend.ConferenceURL, OccurrencePath(g.Slug, m.ID, o.Original)
			if out.URL == "" {
				out.State = LinkOver
			}
			return out, nil
		}
	}
	out.State = LinkOver
	for _, o := range expand(m, excs[m.ID], now, now.Add(upcomingWindow)) {
		if !o.Cancelled && allowed(o) && now.Before(o.Start) {
			out.State, out.Opens, out.Path = LinkNotYet, o.Start.Add(-lead), OccurrencePath(g.Slug, m.ID, o.Original)
			break
		}
	}
	return out, nil
}

// groupSaved runs after a group's details were edited (old is its simple
// schedule before). A group without meetings gets its default one. When
// the edit changed the simple schedule and the first recurring meeting is a
// plain weekly one, that meeting moves to the new day, time and length;
// otherwise meetings stay as they are and the simple schedule is set back
// to the first recurring meeting's.
func (a *App) groupSaved(ctx context.Context, g *hearth.Group, old hearth.Schedule) error {
	return a.changeMeetings(ctx, g, func(tx *sqldb.Tx) error {
		if err := a.followZone(ctx, tx, g.ID); err != nil {
			return err
		}
		if err := a.ensureMeeting(ctx, tx, g); err != nil {
			return err
		}
		if g.Schedule != old {
			return a.followSchedule(ctx, tx, g)
		}
		return nil
	})
}

// followZone moves, inside tx, the places and attendance marks of the
// meetings (of groupID, or of every group when 0) whose group changed its
// time zone to the same wall clock in the new zone, as the meetings' starts
// and exceptions already are. A zone that does not load is logged and the
// meeting left as it is.
func (a *App) followZone(ctx context.Context, tx *sqldb.Tx, groupID int64) error {
	moves, err := tx.MeetingsOutOfZone(ctx, groupID)
	if err != nil {
		return err
	}
	for _, mv := range moves {
		from, ferr := time.LoadLocation(mv.From)
		to, terr := time.LoadLocation(mv.To)
		if ferr != nil || terr != nil || mv.From == "" || mv.To == "" {
			a.log.Error("meeting zone not followed: a zone is unknown", "group_id", mv.GroupID, "meeting_id", mv.MeetingID)
			continue
		}
		if err := tx.MoveMeetingZone(ctx, mv.MeetingID, from, to); err != nil {
			return err
		}
		a.log.Info("meeting followed its group's zone", "group_id", mv.GroupID, "meeting_id", mv.MeetingID)
	}
	return nil
}

// followSchedule moves the group's first recurring meeting to its simple
// schedule when that meeting is plain weekly (every week on one day, no
// end): the group form's day and time then keep meaning what they say.
func (a *App) followSchedule(ctx context.Context, tx *sqldb.Tx, g *hearth.Group) error {
	ms, err := tx.MeetingsOfGroup(ctx, g.ID)
	if err != nil {
		return err
	}
	var first *hearth.Meeting
	for _, m := range ms {
		if m.RRule != "" && (first == nil || m.Start.Before(first.Start)) {
			first = m
		}
	}
	if first == nil {
		return nil
	}
	r := ruleOf(first)
	if r == nil || r.Freq != schedule.FreqWeekly || r.Interval != 1 || len(r.ByDay) != 1 || r.Ends() {
		return nil
	}
	def, err := DefaultMeeting(g, a.now())
	if err != nil {
		return err
	}
	first.Start, first.Duration, first.RRule = def.Start, def.Duration, def.RRule
	if err := tx.UpdateMeeting(ctx, first); err != nil {
		return err
	}
	n, err := a.pruneExceptions(ctx, tx, first)
	if err != nil {
		return err
	}
	places, err := a.dropPlaces(ctx, tx, g, first)
	if n > 0 || places > 0 {
		a.log.Info("changes and places dropped with the group's schedule", "group_id", g.ID, "meeting_id", first.ID, "exceptions", n, "places", places)
	}
	return err
}

// --- the page's form ---

// MeetingForm is a meeting as the facilitators' page asks for it, in plain
// fields rather than an RRULE: how often, which day, the first date and
// time, how long, how it ends, and how to attend. Every value is the text
// the form sent.
type MeetingForm struct {
	Title         string
	Frequency     string // once, weekly, biweekly, monthly_weekday, monthly_date
	Day           string // mon … sun (weekly, biweekly, monthly_weekday)
	Nth           string // 1 … 4, or -1 for the last (monthly_weekday)
	MonthDay      string // 1 … 31, or -1 for the last day (monthly_date)
	StartDate     string // YYYY-MM-DD: the first meeting, or the date to start from
	StartTime     string // HH:MM in the group's zone
	Duration      string // minutes
	Ends          string // ongoing, count, until (recurring only)
	Count         string
	Until         string // YYYY-MM-DD
	Mode          string
	VenueNotes    string
	ConferenceURL string
	Phone         string
	AccessCode    string
	Capacity      string
}

// MeetingFrequencies are the schedules the form offers.
var MeetingFrequencies = []string{"once", "weekly", "biweekly", "monthly_weekday", "monthly_date"}

// MeetingEnds are the ways a recurring schedule may end.
var MeetingEnds = []string{"ongoing", "count", "until"}

// MeetingNths are the weeks of the month a monthly meeting may fall in.
var MeetingNths = []string{"1", "2", "3", "4", "-1"}

func dayFromCode(code string) (time.Weekday, bool) {
	for d := time.Sunday; d <= time.Saturday; d++ {
		if hearth.DayCode(d) == code {
			return d, true
		}
	}
	return 0, false
}

// Input turns the form into a MeetingInput for a group in zone loc. A
// recurring meeting's first meeting is the first date on the schedule at or
// after the date given ("second Tuesday, from 1 March" is 10 March).
// Problems name the form's fields.
func (f MeetingForm) Input(loc *time.Location) (MeetingInput, error) {
	var p hearth.Problems
	in := MeetingInput{Title: f.Title, Attend: hearth.Attend{Mode: hearth.Format(strings.TrimSpace(f.Mode)), VenueNotes: f.VenueNotes,
		ConferenceURL: f.ConferenceURL, Phone: f.Phone, AccessCode: f.AccessCode}}
	atoi := func(field, s string, lo, hi int, code, msg string) int {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < lo || n > hi {
			p.Add(field, code, msg, map[string]any{"Min": lo, "Max": hi})
			return 0
		}
		return n
	}
	in.Duration = atoi("duration_minutes", f.Duration, 1, hearth.MaxMeetingMinutes, "range", "Give the length in minutes, from 1 to 1440 (24 hours).")
	if strings.TrimSpace(f.Capacity) == "" {
		in.Capacity = 0
	} else {
		in.Capacity = atoi("capacity", f.Capacity, 0, hearth.MaxCapacity, "range", fmt.Sprintf("Give the number of places, from 0 (no limit) to %d.", hearth.MaxCapacity))
	}
	date, derr := time.ParseInLocation("2006-01-02", strings.TrimSpace(f.StartDate), loc)
	if derr != nil {
		p.Add("start_date", "format", "Give the date as YYYY-MM-DD, like 2026-03-03.", nil)
	}
	clock, cerr := time.Parse("15:04", strings.TrimSpace(f.StartTime))
	if cerr != nil {
		p.Add("start_time", "format", "Give the time as HH:MM on a 24-hour clock, like 18:30.", nil)
	}
	var rule *schedule.Rule
	freq := strings.TrimSpace(f.Frequency)
	if !slices.Contains(MeetingFrequencies, freq) {
		p.Add("frequency", "unknown", "Choose how often the group meets.", map[string]any{"Value": hearth.Clip(freq)})
	}
	day, dayOK := dayFromCode(strings.TrimSpace(f.Day))
	needDay := freq == "weekly" || freq == "biweekly" || freq == "monthly_weekday"
	if needDay && !dayOK {
		p.Add("day", "unknown", "Choose the day of the week.", nil)
	}
	switch freq {
	case "weekly", "biweekly":
		interval := 1
		if freq == "biweekly" {
			interval = 2
		}
		r := schedule.Weekly(day, interval)
		rule = &r
	case "monthly_weekday":
		nth := strings.TrimSpace(f.Nth)
		if !slices.Contains(MeetingNths, nth) {
			p.Add("nth", "unknown", "Choose which week of the month: first, second, third, fourth or last.", nil)
		}
		n, _ := strconv.Atoi(nth)
		r := schedule.MonthlyByWeekday(n, day)
		rule = &r
	case "monthly_date":
		d, err := strconv.Atoi(strings.TrimSpace(f.MonthDay))
		if err != nil || d == 0 || d < -1 || d > 31 {
			p.Add("month_day", "range", "Choose a day of the month from 1 to 31, or the last day.", map[string]any{"Min": 1, "Max": 31})
		}
		r := schedule.MonthlyByDate(d)
		rule = &r
	}
	if rule != nil {
		switch strings.TrimSpace(f.Ends) {
		case "ongoing":
			in.Ongoing = true
		case "count":
			rule.Count = atoi("count", f.Count, 1, schedule.MaxCount, "range", fmt.Sprintf("Give the number of meetings, from 1 to %d.", schedule.MaxCount))
		case "until":
			u, err := time.Parse("2006-01-02", strings.TrimSpace(f.Until))
			if err != nil {
				p.Add("until", "format", "Give the last date as YYYY-MM-DD.", nil)
			} else {
				rule.Until, rule.UntilDate = u, true
			}
		default:
			p.Add("ends", "unknown", "Say whether the meetings go on, stop after a number of meetings, or stop on a date.", nil)
		}
	}
	if err := p.Err(); err != nil {
		return in, err
	}
	start := time.Date(date.Year(), date.Month(), date.Day(), clock.Hour(), clock.Minute(), 0, 0, loc)
	if rule != nil {
		// The first matching day from the date given: aligned as if every
		// week (or month), so "every other Tuesday from Sunday the 14th"
		// starts on the 16th, not in the following fortnight.
		probe := *rule
		probe.Interval, probe.Count, probe.Until, probe.UntilDate = 1, 0, time.Time{}, false
		if first, ok := schedule.Align(start, probe); ok {
			start = first
		}
		in.RRule = rule.String()
	}
	in.Start = start.Format("2006-01-02T15:04")
	return in, nil
}

// FormOf fills the form from a stored meeting (for its edit form).
func FormOf(m *hearth.Meeting) MeetingForm {
	f := MeetingForm{Title: m.Title, StartDate: m.Start.Format("2006-01-02"), StartTime: m.Start.Format("15:04"),
		Duration: strconv.Itoa(m.Duration), Mode: string(m.Attend.Mode), VenueNotes: m.Attend.VenueNotes,
		ConferenceURL: m.Attend.ConferenceURL, Phone: m.Attend.Phone, AccessCode: m.Attend.AccessCode, Ends: "ongoing",
		Day: hearth.DayCode(m.Start.Weekday()), Nth: "1", MonthDay: strconv.Itoa(m.Start.Day())}
	if m.Capacity > 0 {
		f.Capacity = strconv.Itoa(m.Capacity)
	}
	r := ruleOf(m)
	d := schedule.DescribeAt(m.Start, r)
	switch d.Kind {
	case schedule.KindOnce:
		f.Frequency = "once"
	case schedule.KindWeekly:
		f.Frequency = "weekly"
	case schedule.KindBiweekly:
		f.Frequency = "biweekly"
	case schedule.KindMonthlyNth, schedule.KindMonthlyLast:
		f.Frequency = "monthly_weekday"
		f.Day, f.Nth = hearth.DayCode(d.Ordinals[0].Day), strconv.Itoa(d.Ordinals[0].N)
	case schedule.KindMonthlyDate:
		f.Frequency = "monthly_date"
		if len(d.MonthDays) > 0 {
			f.MonthDay = strconv.Itoa(d.MonthDays[0])
		}
	default:
		f.Frequency = "" // a rule the form cannot show: edit it through the API
	}
	if len(d.Days) > 0 {
		f.Day = hearth.DayCode(d.Days[0])
	}
	switch d.Ends {
	case schedule.EndsCount:
		if r != nil {
			f.Ends, f.Count = "count", strconv.Itoa(d.Count)
		}
	case schedule.EndsUntil:
		f.Ends, f.Until = "until", d.Until.Format("2006-01-02")
	}
	return f
}
