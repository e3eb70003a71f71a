package app_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/app"
	"github.com/hearth-org/hearth/internal/sqldb/sqldbtest"
)

// Erasure of an account (issue 7 §2) on both engines: nothing of the
// person is left in any table, their personal key is destroyed, their posts
// stay as a former member's or go as the group chose, and their handle is
// free again.
func TestEraseAccount(t *testing.T) {
	for _, e := range sqldbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			w := newBoardWorld(t, e)
			ctx := context.Background()
			th := w.start(w.ana, "Evenings are hard", "I sit with it.")
			mine := w.reply(w.ana, th.ThreadID, "Also mornings.")
			theirs := w.reply(w.ben, th.ThreadID, "Same here, Ana.")
			if err := w.a.React(ctx, w.ana, w.g.Slug, theirs.PostID, "me_too", true); err != nil {
				t.Fatal(err)
			}
			if _, err := w.a.SaveSafetyPlan(ctx, w.ana, app.SafetyPlanInput{Plan: hearth.SafetyPlan{Reasons: []string{"My dog"}}}); err != nil {
				t.Fatal(err)
			}
			if _, err := w.a.Report(ctx, w.ana, app.ReportRequest{ReportInput: hearth.ReportInput{Subject: hearth.Subject{Kind: hearth.SubjectPost, ID: theirs.PostID},
				Reason: hearth.ReasonSpam, Note: "Ana's own note about it"}}); err != nil {
				t.Fatal(err)
			}
			t.Run("the export holds her writing and her report's note, none of Ben's", func(t *testing.T) {
				x, err := w.a.ExportMyData(ctx, w.ana)
				if err != nil {
					t.Fatal(err)
				}
				if len(x.Posts) != 2 || x.Posts[0].Title != "Evenings are hard" || x.Posts[1].Body != "Also mornings." {
					t.Errorf("posts %+v", x.Posts)
				}
				if len(x.Reports) != 1 || x.Reports[0].Note != "Ana's own note about it" {
					t.Errorf("reports %+v", x.Reports)
				}
				for _, p := range x.Posts {
					if p.Body == "Same here, Ana." {
						t.Error("Ben's reply is in Ana's export")
					}
				}
			})
			uid := w.ana.UserID
			scope := fmt.Sprintf("user:%d", uid)
			if k, err := w.db.DataKey(ctx, scope); err != nil || len(k) == 0 {
				t.Fatalf("Ana's personal key before erasure: %v", err)
			}
			old, err := w.db.SafetyPlan(ctx, uid, 0) // what an old backup holds
			if err != nil {
				t.Fatal(err)
			}

			t.Run("a wrong password changes nothing", func(t *testing.T) {
				_, err := w.a.EraseAccount(ctx, w.ana, app.EraseInput{Password: "not it", Addr: "127.0.0.1"})
				if hearth.ErrorKind(err) != hearth.Invalid {
					t.Fatalf("wrong password: %v", err)
				}
				if n, _ := w.db.RowsNaming(ctx, uid); n["users.id"] != 1 {
					t.Fatalf("the account is gone after a refused erasure: %v", n)
				}
			})
			done, err := w.a.EraseAccount(ctx, w.ana, app.EraseInput{Password: "long enough words", Addr: "127.0.0.1"})
			if err != nil {
				t.Fatal(err)
			}
			if done.PostsKept != 2 || done.PostsRemoved != 0 {
				t.Errorf("erasure %+v, want 2 posts kept", done)
			}
			t.Run("nothing of theirs remains in any table", func(t *testing.T) {
				left, err := w.db.RowsNaming(ctx, uid)
				if err != nil {
					t.Fatal(err)
				}
				delete(left, "audit_log.actor_id") // append-only: ids, never names or words
				if len(left) != 0 {
					t.Errorf("rows naming the erased person: %v", left)
				}
			})
			t.Run("their personal key is destroyed: an old copy cannot open the plan", func(t *testing.T) {
				k, err := w.db.DataKey(ctx, scope)
				if err == nil && len(k) != 0 {
					t.Fatalf("the wrapped key is still stored (%d bytes)", len(k))
				}
				if len(old.Sealed) == 0 {
					t.Fatal("no sealed plan was read before")
				}
			})
			t.Run("their posts stay, linked to nobody", func(t *testing.T) {
				v := w.thread(w.ben, th.ThreadID)
				p := findPost(v, mine.PostID)
				if p == nil || p.Body != "Also mornings." || p.Author != "" || p.AuthorMembershipID != 0 {
					t.Errorf("Ana's reply after erasure: %+v", p)
				}
				if findPost(v, theirs.PostID) == nil {
					t.Error("Ben's reply is gone")
				}
			})
			t.Run("the handle can be registered again", func(t *testing.T) {
				if _, _, err := w.a.CreateUser(ctx, "ana", "ana@example.org", "long enough words", false); err != nil {
					t.Fatal(err)
				}
			})
			t.Run("a group that removes erased writing deletes it", func(t *testing.T) {
				set, err := w.a.BoardSettings(ctx, w.fac, w.g.Slug)
				if err != nil || set.ErasedPosts != "former_member" {
					t.Fatalf("the default policy: %q %v", set.ErasedPosts, err)
				}
				set.ErasedPosts = "remove"
				if _, err := w.a.SetBoardSettings(ctx, w.fac, w.g.Slug, set); err != nil {
					t.Fatal(err)
				}
				set.ErasedPosts = "whatever"
				if _, err := w.a.SetBoardSettings(ctx, w.fac, w.g.Slug, set); hearth.ErrorKind(err) != hearth.Invalid {
					t.Errorf("unknown policy: %v", err)
				}
				set.ErasedPosts = "former_member"
				if _, err := w.a.SetBoardSettings(ctx, w.ben, w.g.Slug, set); err == nil {
					t.Error("a member changed the policy")
				}
				set.ErasedPosts = ""
				if got, err := w.a.SetBoardSettings(ctx, w.fac, w.g.Slug, set); err != nil || got.ErasedPosts != "remove" {
					t.Errorf("settings without a policy keep the current one: %q %v", got.ErasedPosts, err)
				}
				bt := w.start(w.ben, "Ben's own thread", "Words of Ben.")
				br := w.reply(w.ben, th.ThreadID, "Ben again.")
				got, err := w.a.EraseAccount(ctx, w.ben, app.EraseInput{Password: "long enough words"})
				if err != nil {
					t.Fatal(err)
				}
				if got.PostsRemoved < 2 {
					t.Errorf("erasure %+v, want Ben's posts removed", got)
				}
				v := w.thread(w.fac, th.ThreadID)
				if findPost(v, br.PostID) != nil || findPost(v, theirs.PostID) != nil {
					t.Error("Ben's replies are still shown")
				}
				if _, err := w.a.Thread(ctx, w.fac, w.g.Slug, bt.ThreadID, 1); hearth.ErrorKind(err) != hearth.NotFound {
					t.Errorf("Ben's thread after erasure: %v", err)
				}
			})
		})
	}
}
