package mail

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/sqldb"
	"github.com/hearth-org/hearth/internal/sqldb/sqldbtest"
)

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

// env is one engine's database with an account, a clock and a loopback
// SMTP server.
type env struct {
	db    *sqldb.DB
	clock *clock
	srv   *testServer
	user  *hearth.User
	smtp  *SMTP
}

func forEachEngine(t *testing.T, o serverOpts, fn func(t *testing.T, e *env)) {
	for _, engine := range sqldbtest.Engines() {
		t.Run(string(engine), func(t *testing.T) {
			c := &clock{t: time.Date(2026, 3, 3, 12, 0, 0, 0, time.UTC)}
			db := sqldbtest.Open(t, engine, sqldbtest.Options{Now: c.Now})
			u := &hearth.User{Handle: "robin", Email: "robin@example.org", Locale: "es"}
			if err := db.CreateUser(context.Background(), u, sqldb.Credentials{PasswordHash: "x"}); err != nil {
				t.Fatal(err)
			}
			srv := startServer(t, o)
			s, err := ParseSMTPURL("smtp://" + srv.addr + "?from=" + url.QueryEscape("Hearth <hearth@example.org>") + "&timeout=5s")
			if err != nil {
				t.Fatal(err)
			}
			fn(t, &env{db: db, clock: c, srv: srv, user: u, smtp: s})
		})
	}
}

func (e *env) worker(owner string) *Worker {
	return NewWorker(WorkerConfig{DB: e.db, SMTP: e.smtp, Now: e.clock.Now, Owner: owner, BaseURL: "https://hearth.example.org",
		Lease: time.Minute, Backoff: time.Minute, MaxBackoff: time.Hour, MaxAttempts: 4})
}

