package schedule

import (
	"cmp"
	"slices"
	"time"

	"github.com/hearth-org/hearth"
)

// MaxWindow is the longest window Expand works on; a longer one is cut to
// MaxWindow after from.
const MaxWindow = 800 * 24 * time.Hour

// maxPeriods bounds the periods (days, weeks, months) one expansion walks,
// so that no rule and no window can make it loop for long.
const maxPeriods = 100_000

// resolveLocal is the instant of the wall-clock time y-m-d hh:mm:ss in loc,
// as RFC 5545 (3.3.5) reads it: a time that happens twice (the hour clocks
// go back) is the first of the two; a time that does not exist (the hour
// clocks skip) is read with the offset in force before the gap, which moves
// it forward by the gap's length (02:30 on a spring-forward night becomes
// 03:30). Go's time.Date leaves both cases unspecified.
func resolveLocal(y int, m time.Month, d, hh, mm, ss int, loc *time.Location) time.Time {
	naive := time.Date(y, m, d, hh, mm, ss, 0, time.UTC).Unix()
	offAt := func(u int64) int {
		_, off := time.Unix(u, 0).In(loc).Zone()
		return off
	}
	before, after := offAt(naive-86400), offAt(naive+86400)
	valid := func(off int) bool { return offAt(naive-int64(off)) == off }
	switch {
	case valid(before) && valid(after):
		return time.Unix(naive-int64(max(before, after)), 0).In(loc) // the earlier instant
	case valid(before):
		return time.Unix(naive-int64(before), 0).In(loc)
	case valid(after):
		return time.Unix(naive-int64(after), 0).In(loc)
	case before != after:
		return time.Unix(naive-int64(before), 0).In(loc) // in the gap
	default:
		return time.Date(y, m, d, hh, mm, ss, 0, loc)
	}
}

// civil is a calendar date, held as midnight UTC.
type civil = time.Time

