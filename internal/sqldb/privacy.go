package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/hearth-org/hearth"
)

// Export of a person's own data (issue 7 §2): every row the person wrote or
// that is about them alone, read by user id. Sealed values are returned as
// they are stored; app opens them. Nothing here reads what another member
// wrote: each query is limited to rows whose writer (or owner) is the person.

// ExportAccount is the account row without its secrets.
type ExportAccount struct {
	ID        int64
	Handle    string
	Email     string
	Locale    string
	TimeZone  string
	CreatedAt time.Time
}

// ExportMembership is one membership of the person, with the group's name.
type ExportMembership struct {
	ID        int64
	GroupID   int64
	GroupSlug string
	GroupName string
	Role      string
	Status    string
	Pseudonym string
	JoinedAt  time.Time
}

// ExportPost is one board post the person wrote (deleted ones left out).
type ExportPost struct {
	ID        int64
	ThreadID  int64
	GroupID   int64
	GroupSlug string
	First     bool // the thread's first post (its payload holds the title)
	Anonymous bool
	Rev       int
	Sealed    []byte
	CreatedAt time.Time
	EditedAt  time.Time
}

// ExportRoomMessage is one room message the person wrote, while retained.
type ExportRoomMessage struct {
	RoomID    int64
	Seq       int64
	GroupID   int64
	GroupSlug string
	Actor     int64
	Key       string
	Sealed    []byte
	At        time.Time
}

// ExportAnswer is one intake answer the person gave.
type ExportAnswer struct {
	MembershipID int64
	GroupID      int64
	GroupSlug    string
	Position     int
	Prompt       string
	Sealed       []byte
}

// ExportReport is one report the person filed.
type ExportReport struct {
	ID          int64
	GroupID     int64
	GroupSlug   string
	SubjectKind string
	Reason      string
	Status      string
	Sealed      []byte
	CreatedAt   time.Time
}

// ExportAppeal is one appeal the person filed.
type ExportAppeal struct {
	ID        int64
	GroupID   int64
	GroupSlug string
	Status    string
	Sealed    []byte
	CreatedAt time.Time
}

// ExportMark is an RSVP or an attendance mark of the person.
type ExportMark struct {
	GroupSlug string
	MeetingID int64
	Original  time.Time
	Mark      string // attendance: present, absent, excused; RSVP: "rsvp"
	At        time.Time
}

// ExportNotice is one notice the person received (kinds and links only).
type ExportNotice struct {
	Kind      string
	GroupSlug string
	Link      string
	CreatedAt time.Time
	Read      bool
}

// ExportData is everything read for one person's export.
type ExportData struct {
	Account     ExportAccount
	Memberships []ExportMembership
	Posts       []ExportPost
	Messages    []ExportRoomMessage
	Answers     []ExportAnswer
	Reports     []ExportReport
	Appeals     []ExportAppeal
	RSVPs       []ExportMark
	Attendance  []ExportMark
	Notices     []ExportNotice
}

