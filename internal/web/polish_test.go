package web

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/binary"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/app"
	"github.com/hearth-org/hearth/internal/gazetteer"
	"github.com/hearth-org/hearth/internal/mail"
	"github.com/hearth-org/hearth/internal/password"
	"github.com/hearth-org/hearth/internal/sqldb"
	"github.com/hearth-org/hearth/internal/sqldb/sqldbtest"
	"github.com/hearth-org/hearth/internal/vault"
)

// lockedBuffer collects log lines written by the server's goroutines.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// polishSite is the whole HTTP stack on a fresh database with a fake clock,
// every log line captured, the outbox metrics registered as serve does, and
// a mail worker configured (never started: mail stays in the outbox).
type polishSite struct {
	ts   *testServer
	db   *sqldb.DB
	logs *lockedBuffer

	mu  sync.Mutex
	now time.Time
}

// advance moves the site's clock forward.
func (p *polishSite) advance(d time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.now = p.now.Add(d)
}

func newPolishSite(t *testing.T, engine sqldb.Engine, now time.Time) *polishSite {
	t.Helper()
	ctx := context.Background()
	site := &polishSite{now: now}
	clock := func() time.Time {
		site.mu.Lock()
		defer site.mu.Unlock()
		return site.now
	}
	dbURL, dir := sqldbtest.URL(t, engine)
	db, err := sqldb.Open(ctx, sqldb.Options{URL: dbURL, DataDir: dir, Now: clock})
	if err != nil {
		t.Fatalf("open %s: %v", engine, err)
	}
	t.Cleanup(func() { db.Close() })
	gaz, err := gazetteer.Load()
	if err != nil {
		t.Fatal(err)
	}
	v, _, err := vault.OpenFile(ctx, db, filepath.Join(dir, "master.key"), true, vault.Options{})
	if err != nil {
		t.Fatal(err)
	}
	logs := &lockedBuffer{}
	log := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	worker := mail.NewWorker(mail.WorkerConfig{DB: db, Logger: log, Now: clock})
	a, err := app.New(app.Config{DB: db, Gazetteer: gaz, Vault: v, Logger: log, Now: clock, Mailer: worker,
		PasswordParams: password.Params{Memory: 1024, Time: 1, Threads: 1}})
	if err != nil {
		t.Fatal(err)
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(OutboxCollector(a))
	s, err := newServer(Config{App: a, Logger: log, Registry: reg, Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.handler())
	t.Cleanup(srv.Close)
	ts := &testServer{URL: srv.URL, App: a, Server: s, Engine: engine,
		Client: &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	site.ts, site.db, site.logs = ts, db, logs
	return site
}

// waitForLines waits until the log holds n request lines: the request log
// is written just after the answer is sent.
func (p *polishSite) waitForLines(t *testing.T, n int) string {
	t.Helper()
	deadline := time.Now().Add(3 * time.Second)
	for {
		logs := p.logs.String()
		if strings.Count(logs, "msg=request ") >= n || time.Now().After(deadline) {
			return logs
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestLogsNeverCarrySecretsFromPathsOrQueries(t *testing.T) {
	for _, e := range sqldbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			site := newPolishSite(t, e, time.Now())
			ctx := context.Background()
			u := site.ts.SignUp(t, "sam-secreto", "")
			secret, err := site.ts.App.NewCalendarAddress(ctx, site.ts.Actor(t, site.ts.Token(t, u)))
			if err != nil {
				t.Fatal(err)
			}
			// A well-formed personal link (meeting 7, then 32 bytes) that
			// leads nowhere.
			raw := binary.AppendUvarint(nil, 7)
			raw = append(raw, bytes.Repeat([]byte{0xA5}, 32)...)
			linkToken := base64.RawURLEncoding.EncodeToString(raw)
			const typed = "mysecretsearchwords"
			type req struct {
				path   string
				status int
			}
			before := []req{
				{"/calendar/" + secret + ".ics", http.StatusOK},
				{"/calendar/" + secret + "x.ics", http.StatusNotFound},
				{"/go/" + linkToken, http.StatusForbidden},
				{"/groups?q=" + typed, http.StatusOK},
				{"/no/such/page?q=" + typed, http.StatusNotFound},
				{"/api/v1/groups?q=" + typed, http.StatusOK},
			}
			// With the database gone, the same addresses fail on our side
			// and the failure is logged with its error.
			after := []req{
				{"/calendar/" + secret + ".ics", http.StatusInternalServerError},
				{"/go/" + linkToken, http.StatusInternalServerError},
				{"/api/v1/groups/" + typed, http.StatusInternalServerError},
			}
			get := func(r req) {
				t.Helper()
				res, err := site.ts.Client.Get(site.ts.URL + r.path)
				if err != nil {
					t.Fatal(err)
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode != r.status {
					t.Errorf("GET %s: status %d, want %d", strings.ReplaceAll(r.path, secret, "<secret>"), res.StatusCode, r.status)
				}
			}
			for _, r := range before {
				get(r)
			}
			site.db.Close()
			for _, r := range after {
				get(r)
			}
			logs := site.waitForLines(t, len(before)+len(after))
			for _, s := range []string{secret, linkToken, typed} {
				if strings.Contains(logs, s) {
					t.Errorf("the log carries %q:\n%s", s, logs)
				}
			}
			for _, want := range []string{`route="GET /calendar/{file}" status=500`, `route="GET /go/{token}" status=500`,
				`msg="request failed"`, `route=unmatched status=404`} {
				if !strings.Contains(logs, want) {
					t.Errorf("the log lacks %s:\n%s", want, logs)
				}
			}
		})
	}
}

func TestSessionCookieLastsByTheAppClock(t *testing.T) {
	// The app's clock is years behind the real one: a lifetime measured
	// on the real clock would end the session before it began.
	past := time.Date(2021, 3, 1, 9, 0, 0, 0, time.UTC)
	site := newPolishSite(t, sqldb.SQLite, past)
	site.ts.SignUp(t, "lu-reloj", "")
	b := newBrowser(t, site.ts, "en")
	st, body, h := b.post("/signin", url.Values{"login": {"lu-reloj"}, "password": {testPassword}})
	if st != http.StatusSeeOther {
		t.Fatalf("sign in: %d %s", st, body)
	}
	res := http.Response{Header: h}
	var session *http.Cookie
	for _, c := range res.Cookies() {
		if c.Name == sessionCookie {
			session = c
		}
	}
	if session == nil {
		t.Fatal("no session cookie")
	}
	if got, want := time.Duration(session.MaxAge)*time.Second, app.SessionAbsolute; got < want-time.Minute || got > want {
		t.Errorf("the session cookie lasts %v, want the session's absolute lifetime %v", got, want)
	}
	if st, _ := b.get("/account"); st != http.StatusOK {
		t.Errorf("the account page after signing in: status %d, want 200 (signed out at once)", st)
	}
}

func TestOutboxMetricsCountWithoutAddresses(t *testing.T) {
	for _, e := range sqldbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			site := newPolishSite(t, e, time.Now())
			ctx := context.Background()
			for _, key := range []string{"k1", "k2"} {
				if err := site.db.EnqueueMail(ctx, sqldb.OutboxMail{To: "river@example.org", Kind: "reminder_24h", Locale: "en",
					Subject: "A meeting tomorrow", Body: "See Hearth.", Key: key}); err != nil {
					t.Fatal(err)
				}
			}
			site.advance(90 * time.Second) // the two have waited a minute and a half
			res, err := site.ts.Client.Get(site.ts.URL + "/metrics")
			if err != nil {
				t.Fatal(err)
			}
			data, _ := io.ReadAll(res.Body)
			res.Body.Close()
			text := string(data)
			for _, want := range []string{`hearth_outbox_messages{status="pending"} 2`, `hearth_outbox_messages{status="sending"} 0`,
				`hearth_outbox_messages{status="failed"} 0`, `hearth_outbox_messages{status="sent"} 0`,
				`hearth_outbox_oldest_pending_age_seconds 90`} {
				if !strings.Contains(text, want) {
					t.Errorf("/metrics lacks %s", want)
				}
			}
			if t.Failed() {
				t.Log(text)
			}
			for _, never := range []string{"river@example.org", "A meeting tomorrow"} {
				if strings.Contains(text, never) {
					t.Errorf("/metrics shows %q", never)
				}
			}
			// The database gone, the other series are still served.
			site.db.Close()
			res, err = site.ts.Client.Get(site.ts.URL + "/metrics")
			if err != nil {
				t.Fatal(err)
			}
			data, _ = io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode != http.StatusOK || !strings.Contains(string(data), "go_goroutines") || strings.Contains(string(data), "hearth_outbox_messages{") {
				t.Errorf("/metrics with the database down: %d, want the other series", res.StatusCode)
			}
		})
	}
}

func TestLayoutAnnouncesTheMeetingGuideFeed(t *testing.T) {
	ts := newTestServer(t, sqldb.SQLite)
	for _, path := range []string{"/", "/groups", "/help"} {
		st, body := newBrowser(t, ts, "es").get(path)
		if st != http.StatusOK {
			t.Fatalf("GET %s: %d", path, st)
		}
		if !strings.Contains(body, `<link rel="alternate" type="application/json" title="Meetings Feed" href="/feeds/meeting-guide.json">`) {
			t.Errorf("GET %s has no Meeting Guide discovery link", path)
		}
	}
}

// nextMeetingText is what the group page says under "Next meeting".
var nextMeetingRe = regexp.MustCompile(`(?s)<span id="next-meeting">(.*?)</span>`)

func TestGroupPageNextMeetingComesFromOccurrences(t *testing.T) {
	for _, e := range sqldbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			// Monday 1 March 2027 in Madrid; the group's simple schedule says
			// Tuesdays, its only meeting is on the second Tuesday of the month.
			now := time.Date(2027, 3, 1, 10, 0, 0, 0, madridZone)
			site := newMeetingSite(t, e, now, hearth.InPerson)
			ts, ctx := site.ts, context.Background()
			m, err := ts.App.CreateMeeting(ctx, site.facActor, site.slug, app.MeetingInput{Start: "2027-03-09T18:30", Duration: 90,
				RRule: "FREQ=MONTHLY;BYDAY=2TU", Ongoing: true, Attend: hearth.Attend{Mode: hearth.InPerson}})
			if err != nil {
				t.Fatal(err)
			}
			at := func(month time.Month, day, hour, min int) time.Time {
				return time.Date(2027, month, day, hour, min, 0, 0, madridZone)
			}
			steps := []struct {
				name      string
				change    *app.ExceptionInput
				next      time.Time
				calledOff []string // notes of the cancelled ones before it
				page      []string
			}{
				{name: "a monthly meeting is next on its second Tuesday, not on the simple schedule's next Tuesday",
					next: at(3, 9, 18, 30)},
				{name: "a cancelled meeting is skipped and the page says there is none that day",
					change: &app.ExceptionInput{Original: at(3, 9, 18, 30), Cancel: true, Note: "Semana Santa"},
					next:   at(4, 13, 18, 30), calledOff: []string{"Semana Santa"},
					page: []string{"(cancelled: Semana Santa)", "No meeting on"}},
				{name: "a moved meeting counts at its new time",
					change: &app.ExceptionInput{Original: at(4, 13, 18, 30), Start: "2027-04-14T19:00"},
					next:   at(4, 14, 19, 0), calledOff: []string{"Semana Santa"}},
			}
			for _, step := range steps {
				if step.change != nil {
					if _, err := ts.App.ChangeOccurrence(ctx, site.facActor, site.slug, m.ID, *step.change); err != nil {
						t.Fatalf("%s: %v", step.name, err)
					}
				}
				v, err := ts.App.Group(ctx, hearth.Anonymous, site.slug)
				if err != nil {
					t.Fatal(err)
				}
				if !v.NextMeeting.Equal(step.next) {
					t.Errorf("%s: next meeting %v, want %v", step.name, v.NextMeeting.In(madridZone), step.next)
				}
				q, err := hearth.ParseSearch(url.Values{"q": {"duelo"}})
				if err != nil {
					t.Fatal(err)
				}
				res, err := ts.App.Search(ctx, q)
				if err != nil || len(res.Hits) != 1 {
					t.Fatalf("search: %v %v", res, err)
				}
				if !res.Hits[0].NextMeeting.Equal(step.next) {
					t.Errorf("%s: the search result's next meeting is %v, want %v", step.name, res.Hits[0].NextMeeting.In(madridZone), step.next)
				}
				var notes []string
				for _, o := range v.CalledOff {
					notes = append(notes, o.Note)
				}
				if strings.Join(notes, "|") != strings.Join(step.calledOff, "|") {
					t.Errorf("%s: called off %q, want %q", step.name, notes, step.calledOff)
				}
				st, body := newBrowser(t, ts, "en").get("/groups/" + site.slug)
				if st != http.StatusOK {
					t.Fatalf("%s: group page %d", step.name, st)
				}
				shown := nextMeetingRe.FindStringSubmatch(body)
				if shown == nil || !strings.Contains(text(shown[1]), step.next.Format("2")) || !strings.Contains(text(shown[1]), step.next.Month().String()) {
					t.Errorf("%s: the page's next meeting reads %q, want %v", step.name, shown, step.next)
				}
				if !strings.Contains(text(body), "Second Tuesday of the month at 6:30 PM") {
					t.Errorf("%s: the page does not say the group meets on the second Tuesday of the month: %s", step.name, regexp.MustCompile(`(?s)<dd id="meets">.*?</dd>`).FindString(body))
				}
				for _, want := range step.page {
					if !strings.Contains(text(body), want) {
						t.Errorf("%s: the page lacks %q", step.name, want)
					}
				}
			}
			if _, body := newBrowser(t, ts, "es").get("/groups/" + site.slug); !strings.Contains(text(body), "(cancelada: Semana Santa)") {
				t.Error("the Spanish page does not say the meeting is cancelled")
			}

			t.Run("the join form shown again with its problem keeps the upcoming meetings", func(t *testing.T) {
				ts.SignUp(t, "noa-nueva", "")
				b := signedInBrowser(t, ts, "noa-nueva", "en")
				st, body, _ := b.post("/groups/"+site.slug+"/join", url.Values{"pseudonym": {"Noa"}})
				if st != http.StatusBadRequest {
					t.Fatalf("join without accepting the guidelines: %d", st)
				}
				for _, want := range []string{`id="upcoming-meetings"`, `id="next-meeting"`, "(cancelled: Semana Santa)", `value="Noa"`} {
					if !strings.Contains(text(body), want) {
						t.Errorf("the page shown again lacks %s", want)
					}
				}
			})
			t.Run("a group with no meeting ahead says so", func(t *testing.T) {
				if err := ts.App.DeleteMeeting(ctx, site.facActor, site.slug, m.ID); err != nil {
					t.Fatal(err)
				}
				_, body := newBrowser(t, ts, "en").get("/groups/" + site.slug)
				if shown := nextMeetingRe.FindStringSubmatch(body); shown == nil || shown[1] != "None planned in the next three months" {
					t.Errorf("next meeting reads %q", shown)
				}
				if _, body := newBrowser(t, ts, "en").get("/groups?q=duelo"); !strings.Contains(body, "Next: None planned in the next three months") {
					t.Error("the search results do not say nothing is planned")
				}
			})
		})
	}
}

