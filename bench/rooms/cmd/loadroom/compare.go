package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
)

// compare reads reports and prints them side by side with Hearth's ratios
// to each peer. A target may come several times (run.sh's ROUNDS, the
// targets taken in turn round after round): then Hearth's report of each
// round is set against the peer's of the same round, and the median of
// the rounds' ratios is given with each of them. On a shared machine two
// runs of the same server minutes apart can differ by a tenth; a pair
// run one after the other shares most of that drift, and the median of
// several pairs leans on none of them alone.
func compare(w io.Writer, files []string) error {
	if len(files) == 0 {
		return errors.New("usage: loadroom compare REPORT.json…")
	}
	var reps []Report
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		var r Report
		if err := json.Unmarshal(b, &r); err != nil {
			return fmt.Errorf("%s: %w", f, err)
		}
		reps = append(reps, r)
	}
	byName := map[string][]*Report{} // in the order given: round 1, 2, …
	for i := range reps {
		byName[reps[i].Target] = append(byName[reps[i].Target], &reps[i])
	}
	name := func(r *Report) string {
		rs := byName[r.Target]
		if len(rs) == 1 {
			return r.Target
		}
		for i := range rs {
			if rs[i] == r {
				return fmt.Sprintf("%s (round %d)", r.Target, i+1)
			}
		}
		return r.Target
	}

	fmt.Fprintln(w, "| target | step | messages acknowledged/s (stored: hearth, dendrite) | deliveries/s | p50 ms | p99 ms | max ms | undelivered | dup | ooo | server µs/delivery | server cores | harness cores |")
	fmt.Fprintln(w, "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	for i := range reps {
		r := &reps[i]
		for _, s := range r.Steps {
			lat := fmt.Sprintf("%.2f | %.2f | %.1f", s.P50ms, s.P99ms, s.Maxms)
			if s.Delivered == 0 {
				lat = "— | — | —" // no measured send completed within the step
			}
			fmt.Fprintf(w, "| %s | %s | %.0f | %.0f | %s | %d | %d | %d | %.1f | %.2f | %.2f |\n",
				name(r), s.Label, s.AckedPerSec, s.DeliveredPerSec, lat, s.Lost, s.Duplicated, s.OutOfOrder, s.ServerCPUus, s.ServerCores, s.HarnessCores)
		}
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| target | KiB per idle connection | RSS before → after (KiB) | server cores while idle | setup s | connect s | load average before → after |")
	fmt.Fprintln(w, "|---|---:|---|---:|---:|---:|---|")
	for i := range reps {
		r := &reps[i]
		fmt.Fprintf(w, "| %s | %.1f | %d → %d | %.3f | %.1f | %.1f | %s → %s |\n", name(r), r.Idle.KiBPerConn, r.Idle.RSSBeforeKiB, r.Idle.RSSAfterKiB, r.Idle.ServerCores, r.SetupSec, r.ConnectSec, r.LoadBefore, r.LoadAfter)
	}

	hs := byName["hearth"]
	if len(hs) == 0 || len(hs[0].Steps) == 0 {
		return nil
	}
	fmt.Fprintln(w)
	for _, peer := range []string{"centrifuge", "dendrite"} {
		ps := byName[peer]
		n := min(len(hs), len(ps))
		var deliveries, acked, idle []float64
		for i := range n {
			h, p := hs[i], ps[i]
			if len(h.Steps) == 0 || len(p.Steps) == 0 {
				continue
			}
			hb, pb := best(h), best(p)
			round := ""
			if n > 1 {
				round = fmt.Sprintf(" (round %d)", i+1)
			}
			fmt.Fprintf(w, "Hearth/%s%s: most deliveries/s %.0f vs %.0f = %.2f×; most messages acknowledged/s %.0f vs %.0f = %.2f×; p99 there %.2f ms vs %.2f ms; idle %.1f vs %.1f KiB = %.2f×\n",
				peer, round, hb.DeliveredPerSec, pb.DeliveredPerSec, ratio(hb.DeliveredPerSec, pb.DeliveredPerSec),
				hb.AckedPerSec, pb.AckedPerSec, ratio(hb.AckedPerSec, pb.AckedPerSec), hb.P99ms, pb.P99ms,
				h.Idle.KiBPerConn, p.Idle.KiBPerConn, ratio(h.Idle.KiBPerConn, p.Idle.KiBPerConn))
			deliveries = append(deliveries, ratio(hb.DeliveredPerSec, pb.DeliveredPerSec))
			acked = append(acked, ratio(hb.AckedPerSec, pb.AckedPerSec))
			idle = append(idle, ratio(h.Idle.KiBPerConn, p.Idle.KiBPerConn))
			// The same offered rate, step by step.
			for _, s := range h.Steps {
				for _, q := range p.Steps {
					if q.OfferedPerSec == s.OfferedPerSec && q.Delivered > 0 {
						fmt.Fprintf(w, "  at %g offered: deliveries/s %.2f×, p99 %.2f vs %.2f ms, server CPU per delivery %.2f×\n",
							s.OfferedPerSec, ratio(s.DeliveredPerSec, q.DeliveredPerSec), s.P99ms, q.P99ms, ratio(s.ServerCPUus, q.ServerCPUus))
					}
				}
			}
		}
		if len(deliveries) > 1 {
			fmt.Fprintf(w, "Hearth/%s over %d rounds, median: most deliveries/s %.2f× (rounds %s); most messages acknowledged/s %.2f×; idle memory %.2f×\n",
				peer, len(deliveries), median(deliveries), ratios(deliveries), median(acked), median(idle))
		}
	}
	return nil
}

// median of xs (the mean of the middle two when their number is even).
func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s) == 0 {
		return 0
	}
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func ratios(xs []float64) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = fmt.Sprintf("%.2f×", x)
	}
	return strings.Join(parts, ", ")
}

// best is the step with the most deliveries per second whose measured
// messages all arrived (once, in order).
func best(r *Report) StepResult {
	var b StepResult
	for _, s := range r.Steps {
		if s.Delivered > 0 && s.Lost == 0 && s.Duplicated == 0 && s.OutOfOrder == 0 && s.DeliveredPerSec > b.DeliveredPerSec {
			b = s
		}
	}
	if b.Step == 0 {
		b = r.Steps[len(r.Steps)-1]
	}
	return b
}

func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}
