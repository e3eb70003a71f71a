package web

// The meetings API: schedules, occurrences, exceptions, RSVP, attendance,
// link policy, personal links and the private calendar address. Shapes are
// declared here once and described in openapi.json.

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/app"
	"github.com/hearth-org/hearth/internal/schedule"
)

// attendJSON is how to attend. Link, number and code appear only to those
// who may see them.
type attendJSON struct {
	Mode          hearth.Format `json:"mode"`
	VenueNotes    string        `json:"venue_notes"`
	ConferenceURL string        `json:"conference_url,omitempty"`
	Phone         string        `json:"phone,omitempty"`
	AccessCode    string        `json:"access_code,omitempty"`
}

func newAttendJSON(a hearth.Attend) attendJSON {
	return attendJSON{Mode: a.Mode, VenueNotes: a.VenueNotes, ConferenceURL: a.ConferenceURL, Phone: a.Phone, AccessCode: a.AccessCode}
}

// occurrenceJSON is one occurrence.
type occurrenceJSON struct {
	MeetingID     int64      `json:"meeting_id"`
	OriginalStart string     `json:"original_start"` // identifies it (RFC 3339, UTC)
	Start         string     `json:"start"`
	End           string     `json:"end"`
	LocalStart    string     `json:"local_start"` // in the group's zone, "2006-01-02T15:04"
	TimeZone      string     `json:"time_zone"`
	Cancelled     bool       `json:"cancelled"`
	Moved         bool       `json:"moved"`
	Note          string     `json:"note"`
	Title         string     `json:"title"`
	Attend        attendJSON `json:"attend"`
	Path          string     `json:"path"` // its page on Hearth
	Taken         *int       `json:"taken,omitempty"`
	Capacity      *int       `json:"capacity,omitempty"`
	Mine          *bool      `json:"mine,omitempty"`
}

func newOccurrenceJSON(slug, zone string, o hearth.Occurrence) occurrenceJSON {
	loc, err := time.LoadLocation(zone)
	if err != nil {
		loc = time.UTC
	}
	return occurrenceJSON{MeetingID: o.MeetingID, OriginalStart: rfc3339(o.Original), Start: rfc3339(o.Start), End: rfc3339(o.End),
		LocalStart: o.Start.In(loc).Format("2006-01-02T15:04"), TimeZone: zone, Cancelled: o.Cancelled, Moved: o.Moved, Note: o.Note,
		Title: o.Title, Attend: newAttendJSON(o.Attend), Path: app.OccurrencePath(slug, o.MeetingID, o.Original)}
}

// exceptionJSON is one change to one occurrence.
type exceptionJSON struct {
	OriginalStart string `json:"original_start"`
	Cancelled     bool   `json:"cancelled"`
	Start         string `json:"start,omitempty"`
	Duration      int    `json:"duration_minutes,omitempty"`
	Note          string `json:"note"`
}

func newExceptionJSON(e hearth.MeetingException) exceptionJSON {
	return exceptionJSON{OriginalStart: rfc3339(e.Original), Cancelled: e.Cancelled, Start: rfc3339(e.Start), Duration: e.Duration, Note: e.Note}
}

// meetingJSON is one schedule.
type meetingJSON struct {
	ID         int64                `json:"id"`
	Title      string               `json:"title"`
	Start      string               `json:"start"` // first meeting, wall clock in the group's zone
	TimeZone   string               `json:"time_zone"`
	Duration   int                  `json:"duration_minutes"`
	RRule      string               `json:"rrule"` // "" for a one-off
	Ongoing    bool                 `json:"ongoing"`
	Schedule   schedule.Description `json:"schedule"`
	Attend     attendJSON           `json:"attend"`
	Capacity   int                  `json:"capacity"`
	Exceptions []exceptionJSON      `json:"exceptions"`
	Upcoming   []occurrenceJSON     `json:"upcoming"`
	UpdatedAt  string               `json:"updated_at"`
	// DroppedExceptions and DroppedPlaces are set in the answer to a change
	// only.
	DroppedExceptions *int `json:"dropped_exceptions,omitempty"`
	DroppedPlaces     *int `json:"dropped_places,omitempty"`
}

