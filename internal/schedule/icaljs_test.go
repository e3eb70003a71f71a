package schedule

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hearth-org/hearth"
)

// icaljs is how to run testdata/icalcheck.mjs.
type icaljs struct{ node, script string }

// requireICALJS finds node and e2e/node_modules/ical.js. Without them the
// test skips, unless HEARTH_E2E=1 (scripts/test.sh and CI set it), when it
// fails: there the check must run.
func requireICALJS(t *testing.T) icaljs {
	t.Helper()
	var missing []string
	node, err := exec.LookPath("node")
	if err != nil {
		missing = append(missing, "node on PATH")
	}
	script, err := filepath.Abs(filepath.Join("testdata", "icalcheck.mjs"))
	if err != nil {
		t.Fatal(err)
	}
	// The same module icalcheck.mjs imports (HEARTH_ICALJS overrides both).
	mod := filepath.Join("..", "..", "e2e", "node_modules", "ical.js", "dist", "ical.js")
	if p := os.Getenv("HEARTH_ICALJS"); p != "" {
		mod = p
	}
	if _, err := os.Stat(mod); err != nil {
		missing = append(missing, "e2e/node_modules/ical.js (run npm ci in e2e/)")
	}
	if len(missing) > 0 {
		msg := "iCalendar check with ical.js needs " + strings.Join(missing, " and ") +
			"; ./scripts/test.sh installs them"
		if os.Getenv("HEARTH_E2E") == "1" {
			t.Fatal(msg + " (HEARTH_E2E=1, so this is a failure, not a skip)")
		}
		t.Skip(msg)
	}
	return icaljs{node: node, script: script}
}

type jsEvent struct {
	UID, Summary, Description, Location, URL, Status, RRule string
}

// jsOccurrence is one occurrence as icalcheck.mjs prints it, less its
// "original": ical.js's own instant for the RECURRENCE-ID, which on a
// clock-change night is not RFC 5545's. Occurrences are compared by their
// wall-clock name (OriginalLocal), start, end and status.
type jsOccurrence struct {
	UID           string
	OriginalLocal string
	Start, End    int64
	Status        string
}

type jsResult struct {
	Events      []jsEvent
	Occurrences []jsOccurrence
}

// run parses ics with ical.js and returns its events and the occurrences it
// expands overlapping [from, to).
func (j icaljs) run(t *testing.T, ics []byte, from, to time.Time) jsResult {
	t.Helper()
	cmd := exec.Command(j.node, j.script, strconv.FormatInt(from.Unix(), 10), strconv.FormatInt(to.Unix(), 10))
	cmd.Stdin = bytes.NewReader(ics)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("ical.js: %v\n%s\n--- calendar ---\n%s", err, stderr.Bytes(), ics)
	}
	var res jsResult
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("ical.js output: %v\n%s", err, out)
	}
	return res
}

// goOccurrences is what Expand says for the same events, as ical.js shows
// them: cancelled occurrences of a recurring meeting are absent (EXDATE),
// a cancelled one-off is an event with status CANCELLED.
func goOccurrences(c Calendar, from, to time.Time) []jsOccurrence {
	var out []jsOccurrence
	for _, e := range c.Events {
		for _, o := range Expand(e.Start, e.Duration, e.Rule, e.Exceptions, from, to) {
			status := e.Status
			if e.Rule == nil {
				o.Original = o.Start // a one-off's calendar entry is simply moved
			}
			if o.Cancelled {
				if e.Rule != nil {
					continue
				}
				status = "CANCELLED"
			}
			name := nominal(o.Original, e.Start).Format("2006-01-02T15:04:05")
			switch {
			case e.Rule == nil:
				name = o.Start.In(e.Start.Location()).Format("2006-01-02T15:04:05")
				if isUTC(e.Start.Location()) || !exactLocal(o.Start) {
					name = o.Start.UTC().Format("2006-01-02T15:04:05Z")
				}
			case isUTC(e.Start.Location()):
				name += "Z"
			}
			out = append(out, jsOccurrence{UID: e.UID, OriginalLocal: name, Start: o.Start.Unix(), End: o.End.Unix(), Status: status})
		}
	}
	return out
}

