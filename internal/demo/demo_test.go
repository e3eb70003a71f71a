package demo

import (
	"net/mail"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/schedule"
)

// testNow is a fixed moment; the tests that care about other dates say so.
var testNow = time.Date(2026, time.March, 18, 15, 4, 5, 0, time.UTC)

// allGroups flattens the directory, normalized as the loader will store it.
func allGroups(t *testing.T, d []Organization) []hearth.Group {
	t.Helper()
	var out []hearth.Group
	for _, o := range d {
		for _, g := range o.Groups {
			g.Normalize()
			out = append(out, g.Group)
		}
	}
	return out
}

func count(gs []hearth.Group, keep func(g hearth.Group) bool) int {
	n := 0
	for _, g := range gs {
		if keep(g) {
			n++
		}
	}
	return n
}

func isGrief(g hearth.Group) bool {
	for _, t := range g.Topics {
		if t == "grief" || slices.Contains(hearth.TopicChildren("grief"), t) {
			return true
		}
	}
	return false
}

// sentences counts sentences ending in . ! or ? followed by a space or the end.
func sentences(s string) int {
	n := 0
	r := []rune(strings.TrimSpace(s))
	for i, c := range r {
		if strings.ContainsRune(".!?", c) && (i == len(r)-1 || r[i+1] == ' ' || r[i+1] == '\n') {
			n++
		}
	}
	return n
}

var (
	usPhone = regexp.MustCompile(`^\+1 \d{3}-555-01\d\d$`) // NANP fictional range
	ukPhone = regexp.MustCompile(`^\+44 20 7946 0\d\d\d$`) // Ofcom drama range
	email   = regexp.MustCompile(`@[a-z0-9.-]+\.example\.(org|com)$`)
)

func fictionalContact(c string) bool {
	if usPhone.MatchString(c) || ukPhone.MatchString(c) {
		return true
	}
	a, err := mail.ParseAddress(c)
	return err == nil && a.Address == c && email.MatchString(c)
}

