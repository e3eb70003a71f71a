package sqldb

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hearth-org/hearth"
)

// Passkey is one WebAuthn credential of a person (migration 00015): what
// the authenticator made at registration, its counter as last seen, and the
// name the person gave it, sealed with the vault.
type Passkey struct {
	ID           int64
	UserID       int64
	CredentialID []byte
	PublicKey    []byte
	SignCount    uint32
	AAGUID       []byte
	Transports   []string
	Flags        uint8 // the WebAuthn flags byte as last seen (UP, UV, BE, BS)
	Attestation  string
	NameSealed   []byte
	Created      time.Time
	LastUsed     time.Time
}

const passkeyColumns = `id, user_id, credential_id, public_key, sign_count, aaguid, transports, flags, attestation, name_sealed, created_at, last_used_at`

type scanner interface{ Scan(...any) error }

func scanPasskey(s scanner) (*Passkey, error) {
	var p Passkey
	var count, flags, created, used int64
	var transports string
	if err := s.Scan(&p.ID, &p.UserID, &p.CredentialID, &p.PublicKey, &count, &p.AAGUID, &transports, &flags, &p.Attestation, &p.NameSealed, &created, &used); err != nil {
		return nil, err
	}
	p.SignCount, p.Flags = uint32(count), uint8(flags)
	if transports != "" {
		p.Transports = strings.Split(transports, ",")
	}
	p.Created, p.LastUsed = fromUnix(created), fromUnix(used)
	return &p, nil
}

// PasskeysOf lists the person's passkeys, oldest first.
func (db *DB) PasskeysOf(ctx context.Context, userID int64) ([]Passkey, error) {
	rows, err := db.query(ctx, `SELECT `+passkeyColumns+` FROM passkeys WHERE user_id = ? ORDER BY id`, userID)
	if err != nil {
		return nil, fmt.Errorf("list passkeys: %w", err)
	}
	defer rows.Close()
	var out []Passkey
	for rows.Next() {
		p, err := scanPasskey(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *p)
	}
	return out, rows.Err()
}

// PasskeyOf returns one of the person's passkeys by id, or NotFound (also
// when the passkey is someone else's).
func (db *DB) PasskeyOf(ctx context.Context, userID, id int64) (*Passkey, error) {
	p, err := scanPasskey(db.queryRow(ctx, `SELECT `+passkeyColumns+` FROM passkeys WHERE id = ? AND user_id = ?`, id, userID))
	return p, notFound(err, "The passkey")
}

// PasskeyCount counts the person's passkeys.
func (db *DB) PasskeyCount(ctx context.Context, userID int64) (int, error) {
	var n int
	err := db.queryRow(ctx, `SELECT COUNT(*) FROM passkeys WHERE user_id = ?`, userID).Scan(&n)
	return n, err
}

// AddPasskey stores a new passkey and, when sessionHash is given, marks
// that session of the person as having passed a second factor; audit runs
// in the same transaction. A credential already stored (for anyone) is a
// Conflict.
func (db *DB) AddPasskey(ctx context.Context, p *Passkey, sessionHash string, audit func(*Tx, int64) error) (int64, error) {
	var id int64
	err := db.InTx(ctx, func(tx *Tx) error {
		var err error
		id, err = tx.insert(ctx, `INSERT INTO passkeys (user_id, credential_id, public_key, sign_count, aaguid, transports, flags, attestation, name_sealed, created_at, last_used_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)`, p.UserID, p.CredentialID, p.PublicKey, int64(p.SignCount), p.AAGUID,
			strings.Join(p.Transports, ","), int64(p.Flags), p.Attestation, p.NameSealed, unix(p.Created))
		if isUnique(err) {
			return hearth.Coded(hearth.Conflict, "passkey_exists", "This passkey is already registered.")
		}
		if err != nil {
			return fmt.Errorf("add passkey: %w", err)
		}
		if sessionHash != "" {
			if _, err := tx.exec(ctx, `UPDATE sessions SET second_factor = ? WHERE token_hash = ? AND user_id = ?`, true, sessionHash, p.UserID); err != nil {
				return fmt.Errorf("mark session: %w", err)
			}
		}
		return audit(tx, id)
	})
	return id, err
}

