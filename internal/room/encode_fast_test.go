package room

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

// The hand-written frames are byte for byte encoding/json's.
func TestEncodeFastMatchesJSON(t *testing.T) {
	at := time.Date(2026, 11, 30, 21, 5, 7, 123456789, time.UTC)
	events := []WireEvent{
		{Seq: 1, Kind: KindMessage, At: at, Actor: 3, Name: "Quiet River", Text: "hello, everyone"},
		{Seq: 2, Kind: KindMessage, At: at.Truncate(time.Second), Actor: 3, Text: "¿qué tal? <b>bold</b> & \"quotes\" \\ \n\t\u2028 \x01", Held: true},
		{Seq: 3, Kind: KindRoundStart, At: at, Actor: 1, Name: "Facilitator", Round: RoundQuestion, Seconds: 60, Text: "How are you?", Order: []int64{3, 4, 5}},
		{Seq: 4, Kind: KindMute, At: at, Actor: 1, Target: 4, TargetName: "Blue Heron", On: true},
		{Seq: 5, Kind: KindMessage, At: at, Actor: 9, Hidden: "harassment", Former: true},
		{Seq: 6, Kind: KindMessage, At: at, Actor: 9, Text: "bad \xff utf-8", Order: []int64{}},
		{Seq: 7, Kind: KindRelease, At: at, Actor: 1, Target: 2, Message: &WireEvent{Seq: 2, Kind: KindMessage, At: at, Actor: 3, Text: "x"}},
		{Seq: 8, Kind: KindMessage, At: time.Date(2026, 1, 2, 3, 4, 5, 0, time.FixedZone("", 3600)), Actor: 3, Text: "zone"},
	}
	for _, we := range events {
		want, err := json.Marshal(eventFrame{Type: FrameEvent, Event: we})
		if err != nil {
			t.Fatal(err)
		}
		if got := eventBytes(we); !bytes.Equal(got, want) {
			t.Errorf("event %d:\n got %s\nwant %s", we.Seq, got, want)
		}
	}
	for _, c := range []struct {
		key string
		seq int64
		dup bool
	}{{"k1", 5, false}, {"k<&>\"1", 6, true}, {"", 0, false}} {
		want, _ := json.Marshal(ackFrame{Type: FrameAck, Key: c.key, Seq: c.seq, Dup: c.dup})
		if got := ackBytes(c.key, c.seq, c.dup); !bytes.Equal(got, want) {
			t.Errorf("ack:\n got %s\nwant %s", got, want)
		}
	}
	// A field added to WireEvent must be written by eventBytes too.
	var names []string
	rt := reflect.TypeFor[WireEvent]()
	for i := range rt.NumField() {
		names = append(names, rt.Field(i).Tag.Get("json"))
	}
	known := []string{"seq", "kind", "at", "actor", "name,omitempty", "target,omitempty", "target_name,omitempty", "on,omitempty",
		"round,omitempty", "seconds,omitempty", "text,omitempty", "order,omitempty", "held,omitempty", "hidden,omitempty",
		"former_member,omitempty", "message,omitempty"}
	if !reflect.DeepEqual(names, known) {
		t.Fatalf("WireEvent's fields are %q; eventBytes (encode_fast.go) writes %q: teach it the new ones", names, known)
	}
}

func FuzzEncodeEvent(f *testing.F) {
	f.Add(int64(1), "message", int64(3), "Quiet River", int64(0), "", "hello", "", int64(1764536707123456789), true)
	f.Add(int64(2), "mute", int64(1), "<x>", int64(4), "a&b", "\u2028", "spam", int64(0), false)
	f.Fuzz(func(t *testing.T, seq int64, kind string, actor int64, name string, target int64, targetName, text, hidden string, nanos int64, flag bool) {
		we := WireEvent{Seq: seq, Kind: kind, At: time.Unix(0, nanos).UTC(), Actor: actor, Name: name, Target: target,
			TargetName: targetName, Text: text, Hidden: hidden, On: flag, Held: !flag, Former: flag, Seconds: int(seq % 1000)}
		if flag {
			we.Order = []int64{actor, target}
		}
		want, err := json.Marshal(eventFrame{Type: FrameEvent, Event: we})
		if err != nil {
			return
		}
		if got := eventBytes(we); !bytes.Equal(got, want) {
			t.Fatalf("\n got %s\nwant %s", got, want)
		}
	})
}
