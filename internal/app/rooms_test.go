package app_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/app"
	"github.com/hearth-org/hearth/internal/password"
	"github.com/hearth-org/hearth/internal/room"
	"github.com/hearth-org/hearth/internal/sqldb"
	"github.com/hearth-org/hearth/internal/sqldb/sqldbtest"
	"github.com/hearth-org/hearth/internal/vault"
)

// roomWorld is an open online group in Madrid with a cap of four seats, its
// facilitator, two online meetings this Tuesday evening (17:00 weekly and
// a 17:10 one-off, Madrid time) and an in-person one. The clock starts at
// fixedNow (15:00 UTC, 16:00 in Madrid): before the rooms open (15:45 UTC).
type roomWorld struct {
	*membershipWorld
	g        *hearth.Group
	fac      hearth.Actor
	weekly   *hearth.Meeting
	oneOff   *hearth.Meeting
	inPerson *hearth.Meeting
	start    time.Time // the weekly meeting's first start
	evicted  []([2]int64)
	mu       sync.Mutex
}

func newRoomWorld(t *testing.T, e sqldb.Engine) *roomWorld {
	t.Helper()
	w := &roomWorld{membershipWorld: newMembershipWorld(t, e)}
	w.g, w.fac = w.group("Evening Circle Online", hearth.Open, nil)
	if err := w.a.SetMembershipSettings(w.ctx, w.fac, w.g.Slug, hearth.MembershipSettings{Cap: 4, OfferHours: 48}); err != nil {
		t.Fatal(err)
	}
	mk := func(in app.MeetingInput) *hearth.Meeting {
		t.Helper()
		m, err := w.a.CreateMeeting(w.ctx, w.fac, w.g.Slug, in)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	w.weekly = mk(app.MeetingInput{Start: "2026-11-24T17:00", Duration: 60, RRule: "FREQ=WEEKLY;BYDAY=TU", Ongoing: true, Attend: online("https://meet.example.org/a")})
	w.oneOff = mk(app.MeetingInput{Start: "2026-11-24T17:10", Duration: 30, Attend: hearth.Attend{Mode: hearth.Hybrid, VenueNotes: "Room 2", ConferenceURL: "https://meet.example.org/b"}})
	w.inPerson = mk(app.MeetingInput{Start: "2026-11-24T17:00", Duration: 60, Attend: hearth.Attend{Mode: hearth.InPerson, VenueNotes: "Calle Mayor 1"}})
	w.start = time.Date(2026, 11, 24, 16, 0, 0, 0, time.UTC)
	w.a.SetRoomEvictor(func(group, user int64) {
		w.mu.Lock()
		w.evicted = append(w.evicted, [2]int64{group, user})
		w.mu.Unlock()
	})
	return w
}

func (w *roomWorld) setClock(at time.Time) { w.clock.Add(at.Sub(w.clock.Now())) }

func (w *roomWorld) enter(t *testing.T, who hearth.Actor, m *hearth.Meeting, at time.Time) *app.RoomPass {
	t.Helper()
	p, err := w.a.EnterRoom(w.ctx, who, w.g.Slug, m.ID, at)
	if err != nil {
		t.Fatalf("enter: %v", err)
	}
	return p
}

func (w *roomWorld) membership(t *testing.T, who hearth.Actor) int64 {
	t.Helper()
	v := w.mine(who, w.g.Slug)
	if v.Membership == nil {
		t.Fatal("no membership")
	}
	return v.Membership.ID
}

func wantCode(t *testing.T, err error, kind hearth.Kind, code string) {
	t.Helper()
	e := hearth.AsError(err)
	if e == nil || e.Kind != kind || (code != "" && e.Code != code) {
		t.Fatalf("got %v (%+v), want %s/%s", err, e, kind, code)
	}
}

func TestEnterRoom(t *testing.T) {
	for _, e := range sqldbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			w := newRoomWorld(t, e)
			ana, ben, rem, banned := w.person("ana", true), w.person("ben", false), w.person("rem", false), w.person("banned", false)
			for _, p := range []struct {
				who  hearth.Actor
				name string
			}{{ana, "Ana"}, {ben, "Ben"}, {rem, "Rem"}, {banned, "Bo"}} {
				w.join(p.who, w.g.Slug, p.name)
			}
			wil := w.person("wil", false)
			if m := w.join(wil, w.g.Slug, "Wil"); m.Status != hearth.StatusWaitlisted {
				t.Fatalf("wil is %s", m.Status)
			}
			guest, outsider := w.person("guest", false), w.person("outsider", false)
			if err := w.a.RSVP(w.ctx, guest, w.g.Slug, w.weekly.ID, w.start); err != nil {
				t.Fatal(err)
			}
			if err := w.a.RemoveMember(w.ctx, w.fac, w.g.Slug, w.membership(t, rem), "Disrupted the meeting", false); err != nil {
				t.Fatal(err)
			}
			if err := w.a.RemoveMember(w.ctx, w.fac, w.g.Slug, w.membership(t, banned), "Threatened a member", true); err != nil {
				t.Fatal(err)
			}
			// A closed group's applicant.
			now := w.clock.Now()
			closed, closedFac := w.group("Closed Cohort Online", hearth.Closed, &hearth.Enrollment{Cap: 4, Sessions: 8,
				Opens: now.Add(-24 * time.Hour), Closes: now.Add(10 * 24 * time.Hour), Starts: now.Add(13 * 24 * time.Hour)})
			cm, err := w.a.CreateMeeting(w.ctx, closedFac, closed.Slug, app.MeetingInput{Start: "2026-11-24T17:00", Duration: 60, Attend: online("https://meet.example.org/c")})
			if err != nil {
				t.Fatal(err)
			}
			applicant := w.person("applicant", false)
			if m, err := w.a.Apply(w.ctx, applicant, closed.Slug, app.ApplyRequest{JoinRequest: app.JoinRequest{Pseudonym: "Apl", AcceptGuidelines: true},
				CommitSessions: true}); err != nil || m.Status != hearth.StatusApplicant {
				t.Fatalf("apply: %+v %v", m, err)
			}

			t.Run("before the window nobody enters, and the answer says when it opens", func(t *testing.T) {
				_, err := w.a.EnterRoom(w.ctx, ana, w.g.Slug, w.weekly.ID, w.start)
				wantCode(t, err, hearth.Conflict, "room_not_open")
			})
			w.clock.Add(50 * time.Minute) // 15:50 UTC: the rooms are open
			cases := []struct {
				name string
				who  hearth.Actor
				slug string
				m    *hearth.Meeting
				kind hearth.Kind
				code string
			}{
				{"someone signed out is asked to sign in", hearth.Actor{}, w.g.Slug, w.weekly, hearth.Unauthorized, "sign_in"},
				{"an outsider is told there is no room", outsider, w.g.Slug, w.weekly, hearth.NotFound, "no_room"},
				{"someone waiting in line is told there is no room", wil, w.g.Slug, w.weekly, hearth.NotFound, "no_room"},
				{"a removed member is told there is no room", w.roles(rem), w.g.Slug, w.weekly, hearth.NotFound, "no_room"},
				{"a banned member is told there is no room", w.roles(banned), w.g.Slug, w.weekly, hearth.NotFound, "no_room"},
				{"an applicant of a closed group is told there is no room", applicant, closed.Slug, cm, hearth.NotFound, "no_room"},
				{"a guest without a place at this meeting is told there is no room", guest, w.g.Slug, w.oneOff, hearth.NotFound, "no_room"},
				{"an in-person meeting has no room", ana, w.g.Slug, w.inPerson, hearth.NotFound, "no_room"},
			}
			for _, c := range cases {
				t.Run(c.name, func(t *testing.T) {
					m := c.m
					_, err := w.a.EnterRoom(w.ctx, c.who, c.slug, m.ID, time.Date(2026, 11, 24, 16, 0, 0, 0, time.UTC).Add(offset(m, w)))
					wantCode(t, err, c.kind, c.code)
				})
			}
			t.Run("a time that is no occurrence has no room", func(t *testing.T) {
				_, err := w.a.EnterRoom(w.ctx, ana, w.g.Slug, w.weekly.ID, w.start.Add(time.Hour))
				wantCode(t, err, hearth.NotFound, "no_room")
			})
			var anaPass *app.RoomPass
			t.Run("an active member enters by pseudonym, the facilitator as facilitator, the guest as a numbered guest", func(t *testing.T) {
				anaPass = w.enter(t, ana, w.weekly, w.start)
				facPass := w.enter(t, w.fac, w.weekly, w.start)
				guestPass := w.enter(t, guest, w.weekly, w.start)
				if anaPass.Member.Pseudonym != "Ana" || anaPass.Member.Facilitator || anaPass.Member.UserID != ana.UserID || anaPass.Guest {
					t.Fatalf("ana %+v", anaPass)
				}
				if !facPass.Member.Facilitator || facPass.Room != anaPass.Room || !guestPass.Guest || guestPass.Member.Pseudonym != "Guest 1" {
					t.Fatalf("facilitator %+v guest %+v", facPass, guestPass)
				}
				if !anaPass.Closes.Equal(w.start.Add(75*time.Minute)) || !anaPass.Opens.Equal(w.start.Add(-15*time.Minute)) {
					t.Fatalf("window %v – %v", anaPass.Opens, anaPass.Closes)
				}
				again := w.enter(t, ana, w.weekly, w.start)
				if again.Member.ID != anaPass.Member.ID {
					t.Fatalf("a second entry is another person: %d, %d", again.Member.ID, anaPass.Member.ID)
				}
				if g2 := w.enter(t, guest, w.weekly, w.start); g2.Member.Pseudonym != "Guest 1" {
					t.Fatalf("the guest is now %q", g2.Member.Pseudonym)
				}
			})
			t.Run("a member who must accept new guidelines is told so", func(t *testing.T) {
				g := w.g
				g.Guidelines = "What is said here stays here. Cameras optional."
				if err := w.a.UpdateGroup(w.ctx, w.fac, g.Slug, g); err != nil {
					t.Fatal(err)
				}
				_, err := w.a.EnterRoom(w.ctx, ben, w.g.Slug, w.weekly.ID, w.start)
				wantCode(t, err, hearth.Forbidden, "accept_guidelines")
				for _, who := range []hearth.Actor{ana, ben} {
					if err := w.a.AcceptGuidelines(w.ctx, who, w.g.Slug, true); err != nil {
						t.Fatal(err)
					}
				}
			})
			t.Run("a locked room admits those already in and the facilitator, nobody new", func(t *testing.T) {
				lock(t, w, anaPass.Room, w.enter(t, w.fac, w.weekly, w.start).Member, true)
				_, err := w.a.EnterRoom(w.ctx, ben, w.g.Slug, w.weekly.ID, w.start)
				wantCode(t, err, hearth.Conflict, "room_locked")
				if p := w.enter(t, ana, w.weekly, w.start); !p.Locked {
					t.Fatal("the pass does not say the room is locked")
				}
				lock(t, w, anaPass.Room, w.enter(t, w.fac, w.weekly, w.start).Member, false)
				w.enter(t, ben, w.weekly, w.start)
			})
			t.Run("someone a facilitator removed from the room cannot come back to it", func(t *testing.T) {
				g := w.enter(t, guest, w.weekly, w.start)
				fac := w.enter(t, w.fac, w.weekly, w.start)
				res, err := w.a.RoomStore().Append(w.ctx, []room.Pending{{Room: g.Room, Member: fac.Member, Event: room.Event{Kind: room.KindRemove, Target: g.Member.ID}}})
				if err != nil || res[0].Err != nil {
					t.Fatalf("%v %+v", err, res)
				}
				_, err = w.a.EnterRoom(w.ctx, guest, w.g.Slug, w.weekly.ID, w.start)
				wantCode(t, err, hearth.Forbidden, "removed_from_room")
			})
			t.Run("a cancelled occurrence has no room", func(t *testing.T) {
				if _, err := w.a.ChangeOccurrence(w.ctx, w.fac, w.g.Slug, w.oneOff.ID, app.ExceptionInput{Original: w.start.Add(10 * time.Minute), Cancel: true,
					Note: "Snow"}); err != nil {
					t.Fatal(err)
				}
				_, err := w.a.EnterRoom(w.ctx, ana, w.g.Slug, w.oneOff.ID, w.start.Add(10*time.Minute))
				wantCode(t, err, hearth.Conflict, "occurrence_cancelled")
			})
			t.Run("a moved occurrence opens at its new time", func(t *testing.T) {
				next := w.start.AddDate(0, 0, 7)
				if _, err := w.a.ChangeOccurrence(w.ctx, w.fac, w.g.Slug, w.weekly.ID, app.ExceptionInput{Original: next, Start: "2026-11-24T17:05"}); err != nil {
					t.Fatal(err)
				}
				p := w.enter(t, ana, w.weekly, next)
				if !p.Start.Equal(w.start.Add(5*time.Minute)) || p.Room == anaPass.Room {
					t.Fatalf("moved pass %+v", p)
				}
			})
			t.Run("after the end and the grace the room is closed", func(t *testing.T) {
				w.clock.Add(2 * time.Hour) // 17:50 UTC
				_, err := w.a.EnterRoom(w.ctx, ana, w.g.Slug, w.weekly.ID, w.start)
				wantCode(t, err, hearth.Conflict, "room_closed")
			})
		})
	}
}

