package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/app"
	"github.com/hearth-org/hearth/internal/schedule"
)

// The meeting pages: the facilitators' schedules page, one occurrence (how
// to attend, RSVP, changes and attendance), the attendance report, personal
// links (/go/{token}) and the private calendar address.

// ---- shared helpers (on base, so every page can use them) ----

// ShowBoth reports whether a time should also be shown in the viewer's own
// zone: they chose one, and it is not the group's.
func (b *base) ShowBoth(t time.Time, zone string) bool {
	return b.ZoneName != "" && b.ZoneName != zone && b.ZoneDiffers(t, zone)
}

// ZoneCity names a zone by its city ("Europe/Madrid" → "Madrid").
func (b *base) ZoneCity(zone string) string {
	if i := strings.LastIndexByte(zone, '/'); i >= 0 {
		zone = zone[i+1:]
	}
	return strings.ReplaceAll(zone, "_", " ")
}

// ClockIn writes the time of day of t in zone.
func (b *base) ClockIn(t time.Time, zone string) string {
	loc, err := time.LoadLocation(zone)
	if err != nil {
		loc = time.UTC
	}
	return b.L.Clock(t.In(loc))
}

// DayIn writes the date of t in zone.
func (b *base) DayIn(t time.Time, zone string) string {
	loc, err := time.LoadLocation(zone)
	if err != nil {
		loc = time.UTC
	}
	return b.L.Date(t.In(loc))
}

// OccPath is an occurrence's page.
func (b *base) OccPath(slug string, o hearth.Occurrence) string {
	return app.OccurrencePath(slug, o.MeetingID, o.Original)
}

// RuleText says a meeting's schedule in words.
func (b *base) RuleText(m *hearth.Meeting) string {
	var r *schedule.Rule
	if m.RRule != "" {
		if p, err := schedule.ParseRule(m.RRule); err == nil {
			r = &p
		}
	}
	d := schedule.DescribeAt(m.Start, r)
	clock := b.L.Clock(m.Start)
	var text string
	day := func(i int) string {
		if i < len(d.Days) {
			return b.L.Weekday(d.Days[i])
		}
		return b.L.Weekday(m.Start.Weekday())
	}
	switch d.Kind {
	case schedule.KindOnce:
		return b.T("meetings.rule.once", "date", b.L.Date(m.Start), "time", clock)
	case schedule.KindWeekly:
		text = b.T("meetings.rule.weekly", "day", day(0))
	case schedule.KindBiweekly:
		text = b.T("meetings.rule.biweekly", "day", day(0))
	case schedule.KindEveryNWeeks:
		text = b.T("meetings.rule.every_n_weeks", "count", d.Interval, "day", day(0))
	case schedule.KindMonthlyNth, schedule.KindMonthlyLast:
		text = b.T("meetings.rule.monthly_weekday", "nth", b.T(fmt.Sprintf("meetings.nth.%d", d.Ordinals[0].N)), "day", b.L.Weekday(d.Ordinals[0].Day))
	case schedule.KindMonthlyDate:
		md := m.Start.Day()
		if len(d.MonthDays) > 0 {
			md = d.MonthDays[0]
		}
		if md == -1 {
			text = b.T("meetings.rule.monthly_last_day")
		} else {
			text = b.T("meetings.rule.monthly_date", "date", md)
		}
	default:
		text = b.T("meetings.rule.other", "rule", m.RRule)
	}
	text = b.T("meetings.rule.at", "rule", text, "time", clock)
	switch d.Ends {
	case schedule.EndsCount:
		text += " · " + b.T("meetings.ends.count_n", "count", d.Count)
	case schedule.EndsUntil:
		text += " · " + b.T("meetings.ends.until_date", "date", b.L.Date(d.Until))
	default:
		text += " · " + b.T("meetings.ends.ongoing_short")
	}
	return text
}

// occurrenceRef names what a request's path is about: a group (by slug),
// one of its meetings and, for occurrence routes, the occurrence's original
// start.
type occurrenceRef struct {
	Slug    string
	Meeting int64
	At      time.Time
}

