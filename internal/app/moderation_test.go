package app_test

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/app"
	"github.com/hearth-org/hearth/internal/sqldb/sqldbtest"
)

// modWorld is a group with a facilitator, two members and an org admin.
type modWorld struct {
	*membershipWorld
	g                *hearth.Group
	fac, admin       hearth.Actor
	ana, ben         hearth.Actor
	anaM, benM       *hearth.Membership
	outsider         hearth.Actor
	anaSubj, benSubj hearth.Subject
}

func newModWorld(t *testing.T, e string) *modWorld {
	t.Helper()
	var w modWorld
	for _, en := range sqldbtest.Engines() {
		if string(en) == e {
			w.membershipWorld = newMembershipWorld(t, en)
		}
	}
	w.g, w.fac = w.group("Anxiety Circle", hearth.Open, nil)
	admin := w.person("org-admin", true)
	if err := w.a.AddOrgAdmin(w.ctx, w.site, w.org, "org-admin"); err != nil {
		t.Fatal(err)
	}
	w.admin = w.roles(admin)
	w.ana, w.ben, w.outsider = w.person("ana", true), w.person("ben", false), w.person("outsider", false)
	w.anaM, w.benM = w.join(w.ana, w.g.Slug, "Ana"), w.join(w.ben, w.g.Slug, "Ben")
	w.ana, w.ben = w.roles(w.ana), w.roles(w.ben)
	w.anaSubj = hearth.Subject{Kind: hearth.SubjectMember, ID: w.anaM.ID}
	w.benSubj = hearth.Subject{Kind: hearth.SubjectMember, ID: w.benM.ID}
	return &w
}

func (w *modWorld) report(who hearth.Actor, s hearth.Subject, reason hearth.ReportReason, note string) (*app.Filed, error) {
	return w.a.Report(w.ctx, who, app.ReportRequest{ReportInput: hearth.ReportInput{Subject: s, Reason: reason, Note: note}})
}

// auditText is the whole audit log of the organization as text.
func (w *modWorld) auditText(t *testing.T) (string, []string) {
	t.Helper()
	_, entries, _, err := w.a.AuditLog(w.ctx, w.admin, w.org, 0)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	var actions []string
	for _, e := range entries {
		fmt.Fprintf(&b, "%+v\n", e)
		actions = append(actions, e.Action)
	}
	return b.String(), actions
}