func dateOf(t time.Time) civil {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func daysBetween(a, b civil) int { return int(b.Sub(a).Hours() / 24) }

func daysIn(y int, m time.Month) int { return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day() }

// floorDiv rounds toward minus infinity.
func floorDiv(a, b int) int {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// walk calls yield with each start the rule's own dates give at or after
// start (the first meeting counts only when it matches the rule), in order,
// until yield returns false or a period begins after stop. hint, when the
// rule has no COUNT, lets it skip the periods wholly before hint.
func walk(start time.Time, r *Rule, hint, stop time.Time, yield func(time.Time) bool) {
	loc := start.Location()
	hh, mm, ss := start.Clock()
	sd := dateOf(start)
	interval := max(r.Interval, 1)
	stopDate := dateOf(stop.In(loc)).AddDate(0, 0, 2)

	var wkStart civil
	if r.Freq == FreqWeekly {
		ws := r.WeekStart
		wkStart = sd.AddDate(0, 0, -((int(sd.Weekday()) - int(ws) + 7) % 7))
	}
	k := 0
	if r.Count == 0 && hint.After(start) {
		hd := dateOf(hint.In(loc)).AddDate(0, 0, -2)
		var diff int
		switch r.Freq {
		case FreqDaily:
			diff = daysBetween(sd, hd)
		case FreqWeekly:
			diff = floorDiv(daysBetween(wkStart, hd), 7)
		case FreqMonthly:
			diff = (hd.Year()*12 + int(hd.Month())) - (sd.Year()*12 + int(sd.Month()))
		}
		if diff > 0 {
			k = diff / interval * interval
		}
	}
	var dates []civil
	for i := 0; i < maxPeriods; i, k = i+1, k+interval {
		dates = dates[:0]
		var first civil
		switch r.Freq {
		case FreqDaily:
			first = sd.AddDate(0, 0, k)
			if len(r.ByDay) == 0 || slices.ContainsFunc(r.ByDay, func(w WeekdayNum) bool { return w.Day == first.Weekday() }) {
				dates = append(dates, first)
			}
		case FreqWeekly:
			first = wkStart.AddDate(0, 0, 7*k)
			if len(r.ByDay) == 0 {
				dates = append(dates, first.AddDate(0, 0, (int(sd.Weekday())-int(r.WeekStart)+7)%7))
			}
			for _, w := range r.ByDay {
				dates = append(dates, first.AddDate(0, 0, (int(w.Day)-int(r.WeekStart)+7)%7))
			}
		case FreqMonthly:
			first = time.Date(sd.Year(), sd.Month()+time.Month(k), 1, 0, 0, 0, 0, time.UTC)
			dates = monthDates(dates, first, r, sd.Day())
		default:
			return
		}
		if first.After(stopDate) {
			return
		}
		slices.SortFunc(dates, func(a, b civil) int { return a.Compare(b) })
		dates = slices.Compact(dates)
		for _, d := range dates {
			t := resolveLocal(d.Year(), d.Month(), d.Day(), hh, mm, ss, loc)
			if t.Before(start) {
				continue
			}
			if !yield(t) {
				return
			}
		}
	}
}

// monthDates appends the dates of the month beginning at first that the
// monthly rule r selects (startDay: the first meeting's day of the month).
func monthDates(dates []civil, first civil, r *Rule, startDay int) []civil {
	y, m := first.Year(), first.Month()
	dim := daysIn(y, m)
	add := func(d int) {
		if d >= 1 && d <= dim {
			dates = append(dates, first.AddDate(0, 0, d-1))
		}
	}
	switch {
	case len(r.ByMonthDay) > 0:
		for _, d := range r.ByMonthDay {
			if d < 0 {
				d = dim + d + 1
			}
			add(d)
		}
	case len(r.ByDay) > 0:
		w1 := first.Weekday()
		wl := first.AddDate(0, 0, dim-1).Weekday()
		for _, w := range r.ByDay {
			switch {
			case w.N > 0:
				add(1 + (int(w.Day)-int(w1)+7)%7 + 7*(w.N-1))
			case w.N < 0:
				add(dim - (int(wl)-int(w.Day)+7)%7 - 7*(-w.N-1))
			default: // every such weekday (only from rules built by hand)
				for d := 1 + (int(w.Day)-int(w1)+7)%7; d <= dim; d += 7 {
					add(d)
				}
			}
		}
	default:
		add(startDay)
	}
	return dates
}

// expandRule returns the original starts of the recurrence set (the first
// meeting, then the rule's dates after it, COUNT and UNTIL applied) that
// fall in [from, to), at most limit of them when limit > 0.
func expandRule(start time.Time, r *Rule, from, to time.Time, limit int) []time.Time {
	var out []time.Time
	var until time.Time
	if r != nil && !r.Until.IsZero() {
		until = r.untilInstant(start.Location())
	}
	n := 0
	emit := func(t time.Time) bool {
		n++
		if r != nil && r.Count > 0 && n > r.Count {
			return false
		}
		if !until.IsZero() && t.After(until) {
			return false
		}
		if !t.Before(to) {
			return false
		}
		if !t.Before(from) {
			out = append(out, t)
			if limit > 0 && len(out) >= limit {
				return false
			}
		}
		return true
	}
	if !emit(start) || r == nil {
		return out
	}
	stop := to
	if !until.IsZero() && until.Before(stop) {
		stop = until
	}
	walk(start, r, from, stop, func(t time.Time) bool {
		if !t.After(start) {
			return true
		}
		return emit(t)
	})
	return out
}

// Occurs reports whether original is the start of an occurrence of the
// meeting that begins at start with rule r (nil: a one-off), before any
// exception. Use it to refuse an exception for an occurrence that does not
// exist.
func Occurs(start time.Time, r *Rule, original time.Time) bool {
	got := expandRule(start, r, original, original.Add(time.Second), 1)
	return len(got) == 1 && got[0].Equal(original)
}

// Align returns the first date at or after start that the rule itself gives
// (at start's clock time and zone), or false when there is none within five
// years. Forms use it to turn "second Tuesday, starting from 3 March" into
// the first meeting; ValidateSchedule requires start == Align(start, r).
func Align(start time.Time, r Rule) (time.Time, bool) {
	var got time.Time
	walk(start, &r, start, start.Add(neverWindow), func(t time.Time) bool {
		got = t
		return false
	})
	return got, !got.IsZero()
}

// Expand lists the occurrences of a meeting that overlap the window
// [from, to): the meeting starts at start (a wall-clock time in the group's
// zone, start.Location()), lasts dur and repeats by r (nil: a one-off).
// Every occurrence keeps start's clock time in that zone across daylight
// saving; the first meeting is always the first occurrence and COUNT counts
// it; UNTIL is inclusive.
//
// Exceptions name occurrences by their original start. A cancelled one stays
// in the list with Cancelled and Note set (pages say "no meeting this week");
// a moved one gets its new Start and End (its Duration, or dur when 0) and
// Moved, and is listed when its new time overlaps the window, wherever its
// original was. Exceptions for starts that are not occurrences are ignored.
// Results are sorted by Start (then Original) and given in start's zone;
// MeetingID, Title and Attend are left for the caller. A window longer than
// MaxWindow is cut to MaxWindow.
func Expand(start time.Time, dur time.Duration, r *Rule, exceptions []hearth.MeetingException, from, to time.Time) []hearth.Occurrence {
	if to.Sub(from) > MaxWindow {
		to = from.Add(MaxWindow)
	}
	if !from.Before(to) || dur < 0 {
		return nil
	}
	loc := start.Location()
	byOriginal := make(map[int64]hearth.MeetingException, len(exceptions))
	for _, e := range exceptions {
		k := e.Original.Unix()
		if prev, ok := byOriginal[k]; ok && prev.Cancelled {
			continue // a cancellation wins over a move of the same occurrence
		}
		byOriginal[k] = e
	}
	var out []hearth.Occurrence
	seen := map[int64]bool{}
	add := func(orig time.Time) {
		o := hearth.Occurrence{Original: orig, Start: orig, End: orig.Add(dur)}
		if e, ok := byOriginal[orig.Unix()]; ok {
			o.Note = e.Note
			switch {
			case e.Cancelled:
				o.Cancelled = true
			case !e.Start.IsZero():
				o.Moved = true
				o.Start = e.Start.In(loc)
				d := dur
				if e.Duration > 0 {
					d = time.Duration(e.Duration) * time.Minute
				}
				o.End = o.Start.Add(d)
			}
		}
		if o.End.After(from) && o.Start.Before(to) || o.Start.Equal(from) {
			out = append(out, o)
			seen[orig.Unix()] = true
		}
	}
	// Originals whose unmoved times may overlap the window.
	for _, orig := range expandRule(start, r, from.Add(-dur), to, 0) {
		add(orig)
	}
	// Moved occurrences whose originals lie elsewhere.
	for k, e := range byOriginal {
		if e.Cancelled || e.Start.IsZero() || seen[k] {
			continue
		}
		d := dur
		if e.Duration > 0 {
			d = time.Duration(e.Duration) * time.Minute
		}
		if !(e.Start.Add(d).After(from) && e.Start.Before(to)) {
			continue
		}
		orig := e.Original.In(loc)
		if Occurs(start, r, orig) {
			add(orig)
		}
	}
	slices.SortFunc(out, func(a, b hearth.Occurrence) int {
		return cmp.Or(a.Start.Compare(b.Start), a.Original.Compare(b.Original))
	})
	return out
}

// Next returns the first occurrence that is not cancelled and has not ended
// at now (one in progress counts), looking up to five years ahead.
func Next(start time.Time, dur time.Duration, r *Rule, exceptions []hearth.MeetingException, now time.Time) (hearth.Occurrence, bool) {
	from := now
	for _, span := range []time.Duration{45 * 24 * time.Hour, MaxWindow, MaxWindow, MaxWindow} {
		to := from.Add(span)
		for _, o := range Expand(start, dur, r, exceptions, from, to) {
			if !o.Cancelled && o.End.After(now) {
				return o, true
			}
		}
		from = to
	}
	return hearth.Occurrence{}, false
}
