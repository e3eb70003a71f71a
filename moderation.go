package hearth

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Moderation keeps a group a safe space: anyone who can see something may
// report it with a reason; the group's facilitators (and its organization's
// administrators) review reports and act, each action with a reason shown
// to the person acted on, who may appeal it once. Crisis language is never
// a reason for an automatic action: a report of a crisis concern goes to
// people, never to a rule.
//
// A subject is what a report or an action is about: (kind, id). The kinds
// are members (id: the membership), intake answers (id: the application's
// membership, whose answers are one subject), board posts (id: the post)
// and live-room messages (id: the room and the message's sequence packed
// together); boards and rooms register theirs in internal/app without any
// change here.

// SubjectKind names a kind of reportable thing.
type SubjectKind string

// The subject kinds.
const (
	SubjectMember       SubjectKind = "member"        // id: the membership
	SubjectIntakeAnswer SubjectKind = "intake_answer" // id: the application's membership
	SubjectPost         SubjectKind = "post"          // id: the board post
	SubjectMessage      SubjectKind = "message"       // id: the room and the message's sequence (rooms)
)

// SubjectKinds lists every kind.
var SubjectKinds = []SubjectKind{SubjectMember, SubjectIntakeAnswer, SubjectPost, SubjectMessage}

// IsContent reports whether the kind is something someone wrote (which may
// be hidden or labelled), not a person.
func (k SubjectKind) IsContent() bool { return k != SubjectMember }

// Subject is one reportable thing.
type Subject struct {
	Kind SubjectKind `json:"kind"`
	ID   int64       `json:"id"`
}

func (s Subject) String() string { return fmt.Sprintf("%s:%d", s.Kind, s.ID) }

// ReportReason says why something was reported.
type ReportReason string

// The report reasons.
const (
	ReasonHarassment     ReportReason = "harassment"
	ReasonMisinformation ReportReason = "misinformation"
	ReasonSpam           ReportReason = "spam"
	// ReasonCrisisConcern: the reporter fears for someone's safety. It goes
	// to the group's facilitators at once and never leads to an automatic
	// action.
	ReasonCrisisConcern         ReportReason = "crisis_concern"
	ReasonConfidentialityBreach ReportReason = "confidentiality_breach"
	ReasonOther                 ReportReason = "other"
)

// ReportReasons lists the reasons in the order forms show them.
var ReportReasons = []ReportReason{ReasonHarassment, ReasonMisinformation, ReasonSpam, ReasonCrisisConcern, ReasonConfidentialityBreach, ReasonOther}

// ReportStatus is where a report stands.
type ReportStatus string

// The report statuses.
const (
	ReportOpen      ReportStatus = "open"
	ReportActioned  ReportStatus = "actioned"  // a moderator acted on it
	ReportDismissed ReportStatus = "dismissed" // looked at, nothing to do
)

// Limits on moderation input.
const (
	MaxReportNoteLen = 2000
	MaxModNoteLen    = 2000
	MaxAppealLen     = 2000
	MaxLabelURLLen   = 500
	MinMuteMinutes   = 15
	MaxMuteMinutes   = 90 * 24 * 60
)

// Report is one person's report of a subject. The reporter is known to
// staff by the pseudonym in the group; their note is sealed.
type Report struct {
	ID            int64        `json:"id"`
	GroupID       int64        `json:"group_id"`
	OrgID         int64        `json:"-"`
	Subject       Subject      `json:"subject"`
	ReporterID    int64        `json:"-"`
	SubjectUserID int64        `json:"-"` // who wrote or is the subject
	Reason        ReportReason `json:"reason"`
	Status        ReportStatus `json:"status"`
	CreatedAt     time.Time    `json:"created_at"`
	ResolvedAt    time.Time    `json:"resolved_at,omitzero"`
	ResolvedBy    int64        `json:"-"`
	SealedNote    []byte       `json:"-"`
}

