// Command wsmem measures the server-side memory of idle WebSocket
// connections for the Go libraries Hearth could use, each set up the way
// Hearth's room connection is: one goroutine per connection blocked in a
// read, writes only on demand (under a mutex, into a pooled buffer where the
// library allows it), the smallest sane buffers.
//
//	go run . -n 2000                 # every library, a table on stdout
//	go run . -n 2000 -libs gorilla   # one
//
// For each library the program starts itself as a child process serving
// that library on loopback ("serve" mode), reads the child's VmRSS from
// /proc/PID/status and its Go runtime figures (heap in use, stacks,
// goroutines) from a /stats endpoint after a GC, opens N idle client
// connections from this process, waits until the child holds them all,
// measures again and reports (after − before)/N. Clients live in the parent
// so that only the server's memory is counted.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	coder "github.com/coder/websocket"
	"github.com/gobwas/ws"
	"github.com/gobwas/ws/wsutil"
	gorilla "github.com/gorilla/websocket"
	"github.com/lxzan/gws"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "serve" {
		if err := serve(os.Args[2]); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		return
	}
	n := flag.Int("n", 2000, "idle connections per library")
	libs := flag.String("libs", "gorilla,gorilla/go,coder,coder/go,gws,gws/go,gobwas,gobwas/go", "libraries to measure")
	rounds := flag.Int("rounds", 1, "measurements per library (the median is reported)")
	flag.Parse()
	raiseFiles()
	fmt.Printf("| library | KiB RSS / conn | KiB heap / conn | KiB stack / conn | goroutines / conn |\n|---|---:|---:|---:|---:|\n")
	for _, lib := range strings.Split(*libs, ",") {
		var rs []result
		for range *rounds {
			r, err := measure(lib, *n)
			if err != nil {
				fmt.Fprintf(os.Stderr, "%s: %v\n", lib, err)
				os.Exit(1)
			}
			rs = append(rs, r)
		}
		r := median(rs)
		fmt.Printf("| %s | %.1f | %.1f | %.1f | %.2f |\n", lib, r.rss, r.heap, r.stack, r.gor)
	}
}

type result struct{ rss, heap, stack, gor float64 }

func median(rs []result) result {
	// sort by RSS, take the middle one
	for i := range rs {
		for j := i + 1; j < len(rs); j++ {
			if rs[j].rss < rs[i].rss {
				rs[i], rs[j] = rs[j], rs[i]
			}
		}
	}
	return rs[len(rs)/2]
}

// stats is what the child reports.
type stats struct {
	Conns      int64  `json:"conns"`
	HeapInuse  uint64 `json:"heap_inuse"`
	StackInuse uint64 `json:"stack_inuse"`
	Goroutines int    `json:"goroutines"`
}

func measure(lib string, n int) (result, error) {
	self, err := os.Executable()
	if err != nil {
		return result{}, err
	}
	cmd := exec.Command(self, "serve", lib)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return result{}, err
	}
	if err := cmd.Start(); err != nil {
		return result{}, err
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	addr, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		return result{}, fmt.Errorf("child address: %w", err)
	}
	addr = strings.TrimSpace(addr)
	time.Sleep(300 * time.Millisecond)
	st0, err := childStats(addr)
	if err != nil {
		return result{}, err
	}
	rss0, err := vmRSS(cmd.Process.Pid)
	if err != nil {
		return result{}, err
	}
	dialer := gorilla.Dialer{ReadBufferSize: 256, WriteBufferSize: 256, HandshakeTimeout: 10 * time.Second}
	var conns []*gorilla.Conn
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	for i := range n {
		c, res, err := dialer.Dial("ws://"+addr+"/ws", http.Header{"Origin": {"http://" + addr}})
		if err != nil {
			return result{}, fmt.Errorf("dial %d: %w", i, err)
		}
		res.Body.Close()
		conns = append(conns, c)
	}
	// Every connection said hello (one small frame) and got one answer, so
	// each went through the code paths a live member's does, then idles.
	for _, c := range conns {
		if err := c.WriteMessage(gorilla.TextMessage, []byte(`{"type":"hello","after":0}`)); err != nil {
			return result{}, err
		}
	}
	for _, c := range conns {
		c.SetReadDeadline(time.Now().Add(10 * time.Second))
		if _, _, err := c.ReadMessage(); err != nil {
			return result{}, fmt.Errorf("welcome: %w", err)
		}
	}
	deadline := time.Now().Add(30 * time.Second)
	var st1 stats
	for {
		st1, err = childStats(addr)
		if err != nil {
			return result{}, err
		}
		if st1.Conns >= int64(n) || time.Now().After(deadline) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	time.Sleep(time.Second)
	st1, err = childStats(addr)
	if err != nil {
		return result{}, err
	}
	rss1, err := vmRSS(cmd.Process.Pid)
	if err != nil {
		return result{}, err
	}
	f := float64(n) * 1024
	return result{
		rss:   float64(rss1-rss0) / f,
		heap:  float64(int64(st1.HeapInuse)-int64(st0.HeapInuse)) / f,
		stack: float64(int64(st1.StackInuse)-int64(st0.StackInuse)) / f,
		gor:   float64(st1.Goroutines-st0.Goroutines) / float64(n),
	}, nil
}

