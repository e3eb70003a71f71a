package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/app"
	"github.com/hearth-org/hearth/internal/sqldb/sqldbtest"
)

// Export of one's own data (issue 7 §2) through the real HTTP stack, on
// every engine: everything the person wrote is in the archive, nothing
// another member wrote is.

func TestExportMyData(t *testing.T) {
	forEachEngine(t, func(t *testing.T, ts *testServer) {
		ctx := context.Background()
		s := newBoardSite(t, ts)
		if st, _, _ := s.browser["marisol"].post(s.board()+"/settings", url.Values{"allow_anonymous": {"yes"}, "deleted_days": {"30"}}); st != http.StatusSeeOther {
			t.Fatalf("Marisol allows anonymous posts: %d", st)
		}
		thread := s.startThread(t, "luz", url.Values{"title": {"Sleep after the diagnosis"}, "body": {"How do you sleep these days?"}})
		if st, _, _ := s.browser["nube"].post(thread+"/replies", url.Values{"body": {"Badly, but a walk helps."}}); st != http.StatusSeeOther {
			t.Fatalf("Nube's reply: %d", st)
		}
		if st, _, _ := s.browser["luz"].post(thread+"/replies", url.Values{"body": {"Thank you, I will try walking."}}); st != http.StatusSeeOther {
			t.Fatalf("Luz's reply: %d", st)
		}
		s.startThread(t, "luz", url.Values{"title": {"Nobody knows it is me"}, "body": {"Some days are heavy."}, "anonymous": {"yes"}})
		luz := ts.Actor(t, s.tokens["luz"])
		if _, err := ts.App.SaveSafetyPlan(ctx, luz, app.SafetyPlanInput{Plan: hearth.SafetyPlan{Reasons: []string{"My sister Ana"}}}); err != nil {
			t.Fatal(err)
		}

		t.Run("the page offers it, the button downloads it", func(t *testing.T) {
			st, body := s.browser["luz"].get("/account/export")
			if st != 200 || !strings.Contains(body, `id="export-form"`) {
				t.Fatalf("export page (%d):\n%.600s", st, body)
			}
			if _, body := s.browser["luz"].get("/account"); !strings.Contains(body, `href="/account/export"`) {
				t.Error("the account page has no link to the export")
			}
			st, raw, h := s.browser["luz"].post("/account/export", url.Values{})
			if st != 200 {
				t.Fatalf("export: %d\n%.600s", st, raw)
			}
			want := `attachment; filename="hearth-export-` + ts.App.Now().UTC().Format("2006-01-02") + `.json"`
			if got := h.Get("Content-Disposition"); got != want {
				t.Errorf("Content-Disposition %q, want %q", got, want)
			}
			checkLuzExport(t, raw)
		})
		t.Run("the API answers the same archive", func(t *testing.T) {
			res := ts.call(t, "GET", "/api/v1/account/export", s.tokens["luz"], nil)
			res.wantStatus(t, 200)
			checkLuzExport(t, string(res.Body))
			ts.call(t, "GET", "/api/v1/account/export", "", nil).wantStatus(t, http.StatusUnauthorized)
		})
		t.Run("another member's archive holds none of Luz's writing", func(t *testing.T) {
			res := ts.call(t, "GET", "/api/v1/account/export", s.tokens["nube"], nil)
			res.wantStatus(t, 200)
			for _, no := range []string{"Sleep after the diagnosis", "How do you sleep", "I will try walking", "Some days are heavy", "My sister Ana", "Luz"} {
				if strings.Contains(string(res.Body), no) {
					t.Errorf("Nube's archive holds %q", no)
				}
			}
			if !strings.Contains(string(res.Body), "Badly, but a walk helps.") {
				t.Error("Nube's archive lacks her reply")
			}
		})
		t.Run("each export is in the audit log, without content", func(t *testing.T) {
			entries, _, err := ts.App.SiteAuditLog(ctx, hearth.Actor{UserID: ts.SiteAdmin(t, "privacy-admin").ID, SiteAdmin: true}, 0)
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, e := range entries {
				if e.Action == "account.exported" && e.SubjectID == luz.UserID && e.ActorID == luz.UserID {
					n++
				}
			}
			if n != 2 {
				t.Errorf("%d audit entries for Luz's exports, want 2", n)
			}
		})
	})
}

