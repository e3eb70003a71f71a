package web

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/app"
	"github.com/hearth-org/hearth/internal/sqldb"
	"github.com/hearth-org/hearth/internal/sqldb/sqldbtest"
)

// The group board's authorization walk (issue 6 §4): every board route,
// page and API, as anonymous, an outsider, an applicant, a removed member,
// a banned one, a member of another group, an alumnus (without and with alumni read), a
// member and a facilitator, in a listed and in a private group. Each must
// see exactly what it should: refusals are 401 (anonymous), 404 (a private
// group) or 403/404 (a listed one) and carry no title or word of the board.

// isBoardRoute reports whether a route belongs to the group boards (walked
// here rather than in authz_test.go).
func isBoardRoute(r Route) bool {
	return strings.Contains(r.Path, "/board") || strings.HasSuffix(r.Path, "/content-warnings")
}

// Who a board route is for.
const (
	needRead  = "read"  // the board's readers (alumni too, where the group allows it)
	needWrite = "write" // active members and facilitators
	needLead  = "lead"  // the group's facilitators
	needOwn   = "own"   // the post's writer
	needSelf  = "self"  // one's own account (content-warning choices)
	needLive  = "live"  // the live hint's socket: readers only, refused before any upgrade
)

// boardNeeds classifies every board route; the walk fails on one it does
// not know.
var boardNeeds = map[string]string{
	"GET /groups/{slug}/board":                                         needRead,
	"POST /groups/{slug}/board":                                        needWrite,
	"GET /groups/{slug}/board/new":                                     needRead,
	"GET /groups/{slug}/board/settings":                                needLead,
	"POST /groups/{slug}/board/settings":                               needLead,
	"GET /groups/{slug}/board/{thread}":                                needRead,
	"POST /groups/{slug}/board/{thread}/replies":                       needWrite,
	"GET /groups/{slug}/board/posts/{post}":                            needRead,
	"GET /groups/{slug}/board/posts/{post}/edit":                       needOwn,
	"POST /groups/{slug}/board/posts/{post}/edit":                      needOwn,
	"GET /groups/{slug}/board/posts/{post}/delete":                     needOwn,
	"POST /groups/{slug}/board/posts/{post}/delete":                    needOwn,
	"POST /groups/{slug}/board/posts/{post}/reactions":                 needWrite,
	"GET /groups/{slug}/board/posts/{post}/history":                    needLead,
	"POST /groups/{slug}/board/posts/{post}/approve":                   needLead,
	"POST /groups/{slug}/board/posts/{post}/moderate":                  needLead,
	"GET /groups/{slug}/board/posts/{post}/report":                     needRead,
	"POST /groups/{slug}/board/posts/{post}/report":                    needRead,
	"GET /groups/{slug}/board/live":                                    needLive,
	"GET /account/content-warnings":                                    needSelf,
	"POST /account/content-warnings":                                   needSelf,
	"GET /api/v1/groups/{slug}/board":                                  needRead,
	"POST /api/v1/groups/{slug}/board/threads":                         needWrite,
	"GET /api/v1/groups/{slug}/board/threads/{thread}":                 needRead,
	"POST /api/v1/groups/{slug}/board/threads/{thread}/replies":        needWrite,
	"GET /api/v1/groups/{slug}/board/posts/{post}":                     needRead,
	"PUT /api/v1/groups/{slug}/board/posts/{post}":                     needOwn,
	"DELETE /api/v1/groups/{slug}/board/posts/{post}":                  needOwn,
	"PUT /api/v1/groups/{slug}/board/posts/{post}/reactions/{kind}":    needWrite,
	"DELETE /api/v1/groups/{slug}/board/posts/{post}/reactions/{kind}": needWrite,
	"GET /api/v1/groups/{slug}/board/posts/{post}/history":             needLead,
	"POST /api/v1/groups/{slug}/board/posts/{post}/approve":            needLead,
	"GET /api/v1/groups/{slug}/board/settings":                         needLead,
	"PUT /api/v1/groups/{slug}/board/settings":                         needLead,
	"GET /api/v1/account/content-warnings":                             needSelf,
	"PUT /api/v1/account/content-warnings":                             needSelf,
}

