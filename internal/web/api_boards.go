package web

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/app"
)

// The group board's API (issue 6): the same use cases as the pages
// (pages_boards.go), as JSON. A post carries both its Markdown source
// (body) and the sanitized HTML the pages show (html).

type threadSummaryJSON struct {
	ID           int64     `json:"id"`
	Title        string    `json:"title"`
	Author       *string   `json:"author"` // null when anonymous to the caller
	Anonymous    bool      `json:"anonymous"`
	FormerMember bool      `json:"former_member"` // the writer erased their account (author null)
	Warning      string    `json:"warning"`
	WarningShow  string    `json:"warning_show"`
	Replies      int       `json:"replies"`
	LastActivity time.Time `json:"last_activity"`
	Unread       int       `json:"unread"`
	New          bool      `json:"new"`
	Announcement bool      `json:"announcement"`
	Hidden       bool      `json:"hidden"`
	HiddenReason string    `json:"hidden_reason"`
	Held         bool      `json:"held"`
}

func newThreadSummaryJSON(t app.ThreadSummary) threadSummaryJSON {
	return threadSummaryJSON{ID: t.ID, Title: t.Title, Author: nameOrNull(t.Author), Anonymous: t.Anonymous, FormerMember: t.Former, Warning: t.Warning,
		WarningShow: t.WarningShow, Replies: t.Replies, LastActivity: t.LastActivity.UTC(), Unread: t.Unread, New: t.New,
		Announcement: t.Announcement, Hidden: t.Hidden, HiddenReason: t.HiddenReason, Held: t.Held}
}

