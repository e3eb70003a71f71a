// Command loadroom is the load harness for live meeting rooms (issue 5,
// section 5). It opens N clients in M rooms of one target — Hearth, the
// centrifuge peer or Dendrite —, measures the server's memory per idle
// connection, then offers a few total message rates (and a saturation
// step) for a set time after a warm-up, and reports delivered messages per
// second, send-to-deliver latency percentiles, lost, duplicated and
// out-of-order messages (all must be 0), and the server's CPU per delivery.
//
//	loadroom --target centrifuge --bin /tmp/x/centrifugepeer --json c.json
//	loadroom --target hearth --bin /tmp/x/hearth --fixture f.json --data DIR
//	loadroom --target dendrite --dendrite-dir /tmp/dendrite-run
//	loadroom compare hearth.json centrifuge.json dendrite.json
//
// Every message's text carries its step, phase, sender, number and send
// time, so each receiver computes its own latency and checks order and
// duplicates; lost is what the measured sends should have delivered (each
// to every member of its room, the sender included) and did not within the
// drain time. The harness runs on the same machine as the server and
// competes with it for the CPU: its own CPU is reported next to the
// server's.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	if len(os.Args) > 1 && os.Args[1] == "compare" {
		if err := compare(os.Stdout, os.Args[2:]); err != nil {
			fmt.Fprintln(os.Stderr, "loadroom compare:", err)
			os.Exit(1)
		}
		return
	}
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "loadroom:", err)
		os.Exit(1)
	}
}

// Report is one target's run, written as JSON.
type Report struct {
	Target     string           `json:"target"`
	Started    time.Time        `json:"started"`
	Clients    int              `json:"clients"`
	Rooms      int              `json:"rooms"`
	Cores      int              `json:"cores"`
	GoVersion  string           `json:"harness_go"`
	SetupSec   float64          `json:"setup_seconds"`
	ConnectSec float64          `json:"connect_seconds"`
	Idle       IdleMemory       `json:"idle"`
	Steps      []StepResult     `json:"steps"`
	Counters   map[string]int64 `json:"counters"`
	Malformed  int64            `json:"malformed_texts"`
	Foreign    int64            `json:"messages_from_other_rooms"`
	SendErrors []string         `json:"first_send_errors,omitempty"`
	ServerArgs []string         `json:"server_args,omitempty"`
	LoadBefore string           `json:"load_average_before"`
	LoadAfter  string           `json:"load_average_after"`
}

// IdleMemory is the server's resident memory before and after the
// clients connected (and settled), per connection.
type IdleMemory struct {
	RSSBeforeKiB  int64   `json:"rss_before_kib"`
	RSSAfterKiB   int64   `json:"rss_after_kib"`
	KiBPerConn    float64 `json:"kib_per_connection"`
	SettleSeconds float64 `json:"settle_seconds"`
	// Pinged is how many clients made one ping round trip before the
	// idle wait (--idle-ping; Hearth's protocol has a ping frame).
	Pinged int `json:"pinged"`
	// Runtime is the Go runtime's own figures per connection (after −
	// before, divided by N) where the target exposes them (Hearth's
	// /metrics): heap in use, stacks in use, goroutines.
	Runtime map[string]float64 `json:"runtime_per_connection,omitempty"`
	// ServerCores is the server's CPU while every client sat idle: the
	// fixed cost (keep-alives, polling) under the per-delivery figures.
	ServerCores float64 `json:"server_cores_idle"`
}

// runtimeStatser is a target whose server reports its Go runtime figures.
type runtimeStatser interface {
	RuntimeStats(ctx context.Context) map[string]float64
}

