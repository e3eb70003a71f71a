package terms

import (
	"bytes"
	"fmt"
	"log"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// stemsOf returns the stems of the single query word in q.
func stemsOf(t *testing.T, q string) []string {
	t.Helper()
	words := Query(q)
	if len(words) != 1 {
		t.Fatalf("Query(%q) = %v, want exactly one word", q, words)
	}
	return words[0].Stems
}

// finds reports whether searching for query finds a document whose only
// text is doc: every query word has a stem in the document's index.
func finds(query, doc string) bool {
	idx := Index(Field{Text: doc, Weight: 1})
	words := Query(query)
	if len(words) == 0 {
		return false
	}
	for _, w := range words {
		if !slices.ContainsFunc(w.Stems, func(s string) bool { return idx[s] > 0 }) {
			return false
		}
	}
	return true
}

func TestSpellingVariantsHaveIdenticalStems(t *testing.T) {
	tests := []struct{ a, b string }{
		{"cáncer", "cancer"},
		{"CÁNCER", "cancer"},
		{"Cancer", "cancer"},
		{"alcohólicos", "alcoholicos"},
		{"Depresión", "depresion"},
		{"adicción", "adiccion"},
		{"asociación", "asociacion"},
		{"psicología", "psicologia"},
		{"niños", "ninos"},
		{"pingüino", "pinguino"},
		{"garçon", "garcon"},
		{"ca\u0301ncer", "cancer"},     // decomposed accent (NFD input)
		{"ni\u0303n\u0303os", "ninos"}, // decomposed tilde
		{"can\u00adcer", "cancer"},     // soft hyphen inside the word
		{"ＧＲＩＥＦ", "grief"},             // fullwidth letters
		{"ﬁnance", "finance"},          // ligature
		{"Straße", "strasse"},          // sharp s
		{"ÆTHER", "aether"},            // æ
		{"Øresund", "oresund"},         // ø
		{"İstanbul", "istanbul"},       // dotted capital I
		{"ALCOHÓLICOS", "alcohólicos"}, // upper-case accented
		{"Reúnen", "reunen"},           // ú
		{"Viudez", "viudez"},           // no accent at all
		{"Sobrevivientes", "SOBREVIVIENTES"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%q has the same stems as %q", tt.a, tt.b), func(t *testing.T) {
			a, b := stemsOf(t, tt.a), stemsOf(t, tt.b)
			if !slices.Equal(a, b) {
				t.Errorf("stems %v vs %v", a, b)
			}
		})
	}
}

func TestQueriesFindDocumentsAcrossAccentsCaseAndPlurals(t *testing.T) {
	tests := []struct{ query, doc string }{
		// English plurals and inflections.
		{"caregivers", "A circle for every caregiver."},
		{"caregiver", "For caregivers of people with dementia."},
		{"widow", "Widows and widowers meet here."},
		{"survivors", "Suicide loss survivor circle"},
		{"families", "family members welcome"},
		{"grieving", "for the grieved"},
		{"alcoholics", "Alcoholic? You are not alone."},
		// Spanish plurals, with and without accents on either side.
		{"duelo", "Duelos y pérdidas"},
		{"duelos", "Acompañamiento en el duelo"},
		{"cáncer", "Sobrevivientes de cancer de mama"},
		{"cancer", "Sobrevivientes de cáncer de mama"},
		{"canceres", "cáncer infantil"},
		{"alcohólicos", "Alcoholicos Anonimos"},
		{"alcoholicos", "Alcohólicos Anónimos"},
		{"alcohólico", "Alcohólicos Anónimos"},
		{"depresión", "depresiones y ansiedad"},
		{"depresiones", "depresion posparto"},
		{"asociaciones", "Asociación de familias"},
		{"asociacion", "asociaciones de pacientes"},
		{"psicologías", "psicología del duelo"},
		{"adicciones", "adicción a las drogas"},
		{"niños", "Ninos en duelo"},
		{"familias", "Familia y amigos"},
		{"viudas", "viuda"},
		// English words in Spanish text and the reverse match as typed.
		{"cancer", "Cancer Survivors Network"},
		{"Al-Anon", "Grupos de familia Al-Anon"},
		// Multi-word queries: every word must match.
		{"cáncer de mama", "Sobrevivientes de cancer de mama"},
		{"breast cancer survivors", "A survivor network for breast cancer"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%q finds %q", tt.query, tt.doc), func(t *testing.T) {
			if !finds(tt.query, tt.doc) {
				t.Errorf("not found; query %v, index %v", Query(tt.query), Index(Field{tt.doc, 1}))
			}
		})
	}
}