func nameOrNull(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

type muteJSON struct {
	Until  *time.Time          `json:"until"` // null: until lifted
	Reason hearth.ActionReason `json:"reason"`
}

func newMuteJSON(m *app.MuteView) *muteJSON {
	if m == nil {
		return nil
	}
	j := &muteJSON{Reason: m.Reason}
	if !m.Until.IsZero() {
		u := m.Until.UTC()
		j.Until = &u
	}
	return j
}

type boardJSON struct {
	Group    string              `json:"group"`
	Threads  []threadSummaryJSON `json:"threads"`
	Page     int                 `json:"page"`
	Pages    int                 `json:"pages"`
	Total    int                 `json:"total"`
	Leads    bool                `json:"leads"`
	MayPost  bool                `json:"may_post"`
	Muted    *muteJSON           `json:"muted"`
	Settings app.BoardSettings   `json:"settings"`
	Q        string              `json:"q"`
}

type reactionJSON struct {
	Kind  string `json:"kind"`
	Count int    `json:"count"`
	Mine  bool   `json:"mine"`
}

type postJSON struct {
	ID                 int64          `json:"id"`
	ThreadID           int64          `json:"thread_id"`
	Author             *string        `json:"author"`               // null when anonymous to the caller
	AuthorMembershipID *int64         `json:"author_membership_id"` // null when anonymous to the caller
	Anonymous          bool           `json:"anonymous"`
	FormerMember       bool           `json:"former_member"` // the writer erased their account (author null)
	Mine               bool           `json:"mine"`
	Title              string         `json:"title"`
	Body               string         `json:"body"`
	HTML               string         `json:"html"`
	Warning            string         `json:"warning"`
	WarningShow        string         `json:"warning_show"`
	CreatedAt          time.Time      `json:"created_at"`
	EditedAt           *time.Time     `json:"edited_at"`
	Held               bool           `json:"held"`
	HeldReason         string         `json:"held_reason"`
	Hidden             bool           `json:"hidden"`
	HiddenReason       string         `json:"hidden_reason"`
	Label              *labelJSON     `json:"label"`
	Reactions          []reactionJSON `json:"reactions"`
	Subject            hearth.Subject `json:"subject"`
}

func (s *Server) newPostJSON(p *app.PostView) postJSON {
	j := postJSON{ID: p.ID, ThreadID: p.ThreadID, Author: nameOrNull(p.Author), Anonymous: p.Anonymous, FormerMember: p.Former, Mine: p.Mine, Title: p.Title,
		Body: p.Body, Warning: p.Warning, WarningShow: p.WarningShow, CreatedAt: p.CreatedAt.UTC(), Held: p.Held, HeldReason: p.HeldReason,
		Hidden: p.Hidden, HiddenReason: p.HiddenReason, Label: newLabelJSON(p.Label), Reactions: []reactionJSON{},
		Subject: hearth.Subject{Kind: hearth.SubjectPost, ID: p.ID}}
	if p.AuthorMembershipID != 0 {
		id := p.AuthorMembershipID
		j.AuthorMembershipID = &id
	}
	if !p.EditedAt.IsZero() {
		e := p.EditedAt.UTC()
		j.EditedAt = &e
	}
	if p.Body != "" && !p.Hidden {
		j.HTML = s.md.Render(p.Body)
	}
	for _, k := range app.BoardReactions {
		rj := reactionJSON{Kind: k}
		for _, rc := range p.Reactions {
			if rc.Kind == k {
				rj.Count, rj.Mine = rc.Count, rc.Mine
			}
		}
		j.Reactions = append(j.Reactions, rj)
	}
	return j
}

type threadJSON struct {
	Group          string            `json:"group"`
	Thread         threadSummaryJSON `json:"thread"`
	Posts          []postJSON        `json:"posts"`
	Page           int               `json:"page"`
	Pages          int               `json:"pages"`
	Leads          bool              `json:"leads"`
	MayPost        bool              `json:"may_post"`
	Muted          *muteJSON         `json:"muted"`
	AllowAnonymous bool              `json:"allow_anonymous"`
}

// postInputJSON is what a client writes: a thread (with title), a reply or
// an edit.
type postInputJSON struct {
	Title        string `json:"title"`
	Body         string `json:"body"`
	Warning      string `json:"warning"`
	Anonymous    bool   `json:"anonymous"`
	Announcement bool   `json:"announcement"`
	Key          string `json:"key"`
	Country      string `json:"country"`
}

func (in postInputJSON) input(r *http.Request) app.PostInput {
	country, lang := writerContext(r)
	if in.Country != "" {
		country = in.Country
	}
	return app.PostInput{Title: in.Title, Body: in.Body, Warning: in.Warning, Anonymous: in.Anonymous, Announcement: in.Announcement,
		Key: in.Key, Country: country, Lang: lang}
}

type postedJSON struct {
	ThreadID int64        `json:"thread_id"`
	PostID   int64        `json:"post_id"`
	Held     bool         `json:"held"`
	Safety   *supportJSON `json:"safety,omitempty"`
}

func newPostedJSON(p *app.Posted) postedJSON {
	return postedJSON{ThreadID: p.ThreadID, PostID: p.PostID, Held: p.Held, Safety: newSupportJSON(p.Support)}
}

type revisionJSON struct {
	At      time.Time `json:"at"`
	Body    string    `json:"body"`
	HTML    string    `json:"html"`
	Warning string    `json:"warning"`
}

type warningPrefsJSON struct {
	Prefs map[string]string `json:"prefs"`
}

// ---------------------------------------------------------------------------
// Handlers

func boardSlug(r *http.Request) (string, error) { return slugParam(r, "slug", "group") }

func (s *Server) apiBoard(w http.ResponseWriter, r *http.Request) error {
	slug, err := boardSlug(r)
	if err != nil {
		return err
	}
	q, err := boardQuery(r)
	if err != nil {
		return err
	}
	v, err := s.app.Board(r.Context(), visitorOf(r).Actor, slug, q)
	if err != nil {
		return err
	}
	j := boardJSON{Group: v.Group.Slug, Threads: []threadSummaryJSON{}, Page: v.Page, Pages: v.Pages, Total: v.Total, Leads: v.Leads,
		MayPost: v.MayPost, Muted: newMuteJSON(v.Muted), Settings: v.Settings, Q: v.Q}
	for _, t := range v.Threads {
		j.Threads = append(j.Threads, newThreadSummaryJSON(t))
	}
	writeJSON(w, http.StatusOK, j)
	return nil
}

func (s *Server) apiStartThread(w http.ResponseWriter, r *http.Request) error {
	slug, err := boardSlug(r)
	if err != nil {
		return err
	}
	var in postInputJSON
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	p, err := s.app.StartThread(r.Context(), visitorOf(r).Actor, slug, in.input(r))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, newPostedJSON(p))
	return nil
}