// ExportUser reads a person's own rows. An unknown user is NotFound.
func (db *DB) ExportUser(ctx context.Context, userID int64) (*ExportData, error) {
	d := &ExportData{}
	var created int64
	var email *string
	if err := db.queryRow(ctx, `SELECT id, handle, email, locale, time_zone, created_at FROM users WHERE id = ?`, userID).
		Scan(&d.Account.ID, &d.Account.Handle, &email, &d.Account.Locale, &d.Account.TimeZone, &created); err != nil {
		return nil, notFound(err, "The account")
	}
	if email != nil {
		d.Account.Email = *email
	}
	d.Account.CreatedAt = fromUnix(created)
	var err error
	if d.Memberships, err = list(ctx, db, "export memberships", func(r rowScanner) (ExportMembership, error) {
		var m ExportMembership
		var at int64
		err := r.Scan(&m.ID, &m.GroupID, &m.GroupSlug, &m.GroupName, &m.Role, &m.Status, &m.Pseudonym, &at)
		m.JoinedAt = fromUnix(at)
		return m, err
	}, `SELECT m.id, m.group_id, g.slug, g.name, m.role, m.status, m.pseudonym, m.joined_at
		FROM memberships m JOIN groups g ON g.id = m.group_id WHERE m.user_id = ? ORDER BY m.id`, userID); err != nil {
		return nil, err
	}
	if d.Posts, err = list(ctx, db, "export posts", func(r rowScanner) (ExportPost, error) {
		var p ExportPost
		var at, edited int64
		err := r.Scan(&p.ID, &p.ThreadID, &p.GroupID, &p.GroupSlug, &p.First, &p.Anonymous, &p.Rev, &p.Sealed, &at, &edited)
		p.CreatedAt, p.EditedAt = fromUnix(at), fromUnix(edited)
		return p, err
	}, `SELECT p.id, p.thread_id, p.group_id, g.slug, CASE WHEN t.first_post_id = p.id THEN 1 ELSE 0 END, p.anonymous, p.rev, p.sealed, p.created_at, p.edited_at
		FROM board_posts p JOIN board_threads t ON t.id = p.thread_id JOIN groups g ON g.id = p.group_id
		WHERE p.author_id = ? AND p.deleted_at = 0 ORDER BY p.id`, userID); err != nil {
		return nil, err
	}
	if d.Messages, err = list(ctx, db, "export room messages", func(r rowScanner) (ExportRoomMessage, error) {
		var m ExportRoomMessage
		var at int64
		var key *string
		err := r.Scan(&m.RoomID, &m.Seq, &m.GroupID, &m.GroupSlug, &m.Actor, &key, &m.Sealed, &at)
		if key != nil {
			m.Key = *key
		}
		m.At = fromUnix(at)
		return m, err
	}, `SELECT e.room_id, e.seq, r.group_id, g.slug, e.actor, e.client_key, e.sealed, e.created_at
		FROM room_events e JOIN room_admissions a ON a.room_id = e.room_id AND a.id = e.actor
		JOIN rooms r ON r.id = e.room_id JOIN groups g ON g.id = r.group_id
		WHERE a.user_id = ? AND e.kind = 'message' AND e.sealed IS NOT NULL ORDER BY e.room_id, e.seq`, userID); err != nil {
		return nil, err
	}
	if d.Answers, err = list(ctx, db, "export intake answers", func(r rowScanner) (ExportAnswer, error) {
		var a ExportAnswer
		err := r.Scan(&a.MembershipID, &a.GroupID, &a.GroupSlug, &a.Position, &a.Prompt, &a.Sealed)
		return a, err
	}, `SELECT a.membership_id, m.group_id, g.slug, a.position, a.prompt, a.answer
		FROM intake_answers a JOIN memberships m ON m.id = a.membership_id JOIN groups g ON g.id = m.group_id
		WHERE m.user_id = ? ORDER BY a.membership_id, a.position`, userID); err != nil {
		return nil, err
	}
	if d.Reports, err = list(ctx, db, "export reports", func(r rowScanner) (ExportReport, error) {
		var x ExportReport
		var at int64
		err := r.Scan(&x.ID, &x.GroupID, &x.GroupSlug, &x.SubjectKind, &x.Reason, &x.Status, &x.Sealed, &at)
		x.CreatedAt = fromUnix(at)
		return x, err
	}, `SELECT r.id, r.group_id, g.slug, r.subject_kind, r.reason, r.status, r.note, r.created_at
		FROM reports r JOIN groups g ON g.id = r.group_id WHERE r.reporter_id = ? ORDER BY r.id`, userID); err != nil {
		return nil, err
	}
	if d.Appeals, err = list(ctx, db, "export appeals", func(r rowScanner) (ExportAppeal, error) {
		var x ExportAppeal
		var at int64
		err := r.Scan(&x.ID, &x.GroupID, &x.GroupSlug, &x.Status, &x.Sealed, &at)
		x.CreatedAt = fromUnix(at)
		return x, err
	}, `SELECT a.id, a.group_id, g.slug, a.status, a.note, a.created_at
		FROM appeals a JOIN groups g ON g.id = a.group_id WHERE a.user_id = ? ORDER BY a.id`, userID); err != nil {
		return nil, err
	}
	mark := func(r rowScanner) (ExportMark, error) {
		var x ExportMark
		var orig, at int64
		err := r.Scan(&x.GroupSlug, &x.MeetingID, &orig, &x.Mark, &at)
		x.Original, x.At = fromUnix(orig), fromUnix(at)
		return x, err
	}
	if d.RSVPs, err = list(ctx, db, "export rsvps", mark, `SELECT g.slug, r.meeting_id, r.original_at, 'rsvp', r.created_at
		FROM rsvps r JOIN meetings mt ON mt.id = r.meeting_id JOIN groups g ON g.id = mt.group_id
		WHERE r.user_id = ? ORDER BY r.original_at`, userID); err != nil {
		return nil, err
	}
	if d.Attendance, err = list(ctx, db, "export attendance", mark, `SELECT g.slug, a.meeting_id, a.original_at, a.mark, a.taken_at
		FROM attendance a JOIN meetings mt ON mt.id = a.meeting_id JOIN groups g ON g.id = mt.group_id
		WHERE a.user_id = ? ORDER BY a.original_at`, userID); err != nil {
		return nil, err
	}
	if d.Notices, err = list(ctx, db, "export notices", func(r rowScanner) (ExportNotice, error) {
		var x ExportNotice
		var slug *string
		var at, read int64
		err := r.Scan(&x.Kind, &slug, &x.Link, &at, &read)
		if slug != nil {
			x.GroupSlug = *slug
		}
		x.CreatedAt, x.Read = fromUnix(at), read != 0
		return x, err
	}, `SELECT n.kind, g.slug, n.link, n.created_at, n.read_at FROM notices n LEFT JOIN groups g ON g.id = n.group_id
		WHERE n.user_id = ? ORDER BY n.id`, userID); err != nil {
		return nil, err
	}
	return d, nil
}

