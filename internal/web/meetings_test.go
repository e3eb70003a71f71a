package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/app"
	"github.com/hearth-org/hearth/internal/gazetteer"
	"github.com/hearth-org/hearth/internal/password"
	"github.com/hearth-org/hearth/internal/sqldb"
	"github.com/hearth-org/hearth/internal/sqldb/sqldbtest"
	"github.com/hearth-org/hearth/internal/vault"
)

// testClock is a clock the meeting tests move; the database, the app and
// the server all read it.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

// newClockedServer is newTestServer with a fake clock.
func newClockedServer(t testing.TB, engine sqldb.Engine, clk *testClock) *testServer {
	t.Helper()
	ctx := context.Background()
	dbURL, dir := sqldbtest.URL(t, engine)
	db, err := sqldb.Open(ctx, sqldb.Options{URL: dbURL, DataDir: dir, Now: clk.Now})
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
	a, err := app.New(app.Config{DB: db, Gazetteer: gaz, Vault: v, Now: clk.Now, PasswordParams: password.Params{Memory: 1024, Time: 1, Threads: 1}})
	if err != nil {
		t.Fatal(err)
	}
	s, err := newServer(Config{App: a, Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.handler())
	t.Cleanup(srv.Close)
	return &testServer{URL: srv.URL, App: a, Server: s, Engine: engine,
		Client: &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

var madridZone = func() *time.Location { l, _ := time.LoadLocation("Europe/Madrid"); return l }()

// meetingSite is a server with an organization, a facilitator ("ana"), a
// member ("pat") and an open online group in Madrid whose default meeting
// was removed.
type meetingSite struct {
	ts                *testServer
	clk               *testClock
	slug              string
	fac, pat          *hearth.User
	facToken, patTok  string
	facActor, patActr hearth.Actor
}

func newMeetingSite(t *testing.T, engine sqldb.Engine, now time.Time, format hearth.Format) *meetingSite {
	t.Helper()
	ctx := context.Background()
	clk := &testClock{t: now}
	ts := newClockedServer(t, engine, clk)
	site := hearth.Actor{SiteAdmin: true, UserID: -1}
	if err := ts.App.CreateOrganization(ctx, site, &hearth.Organization{Slug: "duelo-madrid", Name: "Duelo Madrid"}); err != nil {
		t.Fatal(err)
	}
	g := &hearth.Group{Slug: "duelo-martes", Name: "Duelo los martes", Description: "Un círculo para quien perdió a alguien.", Topics: []string{"grief"},
		Audience: hearth.Audience{AgeBand: "adults", Gender: "any", Languages: []string{"es"}}, Format: format, Leadership: hearth.PeerLed,
		Policy: hearth.Open, Visibility: hearth.Listed, Cost: hearth.Cost{Kind: hearth.Free}, Guidelines: "Lo que se dice aquí, aquí se queda.",
		Location: hearth.Location{Address: "Calle Mayor 1", City: "Madrid", Country: "ES", TimeZone: "Europe/Madrid", Lat: 40.4168, Lon: -3.7038, HasPoint: true},
		Schedule: hearth.Schedule{Weekday: time.Tuesday, Start: 18*60 + 30, Duration: 90}}
	if err := ts.App.CreateGroup(ctx, site, "duelo-madrid", g); err != nil {
		t.Fatal(err)
	}
	m := &meetingSite{ts: ts, clk: clk, slug: g.Slug}
	m.fac = ts.SignUp(t, "ana-facilita", "")
	if err := ts.App.AppointFacilitator(ctx, site, g.Slug, "ana-facilita", "Ana", ""); err != nil {
		t.Fatal(err)
	}
	m.facToken = ts.Token(t, m.fac)
	m.facActor = ts.Actor(t, m.facToken)
	m.pat = ts.SignUp(t, "pat-miembro", "pat@example.org")
	m.patTok = ts.Token(t, m.pat)
	if _, err := ts.App.JoinGroup(ctx, ts.Actor(t, m.patTok), g.Slug, "Pat", true); err != nil {
		t.Fatal(err)
	}
	m.patActr = ts.Actor(t, m.patTok)
	v, err := ts.App.Meetings(ctx, m.facActor, g.Slug)
	if err != nil {
		t.Fatal(err)
	}
	for _, mv := range v.Meetings {
		if err := ts.App.DeleteMeeting(ctx, m.facActor, g.Slug, mv.Meeting.ID); err != nil {
			t.Fatal(err)
		}
	}
	return m
}

const secretLink = "https://meet.example.org/duelo?pwd=s3cret-Pa55"

func biweeklyForm() url.Values {
	return url.Values{"title": {""}, "frequency": {"biweekly"}, "day": {"tue"}, "nth": {"1"}, "month_day": {"1"},
		"start_date": {"2027-03-14"}, "start_time": {"18:30"}, "duration_minutes": {"90"}, "ends": {"count"}, "count": {"8"},
		"mode": {"online"}, "conference_url": {secretLink}, "capacity": {"2"}}
}

func TestMeetingPages(t *testing.T) {
	m := newMeetingSite(t, sqldb.SQLite, time.Date(2027, 3, 9, 12, 0, 0, 0, time.UTC), hearth.Online)
	ts := m.ts
	fac := signedInBrowser(t, ts, "ana-facilita", "en")
	pat := signedInBrowser(t, ts, "pat-miembro", "en")
	visitor := newBrowser(t, ts, "en")
	base := "/groups/" + m.slug

	t.Run("a facilitator adds a meeting every other Tuesday with plain fields", func(t *testing.T) {
		st, body, h := fac.post(base+"/meetings", biweeklyForm())
		if st != http.StatusSeeOther || h.Get("Location") != base+"/meetings" {
			t.Fatalf("status %d %s", st, body)
		}
		st, body = fac.get(base + "/meetings")
		if st != 200 || !strings.Contains(body, "Every other Tuesday at 6:30 PM") || !strings.Contains(body, "8 meetings") {
			t.Fatalf("meetings page %d:\n%s", st, body)
		}
		// The first date is aligned to the schedule: Sunday the 14th → Tuesday the 16th.
		if !strings.Contains(body, "Tuesday, March 16, 2027") {
			t.Fatal("the first meeting is not the Tuesday after the date given")
		}
	})
	t.Run("bad input gets messages next to its fields and adds nothing", func(t *testing.T) {
		cases := []struct {
			name, field string
			change      url.Values
		}{
			{"a length of zero", "duration_minutes", url.Values{"duration_minutes": {"0"}}},
			{"a length over a day", "duration_minutes", url.Values{"duration_minutes": {"1441"}}},
			{"a javascript: link", "conference_url", url.Values{"conference_url": {"javascript:alert(1)"}}},
			{"a plain http link", "conference_url", url.Values{"conference_url": {"http://meet.example.org/x"}}},
			{"a one-off in the past", "start_date", url.Values{"frequency": {"once"}, "start_date": {"2027-03-01"}}},
			{"no end chosen", "ends", url.Values{"ends": {""}}},
			{"a date that is not one", "start_date", url.Values{"start_date": {"16/03/2027"}}},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				form := biweeklyForm()
				for k, v := range c.change {
					form[k] = v
				}
				st, body, _ := fac.post(base+"/meetings", form)
				if st != http.StatusBadRequest {
					t.Fatalf("status %d", st)
				}
				if !strings.Contains(body, `id="new-`+c.field+`-errors"`) || !strings.Contains(body, `aria-describedby="`) {
					t.Fatalf("no problem shown next to %s:\n%s", c.field, body)
				}
				v, _ := ts.App.Meetings(context.Background(), m.facActor, m.slug)
				if len(v.Meetings) != 1 {
					t.Fatalf("%d meetings after refused input", len(v.Meetings))
				}
			})
		}
	})
	v, err := ts.App.Meetings(context.Background(), m.facActor, m.slug)
	if err != nil || len(v.Meetings) != 1 {
		t.Fatal(err)
	}
	meetingID := v.Meetings[0].Meeting.ID
	first := time.Date(2027, 3, 16, 18, 30, 0, 0, madridZone)
	occ := app.OccurrencePath(m.slug, meetingID, first)

	t.Run("the group page lists upcoming meetings in Madrid time, and the viewer's time when they chose another zone", func(t *testing.T) {
		st, body := visitor.get(base)
		if st != 200 || !strings.Contains(body, `id="upcoming-meetings"`) || !strings.Contains(body, "6:30 PM Madrid") || strings.Contains(body, "your time") {
			t.Fatalf("group page %d", st)
		}
		nyc := newBrowser(t, ts, "en")
		nyc.post("/timezone", url.Values{"tz": {"America/New_York"}, "next": {base}})
		_, body = nyc.get(base)
		// 16 March: Madrid is UTC+1, New York already UTC-4.
		if !strings.Contains(body, "6:30 PM Madrid") || !strings.Contains(body, "1:30 PM EDT your time") {
			t.Fatalf("no viewer time:\n%s", body)
		}
	})
	t.Run("the link is on no page before its time, and never the real one", func(t *testing.T) {
		for name, b := range map[string]*browser{"visitor": visitor, "member": pat} {
			st, body := b.get(occ)
			if st != 200 || strings.Contains(body, "meet.example.org") || strings.Contains(body, "/go/") {
				t.Fatalf("%s sees the link: %d", name, st)
			}
		}
		_, body := pat.get(occ)
		if !strings.Contains(body, `data-state="not_yet"`) {
			t.Fatalf("member is not told when the link appears:\n%s", body)
		}
		_, body = visitor.get(base)
		if strings.Contains(body, "meet.example.org") {
			t.Fatal("the group page shows the link")
		}
	})
	var goPath string
	t.Run("from 30 minutes before, a member's page shows a personal link that leads to the conference", func(t *testing.T) {
		m.clk.Set(first.Add(-15 * time.Minute))
		_, body := pat.get(occ)
		if !strings.Contains(body, `data-state="open"`) || strings.Contains(body, "meet.example.org") {
			t.Fatalf("member page:\n%s", body)
		}
		i := strings.Index(body, `href="/go/`)
		if i < 0 {
			t.Fatal("no personal link")
		}
		goPath = body[i+6 : i+6+strings.Index(body[i+6:], `"`)]
		st, _, h := visitor.do("GET", goPath, nil)
		if st != http.StatusSeeOther || h.Get("Location") != secretLink {
			t.Fatalf("follow: %d %q", st, h.Get("Location"))
		}
		if st, body := visitor.get(occ); st != 200 || strings.Contains(body, "/go/") {
			t.Fatal("a visitor sees a personal link")
		}
	})
	t.Run("a facilitator turns the link off: it leads to a calm page saying whom to ask", func(t *testing.T) {
		st, _, _ := fac.post("/groups/"+m.slug+"/meeting-links/"+strconv.FormatInt(meetingID, 10)+"/"+strconv.FormatInt(m.pat.ID, 10),
			url.Values{"action": {"revoke"}, "next": {occ}})
		if st != http.StatusSeeOther {
			t.Fatalf("revoke %d", st)
		}
		st, body, h := visitor.do("GET", goPath, nil)
		if st != http.StatusForbidden || h.Get("Location") != "" || !strings.Contains(body, "contact the group") {
			t.Fatalf("follow after revoke: %d %s", st, body)
		}
		_, body = pat.get(occ)
		if !strings.Contains(body, `data-state="revoked"`) {
			t.Fatal("the member's page does not say the link is off")
		}
		st, body = fac.get(base + "/meetings")
		if st != 200 || !strings.Contains(body, "Pat") || !strings.Contains(body, "Give a new link") {
			t.Fatal("the meetings page does not list the revoked person")
		}
	})
	t.Run("RSVP up to capacity; past it a clear message and nothing changes", func(t *testing.T) {
		m.clk.Set(time.Date(2027, 3, 9, 12, 0, 0, 0, time.UTC))
		next := app.OccurrencePath(m.slug, meetingID, first.AddDate(0, 0, 14))
		for i, name := range []string{"rsvp-one", "rsvp-two"} {
			u := ts.SignUp(t, name, "")
			if _, err := ts.App.JoinGroup(context.Background(), ts.Actor(t, ts.Token(t, u)), m.slug, "Member "+strconv.Itoa(i+1), true); err != nil {
				t.Fatal(err)
			}
			b := signedInBrowser(t, ts, name, "en")
			if st, body, _ := b.post(next+"/rsvp", url.Values{}); st != http.StatusSeeOther {
				t.Fatalf("rsvp %d %s", st, body)
			}
		}
		st, body, _ := pat.post(next+"/rsvp", url.Values{})
		if st != http.StatusConflict || !strings.Contains(body, "This meeting is full") {
			t.Fatalf("past capacity: %d", st)
		}
		_, body = pat.get(next)
		if !strings.Contains(body, "2 of 2 places taken") {
			t.Fatal("places changed")
		}
	})
	t.Run("cancelling one date tells members and the page says so", func(t *testing.T) {
		third := app.OccurrencePath(m.slug, meetingID, first.AddDate(0, 0, 28))
		st, _, _ := fac.post(third+"/change", url.Values{"action": {"cancel"}, "note": {"Holiday"}})
		if st != http.StatusSeeOther {
			t.Fatalf("cancel %d", st)
		}
		_, body := visitor.get(third)
		if !strings.Contains(body, "This meeting is cancelled.") || !strings.Contains(body, "Holiday") {
			t.Fatal("the page does not say it is cancelled")
		}
		notices, _, _ := ts.App.MyNotices(context.Background(), m.patActr, 0)
		found := false
		for _, n := range notices {
			found = found || n.Kind == "meeting_cancelled"
		}
		if !found {
			t.Fatal("the member got no notice")
		}
	})
	t.Run("attendance is taken on the page and shows in the report", func(t *testing.T) {
		m.clk.Set(first.Add(30 * time.Minute))
		st, body, _ := fac.post(occ+"/attendance", url.Values{"mark_" + strconv.FormatInt(m.pat.ID, 10): {"present"}})
		if st != http.StatusSeeOther {
			t.Fatalf("attendance %d %s", st, body)
		}
		_, body = fac.get(base + "/attendance")
		if !strings.Contains(body, "Pat") || !strings.Contains(body, "100") {
			t.Fatalf("report:\n%s", body)
		}
		_, body = pat.get(base + "/attendance")
		if !strings.Contains(body, "Present") || strings.Contains(body, `id="rate-table"`) {
			t.Fatal("a member's own view is wrong")
		}
	})
	t.Run("the pages read in Spanish", func(t *testing.T) {
		es := signedInBrowser(t, ts, "ana-facilita", "es")
		_, body := es.get(base + "/meetings")
		if !strings.Contains(body, "Cada dos semanas, el martes") || !strings.Contains(body, "Añadir una reunión") {
			t.Fatalf("Spanish meetings page:\n%s", body)
		}
		_, body = es.get(occ)
		if !strings.Contains(body, "Cómo asistir") {
			t.Fatal("Spanish occurrence page")
		}
	})
	t.Run("moving the meeting to Wednesdays tells the facilitator the cancellations and places it dropped", func(t *testing.T) {
		m.clk.Set(time.Date(2027, 3, 9, 12, 0, 0, 0, time.UTC))
		later := first.AddDate(0, 0, 28)
		if _, err := ts.App.ChangeOccurrence(context.Background(), m.facActor, m.slug, meetingID, app.ExceptionInput{Original: later, Cancel: true}); err != nil {
			t.Fatal(err)
		}
		form := biweeklyForm()
		form["day"] = []string{"wed"}
		path := fmt.Sprintf("%s/meetings/%d", base, meetingID)
		st, body, h := fac.post(path, form)
		if st != http.StatusSeeOther || h.Get("Location") != base+"/meetings?dropped=1&places=2" {
			t.Fatalf("status %d, to %q: %s", st, h.Get("Location"), body)
		}
		_, body = fac.get(h.Get("Location"))
		if !strings.Contains(body, `id="dropped-exceptions"`) || !strings.Contains(body, "one cancellation or move") {
			t.Fatalf("no notice of the dropped cancellation:\n%s", body)
		}
		// The two places taken earlier on the first Tuesday are given back.
		if !strings.Contains(body, `id="dropped-places"`) || !strings.Contains(body, "2 places taken on dates") {
			t.Fatalf("no notice of the places given back:\n%s", body)
		}
		if _, body = fac.get(base + "/meetings"); strings.Contains(body, `id="dropped-exceptions"`) {
			t.Fatal("the notice stays on a plain visit")
		}
	})
}

func TestMeetingsAPI(t *testing.T) {
	for _, e := range sqldbtest.Engines() {
		t.Run(string(e), func(t *testing.T) { meetingsAPI(t, e) })
	}
}

func meetingsAPI(t *testing.T, e sqldb.Engine) {
	m := newMeetingSite(t, e, time.Date(2027, 3, 9, 12, 0, 0, 0, time.UTC), hearth.Online)
	ts := m.ts
	api := "/api/v1/groups/" + m.slug
	good := map[string]any{"start": "2027-03-16T18:30", "duration_minutes": 90, "rrule": "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;COUNT=8",
		"attend": map[string]any{"mode": "online", "conference_url": secretLink}, "capacity": 1}
	with := func(changes map[string]any) map[string]any {
		out := map[string]any{}
		for k, v := range good {
			out[k] = v
		}
		for k, v := range changes {
			out[k] = v
		}
		return out
	}
	t.Run("bad input is refused with the field named, and nothing changes", func(t *testing.T) {
		for _, c := range []struct {
			name  string
			body  map[string]any
			field string
		}{
			{"a rule that never ends, not marked ongoing", with(map[string]any{"rrule": "FREQ=WEEKLY;BYDAY=TU"}), "rrule"},
			{"a time zone that does not exist", with(map[string]any{"time_zone": "Europe/Atlantis"}), "time_zone"},
			{"duration 0", with(map[string]any{"duration_minutes": 0}), "duration_minutes"},
			{"duration over 24 hours", with(map[string]any{"duration_minutes": 1500}), "duration_minutes"},
			{"a one-off in the past", with(map[string]any{"rrule": "", "start": "2027-03-01T10:00"}), "start"},
			{"a javascript: link", with(map[string]any{"attend": map[string]any{"mode": "online", "conference_url": "javascript:alert(1)"}}), "conference_url"},
			{"a non-https link", with(map[string]any{"attend": map[string]any{"mode": "online", "conference_url": "http://meet.example.org"}}), "conference_url"},
			{"a rule Hearth cannot read", with(map[string]any{"rrule": "FREQ=HOURLY"}), "rrule"},
		} {
			t.Run(c.name, func(t *testing.T) {
				ts.call(t, "POST", api+"/meetings", m.facToken, c.body).wantError(t, 400, c.field)
			})
		}
		res := ts.call(t, "GET", api+"/meetings", m.facToken, nil)
		res.wantStatus(t, 200)
		if len(res.list("meetings")) != 0 {
			t.Fatalf("meetings were added: %s", res.Body)
		}
	})
	res := ts.call(t, "POST", api+"/meetings", m.facToken, good)
	res.wantStatus(t, 201)
	id := int64(res.JSON["id"].(float64))
	mpath := api + "/meetings/" + strconv.FormatInt(id, 10)
	if res.JSON["rrule"] != "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;COUNT=8" || jsonObj(res.JSON["schedule"])["kind"] != "biweekly" {
		t.Fatalf("created %s", res.Body)
	}
	t.Run("anyone reads the meetings, but only the group's runners see the link", func(t *testing.T) {
		anon := ts.call(t, "GET", api+"/meetings", "", nil)
		anon.wantStatus(t, 200)
		if strings.Contains(string(anon.Body), "meet.example.org") {
			t.Fatalf("anonymous sees the link: %s", anon.Body)
		}
		member := ts.call(t, "GET", api+"/meetings", m.patTok, nil)
		if strings.Contains(string(member.Body), "meet.example.org") {
			t.Fatal("a member sees the stored link in the list")
		}
		fac := ts.call(t, "GET", api+"/meetings", m.facToken, nil)
		if !strings.Contains(string(fac.Body), "meet.example.org") {
			t.Fatal("the facilitator does not see the link")
		}
	})
	first := time.Date(2027, 3, 16, 18, 30, 0, 0, madridZone)
	at := strconv.FormatInt(first.Unix(), 10)
	t.Run("occurrences keep 18:30 in Madrid across the change to summer time", func(t *testing.T) {
		res := ts.call(t, "GET", api+"/occurrences?from=2027-03-01&to=2027-05-01", "", nil)
		res.wantStatus(t, 200)
		occs := res.list("occurrences")
		if len(occs) != 4 {
			t.Fatalf("%d occurrences", len(occs))
		}
		for _, o := range occs {
			if !strings.HasSuffix(jsonObj(o)["local_start"].(string), "T18:30") {
				t.Fatalf("occurrence %v", o)
			}
		}
		if jsonObj(occs[0])["start"] != "2027-03-16T17:30:00Z" || jsonObj(occs[1])["start"] != "2027-03-30T16:30:00Z" {
			t.Fatalf("UTC starts %v %v", jsonObj(occs[0])["start"], jsonObj(occs[1])["start"])
		}
		ts.call(t, "GET", api+"/occurrences?from=yesterday", "", nil).wantError(t, 400, "from")
	})
	t.Run("an exception for an occurrence that does not exist is refused", func(t *testing.T) {
		ts.call(t, "POST", mpath+"/exceptions", m.facToken, map[string]any{"original_start": "2027-03-17T17:30:00Z", "action": "cancel"}).wantError(t, 400, "original_start")
	})
	t.Run("RSVP: one place; the second person is told it is full", func(t *testing.T) {
		ts.call(t, "POST", mpath+"/occurrences/"+at+"/rsvp", m.patTok, nil).wantStatus(t, 201)
		other := ts.SignUp(t, "otro-miembro", "")
		otherTok := ts.Token(t, other)
		if _, err := ts.App.JoinGroup(context.Background(), ts.Actor(t, otherTok), m.slug, "Otro", true); err != nil {
			t.Fatal(err)
		}
		res := ts.call(t, "POST", mpath+"/occurrences/"+at+"/rsvp", otherTok, nil)
		res.wantError(t, 409)
		if res.code() != "meeting_full" {
			t.Fatalf("code %s", res.code())
		}
		d := ts.call(t, "GET", mpath+"/occurrences/"+at, m.patTok, nil)
		d.wantStatus(t, 200)
		if d.JSON["taken"] != 1.0 || d.JSON["rsvp"] != true || jsonObj(d.JSON["link"])["state"] != "not_yet" {
			t.Fatalf("detail %s", d.Body)
		}
	})
	t.Run("attendance, the report, link policy and personal links", func(t *testing.T) {
		m.clk.Set(first.Add(10 * time.Minute))
		d := ts.call(t, "GET", mpath+"/occurrences/"+at, m.patTok, nil)
		link := jsonObj(d.JSON["link"])
		if link["state"] != "open" || !strings.Contains(link["url"].(string), "/go/") {
			t.Fatalf("link %v", link)
		}
		person := strconv.FormatInt(m.pat.ID, 10)
		res := ts.call(t, "PUT", mpath+"/occurrences/"+at+"/attendance", m.facToken, map[string]any{"marks": map[string]any{person: "absent"}})
		res.wantStatus(t, 200)
		ts.call(t, "PUT", mpath+"/occurrences/"+at+"/attendance", m.facToken, map[string]any{"marks": map[string]any{person: "asleep"}}).wantError(t, 400, "marks")
		ts.call(t, "PUT", mpath+"/occurrences/"+at+"/attendance", m.patTok, map[string]any{"marks": map[string]any{person: "present"}}).wantError(t, 403)
		rep := ts.call(t, "GET", api+"/attendance", m.facToken, nil)
		rep.wantStatus(t, 200)
		if len(rep.list("members")) != 3 {
			t.Fatalf("report %s", rep.Body)
		}
		mine := ts.call(t, "GET", api+"/attendance", m.patTok, nil)
		if len(mine.list("members")) != 0 || len(mine.list("mine")) != 1 {
			t.Fatalf("own report %s", mine.Body)
		}
		ts.call(t, "DELETE", mpath+"/links/"+person, m.facToken, nil).wantStatus(t, 204)
		d = ts.call(t, "GET", mpath+"/occurrences/"+at, m.patTok, nil)
		if jsonObj(d.JSON["link"])["state"] != "revoked" {
			t.Fatalf("after revoke %s", d.Body)
		}
		ts.call(t, "POST", mpath+"/links/"+person, m.facToken, nil).wantStatus(t, 204)
		ts.call(t, "PUT", api+"/meeting-policy", m.facToken, map[string]any{"publish_link": false, "link_lead_minutes": 5000}).wantError(t, 400, "link_lead_minutes")
		pol := ts.call(t, "PUT", api+"/meeting-policy", m.facToken, map[string]any{"publish_link": true, "link_lead_minutes": 15})
		pol.wantStatus(t, 200)
		anon := ts.call(t, "GET", mpath+"/occurrences/"+at, "", nil)
		if jsonObj(anon.JSON["link"])["url"] != secretLink {
			t.Fatalf("published link not shown: %s", anon.Body)
		}
	})
	t.Run("a meeting is changed and deleted", func(t *testing.T) {
		res := ts.call(t, "PUT", mpath, m.facToken, with(map[string]any{"title": "Círculo", "capacity": 12}))
		res.wantStatus(t, 200)
		if res.JSON["title"] != "Círculo" || res.JSON["capacity"] != 12.0 || res.JSON["dropped_exceptions"] != 0.0 {
			t.Fatalf("updated %s", res.Body)
		}
		// 30 March 18:30 in Madrid (summer time) is cancelled, then the
		// meeting moves to Wednesdays: the cancellation names nothing now.
		ts.call(t, "POST", mpath+"/exceptions", m.facToken, map[string]any{"original_start": "2027-03-30T16:30:00Z", "action": "cancel"}).wantStatus(t, 201)
		res = ts.call(t, "PUT", mpath, m.facToken, with(map[string]any{"start": "2027-03-17T18:30", "rrule": "FREQ=WEEKLY;INTERVAL=2;BYDAY=WE;COUNT=8"}))
		res.wantStatus(t, 200)
		if res.JSON["dropped_exceptions"] != 1.0 || res.JSON["dropped_places"] != 0.0 || len(jsonList(res.JSON["exceptions"])) != 0 {
			t.Fatalf("after moving to Wednesdays %s", res.Body)
		}
		if got := ts.call(t, "GET", api+"/meetings", m.facToken, nil); strings.Contains(string(got.Body), "dropped_exceptions") {
			t.Fatalf("the count shows outside the answer to a change: %s", got.Body)
		}
		ts.call(t, "DELETE", mpath, m.facToken, nil).wantStatus(t, 204)
		ts.call(t, "DELETE", mpath, m.facToken, nil).wantError(t, 404)
	})
}
