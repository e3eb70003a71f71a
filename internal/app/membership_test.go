package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/app"
	"github.com/hearth-org/hearth/internal/demo"
	"github.com/hearth-org/hearth/internal/feeds"
	"github.com/hearth-org/hearth/internal/password"
	"github.com/hearth-org/hearth/internal/sqldb"
	"github.com/hearth-org/hearth/internal/sqldb/sqldbtest"
	"github.com/hearth-org/hearth/internal/vault"
)

// testClock is a clock tests move forward (offers expire, cohorts start).
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *testClock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// membershipWorld is an app on a real database with an organization, its
// admin and a facilitator, and a way to make people.
type membershipWorld struct {
	t     *testing.T
	a     *app.App
	db    *sqldb.DB
	clock *testClock
	ctx   context.Context
	site  hearth.Actor
	org   string
	n     int
}

func newMembershipWorld(t *testing.T, e sqldb.Engine) *membershipWorld {
	t.Helper()
	clock := &testClock{t: fixedNow}
	db := sqldbtest.Open(t, e, sqldbtest.Options{Now: clock.Now})
	gaz, err := loadGazetteer()
	if err != nil {
		t.Fatal(err)
	}
	v, _, err := vault.OpenFile(context.Background(), db, filepath.Join(t.TempDir(), "master.key"), true, vault.Options{})
	if err != nil {
		t.Fatal(err)
	}
	a, err := app.New(app.Config{DB: db, Gazetteer: gaz, Vault: v, Now: clock.Now, PasswordParams: password.Params{Memory: 1024, Time: 1, Threads: 1}})
	if err != nil {
		t.Fatal(err)
	}
	w := &membershipWorld{t: t, a: a, db: db, clock: clock, ctx: context.Background(), site: hearth.Actor{SiteAdmin: true}}
	org := &hearth.Organization{Name: "Riverside Hospice"}
	if err := a.CreateOrganization(w.ctx, w.site, org); err != nil {
		t.Fatal(err)
	}
	w.org = org.Slug
	return w
}

// person makes an account (with an email when withEmail) and returns who
// they are as a new request would see them.
func (w *membershipWorld) person(handle string, withEmail bool) hearth.Actor {
	w.t.Helper()
	email := ""
	if withEmail {
		email = handle + "@example.org"
	}
	u, _, err := w.a.CreateUser(w.ctx, handle, email, "long enough words", false)
	if err != nil {
		w.t.Fatal(err)
	}
	return w.roles(hearth.Actor{UserID: u.ID})
}

// roles reloads what an account may do.
func (w *membershipWorld) roles(actor hearth.Actor) hearth.Actor {
	w.t.Helper()
	tok, _, err := w.a.StartSession(w.ctx, actor.UserID)
	if err != nil {
		w.t.Fatal(err)
	}
	got, _, err := w.a.SessionActor(w.ctx, tok)
	if err != nil {
		w.t.Fatal(err)
	}
	return got
}

// group creates an online group with a facilitator and returns it and the
// facilitator.
func (w *membershipWorld) group(name string, policy hearth.Policy, e *hearth.Enrollment) (*hearth.Group, hearth.Actor) {
	w.t.Helper()
	g := &hearth.Group{Name: name, Description: "A group for people who need it.", Topics: []string{"grief"},
		Audience: hearth.Audience{Languages: []string{"en"}}, Format: hearth.Online, Leadership: hearth.PeerLed, Policy: policy, Enrollment: e,
		Guidelines: "What is said here stays here.", Location: hearth.Location{TimeZone: "Europe/Madrid"},
		Schedule: hearth.Schedule{Weekday: time.Tuesday, Start: 18*60 + 30, Duration: 90}}
	if err := w.a.CreateGroup(w.ctx, w.site, w.org, g); err != nil {
		w.t.Fatal(err)
	}
	w.n++
	handle := fmt.Sprintf("facilitator-%d", w.n)
	f := w.person(handle, true)
	if err := w.a.AppointFacilitator(w.ctx, w.site, g.Slug, handle, "Facilitator "+handle, ""); err != nil {
		w.t.Fatal(err)
	}
	return g, w.roles(f)
}

func (w *membershipWorld) join(actor hearth.Actor, slug, name string) *hearth.Membership {
	w.t.Helper()
	m, err := w.a.Join(w.ctx, actor, slug, app.JoinRequest{Pseudonym: name, AcceptGuidelines: true})
	if err != nil {
		w.t.Fatalf("%s joins: %v", name, err)
	}
	return m
}

func (w *membershipWorld) mine(actor hearth.Actor, slug string) *app.MembershipView {
	w.t.Helper()
	v, err := w.a.MyMembership(w.ctx, actor, slug)
	if err != nil {
		w.t.Fatal(err)
	}
	return v
}

func (w *membershipWorld) members(actor hearth.Actor, slug string) *app.MembersView {
	w.t.Helper()
	v, err := w.a.Members(w.ctx, actor, slug)
	if err != nil {
		w.t.Fatal(err)
	}
	return v
}

func (w *membershipWorld) noticeKinds(actor hearth.Actor) []string {
	w.t.Helper()
	ns, _, err := w.a.MyNotices(w.ctx, actor, 0)
	if err != nil {
		w.t.Fatal(err)
	}
	var out []string
	for _, n := range ns {
		out = append(out, n.Kind)
	}
	return out
}

func wantKind(t *testing.T, err error, kind hearth.Kind, code string) {
	t.Helper()
	e := hearth.AsError(err)
	if e == nil || e.Kind != kind || (code != "" && e.Code != code) {
		t.Fatalf("got %v, want %s %s", err, kind, code)
	}
}

func wantField(t *testing.T, err error, field string) {
	t.Helper()
	e := hearth.AsError(err)
	if e == nil {
		t.Fatalf("no error, want a problem with %s", field)
	}
	for _, f := range e.Fields {
		if f.Field == field {
			return
		}
	}
	t.Fatalf("%v does not name %s", err, field)
}

func waitlistNames(v *app.MembersView) []string {
	var out []string
	for _, r := range v.Waitlist {
		out = append(out, r.Pseudonym)
	}
	return out
}

func activeNames(v *app.MembersView) []string {
	var out []string
	for _, r := range v.Active {
		out = append(out, r.Pseudonym)
	}
	slices.Sort(out)
	return out
}

