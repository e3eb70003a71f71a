// Package demo holds the demo directory that `hearth serve --demo` loads into
// an empty database: invented organizations (a hospital's oncology unit, a
// mental health peer alliance, a recovery intergroup, a hospice and grief
// centre, bilingual and Spanish-speaking community groups, an LGBTQ+ centre
// and a peer support charity) running about a hundred support groups in
// English and Spanish across North America and Europe.
//
// Everything is fictional: names, street numbers, mail addresses (example.org
// and example.com) and phone numbers (555-01xx in North America, the
// 020 7946 0xxx drama range in London). Venue positions are real city centres
// moved a few kilometres towards the neighbourhood. The directory is built from
// plain tables; only enrollment windows, cohort start dates, creation dates,
// the first date of each meeting schedule and the one cancelled meeting
// depend on the time passed in.
//
// Each group comes with what issue 3 built: a meeting schedule (most every
// week; some every other week, on the second or first Tuesday, the last
// Friday or the 15th of the month), a conference link for online and hybrid
// groups and a fictional dial-in for phone groups (protected, except for a
// few open recovery meetings that publish theirs), intake questions for
// closed groups, and one meeting cancelled with a note. No member accounts.
package demo

import (
	"fmt"
	"time"

	"github.com/hearth-org/hearth"
)

// Organization is one demo organization with the groups it runs. The groups'
// OrgID is left 0: the loader sets it once the organization is stored.
type Organization struct {
	Org    hearth.Organization
	Groups []Group
}

// Directory returns the demo directory. Enrollment windows and cohort start
// dates are placed relative to now, so that some closed groups are accepting
// applications now, some have closed their window and have a cohort under way,
// and some open theirs soon. The result is the same for the same now, and
// fresh on every call: callers may change it freely.
func Directory(now time.Time) []Organization {
	locs := zones()
	day := now.UTC().Truncate(time.Second)
	out := make([]Organization, len(orgs))
	index := make(map[string]int, len(orgs))
	for i, o := range orgs {
		index[o.key] = i
		out[i].Org = hearth.Organization{
			Slug:        o.slug,
			Name:        o.name,
			Description: o.description,
			Website:     "https://" + o.domain,
			Contact:     o.contact,
			CreatedAt:   day.AddDate(0, 0, -(900 + 97*i)),
		}
	}
	for i, s := range allSpecs() {
		k, ok := index[s.org]
		if !ok {
			panic(fmt.Sprintf("demo: group %q names unknown organization %q", s.slug, s.org))
		}
		out[k].Groups = append(out[k].Groups, build(s, orgs[k], i, now, locs))
	}
	return out
}

// window is where a closed group's enrollment stands relative to now.
type window int

const (
	accepting window = iota + 1 // opens ≤ now < closes
	underway                    // the window has closed and the cohort has begun
	upcoming                    // the window opens in a week or two
)

// cohort describes a closed group's current cohort.
type cohort struct {
	window   window
	cap      int
	sessions int
}

// lang is the language a group meets in.
type lang int

const (
	english lang = iota
	spanish
	bilingual // English and Spanish
)

// spec is one demo group as written in the tables. Unset fields take the
// common defaults: open, listed, free, all ages, any gender.
type spec struct {
	org        string
	slug, name string
	desc       string
	place      string // venue key for in-person and hybrid groups, city key for online and phone groups
	noPoint    bool   // an online group with no map position at all
	format     hearth.Format
	lead       hearth.Leadership
	cred       string
	topics     []string // the first names the group's family for the templates
	lang       lang
	day        time.Weekday
	at         string // "19:00", local time
	minutes    int
	rhythm     rhythm   // every week unless set
	publish    bool     // the group publishes its conference link or dial-in
	cancel     string   // a note: the second meeting from now is cancelled
	cohort     *cohort  // closed groups only
	intake     []string // closed groups: 1–3 questions in the group's language
	vis        hearth.Visibility
	cost       hearth.CostKind
	costNote   string
	age        string
	gender     string
	comm       []string
	access     []string // on top of the venue's
	contact    string   // default: the organization's mailbox for the city, or "online"
}

func allSpecs() []spec {
	var all []spec
	for _, part := range [][]spec{healthGroups, mindGroups, recoveryGroups, griefGroups,
		centroGroups, farolilloGroups, ceibaGroups, prismGroups, northwayGroups} {
		all = append(all, part...)
	}
	return all
}

