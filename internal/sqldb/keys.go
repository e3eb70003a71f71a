package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/hearth-org/hearth"
)

// The vault's data keys (internal/vault): DB implements vault.KeyStore. The
// rows hold wrapped keys only — opaque bytes sealed under the master key,
// which is never stored in the database.

// DataKey returns the scope's wrapped data key: a NotFound error when the
// scope has none yet, an empty key when it was destroyed.
func (db *DB) DataKey(ctx context.Context, scope string) ([]byte, error) {
	var wrapped []byte
	err := db.queryRow(ctx, `SELECT wrapped FROM data_keys WHERE scope = ?`, scope).Scan(&wrapped)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, hearth.Coded(hearth.NotFound, "no_data_key", "No data key exists for this scope.")
	}
	if err != nil {
		return nil, fmt.Errorf("read data key: %w", err)
	}
	if wrapped == nil {
		wrapped = []byte{}
	}
	return wrapped, nil
}

// PutDataKey stores the scope's wrapped data key unless the scope already
// has a row (another process may have created one at the same moment, or it
// was destroyed): created reports whether this call's key was stored. The
// caller reads the key back when it was not.
func (db *DB) PutDataKey(ctx context.Context, scope string, keyID, masterKeyID int64, wrapped []byte) (bool, error) {
	if len(wrapped) == 0 {
		return false, fmt.Errorf("put data key: empty wrapped key")
	}
	var created bool
	err := db.InTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `INSERT INTO data_keys (scope, key_id, master_key_id, wrapped, created_at)
			VALUES (?, ?, ?, ?, ?) ON CONFLICT (scope) DO NOTHING`,
			scope, keyID, masterKeyID, wrapped, unix(db.now()))
		if err != nil {
			return fmt.Errorf("insert data key: %w", err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return fmt.Errorf("insert data key: %w", err)
		}
		created = n == 1
		return nil
	})
	return created, err
}

// DestroyDataKey crypto-shreds the scope: its wrapped key is erased (SQLite
// overwrites the freed bytes: secure_delete is on) and the row marked
// destroyed, so the scope never gets a new key. Destroying a scope that has
// no key yet records it as destroyed; destroying twice is harmless.
func (db *DB) DestroyDataKey(ctx context.Context, scope string) error {
	return db.InTx(ctx, func(tx *Tx) error {
		now := unix(db.now())
		if _, err := tx.exec(ctx, `INSERT INTO data_keys (scope, key_id, master_key_id, wrapped, created_at, destroyed_at)
			VALUES (?, 0, 0, NULL, ?, ?)
			ON CONFLICT (scope) DO UPDATE SET wrapped = NULL, destroyed_at = excluded.destroyed_at
			WHERE data_keys.destroyed_at = 0`, scope, now, now); err != nil {
			return fmt.Errorf("destroy data key: %w", err)
		}
		return nil
	})
}

// AnyDataKey returns the scope and wrapped key of the newest data key that
// is not destroyed, or a NotFound error when there is none.
func (db *DB) AnyDataKey(ctx context.Context) (string, []byte, error) {
	var scope string
	var wrapped []byte
	err := db.queryRow(ctx, `SELECT scope, wrapped FROM data_keys WHERE wrapped IS NOT NULL
		ORDER BY created_at DESC, scope LIMIT 1`).Scan(&scope, &wrapped)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil, hearth.Coded(hearth.NotFound, "no_data_key", "No data key exists yet.")
	}
	if err != nil {
		return "", nil, fmt.Errorf("read a data key: %w", err)
	}
	return scope, wrapped, nil
}

// DataKeysNotUnder returns up to limit live data keys, in scope order after
// the scope after, wrapped under a master key other than masterKeyID (0:
// every live key) — for rotating the master key and for checking a master
// key file against every key.
func (db *DB) DataKeysNotUnder(ctx context.Context, masterKeyID int64, after string, limit int) ([]string, [][]byte, error) {
	rows, err := db.query(ctx, `SELECT scope, wrapped FROM data_keys
		WHERE wrapped IS NOT NULL AND master_key_id <> ? AND scope > ? ORDER BY scope LIMIT ?`, masterKeyID, after, limit)
	if err != nil {
		return nil, nil, fmt.Errorf("list data keys: %w", err)
	}
	defer rows.Close()
	var scopes []string
	var wrapped [][]byte
	for rows.Next() {
		var s string
		var w []byte
		if err := rows.Scan(&s, &w); err != nil {
			return nil, nil, fmt.Errorf("list data keys: %w", err)
		}
		scopes, wrapped = append(scopes, s), append(wrapped, w)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("list data keys: %w", err)
	}
	return scopes, wrapped, nil
}

// RewrapDataKeys replaces, in one transaction, each scope's wrapped key
// old[i] by fresh[i], wrapped under masterKeyID. A scope whose stored key is
// no longer old[i] (destroyed, or rewrapped by another run) is left alone.
// It reports how many keys it replaced.
func (db *DB) RewrapDataKeys(ctx context.Context, masterKeyID int64, scopes []string, old, fresh [][]byte) (int, error) {
	if len(old) != len(scopes) || len(fresh) != len(scopes) {
		return 0, fmt.Errorf("rewrap data keys: %d scopes, %d old keys, %d new keys", len(scopes), len(old), len(fresh))
	}
	n := 0
	err := db.InTx(ctx, func(tx *Tx) error {
		n = 0
		for i, s := range scopes {
			if len(fresh[i]) == 0 {
				return fmt.Errorf("rewrap data key of %s: empty key", s)
			}
			res, err := tx.exec(ctx, `UPDATE data_keys SET wrapped = ?, master_key_id = ?
				WHERE scope = ? AND wrapped = ? AND destroyed_at = 0`, fresh[i], masterKeyID, s, old[i])
			if err != nil {
				return fmt.Errorf("rewrap data key: %w", err)
			}
			c, err := res.RowsAffected()
			if err != nil {
				return fmt.Errorf("rewrap data key: %w", err)
			}
			n += int(c)
		}
		return nil
	})
	return n, err
}

// MasterKeyUse counts the live data keys wrapped under each master key.
func (db *DB) MasterKeyUse(ctx context.Context) (map[int64]int64, error) {
	rows, err := db.query(ctx, `SELECT master_key_id, COUNT(*) FROM data_keys WHERE wrapped IS NOT NULL GROUP BY master_key_id`)
	if err != nil {
		return nil, fmt.Errorf("count data keys: %w", err)
	}
	defer rows.Close()
	out := map[int64]int64{}
	for rows.Next() {
		var id, n int64
		if err := rows.Scan(&id, &n); err != nil {
			return nil, fmt.Errorf("count data keys: %w", err)
		}
		out[id] = n
	}
	return out, rows.Err()
}
