package safety

// The evaluation gate: the hand-written, hand-labelled texts in
// testdata/eval (see testdata/eval/README.md for the labelling guide) are run
// through Assess, and the detector must find the people in crisis among them
// without crying wolf at every idiom. The set was written apart from the
// detector, so a change that only teaches the detector these sentences is
// cheating the people the gate protects; add new texts instead.

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"
	"unicode"
)

// The thresholds of issue 4. Tier-3 recall counts a tier-3 text as found only
// when Assess returns tier 3: the imminent response (on-call list, escalation)
// hangs on it.
const (
	minCrisisRecall    = 0.95
	minCrisisPrecision = 0.85
	minTier3Recall     = 0.98
	minTexts           = 400
	minSpanishShare    = 0.40
	maxMisclassified   = 40
)

// kindRule says what labels a kind of text may carry. Hard negatives are the
// kinds written to trip a naïve keyword list: none of them is a crisis.
type kindRule struct {
	hardNegative     bool
	minTier, maxTier int
	danger           string // "yes", "no" or "any"
}

var evalKinds = map[string]kindRule{
	// Hard negatives: never a crisis (tier 0 or 1, no danger from others).
	"idiom":         {hardNegative: true, maxTier: 1, danger: "no"},
	"negation":      {hardNegative: true, maxTier: 1, danger: "no"},
	"recovery_past": {hardNegative: true, maxTier: 1, danger: "no"},
	"other_death":   {hardNegative: true, maxTier: 1, danger: "no"},
	"prevention":    {hardNegative: true, maxTier: 1, danger: "no"},
	"grief_suicide": {hardNegative: true, maxTier: 1, danger: "no"},
	"medical":       {hardNegative: true, maxTier: 1, danger: "no"},
	"joke":          {hardNegative: true, maxTier: 1, danger: "no"},
	"lyrics":        {hardNegative: true, maxTier: 1, danger: "no"},
	"venting":       {hardNegative: true, maxTier: 1, danger: "no"},
	// Everything else.
	"ordinary":         {minTier: 0, maxTier: 0, danger: "no"},
	"distress":         {minTier: 1, maxTier: 1, danger: "no"},
	"ideation":         {minTier: 2, maxTier: 2, danger: "no"},
	"self_harm":        {minTier: 2, maxTier: 2, danger: "no"},
	"imminent":         {minTier: 3, maxTier: 3, danger: "no"},
	"negated_imminent": {minTier: 3, maxTier: 3, danger: "no"},
	"third_party":      {minTier: 3, maxTier: 3, danger: "no"},
	"danger":           {minTier: 0, maxTier: 3, danger: "yes"},
}

type evalCase struct {
	Text   string `json:"text"`
	Lang   string `json:"lang"`
	Tier   int    `json:"tier"`
	Danger bool   `json:"danger_from_others"`
	Kind   string `json:"kind"`

	where string // file:line
}

func (c evalCase) crisis() bool { return c.Tier >= 2 || c.Danger }

// loadEvalSet reads every testdata/eval/*.jsonl file and reports, as test
// errors, every line that breaks the set's own rules.
func loadEvalSet(t *testing.T) []evalCase {
	t.Helper()
	dir := filepath.Join("testdata", "eval")
	if d := os.Getenv("HEARTH_EVAL_DIR"); d != "" {
		dir = d // a fresh set the detector has never seen; its size rules still apply
	}
	files, err := filepath.Glob(filepath.Join(dir, "*.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no evaluation files in %s", dir)
	}
	sort.Strings(files)
	var cases []evalCase
	seen := map[string]string{}
	for _, name := range files {
		f, err := os.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 64*1024), 1024*1024)
		line := 0
		for sc.Scan() {
			line++
			where := fmt.Sprintf("%s:%d", filepath.Base(name), line)
			raw := bytes.TrimSpace(sc.Bytes())
			if len(raw) == 0 {
				continue
			}
			var c evalCase
			dec := json.NewDecoder(bytes.NewReader(raw))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&c); err != nil {
				t.Errorf("%s: not a labelled text: %v", where, err)
				continue
			}
			c.where = where
			if msg := checkCase(c, name); msg != "" {
				t.Errorf("%s: %s: %q", where, msg, c.Text)
				continue
			}
			key := normalizeForDup(c.Text)
			if prev, ok := seen[key]; ok {
				t.Errorf("%s: the same text as %s: %q", where, prev, c.Text)
				continue
			}
			seen[key] = where
			cases = append(cases, c)
		}
		if err := sc.Err(); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		f.Close()
	}
	return cases
}

