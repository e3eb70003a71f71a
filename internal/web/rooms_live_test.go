package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gobwas/ws"

	"github.com/hearth-org/hearth/internal/app"
	"github.com/hearth-org/hearth/internal/room"
	"github.com/hearth-org/hearth/internal/roombus"
	"github.com/hearth-org/hearth/internal/roombus/natstest"
)

// twoProcesses is a room site served by two hubs, each behind its own
// HTTP server, joined only by two room buses on a real NATS server — two
// Hearth processes on one database, as with HEARTH_NATS_URL. The hubs
// never poll the database: whatever reaches the other process comes
// through NATS. The app's ringer is process one's, as cmd/hearth wires it
// (its hub at once, the others through its bell).
type twoProcesses struct {
	*roomSite
	one, two *httptest.Server
}

func newTwoProcesses(t *testing.T) *twoProcesses {
	t.Helper()
	rs := newRoomSite(t)
	natsURL := natstest.URL(t)
	prefix := "test.roomlive." + strconv.FormatInt(time.Now().UnixNano(), 36) + "."
	tp := &twoProcesses{roomSite: rs}
	var hubs [2]*room.Hub
	var bells [2]*roombus.Bell
	for i, name := range []string{"one", "two"} {
		bell, err := roombus.New(roombus.Config{URL: natsURL, Prefix: prefix, Process: name})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = bell.Close() })
		hub := room.NewHub(room.HubConfig{Store: rs.ts.App.RoomStore(), Bell: bell, Process: name, Now: rs.clk.Now, PollEvery: -1,
			OnPresence: rs.ts.App.RoomPresence, ScreenRefused: rs.ts.App.ScreenRefusedRoomMessage})
		t.Cleanup(hub.Close) // before the bell closes (cleanups run last first)
		s, err := newServer(Config{App: rs.ts.App, Now: rs.clk.Now, Rooms: hub})
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(s.handler())
		t.Cleanup(srv.Close)
		hubs[i], bells[i] = hub, bell
		if i == 0 {
			tp.one = srv
		} else {
			tp.two = srv
		}
	}
	rs.ts.App.SetRoomRinger(func(r, seq int64) { hubs[0].Rung(r, seq); bells[0].Ring(r, seq) })
	rs.ts.App.SetRoomEvictor(hubs[0].Evict)
	// The hubs listen from the start; a ring is only heard once the
	// subscription is in place: wait until presence crosses both ways.
	return tp
}

// enterOn opens the room's socket on one of the processes as b's browser
// (its session cookie, the server's own origin) and waits for the welcome.
func (tp *twoProcesses) enterOn(t *testing.T, srv *httptest.Server, b *browser) (*wsClient, map[string]any) {
	t.Helper()
	u, _ := url.Parse(srv.URL)
	var cookies []string
	for _, c := range b.client.Jar.Cookies(u) {
		cookies = append(cookies, c.Name+"="+c.Value)
	}
	d := ws.Dialer{Timeout: 5 * time.Second, Header: ws.HandshakeHeaderHTTP(http.Header{
		"Cookie": {strings.Join(cookies, "; ")}, "Origin": {srv.URL}})}
	conn, _, _, err := d.Dial(context.Background(), "ws://"+u.Host+tp.socket)
	if err != nil {
		t.Fatalf("dial %s: %v", srv.URL, err)
	}
	t.Cleanup(func() { conn.Close() })
	c := &wsClient{t: t, conn: conn}
	c.send(map[string]any{"type": "hello", "after": 0})
	return c, c.waitFor("welcome", nil)
}

// presentOn waits until c's presence lists everyone named.
func presentOn(c *wsClient, names ...string) {
	c.t.Helper()
	c.waitFor("presence", func(f map[string]any) bool {
		ms, _ := f["members"].([]any)
		have := map[string]bool{}
		for _, m := range ms {
			have[m.(map[string]any)["name"].(string)] = true
		}
		for _, n := range names {
			if !have[n] {
				return false
			}
		}
		return true
	})
}

