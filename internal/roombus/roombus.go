// Package roombus lets several Hearth processes share live meeting rooms
// through NATS: it implements room.Bell, the doorbell a process rings when
// a room's log has grown, when a member must be disconnected everywhere, and
// to say who is connected to it.
//
// # Why core NATS and not JetStream
//
// The database is the truth: every room event is stored, with its per-room
// sequence number, before anyone is told about it, and a process learns what
// happened by reading the store (room.Store.Since), never from the bus. A
// ring only says "room 42 has reached seq 17: come and read"; presence is
// re-announced every few seconds and expires; an eviction is also an event
// in the room's log or a membership change every process re-checks. So a
// lost message costs only delay: the hub polls the store for the rooms it
// holds as a fallback, and resumes gap-free from the last sequence it
// applied. Persisting rings in JetStream would add a second log to keep
// consistent with the first, and disk writes on the hot path, for nothing
// the database does not already give. Core NATS (at most once, in order per
// publisher) is the right weight.
//
// # Subjects and payloads
//
// Under a configurable prefix (default "hearth.rooms."):
//
//	<prefix>ring.<room>       the room's log reached seq
//	<prefix>evict             close a member's connections (group id, user id)
//	<prefix>presence.<room>   the process id and the members connected to it
//	<prefix>alert.<room>      a refused message read as a crisis: the writer's id in the room (alerts.go)
//
// Payloads are small and binary (see wire.go): the format version, the
// sending process's id, then numbers — and for presence, membership ids,
// a facilitator flag and pseudonyms. Never message text, never anything
// from the vault, never a user id in presence. A Bell ignores what its own
// process published (the connection asks the server not to echo it, and
// the process id is checked as well).
//
// # Connection
//
// New connects once and fails if the server cannot be reached, so a
// misconfigured process refuses to start rather than silently running
// alone. After that the connection reconnects for ever (with a short wait
// and jitter), buffering what is published meanwhile; the handlers log
// process and server ids only. A Listener that also implements
// Reconnected() is told after each reconnection, so it can poll the store
// at once instead of waiting for its next tick. Close drains: what was
// published is flushed and subscriptions finish their callbacks.
package roombus

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/room"
)

// DefaultPrefix is where subjects live unless Config.Prefix says otherwise.
const DefaultPrefix = "hearth.rooms."

// Config says where and how to connect.
type Config struct {
	URL    string // nats://host:4222 (several, comma separated, for a cluster)
	Prefix string // subject prefix ending in "."; "" for DefaultPrefix
	// Process names this process on the bus; "" for a random id. Two
	// processes must never share one.
	Process string
	Logger  *slog.Logger // nil: discard
	// ReconnectWait is the pause between reconnection attempts (default
	// 500 ms, plus jitter up to 250 ms).
	ReconnectWait time.Duration
	// ConnectTimeout bounds the first connection (default 5 s).
	ConnectTimeout time.Duration
	// DrainTimeout bounds Close (default 5 s).
	DrainTimeout time.Duration
}

// Bell is a room.Bell over one NATS connection. Its methods are safe for
// concurrent use.
type Bell struct {
	nc      *nats.Conn
	prefix  string
	process string
	log     *slog.Logger
	drain   time.Duration
	closed  chan struct{}

	mu        sync.Mutex
	listeners map[*listening]struct{}

	sent, received, malformed, publishFailed atomic.Uint64
	droppedBefore                            atomic.Uint64 // by subscriptions that have ended
}

type listening struct {
	l   room.Listener
	sub *nats.Subscription
	// mu is held while the listener is called; stopped, set under it when
	// Listen returns, guarantees no call after that.
	mu      sync.Mutex
	stopped bool
}

var _ room.Bell = (*Bell)(nil)

// Stats counts what a Bell has done since it was made.
type Stats struct {
	Sent          uint64 // messages published
	Received      uint64 // messages from other processes handed to listeners
	Dropped       uint64 // messages the server or the client dropped (slow consumer)
	Malformed     uint64 // payloads that did not decode (ignored)
	PublishFailed uint64 // publishes refused (connection closed, reconnect buffer full)
}

