package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gobwas/ws"
	"github.com/gobwas/ws/wsutil"

	"github.com/hearth-org/hearth/internal/app"
	"github.com/hearth-org/hearth/internal/roombus"
	"github.com/hearth-org/hearth/internal/roombus/natstest"
)

// boardLivePath is the live hint's address for a group.
func boardLivePath(slug string) string { return "/groups/" + slug + "/board/live" }

// boardLiveServer serves Hearth's whole HTTP stack over ts's app with a
// board hub of its own (a second process, when called twice).
func boardLiveServer(t *testing.T, ts *testServer, hub *BoardHub) *httptest.Server {
	t.Helper()
	s, err := newServer(Config{App: ts.App, Boards: hub})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.handler())
	t.Cleanup(srv.Close)
	return srv
}

// dialBoardLive opens the hint's socket with a token (and an Origin when
// given), as board.js does with its cookie.
func dialBoardLive(t *testing.T, srv *httptest.Server, slug, token, origin string) (net.Conn, error) {
	t.Helper()
	u, _ := url.Parse(srv.URL)
	h := http.Header{}
	if token != "" {
		h.Set("Authorization", "Bearer "+token)
	}
	if origin != "" {
		h.Set("Origin", origin)
	}
	d := ws.Dialer{Timeout: 5 * time.Second, Header: ws.HandshakeHeaderHTTP(h)}
	conn, _, _, err := d.Dial(context.Background(), "ws://"+u.Host+boardLivePath(slug))
	if err != nil {
		return nil, err
	}
	t.Cleanup(func() { conn.Close() })
	return conn, nil
}

// refusedWith is the HTTP status a refused upgrade answered.
func refusedWith(err error) int {
	var se ws.StatusError
	if errors.As(err, &se) {
		return int(se)
	}
	return 0
}

// nextBoardFrame reads one frame's raw text.
func nextBoardFrame(conn net.Conn, within time.Duration) ([]byte, error) {
	conn.SetReadDeadline(time.Now().Add(within))
	data, _, err := wsutil.ReadServerData(conn)
	return data, err
}

// frameFor waits for the hint of a thread and returns it as sent.
func frameFor(t *testing.T, conn net.Conn, thread int64) string {
	t.Helper()
	want := `{"t":"new","thread":` + strconv.FormatInt(thread, 10) + `}`
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		data, err := nextBoardFrame(conn, time.Until(deadline))
		if err != nil {
			t.Fatalf("waiting for thread %d: %v", thread, err)
		}
		var f map[string]any
		if err := json.Unmarshal(data, &f); err != nil || len(f) != 2 || f["t"] != "new" {
			t.Fatalf("a frame that is not the hint: %q", data)
		}
		if string(data) == want {
			return string(data)
		}
	}
	t.Fatalf("no hint of thread %d", thread)
	return ""
}

