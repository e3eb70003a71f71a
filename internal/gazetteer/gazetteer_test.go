package gazetteer

import (
	"math"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"
)

func load(t testing.TB) *Gazetteer {
	t.Helper()
	g, err := Load()
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return g
}

// want describes the place a query should resolve to.
type want struct {
	country  string
	region   string  // "" means "don't check"
	lat, lon float64 // true centre; 0, 0 means "don't check"
	postal   string
}

// checkPlace reports how p differs from w.
func checkPlace(t *testing.T, query string, p Place, w want) {
	t.Helper()
	if p.Country != w.country {
		t.Errorf("Lookup(%q) = %s; want country %s", query, p.Label(), w.country)
	}
	if w.region != "" && p.Region != w.region {
		t.Errorf("Lookup(%q) = %s; want region %s", query, p.Label(), w.region)
	}
	if w.lat != 0 || w.lon != 0 {
		if d := distanceKm(p.Lat, p.Lon, w.lat, w.lon); d > 30 {
			t.Errorf("Lookup(%q) = %s at %.4f,%.4f: %.0f km from the true centre %.4f,%.4f",
				query, p.Label(), p.Lat, p.Lon, d, w.lat, w.lon)
		}
	}
	if p.PostalCode != w.postal {
		t.Errorf("Lookup(%q).PostalCode = %q; want %q", query, p.PostalCode, w.postal)
	}
	if _, err := time.LoadLocation(p.TimeZone); err != nil || p.TimeZone == "" {
		t.Errorf("Lookup(%q).TimeZone = %q does not load: %v", query, p.TimeZone, err)
	}
}

func runLookups(t *testing.T, cases map[string]want) {
	t.Helper()
	g := load(t)
	for query, w := range cases {
		t.Run(query, func(t *testing.T) {
			p, ok := g.Lookup(query)
			if !ok {
				t.Fatalf("Lookup(%q) found nothing; want a place in %s", query, w.country)
			}
			checkPlace(t, query, p, w)
		})
	}
}

func TestLookupResolvesTheQueriesNewcomersType(t *testing.T) {
	austin := want{country: "US", region: "Texas", lat: 30.2672, lon: -97.7431}
	mexicoCity := want{country: "MX", region: "Mexico City", lat: 19.4326, lon: -99.1332}
	seville := want{country: "ES", region: "Andalusia", lat: 37.3891, lon: -5.9845}
	london := want{country: "GB", region: "England", lat: 51.5074, lon: -0.1278}
	newYork := want{country: "US", region: "New York", lat: 40.7128, lon: -74.0060}
	zaragoza := want{country: "ES", region: "Aragon", lat: 41.6488, lon: -0.8891}
	runLookups(t, map[string]want{
		"Austin":           austin,
		"Austin, TX":       austin,
		"Austin, Texas":    austin,
		"Madrid":           {country: "ES", region: "Madrid", lat: 40.4168, lon: -3.7038},
		"Ciudad de México": mexicoCity,
		"Mexico City":      mexicoCity,
		"CDMX":             mexicoCity,
		"Toronto":          {country: "CA", region: "Ontario", lat: 43.6532, lon: -79.3832},
		"Dublin":           {country: "IE", lat: 53.3498, lon: -6.2603},
		"Sydney":           {country: "AU", region: "New South Wales", lat: -33.8688, lon: 151.2093},
		"Auckland":         {country: "NZ", lat: -36.8485, lon: 174.7633},
		"Guadalajara":      {country: "MX", region: "Jalisco", lat: 20.6597, lon: -103.3496},
		"Sevilla":          seville,
		"Seville":          seville,
		"Londres":          london,
		"London":           london,
		"New York":         newYork,
		"Nueva York":       newYork,
		"NYC":              newYork,
		"Saragossa":        zaragoza,
		"Zaragoza":         zaragoza,
		"Los Angeles":      {country: "US", region: "California", lat: 34.0522, lon: -118.2437},
		"Montreal":         {country: "CA", region: "Quebec", lat: 45.5019, lon: -73.5674},
		"Monterrey":        {country: "MX", region: "Nuevo León", lat: 25.6866, lon: -100.3161},
		"Barcelona":        {country: "ES", region: "Catalonia", lat: 41.3874, lon: 2.1686},
		"Melbourne":        {country: "AU", region: "Victoria", lat: -37.8136, lon: 144.9631},
		"Wellington":       {country: "NZ", lat: -41.2865, lon: 174.7762},
		"Cork":             {country: "IE", lat: 51.8985, lon: -8.4756},
		"Galway":           {country: "IE", lat: 53.2707, lon: -9.0568},
		"Edinburgh":        {country: "GB", region: "Scotland", lat: 55.9533, lon: -3.1883},
		"San Sebastián":    {country: "ES", region: "Basque Country", lat: 43.3183, lon: -1.9812},
		"La Coruña":        {country: "ES", region: "Galicia", lat: 43.3623, lon: -8.4115},
		"Washington, DC":   {country: "US", lat: 38.9072, lon: -77.0369},
	})
}

