package app_test

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/app"
	"github.com/hearth-org/hearth/internal/sqldb"
	"github.com/hearth-org/hearth/internal/sqldb/sqldbtest"
)

// boardWorld is a private group (open to join, not in the directory) with
// a facilitator and two established members, and a listed group with its
// own member.
type boardWorld struct {
	*membershipWorld
	g, listed       *hearth.Group
	fac, ana, ben   hearth.Actor
	anaM, benM      *hearth.Membership
	other, outsider hearth.Actor
}

func newBoardWorld(t *testing.T, e sqldb.Engine) *boardWorld {
	t.Helper()
	w := &boardWorld{membershipWorld: newMembershipWorld(t, e)}
	w.g, w.fac = w.privateGroup("Caregivers Circle")
	w.listed, _ = w.group("Open Grief Circle", hearth.Open, nil)
	w.ana, w.ben, w.other, w.outsider = w.person("ana", true), w.person("ben", true), w.person("other", false), w.person("outsider", false)
	w.anaM, w.benM = w.join(w.ana, w.g.Slug, "Ana"), w.join(w.ben, w.g.Slug, "Ben")
	w.join(w.other, w.listed.Slug, "Otto")
	w.ana, w.ben, w.other = w.roles(w.ana), w.roles(w.ben), w.roles(w.other)
	// Established members: past the new-member rules.
	w.clock.Add(8 * 24 * time.Hour)
	return w
}

func (w *boardWorld) privateGroup(name string) (*hearth.Group, hearth.Actor) {
	w.t.Helper()
	g := &hearth.Group{Name: name, Description: "A group for people who care for someone.", Topics: []string{"grief"},
		Audience: hearth.Audience{Languages: []string{"en", "es"}}, Format: hearth.Online, Leadership: hearth.PeerLed, Policy: hearth.Open,
		Visibility: hearth.Private, Guidelines: "What is said here stays here.", Location: hearth.Location{TimeZone: "Europe/Madrid"},
		Schedule: hearth.Schedule{Weekday: time.Tuesday, Start: 18*60 + 30, Duration: 90}}
	if err := w.a.CreateGroup(w.ctx, w.site, w.org, g); err != nil {
		w.t.Fatal(err)
	}
	w.n++
	handle := "board-facilitator-" + string(rune('a'+w.n))
	f := w.person(handle, true)
	if err := w.a.AppointFacilitator(w.ctx, w.site, g.Slug, handle, "Fran", ""); err != nil {
		w.t.Fatal(err)
	}
	return g, w.roles(f)
}

// join lets someone join a group; the private group is opened for the
// moment of joining (people come into a private group by its address
// while it is unlisted, then it is made private again).
func (w *boardWorld) join(who hearth.Actor, slug, name string) *hearth.Membership {
	w.t.Helper()
	if w.g == nil || slug != w.g.Slug {
		return w.membershipWorld.join(who, slug, name)
	}
	w.visibility(hearth.Unlisted)
	defer w.visibility(hearth.Private)
	return w.membershipWorld.join(who, slug, name)
}

func (w *boardWorld) visibility(v hearth.Visibility) {
	w.t.Helper()
	g, err := w.db.GroupBySlug(w.ctx, w.g.Slug)
	if err != nil {
		w.t.Fatal(err)
	}
	g.Visibility = v
	if err := w.a.UpdateGroup(w.ctx, w.site, w.g.Slug, g); err != nil {
		w.t.Fatal(err)
	}
	w.g = g
}

// setStatus moves a membership to a status as the membership steps would
// (for alumni, applicants: steps that need a cohort's whole life).
func (w *boardWorld) setStatus(g *hearth.Group, who hearth.Actor, name string, st hearth.MembershipStatus) {
	w.t.Helper()
	err := w.db.InTx(w.ctx, func(tx *sqldb.Tx) error {
		m, err := tx.Membership(w.ctx, g.ID, who.UserID)
		if hearth.ErrorKind(err) == hearth.NotFound {
			m = &hearth.Membership{GroupID: g.ID, UserID: who.UserID, Role: hearth.RoleMember, Status: st, Pseudonym: name, JoinedAt: w.clock.Now(), StatusAt: w.clock.Now()}
			return tx.InsertMembership(w.ctx, m)
		} else if err != nil {
			return err
		}
		m.Status, m.StatusAt = st, w.clock.Now().UTC().Truncate(time.Second)
		return tx.SaveMembership(w.ctx, m)
	})
	if err != nil {
		w.t.Fatal(err)
	}
}

func (w *boardWorld) start(who hearth.Actor, title, body string) *app.Posted {
	w.t.Helper()
	p, err := w.a.StartThread(w.ctx, who, w.g.Slug, app.PostInput{Title: title, Body: body})
	if err != nil {
		w.t.Fatalf("start %q: %v", title, err)
	}
	return p
}

func (w *boardWorld) reply(who hearth.Actor, thread int64, body string) *app.Posted {
	w.t.Helper()
	p, err := w.a.Reply(w.ctx, who, w.g.Slug, thread, app.PostInput{Body: body})
	if err != nil {
		w.t.Fatalf("reply %q: %v", body, err)
	}
	return p
}

func (w *boardWorld) board(who hearth.Actor, q string) *app.BoardView {
	w.t.Helper()
	v, err := w.a.Board(w.ctx, who, w.g.Slug, app.BoardQuery{Q: q})
	if err != nil {
		w.t.Fatal(err)
	}
	return v
}

func (w *boardWorld) thread(who hearth.Actor, id int64) *app.ThreadView {
	w.t.Helper()
	v, err := w.a.Thread(w.ctx, who, w.g.Slug, id, 1)
	if err != nil {
		w.t.Fatal(err)
	}
	return v
}

