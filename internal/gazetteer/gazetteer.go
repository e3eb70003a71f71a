// Package gazetteer resolves place names and postal codes typed by a person
// ("Austin, TX", "78701", "Ciudad de México", "M5V 3L9", "Londres") to a
// location, entirely offline, from data embedded in the binary.
//
// The data (about 55,000 places: every place of at least 1,000 inhabitants in
// the United States, Canada, Mexico, Spain, the United Kingdom, Ireland,
// Australia and New Zealand, every place of at least 15,000 inhabitants and
// every national or regional capital elsewhere, plus US ZIP codes and Canadian
// forward sortation areas) comes from GeoNames and other openly licensed
// sources; see DATA.md for sources, licences, attribution and how to
// regenerate it.
//
// Matching is case-, accent- and punctuation-insensitive. "City, Region" and
// "City, Country" (or "City Region" without the comma) narrow the choice;
// otherwise, and among several matches, the most populous place wins.
package gazetteer

import (
	"bytes"
	"cmp"
	"compress/gzip"
	_ "embed"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	// Every Place carries an IANA zone name; embedding the zone database
	// guarantees time.LoadLocation accepts it even on hosts without tzdata.
	_ "time/tzdata"
)

//go:embed gazetteer.tsv.gz
var embedded []byte

// Place is a resolved location.
type Place struct {
	Name       string // "Austin"
	Region     string // first-level division, "Texas"; may be empty
	Country    string // ISO 3166-1 alpha-2, "US"
	PostalCode string // set when the match was a postal code ("78701", "M5V")
	Lat, Lon   float64
	TimeZone   string // IANA zone name, "America/Chicago"
	Population int    // 0 for postal codes and for places whose population is unknown
}

// Label is a short human-readable description such as "Austin, Texas, US"
// (the region is left out when it is empty or repeats the name, as in
// "Mexico City, MX").
func (p Place) Label() string {
	parts := make([]string, 0, 3)
	if p.Name != "" {
		parts = append(parts, p.Name)
	}
	if p.Region != "" && !strings.EqualFold(p.Region, p.Name) {
		parts = append(parts, p.Region)
	}
	if p.Country != "" {
		parts = append(parts, p.Country)
	}
	return strings.Join(parts, ", ")
}

// maxQueryLen bounds the input Lookup and Suggest consider; nobody types a
// 200-byte place name, and it keeps junk input cheap.
const maxQueryLen = 200

// altPenalty is how much more a place's name, or a hand-written alias, weighs
// than a GeoNames alternate name: "Londres" (an alternate name of London,
// 9 million people) beats a village called Londres, but "Manhattan" the
// borough still beats New York City, one of whose alternate names is Manhattan.
const altPenalty = 10

type region struct {
	cc, code, name string
	key            string // normalised name, for Suggest's qualifier filter
}

type place struct {
	name     string
	cc       string
	region   int32 // index into regions, or -1
	zone     uint16
	pop      int32
	lat, lon float64
}

type postalRec struct {
	place
	code string
}

// span is a range of Gazetteer.cands.
type span struct{ start, end int32 }

// candidate is a place that a name key refers to, with the weight used to
// rank it (population, times altPenalty unless it came from an alternate name).
type candidate struct {
	place  int32
	alt    bool // from a GeoNames alternate name: not offered by Suggest
	weight int64
}

// qualTarget is what a qualifier such as "TX" or "Spain" may refer to: a
// whole country (region < 0) or one region of it.
type qualTarget struct {
	cc     string
	region int32
}

// Gazetteer is an immutable, in-memory gazetteer; it is safe for concurrent use.
type Gazetteer struct {
	date      string
	zones     []string
	regions   []region
	countries map[string]string // ISO2 -> normalised English name
	regionIdx map[regionKey]int32
	places    []place
	names     map[string]span // normalised name -> candidates, heaviest first
	cands     []candidate
	quals     map[string][]qualTarget
	// Postal codes stay as their data lines (sorted by code) and are parsed
	// when looked up: there are 40,000 of them and a query needs one.
	zipLines []string
	fsaLines []string
	esPostal map[string]int32 // first two digits -> place

	suggestOnce sync.Once
	sortedKeys  []keySpan // name keys, sorted, built on first Suggest
}

