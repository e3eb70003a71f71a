package app_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/sqldb/sqldbtest"
)

func TestAccounts(t *testing.T) {
	for _, e := range sqldbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			a := newApp(t, e)
			ctx := context.Background()
			u, code, err := a.SignUp(ctx, hearth.SignUp{Handle: "Quiet-River", Password: "long enough words", PasswordConfirm: "long enough words"}, "10.0.0.1")
			if err != nil {
				t.Fatal(err)
			}
			t.Run("a handle-only account gets a recovery code and a lower-case handle", func(t *testing.T) {
				if u.Handle != "quiet-river" || u.Email != "" || len(code) != 23 {
					t.Fatalf("user %+v code %q", u, code)
				}
			})
			t.Run("sign-in works with the handle in any case", func(t *testing.T) {
				if _, err := a.SignIn(ctx, "QUIET-river", "long enough words", "10.0.0.2"); err != nil {
					t.Fatal(err)
				}
			})
			t.Run("a wrong password and an unknown account give the same answer", func(t *testing.T) {
				_, e1 := a.SignIn(ctx, "quiet-river", "wrong password!", "10.0.0.3")
				_, e2 := a.SignIn(ctx, "nobody-here", "wrong password!", "10.0.0.3")
				if e1 == nil || e2 == nil || e1.Error() != e2.Error() || hearth.ErrorKind(e1) != hearth.Unauthorized {
					t.Fatalf("%v / %v", e1, e2)
				}
			})
			t.Run("repeated failures lock the account for a while, even with the right password", func(t *testing.T) {
				for i := 0; i < 10; i++ {
					a.SignIn(ctx, "quiet-river", "wrong password!", "10.0.1.1")
				}
				_, err := a.SignIn(ctx, "quiet-river", "long enough words", "10.0.1.2")
				if hearth.ErrorKind(err) != hearth.TooMany {
					t.Fatalf("got %v, want too many", err)
				}
			})
			t.Run("the recovery code sets a new password once and is replaced", func(t *testing.T) {
				// As pasted from a note: lower case, a tab and a line break.
				pasted := "\t" + strings.ToLower(code[:11]) + "\n" + strings.ToLower(code[11:]) + " \r\n"
				_, next, err := a.Recover(ctx, "quiet-river", pasted, "a brand new passphrase", "a brand new passphrase", "10.0.2.1")
				if err != nil || next == code {
					t.Fatalf("recover: %v (new code %q)", err, next)
				}
				if _, _, err := a.Recover(ctx, "quiet-river", code, "another new passphrase", "another new passphrase", "10.0.2.1"); hearth.ErrorKind(err) != hearth.Unauthorized {
					t.Fatalf("old code reused: %v", err)
				}
			})
			t.Run("a session token identifies the account until it ends", func(t *testing.T) {
				tok, _, err := a.StartSession(ctx, u.ID)
				if err != nil {
					t.Fatal(err)
				}
				actor, got, err := a.SessionActor(ctx, tok)
				if err != nil || got.ID != u.ID || actor.UserID != u.ID {
					t.Fatalf("%v %v", got, err)
				}
				a.EndSession(ctx, tok)
				if _, _, err := a.SessionActor(ctx, tok); hearth.ErrorKind(err) != hearth.Unauthorized {
					t.Fatalf("ended session still works: %v", err)
				}
			})
			t.Run("personal access tokens work until revoked", func(t *testing.T) {
				actor := hearth.Actor{UserID: u.ID}
				tok, meta, err := a.CreateToken(ctx, actor, "my script")
				if err != nil || !strings.HasPrefix(tok, "hearth_pat_") {
					t.Fatalf("%q %v", tok, err)
				}
				if _, got, err := a.TokenActor(ctx, tok); err != nil || got.ID != u.ID {
					t.Fatalf("%v %v", got, err)
				}
				if err := a.RevokeToken(ctx, actor, meta.ID); err != nil {
					t.Fatal(err)
				}
				if _, _, err := a.TokenActor(ctx, tok); hearth.ErrorKind(err) != hearth.Unauthorized {
					t.Fatalf("revoked token works: %v", err)
				}
			})
			t.Run("bad sign-ups change nothing", func(t *testing.T) {
				for _, su := range []hearth.SignUp{
					{Handle: "x", Password: "long enough words", PasswordConfirm: "long enough words"},
					{Handle: "quiet-river", Password: "long enough words", PasswordConfirm: "long enough words"},
					{Handle: "new-person", Password: "short", PasswordConfirm: "short"},
					{Handle: "new-person", Password: "long enough words", PasswordConfirm: "different words!"},
					{Handle: "new-person", Email: "not-an-email", Password: "long enough words", PasswordConfirm: "long enough words"},
				} {
					if _, _, err := a.SignUp(ctx, su, "10.0.3.1"); err == nil {
						t.Errorf("%+v accepted", su)
					}
				}
				if _, err := a.SignIn(ctx, "new-person", "long enough words", "10.0.3.2"); err == nil {
					t.Fatal("a refused sign-up left an account behind")
				}
			})
		})
	}
}

