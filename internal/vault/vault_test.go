package vault_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/sqldb"
	"github.com/hearth-org/hearth/internal/sqldb/sqldbtest"
	"github.com/hearth-org/hearth/internal/vault"
)

// The database is the vault's key store.
var _ vault.KeyStore = (*sqldb.DB)(nil)

// openVault opens a vault over db with a new master key file in a fresh
// temporary folder and returns it with the file's path.
func openVault(t testing.TB, db *sqldb.DB, o vault.Options) (*vault.Vault, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "keys", "master.key")
	v, created, err := vault.OpenFile(context.Background(), db, path, true, o)
	if err != nil || !created {
		t.Fatalf("open vault: created %v, %v", created, err)
	}
	return v, path
}

func TestSealAndOpen(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		v, _ := openVault(t, db, vault.Options{})
		g12, g13 := vault.GroupScope(12), vault.GroupScope(13)
		const ad = "intake_answer:membership=12:question=3"
		secret := "I have been sober for 41 days and my sister does not know."
		sealed, err := v.SealString(ctx, g12, ad, secret)
		if err != nil {
			t.Fatal(err)
		}

		t.Run("what is sealed opens with the same scope and associated data", func(t *testing.T) {
			got, err := v.OpenString(ctx, g12, ad, sealed)
			if err != nil || got != secret {
				t.Fatalf("got %q, %v", got, err)
			}
		})
		t.Run("the ciphertext does not contain the text", func(t *testing.T) {
			if bytes.Contains(sealed, []byte("sober")) {
				t.Fatal("plaintext visible in the ciphertext")
			}
		})
		t.Run("sealing the same text twice gives different ciphertexts", func(t *testing.T) {
			again, err := v.SealString(ctx, g12, ad, secret)
			if err != nil || bytes.Equal(again, sealed) {
				t.Fatalf("nonce reused or error: %v", err)
			}
		})
		t.Run("empty and binary texts round trip", func(t *testing.T) {
			for _, pt := range [][]byte{{}, {0, 255, 0}, bytes.Repeat([]byte("ñ"), 50000)} {
				c, err := v.Seal(ctx, g12, "post:7", pt)
				if err != nil {
					t.Fatal(err)
				}
				got, err := v.Open(ctx, g12, "post:7", c)
				if err != nil || !bytes.Equal(got, pt) {
					t.Fatalf("round trip of %d bytes: %v", len(pt), err)
				}
			}
		})
		if _, err := v.SealString(ctx, g13, "x:1", "warm up the other scope"); err != nil {
			t.Fatal(err)
		}
		bad := []struct {
			name  string
			scope vault.Scope
			ad    string
			c     []byte
		}{
			{"a ciphertext moved to another row fails to open", g12, "intake_answer:membership=12:question=4", sealed},
			{"a ciphertext moved to another member's row fails to open", g12, "intake_answer:membership=13:question=3", sealed},
			{"a ciphertext moved to another group fails to open", g13, ad, sealed},
			{"a ciphertext opened in a scope that never sealed anything fails", vault.UserScope(12), ad, sealed},
			{"an empty associated data does not match", g12, "", sealed},
			{"a truncated ciphertext fails to open", g12, ad, sealed[:len(sealed)-1]},
			{"a ciphertext with a byte added fails to open", g12, ad, append(bytes.Clone(sealed), 0)},
			{"a too short ciphertext fails to open", g12, ad, sealed[:10]},
			{"nothing fails to open", g12, ad, nil},
		}
		for _, c := range bad {
			t.Run(c.name, func(t *testing.T) {
				got, err := v.Open(ctx, c.scope, c.ad, c.c)
				if !errors.Is(err, vault.ErrNotAuthentic) || got != nil {
					t.Fatalf("got %q, %v", got, err)
				}
			})
		}
		t.Run("changing any single byte makes the ciphertext fail to open", func(t *testing.T) {
			for i := range sealed {
				c := bytes.Clone(sealed)
				c[i] ^= 0x01
				if _, err := v.Open(ctx, g12, ad, c); !errors.Is(err, vault.ErrNotAuthentic) {
					t.Fatalf("byte %d flipped: %v", i, err)
				}
			}
		})
		t.Run("sealing without associated data or with a malformed scope is refused", func(t *testing.T) {
			if _, err := v.SealString(ctx, g12, "", "text"); err == nil {
				t.Error("sealed without associated data")
			}
			for _, s := range []vault.Scope{"", "group", "Group:1", "group:1 ", "group:\x00", vault.Scope(bytes.Repeat([]byte("a:"), 101))} {
				if _, err := v.SealString(ctx, s, "x:1", "text"); err == nil {
					t.Errorf("sealed in scope %q", s)
				}
			}
		})
	})
}

