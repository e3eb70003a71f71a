package sqldb_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/sqldb"
	"github.com/hearth-org/hearth/internal/sqldb/sqldbtest"
)

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func forEachEngineAt(t *testing.T, fn func(t *testing.T, db *sqldb.DB, c *clock)) {
	for _, e := range sqldbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			c := &clock{t: time.Date(2026, 3, 3, 12, 0, 0, 0, time.UTC)}
			fn(t, sqldbtest.Open(t, e, sqldbtest.Options{Now: c.Now}), c)
		})
	}
}

func newUser(t *testing.T, db *sqldb.DB, handle, email string) *hearth.User {
	t.Helper()
	u := &hearth.User{Handle: handle, Email: email, Locale: "es"}
	if err := db.CreateUser(context.Background(), u, sqldb.Credentials{PasswordHash: "x"}); err != nil {
		t.Fatal(err)
	}
	return u
}

func TestOutbox(t *testing.T) {
	forEachEngineAt(t, func(t *testing.T, db *sqldb.DB, c *clock) {
		ctx := context.Background()
		u := newUser(t, db, "robin", "robin@example.org")
		mail := func(key string) sqldb.OutboxMail {
			return sqldb.OutboxMail{UserID: u.ID, To: u.Email, Kind: "reminder_1h", Locale: "es", Subject: "S " + key, Body: "B " + key, Key: key}
		}

		t.Run("a message enqueued twice with one key is stored once", func(t *testing.T) {
			for range 2 {
				if err := db.InTx(ctx, func(tx *sqldb.Tx) error { return tx.EnqueueMail(ctx, mail("once")) }); err != nil {
					t.Fatal(err)
				}
			}
			list, err := db.MailTo(ctx, u.ID, 10)
			if err != nil || len(list) != 1 || list[0].Status != sqldb.MailPending || list[0].Subject != "S once" {
				t.Fatalf("got %+v, %v", list, err)
			}
		})

		t.Run("a message enqueued in a transaction that rolls back is not stored", func(t *testing.T) {
			boom := errors.New("the change failed")
			err := db.InTx(ctx, func(tx *sqldb.Tx) error {
				if err := tx.EnqueueMail(ctx, mail("rolled-back")); err != nil {
					return err
				}
				return boom
			})
			if !errors.Is(err, boom) {
				t.Fatal(err)
			}
			if _, err := db.MailByKey(ctx, "rolled-back"); hearth.ErrorKind(err) != hearth.NotFound {
				t.Fatalf("the message is there: %v", err)
			}
		})

		t.Run("a claimed message is held by its lease, then claimable again", func(t *testing.T) {
			m, ok, err := db.ClaimMail(ctx, "w1", c.Now(), time.Minute)
			if err != nil || !ok || m.Key != "once" || m.Attempts != 1 || m.Status != sqldb.MailSending || m.LeaseOwner != "w1" {
				t.Fatalf("claim: %+v %v %v", m, ok, err)
			}
			if _, ok, err := db.ClaimMail(ctx, "w2", c.Now().Add(59*time.Second), time.Minute); ok || err != nil {
				t.Fatalf("claimed under a live lease: %v %v", ok, err)
			}
			c.Add(61 * time.Second)
			m2, ok, err := db.ClaimMail(ctx, "w2", c.Now(), time.Minute)
			if err != nil || !ok || m2.ID != m.ID || m2.Attempts != 2 || m2.LeaseOwner != "w2" {
				t.Fatalf("reclaim: %+v %v %v", m2, ok, err)
			}
			t.Run("and the old owner can no longer reschedule it", func(t *testing.T) {
				if err := db.RetryMail(ctx, m.ID, "w1", c.Now(), "late"); err != nil {
					t.Fatal(err)
				}
				got, _ := db.Mail(ctx, m.ID)
				if got.Status != sqldb.MailSending || got.LeaseOwner != "w2" {
					t.Fatalf("got %+v", got)
				}
			})
			if err := db.MarkMailSent(ctx, m.ID, c.Now()); err != nil {
				t.Fatal(err)
			}
			got, _ := db.Mail(ctx, m.ID)
			if got.Status != sqldb.MailSent || !got.SentAt.Equal(c.Now()) || got.LeaseOwner != "" {
				t.Fatalf("got %+v", got)
			}
		})

		t.Run("a retried message waits for its next attempt and keeps the error", func(t *testing.T) {
			if err := db.EnqueueMail(ctx, mail("retry")); err != nil {
				t.Fatal(err)
			}
			m, ok, err := db.ClaimMail(ctx, "w1", c.Now(), time.Minute)
			if err != nil || !ok || m.Key != "retry" {
				t.Fatalf("claim: %+v %v %v", m, ok, err)
			}
			if err := db.RetryMail(ctx, m.ID, "w1", c.Now().Add(5*time.Minute), "SMTP 421"); err != nil {
				t.Fatal(err)
			}
			if _, ok, _ := db.ClaimMail(ctx, "w1", c.Now().Add(4*time.Minute), time.Minute); ok {
				t.Fatal("claimed before its next attempt")
			}
			m, ok, err = db.ClaimMail(ctx, "w1", c.Now().Add(5*time.Minute), time.Minute)
			if err != nil || !ok || m.Attempts != 2 || m.LastError != "SMTP 421" {
				t.Fatalf("claim: %+v %v %v", m, ok, err)
			}
			if err := db.FailMail(ctx, m.ID, "w1", "gave up"); err != nil {
				t.Fatal(err)
			}
			got, _ := db.Mail(ctx, m.ID)
			if got.Status != sqldb.MailFailed || got.LastError != "gave up" {
				t.Fatalf("got %+v", got)
			}
		})

		t.Run("a message past its deadline is dropped, not sent late", func(t *testing.T) {
			m := mail("stale")
			m.NotAfter = c.Now().Add(time.Hour)
			if err := db.EnqueueMail(ctx, m); err != nil {
				t.Fatal(err)
			}
			if _, ok, err := db.ClaimMail(ctx, "w1", c.Now().Add(time.Hour), time.Minute); ok || err != nil {
				t.Fatalf("claimed a stale message: %v %v", ok, err)
			}
			got, err := db.MailByKey(ctx, "stale")
			if err != nil || got.Status != sqldb.MailFailed || got.LastError == "" {
				t.Fatalf("got %+v, %v", got, err)
			}
		})

		t.Run("workers claiming at once each get different messages", func(t *testing.T) {
			const n = 30
			for i := range n {
				if err := db.EnqueueMail(ctx, mail(fmt.Sprintf("race-%d", i))); err != nil {
					t.Fatal(err)
				}
			}
			var mu sync.Mutex
			seen := map[int64]string{}
			var dup atomic.Int32
			var wg sync.WaitGroup
			for w := range 6 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					owner := fmt.Sprintf("worker-%d", w)
					for {
						m, ok, err := db.ClaimMail(ctx, owner, c.Now(), time.Minute)
						if err != nil {
							t.Error(err)
							return
						}
						if !ok {
							return
						}
						mu.Lock()
						if _, was := seen[m.ID]; was {
							dup.Add(1)
						}
						seen[m.ID] = owner
						mu.Unlock()
					}
				}()
			}
			wg.Wait()
			if len(seen) != n || dup.Load() != 0 {
				t.Fatalf("claimed %d distinct of %d, %d twice", len(seen), n, dup.Load())
			}
		})

		t.Run("purging removes only sent and failed messages older than the cutoff", func(t *testing.T) {
			before, _ := db.OutboxCounts(ctx)
			first, _ := db.MailByKey(ctx, "once")
			n, err := db.PurgeMail(ctx, first.CreatedAt)
			if err != nil || n != 0 {
				t.Fatalf("purged %d, %v", n, err)
			}
			n, err = db.PurgeMail(ctx, c.Now().Add(time.Second))
			after, _ := db.OutboxCounts(ctx)
			if err != nil || n != int64(before[sqldb.MailSent]+before[sqldb.MailFailed]) || after[sqldb.MailSent] != 0 || after[sqldb.MailFailed] != 0 ||
				after[sqldb.MailSending] != before[sqldb.MailSending] {
				t.Fatalf("purged %d (%v): before %v, after %v", n, err, before, after)
			}
		})

		t.Run("counts by status", func(t *testing.T) {
			counts, err := db.OutboxCounts(ctx)
			if err != nil || counts[sqldb.MailSent] != 0 || counts[sqldb.MailFailed] != 0 || counts[sqldb.MailSending] != 30 || counts[sqldb.MailPending] != 0 {
				t.Fatalf("got %v, %v", counts, err)
			}
		})
	})
}

