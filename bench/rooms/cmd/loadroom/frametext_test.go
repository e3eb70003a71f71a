package main

import (
	"encoding/json"
	"testing"
)

// frameCase is a frame and whether it is a delivery.
type frameCase struct {
	frame string
	ok    bool
}

// The fast read of a delivery's text gives what encoding/json gives, and
// leaves every other frame to it.
func TestFrameTextMatchesJSON(t *testing.T) {
	targets := []struct {
		name  string
		read  func([]byte) (string, bool)
		json  func([]byte) (string, error) // the text by encoding/json
		cases []frameCase
	}{
		{"hearth", hearthMessageText, func(b []byte) (string, error) {
			var f struct {
				Event struct {
					Kind string `json:"kind"`
					Text string `json:"text"`
				} `json:"event"`
			}
			err := json.Unmarshal(b, &f)
			if f.Event.Kind != "message" {
				t.Errorf("%s is not a message", b)
			}
			return f.Event.Text, err
		}, []frameCase{
			{`{"type":"event","event":{"seq":42,"kind":"message","at":"2026-12-01T06:15:04.123456789Z","actor":12,"name":"Robin","text":"lr1 3 m 17 5 1764569704123456789 thanks everyone"}}`, true},
			{`{"type":"event","event":{"seq":43,"kind":"message","at":"2026-12-01T06:15:04Z","actor":12,"name":"Say \"text\":\"no\"","text":"a \"quoted\" word, a \\ and \u00e9 and a tab\t"}}`, true},
			{`{"type":"event","event":{"seq":44,"kind":"message","at":"2026-12-01T06:15:04Z","actor":12,"former_member":true,"text":"ünïcödé ✓"}}`, true},
			{`{"type":"event","event":{"seq":45,"kind":"hand","at":"2026-12-01T06:15:04Z","actor":12,"name":"Robin","on":true}}`, false},
			{`{"type":"event","event":{"seq":46,"kind":"release","at":"2026-12-01T06:15:04Z","actor":3,"target":44,"message":{"seq":44,"kind":"message","text":"released"}}}`, false},
			{`{"type":"ack","key":"k-1","seq":42}`, false},
			{`{"type":"error","code":"room_rate_limited","key":"k-2","message":"slow down","text":"x"}`, false},
			{`{"type":"event","event":{"kind":"message","text":"unterminated`, false},
			{`{"type":"event","event":{"kind":"message","text":"bad \q escape"}}`, false},
		}},
		{"peer", centrifugePubText, func(b []byte) (string, error) {
			var r cfReply
			err := json.Unmarshal(b, &r)
			if r.Push == nil || r.Push.Pub == nil {
				t.Errorf("%s is not a publication", b)
				return "", err
			}
			return r.Push.Pub.Data.Text, err
		}, []frameCase{
			{`{"push":{"channel":"room:5","pub":{"data":{"text":"lr1 3 m 17 5 1764569704123456789 thanks"},"offset":12}}}`, true},
			{`{"push":{"channel":"room:\"text\":\"5","pub":{"data":{"text":"tab\tquote\" end"}}}}`, true},
			{`{"id":7,"publish":{}}`, false},
			{`{"id":8,"error":{"code":103,"message":"permission denied"}}`, false},
			{`{"push":{"channel":"room:5","join":{"info":{"user":"m1"}}}}`, false},
		}},
	}
	for _, tg := range targets {
		for _, c := range tg.cases {
			got, ok := tg.read([]byte(c.frame))
			if ok != c.ok {
				t.Errorf("%s %s: read %q, %v; want %v", tg.name, c.frame, got, ok, c.ok)
				continue
			}
			if !ok {
				continue
			}
			if want, err := tg.json([]byte(c.frame)); err != nil || got != want {
				t.Errorf("%s %s: %q, encoding/json %q (%v)", tg.name, c.frame, got, want, err)
			}
		}
	}
}
