package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"
)

// Outbox statuses.
const (
	MailPending = "pending" // waiting for its next attempt
	MailSending = "sending" // claimed by a worker until its lease ends
	MailSent    = "sent"
	MailFailed  = "failed" // gave up: too many attempts, refused for good, or expired
)

// OutboxMail is one email in the outbox. The caller fills the first block;
// the outbox keeps the rest.
type OutboxMail struct {
	UserID  int64  // the recipient's account; 0 when none
	To      string // the address
	Kind    string // what it tells about (a notice kind)
	Locale  string
	Subject string
	Body    string // plain text
	// Key makes the message unique: enqueueing a second message with the
	// same key does nothing.
	Key string
	// NotAfter drops the message, unsent, once this time has passed (a
	// reminder for a meeting that has begun); zero keeps it until sent.
	NotAfter time.Time

	ID          int64
	Status      string
	Attempts    int
	NextAttempt time.Time
	LeaseOwner  string
	LeaseUntil  time.Time
	LastError   string
	CreatedAt   time.Time
	SentAt      time.Time
}

// EnqueueMail stores a message in the caller's transaction, so the change
// it tells about and the message commit together or not at all. A message
// whose key is already in the outbox is left as it is (no error): that is
// how each reminder is sent once.
func (t *Tx) EnqueueMail(ctx context.Context, m OutboxMail) error {
	if m.To == "" || m.Key == "" || m.Kind == "" {
		return errors.New("enqueue mail: address, key and kind are required")
	}
	now := t.db.now().Unix()
	var user any
	if m.UserID != 0 {
		user = m.UserID
	}
	_, err := t.exec(ctx, `INSERT INTO outbox (user_id, to_address, kind, locale, subject, body, idempotency_key, status, next_attempt_at, expires_at, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (idempotency_key) DO NOTHING`,
		user, m.To, m.Kind, m.Locale, m.Subject, m.Body, m.Key, MailPending, now, unix(m.NotAfter), now)
	if err != nil {
		return fmt.Errorf("enqueue mail %s: %w", m.Kind, err)
	}
	return nil
}

// EnqueueMail stores a message in a transaction of its own.
func (db *DB) EnqueueMail(ctx context.Context, m OutboxMail) error {
	return db.InTx(ctx, func(tx *Tx) error { return tx.EnqueueMail(ctx, m) })
}

const outboxColumns = `id, COALESCE(user_id, 0), to_address, kind, locale, subject, body, idempotency_key, status, attempts,
	next_attempt_at, expires_at, lease_owner, lease_until, last_error, created_at, sent_at`

func scanMail(row interface{ Scan(...any) error }) (*OutboxMail, error) {
	var m OutboxMail
	var next, expires, lease, created, sent int64
	if err := row.Scan(&m.ID, &m.UserID, &m.To, &m.Kind, &m.Locale, &m.Subject, &m.Body, &m.Key, &m.Status, &m.Attempts,
		&next, &expires, &m.LeaseOwner, &lease, &m.LastError, &created, &sent); err != nil {
		return nil, err
	}
	m.NextAttempt, m.NotAfter, m.LeaseUntil, m.CreatedAt, m.SentAt = fromUnix(next), fromUnix(expires), fromUnix(lease), fromUnix(created), fromUnix(sent)
	return &m, nil
}

// ClaimMail takes the next due message for owner until now+lease: a
// pending message whose next attempt has come, or a message whose last
// claim's lease ran out (its worker crashed or hung). The claim counts as
// an attempt. Messages past their NotAfter are marked failed first. ok is
// false when nothing is due. Several processes may claim at once: on
// PostgreSQL the row is taken with FOR UPDATE SKIP LOCKED, on SQLite the one
// writer serializes claims.
func (db *DB) ClaimMail(ctx context.Context, owner string, now time.Time, lease time.Duration) (m *OutboxMail, ok bool, err error) {
	if owner == "" || lease <= 0 {
		return nil, false, errors.New("claim mail: an owner and a lease are required")
	}
	n := now.Unix()
	lock := ""
	if db.engine == Postgres {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	err = db.InTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `UPDATE outbox SET status = ?, last_error = ?, lease_owner = '', lease_until = 0
			WHERE expires_at > 0 AND expires_at <= ? AND (status = ? OR (status = ? AND lease_until < ?))`,
			MailFailed, "expired before it could be sent", n, MailPending, MailSending, n); err != nil {
			return fmt.Errorf("expire mail: %w", err)
		}
		m, err = scanMail(tx.queryRow(ctx, `UPDATE outbox SET status = ?, lease_owner = ?, lease_until = ?, attempts = attempts + 1
			WHERE id = (SELECT id FROM outbox WHERE (status = ? AND next_attempt_at <= ?) OR (status = ? AND lease_until < ?)
				ORDER BY next_attempt_at, id LIMIT 1`+lock+`)
			RETURNING `+outboxColumns,
			MailSending, owner, now.Add(lease).Unix(), MailPending, n, MailSending, n))
		if errors.Is(err, sql.ErrNoRows) {
			m, err = nil, nil // nothing due; the expiries above still commit
		}
		return err
	})
	if err != nil {
		return nil, false, fmt.Errorf("claim mail: %w", err)
	}
	return m, m != nil, nil
}

