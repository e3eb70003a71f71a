package sqldb_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/app"
	"github.com/hearth-org/hearth/internal/password"
	"github.com/hearth-org/hearth/internal/sqldb"
	"github.com/hearth-org/hearth/internal/sqldb/sqldbtest"
	"github.com/hearth-org/hearth/internal/vault"
)

// A backup taken while members keep writing restores to exactly the
// database as it stood at one moment: every restored row is the source's
// row, nothing written before a restored row is missing, and the sealed
// text opens to what was written — into either engine.
func TestBackupWhileWritingRestoresOneMoment(t *testing.T) {
	ctx := context.Background()
	for _, engine := range sqldbtest.Engines() {
		t.Run(string(engine), func(t *testing.T) {
			// The backup is taken through a second connection to the
			// database, as hearth backup does while serve runs.
			srcURL, srcDir := sqldbtest.URL(t, engine)
			src, err := sqldb.Open(ctx, sqldb.Options{URL: srcURL, DataDir: srcDir})
			if err != nil {
				t.Fatal(err)
			}
			defer src.Close()
			other, err := sqldb.Open(ctx, sqldb.Options{URL: srcURL, DataDir: srcDir})
			if err != nil {
				t.Fatal(err)
			}
			defer other.Close()
			keyFile := filepath.Join(t.TempDir(), "master.key")
			mk, _, err := vault.LoadMasterKeys(keyFile, true)
			if err != nil {
				t.Fatal(err)
			}
			v, err := vault.New(src, mk, vault.Options{})
			if err != nil {
				t.Fatal(err)
			}
			plan := func(i int) string { return fmt.Sprintf("plan %d: call my sister, walk to the river", i) }
			write := func(i int) error {
				u := &hearth.User{Handle: fmt.Sprintf("writer-%d", i)}
				if err := src.CreateUser(ctx, u, sqldb.Credentials{PasswordHash: "x", RecoveryHash: "y"}); err != nil {
					return err
				}
				scope := vault.UserScope(u.ID)
				if err := v.EnsureKey(ctx, scope); err != nil {
					return err
				}
				sealed, err := v.SealString(ctx, scope, fmt.Sprintf("safety_plan:user=%d:version=1", u.ID), plan(i))
				if err != nil {
					return err
				}
				return src.InTx(ctx, func(tx *sqldb.Tx) error {
					_, err := tx.AddSafetyPlan(ctx, sqldb.SealedPlan{UserID: u.ID, Version: 1, Sealed: sealed, SavedAt: time.Now()}, 5)
					return err
				})
			}
			// The writer runs before, during and after the backup.
			started, backedUp := make(chan struct{}), make(chan struct{})
			var wg sync.WaitGroup
			var werr error
			var written int
			wg.Add(1)
			go func() {
				defer wg.Done()
				after := -1
				for i := 1; ; i++ {
					if err := write(i); err != nil {
						werr = err
						return
					}
					written = i
					if i == 20 {
						close(started)
					}
					select {
					case <-backedUp:
						if after < 0 {
							after = i + 20
						}
					default:
					}
					if after > 0 && i >= after {
						return
					}
				}
			}()
			<-started
			file := filepath.Join(t.TempDir(), "hearth.backup")
			res, err := other.Backup(ctx, file, false)
			close(backedUp)
			wg.Wait()
			if err != nil {
				t.Fatal(err)
			}
			if werr != nil {
				t.Fatal(werr)
			}
			if st, err := os.Stat(file); err != nil || st.Mode().Perm() != 0o600 {
				t.Fatalf("backup file %v %v", st, err)
			}
			if res.Tables["users"] < 20 || res.Tables["users"] >= int64(written) {
				t.Fatalf("backup holds %d users of %d written: not taken while writing", res.Tables["users"], written)
			}
			t.Run("an existing file is not replaced without force", func(t *testing.T) {
				before, _ := os.ReadFile(file)
				if _, err := src.Backup(ctx, file, false); hearth.ErrorKind(err) != hearth.Conflict {
					t.Fatalf("got %v", err)
				}
				if after, _ := os.ReadFile(file); string(after) != string(before) {
					t.Fatal("the refused backup changed the file")
				}
				other := filepath.Join(t.TempDir(), "old.backup")
				os.WriteFile(other, []byte("last week's"), 0o600)
				if _, err := src.Backup(ctx, other, true); err != nil {
					t.Fatal(err)
				}
				if b, _ := os.ReadFile(other); string(b) == "last week's" {
					t.Fatal("--force did not replace the file")
				}
				if m, _ := filepath.Glob(filepath.Join(filepath.Dir(other), ".hearth-backup-*")); len(m) > 0 {
					t.Fatalf("temporary files left: %v", m)
				}
			})
			for _, into := range sqldbtest.Engines() {
				t.Run("restored into "+string(into), func(t *testing.T) {
					url, dir := sqldbtest.URL(t, into)
					got, err := sqldb.Restore(ctx, file, sqldb.RestoreOptions{URL: url, DataDir: dir})
					if err != nil {
						t.Fatal(err)
					}
					dst, err := sqldb.Open(ctx, sqldb.Options{URL: url, DataDir: dir})
					if err != nil {
						t.Fatal(err)
					}
					defer dst.Close()
					counts, err := dst.TableCounts(ctx)
					if err != nil {
						t.Fatal(err)
					}
					for tbl, n := range got.Tables {
						if counts[tbl] != n {
							t.Errorf("table %s: %d rows, restore reported %d", tbl, counts[tbl], n)
						}
					}
					// Row for row: every restored row is the source's.
					for tbl := range counts {
						have, err := dst.RowsForTest(ctx, tbl)
						if err != nil {
							t.Fatal(err)
						}
						all, err := src.RowsForTest(ctx, tbl)
						if err != nil {
							t.Fatal(err)
						}
						for _, r := range have {
							if _, ok := slices.BinarySearch(all, r); !ok {
								t.Fatalf("table %s: restored row not in the source: %s", tbl, r)
							}
						}
					}
					// One moment: the restored writers are 1..n with no gap,
					// each but possibly the last with its plan, and every
					// plan opens to its text.
					n := int(counts["users"])
					if n < 20 || n >= written {
						t.Fatalf("%d users restored of %d", n, written)
					}
					rv, err := vault.New(dst, mk, vault.Options{})
					if err != nil {
						t.Fatal(err)
					}
					plans := 0
					for i := 1; i <= n; i++ {
						u, _, err := dst.UserByHandle(ctx, fmt.Sprintf("writer-%d", i))
						if err != nil {
							t.Fatalf("writer-%d is missing though %d users were restored: %v", i, n, err)
						}
						p, err := dst.SafetyPlan(ctx, u.ID, 0)
						if hearth.ErrorKind(err) == hearth.NotFound && i == n {
							continue
						}
						if err != nil {
							t.Fatalf("writer-%d's plan: %v", i, err)
						}
						text, err := rv.OpenString(ctx, vault.UserScope(u.ID), fmt.Sprintf("safety_plan:user=%d:version=1", u.ID), p.Sealed)
						if err != nil || text != plan(i) {
							t.Fatalf("writer-%d's plan opens to %q, %v", i, text, err)
						}
						plans++
					}
					if int64(plans) != counts["safety_plans"] {
						t.Fatalf("%d plans opened, %d restored", plans, counts["safety_plans"])
					}
					t.Run("the restored database takes new rows", func(t *testing.T) {
						u := &hearth.User{Handle: "after-restore"}
						if err := dst.CreateUser(ctx, u, sqldb.Credentials{PasswordHash: "x", RecoveryHash: "y"}); err != nil {
							t.Fatal(err)
						}
					})
					t.Run("a database that holds data is refused and left alone", func(t *testing.T) {
						_, err := sqldb.Restore(ctx, file, sqldb.RestoreOptions{URL: url, DataDir: dir})
						if hearth.ErrorKind(err) != hearth.Invalid {
							t.Fatalf("got %v", err)
						}
						again, _ := dst.TableCounts(ctx)
						if again["users"] != counts["users"]+1 {
							t.Fatalf("users %d → %d", counts["users"], again["users"])
						}
					})
				})
			}
		})
	}
}