// build turns a spec into a group with its meeting. i is the spec's
// position in the directory, used to vary wording and dates without
// randomness.
func build(s spec, o org, i int, now time.Time, locs map[string]*time.Location) Group {
	g := hearth.Group{
		Slug:                   s.slug,
		Name:                   s.name,
		Description:            s.desc,
		Topics:                 append([]string(nil), s.topics...),
		Format:                 s.format,
		Leadership:             s.lead,
		FacilitatorCredentials: s.cred,
		Policy:                 hearth.Open,
		Visibility:             s.vis,
		Cost:                   hearth.Cost{Kind: s.cost, Note: s.costNote},
		GuidelinesVersion:      1,
		Contact:                s.contact,
		Schedule:               hearth.Schedule{Weekday: s.day, Start: clock(s.at), Duration: s.minutes},
		Audience: hearth.Audience{
			AgeBand:     s.age,
			Gender:      s.gender,
			Languages:   languages(s.lang),
			Communities: append([]string(nil), s.comm...),
		},
	}
	if g.Visibility == "" {
		g.Visibility = hearth.Listed
	}
	if g.Cost.Kind == "" {
		g.Cost.Kind = hearth.Free
	}
	if g.Audience.AgeBand == "" {
		g.Audience.AgeBand = "all"
	}
	if g.Audience.Gender == "" {
		g.Audience.Gender = "any"
	}

	var (
		cityKey string
		v       venue
	)
	if s.format.HasPlace() {
		var ok bool
		if v, ok = venues[s.place]; !ok {
			panic(fmt.Sprintf("demo: group %q meets at unknown venue %q", s.slug, s.place))
		}
		cityKey = v.city
		c := cities[cityKey]
		lat, lon := v.point()
		g.Location = hearth.Location{Address: v.address, City: c.name, Region: c.region, PostalCode: v.postal,
			Country: c.country, Lat: lat, Lon: lon, HasPoint: true, TimeZone: c.zone}
		g.VenueNotes = pick(s.lang, v.notesEN, v.notesES, " / ")
		g.Accessibility = append(g.Accessibility, v.access...)
	} else {
		cityKey = s.place
		c, ok := cities[cityKey]
		if !ok {
			panic(fmt.Sprintf("demo: group %q is based in unknown city %q", s.slug, s.place))
		}
		if s.noPoint {
			g.Location = hearth.Location{Country: c.country, TimeZone: c.zone}
		} else {
			g.Location = hearth.Location{City: c.name, Region: c.region, Country: c.country,
				Lat: c.lat, Lon: c.lon, HasPoint: true, Approximate: true, TimeZone: c.zone}
		}
	}
	g.Accessibility = append(g.Accessibility, s.access...)
	if g.Contact == "" {
		box := cities[cityKey].mailbox
		if s.format == hearth.Online {
			box = "online"
		}
		g.Contact = box + "@" + o.domain
	}

	created := now.UTC().Truncate(time.Second).AddDate(0, 0, -(20 + (i*47)%640))
	g.CreatedAt, g.UpdatedAt = created, created

	loc := locs[cityKey]
	m := Meeting{Meeting: meeting(s, &g, o, i, loc)}
	// The simple schedule is the meeting's, as the app keeps it: a monthly
	// meeting by date is listed on its first meeting's weekday.
	g.Schedule = hearth.Schedule{Weekday: m.Start.Weekday(), Start: clock(s.at), Duration: s.minutes}
	if s.cancel != "" {
		m.Exceptions = append(m.Exceptions, cancellation(m.Meeting, s.cancel, now))
	}
	if s.cohort != nil {
		g.Policy = hearth.Closed
		g.Enrollment = enrollment(*s.cohort, m.Meeting, loc, now, i)
	}
	country := cities[cityKey].country
	g.WhatToExpect = whatToExpect(s, v, g, i, country)
	g.Guidelines = guidelines(s, i, country)
	return Group{Group: g, Meetings: []Meeting{m}, PublishLink: s.publish, Intake: intake(s)}
}

// enrollment places a cohort's window and first session around now, on
// local midnights of the group's zone, and returns the times in UTC. The
// first session is the group's first meeting at least two days after
// applications close.
func enrollment(c cohort, mt hearth.Meeting, loc *time.Location, now time.Time, i int) *hearth.Enrollment {
	y, m, d := now.In(loc).Date()
	day := func(k int) time.Time { return time.Date(y, m, d+k, 0, 0, 0, 0, loc) }
	var opens, closes time.Time
	switch c.window {
	case accepting:
		opens, closes = day(-(5 + i%9)), day(9+i%12)
	case underway:
		opens, closes = day(-(50 + i%20)), day(-(12 + i%8))
	case upcoming:
		start := 8 + i%10
		opens, closes = day(start), day(start+28)
	default:
		panic(fmt.Sprintf("demo: unknown enrollment window %d", c.window))
	}
	next := occurrencesFrom(mt, closes.Add(48*time.Hour))
	if len(next) == 0 {
		panic(fmt.Sprintf("demo: a cohort's meeting has no session after %v", closes))
	}
	starts := next[0].Start
	return &hearth.Enrollment{Cap: c.cap, Opens: opens.UTC(), Closes: closes.UTC(), Starts: starts.UTC(), Sessions: c.sessions}
}

func languages(l lang) []string {
	switch l {
	case spanish:
		return []string{"es"}
	case bilingual:
		return []string{"en", "es"}
	}
	return []string{"en"}
}

// pick returns the text in the group's language; bilingual groups get both,
// joined by sep. An empty Spanish text falls back to the English one.
func pick(l lang, en, es, sep string) string {
	if es == "" {
		es = en
	}
	if en == "" {
		en = es
	}
	switch l {
	case spanish:
		return es
	case bilingual:
		if en == es {
			return en
		}
		return en + sep + es
	}
	return en
}

// clock parses "HH:MM" into minutes after midnight.
func clock(hhmm string) int {
	if len(hhmm) != 5 || hhmm[2] != ':' {
		panic(fmt.Sprintf("demo: bad clock time %q", hhmm))
	}
	digit := func(b byte) int {
		if b < '0' || b > '9' {
			panic(fmt.Sprintf("demo: bad clock time %q", hhmm))
		}
		return int(b - '0')
	}
	h := digit(hhmm[0])*10 + digit(hhmm[1])
	m := digit(hhmm[3])*10 + digit(hhmm[4])
	if h > 23 || m > 59 {
		panic(fmt.Sprintf("demo: bad clock time %q", hhmm))
	}
	return h*60 + m
}