func run(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("loadroom", flag.ContinueOnError)
	target := fs.String("target", "centrifuge", "hearth, centrifuge or dendrite")
	clients := fs.Int("clients", 2000, "clients (members), all connected at once")
	rooms := fs.Int("rooms", 200, "rooms; clients are spread evenly")
	rates := fs.String("rates", "100,400,1000", "total offered message rates (messages per second, all rooms together), one step each")
	saturate := fs.Float64("saturate", 4000, "offered rate of the last, saturation step (0: none)")
	warm := fs.Duration("warmup", 5*time.Second, "warm-up at each rate before measuring")
	dur := fs.Duration("duration", 20*time.Second, "measured time at each rate")
	drain := fs.Duration("drain", 15*time.Second, "longest wait after a step for its measured messages to arrive")
	settle := fs.Duration("settle", 3*time.Second, "wait after the server starts before reading its memory")
	idleSettle := fs.Duration("idle-settle", 15*time.Second, "wait with every client connected and idle before reading its memory")
	concurrency := fs.Int("dial-concurrency", 32, "connections opened at once")
	idlePing := fs.Bool("idle-ping", true, "after connecting, one ping round trip per client (where the target's protocol has one: Hearth) before the idle wait")
	jsonOut := fs.String("json", "", "write the report as JSON to this file")
	bin := fs.String("bin", "", "server binary (hearth or centrifugepeer)")
	addr := fs.String("addr", "127.0.0.1:18080", "server address (loopback)")
	logDir := fs.String("log-dir", os.TempDir(), "folder for the server's log")
	fixture := fs.String("fixture", "", "hearth: the JSON file bench/roomfixture wrote")
	data := fs.String("data", "", "hearth: the data folder bench/roomfixture prepared")
	dbURL := fs.String("database-url", "", "hearth: PostgreSQL URL when the fixture was made there")
	var serverArgs multiFlag
	fs.Var(&serverArgs, "server-arg", "hearth: one more argument for `hearth serve` (repeatable), e.g. --server-arg=--room-message-limit=100/1s")
	dendriteDir := fs.String("dendrite-dir", "", "dendrite: the folder bench/rooms/dendrite.sh prepared (binaries, config, keys)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *clients < 1 || *rooms < 1 || *clients%*rooms != 0 {
		return errors.New("--clients must be a positive multiple of --rooms")
	}
	plan := Plan{Clients: *clients, Rooms: *rooms, Size: *clients / *rooms}
	var offered []float64
	for _, s := range strings.Split(*rates, ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || v <= 0 {
			return fmt.Errorf("--rates: %q is not a rate", s)
		}
		offered = append(offered, v)
	}

	var t Target
	switch *target {
	case "centrifuge":
		if *bin == "" {
			return errors.New("--bin: the centrifugepeer binary is needed")
		}
		t = &centrifugeTarget{bin: *bin, addr: *addr, logDir: *logDir}
	case "hearth":
		if *bin == "" || *fixture == "" || *data == "" {
			return errors.New("--bin, --fixture and --data are needed for hearth")
		}
		t = &hearthTarget{bin: *bin, addr: *addr, logDir: *logDir, fixture: *fixture, data: *data, dbURL: *dbURL, extra: serverArgs}
	case "dendrite":
		if *dendriteDir == "" {
			return errors.New("--dendrite-dir is needed for dendrite")
		}
		t = &dendriteTarget{dir: *dendriteDir, addr: *addr, logDir: *logDir}
	default:
		return fmt.Errorf("--target %q: hearth, centrifuge or dendrite", *target)
	}

	rep := Report{Target: t.Name(), Started: time.Now().UTC(), Clients: plan.Clients, Rooms: plan.Rooms, Cores: runtime.NumCPU(), GoVersion: runtime.Version(),
		ServerArgs: serverArgs, LoadBefore: loadAverage()}
	logf := func(format string, a ...any) {
		fmt.Fprintf(os.Stderr, "[%s %s] %s\n", time.Now().Format("15:04:05"), t.Name(), fmt.Sprintf(format, a...))
	}

	t0 := time.Now()
	logf("setting up %d members in %d rooms", plan.Clients, plan.Rooms)
	if err := t.Setup(ctx, plan); err != nil {
		return fmt.Errorf("setup: %w", err)
	}
	defer t.Close()
	rep.SetupSec = time.Since(t0).Seconds()
	logf("setup took %.1fs; server pid %d", rep.SetupSec, t.PID())

	sleep(ctx, *settle)
	rss0, err := procRSS(t.PID())
	if err != nil {
		return err
	}
	var rt0 map[string]float64
	if rs, ok := t.(runtimeStatser); ok {
		rt0 = rs.RuntimeStats(ctx)
	}
	h := newHarness(t, plan)
	defer h.close()
	t1 := time.Now()
	if err := h.connect(ctx, *concurrency); err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	rep.ConnectSec = time.Since(t1).Seconds()
	if *idlePing {
		n, err := h.pingAll(ctx, *concurrency)
		if err != nil {
			return fmt.Errorf("ping round: %w", err)
		}
		rep.Idle.Pinged = n
		if n > 0 {
			logf("%d clients made one ping round trip", n)
		}
	}
	logf("%d clients connected in %.1fs; idle for %s", plan.Clients, rep.ConnectSec, *idleSettle)
	idleCPU0, _ := procCPU(t.PID())
	idleFrom := time.Now()
	sleep(ctx, *idleSettle)
	idleCPU1, _ := procCPU(t.PID())
	rss1, err := procRSS(t.PID())
	if err != nil {
		return err
	}
	rep.Idle = IdleMemory{RSSBeforeKiB: rss0 / 1024, RSSAfterKiB: rss1 / 1024, KiBPerConn: float64(rss1-rss0) / 1024 / float64(plan.Clients), SettleSeconds: idleSettle.Seconds(),
		ServerCores: (idleCPU1 - idleCPU0).Seconds() / time.Since(idleFrom).Seconds()}
	if rs, ok := t.(runtimeStatser); ok && rt0 != nil {
		rt1 := rs.RuntimeStats(ctx)
		rep.Idle.Runtime = map[string]float64{}
		for k, v := range rt1 {
			if v0, ok := rt0[k]; ok {
				d := (v - v0) / float64(plan.Clients)
				if strings.HasSuffix(k, "_bytes") {
					k, d = strings.TrimSuffix(k, "_bytes")+"_kib", d/1024
				}
				rep.Idle.Runtime[k] = d
			}
		}
		logf("runtime per connection: %v", rep.Idle.Runtime)
	}
	logf("idle memory: %d KiB before, %d KiB after: %.1f KiB per connection", rep.Idle.RSSBeforeKiB, rep.Idle.RSSAfterKiB, rep.Idle.KiBPerConn)

	steps := offered
	if *saturate > 0 {
		steps = append(steps, *saturate)
	}
	for i, rate := range steps {
		if ctx.Err() != nil {
			break
		}
		label := fmt.Sprintf("%g msg/s", rate)
		if *saturate > 0 && i == len(steps)-1 {
			label = fmt.Sprintf("saturation (%g offered)", rate)
		}
		logf("step %d: %s for %s after %s warm-up", i+1, label, *dur, *warm)
		r, err := h.run(ctx, i+1, label, rate, *warm, *dur, *drain)
		if err != nil {
			return fmt.Errorf("step %d: %w", i+1, err)
		}
		rep.Steps = append(rep.Steps, r)
		logf("  delivered %.0f/s, p50 %.2f ms, p99 %.2f ms, lost %d, dup %d, ooo %d, server %.1f µs/delivery (%.2f cores), harness %.2f cores",
			r.DeliveredPerSec, r.P50ms, r.P99ms, r.Lost, r.Duplicated, r.OutOfOrder, r.ServerCPUus, r.ServerCores, r.HarnessCores)
	}
	rep.Counters = t.Counters()
	rep.LoadAfter = loadAverage()
	rep.Malformed, rep.Foreign = h.malformed.Load(), h.foreign.Load()
	h.mu.Lock()
	rep.SendErrors = h.firstErrs
	h.mu.Unlock()

	printReport(stdout, rep)
	if *jsonOut != "" {
		b, _ := json.MarshalIndent(rep, "", "  ")
		if err := os.WriteFile(*jsonOut, append(b, '\n'), 0o644); err != nil {
			return err
		}
	}
	return ctx.Err()
}

