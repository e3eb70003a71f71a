package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/hearth-org/hearth"
)

// Board storage (migration 00010): threads, posts, earlier versions,
// reactions, read marks, readers' warning choices and each group's board
// settings. Nothing here holds words in the clear: a post's title, body
// and own-words warning are one sealed value that app seals and opens.
// Which posts a reader sees is decided in the queries (deleted posts never;
// posts held for a facilitator only for their writer and the group's
// facilitators), so that counts and pages agree with what is shown. Lists
// page by LIMIT/OFFSET: boards are small, and totals are exact.

// BoardThread is one thread.
type BoardThread struct {
	ID           int64
	GroupID      int64
	AuthorID     int64
	FirstPostID  int64
	Announcement bool
	CreatedAt    time.Time
	LastActivity time.Time
	DeletedAt    time.Time // zero while not deleted
}

// BoardPost is one post (a thread's first post or a reply).
type BoardPost struct {
	ID           int64
	ThreadID     int64
	GroupID      int64
	AuthorID     int64
	MembershipID int64
	Pseudonym    string
	Anonymous    bool
	Warning      string // "", a warning code, or "own" (the words are sealed)
	Sealed       []byte
	Rev          int
	Held         string // "", "approval" or "review"
	Key          string // the writer's idempotency key ("" none)
	CreatedAt    time.Time
	EditedAt     time.Time
	DeletedAt    time.Time
	// ThreadCreatedAt is the thread's creation (read with the post).
	ThreadCreatedAt time.Time
	// FirstPostID is the thread's first post (read with the post).
	FirstPostID int64
}

// BoardRevision is an earlier version of a post.
type BoardRevision struct {
	PostID    int64
	Rev       int
	Warning   string
	Sealed    []byte
	CreatedAt time.Time // when this version was written
}

// BoardConfig is a group's board settings.
type BoardConfig struct {
	AllowAnonymous bool
	AlumniRead     bool
	DeletedDays    int
	ErasedPosts    string // read only: ErasedFormerMember or ErasedRemove (SetErasedPosts changes it)
}

// DefaultBoardDeletedDays is how long deleted posts are kept before they
// are purged when the group chose nothing.
const DefaultBoardDeletedDays = 30

// ErrDuplicatePostKey is InsertBoardPost's answer when the writer already
// stored a post with the same idempotency key.
var ErrDuplicatePostKey = errors.New("a post with this key exists")

const boardPostCols = `p.id, p.thread_id, p.group_id, p.author_id, p.membership_id, p.pseudonym, p.anonymous, p.warning, p.sealed, p.rev, p.held,
	COALESCE(p.client_key, ''), p.created_at, p.edited_at, p.deleted_at, t.created_at, t.first_post_id`

func scanBoardPost(row rowScanner) (*BoardPost, error) {
	var p BoardPost
	var created, edited, deleted, tcreated int64
	if err := row.Scan(&p.ID, &p.ThreadID, &p.GroupID, &p.AuthorID, &p.MembershipID, &p.Pseudonym, &p.Anonymous, &p.Warning, &p.Sealed, &p.Rev, &p.Held,
		&p.Key, &created, &edited, &deleted, &tcreated, &p.FirstPostID); err != nil {
		return nil, err
	}
	p.CreatedAt, p.EditedAt, p.DeletedAt, p.ThreadCreatedAt = fromUnix(created), fromUnix(edited), fromUnix(deleted), fromUnix(tcreated)
	return &p, nil
}

const boardThreadCols = `id, group_id, author_id, first_post_id, announcement, created_at, last_activity, deleted_at`

func scanBoardThread(row rowScanner) (*BoardThread, error) {
	var t BoardThread
	var created, last, deleted int64
	if err := row.Scan(&t.ID, &t.GroupID, &t.AuthorID, &t.FirstPostID, &t.Announcement, &created, &last, &deleted); err != nil {
		return nil, err
	}
	t.CreatedAt, t.LastActivity, t.DeletedAt = fromUnix(created), fromUnix(last), fromUnix(deleted)
	return &t, nil
}

// InsertBoardThread stores a new thread (its first post follows, then
// SetThreadFirstPost).
func (t *Tx) InsertBoardThread(ctx context.Context, th *BoardThread) error {
	id, err := t.insert(ctx, `INSERT INTO board_threads (group_id, author_id, announcement, created_at, last_activity) VALUES (?, ?, ?, ?, ?)`,
		th.GroupID, th.AuthorID, th.Announcement, unix(th.CreatedAt), unix(th.LastActivity))
	if err != nil {
		return fmt.Errorf("insert board thread: %w", err)
	}
	th.ID = id
	return nil
}