func TestGroupFormLeavesMeetingsTheirSchedule(t *testing.T) {
	for _, e := range sqldbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			now := time.Date(2027, 3, 1, 10, 0, 0, 0, madridZone)
			site := newMeetingSite(t, e, now, hearth.InPerson)
			ts, ctx := site.ts, context.Background()
			weekly, err := ts.App.CreateMeeting(ctx, site.facActor, site.slug, app.MeetingInput{Start: "2027-03-02T18:30", Duration: 90,
				RRule: "FREQ=WEEKLY;BYDAY=TU", Ongoing: true, Attend: hearth.Attend{Mode: hearth.InPerson}})
			if err != nil {
				t.Fatal(err)
			}
			b := signedInBrowser(t, ts, "ana-facilita", "en")
			formOf := func(day string) url.Values {
				v, err := ts.App.Group(ctx, site.facActor, site.slug)
				if err != nil {
					t.Fatal(err)
				}
				f := encodeGroupForm(v.Group)
				f.Set("weekday", day)
				return f
			}
			meetingRule := func() string {
				v, err := ts.App.Meetings(ctx, site.facActor, site.slug)
				if err != nil {
					t.Fatal(err)
				}
				for _, mv := range v.Meetings {
					if mv.Meeting.ID == weekly.ID {
						return mv.Meeting.RRule
					}
				}
				t.Fatal("the weekly meeting is gone")
				return ""
			}

			t.Run("one plain weekly meeting: the form's day moves it, and says so", func(t *testing.T) {
				_, body := b.get("/groups/" + site.slug + "/edit")
				for _, want := range []string{`name="weekday"`, `id="schedule-moves"`, `href="/groups/` + site.slug + `/meetings"`} {
					if !strings.Contains(body, want) {
						t.Errorf("the edit page lacks %s", want)
					}
				}
				if strings.Contains(body, `id="schedule-by-meetings"`) {
					t.Error("the edit page says the meetings page owns the schedule")
				}
				if st, body, _ := b.post("/groups/"+site.slug+"/edit", formOf("wed")); st != http.StatusSeeOther {
					t.Fatalf("save: %d %s", st, fieldErrorsIn(body, "weekday"))
				}
				if r := meetingRule(); !strings.Contains(r, "BYDAY=WE") {
					t.Errorf("the weekly meeting's rule is %s, want Wednesdays", r)
				}
			})
			t.Run("a second meeting: the meetings page owns the schedule and the form changes nothing of it", func(t *testing.T) {
				if _, err := ts.App.CreateMeeting(ctx, site.facActor, site.slug, app.MeetingInput{Start: "2027-03-20T11:00", Duration: 120,
					Attend: hearth.Attend{Mode: hearth.InPerson}}); err != nil {
					t.Fatal(err)
				}
				_, body := b.get("/groups/" + site.slug + "/edit")
				if !strings.Contains(body, `id="schedule-by-meetings"`) || !strings.Contains(body, `id="schedule-meetings-link" class="button-link" href="/groups/`+site.slug+`/meetings"`) {
					t.Error("the edit page does not send people to the meetings page")
				}
				for _, never := range []string{`name="weekday"`, `name="start"`, `name="duration"`} {
					if strings.Contains(body, never) {
						t.Errorf("the edit page still offers %s", never)
					}
				}
				rule := meetingRule()
				// A stale form (or a hand-made one) sends another day.
				f := formOf("fri")
				f.Set("name", "Duelo los miércoles")
				if st, body, _ := b.post("/groups/"+site.slug+"/edit", f); st != http.StatusSeeOther {
					t.Fatalf("save: %d %s", st, body)
				}
				if r := meetingRule(); r != rule {
					t.Errorf("saving the form changed the meeting's rule from %s to %s", rule, r)
				}
				v, err := ts.App.Group(ctx, site.facActor, site.slug)
				if err != nil {
					t.Fatal(err)
				}
				if v.Group.Name != "Duelo los miércoles" || v.Group.Schedule.Weekday != time.Wednesday {
					t.Errorf("after saving: name %q, weekday %v; want the new name and Wednesday kept", v.Group.Name, v.Group.Schedule.Weekday)
				}
			})
		})
	}
}

