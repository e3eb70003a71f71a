package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/hearth-org/hearth"
)

// SecondFactor is a person's TOTP second factor: the secret sealed with the
// vault, when it was turned on (zero while being set up) and the last
// 30-second step whose code was accepted.
type SecondFactor struct {
	UserID   int64
	Sealed   []byte
	Enabled  time.Time
	LastStep int64
	Created  time.Time
}

// On reports whether the second factor is in use (confirmed with a code).
func (f *SecondFactor) On() bool { return f != nil && !f.Enabled.IsZero() }

// SecondFactorOf returns the person's second factor, or NotFound.
func (db *DB) SecondFactorOf(ctx context.Context, userID int64) (*SecondFactor, error) {
	f := SecondFactor{UserID: userID}
	var enabled, created int64
	err := db.queryRow(ctx, `SELECT sealed, enabled_at, last_step, created_at FROM second_factors WHERE user_id = ?`, userID).
		Scan(&f.Sealed, &enabled, &f.LastStep, &created)
	if err != nil {
		return nil, notFound(err, "The second factor")
	}
	if enabled != 0 {
		f.Enabled = fromUnix(enabled)
	}
	f.Created = fromUnix(created)
	return &f, nil
}

// HasSecondFactor reports whether the person's second factor is on.
func (db *DB) HasSecondFactor(ctx context.Context, userID int64) (bool, error) {
	var n int
	err := db.queryRow(ctx, `SELECT COUNT(*) FROM second_factors WHERE user_id = ? AND enabled_at > 0`, userID).Scan(&n)
	return n > 0, err
}

var errSecondFactorOn = hearth.Coded(hearth.Conflict, "second_factor_on", "Your second factor is already on; turn it off first to set up another.")

// BeginSecondFactor stores a new secret, not yet on, replacing one that was
// being set up. A second factor already on is a Conflict.
func (db *DB) BeginSecondFactor(ctx context.Context, userID int64, sealed []byte, now time.Time) error {
	return db.InTx(ctx, func(tx *Tx) error {
		var enabled int64
		err := tx.queryRow(ctx, `SELECT enabled_at FROM second_factors WHERE user_id = ?`, userID).Scan(&enabled)
		switch {
		case err == nil && enabled != 0:
			return errSecondFactorOn
		case err == nil:
			_, err = tx.exec(ctx, `UPDATE second_factors SET sealed = ?, last_step = 0, created_at = ? WHERE user_id = ?`, sealed, unix(now), userID)
		case errors.Is(err, sql.ErrNoRows):
			_, err = tx.exec(ctx, `INSERT INTO second_factors (user_id, sealed, enabled_at, last_step, created_at) VALUES (?, ?, 0, 0, ?)`, userID, sealed, unix(now))
		}
		if err != nil {
			return fmt.Errorf("begin second factor: %w", err)
		}
		return nil
	})
}

