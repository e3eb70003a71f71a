package hearth

import (
	"fmt"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Sort orders directory results.
type Sort string

// The sort orders.
const (
	SortRelevance Sort = "relevance"
	SortDistance  Sort = "distance"
	SortSoonest   Sort = "soonest"
	SortName      Sort = "name"
)

// Sorts lists every sort order.
var Sorts = []Sort{SortRelevance, SortDistance, SortSoonest, SortName}

// Directory search limits.
const (
	MaxQueryLen     = 200
	DefaultRadiusKm = 40.0
	MaxRadiusKm     = 1000.0
	DefaultPerPage  = 20
	MaxPerPage      = 100
	MaxPage         = 500
	KmPerMile       = 1.609344
)

// Point is a position on Earth in degrees.
type Point struct {
	Lat float64 `json:"lat"`
	Lon float64 `json:"lon"`
}

// Search is one directory query, as a newcomer puts it.
type Search struct {
	Text          string
	Topics        []string // expanded: a parent includes its children
	Formats       []Format
	Leadership    []Leadership
	Policy        Policy // empty: any
	AcceptingNow  bool
	Languages     []string
	AgeBand       string
	Gender        string
	Communities   []string
	Accessibility []string // all of these
	Costs         []CostKind
	Days          []time.Weekday // in the viewer's zone
	From, To      int            // minutes after midnight in the viewer's zone; -1 when unset
	ViewerZone    string         // IANA; empty: the place's zone, else UTC
	Near          *Point
	Place         string // resolved to Near by the caller with the gazetteer
	RadiusKm      float64
	Miles         bool // show distances in miles
	ExcludeRemote bool // leave out online and phone groups
	Sort          Sort
	Page          int // 1-based
	PerPage       int
}

// HasTimeFilter reports whether the search narrows by day or time.
func (s *Search) HasTimeFilter() bool { return len(s.Days) > 0 || s.From >= 0 || s.To >= 0 }

// EffectiveSort resolves the default order: relevance for text, distance
// near a point, soonest otherwise.
func (s *Search) EffectiveSort() Sort {
	if s.Sort != "" {
		return s.Sort
	}
	switch {
	case strings.TrimSpace(s.Text) != "":
		return SortRelevance
	case s.Near != nil:
		return SortDistance
	default:
		return SortSoonest
	}
}

// Hit is one group in directory results.
type Hit struct {
	Group       *Group
	Score       int
	DistanceKm  *float64 // nil when no point was given, or the group has none
	NextMeeting time.Time
}

// Results is one page of directory results.
type Results struct {
	Hits    []Hit
	Total   int
	Page    int
	PerPage int
	Near    *Point
	Place   string // the resolved place's label
	Search  Search
}

// Pages returns the number of pages.
func (r *Results) Pages() int {
	if r.PerPage <= 0 {
		return 0
	}
	return (r.Total + r.PerPage - 1) / r.PerPage
}

var dayNames = map[string]time.Weekday{
	"sun": time.Sunday, "mon": time.Monday, "tue": time.Tuesday, "wed": time.Wednesday,
	"thu": time.Thursday, "fri": time.Friday, "sat": time.Saturday,
}

// DayCodes lists the day codes the search takes, Monday first.
var DayCodes = []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}

// DayCode returns the three-letter code for a weekday.
func DayCode(d time.Weekday) string { return strings.ToLower(d.String()[:3]) }