// offset places each meeting's occurrence this Tuesday.
func offset(m *hearth.Meeting, w *roomWorld) time.Duration {
	if m.ID == w.oneOff.ID {
		return 10 * time.Minute
	}
	return 0
}

func lock(t *testing.T, w *roomWorld, roomID int64, fac room.Member, on bool) {
	t.Helper()
	res, err := w.a.RoomStore().Append(w.ctx, []room.Pending{{Room: roomID, Member: fac, Event: room.Event{Kind: room.KindLock, On: on}}})
	if err != nil || res[0].Err != nil {
		t.Fatalf("lock: %v %v", err, res[0].Err)
	}
}

func send(roomID int64, m room.Member, key, text string) room.Pending {
	return room.Pending{Room: roomID, Member: m, Event: room.Event{Kind: "message", Key: key, Text: text}}
}

func TestRoomStore(t *testing.T) {
	for _, e := range sqldbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			w := newRoomWorld(t, e)
			ana, ben := w.person("ana", true), w.person("ben", false)
			w.join(ana, w.g.Slug, "Ana")
			w.join(ben, w.g.Slug, "Ben")
			w.clock.Add(56 * time.Minute) // both rooms are open
			a1, b1, f1 := w.enter(t, ana, w.weekly, w.start), w.enter(t, ben, w.weekly, w.start), w.enter(t, w.fac, w.weekly, w.start)
			a2, f2 := w.enter(t, ana, w.oneOff, w.start.Add(10*time.Minute)), w.enter(t, w.fac, w.oneOff, w.start.Add(10*time.Minute))
			store := w.a.RoomStore()

			t.Run("a batch across two rooms gives each room consecutive numbers", func(t *testing.T) {
				res, err := store.Append(w.ctx, []room.Pending{
					send(a1.Room, a1.Member, "k1", "Hello everyone"),
					send(a2.Room, a2.Member, "k1", "Hi, second room"),
					send(b1.Room, b1.Member, "k1", "Hi Ana"),
					{Room: a1.Room, Member: a1.Member, Event: room.Event{Kind: room.KindHand, On: true}},
					send(a2.Room, f2.Member, "k2", "Welcome"),
				})
				if err != nil {
					t.Fatal(err)
				}
				var seqs []int64
				for _, r := range res {
					if r.Err != nil || r.Duplicate {
						t.Fatalf("%+v", r)
					}
					seqs = append(seqs, r.Event.Seq)
				}
				if !slices.Equal(seqs, []int64{1, 1, 2, 3, 2}) || res[2].Event.Name != "Ben" || res[2].Event.Text != "Hi Ana" {
					t.Fatalf("seqs %v, %+v", seqs, res[2].Event)
				}
			})
			t.Run("a retried send returns the same number and shows once", func(t *testing.T) {
				res, err := store.Append(w.ctx, []room.Pending{send(b1.Room, b1.Member, "k1", "Hi Ana"), send(b1.Room, b1.Member, "k2", "Second")})
				if err != nil {
					t.Fatal(err)
				}
				if !res[0].Duplicate || res[0].Event.Seq != 2 || res[0].Event.Text != "Hi Ana" || res[1].Event.Seq != 4 {
					t.Fatalf("%+v", res)
				}
				evs, err := store.Since(w.ctx, a1.Room, 0, 100)
				if err != nil {
					t.Fatal(err)
				}
				if len(evs) != 4 || evs[0].Text != "Hello everyone" || evs[0].Name != "Ana" || evs[1].Text != "Hi Ana" || evs[2].Kind != room.KindHand {
					t.Fatalf("since %+v", evs)
				}
			})
			t.Run("bad messages are refused one by one", func(t *testing.T) {
				long := string(bytes.Repeat([]byte("a"), hearth.MaxRoomMessageLen+1))
				res, err := store.Append(w.ctx, []room.Pending{send(a1.Room, a1.Member, "k9", "   "), send(a1.Room, a1.Member, "k10", long),
					send(a1.Room, a1.Member, "", "no key"), {Room: a1.Room, Member: a1.Member, Event: room.Event{Kind: room.KindEnd}},
					send(a1.Room, a1.Member, "k11", "fine")})
				if err != nil {
					t.Fatal(err)
				}
				wantCode(t, res[0].Err, hearth.Invalid, "room_empty_text")
				wantCode(t, res[1].Err, hearth.TooLarge, "room_text_too_long")
				wantCode(t, res[2].Err, hearth.Invalid, "room_bad_key")
				wantCode(t, res[3].Err, hearth.Forbidden, "room_facilitators_only")
				if res[4].Err != nil || res[4].Event.Seq != 5 {
					t.Fatalf("%+v", res[4])
				}
			})
			t.Run("a crisis message is stored, alerts the facilitator and brings the writer help", func(t *testing.T) {
				res, err := store.Append(w.ctx, []room.Pending{send(b1.Room, b1.Member, "c1", "I want to die"), send(a1.Room, a1.Member, "c2", "Thanks for having me tonight")})
				if err != nil {
					t.Fatal(err)
				}
				r := res[0]
				if r.Err != nil || !r.Alert || !r.Event.Alert || r.Event.Held || res[1].Alert || res[1].Support != nil {
					t.Fatalf("%+v / %+v", r, res[1])
				}
				sup, ok := r.Support.(*app.Support)
				if !ok || !sup.StaffTold || len(sup.Helplines) == 0 {
					t.Fatalf("support %+v", r.Support)
				}
				q, err := w.a.EscalationQueue(w.ctx, w.roles(w.fac), "")
				if err != nil || len(q) != 1 || q[0].WritingKind != app.WritingRoomMessage || q[0].WritingID != b1.Room || q[0].AuthorID != ben.UserID {
					t.Fatalf("queue %+v %v", q, err)
				}
				if evs, _ := store.Since(w.ctx, b1.Room, r.Event.Seq-1, 1); len(evs) != 1 || !evs[0].Alert || evs[0].Text != "I want to die" {
					t.Fatalf("stored %+v", evs)
				}
			})
			t.Run("more crisis messages from the same writer bring help again but one alert, until a higher tier", func(t *testing.T) {
				res, err := store.Append(w.ctx, []room.Pending{send(b1.Room, b1.Member, "c3", "I just want to die, nothing helps")})
				if err != nil || res[0].Support == nil || !res[0].Alert {
					t.Fatalf("%+v %v", res, err)
				}
				if q, _ := w.a.EscalationQueue(w.ctx, w.roles(w.fac), ""); len(q) != 1 {
					t.Fatalf("%d alerts", len(q))
				}
				res, err = store.Append(w.ctx, []room.Pending{send(b1.Room, b1.Member, "c4", "tonight I will take all my pills, I have them here, goodbye")})
				if err != nil || res[0].Support == nil || !res[0].Alert {
					t.Fatalf("%+v %v", res, err)
				}
				q, _ := w.a.EscalationQueue(w.ctx, w.roles(w.fac), "")
				if len(q) != 2 || q[0].Tier != 3 {
					t.Fatalf("alerts %+v", q)
				}
			})
			t.Run("a message with method details is held", func(t *testing.T) {
				res, err := store.Append(w.ctx, []room.Pending{send(a1.Room, a1.Member, "h1", "voy a tomar 30 pastillas de paracetamol esta noche")})
				if err != nil || !res[0].Event.Held || !res[0].Alert {
					t.Fatalf("%+v %v", res, err)
				}
			})
			t.Run("a round's question is kept sealed with its order", func(t *testing.T) {
				res, err := store.Append(w.ctx, []room.Pending{{Room: f1.Room, Member: f1.Member, Event: room.Event{Kind: room.KindRoundStart, Round: "question",
					Text: "What helped this week?", Seconds: 90, Order: []int64{a1.Member.ID, b1.Member.ID}}}})
				if err != nil || res[0].Err != nil {
					t.Fatalf("%+v %v", res, err)
				}
				evs, _ := store.Since(w.ctx, f1.Room, res[0].Event.Seq-1, 1)
				if len(evs) != 1 || evs[0].Text != "What helped this week?" || !slices.Equal(evs[0].Order, []int64{a1.Member.ID, b1.Member.ID}) || evs[0].Name != f1.Member.Pseudonym {
					t.Fatalf("%+v", evs)
				}
			})
			t.Run("a message the hub refused is still read for a crisis, and nothing of it is stored", func(t *testing.T) {
				before, _ := store.Since(w.ctx, a1.Room, 0, 1000)
				if sup, alert := w.a.ScreenRefusedRoomMessage(w.ctx, a1.Room, a1.Member, "Thanks for having me tonight"); sup != nil || alert {
					t.Fatalf("an ordinary message: %v %v", sup, alert)
				}
				sup, alert := w.a.ScreenRefusedRoomMessage(w.ctx, a1.Room, a1.Member, "I want to die")
				if s, ok := sup.(*app.Support); !ok || !alert || !s.StaffTold || len(s.Helplines) == 0 {
					t.Fatalf("a crisis: %+v %v", sup, alert)
				}
				if after, _ := store.Since(w.ctx, a1.Room, 0, 1000); len(after) != len(before) {
					t.Fatalf("%d events, then %d", len(before), len(after))
				}
			})
			t.Run("a member muted in the group is refused, but a crisis still brings help", func(t *testing.T) {
				if _, err := w.a.Moderate(w.ctx, w.roles(w.fac), w.g.Slug, hearth.Subject{Kind: hearth.SubjectMember, ID: w.membership(t, ben)},
					hearth.ActionInput{Kind: hearth.ActionMute, Reason: hearth.ActionReasonHarassment, Minutes: 60}); err != nil {
					t.Fatal(err)
				}
				if p := w.enter(t, ben, w.weekly, w.start); !p.Muted {
					t.Fatal("the pass does not say the member is muted")
				}
				res, err := store.Append(w.ctx, []room.Pending{send(b1.Room, b1.Member, "m1", "hello"), send(b1.Room, b1.Member, "m2", "quiero morirme")})
				if err != nil {
					t.Fatal(err)
				}
				wantCode(t, res[0].Err, hearth.Forbidden, "muted")
				wantCode(t, res[1].Err, hearth.Forbidden, "muted")
				if res[1].Support == nil || !res[1].Alert {
					t.Fatalf("a muted member's crisis: %+v", res[1])
				}
			})
			t.Run("removing a member tells the hub after the commit, and their sends are refused", func(t *testing.T) {
				if err := w.a.RemoveMember(w.ctx, w.roles(w.fac), w.g.Slug, w.membership(t, ben), "Harassed a member", false); err != nil {
					t.Fatal(err)
				}
				w.mu.Lock()
				got := slices.Clone(w.evicted)
				w.mu.Unlock()
				if !slices.Contains(got, [2]int64{w.g.ID, ben.UserID}) {
					t.Fatalf("evicted %v", got)
				}
				res, err := store.Append(w.ctx, []room.Pending{{Room: b1.Room, Member: b1.Member, Event: room.Event{Kind: room.KindHand, On: true}}})
				if err != nil {
					t.Fatal(err)
				}
				wantCode(t, res[0].Err, hearth.Forbidden, "not_in_room")
			})
			t.Run("presence marks attendance once; a facilitator's correction stands", func(t *testing.T) {
				w.a.RoomPresence(a1.Room, a1.Member, true)
				w.a.RoomPresence(a1.Room, a1.Member, true)
				rep, err := w.a.Attendance(w.ctx, w.roles(ana), w.g.Slug)
				if err != nil {
					t.Fatal(err)
				}
				found := false
				for _, mk := range rep.Mine {
					if mk.MeetingID == w.weekly.ID && mk.Mark == hearth.Present {
						found = true
					}
				}
				if !found {
					t.Fatalf("no present mark: %+v", rep)
				}
				w.clock.Add(5 * time.Minute) // the meeting has begun
				if err := w.a.TakeAttendance(w.ctx, w.roles(w.fac), w.g.Slug, w.weekly.ID, w.start, map[int64]hearth.AttendanceMark{ana.UserID: hearth.Excused}); err != nil {
					t.Fatal(err)
				}
				w.a.RoomPresence(a1.Room, a1.Member, true)
				rep, _ = w.a.Attendance(w.ctx, w.roles(ana), w.g.Slug)
				for _, mk := range rep.Mine {
					if mk.MeetingID == w.weekly.ID && mk.Mark != hearth.Excused {
						t.Fatalf("the correction was overwritten: %+v", mk)
					}
				}
			})
			t.Run("after the end nothing more is stored and only those who were there read it", func(t *testing.T) {
				res, err := store.Append(w.ctx, []room.Pending{{Room: f1.Room, Member: f1.Member, Event: room.Event{Kind: room.KindEnd}}, send(a1.Room, a1.Member, "late", "bye")})
				if err != nil || res[0].Err != nil {
					t.Fatalf("%+v %v", res, err)
				}
				wantCode(t, res[1].Err, hearth.Conflict, "room_ended")
				if p := w.enter(t, ana, w.weekly, w.start); !p.Ended {
					t.Fatal("the pass does not say the meeting ended")
				}
				late := w.person("late", false)
				w.join(late, w.g.Slug, "Late")
				_, err = w.a.EnterRoom(w.ctx, late, w.g.Slug, w.weekly.ID, w.start)
				wantCode(t, err, hearth.NotFound, "no_room")
			})
		})
	}
}

