package web

import (
	"context"
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/sqldb"
)

// signedIn returns a browser signed in as the account (made by the test
// server's helpers, with testPassword).
func signedInBrowser(t testing.TB, ts *testServer, handle, lang string) *browser {
	t.Helper()
	b := newBrowser(t, ts, lang)
	if st, body, _ := b.post("/signin", url.Values{"login": {handle}, "password": {testPassword}}); st != http.StatusSeeOther {
		t.Fatalf("sign in as %s: %d %s", handle, st, body)
	}
	return b
}

// openGroupForm is the form of an in-person open group whose position and
// time zone the app finds from its ZIP code.
func openGroupForm(name string) url.Values {
	return url.Values{
		"name": {name}, "description": {"A weekly circle for anyone grieving a death, however long ago."},
		"what_to_expect": {"Tea, a round of names, and time to speak or just listen."},
		"topics":         {"grief", "loss-of-parent"}, "format": {"in_person"}, "leadership": {"peer_led"},
		"policy": {"open"}, "visibility": {"listed"},
		"address": {"1100 Congress Ave"}, "city": {"Austin"}, "region": {"TX"}, "postal_code": {"78701"}, "country": {"US"},
		"time_zone": {""}, "venue_notes": {"Side door, second floor."},
		"accessibility": {"wheelchair", "transit"}, "languages": {"en", "es"}, "age_band": {"adults"}, "gender": {"any"},
		"cost": {"free"}, "guidelines": {"What is said here stays here.\r\nSpeak from your own experience."},
		"contact": {"circle@example.org"}, "weekday": {"tue"}, "start": {"19:00"}, "duration": {"90"},
	}
}

// closedGroupForm is the form of an online closed cohort.
func closedGroupForm(name string) url.Values {
	return url.Values{
		"name": {name}, "description": {"Eight weeks for caregivers of people living with dementia."},
		"topics": {"dementia-caregivers"}, "format": {"online"}, "leadership": {"professional_led"},
		"facilitator_credentials": {"Licensed clinical social worker"},
		"policy":                  {"closed"}, "enrollment_cap": {"12"}, "sessions": {"8"},
		"opens": {"2026-01-05"}, "closes": {"2026-12-20"}, "starts": {"2027-01-07"},
		"visibility": {"listed"}, "time_zone": {"America/Chicago"}, "languages": {"en"},
		"age_band": {"all"}, "gender": {"any"}, "cost": {"donation"},
		"weekday": {"thu"}, "start": {"18:30"}, "duration": {"60"},
	}
}

func formWith(v url.Values, changes map[string][]string) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	for k, vs := range changes {
		if vs == nil {
			delete(out, k)
		} else {
			out[k] = vs
		}
	}
	return out
}

func orgGroupCount(t testing.TB, ts *testServer, org string) int {
	t.Helper()
	admin := hearth.Actor{UserID: -1, SiteAdmin: true}
	_, gs, err := ts.App.OrganizationGroups(context.Background(), admin, org)
	if err != nil {
		t.Fatal(err)
	}
	return len(gs)
}

// errorsOf returns the problems listed under a field.
func fieldErrorsIn(body, field string) string {
	m := regexp.MustCompile(`(?s)<div id="` + regexp.QuoteMeta(field) + `-errors">(.*?)</div>`).FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return html.UnescapeString(m[1])
}

