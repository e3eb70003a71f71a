package web

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/app"
	"github.com/hearth-org/hearth/internal/i18n"
)

// The group board (issue 6): a group's threads between meetings, visible
// to its active members and facilitators (alumni read only, where the group
// allows it). Every page works without JavaScript: content warnings are
// <details> elements, reactions and moderation are small forms, deleting
// has a confirmation page. app decides who sees what; the pages only show
// what app returned. A post's Markdown is rendered by internal/markdown
// (sanitized HTML) and only that output is marked safe.

// boardPath, threadPath and postPath are the board's addresses.
func boardPath(slug string) string { return "/groups/" + slug + "/board" }
func threadPath(slug string, thread int64) string {
	return boardPath(slug) + "/" + strconv.FormatInt(thread, 10)
}
func postPath(slug string, post int64) string {
	return boardPath(slug) + "/posts/" + strconv.FormatInt(post, 10)
}

// boardOwnWarning is the warning select's value for "other (your words)",
// and the preference code for every warning in a writer's own words.
const (
	boardOwnWarning = "other"
	boardOwnPref    = "own"
)

// boardWarningChoices are the preference choices in the order shown.
var boardWarningChoices = []string{app.WarningShow, app.WarningCollapse, app.WarningHide}

// boardPostFields are the post form's fields shown next to their problems.
var boardPostFields = []string{"title", "body", "warning", "anonymous"}

// errBoardTooLong answers a post form too large to read: the page says so
// next to the body field (nothing was stored).
var errBoardTooLong = &hearth.Error{Kind: hearth.TooLarge, Code: "too_large", Message: "What you wrote is too long to send.",
	Fields: []hearth.FieldError{{Field: "body", Code: "too_long", Message: "Your post is too long: a post can have at most 20,000 characters.",
		Params: map[string]any{"Max": 20000}}}}

// ---------------------------------------------------------------------------
// What the board pages share

// boardBase is what every board page knows about the viewer and the group.
type boardBase struct {
	base
	Group  *hearth.Group
	Leads  bool
	Crisis *crisisPanel  // help shown once after a post that read as a crisis
	Live   bool          // the live "new posts" hint is served (board-hooks)
	Muted  *app.MuteView // the viewer's mute in the group (nil: none)
}

// WarningWords names a content warning in the page's language: a code's
// name, or the writer's own words.
func (b *base) WarningWords(w string) string { return warningWords(b.L, w) }

func warningWords(l *i18n.Locale, w string) string {
	if slices.Contains(app.BoardWarnings, w) {
		return l.T("board.warning." + w)
	}
	return w
}

// ReactionWords names a reaction in the page's language.
func (b *base) ReactionWords(kind string) string { return b.T("board.reaction." + kind) }

// Author names a post's or thread's writer for this viewer: the pseudonym,
// "a former member" when the writer erased their account, or "a member"
// when anonymous to them.
func (b *base) Author(name string, former bool) string {
	switch {
	case former:
		return b.T("board.a_former_member")
	case name == "":
		return b.T("board.a_member")
	}
	return name
}

// BoardChoiceWords names a reader's choice for a warning.
func (b *base) BoardChoiceWords(choice string) string { return b.T("board.choice." + choice) }

// postForm is the form to write a thread, a reply or an edit, as sent back
// with its problems (the writer's words are kept).
type postForm struct {
	formState
	Title, Body    string
	Warning        string // "", a code, or boardOwnWarning
	WarningOther   string // the writer's own words
	Anonymous      bool
	Announcement   bool
	Key            string // an idempotency key: a second send gives the first post
	AllowAnonymous bool   // the group allows anonymous posts
	Leads          bool   // may post announcements
	// How the form is shown.
	L         *i18n.Locale
	Action    string // where it posts
	Kind      string // "thread", "reply" or "edit"
	WithTitle bool
}

// T translates a message key (the form is a partial template's data).
func (f *postForm) T(key string, args ...any) string { return f.L.T(key, args...) }

// WarningWords names a warning code in the form's language.
func (f *postForm) WarningWords(code string) string { return warningWords(f.L, code) }

// Warnings lists the warning codes the form offers.
func (f *postForm) Warnings() []string { return app.BoardWarnings }

