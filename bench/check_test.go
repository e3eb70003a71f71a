package bench

// Quick checks that `go test ./...` runs: the generator makes valid,
// deterministic groups, its copy of the app's indexing stores the same
// terms as app.CreateGroup, and every benchmark query parses and resolves.

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/hearth-org/hearth/internal/app"
	"github.com/hearth-org/hearth/internal/terms"
)

func TestGeneratorMakesValidDeterministicGroups(t *testing.T) {
	gaz, err := loadGazetteer()
	if err != nil {
		t.Fatal(err)
	}
	const n = 3000
	a, b := newGenerator(n, gaz), newGenerator(n, gaz)
	if len(a.cities) < numCities*9/10 {
		t.Fatalf("only %d cities picked", len(a.cities))
	}
	count := map[string]int{}
	slugs := map[string]bool{}
	grief := 0
	for i := range n {
		ga, gb := a.group(i), b.group(i)
		if !reflect.DeepEqual(ga.g, gb.g) || ga.org.key != gb.org.key {
			t.Fatalf("group %d differs between two runs", i)
		}
		g := &ga.g
		g.Normalize()
		if err := g.Validate(); err != nil {
			t.Fatalf("group %d (%s) is invalid: %v", i, g.Slug, describe(err))
		}
		if slugs[g.Slug] {
			t.Fatalf("slug %s repeats", g.Slug)
		}
		slugs[g.Slug] = true
		count["lang "+langOf(g.Audience.Languages)]++
		count["format "+string(g.Format)]++
		if g.Format.Remote() {
			count["remote"]++
		}
		count["policy "+string(g.Policy)]++
		count["visibility "+string(g.Visibility)]++
		count["cost "+string(g.Cost.Kind)]++
		count["country "+g.Location.Country]++
		if _, ok := app.IndexTerms(g, ga.org.name)[terms.Query("grief")[0].Stems[0]]; ok {
			grief++
		}
	}
	pct := func(k string) float64 { return 100 * float64(count[k]) / n }
	var lines []string
	for _, k := range slices.Sorted(maps.Keys(count)) {
		lines = append(lines, fmt.Sprintf("%s %.1f%%", k, pct(k)))
	}
	t.Logf("%d groups, %d organizations: %s; \"grief\" matches %.1f%%", n, len(a.orgs), strings.Join(lines, ", "), 100*float64(grief)/n)
	for k, want := range map[string]float64{"lang en": 70, "lang es": 25, "lang both": 5, "remote": 25} {
		if got := pct(k); got < want-3 || got > want+3 {
			t.Errorf("%s: %.1f%%, want about %.0f%%", k, got, want)
		}
	}
	if g := 100 * float64(grief) / n; g < 2 || g > 12 {
		t.Errorf("\"grief\" matches %.1f%% of groups, want a few percent", g)
	}
}

func TestBenchQueriesParseAndResolve(t *testing.T) {
	gaz, err := loadGazetteer()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range queryClasses(newGenerator(1000, gaz)) {
		if len(c.queries) < 50 {
			t.Errorf("%s: %d queries, want at least 50", c.name, len(c.queries))
		}
		if d := len(slices.Compact(slices.Sorted(slices.Values(c.queries)))); d < 50 {
			t.Errorf("%s: only %d different queries", c.name, d)
		}
		for _, p := range parseQueries(t, c.queries) {
			if p.s.Place != "" {
				if _, ok := gaz.Lookup(p.s.Place); !ok {
					t.Errorf("%s: place %q does not resolve", c.name, p.s.Place)
				}
			}
		}
	}
}
