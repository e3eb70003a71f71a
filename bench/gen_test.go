package bench

// The generator: a deterministic, realistic directory of N support groups.
//
// Every group is a pure function of (genSeed, its index, now), so the data
// does not depend on batch sizes or on the engine it is loaded into. Places
// are real (the bundled gazetteer), texts are the demo directory's
// (internal/demo), recombined; names are composed here from templates and
// the topic taxonomy, so that text search meets realistic term frequencies.

import (
	"fmt"
	"math"
	"math/rand/v2"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/demo"
	"github.com/hearth-org/hearth/internal/gazetteer"
)

// genVersion names the generator's output. Bump it whenever the generator
// changes what it produces; cached databases carry it in their name (along
// with a fingerprint of a sample of the data, which catches changes to the
// demo texts, the taxonomy, the gazetteer and internal/terms).
const genVersion = 1

// genSeed fixes the data.
const genSeed = 20261124

// benchNow is the clock of the generated directory and of every search: a
// Tuesday in November at 15:00 UTC (the app tests' fixedNow). Enrollment
// windows are placed around it; "soonest" and "accepting" are measured at it.
var benchNow = time.Date(2026, 11, 24, 15, 0, 0, 0, time.UTC)

// Language mix: 70% English, 25% Spanish, 5% both.
const (
	langEN   = "en"
	langES   = "es"
	langBoth = "both"
)

// city is one of the ~200 places groups are spread over.
type city struct {
	gazetteer.Place
	weight float64 // population
	es     bool    // in a Spanish-speaking country
	query  string  // how a person types it in the place box
}

// The countries of the demo directory: North America, Britain and Ireland,
// and Spain.
var (
	enCountries = []string{"US", "CA", "GB", "IE"}
	esCountries = []string{"MX", "ES"}
)

const numCities = 200

// pickCities returns the numCities most populous places of the demo's
// countries, at least 25 km apart (so New York is one city, not also
// Brooklyn and Queens), most populous first. The gazetteer has no "list
// every place" call; Suggest by every initial letter returns them all.
func pickCities(gaz *gazetteer.Gazetteer) []city {
	seen := map[string]bool{}
	var all []gazetteer.Place
	for c := 'a'; c <= 'z'; c++ {
		for _, p := range gaz.Suggest(string(c), 100000) {
			if !slices.Contains(enCountries, p.Country) && !slices.Contains(esCountries, p.Country) {
				continue
			}
			k := fmt.Sprintf("%s|%s|%.4f|%.4f", p.Name, p.Country, p.Lat, p.Lon)
			if seen[k] || p.Population <= 0 {
				continue
			}
			seen[k] = true
			all = append(all, p)
		}
	}
	sort.SliceStable(all, func(i, j int) bool {
		if all[i].Population != all[j].Population {
			return all[i].Population > all[j].Population
		}
		return all[i].Label() < all[j].Label()
	})
	var out []city
	for _, p := range all {
		if len(out) == numCities {
			break
		}
		near := false
		for _, c := range out {
			if hearth.DistanceKm(hearth.Point{Lat: p.Lat, Lon: p.Lon}, hearth.Point{Lat: c.Lat, Lon: c.Lon}) < 25 {
				near = true
				break
			}
		}
		if near {
			continue
		}
		q := p.Name
		if p.Country == "US" || p.Country == "CA" {
			q = p.Name + ", " + p.Region
		}
		// Keep only places a person can find again by typing their name.
		if got, ok := gaz.Lookup(q); !ok || math.Abs(got.Lat-p.Lat) > 0.01 || math.Abs(got.Lon-p.Lon) > 0.01 {
			continue
		}
		out = append(out, city{Place: p, weight: float64(p.Population), es: slices.Contains(esCountries, p.Country), query: q})
	}
	return out
}

// weighted picks an index with probability proportional to weights.
type weighted struct {
	cum []float64
}

func newWeighted(ws []float64) weighted {
	cum := make([]float64, len(ws))
	s := 0.0
	for i, w := range ws {
		s += w
		cum[i] = s
	}
	return weighted{cum: cum}
}

func (w weighted) pick(r *rand.Rand) int {
	x := r.Float64() * w.cum[len(w.cum)-1]
	return sort.SearchFloat64s(w.cum, x)
}

