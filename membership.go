package hearth

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Membership rules: how a person becomes a member of a group, queues for a
// seat, is offered one, leaves or is removed, and what is recorded on the
// way. The use cases in internal/app apply them in one transaction each.
//
// Seats. A seat is an active membership with the role member (facilitators
// take none). An open group may set a cap (0: no cap); a closed group's cap
// is its current cohort's. When no seat is free, or people are already
// waiting, newcomers queue: first come, first served, in the order of a
// sequence number assigned inside the transaction that queues them. A freed
// seat is offered to the first in line; the offer lasts the group's offer
// time (DefaultOfferHours) and then passes to the next. A person whose offer
// expires, or who declines it, leaves the line (and may queue again, at the
// back).
//
// Closed groups. A person applies to the current cohort, answering the
// group's intake questions (sealed by the vault). Facilitators approve or
// decline with a message. An approved applicant takes a seat when one is
// free and nobody is waiting; otherwise they join the line in the order of
// approval. Once a cohort has started nobody new joins it unless a
// facilitator overrides, which is recorded with who and why. When a cohort
// ends its active members become its alumni.

// DefaultOfferHours is how long a waitlist offer lasts unless the group sets
// another time.
const DefaultOfferHours = 48

// Limits on membership input.
const (
	MaxIntakeQuestions  = 10
	MaxIntakePromptLen  = 300
	MaxIntakeAnswerLen  = 2000
	MaxDecisionLen      = 2000
	MaxReasonLen        = 1000
	MinOfferHours       = 1
	MaxOfferHours       = 14 * 24
	MaxOpenGroupCap     = 5000
	MaxCohortSessions   = 200
	MaxCohortCap        = 500
	MinCohortCap        = 2
	maxCohortLengthDays = 3 * 366
)

// Cohort is one run of a closed group: members start together, commit to a
// number of sessions and become its alumni when it ends.
type Cohort struct {
	ID       int64     `json:"id"`
	GroupID  int64     `json:"group_id"`
	Number   int       `json:"number"` // 1 for the group's first cohort
	Cap      int       `json:"cap"`
	Opens    time.Time `json:"opens"`  // first moment to apply
	Closes   time.Time `json:"closes"` // last moment to apply
	Starts   time.Time `json:"starts"` // first session
	Ends     time.Time `json:"ends"`   // after the last session
	Sessions int       `json:"sessions"`
	EndedAt  time.Time `json:"ended_at,omitzero"`
	Created  time.Time `json:"created_at"`
}

// Started reports whether the cohort's first session has begun at t.
func (c *Cohort) Started(t time.Time) bool { return !c.Starts.IsZero() && !t.Before(c.Starts) }

// Ended reports whether the cohort has ended (its members are alumni).
func (c *Cohort) Ended() bool { return !c.EndedAt.IsZero() }

// Enrolling reports whether people may apply at t.
func (c *Cohort) Enrolling(t time.Time) bool {
	return !c.Ended() && !t.Before(c.Opens) && t.Before(c.Closes)
}

// Enrollment returns the cohort's terms as the group shows them.
func (c *Cohort) Enrollment() *Enrollment {
	return &Enrollment{Cap: c.Cap, Opens: c.Opens, Closes: c.Closes, Starts: c.Starts, Sessions: c.Sessions}
}

// DefaultCohortEnd is when a cohort ends if nobody says otherwise: after
// its last weekly session (sessions weeks from the start, less six days),
// at the end of that meeting.
func DefaultCohortEnd(starts time.Time, sessions int, s Schedule) time.Time {
	if sessions < 1 {
		sessions = 1
	}
	d := s.Duration
	if d <= 0 {
		d = 60
	}
	return starts.AddDate(0, 0, 7*(sessions-1)).Add(time.Duration(d) * time.Minute)
}

