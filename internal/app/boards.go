package app

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/sqldb"
	"github.com/hearth-org/hearth/internal/terms"
	"github.com/hearth-org/hearth/internal/vault"
)

// Group boards (issue 6): each group's private board of threads and
// replies between meetings.
//
// Who reads: the group's active members and facilitators (any role);
// alumni only when the group allows it (AlumniRead) and only threads
// created while they were members. Anyone else gets NotFound for a
// private group and Forbidden "members_only" otherwise, before anything
// of the board is read. Organization admins read no board by that role.
//
// What is stored: a post's title (first posts), body and a warning in the
// writer's own words pass the safety pipeline as one text (screen →
// sealWriting → followUp in the posting transaction) and are sealed as one
// value under the group's key, bound to "board_post:post=P:rev=R"; no
// column holds words in the clear and nothing is indexed by word, so
// search opens the group's newest posts in memory (searchBoard).
//
// Held posts (a new member's first posts in a group that approves them:
// "approval"; method details: "review") are seen only by their writer and
// the group's facilitators until ApprovePost. Deleting marks a post (and,
// for a thread's first post, the thread) deleted at once — gone from every
// view and search — and SweepBoards purges the rows after the group's
// DeletedDays.

// BoardWarnings are the content warnings a writer can choose (codes); any
// other text (≤ 60 runes) is the writer's own words, sealed like the post.
var BoardWarnings = []string{"suicide", "self_harm", "substance_use", "eating", "abuse", "death"}

// A reader's choice per warning code ("own" = every warning in a writer's
// own words).
const (
	WarningShow     = "show"
	WarningCollapse = "collapse" // the default
	WarningHide     = "hide"
)

// BoardReactions are the supportive reactions (a fixed set; only counts
// are shown).
var BoardReactions = []string{"thinking_of_you", "me_too", "thank_you", "sending_strength"}

// BoardSettings are a group's board settings; its facilitators set them.
type BoardSettings struct {
	AllowAnonymous bool `json:"allow_anonymous"` // default false
	AlumniRead     bool `json:"alumni_read"`     // alumni keep read access to their cohort's board; default false
	DeletedDays    int  `json:"deleted_days"`    // deleted posts are purged after this many days (0–90, default 30)
	// ErasedPosts: what happens to a member's posts when they erase their
	// account — "former_member" (kept under no name, the default) or
	// "remove" (deleted and purged). Empty in SetBoardSettings keeps the
	// current choice.
	ErasedPosts string `json:"erased_posts"`
}

// PostInput is what a member writes: a new thread, a reply or an edit.
type PostInput struct {
	Title         string // a new thread's title (1–140 runes); ignored for replies and edits of replies
	Body          string // Markdown, 1–20,000 bytes
	Warning       string // "", a BoardWarnings code, or the writer's own words (≤ 60 runes)
	Anonymous     bool   // only where the group allows; facilitators still see who wrote it
	Announcement  bool   // facilitators only: notifies every member
	Key           string // optional idempotency key (≤ 64 chars)
	Country, Lang string // the writer's, for helplines
}

// Posted is what a writer is told after posting.
type Posted struct {
	ThreadID, PostID int64
	Held             bool     // waits for a facilitator
	Support          *Support // crisis help to show the writer at once (nil when none)
}

// BoardQuery asks for a page of a board's threads.
type BoardQuery struct {
	Q    string // search words (inside this group's board only)
	Page int    // 1-based; 20 threads a page
}

// BoardView is a page of a board.
type BoardView struct {
	Group       *hearth.Group
	Threads     []ThreadSummary // newest activity first
	Page, Pages int
	Total       int
	Leads       bool // the viewer facilitates (sees held posts, history, anonymous writers)
	MayPost     bool // false for alumni (read-only), muted members (Muted says until when)
	Muted       *MuteView
	Settings    BoardSettings
	Q           string
}

// ThreadSummary is one thread in a board's list.
type ThreadSummary struct {
	ID           int64
	Title        string
	Author       string // pseudonym, or "" when anonymous to this viewer
	Anonymous    bool
	Former       bool   // the writer erased their account (Author is ""): "a former member"
	Warning      string // code or own words of the first post
	WarningShow  string // WarningShow/Collapse/Hide for this viewer
	Replies      int
	LastActivity time.Time
	Unread       int  // posts this viewer has not seen
	New          bool // never opened by this viewer
	Announcement bool
	Hidden       bool   // hidden by a moderator: placeholder with reason
	HiddenReason string // the ActionReason code when Hidden
	Held         bool   // the first post waits for a facilitator (only its writer and facilitators see the thread)
}

// ThreadView is one page of a thread.
type ThreadView struct {
	Group          *hearth.Group
	Thread         ThreadSummary
	Posts          []PostView // oldest first; 50 a page
	Page, Pages    int
	Leads          bool
	MayPost        bool
	Muted          *MuteView
	AllowAnonymous bool
}

// PostView is one post as a viewer sees it.
type PostView struct {
	ID, ThreadID       int64
	Author             string // pseudonym, "" when anonymous to this viewer
	AuthorMembershipID int64  // 0 when anonymous to this viewer
	Anonymous          bool
	Former             bool // the writer erased their account (Author is ""): "a former member"
	Mine               bool
	Body               string // Markdown source ("" when Hidden or Deleted for this viewer)
	Title              string // the thread's title, on a thread's first post
	Warning            string
	WarningShow        string
	CreatedAt          time.Time
	EditedAt           time.Time // zero when never edited
	Held               bool      // waiting for approval: only its writer and facilitators see it
	HeldReason         string    // "approval" | "review" (method details)
	Hidden             bool      // moderator hid it: placeholder
	HiddenReason       string    // the ActionReason code
	Label              *hearth.Label
	Reactions          []ReactionCount
	Subject            hearth.Subject // for the report form (kind post, id = post id)
}

// ReactionCount is how many gave one reaction to a post.
type ReactionCount struct {
	Kind  string
	Count int
	Mine  bool
}

// PostRevision is an earlier version of a post (facilitators only).
type PostRevision struct {
	At      time.Time
	Title   string // a first post's title as it was
	Body    string
	Warning string
}

// Limits of the board.
const (
	boardThreadsPage   = 20
	boardPostsPage     = 50
	maxBoardTitleRunes = 140
	maxBoardBodyBytes  = 20000
	maxOwnWarningRunes = 60
	maxPostKeyLen      = 64
	maxBoardDeletedDay = 90
	// boardSearchPosts bounds a search: the group's newest 5,000 posts
	// (not deleted) are opened and matched in memory. Text is sealed, so
	// the database cannot search it, and no per-word index is stored (a
	// copy of the database must teach nobody which words a group used).
	// Older posts are not searched; at board sizes this is the whole board.
	boardSearchPosts = 5000
	// WarningOwn is the preference code for warnings in a writer's own words.
	WarningOwn = "own"
)

// boardPayload is the one sealed value of a post version.
type boardPayload struct {
	Title   string
	Body    string
	Warning string // the writer's own words
}

// boardPayloadV1 starts an encoded payload: then the title, body and
// own-words warning, each as a uvarint length and its bytes. (A search
// opens thousands of posts at once: this reads ten times faster than
// JSON.)
const boardPayloadV1 = 1

