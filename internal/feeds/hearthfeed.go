package feeds

import (
	"time"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/schedule"
)

// HearthFeed is Hearth's own public feed: every listed group with what the
// Meeting Guide format cannot carry. Its shape is documented in the OpenAPI
// document (components.schemas.HearthFeed).
type HearthFeed struct {
	Generated string        `json:"generated_at"` // RFC 3339, UTC
	Groups    []HearthGroup `json:"groups"`
}

// HearthGroup is one listed group.
type HearthGroup struct {
	Slug                   string          `json:"slug"`
	Name                   string          `json:"name"`
	URL                    string          `json:"url"`
	Organization           HearthOrg       `json:"organization"`
	Description            string          `json:"description"`
	WhatToExpect           string          `json:"what_to_expect,omitempty"`
	Topics                 []string        `json:"topics"`
	Format                 string          `json:"format"`
	Leadership             string          `json:"leadership"`
	FacilitatorCredentials string          `json:"facilitator_credentials,omitempty"`
	Policy                 string          `json:"policy"`
	Accepting              bool            `json:"accepting"` // can a newcomer join or apply now
	Cohort                 *HearthCohort   `json:"cohort,omitempty"`
	Audience               HearthAudience  `json:"audience"`
	Accessibility          []string        `json:"accessibility"`
	Cost                   HearthCost      `json:"cost"`
	Location               HearthLocation  `json:"location"`
	VenueNotes             string          `json:"venue_notes,omitempty"`
	Meetings               []HearthMeeting `json:"meetings"`
	MeetingGuideTypes      []string        `json:"meeting_guide_types"`
	UpdatedAt              string          `json:"updated_at"`
}

// HearthOrg is the organization running a group.
type HearthOrg struct {
	Slug    string `json:"slug"`
	Name    string `json:"name"`
	Website string `json:"website,omitempty"`
}

// HearthCohort is a closed group's current cohort.
type HearthCohort struct {
	Cap              int    `json:"cap"`
	EnrollmentOpens  string `json:"enrollment_opens"`
	EnrollmentCloses string `json:"enrollment_closes"`
	Starts           string `json:"starts"`
	Sessions         int    `json:"sessions"`
}

// HearthAudience says who a group is for.
type HearthAudience struct {
	AgeBand     string   `json:"age_band"`
	Gender      string   `json:"gender"`
	Languages   []string `json:"languages"`
	Communities []string `json:"communities"`
}

// HearthCost is what attending costs.
type HearthCost struct {
	Kind string `json:"kind"`
	Note string `json:"note,omitempty"`
}

// HearthLocation is where a group meets or is based.
type HearthLocation struct {
	Address     string   `json:"address,omitempty"`
	City        string   `json:"city,omitempty"`
	Region      string   `json:"region,omitempty"`
	PostalCode  string   `json:"postal_code,omitempty"`
	Country     string   `json:"country,omitempty"`
	Lat         *float64 `json:"lat,omitempty"`
	Lon         *float64 `json:"lon,omitempty"`
	Approximate bool     `json:"approximate"`
	TimeZone    string   `json:"time_zone"`
}

// HearthMeeting is one meeting schedule with its next occurrences.
type HearthMeeting struct {
	ID              int64              `json:"id"`
	Title           string             `json:"title,omitempty"`
	Start           string             `json:"start"` // first start, wall clock in time_zone: 2026-01-06T18:30
	TimeZone        string             `json:"time_zone"`
	DurationMinutes int                `json:"duration_minutes"`
	RRule           string             `json:"rrule,omitempty"` // RFC 5545; absent for a one-off
	Mode            string             `json:"mode"`
	ConferenceURL   string             `json:"conference_url,omitempty"` // only when the group publishes it
	Phone           string             `json:"phone,omitempty"`          // only when the group publishes it
	AccessCode      string             `json:"access_code,omitempty"`    // only when the group publishes it
	Next            []HearthOccurrence `json:"next"`
}

// HearthOccurrence is one upcoming meeting.
type HearthOccurrence struct {
	Start     string `json:"start"` // RFC 3339 with the group's offset
	End       string `json:"end"`
	Cancelled bool   `json:"cancelled"`
	Moved     bool   `json:"moved"`
	Note      string `json:"note,omitempty"`
}

// Feed horizon: how many upcoming occurrences each meeting lists, and how
// far ahead they are looked for.
const (
	NextOccurrences = 5
	nextHorizon     = 92 * 24 * time.Hour
)