// meetingRefParam reads {slug} and {meeting}.
func meetingRefParam(r *http.Request) (occurrenceRef, error) {
	slug, err := slugParam(r, "slug", "group")
	if err != nil {
		return occurrenceRef{}, err
	}
	id, err := meetingIDParam(r)
	if err != nil {
		return occurrenceRef{}, err
	}
	return occurrenceRef{Slug: slug, Meeting: id}, nil
}

// occurrenceParam reads {slug}, {meeting} and {at}.
func occurrenceParam(r *http.Request) (occurrenceRef, error) {
	ref, err := meetingRefParam(r)
	if err != nil {
		return ref, err
	}
	ref.At, err = atParam(r)
	return ref, err
}

// meetingIDParam reads {id}; anything that is not an id is not there.
func meetingIDParam(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("meeting"), 10, 64)
	if err != nil || id <= 0 {
		return 0, hearth.Errorf(hearth.NotFound, "The meeting was not found.")
	}
	return id, nil
}

// atParam reads {at}: an occurrence's original start as Unix seconds (the
// API also takes RFC 3339).
func atParam(r *http.Request) (time.Time, error) {
	v := r.PathValue("at")
	if n, err := strconv.ParseInt(v, 10, 64); err == nil && n > 0 && n < 1<<40 {
		return time.Unix(n, 0).UTC(), nil
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t.UTC(), nil
	}
	return time.Time{}, hearth.Coded(hearth.NotFound, "no_occurrence", "That meeting has no occurrence at that time.")
}

func personParam(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("person"), 10, 64)
	if err != nil || id <= 0 {
		return 0, hearth.Errorf(hearth.NotFound, "That person is not in this group.")
	}
	return id, nil
}

// meetingFormFields are the add/edit form's fields, for errors next to them.
var meetingFormFields = []string{"title", "frequency", "day", "nth", "month_day", "start_date", "start_time", "duration_minutes", "ends",
	"count", "until", "mode", "venue_notes", "conference_url", "phone", "access_code", "capacity"}

// formFieldOf maps a use case's field problem to the form field it is
// about.
func formFieldOf(f hearth.FieldError) string {
	switch f.Field {
	case "start", "time_zone":
		return "start_date"
	case "rrule":
		switch f.Code {
		case schedule.CodeEndless:
			return "ends"
		case schedule.CodeCount:
			return "count"
		case schedule.CodeUntil, schedule.CodeUntilBefore:
			return "until"
		case schedule.CodeOffSchedule, schedule.CodeNeverOccurs:
			return "start_date"
		}
		return "frequency"
	}
	return f.Field
}

// toFormFields renames an error's fields to the form's.
func toFormFields(err error) error {
	e := hearth.AsError(err)
	if e == nil || len(e.Fields) == 0 {
		return err
	}
	cp := *e
	cp.Fields = make([]hearth.FieldError, len(e.Fields))
	for i, f := range e.Fields {
		f.Field = formFieldOf(f)
		cp.Fields[i] = f
	}
	return &cp
}

func meetingFormFrom(form url.Values) app.MeetingForm {
	return app.MeetingForm{Title: form.Get("title"), Frequency: form.Get("frequency"), Day: form.Get("day"), Nth: form.Get("nth"),
		MonthDay: form.Get("month_day"), StartDate: form.Get("start_date"), StartTime: form.Get("start_time"), Duration: form.Get("duration_minutes"),
		Ends: form.Get("ends"), Count: form.Get("count"), Until: form.Get("until"), Mode: form.Get("mode"), VenueNotes: crlf(form.Get("venue_notes")),
		ConferenceURL: form.Get("conference_url"), Phone: form.Get("phone"), AccessCode: form.Get("access_code"), Capacity: form.Get("capacity")}
}

// ---- the facilitators' meetings page ----