func TestUnrelatedWordsDoNotMatch(t *testing.T) {
	tests := []struct{ query, doc string }{
		{"cancer", "Grief and loss"},
		{"alcohol", "Narcotics Anonymous"},
		{"duelo", "depresión"},
		{"cáncer de mama", "cáncer de pulmón"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%q does not find %q", tt.query, tt.doc), func(t *testing.T) {
			if finds(tt.query, tt.doc) {
				t.Errorf("found; query %v, index %v", Query(tt.query), Index(Field{tt.doc, 1}))
			}
		})
	}
}

func raws(words []Word) []string {
	var out []string
	for _, w := range words {
		out = append(out, w.Raw)
	}
	return out
}

func TestQueryWords(t *testing.T) {
	tests := []struct {
		name string
		q    string
		want []string // Raw of each word, in order
	}{
		{"English stopwords are dropped", "the grief of a widow", []string{"grief", "widow"}},
		{"Spanish stopwords are dropped", "duelo por la pérdida de un hijo", []string{"duelo", "pérdida", "hijo"}},
		{"accented stopwords are dropped unaccented too", "mas depresion que ansiedad, más o menos", []string{"depresion", "ansiedad", "menos"}},
		{"directory noise words are dropped", "Grupos de apoyo para el cáncer", []string{"cáncer"}},
		{"noise words are dropped in any case and accent", "REUNIÓN reunion Reuniones meeting MEETINGS support Group", nil},
		{"son is kept as an English noun", "support group for loss of a son", []string{"loss", "son"}},
		{"contractions split and their pieces are dropped", "don't give up, we're here", []string{"give"}},
		{"two-letter words are kept unless they are stopwords", "MS and HIV in LA", []string{"MS", "HIV"}},
		{"single letters and digits are dropped", "x y z 7 grief", []string{"grief"}},
		{"numbers of two digits or more are kept", "12-step", []string{"12", "step"}},
		{"duplicates are merged keeping the first spelling", "Cáncer CANCER cancer cáncer", []string{"Cáncer"}},
		{"words with identical stems are merged", "duelo duelos alcohólicos alcoholico", []string{"duelo", "alcohólicos"}},
		{"raw keeps the original case and accents", "Pérdida PERINATAL", []string{"Pérdida", "PERINATAL"}},
		{"raw keeps decomposed accents", "ca\u0301ncer", []string{"ca\u0301ncer"}},
		{"punctuation and emoji separate words", "💔grief…cancer!!!(alcohol)", []string{"grief", "cancer", "alcohol"}},
		{"more than eight words are cut to the first eight", "one two three four five six seven eight nine ten eleven", []string{"one", "two", "three", "four", "five", "six", "seven", "eight"}},
		{"stopwords do not count towards the eight", "the grief of the loss of a son of the widow of a man of the city of the lake of the river of dawn", []string{"grief", "loss", "son", "widow", "man", "city", "lake", "river"}},
		{"merged duplicates do not count towards the eight", "a a b b grief grief grief grief grief grief grief grief grief loss", []string{"grief", "loss"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := raws(Query(tt.q))
			if !slices.Equal(got, tt.want) {
				t.Errorf("Query(%q) raws = %q, want %q", tt.q, got, tt.want)
			}
		})
	}
}

func TestQueryOfOnlyStopwordsIsEmpty(t *testing.T) {
	for _, q := range []string{
		"",
		"   ",
		"support groups",
		"Support Group",
		"grupos de apoyo",
		"Grupo de Apoyo",
		"reuniones",
		"meetings near me",
		"the and of",
		"él y ella",
		"a b c",
		"!!! ??? ...",
		"🙂🙂 💔",
		"\xff\xfe\x00",
		"de la que el en y",
	} {
		t.Run(fmt.Sprintf("query %q returns no words", q), func(t *testing.T) {
			if got := Query(q); len(got) != 0 {
				t.Errorf("Query(%q) = %v, want none", q, got)
			}
		})
	}
}

func TestStemsAreSortedDistinctAndBounded(t *testing.T) {
	for _, q := range []string{"duelos", "grief", "caregivers", "alcohólicos", strings.Repeat("x", 100)} {
		t.Run(fmt.Sprintf("stems of %.20q are sorted, distinct, and at most %d runes", q, MaxTokenRunes), func(t *testing.T) {
			checkWords(t, q, Query(q))
		})
	}
}