func threadIDs(v *app.BoardView) []int64 {
	var out []int64
	for _, t := range v.Threads {
		out = append(out, t.ID)
	}
	return out
}

func findThread(v *app.BoardView, id int64) *app.ThreadSummary {
	for i := range v.Threads {
		if v.Threads[i].ID == id {
			return &v.Threads[i]
		}
	}
	return nil
}

func findPost(v *app.ThreadView, id int64) *app.PostView {
	for i := range v.Posts {
		if v.Posts[i].ID == id {
			return &v.Posts[i]
		}
	}
	return nil
}

// wantNoLeak fails when an error's text names what the board holds.
func wantNoLeak(t *testing.T, err error, words ...string) {
	t.Helper()
	for _, w := range words {
		if err != nil && strings.Contains(err.Error(), w) {
			t.Fatalf("the refusal %q names %q", err, w)
		}
	}
}

// Who reads and who writes a group's board (issue 6 §1, §4): members and
// facilitators; alumni only where the group allows it and only their
// time's threads; nobody else, with nothing of the board in the answer.
func TestBoardWhoReadsAndWrites(t *testing.T) {
	for _, e := range sqldbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			w := newBoardWorld(t, e)
			early := w.start(w.ana, "A hard week with Mum", "She did not know me on Sunday.")
			w.clock.Add(time.Hour)

			t.Run("a member posts and another reads it by pseudonym", func(t *testing.T) {
				v := w.board(w.ben, "")
				if v.Total != 1 || len(v.Threads) != 1 || !v.MayPost || v.Leads {
					t.Fatalf("%+v", v)
				}
				th := v.Threads[0]
				if th.ID != early.ThreadID || th.Title != "A hard week with Mum" || th.Author != "Ana" || !th.New || th.Unread != 1 {
					t.Fatalf("%+v", th)
				}
				tv := w.thread(w.ben, early.ThreadID)
				if len(tv.Posts) != 1 || tv.Posts[0].Body != "She did not know me on Sunday." || tv.Posts[0].Title != "A hard week with Mum" || tv.Posts[0].Mine {
					t.Fatalf("%+v", tv.Posts)
				}
				if fv := w.board(w.fac, ""); !fv.Leads || fv.Total != 1 {
					t.Fatalf("facilitator %+v", fv)
				}
			})

			t.Run("a member does not see the posts of someone she blocked; facilitators see all", func(t *testing.T) {
				if err := w.a.Block(w.ctx, w.ana, w.g.Slug, w.benM.ID); err != nil {
					t.Fatal(err)
				}
				bp := w.start(w.ben, "Ben's week", "Long shifts.")
				w.reply(w.ben, early.ThreadID, "Thinking of you, Ana.")
				if findThread(w.board(w.ana, ""), bp.ThreadID) != nil {
					t.Fatal("Ana sees the thread of the member she blocked")
				}
				if th := findThread(w.board(w.ana, ""), early.ThreadID); th.Replies != 0 || th.Unread != 0 {
					t.Fatalf("Ana counts the blocked member's reply: %+v", th)
				}
				if tv := w.thread(w.ana, early.ThreadID); len(tv.Posts) != 1 {
					t.Fatalf("Ana reads the blocked member's reply: %+v", tv.Posts)
				}
				if _, err := w.a.Thread(w.ctx, w.ana, w.g.Slug, bp.ThreadID, 1); hearth.ErrorKind(err) != hearth.NotFound {
					t.Fatalf("Ana opens the blocked member's thread: %v", err)
				}
				if findThread(w.board(w.fac, ""), bp.ThreadID) == nil || len(w.thread(w.fac, early.ThreadID).Posts) != 2 {
					t.Fatal("the facilitator misses a post")
				}
				if err := w.a.Unblock(w.ctx, w.ana, w.g.Slug, w.benM.ID); err != nil {
					t.Fatal(err)
				}
				if findThread(w.board(w.ana, ""), bp.ThreadID) == nil {
					t.Fatal("unblocked, the thread is still hidden")
				}
				if err := w.a.DeletePost(w.ctx, w.ben, w.g.Slug, bp.PostID); err != nil {
					t.Fatal(err)
				}
			})

			admin := w.person("org-admin", true)
			if err := w.a.AddOrgAdmin(w.ctx, w.site, w.org, "org-admin"); err != nil {
				t.Fatal(err)
			}
			admin = w.roles(admin)
			applicant, removed, banned := w.person("applicant", false), w.person("removed", false), w.person("banned", false)
			w.setStatus(w.g, applicant, "Appy", hearth.StatusApplicant)
			rm, bm := w.join(removed, w.g.Slug, "Remy"), w.join(banned, w.g.Slug, "Bany")
			if err := w.a.RemoveMember(w.ctx, w.fac, w.g.Slug, rm.ID, "Shared a story outside.", false); err != nil {
				t.Fatal(err)
			}
			if err := w.a.RemoveMember(w.ctx, w.fac, w.g.Slug, bm.ID, "Threats.", true); err != nil {
				t.Fatal(err)
			}
			removed, banned = w.roles(removed), w.roles(banned)

			t.Run("nobody outside the private group reads or posts, and nothing leaks", func(t *testing.T) {
				for name, who := range map[string]hearth.Actor{"outsider": w.outsider, "applicant": w.roles(applicant), "removed": removed, "banned": banned, "other group": w.other} {
					_, err := w.a.Board(w.ctx, who, w.g.Slug, app.BoardQuery{})
					wantKind(t, err, hearth.NotFound, "")
					wantNoLeak(t, err, "hard week", "Mum")
					_, err = w.a.Thread(w.ctx, who, w.g.Slug, early.ThreadID, 1)
					wantKind(t, err, hearth.NotFound, "")
					wantNoLeak(t, err, "hard week", "Mum")
					_, err = w.a.Board(w.ctx, who, w.g.Slug, app.BoardQuery{Q: "week"})
					wantKind(t, err, hearth.NotFound, "")
					_, err = w.a.StartThread(w.ctx, who, w.g.Slug, app.PostInput{Title: "Hi", Body: "Let me in"})
					wantKind(t, err, hearth.NotFound, "")
					_, err = w.a.Reply(w.ctx, who, w.g.Slug, early.ThreadID, app.PostInput{Body: "Let me in"})
					wantKind(t, err, hearth.NotFound, "")
					_, err = w.a.Post(w.ctx, who, w.g.Slug, early.PostID)
					wantKind(t, err, hearth.NotFound, "")
					if err := w.a.React(w.ctx, who, w.g.Slug, early.PostID, "me_too", true); hearth.ErrorKind(err) != hearth.NotFound {
						t.Fatalf("%s reacted: %v", name, err)
					}
				}
				_, err := w.a.Board(w.ctx, hearth.Anonymous, w.g.Slug, app.BoardQuery{})
				wantKind(t, err, hearth.Unauthorized, "")
				// The organization's admin sees the group, not its board.
				_, err = w.a.Board(w.ctx, admin, w.g.Slug, app.BoardQuery{})
				wantKind(t, err, hearth.Forbidden, "members_only")
				_, err = w.a.Thread(w.ctx, admin, w.g.Slug, early.ThreadID, 1)
				wantKind(t, err, hearth.Forbidden, "members_only")
			})
			t.Run("a listed group's board is members-only too", func(t *testing.T) {
				_, err := w.a.Board(w.ctx, w.outsider, w.listed.Slug, app.BoardQuery{})
				wantKind(t, err, hearth.Forbidden, "members_only")
				_, err = w.a.Thread(w.ctx, w.other, w.g.Slug, early.ThreadID, 1)
				wantKind(t, err, hearth.NotFound, "")
				// A thread of one group is not found through another.
				_, err = w.a.Thread(w.ctx, w.other, w.listed.Slug, early.ThreadID, 1)
				wantKind(t, err, hearth.NotFound, "")
			})
			t.Run("alumni read their time's threads only where the group allows it, and never post", func(t *testing.T) {
				cam := w.person("cam", false)
				w.join(cam, w.g.Slug, "Cam")
				w.clock.Add(time.Hour)
				during := w.start(w.ben, "While Cam was here", "Hello Cam.")
				w.clock.Add(time.Hour)
				w.setStatus(w.g, cam, "Cam", hearth.StatusAlumni)
				cam = w.roles(cam)
				w.clock.Add(time.Hour)
				after := w.start(w.ben, "After Cam left", "Later words.")

				_, err := w.a.Board(w.ctx, cam, w.g.Slug, app.BoardQuery{})
				wantKind(t, err, hearth.NotFound, "")
				if _, err := w.a.SetBoardSettings(w.ctx, w.ana, w.g.Slug, app.BoardSettings{AlumniRead: true, DeletedDays: 30}); hearth.ErrorKind(err) != hearth.Forbidden {
					t.Fatalf("a member changed the settings: %v", err)
				}
				if _, err := w.a.SetBoardSettings(w.ctx, w.fac, w.g.Slug, app.BoardSettings{AlumniRead: true, DeletedDays: 30}); err != nil {
					t.Fatal(err)
				}
				v := w.board(cam, "")
				if ids := threadIDs(v); len(ids) != 1 || ids[0] != during.ThreadID || v.MayPost {
					t.Fatalf("alumna sees %v (may post %v)", ids, v.MayPost)
				}
				if _, err := w.a.Thread(w.ctx, cam, w.g.Slug, after.ThreadID, 1); hearth.ErrorKind(err) != hearth.NotFound {
					t.Fatalf("alumna read a later thread: %v", err)
				}
				if _, err := w.a.Thread(w.ctx, cam, w.g.Slug, early.ThreadID, 1); hearth.ErrorKind(err) != hearth.NotFound {
					t.Fatalf("alumna read an earlier thread: %v", err)
				}
				_, err = w.a.Reply(w.ctx, cam, w.g.Slug, during.ThreadID, app.PostInput{Body: "Still here"})
				wantKind(t, err, hearth.Forbidden, "not_member")
				_, err = w.a.StartThread(w.ctx, cam, w.g.Slug, app.PostInput{Title: "Hi", Body: "Still here"})
				wantKind(t, err, hearth.Forbidden, "not_member")
			})
			t.Run("a reply to a thread in a group you left is refused", func(t *testing.T) {
				if err := w.a.Leave(w.ctx, w.ben, w.g.Slug); err != nil {
					t.Fatal(err)
				}
				ben := w.roles(w.ben)
				_, err := w.a.Reply(w.ctx, ben, w.g.Slug, early.ThreadID, app.PostInput{Body: "One more thing"})
				wantKind(t, err, hearth.NotFound, "")
				w.join(w.ben, w.g.Slug, "Ben")
			})
		})
	}
}

