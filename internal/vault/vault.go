// Package vault seals member-written text (intake answers, posts, notes,
// safety plans…) before it is stored, by envelope encryption: every scope (a
// group, a person) has its own random AES-256 data key; data keys are stored
// wrapped (AES-256-GCM) under a master key that lives in a file outside the
// database; text is sealed with AES-256-GCM under its scope's data key, bound
// by associated data to the row it belongs to. Destroying a scope's data key
// (Shred) makes everything sealed under it unreadable.
//
// Ciphertext layout (version 1):
//
//	byte 0      format version (1)
//	bytes 1–4   data key id, big-endian (names the key the text was sealed under)
//	bytes 5–16  random 96-bit nonce
//	bytes 17–   AES-256-GCM ciphertext and 16-byte tag
//
// The GCM associated data is bytes 0–4, the scope and the caller's
// associated data, each length-prefixed, so a ciphertext opens only in its
// own scope and row.
//
// The vault never logs; keys and plaintext never leave it except as the
// plaintext Open returns.
package vault

import (
	"container/list"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hearth-org/hearth"
)

// Scope names whose data key seals a text: "group:42", "user:7".
type Scope string

// GroupScope is the scope of what members write inside a group.
func GroupScope(id int64) Scope { return Scope("group:" + strconv.FormatInt(id, 10)) }

// UserScope is the scope of a person's own items (safety plan, check-ins):
// shredding it erases them, even from old copies of the database once the
// master key that wrapped it is retired.
func UserScope(id int64) Scope { return Scope("user:" + strconv.FormatInt(id, 10)) }

func (s Scope) check() error {
	if len(s) < 3 || len(s) > 200 {
		return fmt.Errorf("vault: invalid scope %q", string(s))
	}
	colon := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '_', c == '-', c == '.':
		case c == ':':
			colon = true
		default:
			return fmt.Errorf("vault: invalid scope %q", string(s))
		}
	}
	if !colon {
		return fmt.Errorf("vault: invalid scope %q", string(s))
	}
	return nil
}

// KeyStore keeps wrapped data keys; *sqldb.DB implements it. The vault hands
// it only wrapped keys, never a master key or plaintext.
type KeyStore interface {
	// DataKey returns the scope's wrapped data key: an error of kind
	// hearth.NotFound when the scope has none yet, an empty key when it
	// was destroyed.
	DataKey(ctx context.Context, scope string) (wrapped []byte, err error)
	// PutDataKey stores a scope's first wrapped data key, unless the scope
	// has a row already (another process won the race, or the scope was
	// destroyed): then created is false and nothing changes.
	PutDataKey(ctx context.Context, scope string, keyID, masterKeyID int64, wrapped []byte) (created bool, err error)
	// DestroyDataKey erases the scope's wrapped key for good, and marks the
	// scope so that it never gets another.
	DestroyDataKey(ctx context.Context, scope string) error
	// AnyDataKey returns one scope's wrapped data key that is not destroyed
	// (to check a master key file against the database): an error of kind
	// hearth.NotFound when there is none.
	AnyDataKey(ctx context.Context) (scope string, wrapped []byte, err error)
}

// Errors Open and Seal may return (wrapped; test with errors.Is).
var (
	// ErrDestroyed: the scope's data key was destroyed (crypto-shredded);
	// what it sealed can no longer be read, and nothing new is sealed in it.
	ErrDestroyed = hearth.Coded(hearth.NotFound, "erased", "This was erased and can no longer be read.")
	// ErrNotAuthentic: the ciphertext does not open in this scope with this
	// associated data — tampered with, moved from another row or scope, or
	// not a vault ciphertext at all.
	ErrNotAuthentic = errors.New("vault: ciphertext does not open: tampered with, moved from another row or scope, or sealed elsewhere")
	// ErrWrongMasterKey: a data key does not unwrap under the master key
	// file's keys — the file is not the one the database was sealed with.
	ErrWrongMasterKey = errors.New("vault: a data key does not unwrap with this master key file; is it the master key file this database was created with?")
)