// New connects to NATS. It fails with an Unavailable error when the server
// cannot be reached now.
func New(c Config) (*Bell, error) {
	if c.URL == "" {
		return nil, hearth.Errorf(hearth.Invalid, "no NATS URL")
	}
	if c.Prefix == "" {
		c.Prefix = DefaultPrefix
	}
	if err := checkPrefix(c.Prefix); err != nil {
		return nil, err
	}
	if c.Process == "" {
		var b [8]byte
		_, _ = rand.Read(b[:])
		c.Process = hex.EncodeToString(b[:])
	}
	if len(c.Process) > maxProcessLen {
		return nil, hearth.Errorf(hearth.Invalid, "process id longer than %d bytes", maxProcessLen)
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.ReconnectWait <= 0 {
		c.ReconnectWait = 500 * time.Millisecond
	}
	if c.ConnectTimeout <= 0 {
		c.ConnectTimeout = 5 * time.Second
	}
	if c.DrainTimeout <= 0 {
		c.DrainTimeout = 5 * time.Second
	}
	b := &Bell{
		prefix:    c.Prefix,
		process:   c.Process,
		log:       c.Logger.With("process", c.Process),
		drain:     c.DrainTimeout,
		closed:    make(chan struct{}),
		listeners: map[*listening]struct{}{},
	}
	nc, err := nats.Connect(c.URL,
		nats.Name("hearth "+c.Process),
		nats.NoEcho(),
		nats.MaxReconnects(-1),
		nats.ReconnectWait(c.ReconnectWait),
		nats.ReconnectJitter(250*time.Millisecond, time.Second),
		nats.Timeout(c.ConnectTimeout),
		nats.DrainTimeout(c.DrainTimeout),
		nats.PingInterval(20*time.Second),
		nats.MaxPingsOutstanding(3),
		nats.DisconnectErrHandler(b.disconnected),
		nats.ReconnectHandler(b.reconnected),
		nats.ClosedHandler(func(*nats.Conn) { close(b.closed) }),
		nats.ErrorHandler(b.asyncError),
	)
	if err != nil {
		return nil, hearth.Errorf(hearth.Unavailable, "cannot reach NATS at %s: %v", redact(c.URL), err)
	}
	b.nc = nc
	b.log.Info("room bus connected", "server", nc.ConnectedServerId(), "prefix", c.Prefix)
	return b, nil
}

// checkPrefix accepts dot-separated tokens of letters, digits, '-' and '_',
// ending in a dot.
func checkPrefix(p string) error {
	if !strings.HasSuffix(p, ".") {
		return hearth.Errorf(hearth.Invalid, "NATS subject prefix %q must end with a dot", p)
	}
	for _, tok := range strings.Split(strings.TrimSuffix(p, "."), ".") {
		if tok == "" {
			return hearth.Errorf(hearth.Invalid, "NATS subject prefix %q has an empty token", p)
		}
		for _, r := range tok {
			if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
				return hearth.Errorf(hearth.Invalid, "NATS subject prefix %q may hold only letters, digits, '-', '_' and dots", p)
			}
		}
	}
	return nil
}

// redact drops any user and password from a NATS URL list for messages.
func redact(urls string) string {
	parts := strings.Split(urls, ",")
	for i, u := range parts {
		u = strings.TrimSpace(u)
		if at := strings.LastIndex(u, "@"); at >= 0 {
			scheme := ""
			if s := strings.Index(u, "://"); s >= 0 && s < at {
				scheme = u[:s+3]
			}
			u = scheme + "***@" + u[at+1:]
		}
		parts[i] = u
	}
	return strings.Join(parts, ",")
}

// Process is this process's id on the bus.
func (b *Bell) Process() string { return b.process }

// Stats returns the counters.
func (b *Bell) Stats() Stats {
	dropped := b.droppedBefore.Load()
	b.mu.Lock()
	for reg := range b.listeners {
		if reg.sub != nil {
			if d, err := reg.sub.Dropped(); err == nil {
				dropped += uint64(d)
			}
		}
	}
	b.mu.Unlock()
	return Stats{Sent: b.sent.Load(), Received: b.received.Load(), Dropped: dropped,
		Malformed: b.malformed.Load(), PublishFailed: b.publishFailed.Load()}
}

func (b *Bell) publish(subject string, payload []byte) {
	if err := b.nc.Publish(subject, payload); err != nil {
		// While reconnecting, publishes are buffered; this is a closed
		// connection or a full buffer. The store still has everything and
		// the others poll it.
		if n := b.publishFailed.Add(1); n&(n-1) == 0 { // log the 1st, 2nd, 4th, 8th…
			b.log.Warn("room bus publish failed", "err", err, "failures", n)
		}
		return
	}
	b.sent.Add(1)
}

// Ring tells other processes that room's log has reached seq.
func (b *Bell) Ring(roomID, seq int64) {
	b.publish(b.prefix+"ring."+strconv.FormatInt(roomID, 10), encodeRing(b.process, seq))
}

// Evict tells other processes to close the connections of user in group.
func (b *Bell) Evict(group, user int64) {
	b.publish(b.prefix+"evict", encodeEvict(b.process, group, user))
}

// Presence tells other processes who is connected to room here (all of
// them: an empty list says nobody is left).
func (b *Bell) Presence(roomID int64, members []room.Member) {
	b.publish(b.prefix+"presence."+strconv.FormatInt(roomID, 10), encodePresence(b.process, members))
}

