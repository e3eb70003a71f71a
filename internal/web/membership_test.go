package web

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/hearth-org/hearth"
)

// membershipSetup is an organization with an admin, an open online group
// and a closed grief cohort, each with a facilitator, served over HTTP.
type membershipSetup struct {
	ts                   *testServer
	adminToken           string
	open, closed         string // slugs
	openFac, closedFac   string // facilitator handles
	openFacTok, clFacTok string
}

func setUpMembership(t *testing.T, ts *testServer) *membershipSetup {
	t.Helper()
	ctx := context.Background()
	admin := ts.SiteAdmin(t, "site-admin")
	s := &membershipSetup{ts: ts, adminToken: ts.Token(t, admin), open: "anxiety-online", closed: "grief-cohort-madrid",
		openFac: "open-facilitator", closedFac: "closed-facilitator"}
	ts.call(t, "POST", "/api/v1/organizations", s.adminToken, map[string]any{"slug": "riverside", "name": "Riverside Hospice"}).wantStatus(t, 201)
	open := groupBody(s.open, "Anxiety Circle Online")
	open["format"], open["location"] = "online", map[string]any{"city": "Austin", "country": "US", "time_zone": "America/Chicago"}
	delete(open, "venue_notes")
	open["guidelines"] = "What is said here stays here."
	ts.call(t, "POST", "/api/v1/organizations/riverside/groups", s.adminToken, open).wantStatus(t, 201)
	now := time.Now().UTC()
	closed := groupBody(s.closed, "Grief Cohort Madrid")
	closed["format"], closed["policy"] = "online", "closed"
	closed["location"] = map[string]any{"city": "Madrid", "country": "ES", "time_zone": "Europe/Madrid"}
	delete(closed, "venue_notes")
	closed["enrollment"] = map[string]any{"cap": 2, "sessions": 8, "opens": now.AddDate(0, 0, -2).Format(time.DateOnly),
		"closes": now.AddDate(0, 0, 20).Format(time.DateOnly), "starts": now.AddDate(0, 0, 30).Format(time.DateOnly)}
	closed["schedule"] = map[string]any{"weekday": "tuesday", "start": "18:30", "duration_minutes": 90}
	ts.call(t, "POST", "/api/v1/organizations/riverside/groups", s.adminToken, closed).wantStatus(t, 201)
	site := hearth.Actor{SiteAdmin: true}
	for _, g := range []struct{ slug, handle, name string }{{s.open, s.openFac, "Noor"}, {s.closed, s.closedFac, "Marisol"}} {
		ts.SignUp(t, g.handle, g.handle+"@example.org")
		if err := ts.App.AppointFacilitator(ctx, site, g.slug, g.handle, g.name, ""); err != nil {
			t.Fatal(err)
		}
	}
	s.openFacTok = ts.Token(t, mustUserByHandle(t, ts, s.openFac))
	s.clFacTok = ts.Token(t, mustUserByHandle(t, ts, s.closedFac))
	return s
}