// Erased-post policies (board_settings.erased_posts).
const (
	ErasedFormerMember = "former_member"
	ErasedRemove       = "remove"
)

// ErasedPosts returns a group's policy for an erased person's writing.
func (db *DB) ErasedPosts(ctx context.Context, groupID int64) (string, error) {
	p := ErasedFormerMember
	err := db.queryRow(ctx, `SELECT erased_posts FROM board_settings WHERE group_id = ?`, groupID).Scan(&p)
	if errors.Is(err, sql.ErrNoRows) {
		return ErasedFormerMember, nil
	}
	return p, err
}

// SetErasedPosts stores a group's policy for an erased person's writing.
func (t *Tx) SetErasedPosts(ctx context.Context, groupID int64, policy string) error {
	if policy != ErasedFormerMember && policy != ErasedRemove {
		return hearth.Errorf(hearth.Invalid, "unknown erased-posts policy")
	}
	_, err := t.exec(ctx, `INSERT INTO board_settings (group_id, erased_posts) VALUES (?, ?)
		ON CONFLICT (group_id) DO UPDATE SET erased_posts = excluded.erased_posts`, groupID, policy)
	return err
}

// Erasure counts what an erasure did.
type Erasure struct {
	FormerID     int64 // the row kept writing now belongs to (linked to nobody)
	PostsKept    int64
	PostsRemoved int64
	Messages     int64   // room messages removed
	Groups       []int64 // the groups the person was in
}

