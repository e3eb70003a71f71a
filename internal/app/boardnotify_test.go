package app

import (
	"context"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/i18n"
	"github.com/hearth-org/hearth/internal/mail"
	"github.com/hearth-org/hearth/internal/password"
	"github.com/hearth-org/hearth/internal/sqldb"
	"github.com/hearth-org/hearth/internal/sqldb/sqldbtest"
	"github.com/hearth-org/hearth/internal/vault"
)

// boardClock is a clock tests move by hand.
type boardClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *boardClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *boardClock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// boardFixture is a group with people in it, and posts written straight
// into the board tables with boardPosted called in the same transaction
// (as boards.go does).
type boardFixture struct {
	t     *testing.T
	a     *App
	clock *boardClock
	g     *hearth.Group
	ctx   context.Context
}

func newBoardFixture(t *testing.T, e sqldb.Engine) *boardFixture {
	t.Helper()
	clock := &boardClock{t: time.Date(2026, 11, 24, 15, 0, 0, 0, time.UTC)}
	db := sqldbtest.Open(t, e, sqldbtest.Options{Now: clock.now})
	v, _, err := vault.OpenFile(context.Background(), db, filepath.Join(t.TempDir(), "master.key"), true, vault.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s, err := mail.ParseSMTPURL("smtp://127.0.0.1:2525?from=hearth@example.org")
	if err != nil {
		t.Fatal(err)
	}
	a, err := New(Config{DB: db, Vault: v, Now: clock.now, BaseURL: "https://hearth.example.org",
		PasswordParams: password.Params{Memory: 1024, Time: 1, Threads: 1}, Mailer: mail.NewWorker(mail.WorkerConfig{DB: db, SMTP: s})})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if ok, err := a.LoadDemo(ctx); !ok || err != nil {
		t.Fatalf("demo: %v %v", ok, err)
	}
	g, err := a.db.GroupBySlug(ctx, "gamblers-in-recovery-houston")
	if err != nil {
		t.Fatal(err)
	}
	return &boardFixture{t: t, a: a, clock: clock, g: g, ctx: ctx}
}

// person makes an account with an email and a membership of the group.
func (f *boardFixture) person(handle, pseudonym string, role hearth.Role, status hearth.MembershipStatus) *hearth.User {
	f.t.Helper()
	u, _, err := f.a.CreateUser(f.ctx, handle, handle+"@example.org", "a long enough password", false)
	if err != nil {
		f.t.Fatal(err)
	}
	m := &hearth.Membership{GroupID: f.g.ID, UserID: u.ID, Role: role, Status: status, Pseudonym: pseudonym}
	if err := f.a.db.CreateMembership(f.ctx, m); err != nil {
		f.t.Fatal(err)
	}
	return u
}

type postOpts struct {
	anonymous, announcement, held bool
	text                          string
}

// post writes a post (a new thread when thread is 0) and tells people, in
// one transaction; it returns the thread and the post.
func (f *boardFixture) post(author *hearth.User, thread int64, o postOpts) (int64, int64) {
	f.t.Helper()
	var postID int64
	err := f.a.db.InTx(f.ctx, func(tx *sqldb.Tx) error {
		now := f.clock.now()
		if thread == 0 {
			th := &sqldb.BoardThread{GroupID: f.g.ID, AuthorID: author.ID, Announcement: o.announcement, CreatedAt: now, LastActivity: now}
			if err := tx.InsertBoardThread(f.ctx, th); err != nil {
				return err
			}
			thread = th.ID
		}
		held := ""
		if o.held {
			held = "approval"
		}
		p := &sqldb.BoardPost{ThreadID: thread, GroupID: f.g.ID, AuthorID: author.ID, Pseudonym: "x", Anonymous: o.anonymous, Held: held, CreatedAt: now}
		if err := tx.InsertBoardPost(f.ctx, p); err != nil {
			return err
		}
		postID = p.ID
		return f.a.boardPosted(f.ctx, tx, BoardEvent{GroupID: f.g.ID, Slug: f.g.Slug, ThreadID: thread, PostID: p.ID, AuthorID: author.ID,
			Anonymous: o.anonymous, Announcement: o.announcement, Held: o.held, Text: o.text})
	})
	if err != nil {
		f.t.Fatal(err)
	}
	return thread, postID
}

// approve shows a held post and tells people, as ApprovePost does.
func (f *boardFixture) approve(author *hearth.User, thread, post int64, text string) {
	f.t.Helper()
	err := f.a.db.InTx(f.ctx, func(tx *sqldb.Tx) error {
		if _, err := tx.ApproveBoardPost(f.ctx, post); err != nil {
			return err
		}
		return f.a.boardPosted(f.ctx, tx, BoardEvent{GroupID: f.g.ID, ThreadID: thread, PostID: post, AuthorID: author.ID, Text: text})
	})
	if err != nil {
		f.t.Fatal(err)
	}
}

// notices lists a person's notices about a post ("" kind: none).
func (f *boardFixture) noticeOf(u *hearth.User, post int64) []StoredNotice {
	f.t.Helper()
	list, err := f.a.db.Notices(f.ctx, u.ID, 0, 1000)
	if err != nil {
		f.t.Fatal(err)
	}
	var out []StoredNotice
	for _, n := range list {
		if n.Key == "board:post:"+strconv.FormatInt(post, 10) {
			out = append(out, n)
		}
	}
	return out
}

// kindOf is the kind of the one notice a person has about a post, "" for
// none (and fails on two).
func (f *boardFixture) kindOf(u *hearth.User, post int64) string {
	f.t.Helper()
	ns := f.noticeOf(u, post)
	switch len(ns) {
	case 0:
		return ""
	case 1:
		return ns[0].Kind
	}
	f.t.Fatalf("%s has %d notices about post %d", u.Handle, len(ns), post)
	return ""
}

func TestBoardNotices(t *testing.T) {
	for _, engine := range sqldbtest.Engines() {
		t.Run(string(engine), func(t *testing.T) {
			f := newBoardFixture(t, engine)
			ana := f.person("ana", "Ana Lucía", hearth.RoleMember, hearth.StatusActive)
			ben := f.person("ben", "BenW", hearth.RoleMember, hearth.StatusActive)
			cal := f.person("cal", "Cal", hearth.RoleMember, hearth.StatusActive)
			cala := f.person("cala", "Cala Verde", hearth.RoleMember, hearth.StatusActive)
			fac := f.person("fac", "Facilitator Fran", hearth.RoleFacilitator, hearth.StatusActive)
			applicant := f.person("dee", "Dee", hearth.RoleMember, hearth.StatusApplicant)
			alum := f.person("eli", "Eli", hearth.RoleMember, hearth.StatusAlumni)
			everyone := []*hearth.User{ana, ben, cal, cala, fac, applicant, alum}
			link := func(thread, post int64) string {
				return "/groups/" + f.g.Slug + "/board/posts/" + strconv.FormatInt(post, 10)
			}
			want := func(t *testing.T, post int64, kinds map[*hearth.User]string) {
				t.Helper()
				for _, u := range everyone {
					if got := f.kindOf(u, post); got != kinds[u] {
						t.Errorf("%s: notice %q, want %q", u.Handle, got, kinds[u])
					}
				}
			}

			var thread int64
			t.Run("a new thread tells nobody; a reply tells the thread's earlier writers, never the writer", func(t *testing.T) {
				var first int64
				thread, first = f.post(ana, 0, postOpts{text: "A hard week"})
				want(t, first, nil)
				_, r1 := f.post(ben, thread, postOpts{text: "I hear you"})
				want(t, r1, map[*hearth.User]string{ana: NoticeBoardReply})
				_, r2 := f.post(cal, thread, postOpts{text: "Same here"})
				want(t, r2, map[*hearth.User]string{ana: NoticeBoardReply, ben: NoticeBoardReply})
				n := f.noticeOf(ana, r2)[0]
				if n.Link != link(thread, r2) || n.GroupID != f.g.ID || n.GroupName != f.g.Name {
					t.Errorf("notice %+v", n)
				}
				_, r3 := f.post(ana, thread, postOpts{text: "Thank you both"})
				want(t, r3, map[*hearth.User]string{ben: NoticeBoardReply, cal: NoticeBoardReply})
			})

			t.Run("a mention tells an active member by pseudonym, any case, longest name first; not the writer, not a non-member", func(t *testing.T) {
				_, p := f.post(ben, 0, postOpts{text: "Thanks @ana lucía and @CALA  verde, also @benw and @Dee and @Eli and x@cal.org and @Calamity"})
				want(t, p, map[*hearth.User]string{ana: NoticeBoardMention, cala: NoticeBoardMention})
			})

			t.Run("a mention of someone who also follows the thread tells them once, as a mention", func(t *testing.T) {
				_, p := f.post(cal, thread, postOpts{text: "@BenW exactly"})
				want(t, p, map[*hearth.User]string{ana: NoticeBoardReply, ben: NoticeBoardMention})
			})

			t.Run("a post mentions at most ten people", func(t *testing.T) {
				var many []*hearth.User
				var text strings.Builder
				for i := range 12 {
					u := f.person("many"+strconv.Itoa(i), "Many "+strconv.Itoa(i), hearth.RoleMember, hearth.StatusActive)
					many = append(many, u)
					text.WriteString("@Many " + strconv.Itoa(i) + " ")
				}
				_, p := f.post(ana, 0, postOpts{text: text.String()})
				told := 0
				for _, u := range many {
					if f.kindOf(u, p) == NoticeBoardMention {
						told++
					}
				}
				if told != maxMentions {
					t.Errorf("%d people told, want %d", told, maxMentions)
				}
			})

			t.Run("a facilitator's announcement tells every active member except the writer", func(t *testing.T) {
				_, p := f.post(fac, 0, postOpts{announcement: true, text: "Meeting moves to the big room"})
				want(t, p, map[*hearth.User]string{ana: NoticeBoardAnnouncement, ben: NoticeBoardAnnouncement, cal: NoticeBoardAnnouncement,
					cala: NoticeBoardAnnouncement})
			})

			t.Run("an anonymous post's notices are exactly those of a named one: nothing says who wrote it", func(t *testing.T) {
				th, _ := f.post(ben, 0, postOpts{text: "start"})
				_, named := f.post(cal, th, postOpts{text: "@Ana Lucía hello"})
				_, anon := f.post(cal, th, postOpts{anonymous: true, text: "@Ana Lucía hello"})
				cat, err := i18n.Load()
				if err != nil {
					t.Fatal(err)
				}
				for _, u := range []*hearth.User{ana, ben} {
					a, b := f.noticeOf(u, named), f.noticeOf(u, anon)
					if len(a) != 1 || len(b) != 1 {
						t.Fatalf("%s: %d and %d notices", u.Handle, len(a), len(b))
					}
					x, y := a[0], b[0]
					if x.Kind != y.Kind || x.GroupID != y.GroupID || x.Link != link(th, named) || y.Link != link(th, anon) {
						t.Errorf("named %+v, anonymous %+v", x, y)
					}
					for _, lang := range []string{"en", "es"} {
						text := cat.Locale(lang).T("notice."+y.Kind, "group", y.GroupName) + y.Link + y.Key
						for _, leak := range []string{"Cal"} {
							if strings.Contains(text, leak) {
								t.Errorf("%s's notice of an anonymous post says %q: %s", u.Handle, leak, text)
							}
						}
					}
				}
				if got := f.kindOf(cal, anon); got != "" {
					t.Errorf("the anonymous writer was told of their own post: %s", got)
				}
			})

			t.Run("a held post tells nobody until approved, then once", func(t *testing.T) {
				th, _ := f.post(ana, 0, postOpts{text: "start"})
				rings := 0
				f.a.SetBoardRinger(func(group, thread, post int64) { rings++ })
				defer f.a.SetBoardRinger(nil)
				_, p := f.post(ben, th, postOpts{held: true, text: "@Cal look"})
				want(t, p, nil)
				if rings != 0 {
					t.Errorf("a held post rang %d times", rings)
				}
				f.approve(ben, th, p, "@Cal look")
				want(t, p, map[*hearth.User]string{ana: NoticeBoardReply, cal: NoticeBoardMention})
				f.approve(ben, th, p, "@Cal look") // told twice: nobody hears twice
				want(t, p, map[*hearth.User]string{ana: NoticeBoardReply, cal: NoticeBoardMention})
				if rings != 2 {
					t.Errorf("rang %d times, want once per approval", rings)
				}
			})

			t.Run("nothing reaches across a block, either way", func(t *testing.T) {
				err := f.a.db.InTx(f.ctx, func(tx *sqldb.Tx) error {
					return tx.AddBlock(f.ctx, hearth.Block{GroupID: f.g.ID, BlockerID: ben.ID, BlockedID: cala.ID, CreatedAt: f.clock.now()})
				})
				if err != nil {
					t.Fatal(err)
				}
				th, _ := f.post(ben, 0, postOpts{text: "start"})
				_, p := f.post(cala, th, postOpts{text: "@BenW hi"})
				want(t, p, nil)
				_, q := f.post(ben, th, postOpts{text: "@Cala Verde hi"})
				want(t, q, nil)
			})

			t.Run("board notices send no email of their own", func(t *testing.T) {
				sent, err := f.a.db.MailTo(f.ctx, ana.ID, 100)
				if err != nil || len(sent) != 0 {
					t.Fatalf("%d emails, %v", len(sent), err)
				}
			})

			t.Run("a deleted post's notice becomes a placeholder; a shown one keeps its link", func(t *testing.T) {
				th, _ := f.post(ana, 0, postOpts{text: "start"})
				_, keep := f.post(ben, th, postOpts{text: "stays"})
				_, gone := f.post(cal, th, postOpts{text: "goes"})
				err := f.a.db.InTx(f.ctx, func(tx *sqldb.Tx) error { return tx.DeleteBoardPost(f.ctx, gone, f.clock.now()) })
				if err != nil {
					t.Fatal(err)
				}
				list, _, err := f.a.MyNotices(f.ctx, hearth.Actor{UserID: ana.ID}, 0)
				if err != nil {
					t.Fatal(err)
				}
				states, err := f.a.BoardNoticesGone(f.ctx, hearth.Actor{UserID: ana.ID}, list)
				if err != nil {
					t.Fatal(err)
				}
				k, g := f.noticeOf(ana, keep)[0], f.noticeOf(ana, gone)[0]
				if states[k.ID] || !states[g.ID] {
					t.Errorf("kept %v, gone %v", states[k.ID], states[g.ID])
				}
			})
		})
	}
}

func TestBoardRingsAfterCommitOnly(t *testing.T) {
	f := newBoardFixture(t, sqldb.SQLite)
	ana := f.person("ana", "Ana", hearth.RoleMember, hearth.StatusActive)
	var rings [][3]int64
	f.a.SetBoardRinger(func(group, thread, post int64) { rings = append(rings, [3]int64{group, thread, post}) })
	thread, post := f.post(ana, 0, postOpts{text: "hello"})
	if !slices.Equal(rings, [][3]int64{{f.g.ID, thread, post}}) {
		t.Fatalf("rings %v", rings)
	}
	err := f.a.db.InTx(f.ctx, func(tx *sqldb.Tx) error {
		if err := f.a.boardPosted(f.ctx, tx, BoardEvent{GroupID: f.g.ID, ThreadID: thread, PostID: post, AuthorID: ana.ID}); err != nil {
			return err
		}
		return hearth.Errorf(hearth.Invalid, "rolled back")
	})
	if err == nil || len(rings) != 1 {
		t.Fatalf("a rolled back post rang: %v %v", err, rings)
	}
}

func TestBoardDigest(t *testing.T) {
	for _, engine := range sqldbtest.Engines() {
		t.Run(string(engine), func(t *testing.T) {
			f := newBoardFixture(t, engine)
			const words = "Zq-pastillas-secret-words"
			ana := f.person("ana", "Ana Zq-pseudo", hearth.RoleMember, hearth.StatusActive)
			ben := f.person("ben", "Ben Zq-pseudo", hearth.RoleMember, hearth.StatusActive)
			cal := f.person("cal", "Cal Zq-pseudo", hearth.RoleMember, hearth.StatusActive)
			fac := f.person("fac", "Fran Zq-pseudo", hearth.RoleFacilitator, hearth.StatusActive)
			actor := func(u *hearth.User) hearth.Actor { return hearth.Actor{UserID: u.ID, Handle: u.Handle} }
			if err := f.a.db.SetPreferences(f.ctx, cal.ID, "es", "Europe/Madrid"); err != nil {
				t.Fatal(err)
			}
			digests := func(u *hearth.User) []sqldb.OutboxMail {
				t.Helper()
				sent, err := f.a.db.MailTo(f.ctx, u.ID, 100)
				if err != nil {
					t.Fatal(err)
				}
				var out []sqldb.OutboxMail
				for _, m := range sent {
					if m.Kind == mail.BoardDigest {
						out = append(out, m)
					}
				}
				return out
			}
			send := func() {
				t.Helper()
				if err := f.a.SendBoardDigests(f.ctx); err != nil {
					t.Fatal(err)
				}
			}

			t.Run("off until chosen", func(t *testing.T) {
				st, err := f.a.MyReminders(f.ctx, actor(ana))
				if err != nil || st.BoardDigest || !st.Before24h || !st.Before1h {
					t.Fatalf("%+v %v", st, err)
				}
				st, err = f.a.SetMyBoardDigest(f.ctx, actor(ana), true)
				if err != nil || !st.BoardDigest || !st.Before24h || !st.Before1h {
					t.Fatalf("%+v %v", st, err)
				}
				if _, err := f.a.SetMyBoardDigest(f.ctx, actor(cal), true); err != nil {
					t.Fatal(err)
				}
				// Saving reminders keeps the digest choice.
				st, err = f.a.SetMyReminders(f.ctx, actor(ana), ReminderPrefs{Before24h: false, Before1h: true})
				if err != nil || !st.BoardDigest || st.Before24h {
					t.Fatalf("%+v %v", st, err)
				}
				if _, err := f.a.SetMyBoardDigest(f.ctx, hearth.Actor{}, true); hearth.ErrorKind(err) != hearth.Unauthorized {
					t.Fatalf("nobody signed in: %v", err)
				}
			})

			th, _ := f.post(ana, 0, postOpts{text: words})
			t.Run("nothing waits: no email", func(t *testing.T) {
				send()
				if d := digests(ana); len(d) != 0 {
					t.Fatalf("%d digests", len(d))
				}
			})

			f.post(ben, th, postOpts{text: words + " @ana Zq-pseudo"}) // a mention of a follower: one notice
			f.post(cal, th, postOpts{text: words})
			f.post(fac, 0, postOpts{announcement: true, text: words})
			f.post(ana, th, postOpts{text: "@Cal Zq-pseudo " + words})
			t.Run("one email counts what waits, names no group and quotes nobody", func(t *testing.T) {
				send()
				send() // a second run, or another process, sends nothing more
				d := digests(ana)
				if len(d) != 1 {
					t.Fatalf("%d digests", len(d))
				}
				m := d[0]
				if !strings.Contains(m.Body, "You have 1 new reply, 1 mention and 1 announcement on Hearth.") ||
					!strings.Contains(m.Body, "https://hearth.example.org/notices") || m.To != "ana@example.org" {
					t.Errorf("digest:\n%s\n%s", m.Subject, m.Body)
				}
				es := digests(cal)
				if len(es) != 1 || !strings.Contains(es[0].Body, "Tienes 1 mención y 1 anuncio en Hearth.") {
					t.Errorf("Spanish digest: %+v", es)
				}
				for _, m := range append(d, es...) {
					text := strings.ToLower(m.Subject + "\n" + m.Body)
					for _, leak := range []string{f.g.Name, f.g.Slug, "gamblers", "houston", "zq-", "/groups/", "/board"} {
						if strings.Contains(text, strings.ToLower(leak)) {
							t.Errorf("the digest says %q:\n%s\n%s", leak, m.Subject, m.Body)
						}
					}
				}
				if d := digests(ben); len(d) != 0 {
					t.Errorf("ben never chose the digest and got %d", len(d))
				}
			})

			t.Run("at most one a day, counting only what came since", func(t *testing.T) {
				f.clock.add(23 * time.Hour)
				f.post(ben, th, postOpts{text: words})
				send()
				if d := digests(ana); len(d) != 1 {
					t.Fatalf("%d digests within a day", len(d))
				}
				f.clock.add(time.Hour)
				send()
				d := digests(ana)
				if len(d) != 2 || !strings.Contains(d[0].Body, "You have 1 new reply on Hearth.") {
					t.Fatalf("%d digests: %+v", len(d), d)
				}
				f.clock.add(25 * time.Hour)
				send()
				if d := digests(ana); len(d) != 2 {
					t.Errorf("a digest with nothing new: %d", len(d))
				}
			})

			t.Run("read notices are not counted; turning it off stops it", func(t *testing.T) {
				f.clock.add(25 * time.Hour)
				f.post(ben, th, postOpts{text: words})
				if _, err := f.a.MarkNoticesRead(f.ctx, actor(ana), 0); err != nil {
					t.Fatal(err)
				}
				f.post(cal, th, postOpts{text: words})
				calBefore := len(digests(cal))
				if _, err := f.a.SetMyBoardDigest(f.ctx, actor(cal), false); err != nil {
					t.Fatal(err)
				}
				f.post(ana, th, postOpts{text: words})
				send()
				d := digests(ana)
				if len(d) != 3 || !strings.Contains(d[0].Body, "You have 1 new reply on Hearth.") {
					t.Errorf("%d digests: %+v", len(d), d[0].Body)
				}
				if d := digests(cal); len(d) != calBefore {
					t.Errorf("cal turned it off and got %d more", len(d)-calBefore)
				}
			})
		})
	}
}

func TestMentioned(t *testing.T) {
	readers := []sqldb.BoardReader{{UserID: 1, Pseudonym: "Ana"}, {UserID: 2, Pseudonym: "Ana María"}, {UserID: 3, Pseudonym: "Émile"},
		{UserID: 4, Pseudonym: "Writer"}, {UserID: 5, Pseudonym: "bo_b"}}
	for _, tc := range []struct {
		text string
		want []int64
	}{
		{"hi @ana", []int64{1}},
		{"hi @ANA MARÍA!", []int64{2}},
		{"@ana\n\nmaría", []int64{2}},
		{"@anam", nil},
		{"mail ana@example.org", nil},
		{"@émile, @Writer", []int64{3}},
		{"@bo_b and @bo", []int64{5}},
		{"@ana @ana @Ana", []int64{1}},
		{"no at sign", nil},
		{"@", nil},
	} {
		if got := mentioned(tc.text, readers, 4); !slices.Equal(got, tc.want) {
			t.Errorf("%q: %v, want %v", tc.text, got, tc.want)
		}
	}
}

func TestBoardLivePass(t *testing.T) {
	for _, engine := range sqldbtest.Engines() {
		t.Run(string(engine), func(t *testing.T) {
			f := newBoardFixture(t, engine)
			ana := f.person("ana", "Ana", hearth.RoleMember, hearth.StatusActive)
			t0 := f.clock.now()
			before, _ := f.post(ana, 0, postOpts{}) // before the alumna joined
			f.clock.add(2 * time.Hour)
			during, _ := f.post(ana, 0, postOpts{}) // in her time
			f.clock.add(2 * time.Hour)
			alum, _, err := f.a.CreateUser(f.ctx, "eli", "", "a long enough password", false)
			if err != nil {
				t.Fatal(err)
			}
			err = f.a.db.InTx(f.ctx, func(tx *sqldb.Tx) error {
				return tx.InsertMembership(f.ctx, &hearth.Membership{GroupID: f.g.ID, UserID: alum.ID, Role: hearth.RoleMember, Status: hearth.StatusAlumni,
					Pseudonym: "Eli", JoinedAt: t0.Add(time.Hour), StatusAt: t0.Add(3 * time.Hour)})
			})
			if err != nil {
				t.Fatal(err)
			}
			after, _ := f.post(ana, 0, postOpts{}) // after she left
			outsider, _, err := f.a.CreateUser(f.ctx, "out", "", "a long enough password", false)
			if err != nil {
				t.Fatal(err)
			}

			t.Run("a member hears of every thread", func(t *testing.T) {
				p, err := f.a.BoardLive(f.ctx, hearth.Actor{UserID: ana.ID}, f.g.Slug)
				if err != nil || p.GroupID != f.g.ID || !p.Hears(before) || !p.Hears(during) || !p.Hears(after) || !p.Hears(after+1) {
					t.Fatalf("%+v %v", p, err)
				}
			})
			t.Run("an outsider and, without alumni reading, an alumna get the board's answer", func(t *testing.T) {
				for _, u := range []*hearth.User{outsider, alum} {
					if _, err := f.a.BoardLive(f.ctx, hearth.Actor{UserID: u.ID}, f.g.Slug); hearth.ErrorKind(err) != hearth.Forbidden {
						t.Errorf("%s: %v", u.Handle, err)
					}
				}
				if _, err := f.a.BoardLive(f.ctx, hearth.Actor{}, f.g.Slug); hearth.ErrorKind(err) != hearth.Unauthorized {
					t.Errorf("nobody: %v", err)
				}
			})
			t.Run("an alumna who reads her time hears only of its threads", func(t *testing.T) {
				err := f.a.db.InTx(f.ctx, func(tx *sqldb.Tx) error {
					return tx.SetBoardSettings(f.ctx, f.g.ID, sqldb.BoardConfig{AlumniRead: true, DeletedDays: 30})
				})
				if err != nil {
					t.Fatal(err)
				}
				p, err := f.a.BoardLive(f.ctx, hearth.Actor{UserID: alum.ID}, f.g.Slug)
				if err != nil || p.Hears(before) || !p.Hears(during) || p.Hears(after) || p.Hears(after+1) {
					t.Fatalf("%+v %v", p, err)
				}
			})
		})
	}
}
