package web

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/sqldb/sqldbtest"
)

// An administrator's reset of someone's lost second factor, through the
// pages and the API on the real stack: who may, who may not, and what the
// reset really ends.
func TestSecondFactorResetByAnAdministrator(t *testing.T) {
	for _, e := range sqldbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			ctx := context.Background()
			c := &clock{t: time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)}
			var logs bytes.Buffer
			ts := newSecurityServerLogging(t, e, c, true, &logs)
			site := hearth.Actor{SiteAdmin: true}

			// A site admin, two organizations with an admin each, a group of
			// the first with a facilitator and a member.
			keeper := ts.SiteAdmin(t, "site-keeper")
			kb := newBrowser(t, ts, "en")
			signInPassword(t, kb, keeper.Handle)
			setUpTOTP(t, kb, c)
			keeperToken, _, err := ts.App.CreateToken(ctx, hearth.Actor{UserID: keeper.ID, SecondFactor: true}, "ops")
			if err != nil {
				t.Fatal(err)
			}
			for _, o := range []string{"river-org", "hill-org"} {
				ts.call(t, "POST", "/api/v1/organizations", keeperToken, map[string]any{"slug": o, "name": o}).wantStatus(t, http.StatusCreated)
			}
			ts.call(t, "POST", "/api/v1/organizations/river-org/groups", keeperToken, groupBody("river-circle", "River Circle")).wantStatus(t, http.StatusCreated)
			admin := func(handle, org string) (*hearth.User, *browser, string) {
				u := ts.SignUp(t, handle, "")
				if err := ts.App.AddOrgAdmin(ctx, site, org, handle); err != nil {
					t.Fatal(err)
				}
				b := newBrowser(t, ts, "en")
				signInPassword(t, b, handle)
				setUpTOTP(t, b, c)
				c.Add(30 * time.Second)
				token, _, err := ts.App.CreateToken(ctx, hearth.Actor{UserID: u.ID, SecondFactor: true}, "ops")
				if err != nil {
					t.Fatal(err)
				}
				return u, b, token
			}
			riverAdmin, rb, riverToken := admin("river-admin", "river-org")
			_, hb, _ := admin("hill-admin", "hill-org")

			lead := ts.SignUp(t, "river-lead", "lead@example.org")
			if err := ts.App.AppointFacilitator(ctx, site, "river-circle", "river-lead", "Lead", hearth.RoleFacilitator); err != nil {
				t.Fatal(err)
			}
			lb := newBrowser(t, ts, "en")
			signInPassword(t, lb, lead.Handle)
			leadSecret, _ := setUpTOTP(t, lb, c)
			c.Add(30 * time.Second)
			lb2 := newBrowser(t, ts, "en") // a second browser, signed in with the code
			if st, _ := signInPassword(t, lb2, lead.Handle); st != http.StatusOK {
				t.Fatalf("the lead's sign-in asks no code: %d", st)
			}
			if st, _, _ := lb2.post("/signin/code", url.Values{"code": {totpNow(t, leadSecret, c)}}); st != http.StatusSeeOther {
				t.Fatalf("code: %d", st)
			}
			leadToken, _, err := ts.App.CreateToken(ctx, hearth.Actor{UserID: lead.ID, SecondFactor: true}, "script")
			if err != nil {
				t.Fatal(err)
			}
			if st, _ := lb.get("/groups/river-circle/members"); st != http.StatusOK {
				t.Fatalf("the lead's members page before the reset: %d", st)
			}
			member := ts.SignUp(t, "river-member", "")
			if _, err := ts.App.JoinGroup(ctx, hearth.Actor{UserID: member.ID, Handle: member.Handle}, "river-circle", "Rio", true); err != nil {
				t.Fatal(err)
			}
			mb := newBrowser(t, ts, "en")
			signInPassword(t, mb, member.Handle)
			const reason = "lost phone and codes; called back REASON-MARKER-5521"
			form := url.Values{"handle": {"river-lead"}, "reason": {reason}}
			api := "/api/v1/users/river-lead/second-factor/reset"

			leadIntact := func(t *testing.T) {
				t.Helper()
				if st, _ := lb.get("/account"); st != http.StatusOK {
					t.Fatalf("a refused reset ended the lead's session: %d", st)
				}
				ts.call(t, "GET", "/api/v1/account", leadToken, nil).wantStatus(t, http.StatusOK)
				if _, body := lb.get("/account/security"); !strings.Contains(body, `id="disable-form"`) {
					t.Fatal("a refused reset turned the lead's second factor off")
				}
			}

			t.Run("a member is refused", func(t *testing.T) {
				ts.call(t, "POST", api, ts.Token(t, member), map[string]any{"reason": reason}).wantError(t, http.StatusForbidden)
				if st, _ := mb.get("/manage/second-factor-reset"); st != http.StatusForbidden {
					t.Fatalf("page: %d", st)
				}
				if st, _, _ := mb.post("/manage/second-factor-reset", form); st != http.StatusForbidden {
					t.Fatalf("form: %d", st)
				}
				leadIntact(t)
			})
			t.Run("the admin of another organization is told there is nobody", func(t *testing.T) {
				if st, _, _ := hb.post("/manage/second-factor-reset", form); st != http.StatusNotFound {
					t.Fatalf("form: %d", st)
				}
				if st, body := hb.get("/manage/second-factor-reset?handle=river-lead"); st != http.StatusNotFound || strings.Contains(body, `id="factor-reset"`) {
					t.Fatalf("look-up: %d", st)
				}
				leadIntact(t)
			})
			t.Run("an admin whose sign-in did not pass their second factor is refused", func(t *testing.T) {
				session, _, err := ts.App.StartSession(ctx, riverAdmin.ID) // as after recovery
				if err != nil {
					t.Fatal(err)
				}
				nb := newBrowser(t, ts, "en")
				base, _ := url.Parse(ts.URL)
				nb.client.Jar.SetCookies(base, []*http.Cookie{{Name: sessionCookie, Value: session, Path: "/"}})
				if st, _, h := nb.do("GET", "/manage/second-factor-reset", nil); st != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/account/security?next=") {
					t.Fatalf("page: %d %s", st, h.Get("Location"))
				}
				if st, body, _ := nb.post("/manage/second-factor-reset", form); st != http.StatusForbidden || !strings.Contains(body, "second factor") {
					t.Fatalf("form: %d", st)
				}
				res := ts.call(t, "POST", api, ts.Token(t, riverAdmin), map[string]any{"reason": reason})
				if res.Status != http.StatusForbidden || res.code() != "second_factor_required" {
					t.Fatalf("API: %d %s", res.Status, res.code())
				}
				leadIntact(t)
			})
			t.Run("nobody resets their own", func(t *testing.T) {
				if st, body, _ := rb.post("/manage/second-factor-reset", url.Values{"handle": {"river-admin"}, "reason": {reason}}); st != http.StatusForbidden || !strings.Contains(body, "your own") {
					t.Fatalf("form: %d", st)
				}
				res := ts.call(t, "POST", "/api/v1/users/site-keeper/second-factor/reset", keeperToken, map[string]any{"reason": reason})
				if res.Status != http.StatusForbidden || res.code() != "factor_reset_self" {
					t.Fatalf("API: %d %s", res.Status, res.code())
				}
			})
			t.Run("a reason is required", func(t *testing.T) {
				st, body, _ := rb.post("/manage/second-factor-reset", url.Values{"handle": {"river-lead"}, "reason": {"  "}})
				if st != http.StatusBadRequest || !strings.Contains(body, `id="reason-errors"`) {
					t.Fatalf("form: %d", st)
				}
				ts.call(t, "POST", api, riverToken, map[string]any{}).wantError(t, http.StatusBadRequest, "reason")
				leadIntact(t)
			})

			t.Run("the organization's admin resets the facilitator's", func(t *testing.T) {
				st, body := rb.get("/manage/second-factor-reset?handle=river-lead")
				if st != http.StatusOK || !strings.Contains(body, `id="factor-reset"`) || !strings.Contains(body, `id="factor-state"`) {
					t.Fatalf("look-up: %d", st)
				}
				st, _, h := rb.post("/manage/second-factor-reset", form)
				if st != http.StatusSeeOther || h.Get("Location") != "/manage/second-factor-reset?handle=river-lead" {
					t.Fatalf("reset: %d %s", st, h.Get("Location"))
				}
				if _, body := rb.get(h.Get("Location")); !strings.Contains(body, "REASON-MARKER-5521") || !strings.Contains(body, `id="factor-reset-history"`) {
					t.Fatal("the page does not show the reset and its reason")
				}
				// Every session and token of the lead ended.
				for i, b := range []*browser{lb, lb2} {
					if st, _, h := b.do("GET", "/account", nil); st != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/signin") {
						t.Fatalf("browser %d still signed in: %d", i+1, st)
					}
				}
				ts.call(t, "GET", "/api/v1/account", leadToken, nil).wantStatus(t, http.StatusUnauthorized)
				// The audit log says who, whom and when, to the organization's admins.
				res := ts.call(t, "GET", "/api/v1/organizations/river-org/audit", riverToken, nil)
				res.wantStatus(t, http.StatusOK)
				if !strings.Contains(string(res.Body), `"action":"second_factor.reset"`) || !strings.Contains(string(res.Body), `"actor":"river-admin"`) || strings.Contains(string(res.Body), "MARKER") {
					t.Fatalf("audit log: %s", res.Body)
				}
			})
			t.Run("at next sign-in the facilitator is sent to set up a new factor", func(t *testing.T) {
				nb := newBrowser(t, ts, "en")
				if st, body := signInPassword(t, nb, lead.Handle); st != http.StatusSeeOther {
					t.Fatalf("the password alone should sign in now: %d %.200s", st, body)
				}
				st, _, h := nb.do("GET", "/groups/river-circle/members", nil)
				if st != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/account/security?next=") {
					t.Fatalf("a staff page without a second factor: %d %s", st, h.Get("Location"))
				}
				if _, body := nb.get("/account/security"); !strings.Contains(body, `id="second-factor-required"`) {
					t.Fatal("the security page does not ask for a new second factor")
				}
				if _, body := nb.get("/notices"); !strings.Contains(body, "An administrator reset your second factor") {
					t.Fatal("no notice of the reset")
				}
				setUpTOTP(t, nb, c)
				if st, _ := nb.get("/groups/river-circle/members"); st != http.StatusOK {
					t.Fatalf("after a new second factor the members page answers %d", st)
				}
			})
			t.Run("a site admin resets an organization admin's through the API", func(t *testing.T) {
				res := ts.call(t, "POST", "/api/v1/users/river-admin/second-factor/reset", keeperToken, map[string]any{"reason": reason})
				res.wantStatus(t, http.StatusOK)
				// Two of each: the browser's and the one without the second
				// factor; the ops token and the one made without it.
				if res.JSON["sessions_ended"] != float64(2) || res.JSON["tokens_revoked"] != float64(2) {
					t.Fatalf("answer: %s", res.Body)
				}
				if st, _ := rb.get("/account"); st != http.StatusSeeOther {
					t.Fatalf("the admin's session lives on: %d", st)
				}
				ts.call(t, "GET", "/api/v1/account", riverToken, nil).wantStatus(t, http.StatusUnauthorized)
			})
			if strings.Contains(logs.String(), "REASON-MARKER") {
				t.Fatal("the reason reached the logs")
			}
		})
	}
}
