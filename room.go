package hearth

import (
	"fmt"
	"time"
)

// Rooms: the live online space of one occurrence of an online or hybrid
// meeting. The rules here are the ones that need no storage: when a room
// is open and how long a group keeps a room's history.

// Room window and history defaults and limits.
const (
	// DefaultRoomLeadMinutes is how long before a start a room opens.
	DefaultRoomLeadMinutes = 15
	// MaxRoomLeadMinutes is the earliest a group may open its rooms.
	MaxRoomLeadMinutes = 120
	// RoomGraceMinutes is how long a room stays open after the scheduled
	// end, for a meeting that runs a little over and for goodbyes.
	RoomGraceMinutes = 15
	// DefaultRoomRetentionDays is how long a room's history is kept after
	// the room closes, unless the group chooses otherwise.
	DefaultRoomRetentionDays = 30
	// MaxRoomRetentionDays is the longest a group may keep it.
	MaxRoomRetentionDays = 365
	// MaxRoomMessageLen is the longest message, in characters.
	MaxRoomMessageLen = 4000
	// MaxRoomKeyLen is the longest idempotency key a client may send.
	MaxRoomKeyLen = 64
)

// RoomWindow returns when the room of an occurrence that runs from start to
// end opens (lead minutes before the start) and closes (RoomGraceMinutes
// after the end).
func RoomWindow(start, end time.Time, leadMinutes int) (opens, closes time.Time) {
	if leadMinutes < 0 {
		leadMinutes = 0
	}
	return start.Add(-time.Duration(leadMinutes) * time.Minute), end.Add(RoomGraceMinutes * time.Minute)
}

// RoomHistoryExpires returns when a room's history is deleted: retention
// days after the room closed (or was ended, if earlier); with 0 days, at
// the close itself — nothing is kept after the meeting.
func RoomHistoryExpires(closes, ended time.Time, retentionDays int) time.Time {
	end := closes
	if !ended.IsZero() && ended.Before(end) {
		end = ended
	}
	return end.Add(time.Duration(retentionDays) * 24 * time.Hour)
}

// RoomSettings is how a group runs its rooms.
type RoomSettings struct {
	// RetentionDays is how long history is kept after a meeting (0:
	// nothing is kept once it ends).
	RetentionDays int `json:"room_retention_days"`
	// LeadMinutes is how long before a start the room opens.
	LeadMinutes int `json:"room_lead_minutes"`
}

// DefaultRoomSettings are a group's room settings until it sets its own.
var DefaultRoomSettings = RoomSettings{RetentionDays: DefaultRoomRetentionDays, LeadMinutes: DefaultRoomLeadMinutes}

// Validate checks the settings; problems name the API's fields.
func (s RoomSettings) Validate() error {
	var p Problems
	if s.RetentionDays < 0 || s.RetentionDays > MaxRoomRetentionDays {
		p.Add("room_retention_days", "range", fmt.Sprintf("Keep a room's history between 0 days (nothing after the meeting) and %d days.", MaxRoomRetentionDays),
			map[string]any{"Min": 0, "Max": MaxRoomRetentionDays})
	}
	if s.LeadMinutes < 0 || s.LeadMinutes > MaxRoomLeadMinutes {
		p.Add("room_lead_minutes", "range", fmt.Sprintf("A room can open between 0 and %d minutes before the meeting.", MaxRoomLeadMinutes),
			map[string]any{"Min": 0, "Max": MaxRoomLeadMinutes})
	}
	return p.Err()
}
