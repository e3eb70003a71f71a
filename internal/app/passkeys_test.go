package app_test

import (
	"context"
	"github.com/hearth-org/hearth/internal/passkeytest"
	"path/filepath"
	"testing"
	"time"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/app"
	"github.com/hearth-org/hearth/internal/password"
	"github.com/hearth-org/hearth/internal/sqldb"
	"github.com/hearth-org/hearth/internal/sqldb/sqldbtest"
	"github.com/hearth-org/hearth/internal/vault"
)

// Passkeys end to end at the use-case level: real ceremonies of the real
// go-webauthn library answered by a software authenticator (softKey), on
// both engines.

const pkOrigin = "https://hearth.example.org"

var pkSite = app.PasskeySite{RPID: "hearth.example.org", Origin: pkOrigin}

type pkWorld struct {
	ctx context.Context
	a   *app.App
	db  *sqldb.DB
}

func newPasskeyWorld(t *testing.T, e sqldb.Engine, staffRule bool) *pkWorld {
	t.Helper()
	db := sqldbtest.Open(t, e, sqldbtest.Options{Now: func() time.Time { return fixedNow }})
	v, _, err := vault.OpenFile(context.Background(), db, filepath.Join(t.TempDir(), "master.key"), true, vault.Options{})
	if err != nil {
		t.Fatal(err)
	}
	a, err := app.New(app.Config{DB: db, Vault: v, Now: func() time.Time { return fixedNow }, StaffSecondFactor: staffRule,
		PasswordParams: password.Params{Memory: 1024, Time: 1, Threads: 1}})
	if err != nil {
		t.Fatal(err)
	}
	return &pkWorld{ctx: context.Background(), a: a, db: db}
}

const pkPassword = "long enough words"

func (w *pkWorld) person(t *testing.T, handle string) hearth.Actor {
	t.Helper()
	u, _, err := w.a.SignUp(w.ctx, hearth.SignUp{Handle: handle, Password: pkPassword, PasswordConfirm: pkPassword}, "10.9.0.1")
	if err != nil {
		t.Fatal(err)
	}
	return hearth.Actor{UserID: u.ID, Handle: u.Handle}
}

// register adds a passkey for the actor with the key, as the security page
// does.
func (w *pkWorld) register(t *testing.T, who hearth.Actor, k *passkeytest.SoftKey, name string) *app.PasskeyView {
	t.Helper()
	ch, err := w.a.BeginPasskeyRegistration(w.ctx, who, pkSite, app.PasskeyReauth{Password: pkPassword, Addr: "10.9.0.2"})
	if err != nil {
		t.Fatalf("begin registration: %v", err)
	}
	v, err := w.a.FinishPasskeyRegistration(w.ctx, who, pkSite, ch.Ceremony, name, k.Create(t, ch.Options), "")
	if err != nil {
		t.Fatalf("finish registration: %v", err)
	}
	return v
}

func code(err error) string {
	if e := hearth.AsError(err); e != nil {
		return e.Code
	}
	if err != nil {
		return err.Error()
	}
	return ""
}

