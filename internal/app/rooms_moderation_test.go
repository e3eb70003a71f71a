package app_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/app"
	"github.com/hearth-org/hearth/internal/room"
	"github.com/hearth-org/hearth/internal/sqldb/sqldbtest"
)

// Reports, hiding and safety alerts inside a room (issue 5 §2), on both
// engines: a member reports another's message, it reaches the group's
// review queue with its text for the moderators, a facilitator hides it
// (the room's log says so at once and nobody gets the text from the room
// again), and an alert raised in a room leads its handler to the room.
func TestRoomReportHideAndEscalationLink(t *testing.T) {
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
			ana, ben, cal, outsider := w.person("ana", true), w.person("ben", false), w.person("cal", false), w.person("outsider", false)
			w.join(ana, w.g.Slug, "Ana")
			w.join(ben, w.g.Slug, "Ben")
			w.join(cal, w.g.Slug, "Cal")
			w.clock.Add(56 * time.Minute) // the weekly room is open
			fac := w.roles(w.fac)
			pa, pb, pf := w.enter(t, ana, w.weekly, w.start), w.enter(t, ben, w.weekly, w.start), w.enter(t, fac, w.weekly, w.start)
			if pa.RetentionDays != hearth.DefaultRoomRetentionDays {
				t.Fatalf("retention on the pass: %d", pa.RetentionDays)
			}
			store := w.a.RoomStore()
			res, err := store.Append(w.ctx, []room.Pending{send(pa.Room, pa.Member, "k1", "You are all idiots"), send(pb.Room, pb.Member, "k1", "Hello")})
			if err != nil || res[0].Err != nil || res[1].Err != nil {
				t.Fatalf("%v %+v", err, res)
			}
			seq := res[0].Event.Seq
			report := hearth.ReportInput{Reason: hearth.ReasonHarassment}

			t.Run("only someone in the room reports a message, never their own", func(t *testing.T) {
				_, err := w.a.ReportRoomMessage(w.ctx, outsider, pa.Room, seq, report, "", "")
				wantCode(t, err, hearth.NotFound, "")
				_, err = w.a.ReportRoomMessage(w.ctx, w.roles(cal), pa.Room, seq, report, "", "") // a member who never came in
				wantCode(t, err, hearth.NotFound, "")
				_, err = w.a.ReportRoomMessage(w.ctx, ana, pa.Room, seq, report, "", "")
				wantCode(t, err, hearth.Conflict, "self_report")
				_, err = w.a.ReportRoomMessage(w.ctx, ben, pa.Room, seq+100, report, "", "")
				wantCode(t, err, hearth.NotFound, "")
				_, err = w.a.ReportRoomMessage(w.ctx, ben, pa.Room, 0, report, "", "")
				wantCode(t, err, hearth.NotFound, "")
			})
			var reportID int64
			t.Run("a member's report reaches the review queue with the message for its moderators", func(t *testing.T) {
				f, err := w.a.ReportRoomMessage(w.ctx, ben, pb.Room, seq, report, "", "")
				if err != nil {
					t.Fatal(err)
				}
				reportID = f.Report.ID
				if f.Report.Subject != app.RoomMessageSubject(pa.Room, seq) {
					t.Fatalf("subject %+v", f.Report.Subject)
				}
				q, err := w.a.GroupQueue(w.ctx, fac, w.g.Slug)
				if err != nil || len(q.Reports) != 1 || q.Reports[0].ID != reportID || q.Reports[0].Subject.Kind != hearth.SubjectMessage {
					t.Fatalf("queue %+v %v", q, err)
				}
				d, err := w.a.ReportDetail(w.ctx, fac, reportID)
				if err != nil {
					t.Fatal(err)
				}
				if d.Message == nil || d.Message.Text != "You are all idiots" || d.Message.Name != "Ana" || d.Message.Seq != seq || d.Message.Link != fmt.Sprintf("/rooms/%d", pa.Room) {
					t.Fatalf("message %+v", d.Message)
				}
				if slices.Contains(w.noticeKinds(w.fac), "report_received") == false {
					t.Fatalf("facilitator not told: %v", w.noticeKinds(w.fac))
				}
			})
			t.Run("a member cannot hide; the facilitator hides it and the room's log says so", func(t *testing.T) {
				_, err := w.a.HideRoomMessage(w.ctx, ben, pa.Room, seq, hearth.ActionInput{Reason: "harassment"})
				wantCode(t, err, hearth.NotFound, "")
				act, err := w.a.HideRoomMessage(w.ctx, fac, pa.Room, seq, hearth.ActionInput{Reason: "harassment", ReportID: reportID})
				if err != nil {
					t.Fatal(err)
				}
				if act.Kind != hearth.ActionHide || act.TargetUserID != ana.UserID {
					t.Fatalf("%+v", act)
				}
				evs, err := store.Since(w.ctx, pa.Room, 0, 100)
				if err != nil {
					t.Fatal(err)
				}
				last := evs[len(evs)-1]
				if evs[0].Seq != seq || evs[0].Text != "" || evs[0].Hidden != "harassment" || evs[0].Name != "Ana" || evs[1].Text != "Hello" || evs[1].Hidden != "" {
					t.Fatalf("hidden message as the room gives it: %+v / %+v", evs[0], evs[1])
				}
				if last.Kind != room.KindHide || last.Target != seq || last.Hidden != "harassment" || last.Actor != pf.Member.ID {
					t.Fatalf("hide event %+v", last)
				}
				mu.Lock()
				got := slices.Clone(rung)
				mu.Unlock()
				if len(got) != 1 || got[0] != [2]int64{pa.Room, last.Seq} {
					t.Fatalf("rung %v, want room %d seq %d", got, pa.Room, last.Seq)
				}
				q, _ := w.a.GroupQueue(w.ctx, fac, w.g.Slug)
				if len(q.Reports) != 0 {
					t.Fatalf("report still open: %+v", q.Reports)
				}
				// Hidden: nobody else may report it now.
				_, err = w.a.ReportRoomMessage(w.ctx, fac, pa.Room, seq, report, "", "")
				if err != nil && hearth.ErrorKind(err) != hearth.Conflict {
					t.Fatalf("the facilitator still sees what they moderate: %v", err)
				}
				w.clock.Add(time.Minute)
				_, err = w.a.ReportRoomMessage(w.ctx, ben, pb.Room, seq, hearth.ReportInput{Reason: hearth.ReasonSpam}, "", "")
				wantCode(t, err, hearth.NotFound, "")
			})
			t.Run("restored, the message shows again and its old hide event says nothing", func(t *testing.T) {
				if _, err := w.a.Moderate(w.ctx, fac, w.g.Slug, app.RoomMessageSubject(pa.Room, seq), hearth.ActionInput{Kind: hearth.ActionRestore, Reason: "other", Note: "Reviewed again"}); err != nil {
					t.Fatal(err)
				}
				evs, err := store.Since(w.ctx, pa.Room, 0, 100)
				if err != nil {
					t.Fatal(err)
				}
				if evs[0].Text != "You are all idiots" || evs[0].Hidden != "" {
					t.Fatalf("restored: %+v", evs[0])
				}
				for _, ev := range evs {
					if ev.Kind == room.KindHide && ev.Hidden != "" {
						t.Fatalf("stale hide event %+v", ev)
					}
				}
			})
			t.Run("an alert raised in the room leads its handlers to the room, then to its meeting", func(t *testing.T) {
				res, err := store.Append(w.ctx, []room.Pending{send(pb.Room, pb.Member, "c1", "I want to die tonight")})
				if err != nil || res[0].Err != nil || !res[0].Alert {
					t.Fatalf("%v %+v", err, res)
				}
				q, err := w.a.EscalationQueue(w.ctx, fac, "")
				if err != nil || len(q) != 1 || q[0].WritingKind != app.WritingRoomMessage {
					t.Fatalf("%+v %v", q, err)
				}
				v, err := w.a.EscalationDetail(w.ctx, fac, q[0].ID)
				if err != nil {
					t.Fatal(err)
				}
				if v.WritingLink != fmt.Sprintf("/rooms/%d", pb.Room) || app.WritingLinkFor(fac, q[0]) != v.WritingLink {
					t.Fatalf("link %q", v.WritingLink)
				}
				occ := app.OccurrencePath(w.g.Slug, w.weekly.ID, w.start)
				if got, err := w.a.RoomLink(w.ctx, fac, pb.Room); err != nil || got != occ+"/room" {
					t.Fatalf("while open: %q %v", got, err)
				}
				for _, who := range []hearth.Actor{ben, outsider} {
					_, err := w.a.RoomLink(w.ctx, who, pb.Room)
					wantCode(t, err, hearth.NotFound, "")
				}
				w.clock.Add(3 * time.Hour) // the room has closed
				if got, err := w.a.RoomLink(w.ctx, fac, pb.Room); err != nil || got != occ {
					t.Fatalf("after: %q %v", got, err)
				}
			})
		})
	}
}

