package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

// moderationSetup is the membership setup plus members of the open group.
type moderationSetup struct {
	*membershipSetup
	ana, ben     string // tokens
	anaID, benID int64  // membership ids in the open group
}

func setUpModeration(t *testing.T, ts *testServer) *moderationSetup {
	t.Helper()
	s := &moderationSetup{membershipSetup: setUpMembership(t, ts)}
	join := func(handle, name string) (string, int64) {
		tok := ts.Token(t, ts.SignUp(t, handle, handle+"@example.org"))
		res := ts.call(t, "POST", "/api/v1/groups/"+s.open+"/join", tok, map[string]any{"pseudonym": name, "accept_guidelines": true})
		res.wantStatus(t, 201)
		return tok, membershipOf(t, ts, tok, s.open)
	}
	s.ana, s.anaID = join("ana-mod", "Ana")
	s.ben, s.benID = join("ben-mod", "Ben")
	return s
}

// membershipOf returns the id of a person's membership of a group.
func membershipOf(t *testing.T, ts *testServer, token, slug string) int64 {
	t.Helper()
	v, err := ts.App.MyMembership(context.Background(), ts.Actor(t, token), slug)
	if err != nil || v.Membership == nil {
		t.Fatalf("membership of %s: %v", slug, err)
	}
	return v.Membership.ID
}

func member(id int64) map[string]any { return map[string]any{"kind": "member", "id": id} }

func TestMutedMemberIsRefusedWithWhyAndUntilWhen(t *testing.T) {
	forEachEngine(t, func(t *testing.T, ts *testServer) {
		s := setUpModeration(t, ts)
		closed := "/api/v1/groups/" + s.closed
		dee := ts.Token(t, ts.SignUp(t, "dee-mod", ""))
		apply := map[string]any{"pseudonym": "Dee", "accept_guidelines": true, "commit_sessions": true, "answers": []any{}}
		res := ts.call(t, "POST", closed+"/apply", dee, apply)
		res.wantStatus(t, 201)
		deeID := membershipOf(t, ts, dee, s.closed)
		ts.call(t, "POST", closed+fmt.Sprintf("/members/%d/approve", deeID), s.clFacTok, map[string]any{"message": "Welcome"}).wantStatus(t, 200)

		before := time.Now().UTC()
		act := ts.call(t, "POST", closed+"/moderation/actions", s.clFacTok, map[string]any{"subject": member(deeID), "kind": "mute",
			"reason": "harassment", "note": "Please keep to the guidelines.", "minutes": 24 * 60})
		act.wantStatus(t, 201)
		until, err := time.Parse(time.RFC3339, act.JSON["until"].(string))
		if err != nil || until.Before(before.Add(24*time.Hour-time.Minute)) || until.After(before.Add(24*time.Hour+time.Minute)) {
			t.Fatalf("until %v %v", act.JSON["until"], err)
		}

		t.Run("the API refuses what a muted member writes, saying why and until when", func(t *testing.T) {
			res := ts.call(t, "POST", closed+"/apply", dee, apply)
			res.wantError(t, 403)
			e := jsonObj(res.JSON["error"])
			msg, _ := e["message"].(string)
			if e["code"] != "muted" || !strings.Contains(msg, until.Format("2006-01-02 15:04")) || !strings.Contains(msg, "harassment") {
				t.Fatalf("refusal %s", res.Body)
			}
			f := jsonObj(jsonList(e["fields"])[0])
			if jsonObj(f["params"])["Until"] != until.Format(time.RFC3339) {
				t.Fatalf("no machine-readable end: %s", res.Body)
			}
		})
		t.Run("the membership page says the posting pause, its reason and its end, in Spanish too", func(t *testing.T) {
			b := signedInBrowser(t, ts, "dee-mod", "es")
			st, body := b.get("/groups/" + s.closed + "/membership")
			if st != 200 || !strings.Contains(body, `id="muted"`) || !strings.Contains(text(body), "Motivo: Acoso") || !strings.Contains(body, `href="/moderation"`) {
				t.Fatalf("%d %s", st, body)
			}
			st, body = b.get("/moderation")
			if st != 200 || !strings.Contains(text(body), "Please keep to the guidelines.") || !strings.Contains(body, "action-until-") {
				t.Fatalf("moderation page %d %s", st, body)
			}
		})
		t.Run("the person is told, and the notice carries no reason text", func(t *testing.T) {
			res := ts.call(t, "GET", "/api/v1/account/notices", dee, nil)
			res.wantStatus(t, 200)
			if !strings.Contains(string(res.Body), "moderation_action") || strings.Contains(string(res.Body), "keep to the guidelines") {
				t.Fatalf("notices %s", res.Body)
			}
		})
	})
}