func TestShred(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		v, _ := openVault(t, db, vault.Options{})
		me, other := vault.UserScope(7), vault.UserScope(8)
		plan, err := v.SealString(ctx, me, "safety_plan:user=7", "Call Ana. Walk to the river. Do not drive.")
		if err != nil {
			t.Fatal(err)
		}
		theirs, err := v.SealString(ctx, other, "safety_plan:user=8", "Their plan")
		if err != nil {
			t.Fatal(err)
		}
		if err := v.Shred(ctx, me); err != nil {
			t.Fatal(err)
		}
		t.Run("what was sealed in a shredded scope can no longer be opened", func(t *testing.T) {
			_, err := v.OpenString(ctx, me, "safety_plan:user=7", plan)
			if !errors.Is(err, vault.ErrDestroyed) || hearth.ErrorKind(err) != hearth.NotFound {
				t.Fatalf("got %v", err)
			}
		})
		t.Run("the wrapped key is gone from the database", func(t *testing.T) {
			if w, err := db.DataKey(ctx, string(me)); err != nil || len(w) != 0 {
				t.Fatalf("wrapped key still stored: %d bytes, %v", len(w), err)
			}
		})
		t.Run("nothing new can be sealed in a shredded scope", func(t *testing.T) {
			if _, err := v.SealString(ctx, me, "safety_plan:user=7", "again"); !errors.Is(err, vault.ErrDestroyed) {
				t.Fatalf("got %v", err)
			}
			if err := v.EnsureKey(ctx, me); !errors.Is(err, vault.ErrDestroyed) {
				t.Fatalf("got %v", err)
			}
		})
		t.Run("other scopes are untouched", func(t *testing.T) {
			if got, err := v.OpenString(ctx, other, "safety_plan:user=8", theirs); err != nil || got != "Their plan" {
				t.Fatalf("got %q, %v", got, err)
			}
		})
		t.Run("shredding twice, or a scope that never sealed anything, is harmless", func(t *testing.T) {
			if err := v.Shred(ctx, me); err != nil {
				t.Fatal(err)
			}
			if err := v.Shred(ctx, vault.UserScope(99)); err != nil {
				t.Fatal(err)
			}
			if _, err := v.SealString(ctx, vault.UserScope(99), "x:1", "after"); !errors.Is(err, vault.ErrDestroyed) {
				t.Fatalf("a scope shredded before use got a key: %v", err)
			}
		})
	})
}