func TestLookupPrefersTheMostPopulousPlaceWhenANameIsAmbiguous(t *testing.T) {
	runLookups(t, map[string]want{
		"Portland":    {country: "US", region: "Oregon"},           // not Maine
		"Cordoba":     {country: "AR"},                             // Córdoba, Argentina, not Spain
		"Birmingham":  {country: "GB", region: "England"},          // not Alabama
		"Paris":       {country: "FR"},                             // not Texas
		"Vancouver":   {country: "CA", region: "British Columbia"}, // not Washington
		"London":      {country: "GB"},                             // not Ontario
		"Guadalajara": {country: "MX"},                             // not Spain
		"Athens":      {country: "GR"},                             // not Georgia
		"Manhattan":   {country: "US", region: "New York"},         // the borough, not Kansas
	})
	// Ranking follows population, not the order of the data.
	g := load(t)
	a, _ := g.Lookup("Portland")
	b, _ := g.Lookup("Portland, ME")
	if a.Population <= b.Population {
		t.Errorf("Portland (%d people) should be more populous than Portland, ME (%d)", a.Population, b.Population)
	}
}

func TestLookupNarrowsByRegionOrCountry(t *testing.T) {
	runLookups(t, map[string]want{
		"Portland, OR":            {country: "US", region: "Oregon"},
		"Portland, Oregon":        {country: "US", region: "Oregon"},
		"Portland Oregon":         {country: "US", region: "Oregon"},
		"Portland, ME":            {country: "US", region: "Maine", lat: 43.6591, lon: -70.2568},
		"Portland, Maine":         {country: "US", region: "Maine"},
		"Portland (ME)":           {country: "US", region: "Maine"},
		"Portland, ME, USA":       {country: "US", region: "Maine"},
		"Austin TX":               {country: "US", region: "Texas"},
		"London, ON":              {country: "CA", region: "Ontario", lat: 42.9849, lon: -81.2453},
		"London, Ontario":         {country: "CA", region: "Ontario"},
		"Paris, TX":               {country: "US", region: "Texas"},
		"Sydney, NS":              {country: "CA", region: "Nova Scotia"},
		"Sydney, NSW":             {country: "AU", region: "New South Wales"},
		"Córdoba, Spain":          {country: "ES", region: "Andalusia", lat: 37.8882, lon: -4.7794},
		"Cordoba, ES":             {country: "ES", region: "Andalusia"},
		"Córdoba, España":         {country: "ES", region: "Andalusia"},
		"Cordoba, Veracruz":       {country: "MX", region: "Veracruz"},
		"Guadalajara, España":     {country: "ES", region: "Castille-La Mancha"},
		"Guadalajara, Jalisco":    {country: "MX", region: "Jalisco"},
		"Guadalajara, Jal.":       {country: "MX", region: "Jalisco"},
		"Valencia, Spain":         {country: "ES"},
		"Birmingham, AL":          {country: "US", region: "Alabama"},
		"Dublin, OH":              {country: "US", region: "Ohio"},
		"Dublin, Ireland":         {country: "IE"},
		"Vancouver, WA":           {country: "US", region: "Washington"},
		"Athens, GA":              {country: "US", region: "Georgia"},
		"Perth, Scotland":         {country: "GB", region: "Scotland"},
		"Perth, WA":               {country: "AU", region: "Western Australia"},
		"Hamilton, NZ":            {country: "NZ"},
		"Newcastle, NSW":          {country: "AU", region: "New South Wales"},
		"Mexico City, Mexico":     {country: "MX", region: "Mexico City"},
		"Sevilla, Andalucía":      {country: "ES", region: "Andalusia"},
		"Londres, Reino Unido":    {country: "GB"},
		"Toronto, Canada":         {country: "CA", region: "Ontario"},
		"Springfield, IL":         {country: "US", region: "Illinois"},
		"Santa Cruz, CA":          {country: "US", region: "California"},
		"Merida, Yucatan":         {country: "MX", region: "Yucatán"},
		"Brooklyn, New York":      {country: "US", region: "New York"},
		"Queens, NYC":             {country: "US", region: "New York"},
		"Saint John, NB":          {country: "CA", region: "New Brunswick"},
		"Hobart, TAS":             {country: "AU", region: "Tasmania"},
		"Puebla, Pue.":            {country: "MX", region: "Puebla"},
		"Derry, Northern Ireland": {country: "GB", region: "Northern Ireland"},
	})
}

