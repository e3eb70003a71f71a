package schedule

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hearth-org/hearth"
)

// Frequency is an RRULE FREQ value Hearth supports.
type Frequency string

// The supported frequencies.
const (
	FreqDaily   Frequency = "DAILY"
	FreqWeekly  Frequency = "WEEKLY"
	FreqMonthly Frequency = "MONTHLY"
)

// Limits on a rule.
const (
	MaxInterval = 52   // INTERVAL: at most once a year for weekly rules
	MaxCount    = 1000 // COUNT: twenty years of weekly meetings
	maxRuleLen  = 512  // longer text is refused before parsing
)

// Field is the name of the input field rule problems are reported against.
const Field = "rrule"

// Codes of the field problems ParseRule, ValidateRule and ValidateSchedule
// report (hearth.FieldError.Code on field "rrule"). The web layer translates
// them as "field.rrule.<code>"; Params are named in brackets.
const (
	CodeSyntax        = "syntax"        // not NAME=VALUE;… [Part]
	CodeTooLong       = "too_long"      // longer than 512 characters [Max]
	CodeUnknownPart   = "unknown_part"  // a part Hearth does not support (BYSETPOS, BYHOUR…) [Part]
	CodeRepeatedPart  = "repeated_part" // the same part twice [Part]
	CodeFrequency     = "frequency"     // FREQ missing or not DAILY/WEEKLY/MONTHLY [Value]
	CodeInterval      = "interval"      // INTERVAL not 1–52 [Min, Max]
	CodeCount         = "count"         // COUNT not 1–1000 [Min, Max]
	CodeCountAndUntil = "count_and_until"
	CodeUntil         = "until"          // UNTIL not a date or UTC date-time
	CodeByDay         = "byday"          // BYDAY malformed, or an ordinal where none belongs, or out of range [Value]
	CodeByMonthDay    = "bymonthday"     // BYMONTHDAY malformed, out of range, or not with FREQ=MONTHLY [Value]
	CodeWeekStart     = "wkst"           // WKST not a weekday [Value]
	CodeDaysAndDates  = "days_and_dates" // both BYDAY and BYMONTHDAY in one monthly rule
	CodeEndless       = "endless"        // neither COUNT nor UNTIL, and the meeting is not ongoing
	CodeNeverOccurs   = "never_occurs"   // no meeting within five years of the first
	CodeUntilBefore   = "until_before_start"
	CodeOffSchedule   = "start_off_schedule" // the first meeting is not on the schedule
)

// WeekdayNum is one BYDAY entry: a weekday, and for monthly rules which one
// in the month (1 = first … 5 = fifth, -1 = last … -5 = fifth from last).
// N is 0 in weekly and daily rules.
type WeekdayNum struct {
	N   int          `json:"n,omitempty"`
	Day time.Weekday `json:"day"`
}

// Rule is a parsed RFC 5545 recurrence rule in the subset Hearth supports.
// Build one with ParseRule or the constructors; the zero value is not a
// valid rule.
type Rule struct {
	Freq     Frequency `json:"freq"`
	Interval int       `json:"interval"` // 1 when the text has none
	// ByDay: weekly, the days of the week (none: the first meeting's day);
	// monthly, which weekdays of the month (N ≠ 0); daily, a filter.
	ByDay []WeekdayNum `json:"by_day,omitempty"`
	// ByMonthDay: monthly by date, 1…31 or -1 (last day)…-31. Months
	// without the date are skipped, as RFC 5545 says.
	ByMonthDay []int `json:"by_month_day,omitempty"`
	Count      int   `json:"count,omitempty"` // 0: none
	// Until is the last moment a meeting may start (inclusive). When
	// UntilDate is set it is a calendar date, held as midnight UTC of that
	// date and meaning the whole of that day in the meeting's own zone;
	// otherwise it is an instant in UTC.
	Until     time.Time `json:"until,omitzero"`
	UntilDate bool      `json:"until_date,omitempty"`
	// WeekStart (WKST) decides which weeks count in an every-N-weeks rule.
	// ParseRule and the constructors set Monday, RFC 5545's default; it
	// only matters for weekly rules with INTERVAL > 1 and BYDAY.
	WeekStart time.Weekday `json:"week_start"`
}

