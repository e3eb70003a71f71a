package schedule

import (
	"fmt"
	"testing"
	"time"

	"github.com/hearth-org/hearth"
)

func mustRule(t testing.TB, s string) *Rule {
	t.Helper()
	r, err := ParseRule(s)
	if err != nil {
		t.Fatal(err)
	}
	return &r
}

func utc(s string) time.Time {
	t, err := time.Parse("2006-01-02 15:04", s)
	if err != nil {
		panic(err)
	}
	return t
}

// starts lists the occurrences' starts in UTC, "2006-01-02 15:04".
func starts(occ []hearth.Occurrence) []string {
	out := make([]string, len(occ))
	for i, o := range occ {
		out[i] = o.Start.UTC().Format("2006-01-02 15:04")
	}
	return out
}

func sameList(t *testing.T, got, want []string) {
	t.Helper()
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("got  %v\nwant %v", got, want)
	}
}

func TestExpandKeepsTheLocalClockTimeAcrossDaylightSaving(t *testing.T) {
	tests := []struct {
		name  string
		zone  string
		start [5]int // y, m, d, h, min local
		dur   time.Duration
		rule  string
		clock string // local clock every occurrence must show
		want  []string
	}{
		{
			name: "weekly Thursday 19:00 in New York across November and March",
			zone: "America/New_York", start: [5]int{2026, 10, 29, 19, 0}, dur: time.Hour,
			rule: "FREQ=WEEKLY;BYDAY=TH;UNTIL=20270318", clock: "19:00",
			want: nil, // checked by count and instants below
		},
		{
			name: "every other Tuesday 18:30 in Madrid for 8 sessions, across the end of October",
			zone: "Europe/Madrid", start: [5]int{2026, 10, 13, 18, 30}, dur: 90 * time.Minute,
			rule: "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;COUNT=8", clock: "18:30",
			want: []string{
				"2026-10-13 16:30", // CEST, UTC+2
				"2026-10-27 17:30", // CET, UTC+1 (clocks went back on 25 October)
				"2026-11-10 17:30", "2026-11-24 17:30", "2026-12-08 17:30",
				"2026-12-22 17:30", "2027-01-05 17:30", "2027-01-19 17:30",
			},
		},
		{
			name: "second Tuesday 10:00 in Sydney, where summer time starts in October and ends in April",
			zone: "Australia/Sydney", start: [5]int{2026, 9, 8, 10, 0}, dur: time.Hour,
			rule: "FREQ=MONTHLY;BYDAY=2TU;COUNT=9", clock: "10:00",
			want: []string{
				"2026-09-08 00:00", // AEST, UTC+10
				"2026-10-12 23:00", // AEDT, UTC+11 from 4 October
				"2026-11-09 23:00", "2026-12-07 23:00", "2027-01-11 23:00",
				"2027-02-08 23:00", "2027-03-08 23:00",
				"2027-04-13 00:00", // AEST again from 4 April
				"2027-05-11 00:00",
			},
		},
		{
			name: "last Friday 20:00 in São Paulo, which no longer changes its clocks",
			zone: "America/Sao_Paulo", start: [5]int{2026, 10, 30, 20, 0}, dur: time.Hour,
			rule: "FREQ=MONTHLY;BYDAY=-1FR;COUNT=5", clock: "20:00",
			want: []string{"2026-10-30 23:00", "2026-11-27 23:00", "2026-12-25 23:00", "2027-01-29 23:00", "2027-02-26 23:00"},
		},
		{
			name: "the 31st at 19:00 in New York skips months without one",
			zone: "America/New_York", start: [5]int{2027, 1, 31, 19, 0}, dur: time.Hour,
			rule: "FREQ=MONTHLY;BYMONTHDAY=31;COUNT=7", clock: "19:00",
			want: []string{
				"2027-02-01 00:00", // 31 Jan EST
				"2027-03-31 23:00", // 31 Mar EDT
				"2027-05-31 23:00", "2027-07-31 23:00", "2027-08-31 23:00", "2027-10-31 23:00",
				"2028-01-01 00:00", // 31 Dec EST
			},
		},
		{
			name: "last day of the month at 12:00 in Madrid",
			zone: "Europe/Madrid", start: [5]int{2027, 1, 31, 12, 0}, dur: time.Hour,
			rule: "FREQ=MONTHLY;BYMONTHDAY=-1;COUNT=4", clock: "12:00",
			want: []string{"2027-01-31 11:00", "2027-02-28 11:00", "2027-03-31 10:00", "2027-04-30 10:00"},
		},
		{
			name: "Monday and Thursday every other week from a Thursday, weeks starting Monday",
			zone: "Europe/Madrid", start: [5]int{2026, 10, 15, 19, 0}, dur: time.Hour,
			rule: "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH;COUNT=5", clock: "19:00",
			want: []string{"2026-10-15 17:00", "2026-10-26 18:00", "2026-10-29 18:00", "2026-11-09 18:00", "2026-11-12 18:00"},
		},
		{
			name: "Monday and Thursday every other week with weeks starting Sunday",
			zone: "Europe/Madrid", start: [5]int{2026, 10, 18, 19, 0}, dur: time.Hour, // a Sunday
			rule: "FREQ=WEEKLY;INTERVAL=2;BYDAY=SU,TH;WKST=SU;COUNT=4", clock: "19:00",
			want: []string{"2026-10-18 17:00", "2026-10-22 17:00", "2026-11-01 18:00", "2026-11-05 18:00"},
		},
		{
			name: "every weekday at 08:00 in Madrid across the change",
			zone: "Europe/Madrid", start: [5]int{2026, 10, 22, 8, 0}, dur: 30 * time.Minute,
			rule: "FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR;COUNT=4", clock: "08:00",
			want: []string{"2026-10-22 06:00", "2026-10-23 06:00", "2026-10-26 07:00", "2026-10-27 07:00"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			loc := mustZone(t, tt.zone)
			s := tt.start
			start := time.Date(s[0], time.Month(s[1]), s[2], s[3], s[4], 0, 0, loc)
			if err := ValidateSchedule(start, mustRule(t, tt.rule), false); err != nil {
				t.Fatalf("ValidateSchedule: %v", err)
			}
			occ := Expand(start, tt.dur, mustRule(t, tt.rule), nil, start.AddDate(0, -1, 0), start.AddDate(2, 0, 0))
			for _, o := range occ {
				if o.Start.Location() != loc || o.Start.Format("15:04") != tt.clock {
					t.Errorf("%v is not at %s in %s", o.Start, tt.clock, tt.zone)
				}
				if !o.Original.Equal(o.Start) || o.End.Sub(o.Start) != tt.dur || o.Cancelled || o.Moved {
					t.Errorf("occurrence %+v", o)
				}
			}
			if tt.want != nil {
				sameList(t, starts(occ), tt.want)
			}
		})
	}

	t.Run("the New York meeting moves in UTC on the days the clocks change", func(t *testing.T) {
		ny := mustZone(t, "America/New_York")
		start := time.Date(2026, 10, 29, 19, 0, 0, 0, ny)
		occ := Expand(start, time.Hour, mustRule(t, "FREQ=WEEKLY;BYDAY=TH;UNTIL=20270318"), nil, start, start.AddDate(1, 0, 0))
		if len(occ) != 21 {
			t.Fatalf("%d occurrences from 29 October to 18 March, want 21", len(occ))
		}
		got := starts(occ)
		sameList(t, []string{got[0], got[1], got[len(got)-2], got[len(got)-1]},
			[]string{"2026-10-29 23:00", "2026-11-06 00:00", "2027-03-12 00:00", "2027-03-18 23:00"})
	})
}

