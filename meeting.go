package hearth

import "time"

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
