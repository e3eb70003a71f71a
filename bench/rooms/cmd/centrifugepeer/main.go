// Command centrifugepeer is the comparison peer for Hearth's live rooms: a
// minimal group-chat room server on github.com/centrifugal/centrifuge, the
// library at the core of Centrifugo, set up the way its documentation
// recommends for many mostly idle WebSocket connections.
//
//   - One channel per room ("room:ID"), in the in-memory broker, with a
//     bounded history stream (100 publications, 5 minutes) so each
//     publication gets an offset and a client that reconnects can recover
//     what it missed, as Centrifugo's chat examples do.
//   - A member authenticates in its connect command ({"user":"17","room":"3"};
//     a real deployment would put the same claims in a signed token) and is
//     subscribed to its room on the server side, with positioning and
//     recovery.
//   - Members publish into their own room only; the text is relayed as it
//     came ({"text":"…"}); nothing is stored on disk.
//   - WebSocket: a pool of write buffers shared by all connections, a 1 KiB
//     read buffer, command processing off the read loop (the library's
//     advice for large pools of idle connections), JSON protocol.
//
// It listens on loopback only and stops on SIGINT or SIGTERM.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/centrifugal/centrifuge"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8100", "address to listen on (loopback)")
	historySize := flag.Int("history", 100, "publications kept per room for recovery (0: no history)")
	flag.Parse()
	if err := run(*addr, *historySize); err != nil {
		log.Fatal(err)
	}
}

// connectData is what a member says in its connect command.
type connectData struct {
	User string `json:"user"`
	Room string `json:"room"`
}

// message is the body members publish.
type message struct {
	Text string `json:"text"`
}

func run(addr string, historySize int) error {
	node, err := centrifuge.New(centrifuge.Config{
		LogLevel:   centrifuge.LogLevelError,
		LogHandler: func(e centrifuge.LogEntry) { log.Printf("centrifuge: %s %v", e.Message, e.Fields) },
	})
	if err != nil {
		return err
	}
	history := centrifuge.PublishOptions{}
	if historySize > 0 {
		history = centrifuge.PublishOptions{HistorySize: historySize, HistoryTTL: 5 * time.Minute}
	}

	node.OnConnecting(func(ctx context.Context, e centrifuge.ConnectEvent) (centrifuge.ConnectReply, error) {
		var d connectData
		if err := json.Unmarshal(e.Data, &d); err != nil || d.User == "" || d.Room == "" || strings.ContainsAny(d.Room, ":#") {
			return centrifuge.ConnectReply{}, centrifuge.DisconnectInvalidToken
		}
		return centrifuge.ConnectReply{
			Credentials: &centrifuge.Credentials{UserID: d.User},
			Subscriptions: map[string]centrifuge.SubscribeOptions{
				"room:" + d.Room: {EnablePositioning: historySize > 0, EnableRecovery: historySize > 0},
			},
		}, nil
	})

	node.OnConnect(func(client *centrifuge.Client) {
		client.OnPublish(func(e centrifuge.PublishEvent, cb centrifuge.PublishCallback) {
			// A member speaks in its own room only, and only text.
			if !client.IsSubscribed(e.Channel) {
				cb(centrifuge.PublishReply{}, centrifuge.ErrorPermissionDenied)
				return
			}
			var m message
			if err := json.Unmarshal(e.Data, &m); err != nil || m.Text == "" || len(m.Text) > 4000*4 {
				cb(centrifuge.PublishReply{}, centrifuge.ErrorBadRequest)
				return
			}
			cb(centrifuge.PublishReply{Options: history}, nil)
		})
	})

	if err := node.Run(); err != nil {
		return err
	}

	mux := http.NewServeMux()
	mux.Handle("/connection/websocket", centrifuge.NewWebsocketHandler(node, centrifuge.WebsocketConfig{
		ReadBufferSize:             1024,
		UseWriteBufferPool:         true,
		MessageSizeLimit:           64 << 10,
		ProcessCommandsOffReadLoop: true,
		CheckOrigin:                func(r *http.Request) bool { return true },
	}))
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	if h, _, err := net.SplitHostPort(ln.Addr().String()); err != nil || !net.ParseIP(h).IsLoopback() {
		ln.Close()
		return fmt.Errorf("centrifugepeer listens on loopback only, not %s", addr)
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(os.Stdout, "centrifugepeer listening on http://%s\n", ln.Addr())

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = node.Shutdown(sctx)
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