func (p boardPayload) encode() []byte {
	b := make([]byte, 0, 1+3*binary.MaxVarintLen32+len(p.Title)+len(p.Body)+len(p.Warning))
	b = append(b, boardPayloadV1)
	for _, f := range []string{p.Title, p.Body, p.Warning} {
		b = binary.AppendUvarint(b, uint64(len(f)))
		b = append(b, f...)
	}
	return b
}

func decodeBoardPayload(b []byte) (boardPayload, error) {
	var p boardPayload
	if len(b) == 0 || b[0] != boardPayloadV1 {
		return p, errors.New("unknown board payload")
	}
	b = b[1:]
	for _, f := range []*string{&p.Title, &p.Body, &p.Warning} {
		n, k := binary.Uvarint(b)
		if k <= 0 || n > uint64(len(b)-k) {
			return p, errors.New("truncated board payload")
		}
		*f, b = string(b[k:k+int(n)]), b[k+int(n):]
	}
	return p, nil
}

func boardPostAD(postID int64, rev int) string {
	return fmt.Sprintf("board_post:post=%d:rev=%d", postID, rev)
}

// boardReader is a person reading a group's board, and how.
type boardReader struct {
	uid    int64
	g      *hearth.Group
	m      *hearth.Membership // nil: none
	set    sqldb.BoardConfig
	active bool // an active member (any role)
	leads  bool // an active facilitator or co-facilitator
	// from, until bound what an alumna reads (zero: no bound).
	from, until time.Time
	// blocked are the members the reader blocked in the group: their
	// posts are not shown to the reader, unless anonymous (leaving those
	// out would tell who wrote them). Facilitators see everything.
	blocked map[int64]bool
}

// list is the reader as the board's queries take them.
func (r *boardReader) list() sqldb.BoardList {
	q := sqldb.BoardList{GroupID: r.g.ID, ViewerID: r.uid, Leads: r.leads, From: r.from, Until: r.until}
	for id := range r.blocked {
		q.Blocked = append(q.Blocked, id)
	}
	slices.Sort(q.Blocked)
	return q
}

func boardNotFound() error { return hearth.Errorf(hearth.NotFound, "The post was not found.") }

// boardGroup loads a group's board for a reader.
func (a *App) boardGroup(ctx context.Context, actor hearth.Actor, slug string) (*boardReader, error) {
	if !actor.SignedIn() {
		return nil, hearth.Coded(hearth.Unauthorized, "sign_in", "Please sign in to read the group's board.")
	}
	g, err := a.db.GroupBySlug(ctx, slug)
	if err != nil {
		return nil, err
	}
	return a.boardReaderOf(ctx, actor, g)
}

// boardReaderOf decides whether the actor reads a group's board.
func (a *App) boardReaderOf(ctx context.Context, actor hearth.Actor, g *hearth.Group) (*boardReader, error) {
	if !actor.SignedIn() {
		return nil, hearth.Coded(hearth.Unauthorized, "sign_in", "Please sign in to read the group's board.")
	}
	m, err := a.db.Membership(ctx, g.ID, actor.UserID)
	switch {
	case hearth.ErrorKind(err) == hearth.NotFound:
		m = nil
	case err != nil:
		return nil, err
	}
	r := &boardReader{uid: actor.UserID, g: g, m: m}
	if m != nil && (m.Status == hearth.StatusActive || m.Status == hearth.StatusAlumni) {
		if r.set, err = a.db.BoardSettings(ctx, g.ID); err != nil {
			return nil, err
		}
		switch {
		case m.Status == hearth.StatusActive:
			// Facilitating needs a sign-in that passed the second factor
			// when the staff rule is on (hearth.Actor.RequireSecondFactor).
			r.active, r.leads = true, m.Leads() && !actor.StaffWithheld
		case r.set.AlumniRead:
			r.from, r.until = m.JoinedAt, m.StatusAt
			if r.until.IsZero() {
				r.until = a.now()
			}
		}
		if r.active || r.set.AlumniRead {
			if !r.leads {
				bs, err := a.blocked(ctx, r.uid)
				if err != nil {
					return nil, err
				}
				r.blocked = bs[g.ID]
			}
			return r, nil
		}
	}
	if g.Visibility == hearth.Private && !actor.CanSeeGroup(g) {
		return nil, hearth.Errorf(hearth.NotFound, "The group was not found.")
	}
	return nil, hearth.Coded(hearth.Forbidden, "members_only", "Only the group's members read its board.")
}

// inWindow reports whether an alumna reads a thread created at t.
func (r *boardReader) inWindow(t time.Time) bool {
	return (r.from.IsZero() || !t.Before(r.from)) && (r.until.IsZero() || !t.After(r.until))
}

// sees reports whether the reader sees a post (not its thread).
func (r *boardReader) sees(p *sqldb.BoardPost) bool {
	return p.GroupID == r.g.ID && p.DeletedAt.IsZero() && (p.Held == "" || r.leads || p.AuthorID == r.uid) && r.inWindow(p.ThreadCreatedAt) &&
		(p.Anonymous || !r.blocked[p.AuthorID])
}

// visiblePost loads a post the reader sees in a thread they see.
func (a *App) visiblePost(ctx context.Context, r *boardReader, postID int64) (*sqldb.BoardPost, error) {
	p, err := a.db.BoardPost(ctx, postID)
	if hearth.ErrorKind(err) == hearth.NotFound {
		return nil, boardNotFound()
	} else if err != nil {
		return nil, err
	}
	if !r.sees(p) {
		return nil, boardNotFound()
	}
	if p.ID != p.FirstPostID {
		if _, _, err := a.visibleThread(ctx, r, p.ThreadID); err != nil {
			return nil, boardNotFound()
		}
	}
	return p, nil
}

// visibleThread loads a thread the reader sees and its first post.
func (a *App) visibleThread(ctx context.Context, r *boardReader, threadID int64) (*sqldb.BoardThread, *sqldb.BoardPost, error) {
	notFound := hearth.Errorf(hearth.NotFound, "The thread was not found.")
	th, err := a.db.BoardThread(ctx, threadID)
	if hearth.ErrorKind(err) == hearth.NotFound {
		return nil, nil, notFound
	} else if err != nil {
		return nil, nil, err
	}
	if th.GroupID != r.g.ID || !th.DeletedAt.IsZero() || th.FirstPostID == 0 {
		return nil, nil, notFound
	}
	first, err := a.db.BoardPost(ctx, th.FirstPostID)
	if hearth.ErrorKind(err) == hearth.NotFound {
		return nil, nil, notFound
	} else if err != nil {
		return nil, nil, err
	}
	if !r.sees(first) {
		return nil, nil, notFound
	}
	return th, first, nil
}

// mayWrite refuses what keeps a reader from posting: not an active member
// (an alumna reads only), the group's new guidelines not accepted, a mute.
func (a *App) mayWrite(ctx context.Context, r *boardReader) error {
	switch {
	case !r.active:
		return hearth.Coded(hearth.Forbidden, "not_member", "Only the group's active members post on its board.")
	case !r.leads && r.m.MustAcceptGuidelines(r.g):
		return hearth.Coded(hearth.Forbidden, "accept_guidelines", "The group's guidelines changed: please read and accept them on the group's page first.")
	}
	return a.refuseMuted(ctx, r.g, r.uid)
}

// boardStatus fills what a page says about posting.
func (a *App) boardStatus(ctx context.Context, r *boardReader) (mayPost bool, muted *MuteView, err error) {
	if !r.active {
		return false, nil, nil
	}
	if muted, err = a.MyMute(ctx, r.g, r.uid); err != nil {
		return false, nil, err
	}
	return muted == nil && (r.leads || !r.m.MustAcceptGuidelines(r.g)), muted, nil
}