// ReportInput is what a person gives to report something.
type ReportInput struct {
	Subject Subject      `json:"subject"`
	Reason  ReportReason `json:"reason"`
	Note    string       `json:"note,omitempty"`
}

// Validate checks a report.
func (r *ReportInput) Validate() error {
	var p Problems
	if !slices.Contains(SubjectKinds, r.Subject.Kind) || r.Subject.ID <= 0 {
		p.Add("subject", "subject", "Choose what you are reporting.", nil)
	}
	if !slices.Contains(ReportReasons, r.Reason) {
		p.Add("reason", "required", "Choose a reason.", nil)
	}
	r.Note = strings.TrimSpace(r.Note)
	if err := ValidateNote("note", r.Note, r.Reason == ReasonOther, MaxReportNoteLen); err != nil {
		fe := AsError(err).Fields[0]
		if fe.Code == "required" {
			fe.Message = "Please say a few words about what is wrong; only the people who moderate the group read it."
		}
		p = append(p, fe)
	}
	return p.Err()
}

// ActionKind is what a moderator does.
type ActionKind string

// The action kinds.
const (
	ActionHide    ActionKind = "hide"    // content no longer shows (kept, for appeal)
	ActionRestore ActionKind = "restore" // hidden content shows again
	ActionWarn    ActionKind = "warn"    // the person is told, nothing else changes
	ActionMute    ActionKind = "mute"    // the person cannot post in the group until a time
	ActionRemove  ActionKind = "remove"  // the person leaves the group and cannot rejoin by themselves
	ActionBanOrg  ActionKind = "ban_org" // the person cannot join any of the organization's groups
	ActionLabel   ActionKind = "label"   // "unverified health claim" with a link, instead of deleting
	ActionUnlabel ActionKind = "unlabel" // the label is taken off
	ActionDismiss ActionKind = "dismiss" // a report was looked at and needs nothing (no one is told)
)

// ActionKinds lists the actions a moderator may take on a subject.
var ActionKinds = []ActionKind{ActionHide, ActionRestore, ActionWarn, ActionMute, ActionRemove, ActionBanOrg, ActionLabel, ActionUnlabel}

// OnPerson reports whether the action falls on a person (told, may appeal)
// rather than only on content.
func (k ActionKind) OnPerson() bool {
	switch k {
	case ActionHide, ActionWarn, ActionMute, ActionRemove, ActionBanOrg, ActionLabel:
		return true
	}
	return false
}

// Appealable reports whether the person acted on may appeal the action.
func (k ActionKind) Appealable() bool { return k.OnPerson() }

// ActionReason is the reason code shown to the person acted on.
type ActionReason string

// The action reasons.
const (
	ActionReasonGuidelines      ActionReason = "guidelines"
	ActionReasonHarassment      ActionReason = "harassment"
	ActionReasonMisinformation  ActionReason = "misinformation"
	ActionReasonSpam            ActionReason = "spam"
	ActionReasonConfidentiality ActionReason = "confidentiality_breach"
	ActionReasonSafety          ActionReason = "safety" // e.g. method details held for review
	ActionReasonOther           ActionReason = "other"
	ActionReasonAppeal          ActionReason = "appeal_upheld" // a restore after a successful appeal
)

// ActionReasons lists the reasons a moderator may give.
var ActionReasons = []ActionReason{ActionReasonGuidelines, ActionReasonHarassment, ActionReasonMisinformation, ActionReasonSpam, ActionReasonConfidentiality, ActionReasonSafety, ActionReasonOther}

// ModAction is one moderation action as stored.
type ModAction struct {
	ID           int64        `json:"id"`
	GroupID      int64        `json:"group_id"`
	OrgID        int64        `json:"-"`
	Subject      Subject      `json:"subject"`
	TargetUserID int64        `json:"-"` // the person it falls on (0: none)
	ActorID      int64        `json:"-"`
	Kind         ActionKind   `json:"kind"`
	Reason       ActionReason `json:"reason"`
	Until        time.Time    `json:"until,omitzero"` // a mute's end
	ReportID     int64        `json:"report_id,omitempty"`
	LabelURL     string       `json:"label_url,omitempty"`
	CreatedAt    time.Time    `json:"created_at"`
	SealedNote   []byte       `json:"-"`
}

