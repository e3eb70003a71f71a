package web

// The membership API: applying, one's own membership (place in line,
// offers, guidelines, contact sharing, leaving), and for facilitators the
// members, decisions, intake questions, cohorts and seat settings. The same
// use cases as pages_membership.go, as JSON, described in openapi.json.

import (
	"context"
	"net/http"
	"time"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/app"
	"github.com/hearth-org/hearth/internal/sqldb"
)

// cohortJSON is one cohort of a closed group.
type cohortJSON struct {
	ID       int64  `json:"id"`
	Number   int    `json:"number"`
	Cap      int    `json:"cap"`
	Sessions int    `json:"sessions"`
	Opens    string `json:"opens"`
	Closes   string `json:"closes"`
	Starts   string `json:"starts"`
	Ends     string `json:"ends"`
	Started  bool   `json:"started"`
	EndedAt  string `json:"ended_at,omitempty"`
}

func newCohortJSON(c *hearth.Cohort, now time.Time) *cohortJSON {
	if c == nil {
		return nil
	}
	return &cohortJSON{ID: c.ID, Number: c.Number, Cap: c.Cap, Sessions: c.Sessions, Opens: rfc3339(c.Opens), Closes: rfc3339(c.Closes),
		Starts: rfc3339(c.Starts), Ends: rfc3339(c.Ends), Started: c.Started(now), EndedAt: rfc3339(c.EndedAt)}
}

// eventJSON is one step of a membership's history.
type eventJSON struct {
	ID           int64            `json:"id"`
	Kind         hearth.EventKind `json:"kind"`
	At           string           `json:"at"`
	Status       string           `json:"status,omitempty"`
	Position     int              `json:"position,omitempty"`
	OfferExpires string           `json:"offer_expires,omitempty"`
	CohortID     int64            `json:"cohort_id,omitempty"`
	// Facilitators' view only.
	Member string `json:"member,omitempty"` // the pseudonym; "" for a former member or a group event
	By     string `json:"by,omitempty"`     // the acting facilitator's pseudonym
	Note   string `json:"note,omitempty"`   // a reason, recorded for staff
}

func newEventJSON(e sqldb.EventRow) eventJSON {
	return eventJSON{ID: e.ID, Kind: e.Kind, At: rfc3339(e.At), Status: string(e.Status), Position: e.Position,
		OfferExpires: rfc3339(e.OfferExpires), CohortID: e.CohortID}
}

// membershipViewJSON is one's own standing with a group.
type membershipViewJSON struct {
	Group      string                `json:"group"`
	Membership *membershipDetailJSON `json:"membership"` // null: not a member (history may say why)
	History    []eventJSON           `json:"history"`
}

type membershipDetailJSON struct {
	membershipJSON
	ShareEmail        bool         `json:"share_email"`
	CommittedSessions int          `json:"committed_sessions"`
	Cohort            *cohortJSON  `json:"cohort,omitempty"`
	Position          int          `json:"position,omitempty"`
	LineLength        int          `json:"line_length,omitempty"`
	OfferExpires      string       `json:"offer_expires,omitempty"`
	Declined          bool         `json:"declined"`
	Decision          string       `json:"decision,omitempty"`
	Answers           []app.Answer `json:"answers"`
}

func newMembershipViewJSON(v *app.MembershipView) membershipViewJSON {
	out := membershipViewJSON{Group: v.Group.Slug, History: []eventJSON{}}
	for _, e := range v.History {
		out.History = append(out.History, newEventJSON(e))
	}
	m := v.Membership
	if m == nil {
		return out
	}
	must := v.MustAcceptGuidelines
	d := &membershipDetailJSON{membershipJSON: *newMembershipJSON(v.Group.Slug, m), ShareEmail: m.ShareEmail, CommittedSessions: m.CommittedSessions,
		Position: v.Position, LineLength: v.LineLength, Decision: v.Decision, Answers: v.Answers,
		Declined: m.Status == hearth.StatusRemoved && !m.DecidedAt.IsZero()}
	d.MustAcceptGuidelines = &must
	if d.Answers == nil {
		d.Answers = []app.Answer{}
	}
	if v.HasOffer() {
		d.OfferExpires = rfc3339(m.OfferExpires)
	}
	if v.Cohort != nil && m.CohortID == v.Cohort.ID {
		d.Cohort = newCohortJSON(v.Cohort, v.Now)
	}
	out.Membership = d
	return out
}