func TestOpenGroupWaitlistIsFirstComeFirstServed(t *testing.T) {
	for _, e := range sqldbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			w := newMembershipWorld(t, e)
			g, fac := w.group("Anxiety Circle Online", hearth.Open, nil)
			if err := w.a.SetMembershipSettings(w.ctx, fac, g.Slug, hearth.MembershipSettings{Cap: 2, OfferHours: 48}); err != nil {
				t.Fatal(err)
			}
			ana, ben, cai, dee, eli := w.person("ana", true), w.person("ben", false), w.person("cai", true), w.person("dee", false), w.person("eli", false)

			t.Run("the first two take the seats; facilitators take none", func(t *testing.T) {
				for _, p := range []struct {
					who  hearth.Actor
					name string
				}{{ana, "Ana"}, {ben, "Ben"}} {
					if m := w.join(p.who, g.Slug, p.name); m.Status != hearth.StatusActive {
						t.Fatalf("%s is %s", p.name, m.Status)
					}
				}
				if v := w.members(fac, g.Slug); v.SeatsTaken != 2 || len(v.Leaders) != 1 {
					t.Fatalf("seats %d, leaders %d", v.SeatsTaken, len(v.Leaders))
				}
			})
			t.Run("a full group puts newcomers in line in the order they came, and tells them their place", func(t *testing.T) {
				for i, p := range []struct {
					who  hearth.Actor
					name string
				}{{cai, "Cai"}, {dee, "Dee"}, {eli, "Eli"}} {
					if m := w.join(p.who, g.Slug, p.name); m.Status != hearth.StatusWaitlisted {
						t.Fatalf("%s is %s", p.name, m.Status)
					}
					if v := w.mine(p.who, g.Slug); v.Position != i+1 || v.LineLength != i+1 {
						t.Fatalf("%s: position %d of %d", p.name, v.Position, v.LineLength)
					}
				}
				if got := waitlistNames(w.members(fac, g.Slug)); !slices.Equal(got, []string{"Cai", "Dee", "Eli"}) {
					t.Fatalf("line %v", got)
				}
				if !slices.Contains(w.noticeKinds(cai), app.NoticeWaitlistJoined) {
					t.Fatalf("Cai was not told: %v", w.noticeKinds(cai))
				}
			})
			t.Run("a freed seat is offered to the first in line only, with a deadline", func(t *testing.T) {
				if err := w.a.Leave(w.ctx, ana, g.Slug); err != nil {
					t.Fatal(err)
				}
				v := w.mine(cai, g.Slug)
				if !v.HasOffer() || !v.Membership.OfferExpires.Equal(w.clock.Now().Add(48*time.Hour).Truncate(time.Second)) {
					t.Fatalf("Cai's offer: %+v", v.Membership)
				}
				if w.mine(dee, g.Slug).HasOffer() || w.mine(eli, g.Slug).HasOffer() {
					t.Fatal("someone behind Cai got an offer")
				}
				if !slices.Contains(w.noticeKinds(cai), app.NoticeWaitlistOffer) {
					t.Fatalf("Cai was not told of the offer: %v", w.noticeKinds(cai))
				}
			})
			t.Run("a late comer cannot take the offered seat ahead of the line", func(t *testing.T) {
				fay := w.person("fay", false)
				m := w.join(fay, g.Slug, "Fay")
				if m.Status != hearth.StatusWaitlisted {
					t.Fatalf("Fay is %s", m.Status)
				}
				if v := w.mine(fay, g.Slug); v.Position != 4 {
					t.Fatalf("Fay is number %d", v.Position)
				}
				if _, err := w.a.AcceptOffer(w.ctx, fay, g.Slug); hearth.ErrorKind(err) != hearth.Conflict {
					t.Fatalf("Fay accepted an offer she does not have: %v", err)
				}
			})
			t.Run("an offer not answered in time passes to the next, and the first leaves the line", func(t *testing.T) {
				w.clock.Add(47 * time.Hour)
				if err := w.a.RunMembershipChores(w.ctx); err != nil {
					t.Fatal(err)
				}
				if !w.mine(cai, g.Slug).HasOffer() {
					t.Fatal("Cai's offer lapsed early")
				}
				w.clock.Add(2 * time.Hour)
				if _, err := w.a.AcceptOffer(w.ctx, cai, g.Slug); hearth.ErrorKind(err) != hearth.Conflict || hearth.AsError(err).Code != "offer_expired" {
					t.Fatalf("accepting an expired offer: %v", err)
				}
				if v := w.mine(cai, g.Slug); v.Membership == nil || v.Membership.Status != hearth.StatusWaitlisted {
					t.Fatal("a refused acceptance changed Cai's membership")
				}
				if err := w.a.RunMembershipChores(w.ctx); err != nil {
					t.Fatal(err)
				}
				v := w.mine(cai, g.Slug)
				if v.Membership != nil || len(v.History) == 0 || v.History[0].Kind != hearth.EventOfferExpired {
					t.Fatalf("Cai after expiry: %+v history %+v", v.Membership, v.History)
				}
				if !slices.Contains(w.noticeKinds(cai), app.NoticeWaitlistOfferExpired) {
					t.Fatalf("Cai was not told: %v", w.noticeKinds(cai))
				}
				if !w.mine(dee, g.Slug).HasOffer() || w.mine(eli, g.Slug).HasOffer() {
					t.Fatal("the seat did not pass to Dee alone")
				}
				if v := w.mine(eli, g.Slug); v.Position != 2 {
					t.Fatalf("Eli is number %d", v.Position)
				}
				if err := w.a.RunMembershipChores(w.ctx); err != nil {
					t.Fatal(err)
				}
				if !w.mine(dee, g.Slug).HasOffer() {
					t.Fatal("running the chore again took Dee's offer")
				}
			})
			t.Run("accepting the offer takes the seat and confirms it", func(t *testing.T) {
				m, err := w.a.AcceptOffer(w.ctx, dee, g.Slug)
				if err != nil || m.Status != hearth.StatusActive {
					t.Fatalf("%+v %v", m, err)
				}
				if !slices.Contains(w.noticeKinds(dee), app.NoticeSeatConfirmed) {
					t.Fatalf("Dee was not told: %v", w.noticeKinds(dee))
				}
				v := w.members(fac, g.Slug)
				if got := activeNames(v); !slices.Equal(got, []string{"Ben", "Dee"}) || v.SeatsTaken != 2 {
					t.Fatalf("active %v", got)
				}
				if got := waitlistNames(v); !slices.Equal(got, []string{"Eli", "Fay"}) {
					t.Fatalf("line %v", got)
				}
				gv, _ := w.a.Group(w.ctx, hearth.Anonymous, g.Slug)
				if gv.Group.ActiveMembers != 2 {
					t.Fatalf("the group row counts %d seats", gv.Group.ActiveMembers)
				}
			})
			t.Run("declining an offer leaves the line and passes the seat on", func(t *testing.T) {
				if err := w.a.SetMembershipSettings(w.ctx, fac, g.Slug, hearth.MembershipSettings{Cap: 3, OfferHours: 24}); err != nil {
					t.Fatal(err)
				}
				if v := w.mine(eli, g.Slug); !v.HasOffer() || !v.Membership.OfferExpires.Equal(w.clock.Now().Add(24*time.Hour).Truncate(time.Second)) {
					t.Fatalf("a raised cap did not offer Eli a 24-hour seat: %+v", v.Membership)
				}
				if err := w.a.DeclineOffer(w.ctx, eli, g.Slug); err != nil {
					t.Fatal(err)
				}
				if w.mine(eli, g.Slug).Membership != nil {
					t.Fatal("Eli is still in line")
				}
				if !w.mine(w.roles(hearth.Actor{UserID: w.mine(dee, g.Slug).Membership.UserID}), g.Slug).Membership.TakesSeat() {
					t.Fatal("Dee lost her seat")
				}
				var fay hearth.Actor
				for _, r := range w.members(fac, g.Slug).Waitlist {
					if r.Pseudonym == "Fay" {
						fay = hearth.Actor{UserID: r.UserID}
					}
				}
				if !w.mine(fay, g.Slug).HasOffer() {
					t.Fatal("the declined seat did not pass to Fay")
				}
			})
			t.Run("a cap below the members who have a seat is refused and changes nothing", func(t *testing.T) {
				err := w.a.SetMembershipSettings(w.ctx, fac, g.Slug, hearth.MembershipSettings{Cap: 1, OfferHours: 48})
				wantField(t, err, "cap")
				if !strings.Contains(hearth.AsError(err).Fields[0].Message, "2 members") {
					t.Fatalf("message %q", hearth.AsError(err).Fields[0].Message)
				}
				if v := w.members(fac, g.Slug); v.Settings.Cap != 3 || v.Settings.OfferHours != 24 {
					t.Fatalf("settings changed: %+v", v.Settings)
				}
			})
			t.Run("every step is in the history, with who and where in line", func(t *testing.T) {
				v := w.members(fac, g.Slug)
				var kinds []hearth.EventKind
				for _, e := range v.Events {
					kinds = append(kinds, e.Kind)
				}
				for _, k := range []hearth.EventKind{hearth.EventJoined, hearth.EventWaitlisted, hearth.EventLeft, hearth.EventOffered,
					hearth.EventOfferExpired, hearth.EventOfferAccepted, hearth.EventOfferDeclined, hearth.EventSettingsChanged} {
					if !slices.Contains(kinds, k) {
						t.Errorf("no %s event in %v", k, kinds)
					}
				}
				for _, e := range v.Events {
					if e.Kind == hearth.EventWaitlisted && e.Position == 0 {
						t.Errorf("a waitlisted event without a place in line: %+v", e)
					}
					if e.Kind == hearth.EventLeft && e.Pseudonym != "" {
						t.Errorf("a member who left is still named: %q", e.Pseudonym)
					}
				}
			})
		})
	}
}