// Validate checks a cohort's terms.
func (c *Cohort) Validate() error {
	var p Problems
	if c.Cap < MinCohortCap || c.Cap > MaxCohortCap {
		p.Add("cap", "out_of_range", fmt.Sprintf("The cap must be between %d and %d people.", MinCohortCap, MaxCohortCap), map[string]any{"Min": MinCohortCap, "Max": MaxCohortCap})
	}
	if c.Sessions < 1 || c.Sessions > MaxCohortSessions {
		p.Add("sessions", "out_of_range", fmt.Sprintf("The number of sessions must be between 1 and %d.", MaxCohortSessions), map[string]any{"Min": 1, "Max": MaxCohortSessions})
	}
	switch {
	case c.Opens.IsZero() || c.Closes.IsZero():
		p.Add("enrollment_window", "required", "Give the dates enrollment opens and closes.", nil)
	case !c.Closes.After(c.Opens):
		p.Add("enrollment_window", "order", "Enrollment must close after it opens.", nil)
	}
	switch {
	case c.Starts.IsZero():
		p.Add("starts", "required", "Give the date the cohort starts.", nil)
	case !c.Opens.IsZero() && c.Starts.Before(c.Opens):
		p.Add("starts", "order", "The cohort cannot start before enrollment opens.", nil)
	}
	if !c.Ends.IsZero() && !c.Starts.IsZero() {
		if !c.Ends.After(c.Starts) {
			p.Add("ends", "order", "The cohort must end after it starts.", nil)
		} else if c.Ends.Sub(c.Starts) > maxCohortLengthDays*24*time.Hour {
			p.Add("ends", "out_of_range", "A cohort can last at most three years.", nil)
		}
	}
	return p.Err()
}

// IntakeQuestion is one question a closed group asks applicants.
type IntakeQuestion struct {
	ID       int64  `json:"id"`
	GroupID  int64  `json:"-"`
	Position int    `json:"position"` // 1, 2, 3… in the order asked
	Prompt   string `json:"prompt"`
	Required bool   `json:"required"`
}

// NormalizeIntake trims prompts, drops empty ones and numbers the rest.
func NormalizeIntake(qs []IntakeQuestion) []IntakeQuestion {
	out := make([]IntakeQuestion, 0, len(qs))
	for _, q := range qs {
		q.Prompt = strings.TrimSpace(q.Prompt)
		if q.Prompt == "" {
			continue
		}
		q.Position = len(out) + 1
		out = append(out, q)
	}
	return out
}

// ValidateIntake checks a group's intake questions (after NormalizeIntake).
// Field names are "questions" and "questions.N" (1-based).
func ValidateIntake(qs []IntakeQuestion) error {
	var p Problems
	if len(qs) > MaxIntakeQuestions {
		p.Add("questions", "too_many", fmt.Sprintf("Ask at most %d questions.", MaxIntakeQuestions), map[string]any{"Max": MaxIntakeQuestions})
	}
	seen := map[string]bool{}
	for i, q := range qs {
		field := fmt.Sprintf("questions.%d", i+1)
		n := utf8.RuneCountInString(q.Prompt)
		switch {
		case !ValidText(q.Prompt):
			p.Add(field, "invalid_text", "The question contains characters that are not valid text.", nil)
		case n > MaxIntakePromptLen:
			p.Add(field, "too_long", fmt.Sprintf("A question can be at most %d characters.", MaxIntakePromptLen), map[string]any{"Max": MaxIntakePromptLen})
		case seen[strings.ToLower(q.Prompt)]:
			p.Add(field, "duplicate", "This question is asked twice.", nil)
		}
		seen[strings.ToLower(q.Prompt)] = true
	}
	return p.Err()
}

