package feeds

import (
	"cmp"
	"fmt"
	"hash/fnv"
	"net/mail"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/schedule"
)

// MeetingGuideMeeting is one entry of a Meeting Guide feed, field for field
// as code4recovery's spec names them. Optional fields are left out when
// Hearth has nothing to say.
type MeetingGuideMeeting struct {
	Name                 string   `json:"name"`
	Slug                 string   `json:"slug"`
	Day                  Days     `json:"day"`
	Time                 string   `json:"time"`
	EndTime              string   `json:"end_time"`
	TimeZone             string   `json:"timezone"`
	Types                []string `json:"types"`
	Notes                string   `json:"notes,omitempty"`
	Location             string   `json:"location,omitempty"`
	LocationNotes        string   `json:"location_notes,omitempty"`
	FormattedAddress     string   `json:"formatted_address,omitempty"`
	Address              string   `json:"address,omitempty"`
	City                 string   `json:"city,omitempty"`
	State                string   `json:"state,omitempty"`
	PostalCode           string   `json:"postal_code,omitempty"`
	Country              string   `json:"country,omitempty"`
	Region               string   `json:"region,omitempty"`
	Latitude             *float64 `json:"latitude,omitempty"`
	Longitude            *float64 `json:"longitude,omitempty"`
	Approximate          string   `json:"approximate"`
	ConferenceURL        string   `json:"conference_url,omitempty"`
	ConferenceURLNotes   string   `json:"conference_url_notes,omitempty"`
	ConferencePhone      string   `json:"conference_phone,omitempty"`
	ConferencePhoneNotes string   `json:"conference_phone_notes,omitempty"`
	URL                  string   `json:"url"`
	Updated              string   `json:"updated"`
	Entity               string   `json:"entity,omitempty"`
	EntityEmail          string   `json:"entity_email,omitempty"`
	EntityPhone          string   `json:"entity_phone,omitempty"`
	EntityLocation       string   `json:"entity_location,omitempty"`
	EntityURL            string   `json:"entity_url,omitempty"`
	EntityWebsiteURL     string   `json:"entity_website_url,omitempty"`
	EntityLogo           string   `json:"entity_logo,omitempty"`
}

// Days is the spec's "day": one number 0–6 (0 = Sunday), or an array when
// a meeting recurs on several days of the week.
type Days []time.Weekday

// MarshalJSON writes one day as a number and several as an array.
func (d Days) MarshalJSON() ([]byte, error) {
	if len(d) == 1 {
		return []byte(strconv.Itoa(int(d[0]))), nil
	}
	b := []byte{'['}
	for i, x := range d {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, int64(x), 10)
	}
	return append(b, ']'), nil
}

// UnmarshalJSON reads one day or an array of days.
func (d *Days) UnmarshalJSON(b []byte) error {
	days, err := parseDays(b)
	if err != nil {
		return err
	}
	*d = days
	return nil
}

// Listing is one listed group with what the feeds need to show it.
type Listing struct {
	Org         *hearth.Organization
	Group       *hearth.Group
	Meetings    []*hearth.Meeting                   // its meetings, starts in the group's zone
	Exceptions  map[int64][]hearth.MeetingException // by meeting id
	PublishLink bool                                // the group publishes its conference link
	GroupURL    string                              // the group's page, absolute
}

// MaxSlugLen is the longest slug the spec allows.
const MaxSlugLen = 64

// MeetingGuide builds the Meeting Guide feed of the listings: one entry per
// weekly meeting that has not ended by now (monthly and other schedules
// cannot be expressed in the format and are left out; Hearth's own feed has
// them). Conference links appear only for groups that publish them; a
// protected group's entry points to its page instead. The order is stable:
// by group id, then meeting.
func MeetingGuide(ls []Listing, now time.Time) []MeetingGuideMeeting {
	out := []MeetingGuideMeeting{}
	used := map[string]bool{}
	for _, l := range ls {
		g := l.Group
		if g.Visibility != hearth.Listed {
			continue
		}
		ws := weeklyMeetings(l, now)
		// The oldest meeting has the group's slug, whatever is added later.
		slices.SortStableFunc(ws, func(a, b weekly) int { return cmp.Compare(a.id, b.id) })
		for i, w := range ws {
			slug := g.Slug
			if i > 0 {
				slug = fmt.Sprintf("%s-%d", g.Slug, w.id)
			}
			slug = uniqueSlug(shortSlug(slug), used)
			out = append(out, entry(l, w, slug))
		}
	}
	return out
}