// newKey returns a fresh idempotency key for a form.
func newKey() string {
	var b [12]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// readPostForm reads the post form into the form state and app's input.
func readPostForm(r *http.Request, form url.Values) (postForm, app.PostInput) {
	f := postForm{Title: strings.TrimSpace(form.Get("title")), Body: form.Get("body"), Warning: form.Get("warning"),
		WarningOther: strings.TrimSpace(form.Get("warning_other")), Anonymous: form.Get("anonymous") != "",
		Announcement: form.Get("announcement") != "", Key: form.Get("key")}
	if len(f.Key) > 64 {
		f.Key = ""
	}
	country, lang := writerContext(r)
	// A code from the list, or the writer's own words behind "other"
	// (anything else is their words too: app checks its length).
	in := app.PostInput{Title: f.Title, Body: f.Body, Warning: f.Warning, Anonymous: f.Anonymous, Announcement: f.Announcement, Key: f.Key,
		Country: country, Lang: lang}
	if f.Warning == boardOwnWarning {
		in.Warning = f.WarningOther
	}
	return f, in
}

// warningFormValues splits a stored warning into the select and the text.
func warningFormValues(w string) (sel, other string) {
	if w == "" || slices.Contains(app.BoardWarnings, w) {
		return w, ""
	}
	return boardOwnWarning, w
}

// ownWordsMissing is the problem of "other" chosen with no words.
func ownWordsMissing(f postForm) error {
	if f.Warning == boardOwnWarning && f.WarningOther == "" {
		return hearth.Problems{{Field: "warning", Code: "required", Message: "Write your own words for the warning, or choose another."}}.Err()
	}
	return nil
}

// readPostRequest parses a post form; a form too large to read becomes
// the form again with a clear problem (status 413) and nothing stored.
func readPostRequest(r *http.Request) (url.Values, error) {
	form, err := parseForm(r)
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return nil, errBoardTooLong
	}
	return form, err
}

// boardFormStatus is the status a form shows again with (413 for a post
// too large to read).
func boardFormStatus(err error) int {
	_, st := classify(err)
	return st
}

// fixable reports whether an error belongs on the form (the person can fix
// it) rather than on the error page.
func fixable(err error) bool {
	_, st := classify(err)
	return st == http.StatusBadRequest || st == http.StatusConflict || st == http.StatusRequestEntityTooLarge || st == http.StatusTooManyRequests
}

// postRefusals are the refusals of a post its writer may act on (write
// it without the link, post under their name, keep the draft while muted):
// the form comes back with their words kept and the problem next to the
// field it is about ("" for the summary only).
var postRefusals = map[string]string{"new_member_links": "body", "anonymous_not_allowed": "anonymous", "not_facilitator": "announcement", "muted": "body"}

// refusedPost reports whether an error is one of postRefusals.
func refusedPost(err error) (string, bool) {
	e := hearth.AsError(err)
	if e == nil || e.Kind != hearth.Forbidden {
		return "", false
	}
	field, ok := postRefusals[e.Code]
	return field, ok
}

// fixablePost reports whether a post form's error goes back on the form.
func fixablePost(err error) bool {
	_, refused := refusedPost(err)
	return refused || fixable(err)
}

// setPostError fills a post form's problems.
func (s *Server) setPostError(r *http.Request, f *postForm, err error) bool {
	if field, ok := refusedPost(err); ok {
		loc := s.locale(r)
		e := hearth.AsError(err)
		msg := s.translateError(loc, e)
		f.Errors = []string{msg}
		f.fields = map[string][]string{}
		for _, fe := range e.Fields {
			if until, ok := fe.Params["Until"].(string); ok && e.Code == "muted" {
				// Until when, in the writer's own zone and language.
				if t, perr := time.Parse(time.RFC3339, until); perr == nil {
					zone := time.UTC
					if z, zerr := time.LoadLocation(visitorOf(r).Zone); zerr == nil && visitorOf(r).Zone != "" {
						zone = z
					}
					f.Errors = append(f.Errors, loc.T("board.muted_until", "when", loc.DateTime(t.In(zone))))
					continue
				}
			}
			f.Errors = append(f.Errors, s.fieldMessage(loc, "board.", fe))
		}
		if field != "" {
			f.fields[field] = []string{msg}
		}
		return true
	}
	return s.setFormError(r, &f.formState, err, "board.", boardPostFields...)
}

// renderMarkdown turns a post's Markdown into sanitized HTML (the only
// text marked safe).
func (s *Server) renderMarkdown(src string) template.HTML {
	return template.HTML(s.md.Render(src)) // internal/markdown sanitizes with an allow-list
}

// ---------------------------------------------------------------------------
// The board: threads, newest activity first

type boardPage struct {
	boardBase
	V *app.BoardView
}

// PageURL links to another page of the same search.
func (p *boardPage) PageURL(n int) string {
	v := url.Values{}
	if p.V.Q != "" {
		v.Set("q", p.V.Q)
	}
	if n > 1 {
		v.Set("page", strconv.Itoa(n))
	}
	if len(v) == 0 {
		return boardPath(p.Group.Slug)
	}
	return boardPath(p.Group.Slug) + "?" + v.Encode()
}

// Veiled reports whether a thread's title stays behind its warning for
// this reader.
func (p *boardPage) Veiled(t app.ThreadSummary) bool {
	return t.Warning != "" && t.WarningShow != app.WarningShow
}