func TestTwoPeopleTakingTheLastSeatAtOnce(t *testing.T) {
	for _, e := range sqldbtest.Engines() {
		t.Run(string(e)+": exactly one gets the seat, the other is first in line", func(t *testing.T) {
			w := newMembershipWorld(t, e)
			for round := 0; round < 5; round++ {
				g, fac := w.group(fmt.Sprintf("Last Seat Circle %d", round), hearth.Open, nil)
				if err := w.a.SetMembershipSettings(w.ctx, fac, g.Slug, hearth.MembershipSettings{Cap: 2, OfferHours: 48}); err != nil {
					t.Fatal(err)
				}
				w.join(w.person(fmt.Sprintf("early-%d", round), false), g.Slug, "Early")
				racers := []hearth.Actor{w.person(fmt.Sprintf("racer-a-%d", round), false), w.person(fmt.Sprintf("racer-b-%d", round), false)}
				var wg sync.WaitGroup
				start := make(chan struct{})
				results := make([]*hearth.Membership, 2)
				errs := make([]error, 2)
				for i := range racers {
					wg.Add(1)
					go func(i int) {
						defer wg.Done()
						<-start
						results[i], errs[i] = w.a.Join(w.ctx, racers[i], g.Slug, app.JoinRequest{Pseudonym: fmt.Sprintf("Racer %d", i), AcceptGuidelines: true})
					}(i)
				}
				close(start)
				wg.Wait()
				var statuses []string
				for i := range racers {
					if errs[i] != nil {
						t.Fatalf("round %d racer %d: %v", round, i, errs[i])
					}
					statuses = append(statuses, string(results[i].Status))
				}
				slices.Sort(statuses)
				if !slices.Equal(statuses, []string{"active", "waitlisted"}) {
					t.Fatalf("round %d: %v", round, statuses)
				}
				v := w.members(fac, g.Slug)
				if v.SeatsTaken != 2 || len(v.Waitlist) != 1 || v.Waitlist[0].Position != 1 {
					t.Fatalf("round %d: %d seats, line %v", round, v.SeatsTaken, waitlistNames(v))
				}
			}
		})
	}
}

