package hearth_test

import (
	"math"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/hearth-org/hearth"
)

func validGroup() *hearth.Group {
	g := &hearth.Group{
		Slug: "grief-circle", Name: "Grief Circle", Description: "A weekly circle.", Topics: []string{"grief"},
		Audience: hearth.Audience{Languages: []string{"en"}}, Format: hearth.InPerson, Leadership: hearth.PeerLed, Policy: hearth.Open,
		Location: hearth.Location{Address: "1 Main St", City: "Austin", Country: "US", Lat: 30.27, Lon: -97.74, HasPoint: true, TimeZone: "America/Chicago"},
		Schedule: hearth.Schedule{Weekday: time.Tuesday, Start: 19 * 60, Duration: 90},
	}
	g.Normalize()
	return g
}

func fields(err error) []string {
	e := hearth.AsError(err)
	if e == nil {
		return nil
	}
	var out []string
	for _, f := range e.Fields {
		out = append(out, f.Field)
	}
	return out
}

func TestGroupValidate(t *testing.T) {
	if err := validGroup().Validate(); err != nil {
		t.Fatalf("a valid group was refused: %v", err)
	}
	day := time.Date(2026, 1, 10, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		name   string
		change func(g *hearth.Group)
		field  string
	}{
		{"a closed group without a cap names the cap", func(g *hearth.Group) { g.Policy = hearth.Closed }, "enrollment_cap"},
		{"a closed group whose enrollment closes before it opens", func(g *hearth.Group) {
			g.Policy = hearth.Closed
			g.Enrollment = &hearth.Enrollment{Cap: 10, Opens: day, Closes: day.AddDate(0, 0, -1), Starts: day, Sessions: 8}
		}, "enrollment_window"},
		{"an in-person group needs an address", func(g *hearth.Group) { g.Location.Address = "" }, "address"},
		{"an in-person group cannot be approximate", func(g *hearth.Group) { g.Location.Approximate = true }, "approximate"},
		{"an unknown time zone", func(g *hearth.Group) { g.Location.TimeZone = "Mars/Olympus" }, "time_zone"},
		{"an unknown topic", func(g *hearth.Group) { g.Topics = []string{"astrology"} }, "topics"},
		{"no topic", func(g *hearth.Group) { g.Topics = nil }, "topics"},
		{"an unknown format", func(g *hearth.Group) { g.Format = "carrier_pigeon" }, "format"},
		{"a bad slug", func(g *hearth.Group) { g.Slug = "Grief Circle!" }, "slug"},
		{"a name too long", func(g *hearth.Group) { g.Name = strings.Repeat("a", 121) }, "name"},
		{"latitude out of range", func(g *hearth.Group) { g.Location.Lat = 91 }, "lat"},
		{"a start time past midnight", func(g *hearth.Group) { g.Schedule.Start = 1440 }, "start"},
		{"a five-minute meeting", func(g *hearth.Group) { g.Schedule.Duration = 5 }, "duration"},
		{"a fee without saying what it is", func(g *hearth.Group) { g.Cost.Kind = hearth.Fee }, "cost_note"},
		{"no language", func(g *hearth.Group) { g.Audience.Languages = nil }, "languages"},
		{"invalid UTF-8 in the description", func(g *hearth.Group) { g.Description = "ok \xff" }, "description"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g := validGroup()
			c.change(g)
			err := g.Validate()
			if hearth.ErrorKind(err) != hearth.Invalid {
				t.Fatalf("got %v, want invalid", err)
			}
			found := false
			for _, f := range fields(err) {
				found = found || f == c.field
			}
			if !found {
				t.Fatalf("fields %v do not name %q", fields(err), c.field)
			}
			for _, f := range hearth.AsError(err).Fields {
				if f.Message == "" || f.Code == "" {
					t.Fatalf("problem %+v has no message or code", f)
				}
			}
		})
	}
	t.Run("an online group needs no address and may be approximate", func(t *testing.T) {
		g := validGroup()
		g.Format, g.Location.Address, g.Location.Approximate = hearth.Online, "", true
		if err := g.Validate(); err != nil {
			t.Fatal(err)
		}
	})
}

func TestScheduleNextKeepsLocalTimeAcrossDaylightSaving(t *testing.T) {
	chicago, _ := time.LoadLocation("America/Chicago")
	s := hearth.Schedule{Weekday: time.Tuesday, Start: 19 * 60, Duration: 90}
	for _, now := range []time.Time{
		time.Date(2026, 3, 5, 12, 0, 0, 0, chicago),   // before spring forward (March 8)
		time.Date(2026, 3, 9, 12, 0, 0, 0, chicago),   // after
		time.Date(2026, 10, 30, 12, 0, 0, 0, chicago), // before fall back (November 1)
		time.Date(2026, 11, 2, 12, 0, 0, 0, chicago),  // after
		time.Date(2026, 11, 3, 19, 0, 0, 0, chicago),  // exactly at a start
		time.Date(2026, 11, 3, 19, 1, 0, 0, chicago),  // just after a start
	} {
		n := s.Next(now, chicago)
		if n.Weekday() != time.Tuesday || n.Hour() != 19 || n.Minute() != 0 || n.Before(now) || n.Sub(now) > 7*24*time.Hour {
			t.Errorf("from %s next is %s", now, n)
		}
	}
}

