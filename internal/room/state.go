package room

import (
	"slices"
	"time"
	"unicode/utf8"

	"github.com/hearth-org/hearth"
)

// Round kinds.
const (
	RoundCheckIn  = "check_in"
	RoundCheckOut = "check_out"
	RoundQuestion = "question"
)

// State is what a room's log says now: the pure fold of its events. Every
// process that applies the same events in sequence order holds the same
// State. Apply never fails: an event that makes no sense in the state it
// meets (a round ended twice by two facilitators at once) changes nothing,
// so the fold is total and deterministic.
type State struct {
	Seq   int64   // the last sequence applied
	Hands []int64 // members with a hand raised, in the order they raised it
	Floor int64   // the member holding the floor (0: nobody)
	Round *Round  // the current round, nil when none
	// Muted and Removed are members muted or removed for this meeting.
	Muted   map[int64]bool
	Removed map[int64]bool
	Locked  bool
	Ended   bool
	// Held are messages held for facilitators (method details), by
	// sequence, not yet released.
	Held map[int64]Event
	// Voice is each member's share of voice this meeting.
	Voice map[int64]*Voice
}

// Round is a round in progress: each member in Order gets a turn.
type Round struct {
	Kind     string // RoundCheckIn, RoundCheckOut, RoundQuestion
	Question string // the question (RoundQuestion), member-written: never logged
	Seconds  int    // turn timer, 0 for none (shown, not enforced)
	Order    []int64
	// Turn is the index in Order of the member whose turn it is;
	// len(Order) when everyone has had theirs.
	Turn   int
	TurnAt time.Time // when the current turn began
	Passed []int64   // members who passed, in order
}

// Current is the member whose turn it is, or 0 when everyone has had theirs.
func (r *Round) Current() int64 {
	if r == nil || r.Turn >= len(r.Order) {
		return 0
	}
	return r.Order[r.Turn]
}

// Voice counts what one member wrote this meeting.
type Voice struct {
	Messages int
	Chars    int // characters (runes), not bytes
}

// NewState is the state of a room with no events.
func NewState() *State {
	return &State{
		Muted:   map[int64]bool{},
		Removed: map[int64]bool{},
		Held:    map[int64]Event{},
		Voice:   map[int64]*Voice{},
	}
}

// Apply folds one event into the state. Events must come in sequence
// order; one at or below Seq is ignored (already applied).
func (s *State) Apply(ev Event) {
	if ev.Seq != 0 && ev.Seq <= s.Seq {
		return
	}
	if ev.Seq != 0 {
		s.Seq = ev.Seq
	}
	if s.Ended {
		return
	}
	switch ev.Kind {
	case KindMessage:
		v := s.Voice[ev.Actor]
		if v == nil {
			v = &Voice{}
			s.Voice[ev.Actor] = v
		}
		v.Messages++
		v.Chars += utf8.RuneCountInString(ev.Text)
		if ev.Held {
			s.Held[ev.Seq] = ev
		}
	case KindHand:
		who := ev.Actor
		if ev.Target != 0 {
			who = ev.Target
		}
		s.Hands = slices.DeleteFunc(s.Hands, func(m int64) bool { return m == who })
		if ev.On && !s.Removed[who] {
			s.Hands = append(s.Hands, who)
		}
	case KindFloor:
		if s.Removed[ev.Target] {
			return
		}
		s.Floor = ev.Target
		if ev.Target != 0 {
			s.Hands = slices.DeleteFunc(s.Hands, func(m int64) bool { return m == ev.Target })
		}
	case KindRoundStart:
		order := make([]int64, 0, len(ev.Order))
		for _, m := range ev.Order {
			if !s.Removed[m] && !slices.Contains(order, m) {
				order = append(order, m)
			}
		}
		s.Round = &Round{Kind: ev.Round, Question: ev.Text, Seconds: ev.Seconds, Order: order, TurnAt: ev.At}
	case KindRoundNext:
		if s.Round != nil {
			s.Round.advance(s, ev.At)
		}
	case KindRoundPass:
		if s.Round != nil && s.Round.Current() != 0 {
			s.Round.Passed = append(s.Round.Passed, s.Round.Current())
			s.Round.advance(s, ev.At)
		}
	case KindRoundEnd:
		s.Round = nil
	case KindMute:
		if ev.On {
			s.Muted[ev.Target] = true
		} else {
			delete(s.Muted, ev.Target)
		}
	case KindRemove:
		s.Removed[ev.Target] = true
		s.Hands = slices.DeleteFunc(s.Hands, func(m int64) bool { return m == ev.Target })
		if s.Floor == ev.Target {
			s.Floor = 0
		}
		if s.Round != nil && s.Round.Current() == ev.Target {
			s.Round.advance(s, ev.At)
		}
	case KindLock:
		s.Locked = ev.On
	case KindEnd:
		s.Ended = true
		s.Hands = nil
		s.Floor = 0
		s.Round = nil
	case KindRelease:
		delete(s.Held, ev.Target)
	case KindHide:
		// A hidden message is no longer released to anyone.
		delete(s.Held, ev.Target)
	}
}

// advance moves the turn to the next member not removed.
func (r *Round) advance(s *State, at time.Time) {
	r.Turn++
	for r.Turn < len(r.Order) && s.Removed[r.Order[r.Turn]] {
		r.Turn++
	}
	if r.Turn > len(r.Order) {
		r.Turn = len(r.Order)
	}
	r.TurnAt = at
}

// Limits on what a member sends.
const (
	MaxTextChars = 4000 // a message or a round question, in characters
	MaxKeyChars  = 64   // an idempotency key
	MaxSeconds   = 3600 // a round's turn timer
)

