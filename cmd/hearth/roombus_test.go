package main

import (
	"net"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestServeNATSFlags(t *testing.T) {
	t.Run("serve --help says what NATS is for", func(t *testing.T) {
		code, _, e := runCmd(t, nil, "", "serve", "--help")
		if code != 0 || !strings.Contains(e, "HEARTH_NATS_URL") || !strings.Contains(e, "several Hearth processes") || !strings.Contains(e, "HEARTH_ROOM_MESSAGE_LIMIT") {
			t.Fatalf("%d %q", code, e)
		}
	})
	t.Run("a NATS URL that is set but unreachable stops serve with exit 1 before it listens", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		port := ln.Addr().(*net.TCPAddr).Port
		ln.Close() // nothing listens there now
		env := map[string]string{"HEARTH_DATA": t.TempDir(), "HEARTH_ADDR": "127.0.0.1:0",
			"HEARTH_NATS_URL": "nats://hearth:s3cret@127.0.0.1:" + strconv.Itoa(port)}
		start := time.Now()
		code, out, e := runCmd(t, env, "", "serve")
		if code != 1 || !strings.Contains(e, "cannot reach NATS at nats://***@127.0.0.1:"+strconv.Itoa(port)) || strings.Contains(e+out, "s3cret") {
			t.Fatalf("exit %d, stderr %q", code, e)
		}
		if strings.Contains(out, "Hearth is running") {
			t.Fatalf("it listened anyway: %q", out)
		}
		if d := time.Since(start); d > 20*time.Second {
			t.Errorf("took %v to give up", d)
		}
	})
	t.Run("bad room flags exit 2 with a message", func(t *testing.T) {
		for _, args := range [][]string{
			{"serve", "--nats-url", "127.0.0.1:4222"},
			{"serve", "--room-message-limit", "lots"},
			{"serve", "--room-message-limit", "5/1ms"},
			{"serve", "--room-message-limit", "0/10s"},
		} {
			if code, _, e := runCmd(t, map[string]string{"HEARTH_DATA": t.TempDir()}, "", args...); code != 2 || e == "" {
				t.Errorf("%v exited %d: %q", args, code, e)
			}
		}
	})
	t.Run("a bad NATS subject prefix is refused", func(t *testing.T) {
		env := map[string]string{"HEARTH_DATA": t.TempDir(), "HEARTH_ADDR": "127.0.0.1:0",
			"HEARTH_NATS_URL": "nats://127.0.0.1:1", "HEARTH_NATS_PREFIX": "hearth.*."}
		if code, _, e := runCmd(t, env, "", "serve"); code != 2 || !strings.Contains(e, "prefix") {
			t.Fatalf("exit %d: %q", code, e)
		}
	})
}

func TestParseMessageLimit(t *testing.T) {
	l, err := parseMessageLimit("5/10s")
	if err != nil || l.Burst != 5 || l.Window != 10*time.Second {
		t.Fatalf("%+v %v", l, err)
	}
	if l, err := parseMessageLimit(" 300/1m "); err != nil || l.Burst != 300 || l.Window != time.Minute {
		t.Fatalf("%+v %v", l, err)
	}
}