func TestReportFloodIsThrottled(t *testing.T) {
	forEachEngine(t, func(t *testing.T, ts *testServer) {
		s := setUpModeration(t, ts)
		open := "/api/v1/groups/" + s.open
		var targets []int64
		for i := range 11 {
			tok := ts.Token(t, ts.SignUp(t, fmt.Sprintf("target-%d", i), ""))
			res := ts.call(t, "POST", open+"/join", tok, map[string]any{"pseudonym": fmt.Sprintf("Target %d", i), "accept_guidelines": true})
			res.wantStatus(t, 201)
			targets = append(targets, membershipOf(t, ts, tok, s.open))
		}
		t.Run("a crisis concern about someone else reaches the facilitator at once", func(t *testing.T) {
			ts.call(t, "POST", open+"/reports", s.ana, map[string]any{"subject": member(s.benID), "reason": "crisis_concern"}).wantStatus(t, 201)
			res := ts.call(t, "GET", "/api/v1/account/notices", s.openFacTok, nil)
			if !strings.Contains(string(res.Body), "report_received") {
				t.Fatalf("facilitator notices %s", res.Body)
			}
			mine := ts.call(t, "GET", open+"/membership", s.ben, nil)
			if jsonObj(mine.JSON["membership"])["status"] != "active" {
				t.Fatalf("a crisis report acted on Ben: %s", mine.Body)
			}
		})
		t.Run("one account's flood is refused with 429 and a clear message", func(t *testing.T) {
			sent := 1 // the crisis concern above
			var last *apiResult
			for _, id := range targets {
				last = ts.call(t, "POST", open+"/reports", s.ana, map[string]any{"subject": member(id), "reason": "spam"})
				if last.Status != 201 {
					break
				}
				sent++
			}
			last.wantError(t, 429)
			if sent != 10 || jsonObj(last.JSON["error"])["code"] != "report_rate" || !strings.Contains(jsonObj(last.JSON["error"])["message"].(string), "wait") {
				t.Fatalf("after %d: %s", sent, last.Body)
			}
			q := ts.call(t, "GET", open+"/reports", s.openFacTok, nil)
			q.wantStatus(t, 200)
			if n := len(q.list("reports")); n != 10 {
				t.Fatalf("%d reports in the queue, want 10", n)
			}
		})
		t.Run("the report form shows the refusal to a person on a page", func(t *testing.T) {
			b := signedInBrowser(t, ts, "ana-mod", "en")
			st, body, _ := b.post("/groups/"+s.open+"/report", url.Values{"subject_id": {strconv.FormatInt(targets[10], 10)}, "reason": {"spam"}})
			if st != http.StatusTooManyRequests || !strings.Contains(text(body), "many reports in a short time") {
				t.Fatalf("%d %s", st, body)
			}
		})
	})
}

