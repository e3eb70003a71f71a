package app_test

import (
	"testing"
	"time"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/app"
	"github.com/hearth-org/hearth/internal/sqldb/sqldbtest"
)

// TestStaffReadingIntakeAnswersIsAudited: the organization's audit log says
// who read whose intake answers — once an hour per reader and applicant,
// not a line per page view, and never the words.
func TestStaffReadingIntakeAnswersIsAudited(t *testing.T) {
	for _, e := range sqldbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			w := newMembershipWorld(t, e)
			now := w.clock.Now()
			g, fac := w.group("Caregivers Cohort", hearth.Closed, &hearth.Enrollment{Cap: 4, Sessions: 6,
				Opens: now.Add(-24 * time.Hour), Closes: now.Add(10 * 24 * time.Hour), Starts: now.Add(13 * 24 * time.Hour)})
			qs, err := w.a.SetIntakeQuestions(w.ctx, fac, g.Slug, []hearth.IntakeQuestion{{Prompt: "Who do you care for?", Required: true}})
			if err != nil {
				t.Fatal(err)
			}
			const words = "MY-FATHER-SINCE-THE-STROKE-5521"
			ana := w.person("ana", false)
			m, err := w.a.Apply(w.ctx, ana, g.Slug, app.ApplyRequest{JoinRequest: app.JoinRequest{Pseudonym: "Ana", AcceptGuidelines: true},
				CommitSessions: true, Answers: map[int64]string{qs[0].ID: words}})
			if err != nil {
				t.Fatal(err)
			}
			admin, _, err := w.a.CreateUser(w.ctx, "site-admin", "", "long enough words", true)
			if err != nil {
				t.Fatal(err)
			}
			reader := w.roles(hearth.Actor{UserID: admin.ID})
			reads := func() []app.StoredAuditEntry {
				t.Helper()
				_, entries, _, err := w.a.AuditLog(w.ctx, reader, w.org, 0)
				if err != nil {
					t.Fatal(err)
				}
				var out []app.StoredAuditEntry
				for _, e := range entries {
					if e.Action == "intake_answer.read" {
						out = append(out, e)
					}
				}
				return out
			}
			// Ana reading her own answers is not a staff read.
			w.mine(ana, g.Slug)
			if got := reads(); len(got) != 0 {
				t.Fatalf("the applicant's own read was audited: %+v", got)
			}
			for range 3 {
				if v := w.members(fac, g.Slug); len(v.Applicants) != 1 || len(v.Applicants[0].Answers) != 1 {
					t.Fatalf("the facilitator does not see the answers: %+v", v.Applicants)
				}
			}
			got := reads()
			if len(got) != 1 || got[0].SubjectKind != string(hearth.SubjectIntakeAnswer) || got[0].SubjectID != m.ID || got[0].ActorHandle != "facilitator-1" {
				t.Fatalf("three views within the hour: %+v", got)
			}
			w.clock.Add(61 * time.Minute)
			w.members(fac, g.Slug)
			if got := reads(); len(got) != 2 {
				t.Errorf("a read an hour later: %d entries", len(got))
			}
			for _, e := range reads() {
				if e.Reason != "" {
					t.Errorf("an audit read carries a reason: %q", e.Reason)
				}
			}
		})
	}
}
