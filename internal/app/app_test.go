package app_test

import (
	"context"
	"fmt"
	"net/url"
	"path/filepath"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/app"
	"github.com/hearth-org/hearth/internal/gazetteer"
	"github.com/hearth-org/hearth/internal/password"
	"github.com/hearth-org/hearth/internal/sqldb"
	"github.com/hearth-org/hearth/internal/sqldb/sqldbtest"
	"github.com/hearth-org/hearth/internal/vault"
)

// fixedNow is a Tuesday in November: the demo's enrollment windows are
// placed relative to it, so results do not drift with the calendar.
var fixedNow = time.Date(2026, 11, 24, 15, 0, 0, 0, time.UTC)

var loadGazetteer = sync.OnceValues(gazetteer.Load)

func newApp(t testing.TB, e sqldb.Engine) *app.App {
	t.Helper()
	db := sqldbtest.Open(t, e, sqldbtest.Options{Now: func() time.Time { return fixedNow }})
	gaz, err := loadGazetteer()
	if err != nil {
		t.Fatal(err)
	}
	v, _, err := vault.OpenFile(context.Background(), db, filepath.Join(t.TempDir(), "master.key"), true, vault.Options{})
	if err != nil {
		t.Fatal(err)
	}
	a, err := app.New(app.Config{DB: db, Gazetteer: gaz, Vault: v, Now: func() time.Time { return fixedNow },
		PasswordParams: password.Params{Memory: 1024, Time: 1, Threads: 1}})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func demoApp(t testing.TB, e sqldb.Engine) *app.App {
	t.Helper()
	a := newApp(t, e)
	loaded, err := a.LoadDemo(context.Background())
	if err != nil || !loaded {
		t.Fatalf("load demo: %v %v", loaded, err)
	}
	return a
}

// directoryQueries are the searches the contract test runs on both engines:
// text, every kind of filter, places, radii, sorts and pages.
var directoryQueries = []string{
	"",
	"q=grief",
	"q=duelo",
	"q=cancer",
	"q=cáncer&language=es",
	"q=alcohol",
	"q=caregivers+dementia",
	"q=anxiety&format=online",
	"q=grief&place=Austin",
	"q=grief&place=Austin&format=online",
	"place=Austin&sort=distance",
	"place=78701&radius_km=25&remote=exclude",
	"place=Madrid&sort=distance&language=es",
	"place=Mexico+City&radius=100",
	"place=Toronto&remote=exclude&sort=distance",
	"place=London&radius_mi=30&unit=mi",
	"near=30.2672,-97.7431&radius_km=10",
	"near=40.4168,-3.7038&radius_km=50&sort=soonest",
	"topic=mental-health",
	"topic=addiction&policy=open",
	"topic=grief&format=in_person&format=hybrid",
	"policy=closed",
	"policy=closed&accepting=1",
	"accepting=1&sort=name",
	"leadership=professional_led&cost=free",
	"leadership=peer_led&cost=donation&cost=fee",
	"language=es&sort=soonest",
	"age=teens",
	"gender=women",
	"community=veterans",
	"access=wheelchair",
	"access=wheelchair&access=hearing_loop",
	"day=tue&day=thu",
	"day=sat&from=09:00&to=13:00&tz=America/Chicago",
	"from=18:00&to=21:00&tz=Europe/Madrid",
	"from=22:00&to=02:00&tz=America/Los_Angeles",
	"format=phone",
	"sort=name&per_page=7&page=2",
	"sort=soonest&per_page=5&page=3",
	"q=support+group",
	"q=nothingmatchesthisword",
}

type hitSummary struct {
	Slug     string
	Distance string
	Next     time.Time
}

func summarize(t *testing.T, a *app.App, raw string) ([]hitSummary, int) {
	t.Helper()
	v, err := url.ParseQuery(raw)
	if err != nil {
		t.Fatal(err)
	}
	s, err := hearth.ParseSearch(v)
	if err != nil {
		t.Fatalf("parse %q: %v", raw, err)
	}
	res, err := a.Search(context.Background(), s)
	if err != nil {
		t.Fatalf("search %q: %v", raw, err)
	}
	var out []hitSummary
	for _, h := range res.Hits {
		d := ""
		if h.DistanceKm != nil {
			d = fmt.Sprintf("%.3f", *h.DistanceKm)
		}
		out = append(out, hitSummary{Slug: h.Group.Slug, Distance: d, Next: h.NextMeeting})
	}
	return out, res.Total
}

// TestDirectoryContractBothEngines runs every directory query on SQLite and
// on PostgreSQL over the same demo directory and requires the same groups,
// in the same order, with the same totals and distances.
func TestDirectoryContractBothEngines(t *testing.T) {
	engines := sqldbtest.Engines()
	if len(engines) < 2 {
		t.Skip("HEARTH_TEST_DATABASE_URL is not set: the PostgreSQL half of the contract runs in scripts/test.sh")
	}
	lite, pg := demoApp(t, sqldb.SQLite), demoApp(t, sqldb.Postgres)
	nonEmpty := 0
	for _, q := range directoryQueries {
		t.Run("query "+q+" gives the same groups on both engines", func(t *testing.T) {
			a, at := summarize(t, lite, q)
			b, bt := summarize(t, pg, q)
			if at != bt || !reflect.DeepEqual(a, b) {
				t.Fatalf("sqlite (%d):\n%v\npostgres (%d):\n%v", at, a, bt, b)
			}
			if len(a) > 0 {
				nonEmpty++
			}
		})
	}
	if nonEmpty < len(directoryQueries)-3 {
		t.Fatalf("only %d of %d queries found anything: the contract would pass on empty results", nonEmpty, len(directoryQueries))
	}
}