func TestGroupsAndPermissions(t *testing.T) {
	for _, e := range sqldbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			a := newApp(t, e)
			ctx := context.Background()
			mk := func(handle string, site bool) hearth.Actor {
				u, _, err := a.CreateUser(ctx, handle, "", "long enough words", site)
				if err != nil {
					t.Fatal(err)
				}
				return hearth.Actor{UserID: u.ID, Handle: u.Handle, SiteAdmin: site}
			}
			site := mk("site-admin", true)
			orgAdminUser := mk("org-admin", false)
			member := mk("a-member", false)
			if err := a.CreateOrganization(ctx, member, &hearth.Organization{Name: "Nope Org"}); hearth.ErrorKind(err) != hearth.Forbidden {
				t.Fatalf("member created an org: %v", err)
			}
			org := &hearth.Organization{Name: "Riverside Hospice"}
			if err := a.CreateOrganization(ctx, site, org); err != nil || org.Slug != "riverside-hospice" {
				t.Fatalf("%v %q", err, org.Slug)
			}
			if err := a.AddOrgAdmin(ctx, site, org.Slug, "org-admin"); err != nil {
				t.Fatal(err)
			}
			// roles reloads what an account may do, as a new request would.
			roles := func(actor hearth.Actor) hearth.Actor {
				got, _, err := a.SessionActor(ctx, mustSession(t, a, actor.UserID))
				if err != nil {
					t.Fatal(err)
				}
				return got
			}
			orgAdmin := roles(orgAdminUser)
			g := &hearth.Group{Name: "Widowed Parents Circle", Description: "For parents raising children after a partner died.",
				Topics: []string{"loss-of-partner"}, Audience: hearth.Audience{Languages: []string{"en"}}, Format: hearth.InPerson,
				Leadership: hearth.PeerLed, Policy: hearth.Open,
				Location: hearth.Location{Address: "12 Elm St", City: "Austin", Region: "Texas", PostalCode: "78701", Country: "US"},
				Schedule: hearth.Schedule{Weekday: 2, Start: 18*60 + 30, Duration: 90}}
			t.Run("an org admin creates a group; its position and zone come from the postal code", func(t *testing.T) {
				if err := a.CreateGroup(ctx, orgAdmin, org.Slug, g); err != nil {
					t.Fatal(err)
				}
				if !g.Location.HasPoint || g.Location.TimeZone != "America/Chicago" {
					t.Fatalf("location %+v", g.Location)
				}
			})
			t.Run("a member cannot create or edit groups", func(t *testing.T) {
				m := roles(member)
				if err := a.CreateGroup(ctx, m, org.Slug, &hearth.Group{Name: "x"}); hearth.ErrorKind(err) != hearth.Forbidden {
					t.Fatalf("create: %v", err)
				}
				cp := *g
				if err := a.UpdateGroup(ctx, m, g.Slug, &cp); hearth.ErrorKind(err) != hearth.Forbidden {
					t.Fatalf("update: %v", err)
				}
			})
			t.Run("an appointed facilitator can edit the group but not create groups", func(t *testing.T) {
				f := mk("facilitator-one", false)
				if err := a.AppointFacilitator(ctx, orgAdmin, g.Slug, "facilitator-one", "Dana", ""); err != nil {
					t.Fatal(err)
				}
				fa := roles(f)
				cp := *g
				cp.Description = "Updated by the facilitator."
				if err := a.UpdateGroup(ctx, fa, g.Slug, &cp); err != nil {
					t.Fatal(err)
				}
				if err := a.CreateGroup(ctx, fa, org.Slug, &hearth.Group{Name: "y"}); hearth.ErrorKind(err) != hearth.Forbidden {
					t.Fatalf("facilitator created a group: %v", err)
				}
				v, _ := a.Group(ctx, hearth.Anonymous, g.Slug)
				if len(v.Facilitators) != 1 || v.Facilitators[0] != "Dana" {
					t.Fatalf("facilitators %v", v.Facilitators)
				}
			})
			t.Run("joining needs the guidelines accepted and a free pseudonym", func(t *testing.T) {
				m := roles(member)
				if _, err := a.JoinGroup(ctx, m, g.Slug, "River", false); hearth.ErrorKind(err) != hearth.Invalid {
					t.Fatalf("joined without accepting: %v", err)
				}
				if _, err := a.JoinGroup(ctx, m, g.Slug, "dana", true); hearth.ErrorKind(err) != hearth.Conflict {
					t.Fatalf("took a facilitator's name: %v", err)
				}
				ms, err := a.JoinGroup(ctx, m, g.Slug, "River", true)
				if err != nil || ms.GuidelinesVersion != 1 || ms.Status != hearth.StatusActive {
					t.Fatalf("%+v %v", ms, err)
				}
				if _, err := a.JoinGroup(ctx, m, g.Slug, "River Two", true); hearth.ErrorKind(err) != hearth.Conflict {
					t.Fatalf("joined twice: %v", err)
				}
				if _, err := a.JoinGroup(ctx, hearth.Anonymous, g.Slug, "Anon", true); hearth.ErrorKind(err) != hearth.Unauthorized {
					t.Fatalf("anonymous joined: %v", err)
				}
			})
			t.Run("a private group is not found by outsiders", func(t *testing.T) {
				p := *g
				p.ID, p.Slug, p.Name, p.Visibility = 0, "private-circle", "Private Circle", hearth.Private
				if err := a.CreateGroup(ctx, orgAdmin, org.Slug, &p); err != nil {
					t.Fatal(err)
				}
				if _, err := a.Group(ctx, roles(member), p.Slug); hearth.ErrorKind(err) != hearth.NotFound {
					t.Fatalf("outsider saw it: %v", err)
				}
				if _, err := a.Group(ctx, orgAdmin, p.Slug); err != nil {
					t.Fatalf("its admin could not: %v", err)
				}
			})
			t.Run("the demo never loads over existing data", func(t *testing.T) {
				loaded, err := a.LoadDemo(ctx)
				if err != nil || loaded {
					t.Fatalf("loaded=%v err=%v", loaded, err)
				}
			})
		})
	}
}

func mustSession(t *testing.T, a interface {
	StartSession(context.Context, int64) (string, time.Time, error)
}, id int64) string {
	t.Helper()
	tok, _, err := a.StartSession(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}
