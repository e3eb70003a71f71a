package app

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/schedule"
	"github.com/hearth-org/hearth/internal/sqldb"
	"github.com/hearth-org/hearth/internal/vault"
)

// Membership use cases: joining an open group, applying to a closed one,
// the fair waitlist with its offers, cohorts, leaving and removal. The rules
// are in the root package (membership.go); here each use case runs in one
// transaction that first locks the group, so that counting and taking seats
// and numbering the line happen one at a time (on PostgreSQL a row lock; on
// SQLite the single writer). Every step is recorded as a membership event
// and told to the person through notify in the same transaction.
// Member-written text (intake answers) and facilitators' messages and
// reasons are sealed by the vault under the group's scope; logs carry ids
// only.

// JoinRequest is what a person gives to join an open group.
type JoinRequest struct {
	Pseudonym        string
	AcceptGuidelines bool
	ShareEmail       bool // let the group's facilitators see the account's email
}

// ApplyRequest is an application to a closed group's current cohort.
type ApplyRequest struct {
	JoinRequest
	CommitSessions bool             // accepts the cohort's number of sessions
	Answers        map[int64]string // by intake question id
	// Country and Lang are the applicant's, for the helplines they are
	// shown if an answer reads as a crisis (the safety pipeline).
	Country, Lang string
}

// Decision is a facilitator's answer to an application.
type Decision struct {
	Message string // shown to the applicant on their membership page only (sealed)
	// Override lets the applicant into a cohort that has started; it needs
	// a reason, recorded for staff.
	Override       bool
	OverrideReason string
}

// Answer is one intake answer, opened for the people allowed to read it.
type Answer struct {
	Position int    `json:"position"`
	Prompt   string `json:"prompt"`
	Text     string `json:"answer"`
}

// Event is a history step with its note opened (for staff only).
type Event struct {
	sqldb.EventRow
	Note string
}

// MembershipView is a person's own standing with a group.
type MembershipView struct {
	Group      *hearth.Group
	Membership *hearth.Membership // nil: not a member (History may say why)
	Position   int                // place in line when waitlisted (1 = next)
	LineLength int
	Cohort     *hearth.Cohort // a closed group's current cohort (nil: none)
	Settings   hearth.MembershipSettings
	Decision   string   // the facilitators' message on the application
	Answers    []Answer // the person's own intake answers
	Questions  []hearth.IntakeQuestion
	History    []sqldb.EventRow // the person's own steps, newest first
	// MustAcceptGuidelines: an active member who has not accepted the
	// group's current guidelines sees no member-only things until they do.
	MustAcceptGuidelines bool
	// Mute: a moderator paused the person's posting until then, and why
	// (moderation.go); nil when not muted.
	Mute *MuteView
	Now  time.Time
}

// HasOffer reports whether the person holds a live seat offer.
func (v *MembershipView) HasOffer() bool { return v.Membership != nil && v.Membership.HasOffer(v.Now) }

// WaitlistRow is a person in line as facilitators see them.
type WaitlistRow struct {
	sqldb.MemberRow
	Position int
}

// ApplicantRow is an application with its answers opened.
type ApplicantRow struct {
	sqldb.MemberRow
	Answers []Answer
	// Mark: a moderator hid or labelled the answers (moderation.go).
	Mark SubjectMark
}

// AlumniCohort groups alumni by the cohort they took part in.
type AlumniCohort struct {
	Number  int // 0: no cohort recorded
	Members []sqldb.MemberRow
}

// MembersView is the facilitators' view of a group's people.
type MembersView struct {
	Group      *hearth.Group
	Settings   hearth.MembershipSettings
	Cohort     *hearth.Cohort // current cohort of a closed group
	Cohorts    []*hearth.Cohort
	Questions  []hearth.IntakeQuestion
	Applicants []ApplicantRow
	Leaders    []sqldb.MemberRow
	Active     []sqldb.MemberRow // members with a seat
	Waitlist   []WaitlistRow
	Alumni     []AlumniCohort
	Former     []sqldb.MemberRow // removed, banned, declined
	Events     []Event
	SeatsTaken int
	Cap        int // 0: no cap
	CanManage  bool
	Now        time.Time
}

// ---------------------------------------------------------------------------
// Seats

// seatState is a group's seats, read inside the locked transaction.
type seatState struct {
	policy   hearth.Policy
	version  int            // guidelines version
	cohort   *hearth.Cohort // closed groups: the current cohort (nil: none)
	settings hearth.MembershipSettings
	cap      int // 0: no cap (open groups only)
	taken    int // active members with a seat
	held     int // seats held by live offers
	line     []*hearth.Membership
}

// free is how many seats a newcomer or the line may take now.
func (s *seatState) free() int {
	if s.policy == hearth.Closed && s.cohort == nil {
		return 0
	}
	if s.cap == 0 {
		return math.MaxInt32
	}
	return s.cap - s.taken - s.held
}

func (a *App) seats(ctx context.Context, tx *sqldb.Tx, g *hearth.Group) (*seatState, error) {
	policy, _, version, err := tx.GroupEnrollment(ctx, g.ID)
	if err != nil {
		return nil, err
	}
	st := &seatState{policy: policy, version: version}
	if st.settings, err = tx.MembershipSettings(ctx, g.ID); err != nil {
		return nil, err
	}
	var cohortID int64
	if policy == hearth.Closed {
		if st.cohort, err = a.currentCohort(ctx, tx, g); err != nil {
			return nil, err
		}
		if st.cohort != nil {
			st.cap, cohortID = st.cohort.Cap, st.cohort.ID
		}
	} else {
		st.cap = st.settings.Cap
	}
	if st.taken, err = tx.SeatsTaken(ctx, g.ID, cohortID); err != nil {
		return nil, err
	}
	if st.line, err = tx.Line(ctx, g.ID); err != nil {
		return nil, err
	}
	now := a.now()
	for _, m := range st.line {
		if m.HasOffer(now) {
			st.held++
		}
	}
	return st, nil
}

// currentCohort returns a closed group's current cohort inside the
// transaction. The group row's enrollment terms are the one place they are
// edited (the group form, or CreateCohort which writes both): a group that
// has terms but no cohort yet gets its first cohort from them, a changed
// term is copied onto the current cohort, and terms that start after the
// last (ended) cohort begin the next one.
func (a *App) currentCohort(ctx context.Context, tx *sqldb.Tx, g *hearth.Group) (*hearth.Cohort, error) {
	policy, e, _, err := tx.GroupEnrollment(ctx, g.ID)
	if err != nil || policy != hearth.Closed {
		return nil, err
	}
	c, err := tx.CurrentCohort(ctx, g.ID)
	switch {
	case err == nil:
		changed := c.Cap != e.Cap || !c.Opens.Equal(e.Opens) || !c.Closes.Equal(e.Closes)
		if !c.Starts.Equal(e.Starts) || c.Sessions != e.Sessions {
			c.Ends, changed = a.cohortEnd(ctx, g, e.Starts, e.Sessions), true
		} else if end := a.cohortEnd(ctx, g, c.Starts, c.Sessions); end.After(c.Ends) {
			// The meetings moved later (say, to every other week): the
			// cohort lasts until its sessions are over.
			c.Ends, changed = end, true
		}
		if changed {
			c.Cap, c.Opens, c.Closes, c.Starts, c.Sessions = e.Cap, e.Opens, e.Closes, e.Starts, e.Sessions
			if err := tx.UpdateCohort(ctx, c); err != nil {
				return nil, err
			}
		}
		return c, nil
	case hearth.ErrorKind(err) != hearth.NotFound:
		return nil, err
	}
	if e.Cap == 0 || e.Starts.IsZero() || e.Sessions == 0 {
		return nil, nil
	}
	last, err := tx.LastCohort(ctx, g.ID)
	switch {
	case err == nil && !e.Starts.After(last.Starts):
		return nil, nil // the group's terms are an ended cohort's
	case err != nil && hearth.ErrorKind(err) != hearth.NotFound:
		return nil, err
	}
	c = &hearth.Cohort{GroupID: g.ID, Cap: e.Cap, Opens: e.Opens, Closes: e.Closes, Starts: e.Starts, Sessions: e.Sessions,
		Ends: a.cohortEnd(ctx, g, e.Starts, e.Sessions)}
	if err := tx.InsertCohort(ctx, c); err != nil {
		return nil, err
	}
	if err := tx.AddEvent(ctx, &hearth.MembershipEvent{GroupID: g.ID, Kind: hearth.EventCohortCreated, CohortID: c.ID}); err != nil {
		return nil, err
	}
	return c, nil
}

