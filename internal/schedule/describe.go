package schedule

import (
	"slices"
	"time"
)

// Kind is the shape of a schedule, for saying it in words.
type Kind string

// The kinds Describe returns. The web layer owns the words; suggested
// English is in brackets.
const (
	KindOnce            Kind = "once"                 // a one-off meeting ["Once, on Tuesday 3 March"]
	KindDaily           Kind = "daily"                // every Interval days; Days, when set, limits the weekdays ["Every day", "Every weekday", "Every 3 days"]
	KindWeekly          Kind = "weekly"               // every week on Days ["Every Tuesday", "Every Monday and Thursday"]
	KindBiweekly        Kind = "biweekly"             // every other week on Days ["Every other Tuesday"]
	KindEveryNWeeks     Kind = "every_n_weeks"        // every Interval (3…52) weeks on Days ["Every 3 weeks on Tuesday"]
	KindMonthlyNth      Kind = "monthly_nth_weekday"  // Ordinals has one entry, N 1…5 ["Second Tuesday of the month"]
	KindMonthlyLast     Kind = "monthly_last_weekday" // Ordinals has one entry, N = -1 ["Last Friday of the month"]
	KindMonthlyWeekdays Kind = "monthly_weekdays"     // any other Ordinals: several, or N -2…-5 ["First and third Tuesday of the month", "Second to last Friday of the month"]
	KindMonthlyDate     Kind = "monthly_date"         // MonthDays, -1 = last day ["On the 15th of the month", "On the last day of the month"]
)

// Ends says how a schedule ends.
type Ends string

// The ways a schedule ends.
const (
	EndsNever Ends = "never" // ongoing ["ongoing"]
	EndsCount Ends = "count" // after Count meetings ["8 meetings"]
	EndsUntil Ends = "until" // on Until ["until 15 December 2026"]
)

// Description is a schedule in structured form, for the web layer to put
// into words in the reader's language. In JSON, weekdays are numbers, 0 =
// Sunday … 6 = Saturday, as elsewhere in Hearth. Monthly kinds with Interval > 1 add
// "every N months" (Interval 2: "every other month"); daily kinds with
// Interval > 1 are "every N days".
type Description struct {
	Kind      Kind           `json:"kind"`
	Interval  int            `json:"interval"`
	Days      []time.Weekday `json:"days,omitempty"`       // weekly and daily kinds, Monday first
	Ordinals  []WeekdayNum   `json:"ordinals,omitempty"`   // monthly weekday kinds, in the order 1…5, -5…-1
	MonthDays []int          `json:"month_days,omitempty"` // monthly_date, in the order 1…31, -31…-1
	Ends      Ends           `json:"ends"`
	Count     int            `json:"count,omitempty"`
	// Until is the end. From Describe it is as in the rule (a date when
	// UntilDate, else a UTC instant); from DescribeAt it is the last moment
	// in the meeting's zone (for a date, 23:59:59 of that day).
	Until     time.Time `json:"until,omitzero"`
	UntilDate bool      `json:"until_date,omitempty"`
}

// Describe gives the structure of a rule. A weekly rule without BYDAY, or
// a monthly one without BYDAY or BYMONTHDAY, repeats on the first meeting's
// day: its Days or MonthDays are empty here; use DescribeAt to fill them.
func Describe(r Rule) Description {
	r.ByDay, r.ByMonthDay = slices.Clone(r.ByDay), slices.Clone(r.ByMonthDay) // normalize sorts in place
	r.normalize()
	d := Description{Interval: r.Interval, Ends: EndsNever}
	switch {
	case r.Count > 0:
		d.Ends, d.Count = EndsCount, r.Count
	case !r.Until.IsZero():
		d.Ends, d.Until, d.UntilDate = EndsUntil, r.Until, r.UntilDate
	}
	for _, w := range r.ByDay {
		if w.N == 0 {
			d.Days = append(d.Days, w.Day)
		} else {
			d.Ordinals = append(d.Ordinals, w)
		}
	}
	switch r.Freq {
	case FreqDaily:
		d.Kind = KindDaily
	case FreqWeekly:
		switch r.Interval {
		case 1:
			d.Kind = KindWeekly
		case 2:
			d.Kind = KindBiweekly
		default:
			d.Kind = KindEveryNWeeks
		}
	case FreqMonthly:
		switch {
		case len(r.ByMonthDay) > 0 || len(d.Ordinals) == 0:
			d.Kind = KindMonthlyDate
			d.MonthDays = slices.Clone(r.ByMonthDay)
		case len(d.Ordinals) == 1 && d.Ordinals[0].N > 0:
			d.Kind = KindMonthlyNth
		case len(d.Ordinals) == 1 && d.Ordinals[0].N == -1:
			d.Kind = KindMonthlyLast
		default:
			d.Kind = KindMonthlyWeekdays
		}
	}
	return d
}

// DescribeAt is Describe for a meeting whose first start is start (in the
// group's zone): a nil rule is KindOnce; Days or MonthDays taken from the
// first meeting are filled in; Until is given in the meeting's zone.
func DescribeAt(start time.Time, r *Rule) Description {
	if r == nil {
		return Description{Kind: KindOnce, Interval: 1, Ends: EndsCount, Count: 1}
	}
	d := Describe(*r)
	switch {
	case r.Freq == FreqWeekly && len(d.Days) == 0:
		d.Days = []time.Weekday{start.Weekday()}
	case d.Kind == KindMonthlyDate && len(d.MonthDays) == 0:
		d.MonthDays = []int{start.Day()}
	}
	if d.Ends == EndsUntil {
		d.Until = r.untilInstant(start.Location()).In(start.Location())
	}
	return d
}
