package room

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/hearth-org/hearth"
)

// The wire protocol: JSON text frames, one object each, with a "type".
// docs/rooms-protocol.md describes every frame for client writers.

// MaxFrameBytes is the largest frame a client may send; the connection
// adapter should set its read limit to it (a larger frame closes the
// connection with CloseTooBig).
const MaxFrameBytes = 16 << 10

// Client frame types.
const (
	FrameHello      = "hello"
	FrameSend       = "send"
	FrameHand       = "hand"
	FramePass       = "pass"
	FrameDone       = "done"
	FramePing       = "ping"
	FrameFloor      = "floor"
	FrameRoundStart = "round_start"
	FrameRoundNext  = "round_next"
	FrameRoundEnd   = "round_end"
	FrameMute       = "mute"
	FrameUnmute     = "unmute"
	FrameRemove     = "remove"
	FrameLock       = "lock"
	FrameUnlock     = "unlock"
	FrameEnd        = "end"
	FrameRelease    = "release"
)

// Server frame types.
const (
	FrameWelcome  = "welcome"
	FrameEvent    = "event"
	FrameAck      = "ack"
	FramePresence = "presence"
	FrameHelp     = "help"
	FrameAlert    = "alert"
	FrameError    = "error"
	FramePong     = "pong"
	FrameFormer   = "former"
)

// Frame is one client frame, decoded. Which fields matter depends on Type
// (see docs/rooms-protocol.md).
type Frame struct {
	Type     string `json:"type"`
	After    *int64 `json:"after,omitempty"`    // hello: the last sequence seen (0: none)
	Key      string `json:"key,omitempty"`      // send (required), any action (optional): echoed in ack/error
	Text     string `json:"text,omitempty"`     // send
	On       *bool  `json:"on,omitempty"`       // hand
	Member   int64  `json:"member,omitempty"`   // hand (facilitator lowering another's), floor, mute, unmute, remove
	Seq      int64  `json:"seq,omitempty"`      // release: the held message
	Round    string `json:"round,omitempty"`    // round_start: check_in, check_out, question
	Question string `json:"question,omitempty"` // round_start
	Seconds  int    `json:"seconds,omitempty"`  // round_start: turn timer
}

// DecodeError is a frame the server cannot act on. Close is the close code
// when the frame ends the connection (not JSON, unknown type, too big), 0
// when the connection stays and the client gets an error frame.
type DecodeError struct {
	Close int
	Err   *hearth.Error
}

func (e *DecodeError) Error() string { return e.Err.Error() }

// Unwrap gives the *hearth.Error.
func (e *DecodeError) Unwrap() error { return e.Err }

// Decoding errors.
var (
	ErrFrameTooBig = hearth.Coded(hearth.TooLarge, "frame_too_big", fmt.Sprintf("A frame may be at most %d bytes.", MaxFrameBytes))
	ErrBadFrame    = hearth.Coded(hearth.Invalid, "bad_frame", "Every frame must be one JSON object with a known \"type\".")
	ErrBadField    = hearth.Coded(hearth.Invalid, "bad_field", "A field of this frame is missing or wrong.")
)

func fatal(code int, err *hearth.Error) *DecodeError { return &DecodeError{Close: code, Err: err} }

func soft(err *hearth.Error) *DecodeError { return &DecodeError{Err: err} }