// ParseSearch reads a directory query from URL parameters, the same for the
// pages and the API. Unknown filter values and out-of-range numbers give an
// Invalid error naming each problem; nothing is guessed.
func ParseSearch(v url.Values) (Search, error) {
	s := Search{From: -1, To: -1, Page: 1, PerPage: DefaultPerPage}
	var p Problems

	s.Text = strings.TrimSpace(v.Get("q"))
	if !utf8.ValidString(s.Text) {
		p.Add("q", "invalid_text", "The search text contains characters that are not valid text.", nil)
		s.Text = ""
	} else if utf8.RuneCountInString(s.Text) > MaxQueryLen {
		p.Add("q", "too_long", fmt.Sprintf("Search for at most %d characters.", MaxQueryLen), map[string]any{"Max": MaxQueryLen})
	}

	list := func(name string) []string {
		var out []string
		for _, raw := range v[name] {
			for _, part := range strings.Split(raw, ",") {
				if part = strings.TrimSpace(part); part != "" && !slices.Contains(out, part) {
					out = append(out, part)
				}
			}
		}
		if len(out) > 40 {
			p.Add(name, "too_many", "Too many values.", nil)
			out = out[:40]
		}
		return out
	}
	known := func(name string, values, allowed []string) {
		for _, x := range values {
			if !slices.Contains(allowed, x) {
				p.Add(name, "unknown", fmt.Sprintf("%q is not a %s filter Hearth knows; use one of: %s.", Clip(x), name, strings.Join(allowed, ", ")), map[string]any{"Value": Clip(x)})
			}
		}
	}

	topics := list("topic")
	for _, t := range topics {
		if _, ok := LookupTopic(t); !ok {
			p.Add("topic", "unknown", fmt.Sprintf("%q is not a topic Hearth knows.", Clip(t)), map[string]any{"Value": Clip(t)})
		}
	}
	if len(topics) > 0 {
		s.Topics = ExpandTopics(topics)
	}
	formats := list("format")
	known("format", formats, Strings(Formats))
	s.Formats = as[Format](formats)
	lead := list("leadership")
	known("leadership", lead, Strings(Leaderships))
	s.Leadership = as[Leadership](lead)
	if pol := v.Get("policy"); pol != "" && pol != "any" {
		known("policy", []string{pol}, Strings(Policies))
		s.Policy = Policy(pol)
	}
	s.AcceptingNow = truthy(v.Get("accepting"))
	s.Languages = list("language")
	known("language", s.Languages, Languages)
	if a := v.Get("age"); a != "" && a != "all" {
		known("age", []string{a}, AgeBands)
		s.AgeBand = a
	}
	if g := v.Get("gender"); g != "" && g != "any" {
		known("gender", []string{g}, Genders)
		s.Gender = g
	}
	s.Communities = list("community")
	known("community", s.Communities, Communities)
	s.Accessibility = list("access")
	known("access", s.Accessibility, AccessibilityFeatures)
	costs := list("cost")
	known("cost", costs, Strings(CostKinds))
	s.Costs = as[CostKind](costs)
	for _, d := range list("day") {
		wd, ok := dayNames[strings.ToLower(d)]
		if !ok {
			p.Add("day", "unknown", fmt.Sprintf("%q is not a day; use mon, tue, wed, thu, fri, sat or sun.", Clip(d)), map[string]any{"Value": Clip(d)})
			continue
		}
		if !slices.Contains(s.Days, wd) {
			s.Days = append(s.Days, wd)
		}
	}
	slices.Sort(s.Days)
	s.From = clock(&p, "from", v.Get("from"))
	s.To = clock(&p, "to", v.Get("to"))
	if z := strings.TrimSpace(v.Get("tz")); z != "" {
		if _, err := time.LoadLocation(z); err != nil || z == "Local" || len(z) > 64 {
			p.Add("tz", "unknown", fmt.Sprintf("%q is not a time zone; use a name like America/Chicago.", Clip(z)), map[string]any{"Value": Clip(z)})
		} else {
			s.ViewerZone = z
		}
	}

	if near := strings.TrimSpace(v.Get("near")); near != "" {
		pt, err := ParsePoint(near)
		if err != nil {
			p.Add("near", "point", err.Error(), nil)
		} else {
			s.Near = &pt
		}
	}
	s.Place = strings.TrimSpace(v.Get("place"))
	if utf8.RuneCountInString(s.Place) > 120 || !utf8.ValidString(s.Place) {
		p.Add("place", "too_long", "Type a city or postal code of at most 120 characters.", nil)
		s.Place = ""
	}
	s.Miles = v.Get("unit") == "mi"
	if u := v.Get("unit"); u != "" && u != "mi" && u != "km" {
		p.Add("unit", "unknown", "Use km or mi.", nil)
	}
	radius := ""
	for _, name := range []string{"radius_km", "radius_mi", "radius"} {
		if r := strings.TrimSpace(v.Get(name)); r != "" {
			radius = r
			if name == "radius_mi" {
				s.Miles = true
			}
			break
		}
	}
	if radius != "" {
		r, err := strconv.ParseFloat(radius, 64)
		if s.Miles {
			r *= KmPerMile
		}
		if err != nil || math.IsNaN(r) || r <= 0 || r > MaxRadiusKm {
			p.Add("radius", "out_of_range", fmt.Sprintf("The distance must be a number between 1 and %d km (%d miles).", int(MaxRadiusKm), int(math.Round(MaxRadiusKm/KmPerMile))), nil)
		} else {
			s.RadiusKm = r
		}
	}
	if s.RadiusKm == 0 {
		s.RadiusKm = DefaultRadiusKm
	}
	switch strings.ToLower(v.Get("remote")) {
	case "", "include", "1", "true", "yes", "on":
	case "exclude", "0", "false", "no", "off":
		s.ExcludeRemote = true
	default:
		p.Add("remote", "unknown", "Use remote=include or remote=exclude.", nil)
	}
	if so := v.Get("sort"); so != "" {
		known("sort", []string{so}, Strings(Sorts))
		s.Sort = Sort(so)
	}
	s.Page = intParam(&p, v, "page", 1, 1, MaxPage)
	s.PerPage = intParam(&p, v, "per_page", DefaultPerPage, 1, MaxPerPage)
	if err := p.Err(); err != nil {
		return s, err
	}
	if s.Sort == SortDistance && s.Near == nil && s.Place == "" {
		return s, (&Problems{{Field: "sort", Code: "needs_place", Message: "To sort by distance, say where you are: a city, a postal code or near=lat,lon."}}).Err()
	}
	return s, nil
}

