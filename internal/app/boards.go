package app

import (
	"context"
	"time"

	"github.com/hearth-org/hearth"
)

// Group boards (issue 6): each group's private board of threads and
// replies between meetings.

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
	Body    string
	Warning string
}

func boardsNotBuilt() error { return hearth.Errorf(hearth.Unavailable, "boards: not built yet") }

// Board returns a page of a group's board.
func (a *App) Board(ctx context.Context, actor hearth.Actor, slug string, q BoardQuery) (*BoardView, error) {
	return nil, boardsNotBuilt()
}

// Thread returns a page of a thread and marks it read for the viewer.
func (a *App) Thread(ctx context.Context, actor hearth.Actor, slug string, threadID int64, page int) (*ThreadView, error) {
	return nil, boardsNotBuilt()
}

// StartThread starts a thread.
func (a *App) StartThread(ctx context.Context, actor hearth.Actor, slug string, in PostInput) (*Posted, error) {
	return nil, boardsNotBuilt()
}

// Reply replies in a thread.
func (a *App) Reply(ctx context.Context, actor hearth.Actor, slug string, threadID int64, in PostInput) (*Posted, error) {
	return nil, boardsNotBuilt()
}

// Post returns one post (for the edit form).
func (a *App) Post(ctx context.Context, actor hearth.Actor, slug string, postID int64) (*PostView, error) {
	return nil, boardsNotBuilt()
}

// EditPost changes one's own post.
func (a *App) EditPost(ctx context.Context, actor hearth.Actor, slug string, postID int64, in PostInput) (*Posted, error) {
	return nil, boardsNotBuilt()
}

// DeletePost deletes one's own post.
func (a *App) DeletePost(ctx context.Context, actor hearth.Actor, slug string, postID int64) error {
	return boardsNotBuilt()
}

// React gives or takes back a reaction.
func (a *App) React(ctx context.Context, actor hearth.Actor, slug string, postID int64, kind string, on bool) error {
	return boardsNotBuilt()
}

// PostHistory lists a post's earlier versions (facilitators).
func (a *App) PostHistory(ctx context.Context, actor hearth.Actor, slug string, postID int64) ([]PostRevision, error) {
	return nil, boardsNotBuilt()
}

// ApprovePost shows a held post (facilitators).
func (a *App) ApprovePost(ctx context.Context, actor hearth.Actor, slug string, postID int64) error {
	return boardsNotBuilt()
}

// BoardSettings returns a group's board settings (facilitators).
func (a *App) BoardSettings(ctx context.Context, actor hearth.Actor, slug string) (BoardSettings, error) {
	return BoardSettings{}, boardsNotBuilt()
}

// SetBoardSettings changes a group's board settings (facilitators).
func (a *App) SetBoardSettings(ctx context.Context, actor hearth.Actor, slug string, s BoardSettings) (BoardSettings, error) {
	return s, boardsNotBuilt()
}

// WarningPrefs returns the actor's choice per warning code.
func (a *App) WarningPrefs(ctx context.Context, actor hearth.Actor) (map[string]string, error) {
	return nil, boardsNotBuilt()
}

// SetWarningPref sets the actor's choice for one warning code.
func (a *App) SetWarningPref(ctx context.Context, actor hearth.Actor, code, choice string) error {
	return boardsNotBuilt()
}

// SweepBoards purges posts deleted longer ago than their group's
// DeletedDays (the serve chore).
func (a *App) SweepBoards(ctx context.Context) error { return boardsNotBuilt() }

// BoardPostLink is where a post is read.
func (a *App) BoardPostLink(ctx context.Context, postID int64) (string, error) {
	return "", boardsNotBuilt()
}