func checkLuzExport(t *testing.T, raw string) {
	t.Helper()
	var x app.Export
	if err := json.Unmarshal([]byte(raw), &x); err != nil {
		t.Fatalf("the archive is not JSON: %v\n%.400s", err, raw)
	}
	if x.Account.Handle != "luz" || x.Account.Email != "luz@example.org" {
		t.Errorf("account %+v", x.Account)
	}
	if len(x.Memberships) != 1 || x.Memberships[0].Pseudonym != "Luz" || x.Memberships[0].GroupName != "Caregivers Between Meetings" {
		t.Errorf("memberships %+v", x.Memberships)
	}
	var titles, bodies []string
	anon := 0
	for _, p := range x.Posts {
		if p.Title != "" {
			titles = append(titles, p.Title)
		}
		bodies = append(bodies, p.Body)
		if p.Anonymous {
			anon++
		}
	}
	all := strings.Join(append(titles, bodies...), "|")
	for _, want := range []string{"Sleep after the diagnosis", "How do you sleep these days?", "Thank you, I will try walking.", "Nobody knows it is me", "Some days are heavy."} {
		if !strings.Contains(all, want) {
			t.Errorf("the archive lacks %q: %s", want, all)
		}
	}
	if len(x.Posts) != 3 || anon != 1 {
		t.Errorf("%d posts (%d anonymous), want 3 (1)", len(x.Posts), anon)
	}
	if x.SafetyPlan == nil || len(x.SafetyPlan.Plan.Reasons) != 1 || x.SafetyPlan.Plan.Reasons[0] != "My sister Ana" {
		t.Errorf("safety plan %+v", x.SafetyPlan)
	}
	for _, no := range []string{"a walk helps", "Nube", "Marisol", "Río"} {
		if strings.Contains(raw, no) {
			t.Errorf("the archive holds %q, written by or naming another member", no)
		}
	}
}

// Erasure through the pages and the API: the page says what happens and
// needs the password; a wrong one changes nothing; after it the person sees
// the final page, is signed out, their posts stay without their name and
// their handle is free.
func TestEraseAccountPages(t *testing.T) {
	forEachEngine(t, func(t *testing.T, ts *testServer) {
		s := newBoardSite(t, ts)
		thread := s.startThread(t, "luz", url.Values{"title": {"Sleep after the diagnosis"}, "body": {"How do you sleep these days?"}})
		if st, _, _ := s.browser["nube"].post(thread+"/replies", url.Values{"body": {"Badly, but a walk helps."}}); st != http.StatusSeeOther {
			t.Fatalf("Nube's reply: %d", st)
		}
		st, body := s.browser["luz"].get("/account/delete")
		if st != 200 || !strings.Contains(body, `id="delete-account-form"`) || !strings.Contains(body, "a former member") || !strings.Contains(body, `name="password"`) {
			t.Fatalf("delete page (%d):\n%.800s", st, body)
		}
		if strings.Contains(body, `name="code"`) {
			t.Error("the page asks for a code from a person without a second factor")
		}
		st, body, _ = s.browser["luz"].post("/account/delete", url.Values{"password": {"not my password"}})
		if st != http.StatusBadRequest || !strings.Contains(body, "That is not your password.") {
			t.Fatalf("wrong password: %d\n%.800s", st, body)
		}
		if st, _ := s.browser["luz"].get("/account"); st != 200 {
			t.Fatalf("the account after a refused erasure: %d", st)
		}
		st, body, h := s.browser["luz"].post("/account/delete", url.Values{"password": {testPassword}})
		if st != 200 || !strings.Contains(body, `id="deleted-title"`) {
			t.Fatalf("erasure: %d\n%.800s", st, body)
		}
		if !strings.Contains(h.Get("Set-Cookie"), "Max-Age=0") && !strings.Contains(h.Get("Set-Cookie"), "expires=Thu, 01 Jan 1970") {
			t.Errorf("the session cookie is not cleared: %q", h.Get("Set-Cookie"))
		}
		if st, _ := s.browser["luz"].get("/account"); st != http.StatusSeeOther {
			t.Errorf("Luz's old session still opens the account page: %d", st)
		}
		ts.call(t, "GET", "/api/v1/account", s.tokens["luz"], nil).wantStatus(t, http.StatusUnauthorized)
		_, body = s.browser["nube"].get(thread)
		if !strings.Contains(body, "How do you sleep these days?") || strings.Contains(body, ">Luz<") {
			t.Errorf("the thread after Luz's erasure:\n%s", text(body))
		}
		if !strings.Contains(body, "<strong>A former member</strong>") {
			t.Errorf("the kept post does not say a former member wrote it:\n%s", text(body))
		}
		if _, body := s.browser["nube"].get(s.board()); !strings.Contains(text(body), "A former member") {
			t.Errorf("the board list does not say a former member started the thread:\n%s", text(body))
		}
		res := ts.call(t, "GET", "/api/v1/groups/"+s.slug+"/board/threads/"+strings.TrimPrefix(thread, s.board()+"/"), s.tokens["nube"], nil)
		res.wantStatus(t, http.StatusOK)
		if first := jsonObj(res.list("posts")[0]); first["former_member"] != true || first["author"] != nil {
			t.Errorf("the API's kept post: %v", first)
		}
		ts.SignUp(t, "luz", "luz@example.org")

		// The API: a wrong password is refused, the right one erases.
		ts.call(t, "DELETE", "/api/v1/account", s.tokens["rio"], map[string]any{"password": "nope"}).wantError(t, http.StatusBadRequest, "password")
		ts.call(t, "DELETE", "/api/v1/account", s.tokens["rio"], map[string]any{"password": testPassword}).wantStatus(t, http.StatusNoContent)
		ts.call(t, "GET", "/api/v1/account", s.tokens["rio"], nil).wantStatus(t, http.StatusUnauthorized)
	})
}

