// Package bench measures Hearth's directory search on a realistic directory
// of 100,000 groups, on SQLite and on PostgreSQL. Everything heavy is a
// benchmark, which `go test ./...` does not run; see README.md and run.sh.
package bench

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/url"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/app"
	"github.com/hearth-org/hearth/internal/password"
	"github.com/hearth-org/hearth/internal/sqldb"
	"github.com/hearth-org/hearth/internal/vault"
)

// The words people type, one or two at a time: topics and the words around
// them, in English and Spanish, as typed (accents or not, plurals), and a
// few that match nothing.
var (
	wordsEN = []string{
		"grief", "cancer", "anxiety", "depression", "alcohol", "caregivers", "dementia", "ptsd", "bipolar",
		"diabetes", "widow", "sobriety", "gambling", "chronic pain", "eating disorders", "autism", "lgbtq",
		"trans", "parkinson", "postpartum", "stress", "loneliness", "suicide loss", "breast cancer", "pet loss",
		"veterans ptsd", "alzheimer caregivers", "opioids", "smoking", "self-esteem", "panic attacks",
		"loss of a parent", "hiv", "multiple sclerosis", "heart disease", "fibromyalgia", "burnout",
		"codependency", "miscarriage", "grief mothers", "recovery", "drinking", "social anxiety", "trauma",
		"divorce", "insomnia",
	}
	wordsES = []string{
		"duelo", "cáncer", "ansiedad", "depresion", "alcohol", "cuidadores", "salud mental", "adicciones",
		"pérdida hijo", "viuda", "autoestima", "dolor crónico", "diabetes", "familias adicción", "apuestas",
		"tristeza", "soledad", "trastorno bipolar", "demencia", "duelo suicidio",
	}
)

// filterSets are the filters people tick, one to three at a time.
var filterSets = []string{
	"format=online", "format=in_person", "format=in_person&format=hybrid", "format=phone",
	"language=en", "language=es", "accepting=1", "day=mon", "day=tue&day=thu", "day=sat&day=sun",
	"from=17:00&to=21:00", "from=09:00&to=12:00", "policy=open", "policy=closed&accepting=1",
	"leadership=peer_led", "leadership=professional_led", "cost=free", "cost=free&cost=donation",
	"age=young_adults", "age=older_adults", "gender=women", "community=veterans", "community=lgbtq",
	"community=parents", "access=wheelchair", "access=wheelchair&access=parking", "topic=grief",
	"topic=addiction",
}

// Postal codes and small towns people also type.
var extraPlaces = []string{"10001", "60601", "90012", "78701", "77002", "94103", "98101", "M5V", "28013, España",
	"Flagstaff, Arizona", "Burlington, Vermont", "Salamanca", "Ithaca, New York", "Cuernavaca"}

// class is one kind of directory query and its fixed list of queries.
type class struct {
	name    string
	queries []string // URL query strings, as the page and the API take them
}

const queriesPerClass = 64

