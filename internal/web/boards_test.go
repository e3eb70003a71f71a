package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/app"
	"github.com/hearth-org/hearth/internal/gazetteer"
	"github.com/hearth-org/hearth/internal/password"
	"github.com/hearth-org/hearth/internal/sqldb"
	"github.com/hearth-org/hearth/internal/sqldb/sqldbtest"
	"github.com/hearth-org/hearth/internal/vault"
)

// Acceptance tests of the group board through the real HTTP stack, on
// every engine: what members rely on when they talk between meetings.

// boardSite is an open online group with a facilitator (Marisol) and
// three members (Luz, Nube, Río), each with a signed-in browser.
type boardSite struct {
	ts      *testServer
	slug    string
	fac     hearth.Actor
	tokens  map[string]string
	browser map[string]*browser
}

func newBoardSite(t *testing.T, ts *testServer) *boardSite {
	t.Helper()
	ctx := context.Background()
	site := hearth.Actor{SiteAdmin: true}
	admin := ts.Token(t, ts.SiteAdmin(t, "board-admin"))
	s := &boardSite{ts: ts, slug: "caregivers-between", tokens: map[string]string{}, browser: map[string]*browser{}}
	ts.call(t, "POST", "/api/v1/organizations", admin, map[string]any{"slug": "board-org", "name": "Board Org"}).wantStatus(t, 201)
	g := groupBody(s.slug, "Caregivers Between Meetings")
	g["format"] = "online"
	g["location"] = map[string]any{"city": "Austin", "country": "US", "time_zone": "America/Chicago"}
	delete(g, "venue_notes")
	ts.call(t, "POST", "/api/v1/organizations/board-org/groups", admin, g).wantStatus(t, 201)
	for _, p := range []struct{ handle, name string }{{"marisol", "Marisol"}, {"luz", "Luz"}, {"nube", "Nube"}, {"rio", "Río"}} {
		u := ts.SignUp(t, p.handle, p.handle+"@example.org")
		s.tokens[p.handle] = ts.Token(t, u)
		if p.handle == "marisol" {
			if err := ts.App.AppointFacilitator(ctx, site, s.slug, p.handle, p.name, ""); err != nil {
				t.Fatal(err)
			}
		} else if _, err := ts.App.JoinGroup(ctx, ts.Actor(t, s.tokens[p.handle]), s.slug, p.name, true); err != nil {
			t.Fatal(err)
		}
		s.browser[p.handle] = signedInBrowser(t, ts, p.handle, "en")
	}
	s.fac = ts.Actor(t, s.tokens["marisol"])
	// A generous posting rate: these tests post more in a minute than people do.
	if _, err := ts.App.SetModerationSettings(ctx, s.fac, s.slug, hearth.ModerationSettings{NewMemberDays: 0, NewMemberPostsPerHour: 120, PostsPerHour: 120}); err != nil {
		t.Fatal(err)
	}
	return s
}

func (s *boardSite) board() string { return "/groups/" + s.slug + "/board" }

var postedThread = regexp.MustCompile(`/board/(\d+)#post-(\d+)$`)

// startThread posts the new-thread form as a person and returns the
// thread's address.
func (s *boardSite) startThread(t *testing.T, who string, form url.Values) string {
	t.Helper()
	st, body, h := s.browser[who].post(s.board(), form)
	if st != http.StatusSeeOther || !postedThread.MatchString(h.Get("Location")) {
		t.Fatalf("%s's new thread: %d %s\n%.800s", who, st, h.Get("Location"), body)
	}
	loc := h.Get("Location")
	return loc[:strings.Index(loc, "#")]
}

func (s *boardSite) threadCount(t *testing.T, who string) int {
	t.Helper()
	v, err := s.ts.App.Board(context.Background(), s.ts.Actor(t, s.tokens[who]), s.slug, app.BoardQuery{Page: 1})
	if err != nil {
		t.Fatal(err)
	}
	return v.Total
}

