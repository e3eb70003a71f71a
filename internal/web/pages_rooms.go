package web

import (
	"context"
	"encoding/json"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/app"
	"github.com/hearth-org/hearth/internal/room"
)

// The room of an online or hybrid occurrence: the page (plain HTML that
// says what it is without JavaScript, and lists the latest messages), and
// the WebSocket room.js connects to (ws.go adapts it; internal/room runs
// it). Both ask app.EnterRoom first: who may not enter gets the same
// answer as for a meeting that does not exist.

// roomRecent is how many of the latest messages the page lists.
const roomRecent = 50

// roomPage is the room's page.
type roomPage struct {
	base
	Group          *hearth.Group
	Occ            hearth.Occurrence
	Me             room.Member
	Locked, Ended  bool
	Muted          bool      // a moderator paused the member's posting in the group…
	MutedUntil     time.Time // …until then (zero: until lifted)
	OccurrencePath string
	SocketPath     string
	TextMax        int
	Recent         []room.Event // the latest messages this member may see, oldest first
	RetentionDays  int          // how long the group keeps the room's history (0: until the meeting ends)
	Room           int64        // the room's id (room.js reports and hides messages through the API)
	Crisis         *crisisPanel // shown by room.js when the room sends help
	Strings        template.JS  // the script's strings, as a JSON object (in a data block, not run)
}

// roomScriptKeys are the catalog strings room.js shows.
var roomScriptKeys = []string{
	"room.status.connecting", "room.status.connected", "room.status.reconnecting", "room.status.offline", "room.status.ended",
	"room.status.closed", "room.status.removed", "room.status.slow", "room.status.too_big", "room.status.rate_limited", "room.status.bad_frame",
	"room.status.locked",
	"room.you", "room.former_member", "room.facilitator", "room.held_note", "room.sending", "room.not_sent", "room.no_messages",
	"room.floor.open", "room.floor.holder", "room.floor.you",
	"room.hand.raise", "room.hand.lower", "room.hand.give_floor", "room.hand.lower_theirs",
	"room.round.check_in", "room.round.check_out", "room.round.question", "room.round.now", "room.round.turn", "room.round.turn_timer",
	"room.round.all_done", "room.turn.yours", "room.turn.yours_timer",
	"room.event.hand_up", "room.event.hand_down", "room.event.floor", "room.event.floor_open", "room.event.round_start",
	"room.event.round_next", "room.event.round_pass", "room.event.round_end", "room.event.mute", "room.event.unmute",
	"room.event.remove", "room.event.lock", "room.event.unlock", "room.event.end", "room.event.release",
	"room.event.joined", "room.event.left",
	"room.member.mute", "room.member.unmute", "room.member.remove", "room.member.remove_confirm", "room.member.muted",
	"room.fac.lock", "room.fac.unlock", "room.fac.end_confirm", "room.fac.release", "room.fac.held_none",
	"room.alert", "room.alert_dismiss",
	"room.error.generic",
	"room.hidden", "room.report.button", "room.report.title", "room.report.reason", "room.report.note", "room.report.send", "room.report.cancel",
	"room.report.sent", "room.hide.button", "room.hide.reason", "room.hide.send", "room.hide.done", "room.event.hide",
}

// roomReportReasons and roomHideReasons are the reasons room.js offers
// (their names come from the moderation catalog).
var (
	roomReportReasons = hearth.ReportReasons
	roomHideReasons   = hearth.ActionReasons
)

// roomErrorCodes are the room's error codes the catalog translates
// (room.error.<code>); others show the server's English message.
var roomErrorCodes = []string{
	"room_ended", "room_no_round", "room_nobody_present", "room_not_your_turn", "room_facilitators_only", "room_muted",
	"room_own_hand", "room_removed", "room_bad_key", "room_bad_member", "room_bad_round", "room_bad_timer", "room_empty_text",
	"room_need_question", "room_not_held", "room_text_too_long", "room_rate_limited", "room_unavailable", "muted",
}

// roomPaths are a room's page and socket.
func roomPaths(slug string, meeting int64, at time.Time) (page, socket string) {
	page = app.OccurrencePath(slug, meeting, at) + "/room"
	return page, page + "/ws"
}