func TestDirectory(t *testing.T) {
	d := Directory(testNow)
	groups := allGroups(t, d)

	t.Run("there are at least four organizations, each valid, with distinct slugs and fictional contacts", func(t *testing.T) {
		if len(d) < 4 {
			t.Fatalf("%d organizations, want at least 4", len(d))
		}
		seen := map[string]bool{}
		for _, o := range d {
			org := o.Org
			org.Normalize()
			if err := org.Validate(); err != nil {
				t.Errorf("organization %q: %v", org.Slug, err)
			}
			if seen[org.Slug] {
				t.Errorf("organization slug %q is used twice", org.Slug)
			}
			seen[org.Slug] = true
			if !fictionalContact(org.Contact) {
				t.Errorf("organization %q contact %q is not an example.org/com address or a fictional number", org.Slug, org.Contact)
			}
			if !strings.HasPrefix(org.Website, "https://") || !strings.HasSuffix(org.Website, ".example.org") && !strings.HasSuffix(org.Website, ".example.com") {
				t.Errorf("organization %q website %q is not under example.org or example.com", org.Slug, org.Website)
			}
			if sentences(org.Description) < 2 {
				t.Errorf("organization %q description is too thin: %q", org.Slug, org.Description)
			}
			if len(o.Groups) < 5 {
				t.Errorf("organization %q runs only %d groups", org.Slug, len(o.Groups))
			}
			for _, g := range o.Groups {
				if g.OrgID != 0 {
					t.Errorf("group %q has OrgID %d; the loader sets it", g.Slug, g.OrgID)
				}
			}
		}
	})

	t.Run("there are at least ninety groups and every one passes validation", func(t *testing.T) {
		if len(groups) < 90 {
			t.Fatalf("%d groups, want at least 90", len(groups))
		}
		for _, g := range groups {
			if err := g.Validate(); err != nil {
				t.Errorf("group %q: %v", g.Slug, err)
			}
		}
	})

	t.Run("every group slug is valid and unique", func(t *testing.T) {
		seen := map[string]bool{}
		for _, g := range groups {
			if !hearth.ValidSlug(g.Slug) {
				t.Errorf("slug %q is not valid", g.Slug)
			}
			if seen[g.Slug] {
				t.Errorf("slug %q is used twice", g.Slug)
			}
			seen[g.Slug] = true
		}
	})

	t.Run("every topic of the taxonomy is used by at least one group", func(t *testing.T) {
		used := map[string]int{}
		for _, g := range groups {
			for _, s := range g.Topics {
				used[s]++
			}
		}
		for _, tp := range hearth.Topics() {
			if used[tp.Slug] == 0 {
				t.Errorf("no group has topic %q", tp.Slug)
			}
		}
	})

	t.Run("every format, leadership, policy, visibility and cost kind appears", func(t *testing.T) {
		for _, f := range hearth.Formats {
			if count(groups, func(g hearth.Group) bool { return g.Format == f }) < 2 {
				t.Errorf("fewer than two %s groups", f)
			}
		}
		for _, l := range hearth.Leaderships {
			if count(groups, func(g hearth.Group) bool { return g.Leadership == l }) < 10 {
				t.Errorf("fewer than ten %s groups", l)
			}
		}
		for _, p := range hearth.Policies {
			if count(groups, func(g hearth.Group) bool { return g.Policy == p }) < 5 {
				t.Errorf("fewer than five %s groups", p)
			}
		}
		for _, v := range hearth.Visibilities {
			if count(groups, func(g hearth.Group) bool { return g.Visibility == v }) == 0 {
				t.Errorf("no %s group", v)
			}
		}
		for _, c := range hearth.CostKinds {
			if count(groups, func(g hearth.Group) bool { return g.Cost.Kind == c }) == 0 {
				t.Errorf("no %s group", c)
			}
		}
	})

	t.Run("most groups are listed, a couple unlisted and exactly one private", func(t *testing.T) {
		listed := count(groups, func(g hearth.Group) bool { return g.Visibility == hearth.Listed })
		unlisted := count(groups, func(g hearth.Group) bool { return g.Visibility == hearth.Unlisted })
		private := count(groups, func(g hearth.Group) bool { return g.Visibility == hearth.Private })
		if listed*10 < len(groups)*9 || unlisted < 2 || private != 1 {
			t.Errorf("%d listed, %d unlisted, %d private of %d; want ≥90%% listed, ≥2 unlisted, 1 private", listed, unlisted, private, len(groups))
		}
	})

	t.Run("closed groups have a full enrollment, some accepting now, some closed and some upcoming", func(t *testing.T) {
		var now, closed, soon int
		for _, g := range groups {
			if g.Policy == hearth.Open {
				if g.Enrollment != nil {
					t.Errorf("open group %q has an enrollment", g.Slug)
				}
				continue
			}
			e := g.Enrollment
			if e == nil {
				t.Errorf("closed group %q has no enrollment", g.Slug)
				continue
			}
			if e.Cap < 2 || e.Sessions < 1 || e.Opens.IsZero() || e.Closes.IsZero() || e.Starts.IsZero() {
				t.Errorf("closed group %q has an incomplete enrollment %+v", g.Slug, *e)
			}
			if !e.Closes.After(e.Opens) || e.Starts.Before(e.Closes) {
				t.Errorf("closed group %q: opens %v, closes %v, starts %v are out of order", g.Slug, e.Opens, e.Closes, e.Starts)
			}
			loc, _ := time.LoadLocation(g.Location.TimeZone)
			if st := e.Starts.In(loc); st.Weekday() != g.Schedule.Weekday || st.Hour()*60+st.Minute() != g.Schedule.Start {
				t.Errorf("closed group %q starts %v, not at its weekly meeting time", g.Slug, st)
			}
			switch {
			case !testNow.Before(e.Opens) && testNow.Before(e.Closes):
				now++
				if !g.AcceptingAt(testNow) {
					t.Errorf("closed group %q is inside its window but not accepting", g.Slug)
				}
			case !testNow.Before(e.Closes):
				closed++
				if e.Starts.After(testNow) {
					t.Errorf("closed group %q closed its window but its cohort starts only on %v", g.Slug, e.Starts)
				}
			default:
				soon++
			}
		}
		if now < 3 || closed < 2 || soon < 2 {
			t.Errorf("%d accepting now, %d with the window closed, %d upcoming; want ≥3, ≥2, ≥2", now, closed, soon)
		}
	})

	t.Run("there are English, Spanish and bilingual groups, and the Spanish ones are written in Spanish", func(t *testing.T) {
		var en, es, both int
		spanishWords := regexp.MustCompile(`\b(de|para|que|con|las|los|una)\b`)
		englishWords := regexp.MustCompile(`\b(the|and|with|you|for|who)\b`)
		for _, g := range groups {
			langs := strings.Join(g.Audience.Languages, ",")
			texts := map[string]string{"name": g.Name, "description": g.Description, "what to expect": g.WhatToExpect, "guidelines": g.Guidelines, "credentials": g.FacilitatorCredentials}
			switch langs {
			case "en":
				en++
			case "es":
				es++
				for field, s := range texts {
					if field != "name" && field != "credentials" && !spanishWords.MatchString(s) {
						t.Errorf("Spanish group %q: the %s does not read as Spanish: %q", g.Slug, field, s)
					}
					if englishWords.MatchString(strings.ToLower(s)) {
						t.Errorf("Spanish group %q: the %s contains English: %q", g.Slug, field, s)
					}
				}
			case "en,es":
				both++
				for _, field := range []string{"description", "what to expect", "guidelines"} {
					s := texts[field]
					if !spanishWords.MatchString(s) || !englishWords.MatchString(s) {
						t.Errorf("bilingual group %q: the %s is not in both languages: %q", g.Slug, field, s)
					}
				}
			default:
				t.Errorf("group %q meets in %q", g.Slug, langs)
			}
		}
		if es < 15 || both < 3 || en < 50 {
			t.Errorf("%d English, %d Spanish, %d bilingual groups; want ≥50, ≥15, ≥3", en, es, both)
		}
	})

	t.Run("a few groups are for particular ages, genders and communities", func(t *testing.T) {
		for _, band := range []string{"teens", "young_adults", "older_adults"} {
			if count(groups, func(g hearth.Group) bool { return g.Audience.AgeBand == band }) == 0 {
				t.Errorf("no group for %s", band)
			}
		}
		for _, gender := range []string{"women", "men"} {
			if count(groups, func(g hearth.Group) bool { return g.Audience.Gender == gender }) == 0 {
				t.Errorf("no group for %s", gender)
			}
		}
		for _, c := range []string{"veterans", "lgbtq", "latinx", "parents", "healthcare_workers"} {
			if count(groups, func(g hearth.Group) bool { return slices.Contains(g.Audience.Communities, c) }) == 0 {
				t.Errorf("no group for the %s community", c)
			}
		}
		general := count(groups, func(g hearth.Group) bool {
			return g.Audience.AgeBand == "all" && g.Audience.Gender == "any"
		})
		if general*2 < len(groups) {
			t.Errorf("only %d of %d groups are for all ages and genders", general, len(groups))
		}
	})

	t.Run("venues offer accessibility features, and some online groups offer captions", func(t *testing.T) {
		offered := map[string]bool{}
		for _, g := range groups {
			for _, a := range g.Accessibility {
				offered[a] = true
			}
			if g.Format.HasPlace() && len(g.Accessibility) == 0 {
				t.Errorf("in-person group %q lists no accessibility features", g.Slug)
			}
		}
		for _, a := range []string{"wheelchair", "hearing_loop", "sign_language", "captioning", "childcare", "parking", "transit"} {
			if !offered[a] {
				t.Errorf("no group offers %s", a)
			}
		}
		if count(groups, func(g hearth.Group) bool {
			return g.Format == hearth.Online && slices.Contains(g.Accessibility, "captioning")
		}) < 3 {
			t.Error("fewer than three online groups offer captioning")
		}
	})

	t.Run("most groups are free, some take donations and a few charge a fee with a note", func(t *testing.T) {
		free := count(groups, func(g hearth.Group) bool { return g.Cost.Kind == hearth.Free })
		donation := count(groups, func(g hearth.Group) bool { return g.Cost.Kind == hearth.Donation })
		fee := count(groups, func(g hearth.Group) bool { return g.Cost.Kind == hearth.Fee })
		if free*10 < len(groups)*7 || donation < 3 || fee < 2 || fee > 6 {
			t.Errorf("%d free, %d donation, %d fee of %d", free, donation, fee, len(groups))
		}
		for _, g := range groups {
			if g.Cost.Kind == hearth.Fee && g.Cost.Note == "" {
				t.Errorf("group %q charges a fee without saying what it is", g.Slug)
			}
		}
	})

	// centres are the real city centres the venues must be near.
	centres := map[string]hearth.Point{
		"Austin":           {Lat: 30.2672, Lon: -97.7431},
		"Houston":          {Lat: 29.7604, Lon: -95.3698},
		"San Antonio":      {Lat: 29.4241, Lon: -98.4936},
		"New York":         {Lat: 40.7128, Lon: -74.0060},
		"Los Angeles":      {Lat: 34.0522, Lon: -118.2437},
		"Chicago":          {Lat: 41.8781, Lon: -87.6298},
		"Toronto":          {Lat: 43.6532, Lon: -79.3832},
		"Ciudad de México": {Lat: 19.4326, Lon: -99.1332},
		"Guadalajara":      {Lat: 20.6597, Lon: -103.3496},
		"Madrid":           {Lat: 40.4168, Lon: -3.7038},
		"Sevilla":          {Lat: 37.3891, Lon: -5.9845},
		"London":           {Lat: 51.5074, Lon: -0.1278},
	}
	zoneOf := map[string]string{
		"Austin": "America/Chicago", "Houston": "America/Chicago", "San Antonio": "America/Chicago", "Chicago": "America/Chicago",
		"New York": "America/New_York", "Los Angeles": "America/Los_Angeles", "Toronto": "America/Toronto",
		"Ciudad de México": "America/Mexico_City", "Guadalajara": "America/Mexico_City",
		"Madrid": "Europe/Madrid", "Sevilla": "Europe/Madrid", "London": "Europe/London",
	}

	t.Run("groups meet in at least eight cities across at least five time zones", func(t *testing.T) {
		cities, zones := map[string]bool{}, map[string]bool{}
		for _, g := range groups {
			if g.Format.HasPlace() {
				cities[g.Location.City] = true
			}
			zones[g.Location.TimeZone] = true
		}
		for c := range centres {
			if !cities[c] {
				t.Errorf("no in-person group in %s", c)
			}
		}
		if len(cities) < 8 || len(zones) < 5 {
			t.Errorf("%d cities and %d zones, want ≥8 and ≥5", len(cities), len(zones))
		}
		for _, z := range []string{"America/Chicago", "America/New_York", "America/Los_Angeles", "America/Toronto", "America/Mexico_City", "Europe/Madrid", "Europe/London"} {
			if !zones[z] {
				t.Errorf("no group in %s", z)
			}
		}
	})

	t.Run("venues have a full address and a precise point within 8 km of their city centre", func(t *testing.T) {
		points := map[string]map[hearth.Point]bool{}
		for _, g := range groups {
			if !g.Format.HasPlace() {
				continue
			}
			l := g.Location
			c, ok := centres[l.City]
			if !ok {
				t.Errorf("group %q meets in unexpected city %q", g.Slug, l.City)
				continue
			}
			if l.Address == "" || l.PostalCode == "" || l.Region == "" || len(l.Country) != 2 {
				t.Errorf("group %q venue is incomplete: %+v", g.Slug, l)
			}
			if !l.HasPoint || l.Approximate {
				t.Errorf("group %q venue point: has %v, approximate %v", g.Slug, l.HasPoint, l.Approximate)
			}
			if l.TimeZone != zoneOf[l.City] {
				t.Errorf("group %q in %s has zone %s", g.Slug, l.City, l.TimeZone)
			}
			p := hearth.Point{Lat: l.Lat, Lon: l.Lon}
			if km := hearth.DistanceKm(p, c); km > 8 || km < 0.1 {
				t.Errorf("group %q venue is %.1f km from the centre of %s, want 0.1–8 km", g.Slug, km, l.City)
			}
			if points[l.City] == nil {
				points[l.City] = map[hearth.Point]bool{}
			}
			points[l.City][p] = true
		}
		for city, ps := range points {
			if len(ps) < 2 && city != "" {
				t.Logf("%s has a single venue", city)
			}
		}
		if len(points["Austin"]) < 3 {
			t.Errorf("Austin venues sit on %d points, want several", len(points["Austin"]))
		}
	})

	t.Run("online and phone groups have a time zone, no address and mostly an approximate point", func(t *testing.T) {
		var approximate, none int
		for _, g := range groups {
			if !g.Format.Remote() {
				continue
			}
			l := g.Location
			if l.Address != "" || l.PostalCode != "" {
				t.Errorf("remote group %q has an address: %+v", g.Slug, l)
			}
			if l.TimeZone == "" || l.Country == "" {
				t.Errorf("remote group %q lacks a zone or country: %+v", g.Slug, l)
			}
			switch {
			case l.HasPoint && l.Approximate:
				approximate++
				c, ok := centres[l.City]
				if !ok || hearth.DistanceKm(hearth.Point{Lat: l.Lat, Lon: l.Lon}, c) > 0.01 || l.TimeZone != zoneOf[l.City] {
					t.Errorf("remote group %q is not placed at the centre of %q in its zone: %+v", g.Slug, l.City, l)
				}
			case !l.HasPoint:
				none++
			default:
				t.Errorf("remote group %q has a precise point", g.Slug)
			}
		}
		if none < 2 || approximate < 10 {
			t.Errorf("%d remote groups with an approximate point and %d with none; want ≥10 and ≥2", approximate, none)
		}
	})

	t.Run("Austin has at least six groups, two of them in-person grief groups", func(t *testing.T) {
		austin := count(groups, func(g hearth.Group) bool { return g.Format.HasPlace() && g.Location.City == "Austin" })
		grief := count(groups, func(g hearth.Group) bool {
			return g.Format == hearth.InPerson && g.Location.City == "Austin" && isGrief(g) && g.Visibility == hearth.Listed
		})
		if austin < 6 || grief < 2 {
			t.Errorf("%d groups meet in Austin, %d of them in-person grief groups; want ≥6 and ≥2", austin, grief)
		}
	})

	t.Run("at least six online groups are about grief, three of them open and listed", func(t *testing.T) {
		online := count(groups, func(g hearth.Group) bool { return g.Format == hearth.Online && isGrief(g) })
		joinable := count(groups, func(g hearth.Group) bool {
			return g.Format == hearth.Online && isGrief(g) && g.Policy == hearth.Open && g.Visibility == hearth.Listed
		})
		if online < 6 || joinable < 3 {
			t.Errorf("%d online grief groups, %d open and listed; want ≥6 and ≥3", online, joinable)
		}
	})

	t.Run("every group tells a newcomer who it is for, what happens and the rules", func(t *testing.T) {
		for _, g := range groups {
			if n := utf8.RuneCountInString(g.Name); n < 10 || n > hearth.MaxNameLen {
				t.Errorf("group %q name %q has %d characters", g.Slug, g.Name, n)
			}
			if n := sentences(g.Description); n < 2 || n > 4 {
				t.Errorf("group %q description has %d sentences, want 2–4: %q", g.Slug, n, g.Description)
			}
			if n := sentences(g.WhatToExpect); n < 4 {
				t.Errorf("group %q what-to-expect has %d sentences: %q", g.Slug, n, g.WhatToExpect)
			}
			lines := strings.Split(g.Guidelines, "\n")
			if len(lines) < 5 || len(lines) > 7 {
				t.Errorf("group %q has %d guidelines, want 5–7", g.Slug, len(lines))
			}
			if g.GuidelinesVersion != 1 {
				t.Errorf("group %q guidelines version %d", g.Slug, g.GuidelinesVersion)
			}
			if g.FacilitatorCredentials == "" {
				t.Errorf("group %q says nothing about its facilitator", g.Slug)
			}
			if !fictionalContact(g.Contact) {
				t.Errorf("group %q contact %q is not an example.org/com address or a fictional number", g.Slug, g.Contact)
			}
			if g.Format == hearth.Phone && !usPhone.MatchString(g.Contact) && !ukPhone.MatchString(g.Contact) {
				t.Errorf("phone group %q gives no phone number: %q", g.Slug, g.Contact)
			}
			if d := g.Schedule.Duration; d < 60 || d > 120 {
				t.Errorf("group %q meets for %d minutes", g.Slug, d)
			}
			if g.Audience.AgeBand == "" || g.Audience.Gender == "" || g.Cost.Kind == "" {
				t.Errorf("group %q leaves its audience or cost unset", g.Slug)
			}
			all := g.Name + " " + g.Description + " " + g.WhatToExpect + " " + g.Guidelines + " " + g.VenueNotes
			for _, bad := range []string{"lorem", "Lorem", "ipsum", "TODO", "XXX", "%!", "{{", "  ", " ,", " ."} {
				if strings.Contains(all, bad) {
					t.Errorf("group %q text contains %q", g.Slug, bad)
				}
			}
		}
	})

	t.Run("the guidelines cover confidentiality, own experience, advice, passing and crisis", func(t *testing.T) {
		for _, g := range groups {
			gl := strings.ToLower(g.Guidelines)
			for _, want := range [][]string{
				{"stays here", "se queda aquí", "aquí se queda"},
				{"own", "propia"},
				{"advice", "consejos"},
				{"pass", "pasar", "paso"},
				{"crisis"},
			} {
				if !slices.ContainsFunc(want, func(w string) bool { return strings.Contains(gl, w) }) {
					t.Errorf("group %q guidelines lack %q: %q", g.Slug, want[0], g.Guidelines)
				}
			}
		}
	})

	t.Run("descriptions are all different and the composed texts vary", func(t *testing.T) {
		desc, expect, rules := map[string]bool{}, map[string]bool{}, map[string]bool{}
		for _, g := range groups {
			if desc[g.Description] {
				t.Errorf("group %q repeats another group's description", g.Slug)
			}
			desc[g.Description] = true
			expect[g.WhatToExpect] = true
			rules[g.Guidelines] = true
		}
		if len(expect)*10 < len(groups)*9 || len(rules) < 20 {
			t.Errorf("%d distinct what-to-expect texts and %d distinct guidelines for %d groups", len(expect), len(rules), len(groups))
		}
	})

	t.Run("schedules mix mornings, afternoons, evenings and weekends", func(t *testing.T) {
		morning := count(groups, func(g hearth.Group) bool { return g.Schedule.Start < 12*60 })
		afternoon := count(groups, func(g hearth.Group) bool { return g.Schedule.Start >= 12*60 && g.Schedule.Start < 17*60 })
		evening := count(groups, func(g hearth.Group) bool { return g.Schedule.Start >= 17*60 })
		weekend := count(groups, func(g hearth.Group) bool {
			return g.Schedule.Weekday == time.Saturday || g.Schedule.Weekday == time.Sunday
		})
		if morning < 10 || afternoon < 10 || evening < 40 || weekend < 15 {
			t.Errorf("%d morning, %d afternoon, %d evening, %d weekend groups", morning, afternoon, evening, weekend)
		}
		for wd := time.Sunday; wd <= time.Saturday; wd++ {
			if count(groups, func(g hearth.Group) bool { return g.Schedule.Weekday == wd }) == 0 {
				t.Errorf("no group meets on %s", wd)
			}
		}
	})
}