func TestPasskeyRegistrationAndSignIn(t *testing.T) {
	for _, e := range sqldbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			w := newPasskeyWorld(t, e, false)
			ana := w.person(t, "ana-pk")
			key := passkeytest.New(t, pkOrigin, pkSite.RPID)

			t.Run("adding one needs the password", func(t *testing.T) {
				_, err := w.a.BeginPasskeyRegistration(w.ctx, ana, pkSite, app.PasskeyReauth{Password: "not my password", Addr: "10.9.0.2"})
				if hearth.ErrorKind(err) != hearth.Invalid || len(hearth.AsError(err).Fields) != 1 || hearth.AsError(err).Fields[0].Field != "password" {
					t.Fatalf("wrong password: %v", err)
				}
				if list, _ := w.a.Passkeys(w.ctx, ana); len(list) != 0 {
					t.Fatalf("%d passkeys", len(list))
				}
			})

			v := w.register(t, ana, key, "My phone")
			t.Run("it is listed under its name, sealed in the database", func(t *testing.T) {
				list, err := w.a.Passkeys(w.ctx, ana)
				if err != nil || len(list) != 1 || list[0].Name != "My phone" || list[0].ID != v.ID {
					t.Fatalf("list: %v %+v", err, list)
				}
				rows, err := w.db.PasskeysOf(w.ctx, ana.UserID)
				if err != nil || len(rows) != 1 {
					t.Fatal(err)
				}
				if string(rows[0].NameSealed) == "My phone" || len(rows[0].PublicKey) == 0 || rows[0].Flags&0x04 == 0 {
					t.Fatalf("row: %+v", rows[0])
				}
				if err := w.a.RenamePasskey(w.ctx, ana, v.ID, "Laptop"); err != nil {
					t.Fatal(err)
				}
				if list, _ := w.a.Passkeys(w.ctx, ana); list[0].Name != "Laptop" {
					t.Fatalf("renamed: %+v", list)
				}
				if err := w.a.RenamePasskey(w.ctx, ana, v.ID, ""); hearth.ErrorKind(err) != hearth.Invalid {
					t.Fatalf("empty name: %v", err)
				}
			})

			t.Run("the password then asks for the passkey, which signs in", func(t *testing.T) {
				u, pending, err := w.a.SignInStart(w.ctx, "ana-pk", pkPassword, "10.9.0.3")
				if err != nil || u != nil || pending == "" {
					t.Fatalf("password step: %v %v %q", err, u, pending)
				}
				if totp, pk := w.a.PendingFactors(w.ctx, pending); totp || !pk {
					t.Fatalf("factors: totp %v passkeys %v", totp, pk)
				}
				ch, err := w.a.BeginPasskeySignIn(w.ctx, pkSite, pending, "10.9.9.9")
				if err != nil {
					t.Fatal(err)
				}
				got, err := w.a.FinishPasskeySignIn(w.ctx, pkSite, ch.Ceremony, key.Get(t, ch.Options), pending, "10.9.0.3")
				if err != nil || got.ID != ana.UserID {
					t.Fatalf("passkey step: %v %v", err, got)
				}
				if w.a.SignInPending(w.ctx, pending) {
					t.Fatal("the pending sign-in outlived its completion")
				}
				rows, _ := w.db.PasskeysOf(w.ctx, ana.UserID)
				if rows[0].SignCount != key.Counter || rows[0].LastUsed.IsZero() {
					t.Fatalf("counter %d (key %d), last used %v", rows[0].SignCount, key.Counter, rows[0].LastUsed)
				}
			})

			t.Run("without a password, the passkey signs in", func(t *testing.T) {
				ch, err := w.a.BeginPasskeySignIn(w.ctx, pkSite, "", "10.9.9.9")
				if err != nil {
					t.Fatal(err)
				}
				if o := passkeytest.Options(t, ch.Options); o["userVerification"] != "required" || o["allowCredentials"] != nil {
					t.Fatalf("options: %v", o)
				}
				got, err := w.a.FinishPasskeySignIn(w.ctx, pkSite, ch.Ceremony, key.Get(t, ch.Options), "", "10.9.0.4")
				if err != nil || got.ID != ana.UserID {
					t.Fatalf("passwordless: %v %v", err, got)
				}
			})

			t.Run("a challenge is used once", func(t *testing.T) {
				ch, _ := w.a.BeginPasskeySignIn(w.ctx, pkSite, "", "10.9.9.9")
				answer := key.Get(t, ch.Options)
				if _, err := w.a.FinishPasskeySignIn(w.ctx, pkSite, ch.Ceremony, answer, "", "10.9.0.5"); err != nil {
					t.Fatal(err)
				}
				if _, err := w.a.FinishPasskeySignIn(w.ctx, pkSite, ch.Ceremony, answer, "", "10.9.0.5"); code(err) != "passkey_expired" {
					t.Fatalf("replayed: %v", err)
				}
				// The same answer to a new challenge: its signature covers the old one.
				ch2, _ := w.a.BeginPasskeySignIn(w.ctx, pkSite, "", "10.9.9.9")
				if _, err := w.a.FinishPasskeySignIn(w.ctx, pkSite, ch2.Ceremony, answer, "", "10.9.0.5"); code(err) != "passkey_failed" {
					t.Fatalf("replayed into a new challenge: %v", err)
				}
			})

			t.Run("a challenge expires", func(t *testing.T) {
				// The clock is fixed; the expiry is checked against it, so
				// a ceremony saved already expired is refused.
				ch, _ := w.a.BeginPasskeySignIn(w.ctx, pkSite, "", "10.9.9.9")
				if _, err := w.db.TakePasskeyCeremony(w.ctx, "no such hash", fixedNow); hearth.ErrorKind(err) != hearth.NotFound {
					t.Fatalf("unknown ceremony: %v", err)
				}
				if _, err := w.a.FinishPasskeySignIn(w.ctx, pkSite, ch.Ceremony+"x", key.Get(t, ch.Options), "", "10.9.0.5"); code(err) != "passkey_expired" {
					t.Fatalf("wrong token: %v", err)
				}
			})

			t.Run("an answer from another origin is refused", func(t *testing.T) {
				evil := *key
				evil.Origin = "https://hearth.example.org.evil.test"
				ch, _ := w.a.BeginPasskeySignIn(w.ctx, pkSite, "", "10.9.9.9")
				if _, err := w.a.FinishPasskeySignIn(w.ctx, pkSite, ch.Ceremony, evil.Get(t, ch.Options), "", "10.9.0.6"); code(err) != "passkey_failed" {
					t.Fatalf("wrong origin: %v", err)
				}
				otherRP := *key
				otherRP.RPID = "evil.test"
				ch, _ = w.a.BeginPasskeySignIn(w.ctx, pkSite, "", "10.9.9.9")
				if _, err := w.a.FinishPasskeySignIn(w.ctx, pkSite, ch.Ceremony, otherRP.Get(t, ch.Options), "", "10.9.0.6"); code(err) != "passkey_failed" {
					t.Fatalf("wrong RP ID: %v", err)
				}
				// Registration too.
				k2 := passkeytest.New(t, "https://evil.test", pkSite.RPID)
				reg, err := w.a.BeginPasskeyRegistration(w.ctx, ana, pkSite, app.PasskeyReauth{Password: pkPassword, Addr: "10.9.0.6"})
				if err != nil {
					t.Fatal(err)
				}
				if _, err := w.a.FinishPasskeyRegistration(w.ctx, ana, pkSite, reg.Ceremony, "Evil", k2.Create(t, reg.Options), ""); code(err) != "passkey_refused" {
					t.Fatalf("registration from another origin: %v", err)
				}
				key.Counter = max(key.Counter, evil.Counter, otherRP.Counter)
			})

			t.Run("a counter going backwards (a copied authenticator) is refused", func(t *testing.T) {
				before, _ := w.db.PasskeysOf(w.ctx, ana.UserID)
				ch, _ := w.a.BeginPasskeySignIn(w.ctx, pkSite, "", "10.9.9.9")
				if _, err := w.a.FinishPasskeySignIn(w.ctx, pkSite, ch.Ceremony, key.GetAt(t, ch.Options, 1), "", "10.9.0.7"); code(err) != "passkey_cloned" {
					t.Fatalf("counter 1 after %d: %v", before[0].SignCount, err)
				}
				ch, _ = w.a.BeginPasskeySignIn(w.ctx, pkSite, "", "10.9.9.9")
				if _, err := w.a.FinishPasskeySignIn(w.ctx, pkSite, ch.Ceremony, key.GetAt(t, ch.Options, before[0].SignCount), "", "10.9.0.7"); code(err) != "passkey_cloned" {
					t.Fatalf("the same counter again: %v", err)
				}
				rows, _ := w.db.PasskeysOf(w.ctx, ana.UserID)
				if rows[0].SignCount != before[0].SignCount || before[0].SignCount < 2 {
					t.Fatalf("the stored counter moved: %d, was %d", rows[0].SignCount, before[0].SignCount)
				}
				ch, _ = w.a.BeginPasskeySignIn(w.ctx, pkSite, "", "10.9.9.9")
				if _, err := w.a.FinishPasskeySignIn(w.ctx, pkSite, ch.Ceremony, key.Get(t, ch.Options), "", "10.9.0.7"); err != nil {
					t.Fatalf("the real authenticator afterwards: %v", err)
				}
			})

			t.Run("someone else's passkey is refused", func(t *testing.T) {
				ben := w.person(t, "ben-pk")
				benKey := passkeytest.New(t, pkOrigin, pkSite.RPID)
				w.register(t, ben, benKey, "Ben's key")
				// Ben's password, then Ana's passkey.
				_, pending, err := w.a.SignInStart(w.ctx, "ben-pk", pkPassword, "10.9.0.8")
				if err != nil || pending == "" {
					t.Fatal(err)
				}
				ch, _ := w.a.BeginPasskeySignIn(w.ctx, pkSite, pending, "10.9.9.9")
				if _, err := w.a.FinishPasskeySignIn(w.ctx, pkSite, ch.Ceremony, key.Get(t, ch.Options), pending, "10.9.0.8"); code(err) != "passkey_failed" {
					t.Fatalf("Ana's passkey for Ben's sign-in: %v", err)
				}
				// Ana's passkey claiming to be Ben's account.
				forged := *key
				forged.UserHandle = benKey.UserHandle
				ch, _ = w.a.BeginPasskeySignIn(w.ctx, pkSite, "", "10.9.9.9")
				if _, err := w.a.FinishPasskeySignIn(w.ctx, pkSite, ch.Ceremony, forged.Get(t, ch.Options), "", "10.9.0.8"); code(err) != "passkey_failed" {
					t.Fatalf("a user handle that is not the passkey's: %v", err)
				}
				key.Counter = forged.Counter
				// Ben may not rename or remove Ana's.
				if err := w.a.RenamePasskey(w.ctx, ben, v.ID, "Mine now"); hearth.ErrorKind(err) != hearth.NotFound {
					t.Fatalf("rename someone else's: %v", err)
				}
				if err := w.a.RemovePasskey(w.ctx, ben, v.ID); hearth.ErrorKind(err) != hearth.NotFound {
					t.Fatalf("remove someone else's: %v", err)
				}
				// Registering Ana's credential again, for Ben, is refused.
				reg, _ := w.a.BeginPasskeyRegistration(w.ctx, ben, pkSite, app.PasskeyReauth{Password: pkPassword, Addr: "10.9.0.8"})
				if _, err := w.a.FinishPasskeyRegistration(w.ctx, ben, pkSite, reg.Ceremony, "Copy", key.Create(t, reg.Options), ""); hearth.ErrorKind(err) != hearth.Conflict {
					t.Fatalf("someone else's credential registered: %v", err)
				}
				// A registration ceremony of Ana's cannot be finished by Ben.
				reg, _ = w.a.BeginPasskeyRegistration(w.ctx, ana, pkSite, app.PasskeyReauth{Password: pkPassword, Addr: "10.9.0.8"})
				if _, err := w.a.FinishPasskeyRegistration(w.ctx, ben, pkSite, reg.Ceremony, "Theirs", passkeytest.New(t, pkOrigin, pkSite.RPID).Create(t, reg.Options), ""); code(err) != "passkey_expired" {
					t.Fatalf("another person's ceremony: %v", err)
				}
			})

			t.Run("removing the last passkey: the password alone signs in again", func(t *testing.T) {
				if err := w.a.RemovePasskey(w.ctx, ana, v.ID); err != nil {
					t.Fatal(err)
				}
				u, pending, err := w.a.SignInStart(w.ctx, "ana-pk", pkPassword, "10.9.0.9")
				if err != nil || u == nil || pending != "" {
					t.Fatalf("password: %v %v %q", err, u, pending)
				}
				ch, _ := w.a.BeginPasskeySignIn(w.ctx, pkSite, "", "10.9.9.9")
				if _, err := w.a.FinishPasskeySignIn(w.ctx, pkSite, ch.Ceremony, key.Get(t, ch.Options), "", "10.9.0.9"); code(err) != "passkey_failed" {
					t.Fatalf("a removed passkey signed in: %v", err)
				}
			})

			t.Run("adding, removing and a copied authenticator are in the audit log", func(t *testing.T) {
				entries, err := w.db.AuditLog(w.ctx, 0, 0, 100)
				if err != nil {
					t.Fatal(err)
				}
				seen := map[string]int{}
				for _, e := range entries {
					if e.ActorID == ana.UserID && e.SubjectID == ana.UserID {
						seen[e.Action]++
					}
				}
				if seen["passkey.added"] != 1 || seen["passkey.removed"] != 1 || seen["passkey.counter_refused"] != 2 {
					t.Fatalf("audit: %v", seen)
				}
			})
		})
	}
}

