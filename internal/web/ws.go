package web

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
	"unicode/utf8"

	"github.com/gobwas/ws"
	"github.com/gobwas/ws/wsutil"

	"github.com/hearth-org/hearth/internal/room"
)

// The room's WebSocket: gobwas/ws over the hijacked net.Conn (chosen by
// measurement, bench/wsmem: the lowest idle memory of the maintained
// libraries, and frames can be batched into one write). The upgrade handler
// returns as soon as the connection is handed to the hub, so nothing of
// net/http's per-request state stays reachable from an idle member.

// Room socket limits.
const (
	// wsFrameLimit bounds one client message (all its fragments): the
	// protocol's largest frame, a 4,000-character message in JSON, fits.
	wsFrameLimit = 16 << 10
	// wsWriteTimeout bounds one batch written to a client; a client that
	// cannot take it in that time is gone or too slow.
	wsWriteTimeout = 10 * time.Second
	// wsReadBuffer is the read buffer an idle connection holds.
	wsReadBuffer = 512
	// wsCloseGrace is how long a closing connection waits for the
	// client's close frame before the TCP connection is dropped.
	wsCloseGrace = time.Second
	// wsPooledBuffer is the largest write buffer kept for reuse.
	wsPooledBuffer = 64 << 10
)

// errSocketClosed is returned by Write after Close.
var errSocketClosed = errors.New("websocket closed")

// writeBuffers hold batches of frames while they are written; an idle
// connection holds none.
var writeBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// readBuffers hold what was read from a socket and not yet taken; an idle
// connection holds none (its buffer goes back once it is empty).
var readBuffers = sync.Pool{New: func() any { return bufio.NewReaderSize(nil, wsReadBuffer) }}

// wsConn adapts a server-side WebSocket to room.Conn, room.TryWriter and
// room.IdleConn. Read (and WaitRead, Buffered) are called from one
// goroutine at a time, writes from one other, Close from any: writes
// (frames, pongs, the close frame) are serialized by mu.
type wsConn struct {
	nc  net.Conn
	raw syscall.RawConn // nil when nc is not a socket (tests' pipes)
	fd  int             // raw's descriptor, for the poller
	rd  wsutil.Reader

	// The reader's: bytes the HTTP server had read past the handshake,
	// then a pooled buffer held only while bytes are in it.
	pending []byte
	br      *bufio.Reader

	mu       sync.Mutex  // guards writes to nc, closing, and the poller's state
	closing  bool        // a close frame was sent or echoed: write nothing more
	dropped  bool        // nc is closed
	deadline bool        // a write deadline is set on nc
	kept     []byte      // what TryWrite could not write yet
	blocking atomic.Bool // a write that waits for the socket is under way (mu held)
	pollID   uint32      // this connection's number in the poller (0: none yet)
}

// newWSConn wraps an upgraded connection. pending is what the HTTP server
// had already read past the handshake (usually nothing).
func newWSConn(nc net.Conn, pending []byte) *wsConn {
	c := &wsConn{nc: nc, pending: pending, fd: -1}
	if sc, ok := nc.(syscall.Conn); ok {
		if raw, err := sc.SyscallConn(); err == nil && raw.Control(func(fd uintptr) { c.fd = int(fd) }) == nil {
			c.raw = raw
		}
	}
	c.rd = wsutil.Reader{Source: wsSource{c}, State: ws.StateServerSide, CheckUTF8: true,
		MaxFrameSize: wsFrameLimit, MaxMessageSize: wsFrameLimit,
		OnIntermediate: func(h ws.Header, r io.Reader) error { return c.control(h, r) }}
	return c
}

// wsSource is what the frame reader reads from: the bytes read past the
// handshake, then the socket through a pooled buffer.
type wsSource struct{ c *wsConn }

func (s wsSource) Read(p []byte) (int, error) {
	c := s.c
	if len(c.pending) > 0 {
		n := copy(p, c.pending)
		c.pending = c.pending[n:]
		if len(c.pending) == 0 {
			c.pending = nil
		}
		return n, nil
	}
	if c.br == nil {
		c.br = readBuffers.Get().(*bufio.Reader)
		c.br.Reset(c.nc)
	}
	return c.br.Read(p)
}

// Buffered reports whether bytes already read from the socket wait to be
// read (room.IdleConn).
func (c *wsConn) Buffered() bool {
	return len(c.pending) > 0 || c.br != nil && c.br.Buffered() > 0
}

