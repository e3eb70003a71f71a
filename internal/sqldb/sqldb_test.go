package sqldb_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/sqldb"
	"github.com/hearth-org/hearth/internal/sqldb/sqldbtest"
)

func sampleGroup(orgID int64, slug string) *hearth.Group {
	g := &hearth.Group{
		OrgID: orgID, Slug: slug, Name: "Grief Circle " + slug, Description: "A weekly circle for people who lost someone.",
		WhatToExpect: "Arrive a few minutes early.", Topics: []string{"grief", "loss-of-partner"},
		Audience: hearth.Audience{AgeBand: "adults", Gender: "any", Languages: []string{"en", "es"}, Communities: []string{"veterans"}},
		Format:   hearth.InPerson, Leadership: hearth.ProfessionalLed, FacilitatorCredentials: "LCSW",
		Policy: hearth.Open, Visibility: hearth.Listed,
		Location: hearth.Location{Address: "1200 Red River St", City: "Austin", Region: "Texas", PostalCode: "78701", Country: "US",
			Lat: 30.2672, Lon: -97.7431, HasPoint: true, TimeZone: "America/Chicago"},
		Accessibility: []string{"hearing_loop", "wheelchair"}, Cost: hearth.Cost{Kind: hearth.Donation, Note: "Pay what you can"},
		Guidelines: "What is said here stays here.", Contact: "circle@example.org",
		Schedule: hearth.Schedule{Weekday: time.Tuesday, Start: 19 * 60, Duration: 90},
	}
	g.Normalize()
	return g
}

func TestOrganizationsAndGroupsRoundTrip(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		o := &hearth.Organization{Slug: "hope-centre", Name: "Hope Centre", Contact: "info@example.org"}
		if err := db.CreateOrganization(ctx, o); err != nil {
			t.Fatal(err)
		}
		t.Run("a second organization with the same slug is a conflict", func(t *testing.T) {
			err := db.CreateOrganization(ctx, &hearth.Organization{Slug: "hope-centre", Name: "Other"})
			if hearth.ErrorKind(err) != hearth.Conflict {
				t.Fatalf("got %v, want conflict", err)
			}
		})
		g := sampleGroup(o.ID, "grief-circle")
		if err := db.CreateGroup(ctx, g, map[string]int{"grief": 5, "circl": 8}); err != nil {
			t.Fatal(err)
		}
		t.Run("a group reads back exactly as written", func(t *testing.T) {
			got, err := db.GroupBySlug(ctx, "grief-circle")
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, g) {
				t.Fatalf("read back\n%+v\nwant\n%+v", got, g)
			}
		})
		t.Run("a taken group slug is a conflict and writes nothing", func(t *testing.T) {
			dup := sampleGroup(o.ID, "grief-circle")
			err := db.CreateGroup(ctx, dup, map[string]int{"x": 1})
			if hearth.ErrorKind(err) != hearth.Conflict {
				t.Fatalf("got %v, want conflict", err)
			}
			gs, _ := db.GroupsByOrganization(ctx, o.ID)
			if len(gs) != 1 {
				t.Fatalf("%d groups after a failed insert, want 1", len(gs))
			}
		})
		t.Run("changing the guidelines bumps their version", func(t *testing.T) {
			g.Guidelines = "New rules."
			if err := db.UpdateGroup(ctx, g, map[string]int{"grief": 5}); err != nil {
				t.Fatal(err)
			}
			got, _ := db.Group(ctx, g.ID)
			if got.GuidelinesVersion != 2 || got.Guidelines != "New rules." {
				t.Fatalf("version %d guidelines %q", got.GuidelinesVersion, got.Guidelines)
			}
		})
		t.Run("a closed group keeps its enrollment terms", func(t *testing.T) {
			c := sampleGroup(o.ID, "closed-cohort")
			c.Policy = hearth.Closed
			day := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
			c.Enrollment = &hearth.Enrollment{Cap: 12, Opens: day, Closes: day.AddDate(0, 0, 14), Starts: day.AddDate(0, 0, 21), Sessions: 8}
			if err := db.CreateGroup(ctx, c, nil); err != nil {
				t.Fatal(err)
			}
			got, _ := db.Group(ctx, c.ID)
			if !reflect.DeepEqual(got.Enrollment, c.Enrollment) {
				t.Fatalf("enrollment %+v, want %+v", got.Enrollment, c.Enrollment)
			}
		})
	})
}

