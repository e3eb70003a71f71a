package terms

import (
	"strings"
	"unicode/utf8"

	"github.com/kljensen/snowball/english"
	"github.com/kljensen/snowball/spanish"
)

// stemSet is the set of stems of one token: one or two distinct, non-empty
// strings of at most MaxTokenRunes runes, in ascending order.
type stemSet struct {
	s [2]string
	n int
}

func (ss stemSet) slice() []string {
	return append([]string(nil), ss.s[:ss.n]...)
}

// stem returns the stem set of a normalised (folded, lower-case) token: its
// English and its Spanish Snowball stem. We do not know the language of a
// short query, so both are indexed and both are searched; a spurious stem
// costs little, a missing one loses a match.
//
// Both stemmers see the folded token, so a word typed with or without its
// accents has exactly the same stems ("cáncer" = "cancer", "alcohólicos" =
// "alcoholicos"). Stopword handling inside the stemmers is switched off
// (stemStopWords = true): this package decides what a stopword is.
func stem(tok string) stemSet {
	en := cleanStem(english.Stem(tok, true), tok)
	es := cleanStem(spanish.Stem(spanishForm(tok), true), tok)
	switch {
	case en == es:
		return stemSet{s: [2]string{en}, n: 1}
	case es < en:
		en, es = es, en
	}
	return stemSet{s: [2]string{en, es}, n: 2}
}

// spanishForm restores the written accent on the two Spanish endings where
// folding would otherwise split a singular from its plural.
//
// The Spanish Snowball stemmer matches suffixes with their accents:
// "asociación" loses "ación" but the folded "asociacion" keeps it, while the
// plural "asociaciones" (no accent in Spanish) loses "aciones" either way.
// Stemming folded text therefore splits every -ción/-ciones and
// -logía/-logías pair. These endings are always accented in Spanish, so
// putting the accent back is safe and keeps the accent-blind property (it
// depends only on the folded token). Measured on the 28,378-word Snowball
// Spanish test vocabulary, this cuts the singular/plural pairs stemmed apart
// by folding from 102 to 1 (quién/quiénes, a stopword). Other accented
// suffixes (-ía, -ó, -ará, …) are ambiguous once folded ("garantía" but
// "farmacia") and mostly on verbs; they are left alone.
func spanishForm(tok string) string {
	switch {
	case strings.HasSuffix(tok, "cion"): // -ción, including -ución
		return tok[:len(tok)-len("on")] + "ón"
	case strings.HasSuffix(tok, "logia"):
		return tok[:len(tok)-len("ia")] + "ía"
	case strings.HasSuffix(tok, "logias"):
		return tok[:len(tok)-len("ias")] + "ías"
	}
	return tok
}

var unaccent = strings.NewReplacer("á", "a", "é", "e", "í", "i", "ó", "o", "ú", "u")

// cleanStem enforces the stem invariants whatever the stemmer returned:
// no acute accent (the Spanish stemmer removes them, this guards the
// accents spanishForm put back), non-empty, at most MaxTokenRunes runes.
func cleanStem(s, tok string) string {
	if strings.ContainsAny(s, "áéíóú") {
		s = unaccent.Replace(s)
	}
	if s == "" {
		return tok
	}
	if utf8.RuneCountInString(s) > MaxTokenRunes {
		n := 0
		for i := range s {
			if n == MaxTokenRunes {
				return s[:i]
			}
			n++
		}
	}
	return s
}