func (s *Server) roomPageHandler(w http.ResponseWriter, r *http.Request) error {
	ref, err := occurrenceParam(r)
	if err != nil {
		return err
	}
	v := visitorOf(r)
	ctx := r.Context()
	pass, err := s.app.EnterRoom(ctx, v.Actor, ref.Slug, ref.Meeting, ref.At)
	if err != nil {
		return err
	}
	occ, err := s.app.Occurrence(ctx, v.Actor, ref.Slug, ref.Meeting, ref.At)
	if err != nil {
		return err
	}
	recent, err := s.recentMessages(r, pass)
	if err != nil {
		return err
	}
	l := s.locale(r)
	strs := map[string]string{}
	for _, k := range roomScriptKeys {
		strs[k] = l.T(k)
	}
	for _, c := range roomErrorCodes {
		strs["room.error."+c] = l.T("room.error." + c)
	}
	// The reasons a member reports for, and a facilitator hides for (the
	// latter also name why a message is hidden): "reason.<code>" and
	// "hide_reason.<code>", in the catalog's order.
	var reportOrder, hideOrder []string
	for _, c := range roomReportReasons {
		strs["reason."+string(c)] = l.T("moderation.reason." + string(c))
		reportOrder = append(reportOrder, string(c))
	}
	for _, c := range roomHideReasons {
		strs["hide_reason."+string(c)] = l.T("moderation.action_reason." + string(c))
		hideOrder = append(hideOrder, string(c))
	}
	strs["reasons.report"], strs["reasons.hide"] = strings.Join(reportOrder, " "), strings.Join(hideOrder, " ")
	js, err := json.Marshal(strs)
	if err != nil {
		return err
	}
	_, socket := roomPaths(ref.Slug, ref.Meeting, ref.At)
	p := &roomPage{Group: occ.Group, Occ: occ.Occurrence, Me: pass.Member, Locked: pass.Locked, Ended: pass.Ended,
		OccurrencePath: app.OccurrencePath(ref.Slug, ref.Meeting, ref.At), SocketPath: socket, TextMax: room.MaxTextChars,
		Recent: recent, Crisis: s.panelFor(r, &app.Support{Crisis: true}), Strings: template.JS(js)}
	p.Muted, p.MutedUntil = pass.Muted, pass.MutedUntil
	p.RetentionDays, p.Room = pass.RetentionDays, pass.Room
	p.Title = l.T("room.title", "name", occ.Group.Name)
	s.render(w, r, http.StatusOK, "room", p)
	return nil
}

// recentMessages reads the room's latest messages this member may see:
// held ones only for facilitators and their writer until released.
func (s *Server) recentMessages(r *http.Request, pass *app.RoomPass) ([]room.Event, error) {
	store := s.app.RoomStore()
	var ring []room.Event
	held := map[int64]room.Event{} // messages held from this member, until released
	var after int64
	for range 100 { // at most 100 pages: a very long meeting
		evs, err := store.Since(r.Context(), pass.Room, after, 500)
		if err != nil {
			return nil, err
		}
		for _, ev := range evs {
			after = ev.Seq
			switch ev.Kind {
			case room.KindMessage:
				if ev.Held && !pass.Member.Facilitator && ev.Actor != pass.Member.ID {
					held[ev.Seq] = ev
					continue
				}
			case room.KindRelease:
				// A message released later is shown from its release on,
				// as room.js shows it.
				m, ok := held[ev.Target]
				if !ok {
					continue
				}
				delete(held, ev.Target)
				ev = m
			default:
				continue
			}
			ring = append(ring, ev)
			if len(ring) > 2*roomRecent {
				ring = append(ring[:0], ring[len(ring)-roomRecent:]...)
			}
		}
		if len(evs) < 500 {
			break
		}
	}
	if len(ring) > roomRecent {
		ring = ring[len(ring)-roomRecent:]
	}
	return ring, nil
}

