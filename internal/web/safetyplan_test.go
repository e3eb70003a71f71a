package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/hearth-org/hearth"
)

// planForm is the safety plan form as a browser sends it: each section's
// lines (empty ones too), contacts as name and phone pairs.
func planForm(marker string) url.Values {
	return url.Values{
		"warning_signs":       {"I stop answering messages " + marker, "", ""},
		"coping":              {"A hot shower", ""},
		"distractions":        {"The library on Main Street", ""},
		"people_name":         {"Ana", ""},
		"people_phone":        {"+1 555 010 0100", ""},
		"professionals_name":  {""},
		"professionals_phone": {""},
		"safe_surroundings":   {""},
		"reasons":             {"My daughter", ""},
	}
}

func TestSafetyPlanPages(t *testing.T) {
	forEachEngine(t, func(t *testing.T, ts *testServer) {
		river := ts.SignUp(t, "quiet-river", "")
		b := signedInBrowser(t, ts, "quiet-river", "en-US,en;q=0.9")
		const marker = "LANTERN-4417"

		t.Run("the account page links to the plan", func(t *testing.T) {
			st, body := b.get("/account")
			if st != http.StatusOK || !strings.Contains(body, `id="safety-plan-link"`) || !strings.Contains(body, `href="/account/safety-plan"`) {
				t.Fatalf("status %d; no link to the plan", st)
			}
		})
		t.Run("an empty plan shows the seven sections, each a fieldset with its legend and hint, and suggestions for the country", func(t *testing.T) {
			st, body, h := b.do("GET", "/account/safety-plan", nil)
			if st != http.StatusOK || h.Get("Cache-Control") != "no-store" {
				t.Fatalf("status %d, Cache-Control %q", st, h.Get("Cache-Control"))
			}
			if n := strings.Count(body, `class="plan-section"`); n != 7 {
				t.Fatalf("%d sections", n)
			}
			for _, want := range []string{`id="plan-none"`, `<legend>1. Warning signs</legend>`, `<legend>7. My reasons for living</legend>`,
				`aria-describedby="warning_signs-hint"`, `<label for="warning_signs-0">Line 1</label>`, `<label for="people-phone-0">Phone 1 (optional)</label>`,
				`Crisis lines in United States`, `value="US:0"`, `id="plan-save-top"`, `name="more" value="coping"`, `href="tel:988"`} {
				if !strings.Contains(body, want) {
					t.Errorf("missing %s", want)
				}
			}
			if strings.Contains(body, "<script") {
				t.Error("the page carries a script")
			}
			if strings.Index(body, `id="plan-save-top"`) > strings.Index(body, `name="more"`) {
				t.Error("an Add more lines button comes before the first Save button: Enter in a field would not save")
			}
		})
		t.Run("a saved plan shows again as written, with the chosen helpline added", func(t *testing.T) {
			form := planForm(marker)
			form["suggest"] = []string{"US:0"}
			st, body, h := b.post("/account/safety-plan", form)
			if st != http.StatusSeeOther || h.Get("Location") != "/account/safety-plan" {
				t.Fatalf("status %d, Location %q: %s", st, h.Get("Location"), body)
			}
			st, body = b.get("/account/safety-plan")
			for _, want := range []string{"Your safety plan is saved.", `id="plan-saved"`, `value="I stop answering messages ` + marker + `"`, `value="Ana"`,
				`value="&#43;1 555 010 0100"`, `value="988 Suicide &amp; Crisis Lifeline"`, `value="988"`, `id="plan-print"`, `id="plan-export"`, `id="delete-plan"`} {
				if !strings.Contains(body, want) {
					t.Errorf("missing %s", want)
				}
			}
			if strings.Contains(body, `value="US:0"`) {
				t.Error("a helpline already in the plan is still suggested")
			}
			if strings.Contains(body, `id="plan-support"`) {
				t.Error("a calm plan brings up the crisis panel")
			}
		})
		t.Run("Add more lines shows the form again with more lines and saves nothing", func(t *testing.T) {
			form := planForm(marker)
			form.Set("more", "coping")
			st, body, _ := b.post("/account/safety-plan", form)
			if st != http.StatusOK {
				t.Fatalf("status %d", st)
			}
			for _, want := range []string{`id="coping-1"`, `id="coping-4"`, `value="A hot shower"`} {
				if !strings.Contains(body, want) {
					t.Errorf("missing %s", want)
				}
			}
			if !strings.Contains(body, `name="coping" type="text" maxlength="300" autocomplete="off" value="" autofocus`) {
				t.Error("the first new line is not focused")
			}
			if strings.Contains(body, `id="coping-5"`) {
				t.Error("more lines than asked for")
			}
			if v, _ := ts.App.SafetyPlan(context.Background(), ts.Actor(t, ts.Token(t, river)), 0); v.Latest != 1 {
				t.Fatalf("Add more lines saved a version: latest %d", v.Latest)
			}
		})
		t.Run("the print page shows the plan alone, with numbers to dial, and no form", func(t *testing.T) {
			st, body, h := b.do("GET", "/account/safety-plan/print", nil)
			if st != http.StatusOK || h.Get("Cache-Control") != "no-store" {
				t.Fatalf("status %d, Cache-Control %q", st, h.Get("Cache-Control"))
			}
			for _, want := range []string{`class="safety-plan-print"`, "I stop answering messages " + marker, `href="tel:&#43;15550100100"`, `<h2 id="print-reasons">7. My reasons for living</h2>`,
				"Nothing written here yet.", `id="print-help"`} {
				if !strings.Contains(body, want) {
					t.Errorf("missing %s", want)
				}
			}
			if strings.Contains(body, `id="safety-plan-form"`) || strings.Contains(body, "<script") {
				t.Error("the print page carries the form or a script")
			}
		})
		t.Run("the export is a JSON download in the documented shape", func(t *testing.T) {
			st, body, h := b.do("GET", "/account/safety-plan.json", nil)
			if st != http.StatusOK {
				t.Fatalf("status %d", st)
			}
			if cd := h.Get("Content-Disposition"); !strings.HasPrefix(cd, `attachment; filename="safety-plan-`) || !strings.HasSuffix(cd, `.json"`) {
				t.Errorf("Content-Disposition %q", cd)
			}
			if h.Get("Cache-Control") != "no-store" || !strings.HasPrefix(h.Get("Content-Type"), "application/json") {
				t.Errorf("Cache-Control %q, Content-Type %q", h.Get("Cache-Control"), h.Get("Content-Type"))
			}
			var v any
			if err := json.Unmarshal([]byte(body), &v); err != nil {
				t.Fatal(err)
			}
			d := loadSpec(t)
			for _, p := range d.validate(map[string]any{"$ref": "#/components/schemas/SafetyPlanView"}, v, "$") {
				t.Errorf("the export does not match SafetyPlanView: %s", p)
			}
			plan := jsonObj(jsonObj(v)["plan"])
			if jsonList(plan["warning_signs"])[0] != "I stop answering messages "+marker || len(jsonList(plan["safe_surroundings"])) != 0 {
				t.Errorf("plan %v", plan)
			}
			pros := jsonList(plan["professionals"])
			if len(pros) != 1 || jsonObj(pros[0])["phone"] != "988" {
				t.Errorf("professionals %v", pros)
			}
		})
		t.Run("bad input is shown next to its lines, keeps what was typed and changes nothing", func(t *testing.T) {
			form := planForm("second")
			form["coping"] = nil
			for range hearth.MaxPlanItems + 1 {
				form["coping"] = append(form["coping"], "Breathe slowly")
			}
			form["reasons"] = []string{strings.Repeat("x", hearth.MaxPlanItemLen+1), ""}
			form["people_phone"] = []string{"call me", ""}
			st, body, _ := b.post("/account/safety-plan", form)
			if st != http.StatusBadRequest {
				t.Fatalf("status %d", st)
			}
			for _, want := range []string{`id="form-errors"`, "Your plan was not saved.", `id="coping-errors"`, "Keep at most 10 lines in this part.",
				`id="reasons-0" name="reasons" type="text" maxlength="300" autocomplete="off" value="xxx`, `aria-invalid="true" aria-describedby="reasons-0-errors"`,
				"Line 1: This is too long: keep it to 300 characters.", `aria-describedby="people-phone-0-errors"`, `value="I stop answering messages second"`} {
				if !strings.Contains(body, want) {
					t.Errorf("missing %s", want)
				}
			}
			st, body = b.get("/account/safety-plan")
			if st != http.StatusOK || !strings.Contains(body, marker) || strings.Contains(body, "messages second") {
				t.Fatalf("a refused save changed the plan")
			}
		})
		t.Run("an earlier version can be read, printed and made current again", func(t *testing.T) {
			if st, _, _ := b.post("/account/safety-plan", planForm("newer")); st != http.StatusSeeOther {
				t.Fatalf("status %d", st)
			}
			st, body := b.get("/account/safety-plan")
			if st != http.StatusOK || !strings.Contains(body, "messages newer") || !strings.Contains(body, `id="plan-versions"`) || !strings.Contains(body, `href="/account/safety-plan?version=1"`) {
				t.Fatalf("status %d; the newer version or the versions list is missing", st)
			}
			st, body = b.get("/account/safety-plan?version=1")
			if st != http.StatusOK || !strings.Contains(body, `id="plan-old-version"`) || !strings.Contains(body, "messages "+marker) ||
				!strings.Contains(body, `href="/account/safety-plan/print?version=1"`) || !strings.Contains(body, `href="/account/safety-plan.json?version=1"`) {
				t.Fatalf("status %d; version 1 is not shown as an earlier version", st)
			}
			if _, body := b.get("/account/safety-plan/print?version=1"); !strings.Contains(body, "messages "+marker) {
				t.Error("the print page does not show version 1")
			}
			form := planForm(marker)
			form["suggest"] = []string{"US:0"}
			if st, _, _ := b.post("/account/safety-plan", form); st != http.StatusSeeOther {
				t.Fatalf("status %d", st)
			}
			if _, body := b.get("/account/safety-plan"); !strings.Contains(body, "messages "+marker) || strings.Contains(body, `id="plan-old-version"`) ||
				!strings.Contains(body, "(version 3)") {
				t.Error("saving version 1 again did not make it the current plan")
			}
			if st, _ := b.get("/account/safety-plan?version=9"); st != http.StatusNotFound {
				t.Errorf("a version that does not exist: status %d", st)
			}
		})
		t.Run("deleting needs a confirmation, then removes the plan", func(t *testing.T) {
			st, body, _ := b.post("/account/safety-plan/delete", url.Values{})
			if st != http.StatusBadRequest || !strings.Contains(body, "Tick the box to confirm") || !strings.Contains(body, marker) {
				t.Fatalf("status %d without confirmation", st)
			}
			st, _, h := b.post("/account/safety-plan/delete", url.Values{"confirm": {"yes"}})
			if st != http.StatusSeeOther || h.Get("Location") != "/account/safety-plan" {
				t.Fatalf("status %d", st)
			}
			_, body = b.get("/account/safety-plan")
			if !strings.Contains(body, `id="plan-none"`) || strings.Contains(body, marker) || !strings.Contains(body, "all its versions are deleted") {
				t.Fatal("the plan is still there after deleting")
			}
		})
	})
}

