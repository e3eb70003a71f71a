package vault

import (
	"bytes"
	"context"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Rotating the master key (hearth admin rotate-keys):
//
//  1. AddMasterKey appends a new key line, numbered one above the highest,
//     to the master key file; the old lines stay.
//  2. Rewrap wraps every data key again under the newest master key, in
//     batches, each batch one transaction that replaces a wrapped key only
//     if it is still the one read (so a key shredded meanwhile stays
//     shredded). The data keys themselves do not change, so no ciphertext
//     does: nothing is re-encrypted and every text stays readable
//     throughout. Stopped at any point, it is resumed by running it again.
//  3. RetireMasterKeys removes the old key lines once no data key is wrapped
//     under them.
//
// Only one rotation may run at a time against a database: two would each
// append a key numbered alike, and the file written last would drop the key
// the other rewraps under. hearth admin rotate-keys therefore holds the
// database's operation lock (sqldb.DB.LockOperation "rotate-keys": a
// PostgreSQL advisory lock, or a file lock beside the SQLite database) from
// before step 1 to its end; a second run is refused and changes nothing.
//
// A running Hearth notices the change without a restart: a vault opened
// with OpenFile reads the file again when it changed, before it creates a
// data key (so new keys are wrapped under the newest master key) and when
// it meets a data key wrapped under a master key it does not hold yet.

// RotationStore is what rotation needs from the key store; *sqldb.DB
// implements it.
type RotationStore interface {
	// DataKeysNotUnder returns up to limit live (not destroyed) data keys,
	// in scope order after the scope after, whose wrapping master key is
	// not masterKeyID (0: every live key).
	DataKeysNotUnder(ctx context.Context, masterKeyID int64, after string, limit int) (scopes []string, wrapped [][]byte, err error)
	// RewrapDataKeys replaces, in one transaction, each scope's wrapped
	// key old[i] with new[i] wrapped under masterKeyID; a scope whose key
	// is no longer old[i] is left alone. It reports how many it replaced.
	RewrapDataKeys(ctx context.Context, masterKeyID int64, scopes []string, old, new [][]byte) (int, error)
	// MasterKeyUse counts the live data keys wrapped under each master key.
	MasterKeyUse(ctx context.Context) (map[int64]int64, error)
}

// AddMasterKey appends a new random master key, numbered one above the
// highest in the file, to the master key file at path, and returns its
// number. The file is rewritten whole under a temporary name (mode 0600),
// synced and renamed into place, so a crash leaves the old file or the new
// one, never half of one.
func AddMasterKey(path string) (uint32, error) {
	mk, err := readKeyFile(path)
	if err != nil {
		return 0, err
	}
	text, err := os.ReadFile(path)
	if err != nil {
		return 0, fmt.Errorf("read master key file: %w", err)
	}
	next := mk.current + 1
	key := make([]byte, masterKeySize)
	rand.Read(key)
	defer clear(key)
	if len(text) > 0 && text[len(text)-1] != '\n' {
		text = append(text, '\n')
	}
	text = fmt.Appendf(text, "%s %s %d %s\n", keyLinePrefix, keyLineFormat, next, base64.StdEncoding.EncodeToString(key))
	if err := replaceKeyFile(path, text); err != nil {
		return 0, err
	}
	return next, nil
}

// RetireMasterKeys removes from the master key file every key line but the
// current (highest) one, after checking in the store that no live data key
// is wrapped under another: it refuses, naming how many are, otherwise. It
// returns the numbers removed (none when the file held one key).
func RetireMasterKeys(ctx context.Context, store RotationStore, path string) ([]uint32, error) {
	mk, err := readKeyFile(path)
	if err != nil {
		return nil, err
	}
	use, err := store.MasterKeyUse(ctx)
	if err != nil {
		return nil, err
	}
	for id, n := range use {
		if id != int64(mk.current) && n > 0 {
			return nil, fmt.Errorf("%d data keys are still wrapped under master key %d: rewrap them under key %d first (hearth admin rotate-keys); nothing was retired", n, id, mk.current)
		}
	}
	text, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read master key file: %w", err)
	}
	var kept bytes.Buffer
	var removed []uint32
	for line := range strings.Lines(string(text)) {
		t := strings.TrimSpace(line)
		if t != "" && !strings.HasPrefix(t, "#") {
			id, _, err := parseKeyLine(t)
			if err != nil {
				return nil, fmt.Errorf("master key file %s is malformed: %v", path, err)
			}
			if id != mk.current {
				removed = append(removed, id)
				continue
			}
		}
		kept.WriteString(line)
	}
	if len(removed) == 0 {
		return nil, nil
	}
	if err := replaceKeyFile(path, kept.Bytes()); err != nil {
		return nil, err
	}
	slices.Sort(removed)
	return removed, nil
}