func TestLookupFailsWhenTheRegionOrCountryRulesOutEveryMatch(t *testing.T) {
	g := load(t)
	for _, q := range []string{"Portland, Spain", "Austin, Mexico", "Toronto, NZ"} {
		if p, ok := g.Lookup(q); ok {
			t.Errorf("Lookup(%q) = %s; want no match", q, p.Label())
		}
	}
}

func TestLookupIgnoresCaseAccentsSpacingAndPunctuation(t *testing.T) {
	g := load(t)
	groups := [][]string{
		{"Austin, TX", "  AUSTIN ,  tx  ", "austin,tx", "Austin;TX", "austin tx.", "Austin!!!, TX"},
		{"Mexico City", "MÉXICO CITY", "mexico   city", "Ciudad de Mexico", "ciudad de méxico", "Me\u0301xico City"},
		{"Córdoba, Spain", "Cordoba, Spain", "CÓRDOBA, SPAIN", "cordoba , spain"},
		{"Zürich", "Zurich", "ZURICH"},
		{"St. Louis", "Saint Louis", "st louis", "ST. LOUIS, MO"},
		{"Fort Worth", "Ft. Worth", "ft worth"},
		{"Winston-Salem", "winston salem", "Winston–Salem"},
		{"Coeur d'Alene", "Coeur d’Alene", "coeur dalene"},
		{"São Paulo", "Sao Paulo", "SAO PAULO"},
		{"A Coruña", "a coruna", "A CORUÑA"},
	}
	for _, group := range groups {
		first, ok := g.Lookup(group[0])
		if !ok {
			t.Errorf("Lookup(%q) found nothing", group[0])
			continue
		}
		for _, q := range group[1:] {
			p, ok := g.Lookup(q)
			if !ok || p != first {
				t.Errorf("Lookup(%q) = %s, %v; want %s like %q", q, p.Label(), ok, first.Label(), group[0])
			}
		}
	}
}

func TestLookupResolvesPostalCodes(t *testing.T) {
	austin := want{country: "US", region: "Texas", lat: 30.2672, lon: -97.7431, postal: "78701"}
	toronto := want{country: "CA", region: "Ontario", lat: 43.6426, lon: -79.3871, postal: "M5V"}
	runLookups(t, map[string]want{
		"78701":            austin,
		"78701-1234":       austin,
		"78701 1234":       austin,
		"787011234":        austin,
		" 78701 ":          austin,
		"Austin, TX 78701": austin,
		"78701 Austin":     austin,
		"78701, US":        austin,
		"10001":            {country: "US", region: "New York", lat: 40.7506, lon: -73.9972, postal: "10001"},
		"90210":            {country: "US", region: "California", lat: 34.0901, lon: -118.4065, postal: "90210"},
		"99501":            {country: "US", region: "Alaska", lat: 61.2181, lon: -149.9003, postal: "99501"},
		"00901":            {country: "PR", lat: 18.4655, lon: -66.1057, postal: "00901"},
		"M5V":              toronto,
		"M5V 3L9":          toronto,
		"m5v3l9":           toronto,
		"M5V, Toronto":     toronto,
		"K1P":              {country: "CA", region: "Ontario", lat: 45.4215, lon: -75.6972, postal: "K1P"},
		"H2X 1Y4":          {country: "CA", region: "Quebec", lat: 45.5119, lon: -73.5673, postal: "H2X"},
		"V6B":              {country: "CA", region: "British Columbia", lat: 49.2827, lon: -123.1207, postal: "V6B"},
		"T2P":              {country: "CA", region: "Alberta", lat: 51.0447, lon: -114.0719, postal: "T2P"},
		// Spanish codes need the country, or they would be US ZIP codes;
		// they resolve to the province capital.
		"28013, España": {country: "ES", region: "Madrid", lat: 40.4168, lon: -3.7038, postal: "28013"},
		"41001, Spain":  {country: "ES", region: "Andalusia", lat: 37.3891, lon: -5.9845, postal: "41001"},
		"08001 ES":      {country: "ES", region: "Catalonia", lat: 41.3874, lon: 2.1686, postal: "08001"},
		"28013 Madrid":  {country: "ES", region: "Madrid", lat: 40.4168, lon: -3.7038, postal: "28013"},
		"41001 Sevilla": {country: "ES", region: "Andalusia", lat: 37.3891, lon: -5.9845, postal: "41001"},
		"29001, Málaga": {country: "ES", region: "Andalusia", lat: 36.7213, lon: -4.4214, postal: "29001"},
		// Words that contradict the code win over it.
		"90210 Madrid": {country: "ES", region: "Madrid", lat: 40.4168, lon: -3.7038},
		"M5V, Sevilla": {country: "ES", region: "Andalusia", lat: 37.3891, lon: -5.9845},
	})
}