// boardForms are valid page forms, so a refusal is a permission check.
var boardForms = map[string]url.Values{
	"POST /groups/{slug}/board":                        {"title": {"A walker's thread"}, "body": {"Walking by."}},
	"POST /groups/{slug}/board/settings":               {"allow_anonymous": {"yes"}, "alumni_read": {"yes"}, "deleted_days": {"5"}},
	"POST /groups/{slug}/board/{thread}/replies":       {"body": {"A walker's reply."}},
	"POST /groups/{slug}/board/posts/{post}/edit":      {"body": {"Edited by a walker."}},
	"POST /groups/{slug}/board/posts/{post}/delete":    {},
	"POST /groups/{slug}/board/posts/{post}/reactions": {"kind": {"me_too"}, "on": {"1"}},
	"POST /groups/{slug}/board/posts/{post}/approve":   {},
	"POST /groups/{slug}/board/posts/{post}/moderate":  {"kind": {"label"}, "reason": {"misinformation"}, "label_url": {"https://example.org/facts"}},
	"POST /groups/{slug}/board/posts/{post}/report":    {"reason": {"spam"}},
}

// boardJSONBodies are valid API bodies.
var boardJSONBodies = map[string]any{
	"POST /api/v1/groups/{slug}/board/threads":                  map[string]any{"title": "A walker's thread", "body": "Walking by."},
	"POST /api/v1/groups/{slug}/board/threads/{thread}/replies": map[string]any{"body": "A walker's reply."},
	"PUT /api/v1/groups/{slug}/board/posts/{post}":              map[string]any{"body": "Edited by a walker."},
	"PUT /api/v1/groups/{slug}/board/settings":                  map[string]any{"allow_anonymous": true, "alumni_read": true, "deleted_days": 5},
}

// boardWalkSite is a closed group whose first cohort has ended (its
// member is an alumnus), with a second cohort running, and people in
// every relation to it.
type boardWalkSite struct {
	ts                        *testServer
	clk                       *testClock
	slug, name                string
	fac                       hearth.Actor
	tokens                    map[string]string // person → token
	handles                   map[string]string
	cohortThread, laterThread int64
	memberReply               int64
	secrets                   []string // words of the board nobody outside may read
}

const (
	cohortTitle = "Cohort-thread-title-xq"
	cohortBody  = "Cohort-thread-body-xq"
	laterTitle  = "Later-thread-title-xq"
	laterBody   = "Later-thread-body-xq"
	replyBody   = "Member-reply-body-xq"
)