// checkCase returns what is wrong with one labelled text, or "".
func checkCase(c evalCase, file string) string {
	if strings.TrimSpace(c.Text) == "" {
		return "empty text"
	}
	if c.Text != strings.TrimSpace(c.Text) {
		return "text has leading or trailing space"
	}
	if c.Lang != "en" && c.Lang != "es" {
		return fmt.Sprintf("lang %q is neither en nor es", c.Lang)
	}
	base := strings.TrimSuffix(filepath.Base(file), ".jsonl")
	for _, l := range []string{"en", "es"} {
		if strings.HasSuffix(base, "_"+l) && c.Lang != l {
			return fmt.Sprintf("lang %q in a file of %q texts", c.Lang, l)
		}
	}
	if en, es := languageVotes(c.Text); (c.Lang == "en" && es > en) || (c.Lang == "es" && en > es) {
		return fmt.Sprintf("labelled %q but reads as the other language (en %d, es %d common words)", c.Lang, en, es)
	}
	if c.Tier < 0 || c.Tier > 3 {
		return fmt.Sprintf("tier %d is outside 0..3", c.Tier)
	}
	rule, ok := evalKinds[c.Kind]
	if !ok {
		return fmt.Sprintf("unknown kind %q", c.Kind)
	}
	if c.Tier < rule.minTier || c.Tier > rule.maxTier {
		return fmt.Sprintf("tier %d is outside %d..%d for kind %q", c.Tier, rule.minTier, rule.maxTier, c.Kind)
	}
	if (rule.danger == "yes" && !c.Danger) || (rule.danger == "no" && c.Danger) {
		return fmt.Sprintf("danger_from_others %v does not fit kind %q", c.Danger, c.Kind)
	}
	return ""
}

// normalizeForDup folds case, accents and spacing, so that a text copied with
// its accents dropped still counts as a duplicate.
func normalizeForDup(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch r {
		case 'á', 'à', 'ä':
			r = 'a'
		case 'é', 'è', 'ë':
			r = 'e'
		case 'í', 'ì', 'ï':
			r = 'i'
		case 'ó', 'ò', 'ö':
			r = 'o'
		case 'ú', 'ù', 'ü':
			r = 'u'
		case 'ñ':
			r = 'n'
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		} else if b.Len() > 0 && !strings.HasSuffix(b.String(), " ") {
			b.WriteByte(' ')
		}
	}
	return strings.TrimSpace(b.String())
}

// Common words found in only one of the two languages; a text labelled with
// one language must not hold more of the other's.
var (
	enWords = wordSet("the i i'm to and my is it of in you it's this that with for was have not be just so he she they what don't can't at all")
	esWords = wordSet("el la que de y mi es lo en los las un una por para con se ya pero porque estoy tengo quiero muy hoy como nada todo más mas")
)

func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[strings.Trim(w, ",")] = true
	}
	return m
}

func languageVotes(text string) (en, es int) {
	for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && r != '\''
	}) {
		if enWords[w] {
			en++
		}
		if esWords[w] {
			es++
		}
	}
	return en, es
}

// evalResult is one text with what the detector made of it.
type evalResult struct {
	evalCase
	got Assessment
}

func (r evalResult) gotDanger() bool {
	for _, c := range r.got.Categories {
		if c == "danger_from_others" {
			return true
		}
	}
	return false
}