func hideEventOf(seq int64) func(map[string]any) bool {
	return func(f map[string]any) bool {
		ev, _ := f["event"].(map[string]any)
		return ev != nil && ev["kind"] == "hide" && int64(ev["target"].(float64)) == seq
	}
}

// A facilitator hides a message from the group's review tools (the API,
// as the report page does) while the meeting goes on: members connected to
// either process see the placeholder at once, without reconnecting;
// restored, the message comes back to them at once, with its text.
// Process one stores and rings; process two hears it only through NATS.
// First Ana is not in the room (she never entered it: the hide is nobody's
// in the room, actor 0); then she is, on process two, and it is hers.
func TestRoomHideFromOutsideReachesEveryProcess(t *testing.T) {
	tp := newTwoProcesses(t)
	pat, welcome := tp.enterOn(t, tp.one, tp.pat)
	roomID := int64(welcome["room"].(float64))
	lee, _ := tp.enterOn(t, tp.two, tp.lee)
	presentOn(pat, "Pat", "Lee")
	presentOn(lee, "Pat", "Lee")

	hideAndRestore := func(t *testing.T, key, text string, actor float64, watchers ...*wsClient) {
		t.Helper()
		pat.send(map[string]any{"type": "send", "key": key, "text": text})
		seq := int64(pat.waitFor("ack", nil)["seq"].(float64))
		for _, c := range watchers[1:] {
			c.waitFor("event", messageEvent(text))
		}
		subject := `{"kind":"message","id":` + strconv.FormatInt(app.RoomMessageSubject(roomID, seq).ID, 10) + `}`
		st, out := tokenAPI(t, tp.one.URL, tp.facToken, "POST", "/api/v1/groups/"+tp.slug+"/moderation/actions",
			`{"subject":`+subject+`,"kind":"hide","reason":"harassment"}`)
		if st != http.StatusCreated {
			t.Fatalf("hide: %d %v", st, out)
		}
		for _, c := range watchers {
			ev := c.waitFor("event", hideEventOf(seq))["event"].(map[string]any)
			if ev["hidden"] != "harassment" || ev["text"] != nil || ev["actor"] != actor || ev["target_name"] != nil {
				t.Fatalf("hide event %v", ev)
			}
		}
		st, out = tokenAPI(t, tp.two.URL, tp.facToken, "POST", "/api/v1/groups/"+tp.slug+"/moderation/actions",
			`{"subject":`+subject+`,"kind":"restore","reason":"other","note":"Hidden by mistake."}`)
		if st != http.StatusCreated {
			t.Fatalf("restore: %d %v", st, out)
		}
		for _, c := range watchers {
			ev := c.waitFor("event", hideEventOf(seq))["event"].(map[string]any)
			if _, ok := ev["hidden"]; ok || ev["text"] != text {
				t.Fatalf("shown-again event %v", ev)
			}
		}
		// A member coming back reads it as it is now: shown, with its text.
		back, _ := tp.enterOn(t, tp.two, tp.lee)
		if ev := back.waitFor("event", messageEvent(text))["event"].(map[string]any); ev["hidden"] != nil {
			t.Fatalf("after restoring: %v", ev)
		}
		back.conn.Close()
	}
	t.Run("by a facilitator outside the room", func(t *testing.T) {
		hideAndRestore(t, "pat-rude", "You are all idiots and I will tell everyone what you said", 0, pat, lee)
	})
	t.Run("by a facilitator in the room, on the other process", func(t *testing.T) {
		ana, w := tp.enterOn(t, tp.two, tp.fac)
		me := w["you"].(map[string]any)["id"].(float64)
		presentOn(pat, "Ana", "Pat", "Lee")
		hideAndRestore(t, "pat-rude-2", "Nobody here has a clue, you are all useless", me, pat, lee, ana)
	})
}