func TestSearchGroups(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		o := &hearth.Organization{Slug: "org", Name: "Org"}
		if err := db.CreateOrganization(ctx, o); err != nil {
			t.Fatal(err)
		}
		austin := sampleGroup(o.ID, "austin-grief")
		db.CreateGroup(ctx, austin, map[string]int{"grief": 5, "austin": 2})
		dallas := sampleGroup(o.ID, "dallas-grief")
		dallas.Location.Lat, dallas.Location.Lon = 32.7767, -96.7970
		dallas.Schedule.Weekday = time.Thursday
		db.CreateGroup(ctx, dallas, map[string]int{"grief": 5, "dalla": 2})
		online := sampleGroup(o.ID, "online-cancer")
		online.Format, online.Location.Address, online.Location.Approximate = hearth.Online, "", true
		online.Topics = []string{"cancer"}
		db.CreateGroup(ctx, online, map[string]int{"cancer": 8})
		hidden := sampleGroup(o.ID, "unlisted-grief")
		hidden.Visibility = hearth.Unlisted
		db.CreateGroup(ctx, hidden, map[string]int{"grief": 5})

		slugs := func(t *testing.T, q sqldb.GroupQuery) ([]int64, int) {
			t.Helper()
			ms, total, err := db.SearchGroups(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			var ids []int64
			for _, m := range ms {
				ids = append(ids, m.ID)
			}
			return ids, total
		}
		near := &hearth.Point{Lat: 30.27, Lon: -97.74}
		cases := []struct {
			name  string
			q     sqldb.GroupQuery
			want  []int64
			total int
		}{
			{"unlisted groups are never in the directory", sqldb.GroupQuery{Sort: hearth.SortName}, []int64{austin.ID, dallas.ID, online.ID}, 3},
			{"text matches every word", sqldb.GroupQuery{Words: [][]string{{"grief"}, {"austin"}}}, []int64{austin.ID}, 1},
			{"a word with no match finds nothing", sqldb.GroupQuery{Words: [][]string{{"grief"}, {"nowhere"}}}, nil, 0},
			{"near Austin finds the Austin group and the online one, not Dallas", sqldb.GroupQuery{Near: near, RadiusKm: 50, Sort: hearth.SortDistance}, []int64{austin.ID, online.ID}, 2},
			{"excluding remote groups leaves the venue", sqldb.GroupQuery{Near: near, RadiusKm: 50, ExcludeRemote: true}, []int64{austin.ID}, 1},
			{"a wide radius reaches Dallas, nearest first", sqldb.GroupQuery{Near: near, RadiusKm: 400, ExcludeRemote: true, Sort: hearth.SortDistance}, []int64{austin.ID, dallas.ID}, 2},
			{"topic filter", sqldb.GroupQuery{Topics: []string{"cancer"}}, []int64{online.ID}, 1},
			{"format filter", sqldb.GroupQuery{Formats: []string{"online"}}, []int64{online.ID}, 1},
			{"accessibility needs all features", sqldb.GroupQuery{Access: []string{"wheelchair", "hearing_loop"}, Sort: hearth.SortName}, []int64{austin.ID, dallas.ID, online.ID}, 3},
			{"a missing feature excludes", sqldb.GroupQuery{Access: []string{"wheelchair", "captioning"}}, nil, 0},
			{"paging keeps the total", sqldb.GroupQuery{Sort: hearth.SortName, Limit: 1, Offset: 1}, []int64{dallas.ID}, 3},
			{"past the last page the total is still right", sqldb.GroupQuery{Sort: hearth.SortName, Limit: 10, Offset: 10}, nil, 3},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				got, total := slugs(t, c.q)
				if !reflect.DeepEqual(got, c.want) || total != c.total {
					t.Fatalf("got %v (total %d), want %v (total %d)", got, total, c.want, c.total)
				}
			})
		}
	})
}