func TestReportsAndReviewQueues(t *testing.T) {
	for _, e := range sqldbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			w := newModWorld(t, string(e))
			const secret = "BEN-SAID-7781-A-PRIVATE-THING"

			t.Run("bad reports are refused and change nothing", func(t *testing.T) {
				_, err := w.report(w.ana, w.benSubj, "rude", "")
				wantField(t, err, "reason")
				_, err = w.report(w.ana, w.benSubj, hearth.ReasonOther, "  ")
				wantField(t, err, "note")
				_, err = w.report(w.ana, hearth.Subject{Kind: "post", ID: 1}, hearth.ReasonSpam, "")
				wantKind(t, err, hearth.NotFound, "")
				_, err = w.report(w.ana, w.anaSubj, hearth.ReasonSpam, "")
				wantKind(t, err, hearth.Conflict, "self_report")
				_, err = w.report(w.outsider, w.benSubj, hearth.ReasonHarassment, "")
				wantKind(t, err, hearth.NotFound, "")
				_, err = w.report(hearth.Anonymous, w.benSubj, hearth.ReasonHarassment, "")
				wantKind(t, err, hearth.Unauthorized, "")
				intake := hearth.Subject{Kind: hearth.SubjectIntakeAnswer, ID: w.benM.ID}
				_, err = w.report(w.ana, intake, hearth.ReasonSpam, "")
				wantKind(t, err, hearth.NotFound, "")
				q, err := w.a.GroupQueue(w.ctx, w.fac, w.g.Slug)
				if err != nil || len(q.Reports) != 0 {
					t.Fatalf("queue after refused reports: %+v %v", q, err)
				}
			})
			var first *app.Filed
			t.Run("a member reports another; the note is sealed and only moderators read it", func(t *testing.T) {
				var err error
				first, err = w.report(w.ana, w.benSubj, hearth.ReasonHarassment, secret)
				if err != nil {
					t.Fatal(err)
				}
				raw, err := w.db.Report(w.ctx, first.Report.ID)
				if err != nil || len(raw.SealedNote) == 0 || strings.Contains(string(raw.SealedNote), secret) {
					t.Fatalf("note not sealed: %v", err)
				}
				q, err := w.a.GroupQueue(w.ctx, w.fac, w.g.Slug)
				if err != nil || len(q.Reports) != 1 || q.Reports[0].ReporterPseudonym != "Ana" || q.Reports[0].SubjectPseudonym != "Ben" ||
					q.Reports[0].Reason != hearth.ReasonHarassment {
					t.Fatalf("group queue %+v %v", q, err)
				}
				oq, err := w.a.OrgQueue(w.ctx, w.admin, w.org)
				if err != nil || len(oq.Reports) != 1 {
					t.Fatalf("org queue %+v %v", oq, err)
				}
				d, err := w.a.ReportDetail(w.ctx, w.fac, first.Report.ID)
				if err != nil || d.Note != secret {
					t.Fatalf("detail %+v %v", d, err)
				}
				for _, who := range []hearth.Actor{w.ben, w.ana, w.outsider} {
					if _, err := w.a.ReportDetail(w.ctx, who, first.Report.ID); hearth.ErrorKind(err) != hearth.NotFound {
						t.Fatalf("a non-moderator read the report: %v", err)
					}
				}
				if _, err := w.a.GroupQueue(w.ctx, w.ana, w.g.Slug); hearth.ErrorKind(err) != hearth.Forbidden {
					t.Fatalf("a member read the queue: %v", err)
				}
				if _, err := w.a.OrgQueue(w.ctx, w.fac, w.org); hearth.ErrorKind(err) != hearth.Forbidden {
					t.Fatalf("a facilitator read the organization's queue: %v", err)
				}
				if !slices.Contains(w.noticeKinds(w.fac), app.NoticeReportReceived) {
					t.Fatalf("the facilitator was not told: %v", w.noticeKinds(w.fac))
				}
				if slices.Contains(w.noticeKinds(w.ben), app.NoticeReportReceived) {
					t.Fatal("the reported member was told of the report")
				}
			})
			t.Run("the same person cannot report the same thing twice while it is open", func(t *testing.T) {
				_, err := w.report(w.ana, w.benSubj, hearth.ReasonSpam, "")
				wantKind(t, err, hearth.Conflict, "already_reported")
			})
			t.Run("a dismissed report leaves the queue and is audited without its note", func(t *testing.T) {
				if err := w.a.DismissReport(w.ctx, w.fac, first.Report.ID); err != nil {
					t.Fatal(err)
				}
				if err := w.a.DismissReport(w.ctx, w.fac, first.Report.ID); hearth.ErrorKind(err) != hearth.Conflict {
					t.Fatalf("dismissed twice: %v", err)
				}
				q, _ := w.a.GroupQueue(w.ctx, w.fac, w.g.Slug)
				if len(q.Reports) != 0 {
					t.Fatalf("queue %+v", q.Reports)
				}
				text, actions := w.auditText(t)
				if !slices.Contains(actions, "report.filed") || !slices.Contains(actions, "report.dismissed") || strings.Contains(text, secret) {
					t.Fatalf("audit log:\n%s", text)
				}
			})
		})
	}
}