type meetingsPage struct {
	base
	formState
	V        *app.MeetingsView
	New      app.MeetingForm
	EditID   int64 // the meeting whose edit form has problems
	Edit     app.MeetingForm
	EditForm formState
	Policy   formState
	// Rooms is the room settings form (pages_rooms.go): as stored, or as
	// sent back with problems.
	Rooms *roomSettingsForm
	// Dropped is how many cancellations and moves the last schedule change
	// removed (they named occurrences the new schedule does not have), and
	// DroppedPlaces how many places held on such dates it gave back.
	Dropped, DroppedPlaces int
}

// Frequencies, Ends, Nths, Modes, Days list the form's choices.
func (p *meetingsPage) Frequencies() []string { return app.MeetingFrequencies }
func (p *meetingsPage) Ends() []string        { return app.MeetingEnds }
func (p *meetingsPage) Nths() []string        { return app.MeetingNths }
func (p *meetingsPage) Modes() []hearth.Format {
	return hearth.MeetingModes
}
func (p *meetingsPage) Days() []string { return hearth.DayCodes }

// FormFor is the edit form of a meeting: as stored, or as sent back with
// problems.
func (p *meetingsPage) FormFor(m *hearth.Meeting) app.MeetingForm {
	if m.ID == p.EditID {
		return p.Edit
	}
	return app.FormOf(m)
}

// StateFor is the edit form's problems for a meeting.
func (p *meetingsPage) StateFor(m *hearth.Meeting) *formState {
	if m.ID == p.EditID {
		return &p.EditForm
	}
	return &formState{}
}

// PseudonymOf names a member for the revoked list.
func (p *meetingsPage) PseudonymOf(userID int64) string {
	for _, m := range p.V.Members {
		if m.UserID == userID {
			return m.Pseudonym
		}
	}
	return p.T("meetings.guest")
}

func (s *Server) meetingsPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderMeetings(w, r, http.StatusOK, func(p *meetingsPage) {
		q := r.URL.Query()
		if n, err := strconv.Atoi(q.Get("dropped")); err == nil && n > 0 && n <= 100000 {
			p.Dropped = n
		}
		if n, err := strconv.Atoi(q.Get("places")); err == nil && n > 0 && n <= 1000000 {
			p.DroppedPlaces = n
		}
	})
}

func (s *Server) renderMeetings(w http.ResponseWriter, r *http.Request, status int, fill func(*meetingsPage)) error {
	actor := visitorOf(r).Actor
	slug := r.PathValue("slug")
	v, err := s.app.Meetings(r.Context(), actor, slug)
	if err != nil {
		return err
	}
	if !v.CanEdit {
		return hearth.Coded(hearth.Forbidden, "forbidden", "Only the group's facilitators and its organization's administrators can change its meetings.")
	}
	p := &meetingsPage{V: v, New: app.MeetingForm{Frequency: "weekly", Ends: "ongoing", Duration: "60", Mode: string(v.Group.Format),
		Day: hearth.DayCode(v.Group.Schedule.Weekday), StartTime: v.Group.Schedule.Clock(), Nth: "1", MonthDay: "1"}}
	fill(p)
	if p.Rooms == nil {
		st, err := s.app.RoomSettings(r.Context(), actor, slug)
		if err != nil {
			return err
		}
		p.Rooms = &roomSettingsForm{RetentionDays: strconv.Itoa(st.RetentionDays), LeadMinutes: strconv.Itoa(st.LeadMinutes)}
	}
	p.Title = s.locale(r).T("meetings.title", "name", v.Group.Name)
	s.render(w, r, status, "meetings", p)
	return nil
}

// meetingsFormError renders the meetings page with a form's problems (the
// callers send errors that are not the person's to fix to the error page
// first).
func (s *Server) meetingsFormError(w http.ResponseWriter, r *http.Request, err error, fill func(*meetingsPage, error) bool) error {
	_, status := classify(err)
	return s.renderMeetings(w, r, status, func(p *meetingsPage) { fill(p, err) })
}

func (s *Server) createMeetingPage(w http.ResponseWriter, r *http.Request) error {
	return s.submitMeetingForm(w, r, func(actor hearth.Actor, slug string, in app.MeetingInput) (string, string, error) {
		_, err := s.app.CreateMeeting(r.Context(), actor, slug, in)
		return "/groups/" + slug + "/meetings", "flash.meeting_added", err
	}, func(p *meetingsPage, f app.MeetingForm) *formState {
		p.New = f
		return &p.formState
	})
}