func TestPostalCodePlacesAreNamedAfterTheirTown(t *testing.T) {
	g := load(t)
	for code, name := range map[string]string{
		"78701": "Austin", "90210": "Beverly Hills", "M5V": "Toronto", "L5B": "Mississauga",
		"K1P": "Ottawa", "H2X": "Montréal", "V6B": "Vancouver",
	} {
		if p, ok := g.Lookup(code); !ok || p.Name != name {
			t.Errorf("Lookup(%q) = %q, %v; want %q", code, p.Name, ok, name)
		}
	}
}

func TestLookupRejectsBadInputWithoutPanicking(t *testing.T) {
	g := load(t)
	for name, q := range map[string]string{
		"empty":                        "",
		"spaces":                       "     ",
		"only punctuation":             ",,,;;;!!!...---",
		"only separators":              "() , ; ()",
		"10 KB of junk":                strings.Repeat("xq7#", 2560),
		"10 KB of a real name":         strings.Repeat("Austin ", 1500),
		"invalid UTF-8":                "\xff\xfe\xfd",
		"a name with invalid UTF-8":    "Austin\xff, TX",
		"NUL bytes":                    "\x00\x00",
		"unknown ZIP":                  "00000",
		"unknown FSA":                  "Z9Z",
		"Santa's postal code":          "H0H 0H0",
		"gibberish":                    "Qwxzyv",
		"a lone number":                "12",
		"a qualifier and nothing else": ", TX",
	} {
		t.Run(name, func(t *testing.T) {
			if p, ok := g.Lookup(q); ok {
				t.Errorf("Lookup(%.40q) = %s; want no match", q, p.Label())
			}
		})
	}
	var nilG *Gazetteer
	if _, ok := nilG.Lookup("Austin"); ok {
		t.Error("a nil *Gazetteer found something")
	}
}

func TestSuggestListsMatchingPlacesMostPopulousFirst(t *testing.T) {
	g := load(t)
	tests := []struct {
		prefix    string
		n         int
		wantFirst string // Label of the first suggestion
	}{
		{"Aus", 5, "Austin, Texas, US"},
		{"aus", 5, "Austin, Texas, US"},
		{"Sevi", 5, "Sevilla, Andalusia, ES"},
		{"Seville", 5, "Sevilla, Andalusia, ES"},
		{"Ciudad de M", 3, "Mexico City, MX"},
		{"Mexico C", 3, "Mexico City, MX"},
		{"Tor", 10, "Toronto, Ontario, CA"},
		{"Portland, O", 5, "Portland, Oregon, US"},
		{"Portland, M", 5, "Portland, Maine, US"},
		{"Guadalajara, Es", 5, "Guadalajara, Castille-La Mancha, ES"},
		{"Lond", 3, "London, England, GB"},
	}
	for _, tt := range tests {
		t.Run(tt.prefix, func(t *testing.T) {
			got := g.Suggest(tt.prefix, tt.n)
			if len(got) == 0 || len(got) > tt.n {
				t.Fatalf("Suggest(%q, %d) returned %d places", tt.prefix, tt.n, len(got))
			}
			if got[0].Label() != tt.wantFirst {
				t.Errorf("Suggest(%q)[0] = %s; want %s", tt.prefix, got[0].Label(), tt.wantFirst)
			}
			for i := 1; i < len(got); i++ {
				if got[i].Population > got[i-1].Population {
					t.Errorf("Suggest(%q): %s (%d) listed after the smaller %s (%d)", tt.prefix,
						got[i].Label(), got[i].Population, got[i-1].Label(), got[i-1].Population)
				}
			}
		})
	}
}