func childStats(addr string) (stats, error) {
	var st stats
	res, err := http.Get("http://" + addr + "/stats")
	if err != nil {
		return st, err
	}
	defer res.Body.Close()
	return st, json.NewDecoder(res.Body).Decode(&st)
}

// vmRSS reads a process's resident set in bytes.
func vmRSS(pid int) (int64, error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb * 1024, err
		}
	}
	return 0, fmt.Errorf("no VmRSS")
}

func raiseFiles() {
	var l syscall.Rlimit
	if syscall.Getrlimit(syscall.RLIMIT_NOFILE, &l) == nil && l.Cur < l.Max {
		l.Cur = l.Max
		syscall.Setrlimit(syscall.RLIMIT_NOFILE, &l)
	}
}

// ---- the child: one library's server ----

const (
	readLimit    = 16 << 10
	writeTimeout = 10 * time.Second
)

var welcome = []byte(`{"type":"welcome","seq":0}`)

func serve(lib string) error {
	raiseFiles()
	var conns atomic.Int64
	mux := http.NewServeMux()
	mux.HandleFunc("GET /stats", func(w http.ResponseWriter, r *http.Request) {
		runtime.GC()
		debug.FreeOSMemory()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		json.NewEncoder(w).Encode(stats{Conns: conns.Load(), HeapInuse: ms.HeapInuse, StackInuse: ms.StackInuse, Goroutines: runtime.NumGoroutine()})
	})
	// "lib/go": the handler returns right after the upgrade and the reader
	// runs in a fresh goroutine, so nothing of net/http's per-request state
	// (the request, the response writer and its buffers, a grown stack)
	// stays reachable from an idle connection.
	lib, handoff := strings.CutSuffix(lib, "/go")
	run := func(f func()) {
		if handoff {
			go f()
		} else {
			f()
		}
	}
	var h http.HandlerFunc
	switch lib {
	case "gorilla":
		h = gorillaHandler(&conns, run)
	case "coder":
		h = coderHandler(&conns, run)
	case "gws":
		h = gwsHandler(&conns, run)
	case "gobwas":
		h = gobwasHandler(&conns, run)
	default:
		return fmt.Errorf("unknown library %q", lib)
	}
	mux.Handle("GET /ws", h)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	fmt.Println(ln.Addr().String())
	return (&http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}).Serve(ln)
}

// gorilla: a 512-byte read buffer held by the blocked reader; the write
// buffer comes from a pool only while writing (NextWriter per frame, then
// one flush of the buffered conn).
func gorillaHandler(conns *atomic.Int64, run func(func())) http.HandlerFunc {
	up := gorilla.Upgrader{ReadBufferSize: 512, WriteBufferSize: 4096, WriteBufferPool: &sync.Pool{},
		CheckOrigin: func(r *http.Request) bool { return true }}
	return func(w http.ResponseWriter, r *http.Request) {
		c, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		run(func() {
			conns.Add(1)
			defer conns.Add(-1)
			defer c.Close()
			c.SetReadLimit(readLimit)
			var mu sync.Mutex
			for {
				_, rd, err := c.NextReader()
				if err != nil {
					return
				}
				if _, err := io.Copy(io.Discard, rd); err != nil {
					return
				}
				mu.Lock()
				c.SetWriteDeadline(time.Now().Add(writeTimeout))
				err = c.WriteMessage(gorilla.TextMessage, welcome)
				mu.Unlock()
				if err != nil {
					return
				}
			}
		})
	}
}

