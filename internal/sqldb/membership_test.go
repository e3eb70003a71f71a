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

// membershipFixture is an organization, a group and n accounts.
func membershipFixture(t testing.TB, db *sqldb.DB, n int) (*hearth.Group, []int64) {
	t.Helper()
	ctx := context.Background()
	o := &hearth.Organization{Slug: "riverside", Name: "Riverside"}
	if err := db.CreateOrganization(ctx, o); err != nil {
		t.Fatal(err)
	}
	g := sampleGroup(o.ID, "circle")
	if err := db.CreateGroup(ctx, g, map[string]int{"circl": 8}); err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for i := 0; i < n; i++ {
		u := &hearth.User{Handle: fmt.Sprintf("person-%d", i), Email: fmt.Sprintf("p%d@example.org", i)}
		if err := db.CreateUser(ctx, u, sqldb.Credentials{PasswordHash: "x"}); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, u.ID)
	}
	return g, ids
}

func TestMembershipStorage(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		g, users := membershipFixture(t, db, 4)
		at := time.Date(2026, 11, 24, 15, 0, 0, 0, time.UTC)
		var cohort hearth.Cohort

		t.Run("cohorts are numbered in order, and the newest not ended is current", func(t *testing.T) {
			err := db.InTx(ctx, func(tx *sqldb.Tx) error {
				for i := 0; i < 2; i++ {
					c := &hearth.Cohort{GroupID: g.ID, Cap: 8, Sessions: 6, Opens: at, Closes: at.AddDate(0, 0, 10), Starts: at.AddDate(0, 0, 14+70*i),
						Ends: at.AddDate(0, 0, 60+70*i)}
					if err := tx.InsertCohort(ctx, c); err != nil {
						return err
					}
					if c.Number != i+1 {
						t.Errorf("cohort %d numbered %d", i, c.Number)
					}
					cohort = *c
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			cur, err := db.CurrentCohort(ctx, g.ID)
			if err != nil || cur.Number != 2 {
				t.Fatalf("%+v %v", cur, err)
			}
			cohort.Created = cur.Created
			if !reflect.DeepEqual(*cur, cohort) {
				t.Fatalf("read back %+v, want %+v", *cur, cohort)
			}
			due, err := db.CohortsToEnd(ctx, at.AddDate(0, 0, 61))
			if err != nil || len(due) != 1 || due[0].Number != 1 {
				t.Fatalf("due %v %v", due, err)
			}
		})
		var ms []*hearth.Membership
		t.Run("a membership reads back with every field", func(t *testing.T) {
			err := db.InTx(ctx, func(tx *sqldb.Tx) error {
				for i, u := range users {
					m := &hearth.Membership{GroupID: g.ID, UserID: u, Role: hearth.RoleMember, Status: hearth.StatusWaitlisted,
						Pseudonym: fmt.Sprintf("Person %d", i), GuidelinesVersion: 1, JoinedAt: at, StatusAt: at, CohortID: cohort.ID, ShareEmail: i%2 == 0,
						CommittedSessions: 6, WaitlistedAt: at.Add(time.Duration(i) * time.Minute), DecidedAt: at, SealedDecision: []byte{1, 2, 3}}
					seq, err := tx.NextWaitlistSeq(ctx, g.ID)
					if err != nil {
						return err
					}
					m.WaitlistSeq = seq
					if err := tx.InsertMembership(ctx, m); err != nil {
						return err
					}
					ms = append(ms, m)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			got, err := db.Membership(ctx, g.ID, users[0])
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, ms[0]) {
				t.Fatalf("read back\n%+v\nwant\n%+v", got, ms[0])
			}
		})
		t.Run("the line is in the order people were numbered, and each knows their place", func(t *testing.T) {
			line, err := db.Line(ctx, g.ID)
			if err != nil || len(line) != 4 {
				t.Fatalf("%v %v", line, err)
			}
			for i, m := range line {
				if m.UserID != users[i] {
					t.Fatalf("place %d is user %d", i+1, m.UserID)
				}
				if p, _ := db.LinePosition(ctx, m); p != i+1 {
					t.Fatalf("user %d is told place %d", m.UserID, p)
				}
			}
		})
		t.Run("a pseudonym in use, in any case, is a conflict on both engines", func(t *testing.T) {
			err := db.InTx(ctx, func(tx *sqldb.Tx) error {
				m := *ms[1]
				m.Pseudonym = "PERSON 0"
				return tx.SaveMembership(ctx, &m)
			})
			if e := hearth.AsError(err); e == nil || e.Code != "pseudonym_taken" {
				t.Fatalf("got %v", err)
			}
		})
		t.Run("seats count active members of the cohort, not facilitators", func(t *testing.T) {
			err := db.InTx(ctx, func(tx *sqldb.Tx) error {
				ms[0].Status, ms[1].Status, ms[1].Role = hearth.StatusActive, hearth.StatusActive, hearth.RoleFacilitator
				for _, m := range ms[:2] {
					if err := tx.SaveMembership(ctx, m); err != nil {
						return err
					}
				}
				n, err := tx.SeatsTaken(ctx, g.ID, cohort.ID)
				if n != 1 || err != nil {
					t.Errorf("seats %d %v", n, err)
				}
				n, _ = tx.SeatsTaken(ctx, g.ID, cohort.ID+1000)
				if n != 0 {
					t.Errorf("another cohort has %d seats", n)
				}
				return tx.SetSeatCount(ctx, g.ID, 1)
			})
			if err != nil {
				t.Fatal(err)
			}
			if got, _ := db.Group(ctx, g.ID); got.ActiveMembers != 1 {
				t.Fatalf("group row counts %d", got.ActiveMembers)
			}
		})
		t.Run("facilitators see only the email a member shares", func(t *testing.T) {
			rows, err := db.GroupMemberships(ctx, g.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range rows {
				want := ""
				if r.ShareEmail {
					want = fmt.Sprintf("p%d@example.org", indexOf(users, r.UserID))
				}
				if r.SharedEmail != want || r.CohortNo != 2 {
					t.Errorf("%s: email %q cohort %d", r.Pseudonym, r.SharedEmail, r.CohortNo)
				}
			}
		})
		t.Run("deleting a membership deletes its answers; its history stays, nameless", func(t *testing.T) {
			m := ms[3]
			err := db.InTx(ctx, func(tx *sqldb.Tx) error {
				if err := tx.PutIntakeAnswers(ctx, m.ID, []sqldb.SealedAnswer{{Position: 1, Prompt: "Why?", Sealed: []byte("sealed")}}); err != nil {
					return err
				}
				return tx.AddEvent(ctx, &hearth.MembershipEvent{GroupID: g.ID, MembershipID: m.ID, UserID: m.UserID, ActorID: m.UserID, Kind: hearth.EventApplied})
			})
			if err != nil {
				t.Fatal(err)
			}
			if got, _ := db.IntakeAnswers(ctx, []int64{m.ID}); len(got[m.ID]) != 1 || got[m.ID][0].Prompt != "Why?" {
				t.Fatalf("answers %v", got)
			}
			events, _ := db.MembershipEvents(ctx, g.ID, m.UserID, 10)
			if len(events) != 1 || events[0].Pseudonym != "Person 3" {
				t.Fatalf("events before %+v", events)
			}
			if err := db.InTx(ctx, func(tx *sqldb.Tx) error { return tx.DeleteMembership(ctx, g.ID, m.ID) }); err != nil {
				t.Fatal(err)
			}
			if got, _ := db.IntakeAnswers(ctx, []int64{m.ID}); len(got[m.ID]) != 0 {
				t.Fatalf("answers left: %v", got)
			}
			events, _ = db.MembershipEvents(ctx, g.ID, m.UserID, 10)
			if len(events) != 1 || events[0].Pseudonym != "" || events[0].Kind != hearth.EventApplied {
				t.Fatalf("events after %+v", events)
			}
		})
		t.Run("offers past their time are due, oldest first", func(t *testing.T) {
			err := db.InTx(ctx, func(tx *sqldb.Tx) error {
				ms[2].OfferExpires = at.Add(time.Hour)
				return tx.SaveMembership(ctx, ms[2])
			})
			if err != nil {
				t.Fatal(err)
			}
			if due, _ := db.DueOffers(ctx, at); len(due) != 0 {
				t.Fatalf("due early: %v", due)
			}
			due, err := db.DueOffers(ctx, at.Add(time.Hour))
			if err != nil || len(due) != 1 || due[0].MembershipID != ms[2].ID {
				t.Fatalf("due %v %v", due, err)
			}
		})
		t.Run("seat settings have defaults and are stored", func(t *testing.T) {
			s, err := db.MembershipSettings(ctx, g.ID)
			if err != nil || s != (hearth.MembershipSettings{OfferHours: 48}) {
				t.Fatalf("%+v %v", s, err)
			}
			for _, want := range []hearth.MembershipSettings{{Cap: 12, OfferHours: 24}, {Cap: 0, OfferHours: 72}} {
				if err := db.InTx(ctx, func(tx *sqldb.Tx) error { return tx.SetMembershipSettings(ctx, g.ID, want) }); err != nil {
					t.Fatal(err)
				}
				if got, _ := db.MembershipSettings(ctx, g.ID); got != want {
					t.Fatalf("got %+v, want %+v", got, want)
				}
			}
		})
		t.Run("intake questions are replaced whole, in order", func(t *testing.T) {
			qs := []hearth.IntakeQuestion{{Position: 1, Prompt: "Who did you lose?", Required: true}, {Position: 2, Prompt: "Anything else?"}}
			if err := db.InTx(ctx, func(tx *sqldb.Tx) error { return tx.ReplaceIntakeQuestions(ctx, g.ID, qs) }); err != nil {
				t.Fatal(err)
			}
			got, err := db.IntakeQuestions(ctx, g.ID)
			if err != nil || !reflect.DeepEqual(got, qs) {
				t.Fatalf("got %+v, want %+v (%v)", got, qs, err)
			}
			if err := db.InTx(ctx, func(tx *sqldb.Tx) error { return tx.ReplaceIntakeQuestions(ctx, g.ID, qs[1:2]) }); err != nil {
				t.Fatal(err)
			}
			if got, _ := db.IntakeQuestions(ctx, g.ID); len(got) != 1 || got[0].Prompt != "Anything else?" {
				t.Fatalf("after replacing: %+v", got)
			}
		})
	})
}

func indexOf(ids []int64, id int64) int {
	for i, x := range ids {
		if x == id {
			return i
		}
	}
	return -1
}