// Hearth builds Hearth's own feed of the listings at now, and reports the
// earliest upcoming start it lists (zero when none): the feed is stale
// from then on.
func Hearth(ls []Listing, now time.Time) (HearthFeed, time.Time) {
	f := HearthFeed{Generated: now.UTC().Format(time.RFC3339), Groups: []HearthGroup{}}
	var earliest time.Time
	for _, l := range ls {
		g := l.Group
		if g.Visibility != hearth.Listed {
			continue
		}
		hg := HearthGroup{
			Slug: g.Slug, Name: g.Name, URL: l.GroupURL,
			Description: g.Description, WhatToExpect: g.WhatToExpect,
			Topics: nonNil(g.Topics), Format: string(g.Format), Leadership: string(g.Leadership),
			FacilitatorCredentials: g.FacilitatorCredentials, Policy: string(g.Policy),
			Accepting: g.AcceptingAt(now),
			Audience: HearthAudience{AgeBand: g.Audience.AgeBand, Gender: g.Audience.Gender,
				Languages: nonNil(g.Audience.Languages), Communities: nonNil(g.Audience.Communities)},
			Accessibility: nonNil(g.Accessibility),
			Cost:          HearthCost{Kind: string(g.Cost.Kind), Note: g.Cost.Note},
			VenueNotes:    g.VenueNotes,
			Meetings:      []HearthMeeting{},
			UpdatedAt:     g.UpdatedAt.UTC().Format(time.RFC3339),
		}
		if l.Org != nil {
			hg.Organization = HearthOrg{Slug: l.Org.Slug, Name: l.Org.Name, Website: l.Org.Website}
		}
		if e := g.Enrollment; e != nil && g.Policy == hearth.Closed {
			hg.Cohort = &HearthCohort{Cap: e.Cap, EnrollmentOpens: stamp(e.Opens), EnrollmentCloses: stamp(e.Closes),
				Starts: stamp(e.Starts), Sessions: e.Sessions}
		}
		loc := g.Location
		hg.Location = HearthLocation{City: loc.City, Region: loc.Region, PostalCode: loc.PostalCode, Country: loc.Country,
			Approximate: loc.Approximate, TimeZone: loc.TimeZone}
		if g.Format.HasPlace() || !loc.Approximate {
			hg.Location.Address = loc.Address
		}
		if loc.HasPoint {
			lat, lon := round5(loc.Lat), round5(loc.Lon)
			hg.Location.Lat, hg.Location.Lon = &lat, &lon
		}
		hg.MeetingGuideTypes = TypesFor(g)
		for _, m := range l.Meetings {
			hm := HearthMeeting{ID: m.ID, Title: m.Title, Start: m.Start.Format("2006-01-02T15:04"), TimeZone: loc.TimeZone,
				DurationMinutes: m.Duration, RRule: m.RRule, Mode: string(m.Attend.Mode), Next: []HearthOccurrence{}}
			if l.PublishLink {
				hm.ConferenceURL, hm.Phone, hm.AccessCode = m.Attend.ConferenceURL, m.Attend.Phone, m.Attend.AccessCode
			}
			for _, o := range upcoming(m, l.Exceptions[m.ID], now) {
				hm.Next = append(hm.Next, HearthOccurrence{Start: o.Start.Format(time.RFC3339), End: o.End.Format(time.RFC3339),
					Cancelled: o.Cancelled, Moved: o.Moved, Note: o.Note})
				if earliest.IsZero() || o.Start.Before(earliest) {
					earliest = o.Start
				}
			}
			hg.Meetings = append(hg.Meetings, hm)
		}
		f.Groups = append(f.Groups, hg)
	}
	return f, earliest
}

// upcoming lists a meeting's next occurrences after now (cancelled ones
// included, so a site can say "no meeting this week").
func upcoming(m *hearth.Meeting, exceptions []hearth.MeetingException, now time.Time) []hearth.Occurrence {
	var rule *schedule.Rule
	if m.RRule != "" {
		r, err := schedule.ParseRule(m.RRule)
		if err != nil {
			return nil
		}
		rule = &r
	}
	occ := schedule.Expand(m.Start, time.Duration(m.Duration)*time.Minute, rule, exceptions, now, now.Add(nextHorizon))
	if len(occ) > NextOccurrences {
		occ = occ[:NextOccurrences]
	}
	return occ
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
