package sqldb

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// AuditEntry is one line of the append-only audit log: who did what, when,
// to which subject and why (a reason code). It never holds what anyone
// wrote. There is no way in code to change or delete an entry, and the
// database refuses both (triggers).
type AuditEntry struct {
	ID          int64     `json:"id"`
	At          time.Time `json:"at"`
	ActorID     int64     `json:"-"` // 0: Hearth itself (the escalation chore)
	Action      string    `json:"action"`
	OrgID       int64     `json:"-"`
	GroupID     int64     `json:"-"`
	SubjectKind string    `json:"subject_kind,omitempty"`
	SubjectID   int64     `json:"subject_id,omitempty"`
	Reason      string    `json:"reason,omitempty"`

	// Filled when reading.
	ActorHandle string `json:"actor,omitempty"` // "" for Hearth itself
	GroupSlug   string `json:"group,omitempty"`
}

// AppendAudit adds an entry in the caller's transaction, so that an action
// and its record commit together or not at all.
func (t *Tx) AppendAudit(ctx context.Context, e *AuditEntry) error {
	if e.Action == "" {
		return errors.New("audit: an action is required")
	}
	if e.At.IsZero() {
		e.At = t.db.now()
	}
	id, err := t.insert(ctx, `INSERT INTO audit_log (at, actor_id, action, org_id, group_id, subject_kind, subject_id, reason)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, unix(e.At), e.ActorID, e.Action, e.OrgID, e.GroupID, e.SubjectKind, e.SubjectID, e.Reason)
	if err != nil {
		return fmt.Errorf("audit %s: %w", e.Action, err)
	}
	e.ID = id
	return nil
}

// AuditedSince reports whether the actor has an entry of this action about
// this subject at or after since (reads are recorded at most once a while).
func (t *Tx) AuditedSince(ctx context.Context, actorID int64, action, subjectKind string, subjectID int64, since time.Time) (bool, error) {
	var n int
	err := t.queryRow(ctx, `SELECT COUNT(*) FROM audit_log WHERE actor_id = ? AND subject_kind = ? AND subject_id = ? AND action = ? AND at >= ?`,
		actorID, subjectKind, subjectID, action, unix(since)).Scan(&n)
	return n > 0, err
}

// AuditLog lists entries newest first: an organization's (orgID 0: all),
// older than the entry before (0: from the newest), at most limit.
func (db *DB) AuditLog(ctx context.Context, orgID, before int64, limit int) ([]AuditEntry, error) {
	if before <= 0 {
		before = 1<<63 - 1
	}
	q := `SELECT a.id, a.at, a.actor_id, a.action, a.org_id, a.group_id, a.subject_kind, a.subject_id, a.reason,
		COALESCE(u.handle, ''), COALESCE(g.slug, '')
		FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id LEFT JOIN groups g ON g.id = a.group_id
		WHERE a.id < ?`
	args := []any{before}
	if orgID != 0 {
		q += ` AND a.org_id = ?`
		args = append(args, orgID)
	}
	q += fmt.Sprintf(` ORDER BY a.id DESC LIMIT %d`, limit)
	return nonNil(list(ctx, db, "audit log", func(row rowScanner) (AuditEntry, error) {
		var e AuditEntry
		var at int64
		err := row.Scan(&e.ID, &at, &e.ActorID, &e.Action, &e.OrgID, &e.GroupID, &e.SubjectKind, &e.SubjectID, &e.Reason, &e.ActorHandle, &e.GroupSlug)
		e.At = fromUnix(at)
		return e, err
	}, q, args...))
}

// GroupOrg returns the organization a group belongs to, inside the
// transaction.
func (t *Tx) GroupOrg(ctx context.Context, groupID int64) (int64, error) {
	var id int64
	err := t.queryRow(ctx, `SELECT org_id FROM groups WHERE id = ?`, groupID).Scan(&id)
	return id, notFound(err, "The group")
}