// Ends reports whether the rule has an end: a COUNT or an UNTIL.
func (r Rule) Ends() bool { return r.Count > 0 || !r.Until.IsZero() }

// Weekly is every interval weeks on day (interval 1: every week; 2: every
// other week). It has no end: set Count or Until, or mark it ongoing.
func Weekly(day time.Weekday, interval int) Rule {
	return Rule{Freq: FreqWeekly, Interval: interval, ByDay: []WeekdayNum{{Day: day}}, WeekStart: time.Monday}
}

// MonthlyByWeekday is the nth day of every month: n 1…5 counts from the
// start of the month (2 = second), -1…-5 from the end (-1 = last).
func MonthlyByWeekday(n int, day time.Weekday) Rule {
	return Rule{Freq: FreqMonthly, Interval: 1, ByDay: []WeekdayNum{{N: n, Day: day}}, WeekStart: time.Monday}
}

// MonthlyByDate is day d of every month: 1…31, or -1 for the last day of
// the month. Months without day d are skipped.
func MonthlyByDate(d int) Rule {
	return Rule{Freq: FreqMonthly, Interval: 1, ByMonthDay: []int{d}, WeekStart: time.Monday}
}

var dayCodes = [7]string{"SU", "MO", "TU", "WE", "TH", "FR", "SA"}

func parseDay(s string) (time.Weekday, bool) {
	for i, c := range dayCodes {
		if s == c {
			return time.Weekday(i), true
		}
	}
	return 0, false
}

// DayCode returns the RFC 5545 two-letter code of a weekday ("TU").
func DayCode(d time.Weekday) string { return dayCodes[((int(d)%7)+7)%7] }

func problem(code, msg string, params map[string]any) error {
	var p hearth.Problems
	p.Add(Field, code, msg, params)
	return p.Err()
}