// The errors Check returns. Codes are stable (the web layer translates
// them); messages are English a person can read.
var (
	ErrNotFacilitator = hearth.Coded(hearth.Forbidden, "room_facilitators_only", "Only a facilitator can do that.")
	ErrMuted          = hearth.Coded(hearth.Forbidden, "room_muted", "A facilitator has muted you for this meeting.")
	ErrRemoved        = hearth.Coded(hearth.Forbidden, "room_removed", "A facilitator has removed you from this meeting.")
	ErrEnded          = hearth.Coded(hearth.Conflict, "room_ended", "The meeting has ended.")
	ErrOwnHand        = hearth.Coded(hearth.Forbidden, "room_own_hand", "You can only lower your own hand.")
	ErrNoRound        = hearth.Coded(hearth.Conflict, "room_no_round", "No round is going on.")
	ErrNotYourTurn    = hearth.Coded(hearth.Conflict, "room_not_your_turn", "It is not your turn.")
	ErrNotHeld        = hearth.Coded(hearth.NotFound, "room_not_held", "That message is not held (it may have been released already).")
	ErrNotPresent     = hearth.Coded(hearth.Conflict, "room_nobody_present", "Nobody is here to take a turn.")
	ErrEmptyText      = hearth.Coded(hearth.Invalid, "room_empty_text", "Write something first.")
	ErrTextTooLong    = hearth.Coded(hearth.TooLarge, "room_text_too_long", "That is longer than 4,000 characters. Please shorten it or send it in parts.")
	ErrBadKey         = hearth.Coded(hearth.Invalid, "room_bad_key", "Every message needs a key of 1 to 64 letters, digits or the signs - _ . : (the app makes one).")
	ErrBadRoundKind   = hearth.Coded(hearth.Invalid, "room_bad_round", "A round is a check-in, a check-out or a question.")
	ErrNeedQuestion   = hearth.Coded(hearth.Invalid, "room_need_question", "A question round needs its question.")
	ErrBadSeconds     = hearth.Coded(hearth.Invalid, "room_bad_timer", "A turn timer is between 0 and 3,600 seconds.")
	ErrBadTarget      = hearth.Coded(hearth.Invalid, "room_bad_member", "Choose a member of this room.")
	ErrUnknownKind    = hearth.Coded(hearth.Invalid, "room_unknown_action", "That is not something a room can do.")
)

// Check applies the facilitation rules: may m do p in a room whose log
// says s? It returns nil or one of the Err* errors above (a *hearth.Error).
func Check(s *State, m Member, p Pending) error {
	ev := p.Event
	if s.Ended {
		return ErrEnded
	}
	if s.Removed[m.ID] {
		return ErrRemoved
	}
	switch ev.Kind {
	case KindMessage:
		if s.Muted[m.ID] {
			return ErrMuted
		}
		if err := checkText(ev.Text, true); err != nil {
			return err
		}
		if !validKey(ev.Key) {
			return ErrBadKey
		}
		return nil
	case KindHand:
		if ev.Target != 0 && ev.Target != m.ID {
			if !m.Facilitator {
				return ErrOwnHand
			}
			if ev.On {
				return ErrOwnHand // nobody raises another's hand
			}
		}
		return nil
	case KindRoundPass, KindRoundNext:
		if s.Round == nil {
			return ErrNoRound
		}
		if ev.Kind == KindRoundNext && m.Facilitator {
			return nil
		}
		if s.Round.Current() != m.ID {
			return ErrNotYourTurn
		}
		return nil
	}
	// The rest is the facilitator's.
	if !m.Facilitator {
		switch ev.Kind {
		case KindFloor, KindRoundStart, KindRoundEnd, KindMute, KindRemove, KindLock, KindEnd, KindRelease:
			return ErrNotFacilitator
		}
		return ErrUnknownKind
	}
	switch ev.Kind {
	case KindFloor:
		if ev.Target < 0 || s.Removed[ev.Target] {
			return ErrBadTarget
		}
	case KindRoundStart:
		switch ev.Round {
		case RoundCheckIn, RoundCheckOut:
			if ev.Text != "" {
				if err := checkText(ev.Text, false); err != nil {
					return err
				}
			}
		case RoundQuestion:
			if err := checkText(ev.Text, true); err != nil {
				if err == ErrEmptyText {
					return ErrNeedQuestion
				}
				return err
			}
		default:
			return ErrBadRoundKind
		}
		if ev.Seconds < 0 || ev.Seconds > MaxSeconds {
			return ErrBadSeconds
		}
		if len(ev.Order) == 0 {
			return ErrNotPresent
		}
	case KindRoundEnd:
		if s.Round == nil {
			return ErrNoRound
		}
	case KindMute, KindRemove:
		if ev.Target <= 0 || ev.Target == m.ID {
			return ErrBadTarget
		}
	case KindLock:
	case KindEnd:
	case KindRelease:
		if _, ok := s.Held[ev.Target]; !ok {
			return ErrNotHeld
		}
	default:
		return ErrUnknownKind
	}
	return nil
}

func checkText(t string, required bool) error {
	if !utf8.ValidString(t) {
		return ErrEmptyText
	}
	n := utf8.RuneCountInString(t)
	blank := true
	for _, r := range t {
		if r != ' ' && r != '\t' && r != '\n' && r != '\r' {
			blank = false
			break
		}
	}
	if required && (n == 0 || blank) {
		return ErrEmptyText
	}
	if n > MaxTextChars {
		return ErrTextTooLong
	}
	return nil
}

func validKey(k string) bool {
	if len(k) == 0 || len(k) > MaxKeyChars {
		return false
	}
	for i := 0; i < len(k); i++ {
		c := k[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' || c == ':') {
			return false
		}
	}
	return true
}