func TestNotices(t *testing.T) {
	forEachEngineAt(t, func(t *testing.T, db *sqldb.DB, c *clock) {
		ctx := context.Background()
		u := newUser(t, db, "sam", "")
		other := newUser(t, db, "kim", "kim@example.org")
		add := func(userID int64, kind, key string) bool {
			t.Helper()
			var added bool
			err := db.InTx(ctx, func(tx *sqldb.Tx) error {
				var err error
				added, err = tx.AddNotice(ctx, &sqldb.Notice{UserID: userID, Kind: kind, Key: key, Link: "/groups/x"})
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			return added
		}

		t.Run("a notice added twice with one key is stored once, per person", func(t *testing.T) {
			if !add(u.ID, "seat_confirmed", "k1") || add(u.ID, "seat_confirmed", "k1") {
				t.Fatal("the second add was not a no-op")
			}
			if !add(other.ID, "seat_confirmed", "k1") {
				t.Fatal("another person's notice with the same key was refused")
			}
		})
		c.Add(time.Minute)
		add(u.ID, "meeting_moved", "k2")

		t.Run("notices are listed newest first and counted unread", func(t *testing.T) {
			list, err := db.Notices(ctx, u.ID, 0, 10)
			if err != nil || len(list) != 2 || list[0].Kind != "meeting_moved" || list[1].Kind != "seat_confirmed" {
				t.Fatalf("got %+v, %v", list, err)
			}
			older, err := db.Notices(ctx, u.ID, list[0].ID, 10)
			if err != nil || len(older) != 1 || older[0].ID != list[1].ID {
				t.Fatalf("page: %+v, %v", older, err)
			}
			if n, err := db.UnreadNotices(ctx, u.ID); n != 2 || err != nil {
				t.Fatalf("unread %d, %v", n, err)
			}
		})

		t.Run("marking read touches only that person's notices up to the one seen", func(t *testing.T) {
			list, _ := db.Notices(ctx, u.ID, 0, 10)
			n, err := db.MarkNoticesRead(ctx, u.ID, list[1].ID, c.Now())
			if err != nil || n != 1 {
				t.Fatalf("marked %d, %v", n, err)
			}
			if n, _ := db.UnreadNotices(ctx, u.ID); n != 1 {
				t.Fatalf("unread %d", n)
			}
			if n, _ := db.MarkNoticesRead(ctx, u.ID, 0, c.Now()); n != 1 {
				t.Fatalf("marked %d", n)
			}
			if n, _ := db.UnreadNotices(ctx, other.ID); n != 1 {
				t.Fatalf("the other person's notice was marked: unread %d", n)
			}
		})

		t.Run("the contact read inside a transaction has the email and language", func(t *testing.T) {
			err := db.InTx(ctx, func(tx *sqldb.Tx) error {
				got, err := tx.UserContact(ctx, other.ID)
				if err != nil || got.Email != "kim@example.org" || got.Locale != "es" {
					t.Errorf("got %+v, %v", got, err)
				}
				got, err = tx.UserContact(ctx, u.ID)
				if err != nil || got.Email != "" {
					t.Errorf("got %+v, %v", got, err)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		})

		t.Run("reminder choices default to both and are stored per person", func(t *testing.T) {
			p, err := db.ReminderPrefs(ctx, u.ID)
			if err != nil || p != sqldb.DefaultReminderPrefs {
				t.Fatalf("got %+v, %v", p, err)
			}
			for _, want := range []sqldb.ReminderPrefs{{Before24h: false, Before1h: true}, {Before24h: true, Before1h: false}} {
				if err := db.SetReminderPrefs(ctx, u.ID, want); err != nil {
					t.Fatal(err)
				}
				if got, err := db.ReminderPrefs(ctx, u.ID); got != want || err != nil {
					t.Fatalf("got %+v, want %+v, %v", got, want, err)
				}
			}
			all, err := db.ReminderPrefsOf(ctx, []int64{u.ID, other.ID})
			if err != nil || all[u.ID] != (sqldb.ReminderPrefs{Before24h: true}) || all[other.ID] != sqldb.DefaultReminderPrefs {
				t.Fatalf("got %+v, %v", all, err)
			}
		})
	})
}