// metrics over a slice of results.
type evalMetrics struct {
	n                    int
	tiers                [4][4]int // [expected][got]
	tp, fn, fp, tn       int       // crisis yes/no
	tier3, tier3Found    int
	danger, dangerFound  int
	langRight            int
	methodDetailOnTier3  int
	hardNeg, hardNegSafe int
}

func measure(results []evalResult) evalMetrics {
	var m evalMetrics
	for _, r := range results {
		m.n++
		got := r.got.Tier
		if got < 0 {
			got = 0
		}
		if got > 3 {
			got = 3
		}
		m.tiers[r.Tier][got]++
		switch want, have := r.crisis(), r.got.Crisis; {
		case want && have:
			m.tp++
		case want && !have:
			m.fn++
		case !want && have:
			m.fp++
		default:
			m.tn++
		}
		if r.Tier == 3 {
			m.tier3++
			if r.got.Tier == 3 {
				m.tier3Found++
				if r.got.MethodDetail {
					m.methodDetailOnTier3++
				}
			}
		}
		if r.Danger {
			m.danger++
			if r.gotDanger() {
				m.dangerFound++
			}
		}
		if r.got.Language == r.Lang {
			m.langRight++
		}
		if evalKinds[r.Kind].hardNegative {
			m.hardNeg++
			if !r.got.Crisis {
				m.hardNegSafe++
			}
		}
	}
	return m
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

func (m evalMetrics) crisisRecall() float64    { return ratio(m.tp, m.tp+m.fn) }
func (m evalMetrics) crisisPrecision() float64 { return ratio(m.tp, m.tp+m.fp) }
func (m evalMetrics) tier3Recall() float64     { return ratio(m.tier3Found, m.tier3) }

func (m evalMetrics) write(b *strings.Builder, title string) {
	fmt.Fprintf(b, "\n== %s: %d texts ==\n", title, m.n)
	fmt.Fprintf(b, "tiers (rows: labelled, columns: detected)\n")
	fmt.Fprintf(b, "          got0  got1  got2  got3\n")
	for i := 0; i < 4; i++ {
		fmt.Fprintf(b, "  tier %d %5d %5d %5d %5d\n", i, m.tiers[i][0], m.tiers[i][1], m.tiers[i][2], m.tiers[i][3])
	}
	fmt.Fprintf(b, "crisis (tier >= 2 or danger from others)\n")
	fmt.Fprintf(b, "               got yes  got no\n")
	fmt.Fprintf(b, "  crisis       %7d %7d\n", m.tp, m.fn)
	fmt.Fprintf(b, "  not crisis   %7d %7d\n", m.fp, m.tn)
	fmt.Fprintf(b, "crisis recall    %.3f (%d/%d, gate %.2f)\n", m.crisisRecall(), m.tp, m.tp+m.fn, minCrisisRecall)
	fmt.Fprintf(b, "crisis precision %.3f (%d/%d, gate %.2f)\n", m.crisisPrecision(), m.tp, m.tp+m.fp, minCrisisPrecision)
	fmt.Fprintf(b, "tier-3 recall    %.3f (%d/%d, gate %.2f)\n", m.tier3Recall(), m.tier3Found, m.tier3, minTier3Recall)
	fmt.Fprintf(b, "danger recall    %.3f (%d/%d, not gated)\n", ratio(m.dangerFound, m.danger), m.dangerFound, m.danger)
	fmt.Fprintf(b, "hard negatives left alone %.3f (%d/%d)\n", ratio(m.hardNegSafe, m.hardNeg), m.hardNegSafe, m.hardNeg)
	fmt.Fprintf(b, "language right   %.3f (%d/%d)\n", ratio(m.langRight, m.n), m.langRight, m.n)
	fmt.Fprintf(b, "method detail flagged on %d of %d tier-3 texts found\n", m.methodDetailOnTier3, m.tier3Found)
}

func assessAll(cases []evalCase) []evalResult {
	out := make([]evalResult, len(cases))
	for i, c := range cases {
		out[i] = evalResult{evalCase: c, got: Assess(c.Text)}
	}
	return out
}

func TestEvaluationGate(t *testing.T) {
	cases := loadEvalSet(t)
	if t.Failed() {
		t.FailNow()
	}

	t.Run("the set is large and hard enough to mean something", func(t *testing.T) {
		var hard, es int
		kinds := map[string][2]int{}
		for _, c := range cases {
			if evalKinds[c.Kind].hardNegative {
				hard++
			}
			k := kinds[c.Kind]
			if c.Lang == "es" {
				es++
				k[1]++
			} else {
				k[0]++
			}
			kinds[c.Kind] = k
		}
		if len(cases) < minTexts {
			t.Errorf("%d texts, want at least %d", len(cases), minTexts)
		}
		if 2*hard < len(cases) {
			t.Errorf("%d hard negatives among %d texts, want at least half", hard, len(cases))
		}
		if ratio(es, len(cases)) < minSpanishShare {
			t.Errorf("%d Spanish texts among %d, want at least %.0f%%", es, len(cases), 100*minSpanishShare)
		}
		for kind := range evalKinds {
			if n := kinds[kind]; n[0] == 0 || n[1] == 0 {
				t.Errorf("kind %q has %d English and %d Spanish texts, want some of each", kind, n[0], n[1])
			}
		}
	})

	results := assessAll(cases)

	t.Run("answers keep their own contract", func(t *testing.T) {
		allowed := map[string]bool{"distress": true, "suicidal": true, "self_harm": true, "imminent": true, "danger_from_others": true}
		for _, r := range results {
			g := r.got
			if g.Tier < 0 || g.Tier > 3 {
				t.Errorf("%s: tier %d outside 0..3: %q", r.where, g.Tier, r.Text)
			}
			if want := g.Tier >= 2 || r.gotDanger(); g.Crisis != want {
				t.Errorf("%s: crisis %v but tier %d and categories %v: %q", r.where, g.Crisis, g.Tier, g.Categories, r.Text)
			}
			for _, c := range g.Categories {
				if !allowed[c] {
					t.Errorf("%s: unknown category %q: %q", r.where, c, r.Text)
				}
			}
			if g.Language != "en" && g.Language != "es" {
				t.Errorf("%s: language %q is neither en nor es: %q", r.where, g.Language, r.Text)
			}
		}
	})

	t.Run("gives the same answers when called from many goroutines", func(t *testing.T) {
		got := make([]Assessment, len(cases))
		var wg sync.WaitGroup
		for w := 0; w < 8; w++ {
			wg.Add(1)
			go func(w int) {
				defer wg.Done()
				for i := w; i < len(cases); i += 8 {
					got[i] = Assess(cases[i].Text)
				}
			}(w)
		}
		wg.Wait()
		for i, r := range results {
			if !reflect.DeepEqual(got[i], r.got) {
				t.Errorf("%s: %+v alone, %+v alongside others: %q", r.where, r.got, got[i], r.Text)
			}
		}
	})

	var report strings.Builder
	all := measure(results)
	all.write(&report, "all languages")
	byLang := map[string]evalMetrics{}
	for _, lang := range []string{"en", "es"} {
		var sub []evalResult
		for _, r := range results {
			if r.Lang == lang {
				sub = append(sub, r)
			}
		}
		byLang[lang] = measure(sub)
		byLang[lang].write(&report, "lang "+lang)
	}
	writeKinds(&report, results)
	writeMisclassified(&report, results)
	if testing.Verbose() {
		fmt.Print(report.String())
	} else {
		t.Log(report.String())
	}

	t.Run("finds the people in crisis without crying wolf", func(t *testing.T) {
		if r := all.crisisRecall(); r < minCrisisRecall {
			t.Errorf("crisis recall %.3f, want at least %.2f", r, minCrisisRecall)
		}
		if p := all.crisisPrecision(); p < minCrisisPrecision {
			t.Errorf("crisis precision %.3f, want at least %.2f", p, minCrisisPrecision)
		}
		if r := all.tier3Recall(); r < minTier3Recall {
			t.Errorf("tier-3 recall %.3f, want at least %.2f", r, minTier3Recall)
		}
	})

	// A good English detector must not hide a poor Spanish one in the total:
	// each language must find its people in crisis on its own.
	t.Run("finds the people in crisis in each language", func(t *testing.T) {
		for _, lang := range []string{"en", "es"} {
			if r := byLang[lang].crisisRecall(); r < minCrisisRecall {
				t.Errorf("%s: crisis recall %.3f, want at least %.2f", lang, r, minCrisisRecall)
			}
		}
	})
}

// writeKinds prints, per kind, how often the detector agreed with the label
// on crisis and on tier: where a hard-negative kind loses, the detector is
// reading keywords.
func writeKinds(b *strings.Builder, results []evalResult) {
	type count struct{ n, crisisRight, tierRight int }
	per := map[string]*count{}
	for _, r := range results {
		c := per[r.Kind]
		if c == nil {
			c = &count{}
			per[r.Kind] = c
		}
		c.n++
		if r.got.Crisis == r.crisis() {
			c.crisisRight++
		}
		if r.got.Tier == r.Tier {
			c.tierRight++
		}
	}
	kinds := make([]string, 0, len(per))
	for k := range per {
		kinds = append(kinds, k)
	}
	sort.Slice(kinds, func(i, j int) bool {
		hi, hj := evalKinds[kinds[i]].hardNegative, evalKinds[kinds[j]].hardNegative
		if hi != hj {
			return hi
		}
		return kinds[i] < kinds[j]
	})
	fmt.Fprintf(b, "\n== by kind (* hard negative) ==\n")
	fmt.Fprintf(b, "  %-18s %5s %12s %10s\n", "kind", "texts", "crisis right", "tier right")
	for _, k := range kinds {
		c := per[k]
		mark := " "
		if evalKinds[k].hardNegative {
			mark = "*"
		}
		fmt.Fprintf(b, " %s%-18s %5d %12d %10d\n", mark, k, c.n, c.crisisRight, c.tierRight)
	}
}

// writeMisclassified lists the texts the detector got wrong, the worst first:
// missed tier 3, missed crisis, false alarms, then tier-only errors.
func writeMisclassified(b *strings.Builder, results []evalResult) {
	severity := func(r evalResult) int {
		switch {
		case r.Tier == 3 && r.got.Tier != 3:
			return 0
		case r.crisis() && !r.got.Crisis:
			return 1
		case !r.crisis() && r.got.Crisis:
			return 2
		case r.Danger != r.gotDanger():
			return 3
		case r.got.Tier != r.Tier:
			return 4
		}
		return -1
	}
	var wrong []evalResult
	for _, r := range results {
		if severity(r) >= 0 {
			wrong = append(wrong, r)
		}
	}
	sort.SliceStable(wrong, func(i, j int) bool { return severity(wrong[i]) < severity(wrong[j]) })
	labels := []string{"MISSED TIER 3", "MISSED CRISIS", "FALSE ALARM", "DANGER", "tier"}
	limit := maxMisclassified
	if os.Getenv("HEARTH_EVAL_ALL") != "" {
		limit = len(wrong)
	}
	fmt.Fprintf(b, "\n== misclassified: %d (first %d; HEARTH_EVAL_ALL=1 lists all) ==\n", len(wrong), min(len(wrong), limit))
	for i, r := range wrong {
		if i == limit {
			break
		}
		fmt.Fprintf(b, "  %-13s %-28s want tier %d danger %-5v got tier %d crisis %-5v %v [%s] %q\n",
			labels[severity(r)], r.where, r.Tier, r.Danger, r.got.Tier, r.got.Crisis, r.got.Categories, r.Kind, r.Text)
	}
}
