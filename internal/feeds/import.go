package feeds

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hearth-org/hearth"
)

// ClosedMeetingNote is how a group imported from a row with the type C
// ("closed": only for people who share the problem, no visitors) says so.
// Hearth's own "closed" policy means something else — a cohort with an
// enrollment cap and window — so such a group stays open to join and this
// sentence opens its "what to expect"; the export reads it back as C.
const ClosedMeetingNote = "Closed meeting: only for people who share the group's problem, not for visitors."

// ImportOptions say what a feed cannot: what its meetings are about.
type ImportOptions struct {
	// Topics are the Hearth topics of every imported group (the feed has
	// none; a Meeting Guide feed usually lists AA meetings: "alcohol").
	Topics []string
	// Language is the language of rows whose types name none ("en").
	Language string
}

// Imported is a feed row as Hearth stores it: a group (without its
// organization and slug, which the importer decides) and its one weekly
// meeting (without a first date: see FirstStart).
type Imported struct {
	Group       hearth.Group
	Meeting     hearth.Meeting
	PublishLink bool     // the feed published the link: keep publishing it
	NotCarried  []string // type codes with no Hearth field, sorted
	Notes       []string // what of the row was not kept, and why
}

// Convert turns a row into the group and meeting Hearth stores. The result
// still needs validating (the app does, as for any group).
func (r *Row) Convert(o ImportOptions) Imported {
	a := applyTypes(r.Types)
	g := hearth.Group{
		Name:       r.Name,
		Topics:     slices.Clone(o.Topics),
		Leadership: hearth.PeerLed,
		Policy:     hearth.Open,
		Visibility: hearth.Listed,
		Cost:       hearth.Cost{Kind: hearth.Free},
	}
	g.Description = r.Notes
	var notes []string
	if utf8.RuneCountInString(g.Description) > hearth.MaxDescriptionLen {
		g.Description = clipRunes(g.Description, hearth.MaxDescriptionLen)
		notes = append(notes, fmt.Sprintf("notes cut to %d characters", hearth.MaxDescriptionLen))
	}
	if g.Description == "" {
		g.Description = r.Name
		if r.GroupName != "" && r.GroupName != r.Name {
			g.Description += " — " + r.GroupName
		}
	}
	if a.closed {
		g.WhatToExpect = ClosedMeetingNote
	}
	if a.digital {
		g.Cost = hearth.Cost{Kind: hearth.Donation}
	}
	g.Audience.Languages = a.languages
	if len(g.Audience.Languages) == 0 || (len(a.languages) == 1 && a.languages[0] == "asl") {
		lang := o.Language
		if lang == "" {
			lang = "en"
		}
		g.Audience.Languages = append(g.Audience.Languages, lang)
	}
	g.Audience.Communities = a.communities
	g.Audience.Gender = a.gender
	g.Audience.AgeBand = a.ageBand
	g.Accessibility = a.access

	// Where: the address fields, or the one formatted address split as
	// Google writes it ("4953 W Addison St, Chicago, IL 60641, USA").
	loc := hearth.Location{Address: r.Address, City: r.City, Region: r.State, PostalCode: r.PostalCode,
		Country: countryCode(r.Country), TimeZone: r.TimeZone, Approximate: r.Approximate}
	if r.FormattedAddress != "" && loc.Address == "" && loc.City == "" {
		fa := splitFormatted(r.FormattedAddress)
		loc.Address, loc.City, loc.Region, loc.PostalCode = fa.street, fa.city, fa.region, fa.postal
		if loc.Country == "" {
			loc.Country = fa.country
		}
	}
	if r.HasPoint {
		loc.Lat, loc.Lon, loc.HasPoint = round5(r.Lat), round5(r.Lon), true
	}

	online := r.ConferenceURL != ""
	phone := r.ConferencePhone != ""
	venue := loc.Address != "" && !r.Approximate && !a.tempClosed
	switch {
	case venue && online:
		g.Format = hearth.Hybrid
	case venue:
		g.Format = hearth.InPerson // a dial-in, if any, stays on the meeting
	case online:
		g.Format = hearth.Online
	case phone:
		g.Format = hearth.Phone
	default:
		g.Format = hearth.InPerson
	}
	if g.Format.Remote() {
		// Online-first: where it is based, roughly (the spec asks for it).
		loc.Approximate = true
		if r.Approximate || a.tempClosed {
			loc.Address = ""
		}
	}
	g.Location = loc
	g.VenueNotes = clipRunes(joinLines(r.Location, r.LocationNotes), hearth.MaxShortTextLen)

	g.Schedule = hearth.Schedule{Weekday: r.Days[0], Start: r.Start, Duration: r.Duration}
	m := hearth.Meeting{
		Duration: r.Duration,
		RRule:    WeeklyRule(r.Days),
		Attend:   hearth.Attend{Mode: g.Format, VenueNotes: g.VenueNotes, ConferenceURL: r.ConferenceURL},
	}
	// A one-tap number ("+13125551234,,81234567890#") keeps what is
	// dialled after connecting as the access code; otherwise the notes
	// are the access code, when they fit.
	number, dial, _ := strings.Cut(r.ConferencePhone, ",")
	m.Attend.Phone = strings.TrimSpace(number)
	code := ""
	if dial != "" {
		code = "," + dial
	}
	for _, n := range []struct{ field, text string }{
		{"conference_phone_notes", r.ConferencePhoneNotes},
		{"conference_url_notes", r.ConferenceURLNotes},
	} {
		switch {
		case n.text == "":
		case code == "" && utf8.RuneCountInString(n.text) <= hearth.MaxAccessCodeLen && !strings.ContainsAny(n.text, "<>\r\n"):
			code = n.text
		default:
			notes = append(notes, fmt.Sprintf("%s not kept (Hearth keeps one access code of at most %d characters per meeting)", n.field, hearth.MaxAccessCodeLen))
		}
	}
	if utf8.RuneCountInString(code) > hearth.MaxAccessCodeLen {
		notes = append(notes, "the digits dialled after the conference_phone number were not kept (too long)")
		code = ""
	}
	m.Attend.AccessCode = code
	return Imported{Group: g, Meeting: m, PublishLink: online || phone, NotCarried: a.notCarried, Notes: notes}
}