func TestSuggestOffersEachPlaceOnceAndRespectsTheLimit(t *testing.T) {
	g := load(t)
	got := g.Suggest("S", 50)
	if len(got) != 50 {
		t.Fatalf("Suggest(S, 50) returned %d places", len(got))
	}
	seen := map[Place]bool{}
	for _, p := range got {
		if seen[p] {
			t.Errorf("Suggest(S) lists %s twice", p.Label())
		}
		seen[p] = true
	}
	if got := g.Suggest("Portland, O", 20); len(got) != 1 {
		t.Errorf("Suggest(Portland, O) = %d places; want only Portland, Oregon", len(got))
	}
}

func TestSuggestReturnsNothingForUselessInput(t *testing.T) {
	g := load(t)
	for _, tt := range []struct {
		prefix string
		n      int
	}{
		{"", 5}, {"   ", 5}, {"!!!", 5}, {"Aus", 0}, {"Aus", -1}, {"\xff", 5},
		{strings.Repeat("a", 10240), 5}, {"Qwxzyv", 5},
	} {
		if got := g.Suggest(tt.prefix, tt.n); len(got) != 0 {
			t.Errorf("Suggest(%.20q, %d) = %d places; want none", tt.prefix, tt.n, len(got))
		}
	}
}

func TestLabelNamesThePlaceRegionAndCountry(t *testing.T) {
	for _, tt := range []struct {
		p    Place
		want string
	}{
		{Place{Name: "Austin", Region: "Texas", Country: "US"}, "Austin, Texas, US"},
		{Place{Name: "Mexico City", Region: "Mexico City", Country: "MX"}, "Mexico City, MX"},
		{Place{Name: "Auckland", Country: "NZ"}, "Auckland, NZ"},
		{Place{}, ""},
	} {
		if got := tt.p.Label(); got != tt.want {
			t.Errorf("%+v.Label() = %q; want %q", tt.p, got, tt.want)
		}
	}
}

func TestEveryPlaceInTheDataHasAValidZoneAndCoordinates(t *testing.T) {
	g := load(t)
	for i, z := range g.zones {
		if _, err := time.LoadLocation(z); err != nil || z == "" {
			t.Errorf("zone #%d %q does not load: %v", i, z, err)
		}
	}
	check := func(kind string, p place) {
		if p.name == "" || len(p.cc) != 2 || strings.ToUpper(p.cc) != p.cc {
			t.Errorf("%s %+v: bad name or country", kind, p)
		}
		if p.lat < -90 || p.lat > 90 || p.lon < -180 || p.lon > 180 || math.IsNaN(p.lat) || math.IsNaN(p.lon) {
			t.Errorf("%s %s: coordinates %v,%v out of range", kind, p.name, p.lat, p.lon)
		}
		if int(p.zone) >= len(g.zones) {
			t.Errorf("%s %s: zone index %d out of range", kind, p.name, p.zone)
		}
		if p.pop < 0 {
			t.Errorf("%s %s: negative population", kind, p.name)
		}
	}
	for _, p := range g.places {
		check("place", p)
	}
	postal := func(kind string, lines []string, re *regexp.Regexp) {
		for _, line := range lines {
			p, err := g.parsePostal(line)
			if err != nil {
				t.Errorf("%s line %q: %v", kind, line, err)
				continue
			}
			check(kind+" "+p.code, p.place)
			if !re.MatchString(p.code) {
				t.Errorf("bad %s %q", kind, p.code)
			}
			if p.cc == "US" && p.region < 0 {
				t.Errorf("%s %s has no state", kind, p.code)
			}
		}
	}
	postal("ZIP code", g.zipLines, regexp.MustCompile(`^[0-9]{5}$`))
	postal("FSA", g.fsaLines, regexp.MustCompile(`^[ABCEGHJKLMNPRSTVXY][0-9][A-Z]$`))
	if len(g.places) < 50000 || len(g.zipLines) < 40000 || len(g.fsaLines) < 1600 {
		t.Errorf("data looks truncated: %d places, %d ZIP codes, %d FSAs", len(g.places), len(g.zipLines), len(g.fsaLines))
	}
}

