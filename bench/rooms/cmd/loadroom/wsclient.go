package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// wsConn is a client WebSocket with one reader goroutine and writes under
// a lock (gorilla allows one writer at a time).
type wsConn struct {
	c    *websocket.Conn
	wmu  sync.Mutex
	done chan struct{}
	once sync.Once
}

var dialer = &websocket.Dialer{
	NetDialContext:   (&net.Dialer{Timeout: 10 * time.Second}).DialContext,
	HandshakeTimeout: 20 * time.Second,
	ReadBufferSize:   4096,
	WriteBufferSize:  1024,
}

// dialWS connects to url with the given headers; onMessage gets each
// message the server sends (in the reader goroutine) until the connection
// ends; onClose is told why it ended.
func dialWS(ctx context.Context, url string, h http.Header) (*wsConn, *http.Response, error) {
	c, resp, err := dialer.DialContext(ctx, url, h)
	if err != nil {
		if resp != nil {
			return nil, resp, fmt.Errorf("%w (HTTP %d)", err, resp.StatusCode)
		}
		return nil, resp, err
	}
	c.SetReadLimit(4 << 20)
	return &wsConn{c: c, done: make(chan struct{})}, resp, nil
}

// readLoop calls onMessage for every message until the connection ends,
// then onEnd with the reason (a *websocket.CloseError when the server
// closed it with a code).
func (w *wsConn) readLoop(onMessage func([]byte), onEnd func(error)) {
	go func() {
		defer w.once.Do(func() { close(w.done) })
		for {
			_, b, err := w.c.ReadMessage()
			if err != nil {
				if onEnd != nil {
					onEnd(err)
				}
				return
			}
			onMessage(b)
		}
	}()
}

// readOne reads the next message with a deadline (before the read loop
// starts: the handshake of the room protocol).
func (w *wsConn) readOne(d time.Duration) ([]byte, error) {
	_ = w.c.SetReadDeadline(time.Now().Add(d))
	defer w.c.SetReadDeadline(time.Time{})
	_, b, err := w.c.ReadMessage()
	return b, err
}

func (w *wsConn) write(b []byte) error {
	w.wmu.Lock()
	defer w.wmu.Unlock()
	select {
	case <-w.done:
		return errors.New("connection closed")
	default:
	}
	_ = w.c.SetWriteDeadline(time.Now().Add(10 * time.Second))
	return w.c.WriteMessage(websocket.TextMessage, b)
}

func (w *wsConn) close() {
	w.wmu.Lock()
	_ = w.c.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, "bye"), time.Now().Add(time.Second))
	w.wmu.Unlock()
	_ = w.c.Close()
}