func (s *Server) updateMeetingPage(w http.ResponseWriter, r *http.Request) error {
	id, err := meetingIDParam(r)
	if err != nil {
		return err
	}
	return s.submitMeetingForm(w, r, func(actor hearth.Actor, slug string, in app.MeetingInput) (string, string, error) {
		up, err := s.app.UpdateMeeting(r.Context(), actor, slug, id, in)
		to := "/groups/" + slug + "/meetings"
		if err == nil && (up.DroppedExceptions > 0 || up.DroppedPlaces > 0) {
			to += "?dropped=" + strconv.Itoa(up.DroppedExceptions) + "&places=" + strconv.Itoa(up.DroppedPlaces)
		}
		return to, "flash.meeting_saved", err
	}, func(p *meetingsPage, f app.MeetingForm) *formState {
		p.EditID, p.Edit = id, f
		return &p.EditForm
	})
}

// submitMeetingForm reads the add or edit form, turns its plain fields into
// a MeetingInput in the group's zone and saves it (save returns where to go
// and the flash); the person's problems go back next to the form's fields
// (place puts the sent form on the page and says which form state to fill),
// anything else to the error page.
func (s *Server) submitMeetingForm(w http.ResponseWriter, r *http.Request, save func(hearth.Actor, string, app.MeetingInput) (string, string, error),
	place func(*meetingsPage, app.MeetingForm) *formState) error {
	form, err := parseForm(r)
	if err != nil {
		return err
	}
	slug := r.PathValue("slug")
	actor := visitorOf(r).Actor
	f := meetingFormFrom(form)
	v, err := s.app.Meetings(r.Context(), actor, slug)
	if err != nil {
		return err
	}
	loc, lerr := time.LoadLocation(v.Group.Location.TimeZone)
	if lerr != nil {
		return fmt.Errorf("group %d zone: %w", v.Group.ID, lerr)
	}
	in, err := f.Input(loc)
	if err == nil {
		var to, flash string
		if to, flash, err = save(actor, slug, in); err == nil {
			return s.redirect(w, r, to, flash)
		}
	}
	if _, st := classify(err); st == http.StatusForbidden || st == http.StatusNotFound || st >= 500 {
		return err
	}
	return s.meetingsFormError(w, r, err, func(p *meetingsPage, err error) bool {
		return s.setFormError(r, place(p, f), toFormFields(err), "meetings.", meetingFormFields...)
	})
}

func (s *Server) deleteMeetingPage(w http.ResponseWriter, r *http.Request) error {
	if _, err := parseForm(r); err != nil {
		return err
	}
	id, err := meetingIDParam(r)
	if err != nil {
		return err
	}
	slug := r.PathValue("slug")
	if err := s.app.DeleteMeeting(r.Context(), visitorOf(r).Actor, slug, id); err != nil {
		return err
	}
	return s.redirect(w, r, "/groups/"+slug+"/meetings", "flash.meeting_deleted")
}

func (s *Server) meetingPolicyPage(w http.ResponseWriter, r *http.Request) error {
	form, err := parseForm(r)
	if err != nil {
		return err
	}
	slug := r.PathValue("slug")
	lead, perr := strconv.Atoi(strings.TrimSpace(form.Get("link_lead_minutes")))
	if perr != nil {
		lead = -1
	}
	err = s.app.SetMeetingPolicy(r.Context(), visitorOf(r).Actor, slug, hearth.MeetingPolicy{PublishLink: form.Get("publish_link") == "yes", LinkLeadMinutes: lead})
	if err == nil {
		return s.redirect(w, r, "/groups/"+slug+"/meetings", "flash.meeting_policy_saved")
	}
	if _, st := classify(err); st == http.StatusForbidden || st == http.StatusNotFound || st >= 500 {
		return err
	}
	return s.meetingsFormError(w, r, err, func(p *meetingsPage, err error) bool {
		return s.setFormError(r, &p.Policy, err, "meetings.", "link_lead_minutes")
	})
}

