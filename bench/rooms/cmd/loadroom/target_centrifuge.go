package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"time"
)

// centrifugeTarget drives cmd/centrifugepeer with Centrifuge's JSON client
// protocol over a WebSocket (what centrifuge-go speaks, without its
// reconnect machinery: the harness counts a drop rather than hiding it).
type centrifugeTarget struct {
	bin, addr, logDir string
	srv               *server
	plan              Plan

	published, pubErrors, disconnects atomic.Int64
}

func (t *centrifugeTarget) Name() string { return "centrifuge" }
func (t *centrifugeTarget) PID() int     { return t.srv.pid() }

func (t *centrifugeTarget) Setup(ctx context.Context, p Plan) error {
	t.plan = p
	s, err := startServer(ctx, t.bin, []string{"--addr", t.addr}, nil, "", filepath.Join(t.logDir, "centrifugepeer.log"), t.addr, 30*time.Second)
	if err != nil {
		return err
	}
	t.srv = s
	return nil
}

// Acknowledged counts publish replies (published; nothing is on disk).
func (t *centrifugeTarget) Acknowledged() int64 { return t.published.Load() }

func (t *centrifugeTarget) Close() error { t.srv.stop(); return nil }

func (t *centrifugeTarget) Counters() map[string]int64 {
	return map[string]int64{"publish_ok": t.published.Load(), "publish_errors": t.pubErrors.Load(), "disconnects": t.disconnects.Load()}
}

// centrifuge protocol frames (JSON, one per line in a WebSocket message).
type cfReply struct {
	ID    uint32 `json:"id"`
	Error *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
	Connect *json.RawMessage `json:"connect"`
	Publish *json.RawMessage `json:"publish"`
	Push    *struct {
		Channel string `json:"channel"`
		Pub     *struct {
			Data struct {
				Text string `json:"text"`
			} `json:"data"`
		} `json:"pub"`
	} `json:"push"`
}

type cfConn struct {
	t       *centrifugeTarget
	ws      *wsConn
	channel string
	nextID  atomic.Uint32
}

func (t *centrifugeTarget) Dial(ctx context.Context, i int, deliver func(string)) (Conn, error) {
	ws, _, err := dialWS(ctx, "ws://"+t.addr+"/connection/websocket", http.Header{"Origin": {"http://" + t.addr}})
	if err != nil {
		return nil, err
	}
	room := strconv.Itoa(t.plan.Room(i))
	c := &cfConn{t: t, ws: ws, channel: "room:" + room}
	c.nextID.Store(1)
	connect, _ := json.Marshal(map[string]any{"id": 1, "connect": map[string]any{
		"data": map[string]string{"user": "member" + strconv.Itoa(i), "room": room}, "name": "loadroom"}})
	if err := ws.write(connect); err != nil {
		ws.close()
		return nil, err
	}
	b, err := ws.readOne(20 * time.Second)
	if err != nil {
		ws.close()
		return nil, fmt.Errorf("connect reply: %w", err)
	}
	var r cfReply
	if err := json.Unmarshal(firstLine(b), &r); err != nil || r.ID != 1 || r.Connect == nil {
		ws.close()
		return nil, fmt.Errorf("connect refused: %s", b)
	}
	ws.readLoop(func(b []byte) {
		for len(b) > 0 {
			var line []byte
			line, b, _ = bytes.Cut(b, []byte{'\n'})
			if len(line) == 0 {
				continue
			}
			if string(line) == "{}" { // ping: answer pong
				_ = ws.write([]byte("{}"))
				continue
			}
			if text, ok := centrifugePubText(line); ok {
				deliver(text)
				continue
			}
			var r cfReply
			if err := json.Unmarshal(line, &r); err != nil {
				continue
			}
			switch {
			case r.Push != nil && r.Push.Pub != nil:
				deliver(r.Push.Pub.Data.Text)
			case r.Error != nil:
				t.pubErrors.Add(1)
			case r.Publish != nil:
				t.published.Add(1)
			}
		}
	}, func(error) { t.disconnects.Add(1) })
	return c, nil
}

func firstLine(b []byte) []byte {
	line, _, _ := bytes.Cut(b, []byte{'\n'})
	return line
}

type cfText struct {
	Text string `json:"text"`
}

type cfPublish struct {
	ID      uint32 `json:"id"`
	Publish struct {
		Channel string `json:"channel"`
		Data    cfText `json:"data"`
	} `json:"publish"`
}

func (c *cfConn) Send(ctx context.Context, id, text string) error {
	var p cfPublish
	p.ID = c.nextID.Add(1)
	p.Publish.Channel = c.channel
	p.Publish.Data.Text = text
	b, err := json.Marshal(p)
	if err != nil {
		return err
	}
	return c.ws.write(b)
}

func (c *cfConn) Close() { c.ws.close() }