func TestExpandReadsImpossibleAndRepeatedLocalTimesAsRFC5545Says(t *testing.T) {
	ny := mustZone(t, "America/New_York")
	saoPaulo := mustZone(t, "America/Sao_Paulo")
	tests := []struct {
		name  string
		start time.Time
		rule  string
		want  []string
	}{
		{
			name:  "02:30 on the New York spring-forward night happens at 03:30 daylight time",
			start: time.Date(2027, 3, 7, 2, 30, 0, 0, ny),
			rule:  "FREQ=WEEKLY;COUNT=3",
			want:  []string{"2027-03-07 07:30", "2027-03-14 07:30", "2027-03-21 06:30"},
		},
		{
			name:  "01:30 on the New York fall-back night is the first 01:30, in daylight time",
			start: time.Date(2027, 10, 31, 1, 30, 0, 0, ny),
			rule:  "FREQ=WEEKLY;COUNT=3",
			want:  []string{"2027-10-31 05:30", "2027-11-07 05:30", "2027-11-14 06:30"},
		},
		{
			name:  "00:30 when São Paulo skipped midnight in 2018 happens at 01:30",
			start: time.Date(2018, 10, 28, 0, 30, 0, 0, saoPaulo),
			rule:  "FREQ=WEEKLY;COUNT=3",
			want:  []string{"2018-10-28 03:30", "2018-11-04 03:30", "2018-11-11 02:30"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			occ := Expand(tt.start, time.Hour, mustRule(t, tt.rule), nil, tt.start, tt.start.AddDate(0, 2, 0))
			sameList(t, starts(occ), tt.want)
		})
	}
	t.Run("a direct read of the gap agrees", func(t *testing.T) {
		got := resolveLocal(2027, 3, 14, 2, 30, 0, ny)
		if got.Format("15:04 MST") != "03:30 EDT" {
			t.Fatalf("02:30 on 14 March 2027 in New York = %s, want 03:30 EDT", got.Format("15:04 MST"))
		}
		madrid := mustZone(t, "Europe/Madrid")
		if got := resolveLocal(2027, 3, 28, 2, 30, 0, madrid); got.Format("15:04 MST") != "03:30 CEST" {
			t.Fatalf("02:30 on 28 March 2027 in Madrid = %s, want 03:30 CEST", got.Format("15:04 MST"))
		}
		if got := resolveLocal(2027, 10, 31, 2, 30, 0, madrid); got.Format("15:04 MST") != "02:30 CEST" {
			t.Fatalf("02:30 on 31 October 2027 in Madrid = %s, want the first, 02:30 CEST", got.Format("15:04 MST"))
		}
	})
}

