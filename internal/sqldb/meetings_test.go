package sqldb_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/sqldb"
	"github.com/hearth-org/hearth/internal/sqldb/sqldbtest"
)

func TestMeetingsRoundTrip(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		o := &hearth.Organization{Slug: "hope", Name: "Hope"}
		if err := db.CreateOrganization(ctx, o); err != nil {
			t.Fatal(err)
		}
		g := sampleGroup(o.ID, "circle")
		g.Location.TimeZone = "Europe/Madrid"
		if err := db.CreateGroup(ctx, g, nil); err != nil {
			t.Fatal(err)
		}
		other := sampleGroup(o.ID, "other")
		if err := db.CreateGroup(ctx, other, nil); err != nil {
			t.Fatal(err)
		}
		madrid, _ := time.LoadLocation("Europe/Madrid")
		m := &hearth.Meeting{GroupID: g.ID, Title: "Evening circle", Start: time.Date(2026, 3, 3, 18, 30, 0, 0, madrid), Duration: 90,
			RRule: "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;COUNT=8", Capacity: 12,
			Attend: hearth.Attend{Mode: hearth.Hybrid, VenueNotes: "Room 2", ConferenceURL: "https://meet.example.org/x", Phone: "+34 900 000 000", AccessCode: "1234"}}
		if err := db.InTx(ctx, func(tx *sqldb.Tx) error { return tx.InsertMeeting(ctx, m) }); err != nil {
			t.Fatal(err)
		}
		oneOff := &hearth.Meeting{GroupID: g.ID, Start: time.Date(2026, 2, 1, 10, 0, 0, 0, madrid), Duration: 60, Attend: hearth.Attend{Mode: hearth.InPerson}}
		if err := db.InTx(ctx, func(tx *sqldb.Tx) error { return tx.InsertMeeting(ctx, oneOff) }); err != nil {
			t.Fatal(err)
		}
		t.Run("meetings read back by group, first start first, in the group's zone", func(t *testing.T) {
			byGroup, err := db.MeetingsByGroup(ctx, []int64{g.ID, other.ID})
			if err != nil {
				t.Fatal(err)
			}
			got := byGroup[g.ID]
			if len(got) != 2 || len(byGroup[other.ID]) != 0 {
				t.Fatalf("got %d and %d meetings", len(got), len(byGroup[other.ID]))
			}
			if got[0].ID != oneOff.ID || got[1].ID != m.ID {
				t.Fatalf("order %d, %d", got[0].ID, got[1].ID)
			}
			r := got[1]
			if !r.Start.Equal(m.Start) || r.Start.Location().String() != "Europe/Madrid" || r.Start.Hour() != 18 {
				t.Fatalf("start %v", r.Start)
			}
			if r.RRule != m.RRule || r.Attend != m.Attend || r.Capacity != 12 || r.Title != m.Title || r.Duration != 90 {
				t.Fatalf("read back %+v", r)
			}
		})
		t.Run("an exception replaces an earlier one for the same occurrence", func(t *testing.T) {
			orig := time.Date(2026, 3, 17, 18, 30, 0, 0, madrid)
			for _, e := range []hearth.MeetingException{
				{MeetingID: m.ID, Original: orig, Cancelled: true, Note: "Holiday"},
				{MeetingID: m.ID, Original: orig, Start: orig.Add(24 * time.Hour), Duration: 60},
			} {
				if err := db.InTx(ctx, func(tx *sqldb.Tx) error { return tx.PutException(ctx, &e) }); err != nil {
					t.Fatal(err)
				}
			}
			ex, err := db.ExceptionsByMeeting(ctx, []int64{m.ID})
			if err != nil {
				t.Fatal(err)
			}
			if len(ex[m.ID]) != 1 || ex[m.ID][0].Cancelled || !ex[m.ID][0].Start.Equal(orig.Add(24*time.Hour)) {
				t.Fatalf("exceptions %+v", ex[m.ID])
			}
		})
		t.Run("deleting a meeting of another group changes nothing", func(t *testing.T) {
			err := db.InTx(ctx, func(tx *sqldb.Tx) error { return tx.DeleteMeeting(ctx, other.ID, m.ID) })
			if hearth.ErrorKind(err) != hearth.NotFound {
				t.Fatalf("got %v", err)
			}
			if _, err := db.Meeting(ctx, m.ID); err != nil {
				t.Fatal(err)
			}
		})
		t.Run("a policy never set reads as the defaults", func(t *testing.T) {
			p, err := db.MeetingPolicy(ctx, g.ID)
			if err != nil || p.PublishLink || p.LinkLeadMinutes != hearth.DefaultLinkLeadMinutes {
				t.Fatalf("%+v %v", p, err)
			}
			if err := db.InTx(ctx, func(tx *sqldb.Tx) error {
				return tx.SetMeetingPolicy(ctx, g.ID, hearth.MeetingPolicy{PublishLink: true, LinkLeadMinutes: 10})
			}); err != nil {
				t.Fatal(err)
			}
			p, _ = db.MeetingPolicy(ctx, g.ID)
			if !p.PublishLink || p.LinkLeadMinutes != 10 {
				t.Fatalf("%+v", p)
			}
		})
	})
}