func newBoardWalkSite(t *testing.T, engine sqldb.Engine, private bool) *boardWalkSite {
	t.Helper()
	ctx := context.Background()
	start := time.Now().UTC().Truncate(time.Hour)
	clk := &testClock{t: start}
	ts := newClockedServer(t, engine, clk)
	later := func() { clk.Set(clk.Now().Add(time.Hour)) }
	site := hearth.Actor{SiteAdmin: true}
	admin := ts.Token(t, ts.SiteAdmin(t, "walk-admin"))
	s := &boardWalkSite{ts: ts, clk: clk, slug: "caregivers-cohort", name: "Caregivers Cohort Walk", tokens: map[string]string{}, handles: map[string]string{}}
	ts.call(t, "POST", "/api/v1/organizations", admin, map[string]any{"slug": "walk-org", "name": "Walk Org"}).wantStatus(t, 201)
	g := groupBody(s.slug, s.name)
	g["format"], g["policy"] = "online", "closed"
	g["location"] = map[string]any{"city": "Austin", "country": "US", "time_zone": "America/Chicago"}
	delete(g, "venue_notes")
	g["enrollment"] = map[string]any{"cap": 5, "sessions": 4, "opens": start.AddDate(0, 0, -2).Format(time.DateOnly),
		"closes": start.AddDate(0, 0, 20).Format(time.DateOnly), "starts": start.AddDate(0, 0, 30).Format(time.DateOnly)}
	ts.call(t, "POST", "/api/v1/organizations/walk-org/groups", admin, g).wantStatus(t, 201)
	other := groupBody("other-circle", "Other Circle")
	ts.call(t, "POST", "/api/v1/organizations/walk-org/groups", admin, other).wantStatus(t, 201)

	person := func(key string) hearth.Actor {
		h := "walk-" + key
		u := ts.SignUp(t, h, "")
		s.handles[key], s.tokens[key] = h, ts.Token(t, u)
		return ts.Actor(t, s.tokens[key])
	}
	person("facilitator")
	if err := ts.App.AppointFacilitator(ctx, site, s.slug, "walk-facilitator", "Marisol", ""); err != nil {
		t.Fatal(err)
	}
	s.fac = ts.Actor(t, s.tokens["facilitator"])
	if _, err := ts.App.SetModerationSettings(ctx, s.fac, s.slug, hearth.ModerationSettings{NewMemberDays: 0, NewMemberPostsPerHour: 120, PostsPerHour: 120}); err != nil {
		t.Fatal(err)
	}
	apply := func(key string) int64 {
		a := person(key)
		if _, err := ts.App.Apply(ctx, a, s.slug, app.ApplyRequest{JoinRequest: app.JoinRequest{Pseudonym: "P-" + key, AcceptGuidelines: true}, CommitSessions: true}); err != nil {
			t.Fatalf("%s applies: %v", key, err)
		}
		v, err := ts.App.MyMembership(ctx, a, s.slug)
		if err != nil {
			t.Fatal(err)
		}
		return v.Membership.ID
	}
	approve := func(id int64) {
		if _, err := ts.App.Approve(ctx, s.fac, s.slug, id, app.Decision{}); err != nil {
			t.Fatalf("approve %d: %v", id, err)
		}
	}
	// Cohort 1: the alumnus, and the thread of their time.
	approve(apply("alumnus"))
	later()
	p, err := ts.App.StartThread(ctx, s.fac, s.slug, app.PostInput{Title: cohortTitle, Body: cohortBody})
	if err != nil {
		t.Fatalf("cohort thread: %v", err)
	}
	s.cohortThread = p.ThreadID
	later()
	cohorts, err := ts.App.Cohorts(ctx, s.fac, s.slug)
	if err != nil || len(cohorts) == 0 {
		t.Fatalf("cohorts: %v", err)
	}
	if err := ts.App.EndCohort(ctx, s.fac, s.slug, cohorts[len(cohorts)-1].ID); err != nil {
		t.Fatalf("end cohort: %v", err)
	}
	later()
	// Cohort 2: a member, a removed member, an applicant.
	now := clk.Now()
	// It starts ten days after cohort 1 (whose start is a date in the
	// group's time zone, Chicago): at +30 days, like cohort 1, it fell on
	// the same local date — refused — when the test ran between midnight
	// and six in the morning UTC.
	if err := ts.App.CreateCohort(ctx, s.fac, s.slug, &hearth.Cohort{Cap: 5, Sessions: 4, Opens: now.AddDate(0, 0, -1),
		Closes: now.AddDate(0, 0, 20), Starts: now.AddDate(0, 0, 40)}); err != nil {
		t.Fatalf("cohort 2: %v", err)
	}
	approve(apply("member"))
	removed := apply("removed")
	approve(removed)
	if err := ts.App.RemoveMember(ctx, s.fac, s.slug, removed, "Walk removal", false); err != nil {
		t.Fatal(err)
	}
	banned := apply("banned")
	approve(banned)
	if err := ts.App.RemoveMember(ctx, s.fac, s.slug, banned, "Walk ban", true); err != nil {
		t.Fatal(err)
	}
	apply("applicant")
	person("outsider")
	o := person("other")
	if _, err := ts.App.JoinGroup(ctx, o, "other-circle", "Otra", true); err != nil {
		t.Fatal(err)
	}
	later()
	member := ts.Actor(t, s.tokens["member"])
	p, err = ts.App.StartThread(ctx, member, s.slug, app.PostInput{Title: laterTitle, Body: laterBody})
	if err != nil {
		t.Fatalf("later thread: %v", err)
	}
	s.laterThread = p.ThreadID
	p, err = ts.App.Reply(ctx, member, s.slug, s.cohortThread, app.PostInput{Body: replyBody})
	if err != nil {
		t.Fatalf("member's reply: %v", err)
	}
	s.memberReply = p.PostID
	s.secrets = []string{cohortTitle, cohortBody, laterTitle, laterBody, replyBody}
	if private {
		v, err := ts.App.Group(ctx, site, s.slug)
		if err != nil {
			t.Fatal(err)
		}
		gg := *v.Group
		gg.Visibility = hearth.Private
		if err := ts.App.UpdateGroup(ctx, site, s.slug, &gg); err != nil {
			t.Fatalf("make the group private: %v", err)
		}
		s.secrets = append(s.secrets, s.name)
	}
	return s
}

// request sends one walk request as a person ("" for anonymous): a page
// through a browser session, an API call with the person's token.
func (s *boardWalkSite) request(t *testing.T, b *browser, who, key string) (int, string, string) {
	t.Helper()
	method, path, _ := strings.Cut(key, " ")
	fill := strings.NewReplacer("{slug}", s.slug, "{thread}", strconv.FormatInt(s.cohortThread, 10),
		"{post}", strconv.FormatInt(s.memberReply, 10), "{kind}", "me_too")
	target := fill.Replace(path)
	if !strings.HasPrefix(path, "/api/") {
		if b == nil {
			b = newBrowser(t, s.ts, "en")
		}
		form, ok := boardForms[key]
		if method == "POST" && !ok {
			form = url.Values{}
		}
		if method == "GET" {
			form = nil
		}
		st, body, h := b.do(method, target, form)
		return st, body, h.Get("Location")
	}
	var rd io.Reader
	if body, ok := boardJSONBodies[key]; ok {
		raw, _ := json.Marshal(body)
		rd = bytes.NewReader(raw)
	}
	req, _ := http.NewRequest(method, s.ts.URL+target, rd)
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if who != "" {
		req.Header.Set("Authorization", "Bearer "+s.tokens[who])
	}
	res, err := s.ts.Client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(raw), res.Header.Get("Location")
}

