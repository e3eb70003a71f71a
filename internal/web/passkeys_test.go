package web

import (
	"bytes"
	"context"
	"encoding/json"
	"github.com/hearth-org/hearth/internal/passkeytest"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/hearth-org/hearth/internal/app"
	"github.com/hearth-org/hearth/internal/gazetteer"
	"github.com/hearth-org/hearth/internal/password"
	"github.com/hearth-org/hearth/internal/sqldb"
	"github.com/hearth-org/hearth/internal/sqldb/sqldbtest"
	"github.com/hearth-org/hearth/internal/vault"
)

// Passkeys over the real HTTP stack: the pages, the JSON ceremony routes
// passkey.js calls, and a software authenticator (softKey) answering the
// real go-webauthn library. The server's public address is configured
// (--base-url): passkeys are bound to it.

const pkBase = "https://hearth.example.org"

func newPasskeyServer(t *testing.T, engine sqldb.Engine, staffRules bool) *testServer {
	t.Helper()
	ctx := context.Background()
	dbURL, dir := sqldbtest.URL(t, engine)
	db, err := sqldb.Open(ctx, sqldb.Options{URL: dbURL, DataDir: dir})
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
	log := slog.New(slog.DiscardHandler)
	a, err := app.New(app.Config{DB: db, Gazetteer: gaz, Vault: v, Logger: log, StaffSecondFactor: staffRules, PasswordParams: password.Params{Memory: 1024, Time: 1, Threads: 1}})
	if err != nil {
		t.Fatal(err)
	}
	s, err := newServer(Config{App: a, Logger: log, BaseURL: pkBase})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.handler())
	t.Cleanup(srv.Close)
	return &testServer{URL: srv.URL, App: a, Server: s, Engine: engine,
		Client: &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// postJSON is passkey.js's fetch: a same-origin POST of JSON with the
// browser's cookies.
func (b *browser) postJSON(path string, v any) (int, map[string]any) {
	b.t.Helper()
	raw, _ := json.Marshal(v)
	req, err := http.NewRequest("POST", b.ts.URL+path, bytes.NewReader(raw))
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", b.ts.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	if b.lang != "" {
		req.Header.Set("Accept-Language", b.lang)
	}
	res, err := b.client.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	var out map[string]any
	if err := json.Unmarshal(data, &out); err != nil {
		b.t.Fatalf("%s: %d, not JSON: %s", path, res.StatusCode, data)
	}
	return res.StatusCode, out
}

func errCode(body map[string]any) string {
	e, _ := body["error"].(map[string]any)
	c, _ := e["code"].(string)
	return c
}

// addPasskey adds a passkey from the security page as passkey.js does.
func addPasskey(t *testing.T, b *browser, k *passkeytest.SoftKey, name string) map[string]any {
	t.Helper()
	st, ch := b.postJSON("/account/security/passkeys/options", map[string]any{"purpose": "register", "name": name, "password": testPassword})
	if st != http.StatusOK {
		t.Fatalf("options: %d %v", st, ch)
	}
	st, done := b.postJSON("/account/security/passkeys", map[string]any{"purpose": "register", "ceremony": ch["ceremony"], "name": name,
		"credential": json.RawMessage(k.Create(t, ch["options"]))})
	if st != http.StatusCreated {
		t.Fatalf("add: %d %v", st, done)
	}
	return done
}

// signInWithPasskey runs a sign-in ceremony (mode "second" or
// "passwordless") and returns the final answer.
func signInWithPasskey(t *testing.T, b *browser, k *passkeytest.SoftKey, mode string) (int, map[string]any) {
	t.Helper()
	st, ch := b.postJSON("/signin/passkey/options", map[string]any{"mode": mode})
	if st != http.StatusOK {
		t.Fatalf("sign-in options (%s): %d %v", mode, st, ch)
	}
	return b.postJSON("/signin/passkey", map[string]any{"ceremony": ch["ceremony"], "credential": json.RawMessage(k.Get(t, ch["options"])), "next": "/account/security"})
}

var passkeyIDRE = regexp.MustCompile(`id="passkey-remove-(\d+)"`)

