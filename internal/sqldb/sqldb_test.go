package sqldb_test

import (
	"context"
	"fmt"
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

func TestScanGroups(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		o := &hearth.Organization{Slug: "org", Name: "Org"}
		if err := db.CreateOrganization(ctx, o); err != nil {
			t.Fatal(err)
		}
		var want []string
		for i := range 1203 { // more than two chunks
			g := sampleGroup(o.ID, fmt.Sprintf("group-%04d", i))
			if err := db.CreateGroup(ctx, g, map[string]int{"grief": 5, fmt.Sprintf("word%d", i): 1}); err != nil {
				t.Fatal(err)
			}
			want = append(want, g.Slug)
		}
		t.Run("every group comes back once, in order, with its tags and terms", func(t *testing.T) {
			var got []string
			err := db.ScanGroups(ctx, time.Time{}, func(g *hearth.Group, terms map[string]int) error {
				got = append(got, g.Slug)
				n := 0
				fmt.Sscanf(g.Slug, "group-%04d", &n)
				if len(g.Topics) != 2 || terms["grief"] != 5 || terms[fmt.Sprintf("word%d", n)] != 1 || len(terms) != 2 {
					return fmt.Errorf("%s: topics %v terms %v", g.Slug, g.Topics, terms)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("got %d groups, want %d", len(got), len(want))
			}
		})
		t.Run("a time in the future finds nothing changed", func(t *testing.T) {
			n := 0
			db.ScanGroups(ctx, time.Now().Add(time.Hour), func(*hearth.Group, map[string]int) error { n++; return nil })
			if n != 0 {
				t.Fatalf("%d groups", n)
			}
		})
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

func TestPackTerms(t *testing.T) {
	t.Run("terms survive a round trip", func(t *testing.T) {
		in := map[string]int{"grief": 5, "duelo": 13, "austin": 2}
		if got := sqldb.UnpackTerms(sqldb.PackTerms(in)); !reflect.DeepEqual(got, in) {
			t.Fatalf("%v", got)
		}
	})
	t.Run("malformed lines are skipped, never a panic", func(t *testing.T) {
		got := sqldb.UnpackTerms("ok 3\nbad\n 4\nneg -1\nnan x\nlast 2")
		if !reflect.DeepEqual(got, map[string]int{"ok": 3, "last": 2}) {
			t.Fatalf("%v", got)
		}
	})
}