func (a *App) openPost(ctx context.Context, groupID, postID int64, rev int, sealed []byte) (boardPayload, error) {
	var p boardPayload
	if len(sealed) == 0 {
		return p, nil
	}
	b, err := a.vault.Open(ctx, vault.GroupScope(groupID), boardPostAD(postID, rev), sealed)
	if err != nil {
		return p, fmt.Errorf("open board post %d: %w", postID, err)
	}
	if p, err = decodeBoardPayload(b); err != nil {
		return p, fmt.Errorf("read board post %d: %w", postID, err)
	}
	return p, nil
}

// warningPrefs is a reader's choice per warning code, every code present.
func (a *App) warningPrefs(ctx context.Context, userID int64) (map[string]string, error) {
	got, err := a.db.WarningPrefs(ctx, userID)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(BoardWarnings)+1)
	for _, c := range append(slices.Clone(BoardWarnings), WarningOwn) {
		out[c] = WarningCollapse
		if v, ok := got[c]; ok && slices.Contains([]string{WarningShow, WarningCollapse, WarningHide}, v) {
			out[c] = v
		}
	}
	return out, nil
}

// warningShow is how a reader sees a warning ("" when there is none); the
// writer never has their own post hidden from themself.
func warningShow(prefs map[string]string, warning string, mine bool) string {
	if warning == "" {
		return ""
	}
	code := warning
	if !slices.Contains(BoardWarnings, code) {
		code = WarningOwn
	}
	c := prefs[code]
	if c == "" {
		c = WarningCollapse
	}
	if mine && c == WarningHide {
		c = WarningCollapse
	}
	return c
}

// postMarks returns the marks of posts and the reason each hidden one
// was hidden for.
func (a *App) postMarks(ctx context.Context, ids []int64) (map[int64]SubjectMark, map[int64]string, error) {
	marks, err := a.subjectMarks(ctx, hearth.SubjectPost, ids)
	if err != nil {
		return nil, nil, err
	}
	reasons := map[int64]string{}
	for id, m := range marks {
		if !m.Hidden {
			continue
		}
		acts, err := a.db.ActionsAbout(ctx, hearth.Subject{Kind: hearth.SubjectPost, ID: id})
		if err != nil {
			return nil, nil, err
		}
		reasons[id] = "other"
		for _, act := range acts {
			if act.Kind == hearth.ActionHide {
				reasons[id] = string(act.Reason)
			}
		}
	}
	return marks, reasons, nil
}

// byline is how a post's writer is shown to the reader.
func (r *boardReader) byline(p *sqldb.BoardPost) (string, int64) {
	if p.Anonymous && !r.leads && p.AuthorID != r.uid {
		return "", 0
	}
	return p.Pseudonym, p.MembershipID
}

// former reports whether the reader is told a post's writer erased their
// account: the post was kept under no name (the group's choice on erasure,
// privacy.go). An anonymous post stays "a member" to those it is anonymous
// to.
func (r *boardReader) former(p *sqldb.BoardPost) bool {
	if p.Anonymous && !r.leads {
		return false
	}
	return p.Pseudonym == "" && p.MembershipID == 0
}

func (r *boardReader) summary(row *sqldb.BoardThreadRow, pl boardPayload, marks map[int64]SubjectMark, reasons map[int64]string, prefs map[string]string) ThreadSummary {
	f := &row.First
	mine := f.AuthorID == r.uid
	ts := ThreadSummary{ID: row.Thread.ID, Anonymous: f.Anonymous, Replies: row.Replies, LastActivity: row.Thread.LastActivity, Unread: row.Unread,
		New: !row.Opened && !mine, Announcement: row.Thread.Announcement, Held: f.Held != ""}
	ts.Author, _ = r.byline(f)
	ts.Former = r.former(f)
	ts.Warning = f.Warning
	if f.Warning == WarningOwn {
		ts.Warning = pl.Warning
	}
	ts.WarningShow = warningShow(prefs, ts.Warning, mine)
	m := marks[f.ID]
	ts.Hidden, ts.HiddenReason = m.Hidden, reasons[f.ID]
	switch {
	case !ts.Hidden || r.leads:
		ts.Title = pl.Title
	case f.Warning == WarningOwn:
		ts.Warning = "" // the writer's words go with the hidden post
	}
	return ts
}

func (r *boardReader) postView(p *sqldb.BoardPost, pl boardPayload, marks map[int64]SubjectMark, reasons map[int64]string, prefs map[string]string) PostView {
	mine := p.AuthorID == r.uid
	v := PostView{ID: p.ID, ThreadID: p.ThreadID, Anonymous: p.Anonymous, Mine: mine, CreatedAt: p.CreatedAt, EditedAt: p.EditedAt,
		Held: p.Held != "", HeldReason: p.Held, Subject: hearth.Subject{Kind: hearth.SubjectPost, ID: p.ID}}
	v.Author, v.AuthorMembershipID = r.byline(p)
	v.Former = r.former(p)
	v.Warning = p.Warning
	if p.Warning == WarningOwn {
		v.Warning = pl.Warning
	}
	v.WarningShow = warningShow(prefs, v.Warning, mine)
	m := marks[p.ID]
	v.Hidden, v.HiddenReason, v.Label = m.Hidden, reasons[p.ID], m.Label
	// A hidden post is a placeholder; its group's facilitators still read
	// it (to restore it or not).
	switch {
	case !v.Hidden || r.leads:
		v.Body = pl.Body
		if p.ID == p.FirstPostID {
			v.Title = pl.Title
		}
	case p.Warning == WarningOwn:
		v.Warning = "" // the writer's words go with the hidden post
	}
	return v
}

// ---------------------------------------------------------------------------
// Reading

// Board returns a page of a group's board as the actor sees it: threads
// by newest activity, or those with posts matching q.Q.
func (a *App) Board(ctx context.Context, actor hearth.Actor, slug string, q BoardQuery) (*BoardView, error) {
	r, err := a.boardGroup(ctx, actor, slug)
	if err != nil {
		return nil, err
	}
	prefs, err := a.warningPrefs(ctx, r.uid)
	if err != nil {
		return nil, err
	}
	v := &BoardView{Group: r.g, Leads: r.leads, Settings: toBoardSettings(r.set), Q: strings.TrimSpace(q.Q), Page: max(1, q.Page)}
	if v.MayPost, v.Muted, err = a.boardStatus(ctx, r); err != nil {
		return nil, err
	}
	lq := r.list()
	lq.Limit, lq.Offset = boardThreadsPage, (v.Page-1)*boardThreadsPage
	for _, c := range append(slices.Clone(BoardWarnings), WarningOwn) {
		if prefs[c] == WarningHide {
			lq.HideWarnings = append(lq.HideWarnings, c)
		}
	}
	if words := terms.Query(v.Q); len(words) > 0 {
		if lq.IDs, err = a.searchBoard(ctx, r, words); err != nil {
			return nil, err
		}
	}
	rows, total, err := a.db.BoardThreads(ctx, lq)
	if err != nil {
		return nil, err
	}
	v.Total, v.Pages = total, max(1, (total+boardThreadsPage-1)/boardThreadsPage)
	ids := make([]int64, len(rows))
	for i := range rows {
		ids[i] = rows[i].First.ID
	}
	marks, reasons, err := a.postMarks(ctx, ids)
	if err != nil {
		return nil, err
	}
	v.Threads = make([]ThreadSummary, 0, len(rows))
	for i := range rows {
		f := &rows[i].First
		pl, err := a.openPost(ctx, f.GroupID, f.ID, f.Rev, f.Sealed)
		if err != nil {
			return nil, err
		}
		v.Threads = append(v.Threads, r.summary(&rows[i], pl, marks, reasons, prefs))
	}
	return v, nil
}

