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

// Meeting is one of a group's meeting schedules: a first start in the
// group's IANA time zone, an RFC 5545 recurrence rule (empty for a one-off
// meeting), a duration and how to attend. A group has one or more.
//
// Start is a wall-clock time in the group's zone: a 19:00 meeting stays at
// 19:00 local across daylight-saving changes. The rule is parsed, validated
// and expanded by internal/schedule.
type Meeting struct {
	ID        int64     `json:"id"`
	GroupID   int64     `json:"group_id"`
	Title     string    `json:"title,omitempty"` // optional ("Newcomers' session")
	Start     time.Time `json:"start"`           // first occurrence (DTSTART), in the group's zone
	Duration  int       `json:"duration_minutes"`
	RRule     string    `json:"rrule,omitempty"` // RRULE value without the "RRULE:" name; "" = one-off
	Attend    Attend    `json:"attend"`
	Capacity  int       `json:"capacity,omitempty"` // most RSVPs per occurrence; 0 = no limit
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Attend says how to attend a meeting or one occurrence of it. Conference
// links and dial-in codes are protected (see MeetingPolicy): they never
// appear on a public page unless the group publishes them.
type Attend struct {
	Mode          Format `json:"mode"` // in_person, online, phone or hybrid
	VenueNotes    string `json:"venue_notes,omitempty"`
	ConferenceURL string `json:"conference_url,omitempty"`
	Phone         string `json:"phone,omitempty"`
	AccessCode    string `json:"access_code,omitempty"`
}

// Online reports whether the meeting can be joined over the internet.
func (a Attend) Online() bool { return a.Mode == Online || a.Mode == Hybrid }

// MeetingException changes one occurrence of a meeting, named by its
// original start (RFC 5545 RECURRENCE-ID): cancelled with a note, or moved
// to another start and length.
type MeetingException struct {
	ID        int64     `json:"id"`
	MeetingID int64     `json:"meeting_id"`
	Original  time.Time `json:"original_start"`
	Cancelled bool      `json:"cancelled"`
	Start     time.Time `json:"start,omitempty"` // new start when moved
	Duration  int       `json:"duration_minutes,omitempty"`
	Note      string    `json:"note,omitempty"`
}

// Occurrence is one meeting on the calendar, after exceptions.
type Occurrence struct {
	MeetingID int64     `json:"meeting_id"`
	Original  time.Time `json:"original_start"` // identifies the occurrence
	Start     time.Time `json:"start"`
	End       time.Time `json:"end"`
	Cancelled bool      `json:"cancelled"`
	Moved     bool      `json:"moved"`
	Note      string    `json:"note,omitempty"`
	Title     string    `json:"title,omitempty"`
	Attend    Attend    `json:"attend"`
}

// MeetingPolicy is how a group protects its meetings.
type MeetingPolicy struct {
	// PublishLink puts the conference link and dial-in on public pages and
	// feeds, as many open 12-step meetings do. Off by default.
	PublishLink bool `json:"publish_link"`
	// LinkLeadMinutes is how long before a start members see the link.
	LinkLeadMinutes int `json:"link_lead_minutes"`
}

// DefaultLinkLeadMinutes is when the link appears before a meeting.
const DefaultLinkLeadMinutes = 30

// Attendance marks, taken by facilitators.
type AttendanceMark string

// The marks.
const (
	Present AttendanceMark = "present"
	Absent  AttendanceMark = "absent"
	Excused AttendanceMark = "excused"
)

// Limits on a meeting.
const (
	MaxMeetingMinutes  = 24 * 60 // a meeting lasts at most a day
	MaxMeetingTitleLen = 120
	MaxVenueNotesLen   = 1000
	MaxConferenceURL   = 2000
	MaxPhoneLen        = 40
	MaxAccessCodeLen   = 40
	MaxCapacity        = 10000
	MaxExceptionNote   = 500
)

// MeetingModes are the ways to attend a meeting.
var MeetingModes = []Format{InPerson, Online, Phone, Hybrid}

// Normalize trims a meeting's text.
func (m *Meeting) Normalize() {
	m.Title = strings.TrimSpace(m.Title)
	a := &m.Attend
	a.VenueNotes = strings.TrimSpace(a.VenueNotes)
	a.ConferenceURL = strings.TrimSpace(a.ConferenceURL)
	a.Phone = strings.Join(strings.Fields(a.Phone), " ")
	a.AccessCode = strings.TrimSpace(a.AccessCode)
}

// Validate checks what a meeting says apart from its schedule (the rule and
// first start are checked by internal/schedule): length, how to attend and
// capacity. Problems name the API's fields.
func (m *Meeting) Validate() Problems {
	var p Problems
	if !ValidText(m.Title) || utf8.RuneCountInString(m.Title) > MaxMeetingTitleLen {
		p.Add("title", "too_long", fmt.Sprintf("Keep the title to %d characters.", MaxMeetingTitleLen), map[string]any{"Max": MaxMeetingTitleLen})
	}
	switch {
	case m.Duration <= 0:
		p.Add("duration_minutes", "too_short", "Say how long the meeting lasts, in minutes (at least 1).", map[string]any{"Min": 1})
	case m.Duration > MaxMeetingMinutes:
		p.Add("duration_minutes", "too_long", "A meeting can last at most 24 hours (1440 minutes).", map[string]any{"Max": MaxMeetingMinutes})
	}
	if m.Capacity < 0 || m.Capacity > MaxCapacity {
		p.Add("capacity", "range", fmt.Sprintf("The number of places must be between 0 (no limit) and %d.", MaxCapacity), map[string]any{"Min": 0, "Max": MaxCapacity})
	}
	m.Attend.validate(&p)
	return p
}

func (a Attend) validate(p *Problems) {
	if !slices.Contains(MeetingModes, a.Mode) {
		p.Add("mode", "unknown", "Choose how people attend: in person, online, by phone or hybrid.", map[string]any{"Value": Clip(string(a.Mode))})
		return
	}
	if !ValidText(a.VenueNotes) || utf8.RuneCountInString(a.VenueNotes) > MaxVenueNotesLen {
		p.Add("venue_notes", "too_long", fmt.Sprintf("Keep the venue notes to %d characters.", MaxVenueNotesLen), map[string]any{"Max": MaxVenueNotesLen})
	}
	switch {
	case a.ConferenceURL == "" && a.Online():
		p.Add("conference_url", "required", "Give the meeting's online link (it starts with https://). Only members see it, shortly before the start.", nil)
	case a.ConferenceURL != "":
		if msg := checkConferenceURL(a.ConferenceURL); msg != "" {
			p.Add("conference_url", "https", msg, nil)
		}
	}
	switch {
	case a.Phone == "" && a.Mode == Phone:
		p.Add("phone", "required", "Give the number people call to join.", nil)
	case a.Phone != "" && !phoneRE.MatchString(a.Phone):
		p.Add("phone", "phone", "Write the number with digits, spaces, dashes, brackets and an optional + in front.", nil)
	}
	if !ValidText(a.AccessCode) || utf8.RuneCountInString(a.AccessCode) > MaxAccessCodeLen || strings.ContainsAny(a.AccessCode, "<>\r\n") {
		p.Add("access_code", "too_long", fmt.Sprintf("Keep the access code to %d characters.", MaxAccessCodeLen), map[string]any{"Max": MaxAccessCodeLen})
	}
}

var phoneRE = regexp.MustCompile(`^\+?[0-9][0-9 ()./-]{3,38}$`)

// checkConferenceURL returns why a conference link cannot be used, or "".
// Only https links to a named host are accepted: a javascript: or plain
// http link would put members at risk.
func checkConferenceURL(s string) string {
	if len(s) > MaxConferenceURL || !ValidText(s) || strings.ContainsAny(s, " \t\r\n<>\"") {
		return "The online link must be one web address starting with https://."
	}
	u, err := url.Parse(s)
	if err != nil || !strings.EqualFold(u.Scheme, "https") || u.Host == "" || u.User != nil || u.Opaque != "" {
		return "The online link must be a secure web address starting with https:// (like https://meet.example.org/room)."
	}
	return ""
}

// Validate checks an exception (its occurrence is checked against the
// schedule by the caller): a moved occurrence needs a new start and a
// length within a day; notes are short.
func (e *MeetingException) Validate() Problems {
	var p Problems
	e.Note = strings.TrimSpace(e.Note)
	if !ValidText(e.Note) || utf8.RuneCountInString(e.Note) > MaxExceptionNote {
		p.Add("note", "too_long", fmt.Sprintf("Keep the note to %d characters.", MaxExceptionNote), map[string]any{"Max": MaxExceptionNote})
	}
	if e.Cancelled {
		return p
	}
	if e.Start.IsZero() {
		p.Add("start", "required", "Give the new date and time.", nil)
	}
	switch {
	case e.Duration <= 0:
		p.Add("duration_minutes", "too_short", "Say how long the meeting lasts, in minutes (at least 1).", map[string]any{"Min": 1})
	case e.Duration > MaxMeetingMinutes:
		p.Add("duration_minutes", "too_long", "A meeting can last at most 24 hours (1440 minutes).", map[string]any{"Max": MaxMeetingMinutes})
	}
	return p
}

// Marks lists the attendance marks.
var Marks = []AttendanceMark{Present, Absent, Excused}