func TestExpandCountsFromTheFirstMeetingAndEndsOnUntil(t *testing.T) {
	madrid := mustZone(t, "Europe/Madrid")
	start := time.Date(2026, 10, 13, 18, 30, 0, 0, madrid)
	window := func(r string) []string {
		return starts(Expand(start, time.Hour, mustRule(t, r), nil, start.AddDate(-1, 0, 0), start.AddDate(1, 0, 0)))
	}
	t.Run("COUNT counts the first meeting", func(t *testing.T) {
		sameList(t, window("FREQ=WEEKLY;COUNT=3"), []string{"2026-10-13 16:30", "2026-10-20 16:30", "2026-10-27 17:30"})
	})
	t.Run("an UNTIL date includes a meeting on that day", func(t *testing.T) {
		sameList(t, window("FREQ=WEEKLY;UNTIL=20261027"), []string{"2026-10-13 16:30", "2026-10-20 16:30", "2026-10-27 17:30"})
	})
	t.Run("an UNTIL instant equal to a start includes it", func(t *testing.T) {
		sameList(t, window("FREQ=WEEKLY;UNTIL=20261027T173000Z"), []string{"2026-10-13 16:30", "2026-10-20 16:30", "2026-10-27 17:30"})
	})
	t.Run("an UNTIL instant a second before a start excludes it", func(t *testing.T) {
		sameList(t, window("FREQ=WEEKLY;UNTIL=20261027T172959Z"), []string{"2026-10-13 16:30", "2026-10-20 16:30"})
	})
	t.Run("a first meeting off the rule still counts, as in calendar apps", func(t *testing.T) {
		monday := time.Date(2026, 10, 12, 18, 30, 0, 0, madrid)
		got := starts(Expand(monday, time.Hour, mustRule(t, "FREQ=WEEKLY;BYDAY=TU;COUNT=3"), nil, monday, monday.AddDate(0, 2, 0)))
		sameList(t, got, []string{"2026-10-12 16:30", "2026-10-13 16:30", "2026-10-20 16:30"})
	})
}

