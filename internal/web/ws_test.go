package web

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gobwas/ws"
	"github.com/gobwas/ws/wsutil"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/room"
	"github.com/hearth-org/hearth/internal/sqldb"
)

// roomSite is a meeting site whose server runs a room hub: an online
// meeting every other Tuesday in Madrid, the clock five minutes into its
// first occurrence, a facilitator (ana), two members (pat, lee) and an
// outsider (out), each with a signed-in browser.
type roomSite struct {
	*meetingSite
	srv                *httptest.Server
	hub                *room.Hub
	page, socket       string
	fac, pat, lee, out *browser
	leeUser            *hearth.User
}

func newRoomSite(t *testing.T) *roomSite {
	t.Helper()
	ctx := context.Background()
	m := newMeetingSite(t, sqldb.SQLite, time.Date(2027, 3, 9, 12, 0, 0, 0, time.UTC), hearth.Online)
	ts := m.ts
	if st, body, _ := signedInBrowser(t, ts, "ana-facilita", "en").post("/groups/"+m.slug+"/meetings", biweeklyForm()); st != http.StatusSeeOther {
		t.Fatalf("add meeting: %d %s", st, body)
	}
	v, err := ts.App.Meetings(ctx, m.facActor, m.slug)
	if err != nil || len(v.Meetings) != 1 || len(v.Meetings[0].Upcoming) == 0 {
		t.Fatalf("meetings: %v", err)
	}
	occ := v.Meetings[0].Upcoming[0]
	m.clk.Set(occ.Start.Add(5 * time.Minute))

	hub := room.NewHub(room.HubConfig{Store: ts.App.RoomStore(), Now: m.clk.Now, OnPresence: ts.App.RoomPresence})
	t.Cleanup(hub.Close)
	ts.App.SetRoomEvictor(hub.Evict)
	s, err := newServer(Config{App: ts.App, Now: m.clk.Now, Rooms: hub})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.handler())
	t.Cleanup(srv.Close)
	live := *ts
	live.URL, live.Server = srv.URL, s

	leeUser := ts.SignUp(t, "lee-miembro", "")
	if _, err := ts.App.JoinGroup(ctx, ts.Actor(t, ts.Token(t, leeUser)), m.slug, "Lee", true); err != nil {
		t.Fatal(err)
	}
	ts.SignUp(t, "out-sider", "")
	rs := &roomSite{meetingSite: m, srv: srv, hub: hub, leeUser: leeUser,
		fac: signedInBrowser(t, &live, "ana-facilita", "en"), pat: signedInBrowser(t, &live, "pat-miembro", "en"),
		lee: signedInBrowser(t, &live, "lee-miembro", "en"), out: signedInBrowser(t, &live, "out-sider", "en")}
	rs.page, rs.socket = roomPaths(m.slug, occ.MeetingID, occ.Original)
	return rs
}

// wsClient is a test's WebSocket client (gobwas/ws, client side).
type wsClient struct {
	t    *testing.T
	conn net.Conn
}

// dial opens the room's socket as a browser would: its session cookie and
// an Origin header (the server's own unless told otherwise).
func (rs *roomSite) dial(t *testing.T, b *browser, origin string) (*wsClient, error) {
	t.Helper()
	u, _ := url.Parse(rs.srv.URL)
	var cookies []string
	for _, c := range b.client.Jar.Cookies(u) {
		cookies = append(cookies, c.Name+"="+c.Value)
	}
	if origin == "" {
		origin = rs.srv.URL
	}
	d := ws.Dialer{Timeout: 5 * time.Second, Header: ws.HandshakeHeaderHTTP(http.Header{
		"Cookie": {strings.Join(cookies, "; ")}, "Origin": {origin}})}
	conn, _, _, err := d.Dial(context.Background(), "ws://"+u.Host+rs.socket)
	if err != nil {
		return nil, err
	}
	c := &wsClient{t: t, conn: conn}
	t.Cleanup(func() { conn.Close() })
	return c, nil
}