// weekly is a meeting the format can carry.
type weekly struct {
	id       int64
	title    string
	days     []time.Weekday
	start    int // minutes after midnight
	duration int
	attend   hearth.Attend
	updated  time.Time
}

// weeklyMeetings lists a group's weekly meetings; a group with no meeting
// rows at all falls back to its simple weekly schedule.
func weeklyMeetings(l Listing, now time.Time) []weekly {
	g := l.Group
	var out []weekly
	for _, m := range l.Meetings {
		days, ok := WeeklyDays(m, now)
		if !ok {
			continue
		}
		start := m.Start.Hour()*60 + m.Start.Minute()
		out = append(out, weekly{id: m.ID, title: m.Title, days: days, start: start, duration: m.Duration, attend: m.Attend, updated: m.UpdatedAt})
	}
	if len(l.Meetings) == 0 && g.Schedule.Duration > 0 {
		out = append(out, weekly{days: []time.Weekday{g.Schedule.Weekday}, start: g.Schedule.Start, duration: g.Schedule.Duration,
			attend: hearth.Attend{Mode: g.Format, VenueNotes: g.VenueNotes}})
	}
	return out
}

// WeeklyDays reports the days of the week a meeting meets every week, and
// whether it is such a meeting still going at now: a rule of every week
// (or every day) without ordinal days, whose end, if any, is not past.
func WeeklyDays(m *hearth.Meeting, now time.Time) ([]time.Weekday, bool) {
	if m.RRule == "" {
		return nil, false
	}
	r, err := schedule.ParseRule(m.RRule)
	if err != nil || r.Interval != 1 {
		return nil, false
	}
	var days []time.Weekday
	switch r.Freq {
	case schedule.FreqWeekly:
		for _, d := range r.ByDay {
			if d.N != 0 {
				return nil, false
			}
			days = append(days, d.Day)
		}
		if len(days) == 0 {
			days = []time.Weekday{m.Start.Weekday()}
		}
	case schedule.FreqDaily:
		if len(r.ByMonthDay) > 0 {
			return nil, false
		}
		for _, d := range r.ByDay {
			days = append(days, d.Day)
		}
		if len(days) == 0 {
			days = []time.Weekday{0, 1, 2, 3, 4, 5, 6}
		}
	default:
		return nil, false
	}
	if _, ok := schedule.Next(m.Start, time.Duration(m.Duration)*time.Minute, &r, nil, now); r.Ends() && !ok {
		return nil, false
	}
	slices.Sort(days)
	return slices.Compact(days), true
}

