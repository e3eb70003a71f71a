package app_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/app"
	"github.com/hearth-org/hearth/internal/demo"
	"github.com/hearth-org/hearth/internal/feeds"
	"github.com/hearth-org/hearth/internal/feeds/feedstest"
	"github.com/hearth-org/hearth/internal/password"
	"github.com/hearth-org/hearth/internal/sqldb"
	"github.com/hearth-org/hearth/internal/sqldb/sqldbtest"
	"github.com/hearth-org/hearth/internal/vault"
)

var siteAdmin = hearth.Actor{SiteAdmin: true}

func feedFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "feeds", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func groupURL(slug string) string { return "https://hearth.example/groups/" + slug }

func importFeed(t *testing.T, a *app.App, org, zone string, data []byte) *app.ImportReport {
	t.Helper()
	rep, err := a.ImportMeetingGuide(context.Background(), siteAdmin, app.MeetingGuideImport{
		Org: org, TimeZone: zone, Topics: []string{"alcohol"}, Data: data})
	if err != nil {
		t.Fatalf("import into %s: %v", org, err)
	}
	return rep
}

func exportFeed(t *testing.T, a *app.App) []byte {
	t.Helper()
	doc, err := a.MeetingGuideFeed(context.Background(), groupURL)
	if err != nil {
		t.Fatal(err)
	}
	feedstest.CheckMeetingGuide(t, doc.Body)
	return doc.Body
}

// comparable is what of a feed row Hearth promises to keep through an
// import and an export.
type comparable struct {
	Name       string
	Days       []time.Weekday
	Start      int
	Duration   int
	TimeZone   string
	Types      []string // those Hearth maps
	Address    string
	City       string
	Region     string
	PostalCode string
	Country    string
	Lat, Lon   float64
	Conference string
	Phone      string
}

func comparableRow(r feeds.Row, withPoint bool) comparable {
	im := r.Convert(feeds.ImportOptions{Topics: []string{"alcohol"}})
	loc := im.Group.Location
	c := comparable{Name: r.Name, Days: r.Days, Start: r.Start, Duration: r.Duration % 1440, TimeZone: r.TimeZone,
		Address: loc.Address, City: loc.City, Region: loc.Region, PostalCode: loc.PostalCode, Country: loc.Country,
		Conference: r.ConferenceURL}
	if withPoint {
		c.Lat, c.Lon = loc.Lat, loc.Lon
	}
	for _, d := range r.ConferencePhone {
		if d >= '0' && d <= '9' || strings.ContainsRune("+,*#", d) {
			c.Phone += string(d)
		}
	}
	// Both sides go through the same mapping, so a code lost on the way
	// shows; a language the row did not name is English on both.
	c.Types = feeds.TypesFor(&im.Group)
	if strings.HasPrefix(im.Group.WhatToExpect, feeds.ClosedMeetingNote) {
		c.Types = append(slices.DeleteFunc(c.Types, func(t string) bool { return t == "O" }), "C")
		slices.Sort(c.Types)
	}
	return c
}

func TestMeetingGuideImportExportRoundTrip(t *testing.T) {
	for _, e := range sqldbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			ctx := context.Background()
			a := newApp(t, e)
			sources := []struct{ org, file string }{{"district-9", "tsml-wordpress.json"}, {"austin-aa", "google-sheet.json"}}
			var in []feeds.Row
			for _, s := range sources {
				rep := importFeed(t, a, s.org, "America/Chicago", feedFile(t, s.file))
				parsed, _ := feeds.ParseMeetingGuide(feedFile(t, s.file), feeds.ParseOptions{TimeZone: "America/Chicago"})
				if rep.Created != len(parsed.Rows) || len(rep.Skipped) != 0 || !rep.OrgCreated {
					t.Fatalf("%s: report %+v; want all %d rows created", s.file, rep, len(parsed.Rows))
				}
				in = append(in, parsed.Rows...)
			}
			t.Run("the organization is named after the feed's entity, with its website", func(t *testing.T) {
				o, err := a.Organization(ctx, "district-9")
				if err != nil || o.Name != "District 9 Intergroup" || o.Website != "https://district9aa.example.org" || o.Contact != "info@district9aa.example.org" {
					t.Errorf("organization %+v, %v", o, err)
				}
				o, err = a.Organization(ctx, "austin-aa")
				if err != nil || o.Website != "https://austinaa.example.org" {
					t.Errorf("organization from entity_website_url %+v, %v", o, err)
				}
			})
			out := exportFeed(t, a)
			back, err := feeds.ParseMeetingGuide(out, feeds.ParseOptions{})
			if err != nil || len(back.Skipped) != 0 {
				t.Fatalf("the export does not read back: %v %v", err, back.Skipped)
			}
			bySlug := map[string]feeds.Row{}
			for _, r := range back.Rows {
				bySlug[r.Slug] = r
			}
			if len(back.Rows) != len(in) {
				t.Errorf("%d meetings exported, %d imported", len(back.Rows), len(in))
			}
			for _, r := range in {
				t.Run("meeting "+r.Slug+" keeps its name, days, times, zone, types, place and link", func(t *testing.T) {
					got, ok := bySlug[feeds.GroupSlug(r.Slug)]
					if !ok {
						t.Fatalf("not exported as %s", feeds.GroupSlug(r.Slug))
					}
					want, have := comparableRow(r, r.HasPoint), comparableRow(got, r.HasPoint)
					if !jsonEqual(want, have) {
						t.Errorf("\nin:  %+v\nout: %+v", want, have)
					}
				})
			}
		})
	}
}