func (rs *roomSite) enter(t *testing.T, b *browser) *wsClient {
	t.Helper()
	c, err := rs.dial(t, b, "")
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	c.send(map[string]any{"type": "hello", "after": 0})
	c.waitFor("welcome", nil)
	return c
}

func (c *wsClient) send(frame any) {
	c.t.Helper()
	b, _ := json.Marshal(frame)
	c.sendRaw(b)
}

func (c *wsClient) sendRaw(b []byte) {
	c.t.Helper()
	if err := wsutil.WriteClientText(c.conn, b); err != nil {
		c.t.Fatalf("write: %v", err)
	}
}

// next reads the next frame; a closed connection is returned as the error.
func (c *wsClient) next(timeout time.Duration) (map[string]any, error) {
	c.conn.SetReadDeadline(time.Now().Add(timeout))
	data, _, err := wsutil.ReadServerData(c.conn)
	if err != nil {
		return nil, err
	}
	var f map[string]any
	if err := json.Unmarshal(data, &f); err != nil {
		c.t.Fatalf("server sent a frame that is not JSON: %q", data)
	}
	return f, nil
}

// waitFor reads frames until one of the type (and matching pred) comes.
func (c *wsClient) waitFor(typ string, pred func(map[string]any) bool) map[string]any {
	c.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		f, err := c.next(time.Until(deadline))
		if err != nil {
			c.t.Fatalf("waiting for %s: %v", typ, err)
		}
		if f["type"] == typ && (pred == nil || pred(f)) {
			return f
		}
	}
	c.t.Fatalf("no %s frame within 5 s", typ)
	return nil
}

// closedWith reads until the server closes and returns the close code.
func (c *wsClient) closedWith(within time.Duration) (int, string) {
	c.t.Helper()
	deadline := time.Now().Add(within)
	for {
		_, err := c.next(time.Until(deadline))
		var ce wsutil.ClosedError
		if errors.As(err, &ce) {
			return int(ce.Code), ce.Reason
		}
		if err != nil {
			c.t.Fatalf("connection ended without a close frame: %v", err)
		}
	}
}

func messageEvent(text string) func(map[string]any) bool {
	return func(f map[string]any) bool {
		ev, _ := f["event"].(map[string]any)
		return ev != nil && ev["kind"] == "message" && ev["text"] == text
	}
}