func entry(l Listing, w weekly, slug string) MeetingGuideMeeting {
	g, o := l.Group, l.Org
	name := g.Name
	if w.title != "" {
		name = g.Name + " — " + w.title
	}
	end := (w.start + w.duration) % 1440
	e := MeetingGuideMeeting{
		Name:     name,
		Slug:     slug,
		Day:      Days(w.days),
		Time:     clock(w.start),
		EndTime:  clock(end),
		TimeZone: g.Location.TimeZone,
		Types:    TypesFor(g),
		Notes:    g.Description,
		URL:      l.GroupURL,
		Updated:  updatedStamp(g.UpdatedAt, w.updated),
	}
	if strings.HasPrefix(g.WhatToExpect, ClosedMeetingNote) && g.Policy == hearth.Open {
		e.Types = slices.DeleteFunc(e.Types, func(c string) bool { return c == codeOpen })
		e.Types = append(e.Types, codeClosed)
		slices.Sort(e.Types)
	}
	if g.Cost.Kind == hearth.Donation && w.attend.Online() && l.PublishLink {
		// contributions online: the spec's "digital basket"
		e.Types = append(e.Types, codeDigital)
		slices.Sort(e.Types)
	}
	// Where. The first line of the venue notes is the building's name.
	venueNotes := w.attend.VenueNotes
	if venueNotes == "" {
		venueNotes = g.VenueNotes
	}
	if first, rest, _ := strings.Cut(venueNotes, "\n"); first != "" {
		e.Location, e.LocationNotes = strings.TrimSpace(first), strings.TrimSpace(rest)
	}
	loc := g.Location
	if g.Format == hearth.InPerson || g.Format == hearth.Hybrid || loc.Address != "" {
		e.Address = loc.Address
	}
	e.City, e.State, e.PostalCode, e.Country = loc.City, loc.Region, loc.PostalCode, loc.Country
	e.FormattedAddress = formatAddress(e.Address, loc.City, loc.Region, loc.PostalCode, loc.Country)
	e.Region = loc.City
	if loc.HasPoint {
		lat, lon := round5(loc.Lat), round5(loc.Lon)
		e.Latitude, e.Longitude = &lat, &lon
	}
	e.Approximate = "no"
	if loc.Approximate || (e.Address == "" && !g.Format.HasPlace()) {
		e.Approximate = "yes"
	}
	// How to attend: the link only when the group publishes it.
	if l.PublishLink {
		a := w.attend
		e.ConferenceURL = a.ConferenceURL
		e.ConferencePhone = dialString(a.Phone)
		switch {
		case a.AccessCode == "":
		case strings.HasPrefix(a.AccessCode, ",") && e.ConferencePhone != "":
			e.ConferencePhone += dialString(a.AccessCode) // one-tap: dialled after connecting
		case e.ConferencePhone != "":
			e.ConferencePhoneNotes = a.AccessCode
		case e.ConferenceURL != "":
			e.ConferenceURLNotes = a.AccessCode
		}
	}
	// Who is responsible.
	if o != nil {
		e.Entity = o.Name
		e.EntityURL, e.EntityWebsiteURL = o.Website, o.Website
		if o.Contact != "" {
			if _, err := mail.ParseAddress(o.Contact); err == nil {
				e.EntityEmail = o.Contact
			} else {
				e.EntityPhone = o.Contact
			}
		}
	}
	return e
}

// dialString keeps what the spec allows in a conference phone: digits, a
// leading +, and , * # for one-tap dialing ("+1 (646) 558-8656,,123#" →
// "+16465588656,,123#").
func dialString(s string) string {
	var b strings.Builder
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9', r == ',', r == '*', r == '#':
			b.WriteRune(r)
		case r == '+' && b.Len() == 0 && i < 2:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func clock(minute int) string { return fmt.Sprintf("%02d:%02d", minute/60, minute%60) }

// updatedStamp is the later of the times as the spec's UTC
// "YYYY-MM-DD HH:MM:SS".
func updatedStamp(ts ...time.Time) string {
	var latest time.Time
	for _, t := range ts {
		if t.After(latest) {
			latest = t
		}
	}
	return latest.UTC().Format(updatedLayout)
}

// formatAddress writes an address as Google does: "123 Main St, Austin, TX
// 78701, US".
func formatAddress(street, city, region, postal, country string) string {
	return joinSep(", ", street, city, joinSep(" ", region, postal), country)
}

// shortSlug keeps a slug within the spec's 64 characters, stable: a long
// one is cut and given a short hash of the whole.
func shortSlug(s string) string {
	if len(s) <= MaxSlugLen {
		return s
	}
	h := fnv.New32a()
	h.Write([]byte(s))
	suffix := fmt.Sprintf("-%08x", h.Sum32())
	return strings.TrimRight(s[:MaxSlugLen-len(suffix)], "-") + suffix
}

// uniqueSlug makes s unique among used (it already is, unless two long
// slugs cut alike).
func uniqueSlug(s string, used map[string]bool) string {
	base := s
	for n := 2; used[s]; n++ {
		suffix := "-" + strconv.Itoa(n)
		s = strings.TrimRight(base[:min(len(base), MaxSlugLen-len(suffix))], "-") + suffix
	}
	used[s] = true
	return s
}
