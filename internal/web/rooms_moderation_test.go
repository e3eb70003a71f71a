package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// apiAs sends a JSON request as a signed-in browser (its session cookie,
// same origin) and returns the status and the decoded answer.
func apiAs(t *testing.T, b *browser, base, method, path, body string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Origin", base)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	res, err := b.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out map[string]any
	json.NewDecoder(res.Body).Decode(&out)
	return res.StatusCode, out
}

// tokenAPI sends a JSON request with a personal access token.
func tokenAPI(t *testing.T, base, token, method, path, body string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out map[string]any
	json.NewDecoder(res.Body).Decode(&out)
	return res.StatusCode, out
}

// A member reports a message in the live room, the facilitator hides it
// (the review queue's report answered), and everyone in the room sees the
// placeholder at once; nobody gets its text from the room again; an
// alert's link leads the facilitator to the room. All through the real
// HTTP stack and the room's WebSocket.
func TestRoomMessageReportedAndHidden(t *testing.T) {
	rs := newRoomSite(t)
	rs.ts.App.SetRoomRinger(func(r, seq int64) { rs.hub.Rung(r, seq) })

	fac := rs.enter(t, rs.fac)
	lee := rs.enter(t, rs.lee)
	pat, err := rs.dial(t, rs.pat, "")
	if err != nil {
		t.Fatal(err)
	}
	pat.send(map[string]any{"type": "hello", "after": 0})
	roomID := int64(pat.waitFor("welcome", nil)["room"].(float64))
	const rude = "You are all idiots and I will tell everyone what you said"
	pat.send(map[string]any{"type": "send", "key": "pat-rude", "text": rude})
	seq := int64(pat.waitFor("ack", nil)["seq"].(float64))
	lee.waitFor("event", messageEvent(rude))
	fac.waitFor("event", messageEvent(rude))
	msg := "/api/v1/rooms/" + strconv.FormatInt(roomID, 10) + "/events/" + strconv.FormatInt(seq, 10)

	t.Run("the room page gives the script the room and each message its writer", func(t *testing.T) {
		st, body := rs.lee.get(rs.page)
		if st != http.StatusOK || !strings.Contains(body, `data-room="`+strconv.FormatInt(roomID, 10)+`"`) || !strings.Contains(body, `data-actor="`) ||
			!strings.Contains(body, "Messages in this room are kept for 30 days after the meeting") {
			t.Fatalf("%d %s", st, body)
		}
	})
	var reportID int64
	t.Run("someone not in the room cannot report it; a member in it can", func(t *testing.T) {
		if st, _ := apiAs(t, rs.out, rs.srv.URL, "POST", msg+"/report", `{"reason":"harassment"}`); st != http.StatusNotFound {
			t.Fatalf("outsider: %d", st)
		}
		if st, _ := apiAs(t, rs.pat, rs.srv.URL, "POST", msg+"/report", `{"reason":"harassment"}`); st != http.StatusConflict {
			t.Fatalf("own message: %d", st)
		}
		st, out := apiAs(t, rs.lee, rs.srv.URL, "POST", msg+"/report", `{"reason":"confidentiality_breach","note":"Threatens to share what we said"}`)
		if st != http.StatusCreated {
			t.Fatalf("report: %d %v", st, out)
		}
		rep := out["report"].(map[string]any)
		reportID = int64(rep["id"].(float64))
		if subj := rep["subject"].(map[string]any); subj["kind"] != "message" {
			t.Fatalf("subject %v", subj)
		}
		st, body := rs.fac.get("/reports/" + strconv.FormatInt(reportID, 10))
		if st != http.StatusOK || !strings.Contains(body, `id="report-message"`) || !strings.Contains(body, "You are all idiots") ||
			!strings.Contains(body, `href="/rooms/`+strconv.FormatInt(roomID, 10)+`"`) {
			t.Fatalf("report page %d %s", st, body)
		}
	})
	t.Run("a member cannot hide it; the facilitator does, and the room shows the placeholder at once", func(t *testing.T) {
		if st, _ := apiAs(t, rs.lee, rs.srv.URL, "POST", msg+"/hide", `{"reason":"harassment"}`); st != http.StatusNotFound {
			t.Fatalf("member hides: %d", st)
		}
		st, out := apiAs(t, rs.fac, rs.srv.URL, "POST", msg+"/hide", `{"reason":"confidentiality_breach","report_id":`+strconv.FormatInt(reportID, 10)+`}`)
		if st != http.StatusCreated || out["kind"] != "hide" {
			t.Fatalf("hide: %d %v", st, out)
		}
		for _, c := range []*wsClient{lee, pat} {
			f := c.waitFor("event", func(f map[string]any) bool {
				ev, _ := f["event"].(map[string]any)
				return ev != nil && ev["kind"] == "hide"
			})
			ev := f["event"].(map[string]any)
			if int64(ev["target"].(float64)) != seq || ev["hidden"] != "confidentiality_breach" {
				t.Fatalf("hide event %v", ev)
			}
		}
		back, err := rs.dial(t, rs.lee, "")
		if err != nil {
			t.Fatal(err)
		}
		back.send(map[string]any{"type": "hello", "after": 0})
		back.waitFor("welcome", nil)
		f := back.waitFor("event", func(f map[string]any) bool {
			ev, _ := f["event"].(map[string]any)
			return ev != nil && ev["kind"] == "message"
		})
		if ev := f["event"].(map[string]any); ev["text"] != nil || ev["hidden"] != "confidentiality_breach" {
			t.Fatalf("hidden message on catch-up: %v", ev)
		}
		_, body := rs.lee.get(rs.page)
		if strings.Contains(body, "You are all idiots") || !strings.Contains(body, "Hidden by a facilitator: A breach of the group&#39;s confidentiality") {
			t.Fatalf("room page after hiding: %s", body)
		}
		if st, _ := apiAs(t, rs.lee, rs.srv.URL, "POST", msg+"/report", `{"reason":"spam"}`); st != http.StatusNotFound {
			t.Fatalf("a hidden message is reported: %d", st)
		}
	})
	t.Run("the way to the room from an alert is for its moderators", func(t *testing.T) {
		path := "/rooms/" + strconv.FormatInt(roomID, 10)
		pat.send(map[string]any{"type": "send", "key": "pat-crisis", "text": "I want to kill myself tonight"})
		pat.waitFor("help", nil)
		fac.waitFor("alert", nil)
		st, out := tokenAPI(t, rs.srv.URL, rs.facToken, "GET", "/api/v1/safety/escalations", "")
		list, _ := out["escalations"].([]any)
		if st != http.StatusOK || len(list) != 1 {
			t.Fatalf("%d %v", st, out)
		}
		e := list[0].(map[string]any)
		if w := e["writing"].(map[string]any); w["kind"] != "room_message" || w["link"] != path {
			t.Fatalf("writing %v", w)
		}
		id := strconv.FormatInt(int64(e["id"].(float64)), 10)
		st, body := rs.fac.get("/safety/escalations/" + id)
		if st != http.StatusOK || !strings.Contains(body, "A message in a live meeting room") || !strings.Contains(body, `id="alert-writing" href="`+path+`"`) {
			t.Fatalf("alert page %d %s", st, body)
		}
		if st, _, h := rs.fac.do("GET", path, nil); st != http.StatusSeeOther || h.Get("Location") != rs.page {
			t.Fatalf("facilitator led to %d %s, want %s", st, h.Get("Location"), rs.page)
		}
		for _, b := range []*browser{rs.lee, rs.out} {
			if st, _ := b.get(path); st != http.StatusNotFound {
				t.Fatalf("%d", st)
			}
		}
	})
}