func TestRestoreRefusesWhatIsNotABackup(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	junk := filepath.Join(dir, "junk.backup")
	os.WriteFile(junk, []byte("not a database at all, just words"), 0o600)
	for _, f := range []string{junk, filepath.Join(dir, "missing.backup")} {
		_, err := sqldb.Restore(ctx, f, sqldb.RestoreOptions{DataDir: filepath.Join(dir, "data")})
		if hearth.ErrorKind(err) != hearth.Invalid {
			t.Fatalf("%s: got %v", f, err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "data", "hearth.db")); err == nil {
		t.Fatal("a database was left behind")
	}
}

// Every table survives the trip between engines exactly: the demo
// directory (organizations, groups, meetings, cohorts, booleans, places),
// an account and a sealed safety plan, backed up from each engine and
// restored into each, compare equal row for row.
func TestBackupCarriesEveryRowAcrossEngines(t *testing.T) {
	ctx := context.Background()
	for _, from := range sqldbtest.Engines() {
		t.Run("from "+string(from), func(t *testing.T) {
			src := sqldbtest.Open(t, from, sqldbtest.Options{})
			mk, _, err := vault.LoadMasterKeys(filepath.Join(t.TempDir(), "master.key"), true)
			if err != nil {
				t.Fatal(err)
			}
			v, err := vault.New(src, mk, vault.Options{})
			if err != nil {
				t.Fatal(err)
			}
			a, err := app.New(app.Config{DB: src, Vault: v, PasswordParams: password.Params{Time: 1, Memory: 8 * 1024, Threads: 1}})
			if err != nil {
				t.Fatal(err)
			}
			if loaded, err := a.LoadDemo(ctx); err != nil || !loaded {
				t.Fatalf("demo: %v %v", loaded, err)
			}
			u, _, err := a.CreateUser(ctx, "heron", "heron@example.org", "a long enough passphrase", false)
			if err != nil {
				t.Fatal(err)
			}
			actor := hearth.Actor{UserID: u.ID, Handle: u.Handle}
			if _, err := a.SaveSafetyPlan(ctx, actor, app.SafetyPlanInput{Plan: hearth.SafetyPlan{Reasons: []string{"my daughter's wedding in June"}}, Lang: "en"}); err != nil {
				t.Fatal(err)
			}
			file := filepath.Join(t.TempDir(), "demo.backup")
			if _, err := src.Backup(ctx, file, false); err != nil {
				t.Fatal(err)
			}
			want, err := src.TableCounts(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, into := range sqldbtest.Engines() {
				t.Run("into "+string(into), func(t *testing.T) {
					url, dir := sqldbtest.URL(t, into)
					if _, err := sqldb.Restore(ctx, file, sqldb.RestoreOptions{URL: url, DataDir: dir}); err != nil {
						t.Fatal(err)
					}
					dst, err := sqldb.Open(ctx, sqldb.Options{URL: url, DataDir: dir})
					if err != nil {
						t.Fatal(err)
					}
					defer dst.Close()
					nonEmpty := 0
					for tbl, n := range want {
						if n > 0 {
							nonEmpty++
						}
						a, err := src.RowsForTest(ctx, tbl)
						if err != nil {
							t.Fatal(err)
						}
						b, err := dst.RowsForTest(ctx, tbl)
						if err != nil {
							t.Fatal(err)
						}
						if !slices.Equal(a, b) {
							t.Fatalf("table %s differs after the restore: %d rows, %d restored", tbl, len(a), len(b))
						}
					}
					t.Logf("%d tables compared, %d with rows", len(want), nonEmpty)
					if nonEmpty < 10 {
						t.Fatalf("only %d tables held rows: the test compares too little", nonEmpty)
					}
					rv, err := vault.New(dst, mk, vault.Options{})
					if err != nil {
						t.Fatal(err)
					}
					ra, err := app.New(app.Config{DB: dst, Vault: rv})
					if err != nil {
						t.Fatal(err)
					}
					p, err := ra.SafetyPlan(ctx, actor, 0)
					if err != nil || len(p.Plan.Reasons) != 1 || p.Plan.Reasons[0] != "my daughter's wedding in June" {
						t.Fatalf("restored plan %+v, %v", p, err)
					}
				})
			}
		})
	}
}
