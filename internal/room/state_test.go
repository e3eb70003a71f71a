package room

import (
	"errors"
	"slices"
	"testing"
	"time"
)

// fold applies events numbered from 1.
func fold(evs ...Event) *State {
	s := NewState()
	for i, ev := range evs {
		ev.Seq = int64(i + 1)
		s.Apply(ev)
	}
	return s
}

func TestStateFold(t *testing.T) {
	t0 := time.Date(2026, 11, 30, 18, 0, 0, 0, time.UTC)
	t.Run("hands queue in the order raised, and lowering removes only that hand", func(t *testing.T) {
		s := fold(
			Event{Kind: KindHand, Actor: 3, On: true},
			Event{Kind: KindHand, Actor: 2, On: true},
			Event{Kind: KindHand, Actor: 4, On: true},
			Event{Kind: KindHand, Actor: 3, On: true}, // twice: still once, moved to the back
			Event{Kind: KindHand, Actor: 2},
		)
		if !slices.Equal(s.Hands, []int64{4, 3}) {
			t.Fatalf("hands = %v", s.Hands)
		}
	})
	t.Run("giving the floor lowers that hand; floor 0 is nobody", func(t *testing.T) {
		s := fold(
			Event{Kind: KindHand, Actor: 3, On: true},
			Event{Kind: KindHand, Actor: 2, On: true},
			Event{Kind: KindFloor, Actor: 1, Target: 2},
		)
		if s.Floor != 2 || !slices.Equal(s.Hands, []int64{3}) {
			t.Fatalf("floor %d hands %v", s.Floor, s.Hands)
		}
		s.Apply(Event{Seq: 4, Kind: KindFloor, Actor: 1})
		if s.Floor != 0 {
			t.Fatalf("floor %d", s.Floor)
		}
	})
	t.Run("a round goes through its order, with passes, skipping the removed", func(t *testing.T) {
		s := fold(
			Event{Kind: KindRoundStart, Actor: 1, Round: RoundCheckIn, Seconds: 60, Order: []int64{1, 2, 3, 4, 2}, At: t0},
			Event{Kind: KindRoundNext, Actor: 1, At: t0.Add(time.Minute)},
			Event{Kind: KindRoundPass, Actor: 2, At: t0.Add(2 * time.Minute)},
			Event{Kind: KindRemove, Actor: 1, Target: 4},
		)
		r := s.Round
		if r == nil || !slices.Equal(r.Order, []int64{1, 2, 3, 4}) || r.Current() != 3 || !slices.Equal(r.Passed, []int64{2}) || !r.TurnAt.Equal(t0.Add(2*time.Minute)) {
			t.Fatalf("round = %+v", r)
		}
		s.Apply(Event{Seq: 5, Kind: KindRoundNext, Actor: 3})
		if r.Current() != 0 || r.Turn != 4 {
			t.Fatalf("after the last turn: current %d turn %d", r.Current(), r.Turn)
		}
		s.Apply(Event{Seq: 6, Kind: KindRoundNext, Actor: 1})
		if r.Turn != 4 {
			t.Fatalf("turn ran past the end: %d", r.Turn)
		}
		s.Apply(Event{Seq: 7, Kind: KindRoundEnd, Actor: 1})
		s.Apply(Event{Seq: 8, Kind: KindRoundEnd, Actor: 1}) // a second end changes nothing
		if s.Round != nil {
			t.Fatal("round not ended")
		}
	})
	t.Run("share of voice counts characters, not bytes, held messages included", func(t *testing.T) {
		s := fold(
			Event{Kind: KindMessage, Actor: 2, Text: "señora"},
			Event{Kind: KindMessage, Actor: 2, Text: "hola", Held: true},
			Event{Kind: KindMessage, Actor: 3, Text: "hi"},
		)
		if v := s.Voice[2]; v.Messages != 2 || v.Chars != 10 {
			t.Fatalf("voice = %+v", v)
		}
		if _, ok := s.Held[2]; !ok || len(s.Held) != 1 {
			t.Fatalf("held = %v", s.Held)
		}
		s.Apply(Event{Seq: 4, Kind: KindRelease, Actor: 1, Target: 2})
		if len(s.Held) != 0 {
			t.Fatalf("held after release = %v", s.Held)
		}
	})
	t.Run("mute, unmute, remove, lock, end", func(t *testing.T) {
		s := fold(
			Event{Kind: KindMute, Actor: 1, Target: 2, On: true},
			Event{Kind: KindMute, Actor: 1, Target: 3, On: true},
			Event{Kind: KindMute, Actor: 1, Target: 3},
			Event{Kind: KindHand, Actor: 4, On: true},
			Event{Kind: KindFloor, Actor: 1, Target: 4},
			Event{Kind: KindRemove, Actor: 1, Target: 4},
			Event{Kind: KindHand, Actor: 4, On: true}, // a removed member's hand stays down
			Event{Kind: KindLock, Actor: 1, On: true},
		)
		if !s.Muted[2] || s.Muted[3] || !s.Removed[4] || s.Floor != 0 || len(s.Hands) != 0 || !s.Locked {
			t.Fatalf("state = %+v", s)
		}
		s.Apply(Event{Seq: 9, Kind: KindEnd, Actor: 1})
		s.Apply(Event{Seq: 10, Kind: KindLock, Actor: 1})
		if !s.Ended || !s.Locked || s.Seq != 10 {
			t.Fatalf("after the end: %+v", s)
		}
	})
	t.Run("an event already applied is ignored", func(t *testing.T) {
		s := fold(Event{Kind: KindMessage, Actor: 2, Text: "a"})
		s.Apply(Event{Seq: 1, Kind: KindMessage, Actor: 2, Text: "a"})
		if s.Voice[2].Messages != 1 {
			t.Fatal("applied twice")
		}
	})
}

