package roombus

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/nats-io/nats.go"
)

// Group boards' live "new posts" hint across processes, on the Bell's
// connection: when a post becomes visible, the process that stored it rings
//
//	<board prefix>ring.<group>   thread (uvarint), post (uvarint)
//
// after the same header as the rooms' payloads (format version, process
// id). Only numbers travel: never a title, a word of a post, a pseudonym or
// a user id. The board prefix is a sibling of the rooms' prefix, not under
// it (the rooms' listener takes everything under theirs): "hearth.rooms."
// gives "hearth.boards.", any other prefix "p." gives "p-boards.". A lost
// ring costs a reader only the hint: the page itself is always complete.

// BoardListener is told of posts rung by other processes.
type BoardListener interface {
	Rung(group, thread, post int64)
}

// BoardPrefix is the subject prefix of board rings beside a rooms prefix.
func BoardPrefix(roomPrefix string) string {
	if base, ok := strings.CutSuffix(roomPrefix, "rooms."); ok && (base == "" || strings.HasSuffix(base, ".")) {
		return base + "boards."
	}
	return strings.TrimSuffix(roomPrefix, ".") + "-boards."
}

// RingBoard tells other processes that a post became visible in a
// group's thread.
func (b *Bell) RingBoard(group, thread, post int64) {
	if group <= 0 || thread <= 0 || post <= 0 {
		return
	}
	b.publish(BoardPrefix(b.prefix)+"ring."+strconv.FormatInt(group, 10), encodeBoardRing(b.process, thread, post))
}

// ListenBoards hands l the board rings of other processes until ctx ends
// (it then returns nil) or the Bell is closed (an error); l is not called
// after it returns. Calls come from one goroutine, in the order received.
func (b *Bell) ListenBoards(ctx context.Context, l BoardListener) error {
	prefix := BoardPrefix(b.prefix) + "ring."
	reg := &listening{}
	sub, err := b.nc.Subscribe(prefix+"*", func(m *nats.Msg) {
		reg.mu.Lock()
		defer reg.mu.Unlock()
		if reg.stopped {
			return
		}
		group, err := parseRoom(strings.TrimPrefix(m.Subject, prefix))
		var p string
		var thread, post int64
		if err == nil {
			p, thread, post, err = decodeBoardRing(m.Data)
		}
		if err != nil {
			if n := b.malformed.Add(1); n&(n-1) == 0 {
				b.log.Warn("board bus: ignored a malformed message", "count", n)
			}
			return
		}
		if p != b.process {
			b.received.Add(1)
			l.Rung(group, thread, post)
		}
	})
	if err != nil {
		return fmt.Errorf("roombus: subscribe boards: %w", err)
	}
	reg.sub = sub
	defer func() {
		_ = sub.Unsubscribe()
		reg.mu.Lock()
		reg.stopped = true
		reg.mu.Unlock()
	}()
	// The server has the subscription before this says it listens.
	if err := b.nc.FlushTimeout(b.drain); err != nil && !errors.Is(err, nats.ErrConnectionReconnecting) {
		b.log.Warn("board bus flush after subscribe", "err", err)
	}
	select {
	case <-ctx.Done():
		return nil
	case <-b.closed:
		return errors.New("roombus: the bell is closed")
	}
}

func encodeBoardRing(process string, thread, post int64) []byte {
	b := appendHeader(make([]byte, 0, 2+len(process)+2*binary.MaxVarintLen64), process)
	b = binary.AppendUvarint(b, uint64(thread))
	return binary.AppendUvarint(b, uint64(post))
}

func decodeBoardRing(b []byte) (process string, thread, post int64, err error) {
	r, process := readHeader(b)
	thread = r.id()
	post = r.id()
	if err := r.end(); err != nil {
		return "", 0, 0, err
	}
	if thread <= 0 || post <= 0 {
		return "", 0, 0, errBadPayload
	}
	return process, thread, post, nil
}