// searchBoard returns the threads whose visible posts (title and body)
// hold every query word, matched by stem (English and Spanish, accents
// folded). It opens the group's newest boardSearchPosts posts in memory:
// the sealed text cannot be searched by the database, and no plaintext or
// per-word value is stored for it. Hidden, deleted and (for others) held
// posts never match.
func (a *App) searchBoard(ctx context.Context, r *boardReader, words []terms.Word) ([]int64, error) {
	posts, err := a.db.SearchableBoardPosts(ctx, r.g.ID, boardSearchPosts)
	if err != nil {
		return nil, err
	}
	cand := make([]*sqldb.BoardPost, 0, len(posts))
	for _, p := range posts {
		if r.sees(p) {
			cand = append(cand, p)
		}
	}
	hidden, err := a.db.HiddenBoardPosts(ctx, r.g.ID)
	if err != nil {
		return nil, err
	}
	out := []int64{}
	seen := map[int64]bool{}
	m := newBoardMatcher(words)
	for _, p := range cand {
		if hidden[p.ID] || seen[p.ThreadID] {
			continue
		}
		pl, err := a.openPost(ctx, p.GroupID, p.ID, p.Rev, p.Sealed)
		if err != nil {
			return nil, err
		}
		if m.matches(pl) {
			seen[p.ThreadID] = true
			out = append(out, p.ThreadID)
		}
	}
	return out, nil
}

// boardMatcher matches posts against a query's words. Every distinct
// word of the posts is stemmed once per search (terms.Query on the word:
// the same folding, stopwords and English and Spanish stems as the
// directory), so a search over thousands of posts stems a board's
// vocabulary, not its every word.
type boardMatcher struct {
	words []terms.Word
	stems map[string][]string // a post's word → its stems (nil: a stopword or noise)
}

func newBoardMatcher(words []terms.Word) *boardMatcher {
	return &boardMatcher{words: words, stems: map[string][]string{}}
}

// matches reports whether the post's title and body hold every word.
func (m *boardMatcher) matches(pl boardPayload) bool {
	need := (1 << len(m.words)) - 1
	got := 0
	scan := func(text string) {
		for tok := range strings.FieldsFuncSeq(text, notWordRune) {
			st, ok := m.stems[tok]
			if !ok {
				if q := terms.Query(tok); len(q) == 1 {
					st = q[0].Stems
				}
				m.stems[tok] = st
			}
			for i, w := range m.words {
				if got&(1<<i) == 0 && slices.ContainsFunc(w.Stems, func(s string) bool { return slices.Contains(st, s) }) {
					got |= 1 << i
				}
			}
			if got == need {
				return
			}
		}
	}
	scan(pl.Title)
	if got != need {
		scan(pl.Body)
	}
	return got == need
}

// notWordRune separates words as terms does: anything but letters, digits
// and combining marks.
func notWordRune(r rune) bool {
	return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.IsMark(r)
}

// Thread returns a page of a thread (50 posts, oldest first) as the actor
// sees it, and marks the thread read up to its last post for them.
func (a *App) Thread(ctx context.Context, actor hearth.Actor, slug string, threadID int64, page int) (*ThreadView, error) {
	r, err := a.boardGroup(ctx, actor, slug)
	if err != nil {
		return nil, err
	}
	if _, _, err := a.visibleThread(ctx, r, threadID); err != nil {
		return nil, err
	}
	lq := r.list()
	lq.IDs, lq.Limit = []int64{threadID}, 1
	rows, _, err := a.db.BoardThreads(ctx, lq)
	if err != nil {
		return nil, err
	}
	if len(rows) != 1 {
		return nil, hearth.Errorf(hearth.NotFound, "The thread was not found.")
	}
	prefs, err := a.warningPrefs(ctx, r.uid)
	if err != nil {
		return nil, err
	}
	v := &ThreadView{Group: r.g, Leads: r.leads, AllowAnonymous: r.set.AllowAnonymous, Page: max(1, page)}
	if v.MayPost, v.Muted, err = a.boardStatus(ctx, r); err != nil {
		return nil, err
	}
	posts, total, err := a.db.ThreadPosts(ctx, threadID, r.list(), boardPostsPage, (v.Page-1)*boardPostsPage)
	if err != nil {
		return nil, err
	}
	v.Pages = max(1, (total+boardPostsPage-1)/boardPostsPage)
	ids := []int64{rows[0].First.ID}
	for _, p := range posts {
		ids = append(ids, p.ID)
	}
	marks, reasons, err := a.postMarks(ctx, ids)
	if err != nil {
		return nil, err
	}
	f := &rows[0].First
	fpl, err := a.openPost(ctx, f.GroupID, f.ID, f.Rev, f.Sealed)
	if err != nil {
		return nil, err
	}
	v.Thread = r.summary(&rows[0], fpl, marks, reasons, prefs)
	reacts, err := a.db.BoardReactions(ctx, ids[1:], r.uid)
	if err != nil {
		return nil, err
	}
	byPost := map[int64][]ReactionCount{}
	for _, rc := range reacts {
		byPost[rc.PostID] = append(byPost[rc.PostID], ReactionCount{Kind: rc.Kind, Count: rc.Count, Mine: rc.Mine})
	}
	v.Posts = make([]PostView, 0, len(posts))
	for _, p := range posts {
		pl := fpl
		if p.ID != f.ID || p.Rev != f.Rev {
			if pl, err = a.openPost(ctx, p.GroupID, p.ID, p.Rev, p.Sealed); err != nil {
				return nil, err
			}
		}
		pv := r.postView(p, pl, marks, reasons, prefs)
		pv.Reactions = orderedReactions(byPost[p.ID])
		v.Posts = append(v.Posts, pv)
	}
	// Read up to the thread's last post this reader sees.
	last := int64(0)
	if n := len(posts); n > 0 && v.Page >= v.Pages {
		last = posts[n-1].ID
	} else if total > 0 {
		tail, _, err := a.db.ThreadPosts(ctx, threadID, r.list(), 1, total-1)
		if err != nil {
			return nil, err
		}
		if len(tail) == 1 {
			last = tail[0].ID
		}
	}
	// Nothing to write when the reader has seen everything (their own
	// posts move their mark as they write).
	if last > 0 && (!rows[0].Opened || rows[0].Unread > 0) {
		if err := a.db.InTx(ctx, func(tx *sqldb.Tx) error { return tx.MarkBoardRead(ctx, threadID, r.uid, last) }); err != nil {
			return nil, err
		}
	}
	return v, nil
}

// orderedReactions gives every reaction kind in BoardReactions order.
func orderedReactions(got []ReactionCount) []ReactionCount {
	out := make([]ReactionCount, 0, len(BoardReactions))
	for _, k := range BoardReactions {
		rc := ReactionCount{Kind: k}
		for _, g := range got {
			if g.Kind == k {
				rc = g
			}
		}
		out = append(out, rc)
	}
	return out
}

