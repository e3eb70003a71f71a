package e2e

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

// marker is one unique string written through one surface.
type marker struct {
	surface string // where it was written, e.g. "board: thread title"
	value   string
}

// markerSet hands out unique markers and remembers where each went.
type markerSet struct {
	list []marker
}

// new returns a fresh marker for a surface: "Zq", 8 upper-case and 8
// lower-case hex digits (mixed case, so its lower-case form is a
// different string to look for).
func (m *markerSet) new(surface string) string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	h := hex.EncodeToString(b[:])
	v := "Zq" + strings.ToUpper(h[:8]) + h[8:]
	m.list = append(m.list, marker{surface: surface, value: v})
	return v
}

// needle is one byte form of a marker to look for.
type needle struct {
	form  string // "plain", "lower", "hex", "base64+1", …
	bytes []byte
}

// needles are the forms a marker could take at rest: as written, lower
// case, upper case, hex of its bytes (both cases), and base64 (standard and
// URL alphabets) at each of the three alignments it can have inside a
// longer encoded text — only the characters that depend on the marker
// alone.
func needles(v string) []needle {
	out := []needle{
		{"plain", []byte(v)},
		{"lower", []byte(strings.ToLower(v))},
		{"upper", []byte(strings.ToUpper(v))},
		{"hex", []byte(hex.EncodeToString([]byte(v)))},
		{"HEX", []byte(strings.ToUpper(hex.EncodeToString([]byte(v))))},
	}
	for shift := range 3 {
		src := append(bytes.Repeat([]byte{0}, shift), v...)
		for _, enc := range []struct {
			name string
			e    *base64.Encoding
		}{{"base64", base64.StdEncoding}, {"base64url", base64.URLEncoding}} {
			s := enc.e.EncodeToString(src)
			if shift > 0 {
				s = s[4:] // the first group mixes in bytes before the marker
			}
			if len(src)%3 != 0 {
				s = s[:len(s)-4] // the last group mixes in bytes after it
			}
			out = append(out, needle{fmt.Sprintf("%s+%d", enc.name, shift), []byte(s)})
		}
	}
	return out
}

// haystack is a named run of bytes searched for every marker.
type haystack struct {
	name  string
	bytes []byte
}

// hit is a marker form found in a haystack.
type hit struct {
	marker marker
	form   string
	where  string
	offset int
}

func (h hit) String() string {
	return fmt.Sprintf("%s: %q (%s, form %s) at byte %d", h.where, h.marker.value, h.marker.surface, h.form, h.offset)
}

// search looks for every form of every marker in every haystack.
func search(ms []marker, hs []haystack) (hits []hit, searched int64) {
	for _, h := range hs {
		searched += int64(len(h.bytes))
		for _, m := range ms {
			for _, n := range needles(m.value) {
				if i := bytes.Index(h.bytes, n.bytes); i >= 0 {
					hits = append(hits, hit{marker: m, form: n.form, where: h.name, offset: i})
				}
			}
		}
	}
	return hits, searched
}

// roomConn is one person's WebSocket to a live room, its frames read into
// a channel.
type roomConn struct {
	t      *testing.T
	who    string
	ws     *wsClient
	room   int64
	you    int64
	frames chan map[string]any
}

func enterRoom(t *testing.T, who, base, wsPath, token string) *roomConn {
	t.Helper()
	ws, err := dialWS("ws"+strings.TrimPrefix(base, "http")+wsPath, http.Header{"Authorization": {"Bearer " + token}})
	if err != nil {
		t.Fatalf("%s enters the room: %v", who, err)
	}
	c := &roomConn{t: t, who: who, ws: ws, frames: make(chan map[string]any, 256)}
	t.Cleanup(ws.Close)
	if err := ws.WriteText([]byte(`{"type":"hello","after":0}`)); err != nil {
		t.Fatal(err)
	}
	go func() {
		defer close(c.frames)
		for {
			data, err := ws.ReadText(2 * time.Minute)
			if err != nil {
				return
			}
			f := map[string]any{}
			if json.Unmarshal(data, &f) == nil {
				c.frames <- f
			}
		}
	}()
	w := c.waitFor("welcome", func(f map[string]any) bool { return f["type"] == "welcome" })
	c.room = int64(w["room"].(float64))
	c.you = int64(w["you"].(map[string]any)["id"].(float64))
	return c
}

// waitFor reads frames until one matches (other frames are dropped).
func (c *roomConn) waitFor(what string, match func(map[string]any) bool) map[string]any {
	c.t.Helper()
	deadline := time.After(15 * time.Second)
	for {
		select {
		case f, ok := <-c.frames:
			if !ok {
				c.t.Fatalf("%s: the room connection closed while waiting for %s", c.who, what)
			}
			if f["type"] == "error" {
				c.t.Fatalf("%s: error frame while waiting for %s: %v", c.who, what, f)
			}
			if match(f) {
				return f
			}
		case <-deadline:
			c.t.Fatalf("%s: no %s within 15 s", c.who, what)
		}
	}
}

func (c *roomConn) send(frame map[string]any) {
	c.t.Helper()
	b, _ := json.Marshal(frame)
	if err := c.ws.WriteText(b); err != nil {
		c.t.Fatalf("%s: send %v: %v", c.who, frame["type"], err)
	}
}

// say sends a chat message and returns its sequence once acknowledged.
func (c *roomConn) say(key, text string) int64 {
	c.t.Helper()
	c.send(map[string]any{"type": "send", "key": key, "text": text})
	ack := c.waitFor("ack of "+key, func(f map[string]any) bool { return f["type"] == "ack" && f["key"] == key })
	return int64(ack["seq"].(float64))
}

// TestMarkerFormsAreFoundInsideLongerText checks the search itself: a
// marker inside a longer text is found whatever the text's encoding —
// plain, lower case, hex, base64 in either alphabet at every offset.
func TestMarkerFormsAreFoundInsideLongerText(t *testing.T) {
	var ms markerSet
	v := ms.new("check")
	for pre := range 6 {
		text := []byte(strings.Repeat("é", pre) + "I wrote " + v + " here, then more words.")
		encodings := map[string][]byte{
			"plain":     text,
			"lower":     bytes.ToLower(text),
			"hex":       []byte(hex.EncodeToString(text)),
			"base64":    []byte(base64.StdEncoding.EncodeToString(text)),
			"base64url": []byte(base64.RawURLEncoding.EncodeToString(text)),
		}
		for name, enc := range encodings {
			if hits, _ := search(ms.list, []haystack{{name, enc}}); len(hits) == 0 {
				t.Errorf("prefix %d: the marker is not found in the %s text", pre, name)
			}
		}
		if hits, _ := search(ms.list, []haystack{{"other", []byte(strings.Repeat("é", pre) + "nothing of it here")}}); len(hits) != 0 {
			t.Errorf("prefix %d: hits in a text without the marker: %v", pre, hits)
		}
	}
}