// settle records the seats taken on the group row and offers free seats to
// the line, first come first served. Nobody new is offered a seat in a
// cohort that has started.
func (a *App) settle(ctx context.Context, tx *sqldb.Tx, g *hearth.Group) error {
	st, err := a.seats(ctx, tx, g)
	if err != nil {
		return err
	}
	if err := tx.SetSeatCount(ctx, g.ID, st.taken); err != nil {
		return err
	}
	now := a.now().UTC().Truncate(time.Second)
	free := st.free()
	if free <= 0 || (st.cohort != nil && st.cohort.Started(now)) {
		return nil
	}
	for i, m := range st.line {
		if free <= 0 {
			break
		}
		if !m.OfferExpires.IsZero() {
			continue // holds an offer, or one that lapsed and the chore will clear
		}
		m.OfferExpires = now.Add(time.Duration(st.settings.OfferHours) * time.Hour)
		if err := tx.SaveMembership(ctx, m); err != nil {
			return err
		}
		e := &hearth.MembershipEvent{GroupID: g.ID, MembershipID: m.ID, UserID: m.UserID, Kind: hearth.EventOffered, Status: m.Status,
			CohortID: cohortOf(st), Position: i + 1, OfferExpires: m.OfferExpires}
		if err := tx.AddEvent(ctx, e); err != nil {
			return err
		}
		if err := a.tell(ctx, tx, m.UserID, NoticeWaitlistOffer, g, e, m.OfferExpires); err != nil {
			return err
		}
		a.log.Info("seat offered", "group_id", g.ID, "membership_id", m.ID, "event_id", e.ID)
		free--
	}
	return nil
}

func cohortOf(st *seatState) int64 {
	if st.cohort == nil {
		return 0
	}
	return st.cohort.ID
}

// queue puts a membership at the back of the line.
func (a *App) queue(ctx context.Context, tx *sqldb.Tx, m *hearth.Membership) error {
	seq, err := tx.NextWaitlistSeq(ctx, m.GroupID)
	if err != nil {
		return err
	}
	now := a.now().UTC().Truncate(time.Second)
	m.Status, m.WaitlistSeq, m.WaitlistedAt, m.OfferExpires, m.StatusAt = hearth.StatusWaitlisted, seq, now, time.Time{}, now
	return nil
}

// tell sends a notice about an event (its id makes the notice happen once).
func (a *App) tell(ctx context.Context, tx *sqldb.Tx, userID int64, kind string, g *hearth.Group, e *hearth.MembershipEvent, at time.Time) error {
	link := "/groups/" + g.Slug + "/membership"
	if kind == NoticeApplicationReceived {
		link = "/groups/" + g.Slug + "/members"
	}
	return a.notify(ctx, tx, Notice{UserID: userID, Kind: kind, GroupID: g.ID, Key: fmt.Sprintf("membership_event:%d", e.ID), Link: link, At: at})
}

// note seals a facilitator's note onto an event, bound to the event's row.
func (a *App) note(ctx context.Context, tx *sqldb.Tx, g *hearth.Group, e *hearth.MembershipEvent, text string) error {
	text = strings.TrimSpace(text)
	if text == "" {
		return nil
	}
	sealed, err := a.vault.SealString(ctx, vault.GroupScope(g.ID), eventAD(e.ID), text)
	if err != nil {
		return err
	}
	e.SealedNote = sealed
	return tx.SetEventNote(ctx, e.ID, sealed)
}

// seatTx runs f in one transaction that first locks the group's row, so
// that steps deciding a group's seats happen one at a time.
func (a *App) seatTx(ctx context.Context, g *hearth.Group, f func(tx *sqldb.Tx) error) error {
	return a.db.InTx(ctx, func(tx *sqldb.Tx) error {
		if err := tx.LockGroup(ctx, g.ID); err != nil {
			return err
		}
		return f(tx)
	})
}

// record stores a membership step, seals a staff note onto it (when note
// is not empty), tells the person it is about (when notice is set), and
// offers any seat the step freed to the line.
func (a *App) record(ctx context.Context, tx *sqldb.Tx, g *hearth.Group, e *hearth.MembershipEvent, note, notice string) error {
	if err := tx.AddEvent(ctx, e); err != nil {
		return err
	}
	if err := a.note(ctx, tx, g, e, note); err != nil {
		return err
	}
	if notice != "" {
		if err := a.tell(ctx, tx, e.UserID, notice, g, e, time.Time{}); err != nil {
			return err
		}
	}
	return a.settle(ctx, tx, g)
}

// sealDecision seals a facilitator's message to an applicant onto the
// membership (nil when there is none).
func (a *App) sealDecision(ctx context.Context, g *hearth.Group, m *hearth.Membership, message string) error {
	m.SealedDecision = nil
	msg := strings.TrimSpace(message)
	if msg == "" {
		return nil
	}
	var err error
	m.SealedDecision, err = a.vault.SealString(ctx, vault.GroupScope(g.ID), decisionAD(m.ID), msg)
	return err
}

func eventAD(id int64) string   { return fmt.Sprintf("membership_event_note:event=%d", id) }
func decisionAD(m int64) string { return fmt.Sprintf("membership_decision:membership=%d", m) }
func answerAD(m int64, pos int) string {
	return fmt.Sprintf("intake_answer:membership=%d:position=%d", m, pos)
}

// ---------------------------------------------------------------------------
// Loading

func (a *App) seenGroup(ctx context.Context, actor hearth.Actor, slug string) (*hearth.Group, error) {
	g, err := a.db.GroupBySlug(ctx, slug)
	if err != nil {
		return nil, err
	}
	if !actor.CanSeeGroup(g) {
		return nil, hearth.Errorf(hearth.NotFound, "The group was not found.")
	}
	return g, nil
}

func (a *App) leadGroup(ctx context.Context, actor hearth.Actor, slug string) (*hearth.Group, error) {
	if !actor.SignedIn() {
		return nil, hearth.Errorf(hearth.Unauthorized, "Please sign in.")
	}
	return a.groupAllowed(ctx, actor, slug, actor.CanEditGroup, "Only the group's facilitators and its organization's administrators can do this.")
}

// ownStep runs one of the actor's own steps on their membership of a
// group (a private group is visible to its members), in a seat
// transaction. It returns the group.
func (a *App) ownStep(ctx context.Context, actor hearth.Actor, slug string, step func(tx *sqldb.Tx, g *hearth.Group, m *hearth.Membership) error) (*hearth.Group, error) {
	if !actor.SignedIn() {
		return nil, hearth.Errorf(hearth.Unauthorized, "Please sign in.")
	}
	g, err := a.visibleGroupForMember(ctx, actor, slug)
	if err != nil {
		return nil, err
	}
	return g, a.seatTx(ctx, g, func(tx *sqldb.Tx) error {
		m, err := a.ownMembership(ctx, tx, g, actor)
		if err != nil {
			return err
		}
		return step(tx, g, m)
	})
}

// leadStep runs a facilitator's step on one membership of their group:
// validate checks the input once the actor may act, the group's vault key
// is made ready (decisions and reasons are sealed), then step runs in a
// seat transaction. It returns the group.
func (a *App) leadStep(ctx context.Context, actor hearth.Actor, slug string, membershipID int64, validate func() error,
	step func(tx *sqldb.Tx, g *hearth.Group, m *hearth.Membership) error) (*hearth.Group, error) {
	g, err := a.leadGroup(ctx, actor, slug)
	if err != nil {
		return nil, err
	}
	if err := validate(); err != nil {
		return nil, err
	}
	if err := a.vault.EnsureKey(ctx, vault.GroupScope(g.ID)); err != nil {
		return nil, err
	}
	return g, a.seatTx(ctx, g, func(tx *sqldb.Tx) error {
		m, err := tx.MembershipByID(ctx, g.ID, membershipID)
		if err != nil {
			return err
		}
		return step(tx, g, m)
	})
}

// awaitingDecision refuses a decision on anything but a pending
// application.
func awaitingDecision(m *hearth.Membership) error {
	if m.Status != hearth.StatusApplicant {
		return hearth.Coded(hearth.Conflict, "not_applicant", "Only an application waiting for a decision can be approved or declined.")
	}
	return nil
}