func jsonEqual(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return bytes.Equal(x, y)
}

func TestImportingTheSameFeedTwiceChangesNothing(t *testing.T) {
	for _, e := range sqldbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			ctx := context.Background()
			a := newApp(t, e)
			data := feedFile(t, "tsml-wordpress.json")
			first := importFeed(t, a, "district-9", "America/Chicago", data)
			before := exportFeed(t, a)
			o, _, err := a.OrganizationGroups(ctx, siteAdmin, "district-9")
			if err != nil {
				t.Fatal(err)
			}
			_, groups, _ := a.OrganizationGroups(ctx, siteAdmin, o.Slug)

			second := importFeed(t, a, "district-9", "America/Chicago", data)
			t.Run("the second import reports every row unchanged", func(t *testing.T) {
				if second.Created != 0 || second.Updated != 0 || second.Unchanged != first.Created || second.OrgCreated {
					t.Errorf("second import %+v after %+v", second, first)
				}
			})
			t.Run("no group, meeting or feed entry changed", func(t *testing.T) {
				_, again, _ := a.OrganizationGroups(ctx, siteAdmin, o.Slug)
				if !jsonEqual(groups, again) {
					t.Errorf("groups changed")
				}
				if after := exportFeed(t, a); !bytes.Equal(before, after) {
					t.Errorf("feed changed:\n%s\n%s", before, after)
				}
			})
			t.Run("a row changed in the feed updates its group only", func(t *testing.T) {
				changed := bytes.Replace(data, []byte(`"time": "19:30"`), []byte(`"time": "19:45"`), 1)
				rep := importFeed(t, a, "district-9", "America/Chicago", changed)
				if rep.Updated != 1 || rep.Unchanged != first.Created-1 || rep.Created != 0 {
					t.Errorf("report %+v", rep)
				}
				var entries []feeds.MeetingGuideMeeting
				json.Unmarshal(exportFeed(t, a), &entries)
				for _, en := range entries {
					if en.Slug == "womens-candlelight" && (en.Time != "19:45" || en.EndTime != "21:00") {
						t.Errorf("updated meeting exported as %s–%s", en.Time, en.EndTime)
					}
				}
			})
		})
	}
}