// Post returns one post the actor sees (for the edit form and links).
func (a *App) Post(ctx context.Context, actor hearth.Actor, slug string, postID int64) (*PostView, error) {
	r, err := a.boardGroup(ctx, actor, slug)
	if err != nil {
		return nil, err
	}
	p, err := a.visiblePost(ctx, r, postID)
	if err != nil {
		return nil, err
	}
	prefs, err := a.warningPrefs(ctx, r.uid)
	if err != nil {
		return nil, err
	}
	marks, reasons, err := a.postMarks(ctx, []int64{p.ID})
	if err != nil {
		return nil, err
	}
	pl, err := a.openPost(ctx, p.GroupID, p.ID, p.Rev, p.Sealed)
	if err != nil {
		return nil, err
	}
	v := r.postView(p, pl, marks, reasons, prefs)
	reacts, err := a.db.BoardReactions(ctx, []int64{p.ID}, r.uid)
	if err != nil {
		return nil, err
	}
	var got []ReactionCount
	for _, rc := range reacts {
		got = append(got, ReactionCount{Kind: rc.Kind, Count: rc.Count, Mine: rc.Mine})
	}
	v.Reactions = orderedReactions(got)
	return &v, nil
}

// ---------------------------------------------------------------------------
// Writing

// checkPost validates what a member wrote; first: the post starts a
// thread (it has a title).
func checkPost(in *PostInput, first bool) error {
	var p hearth.Problems
	// The size first: a 2 MB body is refused before anything reads it.
	switch body := strings.TrimSpace(in.Body); {
	case len(in.Body) > maxBoardBodyBytes:
		p.Add("body", "too_long", fmt.Sprintf("A post can be at most %d characters long. Please shorten it or split it in two.", maxBoardBodyBytes),
			map[string]any{"Max": maxBoardBodyBytes})
	case !hearth.ValidText(in.Body):
		p.Add("body", "invalid_text", "The post contains characters that are not valid text.", nil)
	case body == "":
		p.Add("body", "required", "Please write something.", nil)
	default:
		in.Body = strings.ReplaceAll(strings.ReplaceAll(in.Body, "\r\n", "\n"), "\r", "\n")
	}
	if first {
		in.Title = strings.Join(strings.Fields(in.Title), " ")
		switch n := utf8.RuneCountInString(in.Title); {
		case !hearth.ValidText(in.Title):
			p.Add("title", "invalid_text", "The title contains characters that are not valid text.", nil)
		case n == 0:
			p.Add("title", "required", "Please give the thread a title.", nil)
		case n > maxBoardTitleRunes:
			p.Add("title", "too_long", fmt.Sprintf("A title can be at most %d characters long.", maxBoardTitleRunes), map[string]any{"Max": maxBoardTitleRunes})
		}
	} else {
		in.Title = ""
	}
	in.Warning = strings.Join(strings.Fields(in.Warning), " ")
	switch {
	case !hearth.ValidText(in.Warning):
		p.Add("warning", "invalid_text", "The content warning contains characters that are not valid text.", nil)
	case utf8.RuneCountInString(in.Warning) > maxOwnWarningRunes:
		p.Add("warning", "too_long", fmt.Sprintf("A content warning in your own words can be at most %d characters long.", maxOwnWarningRunes),
			map[string]any{"Max": maxOwnWarningRunes})
	}
	switch {
	case len(in.Key) > maxPostKeyLen:
		p.Add("key", "too_long", fmt.Sprintf("An idempotency key can be at most %d characters long.", maxPostKeyLen), map[string]any{"Max": maxPostKeyLen})
	case !hearth.ValidText(in.Key):
		p.Add("key", "invalid_text", "The idempotency key contains characters that are not valid text.", nil)
	}
	return p.Err()
}

// warningColumn is what the warning column holds: "", a code, or "own"
// (the words are sealed with the post).
func warningColumn(w string) (col, own string) {
	switch {
	case w == "":
		return "", ""
	case slices.Contains(BoardWarnings, w):
		return w, ""
	}
	return WarningOwn, w
}

// screenPost reads a post's words (title, body and own-words warning as
// one text) with the crisis detector.
func (a *App) screenPost(ctx context.Context, r *boardReader, in PostInput, own string) (Screened, error) {
	b := boardPayload{Title: in.Title, Body: in.Body, Warning: own}.encode()
	text := strings.TrimSpace(strings.Join([]string{in.Title, in.Body, own}, "\n\n"))
	return a.screen(ctx, Writing{AuthorID: r.uid, GroupID: r.g.ID, Kind: WritingPost, Text: text, Payload: b, Country: in.Country, Lang: in.Lang})
}

// StartThread starts a thread on a group's board.
func (a *App) StartThread(ctx context.Context, actor hearth.Actor, slug string, in PostInput) (*Posted, error) {
	return a.writePost(ctx, actor, slug, 0, in)
}

// Reply replies in a thread of a group's board.
func (a *App) Reply(ctx context.Context, actor hearth.Actor, slug string, threadID int64, in PostInput) (*Posted, error) {
	if threadID <= 0 {
		return nil, hearth.Errorf(hearth.NotFound, "The thread was not found.")
	}
	return a.writePost(ctx, actor, slug, threadID, in)
}

