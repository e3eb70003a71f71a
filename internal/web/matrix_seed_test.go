package web

// The seeded world of the authorization matrix (matrix_test.go): one
// server on SQLite with a room hub and the board hub, an organization with
// a closed group of each visibility (listed, unlisted, private), and in
// each group a person in every relation to it; plus the people with no
// relation (a member of another group, the admin of another organization,
// a site admin). The ids of the group's meeting, occurrence, thread, post,
// report, alert, cohort, moderation action and appeal fill the routes'
// path parameters.

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/app"
	"github.com/hearth-org/hearth/internal/gazetteer"
	"github.com/hearth-org/hearth/internal/password"
	"github.com/hearth-org/hearth/internal/room"
	"github.com/hearth-org/hearth/internal/sqldb"
	"github.com/hearth-org/hearth/internal/sqldb/sqldbtest"
	"github.com/hearth-org/hearth/internal/vault"
)

// The matrix's roles, in the order each route is requested.
var mxRoles = []string{"anonymous", "other_member", "applicant", "waitlisted", "active", "removed", "banned",
	"facilitator", "other_org_admin", "site_admin"}

var mxVisibilities = []hearth.Visibility{hearth.Listed, hearth.Unlisted, hearth.Private}

// mxPerson is one account: its token (API) and a browser holding its
// session cookie (pages).
type mxPerson struct {
	handle string
	user   *hearth.User
	token  string
	actor  hearth.Actor
	b      *browser
}

// mxGroup is one closed group and the people around it.
type mxGroup struct {
	vis     hearth.Visibility
	slug    string
	people  map[string]*mxPerson // role → person (the group's own roles)
	fill    map[string]string    // path parameter → value
	ids     map[string]int64     // named ids ("applicant", "active", "cohort", "action", …)
	body    map[string]any       // the group as the API reads it, renamed: a valid PUT
	session string               // the id of a second session of the active member
	// apply makes a new applicant of the role named (kept in people and
	// ids); approve lets an application in (a seat, or the line).
	apply   func(role string) int64
	approve func(id int64)
}

type mxWorld struct {
	ts      *testServer
	db      *sqldb.DB
	clk     *testClock
	shared  map[string]*mxPerson // other_member, other_org_admin, site_admin
	n       int                  // groups made so far
	seeding time.Duration
}

