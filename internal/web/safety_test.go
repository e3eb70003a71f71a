package web

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/app"
	"github.com/hearth-org/hearth/internal/gazetteer"
	"github.com/hearth-org/hearth/internal/mail"
	"github.com/hearth-org/hearth/internal/password"
	"github.com/hearth-org/hearth/internal/sqldb"
	"github.com/hearth-org/hearth/internal/sqldb/sqldbtest"
	"github.com/hearth-org/hearth/internal/vault"
)

// The words of issue 4's "done means": an intake answer from a person in
// Spain that reads as an imminent crisis.
const crisisAnswer = "tengo las pastillas listas, hoy es el día"

// safetySite is Hearth on a fresh database with a fake clock, every log line
// of the app and the web layer captured (at debug level), and mail
// delivered to a local SMTP inbox.
type safetySite struct {
	ts     *testServer
	clk    *testClock
	logs   *lockedBuffer
	inbox  *smtpInbox
	mailer *mail.Worker
}

func newSafetySite(t *testing.T, engine sqldb.Engine) *safetySite {
	t.Helper()
	ctx := context.Background()
	clk := &testClock{t: time.Now().UTC().Truncate(time.Second)}
	logs := &lockedBuffer{}
	log := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	inbox := startSMTPInbox(t)
	relay, err := mail.ParseSMTPURL("smtp://" + inbox.addr + "?from=" + url.QueryEscape("Hearth <hearth@example.org>") + "&timeout=5s")
	if err != nil {
		t.Fatal(err)
	}
	dbURL, dir := sqldbtest.URL(t, engine)
	db, err := sqldb.Open(ctx, sqldb.Options{URL: dbURL, DataDir: dir, Now: clk.Now, Logger: log})
	if err != nil {
		t.Fatalf("open %s: %v", engine, err)
	}
	t.Cleanup(func() { db.Close() })
	gaz, err := gazetteer.Load()
	if err != nil {
		t.Fatal(err)
	}
	v, _, err := vault.OpenFile(ctx, db, filepath.Join(dir, "master.key"), true, vault.Options{})
	if err != nil {
		t.Fatal(err)
	}
	w := mail.NewWorker(mail.WorkerConfig{DB: db, SMTP: relay, Now: clk.Now, Owner: "safety-test", BaseURL: acceptanceBase, Logger: log})
	a, err := app.New(app.Config{DB: db, Gazetteer: gaz, Vault: v, Now: clk.Now, Logger: log, BaseURL: acceptanceBase, Mailer: w,
		PasswordParams: password.Params{Memory: 1024, Time: 1, Threads: 1}})
	if err != nil {
		t.Fatal(err)
	}
	s, err := newServer(Config{App: a, Now: clk.Now, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.handler())
	t.Cleanup(srv.Close)
	return &safetySite{clk: clk, logs: logs, inbox: inbox, mailer: w,
		ts: &testServer{URL: srv.URL, App: a, Server: s, Engine: engine,
			Client: &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}}
}

// advance moves the clock and runs the escalation chore (twice: a second
// run at the same moment must change nothing), then delivers mail.
func (s *safetySite) advance(t *testing.T, d time.Duration) {
	t.Helper()
	s.clk.Set(s.clk.Now().Add(d))
	for range 2 {
		if err := s.ts.App.RunEscalations(context.Background()); err != nil {
			t.Fatalf("escalations: %v", err)
		}
	}
	if _, err := s.mailer.DeliverDue(context.Background()); err != nil {
		t.Fatalf("deliver mail: %v", err)
	}
}

// noticesOf lists a person's notices of a kind whose link is the alert's.
func (s *safetySite) noticesOf(t *testing.T, handle, kind string, escalation int64) int {
	t.Helper()
	u := mustUserByHandle(t, s.ts, handle)
	list, _, err := s.ts.App.MyNotices(context.Background(), hearth.Actor{UserID: u.ID}, 0)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, x := range list {
		if x.Kind == kind && (escalation == 0 || x.Link == app.EscalationPath(escalation)) {
			n++
		}
	}
	return n
}

// apply sends an application through the pages as a person in Spain
// (Spanish browser, es-ES) and returns the membership page it leads to.
func (s *safetySite) applyInSpain(t *testing.T, handle, pseudonym, answer string, question string) (int, string) {
	t.Helper()
	s.ts.SignUp(t, handle, handle+"@example.org")
	b := signedInBrowser(t, s.ts, handle, "es-ES,es;q=0.9")
	st, body, h := b.post("/groups/grief-cohort-madrid/apply", url.Values{"pseudonym": {pseudonym}, "accept_guidelines": {"yes"},
		"commit_sessions": {"yes"}, "answer_" + question: {answer}})
	if st != http.StatusSeeOther || h.Get("Location") != "/groups/grief-cohort-madrid/membership" {
		t.Fatalf("apply: %d %s %s", st, h.Get("Location"), body)
	}
	return b.get("/groups/grief-cohort-madrid/membership")
}

// TestCrisisLanguageReachesAHuman is issue 4's "done means", through the
// real HTTP stack on each engine: the intake answer "tengo las pastillas
// listas, hoy es el día" from a person in Spain is stored; their answer page
// shows the crisis panel with 024 in Spanish; the group's facilitator gets
// an alert that carries no content; an escalation is open and the first
// person on the organization's on-call list is alerted at once; with the
// clock moved, after 5 unacknowledged minutes the next on-call person is;
// once someone acknowledges, nobody further is.
// The audit log records each step without the text, no log line carries
// it, and the writer's membership is untouched.
func TestCrisisLanguageReachesAHuman(t *testing.T) {
	for _, engine := range sqldbtest.Engines() {
		t.Run(string(engine), func(t *testing.T) {
			site := newSafetySite(t, engine)
			ts := site.ts
			ctx := context.Background()
			setup := setUpMembership(t, ts) // riverside: anxiety-online (open) and grief-cohort-madrid (closed, Madrid)
			closed := "/api/v1/groups/" + setup.closed
			res := ts.call(t, "PUT", closed+"/intake", setup.clFacTok, map[string]any{"questions": []any{
				map[string]any{"prompt": "¿Qué te trae al grupo?", "required": true}}})
			res.wantStatus(t, 200)
			q := ts.call(t, "GET", closed+"/intake", "", nil).list("questions")
			question := jsonString(jsonObj(q[0])["id"])

			// The organization's on-call list: two facilitators of its
			// other group, in order; 5 minutes (the default) to acknowledge.
			site1 := hearth.Actor{SiteAdmin: true}
			for i, h := range []string{"oncall-first", "oncall-second"} {
				ts.SignUp(t, h, h+"@example.org")
				if err := ts.App.AppointFacilitator(ctx, site1, setup.open, h, []string{"Rafa", "Inés"}[i], ""); err != nil {
					t.Fatal(err)
				}
			}
			got := ts.call(t, "PUT", "/api/v1/organizations/riverside/safety", setup.adminToken, map[string]any{"on_call": []string{"oncall-first", "oncall-second"}})
			got.wantStatus(t, 200)
			if got.JSON["ack_minutes"] != 5.0 || len(got.list("on_call")) != 2 {
				t.Fatalf("settings %s", got.Body)
			}

			var alertID int64
			t.Run("the writer sees the panel at once, in Spanish, with 024 and their safety plan", func(t *testing.T) {
				st, page := site.applyInSpain(t, "lucia", "Lucía", crisisAnswer, question)
				page = text(page)
				if st != 200 {
					t.Fatalf("membership page %d", st)
				}
				for _, want := range []string{`id="crisis-panel"`, "No tienes que cargar con esto a solas", `href="tel:024"`, "024", "112",
					`href="/account/safety-plan"`, "Abrir tu plan de seguridad", "Lo que escribiste se ha guardado y enviado"} {
					if !strings.Contains(page, want) {
						t.Errorf("the membership page lacks %q", want)
					}
				}
				panel := page[strings.Index(page, `id="crisis-panel"`):]
				panel = panel[:strings.Index(panel, "</section>")]
				if strings.Contains(panel, "pastillas") || strings.Contains(panel, "988") {
					t.Errorf("the panel shows the words or another country's line:\n%s", panel)
				}
			})
			t.Run("the panel is shown once, not on every later visit", func(t *testing.T) {
				b := signedInBrowser(t, ts, "lucia", "es-ES")
				if _, page := b.get("/groups/grief-cohort-madrid/membership"); strings.Contains(page, `id="crisis-panel"`) {
					t.Fatal("the panel shows again")
				}
			})
			t.Run("the answer is stored and the facilitators can read it", func(t *testing.T) {
				v, err := ts.App.Members(ctx, ts.Actor(t, setup.clFacTok), setup.closed)
				if err != nil || len(v.Applicants) != 1 || len(v.Applicants[0].Answers) != 1 || v.Applicants[0].Answers[0].Text != crisisAnswer {
					t.Fatalf("applicants %+v: %v", v, err)
				}
			})
			t.Run("an alert is open in the facilitator's queue, with the writer's pseudonym and no text", func(t *testing.T) {
				r := ts.call(t, "GET", "/api/v1/safety/escalations?status=open", setup.clFacTok, nil)
				r.wantStatus(t, 200)
				list := r.list("escalations")
				if len(list) != 1 {
					t.Fatalf("queue %s", r.Body)
				}
				e := jsonObj(list[0])
				if e["tier"] != 3.0 || e["member"] != "Lucía" || e["status"] != "open" || jsonObj(e["writing"])["kind"] != "intake_answer" ||
					jsonObj(e["writing"])["link"] == nil {
					t.Fatalf("alert %s", r.Body)
				}
				alertID = int64(e["id"].(float64))
				if bytes.Contains(r.Body, []byte("pastillas")) {
					t.Fatal("the queue carries the words")
				}
				b := signedInBrowser(t, ts, setup.closedFac, "en")
				st, page := b.get("/safety/escalations")
				if st != 200 || !strings.Contains(text(page), "Lucía in Grief Cohort Madrid") || strings.Contains(page, "pastillas") {
					t.Fatalf("queue page %d", st)
				}
			})
			t.Run("the facilitator is alerted in the app and by email, which says only that a member may need support", func(t *testing.T) {
				if n := site.noticesOf(t, setup.closedFac, "safety_alert", alertID); n != 1 {
					t.Fatalf("%d alerts", n)
				}
				if _, err := site.mailer.DeliverDue(ctx); err != nil {
					t.Fatal(err)
				}
				var found bool
				for _, m := range site.inbox.to(setup.closedFac + "@example.org") {
					if m.Subject == "Hearth: a member may need support" {
						found = true
					}
				}
				if !found {
					t.Fatalf("no alert email: %+v", site.inbox.messages())
				}
				for _, m := range site.inbox.messages() {
					if strings.Contains(m.Subject+m.Body, "pastillas") || strings.Contains(m.Subject+m.Body, "Grief Cohort") || strings.Contains(m.Body, "Lucía") {
						t.Fatalf("an email names the group, the person or the words: %s\n%s", m.Subject, m.Body)
					}
				}
			})
			t.Run("tier 3 alerts the first on-call person at once, by notice and email", func(t *testing.T) {
				if site.noticesOf(t, "oncall-first", "safety_alert", alertID) != 1 || site.noticesOf(t, "oncall-second", "safety_alert", alertID)+site.noticesOf(t, "oncall-second", "escalation", alertID) != 0 {
					t.Fatal("wrong person alerted")
				}
				if _, err := site.mailer.DeliverDue(ctx); err != nil {
					t.Fatal(err)
				}
				if len(site.inbox.to("oncall-first@example.org")) != 1 {
					t.Fatalf("no email to the first on-call person")
				}
			})
			t.Run("nobody further is alerted before the 5 minutes are up", func(t *testing.T) {
				site.advance(t, 4*time.Minute+59*time.Second)
				if n := site.noticesOf(t, "oncall-second", "escalation", alertID); n != 0 {
					t.Fatal("alerted early")
				}
			})
			t.Run("after 5 minutes unacknowledged the next on-call person is alerted", func(t *testing.T) {
				site.advance(t, time.Second)
				if site.noticesOf(t, "oncall-second", "escalation", alertID) != 1 {
					t.Fatal("the second on-call person was not alerted")
				}
				if _, err := site.mailer.DeliverDue(ctx); err != nil {
					t.Fatal(err)
				}
				if len(site.inbox.to("oncall-second@example.org")) != 1 {
					t.Fatalf("no email to the second on-call person")
				}
			})
			t.Run("the on-call person reads and acknowledges the alert but cannot read the answer", func(t *testing.T) {
				b := signedInBrowser(t, ts, "oncall-second", "en")
				st, page := b.get(app.EscalationPath(alertID))
				if st != 200 || strings.Contains(page, `id="alert-writing"`) || strings.Contains(page, "pastillas") {
					t.Fatalf("alert page %d", st)
				}
				st, _, h := b.post(app.EscalationPath(alertID), url.Values{"do": {"acknowledge"}})
				if st != http.StatusSeeOther || h.Get("Location") != app.EscalationPath(alertID) {
					t.Fatalf("acknowledge: %d", st)
				}
			})
			t.Run("a second alert acknowledged in time is escalated to nobody", func(t *testing.T) {
				site.applyInSpain(t, "marta", "Marta", crisisAnswer, question)
				r := ts.call(t, "GET", "/api/v1/safety/escalations?status=open", setup.clFacTok, nil)
				list := r.list("escalations")
				if len(list) != 1 {
					t.Fatalf("open alerts %s", r.Body)
				}
				second := int64(jsonObj(list[0])["id"].(float64))
				site.advance(t, 2*time.Minute)
				ack := ts.call(t, "POST", "/api/v1/safety/escalations/"+jsonString(jsonObj(list[0])["id"]), setup.clFacTok, map[string]any{"acknowledge": true,
					"note": "La llamé; está con su hermana."})
				ack.wantStatus(t, 200)
				if ack.JSON["status"] != "acknowledged" {
					t.Fatalf("after acknowledging: %s", ack.Body)
				}
				for range 4 {
					site.advance(t, 5*time.Minute)
				}
				if site.noticesOf(t, "oncall-first", "escalation", second)+site.noticesOf(t, "oncall-second", "escalation", second) != 0 {
					t.Fatal("someone was alerted after the acknowledgement")
				}
				detail := ts.call(t, "GET", "/api/v1/safety/escalations/"+jsonString(jsonObj(list[0])["id"]), setup.clFacTok, nil)
				if !bytes.Contains(detail.Body, []byte("está con su hermana")) {
					t.Fatalf("the note is not shown to the facilitator: %s", detail.Body)
				}
			})
			t.Run("the facilitator resolves the first alert with an outcome", func(t *testing.T) {
				b := signedInBrowser(t, ts, setup.closedFac, "en")
				st, page, _ := b.post(app.EscalationPath(alertID), url.Values{"do": {"resolve"}})
				if st != http.StatusBadRequest || !strings.Contains(page, "Choose what happened.") {
					t.Fatalf("resolve without an outcome: %d", st)
				}
				st, _, _ = b.post(app.EscalationPath(alertID), url.Values{"do": {"resolve"}, "outcome": {"reached_out"}})
				if st != http.StatusSeeOther {
					t.Fatalf("resolve: %d", st)
				}
				_, page = b.get(app.EscalationPath(alertID))
				if !strings.Contains(page, "Resolved") || !strings.Contains(page, "oncall-second acknowledged it.") {
					t.Fatal("the history does not show the steps")
				}
			})
			t.Run("outsiders cannot see or act on the alert", func(t *testing.T) {
				for _, tok := range []string{setup.openFacTok, ts.Token(t, ts.SignUp(t, "bystander", ""))} {
					ts.call(t, "GET", "/api/v1/safety/escalations/"+jsonString(float64(alertID)), tok, nil).wantError(t, 404)
					ts.call(t, "POST", "/api/v1/safety/escalations/"+jsonString(float64(alertID)), tok, map[string]any{"reopen": true}).wantError(t, 404)
				}
				r := ts.call(t, "GET", "/api/v1/safety/escalations", setup.openFacTok, nil)
				r.wantStatus(t, 200)
				if len(r.list("escalations")) != 0 {
					t.Fatalf("another group's facilitator sees %s", r.Body)
				}
				ts.call(t, "GET", "/api/v1/safety/escalations", ts.Token(t, mustUserByHandle(t, ts, "bystander")), nil).wantError(t, 403)
				ts.call(t, "GET", "/api/v1/organizations/riverside/audit", setup.clFacTok, nil).wantError(t, 403)
			})
			t.Run("nothing was done to the writers: no ban, mute or removal", func(t *testing.T) {
				for _, h := range []string{"lucia", "marta"} {
					v, err := ts.App.MyMembership(ctx, ts.Actor(t, ts.Token(t, mustUserByHandle(t, ts, h))), setup.closed)
					if err != nil || v.Membership == nil || v.Membership.Status != hearth.StatusApplicant {
						t.Fatalf("%s: %+v %v", h, v, err)
					}
				}
			})
			t.Run("the audit log records each step without the text", func(t *testing.T) {
				r := ts.call(t, "GET", "/api/v1/organizations/riverside/audit", setup.adminToken, nil)
				r.wantStatus(t, 200)
				count := map[string]int{}
				for _, e := range r.list("entries") {
					count[jsonObj(e)["action"].(string)]++
				}
				// Two alerts, each to the facilitator and at once to the first
				// on-call person; the first escalated once (to the second).
				want := map[string]int{"escalation.raised": 2, "escalation.alerted": 4, "escalation.escalated": 1, "escalation.acknowledged": 2,
					"escalation.note": 1, "escalation.resolved": 1, "safety.settings_changed": 1}
				for k, n := range want {
					if count[k] != n {
						t.Errorf("%s: %d entries, want %d (%v)", k, count[k], n, count)
					}
				}
				all, _, err := ts.App.SiteAuditLog(ctx, site1, 0)
				if err != nil {
					t.Fatal(err)
				}
				raw, _ := json.Marshal(all)
				for _, w := range []string{"pastillas", "listas", "hermana", "Lucía"} {
					if bytes.Contains(raw, []byte(w)) || bytes.Contains(r.Body, []byte(w)) {
						t.Errorf("the audit log holds %q", w)
					}
				}
				b := signedInBrowser(t, ts, "site-admin", "es")
				if st, page := b.get("/manage/riverside/audit"); st != 200 || !strings.Contains(page, "Escalado a la siguiente persona de guardia") {
					t.Fatalf("audit page %d", st)
				}
			})
			t.Run("no log line carries the words", func(t *testing.T) {
				logs := site.logs.String()
				if !strings.Contains(logs, "safety alert raised") || !strings.Contains(logs, "safety alert escalated") {
					t.Fatalf("the steps were not logged at all:\n%s", logs)
				}
				for _, w := range []string{"pastillas", "listas", "hermana"} {
					if strings.Contains(logs, w) {
						t.Fatalf("a log line holds %q", w)
					}
				}
			})
		})
	}
}

// jsonString writes a JSON number as an id for a path.
func jsonString(v any) string {
	f, _ := v.(float64)
	return strconv.FormatInt(int64(f), 10)
}

// TestGetHelpNow: the help page works signed out and without JavaScript,
// is one click from every page, and lets the person choose a country and a
// language (a GET form); the API answers the same directory.
func TestGetHelpNow(t *testing.T) {
	ts := demoServer(t, sqldb.SQLite)
	t.Run("every page links to it from its header", func(t *testing.T) {
		b := newBrowser(t, ts, "en")
		for _, p := range []string{"/", "/groups", "/signin", "/signup", "/help", "/groups/evening-grief-circle-online"} {
			st, body := b.get(p)
			if st != 200 || !strings.Contains(body, `<a id="get-help" class="get-help" href="/help">`) {
				t.Errorf("%s: %d, no Get help now link in the header", p, st)
			}
		}
	})
	t.Run("signed out, the browser's region comes first", func(t *testing.T) {
		st, body := newBrowser(t, ts, "en-GB,en;q=0.8").get("/help")
		if st != 200 || strings.Index(body, "Samaritans") > strings.Index(body, "988 Suicide") || !strings.Contains(body, `<option value="GB" selected>`) {
			t.Fatalf("%d: the United Kingdom is not first", st)
		}
		if strings.Contains(body, "<script") {
			t.Fatal("the page uses a script")
		}
	})
	t.Run("the form chooses country and language", func(t *testing.T) {
		st, body := newBrowser(t, ts, "en-US").get("/help?country=ES&lang=es")
		if st != 200 || !strings.Contains(body, `<html lang="es">`) || !strings.Contains(body, `href="tel:024"`) ||
			strings.Index(body, "024") > strings.Index(body, "988") || !strings.Contains(body, "Elige tu país y tu idioma") {
			t.Fatalf("%d: Spain in Spanish was not shown first", st)
		}
		if !strings.Contains(body, `<form id="help-choose" method="get" action="/help"`) || !strings.Contains(body, `<label for="help-country">`) {
			t.Fatal("no labelled GET form")
		}
	})
	t.Run("a country outside the directory shows the fallback, never an error", func(t *testing.T) {
		st, body := newBrowser(t, ts, "en").get("/help?country=ZZ&lang=xx")
		if st != 200 || !strings.Contains(body, "https://findahelpline.com") {
			t.Fatalf("%d", st)
		}
	})
	t.Run("the API gives the directory, the chosen country first, and refuses unknown codes", func(t *testing.T) {
		r := ts.call(t, "GET", "/api/v1/helplines?country=MX&lang=es", "", nil)
		r.wantStatus(t, 200)
		first := jsonObj(r.list("helplines")[0])
		if first["code"] != "MX" || first["name"] != "México" || jsonObj(jsonList(first["lines"])[0])["phone"] != "+528009112000" {
			t.Fatalf("%s", r.Body)
		}
		ts.call(t, "GET", "/api/v1/helplines?country=ZZ", "", nil).wantError(t, 400, "country")
	})
}

// TestApplyAnswersCarryHelpInTheAPI: an application through the API whose
// answer reads as a crisis is stored (201) and the answer carries "safety";
// an ordinary one does not.
func TestApplyAnswersCarryHelpInTheAPI(t *testing.T) {
	forEachEngine(t, func(t *testing.T, ts *testServer) {
		setup := setUpMembership(t, ts)
		closed := "/api/v1/groups/" + setup.closed
		ts.call(t, "PUT", closed+"/intake", setup.clFacTok, map[string]any{"questions": []any{map[string]any{"prompt": "What brings you?", "required": true}}}).wantStatus(t, 200)
		q := jsonObj(ts.call(t, "GET", closed+"/intake", "", nil).list("questions")[0])["id"]
		apply := func(handle, answer string) *apiResult {
			tok := ts.Token(t, ts.SignUp(t, handle, ""))
			raw, _ := json.Marshal(map[string]any{"pseudonym": handle, "accept_guidelines": true, "commit_sessions": true,
				"answers": []any{map[string]any{"question_id": q, "answer": answer}}})
			req, _ := http.NewRequest("POST", ts.URL+closed+"/apply", bytes.NewReader(raw))
			req.Header.Set("Authorization", "Bearer "+tok)
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Accept-Language", "es-MX,es")
			return ts.do(t, req)
		}
		t.Run("an ordinary answer gets no safety object", func(t *testing.T) {
			r := apply("calm-applicant", "My father died last spring.")
			r.wantStatus(t, 201)
			if _, ok := r.JSON["safety"]; ok {
				t.Fatalf("%s", r.Body)
			}
		})
		t.Run("a crisis answer is stored and carries help for the writer's country", func(t *testing.T) {
			r := apply("hurting-applicant", crisisAnswer)
			r.wantStatus(t, 201)
			s := jsonObj(r.JSON["safety"])
			if s["crisis"] != true || s["safety_plan"] != "/account/safety-plan" || s["staff_told"] != true ||
				jsonObj(jsonList(s["helplines"])[0])["code"] != "MX" || jsonObj(r.JSON["membership"])["status"] != "applicant" {
				t.Fatalf("%s", r.Body)
			}
			if raw, _ := json.Marshal(s); bytes.Contains(raw, []byte("pastillas")) {
				t.Fatal("the help echoes the words")
			}
		})
	})
}

// TestSafetySettingsPages: an organization's admins manage its on-call list
// on a page (problems shown next to the field, nothing changed), others are
// refused; the queue page is refused to people who handle no alerts.
func TestSafetySettingsPages(t *testing.T) {
	ts := newTestServer(t, sqldb.SQLite)
	setup := setUpMembership(t, ts)
	admin := signedInBrowser(t, ts, "site-admin", "en")
	t.Run("the page shows the default of 5 minutes and an empty list", func(t *testing.T) {
		st, page := admin.get("/manage/riverside/safety")
		if st != 200 || !strings.Contains(page, `value="5"`) || !strings.Contains(page, `<label for="on_call">`) {
			t.Fatalf("%d", st)
		}
	})
	t.Run("an unknown handle and minutes out of range are shown next to their fields, and nothing changes", func(t *testing.T) {
		st, page, _ := admin.post("/manage/riverside/safety", url.Values{"on_call": {"closed-facilitator\nnobody-at-all"}, "ack_minutes": {"0"}})
		page = text(page)
		if st != http.StatusBadRequest || !strings.Contains(page, "No account has the handle nobody-at-all.") ||
			!strings.Contains(page, "Choose between 1 and 120 minutes.") || !strings.Contains(page, `aria-invalid="true"`) {
			t.Fatalf("%d", st)
		}
		st2, _ := ts.App.OrgSafety(context.Background(), hearth.Actor{UserID: 1, SiteAdmin: true}, "riverside")
		if len(st2.OnCall) != 0 || st2.AckMinutes != 5 {
			t.Fatalf("changed: %+v", st2)
		}
	})
	t.Run("a valid list is saved in order", func(t *testing.T) {
		st, _, h := admin.post("/manage/riverside/safety", url.Values{"on_call": {"open-facilitator\r\nclosed-facilitator"}, "ack_minutes": {"7"}})
		if st != http.StatusSeeOther || h.Get("Location") != "/manage/riverside/safety" {
			t.Fatalf("%d", st)
		}
		r := ts.call(t, "GET", "/api/v1/organizations/riverside/safety", setup.adminToken, nil)
		if list := r.list("on_call"); len(list) != 2 || jsonObj(list[0])["handle"] != "open-facilitator" || r.JSON["ack_minutes"] != 7.0 {
			t.Fatalf("%s", r.Body)
		}
	})
	t.Run("a facilitator may not change it, and someone with no role sees no queue", func(t *testing.T) {
		fac := signedInBrowser(t, ts, setup.closedFac, "en")
		if st, _, _ := fac.post("/manage/riverside/safety", url.Values{"on_call": {""}, "ack_minutes": {"5"}}); st != http.StatusForbidden {
			t.Fatalf("%d", st)
		}
		ts.SignUp(t, "no-role", "")
		if st, _ := signedInBrowser(t, ts, "no-role", "en").get("/safety/escalations"); st != http.StatusForbidden {
			t.Fatalf("%d", st)
		}
		if st, body := fac.get("/safety/escalations"); st != 200 || !strings.Contains(body, `id="queue-empty"`) {
			t.Fatalf("%d", st)
		}
	})
}