func (s *Server) writeMyMembership(w http.ResponseWriter, r *http.Request, status int, slug string) error {
	v, err := s.app.MyMembership(r.Context(), visitorOf(r).Actor, slug)
	if err != nil {
		return err
	}
	if status == http.StatusCreated {
		w.Header().Set("Location", "/api/v1/groups/"+slug+"/membership")
	}
	writeJSON(w, status, newMembershipViewJSON(v))
	return nil
}

func (s *Server) apiMyMembership(w http.ResponseWriter, r *http.Request) error {
	slug, err := slugParam(r, "slug", "group")
	if err != nil {
		return err
	}
	return s.writeMyMembership(w, r, http.StatusOK, slug)
}

type answerInput struct {
	QuestionID int64  `json:"question_id"`
	Answer     string `json:"answer"`
}

type applyInput struct {
	Pseudonym        string        `json:"pseudonym"`
	AcceptGuidelines bool          `json:"accept_guidelines"`
	CommitSessions   bool          `json:"commit_sessions"`
	ShareEmail       bool          `json:"share_email"`
	Answers          []answerInput `json:"answers"`
}

// slugAndBody reads the group's slug from the path, then the JSON body
// into in.
func slugAndBody(r *http.Request, in any) (string, error) {
	slug, err := slugParam(r, "slug", "group")
	if err != nil {
		return "", err
	}
	return slug, decodeJSON(r, in)
}

func (s *Server) apiApply(w http.ResponseWriter, r *http.Request) error {
	var in applyInput
	slug, err := slugAndBody(r, &in)
	if err != nil {
		return err
	}
	req := app.ApplyRequest{JoinRequest: app.JoinRequest{Pseudonym: in.Pseudonym, AcceptGuidelines: in.AcceptGuidelines, ShareEmail: in.ShareEmail},
		CommitSessions: in.CommitSessions, Answers: map[int64]string{}}
	for _, a := range in.Answers {
		req.Answers[a.QuestionID] = a.Answer
	}
	req.Country, req.Lang = writerContext(r)
	_, sup, err := s.app.ApplyWithSupport(r.Context(), visitorOf(r).Actor, slug, req)
	if err != nil {
		return err
	}
	if sup == nil {
		return s.writeMyMembership(w, r, http.StatusCreated, slug)
	}
	// An answer read as a crisis: the application is stored all the same,
	// and the answer carries help (api_safety.go).
	v, err := s.app.MyMembership(r.Context(), visitorOf(r).Actor, slug)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/groups/"+slug+"/membership")
	writeJSON(w, http.StatusCreated, appliedJSON{membershipViewJSON: newMembershipViewJSON(v), Safety: newSupportJSON(sup)})
	return nil
}

// ownAction is one of a member's own actions on their membership.
type ownAction func(ctx context.Context, actor hearth.Actor, slug string) error

// apiOwn runs one of the member's own actions (reading its body into in
// when there is one), then answers with their membership (or 204 when it
// is gone).
func (s *Server) apiOwn(w http.ResponseWriter, r *http.Request, in any, do ownAction, gone bool) error {
	slug, err := slugParam(r, "slug", "group")
	if err == nil && in != nil {
		err = decodeJSON(r, in)
	}
	if err != nil {
		return err
	}
	if err := do(r.Context(), visitorOf(r).Actor, slug); err != nil {
		return err
	}
	if gone {
		writeNoContent(w)
		return nil
	}
	return s.writeMyMembership(w, r, http.StatusOK, slug)
}

// apiOwnSwitch runs an own action that turns something on or off: in is
// the body, on its one field.
func (s *Server) apiOwnSwitch(w http.ResponseWriter, r *http.Request, in any, on *bool, set func(context.Context, hearth.Actor, string, bool) error) error {
	return s.apiOwn(w, r, in, func(ctx context.Context, actor hearth.Actor, slug string) error { return set(ctx, actor, slug, *on) }, false)
}

func (s *Server) apiLeave(w http.ResponseWriter, r *http.Request) error {
	return s.apiOwn(w, r, nil, s.app.Leave, true)
}

func (s *Server) apiAcceptOffer(w http.ResponseWriter, r *http.Request) error {
	return s.apiOwn(w, r, nil, func(ctx context.Context, actor hearth.Actor, slug string) error {
		_, err := s.app.AcceptOffer(ctx, actor, slug)
		return err
	}, false)
}

