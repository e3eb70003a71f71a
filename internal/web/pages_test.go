package web

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/hearth-org/hearth/internal/sqldb"
)

// browser is a cookie-keeping client that sends the Origin a real browser
// would, and does not follow redirects so tests see them.
type browser struct {
	t      testing.TB
	ts     *testServer
	client *http.Client
	lang   string
}

func newBrowser(t testing.TB, ts *testServer, lang string) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, ts: ts, lang: lang, client: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (b *browser) do(method, path string, form url.Values) (int, string, http.Header) {
	b.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, b.ts.URL+path, body)
	if err != nil {
		b.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", b.ts.URL)
		req.Header.Set("Sec-Fetch-Site", "same-origin")
	}
	if b.lang != "" {
		req.Header.Set("Accept-Language", b.lang)
	}
	res, err := b.client.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(data), res.Header
}

func (b *browser) get(path string) (int, string) {
	b.t.Helper()
	st, body, _ := b.do("GET", path, nil)
	return st, body
}

func (b *browser) post(path string, form url.Values) (int, string, http.Header) {
	b.t.Helper()
	return b.do("POST", path, form)
}

func demoServer(t testing.TB, e sqldb.Engine) *testServer {
	t.Helper()
	ts := newTestServer(t, e)
	if ok, err := ts.App.LoadDemo(context.Background()); err != nil || !ok {
		t.Fatalf("demo: %v %v", ok, err)
	}
	return ts
}

var htmlLang = regexp.MustCompile(`<html lang="([a-z]+)">`)

func TestPublicPages(t *testing.T) {
	ts := demoServer(t, sqldb.SQLite)
	b := newBrowser(t, ts, "en-US")
	pages := []string{"/", "/help", "/groups", "/groups?q=grief&place=Austin", "/groups?q=duelo&language=es",
		"/groups/grief-support-south-austin", "/signup", "/signin", "/recover", "/groups?topic=grief&format=online&page=2&per_page=5"}
	for _, p := range pages {
		t.Run(p+" is a complete page under 100 KB with help one click away", func(t *testing.T) {
			st, body := b.get(p)
			if st != http.StatusOK {
				t.Fatalf("status %d: %s", st, body)
			}
			if len(body) > 100<<10 {
				t.Fatalf("%d bytes", len(body))
			}
			for _, want := range []string{`<html lang="en">`, `id="get-help" class="get-help" href="/help"`, `<main id="main"`, `class="skip-link" href="#main"`, `<h1`} {
				if !strings.Contains(body, want) {
					t.Fatalf("missing %s", want)
				}
			}
			if strings.Count(body, "<h1") != 1 {
				t.Fatalf("%d h1 elements", strings.Count(body, "<h1"))
			}
			if strings.Contains(body, "<script") {
				t.Fatal("a page carries a script")
			}
		})
	}
	t.Run("results show the count, the place and group cards", func(t *testing.T) {
		_, body := b.get("/groups?q=grief&place=Austin&format=online")
		if !strings.Contains(body, `id="result-count"`) || !strings.Contains(body, "near Austin") || !strings.Contains(body, `data-format="online"`) {
			t.Fatal(body)
		}
		if strings.Contains(body, `data-format="in_person"`) {
			t.Fatal("an in-person group survived the online filter")
		}
	})
	t.Run("a postal code is shown with the place it was read as, and the default distance is the one selected", func(t *testing.T) {
		_, body := b.get("/groups?place=78701")
		if !strings.Contains(body, "near 78701 (Austin, Texas, US)") || !strings.Contains(body, `<option value="40" selected>`) {
			t.Fatal(body)
		}
	})
	t.Run("a bad filter gives a clear message and a 400, not a 500", func(t *testing.T) {
		st, body := b.get("/groups?format=carrier_pigeon&near=200,1")
		if st != http.StatusBadRequest || !strings.Contains(body, "carrier_pigeon") || !strings.Contains(body, "latitude") {
			t.Fatalf("%d %s", st, body)
		}
	})
	t.Run("an unknown place names itself and suggests what to type", func(t *testing.T) {
		st, body := b.get("/groups?place=Qwertyuiop+Zxcv")
		if st != http.StatusBadRequest || !strings.Contains(body, "Qwertyuiop") || !strings.Contains(body, `aria-invalid="true"`) {
			t.Fatalf("%d", st)
		}
	})
	t.Run("a missing group is a 404 page", func(t *testing.T) {
		if st, body := b.get("/groups/no-such-group"); st != http.StatusNotFound || !strings.Contains(body, "Get help now") {
			t.Fatalf("%d", st)
		}
	})
	t.Run("the private demo group is invisible to visitors", func(t *testing.T) {
		_, body := b.get("/groups?per_page=100&sort=name")
		for _, m := range regexp.MustCompile(`href="/groups/([a-z0-9-]+)"`).FindAllStringSubmatch(body, -1) {
			v, err := ts.App.Group(context.Background(), visitorOf(&http.Request{}).Actor, m[1])
			if err != nil || v.Group.Visibility != "listed" {
				t.Errorf("%s listed: %v", m[1], err)
			}
		}
	})
}

