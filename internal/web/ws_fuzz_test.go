package web

import (
	"bytes"
	"context"
	"io"
	"net"
	"strings"
	"testing"

	"github.com/gobwas/ws"
)

// clientFrames encodes frames as a browser sends them (masked).
func clientFrames(fs ...ws.Frame) []byte {
	var b bytes.Buffer
	for _, f := range fs {
		ws.WriteFrame(&b, ws.MaskFrameInPlace(f))
	}
	return b.Bytes()
}

// FuzzWSConnRead feeds arbitrary bytes to the room socket's reader: it
// must never panic, never return a message above the limit, and always
// end (the connection closed with a reason, or EOF).
func FuzzWSConnRead(f *testing.F) {
	f.Add(clientFrames(ws.NewTextFrame([]byte(`{"type":"hello","after":0}`))))
	f.Add(clientFrames(ws.NewTextFrame([]byte(`{"type":"send","key":"k","text":"hi"}`)), ws.NewPingFrame([]byte("p")),
		ws.NewTextFrame([]byte(`{"type":"ping"}`))))
	f.Add(clientFrames(ws.NewBinaryFrame([]byte{1, 2, 3})))
	f.Add(clientFrames(ws.NewTextFrame([]byte(strings.Repeat("a", wsFrameLimit+1)))))
	f.Add(clientFrames(ws.NewTextFrame([]byte{0xff, 0xfe})))
	f.Add(clientFrames(ws.NewCloseFrame(ws.NewCloseFrameBody(ws.StatusNormalClosure, "bye"))))
	f.Add(clientFrames(ws.NewCloseFrame([]byte{0x03})))
	first := ws.NewFrame(ws.OpText, false, []byte(`{"type":`))
	f.Add(clientFrames(first, ws.NewPingFrame(nil), ws.NewFrame(ws.OpContinuation, true, []byte(`"ping"}`))))
	f.Add([]byte{0x81, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff})
	f.Add([]byte{0x81, 0x05, 'h', 'e', 'l', 'l', 'o'}) // unmasked: a protocol error from a client
	f.Fuzz(func(t *testing.T, data []byte) {
		srv, cli := net.Pipe()
		defer srv.Close()
		defer cli.Close()
		go io.Copy(io.Discard, cli) // the server's pongs and close frames
		go func() {
			cli.Write(data)
			cli.Close()
		}()
		c := newWSConn(srv, nil)
		for range 1000 {
			msg, err := c.Read(context.Background())
			if err != nil {
				return
			}
			if len(msg) > wsFrameLimit {
				t.Fatalf("a message of %d bytes got through", len(msg))
			}
		}
	})
}
