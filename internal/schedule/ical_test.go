package schedule

import (
	"bytes"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/hearth-org/hearth"
)

func writeCal(t *testing.T, c Calendar) string {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteCalendar(&buf, c); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// unfold joins folded lines and splits on CRLF.
func unfold(s string) []string {
	return strings.Split(strings.TrimSuffix(strings.ReplaceAll(s, "\r\n ", ""), "\r\n"), "\r\n")
}

// component returns the unfolded lines of the first component named name.
func component(lines []string, name string) []string {
	var out []string
	in := false
	for _, l := range lines {
		if l == "BEGIN:"+name {
			in = true
		}
		if in {
			out = append(out, l)
		}
		if in && l == "END:"+name {
			break
		}
	}
	return out
}

func has(lines []string, want string) bool {
	for _, l := range lines {
		if l == want {
			return true
		}
	}
	return false
}

func TestWriteCalendarFollowsRFC5545Syntax(t *testing.T) {
	madrid := mustZone(t, "Europe/Madrid")
	long := strings.Repeat("Grupo de duelo — ñandú 😊 日本語, ", 12)
	cal := Calendar{
		Name:        "Hearth: Grief, Madrid",
		Description: "Meetings of one group; nothing private.",
		Refresh:     12 * time.Hour,
		Events: []Event{{
			UID: "meeting-1@hearth.test", Summary: long, Description: "Line one\nLine two; with, commas \\ and a backslash\r\nEnd",
			Location: "Calle Mayor 5", URL: "https://hearth.test/groups/grief",
			Start: time.Date(2026, 10, 13, 18, 30, 0, 0, madrid), Duration: 90 * time.Minute,
			Rule: mustRule(t, "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;COUNT=8"), Status: "CONFIRMED",
			Stamp: time.Date(2026, 9, 1, 12, 0, 0, 0, madrid),
		}},
	}
	out := writeCal(t, cal)

	t.Run("every line ends in CRLF and none is longer than 75 octets", func(t *testing.T) {
		if !strings.HasSuffix(out, "\r\n") {
			t.Fatal("no final CRLF")
		}
		for i, l := range strings.Split(strings.TrimSuffix(out, "\r\n"), "\r\n") {
			if strings.ContainsAny(l, "\r\n") {
				t.Fatalf("line %d has a bare CR or LF: %q", i, l)
			}
			if len(l) > 75 {
				t.Fatalf("line %d is %d octets: %q", i, len(l), l)
			}
			if !utf8.ValidString(l) {
				t.Fatalf("line %d splits a UTF-8 sequence: %q", i, l)
			}
		}
	})
	lines := unfold(out)
	t.Run("the calendar says who made it and how to read it", func(t *testing.T) {
		for _, want := range []string{
			"BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:" + ProdID, "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
			`X-WR-CALNAME:Hearth: Grief\, Madrid`, `X-WR-CALDESC:Meetings of one group\; nothing private.`,
			"REFRESH-INTERVAL;VALUE=DURATION:PT12H", "X-PUBLISHED-TTL:PT12H",
		} {
			if !has(lines, want) {
				t.Errorf("missing %q", want)
			}
		}
		if lines[0] != "BEGIN:VCALENDAR" || lines[len(lines)-1] != "END:VCALENDAR" {
			t.Errorf("not wrapped in VCALENDAR: %q … %q", lines[0], lines[len(lines)-1])
		}
	})
	t.Run("the event carries its zone, duration, rule, stamp and escaped text", func(t *testing.T) {
		ev := component(lines, "VEVENT")
		for _, want := range []string{
			"UID:meeting-1@hearth.test",
			"DTSTAMP:20260901T100000Z",
			"DTSTART;TZID=Europe/Madrid:20261013T183000",
			"DURATION:PT1H30M",
			"RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;COUNT=8;WKST=MO",
			"SUMMARY:" + strings.ReplaceAll(long, ",", `\,`),
			`DESCRIPTION:Line one\nLine two\; with\, commas \\ and a backslash\nEnd`,
			"LOCATION:Calle Mayor 5",
			"URL:https://hearth.test/groups/grief",
			"STATUS:CONFIRMED",
		} {
			if !has(ev, want) {
				t.Errorf("VEVENT lacks %q:\n%s", want, strings.Join(ev, "\n"))
			}
		}
	})
}

func TestEscapeTextAndDurations(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"plain", "plain"},
		{`a\b`, `a\\b`},
		{"a;b,c", `a\;b\,c`},
		{"one\ntwo\r\nthree\rfour", `one\ntwo\nthree\nfour`},
		{"bell\x07 and nul\x00 gone, tab\tkept", "bell and nul gone\\, tab\tkept"},
		{"bad \xff utf-8", "bad  utf-8"},
		{"colon: fine", "colon: fine"},
	} {
		if got := escapeText(c.in); got != c.want {
			t.Errorf("escapeText(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	for _, c := range []struct {
		d    time.Duration
		want string
	}{
		{0, "PT0S"}, {90 * time.Minute, "PT1H30M"}, {time.Hour, "PT1H"}, {45 * time.Minute, "PT45M"},
		{25*time.Hour + 30*time.Second, "PT25H30S"},
	} {
		if got := formatDuration(c.d); got != c.want {
			t.Errorf("formatDuration(%v) = %q, want %q", c.d, got, c.want)
		}
	}
}

func TestVTimezonesComeFromGoZoneData(t *testing.T) {
	stamp := time.Date(2026, 9, 1, 12, 0, 0, 0, time.UTC)
	event := func(zone string, y int) Event {
		loc := mustZone(t, zone)
		return Event{UID: zone, Start: time.Date(y, 10, 13, 18, 30, 0, 0, loc), Duration: time.Hour,
			Rule: mustRule(t, "FREQ=WEEKLY;COUNT=10"), Stamp: stamp}
	}
	tests := []struct {
		name string
		ev   Event
		want []string // lines of the VTIMEZONE, in order
	}{
		{"Madrid: last Sundays of March and October", event("Europe/Madrid", 2026), []string{
			"BEGIN:VTIMEZONE", "TZID:Europe/Madrid",
			"BEGIN:DAYLIGHT", "DTSTART:20250330T020000", "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", "TZOFFSETFROM:+0100", "TZOFFSETTO:+0200", "TZNAME:CEST", "END:DAYLIGHT",
			"BEGIN:STANDARD", "DTSTART:20251026T030000", "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU", "TZOFFSETFROM:+0200", "TZOFFSETTO:+0100", "TZNAME:CET", "END:STANDARD",
			"END:VTIMEZONE",
		}},
		{"New York: second Sunday of March, first of November", event("America/New_York", 2026), []string{
			"BEGIN:VTIMEZONE", "TZID:America/New_York",
			"BEGIN:DAYLIGHT", "DTSTART:20250309T020000", "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU", "TZOFFSETFROM:-0500", "TZOFFSETTO:-0400", "TZNAME:EDT", "END:DAYLIGHT",
			"BEGIN:STANDARD", "DTSTART:20251102T020000", "RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU", "TZOFFSETFROM:-0400", "TZOFFSETTO:-0500", "TZNAME:EST", "END:STANDARD",
			"END:VTIMEZONE",
		}},
		{"Sydney: first Sundays of April and October, southern summer", event("Australia/Sydney", 2026), []string{
			"BEGIN:VTIMEZONE", "TZID:Australia/Sydney",
			"BEGIN:STANDARD", "DTSTART:20250406T030000", "RRULE:FREQ=YEARLY;BYMONTH=4;BYDAY=1SU", "TZOFFSETFROM:+1100", "TZOFFSETTO:+1000", "TZNAME:AEST", "END:STANDARD",
			"BEGIN:DAYLIGHT", "DTSTART:20251005T020000", "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=1SU", "TZOFFSETFROM:+1000", "TZOFFSETTO:+1100", "TZNAME:AEDT", "END:DAYLIGHT",
			"END:VTIMEZONE",
		}},
		{"Kolkata: one offset, no changes", event("Asia/Kolkata", 2026), []string{
			"BEGIN:VTIMEZONE", "TZID:Asia/Kolkata",
			"BEGIN:STANDARD", "DTSTART:20250101T053000", "TZOFFSETFROM:+0530", "TZOFFSETTO:+0530", "TZNAME:IST", "END:STANDARD",
			"END:VTIMEZONE",
		}},
		{"São Paulo in 2026: no changes since 2019", event("America/Sao_Paulo", 2026), []string{
			"BEGIN:VTIMEZONE", "TZID:America/Sao_Paulo",
			"BEGIN:STANDARD", "DTSTART:20241231T210000", "TZOFFSETFROM:-0300", "TZOFFSETTO:-0300", "TZNAME:-03", "END:STANDARD",
			"END:VTIMEZONE",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := component(unfold(writeCal(t, Calendar{Events: []Event{tt.ev}})), "VTIMEZONE")
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Fatalf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
	t.Run("São Paulo in 2018: changes that stopped end with UNTIL, shifting dates become RDATEs", func(t *testing.T) {
		got := component(unfold(writeCal(t, Calendar{Events: []Event{event("America/Sao_Paulo", 2018)}})), "VTIMEZONE")
		joined := strings.Join(got, "\n")
		for _, want := range []string{
			"RRULE:FREQ=YEARLY;BYMONTH=2;BYDAY=3SU;UNTIL=20190217T020000Z",
			"DTSTART:20171015T000000\nRDATE:20171015T000000\nRDATE:20181104T000000",
		} {
			if !strings.Contains(joined, want) {
				t.Errorf("VTIMEZONE lacks %q:\n%s", want, joined)
			}
		}
	})
	t.Run("a meeting in UTC needs no VTIMEZONE", func(t *testing.T) {
		e := Event{UID: "u", Start: time.Date(2026, 10, 13, 17, 0, 0, 0, time.UTC), Duration: time.Hour, Stamp: stamp,
			Rule:       mustRule(t, "FREQ=WEEKLY;UNTIL=20261231"),
			Exceptions: []hearth.MeetingException{{Original: time.Date(2026, 10, 20, 17, 0, 0, 0, time.UTC), Cancelled: true}}}
		lines := unfold(writeCal(t, Calendar{Events: []Event{e}}))
		if component(lines, "VTIMEZONE") != nil {
			t.Fatal("a VTIMEZONE for UTC")
		}
		for _, want := range []string{"DTSTART:20261013T170000Z", "RRULE:FREQ=WEEKLY;UNTIL=20261231T235959Z", "EXDATE:20261020T170000Z"} {
			if !has(lines, want) {
				t.Errorf("missing %q", want)
			}
		}
	})
}

func TestWriteCalendarWritesExceptionsAsRFC5545Says(t *testing.T) {
	madrid := mustZone(t, "Europe/Madrid")
	at := func(m, d, h, min int) time.Time { return time.Date(2026, time.Month(m), d, h, min, 0, 0, madrid) }
	stamp := time.Date(2026, 9, 1, 12, 0, 0, 0, time.UTC)
	e := Event{
		UID: "m@h", Summary: "Grief", Description: "Bring yourself.", Start: at(10, 13, 18, 30), Duration: 90 * time.Minute,
		Rule: mustRule(t, "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;UNTIL=20261215"), Stamp: stamp,
		Exceptions: []hearth.MeetingException{
			{Original: at(11, 24, 18, 30), Start: at(11, 25, 19, 0), Duration: 60, Note: "Moved to Wednesday"},
			{Original: at(11, 10, 18, 30), Cancelled: true, Note: "Holiday"},
			{Original: at(11, 17, 18, 30), Cancelled: true}, // not an occurrence
		},
	}
	lines := unfold(writeCal(t, Calendar{Events: []Event{e}}))
	t.Run("a date end becomes the last second of that day in UTC", func(t *testing.T) {
		if !has(lines, "RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;UNTIL=20261215T225959Z;WKST=MO") {
			t.Fatalf("RRULE: %v", lines)
		}
	})
	t.Run("a cancelled occurrence is an EXDATE in the meeting's zone, and only a real one", func(t *testing.T) {
		if !has(lines, "EXDATE;TZID=Europe/Madrid:20261110T183000") || strings.Contains(strings.Join(lines, "\n"), "20261117T183000") {
			t.Fatalf("EXDATEs: %v", lines)
		}
	})
	t.Run("a moved occurrence is a second VEVENT with the same UID and a RECURRENCE-ID", func(t *testing.T) {
		joined := strings.Join(lines, "\n")
		want := strings.Join([]string{
			"BEGIN:VEVENT", "UID:m@h", "DTSTAMP:20260901T120000Z",
			"RECURRENCE-ID;TZID=Europe/Madrid:20261124T183000",
			"DTSTART;TZID=Europe/Madrid:20261125T190000", "DURATION:PT1H",
			"SUMMARY:Grief", `DESCRIPTION:Moved to Wednesday\n\nBring yourself.`, "END:VEVENT",
		}, "\n")
		if !strings.Contains(joined, want) || strings.Count(joined, "BEGIN:VEVENT") != 2 {
			t.Fatalf("got\n%s\nwant a block\n%s", joined, want)
		}
	})
	t.Run("a cancelled one-off meeting is an event with STATUS:CANCELLED", func(t *testing.T) {
		one := Event{UID: "o@h", Start: at(12, 3, 17, 0), Duration: time.Hour, Stamp: stamp,
			Exceptions: []hearth.MeetingException{{Original: at(12, 3, 17, 0), Cancelled: true, Note: "Room closed"}}}
		ev := component(unfold(writeCal(t, Calendar{Events: []Event{one}})), "VEVENT")
		if !has(ev, "STATUS:CANCELLED") || !has(ev, "DESCRIPTION:Room closed") || has(ev, "RRULE") {
			t.Fatalf("got %v", ev)
		}
	})
}

func TestWriteCalendarRefusesMalformedEventsAndWritesNothing(t *testing.T) {
	madrid := mustZone(t, "Europe/Madrid")
	good := Event{UID: "g@h", Start: time.Date(2026, 10, 13, 18, 30, 0, 0, madrid), Duration: time.Hour, Stamp: time.Now()}
	tests := []struct {
		name   string
		change func(e *Event)
	}{
		{"no UID", func(e *Event) { e.UID = " " }},
		{"a UID over two lines", func(e *Event) { e.UID = "a\r\nBEGIN:VEVENT" }},
		{"no start", func(e *Event) { e.Start = time.Time{} }},
		{"no stamp", func(e *Event) { e.Stamp = time.Time{} }},
		{"a negative duration", func(e *Event) { e.Duration = -time.Minute }},
		{"the machine's Local zone", func(e *Event) { e.Start = time.Date(2026, 10, 13, 18, 30, 0, 0, time.Local) }},
		{"an unnamed fixed zone", func(e *Event) { e.Start = time.Date(2026, 10, 13, 18, 30, 0, 0, time.FixedZone("", 3600)) }},
		{"an unknown status", func(e *Event) { e.Status = "MAYBE" }},
		{"a URL that breaks the line", func(e *Event) { e.URL = "https://x.test/\nX-EVIL:1" }},
		{"an invalid rule", func(e *Event) { e.Rule = &Rule{Freq: "YEARLY", Interval: 1} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := good
			tt.change(&e)
			var buf bytes.Buffer
			if err := WriteCalendar(&buf, Calendar{Events: []Event{good, e}}); err == nil {
				t.Fatal("no error")
			}
			if buf.Len() != 0 {
				t.Fatalf("wrote %d bytes", buf.Len())
			}
		})
	}
	t.Run("an empty calendar is valid", func(t *testing.T) {
		lines := unfold(writeCal(t, Calendar{Name: "Nothing yet"}))
		if lines[0] != "BEGIN:VCALENDAR" || lines[len(lines)-1] != "END:VCALENDAR" || has(lines, "BEGIN:VEVENT") {
			t.Fatalf("got %v", lines)
		}
	})
}
