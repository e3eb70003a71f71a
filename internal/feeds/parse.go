package feeds

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hearth-org/hearth"
)

// Entity is the service entity (an intergroup, a central office) a feed's
// rows name as responsible for them.
type Entity struct {
	Name     string
	Email    string
	Phone    string
	Location string
	URL      string // entity_url, or entity_website_url as the spec's field list spells it
	Logo     string
}

// Row is one meeting of a Meeting Guide feed, read leniently and checked:
// every Row has a slug, a name, at least one day, a start, a duration and a
// time zone that exists.
type Row struct {
	Index    int    // 1-based position in the feed
	Slug     string // as the feed gives it (strings and integer ids alike)
	Name     string
	Days     []time.Weekday // sorted, distinct
	Start    int            // minutes after local midnight
	Duration int            // minutes; one hour when the feed gives no end_time
	TimeZone string         // the row's, or the feed's default

	Types []string // the codes as given, trimmed, distinct

	Notes         string
	Location      string // a building or landmark name
	LocationNotes string
	GroupName     string // the spec's "group": the group holding the meeting

	FormattedAddress string
	Address          string
	City             string
	State            string
	PostalCode       string
	Country          string
	Region           string
	Lat, Lon         float64
	HasPoint         bool
	Approximate      bool // "approximate": "yes"

	ConferenceURL        string
	ConferenceURLNotes   string
	ConferencePhone      string
	ConferencePhoneNotes string

	URL     string
	Updated time.Time // zero when absent or unreadable
	Entity  Entity
}

// Skip is a row that was not read, with the reason in words a person can
// act on.
type Skip struct {
	Index  int // 1-based position in the feed
	Slug   string
	Name   string
	Reason string
}

func (s Skip) String() string {
	id := ""
	switch {
	case s.Slug != "":
		id = fmt.Sprintf(" (slug %q)", hearth.Clip(s.Slug))
	case s.Name != "":
		id = fmt.Sprintf(" (%q)", hearth.Clip(s.Name))
	}
	return fmt.Sprintf("row %d%s: %s", s.Index, id, s.Reason)
}

// Feed is a parsed Meeting Guide feed: the rows that can be imported and
// the rows that cannot, each with its reason.
type Feed struct {
	Rows    []Row
	Skipped []Skip
	// Entity is the first entity named by a row (most feeds have one).
	Entity Entity
}

// ParseOptions tune ParseMeetingGuide.
type ParseOptions struct {
	// TimeZone is the zone of rows without one (most real feeds have none:
	// the site has one). Empty: such rows are skipped.
	TimeZone string
}

// MaxFeedRows bounds how many rows one feed may have.
const MaxFeedRows = 20000

// ParseMeetingGuide reads a Meeting Guide JSON feed (code4recovery's spec)
// as real sites publish it: day as a number, a numeric string or an array;
// time as HH:MM (or H:MM, or HH:MM:SS); end_time missing (one hour);
// timezone missing (the option's zone); types as an array or a
// comma-separated string; entity_url or entity_website_url; numbers as
// strings. A row that cannot be used is reported in Skipped with its
// reason; the error is non-nil only for unusable input: not JSON, not an
// array, too many rows, or a bad default time zone.
func ParseMeetingGuide(data []byte, o ParseOptions) (*Feed, error) {
	if o.TimeZone != "" {
		if _, err := loadZone(o.TimeZone); err != nil {
			return nil, hearth.Coded(hearth.Invalid, "bad_zone", fmt.Sprintf("%q is not a time zone; use a name like America/Chicago.", hearth.Clip(o.TimeZone)))
		}
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")) // a byte-order mark, as some sheet exports write
	if !json.Valid(data) {
		return nil, hearth.Coded(hearth.Invalid, "not_json", "The feed is not JSON.")
	}
	var raw []json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, hearth.Coded(hearth.Invalid, "not_array", "The feed is JSON but not an array of meetings, as the Meeting Guide format requires.")
	}
	if len(raw) > MaxFeedRows {
		return nil, hearth.Coded(hearth.TooLarge, "too_many_rows", fmt.Sprintf("The feed has %d rows; at most %d can be imported at once.", len(raw), MaxFeedRows))
	}
	f := &Feed{Rows: []Row{}, Skipped: []Skip{}}
	seen := map[string]int{} // slug → index of the row that has it
	for i, r := range raw {
		row, skip := parseRow(i+1, r, o)
		if skip != nil {
			f.Skipped = append(f.Skipped, *skip)
			continue
		}
		key := strings.ToLower(row.Slug)
		if first, dup := seen[key]; dup {
			f.Skipped = append(f.Skipped, Skip{Index: row.Index, Slug: row.Slug, Name: row.Name,
				Reason: fmt.Sprintf("the slug is used again (first by row %d); slugs must be unique in a feed", first)})
			continue
		}
		seen[key] = row.Index
		if f.Entity.Name == "" && row.Entity.Name != "" {
			f.Entity = row.Entity
		}
		f.Rows = append(f.Rows, row)
	}
	return f, nil
}

