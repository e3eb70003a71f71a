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

// wsConn adapts a server-side WebSocket to room.Conn. Read is called from
// one goroutine, Write from one other, Close from any: writes (frames,
// pongs, the close frame) are serialized by mu.
type wsConn struct {
	nc net.Conn
	rd wsutil.Reader

	mu      sync.Mutex // guards writes to nc and closing
	closing bool       // a close frame was sent or echoed: write nothing more
	dropped bool       // nc is closed
}

// newWSConn wraps an upgraded connection. pending is what the HTTP server
// had already read past the handshake (usually nothing).
func newWSConn(nc net.Conn, pending []byte) *wsConn {
	c := &wsConn{nc: nc}
	var src io.Reader = bufio.NewReaderSize(nc, wsReadBuffer)
	if len(pending) > 0 {
		src = io.MultiReader(bytes.NewReader(pending), src)
	}
	c.rd = wsutil.Reader{Source: src, State: ws.StateServerSide, CheckUTF8: true,
		MaxFrameSize: wsFrameLimit, MaxMessageSize: wsFrameLimit,
		OnIntermediate: func(h ws.Header, r io.Reader) error { return c.control(h, r) }}
	return c
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
			c.Close(room.CloseBadFrame, "Only text frames are accepted.")
			c.drop()
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
	c.nc.SetWriteDeadline(time.Now().Add(wsWriteTimeout))
	_, err := c.nc.Write(w.Bytes())
	return err
}

// Write sends frames in order, all in one write to the network.
func (c *wsConn) Write(ctx context.Context, frames [][]byte) error {
	if len(frames) == 0 {
		return nil
	}
	buf := writeBuffers.Get().(*bytes.Buffer)
	buf.Reset()
	defer func() {
		if buf.Cap() <= wsPooledBuffer {
			writeBuffers.Put(buf)
		}
	}()
	for _, f := range frames {
		ws.WriteHeader(buf, ws.Header{Fin: true, OpCode: ws.OpText, Length: int64(len(f))})
		buf.Write(f)
	}
	deadline := time.Now().Add(wsWriteTimeout)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closing {
		return errSocketClosed
	}
	c.nc.SetWriteDeadline(deadline)
	if _, err := c.nc.Write(buf.Bytes()); err != nil {
		c.closing = true
		c.nc.Close()
		c.dropped = true
		return err
	}
	return nil
}

// Close sends a close frame with the code and a reason a person can read,
// then drops the connection once the client answers (or after a second).
// It never waits for a write in flight (a slow client's batch can take the
// whole write timeout): that write is made to fail at once, which drops the
// connection, and the close frame goes out only if it still can.
func (c *wsConn) Close(code int, reason string) {
	if !c.mu.TryLock() {
		c.nc.SetWriteDeadline(time.Now())
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
	c.nc.SetWriteDeadline(time.Now().Add(wsCloseGrace))
	c.nc.Write(w.Bytes())
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
	c.closing = true
	if !c.dropped {
		c.dropped = true
		c.nc.Close()
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
