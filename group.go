package hearth

import (
	"fmt"
	"math"
	"net/mail"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Format is how a group meets.
type Format string

// The formats.
const (
	InPerson Format = "in_person"
	Online   Format = "online"
	Phone    Format = "phone"
	Hybrid   Format = "hybrid"
)

// Formats lists every format.
var Formats = []Format{InPerson, Online, Phone, Hybrid}

// Remote reports whether a group of this format can be joined from anywhere:
// online and phone groups are found whatever the distance.
func (f Format) Remote() bool { return f == Online || f == Phone }

// HasPlace reports whether the format meets at a physical venue.
func (f Format) HasPlace() bool { return f == InPerson || f == Hybrid }

// Leadership says who leads a group.
type Leadership string

// The kinds of leadership.
const (
	PeerLed         Leadership = "peer_led"
	ProfessionalLed Leadership = "professional_led"
)

// Leaderships lists every kind of leadership.
var Leaderships = []Leadership{PeerLed, ProfessionalLed}

// Policy is a group's membership policy.
type Policy string

// The membership policies.
const (
	Open   Policy = "open"   // join any time
	Closed Policy = "closed" // a cohort with a cap, an enrollment window and committed sessions
)

// Policies lists every policy.
var Policies = []Policy{Open, Closed}

// Visibility says who can find a group.
type Visibility string

// The visibilities.
const (
	Listed   Visibility = "listed"   // in the directory
	Unlisted Visibility = "unlisted" // reachable by its address only
	Private  Visibility = "private"  // members and staff only
)

// Visibilities lists every visibility.
var Visibilities = []Visibility{Listed, Unlisted, Private}

// CostKind is what attending costs.
type CostKind string

// The kinds of cost.
const (
	Free     CostKind = "free"
	Donation CostKind = "donation"
	Fee      CostKind = "fee"
)

// CostKinds lists every kind of cost.
var CostKinds = []CostKind{Free, Donation, Fee}

// Age bands a group may be meant for.
var AgeBands = []string{"all", "teens", "young_adults", "adults", "older_adults"}

// Genders a group may be meant for.
var Genders = []string{"any", "women", "men", "nonbinary"}

// Languages a group may meet in (ISO 639-1). The interface is in English and
// Spanish; groups may meet in others.
var Languages = []string{"en", "es", "fr", "pt", "zh", "vi", "ar", "asl"}

// Accessibility features a venue or meeting may offer.
var AccessibilityFeatures = []string{
	"wheelchair", "sign_language", "captioning", "hearing_loop",
	"large_print", "quiet_space", "childcare", "transit", "parking",
}

// Community tags describe who a group is for beyond topic and age.
var Communities = []string{
	"veterans", "lgbtq", "bipoc", "latinx", "parents", "youth",
	"seniors", "faith_based", "healthcare_workers", "students", "rural",
}

// Organization runs groups: a hospital unit, a chapter, a hospice, peers.
type Organization struct {
	ID          int64     `json:"id"`
	Slug        string    `json:"slug"`
	Name        string    `json:"name"`
	Description string    `json:"description"`
	Website     string    `json:"website,omitempty"`
	Contact     string    `json:"contact,omitempty"`
	CreatedAt   time.Time `json:"created_at"`
}

// Audience says who a group is meant for.
type Audience struct {
	AgeBand     string   `json:"age_band"`
	Gender      string   `json:"gender"`
	Languages   []string `json:"languages"`
	Communities []string `json:"communities,omitempty"`
}

// Enrollment holds the terms of a closed group's current cohort.
type Enrollment struct {
	Cap      int       `json:"cap"`      // most members in the cohort
	Opens    time.Time `json:"opens"`    // first day to apply
	Closes   time.Time `json:"closes"`   // last moment to apply
	Starts   time.Time `json:"starts"`   // first session
	Sessions int       `json:"sessions"` // sessions members commit to
}

// Location is where a group meets, or where an online-first group is based.
type Location struct {
	Address    string  `json:"address,omitempty"`
	City       string  `json:"city,omitempty"`
	Region     string  `json:"region,omitempty"`
	PostalCode string  `json:"postal_code,omitempty"`
	Country    string  `json:"country,omitempty"` // ISO 3166-1 alpha-2
	Lat        float64 `json:"lat"`
	Lon        float64 `json:"lon"`
	HasPoint   bool    `json:"has_point"`
	// Approximate marks coordinates that only say roughly where an
	// online-first group is based (its city), not a venue to go to.
	Approximate bool   `json:"approximate"`
	TimeZone    string `json:"time_zone"` // IANA
}

// Cost is what attending costs.
type Cost struct {
	Kind CostKind `json:"kind"`
	Note string   `json:"note,omitempty"` // "$10 a session, waived on request"
}

// Schedule is a group's simple weekly meeting time in its own time zone.
// Full recurrence comes with meetings.
type Schedule struct {
	Weekday  time.Weekday `json:"weekday"`
	Start    int          `json:"start_minute"`     // minutes after local midnight
	Duration int          `json:"duration_minutes"` // length of a meeting
}

// WeekMinute is the schedule's start as minutes after Sunday 00:00 local.
func (s Schedule) WeekMinute() int { return int(s.Weekday)*1440 + s.Start }

// Clock formats the start as HH:MM.
func (s Schedule) Clock() string { return fmt.Sprintf("%02d:%02d", s.Start/60, s.Start%60) }

// Next returns the next start at or after now, in loc. A 19:00 meeting stays
// at 19:00 local across daylight-saving changes.
func (s Schedule) Next(now time.Time, loc *time.Location) time.Time {
	local := now.In(loc)
	y, m, d := local.Date()
	days := (int(s.Weekday) - int(local.Weekday()) + 7) % 7
	start := time.Date(y, m, d+days, s.Start/60, s.Start%60, 0, 0, loc)
	if start.Before(local) {
		start = time.Date(y, m, d+days+7, s.Start/60, s.Start%60, 0, 0, loc)
	}
	return start
}

// Group is a support group as people looking for one describe it.
type Group struct {
	ID                     int64       `json:"id"`
	OrgID                  int64       `json:"organization_id"`
	Slug                   string      `json:"slug"`
	Name                   string      `json:"name"`
	Description            string      `json:"description"`
	WhatToExpect           string      `json:"what_to_expect"`
	Topics                 []string    `json:"topics"`
	Audience               Audience    `json:"audience"`
	Format                 Format      `json:"format"`
	Leadership             Leadership  `json:"leadership"`
	FacilitatorCredentials string      `json:"facilitator_credentials,omitempty"`
	Policy                 Policy      `json:"policy"`
	Enrollment             *Enrollment `json:"enrollment,omitempty"` // closed groups only
	Visibility             Visibility  `json:"visibility"`
	Location               Location    `json:"location"`
	VenueNotes             string      `json:"venue_notes,omitempty"`
	Accessibility          []string    `json:"accessibility"`
	Cost                   Cost        `json:"cost"`
	Guidelines             string      `json:"guidelines"`
	GuidelinesVersion      int         `json:"guidelines_version"`
	Contact                string      `json:"contact,omitempty"`
	Schedule               Schedule    `json:"schedule"`
	ActiveMembers          int         `json:"active_members"`
	CreatedAt              time.Time   `json:"created_at"`
	UpdatedAt              time.Time   `json:"updated_at"`
}

// AcceptingAt reports whether a newcomer can join or apply at t: open groups
// always; closed groups inside their enrollment window while seats remain.
func (g *Group) AcceptingAt(t time.Time) bool {
	if g.Policy == Open {
		return true
	}
	e := g.Enrollment
	if e == nil {
		return false
	}
	return !t.Before(e.Opens) && t.Before(e.Closes) && g.ActiveMembers < e.Cap
}

// Limits on text a group carries.
const (
	MaxNameLen        = 120
	MaxDescriptionLen = 5000
	MaxGuidelinesLen  = 10000
	MaxShortTextLen   = 500
)

// ValidText reports whether s is text a person could have typed: valid
// UTF-8 with no NUL character (which PostgreSQL refuses to store).
func ValidText(s string) bool { return utf8.ValidString(s) && !strings.ContainsRune(s, 0) }

var slugRE = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)