// fields is one row's keys, read leniently.
type fields map[string]json.RawMessage

// str reads a field as text: strings as they are, numbers as written,
// anything else (null, arrays, objects) as empty. Text that is not valid
// UTF-8 or holds NUL is cleaned so it can be stored.
func (f fields) str(key string) string {
	v, ok := f[key]
	if !ok {
		return ""
	}
	var s string
	if err := json.Unmarshal(v, &s); err == nil {
		return cleanText(s)
	}
	var n json.Number
	if err := json.Unmarshal(v, &n); err == nil {
		return n.String()
	}
	return ""
}

func cleanText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\x00", "")
	return strings.TrimSpace(s)
}

// num reads a number, also when written as a string.
func (f fields) num(key string) (float64, bool) {
	s := f.str(key)
	if s == "" {
		return 0, false
	}
	x, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
		return 0, false
	}
	return x, true
}

func (f fields) has(key string) bool {
	v, ok := f[key]
	return ok && string(v) != "null"
}

func parseRow(index int, raw json.RawMessage, o ParseOptions) (Row, *Skip) {
	var f fields
	if err := json.Unmarshal(raw, &f); err != nil || f == nil {
		return Row{}, &Skip{Index: index, Reason: "the row is not a JSON object"}
	}
	r := Row{Index: index, Slug: f.str("slug"), Name: f.str("name")}
	if r.Slug == "" {
		r.Slug = f.str("id") // the Google Sheet column the spec names ID
	}
	skip := func(format string, args ...any) (Row, *Skip) {
		return Row{}, &Skip{Index: index, Slug: r.Slug, Name: r.Name, Reason: fmt.Sprintf(format, args...)}
	}
	if r.Slug == "" {
		return skip("no slug; every meeting needs a unique slug")
	}
	if r.Name == "" {
		return skip("no name")
	}

	days, err := parseDays(f["day"])
	if err != nil {
		return skip("%s", err)
	}
	r.Days = days

	tm := f.str("time")
	if tm == "" {
		return skip("no time; meetings by appointment cannot be imported")
	}
	start, ok := hearth.ParseClock(tm)
	if !ok {
		return skip("time %q is not a time of day like 19:30", hearth.Clip(tm))
	}
	r.Start, r.Duration = start, 60
	if et := f.str("end_time"); et != "" {
		end, ok := hearth.ParseClock(et)
		if et == "24:00" || et == "24:00:00" {
			end, ok = 1440, true
		}
		if !ok {
			return skip("end_time %q is not a time of day like 20:30", hearth.Clip(et))
		}
		switch {
		case end > start:
			r.Duration = end - start
		case end < start: // past midnight: 23:00 to 00:30
			r.Duration = end + 1440 - start
		default:
			return skip("end_time is the same as time")
		}
	}

	r.TimeZone = f.str("timezone")
	switch {
	case r.TimeZone != "":
		if _, err := loadZone(r.TimeZone); err != nil {
			return skip("timezone %q is not a time zone; use a name like America/Chicago", hearth.Clip(r.TimeZone))
		}
	case o.TimeZone != "":
		r.TimeZone = o.TimeZone
	default:
		return skip("no timezone, and none given for the feed (--timezone)")
	}

	r.Types = parseTypes(f["types"])
	r.Notes = f.str("notes")
	r.Location = f.str("location")
	r.LocationNotes = f.str("location_notes")
	r.GroupName = f.str("group")
	r.FormattedAddress = f.str("formatted_address")
	r.Address = f.str("address")
	r.City = f.str("city")
	r.State = f.str("state")
	r.PostalCode = f.str("postal_code")
	r.Country = f.str("country")
	r.Region = f.str("region")
	if r.Region == "" {
		r.Region = regionsLast(f["regions"])
	}
	lat, okLat := f.num("latitude")
	lon, okLon := f.num("longitude")
	if okLat && okLon && !(lat == 0 && lon == 0) {
		if lat < -90 || lat > 90 || lon < -180 || lon > 180 {
			return skip("latitude and longitude (%g, %g) are not a place on Earth", lat, lon)
		}
		r.Lat, r.Lon, r.HasPoint = lat, lon, true
	}
	switch strings.ToLower(f.str("approximate")) {
	case "yes", "true", "1":
		r.Approximate = true
	}
	if string(f["approximate"]) == "true" {
		r.Approximate = true
	}
	r.ConferenceURL = f.str("conference_url")
	r.ConferenceURLNotes = f.str("conference_url_notes")
	r.ConferencePhone = f.str("conference_phone")
	r.ConferencePhoneNotes = f.str("conference_phone_notes")
	if r.ConferenceURL != "" && !strings.HasPrefix(strings.ToLower(r.ConferenceURL), "https://") {
		return skip("conference_url %q does not start with https://", hearth.Clip(r.ConferenceURL))
	}
	if r.ConferencePhone != "" && !phoneRE.MatchString(r.ConferencePhone) {
		return skip("conference_phone %q is not a phone number (digits, +, and , * # for one-tap dialing)", hearth.Clip(r.ConferencePhone))
	}
	r.URL = f.str("url")
	if u := f.str("updated"); u != "" {
		if t, err := time.Parse(updatedLayout, u); err == nil {
			r.Updated = t
		}
	}
	r.Entity = Entity{Name: f.str("entity"), Email: f.str("entity_email"), Phone: f.str("entity_phone"),
		Location: f.str("entity_location"), URL: f.str("entity_url"), Logo: f.str("entity_logo")}
	if r.Entity.URL == "" {
		r.Entity.URL = f.str("entity_website_url")
	}
	if r.Address == "" && r.FormattedAddress == "" && r.ConferenceURL == "" && r.ConferencePhone == "" && r.City == "" {
		return skip("no address and no conference_url or conference_phone: nowhere to meet")
	}
	return r, nil
}