func TestPasskeysOnThePages(t *testing.T) {
	for _, e := range sqldbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			ts := newPasskeyServer(t, e, true)
			admin := ts.SiteAdmin(t, "keeper-pk")
			key := passkeytest.New(t, pkBase, "hearth.example.org")
			b := newBrowser(t, ts, "en")
			// Staff without a second factor are sent to the security page first.
			if st, _, h := b.post("/signin", url.Values{"login": {admin.Handle}, "password": {testPassword}, "next": {"/manage"}}); st != http.StatusSeeOther ||
				h.Get("Location") != "/account/security?next=%2Fmanage" {
				t.Fatalf("password sign-in of staff without a second factor: %d → %q", st, h.Get("Location"))
			}

			t.Run("the security page offers passkeys, and says they need JavaScript", func(t *testing.T) {
				_, body := b.get("/account/security")
				for _, want := range []string{`id="passkeys"`, `data-passkey="register"`, `<noscript><p id="passkeys-need-js"`,
					`<script src="/static/passkey.js" defer></script>`, `id="no-passkeys"`, `id="second-factor-required"`} {
					if !strings.Contains(body, want) {
						t.Errorf("no %s", want)
					}
				}
				if !regexp.MustCompile(`<form id="passkey-add"[^>]* hidden`).MatchString(body) {
					t.Error("the add form shows without JavaScript")
				}
				st, js := b.get("/static/passkey.js")
				if st != http.StatusOK || !strings.Contains(js, "navigator.credentials.create") {
					t.Fatalf("passkey.js: %d", st)
				}
			})

			t.Run("adding one needs the password; the answer says so in Spanish too", func(t *testing.T) {
				es := newBrowser(t, ts, "es")
				signInPassword(t, es, admin.Handle)
				st, body := es.postJSON("/account/security/passkeys/options", map[string]any{"purpose": "register", "name": "Llave", "password": "wrong password"})
				fields, _ := body["error"].(map[string]any)["fields"].([]any)
				if st != http.StatusBadRequest || len(fields) != 1 || fields[0].(map[string]any)["message"] != "Esa no es tu contraseña." {
					t.Fatalf("wrong password: %d %v", st, body)
				}
				st, body = b.postJSON("/account/security/passkeys/options", map[string]any{"purpose": "register", "name": strings.Repeat("x", 61), "password": testPassword})
				if st != http.StatusBadRequest || errCode(body) != "invalid" {
					t.Fatalf("a long name: %d %v", st, body)
				}
				// A form post (no JavaScript) is not a ceremony.
				if st, _, _ := b.post("/account/security/passkeys", url.Values{"name": {"x"}}); st < 400 || st >= 500 {
					t.Fatalf("form post: %d", st)
				}
			})

			var id string
			t.Run("adding one lists it, and this session now has staff powers", func(t *testing.T) {
				done := addPasskey(t, b, key, "Desk key")
				if done["location"] != "/account/security#passkeys" {
					t.Fatalf("location %v", done["location"])
				}
				_, body := b.get("/account/security")
				if !strings.Contains(body, "Desk key") || strings.Contains(body, `id="second-factor-required"`) || !strings.Contains(body, "Your passkey was added.") {
					t.Fatalf("after adding: %s", body)
				}
				m := passkeyIDRE.FindStringSubmatch(body)
				if m == nil {
					t.Fatal("no remove button")
				}
				id = m[1]
			})

			t.Run("renaming works without JavaScript; a bad name says so", func(t *testing.T) {
				if st, _, _ := b.post("/account/security/passkeys/"+id+"/rename", url.Values{"name": {"Office key"}}); st != http.StatusSeeOther {
					t.Fatalf("rename: %d", st)
				}
				st, body, _ := b.post("/account/security/passkeys/"+id+"/rename", url.Values{"name": {""}})
				if st != http.StatusBadRequest || !strings.Contains(body, `id="passkey-name-`+id+`-errors"`) || !strings.Contains(body, "Office key") {
					t.Fatalf("empty name: %d", st)
				}
			})

			t.Run("the only passkey of staff cannot be removed", func(t *testing.T) {
				st, body, _ := b.post("/account/security/passkeys/"+id+"/remove", nil)
				if st != http.StatusConflict || !strings.Contains(body, "only second factor") || !strings.Contains(body, "Office key") {
					t.Fatalf("remove: %d", st)
				}
			})

			t.Run("someone else cannot rename or remove it", func(t *testing.T) {
				other := ts.SignUp(t, "someone-else", "")
				ob := newBrowser(t, ts, "en")
				signInPassword(t, ob, other.Handle)
				if st, _, _ := ob.post("/account/security/passkeys/"+id+"/remove", url.Values{}); st != http.StatusNotFound {
					t.Fatalf("remove: %d", st)
				}
				if st, _, _ := ob.post("/account/security/passkeys/"+id+"/rename", url.Values{"name": {"Mine"}}); st != http.StatusNotFound {
					t.Fatalf("rename: %d", st)
				}
			})

			t.Run("the password then the passkey signs in with staff powers", func(t *testing.T) {
				b2 := newBrowser(t, ts, "en")
				st, body := signInPassword(t, b2, admin.Handle)
				if st != http.StatusOK || !strings.Contains(body, `data-passkey="second"`) || strings.Contains(body, `id="signin-code"`) ||
					!strings.Contains(body, "passkeys need JavaScript") {
					t.Fatalf("second step: %d %s", st, body)
				}
				st, done := signInWithPasskey(t, b2, key, "second")
				if st != http.StatusOK || done["location"] != "/account/security" {
					t.Fatalf("passkey: %d %v", st, done)
				}
				if _, body := b2.get("/account/security"); strings.Contains(body, `id="second-factor-required"`) || !strings.Contains(body, `id="this-session"`) {
					t.Fatal("the passkey sign-in has no staff powers")
				}
				// The pending sign-in is spent.
				if st, body := b2.postJSON("/signin/passkey/options", map[string]any{"mode": "second"}); st != http.StatusUnauthorized || errCode(body) != "sign_in_expired" {
					t.Fatalf("a second use: %d %v", st, body)
				}
			})

			t.Run("the passkey alone signs in", func(t *testing.T) {
				b3 := newBrowser(t, ts, "en")
				_, body := b3.get("/signin?next=/account/security")
				if !strings.Contains(body, `href="/signin/passkey?next=%2faccount%2fsecurity"`) || strings.Contains(body, "<script") {
					t.Fatalf("sign-in page: %s", body)
				}
				_, body = b3.get("/signin/passkey?next=/account/security")
				if !strings.Contains(body, `data-passkey="passwordless"`) || !strings.Contains(body, `<noscript><p id="passkeys-need-js"`) ||
					!strings.Contains(body, `<script src="/static/passkey.js" defer></script>`) {
					t.Fatalf("passkey sign-in page: %s", body)
				}
				st, done := signInWithPasskey(t, b3, key, "passwordless")
				if st != http.StatusOK {
					t.Fatalf("passwordless: %d %v", st, done)
				}
				if _, body := b3.get("/account/security"); strings.Contains(body, `id="second-factor-required"`) || !strings.Contains(body, "Office key") {
					t.Fatal("not signed in with staff powers")
				}
			})

			t.Run("an answer made for another origin is refused", func(t *testing.T) {
				evil := *key
				evil.Origin = ts.URL // the address the request went to, not the configured one
				b4 := newBrowser(t, ts, "en")
				if st, body := signInWithPasskey(t, b4, &evil, "passwordless"); st != http.StatusUnauthorized || errCode(body) != "passkey_failed" {
					t.Fatalf("wrong origin: %d %v", st, body)
				}
				key.Counter = evil.Counter
				if st, _ := b4.get("/account"); st != http.StatusSeeOther {
					t.Fatalf("signed in anyway: %d", st)
				}
			})

			t.Run("a replayed answer is refused", func(t *testing.T) {
				b5 := newBrowser(t, ts, "en")
				st, ch := b5.postJSON("/signin/passkey/options", map[string]any{"mode": "passwordless"})
				if st != http.StatusOK {
					t.Fatal(st)
				}
				answer := map[string]any{"ceremony": ch["ceremony"], "credential": json.RawMessage(key.Get(t, ch["options"]))}
				if st, body := b5.postJSON("/signin/passkey", answer); st != http.StatusOK {
					t.Fatalf("first: %d %v", st, body)
				}
				b6 := newBrowser(t, ts, "en")
				if st, body := b6.postJSON("/signin/passkey", answer); st != http.StatusUnauthorized || errCode(body) != "passkey_expired" {
					t.Fatalf("replay: %d %v", st, body)
				}
			})

			t.Run("with a second passkey, one may be removed", func(t *testing.T) {
				addPasskey(t, b, passkeytest.New(t, pkBase, "hearth.example.org"), "Phone")
				if st, _, _ := b.post("/account/security/passkeys/"+id+"/remove", url.Values{}); st != http.StatusSeeOther {
					t.Fatalf("remove: %d", st)
				}
				_, body := b.get("/account/security")
				if strings.Contains(body, "Office key") || !strings.Contains(body, "Phone") {
					t.Fatal("the list did not change")
				}
				b7 := newBrowser(t, ts, "en")
				if st, body := signInWithPasskey(t, b7, key, "passwordless"); st != http.StatusUnauthorized {
					t.Fatalf("a removed passkey signed in: %d %v", st, body)
				}
			})
		})
	}
}