// TestRoomMessagesAreStoredOnlySealed writes messages with a marker and
// reads every file of the SQLite database for it.
func TestRoomMessagesAreStoredOnlySealed(t *testing.T) {
	ctx := context.Background()
	dbURL, dir := sqldbtest.URL(t, sqldb.SQLite)
	a, passes := owlRooms(t, dbURL, dir, 1)
	pass := passes[0]
	const marker = "OWL-MARKER-5521"
	res, err := a.RoomStore().Append(ctx, []room.Pending{send(pass.Room, pass.Member, "1", "tonight "+marker+" I want to die"), send(pass.Room, pass.Member, "2", "plain "+marker)})
	if err != nil || res[0].Err != nil || res[1].Err != nil || !res[0].Alert {
		t.Fatalf("%+v %v", res, err)
	}
	evs, err := a.RoomStore().Since(ctx, pass.Room, 0, 10)
	if err != nil || len(evs) != 2 || evs[1].Text != "plain "+marker {
		t.Fatalf("read back %+v %v", evs, err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	read := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		read += len(b)
		if bytes.Contains(b, []byte(marker)) || bytes.Contains(b, []byte("want to die")) {
			t.Errorf("%s holds a room message in the clear", filepath.Base(f))
		}
	}
	if read == 0 {
		t.Fatal("no database file was read")
	}
}

// TestRoomMessagesPreparedAheadOfTheirTransaction: a message the hub
// prepared (screened and sealed on its sender's goroutine, bound to room,
// writer and key) is stored as it was sealed and reads back; one not
// prepared is prepared by Append; a refusal comes from Prepare itself; a
// retried send is answered with the stored text; and a message stored
// when text was sealed bound to its number still opens.
func TestRoomMessagesPreparedAheadOfTheirTransaction(t *testing.T) {
	for _, e := range sqldbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			ctx := context.Background()
			dbURL, dir := sqldbtest.URL(t, e)
			a, passes := owlRooms(t, dbURL, dir, 1)
			pass := passes[0]
			store := a.RoomStore()
			pr, ok := store.(room.Preparer)
			if !ok {
				t.Fatal("the rooms' store does not prepare")
			}
			if _, err := pr.Prepare(ctx, send(pass.Room, pass.Member, "e", "   ")); hearth.AsError(err) == nil || hearth.AsError(err).Code != "room_empty_text" {
				t.Fatalf("an empty message prepared: %v", err)
			}
			p, err := pr.Prepare(ctx, send(pass.Room, pass.Member, "k1", "I want to die tonight"))
			if err != nil || p.Prepared == nil {
				t.Fatalf("prepare: %+v %v", p, err)
			}
			res, err := store.Append(ctx, []room.Pending{p, send(pass.Room, pass.Member, "k2", "not prepared")})
			if err != nil || res[0].Err != nil || res[1].Err != nil || res[0].Event.Seq != 1 || res[1].Event.Seq != 2 {
				t.Fatalf("append: %+v %v", res, err)
			}
			if !res[0].Alert || res[0].Support == nil || res[1].Alert {
				t.Fatalf("the crisis read ahead was not followed up: %+v", res)
			}
			again, err := pr.Prepare(ctx, send(pass.Room, pass.Member, "k1", "I want to die tonight"))
			if err != nil {
				t.Fatal(err)
			}
			res, err = store.Append(ctx, []room.Pending{again})
			if err != nil || !res[0].Duplicate || res[0].Event.Seq != 1 || res[0].Event.Text != "I want to die tonight" {
				t.Fatalf("retry: %+v %v", res, err)
			}

			// A message stored before: sealed in its transaction, bound
			// to its number.
			db, err := sqldb.Open(ctx, sqldb.Options{URL: dbURL, DataDir: dir})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			v, _, err := vault.OpenFile(ctx, db, filepath.Join(dir, "master.key"), false, vault.Options{})
			if err != nil {
				t.Fatal(err)
			}
			old := &sqldb.AppendEvent{UserID: pass.Member.UserID, RoomEvent: sqldb.RoomEvent{Room: pass.Room, Kind: room.KindMessage, Actor: pass.Member.ID, Key: "old"}}
			err = db.InTx(ctx, func(tx *sqldb.Tx) error {
				return tx.AppendRoomEvents(ctx, []*sqldb.AppendEvent{old}, time.Date(2026, 11, 24, 15, 50, 0, 0, time.UTC), func(ev *sqldb.AppendEvent) error {
					var err error
					ev.Sealed, err = v.SealString(ctx, vault.GroupScope(pass.Group), fmt.Sprintf("room_event:room=%d:seq=%d", ev.Room, ev.Seq), "from before")
					return err
				})
			})
			if err != nil || old.Err != nil {
				t.Fatal(err, old.Err)
			}
			evs, err := store.Since(ctx, pass.Room, 0, 10)
			if err != nil || len(evs) != 3 {
				t.Fatalf("since: %+v %v", evs, err)
			}
			for i, want := range []string{"I want to die tonight", "not prepared", "from before"} {
				if evs[i].Text != want {
					t.Fatalf("event %d reads %q, want %q", i+1, evs[i].Text, want)
				}
			}
		})
	}
}