func TestTokenLength(t *testing.T) {
	long := strings.Repeat("ab", 50) // 100 runes
	t.Run("a word longer than the cap is truncated to its first runes", func(t *testing.T) {
		words := Query(long)
		if len(words) != 1 {
			t.Fatalf("got %v", words)
		}
		if words[0].Raw != long[:MaxTokenRunes] {
			t.Errorf("Raw = %q, want the first %d runes", words[0].Raw, MaxTokenRunes)
		}
		for _, s := range words[0].Stems {
			if utf8.RuneCountInString(s) > MaxTokenRunes {
				t.Errorf("stem %q longer than %d runes", s, MaxTokenRunes)
			}
		}
	})
	t.Run("long words sharing their first runes match", func(t *testing.T) {
		if !finds(long+"zzz", long+"yyy") {
			t.Error("not found")
		}
	})
	t.Run("accented long words are truncated after folding", func(t *testing.T) {
		a := Query(strings.Repeat("é", 60))
		b := Query(strings.Repeat("e", 60))
		if len(a) != 1 || len(b) != 1 || !slices.Equal(a[0].Stems, b[0].Stems) {
			t.Errorf("got %v and %v", a, b)
		}
	})
}

func TestIndexWeights(t *testing.T) {
	tests := []struct {
		name   string
		fields []Field
		want   map[string]int
	}{
		{
			"weights of the same word in different fields add up",
			[]Field{{"Grief", 8}, {"grief", 5}, {"grief and GRIEF", 1}},
			map[string]int{"grief": 15},
		},
		{
			"both stems of a word get the weight",
			[]Field{{"duelos", 3}},
			map[string]int{"duel": 3, "duelo": 3},
		},
		{
			"a word whose two stems coincide counts once",
			[]Field{{"grief", 1}},
			map[string]int{"grief": 1},
		},
		{
			"sums are capped",
			[]Field{{"grief", 60}, {"grief", 60}},
			map[string]int{"grief": MaxWeight},
		},
		{
			"many repetitions are capped",
			[]Field{{strings.Repeat("grief ", 500), 1}},
			map[string]int{"grief": MaxWeight},
		},
		{
			"a field weight above the cap counts as the cap",
			[]Field{{"grief", 1 << 62}, {"grief", 1 << 62}},
			map[string]int{"grief": MaxWeight},
		},
		{
			"fields with zero or negative weight are ignored",
			[]Field{{"grief", 0}, {"cancer", -5}, {"loss", 2}},
			map[string]int{"loss": 2},
		},
		{
			"stopwords and noise words are not indexed",
			[]Field{{"The support group for widows", 8}, {"Grupo de apoyo para viudas", 1}},
			map[string]int{"widow": 8, "widows": 8, "viud": 1, "viuda": 1},
		},
		{
			"accented and unaccented spellings index the same stems",
			[]Field{{"Cáncer", 2}, {"cancer", 3}},
			map[string]int{"canc": 5, "cancer": 5},
		},
		{
			"no fields give an empty index",
			nil,
			map[string]int{},
		},
		{
			"text without words gives an empty index",
			[]Field{{"!!! 🙂 \xff", 5}},
			map[string]int{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Index(tt.fields...)
			if got == nil {
				t.Fatal("Index returned nil")
			}
			if !maps.Equal(got, tt.want) {
				t.Errorf("Index = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestHostileInputIsSafe(t *testing.T) {
	huge := strings.Repeat("grief cáncer 💔 ", 1<<16) // ~1.2 MB
	tests := []struct {
		name string
		text string
		want []string // expected Raws from Query; nil means "just be safe"
	}{
		{"emoji and symbols are separators", "💔🕯️grief✨cancer™", []string{"grief", "cancer"}},
		{"emoji joiners and variation selectors are ignored", "👨‍👩‍👧 grief ❤️", []string{"grief"}},
		{"invalid UTF-8 bytes are separators", "\xffgrief\xfe\xfdcancer\xc3", []string{"grief", "cancer"}},
		{"a truncated multibyte rune is a separator", "grief\xc3", []string{"grief"}},
		{"control characters and NULs are separators", "grief\x00cancer\x1b[0m\tloss", []string{"grief", "cancer", "0m", "loss"}},
		{"HTML and URLs are split into words", `<a href="https://example.org/grief">Grief</a>`, []string{"href", "https", "example", "org", "grief"}},
		{"lone combining marks are ignored", "\u0301\u0301 grief", []string{"grief"}},
		{"right-to-left and CJK text do not break anything", "ثكل 悲伤 grief", nil},
		{"huge input is capped", huge, []string{"grief", "cáncer"}},
		{"a huge single word is safe", strings.Repeat("é", 1<<20), nil},
		{"unicode replacement characters are separators", "grief\ufffdcancer", []string{"grief", "cancer"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			words := Query(tt.text)
			checkWords(t, tt.text, words)
			checkIndex(t, Index(Field{tt.text, 1}, Field{tt.text, 8}))
			if tt.want != nil {
				if got := raws(words); !slices.Equal(got, tt.want) {
					t.Errorf("raws = %q, want %q", got, tt.want)
				}
			}
		})
	}
}

func TestInputCap(t *testing.T) {
	pad := func(n int) string { return strings.Repeat(" ", n) }
	tests := []struct {
		name string
		text string
		want map[string]int
	}{
		{"a word ending exactly at the cap is kept", pad(MaxInputBytes-len("grief")) + "grief", map[string]int{"grief": 1}},
		{"a word before the cap is kept and one after it is ignored", pad(MaxInputBytes-len("grief")) + "grief cancer", map[string]int{"grief": 1}},
		{"a word cut by the cap is dropped, not indexed as a fragment", pad(MaxInputBytes-2) + "grief", map[string]int{}},
		{"a cap inside a multibyte rune is handled", pad(MaxInputBytes-1) + "ñandú", map[string]int{}},
		{"a cap right before a decomposed accent drops the word", pad(MaxInputBytes-len("cafe")) + "cafe\u0301", map[string]int{}},
		{"a text longer than the cap is ignored past it", pad(MaxInputBytes) + "grief", map[string]int{}},
		{"a single word longer than the cap is dropped", strings.Repeat("a", 1<<20), map[string]int{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Index(Field{tt.text, 1}); !maps.Equal(got, tt.want) {
				t.Errorf("Index = %v, want %v", got, tt.want)
			}
		})
	}
	t.Run("fields are capped separately", func(t *testing.T) {
		got := Index(Field{pad(MaxInputBytes) + "cancer", 1}, Field{"grief", 1})
		if want := map[string]int{"grief": 1}; !maps.Equal(got, want) {
			t.Errorf("Index = %v, want %v", got, want)
		}
	})
}

func TestStopwordPolicy(t *testing.T) {
	for _, w := range []string{"the", "don", "de", "más", "mas", "según", "segun", "support", "groups", "reunión", "reunion", "reuniones", "apoyo", "grupo"} {
		t.Run(fmt.Sprintf("%q is a stopword", w), func(t *testing.T) {
			if len(Query(w)) != 0 {
				t.Errorf("Query(%q) = %v", w, Query(w))
			}
		})
	}
	for _, w := range []string{"son", "siente", "sentido", "supportive", "grief", "ms", "aa", "na", "oa"} {
		t.Run(fmt.Sprintf("%q is not a stopword", w), func(t *testing.T) {
			if len(Query(w)) != 1 {
				t.Errorf("Query(%q) = %v", w, Query(w))
			}
		})
	}
	t.Run("every stopword is in normalised form", func(t *testing.T) {
		for w := range stopwords {
			var toks []string
			tokenize(w, func(tok []byte, _, _ int) bool {
				toks = append(toks, string(tok))
				return true
			})
			if len(toks) != 1 || toks[0] != w {
				t.Errorf("stopword %q normalises to %q", w, toks)
			}
		}
	})
}

func TestFoldTableIsIdempotent(t *testing.T) {
	t.Run("every folded value is already fully folded lower-case letters or digits", func(t *testing.T) {
		for r, v := range foldTable {
			if v == "" {
				t.Errorf("U+%04X folds to nothing", r)
			}
			for _, fr := range v {
				if _, ok := foldTable[fr]; ok {
					t.Errorf("U+%04X folds to %q, which folds again", r, v)
				}
				if !isWordRune(fr) {
					t.Errorf("U+%04X folds to %q, which is not a letter or digit", r, v)
				}
			}
		}
	})
}

func TestOutputIsDeterministic(t *testing.T) {
	q := "Cáncer duelo caregivers alcohólicos grief widows niños asociación"
	first := Query(q)
	idx := Index(Field{q, 3})
	for range 20 {
		if got := Query(q); !reflect.DeepEqual(got, first) {
			t.Fatalf("Query changed: %v vs %v", got, first)
		}
		if got := Index(Field{q, 3}); !maps.Equal(got, idx) {
			t.Fatalf("Index changed: %v vs %v", got, idx)
		}
	}
}

func TestNothingIsLogged(t *testing.T) {
	var buf bytes.Buffer
	prevOut, prevFlags := log.Writer(), log.Flags()
	log.SetOutput(&buf)
	defer func() { log.SetOutput(prevOut); log.SetFlags(prevFlags) }()
	for _, s := range fuzzSeeds {
		Query(s)
		Index(Field{s, 1})
	}
	if buf.Len() != 0 {
		t.Errorf("logged: %q", buf.String())
	}
}