func TestBoardPostingAndReading(t *testing.T) {
	forEachEngine(t, func(t *testing.T, ts *testServer) {
		s := newBoardSite(t, ts)
		thread := s.startThread(t, "luz", url.Values{"title": {"Sleep after the diagnosis"}, "body": {"How do you **sleep** these days?"}})
		t.Run("another member reads it: new, then read", func(t *testing.T) {
			st, body := s.browser["nube"].get(s.board())
			if st != 200 || !strings.Contains(body, "Sleep after the diagnosis") || !strings.Contains(body, "Luz") {
				t.Fatalf("Nube's board (%d):\n%s", st, body)
			}
			if !strings.Contains(body, `class="badge ok">New<`) {
				t.Error("the thread is not marked new for Nube")
			}
			st, body = s.browser["nube"].get(thread)
			if st != 200 || !strings.Contains(body, "<strong>sleep</strong>") {
				t.Fatalf("Nube's thread page (%d):\n%s", st, body)
			}
			if !strings.Contains(body, `id="reply-form"`) {
				t.Error("no reply form at the end of the thread")
			}
			if _, body := s.browser["nube"].get(s.board()); strings.Contains(body, `class="badge ok">New<`) {
				t.Error("the thread is still new after reading it")
			}
		})
		t.Run("a reply shows in the thread and as unread", func(t *testing.T) {
			st, _, h := s.browser["nube"].post(thread+"/replies", url.Values{"body": {"Badly, but a walk helps."}})
			if st != http.StatusSeeOther {
				t.Fatalf("reply: %d", st)
			}
			if _, body := s.browser["nube"].get(h.Get("Location")); !strings.Contains(body, "a walk helps") {
				t.Error("the reply is not on the thread page")
			}
			if _, body := s.browser["rio"].get(s.board()); !strings.Contains(body, "New") {
				t.Errorf("Río's board does not mark the thread:\n%s", body)
			}
			if _, body := s.browser["luz"].get(s.board()); !strings.Contains(body, "1 new") {
				t.Errorf("Luz's board does not say 1 new:\n%s", body)
			}
		})
		t.Run("the board searches only itself", func(t *testing.T) {
			if _, body := s.browser["rio"].get(s.board() + "?q=sleep"); !strings.Contains(body, "Sleep after the diagnosis") {
				t.Errorf("search does not find the thread:\n%s", body)
			}
			if _, body := s.browser["rio"].get(s.board() + "?q=zebra"); strings.Contains(body, "Sleep after the diagnosis") {
				t.Error("search for another word still lists the thread")
			}
		})
		t.Run("the API returns Markdown and HTML", func(t *testing.T) {
			id := strings.TrimPrefix(thread, s.board()+"/")
			res := ts.call(t, "GET", "/api/v1/groups/"+s.slug+"/board/threads/"+id, s.tokens["rio"], nil)
			res.wantStatus(t, 200)
			first := jsonObj(res.list("posts")[0])
			if first["body"] != "How do you **sleep** these days?" || !strings.Contains(first["html"].(string), "<strong>sleep</strong>") {
				t.Errorf("first post: %v", first)
			}
		})
		t.Run("the group page links members to the board; the account page to the warning choices", func(t *testing.T) {
			if _, body := s.browser["nube"].get("/groups/" + s.slug); !strings.Contains(body, `id="board-link" class="button-link" href="/groups/`+s.slug+`/board"`) {
				t.Errorf("no board link for a member:\n%s", body)
			}
			if _, body := newBrowser(t, ts, "en").get("/groups/" + s.slug); strings.Contains(body, `id="board-link"`) {
				t.Error("a visitor gets a board link")
			}
			if _, body := s.browser["marisol"].get("/groups/" + s.slug); !strings.Contains(body, `id="board-settings-link"`) {
				t.Error("no board settings link for the facilitator on the group page")
			}
			if _, body := s.browser["nube"].get("/groups/" + s.slug); strings.Contains(body, `id="board-settings-link"`) {
				t.Error("a member gets the board settings link")
			}
			if _, body := s.browser["nube"].get("/account"); !strings.Contains(body, `href="/account/content-warnings"`) {
				t.Error("the account page does not link to the content-warning choices")
			}
		})
		t.Run("in Spanish", func(t *testing.T) {
			b := signedInBrowser(t, ts, "rio", "es")
			if _, body := b.get(s.board()); !strings.Contains(body, "Empezar una conversación") {
				t.Errorf("the board is not in Spanish:\n%s", body)
			}
		})
	})
}

func TestBoardContentWarningsPerReader(t *testing.T) {
	forEachEngine(t, func(t *testing.T, ts *testServer) {
		s := newBoardSite(t, ts)
		const title, words = "The anniversary is coming", "Some days I still think about hurting myself."
		thread := s.startThread(t, "luz", url.Values{"title": {title}, "body": {words}, "warning": {"self_harm"}})
		// Nube keeps the default (collapse), Río hides self-harm, Marisol shows it.
		if st, _, _ := s.browser["rio"].post("/account/content-warnings", url.Values{"self_harm": {"hide"}}); st != http.StatusSeeOther {
			t.Fatalf("Río's choice: %d", st)
		}
		if st, _, _ := s.browser["marisol"].post("/account/content-warnings", url.Values{"self_harm": {"show"}}); st != http.StatusSeeOther {
			t.Fatalf("Marisol's choice: %d", st)
		}
		if _, body := s.browser["rio"].get("/account/content-warnings"); !strings.Contains(body, `id="self_harm-hide" name="self_harm" value="hide" checked`) {
			t.Errorf("Río's choice is not shown:\n%s", body)
		}

		t.Run("collapsed (the default): the warning, not the title; the post behind a closed details", func(t *testing.T) {
			_, body := s.browser["nube"].get(s.board())
			if strings.Contains(body, title) || !strings.Contains(body, "A thread with a content warning: Self-harm") {
				t.Errorf("Nube's board:\n%s", body)
			}
			_, body = s.browser["nube"].get(thread)
			if !strings.Contains(body, `<details class="post-warning">`) || !strings.Contains(body, "<summary>Content warning: Self-harm</summary>") {
				t.Errorf("Nube's thread page does not collapse the post:\n%s", body)
			}
		})
		t.Run("shown: open", func(t *testing.T) {
			_, body := s.browser["marisol"].get(s.board())
			if !strings.Contains(body, title) {
				t.Errorf("Marisol's board hides the title:\n%s", body)
			}
			_, body = s.browser["marisol"].get(thread)
			if !strings.Contains(body, `<details class="post-warning" open>`) || !strings.Contains(body, "hurting myself") {
				t.Errorf("Marisol's thread page does not show the post open:\n%s", body)
			}
		})
		t.Run("hidden: gone from the list; one line with a link to the settings", func(t *testing.T) {
			_, body := s.browser["rio"].get(s.board())
			if strings.Contains(body, title) || strings.Contains(body, "Self-harm") {
				t.Errorf("Río's board still lists the thread:\n%s", body)
			}
			st, body := s.browser["rio"].get(thread)
			if st != http.StatusOK || (strings.Contains(body, "hurting myself") || !strings.Contains(body, "A post with a content warning you chose to hide") ||
				!strings.Contains(body, `href="/account/content-warnings"`)) {
				t.Errorf("Río's thread page (%d):\n%s", st, body)
			}
			if strings.Contains(body, `id="react-`) {
				t.Error("Río is offered reactions to a post she chose not to see")
			}
		})
		t.Run("the writer always sees their own post", func(t *testing.T) {
			s.browser["luz"].post("/account/content-warnings", url.Values{"self_harm": {"hide"}})
			if _, body := s.browser["luz"].get(s.board()); !strings.Contains(body, "thread-") {
				t.Errorf("Luz's own thread left her board:\n%s", body)
			}
			if _, body := s.browser["luz"].get(thread); !strings.Contains(body, "hurting myself") {
				t.Errorf("Luz cannot read her own post:\n%s", body)
			}
			if _, body := s.browser["luz"].get(thread); !strings.Contains(body, `<h1 id="thread-title">`+title+`</h1>`) {
				t.Errorf("Luz's own thread hides its title from her:\n%s", body)
			}
		})
	})
}

