package web

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/app"
	"github.com/hearth-org/hearth/internal/sqldb"
)

// icalReader parses a feed with ical.js (the parser Thunderbird uses),
// through the schedule package's checker script.
type icalReader struct{ node, script string }

func requireICAL(t *testing.T) icalReader {
	t.Helper()
	var missing []string
	node, err := exec.LookPath("node")
	if err != nil {
		missing = append(missing, "node on PATH")
	}
	script, _ := filepath.Abs(filepath.Join("..", "schedule", "testdata", "icalcheck.mjs"))
	mod := filepath.Join("..", "..", "e2e", "node_modules", "ical.js", "dist", "ical.js")
	if p := os.Getenv("HEARTH_ICALJS"); p != "" {
		mod = p
	}
	if _, err := os.Stat(mod); err != nil {
		missing = append(missing, "e2e/node_modules/ical.js (npm ci in e2e/)")
	}
	if _, err := os.Stat(script); err != nil {
		missing = append(missing, "internal/schedule/testdata/icalcheck.mjs")
	}
	if len(missing) > 0 {
		msg := "reading feeds with ical.js needs " + strings.Join(missing, " and ")
		if os.Getenv("HEARTH_E2E") == "1" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return icalReader{node: node, script: script}
}

type icalEvent struct {
	UID, Summary, Description, Location, URL, Status, RRule string
}

type icalOccurrence struct {
	UID        string
	Start, End int64
	Status     string
}

type icalResult struct {
	Events      []icalEvent
	Occurrences []icalOccurrence
}

func (r icalReader) read(t *testing.T, ics []byte, from, to time.Time) icalResult {
	t.Helper()
	cmd := exec.Command(r.node, r.script, strconv.FormatInt(from.Unix(), 10), strconv.FormatInt(to.Unix(), 10))
	cmd.Stdin = bytes.NewReader(ics)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("ical.js refused the feed: %v\n%s\n%s", err, stderr.Bytes(), ics)
	}
	var res icalResult
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("ical.js output: %v", err)
	}
	return res
}

func getFeed(t *testing.T, ts *testServer, path string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest("GET", ts.URL+path, nil)
	req.Header.Set("Origin", "https://intergroup.example.org")
	res, err := ts.Client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res, body
}