// ValidateAnswers checks an application's answers against the questions:
// answers keyed by question id; a required question needs an answer; no
// answer may be too long; an answer to a question the group does not ask
// is refused. Field names are "answers.<question id>".
func ValidateAnswers(qs []IntakeQuestion, answers map[int64]string) error {
	var p Problems
	asked := map[int64]bool{}
	for _, q := range qs {
		asked[q.ID] = true
		a := strings.TrimSpace(answers[q.ID])
		field := fmt.Sprintf("answers.%d", q.ID)
		n := utf8.RuneCountInString(a)
		switch {
		case !ValidText(a):
			p.Add(field, "invalid_text", "The answer contains characters that are not valid text.", nil)
		case q.Required && n == 0:
			p.Add(field, "required", "Please answer this question.", nil)
		case n > MaxIntakeAnswerLen:
			p.Add(field, "too_long", fmt.Sprintf("An answer can be at most %d characters; this one has %d.", MaxIntakeAnswerLen, n), map[string]any{"Max": MaxIntakeAnswerLen, "Count": n})
		}
	}
	for id := range answers {
		if !asked[id] {
			p.Add(fmt.Sprintf("answers.%d", id), "unknown", "This group does not ask that question.", nil)
		}
	}
	return p.Err()
}

// ValidateNote checks a facilitator's message or reason: optional unless
// required, at most max characters.
func ValidateNote(field, text string, required bool, max int) error {
	var p Problems
	n := utf8.RuneCountInString(text)
	switch {
	case !ValidText(text):
		p.Add(field, "invalid_text", "The text contains characters that are not valid text.", nil)
	case required && strings.TrimSpace(text) == "":
		p.Add(field, "required", "Please say why; only the group's facilitators and staff will see it.", nil)
	case n > max:
		p.Add(field, "too_long", fmt.Sprintf("Use at most %d characters.", max), map[string]any{"Max": max})
	}
	return p.Err()
}

// CanBecome reports whether a membership may move from one status to
// another. Leaving, a declined offer and an expired offer delete the
// membership instead (what the person wrote goes with it); the event
// history keeps that it happened.
func (from MembershipStatus) CanBecome(to MembershipStatus) bool {
	switch from {
	case StatusApplicant:
		// approved (seat or line), or declined (kept as removed so the
		// applicant can read the facilitators' message)
		return to == StatusActive || to == StatusWaitlisted || to == StatusRemoved || to == StatusBanned
	case StatusWaitlisted:
		return to == StatusActive || to == StatusRemoved || to == StatusBanned
	case StatusActive:
		return to == StatusAlumni || to == StatusRemoved || to == StatusBanned
	case StatusAlumni:
		// an alumna applies to a later cohort
		return to == StatusApplicant || to == StatusRemoved || to == StatusBanned
	case StatusRemoved:
		// a declined applicant applies again; removal can become a ban
		return to == StatusApplicant || to == StatusBanned
	case StatusBanned:
		return false
	}
	return false
}

// EventKind names one step of a membership's history.
type EventKind string

// The event kinds.
const (
	EventJoined          EventKind = "joined"           // took a seat in an open group
	EventApplied         EventKind = "applied"          // applied to a closed group
	EventApproved        EventKind = "approved"         // approved into a seat
	EventDeclined        EventKind = "declined"         // application declined
	EventWaitlisted      EventKind = "waitlisted"       // joined the line (Position says where)
	EventOffered         EventKind = "offered"          // a seat was offered (until OfferExpires)
	EventOfferAccepted   EventKind = "offer_accepted"   // took the offered seat
	EventOfferDeclined   EventKind = "offer_declined"   // declined it and left the line
	EventOfferExpired    EventKind = "offer_expired"    // did not answer in time and left the line
	EventLeft            EventKind = "left"             // left the group
	EventRemoved         EventKind = "removed"          // removed by a facilitator
	EventBanned          EventKind = "banned"           // banned by a facilitator
	EventAlumni          EventKind = "alumni"           // the cohort ended
	EventOverride        EventKind = "override"         // a facilitator let someone into a started cohort
	EventGuidelines      EventKind = "guidelines"       // accepted a new version of the guidelines
	EventCohortCreated   EventKind = "cohort_created"   // a new cohort was set up
	EventCohortEnded     EventKind = "cohort_ended"     // a cohort ended
	EventSettingsChanged EventKind = "settings_changed" // the cap or offer time changed
)