// queryClasses builds the query lists: the same on every run and engine.
func queryClasses(gen *generator) []class {
	r := rand.New(rand.NewPCG(genSeed, 7))
	// Places, as searched: more searches come from big cities.
	var enPlaces, esPlaces []string
	pickPlaces := func(idx []int, n int) []string {
		var ws []float64
		for _, i := range idx {
			ws = append(ws, gen.cities[i].weight)
		}
		var out []string
		for len(out) < n {
			q := gen.cities[idx[newWeighted(ws).pick(r)]].query
			if !slices.Contains(out, q) {
				out = append(out, q)
			}
		}
		return out
	}
	enPlaces = append(pickPlaces(gen.enIdx, 40), extraPlaces[:10]...)
	esPlaces = append(pickPlaces(gen.esIdx, 16), extraPlaces[10:]...)
	esPlaces = append(esPlaces, "Los Angeles, California", "Houston, Texas", "Miami, Florida", "San Antonio, Texas", "Chicago, Illinois")

	word := func(i int) (w string, es bool) {
		if i%4 == 3 {
			return wordsES[(i/4)%len(wordsES)], true
		}
		return wordsEN[(i-i/4)%len(wordsEN)], false
	}
	place := func(es bool) string {
		if es {
			return oneOf(r, esPlaces)
		}
		return oneOf(r, enPlaces)
	}
	filters := func() string {
		k := 1 + r.IntN(3)
		var fs []string
		for len(fs) < k {
			f := oneOf(r, filterSets)
			// One value set per parameter: "policy=open" and
			// "policy=closed" do not go together.
			if !slices.ContainsFunc(fs, func(s string) bool { return sharesKey(s, f) }) {
				fs = append(fs, f)
			}
		}
		return strings.Join(fs, "&")
	}
	radius := func() string { return fmt.Sprint(oneOf(r, []int{25, 30, 40, 50})) }
	v := func(kv ...string) string {
		q := url.Values{}
		for i := 0; i < len(kv); i += 2 {
			if kv[i+1] != "" {
				q.Add(kv[i], kv[i+1])
			}
		}
		return q.Encode()
	}
	join := func(a, b string) string {
		if b == "" {
			return a
		}
		return a + "&" + b
	}

	var cs []class
	add := func(name string, f func(i int) string) {
		c := class{name: name}
		for i := range queriesPerClass {
			c.queries = append(c.queries, f(i))
		}
		cs = append(cs, c)
	}
	add("text", func(i int) string { w, _ := word(i); return v("q", w) })
	add("text+filters", func(i int) string {
		w, es := word(i)
		f := filters()
		if es && chance(r, 0.5) && !strings.Contains(f, "language") {
			f += "&language=es"
		}
		return join(v("q", w), f)
	})
	add("text+geo", func(i int) string { w, es := word(i); return v("q", w, "place", place(es), "radius_km", radius()) })
	add("text+filters+geo", func(i int) string {
		w, es := word(i)
		return join(v("q", w, "place", place(es), "radius_km", radius()), filters())
	})
	add("geo-by-distance", func(i int) string {
		q := v("place", place(i%4 == 3), "radius_km", radius(), "sort", "distance")
		if i%2 == 1 {
			q += "&remote=exclude"
		}
		return q
	})
	topics := hearth.Topics()
	add("browse-p3-soonest", func(i int) string {
		var facet string
		switch {
		case i < len(topics):
			facet = "topic=" + topics[i].Slug
		case i == len(topics):
			facet = ""
		default:
			facet = filters()
		}
		return join("sort=soonest&page=3", facet)
	})
	return cs
}

// sharesKey reports whether two filter strings set a parameter in common.
func sharesKey(a, b string) bool {
	va, _ := url.ParseQuery(a)
	vb, _ := url.ParseQuery(b)
	for k := range va {
		if _, ok := vb[k]; ok {
			return true
		}
	}
	return false
}

// parsed is a query ready to run.
type parsed struct {
	raw string
	s   hearth.Search
}

func parseQueries(tb testing.TB, raws []string) []parsed {
	var out []parsed
	for _, raw := range raws {
		v, err := url.ParseQuery(raw)
		if err != nil {
			tb.Fatalf("query %q: %v", raw, err)
		}
		s, err := hearth.ParseSearch(v)
		if err != nil {
			tb.Fatalf("query %q: %v", raw, err)
		}
		out = append(out, parsed{raw: raw, s: s})
	}
	return out
}

