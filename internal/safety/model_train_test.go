package safety

// TestTrainModel trains the learned reading (model.go) and, with -train,
// writes model_weights.go (go generate ./internal/safety). Without -train
// it only runs with -trainreport: the cross-validated report below.
//
// Every labelled text in testdata is used: the evaluation set, both
// held-out sets and the development examples. Before the final model is
// trained on all of them, each text is scored by a model that has not seen
// it — each held-out set by a model trained without that set, the rest in
// five folds — and those scores, combined with the rules as Assess combines
// them, give the figures per set the report prints. They say how the
// combination would do on texts written later; the figures of the shipped
// model on these sets do not (it has read them).

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"go/format"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
)

var (
	trainFlag  = flag.Bool("train", false, "train the model and write model_weights.go")
	reportFlag = flag.Bool("trainreport", false, "print the cross-validated report without writing")
)

// Training settings.
var (
	trainEpochs  = envInt("HEARTH_TRAIN_EPOCHS", 30)
	trainRate    = envFloat("HEARTH_TRAIN_RATE", 0.2)
	trainL2      = envFloat("HEARTH_TRAIN_L2", 1e-4)
	trainMinDocs = envInt("HEARTH_TRAIN_MINDOCS", 2) // a feature must occur in this many texts
	trainKeep    = envInt("HEARTH_TRAIN_KEEP", 3000) // features kept in model_weights.go
	// Each everyday chat line (testdata/everyday) counts this many times:
	// the labelled sets are nearly half crises, a room's chat is not.
	trainEverydayWeight = envFloat("HEARTH_TRAIN_EVERYDAY_WEIGHT", 3)
)

func envInt(k string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(k)); err == nil {
		return v
	}
	return def
}

func envFloat(k string, def float64) float64 {
	if v, err := strconv.ParseFloat(os.Getenv(k), 64); err == nil {
		return v
	}
	return def
}

const (
	trainCVFolds  = 5
	trainSeedPCG1 = 4
	trainSeedPCG2 = 2026
)

type trainDoc struct {
	text   string
	group  string // main, holdout, holdout-2, dev
	tier   int
	danger bool
	feats  []uint64
	fold   int
	weight float64 // how much the text counts in training
}

func (d trainDoc) labels() [heads]float64 {
	var y [heads]float64
	if d.tier >= 2 {
		y[headIdeation] = 1
	}
	if d.tier == 3 {
		y[headImminent] = 1
	}
	if d.danger {
		y[headDanger] = 1
	}
	return y
}

func loadTrainDocs(t *testing.T) ([]trainDoc, map[uint64]string) {
	t.Helper()
	var docs []trainDoc
	for _, g := range []struct{ group, glob string }{
		{"main", "testdata/eval/*.jsonl"},
		{"holdout", "testdata/eval/holdout/*.jsonl"},
		{"holdout-2", "testdata/eval/holdout-2/*.jsonl"},
		{"everyday", "testdata/everyday/*.jsonl"},
	} {
		files, err := filepath.Glob(g.glob)
		if err != nil || len(files) == 0 {
			t.Fatalf("%s: %v", g.glob, err)
		}
		sort.Strings(files)
		for _, name := range files {
			b, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			sc := bufio.NewScanner(bytes.NewReader(b))
			sc.Buffer(make([]byte, 64*1024), 1024*1024)
			for sc.Scan() {
				line := bytes.TrimSpace(sc.Bytes())
				if len(line) == 0 {
					continue
				}
				var c evalCase
				if err := json.Unmarshal(line, &c); err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				w := 1.0
				if g.group == "everyday" {
					w = trainEverydayWeight
				}
				docs = append(docs, trainDoc{text: c.Text, group: g.group, tier: c.Tier, danger: c.Danger, weight: w})
			}
		}
	}
	for _, c := range loadDev(t) {
		docs = append(docs, trainDoc{text: c.text, group: "dev", tier: c.tier, danger: c.danger, weight: 1})
	}
	names := map[uint64]string{}
	for i := range docs {
		toks, _ := tokenize(docs[i].text)
		add := func(h uint64, name string) {
			docs[i].feats = append(docs[i].feats, h)
			names[h] = name
		}
		eachFeature(toks, true, add)
		eachCueFeature(toks, true, add)
		switch docs[i].group {
		case "holdout":
			docs[i].fold = trainCVFolds
		case "holdout-2":
			docs[i].fold = trainCVFolds + 1
		default:
			f := fnv.New32a()
			f.Write([]byte(docs[i].text))
			docs[i].fold = int(f.Sum32() % trainCVFolds)
		}
	}
	return docs, names
}

