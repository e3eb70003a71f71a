package web

// Membership pages: applying to a closed group, a member's own standing
// (status, place in line, an offer and its deadline, the guidelines to
// accept again, contact sharing, leaving), and the facilitators' members
// page (applications with their answers, members, the line, alumni by
// cohort, intake questions, cohorts, seats, history). Every form works
// without JavaScript and ends in a redirect.

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/app"
)

// zoned writes a moment in the viewer's zone, and in the group's when it
// differs ("Thu 3 Dec, 18:00 (Europe/Madrid) · 11:00 your time").
func (b *base) zoned(t time.Time, zone string) string {
	if t.IsZero() {
		return ""
	}
	group := b.WhenIn(t, zone) + " (" + zone + ")"
	if b.ZoneName == "" || b.ZoneName == zone || !b.ZoneDiffers(t, zone) {
		return group
	}
	return group + " · " + b.L.T("membership.your_time", "time", b.When(t))
}

// groupDay writes the day t falls on in a group's zone.
func (b *base) groupDay(t time.Time, zone string) string {
	if t.IsZero() {
		return ""
	}
	loc, err := time.LoadLocation(zone)
	if err != nil {
		loc = time.UTC
	}
	return b.Day(t.In(loc))
}

// ---------------------------------------------------------------------------
// Applying

type applyPage struct {
	base
	formState
	V          *app.MembershipView
	Pseudonym  string
	Answers    map[int64]string
	ShareEmail bool
	Commit     bool
	HasEmail   bool
	now        time.Time
}

// Answer returns what was typed for a question.
func (p *applyPage) Answer(id int64) string { return p.Answers[id] }

// AnswerField names a question's field for errors.
func (p *applyPage) AnswerField(id int64) string { return fmt.Sprintf("answers.%d", id) }

// Enrolling reports whether the group takes applications now.
func (p *applyPage) Enrolling() bool {
	if p.V.Cohort != nil {
		return p.V.Cohort.Enrolling(p.now)
	}
	e := p.V.Group.Enrollment
	return e != nil && !p.now.Before(e.Opens) && p.now.Before(e.Closes)
}

// Terms are the cohort's terms as shown to applicants.
func (p *applyPage) Terms() *hearth.Enrollment {
	if p.V.Cohort != nil {
		return p.V.Cohort.Enrollment()
	}
	return p.V.Group.Enrollment
}

// Full reports whether the cohort's seats are all taken (applicants then
// queue once approved).
func (p *applyPage) Full() bool {
	e := p.Terms()
	return e != nil && p.V.Group.ActiveMembers >= e.Cap
}

// Date writes a cohort's day in the group's zone (cohort dates are days).
func (p *applyPage) Date(t time.Time) string { return p.groupDay(t, p.V.Group.Location.TimeZone) }

// LastDay writes the last day of a window that ends at the start of the
// next day (enrollment closes at the end of its last day).
func (p *applyPage) LastDay(t time.Time) string {
	return p.groupDay(t.Add(-time.Second), p.V.Group.Location.TimeZone)
}

func (s *Server) applyFields(v *app.MembershipView) []string {
	fields := []string{"pseudonym", "accept_guidelines", "commit_sessions", "share_email"}
	for _, q := range v.Questions {
		fields = append(fields, fmt.Sprintf("answers.%d", q.ID))
	}
	return fields
}

func (s *Server) applyPage(w http.ResponseWriter, r *http.Request) error {
	v, err := s.app.MyMembership(r.Context(), visitorOf(r).Actor, r.PathValue("slug"))
	if err != nil {
		return err
	}
	if v.Group.Policy != hearth.Closed {
		return s.redirect(w, r, "/groups/"+v.Group.Slug+"#how-to-join", "")
	}
	if m := v.Membership; m != nil && !(m.Status == hearth.StatusAlumni || m.Status == hearth.StatusRemoved && !m.DecidedAt.IsZero()) {
		return s.redirect(w, r, "/groups/"+v.Group.Slug+"/membership", "")
	}
	p := &applyPage{V: v, Answers: map[int64]string{}, now: s.now(), HasEmail: visitorOf(r).User != nil && visitorOf(r).User.Email != ""}
	if v.Membership != nil {
		p.Pseudonym = v.Membership.Pseudonym
	}
	p.Title = s.locale(r).T("apply.title", "name", v.Group.Name)
	s.render(w, r, http.StatusOK, "apply", p)
	return nil
}