// Rewrap wraps every live data key that is not wrapped under the current
// master key again under it, batch keys per transaction, calling done
// after each batch with the total so far. It reads the master key file
// first (a key may have been added). It stops between batches when ctx
// ends, and returns how many keys it rewrapped; running it again resumes.
// It passes over the keys until one pass finds none left, so keys a running
// Hearth created under the old master key meanwhile are rewrapped too.
func (v *Vault) Rewrap(ctx context.Context, store RotationStore, batch int, done func(total int)) (int, error) {
	if batch <= 0 {
		batch = 500
	}
	if _, err := v.reloadIfChanged(); err != nil {
		return 0, err
	}
	ring := v.ring.Load()
	current := ring.current
	total := 0
	for {
		found := false
		after := ""
		for {
			if err := ctx.Err(); err != nil {
				return total, err
			}
			scopes, wrapped, err := store.DataKeysNotUnder(ctx, int64(current), after, batch)
			if err != nil {
				return total, err
			}
			if len(scopes) == 0 {
				break
			}
			found = true
			fresh := make([][]byte, len(scopes))
			for i, s := range scopes {
				id, raw, err := v.unwrapRaw(Scope(s), wrapped[i])
				if err != nil {
					return total, fmt.Errorf("rewrap: %w", err)
				}
				fresh[i] = wrapUnder(ring.masters[current], Scope(s), id, raw, current)
				clear(raw)
			}
			n, err := store.RewrapDataKeys(ctx, int64(current), scopes, wrapped, fresh)
			if err != nil {
				return total, fmt.Errorf("rewrap: %w", err)
			}
			total += n
			if done != nil {
				done(total)
			}
			after = scopes[len(scopes)-1]
		}
		if !found {
			return total, nil
		}
	}
}

// CheckKeys unwraps every live data key in the store and reports how many
// it checked: an error wrapping ErrWrongMasterKey says how many do not
// unwrap with the master key file and names the first.
func (v *Vault) CheckKeys(ctx context.Context, store RotationStore) (int, error) {
	checked, bad := 0, 0
	var first error
	after := ""
	for {
		scopes, wrapped, err := store.DataKeysNotUnder(ctx, 0, after, 500)
		if err != nil {
			return checked, err
		}
		if len(scopes) == 0 {
			break
		}
		for i, s := range scopes {
			_, raw, err := v.unwrapRaw(Scope(s), wrapped[i])
			if err != nil {
				bad++
				if first == nil {
					first = err
				}
				continue
			}
			clear(raw)
			checked++
		}
		after = scopes[len(scopes)-1]
	}
	if bad > 0 {
		return checked, fmt.Errorf("%d of %d data keys do not open with this master key file (%w)", bad, bad+checked, first)
	}
	return checked, nil
}

// wrapUnder wraps a data key under the master key numbered master.
func wrapUnder(m cipher.AEAD, scope Scope, id uint32, raw []byte, master uint32) []byte {
	out := make([]byte, 9+nonceSize, wrappedSize)
	out[0] = formatV1
	binary.BigEndian.PutUint32(out[1:5], id)
	binary.BigEndian.PutUint32(out[5:9], master)
	rand.Read(out[9 : 9+nonceSize])
	return m.Seal(out, out[9:9+nonceSize], raw, wrapAD(out[:9], scope))
}

// replaceKeyFile writes text as the master key file at path: a temporary
// file in the same folder (0600), synced, renamed over it, folder synced.
func replaceKeyFile(path string, text []byte) error {
	if _, _, err := parseKeyFileText(text); err != nil {
		return fmt.Errorf("master key file: %w", err)
	}
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, ".master-key-*")
	if err != nil {
		return fmt.Errorf("write master key file: %w", err)
	}
	defer os.Remove(tmp.Name())
	err = tmp.Chmod(0o600)
	if err == nil {
		_, err = tmp.Write(text)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		return fmt.Errorf("write master key file: %w", err)
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

// parseKeyFileText checks that text holds at least one well-formed key
// line and no duplicate.
func parseKeyFileText(text []byte) (int, uint32, error) {
	seen := map[uint32]bool{}
	var current uint32
	for line := range strings.Lines(string(text)) {
		t := strings.TrimSpace(line)
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		id, _, err := parseKeyLine(t)
		if err != nil {
			return 0, 0, err
		}
		if seen[id] {
			return 0, 0, fmt.Errorf("key number %d appears twice", id)
		}
		seen[id] = true
		current = max(current, id)
	}
	if len(seen) == 0 {
		return 0, 0, errors.New("no key line")
	}
	return len(seen), current, nil
}
