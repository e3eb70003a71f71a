package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
)

// compare reads reports and prints them side by side with Hearth's ratios
// to each peer.
func compare(w io.Writer, files []string) error {
	if len(files) == 0 {
		return errors.New("usage: loadroom compare REPORT.json…")
	}
	var reps []Report
	byName := map[string]*Report{}
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
	for i := range reps {
		byName[reps[i].Target] = &reps[i]
	}

	fmt.Fprintln(w, "| target | step | messages acknowledged/s (stored: hearth, dendrite) | deliveries/s | p50 ms | p99 ms | max ms | undelivered | dup | ooo | server µs/delivery | server cores | harness cores |")
	fmt.Fprintln(w, "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	for _, r := range reps {
		for _, s := range r.Steps {
			lat := fmt.Sprintf("%.2f | %.2f | %.1f", s.P50ms, s.P99ms, s.Maxms)
			if s.Delivered == 0 {
				lat = "— | — | —" // no measured send completed within the step
			}
			fmt.Fprintf(w, "| %s | %s | %.0f | %.0f | %s | %d | %d | %d | %.1f | %.2f | %.2f |\n",
				r.Target, s.Label, s.AckedPerSec, s.DeliveredPerSec, lat, s.Lost, s.Duplicated, s.OutOfOrder, s.ServerCPUus, s.ServerCores, s.HarnessCores)
		}
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| target | KiB per idle connection | RSS before → after (KiB) | server cores while idle | setup s | connect s | load average before → after |")
	fmt.Fprintln(w, "|---|---:|---|---:|---:|---:|---|")
	for _, r := range reps {
		fmt.Fprintf(w, "| %s | %.1f | %d → %d | %.3f | %.1f | %.1f | %s → %s |\n", r.Target, r.Idle.KiBPerConn, r.Idle.RSSBeforeKiB, r.Idle.RSSAfterKiB, r.Idle.ServerCores, r.SetupSec, r.ConnectSec, r.LoadBefore, r.LoadAfter)
	}

	h := byName["hearth"]
	if h == nil || len(h.Steps) == 0 {
		return nil
	}
	hs := best(h)
	fmt.Fprintln(w)
	for _, peer := range []string{"centrifuge", "dendrite"} {
		p := byName[peer]
		if p == nil || len(p.Steps) == 0 {
			continue
		}
		ps := best(p)
		fmt.Fprintf(w, "Hearth/%s: most deliveries/s %.0f vs %.0f = %.2f×; most messages acknowledged/s %.0f vs %.0f = %.2f×; p99 there %.2f ms vs %.2f ms; idle %.1f vs %.1f KiB = %.2f×\n",
			peer, hs.DeliveredPerSec, ps.DeliveredPerSec, ratio(hs.DeliveredPerSec, ps.DeliveredPerSec),
			hs.AckedPerSec, ps.AckedPerSec, ratio(hs.AckedPerSec, ps.AckedPerSec), hs.P99ms, ps.P99ms,
			h.Idle.KiBPerConn, p.Idle.KiBPerConn, ratio(h.Idle.KiBPerConn, p.Idle.KiBPerConn))
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
	return nil
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