func TestBoardAnonymousPosts(t *testing.T) {
	forEachEngine(t, func(t *testing.T, ts *testServer) {
		s := newBoardSite(t, ts)
		t.Run("refused where the group does not allow it", func(t *testing.T) {
			before := s.threadCount(t, "luz")
			st, body, _ := s.browser["luz"].post(s.board(), url.Values{"title": {"Quietly"}, "body": {"Just me."}, "anonymous": {"yes"}})
			if st != http.StatusForbidden || s.threadCount(t, "luz") != before {
				t.Errorf("anonymous post in a group that does not allow it: %d\n%.500s", st, body)
			}
			if _, body := s.browser["luz"].get(s.board() + "/new"); strings.Contains(body, `name="anonymous"`) {
				t.Error("the form offers anonymity the group does not allow")
			}
		})
		for _, bad := range []string{"200", "soon"} {
			st, body, _ := s.browser["marisol"].post(s.board()+"/settings", url.Values{"allow_anonymous": {"yes"}, "deleted_days": {bad}})
			if st != http.StatusBadRequest || !strings.Contains(body, `id="deleted_days-errors"`) || !strings.Contains(body, `value="`+bad+`"`) {
				t.Errorf("deleted_days=%s: %d\n%s", bad, st, body)
			}
		}
		if st, _, _ := s.browser["nube"].post(s.board()+"/settings", url.Values{"allow_anonymous": {"yes"}, "deleted_days": {"30"}}); st != http.StatusForbidden {
			t.Errorf("a member changes the board settings: %d", st)
		}
		if st, _, _ := s.browser["marisol"].post(s.board()+"/settings", url.Values{"allow_anonymous": {"yes"}, "deleted_days": {"30"}}); st != http.StatusSeeOther {
			t.Fatalf("Marisol allows anonymous posts: %d", st)
		}
		t.Run("the form explains before posting who still sees it", func(t *testing.T) {
			_, body := s.browser["luz"].get(s.board() + "/new")
			if !strings.Contains(body, `name="anonymous"`) || !strings.Contains(text(body), "the group's facilitators can still see it was you") {
				t.Errorf("the new-thread form:\n%s", body)
			}
		})
		thread := s.startThread(t, "luz", url.Values{"title": {"Something I can't say with my name"}, "body": {"I am so tired of caring alone."}, "anonymous": {"yes"}})
		t.Run("members see 'a member'", func(t *testing.T) {
			for _, who := range []string{"nube", "rio"} {
				_, body := s.browser[who].get(thread)
				if strings.Contains(body, "Luz") || !strings.Contains(body, "A member") {
					t.Errorf("%s sees the writer:\n%s", who, body)
				}
				_, body = s.browser[who].get(s.board())
				if strings.Contains(body, "Luz") {
					t.Errorf("%s's board names the writer", who)
				}
			}
			id := strings.TrimPrefix(thread, s.board()+"/")
			res := ts.call(t, "GET", "/api/v1/groups/"+s.slug+"/board/threads/"+id, s.tokens["nube"], nil)
			if first := jsonObj(res.list("posts")[0]); first["author"] != nil || first["author_membership_id"] != nil {
				t.Errorf("the API names the writer to a member: %v", first)
			}
		})
		t.Run("the facilitator sees who wrote it", func(t *testing.T) {
			_, body := s.browser["marisol"].get(thread)
			if !strings.Contains(body, "<strong>Luz</strong>") || !strings.Contains(body, "Anonymous to members") {
				t.Errorf("Marisol's thread page:\n%s", body)
			}
		})
	})
}

func TestBoardCrisisPostReachesAFacilitator(t *testing.T) {
	forEachEngine(t, func(t *testing.T, ts *testServer) {
		s := newBoardSite(t, ts)
		if _, err := ts.App.SetBoardSettings(context.Background(), s.fac, s.slug, app.BoardSettings{AllowAnonymous: true, DeletedDays: 30}); err != nil {
			t.Fatal(err)
		}
		thread := s.startThread(t, "luz", url.Values{"title": {"Tonight"}, "body": {"I want to kill myself tonight. I can't do this anymore."}, "anonymous": {"yes"}})
		t.Run("the writer sees the support panel on the next page, once", func(t *testing.T) {
			_, body := s.browser["luz"].get(thread)
			if !strings.Contains(body, `id="crisis-panel"`) || !strings.Contains(body, `href="/account/safety-plan"`) {
				t.Fatalf("no support panel after a crisis post:\n%s", body)
			}
			if _, body := s.browser["luz"].get(thread); strings.Contains(body, `id="crisis-panel"`) {
				t.Error("the panel shows again on the next visit")
			}
		})
		t.Run("an alert reaches the facilitator, naming no words", func(t *testing.T) {
			res := ts.call(t, "GET", "/api/v1/safety/escalations", s.tokens["marisol"], nil)
			res.wantStatus(t, 200)
			if len(res.list("escalations")) == 0 {
				t.Fatalf("no alert for the facilitator: %s", res.Body)
			}
			if strings.Contains(string(res.Body), "kill myself") {
				t.Error("the alert carries the words")
			}
			link, _ := jsonObj(jsonObj(res.list("escalations")[0])["writing"])["link"].(string)
			if !strings.HasPrefix(link, s.board()+"/posts/") {
				t.Fatalf("the alert's link: %q", link)
			}
			st, _, h := s.browser["marisol"].do("GET", link, nil)
			if st != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), thread) || !strings.Contains(h.Get("Location"), "#post-") {
				t.Fatalf("the alert's link leads to %d %q", st, h.Get("Location"))
			}
			if _, body := s.browser["marisol"].get(h.Get("Location")); !strings.Contains(body, "<strong>Luz</strong>") {
				t.Error("the facilitator cannot see who wrote the anonymous crisis post")
			}
			if st, _ := s.browser["nube"].get(link); st != http.StatusSeeOther {
				t.Errorf("a member reading the board follows the permalink: %d", st)
			}
			if st, body := newBrowser(t, ts, "en").get(link); st != http.StatusSeeOther || strings.Contains(body, "kill myself") {
				t.Errorf("a visitor on the permalink: %d", st)
			}
		})
		t.Run("the API carries help too", func(t *testing.T) {
			id := strings.TrimPrefix(thread, s.board()+"/")
			res := ts.call(t, "POST", "/api/v1/groups/"+s.slug+"/board/threads/"+id+"/replies", s.tokens["luz"], map[string]any{"body": "I have the pills ready and I am going to end my life tonight."})
			res.wantStatus(t, 201)
			if jsonObj(res.JSON["safety"])["crisis"] != true {
				t.Errorf("no help in the answer: %s", res.Body)
			}
		})
	})
}

