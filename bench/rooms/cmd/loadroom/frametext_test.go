package main

import (
	"encoding/json"
	"testing"
)

// The fast read of a delivery's text gives what encoding/json gives, and
// leaves every other frame to it.
func TestFrameTextMatchesJSON(t *testing.T) {
	hearth := []struct {
		frame string
		ok    bool
	}{
		{`{"type":"event","event":{"seq":42,"kind":"message","at":"2026-12-01T06:15:04.123456789Z","actor":12,"name":"Robin","text":"lr1 3 m 17 5 1764569704123456789 thanks everyone"}}`, true},
		{`{"type":"event","event":{"seq":43,"kind":"message","at":"2026-12-01T06:15:04Z","actor":12,"name":"Say \"text\":\"no\"","text":"a \"quoted\" word, a \\ and \u00e9 and a tab\t"}}`, true},
		{`{"type":"event","event":{"seq":44,"kind":"message","at":"2026-12-01T06:15:04Z","actor":12,"former_member":true,"text":"ünïcödé ✓"}}`, true},
		{`{"type":"event","event":{"seq":45,"kind":"hand","at":"2026-12-01T06:15:04Z","actor":12,"name":"Robin","on":true}}`, false},
		{`{"type":"event","event":{"seq":46,"kind":"release","at":"2026-12-01T06:15:04Z","actor":3,"target":44,"message":{"seq":44,"kind":"message","text":"released"}}}`, false},
		{`{"type":"ack","key":"k-1","seq":42}`, false},
		{`{"type":"error","code":"room_rate_limited","key":"k-2","message":"slow down","text":"x"}`, false},
	}
	for _, c := range hearth {
		got, ok := hearthMessageText([]byte(c.frame))
		if ok != c.ok {
			t.Errorf("hearth %s: ok %v, want %v", c.frame, ok, c.ok)
			continue
		}
		if !ok {
			continue
		}
		var f struct {
			Event struct {
				Kind string `json:"kind"`
				Text string `json:"text"`
			} `json:"event"`
		}
		if err := json.Unmarshal([]byte(c.frame), &f); err != nil || f.Event.Kind != "message" || got != f.Event.Text {
			t.Errorf("hearth %s: %q, encoding/json %q (%v)", c.frame, got, f.Event.Text, err)
		}
	}
	peer := []struct {
		frame string
		ok    bool
	}{
		{`{"push":{"channel":"room:5","pub":{"data":{"text":"lr1 3 m 17 5 1764569704123456789 thanks"},"offset":12}}}`, true},
		{`{"push":{"channel":"room:\"text\":\"5","pub":{"data":{"text":"tab\tquote\" end"}}}}`, true},
		{`{"id":7,"publish":{}}`, false},
		{`{"id":8,"error":{"code":103,"message":"permission denied"}}`, false},
		{`{"push":{"channel":"room:5","join":{"info":{"user":"m1"}}}}`, false},
	}
	for _, c := range peer {
		got, ok := centrifugePubText([]byte(c.frame))
		if ok != c.ok {
			t.Errorf("peer %s: ok %v, want %v", c.frame, ok, c.ok)
			continue
		}
		if !ok {
			continue
		}
		var r cfReply
		if err := json.Unmarshal([]byte(c.frame), &r); err != nil || r.Push == nil || r.Push.Pub == nil || got != r.Push.Pub.Data.Text {
			t.Errorf("peer %s: %q (%v)", c.frame, got, err)
		}
	}
	for _, bad := range []string{`{"type":"event","event":{"kind":"message","text":"unterminated`, `{"type":"event","event":{"kind":"message","text":"bad \q escape"}}`} {
		if got, ok := hearthMessageText([]byte(bad)); ok {
			t.Errorf("%s read as %q", bad, got)
		}
	}
}
