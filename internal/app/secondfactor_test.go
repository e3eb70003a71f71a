package app_test

import (
	"testing"
	"time"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/app"
	"github.com/hearth-org/hearth/internal/sqldb/sqldbtest"
)

// With the staff rule on, a facilitator whose sign-in has not passed a
// second factor is the actor RequireSecondFactor makes (what SessionActor
// and TokenActor hand out): the places that decide facilitation from the
// membership row or the on-call list refuse them too.

func TestFacilitatorWithoutSecondFactorCannotModerateABoard(t *testing.T) {
	for _, e := range sqldbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			w := newBoardWorld(t, e)
			p := w.start(w.ana, "Sleep", "I could not sleep again last night.")
			withheld := w.fac.RequireSecondFactor()
			if !withheld.StaffWithheld {
				t.Fatal("the facilitator's actor is not withheld")
			}
			v, err := w.a.Board(w.ctx, withheld, w.g.Slug, app.BoardQuery{})
			if err != nil || v.Leads {
				t.Fatalf("the board shows a facilitator's view: %v %+v", err, v)
			}
			if _, err := w.a.PostHistory(w.ctx, withheld, w.g.Slug, p.PostID); hearth.ErrorKind(err) != hearth.Forbidden && hearth.ErrorKind(err) != hearth.NotFound {
				t.Fatalf("a post's history (facilitators only) was read: %v", err)
			}
			if _, err := w.a.StartThread(w.ctx, withheld, w.g.Slug, app.PostInput{Title: "News", Body: "Next week we meet at 7.", Announcement: true}); hearth.ErrorKind(err) != hearth.Forbidden {
				t.Fatalf("an announcement was posted: %v", err)
			}
			passed := w.fac
			passed.SecondFactor = true
			if _, err := w.a.PostHistory(w.ctx, passed.RequireSecondFactor(), w.g.Slug, p.PostID); err != nil {
				t.Fatalf("with the second factor: %v", err)
			}
		})
	}
}

func TestFacilitatorWithoutSecondFactorEntersARoomAsAMember(t *testing.T) {
	for _, e := range sqldbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			w := newRoomWorld(t, e)
			w.setClock(w.start.Add(-5 * time.Minute))
			if p := w.enter(t, w.fac.RequireSecondFactor(), w.weekly, w.start); p.Member.Facilitator {
				t.Fatal("a facilitator without the second factor runs the room")
			}
			passed := w.fac
			passed.SecondFactor = true
			if p := w.enter(t, passed.RequireSecondFactor(), w.weekly, w.start); !p.Member.Facilitator {
				t.Fatal("with the second factor the facilitator does not run the room")
			}
		})
	}
}

func TestFacilitatorWithoutSecondFactorCannotActOnAnAlert(t *testing.T) {
	for _, e := range sqldbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			w := newSafetyWorld(t, e)
			w.apply(t, "I want to die")
			list := w.queue(t, w.fac)
			if len(list) != 1 {
				t.Fatalf("%d alerts", len(list))
			}
			withheld := w.fac.RequireSecondFactor()
			if _, err := w.a.EscalationQueue(w.ctx, withheld, ""); hearth.ErrorKind(err) != hearth.Forbidden {
				t.Fatalf("the queue was shown: %v", err)
			}
			if _, err := w.a.EscalationDetail(w.ctx, withheld, list[0].ID); err == nil {
				t.Fatal("the alert was shown")
			}
			if _, err := w.a.ActOnEscalation(w.ctx, withheld, list[0].ID, app.EscalationAction{Acknowledge: true}); err == nil {
				t.Fatal("the alert was acknowledged")
			}
			passed := w.fac
			passed.SecondFactor = true
			if _, err := w.a.ActOnEscalation(w.ctx, passed.RequireSecondFactor(), list[0].ID, app.EscalationAction{Acknowledge: true}); err != nil {
				t.Fatalf("with the second factor: %v", err)
			}
		})
	}
}