func TestModerationThroughPagesAndAPI(t *testing.T) {
	forEachEngine(t, func(t *testing.T, ts *testServer) {
		s := setUpModeration(t, ts)
		open := "/api/v1/groups/" + s.open
		const secret = "BEN-WROTE-NASTY-THINGS-4471"
		ana := signedInBrowser(t, ts, "ana-mod", "en")
		fac := signedInBrowser(t, ts, s.openFac, "en")
		var reportID string

		t.Run("a member reports another through the form, and the facilitator sees it in the queue", func(t *testing.T) {
			st, body := ana.get("/groups/" + s.open + "/report?kind=member&id=" + strconv.FormatInt(s.benID, 10))
			if st != 200 || !strings.Contains(body, `<option value="`+strconv.FormatInt(s.benID, 10)+`" selected>Ben</option>`) || strings.Contains(body, ">Ana<") {
				t.Fatalf("%d %s", st, body)
			}
			st, body, _ = ana.post("/groups/"+s.open+"/report", url.Values{"subject_id": {strconv.FormatInt(s.benID, 10)}, "reason": {"other"}})
			if st != http.StatusBadRequest || !strings.Contains(body, `id="note-errors"`) {
				t.Fatalf("a reason of other without a note: %d %s", st, body)
			}
			st, _, h := ana.post("/groups/"+s.open+"/report", url.Values{"subject_id": {strconv.FormatInt(s.benID, 10)}, "reason": {"harassment"}, "note": {secret}})
			if st != http.StatusSeeOther || h.Get("Location") != "/groups/"+s.open+"/report?sent=1" {
				t.Fatalf("%d %v", st, h)
			}
			st, body = fac.get("/groups/" + s.open + "/reports")
			if st != 200 || !strings.Contains(body, "Member Ben") || !strings.Contains(body, "<td>Ana</td>") || strings.Contains(body, secret) {
				t.Fatalf("queue %d %s", st, body)
			}
			q := ts.call(t, "GET", open+"/reports", s.openFacTok, nil)
			q.wantStatus(t, 200)
			reportID = fmt.Sprint(jsonObj(q.list("reports")[0])["id"])
			d := ts.call(t, "GET", "/api/v1/reports/"+reportID, s.openFacTok, nil)
			d.wantStatus(t, 200)
			if d.JSON["note"] != secret {
				t.Fatalf("detail %s", d.Body)
			}
			for _, tok := range []string{s.ana, s.ben} {
				ts.call(t, "GET", "/api/v1/reports/"+reportID, tok, nil).wantError(t, 404)
				ts.call(t, "GET", open+"/reports", tok, nil).wantError(t, 403)
			}
		})
		t.Run("the facilitator warns from the report page; Ben reads why and appeals once", func(t *testing.T) {
			st, body := fac.get("/reports/" + reportID)
			if st != 200 || !strings.Contains(body, secret) || !strings.Contains(body, `id="kind-warn"`) || strings.Contains(body, `id="kind-ban_org"`) {
				t.Fatalf("report page %d %s", st, body)
			}
			st, body, _ = fac.post("/reports/"+reportID+"/act", url.Values{"kind": {"mute"}, "reason": {"harassment"}, "minutes": {"5"}})
			if st != http.StatusBadRequest || !strings.Contains(body, `id="minutes-errors"`) {
				t.Fatalf("a five-minute mute: %d %s", st, body)
			}
			st, _, _ = fac.post("/reports/"+reportID+"/act", url.Values{"kind": {"warn"}, "reason": {"harassment"}, "note": {"Words can hurt here."}})
			if st != http.StatusSeeOther {
				t.Fatalf("warn %d", st)
			}
			mine := ts.call(t, "GET", "/api/v1/account/moderation", s.ben, nil)
			mine.wantStatus(t, 200)
			acts := mine.list("actions")
			if len(acts) != 1 || jsonObj(acts[0])["kind"] != "warn" || jsonObj(acts[0])["note"] != "Words can hurt here." || jsonObj(acts[0])["can_appeal"] != true {
				t.Fatalf("Ben's decisions %s", mine.Body)
			}
			id := fmt.Sprint(jsonObj(acts[0])["id"])
			ts.call(t, "POST", "/api/v1/account/moderation/"+id+"/appeal", s.ana, map[string]any{"note": "not mine"}).wantError(t, 404)
			ts.call(t, "POST", "/api/v1/account/moderation/"+id+"/appeal", s.ben, map[string]any{"note": "I was quoting her."}).wantStatus(t, 201)
			ts.call(t, "POST", "/api/v1/account/moderation/"+id+"/appeal", s.ben, map[string]any{"note": "again"}).wantError(t, 409)
			q := ts.call(t, "GET", open+"/reports", s.openFacTok, nil)
			if len(q.list("reports")) != 0 || len(q.list("appeals")) != 1 {
				t.Fatalf("queue after acting %s", q.Body)
			}
			apID := fmt.Sprint(jsonObj(q.list("appeals")[0])["id"])
			// The facilitator who warned may not decide the appeal; the organization's admin may.
			ts.call(t, "POST", "/api/v1/appeals/"+apID+"/decision", s.openFacTok, map[string]any{"overturn": true}).wantError(t, 403)
			res := ts.call(t, "POST", "/api/v1/appeals/"+apID+"/decision", s.adminToken, map[string]any{"overturn": false, "note": "It stands."})
			res.wantStatus(t, 200)
			if res.JSON["status"] != "upheld" {
				t.Fatalf("decision %s", res.Body)
			}
			b := signedInBrowser(t, ts, "ben-mod", "en")
			st, body = b.get("/moderation")
			if st != 200 || !strings.Contains(body, "the decision stands") || !strings.Contains(text(body), "It stands.") || strings.Contains(body, "/appeal\"") {
				t.Fatalf("Ben's page %d %s", st, body)
			}
		})
		t.Run("blocks go through the form and the API, and outsiders cannot block", func(t *testing.T) {
			st, _, _ := ana.post(fmt.Sprintf("/groups/%s/blocks/%d", s.open, s.benID), url.Values{})
			if st != http.StatusSeeOther {
				t.Fatalf("block %d", st)
			}
			peers := ts.call(t, "GET", open+"/peers", s.ana, nil)
			peers.wantStatus(t, 200)
			if !strings.Contains(string(peers.Body), `"pseudonym":"Ben","blocked":true`) || strings.Contains(string(peers.Body), "ben-mod") {
				t.Fatalf("peers %s", peers.Body)
			}
			ts.call(t, "DELETE", fmt.Sprintf("%s/blocks/%d", open, s.benID), s.ana, nil).wantStatus(t, 204)
			ts.call(t, "DELETE", fmt.Sprintf("%s/blocks/%d", open, s.benID), s.ana, nil).wantError(t, 409)
			outsider := ts.Token(t, ts.SignUp(t, "outsider-mod", ""))
			ts.call(t, "PUT", fmt.Sprintf("%s/blocks/%d", open, s.benID), outsider, nil).wantError(t, 403)
			ts.call(t, "POST", open+"/reports", outsider, map[string]any{"subject": member(s.benID), "reason": "spam"}).wantError(t, 404)
		})
		t.Run("posting rules are set on the queue page and read back in the API", func(t *testing.T) {
			st, body, _ := fac.post("/groups/"+s.open+"/moderation/settings", url.Values{"new_member_days": {"200"}, "new_member_posts_per_hour": {"3"}, "posts_per_hour": {"30"}})
			if st != http.StatusBadRequest || !strings.Contains(body, `id="new_member_days-errors"`) {
				t.Fatalf("%d %s", st, body)
			}
			st, _, _ = fac.post("/groups/"+s.open+"/moderation/settings", url.Values{"new_member_days": {"14"}, "new_member_posts_per_hour": {"3"}, "posts_per_hour": {"30"}, "approve_first_posts": {"yes"}})
			if st != http.StatusSeeOther {
				t.Fatalf("save %d", st)
			}
			res := ts.call(t, "GET", open+"/moderation/settings", s.openFacTok, nil)
			res.wantStatus(t, 200)
			if res.JSON["new_member_days"] != 14.0 || res.JSON["approve_first_posts"] != true {
				t.Fatalf("%s", res.Body)
			}
		})
		t.Run("every action is in the organization's audit log, with codes and never the words", func(t *testing.T) {
			res := ts.call(t, "GET", "/api/v1/organizations/riverside/audit", s.adminToken, nil)
			res.wantStatus(t, 200)
			body := string(res.Body)
			for _, want := range []string{"report.filed", "moderation.warn", "appeal.filed", "appeal.upheld", "moderation.settings"} {
				if !strings.Contains(body, `"`+want+`"`) {
					t.Errorf("audit log lacks %s: %s", want, body)
				}
			}
			for _, words := range []string{secret, "Words can hurt", "quoting her", "It stands"} {
				if strings.Contains(body, words) {
					t.Errorf("audit log holds %q", words)
				}
			}
		})
	})
}