func (s *Server) apply(w http.ResponseWriter, r *http.Request) error {
	form, err := parseForm(r)
	if err != nil {
		return err
	}
	ctx, actor, slug := r.Context(), visitorOf(r).Actor, r.PathValue("slug")
	v, err := s.app.MyMembership(ctx, actor, slug)
	if err != nil {
		return err
	}
	req := app.ApplyRequest{JoinRequest: app.JoinRequest{Pseudonym: form.Get("pseudonym"), AcceptGuidelines: form.Get("accept_guidelines") != "",
		ShareEmail: form.Get("share_email") != ""}, CommitSessions: form.Get("commit_sessions") != "", Answers: map[int64]string{}}
	for _, q := range v.Questions {
		req.Answers[q.ID] = form.Get(fmt.Sprintf("answer_%d", q.ID))
	}
	req.Country, req.Lang = writerContext(r)
	_, sup, err := s.app.ApplyWithSupport(ctx, actor, slug, req)
	if err == nil {
		s.rememberSupport(w, r, sup) // the membership page shows the crisis panel
		return s.redirect(w, r, "/groups/"+slug+"/membership", "flash.applied")
	}
	p := &applyPage{V: v, Pseudonym: req.Pseudonym, Answers: req.Answers, ShareEmail: req.ShareEmail, Commit: req.CommitSessions, now: s.now(),
		HasEmail: visitorOf(r).User != nil && visitorOf(r).User.Email != ""}
	if !s.setFormError(r, &p.formState, err, "membership.", s.applyFields(v)...) {
		return err
	}
	p.Title = s.locale(r).T("apply.title", "name", v.Group.Name)
	_, status := classify(err)
	s.render(w, r, status, "apply", p)
	return nil
}

// joinMembership is the group page's join form, with contact sharing; a
// full group puts the person in line, and the membership page says where.
func (s *Server) joinMembership(w http.ResponseWriter, r *http.Request) error {
	form, err := parseForm(r)
	if err != nil {
		return err
	}
	ctx, actor, slug := r.Context(), visitorOf(r).Actor, r.PathValue("slug")
	m, err := s.app.Join(ctx, actor, slug, app.JoinRequest{Pseudonym: form.Get("pseudonym"), AcceptGuidelines: form.Get("accept_guidelines") != "",
		ShareEmail: form.Get("share_email") != ""})
	if err == nil {
		if m.Status == hearth.StatusWaitlisted {
			return s.redirect(w, r, "/groups/"+slug+"/membership", "flash.waitlisted")
		}
		return s.redirect(w, r, "/groups/"+slug, "flash.joined")
	}
	v, verr := s.app.Group(ctx, actor, slug)
	if verr != nil {
		return verr
	}
	p := s.groupPageOf(r, v)
	p.Pseudonym = form.Get("pseudonym")
	if !s.setError(r, &p.formState, err) {
		return err
	}
	_, status := classify(err)
	s.render(w, r, status, "group", p)
	return nil
}

// ---------------------------------------------------------------------------
// One's own membership

type membershipPage struct {
	base
	formState
	V            *app.MembershipView
	ConfirmLeave bool
	Crisis       *crisisPanel // help shown at once after an answer read as a crisis (pages_safety.go)
}

// Zoned writes a moment for the group, in both zones when they differ.
func (p *membershipPage) Zoned(t time.Time) string { return p.zoned(t, p.V.Group.Location.TimeZone) }

// Date writes a cohort's day in the group's zone.
func (p *membershipPage) Date(t time.Time) string { return p.groupDay(t, p.V.Group.Location.TimeZone) }

// Declined reports whether the membership is a declined application.
func (p *membershipPage) Declined() bool {
	m := p.V.Membership
	return m != nil && m.Status == hearth.StatusRemoved && !m.DecidedAt.IsZero()
}

// CanLeave reports whether the person can leave (removed and banned
// people cannot undo that by leaving).
func (p *membershipPage) CanLeave() bool {
	m := p.V.Membership
	return m != nil && m.Status != hearth.StatusBanned && (m.Status != hearth.StatusRemoved || p.Declined())
}

// CanReapply reports whether the person may apply to the group again.
func (p *membershipPage) CanReapply() bool {
	m := p.V.Membership
	return p.V.Group.Policy == hearth.Closed && (m == nil || m.Status == hearth.StatusAlumni || p.Declined())
}

// Cohort is the member's own cohort when it is the current one.
func (p *membershipPage) Cohort() *hearth.Cohort {
	if p.V.Cohort != nil && p.V.Membership != nil && p.V.Membership.CohortID == p.V.Cohort.ID {
		return p.V.Cohort
	}
	return nil
}

func (s *Server) membershipPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderMembership(w, r, http.StatusOK, false, nil)
}