// Clip shortens a value a person sent, to echo it back in an error
// message: at most 40 bytes of valid text.
func Clip(s string) string {
	if len(s) > 40 {
		s = s[:40]
	}
	return strings.ToValidUTF8(s, "")
}

func truthy(s string) bool {
	switch strings.ToLower(s) {
	case "1", "true", "yes", "on":
		return true
	}
	return false
}

func as[T ~string](in []string) []T {
	out := make([]T, len(in))
	for i, v := range in {
		out[i] = T(v)
	}
	return out
}

func clock(p *Problems, field, v string) int {
	v = strings.TrimSpace(v)
	if v == "" {
		return -1
	}
	if v == "24:00" { // the end of a day, for "until midnight"
		return 1440
	}
	m, ok := ParseClock(v)
	if !ok {
		p.Add(field, "clock", "Use a time like 18:30.", nil)
		return -1
	}
	return m
}

// ParseClock reads a time of day, "18:30" or "9:05" (and "18:30:00" as
// browsers send from time inputs), as minutes after midnight.
func ParseClock(v string) (int, bool) {
	v = strings.TrimSpace(v)
	h, rest, ok := strings.Cut(v, ":")
	if !ok || len(h) < 1 || len(h) > 2 {
		return 0, false
	}
	m, sec, hasSec := strings.Cut(rest, ":")
	if len(m) != 2 || (hasSec && sec != "00") {
		return 0, false
	}
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if err1 != nil || err2 != nil || hh < 0 || hh > 23 || mm < 0 || mm > 59 || h[0] == '+' || h[0] == '-' || m[0] == '+' || m[0] == '-' {
		return 0, false
	}
	return hh*60 + mm, true
}

func intParam(p *Problems, v url.Values, name string, def, min, max int) int {
	raw := strings.TrimSpace(v.Get(name))
	if raw == "" {
		return def
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < min || n > max {
		p.Add(name, "out_of_range", fmt.Sprintf("%s must be a whole number from %d to %d.", name, min, max), map[string]any{"Min": min, "Max": max})
		return def
	}
	return n
}

// ParsePoint reads "lat,lon" in degrees.
func ParsePoint(s string) (Point, error) {
	a, b, ok := strings.Cut(s, ",")
	if !ok {
		return Point{}, fmt.Errorf("give the position as latitude,longitude, like 30.27,-97.74")
	}
	lat, err1 := strconv.ParseFloat(strings.TrimSpace(a), 64)
	lon, err2 := strconv.ParseFloat(strings.TrimSpace(b), 64)
	if err1 != nil || err2 != nil {
		return Point{}, fmt.Errorf("give the position as latitude,longitude, like 30.27,-97.74")
	}
	if math.IsNaN(lat) || lat < -90 || lat > 90 || math.IsNaN(lon) || lon < -180 || lon > 180 {
		return Point{}, fmt.Errorf("latitude must be between -90 and 90 and longitude between -180 and 180")
	}
	return Point{Lat: lat, Lon: lon}, nil
}

// EarthRadiusKm is the mean radius of the Earth.
const EarthRadiusKm = 6371.0088

// DistanceKm is the great-circle distance between two points.
func DistanceKm(a, b Point) float64 {
	const rad = math.Pi / 180
	dLat := (b.Lat - a.Lat) * rad
	dLon := (b.Lon - a.Lon) * rad
	h := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(a.Lat*rad)*math.Cos(b.Lat*rad)*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * EarthRadiusKm * math.Asin(math.Min(1, math.Sqrt(h)))
}

// UnitVector returns the point as a unit vector (x, y, z), used to test
// distance in SQL with plain arithmetic that both engines compute alike.
func (p Point) UnitVector() (x, y, z float64) {
	const rad = math.Pi / 180
	lat, lon := p.Lat*rad, p.Lon*rad
	return math.Cos(lat) * math.Cos(lon), math.Cos(lat) * math.Sin(lon), math.Sin(lat)
}
