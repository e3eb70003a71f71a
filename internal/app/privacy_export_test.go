package app_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/app"
	"github.com/hearth-org/hearth/internal/room"
	"github.com/hearth-org/hearth/internal/sqldb/sqldbtest"
)

// The export (issue 7 §2) holds everything the person wrote and their
// memberships, attendance, RSVPs and safety plan — and nothing another
// member wrote in the same room, board or group: Ben writes beside Ana on
// every surface with his own markers, and none of them is in Ana's archive.
// (Hearth has no questionnaire check-ins yet: a room's check-in round is
// spoken, and what is typed in it is a room message, covered here.)
func TestExportHoldsAllOfMineAndNothingOfOthers(t *testing.T) {
	for _, e := range sqldbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			w := newRoomWorld(t, e)
			ctx := w.ctx
			ana, ben := w.person("ana", true), w.person("ben", true)
			w.join(ana, w.g.Slug, "Ana")
			w.join(ben, w.g.Slug, "Ben")
			ana, ben = w.roles(ana), w.roles(ben)

			// A live room: both write; the facilitator asks a round's question.
			w.clock.Add(56 * time.Minute)
			pa, pb, pf := w.enter(t, ana, w.weekly, w.start), w.enter(t, ben, w.weekly, w.start), w.enter(t, w.fac, w.weekly, w.start)
			res, err := w.a.RoomStore().Append(ctx, []room.Pending{
				send(pa.Room, pa.Member, "a1", "ANA-ROOM-MARKER I made it tonight"),
				send(pb.Room, pb.Member, "b1", "BEN-ROOM-MARKER welcome Ana"),
				{Room: pf.Room, Member: pf.Member, Event: room.Event{Kind: room.KindRoundStart, Round: room.RoundQuestion, Text: "FAC-ROUND-MARKER what helped this week?"}},
			})
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range res {
				if r.Err != nil {
					t.Fatal(r.Err)
				}
			}
			// An RSVP to next week's meeting.
			next := w.start.AddDate(0, 0, 7)
			for _, who := range []hearth.Actor{ana, ben} {
				if err := w.a.RSVP(ctx, who, w.g.Slug, w.weekly.ID, next); err != nil {
					t.Fatal(err)
				}
			}
			// Safety plans.
			for who, words := range map[*hearth.Actor]string{&ana: "ANA-PLAN-MARKER call my sister", &ben: "BEN-PLAN-MARKER walk the dog"} {
				if _, err := w.a.SaveSafetyPlan(ctx, *who, app.SafetyPlanInput{Plan: hearth.SafetyPlan{Coping: []string{words}}, Lang: "en"}); err != nil {
					t.Fatal(err)
				}
			}
			// The board, once both are past the new-member rules; and
			// tonight's attendance.
			w.clock.Add(8 * 24 * time.Hour)
			marks := map[int64]hearth.AttendanceMark{ana.UserID: hearth.Present, ben.UserID: hearth.Present}
			if err := w.a.TakeAttendance(ctx, w.fac, w.g.Slug, w.weekly.ID, w.start, marks); err != nil {
				t.Fatal(err)
			}
			th, err := w.a.StartThread(ctx, ana, w.g.Slug, app.PostInput{Title: "ANA-TITLE-MARKER", Body: "ANA-POST-MARKER evenings are hard"})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := w.a.Reply(ctx, ben, w.g.Slug, th.ThreadID, app.PostInput{Body: "BEN-POST-MARKER same here"}); err != nil {
				t.Fatal(err)
			}
			if _, err := w.a.StartThread(ctx, ben, w.g.Slug, app.PostInput{Title: "BEN-TITLE-MARKER", Body: "BEN-POST-MARKER-2 mornings"}); err != nil {
				t.Fatal(err)
			}
			if _, err := w.a.Reply(ctx, ana, w.g.Slug, th.ThreadID, app.PostInput{Body: "ANA-REPLY-MARKER thank you"}); err != nil {
				t.Fatal(err)
			}
			// Intake answers in a closed group both apply to.
			now := w.clock.Now()
			cg, cfac := w.group("Grief Cohort", hearth.Closed, &hearth.Enrollment{Cap: 4, Sessions: 8,
				Opens: now.Add(-24 * time.Hour), Closes: now.Add(10 * 24 * time.Hour), Starts: now.Add(13 * 24 * time.Hour)})
			qs, err := w.a.SetIntakeQuestions(ctx, cfac, cg.Slug, []hearth.IntakeQuestion{{Prompt: "What brings you here?", Required: true}})
			if err != nil {
				t.Fatal(err)
			}
			for who, words := range map[*hearth.Actor]string{&ana: "ANA-INTAKE-MARKER my mother", &ben: "BEN-INTAKE-MARKER my father"} {
				if _, err := w.a.Apply(ctx, *who, cg.Slug, app.ApplyRequest{JoinRequest: app.JoinRequest{Pseudonym: "Person " + (*who).Handle, AcceptGuidelines: true},
					CommitSessions: true, Answers: map[int64]string{qs[0].ID: words}}); err != nil {
					t.Fatal(err)
				}
			}

			x, err := w.a.ExportMyData(ctx, w.roles(ana))
			if err != nil {
				t.Fatal(err)
			}
			raw, _ := json.Marshal(x)
			doc := string(raw)
			for _, m := range []string{"ANA-ROOM-MARKER", "ANA-PLAN-MARKER", "ANA-TITLE-MARKER", "ANA-POST-MARKER", "ANA-REPLY-MARKER", "ANA-INTAKE-MARKER"} {
				if !strings.Contains(doc, m) {
					t.Errorf("the export lacks %s", m)
				}
			}
			for _, m := range []string{"BEN-", "FAC-ROUND-MARKER"} {
				if strings.Contains(doc, m) {
					t.Errorf("the export holds another's writing (%s)", m)
				}
			}
			if len(x.Memberships) != 2 || len(x.Messages) != 1 || len(x.Posts) != 2 || len(x.Answers) != 1 || x.SafetyPlan == nil {
				t.Errorf("memberships %d, messages %d, posts %d, answers %d, plan %v", len(x.Memberships), len(x.Messages), len(x.Posts), len(x.Answers), x.SafetyPlan != nil)
			}
			if len(x.Attendance) != 1 || x.Attendance[0].Mark != string(hearth.Present) || !x.Attendance[0].Occurs.Equal(w.start) {
				t.Errorf("attendance %+v", x.Attendance)
			}
			if len(x.RSVPs) != 1 || !x.RSVPs[0].Occurs.Equal(next) {
				t.Errorf("rsvps %+v", x.RSVPs)
			}

			t.Run("the facilitator's archive holds the round question they asked", func(t *testing.T) {
				x, err := w.a.ExportMyData(ctx, w.fac)
				if err != nil {
					t.Fatal(err)
				}
				raw, _ := json.Marshal(x)
				if !strings.Contains(string(raw), "FAC-ROUND-MARKER") {
					t.Error("the facilitator's round question is not in their export")
				}
				if strings.Contains(string(raw), "ANA-") || strings.Contains(string(raw), "BEN-") {
					t.Error("the facilitator's export holds members' writing")
				}
			})
		})
	}
}
