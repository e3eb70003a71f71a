package schedule

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/hearth-org/hearth"
)

func TestParseRuleAcceptsWhatGroupsUseAndWritesItCanonically(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"a weekly Tuesday meeting", "FREQ=WEEKLY;BYDAY=TU", "FREQ=WEEKLY;BYDAY=TU"},
		{"the RRULE: name and lower case are accepted", "rrule:freq=weekly;byday=tu;count=8", "FREQ=WEEKLY;BYDAY=TU;COUNT=8"},
		{"every other Tuesday for 8 sessions", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;COUNT=8", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;COUNT=8"},
		{"INTERVAL=1 is the default and left out", "FREQ=WEEKLY;INTERVAL=1;BYDAY=TU", "FREQ=WEEKLY;BYDAY=TU"},
		{"parts come back in a fixed order", "COUNT=3;BYDAY=TH,MO;FREQ=WEEKLY", "FREQ=WEEKLY;BYDAY=MO,TH;COUNT=3"},
		{"days are sorted Monday first and repeats dropped", "FREQ=WEEKLY;BYDAY=SU,TU,MO,TU", "FREQ=WEEKLY;BYDAY=MO,TU,SU"},
		{"the second Tuesday of the month", "FREQ=MONTHLY;BYDAY=2TU", "FREQ=MONTHLY;BYDAY=2TU"},
		{"the last Friday of the month", "FREQ=MONTHLY;BYDAY=-1FR", "FREQ=MONTHLY;BYDAY=-1FR"},
		{"a plus sign on an ordinal is accepted", "FREQ=MONTHLY;BYDAY=+1MO", "FREQ=MONTHLY;BYDAY=1MO"},
		{"first and third Monday, last after positives", "FREQ=MONTHLY;BYDAY=-1MO,3MO,1MO", "FREQ=MONTHLY;BYDAY=1MO,3MO,-1MO"},
		{"monthly by date, including the last day", "FREQ=MONTHLY;BYMONTHDAY=-1,15,1", "FREQ=MONTHLY;BYMONTHDAY=1,15,-1"},
		{"monthly on the first meeting's date", "FREQ=MONTHLY;UNTIL=20271231", "FREQ=MONTHLY;UNTIL=20271231"},
		{"a UTC end time", "FREQ=WEEKLY;UNTIL=20261215T233000Z", "FREQ=WEEKLY;UNTIL=20261215T233000Z"},
		{"daily on weekdays", "FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR;COUNT=20", "FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR;COUNT=20"},
		{"WKST is kept where it changes the weeks", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,SU;WKST=SU", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,SU;WKST=SU"},
		{"WKST is dropped where it cannot matter", "FREQ=WEEKLY;BYDAY=TU;WKST=SU", "FREQ=WEEKLY;BYDAY=TU"},
		{"WKST=MO is the default", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;WKST=MO", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"},
		{"spaces and a trailing semicolon are forgiven", "  FREQ=WEEKLY; BYDAY=TU ; ", "FREQ=WEEKLY;BYDAY=TU"},
		{"the biggest interval and count", "FREQ=WEEKLY;INTERVAL=52;COUNT=1000", "FREQ=WEEKLY;INTERVAL=52;COUNT=1000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := ParseRule(tt.in)
			if err != nil {
				t.Fatalf("ParseRule(%q): %v", tt.in, err)
			}
			if got := r.String(); got != tt.want {
				t.Fatalf("String() = %q, want %q", got, tt.want)
			}
			again, err := ParseRule(r.String())
			if err != nil || !reflect.DeepEqual(again, r) {
				t.Fatalf("round trip: %+v, %v; want %+v", again, err, r)
			}
		})
	}
}