func TestCalendars(t *testing.T) {
	ical := requireICAL(t)
	ctx := context.Background()
	m := newMeetingSite(t, sqldb.SQLite, time.Date(2027, 3, 9, 12, 0, 0, 0, time.UTC), hearth.Hybrid)
	ts := m.ts
	weekly, err := ts.App.CreateMeeting(ctx, m.facActor, m.slug, app.MeetingInput{Start: "2027-03-16T18:30", Duration: 90,
		RRule: "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;COUNT=8", Attend: hearth.Attend{Mode: hearth.Hybrid, VenueNotes: "Sala 2", ConferenceURL: secretLink,
			Phone: "+34 900 000 000", AccessCode: "4321"}})
	if err != nil {
		t.Fatal(err)
	}
	monthly, err := ts.App.CreateMeeting(ctx, m.facActor, m.slug, app.MeetingInput{Title: "Último viernes", Start: "2027-03-26T10:00", Duration: 60,
		RRule: "FREQ=MONTHLY;BYDAY=-1FR", Ongoing: true, Attend: hearth.Attend{Mode: hearth.InPerson}})
	if err != nil {
		t.Fatal(err)
	}
	first := time.Date(2027, 3, 16, 18, 30, 0, 0, madridZone)
	if _, err := ts.App.ChangeOccurrence(ctx, m.facActor, m.slug, weekly.ID, app.ExceptionInput{Original: first.AddDate(0, 0, 14), Cancel: true, Note: "Semana Santa"}); err != nil {
		t.Fatal(err)
	}
	if _, err := ts.App.ChangeOccurrence(ctx, m.facActor, m.slug, weekly.ID, app.ExceptionInput{Original: first.AddDate(0, 0, 28), Start: "2027-04-14T19:00", Duration: 60}); err != nil {
		t.Fatal(err)
	}
	from, to := time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2027, 7, 1, 0, 0, 0, 0, time.UTC)

	// want lists what Hearth itself says the group's occurrences are,
	// cancelled ones left out (calendars drop them with EXDATE).
	want := func(t *testing.T) map[int64]int64 {
		t.Helper()
		items, err := ts.App.Occurrences(ctx, hearth.Anonymous, m.slug, from, to)
		if err != nil {
			t.Fatal(err)
		}
		out := map[int64]int64{}
		for _, it := range items {
			if !it.Cancelled {
				out[it.Start.Unix()] = it.End.Unix()
			}
		}
		return out
	}

	t.Run("the public feed reads in ical.js as Hearth's own occurrences, across the change to summer time", func(t *testing.T) {
		res, body := getFeed(t, ts, "/groups/"+m.slug+"/calendar.ics")
		if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/calendar") {
			t.Fatalf("status %d %q", res.StatusCode, res.Header.Get("Content-Type"))
		}
		if res.Header.Get("Access-Control-Allow-Origin") != "*" || res.Header.Get("Access-Control-Allow-Credentials") != "" {
			t.Fatalf("CORS headers %v", res.Header)
		}
		text := string(body)
		for _, must := range []string{"BEGIN:VTIMEZONE", "TZID:Europe/Madrid", "RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;COUNT=8", "EXDATE", "RECURRENCE-ID"} {
			if !strings.Contains(text, must) {
				t.Errorf("the feed has no %s", must)
			}
		}
		for _, never := range []string{"meet.example.org", "900 000 000", "4321", "pat-miembro", "Pat"} {
			if strings.Contains(text, never) {
				t.Errorf("the public feed carries %q", never)
			}
		}
		got := ical.read(t, body, from, to)
		if len(got.Events) != 2 {
			t.Fatalf("%d events", len(got.Events))
		}
		w := want(t)
		if len(got.Occurrences) != len(w) {
			t.Fatalf("ical.js sees %d occurrences, Hearth %d", len(got.Occurrences), len(w))
		}
		for _, o := range got.Occurrences {
			end, ok := w[o.Start]
			if !ok || end != o.End {
				t.Errorf("ical.js has %s–%s, which Hearth does not", time.Unix(o.Start, 0).UTC(), time.Unix(o.End, 0).UTC())
			}
			if o.Status == "CANCELLED" {
				t.Errorf("a cancelled occurrence is listed")
			}
		}
		// Before and after the clocks change, 18:30 in Madrid.
		for _, at := range []time.Time{first, first.AddDate(0, 0, 42)} {
			if _, ok := w[at.Unix()]; !ok {
				t.Errorf("no meeting at %v", at)
			}
		}
		if first.UTC().Hour() != 17 || first.AddDate(0, 0, 42).UTC().Hour() != 16 {
			t.Fatal("the test's dates do not straddle the change")
		}
	})
	t.Run("a group that publishes its link puts it in the public feed", func(t *testing.T) {
		if err := ts.App.SetMeetingPolicy(ctx, m.facActor, m.slug, hearth.MeetingPolicy{PublishLink: true, LinkLeadMinutes: 30}); err != nil {
			t.Fatal(err)
		}
		_, body := getFeed(t, ts, "/groups/"+m.slug+"/calendar.ics")
		got := ical.read(t, body, from, to)
		found := false
		for _, e := range got.Events {
			found = found || e.URL == secretLink
		}
		if !found {
			t.Fatal("the published link is not in the feed")
		}
		if err := ts.App.SetMeetingPolicy(ctx, m.facActor, m.slug, hearth.MeetingPolicy{LinkLeadMinutes: 30}); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("a private group has no public feed, nor does an unknown one", func(t *testing.T) {
		if res, _ := getFeed(t, ts, "/groups/no-such-group/calendar.ics"); res.StatusCode != 404 {
			t.Fatalf("unknown: %d", res.StatusCode)
		}
		g, err := ts.App.Group(ctx, m.facActor, m.slug)
		if err != nil {
			t.Fatal(err)
		}
		g.Group.Visibility = hearth.Private
		if err := ts.App.UpdateGroup(ctx, m.facActor, m.slug, g.Group); err != nil {
			t.Fatal(err)
		}
		if res, _ := getFeed(t, ts, "/groups/"+m.slug+"/calendar.ics"); res.StatusCode != 404 {
			t.Fatalf("private: %d", res.StatusCode)
		}
		g.Group.Visibility = hearth.Listed
		if err := ts.App.UpdateGroup(ctx, m.facActor, m.slug, g.Group); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("the private feed: a member's meetings, links only to Hearth, behind an address a new one revokes", func(t *testing.T) {
		pat := signedInBrowser(t, ts, "pat-miembro", "en")
		st, body, _ := pat.post("/account/calendar", nil)
		if st != http.StatusCreated {
			t.Fatalf("make address: %d", st)
		}
		i := strings.Index(body, "/calendar/")
		j := strings.Index(body[i:], ".ics")
		if i < 0 || j < 0 {
			t.Fatal("no address shown")
		}
		path := body[i : i+j+4]
		res, ics := getFeed(t, ts, path)
		if res.StatusCode != 200 || res.Header.Get("Access-Control-Allow-Origin") != "" || !strings.Contains(res.Header.Get("Cache-Control"), "private") {
			t.Fatalf("private feed %d %v", res.StatusCode, res.Header)
		}
		if strings.Contains(string(ics), "meet.example.org") || strings.Contains(string(ics), "4321") {
			t.Fatal("the private feed carries a protected link")
		}
		got := ical.read(t, ics, from, to)
		if len(got.Events) != 2 || len(got.Occurrences) != len(want(t)) {
			t.Fatalf("%d events, %d occurrences", len(got.Events), len(got.Occurrences))
		}
		for _, e := range got.Events {
			if !strings.Contains(e.URL, "/groups/"+m.slug+"/meetings/") {
				t.Fatalf("event URL %q does not lead to Hearth", e.URL)
			}
		}
		_, page := pat.get("/account/calendar")
		if strings.Contains(page, path) {
			t.Fatal("the address is shown again")
		}
		if st, _, _ := pat.post("/account/calendar", nil); st != http.StatusCreated {
			t.Fatal("second address")
		}
		if res, _ := getFeed(t, ts, path); res.StatusCode != 404 {
			t.Fatalf("the old address still works: %d", res.StatusCode)
		}
	})
	t.Run("someone who RSVP'd to an open online group gets that occurrence only", func(t *testing.T) {
		g, _ := ts.App.Group(ctx, m.facActor, m.slug)
		g.Group.Format = hearth.Online
		if err := ts.App.UpdateGroup(ctx, m.facActor, m.slug, g.Group); err != nil {
			t.Fatal(err)
		}
		guest := ts.SignUp(t, "guest-caller", "")
		tok := ts.Token(t, guest)
		ts.call(t, "POST", "/api/v1/groups/"+m.slug+"/meetings/"+strconv.FormatInt(weekly.ID, 10)+"/occurrences/"+strconv.FormatInt(first.Unix(), 10)+"/rsvp", tok, nil).wantStatus(t, 201)
		res := ts.call(t, "POST", "/api/v1/account/calendar", tok, nil)
		res.wantStatus(t, 201)
		u := res.JSON["url"].(string)
		_, ics := getFeed(t, ts, u[strings.Index(u, "/calendar/"):])
		got := ical.read(t, ics, from, to)
		if len(got.Occurrences) != 1 || got.Occurrences[0].Start != first.Unix() {
			t.Fatalf("guest feed %+v", got.Occurrences)
		}
		_ = monthly
	})
}
