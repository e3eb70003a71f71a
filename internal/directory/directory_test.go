package directory

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/hearth-org/hearth"
)

var now = time.Date(2026, 11, 24, 15, 0, 0, 0, time.UTC) // a Tuesday

func group(id int64, mod func(g *hearth.Group)) *hearth.Group {
	g := &hearth.Group{ID: id, Name: fmt.Sprintf("Group %03d", id), Topics: []string{"grief"}, Format: hearth.InPerson,
		Leadership: hearth.PeerLed, Policy: hearth.Open, Visibility: hearth.Listed, Cost: hearth.Cost{Kind: hearth.Free},
		Audience: hearth.Audience{AgeBand: "all", Gender: "any", Languages: []string{"en"}},
		Location: hearth.Location{Lat: 30.2672, Lon: -97.7431, HasPoint: true, TimeZone: "America/Chicago"},
		Schedule: hearth.Schedule{Weekday: time.Tuesday, Start: 19 * 60, Duration: 90}}
	if mod != nil {
		mod(g)
	}
	return g
}

func ids(ms []Match) []int64 {
	var out []int64
	for _, m := range ms {
		out = append(out, m.ID)
	}
	return out
}

func TestSearch(t *testing.T) {
	ix := New()
	austin := &hearth.Point{Lat: 30.27, Lon: -97.74}
	ix.Put(group(1, nil), map[string]int{"grief": 5, "austin": 2}, now)
	ix.Put(group(2, func(g *hearth.Group) {
		g.Location.Lat, g.Location.Lon = 32.7767, -96.7970 // Dallas
		g.Schedule.Weekday = time.Thursday
	}), map[string]int{"grief": 5, "dalla": 2}, now)
	ix.Put(group(3, func(g *hearth.Group) {
		g.Format, g.Topics, g.Location.Approximate = hearth.Online, []string{"cancer"}, true
		g.Location.Lat, g.Location.Lon = 40.7, -74.0
	}), map[string]int{"cancer": 8}, now)
	ix.Put(group(4, func(g *hearth.Group) { g.Visibility = hearth.Unlisted }), map[string]int{"grief": 5}, now)
	ix.Put(group(5, func(g *hearth.Group) {
		g.Policy = hearth.Closed
		g.Enrollment = &hearth.Enrollment{Cap: 2, Opens: now.Add(-time.Hour), Closes: now.Add(time.Hour), Starts: now.Add(48 * time.Hour), Sessions: 8}
		g.Audience.Languages = []string{"es"}
		g.Accessibility = []string{"wheelchair", "hearing_loop"}
		g.Schedule = hearth.Schedule{Weekday: time.Saturday, Start: 10 * 60, Duration: 60}
	}), map[string]int{"duelo": 8, "grief": 5}, now)

	cases := []struct {
		name  string
		q     Query
		want  []int64
		total int
	}{
		{"unlisted groups are never found", Query{Sort: hearth.SortName}, []int64{1, 2, 3, 5}, 4},
		{"text needs every word", Query{Words: [][]string{{"grief"}, {"austin"}}}, []int64{1}, 1},
		{"a word with no match finds nothing", Query{Words: [][]string{{"grief"}, {"nowhere"}}}, nil, 0},
		{"a word matches through any of its stems", Query{Words: [][]string{{"duel", "duelo"}}}, []int64{5}, 1},
		{"relevance orders by summed weight", Query{Words: [][]string{{"grief", "duelo"}}}, []int64{5, 1, 2}, 3},
		{"near Austin: the venue there and the online group, not Dallas", Query{Near: austin, RadiusKm: 50, Sort: hearth.SortDistance}, []int64{1, 5, 3}, 3},
		{"excluding remote groups leaves the venues", Query{Near: austin, RadiusKm: 50, ExcludeRemote: true}, []int64{1, 5}, 2},
		{"a wide radius reaches Dallas, nearest first", Query{Near: austin, RadiusKm: 400, ExcludeRemote: true, Sort: hearth.SortDistance}, []int64{1, 5, 2}, 3},
		{"a parent topic's children are matched when expanded", Query{Topics: hearth.ExpandTopics([]string{"chronic-illness"})}, []int64{3}, 1},
		{"format", Query{Formats: []hearth.Format{hearth.Online}}, []int64{3}, 1},
		{"language", Query{Languages: []string{"es"}}, []int64{5}, 1},
		{"accessibility needs every feature", Query{Access: []string{"wheelchair", "hearing_loop"}}, []int64{5}, 1},
		{"a missing feature excludes", Query{Access: []string{"wheelchair", "captioning"}}, nil, 0},
		{"an unknown feature excludes rather than matching all", Query{Access: []string{"teleport"}}, nil, 0},
		{"accepting now keeps open groups and closed ones enrolling", Query{AcceptingAt: now, Sort: hearth.SortName}, []int64{1, 2, 3, 5}, 4},
		{"closed only", Query{Policy: hearth.Closed}, []int64{5}, 1},
		{"Saturday morning in UTC", Query{Windows: [][2]int{{6*1440 + 15*60, 6*1440 + 17*60}}}, []int64{5}, 1},
		{"soonest from Tuesday afternoon: Tuesday evening first", Query{Sort: hearth.SortSoonest, Now: now}, []int64{1, 3, 2, 5}, 4},
		{"paging keeps the total", Query{Sort: hearth.SortName, Limit: 1, Offset: 1}, []int64{2}, 4},
		{"past the last page the total is still right", Query{Sort: hearth.SortName, Limit: 10, Offset: 10}, nil, 4},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.q.Now.IsZero() {
				c.q.Now = now
			}
			got, total := ix.Search(c.q)
			if !reflect.DeepEqual(ids(got), c.want) || total != c.total {
				t.Fatalf("got %v (total %d), want %v (total %d)", ids(got), total, c.want, c.total)
			}
		})
	}
	t.Run("a closed group with every seat taken is no longer accepting", func(t *testing.T) {
		g := group(5, func(g *hearth.Group) {
			g.Policy = hearth.Closed
			g.Enrollment = &hearth.Enrollment{Cap: 2, Opens: now.Add(-time.Hour), Closes: now.Add(time.Hour), Sessions: 8}
			g.ActiveMembers = 2
		})
		ix.Put(g, nil, now)
		got, _ := ix.Search(Query{AcceptingAt: now, Policy: hearth.Closed})
		if len(got) != 0 {
			t.Fatalf("%v", ids(got))
		}
		if got, _ := ix.Search(Query{Words: [][]string{{"duelo"}}}); len(got) != 1 {
			t.Fatal("putting attributes only lost the group's terms")
		}
	})
	t.Run("replacing a group's terms drops the old ones", func(t *testing.T) {
		ix.Put(group(1, nil), map[string]int{"renamed": 8}, now)
		if got, _ := ix.Search(Query{Words: [][]string{{"austin"}}}); len(got) != 0 {
			t.Fatalf("old term still finds %v", ids(got))
		}
		ix.Remove(1)
		if got, _ := ix.Search(Query{Words: [][]string{{"renamed"}}}); len(got) != 0 || ix.Len() != 4 {
			t.Fatal("removed group still found")
		}
	})
}

