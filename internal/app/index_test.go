package app_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/app"
	"github.com/hearth-org/hearth/internal/password"
	"github.com/hearth-org/hearth/internal/sqldb"
	"github.com/hearth-org/hearth/internal/sqldb/sqldbtest"
	"github.com/hearth-org/hearth/internal/vault"
)

// TestTwoProcessesSeeEachOthersGroups runs two apps on one database, as two
// servers behind a load balancer would: a group one creates reaches the
// other's directory on its next refresh, not before.
func TestTwoProcessesSeeEachOthersGroups(t *testing.T) {
	for _, e := range sqldbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			ctx := context.Background()
			dbURL, dir := sqldbtest.URL(t, e)
			clock := fixedNow
			now := func() time.Time { return clock }
			open := func() *app.App {
				db, err := sqldb.Open(ctx, sqldb.Options{URL: dbURL, DataDir: dir, Now: now})
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { db.Close() })
				gaz, _ := loadGazetteer()
				// Both processes read the same master key file.
				v, _, err := vault.OpenFile(ctx, db, filepath.Join(dir, "master.key"), true, vault.Options{})
				if err != nil {
					t.Fatal(err)
				}
				a, err := app.New(app.Config{DB: db, Gazetteer: gaz, Vault: v, Now: now, PasswordParams: password.Params{Memory: 1024, Time: 1, Threads: 1}})
				if err != nil {
					t.Fatal(err)
				}
				return a
			}
			one, two := open(), open()
			if ok, err := one.LoadDemo(ctx); err != nil || !ok {
				t.Fatal(err)
			}
			if err := two.LoadDirectory(ctx); err != nil {
				t.Fatal(err)
			}
			count := func(a *app.App, q string) int { return search(t, a, q).Total }
			before := count(two, "q=origami")

			site := hearth.Actor{SiteAdmin: true}
			g := &hearth.Group{Name: "Origami for Grief", Description: "Folding paper together while we talk about loss.",
				Topics: []string{"grief"}, Audience: hearth.Audience{Languages: []string{"en"}}, Format: hearth.Online,
				Leadership: hearth.PeerLed, Policy: hearth.Closed, Location: hearth.Location{TimeZone: "America/Chicago"},
				Enrollment: &hearth.Enrollment{Cap: 2, Opens: fixedNow.Add(-time.Hour), Closes: fixedNow.Add(72 * time.Hour), Starts: fixedNow.Add(96 * time.Hour), Sessions: 6},
				Schedule:   hearth.Schedule{Weekday: time.Monday, Start: 18 * 60, Duration: 60}}
			clock = clock.Add(10 * time.Second)
			if err := one.CreateGroup(ctx, site, "harborlight-hospice", g); err != nil {
				t.Fatal(err)
			}
			if count(one, "q=origami") != 1 {
				t.Fatal("the writing process does not see its own group at once")
			}
			if count(two, "q=origami") != before {
				t.Fatal("the other process saw the group before refreshing (the test proves nothing)")
			}
			if err := two.RefreshDirectory(ctx); err != nil {
				t.Fatal(err)
			}
			if count(two, "q=origami") != 1 {
				t.Fatal("the other process does not see the new group after refreshing")
			}
		})
	}
}