func boardQuery(r *http.Request) (app.BoardQuery, error) {
	q := app.BoardQuery{Q: strings.TrimSpace(r.URL.Query().Get("q")), Page: 1}
	if p := r.URL.Query().Get("page"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 100000 {
			return q, hearth.Problems{{Field: "page", Code: "out_of_range", Message: "The page must be a whole number from 1.", Params: map[string]any{"Min": 1, "Max": 100000}}}.Err()
		}
		q.Page = n
	}
	if !hearth.ValidText(q.Q) || len(q.Q) > 200 {
		return q, hearth.Problems{{Field: "q", Code: "too_long", Message: "Search for at most 200 characters.", Params: map[string]any{"Max": 200}}}.Err()
	}
	return q, nil
}

func (s *Server) boardPage(w http.ResponseWriter, r *http.Request) error {
	q, err := boardQuery(r)
	if err != nil {
		return err
	}
	v, err := s.app.Board(r.Context(), visitorOf(r).Actor, r.PathValue("slug"), q)
	if err != nil {
		return err
	}
	p := &boardPage{V: v}
	p.Group, p.Leads, p.Crisis, p.Live, p.Muted = v.Group, v.Leads, s.takeSupport(w, r), s.boardLiveOn(), v.Muted
	p.Title = s.locale(r).T("board.title", "name", v.Group.Name)
	s.render(w, r, http.StatusOK, "board", p)
	return nil
}

// ReasonOf names why a moderator hid a post (an action reason code).
func (b *base) ReasonOf(code any) string { return b.T("moderation.action_reason." + fmt.Sprint(code)) }

// MutedUntil says until when a muted member cannot post.
func (b *base) MutedUntil(m *app.MuteView) string {
	if m == nil || m.Until.IsZero() {
		return b.T("board.muted_until_lifted")
	}
	return b.T("board.muted_until", "when", b.When(m.Until))
}

// ---------------------------------------------------------------------------
// A new thread

type boardNewPage struct {
	boardBase
	Form    postForm
	MayPost bool
}

func (s *Server) boardNewPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderBoardNew(w, r, http.StatusOK, nil, nil)
}

func (s *Server) renderBoardNew(w http.ResponseWriter, r *http.Request, status int, sent *postForm, err error) error {
	v, verr := s.app.Board(r.Context(), visitorOf(r).Actor, r.PathValue("slug"), app.BoardQuery{Page: 1})
	if verr != nil {
		return verr
	}
	p := &boardNewPage{MayPost: v.MayPost}
	p.Muted = v.Muted
	p.Group, p.Leads = v.Group, v.Leads
	if sent != nil {
		p.Form = *sent
	} else {
		p.Form.Key = newKey()
	}
	p.Form.AllowAnonymous, p.Form.Leads = v.Settings.AllowAnonymous, v.Leads
	p.Form.L, p.Form.Action, p.Form.Kind, p.Form.WithTitle = s.locale(r), boardPath(v.Group.Slug), "thread", true
	if err != nil && !s.setPostError(r, &p.Form, err) {
		return err
	}
	p.Title = s.locale(r).T("board.new_title", "name", v.Group.Name)
	s.render(w, r, status, "board_new", p)
	return nil
}

func (s *Server) startThreadPage(w http.ResponseWriter, r *http.Request) error {
	slug := r.PathValue("slug")
	return s.submitPost(w, r, slug, postForm{Key: newKey()},
		func(status int, f *postForm, err error) error { return s.renderBoardNew(w, r, status, f, err) },
		func(in app.PostInput) (*app.Posted, error) {
			return s.app.StartThread(r.Context(), visitorOf(r).Actor, slug, in)
		})
}

// submitPost runs a post form (a new thread, a reply, an edit): it reads
// the form, checks the writer's own warning words, calls post, and then
// goes on with afterPost. A refusal the writer can fix (fixablePost)
// renders the form again with their words kept — empty is the form shown
// when the request itself could not be read.
func (s *Server) submitPost(w http.ResponseWriter, r *http.Request, slug string, empty postForm,
	render func(status int, f *postForm, err error) error, post func(app.PostInput) (*app.Posted, error)) error {
	form, err := readPostRequest(r)
	if err != nil {
		if fixablePost(err) {
			return render(boardFormStatus(err), &empty, err)
		}
		return err
	}
	f, in := readPostForm(r, form)
	err = ownWordsMissing(f)
	var posted *app.Posted
	if err == nil {
		posted, err = post(in)
	}
	if err != nil {
		if fixablePost(err) {
			return render(boardFormStatus(err), &f, err)
		}
		return err
	}
	return s.afterPost(w, r, slug, posted)
}

