package safety

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"
)

// devCase is one labelled line of testdata/dev/cases.tsv.
type devCase struct {
	tier   int
	danger bool
	lang   string
	text   string
}

func loadDev(t testing.TB) []devCase {
	t.Helper()
	f, err := os.Open("testdata/dev/cases.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []devCase
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.SplitN(line, "\t", 4)
		if len(f) != 4 {
			t.Fatalf("cases.tsv:%d: want 4 tab-separated fields", n)
		}
		tier, err := strconv.Atoi(f[0])
		if err != nil {
			t.Fatalf("cases.tsv:%d: %v", n, err)
		}
		out = append(out, devCase{tier: tier, danger: f[1] == "1", lang: f[2], text: f[3]})
	}
	return out
}

// TestDevelopmentExamples runs the author's own examples: every one must
// be read exactly (tier, danger, language).
func TestDevelopmentExamples(t *testing.T) {
	for _, c := range loadDev(t) {
		a := Assess(c.text)
		danger := false
		for _, cat := range a.Categories {
			danger = danger || cat == CatDangerFromOthers
		}
		if a.Tier != c.tier || danger != c.danger || a.Language != c.lang {
			t.Errorf("%q: got tier %d danger %v %s %v, want tier %d danger %v %s", c.text, a.Tier, danger, a.Language, a.Categories, c.tier, c.danger, c.lang)
		}
	}
}