// Safety on the board (issue 6 §2): a crisis post brings its writer help
// and its facilitators an alert that leads to the post, anonymous or not;
// method details and a new member's first post wait for a facilitator;
// muted members cannot post and are told until when.
func TestBoardSafety(t *testing.T) {
	for _, e := range sqldbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			w := newBoardWorld(t, e)
			t.Run("anonymous posts only where the group allows them; facilitators still see who wrote", func(t *testing.T) {
				_, err := w.a.StartThread(w.ctx, w.ana, w.g.Slug, app.PostInput{Title: "Quietly", Body: "No name please", Anonymous: true})
				wantKind(t, err, hearth.Forbidden, "anonymous_not_allowed")
				if _, err := w.a.SetBoardSettings(w.ctx, w.fac, w.g.Slug, app.BoardSettings{AllowAnonymous: true, DeletedDays: 30}); err != nil {
					t.Fatal(err)
				}
				p, err := w.a.StartThread(w.ctx, w.ana, w.g.Slug, app.PostInput{Title: "Quietly", Body: "No name please", Anonymous: true})
				if err != nil {
					t.Fatal(err)
				}
				th := findThread(w.board(w.ben, ""), p.ThreadID)
				if th == nil || th.Author != "" || !th.Anonymous {
					t.Fatalf("ben sees %+v", th)
				}
				pv := w.thread(w.ben, p.ThreadID).Posts[0]
				if pv.Author != "" || pv.AuthorMembershipID != 0 || !pv.Anonymous {
					t.Fatalf("ben sees the writer: %+v", pv)
				}
				pv = w.thread(w.fac, p.ThreadID).Posts[0]
				if pv.Author != "Ana" || pv.AuthorMembershipID != w.anaM.ID || !pv.Anonymous {
					t.Fatalf("the facilitator does not see the writer: %+v", pv)
				}
				pv = w.thread(w.ana, p.ThreadID).Posts[0]
				if pv.Author != "Ana" || !pv.Mine {
					t.Fatalf("the writer: %+v", pv)
				}
			})
			t.Run("an anonymous crisis post gives its writer help and its facilitators an alert that leads to it", func(t *testing.T) {
				p, err := w.a.StartThread(w.ctx, w.ana, w.g.Slug, app.PostInput{Title: "Ya no puedo", Body: "tengo las pastillas listas, hoy es el día", Anonymous: true, Country: "ES", Lang: "es"})
				if err != nil {
					t.Fatal(err)
				}
				if p.Support == nil || !p.Support.StaffTold || p.Support.Tier < 2 {
					t.Fatalf("support %+v", p.Support)
				}
				q, err := w.a.EscalationQueue(w.ctx, w.fac, "open")
				if err != nil {
					t.Fatal(err)
				}
				var link string
				for _, e := range q {
					if e.WritingKind == app.WritingPost && e.WritingID == p.PostID {
						link = app.WritingLinkFor(w.fac, e)
					}
				}
				if link != app.BoardPostPath(w.g.Slug, p.PostID) {
					t.Fatalf("alert link %q in %+v", link, q)
				}
				got, err := w.a.BoardPostLink(w.ctx, p.PostID)
				want := "/groups/" + w.g.Slug + "/board/" + i64(p.ThreadID) + "#post-" + i64(p.PostID)
				if err != nil || got != want {
					t.Fatalf("post link %q %v, want %q", got, err, want)
				}
				pv := findPost(w.thread(w.fac, p.ThreadID), p.PostID)
				if pv == nil || pv.Author != "Ana" || pv.Body != "tengo las pastillas listas, hoy es el día" {
					t.Fatalf("the facilitator reads %+v", pv)
				}
				if kinds := w.noticeKinds(w.ana); len(kinds) != 0 && strings.Contains(strings.Join(kinds, ","), "safety_alert") {
					t.Fatalf("the writer was alerted about herself: %v", kinds)
				}
			})
			t.Run("method details wait for a facilitator's review", func(t *testing.T) {
				p, err := w.a.StartThread(w.ctx, w.ben, w.g.Slug, app.PostInput{Title: "Esta noche", Body: "voy a tomar 30 pastillas de paracetamol esta noche"})
				if err != nil {
					t.Fatal(err)
				}
				if !p.Held || p.Support == nil {
					t.Fatalf("%+v", p)
				}
				if findThread(w.board(w.ana, ""), p.ThreadID) != nil {
					t.Fatal("another member sees held method details")
				}
				if _, err := w.a.Thread(w.ctx, w.ana, w.g.Slug, p.ThreadID, 1); hearth.ErrorKind(err) != hearth.NotFound {
					t.Fatalf("another member opens the held thread: %v", err)
				}
				if th := findThread(w.board(w.ben, ""), p.ThreadID); th == nil || !th.Held {
					t.Fatalf("the writer does not see his held thread: %+v", th)
				}
				pv := findPost(w.thread(w.fac, p.ThreadID), p.PostID)
				if pv == nil || !pv.Held || pv.HeldReason != "review" {
					t.Fatalf("facilitator %+v", pv)
				}
				if _, err := w.a.Board(w.ctx, w.ana, w.g.Slug, app.BoardQuery{Q: "paracetamol"}); err != nil {
					t.Fatal(err)
				}
				if v := w.board(w.ana, "paracetamol"); v.Total != 0 {
					t.Fatalf("search finds held words for another member: %+v", v.Threads)
				}
			})
			t.Run("a new member's first post waits in a group that approves them, and shows once approved", func(t *testing.T) {
				if _, err := w.a.SetModerationSettings(w.ctx, w.fac, w.g.Slug, hearth.ModerationSettings{NewMemberDays: 7, NewMemberPostsPerHour: 5, PostsPerHour: 60, ApproveFirstPosts: true}); err != nil {
					t.Fatal(err)
				}
				dee := w.person("dee", false)
				w.join(dee, w.g.Slug, "Dee")
				dee = w.roles(dee)
				p, err := w.a.StartThread(w.ctx, dee, w.g.Slug, app.PostInput{Title: "Hello everyone", Body: "I am new here."})
				if err != nil {
					t.Fatal(err)
				}
				if !p.Held || p.Support != nil {
					t.Fatalf("%+v", p)
				}
				if findThread(w.board(w.ana, ""), p.ThreadID) != nil {
					t.Fatal("a held first post is listed for others")
				}
				pv := findPost(w.thread(w.fac, p.ThreadID), p.PostID)
				if pv == nil || pv.HeldReason != "approval" {
					t.Fatalf("%+v", pv)
				}
				wantKind(t, w.a.ApprovePost(w.ctx, w.ana, w.g.Slug, p.PostID), hearth.Forbidden, "not_facilitator")
				if err := w.a.ApprovePost(w.ctx, w.fac, w.g.Slug, p.PostID); err != nil {
					t.Fatal(err)
				}
				wantKind(t, w.a.ApprovePost(w.ctx, w.fac, w.g.Slug, p.PostID), hearth.Conflict, "not_held")
				th := findThread(w.board(w.ana, ""), p.ThreadID)
				if th == nil || th.Title != "Hello everyone" || th.Held {
					t.Fatalf("after approval: %+v", th)
				}
			})
			t.Run("posting tells the thread's writers; a held reply tells nobody until approved", func(t *testing.T) {
				th := w.start(w.ana, "Sleep", "I slept four hours.")
				w.reply(w.ben, th.ThreadID, "Same here.")
				if !slices.Contains(w.noticeKinds(w.ana), app.NoticeBoardReply) {
					t.Fatalf("the thread's writer was not told: %v", w.noticeKinds(w.ana))
				}
				eve := w.person("eve", false)
				w.join(eve, w.g.Slug, "Eve")
				eve = w.roles(eve)
				before := len(w.noticeKinds(w.ben))
				p, err := w.a.Reply(w.ctx, eve, w.g.Slug, th.ThreadID, app.PostInput{Body: "Me too, welcome me."})
				if err != nil || !p.Held {
					t.Fatalf("%+v %v", p, err)
				}
				if n := len(w.noticeKinds(w.ben)); n != before {
					t.Fatal("a held reply told someone")
				}
				if err := w.a.ApprovePost(w.ctx, w.fac, w.g.Slug, p.PostID); err != nil {
					t.Fatal(err)
				}
				if n := len(w.noticeKinds(w.ben)); n != before+1 {
					t.Fatalf("the approved reply told Ben %d times", n-before)
				}
			})
			t.Run("a muted member cannot post and is told until when", func(t *testing.T) {
				until := w.clock.Now().Add(90 * time.Minute).UTC().Truncate(time.Second)
				if _, err := w.a.Moderate(w.ctx, w.fac, w.g.Slug, hearth.Subject{Kind: hearth.SubjectMember, ID: w.benM.ID},
					hearth.ActionInput{Kind: hearth.ActionMute, Reason: hearth.ActionReason("harassment"), Minutes: 90}); err != nil {
					t.Fatal(err)
				}
				_, err := w.a.StartThread(w.ctx, w.ben, w.g.Slug, app.PostInput{Title: "Hi", Body: "Can I?"})
				wantKind(t, err, hearth.Forbidden, "muted")
				if e := hearth.AsError(err); len(e.Fields) == 0 || e.Fields[0].Params["Until"] != until.Format(time.RFC3339) {
					t.Fatalf("%+v", e)
				}
				v := w.board(w.ben, "")
				if v.MayPost || v.Muted == nil || !v.Muted.Until.Equal(until) {
					t.Fatalf("%+v %+v", v.MayPost, v.Muted)
				}
				// Crisis words are read all the same: the facilitators are
				// alerted; nothing is stored.
				before, _ := w.db.BoardPostCount(w.ctx, w.g.ID)
				_, err = w.a.StartThread(w.ctx, w.ben, w.g.Slug, app.PostInput{Title: "Adiós", Body: "tengo las pastillas listas, hoy es el día"})
				wantKind(t, err, hearth.Forbidden, "muted")
				if after, _ := w.db.BoardPostCount(w.ctx, w.g.ID); after != before {
					t.Fatalf("a muted member's post was stored: %d → %d", before, after)
				}
				q, err := w.a.EscalationQueue(w.ctx, w.fac, "open")
				if err != nil {
					t.Fatal(err)
				}
				found := false
				for _, e := range q {
					if e.WritingKind == app.WritingPost && e.WritingID == app.RefusedPostID && e.AuthorID == w.ben.UserID {
						found = app.WritingLinkFor(w.fac, e) == ""
					}
				}
				if !found {
					t.Fatalf("no alert for the muted member's refused crisis post: %+v", q)
				}
			})
		})
	}
}

