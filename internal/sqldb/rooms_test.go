package sqldb_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/sqldb"
	"github.com/hearth-org/hearth/internal/sqldb/sqldbtest"
)

// roomFixture is a group with an online meeting, people with memberships
// (the first a facilitator) and two rooms (two occurrences) everyone was
// admitted to.
type roomFixture struct {
	db     *sqldb.DB
	g      *hearth.Group
	m      *hearth.Meeting
	users  []int64
	mships []*hearth.Membership
	rooms  []*sqldb.Room
	adm    map[[2]int64]*sqldb.Admission // (room, user)
	start  time.Time
}

func newRoomFixture(t *testing.T, db *sqldb.DB, now time.Time, people int) *roomFixture {
	t.Helper()
	return newRoomsFixture(t, db, now, people, 2)
}

// newRoomsFixture is newRoomFixture with n rooms (n weekly occurrences).
func newRoomsFixture(t testing.TB, db *sqldb.DB, now time.Time, people, n int) *roomFixture {
	t.Helper()
	ctx := context.Background()
	g, users := membershipFixture(t, db, people)
	f := &roomFixture{db: db, g: g, users: users, adm: map[[2]int64]*sqldb.Admission{}, start: now.Add(10 * time.Minute)}
	f.m = &hearth.Meeting{GroupID: g.ID, Start: f.start, Duration: 60, RRule: "FREQ=WEEKLY", Attend: hearth.Attend{Mode: hearth.Online, ConferenceURL: "https://meet.example.org/x"}}
	err := db.InTx(ctx, func(tx *sqldb.Tx) error {
		if err := tx.InsertMeeting(ctx, f.m); err != nil {
			return err
		}
		for i, u := range users {
			role := hearth.RoleMember
			if i == 0 {
				role = hearth.RoleFacilitator
			}
			ms := &hearth.Membership{GroupID: g.ID, UserID: u, Role: role, Status: hearth.StatusActive, Pseudonym: fmt.Sprintf("Member %d", i)}
			if err := tx.InsertMembership(ctx, ms); err != nil {
				return err
			}
			f.mships = append(f.mships, ms)
		}
		for w := 0; w < n; w++ {
			orig := f.start.Add(time.Duration(w) * 7 * 24 * time.Hour)
			opens, closes := hearth.RoomWindow(orig, orig.Add(time.Hour), 15)
			r, err := tx.EnsureRoom(ctx, &sqldb.Room{GroupID: g.ID, MeetingID: f.m.ID, Original: orig, Opens: opens, Closes: closes})
			if err != nil {
				return err
			}
			f.rooms = append(f.rooms, r)
			for i, u := range users {
				a := &sqldb.Admission{RoomID: r.ID, UserID: u, MembershipID: f.mships[i].ID, Pseudonym: f.mships[i].Pseudonym, Facilitator: i == 0, AdmittedAt: now}
				if err := tx.Admit(ctx, a); err != nil {
					return err
				}
				f.adm[[2]int64{r.ID, u}] = a
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// msg is a message from person i into room r.
func (f *roomFixture) msg(r, i int, key string) *sqldb.AppendEvent {
	room := f.rooms[r].ID
	return &sqldb.AppendEvent{RoomEvent: sqldb.RoomEvent{Room: room, Kind: "message", Actor: f.adm[[2]int64{room, f.users[i]}].ID, Key: key},
		UserID: f.users[i]}
}

func (f *roomFixture) event(r, i int, kind string) *sqldb.AppendEvent {
	room := f.rooms[r].ID
	return &sqldb.AppendEvent{RoomEvent: sqldb.RoomEvent{Room: room, Kind: kind, Actor: f.adm[[2]int64{room, f.users[i]}].ID}, UserID: f.users[i]}
}

// fakeSeal stands in for the vault: it binds the "text" to its number so
// the test can see the seal ran after numbering.
func fakeSeal(e *sqldb.AppendEvent) error {
	e.Sealed = []byte(fmt.Sprintf("sealed:%d:%d:%s", e.Room, e.Seq, e.Key))
	return nil
}

func (f *roomFixture) append(t *testing.T, at time.Time, evs ...*sqldb.AppendEvent) {
	t.Helper()
	ctx := context.Background()
	if err := f.db.InTx(ctx, func(tx *sqldb.Tx) error { return tx.AppendRoomEvents(ctx, evs, at, fakeSeal) }); err != nil {
		t.Fatal(err)
	}
}

func TestRoomStorage(t *testing.T) {
	forEachEngineAt(t, func(t *testing.T, db *sqldb.DB, c *clock) {
		ctx := context.Background()
		now := c.Now()
		f := newRoomFixture(t, db, now, 4)

		t.Run("the same occurrence gives the same room, and its window follows a move", func(t *testing.T) {
			r := f.rooms[0]
			var again *sqldb.Room
			err := db.InTx(ctx, func(tx *sqldb.Tx) error {
				var err error
				again, err = tx.EnsureRoom(ctx, &sqldb.Room{GroupID: f.g.ID, MeetingID: f.m.ID, Original: r.Original, Opens: r.Opens, Closes: r.Closes.Add(time.Hour)})
				return err
			})
			if err != nil || again.ID != r.ID || !again.Closes.Equal(r.Closes.Add(time.Hour)) {
				t.Fatalf("room %+v, %v", again, err)
			}
			err = db.InTx(ctx, func(tx *sqldb.Tx) error {
				_, err := tx.EnsureRoom(ctx, &sqldb.Room{GroupID: f.g.ID, MeetingID: f.m.ID, Original: r.Original, Opens: r.Opens, Closes: r.Closes})
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
		})

		t.Run("a batch across two rooms numbers each room's events consecutively, in batch order", func(t *testing.T) {
			batch := []*sqldb.AppendEvent{f.msg(0, 1, "a1"), f.msg(1, 2, "b1"), f.msg(0, 2, "a2"), f.event(0, 1, "hand"), f.msg(1, 3, "b2"), f.msg(0, 3, "a3")}
			f.append(t, now, batch...)
			var seqs []int64
			for _, e := range batch {
				if e.Err != nil || e.Duplicate {
					t.Fatalf("event %+v refused: %v", e.RoomEvent, e.Err)
				}
				seqs = append(seqs, e.Seq)
			}
			if !slices.Equal(seqs, []int64{1, 1, 2, 3, 2, 4}) {
				t.Fatalf("seqs %v", seqs)
			}
			got, err := db.RoomEventsSince(ctx, f.rooms[0].ID, 0, 100)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 4 || got[0].Key != "a1" || got[2].Kind != "hand" || got[3].Name != "Member 3" || string(got[3].Sealed) != fmt.Sprintf("sealed:%d:4:a3", f.rooms[0].ID) {
				t.Fatalf("events %+v", got)
			}
			if later, _ := db.RoomEventsSince(ctx, f.rooms[0].ID, 2, 1); len(later) != 1 || later[0].Seq != 3 {
				t.Fatalf("since 2, limit 1: %+v", later)
			}
		})

		t.Run("a retried send returns the stored number and takes none", func(t *testing.T) {
			retry, fresh, twice := f.msg(0, 2, "a2"), f.msg(0, 2, "a4"), f.msg(0, 2, "a4")
			f.append(t, now, retry, fresh, twice)
			if !retry.Duplicate || retry.Seq != 2 || string(retry.Sealed) != fmt.Sprintf("sealed:%d:2:a2", f.rooms[0].ID) {
				t.Fatalf("retry %+v", retry)
			}
			if fresh.Duplicate || fresh.Seq != 5 {
				t.Fatalf("fresh %+v", fresh)
			}
			if !twice.Duplicate || twice.DuplicateOf() != fresh {
				t.Fatalf("the same key twice in one batch: %+v", twice)
			}
			if r, _ := db.Room(ctx, f.rooms[0].ID); r.LastSeq != 5 {
				t.Fatalf("last seq %d", r.LastSeq)
			}
		})

		t.Run("the same key from another member is another message", func(t *testing.T) {
			e := f.msg(0, 3, "a2")
			f.append(t, now, e)
			if e.Duplicate || e.Seq != 6 {
				t.Fatalf("%+v", e)
			}
		})

		t.Run("refused events take no number and leave the rest of the batch stored", func(t *testing.T) {
			stranger := f.msg(0, 1, "x1")
			stranger.UserID = f.users[2] // someone else's admission
			wrongRoom := f.msg(0, 1, "x2")
			wrongRoom.Room = f.rooms[1].ID
			notFac := f.event(0, 1, "lock")
			notFac.On = true
			noRoom := f.msg(0, 1, "x3")
			noRoom.Room = 999999
			ok := f.msg(0, 1, "x4")
			f.append(t, now, stranger, wrongRoom, notFac, noRoom, ok)
			for _, e := range []*sqldb.AppendEvent{stranger, wrongRoom, notFac, noRoom} {
				if e.Err == nil {
					t.Fatalf("accepted %+v", e.RoomEvent)
				}
			}
			if hearth.AsError(notFac.Err).Code != "room_facilitators_only" || hearth.AsError(noRoom.Err).Code != "no_room" {
				t.Fatalf("errors %v, %v", notFac.Err, noRoom.Err)
			}
			if ok.Err != nil || ok.Seq != 7 {
				t.Fatalf("ok %+v %v", ok.RoomEvent, ok.Err)
			}
		})

		t.Run("a member muted in the group, or no longer active, cannot send", func(t *testing.T) {
			err := db.InTx(ctx, func(tx *sqldb.Tx) error {
				if err := tx.SetMute(ctx, f.g.ID, f.users[3], now.Add(time.Hour), 1); err != nil {
					return err
				}
				m := f.mships[2]
				m.Status = hearth.StatusRemoved
				return tx.SaveMembership(ctx, m)
			})
			if err != nil {
				t.Fatal(err)
			}
			muted, removed, hand := f.msg(1, 3, "m1"), f.msg(1, 2, "r1"), f.event(1, 3, "hand")
			f.append(t, now, muted, removed, hand)
			if hearth.AsError(muted.Err).Code != "muted" || hearth.AsError(removed.Err).Code != "not_in_room" || hand.Err != nil {
				t.Fatalf("muted %v, removed %v, hand %v", muted.Err, removed.Err, hand.Err)
			}
		})

		t.Run("lock and end change the room; nothing is stored after the end", func(t *testing.T) {
			lock := f.event(1, 0, "lock")
			lock.On = true
			end := f.event(1, 0, "end")
			after := f.msg(1, 1, "late")
			f.append(t, now, lock, end, after)
			r, err := db.Room(ctx, f.rooms[1].ID)
			if err != nil {
				t.Fatal(err)
			}
			if !r.Locked || r.Ended.IsZero() || lock.Err != nil || end.Err != nil || hearth.AsError(after.Err).Code != "room_ended" {
				t.Fatalf("room %+v; lock %v end %v after %v", r, lock.Err, end.Err, after.Err)
			}
			again := f.msg(1, 1, "later")
			f.append(t, now, again)
			if hearth.AsError(again.Err).Code != "room_ended" {
				t.Fatalf("after the end: %v", again.Err)
			}
		})

		t.Run("a room's closed window refuses events", func(t *testing.T) {
			late := f.msg(0, 1, "closed")
			f.append(t, f.rooms[0].Closes.Add(2*time.Hour), late)
			if hearth.AsError(late.Err).Code != "room_closed" {
				t.Fatalf("%v", late.Err)
			}
		})

		t.Run("a round keeps its order and a remove is found", func(t *testing.T) {
			round := f.event(0, 0, "round_start")
			round.Round, round.Seconds, round.Order = "check_in", 60, []int64{f.adm[[2]int64{f.rooms[0].ID, f.users[1]}].ID, f.adm[[2]int64{f.rooms[0].ID, f.users[3]}].ID}
			rm := f.event(0, 0, "remove")
			rm.Target = f.adm[[2]int64{f.rooms[0].ID, f.users[1]}].ID
			f.append(t, now, round, rm)
			got, err := db.RoomEventsSince(ctx, f.rooms[0].ID, round.Seq-1, 10)
			if err != nil || len(got) != 2 || !slices.Equal(got[0].Order, round.Order) || got[0].Seconds != 60 || got[1].TargetName != "Member 1" {
				t.Fatalf("%+v %v", got, err)
			}
			var removed bool
			err = db.InTx(ctx, func(tx *sqldb.Tx) error {
				var err error
				removed, err = tx.RemovedFromRoom(ctx, f.rooms[0].ID, rm.Target)
				return err
			})
			if err != nil || !removed {
				t.Fatalf("removed %v %v", removed, err)
			}
		})

		t.Run("presence marks attendance once and a facilitator's mark stands", func(t *testing.T) {
			orig := f.rooms[0].Original
			var first, second bool
			err := db.InTx(ctx, func(tx *sqldb.Tx) error {
				var err error
				if first, err = tx.MarkPresent(ctx, f.m.ID, orig, f.users[1], 0); err != nil {
					return err
				}
				if err := tx.SetAttendance(ctx, f.m.ID, orig, map[int64]hearth.AttendanceMark{f.users[2]: hearth.Excused}, f.users[0]); err != nil {
					return err
				}
				second, err = tx.MarkPresent(ctx, f.m.ID, orig, f.users[2], 0)
				return err
			})
			if err != nil || !first || second {
				t.Fatalf("first %v second %v %v", first, second, err)
			}
			marks, err := db.Attendance(ctx, f.g.ID, f.users[2])
			if err != nil || len(marks) != 1 || marks[0].Mark != hearth.Excused {
				t.Fatalf("marks %+v %v", marks, err)
			}
		})
	})
}

// TestRoomBigBatchesAndOddKeys: a batch larger than every prepared chunk
// (SQLite writes 64, 16, 4 and 1 rows at a time) is numbered and stored
// whole and in order; keys with quotes, backslashes, control characters,
// HTML and accents are found again when retried (the look-up carries them
// in JSON on SQLite); a key that is not UTF-8 is refused on its own.
func TestRoomBigBatchesAndOddKeys(t *testing.T) {
	forEachEngineAt(t, func(t *testing.T, db *sqldb.DB, c *clock) {
		ctx := context.Background()
		f := newRoomsFixture(t, db, c.Now(), 4, 3)
		odd := []string{`q"uote`, `back\slash\`, "tab\tnew\nline\x01", "<b>&amp;</b>", "café ñ 🙂", `\u0041`}
		var batch []*sqldb.AppendEvent
		for i := 0; i < 2*64+16+4+3; i++ { // 64, 64, 16, 4, 1, 1, 1
			key := fmt.Sprintf("big-%d", i)
			if i < len(odd) {
				key = odd[i]
			}
			batch = append(batch, f.msg(i%3, 1+i%3, key))
		}
		bad := f.msg(0, 1, "bad\xff")
		batch = append(batch, bad)
		f.append(t, c.Now(), batch...)
		if bad.Err == nil || hearth.AsError(bad.Err).Code != "room_bad_key" || bad.Seq != 0 {
			t.Fatalf("a key not UTF-8: %+v", bad)
		}
		next := map[int64]int64{}
		for _, e := range batch[:len(batch)-1] {
			if e.Err != nil || e.Duplicate {
				t.Fatalf("%q: %v", e.Key, e.Err)
			}
			next[e.Room]++
			if e.Seq != next[e.Room] {
				t.Fatalf("%q has seq %d, want %d", e.Key, e.Seq, next[e.Room])
			}
		}
		for r := range f.rooms {
			got, err := db.RoomEventsSince(ctx, f.rooms[r].ID, 0, 1000)
			if err != nil || int64(len(got)) != next[f.rooms[r].ID] {
				t.Fatalf("room %d: %d events, %v", r, len(got), err)
			}
		}
		var again []*sqldb.AppendEvent
		for i, k := range odd {
			again = append(again, f.msg(i%3, 1+i%3, k))
		}
		f.append(t, c.Now(), again...)
		for i, e := range again {
			if !e.Duplicate || e.Seq != batch[i].Seq || e.Key != odd[i] {
				t.Fatalf("retry of %q: %+v", odd[i], e)
			}
		}

		// A retry behind a whole chunk of new messages: the new ones
		// are stored once, numbered on from the room's last, the retry is
		// answered with its number, and a key twice in the batch with
		// the first of the two.
		room0 := f.rooms[0].ID
		before, err := db.RoomEventsSince(ctx, room0, 0, 1000)
		if err != nil {
			t.Fatal(err)
		}
		var mixed []*sqldb.AppendEvent
		for i := range 70 {
			mixed = append(mixed, f.msg(0, 1, fmt.Sprintf("mixed-%d", i)))
		}
		retry, twice := f.msg(0, 1, odd[0]), f.msg(0, 1, "mixed-3")
		mixed = append(mixed, retry, twice)
		f.append(t, c.Now(), mixed...)
		last := int64(len(before))
		for i, e := range mixed[:70] {
			if e.Err != nil || e.Duplicate || e.Seq != last+1+int64(i) {
				t.Fatalf("new message %d behind a retry: seq %d (want %d), duplicate %v, %v", i, e.Seq, last+1+int64(i), e.Duplicate, e.Err)
			}
		}
		if !retry.Duplicate || retry.Seq != batch[0].Seq {
			t.Fatalf("the retry behind 70 new messages: %+v", retry)
		}
		if !twice.Duplicate || twice.DuplicateOf() != mixed[3] {
			t.Fatalf("a key twice in the batch: %+v", twice)
		}
		after, err := db.RoomEventsSince(ctx, room0, 0, 1000)
		if err != nil || len(after) != len(before)+70 {
			t.Fatalf("%d events after, %d before: %v", len(after), len(before), err)
		}
		if r, err := db.Room(ctx, room0); err != nil || r.LastSeq != last+70 {
			t.Fatalf("last seq %d, want %d (%v)", r.LastSeq, last+70, err)
		}
	})
}

// TestRoomRetryFoundByEveryHandle: a retried send is answered with the
// stored message whichever handle on the database stored it (two
// processes on one SQLite file or one PostgreSQL database) and by a handle
// opened afterwards (a restart). On SQLite each handle remembers the keys
// it has read (roomkeys.go); this is what keeps that memory exact.
func TestRoomRetryFoundByEveryHandle(t *testing.T) {
	for _, e := range sqldbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			ctx := context.Background()
			c := &clock{t: time.Date(2026, 3, 3, 12, 0, 0, 0, time.UTC)}
			dbURL, dir := sqldbtest.URL(t, e)
			open := func() *roomFixture {
				t.Helper()
				db, err := sqldb.Open(ctx, sqldb.Options{URL: dbURL, DataDir: dir, Now: c.Now})
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { db.Close() })
				return &roomFixture{db: db}
			}
			a := open()
			f := newRoomFixture(t, a.db, c.Now(), 3)
			on := func(h *roomFixture) *roomFixture { g := *f; g.db = h.db; return &g }
			now := c.Now()
			first := f.msg(0, 1, "k1")
			on(a).append(t, now, first)

			b := on(open())
			retry, k2 := f.msg(0, 1, "k1"), f.msg(0, 1, "k2")
			b.append(t, now, retry, k2)
			if !retry.Duplicate || retry.Seq != first.Seq || k2.Duplicate || k2.Seq != 2 {
				t.Fatalf("a second handle: retry %+v, new %+v", retry, k2)
			}

			// a last read the log at 1; b stored 2 since.
			retry2, k3 := f.msg(0, 1, "k2"), f.msg(0, 1, "k3")
			on(a).append(t, now, retry2, k3)
			if !retry2.Duplicate || retry2.Seq != 2 || k3.Duplicate || k3.Seq != 3 {
				t.Fatalf("the first handle after the second stored: retry %+v, new %+v", retry2, k3)
			}

			later := on(open())
			var again []*sqldb.AppendEvent
			for _, k := range []string{"k1", "k2", "k3"} {
				again = append(again, f.msg(0, 1, k))
			}
			elsewhere := f.msg(0, 2, "k1") // another member's key k1
			later.append(t, now, append(again, elsewhere)...)
			for i, e := range again {
				if !e.Duplicate || e.Seq != int64(i+1) {
					t.Fatalf("a handle opened later, retry of %s: %+v", e.Key, e)
				}
			}
			if elsewhere.Duplicate || elsewhere.Seq != 4 {
				t.Fatalf("another member's key: %+v", elsewhere)
			}
			if got, err := a.db.RoomEventsSince(ctx, f.rooms[0].ID, 0, 100); err != nil || len(got) != 4 {
				t.Fatalf("%d events stored, %v", len(got), err)
			}
		})
	}
}

// TestRoomKeyMemoryIsCheckedAgainstTheLog: on SQLite the memory of a
// room's keys holds hashes, and two keys can share one. A key the memory
// places on another message is a new message; a stored key the memory
// places wrongly is still found.
func TestRoomKeyMemoryIsCheckedAgainstTheLog(t *testing.T) {
	c := &clock{t: time.Date(2026, 3, 3, 12, 0, 0, 0, time.UTC)}
	db := sqldbtest.Open(t, sqldb.SQLite, sqldbtest.Options{Now: c.Now})
	f := newRoomFixture(t, db, c.Now(), 3)
	now := c.Now()
	one, two := f.msg(0, 1, "one"), f.msg(0, 1, "two")
	f.append(t, now, one, two)
	room, actor := f.rooms[0].ID, one.Actor
	if !db.MisrememberSentKeyForTest(room, actor, "three", one.Seq) || !db.MisrememberSentKeyForTest(room, actor, "two", one.Seq) {
		t.Fatal("the room's keys are not remembered after a batch")
	}
	three, retry := f.msg(0, 1, "three"), f.msg(0, 1, "two")
	f.append(t, now, three, retry)
	if three.Duplicate || three.Seq != 3 {
		t.Fatalf("a new key the memory placed on message 1: %+v", three)
	}
	if !retry.Duplicate || retry.Seq != two.Seq {
		t.Fatalf("a stored key the memory placed on message 1: %+v", retry)
	}
}

// TestRoomKeysForgottenAndReadAgain: past its limit the SQLite handle
// forgets the rooms that sent nothing for longest; a retry in a forgotten
// room is still found (its keys are read from the log again), and the
// busy room stays remembered.
func TestRoomKeysForgottenAndReadAgain(t *testing.T) {
	c := &clock{t: time.Date(2026, 3, 3, 12, 0, 0, 0, time.UTC)}
	db := sqldbtest.Open(t, sqldb.SQLite, sqldbtest.Options{Now: c.Now})
	f := newRoomsFixture(t, db, c.Now(), 3, 4)
	now := c.Now()
	first := map[int]*sqldb.AppendEvent{}
	for r := range 4 {
		first[r] = f.msg(r, 1, "first")
		f.append(t, now, first[r], f.msg(r, 2, "second"))
	}
	if n := db.LimitSentKeysForTest(3); n != 4 {
		t.Fatalf("%d rooms remembered, want 4", n)
	}
	f.append(t, now, f.msg(3, 1, "third")) // over the limit: rooms 0 and 1 go
	if n := db.LimitSentKeysForTest(1 << 20); n != 2 {
		t.Fatalf("%d rooms remembered after the limit, want 2", n)
	}
	for r := range 4 {
		retry, fresh := f.msg(r, 1, "first"), f.msg(r, 1, "fourth")
		f.append(t, now, retry, fresh)
		if !retry.Duplicate || retry.Seq != first[r].Seq || fresh.Duplicate {
			t.Fatalf("room %d: retry %+v, new %+v", r, retry, fresh)
		}
	}
}

// TestRoomSequencesUnderConcurrentAppends appends from many goroutines at
// once into one room (on PostgreSQL these are concurrent transactions on
// separate connections, as two processes would be): every event gets its
// own number, the numbers have no gap, and every retried key maps to one.
func TestRoomSequencesUnderConcurrentAppends(t *testing.T) {
	forEachEngineAt(t, func(t *testing.T, db *sqldb.DB, c *clock) {
		ctx := context.Background()
		f := newRoomFixture(t, db, c.Now(), 3)
		const writers, each = 6, 20
		var wg sync.WaitGroup
		errs := make(chan error, writers)
		for w := 0; w < writers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; i < each; i++ {
					// Writers 2p and 2p+1 send the same messages (same
					// sender, same keys): the retry of one is the send of
					// the other.
					p := w / 2
					e := f.msg(0, 1+p%2, fmt.Sprintf("k-%d-%d", p, i))
					if err := db.InTx(ctx, func(tx *sqldb.Tx) error { return tx.AppendRoomEvents(ctx, []*sqldb.AppendEvent{e}, c.Now(), fakeSeal) }); err != nil {
						errs <- err
						return
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		got, err := db.RoomEventsSince(ctx, f.rooms[0].ID, 0, 10000)
		if err != nil {
			t.Fatal(err)
		}
		// Each pair of writers stored its messages once.
		if len(got) != writers/2*each {
			t.Fatalf("%d events", len(got))
		}
		for i, e := range got {
			if e.Seq != int64(i+1) {
				t.Fatalf("event %d has seq %d", i, e.Seq)
			}
		}
	})
}

func TestRoomHistorySweep(t *testing.T) {
	forEachEngineAt(t, func(t *testing.T, db *sqldb.DB, c *clock) {
		ctx := context.Background()
		now := c.Now()
		f := newRoomFixture(t, db, now, 2)
		f.append(t, now, f.msg(0, 1, "a"), f.msg(1, 1, "b"))
		closes0, closes1 := f.rooms[0].Closes, f.rooms[1].Closes
		count := func(room int64) int {
			got, err := db.RoomEventsSince(ctx, room, 0, 100)
			if err != nil {
				t.Fatal(err)
			}
			return len(got)
		}
		t.Run("nothing is deleted before the retention has passed", func(t *testing.T) {
			n, _, err := db.DeleteExpiredRoomHistory(ctx, closes0.Add(29*24*time.Hour))
			if err != nil || n != 0 || count(f.rooms[0].ID) != 1 {
				t.Fatalf("purged %d rooms, %v", n, err)
			}
		})
		t.Run("thirty days after the close the history goes, and only that room's", func(t *testing.T) {
			n, evs, err := db.DeleteExpiredRoomHistory(ctx, closes0.Add(30*24*time.Hour))
			if err != nil || n != 1 || evs != 1 || count(f.rooms[0].ID) != 0 || count(f.rooms[1].ID) != 1 {
				t.Fatalf("purged %d rooms, %d events, %v", n, evs, err)
			}
			if r, _ := db.Room(ctx, f.rooms[0].ID); r.Purged.IsZero() {
				t.Fatal("the room is not marked purged")
			}
		})
		t.Run("a group keeping nothing loses the history at the close", func(t *testing.T) {
			if err := db.InTx(ctx, func(tx *sqldb.Tx) error {
				return tx.SetRoomSettings(ctx, f.g.ID, hearth.RoomSettings{RetentionDays: 0, LeadMinutes: 15})
			}); err != nil {
				t.Fatal(err)
			}
			if s, err := db.RoomSettings(ctx, f.g.ID); err != nil || s.RetentionDays != 0 {
				t.Fatalf("settings %+v %v", s, err)
			}
			if n, _, _ := db.DeleteExpiredRoomHistory(ctx, closes1.Add(-time.Second)); n != 0 {
				t.Fatal("deleted before the close")
			}
			if n, _, err := db.DeleteExpiredRoomHistory(ctx, closes1); err != nil || n != 1 || count(f.rooms[1].ID) != 0 {
				t.Fatalf("purged %d, %v", n, err)
			}
		})
	})
}

// BenchmarkAppendRoomEvents measures the SQL side of one group commit as
// the hub makes it: a batch of messages from 10 people over 100 rooms, in
// one transaction, under a context with a deadline (the hub's). Batches
// of 1 and 8 are what the committer sees at moderate rates, 160 at
// saturation: the difference per message is each transaction's own cost.
// Run: go test ./internal/sqldb -run '^$' -bench AppendRoomEvents -benchtime 200x
func BenchmarkAppendRoomEvents(b *testing.B) {
	for _, e := range sqldbtest.Engines() {
		for _, batch := range []int{1, 8, 160} {
			b.Run(fmt.Sprintf("%s/batch=%d", e, batch), func(b *testing.B) {
				c := &clock{t: time.Date(2026, 3, 3, 12, 0, 0, 0, time.UTC)}
				db := sqldbtest.Open(b, e, sqldbtest.Options{Now: c.Now})
				const rooms, people = 100, 10
				f := newRoomsFixture(b, db, c.Now(), people, rooms)
				b.ResetTimer()
				cpu0 := cpuTime()
				for i := 0; i < b.N; i++ {
					evs := make([]*sqldb.AppendEvent, batch)
					for j := range evs {
						evs[j] = f.msg((i*batch+j)%rooms, 1+(i*batch+j)%(people-1), fmt.Sprintf("k-%d-%d", i, j))
					}
					ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
					err := db.InTx(ctx, func(tx *sqldb.Tx) error { return tx.AppendRoomEvents(ctx, evs, c.Now(), fakeSeal) })
					cancel()
					if err != nil || evs[0].Err != nil {
						b.Fatal(err, evs[0].Err)
					}
				}
				b.ReportMetric(float64(b.N*batch)/b.Elapsed().Seconds(), "msgs/s")
				// This process's CPU (PostgreSQL's own is not in it): on a
				// shared machine a steadier figure than the time.
				b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/float64(b.N*batch), "cpu-µs/msg")
			})
		}
	}
}

// cpuTime is the CPU time this process has used (user and system).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