func TestMeetingPeopleStorage(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		o := &hearth.Organization{Slug: "hope", Name: "Hope"}
		if err := db.CreateOrganization(ctx, o); err != nil {
			t.Fatal(err)
		}
		g := sampleGroup(o.ID, "circle")
		if err := db.CreateGroup(ctx, g, nil); err != nil {
			t.Fatal(err)
		}
		u := &hearth.User{Handle: "river"}
		if err := db.CreateUser(ctx, u, sqldb.Credentials{PasswordHash: "x", RecoveryHash: "y"}); err != nil {
			t.Fatal(err)
		}
		chicago, _ := time.LoadLocation("America/Chicago")
		m := &hearth.Meeting{GroupID: g.ID, Start: time.Date(2026, 3, 3, 19, 0, 0, 0, chicago), Duration: 60, RRule: "FREQ=WEEKLY;BYDAY=TU",
			Attend: hearth.Attend{Mode: hearth.Online, ConferenceURL: "https://meet.example.org/a"}}
		if err := db.InTx(ctx, func(tx *sqldb.Tx) error { return tx.InsertMeeting(ctx, m) }); err != nil {
			t.Fatal(err)
		}
		at := m.Start
		t.Run("a second RSVP by the same person is a conflict", func(t *testing.T) {
			if err := db.InTx(ctx, func(tx *sqldb.Tx) error { return tx.InsertRSVP(ctx, m.ID, at, u.ID) }); err != nil {
				t.Fatal(err)
			}
			err := db.InTx(ctx, func(tx *sqldb.Tx) error { return tx.InsertRSVP(ctx, m.ID, at, u.ID) })
			if hearth.ErrorKind(err) != hearth.Conflict {
				t.Fatalf("got %v", err)
			}
			rs, _ := db.RSVPsOf(ctx, u.ID, at.Add(-time.Hour))
			if len(rs) != 1 || !rs[0].Original.Equal(at) {
				t.Fatalf("rsvps %+v", rs)
			}
			if ms, _ := db.MeetingsWithAudience(ctx, at.Add(-time.Hour)); len(ms[g.ID]) != 1 {
				t.Fatal("a meeting with a place taken is not in the reminder chore's view")
			}
		})
		t.Run("attendance is set, replaced and cleared", func(t *testing.T) {
			for _, mark := range []hearth.AttendanceMark{hearth.Absent, hearth.Present} {
				if err := db.InTx(ctx, func(tx *sqldb.Tx) error {
					return tx.SetAttendance(ctx, m.ID, at, map[int64]hearth.AttendanceMark{u.ID: mark}, u.ID)
				}); err != nil {
					t.Fatal(err)
				}
			}
			marks, _ := db.Attendance(ctx, g.ID, u.ID)
			if len(marks) != 1 || marks[0].Mark != hearth.Present {
				t.Fatalf("marks %+v", marks)
			}
			db.InTx(ctx, func(tx *sqldb.Tx) error {
				return tx.SetAttendance(ctx, m.ID, at, map[int64]hearth.AttendanceMark{u.ID: ""}, u.ID)
			})
			if marks, _ := db.Attendance(ctx, g.ID, 0); len(marks) != 0 {
				t.Fatalf("marks after clearing %+v", marks)
			}
		})
		t.Run("a personal link is revoked, and restored under a new generation", func(t *testing.T) {
			if la, err := db.LinkAccess(ctx, m.ID, u.ID); err != nil || la.Generation != 0 || la.Revoked {
				t.Fatalf("before any change: %+v %v", la, err)
			}
			db.InTx(ctx, func(tx *sqldb.Tx) error { return tx.RevokeLink(ctx, m.ID, u.ID, u.ID) })
			if la, _ := db.LinkAccess(ctx, m.ID, u.ID); !la.Revoked || la.Generation != 0 {
				t.Fatalf("revoked: %+v", la)
			}
			if rv, _ := db.RevokedLinkUsers(ctx, g.ID); len(rv[m.ID]) != 1 {
				t.Fatalf("revoked list %v", rv)
			}
			for want := int64(1); want <= 2; want++ {
				db.InTx(ctx, func(tx *sqldb.Tx) error { return tx.RestoreLink(ctx, m.ID, u.ID, u.ID) })
				if la, _ := db.LinkAccess(ctx, m.ID, u.ID); la.Revoked || la.Generation != want {
					t.Fatalf("restored: %+v, want generation %d", la, want)
				}
			}
			if rv, _ := db.RevokedLinkUsers(ctx, g.ID); len(rv[m.ID]) != 0 {
				t.Fatalf("revoked list after restore %v", rv)
			}
		})
		t.Run("a link key is stored once and never replaced", func(t *testing.T) {
			if k, err := db.MeetingLinkKey(ctx, m.ID); err != nil || k != nil {
				t.Fatalf("before: %x %v", k, err)
			}
			if refs, _ := db.MeetingsWithoutLinkKey(ctx, g.ID, 10); len(refs) != 1 || refs[0].ID != m.ID || refs[0].GroupID != g.ID {
				t.Fatalf("without key: %+v", refs)
			}
			for i, key := range [][]byte{[]byte("sealed-one"), []byte("sealed-two")} {
				stored, err := db.SetMeetingLinkKey(ctx, m.ID, key)
				if err != nil || stored != (i == 0) {
					t.Fatalf("set %d: %v %v", i, stored, err)
				}
			}
			if k, _ := db.MeetingLinkKey(ctx, m.ID); string(k) != "sealed-one" {
				t.Fatalf("key %q", k)
			}
			if refs, _ := db.MeetingsWithoutLinkKey(ctx, 0, 10); len(refs) != 0 {
				t.Fatalf("still without key: %+v", refs)
			}
		})
		t.Run("a new calendar address replaces the old", func(t *testing.T) {
			db.SetCalendarToken(ctx, u.ID, "hash-one")
			db.SetCalendarToken(ctx, u.ID, "hash-two")
			if _, err := db.UserByCalendarToken(ctx, "hash-one"); hearth.ErrorKind(err) != hearth.NotFound {
				t.Fatalf("old address: %v", err)
			}
			if got, err := db.UserByCalendarToken(ctx, "hash-two"); err != nil || got.ID != u.ID {
				t.Fatalf("new address: %v", err)
			}
			db.DeleteCalendarToken(ctx, u.ID)
			if c, _ := db.CalendarTokenCreated(ctx, u.ID); !c.IsZero() {
				t.Fatal("still on")
			}
		})
		t.Run("deleting the meeting removes its places, marks and tokens", func(t *testing.T) {
			if err := db.InTx(ctx, func(tx *sqldb.Tx) error { return tx.DeleteMeeting(ctx, g.ID, m.ID) }); err != nil {
				t.Fatal(err)
			}
			if rs, _ := db.RSVPsOf(ctx, u.ID, time.Time{}); len(rs) != 0 {
				t.Fatal("places remain")
			}
		})
	})
}

