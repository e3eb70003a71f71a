package app_test

import (
	"sync"
	"testing"
	"time"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/app"
	"github.com/hearth-org/hearth/internal/room"
	"github.com/hearth-org/hearth/internal/sqldb/sqldbtest"
)

// A hidden room message shown again — restored by a moderator, or its
// hiding overturned on appeal — is a new hide event in the room's log,
// without a reason and with the message's text, and the hubs are rung at
// once: members connected now see it again without reconnecting. A held
// message is not given to everyone that way. On both engines.
func TestRoomMessageShownAgainIsInTheLog(t *testing.T) {
	for _, e := range sqldbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			w := newRoomWorld(t, e)
			var mu sync.Mutex
			var rung [][2]int64
			w.a.SetRoomRinger(func(roomID, seq int64) {
				mu.Lock()
				rung = append(rung, [2]int64{roomID, seq})
				mu.Unlock()
			})
			lastRing := func() [2]int64 {
				mu.Lock()
				defer mu.Unlock()
				if len(rung) == 0 {
					return [2]int64{}
				}
				return rung[len(rung)-1]
			}
			ana, ben := w.person("ana", true), w.person("ben", false)
			w.join(ana, w.g.Slug, "Ana")
			w.join(ben, w.g.Slug, "Ben")
			second := w.person("second-facilitator", true)
			if err := w.a.AppointFacilitator(w.ctx, w.site, w.g.Slug, "second-facilitator", "Sam", ""); err != nil {
				t.Fatal(err)
			}
			second = w.roles(second)
			w.clock.Add(56 * time.Minute) // the weekly room is open
			fac := w.roles(w.fac)
			pa, pf, ps := w.enter(t, ana, w.weekly, w.start), w.enter(t, fac, w.weekly, w.start), w.enter(t, second, w.weekly, w.start)
			store := w.a.RoomStore()
			res, err := store.Append(w.ctx, []room.Pending{send(pa.Room, pa.Member, "k1", "You never listen to anyone"),
				send(pa.Room, pa.Member, "k2", "Another thing I said")})
			if err != nil || res[0].Err != nil || res[1].Err != nil {
				t.Fatalf("%v %+v", err, res)
			}
			seq, other := res[0].Event.Seq, res[1].Event.Seq
			last := func(t *testing.T) room.Event {
				t.Helper()
				evs, err := store.Since(w.ctx, pa.Room, 0, 100)
				if err != nil {
					t.Fatal(err)
				}
				return evs[len(evs)-1]
			}
			shownAgain := func(t *testing.T, by int64, target int64, text string) {
				t.Helper()
				ev := last(t)
				if ev.Kind != room.KindHide || ev.Target != target || ev.Hidden != "" || ev.Text != text || ev.Actor != by || ev.TargetName != "" {
					t.Fatalf("shown-again event %+v", ev)
				}
				if got := lastRing(); got != [2]int64{pa.Room, ev.Seq} {
					t.Fatalf("rung %v, want room %d seq %d", got, pa.Room, ev.Seq)
				}
			}

			t.Run("restored by a facilitator in the room", func(t *testing.T) {
				if _, err := w.a.HideRoomMessage(w.ctx, fac, pa.Room, seq, hearth.ActionInput{Reason: "harassment"}); err != nil {
					t.Fatal(err)
				}
				if ev := last(t); ev.Kind != room.KindHide || ev.Hidden != "harassment" || ev.Text != "" || ev.TargetName != "" {
					t.Fatalf("hide event %+v", ev)
				}
				if _, err := w.a.Moderate(w.ctx, fac, w.g.Slug, app.RoomMessageSubject(pa.Room, seq), hearth.ActionInput{Kind: hearth.ActionRestore, Reason: "other", Note: "Read again"}); err != nil {
					t.Fatal(err)
				}
				shownAgain(t, pf.Member.ID, seq, "You never listen to anyone")
				// The old hide event now says nothing of a reason either, and
				// gives the text too (a resume shows the message either way).
				evs, _ := store.Since(w.ctx, pa.Room, 0, 100)
				for _, ev := range evs {
					if ev.Kind == room.KindHide && (ev.Hidden != "" || ev.Text != "You never listen to anyone") {
						t.Fatalf("hide event after the restore %+v", ev)
					}
				}
			})
			t.Run("its hiding overturned on appeal, decided by another facilitator", func(t *testing.T) {
				act, err := w.a.HideRoomMessage(w.ctx, fac, pa.Room, other, hearth.ActionInput{Reason: "guidelines"})
				if err != nil {
					t.Fatal(err)
				}
				ap, err := w.a.Appeal(w.ctx, ana, act.ID, "I only said what I felt.")
				if err != nil {
					t.Fatal(err)
				}
				if _, err := w.a.DecideAppeal(w.ctx, second, ap.ID, app.AppealDecision{Overturn: true}); err != nil {
					t.Fatal(err)
				}
				shownAgain(t, ps.Member.ID, other, "Another thing I said")
			})
			t.Run("a held message shown again is not given to everyone", func(t *testing.T) {
				res, err := store.Append(w.ctx, []room.Pending{send(pa.Room, pa.Member, "k3", "I have saved up my pills and I know how many it takes")})
				if err != nil || res[0].Err != nil || !res[0].Event.Held {
					t.Fatalf("%v %+v", err, res)
				}
				held := res[0].Event.Seq
				if _, err := w.a.HideRoomMessage(w.ctx, fac, pa.Room, held, hearth.ActionInput{Reason: "safety"}); err != nil {
					t.Fatal(err)
				}
				if _, err := w.a.Moderate(w.ctx, fac, w.g.Slug, app.RoomMessageSubject(pa.Room, held), hearth.ActionInput{Kind: hearth.ActionRestore, Reason: "other", Note: "Read again"}); err != nil {
					t.Fatal(err)
				}
				shownAgain(t, pf.Member.ID, held, "")
			})
		})
	}
}