func TestManageOrganizationsAndGroups(t *testing.T) {
	forEachEngine(t, func(t *testing.T, ts *testServer) {
		ts.SiteAdmin(t, "site-root")
		ts.SignUp(t, "org-lead", "")
		ts.SignUp(t, "sam-facilitates", "")
		ts.SignUp(t, "plain-member", "")
		root := signedInBrowser(t, ts, "site-root", "en")
		const org = "eastside-hospice"

		t.Run("a stranger is sent to sign in", func(t *testing.T) {
			st, _, h := newBrowser(t, ts, "en").do("GET", "/manage", nil)
			if st != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/signin") {
				t.Fatalf("%d %s", st, h.Get("Location"))
			}
		})

		t.Run("a site admin creates an organization", func(t *testing.T) {
			st, body := root.get("/manage")
			if st != http.StatusOK || !strings.Contains(body, `id="create-organization"`) {
				t.Fatalf("%d %s", st, body)
			}
			st, body, _ = root.post("/manage/organizations", url.Values{"name": {"Eastside Hospice"}, "website": {"ftp://nope"}})
			if st != http.StatusBadRequest || !strings.Contains(fieldErrorsIn(body, "website"), "https://") || !strings.Contains(body, `value="Eastside Hospice"`) {
				t.Fatalf("a bad website: %d %s", st, body)
			}
			st, _, h := root.post("/manage/organizations", url.Values{"name": {"Eastside Hospice"}, "description": {"Grief support since 1982."},
				"website": {"https://eastside.example"}, "contact": {"+1 512 555 0100"}})
			if st != http.StatusSeeOther || h.Get("Location") != "/manage/"+org {
				t.Fatalf("%d %s", st, h.Get("Location"))
			}
			st, body = root.get("/manage/" + org)
			if st != http.StatusOK || !strings.Contains(body, "Eastside Hospice") || !strings.Contains(body, `id="no-groups"`) {
				t.Fatalf("%d %s", st, body)
			}
			if _, body := root.get("/manage"); !strings.Contains(body, `href="/manage/`+org+`"`) {
				t.Fatal("the organization is not listed on /manage")
			}
		})

		t.Run("a site admin adds an organization admin by handle", func(t *testing.T) {
			st, body, _ := root.post("/manage/"+org+"/admins", url.Values{"handle": {"nobody-here"}})
			if st != http.StatusBadRequest || !strings.Contains(fieldErrorsIn(body, "handle"), "No account has that handle") {
				t.Fatalf("%d %s", st, body)
			}
			st, _, h := root.post("/manage/"+org+"/admins", url.Values{"handle": {"Org-Lead"}})
			if st != http.StatusSeeOther || h.Get("Location") != "/manage/"+org {
				t.Fatalf("%d %s", st, h.Get("Location"))
			}
			if _, body := root.get("/manage/" + org); !regexp.MustCompile(`(?s)id="admin-list">.*org-lead`).MatchString(body) {
				t.Fatal("org-lead is not listed as an admin")
			}
		})

		lead := signedInBrowser(t, ts, "org-lead", "en")

		t.Run("the org admin sees the organization and the new-group form", func(t *testing.T) {
			_, body := lead.get("/account")
			if !strings.Contains(body, `id="manage-link"`) {
				t.Fatal("no link to manage organizations on the account page")
			}
			_, body = lead.get("/manage")
			if !strings.Contains(body, `href="/manage/`+org+`"`) || strings.Contains(body, `id="create-organization"`) {
				t.Fatal("the org admin's /manage is wrong")
			}
			st, body := lead.get("/manage/" + org + "/groups/new")
			if st != http.StatusOK || !strings.Contains(body, `id="group-form"`) || len(body) > 100_000 {
				t.Fatalf("%d, %d bytes", st, len(body))
			}
			if strings.Count(body, "<h1") != 1 {
				t.Fatal("the form page has not exactly one h1")
			}
		})

		t.Run("the org admin creates an open group through the form and it appears on its page", func(t *testing.T) {
			st, body, h := lead.post("/manage/"+org+"/groups", openGroupForm("Grief Circle — Eastside"))
			if st != http.StatusSeeOther || h.Get("Location") != "/groups/grief-circle-eastside" {
				t.Fatalf("%d %s %s", st, h.Get("Location"), body)
			}
			st, body = lead.get("/groups/grief-circle-eastside")
			if st != http.StatusOK || !strings.Contains(body, "Grief Circle — Eastside") || !strings.Contains(body, "The group was saved.") ||
				!strings.Contains(body, "Side door, second floor.") {
				t.Fatalf("%d %s", st, body)
			}
			v, err := ts.App.Group(context.Background(), hearth.Anonymous, "grief-circle-eastside")
			if err != nil {
				t.Fatal(err)
			}
			g := v.Group
			if !g.Location.HasPoint || g.Location.TimeZone != "America/Chicago" || g.Schedule.Weekday != time.Tuesday ||
				g.Schedule.Start != 19*60 || g.Guidelines != "What is said here stays here.\nSpeak from your own experience." {
				t.Fatalf("stored %+v", g)
			}
		})

		t.Run("the org admin creates a closed group through the form and it appears on its page", func(t *testing.T) {
			st, body, h := lead.post("/manage/"+org+"/groups", closedGroupForm("Dementia Caregivers Cohort"))
			if st != http.StatusSeeOther || h.Get("Location") != "/groups/dementia-caregivers-cohort" {
				t.Fatalf("%d %s %s", st, h.Get("Location"), body)
			}
			st, body = lead.get("/groups/dementia-caregivers-cohort")
			if st != http.StatusOK || !strings.Contains(body, "Dementia Caregivers Cohort") || !strings.Contains(body, `data-policy="closed"`) {
				t.Fatalf("%d %s", st, body)
			}
			v, err := ts.App.Group(context.Background(), hearth.Anonymous, "dementia-caregivers-cohort")
			if err != nil {
				t.Fatal(err)
			}
			chicago, _ := time.LoadLocation("America/Chicago")
			e := v.Group.Enrollment
			if e == nil || e.Cap != 12 || e.Sessions != 8 ||
				!e.Opens.Equal(time.Date(2026, 1, 5, 0, 0, 0, 0, chicago)) ||
				!e.Closes.Equal(time.Date(2026, 12, 20, 23, 59, 59, 0, chicago)) ||
				!e.Starts.Equal(time.Date(2027, 1, 7, 18, 30, 0, 0, chicago)) {
				t.Fatalf("enrollment %+v", e)
			}
			if _, body := lead.get("/manage/" + org); !strings.Contains(body, `href="/groups/dementia-caregivers-cohort/edit"`) {
				t.Fatal("the org page does not link to the new group's edit page")
			}
		})

		t.Run("a closed group without a cap re-renders the form with a message next to the cap field and stores nothing", func(t *testing.T) {
			before := orgGroupCount(t, ts, org)
			st, body, _ := lead.post("/manage/"+org+"/groups", formWith(closedGroupForm("Second Cohort"), map[string][]string{"enrollment_cap": nil}))
			if st != http.StatusBadRequest {
				t.Fatalf("%d", st)
			}
			if !strings.Contains(fieldErrorsIn(body, "enrollment_cap"), "enrollment cap") ||
				!regexp.MustCompile(`id="enrollment_cap" name="enrollment_cap"[^>]*aria-describedby="enrollment_cap-hint enrollment_cap-errors"[^>]*aria-invalid="true"`).MatchString(body) {
				t.Fatal("no message next to the cap field")
			}
			if !strings.Contains(body, `value="Second Cohort"`) || !strings.Contains(body, `value="dementia-caregivers" checked`) ||
				!strings.Contains(body, `value="2026-01-05"`) || !strings.Contains(body, `id="form-errors"`) {
				t.Fatal("the person's input was not kept")
			}
			if orgGroupCount(t, ts, org) != before {
				t.Fatal("a group was stored")
			}
		})

		t.Run("what the form cannot read is explained next to its field together with the domain's problems", func(t *testing.T) {
			before := orgGroupCount(t, ts, org)
			st, body, _ := lead.post("/manage/"+org+"/groups", formWith(closedGroupForm("Third Cohort"),
				map[string][]string{"enrollment_cap": {"twelve"}, "start": {"25:99"}, "opens": {"next monday"}, "topics": nil}))
			if st != http.StatusBadRequest {
				t.Fatalf("%d", st)
			}
			for field, want := range map[string]string{
				"enrollment_cap":    "whole number",
				"start":             "like 19:00",
				"enrollment_window": "as a date",
				"topics":            "at least one topic",
			} {
				if !strings.Contains(fieldErrorsIn(body, field), want) {
					t.Errorf("%s: %q does not say %q", field, fieldErrorsIn(body, field), want)
				}
			}
			if !strings.Contains(body, `value="twelve"`) || !strings.Contains(body, `value="25:99"`) {
				t.Error("what was typed is not kept")
			}
			if orgGroupCount(t, ts, org) != before {
				t.Fatal("a group was stored")
			}
		})

		t.Run("a taken slug gives a clear message and stores nothing", func(t *testing.T) {
			before := orgGroupCount(t, ts, org)
			st, body, _ := lead.post("/manage/"+org+"/groups", formWith(openGroupForm("Another Circle"), map[string][]string{"slug": {"grief-circle-eastside"}}))
			if st != http.StatusConflict || !strings.Contains(fieldErrorsIn(body, "slug"), "Another group already uses this web address name") {
				t.Fatalf("%d %q", st, fieldErrorsIn(body, "slug"))
			}
			if orgGroupCount(t, ts, org) != before {
				t.Fatal("a group was stored")
			}
		})

		t.Run("Spanish speakers read the form's problems in Spanish", func(t *testing.T) {
			es := signedInBrowser(t, ts, "org-lead", "es")
			st, body, _ := es.post("/manage/"+org+"/groups", formWith(closedGroupForm("Cohorte"), map[string][]string{"enrollment_cap": {"doce"}}))
			if st != http.StatusBadRequest || !strings.Contains(fieldErrorsIn(body, "enrollment_cap"), "número entero") || !strings.Contains(body, `<html lang="es">`) {
				t.Fatalf("%d %q", st, fieldErrorsIn(body, "enrollment_cap"))
			}
		})

		const slug = "grief-circle-eastside"

		t.Run("a facilitator appointed through the form can then edit the group but not create groups", func(t *testing.T) {
			st, body := lead.get("/groups/" + slug + "/edit")
			if st != http.StatusOK || !strings.Contains(body, `id="appoint"`) || !strings.Contains(body, `value="Grief Circle — Eastside"`) ||
				!strings.Contains(body, `value="78701"`) || !strings.Contains(body, `<option value="tue" selected>`) {
				t.Fatalf("%d %s", st, body)
			}
			st, body, _ = lead.post("/groups/"+slug+"/facilitators", url.Values{"handle": {"sam-facilitates"}, "pseudonym": {"x"}, "role": {"facilitator"}})
			if st != http.StatusBadRequest || fieldErrorsIn(body, "appoint-pseudonym") == "" {
				t.Fatalf("a too-short pseudonym: %d %s", st, body)
			}
			st, _, h := lead.post("/groups/"+slug+"/facilitators", url.Values{"handle": {"sam-facilitates"}, "pseudonym": {"Sam"}, "role": {"facilitator"}})
			if st != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/groups/"+slug+"/edit") {
				t.Fatalf("%d %s", st, h.Get("Location"))
			}
			if _, body := lead.get("/groups/" + slug + "/edit"); !regexp.MustCompile(`(?s)id="facilitator-list".*Sam.*sam-facilitates`).MatchString(body) {
				t.Fatal("the facilitator is not listed")
			}

			sam := signedInBrowser(t, ts, "sam-facilitates", "en")
			st, body = sam.get("/groups/" + slug + "/edit")
			if st != http.StatusOK || strings.Contains(body, `id="appoint"`) {
				t.Fatalf("%d; appoint form shown: %v", st, strings.Contains(body, `id="appoint"`))
			}
			form := openGroupForm("Grief Circle — Eastside")
			form.Set("description", "Now meeting in the library annex.")
			form.Set("slug", "an-attempt-to-move-it")
			st, _, h = sam.post("/groups/"+slug+"/edit", form)
			if st != http.StatusSeeOther || h.Get("Location") != "/groups/"+slug {
				t.Fatalf("%d %s", st, h.Get("Location"))
			}
			if _, body := sam.get("/groups/" + slug); !strings.Contains(body, "Now meeting in the library annex.") {
				t.Fatal("the edit did not show")
			}
			if st, _ := sam.get("/manage/" + org + "/groups/new"); st != http.StatusForbidden {
				t.Fatalf("new-group form: %d", st)
			}
			if st, _, _ := sam.post("/manage/"+org+"/groups", openGroupForm("Sam's Own Group")); st != http.StatusForbidden {
				t.Fatalf("create: %d", st)
			}
			if st, _, _ := sam.post("/groups/"+slug+"/facilitators", url.Values{"handle": {"plain-member"}, "pseudonym": {"Pat"}}); st != http.StatusForbidden {
				t.Fatalf("appoint: %d", st)
			}
		})

		t.Run("an edit that breaks a rule keeps the input and changes nothing", func(t *testing.T) {
			form := openGroupForm("Grief Circle — Eastside")
			form.Set("duration", "5")
			form.Set("description", "Changed?")
			st, body, _ := lead.post("/groups/"+slug+"/edit", form)
			if st != http.StatusBadRequest || !strings.Contains(fieldErrorsIn(body, "duration"), "15 minutes") || !strings.Contains(body, `value="5"`) {
				t.Fatalf("%d %q", st, fieldErrorsIn(body, "duration"))
			}
			if _, body := lead.get("/groups/" + slug); strings.Contains(body, "Changed?") {
				t.Fatal("the change was stored")
			}
		})

		t.Run("a plain member gets 403 on the organization page and on the group's edit page", func(t *testing.T) {
			m := signedInBrowser(t, ts, "plain-member", "en")
			if st, _, _ := m.post("/groups/"+slug+"/join", url.Values{"pseudonym": {"Pat"}, "accept_guidelines": {"yes"}}); st != http.StatusSeeOther {
				t.Fatalf("join: %d", st)
			}
			for _, path := range []string{"/manage/" + org, "/groups/" + slug + "/edit", "/manage/" + org + "/groups/new"} {
				if st, _ := m.get(path); st != http.StatusForbidden {
					t.Errorf("GET %s: %d", path, st)
				}
			}
			for path, form := range map[string]url.Values{
				"/groups/" + slug + "/edit":         openGroupForm("Taken Over"),
				"/manage/" + org + "/admins":        {"handle": {"plain-member"}},
				"/manage/organizations":             {"name": {"My Own Org"}},
				"/groups/" + slug + "/facilitators": {"handle": {"plain-member"}},
			} {
				if st, _, _ := m.post(path, form); st != http.StatusForbidden {
					t.Errorf("POST %s: %d", path, st)
				}
			}
			st, body := m.get("/manage")
			if st != http.StatusOK || !strings.Contains(body, `id="no-orgs"`) {
				t.Fatalf("%d", st)
			}
			if _, body := m.get("/account"); strings.Contains(body, `id="manage-link"`) {
				t.Fatal("a plain member sees the manage link")
			}
		})

		t.Run("an unknown organization or group is not found", func(t *testing.T) {
			for _, path := range []string{"/manage/no-such-org", "/manage/no-such-org/groups/new", "/groups/no-such-group/edit"} {
				if st, _ := lead.get(path); st != http.StatusNotFound {
					t.Errorf("%s: %d", path, st)
				}
			}
		})
	})
}