// topicWeights is how often a topic is a group's main topic, in percent:
// recovery meetings and mental health are the most common, grief a few
// percent (so "grief" matches about 7% of groups once related topics and
// the texts are counted).
var topicWeights = map[string]float64{
	"chronic-illness": 2, "cancer": 6, "diabetes": 3, "multiple-sclerosis": 1.5, "heart-disease": 1.5,
	"chronic-pain": 2.5, "hiv": 1.5, "dementia": 2, "parkinsons": 1,
	"mental-health": 3, "depression": 6, "anxiety": 6, "bipolar": 2.5, "ptsd": 3, "eating-disorders": 2,
	"postpartum": 1.5, "schizophrenia": 1,
	"addiction": 4, "alcohol": 10, "drugs": 5, "gambling": 1.5, "smoking": 1.5, "family-of-addicted": 3,
	"grief": 2, "loss-of-child": 0.6, "loss-of-partner": 0.6, "loss-to-suicide": 0.4, "loss-of-parent": 0.4, "pet-loss": 0.3,
	"caregivers": 2, "dementia-caregivers": 2, "parents-special-needs": 2,
	"lgbtq": 2, "coming-out": 1, "trans-nonbinary": 1.5, "lgbtq-families": 0.5,
	"personal-development": 1.5, "stress": 3, "social-skills": 2, "resilience": 1.5, "confidence": 2,
}

// family is a topic's top-level area.
func family(slug string) string {
	t, ok := hearth.LookupTopic(slug)
	if ok && t.Parent != "" {
		return t.Parent
	}
	return slug
}

// template is one demo group's texts, to be reused.
type template struct {
	topic, family string
	lang          string
	remote        bool
	leadership    hearth.Leadership
	desc          []string // sentences, with demo place names removed
	expect        string
	creds         string
	guidelines    string
	venueNotes    string
	access        []string
}

// demoPlaceWords are place names the demo's texts mention; sentences that
// name them are left out, so that a group in Leeds does not say "Austin".
var demoPlaceWords = regexp.MustCompile(`(?i)\b(austin|houston|san antonio|new york|brooklyn|queens|manhattan|bronx|los angeles|chicago|toronto|m[eé]xico|cdmx|guadalajara|madrid|sevilla|seville|triana|london|texas|california|ontario|jalisco|andaluc[ií]a|coyoac[aá]n|roma norte|hackney|camden|harlem)\b`)

var sentenceEnd = regexp.MustCompile(`([.!?])\s+`)