// trained is a model as a map, for training.
type trained struct {
	w    map[uint64]*[heads]float64
	bias [heads]float64
}

func (m *trained) prob(feats []uint64) [heads]float64 {
	z := m.bias
	for _, h := range feats {
		if w, ok := m.w[h]; ok {
			for k := range z {
				z[k] += w[k]
			}
		}
	}
	var p [heads]float64
	for k := range z {
		p[k] = 1 / (1 + math.Exp(-z[k]))
	}
	return p
}

// train fits a logistic regression per head by stochastic gradient descent
// with AdaGrad steps and L2, on the features allowed (nil: those in at
// least trainMinDocs of the texts).
func train(docs []trainDoc, allowed map[uint64]bool) *trained {
	if allowed == nil {
		df := map[uint64]int{}
		for _, d := range docs {
			seen := map[uint64]bool{}
			for _, h := range d.feats {
				if !seen[h] {
					seen[h] = true
					df[h]++
				}
			}
		}
		allowed = map[uint64]bool{}
		for h, n := range df {
			if n >= trainMinDocs {
				allowed[h] = true
			}
		}
	}
	m := &trained{w: map[uint64]*[heads]float64{}}
	acc := map[uint64]*[heads]float64{}
	for h := range allowed {
		m.w[h] = new([heads]float64)
		acc[h] = new([heads]float64)
	}
	var accBias [heads]float64
	order := make([]int, len(docs))
	for i := range order {
		order[i] = i
	}
	r := rand.New(rand.NewPCG(trainSeedPCG1, trainSeedPCG2))
	for range trainEpochs {
		r.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, i := range order {
			d := docs[i]
			p := m.prob(d.feats)
			y := d.labels()
			for k := range p {
				g := (p[k] - y[k]) * d.weight
				accBias[k] += float64(g * g) // a conversion: no fused multiply-add, the same bits everywhere
				m.bias[k] -= trainRate * g / math.Sqrt(accBias[k]+1e-8)
				for _, h := range d.feats {
					w, ok := m.w[h]
					if !ok {
						continue
					}
					gw := g + trainL2*w[k]*float64(len(docs))/100
					a := acc[h]
					a[k] += float64(gw * gw)
					w[k] -= trainRate * gw / math.Sqrt(a[k]+1e-8)
				}
			}
		}
	}
	return m
}

// prune keeps the n features of largest weight.
func prune(m *trained, n int) map[uint64]bool {
	type fw struct {
		h uint64
		w float64
	}
	var all []fw
	for h, w := range m.w {
		all = append(all, fw{h, max(math.Abs(w[0]), math.Abs(w[1]), math.Abs(w[2]))})
	}
	sort.Slice(all, func(i, j int) bool {
		if all[i].w != all[j].w {
			return all[i].w > all[j].w
		}
		return all[i].h < all[j].h
	})
	keep := map[uint64]bool{}
	for i := 0; i < n && i < len(all); i++ {
		keep[all[i].h] = true
	}
	return keep
}

func fitPruned(docs []trainDoc) *trained {
	return train(docs, prune(train(docs, nil), trainKeep))
}

type trainMetrics struct {
	tp, fp, fn, t3, t3found, n int
}

func (m trainMetrics) String() string {
	return fmt.Sprintf("n=%4d recall %.3f (%d/%d) precision %.3f (%d/%d) tier-3 %.3f (%d/%d)", m.n,
		ratio(m.tp, m.tp+m.fn), m.tp, m.tp+m.fn, ratio(m.tp, m.tp+m.fp), m.tp, m.tp+m.fp, ratio(m.t3found, m.t3), m.t3found, m.t3)
}

