package web

// Helpers for acceptance_test.go: Hearth as it runs in production — two
// processes on one database, each with its own mail.Worker — behind a
// fake clock, delivering to a real SMTP server on loopback.

import (
	"bytes"
	"context"
	"io"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/http"
	"net/http/httptest"
	netmail "net/mail"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/hearth-org/hearth/internal/app"
	"github.com/hearth-org/hearth/internal/gazetteer"
	"github.com/hearth-org/hearth/internal/mail"
	"github.com/hearth-org/hearth/internal/password"
	"github.com/hearth-org/hearth/internal/sqldb"
	"github.com/hearth-org/hearth/internal/sqldb/sqldbtest"
	"github.com/hearth-org/hearth/internal/vault"
)

// acceptanceBase is the public address the processes put in emails.
const acceptanceBase = "https://hearth.example.org"

// smtpInbox is a real SMTP server (emersion/go-smtp) on loopback that keeps
// every message it accepts, decoded as a mail client would show it.
type smtpInbox struct {
	addr string
	mu   sync.Mutex
	got  []inboxMail
}

// inboxMail is one accepted message.
type inboxMail struct {
	To        string // the one recipient
	Subject   string // decoded
	Body      string // decoded, LF line ends
	MessageID string
}

func startSMTPInbox(t *testing.T) *smtpInbox {
	t.Helper()
	mb := &smtpInbox{}
	s := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &smtpInboxSession{mb: mb}, nil }))
	s.Domain = "localhost"
	s.ReadTimeout, s.WriteTimeout = 10*time.Second, 10*time.Second
	s.MaxMessageBytes = 1 << 20
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	mb.addr = ln.Addr().String()
	go s.Serve(ln)
	t.Cleanup(func() { s.Close() })
	return mb
}

// messages returns what arrived so far, in order.
func (mb *smtpInbox) messages() []inboxMail {
	mb.mu.Lock()
	defer mb.mu.Unlock()
	return append([]inboxMail(nil), mb.got...)
}

// to returns what arrived for one address.
func (mb *smtpInbox) to(addr string) []inboxMail {
	var out []inboxMail
	for _, m := range mb.messages() {
		if m.To == addr {
			out = append(out, m)
		}
	}
	return out
}

type smtpInboxSession struct {
	mb *smtpInbox
	to []string
}

func (s *smtpInboxSession) Mail(string, *smtp.MailOptions) error { return nil }
func (s *smtpInboxSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.to = append(s.to, to)
	return nil
}
func (s *smtpInboxSession) Reset()        { s.to = nil }
func (s *smtpInboxSession) Logout() error { return nil }

func (s *smtpInboxSession) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	msg, err := netmail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return err
	}
	var body []byte
	if strings.EqualFold(msg.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
		body, err = io.ReadAll(quotedprintable.NewReader(msg.Body))
	} else {
		body, err = io.ReadAll(msg.Body)
	}
	if err != nil {
		return err
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		subject = "undecodable subject: " + err.Error()
	}
	s.mb.mu.Lock()
	defer s.mb.mu.Unlock()
	for _, to := range s.to {
		s.mb.got = append(s.mb.got, inboxMail{To: to, Subject: subject, Body: strings.ReplaceAll(string(body), "\r\n", "\n"),
			MessageID: msg.Header.Get("Message-Id")})
	}
	return nil
}

// hearthProcess is one `hearth serve`: its own database pool, vault, app
// and mail worker, on the shared database.
type hearthProcess struct {
	App    *app.App
	Mailer *mail.Worker
}

// acceptanceSite is Hearth on one database with two processes: the first
// serves HTTP (ts), the second only runs chores, as a second server behind
// a load balancer would. Both read one clock and deliver to one smtpInbox.
type acceptanceSite struct {
	ts            *testServer
	clk           *testClock
	inbox         *smtpInbox
	first, second *hearthProcess
}