func (s *Server) apiDeclineOffer(w http.ResponseWriter, r *http.Request) error {
	return s.apiOwn(w, r, nil, s.app.DeclineOffer, true)
}

type guidelinesInput struct {
	AcceptGuidelines bool `json:"accept_guidelines"`
}

func (s *Server) apiAcceptGuidelines(w http.ResponseWriter, r *http.Request) error {
	var in guidelinesInput
	return s.apiOwnSwitch(w, r, &in, &in.AcceptGuidelines, s.app.AcceptGuidelines)
}

type contactInput struct {
	ShareEmail bool `json:"share_email"`
}

func (s *Server) apiContact(w http.ResponseWriter, r *http.Request) error {
	var in contactInput
	return s.apiOwnSwitch(w, r, &in, &in.ShareEmail, s.app.SetContactSharing)
}

// ---------------------------------------------------------------------------
// Facilitators

// memberJSON is a person as the group's facilitators see them: the
// pseudonym and only the contact they chose to share.
type memberJSON struct {
	ID                int64                   `json:"id"`
	Pseudonym         string                  `json:"pseudonym"`
	Role              hearth.Role             `json:"role"`
	Status            hearth.MembershipStatus `json:"status"`
	Since             string                  `json:"since"`
	Email             string                  `json:"email,omitempty"`
	Cohort            int                     `json:"cohort,omitempty"`
	CommittedSessions int                     `json:"committed_sessions,omitempty"`
	Position          int                     `json:"position,omitempty"`
	WaitingSince      string                  `json:"waiting_since,omitempty"`
	OfferExpires      string                  `json:"offer_expires,omitempty"`
	Declined          bool                    `json:"declined,omitempty"`
	Answers           []app.Answer            `json:"answers,omitempty"`
}

func newMemberJSON(r sqldb.MemberRow, now time.Time) memberJSON {
	m := memberJSON{ID: r.ID, Pseudonym: r.Pseudonym, Role: r.Role, Status: r.Status, Since: rfc3339(r.StatusAt), Email: r.SharedEmail,
		Cohort: r.CohortNo, CommittedSessions: r.CommittedSessions, Declined: r.Status == hearth.StatusRemoved && !r.DecidedAt.IsZero()}
	if m.Since == "" {
		m.Since = rfc3339(r.JoinedAt)
	}
	if r.Status == hearth.StatusWaitlisted {
		m.WaitingSince = rfc3339(r.WaitlistedAt)
		if r.HasOffer(now) {
			m.OfferExpires = rfc3339(r.OfferExpires)
		}
	}
	return m
}

type membersJSON struct {
	Group      string        `json:"group"`
	Policy     hearth.Policy `json:"policy"`
	Cap        int           `json:"cap"`
	SeatsTaken int           `json:"seats_taken"`
	OfferHours int           `json:"offer_hours"`
	Cohort     *cohortJSON   `json:"cohort,omitempty"`
	Applicants []memberJSON  `json:"applicants"`
	Members    []memberJSON  `json:"members"`
	Waitlist   []memberJSON  `json:"waitlist"`
	Alumni     []memberJSON  `json:"alumni"`
	Former     []memberJSON  `json:"former"`
	Events     []eventJSON   `json:"events"`
}

func newMembersJSON(v *app.MembersView) membersJSON {
	out := membersJSON{Group: v.Group.Slug, Policy: v.Group.Policy, Cap: v.Cap, SeatsTaken: v.SeatsTaken, OfferHours: v.Settings.OfferHours,
		Cohort: newCohortJSON(v.Cohort, v.Now), Applicants: []memberJSON{}, Members: []memberJSON{}, Waitlist: []memberJSON{}, Alumni: []memberJSON{},
		Former: []memberJSON{}, Events: []eventJSON{}}
	for _, a := range v.Applicants {
		m := newMemberJSON(a.MemberRow, v.Now)
		m.Answers = a.Answers
		out.Applicants = append(out.Applicants, m)
	}
	for _, r := range v.Leaders {
		out.Members = append(out.Members, newMemberJSON(r, v.Now))
	}
	for _, r := range v.Active {
		out.Members = append(out.Members, newMemberJSON(r, v.Now))
	}
	for _, r := range v.Waitlist {
		m := newMemberJSON(r.MemberRow, v.Now)
		m.Position = r.Position
		out.Waitlist = append(out.Waitlist, m)
	}
	for _, c := range v.Alumni {
		for _, r := range c.Members {
			out.Alumni = append(out.Alumni, newMemberJSON(r, v.Now))
		}
	}
	for _, r := range v.Former {
		out.Former = append(out.Former, newMemberJSON(r, v.Now))
	}
	for _, e := range v.Events {
		j := newEventJSON(e.EventRow)
		j.Member, j.Note = e.Pseudonym, e.Note
		if e.ActorID != 0 && e.ActorID != e.UserID {
			j.By = e.ActorPseudonym
		}
		out.Events = append(out.Events, j)
	}
	return out
}