func TestPasskeySatisfiesTheStaffRule(t *testing.T) {
	for _, e := range sqldbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			w := newPasskeyWorld(t, e, true)
			admin := w.person(t, "admin-pk")
			if err := w.db.SetSiteAdmin(w.ctx, admin.UserID, true); err != nil {
				t.Fatal(err)
			}
			admin.SiteAdmin = true
			key := passkeytest.New(t, pkOrigin, pkSite.RPID)
			w.register(t, admin, key, "Security key")

			ch, err := w.a.BeginPasskeySignIn(w.ctx, pkSite, "", "10.9.9.9")
			if err != nil {
				t.Fatal(err)
			}
			u, err := w.a.FinishPasskeySignIn(w.ctx, pkSite, ch.Ceremony, key.Get(t, ch.Options), "", "10.9.1.1")
			if err != nil {
				t.Fatal(err)
			}
			token, _, err := w.a.StartSessionWith(w.ctx, u.ID, app.SessionStart{SecondFactor: true})
			if err != nil {
				t.Fatal(err)
			}
			actor, _, err := w.a.SessionActor(w.ctx, token)
			if err != nil || !actor.SiteAdmin || actor.StaffWithheld {
				t.Fatalf("passkey session: %v site admin %v withheld %v", err, actor.SiteAdmin, actor.StaffWithheld)
			}
			// A password-only session of the same admin is withheld.
			plain, _, _ := w.a.StartSession(w.ctx, u.ID)
			if a2, _, _ := w.a.SessionActor(w.ctx, plain); !a2.StaffWithheld {
				t.Fatal("a session without a second factor has staff powers")
			}
			// The password alone does not sign the admin in.
			if u, pending, err := w.a.SignInStart(w.ctx, "admin-pk", pkPassword, "10.9.1.2"); err != nil || u != nil || pending == "" {
				t.Fatalf("password alone: %v %v", err, u)
			}
			// The only passkey cannot be removed.
			list, _ := w.a.Passkeys(w.ctx, actor)
			if err := w.a.RemovePasskey(w.ctx, actor, list[0].ID); code(err) != "last_factor" {
				t.Fatalf("the last factor removed: %v", err)
			}
			if n, _ := w.db.PasskeyCount(w.ctx, admin.UserID); n != 1 {
				t.Fatalf("%d passkeys left", n)
			}
			// With a second passkey, one may go.
			w.register(t, actor, passkeytest.New(t, pkOrigin, pkSite.RPID), "Spare key")
			if err := w.a.RemovePasskey(w.ctx, actor, list[0].ID); err != nil {
				t.Fatalf("with another passkey: %v", err)
			}
		})
	}
}

