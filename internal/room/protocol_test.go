package room

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestDecode(t *testing.T) {
	cases := []struct {
		name  string
		in    string
		close int    // expected close code, 0 for none
		code  string // expected error code, "" for none
		typ   string
	}{
		{"a send", `{"type":"send","key":"a-1","text":"hello"}`, 0, "", FrameSend},
		{"unknown fields are ignored", `{"type":"ping","future":[1,2,3]}`, 0, "", FramePing},
		{"hello with after", `{"type":"hello","after":42}`, 0, "", FrameHello},
		{"hello with a negative after", `{"type":"hello","after":-1}`, 0, "bad_field", ""},
		{"not JSON", `hello`, CloseBadFrame, "bad_frame", ""},
		{"a JSON array", `[1]`, CloseBadFrame, "bad_frame", ""},
		{"no type", `{"text":"x"}`, CloseBadFrame, "bad_frame", ""},
		{"an unknown type", `{"type":"dance"}`, CloseBadFrame, "bad_frame", ""},
		{"a wrong field type", `{"type":"send","key":1}`, CloseBadFrame, "bad_frame", ""},
		{"a send without key", `{"type":"send","text":"x"}`, 0, "room_bad_key", ""},
		{"a send with a long key", `{"type":"send","key":"` + strings.Repeat("k", 65) + `","text":"x"}`, 0, "room_bad_key", ""},
		{"an empty send", `{"type":"send","key":"k","text":""}`, 0, "room_empty_text", ""},
		{"a send over 4,000 characters", `{"type":"send","key":"k","text":"` + strings.Repeat("é", 4001) + `"}`, 0, "room_text_too_long", ""},
		{"4,000 characters of two bytes each fit", `{"type":"send","key":"k","text":"` + strings.Repeat("é", 4000) + `"}`, 0, "", FrameSend},
		{"hand needs on", `{"type":"hand"}`, 0, "bad_field", ""},
		{"mute needs a member", `{"type":"mute"}`, 0, "room_bad_member", ""},
		{"release needs a seq", `{"type":"release"}`, 0, "room_not_held", ""},
		{"a round of an unknown kind", `{"type":"round_start","round":"vote"}`, 0, "room_bad_round", ""},
		{"a question round without question", `{"type":"round_start","round":"question"}`, 0, "room_need_question", ""},
		{"a frame too big", `{"type":"send","key":"k","text":"` + strings.Repeat("a", MaxFrameBytes) + `"}`, CloseTooBig, "frame_too_big", ""},
		{"invalid UTF-8", "{\"type\":\"send\",\"key\":\"k\",\"text\":\"\xff\"}", CloseBadFrame, "bad_frame", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, err := Decode([]byte(c.in))
			if c.code == "" {
				if err != nil {
					t.Fatalf("Decode = %v", err)
				}
				if f.Type != c.typ {
					t.Fatalf("type %q", f.Type)
				}
				return
			}
			var de *DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("Decode error = %v, want a DecodeError", err)
			}
			if de.Close != c.close || de.Err.Code != c.code {
				t.Fatalf("close %d code %q, want %d %q", de.Close, de.Err.Code, c.close, c.code)
			}
		})
	}
}

func TestFrameEvent(t *testing.T) {
	on := true
	cases := []struct {
		f    Frame
		want Event
	}{
		{Frame{Type: FrameSend, Key: "k", Text: "t"}, Event{Kind: KindMessage, Key: "k", Text: "t"}},
		{Frame{Type: FrameHand, On: &on}, Event{Kind: KindHand, On: true}},
		{Frame{Type: FrameDone}, Event{Kind: KindRoundNext}},
		{Frame{Type: FrameUnmute, Member: 3}, Event{Kind: KindMute, Target: 3}},
		{Frame{Type: FrameLock}, Event{Kind: KindLock, On: true}},
		{Frame{Type: FrameRelease, Seq: 9}, Event{Kind: KindRelease, Target: 9}},
		{Frame{Type: FrameRoundStart, Round: RoundQuestion, Question: "q", Seconds: 30}, Event{Kind: KindRoundStart, Round: RoundQuestion, Text: "q", Seconds: 30}},
	}
	for _, c := range cases {
		got, ok := c.f.Event()
		if !ok || got.Kind != c.want.Kind || got.Target != c.want.Target || got.On != c.want.On || got.Text != c.want.Text || got.Key != c.want.Key || got.Seconds != c.want.Seconds {
			t.Errorf("%s: Event = %+v, want %+v", c.f.Type, got, c.want)
		}
	}
	if _, ok := (Frame{Type: FramePing}).Event(); ok {
		t.Error("ping records an event")
	}
}

// FuzzDecode: whatever a client sends, Decode does not panic, and what it
// accepts keeps the limits.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{
		`{"type":"send","key":"k1","text":"hello"}`,
		`{"type":"hello","after":3}`,
		`{"type":"hand","on":true,"member":2}`,
		`{"type":"round_start","round":"question","question":"How are you?","seconds":60}`,
		`{"type":"release","seq":4}`,
		`{"type":"ping"}`,
		`{"type":"send","key":"k","text":"\ud800"}`,
		`{"type":"send","text":{"a":[[[[[]]]]]}}`,
		`{"type":"floor","member":-1}`,
		`{}`,
		``,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fr, err := Decode(data)
		if err != nil {
			var de *DecodeError
			if !errors.As(err, &de) || de.Err == nil || de.Err.Code == "" || de.Err.Message == "" {
				t.Fatalf("error without code or message: %v", err)
			}
			return
		}
		if len(data) > MaxFrameBytes {
			t.Fatal("accepted a frame above the limit")
		}
		if utf8.RuneCountInString(fr.Text) > MaxTextChars || len(fr.Key) > MaxKeyChars {
			t.Fatal("accepted a field above its limit")
		}
		if fr.Type == FrameSend && (fr.Key == "" || strings.TrimSpace(fr.Text) == "") {
			t.Fatal("accepted a send without key or text")
		}
		fr.Event()
	})
}

// FuzzDecodeSimple: whatever decodeSimple accepts, encoding/json reads as
// the same Frame (so the fast path changes no answer of Decode's).
func FuzzDecodeSimple(f *testing.F) {
	for _, s := range []string{
		`{"type":"send","key":"k1","text":"hello"}`,
		`{ "text" : "hola, ¿qué tal?" , "type":"send","key":"k1" }`,
		`{"type":"ping"}`,
		`{}`,
		`{"type":"send","type":"ping"}`,
		`{"Type":"send"}`,
		`{"type":"send","key":"k","text":"a\"b"}`,
		`{"type":"send","key":"k","text":"tab	in"}`,
		`{"type":"send",}`,
		`{"type":"send"}x`,
		`{"type":"hello","after":3}`,
		`{"type":"send","text":null}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		data = bytes.TrimSpace(data)
		if len(data) == 0 || data[0] != '{' || !utf8.Valid(data) {
			return
		}
		got, ok := decodeSimple(data)
		if !ok {
			return
		}
		var want Frame
		if err := json.Unmarshal(data, &want); err != nil {
			t.Fatalf("decodeSimple accepted %q, which encoding/json refuses: %v", data, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%q: decodeSimple %+v, encoding/json %+v", data, got, want)
		}
	})
}