func newMxWorld(t *testing.T) *mxWorld {
	t.Helper()
	ctx := context.Background()
	clk := &testClock{t: time.Date(2027, 3, 9, 12, 0, 0, 0, time.UTC)}
	dbURL, dir := sqldbtest.URL(t, sqldb.SQLite)
	db, err := sqldb.Open(ctx, sqldb.Options{URL: dbURL, DataDir: dir, Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	gaz, err := gazetteer.Load()
	if err != nil {
		t.Fatal(err)
	}
	v, _, err := vault.OpenFile(ctx, db, filepath.Join(dir, "master.key"), true, vault.Options{})
	if err != nil {
		t.Fatal(err)
	}
	a, err := app.New(app.Config{DB: db, Gazetteer: gaz, Vault: v, Now: clk.Now, PasswordParams: password.Params{Memory: 1024, Time: 1, Threads: 1},
		StaffSecondFactor: true}) // as serve runs by default: staff powers need a sign-in that passed the second factor
	if err != nil {
		t.Fatal(err)
	}
	hub := room.NewHub(room.HubConfig{Store: a.RoomStore(), Now: clk.Now, OnPresence: a.RoomPresence})
	t.Cleanup(hub.Close)
	a.SetRoomEvictor(hub.Evict)
	s, err := newServer(Config{App: a, Now: clk.Now, Rooms: hub, Boards: NewBoardHub(nil)})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.handler())
	t.Cleanup(srv.Close)
	ts := &testServer{URL: srv.URL, App: a, Server: s, Engine: sqldb.SQLite,
		Client: &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	w := &mxWorld{ts: ts, db: db, clk: clk, shared: map[string]*mxPerson{}}

	site := hearth.Actor{SiteAdmin: true}
	w.shared["site_admin"] = w.person(t, "mx-site-admin", true)
	for _, o := range []struct{ slug, name string }{{"mx-org", "Matrix Org"}, {"mx-other-org", "Other Matrix Org"}} {
		if err := a.CreateOrganization(ctx, site, &hearth.Organization{Slug: o.slug, Name: o.name}); err != nil {
			t.Fatalf("organization %s: %v", o.slug, err)
		}
	}
	w.shared["other_org_admin"] = w.person(t, "mx-other-admin", false)
	if err := a.AddOrgAdmin(ctx, site, "mx-other-org", "mx-other-admin"); err != nil {
		t.Fatal(err)
	}
	// Another group of the same organization, with its own member.
	ts.call(t, "POST", "/api/v1/organizations/mx-org/groups", w.shared["site_admin"].token, groupBody("mx-elsewhere", "Matrix Elsewhere Circle")).wantStatus(t, 201)
	w.shared["other_member"] = w.person(t, "mx-other-member", false)
	if _, err := a.JoinGroup(ctx, w.shared["other_member"].actor, "mx-elsewhere", "Otra", true); err != nil {
		t.Fatal(err)
	}
	w.shared["other_member"].refresh(t, w)
	// Whom the leads' requests appoint or add: nobody of the matrix.
	w.person(t, "mx-bystander", false)
	return w
}

// person makes an account with a token and a signed-in browser (a session
// started by the app, as the sign-in form does, without its rate limit).
func (w *mxWorld) person(t *testing.T, handle string, siteAdmin bool) *mxPerson {
	t.Helper()
	u, _, err := w.ts.App.CreateUser(context.Background(), handle, "", testPassword, siteAdmin)
	if err != nil {
		t.Fatalf("user %s: %v", handle, err)
	}
	// Every sign-in of the matrix passed the second factor (staff need it;
	// members are not asked): tokens and sessions record it.
	token, _, err := w.ts.App.CreateToken(context.Background(), hearth.Actor{UserID: u.ID, Handle: u.Handle, SecondFactor: true}, "matrix")
	if err != nil {
		t.Fatal(err)
	}
	p := &mxPerson{handle: handle, user: u, token: token}
	p.actor = w.ts.Actor(t, p.token)
	p.b = w.person2(t, p)
	return p
}

// refresh reads the person's roles again (after joining, appointing …).
func (p *mxPerson) refresh(t *testing.T, w *mxWorld) { p.actor = w.ts.Actor(t, p.token) }

// crisisText is a post the safety pipeline reads as a crisis, so the
// group has a safety alert.
const crisisText = "I am going to kill myself tonight. I have the pills ready and I wrote my note."

// group seeds one closed group of the visibility, with a cohort of two
// seats: the facilitator; an applicant; the active member and a peer (the
// seats); the waitlisted one (approved when the seats were taken); a
// removed and a banned member; a weekly online meeting whose occurrence is
// under way (the clock is moved into it); a thread with the active member's
// reply; a report of the thread's opening post; a safety alert (a crisis
// reply); two warnings of the active member,
// the first appealed.
func (w *mxWorld) group(t *testing.T, vis hearth.Visibility) *mxGroup {
	t.Helper()
	start := time.Now()
	defer func() { w.seeding += time.Since(start) }()
	ctx := context.Background()
	a := w.ts.App
	site := hearth.Actor{SiteAdmin: true}
	w.n++
	g := &mxGroup{vis: vis, slug: fmt.Sprintf("mx-%s-%d", vis, w.n), people: map[string]*mxPerson{}, ids: map[string]int64{}}
	now := w.clk.Now()
	body := groupBody(g.slug, fmt.Sprintf("Matrix %s circle %d", vis, w.n))
	body["format"], body["policy"] = "online", "closed" // listed until seeded: nobody applies to a private group
	body["location"] = map[string]any{"city": "Austin", "country": "US", "time_zone": "America/Chicago"}
	delete(body, "venue_notes")
	body["enrollment"] = map[string]any{"cap": 2, "sessions": 4, "opens": now.AddDate(0, 0, -2).Format(time.DateOnly),
		"closes": now.AddDate(0, 0, 20).Format(time.DateOnly), "starts": now.AddDate(0, 0, 30).Format(time.DateOnly)}
	w.ts.call(t, "POST", "/api/v1/organizations/mx-org/groups", w.shared["site_admin"].token, body).wantStatus(t, 201)
	mk := func(role string) *mxPerson {
		p := w.person(t, fmt.Sprintf("mx-%d-%s", w.n, role), false)
		g.people[role] = p
		return p
	}
	fac := mk("facilitator")
	if err := a.AppointFacilitator(ctx, site, g.slug, fac.handle, "Lead "+strconv.Itoa(w.n), ""); err != nil {
		t.Fatal(err)
	}
	fac.refresh(t, w)
	if _, err := a.SetModerationSettings(ctx, fac.actor, g.slug, hearth.ModerationSettings{NewMemberDays: 0, NewMemberPostsPerHour: 120, PostsPerHour: 600}); err != nil {
		t.Fatal(err)
	}
	apply := func(role string) int64 {
		p := mk(role)
		answers := map[int64]string{} // the intake questions a lead may have set meanwhile
		if v, err := a.MyMembership(ctx, p.actor, g.slug); err == nil {
			for _, q := range v.Questions {
				answers[q.ID] = "Because I want to."
			}
		}
		if _, err := a.Apply(ctx, p.actor, g.slug, app.ApplyRequest{JoinRequest: app.JoinRequest{Pseudonym: "P " + role, AcceptGuidelines: true},
			CommitSessions: true, Answers: answers}); err != nil {
			t.Fatalf("%s applies: %v", role, err)
		}
		v, err := a.MyMembership(ctx, p.actor, g.slug)
		if err != nil {
			t.Fatal(err)
		}
		g.ids[role] = v.Membership.ID
		return v.Membership.ID
	}
	approve := func(id int64) {
		if _, err := a.Approve(ctx, fac.actor, g.slug, id, app.Decision{}); err != nil {
			t.Fatalf("approve %d: %v", id, err)
		}
	}
	for _, role := range []string{"removed", "banned"} {
		id := apply(role)
		approve(id)
		if err := a.RemoveMember(ctx, fac.actor, g.slug, id, "Matrix "+role, role == "banned"); err != nil {
			t.Fatal(err)
		}
	}
	approve(apply("active"))
	approve(apply("peer")) // the second seat
	approve(apply("waitlisted"))
	apply("applicant")
	g.apply, g.approve = apply, approve
	for _, p := range g.people {
		p.refresh(t, w)
	}
	if v, err := a.MyMembership(ctx, g.people["waitlisted"].actor, g.slug); err != nil || v.Membership.Status != hearth.StatusWaitlisted {
		t.Fatalf("the waitlisted person is not in line: %v %+v", err, v)
	}
	active := g.people["active"]

	// The meeting: weekly, online, its first occurrence two minutes from
	// now in Austin; the clock is then put five minutes into it, so the
	// room is open (the clock moves minutes per group, never days, so
	// sessions stay fresh).
	first := w.clk.Now().In(mustZone(t, "America/Chicago")).Add(2 * time.Minute).Truncate(time.Minute)
	m, err := a.CreateMeeting(ctx, fac.actor, g.slug, app.MeetingInput{Start: first.Format("2006-01-02T15:04"), Duration: 60,
		RRule: "FREQ=WEEKLY;BYDAY=" + strings.ToUpper(first.Weekday().String()[:2]), Ongoing: true, Attend: hearth.Attend{Mode: hearth.Online, ConferenceURL: "https://meet.example.org/mx"}})
	if err != nil {
		t.Fatalf("meeting: %v", err)
	}
	mv, err := a.Meetings(ctx, fac.actor, g.slug)
	if err != nil {
		t.Fatalf("meetings: %v", err)
	}
	var occ hearth.Occurrence
	for _, x := range mv.Meetings {
		if x.Meeting.ID == m.ID && len(x.Upcoming) > 0 {
			occ = x.Upcoming[0]
		}
	}
	if occ.MeetingID != m.ID {
		t.Fatalf("the meeting has no upcoming occurrence")
	}
	if w.clk.Now().Before(occ.Start) {
		w.clk.Set(occ.Start.Add(5 * time.Minute))
	}

	// The board: a facilitator's thread, the active member's reply.
	th, err := a.StartThread(ctx, fac.actor, g.slug, app.PostInput{Title: "Matrix thread", Body: "Welcome, everyone."})
	if err != nil {
		t.Fatalf("thread: %v", err)
	}
	reply, err := a.Reply(ctx, active.actor, g.slug, th.ThreadID, app.PostInput{Body: "Thank you for having me."})
	if err != nil {
		t.Fatalf("reply: %v", err)
	}
	// A report: the active member reports the thread's opening post.
	filed, err := a.Report(ctx, active.actor, app.ReportRequest{ReportInput: hearth.ReportInput{Subject: hearth.Subject{Kind: hearth.SubjectPost, ID: th.PostID},
		Reason: hearth.ReasonOther, Note: "Checking how reports work."}, Group: g.slug})
	if err != nil {
		t.Fatalf("report: %v", err)
	}
	// A safety alert: a crisis reply.
	if _, err := a.Reply(ctx, active.actor, g.slug, th.ThreadID, app.PostInput{Body: crisisText}); err != nil {
		t.Fatalf("crisis reply: %v", err)
	}
	q, err := a.EscalationQueue(ctx, fac.actor, "")
	if err != nil || len(q) == 0 {
		t.Fatalf("no safety alert for the group: %v", err)
	}
	// Two warnings of the active member; the first appealed.
	var actions []int64
	for range 2 {
		act, err := a.Moderate(ctx, fac.actor, g.slug, hearth.Subject{Kind: hearth.SubjectMember, ID: g.ids["active"]},
			hearth.ActionInput{Kind: hearth.ActionWarn, Reason: hearth.ActionReasonGuidelines, Note: "Please keep to the guidelines."})
		if err != nil {
			t.Fatalf("warn: %v", err)
		}
		actions = append(actions, act.ID)
	}
	ap, err := a.Appeal(ctx, active.actor, actions[0], "I did keep to them.")
	if err != nil {
		t.Fatalf("appeal: %v", err)
	}
	cohorts, err := a.Cohorts(ctx, fac.actor, g.slug)
	if err != nil || len(cohorts) == 0 {
		t.Fatalf("cohorts: %v", err)
	}
	_, tok, err := a.CreateToken(ctx, active.actor, "spare")
	if err != nil {
		t.Fatal(err)
	}
	secret, err := a.NewCalendarAddress(ctx, active.actor)
	if err != nil {
		t.Fatal(err)
	}
	g.ids["opening"], g.ids["reply"], g.ids["meeting"] = th.PostID, reply.PostID, m.ID
	for _, target := range []string{"candidate", "queued", "spare_meeting"} {
		w.refreshTarget(t, g, target)
	}
	g.ids["cohort"], g.ids["action"], g.ids["appeal"], g.ids["report"], g.ids["alert"], g.ids["token"] =
		cohorts[len(cohorts)-1].ID, actions[1], ap.ID, filed.Report.ID, q[0].ID, tok.ID
	// The clock moved: the shared people sign in afresh (staff sessions
	// have a short idle lifetime).
	for _, p := range w.shared {
		p.b = w.person2(t, p)
	}
	if vis != hearth.Listed {
		w.setVisibility(t, g, vis)
	}
	r := w.ts.call(t, "GET", "/api/v1/groups/"+g.slug, w.shared["site_admin"].token, nil)
	r.wantStatus(t, 200)
	g.body = r.JSON
	g.body["name"] = fmt.Sprintf("Matrix %s circle %d renamed", vis, w.n)
	spareSession, _, err := a.StartSession(ctx, active.user.ID)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(spareSession))
	g.session = hex.EncodeToString(sum[:])[:16] // a session's id on the security page: its hash's first 16 hex digits
	id := func(n int64) string { return strconv.FormatInt(n, 10) }
	g.fill = map[string]string{
		"{org}": "mx-org", "{slug}": g.slug, "{meeting}": id(m.ID), "{at}": id(occ.Original.Unix()),
		"{person}": id(active.user.ID), "{thread}": id(th.ThreadID), "{post}": id(reply.PostID), "{kind}": "me_too",
		"{file}": secret + ".ics", "{token}": "mx-no-such-link", "{room}": "0", "{seq}": "1",
	}
	return g
}

// refreshTarget makes a fresh thing for the routes that use one up, in
// place of seeding the whole group again: an applicant to approve or
// decline ("candidate"), a person in line to remove or ban ("queued"), a
// meeting to change or delete, a report to dismiss or act on, a warning to
// appeal, an appeal to decide, a post of the active member to delete or
// moderate, the active member's spare token, session and calendar address.
func (w *mxWorld) refreshTarget(t *testing.T, g *mxGroup, target string) {
	t.Helper()
	ctx := context.Background()
	a := w.ts.App
	fac, active := g.people["facilitator"], g.people["active"]
	w.n++
	switch target {
	case "candidate", "queued":
		if g.vis == hearth.Private { // nobody applies to a private group: listed for a moment
			w.setVisibility(t, g, hearth.Listed)
			defer w.setVisibility(t, g, hearth.Private)
		}
		id := g.apply(fmt.Sprintf("%s-%d", target, w.n))
		if target == "queued" {
			g.approve(id) // the seats are taken: into the line
		}
		g.ids[target] = id
	case "spare_meeting":
		m, err := a.CreateMeeting(ctx, fac.actor, g.slug, app.MeetingInput{Start: "2030-01-01T18:30", Duration: 60, RRule: "FREQ=WEEKLY;BYDAY=TU",
			Ongoing: true, Attend: hearth.Attend{Mode: hearth.InPerson}})
		if err != nil {
			t.Fatalf("spare meeting: %v", err)
		}
		g.ids["spare_meeting"] = m.ID
	case "report":
		p, err := a.Reply(ctx, fac.actor, g.slug, mxMustID(t, g.fill["{thread}"]), app.PostInput{Body: fmt.Sprintf("Note %d.", w.n)})
		if err != nil {
			t.Fatal(err)
		}
		f, err := a.Report(ctx, active.actor, app.ReportRequest{ReportInput: hearth.ReportInput{Subject: hearth.Subject{Kind: hearth.SubjectPost, ID: p.PostID},
			Reason: hearth.ReasonOther, Note: "Checking how reports work."}, Group: g.slug})
		if err != nil {
			t.Fatalf("report: %v", err)
		}
		g.ids["report"] = f.Report.ID
	case "action", "appeal":
		act, err := a.Moderate(ctx, fac.actor, g.slug, hearth.Subject{Kind: hearth.SubjectMember, ID: g.ids["active"]},
			hearth.ActionInput{Kind: hearth.ActionWarn, Reason: hearth.ActionReasonGuidelines, Note: "Please keep to the guidelines."})
		if err != nil {
			t.Fatalf("warn: %v", err)
		}
		if target == "action" {
			g.ids["action"] = act.ID
			return
		}
		ap, err := a.Appeal(ctx, active.actor, act.ID, "I did keep to them.")
		if err != nil {
			t.Fatalf("appeal: %v", err)
		}
		g.ids["appeal"] = ap.ID
	case "post":
		p, err := a.Reply(ctx, active.actor, g.slug, mxMustID(t, g.fill["{thread}"]), app.PostInput{Body: fmt.Sprintf("Thanks again (%d).", w.n)})
		if err != nil {
			t.Fatal(err)
		}
		g.fill["{post}"] = strconv.FormatInt(p.PostID, 10)
	case "token":
		_, tok, err := a.CreateToken(ctx, active.actor, "spare")
		if err != nil {
			t.Fatal(err)
		}
		g.ids["token"] = tok.ID
	case "session":
		spare, _, err := a.StartSession(ctx, active.user.ID)
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256([]byte(spare))
		g.session = hex.EncodeToString(sum[:])[:16]
	case "occurrence": // a cancelled occurrence restored
		at := time.Unix(mxMustID(t, g.fill["{at}"]), 0)
		if err := a.RestoreOccurrence(ctx, fac.actor, g.slug, mxMustID(t, g.fill["{meeting}"]), at); err != nil {
			t.Fatalf("restore the occurrence: %v", err)
		}
	case "calendar":
		secret, err := a.NewCalendarAddress(ctx, active.actor)
		if err != nil {
			t.Fatal(err)
		}
		g.fill["{file}"] = secret + ".ics"
	default:
		t.Fatalf("no such target %q", target)
	}
}

// setVisibility changes the group's visibility, as its admin would.
func (w *mxWorld) setVisibility(t *testing.T, g *mxGroup, vis hearth.Visibility) {
	t.Helper()
	ctx := context.Background()
	site := hearth.Actor{SiteAdmin: true}
	v, err := w.ts.App.Group(ctx, site, g.slug)
	if err != nil {
		t.Fatal(err)
	}
	gg := *v.Group
	gg.Visibility = vis
	if err := w.ts.App.UpdateGroup(ctx, site, g.slug, &gg); err != nil {
		t.Fatalf("make the group %s: %v", vis, err)
	}
}

func mxMustID(t *testing.T, s string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