func TestParseRuleRefusesWithAMessageOnTheRuleField(t *testing.T) {
	tests := []struct {
		name, in, code string
	}{
		{"an empty rule", "", CodeFrequency},
		{"a yearly rule", "FREQ=YEARLY", CodeFrequency},
		{"an hourly rule", "FREQ=HOURLY", CodeFrequency},
		{"no frequency", "BYDAY=TU", CodeFrequency},
		{"a part that is not NAME=VALUE", "FREQ=WEEKLY;BYDAY", CodeSyntax},
		{"an unknown part", "FREQ=WEEKLY;BYHOUR=9", CodeUnknownPart},
		{"BYSETPOS", "FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2", CodeUnknownPart},
		{"BYMONTH", "FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=1", CodeUnknownPart},
		{"a part twice", "FREQ=WEEKLY;FREQ=MONTHLY", CodeRepeatedPart},
		{"both COUNT and UNTIL", "FREQ=WEEKLY;COUNT=8;UNTIL=20261231", CodeCountAndUntil},
		{"INTERVAL 0", "FREQ=WEEKLY;INTERVAL=0", CodeInterval},
		{"INTERVAL 53", "FREQ=WEEKLY;INTERVAL=53", CodeInterval},
		{"INTERVAL not a number", "FREQ=WEEKLY;INTERVAL=two", CodeInterval},
		{"COUNT 0", "FREQ=WEEKLY;COUNT=0", CodeCount},
		{"COUNT 1001", "FREQ=WEEKLY;COUNT=1001", CodeCount},
		{"COUNT negative", "FREQ=WEEKLY;COUNT=-3", CodeCount},
		{"UNTIL in local time", "FREQ=WEEKLY;UNTIL=20261231T235959", CodeUntil},
		{"UNTIL not a date", "FREQ=WEEKLY;UNTIL=20261332", CodeUntil},
		{"a day that is not a day", "FREQ=WEEKLY;BYDAY=XX", CodeByDay},
		{"an ordinal in a weekly rule", "FREQ=WEEKLY;BYDAY=2TU", CodeByDay},
		{"a monthly weekday without an ordinal", "FREQ=MONTHLY;BYDAY=TU", CodeByDay},
		{"a sixth Tuesday", "FREQ=MONTHLY;BYDAY=6TU", CodeByDay},
		{"a sixth-from-last Tuesday", "FREQ=MONTHLY;BYDAY=-6TU", CodeByDay},
		{"a zeroth Tuesday", "FREQ=MONTHLY;BYDAY=0TU", CodeByDay},
		{"the 32nd", "FREQ=MONTHLY;BYMONTHDAY=32", CodeByMonthDay},
		{"day 0 of the month", "FREQ=MONTHLY;BYMONTHDAY=0", CodeByMonthDay},
		{"a date in a weekly rule", "FREQ=WEEKLY;BYMONTHDAY=3", CodeByMonthDay},
		{"weekdays and dates together", "FREQ=MONTHLY;BYDAY=1FR;BYMONTHDAY=13", CodeDaysAndDates},
		{"a bad WKST", "FREQ=WEEKLY;WKST=XY", CodeWeekStart},
		{"a very long rule", "FREQ=WEEKLY;BYDAY=" + strings.Repeat("TU,", 200) + "TU", CodeTooLong},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseRule(tt.in)
			assertProblem(t, err, tt.code)
		})
	}
}

func assertProblem(t *testing.T, err error, code string) {
	t.Helper()
	e := hearth.AsError(err)
	if e == nil || e.Kind != hearth.Invalid {
		t.Fatalf("err = %v, want an Invalid *hearth.Error", err)
	}
	if len(e.Fields) != 1 || e.Fields[0].Field != Field || e.Fields[0].Code != code {
		t.Fatalf("fields = %+v, want one on %q with code %q", e.Fields, Field, code)
	}
	if msg := e.Fields[0].Message; msg == "" || !strings.HasSuffix(msg, ".") {
		t.Fatalf("message %q is not a sentence", msg)
	}
}

