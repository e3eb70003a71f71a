package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/app"
)

// Notices: what happened in a person's groups (applications, waitlist
// offers, meeting changes, reminders, board replies, mentions and
// announcements — a board notice whose post is gone shows as a placeholder
// without a link). Behind sign-in, so a notice may name
// the group; the emails that point here never do. Also the reminder
// choices on the account page and their API.

type noticesPage struct {
	base
	Notices []app.StoredNotice
	Unread  int
	UpTo    int64          // the newest notice shown: "mark all read" stops there
	Older   string         // the next page's address, "" on the last
	Gone    map[int64]bool // board notices whose post is no longer there (shown without a link)
}

// NoticeText says what happened, in the reader's language and zone.
func (p *noticesPage) NoticeText(n app.StoredNotice) string {
	group := n.GroupName
	if group == "" {
		group = p.T("notice.a_group")
	}
	kind := n.Kind
	if p.Gone[n.ID] {
		kind = "board_gone"
	}
	return p.T("notice."+kind, "group", group, "when", p.meetingTime(n.About, n.GroupZone))
}

// NoticeLink is where a notice leads: "" for none, or for a board post
// that is no longer there.
func (p *noticesPage) NoticeLink(n app.StoredNotice) string {
	if p.Gone[n.ID] {
		return ""
	}
	return n.Link
}

// meetingTime writes a moment in the viewer's zone, and in the group's too
// when they differ; in the group's alone when the viewer chose no zone.
func (p *noticesPage) meetingTime(t time.Time, groupZone string) string {
	if t.IsZero() {
		return ""
	}
	if groupZone == "" {
		return p.When(t)
	}
	if p.ZoneName == "" {
		return p.WhenIn(t, groupZone)
	}
	s := p.When(t)
	if p.ZoneDiffers(t, groupZone) {
		s += " (" + p.WhenIn(t, groupZone) + ")"
	}
	return s
}

func (s *Server) noticesPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	actor := visitorOf(r).Actor
	before, err := pageCursor(r.URL.Query().Get("before"))
	if err != nil {
		return err
	}
	list, more, err := s.app.MyNotices(ctx, actor, before)
	if err != nil {
		return err
	}
	p := &noticesPage{Notices: list}
	if p.Unread, err = s.app.UnreadNotices(ctx, actor); err != nil {
		return err
	}
	if p.Gone, err = s.app.BoardNoticesGone(ctx, actor, list); err != nil {
		return err
	}
	if len(list) > 0 && before == 0 {
		p.UpTo = list[0].ID
	}
	if more {
		p.Older = "/notices?before=" + strconv.FormatInt(list[len(list)-1].ID, 10)
	}
	p.Title = s.locale(r).T("notices.title")
	s.render(w, r, http.StatusOK, "notices", p)
	return nil
}

// markNoticesRead marks the notices the person saw (up to up_to) as read.
func (s *Server) markNoticesRead(w http.ResponseWriter, r *http.Request) error {
	form, err := parseForm(r)
	if err != nil {
		return err
	}
	upTo, err := pageCursor(form.Get("up_to"))
	if err != nil {
		return err
	}
	if _, err := s.app.MarkNoticesRead(r.Context(), visitorOf(r).Actor, upTo); err != nil {
		return err
	}
	return s.redirect(w, r, "/notices", "flash.notices_read")
}

// pageCursor reads a notice id from a query or form ("" is 0).
func pageCursor(v string) (int64, error) {
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return 0, hearth.Coded(hearth.Invalid, "bad_cursor", "That page of notices does not exist; start from the newest.")
	}
	return n, nil
}

// saveReminders stores the account page's reminder choices.
func (s *Server) saveReminders(w http.ResponseWriter, r *http.Request) error {
	form, err := parseForm(r)
	if err != nil {
		return err
	}
	p := app.ReminderPrefs{Before24h: form.Get("before_24h") == "yes", Before1h: form.Get("before_1h") == "yes"}
	if _, err := s.app.SetMyReminders(r.Context(), visitorOf(r).Actor, p); err != nil {
		return err
	}
	// The board digest's box is on the same form; a form without it (an
	// older page) leaves the choice alone.
	if form.Get("board_digest_shown") != "" {
		if _, err := s.app.SetMyBoardDigest(r.Context(), visitorOf(r).Actor, form.Get("board_digest") == "yes"); err != nil {
			return err
		}
	}
	return s.redirect(w, r, "/account#reminders", "flash.reminders_saved")
}