// SetThreadFirstPost names a thread's first post.
func (t *Tx) SetThreadFirstPost(ctx context.Context, threadID, postID int64) error {
	_, err := t.exec(ctx, `UPDATE board_threads SET first_post_id = ? WHERE id = ?`, postID, threadID)
	return err
}

// TouchBoardThread moves a thread's last activity forward to at (never
// back).
func (t *Tx) TouchBoardThread(ctx context.Context, threadID int64, at time.Time) error {
	_, err := t.exec(ctx, `UPDATE board_threads SET last_activity = ? WHERE id = ? AND last_activity < ?`, unix(at), threadID, unix(at))
	return err
}

// InsertBoardPost stores a post without its text (app seals it bound to
// the post's id, then SetBoardPostSealed). A key the writer used before
// in the group gives ErrDuplicatePostKey.
func (t *Tx) InsertBoardPost(ctx context.Context, p *BoardPost) error {
	var key any
	if p.Key != "" {
		key = p.Key
	}
	if p.Rev == 0 {
		p.Rev = 1
	}
	id, err := t.insert(ctx, `INSERT INTO board_posts (thread_id, group_id, author_id, membership_id, pseudonym, anonymous, warning, rev, held, client_key, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		p.ThreadID, p.GroupID, p.AuthorID, p.MembershipID, p.Pseudonym, p.Anonymous, p.Warning, p.Rev, p.Held, key, unix(p.CreatedAt))
	if isUnique(err) {
		return ErrDuplicatePostKey
	}
	if err != nil {
		return fmt.Errorf("insert board post: %w", err)
	}
	p.ID = id
	return nil
}

// SetBoardPostSealed stores a post's sealed text.
func (t *Tx) SetBoardPostSealed(ctx context.Context, postID int64, sealed []byte) error {
	_, err := t.exec(ctx, `UPDATE board_posts SET sealed = ? WHERE id = ?`, sealed, postID)
	return err
}

// BoardPost returns one post with its thread's creation time (deleted
// posts included: callers check DeletedAt).
func (db *DB) BoardPost(ctx context.Context, id int64) (*BoardPost, error) {
	return boardPost(ctx, db, id)
}

// BoardPost returns one post, inside the transaction.
func (t *Tx) BoardPost(ctx context.Context, id int64) (*BoardPost, error) {
	return boardPost(ctx, t, id)
}

func boardPost(ctx context.Context, r reader, id int64) (*BoardPost, error) {
	p, err := scanBoardPost(r.queryRow(ctx, `SELECT `+boardPostCols+` FROM board_posts p JOIN board_threads t ON t.id = p.thread_id WHERE p.id = ?`, id))
	return p, notFound(err, "The post")
}

// BoardPostByKey returns the post a writer stored with an idempotency key
// in a group (NotFound: none).
func (db *DB) BoardPostByKey(ctx context.Context, groupID, authorID int64, key string) (*BoardPost, error) {
	p, err := scanBoardPost(db.queryRow(ctx, `SELECT `+boardPostCols+` FROM board_posts p JOIN board_threads t ON t.id = p.thread_id
		WHERE p.group_id = ? AND p.author_id = ? AND p.client_key = ?`, groupID, authorID, key))
	return p, notFound(err, "The post")
}

// BoardThread returns one thread (deleted ones included).
func (db *DB) BoardThread(ctx context.Context, id int64) (*BoardThread, error) {
	th, err := scanBoardThread(db.queryRow(ctx, `SELECT `+boardThreadCols+` FROM board_threads WHERE id = ?`, id))
	return th, notFound(err, "The thread")
}

// EditBoardPost keeps the post's current version as a revision and
// stores the new one: its warning, held state and rev (the caller sealed
// the text for that rev).
func (t *Tx) EditBoardPost(ctx context.Context, postID int64, warning, held string, rev int, sealed []byte, at time.Time) error {
	if _, err := t.exec(ctx, `INSERT INTO board_revisions (post_id, rev, warning, sealed, created_at)
		SELECT id, rev, warning, sealed, CASE WHEN edited_at > 0 THEN edited_at ELSE created_at END FROM board_posts WHERE id = ?`, postID); err != nil {
		return fmt.Errorf("keep board revision: %w", err)
	}
	_, err := t.exec(ctx, `UPDATE board_posts SET warning = ?, held = ?, rev = ?, sealed = ?, edited_at = ? WHERE id = ?`, warning, held, rev, sealed, unix(at), postID)
	return err
}

// BoardRevisions lists a post's earlier versions, oldest first.
func (db *DB) BoardRevisions(ctx context.Context, postID int64) ([]BoardRevision, error) {
	return list(ctx, db, "board revisions", func(row rowScanner) (BoardRevision, error) {
		var r BoardRevision
		var at int64
		err := row.Scan(&r.PostID, &r.Rev, &r.Warning, &r.Sealed, &at)
		r.CreatedAt = fromUnix(at)
		return r, err
	}, `SELECT post_id, rev, warning, sealed, created_at FROM board_revisions WHERE post_id = ? ORDER BY rev`, postID)
}

// DeleteBoardPost marks a post deleted at at: from then on no list, page
// or search shows it; the sweeper purges it later.
func (t *Tx) DeleteBoardPost(ctx context.Context, postID int64, at time.Time) error {
	_, err := t.exec(ctx, `UPDATE board_posts SET deleted_at = ? WHERE id = ? AND deleted_at = 0`, unix(at), postID)
	return err
}

// DeleteBoardThread marks a thread and all its posts deleted.
func (t *Tx) DeleteBoardThread(ctx context.Context, threadID int64, at time.Time) error {
	if _, err := t.exec(ctx, `UPDATE board_posts SET deleted_at = ? WHERE thread_id = ? AND deleted_at = 0`, unix(at), threadID); err != nil {
		return err
	}
	_, err := t.exec(ctx, `UPDATE board_threads SET deleted_at = ? WHERE id = ? AND deleted_at = 0`, unix(at), threadID)
	return err
}

// ApproveBoardPost shows a held post; it reports whether it was held.
func (t *Tx) ApproveBoardPost(ctx context.Context, postID int64) (bool, error) {
	res, err := t.exec(ctx, `UPDATE board_posts SET held = '' WHERE id = ? AND held <> '' AND deleted_at = 0`, postID)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// PurgeDeletedBoardPosts deletes for good the posts and threads deleted
// longer ago than their group's deleted_days (0: at once), with their
// versions, reactions and read marks. It returns how many posts went.
func (db *DB) PurgeDeletedBoardPosts(ctx context.Context, now time.Time) (int64, error) {
	var n int64
	err := db.InTx(ctx, func(tx *Tx) error {
		const expired = `deleted_at > 0 AND deleted_at + COALESCE((SELECT s.deleted_days FROM board_settings s WHERE s.group_id = %s.group_id), ?) * 86400 <= ?`
		res, err := tx.exec(ctx, `DELETE FROM board_posts WHERE `+fmt.Sprintf(expired, "board_posts"), DefaultBoardDeletedDays, now.Unix())
		if err != nil {
			return fmt.Errorf("purge board posts: %w", err)
		}
		n, _ = res.RowsAffected()
		// A deleted thread goes with every post it still had (cascade).
		res, err = tx.exec(ctx, `DELETE FROM board_threads WHERE `+fmt.Sprintf(expired, "board_threads"), DefaultBoardDeletedDays, now.Unix())
		if err != nil {
			return fmt.Errorf("purge board threads: %w", err)
		}
		m, _ := res.RowsAffected()
		n += m
		return nil
	})
	return n, err
}

// BoardPostCount counts a group's posts, deleted ones included (the rows
// that exist).
func (db *DB) BoardPostCount(ctx context.Context, groupID int64) (int, error) {
	var n int
	err := db.queryRow(ctx, `SELECT COUNT(*) FROM board_posts WHERE group_id = ?`, groupID).Scan(&n)
	return n, err
}

// ---------------------------------------------------------------------------
// Lists

// BoardList asks for a page of a board's threads as one reader sees them.
type BoardList struct {
	GroupID  int64
	ViewerID int64
	// Leads: the viewer facilitates (sees held posts).
	Leads bool
	// Blocked are the people whose posts (not anonymous ones) the viewer
	// does not see: those they blocked in the group.
	Blocked []int64
	// From, Until bound the threads' creation (an alumna's time in the
	// group); zero: no bound.
	From, Until time.Time
	// HideWarnings are the warning codes ("own" included) whose threads
	// the viewer chose not to see (their own threads stay).
	HideWarnings []string
	// IDs, when not nil, limits the list to these threads (a search).
	IDs []int64
	// Limit, Offset page the list (newest activity first).
	Limit, Offset int
}

// BoardThreadRow is a thread in a list, with its first post and this
// reader's counts.
type BoardThreadRow struct {
	Thread  BoardThread
	First   BoardPost
	Replies int  // replies the reader sees
	Unread  int  // posts by others after the reader's read mark
	Opened  bool // the reader has a read mark
}

// visible is the condition for a post (table alias a) the viewer sees,
// with its arguments: not deleted; shown, or theirs, or they facilitate;
// and not by someone they blocked (unless it is anonymous: leaving it out
// would tell who wrote it).
func (q BoardList) visible(a string) (string, []any) {
	c := fmt.Sprintf(`%[1]s.deleted_at = 0 AND (%[1]s.held = '' OR ? OR %[1]s.author_id = ?)`, a)
	args := []any{q.Leads, q.ViewerID}
	if len(q.Blocked) > 0 {
		c += fmt.Sprintf(` AND (%[1]s.anonymous = ? OR %[1]s.author_id NOT IN (`, a) + placeholders(len(q.Blocked)) + `))`
		args = append(append(args, true), anys(q.Blocked)...)
	}
	return c, args
}

func (q BoardList) where() (string, []any) {
	vis, vargs := q.visible("p")
	w := `t.group_id = ? AND t.deleted_at = 0 AND ` + vis
	args := append([]any{q.GroupID}, vargs...)
	if !q.From.IsZero() {
		w += ` AND t.created_at >= ?`
		args = append(args, q.From.Unix())
	}
	if !q.Until.IsZero() {
		w += ` AND t.created_at <= ?`
		args = append(args, q.Until.Unix())
	}
	if len(q.HideWarnings) > 0 {
		w += ` AND (p.author_id = ? OR p.warning NOT IN (` + placeholders(len(q.HideWarnings)) + `))`
		args = append(append(args, q.ViewerID), anys(q.HideWarnings)...)
	}
	if q.IDs != nil {
		if len(q.IDs) == 0 {
			w += ` AND 1 = 0`
		} else {
			w += ` AND t.id IN (` + placeholders(len(q.IDs)) + `)`
			args = append(args, anys(q.IDs)...)
		}
	}
	return w, args
}

// BoardThreads returns a page of threads as the reader sees them, newest
// activity first, and how many there are in all.
func (db *DB) BoardThreads(ctx context.Context, q BoardList) ([]BoardThreadRow, int, error) {
	w, args := q.where()
	var total int
	if err := db.queryRow(ctx, `SELECT COUNT(*) FROM board_threads t JOIN board_posts p ON p.id = t.first_post_id WHERE `+w, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count board threads: %w", err)
	}
	if total == 0 || q.Offset >= total {
		return nil, total, nil
	}
	rv, rargs := q.visible("r")
	sel := `SELECT t.id, t.group_id, t.author_id, t.first_post_id, t.announcement, t.created_at, t.last_activity, t.deleted_at, ` + boardPostCols + `,
		(SELECT COUNT(*) FROM board_posts r WHERE r.thread_id = t.id AND r.id <> t.first_post_id AND ` + rv + `),
		(SELECT COUNT(*) FROM board_posts r WHERE r.thread_id = t.id AND ` + rv + ` AND r.author_id <> ? AND r.id > COALESCE(rd.last_post_id, 0)),
		CASE WHEN rd.user_id IS NULL THEN 0 ELSE 1 END
		FROM board_threads t JOIN board_posts p ON p.id = t.first_post_id
		LEFT JOIN board_reads rd ON rd.thread_id = t.id AND rd.user_id = ?
		WHERE ` + w + ` ORDER BY t.last_activity DESC, t.id DESC LIMIT ? OFFSET ?`
	all := append(append(append(slices.Clone(rargs), rargs...), q.ViewerID, q.ViewerID), args...)
	all = append(all, q.Limit, q.Offset)
	rows, err := list(ctx, db, "board threads", func(row rowScanner) (BoardThreadRow, error) {
		var r BoardThreadRow
		var created, last, deleted int64
		var pcreated, pedited, pdeleted, tcreated int64
		var opened int
		p := &r.First
		err := row.Scan(&r.Thread.ID, &r.Thread.GroupID, &r.Thread.AuthorID, &r.Thread.FirstPostID, &r.Thread.Announcement, &created, &last, &deleted,
			&p.ID, &p.ThreadID, &p.GroupID, &p.AuthorID, &p.MembershipID, &p.Pseudonym, &p.Anonymous, &p.Warning, &p.Sealed, &p.Rev, &p.Held,
			&p.Key, &pcreated, &pedited, &pdeleted, &tcreated, &p.FirstPostID, &r.Replies, &r.Unread, &opened)
		r.Thread.CreatedAt, r.Thread.LastActivity, r.Thread.DeletedAt = fromUnix(created), fromUnix(last), fromUnix(deleted)
		p.CreatedAt, p.EditedAt, p.DeletedAt, p.ThreadCreatedAt = fromUnix(pcreated), fromUnix(pedited), fromUnix(pdeleted), fromUnix(tcreated)
		r.Opened = opened == 1
		return r, err
	}, sel, all...)
	return rows, total, err
}

// ThreadPosts returns a page of a thread's posts the reader (q's viewer,
// leads and blocks) sees, oldest first, and how many there are.
func (db *DB) ThreadPosts(ctx context.Context, threadID int64, q BoardList, limit, offset int) ([]*BoardPost, int, error) {
	vis, vargs := q.visible("p")
	w := `p.thread_id = ? AND ` + vis
	args := append([]any{threadID}, vargs...)
	var total int
	if err := db.queryRow(ctx, `SELECT COUNT(*) FROM board_posts p WHERE `+w, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count thread posts: %w", err)
	}
	posts, err := list(ctx, db, "thread posts", scanBoardPost, `SELECT `+boardPostCols+` FROM board_posts p JOIN board_threads t ON t.id = p.thread_id
		WHERE `+w+` ORDER BY p.id LIMIT ? OFFSET ?`, append(args, limit, offset)...)
	return posts, total, err
}

// PostsBefore counts the posts of a thread the reader sees that come
// before a post (to find its page).
func (db *DB) PostsBefore(ctx context.Context, threadID, postID int64, q BoardList) (int, error) {
	vis, vargs := q.visible("p")
	var n int
	err := db.queryRow(ctx, `SELECT COUNT(*) FROM board_posts p WHERE p.thread_id = ? AND p.id < ? AND `+vis,
		append([]any{threadID, postID}, vargs...)...).Scan(&n)
	return n, err
}

// SearchableBoardPosts returns a group's newest posts that are not
// deleted (at most limit), newest first, for app to open and match: held
// ones included (app keeps what the reader may not see).
func (db *DB) SearchableBoardPosts(ctx context.Context, groupID int64, limit int) ([]*BoardPost, error) {
	return list(ctx, db, "searchable board posts", scanBoardPost, `SELECT `+boardPostCols+` FROM board_posts p JOIN board_threads t ON t.id = p.thread_id
		WHERE p.group_id = ? AND p.deleted_at = 0 AND t.deleted_at = 0 ORDER BY p.id DESC LIMIT ?`, groupID, limit)
}

// HiddenBoardPosts returns the posts of a group a moderator hid (for a
// search, which reads many posts at once).
func (db *DB) HiddenBoardPosts(ctx context.Context, groupID int64) (map[int64]bool, error) {
	ids, err := list(ctx, db, "hidden board posts", func(row rowScanner) (int64, error) {
		var id int64
		return id, row.Scan(&id)
	}, `SELECT subject_id FROM hidden_subjects WHERE subject_kind = ? AND group_id = ?`, string(hearth.SubjectPost), groupID)
	out := make(map[int64]bool, len(ids))
	for _, id := range ids {
		out[id] = true
	}
	return out, err
}

// ---------------------------------------------------------------------------
// Reactions, read marks, warning choices, settings

// BoardReactionCount is how many people gave one reaction to a post, and
// whether the reader is one of them.
type BoardReactionCount struct {
	PostID int64
	Kind   string
	Count  int
	Mine   bool
}

// SetBoardReaction gives (on) or takes back a person's reaction.
func (t *Tx) SetBoardReaction(ctx context.Context, postID, userID int64, kind string, on bool) error {
	var err error
	if on {
		_, err = t.exec(ctx, `INSERT INTO board_reactions (post_id, user_id, kind) VALUES (?, ?, ?) ON CONFLICT (post_id, user_id, kind) DO NOTHING`, postID, userID, kind)
	} else {
		_, err = t.exec(ctx, `DELETE FROM board_reactions WHERE post_id = ? AND user_id = ? AND kind = ?`, postID, userID, kind)
	}
	return err
}

// BoardReactions counts the reactions to posts, by post and kind.
func (db *DB) BoardReactions(ctx context.Context, postIDs []int64, viewerID int64) ([]BoardReactionCount, error) {
	if len(postIDs) == 0 {
		return nil, nil
	}
	return list(ctx, db, "board reactions", func(row rowScanner) (BoardReactionCount, error) {
		var r BoardReactionCount
		var mine int
		err := row.Scan(&r.PostID, &r.Kind, &r.Count, &mine)
		r.Mine = mine > 0
		return r, err
	}, `SELECT post_id, kind, COUNT(*), SUM(CASE WHEN user_id = ? THEN 1 ELSE 0 END) FROM board_reactions
		WHERE post_id IN (`+placeholders(len(postIDs))+`) GROUP BY post_id, kind ORDER BY post_id, kind`, append([]any{viewerID}, anys(postIDs)...)...)
}

// MarkBoardRead moves a reader's read mark of a thread forward to
// lastPostID (never back).
func (t *Tx) MarkBoardRead(ctx context.Context, threadID, userID, lastPostID int64) error {
	_, err := t.exec(ctx, `INSERT INTO board_reads (thread_id, user_id, last_post_id) VALUES (?, ?, ?)
		ON CONFLICT (thread_id, user_id) DO UPDATE SET last_post_id = CASE WHEN excluded.last_post_id > board_reads.last_post_id
		THEN excluded.last_post_id ELSE board_reads.last_post_id END`, threadID, userID, lastPostID)
	return err
}

// BoardReadMark returns a reader's read mark of a thread (0: none).
func (db *DB) BoardReadMark(ctx context.Context, threadID, userID int64) (int64, error) {
	var id int64
	err := db.queryRow(ctx, `SELECT last_post_id FROM board_reads WHERE thread_id = ? AND user_id = ?`, threadID, userID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return id, err
}

// WarningPrefs returns a person's warning choices (codes without a row
// are absent).
func (db *DB) WarningPrefs(ctx context.Context, userID int64) (map[string]string, error) {
	rows, err := list(ctx, db, "warning prefs", func(row rowScanner) ([2]string, error) {
		var r [2]string
		return r, row.Scan(&r[0], &r[1])
	}, `SELECT code, choice FROM board_warning_prefs WHERE user_id = ?`, userID)
	out := map[string]string{}
	for _, r := range rows {
		out[r[0]] = r[1]
	}
	return out, err
}

// SetWarningPref stores a person's choice for one warning code.
func (t *Tx) SetWarningPref(ctx context.Context, userID int64, code, choice string) error {
	_, err := t.exec(ctx, `INSERT INTO board_warning_prefs (user_id, code, choice) VALUES (?, ?, ?)
		ON CONFLICT (user_id, code) DO UPDATE SET choice = excluded.choice`, userID, code, choice)
	return err
}

// BoardSettings returns a group's board settings (the defaults when it
// chose none).
func (db *DB) BoardSettings(ctx context.Context, groupID int64) (BoardConfig, error) {
	c := BoardConfig{DeletedDays: DefaultBoardDeletedDays, ErasedPosts: ErasedFormerMember}
	err := db.queryRow(ctx, `SELECT allow_anonymous, alumni_read, deleted_days, erased_posts FROM board_settings WHERE group_id = ?`, groupID).
		Scan(&c.AllowAnonymous, &c.AlumniRead, &c.DeletedDays, &c.ErasedPosts)
	if errors.Is(err, sql.ErrNoRows) {
		return c, nil
	}
	return c, err
}

// SetBoardSettings stores a group's board settings.
func (t *Tx) SetBoardSettings(ctx context.Context, groupID int64, c BoardConfig) error {
	if c.DeletedDays < 0 {
		return hearth.Errorf(hearth.Invalid, "deleted days must not be negative")
	}
	_, err := t.exec(ctx, `INSERT INTO board_settings (group_id, allow_anonymous, alumni_read, deleted_days) VALUES (?, ?, ?, ?)
		ON CONFLICT (group_id) DO UPDATE SET allow_anonymous = excluded.allow_anonymous, alumni_read = excluded.alumni_read, deleted_days = excluded.deleted_days`,
		groupID, c.AllowAnonymous, c.AlumniRead, c.DeletedDays)
	return err
}