func TestSpanish(t *testing.T) {
	ts := demoServer(t, sqldb.SQLite)
	t.Run("Accept-Language es-MX gives Spanish pages", func(t *testing.T) {
		b := newBrowser(t, ts, "es-MX,es;q=0.9")
		_, body := b.get("/")
		if m := htmlLang.FindStringSubmatch(body); m == nil || m[1] != "es" || !strings.Contains(body, "Ayuda ahora") {
			t.Fatal(body[:400])
		}
		_, body = b.get("/help")
		if i, j := strings.Index(body, "México"), strings.Index(body, "Estados Unidos"); i < 0 || j < 0 || i > j {
			t.Fatal("Mexico's helplines are not first for es-MX")
		}
	})
	t.Run("the switcher keeps Spanish across pages and can switch back", func(t *testing.T) {
		b := newBrowser(t, ts, "en-US")
		st, _, h := b.post("/locale", url.Values{"lang": {"es"}, "next": {"/groups?q=grief"}})
		if st != http.StatusSeeOther || h.Get("Location") != "/groups?q=grief" {
			t.Fatalf("%d %s", st, h.Get("Location"))
		}
		_, body := b.get("/groups?q=grief")
		if !strings.Contains(body, `<html lang="es">`) || !strings.Contains(body, "grupos encontrados") {
			t.Fatal("not Spanish after switching")
		}
		b.post("/locale", url.Values{"lang": {"en"}, "next": {"/"}})
		if _, body := b.get("/"); !strings.Contains(body, `<html lang="en">`) {
			t.Fatal("not English after switching back")
		}
	})
	t.Run("a chosen time zone shows the next meeting in the visitor's time too", func(t *testing.T) {
		b := newBrowser(t, ts, "en")
		_, before := b.get("/groups/evening-grief-circle-online")
		if strings.Contains(before, "Your time:") {
			t.Fatal("a viewer time before choosing one")
		}
		st, _, h := b.post("/timezone", url.Values{"tz": {"Europe/Madrid"}, "next": {"/groups/evening-grief-circle-online"}})
		if st != http.StatusSeeOther || h.Get("Location") != "/groups/evening-grief-circle-online" {
			t.Fatalf("%d %s", st, h.Get("Location"))
		}
		_, after := b.get("/groups/evening-grief-circle-online")
		if !strings.Contains(after, "Your time:") || !strings.Contains(after, "CET") && !strings.Contains(after, "CEST") {
			t.Fatal("no time in Madrid after choosing it")
		}
		if st, _, _ := b.post("/timezone", url.Values{"tz": {"Mars/Olympus"}}); st != http.StatusBadRequest {
			t.Fatalf("an unknown zone: %d", st)
		}
	})
	t.Run("an off-site next address is not followed", func(t *testing.T) {
		b := newBrowser(t, ts, "")
		_, _, h := b.post("/locale", url.Values{"lang": {"es"}, "next": {"//evil.example/"}})
		if h.Get("Location") != "/" {
			t.Fatalf("redirected to %q", h.Get("Location"))
		}
	})
	t.Run("Spanish validation messages are in Spanish", func(t *testing.T) {
		b := newBrowser(t, ts, "es")
		_, body, _ := b.post("/signup", url.Values{"handle": {"ab"}, "password": {"corta"}, "password_confirm": {"otra"}})
		if !strings.Contains(body, "Corrige los campos") || !strings.Contains(body, "Al menos") && !strings.Contains(body, "al menos") {
			t.Fatal(body)
		}
	})
}