func TestExceptionsFollowTheGroupsZoneAndBadZonesAreNamed(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		o := &hearth.Organization{Slug: "hope", Name: "Hope"}
		if err := db.CreateOrganization(ctx, o); err != nil {
			t.Fatal(err)
		}
		g := sampleGroup(o.ID, "circle")
		g.Location.TimeZone = "America/Chicago"
		if err := db.CreateGroup(ctx, g, nil); err != nil {
			t.Fatal(err)
		}
		chicago, _ := time.LoadLocation("America/Chicago")
		m := &hearth.Meeting{GroupID: g.ID, Start: time.Date(2026, 3, 3, 19, 0, 0, 0, chicago), Duration: 60,
			RRule: "FREQ=WEEKLY;BYDAY=TU", Attend: hearth.Attend{Mode: hearth.InPerson}}
		if err := db.InTx(ctx, func(tx *sqldb.Tx) error { return tx.InsertMeeting(ctx, m) }); err != nil {
			t.Fatal(err)
		}
		orig := time.Date(2026, 3, 17, 19, 0, 0, 0, chicago)
		e := hearth.MeetingException{MeetingID: m.ID, Original: orig.UTC(), Start: time.Date(2026, 3, 18, 20, 0, 0, 0, chicago), Duration: 60}
		if err := db.InTx(ctx, func(tx *sqldb.Tx) error { return tx.PutException(ctx, &e) }); err != nil {
			t.Fatal(err)
		}
		t.Run("an exception reads back at its wall clock in the group's zone", func(t *testing.T) {
			ex, err := db.ExceptionsByMeeting(ctx, []int64{m.ID})
			if err != nil || len(ex[m.ID]) != 1 {
				t.Fatalf("%+v %v", ex, err)
			}
			got := ex[m.ID][0]
			if !got.Original.Equal(orig) || got.Original.Location().String() != "America/Chicago" || got.Start.Hour() != 20 {
				t.Fatalf("read back %+v", got)
			}
		})
		t.Run("when the group's zone changes, the exception keeps its local time", func(t *testing.T) {
			g.Location.TimeZone = "America/Denver"
			if err := db.UpdateGroup(ctx, g, nil); err != nil {
				t.Fatal(err)
			}
			denver, _ := time.LoadLocation("America/Denver")
			ex, _ := db.ExceptionsByMeeting(ctx, []int64{m.ID})
			got := ex[m.ID][0]
			if !got.Original.Equal(time.Date(2026, 3, 17, 19, 0, 0, 0, denver)) || !got.Start.Equal(time.Date(2026, 3, 18, 20, 0, 0, 0, denver)) {
				t.Fatalf("after the zone change %v → %v", got.Original, got.Start)
			}
			mm, _ := db.Meeting(ctx, m.ID)
			if mm.Start.Hour() != 19 || mm.Start.Location().String() != "America/Denver" {
				t.Fatalf("meeting start %v", mm.Start)
			}
			// Restoring names the occurrence at its new instant.
			if err := db.InTx(ctx, func(tx *sqldb.Tx) error { return tx.DeleteException(ctx, m.ID, got.Original.UTC()) }); err != nil {
				t.Fatal(err)
			}
		})
		t.Run("a group whose stored zone is unknown is named, not read at a wrong time", func(t *testing.T) {
			bad := sampleGroup(o.ID, "broken")
			bad.Location.TimeZone = "Mars/Olympus_Mons"
			if err := db.CreateGroup(ctx, bad, nil); err != nil {
				t.Fatal(err)
			}
			bm := &hearth.Meeting{GroupID: bad.ID, Start: time.Date(2026, 3, 3, 19, 0, 0, 0, time.UTC), Duration: 60, Attend: hearth.Attend{Mode: hearth.InPerson}}
			if err := db.InTx(ctx, func(tx *sqldb.Tx) error { return tx.InsertMeeting(ctx, bm) }); err != nil {
				t.Fatal(err)
			}
			var ze *sqldb.ZoneError
			if _, err := db.Meeting(ctx, bm.ID); !errors.As(err, &ze) || ze.Zones[bad.ID] != "Mars/Olympus_Mons" {
				t.Fatalf("one meeting: %v", err)
			}
			byGroup, err := db.MeetingsByGroup(ctx, []int64{g.ID, bad.ID})
			if !errors.As(err, &ze) || len(byGroup[g.ID]) != 1 || len(byGroup[bad.ID]) != 0 {
				t.Fatalf("many groups: %v %v", byGroup, err)
			}
			if !strings.Contains(err.Error(), fmt.Sprintf("group %d has the unknown time zone", bad.ID)) {
				t.Fatalf("message %q", err)
			}
			skipped := 0
			if err := sqldb.SkipBadZones(err, func(ze *sqldb.ZoneError) { skipped = len(ze.Zones) }); err != nil || skipped != 1 {
				t.Fatalf("skip: %v %d", err, skipped)
			}
			if err := sqldb.SkipBadZones(fmt.Errorf("disk: %w", errors.New("gone")), func(*sqldb.ZoneError) {}); err == nil {
				t.Fatal("another error was skipped")
			}
			e := hearth.MeetingException{MeetingID: bm.ID, Original: bm.Start, Cancelled: true}
			if err := db.InTx(ctx, func(tx *sqldb.Tx) error { return tx.PutException(ctx, &e) }); !errors.As(err, &ze) {
				t.Fatalf("exception in a bad zone: %v", err)
			}
		})
	})
}