func TestDirectoryDependsOnlyOnNow(t *testing.T) {
	t.Run("two calls with the same now are deep-equal", func(t *testing.T) {
		a, b := Directory(testNow), Directory(testNow)
		if !reflect.DeepEqual(a, b) {
			t.Fatal("Directory(now) differs between calls")
		}
	})

	t.Run("changing one directory leaves the next one untouched", func(t *testing.T) {
		a := Directory(testNow)
		for i := range a {
			for j := range a[i].Groups {
				g := &a[i].Groups[j]
				g.Normalize()
				g.Topics[0] = "changed"
				g.Audience.Languages[0] = "changed"
				g.Accessibility = append(g.Accessibility[:0], "changed")
				if len(g.Audience.Communities) > 0 {
					g.Audience.Communities[0] = "changed"
				}
				if g.Enrollment != nil {
					g.Enrollment.Cap = -1
				}
				for k := range g.Intake {
					g.Intake[k].Prompt = "changed"
				}
				g.Meetings[0].RRule = "changed"
				for k := range g.Meetings[0].Exceptions {
					g.Meetings[0].Exceptions[k].Note = "changed"
				}
			}
		}
		if !reflect.DeepEqual(Directory(testNow), Directory(testNow)) {
			t.Fatal("changing a returned directory changed the next one")
		}
		for _, o := range Directory(testNow) {
			for _, g := range o.Groups {
				if slices.Contains(g.Topics, "changed") || slices.Contains(g.Accessibility, "changed") {
					t.Fatalf("group %q carries a change made to an earlier directory", g.Slug)
				}
			}
		}
	})

	t.Run("enrollment windows follow now, so the same groups are accepting a month later", func(t *testing.T) {
		later := testNow.AddDate(0, 1, 3)
		accepting := func(now time.Time) []string {
			var out []string
			for _, o := range Directory(now) {
				for _, g := range o.Groups {
					if g.Policy == hearth.Closed && g.AcceptingAt(now) {
						out = append(out, g.Slug)
					}
				}
			}
			return out
		}
		a, b := accepting(testNow), accepting(later)
		if len(a) < 3 || !slices.Equal(a, b) {
			t.Errorf("accepting at %v: %v; a month later: %v", testNow, a, b)
		}
	})

	t.Run("the directory is valid whatever the date, across daylight-saving changes and year ends", func(t *testing.T) {
		for _, now := range []time.Time{
			time.Date(2026, time.March, 8, 7, 30, 0, 0, time.UTC),    // US clocks go forward
			time.Date(2026, time.March, 29, 0, 30, 0, 0, time.UTC),   // European clocks go forward
			time.Date(2026, time.November, 1, 6, 30, 0, 0, time.UTC), // US clocks go back
			time.Date(2026, time.December, 31, 23, 59, 59, 0, time.UTC),
			time.Date(2027, time.February, 28, 12, 0, 0, 0, time.FixedZone("x", 9*3600)),
			time.Date(2030, time.July, 4, 3, 0, 0, 0, time.UTC),
		} {
			var accepting int
			for _, o := range Directory(now) {
				for _, g := range o.Groups {
					g.Normalize()
					if err := g.Validate(); err != nil {
						t.Errorf("at %v group %q: %v", now, g.Slug, err)
					}
					if g.Policy == hearth.Closed && g.AcceptingAt(now) {
						accepting++
					}
				}
			}
			if accepting < 3 {
				t.Errorf("at %v only %d closed groups accept applications", now, accepting)
			}
		}
	})
}