func TestNewcomerJoinsOverHTTP(t *testing.T) {
	forEachEngine(t, func(t *testing.T, ts *testServer) {
		if ok, err := ts.App.LoadDemo(context.Background()); err != nil || !ok {
			t.Fatal(err)
		}
		b := newBrowser(t, ts, "en")
		slug := "evening-grief-circle-online"
		_, body := b.get("/groups/" + slug)
		if !strings.Contains(body, `id="signup-to-join"`) || !strings.Contains(body, `href="/signup?next=%2fgroups%2f`+slug) {
			t.Fatal("no sign-up link that returns to the group")
		}
		st, body, _ := b.post("/signup", url.Values{"handle": {"quiet-river"}, "password": {"a long passphrase"},
			"password_confirm": {"a long passphrase"}, "next": {"/groups/" + slug}})
		code := regexp.MustCompile(`<code id="recovery-code">([A-Z2-7-]{23})</code>`).FindStringSubmatch(body)
		if st != http.StatusCreated || code == nil || !strings.Contains(body, `href="/groups/`+slug+`"`) {
			t.Fatalf("%d %s", st, body)
		}
		t.Run("joining without accepting the guidelines is refused and stores nothing", func(t *testing.T) {
			st, body, _ := b.post("/groups/"+slug+"/join", url.Values{"pseudonym": {"River"}})
			if st != http.StatusBadRequest || !strings.Contains(body, "tick the box") {
				t.Fatalf("%d", st)
			}
			if _, body := b.get("/groups/" + slug); strings.Contains(body, `id="membership-status"`) {
				t.Fatal("a membership was stored")
			}
		})
		t.Run("joining with a pseudonym shows membership under that name", func(t *testing.T) {
			st, _, h := b.post("/groups/"+slug+"/join", url.Values{"pseudonym": {"River"}, "accept_guidelines": {"yes"}})
			if st != http.StatusSeeOther || h.Get("Location") != "/groups/"+slug {
				t.Fatalf("%d %s", st, h.Get("Location"))
			}
			_, body := b.get("/groups/" + slug)
			if !strings.Contains(body, `id="membership-status"`) || !strings.Contains(body, "River") || !strings.Contains(body, "Welcome to the group") {
				t.Fatal(body)
			}
			if strings.Contains(body, "quiet-river") {
				t.Fatal("the account handle appears on the group page")
			}
		})
		t.Run("the account page lists the group under the pseudonym", func(t *testing.T) {
			_, body := b.get("/account")
			if !strings.Contains(body, `href="/groups/`+slug+`"`) || !strings.Contains(body, "as River") {
				t.Fatal(body)
			}
		})
		t.Run("signing out ends the session", func(t *testing.T) {
			b.post("/signout", url.Values{})
			if _, body := b.get("/groups/" + slug); !strings.Contains(body, `id="signup-to-join"`) {
				t.Fatal("still signed in")
			}
		})
		t.Run("signing in again goes back where the person was", func(t *testing.T) {
			st, _, h := b.post("/signin", url.Values{"login": {"Quiet-River"}, "password": {"a long passphrase"}, "next": {"/groups/" + slug}})
			if st != http.StatusSeeOther || h.Get("Location") != "/groups/"+slug {
				t.Fatalf("%d %s", st, h.Get("Location"))
			}
		})
		t.Run("a wrong password says the same as an unknown account", func(t *testing.T) {
			other := newBrowser(t, ts, "en")
			_, a, _ := other.post("/signin", url.Values{"login": {"quiet-river"}, "password": {"not the password"}})
			_, c, _ := other.post("/signin", url.Values{"login": {"nobody-at-all"}, "password": {"not the password"}})
			msg := regexp.MustCompile(`(?s)<div class="form-errors".*?</div>`)
			if msg.FindString(a) == "" || msg.FindString(a) != msg.FindString(c) {
				t.Fatalf("%q vs %q", msg.FindString(a), msg.FindString(c))
			}
		})
	})
}

