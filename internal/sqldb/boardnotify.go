package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Board notices (issue 6 §3): who is told of a new post, whether a post a
// notice leads to is still there, and the daily digest's choice and
// counts. Nothing here reads or returns what anyone wrote.

// BoardReader is an active member of a group, as a mention is matched.
type BoardReader struct {
	UserID    int64
	Pseudonym string
}

// ActiveBoardReaders lists a group's active memberships (members and
// facilitators) with their pseudonyms, in the caller's transaction.
func (t *Tx) ActiveBoardReaders(ctx context.Context, groupID int64) ([]BoardReader, error) {
	rows, err := t.query(ctx, `SELECT user_id, pseudonym FROM memberships WHERE group_id = ? AND status = 'active' ORDER BY id`, groupID)
	if err != nil {
		return nil, fmt.Errorf("board readers: %w", err)
	}
	defer rows.Close()
	var out []BoardReader
	for rows.Next() {
		var r BoardReader
		if err := rows.Scan(&r.UserID, &r.Pseudonym); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// ThreadFollowers lists the people who wrote a shown post in the thread
// before post (not deleted, not held), except one person, who still hold
// an active membership of the thread's group.
func (t *Tx) ThreadFollowers(ctx context.Context, threadID, before, except int64) ([]int64, error) {
	rows, err := t.query(ctx, `SELECT DISTINCT p.author_id FROM board_posts p
		JOIN memberships m ON m.group_id = p.group_id AND m.user_id = p.author_id AND m.status = 'active'
		WHERE p.thread_id = ? AND p.id < ? AND p.deleted_at = 0 AND p.held = '' AND p.author_id <> ?
		ORDER BY p.author_id`, threadID, before, except)
	if err != nil {
		return nil, fmt.Errorf("thread followers: %w", err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// BlockedWith lists who blocked, or was blocked by, the person in the
// group: nothing of theirs reaches the other.
func (t *Tx) BlockedWith(ctx context.Context, groupID, userID int64) (map[int64]bool, error) {
	rows, err := t.query(ctx, `SELECT blocked_id FROM blocks WHERE group_id = ? AND blocker_id = ?
		UNION SELECT blocker_id FROM blocks WHERE group_id = ? AND blocked_id = ?`, groupID, userID, groupID, userID)
	if err != nil {
		return nil, fmt.Errorf("blocks: %w", err)
	}
	defer rows.Close()
	out := map[int64]bool{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out[id] = true
	}
	return out, rows.Err()
}

// BoardThreadSpan is the first and last id of a group's threads created
// from from to until (inclusive): an alumna's window of the board. Both are
// 0 when there is none.
func (db *DB) BoardThreadSpan(ctx context.Context, groupID int64, from, until time.Time) (first, last int64, err error) {
	err = db.queryRow(ctx, `SELECT COALESCE(MIN(id), 0), COALESCE(MAX(id), 0) FROM board_threads WHERE group_id = ? AND created_at >= ? AND created_at <= ?`,
		groupID, unix(from), unix(until)).Scan(&first, &last)
	if err != nil {
		return 0, 0, fmt.Errorf("board thread span: %w", err)
	}
	return first, last, nil
}

// BoardGroupSlug reads a group's slug inside the transaction.
func (t *Tx) BoardGroupSlug(ctx context.Context, groupID int64) (string, error) {
	var s string
	err := t.queryRow(ctx, `SELECT slug FROM groups WHERE id = ?`, groupID).Scan(&s)
	return s, notFound(err, "The group")
}

// BoardPostsThere reports, of the posts asked about, those that exist and
// are neither deleted (nor in a deleted thread) nor held. A post a
// moderator hid is there: its thread shows the placeholder with the reason.
func (db *DB) BoardPostsThere(ctx context.Context, postIDs []int64) (map[int64]bool, error) {
	out := make(map[int64]bool, len(postIDs))
	for len(postIDs) > 0 {
		chunk := postIDs[:min(len(postIDs), 500)]
		postIDs = postIDs[len(chunk):]
		rows, err := db.query(ctx, `SELECT p.id FROM board_posts p
			WHERE p.id IN (`+placeholders(len(chunk))+`) AND p.deleted_at = 0 AND p.held = ''
			AND NOT EXISTS (SELECT 1 FROM board_threads th WHERE th.id = p.thread_id AND th.deleted_at > 0)`, anys(chunk)...)
		if err != nil {
			return nil, fmt.Errorf("board posts there: %w", err)
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, err
			}
			out[id] = true
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// BoardDigest reports whether a person chose the board digest (off until
// they do).
func (db *DB) BoardDigest(ctx context.Context, userID int64) (bool, error) {
	var on bool
	err := db.queryRow(ctx, `SELECT board_digest FROM reminder_prefs WHERE user_id = ?`, userID).Scan(&on)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("board digest: %w", err)
	}
	return on, nil
}

// SetBoardDigest stores a person's board digest choice (their reminder
// choices stay as they are: the defaults when they never chose).
func (db *DB) SetBoardDigest(ctx context.Context, userID int64, on bool) error {
	_, err := db.write.ExecContext(ctx, db.rebind(`INSERT INTO reminder_prefs (user_id, before_24h, before_1h, board_digest, updated_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (user_id) DO UPDATE SET board_digest = excluded.board_digest, updated_at = excluded.updated_at`),
		userID, DefaultReminderPrefs.Before24h, DefaultReminderPrefs.Before1h, on, db.now().Unix())
	if err != nil {
		return fmt.Errorf("set board digest: %w", err)
	}
	return nil
}

// DueBoardDigests lists, after the person after (0: from the start), at
// most limit people who chose the digest, gave an email and were last
// sent one no later than lastBefore.
func (db *DB) DueBoardDigests(ctx context.Context, lastBefore time.Time, after int64, limit int) ([]int64, error) {
	rows, err := db.query(ctx, `SELECT r.user_id FROM reminder_prefs r JOIN users u ON u.id = r.user_id
		WHERE r.board_digest AND r.board_digest_at <= ? AND r.user_id > ? AND COALESCE(u.email, '') <> ''
		ORDER BY r.user_id LIMIT ?`, lastBefore.Unix(), after, limit)
	if err != nil {
		return nil, fmt.Errorf("due board digests: %w", err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// BoardDigestSince reads, in the transaction, whether the person still
// wants the digest and when the last one was queued.
func (t *Tx) BoardDigestSince(ctx context.Context, userID int64) (on bool, last time.Time, err error) {
	var at int64
	err = t.queryRow(ctx, `SELECT board_digest, board_digest_at FROM reminder_prefs WHERE user_id = ?`, userID).Scan(&on, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return false, time.Time{}, nil
	}
	if err != nil {
		return false, time.Time{}, fmt.Errorf("board digest: %w", err)
	}
	return on, time.Unix(at, 0).UTC(), nil
}

// UnreadNoticeCounts counts the person's unread notices of the kinds
// given, created after since, per kind.
func (t *Tx) UnreadNoticeCounts(ctx context.Context, userID int64, since time.Time, kinds []string) (map[string]int, error) {
	args := append([]any{userID, since.Unix()}, anys(kinds)...)
	rows, err := t.query(ctx, `SELECT kind, COUNT(*) FROM notices WHERE user_id = ? AND read_at = 0 AND created_at > ?
		AND kind IN (`+placeholders(len(kinds))+`) GROUP BY kind`, args...)
	if err != nil {
		return nil, fmt.Errorf("count notices: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var k string
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			return nil, err
		}
		out[k] = n
	}
	return out, rows.Err()
}

// ClaimBoardDigest moves the person's last digest time from last to now,
// only if it is still last: of several processes sending digests at once,
// one claims it (claimed true) and the others leave it.
func (t *Tx) ClaimBoardDigest(ctx context.Context, userID int64, last, now time.Time) (claimed bool, err error) {
	res, err := t.exec(ctx, `UPDATE reminder_prefs SET board_digest_at = ? WHERE user_id = ? AND board_digest AND board_digest_at = ?`,
		now.Unix(), userID, last.Unix())
	if err != nil {
		return false, fmt.Errorf("claim board digest: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}