func TestCrisisConcernsGoToPeopleAndFloodsAreThrottled(t *testing.T) {
	for _, e := range sqldbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			w := newModWorld(t, string(e))
			t.Run("a crisis concern about someone else reaches the facilitators at once and changes nothing for the person", func(t *testing.T) {
				before := len(w.noticeKinds(w.fac))
				if _, err := w.report(w.ana, w.benSubj, hearth.ReasonCrisisConcern, "Ben said goodbye to everyone tonight"); err != nil {
					t.Fatal(err)
				}
				if got := w.noticeKinds(w.fac); len(got) != before+1 || got[0] != app.NoticeReportReceived {
					t.Fatalf("facilitator notices %v (the report itself is the alert; none names the reporter as the one in need)", got)
				}
				if v := w.mine(w.ben, w.g.Slug); v.Membership.Status != hearth.StatusActive || v.Mute != nil {
					t.Fatalf("a crisis report acted on Ben: %+v", v)
				}
				if err := w.a.MayPost(w.ctx, w.g.ID, w.ben.UserID, "I am still here"); err != nil {
					t.Fatalf("Ben cannot post after a crisis report: %v", err)
				}
			})
			t.Run("crisis reports about one person are limited, whoever sends them", func(t *testing.T) {
				var reporters []hearth.Actor
				for i := range 3 {
					p := w.person(fmt.Sprintf("worried-%d", i), false)
					w.join(p, w.g.Slug, fmt.Sprintf("Worried %d", i))
					reporters = append(reporters, w.roles(p))
				}
				var err error
				for _, p := range reporters {
					if _, err = w.report(p, w.benSubj, hearth.ReasonCrisisConcern, ""); err != nil {
						break
					}
				}
				wantKind(t, err, hearth.TooMany, "crisis_already_known")
			})
			t.Run("a flood of reports from one account is throttled with a clear message", func(t *testing.T) {
				var subjects []hearth.Subject
				for i := range 12 {
					p := w.person(fmt.Sprintf("target-%d", i), false)
					m := w.join(p, w.g.Slug, fmt.Sprintf("Target %d", i))
					subjects = append(subjects, hearth.Subject{Kind: hearth.SubjectMember, ID: m.ID})
				}
				flooder := w.roles(w.person("flooder", false))
				w.join(flooder, w.g.Slug, "Flooder")
				flooder = w.roles(flooder)
				sent := 0
				var err error
				for _, s := range subjects {
					if _, err = w.report(flooder, s, hearth.ReasonSpam, ""); err != nil {
						break
					}
					sent++
				}
				wantKind(t, err, hearth.TooMany, "report_rate")
				if sent != 10 || !strings.Contains(hearth.AsError(err).Message, "wait") {
					t.Fatalf("sent %d before the limit: %v", sent, err)
				}
				w.clock.Add(61 * time.Minute)
				if _, err := w.report(flooder, subjects[11], hearth.ReasonSpam, ""); err != nil {
					t.Fatalf("an hour later the report is refused: %v", err)
				}
			})
		})
	}
}

// TestReportsSentAtOnceStayUnderTheLimit: a flood sent all at once, not
// one after another, is held to the same limit.
func TestReportsSentAtOnceStayUnderTheLimit(t *testing.T) {
	for _, e := range sqldbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			w := newModWorld(t, string(e))
			var subjects []hearth.Subject
			for i := range 16 {
				p := w.person(fmt.Sprintf("target-%d", i), false)
				m := w.join(p, w.g.Slug, fmt.Sprintf("Target %d", i))
				subjects = append(subjects, hearth.Subject{Kind: hearth.SubjectMember, ID: m.ID})
			}
			flooder := w.roles(w.person("flooder", false))
			w.join(flooder, w.g.Slug, "Flooder")
			flooder = w.roles(flooder)
			var wg sync.WaitGroup
			var mu sync.Mutex
			sent, other := 0, []error{}
			for _, s := range subjects {
				wg.Go(func() {
					_, err := w.report(flooder, s, hearth.ReasonSpam, "")
					mu.Lock()
					defer mu.Unlock()
					switch {
					case err == nil:
						sent++
					case hearth.ErrorKind(err) != hearth.TooMany:
						other = append(other, err)
					}
				})
			}
			wg.Wait()
			if len(other) > 0 {
				t.Fatalf("unexpected errors: %v", other)
			}
			if sent != 10 {
				t.Fatalf("%d reports sent at once got through; the limit is 10 an hour", sent)
			}
		})
	}
}