// waitConnections waits until the hub holds n connections.
func waitConnections(t *testing.T, hub *BoardHub, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for hub.Connections() != n {
		if time.Now().After(deadline) {
			t.Fatalf("%d connections, want %d", hub.Connections(), n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestBoardLiveHint(t *testing.T) {
	forEachEngine(t, func(t *testing.T, ts *testServer) {
		ctx := context.Background()
		s := newBoardSite(t, ts)
		hub := NewBoardHub(nil)
		t.Cleanup(hub.Close)
		ts.App.SetBoardRinger(hub.Rung)
		t.Cleanup(func() { ts.App.SetBoardRinger(nil) })
		srv := boardLiveServer(t, ts, hub)
		const title, body = "Zq-a title only members read", "Zq-words only members read"

		t.Run("two readers' open pages hear of a new post: the thread's number and nothing else", func(t *testing.T) {
			luz, err := dialBoardLive(t, srv, s.slug, s.tokens["luz"], srv.URL)
			if err != nil {
				t.Fatal(err)
			}
			nube, err := dialBoardLive(t, srv, s.slug, s.tokens["nube"], "")
			if err != nil {
				t.Fatal(err)
			}
			waitConnections(t, hub, 2)
			p, err := ts.App.StartThread(ctx, ts.Actor(t, s.tokens["rio"]), s.slug, app.PostInput{Title: title, Body: body, Anonymous: false})
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range []net.Conn{luz, nube} {
				if f := frameFor(t, c, p.ThreadID); strings.Contains(f, "Zq") || strings.Contains(f, "Río") {
					t.Errorf("the frame says more than the thread: %s", f)
				}
			}
			r, err := ts.App.Reply(ctx, ts.Actor(t, s.tokens["luz"]), s.slug, p.ThreadID, app.PostInput{Body: body})
			if err != nil || r.Held {
				t.Fatal(err)
			}
			frameFor(t, nube, p.ThreadID)
			frameFor(t, luz, p.ThreadID) // the writer's other open pages too
		})

		t.Run("who does not read the board gets the board's answer, before any upgrade", func(t *testing.T) {
			out := ts.SignUp(t, "out-sider", "")
			if _, err := dialBoardLive(t, srv, s.slug, ts.Token(t, out), ""); refusedWith(err) != http.StatusForbidden {
				t.Errorf("outsider: %v", err)
			}
			if _, err := dialBoardLive(t, srv, s.slug, "", ""); refusedWith(err) == 0 || refusedWith(err) == http.StatusSwitchingProtocols {
				t.Errorf("signed out: %v", err)
			}
			if _, err := dialBoardLive(t, srv, "no-such-group", s.tokens["luz"], ""); refusedWith(err) != http.StatusNotFound {
				t.Errorf("unknown group: %v", err)
			}
		})

		t.Run("a page of another site is refused", func(t *testing.T) {
			if _, err := dialBoardLive(t, srv, s.slug, s.tokens["luz"], "https://evil.example"); refusedWith(err) != http.StatusForbidden {
				t.Errorf("another origin: %v", err)
			}
		})

		t.Run("a plain request is told the address takes a WebSocket", func(t *testing.T) {
			req, _ := http.NewRequest("GET", srv.URL+boardLivePath(s.slug), nil)
			req.Header.Set("Authorization", "Bearer "+s.tokens["luz"])
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != http.StatusBadRequest {
				t.Errorf("status %d", res.StatusCode)
			}
		})

		t.Run("the board and thread pages carry the live region and the deferred script; the script is served", func(t *testing.T) {
			b := newBrowser(t, &testServer{URL: srv.URL, App: ts.App, Engine: ts.Engine, Client: ts.Client}, "en")
			b.signIn("luz")
			p, err := ts.App.StartThread(ctx, ts.Actor(t, s.tokens["nube"]), s.slug, app.PostInput{Title: "Pages", Body: "A body"})
			if err != nil {
				t.Fatal(err)
			}
			for path, region := range map[string]string{
				"/groups/" + s.slug + "/board":                                      `<p id="board-live" class="hint" aria-live="polite" data-live="` + boardLivePath(s.slug) + `"`,
				"/groups/" + s.slug + "/board/" + strconv.FormatInt(p.ThreadID, 10): `data-thread="` + strconv.FormatInt(p.ThreadID, 10) + `"`,
			} {
				st, page := b.get(path)
				if st != http.StatusOK || !strings.Contains(page, region) || !strings.Contains(page, `<script src="/static/board.js" defer></script>`) ||
					!strings.Contains(page, `data-text="New posts."`) {
					t.Errorf("%s (%d) has no live region %s", path, st, region)
				}
			}
			res, err := http.Get(srv.URL + "/static/board.js")
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != http.StatusOK || !strings.Contains(res.Header.Get("Content-Type"), "javascript") {
				t.Errorf("board.js: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
			}
		})

		t.Run("without a hub the server says the hint is off, and the pages do not carry it", func(t *testing.T) {
			off := boardLiveServer(t, ts, nil)
			if _, err := dialBoardLive(t, off, s.slug, s.tokens["luz"], ""); refusedWith(err) != http.StatusServiceUnavailable {
				t.Errorf("no hub: %v", err)
			}
			b := newBrowser(t, &testServer{URL: off.URL, App: ts.App, Engine: ts.Engine, Client: ts.Client}, "en")
			b.signIn("luz")
			if _, page := b.get("/groups/" + s.slug + "/board"); strings.Contains(page, "board-live") || strings.Contains(page, "board.js") {
				t.Error("the page offers a hint nobody serves")
			}
		})
	})
}

// TestBoardLiveAcrossProcesses: a post stored through one process reaches
// a page open on another through NATS (two hubs, two bells).
func TestBoardLiveAcrossProcesses(t *testing.T) {
	natsURL := natstest.URL(t)
	ts := newTestServer(t, "sqlite")
	ctx := context.Background()
	s := newBoardSite(t, ts)
	var b [6]byte
	_, _ = rand.Read(b[:])
	prefix := "test.boardlive." + hex.EncodeToString(b[:]) + "."
	bellA, err := roombus.New(roombus.Config{URL: natsURL, Prefix: prefix})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { bellA.Close() })
	bellB, err := roombus.New(roombus.Config{URL: natsURL, Prefix: prefix})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { bellB.Close() })
	hubA, hubB := NewBoardHub(nil), NewBoardHub(nil)
	t.Cleanup(hubA.Close)
	t.Cleanup(hubB.Close)
	listenCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- bellB.ListenBoards(listenCtx, hubB) }()
	t.Cleanup(func() {
		stop()
		if err := <-done; err != nil {
			t.Errorf("ListenBoards: %v", err)
		}
	})
	// Process A stores posts: it rings its own hub and the bus.
	ts.App.SetBoardRinger(func(g, th, p int64) { hubA.Rung(g, th, p); bellA.RingBoard(g, th, p) })
	t.Cleanup(func() { ts.App.SetBoardRinger(nil) })
	srvB := boardLiveServer(t, ts, hubB)

	nube, err := dialBoardLive(t, srvB, s.slug, s.tokens["nube"], "")
	if err != nil {
		t.Fatal(err)
	}
	waitConnections(t, hubB, 1)
	v, err := ts.App.Board(ctx, ts.Actor(t, s.tokens["nube"]), s.slug, app.BoardQuery{Page: 1})
	if err != nil {
		t.Fatal(err)
	}
	// Warm up: ring until B's subscription hears (the thread 1<<40 is no
	// thread; the page would only offer to reload).
	const warm = 1 << 40
	for heard := false; !heard; {
		bellA.RingBoard(v.Group.ID, warm, 1)
		data, err := nextBoardFrame(nube, 100*time.Millisecond)
		var ne net.Error
		switch {
		case err == nil:
			heard = string(data) == `{"t":"new","thread":`+strconv.Itoa(warm)+`}`
		case errors.As(err, &ne) && ne.Timeout():
		default:
			t.Fatal(err)
		}
	}
	p, err := ts.App.StartThread(ctx, ts.Actor(t, s.tokens["luz"]), s.slug, app.PostInput{Title: "Across processes", Body: "Zq-words"})
	if err != nil {
		t.Fatal(err)
	}
	frameFor(t, nube, p.ThreadID)
}

// TestBoardNoticesPage: board notices on /notices and in the API, a gone
// post's notice as a placeholder, and the digest choice on the account
// page and in the API.
func TestBoardNoticesPage(t *testing.T) {
	forEachEngine(t, func(t *testing.T, ts *testServer) {
		ctx := context.Background()
		s := newBoardSite(t, ts)
		const body = "Zq-words only members read"
		p, err := ts.App.StartThread(ctx, ts.Actor(t, s.tokens["luz"]), s.slug, app.PostInput{Title: "Zq-title", Body: body})
		if err != nil {
			t.Fatal(err)
		}
		r, err := ts.App.Reply(ctx, ts.Actor(t, s.tokens["nube"]), s.slug, p.ThreadID, app.PostInput{Body: "@Luz " + body})
		if err != nil {
			t.Fatal(err)
		}
		v, err := ts.App.Board(ctx, ts.Actor(t, s.tokens["luz"]), s.slug, app.BoardQuery{Page: 1})
		if err != nil {
			t.Fatal(err)
		}
		name := v.Group.Name
		permalink := app.BoardPostPath(s.slug, r.PostID)

		t.Run("the notices page names the group and links to the post; no words, no writer", func(t *testing.T) {
			st, page := s.browser["luz"].get("/notices")
			if st != http.StatusOK || !strings.Contains(page, "Someone mentioned you in a post in "+name+".") ||
				!strings.Contains(page, `href="`+permalink+`"`) {
				t.Fatalf("%d\n%s", st, page)
			}
			list := regexp.MustCompile(`(?s)<ul id="notice-list".*?</ul>`).FindString(page)
			if strings.Contains(list, "Zq") || strings.Contains(list, "Nube") {
				t.Errorf("the notice says what or who: %s", list)
			}
			_, es := signedInBrowser(t, ts, "luz", "es").get("/notices")
			if !strings.Contains(es, "Alguien te mencionó en una publicación en "+name+".") {
				t.Error("no Spanish notice")
			}
		})

		t.Run("a deleted post's notice stays as a placeholder without a link", func(t *testing.T) {
			if err := ts.App.DeletePost(ctx, ts.Actor(t, s.tokens["nube"]), s.slug, r.PostID); err != nil {
				t.Fatal(err)
			}
			_, page := s.browser["luz"].get("/notices")
			if !strings.Contains(page, "A post in "+name+" you were told about is no longer there.") || strings.Contains(page, permalink) {
				t.Fatalf("%s", page)
			}
			res := ts.call(t, "GET", "/api/v1/account/notices", s.tokens["luz"], nil)
			res.wantStatus(t, http.StatusOK)
			for _, n := range res.JSON["notices"].([]any) {
				n := jsonObj(n)
				if n["kind"] == app.NoticeBoardMention && n["link"] != "" {
					t.Errorf("the API still links to the deleted post: %v", n)
				}
			}
		})

		t.Run("the digest is off until chosen on the account page, and the reminders form keeps it", func(t *testing.T) {
			me := ts.Actor(t, s.tokens["rio"])
			st, _, _ := s.browser["rio"].post("/account/reminders", url.Values{"before_24h": {"yes"}, "board_digest": {"yes"}, "board_digest_shown": {"1"}})
			if st != http.StatusSeeOther {
				t.Fatalf("%d", st)
			}
			got, err := ts.App.MyReminders(ctx, me)
			if err != nil || !got.BoardDigest || !got.Before24h || got.Before1h {
				t.Fatalf("%+v %v", got, err)
			}
			// A form without the box (an older page) leaves the choice alone.
			s.browser["rio"].post("/account/reminders", url.Values{"before_1h": {"yes"}})
			if got, _ := ts.App.MyReminders(ctx, me); !got.BoardDigest || !got.Before1h {
				t.Fatalf("%+v", got)
			}
			s.browser["rio"].post("/account/reminders", url.Values{"board_digest_shown": {"1"}})
			if got, _ := ts.App.MyReminders(ctx, me); got.BoardDigest {
				t.Fatalf("unticked, still on: %+v", got)
			}
		})

		t.Run("the API reads and sets it; absent, it is left alone", func(t *testing.T) {
			tok := s.tokens["rio"]
			res := ts.call(t, "PUT", "/api/v1/account/reminders", tok, map[string]any{"before_24h": true, "before_1h": true, "board_digest": true})
			res.wantStatus(t, http.StatusOK)
			if res.JSON["board_digest"] != true {
				t.Fatalf("%s", res.Body)
			}
			res = ts.call(t, "PUT", "/api/v1/account/reminders", tok, map[string]any{"before_24h": false, "before_1h": true})
			res.wantStatus(t, http.StatusOK)
			if res.JSON["board_digest"] != true || res.JSON["before_24h"] != false {
				t.Fatalf("%s", res.Body)
			}
			res = ts.call(t, "GET", "/api/v1/account/reminders", tok, nil)
			if res.JSON["board_digest"] != true {
				t.Fatalf("%s", res.Body)
			}
		})
	})
}

// TestBoardNoticeKindsHaveTheirTexts: every board notice kind, and the
// placeholder of a gone post, read in both languages.
func TestBoardNoticeKindsHaveTheirTexts(t *testing.T) {
	cat := newTestServer(t, "sqlite").Server.catalog
	for _, lang := range []string{"en", "es"} {
		for _, kind := range append(append([]string{}, app.BoardNoticeKinds...), "board_gone") {
			key := "notice." + kind
			if got := cat.Locale(lang).T(key, "group", "G"); got == key || !strings.Contains(got, "G") {
				t.Errorf("%s has no %s text naming the group: %q", key, lang, got)
			}
		}
	}
}
