package app

import (
	"bytes"
	"context"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/password"
	"github.com/hearth-org/hearth/internal/sqldb"
	"github.com/hearth-org/hearth/internal/sqldb/sqldbtest"
	"github.com/hearth-org/hearth/internal/vault"
)

// syncBuffer is a log sink safe for concurrent writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

type resetFixture struct {
	t        *testing.T
	a        *App
	ctx      context.Context
	clock    *boardClock
	logs     *syncBuffer
	recovery *hearth.Group // of one organization
	health   *hearth.Group // of another
}

func newResetFixture(t *testing.T, e sqldb.Engine) *resetFixture {
	t.Helper()
	clock := &boardClock{t: time.Date(2026, 11, 30, 15, 0, 0, 0, time.UTC)}
	db := sqldbtest.Open(t, e, sqldbtest.Options{Now: clock.now})
	v, _, err := vault.OpenFile(context.Background(), db, filepath.Join(t.TempDir(), "master.key"), true, vault.Options{})
	if err != nil {
		t.Fatal(err)
	}
	logs := &syncBuffer{}
	a, err := New(Config{DB: db, Vault: v, Now: clock.now, BaseURL: "https://hearth.example.org", StaffSecondFactor: true,
		Logger:         slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		PasswordParams: password.Params{Memory: 1024, Time: 1, Threads: 1}})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if ok, err := a.LoadDemo(ctx); !ok || err != nil {
		t.Fatalf("demo: %v %v", ok, err)
	}
	f := &resetFixture{t: t, a: a, ctx: ctx, clock: clock, logs: logs}
	if f.recovery, err = db.GroupBySlug(ctx, "gamblers-in-recovery-houston"); err != nil {
		t.Fatal(err)
	}
	if f.health, err = db.GroupBySlug(ctx, "breast-cancer-circle-austin"); err != nil {
		t.Fatal(err)
	}
	if f.recovery.OrgID == f.health.OrgID {
		t.Fatal("the two groups belong to one organization")
	}
	return f
}

// person makes an account with an email, a membership of each group given
// (role), and a second factor turned on; it returns the person and the
// actor of a sign-in that passed it, with their roles.
func (f *resetFixture) person(handle string, in map[*hearth.Group]hearth.Role) (*hearth.User, hearth.Actor) {
	f.t.Helper()
	u, _, err := f.a.CreateUser(f.ctx, handle, handle+"@example.org", "a long enough password", false)
	if err != nil {
		f.t.Fatal(err)
	}
	for g, role := range in {
		m := &hearth.Membership{GroupID: g.ID, UserID: u.ID, Role: role, Status: hearth.StatusActive, Pseudonym: "P " + handle}
		if err := f.a.db.CreateMembership(f.ctx, m); err != nil {
			f.t.Fatal(err)
		}
	}
	return u, f.actor(u)
}

func (f *resetFixture) actor(u *hearth.User) hearth.Actor {
	f.t.Helper()
	u, err := f.a.db.User(f.ctx, u.ID)
	if err != nil {
		f.t.Fatal(err)
	}
	a, err := f.a.db.Roles(f.ctx, u)
	if err != nil {
		f.t.Fatal(err)
	}
	a.SecondFactor = true
	return a
}

// turnOn sets up a TOTP second factor, a session and an API token for the
// person.
func (f *resetFixture) turnOn(u *hearth.User) {
	f.t.Helper()
	act := hearth.Actor{UserID: u.ID, Handle: u.Handle}
	setup, err := f.a.BeginTOTP(f.ctx, act)
	if err != nil {
		f.t.Fatal(err)
	}
	code, _ := TOTPCode(setup.Secret, f.clock.now())
	session, _, err := f.a.StartSessionWith(f.ctx, u.ID, SessionStart{})
	if err != nil {
		f.t.Fatal(err)
	}
	if _, err := f.a.ConfirmTOTP(f.ctx, act, code, session); err != nil {
		f.t.Fatal(err)
	}
	act.SecondFactor = true
	if _, _, err := f.a.CreateToken(f.ctx, act, "script"); err != nil {
		f.t.Fatal(err)
	}
}

func (f *resetFixture) orgAdmin(handle string, org int64) hearth.Actor {
	f.t.Helper()
	u, _ := f.person(handle, nil)
	if err := f.a.db.AddOrgAdmin(f.ctx, org, u.ID); err != nil {
		f.t.Fatal(err)
	}
	return f.actor(u)
}