// apiRead answers a GET about the path's group: what get returns for the
// visitor, as view shapes it.
func apiRead[T, J any](w http.ResponseWriter, r *http.Request, get func(context.Context, hearth.Actor, string) (T, error), view func(T) J) error {
	slug, err := slugParam(r, "slug", "group")
	if err != nil {
		return err
	}
	v, err := get(r.Context(), visitorOf(r).Actor, slug)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, view(v))
	return nil
}

func (s *Server) apiMembers(w http.ResponseWriter, r *http.Request) error {
	return apiRead(w, r, s.app.Members, newMembersJSON)
}

// writeMember answers with one member as the facilitators now see them.
func (s *Server) writeMember(w http.ResponseWriter, r *http.Request, slug string, id int64) error {
	v, err := s.app.Members(r.Context(), visitorOf(r).Actor, slug)
	if err != nil {
		return err
	}
	all := newMembersJSON(v)
	for _, list := range [][]memberJSON{all.Applicants, all.Members, all.Waitlist, all.Alumni, all.Former} {
		for _, m := range list {
			if m.ID == id {
				writeJSON(w, http.StatusOK, m)
				return nil
			}
		}
	}
	return hearth.Errorf(hearth.NotFound, "The member was not found.")
}

// memberAction reads the path and body of a decision on one member.
func (s *Server) memberAction(w http.ResponseWriter, r *http.Request, in any, do func(slug string, id int64) error) error {
	slug, err := slugParam(r, "slug", "group")
	if err != nil {
		return err
	}
	id, err := pathID(r, "id", "member")
	if err != nil {
		return err
	}
	if err := decodeJSON(r, in); err != nil {
		return err
	}
	if err := do(slug, id); err != nil {
		return err
	}
	return s.writeMember(w, r, slug, id)
}

type decisionInput struct {
	Message        string `json:"message"`
	Override       bool   `json:"override"`
	OverrideReason string `json:"override_reason"`
}

func (s *Server) apiApprove(w http.ResponseWriter, r *http.Request) error {
	var in decisionInput
	return s.memberAction(w, r, &in, func(slug string, id int64) error {
		_, err := s.app.Approve(r.Context(), visitorOf(r).Actor, slug, id, app.Decision{Message: in.Message, Override: in.Override, OverrideReason: in.OverrideReason})
		return err
	})
}

type declineInput struct {
	Message string `json:"message"`
}

func (s *Server) apiDecline(w http.ResponseWriter, r *http.Request) error {
	var in declineInput
	return s.memberAction(w, r, &in, func(slug string, id int64) error {
		return s.app.Decline(r.Context(), visitorOf(r).Actor, slug, id, in.Message)
	})
}

type removeInput struct {
	Reason string `json:"reason"`
}

// apiRemoval removes someone, or bans them, with a reason.
func (s *Server) apiRemoval(w http.ResponseWriter, r *http.Request, ban bool) error {
	var in removeInput
	return s.memberAction(w, r, &in, func(slug string, id int64) error {
		return s.app.RemoveMember(r.Context(), visitorOf(r).Actor, slug, id, in.Reason, ban)
	})
}

func (s *Server) apiRemove(w http.ResponseWriter, r *http.Request) error {
	return s.apiRemoval(w, r, false)
}

func (s *Server) apiBan(w http.ResponseWriter, r *http.Request) error {
	return s.apiRemoval(w, r, true)
}

// ---------------------------------------------------------------------------
// Intake, cohorts, seats

type intakeJSON struct {
	Questions []hearth.IntakeQuestion `json:"questions"`
}

type intakeQuestionInput struct {
	Prompt   string `json:"prompt"`
	Required bool   `json:"required"`
	// Read-only: accepted and ignored, so a fetched list can be sent back.
	ID       *int64 `json:"id"`
	Position *int   `json:"position"`
}