func TestConstructorsMakeTheRulesFormsOffer(t *testing.T) {
	tests := []struct {
		name string
		r    Rule
		want string
	}{
		{"weekly on Tuesday", Weekly(time.Tuesday, 1), "FREQ=WEEKLY;BYDAY=TU"},
		{"every other Tuesday", Weekly(time.Tuesday, 2), "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"},
		{"every Sunday", Weekly(time.Sunday, 1), "FREQ=WEEKLY;BYDAY=SU"},
		{"second Tuesday", MonthlyByWeekday(2, time.Tuesday), "FREQ=MONTHLY;BYDAY=2TU"},
		{"last Friday", MonthlyByWeekday(-1, time.Friday), "FREQ=MONTHLY;BYDAY=-1FR"},
		{"the 31st", MonthlyByDate(31), "FREQ=MONTHLY;BYMONTHDAY=31"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.r.String(); got != tt.want {
				t.Fatalf("String() = %q, want %q", got, tt.want)
			}
			parsed, err := ParseRule(tt.want)
			if err != nil || !reflect.DeepEqual(parsed, tt.r) {
				t.Fatalf("ParseRule(%q) = %+v, %v; want %+v", tt.want, parsed, err, tt.r)
			}
			if err := ValidateRule(tt.r, true); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestValidateRuleRefusesAnEndlessRuleUnlessOngoing(t *testing.T) {
	endless := Weekly(time.Tuesday, 2)
	counted := endless
	counted.Count = 8
	until := endless
	until.Until, until.UntilDate = time.Date(2026, 12, 15, 0, 0, 0, 0, time.UTC), true

	t.Run("an endless rule is refused when not ongoing", func(t *testing.T) {
		if endless.Ends() {
			t.Fatal("Ends() = true for a rule without COUNT or UNTIL")
		}
		err := ValidateRule(endless, false)
		assertProblem(t, err, CodeEndless)
		if got := hearth.AsError(err).Fields[0].Message; got != "This schedule never ends. Give an end date or a number of meetings, or mark it as ongoing." {
			t.Fatalf("message = %q", got)
		}
	})
	t.Run("an endless rule is accepted when ongoing", func(t *testing.T) {
		if err := ValidateRule(endless, true); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("a count or an end date ends it", func(t *testing.T) {
		for _, r := range []Rule{counted, until} {
			if !r.Ends() {
				t.Fatalf("%s: Ends() = false", r)
			}
			if err := ValidateRule(r, false); err != nil {
				t.Fatalf("%s: %v", r, err)
			}
		}
	})
	t.Run("a hand-built rule gets ParseRule's checks", func(t *testing.T) {
		bad := Weekly(time.Tuesday, 60)
		assertProblem(t, ValidateRule(bad, true), CodeInterval)
		both := counted
		both.Until = time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
		assertProblem(t, ValidateRule(both, true), CodeCountAndUntil)
		sixth := MonthlyByWeekday(6, time.Monday)
		assertProblem(t, ValidateRule(sixth, true), CodeByDay)
		assertProblem(t, ValidateRule(Rule{}, true), CodeFrequency)
	})
}

func TestValidateScheduleChecksTheRuleAgainstTheFirstMeeting(t *testing.T) {
	madrid := mustZone(t, "Europe/Madrid")
	tuesday := time.Date(2026, 10, 13, 18, 30, 0, 0, madrid) // a Tuesday
	rule := func(s string) *Rule {
		r, err := ParseRule(s)
		if err != nil {
			t.Fatal(err)
		}
		return &r
	}
	ok := []struct {
		name  string
		start time.Time
		r     *Rule
	}{
		{"a one-off meeting", tuesday, nil},
		{"every other Tuesday from a Tuesday", tuesday, rule("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;COUNT=8")},
		{"second Tuesday from the second Tuesday", tuesday, rule("FREQ=MONTHLY;BYDAY=2TU;COUNT=6")},
		{"the 31st from a 31st, skipping short months", time.Date(2027, 1, 31, 19, 0, 0, 0, madrid), rule("FREQ=MONTHLY;BYMONTHDAY=31;COUNT=7")},
		{"a single meeting by count", tuesday, rule("FREQ=WEEKLY;BYDAY=TU;COUNT=1")},
		{"an end on the day of the first meeting", tuesday, rule("FREQ=WEEKLY;UNTIL=20261013")},
	}
	for _, tt := range ok {
		t.Run(tt.name+" is accepted", func(t *testing.T) {
			if err := ValidateSchedule(tt.start, tt.r, false); err != nil {
				t.Fatal(err)
			}
		})
	}
	bad := []struct {
		name    string
		start   time.Time
		r       *Rule
		ongoing bool
		code    string
	}{
		{"an endless rule", tuesday, rule("FREQ=WEEKLY;BYDAY=TU"), false, CodeEndless},
		{"a Thursday rule starting on a Tuesday", tuesday, rule("FREQ=WEEKLY;BYDAY=TH;COUNT=4"), false, CodeOffSchedule},
		{"a last-Friday rule starting on a Tuesday", tuesday, rule("FREQ=MONTHLY;BYDAY=-1FR"), true, CodeOffSchedule},
		{"an end before the first meeting", tuesday, rule("FREQ=WEEKLY;UNTIL=20261001"), false, CodeUntilBefore},
		{"an end in UTC before the first meeting", tuesday, rule("FREQ=WEEKLY;UNTIL=20261013T160000Z"), false, CodeUntilBefore},
		{"the 31st every 12 months from a January 31st", time.Date(2027, 1, 31, 19, 0, 0, 0, madrid), rule("FREQ=MONTHLY;INTERVAL=12;BYMONTHDAY=31"), true, ""},
		{"the 31st every 12 months from April, which has none", time.Date(2027, 4, 30, 19, 0, 0, 0, madrid), rule("FREQ=MONTHLY;INTERVAL=12;BYMONTHDAY=31"), true, CodeOffSchedule},
		{"a fifth Monday every 12 months from a month without one", time.Date(2027, 2, 1, 19, 0, 0, 0, madrid), rule("FREQ=MONTHLY;INTERVAL=12;BYDAY=5MO;COUNT=3"), false, CodeOffSchedule},
	}
	for _, tt := range bad {
		name := tt.name + " is refused"
		if tt.code == "" {
			name = tt.name + " is accepted"
		}
		t.Run(name, func(t *testing.T) {
			err := ValidateSchedule(tt.start, tt.r, tt.ongoing)
			if tt.code == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			assertProblem(t, err, tt.code)
		})
	}
	t.Run("a rule with no second meeting within five years is refused", func(t *testing.T) {
		// The fifth Sunday of February every 12 months, first on 29
		// February 2032 (a fifth Sunday): the next February with five
		// Sundays is in 2060.
		feb2032 := time.Date(2032, 2, 29, 19, 0, 0, 0, madrid)
		if feb2032.Weekday() != time.Sunday {
			t.Fatal("29 February 2032 is not a Sunday")
		}
		assertProblem(t, ValidateSchedule(feb2032, rule("FREQ=MONTHLY;INTERVAL=12;BYDAY=5SU"), true), CodeNeverOccurs)
	})
	t.Run("a rule whose second meeting is four years on is accepted", func(t *testing.T) {
		leap := time.Date(2028, 2, 29, 19, 0, 0, 0, madrid)
		if err := ValidateSchedule(leap, rule("FREQ=MONTHLY;INTERVAL=48;BYMONTHDAY=29"), true); err != nil {
			t.Fatal(err)
		}
	})
}

func TestAlignFindsTheFirstMeetingOnTheSchedule(t *testing.T) {
	ny := mustZone(t, "America/New_York")
	from := time.Date(2026, 3, 3, 19, 0, 0, 0, ny) // Tuesday 3 March 2026
	tests := []struct {
		name string
		r    Rule
		want time.Time
	}{
		{"second Tuesday from the 3rd is the 10th", MonthlyByWeekday(2, time.Tuesday), time.Date(2026, 3, 10, 19, 0, 0, 0, ny)},
		{"last Friday from the 3rd is the 27th", MonthlyByWeekday(-1, time.Friday), time.Date(2026, 3, 27, 19, 0, 0, 0, ny)},
		{"Thursday from a Tuesday is two days on", Weekly(time.Thursday, 1), time.Date(2026, 3, 5, 19, 0, 0, 0, ny)},
		{"Tuesday from a Tuesday is that day", Weekly(time.Tuesday, 2), from},
		{"the 31st from 3 March is 31 March, across the clock change", MonthlyByDate(31), time.Date(2026, 3, 31, 19, 0, 0, 0, ny)},
		{"first Monday from 3 March is in April", MonthlyByWeekday(1, time.Monday), time.Date(2026, 4, 6, 19, 0, 0, 0, ny)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := Align(from, tt.r)
			if !ok || !got.Equal(tt.want) {
				t.Fatalf("Align = %v, %v; want %v", got, ok, tt.want)
			}
			if got.Hour() != 19 || got.Location() != ny {
				t.Fatalf("Align = %v, want 19:00 in New York", got)
			}
		})
	}
}

func TestDescribeGivesTheStructureTheWebPutsIntoWords(t *testing.T) {
	madrid := mustZone(t, "Europe/Madrid")
	tests := []struct {
		name string
		rule string
		want Description
	}{
		{"every Tuesday", "FREQ=WEEKLY;BYDAY=TU", Description{Kind: KindWeekly, Interval: 1, Days: []time.Weekday{time.Tuesday}, Ends: EndsNever}},
		{"every other Tuesday for 8 sessions", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;COUNT=8", Description{Kind: KindBiweekly, Interval: 2, Days: []time.Weekday{time.Tuesday}, Ends: EndsCount, Count: 8}},
		{"every 3 weeks on Monday and Thursday", "FREQ=WEEKLY;INTERVAL=3;BYDAY=TH,MO", Description{Kind: KindEveryNWeeks, Interval: 3, Days: []time.Weekday{time.Monday, time.Thursday}, Ends: EndsNever}},
		{"second Tuesday of the month", "FREQ=MONTHLY;BYDAY=2TU", Description{Kind: KindMonthlyNth, Interval: 1, Ordinals: []WeekdayNum{{2, time.Tuesday}}, Ends: EndsNever}},
		{"last Friday of the month until a date", "FREQ=MONTHLY;BYDAY=-1FR;UNTIL=20271231", Description{Kind: KindMonthlyLast, Interval: 1, Ordinals: []WeekdayNum{{-1, time.Friday}}, Ends: EndsUntil, Until: time.Date(2027, 12, 31, 0, 0, 0, 0, time.UTC), UntilDate: true}},
		{"first and third Monday", "FREQ=MONTHLY;BYDAY=3MO,1MO", Description{Kind: KindMonthlyWeekdays, Interval: 1, Ordinals: []WeekdayNum{{1, time.Monday}, {3, time.Monday}}, Ends: EndsNever}},
		{"second to last Friday", "FREQ=MONTHLY;BYDAY=-2FR", Description{Kind: KindMonthlyWeekdays, Interval: 1, Ordinals: []WeekdayNum{{-2, time.Friday}}, Ends: EndsNever}},
		{"the 15th every other month", "FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=15", Description{Kind: KindMonthlyDate, Interval: 2, MonthDays: []int{15}, Ends: EndsNever}},
		{"every weekday", "FREQ=DAILY;BYDAY=FR,MO,TU,WE,TH", Description{Kind: KindDaily, Interval: 1, Days: []time.Weekday{1, 2, 3, 4, 5}, Ends: EndsNever}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := ParseRule(tt.rule)
			if err != nil {
				t.Fatal(err)
			}
			if got := Describe(r); !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("Describe = %+v\nwant       %+v", got, tt.want)
			}
		})
	}
	t.Run("DescribeAt fills the day from the first meeting and gives the end in the group's zone", func(t *testing.T) {
		start := time.Date(2026, 10, 13, 18, 30, 0, 0, madrid)
		r, _ := ParseRule("FREQ=WEEKLY;UNTIL=20261215")
		got := DescribeAt(start, &r)
		if got.Kind != KindWeekly || !reflect.DeepEqual(got.Days, []time.Weekday{time.Tuesday}) {
			t.Fatalf("DescribeAt = %+v", got)
		}
		if want := time.Date(2026, 12, 15, 23, 59, 59, 0, madrid); !got.Until.Equal(want) || got.Until.Location() != madrid {
			t.Fatalf("Until = %v, want %v", got.Until, want)
		}
		m, _ := ParseRule("FREQ=MONTHLY;COUNT=4")
		if d := DescribeAt(start, &m); d.Kind != KindMonthlyDate || !reflect.DeepEqual(d.MonthDays, []int{13}) {
			t.Fatalf("monthly on the first date: %+v", d)
		}
		if d := DescribeAt(start, nil); d.Kind != KindOnce {
			t.Fatalf("one-off: %+v", d)
		}
	})
	t.Run("Describe does not reorder the caller's rule", func(t *testing.T) {
		r := Rule{Freq: FreqWeekly, Interval: 1, ByDay: []WeekdayNum{{Day: time.Friday}, {Day: time.Monday}}, WeekStart: time.Monday}
		Describe(r)
		if r.ByDay[0].Day != time.Friday {
			t.Fatal("Describe sorted the caller's ByDay in place")
		}
	})
}

// FuzzParseRule: parsing never panics, what parses prints canonically and
// parses back to the same rule, and what is refused is refused with a
// person-readable problem on the rule field.
func FuzzParseRule(f *testing.F) {
	for _, s := range []string{
		"FREQ=WEEKLY;BYDAY=TU",
		"RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;COUNT=8",
		"FREQ=MONTHLY;BYDAY=2TU",
		"FREQ=MONTHLY;BYDAY=-1FR;UNTIL=20271231",
		"FREQ=MONTHLY;BYMONTHDAY=31,-1",
		"FREQ=WEEKLY;UNTIL=20261215T233000Z;WKST=SU;INTERVAL=3;BYDAY=SU,WE",
		"FREQ=DAILY;BYDAY=MO,FR;COUNT=1000",
		"freq=weekly;;byday=+1tu",
		"FREQ=MONTHLY;BYDAY=6TU",
		"FREQ=WEEKLY;BYDAY=",
		"FREQ=WEEKLY;INTERVAL=99999999999999999999",
		"FREQ=WEEKLY;UNTIL=99991231T235959Z",
		"FREQ=MONTHLY;BYDAY=-0TU",
		"=;=;",
		"FREQ=WEEKLY;BYDAY=TU\x00",
		"FREQ=WEEKLY;BYDAY=T\xffU",
		"",
	} {
		f.Add(s)
	}
	madrid := mustZone(f, "Europe/Madrid")
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseRule(s)
		if err != nil {
			e := hearth.AsError(err)
			if e == nil || e.Kind != hearth.Invalid || len(e.Fields) != 1 || e.Fields[0].Field != Field || e.Fields[0].Message == "" {
				t.Fatalf("ParseRule(%q) error %v is not a field problem", s, err)
			}
			return
		}
		out := r.String()
		again, err := ParseRule(out)
		if err != nil {
			t.Fatalf("ParseRule(%q) = %q, which does not parse: %v", s, out, err)
		}
		if !reflect.DeepEqual(again, r) || again.String() != out {
			t.Fatalf("round trip of %q: %+v (%q), want %+v (%q)", s, again, again.String(), r, out)
		}
		_ = Describe(r)
		// Expanding what parsed stays bounded, ordered and at the clock
		// time, in a zone whose clocks skip 02:30 on the first Sunday.
		start := time.Date(2026, 3, 29, 2, 30, 0, 0, madrid)
		occ := Expand(start, time.Hour, &r, nil, start, start.AddDate(0, 3, 0))
		for i, o := range occ {
			if i > 0 && !o.Start.After(occ[i-1].Start) {
				t.Fatalf("%q: occurrences out of order", s)
			}
			if h := o.Start.Hour(); h != 2 && !(h == 3 && o.Start.Minute() == 30) {
				t.Fatalf("%q: occurrence at %v", s, o.Start)
			}
		}
	})
}

func mustZone(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}
