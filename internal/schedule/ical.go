package schedule

import (
	"bytes"
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hearth-org/hearth"
)

// Calendar is an iCalendar object (RFC 5545) to publish: a feed a person
// subscribes to.
type Calendar struct {
	Name        string // X-WR-CALNAME: the name calendar apps show
	Description string // X-WR-CALDESC
	// Refresh, when positive, asks subscribing apps to read the feed again
	// this often (REFRESH-INTERVAL and X-PUBLISHED-TTL).
	Refresh time.Duration
	Events  []Event
}

// Event is one meeting in a calendar. Start is its first start as a wall
// time in its zone (Start.Location(), an IANA zone or UTC); Rule is nil for
// a one-off. Exceptions become EXDATEs (cancelled) and overriding VEVENTs
// with RECURRENCE-ID (moved), exactly as Expand reads them; for a one-off
// they change the event itself.
type Event struct {
	UID         string // stable and globally unique ("meeting-12@hearth.example")
	Summary     string
	Description string
	Location    string
	URL         string
	Start       time.Time
	Duration    time.Duration
	Rule        *Rule
	Exceptions  []hearth.MeetingException
	Status      string    // "", "CONFIRMED", "TENTATIVE" or "CANCELLED"
	Stamp       time.Time // when the meeting was last changed (DTSTAMP)
}

// ProdID is the calendar's PRODID.
const ProdID = "-//Hearth//Hearth support groups//EN"

// WriteCalendar writes c as an iCalendar object: CRLF line ends, lines
// folded at 75 octets (never inside a UTF-8 sequence), TEXT escaped, one
// VTIMEZONE for each zone the events use, built from Go's time zone data.
// Nothing is written when an event is malformed.
func WriteCalendar(w io.Writer, c Calendar) error {
	var b calWriter
	b.line("BEGIN:VCALENDAR")
	b.line("VERSION:2.0")
	b.line("PRODID:" + ProdID)
	b.line("CALSCALE:GREGORIAN")
	b.line("METHOD:PUBLISH")
	if c.Name != "" {
		b.line("X-WR-CALNAME:" + escapeText(c.Name))
	}
	if c.Description != "" {
		b.line("X-WR-CALDESC:" + escapeText(c.Description))
	}
	if c.Refresh > 0 {
		d := formatDuration(c.Refresh.Truncate(time.Minute))
		b.line("REFRESH-INTERVAL;VALUE=DURATION:" + d)
		b.line("X-PUBLISHED-TTL:" + d)
	}

	zones := map[string]*zoneSpan{}
	var zoneOrder []string
	for i := range c.Events {
		e := &c.Events[i]
		if err := checkEvent(e); err != nil {
			return err
		}
		loc := e.Start.Location()
		if isUTC(loc) {
			continue
		}
		z, ok := zones[loc.String()]
		if !ok {
			z = &zoneSpan{loc: loc, first: e.Start, last: e.Start}
			zones[loc.String()] = z
			zoneOrder = append(zoneOrder, loc.String())
		}
		z.cover(e)
	}
	slices.Sort(zoneOrder)
	for _, name := range zoneOrder {
		zones[name].probe()
		writeTimezone(&b, zones[name])
	}
	for i := range c.Events {
		e := &c.Events[i]
		var ts []transition
		if z := zones[e.Start.Location().String()]; z != nil {
			ts = z.ts
		}
		writeEvent(&b, e, ts)
	}
	b.line("END:VCALENDAR")
	_, err := w.Write(b.buf.Bytes())
	return err
}

func isUTC(loc *time.Location) bool { return loc == time.UTC || loc.String() == "UTC" }

var statuses = []string{"", "CONFIRMED", "TENTATIVE", "CANCELLED"}