func TestRoomSocket(t *testing.T) {
	rs := newRoomSite(t)

	t.Run("a member sends, gets an ack after storage and the event; another member gets it too", func(t *testing.T) {
		pat := rs.enter(t, rs.pat)
		lee := rs.enter(t, rs.lee)
		pat.send(map[string]any{"type": "send", "key": "pat-1", "text": "Hello everyone, it has been a hard week."})
		ack := pat.waitFor("ack", nil)
		if ack["key"] != "pat-1" || ack["seq"].(float64) < 1 {
			t.Fatalf("ack %v", ack)
		}
		ev := lee.waitFor("event", messageEvent("Hello everyone, it has been a hard week."))["event"].(map[string]any)
		if ev["name"] != "Pat" || ev["seq"] != ack["seq"] {
			t.Fatalf("event as Lee sees it: %v", ev)
		}
		if _, ok := ev["user_id"]; ok {
			t.Fatal("a user id went out")
		}
		t.Run("a retried send with the same key is answered with the same sequence", func(t *testing.T) {
			pat.send(map[string]any{"type": "send", "key": "pat-1", "text": "Hello everyone, it has been a hard week."})
			again := pat.waitFor("ack", nil)
			if again["seq"] != ack["seq"] || again["dup"] != true {
				t.Fatalf("retry: %v, first %v", again, ack)
			}
		})
		t.Run("ping gets pong", func(t *testing.T) {
			lee.send(map[string]any{"type": "ping"})
			lee.waitFor("pong", nil)
		})
		t.Run("a client that reconnects after a drop gets exactly what it missed", func(t *testing.T) {
			last := int64(ack["seq"].(float64))
			lee.conn.Close()
			pat.send(map[string]any{"type": "send", "key": "pat-2", "text": "While you were away."})
			pat.waitFor("ack", nil)
			back, err := rs.dial(t, rs.lee, "")
			if err != nil {
				t.Fatal(err)
			}
			back.send(map[string]any{"type": "hello", "after": last})
			back.waitFor("welcome", nil)
			f := back.waitFor("event", nil)
			ev := f["event"].(map[string]any)
			if ev["text"] != "While you were away." || int64(ev["seq"].(float64)) != last+1 {
				t.Fatalf("first event after resume: %v", ev)
			}
		})
	})

	t.Run("a message read as a crisis brings the writer help and the facilitator a private alert without the text", func(t *testing.T) {
		fac := rs.enter(t, rs.fac)
		pat := rs.enter(t, rs.pat)
		const text = "I want to kill myself tonight, I have the pills ready"
		pat.send(map[string]any{"type": "send", "key": "pat-crisis", "text": text})
		if help := pat.waitFor("help", nil); help["support"] == nil {
			t.Fatalf("help frame without support: %v", help)
		}
		alert := fac.waitFor("alert", nil)
		if b, _ := json.Marshal(alert); strings.Contains(string(b), "kill myself") {
			t.Fatalf("the alert carries the text: %s", b)
		}
	})

	t.Run("a member a moderator muted in the group is told so on the page and their messages are refused", func(t *testing.T) {
		ctx := context.Background()
		leeActor := rs.ts.Actor(t, rs.ts.Token(t, rs.leeUser))
		mine, err := rs.ts.App.MyMembership(ctx, leeActor, rs.slug)
		if err != nil {
			t.Fatal(err)
		}
		body := `{"subject":{"kind":"member","id":` + strconv.FormatInt(mine.Membership.ID, 10) + `},"kind":"mute","reason":"spam","minutes":60}`
		req, _ := http.NewRequest("POST", rs.srv.URL+"/api/v1/groups/"+rs.slug+"/moderation/actions", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+rs.facToken)
		req.Header.Set("Content-Type", "application/json")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode/100 != 2 {
			t.Fatalf("mute: %d", res.StatusCode)
		}
		if _, page := rs.lee.get(rs.page); !strings.Contains(page, `id="room-muted"`) {
			t.Fatal("the page does not say posting is paused")
		}
		lee := rs.enter(t, rs.lee)
		lee.send(map[string]any{"type": "send", "key": "lee-muted", "text": "Can anyone hear me?"})
		if f := lee.waitFor("error", nil); f["code"] != "muted" || f["key"] != "lee-muted" {
			t.Fatalf("error frame %v", f)
		}
	})

	t.Run("an outsider's upgrade is refused with 404 before any upgrade", func(t *testing.T) {
		_, err := rs.dial(t, rs.out, "")
		var se ws.StatusError
		if !errors.As(err, &se) || int(se) != http.StatusNotFound {
			t.Fatalf("got %v, want 404", err)
		}
		// Signed out: 401, and no upgrade either.
		_, err = rs.dial(t, newBrowser(t, rs.ts, "en"), "")
		if !errors.As(err, &se) || int(se) != http.StatusUnauthorized {
			t.Fatalf("signed out: %v, want 401", err)
		}
	})

	t.Run("an upgrade from another site's page is refused with 403", func(t *testing.T) {
		_, err := rs.dial(t, rs.pat, "https://evil.example.com")
		var se ws.StatusError
		if !errors.As(err, &se) || int(se) != http.StatusForbidden {
			t.Fatalf("got %v, want 403", err)
		}
	})

	t.Run("a plain GET of the socket address is told to use a WebSocket", func(t *testing.T) {
		st, body := rs.pat.get(rs.socket)
		if st != http.StatusBadRequest || !strings.Contains(body, "websocket_only") {
			t.Fatalf("%d %s", st, body)
		}
	})

	t.Run("a frame above the limit closes the connection with 1009", func(t *testing.T) {
		c := rs.enter(t, rs.pat)
		big := `{"type":"send","key":"big","text":"` + strings.Repeat("a", 20<<10) + `"}`
		c.sendRaw([]byte(big))
		if code, _ := c.closedWith(3 * time.Second); code != room.CloseTooBig {
			t.Fatalf("close code %d, want %d", code, room.CloseTooBig)
		}
	})

	t.Run("a frame that is not JSON closes with 1003 and a reason", func(t *testing.T) {
		c := rs.enter(t, rs.pat)
		c.sendRaw([]byte("hello?"))
		code, reason := c.closedWith(3 * time.Second)
		if code != room.CloseBadFrame || reason == "" {
			t.Fatalf("close %d %q", code, reason)
		}
	})

	t.Run("a binary frame closes with 1003", func(t *testing.T) {
		c := rs.enter(t, rs.pat)
		if err := wsutil.WriteClientBinary(c.conn, []byte{1, 2, 3}); err != nil {
			t.Fatal(err)
		}
		if code, _ := c.closedWith(3 * time.Second); code != room.CloseBadFrame {
			t.Fatalf("close code %d", code)
		}
	})

	t.Run("a send without a key gets an error frame and the connection stays", func(t *testing.T) {
		c := rs.enter(t, rs.pat)
		c.send(map[string]any{"type": "send", "text": "no key"})
		if f := c.waitFor("error", nil); f["code"] == "" {
			t.Fatalf("error frame %v", f)
		}
		c.send(map[string]any{"type": "ping"})
		c.waitFor("pong", nil)
	})

	t.Run("several frames queued for a client arrive whole and in order", func(t *testing.T) {
		a := rs.enter(t, rs.fac)
		b := rs.enter(t, rs.lee)
		for i := range 5 {
			a.send(map[string]any{"type": "send", "key": "fac-" + strconv.Itoa(i), "text": "line " + strconv.Itoa(i)})
		}
		var last float64
		for i := range 5 {
			ev := b.waitFor("event", messageEvent("line "+strconv.Itoa(i)))["event"].(map[string]any)
			if s := ev["seq"].(float64); s <= last {
				t.Fatalf("out of order: %v after %v", s, last)
			} else {
				last = s
			}
		}
	})

	t.Run("a removed member's socket is closed within a second", func(t *testing.T) {
		ctx := context.Background()
		c := rs.enter(t, rs.lee)
		leeActor := rs.ts.Actor(t, rs.ts.Token(t, rs.leeUser))
		mine, err := rs.ts.App.MyMembership(ctx, leeActor, rs.slug)
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		if err := rs.ts.App.RemoveMember(ctx, rs.facActor, rs.slug, mine.Membership.ID, "Asked to leave", false); err != nil {
			t.Fatal(err)
		}
		code, _ := c.closedWith(2 * time.Second)
		if code != room.CloseRemoved {
			t.Fatalf("close code %d, want %d", code, room.CloseRemoved)
		}
		if took := time.Since(start); took > time.Second {
			t.Fatalf("closed after %v", took)
		}
		if _, err := rs.dial(t, rs.lee, ""); err == nil {
			t.Fatal("a removed member could connect again")
		}
	})
}

