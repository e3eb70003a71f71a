package roombus

import (
	"encoding/binary"
	"errors"
	"unicode/utf8"

	"github.com/hearth-org/hearth/internal/room"
)

// The wire format: every payload starts with the format version and the
// sending process's id; then, by subject,
//
//	ring      seq (uvarint)                       — the room is in the subject
//	evict     group (uvarint), user (uvarint)
//	presence  count (uvarint), then per member:
//	          membership id (uvarint), flags (1 byte: 1 = facilitator),
//	          pseudonym (uvarint length, UTF-8 bytes) — the room is in the subject
//
// Nothing else travels: no user ids in presence, no text anyone wrote.
const (
	wireVersion = 1

	maxProcessLen   = 64
	maxPresentCount = 10_000
	maxPseudonymLen = 256
)

var errBadPayload = errors.New("roombus: malformed payload")

func appendHeader(b []byte, process string) []byte {
	b = append(b, wireVersion)
	b = binary.AppendUvarint(b, uint64(len(process)))
	return append(b, process...)
}

func encodeRing(process string, seq int64) []byte {
	b := appendHeader(make([]byte, 0, 2+len(process)+binary.MaxVarintLen64), process)
	return binary.AppendUvarint(b, uint64(seq))
}

func encodeEvict(process string, group, user int64) []byte {
	b := appendHeader(make([]byte, 0, 2+len(process)+2*binary.MaxVarintLen64), process)
	b = binary.AppendUvarint(b, uint64(group))
	return binary.AppendUvarint(b, uint64(user))
}

// encodePresence writes the members' membership ids, facilitator flags and
// pseudonyms; UserID is left out on purpose (other members never see it,
// and other processes do not need it). Pseudonyms longer than the limit
// are cut at a rune boundary rather than refused.
func encodePresence(process string, members []room.Member) []byte {
	n := 2 + len(process) + binary.MaxVarintLen64
	for _, m := range members {
		n += binary.MaxVarintLen64 + 1 + binary.MaxVarintLen64 + min(len(m.Pseudonym), maxPseudonymLen)
	}
	b := appendHeader(make([]byte, 0, n), process)
	count := min(len(members), maxPresentCount)
	b = binary.AppendUvarint(b, uint64(count))
	for _, m := range members[:count] {
		b = binary.AppendUvarint(b, uint64(m.ID))
		var flags byte
		if m.Facilitator {
			flags |= 1
		}
		b = append(b, flags)
		p := m.Pseudonym
		if len(p) > maxPseudonymLen {
			p = p[:maxPseudonymLen]
			for len(p) > 0 && !utf8.ValidString(p) {
				p = p[:len(p)-1]
			}
		}
		b = binary.AppendUvarint(b, uint64(len(p)))
		b = append(b, p...)
	}
	return b
}

// reader decodes a payload; any error sticks and every later read returns
// zero, so decoders check once at the end.
type reader struct {
	b   []byte
	err error
}

func (r *reader) uvarint() uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.b)
	if n <= 0 || n > 1 && r.b[n-1] == 0 { // short, too long, or not the shortest form
		r.err = errBadPayload
		return 0
	}
	r.b = r.b[n:]
	return v
}

// id reads a uvarint that must fit a positive-or-zero int64.
func (r *reader) id() int64 {
	v := r.uvarint()
	if v > 1<<63-1 {
		r.err = errBadPayload
		return 0
	}
	return int64(v)
}

func (r *reader) str(limit int) string {
	n := r.uvarint()
	if r.err != nil {
		return ""
	}
	if n > uint64(limit) || n > uint64(len(r.b)) {
		r.err = errBadPayload
		return ""
	}
	s := string(r.b[:n])
	r.b = r.b[n:]
	if !utf8.ValidString(s) {
		r.err = errBadPayload
		return ""
	}
	return s
}

func (r *reader) byte() byte {
	if r.err != nil {
		return 0
	}
	if len(r.b) == 0 {
		r.err = errBadPayload
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

// end reports the first error, or an error when bytes are left over.
func (r *reader) end() error {
	if r.err == nil && len(r.b) != 0 {
		r.err = errBadPayload
	}
	return r.err
}

func readHeader(b []byte) (*reader, string) {
	r := &reader{b: b}
	if r.byte() != wireVersion {
		r.err = errBadPayload
		return r, ""
	}
	return r, r.str(maxProcessLen)
}

func decodeRing(b []byte) (process string, seq int64, err error) {
	r, process := readHeader(b)
	seq = r.id()
	return process, seq, r.end()
}

func decodeEvict(b []byte) (process string, group, user int64, err error) {
	r, process := readHeader(b)
	group = r.id()
	user = r.id()
	return process, group, user, r.end()
}

func decodePresence(b []byte) (process string, members []room.Member, err error) {
	r, process := readHeader(b)
	n := r.uvarint()
	if r.err == nil && n > maxPresentCount {
		r.err = errBadPayload
	}
	if r.err != nil {
		return "", nil, r.err
	}
	// Each member takes at least three bytes: never allocate more than the
	// payload can hold.
	members = make([]room.Member, 0, min(int(n), len(r.b)/3))
	for i := uint64(0); i < n && r.err == nil; i++ {
		var m room.Member
		m.ID = r.id()
		flags := r.byte()
		if flags&^1 != 0 {
			r.err = errBadPayload
		}
		m.Facilitator = flags&1 != 0
		m.Pseudonym = r.str(maxPseudonymLen)
		members = append(members, m)
	}
	if err := r.end(); err != nil {
		return "", nil, err
	}
	return process, members, nil
}