func newMeetingJSON(slug string, mv app.MeetingView) meetingJSON {
	m := mv.Meeting
	zone := m.Start.Location().String()
	out := meetingJSON{ID: m.ID, Title: m.Title, Start: m.Start.Format("2006-01-02T15:04"), TimeZone: zone, Duration: m.Duration,
		RRule: m.RRule, Ongoing: mv.Ongoing, Schedule: schedule.DescribeAt(m.Start, mv.Rule), Attend: newAttendJSON(m.Attend),
		Capacity: m.Capacity, Exceptions: []exceptionJSON{}, Upcoming: []occurrenceJSON{}, UpdatedAt: rfc3339(m.UpdatedAt)}
	for _, e := range mv.Exceptions {
		out.Exceptions = append(out.Exceptions, newExceptionJSON(e))
	}
	for _, o := range mv.Upcoming {
		out.Upcoming = append(out.Upcoming, newOccurrenceJSON(slug, zone, o))
	}
	return out
}

// meetingInput is the body that adds or changes a meeting.
type meetingInput struct {
	Title    string     `json:"title"`
	Start    string     `json:"start"`
	TimeZone string     `json:"time_zone"`
	Duration int        `json:"duration_minutes"`
	RRule    string     `json:"rrule"`
	Ongoing  bool       `json:"ongoing"`
	Attend   attendJSON `json:"attend"`
	Capacity int        `json:"capacity"`
}

func (in meetingInput) toInput() app.MeetingInput {
	return app.MeetingInput{Title: in.Title, Start: in.Start, TimeZone: in.TimeZone, Duration: in.Duration, RRule: in.RRule, Ongoing: in.Ongoing,
		Attend: hearth.Attend{Mode: in.Attend.Mode, VenueNotes: in.Attend.VenueNotes, ConferenceURL: in.Attend.ConferenceURL,
			Phone: in.Attend.Phone, AccessCode: in.Attend.AccessCode}, Capacity: in.Capacity}
}