func TestAccounts(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		u := &hearth.User{Handle: "quiet-river"}
		if err := db.CreateUser(ctx, u, sqldb.Credentials{PasswordHash: "h", RecoveryHash: "r"}); err != nil {
			t.Fatal(err)
		}
		t.Run("a taken handle is a conflict on the handle field", func(t *testing.T) {
			err := db.CreateUser(ctx, &hearth.User{Handle: "quiet-river"}, sqldb.Credentials{PasswordHash: "h"})
			e := hearth.AsError(err)
			if e == nil || e.Kind != hearth.Conflict || e.Fields[0].Field != "handle" {
				t.Fatalf("got %v", err)
			}
		})
		t.Run("many accounts may have no email", func(t *testing.T) {
			if err := db.CreateUser(ctx, &hearth.User{Handle: "no-email-two"}, sqldb.Credentials{PasswordHash: "h"}); err != nil {
				t.Fatal(err)
			}
		})
		t.Run("sessions expire", func(t *testing.T) {
			now := time.Now().UTC().Truncate(time.Second)
			db.CreateSession(ctx, sqldb.Session{TokenHash: "abc", UserID: u.ID, Created: now, LastSeen: now, Expires: now.Add(time.Hour)})
			if _, got, err := db.SessionByHash(ctx, "abc", now); err != nil || got.ID != u.ID {
				t.Fatalf("live session: %v %v", got, err)
			}
			if _, _, err := db.SessionByHash(ctx, "abc", now.Add(2*time.Hour)); hearth.ErrorKind(err) != hearth.NotFound {
				t.Fatalf("expired session: %v", err)
			}
		})
		t.Run("revoked tokens no longer sign in", func(t *testing.T) {
			tok, err := db.CreateToken(ctx, u.ID, "script", "tokhash")
			if err != nil {
				t.Fatal(err)
			}
			if got, err := db.UserByToken(ctx, "tokhash"); err != nil || got.ID != u.ID {
				t.Fatalf("token: %v %v", got, err)
			}
			if err := db.RevokeToken(ctx, u.ID, tok.ID); err != nil {
				t.Fatal(err)
			}
			if _, err := db.UserByToken(ctx, "tokhash"); hearth.ErrorKind(err) != hearth.NotFound {
				t.Fatalf("revoked token: %v", err)
			}
		})
		t.Run("pseudonyms are unique in a group regardless of case", func(t *testing.T) {
			o := &hearth.Organization{Slug: "org", Name: "Org"}
			db.CreateOrganization(ctx, o)
			g := sampleGroup(o.ID, "circle")
			db.CreateGroup(ctx, g, nil)
			other := &hearth.User{Handle: "other-person"}
			db.CreateUser(ctx, other, sqldb.Credentials{PasswordHash: "h"})
			if err := db.CreateMembership(ctx, &hearth.Membership{GroupID: g.ID, UserID: u.ID, Role: hearth.RoleMember, Status: hearth.StatusActive, Pseudonym: "River"}); err != nil {
				t.Fatal(err)
			}
			err := db.CreateMembership(ctx, &hearth.Membership{GroupID: g.ID, UserID: other.ID, Role: hearth.RoleMember, Status: hearth.StatusActive, Pseudonym: "river"})
			if hearth.ErrorKind(err) != hearth.Conflict {
				t.Fatalf("got %v, want conflict", err)
			}
			got, _ := db.Group(ctx, g.ID)
			if got.ActiveMembers != 1 {
				t.Fatalf("active members %d, want 1", got.ActiveMembers)
			}
		})
	})
}