func TestModerationActionsAppealsAndTheAuditLog(t *testing.T) {
	for _, e := range sqldbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			w := newModWorld(t, string(e))
			const note = "PRIVATE-NOTE-5512 about what Ben wrote"
			act := func(who hearth.Actor, s hearth.Subject, in hearth.ActionInput) (*hearth.ModAction, error) {
				return w.a.Moderate(w.ctx, who, w.g.Slug, s, in)
			}
			t.Run("bad actions are refused and change nothing", func(t *testing.T) {
				_, err := act(w.fac, w.benSubj, hearth.ActionInput{Kind: hearth.ActionMute, Reason: hearth.ActionReasonHarassment, Minutes: 1})
				wantField(t, err, "minutes")
				_, err = act(w.fac, w.benSubj, hearth.ActionInput{Kind: hearth.ActionHide, Reason: hearth.ActionReasonSpam})
				wantKind(t, err, hearth.Invalid, "content_only")
				_, err = act(w.ana, w.benSubj, hearth.ActionInput{Kind: hearth.ActionWarn, Reason: hearth.ActionReasonSpam})
				wantKind(t, err, hearth.Forbidden, "")
				_, err = act(w.fac, w.benSubj, hearth.ActionInput{Kind: hearth.ActionBanOrg, Reason: hearth.ActionReasonSpam})
				wantKind(t, err, hearth.Forbidden, "")
				if v := w.mine(w.ben, w.g.Slug); v.Mute != nil || len(w.noticeKinds(w.ben)) != 0 {
					t.Fatalf("a refused action changed something: %+v %v", v.Mute, w.noticeKinds(w.ben))
				}
			})
			var mute *hearth.ModAction
			t.Run("a muted member is refused with why and until when, and told", func(t *testing.T) {
				var err error
				mute, err = act(w.fac, w.benSubj, hearth.ActionInput{Kind: hearth.ActionMute, Reason: hearth.ActionReasonHarassment, Note: note, Minutes: 24 * 60})
				if err != nil {
					t.Fatal(err)
				}
				until := w.clock.Now().Add(24 * time.Hour).UTC().Truncate(time.Second)
				err = w.a.MayPost(w.ctx, w.g.ID, w.ben.UserID, "hello")
				wantKind(t, err, hearth.Forbidden, "muted")
				e := hearth.AsError(err)
				if !strings.Contains(e.Message, until.Format("2006-01-02 15:04")) || !strings.Contains(e.Message, "harassment") ||
					e.Fields[0].Params["Until"] != until.Format(time.RFC3339) {
					t.Fatalf("the refusal does not say why and until when: %+v", e)
				}
				v := w.mine(w.ben, w.g.Slug)
				if v.Mute == nil || !v.Mute.Until.Equal(until) || v.Mute.Reason != hearth.ActionReasonHarassment {
					t.Fatalf("membership page mute %+v", v.Mute)
				}
				if !slices.Contains(w.noticeKinds(w.ben), app.NoticeModerationAction) {
					t.Fatalf("Ben was not told: %v", w.noticeKinds(w.ben))
				}
				mine, err := w.a.MyModeration(w.ctx, w.ben)
				if err != nil || len(mine) != 1 || mine[0].Note != note || !mine[0].MutedNow || !mine[0].CanAppeal {
					t.Fatalf("Ben's moderation page %+v %v", mine, err)
				}
				if err := w.a.MayPost(w.ctx, w.g.ID, w.ana.UserID, "hello"); err != nil {
					t.Fatalf("Ana is refused too: %v", err)
				}
			})
			t.Run("an appeal is heard once, by someone other than the moderator who acted", func(t *testing.T) {
				if _, err := w.a.Appeal(w.ctx, w.ana, mute.ID, "not mine"); hearth.ErrorKind(err) != hearth.NotFound {
					t.Fatalf("someone else appealed Ben's mute: %v", err)
				}
				_, err := w.a.Appeal(w.ctx, w.ben, mute.ID, " ")
				wantField(t, err, "note")
				ap, err := w.a.Appeal(w.ctx, w.ben, mute.ID, "I was quoting the guidelines back, please read again")
				if err != nil {
					t.Fatal(err)
				}
				_, err = w.a.Appeal(w.ctx, w.ben, mute.ID, "again")
				wantKind(t, err, hearth.Conflict, "already_appealed")
				q, err := w.a.GroupQueue(w.ctx, w.fac, w.g.Slug)
				if err != nil || len(q.Appeals) != 1 || q.Appeals[0].Pseudonym != "Ben" || q.Appeals[0].ActionNote != note {
					t.Fatalf("appeals in the queue %+v %v", q.Appeals, err)
				}
				_, err = w.a.DecideAppeal(w.ctx, w.fac, ap.ID, app.AppealDecision{Overturn: true})
				wantKind(t, err, hearth.Forbidden, "own_action")
				if _, err := w.a.DecideAppeal(w.ctx, w.admin, ap.ID, app.AppealDecision{Overturn: true, Note: "You are right, sorry."}); err != nil {
					t.Fatal(err)
				}
				if _, err := w.a.DecideAppeal(w.ctx, w.admin, ap.ID, app.AppealDecision{}); hearth.ErrorKind(err) != hearth.Conflict {
					t.Fatalf("decided twice: %v", err)
				}
				if err := w.a.MayPost(w.ctx, w.g.ID, w.ben.UserID, "thanks"); err != nil {
					t.Fatalf("the overturned mute still holds: %v", err)
				}
				mine, _ := w.a.MyModeration(w.ctx, w.ben)
				if mine[0].Appeal == nil || mine[0].Appeal.Status != hearth.AppealOverturned || mine[0].DecisionNote != "You are right, sorry." || mine[0].CanAppeal {
					t.Fatalf("Ben's page after the appeal %+v", mine[0])
				}
			})
			t.Run("removal answers the report, frees the seat and keeps the person out", func(t *testing.T) {
				f, err := w.report(w.ana, w.benSubj, hearth.ReasonHarassment, "")
				if err != nil {
					t.Fatal(err)
				}
				if _, err := act(w.fac, w.benSubj, hearth.ActionInput{Kind: hearth.ActionRemove, Reason: hearth.ActionReasonHarassment, ReportID: f.Report.ID}); err != nil {
					t.Fatal(err)
				}
				if v := w.mine(w.ben, w.g.Slug); v.Membership.Status != hearth.StatusRemoved {
					t.Fatalf("status %s", v.Membership.Status)
				}
				if q, _ := w.a.GroupQueue(w.ctx, w.fac, w.g.Slug); len(q.Reports) != 0 {
					t.Fatalf("the answered report is still open: %+v", q.Reports)
				}
			})
			t.Run("a ban from the organization keeps the person out of all its groups", func(t *testing.T) {
				other, _ := w.group("Other Circle", hearth.Open, nil)
				if _, err := w.a.Moderate(w.ctx, w.admin, w.g.Slug, w.anaSubj, hearth.ActionInput{Kind: hearth.ActionBanOrg, Reason: hearth.ActionReasonSpam}); err != nil {
					t.Fatal(err)
				}
				_, err := w.a.Join(w.ctx, w.ana, other.Slug, app.JoinRequest{Pseudonym: "Ana", AcceptGuidelines: true})
				wantKind(t, err, hearth.Forbidden, "banned")
			})
			t.Run("each action is in the audit log, without any note", func(t *testing.T) {
				text, actions := w.auditText(t)
				for _, want := range []string{"moderation.mute", "appeal.filed", "appeal.overturned", "moderation.remove", "moderation.ban_org", "report.filed"} {
					if !slices.Contains(actions, want) {
						t.Errorf("audit log lacks %s: %v", want, actions)
					}
				}
				for _, secret := range []string{"PRIVATE-NOTE-5512", "quoting the guidelines", "You are right"} {
					if strings.Contains(text, secret) {
						t.Errorf("audit log holds written text %q", secret)
					}
				}
			})
		})
	}
}