func showOccurrences(os []jsOccurrence) string {
	var b strings.Builder
	for _, o := range os {
		fmt.Fprintf(&b, "  %s original %s start %s end %s %s\n", o.UID, o.OriginalLocal,
			time.Unix(o.Start, 0).UTC().Format("2006-01-02 15:04"),
			time.Unix(o.End, 0).UTC().Format("15:04"), o.Status)
	}
	return b.String()
}

// sortOcc orders like icalcheck.mjs: by start, then UID.
func sortOcc(os []jsOccurrence) {
	for i := 1; i < len(os); i++ {
		for j := i; j > 0 && (os[j].Start < os[j-1].Start || os[j].Start == os[j-1].Start && os[j].UID < os[j-1].UID); j-- {
			os[j], os[j-1] = os[j-1], os[j]
		}
	}
}

// calendarScenarios are meetings across daylight-saving changes in several
// zones, with the exceptions pages make.
func calendarScenarios(t *testing.T) []struct {
	name     string
	from, to time.Time
	cal      Calendar
} {
	madrid := mustZone(t, "Europe/Madrid")
	ny := mustZone(t, "America/New_York")
	sydney := mustZone(t, "Australia/Sydney")
	saoPaulo := mustZone(t, "America/Sao_Paulo")
	kolkata := mustZone(t, "Asia/Kolkata")
	stamp := time.Date(2026, 9, 1, 12, 0, 0, 0, time.UTC)
	d := func(loc *time.Location, y, m, day, h, min int) time.Time {
		return time.Date(y, time.Month(m), day, h, min, 0, 0, loc)
	}
	ev := func(uid string, start time.Time, dur time.Duration, rule string, ex ...hearth.MeetingException) Event {
		e := Event{UID: uid, Summary: "Meeting " + uid, Start: start, Duration: dur, Stamp: stamp, Exceptions: ex}
		if rule != "" {
			e.Rule = mustRule(t, rule)
		}
		return e
	}
	autumn := [2]time.Time{time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC), time.Date(2027, 9, 1, 0, 0, 0, 0, time.UTC)}

	grief := ev("grief-cohort@hearth.test", d(madrid, 2026, 10, 13, 18, 30), 90*time.Minute, "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;COUNT=8",
		hearth.MeetingException{Original: d(madrid, 2026, 11, 10, 18, 30), Cancelled: true, Note: "Public holiday"},
		hearth.MeetingException{Original: d(madrid, 2026, 11, 24, 18, 30), Start: d(madrid, 2026, 11, 25, 19, 0), Duration: 60, Note: "Moved to Wednesday"},
		hearth.MeetingException{Original: d(madrid, 2027, 1, 19, 18, 30), Start: d(madrid, 2026, 12, 30, 18, 30)},
		hearth.MeetingException{Original: d(madrid, 2026, 11, 17, 18, 30), Cancelled: true}, // not an occurrence
	)
	grief.Summary = "Grief cohort; autumn, Madrid"
	grief.Description = "Eight sessions, every other Tuesday.\nBring nothing but yourself — ¿dudas? Escríbenos: el grupo es confidencial, y gratuito. " +
		"A long line that must be folded at seventy-five octets without splitting ñ, é, 😊 or 日本語."
	grief.Location = "Centro Cívico, Sala 2; Calle Mayor 5, Madrid"
	grief.URL = "https://hearth.test/groups/grief-madrid?x=1&y=2"
	grief.Status = "CONFIRMED"

	return []struct {
		name     string
		from, to time.Time
		cal      Calendar
	}{
		{"every other Tuesday in Madrid for 8 sessions, cancelled and moved", autumn[0], autumn[1], Calendar{Name: "Grief cohort", Events: []Event{grief}}},
		{"weekly Thursday in New York until a date, through both changes", autumn[0], autumn[1], Calendar{Events: []Event{
			ev("ny-thursday@hearth.test", d(ny, 2026, 10, 29, 19, 0), time.Hour, "FREQ=WEEKLY;BYDAY=TH;UNTIL=20270318",
				hearth.MeetingException{Original: d(ny, 2026, 11, 26, 19, 0), Cancelled: true, Note: "Thanksgiving"}),
		}}},
		{"second Tuesday in Sydney, ongoing, southern summer time", autumn[0], autumn[1], Calendar{Events: []Event{
			ev("sydney-2tu@hearth.test", d(sydney, 2026, 9, 8, 10, 0), time.Hour, "FREQ=MONTHLY;BYDAY=2TU",
				hearth.MeetingException{Original: d(sydney, 2027, 4, 13, 10, 0), Start: d(sydney, 2027, 4, 3, 19, 0)}),
		}}},
		{"last Friday in São Paulo, and the 31st and last day elsewhere", autumn[0], autumn[1], Calendar{Events: []Event{
			ev("sp-last-friday@hearth.test", d(saoPaulo, 2026, 10, 30, 20, 0), time.Hour, "FREQ=MONTHLY;BYDAY=-1FR;COUNT=5"),
			ev("ny-31st@hearth.test", d(ny, 2027, 1, 31, 19, 0), time.Hour, "FREQ=MONTHLY;BYMONTHDAY=31;COUNT=7"),
			ev("madrid-last-day@hearth.test", d(madrid, 2027, 1, 31, 12, 0), time.Hour, "FREQ=MONTHLY;BYMONTHDAY=-1;UNTIL=20270630"),
		}}},
		{"São Paulo in 2018, when it still changed its clocks on shifting dates", time.Date(2018, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2019, 6, 1, 0, 0, 0, 0, time.UTC), Calendar{Events: []Event{
			ev("sp-2018@hearth.test", d(saoPaulo, 2018, 1, 13, 19, 0), 2*time.Hour, "FREQ=WEEKLY;INTERVAL=3;BYDAY=SA;UNTIL=20190420"),
		}}},
		{"New York in 2006 and 2007, when the United States moved its clock changes", time.Date(2006, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2007, 12, 1, 0, 0, 0, 0, time.UTC), Calendar{Events: []Event{
			ev("ny-2006@hearth.test", d(ny, 2006, 3, 4, 19, 30), time.Hour, "FREQ=WEEKLY;BYDAY=SA;UNTIL=20071117"),
		}}},
		{"an online meeting in UTC and a daily one in India", autumn[0], autumn[1], Calendar{Events: []Event{
			ev("utc-online@hearth.test", time.Date(2026, 10, 18, 17, 0, 0, 0, time.UTC), 45*time.Minute, "FREQ=WEEKLY;INTERVAL=2;BYDAY=SU,TH;WKST=SU;COUNT=12"),
			ev("kolkata-weekdays@hearth.test", d(kolkata, 2026, 10, 22, 7, 30), 30*time.Minute, "FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR;COUNT=15"),
		}}},
		{"meetings at wall-clock times that clocks skip or repeat", time.Date(2018, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2019, 6, 1, 0, 0, 0, 0, time.UTC), Calendar{Events: []Event{
			ev("sp-midnight@hearth.test", d(saoPaulo, 2018, 10, 21, 0, 30), time.Hour, "FREQ=WEEKLY;COUNT=4"), // 4 November 2018 00:30 did not exist
			ev("ny-gap@hearth.test", d(ny, 2019, 3, 3, 2, 30), time.Hour, "FREQ=WEEKLY;BYDAY=SU;COUNT=3",
				hearth.MeetingException{Original: d(ny, 2019, 3, 17, 2, 30), Cancelled: true}),
			ev("madrid-twice@hearth.test", d(madrid, 2018, 10, 14, 2, 30), time.Hour, "FREQ=WEEKLY;COUNT=4",
				hearth.MeetingException{Original: d(madrid, 2018, 11, 4, 2, 30), Start: d(madrid, 2018, 11, 4, 12, 0)}),
			ev("ny-twice-one-off@hearth.test", d(ny, 2018, 11, 4, 1, 15), 30*time.Minute, ""),
		}}},
		{"zones with odd rules: a half-hour change, Ramadan changes, negative summer time", autumn[0], autumn[1], Calendar{Events: []Event{
			ev("lord-howe@hearth.test", d(mustZone(t, "Australia/Lord_Howe"), 2026, 9, 1, 18, 0), time.Hour, "FREQ=WEEKLY;BYDAY=TU;COUNT=40"),
			ev("casablanca@hearth.test", d(mustZone(t, "Africa/Casablanca"), 2026, 9, 5, 18, 0), time.Hour, "FREQ=WEEKLY;BYDAY=SA;COUNT=50"),
			ev("dublin@hearth.test", d(mustZone(t, "Europe/Dublin"), 2026, 9, 2, 19, 0), time.Hour, "FREQ=MONTHLY;BYDAY=1WE;COUNT=12"),
			ev("chatham@hearth.test", d(mustZone(t, "Pacific/Chatham"), 2026, 9, 3, 19, 45), time.Hour, "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH;COUNT=26"),
		}}},
		{"one-off meetings, one moved and one cancelled", autumn[0], autumn[1], Calendar{Events: []Event{
			ev("one-off-moved@hearth.test", d(madrid, 2026, 10, 24, 11, 0), time.Hour, "",
				hearth.MeetingException{Original: d(madrid, 2026, 10, 24, 11, 0), Start: d(madrid, 2026, 10, 25, 11, 0), Duration: 120}),
			ev("one-off-cancelled@hearth.test", d(ny, 2026, 11, 1, 1, 30), time.Hour, "",
				hearth.MeetingException{Original: d(ny, 2026, 11, 1, 1, 30), Cancelled: true}),
			ev("one-off@hearth.test", d(sydney, 2026, 10, 4, 9, 0), time.Hour, ""),
		}}},
	}
}