// WaitRead arranges for ready to be called on another goroutine when
// the socket has something to read or the connection was dropped
// (room.IdleConn); no goroutine waits meanwhile, and the read buffer goes
// back to the pool. False when it cannot (no poller on this system, not a
// socket, already dropped): the caller reads as usual.
func (c *wsConn) WaitRead(ready func()) bool {
	if c.raw == nil || c.Buffered() {
		return false
	}
	p := sharedPoller()
	if p == nil {
		return false
	}
	if c.br != nil {
		c.br.Reset(nil)
		readBuffers.Put(c.br)
		c.br = nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.dropped {
		return false
	}
	return p.wait(c, ready) == nil
}

// closeError is what Read returns when the connection ended, with the close
// code the client or the server gave.
type closeError struct {
	Code   int
	Reason string
}

func (e *closeError) Error() string { return fmt.Sprintf("websocket closed: %d %s", e.Code, e.Reason) }

// Read returns the next text message. Control frames are answered here;
// a binary message, a message above the limit or a protocol violation
// closes the connection with the matching code.
func (c *wsConn) Read(ctx context.Context) ([]byte, error) {
	if ctx.Done() != nil {
		stop := context.AfterFunc(ctx, func() { c.nc.SetReadDeadline(time.Now()) })
		defer stop()
	}
	for {
		h, err := c.rd.NextFrame()
		if err != nil {
			return nil, c.readFailed(err)
		}
		if h.OpCode.IsControl() {
			if err := c.control(h, &c.rd); err != nil {
				return nil, c.readFailed(err)
			}
			continue
		}
		if h.OpCode != ws.OpText {
			// Closed as the other refusals are: the close frame, then a
			// grace for the client's answer before the socket goes (closed
			// at once, the client could find it reset before reading why).
			c.Close(room.CloseBadFrame, "Only text frames are accepted.")
			c.drain()
			return nil, &closeError{Code: room.CloseBadFrame, Reason: "binary frame"}
		}
		msg := make([]byte, 0, min(h.Length, wsFrameLimit)+1)
		msg, err = readAllInto(&c.rd, msg)
		if err != nil {
			return nil, c.readFailed(err)
		}
		return msg, nil
	}
}

// readAllInto reads r to its end into b.
func readAllInto(r io.Reader, b []byte) ([]byte, error) {
	for {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return b, err
		}
	}
}

// readFailed closes the connection with the code the failure calls for and
// returns the error Read gives.
func (c *wsConn) readFailed(err error) error {
	var ce wsutil.ClosedError
	var pe ws.ProtocolError
	switch {
	case errors.As(err, &ce):
		c.drop()
		return &closeError{Code: int(ce.Code), Reason: ce.Reason}
	case errors.Is(err, wsutil.ErrFrameTooLarge), errors.Is(err, wsutil.ErrMessageTooLarge):
		c.Close(room.CloseTooBig, fmt.Sprintf("A frame may be at most %d bytes.", wsFrameLimit))
		c.drain()
		return &closeError{Code: room.CloseTooBig, Reason: "too big"}
	case errors.Is(err, wsutil.ErrInvalidUTF8):
		c.Close(int(ws.StatusInvalidFramePayloadData), "Text frames must be valid UTF-8.")
		c.drain()
		return &closeError{Code: int(ws.StatusInvalidFramePayloadData), Reason: "invalid UTF-8"}
	case errors.As(err, &pe):
		c.Close(int(ws.StatusProtocolError), "Not a valid WebSocket frame.")
		c.drain()
		return &closeError{Code: int(ws.StatusProtocolError), Reason: pe.Error()}
	}
	c.drop()
	return err
}

// control answers a control frame read from r: a pong for a ping, the
// echo of a close frame.
func (c *wsConn) control(h ws.Header, r io.Reader) error {
	var buf [ws.MaxControlFramePayloadSize]byte
	p := buf[:h.Length]
	if _, err := io.ReadFull(r, p); err != nil {
		return err
	}
	switch h.OpCode {
	case ws.OpPing:
		return c.writeControl(ws.OpPong, p, false)
	case ws.OpPong:
		return nil
	case ws.OpClose:
		if len(p) == 0 {
			c.writeControl(ws.OpClose, nil, true)
			return wsutil.ClosedError{Code: ws.StatusNoStatusRcvd}
		}
		code, reason := ws.ParseCloseFrameData(p)
		if err := ws.CheckCloseFrameData(code, reason); err != nil {
			return ws.ProtocolError(err.Error())
		}
		c.writeControl(ws.OpClose, ws.NewCloseFrameBody(code, ""), true)
		return wsutil.ClosedError{Code: code, Reason: reason}
	}
	return ws.ProtocolError("unknown control frame")
}