// ValidSlug reports whether s can be a slug: 3–80 lower-case letters, digits
// and single hyphens.
func ValidSlug(s string) bool { return len(s) >= 3 && len(s) <= 80 && slugRE.MatchString(s) }

// Slugify turns a name into a slug candidate ("Grief Circle — Austin" →
// "grief-circle-austin"), folding common accents.
func Slugify(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		r = foldAccent(r)
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		default:
			if !dash && b.Len() > 0 {
				b.WriteByte('-')
				dash = true
			}
		}
		if b.Len() >= 72 {
			break
		}
	}
	return strings.Trim(b.String(), "-")
}

func foldAccent(r rune) rune {
	switch r {
	case 'á', 'à', 'ä', 'â', 'ã', 'å':
		return 'a'
	case 'é', 'è', 'ë', 'ê':
		return 'e'
	case 'í', 'ì', 'ï', 'î':
		return 'i'
	case 'ó', 'ò', 'ö', 'ô', 'õ':
		return 'o'
	case 'ú', 'ù', 'ü', 'û':
		return 'u'
	case 'ñ':
		return 'n'
	case 'ç':
		return 'c'
	}
	return r
}

// Normalize trims text fields and sorts and de-duplicates the lists, so that
// what is stored and compared is canonical.
func (g *Group) Normalize() {
	trim := func(s *string) { *s = strings.TrimSpace(*s) }
	for _, s := range []*string{&g.Slug, &g.Name, &g.Description, &g.WhatToExpect, &g.FacilitatorCredentials,
		&g.VenueNotes, &g.Guidelines, &g.Contact, &g.Cost.Note, &g.Location.Address, &g.Location.City,
		&g.Location.Region, &g.Location.PostalCode, &g.Location.Country, &g.Location.TimeZone} {
		trim(s)
	}
	g.Slug = strings.ToLower(g.Slug)
	g.Location.Country = strings.ToUpper(g.Location.Country)
	g.Topics = sortedSet(g.Topics)
	g.Audience.Languages = sortedSet(g.Audience.Languages)
	g.Audience.Communities = sortedSet(g.Audience.Communities)
	g.Accessibility = sortedSet(g.Accessibility)
	if g.Audience.AgeBand == "" {
		g.Audience.AgeBand = "all"
	}
	if g.Audience.Gender == "" {
		g.Audience.Gender = "any"
	}
	if g.Visibility == "" {
		g.Visibility = Listed
	}
	if g.Cost.Kind == "" {
		g.Cost.Kind = Free
	}
	if g.Policy == Open {
		g.Enrollment = nil
	}
}