// A member muted — by the facilitator for this meeting, then by a
// moderator in the whole group — writes words of crisis: nothing is
// stored, the writer gets help, and the facilitator, connected to the
// other process, gets the private alert all the same (through NATS: the
// room and the writer's id only). Other members get nothing.
func TestRoomRefusedCrisisAlertReachesEveryProcess(t *testing.T) {
	tp := newTwoProcesses(t)
	ana, _ := tp.enterOn(t, tp.two, tp.fac)
	lee, _ := tp.enterOn(t, tp.two, tp.lee)
	pat, w := tp.enterOn(t, tp.one, tp.pat)
	roomID := int64(w["room"].(float64))
	patID := w["you"].(map[string]any)["id"].(float64)
	presentOn(ana, "Ana", "Lee", "Pat")
	presentOn(pat, "Ana", "Lee", "Pat")

	const crisis = "I want to kill myself tonight"
	refused := func(t *testing.T, key, code string) {
		t.Helper()
		pat.send(map[string]any{"type": "send", "key": key, "text": crisis})
		if f := pat.waitFor("error", nil); f["code"] != code || f["key"] != key {
			t.Fatalf("refusal %v", f)
		}
		if f := pat.waitFor("help", nil); f["seq"] != nil || f["support"] == nil {
			t.Fatalf("help %v", f)
		}
		f := ana.waitFor("alert", nil)
		if f["seq"] != nil || f["member"] != patID || f["name"] != "Pat" || f["text"] != nil || strings.Contains(f["message"].(string), crisis) {
			t.Fatalf("alert on the other process: %v", f)
		}
		// Lee, a member on the same process as Ana, is not alerted: the
		// alert was queued for them before Ana read hers, so before this
		// pong.
		lee.send(map[string]any{"type": "ping"})
		for {
			f, err := lee.next(5 * time.Second)
			if err != nil {
				t.Fatal(err)
			}
			if f["type"] == "alert" {
				t.Fatalf("a member got the alert: %v", f)
			}
			if f["type"] == "pong" {
				break
			}
		}
	}
	t.Run("muted in the room by the facilitator", func(t *testing.T) {
		ana.send(map[string]any{"type": "mute", "key": "m1", "member": patID})
		ana.waitFor("ack", nil)
		pat.waitFor("event", func(f map[string]any) bool { return f["event"].(map[string]any)["kind"] == "mute" })
		refused(t, "pat-c1", "room_muted")
	})
	t.Run("posting paused in the group by a moderator", func(t *testing.T) {
		ana.send(map[string]any{"type": "unmute", "key": "m2", "member": patID})
		ana.waitFor("ack", nil)
		pat.waitFor("event", func(f map[string]any) bool { return f["event"].(map[string]any)["kind"] == "mute" })
		pat.send(map[string]any{"type": "send", "key": "pat-ok", "text": "Hello, I am here."})
		seq := int64(pat.waitFor("ack", nil)["seq"].(float64))
		subject := `{"kind":"message","id":` + strconv.FormatInt(app.RoomMessageSubject(roomID, seq).ID, 10) + `}`
		if st, out := tokenAPI(t, tp.one.URL, tp.facToken, "POST", "/api/v1/groups/"+tp.slug+"/moderation/actions",
			`{"subject":`+subject+`,"kind":"mute","reason":"guidelines","minutes":60}`); st != http.StatusCreated {
			t.Fatalf("mute in the group: %d %v", st, out)
		}
		refused(t, "pat-c2", "muted")
	})
	// The safety follow-up is opened outside the room, once.
	if st, out := tokenAPI(t, tp.one.URL, tp.facToken, "GET", "/api/v1/safety/escalations", ""); st != http.StatusOK || len(out["escalations"].([]any)) != 1 {
		t.Fatalf("one follow-up for the refused messages: %d %v", st, out)
	}
}

