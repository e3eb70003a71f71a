package sqldb

import (
	"context"
	"fmt"
	"time"
)

// FactorResetSubject is what deciding who may reset a person's second
// factor needs to know about them: their administrative roles and the
// organizations their groups belong to.
type FactorResetSubject struct {
	UserID    int64
	Handle    string
	SiteAdmin bool
	OrgAdmin  bool    // administers at least one organization
	LeadOrgs  []int64 // organizations of the groups the person facilitates (active)
	InOrgs    []int64 // organizations of every group the person has a membership of, any status
	HasFactor bool    // a second factor is on
}

// FactorResetSubject reads a person's roles for a second-factor reset, or
// NotFound.
func (db *DB) FactorResetSubject(ctx context.Context, userID int64) (*FactorResetSubject, error) {
	s := &FactorResetSubject{UserID: userID}
	if err := db.queryRow(ctx, `SELECT handle, site_admin FROM users WHERE id = ?`, userID).Scan(&s.Handle, &s.SiteAdmin); err != nil {
		return nil, notFound(err, "The person")
	}
	var n int
	if err := db.queryRow(ctx, `SELECT COUNT(*) FROM org_admins WHERE user_id = ?`, userID).Scan(&n); err != nil {
		return nil, fmt.Errorf("factor reset subject: %w", err)
	}
	s.OrgAdmin = n > 0
	rows, err := db.query(ctx, `SELECT DISTINCT g.org_id, CASE WHEN m.status = ? AND m.role <> ? THEN 1 ELSE 0 END
		FROM memberships m JOIN groups g ON g.id = m.group_id WHERE m.user_id = ? ORDER BY 1, 2`, "active", "member", userID)
	if err != nil {
		return nil, fmt.Errorf("factor reset subject: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var org int64
		var lead int
		if err := rows.Scan(&org, &lead); err != nil {
			return nil, err
		}
		if len(s.InOrgs) == 0 || s.InOrgs[len(s.InOrgs)-1] != org {
			s.InOrgs = append(s.InOrgs, org)
		}
		if lead == 1 {
			s.LeadOrgs = append(s.LeadOrgs, org)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	s.HasFactor, err = db.HasSecondFactor(ctx, userID)
	return s, err
}

// ResetSecondFactor removes the person's second factor (secret and
// recovery codes) and pending sign-ins, ends every session and revokes every
// API token, inside the caller's transaction. It returns how many sessions
// ended and tokens were revoked.
func (t *Tx) ResetSecondFactor(ctx context.Context, userID int64, now time.Time) (sessions, tokens int64, err error) {
	for _, q := range []string{
		`DELETE FROM second_factors WHERE user_id = ?`,
		`DELETE FROM second_factor_codes WHERE user_id = ?`,
		`DELETE FROM pending_signins WHERE user_id = ?`,
	} {
		if _, err := t.exec(ctx, q, userID); err != nil {
			return 0, 0, fmt.Errorf("reset second factor: %w", err)
		}
	}
	res, err := t.exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, userID)
	if err != nil {
		return 0, 0, fmt.Errorf("reset second factor: end sessions: %w", err)
	}
	sessions, _ = res.RowsAffected()
	res, err = t.exec(ctx, `UPDATE api_tokens SET revoked_at = ?, second_factor = ? WHERE user_id = ? AND revoked_at = 0`, unix(now), false, userID)
	if err != nil {
		return 0, 0, fmt.Errorf("reset second factor: revoke tokens: %w", err)
	}
	tokens, _ = res.RowsAffected()
	return sessions, tokens, nil
}

// FactorReset is one reset of a person's second factor: when, by whom and
// the reason given (sealed).
type FactorReset struct {
	ID          int64
	AuditID     int64
	At          time.Time
	ActorID     int64
	ActorHandle string // "" when the account is gone
	UserID      int64
	Reason      []byte // sealed
}

// AddFactorReset stores a reset's record in the caller's transaction.
func (t *Tx) AddFactorReset(ctx context.Context, r *FactorReset) error {
	id, err := t.insert(ctx, `INSERT INTO factor_resets (audit_id, at, actor_id, user_id, reason) VALUES (?, ?, ?, ?, ?)`,
		r.AuditID, unix(r.At), r.ActorID, r.UserID, r.Reason)
	if err != nil {
		return fmt.Errorf("store factor reset: %w", err)
	}
	r.ID = id
	return nil
}

// FactorResets lists the resets of a person's second factor, newest first.
func (db *DB) FactorResets(ctx context.Context, userID int64) ([]FactorReset, error) {
	return list(ctx, db, "list factor resets", func(row rowScanner) (FactorReset, error) {
		var r FactorReset
		var at int64
		err := row.Scan(&r.ID, &r.AuditID, &at, &r.ActorID, &r.ActorHandle, &r.UserID, &r.Reason)
		r.At = fromUnix(at)
		return r, err
	}, `SELECT f.id, f.audit_id, f.at, COALESCE(f.actor_id, 0), COALESCE(u.handle, ''), f.user_id, f.reason
		FROM factor_resets f LEFT JOIN users u ON u.id = f.actor_id WHERE f.user_id = ? ORDER BY f.id DESC`, userID)
}
