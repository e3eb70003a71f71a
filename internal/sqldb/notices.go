package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Notice is one in-app notice to a person: something happened (an
// application was approved, a meeting moved…). It may name the group; it
// never carries what members wrote.
type Notice struct {
	ID        int64
	UserID    int64
	Kind      string
	GroupID   int64     // 0 when about no group
	Link      string    // a path inside Hearth
	About     time.Time // the meeting or deadline it is about; zero when none
	Key       string    // unique per person: adding it twice adds one notice
	CreatedAt time.Time
	ReadAt    time.Time // zero while unread

	// Filled when listing.
	GroupSlug string
	GroupName string
	GroupZone string // the group's IANA time zone
}

// AddNotice stores a notice in the caller's transaction. added is false when
// the person already has a notice with that key (nothing is changed).
func (t *Tx) AddNotice(ctx context.Context, n *Notice) (added bool, err error) {
	if n.UserID == 0 || n.Kind == "" || n.Key == "" {
		return false, errors.New("add notice: user, kind and key are required")
	}
	if n.CreatedAt.IsZero() {
		n.CreatedAt = t.db.now().UTC().Truncate(time.Second)
	}
	var group any
	if n.GroupID != 0 {
		group = n.GroupID
	}
	err = t.queryRow(ctx, `INSERT INTO notices (user_id, kind, group_id, link, about_at, idempotency_key, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (user_id, idempotency_key) DO NOTHING RETURNING id`,
		n.UserID, n.Kind, group, n.Link, unix(n.About), n.Key, unix(n.CreatedAt)).Scan(&n.ID)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("add notice %s: %w", n.Kind, err)
	}
	return true, nil
}

// Contact is how to reach a person by email, if at all.
type Contact struct {
	Email    string // "" when the person gave none
	Locale   string // "" when the person chose none
	TimeZone string // "" when the person chose none
}

// UserContact reads a person's email and language inside the transaction.
func (t *Tx) UserContact(ctx context.Context, userID int64) (Contact, error) {
	var c Contact
	err := t.queryRow(ctx, `SELECT COALESCE(email, ''), locale, time_zone FROM users WHERE id = ?`, userID).Scan(&c.Email, &c.Locale, &c.TimeZone)
	return c, notFound(err, "The account")
}

// GroupTimeZone reads a group's IANA time zone inside the transaction.
func (t *Tx) GroupTimeZone(ctx context.Context, groupID int64) (string, error) {
	var z string
	err := t.queryRow(ctx, `SELECT time_zone FROM groups WHERE id = ?`, groupID).Scan(&z)
	return z, notFound(err, "The group")
}

// Notices lists a person's notices, newest first: at most limit, older than
// the notice before (0: from the newest).
func (db *DB) Notices(ctx context.Context, userID, before int64, limit int) ([]Notice, error) {
	if before <= 0 {
		before = 1<<63 - 1
	}
	rows, err := db.query(ctx, `SELECT n.id, n.kind, COALESCE(n.group_id, 0), n.link, n.about_at, n.idempotency_key, n.created_at, n.read_at,
			COALESCE(g.slug, ''), COALESCE(g.name, ''), COALESCE(g.time_zone, '')
		FROM notices n LEFT JOIN groups g ON g.id = n.group_id
		WHERE n.user_id = ? AND n.id < ? ORDER BY n.id DESC LIMIT ?`, userID, before, limit)
	if err != nil {
		return nil, fmt.Errorf("list notices: %w", err)
	}
	defer rows.Close()
	out := []Notice{}
	for rows.Next() {
		n := Notice{UserID: userID}
		var about, created, read int64
		if err := rows.Scan(&n.ID, &n.Kind, &n.GroupID, &n.Link, &about, &n.Key, &created, &read, &n.GroupSlug, &n.GroupName, &n.GroupZone); err != nil {
			return nil, err
		}
		n.About, n.CreatedAt, n.ReadAt = fromUnix(about), fromUnix(created), fromUnix(read)
		out = append(out, n)
	}
	return out, rows.Err()
}