// existingMembershipError explains why someone who already has a
// membership cannot join or apply again.
func existingMembershipError(m *hearth.Membership) error {
	switch m.Status {
	case hearth.StatusBanned:
		return hearth.Coded(hearth.Forbidden, "banned", "You cannot join this group.")
	case hearth.StatusRemoved:
		return hearth.Coded(hearth.Forbidden, "removed", "You were removed from this group. If you think this was a mistake, contact its facilitators.")
	case hearth.StatusApplicant:
		return hearth.Coded(hearth.Conflict, "already_applied", "You have already applied to this group; the facilitators will answer you here.")
	case hearth.StatusWaitlisted:
		return hearth.Coded(hearth.Conflict, "already_waitlisted", "You are already on this group's waiting list.")
	}
	return hearth.Coded(hearth.Conflict, "already_member", "You already belong to this group.")
}

// declined reports whether a membership is a declined application (kept
// as removed so the applicant can read the message; they may apply again),
// not a removal.
func declined(m *hearth.Membership) bool {
	return m.Status == hearth.StatusRemoved && !m.DecidedAt.IsZero()
}

// checkJoin validates what joining and applying share.
func checkJoin(p *hearth.Problems, req *JoinRequest) {
	req.Pseudonym = hearth.NormalizePseudonym(req.Pseudonym)
	if err := hearth.ValidatePseudonym(req.Pseudonym); err != nil {
		*p = append(*p, hearth.AsError(err).Fields...)
	}
	if !req.AcceptGuidelines {
		p.Add("accept_guidelines", "required", "Please read the group's guidelines and confidentiality agreement, and tick the box to accept them.", nil)
	}
}

// ---------------------------------------------------------------------------
// Joining and applying

// Join makes the actor a member of an open group under a pseudonym, after
// they accepted its current guidelines: at once when a seat is free and
// nobody is waiting, otherwise at the back of the line.
func (a *App) Join(ctx context.Context, actor hearth.Actor, slug string, req JoinRequest) (*hearth.Membership, error) {
	if !actor.SignedIn() {
		return nil, hearth.Coded(hearth.Unauthorized, "sign_in_to_join", "Sign in or create an account to join a group.")
	}
	g, err := a.seenGroup(ctx, actor, slug)
	if err != nil {
		return nil, err
	}
	if g.Policy != hearth.Open {
		return nil, hearth.Coded(hearth.Conflict, "closed_group", "This group enrolls a cohort through an application: apply instead.")
	}
	var p hearth.Problems
	checkJoin(&p, &req)
	if err := p.Err(); err != nil {
		return nil, err
	}
	var m *hearth.Membership
	err = a.seatTx(ctx, g, func(tx *sqldb.Tx) error {
		if err := a.refuseOrgBanned(ctx, tx, g, actor.UserID); err != nil { // moderation.go
			return err
		}
		old, err := tx.Membership(ctx, g.ID, actor.UserID)
		if err == nil {
			return existingMembershipError(old)
		} else if hearth.ErrorKind(err) != hearth.NotFound {
			return err
		}
		st, err := a.seats(ctx, tx, g)
		if err != nil {
			return err
		}
		m = &hearth.Membership{GroupID: g.ID, UserID: actor.UserID, Role: hearth.RoleMember, Status: hearth.StatusActive,
			Pseudonym: req.Pseudonym, GuidelinesVersion: st.version, ShareEmail: req.ShareEmail}
		seated := st.free() > 0 && len(st.line) == 0
		if !seated {
			if err := a.queue(ctx, tx, m); err != nil {
				return err
			}
		}
		if err := tx.InsertMembership(ctx, m); err != nil {
			return err
		}
		e := &hearth.MembershipEvent{GroupID: g.ID, MembershipID: m.ID, UserID: m.UserID, ActorID: actor.UserID, Kind: hearth.EventJoined, Status: m.Status}
		notice := ""
		if !seated {
			e.Kind, e.Position, notice = hearth.EventWaitlisted, len(st.line)+1, NoticeWaitlistJoined
		}
		return a.record(ctx, tx, g, e, "", notice)
	})
	if err != nil {
		return nil, err
	}
	a.reindexGroup(ctx, g.ID)
	a.log.Info("member joined group", "group_id", g.ID, "membership_id", m.ID, "status", m.Status)
	return m, nil
}

// Apply sends an application to a closed group's current cohort: a
// pseudonym, the answers to the group's intake questions (sealed), the
// commitment to the cohort's sessions and the accepted guidelines. A
// declined applicant, or an alumna of an earlier cohort, may apply again.
// Every answer passes through the safety pipeline (see safety.go): an
// answer that reads as a crisis is stored all the same and alerts the
// group's facilitators; ApplyWithSupport also returns the help to show the
// applicant.
func (a *App) Apply(ctx context.Context, actor hearth.Actor, slug string, req ApplyRequest) (*hearth.Membership, error) {
	return a.apply(ctx, actor, slug, req, nil)
}

// ApplyWithSupport is Apply, also returning what the applicant is shown at
// once when an answer reads as a crisis (nil otherwise).
func (a *App) ApplyWithSupport(ctx context.Context, actor hearth.Actor, slug string, req ApplyRequest) (*hearth.Membership, *Support, error) {
	var sup *Support
	m, err := a.apply(ctx, actor, slug, req, &sup)
	return m, sup, err
}

