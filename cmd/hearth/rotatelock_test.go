package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/hearth-org/hearth/internal/sqldb"
	"github.com/hearth-org/hearth/internal/sqldb/sqldbtest"
	"github.com/hearth-org/hearth/internal/vault"
)

// Two `hearth admin rotate-keys` at once against one database: exactly one
// rotates, the other says a rotation is under way, changes nothing and
// exits non-zero; afterwards the key file holds two keys and every text
// still opens.
func TestRotateKeysRunsOnceAtATime(t *testing.T) {
	for _, e := range sqldbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			ctx := context.Background()
			dbURL, data := sqldbtest.URL(t, e)
			keyFile := filepath.Join(data, "master.key")
			env := map[string]string{"HEARTH_DATA": data, "HEARTH_DATABASE_URL": dbURL, "HEARTH_MASTER_KEY_FILE": keyFile}
			db, err := sqldb.Open(ctx, sqldb.Options{URL: dbURL, DataDir: data})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			v, _, err := vault.OpenFile(ctx, db, keyFile, true, vault.Options{})
			if err != nil {
				t.Fatal(err)
			}
			// Enough data keys that one rotation, a key per transaction,
			// lasts well beyond the start of the other.
			const scopes = 1200
			sealed := make([][]byte, scopes)
			for i := range scopes {
				if sealed[i], err = v.SealString(ctx, vault.GroupScope(int64(i+1)), "post:1", fmt.Sprintf("said in group %d", i+1)); err != nil {
					t.Fatal(err)
				}
			}
			openAll := func(t *testing.T) {
				t.Helper()
				v, _, err := vault.OpenFile(ctx, db, keyFile, false, vault.Options{})
				if err != nil {
					t.Fatal(err)
				}
				if n, err := v.CheckKeys(ctx, db); err != nil || n != scopes {
					t.Fatalf("checked %d data keys: %v", n, err)
				}
				for i, c := range sealed {
					if got, err := v.OpenString(ctx, vault.GroupScope(int64(i+1)), "post:1", c); err != nil || got != fmt.Sprintf("said in group %d", i+1) {
						t.Fatalf("group %d: %q %v", i+1, got, err)
					}
				}
			}

			t.Run("while the lock is held, rotate-keys changes nothing and exits non-zero", func(t *testing.T) {
				before, _ := os.ReadFile(keyFile)
				release, err := db.LockOperation(ctx, "rotate-keys")
				if err != nil {
					t.Fatal(err)
				}
				code, out, errText := runCmd(t, env, "", "admin", "rotate-keys")
				release()
				if code == 0 || !strings.Contains(errText, "rotation is already under way") {
					t.Fatalf("%d %q %q", code, out, errText)
				}
				if after, _ := os.ReadFile(keyFile); !bytes.Equal(before, after) {
					t.Fatal("a refused rotation changed the key file")
				}
			})

			t.Run("two started at once: one rotates, the other is refused", func(t *testing.T) {
				type result struct {
					code     int
					out, err string
				}
				var wg sync.WaitGroup
				start := make(chan struct{})
				results := make([]result, 2)
				for i := range results {
					wg.Add(1)
					go func() {
						defer wg.Done()
						<-start
						var r result
						r.code, r.out, r.err = runCmd(t, env, "", "admin", "rotate-keys", "--batch", "1")
						results[i] = r
					}()
				}
				close(start)
				wg.Wait()
				ok, refused := 0, 0
				for _, r := range results {
					switch {
					case r.code == 0 && strings.Contains(r.out, "Added master key 2") && strings.Contains(r.out, fmt.Sprintf("Rewrapped %d data keys under master key 2", scopes)):
						ok++
					case r.code != 0 && strings.Contains(r.err, "rotation is already under way") && r.out == "":
						refused++
					default:
						t.Errorf("unexpected run: %d %q %q", r.code, r.out, r.err)
					}
				}
				if ok != 1 || refused != 1 {
					t.Fatalf("%d rotated and %d were refused, want 1 and 1: %+v", ok, refused, results)
				}
				text, _ := os.ReadFile(keyFile)
				if n := strings.Count(string(text), "hearth-master-key v1 "); n != 2 {
					t.Fatalf("the key file holds %d keys, want 2:\n%s", n, text)
				}
				use, err := db.MasterKeyUse(ctx)
				if err != nil || use[2] != scopes || len(use) != 1 {
					t.Fatalf("data keys per master key: %v %v", use, err)
				}
				openAll(t)
			})

			t.Run("once it ended, the next rotation runs", func(t *testing.T) {
				if code, out, e := runCmd(t, env, "", "admin", "rotate-keys"); code != 0 || !strings.Contains(out, "Added master key 3") {
					t.Fatalf("%d %q %q", code, out, e)
				}
				openAll(t)
			})
		})
	}
}