// A member who erases their account on process one is nameless at once on
// process two too: Ana, facilitating there, is told (the eviction crosses
// through NATS, and process two reads the names again), and her panel's
// share of voice no longer names Lee.
func TestRoomErasureReachesEveryProcess(t *testing.T) {
	tp := newTwoProcesses(t)
	ana, _ := tp.enterOn(t, tp.two, tp.fac)
	lee, w := tp.enterOn(t, tp.one, tp.lee)
	leeID := int64(w["you"].(map[string]any)["id"].(float64))
	presentOn(ana, "Ana", "Lee")
	const said = "I will not be back, thank you for everything."
	lee.send(map[string]any{"type": "send", "key": "lee-1", "text": said})
	lee.waitFor("ack", nil)
	if ev := ana.waitFor("event", messageEvent(said))["event"].(map[string]any); ev["name"] != "Lee" {
		t.Fatalf("before the erasure: %v", ev)
	}
	if st, body, _ := tp.lee.post("/account/delete", url.Values{"password": {testPassword}}); st != http.StatusOK {
		t.Fatalf("erasure: %d %.600s", st, body)
	}
	ana.waitFor("former", func(f map[string]any) bool { return int64(f["member"].(float64)) == leeID })
	_, w = tp.enterOn(t, tp.two, tp.fac)
	voice, _ := w["state"].(map[string]any)["voice"].([]any)
	for _, v := range voice {
		if v := v.(map[string]any); int64(v["member"].(float64)) == leeID {
			if v["name"] != nil || v["former_member"] != true {
				t.Fatalf("Lee's share of voice on process two: %v", v)
			}
			return
		}
	}
	t.Fatalf("no share of voice for Lee's kept message on process two: %v", voice)
}