// ---- one occurrence ----

type occurrencePage struct {
	base
	formState
	V        *app.OccurrenceView
	Zone     string // the group's zone
	Change   url.Values
	Go       *app.LinkOutcome // set on the /go/ page when the link does not lead anywhere now
	Marks    []hearth.AttendanceMark
	Calendar bool // the viewer may make a private calendar address
}

// LocalDate and LocalTime write a time as the move form's fields want it.
func (p *occurrencePage) LocalDate(t time.Time) string { return t.Format("2006-01-02") }
func (p *occurrencePage) LocalTime(t time.Time) string { return t.Format("15:04") }

// Minutes of the occurrence.
func (p *occurrencePage) Length() int {
	return int(p.V.Occurrence.End.Sub(p.V.Occurrence.Start) / time.Minute)
}

func (s *Server) occurrencePage(w http.ResponseWriter, r *http.Request) error {
	return s.renderOccurrence(w, r, http.StatusOK, nil)
}

func (s *Server) renderOccurrence(w http.ResponseWriter, r *http.Request, status int, fill func(*occurrencePage)) error {
	id, err := meetingIDParam(r)
	if err != nil {
		return err
	}
	at, err := atParam(r)
	if err != nil {
		return err
	}
	actor := visitorOf(r).Actor
	v, err := s.app.Occurrence(r.Context(), actor, r.PathValue("slug"), id, at)
	if err != nil {
		return err
	}
	p := &occurrencePage{V: v, Zone: v.Group.Location.TimeZone, Marks: hearth.Marks, Calendar: actor.SignedIn()}
	if fill != nil {
		fill(p)
	}
	loc := s.locale(r)
	p.Title = loc.T("occurrence.title", "name", v.Group.Name, "date", loc.Date(v.Occurrence.Start))
	s.render(w, r, status, "occurrence", p)
	return nil
}

// occurrenceBack is where an action on an occurrence returns to.
func occurrenceBack(r *http.Request) string {
	return "/groups/" + r.PathValue("slug") + "/meetings/" + r.PathValue("meeting") + "/" + r.PathValue("at")
}

// occurrenceFormError shows an action's problem on the occurrence page.
func (s *Server) occurrenceFormError(w http.ResponseWriter, r *http.Request, err error, form url.Values) error {
	_, st := classify(err)
	if st == http.StatusNotFound || st >= 500 || st == http.StatusUnauthorized {
		return err
	}
	return s.renderOccurrence(w, r, st, func(p *occurrencePage) {
		p.Change = form
		s.setFormError(r, &p.formState, err, "meetings.", "note", "start_date", "start_time", "duration_minutes", "marks")
	})
}

func (s *Server) nextOccurrencePage(w http.ResponseWriter, r *http.Request) error {
	id, err := meetingIDParam(r)
	if err != nil {
		return err
	}
	slug := r.PathValue("slug")
	at, err := s.app.NextOccurrence(r.Context(), visitorOf(r).Actor, slug, id)
	if err != nil {
		return err
	}
	http.Redirect(w, r, app.OccurrencePath(slug, id, at), http.StatusSeeOther)
	return nil
}

func (s *Server) rsvpPage(w http.ResponseWriter, r *http.Request) error {
	return s.rsvpForm(w, r, true)
}

func (s *Server) cancelRSVPPage(w http.ResponseWriter, r *http.Request) error {
	return s.rsvpForm(w, r, false)
}

// rsvpForm takes (or gives back) a place at an occurrence.
func (s *Server) rsvpForm(w http.ResponseWriter, r *http.Request, take bool) error {
	if _, err := parseForm(r); err != nil {
		return err
	}
	ref, err := occurrenceParam(r)
	if err != nil {
		return err
	}
	if err := s.setRSVP(r, ref, take); err != nil {
		return s.occurrenceFormError(w, r, err, nil)
	}
	if !take {
		return s.redirect(w, r, occurrenceBack(r), "flash.rsvp_cancelled")
	}
	return s.redirect(w, r, occurrenceBack(r), "flash.rsvp_done")
}