// ParseRule reads an RRULE value ("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;COUNT=8",
// with or without the "RRULE:" name, in any letter case). It refuses, with a
// person-readable *hearth.Error on field "rrule", anything outside the
// subset in the package documentation. It does not decide whether a rule
// without an end is acceptable: ValidateRule does.
func ParseRule(s string) (Rule, error) {
	s = strings.TrimSpace(s)
	if len(s) > maxRuleLen {
		return Rule{}, problem(CodeTooLong, fmt.Sprintf("A schedule rule can be at most %d characters.", maxRuleLen), map[string]any{"Max": maxRuleLen})
	}
	s = strings.ToUpper(s)
	s = strings.TrimPrefix(s, "RRULE:")
	if s == "" {
		return Rule{}, problem(CodeFrequency, "Say how often the group meets: FREQ=WEEKLY, FREQ=MONTHLY or FREQ=DAILY.", map[string]any{"Value": ""})
	}
	r := Rule{Interval: 1, WeekStart: time.Monday}
	seen := map[string]bool{}
	var rawDay, rawMonthDay string
	for part := range strings.SplitSeq(s, ";") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		name, value, ok := strings.Cut(part, "=")
		name, value = strings.TrimSpace(name), strings.TrimSpace(value)
		if !ok || name == "" || value == "" {
			return Rule{}, problem(CodeSyntax, fmt.Sprintf("“%s” is not a rule part: write NAME=VALUE, like FREQ=WEEKLY.", clip(part)), map[string]any{"Part": clip(part)})
		}
		if seen[name] {
			return Rule{}, problem(CodeRepeatedPart, fmt.Sprintf("%s is given twice.", clip(name)), map[string]any{"Part": clip(name)})
		}
		seen[name] = true
		switch name {
		case "FREQ":
			switch Frequency(value) {
			case FreqDaily, FreqWeekly, FreqMonthly:
				r.Freq = Frequency(value)
			default:
				return Rule{}, problem(CodeFrequency, fmt.Sprintf("Hearth schedules meet daily, weekly or monthly, not %s.", clip(value)), map[string]any{"Value": clip(value)})
			}
		case "INTERVAL":
			n, err := strconv.Atoi(value)
			if err != nil || n < 1 || n > MaxInterval {
				return Rule{}, problem(CodeInterval, fmt.Sprintf("INTERVAL must be a whole number from 1 to %d.", MaxInterval), map[string]any{"Min": 1, "Max": MaxInterval})
			}
			r.Interval = n
		case "COUNT":
			n, err := strconv.Atoi(value)
			if err != nil || n < 1 || n > MaxCount {
				return Rule{}, problem(CodeCount, fmt.Sprintf("The number of meetings must be from 1 to %d.", MaxCount), map[string]any{"Min": 1, "Max": MaxCount})
			}
			r.Count = n
		case "UNTIL":
			t, date, ok := parseUntil(value)
			if !ok {
				return Rule{}, problem(CodeUntil, "Give the end as a date (20261231) or a UTC time (20261231T235959Z).", map[string]any{"Value": clip(value)})
			}
			r.Until, r.UntilDate = t, date
		case "WKST":
			d, ok := parseDay(value)
			if !ok {
				return Rule{}, problem(CodeWeekStart, "WKST must be a day of the week: MO, TU, WE, TH, FR, SA or SU.", map[string]any{"Value": clip(value)})
			}
			r.WeekStart = d
		case "BYDAY":
			rawDay = value
		case "BYMONTHDAY":
			rawMonthDay = value
		default:
			return Rule{}, problem(CodeUnknownPart, fmt.Sprintf("Hearth schedules do not support %s. Use FREQ, INTERVAL, BYDAY, BYMONTHDAY, COUNT, UNTIL and WKST.", clip(name)), map[string]any{"Part": clip(name)})
		}
	}
	if r.Freq == "" {
		return Rule{}, problem(CodeFrequency, "Say how often the group meets: FREQ=WEEKLY, FREQ=MONTHLY or FREQ=DAILY.", map[string]any{"Value": ""})
	}
	if r.Count > 0 && !r.Until.IsZero() {
		return Rule{}, problem(CodeCountAndUntil, "Give either an end date or a number of meetings, not both.", nil)
	}
	if rawDay != "" {
		days, err := parseByDay(rawDay, r.Freq)
		if err != nil {
			return Rule{}, err
		}
		r.ByDay = days
	}
	if rawMonthDay != "" {
		if r.Freq != FreqMonthly {
			return Rule{}, problem(CodeByMonthDay, "Dates of the month (BYMONTHDAY) only go with FREQ=MONTHLY.", map[string]any{"Value": clip(rawMonthDay)})
		}
		if rawDay != "" {
			return Rule{}, problem(CodeDaysAndDates, "Choose either a day of the week (second Tuesday) or a date of the month (the 15th), not both.", nil)
		}
		days, err := parseByMonthDay(rawMonthDay)
		if err != nil {
			return Rule{}, err
		}
		r.ByMonthDay = days
	}
	r.normalize()
	return r, nil
}

// clip shortens text quoted back in a message.
func clip(s string) string {
	if len(s) <= 24 {
		return s
	}
	// The text is upper-cased ASCII or arbitrary bytes; cut on a rune start.
	i := 24
	for i > 0 && s[i]&0xC0 == 0x80 {
		i--
	}
	return s[:i] + "…"
}

func parseUntil(v string) (time.Time, bool, bool) {
	if len(v) == 8 {
		t, err := time.Parse("20060102", v)
		return t, true, err == nil
	}
	if len(v) == 16 && v[15] == 'Z' {
		t, err := time.Parse("20060102T150405Z", v)
		return t, false, err == nil
	}
	return time.Time{}, false, false
}