// TestReimportingAMovedMeetingDropsItsStaleExceptions: when a feed moves a
// meeting to another time, a cancellation of the old time names no
// occurrence any more and goes, as when a facilitator changes a schedule.
func TestReimportingAMovedMeetingDropsItsStaleExceptions(t *testing.T) {
	for _, e := range sqldbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			ctx := context.Background()
			a := newApp(t, e)
			data := feedFile(t, "tsml-wordpress.json")
			importFeed(t, a, "district-9", "America/Chicago", data)
			const slug = "womens-candlelight"
			// cancelled counts the exceptions the facilitators' view lists.
			cancelled := func() int {
				v, err := a.Meetings(ctx, siteAdmin, slug)
				if err != nil {
					t.Fatal(err)
				}
				n := 0
				for _, m := range v.Meetings {
					n += len(m.Exceptions)
				}
				return n
			}
			items, err := a.Occurrences(ctx, siteAdmin, slug, a.Now(), a.Now().AddDate(0, 2, 0))
			if err != nil || len(items) < 2 {
				t.Fatalf("occurrences: %v, %d", err, len(items))
			}
			u, _, err := a.CreateUser(ctx, "intergroup-admin", "", "a long enough password", true)
			if err != nil {
				t.Fatal(err)
			}
			admin := hearth.Actor{UserID: u.ID, Handle: u.Handle, SiteAdmin: true}
			if _, err := a.ChangeOccurrence(ctx, admin, slug, items[1].MeetingID,
				app.ExceptionInput{Original: items[1].Original, Cancel: true, Note: "Room closed."}); err != nil {
				t.Fatal(err)
			}
			if n := cancelled(); n != 1 {
				t.Fatalf("%d exceptions after cancelling one occurrence", n)
			}
			moved := bytes.Replace(data, []byte(`"time": "19:30"`), []byte(`"time": "19:45"`), 1)
			if rep := importFeed(t, a, "district-9", "America/Chicago", moved); rep.Updated != 1 {
				t.Fatalf("report %+v", rep)
			}
			if n := cancelled(); n != 0 {
				t.Errorf("%d exceptions after the feed moved the meeting; the stale cancellation should be gone", n)
			}
		})
	}
}

// TestReimportingWeeksLaterChangesNothing: the first meeting keeps its
// first date while the feed still puts it on the same day and time.
func TestReimportingWeeksLaterChangesNothing(t *testing.T) {
	for _, e := range sqldbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			ctx := context.Background()
			now := fixedNow
			clock := func() time.Time { return now }
			db := sqldbtest.Open(t, e, sqldbtest.Options{Now: clock})
			v, _, err := vault.OpenFile(ctx, db, filepath.Join(t.TempDir(), "master.key"), true, vault.Options{})
			if err != nil {
				t.Fatal(err)
			}
			gaz, _ := loadGazetteer()
			a, err := app.New(app.Config{DB: db, Vault: v, Gazetteer: gaz, Now: clock, PasswordParams: password.Params{Memory: 1024, Time: 1, Threads: 1}})
			if err != nil {
				t.Fatal(err)
			}
			data := feedFile(t, "google-sheet.json")
			first := importFeed(t, a, "austin-aa", "America/Chicago", data)
			now = now.Add(17*24*time.Hour + 5*time.Hour)
			again := importFeed(t, a, "austin-aa", "America/Chicago", data)
			if again.Unchanged != first.Created || again.Updated != 0 || again.Created != 0 {
				t.Errorf("17 days later: %+v", again)
			}
		})
	}
}

func TestImportSkipsBadRowsWithTheirReasons(t *testing.T) {
	for _, e := range sqldbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			ctx := context.Background()
			a := newApp(t, e)
			rep := importFeed(t, a, "burlington", "", feedFile(t, "bad-rows.json"))
			if rep.Created != 2 {
				t.Errorf("created %d, want the 2 good rows", rep.Created)
			}
			var idx []int
			for _, s := range rep.Skipped {
				idx = append(idx, s.Index)
			}
			if !slices.Equal(idx, []int{2, 3, 4, 5, 6, 7, 8, 9}) {
				t.Errorf("skipped rows %v: %v", idx, rep.Skipped)
			}
			_, gs, err := a.OrganizationGroups(ctx, siteAdmin, "burlington")
			if err != nil {
				t.Fatal(err)
			}
			var slugs []string
			for _, g := range gs {
				slugs = append(slugs, g.Slug)
			}
			slices.Sort(slugs)
			if !slices.Equal(slugs, []string{"good-after", "good-before"}) {
				t.Errorf("groups %v", slugs)
			}
			t.Run("the closed meeting keeps its C through Hearth's open policy", func(t *testing.T) {
				var entries []feeds.MeetingGuideMeeting
				json.Unmarshal(exportFeed(t, a), &entries)
				for _, en := range entries {
					if en.Slug == "good-after" && (!slices.Contains(en.Types, "C") || slices.Contains(en.Types, "O") || !slices.Contains(en.Types, "W")) {
						t.Errorf("types %v", en.Types)
					}
				}
			})
		})
	}
}