// UnreadNotices counts a person's unread notices.
func (db *DB) UnreadNotices(ctx context.Context, userID int64) (int, error) {
	var n int
	if err := db.queryRow(ctx, `SELECT COUNT(*) FROM notices WHERE user_id = ? AND read_at = 0`, userID).Scan(&n); err != nil {
		return 0, fmt.Errorf("count notices: %w", err)
	}
	return n, nil
}

// MarkNoticesRead marks every unread notice of the person up to and
// including upTo (0: all) as read, and reports how many were.
func (db *DB) MarkNoticesRead(ctx context.Context, userID, upTo int64, now time.Time) (int64, error) {
	if upTo <= 0 {
		upTo = 1<<63 - 1
	}
	res, err := db.write.ExecContext(ctx, db.rebind(`UPDATE notices SET read_at = ? WHERE user_id = ? AND read_at = 0 AND id <= ?`), now.Unix(), userID, upTo)
	if err != nil {
		return 0, fmt.Errorf("mark notices read: %w", err)
	}
	return res.RowsAffected()
}

// ReminderPrefs are a person's email reminder choices.
type ReminderPrefs struct {
	Before24h bool `json:"before_24h"`
	Before1h  bool `json:"before_1h"`
}

// DefaultReminderPrefs apply until a person chooses.
var DefaultReminderPrefs = ReminderPrefs{Before24h: true, Before1h: true}

// ReminderPrefs returns a person's reminder choices (the defaults when they
// never chose).
func (db *DB) ReminderPrefs(ctx context.Context, userID int64) (ReminderPrefs, error) {
	p := DefaultReminderPrefs
	err := db.queryRow(ctx, `SELECT before_24h, before_1h FROM reminder_prefs WHERE user_id = ?`, userID).Scan(&p.Before24h, &p.Before1h)
	if errors.Is(err, sql.ErrNoRows) {
		return DefaultReminderPrefs, nil
	}
	if err != nil {
		return p, fmt.Errorf("reminder prefs: %w", err)
	}
	return p, nil
}

// ReminderPrefs reads a person's reminder choices inside the transaction.
func (t *Tx) ReminderPrefs(ctx context.Context, userID int64) (ReminderPrefs, error) {
	p := DefaultReminderPrefs
	err := t.queryRow(ctx, `SELECT before_24h, before_1h FROM reminder_prefs WHERE user_id = ?`, userID).Scan(&p.Before24h, &p.Before1h)
	if errors.Is(err, sql.ErrNoRows) {
		return DefaultReminderPrefs, nil
	}
	if err != nil {
		return p, fmt.Errorf("reminder prefs: %w", err)
	}
	return p, nil
}

// ReminderPrefsOf returns the choices of several people at once (the
// defaults for those who never chose).
func (db *DB) ReminderPrefsOf(ctx context.Context, userIDs []int64) (map[int64]ReminderPrefs, error) {
	out := make(map[int64]ReminderPrefs, len(userIDs))
	for _, id := range userIDs {
		out[id] = DefaultReminderPrefs
	}
	for len(userIDs) > 0 {
		chunk := userIDs[:min(len(userIDs), 500)]
		userIDs = userIDs[len(chunk):]
		rows, err := db.query(ctx, `SELECT user_id, before_24h, before_1h FROM reminder_prefs WHERE user_id IN (`+placeholders(len(chunk))+`)`, anys(chunk)...)
		if err != nil {
			return nil, fmt.Errorf("reminder prefs: %w", err)
		}
		for rows.Next() {
			var id int64
			var p ReminderPrefs
			if err := rows.Scan(&id, &p.Before24h, &p.Before1h); err != nil {
				rows.Close()
				return nil, err
			}
			out[id] = p
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// SetReminderPrefs stores a person's reminder choices.
func (db *DB) SetReminderPrefs(ctx context.Context, userID int64, p ReminderPrefs) error {
	_, err := db.write.ExecContext(ctx, db.rebind(`INSERT INTO reminder_prefs (user_id, before_24h, before_1h, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (user_id) DO UPDATE SET before_24h = excluded.before_24h, before_1h = excluded.before_1h, updated_at = excluded.updated_at`),
		userID, p.Before24h, p.Before1h, db.now().Unix())
	if err != nil {
		return fmt.Errorf("set reminder prefs: %w", err)
	}
	return nil
}
