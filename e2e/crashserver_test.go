package e2e

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// crashServer is one `hearth serve` that a test kills with SIGKILL and
// starts again on the same address, data folder and database, as many
// times as it likes. Its output goes to a log file (a few dozen lives
// would drown the test's own log); the end of it is shown when something
// fails.
type crashServer struct {
	t    *testing.T
	bin  string
	args []string // everything after "serve", --addr included
	env  []string
	base string
	log  string // the log file, appended by every life

	mu    sync.Mutex
	cmd   *exec.Cmd
	done  chan struct{}
	err   error // how the current life ended, once done is closed
	lives int
	ends  map[int]string // how each life ended

	ackMu   sync.Mutex
	ackedIn map[int]int // life → writes acknowledged during it
}

// life says which life is current and how the one before it ended.
func (s *crashServer) life() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	end := s.ends[s.lives-1]
	if end == "" {
		end = "-"
	}
	return fmt.Sprintf("life %d, after %s", s.lives, end)
}

func (s *crashServer) ended(how string) {
	s.mu.Lock()
	if s.ends == nil {
		s.ends = map[int]string{}
	}
	s.ends[s.lives] = how
	s.mu.Unlock()
}

// acked records that a client was told a write was stored, during the
// current life.
func (s *crashServer) acked() {
	s.mu.Lock()
	life := s.lives
	s.mu.Unlock()
	s.ackMu.Lock()
	if s.ackedIn == nil {
		s.ackedIn = map[int]int{}
	}
	s.ackedIn[life]++
	s.ackMu.Unlock()
}

