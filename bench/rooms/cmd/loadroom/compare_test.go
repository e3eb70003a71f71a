package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// With several rounds, each round's Hearth is set against the same
// round's peer, and the median of those ratios is given.
func TestCompareRounds(t *testing.T) {
	dir := t.TempDir()
	write := func(name, target string, delivered, kib float64) string {
		r := Report{Target: target, Idle: IdleMemory{KiBPerConn: kib}, Steps: []StepResult{
			{Step: 1, Label: "saturation", OfferedPerSec: 12000, Delivered: 100, DeliveredPerSec: delivered, AckedPerSec: delivered / 10},
		}}
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	// Hearth 90k, 110k, 100k against 100k each: 0.90×, 1.10×, 1.00×.
	files := []string{
		write("h1.json", "hearth", 90000, 9), write("c1.json", "centrifuge", 100000, 20),
		write("h2.json", "hearth", 110000, 9), write("c2.json", "centrifuge", 100000, 20),
		write("h3.json", "hearth", 100000, 9), write("c3.json", "centrifuge", 100000, 20),
	}
	var out strings.Builder
	if err := compare(&out, files); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	for _, want := range []string{
		"Hearth/centrifuge (round 1): most deliveries/s 90000 vs 100000 = 0.90×",
		"Hearth/centrifuge (round 2): most deliveries/s 110000 vs 100000 = 1.10×",
		"Hearth/centrifuge over 3 rounds, median: most deliveries/s 1.00× (rounds 0.90×, 1.10×, 1.00×)",
		"idle memory 0.45×",
		"| hearth (round 3) | saturation |",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in:\n%s", want, got)
		}
	}

	// One round: no round labels and no median.
	out.Reset()
	if err := compare(&out, files[:2]); err != nil {
		t.Fatal(err)
	}
	if got := out.String(); strings.Contains(got, "round") || strings.Contains(got, "median") || !strings.Contains(got, "Hearth/centrifuge: most deliveries/s 90000 vs 100000 = 0.90×") {
		t.Errorf("one round:\n%s", got)
	}
}

func TestMedian(t *testing.T) {
	for _, c := range []struct {
		xs   []float64
		want float64
	}{{nil, 0}, {[]float64{3}, 3}, {[]float64{3, 1}, 2}, {[]float64{5, 1, 3}, 3}, {[]float64{4, 1, 3, 2}, 2.5}} {
		if got := median(c.xs); got != c.want {
			t.Errorf("median(%v) = %v, want %v", c.xs, got, c.want)
		}
	}
}