var newTokenRE = regexp.MustCompile(`<code id="new-token">([^<]+)</code>`)

func TestAccountPage(t *testing.T) {
	forEachEngine(t, func(t *testing.T, ts *testServer) {
		me := ts.SignUp(t, "quiet-river", "")
		ts.SignUp(t, "with-email", "river@example.org")
		b := signedInBrowser(t, ts, "quiet-river", "en")

		t.Run("the account page shows the handle and, without an email, the recovery-code reminder", func(t *testing.T) {
			st, body := b.get("/account")
			if st != http.StatusOK || !strings.Contains(body, `<dd id="account-handle">quiet-river</dd>`) ||
				!strings.Contains(body, "keep your recovery code safe") || !strings.Contains(body, `id="no-tokens"`) {
				t.Fatalf("%d %s", st, body)
			}
			if strings.Count(body, "<h1") != 1 || len(body) > 100_000 {
				t.Fatal("one h1 and under 100 KB")
			}
			_, body = signedInBrowser(t, ts, "with-email", "en").get("/account")
			if !strings.Contains(body, "river@example.org") {
				t.Fatal("the email is not shown")
			}
		})

		t.Run("the new-token page shows the token once and the token works against the API", func(t *testing.T) {
			st, body, _ := b.post("/account/tokens", url.Values{"name": {"my script"}})
			m := newTokenRE.FindStringSubmatch(body)
			if st != http.StatusCreated || m == nil || !strings.Contains(body, "will not be shown again") {
				t.Fatalf("%d %s", st, body)
			}
			token := m[1]
			if _, body := b.get("/account"); strings.Contains(body, token) || strings.Contains(body, `id="new-token"`) ||
				!strings.Contains(body, "my script") {
				t.Fatal("the token is shown again, or not listed by name")
			}

			req, _ := http.NewRequest("GET", ts.URL+"/api/v1/account", nil)
			req.Header.Set("Authorization", "Bearer "+token)
			res, err := ts.Client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			var got struct {
				Handle string `json:"handle"`
			}
			json.NewDecoder(res.Body).Decode(&got)
			res.Body.Close()
			if res.StatusCode != http.StatusOK || got.Handle != "quiet-river" {
				t.Fatalf("GET /api/v1/account with the token: %d %q", res.StatusCode, got.Handle)
			}

			_, body = b.get("/account")
			id := regexp.MustCompile(`action="/account/tokens/(\d+)/revoke"`).FindStringSubmatch(body)
			if id == nil {
				t.Fatal("no revoke button")
			}
			st, _, h := b.post("/account/tokens/"+id[1]+"/revoke", url.Values{})
			if st != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/account") {
				t.Fatalf("revoke: %d", st)
			}
			if _, _, err := ts.App.TokenActor(context.Background(), token); hearth.ErrorKind(err) != hearth.Unauthorized {
				t.Fatalf("a revoked token still works: %v", err)
			}
			if st, _, _ := b.post("/account/tokens/"+id[1]+"/revoke", url.Values{}); st != http.StatusNotFound {
				t.Fatalf("revoking twice: %d", st)
			}
		})

		t.Run("someone else's token cannot be revoked", func(t *testing.T) {
			other := ts.SignUp(t, "someone-else", "")
			token := ts.Token(t, other)
			toks, err := ts.App.Tokens(context.Background(), hearth.Actor{UserID: other.ID})
			if err != nil || len(toks) != 1 {
				t.Fatal(err)
			}
			if st, _, _ := b.post("/account/tokens/"+strconv.FormatInt(toks[0].ID, 10)+"/revoke", url.Values{}); st != http.StatusNotFound {
				t.Fatalf("%d", st)
			}
			if _, _, err := ts.App.TokenActor(context.Background(), token); err != nil {
				t.Fatal("the other person's token was revoked")
			}
		})

		t.Run("a token without a name is explained next to the name field", func(t *testing.T) {
			st, body, _ := b.post("/account/tokens", url.Values{"name": {"  "}})
			if st != http.StatusBadRequest || !strings.Contains(fieldErrorsIn(body, "name"), "1 to 60 characters") || newTokenRE.MatchString(body) {
				t.Fatalf("%d %q", st, fieldErrorsIn(body, "name"))
			}
		})

		t.Run("an unknown time zone is explained next to its field", func(t *testing.T) {
			st, body, _ := b.post("/account/preferences", url.Values{"locale": {"en"}, "time_zone": {"Mars/Olympus"}})
			if st != http.StatusBadRequest || fieldErrorsIn(body, "time_zone") == "" {
				t.Fatalf("%d", st)
			}
		})

		t.Run("saved preferences change the language and the zone", func(t *testing.T) {
			st, _, h := b.post("/account/preferences", url.Values{"locale": {"es"}, "time_zone": {"Europe/Madrid"}})
			if st != http.StatusSeeOther || h.Get("Location") != "/account" {
				t.Fatalf("%d", st)
			}
			_, body := b.get("/account")
			if !strings.Contains(body, `<html lang="es">`) || !strings.Contains(body, "Tu cuenta") ||
				!strings.Contains(body, `<option value="Europe/Madrid" selected>`) {
				t.Fatal("the preferences did not take effect")
			}
			u, err := ts.App.User(context.Background(), hearth.Actor{UserID: me.ID})
			if err != nil || u.Locale != "es" || u.TimeZone != "Europe/Madrid" {
				t.Fatalf("stored %+v %v", u, err)
			}
		})
	})
}