// Staff under the rule cannot turn TOTP off while it is their only second
// factor (no recovery code is spent on the refusal); with a passkey they can.
func TestStaffKeepASecondFactorWhenTurningTOTPOff(t *testing.T) {
	w := newPasskeyWorld(t, sqldb.SQLite, true)
	admin := w.person(t, "admin-totp")
	if err := w.db.SetSiteAdmin(w.ctx, admin.UserID, true); err != nil {
		t.Fatal(err)
	}
	admin.SiteAdmin = true
	setup, err := w.a.BeginTOTP(w.ctx, admin)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := app.TOTPCode(setup.Secret, fixedNow)
	codes, err := w.a.ConfirmTOTP(w.ctx, admin, c, "")
	if err != nil {
		t.Fatal(err)
	}
	admin.SecondFactor = true
	if err := w.a.DisableTOTP(w.ctx, admin, codes[0]); code(err) != "last_factor" {
		t.Fatalf("the only factor turned off: %v", err)
	}
	if st, _ := w.a.SecondFactor(w.ctx, admin); !st.On || st.CodesLeft != app.RecoveryCodeCount {
		t.Fatalf("after the refusal: on %v, %d codes left", st.On, st.CodesLeft)
	}
	w.register(t, admin, passkeytest.New(t, pkOrigin, pkSite.RPID), "Key")
	if err := w.a.DisableTOTP(w.ctx, admin, codes[0]); err != nil {
		t.Fatalf("with a passkey: %v", err)
	}
	// The password then asks for the passkey.
	if u, pending, err := w.a.SignInStart(w.ctx, "admin-totp", pkPassword, "10.9.2.1"); err != nil || u != nil || pending == "" {
		t.Fatalf("password: %v %v", err, u)
	}
}