// Decode reads one client frame. It never panics, whatever data holds; it
// checks the frame's size, its shape, and the limits of its fields. The
// facilitation rules are Check's.
func Decode(data []byte) (Frame, error) {
	var f Frame
	if len(data) > MaxFrameBytes {
		return f, fatal(CloseTooBig, ErrFrameTooBig)
	}
	data = bytes.TrimSpace(data)
	if len(data) == 0 || data[0] != '{' || !utf8.Valid(data) {
		return f, fatal(CloseBadFrame, ErrBadFrame)
	}
	if simple, ok := decodeSimple(data); ok {
		f = simple
	} else if err := json.Unmarshal(data, &f); err != nil {
		return Frame{}, fatal(CloseBadFrame, ErrBadFrame)
	}
	if f.Key != "" && !validKey(f.Key) {
		return f, soft(ErrBadKey)
	}
	switch f.Type {
	case FrameHello:
		if f.After != nil && *f.After < 0 {
			return f, soft(ErrBadField)
		}
	case FrameSend:
		if !validKey(f.Key) {
			return f, soft(ErrBadKey)
		}
		if err := checkText(f.Text, true); err != nil {
			return f, soft(err.(*hearth.Error))
		}
	case FrameHand:
		if f.On == nil || f.Member < 0 {
			return f, soft(ErrBadField)
		}
	case FrameFloor:
		if f.Member < 0 {
			return f, soft(ErrBadTarget)
		}
	case FrameMute, FrameUnmute, FrameRemove:
		if f.Member <= 0 {
			return f, soft(ErrBadTarget)
		}
	case FrameRelease:
		if f.Seq <= 0 {
			return f, soft(ErrNotHeld)
		}
	case FrameRoundStart:
		if f.Round != RoundCheckIn && f.Round != RoundCheckOut && f.Round != RoundQuestion {
			return f, soft(ErrBadRoundKind)
		}
		if f.Seconds < 0 || f.Seconds > MaxSeconds {
			return f, soft(ErrBadSeconds)
		}
		if err := checkText(f.Question, f.Round == RoundQuestion); err != nil {
			if err == ErrEmptyText {
				return f, soft(ErrNeedQuestion)
			}
			return f, soft(err.(*hearth.Error))
		}
	case FramePass, FrameDone, FramePing, FrameRoundNext, FrameRoundEnd, FrameLock, FrameUnlock, FrameEnd:
	default:
		return Frame{}, fatal(CloseBadFrame, ErrBadFrame)
	}
	return f, nil
}

// Event is the event a frame asks the room to record, or false for frames
// that record nothing (hello, ping).
func (f Frame) Event() (Event, bool) {
	var ev Event
	switch f.Type {
	case FrameSend:
		ev = Event{Kind: KindMessage, Text: f.Text, Key: f.Key}
	case FrameHand:
		ev = Event{Kind: KindHand, On: f.On != nil && *f.On, Target: f.Member}
	case FramePass:
		ev = Event{Kind: KindRoundPass}
	case FrameDone, FrameRoundNext:
		ev = Event{Kind: KindRoundNext}
	case FrameFloor:
		ev = Event{Kind: KindFloor, Target: f.Member}
	case FrameRoundStart:
		ev = Event{Kind: KindRoundStart, Round: f.Round, Text: f.Question, Seconds: f.Seconds}
	case FrameRoundEnd:
		ev = Event{Kind: KindRoundEnd}
	case FrameMute:
		ev = Event{Kind: KindMute, On: true, Target: f.Member}
	case FrameUnmute:
		ev = Event{Kind: KindMute, Target: f.Member}
	case FrameRemove:
		ev = Event{Kind: KindRemove, Target: f.Member}
	case FrameLock:
		ev = Event{Kind: KindLock, On: true}
	case FrameUnlock:
		ev = Event{Kind: KindLock}
	case FrameEnd:
		ev = Event{Kind: KindEnd}
	case FrameRelease:
		ev = Event{Kind: KindRelease, Target: f.Seq}
	default:
		return ev, false
	}
	return ev, true
}

// WireMember is a member as other members see them: their id in the room
// (Member.ID, the admission — not a membership id) and pseudonym, never a
// user id.
type WireMember struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	Facilitator bool   `json:"facilitator,omitempty"`
	Former      bool   `json:"former_member,omitempty"` // erased their account: no name, "a former member"
}

// WireEvent is an Event as a member may see it.
type WireEvent struct {
	Seq        int64      `json:"seq"`
	Kind       string     `json:"kind"`
	At         time.Time  `json:"at"`
	Actor      int64      `json:"actor"`
	Name       string     `json:"name,omitempty"`
	Target     int64      `json:"target,omitempty"`
	TargetName string     `json:"target_name,omitempty"`
	On         bool       `json:"on,omitempty"`
	Round      string     `json:"round,omitempty"`
	Seconds    int        `json:"seconds,omitempty"`
	Text       string     `json:"text,omitempty"`
	Order      []int64    `json:"order,omitempty"`
	Held       bool       `json:"held,omitempty"`
	Hidden     string     `json:"hidden,omitempty"`        // hidden by a moderator: the reason code (text is empty)
	Former     bool       `json:"former_member,omitempty"` // the actor erased their account: no name, "a former member"
	Message    *WireEvent `json:"message,omitempty"`       // release: the message released
}