func TestExpandAppliesExceptions(t *testing.T) {
	madrid := mustZone(t, "Europe/Madrid")
	start := time.Date(2026, 10, 13, 18, 30, 0, 0, madrid)
	rule := mustRule(t, "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;COUNT=8")
	at := func(m, d, h, min int) time.Time { return time.Date(2026, time.Month(m), d, h, min, 0, 0, madrid) }
	exceptions := []hearth.MeetingException{
		{Original: at(11, 10, 18, 30), Cancelled: true, Note: "Public holiday: no meeting this week."},
		{Original: at(11, 24, 18, 30), Start: at(11, 25, 19, 0), Duration: 60, Note: "Moved to Wednesday."},
		{Original: at(11, 17, 18, 30), Cancelled: true}, // not an occurrence: ignored
		// The last session, 19 January 2027, moved into December.
		{Original: time.Date(2027, 1, 19, 18, 30, 0, 0, madrid), Start: at(12, 30, 18, 30)},
	}
	occ := Expand(start, 90*time.Minute, rule, exceptions, at(11, 1, 0, 0), time.Date(2027, 1, 1, 0, 0, 0, 0, madrid))

	type row struct {
		start     string
		cancelled bool
		moved     bool
		note      string
		minutes   int
	}
	var got []row
	for _, o := range occ {
		got = append(got, row{o.Start.In(madrid).Format("01-02 15:04"), o.Cancelled, o.Moved, o.Note, int(o.End.Sub(o.Start).Minutes())})
	}
	want := []row{
		{"11-10 18:30", true, false, "Public holiday: no meeting this week.", 90},
		{"11-25 19:00", false, true, "Moved to Wednesday.", 60},
		{"12-08 18:30", false, false, "", 90},
		{"12-22 18:30", false, false, "", 90},
		{"12-30 18:30", false, true, "", 90},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("got  %v\nwant %v", got, want)
	}
	t.Run("a moved occurrence keeps its original start as its name", func(t *testing.T) {
		if !occ[1].Original.Equal(at(11, 24, 18, 30)) || !occ[4].Original.Equal(time.Date(2027, 1, 19, 18, 30, 0, 0, madrid)) {
			t.Fatalf("originals %v, %v", occ[1].Original, occ[4].Original)
		}
	})
	t.Run("an occurrence moved out of the window is not listed", func(t *testing.T) {
		jan := Expand(start, 90*time.Minute, rule, exceptions, time.Date(2027, 1, 1, 0, 0, 0, 0, madrid), time.Date(2027, 2, 1, 0, 0, 0, 0, madrid))
		sameList(t, starts(jan), []string{"2027-01-05 17:30"})
	})
	t.Run("a cancellation wins over a move of the same occurrence", func(t *testing.T) {
		both := []hearth.MeetingException{
			{Original: at(12, 8, 18, 30), Cancelled: true},
			{Original: at(12, 8, 18, 30), Start: at(12, 9, 18, 30)},
		}
		o := Expand(start, time.Hour, rule, both, at(12, 7, 0, 0), at(12, 10, 0, 0))
		if len(o) != 1 || !o[0].Cancelled || o[0].Moved {
			t.Fatalf("got %+v", o)
		}
	})
	t.Run("a one-off meeting can be cancelled or moved", func(t *testing.T) {
		one := at(12, 3, 17, 0)
		o := Expand(one, time.Hour, nil, []hearth.MeetingException{{Original: one, Start: at(12, 4, 17, 0)}}, at(12, 1, 0, 0), at(12, 31, 0, 0))
		if len(o) != 1 || !o[0].Moved || !o[0].Start.Equal(at(12, 4, 17, 0)) {
			t.Fatalf("moved one-off: %+v", o)
		}
		o = Expand(one, time.Hour, nil, []hearth.MeetingException{{Original: one, Cancelled: true}}, at(12, 1, 0, 0), at(12, 31, 0, 0))
		if len(o) != 1 || !o[0].Cancelled {
			t.Fatalf("cancelled one-off: %+v", o)
		}
	})
}