func TestRoomPage(t *testing.T) {
	rs := newRoomSite(t)
	c := rs.enter(t, rs.pat)
	c.send(map[string]any{"type": "send", "key": "k-page", "text": "A message for the page <b>not bold</b>"})
	c.waitFor("ack", nil)

	t.Run("a member sees the room: the log, the form, the script, the messages without JavaScript", func(t *testing.T) {
		st, body := rs.pat.get(rs.page)
		if st != http.StatusOK {
			t.Fatalf("%d %s", st, body)
		}
		for _, want := range []string{`role="log"`, `aria-live="polite"`, `<label for="room-text">`, `src="/static/room.js"`,
			`data-ws="` + rs.socket + `"`, "The live room needs JavaScript", `href="/help"`,
			"A message for the page &lt;b&gt;not bold&lt;/b&gt;", `id="crisis-panel"`} {
			if !strings.Contains(body, want) {
				t.Errorf("page lacks %q", want)
			}
		}
		if strings.Contains(body, `id="room-facilitate"`) {
			t.Error("a member sees the facilitators' panel")
		}
		if strings.Contains(body, "<script>") {
			t.Error("inline script")
		}
	})
	t.Run("a facilitator sees the facilitation panel with share of voice", func(t *testing.T) {
		_, body := rs.fac.get(rs.page)
		if !strings.Contains(body, `id="room-facilitate"`) || !strings.Contains(body, "Share of voice") {
			t.Fatal("no facilitation panel")
		}
	})
	t.Run("in Spanish", func(t *testing.T) {
		b := signedInBrowser(t, &testServer{URL: rs.srv.URL, App: rs.ts.App, Client: rs.ts.Client}, "pat-miembro", "es")
		_, body := b.get(rs.page)
		if !strings.Contains(body, "La sala en vivo necesita JavaScript") || !strings.Contains(body, "Tu mensaje") {
			t.Fatal("not in Spanish")
		}
	})
	t.Run("the occurrence page leads members to the room", func(t *testing.T) {
		_, body := rs.pat.get(strings.TrimSuffix(rs.page, "/room"))
		if !strings.Contains(body, `id="room-link" class="button-link" href="`+rs.page+`"`) {
			t.Fatal("no link to the room on the occurrence page")
		}
		_, body = rs.out.get(strings.TrimSuffix(rs.page, "/room"))
		if strings.Contains(body, `id="room-link"`) {
			t.Fatal("an outsider is shown the room link")
		}
	})
	t.Run("an outsider gets 404", func(t *testing.T) {
		if st, _ := rs.out.get(rs.page); st != http.StatusNotFound {
			t.Fatalf("status %d", st)
		}
	})
	t.Run("before its window the room answers 409 with when it opens, in the person's language", func(t *testing.T) {
		now := rs.clk.Now()
		rs.clk.Set(now.Add(-2 * time.Hour))
		defer rs.clk.Set(now)
		st, body := rs.pat.get(rs.page)
		if st != http.StatusConflict || !strings.Contains(body, "The room opens at") {
			t.Fatalf("%d", st)
		}
		es := signedInBrowser(t, &testServer{URL: rs.srv.URL, App: rs.ts.App, Client: rs.ts.Client}, "pat-miembro", "es")
		if st, body := es.get(rs.page); st != http.StatusConflict || !strings.Contains(body, "La sala aún no está abierta") {
			t.Fatalf("%d in Spanish", st)
		}
		if _, err := rs.dial(t, rs.pat, ""); err == nil {
			t.Fatal("the socket opened before the room's window")
		}
	})
	t.Run("the script and its styles are served", func(t *testing.T) {
		for _, p := range []string{"/static/room.js", "/static/room.css"} {
			if st, _ := rs.pat.get(p); st != http.StatusOK {
				t.Fatalf("%s: %d", p, st)
			}
		}
	})
}

