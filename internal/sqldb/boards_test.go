package sqldb_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/hearth-org/hearth/internal/sqldb"
	"github.com/hearth-org/hearth/internal/sqldb/sqldbtest"
)

// Board storage on both engines: what a reader's list and thread pages
// count and show (held posts only to their writer and facilitators,
// deleted posts to nobody), read marks, reactions, revisions, keys,
// settings and the purge of deleted posts.
func TestBoardStorage(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		g, users := membershipFixture(t, db, 3)
		ana, ben, fac := users[0], users[1], users[2]
		at := time.Date(2026, 11, 24, 15, 0, 0, 0, time.UTC)

		post := func(thread, author int64, held, key string, when time.Time) (*sqldb.BoardPost, error) {
			var p *sqldb.BoardPost
			err := db.InTx(ctx, func(tx *sqldb.Tx) error {
				if thread == 0 {
					th := &sqldb.BoardThread{GroupID: g.ID, AuthorID: author, CreatedAt: when, LastActivity: when}
					if err := tx.InsertBoardThread(ctx, th); err != nil {
						return err
					}
					thread = th.ID
					defer func() { tx.SetThreadFirstPost(ctx, th.ID, p.ID) }()
				}
				p = &sqldb.BoardPost{ThreadID: thread, GroupID: g.ID, AuthorID: author, MembershipID: author * 10, Pseudonym: "P", Held: held, Key: key, CreatedAt: when}
				if err := tx.InsertBoardPost(ctx, p); err != nil {
					return err
				}
				if err := tx.SetBoardPostSealed(ctx, p.ID, []byte{1, 2, 3}); err != nil {
					return err
				}
				if held == "" {
					return tx.TouchBoardThread(ctx, thread, when)
				}
				return nil
			})
			return p, err
		}
		must := func(p *sqldb.BoardPost, err error) *sqldb.BoardPost {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
			return p
		}
		list := func(viewer int64, leads bool) ([]sqldb.BoardThreadRow, int) {
			t.Helper()
			rows, total, err := db.BoardThreads(ctx, sqldb.BoardList{GroupID: g.ID, ViewerID: viewer, Leads: leads, Limit: 20})
			if err != nil {
				t.Fatal(err)
			}
			return rows, total
		}

		first := must(post(0, ana, "", "k1", at))
		second := must(post(0, ben, "approval", "", at.Add(time.Minute)))
		reply := must(post(first.ThreadID, ben, "", "", at.Add(2*time.Minute)))
		heldReply := must(post(first.ThreadID, ben, "review", "", at.Add(3*time.Minute)))

		t.Run("a held thread is listed for its writer and facilitators only; newest activity first", func(t *testing.T) {
			rows, total := list(ana, false)
			if total != 1 || len(rows) != 1 || rows[0].Thread.ID != first.ThreadID {
				t.Fatalf("ana sees %d %+v", total, rows)
			}
			rows, total = list(fac, true)
			if total != 2 || rows[0].Thread.ID != first.ThreadID || rows[1].Thread.ID != second.ThreadID {
				t.Fatalf("facilitator sees %d %+v", total, rows)
			}
			rows, _ = list(ben, false)
			if len(rows) != 2 {
				t.Fatalf("ben sees his held thread: %+v", rows)
			}
		})
		t.Run("replies and unread counts follow what the reader sees", func(t *testing.T) {
			rows, _ := list(ana, false)
			if rows[0].Replies != 1 || rows[0].Unread != 1 || rows[0].Opened {
				t.Fatalf("ana: %+v", rows[0])
			}
			if err := db.InTx(ctx, func(tx *sqldb.Tx) error { return tx.MarkBoardRead(ctx, first.ThreadID, ana, reply.ID) }); err != nil {
				t.Fatal(err)
			}
			// Never back.
			if err := db.InTx(ctx, func(tx *sqldb.Tx) error { return tx.MarkBoardRead(ctx, first.ThreadID, ana, first.ID) }); err != nil {
				t.Fatal(err)
			}
			rows, _ = list(ana, false)
			if rows[0].Unread != 0 || !rows[0].Opened {
				t.Fatalf("ana after reading: %+v", rows[0])
			}
			rows, _ = list(fac, true)
			if rows[0].Replies != 2 || rows[0].Unread != 3 {
				t.Fatalf("facilitator: %+v", rows[0])
			}
			posts, total, err := db.ThreadPosts(ctx, first.ThreadID, sqldb.BoardList{ViewerID: ana}, 50, 0)
			if err != nil || total != 2 || len(posts) != 2 || posts[1].ID != reply.ID {
				t.Fatalf("ana's thread page: %d %+v %v", total, posts, err)
			}
			posts, total, _ = db.ThreadPosts(ctx, first.ThreadID, sqldb.BoardList{ViewerID: fac, Leads: true}, 50, 0)
			if total != 3 || posts[2].ID != heldReply.ID || posts[2].Held != "review" {
				t.Fatalf("facilitator's thread page: %d %+v", total, posts)
			}
		})
		t.Run("a reader does not see the named posts of someone they blocked", func(t *testing.T) {
			rows, _, err := db.BoardThreads(ctx, sqldb.BoardList{GroupID: g.ID, ViewerID: ana, Blocked: []int64{ben}, Limit: 20})
			if err != nil || len(rows) != 1 || rows[0].Replies != 0 {
				t.Fatalf("%+v %v", rows, err)
			}
			posts, total, err := db.ThreadPosts(ctx, first.ThreadID, sqldb.BoardList{ViewerID: ana, Blocked: []int64{ben, fac}}, 50, 0)
			if err != nil || total != 1 || posts[0].ID != first.ID {
				t.Fatalf("%d %+v %v", total, posts, err)
			}
		})
		t.Run("the same writer's key is refused a second time", func(t *testing.T) {
			_, err := post(first.ThreadID, ana, "", "k1", at.Add(4*time.Minute))
			if !errors.Is(err, sqldb.ErrDuplicatePostKey) {
				t.Fatalf("got %v", err)
			}
			got, err := db.BoardPostByKey(ctx, g.ID, ana, "k1")
			if err != nil || got.ID != first.ID {
				t.Fatalf("%+v %v", got, err)
			}
			must(post(first.ThreadID, ben, "", "k1", at.Add(4*time.Minute))) // another writer may use it
		})
		t.Run("reactions toggle and count", func(t *testing.T) {
			for _, u := range []int64{ana, ben} {
				if err := db.InTx(ctx, func(tx *sqldb.Tx) error { return tx.SetBoardReaction(ctx, reply.ID, u, "me_too", true) }); err != nil {
					t.Fatal(err)
				}
			}
			db.InTx(ctx, func(tx *sqldb.Tx) error { return tx.SetBoardReaction(ctx, reply.ID, ana, "me_too", true) })
			got, err := db.BoardReactions(ctx, []int64{reply.ID}, ana)
			if err != nil || len(got) != 1 || got[0].Count != 2 || !got[0].Mine {
				t.Fatalf("%+v %v", got, err)
			}
			db.InTx(ctx, func(tx *sqldb.Tx) error { return tx.SetBoardReaction(ctx, reply.ID, ana, "me_too", false) })
			got, _ = db.BoardReactions(ctx, []int64{reply.ID}, ana)
			if len(got) != 1 || got[0].Count != 1 || got[0].Mine {
				t.Fatalf("%+v", got)
			}
		})
		t.Run("an edit keeps the earlier version", func(t *testing.T) {
			err := db.InTx(ctx, func(tx *sqldb.Tx) error {
				return tx.EditBoardPost(ctx, reply.ID, "death", "", 2, []byte{9}, at.Add(time.Hour))
			})
			if err != nil {
				t.Fatal(err)
			}
			revs, err := db.BoardRevisions(ctx, reply.ID)
			if err != nil || len(revs) != 1 || revs[0].Rev != 1 || string(revs[0].Sealed) != string([]byte{1, 2, 3}) || !revs[0].CreatedAt.Equal(reply.CreatedAt) {
				t.Fatalf("%+v %v", revs, err)
			}
			p, _ := db.BoardPost(ctx, reply.ID)
			if p.Rev != 2 || p.Warning != "death" || !p.EditedAt.Equal(at.Add(time.Hour)) {
				t.Fatalf("%+v", p)
			}
		})
		t.Run("approval shows a held post", func(t *testing.T) {
			var ok bool
			db.InTx(ctx, func(tx *sqldb.Tx) (err error) { ok, err = tx.ApproveBoardPost(ctx, second.ID); return })
			if !ok {
				t.Fatal("not approved")
			}
			db.InTx(ctx, func(tx *sqldb.Tx) (err error) { ok, err = tx.ApproveBoardPost(ctx, second.ID); return })
			if ok {
				t.Fatal("approved twice")
			}
			if _, total := list(ana, false); total != 2 {
				t.Fatalf("ana sees %d threads", total)
			}
		})
		t.Run("warnings the reader hides leave the list, except their own; a search limits it", func(t *testing.T) {
			rows, total, err := db.BoardThreads(ctx, sqldb.BoardList{GroupID: g.ID, ViewerID: ana, HideWarnings: []string{""}, Limit: 20})
			if err != nil || total != 1 || rows[0].Thread.ID != first.ThreadID {
				t.Fatalf("%d %+v %v", total, rows, err)
			}
			_, total, _ = db.BoardThreads(ctx, sqldb.BoardList{GroupID: g.ID, ViewerID: ana, IDs: []int64{}, Limit: 20})
			if total != 0 {
				t.Fatalf("an empty search found %d", total)
			}
			_, total, _ = db.BoardThreads(ctx, sqldb.BoardList{GroupID: g.ID, ViewerID: ana, From: at.Add(30 * time.Second), Limit: 20})
			if total != 1 {
				t.Fatalf("window: %d", total)
			}
		})
		t.Run("deleted at once from every list, purged after the group's days", func(t *testing.T) {
			if err := db.InTx(ctx, func(tx *sqldb.Tx) error {
				if err := tx.SetBoardSettings(ctx, g.ID, sqldb.BoardConfig{DeletedDays: 2}); err != nil {
					return err
				}
				if err := tx.DeleteBoardPost(ctx, reply.ID, at.Add(2*time.Hour)); err != nil {
					return err
				}
				return tx.DeleteBoardThread(ctx, second.ThreadID, at.Add(2*time.Hour))
			}); err != nil {
				t.Fatal(err)
			}
			rows, total := list(ana, false)
			if total != 1 || rows[0].Replies != 1 { // ben's later reply with key k1
				t.Fatalf("%d %+v", total, rows)
			}
			s, err := db.SearchableBoardPosts(ctx, g.ID, 100)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range s {
				if p.ID == reply.ID || p.ThreadID == second.ThreadID {
					t.Fatalf("deleted post %d searchable", p.ID)
				}
			}
			before, _ := db.BoardPostCount(ctx, g.ID)
			n, err := db.PurgeDeletedBoardPosts(ctx, at.Add(2*time.Hour+47*time.Hour))
			if err != nil || n != 0 {
				t.Fatalf("purged early: %d %v", n, err)
			}
			n, err = db.PurgeDeletedBoardPosts(ctx, at.Add(2*time.Hour+48*time.Hour))
			if err != nil || n == 0 {
				t.Fatalf("purged %d %v", n, err)
			}
			after, _ := db.BoardPostCount(ctx, g.ID)
			if after != before-2 {
				t.Fatalf("posts %d → %d", before, after)
			}
			if _, err := db.BoardPost(ctx, reply.ID); err == nil {
				t.Fatal("the deleted reply is still stored")
			}
			if revs, _ := db.BoardRevisions(ctx, reply.ID); len(revs) != 0 {
				t.Fatal("its revisions are still stored")
			}
			if _, err := db.BoardThread(ctx, second.ThreadID); err == nil {
				t.Fatal("the deleted thread is still stored")
			}
		})
		t.Run("settings and warning choices", func(t *testing.T) {
			c, err := db.BoardSettings(ctx, g.ID+1000)
			if err != nil || c.DeletedDays != sqldb.DefaultBoardDeletedDays || c.AllowAnonymous {
				t.Fatalf("%+v %v", c, err)
			}
			db.InTx(ctx, func(tx *sqldb.Tx) error {
				return tx.SetBoardSettings(ctx, g.ID, sqldb.BoardConfig{AllowAnonymous: true, AlumniRead: true, DeletedDays: 0})
			})
			c, _ = db.BoardSettings(ctx, g.ID)
			if !c.AllowAnonymous || !c.AlumniRead || c.DeletedDays != 0 {
				t.Fatalf("%+v", c)
			}
			db.InTx(ctx, func(tx *sqldb.Tx) error { return tx.SetWarningPref(ctx, ana, "death", "hide") })
			db.InTx(ctx, func(tx *sqldb.Tx) error { return tx.SetWarningPref(ctx, ana, "death", "show") })
			p, err := db.WarningPrefs(ctx, ana)
			if err != nil || len(p) != 1 || p["death"] != "show" {
				t.Fatalf("%v %v", p, err)
			}
		})
	})
}