// BenchmarkRoomStoreSince measures the room's reads: a one-event read (a
// hub catching up after another process wrote) and a 200-message
// catch-up, with the look-up of hidden messages they now include.
// Run: go test ./internal/app -run '^$' -bench RoomStoreSince -benchtime 200x
func BenchmarkRoomStoreSince(b *testing.B) {
	for _, e := range sqldbtest.Engines() {
		b.Run(string(e), func(b *testing.B) {
			dbURL, dir := sqldbtest.URL(b, e)
			a, passes := owlRooms(b, dbURL, dir, 1)
			p := passes[0]
			store := a.RoomStore()
			batch := make([]room.Pending, 200)
			for i := range batch {
				batch[i] = send(p.Room, p.Member, fmt.Sprintf("k%d", i), "Thank you all for being here tonight.")
			}
			if _, err := store.Append(context.Background(), batch); err != nil {
				b.Fatal(err)
			}
			for _, c := range []struct {
				name  string
				after int64
			}{{"one event", 199}, {"200 messages", 0}} {
				b.Run(c.name, func(b *testing.B) {
					for b.Loop() {
						evs, err := store.Since(context.Background(), p.Room, c.after, 500)
						if err != nil || int64(len(evs)) != 200-c.after {
							b.Fatalf("%d %v", len(evs), err)
						}
					}
				})
			}
		})
	}
}