// writePost stores a new thread (threadID 0) or a reply: the writer must
// be an active member who may post now (not muted, guidelines accepted,
// the group's posting rules); the words pass the safety pipeline and are
// sealed; a crisis is followed up in the same transaction and the writer
// gets help at once (Posted.Support). A post with method details, or a new
// member's in a group that approves first posts, is held. The same
// writer's key returns their first post with it.
func (a *App) writePost(ctx context.Context, actor hearth.Actor, slug string, threadID int64, in PostInput) (*Posted, error) {
	r, err := a.boardGroup(ctx, actor, slug)
	if err != nil {
		return nil, err
	}
	announcement := false
	if threadID != 0 {
		if _, _, err := a.visibleThread(ctx, r, threadID); err != nil {
			return nil, err
		}
	} else {
		announcement = in.Announcement
	}
	if err := a.mayWrite(ctx, r); err != nil {
		if e := hearth.AsError(err); e != nil && e.Code == "muted" {
			a.screenRefusedPost(ctx, r, in)
		}
		return nil, err
	}
	if err := checkPost(&in, threadID == 0); err != nil {
		return nil, err
	}
	switch {
	case in.Anonymous && !r.set.AllowAnonymous:
		return nil, hearth.Coded(hearth.Forbidden, "anonymous_not_allowed", "This group does not allow anonymous posts.")
	case announcement && !r.leads:
		return nil, hearth.Coded(hearth.Forbidden, "not_facilitator", "Only the group's facilitators post announcements.")
	}
	if in.Key != "" {
		if p, err := a.db.BoardPostByKey(ctx, r.g.ID, r.uid, in.Key); err == nil {
			return &Posted{ThreadID: p.ThreadID, PostID: p.ID, Held: p.Held != ""}, nil
		} else if hearth.ErrorKind(err) != hearth.NotFound {
			return nil, err
		}
	}
	warnCol, own := warningColumn(in.Warning)
	gate, err := a.postGate(ctx, r.g.ID, r.uid, in.Title+"\n"+in.Body)
	if err != nil {
		return nil, err
	}
	sc, err := a.screenPost(ctx, r, in, own)
	if err != nil {
		return nil, err
	}
	held := ""
	switch {
	case sc.Held():
		held = "review"
	case gate.Hold:
		held = "approval"
	}
	now := a.now().UTC().Truncate(time.Second)
	out := &Posted{ThreadID: threadID, Held: held != ""}
	err = a.db.InTx(ctx, func(tx *sqldb.Tx) error {
		if threadID == 0 {
			th := &sqldb.BoardThread{GroupID: r.g.ID, AuthorID: r.uid, Announcement: announcement, CreatedAt: now, LastActivity: now}
			if err := tx.InsertBoardThread(ctx, th); err != nil {
				return err
			}
			out.ThreadID = th.ID
		}
		p := &sqldb.BoardPost{ThreadID: out.ThreadID, GroupID: r.g.ID, AuthorID: r.uid, MembershipID: r.m.ID, Pseudonym: r.m.Pseudonym,
			Anonymous: in.Anonymous, Warning: warnCol, Held: held, Key: in.Key, CreatedAt: now}
		if err := tx.InsertBoardPost(ctx, p); err != nil {
			return err
		}
		out.PostID = p.ID
		sealed, err := a.sealWriting(ctx, sc, boardPostAD(p.ID, p.Rev))
		if err != nil {
			return err
		}
		if err := tx.SetBoardPostSealed(ctx, p.ID, sealed); err != nil {
			return err
		}
		if threadID == 0 {
			if err := tx.SetThreadFirstPost(ctx, out.ThreadID, p.ID); err != nil {
				return err
			}
		} else if held == "" {
			if err := tx.TouchBoardThread(ctx, out.ThreadID, now); err != nil {
				return err
			}
		}
		if err := tx.MarkBoardRead(ctx, out.ThreadID, r.uid, p.ID); err != nil {
			return err
		}
		if out.Support, err = a.followUp(ctx, tx, r.g, p.ID, sc); err != nil {
			return err
		}
		return a.boardPostedHook(ctx, tx, r.g, out.ThreadID, p.ID, r.uid, in.Anonymous, announcement, held != "", in.Title+"\n"+in.Body)
	})
	if errors.Is(err, sqldb.ErrDuplicatePostKey) {
		p, err := a.db.BoardPostByKey(ctx, r.g.ID, r.uid, in.Key)
		if err != nil {
			return nil, err
		}
		return &Posted{ThreadID: p.ThreadID, PostID: p.ID, Held: p.Held != ""}, nil
	}
	if err != nil {
		return nil, err
	}
	a.log.Info("board post", "group_id", r.g.ID, "thread_id", out.ThreadID, "post_id", out.PostID, "held", held, "crisis", out.Support != nil)
	return out, nil
}

// RefusedPostID is the writing id of an escalation raised by a muted
// member's refused post: nothing was stored, so it names no post.
const RefusedPostID = -1

// screenRefusedPost reads a muted member's refused post for a crisis all
// the same (crisis language never silences anyone, as in rooms): a crisis
// alerts the group's facilitators and opens an escalation whose writing is
// RefusedPostID (nothing is stored). The refusal stands; errors are
// logged.
func (a *App) screenRefusedPost(ctx context.Context, r *boardReader, in PostInput) {
	if len(in.Title)+len(in.Body)+len(in.Warning) > maxBoardBodyBytes+maxBoardTitleRunes*4+maxOwnWarningRunes*4 {
		return
	}
	text := strings.TrimSpace(strings.Join([]string{in.Title, in.Body, in.Warning}, "\n\n"))
	sc, err := a.screen(ctx, Writing{AuthorID: r.uid, GroupID: r.g.ID, Kind: WritingPost, Text: text, Country: in.Country, Lang: in.Lang})
	if err == nil && sc.Crisis() {
		err = a.db.InTx(ctx, func(tx *sqldb.Tx) error {
			_, err := a.followUp(ctx, tx, r.g, RefusedPostID, sc)
			return err
		})
	}
	if err != nil {
		a.log.Error("screen refused board post", "group_id", r.g.ID, "user_id", r.uid, "err", err)
	}
}

// EditPost changes one of the actor's own posts: screened again like a
// new one, its earlier version kept for the group's facilitators. A
// thread's first post may change its title. Whether it is anonymous
// stays as it was.
func (a *App) EditPost(ctx context.Context, actor hearth.Actor, slug string, postID int64, in PostInput) (*Posted, error) {
	r, err := a.boardGroup(ctx, actor, slug)
	if err != nil {
		return nil, err
	}
	p, err := a.visiblePost(ctx, r, postID)
	if err != nil {
		return nil, err
	}
	if p.AuthorID != r.uid {
		return nil, hearth.Coded(hearth.Forbidden, "not_yours", "You can only change your own posts.")
	}
	if err := a.mayWrite(ctx, r); err != nil {
		return nil, err
	}
	if err := checkPost(&in, p.ID == p.FirstPostID); err != nil {
		return nil, err
	}
	warnCol, own := warningColumn(in.Warning)
	sc, err := a.screenPost(ctx, r, in, own)
	if err != nil {
		return nil, err
	}
	out := &Posted{ThreadID: p.ThreadID, PostID: p.ID}
	now := a.now().UTC().Truncate(time.Second)
	err = a.db.InTx(ctx, func(tx *sqldb.Tx) error {
		cur, err := tx.BoardPost(ctx, p.ID)
		if err != nil {
			return err
		}
		if !cur.DeletedAt.IsZero() {
			return boardNotFound()
		}
		held := cur.Held
		if sc.Held() {
			held = "review"
		}
		out.Held = held != ""
		sealed, err := a.sealWriting(ctx, sc, boardPostAD(p.ID, cur.Rev+1))
		if err != nil {
			return err
		}
		if err := tx.EditBoardPost(ctx, p.ID, warnCol, held, cur.Rev+1, sealed, now); err != nil {
			return err
		}
		out.Support, err = a.followUp(ctx, tx, r.g, p.ID, sc)
		return err
	})
	if err != nil {
		return nil, err
	}
	a.log.Info("board post edited", "group_id", r.g.ID, "post_id", p.ID, "held", out.Held, "crisis", out.Support != nil)
	return out, nil
}

// DeletePost deletes one of the actor's own posts: gone from every view
// and search at once, purged from the database after the group's
// DeletedDays. Deleting a thread's first post deletes the thread.
// Facilitators hide others' posts through moderation instead.
func (a *App) DeletePost(ctx context.Context, actor hearth.Actor, slug string, postID int64) error {
	r, err := a.boardGroup(ctx, actor, slug)
	if err != nil {
		return err
	}
	p, err := a.visiblePost(ctx, r, postID)
	if err != nil {
		return err
	}
	if p.AuthorID != r.uid {
		return hearth.Coded(hearth.Forbidden, "not_yours", "You can only delete your own posts.")
	}
	now := a.now().UTC().Truncate(time.Second)
	err = a.db.InTx(ctx, func(tx *sqldb.Tx) error {
		if p.ID == p.FirstPostID {
			return tx.DeleteBoardThread(ctx, p.ThreadID, now)
		}
		return tx.DeleteBoardPost(ctx, p.ID, now)
	})
	if err != nil {
		return err
	}
	a.log.Info("board post deleted", "group_id", r.g.ID, "post_id", p.ID, "thread", p.ID == p.FirstPostID)
	return nil
}