// kindOf names a meeting's recurrence the way the directory's schedules are
// told apart.
func kindOf(t *testing.T, m hearth.Meeting) string {
	t.Helper()
	r, err := schedule.ParseRule(m.RRule)
	if err != nil {
		t.Fatalf("meeting rule %q: %v", m.RRule, err)
	}
	switch {
	case r.Freq == schedule.FreqWeekly && r.Interval == 1:
		return "weekly"
	case r.Freq == schedule.FreqWeekly && r.Interval == 2:
		return "every other week"
	case r.Freq == schedule.FreqMonthly && len(r.ByDay) == 1 && r.ByDay[0].N == -1:
		return "last weekday of the month"
	case r.Freq == schedule.FreqMonthly && len(r.ByDay) == 1 && r.ByDay[0].N > 0:
		return "nth weekday of the month"
	case r.Freq == schedule.FreqMonthly && len(r.ByMonthDay) == 1:
		return "date of the month"
	}
	return "other: " + m.RRule
}

func ruleOf(t *testing.T, m hearth.Meeting) *schedule.Rule {
	t.Helper()
	r, err := schedule.ParseRule(m.RRule)
	if err != nil {
		t.Fatalf("meeting rule %q: %v", m.RRule, err)
	}
	return &r
}

func TestMeetings(t *testing.T) {
	var groups []Group
	for _, o := range Directory(testNow) {
		groups = append(groups, o.Groups...)
	}

	t.Run("every group has one valid, ongoing meeting in its zone that its simple schedule describes", func(t *testing.T) {
		for _, g := range groups {
			if len(g.Meetings) != 1 {
				t.Errorf("group %q has %d meetings, want 1", g.Slug, len(g.Meetings))
				continue
			}
			m := g.Meetings[0].Meeting
			m.Normalize()
			if err := m.Validate().Err(); err != nil {
				t.Errorf("group %q meeting: %v", g.Slug, err)
			}
			r := ruleOf(t, m)
			if err := schedule.ValidateSchedule(m.Start, r, true); err != nil {
				t.Errorf("group %q schedule %q from %v: %v", g.Slug, m.RRule, m.Start, err)
			}
			if r.Ends() {
				t.Errorf("group %q meeting %q ends; demo meetings are ongoing", g.Slug, m.RRule)
			}
			if m.Start.Location().String() != g.Location.TimeZone {
				t.Errorf("group %q meeting starts in %v, not in its zone %s", g.Slug, m.Start.Location(), g.Location.TimeZone)
			}
			s := g.Schedule
			if m.Start.Weekday() != s.Weekday || m.Start.Hour()*60+m.Start.Minute() != s.Start || m.Duration != s.Duration {
				t.Errorf("group %q schedule %+v does not describe its meeting at %v for %d minutes", g.Slug, s, m.Start, m.Duration)
			}
			if m.Start.After(testNow) || m.Start.Before(g.CreatedAt.AddDate(0, 0, -1)) {
				t.Errorf("group %q meeting first starts %v, not between its creation %v and now", g.Slug, m.Start, g.CreatedAt)
			}
			if m.GroupID != 0 || m.ID != 0 {
				t.Errorf("group %q meeting carries ids %d/%d; the loader sets them", g.Slug, m.ID, m.GroupID)
			}
			if m.Attend.Mode != g.Format {
				t.Errorf("group %q (%s) meeting is attended %s", g.Slug, g.Format, m.Attend.Mode)
			}
		}
	})

	t.Run("schedules meet every week, every other week, on the nth or last weekday and on a date of the month", func(t *testing.T) {
		kinds := map[string][]string{}
		for _, g := range groups {
			k := kindOf(t, g.Meetings[0].Meeting)
			kinds[k] = append(kinds[k], g.Slug)
		}
		for _, k := range []string{"weekly", "every other week", "nth weekday of the month", "last weekday of the month", "date of the month"} {
			if len(kinds[k]) == 0 {
				t.Errorf("no group meets %s", k)
			}
		}
		for k, slugs := range kinds {
			if strings.HasPrefix(k, "other") {
				t.Errorf("groups %v have an unexpected rule (%s)", slugs, k)
			}
		}
		if len(kinds["weekly"]) < len(groups)*3/4 {
			t.Errorf("only %d of %d groups meet weekly; most support groups do", len(kinds["weekly"]), len(groups))
		}
		var second bool
		for _, g := range groups {
			if r := ruleOf(t, g.Meetings[0].Meeting); r.Freq == schedule.FreqMonthly && len(r.ByDay) == 1 && r.ByDay[0] == (schedule.WeekdayNum{N: 2, Day: time.Tuesday}) {
				second = true
			}
		}
		if !second {
			t.Error("no group meets on the second Tuesday of the month")
		}
	})

	t.Run("online and hybrid meetings have an https link and phone meetings a fictional dial-in", func(t *testing.T) {
		var hybridWithVenue int
		for _, g := range groups {
			a := g.Meetings[0].Attend
			switch g.Format {
			case hearth.Online, hearth.Hybrid:
				if !strings.HasPrefix(a.ConferenceURL, "https://meet.") || !strings.Contains(a.ConferenceURL, ".example.") {
					t.Errorf("group %q link %q is not a fictional https address", g.Slug, a.ConferenceURL)
				}
				if g.Format == hearth.Hybrid && g.Location.Address != "" && a.VenueNotes != "" {
					hybridWithVenue++
				}
			case hearth.Phone:
				if !usPhone.MatchString(a.Phone) && !ukPhone.MatchString(a.Phone) {
					t.Errorf("group %q dial-in %q is not in a fictional range", g.Slug, a.Phone)
				}
				if a.AccessCode == "" {
					t.Errorf("group %q dial-in has no access code", g.Slug)
				}
			default:
				if a.ConferenceURL != "" || a.Phone != "" {
					t.Errorf("in-person group %q has a link or dial-in", g.Slug)
				}
			}
		}
		if hybridWithVenue < 3 {
			t.Errorf("%d hybrid groups with a venue, its notes and a link; want at least 3", hybridWithVenue)
		}
	})

	t.Run("a few open, listed weekly recovery meetings publish their link and the rest keep theirs protected", func(t *testing.T) {
		var published, protected int
		for _, g := range groups {
			if !g.PublishLink {
				if g.Format.Remote() || g.Format == hearth.Hybrid {
					protected++
				}
				continue
			}
			published++
			if g.Policy != hearth.Open || g.Visibility != hearth.Listed || !g.Format.Remote() {
				t.Errorf("group %q publishes its link but is %s, %s, %s", g.Slug, g.Policy, g.Visibility, g.Format)
			}
			if kindOf(t, g.Meetings[0].Meeting) != "weekly" {
				t.Errorf("group %q publishes its link but does not meet weekly, so the Meeting Guide feed cannot list it", g.Slug)
			}
			if !slices.ContainsFunc(g.Topics, func(t string) bool {
				return t == "addiction" || t == "alcohol" || t == "drugs" || t == "family-of-addicted"
			}) {
				t.Errorf("group %q publishes its link but is not a recovery meeting (%v)", g.Slug, g.Topics)
			}
		}
		if published < 3 || protected < 20 {
			t.Errorf("%d groups publish their link and %d keep it protected; want at least 3 and 20", published, protected)
		}
	})

	t.Run("exactly one occurrence is cancelled, ahead of now, with a note", func(t *testing.T) {
		var cancelled int
		for _, g := range groups {
			m := g.Meetings[0]
			for _, e := range m.Exceptions {
				cancelled++
				if !e.Cancelled || strings.TrimSpace(e.Note) == "" {
					t.Errorf("group %q exception %+v is not a cancellation with a note", g.Slug, e)
				}
				if !e.Original.After(testNow) || e.Original.After(testNow.AddDate(0, 0, 31)) {
					t.Errorf("group %q cancels %v, not within the month ahead of %v", g.Slug, e.Original, testNow)
				}
				if !schedule.Occurs(m.Start, ruleOf(t, m.Meeting), e.Original) {
					t.Errorf("group %q cancels %v, which is not one of its meetings", g.Slug, e.Original)
				}
				if err := e.Validate().Err(); err != nil {
					t.Errorf("group %q exception: %v", g.Slug, err)
				}
			}
		}
		if cancelled != 1 {
			t.Errorf("%d cancelled occurrences, want exactly 1", cancelled)
		}
	})

	t.Run("every closed group asks one to three intake questions in its language, the first required", func(t *testing.T) {
		spanish := regexp.MustCompile(`¿|\b(de|que|en|tu|has|te)\b`)
		for _, g := range groups {
			if g.Policy != hearth.Closed {
				if len(g.Intake) > 0 {
					t.Errorf("open group %q has intake questions", g.Slug)
				}
				continue
			}
			if n := len(g.Intake); n < 1 || n > 3 {
				t.Errorf("closed group %q asks %d questions, want 1 to 3", g.Slug, n)
				continue
			}
			qs := hearth.NormalizeIntake(g.Intake)
			if err := hearth.ValidateIntake(qs); err != nil || !reflect.DeepEqual(qs, g.Intake) {
				t.Errorf("closed group %q questions are not valid and numbered: %v %+v", g.Slug, err, g.Intake)
			}
			if !g.Intake[0].Required || slices.ContainsFunc(g.Intake[1:], func(q hearth.IntakeQuestion) bool { return q.Required }) {
				t.Errorf("closed group %q: only the first question should be required: %+v", g.Slug, g.Intake)
			}
			es := slices.Equal(g.Audience.Languages, []string{"es"})
			for _, q := range g.Intake {
				if !strings.HasSuffix(q.Prompt, "?") || es != spanish.MatchString(q.Prompt) {
					t.Errorf("closed group %q (%v) asks %q, not a question in its language", g.Slug, g.Audience.Languages, q.Prompt)
				}
			}
		}
	})

	t.Run("every cohort starts on one of its group's meetings", func(t *testing.T) {
		for _, g := range groups {
			if g.Enrollment == nil {
				continue
			}
			m := g.Meetings[0]
			if !schedule.Occurs(m.Start, ruleOf(t, m.Meeting), g.Enrollment.Starts.In(m.Start.Location())) {
				t.Errorf("closed group %q cohort starts %v, not on its schedule %q", g.Slug, g.Enrollment.Starts, m.RRule)
			}
		}
	})

	t.Run("a Madrid grief cohort of eight sessions meets every other Tuesday at 18:30, accepting now and starting within weeks", func(t *testing.T) {
		var found bool
		for _, g := range groups {
			m := g.Meetings[0].Meeting
			if g.Location.TimeZone != "Europe/Madrid" || !isGrief(g.Group) || g.Enrollment == nil || kindOf(t, m) != "every other week" {
				continue
			}
			e := g.Enrollment
			local := e.Starts.In(m.Start.Location())
			if local.Weekday() != time.Tuesday || local.Format("15:04") != "18:30" || e.Sessions != 8 {
				continue
			}
			found = true
			if !g.AcceptingAt(testNow) {
				t.Errorf("group %q is not accepting applications at %v", g.Slug, testNow)
			}
			if wait := e.Starts.Sub(testNow); wait < 7*24*time.Hour || wait > 42*24*time.Hour {
				t.Errorf("group %q cohort starts %v after now, not within a few weeks", g.Slug, wait)
			}
		}
		if !found {
			t.Error("no closed Madrid grief group meets every other Tuesday at 18:30 with an 8-session cohort")
		}
	})
}