// ActionInput is what a moderator gives to act on a subject.
type ActionInput struct {
	Kind     ActionKind   `json:"kind"`
	Reason   ActionReason `json:"reason"`
	Note     string       `json:"note,omitempty"`      // shown to the person acted on
	Minutes  int          `json:"minutes,omitempty"`   // a mute's length
	ReportID int64        `json:"report_id,omitempty"` // the report it answers
	LabelURL string       `json:"label_url,omitempty"`
}

// Validate checks an action's input against its kind.
func (in *ActionInput) Validate() error {
	var p Problems
	if !slices.Contains(ActionKinds, in.Kind) {
		p.Add("kind", "required", "Choose an action.", nil)
	}
	if !slices.Contains(ActionReasons, in.Reason) {
		p.Add("reason", "required", "Choose the reason the person will be shown.", nil)
	}
	in.Note = strings.TrimSpace(in.Note)
	if err := ValidateNote("note", in.Note, in.Reason == ActionReasonOther, MaxModNoteLen); err != nil {
		fe := AsError(err).Fields[0]
		if fe.Code == "required" {
			fe.Message = "Please add a few words: the person will read them."
		}
		p = append(p, fe)
	}
	if in.Kind == ActionMute && (in.Minutes < MinMuteMinutes || in.Minutes > MaxMuteMinutes) {
		p.Add("minutes", "range", fmt.Sprintf("A mute lasts from %d minutes to %d days.", MinMuteMinutes, MaxMuteMinutes/(24*60)),
			map[string]any{"Min": MinMuteMinutes, "MaxDays": MaxMuteMinutes / (24 * 60)})
	}
	if in.Kind != ActionMute {
		in.Minutes = 0
	}
	in.LabelURL = strings.TrimSpace(in.LabelURL)
	if in.Kind == ActionLabel {
		if msg := CheckLabelURL(in.LabelURL); msg != "" {
			p.Add("label_url", "https", msg, nil)
		}
	} else {
		in.LabelURL = ""
	}
	if in.ReportID < 0 {
		in.ReportID = 0
	}
	return p.Err()
}

// CheckLabelURL returns "" for a link a misinformation label may carry
// (https, a named host, no credentials), or why not.
func CheckLabelURL(s string) string {
	const msg = "Give a secure link to reliable information, starting with https:// (like https://www.who.int/…)."
	if s == "" || len(s) > MaxLabelURLLen || !ValidText(s) || strings.ContainsAny(s, " \t\r\n<>\"") {
		return msg
	}
	u, err := url.Parse(s)
	if err != nil || !strings.EqualFold(u.Scheme, "https") || u.Host == "" || u.User != nil || u.Opaque != "" || !strings.Contains(u.Hostname(), ".") {
		return msg
	}
	return ""
}

// Label is a misinformation label on a subject.
type Label struct {
	Subject   Subject   `json:"subject"`
	Kind      string    `json:"kind"` // LabelUnverifiedHealthClaim
	URL       string    `json:"url"`
	CreatedAt time.Time `json:"created_at"`
}

// LabelUnverifiedHealthClaim is the one label kind.
const LabelUnverifiedHealthClaim = "unverified_health_claim"

// AppealStatus is where an appeal stands.
type AppealStatus string

// The appeal statuses.
const (
	AppealPending    AppealStatus = "pending"
	AppealUpheld     AppealStatus = "upheld"     // the action stands
	AppealOverturned AppealStatus = "overturned" // the action is undone
)