// EraseUser removes a person's account and everything of theirs, in the
// caller's transaction. Writing in groups whose policy is "remove" is
// deleted for good (a thread the person started goes with its replies, as
// when its first post is deleted); elsewhere it is handed to a new
// "former member" row: a user with a random handle, no email and no
// password, which nobody can sign in as and which names nobody. Moderation
// history (actions, reports about them, the audit log) keeps its ids.
func (t *Tx) EraseUser(ctx context.Context, userID int64, formerHandle string, now time.Time) (*Erasure, error) {
	e := &Erasure{}
	var one int64
	if err := t.queryRow(ctx, `SELECT id FROM users WHERE id = ?`, userID).Scan(&one); err != nil {
		return nil, notFound(err, "The account")
	}
	groups, err := list(ctx, t, "erase: groups", func(r rowScanner) (int64, error) {
		var id int64
		return id, r.Scan(&id)
	}, `SELECT group_id FROM memberships WHERE user_id = ?`, userID)
	if err != nil {
		return nil, err
	}
	e.Groups = groups
	if e.FormerID, err = t.insert(ctx, `INSERT INTO users (handle, email, password_hash, created_at) VALUES (?, NULL, '!', ?)`,
		formerHandle, unix(now)); err != nil {
		return nil, fmt.Errorf("erase: former member row: %w", err)
	}
	removing := `(SELECT group_id FROM board_settings WHERE erased_posts = 'remove')`
	// Writing in groups that remove it: their posts, and the threads they
	// started (with the replies, as when a thread's first post is deleted).
	if err := t.queryRow(ctx, `SELECT COUNT(*) FROM board_posts WHERE author_id = ? AND group_id IN `+removing, userID).Scan(&e.PostsRemoved); err != nil {
		return nil, fmt.Errorf("erase: count posts: %w", err)
	}
	if _, err := t.exec(ctx, `DELETE FROM board_threads WHERE author_id = ? AND group_id IN `+removing, userID); err != nil {
		return nil, fmt.Errorf("erase threads: %w", err)
	}
	res, err := t.exec(ctx, `DELETE FROM board_posts WHERE author_id = ? AND group_id IN `+removing, userID)
	if err != nil {
		return nil, fmt.Errorf("erase posts: %w", err)
	}
	if res, err = t.exec(ctx, `DELETE FROM room_events WHERE kind = 'message' AND EXISTS (SELECT 1 FROM room_admissions a JOIN rooms r ON r.id = a.room_id
		WHERE a.room_id = room_events.room_id AND a.id = room_events.actor AND a.user_id = ? AND r.group_id IN `+removing+`)`, userID); err != nil {
		return nil, fmt.Errorf("erase room messages: %w", err)
	}
	e.Messages, _ = res.RowsAffected()
	// Writing kept: linked to the former member row, no pseudonym.
	if res, err = t.exec(ctx, `UPDATE board_posts SET author_id = ?, membership_id = 0, pseudonym = '' WHERE author_id = ?`, e.FormerID, userID); err != nil {
		return nil, fmt.Errorf("erase: keep posts: %w", err)
	}
	e.PostsKept, _ = res.RowsAffected()
	for _, q := range []string{
		`UPDATE board_threads SET author_id = ? WHERE author_id = ?`,
		`UPDATE room_admissions SET user_id = ?, membership_id = 0, pseudonym = '' WHERE user_id = ?`,
	} {
		if _, err := t.exec(ctx, q, e.FormerID, userID); err != nil {
			return nil, fmt.Errorf("erase: keep writing: %w", err)
		}
	}
	// Rows about the person without a foreign key that deletes them.
	for _, q := range []string{
		`DELETE FROM membership_events WHERE user_id = ?`,
		`DELETE FROM outbox WHERE user_id = ?`,
	} {
		if _, err := t.exec(ctx, q, userID); err != nil {
			return nil, fmt.Errorf("erase: %w", err)
		}
	}
	// The account: sessions, tokens, memberships (and their intake answers),
	// RSVPs, attendance, notices, safety plan, second factor, reactions,
	// read marks, warning preferences… go with it (ON DELETE CASCADE).
	if _, err := t.exec(ctx, `DELETE FROM users WHERE id = ?`, userID); err != nil {
		return nil, fmt.Errorf("erase account: %w", err)
	}
	return e, nil
}

// personColumns are the column names that hold a person's user id.
var personColumns = map[string]bool{"user_id": true, "author_id": true, "reporter_id": true, "blocker_id": true, "blocked_id": true,
	"actor_id": true, "target_user_id": true, "subject_user_id": true, "taken_by": true, "changed_by": true, "trusted_by": true,
	"decided_by": true, "resolved_by": true, "acknowledged_by": true, "created_by": true}

// RowsNaming counts, in every table of the database, the rows whose
// person columns (user_id, author_id, reporter_id, actor_id, …, and
// users.id) hold the user id: "table.column" → count, non-zero ones only.
// It checks an erasure.
func (db *DB) RowsNaming(ctx context.Context, userID int64) (map[string]int64, error) {
	q := `SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE 'goose_%'`
	if db.engine == Postgres {
		q = `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name NOT LIKE 'goose_%'`
	}
	type col struct{ table, name string }
	cols, err := list(ctx, db, "person columns", func(r rowScanner) (col, error) {
		var c col
		return c, r.Scan(&c.table, &c.name)
	}, q)
	if err != nil {
		return nil, err
	}
	out := map[string]int64{}
	for _, c := range cols {
		if !personColumns[c.name] && !(c.table == "users" && c.name == "id") {
			continue
		}
		var n int64
		if err := db.queryRow(ctx, `SELECT COUNT(*) FROM `+c.table+` WHERE `+c.name+` = ?`, userID).Scan(&n); err != nil {
			return nil, fmt.Errorf("count %s.%s: %w", c.table, c.name, err)
		}
		if n > 0 {
			out[c.table+"."+c.name] = n
		}
	}
	return out, nil
}