// MarkMailSent records a delivery. It holds whoever's lease the message is
// under now: once the server accepted it, it was sent.
func (db *DB) MarkMailSent(ctx context.Context, id int64, now time.Time) error {
	_, err := db.write.ExecContext(ctx, db.rebind(`UPDATE outbox SET status = ?, sent_at = ?, lease_owner = '', lease_until = 0, last_error = '' WHERE id = ?`),
		MailSent, now.Unix(), id)
	if err != nil {
		return fmt.Errorf("mark mail %d sent: %w", id, err)
	}
	return nil
}

// RetryMail puts a message the owner failed to send back in line for next.
// It does nothing when the owner's lease was lost to another worker.
// errText must describe the failure, never the message.
func (db *DB) RetryMail(ctx context.Context, id int64, owner string, next time.Time, errText string) error {
	_, err := db.write.ExecContext(ctx, db.rebind(`UPDATE outbox SET status = ?, next_attempt_at = ?, lease_owner = '', lease_until = 0, last_error = ?
		WHERE id = ? AND status = ? AND lease_owner = ?`), MailPending, next.Unix(), clip(errText, 500), id, MailSending, owner)
	if err != nil {
		return fmt.Errorf("retry mail %d: %w", id, err)
	}
	return nil
}

// FailMail gives up on a message the owner holds.
func (db *DB) FailMail(ctx context.Context, id int64, owner, errText string) error {
	_, err := db.write.ExecContext(ctx, db.rebind(`UPDATE outbox SET status = ?, lease_owner = '', lease_until = 0, last_error = ?
		WHERE id = ? AND status = ? AND lease_owner = ?`), MailFailed, clip(errText, 500), id, MailSending, owner)
	if err != nil {
		return fmt.Errorf("fail mail %d: %w", id, err)
	}
	return nil
}

// Mail returns one outbox message.
func (db *DB) Mail(ctx context.Context, id int64) (*OutboxMail, error) {
	m, err := scanMail(db.queryRow(ctx, `SELECT `+outboxColumns+` FROM outbox WHERE id = ?`, id))
	return m, notFound(err, "The message")
}

// MailByKey returns the outbox message with the idempotency key.
func (db *DB) MailByKey(ctx context.Context, key string) (*OutboxMail, error) {
	m, err := scanMail(db.queryRow(ctx, `SELECT `+outboxColumns+` FROM outbox WHERE idempotency_key = ?`, key))
	return m, notFound(err, "The message")
}

// MailTo lists the messages to an account, newest first (at most limit).
func (db *DB) MailTo(ctx context.Context, userID int64, limit int) ([]OutboxMail, error) {
	rows, err := db.query(ctx, `SELECT `+outboxColumns+` FROM outbox WHERE user_id = ? ORDER BY id DESC LIMIT ?`, userID, limit)
	if err != nil {
		return nil, fmt.Errorf("list mail: %w", err)
	}
	defer rows.Close()
	out := []OutboxMail{}
	for rows.Next() {
		m, err := scanMail(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *m)
	}
	return out, rows.Err()
}

// PurgeMail deletes messages that were sent or given up before the time:
// an address and the fact of a message are not kept longer than needed.
// (Notices keep their own keys, so a purged message is never queued again.)
func (db *DB) PurgeMail(ctx context.Context, before time.Time) (int64, error) {
	res, err := db.write.ExecContext(ctx, db.rebind(`DELETE FROM outbox WHERE status IN (?, ?) AND created_at < ?`), MailSent, MailFailed, before.Unix())
	if err != nil {
		return 0, fmt.Errorf("purge mail: %w", err)
	}
	return res.RowsAffected()
}

// OutboxCounts counts messages by status (for metrics and operators).
func (db *DB) OutboxCounts(ctx context.Context) (map[string]int, error) {
	rows, err := db.query(ctx, `SELECT status, COUNT(*) FROM outbox GROUP BY status`)
	if err != nil {
		return nil, fmt.Errorf("count outbox: %w", err)
	}
	defer rows.Close()
	out := map[string]int{MailPending: 0, MailSending: 0, MailSent: 0, MailFailed: 0}
	for rows.Next() {
		var s string
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			return nil, err
		}
		out[s] = n
	}
	return out, rows.Err()
}

// OldestPendingMail is when the longest-waiting pending message was
// enqueued (ok false when none waits): a growing age means mail is stuck.
func (db *DB) OldestPendingMail(ctx context.Context) (t time.Time, ok bool, err error) {
	var oldest sql.NullInt64
	if err := db.queryRow(ctx, `SELECT MIN(created_at) FROM outbox WHERE status = ?`, MailPending).Scan(&oldest); err != nil {
		return time.Time{}, false, fmt.Errorf("oldest pending mail: %w", err)
	}
	if !oldest.Valid {
		return time.Time{}, false, nil
	}
	return fromUnix(oldest.Int64), true, nil
}

// clip shortens s to at most n bytes on a character boundary.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	s = s[:n]
	for len(s) > 0 && !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s
}