// Appeal is a person's one appeal of one action.
type Appeal struct {
	ID             int64        `json:"id"`
	ActionID       int64        `json:"action_id"`
	GroupID        int64        `json:"group_id"`
	UserID         int64        `json:"-"`
	Status         AppealStatus `json:"status"`
	CreatedAt      time.Time    `json:"created_at"`
	DecidedAt      time.Time    `json:"decided_at,omitzero"`
	DecidedBy      int64        `json:"-"`
	SealedNote     []byte       `json:"-"`
	SealedDecision []byte       `json:"-"`
}

// ValidateAppeal checks an appeal's note (required: the person says why).
func ValidateAppeal(note string) error {
	if err := ValidateNote("note", strings.TrimSpace(note), true, MaxAppealLen); err != nil {
		e := AsError(err)
		if e.Fields[0].Code == "required" {
			e.Fields[0].Message = "Please say why you think this was a mistake."
		}
		return e
	}
	return nil
}

// ModerationSettings are a group's rules for new members' posts.
type ModerationSettings struct {
	// NewMemberDays: a member is new for this many days after joining.
	NewMemberDays int `json:"new_member_days"`
	// NewMemberPostsPerHour is a new member's posting rate.
	NewMemberPostsPerHour int `json:"new_member_posts_per_hour"`
	// PostsPerHour is everyone else's (a flood guard).
	PostsPerHour int `json:"posts_per_hour"`
	// ApproveFirstPosts: a new member's posts wait for a facilitator's
	// approval until a facilitator trusts them.
	ApproveFirstPosts bool `json:"approve_first_posts"`
}

// DefaultModerationSettings apply until a group chooses.
var DefaultModerationSettings = ModerationSettings{NewMemberDays: 7, NewMemberPostsPerHour: 5, PostsPerHour: 60}

// Validate checks a group's moderation settings.
func (s *ModerationSettings) Validate() error {
	var p Problems
	if s.NewMemberDays < 0 || s.NewMemberDays > 90 {
		p.Add("new_member_days", "range", "Choose from 0 to 90 days.", map[string]any{"Min": 0, "Max": 90})
	}
	if s.NewMemberPostsPerHour < 1 || s.NewMemberPostsPerHour > 120 {
		p.Add("new_member_posts_per_hour", "range", "Choose from 1 to 120 posts an hour.", map[string]any{"Min": 1, "Max": 120})
	}
	if s.PostsPerHour < 1 || s.PostsPerHour > 600 {
		p.Add("posts_per_hour", "range", "Choose from 1 to 600 posts an hour.", map[string]any{"Min": 1, "Max": 600})
	}
	if s.NewMemberPostsPerHour > s.PostsPerHour && s.PostsPerHour >= 1 {
		p.Add("new_member_posts_per_hour", "above_all", "New members cannot post more often than everyone else.", nil)
	}
	return p.Err()
}

// linkRE finds web addresses in text: a scheme, a www. host, or a bare
// domain with a common top-level name (how spam hides its links).
var linkRE = regexp.MustCompile(`(?i)(\b[a-z][a-z0-9+.-]*://\S|\bwww\d?\.\S|\b[a-z0-9-]+(\.[a-z0-9-]+)*\.(com|net|org|info|biz|io|co|ly|me|app|xyz|ru|cn|shop|site|online|link|click|gg|tk|to|es|mx|uk|us|ca|au|nz|ie|de|fr)\b(/\S*)?)`)

// ContainsLink reports whether text holds a web address.
func ContainsLink(text string) bool {
	if !utf8.ValidString(text) {
		return true
	}
	return linkRE.MatchString(text)
}

// Block is one member hiding another inside a group.
type Block struct {
	GroupID   int64     `json:"group_id"`
	BlockerID int64     `json:"-"`
	BlockedID int64     `json:"-"`
	CreatedAt time.Time `json:"created_at"`
}

// CanModerate reports whether the actor reviews reports and acts in the
// group: its facilitators and its organization's administrators.
func (a Actor) CanModerate(g *Group) bool { return a.CanEditGroup(g) }