func (s *Server) apiMeetings(w http.ResponseWriter, r *http.Request) error {
	slug, err := slugParam(r, "slug", "group")
	if err != nil {
		return err
	}
	v, err := s.app.Meetings(r.Context(), visitorOf(r).Actor, slug)
	if err != nil {
		return err
	}
	out := struct {
		Meetings []meetingJSON `json:"meetings"`
		Policy   policyJSON    `json:"policy"`
	}{Meetings: []meetingJSON{}, Policy: policyJSON(v.Policy)}
	for _, mv := range v.Meetings {
		out.Meetings = append(out.Meetings, newMeetingJSON(slug, mv))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// writeMeeting answers with one meeting as its editor now sees it (fill,
// when given, adds to the answer).
func (s *Server) writeMeeting(w http.ResponseWriter, r *http.Request, status int, slug string, id int64, fill func(*meetingJSON)) error {
	v, err := s.app.Meetings(r.Context(), visitorOf(r).Actor, slug)
	if err != nil {
		return err
	}
	for _, mv := range v.Meetings {
		if mv.Meeting.ID == id {
			if status == http.StatusCreated {
				w.Header().Set("Location", "/api/v1/groups/"+slug+"/meetings/"+strconv.FormatInt(id, 10))
			}
			out := newMeetingJSON(slug, mv)
			if fill != nil {
				fill(&out)
			}
			writeJSON(w, status, out)
			return nil
		}
	}
	return hearth.Errorf(hearth.NotFound, "The meeting was not found.")
}

func (s *Server) apiCreateMeeting(w http.ResponseWriter, r *http.Request) error {
	slug, err := slugParam(r, "slug", "group")
	if err != nil {
		return err
	}
	var in meetingInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	m, err := s.app.CreateMeeting(r.Context(), visitorOf(r).Actor, slug, in.toInput())
	if err != nil {
		return err
	}
	return s.writeMeeting(w, r, http.StatusCreated, slug, m.ID, nil)
}

func (s *Server) apiUpdateMeeting(w http.ResponseWriter, r *http.Request) error {
	ref, err := meetingRefParam(r)
	if err != nil {
		return err
	}
	var in meetingInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	up, err := s.app.UpdateMeeting(r.Context(), visitorOf(r).Actor, ref.Slug, ref.Meeting, in.toInput())
	if err != nil {
		return err
	}
	return s.writeMeeting(w, r, http.StatusOK, ref.Slug, ref.Meeting, func(m *meetingJSON) {
		m.DroppedExceptions, m.DroppedPlaces = &up.DroppedExceptions, &up.DroppedPlaces
	})
}

func (s *Server) apiDeleteMeeting(w http.ResponseWriter, r *http.Request) error {
	ref, err := meetingRefParam(r)
	if err != nil {
		return err
	}
	if err := s.app.DeleteMeeting(r.Context(), visitorOf(r).Actor, ref.Slug, ref.Meeting); err != nil {
		return err
	}
	writeNoContent(w)
	return nil
}

// apiOccurrences lists occurrences in a window: from and to are RFC 3339
// times or dates (YYYY-MM-DD, in the group's zone's midnight read as UTC);
// by default the next 31 days.
func (s *Server) apiOccurrences(w http.ResponseWriter, r *http.Request) error {
	slug, err := slugParam(r, "slug", "group")
	if err != nil {
		return err
	}
	q := r.URL.Query()
	now := s.now()
	from, to := now, now.Add(31*24*time.Hour)
	var p hearth.Problems
	for _, f := range []struct {
		name string
		dst  *time.Time
	}{{"from", &from}, {"to", &to}} {
		raw := strings.TrimSpace(q.Get(f.name))
		if raw == "" {
			continue
		}
		if t, err := time.Parse(time.RFC3339, raw); err == nil {
			*f.dst = t
		} else if t, err := time.Parse("2006-01-02", raw); err == nil {
			*f.dst = t
		} else {
			p.Add(f.name, "format", "Give a time like 2026-03-03T18:30:00Z, or a date like 2026-03-03.", map[string]any{"Value": hearth.Clip(raw)})
		}
	}
	if err := p.Err(); err != nil {
		return err
	}
	actor := visitorOf(r).Actor
	items, err := s.app.Occurrences(r.Context(), actor, slug, from, to)
	if err != nil {
		return err
	}
	v, err := s.app.Group(r.Context(), actor, slug)
	if err != nil {
		return err
	}
	zone := v.Group.Location.TimeZone
	out := struct {
		From        string           `json:"from"`
		To          string           `json:"to"`
		TimeZone    string           `json:"time_zone"`
		Occurrences []occurrenceJSON `json:"occurrences"`
	}{From: rfc3339(from), To: rfc3339(to), TimeZone: zone, Occurrences: []occurrenceJSON{}}
	for _, it := range items {
		o := newOccurrenceJSON(slug, zone, it.Occurrence)
		taken, capacity := it.Taken, it.Capacity
		o.Taken, o.Capacity = &taken, &capacity
		if actor.SignedIn() {
			mine := it.Mine
			o.Mine = &mine
		}
		out.Occurrences = append(out.Occurrences, o)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// occurrenceDetailJSON is one occurrence as the viewer may see it.
type occurrenceDetailJSON struct {
	occurrenceJSON
	Taken    int           `json:"taken"`
	Capacity int           `json:"capacity"`
	Full     bool          `json:"full"`
	RSVP     bool          `json:"rsvp"`
	CanRSVP  bool          `json:"can_rsvp"`
	Link     linkJSON      `json:"link"`
	MyMark   string        `json:"my_mark"`
	Roster   []rosterEntry `json:"roster,omitempty"` // the group's runners only
}

// linkJSON is what the viewer sees of the link.
type linkJSON struct {
	State    string `json:"state"`
	URL      string `json:"url,omitempty"` // the personal link (or the published one)
	OpensAt  string `json:"opens_at,omitempty"`
	Phone    string `json:"phone,omitempty"`
	Access   string `json:"access_code,omitempty"`
	Required string `json:"required,omitempty"` // "accept_guidelines" when that is what stands in the way
}

type rosterEntry struct {
	PersonID  int64  `json:"person_id"`
	Pseudonym string `json:"pseudonym"`
	Member    bool   `json:"member"`
	RSVP      bool   `json:"rsvp"`
	Mark      string `json:"mark"`
}

func (s *Server) apiOccurrence(w http.ResponseWriter, r *http.Request) error {
	ref, err := occurrenceParam(r)
	if err != nil {
		return err
	}
	v, err := s.app.Occurrence(r.Context(), visitorOf(r).Actor, ref.Slug, ref.Meeting, ref.At)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.newOccurrenceDetail(r, ref.Slug, v))
	return nil
}

func (s *Server) newOccurrenceDetail(r *http.Request, slug string, v *app.OccurrenceView) occurrenceDetailJSON {
	out := occurrenceDetailJSON{occurrenceJSON: newOccurrenceJSON(slug, v.Group.Location.TimeZone, v.Occurrence), Taken: v.Taken,
		Capacity: v.Capacity, Full: v.Full, RSVP: v.HasRSVP, CanRSVP: v.CanRSVP, MyMark: string(v.MyMark)}
	out.Link = linkJSON{State: v.Link, Phone: v.Phone, Access: v.Code}
	if v.Link == "" {
		out.Link.State = "none"
	}
	if v.MustAcceptGuidelines {
		out.Link.Required = "accept_guidelines"
	}
	if v.LinkPath != "" {
		out.Link.URL = v.LinkPath
		if strings.HasPrefix(v.LinkPath, "/") {
			out.Link.URL = s.baseURL(r) + v.LinkPath
		}
	}
	if !v.LinkOpens.IsZero() {
		out.Link.OpensAt = rfc3339(v.LinkOpens)
	}
	for _, re := range v.Roster {
		out.Roster = append(out.Roster, rosterEntry{PersonID: re.UserID, Pseudonym: re.Pseudonym, Member: re.Member, RSVP: re.RSVP, Mark: string(re.Mark)})
	}
	return out
}

// exceptionInput is the body that cancels or moves one occurrence.
type exceptionInput struct {
	OriginalStart string `json:"original_start"`
	Action        string `json:"action"` // cancel or move
	Start         string `json:"start"`
	Duration      int    `json:"duration_minutes"`
	Note          string `json:"note"`
}

func (s *Server) apiChangeOccurrence(w http.ResponseWriter, r *http.Request) error {
	ref, err := meetingRefParam(r)
	if err != nil {
		return err
	}
	var in exceptionInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	var p hearth.Problems
	orig, perr := time.Parse(time.RFC3339, strings.TrimSpace(in.OriginalStart))
	if perr != nil {
		p.Add("original_start", "format", "Give the occurrence's original start as an RFC 3339 time, as the occurrences list gives it.", nil)
	}
	if in.Action != "cancel" && in.Action != "move" {
		p.Add("action", "unknown", "Say whether to cancel or move the occurrence.", map[string]any{"Value": hearth.Clip(in.Action)})
	}
	if err := p.Err(); err != nil {
		return err
	}
	e, err := s.app.ChangeOccurrence(r.Context(), visitorOf(r).Actor, ref.Slug, ref.Meeting,
		app.ExceptionInput{Original: orig, Cancel: in.Action == "cancel", Start: in.Start, Duration: in.Duration, Note: in.Note})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, newExceptionJSON(*e))
	return nil
}

func (s *Server) apiRestoreOccurrence(w http.ResponseWriter, r *http.Request) error {
	ref, err := occurrenceParam(r)
	if err != nil {
		return err
	}
	if err := s.app.RestoreOccurrence(r.Context(), visitorOf(r).Actor, ref.Slug, ref.Meeting, ref.At); err != nil {
		return err
	}
	writeNoContent(w)
	return nil
}

func (s *Server) apiRSVP(w http.ResponseWriter, r *http.Request) error {
	return s.rsvpAPI(w, r, true)
}

func (s *Server) apiCancelRSVP(w http.ResponseWriter, r *http.Request) error {
	return s.rsvpAPI(w, r, false)
}

func (s *Server) rsvpAPI(w http.ResponseWriter, r *http.Request, take bool) error {
	ref, err := occurrenceParam(r)
	if err != nil {
		return err
	}
	if err := s.setRSVP(r, ref, take); err != nil {
		return err
	}
	v, err := s.app.Occurrence(r.Context(), visitorOf(r).Actor, ref.Slug, ref.Meeting, ref.At)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if take {
		status = http.StatusCreated
	}
	writeJSON(w, status, s.newOccurrenceDetail(r, ref.Slug, v))
	return nil
}

// attendanceInput records marks: person ref.Meeting → present, absent, excused or
// "" (clear).
type attendanceInput struct {
	Marks map[string]string `json:"marks"`
}

func (s *Server) apiAttendanceOf(w http.ResponseWriter, r *http.Request) error {
	ref, err := occurrenceParam(r)
	if err != nil {
		return err
	}
	actor := visitorOf(r).Actor
	v, err := s.app.Occurrence(r.Context(), actor, ref.Slug, ref.Meeting, ref.At)
	if err != nil {
		return err
	}
	if !v.CanEdit {
		return hearth.Coded(hearth.Forbidden, "forbidden", "Only the group's facilitators and its organization's administrators can see who came.")
	}
	out := struct {
		Roster []rosterEntry `json:"roster"`
	}{Roster: []rosterEntry{}}
	for _, re := range v.Roster {
		out.Roster = append(out.Roster, rosterEntry{PersonID: re.UserID, Pseudonym: re.Pseudonym, Member: re.Member, RSVP: re.RSVP, Mark: string(re.Mark)})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) apiTakeAttendance(w http.ResponseWriter, r *http.Request) error {
	ref, err := occurrenceParam(r)
	if err != nil {
		return err
	}
	var in attendanceInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	marks := map[int64]hearth.AttendanceMark{}
	for k, v := range in.Marks {
		uid, err := strconv.ParseInt(k, 10, 64)
		if err != nil || uid <= 0 {
			var p hearth.Problems
			p.Add("marks", "person", "Name each person by their person_id from the roster.", map[string]any{"Value": hearth.Clip(k)})
			return p.Err()
		}
		marks[uid] = hearth.AttendanceMark(v)
	}
	if err := s.app.TakeAttendance(r.Context(), visitorOf(r).Actor, ref.Slug, ref.Meeting, ref.At, marks); err != nil {
		return err
	}
	return s.apiAttendanceOf(w, r)
}

// memberAttendanceJSON is one member's record.
type memberAttendanceJSON struct {
	PersonID     int64    `json:"person_id"`
	Pseudonym    string   `json:"pseudonym"`
	Present      int      `json:"present"`
	Absent       int      `json:"absent"`
	Excused      int      `json:"excused"`
	Rate         *float64 `json:"rate"` // null before any present or absent mark
	AbsentStreak int      `json:"absent_streak"`
}

type attendanceEntryJSON struct {
	MeetingID     int64  `json:"meeting_id"`
	OriginalStart string `json:"original_start"`
	Title         string `json:"title"`
	Mark          string `json:"mark"`
}

func newMemberAttendanceJSON(ma app.MemberAttendance) memberAttendanceJSON {
	out := memberAttendanceJSON{PersonID: ma.UserID, Pseudonym: ma.Pseudonym, Present: ma.Present, Absent: ma.Absent, Excused: ma.Excused,
		AbsentStreak: ma.AbsentStreak}
	if ma.HasRate {
		rate := ma.Rate
		out.Rate = &rate
	}
	return out
}

func (s *Server) apiAttendanceReport(w http.ResponseWriter, r *http.Request) error {
	slug, err := slugParam(r, "slug", "group")
	if err != nil {
		return err
	}
	rep, err := s.app.Attendance(r.Context(), visitorOf(r).Actor, slug)
	if err != nil {
		return err
	}
	out := struct {
		Members  []memberAttendanceJSON `json:"members"`
		ReachOut []memberAttendanceJSON `json:"reach_out"`
		Mine     []attendanceEntryJSON  `json:"mine"`
	}{Members: []memberAttendanceJSON{}, ReachOut: []memberAttendanceJSON{}, Mine: []attendanceEntryJSON{}}
	for _, ma := range rep.Members {
		out.Members = append(out.Members, newMemberAttendanceJSON(ma))
	}
	for _, ma := range rep.ReachOut {
		out.ReachOut = append(out.ReachOut, newMemberAttendanceJSON(ma))
	}
	for _, e := range rep.Mine {
		out.Mine = append(out.Mine, attendanceEntryJSON{MeetingID: e.MeetingID, OriginalStart: rfc3339(e.Original), Title: e.Title, Mark: string(e.Mark)})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// policyJSON is how a group protects its meeting links.
type policyJSON struct {
	PublishLink     bool `json:"publish_link"`
	LinkLeadMinutes int  `json:"link_lead_minutes"`
}

func (s *Server) apiMeetingPolicy(w http.ResponseWriter, r *http.Request) error {
	slug, err := slugParam(r, "slug", "group")
	if err != nil {
		return err
	}
	p, err := s.app.MeetingPolicy(r.Context(), visitorOf(r).Actor, slug)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, policyJSON(p))
	return nil
}

func (s *Server) apiSetMeetingPolicy(w http.ResponseWriter, r *http.Request) error {
	slug, err := slugParam(r, "slug", "group")
	if err != nil {
		return err
	}
	var in policyJSON
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if err := s.app.SetMeetingPolicy(r.Context(), visitorOf(r).Actor, slug, hearth.MeetingPolicy(in)); err != nil {
		return err
	}
	return s.apiMeetingPolicy(w, r)
}

func (s *Server) apiRevokeLink(w http.ResponseWriter, r *http.Request) error {
	return s.linkAPI(w, r, true)
}

func (s *Server) apiRestoreLink(w http.ResponseWriter, r *http.Request) error {
	return s.linkAPI(w, r, false)
}

func (s *Server) linkAPI(w http.ResponseWriter, r *http.Request, revoke bool) error {
	ref, err := meetingRefParam(r)
	if err != nil {
		return err
	}
	person, err := personParam(r)
	if err != nil {
		return err
	}
	if err := s.app.SetLinkRevoked(r.Context(), visitorOf(r).Actor, ref.Slug, ref.Meeting, person, revoke); err != nil {
		return err
	}
	writeNoContent(w)
	return nil
}

// calendarAddressJSON is the private calendar address: its URL only right
// after it is made (only its hash is kept).
type calendarAddressJSON struct {
	Active    bool   `json:"active"`
	CreatedAt string `json:"created_at,omitempty"`
	URL       string `json:"url,omitempty"`
}

func (s *Server) apiCalendarAddress(w http.ResponseWriter, r *http.Request) error {
	created, err := s.app.CalendarAddress(r.Context(), visitorOf(r).Actor)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, calendarAddressJSON{Active: !created.IsZero(), CreatedAt: rfc3339(created)})
	return nil
}

func (s *Server) apiNewCalendarAddress(w http.ResponseWriter, r *http.Request) error {
	actor := visitorOf(r).Actor
	secret, err := s.app.NewCalendarAddress(r.Context(), actor)
	if err != nil {
		return err
	}
	created, err := s.app.CalendarAddress(r.Context(), actor)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, calendarAddressJSON{Active: true, CreatedAt: rfc3339(created), URL: s.baseURL(r) + "/calendar/" + secret + ".ics"})
	return nil
}

func (s *Server) apiDeleteCalendarAddress(w http.ResponseWriter, r *http.Request) error {
	if err := s.app.DeleteCalendarAddress(r.Context(), visitorOf(r).Actor); err != nil {
		return err
	}
	writeNoContent(w)
	return nil
}