// afterPost ends a post: help at once when it read as a crisis (on the
// next page), the held notice when it waits for a facilitator.
func (s *Server) afterPost(w http.ResponseWriter, r *http.Request, slug string, p *app.Posted) error {
	s.rememberSupport(w, r, p.Support)
	flash := "flash.board_posted"
	if p.Held {
		flash = "flash.board_held"
	}
	return s.redirect(w, r, fmt.Sprintf("%s#post-%d", threadPath(slug, p.ThreadID), p.PostID), flash)
}

// ---------------------------------------------------------------------------
// A thread: posts oldest first, the reply form at the end

type threadPage struct {
	boardBase
	V         *app.ThreadView
	Posts     []postItem
	Reply     postForm
	ModPost   int64     // the post whose moderation form has a problem
	ModForm   formState // its problems
	ModSent   url.Values
	TitleVeil bool // the thread's title stays behind its warning
}

// postItem is one post as the thread page shows it.
type postItem struct {
	app.PostView
	HTML  template.HTML
	First bool // the thread's first post (page 1)
}

// Collapsed, Open and HiddenByChoice say how the reader chose to see the
// post's warning.
func (p postItem) Collapsed() bool {
	return p.Warning != "" && p.WarningShow != app.WarningShow && p.WarningShow != app.WarningHide
}
func (p postItem) Open() bool { return p.Warning != "" && p.WarningShow == app.WarningShow }
func (p postItem) HiddenByChoice() bool {
	return p.Warning != "" && p.WarningShow == app.WarningHide && !p.Mine
}

// PageURL links to another page of the thread.
func (p *threadPage) PageURL(n int) string {
	path := threadPath(p.Group.Slug, p.V.Thread.ID)
	if n > 1 {
		path += "?page=" + strconv.Itoa(n)
	}
	return path
}

// ModKinds are the moderation actions a facilitator takes on a post here.
func (p *threadPage) ModKinds(it postItem) []hearth.ActionKind {
	var out []hearth.ActionKind
	if it.Hidden {
		out = append(out, hearth.ActionRestore)
	} else {
		out = append(out, hearth.ActionHide)
	}
	out = append(out, hearth.ActionLabel)
	if it.Label != nil {
		out = append(out, hearth.ActionUnlabel)
	}
	return out
}

// ModReasons are the reasons a moderator gives.
func (p *threadPage) ModReasons() []hearth.ActionReason { return hearth.ActionReasons }

// Reactions lists every reaction of a post in the fixed order, with counts.
func (p *threadPage) Reactions(it postItem) []app.ReactionCount {
	out := make([]app.ReactionCount, 0, len(app.BoardReactions))
	for _, k := range app.BoardReactions {
		rc := app.ReactionCount{Kind: k}
		for _, x := range it.Reactions {
			if x.Kind == k {
				rc = x
			}
		}
		out = append(out, rc)
	}
	return out
}

func pageParam(r *http.Request) (int, error) {
	p := r.URL.Query().Get("page")
	if p == "" {
		return 1, nil
	}
	n, err := strconv.Atoi(p)
	if err != nil || n < 1 || n > 100000 {
		return 0, hearth.Problems{{Field: "page", Code: "out_of_range", Message: "The page must be a whole number from 1.", Params: map[string]any{"Min": 1, "Max": 100000}}}.Err()
	}
	return n, nil
}

func (s *Server) threadPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderThread(w, r, http.StatusOK, nil, nil)
}

func (s *Server) renderThread(w http.ResponseWriter, r *http.Request, status int, reply *postForm, replyErr error) error {
	return s.renderThreadWith(w, r, status, reply, replyErr, 0, nil, nil)
}

func (s *Server) renderThreadWith(w http.ResponseWriter, r *http.Request, status int, reply *postForm, replyErr error, modPost int64, modSent url.Values, modErr error) error {
	id, err := pathID(r, "thread", "thread")
	if err != nil {
		return err
	}
	page, err := pageParam(r)
	if err != nil {
		return err
	}
	v, err := s.app.Thread(r.Context(), visitorOf(r).Actor, r.PathValue("slug"), id, page)
	if err != nil {
		return err
	}
	p := &threadPage{V: v, ModPost: modPost, ModSent: modSent}
	if p.ModSent == nil {
		p.ModSent = url.Values{}
	}
	p.Group, p.Leads, p.Crisis, p.Live, p.Muted = v.Group, v.Leads, s.takeSupport(w, r), s.boardLiveOn(), v.Muted
	// The title stays behind its warning for readers who collapse or hide
	// it — not for the thread's own writer.
	p.TitleVeil = v.Thread.Warning != "" && v.Thread.WarningShow != app.WarningShow && !(v.Page <= 1 && len(v.Posts) > 0 && v.Posts[0].Mine)
	for i, pv := range v.Posts {
		it := postItem{PostView: pv, First: i == 0 && v.Page <= 1}
		if !pv.Hidden && pv.Body != "" {
			it.HTML = s.renderMarkdown(pv.Body)
		}
		p.Posts = append(p.Posts, it)
	}
	if reply != nil {
		p.Reply = *reply
	} else {
		p.Reply.Key = newKey()
	}
	p.Reply.AllowAnonymous, p.Reply.Leads = v.AllowAnonymous, false
	p.Reply.L, p.Reply.Action, p.Reply.Kind = s.locale(r), threadPath(v.Group.Slug, v.Thread.ID)+"/replies", "reply"
	if replyErr != nil && !s.setPostError(r, &p.Reply, replyErr) {
		return replyErr
	}
	if modErr != nil && !s.setFormError(r, &p.ModForm, modErr, "moderation.", "kind", "reason", "note", "label_url") {
		return modErr
	}
	l := s.locale(r)
	if p.TitleVeil {
		p.Title = l.T("board.thread_veiled_title", "warning", warningWords(l, v.Thread.Warning))
	} else {
		p.Title = v.Thread.Title
	}
	s.render(w, r, status, "board_thread", p)
	return nil
}

