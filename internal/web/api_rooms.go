package web

import (
	"net/http"

	"github.com/hearth-org/hearth"
)

// The rooms API: a group's room settings (history retention, how early
// rooms open), and reporting or hiding one message of a live room — the
// same use cases as the pages (pages_rooms.go) and room.js. The room
// itself is its WebSocket (docs/rooms-protocol.md).

type roomSettingsJSON struct {
	RetentionDays int `json:"room_retention_days"`
	LeadMinutes   int `json:"room_lead_minutes"`
}

func (s *Server) apiRoomSettings(w http.ResponseWriter, r *http.Request) error {
	slug, err := slugParam(r, "slug", "group")
	if err != nil {
		return err
	}
	st, err := s.app.RoomSettings(r.Context(), visitorOf(r).Actor, slug)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, roomSettingsJSON{RetentionDays: st.RetentionDays, LeadMinutes: st.LeadMinutes})
	return nil
}

func (s *Server) apiSetRoomSettings(w http.ResponseWriter, r *http.Request) error {
	slug, err := slugParam(r, "slug", "group")
	if err != nil {
		return err
	}
	// Both fields are required: a missing one must not quietly become 0
	// ("delete everything when the meeting ends").
	var in struct {
		RetentionDays *int `json:"room_retention_days"`
		LeadMinutes   *int `json:"room_lead_minutes"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	var p hearth.Problems
	if in.RetentionDays == nil {
		p.Add("room_retention_days", "required", "Say how many days the rooms' history is kept (0: nothing after the meeting).", nil)
	}
	if in.LeadMinutes == nil {
		p.Add("room_lead_minutes", "required", "Say how many minutes before a meeting its room opens.", nil)
	}
	if err := p.Err(); err != nil {
		return err
	}
	if err := s.app.SetRoomSettings(r.Context(), visitorOf(r).Actor, slug, hearth.RoomSettings{RetentionDays: *in.RetentionDays, LeadMinutes: *in.LeadMinutes}); err != nil {
		return err
	}
	return s.apiRoomSettings(w, r)
}

// roomMessageParams reads {room} and {seq}.
func roomMessageParams(r *http.Request) (roomID, seq int64, err error) {
	if roomID, err = pathID(r, "room", "message"); err != nil {
		return 0, 0, err
	}
	if seq, err = pathID(r, "seq", "message"); err != nil {
		return 0, 0, err
	}
	return roomID, seq, nil
}

type roomReportInput struct {
	Reason hearth.ReportReason `json:"reason"`
	Note   string              `json:"note"`
}

// apiReportRoomMessage files a report of one message of a room the person
// is in. The answer is the report as its writer may read it, with the
// help panel when their own note read as a crisis.
func (s *Server) apiReportRoomMessage(w http.ResponseWriter, r *http.Request) error {
	roomID, seq, err := roomMessageParams(r)
	if err != nil {
		return err
	}
	var in roomReportInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	country, lang := writerContext(r)
	f, err := s.app.ReportRoomMessage(r.Context(), visitorOf(r).Actor, roomID, seq, hearth.ReportInput{Reason: in.Reason, Note: in.Note}, country, lang)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, filedJSON{Report: reportJSON{ID: f.Report.ID, Subject: f.Report.Subject, Reason: f.Report.Reason,
		Status: f.Report.Status, CreatedAt: f.Report.CreatedAt}, Support: newSupportJSON(f.Support)})
	return nil
}

type roomHideInput struct {
	Reason   hearth.ActionReason `json:"reason"`
	Note     string              `json:"note"`
	ReportID int64               `json:"report_id"`
}

// apiHideRoomMessage hides one message of a room (its group's moderators):
// everyone in the room sees "hidden by a facilitator" and the reason.
func (s *Server) apiHideRoomMessage(w http.ResponseWriter, r *http.Request) error {
	roomID, seq, err := roomMessageParams(r)
	if err != nil {
		return err
	}
	var in roomHideInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	actor := visitorOf(r).Actor
	act, err := s.app.HideRoomMessage(r.Context(), actor, roomID, seq, hearth.ActionInput{Reason: in.Reason, Note: in.Note, ReportID: in.ReportID})
	if err != nil {
		return err
	}
	slug, err := s.app.ModeratedGroupSlug(r.Context(), actor, act.GroupID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, newActionJSON(act, slug))
	return nil
}

// roomLinkPage leads whoever moderates a room's group, or handles its
// safety alerts, to the room while it is open, else to its meeting (the
// link of an alert raised in a room).
func (s *Server) roomLinkPage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "room", "room")
	if err != nil {
		return err
	}
	to, err := s.app.RoomLink(r.Context(), visitorOf(r).Actor, id)
	if err != nil {
		return err
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}