// multiFlag is a repeatable string flag.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, " ") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

func sleep(ctx context.Context, d time.Duration) {
	select {
	case <-ctx.Done():
	case <-time.After(d):
	}
}

func printReport(w io.Writer, r Report) {
	fmt.Fprintf(w, "\n## %s — %d clients in %d rooms (%d per room), %d cores shared with the harness\n\n", r.Target, r.Clients, r.Rooms, r.Clients/r.Rooms, r.Cores)
	fmt.Fprintf(w, "setup %.1fs, connect %.1fs; idle memory %.1f KiB per connection (RSS %d → %d KiB after %gs idle); server CPU while idle %.3f cores\n\n",
		r.SetupSec, r.ConnectSec, r.Idle.KiBPerConn, r.Idle.RSSBeforeKiB, r.Idle.RSSAfterKiB, r.Idle.SettleSeconds, r.Idle.ServerCores)
	if r.Idle.Pinged > 0 {
		fmt.Fprintf(w, "(%d clients made one ping round trip before the idle wait)\n\n", r.Idle.Pinged)
	}
	if len(r.Idle.Runtime) > 0 {
		fmt.Fprintf(w, "Go runtime per idle connection: %v\n\n", r.Idle.Runtime)
	}
	fmt.Fprintln(w, "| step | sent msg/s | acked/s | delivered/s | p50 ms | p99 ms | max ms | undelivered | dup | ooo | send err | refused | backlog | server µs/deliv | server cores | harness cores |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	for _, s := range r.Steps {
		fmt.Fprintf(w, "| %s | %.0f | %.0f | %.0f | %.2f | %.2f | %.1f | %d | %d | %d | %d | %d | %d | %.1f | %.2f | %.2f |\n",
			s.Label, s.SentPerSec, s.AckedPerSec, s.DeliveredPerSec, s.P50ms, s.P99ms, s.Maxms, s.Lost, s.Duplicated, s.OutOfOrder, s.SendErrors, s.Refused, s.Backlogged, s.ServerCPUus, s.ServerCores, s.HarnessCores)
	}
	fmt.Fprintf(w, "\ncounters: %v; malformed texts %d, from other rooms %d\n", r.Counters, r.Malformed, r.Foreign)
	fmt.Fprintf(w, "load average before %s, after %s\n", r.LoadBefore, r.LoadAfter)
	if len(r.ServerArgs) > 0 {
		fmt.Fprintf(w, "server arguments: %s\n", strings.Join(r.ServerArgs, " "))
	}
	for _, e := range r.SendErrors {
		fmt.Fprintf(w, "send error: %s\n", e)
	}
}