func TestSafetyPlanInSpanish(t *testing.T) {
	ts := newTestServer(t, "sqlite")
	ts.SignUp(t, "rio-sereno", "")
	b := signedInBrowser(t, ts, "rio-sereno", "es-ES,es;q=0.9")
	st, body := b.get("/account/safety-plan")
	if st != http.StatusOK {
		t.Fatalf("status %d", st)
	}
	for _, want := range []string{`<html lang="es">`, "<h1 id=\"plan-title\">Mi plan de seguridad</h1>", "<legend>1. Señales de alerta</legend>",
		"<legend>7. Mis razones para vivir</legend>", "Líneas de crisis en España", `href="tel:024"`, "Guardar mi plan", "Añadir más líneas", "Teléfono 1 (opcional)"} {
		if !strings.Contains(body, want) {
			t.Errorf("missing %s", want)
		}
	}
	form := planForm("uno")
	form["reasons"] = []string{strings.Repeat("x", hearth.MaxPlanItemLen+1)}
	form["suggest"] = []string{"ES:0"}
	st, body, _ = b.post("/account/safety-plan", form)
	if st != http.StatusBadRequest || !strings.Contains(body, "Tu plan no se ha guardado.") || !strings.Contains(body, "Línea 1: Es demasiado largo: usa como máximo 300 caracteres.") {
		t.Fatalf("status %d; the problem is not said in Spanish", st)
	}
	if !strings.Contains(body, `value="024 — Línea de atención a la conducta suicida"`) {
		t.Error("the chosen helpline is not kept when the form comes back")
	}
	form["reasons"] = []string{"Mi hija"}
	if st, _, _ := b.post("/account/safety-plan", form); st != http.StatusSeeOther {
		t.Fatalf("status %d", st)
	}
	_, body = b.get("/account/safety-plan")
	if !strings.Contains(body, "Tu plan de seguridad está guardado.") || !strings.Contains(body, `value="Mi hija"`) || !strings.Contains(body, `value="024"`) {
		t.Error("the saved plan does not show in Spanish")
	}
	_, body = b.get("/account/safety-plan/print")
	if !strings.Contains(body, "Mi hija") || !strings.Contains(body, "Emergencias en España:") {
		t.Error("the print page is not in Spanish")
	}
}

