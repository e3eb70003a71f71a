package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/app"
)

// TestReportedBoardPostOnTheReportPage: the people who moderate a report
// read the reported post on the report page — an organization admin too,
// who does not read the group's board — rendered as safely as on the board,
// and "posted anonymously" when it was.
func TestReportedBoardPostOnTheReportPage(t *testing.T) {
	forEachEngine(t, func(t *testing.T, ts *testServer) {
		s := newBoardSite(t, ts)
		ctx := context.Background()
		if _, err := ts.App.SetBoardSettings(ctx, s.fac, s.slug, app.BoardSettings{AllowAnonymous: true, DeletedDays: 30}); err != nil {
			t.Fatal(err)
		}
		ts.SignUp(t, "orla", "orla@example.org")
		if err := ts.App.AddOrgAdmin(ctx, hearth.Actor{SiteAdmin: true}, "board-org", "orla"); err != nil {
			t.Fatal(err)
		}
		orla := signedInBrowser(t, ts, "orla", "en")
		if st, _ := orla.get(s.board()); st == http.StatusOK {
			t.Fatal("an organization admin reads the board by that role alone")
		}

		thread := s.startThread(t, "luz", url.Values{"title": {"A cure they do not tell you about"}, "body": {"Stop your insulin and drink **vinegar** <script>alert(1)</script> [see](javascript:alert(2))"}, "anonymous": {"yes"}})
		v, err := ts.App.Thread(ctx, s.fac, s.slug, mustID(t, strings.TrimPrefix(thread, s.board()+"/")), 1)
		if err != nil {
			t.Fatal(err)
		}
		post := strconv.FormatInt(v.Posts[0].ID, 10)
		if st, _, _ := s.browser["rio"].post(s.board()+"/posts/"+post+"/report", url.Values{"reason": {"misinformation"}}); st != http.StatusSeeOther {
			t.Fatalf("report: %d", st)
		}
		res := ts.call(t, "GET", "/api/v1/groups/"+s.slug+"/reports", s.tokens["marisol"], nil)
		res.wantStatus(t, 200)
		var id string
		for _, r := range res.list("reports") {
			if sub := jsonObj(jsonObj(r)["subject"]); sub["kind"] == "post" {
				id = strconv.FormatInt(int64(jsonObj(r)["id"].(float64)), 10)
			}
		}
		if id == "" {
			t.Fatalf("no report on the post: %s", res.Body)
		}
		for _, who := range []*browser{s.browser["marisol"], orla} {
			st, body := who.get("/reports/" + id)
			if st != http.StatusOK {
				t.Fatalf("report page: %d", st)
			}
			if !strings.Contains(body, "The post on the group&#39;s board") || !strings.Contains(body, `id="report-post"`) || !strings.Contains(body, "<strong>vinegar</strong>") || !strings.Contains(body, "A cure they do not tell you about") {
				t.Errorf("the post is not on the report page:\n%s", body)
			}
			if !strings.Contains(body, "posted anonymously") || !strings.Contains(body, "Luz") {
				t.Errorf("moderators see who wrote an anonymous post, and that it was anonymous:\n%s", body)
			}
			if strings.Contains(body, "<script>alert") || strings.Contains(body, "javascript:") {
				t.Errorf("the reported post is not sanitized:\n%s", body)
			}
			if !strings.Contains(body, `id="report-post-link" href="/groups/`+s.slug+`/board/posts/`+post+`"`) {
				t.Errorf("no link to the post:\n%s", body)
			}
		}
		// Luz deletes her post: the report stays readable, without it.
		if err := ts.App.DeletePost(ctx, ts.Actor(t, s.tokens["luz"]), s.slug, v.Posts[0].ID); err != nil {
			t.Fatal(err)
		}
		if st, body := s.browser["marisol"].get("/reports/" + id); st != http.StatusOK || strings.Contains(body, "vinegar") {
			t.Errorf("after deletion: %d", st)
		}
	})
}
