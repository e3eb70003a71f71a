package sqldb_test

import (
	"context"
	"testing"
	"time"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/sqldb"
	"github.com/hearth-org/hearth/internal/sqldb/sqldbtest"
)

func TestModerationStorage(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		o := &hearth.Organization{Slug: "mod-org", Name: "Mod Org"}
		if err := db.CreateOrganization(ctx, o); err != nil {
			t.Fatal(err)
		}
		g := sampleGroup(o.ID, "mod-circle")
		if err := db.CreateGroup(ctx, g, nil); err != nil {
			t.Fatal(err)
		}
		var users []int64
		for _, h := range []string{"reporter-one", "subject-one"} {
			u := &hearth.User{Handle: h}
			if err := db.CreateUser(ctx, u, sqldb.Credentials{PasswordHash: "h"}); err != nil {
				t.Fatal(err)
			}
			users = append(users, u.ID)
		}
		now := time.Date(2026, 11, 24, 15, 0, 0, 0, time.UTC)
		subj := hearth.Subject{Kind: hearth.SubjectMember, ID: 99}
		r := &hearth.Report{GroupID: g.ID, OrgID: o.ID, Subject: subj, ReporterID: users[0], SubjectUserID: users[1], Reason: hearth.ReasonSpam,
			Status: hearth.ReportOpen, CreatedAt: now}

		t.Run("one open report per person and subject; a closed one frees the way", func(t *testing.T) {
			if err := db.InTx(ctx, func(tx *sqldb.Tx) error { return tx.InsertReport(ctx, r) }); err != nil {
				t.Fatal(err)
			}
			dup := *r
			err := db.InTx(ctx, func(tx *sqldb.Tx) error { return tx.InsertReport(ctx, &dup) })
			if e := hearth.AsError(err); e == nil || e.Code != "already_reported" {
				t.Fatalf("second open report: %v", err)
			}
			err = db.InTx(ctx, func(tx *sqldb.Tx) error {
				ok, err := tx.ResolveReport(ctx, r.ID, hearth.ReportDismissed, users[1], now)
				if err == nil && !ok {
					t.Error("open report not resolved")
				}
				if ok, _ := tx.ResolveReport(ctx, r.ID, hearth.ReportActioned, users[1], now); ok {
					t.Error("a closed report was resolved again")
				}
				again := *r
				return tx.InsertReport(ctx, &again)
			})
			if err != nil {
				t.Fatal(err)
			}
		})
		t.Run("counts by reporter and about a person follow their windows", func(t *testing.T) {
			err := db.InTx(ctx, func(tx *sqldb.Tx) error {
				n, err := tx.CountReportsBy(ctx, users[0], "", now.Add(-time.Hour))
				if err != nil || n != 2 {
					t.Errorf("by reporter: %d %v", n, err)
				}
				if n, _ := tx.CountReportsBy(ctx, users[0], hearth.ReasonCrisisConcern, now.Add(-time.Hour)); n != 0 {
					t.Errorf("crisis by reporter: %d", n)
				}
				if n, _ := tx.CountReportsBy(ctx, users[0], "", now.Add(time.Minute)); n != 0 {
					t.Errorf("outside the window: %d", n)
				}
				if n, _ := tx.CountReportsAbout(ctx, users[1], hearth.ReasonSpam, now.Add(-time.Hour)); n != 2 {
					t.Errorf("about the person: %d", n)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		})
		t.Run("a mute holds until its end, and only its own action lifts it", func(t *testing.T) {
			err := db.InTx(ctx, func(tx *sqldb.Tx) error { return tx.SetMute(ctx, g.ID, users[1], now.Add(time.Hour), 7) })
			if err != nil {
				t.Fatal(err)
			}
			if m, err := db.MuteOf(ctx, g.ID, users[1], now); err != nil || m == nil || !m.Until.Equal(now.Add(time.Hour)) || m.ActionID != 7 {
				t.Fatalf("mute %+v %v", m, err)
			}
			if m, _ := db.MuteOf(ctx, g.ID, users[1], now.Add(time.Hour)); m != nil {
				t.Fatal("a mute outlived its end")
			}
			db.InTx(ctx, func(tx *sqldb.Tx) error { return tx.DeleteMute(ctx, g.ID, users[1], 8) })
			if m, _ := db.MuteOf(ctx, g.ID, users[1], now); m == nil {
				t.Fatal("another action lifted the mute")
			}
		})
		t.Run("hidden and labelled subjects read back by kind", func(t *testing.T) {
			post := hearth.Subject{Kind: hearth.SubjectPost, ID: 5}
			err := db.InTx(ctx, func(tx *sqldb.Tx) error {
				if err := tx.SetHidden(ctx, post, g.ID, 1, now); err != nil {
					return err
				}
				if err := tx.SetHidden(ctx, post, g.ID, 2, now); err != nil { // again: no error
					return err
				}
				return tx.SetLabel(ctx, &hearth.Label{Subject: post, Kind: hearth.LabelUnverifiedHealthClaim, URL: "https://www.who.int/", CreatedAt: now}, g.ID, 3)
			})
			if err != nil {
				t.Fatal(err)
			}
			hidden, _ := db.Hidden(ctx, hearth.SubjectPost, []int64{5, 6})
			labels, _ := db.Labels(ctx, hearth.SubjectPost, []int64{5, 6})
			if !hidden[5] || hidden[6] || labels[5].URL != "https://www.who.int/" || len(labels) != 1 {
				t.Fatalf("hidden %v labels %v", hidden, labels)
			}
			if other, _ := db.Hidden(ctx, hearth.SubjectMessage, []int64{5}); other[5] {
				t.Fatal("a message with the same id is hidden")
			}
		})
		t.Run("posting marks count within the hour", func(t *testing.T) {
			err := db.InTx(ctx, func(tx *sqldb.Tx) error {
				for _, at := range []time.Time{now.Add(-2 * time.Hour), now.Add(-30 * time.Minute), now} {
					if err := tx.AddPostMark(ctx, g.ID, users[0], at); err != nil {
						return err
					}
				}
				n, oldest, err := tx.CountPostMarks(ctx, g.ID, users[0], now.Add(-time.Hour))
				if err != nil || n != 2 || !oldest.Equal(now.Add(-30*time.Minute)) {
					t.Errorf("marks %d oldest %v %v", n, oldest, err)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		})
	})
}