func newApp(tb testing.TB, db *sqldb.DB) *app.App {
	gaz, err := loadGazetteer()
	if err != nil {
		tb.Fatal(err)
	}
	// Search never seals anything, but the app needs a vault.
	v, _, err := vault.OpenFile(context.Background(), db, filepath.Join(tb.TempDir(), "master.key"), true, vault.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	a, err := app.New(app.Config{DB: db, Gazetteer: gaz, Now: benchClock, Vault: v,
		PasswordParams: password.Params{Memory: 1024, Time: 1, Threads: 1}})
	if err != nil {
		tb.Fatal(err)
	}
	return a
}

// BenchmarkDirectorySearch runs each query class on each engine through
// app.Search, one query per iteration, round-robin over the class's fixed
// list, and reports latency percentiles. The first run generates and loads
// the directory (minutes); later runs reuse it.
func BenchmarkDirectorySearch(b *testing.B) {
	n := benchGroups(b)
	version := dataVersion(b)
	gaz, err := loadGazetteer()
	if err != nil {
		b.Fatal(err)
	}
	classes := queryClasses(newGenerator(n, gaz))
	for _, engine := range []sqldb.Engine{sqldb.SQLite, sqldb.Postgres} {
		b.Run(string(engine), func(b *testing.B) {
			var e *env
			if engine == sqldb.SQLite {
				e = openSQLite(b, n, version)
			} else {
				e = openPostgres(b, n, version)
			}
			// On stdout: a parent benchmark's log is not printed.
			fmt.Printf("# %s: %d groups in %s: %s\n", engine, n, e.where, e.load)
			a := newApp(b, e.db)
			for _, c := range classes {
				qs := parseQueries(b, c.queries)
				b.Run(c.name, func(b *testing.B) { runClass(b, a, qs) })
			}
		})
	}
}

// runClass times app.Search over the queries, round-robin.
func runClass(b *testing.B, a *app.App, qs []parsed) {
	ctx := context.Background()
	// Warm up: every query once, as a server that has been up a while.
	for _, q := range qs {
		if _, err := a.Search(ctx, q.s); err != nil {
			b.Fatalf("%s: %v", q.raw, err)
		}
	}
	lat := make([]time.Duration, 0, 4096)
	perQuery := make([][]time.Duration, len(qs))
	results := 0
	cpu0 := cpuTime()
	for i := 0; b.Loop(); i++ {
		q := qs[i%len(qs)]
		t0 := time.Now()
		res, err := a.Search(ctx, q.s)
		d := time.Since(t0)
		if err != nil {
			b.Fatalf("%s: %v", q.raw, err)
		}
		lat = append(lat, d)
		perQuery[i%len(qs)] = append(perQuery[i%len(qs)], d)
		results += res.Total
	}
	cpu := cpuTime() - cpu0
	if len(lat) == 0 {
		return
	}
	slices.Sort(lat)
	ms := func(d time.Duration) float64 { return float64(d) / 1e6 }
	b.ReportMetric(ms(percentile(lat, 50)), "p50-ms")
	b.ReportMetric(ms(percentile(lat, 90)), "p90-ms")
	b.ReportMetric(ms(percentile(lat, 99)), "p99-ms")
	b.ReportMetric(ms(lat[len(lat)-1]), "max-ms")
	b.ReportMetric(float64(results)/float64(len(lat)), "results/op")
	if cpu > 0 {
		// This process's CPU: all of SQLite's work, only the client's
		// for PostgreSQL. Less sensitive than latency to a busy machine.
		b.ReportMetric(ms(cpu)/float64(len(lat)), "cpu-ms/op")
	}

	// The slowest queries by median, to know where to look.
	type slow struct {
		raw string
		p50 time.Duration
	}
	var ss []slow
	for i, ds := range perQuery {
		if len(ds) == 0 {
			continue
		}
		slices.Sort(ds)
		ss = append(ss, slow{qs[i].raw, percentile(ds, 50)})
	}
	sort.Slice(ss, func(i, j int) bool { return ss[i].p50 > ss[j].p50 })
	var top []string
	for _, s := range ss[:min(3, len(ss))] {
		top = append(top, fmt.Sprintf("%.1f ms  %s", ms(s.p50), s.raw))
	}
	b.Logf("slowest queries (median): \n\t%s", strings.Join(top, "\n\t"))
}

// percentile returns the p-th percentile of sorted durations (nearest rank).
func percentile(sorted []time.Duration, p float64) time.Duration {
	k := int(float64(len(sorted))*p/100+0.999999) - 1
	return sorted[max(0, min(k, len(sorted)-1))]
}