// setRSVP takes (or gives back) the visitor's place at the occurrence.
func (s *Server) setRSVP(r *http.Request, ref occurrenceRef, take bool) error {
	actor := visitorOf(r).Actor
	if take {
		return s.app.RSVP(r.Context(), actor, ref.Slug, ref.Meeting, ref.At)
	}
	return s.app.CancelRSVP(r.Context(), actor, ref.Slug, ref.Meeting, ref.At)
}

// changeOccurrencePage cancels or moves one occurrence (action=cancel or
// move), or restores it (action=restore).
func (s *Server) changeOccurrencePage(w http.ResponseWriter, r *http.Request) error {
	form, err := parseForm(r)
	if err != nil {
		return err
	}
	ref, err := occurrenceParam(r)
	if err != nil {
		return err
	}
	slug, id, at, actor := ref.Slug, ref.Meeting, ref.At, visitorOf(r).Actor
	flash := ""
	switch form.Get("action") {
	case "restore":
		err, flash = s.app.RestoreOccurrence(r.Context(), actor, slug, id, at), "flash.occurrence_restored"
	case "cancel":
		_, err = s.app.ChangeOccurrence(r.Context(), actor, slug, id, app.ExceptionInput{Original: at, Cancel: true, Note: crlf(form.Get("note"))})
		flash = "flash.occurrence_cancelled"
	case "move":
		in := app.ExceptionInput{Original: at, Note: crlf(form.Get("note"))}
		d, t := strings.TrimSpace(form.Get("start_date")), strings.TrimSpace(form.Get("start_time"))
		if d != "" || t != "" {
			in.Start = d + "T" + t
		}
		if n, perr := strconv.Atoi(strings.TrimSpace(form.Get("duration_minutes"))); perr == nil {
			in.Duration = n
		} else if strings.TrimSpace(form.Get("duration_minutes")) != "" {
			in.Duration = -1
		}
		_, err = s.app.ChangeOccurrence(r.Context(), actor, slug, id, in)
		flash = "flash.occurrence_moved"
		if e := hearth.AsError(err); e != nil {
			for i, f := range e.Fields {
				if f.Field == "start" {
					e.Fields[i].Field = "start_date"
				}
			}
		}
	default:
		err = hearth.Coded(hearth.Invalid, "bad_form", "The form could not be read. Please reload the page and try again.")
	}
	if err != nil {
		return s.occurrenceFormError(w, r, err, form)
	}
	return s.redirect(w, r, occurrenceBack(r), flash)
}

func (s *Server) attendanceTakePage(w http.ResponseWriter, r *http.Request) error {
	form, err := parseForm(r)
	if err != nil {
		return err
	}
	ref, err := occurrenceParam(r)
	if err != nil {
		return err
	}
	marks := map[int64]hearth.AttendanceMark{}
	for k, vs := range form {
		rest, ok := strings.CutPrefix(k, "mark_")
		if !ok {
			continue
		}
		uid, perr := strconv.ParseInt(rest, 10, 64)
		if perr != nil || uid <= 0 || len(vs) == 0 {
			return errBadForm
		}
		marks[uid] = hearth.AttendanceMark(vs[0])
	}
	if err := s.app.TakeAttendance(r.Context(), visitorOf(r).Actor, ref.Slug, ref.Meeting, ref.At, marks); err != nil {
		return s.occurrenceFormError(w, r, err, form)
	}
	return s.redirect(w, r, occurrenceBack(r), "flash.attendance_saved")
}

func (s *Server) linkAccessPage(w http.ResponseWriter, r *http.Request) error {
	form, err := parseForm(r)
	if err != nil {
		return err
	}
	id, err := meetingIDParam(r)
	if err != nil {
		return err
	}
	person, err := personParam(r)
	if err != nil {
		return err
	}
	revoke := form.Get("action") != "restore"
	if err := s.app.SetLinkRevoked(r.Context(), visitorOf(r).Actor, r.PathValue("slug"), id, person, revoke); err != nil {
		return err
	}
	back := safeNext(form.Get("next"), "/groups/"+r.PathValue("slug")+"/meetings")
	if revoke {
		return s.redirect(w, r, back, "flash.link_revoked")
	}
	return s.redirect(w, r, back, "flash.link_restored")
}

