package safety

// The detector in a live room and on a board: every chat line and every
// post goes through Assess, and a crisis reading pages the group's volunteer
// facilitators. Two gates keep it quiet on ordinary talk:
//
//   - TestEverydayChatStaysQuiet: the everyday chat lines of
//     testdata/everyday (greetings, logistics, check-ins, jokes, mild
//     distress; none a crisis) may raise at most one false alarm in 300.
//   - TestLongPostsOfOrdinarySentences: posts made of 12 sentences that are
//     each read as no crisis on their own must not become one by adding up
//     (cues far apart in a post do not make a plan).

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// maxEverydayAlarmsPer300 is the everyday gate: false alarms per 300 lines.
const maxEverydayAlarmsPer300 = 1

// loadEveryday reads testdata/everyday/*.jsonl: the format of the
// evaluation set (testdata/eval/README.md), none of them a crisis.
func loadEveryday(t testing.TB) []evalCase {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "everyday", "*.jsonl"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no everyday files: %v", err)
	}
	sort.Strings(files)
	var cases []evalCase
	seen := map[string]string{}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(bytes.NewReader(b))
		sc.Buffer(make([]byte, 64*1024), 1024*1024)
		for line := 1; sc.Scan(); line++ {
			raw := bytes.TrimSpace(sc.Bytes())
			if len(raw) == 0 {
				continue
			}
			where := fmt.Sprintf("%s:%d", filepath.Base(name), line)
			var c evalCase
			dec := json.NewDecoder(bytes.NewReader(raw))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&c); err != nil {
				t.Fatalf("%s: not a labelled text: %v", where, err)
			}
			c.where = where
			if msg := checkCase(c, name); msg != "" {
				t.Fatalf("%s: %s: %q", where, msg, c.Text)
			}
			if c.crisis() {
				t.Fatalf("%s: the everyday set holds no crisis (tier %d, danger %v): %q", where, c.Tier, c.Danger, c.Text)
			}
			key := normalizeForDup(c.Text)
			if prev, ok := seen[key]; ok {
				t.Fatalf("%s: the same text as %s: %q", where, prev, c.Text)
			}
			seen[key] = where
			cases = append(cases, c)
		}
	}
	return cases
}

func TestEverydayChatStaysQuiet(t *testing.T) {
	cases := loadEveryday(t)
	alarms := 0
	for _, c := range cases {
		a := Assess(c.Text)
		if a.Crisis {
			alarms++
			t.Logf("false alarm: %s tier %d %v %q", c.where, a.Tier, a.Categories, c.Text)
		}
	}
	t.Logf("everyday: %d false alarms in %d lines (%.1f%%)", alarms, len(cases), 100*float64(alarms)/float64(len(cases)))
	if limit := len(cases) * maxEverydayAlarmsPer300 / 300; alarms > limit {
		t.Errorf("%d false alarms in %d everyday lines, want at most %d", alarms, len(cases), limit)
	}
}

// ordinarySentences are the labelled texts that are not a crisis (the
// evaluation set, its held-out sets and the development examples; not the
// everyday lines, so that the figure stays comparable with the first
// measure, 49% at 12 sentences) and that Assess reads as none on their
// own.
func ordinarySentences(t *testing.T) []string {
	t.Helper()
	var texts []string
	docs, _ := loadTrainDocs(t)
	for _, d := range docs {
		if d.tier < 2 && !d.danger && d.group != "everyday" {
			texts = append(texts, d.text)
		}
	}
	var out []string
	for _, s := range texts {
		if !Assess(s).Crisis {
			out = append(out, s)
		}
	}
	sort.Strings(out)
	return out
}

// longPosts joins n of the sentences, chosen with a fixed seed, into each
// of count posts, as bench/safety_test.go joins its longer posts.
func longPosts(sentences []string, n, count int) []string {
	r := rand.New(rand.NewPCG(12, 2026))
	posts := make([]string, count)
	for i := range posts {
		parts := make([]string, n)
		for j := range parts {
			parts[j] = sentences[r.IntN(len(sentences))]
		}
		posts[i] = strings.Join(parts, ". ")
	}
	return posts
}

// maxLongPostAlarms is the long-post gate: of 1,000 posts of 12 ordinary
// sentences, at most this share may read as a crisis.
const maxLongPostAlarms = 0.08

func TestLongPostsOfOrdinarySentences(t *testing.T) {
	sentences := ordinarySentences(t)
	for _, n := range []int{3, 6, 12} {
		posts := longPosts(sentences, n, 1000)
		alarms, rules := 0, 0
		for _, p := range posts {
			if Assess(p).Crisis {
				alarms++
			}
			if a, _, _ := defaultDetector.ruleReading(p); a.Crisis {
				rules++
			}
		}
		share := float64(alarms) / float64(len(posts))
		t.Logf("posts of %2d ordinary sentences: %d of %d read as a crisis (%.1f%%; by the rules alone %d)", n, alarms, len(posts), 100*share, rules)
		if n == 12 && share > maxLongPostAlarms {
			t.Errorf("%.1f%% of posts of 12 ordinary sentences read as a crisis, want at most %.0f%%", 100*share, 100*maxLongPostAlarms)
		}
	}
}
