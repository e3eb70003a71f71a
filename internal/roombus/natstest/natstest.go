// Package natstest gives tests a real NATS server: the shared one the
// machine runs (HEARTH_TEST_NATS_URL, default nats://127.0.0.1:4222), or a
// private nats-server on a loopback port of the test's own, which the test
// may stop and start again. Tests fail when NATS is missing, unless
// HEARTH_TEST_NO_NATS=1 says on purpose that there is none (then they skip).
package natstest

import (
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

func skipIfNone(t testing.TB) {
	t.Helper()
	if os.Getenv("HEARTH_TEST_NO_NATS") == "1" {
		t.Skip("HEARTH_TEST_NO_NATS=1: no NATS server for this run")
	}
}

// URL returns the shared NATS server's URL, failing the test when nothing
// answers there.
func URL(t testing.TB) string {
	t.Helper()
	skipIfNone(t)
	u := os.Getenv("HEARTH_TEST_NATS_URL")
	if u == "" {
		u = "nats://127.0.0.1:4222"
	}
	host := strings.TrimPrefix(u, "nats://")
	if i := strings.LastIndex(host, "@"); i >= 0 {
		host = host[i+1:]
	}
	c, err := net.DialTimeout("tcp", host, 3*time.Second)
	if err != nil {
		t.Fatalf("NATS is not reachable at %s (%v): start nats-server, set HEARTH_TEST_NATS_URL, or set HEARTH_TEST_NO_NATS=1 to skip on purpose", u, err)
	}
	c.Close()
	return u
}

// Server is a private nats-server on a loopback port.
type Server struct {
	t    testing.TB
	bin  string
	port int
	dir  string
	cmd  *exec.Cmd
}

// New starts a private nats-server; it is killed when the test ends.
func New(t testing.TB) *Server {
	t.Helper()
	skipIfNone(t)
	s := &Server{t: t, bin: binary(t), port: FreePort(t), dir: t.TempDir()}
	s.Start()
	t.Cleanup(s.Stop)
	return s
}

func binary(t testing.TB) string {
	t.Helper()
	if p, err := exec.LookPath("nats-server"); err == nil {
		return p
	}
	for _, p := range []string{"/usr/sbin/nats-server", "/usr/local/bin/nats-server"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	t.Fatal("nats-server is not installed (looked in PATH, /usr/sbin, /usr/local/bin): install it or set HEARTH_TEST_NO_NATS=1 to skip on purpose")
	return ""
}

// FreePort returns a loopback TCP port nothing listens on now.
func FreePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// URL is the server's address; it stays the same across Stop and Start.
func (s *Server) URL() string { return "nats://127.0.0.1:" + strconv.Itoa(s.port) }

// Start starts the server (again) and waits until it listens.
func (s *Server) Start() {
	s.t.Helper()
	s.cmd = exec.Command(s.bin, "-a", "127.0.0.1", "-p", strconv.Itoa(s.port), "-l", filepath.Join(s.dir, "nats.log"))
	if err := s.cmd.Start(); err != nil {
		s.t.Fatalf("start nats-server: %v", err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", "127.0.0.1:"+strconv.Itoa(s.port), 200*time.Millisecond)
		if err == nil {
			c.Close()
			return
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("nats-server did not listen on port %d: %v", s.port, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Stop kills the server (a crash, not a graceful shutdown).
func (s *Server) Stop() {
	if s.cmd == nil || s.cmd.Process == nil {
		return
	}
	_ = s.cmd.Process.Kill()
	_ = s.cmd.Wait()
	s.cmd = nil
}