func TestAccountPageShowsCalendarAndReminders(t *testing.T) {
	site := newPolishSite(t, sqldb.SQLite, time.Now())
	ts, ctx := site.ts, context.Background()
	u := ts.SignUp(t, "mar-cuenta", "mar@example.org")
	actor := ts.Actor(t, ts.Token(t, u))
	b := signedInBrowser(t, ts, "mar-cuenta", "en")
	steps := []struct {
		name string
		do   func()
		want []string
	}{
		{name: "a new account has no calendar address and both reminders on",
			want: []string{`id="calendar-link" class="button-link" href="/account/calendar"`, "You have no calendar address yet.",
				"Reminders are on: an email 24 hours and 1 hour before each meeting."}},
		{name: "with a calendar address and only the hour-before reminder",
			do: func() {
				if _, err := ts.App.NewCalendarAddress(ctx, actor); err != nil {
					t.Fatal(err)
				}
				if st, _, _ := b.post("/account/reminders", url.Values{"before_1h": {"yes"}}); st != http.StatusSeeOther {
					t.Fatalf("save reminders: %d", st)
				}
			},
			want: []string{"You have a calendar address, made on", "Manage your calendar address", "Reminders are on: an email 1 hour before each meeting."}},
		{name: "with no reminder chosen",
			do: func() {
				if st, _, _ := b.post("/account/reminders", url.Values{}); st != http.StatusSeeOther {
					t.Fatalf("save reminders: %d", st)
				}
			},
			want: []string{"Reminders are off: you chose none below."}},
	}
	for _, step := range steps {
		if step.do != nil {
			step.do()
		}
		st, body := b.get("/account")
		if st != http.StatusOK {
			t.Fatalf("%s: %d", step.name, st)
		}
		for _, w := range step.want {
			if !strings.Contains(text(body), w) {
				t.Errorf("%s: the account page lacks %q", step.name, w)
			}
		}
	}
	if _, body := newPolishBrowserES(t, ts); !strings.Contains(text(body), "Todavía no tienes") && !strings.Contains(text(body), "Tienes una dirección de calendario") {
		t.Error("the Spanish account page does not speak of the calendar address")
	}
}

// newPolishBrowserES signs in a new account in Spanish and reads its
// account page.
func newPolishBrowserES(t *testing.T, ts *testServer) (int, string) {
	t.Helper()
	ts.SignUp(t, "eva-cuenta", "")
	return signedInBrowser(t, ts, "eva-cuenta", "es").get("/account")
}