func TestCrossSiteFormsAreRefused(t *testing.T) {
	ts := demoServer(t, sqldb.SQLite)
	for _, path := range []string{"/signup", "/signin", "/locale", "/timezone", "/groups/evening-grief-circle-online/join", "/signout"} {
		t.Run(path, func(t *testing.T) {
			req, _ := http.NewRequest("POST", ts.URL+path, strings.NewReader("lang=es&handle=x"))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Origin", "https://evil.example")
			req.Header.Set("Sec-Fetch-Site", "cross-site")
			res, err := ts.Client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != http.StatusForbidden || res.Header.Get("Set-Cookie") != "" {
				t.Fatalf("status %d, cookies %q", res.StatusCode, res.Header.Get("Set-Cookie"))
			}
		})
	}
}

// TestEveryRouteChecksWhoIsAsking walks the whole route table as a visitor
// with no account: routes that need an account must refuse, and no route may
// answer 5xx to a stranger's junk input.
func TestEveryRouteChecksWhoIsAsking(t *testing.T) {
	ts := demoServer(t, sqldb.SQLite)
	fill := strings.NewReplacer("{slug}", "evening-grief-circle-online", "{org}", "harborlight-hospice", "{id}", "1", "{$}", "")
	for _, r := range ts.Server.Routes() {
		path := fill.Replace(r.Path)
		if strings.HasSuffix(path, "/") && path != "/" {
			path += "hearth.css"
		}
		t.Run(r.Method+" "+r.Path+" as a stranger", func(t *testing.T) {
			var body io.Reader
			if r.Method != "GET" {
				body = strings.NewReader(`{"junk": true`)
			}
			req, _ := http.NewRequest(r.Method, ts.URL+path, body)
			req.Header.Set("Origin", ts.URL)
			req.Header.Set("Content-Type", "application/json")
			res, err := ts.Client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode >= 500 {
				t.Fatalf("status %d", res.StatusCode)
			}
			if r.Auth == SignedIn {
				ok := res.StatusCode == http.StatusUnauthorized || res.StatusCode == http.StatusForbidden ||
					(res.StatusCode == http.StatusSeeOther && strings.HasPrefix(res.Header.Get("Location"), "/signin"))
				if !ok {
					t.Fatalf("a stranger got %d (%s)", res.StatusCode, res.Header.Get("Location"))
				}
			}
		})
	}
}

func TestOperations(t *testing.T) {
	var logs bytes.Buffer
	ts := newTestServer(t, sqldb.SQLite)
	s, err := newServer(Config{App: ts.App, Logger: slog.New(slog.NewTextHandler(&logs, nil)),
		DBStats: func() map[string]PoolStats { return map[string]PoolStats{"write": {Open: 1}} }})
	if err != nil {
		t.Fatal(err)
	}
	h := s.handler()
	get := func(path string) (int, string) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		return rec.Code, rec.Body.String()
	}
	if st, _ := get("/healthz"); st != 200 {
		t.Fatalf("healthz %d", st)
	}
	if st, _ := get("/readyz"); st != 200 {
		t.Fatalf("readyz %d", st)
	}
	get("/groups?q=my+secret+sorrow&place=Austin")
	_, metrics := get("/metrics")
	for _, want := range []string{`hearth_http_requests_total{code="200",route="GET /groups"}`, "hearth_http_request_duration_seconds_bucket", `hearth_db_connections_open{pool="write"} 1`} {
		if !strings.Contains(metrics, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	t.Run("neither logs nor metrics carry what a person typed", func(t *testing.T) {
		for _, out := range []string{logs.String(), metrics} {
			if strings.Contains(out, "secret") || strings.Contains(out, "sorrow") || strings.Contains(out, "Austin") {
				t.Fatal("search words leaked")
			}
		}
		if !strings.Contains(logs.String(), `route="GET /groups"`) {
			t.Fatal("no request log line")
		}
	})
	t.Run("every response carries the security headers", func(t *testing.T) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
		for k, want := range map[string]string{"Content-Security-Policy": "frame-ancestors 'none'", "Referrer-Policy": "no-referrer", "X-Content-Type-Options": "nosniff"} {
			if !strings.Contains(rec.Header().Get(k), want) {
				t.Errorf("%s = %q", k, rec.Header().Get(k))
			}
		}
	})
}