// phoneRE is a conference phone as the spec allows: digits, a leading +,
// and , * # for one-tap links (spaces, dashes, dots and brackets are
// tolerated).
var phoneRE = regexp.MustCompile(`^\+?[0-9 ().\-]{6,30}([,*#][0-9,*#]*)*$`)

// updatedLayout is the spec's "updated": UTC "YYYY-MM-DD HH:MM:SS".
const updatedLayout = "2006-01-02 15:04:05"

// parseDays reads "day": 0–6 with 0 = Sunday, as a number, a numeric
// string or an array of them.
func parseDays(raw json.RawMessage) ([]time.Weekday, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, fmt.Errorf("no day; meetings by appointment cannot be imported")
	}
	var list []json.RawMessage
	if raw[0] != '[' {
		list = []json.RawMessage{raw}
	} else if err := json.Unmarshal(raw, &list); err != nil {
		return nil, fmt.Errorf("day is not a number or a list of numbers")
	}
	if len(list) == 0 {
		return nil, fmt.Errorf("no day; meetings by appointment cannot be imported")
	}
	var out []time.Weekday
	for _, item := range list {
		d, err := parseDay(item)
		if err != nil {
			return nil, err
		}
		if !slices.Contains(out, d) {
			out = append(out, d)
		}
	}
	slices.Sort(out)
	return out, nil
}

func parseDay(raw json.RawMessage) (time.Weekday, error) {
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		var n json.Number
		if err := json.Unmarshal(raw, &n); err != nil {
			return 0, fmt.Errorf("day %s is not a number from 0 (Sunday) to 6 (Saturday)", hearth.Clip(string(raw)))
		}
		s = n.String()
	}
	s = strings.TrimSpace(s)
	d, err := strconv.Atoi(strings.TrimSuffix(s, ".0"))
	if err != nil || d < 0 || d > 6 {
		return 0, fmt.Errorf("day %s is not a number from 0 (Sunday) to 6 (Saturday)", hearth.Clip(string(raw)))
	}
	return time.Weekday(d), nil
}

// parseTypes reads "types": an array of codes or a comma-separated string.
func parseTypes(raw json.RawMessage) []string {
	var list []json.RawMessage
	var out []string
	add := func(s string) {
		s = cleanText(s)
		if s != "" && len(s) <= 16 && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	if err := json.Unmarshal(raw, &list); err == nil {
		for _, item := range list {
			var s string
			if json.Unmarshal(item, &s) == nil {
				add(s)
			}
		}
		return out
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		for _, part := range strings.Split(s, ",") {
			add(part)
		}
	}
	return out
}

// regionsLast reads the most specific of "regions".
func regionsLast(raw json.RawMessage) string {
	var list []string
	if json.Unmarshal(raw, &list) != nil || len(list) == 0 {
		return ""
	}
	return cleanText(list[len(list)-1])
}

// loadZone loads an IANA zone, refusing what time.LoadLocation accepts but
// is not a zone name ("", "Local") and names too long to be one.
func loadZone(name string) (*time.Location, error) {
	if name == "" || name == "Local" || len(name) > 64 || !utf8.ValidString(name) {
		return nil, fmt.Errorf("not a zone")
	}
	return time.LoadLocation(name)
}