func TestClosedGroupApplicationsAndCohorts(t *testing.T) {
	for _, e := range sqldbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			w := newMembershipWorld(t, e)
			now := w.clock.Now()
			g, fac := w.group("Grief Cohort Madrid", hearth.Closed, &hearth.Enrollment{Cap: 2, Sessions: 8,
				Opens: now.Add(-24 * time.Hour), Closes: now.Add(10 * 24 * time.Hour), Starts: now.Add(13 * 24 * time.Hour)})
			// Offers last as long as allowed, so one made before the start is still open after it.
			if err := w.a.SetMembershipSettings(w.ctx, fac, g.Slug, hearth.MembershipSettings{OfferHours: hearth.MaxOfferHours}); err != nil {
				t.Fatal(err)
			}
			qs, err := w.a.SetIntakeQuestions(w.ctx, fac, g.Slug, []hearth.IntakeQuestion{
				{Prompt: "Who did you lose, and when?", Required: true}, {Prompt: "  "}, {Prompt: "Anything we should know to welcome you?"}})
			if err != nil || len(qs) != 2 || qs[1].Position != 2 {
				t.Fatalf("%+v %v", qs, err)
			}
			apply := func(who hearth.Actor, name string, answers map[int64]string) (*hearth.Membership, error) {
				return w.a.Apply(w.ctx, who, g.Slug, app.ApplyRequest{JoinRequest: app.JoinRequest{Pseudonym: name, AcceptGuidelines: true, ShareEmail: true},
					CommitSessions: true, Answers: answers})
			}
			const marker = "MY-MOTHER-IN-MARCH-7731"
			ana, ben, cai, dee := w.person("ana", true), w.person("ben", true), w.person("cai", false), w.person("dee", false)

			t.Run("bad applications are refused with a clear message and change nothing", func(t *testing.T) {
				_, err := apply(ana, "Ana", map[int64]string{qs[1].ID: "hi"})
				wantField(t, err, fmt.Sprintf("answers.%d", qs[0].ID))
				_, err = apply(ana, "Ana", map[int64]string{qs[0].ID: strings.Repeat("a", hearth.MaxIntakeAnswerLen+1)})
				wantField(t, err, fmt.Sprintf("answers.%d", qs[0].ID))
				_, err = w.a.Apply(w.ctx, ana, g.Slug, app.ApplyRequest{JoinRequest: app.JoinRequest{Pseudonym: "Ana", AcceptGuidelines: true},
					Answers: map[int64]string{qs[0].ID: "x"}})
				wantField(t, err, "commit_sessions")
				_, err = apply(ana, "Ana", map[int64]string{qs[0].ID: "x", 99999: "sneaky"})
				wantField(t, err, "answers.99999")
				if _, err := w.a.Join(w.ctx, ana, g.Slug, app.JoinRequest{Pseudonym: "Ana", AcceptGuidelines: true}); hearth.ErrorKind(err) != hearth.Conflict {
					t.Fatalf("joined a closed group without applying: %v", err)
				}
				if v := w.mine(ana, g.Slug); v.Membership != nil {
					t.Fatalf("a refused application left a membership: %+v", v.Membership)
				}
			})
			t.Run("an application is stored sealed; facilitators read it; the facilitators are told", func(t *testing.T) {
				m, err := apply(ana, "Ana", map[int64]string{qs[0].ID: marker})
				if err != nil || m.Status != hearth.StatusApplicant || m.CommittedSessions != 8 || m.CohortID == 0 {
					t.Fatalf("%+v %v", m, err)
				}
				raw, err := w.db.IntakeAnswers(w.ctx, []int64{m.ID})
				if err != nil || len(raw[m.ID]) != 1 || strings.Contains(string(raw[m.ID][0].Sealed), marker) {
					t.Fatalf("stored answer is not sealed: %v", err)
				}
				v := w.members(fac, g.Slug)
				if len(v.Applicants) != 1 || len(v.Applicants[0].Answers) != 1 || v.Applicants[0].Answers[0].Text != marker ||
					v.Applicants[0].Answers[0].Prompt != "Who did you lose, and when?" || v.Applicants[0].SharedEmail != "ana@example.org" {
					t.Fatalf("applicants %+v", v.Applicants)
				}
				if !slices.Contains(w.noticeKinds(fac), app.NoticeApplicationReceived) {
					t.Fatalf("the facilitator was not told: %v", w.noticeKinds(fac))
				}
				if got := w.mine(ana, g.Slug).Answers; len(got) != 1 || got[0].Text != marker {
					t.Fatalf("Ana cannot read her own answers: %+v", got)
				}
			})
			t.Run("a second application and a taken pseudonym are refused", func(t *testing.T) {
				_, err := apply(ana, "Ana Again", map[int64]string{qs[0].ID: "again"})
				wantKind(t, err, hearth.Conflict, "already_applied")
				_, err = apply(ben, "ana", map[int64]string{qs[0].ID: "x"})
				wantKind(t, err, hearth.Conflict, "pseudonym_taken")
			})
			t.Run("approving takes a seat and shows the facilitators' message to the applicant only", func(t *testing.T) {
				id := w.mine(ana, g.Slug).Membership.ID
				m, err := w.a.Approve(w.ctx, fac, g.Slug, id, app.Decision{Message: "Welcome, we start on the 8th."})
				if err != nil || m.Status != hearth.StatusActive {
					t.Fatalf("%+v %v", m, err)
				}
				if v := w.mine(ana, g.Slug); v.Decision != "Welcome, we start on the 8th." {
					t.Fatalf("decision %q", v.Decision)
				}
				if !slices.Contains(w.noticeKinds(ana), app.NoticeApplicationApproved) {
					t.Fatalf("Ana was not told: %v", w.noticeKinds(ana))
				}
			})
			t.Run("an outsider cannot decide, and a member of another group is not found", func(t *testing.T) {
				id := w.mine(ana, g.Slug).Membership.ID
				if _, err := w.a.Approve(w.ctx, ben, g.Slug, id, app.Decision{}); hearth.ErrorKind(err) != hearth.Forbidden {
					t.Fatalf("ben decided: %v", err)
				}
				other, otherFac := w.group("Another Group", hearth.Open, nil)
				if err := w.a.RemoveMember(w.ctx, otherFac, other.Slug, id, "not theirs", false); hearth.ErrorKind(err) != hearth.NotFound {
					t.Fatalf("acting on another group's member: %v", err)
				}
				if _, err := w.a.Members(w.ctx, otherFac, g.Slug); hearth.ErrorKind(err) != hearth.Forbidden {
					t.Fatalf("another facilitator saw the members: %v", err)
				}
			})
			t.Run("when the cohort is full, approved applicants queue in the order of approval", func(t *testing.T) {
				for _, p := range []struct {
					who  hearth.Actor
					name string
				}{{ben, "Ben"}, {cai, "Cai"}, {dee, "Dee"}} {
					if _, err := apply(p.who, p.name, map[int64]string{qs[0].ID: "answer of " + p.name}); err != nil {
						t.Fatal(err)
					}
				}
				idOf := func(who hearth.Actor) int64 { return w.mine(who, g.Slug).Membership.ID }
				if m, err := w.a.Approve(w.ctx, fac, g.Slug, idOf(dee), app.Decision{}); err != nil || m.Status != hearth.StatusActive {
					t.Fatalf("Dee: %+v %v", m, err)
				}
				if m, err := w.a.Approve(w.ctx, fac, g.Slug, idOf(cai), app.Decision{}); err != nil || m.Status != hearth.StatusWaitlisted {
					t.Fatalf("Cai: %+v %v", m, err)
				}
				if m, err := w.a.Approve(w.ctx, fac, g.Slug, idOf(ben), app.Decision{}); err != nil || m.Status != hearth.StatusWaitlisted {
					t.Fatalf("Ben: %+v %v", m, err)
				}
				if got := waitlistNames(w.members(fac, g.Slug)); !slices.Equal(got, []string{"Cai", "Ben"}) {
					t.Fatalf("line %v", got)
				}
				if !slices.Contains(w.noticeKinds(cai), app.NoticeWaitlistJoined) {
					t.Fatalf("Cai was not told: %v", w.noticeKinds(cai))
				}
			})
			t.Run("a cohort cap below its seated members is refused", func(t *testing.T) {
				cur, _ := w.a.Group(w.ctx, fac, g.Slug)
				e := *cur.Group.Enrollment
				e.Cap = 1
				wantField(t, w.a.CheckEnrollmentCap(w.ctx, cur.Group, &e), "enrollment_cap")
				e.Cap = 2
				if err := w.a.CheckEnrollmentCap(w.ctx, cur.Group, &e); err != nil {
					t.Fatal(err)
				}
			})
			t.Run("removal needs a reason, frees the seat for the first in line, and the removed cannot come back", func(t *testing.T) {
				id := w.mine(dee, g.Slug).Membership.ID
				wantField(t, w.a.RemoveMember(w.ctx, fac, g.Slug, id, "  ", false), "reason")
				if err := w.a.RemoveMember(w.ctx, fac, g.Slug, id, "Shared another member's story outside.", false); err != nil {
					t.Fatal(err)
				}
				if !w.mine(cai, g.Slug).HasOffer() || w.mine(ben, g.Slug).HasOffer() {
					t.Fatal("the freed seat did not go to Cai alone")
				}
				_, err := apply(dee, "Dee", map[int64]string{qs[0].ID: "back"})
				wantKind(t, err, hearth.Forbidden, "removed")
				found := false
				for _, e := range w.members(fac, g.Slug).Events {
					found = found || (e.Kind == hearth.EventRemoved && e.Note == "Shared another member's story outside.")
				}
				if !found {
					t.Fatal("the removal's reason is not in the history")
				}
				if !slices.Contains(w.noticeKinds(dee), app.NoticeRemoved) {
					t.Fatalf("Dee was not told: %v", w.noticeKinds(dee))
				}
			})
			t.Run("declining keeps the message for the applicant and deletes the answers; they may apply again later", func(t *testing.T) {
				eve := w.person("eve", false)
				m, err := apply(eve, "Eve", map[int64]string{qs[0].ID: "my answer"})
				if err != nil {
					t.Fatal(err)
				}
				if err := w.a.Decline(w.ctx, fac, g.Slug, m.ID, "This cohort is for losses in the last year."); err != nil {
					t.Fatal(err)
				}
				v := w.mine(eve, g.Slug)
				if v.Membership.Status != hearth.StatusRemoved || v.Decision != "This cohort is for losses in the last year." || len(v.Answers) != 0 {
					t.Fatalf("%+v %q %v", v.Membership, v.Decision, v.Answers)
				}
				if err := w.a.Decline(w.ctx, fac, g.Slug, m.ID, ""); hearth.ErrorKind(err) != hearth.Conflict {
					t.Fatalf("declined twice: %v", err)
				}
				if !slices.Contains(w.noticeKinds(eve), app.NoticeApplicationDeclined) {
					t.Fatalf("Eve was not told: %v", w.noticeKinds(eve))
				}
				if m2, err := apply(eve, "Eve", map[int64]string{qs[0].ID: "again"}); err != nil || m2.Status != hearth.StatusApplicant || m2.ID != m.ID {
					t.Fatalf("Eve could not apply again: %+v %v", m2, err)
				}
			})
			t.Run("once the cohort has started nobody new joins it, unless a facilitator overrides and says why", func(t *testing.T) {
				w.clock.Add(13*24*time.Hour + time.Hour)
				eve := w.mine(w.roles(hearth.Actor{UserID: mustUser(t, w, "eve")}), g.Slug).Membership
				_, err := w.a.Approve(w.ctx, fac, g.Slug, eve.ID, app.Decision{})
				wantKind(t, err, hearth.Conflict, "cohort_started")
				_, err = w.a.Approve(w.ctx, fac, g.Slug, eve.ID, app.Decision{Override: true})
				wantField(t, err, "override_reason")
				if _, err := w.a.AcceptOffer(w.ctx, cai, g.Slug); err != nil {
					t.Fatalf("Cai's offer made before the start is honoured: %v", err)
				}
				m, err := w.a.Approve(w.ctx, fac, g.Slug, eve.ID, app.Decision{Override: true, OverrideReason: "Her sister is in the cohort; agreed with the clinician."})
				if err != nil || m.Status != hearth.StatusWaitlisted {
					t.Fatalf("%+v %v", m, err)
				}
				found := false
				for _, e := range w.members(fac, g.Slug).Events {
					found = found || (e.Kind == hearth.EventOverride && e.ActorID == fac.UserID && strings.Contains(e.Note, "clinician"))
				}
				if !found {
					t.Fatal("the override is not recorded with who and why")
				}
				w.clock.Add(time.Hour)
				if w.mine(ben, g.Slug).HasOffer() {
					t.Fatal("a seat was offered in a started cohort")
				}
			})
			t.Run("when the cohort's last session is over its members become alumni", func(t *testing.T) {
				w.clock.Add(8 * 7 * 24 * time.Hour)
				if err := w.a.RunMembershipChores(w.ctx); err != nil {
					t.Fatal(err)
				}
				v := w.members(fac, g.Slug)
				if len(v.Active) != 0 || len(v.Alumni) != 1 || len(v.Alumni[0].Members) != 2 || v.Alumni[0].Number != 1 {
					t.Fatalf("active %v alumni %+v", activeNames(v), v.Alumni)
				}
				if st := w.mine(ana, g.Slug).Membership.Status; st != hearth.StatusAlumni {
					t.Fatalf("Ana is %s", st)
				}
			})
			t.Run("the next cohort offers its seats to the line first, in order", func(t *testing.T) {
				now := w.clock.Now()
				c := &hearth.Cohort{Cap: 2, Sessions: 6, Opens: now, Closes: now.Add(20 * 24 * time.Hour), Starts: now.Add(-time.Hour)}
				wantField(t, w.a.CreateCohort(w.ctx, fac, g.Slug, c), "starts")
				c.Starts = now.Add(21 * 24 * time.Hour)
				if err := w.a.CreateCohort(w.ctx, fac, g.Slug, c); err != nil {
					t.Fatal(err)
				}
				if c.Number != 2 {
					t.Fatalf("cohort number %d", c.Number)
				}
				gv, _ := w.a.Group(w.ctx, hearth.Anonymous, g.Slug)
				if e := gv.Group.Enrollment; e.Sessions != 6 || !e.Starts.Equal(c.Starts.Truncate(time.Second)) {
					t.Fatalf("the group does not show the new cohort: %+v", e)
				}
				if !w.mine(ben, g.Slug).HasOffer() {
					t.Fatal("Ben, first in line, was not offered a seat in the new cohort")
				}
				if _, err := apply(ana, "Ana", map[int64]string{qs[0].ID: "again, as alumna"}); err != nil {
					t.Fatalf("an alumna could not apply to the next cohort: %v", err)
				}
			})
			t.Run("an applicant who leaves takes their answers with them", func(t *testing.T) {
				id := w.mine(ana, g.Slug).Membership.ID
				if got, _ := w.db.IntakeAnswers(w.ctx, []int64{id}); len(got[id]) != 1 {
					t.Fatalf("answers before leaving: %v", got)
				}
				if err := w.a.Leave(w.ctx, ana, g.Slug); err != nil {
					t.Fatal(err)
				}
				if got, _ := w.db.IntakeAnswers(w.ctx, []int64{id}); len(got[id]) != 0 {
					t.Fatalf("answers left behind: %v", got)
				}
				for _, e := range w.members(fac, g.Slug).Events {
					if e.MembershipID == id && e.Pseudonym != "" {
						t.Fatalf("the history still names the member who left: %+v", e)
					}
				}
			})
		})
	}
}