func checkEvent(e *Event) error {
	switch {
	case strings.TrimSpace(e.UID) == "" || !safeValue(e.UID):
		return fmt.Errorf("schedule: calendar event %q: UID must be non-empty text on one line", e.UID)
	case e.Start.IsZero():
		return fmt.Errorf("schedule: calendar event %s: no start", e.UID)
	case e.Stamp.IsZero():
		return fmt.Errorf("schedule: calendar event %s: no stamp (DTSTAMP)", e.UID)
	case e.Duration < 0:
		return fmt.Errorf("schedule: calendar event %s: negative duration", e.UID)
	case e.Start.Location().String() == "Local" || e.Start.Location().String() == "":
		return fmt.Errorf("schedule: calendar event %s: start must be in a named IANA zone, not %q", e.UID, e.Start.Location().String())
	case !slices.Contains(statuses, e.Status):
		return fmt.Errorf("schedule: calendar event %s: unknown status %q", e.UID, e.Status)
	case !safeValue(e.URL):
		return fmt.Errorf("schedule: calendar event %s: URL has control characters", e.UID)
	}
	if e.Rule != nil {
		if err := ValidateRule(*e.Rule, true); err != nil {
			return fmt.Errorf("schedule: calendar event %s: %w", e.UID, err)
		}
	}
	return nil
}

// safeValue reports whether s can be written as a URI or UID value as is.
func safeValue(s string) bool {
	return utf8.ValidString(s) && !strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f })
}

// calWriter collects content lines, folded, with CRLF ends.
type calWriter struct{ buf bytes.Buffer }

func (b *calWriter) line(s string) {
	// Fold so that no line is longer than 75 octets; a continuation line
	// starts with one space, leaving 74 for content. Cut only at the start
	// of a UTF-8 sequence.
	limit := 75
	for len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		b.buf.WriteString(s[:cut])
		b.buf.WriteString("\r\n ")
		s = s[cut:]
		limit = 74
	}
	b.buf.WriteString(s)
	b.buf.WriteString("\r\n")
}

