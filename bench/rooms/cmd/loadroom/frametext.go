package main

import (
	"bytes"
	"encoding/json"
)

// The harness reads a delivered message's text the same way for every
// target: encoding/json decoding every frame was over half of the
// harness's CPU at saturation, and on a shared machine what the harness
// spends is taken from the server under test. A frame that is a delivery
// (Hearth's message event, the centrifuge peer's publication push) has its
// text read by textOf; everything else (acknowledgements, errors,
// replies) is still decoded in full.

var textKey = []byte(`"text":"`)

// textOf returns the value of the frame's "text" key: the first place the
// bytes "text":" occur (inside a JSON string a quote is always escaped, so
// they can only be a key). A string with escapes is read by encoding/json.
func textOf(frame []byte) (string, bool) {
	i := bytes.Index(frame, textKey)
	if i < 0 {
		return "", false
	}
	start := i + len(textKey) - 1 // the opening quote
	escaped := false
	for j := start + 1; j < len(frame); j++ {
		switch frame[j] {
		case '\\':
			escaped = true
			j++ // the escaped byte cannot end the string
		case '"':
			if !escaped {
				return string(frame[start+1 : j]), true
			}
			var s string
			if err := json.Unmarshal(frame[start:j+1], &s); err != nil {
				return "", false
			}
			return s, true
		}
	}
	return "", false
}

// Hearth: {"type":"event","event":{"seq":…,"kind":"message",…,"text":"…"}}
var (
	hearthEventPrefix = []byte(`{"type":"event","event":{`)
	hearthMessageKind = []byte(`"kind":"message"`)
	hearthNested      = []byte(`"message":{`) // a release carries the released message: decoded in full
)

// hearthMessageText reads a Hearth message event's text; ok is false for
// any other frame (which the caller decodes in full).
func hearthMessageText(frame []byte) (text string, ok bool) {
	if !bytes.HasPrefix(frame, hearthEventPrefix) || !bytes.Contains(frame, hearthMessageKind) || bytes.Contains(frame, hearthNested) {
		return "", false
	}
	return textOf(frame)
}

// The peer: {"push":{"channel":"room:5","pub":{"data":{"text":"…"},…}}}
var (
	centrifugePushPrefix = []byte(`{"push":{"channel":`)
	centrifugePub        = []byte(`"pub":{"data":{`)
)

// centrifugePubText reads a publication push's text; ok is false for any
// other frame.
func centrifugePubText(frame []byte) (text string, ok bool) {
	if !bytes.HasPrefix(frame, centrifugePushPrefix) || !bytes.Contains(frame, centrifugePub) {
		return "", false
	}
	return textOf(frame)
}