func TestRoomHistoryRetention(t *testing.T) {
	for _, e := range sqldbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			w := newRoomWorld(t, e)
			ana := w.person("ana", false)
			w.join(ana, w.g.Slug, "Ana")
			w.clock.Add(56 * time.Minute)
			p1 := w.enter(t, ana, w.weekly, w.start)
			p2 := w.enter(t, ana, w.oneOff, w.start.Add(10*time.Minute))
			store := w.a.RoomStore()
			if _, err := store.Append(w.ctx, []room.Pending{send(p1.Room, p1.Member, "1", "one"), send(p2.Room, p2.Member, "1", "two")}); err != nil {
				t.Fatal(err)
			}
			count := func(r int64) int {
				evs, err := store.Since(w.ctx, r, 0, 100)
				if err != nil {
					t.Fatal(err)
				}
				return len(evs)
			}
			sweep := func() {
				if err := w.a.SweepRoomHistory(w.ctx); err != nil {
					t.Fatal(err)
				}
			}
			t.Run("only the group's runners set the retention, within its limits", func(t *testing.T) {
				wantCode(t, w.a.SetRoomRetention(w.ctx, w.roles(ana), w.g.Slug, 0), hearth.Forbidden, "")
				wantCode(t, w.a.SetRoomRetention(w.ctx, w.roles(w.fac), w.g.Slug, 400), hearth.Invalid, "")
			})
			t.Run("thirty days by default", func(t *testing.T) {
				w.clock.Add(29 * 24 * time.Hour)
				sweep()
				if count(p1.Room) != 1 || count(p2.Room) != 1 {
					t.Fatal("deleted before thirty days")
				}
				w.setClock(p1.Closes.Add(30 * 24 * time.Hour))
				sweep()
				if count(p1.Room) != 0 || count(p2.Room) != 0 {
					t.Fatal("kept after thirty days")
				}
			})
			t.Run("nothing after the meeting when the group keeps nothing", func(t *testing.T) {
				if err := w.a.SetRoomRetention(w.ctx, w.roles(w.fac), w.g.Slug, 0); err != nil {
					t.Fatal(err)
				}
				// Next Tuesday's weekly meeting, 16:00 UTC; the clock is
				// now 30 days and 50 minutes after fixedNow.
				next := w.start.AddDate(0, 0, 35)
				w.setClock(next.Add(-5 * time.Minute))
				p := w.enter(t, ana, w.weekly, next)
				if _, err := store.Append(w.ctx, []room.Pending{send(p.Room, p.Member, "1", "see you")}); err != nil {
					t.Fatal(err)
				}
				w.setClock(p.Closes.Add(-time.Second))
				sweep()
				if count(p.Room) != 1 {
					t.Fatal("deleted while the room is open")
				}
				w.setClock(p.Closes)
				sweep()
				if count(p.Room) != 0 {
					t.Fatal("kept after the meeting")
				}
			})
		})
	}
}