// TestDecodeGroupForm checks what the form decoder reads, and what it
// refuses, case by case.
func TestDecodeGroupForm(t *testing.T) {
	chicago, _ := time.LoadLocation("America/Chicago")
	codes := func(ps []hearth.FieldError) []string {
		var out []string
		for _, p := range ps {
			out = append(out, p.Field+"."+p.Code)
		}
		return out
	}
	t.Run("a complete closed group reads without problems, its dates in the group's zone", func(t *testing.T) {
		g, ps := decodeGroupForm(closedGroupForm("Cohort"))
		if len(ps) != 0 {
			t.Fatal(codes(ps))
		}
		e := g.Enrollment
		if e == nil || !e.Opens.Equal(time.Date(2026, 1, 5, 0, 0, 0, 0, chicago)) || !e.Closes.Equal(time.Date(2026, 12, 20, 23, 59, 59, 0, chicago)) {
			t.Fatalf("%+v", e)
		}
		if err := groupProblems(g, nil); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("an open group ignores the enrollment fields", func(t *testing.T) {
		g, ps := decodeGroupForm(formWith(openGroupForm("Circle"), map[string][]string{"enrollment_cap": {"abc"}, "opens": {"soon"}}))
		if len(ps) != 0 || g.Enrollment != nil {
			t.Fatal(codes(ps))
		}
	})
	for _, c := range []struct {
		name   string
		change map[string][]string
		want   string
	}{
		{"a start time past midnight is refused", map[string][]string{"start": {"25:99"}}, "start.not_time"},
		{"a start time in words is refused", map[string][]string{"start": {"seven"}}, "start.not_time"},
		{"an unknown weekday is refused", map[string][]string{"weekday": {"funday"}}, "weekday.not_day"},
		{"a missing weekday is refused", map[string][]string{"weekday": nil}, "weekday.not_day"},
		{"a duration in words is refused", map[string][]string{"duration": {"an hour"}}, "duration.not_number"},
		{"a negative duration is refused", map[string][]string{"duration": {"-90"}}, "duration.not_number"},
		{"a cap in words is refused", map[string][]string{"enrollment_cap": {"twelve"}}, "enrollment_cap.not_number"},
		{"a huge cap is refused", map[string][]string{"enrollment_cap": {"99999999999999999999"}}, "enrollment_cap.not_number"},
		{"sessions in words are refused", map[string][]string{"sessions": {"eight"}}, "sessions.not_number"},
		{"a day that is not a date is refused", map[string][]string{"opens": {"2026-02-30"}}, "enrollment_window.opens_not_date"},
		{"a closing day in another format is refused", map[string][]string{"closes": {"12/20/2026"}}, "enrollment_window.closes_not_date"},
		{"a first session in the year 10000 is refused", map[string][]string{"starts": {"10000-01-01"}}, "starts.not_date"},
		{"dates without a time zone are refused", map[string][]string{"time_zone": nil}, "time_zone.zone_for_dates"},
		{"a latitude alone is refused", map[string][]string{"lat": {"30.2"}}, "lon.point_incomplete"},
		{"a latitude that is not a number is refused", map[string][]string{"lat": {"NaN"}, "lon": {"1"}}, "lat.not_number"},
		{"an infinite longitude is refused", map[string][]string{"lat": {"1"}, "lon": {"-Inf"}}, "lon.not_number"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, ps := decodeGroupForm(formWith(closedGroupForm("Cohort"), c.change))
			got := codes(ps)
			if len(got) != 1 || got[0] != c.want {
				t.Fatalf("got %v, want [%s]", got, c.want)
			}
			err := hearth.AsError(groupProblems(&hearth.Group{}, ps))
			if err == nil || err.Kind != hearth.Invalid {
				t.Fatal("the problems do not make an Invalid error")
			}
		})
	}
	t.Run("a decimal comma is read as a point", func(t *testing.T) {
		g, ps := decodeGroupForm(formWith(openGroupForm("Circle"), map[string][]string{"lat": {"40,4168"}, "lon": {"-3,7038"}}))
		if len(ps) != 0 || !g.Location.HasPoint || g.Location.Lat != 40.4168 || g.Location.Lon != -3.7038 {
			t.Fatal(codes(ps), g.Location)
		}
	})
	t.Run("the form's problems and the domain's show together, one per field", func(t *testing.T) {
		g, ps := decodeGroupForm(formWith(closedGroupForm("Cohort"), map[string][]string{"enrollment_cap": {"x"}, "topics": nil, "duration": {"y"}}))
		e := hearth.AsError(groupProblems(g, ps))
		got := codes(e.Fields)
		want := []string{"duration.not_number", "enrollment_cap.not_number", "topics.required"}
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Fatalf("got %v, want %v", got, want)
		}
	})
	t.Run("a group written as a form reads back the same", func(t *testing.T) {
		for _, form := range []url.Values{openGroupForm("Circle"), closedGroupForm("Cohort")} {
			g, ps := decodeGroupForm(form)
			if len(ps) != 0 {
				t.Fatal(codes(ps))
			}
			again, ps := decodeGroupForm(encodeGroupForm(g))
			if len(ps) != 0 || encodeGroupForm(again).Encode() != encodeGroupForm(g).Encode() {
				t.Fatalf("%v\n%v\n%v", codes(ps), encodeGroupForm(g), encodeGroupForm(again))
			}
		}
	})
}