func TestBoardBadInput(t *testing.T) {
	forEachEngine(t, func(t *testing.T, ts *testServer) {
		s := newBoardSite(t, ts)
		t.Run("a script tag and a javascript: link render harmless", func(t *testing.T) {
			thread := s.startThread(t, "luz", url.Values{"title": {"<script>alert('t')</script>"},
				"body": {"<script>alert('x')</script>\n\n[click me](javascript:alert('y')) <img src=x onerror=alert(1)>"}})
			for _, who := range []string{"nube", "marisol"} {
				_, body := s.browser[who].get(thread)
				if strings.Contains(body, "<script>alert") || strings.Contains(body, "javascript:") || strings.Contains(body, "onerror=alert") && !strings.Contains(body, "&lt;img") {
					t.Errorf("%s's page runs what Luz wrote:\n%s", who, body)
				}
				if !strings.Contains(body, "click me") {
					t.Errorf("the link text is gone:\n%s", body)
				}
			}
			_, body := s.browser["nube"].get(s.board())
			if strings.Contains(body, "<script>alert('t')") {
				t.Error("the title runs as HTML on the board")
			}
		})
		t.Run("a 2 MB post is refused and nothing is stored", func(t *testing.T) {
			before := s.threadCount(t, "luz")
			huge := strings.Repeat("a", 2<<20)
			st, body, _ := s.browser["luz"].post(s.board(), url.Values{"title": {"Too much"}, "body": {huge}})
			if st != http.StatusRequestEntityTooLarge || !strings.Contains(body, "too long") || !strings.Contains(body, `id="thread-form"`) {
				t.Errorf("the page's answer: %d\n%.1000s", st, body)
			}
			res := ts.call(t, "POST", "/api/v1/groups/"+s.slug+"/board/threads", s.tokens["luz"], map[string]any{"title": "Too much", "body": huge})
			res.wantError(t, 413)
			over := strings.Repeat("b", 20001)
			st, body, _ = s.browser["luz"].post(s.board(), url.Values{"title": {"Just over"}, "body": {over}})
			if st != http.StatusBadRequest || !strings.Contains(body, `aria-invalid="true"`) || !strings.Contains(body, "Just over") {
				t.Errorf("a body just over the limit: %d\n%.1000s", st, body)
			}
			if got := s.threadCount(t, "luz"); got != before {
				t.Errorf("%d threads stored", got-before)
			}
		})
		t.Run("a form error keeps what the member wrote", func(t *testing.T) {
			st, body, _ := s.browser["luz"].post(s.board(), url.Values{"title": {""}, "body": {"My words, kept."}, "warning": {"other"}})
			if st != http.StatusBadRequest || !strings.Contains(body, "My words, kept.") || !strings.Contains(body, `id="form-errors"`) {
				t.Errorf("%d\n%.1500s", st, body)
			}
		})
		t.Run("a reply to a thread in a group one left is refused", func(t *testing.T) {
			thread := s.startThread(t, "nube", url.Values{"title": {"Before I go"}, "body": {"Thank you all."}})
			id, _ := strconv.ParseInt(strings.TrimPrefix(thread, s.board()+"/"), 10, 64)
			if err := ts.App.Leave(context.Background(), ts.Actor(t, s.tokens["rio"]), s.slug); err != nil {
				t.Fatal(err)
			}
			st, body, _ := s.browser["rio"].post(thread+"/replies", url.Values{"body": {"Still here?"}})
			if st != http.StatusForbidden && st != http.StatusNotFound {
				t.Errorf("a reply after leaving: %d", st)
			}
			if strings.Contains(body, "Thank you all.") {
				t.Error("the refusal shows the thread")
			}
			ts.call(t, "POST", "/api/v1/groups/"+s.slug+"/board/threads/"+strconv.FormatInt(id, 10)+"/replies", s.tokens["rio"], map[string]any{"body": "Still here?"}).wantError(t, 403)
			v, err := ts.App.Thread(context.Background(), s.fac, s.slug, id, 1)
			if err != nil || len(v.Posts) != 1 {
				t.Errorf("the thread has %d posts: %v", len(v.Posts), err)
			}
		})
	})
}