func TestImportRefusesWithoutChangingAnything(t *testing.T) {
	ctx := context.Background()
	a := newApp(t, sqldb.SQLite)
	good := feedFile(t, "tsml-wordpress.json")
	for _, tc := range []struct {
		name  string
		actor hearth.Actor
		in    app.MeetingGuideImport
		kind  hearth.Kind
	}{
		{"an ordinary account", hearth.Actor{UserID: 9}, app.MeetingGuideImport{Org: "new-org", Topics: []string{"alcohol"}, Data: good}, hearth.Forbidden},
		{"an unknown topic", siteAdmin, app.MeetingGuideImport{Org: "new-org", Topics: []string{"knitting"}, Data: good}, hearth.Invalid},
		{"no topic", siteAdmin, app.MeetingGuideImport{Org: "new-org", Data: good}, hearth.Invalid},
		{"a bad organization slug", siteAdmin, app.MeetingGuideImport{Org: "New Org!", Topics: []string{"alcohol"}, Data: good}, hearth.Invalid},
		{"input that is not JSON", siteAdmin, app.MeetingGuideImport{Org: "new-org", Topics: []string{"alcohol"}, Data: []byte("<html>")}, hearth.Invalid},
		{"a JSON object", siteAdmin, app.MeetingGuideImport{Org: "new-org", Topics: []string{"alcohol"}, Data: []byte(`{"meetings":[]}`)}, hearth.Invalid},
		{"a feed zone that does not exist", siteAdmin, app.MeetingGuideImport{Org: "new-org", TimeZone: "Chicago", Topics: []string{"alcohol"}, Data: good}, hearth.Invalid},
	} {
		t.Run("it refuses "+tc.name, func(t *testing.T) {
			_, err := a.ImportMeetingGuide(ctx, tc.actor, tc.in)
			if hearth.ErrorKind(err) != tc.kind {
				t.Errorf("err %v, want %s", err, tc.kind)
			}
			if _, err := a.Organization(ctx, "new-org"); hearth.ErrorKind(err) != hearth.NotFound {
				t.Errorf("the organization was created: %v", err)
			}
		})
	}
	t.Run("an admin of another organization cannot import into this one", func(t *testing.T) {
		importFeed(t, a, "district-9", "America/Chicago", good)
		o, _ := a.Organization(ctx, "district-9")
		_, err := a.ImportMeetingGuide(ctx, hearth.Actor{UserID: 5, OrgAdminOf: []int64{o.ID + 100}},
			app.MeetingGuideImport{Org: "district-9", Topics: []string{"alcohol"}, TimeZone: "America/Chicago", Data: good})
		if hearth.ErrorKind(err) != hearth.Forbidden {
			t.Errorf("err %v", err)
		}
		rep, err := a.ImportMeetingGuide(ctx, hearth.Actor{UserID: 5, OrgAdminOf: []int64{o.ID}},
			app.MeetingGuideImport{Org: "district-9", Topics: []string{"alcohol"}, TimeZone: "America/Chicago", Data: good})
		if err != nil || rep.Unchanged != 5 {
			t.Errorf("its own admin: %+v %v", rep, err)
		}
	})
}