// EnableSecondFactor turns a second factor that was being set up on, with
// the step whose code confirmed it and the recovery codes' hashes (replacing
// any older ones), and marks the session that confirmed it (if any) as
// having passed it — in one transaction.
func (db *DB) EnableSecondFactor(ctx context.Context, userID, step int64, codeHashes []string, sessionHash string, now time.Time) error {
	return db.InTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE second_factors SET enabled_at = ?, last_step = ? WHERE user_id = ? AND enabled_at = 0 AND last_step < ?`,
			unix(now), step, userID, step)
		if err != nil {
			return fmt.Errorf("enable second factor: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return hearth.Coded(hearth.Conflict, "second_factor_changed", "Your second factor changed meanwhile; please start the set-up again.")
		}
		if err := insertCodes(ctx, tx, userID, codeHashes); err != nil {
			return err
		}
		if sessionHash != "" {
			if _, err := tx.exec(ctx, `UPDATE sessions SET second_factor = ? WHERE token_hash = ? AND user_id = ?`, true, sessionHash, userID); err != nil {
				return fmt.Errorf("mark session: %w", err)
			}
		}
		return nil
	})
}

func insertCodes(ctx context.Context, tx *Tx, userID int64, hashes []string) error {
	if _, err := tx.exec(ctx, `DELETE FROM second_factor_codes WHERE user_id = ?`, userID); err != nil {
		return fmt.Errorf("drop recovery codes: %w", err)
	}
	for _, h := range hashes {
		if _, err := tx.exec(ctx, `INSERT INTO second_factor_codes (user_id, code_hash) VALUES (?, ?)`, userID, h); err != nil {
			return fmt.Errorf("store recovery code: %w", err)
		}
	}
	return nil
}

// AcceptStep records that the code of a step was accepted, and reports
// false when that step (or a later one) was already used: a code works
// once. Only a second factor that is on accepts codes.
func (db *DB) AcceptStep(ctx context.Context, userID, step int64) (bool, error) {
	res, err := db.write.ExecContext(ctx, db.rebind(`UPDATE second_factors SET last_step = ? WHERE user_id = ? AND enabled_at > 0 AND last_step < ?`), step, userID, step)
	if err != nil {
		return false, fmt.Errorf("accept step: %w", err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// UseSecondFactorCode spends one recovery code, reporting false when the
// code is unknown or already spent.
func (db *DB) UseSecondFactorCode(ctx context.Context, userID int64, hash string, now time.Time) (bool, error) {
	res, err := db.write.ExecContext(ctx, db.rebind(`UPDATE second_factor_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at = 0`), unix(now), userID, hash)
	if err != nil {
		return false, fmt.Errorf("use recovery code: %w", err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// SecondFactorCodesLeft counts the unspent recovery codes.
func (db *DB) SecondFactorCodesLeft(ctx context.Context, userID int64) (int, error) {
	var n int
	err := db.queryRow(ctx, `SELECT COUNT(*) FROM second_factor_codes WHERE user_id = ? AND used_at = 0`, userID).Scan(&n)
	return n, err
}

// DisableSecondFactor removes the second factor and its recovery codes, and
// no session, token or pending sign-in of the person counts as having
// passed it any more — in one transaction.
func (db *DB) DisableSecondFactor(ctx context.Context, userID int64) error {
	return db.InTx(ctx, func(tx *Tx) error {
		for _, q := range []string{
			`DELETE FROM second_factors WHERE user_id = ?`,
			`DELETE FROM second_factor_codes WHERE user_id = ?`,
			`DELETE FROM pending_signins WHERE user_id = ?`,
		} {
			if _, err := tx.exec(ctx, q, userID); err != nil {
				return fmt.Errorf("disable second factor: %w", err)
			}
		}
		if _, err := tx.exec(ctx, `UPDATE sessions SET second_factor = ? WHERE user_id = ?`, false, userID); err != nil {
			return err
		}
		_, err := tx.exec(ctx, `UPDATE api_tokens SET second_factor = ? WHERE user_id = ?`, false, userID)
		return err
	})
}

// CreatePendingSignIn stores a sign-in whose password was accepted and
// whose second factor is still to come.
func (db *DB) CreatePendingSignIn(ctx context.Context, hash string, userID int64, expires time.Time) error {
	_, err := db.write.ExecContext(ctx, db.rebind(`INSERT INTO pending_signins (token_hash, user_id, expires_at) VALUES (?, ?, ?)`), hash, userID, unix(expires))
	if err != nil {
		return fmt.Errorf("pending sign-in: %w", err)
	}
	return nil
}

// PendingSignInAttempt counts one attempt at a live pending sign-in and
// returns its account and the attempts made so far (this one included), or
// NotFound when it does not exist or has expired.
func (db *DB) PendingSignInAttempt(ctx context.Context, hash string, now time.Time) (int64, int, error) {
	var userID int64
	var attempts int
	err := db.InTx(ctx, func(tx *Tx) error {
		// The update comes first: it takes the row's lock, so two tries at
		// once are counted as two.
		if _, err := tx.exec(ctx, `UPDATE pending_signins SET attempts = attempts + 1 WHERE token_hash = ? AND expires_at > ?`, hash, unix(now)); err != nil {
			return fmt.Errorf("count attempt: %w", err)
		}
		err := tx.queryRow(ctx, `SELECT user_id, attempts FROM pending_signins WHERE token_hash = ? AND expires_at > ?`, hash, unix(now)).Scan(&userID, &attempts)
		return notFound(err, "The sign-in")
	})
	return userID, attempts, err
}

// PendingSignInUser returns the account of a live pending sign-in.
func (db *DB) PendingSignInUser(ctx context.Context, hash string, now time.Time) (int64, error) {
	var userID int64
	err := db.queryRow(ctx, `SELECT user_id FROM pending_signins WHERE token_hash = ? AND expires_at > ?`, hash, unix(now)).Scan(&userID)
	return userID, notFound(err, "The sign-in")
}

// DeletePendingSignIn ends a pending sign-in (done, abandoned or spent).
func (db *DB) DeletePendingSignIn(ctx context.Context, hash string) error {
	_, err := db.write.ExecContext(ctx, db.rebind(`DELETE FROM pending_signins WHERE token_hash = ?`), hash)
	return err
}

// SessionInfo is one of a person's active sessions as they see it listed.
type SessionInfo struct {
	ID           string // the first 16 hex digits of the token's hash
	Created      time.Time
	LastSeen     time.Time
	Agent        string
	SecondFactor bool
	TokenHash    string
}

// SessionIDLen is how many hex digits of a session's token hash name it.
const SessionIDLen = 16

// SessionsOf lists the person's live sessions, most recently used first.
func (db *DB) SessionsOf(ctx context.Context, userID int64, now time.Time) ([]SessionInfo, error) {
	rows, err := db.query(ctx, `SELECT token_hash, created_at, last_seen_at, agent, second_factor FROM sessions
		WHERE user_id = ? AND expires_at > ? ORDER BY last_seen_at DESC, created_at DESC`, userID, unix(now))
	if err != nil {
		return nil, fmt.Errorf("list sessions: %w", err)
	}
	defer rows.Close()
	var out []SessionInfo
	for rows.Next() {
		var s SessionInfo
		var c, l int64
		if err := rows.Scan(&s.TokenHash, &c, &l, &s.Agent, &s.SecondFactor); err != nil {
			return nil, err
		}
		s.ID = s.TokenHash[:min(SessionIDLen, len(s.TokenHash))]
		s.Created, s.LastSeen = fromUnix(c), fromUnix(l)
		out = append(out, s)
	}
	return out, rows.Err()
}

// DeleteSessionByID signs one of the person's sessions out, by the id the
// list shows; NotFound when no such session of theirs exists.
func (db *DB) DeleteSessionByID(ctx context.Context, userID int64, id string) error {
	if len(id) != SessionIDLen {
		return hearth.Errorf(hearth.NotFound, "The session was not found.")
	}
	res, err := db.write.ExecContext(ctx, db.rebind(`DELETE FROM sessions WHERE user_id = ? AND substr(token_hash, 1, 16) = ?`), userID, id)
	if err != nil {
		return fmt.Errorf("end session: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return hearth.Errorf(hearth.NotFound, "The session was not found.")
	}
	return nil
}

// EndEverywhere signs every session of the person out and, when asked,
// revokes every API token, in one transaction. It returns how many sessions
// and tokens ended.
func (db *DB) EndEverywhere(ctx context.Context, userID int64, tokens bool, now time.Time) (int64, int64, error) {
	var ns, nt int64
	err := db.InTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, userID)
		if err != nil {
			return fmt.Errorf("end sessions: %w", err)
		}
		ns, _ = res.RowsAffected()
		if _, err := tx.exec(ctx, `DELETE FROM pending_signins WHERE user_id = ?`, userID); err != nil {
			return err
		}
		if tokens {
			res, err := tx.exec(ctx, `UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at = 0`, unix(now), userID)
			if err != nil {
				return fmt.Errorf("revoke tokens: %w", err)
			}
			nt, _ = res.RowsAffected()
		}
		return nil
	})
	return ns, nt, err
}