type intakeInput struct {
	Questions []intakeQuestionInput `json:"questions"`
}

func (s *Server) apiIntake(w http.ResponseWriter, r *http.Request) error {
	return apiRead(w, r, s.app.IntakeQuestions, func(qs []hearth.IntakeQuestion) intakeJSON { return intakeJSON{Questions: qs} })
}

func (s *Server) apiSetIntake(w http.ResponseWriter, r *http.Request) error {
	var in intakeInput
	slug, err := slugAndBody(r, &in)
	if err != nil {
		return err
	}
	qs := make([]hearth.IntakeQuestion, 0, len(in.Questions))
	for _, q := range in.Questions {
		qs = append(qs, hearth.IntakeQuestion{Prompt: q.Prompt, Required: q.Required})
	}
	out, err := s.app.SetIntakeQuestions(r.Context(), visitorOf(r).Actor, slug, qs)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, intakeJSON{Questions: out})
	return nil
}

type cohortsJSON struct {
	Cohorts []*cohortJSON `json:"cohorts"`
}

func (s *Server) apiCohorts(w http.ResponseWriter, r *http.Request) error {
	return apiRead(w, r, s.app.Cohorts, func(cs []*hearth.Cohort) cohortsJSON {
		out, now := cohortsJSON{Cohorts: []*cohortJSON{}}, s.app.Now()
		for _, c := range cs {
			out.Cohorts = append(out.Cohorts, newCohortJSON(c, now))
		}
		return out
	})
}

type cohortInput struct {
	Cap      int    `json:"cap"`
	Sessions int    `json:"sessions"`
	Opens    string `json:"opens"`
	Closes   string `json:"closes"`
	Starts   string `json:"starts"`
	Ends     string `json:"ends"`
}

func (s *Server) apiCreateCohort(w http.ResponseWriter, r *http.Request) error {
	var in cohortInput
	slug, err := slugAndBody(r, &in)
	if err != nil {
		return err
	}
	ctx, actor := r.Context(), visitorOf(r).Actor
	v, err := s.app.Group(ctx, actor, slug)
	if err != nil {
		return err
	}
	loc, err := time.LoadLocation(v.Group.Location.TimeZone)
	if err != nil {
		loc = time.UTC
	}
	var p hearth.Problems
	moment := func(value, field string, endOfDay bool) time.Time {
		t, ok := parseMoment(value, loc, endOfDay)
		if !ok {
			p.Add(field, "date", "Give a date like 2027-01-12, or an RFC 3339 time.", nil)
		}
		return t
	}
	c := &hearth.Cohort{Cap: in.Cap, Sessions: in.Sessions, Opens: moment(in.Opens, "opens", false), Closes: moment(in.Closes, "closes", true),
		Starts: moment(in.Starts, "starts", false), Ends: moment(in.Ends, "ends", true)}
	if err := p.Err(); err != nil {
		return err
	}
	if err := s.app.CreateCohort(ctx, actor, slug, c); err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/groups/"+slug+"/cohorts")
	writeJSON(w, http.StatusCreated, newCohortJSON(c, s.app.Now()))
	return nil
}

func (s *Server) apiEndCohort(w http.ResponseWriter, r *http.Request) error {
	slug, err := slugParam(r, "slug", "group")
	if err != nil {
		return err
	}
	id, err := pathID(r, "id", "cohort")
	if err != nil {
		return err
	}
	ctx, actor := r.Context(), visitorOf(r).Actor
	if err := s.app.EndCohort(ctx, actor, slug, id); err != nil {
		return err
	}
	cs, err := s.app.Cohorts(ctx, actor, slug)
	if err != nil {
		return err
	}
	for _, c := range cs {
		if c.ID == id {
			writeJSON(w, http.StatusOK, newCohortJSON(c, s.app.Now()))
			return nil
		}
	}
	return hearth.Errorf(hearth.NotFound, "The cohort was not found.")
}

type seatsJSON struct {
	Cap        int `json:"cap"`
	OfferHours int `json:"offer_hours"`
}

func (s *Server) apiSetSeats(w http.ResponseWriter, r *http.Request) error {
	var in seatsJSON
	slug, err := slugAndBody(r, &in)
	if err != nil {
		return err
	}
	if err := s.app.SetMembershipSettings(r.Context(), visitorOf(r).Actor, slug, hearth.MembershipSettings{Cap: in.Cap, OfferHours: in.OfferHours}); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, in)
	return nil
}