// firstAck waits until a write has been acknowledged in the current life,
// for at most max, and says whether one was: the kill that follows then
// lands among writes, however long clients take to come back (on a slow
// or busy machine a life of a few hundred milliseconds after ready could
// end before any client had reconnected).
func (s *crashServer) firstAck(max time.Duration) bool {
	deadline := time.Now().Add(max)
	for {
		s.mu.Lock()
		life := s.lives
		s.mu.Unlock()
		s.ackMu.Lock()
		n := s.ackedIn[life]
		s.ackMu.Unlock()
		if n > 0 {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// livesWithAcks says in how many lives some write was acknowledged.
func (s *crashServer) livesWithAcks() int {
	s.ackMu.Lock()
	defer s.ackMu.Unlock()
	return len(s.ackedIn)
}

func newCrashServer(t *testing.T, bin string, args, env []string) *crashServer {
	t.Helper()
	addr := fmt.Sprintf("127.0.0.1:%d", stablePort(t))
	s := &crashServer{t: t, bin: bin, env: env, base: "http://" + addr,
		args: append([]string{"serve", "--addr", addr}, args...),
		log:  filepath.Join(t.TempDir(), "hearth.log")}
	t.Cleanup(func() {
		s.mu.Lock()
		cmd, done := s.cmd, s.done
		s.mu.Unlock()
		if cmd != nil {
			_ = cmd.Process.Signal(syscall.SIGKILL)
			<-done
		}
		if t.Failed() {
			s.showLog(60)
		}
	})
	return s
}

// stablePort finds a free loopback port below Linux's usual ephemeral
// range (32768–60999): the server is restarted on it 30 times, and while
// it is down no outgoing connection of this or another process may be
// given it.
func stablePort(t *testing.T) int {
	t.Helper()
	for range 100 {
		port := 20000 + rand.IntN(12000)
		l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port))
		if err == nil {
			l.Close()
			return port
		}
	}
	t.Fatal("no free port between 20000 and 32000")
	return 0
}

// start starts a new life and waits until GET /readyz answers 200; it
// returns how long that took.
func (s *crashServer) start() time.Duration {
	s.t.Helper()
	began := time.Now()
	s.launch()
	s.waitReady()
	return time.Since(began)
}

// launch starts a new life without waiting for it to be ready.
func (s *crashServer) launch() {
	s.t.Helper()
	f, err := os.OpenFile(s.log, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		s.t.Fatal(err)
	}
	s.mu.Lock()
	s.lives++
	fmt.Fprintf(f, "---- life %d\n", s.lives)
	cmd := exec.Command(s.bin, s.args...)
	cmd.Env = append(hearthEnv(), s.env...)
	cmd.Stdout, cmd.Stderr = f, f
	if err := cmd.Start(); err != nil {
		s.mu.Unlock()
		f.Close()
		s.t.Fatalf("start hearth: %v", err)
	}
	done := make(chan struct{})
	s.cmd, s.done = cmd, done
	s.mu.Unlock()
	go func() {
		err := cmd.Wait()
		f.Close()
		s.mu.Lock()
		s.err = err
		s.mu.Unlock()
		close(done)
	}()
}

// waitReady waits until GET /readyz answers 200.
func (s *crashServer) waitReady() {
	s.t.Helper()
	s.mu.Lock()
	done := s.done
	s.mu.Unlock()
	client := &http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(readyTimeout)
	for {
		select {
		case <-done:
			s.t.Fatalf("hearth (life %d) exited before it was ready: %v", s.lives, describeExit(s.err))
		default:
		}
		resp, err := client.Get(s.base + "/readyz")
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("hearth (life %d) not ready within %s", s.lives, readyTimeout)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// kill ends the current life with SIGKILL: no shutdown, no flush, nothing
// the process could still do.
func (s *crashServer) kill() {
	s.t.Helper()
	s.mu.Lock()
	cmd, done := s.cmd, s.done
	s.mu.Unlock()
	select {
	case <-done:
		s.t.Fatalf("hearth (life %d) had exited by itself before the kill: %v", s.lives, describeExit(s.err))
	default:
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		s.t.Fatalf("SIGKILL: %v", err)
	}
	<-done
	s.ended("SIGKILL")
	s.mu.Lock()
	s.cmd = nil
	s.mu.Unlock()
}

// interruptShutdown sends SIGTERM and, after d, SIGKILL: an orchestrator
// whose patience ran out while the server was shutting down. It says
// whether the SIGKILL came before the server had exited by itself.
func (s *crashServer) interruptShutdown(d time.Duration) bool {
	s.t.Helper()
	s.mu.Lock()
	cmd, done := s.cmd, s.done
	s.mu.Unlock()
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		s.t.Fatalf("SIGTERM: %v", err)
	}
	killed := false
	select {
	case <-done:
	case <-time.After(d):
		killed = cmd.Process.Signal(syscall.SIGKILL) == nil
		<-done
	}
	if killed {
		s.ended("SIGKILL during a SIGTERM shutdown")
	} else {
		s.ended("a clean stop (SIGTERM)")
	}
	s.mu.Lock()
	s.cmd = nil
	err := s.err
	s.mu.Unlock()
	if err != nil && !killed {
		s.t.Fatalf("hearth, stopping on SIGTERM, exited with %v", describeExit(err))
	}
	return killed
}

// stop ends the current life with SIGTERM and requires a clean exit.
func (s *crashServer) stop() {
	s.t.Helper()
	s.mu.Lock()
	cmd, done := s.cmd, s.done
	s.mu.Unlock()
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		s.t.Fatalf("SIGTERM: %v", err)
	}
	select {
	case <-done:
	case <-time.After(shutdownTimeout):
		s.t.Fatalf("hearth did not exit within %s of SIGTERM", shutdownTimeout)
	}
	s.ended("a clean stop (SIGTERM)")
	s.mu.Lock()
	s.cmd = nil
	err := s.err
	s.mu.Unlock()
	if err != nil {
		s.t.Fatalf("hearth did not shut down cleanly: %v", describeExit(err))
	}
}

// showLog logs the last n lines the server wrote.
func (s *crashServer) showLog(n int) {
	raw, err := os.ReadFile(s.log)
	if err != nil {
		return
	}
	lines := bytes.Split(bytes.TrimRight(raw, "\n"), []byte("\n"))
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	for _, l := range lines {
		s.t.Log("hearth| " + strings.TrimRight(string(l), "\r"))
	}
}