func parseByDay(v string, freq Frequency) ([]WeekdayNum, error) {
	var out []WeekdayNum
	for item := range strings.SplitSeq(v, ",") {
		item = strings.TrimSpace(item)
		bad := func() error {
			return problem(CodeByDay, fmt.Sprintf("“%s” is not a day: use MO, TU, WE, TH, FR, SA or SU, with a number before it in monthly rules (2TU, -1FR).", clip(item)), map[string]any{"Value": clip(item)})
		}
		if len(item) < 2 {
			return nil, bad()
		}
		day, ok := parseDay(item[len(item)-2:])
		if !ok {
			return nil, bad()
		}
		n := 0
		if num := item[:len(item)-2]; num != "" {
			var err error
			n, err = strconv.Atoi(num)
			if err != nil || n == 0 {
				return nil, bad()
			}
		}
		switch {
		case freq == FreqMonthly && n == 0:
			return nil, problem(CodeByDay, fmt.Sprintf("In a monthly schedule say which %s of the month: 1%s for the first … 5%s, or -1%s for the last.", DayCode(day), DayCode(day), DayCode(day), DayCode(day)), map[string]any{"Value": clip(item)})
		case freq == FreqMonthly && (n < -5 || n > 5):
			return nil, problem(CodeByDay, "A month has at most five of each weekday: use 1 to 5, or -1 (last) to -5.", map[string]any{"Value": clip(item)})
		case freq != FreqMonthly && n != 0:
			return nil, problem(CodeByDay, "Only monthly schedules can say which weekday of the month; weekly ones name the days (TU or MO,TH).", map[string]any{"Value": clip(item)})
		}
		out = append(out, WeekdayNum{N: n, Day: day})
	}
	return out, nil
}

func parseByMonthDay(v string) ([]int, error) {
	var out []int
	for item := range strings.SplitSeq(v, ",") {
		item = strings.TrimSpace(item)
		n, err := strconv.Atoi(item)
		if err != nil || n == 0 || n < -31 || n > 31 {
			return nil, problem(CodeByMonthDay, fmt.Sprintf("“%s” is not a date of the month: use 1 to 31, or -1 for the last day.", clip(item)), map[string]any{"Value": clip(item)})
		}
		out = append(out, n)
	}
	return out, nil
}

// ordinalKey orders month positions: 1, 2, … 31, then -31 … -1 (last).
func ordinalKey(n int) int {
	if n > 0 {
		return n
	}
	return 100 + n
}

// weekdayKey orders weekdays Monday first.
func weekdayKey(d time.Weekday) int { return (int(d) + 6) % 7 }

// normalize sorts and de-duplicates lists and resets WKST where it cannot
// matter, so that equal rules print equally.
func (r *Rule) normalize() {
	if r.Interval == 0 {
		r.Interval = 1
	}
	slices.SortFunc(r.ByDay, func(a, b WeekdayNum) int {
		return cmp.Or(cmp.Compare(ordinalKey(a.N), ordinalKey(b.N)), cmp.Compare(weekdayKey(a.Day), weekdayKey(b.Day)))
	})
	r.ByDay = slices.Compact(r.ByDay)
	slices.SortFunc(r.ByMonthDay, func(a, b int) int { return cmp.Compare(ordinalKey(a), ordinalKey(b)) })
	r.ByMonthDay = slices.Compact(r.ByMonthDay)
	if len(r.ByDay) == 0 {
		r.ByDay = nil
	}
	if len(r.ByMonthDay) == 0 {
		r.ByMonthDay = nil
	}
	if !r.weekStartMatters() {
		r.WeekStart = time.Monday
	}
	if !r.Until.IsZero() {
		if r.UntilDate {
			y, m, d := r.Until.Date()
			r.Until = time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
		} else {
			r.Until = r.Until.UTC().Truncate(time.Second)
		}
	}
}

func (r Rule) weekStartMatters() bool {
	return r.Freq == FreqWeekly && r.Interval > 1 && len(r.ByDay) > 0
}

// String writes the rule back as a canonical RRULE value (without the
// "RRULE:" name): parts in a fixed order, lists sorted, defaults left out.
// ParseRule(r.String()) gives r back.
func (r Rule) String() string {
	var b strings.Builder
	b.WriteString("FREQ=")
	b.WriteString(string(r.Freq))
	if r.Interval > 1 {
		fmt.Fprintf(&b, ";INTERVAL=%d", r.Interval)
	}
	r.writeBy(&b)
	if r.Count > 0 {
		fmt.Fprintf(&b, ";COUNT=%d", r.Count)
	}
	if !r.Until.IsZero() {
		if r.UntilDate {
			b.WriteString(";UNTIL=" + r.Until.Format("20060102"))
		} else {
			b.WriteString(";UNTIL=" + r.Until.UTC().Format("20060102T150405Z"))
		}
	}
	if r.weekStartMatters() && r.WeekStart != time.Monday {
		b.WriteString(";WKST=" + DayCode(r.WeekStart))
	}
	return b.String()
}