var loadOnce = sync.OnceValues(func() (*Gazetteer, error) { return parse(embedded) })

// Load returns the gazetteer built from the embedded data. The data is parsed
// once per process; later calls return the same immutable value.
func Load() (*Gazetteer, error) { return loadOnce() }

// Date is the date (YYYY-MM-DD) on which the embedded data was generated.
func (g *Gazetteer) Date() string { return g.date }

// Lookup returns the best match for query, or false if nothing matches.
//
// A query is a place name, optionally followed by qualifiers separated by
// commas, parentheses or just spaces: a region name or code ("TX", "Ontario",
// "NSW", "Jalisco", "Andalucía"), a country name or code ("Spain", "ES",
// "España", "USA"), or a nearby place ("Queens, NYC"). Every qualifier that
// is recognised must fit, and ones that mean nothing are ignored; among the
// places that fit, the most populous wins. Besides names, GeoNames alternate
// names and a small hand-written alias table ("Londres", "CDMX", "Seville")
// match, alternate names with a tenth of the weight of real names.
//
// A query may also be, or contain, a postal code: a US ZIP code ("78701",
// "78701-1234"), a Canadian postal code or FSA ("M5V 3L9" and "M5V" both give
// the FSA's centre), or a Spanish code with the country, region or town
// given ("28013, España" gives the province capital, "41001 Sevilla" the
// town). PostalCode is then set. When the words contradict the code
// ("90210 Madrid"), the words win and PostalCode stays empty.
//
// Empty, over-long (over 200 bytes) or invalid UTF-8 input never matches.
func (g *Gazetteer) Lookup(query string) (Place, bool) {
	if g == nil || len(query) == 0 || len(query) > maxQueryLen || !utf8.ValidString(query) {
		return Place{}, false
	}
	parts := splitParts(query)
	if len(parts) == 0 {
		return Place{}, false
	}
	if p, ok, handled := g.lookupPostal(parts); handled {
		return p, ok
	}
	if i, ok := g.resolve(parts); ok {
		return g.placeAt(i), true
	}
	return Place{}, false
}

// splitParts splits a query at commas, semicolons and parentheses ("Portland,
// OR", "Portland (Oregon)") and normalises each part, dropping empty ones.
func splitParts(query string) []string {
	raw := strings.FieldsFunc(query, func(r rune) bool {
		return r == ',' || r == ';' || r == '(' || r == ')' || r == '\uFF0C'
	})
	parts := make([]string, 0, len(raw))
	for _, r := range raw {
		if k := normalize(r); k != "" {
			parts = append(parts, k)
		}
	}
	return parts
}

func (g *Gazetteer) placeAt(i int32) Place {
	return g.toPlace(g.places[i], "")
}

func (g *Gazetteer) toPlace(p place, code string) Place {
	out := Place{
		Name:       p.name,
		Country:    p.cc,
		PostalCode: code,
		Lat:        p.lat,
		Lon:        p.lon,
		TimeZone:   g.zones[p.zone],
		Population: int(p.pop),
	}
	if p.region >= 0 {
		out.Region = g.regions[p.region].name
	}
	return out
}

// qualifier narrows a name match: either to a country or region, or to
// places near another place ("Hollywood, Los Angeles").
type qualifier struct {
	targets []qualTarget
	near    int32 // place index, or -1
}

// nearKm is how close a place must be to a place named as a qualifier.
const nearKm = 60