// goLink follows a personal link: to the conference while it is showing,
// otherwise a calm page that says when it opens or whom to ask.
func (s *Server) goLink(w http.ResponseWriter, r *http.Request) error {
	out, err := s.app.FollowLink(r.Context(), r.PathValue("token"))
	if hearth.ErrorKind(err) == hearth.NotFound {
		out, err = &app.LinkOutcome{State: app.LinkRevoked}, nil
	}
	if err != nil {
		return err
	}
	w.Header().Set("Referrer-Policy", "no-referrer")
	if out.State == app.LinkOpen && out.URL != "" {
		w.Header().Set("Cache-Control", "no-store")
		http.Redirect(w, r, out.URL, http.StatusSeeOther)
		return nil
	}
	p := &occurrencePage{Go: out}
	if out.Group != nil {
		p.Zone = out.Group.Location.TimeZone
	}
	p.Title = s.locale(r).T("golink.title")
	status := http.StatusOK
	if out.State == app.LinkRevoked {
		status = http.StatusForbidden
	}
	s.render(w, r, status, "occurrence", p)
	return nil
}

// ---- attendance ----

type attendancePage struct {
	base
	R *app.AttendanceReport
}

// Percent writes a rate as a whole percentage.
func (p *attendancePage) Percent(rate float64) string {
	return p.L.Number(int(rate*100+0.5)) + " %"
}

func (s *Server) attendancePage(w http.ResponseWriter, r *http.Request) error {
	rep, err := s.app.Attendance(r.Context(), visitorOf(r).Actor, r.PathValue("slug"))
	if err != nil {
		return err
	}
	p := &attendancePage{R: rep}
	p.Title = s.locale(r).T("attendance.title", "name", rep.Group.Name)
	s.render(w, r, http.StatusOK, "attendance", p)
	return nil
}

// ---- private calendar address ----

type calendarPage struct {
	base
	Created time.Time
	NewURL  string // shown once, right after it is made
}

func (s *Server) calendarPage(w http.ResponseWriter, r *http.Request) error {
	created, err := s.app.CalendarAddress(r.Context(), visitorOf(r).Actor)
	if err != nil {
		return err
	}
	p := &calendarPage{Created: created}
	p.Title = s.locale(r).T("calendar.title")
	s.render(w, r, http.StatusOK, "calendar", p)
	return nil
}

// newCalendarPage makes a new secret address (the old one stops working)
// and shows it on this answer only: only its hash is kept. With
// action=off, the address is turned off.
func (s *Server) newCalendarPage(w http.ResponseWriter, r *http.Request) error {
	form, err := parseForm(r)
	if err != nil {
		return err
	}
	actor := visitorOf(r).Actor
	if form.Get("action") == "off" {
		if err := s.app.DeleteCalendarAddress(r.Context(), actor); err != nil {
			return err
		}
		return s.redirect(w, r, "/account/calendar", "flash.calendar_off")
	}
	secret, err := s.app.NewCalendarAddress(r.Context(), actor)
	if err != nil {
		return err
	}
	created, err := s.app.CalendarAddress(r.Context(), actor)
	if err != nil {
		return err
	}
	p := &calendarPage{Created: created, NewURL: s.baseURL(r) + "/calendar/" + secret + ".ics"}
	p.Title = s.locale(r).T("calendar.title")
	s.render(w, r, http.StatusCreated, "calendar", p)
	return nil
}

// ---- the group page's upcoming meetings ----

// upcomingMeetings is the group page's "upcoming meetings" section.
type upcomingMeetings struct {
	Slug  string
	Zone  string
	Items []hearth.Occurrence
}