// A member who erases their account leaves the room's history as the group
// chose for its board: by default their messages stay, written by "a
// former member" — on the room page (in the reader's language) and in the
// socket's history, with no name — and with "remove" they are gone.
func TestRoomFormerMember(t *testing.T) {
	rs := newRoomSite(t)
	pat, err := rs.dial(t, rs.pat, "")
	if err != nil {
		t.Fatal(err)
	}
	pat.send(map[string]any{"type": "hello", "after": 0})
	roomID := int64(pat.waitFor("welcome", nil)["room"].(float64))
	// Ana facilitates: her share-of-voice panel names who wrote how much.
	ana := rs.enter(t, rs.fac)
	lee := rs.enter(t, rs.lee)
	const kept = "Thank you all, this helped me a lot tonight."
	lee.send(map[string]any{"type": "send", "key": "lee-1", "text": kept})
	seq := int64(lee.waitFor("ack", nil)["seq"].(float64))
	leeID := int64(pat.waitFor("event", messageEvent(kept))["event"].(map[string]any)["actor"].(float64))
	ana.waitFor("event", messageEvent(kept))
	// Pat reports it before the erasure: its moderators read it on the
	// report's page afterwards.
	st, out := apiAs(t, rs.pat, rs.srv.URL, "POST", fmt.Sprintf("/api/v1/rooms/%d/events/%d/report", roomID, seq), `{"reason":"spam"}`)
	if st != http.StatusCreated && st != http.StatusOK {
		t.Fatalf("report: %d %v", st, out)
	}
	reportPage := fmt.Sprintf("/reports/%d", int64(out["report"].(map[string]any)["id"].(float64)))
	if _, body := rs.fac.get(reportPage); !strings.Contains(body, `<blockquote id="report-message"><p><strong>Lee</strong>`) {
		t.Fatalf("the report page before: %s", body)
	}
	if _, body := rs.pat.get(rs.page); !strings.Contains(body, `<span class="who">Lee</span>`) {
		t.Fatalf("before: %s", body)
	}
	erase := func(t *testing.T, b *browser) {
		t.Helper()
		if st, body, _ := b.post("/account/delete", url.Values{"password": {testPassword}}); st != http.StatusOK || !strings.Contains(body, `id="deleted-title"`) {
			t.Fatalf("erasure: %d %.600s", st, body)
		}
	}
	erase(t, rs.lee)
	if code, _ := lee.closedWith(5 * time.Second); code != room.CloseRemoved {
		t.Fatalf("the erased member's socket closed with %d", code)
	}

	t.Run("those connected are told at once, and her panel no longer names Lee", func(t *testing.T) {
		for who, c := range map[string]*wsClient{"Ana": ana, "Pat": pat} {
			c.waitFor("former", func(f map[string]any) bool { return int64(f["member"].(float64)) == leeID })
			t.Logf("%s was told", who)
		}
		again, err := rs.dial(t, rs.fac, "")
		if err != nil {
			t.Fatal(err)
		}
		again.send(map[string]any{"type": "hello", "after": 0})
		w := again.waitFor("welcome", nil)
		voice, _ := w["state"].(map[string]any)["voice"].([]any)
		found := false
		for _, v := range voice {
			v := v.(map[string]any)
			if int64(v["member"].(float64)) != leeID {
				continue
			}
			found = true
			if v["name"] != nil || v["former_member"] != true || v["messages"].(float64) != 1 {
				t.Errorf("Lee's share of voice after the erasure: %v", v)
			}
		}
		if !found {
			t.Errorf("the kept message's share of voice is gone: %v", voice)
		}
	})

	t.Run("kept, shown as a former member's on the page", func(t *testing.T) {
		_, body := rs.pat.get(rs.page)
		if !strings.Contains(body, `<span class="who">A former member</span>`) || strings.Contains(body, ">Lee<") || !strings.Contains(body, kept) {
			t.Fatalf("the room page after Lee's erasure: %s", body)
		}
		_, body = signedInBrowser(t, rs.ts, "pat-miembro", "es").get(rs.page)
		if !strings.Contains(body, `<span class="who">Un antiguo miembro</span>`) {
			t.Fatalf("in Spanish: %s", body)
		}
		if !strings.Contains(body, `"room.former_member":"Un antiguo miembro"`) {
			t.Fatalf("room.js is not given the label: %s", body)
		}
	})
	t.Run("and on the report's page", func(t *testing.T) {
		_, body := rs.fac.get(reportPage)
		if !strings.Contains(body, `<blockquote id="report-message"><p><strong>A former member</strong>`) || strings.Contains(body, ">Lee<") || !strings.Contains(body, kept) {
			t.Fatalf("the report page after Lee's erasure: %s", body)
		}
	})
	t.Run("and in the socket's history, with no name", func(t *testing.T) {
		again := rs.enter(t, rs.pat)
		ev := again.waitFor("event", messageEvent(kept))["event"].(map[string]any)
		if ev["former_member"] != true || ev["name"] != nil {
			t.Fatalf("the kept message on resume: %v", ev)
		}
	})
	t.Run("a group that removes an erased member's writing loses their messages", func(t *testing.T) {
		if st, out := tokenAPI(t, rs.srv.URL, rs.facToken, "PUT", "/api/v1/groups/"+rs.slug+"/board/settings",
			`{"allow_anonymous":false,"alumni_read":false,"deleted_days":30,"erased_posts":"remove"}`); st != http.StatusOK {
			t.Fatalf("settings: %d %v", st, out)
		}
		oakUser := rs.ts.SignUp(t, "oak-miembro", "")
		if _, err := rs.ts.App.JoinGroup(context.Background(), rs.ts.Actor(t, rs.ts.Token(t, oakUser)), rs.slug, "Oak", true); err != nil {
			t.Fatal(err)
		}
		oakB := signedInBrowser(t, rs.ts, "oak-miembro", "en")
		oak := rs.enter(t, oakB)
		const gone = "Oak was here and would rather not stay."
		oak.send(map[string]any{"type": "send", "key": "oak-1", "text": gone})
		oak.waitFor("ack", nil)
		pat.waitFor("event", messageEvent(gone))
		erase(t, oakB)
		_, body := rs.pat.get(rs.page)
		if strings.Contains(body, gone) || strings.Contains(body, ">Oak<") || !strings.Contains(body, kept) {
			t.Fatalf("the room page after Oak's erasure: %s", body)
		}
		again := rs.enter(t, rs.pat)
		again.send(map[string]any{"type": "ping"})
		for {
			f, err := again.next(5 * time.Second)
			if err != nil {
				t.Fatal(err)
			}
			if f["type"] == "pong" {
				break
			}
			if ev, _ := f["event"].(map[string]any); ev != nil && ev["text"] == gone {
				t.Fatalf("the removed message on resume: %v", ev)
			}
		}
	})
}