func (s *Server) replyPage(w http.ResponseWriter, r *http.Request) error {
	slug := r.PathValue("slug")
	id, err := pathID(r, "thread", "thread")
	if err != nil {
		return err
	}
	return s.submitPost(w, r, slug, postForm{Key: newKey()},
		func(status int, f *postForm, err error) error { return s.renderThread(w, r, status, f, err) },
		func(in app.PostInput) (*app.Posted, error) {
			in.Title, in.Announcement = "", false
			return s.app.Reply(r.Context(), visitorOf(r).Actor, slug, id, in)
		})
}

// ---------------------------------------------------------------------------
// One's own post: edit, delete

type postEditPage struct {
	boardBase
	Post     *app.PostView
	Form     postForm
	HasTitle bool // the thread's first post: its title may change
	Back     string
}

func (s *Server) postEditPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderPostEdit(w, r, http.StatusOK, nil, nil)
}

// postAndThread reads a post and, when it is its thread's first, the
// thread's title.
func (s *Server) postAndThread(r *http.Request) (*app.PostView, *app.ThreadView, error) {
	id, err := pathID(r, "post", "post")
	if err != nil {
		return nil, nil, err
	}
	actor, slug := visitorOf(r).Actor, r.PathValue("slug")
	pv, err := s.app.Post(r.Context(), actor, slug, id)
	if err != nil {
		return nil, nil, err
	}
	tv, err := s.app.Thread(r.Context(), actor, slug, pv.ThreadID, 1)
	if err != nil {
		return nil, nil, err
	}
	return pv, tv, nil
}

func (s *Server) renderPostEdit(w http.ResponseWriter, r *http.Request, status int, sent *postForm, err error) error {
	pv, tv, perr := s.postAndThread(r)
	if perr != nil {
		return perr
	}
	if !pv.Mine {
		return hearth.Coded(hearth.Forbidden, "not_yours", "You can only change your own posts.")
	}
	p := &postEditPage{Post: pv, Back: fmt.Sprintf("%s#post-%d", threadPath(tv.Group.Slug, pv.ThreadID), pv.ID)}
	p.Group, p.Leads = tv.Group, tv.Leads
	p.HasTitle = len(tv.Posts) > 0 && tv.Posts[0].ID == pv.ID
	if sent != nil {
		p.Form = *sent
	} else {
		p.Form.Body = pv.Body
		p.Form.Warning, p.Form.WarningOther = warningFormValues(pv.Warning)
		if p.HasTitle {
			p.Form.Title = tv.Thread.Title
		}
	}
	p.Form.L, p.Form.Action, p.Form.Kind, p.Form.WithTitle = s.locale(r), postPath(tv.Group.Slug, pv.ID)+"/edit", "edit", p.HasTitle
	if err != nil && !s.setPostError(r, &p.Form, err) {
		return err
	}
	p.Title = s.locale(r).T("board.edit_title")
	s.render(w, r, status, "board_edit", p)
	return nil
}

func (s *Server) editPostPage(w http.ResponseWriter, r *http.Request) error {
	slug := r.PathValue("slug")
	id, err := pathID(r, "post", "post")
	if err != nil {
		return err
	}
	return s.submitPost(w, r, slug, postForm{},
		func(status int, f *postForm, err error) error { return s.renderPostEdit(w, r, status, f, err) },
		func(in app.PostInput) (*app.Posted, error) {
			in.Anonymous, in.Announcement, in.Key = false, false, ""
			return s.app.EditPost(r.Context(), visitorOf(r).Actor, slug, id, in)
		})
}

type postDeletePage struct {
	boardBase
	Post *app.PostView
	HTML template.HTML
	Back string
}

