package app_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/app"
	"github.com/hearth-org/hearth/internal/sqldb"
	"github.com/hearth-org/hearth/internal/sqldb/sqldbtest"
)

// safetyWorld is a closed group with one intake question, its facilitator,
// and a way to apply with an answer.
type safetyWorld struct {
	*membershipWorld
	g   *hearth.Group
	fac hearth.Actor
	q   int64
	n   int
}

func newSafetyWorld(t *testing.T, e sqldb.Engine) *safetyWorld {
	w := newMembershipWorld(t, e)
	now := w.clock.Now()
	g, fac := w.group("Grief Cohort Madrid", hearth.Closed, &hearth.Enrollment{Cap: 8, Sessions: 8,
		Opens: now.Add(-24 * time.Hour), Closes: now.Add(10 * 24 * time.Hour), Starts: now.Add(13 * 24 * time.Hour)})
	qs, err := w.a.SetIntakeQuestions(w.ctx, fac, g.Slug, []hearth.IntakeQuestion{{Prompt: "What brings you here?", Required: true}})
	if err != nil {
		t.Fatal(err)
	}
	return &safetyWorld{membershipWorld: w, g: g, fac: fac, q: qs[0].ID}
}

// apply sends an application whose answer is text, from someone new.
func (w *safetyWorld) apply(t testing.TB, text string) (hearth.Actor, *app.Support) {
	t.Helper()
	w.n++
	who := w.person(fmt.Sprintf("applicant-%d", w.n), false)
	_, sup, err := w.a.ApplyWithSupport(w.ctx, who, w.g.Slug, app.ApplyRequest{JoinRequest: app.JoinRequest{Pseudonym: fmt.Sprintf("Applicant %d", w.n),
		AcceptGuidelines: true}, CommitSessions: true, Answers: map[int64]string{w.q: text}, Country: "US", Lang: "en"})
	if err != nil {
		t.Fatal(err)
	}
	return who, sup
}

func (w *safetyWorld) queue(t testing.TB, actor hearth.Actor) []*app.Escalation {
	t.Helper()
	list, err := w.a.EscalationQueue(w.ctx, actor, "")
	if err != nil {
		t.Fatal(err)
	}
	return list
}

func (w *safetyWorld) steps(t testing.TB, id int64) []string {
	t.Helper()
	v, err := w.a.EscalationDetail(w.ctx, w.fac, id)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, s := range v.Steps {
		out = append(out, s.Kind)
	}
	return out
}

func (w *safetyWorld) tick(t testing.TB, d time.Duration) {
	t.Helper()
	w.clock.Add(d)
	if err := w.a.RunEscalations(w.ctx); err != nil {
		t.Fatal(err)
	}
}

func TestSafetyFollowUp(t *testing.T) {
	for _, e := range sqldbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			w := newSafetyWorld(t, e)
			cases := []struct {
				name  string
				text  string
				alert bool
				tier  int
			}{
				{"an ordinary answer raises nothing", "My mother died in March and I miss her every day.", false, 0},
				{"an idiom raises nothing", "Honestly this commute is killing me, evenings are all I have.", false, 0},
				{"thoughts of suicide alert the facilitators (tier 2)", "I want to die", true, 2},
				{"danger from another person alerts them too", "my husband hits me and says he will kill me", true, 1},
			}
			for _, c := range cases {
				t.Run(c.name, func(t *testing.T) {
					before := len(w.queue(t, w.fac))
					_, sup := w.apply(t, c.text)
					list := w.queue(t, w.fac)
					if (sup != nil) != c.alert || (len(list) == before+1) != c.alert {
						t.Fatalf("support %+v, queue %d → %d", sup, before, len(list))
					}
					if c.alert && (list[0].Tier != c.tier || sup.Helplines[0].Code != "US" || !sup.StaffTold || sup.SafetyPlan != app.SafetyPlanPath) {
						t.Fatalf("alert %+v support %+v", list[0], sup)
					}
				})
			}
			t.Run("a tier-2 alert is never escalated beyond the facilitators", func(t *testing.T) {
				id := w.queue(t, w.fac)[1].ID // "I want to die"
				w.tick(t, time.Hour)
				if got := w.steps(t, id); !slices.Equal(got, []string{"raised", "alerted"}) {
					t.Fatalf("steps %v", got)
				}
			})
		})
	}
}