// escapeText escapes a TEXT value: backslash, semicolon, comma and line
// breaks; other control characters are dropped, as is invalid UTF-8.
func escapeText(s string) string {
	s = strings.ToValidUTF8(s, "")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\\':
			b.WriteString(`\\`)
		case r == ';':
			b.WriteString(`\;`)
		case r == ',':
			b.WriteString(`\,`)
		case r == '\n' || r == '\r':
			b.WriteString(`\n`)
		case r < 0x20 && r != '\t' || r == 0x7f:
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func formatDuration(d time.Duration) string {
	d = d.Truncate(time.Second)
	if d == 0 {
		return "PT0S"
	}
	h, m, s := int(d/time.Hour), int(d%time.Hour/time.Minute), int(d%time.Minute/time.Second)
	out := "PT"
	if h > 0 {
		out += fmt.Sprintf("%dH", h)
	}
	if m > 0 {
		out += fmt.Sprintf("%dM", m)
	}
	if s > 0 {
		out += fmt.Sprintf("%dS", s)
	}
	return out
}

// dateTimeProp writes NAME;TZID=zone:local or NAME:utcZ.
func dateTimeProp(name string, t time.Time, loc *time.Location) string {
	if isUTC(loc) {
		return name + ":" + t.UTC().Format("20060102T150405Z")
	}
	return name + ";TZID=" + loc.String() + ":" + t.In(loc).Format("20060102T150405")
}

// fixedTimeProp is dateTimeProp for a time that does not repeat (a one-off
// meeting, a moved occurrence): a local time that happens twice or not at
// all on a clock-change night is written in UTC, because calendar apps do
// not agree on how to read it.
func fixedTimeProp(name string, t time.Time, loc *time.Location) string {
	if !isUTC(loc) && !exactLocal(t.In(loc)) {
		return name + ":" + t.UTC().Format("20060102T150405Z")
	}
	return name + ";TZID=" + loc.String() + ":" + t.In(loc).Format("20060102T150405")
}

// eventExceptions are the exceptions that name real occurrences, one per
// occurrence (a cancellation wins over a move), sorted by original start.
func eventExceptions(e *Event) []hearth.MeetingException {
	byOrig := map[int64]hearth.MeetingException{}
	for _, x := range e.Exceptions {
		k := x.Original.Unix()
		if prev, ok := byOrig[k]; ok && prev.Cancelled {
			continue
		}
		if !x.Cancelled && x.Start.IsZero() {
			continue // neither cancelled nor moved: nothing to say
		}
		byOrig[k] = x
	}
	var out []hearth.MeetingException
	for _, x := range byOrig {
		if Occurs(e.Start, e.Rule, x.Original.In(e.Start.Location())) {
			out = append(out, x)
		}
	}
	slices.SortFunc(out, func(a, b hearth.MeetingException) int { return a.Original.Compare(b.Original) })
	return out
}

// wallTime reads a wall-clock time in loc as resolveLocal does, and says
// whether it names exactly one instant (false on a clock-change night: in
// the gap, or in the hour that happens twice).
func wallTime(y int, m time.Month, d, hh, mm, ss int, loc *time.Location) (time.Time, bool) {
	t := resolveLocal(y, m, d, hh, mm, ss, loc)
	naive := time.Date(y, m, d, hh, mm, ss, 0, time.UTC).Unix()
	n := 0
	seen := map[int]bool{}
	for _, probe := range []int64{naive - 86400, naive + 86400} {
		_, off := time.Unix(probe, 0).In(loc).Zone()
		if seen[off] {
			continue
		}
		seen[off] = true
		if _, o := time.Unix(naive-int64(off), 0).In(loc).Zone(); o == off {
			n++
		}
	}
	return t, n == 1
}

// exactLocal reports whether t's wall-clock time names t and nothing else.
func exactLocal(t time.Time) bool {
	y, m, d := t.Date()
	hh, mm, ss := t.Clock()
	got, exact := wallTime(y, m, d, hh, mm, ss, t.Location())
	return exact && got.Equal(t)
}

// nominal is the wall-clock time the rule gives for the occurrence that
// starts at t: t's date at the first meeting's clock time. It differs from
// t's own clock only when t was moved out of a clock-change gap.
func nominal(t time.Time, start time.Time) time.Time {
	hh, mm, ss := start.Clock()
	lt := t.In(start.Location())
	for _, day := range []int{0, -1} {
		y, m, d := lt.AddDate(0, 0, day).Date()
		if resolveLocal(y, m, d, hh, mm, ss, start.Location()).Equal(t) {
			return time.Date(y, m, d, hh, mm, ss, 0, time.UTC)
		}
	}
	return time.Date(lt.Year(), lt.Month(), lt.Day(), lt.Hour(), lt.Minute(), lt.Second(), 0, time.UTC)
}

// occurrenceProp names an occurrence of a recurring event (EXDATE,
// RECURRENCE-ID) by the wall-clock time its rule gives, which is how every
// calendar app names it, even on a clock-change night.
func occurrenceProp(name string, t time.Time, e *Event) string {
	loc := e.Start.Location()
	if isUTC(loc) {
		return name + ":" + t.UTC().Format("20060102T150405Z")
	}
	return name + ";TZID=" + loc.String() + ":" + nominal(t, e.Start).Format("20060102T150405")
}

// pinned are the occurrences of a recurring event whose wall-clock time is
// in a gap or happens twice, on the zone's clock-change days: calendar apps
// read those differently (ical.js takes the later offset; RFC 5545 and
// Expand the earlier), so each gets an override with its start in UTC.
func pinned(e *Event, ts []transition) []time.Time {
	if e.Rule == nil || len(ts) == 0 {
		return nil
	}
	loc := e.Start.Location()
	hh, mm, ss := e.Start.Clock()
	var out []time.Time
	seen := map[int64]bool{}
	for _, tr := range ts {
		for _, off := range []int{tr.from, tr.to} {
			day := tr.at.Add(time.Duration(off) * time.Second).UTC()
			t, exact := wallTime(day.Year(), day.Month(), day.Day(), hh, mm, ss, loc)
			if exact || seen[t.Unix()] || t.Before(e.Start) {
				continue
			}
			seen[t.Unix()] = true
			if Occurs(e.Start, e.Rule, t) {
				out = append(out, t)
			}
		}
	}
	return out
}

func writeEvent(b *calWriter, e *Event, ts []transition) {
	loc := e.Start.Location()
	start := e.Start.Truncate(time.Second)
	dur, status, desc := e.Duration, e.Status, e.Description
	exceptions := eventExceptions(e)
	if e.Rule == nil && len(exceptions) == 1 {
		x := exceptions[0]
		if x.Cancelled {
			status = "CANCELLED"
		} else {
			start = x.Start.In(loc).Truncate(time.Second)
			if x.Duration > 0 {
				dur = time.Duration(x.Duration) * time.Minute
			}
		}
		desc = joinNote(desc, x.Note)
		exceptions = nil
	}
	stamp := "DTSTAMP:" + e.Stamp.UTC().Format("20060102T150405Z")

	b.line("BEGIN:VEVENT")
	b.line("UID:" + e.UID)
	b.line(stamp)
	if e.Rule != nil {
		b.line(dateTimeProp("DTSTART", start, loc))
	} else {
		b.line(fixedTimeProp("DTSTART", start, loc))
	}
	b.line("DURATION:" + formatDuration(dur))
	if e.Rule != nil {
		b.line("RRULE:" + e.Rule.icalString(loc))
		for _, x := range exceptions {
			if x.Cancelled {
				b.line(occurrenceProp("EXDATE", x.Original, e))
			}
		}
	}
	writeDetails(b, e, desc, status)
	b.line("END:VEVENT")

	// Occurrences on clock-change nights that no exception changes are
	// pinned to their instant.
	excepted := map[int64]bool{}
	for _, x := range exceptions {
		excepted[x.Original.Unix()] = true
	}
	for _, t := range pinned(e, ts) {
		if !excepted[t.Unix()] {
			exceptions = append(exceptions, hearth.MeetingException{Original: t, Start: t})
		}
	}
	slices.SortFunc(exceptions, func(a, b hearth.MeetingException) int { return a.Original.Compare(b.Original) })
	for _, x := range exceptions {
		if x.Cancelled {
			continue
		}
		d := e.Duration
		if x.Duration > 0 {
			d = time.Duration(x.Duration) * time.Minute
		}
		b.line("BEGIN:VEVENT")
		b.line("UID:" + e.UID)
		b.line(stamp)
		b.line(occurrenceProp("RECURRENCE-ID", x.Original, e))
		b.line(fixedTimeProp("DTSTART", x.Start.Truncate(time.Second), loc))
		b.line("DURATION:" + formatDuration(d))
		writeDetails(b, e, joinNote(e.Description, x.Note), e.Status)
		b.line("END:VEVENT")
	}
}

func joinNote(desc, note string) string {
	switch {
	case note == "":
		return desc
	case desc == "":
		return note
	}
	return note + "\n\n" + desc
}

func writeDetails(b *calWriter, e *Event, desc, status string) {
	if e.Summary != "" {
		b.line("SUMMARY:" + escapeText(e.Summary))
	}
	if desc != "" {
		b.line("DESCRIPTION:" + escapeText(desc))
	}
	if e.Location != "" {
		b.line("LOCATION:" + escapeText(e.Location))
	}
	if e.URL != "" {
		b.line("URL:" + e.URL)
	}
	if status != "" {
		b.line("STATUS:" + status)
	}
}

// zoneSpan is a zone, the times its events cover and, once probed, its
// offset changes from a year before the first to eight years after the
// last (so that a yearly rule that goes on is seen as one).
type zoneSpan struct {
	loc         *time.Location
	first, last time.Time
	from, to    time.Time
	ts          []transition
}

func (z *zoneSpan) probe() {
	z.from = time.Date(z.first.Year()-1, 1, 1, 0, 0, 0, 0, time.UTC)
	endYear := z.last.Year() + 8
	if endYear-z.from.Year() > 120 { // keep absurd spans bounded
		z.from = time.Date(endYear-120, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	z.to = time.Date(endYear+1, 1, 1, 0, 0, 0, 0, time.UTC)
	z.ts = transitions(z.loc, z.from, z.to)
}

// cover widens the span to an event's first and last meeting (for a rule
// without an end, two years past the later of its start and stamp).
func (z *zoneSpan) cover(e *Event) {
	see := func(t time.Time) {
		if t.Before(z.first) {
			z.first = t
		}
		if t.After(z.last) {
			z.last = t
		}
	}
	see(e.Start)
	for _, x := range e.Exceptions {
		if !x.Start.IsZero() {
			see(x.Start)
		}
	}
	r := e.Rule
	switch {
	case r == nil:
	case r.Count > 0:
		n := 0
		walk(e.Start, r, e.Start, e.Start.AddDate(0, 0, 7*MaxInterval*MaxCount/4+400), func(t time.Time) bool {
			n++
			see(t)
			return n < r.Count
		})
	case !r.Until.IsZero():
		see(r.untilInstant(e.Start.Location()))
	default:
		see(later(e.Start, e.Stamp).AddDate(2, 0, 0))
	}
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// transition is a change of a zone's offset.
type transition struct {
	at       time.Time // the instant
	from, to int       // offsets in seconds east of UTC
	dst      bool      // daylight time after the change
	name     string    // abbreviation after the change
}

// local is the wall-clock time of the change in the offset before it, as a
// VTIMEZONE's DTSTART and RDATE give it.
func (t transition) local() time.Time { return t.at.Add(time.Duration(t.from) * time.Second).UTC() }

// transitions probes Go's zone data for the offset changes between from and
// to: every 12 hours, then to the second by bisection.
func transitions(loc *time.Location, from, to time.Time) []transition {
	type state struct {
		off  int
		dst  bool
		name string
	}
	at := func(t time.Time) state {
		lt := t.In(loc)
		name, off := lt.Zone()
		return state{off, lt.IsDST(), name}
	}
	var out []transition
	step := 12 * time.Hour
	prev, ps := from, at(from)
	for t := from.Add(step); !t.After(to.Add(step)); t = t.Add(step) {
		s := at(t)
		if s.off == ps.off && s.dst == ps.dst {
			prev, ps = t, s
			continue
		}
		lo, hi := prev, t // ps at lo, s at hi
		for hi.Sub(lo) > time.Second {
			mid := lo.Add(hi.Sub(lo) / 2).Truncate(time.Second)
			if mid.Equal(lo) {
				break
			}
			if ms := at(mid); ms.off == ps.off && ms.dst == ps.dst {
				lo = mid
			} else {
				hi = mid
			}
		}
		hs := at(hi)
		out = append(out, transition{at: hi, from: ps.off, to: hs.off, dst: hs.dst, name: hs.name})
		prev, ps = t, s
	}
	return out
}

func formatOffset(off int) string {
	sign := '+'
	if off < 0 {
		sign, off = '-', -off
	}
	h, m, s := off/3600, off%3600/60, off%60
	if s != 0 {
		return fmt.Sprintf("%c%02d%02d%02d", sign, h, m, s)
	}
	return fmt.Sprintf("%c%02d%02d", sign, h, m)
}

// yearlyRule is a run of transitions that follow one yearly rule: the
// same month, weekday and local time every year, on the nth (or last)
// such weekday of the month.
type yearlyRule struct {
	items []transition
	nth   int  // 1…5 when every change is on the nth weekday, else 0
	last  bool // every change is on the last such weekday
}

func nthOf(t time.Time) (int, bool) {
	d := t.Day()
	return (d-1)/7 + 1, d+7 > daysIn(t.Year(), t.Month())
}

func (r *yearlyRule) accepts(t transition) bool {
	p := r.items[len(r.items)-1].local()
	l := t.local()
	if l.Year() != p.Year()+1 || l.Month() != p.Month() || l.Weekday() != p.Weekday() {
		return false
	}
	ph, pm, ps := p.Clock()
	lh, lm, ls := l.Clock()
	if ph != lh || pm != lm || ps != ls {
		return false
	}
	n, last := nthOf(l)
	return (r.nth != 0 && r.nth == n) || (r.last && last)
}

func (r *yearlyRule) add(t transition) {
	n, last := nthOf(t.local())
	if len(r.items) == 0 {
		r.nth, r.last = n, last
	} else {
		if r.nth != n {
			r.nth = 0
		}
		r.last = r.last && last
	}
	r.items = append(r.items, t)
}

// writeTimezone writes the VTIMEZONE for a zone: its offset changes from
// a year before the first event to years past the last (so that a rule
// that continues is recognised as one), each kind of change written as a
// yearly RRULE where the changes follow one, as RDATEs where they do not.
func writeTimezone(b *calWriter, z *zoneSpan) {
	loc, from, to, ts := z.loc, z.from, z.to, z.ts

	b.line("BEGIN:VTIMEZONE")
	b.line("TZID:" + loc.String())
	if len(ts) == 0 || ts[0].at.After(z.first) {
		// The offset in force before the first change (or for good).
		lt := from.In(loc)
		name, off := lt.Zone()
		kind := "STANDARD"
		if lt.IsDST() {
			kind = "DAYLIGHT"
		}
		b.line("BEGIN:" + kind)
		b.line("DTSTART:" + from.Add(time.Duration(off)*time.Second).Format("20060102T150405"))
		b.line("TZOFFSETFROM:" + formatOffset(off))
		b.line("TZOFFSETTO:" + formatOffset(off))
		b.line("TZNAME:" + escapeText(name))
		b.line("END:" + kind)
	}

	// Group the changes by what they change to, keeping time order.
	type key struct {
		from, to int
		dst      bool
		name     string
	}
	groups := map[key][]transition{}
	var order []key
	for _, t := range ts {
		k := key{t.from, t.to, t.dst, t.name}
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], t)
	}
	lastYear := to.Year() - 1
	type component struct {
		first transition
		rrule string
		rdate []time.Time
	}
	var comps []component
	for _, k := range order {
		var runs []*yearlyRule
		for _, t := range groups[k] {
			if n := len(runs); n > 0 && runs[n-1].accepts(t) {
				runs[n-1].add(t)
				continue
			}
			r := &yearlyRule{}
			r.add(t)
			runs = append(runs, r)
		}
		var singles []transition
		for _, r := range runs {
			if len(r.items) < 2 {
				singles = append(singles, r.items...)
				continue
			}
			f := r.items[0]
			l := f.local()
			// "Last Sunday" where the changes allow it: the tz rules say so
			// far more often than "fourth Sunday", and a fifth Sunday is
			// always the last.
			n := r.nth
			if r.last {
				n = -1
			}
			rule := fmt.Sprintf("FREQ=YEARLY;BYMONTH=%d;BYDAY=%d%s", int(l.Month()), n, DayCode(l.Weekday()))
			end := r.items[len(r.items)-1]
			if end.local().Year() < lastYear {
				rule += ";UNTIL=" + end.at.UTC().Format("20060102T150405Z")
			}
			comps = append(comps, component{first: f, rrule: rule})
		}
		if len(singles) > 0 {
			c := component{first: singles[0]}
			for _, t := range singles[1:] {
				c.rdate = append(c.rdate, t.local())
			}
			comps = append(comps, c)
		}
	}
	slices.SortStableFunc(comps, func(a, b component) int { return cmp.Compare(a.first.at.Unix(), b.first.at.Unix()) })
	for _, c := range comps {
		kind := "STANDARD"
		if c.first.dst {
			kind = "DAYLIGHT"
		}
		b.line("BEGIN:" + kind)
		b.line("DTSTART:" + c.first.local().Format("20060102T150405"))
		if c.rrule != "" {
			b.line("RRULE:" + c.rrule)
		} else if len(c.rdate) > 0 {
			// DTSTART is the first onset, but ical.js (Thunderbird) reads
			// only the RDATEs when there are any: repeat it as one.
			b.line("RDATE:" + c.first.local().Format("20060102T150405"))
		}
		for _, d := range c.rdate {
			b.line("RDATE:" + d.Format("20060102T150405"))
		}
		b.line("TZOFFSETFROM:" + formatOffset(c.first.from))
		b.line("TZOFFSETTO:" + formatOffset(c.first.to))
		b.line("TZNAME:" + escapeText(c.first.name))
		b.line("END:" + kind)
	}
	b.line("END:VTIMEZONE")
}