func TestExpandWindows(t *testing.T) {
	madrid := mustZone(t, "Europe/Madrid")
	start := time.Date(2020, 1, 7, 18, 30, 0, 0, madrid) // a Tuesday
	weekly := mustRule(t, "FREQ=WEEKLY;BYDAY=TU")
	t.Run("a meeting in progress at the window's start is listed", func(t *testing.T) {
		from := time.Date(2026, 10, 13, 19, 0, 0, 0, madrid)
		o := Expand(start, 90*time.Minute, weekly, nil, from, from.Add(time.Hour))
		if len(o) != 1 || o[0].Start.Format("2006-01-02 15:04") != "2026-10-13 18:30" {
			t.Fatalf("got %v", starts(o))
		}
	})
	t.Run("a meeting ending at the window's start is not", func(t *testing.T) {
		from := time.Date(2026, 10, 13, 20, 0, 0, 0, madrid)
		if o := Expand(start, 90*time.Minute, weekly, nil, from, from.Add(time.Hour)); len(o) != 0 {
			t.Fatalf("got %v", starts(o))
		}
	})
	t.Run("a meeting starting at the window's end is not", func(t *testing.T) {
		to := time.Date(2026, 10, 13, 18, 30, 0, 0, madrid)
		if o := Expand(start, 90*time.Minute, weekly, nil, to.Add(-time.Hour), to); len(o) != 0 {
			t.Fatalf("got %v", starts(o))
		}
	})
	t.Run("a window years after the first meeting lands on the right weeks", func(t *testing.T) {
		every3 := mustRule(t, "FREQ=WEEKLY;INTERVAL=3;BYDAY=TU")
		from := time.Date(2026, 10, 1, 0, 0, 0, 0, madrid)
		got := Expand(start, time.Hour, every3, nil, from, from.AddDate(0, 2, 0))
		// With a COUNT the walk starts from the first meeting, skipping nothing.
		counted := mustRule(t, "FREQ=WEEKLY;INTERVAL=3;BYDAY=TU;COUNT=1000")
		want := starts(Expand(start, time.Hour, counted, nil, from, from.AddDate(0, 2, 0)))
		if len(want) < 2 {
			t.Fatalf("want %v", want)
		}
		sameList(t, starts(got), want)
		for _, o := range got {
			if weeks := int(o.Start.Sub(start).Hours()/24+0.5) / 7; weeks%3 != 0 || o.Start.Weekday() != time.Tuesday {
				t.Fatalf("%v is %d weeks after the first meeting", o.Start, weeks)
			}
		}
	})
	t.Run("a window longer than MaxWindow is cut", func(t *testing.T) {
		daily := mustRule(t, "FREQ=DAILY")
		o := Expand(start, time.Hour, daily, nil, start, start.AddDate(100, 0, 0))
		if n := len(o); n < 790 || n > 801 {
			t.Fatalf("%d occurrences, want about %d", n, int(MaxWindow.Hours()/24))
		}
	})
	t.Run("an empty or reversed window gives nothing", func(t *testing.T) {
		if o := Expand(start, time.Hour, weekly, nil, start, start); len(o) != 0 {
			t.Fatal(o)
		}
		if o := Expand(start, time.Hour, weekly, nil, start.AddDate(0, 1, 0), start); len(o) != 0 {
			t.Fatal(o)
		}
	})
	t.Run("a rule that never meets again ends quickly", func(t *testing.T) {
		never := &Rule{Freq: FreqMonthly, Interval: 12, ByMonthDay: []int{31}, Count: 1000, WeekStart: time.Monday}
		april := time.Date(1, 4, 30, 19, 0, 0, 0, madrid)
		began := time.Now()
		o := Expand(april, time.Hour, never, nil, time.Date(9000, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(9001, 1, 1, 0, 0, 0, 0, time.UTC))
		if len(o) != 0 || time.Since(began) > 2*time.Second {
			t.Fatalf("%d occurrences in %v", len(o), time.Since(began))
		}
	})
}

func TestNextAndOccurs(t *testing.T) {
	madrid := mustZone(t, "Europe/Madrid")
	start := time.Date(2026, 10, 13, 18, 30, 0, 0, madrid)
	rule := mustRule(t, "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;COUNT=8")
	cancel := []hearth.MeetingException{{Original: time.Date(2026, 10, 27, 18, 30, 0, 0, madrid), Cancelled: true, Note: "Holiday"}}
	tests := []struct {
		name string
		now  time.Time
		want string // local start, or "" for none
	}{
		{"before the first meeting, the first", time.Date(2026, 10, 1, 9, 0, 0, 0, madrid), "2026-10-13 18:30"},
		{"during a meeting, that meeting", time.Date(2026, 10, 13, 19, 0, 0, 0, madrid), "2026-10-13 18:30"},
		{"after a meeting, skipping a cancelled one", time.Date(2026, 10, 14, 9, 0, 0, 0, madrid), "2026-11-10 18:30"},
		{"after the last meeting, none", time.Date(2027, 1, 20, 9, 0, 0, 0, madrid), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, ok := Next(start, 90*time.Minute, rule, cancel, tt.now)
			got := ""
			if ok {
				got = o.Start.Format("2006-01-02 15:04")
			}
			if got != tt.want {
				t.Fatalf("Next = %q, want %q", got, tt.want)
			}
		})
	}
	t.Run("a yearly-like rule finds a meeting more than two years ahead", func(t *testing.T) {
		r := mustRule(t, "FREQ=MONTHLY;INTERVAL=48;BYMONTHDAY=29")
		leap := time.Date(2028, 2, 29, 19, 0, 0, 0, madrid)
		o, ok := Next(leap, time.Hour, r, nil, leap.AddDate(0, 0, 1))
		if !ok || o.Start.Format("2006-01-02") != "2032-02-29" {
			t.Fatalf("Next = %v, %v", o.Start, ok)
		}
	})
	t.Run("Occurs names only real occurrences", func(t *testing.T) {
		for _, c := range []struct {
			at   time.Time
			want bool
		}{
			{start, true},
			{time.Date(2026, 10, 27, 18, 30, 0, 0, madrid), true},
			{time.Date(2026, 10, 20, 18, 30, 0, 0, madrid), false}, // the off week
			{time.Date(2026, 10, 27, 18, 31, 0, 0, madrid), false}, // wrong time
			{time.Date(2027, 2, 2, 18, 30, 0, 0, madrid), false},   // after the 8th
			{time.Date(2026, 9, 29, 18, 30, 0, 0, madrid), false},  // before the first
		} {
			if got := Occurs(start, rule, c.at); got != c.want {
				t.Errorf("Occurs(%v) = %v, want %v", c.at, got, c.want)
			}
		}
		if !Occurs(start, nil, start) || Occurs(start, nil, start.Add(time.Hour)) {
			t.Error("a one-off occurs at its start only")
		}
	})
}
