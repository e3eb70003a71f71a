package e2e

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

const (
	readyTimeout    = 30 * time.Second
	browserTimeout  = 3 * time.Minute
	shutdownTimeout = 15 * time.Second
)

// TestNewcomerFindsAndJoinsAGroup walks a newcomer's path in a phone-sized
// browser: home page → search "grief" near Austin → filter to online → an
// open group's page → sign up (recovery code) → join as "River" → switch to
// Spanish → /help. Steps a–i of newcomer.mjs.
func TestNewcomerFindsAndJoinsAGroup(t *testing.T) {
	env := requireBrowserEnv(t)
	bin := buildHearth(t, env)
	base := startHearth(t, bin)
	runBrowser(t, env, base, "newcomer")
}

// TestPagesHaveNoAccessibilityViolationsAndStayUnder100KB runs axe-core
// (WCAG 2.0/2.1/2.2 levels A and AA) on the home page, the results page for
// "grief" near Austin and a group page, at phone and desktop widths, and
// checks each page's HTML is under 100 KB. Step j of newcomer.mjs.
func TestPagesHaveNoAccessibilityViolationsAndStayUnder100KB(t *testing.T) {
	env := requireBrowserEnv(t)
	bin := buildHearth(t, env)
	base := startHearth(t, bin)
	runBrowser(t, env, base, "pages")
}

// browserEnv is what the browser tests need, resolved to absolute paths.
type browserEnv struct {
	root     string // module root (..)
	e2eDir   string // this package's directory
	node     string
	chromium string
}

// requireBrowserEnv skips (or, with HEARTH_E2E=1, fails) when Chromium, Node
// or the e2e/node_modules packages are missing.
func requireBrowserEnv(t *testing.T) browserEnv {
	t.Helper()
	strict := os.Getenv("HEARTH_E2E") == "1"
	if testing.Short() && !strict {
		t.Skip("browser test skipped in -short mode (set HEARTH_E2E=1 to force it)")
	}
	var env browserEnv
	var missing []string

	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	env.e2eDir = dir
	env.root = filepath.Dir(dir)
	if _, err := os.Stat(filepath.Join(env.root, "go.mod")); err != nil {
		t.Fatalf("module root not found next to %s: %v", dir, err)
	}

	env.chromium = os.Getenv("HEARTH_CHROMIUM")
	if env.chromium == "" {
		env.chromium = "/usr/bin/chromium"
	}
	if fi, err := os.Stat(env.chromium); err != nil || fi.IsDir() || fi.Mode()&0o111 == 0 {
		missing = append(missing, "Chromium at "+env.chromium)
	}
	if env.node, err = exec.LookPath("node"); err != nil {
		missing = append(missing, "node on PATH")
	}
	for _, f := range []string{"playwright-core/package.json", "axe-core/axe.min.js"} {
		if _, err := os.Stat(filepath.Join(dir, "node_modules", f)); err != nil {
			missing = append(missing, "e2e/node_modules/"+f)
		}
	}
	if len(missing) > 0 {
		msg := "browser test prerequisites missing: " + strings.Join(missing, ", ") +
			"; run ./scripts/test.sh, which installs them and runs every test"
		if strict {
			t.Fatal(msg + " (HEARTH_E2E=1, so this is a failure, not a skip)")
		}
		t.Skip(msg)
	}
	return env
}

var build struct {
	once sync.Once
	dir  string
	bin  string
	out  []byte
	err  error
}

// buildHearth builds ./cmd/hearth once per test binary.
func buildHearth(t *testing.T, env browserEnv) string {
	t.Helper()
	build.once.Do(func() {
		build.dir, build.err = os.MkdirTemp("", "hearth-e2e-bin-")
		if build.err != nil {
			return
		}
		build.bin = filepath.Join(build.dir, "hearth")
		cmd := exec.Command("go", "build", "-o", build.bin, "./cmd/hearth")
		cmd.Dir = env.root
		build.out, build.err = cmd.CombinedOutput()
	})
	if build.err != nil {
		t.Fatalf("go build ./cmd/hearth: %v\n%s", build.err, build.out)
	}
	return build.bin
}