// React gives (on) or takes back one of the supportive reactions to a
// post the actor sees; active members only.
func (a *App) React(ctx context.Context, actor hearth.Actor, slug string, postID int64, kind string, on bool) error {
	r, err := a.boardGroup(ctx, actor, slug)
	if err != nil {
		return err
	}
	p, err := a.visiblePost(ctx, r, postID)
	if err != nil {
		return err
	}
	if !slices.Contains(BoardReactions, kind) {
		var pr hearth.Problems
		pr.Add("kind", "unknown", "Choose one of the reactions offered.", nil)
		return pr.Err()
	}
	if !r.active {
		return hearth.Coded(hearth.Forbidden, "not_member", "Only the group's active members react to posts.")
	}
	hidden, err := a.db.Hidden(ctx, hearth.SubjectPost, []int64{p.ID})
	if err != nil {
		return err
	}
	if hidden[p.ID] || p.Held != "" {
		return hearth.Coded(hearth.Conflict, "not_shown", "This post is not shown to the group.")
	}
	return a.db.InTx(ctx, func(tx *sqldb.Tx) error { return tx.SetBoardReaction(ctx, p.ID, r.uid, kind, on) })
}

// PostHistory lists a post's earlier versions, oldest first: the group's
// facilitators only.
func (a *App) PostHistory(ctx context.Context, actor hearth.Actor, slug string, postID int64) ([]PostRevision, error) {
	r, err := a.boardGroup(ctx, actor, slug)
	if err != nil {
		return nil, err
	}
	if !r.leads {
		return nil, hearth.Coded(hearth.Forbidden, "not_facilitator", "Only the group's facilitators read a post's earlier versions.")
	}
	p, err := a.visiblePost(ctx, r, postID)
	if err != nil {
		return nil, err
	}
	revs, err := a.db.BoardRevisions(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	out := make([]PostRevision, 0, len(revs))
	for _, rv := range revs {
		pl, err := a.openPost(ctx, p.GroupID, p.ID, rv.Rev, rv.Sealed)
		if err != nil {
			return nil, err
		}
		w := rv.Warning
		if w == WarningOwn {
			w = pl.Warning
		}
		out = append(out, PostRevision{At: rv.CreatedAt, Title: pl.Title, Body: pl.Body, Warning: w})
	}
	return out, nil
}

// ApprovePost lets a held post out to the group: the group's
// facilitators, after reading it (a new member's first posts, or words
// with method details held for review).
func (a *App) ApprovePost(ctx context.Context, actor hearth.Actor, slug string, postID int64) error {
	r, err := a.boardGroup(ctx, actor, slug)
	if err != nil {
		return err
	}
	if !r.leads {
		return hearth.Coded(hearth.Forbidden, "not_facilitator", "Only the group's facilitators approve posts.")
	}
	p, err := a.visiblePost(ctx, r, postID)
	if err != nil {
		return err
	}
	if p.Held == "" {
		return hearth.Coded(hearth.Conflict, "not_held", "This post is not waiting for approval.")
	}
	th, err := a.db.BoardThread(ctx, p.ThreadID)
	if err != nil {
		return err
	}
	pl, err := a.openPost(ctx, p.GroupID, p.ID, p.Rev, p.Sealed)
	if err != nil {
		return err
	}
	now := a.now().UTC().Truncate(time.Second)
	err = a.db.InTx(ctx, func(tx *sqldb.Tx) error {
		ok, err := tx.ApproveBoardPost(ctx, p.ID)
		if err != nil {
			return err
		}
		if !ok {
			return hearth.Coded(hearth.Conflict, "not_held", "This post is not waiting for approval.")
		}
		if err := tx.TouchBoardThread(ctx, p.ThreadID, now); err != nil {
			return err
		}
		if err := a.audit(ctx, tx, AuditEntry{ActorID: r.uid, Action: "board.approve", OrgID: r.g.OrgID, GroupID: r.g.ID, SubjectKind: string(hearth.SubjectPost),
			SubjectID: p.ID, Reason: p.Held}); err != nil {
			return err
		}
		return a.boardPostedHook(ctx, tx, r.g, p.ThreadID, p.ID, p.AuthorID, p.Anonymous, th.Announcement && p.ID == th.FirstPostID, false, pl.Title+"\n"+pl.Body)
	})
	if err != nil {
		return err
	}
	a.log.Info("board post approved", "group_id", r.g.ID, "post_id", p.ID, "by", r.uid)
	return nil
}

// ---------------------------------------------------------------------------
// Settings, preferences, retention, links

func toBoardSettings(c sqldb.BoardConfig) BoardSettings {
	return BoardSettings{AllowAnonymous: c.AllowAnonymous, AlumniRead: c.AlumniRead, DeletedDays: c.DeletedDays, ErasedPosts: c.ErasedPosts}
}

// BoardSettings returns a group's board settings (its facilitators and
// its organization's administrators).
func (a *App) BoardSettings(ctx context.Context, actor hearth.Actor, slug string) (BoardSettings, error) {
	g, err := a.editableGroup(ctx, actor, slug)
	if err != nil {
		return BoardSettings{}, err
	}
	c, err := a.db.BoardSettings(ctx, g.ID)
	if err != nil {
		return BoardSettings{}, err
	}
	return toBoardSettings(c), nil
}

// SetBoardSettings changes a group's board settings.
func (a *App) SetBoardSettings(ctx context.Context, actor hearth.Actor, slug string, s BoardSettings) (BoardSettings, error) {
	g, err := a.editableGroup(ctx, actor, slug)
	if err != nil {
		return s, err
	}
	if s.DeletedDays < 0 || s.DeletedDays > maxBoardDeletedDay {
		var p hearth.Problems
		p.Add("deleted_days", "range", fmt.Sprintf("Choose from 0 to %d days.", maxBoardDeletedDay), map[string]any{"Min": 0, "Max": maxBoardDeletedDay})
		return s, p.Err()
	}
	if s.ErasedPosts != "" && s.ErasedPosts != sqldb.ErasedFormerMember && s.ErasedPosts != sqldb.ErasedRemove {
		var p hearth.Problems
		p.Add("erased_posts", "choice", "Choose former_member or remove.", nil)
		return s, p.Err()
	}
	err = a.db.InTx(ctx, func(tx *sqldb.Tx) error {
		if err := tx.SetBoardSettings(ctx, g.ID, sqldb.BoardConfig{AllowAnonymous: s.AllowAnonymous, AlumniRead: s.AlumniRead, DeletedDays: s.DeletedDays}); err != nil {
			return err
		}
		if s.ErasedPosts != "" {
			if err := tx.SetErasedPosts(ctx, g.ID, s.ErasedPosts); err != nil {
				return err
			}
			if err := a.audit(ctx, tx, AuditEntry{ActorID: actor.UserID, Action: "board.erased_posts", OrgID: g.OrgID, GroupID: g.ID, SubjectKind: "group", SubjectID: g.ID, Reason: s.ErasedPosts}); err != nil {
				return err
			}
		}
		return a.audit(ctx, tx, AuditEntry{ActorID: actor.UserID, Action: "board.settings", OrgID: g.OrgID, GroupID: g.ID, SubjectKind: "group", SubjectID: g.ID,
			Reason: fmt.Sprintf("deleted_days_%d", s.DeletedDays)})
	})
	if err != nil {
		return s, err
	}
	a.log.Info("board settings changed", "group_id", g.ID, "by", actor.UserID)
	c, err := a.db.BoardSettings(ctx, g.ID)
	return toBoardSettings(c), err
}

// WarningPrefs returns the actor's choice per warning code (every code of
// BoardWarnings and WarningOwn; collapse unless they chose otherwise).
func (a *App) WarningPrefs(ctx context.Context, actor hearth.Actor) (map[string]string, error) {
	if !actor.SignedIn() {
		return nil, hearth.Errorf(hearth.Unauthorized, "Please sign in.")
	}
	return a.warningPrefs(ctx, actor.UserID)
}

// SetWarningPref sets the actor's choice (show, collapse, hide) for one
// warning code (or WarningOwn).
func (a *App) SetWarningPref(ctx context.Context, actor hearth.Actor, code, choice string) error {
	if !actor.SignedIn() {
		return hearth.Errorf(hearth.Unauthorized, "Please sign in.")
	}
	var p hearth.Problems
	if !slices.Contains(BoardWarnings, code) && code != WarningOwn {
		p.Add("code", "unknown", "Choose one of the content warnings listed.", nil)
	}
	if !slices.Contains([]string{WarningShow, WarningCollapse, WarningHide}, choice) {
		p.Add("choice", "unknown", "Choose show, collapse or hide.", nil)
	}
	if err := p.Err(); err != nil {
		return err
	}
	return a.db.InTx(ctx, func(tx *sqldb.Tx) error { return tx.SetWarningPref(ctx, actor.UserID, code, choice) })
}

// SweepBoards purges for good the posts and threads deleted longer ago
// than their group's DeletedDays (the serve chore).
func (a *App) SweepBoards(ctx context.Context) error {
	n, err := a.db.PurgeDeletedBoardPosts(ctx, a.now())
	if err != nil {
		return err
	}
	if n > 0 {
		a.log.Info("deleted board posts purged", "rows", n)
	}
	return nil
}

// BoardPostPath is a post's permanent address (safety alerts use it); the
// page behind it checks the reader and sends them on to BoardPostLink.
func BoardPostPath(slug string, postID int64) string {
	return fmt.Sprintf("/groups/%s/board/posts/%d", slug, postID)
}

// BoardPostLink is where a post is read: its thread's page that holds it
// ("/groups/{slug}/board/{thread}#post-{id}", with ?page=N past the first
// page, as its facilitators count). It checks no reader: the thread's page
// does.
func (a *App) BoardPostLink(ctx context.Context, postID int64) (string, error) {
	p, err := a.db.BoardPost(ctx, postID)
	if hearth.ErrorKind(err) == hearth.NotFound || err == nil && !p.DeletedAt.IsZero() {
		return "", boardNotFound()
	} else if err != nil {
		return "", err
	}
	g, err := a.db.Group(ctx, p.GroupID)
	if err != nil {
		return "", err
	}
	before, err := a.db.PostsBefore(ctx, p.ThreadID, p.ID, sqldb.BoardList{Leads: true})
	if err != nil {
		return "", err
	}
	page := ""
	if n := before/boardPostsPage + 1; n > 1 {
		page = fmt.Sprintf("?page=%d", n)
	}
	return fmt.Sprintf("/groups/%s/board/%d%s#post-%d", g.Slug, p.ThreadID, page, p.ID), nil
}

// ---------------------------------------------------------------------------
// Moderation: posts as subjects

// ReportedPost is a board post as the people who moderate its group read
// it when it is reported: its words and who wrote it (anonymous posts
// too), whether or not they read the board (organization admins do not).
type ReportedPost struct {
	ID, ThreadID int64
	Author       string // the writer's pseudonym
	Anonymous    bool
	Title        string // a thread's first post
	Body         string // Markdown source
	Warning      string
	CreatedAt    time.Time
	EditedAt     time.Time
	Held         string // "", "approval" or "review"
	Link         string // the post's permanent address (BoardPostPath)
}

// ReportedPost opens a post for the people who moderate its group (the
// report page); NotFound for anyone else and for deleted posts.
func (a *App) ReportedPost(ctx context.Context, actor hearth.Actor, postID int64) (*ReportedPost, error) {
	p, err := a.db.BoardPost(ctx, postID)
	if hearth.ErrorKind(err) == hearth.NotFound || err == nil && !p.DeletedAt.IsZero() {
		return nil, boardNotFound()
	} else if err != nil {
		return nil, err
	}
	g, err := a.db.Group(ctx, p.GroupID)
	if err != nil {
		return nil, err
	}
	if !actor.CanModerate(g) {
		return nil, boardNotFound()
	}
	pl, err := a.openPost(ctx, p.GroupID, p.ID, p.Rev, p.Sealed)
	if err != nil {
		return nil, err
	}
	w := p.Warning
	if w == WarningOwn {
		w = pl.Warning
	}
	return &ReportedPost{ID: p.ID, ThreadID: p.ThreadID, Author: p.Pseudonym, Anonymous: p.Anonymous, Title: pl.Title, Body: pl.Body, Warning: w,
		CreatedAt: p.CreatedAt, EditedAt: p.EditedAt, Held: p.Held, Link: BoardPostPath(g.Slug, p.ID)}, nil
}

// boardPostKind is the moderation registry's entry for board posts
// (moderation.go lists it in subjectKinds): a post's group and writer, and
// whether a non-moderator sees it (a reader of the board who sees the
// post shown: not held, not hidden).
var boardPostKind = subjectKind{
	resolve: func(ctx context.Context, a *App, id int64) (*subjectRef, error) {
		p, err := a.db.BoardPost(ctx, id)
		if hearth.ErrorKind(err) == hearth.NotFound || err == nil && !p.DeletedAt.IsZero() {
			return nil, boardNotFound()
		} else if err != nil {
			return nil, err
		}
		ref := &subjectRef{GroupID: p.GroupID, AuthorID: p.AuthorID}
		ms, err := a.db.Membership(ctx, p.GroupID, p.AuthorID)
		switch {
		case err == nil:
			ref.Membership = ms
		case hearth.ErrorKind(err) != hearth.NotFound:
			return nil, err
		}
		return ref, nil
	},
	maySee: func(ctx context.Context, a *App, actor hearth.Actor, g *hearth.Group, ref *subjectRef) (bool, error) {
		r, err := a.boardReaderOf(ctx, actor, g)
		if err != nil {
			if hearth.AsError(err) != nil {
				return false, nil
			}
			return false, err
		}
		p, err := a.visiblePost(ctx, r, ref.SubjectID)
		if hearth.ErrorKind(err) == hearth.NotFound {
			return false, nil
		} else if err != nil {
			return false, err
		}
		if p.Held != "" {
			return false, nil
		}
		hidden, err := a.db.Hidden(ctx, hearth.SubjectPost, []int64{p.ID})
		return !hidden[p.ID], err
	},
}

// boardPostedHook tells board-notify's boardPosted (boardnotify.go) about
// a post that became visible (or is held: then nobody is told yet), inside
// the posting or approving transaction.
func (a *App) boardPostedHook(ctx context.Context, tx *sqldb.Tx, g *hearth.Group, threadID, postID, authorID int64, anonymous, announcement, held bool, text string) error {
	return a.boardPosted(ctx, tx, BoardEvent{GroupID: g.ID, Slug: g.Slug, ThreadID: threadID, PostID: postID, AuthorID: authorID,
		Anonymous: anonymous, Announcement: announcement, Held: held, Text: text})
}