// groupFormFields are the group form's field names, for building forms out of
// fuzz bytes.
var groupFormFields = []string{"slug", "name", "description", "what_to_expect", "topics", "format", "leadership",
	"facilitator_credentials", "policy", "enrollment_cap", "opens", "closes", "starts", "sessions", "visibility",
	"address", "city", "region", "postal_code", "country", "lat", "lon", "approximate", "time_zone", "venue_notes",
	"accessibility", "languages", "age_band", "gender", "communities", "cost", "cost_note", "guidelines", "contact",
	"weekday", "start", "duration"}

// fuzzForm builds a form from bytes two ways: as a query string, and as
// NUL-separated values given to the form's fields in turn (so that every
// field gets arbitrary text, not only the ones a query string names).
func groupFormsFromBytes(data []byte) []url.Values {
	q, _ := url.ParseQuery(string(data))
	v := url.Values{}
	for i, part := range strings.Split(string(data), "\x00") {
		name := groupFormFields[i%len(groupFormFields)]
		v[name] = append(v[name], part)
	}
	return []url.Values{q, v}
}

func FuzzDecodeGroupForm(f *testing.F) {
	f.Add([]byte(openGroupForm("Circle").Encode()))
	f.Add([]byte(closedGroupForm("Cohort").Encode()))
	f.Add([]byte("policy=closed&enrollment_cap=%FF&opens=2026-13-01&start=25:99&lat=NaN&lon=1e999&time_zone=Local"))
	f.Add([]byte("policy=closed&time_zone=America/Chicago&opens=2026-03-08&closes=2026-03-08&starts=2026-03-08&start=02:30"))
	f.Add([]byte("slug\x00Name\x00\r\n\x00\x00grief\x00online\x00peer_led\x00\x00closed\x0012\x002026-01-01\x002026-02-01\x002026-03-01\x008"))
	f.Add([]byte("lat=0.000000000000000000000000000001&lon=-179.99999999999999&weekday=SUN&start=0:00&duration=000480"))
	f.Add([]byte{0xff, 0xfe, '=', '&', 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, form := range groupFormsFromBytes(data) {
			g, ps := decodeGroupForm(form)
			if g == nil {
				t.Fatal("no group")
			}
			for _, p := range ps {
				if p.Field == "" || p.Code == "" || p.Message == "" {
					t.Fatalf("an unnamed problem: %+v", p)
				}
			}
			err := groupProblems(g, ps)
			if len(ps) > 0 && hearth.ErrorKind(err) != hearth.Invalid {
				t.Fatalf("problems %v made %v", ps, err)
			}
			if len(ps) == 0 {
				// What reads cleanly writes back to the same form.
				again, ps2 := decodeGroupForm(encodeGroupForm(g))
				if len(ps2) != 0 || encodeGroupForm(again).Encode() != encodeGroupForm(g).Encode() {
					t.Fatalf("round trip: %v\n%v\n%v", ps2, encodeGroupForm(g), encodeGroupForm(again))
				}
			}
		}
	})
}