func sortedSet(in []string) []string {
	out := make([]string, 0, len(in))
	for _, s := range in {
		s = strings.TrimSpace(s)
		if s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	slices.Sort(out)
	return out
}

// Validate checks every rule a group must keep and reports each broken one
// in words the person editing it can act on. Call Normalize first.
func (g *Group) Validate() error {
	var p Problems
	textLen := func(field, value string, min, max int, what string) {
		n := utf8.RuneCountInString(value)
		switch {
		case !ValidText(value):
			p.Add(field, "invalid_text", what+" contains characters that are not valid text.", nil)
		case n < min && min == 1:
			p.Add(field, "required", what+" is required.", nil)
		case n < min:
			p.Add(field, "too_short", fmt.Sprintf("%s needs at least %d characters.", what, min), map[string]any{"Min": min})
		case n > max:
			p.Add(field, "too_long", fmt.Sprintf("%s can be at most %d characters.", what, max), map[string]any{"Max": max})
		}
	}
	if !ValidSlug(g.Slug) {
		p.Add("slug", "slug", "The web address name must be 3–80 lower-case letters, digits or hyphens, like grief-circle-austin.", nil)
	}
	textLen("name", g.Name, 3, MaxNameLen, "The name")
	textLen("description", g.Description, 1, MaxDescriptionLen, "The description")
	textLen("what_to_expect", g.WhatToExpect, 0, MaxDescriptionLen, "What to expect")
	textLen("facilitator_credentials", g.FacilitatorCredentials, 0, MaxShortTextLen, "The facilitator's credentials")
	textLen("venue_notes", g.VenueNotes, 0, MaxShortTextLen, "The venue notes")
	textLen("guidelines", g.Guidelines, 0, MaxGuidelinesLen, "The guidelines")
	textLen("contact", g.Contact, 0, 200, "The contact")
	textLen("cost_note", g.Cost.Note, 0, 200, "The cost note")
	textLen("address", g.Location.Address, 0, 300, "The address")
	textLen("city", g.Location.City, 0, 120, "The city")
	textLen("region", g.Location.Region, 0, 120, "The region")
	textLen("postal_code", g.Location.PostalCode, 0, 20, "The postal code")

	if len(g.Topics) == 0 {
		p.Add("topics", "required", "Choose at least one topic, so people can find the group.", nil)
	}
	if len(g.Topics) > 8 {
		p.Add("topics", "too_many", "Choose at most 8 topics.", map[string]any{"Max": 8})
	}
	for _, t := range g.Topics {
		if _, ok := LookupTopic(t); !ok {
			p.Add("topics", "unknown", fmt.Sprintf("%q is not a topic Hearth knows.", t), map[string]any{"Value": t})
		}
	}
	oneOf := func(field, value string, allowed []string, what string) {
		if !slices.Contains(allowed, value) {
			p.Add(field, "unknown", fmt.Sprintf("%q is not a valid %s; choose one of: %s.", value, what, strings.Join(allowed, ", ")), map[string]any{"Value": value})
		}
	}
	oneOf("format", string(g.Format), Strings(Formats), "format")
	oneOf("leadership", string(g.Leadership), Strings(Leaderships), "leadership")
	oneOf("policy", string(g.Policy), Strings(Policies), "membership policy")
	oneOf("visibility", string(g.Visibility), Strings(Visibilities), "visibility")
	oneOf("cost", string(g.Cost.Kind), Strings(CostKinds), "cost")
	oneOf("age_band", g.Audience.AgeBand, AgeBands, "age band")
	oneOf("gender", g.Audience.Gender, Genders, "gender")
	if len(g.Audience.Languages) == 0 {
		p.Add("languages", "required", "Say which language the group meets in.", nil)
	}
	for _, l := range g.Audience.Languages {
		oneOf("languages", l, Languages, "language")
	}
	for _, c := range g.Audience.Communities {
		oneOf("communities", c, Communities, "community")
	}
	for _, a := range g.Accessibility {
		oneOf("accessibility", a, AccessibilityFeatures, "accessibility feature")
	}
	if g.Cost.Kind == Fee && g.Cost.Note == "" {
		p.Add("cost_note", "required", "Say what the fee is, and whether it can be waived.", nil)
	}

	loc := g.Location
	if loc.TimeZone == "" {
		p.Add("time_zone", "required", "Choose the time zone the group meets in, like America/Chicago.", nil)
	} else if _, err := time.LoadLocation(loc.TimeZone); err != nil || loc.TimeZone == "Local" {
		p.Add("time_zone", "unknown", fmt.Sprintf("%q is not a time zone; use a name like America/Chicago or Europe/Madrid.", loc.TimeZone), map[string]any{"Value": loc.TimeZone})
	}
	if loc.Country != "" && (len(loc.Country) != 2 || strings.ToUpper(loc.Country) != loc.Country || !isLetters(loc.Country)) {
		p.Add("country", "unknown", "Use the two-letter country code, like US, MX or ES.", nil)
	}
	if loc.HasPoint {
		if math.IsNaN(loc.Lat) || loc.Lat < -90 || loc.Lat > 90 {
			p.Add("lat", "out_of_range", "Latitude must be between -90 and 90.", nil)
		}
		if math.IsNaN(loc.Lon) || loc.Lon < -180 || loc.Lon > 180 {
			p.Add("lon", "out_of_range", "Longitude must be between -180 and 180.", nil)
		}
	}
	if g.Format.HasPlace() {
		if loc.Address == "" {
			p.Add("address", "required", "Groups that meet in person need the venue's address.", nil)
		}
		if !loc.HasPoint {
			p.Add("location", "required", "Groups that meet in person need the venue's map position, so people nearby can find them.", nil)
		}
		if loc.Approximate {
			p.Add("approximate", "in_person", "A venue people go to cannot have an approximate position.", nil)
		}
	}

	s := g.Schedule
	if s.Weekday < time.Sunday || s.Weekday > time.Saturday {
		p.Add("weekday", "out_of_range", "Choose the day of the week the group meets.", nil)
	}
	if s.Start < 0 || s.Start >= 1440 {
		p.Add("start", "out_of_range", "The start time must be between 00:00 and 23:59.", nil)
	}
	if s.Duration < 15 || s.Duration > 480 {
		p.Add("duration", "out_of_range", "A meeting lasts between 15 minutes and 8 hours.", map[string]any{"Min": 15, "Max": 480})
	}

	switch g.Policy {
	case Closed:
		e := g.Enrollment
		if e == nil {
			p.Add("enrollment_cap", "required", "A closed group needs an enrollment cap, an enrollment window, a start date and a number of sessions.", nil)
			break
		}
		if e.Cap < 2 || e.Cap > 500 {
			p.Add("enrollment_cap", "out_of_range", "The enrollment cap must be between 2 and 500 people.", map[string]any{"Min": 2, "Max": 500})
		}
		if e.Sessions < 1 || e.Sessions > 200 {
			p.Add("sessions", "out_of_range", "The number of sessions must be between 1 and 200.", map[string]any{"Min": 1, "Max": 200})
		}
		if e.Opens.IsZero() || e.Closes.IsZero() {
			p.Add("enrollment_window", "required", "Give the dates enrollment opens and closes.", nil)
		} else if !e.Closes.After(e.Opens) {
			p.Add("enrollment_window", "order", "Enrollment must close after it opens.", nil)
		}
		if e.Starts.IsZero() {
			p.Add("starts", "required", "Give the date the cohort starts.", nil)
		} else if !e.Closes.IsZero() && e.Starts.Before(e.Opens) {
			p.Add("starts", "order", "The cohort cannot start before enrollment opens.", nil)
		}
	case Open:
		if g.Enrollment != nil {
			p.Add("policy", "open_with_cap", "Open groups have no enrollment cap or window; choose closed for a cohort.", nil)
		}
	}
	return p.Err()
}

func isLetters(s string) bool {
	for _, r := range s {
		if r < 'A' || r > 'Z' {
			return false
		}
	}
	return true
}

// Strings turns a list of one of the domain's string types into plain
// strings.
func Strings[T ~string](in []T) []string {
	out := make([]string, len(in))
	for i, v := range in {
		out[i] = string(v)
	}
	return out
}

// Normalize trims the organization's fields.
func (o *Organization) Normalize() {
	o.Slug = strings.ToLower(strings.TrimSpace(o.Slug))
	o.Name = strings.TrimSpace(o.Name)
	o.Description = strings.TrimSpace(o.Description)
	o.Website = strings.TrimSpace(o.Website)
	o.Contact = strings.TrimSpace(o.Contact)
}

// Validate checks an organization.
func (o *Organization) Validate() error {
	var p Problems
	if !ValidSlug(o.Slug) {
		p.Add("slug", "slug", "The web address name must be 3–80 lower-case letters, digits or hyphens.", nil)
	}
	if n := utf8.RuneCountInString(o.Name); n < 2 || n > MaxNameLen || !ValidText(o.Name) {
		p.Add("name", "length", fmt.Sprintf("The name must be 2 to %d characters.", MaxNameLen), map[string]any{"Min": 2, "Max": MaxNameLen})
	}
	if !ValidText(o.Description) || !ValidText(o.Website) || !ValidText(o.Contact) {
		p.Add("description", "invalid_text", "The text contains characters that are not valid text.", nil)
	}
	if utf8.RuneCountInString(o.Description) > MaxDescriptionLen {
		p.Add("description", "too_long", fmt.Sprintf("The description can be at most %d characters.", MaxDescriptionLen), map[string]any{"Max": MaxDescriptionLen})
	}
	if o.Website != "" && !strings.HasPrefix(o.Website, "https://") && !strings.HasPrefix(o.Website, "http://") {
		p.Add("website", "url", "The website must start with https://.", nil)
	}
	if o.Contact != "" {
		if _, err := mail.ParseAddress(o.Contact); err != nil && !looksLikePhone(o.Contact) {
			p.Add("contact", "contact", "The contact must be an email address or a phone number.", nil)
		}
	}
	return p.Err()
}

func looksLikePhone(s string) bool {
	digits := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case strings.ContainsRune(" +-().", r):
		default:
			return false
		}
	}
	return digits >= 6 && digits <= 15
}