func mustUser(t *testing.T, w *membershipWorld, handle string) int64 {
	t.Helper()
	u, _, err := w.db.UserByHandle(w.ctx, handle)
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}

func TestLeavingGuidelinesAndContact(t *testing.T) {
	for _, e := range sqldbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			w := newMembershipWorld(t, e)
			g, fac := w.group("Caregivers Evening", hearth.Open, nil)
			ana, ben := w.person("ana", true), w.person("ben", true)
			if _, err := w.a.Join(w.ctx, ana, g.Slug, app.JoinRequest{Pseudonym: "Ana", AcceptGuidelines: true, ShareEmail: true}); err != nil {
				t.Fatal(err)
			}
			w.join(ben, g.Slug, "Ben")
			t.Run("facilitators see only the contact a member chose to share", func(t *testing.T) {
				v := w.members(fac, g.Slug)
				got := map[string]string{}
				for _, r := range v.Active {
					got[r.Pseudonym] = r.SharedEmail
				}
				if got["Ana"] != "ana@example.org" || got["Ben"] != "" {
					t.Fatalf("shared contact %v", got)
				}
				if err := w.a.SetContactSharing(w.ctx, ana, g.Slug, false); err != nil {
					t.Fatal(err)
				}
				for _, r := range w.members(fac, g.Slug).Active {
					if r.SharedEmail != "" {
						t.Fatalf("%s still shows %q", r.Pseudonym, r.SharedEmail)
					}
				}
			})
			t.Run("a change to the guidelines asks members to accept again", func(t *testing.T) {
				st, err := w.a.MemberStanding(w.ctx, g, ben.UserID)
				if err != nil || !st.MaySeeMemberOnly() {
					t.Fatalf("%+v %v", st, err)
				}
				cur, _ := w.a.Group(w.ctx, fac, g.Slug)
				cp := *cur.Group
				cp.Guidelines = "What is said here stays here. Phones away."
				if err := w.a.UpdateGroup(w.ctx, fac, g.Slug, &cp); err != nil {
					t.Fatal(err)
				}
				cur, _ = w.a.Group(w.ctx, fac, g.Slug)
				if must, err := w.a.MustAcceptGuidelines(w.ctx, cur.Group, ben.UserID); err != nil || !must {
					t.Fatalf("must accept = %v %v", must, err)
				}
				if v := w.mine(ben, g.Slug); !v.MustAcceptGuidelines {
					t.Fatal("the membership view does not ask")
				}
				if must, _ := w.a.MustAcceptGuidelines(w.ctx, cur.Group, fac.UserID); must {
					t.Fatal("the facilitator who changed them is held back")
				}
				wantField(t, w.a.AcceptGuidelines(w.ctx, ben, g.Slug, false), "accept_guidelines")
				if err := w.a.AcceptGuidelines(w.ctx, ben, g.Slug, true); err != nil {
					t.Fatal(err)
				}
				if must, _ := w.a.MustAcceptGuidelines(w.ctx, cur.Group, ben.UserID); must {
					t.Fatal("still asked after accepting")
				}
			})
			t.Run("leaving is immediate, frees the pseudonym, and keeps only a nameless record", func(t *testing.T) {
				if err := w.a.Leave(w.ctx, ben, g.Slug); err != nil {
					t.Fatal(err)
				}
				v := w.mine(ben, g.Slug)
				if v.Membership != nil || len(v.History) == 0 || v.History[0].Kind != hearth.EventLeft {
					t.Fatalf("%+v %+v", v.Membership, v.History)
				}
				if err := w.a.Leave(w.ctx, ben, g.Slug); hearth.ErrorKind(err) != hearth.NotFound {
					t.Fatalf("left twice: %v", err)
				}
				cai := w.person("cai", false)
				w.join(cai, g.Slug, "ben")
			})
			t.Run("the only facilitator cannot leave the group leaderless", func(t *testing.T) {
				wantKind(t, w.a.Leave(w.ctx, fac, g.Slug), hearth.Conflict, "last_facilitator")
			})
			t.Run("a banned person cannot leave, rejoin or be banned again", func(t *testing.T) {
				id := w.mine(ana, g.Slug).Membership.ID
				if err := w.a.RemoveMember(w.ctx, fac, g.Slug, id, "Threatened a member.", true); err != nil {
					t.Fatal(err)
				}
				wantKind(t, w.a.Leave(w.ctx, ana, g.Slug), hearth.Conflict, "not_member")
				_, err := w.a.Join(w.ctx, ana, g.Slug, app.JoinRequest{Pseudonym: "Ana 2", AcceptGuidelines: true})
				wantKind(t, err, hearth.Forbidden, "banned")
				wantKind(t, w.a.RemoveMember(w.ctx, fac, g.Slug, id, "again", true), hearth.Conflict, "status")
			})
		})
	}
}