func i64(n int64) string { return strconv.FormatInt(n, 10) }

// Writing, reading and forgetting on the board: keys, limits, edits and
// their history, deletion and the purge, unread counts, content warnings
// per reader, reactions, search, moderation of posts.
func TestBoardPostsLifecycle(t *testing.T) {
	for _, e := range sqldbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			w := newBoardWorld(t, e)
			first := w.start(w.ana, "Walking helped me", "Long walks in the evening helped me sleep.")
			w.clock.Add(time.Minute)

			t.Run("bad input stores nothing and says what is wrong", func(t *testing.T) {
				before, _ := w.db.BoardPostCount(w.ctx, w.g.ID)
				_, err := w.a.StartThread(w.ctx, w.ana, w.g.Slug, app.PostInput{Title: "Big", Body: strings.Repeat("a", 2<<20)})
				wantField(t, err, "body")
				_, err = w.a.StartThread(w.ctx, w.ana, w.g.Slug, app.PostInput{Title: "", Body: "x"})
				wantField(t, err, "title")
				_, err = w.a.StartThread(w.ctx, w.ana, w.g.Slug, app.PostInput{Title: strings.Repeat("t", 141), Body: "x"})
				wantField(t, err, "title")
				_, err = w.a.Reply(w.ctx, w.ana, w.g.Slug, first.ThreadID, app.PostInput{Body: "  "})
				wantField(t, err, "body")
				_, err = w.a.Reply(w.ctx, w.ana, w.g.Slug, first.ThreadID, app.PostInput{Body: "x", Warning: strings.Repeat("w", 61)})
				wantField(t, err, "warning")
				_, err = w.a.StartThread(w.ctx, w.ana, w.g.Slug, app.PostInput{Title: "News", Body: "x", Announcement: true})
				wantKind(t, err, hearth.Forbidden, "not_facilitator")
				_, err = w.a.Reply(w.ctx, w.ana, w.g.Slug, 999999, app.PostInput{Body: "x"})
				wantKind(t, err, hearth.NotFound, "")
				if after, _ := w.db.BoardPostCount(w.ctx, w.g.ID); after != before {
					t.Fatalf("posts %d → %d", before, after)
				}
			})
			t.Run("the same key returns the first post, never a second", func(t *testing.T) {
				in := app.PostInput{Body: "Me too, every evening.", Key: "reply-1"}
				p1, err := w.a.Reply(w.ctx, w.ben, w.g.Slug, first.ThreadID, in)
				if err != nil {
					t.Fatal(err)
				}
				p2, err := w.a.Reply(w.ctx, w.ben, w.g.Slug, first.ThreadID, in)
				if err != nil || p2.PostID != p1.PostID {
					t.Fatalf("%+v %+v %v", p1, p2, err)
				}
				if n := len(w.thread(w.ana, first.ThreadID).Posts); n != 2 {
					t.Fatalf("%d posts", n)
				}
			})
			t.Run("unread counts move as others post and the reader reads", func(t *testing.T) {
				th := findThread(w.board(w.ana, ""), first.ThreadID)
				if th.Unread != 0 || th.New {
					t.Fatalf("ana read her own thread before Ben's reply? %+v", th)
				}
				// Ana read Ben's first reply; his second is new to her.
				w.reply(w.ben, first.ThreadID, "And tea.")
				th = findThread(w.board(w.ana, ""), first.ThreadID)
				if th.Unread != 1 || th.Replies != 2 {
					t.Fatalf("%+v", th)
				}
				w.thread(w.ana, first.ThreadID)
				if th = findThread(w.board(w.ana, ""), first.ThreadID); th.Unread != 0 {
					t.Fatalf("after reading: %+v", th)
				}
				w.reply(w.ana, first.ThreadID, "Thank you both.")
				if th = findThread(w.board(w.ana, ""), first.ThreadID); th.Unread != 0 {
					t.Fatalf("after writing last: %+v", th)
				}
				if th = findThread(w.board(w.fac, ""), first.ThreadID); !th.New || th.Unread != 4 {
					t.Fatalf("facilitator: %+v", th)
				}
			})
			var warned *app.Posted
			t.Run("content warnings: collapsed by default, hidden or shown per reader", func(t *testing.T) {
				warned = w.start(w.ana, "About the funeral", "It was a hard day.")
				if _, err := w.a.EditPost(w.ctx, w.ana, w.g.Slug, warned.PostID, app.PostInput{Title: "About the funeral", Body: "It was a hard day.", Warning: "death"}); err != nil {
					t.Fatal(err)
				}
				own := w.start(w.ana, "Hospital again", "Third time this month.")
				if _, err := w.a.EditPost(w.ctx, w.ana, w.g.Slug, own.PostID, app.PostInput{Title: "Hospital again", Body: "Third time this month.", Warning: "hospital stays"}); err != nil {
					t.Fatal(err)
				}
				prefs, err := w.a.WarningPrefs(w.ctx, w.ben)
				if err != nil || len(prefs) != len(app.BoardWarnings)+1 || prefs["death"] != app.WarningCollapse || prefs["own"] != app.WarningCollapse {
					t.Fatalf("%v %v", prefs, err)
				}
				v := w.board(w.ben, "")
				if th := findThread(v, warned.ThreadID); th.Warning != "death" || th.WarningShow != app.WarningCollapse {
					t.Fatalf("%+v", th)
				}
				if th := findThread(v, own.ThreadID); th.Warning != "hospital stays" || th.WarningShow != app.WarningCollapse {
					t.Fatalf("%+v", th)
				}
				wantField(t, w.a.SetWarningPref(w.ctx, w.ben, "death", "maybe"), "choice")
				wantField(t, w.a.SetWarningPref(w.ctx, w.ben, "spiders", "hide"), "code")
				if err := w.a.SetWarningPref(w.ctx, w.ben, "death", app.WarningHide); err != nil {
					t.Fatal(err)
				}
				if err := w.a.SetWarningPref(w.ctx, w.ben, "own", app.WarningShow); err != nil {
					t.Fatal(err)
				}
				v = w.board(w.ben, "")
				if findThread(v, warned.ThreadID) != nil {
					t.Fatal("a thread whose warning Ben hides is listed for him")
				}
				if th := findThread(v, own.ThreadID); th.WarningShow != app.WarningShow {
					t.Fatalf("%+v", th)
				}
				if th := findThread(w.board(w.ana, ""), warned.ThreadID); th == nil || th.WarningShow != app.WarningCollapse {
					t.Fatalf("the writer: %+v", th)
				}
				if err := w.a.SetWarningPref(w.ctx, w.ana, "death", app.WarningHide); err != nil {
					t.Fatal(err)
				}
				if th := findThread(w.board(w.ana, ""), warned.ThreadID); th == nil {
					t.Fatal("the writer's own thread left her list")
				}
				if pv := w.thread(w.ben, warned.ThreadID).Posts[0]; pv.WarningShow != app.WarningHide || pv.Body == "" {
					t.Fatalf("opened by link: %+v", pv)
				}
			})
			t.Run("an edit keeps the earlier version for facilitators only; only the writer edits", func(t *testing.T) {
				_, err := w.a.EditPost(w.ctx, w.ben, w.g.Slug, first.PostID, app.PostInput{Title: "Mine now", Body: "x"})
				wantKind(t, err, hearth.Forbidden, "not_yours")
				if _, err := w.a.EditPost(w.ctx, w.ana, w.g.Slug, first.PostID, app.PostInput{Title: "Walking helps", Body: "Long walks, and tea."}); err != nil {
					t.Fatal(err)
				}
				pv, err := w.a.Post(w.ctx, w.ben, w.g.Slug, first.PostID)
				if err != nil || pv.Body != "Long walks, and tea." || pv.Title != "Walking helps" || pv.EditedAt.IsZero() {
					t.Fatalf("%+v %v", pv, err)
				}
				_, err = w.a.PostHistory(w.ctx, w.ana, w.g.Slug, first.PostID)
				wantKind(t, err, hearth.Forbidden, "not_facilitator")
				h, err := w.a.PostHistory(w.ctx, w.fac, w.g.Slug, first.PostID)
				if err != nil || len(h) != 1 || h[0].Body != "Long walks in the evening helped me sleep." || h[0].Title != "Walking helped me" {
					t.Fatalf("%+v %v", h, err)
				}
			})
			t.Run("reactions toggle and count", func(t *testing.T) {
				wantField(t, w.a.React(w.ctx, w.ben, w.g.Slug, first.PostID, "thumbs_down", true), "kind")
				for _, who := range []hearth.Actor{w.ben, w.fac} {
					if err := w.a.React(w.ctx, who, w.g.Slug, first.PostID, "thinking_of_you", true); err != nil {
						t.Fatal(err)
					}
				}
				if err := w.a.React(w.ctx, w.ben, w.g.Slug, first.PostID, "thinking_of_you", true); err != nil {
					t.Fatal(err)
				}
				pv := findPost(w.thread(w.ben, first.ThreadID), first.PostID)
				if len(pv.Reactions) != len(app.BoardReactions) || pv.Reactions[0].Kind != "thinking_of_you" || pv.Reactions[0].Count != 2 || !pv.Reactions[0].Mine {
					t.Fatalf("%+v", pv.Reactions)
				}
				if err := w.a.React(w.ctx, w.ben, w.g.Slug, first.PostID, "thinking_of_you", false); err != nil {
					t.Fatal(err)
				}
				pv = findPost(w.thread(w.ben, first.ThreadID), first.PostID)
				if pv.Reactions[0].Count != 1 || pv.Reactions[0].Mine {
					t.Fatalf("%+v", pv.Reactions)
				}
			})
			t.Run("threads page by 50 posts and a post's link names its page", func(t *testing.T) {
				long := w.start(w.fac, "Our week", "Post here how your week went.")
				var last *app.Posted
				for i := 0; i < 50; i++ {
					last = w.reply(w.fac, long.ThreadID, "Reply "+strconv.Itoa(i))
				}
				tv := w.thread(w.ben, long.ThreadID)
				if tv.Pages != 2 || len(tv.Posts) != 50 || tv.Posts[0].ID != long.PostID {
					t.Fatalf("page 1: %d pages, %d posts", tv.Pages, len(tv.Posts))
				}
				tv, err := w.a.Thread(w.ctx, w.ben, w.g.Slug, long.ThreadID, 2)
				if err != nil || len(tv.Posts) != 1 || tv.Posts[0].ID != last.PostID {
					t.Fatalf("page 2: %+v %v", tv, err)
				}
				link, err := w.a.BoardPostLink(w.ctx, last.PostID)
				if want := "/groups/" + w.g.Slug + "/board/" + i64(long.ThreadID) + "?page=2#post-" + i64(last.PostID); err != nil || link != want {
					t.Fatalf("%q %v, want %q", link, err, want)
				}
				if err := w.a.DeletePost(w.ctx, w.fac, w.g.Slug, long.PostID); err != nil {
					t.Fatal(err)
				}
			})
			var spanish *app.Posted
			t.Run("search finds stemmed words in English and Spanish, inside this board only", func(t *testing.T) {
				spanish = w.start(w.ben, "Cuidar cansa", "Estoy muy cansada de cuidar a mi madre.")
				v := w.board(w.fac, "cansado")
				if ids := threadIDs(v); len(ids) != 1 || ids[0] != spanish.ThreadID {
					t.Fatalf("cansado: %v", ids)
				}
				v = w.board(w.fac, "walk")
				if ids := threadIDs(v); len(ids) != 1 || ids[0] != first.ThreadID || v.Q != "walk" {
					t.Fatalf("walk: %v", ids)
				}
				if v := w.board(w.fac, "MADRE cuidando"); v.Total != 1 {
					t.Fatalf("two words: %v", threadIDs(v))
				}
				if v := w.board(w.fac, "walk madre"); v.Total != 0 {
					t.Fatalf("every word must match: %v", threadIDs(v))
				}
				other, err := w.a.StartThread(w.ctx, w.other, w.listed.Slug, app.PostInput{Title: "Cansados", Body: "Otro grupo"})
				if err != nil {
					t.Fatal(err)
				}
				if v := w.board(w.fac, "cansado"); v.Total != 1 || v.Threads[0].ID == other.ThreadID {
					t.Fatalf("another group's thread found: %v", threadIDs(v))
				}
			})
			t.Run("a hidden post is a placeholder with its reason, labels show, and search never finds it", func(t *testing.T) {
				s := hearth.Subject{Kind: hearth.SubjectPost, ID: spanish.PostID}
				_, err := w.a.Report(w.ctx, w.outsider, app.ReportRequest{ReportInput: hearth.ReportInput{Subject: s, Reason: hearth.ReasonSpam}})
				wantKind(t, err, hearth.NotFound, "")
				if _, err := w.a.Report(w.ctx, w.ana, app.ReportRequest{ReportInput: hearth.ReportInput{Subject: s, Reason: hearth.ReasonSpam}}); err != nil {
					t.Fatal(err)
				}
				rp, err := w.a.ReportedPost(w.ctx, w.fac, spanish.PostID)
				if err != nil || rp.Body != "Estoy muy cansada de cuidar a mi madre." || rp.Author != "Ben" || rp.Link != app.BoardPostPath(w.g.Slug, spanish.PostID) {
					t.Fatalf("%+v %v", rp, err)
				}
				if _, err := w.a.ReportedPost(w.ctx, w.ana, spanish.PostID); hearth.ErrorKind(err) != hearth.NotFound {
					t.Fatalf("a member opens a post as a moderator: %v", err)
				}
				if _, err := w.a.Moderate(w.ctx, w.fac, w.g.Slug, s, hearth.ActionInput{Kind: hearth.ActionHide, Reason: hearth.ActionReason("spam")}); err != nil {
					t.Fatal(err)
				}
				pv := findPost(w.thread(w.ana, spanish.ThreadID), spanish.PostID)
				if !pv.Hidden || pv.HiddenReason != "spam" || pv.Body != "" || pv.Title != "" {
					t.Fatalf("%+v", pv)
				}
				th := findThread(w.board(w.ana, ""), spanish.ThreadID)
				if !th.Hidden || th.Title != "" || th.HiddenReason != "spam" {
					t.Fatalf("%+v", th)
				}
				if v := w.board(w.ana, "cansado"); v.Total != 0 {
					t.Fatalf("search finds a hidden post: %v", threadIDs(v))
				}
				_, err = w.a.Report(w.ctx, w.ana, app.ReportRequest{ReportInput: hearth.ReportInput{Subject: s, Reason: hearth.ReasonHarassment}})
				wantKind(t, err, hearth.NotFound, "")
				ls := hearth.Subject{Kind: hearth.SubjectPost, ID: first.PostID}
				if _, err := w.a.Moderate(w.ctx, w.fac, w.g.Slug, ls, hearth.ActionInput{Kind: hearth.ActionLabel, Reason: hearth.ActionReasonMisinformation,
					LabelURL: "https://www.who.int/health-topics"}); err != nil {
					t.Fatal(err)
				}
				pv = findPost(w.thread(w.ben, first.ThreadID), first.PostID)
				if pv.Label == nil || pv.Label.URL != "https://www.who.int/health-topics" || pv.Hidden {
					t.Fatalf("%+v", pv)
				}
			})
			t.Run("deleted: gone from every view and search at once, purged after the group's days", func(t *testing.T) {
				_, err := w.a.Post(w.ctx, w.ben, w.g.Slug, first.PostID)
				if err != nil {
					t.Fatal(err)
				}
				wantKind(t, w.a.DeletePost(w.ctx, w.fac, w.g.Slug, first.PostID), hearth.Forbidden, "not_yours")
				before, _ := w.db.BoardPostCount(w.ctx, w.g.ID)
				if err := w.a.DeletePost(w.ctx, w.ana, w.g.Slug, first.PostID); err != nil {
					t.Fatal(err)
				}
				for _, who := range []hearth.Actor{w.ana, w.ben, w.fac} {
					if findThread(w.board(who, ""), first.ThreadID) != nil {
						t.Fatal("a deleted thread is listed")
					}
					if v := w.board(who, "walk"); v.Total != 0 {
						t.Fatal("a deleted thread is found")
					}
					if _, err := w.a.Thread(w.ctx, who, w.g.Slug, first.ThreadID, 1); hearth.ErrorKind(err) != hearth.NotFound {
						t.Fatalf("a deleted thread opens: %v", err)
					}
				}
				// A reply alone.
				r := w.reply(w.ben, warned.ThreadID, "Thinking of you.")
				if err := w.a.DeletePost(w.ctx, w.ben, w.g.Slug, r.PostID); err != nil {
					t.Fatal(err)
				}
				if findPost(w.thread(w.fac, warned.ThreadID), r.PostID) != nil {
					t.Fatal("a deleted reply shows")
				}
				if _, err := w.a.Post(w.ctx, w.ben, w.g.Slug, r.PostID); hearth.ErrorKind(err) != hearth.NotFound {
					t.Fatalf("a deleted reply opens: %v", err)
				}
				if err := w.a.SweepBoards(w.ctx); err != nil {
					t.Fatal(err)
				}
				if n, _ := w.db.BoardPostCount(w.ctx, w.g.ID); n != before+1 {
					t.Fatalf("purged before the group's 30 days: %d → %d", before+1, n)
				}
				w.clock.Add(30*24*time.Hour + time.Minute)
				if err := w.a.SweepBoards(w.ctx); err != nil {
					t.Fatal(err)
				}
				// The deleted thread's 4 posts (the first, Ben's two replies,
				// Ana's), Ben's deleted reply and the long thread deleted
				// before (51 posts) are gone.
				if n, _ := w.db.BoardPostCount(w.ctx, w.g.ID); n != before-4-51 {
					t.Fatalf("after the purge: %d → %d", before, n)
				}
				if _, err := w.a.BoardPostLink(w.ctx, first.PostID); hearth.ErrorKind(err) != hearth.NotFound {
					t.Fatalf("a purged post has a link: %v", err)
				}
			})
		})
	}
}