func TestLabelsBlocksAndPostingRules(t *testing.T) {
	for _, e := range sqldbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			w := newModWorld(t, string(e))
			t.Run("a block hides the blocked member for the blocker and stops both reaching each other", func(t *testing.T) {
				if err := w.a.Block(w.ctx, w.ana, w.g.Slug, w.anaM.ID); hearth.ErrorKind(err) != hearth.Conflict {
					t.Fatalf("blocked herself: %v", err)
				}
				if err := w.a.Block(w.ctx, w.outsider, w.g.Slug, w.benM.ID); hearth.ErrorKind(err) != hearth.Forbidden {
					t.Fatalf("an outsider blocked: %v", err)
				}
				if err := w.a.Block(w.ctx, w.ana, w.g.Slug, w.benM.ID); err != nil {
					t.Fatal(err)
				}
				if hides, _ := w.a.BlockedFor(w.ctx, w.ana.UserID, w.g.ID, w.ben.UserID); !hides {
					t.Fatal("Ben's content is not hidden for Ana")
				}
				if hides, _ := w.a.BlockedFor(w.ctx, w.ben.UserID, w.g.ID, w.ana.UserID); hides {
					t.Fatal("Ana's content is hidden for Ben, who blocked nobody")
				}
				for _, pair := range [][2]int64{{w.ana.UserID, w.ben.UserID}, {w.ben.UserID, w.ana.UserID}} {
					wantKind(t, w.a.MayReach(w.ctx, w.g.ID, pair[0], pair[1]), hearth.Forbidden, "blocked")
				}
				bs, err := w.a.MyBlocks(w.ctx, w.ana)
				if err != nil || len(bs) != 1 || bs[0].Pseudonym != "Ben" {
					t.Fatalf("Ana's blocks %+v %v", bs, err)
				}
				if err := w.a.Unblock(w.ctx, w.ana, w.g.Slug, w.benM.ID); err != nil {
					t.Fatal(err)
				}
				if err := w.a.MayReach(w.ctx, w.g.ID, w.ben.UserID, w.ana.UserID); err != nil {
					t.Fatalf("still blocked after unblocking: %v", err)
				}
			})
			t.Run("new members post slower, without links, and wait for approval where the group chooses", func(t *testing.T) {
				_, err := w.a.SetModerationSettings(w.ctx, w.fac, w.g.Slug, hearth.ModerationSettings{NewMemberDays: 7, NewMemberPostsPerHour: 3, PostsPerHour: 2})
				wantField(t, err, "new_member_posts_per_hour")
				if _, err := w.a.SetModerationSettings(w.ctx, w.ana, w.g.Slug, hearth.DefaultModerationSettings); hearth.ErrorKind(err) != hearth.Forbidden {
					t.Fatalf("a member changed the rules: %v", err)
				}
				if _, err := w.a.SetModerationSettings(w.ctx, w.fac, w.g.Slug, hearth.ModerationSettings{NewMemberDays: 7, NewMemberPostsPerHour: 2, PostsPerHour: 20, ApproveFirstPosts: true}); err != nil {
					t.Fatal(err)
				}
				wantKind(t, w.a.MayPost(w.ctx, w.g.ID, w.ana.UserID, "read this: www.miracle-cure.com/now"), hearth.Forbidden, "new_member_links")
				wantKind(t, w.a.MayPost(w.ctx, w.g.ID, w.ana.UserID, "hi all"), hearth.Forbidden, "held_for_approval")
				if err := w.a.TrustPoster(w.ctx, w.fac, w.g.Slug, w.anaM.ID); err != nil {
					t.Fatal(err)
				}
				if err := w.a.MayPost(w.ctx, w.g.ID, w.ana.UserID, "hi again"); err != nil {
					t.Fatalf("a trusted new member is refused: %v", err)
				}
				wantKind(t, w.a.MayPost(w.ctx, w.g.ID, w.ana.UserID, "third"), hearth.TooMany, "post_rate")
				if err := w.a.MayPost(w.ctx, w.g.ID, w.fac.UserID, "see https://example.org/guide"); err != nil {
					t.Fatalf("a facilitator is held to new-member rules: %v", err)
				}
				w.clock.Add(8 * 24 * time.Hour)
				if err := w.a.MayPost(w.ctx, w.g.ID, w.ben.UserID, "after a week: https://www.nimh.nih.gov"); err != nil {
					t.Fatalf("an established member cannot post a link: %v", err)
				}
				wantKind(t, w.a.MayPost(w.ctx, w.g.ID, w.outsider.UserID, "hi"), hearth.Forbidden, "not_member")
			})
			t.Run("a misinformation label needs an https link and shows with the subject", func(t *testing.T) {
				const answer = "Vitamin megadoses cure anxiety"
				closed, fac := w.group("Closed Circle", hearth.Closed, &hearth.Enrollment{Cap: 5, Sessions: 4,
					Opens: w.clock.Now().Add(-time.Hour), Closes: w.clock.Now().Add(48 * time.Hour), Starts: w.clock.Now().Add(72 * time.Hour)})
				qs, err := w.a.SetIntakeQuestions(w.ctx, fac, closed.Slug, []hearth.IntakeQuestion{{Prompt: "What helps you?", Required: true}})
				if err != nil {
					t.Fatal(err)
				}
				m, err := w.a.Apply(w.ctx, w.ben, closed.Slug, app.ApplyRequest{JoinRequest: app.JoinRequest{Pseudonym: "Ben", AcceptGuidelines: true},
					CommitSessions: true, Answers: map[int64]string{qs[0].ID: answer}})
				if err != nil {
					t.Fatal(err)
				}
				s := hearth.Subject{Kind: hearth.SubjectIntakeAnswer, ID: m.ID}
				for _, bad := range []string{"", "http://www.who.int", "javascript:alert(1)", "https://user:pw@who.int/x", "https://localhost/x"} {
					_, err := w.a.Moderate(w.ctx, fac, closed.Slug, s, hearth.ActionInput{Kind: hearth.ActionLabel, Reason: hearth.ActionReasonMisinformation, LabelURL: bad})
					wantField(t, err, "label_url")
				}
				if _, err := w.a.Moderate(w.ctx, fac, closed.Slug, s, hearth.ActionInput{Kind: hearth.ActionLabel, Reason: hearth.ActionReasonMisinformation,
					LabelURL: "https://www.nimh.nih.gov/health/topics/anxiety-disorders"}); err != nil {
					t.Fatal(err)
				}
				marks, err := w.a.SubjectMarks(w.ctx, hearth.SubjectIntakeAnswer, []int64{m.ID})
				if err != nil || marks[m.ID].Label == nil || marks[m.ID].Label.Kind != hearth.LabelUnverifiedHealthClaim || marks[m.ID].Hidden {
					t.Fatalf("marks %+v %v", marks, err)
				}
				// The answer is kept, not deleted.
				if v := w.members(fac, closed.Slug); len(v.Applicants) != 1 || v.Applicants[0].Answers[0].Text != answer ||
					v.Applicants[0].Mark.Label == nil || v.Applicants[0].Mark.Label.URL != "https://www.nimh.nih.gov/health/topics/anxiety-disorders" {
					t.Fatalf("the labelled answer is gone or shows no label where it shows: %+v", v.Applicants)
				}
				if _, err := w.a.Moderate(w.ctx, fac, closed.Slug, s, hearth.ActionInput{Kind: hearth.ActionHide, Reason: hearth.ActionReasonMisinformation}); err != nil {
					t.Fatal(err)
				}
				_, err = w.a.Moderate(w.ctx, fac, closed.Slug, s, hearth.ActionInput{Kind: hearth.ActionHide, Reason: hearth.ActionReasonMisinformation})
				wantKind(t, err, hearth.Conflict, "already_hidden")
				if _, err := w.a.Moderate(w.ctx, fac, closed.Slug, s, hearth.ActionInput{Kind: hearth.ActionRestore, Reason: hearth.ActionReasonOther, Note: "Looked again."}); err != nil {
					t.Fatal(err)
				}
				if marks, _ := w.a.SubjectMarks(w.ctx, hearth.SubjectIntakeAnswer, []int64{m.ID}); marks[m.ID].Hidden {
					t.Fatal("restored answer still hidden")
				}
			})
		})
	}
}