// TestManagePagesRender renders every page of this file in both languages
// on a demo directory: each has one h1 and stays under 100 KB.
func TestManagePagesRender(t *testing.T) {
	ts := demoServer(t, sqldb.SQLite)
	ts.SiteAdmin(t, "site-root")
	for _, lang := range []string{"en", "es"} {
		b := signedInBrowser(t, ts, "site-root", lang)
		orgs, err := ts.App.ManagedOrganizations(context.Background(), hearth.Actor{UserID: -1, SiteAdmin: true})
		if err != nil || len(orgs) == 0 {
			t.Fatal(err)
		}
		_, gs, err := ts.App.OrganizationGroups(context.Background(), hearth.Actor{UserID: -1, SiteAdmin: true}, orgs[0].Slug)
		if err != nil || len(gs) == 0 {
			t.Fatal(err)
		}
		for _, path := range []string{"/account", "/manage", "/manage/" + orgs[0].Slug, "/manage/" + orgs[0].Slug + "/groups/new", "/groups/" + gs[0].Slug + "/edit"} {
			t.Run(lang+" "+path+" renders with one h1 under 100 KB", func(t *testing.T) {
				st, body := b.get(path)
				if st != http.StatusOK || strings.Count(body, "<h1") != 1 || len(body) > 100_000 {
					t.Fatalf("%d, %d h1, %d bytes", st, strings.Count(body, "<h1"), len(body))
				}
				if k := regexp.MustCompile(`>(account|manage|groupform)\.[a-z_.]+<`).FindString(body); k != "" {
					t.Fatalf("an untranslated key: %s", k)
				}
				if !strings.Contains(body, `<html lang="`+lang+`">`) {
					t.Fatal("wrong language")
				}
			})
		}
	}
}
