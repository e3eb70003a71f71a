package vault_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hearth-org/hearth/internal/sqldb"
	"github.com/hearth-org/hearth/internal/sqldb/sqldbtest"
	"github.com/hearth-org/hearth/internal/vault"
)

var _ vault.RotationStore = (*sqldb.DB)(nil)

func TestRotateMasterKey(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		// "serve": a vault that re-reads data keys from the store at every
		// use, as a long-running process does once its cache expires.
		serve, path := openVault(t, db, vault.Options{CacheTTL: time.Nanosecond})
		type sealed struct {
			scope vault.Scope
			text  string
			c     []byte
		}
		var all []sealed
		seal := func(scope vault.Scope, text string) {
			t.Helper()
			c, err := serve.SealString(ctx, scope, "post:1", text)
			if err != nil {
				t.Fatal(err)
			}
			all = append(all, sealed{scope, text, c})
		}
		for i := 1; i <= 20; i++ {
			seal(vault.GroupScope(int64(i)), fmt.Sprintf("what group %d said", i))
			seal(vault.UserScope(int64(i)), fmt.Sprintf("what person %d planned", i))
		}
		if err := serve.Shred(ctx, vault.UserScope(3)); err != nil {
			t.Fatal(err)
		}
		all = append(all[:5], all[6:]...) // user:3's text is gone for good
		openAll := func(t *testing.T, v *vault.Vault) {
			t.Helper()
			for _, s := range all {
				got, err := v.OpenString(ctx, s.scope, "post:1", s.c)
				if err != nil || got != s.text {
					t.Fatalf("%s: %q %v", s.scope, got, err)
				}
			}
			if _, err := v.Open(ctx, vault.UserScope(3), "post:1", []byte("x")); err == nil {
				t.Fatal("a shredded scope opened")
			}
		}
		oldOnly := filepath.Join(t.TempDir(), "old.key")
		b, _ := os.ReadFile(path)
		os.WriteFile(oldOnly, b, 0o600)

		next, err := vault.AddMasterKey(path)
		if err != nil || next != 2 {
			t.Fatalf("added key %d, %v", next, err)
		}
		if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
			t.Fatalf("key file mode %v", st.Mode())
		}
		rotator, _, err := vault.OpenFile(ctx, db, path, false, vault.Options{})
		if err != nil {
			t.Fatal(err)
		}

		t.Run("a rotation stopped between batches leaves everything readable", func(t *testing.T) {
			cctx, cancel := context.WithCancel(ctx)
			n, err := rotator.Rewrap(cctx, db, 7, func(total int) { cancel() })
			if !errors.Is(err, context.Canceled) || n != 7 {
				t.Fatalf("rewrapped %d: %v", n, err)
			}
			use, _ := db.MasterKeyUse(ctx)
			if use[2] != 7 || use[1] != 39-7 {
				t.Fatalf("keys per master: %v", use)
			}
			openAll(t, serve) // serve reads key 2 from the file on its own
		})
		t.Run("a running Hearth wraps new data keys under the new master key", func(t *testing.T) {
			seal(vault.GroupScope(99), "a group started during the rotation")
			use, _ := db.MasterKeyUse(ctx)
			if use[2] != 8 {
				t.Fatalf("keys per master: %v", use)
			}
		})
		t.Run("the old key cannot be retired while a data key uses it", func(t *testing.T) {
			before, _ := os.ReadFile(path)
			if _, err := vault.RetireMasterKeys(ctx, db, path); err == nil || !strings.Contains(err.Error(), "master key 1") {
				t.Fatalf("got %v", err)
			}
			if after, _ := os.ReadFile(path); string(after) != string(before) {
				t.Fatal("the key file changed")
			}
		})
		t.Run("running it again resumes and finishes; once more does nothing", func(t *testing.T) {
			n, err := rotator.Rewrap(ctx, db, 7, nil)
			if err != nil || n != 39-7 {
				t.Fatalf("rewrapped %d: %v", n, err)
			}
			use, _ := db.MasterKeyUse(ctx)
			if len(use) != 1 || use[2] != 40 {
				t.Fatalf("keys per master: %v", use)
			}
			if n, err := rotator.Rewrap(ctx, db, 7, nil); err != nil || n != 0 {
				t.Fatalf("second run rewrapped %d: %v", n, err)
			}
			openAll(t, serve)
			openAll(t, rotator)
		})
		t.Run("retiring removes the old key line; everything still opens", func(t *testing.T) {
			removed, err := vault.RetireMasterKeys(ctx, db, path)
			if err != nil || len(removed) != 1 || removed[0] != 1 {
				t.Fatalf("removed %v, %v", removed, err)
			}
			text, _ := os.ReadFile(path)
			if strings.Contains(string(text), "hearth-master-key v1 1 ") || !strings.Contains(string(text), "hearth-master-key v1 2 ") {
				t.Fatalf("key file after retiring:\n%s", text)
			}
			fresh, _, err := vault.OpenFile(ctx, db, path, false, vault.Options{})
			if err != nil {
				t.Fatal(err)
			}
			openAll(t, fresh)
			openAll(t, serve)
		})
		t.Run("a copy of the database with only the old key opens nothing", func(t *testing.T) {
			if _, _, err := vault.OpenFile(ctx, db, oldOnly, false, vault.Options{}); !errors.Is(err, vault.ErrWrongMasterKey) {
				t.Fatalf("got %v", err)
			}
			mk, _, err := vault.LoadMasterKeys(oldOnly, false)
			if err != nil {
				t.Fatal(err)
			}
			old, err := vault.New(db, mk, vault.Options{})
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range all {
				if _, err := old.Open(ctx, s.scope, "post:1", s.c); !errors.Is(err, vault.ErrWrongMasterKey) {
					t.Fatalf("%s: got %v", s.scope, err)
				}
			}
			if n, err := old.CheckKeys(ctx, db); !errors.Is(err, vault.ErrWrongMasterKey) || n != 0 {
				t.Fatalf("check: %d %v", n, err)
			}
		})
	})
}