// TestOnlyTheOwnerReadsTheSafetyPlan: a member writes a plan; the
// facilitator of their group, their organization's admin, a site admin and
// another member each ask for it every way there is, and get their own
// (empty) plan or 404 — never the member's.
func TestOnlyTheOwnerReadsTheSafetyPlan(t *testing.T) {
	forEachEngine(t, func(t *testing.T, ts *testServer) {
		ctx := context.Background()
		if ok, err := ts.App.LoadDemo(ctx); err != nil || !ok {
			t.Fatal(err)
		}
		const org, slug, marker = "harborlight-hospice", "evening-grief-circle-online", "HERON-2290"
		site := hearth.Actor{SiteAdmin: true}
		member := ts.SignUp(t, "plan-owner", "")
		memberToken := ts.Token(t, member)
		if _, err := ts.App.JoinGroup(ctx, ts.Actor(t, memberToken), slug, "Owl", true); err != nil {
			t.Fatal(err)
		}
		users := map[string]*hearth.User{"the-facilitator": ts.SignUp(t, "the-facilitator", "")}
		if err := ts.App.AppointFacilitator(ctx, site, slug, "the-facilitator", "Wren", ""); err != nil {
			t.Fatal(err)
		}
		users["the-org-admin"] = ts.SignUp(t, "the-org-admin", "")
		if err := ts.App.AddOrgAdmin(ctx, site, org, "the-org-admin"); err != nil {
			t.Fatal(err)
		}
		users["the-site-admin"] = ts.SiteAdmin(t, "the-site-admin")
		other := ts.SignUp(t, "another-member", "")
		users["another-member"] = other
		if _, err := ts.App.JoinGroup(ctx, ts.Actor(t, ts.Token(t, other)), slug, "Lark", true); err != nil {
			t.Fatal(err)
		}

		res := ts.call(t, "PUT", "/api/v1/account/safety-plan", memberToken, map[string]any{
			"warning_signs": []string{"I stop eating " + marker}, "people": []any{map[string]any{"name": "Ana " + marker, "phone": "555 0100"}}})
		res.wantStatus(t, http.StatusOK)

		for _, handle := range []string{"the-facilitator", "the-org-admin", "the-site-admin", "another-member"} {
			t.Run(handle+" never reads the member's plan", func(t *testing.T) {
				b := signedInBrowser(t, ts, handle, "en")
				for _, path := range []string{"/account/safety-plan", "/account/safety-plan/print", "/account/safety-plan.json", "/groups/" + slug + "/members"} {
					st, body := b.get(path)
					if st != http.StatusOK && st != http.StatusForbidden && st != http.StatusNotFound {
						t.Errorf("%s: status %d", path, st)
					}
					if strings.Contains(body, marker) {
						t.Errorf("%s shows the member's plan to %s", path, handle)
					}
				}
				for _, path := range []string{"/account/safety-plan?version=1", "/account/safety-plan/print?version=1", "/account/safety-plan.json?version=1"} {
					if st, body := b.get(path); st != http.StatusNotFound || strings.Contains(body, marker) {
						t.Errorf("%s: status %d, want 404", path, st)
					}
				}
				token := ts.Token(t, users[handle])
				res := ts.call(t, "GET", "/api/v1/account/safety-plan?version=1", token, nil)
				res.wantError(t, http.StatusNotFound)
				res = ts.call(t, "GET", "/api/v1/account/safety-plan", token, nil)
				res.wantStatus(t, http.StatusOK)
				if res.JSON["version"] != float64(0) || strings.Contains(string(res.Body), marker) {
					t.Errorf("the API shows %s the member's plan: %s", handle, res.Body)
				}
			})
		}
		t.Run("nobody signed out reads it", func(t *testing.T) {
			b := newBrowser(t, ts, "en")
			for _, path := range []string{"/account/safety-plan", "/account/safety-plan/print", "/account/safety-plan.json"} {
				st, _, h := b.do("GET", path, nil)
				if st != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/signin") {
					t.Errorf("%s: status %d, Location %q", path, st, h.Get("Location"))
				}
			}
			ts.call(t, "GET", "/api/v1/account/safety-plan", "", nil).wantError(t, http.StatusUnauthorized)
		})
		t.Run("the owner still reads it", func(t *testing.T) {
			res := ts.call(t, "GET", "/api/v1/account/safety-plan", memberToken, nil)
			res.wantStatus(t, http.StatusOK)
			if !strings.Contains(string(res.Body), "I stop eating "+marker) {
				t.Fatalf("the owner's plan: %s", res.Body)
			}
		})
	})
}

