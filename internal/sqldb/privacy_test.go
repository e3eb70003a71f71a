package sqldb_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/sqldb"
	"github.com/hearth-org/hearth/internal/sqldb/sqldbtest"
)

// writer makes an account with n board posts (one thread) in the group.
func writer(tb testing.TB, db *sqldb.DB, groupID int64, handle string, n int) int64 {
	tb.Helper()
	ctx := context.Background()
	u := &hearth.User{Handle: handle}
	if err := db.CreateUser(ctx, u, sqldb.Credentials{PasswordHash: "x"}); err != nil {
		tb.Fatal(err)
	}
	at := time.Date(2026, 11, 24, 15, 0, 0, 0, time.UTC)
	err := db.InTx(ctx, func(tx *sqldb.Tx) error {
		th := &sqldb.BoardThread{GroupID: groupID, AuthorID: u.ID, CreatedAt: at, LastActivity: at}
		if err := tx.InsertBoardThread(ctx, th); err != nil {
			return err
		}
		for i := range n {
			p := &sqldb.BoardPost{ThreadID: th.ID, GroupID: groupID, AuthorID: u.ID, Pseudonym: "P", CreatedAt: at.Add(time.Duration(i) * time.Second)}
			if err := tx.InsertBoardPost(ctx, p); err != nil {
				return err
			}
			if err := tx.SetBoardPostSealed(ctx, p.ID, []byte{1, 2, 3}); err != nil {
				return err
			}
			if i == 0 {
				if err := tx.SetThreadFirstPost(ctx, th.ID, p.ID); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return u.ID
}

// The group's policy decides what an erasure does with writing; the
// account row and every row naming it go.
func TestEraseUserStorage(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		g, _ := membershipFixture(t, db, 0)
		if p, err := db.ErasedPosts(ctx, g.ID); err != nil || p != sqldb.ErasedFormerMember {
			t.Fatalf("default policy %q %v", p, err)
		}
		erase := func(uid int64, tag string) *sqldb.Erasure {
			var e *sqldb.Erasure
			if err := db.InTx(ctx, func(tx *sqldb.Tx) (err error) {
				e, err = tx.EraseUser(ctx, uid, "former-"+tag, time.Now())
				return err
			}); err != nil {
				t.Fatal(err)
			}
			return e
		}
		kept := writer(t, db, g.ID, "kept", 3)
		if e := erase(kept, "a"); e.PostsKept != 3 || e.PostsRemoved != 0 {
			t.Errorf("former member policy: %+v", e)
		}
		if left, err := db.RowsNaming(ctx, kept); err != nil || len(left) != 0 {
			t.Errorf("rows naming the erased person: %v %v", left, err)
		}
		if err := db.InTx(ctx, func(tx *sqldb.Tx) error { return tx.SetErasedPosts(ctx, g.ID, "nonsense") }); hearth.ErrorKind(err) != hearth.Invalid {
			t.Errorf("unknown policy: %v", err)
		}
		if err := db.InTx(ctx, func(tx *sqldb.Tx) error { return tx.SetErasedPosts(ctx, g.ID, sqldb.ErasedRemove) }); err != nil {
			t.Fatal(err)
		}
		gone := writer(t, db, g.ID, "gone", 3)
		if e := erase(gone, "b"); e.PostsKept != 0 || e.PostsRemoved < 3 {
			t.Errorf("remove policy: %+v", e)
		}
		if left, err := db.RowsNaming(ctx, gone); err != nil || len(left) != 0 {
			t.Errorf("rows naming the erased person: %v %v", left, err)
		}
	})
}

// BenchmarkEraseUser500Posts erases a person who wrote 500 board posts
// (the transaction; the key's destruction is one more row).
func BenchmarkEraseUser500Posts(b *testing.B) {
	for _, e := range sqldbtest.Engines() {
		for _, policy := range []string{sqldb.ErasedFormerMember, sqldb.ErasedRemove} {
			b.Run(fmt.Sprintf("%s/%s", e, policy), func(b *testing.B) {
				db := sqldbtest.Open(b, e, sqldbtest.Options{})
				ctx := context.Background()
				g, _ := membershipFixture(b, db, 0)
				if err := db.InTx(ctx, func(tx *sqldb.Tx) error { return tx.SetErasedPosts(ctx, g.ID, policy) }); err != nil {
					b.Fatal(err)
				}
				i := 0
				for b.Loop() {
					b.StopTimer()
					i++
					uid := writer(b, db, g.ID, fmt.Sprintf("writer-%d", i), 500)
					b.StartTimer()
					if err := db.InTx(ctx, func(tx *sqldb.Tx) error {
						_, err := tx.EraseUser(ctx, uid, fmt.Sprintf("former-%d", i), time.Now())
						return err
					}); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