// roomSocket upgrades to the room's WebSocket: the member's session (or
// token) is checked by app.EnterRoom before anything is upgraded, and a
// page of another site is refused.
func (s *Server) roomSocket(w http.ResponseWriter, r *http.Request) error {
	if !s.originAllowed(r) {
		return errBadOrigin
	}
	ref, err := occurrenceParam(r)
	if err != nil {
		return err
	}
	after := int64(-1) // wait for the hello frame
	if a := r.URL.Query().Get("after"); a != "" {
		n, err := strconv.ParseInt(a, 10, 64)
		if err != nil || n < 0 {
			return errBadAfter
		}
		after = n
	}
	pass, err := s.app.EnterRoom(r.Context(), visitorOf(r).Actor, ref.Slug, ref.Meeting, ref.At)
	if err != nil {
		return err
	}
	if pass.Ended {
		return errRoomEnded
	}
	if s.rooms == nil {
		return errRoomsOff
	}
	if !isUpgrade(r) {
		return errNotUpgrade
	}
	c, err := upgrade(w, r)
	if err != nil {
		s.log.Info("room upgrade failed", "err", err)
		return nil // the upgrader answered the client
	}
	// UTC: a time in the meeting's zone would keep that zone's tables
	// (about 3 KiB, loaded per request) alive for as long as the member
	// stays connected.
	info := room.RoomInfo{ID: pass.Room, Group: pass.Group, Closes: pass.Closes.UTC()}
	m := pass.Member
	go func() {
		if err := s.rooms.Serve(context.Background(), c, info, m, after); err != nil {
			s.log.Error("room connection", "room", info.ID, "err", err)
		}
	}()
	return nil
}

// Room socket errors answered before the upgrade.
var (
	errBadOrigin  = hearth.Coded(hearth.Forbidden, "bad_origin", "This room can only be opened from Hearth's own pages.")
	errBadAfter   = hearth.Coded(hearth.Invalid, "bad_after", "after must be the last sequence number seen (0 for none).")
	errRoomEnded  = hearth.Coded(hearth.Conflict, "room_ended", "The meeting has ended.")
	errRoomsOff   = hearth.Coded(hearth.Unavailable, "rooms_off", "Live rooms are not running on this server.")
	errNotUpgrade = hearth.Coded(hearth.Invalid, "websocket_only", "This address takes a WebSocket connection (see docs/rooms-protocol.md).")
)

// ---- room settings (on the group's meetings page) ----

// roomSettingsForm is the room settings form as sent back with problems
// (or as stored).
type roomSettingsForm struct {
	formState
	RetentionDays, LeadMinutes string
}

// roomSettingsFields are the form's fields shown next to their problems.
var roomSettingsFields = []string{"room_retention_days", "room_lead_minutes"}

// roomSettingsPage saves a group's room settings from the meetings page.
func (s *Server) roomSettingsPage(w http.ResponseWriter, r *http.Request) error {
	form, err := parseForm(r)
	if err != nil {
		return err
	}
	slug := r.PathValue("slug")
	sent := roomSettingsForm{RetentionDays: strings.TrimSpace(form.Get("room_retention_days")), LeadMinutes: strings.TrimSpace(form.Get("room_lead_minutes"))}
	var p hearth.Problems
	num := func(field, v string) int {
		n, err := strconv.Atoi(v)
		if err != nil {
			p.Add(field, "number", "Write a whole number.", nil)
			return 0
		}
		return n
	}
	st := hearth.RoomSettings{RetentionDays: num("room_retention_days", sent.RetentionDays), LeadMinutes: num("room_lead_minutes", sent.LeadMinutes)}
	// Every field's problem at once: a word in one field does not hide a
	// number out of range in the other.
	if verr := st.Validate(); verr != nil && len(p) > 0 {
		for _, fe := range hearth.AsError(verr).Fields {
			if !slices.ContainsFunc(p, func(x hearth.FieldError) bool { return x.Field == fe.Field }) {
				p = append(p, fe)
			}
		}
	}
	err = p.Err()
	if err == nil {
		err = s.app.SetRoomSettings(r.Context(), visitorOf(r).Actor, slug, st)
	}
	if err == nil {
		return s.redirect(w, r, "/groups/"+slug+"/meetings#room-settings", "flash.room_settings_saved")
	}
	if _, st := classify(err); st == http.StatusForbidden || st == http.StatusNotFound || st >= 500 {
		return err
	}
	return s.meetingsFormError(w, r, err, func(mp *meetingsPage, err error) bool {
		mp.Rooms = &sent
		return s.setFormError(r, &mp.Rooms.formState, err, "room.settings.", roomSettingsFields...)
	})
}