// ---------------------------------------------------------------------------
// API

type noticeJSON struct {
	ID        int64            `json:"id"`
	Kind      string           `json:"kind"`
	Group     *noticeGroupJSON `json:"group"`
	Link      string           `json:"link"`
	At        *string          `json:"at"`
	CreatedAt string           `json:"created_at"`
	Read      bool             `json:"read"`
}

type noticeGroupJSON struct {
	Slug string `json:"slug"`
	Name string `json:"name"`
}

func (s *Server) apiNotices(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	actor := visitorOf(r).Actor
	before, err := pageCursor(r.URL.Query().Get("before"))
	if err != nil {
		return err
	}
	list, more, err := s.app.MyNotices(ctx, actor, before)
	if err != nil {
		return err
	}
	unread, err := s.app.UnreadNotices(ctx, actor)
	if err != nil {
		return err
	}
	gone, err := s.app.BoardNoticesGone(ctx, actor, list)
	if err != nil {
		return err
	}
	out := make([]noticeJSON, len(list))
	for i, n := range list {
		j := noticeJSON{ID: n.ID, Kind: n.Kind, Link: n.Link, CreatedAt: rfc3339(n.CreatedAt), Read: !n.ReadAt.IsZero()}
		if gone[n.ID] {
			j.Link = "" // the board post is no longer there
		}
		if n.GroupSlug != "" {
			j.Group = &noticeGroupJSON{Slug: n.GroupSlug, Name: n.GroupName}
		}
		if !n.About.IsZero() {
			at := rfc3339(n.About)
			j.At = &at
		}
		out[i] = j
	}
	var next *int64
	if more {
		id := list[len(list)-1].ID
		next = &id
	}
	writeJSON(w, http.StatusOK, map[string]any{"notices": out, "unread": unread, "next_before": next})
	return nil
}

type markReadInput struct {
	UpTo int64 `json:"up_to"`
}

func (s *Server) apiMarkNoticesRead(w http.ResponseWriter, r *http.Request) error {
	var in markReadInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if in.UpTo < 0 {
		return hearth.Coded(hearth.Invalid, "bad_cursor", "up_to must be a notice id, or 0 for all.")
	}
	n, err := s.app.MarkNoticesRead(r.Context(), visitorOf(r).Actor, in.UpTo)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"marked": n})
	return nil
}

func (s *Server) apiReminders(w http.ResponseWriter, r *http.Request) error {
	st, err := s.app.MyReminders(r.Context(), visitorOf(r).Actor)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, st)
	return nil
}

type remindersInput struct {
	Before24h   *bool `json:"before_24h"`
	Before1h    *bool `json:"before_1h"`
	BoardDigest *bool `json:"board_digest"` // optional: left alone when absent
}

func (s *Server) apiSetReminders(w http.ResponseWriter, r *http.Request) error {
	var in remindersInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	var p hearth.Problems
	if in.Before24h == nil {
		p.Add("before_24h", "required", "Say true or false: remind 24 hours before a meeting?", nil)
	}
	if in.Before1h == nil {
		p.Add("before_1h", "required", "Say true or false: remind 1 hour before a meeting?", nil)
	}
	if err := p.Err(); err != nil {
		return err
	}
	st, err := s.app.SetMyReminders(r.Context(), visitorOf(r).Actor, app.ReminderPrefs{Before24h: *in.Before24h, Before1h: *in.Before1h})
	if err != nil {
		return err
	}
	if in.BoardDigest != nil {
		if st, err = s.app.SetMyBoardDigest(r.Context(), visitorOf(r).Actor, *in.BoardDigest); err != nil {
			return err
		}
	}
	writeJSON(w, http.StatusOK, st)
	return nil
}
