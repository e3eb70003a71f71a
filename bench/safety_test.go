package bench

// BenchmarkCrisisDetector: the latency of safety.Assess, which every text a
// person writes goes through before it is stored. Issue 4 asks for p99
// under 1 ms per text.

import (
	"bufio"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hearth-org/hearth/internal/safety"
)

// safetyCorpus is the detector author's development texts (short, as in a
// chat) and, from them, longer posts of 3 to 12 texts joined into
// paragraphs (as on a board or in an intake answer): half and half,
// shuffled with a fixed seed.
func safetyCorpus(tb testing.TB) []string {
	tb.Helper()
	f, err := os.Open("../internal/safety/testdata/dev/cases.tsv")
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var short []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		l := sc.Text()
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		fields := strings.SplitN(l, "\t", 4)
		if len(fields) == 4 {
			short = append(short, fields[3])
		}
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	r := rand.New(rand.NewPCG(4, 2026))
	corpus := slices.Clone(short)
	for range len(short) {
		n := 3 + r.IntN(10)
		parts := make([]string, n)
		for i := range parts {
			parts[i] = short[r.IntN(len(short))]
		}
		corpus = append(corpus, strings.Join(parts, ". "))
	}
	r.Shuffle(len(corpus), func(i, j int) { corpus[i], corpus[j] = corpus[j], corpus[i] })
	return corpus
}

func TestSafetyCorpusIsMixed(t *testing.T) {
	c := safetyCorpus(t)
	if len(c) < 300 {
		t.Fatalf("only %d texts", len(c))
	}
	crisis, long := 0, 0
	for _, s := range c {
		if safety.Assess(s).Crisis {
			crisis++
		}
		if len(s) > 200 {
			long++
		}
	}
	if crisis < len(c)/5 || crisis > len(c)*9/10 || long < len(c)/4 {
		t.Fatalf("%d texts: %d crisis, %d longer than 200 bytes", len(c), crisis, long)
	}
}

// BenchmarkCrisisDetector times one safety.Assess per iteration,
// round-robin over the corpus, and reports latency percentiles.
func BenchmarkCrisisDetector(b *testing.B) {
	corpus := safetyCorpus(b)
	for _, s := range corpus { // warm up
		safety.Assess(s)
	}
	lat := make([]time.Duration, 0, 1<<16)
	bytes := 0
	for i := 0; b.Loop(); i++ {
		s := corpus[i%len(corpus)]
		t0 := time.Now()
		safety.Assess(s)
		lat = append(lat, time.Since(t0))
		bytes += len(s)
	}
	if len(lat) == 0 {
		return
	}
	slices.Sort(lat)
	us := func(d time.Duration) float64 { return float64(d) / 1e3 }
	b.ReportMetric(us(percentile(lat, 50)), "p50-µs")
	b.ReportMetric(us(percentile(lat, 99)), "p99-µs")
	b.ReportMetric(us(lat[len(lat)-1]), "max-µs")
	b.ReportMetric(float64(bytes)/float64(len(lat)), "bytes/text")
}