func TestSafetyPlanAPI(t *testing.T) {
	forEachEngine(t, func(t *testing.T, ts *testServer) {
		token := ts.Token(t, ts.SignUp(t, "api-planner", ""))
		t.Run("a person without a plan gets an empty one, every section a list", func(t *testing.T) {
			res := ts.call(t, "GET", "/api/v1/account/safety-plan", token, nil)
			res.wantStatus(t, http.StatusOK)
			if res.JSON["version"] != float64(0) || res.JSON["saved_at"] != nil || res.Header.Get("Cache-Control") != "no-store" {
				t.Fatalf("got %s (Cache-Control %q)", res.Body, res.Header.Get("Cache-Control"))
			}
			for _, s := range hearth.PlanSections() {
				if l, ok := jsonObj(res.JSON["plan"])[s].([]any); !ok || len(l) != 0 {
					t.Errorf("%s is %v", s, jsonObj(res.JSON["plan"])[s])
				}
			}
		})
		t.Run("a save answers the plan as stored, tidied", func(t *testing.T) {
			res := ts.call(t, "PUT", "/api/v1/account/safety-plan", token, map[string]any{
				"coping": []string{"  a   walk ", ""}, "professionals": []any{map[string]any{"name": "Dr. Ruiz", "phone": "555 0100"}}, "reasons": []string{"my cat"}})
			res.wantStatus(t, http.StatusOK)
			plan := jsonObj(res.JSON["plan"])
			if res.JSON["version"] != float64(1) || res.JSON["pruned"] != float64(0) || jsonList(plan["coping"])[0] != "a walk" || len(jsonList(plan["coping"])) != 1 {
				t.Fatalf("got %s", res.Body)
			}
		})
		t.Run("every save is a version; the oldest beyond those kept are deleted", func(t *testing.T) {
			var last *apiResult
			for i := 2; i <= hearth.PlanVersionsKept+1; i++ {
				last = ts.call(t, "PUT", "/api/v1/account/safety-plan", token, map[string]any{"reasons": []string{"reason " + string(rune('a'+i))}})
				last.wantStatus(t, http.StatusOK)
			}
			if last.JSON["pruned"] != float64(1) || len(last.list("versions")) != hearth.PlanVersionsKept || last.JSON["versions_kept"] != float64(hearth.PlanVersionsKept) {
				t.Fatalf("got %s", last.Body)
			}
			ts.call(t, "GET", "/api/v1/account/safety-plan?version=1", token, nil).wantError(t, http.StatusNotFound)
			res := ts.call(t, "GET", "/api/v1/account/safety-plan?version=2", token, nil)
			res.wantStatus(t, http.StatusOK)
			if res.JSON["version"] != float64(2) || res.JSON["latest_version"] != float64(hearth.PlanVersionsKept+1) {
				t.Fatalf("got %s", res.Body)
			}
			ts.call(t, "GET", "/api/v1/account/safety-plan?version=two", token, nil).wantError(t, http.StatusNotFound)
		})
		t.Run("bad input is refused, naming each problem, and changes nothing", func(t *testing.T) {
			before := ts.call(t, "GET", "/api/v1/account/safety-plan", token, nil)
			tooMany := make([]string, hearth.MaxPlanItems+1)
			for i := range tooMany {
				tooMany[i] = "a thing"
			}
			for _, tc := range []struct {
				name   string
				body   any
				fields []string
			}{
				{"too many items", map[string]any{"coping": tooMany}, []string{"coping"}},
				{"a line too long", map[string]any{"reasons": []string{"ok", strings.Repeat("é", hearth.MaxPlanItemLen+1)}}, []string{"reasons[1]"}},
				{"a phone without a name and a bad phone", map[string]any{"people": []any{map[string]any{"name": "", "phone": "555"}, map[string]any{"name": "Ana", "phone": "ring ring"}}},
					[]string{"people[0].name", "people[1].phone"}},
				{"an unknown section", map[string]any{"hopes": []string{"x"}}, []string{"hopes"}},
				{"a section of the wrong type", map[string]any{"reasons": "my cat"}, []string{"reasons"}},
			} {
				t.Run(tc.name, func(t *testing.T) {
					ts.call(t, "PUT", "/api/v1/account/safety-plan", token, tc.body).wantError(t, http.StatusBadRequest, tc.fields...)
				})
			}
			after := ts.call(t, "GET", "/api/v1/account/safety-plan", token, nil)
			if after.JSON["version"] != before.JSON["version"] || string(after.Body) != string(before.Body) {
				t.Fatal("a refused save changed the plan")
			}
		})
		t.Run("deleting removes every version", func(t *testing.T) {
			res := ts.call(t, "DELETE", "/api/v1/account/safety-plan", token, nil)
			res.wantStatus(t, http.StatusNoContent)
			res = ts.call(t, "GET", "/api/v1/account/safety-plan", token, nil)
			if res.JSON["version"] != float64(0) || len(res.list("versions")) != 0 {
				t.Fatalf("got %s", res.Body)
			}
		})
	})
}