func TestBoardOwnPostsReactionsAndFacilitators(t *testing.T) {
	forEachEngine(t, func(t *testing.T, ts *testServer) {
		s := newBoardSite(t, ts)
		thread := s.startThread(t, "luz", url.Values{"title": {"What helped this week"}, "body": {"A friend brought soup."}})
		st, _, h := s.browser["nube"].post(thread+"/replies", url.Values{"body": {"Soup is love."}})
		if st != http.StatusSeeOther {
			t.Fatal(st)
		}
		reply := postedThread.FindStringSubmatch(h.Get("Location"))[2]
		postPage := s.board() + "/posts/" + reply
		t.Run("a reaction: one small form, counted, pressed for me", func(t *testing.T) {
			if st, _, _ := s.browser["luz"].post(postPage+"/reactions", url.Values{"kind": {"thank_you"}, "on": {"1"}}); st != http.StatusSeeOther {
				t.Fatalf("react: %d", st)
			}
			_, body := s.browser["luz"].get(thread)
			if !strings.Contains(body, `id="react-`+reply+`-thank_you" aria-pressed="true"><span>Thank you (1)</span>`) {
				t.Errorf("Luz's reaction:\n%s", body)
			}
			_, body = s.browser["rio"].get(thread)
			if !strings.Contains(body, `id="react-`+reply+`-thank_you" aria-pressed="false"><span>Thank you (1)</span>`) {
				t.Errorf("Río's view of the reaction:\n%s", body)
			}
		})
		t.Run("edit one's own post; the facilitator sees the history, members do not", func(t *testing.T) {
			if st, _ := s.browser["luz"].get(postPage + "/edit"); st != http.StatusForbidden {
				t.Errorf("Luz edits Nube's post: %d", st)
			}
			st, body := s.browser["nube"].get(postPage + "/edit")
			if st != 200 || !strings.Contains(body, "Soup is love.") {
				t.Fatalf("Nube's edit form: %d", st)
			}
			if st, _, _ := s.browser["nube"].post(postPage+"/edit", url.Values{"body": {"Soup is love, truly."}}); st != http.StatusSeeOther {
				t.Fatalf("edit: %d", st)
			}
			if _, body := s.browser["rio"].get(thread); !strings.Contains(body, "Soup is love, truly.") {
				t.Error("the edit does not show")
			}
			if st, _ := s.browser["rio"].get(postPage + "/history"); st != http.StatusForbidden && st != http.StatusNotFound {
				t.Errorf("a member reads the history: %d", st)
			}
			if st, body := s.browser["marisol"].get(postPage + "/history"); st != 200 || !strings.Contains(body, "Soup is love.") {
				t.Errorf("Marisol's history (%d):\n%s", st, body)
			}
		})
		t.Run("a facilitator labels a post as an unverified health claim: the label shows on it", func(t *testing.T) {
			if st, body, _ := s.browser["marisol"].post(postPage+"/moderate", url.Values{"kind": {"label"}, "reason": {"misinformation"}}); st != http.StatusBadRequest || !strings.Contains(body, `id="moderate-`+reply+`" open`) {
				t.Errorf("a label without its link: %d", st)
			}
			if st, _, _ := s.browser["marisol"].post(postPage+"/moderate", url.Values{"kind": {"label"}, "reason": {"misinformation"}, "label_url": {"https://www.nih.gov/health-information"}}); st != http.StatusSeeOther {
				t.Fatalf("label: %d", st)
			}
			_, body := s.browser["rio"].get(thread)
			if !strings.Contains(body, `id="post-`+reply+`-label"`) || !strings.Contains(body, `href="https://www.nih.gov/health-information"`) {
				t.Errorf("Río does not see the label:\n%s", body)
			}
		})
		t.Run("a facilitator hides a post: a placeholder with the reason", func(t *testing.T) {
			if st, _, _ := s.browser["marisol"].post(postPage+"/moderate", url.Values{"kind": {"hide"}, "reason": {"guidelines"}}); st != http.StatusSeeOther {
				t.Fatalf("hide: %d", st)
			}
			_, body := s.browser["rio"].get(thread)
			if strings.Contains(body, "Soup is love") || !strings.Contains(text(body), "A facilitator hid this post. Reason: It goes against the group's guidelines") {
				t.Errorf("Río's view of the hidden post:\n%s", body)
			}
		})
		t.Run("a member reports a post; the facilitators' queue has it", func(t *testing.T) {
			v, err := ts.App.Thread(context.Background(), s.fac, s.slug, mustID(t, postedThreadID(t, thread)), 1)
			if err != nil {
				t.Fatal(err)
			}
			report := s.board() + "/posts/" + strconv.FormatInt(v.Posts[0].ID, 10) + "/report"
			if st, body := s.browser["rio"].get(report); st != 200 || !strings.Contains(body, `id="report"`) {
				t.Fatalf("report form: %d", st)
			}
			if st, body, _ := s.browser["rio"].post(report, url.Values{}); st != http.StatusBadRequest || !strings.Contains(body, `id="form-errors"`) {
				t.Errorf("a report without a reason: %d", st)
			}
			if st, _, _ := s.browser["rio"].post(report, url.Values{"reason": {"misinformation"}}); st != http.StatusSeeOther {
				t.Fatalf("report: %d", st)
			}
			res := ts.call(t, "GET", "/api/v1/groups/"+s.slug+"/reports", s.tokens["marisol"], nil)
			res.wantStatus(t, 200)
			found := false
			for _, r := range res.list("reports") {
				sub := jsonObj(jsonObj(r)["subject"])
				found = found || (sub["kind"] == "post" && sub["id"] == float64(v.Posts[0].ID))
			}
			if !found {
				t.Errorf("the report is not in the queue: %s", res.Body)
			}
		})
		t.Run("delete one's own post after a confirmation page", func(t *testing.T) {
			mine := s.startThread(t, "rio", url.Values{"title": {"Delete me"}, "body": {"Never mind."}})
			v, err := ts.App.Thread(context.Background(), s.fac, s.slug, mustID(t, strings.TrimPrefix(mine, s.board()+"/")), 1)
			if err != nil {
				t.Fatal(err)
			}
			del := s.board() + "/posts/" + strconv.FormatInt(v.Posts[0].ID, 10) + "/delete"
			if st, body := s.browser["rio"].get(del); st != 200 || !strings.Contains(body, `id="delete-form"`) {
				t.Fatalf("confirmation page: %d", st)
			}
			if st, _, _ := s.browser["rio"].post(del, url.Values{}); st != http.StatusSeeOther {
				t.Fatalf("delete: %d", st)
			}
			if _, body := s.browser["luz"].get(s.board()); strings.Contains(body, "Delete me") {
				t.Error("the deleted thread is still listed")
			}
		})
	})
}

