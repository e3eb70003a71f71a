package app

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/mail"
	"github.com/hearth-org/hearth/internal/sqldb"
)

// Board notices (issue 6 §3). A post that becomes visible tells, in the
// posting transaction: the thread's earlier writers ("someone replied in a
// thread you follow"), the active members it mentions by @pseudonym, and
// — for a facilitator's announcement — every active member. Never the
// writer; never what anyone wrote (titles included); never who wrote it (an
// anonymous post tells nothing a named one would not). The notices are
// in-app only: email is the optional daily digest (SendBoardDigests), which
// only counts them. A held post tells nobody until a facilitator approves
// it. Each person hears of a post once, whatever its kinds and however
// often it is announced (Notice.Key "board:post:{id}").

// The kinds of board notice (in-app only: notify sends them no email).
const (
	NoticeBoardReply        = "board_reply"        // a reply in a thread the person wrote in
	NoticeBoardMention      = "board_mention"      // a post names the person's @pseudonym
	NoticeBoardAnnouncement = "board_announcement" // a facilitator's announcement to the group
)

// BoardNoticeKinds lists them, most important first: a person both
// mentioned and following hears of the post once, by its first kind here.
var BoardNoticeKinds = []string{NoticeBoardAnnouncement, NoticeBoardMention, NoticeBoardReply}

func boardNoticeKind(kind string) bool { return slices.Contains(BoardNoticeKinds, kind) }

// maxMentions is how many people one post may mention by name; the rest
// are not told (a post is not a mailing list).
const maxMentions = 10

// boardNoticePrefix starts the key of every board notice: the post's id
// follows.
const boardNoticePrefix = "board:post:"

// BoardEvent is a post that has just become visible to its group's readers
// (or is held: then nobody is told yet). Built by boards.go.
type BoardEvent struct {
	GroupID      int64
	Slug         string // the group's slug for the link; "" to look it up
	ThreadID     int64
	PostID       int64
	AuthorID     int64 // the writer: never told, never named
	Anonymous    bool
	Announcement bool   // a facilitator's announcement: every active member is told
	Held         bool   // waiting for a facilitator: nobody is told, nothing rings
	Text         string // title and body as written, read here only for @mentions; never stored or logged
}