func (m *trainMetrics) add(d trainDoc, a Assessment) {
	m.n++
	want := d.tier >= 2 || d.danger
	switch {
	case want && a.Crisis:
		m.tp++
	case want:
		m.fn++
	case a.Crisis:
		m.fp++
	}
	if d.tier == 3 {
		m.t3++
		if a.Tier == 3 {
			m.t3found++
		}
	}
}

func TestTrainModel(t *testing.T) {
	if !*trainFlag && !*reportFlag {
		t.Skip("go generate ./internal/safety (or go test -run TestTrainModel -trainreport)")
	}
	groundWords = envInt("HEARTH_TRAIN_GROUND_WORDS", groundWords)
	docs, names := loadTrainDocs(t)
	// Out-of-fold probabilities.
	oof := make([][heads]float64, len(docs))
	for fold := 0; fold < trainCVFolds+2; fold++ {
		var tr []trainDoc
		for _, d := range docs {
			if d.fold != fold {
				tr = append(tr, d)
			}
		}
		m := fitPruned(tr)
		for i, d := range docs {
			if d.fold == fold {
				oof[i] = m.prob(d.feats)
			}
		}
	}
	type reading struct {
		a Assessment
		v ruleView
	}
	rulesOnly := make([]reading, len(docs))
	for i, d := range docs {
		a, v, toks := defaultDetector.ruleReading(d.text)
		v.words(toks)
		rulesOnly[i] = reading{a, v}
	}
	groups := []string{"main", "holdout", "holdout-2", "dev", "everyday", "all"}
	report := func(title string, assess func(i int) Assessment) {
		per := map[string]*trainMetrics{}
		for _, g := range groups {
			per[g] = &trainMetrics{}
		}
		for i, d := range docs {
			a := assess(i)
			per[d.group].add(d, a)
			per["all"].add(d, a)
		}
		t.Logf("%s", title)
		for _, g := range groups {
			t.Logf("  %-10s %v", g, per[g])
		}
		// In a room about 1 line in 200 is a crisis: the share of alarms
		// that would be real there, from the recall on the held-out sets
		// and the false alarms on the everyday lines.
		fresh := per["holdout"].tp + per["holdout-2"].tp
		recall := ratio(fresh, fresh+per["holdout"].fn+per["holdout-2"].fn)
		fa := float64(per["everyday"].fp) / float64(max(per["everyday"].n, 1))
		t.Logf("  room: everyday false alarms %d/%d; at 1 crisis in 200 lines, %.0f%% of alarms real (held-out recall %.3f)",
			per["everyday"].fp, per["everyday"].n, 100*recall/200/(recall/200+fa*199/200), recall)
	}
	report("rules alone", func(i int) Assessment { return rulesOnly[i].a })
	report(fmt.Sprintf("rules + model (out of fold), thresholds %+v", modelThresholds),
		func(i int) Assessment { return raise(rulesOnly[i].a, rulesOnly[i].v, oof[i]) })
	report("rules + model (out of fold) without the grounds (as before)", func(i int) Assessment {
		v := rulesOnly[i].v
		v.crisisGrounds, v.dangerGrounds = true, true
		return raise(rulesOnly[i].a, v, oof[i])
	})
	for _, th := range []float64{0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95} {
		report(fmt.Sprintf("model alone (out of fold), crisis when ideation or danger ≥ %.2f", th), func(i int) Assessment {
			p := oof[i]
			a := Assessment{}
			if p[headIdeation] >= th {
				a.Tier = 2
				if p[headImminent] >= th {
					a.Tier = 3
				}
			}
			a.Crisis = a.Tier >= 2 || p[headDanger] >= th
			return a
		})
	}
	if os.Getenv("HEARTH_TRAIN_RAISED") != "" {
		// the texts the model raised wrongly or missed, out of fold
		for i, d := range docs {
			a := raise(rulesOnly[i].a, rulesOnly[i].v, oof[i])
			want := d.tier >= 2 || d.danger
			if a.Crisis != rulesOnly[i].a.Crisis {
				toks, _ := tokenize(d.text)
				var cls []string
				for _, tk := range toks {
					for j, c := range cueClasses {
						if cueWords[tk.w]&(1<<j) != 0 && !slices.Contains(cls, c.name) {
							cls = append(cls, c.name)
						}
					}
				}
				t.Logf("raised %-5v %s tier %d rules %d p=%.2f %v %q", a.Crisis == want, d.group, d.tier, rulesOnly[i].a.Tier, oof[i], cls, d.text)
			}
		}
	}
	if os.Getenv("HEARTH_TRAIN_GRID") != "" {
		for _, th2 := range []float64{0.7, 0.8, 0.9} {
			for _, bare := range []float64{0.99, 0.995, 2} {
				for _, th3 := range []float64{0.8, 0.9} {
					th := thresholds{raise2: th2, bare: bare, raise3: th3, danger: th2}
					report(fmt.Sprintf("grid %+v", th), func(i int) Assessment {
						return raiseWith(rulesOnly[i].a, rulesOnly[i].v, oof[i], th)
					})
				}
			}
		}
	}
	if !*trainFlag {
		return
	}
	final := fitPruned(docs)
	writeWeights(t, final, names)
}