func (g *Gazetteer) matches(i int32, qs []qualifier) bool {
	p := &g.places[i]
	for _, q := range qs {
		if q.near >= 0 {
			n := &g.places[q.near]
			if distanceKm(p.lat, p.lon, n.lat, n.lon) > nearKm {
				return false
			}
			continue
		}
		ok := false
		for _, t := range q.targets {
			if t.cc == p.cc && (t.region < 0 || t.region == p.region) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// pick returns the heaviest candidate satisfying every qualifier.
func (g *Gazetteer) pick(cands []candidate, qs []qualifier) (int32, bool) {
	for _, c := range cands {
		if g.matches(c.place, qs) {
			return c.place, true
		}
	}
	return -1, false
}

// qualifierTokens splits tokens greedily (longest phrase first) into known
// region or country names; it fails if any token is left over.
func (g *Gazetteer) qualifierTokens(toks []string) ([]qualifier, bool) {
	var qs []qualifier
	for start := 0; start < len(toks); {
		found := false
		for end := len(toks); end > start; end-- {
			if ts, ok := g.quals[strings.Join(toks[start:end], " ")]; ok {
				qs = append(qs, qualifier{targets: ts, near: -1})
				start, found = end, true
				break
			}
		}
		if !found {
			return nil, false
		}
	}
	return qs, true
}

// resolve finds the place for normalised query parts: the first part names
// the place, later parts qualify it.
func (g *Gazetteer) resolve(parts []string) (int32, bool) {
	var qs []qualifier
	for _, p := range parts[1:] {
		if q, ok := g.qualifierTokens(strings.Fields(p)); ok {
			qs = append(qs, q...)
			continue
		}
		if c := g.named(p); len(c) > 0 {
			qs = append(qs, qualifier{near: c[0].place})
		}
		// Otherwise the part means nothing to us ("Earth"): ignore it.
	}
	name := parts[0]
	if cands := g.named(name); len(cands) > 0 {
		if i, ok := g.pick(cands, qs); ok {
			return i, true
		}
	}
	// "Austin TX", "Portland Oregon US": peel qualifiers off the end.
	toks := strings.Fields(name)
	for i := len(toks) - 1; i >= 1; i-- {
		cands := g.named(strings.Join(toks[:i], " "))
		if len(cands) == 0 {
			continue
		}
		tq, ok := g.qualifierTokens(toks[i:])
		if !ok {
			continue
		}
		if p, ok := g.pick(cands, append(tq, qs...)); ok {
			return p, true
		}
	}
	return -1, false
}

// Postal codes ------------------------------------------------------------

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' }
func isDigit(c byte) bool  { return '0' <= c && c <= '9' }

// isFSA reports whether s looks like a Canadian forward sortation area, "m5v".
func isFSA(s string) bool {
	return len(s) == 3 && isLetter(s[0]) && isDigit(s[1]) && isLetter(s[2])
}

// isLDU reports whether s looks like the second half of a Canadian postal code, "3l9".
func isLDU(s string) bool {
	return len(s) == 3 && isDigit(s[0]) && isLetter(s[1]) && isDigit(s[2])
}

// postalToken finds a postal code among the tokens of all parts and returns
// it (upper-case ZIP or FSA), its kind, and the parts with it removed.
func postalToken(parts []string) (code string, kind byte, rest []string) {
	for pi, p := range parts {
		toks := strings.Fields(p)
		for ti, t := range toks {
			n := 1
			switch {
			case len(t) == 5 && isDigits(t):
				code, kind = t, 'U'
				if ti+1 < len(toks) && len(toks[ti+1]) == 4 && isDigits(toks[ti+1]) {
					n = 2 // ZIP+4 written "78701-1234"
				}
			case len(t) == 9 && isDigits(t):
				code, kind = t[:5], 'U' // ZIP+4 without the hyphen
			case isFSA(t):
				code, kind = strings.ToUpper(t), 'F'
				if ti+1 < len(toks) && isLDU(toks[ti+1]) {
					n = 2
				}
			case len(t) == 6 && isFSA(t[:3]) && isLDU(t[3:]):
				code, kind = strings.ToUpper(t[:3]), 'F'
			default:
				continue
			}
			rest = make([]string, 0, len(parts))
			rest = append(rest, parts[:pi]...)
			if left := strings.Join(append(append([]string{}, toks[:ti]...), toks[ti+n:]...), " "); left != "" {
				rest = append(rest, left)
			}
			rest = append(rest, parts[pi+1:]...)
			return code, kind, rest
		}
	}
	return "", 0, nil
}

// lookupPostal handles queries containing a postal code. handled is false
// when there is none, and Lookup goes on with names.
func (g *Gazetteer) lookupPostal(parts []string) (p Place, ok, handled bool) {
	code, kind, rest := postalToken(parts)
	if kind == 0 {
		return Place{}, false, false
	}
	rec, found := g.postal(kind, code)
	if len(rest) == 0 {
		if found {
			return g.toPlace(rec.place, rec.code), true, true
		}
		return Place{}, false, true
	}
	// Words as well as a code: "Austin, TX 78701", "M5V Toronto",
	// "28013 Madrid", "41001, España".
	if qs, allQuals := g.partsAsQualifiers(rest); allQuals {
		if found && g.matchesRec(rec.place, qs) {
			return g.toPlace(rec.place, rec.code), true, true
		}
		if kind == 'U' {
			if i, ok := g.esPostal[code[:2]]; ok && g.matches(i, qs) {
				return g.toPlace(g.places[i], code), true, true
			}
		}
		// Otherwise the words may still name a place ("90210 Madrid").
	}
	i, named := g.resolve(rest)
	if found && (!named || distanceKm(rec.lat, rec.lon, g.places[i].lat, g.places[i].lon) <= nearKm) {
		return g.toPlace(rec.place, rec.code), true, true
	}
	if named {
		// A Spanish code whose province agrees with the town: "41001 Sevilla".
		if c, ok := g.esPostal[code[:2]]; ok && kind == 'U' && g.places[i].cc == "ES" &&
			g.places[c].region == g.places[i].region {
			return g.toPlace(g.places[i], code), true, true
		}
		// The words win over a code that does not agree with them.
		return g.placeAt(i), true, true
	}
	return Place{}, false, true
}

// postal finds a ZIP code (kind 'U') or FSA (kind 'F') by binary search
// over its sorted data lines, "U\t78701\t…", and parses that line.
func (g *Gazetteer) postal(kind byte, code string) (postalRec, bool) {
	lines := g.zipLines
	if kind == 'F' {
		lines = g.fsaLines
	}
	at := sort.Search(len(lines), func(i int) bool { return postalCode(lines[i]) >= code })
	if at == len(lines) || postalCode(lines[at]) != code {
		return postalRec{}, false
	}
	rec, err := g.parsePostal(lines[at])
	return rec, err == nil
}

// postalCode is the code of a "U" or "F" data line.
func postalCode(line string) string {
	code, _, _ := strings.Cut(line[2:], "\t")
	return code
}

// parsePostal parses a "U" (ZIP) or "F" (FSA) data line.
func (g *Gazetteer) parsePostal(line string) (postalRec, error) {
	var fields [8]string
	f := splitTabs(line, fields[:0])
	var p place
	var err error
	switch {
	case f[0] == "U" && len(f) >= 8:
		p, err = g.parsePlace([]string{f[4], f[2], f[3], f[5], f[6], f[7]})
	case f[0] == "F" && len(f) >= 7:
		p, err = g.parsePlace([]string{f[3], "CA", f[2], f[4], f[5], f[6]})
	default:
		return postalRec{}, errors.New("bad postal code line")
	}
	return postalRec{place: p, code: f[1]}, err
}

// partsAsQualifiers reports whether every part is a region or country name.
func (g *Gazetteer) partsAsQualifiers(parts []string) ([]qualifier, bool) {
	var qs []qualifier
	for _, p := range parts {
		q, ok := g.qualifierTokens(strings.Fields(p))
		if !ok {
			return nil, false
		}
		qs = append(qs, q...)
	}
	return qs, true
}

func (g *Gazetteer) matchesRec(p place, qs []qualifier) bool {
	for _, q := range qs {
		ok := false
		for _, t := range q.targets {
			if t.cc == p.cc && (t.region < 0 || t.region == p.region) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// Suggest ----------------------------------------------------------------

// Suggest returns up to n places whose name (or a hand-written alias such as
// "Seville" for Sevilla) starts with prefix, most populous first, for an autocomplete list. A
// comma narrows by region or country prefix: "Portland, O" offers Portland,
// Oregon but not Portland, Maine.
func (g *Gazetteer) Suggest(prefix string, n int) []Place {
	if g == nil || n <= 0 || len(prefix) > maxQueryLen || !utf8.ValidString(prefix) {
		return nil
	}
	namePart, qualPart, _ := strings.Cut(prefix, ",")
	key := normalize(namePart)
	if key == "" {
		return nil
	}
	qual := normalize(qualPart)
	g.suggestOnce.Do(g.buildSuggest)

	// better orders places most populous first, then by name.
	better := func(a, b int32) bool {
		pa, pb := &g.places[a], &g.places[b]
		if pa.pop != pb.pop {
			return pa.pop > pb.pop
		}
		if pa.name != pb.name {
			return pa.name < pb.name
		}
		return a < b
	}
	// top holds the best n places so far, best first. A place listed under
	// several keys is skipped if already there; if it was pushed out, it
	// cannot get back in.
	top := make([]int32, 0, min(n, 64))
	lo := sort.Search(len(g.sortedKeys), func(i int) bool { return g.sortedKeys[i].key >= key })
	for _, ks := range g.sortedKeys[lo:] {
		if !strings.HasPrefix(ks.key, key) {
			break
		}
		for _, c := range g.cands[ks.start:ks.end] {
			if c.alt || slices.Contains(top, c.place) {
				continue
			}
			if len(top) == n && !better(c.place, top[n-1]) {
				continue
			}
			if qual != "" && !g.qualPrefixMatches(c.place, qual) {
				continue
			}
			at := sort.Search(len(top), func(i int) bool { return better(c.place, top[i]) })
			if len(top) < n {
				top = append(top, 0)
			}
			copy(top[at+1:], top[at:])
			top[at] = c.place
		}
	}
	out := make([]Place, len(top))
	for i, h := range top {
		out[i] = g.placeAt(h)
	}
	return out
}

// keySpan is a name key with its candidates, for Suggest's sorted index.
type keySpan struct {
	key string
	span
}

// buildSuggest sorts the keys that name a place by its own name or a
// hand-written alias; GeoNames alternate names ("Port Natal" for Durban)
// are too noisy to offer while someone types.
func (g *Gazetteer) buildSuggest() {
	keys := make([]keySpan, 0, len(g.names))
	for k, s := range g.names {
		for _, c := range g.cands[s.start:s.end] {
			if !c.alt {
				keys = append(keys, keySpan{k, s})
				break
			}
		}
	}
	slices.SortFunc(keys, func(a, b keySpan) int { return strings.Compare(a.key, b.key) })
	g.sortedKeys = keys
}

// qualPrefixMatches reports whether the place's region or country starts with
// the (normalised) qualifier prefix, by name or code.
func (g *Gazetteer) qualPrefixMatches(i int32, qual string) bool {
	p := &g.places[i]
	if p.region >= 0 {
		r := &g.regions[p.region]
		if strings.HasPrefix(r.key, qual) || strings.EqualFold(r.code, qual) {
			return true
		}
	}
	return strings.EqualFold(p.cc, qual) || strings.HasPrefix(g.countries[p.cc], qual)
}

// distanceKm is the great-circle distance between two points.
func distanceKm(lat1, lon1, lat2, lon2 float64) float64 {
	const earthRadiusKm = 6371.0
	p1, p2 := lat1*math.Pi/180, lat2*math.Pi/180
	dp, dl := p2-p1, (lon2-lon1)*math.Pi/180
	a := math.Sin(dp/2)*math.Sin(dp/2) + math.Cos(p1)*math.Cos(p2)*math.Sin(dl/2)*math.Sin(dl/2)
	return 2 * earthRadiusKm * math.Asin(math.Min(1, math.Sqrt(a)))
}

// Parsing ------------------------------------------------------------------

// parse builds a Gazetteer from the gzip-compressed data file described in
// tools/gazetteer-gen.
func parse(gz []byte) (*Gazetteer, error) {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, fmt.Errorf("gazetteer: %w", err)
	}
	// One string for the whole file: every field below is a substring of
	// it, so parsing allocates little. The gzip trailer gives its size.
	var sb strings.Builder
	if len(gz) >= 4 {
		sb.Grow(int(binary.LittleEndian.Uint32(gz[len(gz)-4:])))
	}
	if _, err := io.Copy(&sb, zr); err != nil {
		return nil, fmt.Errorf("gazetteer: %w", err)
	}
	data := sb.String()
	if !strings.HasPrefix(data, "#hearth-gazetteer\t1\n") {
		return nil, errors.New("gazetteer: unknown data format")
	}
	// Size everything up front: growing slices and maps is most of the
	// cost of a cold load.
	nPlaces := strings.Count(data, "\nP\t")
	nNames := nPlaces + strings.Count(data, "|")
	g := &Gazetteer{
		countries: map[string]string{},
		regionIdx: map[regionKey]int32{},
		quals:     make(map[string][]qualTarget, 16000),
		places:    make([]place, 0, nPlaces),
		zipLines:  make([]string, 0, strings.Count(data, "\nU\t")),
		fsaLines:  make([]string, 0, strings.Count(data, "\nF\t")),
		esPostal:  map[string]int32{},
	}
	// Name keys are normalised into one buffer and turned into strings
	// together at the end, instead of one allocation per name.
	arena := make([]byte, 0, len(data)/2)
	pending := make([]pendingName, 0, nNames)
	addName := func(name string, c candidate) {
		start := len(arena)
		arena = appendNormalized(arena, name)
		if len(arena) > start {
			pending = append(pending, pendingName{int32(start), int32(len(arena)), c})
		}
	}
	lineNo := 0
	var fields [12]string
	for len(data) > 0 {
		lineNo++
		var line string
		if i := strings.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			line, data = data, ""
		}
		f := splitTabs(line, fields[:0])
		if len(f) == 0 || line == "" || line[0] == '#' {
			continue
		}
		bad := func(what string) error {
			return fmt.Errorf("gazetteer: data line %d (%s): bad %s", lineNo, f[0], what)
		}
		switch f[0] {
		case "D":
			if len(f) < 2 {
				return nil, bad("date")
			}
			g.date = f[1]
		case "T":
			if len(f) < 2 {
				return nil, bad("zone")
			}
			g.zones = append(g.zones, f[1])
		case "C":
			if len(f) < 4 {
				return nil, bad("country")
			}
			cc := f[1]
			t := qualTarget{cc: cc, region: -1}
			g.addQual(strings.ToLower(cc), t)
			g.addQual(strings.ToLower(f[2]), t)
			for j, n := range strings.Split(f[3], "|") {
				k := normalize(n)
				if j == 0 {
					g.countries[cc] = k
				}
				g.addQual(k, t)
			}
		case "R":
			if len(f) < 5 {
				return nil, bad("region")
			}
			idx := int32(len(g.regions))
			key := normalize(f[3])
			g.regions = append(g.regions, region{cc: f[1], code: f[2], name: f[3], key: key})
			g.regionIdx[regionKey{f[1], f[2]}] = idx
			t := qualTarget{cc: f[1], region: idx}
			g.addQual(key, t)
			if f[4] != "" {
				for _, a := range strings.Split(f[4], "|") {
					g.addQual(normalize(a), t)
				}
			}
		case "P":
			if len(f) < 10 {
				return nil, bad("place")
			}
			p, err := g.parsePlace(f[1:7])
			if err != nil {
				return nil, bad(err.Error())
			}
			pop, ok := atoi(f[7])
			if !ok || pop < 0 || pop > math.MaxInt32 {
				return nil, bad("population")
			}
			p.pop = int32(pop)
			idx := int32(len(g.places))
			g.places = append(g.places, p)
			strong := int64(pop)*altPenalty + 1
			addName(p.name, candidate{place: idx, weight: strong})
			for _, list := range []struct {
				s string
				c candidate
			}{{f[8], candidate{place: idx, weight: strong}}, {f[9], candidate{place: idx, alt: true, weight: int64(pop)}}} {
				if list.s == "" {
					continue
				}
				for _, a := range strings.Split(list.s, "|") {
					addName(a, list.c)
				}
			}
		case "U":
			if len(f) < 8 || len(f[1]) != 5 {
				return nil, bad("ZIP")
			}
			if n := len(g.zipLines); n > 0 && postalCode(g.zipLines[n-1]) >= f[1] {
				return nil, bad("ZIP order")
			}
			g.zipLines = append(g.zipLines, line)
		case "F":
			if len(f) < 7 || len(f[1]) != 3 {
				return nil, bad("FSA")
			}
			if n := len(g.fsaLines); n > 0 && postalCode(g.fsaLines[n-1]) >= f[1] {
				return nil, bad("FSA order")
			}
			g.fsaLines = append(g.fsaLines, line)
		case "E":
			if len(f) < 3 {
				return nil, bad("postal prefix")
			}
			i, ok := atoi(f[2])
			if !ok || i < 0 || i >= len(g.places) {
				return nil, bad("postal prefix place")
			}
			g.esPostal[f[1]] = int32(i)
		}
	}
	if g.date == "" || len(g.places) == 0 || len(g.zones) == 0 {
		return nil, errors.New("gazetteer: data file is incomplete")
	}
	g.indexNames(string(arena), pending)
	return g, nil
}

// indexNames builds names and cands from the pending (key, candidate) pairs
// in two passes, so that all candidates share one slice: count the
// candidates of each key, then place each in its key's span.
func (g *Gazetteer) indexNames(keys string, pending []pendingName) {
	type entry struct {
		key int32
		c   candidate
	}
	ids := make(map[string]int32, len(pending)/2)
	counts := make([]int32, 0, len(pending)/2)
	entries := make([]entry, 0, len(pending)+len(pending)/32)
	add := func(key string, c candidate) {
		id, ok := ids[key]
		if !ok {
			id = int32(len(counts))
			ids[key] = id
			counts = append(counts, 0)
		}
		counts[id]++
		entries = append(entries, entry{id, c})
	}
	for _, p := range pending {
		key := keys[p.start:p.end]
		add(key, p.c)
		for _, v := range keyVariants(key) {
			add(v, p.c)
		}
	}
	spans := make([]span, len(counts))
	next := int32(0)
	for id, n := range counts {
		spans[id] = span{next, next}
		next += n
	}
	g.cands = make([]candidate, len(entries))
	for _, e := range entries {
		s := &spans[e.key]
		g.cands[s.end] = e.c
		s.end++
	}
	for i := range spans {
		s := &spans[i]
		if s.end-s.start > 1 {
			c := g.cands[s.start:s.end]
			slices.SortStableFunc(c, func(a, b candidate) int { return cmp.Compare(b.weight, a.weight) })
			s.end = s.start + int32(len(dedupeCandidates(c)))
		}
	}
	g.names = make(map[string]span, len(ids))
	for k, id := range ids {
		g.names[k] = spans[id]
	}
}

// named returns the candidates for a normalised name, heaviest first.
func (g *Gazetteer) named(key string) []candidate {
	s, ok := g.names[key]
	if !ok {
		return nil
	}
	return g.cands[s.start:s.end]
}

// splitTabs splits s at tabs into dst (no allocation while dst has room).
func splitTabs(s string, dst []string) []string {
	for {
		i := strings.IndexByte(s, '\t')
		if i < 0 {
			return append(dst, s)
		}
		dst = append(dst, s[:i])
		s = s[i+1:]
	}
}

// parsePlace reads name, country, admin1, lat, lon (in 1/10,000 degree),
// zone index.
func (g *Gazetteer) parsePlace(f []string) (place, error) {
	lat, ok1 := atoi(f[3])
	lon, ok2 := atoi(f[4])
	if !ok1 || !ok2 || lat < -90e4 || lat > 90e4 || lon < -180e4 || lon > 180e4 {
		return place{}, errors.New("coordinates")
	}
	z, ok := atoi(f[5])
	if !ok || z < 0 || z >= len(g.zones) {
		return place{}, errors.New("zone index")
	}
	r, ok := g.regionIdx[regionKey{f[1], f[2]}]
	if !ok {
		r = -1
	}
	return place{name: f[0], cc: f[1], region: r, zone: uint16(z), lat: float64(lat) / 1e4, lon: float64(lon) / 1e4}, nil
}

// atoi parses a short decimal integer with an optional minus sign.
func atoi(s string) (int, bool) {
	neg := false
	if s != "" && s[0] == '-' {
		neg, s = true, s[1:]
	}
	if s == "" || len(s) > 10 {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	if neg {
		n = -n
	}
	return n, true
}

func (g *Gazetteer) addQual(key string, t qualTarget) {
	if key == "" {
		return
	}
	for _, e := range g.quals[key] {
		if e == t {
			return
		}
	}
	g.quals[key] = append(g.quals[key], t)
}

type regionKey struct{ cc, code string }

// pendingName is a name key (a span of the parse arena) and its candidate.
type pendingName struct {
	start, end int32
	c          candidate
}

// dedupeCandidates keeps the first (heaviest) entry of each place.
func dedupeCandidates(c []candidate) []candidate {
	if len(c) < 2 {
		return c
	}
	out := c[:1]
	for _, x := range c[1:] {
		dup := false
		for _, y := range out {
			if y.place == x.place {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, x)
		}
	}
	return out
}