func TestMain(m *testing.M) {
	code := m.Run()
	if build.dir != "" {
		os.RemoveAll(build.dir)
	}
	os.Exit(code)
}

// freePort asks the kernel for a free loopback port and releases it.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	return port
}

// startHearth starts `hearth serve --demo` on a free loopback port with a
// fresh data directory, waits for GET /readyz to answer 200 and, when the
// test ends, stops it with SIGTERM and requires a clean (exit 0) shutdown.
// It returns the base URL.
func startHearth(t *testing.T, bin string) string {
	t.Helper()
	return startHearthWith(t, bin, hearthOptions{Demo: true})
}

// hearthOptions says how startHearthWith runs `hearth serve`.
type hearthOptions struct {
	Demo bool     // load the demo directory (--demo)
	Data string   // the data directory, e.g. prepared by createSiteAdmin; "" for a fresh one
	Args []string // more flags for `hearth serve`, e.g. --smtp-url
	Env  []string // more environment, KEY=value
}

// startHearthWith is startHearth with options: no demo data, a data
// directory prepared beforehand (say with a site admin), extra flags or
// environment.
func startHearthWith(t *testing.T, bin string, o hearthOptions) string {
	t.Helper()
	data := o.Data
	if data == "" {
		data = t.TempDir()
	}
	addr := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	base := "http://" + addr

	logw := newLineLogger(t, "hearth| ")
	args := []string{"serve", "--data", data, "--addr", addr}
	if o.Demo {
		args = append(args, "--demo")
	}
	cmd := exec.Command(bin, append(args, o.Args...)...)
	// The browser tests act as staff without enrolling a second factor
	// (internal/web tests the rule itself); o.Env may turn it back on.
	cmd.Env = append(append(hearthEnv(), "HEARTH_STAFF_SECOND_FACTOR=false"), o.Env...)
	cmd.Stdout, cmd.Stderr = logw, logw
	cmd.WaitDelay = 5 * time.Second
	t.Logf("starting %s", strings.Join(cmd.Args, " "))
	if err := cmd.Start(); err != nil {
		t.Fatalf("start hearth: %v", err)
	}
	done := make(chan struct{})
	var waitErr error
	go func() {
		waitErr = cmd.Wait()
		close(done)
	}()
	exitedEarly := false

	t.Cleanup(func() {
		defer logw.Flush()
		select {
		case <-done:
			if !exitedEarly {
				t.Errorf("hearth exited before the test asked it to stop: %v", describeExit(waitErr))
			}
			return
		default:
		}
		if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
			t.Errorf("send SIGTERM to hearth: %v", err)
		}
		select {
		case <-done:
		case <-time.After(shutdownTimeout):
			_ = cmd.Process.Kill()
			<-done
			t.Errorf("hearth did not exit within %s of SIGTERM; killed it", shutdownTimeout)
			return
		}
		if waitErr != nil {
			t.Errorf("hearth did not shut down gracefully on SIGTERM: %v (want exit code 0)", describeExit(waitErr))
		} else {
			t.Logf("hearth shut down gracefully (exit 0)")
		}
	})

	client := &http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(readyTimeout)
	var last string
	for {
		select {
		case <-done:
			exitedEarly = true
			t.Fatalf("hearth exited before it was ready: %v", describeExit(waitErr))
		default:
		}
		resp, err := client.Get(base + "/readyz")
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
			last = "HTTP " + resp.Status
		} else {
			last = err.Error()
		}
		if time.Now().After(deadline) {
			t.Fatalf("GET %s/readyz did not answer 200 within %s (last: %s)", base, readyTimeout, last)
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Logf("hearth ready at %s", base)
	return base
}

// hearthEnv is the environment hearth runs with: this process's, less every
// HEARTH_* variable (each sets a flag's default, e.g. HEARTH_DATABASE_URL
// would move the fresh data directory into a shared database).
func hearthEnv() []string {
	return slices.DeleteFunc(os.Environ(), func(kv string) bool { return strings.HasPrefix(kv, "HEARTH_") })
}