// WireRound is the round in a snapshot.
type WireRound struct {
	Kind     string    `json:"kind"`
	Question string    `json:"question,omitempty"`
	Seconds  int       `json:"seconds,omitempty"`
	Order    []int64   `json:"order"`
	Turn     int64     `json:"turn"` // member whose turn it is, 0 when all have had theirs
	TurnAt   time.Time `json:"turn_at"`
	Passed   []int64   `json:"passed"`
}

// WireVoice is one member's share of voice (facilitators only).
type WireVoice struct {
	Member   int64  `json:"member"`
	Name     string `json:"name,omitempty"`
	Former   bool   `json:"former_member,omitempty"` // erased their account: no name, "a former member"
	Messages int    `json:"messages"`
	Chars    int    `json:"chars"`
}

// Snapshot is the room's state as one member may see it.
type Snapshot struct {
	Seq     int64        `json:"seq"`
	Hands   []WireMember `json:"hands"`
	Floor   *WireMember  `json:"floor,omitempty"`
	Round   *WireRound   `json:"round,omitempty"`
	Muted   []int64      `json:"muted"`
	Removed []int64      `json:"removed,omitempty"` // facilitators only
	Locked  bool         `json:"locked"`
	Ended   bool         `json:"ended"`
	Held    []WireEvent  `json:"held,omitempty"`  // facilitators: all held messages; a member: their own
	Voice   []WireVoice  `json:"voice,omitempty"` // facilitators only
}

// WireLimits tells a client the limits it must keep.
type WireLimits struct {
	FrameBytes     int `json:"frame_bytes"`
	TextChars      int `json:"text_chars"`
	KeyChars       int `json:"key_chars"`
	MessageBurst   int `json:"message_burst"`
	MessageWindow  int `json:"message_window_seconds"`
	FramesPerSec   int `json:"frames_per_second"`
	FrameBurst     int `json:"frame_burst"`
	PingEverySecs  int `json:"ping_every_seconds"`
	IdleCloseAfter int `json:"idle_close_seconds,omitempty"`
}

type welcomeFrame struct {
	Type     string       `json:"type"`
	You      WireMember   `json:"you"`
	Room     int64        `json:"room"`
	Closes   *time.Time   `json:"closes,omitempty"`
	Seq      int64        `json:"seq"`
	State    Snapshot     `json:"state"`
	Presence []WireMember `json:"presence"`
	Limits   WireLimits   `json:"limits"`
}

type eventFrame struct {
	Type  string    `json:"type"`
	Event WireEvent `json:"event"`
}

type ackFrame struct {
	Type string `json:"type"`
	Key  string `json:"key"`
	Seq  int64  `json:"seq"`
	Dup  bool   `json:"dup,omitempty"`
}

type presenceFrame struct {
	Type    string       `json:"type"`
	Members []WireMember `json:"members"`
}

type helpFrame struct {
	Type    string `json:"type"`
	Seq     int64  `json:"seq,omitempty"`
	Support any    `json:"support"`
}

// formerFrame tells a room that one of its members erased their account:
// from now on they have no name (docs/rooms-protocol.md).
type formerFrame struct {
	Type   string `json:"type"`
	Member int64  `json:"member"`
}

type alertFrame struct {
	Type    string `json:"type"`
	Seq     int64  `json:"seq,omitempty"`
	Member  int64  `json:"member"`
	Name    string `json:"name,omitempty"`
	Message string `json:"message"`
}

type errorFrame struct {
	Type    string `json:"type"`
	Code    string `json:"code"`
	Message string `json:"message"`
	Key     string `json:"key,omitempty"`
}

func encode(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		// Only our own frame types are encoded; Support is the app's.
		b, _ = json.Marshal(errorFrame{Type: FrameError, Code: "internal", Message: "Something went wrong on our side."})
	}
	return b
}

func errorBytes(err error, key string) []byte {
	e := hearth.AsError(err)
	if e == nil || e.Kind == hearth.Internal {
		e = hearth.Coded(hearth.Unavailable, "room_unavailable", "That could not be saved just now. Your app will try again.")
	}
	return encode(errorFrame{Type: FrameError, Code: e.Code, Message: e.Message, Key: key})
}

var pongBytes = []byte(`{"type":"pong"}`)
