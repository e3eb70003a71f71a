package app_test

import (
	"context"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/app"
	"github.com/hearth-org/hearth/internal/sqldb/sqldbtest"
)

func search(t *testing.T, a *app.App, raw string) *hearth.Results {
	t.Helper()
	v, _ := url.ParseQuery(raw)
	s, err := hearth.ParseSearch(v)
	if err != nil {
		t.Fatalf("parse %q: %v", raw, err)
	}
	s.PerPage = hearth.MaxPerPage
	res, err := a.Search(context.Background(), s)
	if err != nil {
		t.Fatalf("search %q: %v", raw, err)
	}
	return res
}

func TestDirectorySearch(t *testing.T) {
	for _, e := range sqldbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			a := demoApp(t, e)
			ctx := context.Background()

			t.Run("grief near Austin lists Austin's grief groups nearest first, then online ones", func(t *testing.T) {
				res := search(t, a, "q=grief&place=Austin&sort=distance")
				if res.Place == "" || res.Near == nil {
					t.Fatal("Austin was not resolved to a place")
				}
				local, remote, lastDist, sawRemote := 0, 0, -1.0, false
				for _, h := range res.Hits {
					g := h.Group
					v, err := a.Group(ctx, hearth.Anonymous, g.Slug)
					if err != nil {
						t.Fatal(err)
					}
					if !slices.ContainsFunc(g.Topics, isGrief) && !containsFold(g.Name+" "+g.Description+" "+g.WhatToExpect+" "+v.Organization.Name, "grief") {
						t.Errorf("%s does not look like a grief group: %v", g.Slug, g.Topics)
					}
					if g.Format.Remote() {
						remote++
						sawRemote = true
						if h.DistanceKm != nil {
							t.Errorf("online group %s shows a distance", g.Slug)
						}
						continue
					}
					if sawRemote {
						t.Errorf("local group %s listed after online ones", g.Slug)
					}
					local++
					if h.DistanceKm == nil || *h.DistanceKm > hearth.DefaultRadiusKm+0.01 || *h.DistanceKm < lastDist {
						t.Errorf("%s distance %v out of order or range", g.Slug, h.DistanceKm)
					} else {
						lastDist = *h.DistanceKm
					}
				}
				if local < 2 || remote < 3 {
					t.Fatalf("local %d, remote %d: want at least 2 in Austin and 3 online", local, remote)
				}
			})
			t.Run("excluding remote groups leaves only groups with a venue", func(t *testing.T) {
				for _, h := range search(t, a, "q=grief&place=Austin&remote=exclude").Hits {
					if !h.Group.Format.HasPlace() {
						t.Errorf("%s is %s", h.Group.Slug, h.Group.Format)
					}
				}
			})
			t.Run("a Spanish word finds groups through the bilingual taxonomy", func(t *testing.T) {
				en := search(t, a, "topic=grief")
				es := search(t, a, "q=duelo")
				if es.Total == 0 || es.Total > en.Total+5 {
					t.Fatalf("duelo found %d, grief topic %d", es.Total, en.Total)
				}
			})
			t.Run("accents and case do not matter", func(t *testing.T) {
				a1, a2 := search(t, a, "q=cáncer"), search(t, a, "q=CANCER")
				if a1.Total == 0 || a1.Total != a2.Total {
					t.Fatalf("cáncer %d vs CANCER %d", a1.Total, a2.Total)
				}
			})
			t.Run("a parent topic includes its children", func(t *testing.T) {
				for _, h := range search(t, a, "topic=addiction").Hits {
					if !slices.ContainsFunc(h.Group.Topics, func(s string) bool {
						tp, _ := hearth.LookupTopic(s)
						return s == "addiction" || tp.Parent == "addiction"
					}) {
						t.Errorf("%s topics %v", h.Group.Slug, h.Group.Topics)
					}
				}
			})
			t.Run("accepting now keeps open groups and closed ones enrolling now", func(t *testing.T) {
				res := search(t, a, "accepting=1&policy=closed")
				for _, h := range res.Hits {
					if !h.Group.AcceptingAt(fixedNow) {
						t.Errorf("%s is not accepting", h.Group.Slug)
					}
				}
				all := search(t, a, "policy=closed")
				if res.Total == 0 || res.Total >= all.Total {
					t.Fatalf("accepting closed %d of %d closed: the demo should have both kinds", res.Total, all.Total)
				}
			})
			t.Run("day and time are read in the viewer's zone", func(t *testing.T) {
				zone := "Europe/Madrid"
				loc, _ := time.LoadLocation(zone)
				res := search(t, a, "day=tue&from=18:00&to=21:00&tz="+zone)
				for _, h := range res.Hits {
					n := h.NextMeeting.In(loc)
					m := n.Hour()*60 + n.Minute()
					if n.Weekday() != time.Tuesday || m < 18*60 || m > 21*60 {
						t.Errorf("%s meets %s in Madrid", h.Group.Slug, n.Format("Mon 15:04"))
					}
				}
			})
			t.Run("only listed groups are in the directory", func(t *testing.T) {
				for _, h := range search(t, a, "per_page=100").Hits {
					if h.Group.Visibility != hearth.Listed {
						t.Errorf("%s is %s", h.Group.Slug, h.Group.Visibility)
					}
				}
			})
			t.Run("an unknown place says what to type instead", func(t *testing.T) {
				_, err := a.Search(ctx, hearth.Search{Place: "Atlantis Under The Sea", Page: 1, PerPage: 10, From: -1, To: -1})
				e := hearth.AsError(err)
				if e == nil || e.Kind != hearth.Invalid || e.Fields[0].Field != "place" {
					t.Fatalf("got %v", err)
				}
			})
			t.Run("pages partition the results", func(t *testing.T) {
				var seen []string
				total := 0
				for p := 1; p <= 4; p++ {
					v := url.Values{"sort": {"name"}, "per_page": {"10"}, "page": {itoa(p)}}
					s, _ := hearth.ParseSearch(v)
					res, err := a.Search(ctx, s)
					if err != nil {
						t.Fatal(err)
					}
					total = res.Total
					for _, h := range res.Hits {
						if slices.Contains(seen, h.Group.Slug) {
							t.Fatalf("%s on two pages", h.Group.Slug)
						}
						seen = append(seen, h.Group.Slug)
					}
				}
				if len(seen) != min(40, total) {
					t.Fatalf("saw %d of %d", len(seen), total)
				}
			})
		})
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func isGrief(s string) bool {
	t, _ := hearth.LookupTopic(s)
	return s == "grief" || t.Parent == "grief"
}

func containsFold(s, sub string) bool { return strings.Contains(strings.ToLower(s), sub) }
