package hearth_test

import (
	"strings"
	"testing"

	"github.com/hearth-org/hearth"
)

func TestMeetingValidate(t *testing.T) {
	good := hearth.Meeting{Duration: 90, Attend: hearth.Attend{Mode: hearth.Hybrid, VenueNotes: "Room 2", ConferenceURL: "https://meet.example.org/room?pwd=x"}}
	cases := []struct {
		name  string
		edit  func(m *hearth.Meeting)
		field string // "" when valid
	}{
		{"a good hybrid meeting is valid", func(m *hearth.Meeting) {}, ""},
		{"a phone meeting with a number is valid", func(m *hearth.Meeting) {
			m.Attend = hearth.Attend{Mode: hearth.Phone, Phone: "+1 (512) 555-0100", AccessCode: "1234#"}
		}, ""},
		{"a length of zero is refused", func(m *hearth.Meeting) { m.Duration = 0 }, "duration_minutes"},
		{"a length over a day is refused", func(m *hearth.Meeting) { m.Duration = 1441 }, "duration_minutes"},
		{"a javascript: link is refused", func(m *hearth.Meeting) { m.Attend.ConferenceURL = "javascript:alert(1)" }, "conference_url"},
		{"an http link is refused", func(m *hearth.Meeting) { m.Attend.ConferenceURL = "http://meet.example.org/x" }, "conference_url"},
		{"a link with credentials is refused", func(m *hearth.Meeting) { m.Attend.ConferenceURL = "https://user:pw@meet.example.org/x" }, "conference_url"},
		{"a link without a host is refused", func(m *hearth.Meeting) { m.Attend.ConferenceURL = "https:///path" }, "conference_url"},
		{"a link with a space is refused", func(m *hearth.Meeting) { m.Attend.ConferenceURL = "https://meet.example.org/a b" }, "conference_url"},
		{"an online meeting needs a link", func(m *hearth.Meeting) { m.Attend = hearth.Attend{Mode: hearth.Online} }, "conference_url"},
		{"a phone meeting needs a number", func(m *hearth.Meeting) { m.Attend = hearth.Attend{Mode: hearth.Phone} }, "phone"},
		{"a number with letters is refused", func(m *hearth.Meeting) { m.Attend.Phone = "call me maybe" }, "phone"},
		{"an unknown mode is refused", func(m *hearth.Meeting) { m.Attend.Mode = "carrier_pigeon" }, "mode"},
		{"a negative capacity is refused", func(m *hearth.Meeting) { m.Capacity = -1 }, "capacity"},
		{"a long title is refused", func(m *hearth.Meeting) { m.Title = strings.Repeat("x", hearth.MaxMeetingTitleLen+1) }, "title"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := good
			c.edit(&m)
			m.Normalize()
			p := m.Validate()
			if c.field == "" {
				if len(p) != 0 {
					t.Fatalf("problems %+v", p)
				}
				return
			}
			if len(p) == 0 || p[0].Field != c.field || p[0].Message == "" {
				t.Fatalf("problems %+v, want one on %s", p, c.field)
			}
		})
	}
}

func TestExceptionValidate(t *testing.T) {
	if p := (&hearth.MeetingException{Cancelled: true, Note: "  Holiday  "}).Validate(); len(p) != 0 {
		t.Fatalf("a cancellation with a note: %+v", p)
	}
	if p := (&hearth.MeetingException{}).Validate(); len(p) != 2 {
		t.Fatalf("a move without a start or length: %+v", p)
	}
	if p := (&hearth.MeetingException{Cancelled: true, Note: strings.Repeat("x", hearth.MaxExceptionNote+1)}).Validate(); len(p) != 1 || p[0].Field != "note" {
		t.Fatalf("a long note: %+v", p)
	}
}