// coder: its own buffered reader and writer (it reuses the hijacked
// net/http ones); the reader blocked in Reader, writes with Write.
func coderHandler(conns *atomic.Int64, run func(func())) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c, err := coder.Accept(w, r, &coder.AcceptOptions{InsecureSkipVerify: true, CompressionMode: coder.CompressionDisabled})
		if err != nil {
			return
		}
		run(func() {
			conns.Add(1)
			defer conns.Add(-1)
			defer c.CloseNow()
			c.SetReadLimit(readLimit)
			ctx := context.Background()
			for {
				_, rd, err := c.Reader(ctx)
				if err != nil {
					return
				}
				if _, err := io.Copy(io.Discard, rd); err != nil {
					return
				}
				wctx, cancel := context.WithTimeout(ctx, writeTimeout)
				err = c.Write(wctx, coder.MessageText, welcome)
				cancel()
				if err != nil {
					return
				}
			}
		})
	}
}

// gws: event handler; ReadLoop in the handler's goroutine.
type gwsEvents struct{ conns *atomic.Int64 }

func (e gwsEvents) OnOpen(c *gws.Conn)             { e.conns.Add(1) }
func (e gwsEvents) OnClose(c *gws.Conn, err error) { e.conns.Add(-1) }
func (e gwsEvents) OnPing(c *gws.Conn, p []byte)   { c.WritePong(p) }
func (e gwsEvents) OnPong(c *gws.Conn, p []byte)   {}
func (e gwsEvents) OnMessage(c *gws.Conn, m *gws.Message) {
	m.Close()
	c.SetWriteDeadline(time.Now().Add(writeTimeout))
	c.WriteMessage(gws.OpcodeText, welcome)
}

func gwsHandler(conns *atomic.Int64, run func(func())) http.HandlerFunc {
	up := gws.NewUpgrader(gwsEvents{conns}, &gws.ServerOption{ReadBufferSize: 512, WriteBufferSize: 512, ReadMaxPayloadSize: readLimit,
		Authorize: func(r *http.Request, s gws.SessionStorage) bool { return true }})
	return func(w http.ResponseWriter, r *http.Request) {
		c, err := up.Upgrade(w, r)
		if err != nil {
			return
		}
		run(c.ReadLoop)
	}
}

// gobwas: the raw net.Conn after the upgrade; frames read with
// wsutil.Reader over a small bufio.Reader, written with wsutil.
func gobwasHandler(conns *atomic.Int64, run func(func())) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		nc, _, _, err := ws.UpgradeHTTP(r, w)
		if err != nil {
			return
		}
		run(func() {
			conns.Add(1)
			defer conns.Add(-1)
			defer nc.Close()
			br := bufio.NewReaderSize(nc, 512)
			rd := &wsutil.Reader{Source: br, State: ws.StateServerSide, CheckUTF8: true, MaxFrameSize: readLimit,
				OnIntermediate: wsutil.ControlFrameHandler(nc, ws.StateServerSide)}
			var mu sync.Mutex
			for {
				h, err := rd.NextFrame()
				if err != nil {
					return
				}
				if h.OpCode.IsControl() {
					if err := rd.OnIntermediate(h, rd); err != nil {
						return
					}
					continue
				}
				if _, err := io.Copy(io.Discard, rd); err != nil {
					return
				}
				mu.Lock()
				nc.SetWriteDeadline(time.Now().Add(writeTimeout))
				err = wsutil.WriteServerText(nc, welcome)
				mu.Unlock()
				if err != nil {
					return
				}
			}
		})
	}
}