func (r Rule) writeBy(b *strings.Builder) {
	if len(r.ByDay) > 0 {
		b.WriteString(";BYDAY=")
		for i, d := range r.ByDay {
			if i > 0 {
				b.WriteByte(',')
			}
			if d.N != 0 {
				b.WriteString(strconv.Itoa(d.N))
			}
			b.WriteString(DayCode(d.Day))
		}
	}
	if len(r.ByMonthDay) > 0 {
		b.WriteString(";BYMONTHDAY=")
		for i, d := range r.ByMonthDay {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(strconv.Itoa(d))
		}
	}
}

// icalString is the rule as written into a calendar for a meeting in loc:
// like String, but a date UNTIL becomes the last second of that day in loc,
// in UTC, as RFC 5545 requires when DTSTART has a time zone.
func (r Rule) icalString(loc *time.Location) string {
	if r.UntilDate && !r.Until.IsZero() {
		r.Until = r.untilInstant(loc)
		r.UntilDate = false
	}
	s := r.String()
	if r.weekStartMatters() && r.WeekStart == time.Monday {
		s += ";WKST=MO" // say it: some clients default to Sunday
	}
	return s
}

// untilInstant is the last instant a meeting in loc may start.
func (r Rule) untilInstant(loc *time.Location) time.Time {
	if !r.UntilDate {
		return r.Until
	}
	y, m, d := r.Until.Date()
	return resolveLocal(y, m, d, 23, 59, 59, loc)
}

// ValidateRule checks a rule built by hand or by a form the way ParseRule
// checks text, and refuses a rule that never ends unless the meeting is
// ongoing (runs until a facilitator stops it).
func ValidateRule(r Rule, ongoing bool) error {
	switch r.Freq {
	case FreqDaily, FreqWeekly, FreqMonthly:
	default:
		return problem(CodeFrequency, "Say how often the group meets: FREQ=WEEKLY, FREQ=MONTHLY or FREQ=DAILY.", map[string]any{"Value": clip(string(r.Freq))})
	}
	// Re-parsing the canonical text applies every check ParseRule makes.
	parsed, err := ParseRule(r.String())
	if err != nil {
		return err
	}
	if r.Freq == FreqWeekly && r.Interval > 1 && len(r.ByDay) > 0 && (r.WeekStart < time.Sunday || r.WeekStart > time.Saturday) {
		return problem(CodeWeekStart, "WKST must be a day of the week: MO, TU, WE, TH, FR, SA or SU.", nil)
	}
	if !parsed.Ends() && !ongoing {
		return problem(CodeEndless, "This schedule never ends. Give an end date or a number of meetings, or mark it as ongoing.", nil)
	}
	return nil
}

// neverWindow is how far ValidateSchedule looks for a meeting.
const neverWindow = 5 * 366 * 24 * time.Hour

// ValidateSchedule is ValidateRule for a meeting whose first start is start
// (a wall-clock time in the group's zone), plus the checks that need it: the
// first meeting falls on the schedule (see Align), the end is not before
// it, and the rule gives at least one meeting after the first within five
// years. A nil rule is a one-off meeting and always valid.
func ValidateSchedule(start time.Time, r *Rule, ongoing bool) error {
	if r == nil {
		return nil
	}
	if err := ValidateRule(*r, ongoing); err != nil {
		return err
	}
	rule, _ := ParseRule(r.String())
	if !rule.Until.IsZero() && rule.untilInstant(start.Location()).Before(start) {
		return problem(CodeUntilBefore, "The end date is before the first meeting.", nil)
	}
	if first, ok := Align(start, rule); !ok || !first.Equal(start) {
		return problem(CodeOffSchedule, "The first meeting must fall on the schedule: choose a first date that matches it.", nil)
	}
	if rule.Count == 1 {
		return nil
	}
	next := expandRule(start, &rule, start.Add(time.Second), start.Add(neverWindow), 1)
	if len(next) == 0 && (rule.Until.IsZero() || rule.untilInstant(start.Location()).After(start.Add(neverWindow))) {
		return problem(CodeNeverOccurs, "This schedule has no meeting after the first within five years. Check the days and dates.", nil)
	}
	return nil
}