func (s *Server) leavePage(w http.ResponseWriter, r *http.Request) error {
	return s.renderMembership(w, r, http.StatusOK, true, nil)
}

func (s *Server) renderMembership(w http.ResponseWriter, r *http.Request, status int, confirmLeave bool, err error) error {
	v, verr := s.app.MyMembership(r.Context(), visitorOf(r).Actor, r.PathValue("slug"))
	if verr != nil {
		return verr
	}
	p := &membershipPage{V: v, ConfirmLeave: confirmLeave && v.Membership != nil, Crisis: s.takeSupport(w, r)}
	if err != nil && !s.setFormError(r, &p.formState, err, "membership.", "accept_guidelines") {
		return err
	}
	loc := s.locale(r)
	p.Title = loc.T("membership.title", "name", v.Group.Name)
	if p.ConfirmLeave {
		p.Title = loc.T("leave.title", "name", v.Group.Name)
	}
	s.render(w, r, status, "membership", p)
	return nil
}

// formPost runs a page's POST: do with the group's slug and the form, then
// a redirect to to(slug) with a flash. A problem the person can fix (400,
// 409) is shown by again, which renders the page with it.
func (s *Server) formPost(w http.ResponseWriter, r *http.Request, do func(slug string, form url.Values) error,
	again func(status int, form url.Values, err error) error, to func(slug string) string, flash string) error {
	form, err := parseForm(r)
	if err != nil {
		return err
	}
	slug := r.PathValue("slug")
	if err := do(slug, form); err != nil {
		_, status := classify(err)
		if status == http.StatusConflict || status == http.StatusBadRequest {
			return again(status, form, err)
		}
		return err
	}
	return s.redirect(w, r, to(slug), flash)
}

// membershipAction runs one of the member's own POSTs (ownAction, as in the
// API) and goes to(slug); a problem the person can fix is shown on the
// membership page.
func (s *Server) membershipAction(w http.ResponseWriter, r *http.Request, do func(slug string, form url.Values) error, to func(slug string) string, flash string) error {
	return s.formPost(w, r, do, func(status int, _ url.Values, err error) error { return s.renderMembership(w, r, status, false, err) }, to, flash)
}

func toMembership(slug string) string { return "/groups/" + slug + "/membership" }

// own is a member's own action as a form's use case.
func own(r *http.Request, do ownAction) func(string, url.Values) error {
	return func(slug string, _ url.Values) error { return do(r.Context(), visitorOf(r).Actor, slug) }
}

// ownSwitch is an own action that turns something on or off as a form's
// use case: on when the checkbox field is ticked.
func ownSwitch(r *http.Request, field string, set func(context.Context, hearth.Actor, string, bool) error) func(string, url.Values) error {
	return func(slug string, f url.Values) error {
		return set(r.Context(), visitorOf(r).Actor, slug, f.Get(field) != "")
	}
}

func (s *Server) leaveGroup(w http.ResponseWriter, r *http.Request) error {
	return s.membershipAction(w, r, own(r, s.app.Leave), func(slug string) string { return "/groups/" + slug }, "flash.left")
}

func (s *Server) acceptOffer(w http.ResponseWriter, r *http.Request) error {
	return s.membershipAction(w, r, own(r, func(ctx context.Context, actor hearth.Actor, slug string) error {
		_, err := s.app.AcceptOffer(ctx, actor, slug)
		return err
	}), toMembership, "flash.seat_taken")
}

func (s *Server) declineOffer(w http.ResponseWriter, r *http.Request) error {
	return s.membershipAction(w, r, own(r, s.app.DeclineOffer), toMembership, "flash.offer_declined")
}

func (s *Server) acceptGuidelines(w http.ResponseWriter, r *http.Request) error {
	return s.membershipAction(w, r, ownSwitch(r, "accept_guidelines", s.app.AcceptGuidelines), toMembership, "flash.guidelines_accepted")
}

func (s *Server) setContactSharing(w http.ResponseWriter, r *http.Request) error {
	return s.membershipAction(w, r, ownSwitch(r, "share_email", s.app.SetContactSharing), toMembership, "flash.saved")
}

// ---------------------------------------------------------------------------
// The facilitators' members page

type membersPage struct {
	base
	formState
	V                          *app.MembersView
	Slots                      []hearth.IntakeQuestion // the intake form: the questions, then blank rows
	CohortForm                 url.Values
	SettingsCap, SettingsHours string
}

// Zoned writes a moment for the group, in both zones when they differ.
func (p *membersPage) Zoned(t time.Time) string { return p.zoned(t, p.V.Group.Location.TimeZone) }