// FirstStart is the first start of a weekly meeting on the days at the
// clock time (minutes after midnight), on or after the local date of from,
// as a wall-clock time in loc.
func FirstStart(from time.Time, days []time.Weekday, clock int, loc *time.Location) time.Time {
	local := from.In(loc)
	y, mo, d := local.Date()
	for i := 0; i < 7; i++ {
		day := time.Date(y, mo, d+i, 12, 0, 0, 0, loc)
		if slices.Contains(days, day.Weekday()) {
			return time.Date(y, mo, d+i, clock/60, clock%60, 0, 0, loc)
		}
	}
	return time.Date(y, mo, d, clock/60, clock%60, 0, 0, loc)
}

var rruleDays = [...]string{"SU", "MO", "TU", "WE", "TH", "FR", "SA"}

// WeeklyRule is the RRULE of a meeting every week on the days, ongoing.
func WeeklyRule(days []time.Weekday) string {
	parts := make([]string, 0, len(days))
	for _, d := range days {
		parts = append(parts, rruleDays[d])
	}
	return "FREQ=WEEKLY;BYDAY=" + strings.Join(parts, ",")
}

// countryCode reads a country as feeds write it ("US", "USA", "United
// States", "Canada"); unknown names give "".
func countryCode(s string) string {
	s = strings.TrimSpace(s)
	switch strings.ToLower(strings.ReplaceAll(s, ".", "")) {
	case "":
		return ""
	case "usa", "us", "united states", "united states of america":
		return "US"
	case "canada":
		return "CA"
	case "mexico", "méxico":
		return "MX"
	case "spain", "españa":
		return "ES"
	case "uk", "united kingdom", "great britain":
		return "GB"
	}
	if len(s) == 2 && isASCIILetters(s) {
		return strings.ToUpper(s)
	}
	return ""
}

func isASCIILetters(s string) bool {
	for _, r := range s {
		if (r < 'a' || r > 'z') && (r < 'A' || r > 'Z') {
			return false
		}
	}
	return true
}

type formatted struct{ street, city, region, postal, country string }

// regionPostal is "IL 60641" or "ON K1P 1J1": a region code and a postal
// code.
var regionPostal = regexp.MustCompile(`^([A-Za-z]{2,3})(?:\s+([A-Za-z0-9][A-Za-z0-9 \-]{2,9}))?$`)

// splitFormatted splits a Google-style formatted address; what it cannot
// split stays whole in street.
func splitFormatted(s string) formatted {
	parts := strings.Split(s, ",")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	var f formatted
	if n := len(parts); n > 1 {
		if c := countryCode(parts[n-1]); c != "" {
			f.country = c
			parts = parts[:n-1]
		}
	}
	n := len(parts)
	if n >= 2 {
		if m := regionPostal.FindStringSubmatch(parts[n-1]); m != nil {
			f.region, f.postal = strings.ToUpper(m[1]), strings.ToUpper(m[2])
			parts = parts[:n-1]
			n--
		}
	}
	switch {
	case f.region != "" && n >= 2:
		f.city = parts[n-1]
		f.street = strings.Join(parts[:n-1], ", ")
	case f.region != "" && n == 1:
		// "Chicago, IL, USA": a city, no street.
		f.city = parts[0]
	default:
		f.street = strings.Join(parts, ", ")
	}
	return f
}

func joinLines(a, b string) string { return joinSep("\n", a, b) }

func joinSep(sep string, parts ...string) string {
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}

func clipRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

func round5(x float64) float64 { return math.Round(x*1e5) / 1e5 }

// GroupSlug turns a feed's slug into a Hearth group slug candidate:
// lower-case letters, digits and single hyphens, at least 3 long ("12" →
// "meeting-12").
func GroupSlug(feedSlug string) string {
	s := hearth.Slugify(feedSlug)
	if len(s) > 72 {
		s = strings.Trim(s[:72], "-")
	}
	if len(s) < 3 {
		s = strings.Trim("meeting-"+s, "-")
	}
	return s
}

// String names the row for messages.
func (r *Row) String() string { return fmt.Sprintf("row %d (slug %q)", r.Index, hearth.Clip(r.Slug)) }