func sentences(s string) []string {
	s = sentenceEnd.ReplaceAllString(s, "$1\x00")
	var out []string
	for _, x := range strings.Split(s, "\x00") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

func scrub(s string) string {
	var keep []string
	for _, p := range strings.Split(s, "\n\n") {
		var ss []string
		for _, x := range sentences(p) {
			if !demoPlaceWords.MatchString(x) {
				ss = append(ss, x)
			}
		}
		if len(ss) > 0 {
			keep = append(keep, strings.Join(ss, " "))
		}
	}
	return strings.Join(keep, "\n\n")
}

func langOf(ls []string) string {
	switch {
	case slices.Contains(ls, "en") && slices.Contains(ls, "es"):
		return langBoth
	case slices.Contains(ls, "es"):
		return langES
	default:
		return langEN
	}
}

func demoTemplates() []template {
	var out []template
	for _, o := range demo.Directory(benchNow) {
		for _, g := range o.Groups {
			if len(g.Topics) == 0 {
				continue
			}
			t := template{
				topic: g.Topics[0], family: family(g.Topics[0]), lang: langOf(g.Audience.Languages),
				remote: g.Format.Remote(), leadership: g.Leadership,
				expect: scrub(g.WhatToExpect), creds: g.FacilitatorCredentials, guidelines: g.Guidelines,
				access: g.Accessibility,
			}
			if !demoPlaceWords.MatchString(g.VenueNotes) {
				t.venueNotes = g.VenueNotes
			}
			for _, p := range strings.Split(g.Description, "\n\n") {
				for _, x := range sentences(p) {
					if !demoPlaceWords.MatchString(x) {
						t.desc = append(t.desc, x)
					}
				}
			}
			if len(t.desc) == 0 {
				continue
			}
			out = append(out, t)
		}
	}
	return out
}

// orgSpec is an organization a group belongs to; the loader creates each
// once, the first time a group names it.
type orgSpec struct {
	key  string
	org  hearth.Organization
	name string
}

// genGroup is one generated group, not yet stored.
type genGroup struct {
	g   hearth.Group
	org *orgSpec
}

// generator makes the directory.
type generator struct {
	n           int
	cities      []city
	enPick      weighted // cities of English-speaking countries
	esPick      weighted // cities of Spanish-speaking countries
	usPick      weighted // US cities (Spanish-speaking and bilingual groups there)
	enIdx       []int
	esIdx       []int
	usIdx       []int
	topics      []string
	topicPick   weighted
	templates   []template
	orgs        map[string]*orgSpec
	orgSlugs    map[string]int
	credsByLang map[string][]string // professional credentials by language
}

func newGenerator(n int, gaz *gazetteer.Gazetteer) *generator {
	g := &generator{n: n, cities: pickCities(gaz), orgs: map[string]*orgSpec{}, orgSlugs: map[string]int{},
		credsByLang: map[string][]string{}}
	var enW, esW, usW []float64
	for i, c := range g.cities {
		if c.es {
			g.esIdx, esW = append(g.esIdx, i), append(esW, c.weight)
		} else {
			g.enIdx, enW = append(g.enIdx, i), append(enW, c.weight)
		}
		if c.Country == "US" {
			g.usIdx, usW = append(g.usIdx, i), append(usW, c.weight)
		}
	}
	g.enPick, g.esPick, g.usPick = newWeighted(enW), newWeighted(esW), newWeighted(usW)
	var tw []float64
	for _, t := range hearth.Topics() {
		g.topics = append(g.topics, t.Slug)
		tw = append(tw, topicWeights[t.Slug]+0.01)
	}
	g.topicPick = newWeighted(tw)
	g.templates = demoTemplates()
	for _, t := range g.templates {
		if t.leadership == hearth.ProfessionalLed && t.creds != "" && !demoPlaceWords.MatchString(t.creds) {
			if !slices.Contains(g.credsByLang[t.lang], t.creds) {
				g.credsByLang[t.lang] = append(g.credsByLang[t.lang], t.creds)
			}
		}
	}
	return g
}

func chance(r *rand.Rand, p float64) bool { return r.Float64() < p }

func oneOf[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// pickTemplate finds demo texts for a group, from the most specific match
// (same topic, language and kind of meeting) to the least.
func (gen *generator) pickTemplate(r *rand.Rand, topic, lang string, remote bool) template {
	fam := family(topic)
	tries := []func(t template) bool{
		func(t template) bool { return t.topic == topic && t.lang == lang && t.remote == remote },
		func(t template) bool { return t.family == fam && t.lang == lang && t.remote == remote },
		func(t template) bool { return t.family == fam && t.lang == lang },
		func(t template) bool { return t.lang == lang && t.remote == remote },
		func(t template) bool { return t.lang == lang },
	}
	for i, ok := range tries {
		var c []int
		for j, t := range gen.templates {
			if ok(t) {
				c = append(c, j)
			}
		}
		// The topic's own texts only most of the time, so that groups of a
		// topic do not all read alike.
		if len(c) == 0 || (i == 0 && chance(r, 0.35)) {
			continue
		}
		return gen.templates[oneOf(r, c)]
	}
	return gen.templates[r.IntN(len(gen.templates))]
}

var (
	weekdaysEN = []string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}
	weekdaysES = []string{"domingos", "lunes", "martes", "miércoles", "jueves", "viernes", "sábados"}
	areasEN    = []string{"North", "South", "East", "West", "Downtown", "Midtown", "Uptown", "Central"}
	areasES    = []string{"Centro", "Norte", "Sur", "Oriente", "Poniente"}
	streetsEN  = []string{"Main St", "Oak Ave", "Maple St", "Cedar Rd", "Elm St", "Washington Ave", "Lincoln Blvd", "Park Ave",
		"Lake St", "Hill Rd", "Church St", "Market St", "High St", "Station Rd", "King St", "Queen St", "1st Ave", "3rd St"}
	streetsES = []string{"Calle Mayor", "Avenida de la Constitución", "Calle del Carmen", "Avenida Juárez", "Calle Hidalgo",
		"Paseo de la Reforma", "Calle de Alcalá", "Avenida Insurgentes", "Calle Real", "Avenida de la Paz", "Calle Morelos"}
	roomsEN = []string{"Room 2", "Room 104", "Fellowship Hall", "Community Room", "Library Room", "Suite 210", "Conference Room B", "Garden Room"}
	roomsES = []string{"Salón 3", "Sala 2", "Aula 104", "Salón parroquial", "Sala de usos múltiples", "Planta baja"}
)

// communityLabels prefix some names ("Veterans' PTSD Circle").
var communityLabels = map[string][2]string{
	"veterans": {"Veterans'", "Veteranos:"}, "lgbtq": {"LGBTQ+", "LGBTQ+:"}, "parents": {"Parents'", "Madres y padres:"},
	"seniors": {"Seniors'", "Personas mayores:"}, "students": {"Students'", "Estudiantes:"},
	"healthcare_workers": {"Healthcare Workers'", "Personal sanitario:"}, "latinx": {"Latinx", "Latinos:"},
	"faith_based": {"Faith-Based", "Grupo de fe:"}, "youth": {"Youth", "Jóvenes:"}, "bipoc": {"BIPOC", "BIPOC:"}, "rural": {"Rural", "Rural:"},
}

func groupName(r *rand.Rand, topic hearth.Topic, lang string, f hearth.Format, place string, day time.Weekday, comm []string) string {
	en, es := topic.Name["en"], strings.ToLower(topic.Name["es"])
	area := place
	var name string
	switch lang {
	case langES:
		if !f.Remote() && chance(r, 0.3) {
			area = place + " " + oneOf(r, areasES)
		}
		switch {
		case f == hearth.Online:
			name = oneOf(r, []string{"%[1]s: grupo en línea", "Círculo virtual de %[1]s", "%[1]s — reunión por videollamada (%[3]s)", "Grupo de ayuda mutua en línea: %[1]s"})
		case f == hearth.Phone:
			name = oneOf(r, []string{"%[1]s: grupo por teléfono", "Círculo telefónico de %[1]s (%[2]s)"})
		default:
			name = oneOf(r, []string{"Grupo de apoyo: %[1]s — %[2]s", "Círculo de %[1]s de %[2]s", "%[1]s: grupo de ayuda mutua (%[2]s)",
				"Reunión de los %[3]s — %[1]s, %[2]s", "Encuentro de %[1]s en %[2]s", "%[1]s — %[2]s"})
		}
		name = fmt.Sprintf(name, es, area, weekdaysES[day])
		if len(comm) > 0 && chance(r, 0.5) {
			name = communityLabels[comm[0]][1] + " " + name
		}
	default:
		if !f.Remote() && chance(r, 0.3) {
			area = oneOf(r, areasEN) + " " + place
		}
		switch {
		case f == hearth.Online:
			name = oneOf(r, []string{"%[1]s Online Support Group", "%[3]s Evening %[1]s Circle (online)", "%[1]s Video Group", "Online %[1]s Peer Meeting"})
		case f == hearth.Phone:
			name = oneOf(r, []string{"%[1]s Phone Circle", "%[1]s Support by Phone (%[2]s)"})
		default:
			name = oneOf(r, []string{"%[1]s Support Group — %[2]s", "%[2]s %[1]s Circle", "%[3]s Night %[1]s Group", "%[1]s: Peer Support in %[2]s",
				"%[2]s %[1]s Meeting", "Living With %[1]s (%[2]s)", "%[1]s Support Group of %[2]s", "%[1]s — %[2]s"})
		}
		name = fmt.Sprintf(name, en, area, weekdaysEN[day])
		if lang == langBoth {
			name += " / " + es
		}
		if len(comm) > 0 && chance(r, 0.5) {
			name = communityLabels[comm[0]][0] + " " + name
		}
	}
	if len([]rune(name)) > hearth.MaxNameLen {
		name = string([]rune(name)[:hearth.MaxNameLen])
	}
	return name
}

// orgWords are the kinds of organization that run a family's groups.
var orgWords = map[string][2][]string{
	"chronic-illness":      {{"Medical Center Patient Support", "Chronic Illness Network", "Cancer Support Community", "Health Alliance"}, {"Asociación de Pacientes", "Red de Enfermedades Crónicas", "Asociación contra el Cáncer", "Hospital General"}},
	"mental-health":        {{"Mental Health Alliance", "Peer Wellness Network", "Behavioral Health Center", "Mind Matters Collective"}, {"Alianza de Salud Mental", "Red de Bienestar Emocional", "Centro de Salud Mental"}},
	"addiction":            {{"Recovery Intergroup", "Recovery Community Center", "Sober Living Fellowship", "Family Recovery Network"}, {"Intergrupo de Recuperación", "Centro de Recuperación", "Comunidad Terapéutica"}},
	"grief":                {{"Hospice & Grief Center", "Bereavement Network", "Grief Support Center", "Hospice Care"}, {"Centro de Duelo", "Red de Apoyo en el Duelo", "Hospicio y Cuidados Paliativos"}},
	"caregivers":           {{"Caregiver Network", "Alzheimer's Family Services", "Family Caregiver Alliance"}, {"Red de Cuidadores", "Asociación de Familiares", "Centro de Día"}},
	"lgbtq":                {{"LGBTQ+ Center", "Pride Community Center", "Rainbow Alliance"}, {"Centro LGBTQ+", "Colectivo Arcoíris", "Casa de la Diversidad"}},
	"personal-development": {{"Wellbeing Collective", "Community Learning Center", "Peer Support Charity"}, {"Colectivo de Bienestar", "Centro Comunitario", "Asociación de Desarrollo Personal"}},
}

func (gen *generator) orgFor(r *rand.Rand, c city, fam, lang string) *orgSpec {
	// Two or three organizations of each kind in a big city, one in a small one.
	k := 0
	if c.weight > 1_000_000 {
		k = r.IntN(3)
	}
	key := fmt.Sprintf("%s|%s|%s|%s|%d", c.Name, c.Country, fam, lang, k)
	if o, ok := gen.orgs[key]; ok {
		return o
	}
	w := orgWords[fam]
	var name string
	if lang == langES {
		name = fmt.Sprintf("%s de %s", w[1][len(gen.orgs)%len(w[1])], c.Name)
	} else {
		name = fmt.Sprintf("%s %s", c.Name, w[0][len(gen.orgs)%len(w[0])])
		if lang == langBoth {
			name += " · " + w[1][len(gen.orgs)%len(w[1])]
		}
	}
	if k > 0 {
		name += fmt.Sprintf(" (%s)", []string{"", "North", "South"}[k])
	}
	slug := hearth.Slugify(name)
	if len(slug) > 70 {
		slug = strings.Trim(slug[:70], "-")
	}
	gen.orgSlugs[slug]++
	if n := gen.orgSlugs[slug]; n > 1 {
		slug = fmt.Sprintf("%s-%d", slug, n)
	}
	domain := strings.ReplaceAll(slug, "-", "") + ".example.org"
	if len(domain) > 60 {
		domain = domain[len(domain)-60:]
	}
	o := &orgSpec{key: key, name: name, org: hearth.Organization{
		Slug: slug, Name: name, Website: "https://" + domain, Contact: "info@" + domain,
		Description: fmt.Sprintf("%s runs support groups in and around %s.", name, c.Name),
		CreatedAt:   benchNow.AddDate(-3, 0, -len(gen.orgs)%700),
	}}
	if lang == langES {
		o.org.Description = fmt.Sprintf("%s organiza grupos de apoyo en %s y alrededores.", name, c.Name)
	}
	gen.orgs[key] = o
	return o
}

// jitter moves a point up to km kilometres in a random direction, uniformly
// over the disc.
func jitter(r *rand.Rand, lat, lon, km float64) (float64, float64) {
	d := km * math.Sqrt(r.Float64())
	th := 2 * math.Pi * r.Float64()
	dLat := d * math.Cos(th) / 111.2
	dLon := d * math.Sin(th) / (111.2 * math.Max(0.05, math.Cos(lat*math.Pi/180)))
	return math.Round((lat+dLat)*1e5) / 1e5, math.Round((lon+dLon)*1e5) / 1e5
}

var (
	weekdayPick  = newWeighted([]float64{9, 16, 16, 16, 16, 16, 11}) // Sunday first
	durationPick = []int{60, 60, 60, 60, 75, 90, 90, 90, 90, 120}
)

func startMinute(r *rand.Rand) int {
	x := r.Float64()
	switch {
	case x < 0.55: // evening, 17:30–20:00
		return 17*60 + 30 + 15*r.IntN(11)
	case x < 0.75: // morning, 9:00–11:00
		return 9*60 + 15*r.IntN(9)
	case x < 0.90: // midday
		return 12*60 + 15*r.IntN(9)
	default: // afternoon
		return 14*60 + 30 + 15*r.IntN(11)
	}
}

// group returns the i-th group (0-based). Call it in order: organizations
// are numbered as they are first used.
func (gen *generator) group(i int) genGroup {
	r := rand.New(rand.NewPCG(genSeed, uint64(i)))
	var g hearth.Group

	// Language, then a city where such a group would meet.
	lang := langEN
	switch x := r.Float64(); {
	case x < 0.25:
		lang = langES
	case x < 0.30:
		lang = langBoth
	}
	var c city
	switch {
	case lang == langEN:
		c = gen.cities[gen.enIdx[gen.enPick.pick(r)]]
	case lang == langES && chance(r, 0.55), lang == langBoth && chance(r, 0.3):
		c = gen.cities[gen.esIdx[gen.esPick.pick(r)]]
	default:
		c = gen.cities[gen.usIdx[gen.usPick.pick(r)]]
	}
	switch lang {
	case langEN:
		g.Audience.Languages = []string{"en"}
	case langES:
		g.Audience.Languages = []string{"es"}
	default:
		g.Audience.Languages = []string{"en", "es"}
	}

	// Format: a quarter online or by phone.
	switch x := r.Float64(); {
	case x < 0.20:
		g.Format = hearth.Online
	case x < 0.25:
		g.Format = hearth.Phone
	case x < 0.35:
		g.Format = hearth.Hybrid
	default:
		g.Format = hearth.InPerson
	}

	// Topics: a main one, and up to two related ones (its area or a sibling).
	main := gen.topics[gen.topicPick.pick(r)]
	g.Topics = []string{main}
	fam := family(main)
	for extra := r.IntN(3); extra > 0; extra-- {
		if chance(r, 0.7) {
			sib := append([]string{fam}, hearth.TopicChildren(fam)...)
			g.Topics = append(g.Topics, oneOf(r, sib))
		} else {
			g.Topics = append(g.Topics, gen.topics[gen.topicPick.pick(r)])
		}
	}
	topic, _ := hearth.LookupTopic(main)

	// Audience.
	switch x := r.Float64(); {
	case x < 0.80:
		g.Audience.AgeBand = "all"
	case x < 0.88:
		g.Audience.AgeBand = "adults"
	case x < 0.92:
		g.Audience.AgeBand = "young_adults"
	case x < 0.95:
		g.Audience.AgeBand = "teens"
	default:
		g.Audience.AgeBand = "older_adults"
	}
	switch x := r.Float64(); {
	case x < 0.90:
		g.Audience.Gender = "any"
	case x < 0.96:
		g.Audience.Gender = "women"
	case x < 0.99:
		g.Audience.Gender = "men"
	default:
		g.Audience.Gender = "nonbinary"
	}
	if chance(r, 0.3) {
		g.Audience.Communities = []string{oneOf(r, hearth.Communities)}
		if chance(r, 0.3) {
			g.Audience.Communities = append(g.Audience.Communities, oneOf(r, hearth.Communities))
		}
		if lang != langEN && chance(r, 0.5) {
			g.Audience.Communities = append(g.Audience.Communities, "latinx")
		}
		g.Audience.Communities = slices.Compact(g.Audience.Communities)
	}
	if fam == "lgbtq" && chance(r, 0.6) {
		g.Audience.Communities = append(g.Audience.Communities, "lgbtq")
	}

	// Schedule.
	g.Schedule = hearth.Schedule{Weekday: time.Weekday(weekdayPick.pick(r)), Start: startMinute(r), Duration: oneOf(r, durationPick)}

	// Leadership, policy, cost, visibility.
	g.Leadership = hearth.PeerLed
	if chance(r, 0.4) {
		g.Leadership = hearth.ProfessionalLed
	}
	g.Policy = hearth.Open
	if chance(r, 0.2) {
		g.Policy = hearth.Closed
		e := &hearth.Enrollment{Cap: 8 + r.IntN(9), Sessions: 6 + r.IntN(7)}
		day := 24 * time.Hour
		switch x := r.Float64(); {
		case x < 0.4: // accepting now
			e.Opens = benchNow.Add(-time.Duration(1+r.IntN(20)) * day)
			e.Closes = benchNow.Add(time.Duration(3+r.IntN(28)) * day)
			if chance(r, 0.25) {
				g.ActiveMembers = e.Cap // full
			} else {
				g.ActiveMembers = r.IntN(e.Cap)
			}
		case x < 0.8: // under way
			e.Opens = benchNow.Add(-time.Duration(60+r.IntN(30)) * day)
			e.Closes = benchNow.Add(-time.Duration(20+r.IntN(20)) * day)
			g.ActiveMembers = e.Cap/2 + r.IntN(e.Cap/2+1)
		default: // opens soon
			e.Opens = benchNow.Add(time.Duration(3+r.IntN(12)) * day)
			e.Closes = e.Opens.Add(21 * day)
		}
		e.Opens, e.Closes = e.Opens.Truncate(time.Hour), e.Closes.Truncate(time.Hour)
		e.Starts = e.Closes.Add(time.Duration(3+r.IntN(8)) * day)
		g.Enrollment = e
	}
	switch x := r.Float64(); {
	case x < 0.70:
		g.Cost = hearth.Cost{Kind: hearth.Free}
	case x < 0.90:
		g.Cost = hearth.Cost{Kind: hearth.Donation}
	default:
		fee := 5 + 5*r.IntN(4)
		note := fmt.Sprintf("$%d a session, waived on request", fee)
		if lang == langES {
			note = fmt.Sprintf("%d € por sesión; nadie se queda fuera por no poder pagar", fee)
			if c.Country == "MX" || c.Country == "US" {
				note = fmt.Sprintf("$%d por sesión; se puede condonar", fee*10)
			}
		}
		g.Cost = hearth.Cost{Kind: hearth.Fee, Note: note}
	}
	switch x := r.Float64(); {
	case x < 0.92:
		g.Visibility = hearth.Listed
	case x < 0.97:
		g.Visibility = hearth.Unlisted
	default:
		g.Visibility = hearth.Private
	}

	// Place: a venue within 15 km of the centre, or the city an online
	// group is based in (no position at all for one in five).
	loc := hearth.Location{City: c.Name, Region: c.Region, Country: c.Country, TimeZone: c.TimeZone}
	if g.Format.HasPlace() {
		loc.Lat, loc.Lon = jitter(r, c.Lat, c.Lon, 15)
		loc.HasPoint = true
		if lang == langES {
			loc.Address = fmt.Sprintf("%s %d, %s", oneOf(r, streetsES), 1+r.IntN(300), oneOf(r, roomsES))
		} else {
			loc.Address = fmt.Sprintf("%d %s, %s", 10+r.IntN(4990), oneOf(r, streetsEN), oneOf(r, roomsEN))
		}
	} else if chance(r, 0.8) {
		loc.Lat, loc.Lon, loc.HasPoint, loc.Approximate = c.Lat, c.Lon, true, true
	}
	g.Location = loc

	// Texts: a demo group's, recombined.
	t := gen.pickTemplate(r, main, lang, g.Format.Remote())
	desc := slices.Clone(t.desc)
	if len(desc) > 3 {
		start := r.IntN(len(desc) - 2)
		desc = desc[start : start+3]
	}
	if u := gen.pickTemplate(r, main, lang, g.Format.Remote()); chance(r, 0.5) && len(u.desc) > 0 {
		desc = append(desc, oneOf(r, u.desc))
	}
	g.Description = strings.Join(slices.Compact(desc), " ")
	g.WhatToExpect = t.expect
	g.Guidelines = t.guidelines
	if g.Format.HasPlace() {
		g.VenueNotes = t.venueNotes
		g.Accessibility = slices.Clone(t.access)
		for _, a := range hearth.AccessibilityFeatures {
			if chance(r, 0.08) {
				g.Accessibility = append(g.Accessibility, a)
			}
		}
	} else if chance(r, 0.3) {
		g.Accessibility = []string{"captioning"}
	}
	if g.Leadership == hearth.ProfessionalLed {
		l := lang
		if len(gen.credsByLang[l]) == 0 {
			l = langEN
		}
		g.FacilitatorCredentials = oneOf(r, gen.credsByLang[l])
	}

	g.Name = groupName(r, topic, lang, g.Format, c.Name, g.Schedule.Weekday, g.Audience.Communities)
	g.Slug = hearth.Slugify(g.Name)
	if len(g.Slug) > 70 {
		g.Slug = strings.Trim(g.Slug[:70], "-")
	}
	g.Slug = fmt.Sprintf("%s-%s", g.Slug, fmt.Sprint(i))
	o := gen.orgFor(r, c, fam, lang)
	g.Contact = fmt.Sprintf("%s@%s", hearth.Slugify(c.Name), strings.TrimPrefix(o.org.Website, "https://"))
	g.CreatedAt = benchNow.Add(-time.Duration(r.IntN(3*365*24)) * time.Hour).Truncate(time.Second)
	return genGroup{g: g, org: o}
}