func TestPlacesAndMarksFollowTheGroupsZone(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		o := &hearth.Organization{Slug: "hope", Name: "Hope"}
		if err := db.CreateOrganization(ctx, o); err != nil {
			t.Fatal(err)
		}
		g := sampleGroup(o.ID, "circle")
		g.Location.TimeZone = "Pacific/Kiritimati" // UTC+14
		if err := db.CreateGroup(ctx, g, nil); err != nil {
			t.Fatal(err)
		}
		u := &hearth.User{Handle: "river"}
		if err := db.CreateUser(ctx, u, sqldb.Credentials{PasswordHash: "x", RecoveryHash: "y"}); err != nil {
			t.Fatal(err)
		}
		kiri, _ := time.LoadLocation("Pacific/Kiritimati")
		hono, _ := time.LoadLocation("Pacific/Honolulu") // UTC-10: the same wall clock is 24 hours later
		m := &hearth.Meeting{GroupID: g.ID, Start: time.Date(2026, 3, 2, 19, 0, 0, 0, kiri), Duration: 60, RRule: "FREQ=DAILY",
			Attend: hearth.Attend{Mode: hearth.InPerson}}
		if err := db.InTx(ctx, func(tx *sqldb.Tx) error { return tx.InsertMeeting(ctx, m) }); err != nil {
			t.Fatal(err)
		}
		day1, day2 := time.Date(2026, 3, 3, 19, 0, 0, 0, kiri), time.Date(2026, 3, 4, 19, 0, 0, 0, kiri)
		err := db.InTx(ctx, func(tx *sqldb.Tx) error {
			for _, d := range []time.Time{day1, day2} {
				if err := tx.InsertRSVP(ctx, m.ID, d, u.ID); err != nil {
					return err
				}
			}
			return tx.SetAttendance(ctx, m.ID, day1, map[int64]hearth.AttendanceMark{u.ID: hearth.Present}, u.ID)
		})
		if err != nil {
			t.Fatal(err)
		}
		t.Run("nothing is out of zone while the group keeps its zone", func(t *testing.T) {
			if out, err := db.AnyMeetingOutOfZone(ctx); err != nil || out {
				t.Fatalf("%v %v", out, err)
			}
		})
		g.Location.TimeZone = "Pacific/Honolulu"
		if err := db.UpdateGroup(ctx, g, nil); err != nil {
			t.Fatal(err)
		}
		t.Run("a zone change is seen, and moving keeps each place on its wall clock even where new and old instants meet", func(t *testing.T) {
			var moves []sqldb.ZoneMove
			err := db.InTx(ctx, func(tx *sqldb.Tx) error {
				var err error
				if moves, err = tx.MeetingsOutOfZone(ctx, g.ID); err != nil || len(moves) != 1 {
					return fmt.Errorf("moves %+v: %v", moves, err)
				}
				return tx.MoveMeetingZone(ctx, m.ID, kiri, hono)
			})
			if err != nil || moves[0].From != "Pacific/Kiritimati" || moves[0].To != "Pacific/Honolulu" {
				t.Fatalf("%+v %v", moves, err)
			}
			rs, _ := db.RSVPsOf(ctx, u.ID, time.Time{})
			want := []time.Time{time.Date(2026, 3, 3, 19, 0, 0, 0, hono), time.Date(2026, 3, 4, 19, 0, 0, 0, hono)}
			if len(rs) != 2 || !rs[0].Original.Equal(want[0]) || !rs[1].Original.Equal(want[1]) {
				t.Fatalf("places %+v", rs)
			}
			marks, _ := db.Attendance(ctx, g.ID, u.ID)
			if len(marks) != 1 || !marks[0].Original.Equal(want[0]) {
				t.Fatalf("marks %+v", marks)
			}
			if out, _ := db.AnyMeetingOutOfZone(ctx); out {
				t.Fatal("still out of zone after the move")
			}
		})
	})
}