func (e *env) enqueue(t *testing.T, key string) *sqldb.OutboxMail {
	t.Helper()
	ctx := context.Background()
	err := e.db.EnqueueMail(ctx, sqldb.OutboxMail{UserID: e.user.ID, To: e.user.Email, Kind: Reminder1h, Locale: "es",
		Subject: "Hearth: recordatorio de una reunión en una hora", Body: "Hola:\n\nUna reunión empieza pronto. ¿Vienes?\n" + key + "\n", Key: key})
	if err != nil {
		t.Fatal(err)
	}
	m, err := e.db.MailByKey(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func (e *env) status(t *testing.T, id int64) *sqldb.OutboxMail {
	t.Helper()
	m, err := e.db.Mail(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestDelivery(t *testing.T) {
	forEachEngine(t, serverOpts{}, func(t *testing.T, e *env) {
		ctx := context.Background()
		w := e.worker("w1")

		t.Run("a message is delivered once, with its headers and body", func(t *testing.T) {
			m := e.enqueue(t, "first")
			n, err := w.DeliverDue(ctx)
			if err != nil || n != 1 {
				t.Fatalf("sent %d, %v", n, err)
			}
			if n, err := w.DeliverDue(ctx); err != nil || n != 0 {
				t.Fatalf("second run sent %d, %v", n, err)
			}
			got := e.srv.messages()
			if len(got) != 1 {
				t.Fatalf("received %d messages", len(got))
			}
			r := got[0]
			checks := []struct{ what, got, want string }{
				{"envelope sender", r.From, "hearth@example.org"},
				{"envelope recipient", strings.Join(r.To, ","), "robin@example.org"},
				{"From", r.Header.Get("From"), `"Hearth" <hearth@example.org>`},
				{"To", r.Header.Get("To"), "<robin@example.org>"},
				{"Subject", r.subject(), "Hearth: recordatorio de una reunión en una hora"},
				{"Message-ID", r.Header.Get("Message-Id"), fmt.Sprintf("<outbox-%d.%d@hearth.example.org>", m.ID, m.CreatedAt.Unix())},
				{"Auto-Submitted", r.Header.Get("Auto-Submitted"), "auto-generated"},
				{"Content-Language", r.Header.Get("Content-Language"), "es"},
				{"Content-Type", r.Header.Get("Content-Type"), "text/plain; charset=UTF-8"},
				{"body", r.Body, "Hola:\n\nUna reunión empieza pronto. ¿Vienes?\nfirst\n"},
			}
			for _, c := range checks {
				if c.got != c.want {
					t.Errorf("%s = %q, want %q", c.what, c.got, c.want)
				}
			}
			if d, err := r.Header.Date(); err != nil || !d.Equal(m.CreatedAt) {
				t.Errorf("Date = %v (%v), want %v", d, err, m.CreatedAt)
			}
			st := e.status(t, m.ID)
			if st.Status != sqldb.MailSent || st.Attempts != 1 || !st.SentAt.Equal(e.clock.Now()) {
				t.Errorf("outbox: %+v", st)
			}
		})

		t.Run("a message enqueued twice with one key is delivered once", func(t *testing.T) {
			before := len(e.srv.messages())
			e.enqueue(t, "twice")
			e.enqueue(t, "twice")
			if n, err := w.DeliverDue(ctx); err != nil || n != 1 {
				t.Fatalf("sent %d, %v", n, err)
			}
			if got := len(e.srv.messages()) - before; got != 1 {
				t.Fatalf("received %d", got)
			}
		})

		for _, c := range []struct {
			name string
			fail func()
			text string
		}{
			{"a 451 answer", func() { e.srv.tempFail.Store(1) }, "451"},
			{"a connection closed at DATA", func() { e.srv.dropAtData.Store(1) }, "SMTP"},
		} {
			t.Run(c.name+" is retried after a backoff, then delivered once", func(t *testing.T) {
				before := len(e.srv.messages())
				m := e.enqueue(t, "retry-"+c.text+c.name)
				c.fail()
				if n, err := w.DeliverDue(ctx); err != nil || n != 0 {
					t.Fatalf("sent %d, %v", n, err)
				}
				st := e.status(t, m.ID)
				wait := st.NextAttempt.Sub(e.clock.Now())
				if st.Status != sqldb.MailPending || st.Attempts != 1 || wait < time.Minute || wait > 90*time.Second || !strings.Contains(st.LastError, c.text) {
					t.Fatalf("after the failure: %+v (next in %v)", st, wait)
				}
				if strings.Contains(st.LastError, "robin@") || strings.Contains(st.LastError, "reunión") {
					t.Fatalf("the error keeps the address or the message: %q", st.LastError)
				}
				if n, _ := w.DeliverDue(ctx); n != 0 {
					t.Fatal("retried before the backoff")
				}
				e.clock.Add(wait)
				if n, err := w.DeliverDue(ctx); err != nil || n != 1 {
					t.Fatalf("sent %d, %v", n, err)
				}
				if got := len(e.srv.messages()) - before; got != 1 {
					t.Fatalf("received %d", got)
				}
				if st := e.status(t, m.ID); st.Status != sqldb.MailSent || st.Attempts != 2 || st.LastError != "" {
					t.Fatalf("after delivery: %+v", st)
				}
			})
		}

		t.Run("the backoff doubles each time, with jitter, up to its ceiling", func(t *testing.T) {
			for attempt, base := range map[int]time.Duration{1: time.Minute, 2: 2 * time.Minute, 3: 4 * time.Minute, 7: time.Hour, 30: time.Hour} {
				for range 20 {
					d := w.backoff(attempt)
					if d < base || d >= base+base/2 {
						t.Fatalf("attempt %d: %v, want [%v, %v)", attempt, d, base, base+base/2)
					}
				}
			}
		})

		t.Run("a message refused for good fails at once and is not retried", func(t *testing.T) {
			e.srv.setReject("nobody@example.org")
			defer e.srv.setReject("")
			before := len(e.srv.messages())
			err := e.db.EnqueueMail(ctx, sqldb.OutboxMail{To: "nobody@example.org", Kind: SeatConfirmed, Subject: "s", Body: "b", Key: "refused"})
			if err != nil {
				t.Fatal(err)
			}
			if n, err := w.DeliverDue(ctx); err != nil || n != 0 {
				t.Fatalf("sent %d, %v", n, err)
			}
			st, _ := e.db.MailByKey(ctx, "refused")
			if st.Status != sqldb.MailFailed || st.Attempts != 1 || !strings.Contains(st.LastError, "550") || strings.Contains(st.LastError, "nobody@") {
				t.Fatalf("got %+v", st)
			}
			if len(e.srv.messages()) != before {
				t.Fatal("something was received")
			}
		})

		t.Run("a message that keeps failing is given up after the attempt limit", func(t *testing.T) {
			m := e.enqueue(t, "hopeless")
			e.srv.tempFail.Store(100)
			defer e.srv.tempFail.Store(0)
			for i := range 4 {
				if _, err := w.DeliverDue(ctx); err != nil {
					t.Fatal(err)
				}
				if st := e.status(t, m.ID); st.Attempts != i+1 {
					t.Fatalf("attempt %d: %+v", i+1, st)
				}
				e.clock.Add(2 * time.Hour)
			}
			if st := e.status(t, m.ID); st.Status != sqldb.MailFailed || !strings.Contains(st.LastError, "gave up after 4 attempts") {
				t.Fatalf("got %+v", st)
			}
		})
	})
}

func TestCrashes(t *testing.T) {
	forEachEngine(t, serverOpts{}, func(t *testing.T, e *env) {
		ctx := context.Background()

		t.Run("a worker stopped mid-send loses nothing and duplicates nothing", func(t *testing.T) {
			m := e.enqueue(t, "crash-before")
			release := make(chan struct{})
			e.srv.setHold(&e.srv.holdBefore, release)
			wctx, cancel := context.WithCancel(ctx)
			done := make(chan struct{})
			go func() {
				defer close(done)
				e.worker("dies").DeliverDue(wctx)
			}()
			<-e.srv.entered // the server is at RCPT TO, the message not yet sent
			cancel()        // the process "crashes"
			<-done
			e.srv.setHold(&e.srv.holdBefore, nil)
			close(release)
			if st := e.status(t, m.ID); st.Status != sqldb.MailSending || st.LeaseOwner != "dies" {
				t.Fatalf("after the crash: %+v", st)
			}
			w2 := e.worker("survivor")
			if n, _ := w2.DeliverDue(ctx); n != 0 {
				t.Fatal("another worker took it under a live lease")
			}
			e.clock.Add(time.Minute + time.Second)
			if n, err := w2.DeliverDue(ctx); err != nil || n != 1 {
				t.Fatalf("sent %d, %v", n, err)
			}
			if n, _ := w2.DeliverDue(ctx); n != 0 {
				t.Fatal("sent again")
			}
			got := e.srv.messages()
			if len(got) != 1 || !strings.Contains(got[0].Body, "crash-before") {
				t.Fatalf("received %d", len(got))
			}
			if st := e.status(t, m.ID); st.Status != sqldb.MailSent || st.Attempts != 2 {
				t.Fatalf("after delivery: %+v", st)
			}
		})

		t.Run("a send that outlasts half the lease is abandoned and retried, not left to a second worker", func(t *testing.T) {
			before := len(e.srv.messages())
			m := e.enqueue(t, "slow")
			release := make(chan struct{})
			e.srv.setHold(&e.srv.holdBefore, release)
			w := NewWorker(WorkerConfig{DB: e.db, SMTP: e.smtp, Now: e.clock.Now, Owner: "slow", Lease: 400 * time.Millisecond, Backoff: time.Minute})
			start := time.Now()
			if n, err := w.DeliverDue(ctx); err != nil || n != 0 {
				t.Fatalf("sent %d, %v", n, err)
			}
			<-e.srv.entered
			e.srv.setHold(&e.srv.holdBefore, nil)
			close(release)
			if took := time.Since(start); took > 2*time.Second {
				t.Fatalf("the send took %v", took)
			}
			st := e.status(t, m.ID)
			if st.Status != sqldb.MailPending || st.Attempts != 1 || !strings.Contains(st.LastError, "deadline") {
				t.Fatalf("after the slow send: %+v", st)
			}
			e.clock.Add(2 * time.Minute)
			if n, err := e.worker("w").DeliverDue(ctx); err != nil || n != 1 {
				t.Fatalf("sent %d, %v", n, err)
			}
			if got := len(e.srv.messages()) - before; got != 1 {
				t.Fatalf("received %d", got)
			}
		})

		t.Run("a crash after the server accepted resends with the same Message-ID", func(t *testing.T) {
			before := len(e.srv.messages())
			e.enqueue(t, "crash-after")
			release := make(chan struct{})
			e.srv.setHold(&e.srv.holdAfter, release)
			wctx, cancel := context.WithCancel(ctx)
			done := make(chan struct{})
			go func() {
				defer close(done)
				e.worker("dies").DeliverDue(wctx)
			}()
			<-e.srv.entered // accepted, 250 not yet answered
			cancel()
			<-done
			e.srv.setHold(&e.srv.holdAfter, nil)
			close(release)
			e.clock.Add(time.Minute + time.Second)
			if n, err := e.worker("survivor").DeliverDue(ctx); err != nil || n != 1 {
				t.Fatalf("sent %d, %v", n, err)
			}
			got := e.srv.messages()[before:]
			// SMTP cannot do better than this: the receiver got it twice, and
			// can drop the second copy by its Message-ID.
			if len(got) != 2 || got[0].Header.Get("Message-Id") != got[1].Header.Get("Message-Id") || got[0].Header.Get("Message-Id") == "" {
				t.Fatalf("received %d: %v", len(got), got)
			}
		})
	})
}

func TestRun(t *testing.T) {
	forEachEngine(t, serverOpts{}, func(t *testing.T, e *env) {
		w := NewWorker(WorkerConfig{DB: e.db, SMTP: e.smtp, Poll: time.Hour, Lease: time.Minute})
		ctx, cancel := context.WithCancel(context.Background())
		stopped := make(chan struct{})
		go func() { w.Run(ctx); close(stopped) }()

		t.Run("a wake-up delivers at once, without waiting for the poll", func(t *testing.T) {
			time.Sleep(50 * time.Millisecond) // the first look finds nothing
			e.enqueue(t, "woken")
			w.Wake()
			if got := e.srv.waitFor(1, 5*time.Second); len(got) != 1 {
				t.Fatalf("received %d", len(got))
			}
		})
		t.Run("a wake-up just before the message commits still delivers it soon", func(t *testing.T) {
			w.Wake()
			time.Sleep(50 * time.Millisecond)
			e.enqueue(t, "committed-late")
			if got := e.srv.waitFor(2, 5*time.Second); len(got) != 2 {
				t.Fatalf("received %d", len(got))
			}
		})
		t.Run("Run returns when its context ends", func(t *testing.T) {
			cancel()
			select {
			case <-stopped:
			case <-time.After(5 * time.Second):
				t.Fatal("Run did not stop")
			}
		})
	})
}

func TestSecureTransport(t *testing.T) {
	serverTLS, clientTLS := selfSigned(t)
	from := "?from=" + url.QueryEscape("Hearth <hearth@example.org>")
	cases := []struct {
		name     string
		opts     serverOpts
		auth     bool
		url      string // PORT is the port
		sent     bool
		wantTLS  bool
		errorHas string
	}{
		{"STARTTLS is used when offered, and PLAIN authenticates over it", serverOpts{tls: serverTLS}, true,
			"smtp://hearth:s3cret@127.0.0.1:PORT" + from, true, true, ""},
		{"smtps:// speaks TLS from the first byte", serverOpts{tls: serverTLS, implicit: true}, true,
			"smtps://hearth:s3cret@127.0.0.1:PORT" + from, true, true, ""},
		{"starttls=required refuses a server that does not offer it", serverOpts{}, false,
			"smtp://127.0.0.1:PORT" + from + "&starttls=required", false, false, "STARTTLS"},
		{"a server without STARTTLS is used in clear when not required", serverOpts{}, false,
			"smtp://127.0.0.1:PORT" + from, true, false, ""},
		{"wrong credentials are not accepted", serverOpts{tls: serverTLS}, true,
			"smtp://hearth:wrong@127.0.0.1:PORT" + from, false, true, "535"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := startServer(t, c.opts)
			if c.auth {
				srv.user, srv.pass = "hearth", "s3cret"
			}
			s, err := ParseSMTPURL(strings.Replace(c.url, "PORT", srv.port, 1))
			if err != nil {
				t.Fatal(err)
			}
			s.SetTLSConfig(clientTLS)
			err = s.Send(context.Background(), Message{To: "robin@example.org", Subject: "s", Body: "b", MessageID: "x@hearth.example.org", Date: time.Now()})
			got := srv.messages()
			if c.sent != (err == nil) || c.sent != (len(got) == 1) {
				t.Fatalf("err %v, received %d", err, len(got))
			}
			if c.sent && (got[0].TLS != c.wantTLS || (c.auth && got[0].Authed != "hearth")) {
				t.Fatalf("TLS %v, authenticated as %q", got[0].TLS, got[0].Authed)
			}
			if !c.sent && (!strings.Contains(err.Error(), c.errorHas) || Permanent(err) || strings.Contains(err.Error(), "wrong")) {
				t.Fatalf("error %q (permanent %v)", err, Permanent(err))
			}
		})
	}
}

func TestParseSMTPURL(t *testing.T) {
	good := []struct {
		url, describe string
		mandatory     bool
	}{
		{"smtp://mail.example.org?from=hearth@example.org", "smtp://mail.example.org:587", false},
		{"smtp://u:p@mail.example.org:2525?from=Hearth%20<hearth@example.org>", "smtp://u@mail.example.org:2525", true},
		{"smtp://u:p@127.0.0.1:25?from=hearth@example.org", "smtp://u@127.0.0.1:25", false},
		{"smtps://u:p@mail.example.org?from=hearth@example.org&timeout=10s", "smtps://u@mail.example.org:465", false},
		{"smtp://mail.example.org?from=hearth@example.org&starttls=required", "smtp://mail.example.org:587", true},
	}
	for _, g := range good {
		t.Run(g.url+" is understood", func(t *testing.T) {
			s, err := ParseSMTPURL(g.url)
			if err != nil {
				t.Fatal(err)
			}
			if s.String() != g.describe || strings.Contains(s.String(), ":p@") {
				t.Errorf("described as %q", s.String())
			}
			if mandatory := s.policy == 0; mandatory != g.mandatory { // go-mail's TLSMandatory is 0
				t.Errorf("STARTTLS required = %v", mandatory)
			}
		})
	}
	bad := []struct{ url, says string }{
		{"http://mail.example.org?from=a@b.org", "smtp://"},
		{"smtp://mail.example.org", "from="},
		{"smtp://mail.example.org?from=nobody", "from="},
		{"smtp://?from=a@b.org", "no host"},
		{"smtp://mail.example.org:99999?from=a@b.org", "port"},
		{"smtp://mail.example.org?from=a@b.org&starttls=maybe", "starttls="},
		{"smtp://mail.example.org?from=a@b.org&timeout=soon", "timeout="},
		{"smtp://mail.example.org?from=a@b.org&tls=yes", "unknown"},
		{"smtp://u:hunter2@mail.example.org?from=a@b.org&tls=yes", "unknown"},
	}
	for _, b := range bad {
		t.Run(b.url+" is refused with a reason", func(t *testing.T) {
			_, err := ParseSMTPURL(b.url)
			if hearth.ErrorKind(err) != hearth.Invalid || !strings.Contains(err.Error(), b.says) || strings.Contains(err.Error(), "hunter2") {
				t.Fatalf("got %v", err)
			}
		})
	}
}
