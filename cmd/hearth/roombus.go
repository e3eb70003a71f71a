package main

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/hearth-org/hearth/internal/room"
	"github.com/hearth-org/hearth/internal/roombus"
)

// newProcessID names this process in room presence and on the room bus.
func newProcessID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// newBell gives the room hub its Bell: without --nats-url the local one
// (every room lives in this process); with it, roombus over NATS, so that
// several processes on the same PostgreSQL share rooms. It fails (and serve
// exits 1) when NATS is set but cannot be reached now: a process that
// silently ran alone would split every room in two. The returned function
// drains the connection; call it after the hub is closed.
func newBell(c Config, process string, log *slog.Logger) (room.Bell, func(), error) {
	if c.NATSURL == "" {
		return room.LocalBell{}, func() {}, nil
	}
	b, err := roombus.New(roombus.Config{URL: c.NATSURL, Prefix: c.NATSPrefix, Process: process, Logger: log})
	if err != nil {
		return nil, nil, err
	}
	return b, func() {
		if err := b.Close(); err != nil {
			log.Warn("room bus close", "err", err)
		}
	}, nil
}

// messageLimit is how many messages a member may send in a room in a
// window: "5/10s" is a burst of five, refilled over ten seconds.
type messageLimit struct {
	Burst  int
	Window time.Duration
}

func parseMessageLimit(s string) (messageLimit, error) {
	n, w, ok := strings.Cut(strings.TrimSpace(s), "/")
	burst, err := strconv.Atoi(n)
	if !ok || err != nil || burst < 1 || burst > 10_000 {
		return messageLimit{}, fmt.Errorf("%q is not a limit like 5/10s (1 to 10000 messages per a duration)", s)
	}
	window, err := time.ParseDuration(w)
	if err != nil || window < time.Second || window > time.Hour {
		return messageLimit{}, fmt.Errorf("%q is not a limit like 5/10s (a window from 1s to 1h)", s)
	}
	return messageLimit{Burst: burst, Window: window}, nil
}