// permalinkKey is a post's permanent address: readers are sent on to the
// post in its thread.
const permalinkKey = "GET /groups/{slug}/board/posts/{post}"

// readOK checks a reader's answer to a GET: 200, or for the permalink a
// redirect to the post in its thread.
func (s *boardWalkSite) readOK(t *testing.T, key string, st int, loc, body string) {
	t.Helper()
	if key == permalinkKey {
		want := "/groups/" + s.slug + "/board/" + strconv.FormatInt(s.cohortThread, 10)
		if st != http.StatusSeeOther || !strings.HasPrefix(loc, want) || !strings.HasSuffix(loc, "#post-"+strconv.FormatInt(s.memberReply, 10)) {
			t.Errorf("got %d → %q, want a redirect to the post in %s", st, loc, want)
		}
		return
	}
	if st != http.StatusOK {
		t.Errorf("got %d, want 200: %.300s", st, body)
	}
}

// noSecrets fails when a refused answer carries any word of the board.
func (s *boardWalkSite) noSecrets(t *testing.T, body string) {
	t.Helper()
	for _, w := range s.secrets {
		if strings.Contains(body, w) {
			t.Errorf("the answer leaks %q:\n%.400s", w, body)
		}
	}
}

func TestBoardAuthorizationWalk(t *testing.T) {
	for _, engine := range sqldbtest.Engines() {
		for _, private := range []bool{false, true} {
			name := string(engine) + ", a listed group"
			if private {
				name = string(engine) + ", a private group"
			}
			t.Run(name, func(t *testing.T) { walkBoard(t, engine, private) })
		}
	}
}