func TestFactorResetRules(t *testing.T) {
	for _, e := range sqldbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			f := newResetFixture(t, e)
			ctx := f.ctx
			site := f.actor(mustUser(t, f.a, "site-keeper", true))
			recAdmin := f.orgAdmin("rec-admin", f.recovery.OrgID)
			healthAdmin := f.orgAdmin("health-admin", f.health.OrgID)
			lead, _ := f.person("rec-lead", map[*hearth.Group]hearth.Role{f.recovery: hearth.RoleFacilitator})
			member, memberActor := f.person("rec-member", map[*hearth.Group]hearth.Role{f.recovery: hearth.RoleMember})
			healthOnly, _ := f.person("health-only", map[*hearth.Group]hearth.Role{f.health: hearth.RoleMember})
			twoOrgLead, _ := f.person("two-org-lead", map[*hearth.Group]hearth.Role{f.recovery: hearth.RoleMember, f.health: hearth.RoleFacilitator})
			adminMember, _ := f.person("admin-member", map[*hearth.Group]hearth.Role{f.recovery: hearth.RoleMember})
			if err := f.a.db.AddOrgAdmin(ctx, f.health.OrgID, adminMember.ID); err != nil {
				t.Fatal(err)
			}
			for _, u := range []*hearth.User{lead, member, healthOnly, twoOrgLead, adminMember} {
				f.turnOn(u)
			}
			const reason = "lost phone and codes; REASON-MARKER-7731"

			refused := []struct {
				name   string
				actor  hearth.Actor
				handle string
				reason string
				want   hearth.Kind
				code   string
			}{
				{"a member", memberActor, "rec-lead", reason, hearth.Forbidden, "forbidden"},
				{"an admin resetting their own", recAdmin, "rec-admin", reason, hearth.Forbidden, "factor_reset_self"},
				{"a site admin resetting their own", site, "site-keeper", reason, hearth.Forbidden, "factor_reset_self"},
				{"an org admin, for someone of another organization only", recAdmin, "health-only", reason, hearth.NotFound, "factor_reset_not_found"},
				{"an org admin of another organization", healthAdmin, "rec-lead", reason, hearth.NotFound, "factor_reset_not_found"},
				{"an org admin, for an admin of another organization in their group", recAdmin, "admin-member", reason, hearth.Forbidden, "factor_reset_admin"},
				{"an org admin, for a lead of another organization's group", recAdmin, "two-org-lead", reason, hearth.Forbidden, "factor_reset_other_org"},
				{"an org admin whose sign-in did not pass their second factor", func() hearth.Actor { a := recAdmin; a.SecondFactor = false; return a }(), "rec-lead", reason, hearth.Forbidden, "second_factor_required"},
				{"staff powers withheld", hearth.Actor{UserID: recAdmin.UserID, StaffWithheld: true}, "rec-lead", reason, hearth.Forbidden, "second_factor_required"},
				{"no reason", recAdmin, "rec-lead", "   ", hearth.Invalid, "invalid"},
				{"a reason too long", recAdmin, "rec-lead", strings.Repeat("x", FactorResetReasonMax+1), hearth.Invalid, "invalid"},
				{"a reason of two lines", recAdmin, "rec-lead", "lost\nphone", hearth.Invalid, "invalid"},
				{"nobody by that handle", site, "nobody-here", reason, hearth.NotFound, "factor_reset_not_found"},
			}
			for _, c := range refused {
				_, err := f.a.ResetSecondFactor(ctx, c.actor, c.handle, c.reason)
				if hearth.ErrorKind(err) != c.want || hearth.AsError(err).Code != c.code {
					t.Errorf("%s: %v, want %s %s", c.name, err, c.want, c.code)
				}
			}
			for _, u := range []*hearth.User{lead, member, healthOnly, twoOrgLead, adminMember} {
				if on, _ := f.a.db.HasSecondFactor(ctx, u.ID); !on {
					t.Fatalf("a refused reset removed the second factor of %s", u.Handle)
				}
			}
			if log, _ := f.a.db.AuditLog(ctx, 0, 0, 100); len(log) != 0 {
				t.Fatalf("refused resets were audited: %+v", log)
			}

			t.Run("an org admin resets their organization's facilitator", func(t *testing.T) {
				done, err := f.a.ResetSecondFactor(ctx, recAdmin, "rec-lead", reason)
				if err != nil {
					t.Fatal(err)
				}
				if done.Sessions != 1 || done.Tokens != 1 {
					t.Fatalf("ended %d sessions and %d tokens, want 1 and 1", done.Sessions, done.Tokens)
				}
				f.checkReset(t, lead, recAdmin.UserID, f.recovery.OrgID, reason)
				info, err := f.a.FactorReset(ctx, recAdmin, "rec-lead")
				if err != nil || info.HasFactor || !info.Staff || len(info.History) != 1 || info.History[0].Reason != reason || info.History[0].By != "rec-admin" {
					t.Fatalf("the page's view: %+v %v", info, err)
				}
			})
			t.Run("an org admin resets their organization's member", func(t *testing.T) {
				if _, err := f.a.ResetSecondFactor(ctx, recAdmin, "rec-member", reason); err != nil {
					t.Fatal(err)
				}
				f.checkReset(t, member, recAdmin.UserID, f.recovery.OrgID, reason)
			})
			t.Run("a site admin resets anyone's, an administrator's too", func(t *testing.T) {
				if _, err := f.a.ResetSecondFactor(ctx, site, "admin-member", reason); err != nil {
					t.Fatal(err)
				}
				f.checkReset(t, adminMember, site.UserID, 0, reason)
			})
			t.Run("erasing the person takes the reset's record with them", func(t *testing.T) {
				if _, err := f.a.EraseAccount(ctx, f.actor(lead), EraseInput{Password: "a long enough password", Addr: "127.0.0.1"}); err != nil {
					t.Fatal(err)
				}
				if r, err := f.a.db.FactorResets(ctx, lead.ID); err != nil || len(r) != 0 {
					t.Fatalf("%d reset records left: %v", len(r), err)
				}
			})
			if strings.Contains(f.logs.String(), "REASON-MARKER") {
				t.Fatal("the reason reached the logs")
			}
		})
	}
}