func (s *Server) postDeletePage(w http.ResponseWriter, r *http.Request) error {
	pv, tv, err := s.postAndThread(r)
	if err != nil {
		return err
	}
	if !pv.Mine {
		return hearth.Coded(hearth.Forbidden, "not_yours", "You can only delete your own posts.")
	}
	p := &postDeletePage{Post: pv, HTML: s.renderMarkdown(pv.Body), Back: fmt.Sprintf("%s#post-%d", threadPath(tv.Group.Slug, pv.ThreadID), pv.ID)}
	p.Group, p.Leads = tv.Group, tv.Leads
	p.Title = s.locale(r).T("board.delete_title")
	s.render(w, r, http.StatusOK, "board_delete", p)
	return nil
}

func (s *Server) deletePostPage(w http.ResponseWriter, r *http.Request) error {
	slug := r.PathValue("slug")
	id, err := pathID(r, "post", "post")
	if err != nil {
		return err
	}
	if _, err := parseForm(r); err != nil {
		return err
	}
	actor := visitorOf(r).Actor
	pv, err := s.app.Post(r.Context(), actor, slug, id)
	if err != nil {
		return err
	}
	if err := s.app.DeletePost(r.Context(), actor, slug, id); err != nil {
		return err
	}
	// The thread may be gone with its first post: back to it, else to the board.
	if _, err := s.app.Thread(r.Context(), actor, slug, pv.ThreadID, 1); err == nil {
		return s.redirect(w, r, threadPath(slug, pv.ThreadID), "flash.board_deleted")
	}
	return s.redirect(w, r, boardPath(slug), "flash.board_deleted")
}

// ---------------------------------------------------------------------------
// Reactions, approval, history, moderation and reports of one post

// postLinkPage is a post's permanent address (safety alerts and notices
// link to it): for whoever may read the post, a redirect to it in its
// thread's page; for anyone else the thread page's refusal.
func (s *Server) postLinkPage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "post", "post")
	if err != nil {
		return err
	}
	if _, err := s.app.Post(r.Context(), visitorOf(r).Actor, r.PathValue("slug"), id); err != nil {
		return err
	}
	link, err := s.app.BoardPostLink(r.Context(), id)
	if err != nil {
		return err
	}
	http.Redirect(w, r, safeNext(link, boardPath(r.PathValue("slug"))), http.StatusSeeOther)
	return nil
}

func (s *Server) reactPage(w http.ResponseWriter, r *http.Request) error {
	slug := r.PathValue("slug")
	id, err := pathID(r, "post", "post")
	if err != nil {
		return err
	}
	form, err := parseForm(r)
	if err != nil {
		return err
	}
	actor := visitorOf(r).Actor
	if err := s.app.React(r.Context(), actor, slug, id, form.Get("kind"), form.Get("on") != "0"); err != nil {
		return err
	}
	return s.backToPost(w, r, slug, id, "")
}

// backToPost redirects to a post in its thread.
func (s *Server) backToPost(w http.ResponseWriter, r *http.Request, slug string, id int64, flash string) error {
	pv, err := s.app.Post(r.Context(), visitorOf(r).Actor, slug, id)
	if err != nil {
		return s.redirect(w, r, boardPath(slug), flash)
	}
	return s.redirect(w, r, fmt.Sprintf("%s#post-%d", threadPath(slug, pv.ThreadID), id), flash)
}

func (s *Server) approvePostPage(w http.ResponseWriter, r *http.Request) error {
	slug := r.PathValue("slug")
	id, err := pathID(r, "post", "post")
	if err != nil {
		return err
	}
	if _, err := parseForm(r); err != nil {
		return err
	}
	if err := s.app.ApprovePost(r.Context(), visitorOf(r).Actor, slug, id); err != nil {
		return err
	}
	return s.backToPost(w, r, slug, id, "flash.board_approved")
}

type postHistoryPage struct {
	boardBase
	Post      *app.PostView
	Revisions []revisionItem
	Back      string
}

type revisionItem struct {
	app.PostRevision
	HTML template.HTML
}

func (s *Server) postHistoryPage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "post", "post")
	if err != nil {
		return err
	}
	actor, slug := visitorOf(r).Actor, r.PathValue("slug")
	revs, err := s.app.PostHistory(r.Context(), actor, slug, id)
	if err != nil {
		return err
	}
	pv, tv, err := s.postAndThread(r)
	if err != nil {
		return err
	}
	p := &postHistoryPage{Post: pv, Back: fmt.Sprintf("%s#post-%d", threadPath(slug, pv.ThreadID), pv.ID)}
	p.Group, p.Leads = tv.Group, tv.Leads
	for _, rv := range revs {
		p.Revisions = append(p.Revisions, revisionItem{PostRevision: rv, HTML: s.renderMarkdown(rv.Body)})
	}
	p.Title = s.locale(r).T("board.history_title")
	s.render(w, r, http.StatusOK, "board_history", p)
	return nil
}