func walkBoard(t *testing.T, engine sqldb.Engine, private bool) {
	s := newBoardWalkSite(t, engine, private)
	var keys []string
	for _, r := range s.ts.Server.Routes() {
		if !isBoardRoute(r) {
			continue
		}
		key := r.Method + " " + r.Path
		if _, ok := boardNeeds[key]; !ok {
			t.Errorf("board route %s is not classified in boardNeeds: add it to the walk", key)
			continue
		}
		keys = append(keys, key)
	}
	if len(keys) < 30 {
		t.Fatalf("only %d board routes in the table", len(keys))
	}
	refused := func(t *testing.T, st int, body string) {
		t.Helper()
		if private && st != http.StatusNotFound {
			t.Errorf("got %d, want 404 (a private group's board does not exist for them)", st)
		}
		if !private && st != http.StatusForbidden && st != http.StatusNotFound {
			t.Errorf("got %d, want 403 or 404", st)
		}
		s.noSecrets(t, body)
	}

	t.Run("anonymous", func(t *testing.T) {
		for _, key := range keys {
			t.Run(key, func(t *testing.T) {
				st, body, loc := s.request(t, nil, "", key)
				if strings.HasPrefix(key, "GET /") && !strings.HasPrefix(key, "GET /api/") && boardNeeds[key] != needLive {
					if st != http.StatusSeeOther || !strings.HasPrefix(loc, "/signin") {
						t.Errorf("got %d → %q, want a redirect to sign in", st, loc)
					}
				} else if st != http.StatusUnauthorized {
					t.Errorf("got %d, want 401", st)
				}
				s.noSecrets(t, body)
			})
		}
	})

	for _, who := range []string{"outsider", "applicant", "removed", "banned", "other", "alumnus"} {
		t.Run(who+" (alumni read off)", func(t *testing.T) {
			b := signedInBrowser(t, s.ts, s.handles[who], "en")
			if _, body := b.get("/groups/" + s.slug); strings.Contains(body, `id="board-link"`) {
				t.Error("the group page offers the board to someone who may not read it")
			}
			for _, key := range keys {
				if boardNeeds[key] == needSelf {
					continue
				}
				t.Run(key, func(t *testing.T) {
					st, body, _ := s.request(t, b, who, key)
					refused(t, st, body)
				})
			}
		})
	}

	t.Run("alumnus with alumni read", func(t *testing.T) {
		if _, err := s.ts.App.SetBoardSettings(context.Background(), s.fac, s.slug, app.BoardSettings{AlumniRead: true, DeletedDays: 30}); err != nil {
			t.Fatal(err)
		}
		defer s.ts.App.SetBoardSettings(context.Background(), s.fac, s.slug, app.BoardSettings{DeletedDays: 30})
		b := signedInBrowser(t, s.ts, s.handles["alumnus"], "en")
		// (A private group's page is not found by alumni: only its board
		// is theirs to read.)
		if st, body := b.get("/groups/" + s.slug); st == http.StatusOK && !strings.Contains(body, `id="board-link"`) {
			t.Error("the group page does not offer the board to an alumnus who may read it")
		}
		st, body := b.get("/groups/" + s.slug + "/board")
		if st != http.StatusOK || !strings.Contains(body, cohortTitle) {
			t.Errorf("the alumnus does not read their cohort's thread (%d):\n%.600s", st, body)
		}
		if strings.Contains(body, laterTitle) {
			t.Error("the alumnus sees a thread started after they left")
		}
		if st, body := b.get("/groups/" + s.slug + "/board/" + strconv.FormatInt(s.laterThread, 10)); st != http.StatusNotFound || strings.Contains(body, laterBody) {
			t.Errorf("the later thread answered the alumnus %d", st)
		}
		for _, key := range keys {
			need := boardNeeds[key]
			t.Run(key, func(t *testing.T) {
				st, body, loc := s.request(t, b, "alumnus", key)
				switch {
				case need == needRead && strings.HasPrefix(key, "GET "):
					s.readOK(t, key, st, loc, body)
					if strings.Contains(body, laterTitle) || strings.Contains(body, laterBody) {
						t.Error("a later thread leaks to the alumnus")
					}
				case need == needWrite || need == needLead || need == needOwn:
					if st != http.StatusForbidden && st != http.StatusNotFound {
						t.Errorf("got %d, want 403 or 404 (alumni only read)", st)
					}
				}
			})
		}
	})

	t.Run("member", func(t *testing.T) {
		b := signedInBrowser(t, s.ts, s.handles["member"], "en")
		st, body := b.get("/groups/" + s.slug + "/board")
		if st != http.StatusOK || !strings.Contains(body, cohortTitle) || !strings.Contains(body, laterTitle) {
			t.Errorf("the member's board (%d):\n%.600s", st, body)
		}
		for _, key := range keys {
			need := boardNeeds[key]
			method := key[:strings.Index(key, " ")]
			t.Run(key, func(t *testing.T) {
				switch {
				case need == needLead:
					st, body, _ := s.request(t, b, "member", key)
					if st != http.StatusForbidden && st != http.StatusNotFound {
						t.Errorf("got %d, want 403 or 404 (facilitators only)", st)
					}
					if strings.Contains(key, "history") && strings.Contains(body, "Edited by a walker") {
						t.Error("the edit history leaks to a member")
					}
				case (need == needRead || need == needOwn) && method == "GET":
					st, body, loc := s.request(t, b, "member", key)
					s.readOK(t, key, st, loc, body)
				case need == needWrite:
					st, body, _ := s.request(t, b, "member", key)
					if st != http.StatusSeeOther && st != http.StatusCreated && st != http.StatusNoContent {
						t.Errorf("got %d, want success: %.300s", st, body)
					}
				}
			})
		}
	})

	t.Run("facilitator", func(t *testing.T) {
		b := signedInBrowser(t, s.ts, s.handles["facilitator"], "en")
		for _, key := range keys {
			need := boardNeeds[key]
			if !strings.HasPrefix(key, "GET ") || (need != needRead && need != needLead) {
				continue
			}
			t.Run(key, func(t *testing.T) {
				st, body, loc := s.request(t, b, "facilitator", key)
				s.readOK(t, key, st, loc, body)
			})
		}
		// Own-post routes are the writer's alone, even for a facilitator.
		for _, key := range []string{"GET /groups/{slug}/board/posts/{post}/edit", "POST /groups/{slug}/board/posts/{post}/edit",
			"POST /groups/{slug}/board/posts/{post}/delete", "PUT /api/v1/groups/{slug}/board/posts/{post}", "DELETE /api/v1/groups/{slug}/board/posts/{post}"} {
			if st, _, _ := s.request(t, b, "facilitator", key); st != http.StatusForbidden {
				t.Errorf("%s by a facilitator on a member's post: %d, want 403", key, st)
			}
		}
		v, err := s.ts.App.Post(context.Background(), s.fac, s.slug, s.memberReply)
		if err != nil || v.Body != replyBody {
			t.Errorf("the member's post changed: %v %+v", err, v)
		}
	})
}
