package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"
	"time"

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

// TestWSConnCloseDoesNotWaitForASlowClient: a client that reads nothing
// holds a write in flight; Close must return at once and end that write.
func TestWSConnCloseDoesNotWaitForASlowClient(t *testing.T) {
	srv, cli := net.Pipe() // a pipe: a write waits for the other side to read
	defer cli.Close()
	c := newWSConn(srv, nil)
	wrote := make(chan error, 1)
	go func() { wrote <- c.Write(context.Background(), [][]byte{[]byte(`{"type":"pong"}`)}) }()
	time.Sleep(50 * time.Millisecond) // the write is in flight, the lock held
	start := time.Now()
	c.Close(4003, "removed")
	if took := time.Since(start); took > 50*time.Millisecond {
		t.Fatalf("Close waited %v", took)
	}
	select {
	case err := <-wrote:
		if err == nil {
			t.Fatal("the stuck write succeeded")
		}
	case <-time.After(time.Second):
		t.Fatal("the stuck write did not end within a second")
	}
	if err := c.Write(context.Background(), [][]byte{[]byte("x")}); err == nil {
		t.Fatal("a write after Close succeeded")
	}
}

// TestWSConnWriteBatchesFrames: several frames go out in one write to the
// network, each a complete text frame.
func TestWSConnWriteBatchesFrames(t *testing.T) {
	srv, cli := net.Pipe()
	defer cli.Close()
	rec := &countingConn{Conn: srv}
	c := newWSConn(rec, nil)
	got := make(chan []byte, 1)
	go func() {
		b, _ := io.ReadAll(cli)
		got <- b
	}()
	if err := c.Write(context.Background(), [][]byte{[]byte("one"), []byte("two"), []byte(strings.Repeat("3", 300))}); err != nil {
		t.Fatal(err)
	}
	srv.Close()
	b := <-got
	if rec.writes != 1 {
		t.Fatalf("%d writes for 3 frames", rec.writes)
	}
	r := bytes.NewReader(b)
	for _, want := range []string{"one", "two", strings.Repeat("3", 300)} {
		f, err := ws.ReadFrame(r)
		if err != nil || f.Header.OpCode != ws.OpText || !f.Header.Fin || f.Header.Masked || string(f.Payload) != want {
			t.Fatalf("frame %v %v", f.Header, err)
		}
	}
}

type countingConn struct {
	net.Conn
	writes int
}

func (c *countingConn) Write(b []byte) (int, error) { c.writes++; return c.Conn.Write(b) }

// tcpPair is a connected pair of loopback TCP sockets: the server's side
// (as the upgrade hands it over) and the client's.
func tcpPair(t *testing.T) (srv, cli net.Conn) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	accepted := make(chan net.Conn, 1)
	go func() {
		c, _ := ln.Accept()
		accepted <- c
	}()
	cli, err = net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	srv = <-accepted
	if srv == nil {
		t.Fatal("accept failed")
	}
	t.Cleanup(func() { srv.Close(); cli.Close() })
	return srv, cli
}

// TestWSConnTryWriteKeepsWhatTheSocketCannotTake: a write that never waits
// writes what the socket takes and keeps the rest (a frame may be cut);
// once the client reads again, Write sends what was kept first, then the
// new frames, and the client gets every frame whole and in order.
func TestWSConnTryWriteKeepsWhatTheSocketCannotTake(t *testing.T) {
	srv, cli := tcpPair(t)
	c := newWSConn(srv, nil)
	pad := strings.Repeat("x", 1000)
	frame := func(n int) []byte { return []byte(fmt.Sprintf(`{"n":%d,"pad":%q}`, n, pad)) }
	n := 0
	for ; ; n++ {
		if n > 1_000_000 {
			t.Fatal("the socket never filled")
		}
		pending, err := c.TryWrite([][]byte{frame(n)})
		if err != nil {
			t.Fatal(err)
		}
		if pending {
			break
		}
	}
	// Full: more frames are kept behind the cut one, and a pong waits for
	// the cut frame to end.
	for range 5 {
		n++
		if pending, err := c.TryWrite([][]byte{frame(n)}); err != nil || !pending {
			t.Fatalf("after the socket filled: pending %v, %v", pending, err)
		}
	}
	if err := c.writeControl(ws.OpPong, []byte("p"), false); err != nil {
		t.Fatal(err)
	}
	got := make(chan error, 1)
	go func() {
		next := 0
		pong := false
		for {
			f, err := ws.ReadFrame(cli)
			if err != nil {
				got <- fmt.Errorf("after %d frames: %w", next, err)
				return
			}
			if f.Header.OpCode == ws.OpPong {
				if next != n+1 {
					got <- fmt.Errorf("the pong came after %d frames, not after the %d kept", next, n+1)
					return
				}
				pong = true
				continue
			}
			if want := frame(next); f.Header.OpCode != ws.OpText || !bytes.Equal(f.Payload, want) {
				got <- fmt.Errorf("frame %d: %v %.40q", next, f.Header, f.Payload)
				return
			}
			next++
			if next == n+2 {
				if !pong {
					got <- errors.New("no pong")
					return
				}
				got <- nil
				return
			}
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := c.Write(ctx, nil); err != nil { // what was kept
		t.Fatal(err)
	}
	if err := c.Write(ctx, [][]byte{frame(n + 1)}); err != nil {
		t.Fatal(err)
	}
	if err := <-got; err != nil {
		t.Fatal(err)
	}
	// The deadline that write set does not fail a later write that never
	// waits.
	if pending, err := c.TryWrite([][]byte{frame(0)}); err != nil || pending {
		t.Fatalf("a write that never waits after a write that waited: pending %v, %v", pending, err)
	}
}