func TestDaylightSavingMovesMeetingsInUTC(t *testing.T) {
	ix := New()
	summer := time.Date(2026, 7, 1, 12, 0, 0, 0, time.UTC)
	winter := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	ix.Put(group(1, nil), nil, summer) // Tuesday 19:00 Chicago = Wednesday 00:00 UTC in summer
	window := func(at time.Time) []int64 {
		got, _ := ix.Search(Query{Windows: [][2]int{{3 * 1440, 3*1440 + 30}}, Now: at})
		return ids(got)
	}
	if got := window(summer); len(got) != 1 {
		t.Fatalf("summer: %v", got)
	}
	if moved := ix.RefreshTimes(winter); moved != 1 {
		t.Fatalf("moved %d", moved)
	}
	if got := window(winter); len(got) != 0 {
		t.Fatalf("winter: the meeting is now 01:00 UTC Wednesday, got %v", got)
	}
}

// TestSelectTopAgreesWithAFullSort checks the bounded heap against sorting
// everything, on random candidates with many ties.
func TestSelectTopAgreesWithAFullSort(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	ix := New()
	for trial := range 200 {
		n := r.IntN(300)
		cands := make([]candidate, n)
		for i := range cands {
			cands[i] = candidate{d: &doc{id: int64(i), remote: r.IntN(4) == 0, name: fmt.Sprint(r.IntN(20))}, score: r.IntN(5), dot: float64(r.IntN(5)), soon: r.IntN(50)}
		}
		for _, sort := range hearth.Sorts {
			q := Query{Sort: sort, Near: &hearth.Point{}}
			less := ix.order(q)
			want := slices.Clone(cands)
			slices.SortFunc(want, func(a, b candidate) int { return cmp(&a, &b, less) })
			k := r.IntN(n + 2)
			got := selectTop(slices.Clone(cands), k, less)
			want = want[:min(k, n)]
			for i := range want {
				if got[i].d.id != want[i].d.id {
					t.Fatalf("trial %d sort %s k %d: position %d is %d, want %d", trial, sort, k, i, got[i].d.id, want[i].d.id)
				}
			}
		}
	}
}