// TestAFailingRowLeavesNoHalfWrittenGroup makes the database refuse the
// meeting of one row, after its group was written in the same transaction:
// the group is gone with it, the rows before it stay.
func TestAFailingRowLeavesNoHalfWrittenGroup(t *testing.T) {
	for _, e := range sqldbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			ctx := context.Background()
			dbURL, dir := sqldbtest.URL(t, e)
			db, err := sqldb.Open(ctx, sqldb.Options{URL: dbURL, DataDir: dir, Now: func() time.Time { return fixedNow }})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			v, _, err := vault.OpenFile(ctx, db, filepath.Join(t.TempDir(), "master.key"), true, vault.Options{})
			if err != nil {
				t.Fatal(err)
			}
			a, err := app.New(app.Config{DB: db, Vault: v, Now: func() time.Time { return fixedNow }, PasswordParams: password.Params{Memory: 1024, Time: 1, Threads: 1}})
			if err != nil {
				t.Fatal(err)
			}
			// A trigger that refuses one meeting, as a full disk or a
			// constraint would.
			var raw *sql.DB
			var trigger []string
			if e == sqldb.SQLite {
				raw, err = sql.Open("sqlite", "file:"+filepath.Join(dir, "hearth.db"))
				trigger = []string{`CREATE TRIGGER refuse_meeting BEFORE INSERT ON meetings WHEN NEW.venue_notes LIKE '%Refuse me%'
					BEGIN SELECT RAISE(ABORT, 'refused by test'); END`}
			} else {
				raw, err = sql.Open("pgx", dbURL)
				trigger = []string{`CREATE FUNCTION refuse_meeting() RETURNS trigger AS $$ BEGIN
					IF NEW.venue_notes LIKE '%Refuse me%' THEN RAISE EXCEPTION 'refused by test'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`,
					`CREATE TRIGGER refuse_meeting BEFORE INSERT ON meetings FOR EACH ROW EXECUTE FUNCTION refuse_meeting()`}
			}
			if err != nil {
				t.Fatal(err)
			}
			defer raw.Close()
			for _, q := range trigger {
				if _, err := raw.ExecContext(ctx, q); err != nil {
					t.Fatalf("trigger: %v", err)
				}
			}
			data := []byte(`[
				{"name":"First Row","slug":"first-row","day":1,"time":"19:00","timezone":"America/Chicago","conference_url":"https://zoom.us/j/1"},
				{"name":"Middle Row","slug":"middle-row","day":2,"time":"19:00","timezone":"America/Chicago","conference_url":"https://zoom.us/j/2","location":"Refuse me"},
				{"name":"Last Row","slug":"last-row","day":3,"time":"19:00","timezone":"America/Chicago","conference_url":"https://zoom.us/j/3"}]`)
			_, err = a.ImportMeetingGuide(ctx, siteAdmin, app.MeetingGuideImport{Org: "rows", Topics: []string{"alcohol"}, Data: data})
			if err == nil || !strings.Contains(err.Error(), "refused by test") {
				t.Fatalf("err %v; want the database's refusal", err)
			}
			if _, err := db.GroupBySlug(ctx, "middle-row"); hearth.ErrorKind(err) != hearth.NotFound {
				t.Errorf("the middle row's group was kept without its meeting: %v", err)
			}
			g, err := db.GroupBySlug(ctx, "first-row")
			if err != nil {
				t.Fatalf("the row before is gone: %v", err)
			}
			ms, _ := db.MeetingsByGroup(ctx, []int64{g.ID})
			if len(ms[g.ID]) != 1 {
				t.Errorf("the row before has %d meetings", len(ms[g.ID]))
			}
		})
	}
}

func TestFeedsOfTheDemoFollowTheSpec(t *testing.T) {
	for _, e := range sqldbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			ctx := context.Background()
			a := demoApp(t, e)
			out := exportFeed(t, a)
			var entries []feeds.MeetingGuideMeeting
			if err := json.Unmarshal(out, &entries); err != nil || len(entries) < 20 {
				t.Fatalf("%d entries, %v", len(entries), err)
			}
			doc, err := a.HearthFeed(ctx, groupURL)
			if err != nil {
				t.Fatal(err)
			}
			var hf feeds.HearthFeed
			if err := json.Unmarshal(doc.Body, &hf); err != nil {
				t.Fatal(err)
			}
			t.Run("Hearth's feed lists every listed group with its meetings and next occurrences", func(t *testing.T) {
				next := 0
				for _, g := range hf.Groups {
					if len(g.Topics) == 0 || g.Policy == "" || g.Leadership == "" {
						t.Errorf("%s lacks topics, policy or leadership", g.Slug)
					}
					for _, m := range g.Meetings {
						next += len(m.Next)
					}
				}
				if len(hf.Groups) < len(entries)/2 || next == 0 {
					t.Errorf("%d groups, %d occurrences", len(hf.Groups), next)
				}
				if doc.StaleAt.IsZero() || !doc.StaleAt.After(fixedNow) {
					t.Errorf("stale at %v", doc.StaleAt)
				}
			})
			t.Run("no conference link appears for a group that does not publish it", func(t *testing.T) {
				publishes := map[string]bool{}
				for _, o := range demo.Directory(fixedNow) {
					for _, g := range o.Groups {
						publishes[g.Slug] = g.PublishLink
					}
				}
				for _, en := range entries {
					if (en.ConferenceURL != "" || en.ConferencePhone != "") && !publishes[en.Slug] {
						t.Errorf("%s exports its link: %q %q", en.Slug, en.ConferenceURL, en.ConferencePhone)
					}
				}
				for _, g := range hf.Groups {
					for _, m := range g.Meetings {
						if (m.ConferenceURL != "" || m.Phone != "" || m.AccessCode != "") && !publishes[g.Slug] {
							t.Errorf("Hearth's feed carries %s's link, which it does not publish", g.Slug)
						}
					}
				}
			})
		})
	}
}