// EventKinds lists every event kind.
var EventKinds = []EventKind{EventJoined, EventApplied, EventApproved, EventDeclined, EventWaitlisted, EventOffered,
	EventOfferAccepted, EventOfferDeclined, EventOfferExpired, EventLeft, EventRemoved, EventBanned, EventAlumni,
	EventOverride, EventGuidelines, EventCohortCreated, EventCohortEnded, EventSettingsChanged}

// MembershipEvent is one recorded step: who (the member's user id and, when
// someone else acted, the actor's), what, when, which cohort, and where in
// line. A facilitator's note (a reason, an override's why) is sealed by the
// vault; only staff read it.
type MembershipEvent struct {
	ID           int64            `json:"id"`
	GroupID      int64            `json:"-"`
	MembershipID int64            `json:"-"`
	UserID       int64            `json:"-"` // the member (0 for group-level events)
	ActorID      int64            `json:"-"` // who acted (0: Hearth itself, a chore)
	Kind         EventKind        `json:"kind"`
	Status       MembershipStatus `json:"status,omitempty"` // the status after the step
	CohortID     int64            `json:"cohort_id,omitempty"`
	Position     int              `json:"position,omitempty"` // place in line when queued
	OfferExpires time.Time        `json:"offer_expires,omitzero"`
	At           time.Time        `json:"at"`
	SealedNote   []byte           `json:"-"`
}

// MembershipSettings are a group's rules for seats and offers.
type MembershipSettings struct {
	// Cap is the most members an open group takes (0: no cap). A closed
	// group's cap is its cohort's.
	Cap        int `json:"cap"`
	OfferHours int `json:"offer_hours"`
}

// Validate checks the settings for a group of the policy.
func (s MembershipSettings) Validate(policy Policy) error {
	var p Problems
	if s.OfferHours < MinOfferHours || s.OfferHours > MaxOfferHours {
		p.Add("offer_hours", "out_of_range", fmt.Sprintf("An offer lasts between %d hour and %d days.", MinOfferHours, MaxOfferHours/24), map[string]any{"Min": MinOfferHours, "Max": MaxOfferHours})
	}
	if policy == Open && (s.Cap < 0 || s.Cap > MaxOpenGroupCap) {
		p.Add("cap", "out_of_range", fmt.Sprintf("The cap must be between 0 (no cap) and %d.", MaxOpenGroupCap), map[string]any{"Min": 0, "Max": MaxOpenGroupCap})
	}
	if policy == Closed && s.Cap != 0 {
		p.Add("cap", "closed_cap", "A closed group's cap is its cohort's; change it on the cohort.", nil)
	}
	return p.Err()
}

// CapBelowMembers is the error for a cap lower than the seats already
// taken: nothing changes.
func CapBelowMembers(field string, cap, taken int) error {
	return &Error{Kind: Invalid, Code: "invalid", Message: "Please correct the highlighted fields.",
		Fields: []FieldError{{Field: field, Code: "below_members",
			Message: fmt.Sprintf("The cap cannot be lower than the %d members who already have a seat; remove members first or choose %d or more.", taken, taken),
			Params:  map[string]any{"Count": taken}}}}
}

// MustAcceptGuidelines reports whether a member must accept the group's
// current guidelines again before seeing member-only things.
func (m Membership) MustAcceptGuidelines(g *Group) bool {
	return m.Status == StatusActive && m.GuidelinesVersion < g.GuidelinesVersion
}

// HasOffer reports whether a waitlisted member holds a live offer at t.
func (m Membership) HasOffer(t time.Time) bool {
	return m.Status == StatusWaitlisted && !m.OfferExpires.IsZero() && t.Before(m.OfferExpires)
}

// TakesSeat reports whether the membership takes one of the group's seats.
func (m Membership) TakesSeat() bool { return m.Status == StatusActive && m.Role == RoleMember }