func mustUserByHandle(t *testing.T, ts *testServer, handle string) *hearth.User {
	t.Helper()
	u, err := ts.App.User(context.Background(), ts.Actor(t, mustSignInToken(t, ts, handle)))
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// mustSignInToken signs in through the API and returns a token.
func mustSignInToken(t *testing.T, ts *testServer, handle string) string {
	t.Helper()
	res := ts.call(t, "POST", "/api/v1/tokens", "", map[string]any{"login": handle, "password": testPassword})
	res.wantStatus(t, 201)
	tok, _ := res.JSON["token"].(string)
	if tok == "" {
		t.Fatalf("no token in %s", res.Body)
	}
	return tok
}

func text(body string) string { return html.UnescapeString(body) }

func TestMembershipAPI(t *testing.T) {
	forEachEngine(t, func(t *testing.T, ts *testServer) {
		s := setUpMembership(t, ts)
		person := func(handle, email string) string { return ts.Token(t, ts.SignUp(t, handle, email)) }
		ana, ben, cai := person("ana-api", "ana@example.org"), person("ben-api", ""), person("cai-api", "")
		open := "/api/v1/groups/" + s.open

		t.Run("an open group with a cap seats the first and queues the next, who learns their place", func(t *testing.T) {
			ts.call(t, "PUT", open+"/seats", s.openFacTok, map[string]any{"cap": 1, "offer_hours": 48}).wantStatus(t, 200)
			res := ts.call(t, "POST", open+"/join", ana, map[string]any{"pseudonym": "Ana", "accept_guidelines": true, "share_email": true})
			res.wantStatus(t, 201)
			if res.JSON["status"] != "active" {
				t.Fatalf("Ana: %s", res.Body)
			}
			res = ts.call(t, "POST", open+"/join", ben, map[string]any{"pseudonym": "Ben", "accept_guidelines": true})
			res.wantStatus(t, 201)
			if res.JSON["status"] != "waitlisted" {
				t.Fatalf("Ben: %s", res.Body)
			}
			ts.call(t, "POST", open+"/join", cai, map[string]any{"pseudonym": "Cai", "accept_guidelines": true}).wantStatus(t, 201)
			mine := ts.call(t, "GET", open+"/membership", cai, nil)
			mine.wantStatus(t, 200)
			m := jsonObj(mine.JSON["membership"])
			if m["position"] != 2.0 || m["line_length"] != 2.0 || m["status"] != "waitlisted" {
				t.Fatalf("Cai: %s", mine.Body)
			}
		})
		t.Run("facilitators see pseudonyms and only shared contact; never a handle", func(t *testing.T) {
			res := ts.call(t, "GET", open+"/members", s.openFacTok, nil)
			res.wantStatus(t, 200)
			if strings.Contains(string(res.Body), "ana-api") || strings.Contains(string(res.Body), "ben-api") {
				t.Fatalf("a handle leaked: %s", res.Body)
			}
			if !strings.Contains(string(res.Body), `"email":"ana@example.org"`) {
				t.Fatalf("Ana's shared email is missing: %s", res.Body)
			}
			if w := res.list("waitlist"); len(w) != 2 || jsonObj(w[0])["pseudonym"] != "Ben" || jsonObj(w[0])["position"] != 1.0 {
				t.Fatalf("waitlist %v", w)
			}
			ts.call(t, "GET", open+"/members", ben, nil).wantError(t, 403)
			ts.call(t, "GET", open+"/members", "", nil).wantError(t, 401)
		})
		t.Run("a cap below the seated members is a 400 naming cap, and changes nothing", func(t *testing.T) {
			ts.call(t, "PUT", open+"/seats", s.openFacTok, map[string]any{"cap": 2, "offer_hours": 48}).wantStatus(t, 200)
			// Ben was offered the new seat; accept it.
			res := ts.call(t, "POST", open+"/membership/offer/accept", ben, nil)
			res.wantStatus(t, 200)
			if jsonObj(res.JSON["membership"])["status"] != "active" {
				t.Fatalf("Ben: %s", res.Body)
			}
			ts.call(t, "PUT", open+"/seats", s.openFacTok, map[string]any{"cap": 1, "offer_hours": 48}).wantError(t, 400, "cap")
			if got := ts.call(t, "GET", open+"/members", s.openFacTok, nil); got.JSON["cap"] != 2.0 || got.JSON["seats_taken"] != 2.0 {
				t.Fatalf("changed: %s", got.Body)
			}
			ts.call(t, "POST", open+"/membership/offer/accept", cai, nil).wantError(t, 409)
		})
		t.Run("leaving frees the seat for the first in line, who may decline it", func(t *testing.T) {
			ts.call(t, "POST", open+"/membership/leave", ana, nil).wantStatus(t, 204)
			m := jsonObj(ts.call(t, "GET", open+"/membership", cai, nil).JSON["membership"])
			if m["offer_expires"] == nil {
				t.Fatalf("Cai has no offer: %v", m)
			}
			ts.call(t, "POST", open+"/membership/offer/decline", cai, nil).wantStatus(t, 204)
			gone := ts.call(t, "GET", open+"/membership", cai, nil)
			if gone.JSON["membership"] != nil || jsonObj(gone.list("history")[0])["kind"] != "offer_declined" {
				t.Fatalf("after declining: %s", gone.Body)
			}
			ts.call(t, "POST", open+"/membership/leave", ana, nil).wantError(t, 404)
		})
		t.Run("changed guidelines must be accepted again before member-only things", func(t *testing.T) {
			g := ts.call(t, "GET", open, s.openFacTok, nil)
			body := g.JSON
			body["guidelines"] = "What is said here stays here. Cameras optional."
			ts.call(t, "PUT", open, s.openFacTok, body).wantStatus(t, 200)
			detail := ts.call(t, "GET", open, ben, nil)
			if jsonObj(detail.JSON["membership"])["must_accept_guidelines"] != true {
				t.Fatalf("not asked: %s", detail.Body)
			}
			ts.call(t, "POST", open+"/membership/guidelines", ben, map[string]any{"accept_guidelines": false}).wantError(t, 400, "accept_guidelines")
			res := ts.call(t, "POST", open+"/membership/guidelines", ben, map[string]any{"accept_guidelines": true})
			res.wantStatus(t, 200)
			if jsonObj(res.JSON["membership"])["must_accept_guidelines"] != false {
				t.Fatalf("still asked: %s", res.Body)
			}
		})

		closed := "/api/v1/groups/" + s.closed
		var qID float64
		t.Run("facilitators set intake questions; anyone may read them", func(t *testing.T) {
			ts.call(t, "PUT", closed+"/intake", ben, map[string]any{"questions": []any{}}).wantError(t, 403)
			res := ts.call(t, "PUT", closed+"/intake", s.clFacTok, map[string]any{"questions": []any{
				map[string]any{"prompt": "Who did you lose, and when?", "required": true}, map[string]any{"prompt": "Anything else?", "required": false}}})
			res.wantStatus(t, 200)
			got := ts.call(t, "GET", closed+"/intake", "", nil)
			got.wantStatus(t, 200)
			qs := got.list("questions")
			if len(qs) != 2 || jsonObj(qs[0])["position"] != 1.0 {
				t.Fatalf("questions %s", got.Body)
			}
			qID = jsonObj(qs[0])["id"].(float64)
			many := []any{}
			for i := 0; i < 11; i++ {
				many = append(many, map[string]any{"prompt": fmt.Sprintf("Question %d?", i)})
			}
			ts.call(t, "PUT", closed+"/intake", s.clFacTok, map[string]any{"questions": many}).wantError(t, 400, "questions")
		})
		dee, eve := person("dee-api", ""), person("eve-api", "")
		t.Run("applying: bad answers are 400 naming the question; a second application is 409", func(t *testing.T) {
			app := func(tok, name, answer string) *apiResult {
				return ts.call(t, "POST", closed+"/apply", tok, map[string]any{"pseudonym": name, "accept_guidelines": true, "commit_sessions": true,
					"answers": []any{map[string]any{"question_id": qID, "answer": answer}}})
			}
			field := fmt.Sprintf("answers.%d", int64(qID))
			app(dee, "Dee", "").wantError(t, 400, field)
			app(dee, "Dee", strings.Repeat("x", 2001)).wantError(t, 400, field)
			ts.call(t, "POST", closed+"/apply", dee, map[string]any{"pseudonym": "Dee", "accept_guidelines": true,
				"answers": []any{map[string]any{"question_id": qID, "answer": "My father, in May."}}}).wantError(t, 400, "commit_sessions")
			res := app(dee, "Dee", "My father, in May.")
			res.wantStatus(t, 201)
			m := jsonObj(res.JSON["membership"])
			if m["status"] != "applicant" || m["committed_sessions"] != 8.0 || len(jsonList(m["answers"])) != 1 {
				t.Fatalf("application: %s", res.Body)
			}
			app(dee, "Dee Again", "again").wantError(t, 409)
			app(eve, "dee", "taken name").wantError(t, 409, "pseudonym")
			ts.call(t, "POST", open+"/apply", eve, map[string]any{"pseudonym": "Eve", "accept_guidelines": true, "commit_sessions": true}).wantError(t, 409)
			ts.call(t, "POST", closed+"/join", eve, map[string]any{"pseudonym": "Eve", "accept_guidelines": true}).wantError(t, 409)
		})
		t.Run("facilitators read answers and decide; the message reaches the applicant only on their page", func(t *testing.T) {
			members := ts.call(t, "GET", closed+"/members", s.clFacTok, nil)
			members.wantStatus(t, 200)
			apps := members.list("applicants")
			if len(apps) != 1 || !strings.Contains(string(members.Body), "My father, in May.") {
				t.Fatalf("applicants: %s", members.Body)
			}
			id := int64(jsonObj(apps[0])["id"].(float64))
			ts.call(t, "POST", fmt.Sprintf("%s/members/%d/approve", closed, id), dee, map[string]any{}).wantError(t, 403)
			ts.call(t, "POST", fmt.Sprintf("/api/v1/groups/%s/members/%d/approve", s.open, id), s.openFacTok, map[string]any{}).wantError(t, 404)
			res := ts.call(t, "POST", fmt.Sprintf("%s/members/%d/approve", closed, id), s.clFacTok, map[string]any{"message": "Welcome, Dee."})
			res.wantStatus(t, 200)
			if res.JSON["status"] != "active" || res.JSON["cohort"] != 1.0 {
				t.Fatalf("approved: %s", res.Body)
			}
			mine := jsonObj(ts.call(t, "GET", closed+"/membership", dee, nil).JSON["membership"])
			if mine["decision"] != "Welcome, Dee." || jsonObj(mine["cohort"])["sessions"] != 8.0 {
				t.Fatalf("Dee sees %v", mine)
			}
			ts.call(t, "POST", fmt.Sprintf("%s/members/%d/decline", closed, id), s.clFacTok, map[string]any{}).wantError(t, 409)
			ts.call(t, "POST", fmt.Sprintf("%s/members/%d/remove", closed, id), s.clFacTok, map[string]any{"reason": ""}).wantError(t, 400, "reason")
		})
		t.Run("cohorts: listed, the next one must start later, ending one makes alumni", func(t *testing.T) {
			res := ts.call(t, "GET", closed+"/cohorts", s.clFacTok, nil)
			res.wantStatus(t, 200)
			cs := res.list("cohorts")
			if len(cs) != 1 || jsonObj(cs[0])["number"] != 1.0 {
				t.Fatalf("cohorts %s", res.Body)
			}
			now := time.Now().UTC()
			bad := map[string]any{"cap": 6, "sessions": 6, "opens": now.Format(time.DateOnly), "closes": now.AddDate(0, 0, 5).Format(time.DateOnly),
				"starts": now.AddDate(0, 0, 10).Format(time.DateOnly)}
			ts.call(t, "POST", closed+"/cohorts", s.clFacTok, bad).wantError(t, 400, "starts")
			ts.call(t, "POST", closed+"/cohorts", s.clFacTok, map[string]any{"cap": 1, "sessions": 0, "opens": "x", "closes": "", "starts": ""}).wantError(t, 400, "opens")
			id := int64(jsonObj(cs[0])["id"].(float64))
			ended := ts.call(t, "POST", fmt.Sprintf("%s/cohorts/%d/end", closed, id), s.clFacTok, nil)
			ended.wantStatus(t, 200)
			if ended.JSON["ended_at"] == nil {
				t.Fatalf("not ended: %s", ended.Body)
			}
			ts.call(t, "POST", fmt.Sprintf("%s/cohorts/%d/end", closed, id), s.clFacTok, nil).wantError(t, 409)
			if st := jsonObj(ts.call(t, "GET", closed+"/membership", dee, nil).JSON["membership"])["status"]; st != "alumni" {
				t.Fatalf("Dee is %v", st)
			}
			next := map[string]any{"cap": 6, "sessions": 6, "opens": now.Format(time.DateOnly), "closes": now.AddDate(0, 0, 40).Format(time.DateOnly),
				"starts": now.AddDate(0, 0, 45).Format(time.DateOnly)}
			made := ts.call(t, "POST", closed+"/cohorts", s.clFacTok, next)
			made.wantStatus(t, 201)
			if made.JSON["number"] != 2.0 || made.JSON["sessions"] != 6.0 {
				t.Fatalf("cohort 2: %s", made.Body)
			}
			detail := ts.call(t, "GET", closed, "", nil)
			if e := jsonObj(detail.JSON["enrollment"]); e["sessions"] != 6.0 || e["cap"] != 6.0 {
				t.Fatalf("the group shows %v", e)
			}
		})
		t.Run("removal and ban are recorded with the reason for staff", func(t *testing.T) {
			ts.call(t, "POST", "/api/v1/groups/"+s.open+"/join", eve, map[string]any{"pseudonym": "Eve", "accept_guidelines": true}).wantStatus(t, 201)
			members := ts.call(t, "GET", open+"/members", s.openFacTok, nil)
			var id int64
			for _, m := range members.list("members") {
				if jsonObj(m)["pseudonym"] == "Eve" {
					id = int64(jsonObj(m)["id"].(float64))
				}
			}
			res := ts.call(t, "POST", fmt.Sprintf("%s/members/%d/ban", open, id), s.openFacTok, map[string]any{"reason": "Threats in the chat."})
			res.wantStatus(t, 200)
			if res.JSON["status"] != "banned" {
				t.Fatalf("%s", res.Body)
			}
			ts.call(t, "POST", open+"/join", eve, map[string]any{"pseudonym": "Eve Two", "accept_guidelines": true}).wantError(t, 403)
			after := ts.call(t, "GET", open+"/members", s.openFacTok, nil)
			if !strings.Contains(string(after.Body), "Threats in the chat.") {
				t.Fatalf("no reason in the history: %s", after.Body)
			}
			if strings.Contains(string(ts.call(t, "GET", open+"/membership", eve, nil).Body), "Threats") {
				t.Fatal("the banned member sees the staff note")
			}
		})
	})
}

func TestMembershipPages(t *testing.T) {
	forEachEngine(t, func(t *testing.T, ts *testServer) {
		s := setUpMembership(t, ts)
		ts.call(t, "PUT", "/api/v1/groups/"+s.closed+"/intake", s.clFacTok, map[string]any{"questions": []any{
			map[string]any{"prompt": "Who did you lose, and when?", "required": true}}}).wantStatus(t, 200)
		ts.SignUp(t, "rosa", "rosa@example.org")
		rosa := signedInBrowser(t, ts, "rosa", "en")
		fac := signedInBrowser(t, ts, s.closedFac, "en")

		t.Run("the group page invites a signed-out visitor to apply, and the form asks for sign-in first", func(t *testing.T) {
			st, body := newBrowser(t, ts, "en").get("/groups/" + s.closed)
			if st != 200 || !strings.Contains(body, `href="/groups/`+s.closed+`/apply"`) {
				t.Fatalf("%d: no apply link", st)
			}
			st, _, h := newBrowser(t, ts, "en").do("GET", "/groups/"+s.closed+"/apply", nil)
			if st != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/signin?next=") {
				t.Fatalf("%d %s", st, h.Get("Location"))
			}
		})
		t.Run("the apply form shows the cohort's terms and the questions, with labels", func(t *testing.T) {
			st, body := rosa.get("/groups/" + s.closed + "/apply")
			if st != 200 {
				t.Fatalf("%d", st)
			}
			for _, want := range []string{"Who did you lose, and when?", "8 sessions", `for="commit_sessions"`, `for="share_email"`, `for="pseudonym"`} {
				if !strings.Contains(text(body), want) {
					t.Errorf("missing %q", want)
				}
			}
		})
		var qField string
		t.Run("a missing answer comes back next to its question, with what was typed kept", func(t *testing.T) {
			_, body := rosa.get("/groups/" + s.closed + "/apply")
			i := strings.Index(body, `name="answer_`)
			qField = body[i+6 : i+6+strings.Index(body[i+6:], `"`)]
			st, body, _ := rosa.post("/groups/"+s.closed+"/apply", url.Values{"pseudonym": {"Rosa"}, "accept_guidelines": {"yes"}, "commit_sessions": {"yes"}})
			if st != 400 || !strings.Contains(body, `aria-invalid="true"`) || !strings.Contains(body, qField+`-errors`) || !strings.Contains(body, `value="Rosa"`) {
				t.Fatalf("%d: %s", st, body)
			}
		})
		t.Run("an application is sent and the membership page says it waits", func(t *testing.T) {
			st, _, h := rosa.post("/groups/"+s.closed+"/apply", url.Values{"pseudonym": {"Rosa"}, "accept_guidelines": {"yes"},
				"commit_sessions": {"yes"}, "share_email": {"yes"}, qField: {"My sister, last spring."}})
			if st != http.StatusSeeOther || h.Get("Location") != "/groups/"+s.closed+"/membership" {
				t.Fatalf("%d %s", st, h.Get("Location"))
			}
			_, body := rosa.get("/groups/" + s.closed + "/membership")
			if !strings.Contains(text(body), "Your application is waiting") || !strings.Contains(text(body), "My sister, last spring.") {
				t.Fatalf("membership page: %s", body)
			}
		})
		var id string
		t.Run("the facilitator reads the application and approves it with a message", func(t *testing.T) {
			st, body := fac.get("/groups/" + s.closed + "/members")
			if st != 200 || !strings.Contains(text(body), "My sister, last spring.") || !strings.Contains(body, "rosa@example.org") {
				t.Fatalf("%d: %s", st, body)
			}
			if strings.Contains(body, ">rosa<") {
				t.Fatal("the handle is shown")
			}
			i := strings.Index(body, `/members/`)
			id = body[i+9 : i+9+strings.Index(body[i+9:], "/")]
			st, _, h := fac.post("/groups/"+s.closed+"/members/"+id+"/approve", url.Values{"message": {"Welcome, Rosa: bring a photo if you like."}})
			if st != http.StatusSeeOther {
				t.Fatalf("%d", st)
			}
			if h.Get("Location") != "/groups/"+s.closed+"/members" {
				t.Fatalf("to %s", h.Get("Location"))
			}
			_, body = rosa.get("/groups/" + s.closed + "/membership")
			if !strings.Contains(text(body), "Welcome, Rosa: bring a photo if you like.") || !strings.Contains(text(body), "You are a member of this group as Rosa") {
				t.Fatalf("Rosa sees: %s", body)
			}
		})
		t.Run("an outsider gets no members page", func(t *testing.T) {
			if st, _ := rosa.get("/groups/" + s.closed + "/members"); st != 403 {
				t.Fatalf("%d", st)
			}
		})
		t.Run("a bad cohort form comes back with its problems next to the fields", func(t *testing.T) {
			st, body, _ := fac.post("/groups/"+s.closed+"/cohorts", url.Values{"cap": {"1"}, "sessions": {"8"}, "opens": {"2027-01-01"}, "closes": {"2026-12-01"}, "starts": {"2027-02-01"}})
			if st != 400 || !strings.Contains(body, `id="cohort-cap-errors"`) || !strings.Contains(body, `id="cohort-opens-errors"`) {
				t.Fatalf("%d: %s", st, body)
			}
		})
		t.Run("leaving asks first and says honestly what happens to what was written", func(t *testing.T) {
			st, body := rosa.get("/groups/" + s.closed + "/membership/leave")
			if st != 200 || !strings.Contains(text(body), "is deleted with your membership") || strings.Contains(strings.ToLower(text(body)), "posts stay") {
				t.Fatalf("%d: %s", st, body)
			}
			st, _, h := rosa.post("/groups/"+s.closed+"/membership/leave", url.Values{})
			if st != http.StatusSeeOther || h.Get("Location") != "/groups/"+s.closed {
				t.Fatalf("%d %s", st, h.Get("Location"))
			}
			_, body = rosa.get("/groups/" + s.closed + "/membership")
			if !strings.Contains(text(body), "You are not a member of this group.") || !strings.Contains(text(body), "You left the group.") {
				t.Fatalf("after leaving: %s", body)
			}
		})
		t.Run("a full open group queues a newcomer, who sees their number and later an offer to accept", func(t *testing.T) {
			ofac := signedInBrowser(t, ts, s.openFac, "en")
			if st, _, _ := ofac.post("/groups/"+s.open+"/seats", url.Values{"cap": {"1"}, "offer_hours": {"24"}}); st != http.StatusSeeOther {
				t.Fatalf("seats: %d", st)
			}
			ts.SignUp(t, "first-in", "")
			first := signedInBrowser(t, ts, "first-in", "en")
			if st, _, _ := first.post("/groups/"+s.open+"/join", url.Values{"pseudonym": {"First"}, "accept_guidelines": {"yes"}}); st != http.StatusSeeOther {
				t.Fatalf("first: %d", st)
			}
			ts.SignUp(t, "second-in", "")
			second := signedInBrowser(t, ts, "second-in", "es")
			st, _, h := second.post("/groups/"+s.open+"/join", url.Values{"pseudonym": {"Segunda"}, "accept_guidelines": {"yes"}})
			if st != http.StatusSeeOther || h.Get("Location") != "/groups/"+s.open+"/membership" {
				t.Fatalf("second: %d %s", st, h.Get("Location"))
			}
			_, body := second.get("/groups/" + s.open + "/membership")
			if !strings.Contains(text(body), "Eres el número 1 de la lista") {
				t.Fatalf("Spanish place in line missing: %s", body)
			}
			if st, _, _ := ofac.post("/groups/"+s.open+"/seats", url.Values{"cap": {"0"}, "offer_hours": {"24"}}); st != http.StatusSeeOther {
				t.Fatalf("seats: %d", st)
			}
			_, body = second.get("/groups/" + s.open + "/membership")
			if !strings.Contains(body, `action="/groups/`+s.open+`/membership/offer/accept"`) {
				t.Fatalf("no offer: %s", body)
			}
			if st, _, _ := second.post("/groups/"+s.open+"/membership/offer/accept", url.Values{}); st != http.StatusSeeOther {
				t.Fatalf("accept: %d", st)
			}
			_, body = second.get("/groups/" + s.open)
			if !strings.Contains(text(body), "Segunda") {
				t.Fatalf("not a member: %s", body)
			}
			st, body, _ = second.post("/groups/"+s.open+"/membership/offer/accept", url.Values{})
			if st != 409 || !strings.Contains(body, `role="alert"`) {
				t.Fatalf("a second accept: %d", st)
			}
		})
	})
}

