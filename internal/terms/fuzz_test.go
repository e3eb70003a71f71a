package terms

import (
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// fuzzSeeds seed both fuzz targets; with plain `go test` they run as
// ordinary test cases.
var fuzzSeeds = []string{
	"",
	" ",
	"grief",
	"support groups",
	"grupos de apoyo",
	"Cáncer de mama",
	"ALCOHÓLICOS ANÓNIMOS",
	"Duelo por la pérdida de un hijo",
	"caregivers of people with Alzheimer's",
	"Al-Anon / Alateen 12-step meeting",
	"Depresión y ansiedad posparto",
	"one two three four five six seven eight nine ten",
	"ca\u0301ncer ni\u0303os",
	"can\u00adcer",
	"ＧＲＩＥＦ ﬁnance Straße İstanbul",
	"💔🕯️grief✨cancer™ 👨‍👩‍👧",
	"\xff\xfe\xfd",
	"grief\xc3",
	"\x00\x01\x1b[0m",
	"\u0301\u0301\u0301",
	"\ufffd\ufffd",
	"ثكل 悲伤 горе δυστυχία",
	"ing ando aron ieron uciones logia cion es en",
	strings.Repeat("ab", 50),
	strings.Repeat("é", 60),
	strings.Repeat("grief ", 3000),
	strings.Repeat(" ", MaxInputBytes-1) + "ñandú",
	strings.Repeat("a", MaxInputBytes+10),
}

// checkWords checks the invariants of Query's result for q.
func checkWords(t *testing.T, q string, words []Word) {
	t.Helper()
	if len(words) > MaxQueryWords {
		t.Errorf("%d words, want at most %d", len(words), MaxQueryWords)
	}
	for i, w := range words {
		if w.Raw == "" || !utf8.ValidString(w.Raw) || !strings.Contains(q, w.Raw) {
			t.Errorf("word %d: bad Raw %q", i, w.Raw)
		}
		if len(w.Stems) == 0 || len(w.Stems) > 2 {
			t.Errorf("word %d (%q): %d stems", i, w.Raw, len(w.Stems))
		}
		for j, s := range w.Stems {
			checkStem(t, s)
			if j > 0 && w.Stems[j-1] >= s {
				t.Errorf("word %d (%q): stems %q not sorted and distinct", i, w.Raw, w.Stems)
			}
		}
		for _, prev := range words[:i] {
			if slices.Equal(prev.Stems, w.Stems) {
				t.Errorf("words %q and %q have the same stems %q and were not merged", prev.Raw, w.Raw, w.Stems)
			}
		}
	}
}

// checkIndex checks the invariants of Index's result.
func checkIndex(t *testing.T, idx map[string]int) {
	t.Helper()
	if idx == nil {
		t.Error("Index returned nil")
	}
	for s, w := range idx {
		checkStem(t, s)
		if w < 1 || w > MaxWeight {
			t.Errorf("stem %q: weight %d out of [1, %d]", s, w, MaxWeight)
		}
	}
}

func checkStem(t *testing.T, s string) {
	t.Helper()
	switch {
	case s == "":
		t.Error("empty stem")
	case !utf8.ValidString(s):
		t.Errorf("stem %q is not valid UTF-8", s)
	case utf8.RuneCountInString(s) > MaxTokenRunes:
		t.Errorf("stem %q is longer than %d runes", s, MaxTokenRunes)
	}
}

func FuzzQuery(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		words := Query(q)
		checkWords(t, q, words)
		if again := Query(q); !reflect.DeepEqual(again, words) {
			t.Errorf("Query is not deterministic: %v then %v", words, again)
		}
		// Whatever you type from a text finds that text.
		idx := Index(Field{Text: q, Weight: 1})
		for _, w := range words {
			if !slices.ContainsFunc(w.Stems, func(s string) bool { return idx[s] > 0 }) {
				t.Errorf("word %q (stems %q) does not find its own text", w.Raw, w.Stems)
			}
		}
	})
}

func FuzzIndex(f *testing.F) {
	for i, s := range fuzzSeeds {
		f.Add(s, []int{1, 8, 5, 0, -3, 1 << 40}[i%6])
	}
	f.Fuzz(func(t *testing.T, text string, weight int) {
		idx := Index(Field{Text: text, Weight: weight}, Field{Text: text, Weight: 1})
		checkIndex(t, idx)
		if again := Index(Field{Text: text, Weight: weight}, Field{Text: text, Weight: 1}); !maps.Equal(again, idx) {
			t.Errorf("Index is not deterministic: %v then %v", idx, again)
		}
		// The weight-1 field alone gives the same stems, each with a
		// weight no greater.
		one := Index(Field{Text: text, Weight: 1})
		if len(one) != len(idx) {
			t.Errorf("weight %d changed the set of stems: %d vs %d", weight, len(idx), len(one))
		}
		for s, w := range one {
			if idx[s] < w {
				t.Errorf("stem %q: %d with an extra field, %d without", s, idx[s], w)
			}
		}
	})
}