// writeControl writes one control frame unless the connection is closing;
// closing marks it so.
func (c *wsConn) writeControl(op ws.OpCode, p []byte, closing bool) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closing {
		return nil
	}
	c.closing = closing
	var b [ws.MaxHeaderSize + ws.MaxControlFramePayloadSize]byte
	w := bytes.NewBuffer(b[:0])
	ws.WriteHeader(w, ws.Header{Fin: true, OpCode: op, Length: int64(len(p))})
	w.Write(p)
	if len(c.kept) > 0 {
		// A frame TryWrite cut must end first: the control frame
		// follows it, with the writer that is sending the rest.
		c.kept = append(c.kept, w.Bytes()...)
		return nil
	}
	return c.blockingWrite(time.Now().Add(wsWriteTimeout), w.Bytes())
}

// encodeFrames puts frames, each with its header, in a pooled buffer.
func encodeFrames(frames [][]byte) *bytes.Buffer {
	buf := writeBuffers.Get().(*bytes.Buffer)
	buf.Reset()
	for _, f := range frames {
		ws.WriteHeader(buf, ws.Header{Fin: true, OpCode: ws.OpText, Length: int64(len(f))})
		buf.Write(f)
	}
	return buf
}

func putBuffer(buf *bytes.Buffer) {
	if buf.Cap() <= wsPooledBuffer {
		writeBuffers.Put(buf)
	}
}

// TryWrite sends frames in order, in one write to the network that never
// waits: what the socket does not take at once is kept for the next Write
// (room.TryWriter); while another write holds the socket it writes nothing
// (room.ErrWouldBlock). No deadline is set: nothing can block.
func (c *wsConn) TryWrite(frames [][]byte) (pending bool, err error) {
	if !c.mu.TryLock() {
		// Another write (a pong, the close frame, a write that waits)
		// holds the socket: never wait for it here.
		return false, room.ErrWouldBlock
	}
	defer c.mu.Unlock()
	if c.closing {
		return false, errSocketClosed
	}
	buf := encodeFrames(frames)
	defer putBuffer(buf)
	if len(c.kept) > 0 || c.raw == nil {
		c.kept = append(c.kept, buf.Bytes()...)
		return true, nil
	}
	if c.deadline {
		// A blocking write set it; a raw write would fail once it passed.
		c.nc.SetWriteDeadline(time.Time{})
		c.deadline = false
	}
	b := buf.Bytes()
	var werr error
	err = c.raw.Write(func(fd uintptr) bool {
		for len(b) > 0 {
			n, err := syscall.Write(int(fd), b)
			if n > 0 {
				b = b[n:]
			}
			switch {
			case err == syscall.EINTR:
				continue
			case err == syscall.EAGAIN:
				return true
			case err != nil:
				werr = err
				return true
			case n <= 0:
				werr = io.ErrUnexpectedEOF
				return true
			}
		}
		return true
	})
	if err == nil {
		err = werr
	}
	if err != nil {
		c.dropLocked()
		return false, err
	}
	if len(b) > 0 {
		c.kept = append(c.kept, b...)
		return true, nil
	}
	return false, nil
}

// Write sends what TryWrite kept, then frames in order, all in one write to
// the network, waiting for the socket up to the write timeout (or ctx's
// deadline, if sooner).
func (c *wsConn) Write(ctx context.Context, frames [][]byte) error {
	buf := encodeFrames(frames)
	defer putBuffer(buf)
	deadline := time.Now().Add(wsWriteTimeout)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closing {
		return errSocketClosed
	}
	if len(c.kept) == 0 && buf.Len() == 0 {
		return nil
	}
	err := c.blockingWrite(deadline, buf.Bytes())
	if err != nil {
		c.dropLocked()
		return err
	}
	return nil
}

// blockingWrite writes what TryWrite kept, then b, waiting for the socket
// until deadline (c.mu held). Close cuts it short.
func (c *wsConn) blockingWrite(deadline time.Time, b []byte) error {
	c.nc.SetWriteDeadline(deadline)
	c.deadline = true
	c.blocking.Store(true)
	defer c.blocking.Store(false)
	var err error
	if len(c.kept) > 0 {
		bufs := net.Buffers{c.kept, b}
		_, err = bufs.WriteTo(c.nc)
		c.kept = nil
	} else {
		_, err = c.nc.Write(b)
	}
	return err
}

// Close sends a close frame with the code and a reason a person can read,
// then drops the connection once the client answers (or after a second).
// It never waits for a write in flight (a slow client's batch can take the
// whole write timeout): that write is made to fail at once, which drops the
// connection, and the close frame goes out only if it still can.
func (c *wsConn) Close(code int, reason string) {
	if !c.mu.TryLock() {
		if c.blocking.Load() {
			c.nc.SetWriteDeadline(time.Now())
		}
		go func() {
			c.mu.Lock()
			c.sendClose(code, reason)
		}()
		return
	}
	c.sendClose(code, reason)
}

