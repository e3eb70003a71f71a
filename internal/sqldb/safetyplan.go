package sqldb

import (
	"context"
	"fmt"
	"time"
)

// Safety plans (migration 00008): one row per saved version of a person's
// plan, sealed whole by app under the person's vault scope. Nothing here
// reads or knows what a plan says.

// SealedPlan is one saved version of a person's safety plan.
type SealedPlan struct {
	UserID  int64
	Version int
	Sealed  []byte
	SavedAt time.Time
}

// PlanVersion names one saved version, without its content.
type PlanVersion struct {
	Version int
	SavedAt time.Time
}

// NextSafetyPlanVersion returns the number the person's next saved version
// takes (1 for the first), holding the person's row lock until the
// transaction ends, so two saves at once get two numbers. SQLite's single
// writer already serializes write transactions; PostgreSQL locks the row.
func (t *Tx) NextSafetyPlanVersion(ctx context.Context, userID int64) (int, error) {
	if t.db.engine == Postgres {
		var id int64
		if err := t.queryRow(ctx, `SELECT id FROM users WHERE id = ? FOR UPDATE`, userID).Scan(&id); err != nil {
			return 0, notFound(err, "The account")
		}
	}
	var last int
	if err := t.queryRow(ctx, `SELECT COALESCE(MAX(version), 0) FROM safety_plans WHERE user_id = ?`, userID).Scan(&last); err != nil {
		return 0, fmt.Errorf("last safety plan version: %w", err)
	}
	return last + 1, nil
}

// AddSafetyPlan stores a new version of a person's plan and deletes, for
// good, the versions beyond the newest keep. It reports how many old
// versions were deleted.
func (t *Tx) AddSafetyPlan(ctx context.Context, p SealedPlan, keep int) (pruned int64, err error) {
	if keep < 1 {
		return 0, fmt.Errorf("add safety plan: keep must be at least 1, not %d", keep)
	}
	if _, err := t.exec(ctx, `INSERT INTO safety_plans (user_id, version, sealed, saved_at) VALUES (?, ?, ?, ?)`,
		p.UserID, p.Version, p.Sealed, unix(p.SavedAt)); err != nil {
		return 0, fmt.Errorf("add safety plan: %w", err)
	}
	res, err := t.exec(ctx, `DELETE FROM safety_plans WHERE user_id = ? AND version <= ?`, p.UserID, p.Version-keep)
	if err != nil {
		return 0, fmt.Errorf("prune safety plans: %w", err)
	}
	return res.RowsAffected()
}

// DeleteSafetyPlans deletes every version of a person's plan and reports
// how many there were.
func (t *Tx) DeleteSafetyPlans(ctx context.Context, userID int64) (int64, error) {
	res, err := t.exec(ctx, `DELETE FROM safety_plans WHERE user_id = ?`, userID)
	if err != nil {
		return 0, fmt.Errorf("delete safety plans: %w", err)
	}
	return res.RowsAffected()
}

// SafetyPlan returns one saved version of a person's plan; version 0 means
// the newest. A person without a plan, or without that version, gets a
// NotFound error.
func (db *DB) SafetyPlan(ctx context.Context, userID int64, version int) (*SealedPlan, error) {
	p := &SealedPlan{UserID: userID}
	var saved int64
	var err error
	if version == 0 {
		err = db.queryRow(ctx, `SELECT version, sealed, saved_at FROM safety_plans WHERE user_id = ? ORDER BY version DESC LIMIT 1`, userID).
			Scan(&p.Version, &p.Sealed, &saved)
	} else {
		err = db.queryRow(ctx, `SELECT version, sealed, saved_at FROM safety_plans WHERE user_id = ? AND version = ?`, userID, version).
			Scan(&p.Version, &p.Sealed, &saved)
	}
	if err != nil {
		return nil, notFound(err, "The safety plan")
	}
	p.SavedAt = fromUnix(saved)
	return p, nil
}

// SafetyPlanVersions lists the saved versions of a person's plan, newest
// first (none: an empty list).
func (db *DB) SafetyPlanVersions(ctx context.Context, userID int64) ([]PlanVersion, error) {
	return list(ctx, db, "safety plan versions", func(row rowScanner) (PlanVersion, error) {
		var v PlanVersion
		var saved int64
		err := row.Scan(&v.Version, &saved)
		v.SavedAt = fromUnix(saved)
		return v, err
	}, `SELECT version, saved_at FROM safety_plans WHERE user_id = ? ORDER BY version DESC`, userID)
}