func mustUser(t *testing.T, a *App, handle string, siteAdmin bool) *hearth.User {
	t.Helper()
	u, _, err := a.CreateUser(context.Background(), handle, "", "a long enough password", siteAdmin)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// checkReset checks what a reset of u's second factor left: no second
// factor or recovery code, no session, no live token, one audit entry and
// its sealed reason, a notice and an email without the reason.
func (f *resetFixture) checkReset(t *testing.T, u *hearth.User, by, org int64, reason string) {
	t.Helper()
	ctx := f.ctx
	if on, _ := f.a.db.HasSecondFactor(ctx, u.ID); on {
		t.Error("the second factor is still on")
	}
	if _, err := f.a.db.SecondFactorOf(ctx, u.ID); hearth.ErrorKind(err) != hearth.NotFound {
		t.Errorf("the secret is still stored: %v", err)
	}
	if n, _ := f.a.db.SecondFactorCodesLeft(ctx, u.ID); n != 0 {
		t.Errorf("%d recovery codes left", n)
	}
	if s, _ := f.a.db.SessionsOf(ctx, u.ID, f.clock.now()); len(s) != 0 {
		t.Errorf("%d sessions left", len(s))
	}
	if tokens, _ := f.a.db.Tokens(ctx, u.ID); len(tokens) != 0 {
		t.Errorf("%d tokens still live", len(tokens))
	}
	log, err := f.a.db.AuditLog(ctx, org, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, e := range log {
		if e.Action == "second_factor.reset" && e.SubjectKind == "user" && e.SubjectID == u.ID && e.ActorID == by && e.OrgID == org {
			found = true
			if strings.Contains(e.Reason, "MARKER") {
				t.Error("the reason's words are in the audit log's plain columns")
			}
		}
	}
	if !found {
		t.Errorf("no audit entry for the reset of %s by %d in org %d: %+v", u.Handle, by, org, log)
	}
	resets, err := f.a.db.FactorResets(ctx, u.ID)
	if err != nil || len(resets) != 1 || bytes.Contains(resets[0].Reason, []byte("MARKER")) {
		t.Fatalf("the reset's record: %+v %v", resets, err)
	}
	notices, err := f.a.db.Notices(ctx, u.ID, 0, 10)
	if err != nil || len(notices) != 1 || notices[0].Kind != NoticeSecondFactorReset {
		t.Fatalf("notices: %+v %v", notices, err)
	}
	mails, err := f.a.db.MailTo(ctx, u.ID, 10)
	if err != nil || len(mails) != 1 {
		t.Fatalf("mails: %d %v", len(mails), err)
	}
	m := mails[0]
	if m.To != u.Email || !strings.Contains(m.Body, "contact your organization") || strings.Contains(m.Body, "MARKER") || strings.Contains(m.Subject+m.Body, "{") {
		t.Fatalf("the email: %s\n%s", m.Subject, m.Body)
	}
}