// Started reports whether the current cohort has started (approvals then
// need an override).
func (p *membersPage) Started() bool { return p.V.Cohort != nil && p.V.Cohort.Started(p.V.Now) }

// Closed reports whether the group enrolls cohorts.
func (p *membersPage) Closed() bool { return p.V.Group.Policy == hearth.Closed }

// HasOffer reports whether a person in line holds a live offer.
func (p *membersPage) HasOffer(m *hearth.Membership) bool { return m.HasOffer(p.V.Now) }

// Who names the member an event is about, or "a former member".
func (p *membersPage) Who(e app.Event) string {
	switch {
	case e.UserID == 0:
		return ""
	case e.Pseudonym != "":
		return e.Pseudonym
	}
	return p.T("members.former_member")
}

// By names who took a step that was not the member's own.
func (p *membersPage) By(e app.Event) string {
	switch {
	case e.ActorID == 0:
		return p.T("members.by_hearth")
	case e.ActorID == e.UserID:
		return ""
	case e.ActorPseudonym != "":
		return e.ActorPseudonym
	}
	return p.T("members.by_staff")
}

// CohortDay writes a cohort date in the group's zone.
func (p *membersPage) CohortDay(t time.Time) string {
	return p.groupDay(t, p.V.Group.Location.TimeZone)
}

// CohortLastDay writes the last day of a period that ends at the start of
// the next day.
func (p *membersPage) CohortLastDay(t time.Time) string {
	return p.groupDay(t.Add(-time.Second), p.V.Group.Location.TimeZone)
}

func (s *Server) membersPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderMembers(w, r, http.StatusOK, nil, nil)
}

func (s *Server) renderMembers(w http.ResponseWriter, r *http.Request, status int, form url.Values, err error) error {
	v, verr := s.app.Members(r.Context(), visitorOf(r).Actor, r.PathValue("slug"))
	if verr != nil {
		return verr
	}
	p := &membersPage{V: v, CohortForm: url.Values{}}
	if form != nil {
		p.CohortForm = form
	}
	p.Slots = append(p.Slots, v.Questions...)
	for len(p.Slots) < hearth.MaxIntakeQuestions && len(p.Slots) < len(v.Questions)+3 {
		p.Slots = append(p.Slots, hearth.IntakeQuestion{})
	}
	p.SettingsCap, p.SettingsHours = strconv.Itoa(v.Settings.Cap), strconv.Itoa(v.Settings.OfferHours)
	if form != nil && form.Has("offer_hours") {
		p.SettingsCap, p.SettingsHours = form.Get("cap"), form.Get("offer_hours")
	}
	if err != nil {
		fields := []string{"cap", "offer_hours", "sessions", "enrollment_window", "starts", "ends", "questions"}
		for i := 1; i <= hearth.MaxIntakeQuestions; i++ {
			fields = append(fields, fmt.Sprintf("questions.%d", i))
		}
		if !s.setFormError(r, &p.formState, err, "membership.", fields...) {
			return err
		}
	}
	p.Title = s.locale(r).T("members.title", "name", v.Group.Name)
	s.render(w, r, status, "members", p)
	return nil
}

// membersAction runs a facilitator's POST and returns to the members page,
// showing a problem the person can fix there with what they typed.
func (s *Server) membersAction(w http.ResponseWriter, r *http.Request, do func(slug string, form url.Values) error, flash string) error {
	return s.formPost(w, r, do, func(status int, form url.Values, err error) error { return s.renderMembers(w, r, status, form, err) },
		func(slug string) string { return "/groups/" + slug + "/members" }, flash)
}

// membersItemAction is membersAction on one member or cohort, named by the
// path's id (what says which, for the not-found message).
func (s *Server) membersItemAction(w http.ResponseWriter, r *http.Request, what string, do func(slug string, id int64, form url.Values) error, flash string) error {
	id, err := pathID(r, "id", what)
	if err != nil {
		return err
	}
	return s.membersAction(w, r, func(slug string, f url.Values) error { return do(slug, id, f) }, flash)
}

// pathID reads a numeric path parameter; anything else is not there.
func pathID(r *http.Request, name, what string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, hearth.Errorf(hearth.NotFound, "The %s was not found.", what)
	}
	return id, nil
}

func (s *Server) approvePage(w http.ResponseWriter, r *http.Request) error {
	return s.membersItemAction(w, r, "member", func(slug string, id int64, f url.Values) error {
		_, err := s.app.Approve(r.Context(), visitorOf(r).Actor, slug, id, app.Decision{Message: f.Get("message"),
			Override: f.Get("override") != "", OverrideReason: f.Get("override_reason")})
		return err
	}, "flash.approved")
}