func TestEscalationChain(t *testing.T) {
	for _, e := range sqldbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			w := newSafetyWorld(t, e)
			admin := w.person("org-admin", false)
			if err := w.a.AddOrgAdmin(w.ctx, w.site, w.org, "org-admin"); err != nil {
				t.Fatal(err)
			}
			admin = w.roles(admin)
			_, otherFac := w.group("Anxiety Circle", hearth.Open, nil)
			const imminent = "voy a tomar 30 pastillas de paracetamol esta noche" // tier 3, with method details
			t.Run("only the organization's staff may be on call, in the minutes allowed", func(t *testing.T) {
				outsider := w.person("outsider", false)
				_, err := w.a.SetOrgSafety(w.ctx, admin, w.org, []string{"outsider", "nobody-has-this", otherFac.Handle, otherFac.Handle}, 0)
				var fields []string
				for _, f := range hearth.AsError(err).Fields {
					fields = append(fields, f.Field+":"+f.Code)
				}
				slices.Sort(fields)
				if !slices.Equal(fields, []string{"ack_minutes:range", "on_call:duplicate", "on_call:no_account", "on_call:not_staff"}) {
					t.Fatalf("%v", fields)
				}
				if _, err := w.a.SetOrgSafety(w.ctx, otherFac, w.org, nil, 5); hearth.ErrorKind(err) != hearth.Forbidden {
					t.Fatalf("a facilitator changed the settings: %v", err)
				}
				_ = outsider
				st, err := w.a.OrgSafety(w.ctx, admin, w.org)
				if err != nil || len(st.OnCall) != 0 || st.AckMinutes != 5 {
					t.Fatalf("a refused change changed something: %+v %v", st, err)
				}
			})
			if _, err := w.a.SetOrgSafety(w.ctx, admin, w.org, []string{otherFac.Handle}, 3); err != nil {
				t.Fatal(err)
			}
			author, sup := w.apply(t, imminent)
			list := w.queue(t, w.fac)
			alert := list[0]
			t.Run("method details are held for review, stored all the same", func(t *testing.T) {
				if sup == nil || alert.Tier != 3 || !alert.Held {
					t.Fatalf("%+v", alert)
				}
				v := w.members(w.fac, w.g.Slug)
				if v.Applicants[len(v.Applicants)-1].Answers[0].Text != imminent {
					t.Fatal("the answer was not stored")
				}
			})
			t.Run("tier 3 alerts the first on-call person at once; the chain follows the organization's minutes, then its admins, then stops", func(t *testing.T) {
				if !slices.Contains(w.noticeKinds(otherFac), "safety_alert") {
					t.Fatalf("the first on-call person was not alerted at once: %v", w.noticeKinds(otherFac))
				}
				w.tick(t, 2*time.Minute+59*time.Second)
				if got := w.steps(t, alert.ID); !slices.Equal(got, []string{"raised", "alerted", "alerted"}) {
					t.Fatalf("early: %v", got)
				}
				if slices.Contains(w.noticeKinds(admin), "escalation") {
					t.Fatal("the admin was told before the minutes were up")
				}
				w.tick(t, time.Second)
				if !slices.Contains(w.noticeKinds(admin), "escalation") {
					t.Fatalf("not told after 3 minutes: %v", w.noticeKinds(admin))
				}
				w.tick(t, 3*time.Minute)
				w.tick(t, time.Hour)
				if got := w.steps(t, alert.ID); !slices.Equal(got, []string{"raised", "alerted", "alerted", "escalated", "exhausted"}) {
					t.Fatalf("steps %v", got)
				}
				if slices.Contains(w.noticeKinds(author), "escalation") || slices.Contains(w.noticeKinds(author), "safety_alert") {
					t.Fatal("the writer was alerted about themselves")
				}
			})
			t.Run("the on-call person sees the organization's alerts; outsiders do not", func(t *testing.T) {
				if q := w.queue(t, w.roles(otherFac)); len(q) != 1 || q[0].ID != alert.ID {
					t.Fatalf("%+v", q)
				}
				if _, err := w.a.EscalationQueue(w.ctx, author, ""); hearth.ErrorKind(err) != hearth.Forbidden {
					t.Fatalf("the writer sees the queue: %v", err)
				}
				if _, err := w.a.EscalationDetail(w.ctx, author, alert.ID); hearth.ErrorKind(err) != hearth.NotFound {
					t.Fatalf("the writer reads the alert: %v", err)
				}
			})
			t.Run("marking reviewed releases the hold; resolving needs an outcome from the list", func(t *testing.T) {
				if _, err := w.a.ActOnEscalation(w.ctx, w.fac, alert.ID, app.EscalationAction{Reviewed: true}); err != nil {
					t.Fatal(err)
				}
				_, err := w.a.ActOnEscalation(w.ctx, w.fac, alert.ID, app.EscalationAction{Resolve: true, Outcome: "banned"})
				if hearth.ErrorKind(err) != hearth.Invalid {
					t.Fatalf("%v", err)
				}
				got, err := w.a.ActOnEscalation(w.ctx, w.fac, alert.ID, app.EscalationAction{Resolve: true, Outcome: app.OutcomeReferred})
				if err != nil || got.Status != "resolved" || got.Held || got.AcknowledgedBy == 0 {
					t.Fatalf("%+v %v", got, err)
				}
				if _, err := w.a.ActOnEscalation(w.ctx, w.fac, alert.ID, app.EscalationAction{Acknowledge: true}); hearth.ErrorKind(err) != hearth.Conflict {
					t.Fatalf("acknowledged a resolved alert: %v", err)
				}
				if got := w.steps(t, alert.ID); !slices.Equal(got[len(got)-3:], []string{"reviewed", "acknowledged", "resolved"}) {
					t.Fatalf("steps %v", got)
				}
			})
			t.Run("nothing was done to the writer", func(t *testing.T) {
				v := w.mine(author, w.g.Slug)
				if v.Membership == nil || v.Membership.Status != hearth.StatusApplicant {
					t.Fatalf("%+v", v.Membership)
				}
			})
		})
	}
}