func TestCheck(t *testing.T) {
	f := Member{ID: 1, Facilitator: true}
	a := Member{ID: 2}
	b := Member{ID: 3}
	inRound := func() *State {
		return fold(Event{Kind: KindRoundStart, Actor: 1, Round: RoundCheckIn, Order: []int64{2, 3}})
	}
	muted := fold(Event{Kind: KindMute, Actor: 1, Target: 2, On: true})
	removed := fold(Event{Kind: KindRemove, Actor: 1, Target: 2})
	ended := fold(Event{Kind: KindEnd, Actor: 1})
	held := fold(Event{Kind: KindMessage, Actor: 2, Text: "x", Held: true})
	long := string(make([]rune, MaxTextChars+1))
	cases := []struct {
		name  string
		s     *State
		m     Member
		ev    Event
		wantE error
	}{
		{"a member sends a message", NewState(), a, Event{Kind: KindMessage, Text: "hello", Key: "k"}, nil},
		{"a message needs a key", NewState(), a, Event{Kind: KindMessage, Text: "hello"}, ErrBadKey},
		{"a key with a space is refused", NewState(), a, Event{Kind: KindMessage, Text: "hello", Key: "a b"}, ErrBadKey},
		{"a blank message is refused", NewState(), a, Event{Kind: KindMessage, Text: " \n", Key: "k"}, ErrEmptyText},
		{"a message over 4,000 characters is refused", NewState(), a, Event{Kind: KindMessage, Text: long, Key: "k"}, ErrTextTooLong},
		{"a muted member cannot send", muted, a, Event{Kind: KindMessage, Text: "hi", Key: "k"}, ErrMuted},
		{"a muted member may still raise a hand", muted, a, Event{Kind: KindHand, On: true}, nil},
		{"a removed member can do nothing", removed, a, Event{Kind: KindHand, On: true}, ErrRemoved},
		{"nothing after the end", ended, f, Event{Kind: KindLock, On: true}, ErrEnded},
		{"a member lowers their own hand", NewState(), a, Event{Kind: KindHand, Target: 2}, nil},
		{"a member cannot lower another's hand", NewState(), a, Event{Kind: KindHand, Target: 3}, ErrOwnHand},
		{"a facilitator lowers another's hand", NewState(), f, Event{Kind: KindHand, Target: 3}, nil},
		{"nobody raises another's hand", NewState(), f, Event{Kind: KindHand, Target: 3, On: true}, ErrOwnHand},
		{"only facilitators give the floor", NewState(), a, Event{Kind: KindFloor, Target: 2}, ErrNotFacilitator},
		{"a facilitator gives the floor", NewState(), f, Event{Kind: KindFloor, Target: 2}, nil},
		{"not to a removed member", removed, f, Event{Kind: KindFloor, Target: 2}, ErrBadTarget},
		{"only facilitators start rounds", NewState(), a, Event{Kind: KindRoundStart, Round: RoundCheckIn, Order: []int64{2}}, ErrNotFacilitator},
		{"a round of an unknown kind", NewState(), f, Event{Kind: KindRoundStart, Round: "vote", Order: []int64{2}}, ErrBadRoundKind},
		{"a question round needs its question", NewState(), f, Event{Kind: KindRoundStart, Round: RoundQuestion, Order: []int64{2}}, ErrNeedQuestion},
		{"a timer over an hour", NewState(), f, Event{Kind: KindRoundStart, Round: RoundCheckOut, Seconds: 4000, Order: []int64{2}}, ErrBadSeconds},
		{"a round with nobody present", NewState(), f, Event{Kind: KindRoundStart, Round: RoundCheckOut}, ErrNotPresent},
		{"a facilitator starts a check-in", NewState(), f, Event{Kind: KindRoundStart, Round: RoundCheckIn, Seconds: 60, Order: []int64{2}}, nil},
		{"the member whose turn it is passes", inRound(), a, Event{Kind: KindRoundPass}, nil},
		{"another member cannot pass for them", inRound(), b, Event{Kind: KindRoundPass}, ErrNotYourTurn},
		{"another member cannot end their turn", inRound(), b, Event{Kind: KindRoundNext}, ErrNotYourTurn},
		{"the member whose turn it is ends it", inRound(), a, Event{Kind: KindRoundNext}, nil},
		{"a facilitator moves the turn on", inRound(), f, Event{Kind: KindRoundNext}, nil},
		{"no pass without a round", NewState(), a, Event{Kind: KindRoundPass}, ErrNoRound},
		{"no round end without a round", NewState(), f, Event{Kind: KindRoundEnd}, ErrNoRound},
		{"only facilitators end rounds", inRound(), a, Event{Kind: KindRoundEnd}, ErrNotFacilitator},
		{"only facilitators mute", NewState(), a, Event{Kind: KindMute, Target: 3, On: true}, ErrNotFacilitator},
		{"a facilitator cannot mute themselves", NewState(), f, Event{Kind: KindMute, Target: 1, On: true}, ErrBadTarget},
		{"only facilitators remove", NewState(), a, Event{Kind: KindRemove, Target: 3}, ErrNotFacilitator},
		{"only facilitators lock", NewState(), a, Event{Kind: KindLock, On: true}, ErrNotFacilitator},
		{"only facilitators end", NewState(), a, Event{Kind: KindEnd}, ErrNotFacilitator},
		{"only facilitators release", held, a, Event{Kind: KindRelease, Target: 1}, ErrNotFacilitator},
		{"a facilitator releases a held message", held, f, Event{Kind: KindRelease, Target: 1}, nil},
		{"what is not held cannot be released", NewState(), f, Event{Kind: KindRelease, Target: 1}, ErrNotHeld},
		{"an unknown kind", NewState(), f, Event{Kind: "dance"}, ErrUnknownKind},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := Check(c.s, c.m, Pending{Room: 1, Member: c.m, Event: c.ev})
			if !errors.Is(err, c.wantE) {
				t.Fatalf("Check = %v, want %v", err, c.wantE)
			}
		})
	}
}
