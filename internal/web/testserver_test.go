package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/app"
	"github.com/hearth-org/hearth/internal/gazetteer"
	"github.com/hearth-org/hearth/internal/password"
	"github.com/hearth-org/hearth/internal/sqldb"
	"github.com/hearth-org/hearth/internal/sqldb/sqldbtest"
	"github.com/hearth-org/hearth/internal/vault"
)

// testPassword is every test account's password.
const testPassword = "correct horse battery staple"

// testServer is Hearth's whole HTTP stack on a real, empty database, served
// by httptest on loopback. Page and API tests share it.
type testServer struct {
	URL    string // the base URL, no trailing slash
	App    *app.App
	Server *Server // for the route table
	Engine sqldb.Engine
	Client *http.Client // does not follow redirects
}

// newTestServer opens a fresh database of the engine and serves Hearth on it.
func newTestServer(t testing.TB, engine sqldb.Engine) *testServer {
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
		t.Fatalf("load gazetteer: %v", err)
	}
	v, _, err := vault.OpenFile(ctx, db, filepath.Join(dir, "master.key"), true, vault.Options{})
	if err != nil {
		t.Fatalf("vault: %v", err)
	}
	a, err := app.New(app.Config{DB: db, Gazetteer: gaz, Vault: v, PasswordParams: password.Params{Memory: 1024, Time: 1, Threads: 1}})
	if err != nil {
		t.Fatalf("app: %v", err)
	}
	// What NewHandler does, keeping the *Server for its route table.
	s, err := newServer(Config{App: a})
	if err != nil {
		t.Fatalf("server: %v", err)
	}
	srv := httptest.NewServer(s.handler())
	t.Cleanup(srv.Close)
	return &testServer{URL: srv.URL, App: a, Server: s, Engine: engine,
		Client: &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// forEachEngine runs fn as a subtest on every engine available to this run
// (SQLite always; PostgreSQL when HEARTH_TEST_DATABASE_URL is set), each
// with its own server and empty database.
func forEachEngine(t *testing.T, fn func(t *testing.T, ts *testServer)) {
	t.Helper()
	for _, e := range sqldbtest.Engines() {
		t.Run(string(e), func(t *testing.T) { fn(t, newTestServer(t, e)) })
	}
}

// SiteAdmin makes a site administrator's account.
func (ts *testServer) SiteAdmin(t testing.TB, handle string) *hearth.User {
	t.Helper()
	u, _, err := ts.App.CreateUser(context.Background(), handle, "", testPassword, true)
	if err != nil {
		t.Fatalf("create site admin %s: %v", handle, err)
	}
	return u
}

// SignUp makes an ordinary account (email may be empty).
func (ts *testServer) SignUp(t testing.TB, handle, email string) *hearth.User {
	t.Helper()
	u, _, err := ts.App.CreateUser(context.Background(), handle, email, testPassword, false)
	if err != nil {
		t.Fatalf("create user %s: %v", handle, err)
	}
	return u
}

// Token makes a personal access token for the account.
func (ts *testServer) Token(t testing.TB, u *hearth.User) string {
	t.Helper()
	token, _, err := ts.App.CreateToken(context.Background(), hearth.Actor{UserID: u.ID, Handle: u.Handle}, "test")
	if err != nil {
		t.Fatalf("token for %s: %v", u.Handle, err)
	}
	return token
}

// Actor returns who a token belongs to, with their current roles, for
// calling the app directly.
func (ts *testServer) Actor(t testing.TB, token string) hearth.Actor {
	t.Helper()
	a, _, err := ts.App.TokenActor(context.Background(), token)
	if err != nil {
		t.Fatalf("actor of token: %v", err)
	}
	return a
}