func TestParseSearch(t *testing.T) {
	ok := []struct {
		query string
		check func(s hearth.Search) bool
	}{
		{"q=grief&place=Austin", func(s hearth.Search) bool {
			return s.Text == "grief" && s.Place == "Austin" && s.RadiusKm == hearth.DefaultRadiusKm
		}},
		{"topic=grief", func(s hearth.Search) bool { return len(s.Topics) > 1 }},
		{"format=online,phone", func(s hearth.Search) bool { return len(s.Formats) == 2 }},
		{"radius=10&unit=mi", func(s hearth.Search) bool { return math.Abs(s.RadiusKm-16.09344) < 1e-9 && s.Miles }},
		{"day=TUE&day=thu&from=18:30&to=21:00", func(s hearth.Search) bool {
			return len(s.Days) == 2 && s.From == 18*60+30 && s.To == 21*60
		}},
		{"near=30.27,-97.74&sort=distance", func(s hearth.Search) bool { return s.Near != nil && s.EffectiveSort() == hearth.SortDistance }},
		{"remote=exclude", func(s hearth.Search) bool { return s.ExcludeRemote }},
		{"", func(s hearth.Search) bool {
			return s.Page == 1 && s.PerPage == hearth.DefaultPerPage && s.EffectiveSort() == hearth.SortSoonest
		}},
	}
	for _, c := range ok {
		t.Run("accepts "+c.query, func(t *testing.T) {
			v, _ := url.ParseQuery(c.query)
			s, err := hearth.ParseSearch(v)
			if err != nil || !c.check(s) {
				t.Fatalf("%+v %v", s, err)
			}
		})
	}
	bad := map[string]string{
		"format=carrier_pigeon":         "format",
		"topic=astrology":               "topic",
		"near=91,0":                     "near",
		"near=abc":                      "near",
		"radius_km=-5":                  "radius",
		"radius_km=5000":                "radius",
		"page=0":                        "page",
		"per_page=1000":                 "per_page",
		"from=25:00":                    "from",
		"day=someday":                   "day",
		"tz=Mars/Base":                  "tz",
		"sort=random":                   "sort",
		"sort=distance":                 "sort",
		"q=" + strings.Repeat("a", 201): "q",
		"remote=maybe":                  "remote",
		"language=klingon":              "language",
	}
	for q, field := range bad {
		t.Run("refuses "+q[:min(len(q), 30)]+" naming "+field, func(t *testing.T) {
			v, _ := url.ParseQuery(q)
			_, err := hearth.ParseSearch(v)
			found := false
			for _, f := range fields(err) {
				found = found || f == field
			}
			if hearth.ErrorKind(err) != hearth.Invalid || !found {
				t.Fatalf("got %v (fields %v)", err, fields(err))
			}
		})
	}
}

// FuzzParseSearch feeds arbitrary query strings to the directory parser: it
// must never panic, and whatever it accepts must be within the limits.
func FuzzParseSearch(f *testing.F) {
	for _, s := range []string{"q=grief&place=Austin", "near=1,2&radius_km=3", "day=mon,tue&from=9:00&to=17:00&tz=UTC",
		"topic=grief&topic=cancer&format=online&page=2&per_page=5", "q=%ff%fe", "near=NaN,NaN", "radius=1e309", "from=24:00", "from=-1:30"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		v, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		s, err := hearth.ParseSearch(v)
		if err != nil {
			if hearth.ErrorKind(err) != hearth.Invalid {
				t.Fatalf("error of kind %s: %v", hearth.ErrorKind(err), err)
			}
			return
		}
		if s.Page < 1 || s.Page > hearth.MaxPage || s.PerPage < 1 || s.PerPage > hearth.MaxPerPage ||
			s.RadiusKm <= 0 || s.RadiusKm > hearth.MaxRadiusKm || math.IsNaN(s.RadiusKm) {
			t.Fatalf("accepted out-of-range %+v", s)
		}
		if s.Near != nil && (s.Near.Lat < -90 || s.Near.Lat > 90 || s.Near.Lon < -180 || s.Near.Lon > 180) {
			t.Fatalf("accepted point %+v", s.Near)
		}
		if s.From > 1440 || s.To > 1440 {
			t.Fatalf("accepted time %d–%d", s.From, s.To)
		}
	})
}

func TestSlugifyAndDistance(t *testing.T) {
	if got := hearth.Slugify("Duelo y Pérdida — Ciudad de México"); got != "duelo-y-perdida-ciudad-de-mexico" {
		t.Errorf("Slugify = %q", got)
	}
	austin, dallas := hearth.Point{Lat: 30.2672, Lon: -97.7431}, hearth.Point{Lat: 32.7767, Lon: -96.7970}
	if d := hearth.DistanceKm(austin, dallas); d < 290 || d > 300 {
		t.Errorf("Austin–Dallas %.1f km", d)
	}
}

func TestParseClock(t *testing.T) {
	for in, want := range map[string]int{"18:30": 18*60 + 30, "9:05": 9*60 + 5, "00:00": 0, "23:59": 1439, "18:30:00": 18*60 + 30} {
		if got, ok := hearth.ParseClock(in); !ok || got != want {
			t.Errorf("ParseClock(%q) = %d, %v; want %d", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "24:00", "25:99", "18", "18:3", "18:30:15", "-1:30", "+1:30", "ab:cd", "18:5x"} {
		if _, ok := hearth.ParseClock(in); ok {
			t.Errorf("ParseClock(%q) accepted", in)
		}
	}
}