// Listen hands l what other processes publish until ctx ends (it then
// returns nil) or the Bell is closed (it returns an error); l is not called
// after Listen returns. Calls to l come from one goroutine, in the order
// received; a slow listener makes the
// client drop messages rather than grow without bound (counted in
// Stats.Dropped; the hub's polling covers them).
func (b *Bell) Listen(ctx context.Context, l room.Listener) error {
	reg := &listening{l: l}
	sub, err := b.nc.Subscribe(b.prefix+">", func(m *nats.Msg) {
		reg.mu.Lock()
		defer reg.mu.Unlock()
		if !reg.stopped {
			b.dispatch(l, m)
		}
	})
	if err != nil {
		return fmt.Errorf("roombus: subscribe: %w", err)
	}
	if err := sub.SetPendingLimits(65536, 16<<20); err != nil {
		_ = sub.Unsubscribe()
		return fmt.Errorf("roombus: subscribe: %w", err)
	}
	reg.sub = sub
	b.mu.Lock()
	b.listeners[reg] = struct{}{}
	b.mu.Unlock()
	defer func() {
		b.mu.Lock()
		delete(b.listeners, reg)
		if d, err := sub.Dropped(); err == nil {
			b.droppedBefore.Add(uint64(d))
		}
		b.mu.Unlock()
		_ = sub.Unsubscribe()
		reg.mu.Lock()
		reg.stopped = true
		reg.mu.Unlock()
	}()
	// Make sure the server has the subscription before saying we listen,
	// so a ring published right after Listen starts is not missed.
	if err := b.nc.FlushTimeout(b.drain); err != nil && !errors.Is(err, nats.ErrConnectionReconnecting) {
		b.log.Warn("room bus flush after subscribe", "err", err)
	}
	select {
	case <-ctx.Done():
		return nil
	case <-b.closed:
		return errors.New("roombus: the bell is closed")
	}
}

func (b *Bell) dispatch(l room.Listener, m *nats.Msg) {
	rest, ok := strings.CutPrefix(m.Subject, b.prefix)
	if !ok {
		return
	}
	var err error
	switch {
	case strings.HasPrefix(rest, "ring."):
		var roomID int64
		roomID, err = parseRoom(rest[len("ring."):])
		if err == nil {
			var p string
			var seq int64
			p, seq, err = decodeRing(m.Data)
			if err == nil && p != b.process {
				b.received.Add(1)
				l.Rung(roomID, seq)
			}
		}
	case rest == "evict":
		var p string
		var group, user int64
		p, group, user, err = decodeEvict(m.Data)
		if err == nil && p != b.process {
			b.received.Add(1)
			l.Evicted(group, user)
		}
	case strings.HasPrefix(rest, "presence."):
		var roomID int64
		roomID, err = parseRoom(rest[len("presence."):])
		if err == nil {
			var p string
			var members []room.Member
			p, members, err = decodePresence(m.Data)
			if err == nil && p != b.process {
				b.received.Add(1)
				l.Present(p, roomID, members)
			}
		}
	case strings.HasPrefix(rest, "alert."):
		err = b.dispatchAlert(l, rest[len("alert."):], m.Data) // alerts.go
	default:
		err = errBadPayload
	}
	if err != nil {
		if n := b.malformed.Add(1); n&(n-1) == 0 {
			b.log.Warn("room bus: ignored a malformed message", "count", n)
		}
	}
}

func parseRoom(s string) (int64, error) {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, errBadPayload
	}
	return id, nil
}

func (b *Bell) disconnected(nc *nats.Conn, err error) {
	if err != nil {
		b.log.Warn("room bus disconnected: reconnecting", "err", err)
	} else {
		b.log.Info("room bus disconnected")
	}
}

func (b *Bell) reconnected(nc *nats.Conn) {
	b.log.Info("room bus reconnected", "server", nc.ConnectedServerId(), "reconnects", nc.Stats().Reconnects)
	b.mu.Lock()
	var rs []interface{ Reconnected() }
	for reg := range b.listeners {
		if r, ok := reg.l.(interface{ Reconnected() }); ok {
			rs = append(rs, r)
		}
	}
	b.mu.Unlock()
	for _, r := range rs {
		r.Reconnected()
	}
}

func (b *Bell) asyncError(nc *nats.Conn, sub *nats.Subscription, err error) {
	if errors.Is(err, nats.ErrSlowConsumer) {
		b.log.Warn("room bus: listener too slow, messages dropped (the store is polled)", "dropped", b.Stats().Dropped)
		return
	}
	b.log.Warn("room bus error", "err", err)
}

// Close drains the connection: what was published is flushed, listeners
// finish what they are handling, then the connection closes. It waits at
// most the drain timeout.
func (b *Bell) Close() error {
	if b.nc.IsClosed() {
		return nil
	}
	if err := b.nc.Drain(); err != nil && !errors.Is(err, nats.ErrConnectionClosed) {
		b.nc.Close()
		return err
	}
	select {
	case <-b.closed:
	case <-time.After(b.drain + time.Second):
		b.nc.Close()
	}
	return nil
}