func TestStatusTransitions(t *testing.T) {
	all := []hearth.MembershipStatus{hearth.StatusApplicant, hearth.StatusWaitlisted, hearth.StatusActive, hearth.StatusAlumni, hearth.StatusRemoved, hearth.StatusBanned}
	allowed := map[[2]hearth.MembershipStatus]bool{
		{hearth.StatusApplicant, hearth.StatusActive}: true, {hearth.StatusApplicant, hearth.StatusWaitlisted}: true,
		{hearth.StatusApplicant, hearth.StatusRemoved}: true, {hearth.StatusApplicant, hearth.StatusBanned}: true,
		{hearth.StatusWaitlisted, hearth.StatusActive}: true, {hearth.StatusWaitlisted, hearth.StatusRemoved}: true, {hearth.StatusWaitlisted, hearth.StatusBanned}: true,
		{hearth.StatusActive, hearth.StatusAlumni}: true, {hearth.StatusActive, hearth.StatusRemoved}: true, {hearth.StatusActive, hearth.StatusBanned}: true,
		{hearth.StatusAlumni, hearth.StatusApplicant}: true, {hearth.StatusAlumni, hearth.StatusRemoved}: true, {hearth.StatusAlumni, hearth.StatusBanned}: true,
		{hearth.StatusRemoved, hearth.StatusApplicant}: true, {hearth.StatusRemoved, hearth.StatusBanned}: true,
	}
	for _, from := range all {
		for _, to := range all {
			want := allowed[[2]hearth.MembershipStatus{from, to}]
			t.Run(fmt.Sprintf("%s to %s is allowed: %v", from, to, want), func(t *testing.T) {
				if got := from.CanBecome(to); got != want {
					t.Fatalf("got %v", got)
				}
			})
		}
	}
}