// Options tune a Vault.
type Options struct {
	// CacheSize bounds how many unwrapped data keys are kept in memory
	// (least recently used go first); 0 means 4096.
	CacheSize int
	// CacheTTL is how long an unwrapped key is used before the store is
	// asked again, which is how a process notices that another one
	// destroyed a key; 0 means one minute.
	CacheTTL time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Vault seals and opens member-written text. It is safe for concurrent use.
type Vault struct {
	store KeyStore
	ring  atomic.Pointer[keyring]
	size  int
	ttl   time.Duration
	now   func() time.Time

	// path is the master key file OpenFile read ("" for New): the vault
	// reads it again when it changed (a rotation appended a key or retired
	// one) before creating a data key and when a data key names a master
	// key it does not hold.
	path     string
	fileMu   sync.Mutex
	fileInfo os.FileInfo

	mu    sync.Mutex
	lru   *list.List // of *dataKey, most recently used first
	cache map[Scope]*list.Element
}

// keyring is the master keys in use, replaced whole when the file is read
// again.
type keyring struct {
	masters map[uint32]cipher.AEAD
	current uint32
}

func newKeyring(mk *MasterKeys) (*keyring, error) {
	r := &keyring{masters: map[uint32]cipher.AEAD{}, current: mk.current}
	for id, k := range mk.keys {
		a, err := newGCM(k)
		if err != nil {
			return nil, err
		}
		r.masters[id] = a
	}
	return r, nil
}

type dataKey struct {
	scope  Scope
	id     uint32
	aead   cipher.AEAD
	loaded time.Time
}

// New returns a vault over the store, wrapping data keys with the master
// keys.
func New(store KeyStore, mk *MasterKeys, o Options) (*Vault, error) {
	if store == nil {
		return nil, errors.New("vault: no key store")
	}
	if mk == nil || len(mk.keys) == 0 {
		return nil, errors.New("vault: no master key")
	}
	if o.CacheSize <= 0 {
		o.CacheSize = 4096
	}
	if o.CacheTTL <= 0 {
		o.CacheTTL = time.Minute
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	v := &Vault{store: store, size: o.CacheSize, ttl: o.CacheTTL, now: o.Now,
		lru: list.New(), cache: map[Scope]*list.Element{}}
	r, err := newKeyring(mk)
	if err != nil {
		return nil, err
	}
	v.ring.Store(r)
	return v, nil
}

// CurrentMasterKey reports the number of the master key that wraps new
// data keys.
func (v *Vault) CurrentMasterKey() uint32 { return v.ring.Load().current }

// reloadIfChanged reads the master key file again when it changed since it
// was last read, and reports whether the keyring was replaced. A file that
// no longer reads (removed, malformed) keeps the keys in memory and is an
// error.
func (v *Vault) reloadIfChanged() (bool, error) {
	if v.path == "" {
		return false, nil
	}
	v.fileMu.Lock()
	defer v.fileMu.Unlock()
	st, err := os.Stat(v.path)
	if err != nil {
		return false, fmt.Errorf("master key file: %w", err)
	}
	if old := v.fileInfo; old != nil && os.SameFile(old, st) && old.ModTime().Equal(st.ModTime()) && old.Size() == st.Size() {
		return false, nil
	}
	mk, err := readKeyFile(v.path)
	if err != nil {
		return false, err
	}
	r, err := newKeyring(mk)
	if err != nil {
		return false, err
	}
	v.ring.Store(r)
	v.fileInfo = st
	return true, nil
}

// OpenFile reads the master key file at path and returns a vault over the
// store, checked against it: a data key in the store must unwrap with the
// file's keys (ErrWrongMasterKey otherwise). With create set, a missing file
// is created (mode 0600, its folder 0700) and created reported — but only
// while the store holds no live data key: a missing file for a database that
// has sealed text is a lost or misplaced file, to be restored from backup,
// never replaced.
func OpenFile(ctx context.Context, store KeyStore, path string, create bool, o Options) (v *Vault, created bool, err error) {
	if store == nil {
		return nil, false, errors.New("vault: no key store")
	}
	scope, wrapped, err := store.AnyDataKey(ctx)
	live := err == nil
	if err != nil && hearth.ErrorKind(err) != hearth.NotFound {
		return nil, false, fmt.Errorf("vault: %w", err)
	}
	if create && live {
		if _, err := os.Lstat(path); errors.Is(err, fs.ErrNotExist) {
			return nil, false, fmt.Errorf("master key file %s does not exist, but the database holds text sealed under a master key: restore the file from your backup (a new key could not read anything)", path)
		}
	}
	mk, created, err := LoadMasterKeys(path, create)
	if err != nil {
		return nil, false, err
	}
	st, statErr := os.Stat(path)
	v, err = New(store, mk, o)
	if err != nil {
		return nil, false, err
	}
	v.path = path
	if statErr == nil {
		v.fileInfo = st
	}
	if live {
		if _, err := v.unwrap(Scope(scope), wrapped); err != nil {
			return nil, false, fmt.Errorf("master key file %s: %w", path, err)
		}
	}
	return v, created, nil
}

func newGCM(key []byte) (cipher.AEAD, error) {
	b, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("vault: %w", err)
	}
	a, err := cipher.NewGCM(b)
	if err != nil {
		return nil, fmt.Errorf("vault: %w", err)
	}
	return a, nil
}

const (
	formatV1    = 1
	headerSize  = 1 + 4
	nonceSize   = 12
	tagSize     = 16
	wrappedSize = 1 + 4 + 4 + nonceSize + 32 + tagSize
)

// Seal encrypts plaintext in the scope, bound to ad, which names the row the
// text belongs to (e.g. "intake_answer:membership=12:question=3"); Open
// must be given the same scope and ad. The first Seal in a scope creates its
// data key in a write transaction of its own: inside a write transaction
// (one writer on SQLite) call EnsureKey before it.
func (v *Vault) Seal(ctx context.Context, scope Scope, ad string, plaintext []byte) ([]byte, error) {
	if ad == "" {
		return nil, errors.New("vault: seal: associated data is required (name the row the text belongs to)")
	}
	k, err := v.key(ctx, scope, true)
	if err != nil {
		return nil, fmt.Errorf("seal in %s: %w", scope, err)
	}
	out := make([]byte, headerSize+nonceSize, headerSize+nonceSize+len(plaintext)+tagSize)
	out[0] = formatV1
	binary.BigEndian.PutUint32(out[1:5], k.id)
	rand.Read(out[headerSize : headerSize+nonceSize])
	return k.aead.Seal(out, out[headerSize:headerSize+nonceSize], plaintext, additional(out[:headerSize], scope, ad)), nil
}

// Open decrypts what Seal sealed in the scope with the same ad.
func (v *Vault) Open(ctx context.Context, scope Scope, ad string, ciphertext []byte) ([]byte, error) {
	if len(ciphertext) < headerSize+nonceSize+tagSize {
		return nil, fmt.Errorf("open in %s: %w", scope, ErrNotAuthentic)
	}
	if ciphertext[0] != formatV1 {
		return nil, fmt.Errorf("open in %s: format version %d: %w", scope, ciphertext[0], ErrNotAuthentic)
	}
	k, err := v.key(ctx, scope, false)
	if err != nil {
		return nil, fmt.Errorf("open in %s: %w", scope, err)
	}
	if id := binary.BigEndian.Uint32(ciphertext[1:5]); id != k.id {
		return nil, fmt.Errorf("open in %s: sealed under data key %d, the scope's key is %d: %w", scope, id, k.id, ErrNotAuthentic)
	}
	pt, err := k.aead.Open(nil, ciphertext[headerSize:headerSize+nonceSize], ciphertext[headerSize+nonceSize:], additional(ciphertext[:headerSize], scope, ad))
	if err != nil {
		return nil, fmt.Errorf("open in %s: %w", scope, ErrNotAuthentic)
	}
	return pt, nil
}

// SealString seals a string.
func (v *Vault) SealString(ctx context.Context, scope Scope, ad, plaintext string) ([]byte, error) {
	return v.Seal(ctx, scope, ad, []byte(plaintext))
}

// OpenString opens what SealString sealed.
func (v *Vault) OpenString(ctx context.Context, scope Scope, ad string, ciphertext []byte) (string, error) {
	pt, err := v.Open(ctx, scope, ad, ciphertext)
	if err != nil {
		return "", err
	}
	return string(pt), nil
}

// EnsureKey creates the scope's data key if it has none, so that Seal inside
// a later write transaction only reads. It fails with ErrDestroyed for a
// shredded scope.
func (v *Vault) EnsureKey(ctx context.Context, scope Scope) error {
	if _, err := v.key(ctx, scope, true); err != nil {
		return fmt.Errorf("data key of %s: %w", scope, err)
	}
	return nil
}

// Shred destroys the scope's data key (crypto-shredding): everything sealed
// in the scope becomes unreadable for good, here and — once the cache time
// has passed — in every other process; Seal in the scope fails from then on.
func (v *Vault) Shred(ctx context.Context, scope Scope) error {
	if err := scope.check(); err != nil {
		return err
	}
	v.mu.Lock()
	v.evict(scope)
	v.mu.Unlock()
	if err := v.store.DestroyDataKey(ctx, string(scope)); err != nil {
		return fmt.Errorf("shred %s: %w", scope, err)
	}
	v.mu.Lock()
	v.evict(scope) // a Seal that raced the destruction may have cached it again
	v.mu.Unlock()
	return nil
}

// additional builds the GCM associated data: the ciphertext header, then the
// scope and the caller's data, each length-prefixed.
func additional(header []byte, scope Scope, ad string) []byte {
	b := make([]byte, 0, len(header)+2*binary.MaxVarintLen64+len(scope)+len(ad))
	b = append(b, header...)
	b = binary.AppendUvarint(b, uint64(len(scope)))
	b = append(b, scope...)
	b = binary.AppendUvarint(b, uint64(len(ad)))
	return append(b, ad...)
}

// key returns the scope's unwrapped data key, from the cache or the store;
// with create set, a scope without one gets a new key.
func (v *Vault) key(ctx context.Context, scope Scope, create bool) (*dataKey, error) {
	if err := scope.check(); err != nil {
		return nil, err
	}
	now := v.now()
	v.mu.Lock()
	if e, ok := v.cache[scope]; ok {
		k := e.Value.(*dataKey)
		if now.Sub(k.loaded) < v.ttl && !now.Before(k.loaded) {
			v.lru.MoveToFront(e)
			v.mu.Unlock()
			return k, nil
		}
		v.evict(scope)
	}
	v.mu.Unlock()

	wrapped, err := v.store.DataKey(ctx, string(scope))
	if hearth.ErrorKind(err) == hearth.NotFound {
		if !create {
			// Nothing was ever sealed in this scope.
			return nil, fmt.Errorf("the scope has no data key: %w", ErrNotAuthentic)
		}
		wrapped, err = v.create(ctx, scope)
	}
	if err != nil {
		return nil, err
	}
	if len(wrapped) == 0 {
		return nil, ErrDestroyed
	}
	k, err := v.unwrap(scope, wrapped)
	if err != nil {
		return nil, err
	}
	k.loaded = now
	v.mu.Lock()
	v.evict(scope)
	v.cache[scope] = v.lru.PushFront(k)
	for v.lru.Len() > v.size {
		v.evict(v.lru.Back().Value.(*dataKey).scope)
	}
	v.mu.Unlock()
	return k, nil
}

// evict drops the scope's key from the cache; v.mu is held.
func (v *Vault) evict(scope Scope) {
	if e, ok := v.cache[scope]; ok {
		v.lru.Remove(e)
		delete(v.cache, scope)
	}
}

// create makes, wraps and stores a new data key for the scope and returns
// the wrapped key the store holds afterwards: this one, or the one another
// process stored first.
func (v *Vault) create(ctx context.Context, scope Scope) ([]byte, error) {
	// A rotation may have added a master key since the file was read:
	// new data keys are wrapped under the newest.
	// A file that no longer reads keeps the keys in memory, which are
	// still good.
	v.reloadIfChanged()
	raw := make([]byte, 32)
	rand.Read(raw)
	var idb [4]byte
	for binary.BigEndian.Uint32(idb[:]) == 0 {
		rand.Read(idb[:])
	}
	id := binary.BigEndian.Uint32(idb[:])
	wrapped, mid := v.wrap(scope, id, raw)
	clear(raw)
	created, err := v.store.PutDataKey(ctx, string(scope), int64(id), int64(mid), wrapped)
	if err != nil {
		return nil, fmt.Errorf("store data key: %w", err)
	}
	if created {
		return wrapped, nil
	}
	stored, err := v.store.DataKey(ctx, string(scope))
	if err != nil {
		return nil, fmt.Errorf("read data key stored by another process: %w", err)
	}
	return stored, nil
}

// Wrapped data key layout: version (1), data key id (4), master key number
// (4), nonce (12), AES-256-GCM of the 32-byte key with its tag (48). The
// associated data is the first 9 bytes and the scope.
// It reports the number of the master key it used (the current one).
func (v *Vault) wrap(scope Scope, id uint32, raw []byte) ([]byte, uint32) {
	r := v.ring.Load()
	return wrapUnder(r.masters[r.current], scope, id, raw, r.current), r.current
}

// unwrapRaw returns a wrapped data key's id and key (which the caller
// clears). A master key the vault does not hold makes it read the key file
// again, in case a rotation added it since.
func (v *Vault) unwrapRaw(scope Scope, wrapped []byte) (uint32, []byte, error) {
	if len(wrapped) != wrappedSize || wrapped[0] != formatV1 {
		return 0, nil, fmt.Errorf("the stored data key of %s is malformed", scope)
	}
	id := binary.BigEndian.Uint32(wrapped[1:5])
	mid := binary.BigEndian.Uint32(wrapped[5:9])
	m, ok := v.ring.Load().masters[mid]
	if !ok {
		if reloaded, _ := v.reloadIfChanged(); reloaded {
			m, ok = v.ring.Load().masters[mid]
		}
	}
	if !ok {
		return 0, nil, fmt.Errorf("the data key of %s is wrapped under master key %d, which the master key file does not hold: %w", scope, mid, ErrWrongMasterKey)
	}
	raw, err := m.Open(nil, wrapped[9:9+nonceSize], wrapped[9+nonceSize:], wrapAD(wrapped[:9], scope))
	if err != nil {
		return 0, nil, fmt.Errorf("the data key of %s does not unwrap with master key %d: %w", scope, mid, ErrWrongMasterKey)
	}
	return id, raw, nil
}

func (v *Vault) unwrap(scope Scope, wrapped []byte) (*dataKey, error) {
	id, raw, err := v.unwrapRaw(scope, wrapped)
	if err != nil {
		return nil, err
	}
	a, err := newGCM(raw)
	clear(raw)
	if err != nil {
		return nil, err
	}
	return &dataKey{scope: scope, id: id, aead: a}, nil
}

func wrapAD(header []byte, scope Scope) []byte {
	b := append([]byte("hearth data key\x00"), header...)
	return append(b, scope...)
}