func TestDateIsAValidDateAndDocumented(t *testing.T) {
	g := load(t)
	if _, err := time.Parse("2006-01-02", g.Date()); err != nil {
		t.Fatalf("Date() = %q: %v", g.Date(), err)
	}
	doc, err := os.ReadFile("DATA.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(doc), g.Date()) {
		t.Errorf("DATA.md does not mention the data's generation date %s; update it after regenerating", g.Date())
	}
}

func TestLoadReturnsTheSameGazetteerEveryTime(t *testing.T) {
	a, b := load(t), load(t)
	if a != b {
		t.Error("Load parsed the data twice")
	}
}

func TestLookupAndSuggestAreSafeForConcurrentUse(t *testing.T) {
	g, err := parse(embedded) // fresh, so that Suggest's lazy index is built under contention
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for _, q := range []string{"Austin", "Sevi", "M5V", "Portland, ME", "78701"} {
				if i%2 == 0 {
					g.Suggest(q, 5)
				} else {
					g.Lookup(q)
				}
			}
		})
	}
	wg.Wait()
}

func TestNormalizeFoldsCaseAccentsAndPunctuation(t *testing.T) {
	for in, want := range map[string]string{
		"Austin":              "austin",
		"  Ciudad de México ": "ciudad de mexico",
		"Me\u0301xico":        "mexico",
		"Straße":              "strasse",
		"Zürich":              "zurich",
		"Coeur d'Alene":       "coeur dalene",
		"Coeur d’Alene":       "coeur dalene",
		"Winston-Salem":       "winston salem",
		"St. John's, NL":      "st johns nl",
		"Łódź":                "lodz",
		"Ærøskøbing":          "aeroskobing",
		"78701-1234":          "78701 1234",
		"東京":                  "東京",
		"!!!":                 "",
		"a\xffb":              "a b",
	} {
		if got := normalize(in); got != want {
			t.Errorf("normalize(%q) = %q; want %q", in, got, want)
		}
	}
}

func FuzzLookup(f *testing.F) {
	for _, seed := range []string{
		"", "Austin", "Austin, TX", "78701", "78701-1234", "M5V 3L9", "m5v3l9", "Madrid",
		"Ciudad de México", "Me\u0301xico", "Portland, OR", "Sydney NSW", "28013, España",
		"28013 Madrid", "Austin, TX 78701", ",,,", "()", "\xff\xfe", "\x00", "St. John's",
		"Hollywood, Los Angeles", strings.Repeat("a", 300), "A1A 1A1 A1A", "12345 12345 12345",
		"Portland, O", "a, b, c, d, e, f", "東京", "Ø", "ß",
	} {
		f.Add(seed)
	}
	g, err := Load()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, q string) {
		p, ok := g.Lookup(q)
		if ok {
			if p.Name == "" || len(p.Country) != 2 || p.TimeZone == "" {
				t.Errorf("Lookup(%q) = %+v: incomplete place", q, p)
			}
			if p.Lat < -90 || p.Lat > 90 || p.Lon < -180 || p.Lon > 180 {
				t.Errorf("Lookup(%q) = %+v: coordinates out of range", q, p)
			}
			if !utf8.ValidString(q) {
				t.Errorf("Lookup(%q) accepted invalid UTF-8", q)
			}
		}
		for _, s := range g.Suggest(q, 3) {
			if s.Name == "" {
				t.Errorf("Suggest(%q) returned a nameless place", q)
			}
		}
	})
}

var benchQueries = []string{
	"Austin", "Austin, TX", "78701", "Ciudad de México", "M5V 3L9", "Portland, ME",
	"Sevilla", "Londres", "Guadalajara, Jalisco", "Qwxzyv",
}

func BenchmarkLookup(b *testing.B) {
	g := load(b)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		g.Lookup(benchQueries[i%len(benchQueries)])
		i++
	}
}

func BenchmarkSuggest(b *testing.B) {
	g := load(b)
	g.Suggest("warm up", 1)
	prefixes := []string{"Aus", "San", "Mex", "Portland, O", "To"}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		g.Suggest(prefixes[i%len(prefixes)], 10)
		i++
	}
}

// BenchmarkLoad measures parsing the embedded data (Load itself caches).
func BenchmarkLoad(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := parse(embedded); err != nil {
			b.Fatal(err)
		}
	}
}