func TestGroupFormCannotCutTheCapBelowSeatedMembers(t *testing.T) {
	for _, e := range sqldbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			w := newMembershipWorld(t, e)
			now := w.clock.Now()
			g, fac := w.group("Caregivers Cohort", hearth.Closed, &hearth.Enrollment{Cap: 3, Sessions: 6,
				Opens: now.Add(-time.Hour), Closes: now.Add(7 * 24 * time.Hour), Starts: now.Add(10 * 24 * time.Hour)})
			for i := 0; i < 3; i++ {
				who := w.person(fmt.Sprintf("carer-%d", i), false)
				m, err := w.a.Apply(w.ctx, who, g.Slug, app.ApplyRequest{JoinRequest: app.JoinRequest{Pseudonym: fmt.Sprintf("Carer %d", i), AcceptGuidelines: true}, CommitSessions: true})
				if err != nil {
					t.Fatal(err)
				}
				if m, err = w.a.Approve(w.ctx, fac, g.Slug, m.ID, app.Decision{}); err != nil || m.Status != hearth.StatusActive {
					t.Fatalf("%+v %v", m, err)
				}
			}
			cur, _ := w.a.Group(w.ctx, fac, g.Slug)
			edit := *cur.Group
			e := *edit.Enrollment
			e.Cap = 2
			edit.Enrollment = &e
			err := w.a.UpdateGroup(w.ctx, fac, g.Slug, &edit)
			wantField(t, err, "enrollment_cap")
			after, _ := w.a.Group(w.ctx, fac, g.Slug)
			if after.Group.Enrollment.Cap != 3 || after.Group.ActiveMembers != 3 {
				t.Fatalf("the group changed: %+v, %d seated", after.Group.Enrollment, after.Group.ActiveMembers)
			}
			e.Cap = 4
			if err := w.a.UpdateGroup(w.ctx, fac, g.Slug, &edit); err != nil {
				t.Fatal(err)
			}
			if v := w.members(fac, g.Slug); v.Cap != 4 || v.Cohort.Cap != 4 {
				t.Fatalf("the cohort did not follow the group's new cap: %d/%d", v.Cap, v.Cohort.Cap)
			}
		})
	}
}

func TestACohortEndsAfterItsLastScheduledSession(t *testing.T) {
	for _, e := range sqldbtest.Engines() {
		t.Run(string(e)+": 8 sessions every other Tuesday at 18:30 in Madrid end after the fifteenth week", func(t *testing.T) {
			w := newMembershipWorld(t, e)
			madrid, _ := time.LoadLocation("Europe/Madrid")
			// The first session: a Tuesday in March 2027, before the clocks change.
			first := time.Date(2027, 3, 9, 0, 0, 0, 0, madrid)
			now := w.clock.Now()
			g, fac := w.group("Grief Cohort Madrid", hearth.Closed, &hearth.Enrollment{Cap: 10, Sessions: 8,
				Opens: now, Closes: now.Add(30 * 24 * time.Hour), Starts: now.Add(60 * 24 * time.Hour)})
			mv, err := w.a.Meetings(w.ctx, fac, g.Slug)
			if err != nil || len(mv.Meetings) != 1 {
				t.Fatalf("%v %v", mv, err)
			}
			if _, err := w.a.UpdateMeeting(w.ctx, fac, g.Slug, mv.Meetings[0].Meeting.ID, app.MeetingInput{Start: "2027-03-09T18:30", Duration: 90,
				RRule: "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", Ongoing: true, Attend: hearth.Attend{Mode: hearth.Online, ConferenceURL: "https://meet.example.org/grief"}}); err != nil {
				t.Fatal(err)
			}
			c := &hearth.Cohort{Cap: 10, Sessions: 8, Opens: now, Closes: first.Add(-24 * time.Hour), Starts: first}
			if err := w.a.CreateCohort(w.ctx, fac, g.Slug, c); err != nil {
				t.Fatal(err)
			}
			// Sessions on 9 and 23 March, 6 and 20 April, 4 and 18 May, 1 and 15 June.
			want := time.Date(2027, 6, 15, 20, 0, 0, 0, madrid)
			if !c.Ends.Equal(want) {
				t.Fatalf("ends %v, want %v", c.Ends.In(madrid), want)
			}
		})
	}
}

func TestACohortIsNotEndedWhileSessionsRemainOnTheSchedule(t *testing.T) {
	for _, e := range sqldbtest.Engines() {
		t.Run(string(e)+": the meetings move to every other week after the cohort was set up", func(t *testing.T) {
			w := newMembershipWorld(t, e)
			madrid, _ := time.LoadLocation("Europe/Madrid")
			first := time.Date(2027, 3, 9, 0, 0, 0, 0, madrid)
			now := w.clock.Now()
			g, fac := w.group("Grief Cohort Madrid", hearth.Closed, &hearth.Enrollment{Cap: 10, Sessions: 4,
				Opens: now, Closes: now.Add(30 * 24 * time.Hour), Starts: now.Add(60 * 24 * time.Hour)})
			c := &hearth.Cohort{Cap: 10, Sessions: 4, Opens: now, Closes: first.Add(-24 * time.Hour), Starts: first}
			if err := w.a.CreateCohort(w.ctx, fac, g.Slug, c); err != nil {
				t.Fatal(err)
			}
			weekly := time.Date(2027, 3, 30, 20, 0, 0, 0, madrid)
			if !c.Ends.Equal(weekly) {
				t.Fatalf("weekly end %v, want %v", c.Ends.In(madrid), weekly)
			}
			mv, _ := w.a.Meetings(w.ctx, fac, g.Slug)
			if _, err := w.a.UpdateMeeting(w.ctx, fac, g.Slug, mv.Meetings[0].Meeting.ID, app.MeetingInput{Start: "2027-03-09T18:30", Duration: 90,
				RRule: "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", Ongoing: true, Attend: hearth.Attend{Mode: hearth.Online, ConferenceURL: "https://meet.example.org/grief"}}); err != nil {
				t.Fatal(err)
			}
			w.clock.Add(weekly.Sub(w.clock.Now()) + time.Hour)
			if err := w.a.RunMembershipChores(w.ctx); err != nil {
				t.Fatal(err)
			}
			cs, _ := w.a.Cohorts(w.ctx, fac, g.Slug)
			biweekly := time.Date(2027, 4, 20, 20, 0, 0, 0, madrid)
			if cs[0].Ended() || !cs[0].Ends.Equal(biweekly) {
				t.Fatalf("cohort %+v, want it running until %v", cs[0], biweekly)
			}
			w.clock.Add(biweekly.Sub(w.clock.Now()) + time.Minute)
			if err := w.a.RunMembershipChores(w.ctx); err != nil {
				t.Fatal(err)
			}
			if cs, _ := w.a.Cohorts(w.ctx, fac, g.Slug); !cs[0].Ended() {
				t.Fatalf("cohort still running after its last session: %+v", cs[0])
			}
		})
	}
}