// upcomingFor lists a group's next meetings for its page (none on error:
// the page still shows the group).
func (s *Server) upcomingFor(r *http.Request, g *hearth.Group) *upcomingMeetings {
	occs, err := s.app.Upcoming(r.Context(), visitorOf(r).Actor, g, 5)
	if err != nil {
		s.log.Warn("upcoming meetings", "group_id", g.ID, "err", err)
		return nil
	}
	return &upcomingMeetings{Slug: g.Slug, Zone: g.Location.TimeZone, Items: occs}
}

// baseURL is Hearth's public address: the configured one, or this
// request's scheme and host.
func (s *Server) baseURL(r *http.Request) string {
	if b := s.app.PublicBase(); b != "" {
		return b
	}
	scheme := "http"
	if s.isTLS(r) {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// meetingFormArgs is what the add and edit forms are drawn from.
type meetingFormArgs struct {
	P      *meetingsPage
	Prefix string // unique id prefix for this form's fields
	Action string
	F      app.MeetingForm
	S      *formState
	Submit string // the submit button's catalog key
}

// T translates (for the form template).
func (a meetingFormArgs) T(key string, args ...any) string { return a.P.T(key, args...) }

// ID is a field's element id in this form.
func (a meetingFormArgs) ID(field string) string { return a.Prefix + "-" + field }

// Bad reports whether a field has problems.
func (a meetingFormArgs) Bad(field string) bool { return a.S.Bad(field) }

// Errs lists a field's problems.
func (a meetingFormArgs) Errs(field string) []string { return a.S.FieldErrors(field) }

// Described is a field's aria-describedby: its hint when it has one, and its
// problems when there are any.
func (a meetingFormArgs) Described(field string, hint bool) string {
	var ids []string
	if hint {
		ids = append(ids, a.ID(field)+"-hint")
	}
	if a.Bad(field) {
		ids = append(ids, a.ID(field)+"-errors")
	}
	return strings.Join(ids, " ")
}

// NewArgs draws the add form.
func (p *meetingsPage) NewArgs() meetingFormArgs {
	return meetingFormArgs{P: p, Prefix: "new", Action: "/groups/" + p.V.Group.Slug + "/meetings", F: p.New, S: &p.formState, Submit: "meetings.add_submit"}
}

// EditArgs draws a meeting's edit form.
func (p *meetingsPage) EditArgs(m *hearth.Meeting) meetingFormArgs {
	id := strconv.FormatInt(m.ID, 10)
	return meetingFormArgs{P: p, Prefix: "m" + id, Action: "/groups/" + p.V.Group.Slug + "/meetings/" + id, F: p.FormFor(m), S: p.StateFor(m),
		Submit: "meetings.save_submit"}
}

// fieldRef names one field of a form, for the problems under it.
type fieldRef struct {
	A     meetingFormArgs
	Field string
}

// On names one of the form's fields.
func (a meetingFormArgs) On(field string) fieldRef { return fieldRef{A: a, Field: field} }

// inputField is one labelled input of the form, drawn by the
// "meeting-input" template: label, hint, problems and ARIA wiring alike.
type inputField struct {
	A              meetingFormArgs
	Field          string
	Label, Hint    string // catalog keys; Hint "" when the field has none
	Type           string
	InputMode      string
	Max            int
	Value          string
	Required       bool
	NoAutocomplete bool
}

// HasHint reports whether the field has a hint under it.
func (f inputField) HasHint() bool { return f.Hint != "" }

// Input describes a field for "meeting-input": its label is
// meetings.field_{label} and its hint meetings.field_{label}_hint; opts may
// hold "required", "nohint" and "noautocomplete".
func (a meetingFormArgs) Input(field, label, typ, inputMode string, max int, value, opts string) inputField {
	f := inputField{A: a, Field: field, Label: "meetings.field_" + label, Hint: "meetings.field_" + label + "_hint", Type: typ,
		InputMode: inputMode, Max: max, Value: value}
	for _, o := range strings.Fields(opts) {
		switch o {
		case "required":
			f.Required = true
		case "nohint":
			f.Hint = ""
		case "noautocomplete":
			f.NoAutocomplete = true
		}
	}
	return f
}