func newAcceptanceSite(t *testing.T, engine sqldb.Engine, now time.Time) *acceptanceSite {
	t.Helper()
	clk := &testClock{t: now}
	inbox := startSMTPInbox(t)
	smtpURL := "smtp://" + inbox.addr + "?from=" + url.QueryEscape("Hearth <hearth@example.org>") + "&timeout=5s"
	relay, err := mail.ParseSMTPURL(smtpURL)
	if err != nil {
		t.Fatal(err)
	}
	dbURL, dir := sqldbtest.URL(t, engine)
	gaz, err := gazetteer.Load()
	if err != nil {
		t.Fatal(err)
	}
	start := func(owner string, first bool) *hearthProcess {
		ctx := context.Background()
		db, err := sqldb.Open(ctx, sqldb.Options{URL: dbURL, DataDir: dir, Now: clk.Now})
		if err != nil {
			t.Fatalf("open %s for %s: %v", engine, owner, err)
		}
		t.Cleanup(func() { db.Close() })
		// The second process reads the master key file the first created.
		v, _, err := vault.OpenFile(ctx, db, filepath.Join(dir, "master.key"), first, vault.Options{})
		if err != nil {
			t.Fatalf("vault for %s: %v", owner, err)
		}
		w := mail.NewWorker(mail.WorkerConfig{DB: db, SMTP: relay, Now: clk.Now, Owner: owner, BaseURL: acceptanceBase})
		a, err := app.New(app.Config{DB: db, Gazetteer: gaz, Vault: v, Now: clk.Now, BaseURL: acceptanceBase, Mailer: w,
			PasswordParams: password.Params{Memory: 1024, Time: 1, Threads: 1}})
		if err != nil {
			t.Fatal(err)
		}
		return &hearthProcess{App: a, Mailer: w}
	}
	site := &acceptanceSite{clk: clk, inbox: inbox, first: start("process-1", true)}
	site.second = start("process-2", false)
	s, err := newServer(Config{App: site.first.App, Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.handler())
	t.Cleanup(srv.Close)
	site.ts = &testServer{URL: srv.URL, App: site.first.App, Server: s, Engine: engine,
		Client: &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	return site
}

// deliverMail runs both processes' mail workers until the outbox has
// nothing due, as their loops would.
func (s *acceptanceSite) deliverMail(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	var wg sync.WaitGroup
	for _, p := range []*hearthProcess{s.first, s.second} {
		wg.Go(func() {
			if _, err := p.Mailer.DeliverDue(ctx); err != nil {
				t.Errorf("deliver mail: %v", err)
			}
		})
	}
	wg.Wait()
	// Whatever a claim lost in the race is due again at once.
	if _, err := s.first.Mailer.DeliverDue(ctx); err != nil {
		t.Errorf("deliver mail: %v", err)
	}
}

// remind runs the reminder chore the way production can: in both
// processes at the same moment, twice each, then once more alone; then
// the mail workers. It returns how many reminders the chores reported.
func (s *acceptanceSite) remind(t *testing.T) int {
	t.Helper()
	ctx := context.Background()
	var mu sync.Mutex
	total := 0
	var wg sync.WaitGroup
	for _, p := range []*hearthProcess{s.first, s.second, s.first, s.second} {
		wg.Go(func() {
			n, err := p.App.SendReminders(ctx)
			if err != nil {
				t.Errorf("send reminders: %v", err)
			}
			mu.Lock()
			total += n
			mu.Unlock()
		})
	}
	wg.Wait()
	n, err := s.second.App.SendReminders(ctx)
	if err != nil {
		t.Errorf("send reminders again: %v", err)
	}
	s.deliverMail(t)
	return total + n
}

// chores runs the membership chore in both processes at once, then the
// mail workers.
func (s *acceptanceSite) chores(t *testing.T) {
	t.Helper()
	var wg sync.WaitGroup
	for _, p := range []*hearthProcess{s.first, s.second} {
		wg.Go(func() {
			if err := p.App.RunMembershipChores(context.Background()); err != nil {
				t.Errorf("membership chores: %v", err)
			}
		})
	}
	wg.Wait()
	s.deliverMail(t)
}