// TestTheDemoCohortTakesApplicationsInSpanish applies, through the pages, to
// the demo's Madrid grief cohort (eight sessions every other Tuesday), whose
// intake questions are in Spanish.
func TestTheDemoCohortTakesApplicationsInSpanish(t *testing.T) {
	forEachEngine(t, func(t *testing.T, ts *testServer) {
		ctx := context.Background()
		if ok, err := ts.App.LoadDemo(ctx); err != nil || !ok {
			t.Fatalf("load demo: %v %v", ok, err)
		}
		const slug = "grupo-de-duelo-chamberi"
		qs, err := ts.App.IntakeQuestions(ctx, hearth.Actor{}, slug)
		if err != nil || len(qs) != 3 {
			t.Fatalf("%d questions, %v", len(qs), err)
		}
		ts.SignUp(t, "lucia", "")
		lucia := signedInBrowser(t, ts, "lucia", "es")

		t.Run("the group page says it meets every other Tuesday and is enrolling", func(t *testing.T) {
			st, body := lucia.get("/groups/" + slug)
			if st != 200 || !strings.Contains(body, `href="/groups/`+slug+`/apply"`) {
				t.Fatalf("%d: no apply link", st)
			}
			if !strings.Contains(text(body), "Cada dos semanas, el martes") {
				t.Errorf("the page does not say the group meets every other Tuesday")
			}
		})
		t.Run("the apply form asks the group's Spanish questions and names its eight sessions", func(t *testing.T) {
			st, body := lucia.get("/groups/" + slug + "/apply")
			if st != 200 {
				t.Fatalf("%d", st)
			}
			for _, want := range []string{qs[0].Prompt, qs[1].Prompt, qs[2].Prompt, "8 sesiones"} {
				if !strings.Contains(text(body), want) {
					t.Errorf("missing %q", want)
				}
			}
		})
		t.Run("an application with the required answer waits for the facilitators, who read it", func(t *testing.T) {
			answer := "A mi madre, en enero."
			st, _, h := lucia.post("/groups/"+slug+"/apply", url.Values{"pseudonym": {"Lucía"}, "accept_guidelines": {"yes"},
				"commit_sessions": {"yes"}, fmt.Sprintf("answer_%d", qs[0].ID): {answer}})
			if st != http.StatusSeeOther || h.Get("Location") != "/groups/"+slug+"/membership" {
				t.Fatalf("%d %s", st, h.Get("Location"))
			}
			_, body := lucia.get("/groups/" + slug + "/membership")
			if !strings.Contains(text(body), answer) {
				t.Errorf("the membership page does not show her answer")
			}
			v, err := ts.App.Members(ctx, hearth.Actor{UserID: 1 << 40, SiteAdmin: true}, slug)
			if err != nil || len(v.Applicants) != 1 || len(v.Applicants[0].Answers) != 1 || v.Applicants[0].Answers[0].Text != answer {
				t.Fatalf("applicants %+v, %v", v, err)
			}
		})
	})
}