// With a second factor, erasure asks for its code too, and a missing or
// wrong one changes nothing.
func TestEraseAccountNeedsTheSecondFactor(t *testing.T) {
	for _, e := range sqldbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			c := &clock{t: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)}
			ts := newSecurityServer(t, e, c, false)
			u := ts.SignUp(t, "quiet-fern", "fern@example.org")
			b := newBrowser(t, ts, "en")
			if st, body := signInPassword(t, b, u.Handle); st != http.StatusSeeOther {
				t.Fatalf("sign-in: %d %s", st, body)
			}
			secret, _ := setUpTOTP(t, b, c)
			if _, body := b.get("/account/delete"); !strings.Contains(body, `name="code"`) {
				t.Fatal("the page does not ask for the code")
			}
			for _, code := range []string{"", "000000"} {
				if st, _, _ := b.post("/account/delete", url.Values{"password": {testPassword}, "code": {code}}); st == http.StatusOK {
					t.Fatalf("erased with code %q", code)
				}
				if st, _ := b.get("/account"); st != http.StatusOK {
					t.Fatalf("the account after a refused erasure (code %q): %d", code, st)
				}
			}
			c.Add(time.Minute)
			st, body, _ := b.post("/account/delete", url.Values{"password": {testPassword}, "code": {totpNow(t, secret, c)}})
			if st != http.StatusOK || !strings.Contains(body, `id="deleted-title"`) {
				t.Fatalf("erasure with the code: %d\n%.600s", st, body)
			}
		})
	}
}

// A group that chooses "remove" loses an erased member's posts and the
// threads they started; the choice is on the board settings page and in
// the API, and a PUT without it keeps it.
func TestErasedPostsChoice(t *testing.T) {
	forEachEngine(t, func(t *testing.T, ts *testServer) {
		s := newBoardSite(t, ts)
		if st, body := s.browser["marisol"].get(s.board() + "/settings"); st != 200 || !strings.Contains(body, `id="erased_posts-former_member" name="erased_posts" value="former_member" checked`) {
			t.Fatalf("settings page (%d):\n%.1200s", st, body)
		}
		if st, _, _ := s.browser["marisol"].post(s.board()+"/settings", url.Values{"deleted_days": {"30"}, "erased_posts": {"remove"}}); st != http.StatusSeeOther {
			t.Fatalf("save: %d", st)
		}
		settings := "/api/v1/groups/" + s.slug + "/board/settings"
		res := ts.call(t, "GET", settings, s.tokens["marisol"], nil)
		res.wantStatus(t, 200)
		if !strings.Contains(string(res.Body), `"erased_posts":"remove"`) {
			t.Fatalf("API settings: %s", res.Body)
		}
		ts.call(t, "PUT", settings, s.tokens["marisol"], map[string]any{"allow_anonymous": false, "alumni_read": false, "deleted_days": 30}).wantStatus(t, 200)
		if res := ts.call(t, "GET", settings, s.tokens["marisol"], nil); !strings.Contains(string(res.Body), `"erased_posts":"remove"`) {
			t.Errorf("a PUT without erased_posts changed it: %s", res.Body)
		}
		ts.call(t, "PUT", settings, s.tokens["marisol"], map[string]any{"allow_anonymous": false, "alumni_read": false, "deleted_days": 30, "erased_posts": "shred"}).wantError(t, http.StatusBadRequest, "erased_posts")
		ts.call(t, "PUT", settings, s.tokens["luz"], map[string]any{"allow_anonymous": false, "alumni_read": false, "deleted_days": 30, "erased_posts": "former_member"}).wantStatus(t, http.StatusForbidden)

		thread := s.startThread(t, "luz", url.Values{"title": {"Respite care in winter"}, "body": {"Who has tried the day centre?"}})
		if st, _, _ := s.browser["nube"].post(thread+"/replies", url.Values{"body": {"We did, twice a week."}}); st != http.StatusSeeOther {
			t.Fatalf("reply: %d", st)
		}
		ts.call(t, "DELETE", "/api/v1/account", s.tokens["luz"], map[string]any{"password": testPassword}).wantStatus(t, http.StatusNoContent)
		if st, _ := s.browser["nube"].get(thread); st != http.StatusNotFound {
			t.Errorf("the erased member's thread answers %d, want 404 (removed)", st)
		}
		if _, body := s.browser["nube"].get(s.board()); strings.Contains(body, "Respite care in winter") {
			t.Error("the erased member's thread is still listed")
		}
	})
}