// A facilitator sets how long the rooms keep their history and how early
// they open, on the meetings page (problems next to each field, in
// English and Spanish) and through the API; members are told on the room
// page.
func TestRoomSettingsPageAndAPI(t *testing.T) {
	rs := newRoomSite(t)
	page := "/groups/" + rs.slug + "/meetings"
	form := "/groups/" + rs.slug + "/room-settings"

	st, body := rs.fac.get(page)
	if st != http.StatusOK || !strings.Contains(body, `id="room-settings-form"`) || !strings.Contains(body, `id="room_retention_days" name="room_retention_days" type="text" inputmode="numeric" maxlength="4" value="30"`) ||
		!strings.Contains(body, `value="15"`) {
		t.Fatalf("%d %s", st, body)
	}
	t.Run("problems are shown next to each field, in the person's language", func(t *testing.T) {
		for _, c := range []struct {
			lang, retention, lead, want1, want2 string
		}{
			{"en", "thirty", "500", "Write a whole number of days, such as 30 (or 0).", "Open the room between 0 and 120 minutes before the meeting."},
			{"es", "400", "x", "Guarda los mensajes entre 0 días (nada después de la reunión) y 365 días.", "Escribe un número entero de minutos, como 15."},
		} {
			b := signedInBrowser(t, rs.ts, "ana-facilita", c.lang)
			st, body, _ := b.post(form, url.Values{"room_retention_days": {c.retention}, "room_lead_minutes": {c.lead}})
			if st < 400 || st >= 500 {
				t.Fatalf("%s: %d", c.lang, st)
			}
			re, le := strings.Index(body, `id="room_retention_days-errors"`), strings.Index(body, `id="room_lead_minutes-errors"`)
			if re < 0 || le < 0 || !strings.Contains(body[re:le], c.want1) || !strings.Contains(body[le:], c.want2) ||
				!strings.Contains(body, `value="`+c.retention+`"`) || !strings.Contains(body, `aria-invalid="true"`) {
				t.Fatalf("%s: %s", c.lang, body)
			}
		}
		if st, _ := rs.pat.get(page); st != http.StatusForbidden {
			t.Fatalf("a member sees the meetings page: %d", st)
		}
		if st, _, _ := rs.pat.post(form, url.Values{"room_retention_days": {"0"}, "room_lead_minutes": {"15"}}); st != http.StatusForbidden && st != http.StatusNotFound {
			t.Fatalf("a member changes the room settings: %d", st)
		}
	})
	t.Run("saved, the room page tells members", func(t *testing.T) {
		if st, body, h := rs.fac.post(form, url.Values{"room_retention_days": {"0"}, "room_lead_minutes": {"20"}}); st != http.StatusSeeOther ||
			!strings.HasPrefix(h.Get("Location"), page) {
			t.Fatalf("%d %s", st, body)
		}
		_, body := rs.pat.get(rs.page)
		if !strings.Contains(body, "Messages in this room are deleted when the meeting ends.") {
			t.Fatalf("%s", body)
		}
		_, body = signedInBrowser(t, rs.ts, "pat-miembro", "es").get(rs.page)
		if !strings.Contains(body, "Los mensajes de esta sala se borran cuando termina la reunión.") {
			t.Fatalf("%s", body)
		}
	})
	t.Run("the API reads and writes them, both fields required, for runners only", func(t *testing.T) {
		api := "/api/v1/groups/" + rs.slug + "/room-settings"
		st, out := tokenAPI(t, rs.srv.URL, rs.facToken, "GET", api, "")
		if st != http.StatusOK || out["room_retention_days"] != 0.0 || out["room_lead_minutes"] != 20.0 {
			t.Fatalf("%d %v", st, out)
		}
		st, out = tokenAPI(t, rs.srv.URL, rs.facToken, "PUT", api, `{"room_retention_days":7,"room_lead_minutes":10}`)
		if st != http.StatusOK || out["room_retention_days"] != 7.0 || out["room_lead_minutes"] != 10.0 {
			t.Fatalf("%d %v", st, out)
		}
		st, out = tokenAPI(t, rs.srv.URL, rs.facToken, "PUT", api, `{"room_lead_minutes":10}`)
		if st != http.StatusBadRequest && st != http.StatusUnprocessableEntity {
			t.Fatalf("missing retention: %d %v", st, out)
		}
		if fields, _ := out["error"].(map[string]any)["fields"].([]any); len(fields) != 1 || fields[0].(map[string]any)["field"] != "room_retention_days" {
			t.Fatalf("%v", out)
		}
		if st, _ := tokenAPI(t, rs.srv.URL, rs.patTok, "PUT", api, `{"room_retention_days":0,"room_lead_minutes":10}`); st != http.StatusForbidden {
			t.Fatalf("member: %d", st)
		}
		if st, _ := tokenAPI(t, rs.srv.URL, rs.patTok, "GET", api, ""); st != http.StatusForbidden {
			t.Fatalf("member reads: %d", st)
		}
		_, body := rs.pat.get(rs.page)
		if !strings.Contains(body, "Messages in this room are kept for 7 days after the meeting") {
			t.Fatalf("%s", body)
		}
	})
}
