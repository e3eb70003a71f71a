package demo

import (
	"fmt"
	"strings"
	"time"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/schedule"
)

// Group is one demo group with what the loader stores beside it: its
// meeting schedules, whether it publishes its conference link, and a closed
// group's intake questions. Its ID and OrgID are left 0.
type Group struct {
	hearth.Group
	// Meetings are the group's schedules, the first being the one its
	// simple Schedule describes. GroupID is left 0.
	Meetings []Meeting
	// PublishLink puts the group's conference link or dial-in on public
	// pages and in the Meeting Guide feed, as many open 12-step meetings do.
	PublishLink bool
	// Intake is what a closed group asks applicants, in its language.
	Intake []hearth.IntakeQuestion
}

// Meeting is one schedule with the occurrences it changes (MeetingID of
// each exception is left 0).
type Meeting struct {
	hearth.Meeting
	Exceptions []hearth.MeetingException
}

// rhythm is how often a group meets when it is not every week. The zero
// value is every week on the spec's day.
type rhythm struct {
	every int // every N weeks on the spec's day (2: every other week)
	nth   int // monthly on the nth of the spec's day: 1…4, -1 for the last
	date  int // monthly on this date
}

// rule is the recurrence the rhythm gives on day.
func (r rhythm) rule(day time.Weekday) schedule.Rule {
	switch {
	case r.date != 0:
		return schedule.MonthlyByDate(r.date)
	case r.nth != 0:
		return schedule.MonthlyByWeekday(r.nth, day)
	case r.every > 1:
		return schedule.Weekly(day, r.every)
	}
	return schedule.Weekly(day, 1)
}

// meeting builds a group's recurring meeting: ongoing, first held on the
// first date the rule gives on or after the day the group was created (so
// an every-other-week meeting has a fixed rhythm and cohorts under way have
// sessions behind them), at the spec's local time, attended as its format
// says. Online and hybrid meetings have a conference link and phone
// meetings a dial-in; they stay protected unless the spec publishes them.
func meeting(s spec, g *hearth.Group, o org, i int, loc *time.Location) hearth.Meeting {
	at := clock(s.at)
	y, mo, d := g.CreatedAt.In(loc).Date()
	from := time.Date(y, mo, d, at/60, at%60, 0, 0, loc)
	r := s.rhythm.rule(s.day)
	start, ok := schedule.Align(from, r)
	if !ok {
		panic(fmt.Sprintf("demo: group %q has a schedule with no meeting", s.slug))
	}
	m := hearth.Meeting{Start: start, Duration: s.minutes, RRule: r.String(),
		Attend: hearth.Attend{Mode: s.format, VenueNotes: g.VenueNotes}}
	if m.Attend.Online() {
		m.Attend.ConferenceURL = "https://meet." + o.domain + "/" + s.slug
	}
	if s.format == hearth.Phone {
		m.Attend.Phone = dialIn(s.place, i)
		m.Attend.AccessCode = fmt.Sprintf("%03d %03d#", 100+(i*37)%900, 100+(i*53)%900)
	}
	return m
}

// areaCodes are the North American cities' codes for fictional dial-in
// numbers (555-01xx).
var areaCodes = map[string]string{"aus": "512", "hou": "713", "sat": "210", "nyc": "212", "lax": "213", "chi": "312", "tor": "416"}

// dialIn is a fictional conference line for a phone group based in city.
func dialIn(cityKey string, i int) string {
	if cityKey == "lon" {
		return fmt.Sprintf("+44 20 7946 0%03d", 500+i%400)
	}
	code, ok := areaCodes[cityKey]
	if !ok {
		panic(fmt.Sprintf("demo: no fictional phone range for city %q", cityKey))
	}
	return fmt.Sprintf("+1 %s-555-01%02d", code, 50+i%50)
}

// occurrencesFrom lists a meeting's occurrences starting at or after from,
// for about ten weeks (a monthly meeting: two or three).
func occurrencesFrom(m hearth.Meeting, from time.Time) []hearth.Occurrence {
	r, err := schedule.ParseRule(m.RRule)
	if err != nil {
		panic(fmt.Sprintf("demo: meeting rule %q: %v", m.RRule, err))
	}
	var out []hearth.Occurrence
	for _, o := range schedule.Expand(m.Start, time.Duration(m.Duration)*time.Minute, &r, nil, from, from.AddDate(0, 0, 75)) {
		if !o.Start.Before(from) {
			out = append(out, o)
		}
	}
	return out
}

// cancellation cancels the second meeting after now, with the spec's note,
// so the group's page and calendar show a week without a meeting.
func cancellation(m hearth.Meeting, note string, now time.Time) hearth.MeetingException {
	next := occurrencesFrom(m, now)
	if len(next) < 2 {
		panic("demo: a cancelled meeting needs two occurrences ahead")
	}
	return hearth.MeetingException{Original: next[1].Original, Cancelled: true, Note: note}
}

// intake numbers a closed group's questions; the first one must be
// answered, the others are optional.
func intake(s spec) []hearth.IntakeQuestion {
	if s.cohort == nil {
		return nil
	}
	qs := make([]hearth.IntakeQuestion, len(s.intake))
	for k, q := range s.intake {
		qs[k] = hearth.IntakeQuestion{Position: k + 1, Prompt: strings.TrimSpace(q), Required: k == 0}
	}
	return qs
}