// The API lists, renames and removes one's own passkeys, and no one
// else's.
func TestPasskeysInTheAPI(t *testing.T) {
	ts := newPasskeyServer(t, sqldb.SQLite, false)
	u := ts.SignUp(t, "api-pk", "")
	b := newBrowser(t, ts, "en")
	signInPassword(t, b, u.Handle)
	addPasskey(t, b, passkeytest.New(t, pkBase, "hearth.example.org"), "Phone")
	token := ts.Token(t, u)
	res := ts.call(t, "GET", "/api/v1/account/passkeys", token, nil)
	res.wantStatus(t, http.StatusOK)
	list := res.list("passkeys")
	if len(list) != 1 || jsonObj(list[0])["name"] != "Phone" || jsonObj(list[0])["last_used_at"] != nil {
		t.Fatalf("list: %v", res.JSON)
	}
	id := strconv.FormatInt(int64(jsonObj(list[0])["id"].(float64)), 10)
	other := ts.SignUp(t, "api-other", "")
	otherToken := ts.Token(t, other)
	ts.call(t, "PUT", "/api/v1/account/passkeys/"+id, otherToken, map[string]any{"name": "Mine"}).wantError(t, http.StatusNotFound)
	ts.call(t, "DELETE", "/api/v1/account/passkeys/"+id, otherToken, nil).wantError(t, http.StatusNotFound)
	ts.call(t, "PUT", "/api/v1/account/passkeys/"+id, token, map[string]any{"name": ""}).wantError(t, http.StatusBadRequest, "name")
	ts.call(t, "PUT", "/api/v1/account/passkeys/"+id, token, map[string]any{"name": "Old phone"}).wantStatus(t, http.StatusNoContent)
	if res := ts.call(t, "GET", "/api/v1/account/passkeys", token, nil); jsonObj(res.list("passkeys")[0])["name"] != "Old phone" {
		t.Fatalf("renamed: %v", res.JSON)
	}
	ts.call(t, "DELETE", "/api/v1/account/passkeys/"+id, token, nil).wantStatus(t, http.StatusNoContent)
	if res := ts.call(t, "GET", "/api/v1/account/passkeys", token, nil); len(res.list("passkeys")) != 0 {
		t.Fatalf("after removal: %v", res.JSON)
	}
}