func TestAnApplicationToAGroupWithoutFacilitatorsReachesItsOrganization(t *testing.T) {
	for _, e := range sqldbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			w := newMembershipWorld(t, e)
			admin := w.person("org-admin", true)
			if err := w.a.AddOrgAdmin(w.ctx, w.site, w.org, "org-admin"); err != nil {
				t.Fatal(err)
			}
			now := w.clock.Now()
			g := &hearth.Group{Name: "Unled Cohort", Description: "Waiting for its facilitator.", Topics: []string{"grief"},
				Audience: hearth.Audience{Languages: []string{"en"}}, Format: hearth.Online, Leadership: hearth.PeerLed, Policy: hearth.Closed,
				Enrollment: &hearth.Enrollment{Cap: 5, Sessions: 4, Opens: now.Add(-time.Hour), Closes: now.Add(24 * time.Hour), Starts: now.Add(48 * time.Hour)},
				Location:   hearth.Location{TimeZone: "Europe/Madrid"}, Schedule: hearth.Schedule{Weekday: time.Monday, Start: 18 * 60, Duration: 60}}
			if err := w.a.CreateGroup(w.ctx, w.site, w.org, g); err != nil {
				t.Fatal(err)
			}
			if _, err := w.a.Apply(w.ctx, w.person("applicant", false), g.Slug, app.ApplyRequest{JoinRequest: app.JoinRequest{Pseudonym: "Sam", AcceptGuidelines: true},
				CommitSessions: true}); err != nil {
				t.Fatal(err)
			}
			if !slices.Contains(w.noticeKinds(w.roles(admin)), app.NoticeApplicationReceived) {
				t.Fatalf("the organization's admin was not told: %v", w.noticeKinds(admin))
			}
		})
	}
}

// TestTheDemoShowsMeetingsAndCohorts loads the demo on each engine and
// reads it back the way visitors and facilitators do.
func TestTheDemoShowsMeetingsAndCohorts(t *testing.T) {
	for _, e := range sqldbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			ctx := context.Background()
			a := demoApp(t, e)
			admin, visitor := hearth.Actor{UserID: 1 << 40, SiteAdmin: true}, hearth.Actor{}
			var dir []demo.Group
			for _, o := range demo.Directory(fixedNow) {
				dir = append(dir, o.Groups...)
			}

			t.Run("every closed group has a current cohort on its terms, ending after its last scheduled session", func(t *testing.T) {
				for _, g := range dir {
					if g.Policy != hearth.Closed {
						continue
					}
					cs, err := a.Cohorts(ctx, admin, g.Slug)
					if err != nil || len(cs) != 1 {
						t.Errorf("%s: %d cohorts, %v; want its first", g.Slug, len(cs), err)
						continue
					}
					c, want := cs[0], g.Enrollment
					if c.Number != 1 || c.Cap != want.Cap || c.Sessions != want.Sessions || !c.Opens.Equal(want.Opens) || !c.Closes.Equal(want.Closes) || !c.Starts.Equal(want.Starts) {
						t.Errorf("%s: cohort %+v, group terms %+v", g.Slug, *c, *want)
					}
					// The last session: sessions-1 steps of the group's rhythm after the first.
					step := 7 * 24 * time.Hour
					if strings.Contains(g.Meetings[0].RRule, "INTERVAL=2") {
						step *= 2
					}
					last := c.Starts.Add(time.Duration(c.Sessions-1) * step)
					if d := c.Ends.Sub(last); d < 0 || d > 26*time.Hour {
						t.Errorf("%s (%s): cohort of %d sessions from %v ends %v; want after the session near %v", g.Slug, g.Meetings[0].RRule, c.Sessions, c.Starts, c.Ends, last)
					}
				}
			})

			t.Run("anyone who can see a closed group reads its intake questions in order", func(t *testing.T) {
				for _, g := range dir {
					if g.Policy != hearth.Closed || g.Visibility != hearth.Listed {
						continue
					}
					qs, err := a.IntakeQuestions(ctx, visitor, g.Slug)
					if err != nil || len(qs) != len(g.Intake) {
						t.Errorf("%s: %d questions, %v; want %d", g.Slug, len(qs), err, len(g.Intake))
						continue
					}
					for i, q := range qs {
						if q.Prompt != g.Intake[i].Prompt || q.Position != i+1 || q.Required != g.Intake[i].Required {
							t.Errorf("%s question %d: %+v, want %+v", g.Slug, i+1, q, g.Intake[i])
						}
					}
				}
			})

			t.Run("a visitor sees a published link and never a protected one", func(t *testing.T) {
				var published int
				for _, g := range dir {
					if g.Visibility != hearth.Listed || g.Format == hearth.InPerson {
						continue
					}
					v, err := a.Meetings(ctx, visitor, g.Slug)
					if err != nil || len(v.Meetings) != 1 {
						t.Fatalf("%s: %v", g.Slug, err)
					}
					at := v.Meetings[0].Meeting.Attend
					shown := at.ConferenceURL != "" || at.Phone != ""
					if shown != g.PublishLink || v.Policy.PublishLink != g.PublishLink {
						t.Errorf("%s (publishes: %v) shows a visitor %q %q", g.Slug, g.PublishLink, at.ConferenceURL, at.Phone)
					}
					if g.PublishLink {
						published++
					}
				}
				if published < 3 {
					t.Errorf("%d groups publish their link", published)
				}
			})

			t.Run("the Meeting Guide feed carries the links of exactly the groups that publish them", func(t *testing.T) {
				var entries []feeds.MeetingGuideMeeting
				if err := json.Unmarshal(exportFeed(t, a), &entries); err != nil {
					t.Fatal(err)
				}
				publishes := map[string]bool{}
				for _, g := range dir {
					publishes[g.Slug] = g.PublishLink
				}
				var withLink int
				for _, en := range entries {
					if has := en.ConferenceURL != "" || en.ConferencePhone != ""; has != publishes[en.Slug] {
						t.Errorf("%s exports %q %q; publishes its link: %v", en.Slug, en.ConferenceURL, en.ConferencePhone, publishes[en.Slug])
					} else if has {
						withLink++
					}
				}
				if withLink < 3 {
					t.Errorf("%d feed rows carry a published link", withLink)
				}
			})

			t.Run("the cancelled meeting is listed with its note", func(t *testing.T) {
				for _, g := range dir {
					for _, x := range g.Meetings[0].Exceptions {
						v, err := a.Meetings(ctx, visitor, g.Slug)
						if err != nil {
							t.Fatal(err)
						}
						i := slices.IndexFunc(v.Meetings[0].Upcoming, func(o hearth.Occurrence) bool { return o.Original.Equal(x.Original) })
						if i < 0 || !v.Meetings[0].Upcoming[i].Cancelled || v.Meetings[0].Upcoming[i].Note != x.Note {
							t.Errorf("%s: the occurrence of %v is not listed as cancelled with its note: %+v", g.Slug, x.Original, v.Meetings[0].Upcoming)
						}
					}
				}
			})
		})
	}
}