// TestACrisisInOnesOwnPlanBringsHelpAndTellsNobody: a member of a group
// writes, in their own plan, words the detector reads as imminent danger.
// The plan is saved, the page shows help for their country at once, the
// API answer carries it, and nobody else hears of it: no notice, no
// safety alert, no change to their membership.
func TestACrisisInOnesOwnPlanBringsHelpAndTellsNobody(t *testing.T) {
	forEachEngine(t, func(t *testing.T, ts *testServer) {
		ctx := context.Background()
		if ok, err := ts.App.LoadDemo(ctx); err != nil || !ok {
			t.Fatal(err)
		}
		const slug = "evening-grief-circle-online"
		site := hearth.Actor{SiteAdmin: true}
		member := ts.SignUp(t, "planner-es", "")
		memberToken := ts.Token(t, member)
		if _, err := ts.App.JoinGroup(ctx, ts.Actor(t, memberToken), slug, "Garza", true); err != nil {
			t.Fatal(err)
		}
		fac := ts.SignUp(t, "watchful-facilitator", "")
		if err := ts.App.AppointFacilitator(ctx, site, slug, "watchful-facilitator", "Mirlo", ""); err != nil {
			t.Fatal(err)
		}
		facToken := ts.Token(t, fac)
		before, err := ts.App.MyMembership(ctx, ts.Actor(t, memberToken), slug)
		if err != nil {
			t.Fatal(err)
		}
		unread := func() int {
			n, err := ts.App.UnreadNotices(ctx, ts.Actor(t, facToken))
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		facUnread := unread()

		b := signedInBrowser(t, ts, "planner-es", "es-ES,es;q=0.9")
		form := planForm("x")
		form["warning_signs"] = []string{"Tengo las pastillas listas, hoy es el día", ""}
		st, _, h := b.post("/account/safety-plan", form)
		if st != http.StatusSeeOther || h.Get("Location") != "/account/safety-plan" {
			t.Fatalf("status %d: the plan was not saved", st)
		}
		_, body := b.get("/account/safety-plan")
		for _, want := range []string{`id="plan-support"`, "No tienes que esperar para hablar con alguien.", `href="tel:024"`, "Nadie en Hearth ha recibido aviso.",
			`value="Tengo las pastillas listas, hoy es el día"`} {
			if !strings.Contains(body, want) {
				t.Errorf("missing %s", want)
			}
		}
		if _, body := b.get("/account/safety-plan"); strings.Contains(body, `id="plan-support"`) {
			t.Error("the panel comes back on every visit; it is shown once, after the save")
		}

		res := ts.call(t, "PUT", "/api/v1/account/safety-plan", memberToken, map[string]any{"warning_signs": []string{"I took all my pills, this is my last message"}})
		res.wantStatus(t, http.StatusOK)
		sup := jsonObj(res.JSON["safety"])
		if sup["crisis"] != true || sup["staff_told"] != false || sup["safety_plan"] != "/account/safety-plan" || len(jsonList(sup["helplines"])) == 0 {
			t.Fatalf("the API answer carries no help: %s", res.Body)
		}
		calm := ts.call(t, "PUT", "/api/v1/account/safety-plan", memberToken, map[string]any{"reasons": []string{"My daughter"}})
		calm.wantStatus(t, http.StatusOK)
		if _, ok := calm.JSON["safety"]; ok {
			t.Errorf("a calm plan answers with crisis help: %s", calm.Body)
		}

		if n := unread(); n != facUnread {
			t.Errorf("the facilitator got %d new notices", n-facUnread)
		}
		esc := ts.call(t, "GET", "/api/v1/safety/escalations", facToken, nil)
		esc.wantStatus(t, http.StatusOK)
		if n := len(esc.list("escalations")); n != 0 {
			t.Errorf("%d safety alerts were opened about a private plan", n)
		}
		after, err := ts.App.MyMembership(ctx, ts.Actor(t, memberToken), slug)
		if err != nil || after.Membership.Status != before.Membership.Status || after.Membership.Role != before.Membership.Role {
			t.Errorf("the membership changed: %+v → %+v (%v)", before.Membership, after.Membership, err)
		}
	})
}