// postedThreadID is the thread id of a thread's address.
func postedThreadID(t *testing.T, thread string) string {
	t.Helper()
	return thread[strings.LastIndex(thread, "/")+1:]
}

func mustID(t *testing.T, s string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestBoardAPI runs every board use case through the API; each answer is
// held to openapi.json by the test client.
func TestBoardAPI(t *testing.T) {
	forEachEngine(t, func(t *testing.T, ts *testServer) {
		s := newBoardSite(t, ts)
		base := "/api/v1/groups/" + s.slug + "/board"
		luz, nube, fac := s.tokens["luz"], s.tokens["nube"], s.tokens["marisol"]

		res := ts.call(t, "PUT", base+"/settings", fac, map[string]any{"allow_anonymous": true, "alumni_read": false, "deleted_days": 7})
		res.wantStatus(t, 200)
		ts.call(t, "PUT", base+"/settings", nube, map[string]any{"allow_anonymous": false, "alumni_read": false, "deleted_days": 7}).wantError(t, 403)
		ts.call(t, "PUT", base+"/settings", fac, map[string]any{"allow_anonymous": true}).wantError(t, 400, "alumni_read", "deleted_days")
		if res := ts.call(t, "GET", base+"/settings", fac, nil); res.JSON["deleted_days"] != 7.0 || res.JSON["allow_anonymous"] != true {
			t.Errorf("settings: %s", res.Body)
		}

		res = ts.call(t, "POST", base+"/threads", luz, map[string]any{"title": "Small wins", "body": "I *slept* six hours.", "warning": "my own words", "key": "k1"})
		res.wantStatus(t, 201)
		thread, post := int64(res.JSON["thread_id"].(float64)), int64(res.JSON["post_id"].(float64))
		again := ts.call(t, "POST", base+"/threads", luz, map[string]any{"title": "Small wins", "body": "I *slept* six hours.", "warning": "my own words", "key": "k1"})
		if again.Status != 201 || int64(again.JSON["post_id"].(float64)) != post {
			t.Errorf("the same key gave another post: %s", again.Body)
		}
		ts.call(t, "POST", base+"/threads", luz, map[string]any{"title": "", "body": ""}).wantError(t, 400, "title", "body")
		ts.call(t, "POST", base+"/threads", luz, map[string]any{"title": "x", "body": "y", "surprise": 1}).wantError(t, 400, "surprise")

		res = ts.call(t, "GET", base, nube, nil)
		res.wantStatus(t, 200)
		if len(res.list("threads")) != 1 || res.JSON["total"] != 1.0 {
			t.Errorf("board: %s", res.Body)
		}
		ts.call(t, "GET", base+"?page=0", nube, nil).wantError(t, 400, "page")

		tid := strconv.FormatInt(thread, 10)
		res = ts.call(t, "POST", base+"/threads/"+tid+"/replies", nube, map[string]any{"body": "Well done!"})
		res.wantStatus(t, 201)
		reply := strconv.FormatInt(int64(res.JSON["post_id"].(float64)), 10)
		pid := strconv.FormatInt(post, 10)

		ts.call(t, "PUT", base+"/posts/"+reply+"/reactions/me_too", luz, nil).wantStatus(t, 204)
		ts.call(t, "PUT", base+"/posts/"+reply+"/reactions/bravo", luz, nil).wantError(t, 404)
		res = ts.call(t, "GET", base+"/posts/"+reply, luz, nil)
		res.wantStatus(t, 200)
		for _, r := range res.list("reactions") {
			if r := jsonObj(r); r["kind"] == "me_too" && (r["count"] != 1.0 || r["mine"] != true) {
				t.Errorf("reaction: %v", r)
			}
		}
		ts.call(t, "DELETE", base+"/posts/"+reply+"/reactions/me_too", luz, nil).wantStatus(t, 204)

		ts.call(t, "PUT", base+"/posts/"+pid, nube, map[string]any{"body": "Not mine to change."}).wantError(t, 403)
		ts.call(t, "PUT", base+"/posts/"+pid, luz, map[string]any{"title": "Small wins, week 2", "body": "I slept seven hours.", "warning": "my own words"}).wantStatus(t, 200)
		ts.call(t, "GET", base+"/posts/"+pid+"/history", nube, nil).wantError(t, 403)
		res = ts.call(t, "GET", base+"/posts/"+pid+"/history", fac, nil)
		res.wantStatus(t, 200)
		if revs := res.list("revisions"); len(revs) != 1 || !strings.Contains(jsonObj(revs[0])["html"].(string), "<em>slept</em>") {
			t.Errorf("history: %s", res.Body)
		}
		ts.call(t, "POST", base+"/posts/"+pid+"/approve", nube, nil).wantError(t, 403)

		res = ts.call(t, "PUT", "/api/v1/account/content-warnings", nube, map[string]any{"prefs": map[string]any{"death": "hide", "own": "show"}})
		res.wantStatus(t, 200)
		if p := jsonObj(res.JSON["prefs"]); p["death"] != "hide" || p["own"] != "show" || p["suicide"] != "collapse" {
			t.Errorf("prefs: %s", res.Body)
		}
		ts.call(t, "PUT", "/api/v1/account/content-warnings", nube, map[string]any{"prefs": map[string]any{"death": "maybe"}}).wantError(t, 400, "prefs.death")
		res = ts.call(t, "GET", base+"/threads/"+tid, nube, nil)
		res.wantStatus(t, 200)
		if th := jsonObj(res.JSON["thread"]); th["title"] != "Small wins, week 2" || th["warning_show"] != "show" {
			t.Errorf("thread: %v", th)
		}

		ts.call(t, "DELETE", base+"/posts/"+reply, luz, nil).wantError(t, 403)
		ts.call(t, "DELETE", base+"/posts/"+reply, nube, nil).wantStatus(t, 204)
		ts.call(t, "GET", base+"/posts/"+reply, luz, nil).wantError(t, 404)
	})
}

func TestBoardHeldAndMuted(t *testing.T) {
	forEachEngine(t, func(t *testing.T, ts *testServer) {
		s := newBoardSite(t, ts)
		ctx := context.Background()
		if _, err := ts.App.SetModerationSettings(ctx, s.fac, s.slug, hearth.ModerationSettings{NewMemberDays: 7, NewMemberPostsPerHour: 60, PostsPerHour: 120, ApproveFirstPosts: true}); err != nil {
			t.Fatal(err)
		}
		t.Run("a new member's first post waits for a facilitator, and the writer is told why", func(t *testing.T) {
			st, _, h := s.browser["luz"].post(s.board(), url.Values{"title": {"Hello, I'm new"}, "body": {"Glad to be here."}})
			if st != http.StatusSeeOther {
				t.Fatalf("post: %d", st)
			}
			_, body := s.browser["luz"].get(h.Get("Location"))
			if !strings.Contains(body, "waits for a facilitator") || !strings.Contains(body, "Waiting for a facilitator") || !strings.Contains(body, "approve new members") {
				t.Errorf("the writer's page does not say the post is held and why:\n%s", body)
			}
			if _, body := s.browser["nube"].get(s.board()); strings.Contains(body, "Hello, I&#39;m new") || strings.Contains(body, "Hello, I'm new") {
				t.Error("another member sees the held thread")
			}
			_, body = s.browser["marisol"].get(h.Get("Location"))
			m := regexp.MustCompile(`action="(/groups/[^"]+/approve)"`).FindStringSubmatch(body)
			if m == nil {
				t.Fatalf("no Approve button for the facilitator:\n%s", body)
			}
			if st, _, _ := s.browser["marisol"].post(m[1], url.Values{}); st != http.StatusSeeOther {
				t.Fatalf("approve: %d", st)
			}
			if _, body := s.browser["nube"].get(s.board()); !strings.Contains(text(body), "Hello, I'm new") {
				t.Errorf("the approved thread does not show:\n%s", body)
			}
		})
		t.Run("a new member's link is refused on the form, the draft kept", func(t *testing.T) {
			before := s.threadCount(t, "marisol")
			draft := "A long post written in a hard moment. The respite list I use is at https://example.org/respite-list"
			st, body, _ := s.browser["rio"].post(s.board(), url.Values{"title": {"Respite"}, "body": {draft}})
			if st != http.StatusForbidden || !strings.Contains(body, "respite-list</textarea>") || !strings.Contains(body, `id="body" name="body" rows="8" required aria-describedby="body-hint body-errors" aria-invalid="true"`) {
				t.Errorf("the refused link (%d):\n%s", st, body)
			}
			if s.threadCount(t, "marisol") != before {
				t.Error("the refused post was stored")
			}
		})
		t.Run("a muted member reads, cannot post, and sees until when", func(t *testing.T) {
			nube := membershipOf(t, ts, s.tokens["nube"], s.slug)
			if _, err := ts.App.Moderate(ctx, s.fac, s.slug, hearth.Subject{Kind: hearth.SubjectMember, ID: nube},
				hearth.ActionInput{Kind: hearth.ActionMute, Reason: hearth.ActionReasonSpam, Minutes: 60}); err != nil {
				t.Fatal(err)
			}
			st, body := s.browser["nube"].get(s.board())
			if st != 200 || !strings.Contains(body, `id="board-muted"`) || !strings.Contains(body, "You can post again from") || strings.Contains(body, `id="new-thread-link"`) {
				t.Errorf("the muted member's board (%d):\n%s", st, body)
			}
			res := ts.call(t, "GET", "/api/v1/groups/"+s.slug+"/board", s.tokens["nube"], nil)
			res.wantStatus(t, 200)
			if m := jsonObj(res.JSON["muted"]); res.JSON["may_post"] != false || m["until"] == nil || m["reason"] != "spam" {
				t.Errorf("the API's muted member: %s", res.Body)
			}
			before := s.threadCount(t, "marisol")
			if st, body, _ := s.browser["nube"].post(s.board(), url.Values{"title": {"Muted"}, "body": {"Can I?"}}); st != http.StatusForbidden || !strings.Contains(body, "Can I?</textarea>") || !strings.Contains(body, "You can post again from") {
				t.Errorf("a muted member's post (%d): the draft is not kept\n%s", st, body)
			}
			if s.threadCount(t, "marisol") != before {
				t.Error("a muted member's post was stored")
			}
		})
	})
}

func TestBoardPagesInSpanish(t *testing.T) {
	ts := newTestServer(t, "sqlite")
	s := newBoardSite(t, ts)
	thread := s.startThread(t, "luz", url.Values{"title": {"Aniversario"}, "body": {"Mañana hace un año."}, "warning": {"death"}})
	b := signedInBrowser(t, ts, "marisol", "es")
	for path, want := range map[string]string{
		s.board():                   "Empezar una conversación",
		s.board() + "/new":          "Publicar de forma anónima", // not offered: the group does not allow it
		thread:                      "Aviso de contenido: Muerte",
		s.board() + "/settings":     "Los miembros pueden publicar de forma anónima",
		"/account/content-warnings": "Plegar tras el aviso (predeterminado)",
	} {
		st, body := b.get(path)
		if st != 200 || !strings.Contains(body, `<html lang="es">`) {
			t.Errorf("%s: %d", path, st)
			continue
		}
		has := strings.Contains(text(body), want)
		if path == s.board()+"/new" {
			has = !has
		}
		if !has {
			t.Errorf("%s in Spanish (looking for %q):\n%s", path, want, body)
		}
		for _, english := range []string{"Content warning", "Start a thread", "Reply", "Save"} {
			if strings.Contains(body, ">"+english) {
				t.Errorf("%s shows English %q", path, english)
			}
		}
	}
	st, body, _ := b.post(s.board(), url.Values{"title": {""}, "body": {"Sin título"}})
	if st != http.StatusBadRequest || !strings.Contains(body, "Sin título") || !strings.Contains(text(body), "obligatorio") {
		t.Errorf("a Spanish form error (%d):\n%s", st, body)
	}
}

func TestBoardAnnouncementsAndPaging(t *testing.T) {
	forEachEngine(t, func(t *testing.T, ts *testServer) {
		s := newBoardSite(t, ts)
		ctx := context.Background()
		luz := ts.Actor(t, s.tokens["luz"])
		for i := 1; i <= 21; i++ {
			if _, err := ts.App.StartThread(ctx, luz, s.slug, app.PostInput{Title: "Thread number " + strconv.Itoa(i), Body: "Words."}); err != nil {
				t.Fatal(err)
			}
		}
		if _, body := s.browser["luz"].get(s.board() + "/new"); strings.Contains(body, `name="announcement"`) {
			t.Error("a member is offered announcements")
		}
		st, _, _ := s.browser["luz"].post(s.board(), url.Values{"title": {"Not an announcement"}, "body": {"Hm."}, "announcement": {"yes"}})
		if st != http.StatusForbidden {
			t.Errorf("a member's announcement: %d", st)
		}
		s.startThread(t, "marisol", url.Values{"title": {"No meeting next week"}, "body": {"We rest."}, "announcement": {"yes"}})
		_, body := s.browser["nube"].get(s.board())
		if !strings.Contains(body, "No meeting next week") || !strings.Contains(body, `<span class="badge">Announcement</span>`) {
			t.Errorf("the announcement is not marked:\n%s", body)
		}
		if !strings.Contains(body, "Page 1 of 2") || !strings.Contains(body, `rel="next"`) || strings.Contains(body, "Thread number 1<") {
			t.Errorf("the first page of 23 threads:\n%s", body)
		}
		_, body = s.browser["nube"].get(s.board() + "?page=2")
		if !strings.Contains(body, "Thread number 1<") || !strings.Contains(body, `rel="prev"`) {
			t.Errorf("the second page:\n%s", body)
		}
		if st, _ := s.browser["nube"].get(s.board() + "?page=zero"); st != http.StatusBadRequest {
			t.Errorf("a page that is not a number: %d", st)
		}
	})
}

// TestBoardWordsAreNeverLogged posts through the pages and the API — a
// crisis, a refusal, a too-long post, a server's own log at debug level —
// and finds no word anyone wrote in any log line of the web layer or app.
func TestBoardWordsAreNeverLogged(t *testing.T) {
	ctx := context.Background()
	var logs strings.Builder
	logger := slog.New(slog.NewTextHandler(&syncWriter{w: &logs}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	dbURL, dir := sqldbtest.URL(t, sqldb.SQLite)
	db, err := sqldb.Open(ctx, sqldb.Options{URL: dbURL, DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	gaz, _ := gazetteer.Load()
	v, _, err := vault.OpenFile(ctx, db, filepath.Join(dir, "master.key"), true, vault.Options{})
	if err != nil {
		t.Fatal(err)
	}
	a, err := app.New(app.Config{DB: db, Gazetteer: gaz, Vault: v, Logger: logger, PasswordParams: password.Params{Memory: 1024, Time: 1, Threads: 1}})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := newServer(Config{App: a, Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.handler())
	t.Cleanup(hs.Close)
	ts := &testServer{URL: hs.URL, App: a, Server: srv, Engine: sqldb.SQLite,
		Client: &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	s := newBoardSite(t, ts)
	secret := []string{"Quietplumtitle", "Quietplumbody", "Quietplumwarning", "Quietplumreply"}
	thread := s.startThread(t, "luz", url.Values{"title": {secret[0]}, "body": {secret[1] + " I want to kill myself tonight."}, "warning": {"other"}, "warning_other": {secret[2]}})
	s.browser["nube"].post(thread+"/replies", url.Values{"body": {secret[3] + " https://example.org " + strings.Repeat("x", 21000)}})
	ts.call(t, "POST", "/api/v1/groups/"+s.slug+"/board/threads", s.tokens["rio"], map[string]any{"title": secret[0], "body": secret[1]}).wantStatus(t, 201)
	s.browser["rio"].get(s.board() + "?q=" + secret[0])
	if logs.Len() == 0 {
		t.Fatal("nothing was logged: the capture is broken")
	}
	for _, w := range secret {
		if strings.Contains(logs.String(), w) {
			t.Errorf("the logs carry %q", w)
		}
	}
}

// syncWriter serializes writes to a builder (handlers log from many goroutines).
type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}
