package roombus

import (
	"encoding/binary"
	"strconv"

	"github.com/hearth-org/hearth/internal/room"
)

// Crisis alerts for refused messages (room.AlertBell): a member muted in a
// room or in the group writes words that read as a crisis; nothing is
// stored, so no event carries the alert, and the process the writer is
// connected to rings
//
//	<prefix>alert.<room>   member (uvarint): the writer's id in the room
//
// after the usual header (format version, process id), so that every
// process alerts its facilitators in the room. Only the two numbers
// travel: never the text, never a pseudonym or a user id (each process
// names the writer from what it knows of the room). A lost alert is not
// polled back — the writer still got help, the facilitators on the
// writer's process were alerted, and the safety follow-up is in the
// database.

var _ room.AlertBell = (*Bell)(nil)

// Alert tells other processes that member of room wrote a refused message
// that read as a crisis.
func (b *Bell) Alert(roomID, member int64) {
	if roomID <= 0 || member <= 0 {
		return
	}
	b.publish(b.prefix+"alert."+strconv.FormatInt(roomID, 10), encodeAlert(b.process, member))
}

// dispatchAlert hands an alert of another process to l, when l takes
// alerts (room.AlertListener); rest is the subject after "alert.".
func (b *Bell) dispatchAlert(l room.Listener, rest string, data []byte) error {
	roomID, err := parseRoom(rest)
	if err != nil {
		return err
	}
	p, member, err := decodeAlert(data)
	if err != nil || p == b.process {
		return err
	}
	if al, ok := l.(room.AlertListener); ok {
		b.received.Add(1)
		al.Alerted(roomID, member)
	}
	return nil
}

func encodeAlert(process string, member int64) []byte {
	b := appendHeader(make([]byte, 0, 2+len(process)+binary.MaxVarintLen64), process)
	return binary.AppendUvarint(b, uint64(member))
}

func decodeAlert(b []byte) (process string, member int64, err error) {
	r, process := readHeader(b)
	member = r.id()
	if err := r.end(); err != nil {
		return "", 0, err
	}
	if member <= 0 {
		return "", 0, errBadPayload
	}
	return process, member, nil
}
