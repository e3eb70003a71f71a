// Package terms turns group text and search queries into stems, so that
// directory search can run as plain SQL ("term IN (…)") and give the same
// results on SQLite and PostgreSQL.
//
// Index turns a group's weighted fields into (stem, weight) pairs to store;
// Query turns what a user typed into words, each with the stems that match
// it. Both share one pipeline:
//
//  1. Normalise: examine at most MaxInputBytes of each text, lower-case,
//     fold accents (á→a, ñ→n, ü→u, ç→c; see foldTable), split on anything
//     that is not a letter or digit, drop tokens shorter than MinTokenRunes,
//     truncate tokens longer than MaxTokenRunes.
//  2. Drop stopwords: English and Spanish function words, and directory
//     noise words such as "support", "group", "apoyo", "grupo" (see
//     stopwords.go for the lists and the policy).
//  3. Stem every remaining token with both the English and the Spanish
//     Snowball stemmer (github.com/kljensen/snowball), since a short query
//     does not tell its language; the token's stems are the deduplicated
//     union of the two.
//
// Because stemming sees only the folded token, a word has exactly the same
// stems with or without accents and in any case ("Cáncer", "cancer",
// "CANCER"; "alcohólicos", "alcoholicos"). Singular and plural share a stem,
// so each finds the other: "duelo"/"duelos", "caregiver"/"caregivers",
// "asociación"/"asociaciones".
//
// Everything here is pure, deterministic, offline and silent: no I/O, no
// logging, no global state beyond read-only tables.
//
// Changing anything in the pipeline (tables, lists, stemmer version)
// changes stored stems: reindex every group afterwards.
package terms

import "strings"

// MaxWeight caps the weight Index gives a stem, and the weight of a Field.
const MaxWeight = 100

// MaxQueryWords is the most words Query returns.
const MaxQueryWords = 8

// Field is one weighted piece of a document (a group) to index, for
// example the name with weight 8, topics 5, organisation name 3,
// description 1.
type Field struct {
	Text   string
	Weight int
}

// Index returns the stems of the given fields, each with the summed weight
// of its occurrences: every occurrence of a token adds its field's weight
// to each of the token's stems (once per stem, even when the English and
// Spanish stems coincide). Field weights above MaxWeight count as
// MaxWeight; fields with weight ≤ 0 are ignored. Each sum is capped at
// MaxWeight.
//
// Stopwords are not indexed. Only the first MaxInputBytes of each field's
// text are read. The result is never nil.
func Index(fields ...Field) map[string]int {
	out := make(map[string]int)
	// Descriptions repeat words; stem each distinct token once per call.
	seen := make(map[string]stemSet)
	for _, f := range fields {
		w := min(f.Weight, MaxWeight)
		if w <= 0 {
			continue
		}
		tokenize(f.Text, func(tok []byte, _, _ int) bool {
			if isStopword(string(tok)) {
				return true
			}
			ss, ok := seen[string(tok)]
			if !ok {
				t := string(tok)
				ss = stem(t)
				seen[t] = ss
			}
			for _, s := range ss.s[:ss.n] {
				out[s] = min(out[s]+w, MaxWeight)
			}
			return true
		})
	}
	return out
}

// Word is one meaningful word of a query.
type Word struct {
	// Raw is the word as it appears in the query (original case and
	// accents), its first occurrence if it was repeated. When the word was
	// longer than MaxTokenRunes, Raw holds only the part that was used.
	Raw string
	// Stems are the stems that match this word: one or two distinct,
	// non-empty strings of at most MaxTokenRunes runes, sorted. A group
	// matches the word if it has any of them in its index.
	Stems []string
}

// Query parses a search query into at most MaxQueryWords words, in the
// order they first appear. Stopwords and noise words are dropped; a word
// whose stems are the same as an earlier word's ("cancer" and "Cáncer",
// "duelo" and "duelos") is merged into it; words whose stems merely overlap
// ("caregiver" and "caregivers") are kept apart. Words past the
// MaxQueryWords-th are ignored, as is everything after the first
// MaxInputBytes of q.
//
// A query made only of stopwords, noise words, punctuation or nothing at
// all ("support groups", "grupos de apoyo", "", "!!!") returns no words
// (nil): the caller should then show all groups.
func Query(q string) []Word {
	var words []Word
	seen := make(map[string]struct{}) // normalised tokens already stemmed
	tokenize(q, func(tok []byte, start, end int) bool {
		if _, dup := seen[string(tok)]; dup || isStopword(string(tok)) {
			return true
		}
		t := string(tok)
		seen[t] = struct{}{}
		ss := stem(t)
		for _, w := range words {
			if sameStems(w.Stems, ss) {
				return true
			}
		}
		words = append(words, Word{Raw: strings.Clone(q[start:end]), Stems: ss.slice()})
		return len(words) < MaxQueryWords
	})
	return words
}

func sameStems(a []string, ss stemSet) bool {
	if len(a) != ss.n {
		return false
	}
	for i, s := range a {
		if s != ss.s[i] {
			return false
		}
	}
	return true
}