func (s *Server) apiThread(w http.ResponseWriter, r *http.Request) error {
	slug, err := boardSlug(r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "thread", "thread")
	if err != nil {
		return err
	}
	page, err := pageParam(r)
	if err != nil {
		return err
	}
	v, err := s.app.Thread(r.Context(), visitorOf(r).Actor, slug, id, page)
	if err != nil {
		return err
	}
	j := threadJSON{Group: v.Group.Slug, Thread: newThreadSummaryJSON(v.Thread), Posts: []postJSON{}, Page: v.Page, Pages: v.Pages,
		Leads: v.Leads, MayPost: v.MayPost, Muted: newMuteJSON(v.Muted), AllowAnonymous: v.AllowAnonymous}
	for i := range v.Posts {
		j.Posts = append(j.Posts, s.newPostJSON(&v.Posts[i]))
	}
	writeJSON(w, http.StatusOK, j)
	return nil
}

func (s *Server) apiReply(w http.ResponseWriter, r *http.Request) error {
	slug, err := boardSlug(r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "thread", "thread")
	if err != nil {
		return err
	}
	var in postInputJSON
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	p, err := s.app.Reply(r.Context(), visitorOf(r).Actor, slug, id, in.input(r))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, newPostedJSON(p))
	return nil
}

// postParams reads a post route's group and post.
func postParams(r *http.Request) (string, int64, error) {
	slug, err := boardSlug(r)
	if err != nil {
		return "", 0, err
	}
	id, err := pathID(r, "post", "post")
	return slug, id, err
}

func (s *Server) apiPost(w http.ResponseWriter, r *http.Request) error {
	slug, id, err := postParams(r)
	if err != nil {
		return err
	}
	p, err := s.app.Post(r.Context(), visitorOf(r).Actor, slug, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.newPostJSON(p))
	return nil
}

func (s *Server) apiEditPost(w http.ResponseWriter, r *http.Request) error {
	slug, id, err := postParams(r)
	if err != nil {
		return err
	}
	var in postInputJSON
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	p, err := s.app.EditPost(r.Context(), visitorOf(r).Actor, slug, id, in.input(r))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, newPostedJSON(p))
	return nil
}

func (s *Server) apiDeletePost(w http.ResponseWriter, r *http.Request) error {
	slug, id, err := postParams(r)
	if err != nil {
		return err
	}
	if err := s.app.DeletePost(r.Context(), visitorOf(r).Actor, slug, id); err != nil {
		return err
	}
	writeNoContent(w)
	return nil
}

func (s *Server) apiReact(w http.ResponseWriter, r *http.Request) error {
	return s.apiReaction(w, r, true)
}
func (s *Server) apiUnreact(w http.ResponseWriter, r *http.Request) error {
	return s.apiReaction(w, r, false)
}

func (s *Server) apiReaction(w http.ResponseWriter, r *http.Request, on bool) error {
	slug, id, err := postParams(r)
	if err != nil {
		return err
	}
	kind := r.PathValue("kind")
	if !slices.Contains(app.BoardReactions, kind) {
		return hearth.Errorf(hearth.NotFound, "There is no reaction %q; the reactions are %v.", kind, app.BoardReactions)
	}
	if err := s.app.React(r.Context(), visitorOf(r).Actor, slug, id, kind, on); err != nil {
		return err
	}
	writeNoContent(w)
	return nil
}

