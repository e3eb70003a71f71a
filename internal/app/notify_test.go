package app

import (
	"context"
	"errors"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/mail"
	"github.com/hearth-org/hearth/internal/password"
	"github.com/hearth-org/hearth/internal/sqldb"
	"github.com/hearth-org/hearth/internal/sqldb/sqldbtest"
	"github.com/hearth-org/hearth/internal/vault"
)

var notifyNow = time.Date(2026, 11, 24, 15, 0, 0, 0, time.UTC)

// notifyApp is an App over a fresh database with the demo directory, and
// (when withMail) a delivery worker configured but not running.
func notifyApp(t *testing.T, e sqldb.Engine, withMail bool) *App {
	t.Helper()
	now := func() time.Time { return notifyNow }
	db := sqldbtest.Open(t, e, sqldbtest.Options{Now: now})
	v, _, err := vault.OpenFile(context.Background(), db, filepath.Join(t.TempDir(), "master.key"), true, vault.Options{})
	if err != nil {
		t.Fatal(err)
	}
	c := Config{DB: db, Vault: v, Now: now, BaseURL: "https://hearth.example.org", PasswordParams: password.Params{Memory: 1024, Time: 1, Threads: 1}}
	if withMail {
		s, err := mail.ParseSMTPURL("smtp://127.0.0.1:2525?from=hearth@example.org")
		if err != nil {
			t.Fatal(err)
		}
		c.Mailer = mail.NewWorker(mail.WorkerConfig{DB: db, SMTP: s})
	}
	a, err := New(c)
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := a.LoadDemo(context.Background()); !ok || err != nil {
		t.Fatalf("demo: %v %v", ok, err)
	}
	return a
}