// boardPosted tells who should hear of a new visible post, inside the
// posting (or approving) transaction, and rings the live "new posts" hint
// once it commits.
func (a *App) boardPosted(ctx context.Context, tx *sqldb.Tx, ev BoardEvent) error {
	if ev.Held {
		return nil
	}
	if ev.GroupID <= 0 || ev.ThreadID <= 0 || ev.PostID <= 0 || ev.AuthorID <= 0 {
		return fmt.Errorf("board notices: group, thread, post and writer are required")
	}
	slug := ev.Slug
	if slug == "" {
		var err error
		if slug, err = tx.BoardGroupSlug(ctx, ev.GroupID); err != nil {
			return err
		}
	}
	var readers []sqldb.BoardReader
	if ev.Announcement || strings.Contains(ev.Text, "@") {
		var err error
		if readers, err = tx.ActiveBoardReaders(ctx, ev.GroupID); err != nil {
			return err
		}
	}
	blocked, err := tx.BlockedWith(ctx, ev.GroupID, ev.AuthorID)
	if err != nil {
		return err
	}
	told := map[int64]string{}
	tell := func(userID int64, kind string) {
		if userID == ev.AuthorID {
			return
		}
		if prev, ok := told[userID]; ok && slices.Index(BoardNoticeKinds, prev) <= slices.Index(BoardNoticeKinds, kind) {
			return
		}
		told[userID] = kind
	}
	if ev.Announcement {
		// Group business from a facilitator: every active member, blocks
		// or not.
		for _, r := range readers {
			tell(r.UserID, NoticeBoardAnnouncement)
		}
	}
	for _, id := range mentioned(ev.Text, readers, ev.AuthorID) {
		if !blocked[id] {
			tell(id, NoticeBoardMention)
		}
	}
	followers, err := tx.ThreadFollowers(ctx, ev.ThreadID, ev.PostID, ev.AuthorID)
	if err != nil {
		return err
	}
	for _, id := range followers {
		if !blocked[id] {
			tell(id, NoticeBoardReply)
		}
	}
	ids := make([]int64, 0, len(told))
	for id := range told {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	// The post's permalink: it checks the reader may still read it, then
	// leads to the page of the thread the post is on.
	link := "/groups/" + slug + "/board/posts/" + strconv.FormatInt(ev.PostID, 10)
	key := boardNoticePrefix + strconv.FormatInt(ev.PostID, 10)
	for _, id := range ids {
		if err := a.notify(ctx, tx, Notice{UserID: id, Kind: told[id], GroupID: ev.GroupID, Key: key, Link: link}); err != nil {
			return err
		}
	}
	a.log.Debug("board post told", "group_id", ev.GroupID, "thread_id", ev.ThreadID, "post_id", ev.PostID, "notices", len(ids))
	a.ringBoard(tx, ev.GroupID, ev.ThreadID, ev.PostID)
	return nil
}

// mentioned returns the active readers a text names as @pseudonym
// (case-insensitive, spaces inside a name as one; the longest name wins
// where one is the start of another), at most maxMentions, never the
// writer. An @ right after a letter or digit (an email address) names
// nobody, nor does a name running on into more letters or digits.
func mentioned(text string, readers []sqldb.BoardReader, author int64) []int64 {
	if !strings.Contains(text, "@") {
		return nil
	}
	type cand struct {
		id    int64
		name  string
		runes int
	}
	var cands []cand
	for _, r := range readers {
		if r.UserID == author {
			continue
		}
		name := hearth.NormalizePseudonym(r.Pseudonym)
		if name == "" {
			continue
		}
		cands = append(cands, cand{r.UserID, name, utf8.RuneCountInString(name)})
	}
	if len(cands) == 0 {
		return nil
	}
	slices.SortStableFunc(cands, func(x, y cand) int { return y.runes - x.runes })
	text = strings.Join(strings.Fields(text), " ")
	var out []int64
	ats := 0
	for i := 0; i < len(text) && len(out) < maxMentions && ats < 1000; i++ {
		if text[i] != '@' {
			continue
		}
		ats++
		if prev, _ := utf8.DecodeLastRuneInString(text[:i]); i > 0 && wordRune(prev) {
			continue
		}
		rest := text[i+1:]
		for _, c := range cands {
			head, after, ok := cutRunes(rest, c.runes)
			if !ok || !strings.EqualFold(head, c.name) {
				continue
			}
			if next, _ := utf8.DecodeRuneInString(after); after != "" && wordRune(next) {
				continue
			}
			if !slices.Contains(out, c.id) {
				out = append(out, c.id)
			}
			break
		}
	}
	return out
}

func wordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' }

// cutRunes splits s after n runes; ok is false when s is shorter.
func cutRunes(s string, n int) (head, rest string, ok bool) {
	i := 0
	for range n {
		if i >= len(s) {
			return "", "", false
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return s[:i], s[i:], true
}

// ---------------------------------------------------------------------------
// The live "new posts" hint

// SetBoardRinger gives the app what tells the board hubs (this process's
// and, through the bus, the others') that a post became visible. Call it
// once, before serving.
func (a *App) SetBoardRinger(f func(group, thread, post int64)) { a.boardRinger.Store(&f) }

// ringBoard rings once the transaction commits (never for one rolled back).
func (a *App) ringBoard(tx *sqldb.Tx, groupID, threadID, postID int64) {
	tx.AfterCommit(func() {
		if f := a.boardRinger.Load(); f != nil && *f != nil {
			(*f)(groupID, threadID, postID)
		}
	})
}

// BoardLivePass is what the live hint may tell one reader: new posts in
// the group's threads, all of them for members and facilitators; for an
// alumna only threads of her time (MinThread to MaxThread, ids in creation
// order), so the hint never tells her that the board goes on without her.
type BoardLivePass struct {
	GroupID              int64
	MinThread, MaxThread int64 // 0, 0: every thread
	None                 bool  // an alumna with no thread of her time: nothing to hear
}

// Hears reports whether a ring about the thread may reach the reader.
func (p BoardLivePass) Hears(thread int64) bool {
	if p.None {
		return false
	}
	return (p.MinThread == 0 || thread >= p.MinThread) && (p.MaxThread == 0 || thread <= p.MaxThread)
}

// BoardLive is the live hint's authorization: what the actor may hear when
// they read the group's board, else the board page's own answer (NotFound
// for a private group, Forbidden otherwise, Unauthorized for nobody).
func (a *App) BoardLive(ctx context.Context, actor hearth.Actor, slug string) (BoardLivePass, error) {
	r, err := a.boardGroup(ctx, actor, slug)
	if err != nil {
		return BoardLivePass{}, err
	}
	p := BoardLivePass{GroupID: r.g.ID}
	if r.active {
		return p, nil
	}
	until := r.until
	if until.IsZero() {
		until = a.now()
	}
	if p.MinThread, p.MaxThread, err = a.db.BoardThreadSpan(ctx, r.g.ID, r.from, until); err != nil {
		return BoardLivePass{}, err
	}
	p.None = p.MaxThread == 0
	return p, nil
}

// ---------------------------------------------------------------------------
// The notices page

// BoardNoticesGone says which of the person's board notices lead to a post
// that is no longer there (deleted, in a deleted thread, held again): the
// page shows those as a placeholder, without a link. Keyed by notice id.
func (a *App) BoardNoticesGone(ctx context.Context, actor hearth.Actor, notices []StoredNotice) (map[int64]bool, error) {
	if !actor.SignedIn() {
		return nil, hearth.Errorf(hearth.Unauthorized, "Please sign in first.")
	}
	byPost := map[int64][]int64{}
	var posts []int64
	for _, n := range notices {
		if n.UserID != actor.UserID || !boardNoticeKind(n.Kind) {
			continue
		}
		post, err := strconv.ParseInt(strings.TrimPrefix(n.Key, boardNoticePrefix), 10, 64)
		if err != nil || !strings.HasPrefix(n.Key, boardNoticePrefix) {
			continue
		}
		if byPost[post] == nil {
			posts = append(posts, post)
		}
		byPost[post] = append(byPost[post], n.ID)
	}
	gone := map[int64]bool{}
	if len(posts) == 0 {
		return gone, nil
	}
	there, err := a.db.BoardPostsThere(ctx, posts)
	if err != nil {
		return nil, err
	}
	for post, ids := range byPost {
		if !there[post] {
			for _, id := range ids {
				gone[id] = true
			}
		}
	}
	return gone, nil
}

// ---------------------------------------------------------------------------
// The daily digest

// boardDigestEvery is the least time between two digests to one person.
const boardDigestEvery = 24 * time.Hour

// boardDigestBatch is how many people one query of the chore reads.
const boardDigestBatch = 200

// SetMyBoardDigest stores whether the signed-in person wants the board
// digest: at most one email a day counting the board notices waiting.
func (a *App) SetMyBoardDigest(ctx context.Context, actor hearth.Actor, on bool) (ReminderSettings, error) {
	if !actor.SignedIn() {
		return ReminderSettings{}, hearth.Errorf(hearth.Unauthorized, "Please sign in first.")
	}
	if err := a.db.SetBoardDigest(ctx, actor.UserID, on); err != nil {
		return ReminderSettings{}, err
	}
	a.log.Info("board digest choice saved", "user_id", actor.UserID, "board_digest", on)
	return a.MyReminders(ctx, actor)
}

// SendBoardDigests is the chore that emails each person who chose the
// digest, at most once a day, how many board replies, mentions and
// announcements wait for them (unread notices since their last digest):
// no group, no word anyone wrote, a link to /notices. People with nothing
// new get nothing. Safe to run from several processes at once: a person's
// digest is claimed by moving their last-sent time, and the outbox key
// names the person and the day.
func (a *App) SendBoardDigests(ctx context.Context) error {
	now := a.now().UTC().Truncate(time.Second)
	due := now.Add(-boardDigestEvery)
	var after int64
	var firstErr error
	sent := 0
	for {
		ids, err := a.db.DueBoardDigests(ctx, due, after, boardDigestBatch)
		if err != nil {
			return err
		}
		for _, id := range ids {
			ok, err := a.sendBoardDigest(ctx, id, now, due)
			if err != nil {
				// One person's failure must not stop everyone else's digest.
				a.log.Warn("board digest failed", "user_id", id, "err", err)
				if firstErr == nil {
					firstErr = err
				}
				continue
			}
			if ok {
				sent++
			}
		}
		if len(ids) < boardDigestBatch || ctx.Err() != nil {
			break
		}
		after = ids[len(ids)-1]
	}
	if sent > 0 {
		a.log.Info("board digests queued", "count", sent)
	}
	if firstErr != nil {
		return fmt.Errorf("board digests: %w", firstErr)
	}
	return ctx.Err()
}

// sendBoardDigest queues one person's digest if it is due and something
// waits.
func (a *App) sendBoardDigest(ctx context.Context, userID int64, now, due time.Time) (sent bool, err error) {
	err = a.db.InTx(ctx, func(tx *sqldb.Tx) error {
		on, last, err := tx.BoardDigestSince(ctx, userID)
		if err != nil || !on || last.After(due) {
			return err
		}
		counts, err := tx.UnreadNoticeCounts(ctx, userID, last, BoardNoticeKinds)
		if err != nil {
			return err
		}
		f := mail.Facts{Kind: mail.BoardDigest, Replies: counts[NoticeBoardReply], Mentions: counts[NoticeBoardMention],
			Announcements: counts[NoticeBoardAnnouncement]}
		if f.Replies+f.Mentions+f.Announcements == 0 {
			return nil
		}
		c, err := tx.UserContact(ctx, userID)
		if err != nil || c.Email == "" {
			return err
		}
		claimed, err := tx.ClaimBoardDigest(ctx, userID, last, now)
		if err != nil || !claimed {
			return err
		}
		f.Locale, f.TimeZone = c.Locale, c.TimeZone
		subject, body, err := a.mail.compose(f)
		if err != nil {
			return err
		}
		err = tx.EnqueueMail(ctx, sqldb.OutboxMail{UserID: userID, To: c.Email, Kind: mail.BoardDigest, Locale: c.Locale,
			Subject: subject, Body: body, Key: fmt.Sprintf("board_digest:%d:%s", userID, now.Format(time.DateOnly)),
			NotAfter: now.Add(boardDigestEvery)})
		if err != nil {
			return err
		}
		if w := a.mail.worker; w != nil {
			tx.AfterCommit(w.Wake)
		}
		sent = true
		return nil
	})
	return sent, err
}
