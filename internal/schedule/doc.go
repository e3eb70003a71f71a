// Package schedule is Hearth's calendar arithmetic: recurrence rules
// (RFC 5545 RRULE), the occurrences of a meeting in its group's time zone,
// descriptions of a schedule for people, and iCalendar feeds. It is pure:
// the standard library and the root package only, no clock, no I/O beyond
// the writer it is given.
//
// # Rules
//
// Support groups meet weekly, every other week, on "the second Tuesday" or
// "the last Friday" of the month, or on a date of the month, for a number
// of sessions, until a date, or for as long as the group runs. ParseRule
// accepts exactly the part of RFC 5545 that says those things, and nothing
// a facilitator could not see on a form:
//
//   - FREQ=DAILY, WEEKLY or MONTHLY (YEARLY and finer ones are refused);
//   - INTERVAL 1–52 (every other week is INTERVAL=2);
//   - BYDAY: weekly, the days (TU; MO,TH); monthly, which weekday of the
//     month (2TU, -1FR, 1MO,3MO; ±1…±5); daily, a weekday filter;
//   - BYMONTHDAY (monthly only): 1…31 or -1…-31 from the end; months
//     without the date are skipped, as RFC 5545 says (BYMONTHDAY=31 meets in
//     seven months of the year);
//   - COUNT 1–1000 (counting the first meeting) or UNTIL (a date, meaning
//     that whole day in the group's zone, or a UTC date-time; inclusive),
//     never both;
//   - WKST, which matters only for every-N-weeks rules with BYDAY.
//
// Everything else (BYSETPOS, BYMONTH, BYHOUR, BYDAY and BYMONTHDAY in one
// rule, …) is refused with a *hearth.Error whose field problem is on field
// "rrule" with one of the Code… constants, so that the web layer can say
// what is wrong in the reader's language ("field.rrule.<code>"). Rule.String
// writes the canonical text back; ParseRule(r.String()) gives r back.
// ValidateRule refuses a rule that never ends unless the caller says the
// meeting is ongoing; ValidateSchedule also needs the first start and
// refuses a first meeting off the schedule (Align finds the right one), an
// end before the start, and a rule with no second meeting within five years.
//
// # Occurrences and time zones
//
// A meeting's start is a wall-clock time in the group's IANA zone, and every
// occurrence keeps that clock time: a 19:00 meeting stays at 19:00 local
// across daylight saving while its UTC instant moves. A time that does not
// exist (clocks skip an hour) is read with the offset before the gap, so
// 02:30 becomes 03:30; a time that happens twice is the first of the two —
// both as RFC 5545 says, and as calendar apps read the feed. Expand lists
// the occurrences overlapping a window with exceptions applied (cancelled
// ones kept and marked, moved ones at their new time wherever their original
// was); its work is bounded (a window of at most MaxWindow, a cap on the
// periods walked) whatever the input. Next finds the next meeting.
//
// # Descriptions
//
// Describe and DescribeAt give a schedule's structure (Kind: weekly,
// biweekly, every N weeks, monthly nth weekday, last weekday, several
// weekdays, monthly by date, daily, once; the days, ordinals, dates,
// interval and how it ends). The web layer owns the words in English and
// Spanish ("Every other Tuesday", "Segundo martes de cada mes"); this
// package only says which words are needed. See Kind for the list.
//
// # iCalendar
//
// WriteCalendar writes feeds that calendar apps subscribe to: RRULE (with a
// date UNTIL turned into the UTC instant RFC 5545 asks for), EXDATE for
// cancelled occurrences, an overriding VEVENT with RECURRENCE-ID for each
// moved one, and a VTIMEZONE per zone generated from Go's own zone data (the
// changes are found by probing, and written as yearly rules such as
// FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU where they follow one, as RDATEs where
// they do not), so that an app computes the same instants Expand does.
// Apps disagree only about wall-clock times that a clock change skips or
// repeats (ical.js reads them with the later offset, RFC 5545 and Expand
// with the earlier); the rare occurrence that falls there is written as an
// override whose start is in UTC, and one-off or moved times there are
// written in UTC, so every app shows the same instant. The tests check all
// of this with ical.js, the parser Thunderbird uses, through
// testdata/icalcheck.mjs (which other packages' tests may run too: it reads
// a calendar on stdin and prints ical.js's occurrences for a window).
package schedule
