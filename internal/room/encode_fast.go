package room

import (
	"encoding/json"
	"strconv"
	"time"
	"unicode/utf8"
)

// The frames the hub writes most — an event for every member of the room,
// an acknowledgement for every message — are written by hand rather than
// by encoding/json's reflection. The bytes are exactly encoding/json's
// (TestEncodeFastMatchesJSON, FuzzEncodeEvent); a release event, which
// carries the released message, still goes through encoding/json.

// eventBytes is encode(eventFrame{Type: FrameEvent, Event: we}).
func eventBytes(we WireEvent) []byte {
	if we.Message != nil {
		return encode(eventFrame{Type: FrameEvent, Event: we})
	}
	b := make([]byte, 0, 128+len(we.Text)+len(we.Name)+len(we.TargetName))
	b = append(b, `{"type":`...)
	b = appendJSONString(b, FrameEvent)
	b = append(b, `,"event":{"seq":`...)
	b = strconv.AppendInt(b, we.Seq, 10)
	b = append(b, `,"kind":`...)
	b = appendJSONString(b, we.Kind)
	b = append(b, `,"at":`...)
	var ok bool
	if b, ok = appendJSONTime(b, we.At); !ok {
		return encode(eventFrame{Type: FrameEvent, Event: we})
	}
	b = append(b, `,"actor":`...)
	b = strconv.AppendInt(b, we.Actor, 10)
	if we.Name != "" {
		b = append(b, `,"name":`...)
		b = appendJSONString(b, we.Name)
	}
	if we.Target != 0 {
		b = append(b, `,"target":`...)
		b = strconv.AppendInt(b, we.Target, 10)
	}
	if we.TargetName != "" {
		b = append(b, `,"target_name":`...)
		b = appendJSONString(b, we.TargetName)
	}
	if we.On {
		b = append(b, `,"on":true`...)
	}
	if we.Round != "" {
		b = append(b, `,"round":`...)
		b = appendJSONString(b, we.Round)
	}
	if we.Seconds != 0 {
		b = append(b, `,"seconds":`...)
		b = strconv.AppendInt(b, int64(we.Seconds), 10)
	}
	if we.Text != "" {
		b = append(b, `,"text":`...)
		b = appendJSONString(b, we.Text)
	}
	if len(we.Order) > 0 {
		b = append(b, `,"order":[`...)
		for i, id := range we.Order {
			if i > 0 {
				b = append(b, ',')
			}
			b = strconv.AppendInt(b, id, 10)
		}
		b = append(b, ']')
	}
	if we.Held {
		b = append(b, `,"held":true`...)
	}
	if we.Hidden != "" {
		b = append(b, `,"hidden":`...)
		b = appendJSONString(b, we.Hidden)
	}
	if we.Former {
		b = append(b, `,"former_member":true`...)
	}
	return append(b, "}}"...)
}

// ackBytes is the acknowledgement of a client's frame.
func ackBytes(key string, seq int64, dup bool) []byte {
	b := make([]byte, 0, 40+len(key))
	b = append(b, `{"type":`...)
	b = appendJSONString(b, FrameAck)
	b = append(b, `,"key":`...)
	b = appendJSONString(b, key)
	b = append(b, `,"seq":`...)
	b = strconv.AppendInt(b, seq, 10)
	if dup {
		b = append(b, `,"dup":true`...)
	}
	return append(b, '}')
}

// appendJSONString appends s as encoding/json writes it. Plain text is
// copied; a string with anything encoding/json escapes (quotes,
// backslashes, control characters, <, >, &, U+2028, U+2029, invalid
// UTF-8) is handed to encoding/json.
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
				return appendMarshaled(b, s)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || r == '\u2028' || r == '\u2029' {
			return appendMarshaled(b, s)
		}
		i += size
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

func appendMarshaled(b []byte, s string) []byte {
	q, _ := json.Marshal(s) // a string always encodes
	return append(b, q...)
}

// appendJSONTime appends t as time.Time's MarshalJSON does; false for a
// year MarshalJSON refuses.
func appendJSONTime(b []byte, t time.Time) ([]byte, bool) {
	if y := t.Year(); y < 0 || y > 9999 {
		return b, false
	}
	b = append(b, '"')
	b = t.AppendFormat(b, time.RFC3339Nano)
	return append(b, '"'), true
}