func TestCalendarsReadByICALJSGiveTheSameOccurrencesAsExpand(t *testing.T) {
	js := requireICALJS(t)
	scenarios := calendarScenarios(t)
	var all Calendar
	all.Name = "All of them"
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := WriteCalendar(&buf, sc.cal); err != nil {
				t.Fatal(err)
			}
			got := js.run(t, buf.Bytes(), sc.from, sc.to)
			want := goOccurrences(sc.cal, sc.from, sc.to)
			sortOcc(want)
			if len(want) == 0 {
				t.Fatal("the scenario has no occurrences in its window")
			}
			if fmt.Sprint(got.Occurrences) != fmt.Sprint(want) {
				t.Fatalf("ical.js and Expand disagree\nical.js:\n%sExpand:\n%s--- calendar ---\n%s",
					showOccurrences(got.Occurrences), showOccurrences(want), buf.Bytes())
			}
			if len(got.Events) != len(sc.cal.Events) {
				t.Fatalf("ical.js read %d events, want %d", len(got.Events), len(sc.cal.Events))
			}
		})
		if sc.from.Year() == 2026 {
			all.Events = append(all.Events, sc.cal.Events...)
		}
	}
	t.Run("all the meetings in one calendar, one VTIMEZONE per zone", func(t *testing.T) {
		var buf bytes.Buffer
		if err := WriteCalendar(&buf, all); err != nil {
			t.Fatal(err)
		}
		if n := strings.Count(buf.String(), "BEGIN:VTIMEZONE\r\n"); n != 9 {
			t.Fatalf("%d VTIMEZONEs, want 9 (Madrid, New York, Sydney, São Paulo, Kolkata, Lord Howe, Casablanca, Dublin, Chatham; none for UTC)", n)
		}
		from, to := time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC), time.Date(2027, 9, 1, 0, 0, 0, 0, time.UTC)
		got := js.run(t, buf.Bytes(), from, to)
		want := goOccurrences(all, from, to)
		sortOcc(want)
		if fmt.Sprint(got.Occurrences) != fmt.Sprint(want) {
			t.Fatalf("ical.js and Expand disagree\nical.js:\n%sExpand:\n%s", showOccurrences(got.Occurrences), showOccurrences(want))
		}
	})
	t.Run("text survives escaping and folding", func(t *testing.T) {
		e := scenarios[0].cal.Events[0]
		var buf bytes.Buffer
		if err := WriteCalendar(&buf, scenarios[0].cal); err != nil {
			t.Fatal(err)
		}
		got := js.run(t, buf.Bytes(), scenarios[0].from, scenarios[0].to)
		want := jsEvent{UID: e.UID, Summary: e.Summary, Description: e.Description, Location: e.Location, URL: e.URL, Status: e.Status, RRule: "FREQ=WEEKLY;COUNT=8;INTERVAL=2;BYDAY=TU"}
		if len(got.Events) != 1 || got.Events[0] != want {
			t.Fatalf("ical.js read\n%+v\nwant\n%+v", got.Events, want)
		}
	})
}