func (a *App) apply(ctx context.Context, actor hearth.Actor, slug string, req ApplyRequest, support **Support) (*hearth.Membership, error) {
	if !actor.SignedIn() {
		return nil, hearth.Coded(hearth.Unauthorized, "sign_in_to_join", "Sign in or create an account to apply.")
	}
	g, err := a.seenGroup(ctx, actor, slug)
	if err != nil {
		return nil, err
	}
	if g.Policy != hearth.Closed {
		return nil, hearth.Coded(hearth.Conflict, "open_group", "This group is open: join it directly, no application needed.")
	}
	questions, err := a.db.IntakeQuestions(ctx, g.ID)
	if err != nil {
		return nil, err
	}
	var p hearth.Problems
	checkJoin(&p, &req.JoinRequest)
	if !req.CommitSessions {
		p.Add("commit_sessions", "required", "Please confirm that you will come to the cohort's sessions.", nil)
	}
	answers := map[int64]string{}
	for id, text := range req.Answers {
		answers[id] = strings.TrimSpace(text)
	}
	if err := hearth.ValidateAnswers(questions, answers); err != nil {
		p = append(p, hearth.AsError(err).Fields...)
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	// The safety pipeline reads every answer before anything is stored.
	screened := map[int64]Screened{}
	for _, q := range questions {
		if text := answers[q.ID]; text != "" {
			s, err := a.screen(ctx, Writing{AuthorID: actor.UserID, GroupID: g.ID, Kind: WritingIntakeAnswer, Text: text, Country: req.Country, Lang: req.Lang})
			if err != nil {
				return nil, err
			}
			screened[q.ID] = s
		}
	}
	// A muted member writes nothing into the group (moderation.go).
	if err := a.refuseMuted(ctx, g, actor.UserID); err != nil {
		return nil, err
	}
	var m *hearth.Membership
	err = a.seatTx(ctx, g, func(tx *sqldb.Tx) error {
		if err := a.refuseOrgBanned(ctx, tx, g, actor.UserID); err != nil {
			return err
		}
		old, err := tx.Membership(ctx, g.ID, actor.UserID)
		switch {
		case err == nil:
			if old.Status != hearth.StatusAlumni && !declined(old) {
				return existingMembershipError(old)
			}
		case hearth.ErrorKind(err) != hearth.NotFound:
			return err
		default:
			old = nil
		}
		st, err := a.seats(ctx, tx, g)
		if err != nil {
			return err
		}
		now := a.now()
		if st.cohort == nil || !st.cohort.Enrolling(now) {
			return notEnrolling(st.cohort, now)
		}
		if old != nil {
			m = old
			m.Pseudonym, m.ShareEmail = req.Pseudonym, req.ShareEmail
		} else {
			m = &hearth.Membership{GroupID: g.ID, UserID: actor.UserID, Role: hearth.RoleMember, Pseudonym: req.Pseudonym, ShareEmail: req.ShareEmail}
		}
		m.Status, m.StatusAt, m.GuidelinesVersion = hearth.StatusApplicant, now.UTC().Truncate(time.Second), st.version
		m.CohortID, m.CommittedSessions = st.cohort.ID, st.cohort.Sessions
		m.DecidedAt, m.SealedDecision, m.WaitlistSeq, m.WaitlistedAt, m.OfferExpires = time.Time{}, nil, 0, time.Time{}, time.Time{}
		if old != nil {
			err = tx.SaveMembership(ctx, m)
		} else {
			err = tx.InsertMembership(ctx, m)
		}
		if err != nil {
			return err
		}
		var sealed []sqldb.SealedAnswer
		var all []Screened
		for _, q := range questions {
			s, ok := screened[q.ID]
			if !ok {
				continue
			}
			all = append(all, s)
			b, err := a.sealWriting(ctx, s, answerAD(m.ID, q.Position))
			if err != nil {
				return err
			}
			sealed = append(sealed, sqldb.SealedAnswer{MembershipID: m.ID, Position: q.Position, Prompt: q.Prompt, Sealed: b})
		}
		if err := tx.PutIntakeAnswers(ctx, m.ID, sealed); err != nil {
			return err
		}
		e := &hearth.MembershipEvent{GroupID: g.ID, MembershipID: m.ID, UserID: m.UserID, ActorID: actor.UserID, Kind: hearth.EventApplied,
			Status: m.Status, CohortID: m.CohortID}
		if err := tx.AddEvent(ctx, e); err != nil {
			return err
		}
		leaders, err := tx.GroupLeaders(ctx, g.ID)
		if err != nil {
			return err
		}
		if len(leaders) == 0 { // nobody leads it yet: its organization's admins decide
			admins, err := a.db.OrgAdmins(ctx, g.OrgID)
			if err != nil {
				return err
			}
			for _, u := range admins {
				leaders = append(leaders, u.ID)
			}
		}
		for _, id := range leaders {
			if err := a.notify(ctx, tx, Notice{UserID: id, Kind: NoticeApplicationReceived, GroupID: g.ID,
				Key: fmt.Sprintf("membership_event:%d", e.ID), Link: "/groups/" + g.Slug + "/members"}); err != nil {
				return err
			}
		}
		sup, err := a.followUp(ctx, tx, g, m.ID, all...)
		if support != nil {
			*support = sup
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	a.log.Info("application received", "group_id", g.ID, "membership_id", m.ID)
	return m, nil
}

func notEnrolling(c *hearth.Cohort, now time.Time) error {
	switch {
	case c != nil && now.Before(c.Opens):
		return &hearth.Error{Kind: hearth.Conflict, Code: "not_enrolling_yet", Message: fmt.Sprintf("Enrollment for the next cohort opens on %s.", c.Opens.Format("2006-01-02")),
			Fields: []hearth.FieldError{{Field: "cohort", Code: "opens_later", Message: "Enrollment has not opened yet.", Params: map[string]any{"Date": c.Opens.Format("2006-01-02")}}}}
	}
	return hearth.Coded(hearth.Conflict, "not_enrolling", "This group is not enrolling right now. Contact its facilitators to hear about the next cohort.")
}

// ---------------------------------------------------------------------------
// Decisions, removal

// Approve admits an applicant to the current cohort: into a seat when one
// is free and nobody is waiting, otherwise to the back of the line (in the
// order of approval). Once the cohort has started only an override, with a
// reason, lets anyone in; it is recorded.
func (a *App) Approve(ctx context.Context, actor hearth.Actor, slug string, membershipID int64, d Decision) (*hearth.Membership, error) {
	var m *hearth.Membership
	validate := func() error {
		var p hearth.Problems
		if err := hearth.ValidateNote("message", d.Message, false, hearth.MaxDecisionLen); err != nil {
			p = append(p, hearth.AsError(err).Fields...)
		}
		if err := hearth.ValidateNote("override_reason", d.OverrideReason, d.Override, hearth.MaxReasonLen); err != nil {
			p = append(p, hearth.AsError(err).Fields...)
		}
		return p.Err()
	}
	g, err := a.leadStep(ctx, actor, slug, membershipID, validate, func(tx *sqldb.Tx, g *hearth.Group, pending *hearth.Membership) error {
		m = pending
		if err := awaitingDecision(m); err != nil {
			return err
		}
		st, err := a.seats(ctx, tx, g)
		if err != nil {
			return err
		}
		now := a.now().UTC().Truncate(time.Second)
		if st.cohort == nil {
			return hearth.Coded(hearth.Conflict, "no_cohort", "There is no cohort to join: set up the next cohort first.")
		}
		if st.cohort.Started(now) {
			if !d.Override {
				return &hearth.Error{Kind: hearth.Conflict, Code: "cohort_started", Message: "This cohort has started, so nobody new joins it unless you override and say why.",
					Fields: []hearth.FieldError{{Field: "override", Code: "cohort_started", Message: "The cohort has started: tick override and say why to let this person in."}}}
			}
			e := &hearth.MembershipEvent{GroupID: g.ID, MembershipID: m.ID, UserID: m.UserID, ActorID: actor.UserID, Kind: hearth.EventOverride,
				Status: m.Status, CohortID: st.cohort.ID}
			if err := tx.AddEvent(ctx, e); err != nil {
				return err
			}
			if err := a.note(ctx, tx, g, e, d.OverrideReason); err != nil {
				return err
			}
		}
		// The sessions they accepted when applying stay on record, even if
		// they are admitted to a later cohort than the one they applied to.
		m.CohortID = st.cohort.ID
		if m.CommittedSessions == 0 {
			m.CommittedSessions = st.cohort.Sessions
		}
		m.DecidedAt = now
		if err := a.sealDecision(ctx, g, m, d.Message); err != nil {
			return err
		}
		seated := st.free() > 0 && len(st.line) == 0
		if seated {
			m.Status, m.StatusAt = hearth.StatusActive, now
		} else if err := a.queue(ctx, tx, m); err != nil {
			return err
		}
		if err := tx.SaveMembership(ctx, m); err != nil {
			return err
		}
		e := &hearth.MembershipEvent{GroupID: g.ID, MembershipID: m.ID, UserID: m.UserID, ActorID: actor.UserID, Kind: hearth.EventApproved,
			Status: m.Status, CohortID: st.cohort.ID}
		if seated {
			return a.record(ctx, tx, g, e, "", NoticeApplicationApproved)
		}
		if err := tx.AddEvent(ctx, e); err != nil {
			return err
		}
		e = &hearth.MembershipEvent{GroupID: g.ID, MembershipID: m.ID, UserID: m.UserID, ActorID: actor.UserID, Kind: hearth.EventWaitlisted,
			Status: m.Status, CohortID: st.cohort.ID, Position: len(st.line) + 1}
		return a.record(ctx, tx, g, e, "", NoticeWaitlistJoined)
	})
	if err != nil {
		return nil, err
	}
	a.reindexGroup(ctx, g.ID)
	a.log.Info("application approved", "group_id", g.ID, "membership_id", m.ID, "status", m.Status, "by", actor.UserID)
	return m, nil
}

// Decline answers an application with no: the applicant reads the
// facilitators' message on their membership page (never in an email); the
// answers are deleted, no longer needed. They may apply again later.
func (a *App) Decline(ctx context.Context, actor hearth.Actor, slug string, membershipID int64, message string) error {
	validate := func() error { return hearth.ValidateNote("message", message, false, hearth.MaxDecisionLen) }
	g, err := a.leadStep(ctx, actor, slug, membershipID, validate, func(tx *sqldb.Tx, g *hearth.Group, m *hearth.Membership) error {
		if err := awaitingDecision(m); err != nil {
			return err
		}
		now := a.now().UTC().Truncate(time.Second)
		m.Status, m.StatusAt, m.DecidedAt = hearth.StatusRemoved, now, now
		if err := a.sealDecision(ctx, g, m, message); err != nil {
			return err
		}
		if err := tx.SaveMembership(ctx, m); err != nil {
			return err
		}
		if err := tx.PutIntakeAnswers(ctx, m.ID, nil); err != nil {
			return err
		}
		e := &hearth.MembershipEvent{GroupID: g.ID, MembershipID: m.ID, UserID: m.UserID, ActorID: actor.UserID, Kind: hearth.EventDeclined,
			Status: m.Status, CohortID: m.CohortID}
		if err := tx.AddEvent(ctx, e); err != nil {
			return err
		}
		return a.tell(ctx, tx, m.UserID, NoticeApplicationDeclined, g, e, time.Time{})
	})
	if err != nil {
		return err
	}
	a.log.Info("application declined", "group_id", g.ID, "membership_id", membershipID, "by", actor.UserID)
	return nil
}

// RemoveMember removes (or bans) someone from a group, with a reason
// recorded for staff (sealed). A banned person cannot come back; a removed
// one cannot rejoin by themselves. Only the organization's administrators
// remove a facilitator. The freed seat goes to the line.
func (a *App) RemoveMember(ctx context.Context, actor hearth.Actor, slug string, membershipID int64, reason string, ban bool) error {
	to, kind := hearth.StatusRemoved, hearth.EventRemoved
	if ban {
		to, kind = hearth.StatusBanned, hearth.EventBanned
	}
	validate := func() error { return hearth.ValidateNote("reason", reason, true, hearth.MaxReasonLen) }
	g, err := a.leadStep(ctx, actor, slug, membershipID, validate, func(tx *sqldb.Tx, g *hearth.Group, m *hearth.Membership) error {
		if m.UserID == actor.UserID {
			return hearth.Coded(hearth.Conflict, "self", "You cannot remove yourself; use Leave this group instead.")
		}
		if m.Role != hearth.RoleMember && !actor.AdministersOrg(g.OrgID) {
			return hearth.Coded(hearth.Forbidden, "forbidden", "Only the organization's administrators can remove a facilitator.")
		}
		if !m.Status.CanBecome(to) {
			return hearth.Coded(hearth.Conflict, "status", fmt.Sprintf("This person is %s; they cannot be %s.", m.Status, to))
		}
		now := a.now().UTC().Truncate(time.Second)
		// DecidedAt stays set only on a declined application (declined()).
		m.Status, m.StatusAt, m.OfferExpires, m.WaitlistSeq, m.DecidedAt, m.SealedDecision = to, now, time.Time{}, 0, time.Time{}, nil
		if err := tx.SaveMembership(ctx, m); err != nil {
			return err
		}
		if err := tx.PutIntakeAnswers(ctx, m.ID, nil); err != nil {
			return err
		}
		a.evictFromRooms(tx, g.ID, m.UserID)
		e := &hearth.MembershipEvent{GroupID: g.ID, MembershipID: m.ID, UserID: m.UserID, ActorID: actor.UserID, Kind: kind, Status: to, CohortID: m.CohortID}
		return a.record(ctx, tx, g, e, reason, NoticeRemoved)
	})
	if err != nil {
		return err
	}
	a.reindexGroup(ctx, g.ID)
	a.log.Info("member removed", "group_id", g.ID, "membership_id", membershipID, "ban", ban, "by", actor.UserID)
	return nil
}

// ---------------------------------------------------------------------------
// A member's own actions

// ownMembership loads the actor's membership for an action on it.
func (a *App) ownMembership(ctx context.Context, tx *sqldb.Tx, g *hearth.Group, actor hearth.Actor) (*hearth.Membership, error) {
	m, err := tx.Membership(ctx, g.ID, actor.UserID)
	if hearth.ErrorKind(err) == hearth.NotFound {
		return nil, hearth.Coded(hearth.NotFound, "not_member", "You are not a member of this group.")
	}
	return m, err
}

// Leave ends the actor's membership at once: the membership and what they
// wrote with it (intake answers) are deleted and the pseudonym is freed; a
// seat they held goes to the line. The history keeps that a former member
// left, without their name. Removed and banned people cannot leave (that
// would undo the removal).
func (a *App) Leave(ctx context.Context, actor hearth.Actor, slug string) error {
	var id int64
	g, err := a.ownStep(ctx, actor, slug, func(tx *sqldb.Tx, g *hearth.Group, m *hearth.Membership) error {
		id = m.ID
		if m.Status == hearth.StatusRemoved && !declined(m) || m.Status == hearth.StatusBanned {
			return hearth.Coded(hearth.Conflict, "not_member", "You are not a member of this group.")
		}
		if m.Leads() {
			leaders, err := tx.GroupLeaders(ctx, g.ID)
			if err != nil {
				return err
			}
			if len(leaders) <= 1 {
				return hearth.Coded(hearth.Conflict, "last_facilitator", "You are this group's only facilitator. Ask the organization to appoint another before you leave.")
			}
		}
		if err := tx.DeleteMembership(ctx, g.ID, m.ID); err != nil {
			return err
		}
		a.evictFromRooms(tx, g.ID, m.UserID)
		e := &hearth.MembershipEvent{GroupID: g.ID, MembershipID: m.ID, UserID: m.UserID, ActorID: actor.UserID, Kind: hearth.EventLeft, CohortID: m.CohortID}
		return a.record(ctx, tx, g, e, "", "")
	})
	if err != nil {
		return err
	}
	a.reindexGroup(ctx, g.ID)
	a.log.Info("member left group", "group_id", g.ID, "membership_id", id)
	return nil
}

// visibleGroupForMember loads a group for its own member: a private group
// is visible to its members, whatever their status.
func (a *App) visibleGroupForMember(ctx context.Context, actor hearth.Actor, slug string) (*hearth.Group, error) {
	g, err := a.db.GroupBySlug(ctx, slug)
	if err != nil {
		return nil, err
	}
	if actor.CanSeeGroup(g) {
		return g, nil
	}
	if _, err := a.db.Membership(ctx, g.ID, actor.UserID); err == nil {
		return g, nil
	}
	return nil, hearth.Errorf(hearth.NotFound, "The group was not found.")
}

// AcceptOffer takes the seat a waitlist offer holds, before it expires.
func (a *App) AcceptOffer(ctx context.Context, actor hearth.Actor, slug string) (*hearth.Membership, error) {
	var m *hearth.Membership
	g, err := a.ownStep(ctx, actor, slug, func(tx *sqldb.Tx, g *hearth.Group, own *hearth.Membership) error {
		m = own
		now := a.now().UTC().Truncate(time.Second)
		switch {
		case m.Status != hearth.StatusWaitlisted || m.OfferExpires.IsZero():
			return hearth.Coded(hearth.Conflict, "no_offer", "You have no seat offer to accept.")
		case !m.HasOffer(now):
			return hearth.Coded(hearth.Conflict, "offer_expired", "This offer has expired, so the seat has passed to the next person in line. You can join the waiting list again.")
		}
		st, err := a.seats(ctx, tx, g)
		if err != nil {
			return err
		}
		if st.cohort != nil {
			m.CohortID = st.cohort.ID
			if m.CommittedSessions == 0 {
				m.CommittedSessions = st.cohort.Sessions
			}
		}
		m.Status, m.StatusAt, m.OfferExpires, m.WaitlistSeq = hearth.StatusActive, now, time.Time{}, 0
		if err := tx.SaveMembership(ctx, m); err != nil {
			return err
		}
		e := &hearth.MembershipEvent{GroupID: g.ID, MembershipID: m.ID, UserID: m.UserID, ActorID: actor.UserID, Kind: hearth.EventOfferAccepted,
			Status: m.Status, CohortID: m.CohortID}
		return a.record(ctx, tx, g, e, "", NoticeSeatConfirmed)
	})
	if err != nil {
		return nil, err
	}
	a.reindexGroup(ctx, g.ID)
	a.log.Info("seat offer accepted", "group_id", g.ID, "membership_id", m.ID)
	return m, nil
}

// DeclineOffer turns a seat offer down: the person leaves the line (their
// membership is deleted) and the seat is offered to the next in line.
func (a *App) DeclineOffer(ctx context.Context, actor hearth.Actor, slug string) error {
	g, err := a.ownStep(ctx, actor, slug, func(tx *sqldb.Tx, g *hearth.Group, m *hearth.Membership) error {
		if m.Status != hearth.StatusWaitlisted || m.OfferExpires.IsZero() {
			return hearth.Coded(hearth.Conflict, "no_offer", "You have no seat offer to decline.")
		}
		if err := tx.DeleteMembership(ctx, g.ID, m.ID); err != nil {
			return err
		}
		e := &hearth.MembershipEvent{GroupID: g.ID, MembershipID: m.ID, UserID: m.UserID, ActorID: actor.UserID, Kind: hearth.EventOfferDeclined, CohortID: m.CohortID}
		return a.record(ctx, tx, g, e, "", "")
	})
	if err != nil {
		return err
	}
	a.log.Info("seat offer declined", "group_id", g.ID, "user_id", actor.UserID)
	return nil
}

// AcceptGuidelines records that an active member accepted the group's
// current guidelines (after they changed).
func (a *App) AcceptGuidelines(ctx context.Context, actor hearth.Actor, slug string, accepted bool) error {
	if !actor.SignedIn() {
		return hearth.Errorf(hearth.Unauthorized, "Please sign in.")
	}
	if !accepted {
		var p hearth.Problems
		p.Add("accept_guidelines", "required", "Please read the group's guidelines and confidentiality agreement, and tick the box to accept them.", nil)
		return p.Err()
	}
	_, err := a.ownStep(ctx, actor, slug, func(tx *sqldb.Tx, g *hearth.Group, m *hearth.Membership) error {
		_, _, version, err := tx.GroupEnrollment(ctx, g.ID)
		if err != nil {
			return err
		}
		if m.GuidelinesVersion >= version {
			return nil
		}
		m.GuidelinesVersion = version
		if err := tx.SaveMembership(ctx, m); err != nil {
			return err
		}
		return tx.AddEvent(ctx, &hearth.MembershipEvent{GroupID: g.ID, MembershipID: m.ID, UserID: m.UserID, ActorID: actor.UserID,
			Kind: hearth.EventGuidelines, Status: m.Status})
	})
	return err
}

// SetContactSharing lets a member share (or stop sharing) their account's
// email with the group's facilitators.
func (a *App) SetContactSharing(ctx context.Context, actor hearth.Actor, slug string, share bool) error {
	_, err := a.ownStep(ctx, actor, slug, func(tx *sqldb.Tx, _ *hearth.Group, m *hearth.Membership) error {
		m.ShareEmail = share
		return tx.SaveMembership(ctx, m)
	})
	return err
}

// MyMembership returns the actor's standing with a group: status, place in
// line, offer and its deadline, the facilitators' message, their own
// answers and history.
func (a *App) MyMembership(ctx context.Context, actor hearth.Actor, slug string) (*MembershipView, error) {
	if !actor.SignedIn() {
		return nil, hearth.Errorf(hearth.Unauthorized, "Please sign in.")
	}
	g, err := a.visibleGroupForMember(ctx, actor, slug)
	if err != nil {
		return nil, err
	}
	v := &MembershipView{Group: g, Now: a.now()}
	if v.Settings, err = a.db.MembershipSettings(ctx, g.ID); err != nil {
		return nil, err
	}
	if g.Policy == hearth.Closed {
		c, err := a.db.CurrentCohort(ctx, g.ID)
		switch {
		case err == nil:
			v.Cohort = c
		case hearth.ErrorKind(err) != hearth.NotFound:
			return nil, err
		}
		if v.Questions, err = a.db.IntakeQuestions(ctx, g.ID); err != nil {
			return nil, err
		}
	}
	if v.History, err = a.db.MembershipEvents(ctx, g.ID, actor.UserID, 50); err != nil {
		return nil, err
	}
	m, err := a.db.Membership(ctx, g.ID, actor.UserID)
	switch {
	case hearth.ErrorKind(err) == hearth.NotFound:
		return v, nil
	case err != nil:
		return nil, err
	}
	v.Membership = m
	v.MustAcceptGuidelines = m.MustAcceptGuidelines(g)
	if v.Mute, err = a.MyMute(ctx, g, actor.UserID); err != nil {
		return nil, err
	}
	if m.Status == hearth.StatusWaitlisted {
		if v.Position, err = a.db.LinePosition(ctx, m); err != nil {
			return nil, err
		}
		line, err := a.db.Line(ctx, g.ID)
		if err != nil {
			return nil, err
		}
		v.LineLength = len(line)
	}
	scope := vault.GroupScope(g.ID)
	if len(m.SealedDecision) > 0 {
		if v.Decision, err = a.vault.OpenString(ctx, scope, decisionAD(m.ID), m.SealedDecision); err != nil {
			return nil, err
		}
	}
	if v.Answers, err = a.openAnswers(ctx, g.ID, []int64{m.ID}, m.ID); err != nil {
		return nil, err
	}
	return v, nil
}

func (a *App) openAnswers(ctx context.Context, groupID int64, ids []int64, id int64) ([]Answer, error) {
	all, err := a.db.IntakeAnswers(ctx, ids)
	if err != nil {
		return nil, err
	}
	var out []Answer
	for _, s := range all[id] {
		text, err := a.vault.OpenString(ctx, vault.GroupScope(groupID), answerAD(s.MembershipID, s.Position), s.Sealed)
		if err != nil {
			return nil, fmt.Errorf("open answer of membership %d: %w", s.MembershipID, err)
		}
		out = append(out, Answer{Position: s.Position, Prompt: s.Prompt, Text: text})
	}
	return out, nil
}

// ---------------------------------------------------------------------------
// What other use cases ask

// Standing is what a person may do in a group, for the meetings and other
// member-only things.
type Standing struct {
	Active               bool // an active member (any role)
	Leads                bool // an active facilitator or co-facilitator
	MustAcceptGuidelines bool // must accept the current guidelines first
}

// MaySeeMemberOnly reports whether the person sees member-only things now
// (meeting links, RSVP as a member): active, and the current guidelines
// accepted. Facilitators are never held back by a guidelines change they made.
func (s Standing) MaySeeMemberOnly() bool { return s.Active && (s.Leads || !s.MustAcceptGuidelines) }

// MemberStanding returns a person's standing with a group (the zero
// Standing for no membership).
func (a *App) MemberStanding(ctx context.Context, g *hearth.Group, userID int64) (Standing, error) {
	if userID == 0 {
		return Standing{}, nil
	}
	m, err := a.db.Membership(ctx, g.ID, userID)
	switch {
	case hearth.ErrorKind(err) == hearth.NotFound:
		return Standing{}, nil
	case err != nil:
		return Standing{}, err
	}
	return Standing{Active: m.Status == hearth.StatusActive, Leads: m.Leads(), MustAcceptGuidelines: m.MustAcceptGuidelines(g)}, nil
}

// MustAcceptGuidelines reports whether an active member must accept the
// group's current guidelines before seeing member-only things.
func (a *App) MustAcceptGuidelines(ctx context.Context, g *hearth.Group, userID int64) (bool, error) {
	s, err := a.MemberStanding(ctx, g, userID)
	return s.Active && !s.Leads && s.MustAcceptGuidelines, err
}

// ---------------------------------------------------------------------------
// Facilitators: the members page, intake, cohorts, settings

// Members returns the facilitators' view of a group's people: applicants
// with their answers, members with pseudonym and only the contact they
// share, the line with offers, alumni by cohort, the history.
func (a *App) Members(ctx context.Context, actor hearth.Actor, slug string) (*MembersView, error) {
	g, err := a.leadGroup(ctx, actor, slug)
	if err != nil {
		return nil, err
	}
	v := &MembersView{Group: g, CanManage: true, Now: a.now()}
	if v.Settings, err = a.db.MembershipSettings(ctx, g.ID); err != nil {
		return nil, err
	}
	if v.Cohorts, err = a.db.Cohorts(ctx, g.ID); err != nil {
		return nil, err
	}
	for _, c := range v.Cohorts {
		if !c.Ended() {
			v.Cohort = c
			break
		}
	}
	if v.Questions, err = a.db.IntakeQuestions(ctx, g.ID); err != nil {
		return nil, err
	}
	rows, err := a.db.GroupMemberships(ctx, g.ID)
	if err != nil {
		return nil, err
	}
	var applicantIDs []int64
	alumni := map[int]*AlumniCohort{}
	for _, r := range rows {
		switch r.Status {
		case hearth.StatusApplicant:
			applicantIDs = append(applicantIDs, r.ID)
			v.Applicants = append(v.Applicants, ApplicantRow{MemberRow: r})
		case hearth.StatusActive:
			if r.Role != hearth.RoleMember {
				v.Leaders = append(v.Leaders, r)
			} else if g.Policy == hearth.Closed && v.Cohort != nil && r.CohortID != v.Cohort.ID {
				// a member of a cohort still running while the next enrolls
				v.Active = append(v.Active, r)
			} else {
				v.Active = append(v.Active, r)
				v.SeatsTaken++
			}
		case hearth.StatusWaitlisted:
			v.Waitlist = append(v.Waitlist, WaitlistRow{MemberRow: r, Position: len(v.Waitlist) + 1})
		case hearth.StatusAlumni:
			ac := alumni[r.CohortNo]
			if ac == nil {
				ac = &AlumniCohort{Number: r.CohortNo}
				alumni[r.CohortNo] = ac
			}
			ac.Members = append(ac.Members, r)
		default:
			v.Former = append(v.Former, r)
		}
	}
	for _, c := range v.Cohorts {
		if ac := alumni[c.Number]; ac != nil {
			v.Alumni = append(v.Alumni, *ac)
			delete(alumni, c.Number)
		}
	}
	if ac := alumni[0]; ac != nil {
		v.Alumni = append(v.Alumni, *ac)
	}
	if g.Policy == hearth.Closed {
		if v.Cohort != nil {
			v.Cap = v.Cohort.Cap
		} else if g.Enrollment != nil {
			v.Cap = g.Enrollment.Cap
		}
	} else {
		v.Cap = v.Settings.Cap
	}
	all, err := a.db.IntakeAnswers(ctx, applicantIDs)
	if err != nil {
		return nil, err
	}
	marks, err := a.subjectMarks(ctx, hearth.SubjectIntakeAnswer, applicantIDs)
	if err != nil {
		return nil, err
	}
	scope := vault.GroupScope(g.ID)
	for i := range v.Applicants {
		v.Applicants[i].Mark = marks[v.Applicants[i].ID]
		for _, s := range all[v.Applicants[i].ID] {
			text, err := a.vault.OpenString(ctx, scope, answerAD(s.MembershipID, s.Position), s.Sealed)
			if err != nil {
				return nil, fmt.Errorf("open answer of membership %d: %w", s.MembershipID, err)
			}
			v.Applicants[i].Answers = append(v.Applicants[i].Answers, Answer{Position: s.Position, Prompt: s.Prompt, Text: text})
		}
		if len(v.Applicants[i].Answers) > 0 {
			// Who read whose intake answers is recorded (never the text).
			if err := a.auditRead(ctx, actor, g, "intake_answer.read", string(hearth.SubjectIntakeAnswer), v.Applicants[i].ID, v.Applicants[i].UserID); err != nil {
				return nil, err
			}
		}
	}
	events, err := a.db.MembershipEvents(ctx, g.ID, 0, 200)
	if err != nil {
		return nil, err
	}
	for _, e := range events {
		ev := Event{EventRow: e}
		if len(e.SealedNote) > 0 {
			if ev.Note, err = a.vault.OpenString(ctx, scope, eventAD(e.ID), e.SealedNote); err != nil {
				if !errors.Is(err, vault.ErrDestroyed) {
					return nil, fmt.Errorf("open note of event %d: %w", e.ID, err)
				}
			}
		}
		v.Events = append(v.Events, ev)
	}
	return v, nil
}

// IntakeQuestions lists the questions a closed group asks applicants
// (anyone who can see the group may read them: they apply with them).
func (a *App) IntakeQuestions(ctx context.Context, actor hearth.Actor, slug string) ([]hearth.IntakeQuestion, error) {
	g, err := a.seenGroup(ctx, actor, slug)
	if err != nil {
		return nil, err
	}
	return a.db.IntakeQuestions(ctx, g.ID)
}

// SetIntakeQuestions replaces a group's intake questions (its facilitators
// and organization admins). Answers already given keep the question as
// asked.
func (a *App) SetIntakeQuestions(ctx context.Context, actor hearth.Actor, slug string, qs []hearth.IntakeQuestion) ([]hearth.IntakeQuestion, error) {
	g, err := a.leadGroup(ctx, actor, slug)
	if err != nil {
		return nil, err
	}
	qs = hearth.NormalizeIntake(qs)
	if err := hearth.ValidateIntake(qs); err != nil {
		return nil, err
	}
	err = a.db.InTx(ctx, func(tx *sqldb.Tx) error { return tx.ReplaceIntakeQuestions(ctx, g.ID, qs) })
	if err != nil {
		return nil, err
	}
	a.log.Info("intake questions set", "group_id", g.ID, "questions", len(qs), "by", actor.UserID)
	return qs, nil
}

// Cohorts lists a closed group's cohorts, newest first (its facilitators
// and organization admins).
func (a *App) Cohorts(ctx context.Context, actor hearth.Actor, slug string) ([]*hearth.Cohort, error) {
	g, err := a.leadGroup(ctx, actor, slug)
	if err != nil {
		return nil, err
	}
	// Reading changes nothing: a closed group gets its first cohort when
	// it is created (CreateGroup, LoadDemo) or given terms (UpdateGroup);
	// should that step have failed, the next membership step makes it.
	return a.db.Cohorts(ctx, g.ID)
}

// CreateCohort sets up a closed group's next cohort. It must start after
// the current one; from then on newcomers apply to it, its terms are the
// group's enrollment terms, and people waiting in line are offered its
// seats in order.
func (a *App) CreateCohort(ctx context.Context, actor hearth.Actor, slug string, c *hearth.Cohort) error {
	g, err := a.leadGroup(ctx, actor, slug)
	if err != nil {
		return err
	}
	if g.Policy != hearth.Closed {
		return hearth.Coded(hearth.Conflict, "open_group", "Open groups have no cohorts; make the group closed first.")
	}
	if c.Ends.IsZero() && !c.Starts.IsZero() {
		c.Ends = a.cohortEnd(ctx, g, c.Starts, c.Sessions)
	}
	if err := c.Validate(); err != nil {
		return err
	}
	c.GroupID, c.EndedAt = g.ID, time.Time{}
	err = a.seatTx(ctx, g, func(tx *sqldb.Tx) error {
		if _, err := a.currentCohort(ctx, tx, g); err != nil {
			return err
		}
		last, err := tx.LastCohort(ctx, g.ID)
		if err == nil && !c.Starts.After(last.Starts) {
			return &hearth.Error{Kind: hearth.Invalid, Code: "invalid", Message: "Please correct the highlighted fields.",
				Fields: []hearth.FieldError{{Field: "starts", Code: "after_current", Message: fmt.Sprintf("The next cohort must start after cohort %d, which starts on %s.", last.Number, last.Starts.Format("2006-01-02")),
					Params: map[string]any{"Number": last.Number, "Date": last.Starts.Format("2006-01-02")}}}}
		} else if err != nil && hearth.ErrorKind(err) != hearth.NotFound {
			return err
		}
		if err := tx.InsertCohort(ctx, c); err != nil {
			return err
		}
		if err := tx.SetGroupEnrollment(ctx, g.ID, c.Enrollment()); err != nil {
			return err
		}
		return a.record(ctx, tx, g, &hearth.MembershipEvent{GroupID: g.ID, ActorID: actor.UserID, Kind: hearth.EventCohortCreated, CohortID: c.ID}, "", "")
	})
	if err != nil {
		return err
	}
	a.reindexGroup(ctx, g.ID)
	a.log.Info("cohort created", "group_id", g.ID, "cohort_id", c.ID, "by", actor.UserID)
	return nil
}

// EndCohort ends a cohort now (its facilitators); its active members
// become its alumni.
func (a *App) EndCohort(ctx context.Context, actor hearth.Actor, slug string, cohortID int64) error {
	g, err := a.leadGroup(ctx, actor, slug)
	if err != nil {
		return err
	}
	err = a.seatTx(ctx, g, func(tx *sqldb.Tx) error {
		c, err := tx.Cohort(ctx, g.ID, cohortID)
		if err != nil {
			return err
		}
		if c.Ended() {
			return hearth.Coded(hearth.Conflict, "cohort_ended", "This cohort has already ended.")
		}
		return a.endCohort(ctx, tx, g, c, actor.UserID)
	})
	if err != nil {
		return err
	}
	a.reindexGroup(ctx, g.ID)
	a.log.Info("cohort ended", "group_id", g.ID, "cohort_id", cohortID, "by", actor.UserID)
	return nil
}

func (a *App) endCohort(ctx context.Context, tx *sqldb.Tx, g *hearth.Group, c *hearth.Cohort, actorID int64) error {
	now := a.now().UTC().Truncate(time.Second)
	c.EndedAt = now
	if err := tx.UpdateCohort(ctx, c); err != nil {
		return err
	}
	ms, err := tx.CohortMembers(ctx, g.ID, c.ID, hearth.StatusActive)
	if err != nil {
		return err
	}
	for _, m := range ms {
		m.Status, m.StatusAt = hearth.StatusAlumni, now
		if err := tx.SaveMembership(ctx, m); err != nil {
			return err
		}
		if err := tx.AddEvent(ctx, &hearth.MembershipEvent{GroupID: g.ID, MembershipID: m.ID, UserID: m.UserID, ActorID: actorID,
			Kind: hearth.EventAlumni, Status: m.Status, CohortID: c.ID}); err != nil {
			return err
		}
	}
	return a.record(ctx, tx, g, &hearth.MembershipEvent{GroupID: g.ID, ActorID: actorID, Kind: hearth.EventCohortEnded, CohortID: c.ID}, "", "")
}

// SetMembershipSettings changes a group's seat settings: an open group's
// cap (0: none; never below the members who have a seat) and how long a
// seat offer lasts. A raised cap offers seats to the line at once.
func (a *App) SetMembershipSettings(ctx context.Context, actor hearth.Actor, slug string, s hearth.MembershipSettings) error {
	g, err := a.leadGroup(ctx, actor, slug)
	if err != nil {
		return err
	}
	if err := s.Validate(g.Policy); err != nil {
		return err
	}
	err = a.seatTx(ctx, g, func(tx *sqldb.Tx) error {
		if g.Policy == hearth.Open && s.Cap > 0 {
			taken, err := tx.SeatsTaken(ctx, g.ID, 0)
			if err != nil {
				return err
			}
			if s.Cap < taken {
				return hearth.CapBelowMembers("cap", s.Cap, taken)
			}
		}
		if err := tx.SetMembershipSettings(ctx, g.ID, s); err != nil {
			return err
		}
		return a.record(ctx, tx, g, &hearth.MembershipEvent{GroupID: g.ID, ActorID: actor.UserID, Kind: hearth.EventSettingsChanged}, "", "")
	})
	if err != nil {
		return err
	}
	a.reindexGroup(ctx, g.ID)
	a.log.Info("membership settings changed", "group_id", g.ID, "by", actor.UserID)
	return nil
}

// CheckEnrollmentCap refuses a closed group's new cap when it is below the
// members who already have a seat in the current cohort (UpdateGroup calls
// it before writing).
func (a *App) CheckEnrollmentCap(ctx context.Context, g *hearth.Group, e *hearth.Enrollment) error {
	if e == nil {
		return nil
	}
	c, err := a.db.CurrentCohort(ctx, g.ID)
	if hearth.ErrorKind(err) == hearth.NotFound {
		return nil
	}
	if err != nil {
		return err
	}
	var taken int
	err = a.db.InTx(ctx, func(tx *sqldb.Tx) error {
		taken, err = tx.SeatsTaken(ctx, g.ID, c.ID)
		return err
	})
	if err != nil {
		return err
	}
	if e.Cap < taken {
		return hearth.CapBelowMembers("enrollment_cap", e.Cap, taken)
	}
	return nil
}

// ---------------------------------------------------------------------------
// Chores

// RunMembershipChores expires lapsed seat offers (passing each seat to the
// next in line) and ends cohorts whose last session is over (their members
// become alumni). serve runs it every minute; each step is its own
// transaction, and running it twice changes nothing more.
func (a *App) RunMembershipChores(ctx context.Context) error {
	now := a.now()
	due, err := a.db.DueOffers(ctx, now)
	if err != nil {
		return err
	}
	var errs []error
	for _, d := range due {
		if err := a.expireOffer(ctx, d); err != nil {
			errs = append(errs, fmt.Errorf("expire offer %d: %w", d.MembershipID, err))
		}
	}
	cohorts, err := a.db.CohortsToEnd(ctx, now)
	if err != nil {
		return errors.Join(append(errs, err)...)
	}
	for _, c := range cohorts {
		if err := a.endDueCohort(ctx, c); err != nil {
			errs = append(errs, fmt.Errorf("end cohort %d: %w", c.ID, err))
		}
	}
	return errors.Join(errs...)
}

func (a *App) expireOffer(ctx context.Context, d sqldb.DueOffer) error {
	g, err := a.db.Group(ctx, d.GroupID)
	if err != nil {
		return err
	}
	err = a.seatTx(ctx, g, func(tx *sqldb.Tx) error {
		m, err := tx.MembershipByID(ctx, g.ID, d.MembershipID)
		if hearth.ErrorKind(err) == hearth.NotFound {
			return nil // left meanwhile
		} else if err != nil {
			return err
		}
		if m.Status != hearth.StatusWaitlisted || m.OfferExpires.IsZero() || m.HasOffer(a.now()) {
			return nil // accepted or renewed meanwhile
		}
		if err := tx.DeleteMembership(ctx, g.ID, m.ID); err != nil {
			return err
		}
		e := &hearth.MembershipEvent{GroupID: g.ID, MembershipID: m.ID, UserID: m.UserID, Kind: hearth.EventOfferExpired, CohortID: m.CohortID,
			OfferExpires: m.OfferExpires}
		return a.record(ctx, tx, g, e, "", NoticeWaitlistOfferExpired)
	})
	if err == nil {
		a.log.Info("seat offer expired", "group_id", g.ID, "membership_id", d.MembershipID)
	}
	return err
}

func (a *App) endDueCohort(ctx context.Context, c *hearth.Cohort) error {
	g, err := a.db.Group(ctx, c.GroupID)
	if err != nil {
		return err
	}
	err = a.seatTx(ctx, g, func(tx *sqldb.Tx) error {
		cur, err := tx.Cohort(ctx, g.ID, c.ID)
		if err != nil {
			return err
		}
		if cur.Ended() || cur.Ends.After(a.now()) {
			return nil
		}
		// Nobody becomes an alumna while sessions remain on the schedule
		// (the meetings may have moved later since the end was set); a
		// facilitator can still end a cohort early by hand.
		if end := a.cohortEnd(ctx, g, cur.Starts, cur.Sessions); end.After(cur.Ends) {
			cur.Ends = end
			if err := tx.UpdateCohort(ctx, cur); err != nil {
				return err
			}
			if end.After(a.now()) {
				return nil
			}
		}
		return a.endCohort(ctx, tx, g, cur, 0)
	})
	if err == nil {
		a.reindexGroup(ctx, g.ID)
		a.log.Info("cohort ended", "group_id", g.ID, "cohort_id", c.ID)
	}
	return err
}

// resettle brings a group's seats up to date after its terms changed
// elsewhere (the group form): the current cohort takes the new terms, seats
// freed by a raised cap are offered to the line. The group is saved
// already, so a failure here is logged; the next membership step settles
// again.
func (a *App) resettle(ctx context.Context, groupID int64) {
	g, err := a.db.Group(ctx, groupID)
	if err == nil {
		err = a.seatTx(ctx, g, func(tx *sqldb.Tx) error { return a.settle(ctx, tx, g) })
	}
	if err != nil {
		a.log.Warn("settle seats", "group_id", groupID, "err", err)
		return
	}
	a.reindexGroup(ctx, groupID)
}

// cohortEnd is when a cohort that starts on starts is over: the end of its
// sessions-th meeting from the group's meeting schedules (every other week,
// monthly…, cancelled occurrences not counted, moved ones where they moved
// to), or, for a group without enough scheduled meetings, after the last of
// weekly sessions.
func (a *App) cohortEnd(ctx context.Context, g *hearth.Group, starts time.Time, sessions int) time.Time {
	fallback := hearth.DefaultCohortEnd(starts, sessions, g.Schedule)
	if sessions < 1 || starts.IsZero() {
		return fallback
	}
	byGroup, err := a.db.MeetingsByGroup(ctx, []int64{g.ID})
	if err != nil {
		a.log.Warn("cohort end: meetings", "group_id", g.ID, "err", err)
		return fallback
	}
	meetings := byGroup[g.ID]
	if len(meetings) == 0 {
		return fallback
	}
	ids := make([]int64, len(meetings))
	for i, m := range meetings {
		ids[i] = m.ID
	}
	excs, err := a.db.ExceptionsByMeeting(ctx, ids)
	if err != nil {
		a.log.Warn("cohort end: exceptions", "group_id", g.ID, "err", err)
		return fallback
	}
	var ends []time.Time
	for _, m := range meetings {
		var rule *schedule.Rule
		if m.RRule != "" {
			r, err := schedule.ParseRule(m.RRule)
			if err != nil {
				continue
			}
			rule = &r
		}
		for _, o := range schedule.Expand(m.Start, time.Duration(m.Duration)*time.Minute, rule, excs[m.ID], starts, starts.Add(schedule.MaxWindow)) {
			if !o.Cancelled && !o.Start.Before(starts) {
				ends = append(ends, o.End)
			}
		}
	}
	if len(ends) < sessions {
		return fallback
	}
	slices.SortFunc(ends, func(x, y time.Time) int { return x.Compare(y) })
	return ends[sessions-1].UTC()
}