// moderatePostPage is a facilitator's hide, restore, label or unlabel of
// a post from the thread page: the moderation use case with subject kind
// post (the same as the review queue's actions).
func (s *Server) moderatePostPage(w http.ResponseWriter, r *http.Request) error {
	slug := r.PathValue("slug")
	id, err := pathID(r, "post", "post")
	if err != nil {
		return err
	}
	form, err := parseForm(r)
	if err != nil {
		return err
	}
	actor := visitorOf(r).Actor
	pv, err := s.app.Post(r.Context(), actor, slug, id)
	if err != nil {
		return err
	}
	in := hearth.ActionInput{Kind: hearth.ActionKind(form.Get("kind")), Reason: hearth.ActionReason(form.Get("reason")),
		Note: form.Get("note"), LabelURL: strings.TrimSpace(form.Get("label_url"))}
	if !slices.Contains([]hearth.ActionKind{hearth.ActionHide, hearth.ActionRestore, hearth.ActionLabel, hearth.ActionUnlabel}, in.Kind) {
		err = hearth.Problems{{Field: "kind", Code: "required", Message: "Choose what to do with the post."}}.Err()
	} else {
		_, err = s.app.Moderate(r.Context(), actor, slug, hearth.Subject{Kind: hearth.SubjectPost, ID: id}, in)
	}
	if err != nil {
		if fixable(err) {
			r.SetPathValue("thread", strconv.FormatInt(pv.ThreadID, 10))
			return s.renderThreadWith(w, r, boardFormStatus(err), nil, nil, id, form, err)
		}
		return err
	}
	return s.redirect(w, r, fmt.Sprintf("%s#post-%d", threadPath(slug, pv.ThreadID), id), "flash.action_taken")
}

type postReportPage struct {
	boardBase
	formState
	Post    *app.PostView
	Reasons []hearth.ReportReason
	Form    url.Values
	Back    string
}

func (s *Server) postReportPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderPostReport(w, r, http.StatusOK, nil, nil)
}

func (s *Server) renderPostReport(w http.ResponseWriter, r *http.Request, status int, form url.Values, err error) error {
	id, perr := pathID(r, "post", "post")
	if perr != nil {
		return perr
	}
	actor, slug := visitorOf(r).Actor, r.PathValue("slug")
	pv, perr := s.app.Post(r.Context(), actor, slug, id)
	if perr != nil {
		return perr
	}
	v, perr := s.app.Board(r.Context(), actor, slug, app.BoardQuery{Page: 1})
	if perr != nil {
		return perr
	}
	p := &postReportPage{Post: pv, Reasons: hearth.ReportReasons, Form: form, Back: fmt.Sprintf("%s#post-%d", threadPath(slug, pv.ThreadID), pv.ID)}
	if p.Form == nil {
		p.Form = url.Values{}
	}
	p.Group, p.Leads = v.Group, v.Leads
	if err != nil && !s.setFormError(r, &p.formState, err, "moderation.", "reason", "note") {
		return err
	}
	p.Title = s.locale(r).T("board.report_title")
	s.render(w, r, status, "board_report", p)
	return nil
}

// reportPostPage files a report about a post: the moderation report use
// case with subject kind post.
func (s *Server) reportPostPage(w http.ResponseWriter, r *http.Request) error {
	slug := r.PathValue("slug")
	id, err := pathID(r, "post", "post")
	if err != nil {
		return err
	}
	form, err := parseForm(r)
	if err != nil {
		return err
	}
	country, lang := writerContext(r)
	f, err := s.app.Report(r.Context(), visitorOf(r).Actor, app.ReportRequest{ReportInput: hearth.ReportInput{
		Subject: hearth.Subject{Kind: hearth.SubjectPost, ID: id}, Reason: hearth.ReportReason(form.Get("reason")), Note: form.Get("note")},
		Country: country, Lang: lang, Group: slug})
	if err != nil {
		if fixable(err) {
			return s.renderPostReport(w, r, boardFormStatus(err), form, err)
		}
		return err
	}
	s.rememberSupport(w, r, f.Support)
	return s.backToPost(w, r, slug, id, "flash.report_sent")
}

// ---------------------------------------------------------------------------
// The facilitators' board settings

type boardSettingsPage struct {
	boardBase
	formState
	Settings    app.BoardSettings
	DeletedDays string
}

func (s *Server) boardSettingsPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderBoardSettings(w, r, http.StatusOK, nil, nil)
}