func (s *Server) apiPostHistory(w http.ResponseWriter, r *http.Request) error {
	slug, id, err := postParams(r)
	if err != nil {
		return err
	}
	revs, err := s.app.PostHistory(r.Context(), visitorOf(r).Actor, slug, id)
	if err != nil {
		return err
	}
	out := []revisionJSON{}
	for _, rv := range revs {
		out = append(out, revisionJSON{At: rv.At.UTC(), Body: rv.Body, HTML: s.md.Render(rv.Body), Warning: rv.Warning})
	}
	writeJSON(w, http.StatusOK, map[string]any{"revisions": out})
	return nil
}

func (s *Server) apiApprovePost(w http.ResponseWriter, r *http.Request) error {
	slug, id, err := postParams(r)
	if err != nil {
		return err
	}
	if err := s.app.ApprovePost(r.Context(), visitorOf(r).Actor, slug, id); err != nil {
		return err
	}
	writeNoContent(w)
	return nil
}

func (s *Server) apiBoardSettings(w http.ResponseWriter, r *http.Request) error {
	slug, err := boardSlug(r)
	if err != nil {
		return err
	}
	st, err := s.app.BoardSettings(r.Context(), visitorOf(r).Actor, slug)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, st)
	return nil
}

// boardSettingsInput has every field required: a missing one never
// silently becomes false or 0.
type boardSettingsInput struct {
	AllowAnonymous *bool `json:"allow_anonymous"`
	AlumniRead     *bool `json:"alumni_read"`
	DeletedDays    *int  `json:"deleted_days"`
	// ErasedPosts is optional: absent keeps the group's current choice.
	ErasedPosts string `json:"erased_posts"`
}

func (s *Server) apiSetBoardSettings(w http.ResponseWriter, r *http.Request) error {
	slug, err := boardSlug(r)
	if err != nil {
		return err
	}
	var in boardSettingsInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	var p hearth.Problems
	if in.AllowAnonymous == nil {
		p.Add("allow_anonymous", "required", "Say true or false.", nil)
	}
	if in.AlumniRead == nil {
		p.Add("alumni_read", "required", "Say true or false.", nil)
	}
	if in.DeletedDays == nil {
		p.Add("deleted_days", "required", "Give a whole number of days from 0 to 90.", nil)
	}
	if err := p.Err(); err != nil {
		return err
	}
	st, err := s.app.SetBoardSettings(r.Context(), visitorOf(r).Actor, slug,
		app.BoardSettings{AllowAnonymous: *in.AllowAnonymous, AlumniRead: *in.AlumniRead, DeletedDays: *in.DeletedDays, ErasedPosts: in.ErasedPosts})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, st)
	return nil
}

func (s *Server) apiWarningPrefs(w http.ResponseWriter, r *http.Request) error {
	prefs, err := s.app.WarningPrefs(r.Context(), visitorOf(r).Actor)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, warningPrefsJSON{Prefs: prefs})
	return nil
}

func (s *Server) apiSetWarningPrefs(w http.ResponseWriter, r *http.Request) error {
	var in warningPrefsJSON
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	codes := append(slices.Clone(app.BoardWarnings), boardOwnPref)
	var p hearth.Problems
	for code, choice := range in.Prefs {
		switch {
		case !slices.Contains(codes, code):
			p.Add("prefs."+code, "unknown", "Not a content warning: use "+strings.Join(codes, ", ")+".", map[string]any{"Value": code})
		case !slices.Contains(boardWarningChoices, choice):
			p.Add("prefs."+code, "unknown", "Choose show, collapse or hide.", map[string]any{"Value": choice})
		}
	}
	if err := p.Err(); err != nil {
		return err
	}
	actor := visitorOf(r).Actor
	for _, code := range codes { // in a fixed order
		if choice, ok := in.Prefs[code]; ok {
			if err := s.app.SetWarningPref(r.Context(), actor, code, choice); err != nil {
				return err
			}
		}
	}
	return s.apiWarningPrefs(w, r)
}
