package sqldb_test

import (
	"bytes"
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/sqldb"
	"github.com/hearth-org/hearth/internal/sqldb/sqldbtest"
)

func TestSafetyPlanVersions(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		newUser := func(handle string) int64 {
			u := &hearth.User{Handle: handle}
			if err := db.CreateUser(ctx, u, sqldb.Credentials{PasswordHash: "x", RecoveryHash: "y"}); err != nil {
				t.Fatal(err)
			}
			return u.ID
		}
		river, lake := newUser("river"), newUser("lake")
		at := time.Date(2026, 11, 30, 15, 0, 0, 0, time.UTC)
		save := func(user int64, keep int) (int, int64) {
			t.Helper()
			var v int
			var pruned int64
			err := db.InTx(ctx, func(tx *sqldb.Tx) error {
				var err error
				if v, err = tx.NextSafetyPlanVersion(ctx, user); err != nil {
					return err
				}
				pruned, err = tx.AddSafetyPlan(ctx, sqldb.SealedPlan{UserID: user, Version: v, Sealed: []byte(fmt.Sprintf("sealed-%d-%d", user, v)),
					SavedAt: at.Add(time.Duration(v) * time.Minute)}, keep)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			return v, pruned
		}

		t.Run("a person without a plan has no versions and reading one is NotFound", func(t *testing.T) {
			vs, err := db.SafetyPlanVersions(ctx, river)
			if err != nil || len(vs) != 0 {
				t.Fatalf("got %v %v", vs, err)
			}
			if _, err := db.SafetyPlan(ctx, river, 0); hearth.ErrorKind(err) != hearth.NotFound {
				t.Fatalf("got %v", err)
			}
		})
		t.Run("versions are numbered from one and the newest is read by default", func(t *testing.T) {
			for want := 1; want <= 3; want++ {
				if v, pruned := save(river, 3); v != want || pruned != 0 {
					t.Fatalf("save gave version %d (pruned %d), want %d", v, pruned, want)
				}
			}
			p, err := db.SafetyPlan(ctx, river, 0)
			if err != nil || p.Version != 3 || string(p.Sealed) != fmt.Sprintf("sealed-%d-3", river) || !p.SavedAt.Equal(at.Add(3*time.Minute)) {
				t.Fatalf("got %+v %v", p, err)
			}
			p, err = db.SafetyPlan(ctx, river, 1)
			if err != nil || p.Version != 1 || string(p.Sealed) != fmt.Sprintf("sealed-%d-1", river) {
				t.Fatalf("got %+v %v", p, err)
			}
		})
		t.Run("saving beyond the number kept deletes the oldest versions", func(t *testing.T) {
			if v, pruned := save(river, 3); v != 4 || pruned != 1 {
				t.Fatalf("got version %d, pruned %d", v, pruned)
			}
			vs, err := db.SafetyPlanVersions(ctx, river)
			if err != nil || len(vs) != 3 || vs[0].Version != 4 || vs[2].Version != 2 {
				t.Fatalf("got %+v %v", vs, err)
			}
			if _, err := db.SafetyPlan(ctx, river, 1); hearth.ErrorKind(err) != hearth.NotFound {
				t.Fatalf("the pruned version is still there: %v", err)
			}
		})
		t.Run("one person's versions are not another's", func(t *testing.T) {
			if v, _ := save(lake, 3); v != 1 {
				t.Fatalf("lake's first version is %d", v)
			}
			if _, err := db.SafetyPlan(ctx, lake, 4); hearth.ErrorKind(err) != hearth.NotFound {
				t.Fatalf("lake reads river's version 4: %v", err)
			}
			p, err := db.SafetyPlan(ctx, lake, 0)
			if err != nil || !bytes.Equal(p.Sealed, []byte(fmt.Sprintf("sealed-%d-1", lake))) {
				t.Fatalf("got %+v %v", p, err)
			}
		})
		t.Run("a keep below one is refused and stores nothing", func(t *testing.T) {
			err := db.InTx(ctx, func(tx *sqldb.Tx) error {
				_, err := tx.AddSafetyPlan(ctx, sqldb.SealedPlan{UserID: lake, Version: 2, Sealed: []byte("x"), SavedAt: at}, 0)
				return err
			})
			if err == nil {
				t.Fatal("accepted keep 0")
			}
			if vs, _ := db.SafetyPlanVersions(ctx, lake); len(vs) != 1 {
				t.Fatalf("lake has %d versions", len(vs))
			}
		})
		t.Run("two saves at once get two numbers", func(t *testing.T) {
			var wg sync.WaitGroup
			errs := make(chan error, 2)
			for range 2 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					errs <- db.InTx(ctx, func(tx *sqldb.Tx) error {
						v, err := tx.NextSafetyPlanVersion(ctx, lake)
						if err != nil {
							return err
						}
						_, err = tx.AddSafetyPlan(ctx, sqldb.SealedPlan{UserID: lake, Version: v, Sealed: []byte("x"), SavedAt: at}, 10)
						return err
					})
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				if err != nil {
					t.Fatal(err)
				}
			}
			vs, _ := db.SafetyPlanVersions(ctx, lake)
			if len(vs) != 3 || vs[0].Version != 3 || vs[1].Version != 2 {
				t.Fatalf("got %+v", vs)
			}
		})
		t.Run("deleting removes every version of that person only", func(t *testing.T) {
			var n int64
			err := db.InTx(ctx, func(tx *sqldb.Tx) (err error) {
				n, err = tx.DeleteSafetyPlans(ctx, lake)
				return err
			})
			if err != nil || n != 3 {
				t.Fatalf("deleted %d: %v", n, err)
			}
			if vs, _ := db.SafetyPlanVersions(ctx, lake); len(vs) != 0 {
				t.Fatalf("lake still has %v", vs)
			}
			if vs, _ := db.SafetyPlanVersions(ctx, river); len(vs) != 3 {
				t.Fatalf("river has %v", vs)
			}
		})
	})
}