func (s *Server) renderBoardSettings(w http.ResponseWriter, r *http.Request, status int, form url.Values, err error) error {
	actor, slug := visitorOf(r).Actor, r.PathValue("slug")
	st, serr := s.app.BoardSettings(r.Context(), actor, slug)
	if serr != nil {
		return serr
	}
	v, serr := s.app.Board(r.Context(), actor, slug, app.BoardQuery{Page: 1})
	if serr != nil {
		return serr
	}
	p := &boardSettingsPage{Settings: st, DeletedDays: strconv.Itoa(st.DeletedDays)}
	p.Group, p.Leads = v.Group, v.Leads
	if form != nil {
		p.Settings.AllowAnonymous = form.Get("allow_anonymous") != ""
		p.Settings.AlumniRead = form.Get("alumni_read") != ""
		p.DeletedDays = form.Get("deleted_days")
		p.Settings.ErasedPosts = form.Get("erased_posts")
	}
	if err != nil && !s.setFormError(r, &p.formState, err, "board.settings.", "deleted_days", "erased_posts") {
		return err
	}
	p.Title = s.locale(r).T("board.settings.title", "name", v.Group.Name)
	s.render(w, r, status, "board_settings", p)
	return nil
}

func (s *Server) saveBoardSettingsPage(w http.ResponseWriter, r *http.Request) error {
	return s.formPost(w, r, func(slug string, f url.Values) error {
		st := app.BoardSettings{AllowAnonymous: f.Get("allow_anonymous") != "", AlumniRead: f.Get("alumni_read") != "", ErasedPosts: f.Get("erased_posts")}
		n, err := strconv.Atoi(strings.TrimSpace(f.Get("deleted_days")))
		if err != nil {
			return hearth.Problems{{Field: "deleted_days", Code: "number", Message: "Write a whole number of days from 0 to 90."}}.Err()
		}
		st.DeletedDays = n
		_, err = s.app.SetBoardSettings(r.Context(), visitorOf(r).Actor, slug, st)
		return err
	}, func(status int, form url.Values, err error) error {
		return s.renderBoardSettings(w, r, status, form, err)
	}, func(slug string) string { return boardPath(slug) + "/settings" }, "flash.saved")
}

// ---------------------------------------------------------------------------
// A reader's content-warning choices

type warningPrefsPage struct {
	base
	formState
	Prefs map[string]string
	Codes []string
}

// Choices are the choices a reader has per warning.
func (p *warningPrefsPage) Choices() []string { return boardWarningChoices }

// CodeWords names a warning code, or "own words" for the writers' own.
func (p *warningPrefsPage) CodeWords(code string) string {
	if code == boardOwnPref {
		return p.T("board.warning_prefs.own")
	}
	return p.WarningWords(code)
}

func (s *Server) warningPrefsPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderWarningPrefs(w, r, http.StatusOK, nil, nil)
}

func (s *Server) renderWarningPrefs(w http.ResponseWriter, r *http.Request, status int, form url.Values, err error) error {
	prefs, perr := s.app.WarningPrefs(r.Context(), visitorOf(r).Actor)
	if perr != nil {
		return perr
	}
	p := &warningPrefsPage{Prefs: prefs, Codes: append(slices.Clone(app.BoardWarnings), boardOwnPref)}
	if form != nil {
		for _, c := range p.Codes {
			if v := form.Get(c); v != "" {
				p.Prefs[c] = v
			}
		}
	}
	if err != nil && !s.setFormError(r, &p.formState, err, "board.", p.Codes...) {
		return err
	}
	p.Title = s.locale(r).T("board.warning_prefs.title")
	s.render(w, r, status, "board_warnings", p)
	return nil
}

func (s *Server) saveWarningPrefsPage(w http.ResponseWriter, r *http.Request) error {
	form, err := parseForm(r)
	if err != nil {
		return err
	}
	codes := append(slices.Clone(app.BoardWarnings), boardOwnPref)
	var p hearth.Problems
	for _, c := range codes {
		if v := form.Get(c); v != "" && !slices.Contains(boardWarningChoices, v) {
			p.Add(c, "unknown", "Choose show, collapse or hide.", map[string]any{"Value": v})
		}
	}
	if err := p.Err(); err != nil {
		return s.renderWarningPrefs(w, r, http.StatusBadRequest, form, err)
	}
	actor := visitorOf(r).Actor
	for _, c := range codes {
		if v := form.Get(c); v != "" {
			if err := s.app.SetWarningPref(r.Context(), actor, c, v); err != nil {
				if fixable(err) {
					return s.renderWarningPrefs(w, r, boardFormStatus(err), form, err)
				}
				return err
			}
		}
	}
	return s.redirect(w, r, "/account/content-warnings", "flash.saved")
}

// boardLiveOn reports whether board pages carry the live "new posts" hint
// (board_live.go serves it).
func (s *Server) boardLiveOn() bool { return s.boards != nil }