// sendClose writes the close frame; c.mu is held and released here.
func (c *wsConn) sendClose(code int, reason string) {
	defer c.mu.Unlock()
	if c.closing {
		return
	}
	c.closing = true
	var b [ws.MaxHeaderSize + ws.MaxControlFramePayloadSize]byte
	w := bytes.NewBuffer(b[:0])
	body := ws.NewCloseFrameBody(ws.StatusCode(code), trimReason(reason))
	ws.WriteHeader(w, ws.Header{Fin: true, OpCode: ws.OpClose, Length: int64(len(body))})
	w.Write(body)
	// The rest of a frame TryWrite cut goes first, if it can.
	c.blockingWrite(time.Now().Add(wsCloseGrace), w.Bytes())
	// The reader sees the client's close frame (or the deadline) and
	// drops the connection; the timer drops it if nobody reads.
	c.nc.SetReadDeadline(time.Now().Add(wsCloseGrace))
	time.AfterFunc(2*wsCloseGrace, c.drop)
}

// drain reads and discards what the client still sends (the rest of a
// refused frame) until it answers the close frame or the grace ends, then
// drops the connection: closing a socket with unread data would reset it,
// and the client would never read the close frame and its reason.
func (c *wsConn) drain() {
	go func() {
		c.nc.SetReadDeadline(time.Now().Add(wsCloseGrace))
		io.Copy(io.Discard, io.LimitReader(c.nc, 4*wsFrameLimit))
		c.drop()
	}()
}

// drop closes the network connection.
func (c *wsConn) drop() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.dropLocked()
}

// dropLocked closes the network connection (c.mu held). A reader waiting
// in the poller is called back, to find the connection gone.
func (c *wsConn) dropLocked() {
	c.closing = true
	if c.dropped {
		return
	}
	c.dropped = true
	c.kept = nil
	var ready func()
	if c.pollID != 0 {
		ready = sharedPoller().forget(c)
	}
	c.nc.Close()
	if ready != nil {
		go ready()
	}
}

// trimReason keeps a close reason within the 123 bytes a close frame
// allows, cut at a character boundary.
func trimReason(s string) string {
	const max = ws.MaxControlFramePayloadSize - 2
	if len(s) <= max {
		return s
	}
	s = s[:max]
	for len(s) > 0 && !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s
}

// ---- the upgrade ----

// originAllowed reports whether a WebSocket upgrade comes from a page of
// this site: the Origin header names the host the request was sent to, or
// the configured public address. Clients that are not browsers send no
// Origin and are let through (they have no ambient cookie to abuse: they
// sign in with a token or a cookie they were given).
func (s *Server) originAllowed(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true
	}
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" {
		return false
	}
	if strings.EqualFold(u.Host, r.Host) {
		return true
	}
	for _, o := range s.origins {
		if strings.EqualFold(origin, o) {
			return true
		}
	}
	return false
}

// markSwitching records 101 in the status writers between the handler and
// net/http, for the request log and metrics, before the connection is
// hijacked.
func markSwitching(w http.ResponseWriter) {
	for w != nil {
		if sw, ok := w.(*statusWriter); ok && sw.status == 0 {
			sw.status = http.StatusSwitchingProtocols
		}
		u, ok := w.(interface{ Unwrap() http.ResponseWriter })
		if !ok {
			return
		}
		w = u.Unwrap()
	}
}

// isUpgrade reports whether a request asks for a WebSocket.
func isUpgrade(r *http.Request) bool {
	if !strings.EqualFold(r.Header.Get("Upgrade"), "websocket") {
		return false
	}
	for _, v := range r.Header.Values("Connection") {
		for _, t := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(t), "upgrade") {
				return true
			}
		}
	}
	return false
}

// upgrade switches the request to a WebSocket and returns the connection.
func upgrade(w http.ResponseWriter, r *http.Request) (*wsConn, error) {
	markSwitching(w)
	u := ws.HTTPUpgrader{Timeout: 10 * time.Second}
	nc, rw, _, err := u.Upgrade(r, w)
	if err != nil {
		return nil, err
	}
	var pending []byte
	if rw != nil && rw.Reader.Buffered() > 0 {
		p, _ := rw.Reader.Peek(rw.Reader.Buffered())
		pending = append([]byte(nil), p...)
	}
	return newWSConn(nc, pending), nil
}
