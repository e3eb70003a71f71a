package e2e

import (
	"bufio"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// wsClient is a small RFC 6455 client for tests that speak the room
// protocol without a browser: text frames only, masked as a client must,
// answering pings, reassembling fragments. It depends on no WebSocket
// library, so it also checks the server keeps to the RFC.
type wsClient struct {
	conn net.Conn
	r    *bufio.Reader
	wmu  sync.Mutex
}

// closeFrameError is the close frame the server sent.
type closeFrameError struct {
	Code   int
	Reason string
}

func (e *closeFrameError) Error() string {
	return fmt.Sprintf("closed by server: %d %q", e.Code, e.Reason)
}

// dialWS opens a WebSocket to rawURL (ws://host/path?query) with the given
// extra headers. A refused upgrade returns the HTTP status in the error.
func dialWS(rawURL string, header http.Header) (*wsClient, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, err
	}
	conn, err := net.DialTimeout("tcp", u.Host, 5*time.Second)
	if err != nil {
		return nil, err
	}
	var k [16]byte
	_, _ = rand.Read(k[:])
	key := base64.StdEncoding.EncodeToString(k[:])
	req := &http.Request{Method: "GET", URL: u, Host: u.Host, Header: http.Header{}}
	for name, vs := range header {
		req.Header[name] = vs
	}
	req.Header.Set("Upgrade", "websocket")
	req.Header.Set("Connection", "Upgrade")
	req.Header.Set("Sec-WebSocket-Key", key)
	req.Header.Set("Sec-WebSocket-Version", "13")
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	if err := req.Write(conn); err != nil {
		conn.Close()
		return nil, err
	}
	br := bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, req)
	if err != nil {
		conn.Close()
		return nil, err
	}
	if resp.StatusCode != http.StatusSwitchingProtocols {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		conn.Close()
		return nil, fmt.Errorf("upgrade refused: HTTP %d: %s", resp.StatusCode, strings.TrimSpace(string(body)))
	}
	sum := sha1.Sum([]byte(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"))
	if resp.Header.Get("Sec-WebSocket-Accept") != base64.StdEncoding.EncodeToString(sum[:]) {
		conn.Close()
		return nil, errors.New("bad Sec-WebSocket-Accept")
	}
	_ = conn.SetDeadline(time.Time{})
	return &wsClient{conn: conn, r: br}, nil
}

func (c *wsClient) writeFrame(op byte, payload []byte) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	hdr := make([]byte, 0, 14)
	hdr = append(hdr, 0x80|op)
	switch n := len(payload); {
	case n < 126:
		hdr = append(hdr, 0x80|byte(n))
	case n < 1<<16:
		hdr = append(hdr, 0x80|126)
		hdr = binary.BigEndian.AppendUint16(hdr, uint16(n))
	default:
		hdr = append(hdr, 0x80|127)
		hdr = binary.BigEndian.AppendUint64(hdr, uint64(n))
	}
	var mask [4]byte
	_, _ = rand.Read(mask[:])
	hdr = append(hdr, mask[:]...)
	masked := make([]byte, len(payload))
	for i, b := range payload {
		masked[i] = b ^ mask[i%4]
	}
	_ = c.conn.SetWriteDeadline(time.Now().Add(10 * time.Second))
	_, err := c.conn.Write(append(hdr, masked...))
	return err
}

// WriteText sends one text frame.
func (c *wsClient) WriteText(p []byte) error { return c.writeFrame(0x1, p) }

// ReadText returns the next text message; a close frame from the server
// is returned as *closeFrameError.
func (c *wsClient) ReadText(timeout time.Duration) ([]byte, error) {
	_ = c.conn.SetReadDeadline(time.Now().Add(timeout))
	var msg []byte
	for {
		var h [2]byte
		if _, err := io.ReadFull(c.r, h[:]); err != nil {
			return nil, err
		}
		fin, op := h[0]&0x80 != 0, h[0]&0x0f
		if h[1]&0x80 != 0 {
			return nil, errors.New("server sent a masked frame")
		}
		n := uint64(h[1] & 0x7f)
		switch n {
		case 126:
			var b [2]byte
			if _, err := io.ReadFull(c.r, b[:]); err != nil {
				return nil, err
			}
			n = uint64(binary.BigEndian.Uint16(b[:]))
		case 127:
			var b [8]byte
			if _, err := io.ReadFull(c.r, b[:]); err != nil {
				return nil, err
			}
			n = binary.BigEndian.Uint64(b[:])
		}
		if n > 16<<20 {
			return nil, fmt.Errorf("frame of %d bytes", n)
		}
		p := make([]byte, n)
		if _, err := io.ReadFull(c.r, p); err != nil {
			return nil, err
		}
		switch op {
		case 0x8: // close
			e := &closeFrameError{Code: 1005}
			if len(p) >= 2 {
				e.Code, e.Reason = int(binary.BigEndian.Uint16(p)), string(p[2:])
			}
			_ = c.writeFrame(0x8, p[:min(len(p), 2)])
			return nil, e
		case 0x9: // ping
			if err := c.writeFrame(0xA, p); err != nil {
				return nil, err
			}
			continue
		case 0xA: // pong
			continue
		case 0x1, 0x0:
			msg = append(msg, p...)
			if fin {
				return msg, nil
			}
		default:
			return nil, fmt.Errorf("unexpected opcode %d", op)
		}
	}
}

// Drop ends the TCP connection without a close frame: a network that went
// away.
func (c *wsClient) Drop() { _ = c.conn.Close() }

// Close says goodbye properly.
func (c *wsClient) Close() {
	_ = c.writeFrame(0x8, []byte{0x03, 0xe8})
	_ = c.conn.Close()
}
