package terms

import (
	"unicode"
	"unicode/utf8"
)

// Limits applied to every text handed to Index or Query.
const (
	// MaxInputBytes is how much of each text (each Field.Text, or the
	// query) is examined. The rest is ignored. A word cut in two by the
	// limit is dropped rather than indexed as a fragment.
	MaxInputBytes = 10 << 10

	// MinTokenRunes is the shortest token kept. Single letters and digits
	// carry nothing, but two-letter tokens do in this directory ("ms",
	// "aa", "na", "oa", "tb", "12" as in 12-step), so they are kept unless
	// they are stopwords ("in", "de", "el", …).
	MinTokenRunes = 2

	// MaxTokenRunes caps the length of a token, and so of a stem: longer
	// tokens are truncated to their first MaxTokenRunes runes (after
	// folding). No English or Spanish word comes near this; the cap only
	// bounds junk such as URLs or base64.
	MaxTokenRunes = 40
)

// tokenize splits s into normalised tokens and calls fn for each one, in
// order, until fn returns false. Normalisation is:
//
//   - Only the first MaxInputBytes bytes of s are examined.
//   - Invalid UTF-8 bytes are separators.
//   - Runes are lower-cased (unicode.ToLower), then folded with foldTable
//     (á→a, ñ→n, ü→u, ç→c, ß→ss, ﬁ→fi, ａ→a, …).
//   - Nonspacing and enclosing combining marks (Mn, Me), and a few invisible
//     format characters (soft hyphen, ZWNJ, ZWJ, word joiner, BOM), are
//     removed without splitting the word, so decomposed "a\u0301" folds like
//     "á" and "can\u00adcer" reads as "cancer".
//   - Letters, decimal digits and spacing combining marks (Mc, which belong
//     to letters in Indic scripts) make up tokens; anything else separates
//     them: spaces, punctuation (so "don't" gives "don" and "t", "12-step"
//     gives "12" and "step"), symbols, emoji.
//   - Tokens shorter than MinTokenRunes are dropped; longer than
//     MaxTokenRunes are truncated.
//
// fn receives the token as bytes (valid UTF-8, only until fn returns) and
// the byte span [start, end) of s it came from. Stopwords are not removed
// here.
func tokenize(s string, fn func(tok []byte, start, end int) bool) {
	limit := len(s)
	cut := false // whether the limit falls inside a word
	if limit > MaxInputBytes {
		limit = MaxInputBytes
		for i := 0; i < utf8.UTFMax-1 && limit > 0 && !utf8.RuneStart(s[limit]); i++ {
			limit--
		}
		r, size := utf8.DecodeRuneInString(s[limit:])
		cut = !(r == utf8.RuneError && size <= 1) && continuesWord(r)
	}

	var t tokenBuf
	t.buf = t.arr[:0]
	for i := 0; i < limit; {
		pos := i
		r, size := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:limit])
		}
		i += size

		switch {
		case r < utf8.RuneSelf:
			c := byte(r)
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if ('a' <= c && c <= 'z') || ('0' <= c && c <= '9') {
				t.add(rune(c), pos, i)
			} else if !t.flush(fn) {
				return
			}
		case r == utf8.RuneError && size == 1:
			if !t.flush(fn) {
				return
			}
		case isIgnorable(r):
			t.extend(i)
		default:
			r = unicode.ToLower(r)
			if f, ok := foldTable[r]; ok {
				for _, fr := range f {
					t.add(fr, pos, i)
				}
			} else if isWordRune(r) {
				t.add(r, pos, i)
			} else if !t.flush(fn) {
				return
			}
		}
	}
	if !cut {
		t.flush(fn)
	}
}

// isWordRune reports whether r (already lower-cased) is part of a word.
func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mc, r)
}

// continuesWord reports whether the raw rune r, met right after a word,
// would continue it.
func continuesWord(r rune) bool {
	if isIgnorable(r) {
		return true
	}
	r = unicode.ToLower(r)
	_, folds := foldTable[r]
	return folds || isWordRune(r)
}

// isIgnorable reports whether r is dropped without ending the word it is in.
func isIgnorable(r rune) bool {
	switch r {
	case '\u00ad', // soft hyphen
		'\u200c', // zero width non-joiner
		'\u200d', // zero width joiner
		'\u2060', // word joiner
		'\ufeff': // zero width no-break space (BOM)
		return true
	}
	return r >= 0x300 && unicode.In(r, unicode.Mn, unicode.Me)
}

// tokenBuf accumulates one token.
type tokenBuf struct {
	arr        [MaxTokenRunes * utf8.UTFMax]byte
	buf        []byte
	n          int  // runes in buf
	full       bool // MaxTokenRunes reached; further runes are dropped
	start, end int  // byte span in the source
}

func (t *tokenBuf) add(r rune, pos, end int) {
	if t.n == MaxTokenRunes {
		t.full = true
		return
	}
	if t.n == 0 {
		t.start = pos
	}
	t.buf = utf8.AppendRune(t.buf, r)
	t.n++
	t.end = end
}

// extend takes an ignorable rune ending at end into the current token's
// source span.
func (t *tokenBuf) extend(end int) {
	if t.n > 0 && !t.full {
		t.end = end
	}
}

func (t *tokenBuf) flush(fn func(tok []byte, start, end int) bool) bool {
	ok := true
	if t.n >= MinTokenRunes {
		ok = fn(t.buf, t.start, t.end)
	}
	t.buf = t.buf[:0]
	t.n = 0
	t.full = false
	return ok
}