// A session that began without a second factor (after recovery) passes it
// with a passkey.
func TestPasskeyVerifiesASession(t *testing.T) {
	ts := newPasskeyServer(t, sqldb.SQLite, true)
	admin := ts.SiteAdmin(t, "keeper-verify")
	key := passkeytest.New(t, pkBase, "hearth.example.org")
	b := newBrowser(t, ts, "en")
	signInPassword(t, b, admin.Handle)
	addPasskey(t, b, key, "Key")

	token, _, err := ts.App.StartSession(context.Background(), admin.ID) // as after recovery
	if err != nil {
		t.Fatal(err)
	}
	b2 := newBrowser(t, ts, "en")
	base, _ := url.Parse(ts.URL)
	b2.client.Jar.SetCookies(base, []*http.Cookie{{Name: sessionCookie, Value: token, Path: "/"}})
	_, body := b2.get("/account/security")
	if !strings.Contains(body, `data-passkey="verify"`) || !strings.Contains(body, `id="second-factor-required"`) {
		t.Fatalf("no way to verify: %s", body)
	}
	st, ch := b2.postJSON("/account/security/passkeys/options", map[string]any{"purpose": "verify"})
	if st != http.StatusOK {
		t.Fatal(st, ch)
	}
	st, done := b2.postJSON("/account/security/passkeys", map[string]any{"purpose": "verify", "ceremony": ch["ceremony"], "credential": json.RawMessage(key.Get(t, ch["options"]))})
	if st != http.StatusOK {
		t.Fatalf("verify: %d %v", st, done)
	}
	if _, body := b2.get("/account/security"); strings.Contains(body, `id="second-factor-required"`) {
		t.Fatal("still withheld")
	}
}
