package hearth_test

import (
	"testing"
	"time"

	"github.com/hearth-org/hearth"
)

func TestRoomWindow(t *testing.T) {
	start := time.Date(2026, 12, 1, 18, 30, 0, 0, time.UTC)
	end := start.Add(90 * time.Minute)
	opens, closes := hearth.RoomWindow(start, end, hearth.DefaultRoomLeadMinutes)
	if !opens.Equal(start.Add(-15*time.Minute)) || !closes.Equal(end.Add(15*time.Minute)) {
		t.Fatalf("window %v – %v", opens, closes)
	}
	if o, _ := hearth.RoomWindow(start, end, -5); !o.Equal(start) {
		t.Fatalf("a negative lead opens at %v", o)
	}
}

func TestRoomHistoryExpires(t *testing.T) {
	closes := time.Date(2026, 12, 1, 20, 15, 0, 0, time.UTC)
	cases := []struct {
		name  string
		ended time.Time
		days  int
		want  time.Time
	}{
		{"thirty days after the close", time.Time{}, 30, closes.Add(30 * 24 * time.Hour)},
		{"zero days means at the close", time.Time{}, 0, closes},
		{"a meeting ended early counts from its end", closes.Add(-time.Hour), 0, closes.Add(-time.Hour)},
		{"an end after the close changes nothing", closes.Add(time.Hour), 1, closes.Add(24 * time.Hour)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := hearth.RoomHistoryExpires(closes, c.ended, c.days); !got.Equal(c.want) {
				t.Fatalf("got %v, want %v", got, c.want)
			}
		})
	}
}

func TestRoomSettingsValidate(t *testing.T) {
	cases := []struct {
		name  string
		s     hearth.RoomSettings
		field string
	}{
		{"the defaults are valid", hearth.DefaultRoomSettings, ""},
		{"nothing kept after the meeting is valid", hearth.RoomSettings{RetentionDays: 0, LeadMinutes: 0}, ""},
		{"a negative retention is refused", hearth.RoomSettings{RetentionDays: -1, LeadMinutes: 15}, "room_retention_days"},
		{"more than a year is refused", hearth.RoomSettings{RetentionDays: 366, LeadMinutes: 15}, "room_retention_days"},
		{"opening hours early is refused", hearth.RoomSettings{RetentionDays: 30, LeadMinutes: 121}, "room_lead_minutes"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.s.Validate()
			if c.field == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			e := hearth.AsError(err)
			if e == nil || e.Kind != hearth.Invalid || len(e.Fields) != 1 || e.Fields[0].Field != c.field {
				t.Fatalf("got %v", err)
			}
		})
	}
}