// TestTwoProcesses opens two databases and vaults on the same storage, as
// two servers would.
func TestTwoProcesses(t *testing.T) {
	for _, e := range sqldbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			ctx := context.Background()
			dbURL, dir := sqldbtest.URL(t, e)
			open := func() *sqldb.DB {
				db, err := sqldb.Open(ctx, sqldb.Options{URL: dbURL, DataDir: dir})
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { db.Close() })
				return db
			}
			db1, db2 := open(), open()
			keyFile := filepath.Join(dir, "master.key")
			clock := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
			var mu sync.Mutex
			now := func() time.Time { mu.Lock(); defer mu.Unlock(); return clock }
			one, created, err := vault.OpenFile(ctx, db1, keyFile, true, vault.Options{Now: now})
			if err != nil || !created {
				t.Fatal(created, err)
			}
			two, created, err := vault.OpenFile(ctx, db2, keyFile, true, vault.Options{Now: now})
			if err != nil || created {
				t.Fatal("the second process did not read the first one's key file:", created, err)
			}
			g := vault.GroupScope(1)

			t.Run("a second process reads what the first sealed", func(t *testing.T) {
				c, err := one.SealString(ctx, g, "post:1", "first")
				if err != nil {
					t.Fatal(err)
				}
				if got, err := two.OpenString(ctx, g, "post:1", c); err != nil || got != "first" {
					t.Fatalf("got %q, %v", got, err)
				}
			})
			t.Run("two processes creating a scope's key at once end with one key", func(t *testing.T) {
				for round := range 5 {
					scope := vault.GroupScope(int64(100 + round))
					var wg sync.WaitGroup
					sealed := make([][]byte, 16)
					for i := range sealed {
						wg.Add(1)
						go func() {
							defer wg.Done()
							v := one
							if i%2 == 1 {
								v = two
							}
							c, err := v.SealString(ctx, scope, fmt.Sprintf("post:%d", i), "hello")
							if err != nil {
								t.Error(err)
							}
							sealed[i] = c
						}()
					}
					wg.Wait()
					for i, c := range sealed {
						for _, v := range []*vault.Vault{one, two} {
							if got, err := v.OpenString(ctx, scope, fmt.Sprintf("post:%d", i), c); err != nil || got != "hello" {
								t.Fatalf("round %d, ciphertext %d: %q, %v", round, i, got, err)
							}
						}
					}
				}
			})
			t.Run("a key shredded by one process stops opening in the other once its cache time has passed", func(t *testing.T) {
				c, err := two.SealString(ctx, g, "post:2", "second")
				if err != nil {
					t.Fatal(err)
				}
				if err := one.Shred(ctx, g); err != nil {
					t.Fatal(err)
				}
				if _, err := one.OpenString(ctx, g, "post:2", c); !errors.Is(err, vault.ErrDestroyed) {
					t.Fatalf("the shredding process still opens it: %v", err)
				}
				mu.Lock()
				clock = clock.Add(61 * time.Second)
				mu.Unlock()
				if _, err := two.OpenString(ctx, g, "post:2", c); !errors.Is(err, vault.ErrDestroyed) {
					t.Fatalf("the other process still opens it after a minute: %v", err)
				}
			})
			t.Run("a missing master key file is not replaced while the database holds sealed text", func(t *testing.T) {
				missing := filepath.Join(t.TempDir(), "master.key")
				_, created, err := vault.OpenFile(ctx, db1, missing, true, vault.Options{})
				if err == nil || created || !strings.Contains(err.Error(), "restore") {
					t.Fatalf("created %v, %v", created, err)
				}
				if _, err := os.Stat(missing); !errors.Is(err, os.ErrNotExist) {
					t.Fatalf("a new key file was written: %v", err)
				}
			})
			t.Run("a different master key file is refused at start and cannot open what was sealed", func(t *testing.T) {
				otherFile := filepath.Join(t.TempDir(), "other.key")
				mk, created, err := vault.LoadMasterKeys(otherFile, true)
				if err != nil || !created {
					t.Fatal(created, err)
				}
				if _, _, err := vault.OpenFile(ctx, db1, otherFile, true, vault.Options{}); !errors.Is(err, vault.ErrWrongMasterKey) {
					t.Fatalf("got %v", err)
				}
				c, err := one.SealString(ctx, vault.GroupScope(100), "post:99", "not for strangers")
				if err != nil {
					t.Fatal(err)
				}
				stranger, err := vault.New(db2, mk, vault.Options{})
				if err != nil {
					t.Fatal(err)
				}
				if got, err := stranger.OpenString(ctx, vault.GroupScope(100), "post:99", c); !errors.Is(err, vault.ErrWrongMasterKey) || got != "" {
					t.Fatalf("got %q, %v", got, err)
				}
			})
		})
	}
}