// TestIdleRoomConnectionsHoldNoGoroutine: on Linux an idle member keeps no
// goroutine waiting in a read (so no goroutine stack), before and after
// acting on a frame; frames still reach them. (bench/rooms measures the
// bytes an idle connection costs.)
func TestIdleRoomConnectionsHoldNoGoroutine(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the socket poller is Linux's")
	}
	rs := newRoomSite(t)
	first := rs.enter(t, rs.fac)
	first.send(map[string]any{"type": "ping"})
	first.waitFor("pong", nil)
	settle := func() int {
		// Goroutines that end on their own (a finished reader) are not
		// counted: wait until the number stops falling.
		n := runtime.NumGoroutine()
		for range 50 {
			time.Sleep(20 * time.Millisecond)
			m := runtime.NumGoroutine()
			if m >= n {
				return m
			}
			n = m
		}
		return n
	}
	before := settle()
	const n = 30
	conns := make([]*wsClient, n)
	for i := range conns {
		conns[i] = rs.enter(t, rs.pat)
	}
	for _, c := range conns {
		c.send(map[string]any{"type": "ping"})
		c.waitFor("pong", nil)
	}
	if extra := settle() - before; extra > n/3 {
		t.Fatalf("%d idle connections hold %d more goroutines", n, extra)
	}
	first.send(map[string]any{"type": "send", "key": "k1", "text": "still here"})
	for _, c := range conns {
		c.waitFor("event", messageEvent("still here"))
	}
}