func TestNotify(t *testing.T) {
	for _, engine := range sqldbtest.Engines() {
		t.Run(string(engine), func(t *testing.T) {
			ctx := context.Background()
			a := notifyApp(t, engine, true)
			g, err := a.db.GroupBySlug(ctx, "gamblers-in-recovery-houston")
			if err != nil {
				t.Fatal(err)
			}
			const marker = "Zq-written-by-a-member-77"
			person := func(handle, email, locale string) *hearth.User {
				u, _, err := a.CreateUser(ctx, handle, email, "a long enough password", false)
				if err != nil {
					t.Fatal(err)
				}
				if locale != "" {
					if err := a.db.SetPreferences(ctx, u.ID, locale, "Europe/Madrid"); err != nil {
						t.Fatal(err)
					}
				}
				// What a member wrote: here, the name they chose in the group.
				m := &hearth.Membership{GroupID: g.ID, UserID: u.ID, Role: hearth.RoleMember, Status: hearth.StatusActive, Pseudonym: marker + " " + handle}
				if err := a.db.CreateMembership(ctx, m); err != nil {
					t.Fatal(err)
				}
				return u
			}
			ana := person("ana", "ana@example.org", "es")
			ben := person("ben", "ben@example.org", "en")
			noEmail := person("cal", "", "")
			meeting := notifyNow.Add(26 * time.Hour)

			notice := func(u *hearth.User, kind, key string) Notice {
				n := Notice{UserID: u.ID, Kind: kind, GroupID: g.ID, Key: key, Link: "/groups/" + g.Slug}
				if mail.Timed(kind) {
					n.At = meeting
				}
				return n
			}

			t.Run("every kind's email names no group and carries nothing a member wrote, in both languages", func(t *testing.T) {
				for _, u := range []*hearth.User{ana, ben} {
					for _, kind := range mail.Kinds {
						if err := a.Notify(ctx, notice(u, kind, "all:"+kind)); err != nil {
							t.Fatalf("%s: %v", kind, err)
						}
					}
					sent, err := a.db.MailTo(ctx, u.ID, 100)
					if err != nil || len(sent) != len(mail.Kinds) {
						t.Fatalf("%d emails, %v", len(sent), err)
					}
					forbidden := []string{g.Name, g.Slug, "Gamblers", "Heights", marker, "/groups/"}
					for _, m := range sent {
						text := strings.ToLower(m.Subject + "\n" + m.Body)
						for _, f := range forbidden {
							if strings.Contains(text, strings.ToLower(f)) {
								t.Errorf("%s email to %s contains %q:\n%s\n%s", m.Kind, u.Handle, f, m.Subject, m.Body)
							}
						}
						if !strings.Contains(m.Body, "https://hearth.example.org/notices") || m.To != u.Email {
							t.Errorf("%s email: to %s, body\n%s", m.Kind, m.To, m.Body)
						}
						wantNotAfter := notifyNow.Add(7 * 24 * time.Hour)
						if mail.Timed(m.Kind) {
							wantNotAfter = meeting
						}
						if !m.NotAfter.Equal(wantNotAfter) {
							t.Errorf("%s email expires %v, want %v", m.Kind, m.NotAfter, wantNotAfter)
						}
					}
					if u == ana && !strings.Contains(sent[0].Subject, "Hearth: ") || (u == ana && !strings.Contains(sent[0].Body, "Hola")) {
						t.Errorf("not in Spanish: %s", sent[0].Body)
					}
				}
			})

			t.Run("the in-app notice names the group and keeps the link", func(t *testing.T) {
				list, more, err := a.MyNotices(ctx, hearth.Actor{UserID: ben.ID}, 0)
				if err != nil || more || len(list) != len(mail.Kinds) {
					t.Fatalf("%d notices (more %v), %v", len(list), more, err)
				}
				if list[0].GroupName != g.Name || list[0].Link != "/groups/"+g.Slug || list[0].Kind != mail.Kinds[len(mail.Kinds)-1] {
					t.Fatalf("newest: %+v", list[0])
				}
				if n, _ := a.UnreadNotices(ctx, hearth.Actor{UserID: ben.ID}); n != len(mail.Kinds) {
					t.Fatalf("unread %d", n)
				}
			})

			t.Run("the same key twice makes one notice and one email", func(t *testing.T) {
				before, _ := a.db.MailTo(ctx, ben.ID, 100)
				for range 2 {
					if err := a.Notify(ctx, notice(ben, NoticeReminder1h, "occ:9:1h")); err != nil {
						t.Fatal(err)
					}
				}
				after, _ := a.db.MailTo(ctx, ben.ID, 100)
				if len(after) != len(before)+1 {
					t.Fatalf("%d new emails", len(after)-len(before))
				}
			})

			t.Run("a notice in a transaction that rolls back leaves nothing", func(t *testing.T) {
				boom := errors.New("the change failed")
				err := a.db.InTx(ctx, func(tx *sqldb.Tx) error {
					if err := a.notify(ctx, tx, notice(ben, NoticeSeatConfirmed, "rolled-back")); err != nil {
						return err
					}
					return boom
				})
				if !errors.Is(err, boom) {
					t.Fatal(err)
				}
				if _, err := a.db.MailByKey(ctx, "notice:"+itoa(ben.ID)+":rolled-back"); hearth.ErrorKind(err) != hearth.NotFound {
					t.Fatalf("the email is queued: %v", err)
				}
				list, _, _ := a.MyNotices(ctx, hearth.Actor{UserID: ben.ID}, 0)
				for _, n := range list {
					if n.Key == "rolled-back" {
						t.Fatal("the notice is stored")
					}
				}
			})

			t.Run("a person without email gets the notice and no email", func(t *testing.T) {
				if err := a.Notify(ctx, notice(noEmail, NoticeApplicationApproved, "k")); err != nil {
					t.Fatal(err)
				}
				if n, _ := a.UnreadNotices(ctx, hearth.Actor{UserID: noEmail.ID}); n != 1 {
					t.Fatalf("unread %d", n)
				}
				if sent, _ := a.db.MailTo(ctx, noEmail.ID, 10); len(sent) != 0 {
					t.Fatalf("%d emails", len(sent))
				}
				s, err := a.MyReminders(ctx, hearth.Actor{UserID: noEmail.ID})
				if err != nil || s.Active || s.OffReason != RemindersOffNoEmail {
					t.Fatalf("got %+v, %v", s, err)
				}
			})

			t.Run("a reminder the person turned off is a notice without an email", func(t *testing.T) {
				s, err := a.SetMyReminders(ctx, hearth.Actor{UserID: ana.ID}, ReminderPrefs{Before24h: true, Before1h: false})
				if err != nil || !s.Active || s.Before1h || !s.Before24h {
					t.Fatalf("got %+v, %v", s, err)
				}
				if p, err := a.ReminderPrefs(ctx, ana.ID); err != nil || p != (ReminderPrefs{Before24h: true}) {
					t.Fatalf("got %+v, %v", p, err)
				}
				before, _ := a.db.MailTo(ctx, ana.ID, 100)
				if err := a.Notify(ctx, notice(ana, NoticeReminder1h, "off:1h")); err != nil {
					t.Fatal(err)
				}
				if err := a.Notify(ctx, notice(ana, NoticeReminder24h, "on:24h")); err != nil {
					t.Fatal(err)
				}
				after, _ := a.db.MailTo(ctx, ana.ID, 100)
				if len(after) != len(before)+1 || after[0].Kind != NoticeReminder24h {
					t.Fatalf("%d new emails", len(after)-len(before))
				}
			})

			t.Run("for someone who chose no time zone the email gives the group's", func(t *testing.T) {
				eve := person("eve", "eve@example.org", "")
				if err := a.Notify(ctx, notice(eve, NoticeReminder24h, "zone")); err != nil {
					t.Fatal(err)
				}
				sent, err := a.db.MailTo(ctx, eve.ID, 1)
				loc, _ := time.LoadLocation(g.Location.TimeZone)
				if err != nil || len(sent) != 1 || !strings.Contains(sent[0].Body, meeting.In(loc).Format("3:04 PM MST")) {
					t.Fatalf("%v: %+v", err, sent)
				}
			})

			t.Run("a notice about a moment already past gets no email", func(t *testing.T) {
				n := notice(ben, NoticeMeetingCancelled, "past")
				n.At = notifyNow.Add(-time.Hour)
				if err := a.Notify(ctx, n); err != nil {
					t.Fatal(err)
				}
				if _, err := a.db.MailByKey(ctx, "notice:"+itoa(ben.ID)+":past"); hearth.ErrorKind(err) != hearth.NotFound {
					t.Fatalf("an email was queued: %v", err)
				}
			})

			t.Run("marking read clears the count", func(t *testing.T) {
				n, err := a.MarkNoticesRead(ctx, hearth.Actor{UserID: ben.ID}, 0)
				if err != nil || n == 0 {
					t.Fatalf("marked %d, %v", n, err)
				}
				if n, _ := a.UnreadNotices(ctx, hearth.Actor{UserID: ben.ID}); n != 0 {
					t.Fatalf("unread %d", n)
				}
			})

			t.Run("a notice built wrongly is refused and stores nothing", func(t *testing.T) {
				bad := []Notice{
					{UserID: ben.ID, Kind: "gossip", Key: "k"},
					{UserID: ben.ID, Kind: NoticeSeatConfirmed},
					{Kind: NoticeSeatConfirmed, Key: "k"},
					{UserID: ben.ID, Kind: NoticeReminder1h, Key: "no-time"},
					{UserID: ben.ID, Kind: NoticeSeatConfirmed, Key: "k2", Link: "https://evil.example/"},
					{UserID: ben.ID, Kind: NoticeSeatConfirmed, Key: "k3", Link: "//evil.example/"},
				}
				for _, n := range bad {
					if err := a.Notify(ctx, n); err == nil {
						t.Errorf("accepted %+v", n)
					}
				}
			})

			t.Run("without a mail server reminders are off and mail is still queued", func(t *testing.T) {
				b := notifyApp(t, engine, false)
				u, _, err := b.CreateUser(ctx, "dee", "dee@example.org", "a long enough password", false)
				if err != nil {
					t.Fatal(err)
				}
				s, err := b.MyReminders(ctx, hearth.Actor{UserID: u.ID})
				if err != nil || s.Active || s.OffReason != RemindersOffNoMailServer || b.RemindersEnabled() {
					t.Fatalf("got %+v, %v", s, err)
				}
				if err := b.Notify(ctx, Notice{UserID: u.ID, Kind: NoticeWaitlistJoined, Key: "w"}); err != nil {
					t.Fatal(err)
				}
				if sent, _ := b.db.MailTo(ctx, u.ID, 10); len(sent) != 1 || sent[0].Status != sqldb.MailPending {
					t.Fatalf("got %+v", sent)
				}
			})
		})
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