func (s *Server) declinePage(w http.ResponseWriter, r *http.Request) error {
	return s.membersItemAction(w, r, "member", func(slug string, id int64, f url.Values) error {
		return s.app.Decline(r.Context(), visitorOf(r).Actor, slug, id, f.Get("message"))
	}, "flash.declined")
}

func (s *Server) removePage(w http.ResponseWriter, r *http.Request) error {
	return s.membersItemAction(w, r, "member", func(slug string, id int64, f url.Values) error {
		return s.app.RemoveMember(r.Context(), visitorOf(r).Actor, slug, id, f.Get("reason"), f.Get("ban") != "")
	}, "flash.removed")
}

func (s *Server) intakePage(w http.ResponseWriter, r *http.Request) error {
	return s.membersAction(w, r, func(slug string, f url.Values) error {
		var qs []hearth.IntakeQuestion
		for i := 1; i <= hearth.MaxIntakeQuestions+5; i++ {
			if !f.Has(fmt.Sprintf("prompt_%d", i)) {
				continue
			}
			qs = append(qs, hearth.IntakeQuestion{Prompt: f.Get(fmt.Sprintf("prompt_%d", i)), Required: f.Get(fmt.Sprintf("required_%d", i)) != ""})
		}
		_, err := s.app.SetIntakeQuestions(r.Context(), visitorOf(r).Actor, slug, qs)
		return err
	}, "flash.saved")
}

// cohortFromForm reads the new-cohort form: dates in the group's zone.
func cohortFromForm(f url.Values, zone string) (*hearth.Cohort, error) {
	loc, err := time.LoadLocation(zone)
	if err != nil {
		loc = time.UTC
	}
	var p hearth.Problems
	num := func(field string) int {
		n, err := strconv.Atoi(strings.TrimSpace(f.Get(field)))
		if err != nil {
			p.Add(field, "number", "Give a whole number.", nil)
		}
		return n
	}
	day := func(field, problemField string, endOfDay bool) time.Time {
		v := strings.TrimSpace(f.Get(field))
		t, ok := parseMoment(v, loc, endOfDay)
		if !ok || strings.Contains(v, "T") {
			p.Add(problemField, "date", "Give a date like 2027-01-12.", nil)
		}
		return t
	}
	c := &hearth.Cohort{Cap: num("cap"), Sessions: num("sessions"), Opens: day("opens", "enrollment_window", false),
		Closes: day("closes", "enrollment_window", true), Starts: day("starts", "starts", false), Ends: day("ends", "ends", true)}
	return c, p.Err()
}

func (s *Server) createCohortPage(w http.ResponseWriter, r *http.Request) error {
	return s.membersAction(w, r, func(slug string, f url.Values) error {
		v, err := s.app.Group(r.Context(), visitorOf(r).Actor, slug)
		if err != nil {
			return err
		}
		c, err := cohortFromForm(f, v.Group.Location.TimeZone)
		if err != nil {
			return err
		}
		return s.app.CreateCohort(r.Context(), visitorOf(r).Actor, slug, c)
	}, "flash.cohort_created")
}

func (s *Server) endCohortPage(w http.ResponseWriter, r *http.Request) error {
	return s.membersItemAction(w, r, "cohort", func(slug string, id int64, _ url.Values) error {
		return s.app.EndCohort(r.Context(), visitorOf(r).Actor, slug, id)
	}, "flash.cohort_ended")
}

func (s *Server) seatsPage(w http.ResponseWriter, r *http.Request) error {
	return s.membersAction(w, r, func(slug string, f url.Values) error {
		var p hearth.Problems
		capacity, hours := 0, 0
		if v := strings.TrimSpace(f.Get("cap")); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				p.Add("cap", "number", "Give a whole number (0 for no cap).", nil)
			}
			capacity = n
		}
		n, err := strconv.Atoi(strings.TrimSpace(f.Get("offer_hours")))
		if err != nil {
			p.Add("offer_hours", "number", "Give a whole number of hours.", nil)
		}
		hours = n
		if err := p.Err(); err != nil {
			return err
		}
		return s.app.SetMembershipSettings(r.Context(), visitorOf(r).Actor, slug, hearth.MembershipSettings{Cap: capacity, OfferHours: hours})
	}, "flash.saved")
}

// CohortFields are the new-cohort form's fields, in order.
func (p *membersPage) CohortFields() []string {
	return []string{"cap", "sessions", "opens", "closes", "starts", "ends"}
}