// RenamePasskey stores a new sealed name for one of the person's passkeys.
func (db *DB) RenamePasskey(ctx context.Context, userID, id int64, sealed []byte) error {
	res, err := db.write.ExecContext(ctx, db.rebind(`UPDATE passkeys SET name_sealed = ? WHERE id = ? AND user_id = ?`), sealed, id, userID)
	if err != nil {
		return fmt.Errorf("rename passkey: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return hearth.Errorf(hearth.NotFound, "The passkey was not found.")
	}
	return nil
}

// DeletePasskey removes one of the person's passkeys in the caller's
// transaction; NotFound when the person has no such passkey.
func (t *Tx) DeletePasskey(ctx context.Context, userID, id int64) error {
	res, err := t.exec(ctx, `DELETE FROM passkeys WHERE id = ? AND user_id = ?`, id, userID)
	if err != nil {
		return fmt.Errorf("remove passkey: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return hearth.Errorf(hearth.NotFound, "The passkey was not found.")
	}
	return nil
}

// PasskeyCountTx counts the person's passkeys inside a transaction.
func (t *Tx) PasskeyCountTx(ctx context.Context, userID int64) (int, error) {
	var n int
	err := t.queryRow(ctx, `SELECT COUNT(*) FROM passkeys WHERE user_id = ?`, userID).Scan(&n)
	return n, err
}

// HasSecondFactorTx reports whether the person's TOTP second factor is on,
// inside a transaction.
func (t *Tx) HasSecondFactorTx(ctx context.Context, userID int64) (bool, error) {
	var n int
	err := t.queryRow(ctx, `SELECT COUNT(*) FROM second_factors WHERE user_id = ? AND enabled_at > 0`, userID).Scan(&n)
	return n > 0, err
}

// DeleteAllPasskeys removes every passkey of the person and their
// ceremonies under way, in the caller's transaction, and returns how many
// passkeys went.
func (t *Tx) DeleteAllPasskeys(ctx context.Context, userID int64) (int64, error) {
	res, err := t.exec(ctx, `DELETE FROM passkeys WHERE user_id = ?`, userID)
	if err != nil {
		return 0, fmt.Errorf("remove passkeys: %w", err)
	}
	n, _ := res.RowsAffected()
	if _, err := t.exec(ctx, `DELETE FROM passkey_ceremonies WHERE user_id = ?`, userID); err != nil {
		return 0, fmt.Errorf("remove passkey ceremonies: %w", err)
	}
	return n, nil
}

// PasskeyByCredential returns the passkey with a credential id, or
// NotFound.
func (db *DB) PasskeyByCredential(ctx context.Context, credentialID []byte) (*Passkey, error) {
	p, err := scanPasskey(db.queryRow(ctx, `SELECT `+passkeyColumns+` FROM passkeys WHERE credential_id = ?`, credentialID))
	return p, notFound(err, "The passkey")
}

// UsePasskey records a sign-in with a passkey: its new counter and flags
// and when. It reports false, changing nothing, when the stored counter is
// not below the new one (a copied authenticator, or the same assertion
// counted twice) — except for authenticators that keep no counter (0
// before and after).
func (db *DB) UsePasskey(ctx context.Context, id int64, count uint32, flags uint8, now time.Time) (bool, error) {
	res, err := db.write.ExecContext(ctx, db.rebind(`UPDATE passkeys SET sign_count = ?, flags = ?, last_used_at = ?
		WHERE id = ? AND (sign_count < ? OR (sign_count = 0 AND ? = 0))`), int64(count), int64(flags), unix(now), id, int64(count), int64(count))
	if err != nil {
		return false, fmt.Errorf("use passkey: %w", err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// PasskeyCeremony is a WebAuthn ceremony under way: its kind
// ("register", "second", "passwordless"), whose it is (0 for a sign-in
// without a password), the pending sign-in it continues (a hash, for
// "second") and the library's session data.
type PasskeyCeremony struct {
	Kind    string
	UserID  int64
	Pending string
	Session []byte
	Expires time.Time
}

// MaxPasskeyCeremonies bounds the ceremonies under way at once: a sign-in
// ceremony is asked for without an account, so the table may not grow
// without end however fast they are asked for.
const MaxPasskeyCeremonies = 10000

// SavePasskeyCeremony stores a ceremony under the hash of its token, and
// drops ceremonies that have expired. With MaxPasskeyCeremonies live
// already it refuses (TooMany).
func (db *DB) SavePasskeyCeremony(ctx context.Context, hash string, c PasskeyCeremony, now time.Time) error {
	return db.InTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `DELETE FROM passkey_ceremonies WHERE expires_at <= ?`, unix(now)); err != nil {
			return fmt.Errorf("drop old ceremonies: %w", err)
		}
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM passkey_ceremonies`).Scan(&n); err != nil {
			return fmt.Errorf("count ceremonies: %w", err)
		}
		if n >= MaxPasskeyCeremonies {
			return hearth.Coded(hearth.TooMany, "too_many", "Too many passkey requests at once. Please wait a few minutes and try again.")
		}
		if _, err := tx.exec(ctx, `INSERT INTO passkey_ceremonies (token_hash, kind, user_id, pending, session, expires_at) VALUES (?, ?, ?, ?, ?, ?)`,
			hash, c.Kind, c.UserID, c.Pending, c.Session, unix(c.Expires)); err != nil {
			return fmt.Errorf("save ceremony: %w", err)
		}
		return nil
	})
}

// TakePasskeyCeremony removes a ceremony and returns it: a ceremony is used
// once, whatever comes of it. NotFound when there is none or it expired.
func (db *DB) TakePasskeyCeremony(ctx context.Context, hash string, now time.Time) (*PasskeyCeremony, error) {
	var c PasskeyCeremony
	var exp int64
	err := db.write.QueryRowContext(ctx, db.rebind(`DELETE FROM passkey_ceremonies WHERE token_hash = ? RETURNING kind, user_id, pending, session, expires_at`), hash).
		Scan(&c.Kind, &c.UserID, &c.Pending, &c.Session, &exp)
	if err != nil {
		return nil, notFound(err, "The passkey request")
	}
	c.Expires = fromUnix(exp)
	if !now.Before(c.Expires) {
		return nil, hearth.Errorf(hearth.NotFound, "The passkey request was not found.")
	}
	return &c, nil
}

// TakePendingSignIn ends a live pending sign-in of the person,
// reporting whether it was there (so that one pending sign-in completes
// once).
func (db *DB) TakePendingSignIn(ctx context.Context, hash string, userID int64, now time.Time) (bool, error) {
	res, err := db.write.ExecContext(ctx, db.rebind(`DELETE FROM pending_signins WHERE token_hash = ? AND user_id = ? AND expires_at > ?`), hash, userID, unix(now))
	if err != nil {
		return false, fmt.Errorf("end pending sign-in: %w", err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// ForgetSecondFactorPassed records, in the caller's transaction, that no
// session or token of the person has passed a second factor (none is left).
func (t *Tx) ForgetSecondFactorPassed(ctx context.Context, userID int64) error {
	if _, err := t.exec(ctx, `UPDATE sessions SET second_factor = ? WHERE user_id = ?`, false, userID); err != nil {
		return fmt.Errorf("forget second factor: %w", err)
	}
	_, err := t.exec(ctx, `UPDATE api_tokens SET second_factor = ? WHERE user_id = ?`, false, userID)
	return err
}
