package main

import (
	"crypto/rand"
	"encoding/hex"
	"log/slog"

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