func describeExit(err error) string {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		if ee.Exited() {
			return fmt.Sprintf("exit code %d", ee.ExitCode())
		}
		return ee.String() // e.g. "signal: killed"
	}
	if err == nil {
		return "exit code 0"
	}
	return err.Error()
}

// outDir is where the browser run writes its screenshots: under
// $HEARTH_E2E_OUT (kept; relative paths are taken from the module root) or a
// temporary directory removed after the test.
func outDir(t *testing.T, env browserEnv) (dir string, kept bool) {
	t.Helper()
	root := os.Getenv("HEARTH_E2E_OUT")
	if root == "" {
		return t.TempDir(), false
	}
	if !filepath.IsAbs(root) {
		root = filepath.Join(env.root, root)
	}
	dir = filepath.Join(root, regexp.MustCompile(`[^A-Za-z0-9_.-]+`).ReplaceAllString(t.Name(), "_"))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir, true
}

// runBrowser runs `node e2e/newcomer.mjs BASE OUT MODE`, streaming its output
// into the test log, and fails the test if it exits non-zero.
func runBrowser(t *testing.T, env browserEnv, base, mode string) {
	t.Helper()
	runScript(t, env, "newcomer.mjs", mode, []string{base, "", mode}, nil)
}

// runScript runs `node e2e/SCRIPT ARGS…` with extra environment, streaming
// its output into the test log; an empty argument is replaced by the
// screenshot directory. It fails the test if the script exits non-zero or
// runs longer than browserTimeout; what names the run in messages.
func runScript(t *testing.T, env browserEnv, script, what string, args, extraEnv []string) {
	t.Helper()
	mode := what
	out, kept := outDir(t, env)
	args = slices.Clone(args)
	for i, a := range args {
		if a == "" {
			args[i] = out
		}
	}
	ctx, cancel := context.WithTimeout(t.Context(), browserTimeout)
	defer cancel()

	logw := newLineLogger(t, "browser| ")
	defer logw.Flush()
	cmd := exec.CommandContext(ctx, env.node, append([]string{filepath.Join(env.e2eDir, script)}, args...)...)
	cmd.Dir = env.root
	cmd.Env = append(os.Environ(), "HEARTH_CHROMIUM="+env.chromium, "PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1")
	cmd.Env = append(cmd.Env, extraEnv...)
	cmd.Stdout, cmd.Stderr = logw, logw
	// On timeout let node close Chromium (playwright handles SIGTERM), then kill.
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = 10 * time.Second

	start := time.Now()
	err := cmd.Run()
	logw.Flush()
	where := "screenshots in " + out
	if !kept {
		where += " (removed after the test; set HEARTH_E2E_OUT=dir to keep them)"
	}
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		t.Fatalf("browser run (%s) did not finish within %s; %s", mode, browserTimeout, where)
	case err != nil:
		t.Fatalf("browser run (%s) failed: %v — see the FAIL line above; %s", mode, describeExit(err), where)
	}
	t.Logf("browser run (%s) passed in %s; %s", mode, time.Since(start).Round(time.Millisecond), where)
}

// lineLogger is an io.Writer that sends each complete line to t.Log.
type lineLogger struct {
	t      testing.TB
	prefix string
	mu     sync.Mutex
	buf    []byte
}

func newLineLogger(t testing.TB, prefix string) *lineLogger {
	return &lineLogger{t: t, prefix: prefix}
}

func (w *lineLogger) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf = append(w.buf, p...)
	for {
		i := bytes.IndexByte(w.buf, '\n')
		if i < 0 {
			break
		}
		w.t.Log(w.prefix + strings.TrimRight(string(w.buf[:i]), "\r"))
		w.buf = w.buf[i+1:]
	}
	return len(p), nil
}

// Flush logs a trailing partial line, if any.
func (w *lineLogger) Flush() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.buf) > 0 {
		w.t.Log(w.prefix + string(w.buf))
		w.buf = nil
	}
}