func TestConcurrentSearchAndWrites(t *testing.T) {
	ix := New()
	for i := range 500 {
		ix.Put(group(int64(i+1), nil), map[string]int{"grief": 5}, now)
	}
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := range 200 {
				if w%2 == 0 {
					ix.Put(group(int64(i+1), nil), map[string]int{"grief": 5, "extra": 1}, now)
				} else if _, total := ix.Search(Query{Words: [][]string{{"grief"}}, Now: now}); total != 500 {
					t.Errorf("total %d", total)
				}
			}
		})
	}
	wg.Wait()
}

func BenchmarkSearch(b *testing.B) {
	ix := New()
	r := rand.New(rand.NewPCG(3, 4))
	topics := hearth.Topics()
	words := []string{"grief", "cancer", "recoveri", "anxieti", "duelo", "caregiv", "parent", "loss", "depress", "alcohol"}
	for i := range 100_000 {
		g := group(int64(i+1), func(g *hearth.Group) {
			g.Topics = []string{topics[r.IntN(len(topics))].Slug}
			g.Location.Lat, g.Location.Lon = 25+r.Float64()*24, -124+r.Float64()*57
			if r.IntN(4) == 0 {
				g.Format = hearth.Online
			}
			g.Schedule.Weekday = time.Weekday(r.IntN(7))
		})
		terms := map[string]int{}
		for range 40 {
			terms[fmt.Sprintf("w%d", r.IntN(5000))] = 1
		}
		terms[words[r.IntN(len(words))]] = 5
		ix.Put(g, terms, now)
	}
	austin := &hearth.Point{Lat: 30.27, Lon: -97.74}
	for _, c := range []struct {
		name string
		q    Query
	}{
		{"text+filters+geo", Query{Words: [][]string{{"grief"}}, Formats: []hearth.Format{hearth.InPerson, hearth.Online}, Languages: []string{"en"},
			Near: austin, RadiusKm: 50, Sort: hearth.SortRelevance, Now: now, Limit: 20}},
		{"geo by distance", Query{Near: austin, RadiusKm: 50, Sort: hearth.SortDistance, Now: now, Limit: 20}},
		{"browse page 3 by soonest", Query{Sort: hearth.SortSoonest, Now: now, Limit: 20, Offset: 40}},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				ix.Search(c.q)
			}
		})
	}
}