// owlRooms is an open online group with one member in n rooms (n one-off
// meetings at 16:00 UTC on 2026-11-24, the clock at 15:50), on the
// database at dbURL (SQLite in dir when empty).
func owlRooms(t testing.TB, dbURL, dir string, n int) (*app.App, []*app.RoomPass) {
	t.Helper()
	ctx := context.Background()
	clk := &clock{t: time.Date(2026, 11, 24, 15, 50, 0, 0, time.UTC)}
	db, err := sqldb.Open(ctx, sqldb.Options{URL: dbURL, DataDir: dir, Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	v, _, err := vault.OpenFile(ctx, db, filepath.Join(dir, "master.key"), true, vault.Options{})
	if err != nil {
		t.Fatal(err)
	}
	a, err := app.New(app.Config{DB: db, Vault: v, Now: clk.Now, PasswordParams: password.Params{Memory: 1024, Time: 1, Threads: 1}})
	if err != nil {
		t.Fatal(err)
	}
	site := hearth.Actor{SiteAdmin: true, UserID: -1}
	if err := a.CreateOrganization(ctx, site, &hearth.Organization{Slug: "org", Name: "Org"}); err != nil {
		t.Fatal(err)
	}
	g := &hearth.Group{Name: "Night Owls", Description: "Online support.", Topics: []string{"grief"}, Audience: hearth.Audience{Languages: []string{"en"}},
		Format: hearth.Online, Leadership: hearth.PeerLed, Policy: hearth.Open, Guidelines: "Be kind.", Location: hearth.Location{TimeZone: "UTC"},
		Schedule: hearth.Schedule{Weekday: time.Tuesday, Start: 16 * 60, Duration: 60}}
	if err := a.CreateGroup(ctx, site, "org", g); err != nil {
		t.Fatal(err)
	}
	u, _, err := a.CreateUser(ctx, "writer", "", "a long enough password", false)
	if err != nil {
		t.Fatal(err)
	}
	tok, _, err := a.CreateToken(ctx, hearth.Actor{UserID: u.ID}, "t")
	if err != nil {
		t.Fatal(err)
	}
	me, _, err := a.TokenActor(ctx, tok)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.JoinGroup(ctx, me, g.Slug, "Owl", true); err != nil {
		t.Fatal(err)
	}
	var passes []*app.RoomPass
	for i := 0; i < n; i++ {
		m, err := a.CreateMeeting(ctx, site, g.Slug, app.MeetingInput{Start: "2026-11-24T16:00", Duration: 60, Attend: online("https://meet.example.org/o")})
		if err != nil {
			t.Fatal(err)
		}
		pass, err := a.EnterRoom(ctx, me, g.Slug, m.ID, time.Date(2026, 11, 24, 16, 0, 0, 0, time.UTC))
		if err != nil {
			t.Fatal(err)
		}
		passes = append(passes, pass)
	}
	return a, passes
}

// BenchmarkRoomStoreAppend measures one group commit: a batch of 256
// ordinary messages spread over 16 rooms, screened, sealed and stored in
// one transaction. Run: go test ./internal/app -run '^$' -bench RoomStoreAppend -benchtime 50x
func BenchmarkRoomStoreAppend(b *testing.B) {
	for _, e := range sqldbtest.Engines() {
		b.Run(string(e), func(b *testing.B) {
			dbURL, dir := sqldbtest.URL(b, e)
			a, passes := owlRooms(b, dbURL, dir, 16)
			store := a.RoomStore()
			texts := []string{"Thanks for having me tonight", "It was a hard week but I made it to work every day.", "Hi everyone", "Same here, the evenings are the worst."}
			b.ResetTimer()
			cpu0 := cpuTime()
			for i := 0; i < b.N; i++ {
				batch := make([]room.Pending, 256)
				for j := range batch {
					p := passes[j%len(passes)]
					batch[j] = send(p.Room, p.Member, fmt.Sprintf("%d-%d", i, j), texts[j%len(texts)])
				}
				// A deadline, as the hub gives every commit.
				ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
				res, err := store.Append(ctx, batch)
				cancel()
				if err != nil || res[0].Err != nil {
					b.Fatal(err, res[0].Err)
				}
			}
			b.ReportMetric(float64(b.N*256)/b.Elapsed().Seconds(), "msgs/s")
			// This process's CPU (PostgreSQL's own is not in it): on a
			// shared machine a steadier figure than the time.
			b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/float64(b.N*256), "cpu-µs/msg")
		})
	}
}

// cpuTime is the CPU time this process has used (user and system).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
