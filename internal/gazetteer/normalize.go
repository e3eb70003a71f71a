package gazetteer

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// normalize turns a place name or query into a lookup key: lower case,
// Latin diacritics folded ("México" -> "mexico", "Straße" -> "strasse"),
// apostrophes dropped ("Coeur d'Alene" -> "coeur dalene"), every other
// run of punctuation or space collapsed into one space, trimmed. Letters of
// other scripts are kept as they are. Invalid UTF-8 bytes act as separators.
func normalize(s string) string {
	return string(appendNormalized(make([]byte, 0, len(s)), s))
}

// appendNormalized appends the normalised form of s to b.
func appendNormalized(b []byte, s string) []byte {
	start := len(b)
	pendingSpace := false
	emit := func(str string) {
		if pendingSpace && len(b) > start {
			b = append(b, ' ')
		}
		pendingSpace = false
		b = append(b, str...)
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
				if pendingSpace && len(b) > start {
					b = append(b, ' ')
				}
				pendingSpace = false
				b = append(b, c)
			case 'A' <= c && c <= 'Z':
				if pendingSpace && len(b) > start {
					b = append(b, ' ')
				}
				pendingSpace = false
				b = append(b, c+'a'-'A')
			case c == '\'' || c == '`':
				// "St. John's" -> "st johns"
			default:
				pendingSpace = true
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if r == utf8.RuneError {
			pendingSpace = true
			continue
		}
		r = unicode.ToLower(r)
		if f, ok := foldTable[r]; ok {
			emit(f)
			continue
		}
		switch {
		case unicode.Is(unicode.Mn, r):
			// combining accent of a decomposed letter: drop it
		case r == '\u2019' || r == '\u2018' || r == '\u02BB' || r == '\u02BC' || r == '\u00B4':
			// typographic apostrophes, ʻokina
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			emit(string(r))
		default:
			pendingSpace = true
		}
	}
	return b
}

// tokenVariants lists common abbreviations that should match in either
// form ("St. Louis" = "Saint Louis", "Mt Vernon" = "Mount Vernon").
var tokenVariants = map[string]string{
	"st": "saint", "saint": "st",
	"ste": "sainte", "sainte": "ste",
	"mt": "mount", "mount": "mt",
	"ft": "fort", "fort": "ft",
}

// keyVariants returns the alternative spellings of a normalised key with
// the first abbreviable word swapped, or nil.
func keyVariants(key string) []string {
	var out []string
	start := 0
	for start < len(key) {
		end := strings.IndexByte(key[start:], ' ')
		if end < 0 {
			end = len(key)
		} else {
			end += start
		}
		if v, ok := tokenVariants[key[start:end]]; ok {
			out = append(out, key[:start]+v+key[end:])
			return out
		}
		start = end + 1
	}
	return nil
}