// TestModelWeightsAreCurrent: model_weights.go is what the trainer makes
// of the labelled texts and the features as they are now (run go generate
// ./internal/safety after changing either).
func TestModelWeightsAreCurrent(t *testing.T) {
	if testing.Short() || *trainFlag || *reportFlag {
		t.Skip("trains a model")
	}
	if runtime.GOARCH != "amd64" {
		t.Skip("the weights were generated on amd64; math.Exp may round otherwise elsewhere")
	}
	docs, names := loadTrainDocs(t)
	want, err := os.ReadFile("model_weights.go")
	if err != nil {
		t.Fatal(err)
	}
	if got := renderWeights(t, fitPruned(docs), names); !bytes.Equal(got, want) {
		t.Fatal("model_weights.go is stale: run go generate ./internal/safety")
	}
}

func writeWeights(t *testing.T, m *trained, names map[uint64]string) {
	src := renderWeights(t, m, names)
	if err := os.WriteFile("model_weights.go", src, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote model_weights.go: %d bytes", len(src))
}

func renderWeights(t *testing.T, m *trained, names map[uint64]string) []byte {
	var rows []string
	for h, w := range m.w {
		if w[0] == 0 && w[1] == 0 && w[2] == 0 {
			continue
		}
		rows = append(rows, fmt.Sprintf("{%q, [heads]float32{%s, %s, %s}},", names[h], f32(w[0]), f32(w[1]), f32(w[2])))
	}
	slices.Sort(rows)
	var b strings.Builder
	b.WriteString("// Code generated by TestTrainModel (go generate ./internal/safety); DO NOT EDIT.\n\npackage safety\n\n")
	fmt.Fprintf(&b, "var modelBias = [heads]float32{%s, %s, %s}\n\n", f32(m.bias[0]), f32(m.bias[1]), f32(m.bias[2]))
	b.WriteString("var modelFeatures = []modelFeature{\n")
	for _, r := range rows {
		b.WriteString(r + "\n")
	}
	b.WriteString("}\n")
	src, err := format.Source([]byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	return src
}

func f32(x float64) string {
	return fmt.Sprintf("%.4g", float32(x))
}

// TestModelFeaturesAgree: Assess scores with wordFeatures, the trainer
// with eachFeature; they must see the same features.
func TestModelFeaturesAgree(t *testing.T) {
	m := defaultDetector.model
	for _, d := range loadDev(t) {
		toks, _ := tokenize(d.text)
		var z1, z2 [heads]float64
		eachFeature(toks, false, func(h uint64, _ string) {
			if i, ok := m.index[h]; ok {
				for k := range z1 {
					z1[k] += float64(m.w[i][k])
				}
			}
		})
		m.wordFeatures(toks, &z2)
		if z1 != z2 {
			t.Fatalf("%q: eachFeature %v, wordFeatures %v", d.text, z1, z2)
		}
	}
}
