package safety

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// token is one normalised word with where it stands.
type token struct {
	w        string
	sentence int
	clause   int
	quoted   bool  // inside quotation marks: maybe someone else's words
	id       int32 // the word's number in the detector's vocabulary, -1 if no rule has it
	num      int   // its value if it is a number (up to six digits), else -1
	lex            // what the detector's word lists say of the word (Detector.lex)
}

// lex is what the word lists say of one word, looked up once per token
// (ruleReading) rather than list by list.
type lex struct {
	cue   uint32 // its cue classes (cueWords)
	flags uint8  // lexTerm, lexFirst, …
	lang  langWeight
}

const (
	lexTerm         uint8 = 1 << iota // groundTerms
	lexFirst                          // firstPerson
	lexSpanishFirst                   // spanishFirst
	lexPast                           // pastWords
	lexNow                            // nowWords
	lexLang                           // in the language table (lang is its weight)
)

// lexEntry is a word of the detector's lists: its vocabulary number (-1:
// no rule has it) and what the lists say of it.
type lexEntry struct {
	id int32
	lex
}

// cues are what the characters of a text say about its language.
type cues struct {
	spanish int // ñ, ¿, ¡, accented vowels
}

// fold lowers a rune and removes its accent. The boolean reports a
// character that points to Spanish.
func fold(r rune) (rune, bool) {
	switch r {
	case 'á', 'Á':
		return 'a', true
	case 'é', 'É':
		return 'e', true
	case 'í', 'Í':
		return 'i', true
	case 'ó', 'Ó':
		return 'o', true
	case 'ú', 'Ú':
		return 'u', true
	case 'ñ', 'Ñ':
		return 'n', true
	case 'ü', 'Ü':
		return 'u', true
	case 'à', 'â', 'ä', 'ã', 'å', 'À', 'Â', 'Ä', 'Ã':
		return 'a', false
	case 'è', 'ê', 'ë', 'È', 'Ê', 'Ë':
		return 'e', false
	case 'ì', 'î', 'ï', 'Ì', 'Î', 'Ï':
		return 'i', false
	case 'ò', 'ô', 'ö', 'õ', 'Ò', 'Ô', 'Ö', 'Õ':
		return 'o', false
	case 'ù', 'û', 'Ù', 'Û':
		return 'u', false
	case 'ç', 'Ç':
		return 'c', false
	}
	return unicode.ToLower(r), false
}

// emoji that carry meaning here, as the word they stand for.
var emojiWords = map[rune]string{
	'💊': "pills", '🔪': "knife", '🗡': "knife", '🪦': "grave", '⚰': "coffin",
	'🩸': "blood", '🔫': "gun", '🪢': "rope", '💀': "skull", '☠': "skull",
	'😂': "lol", '🤣': "lol", '😹': "lol", '😆': "lol", '😭': "crying", '😢': "crying",
	'🌉': "bridge", '🆘': "sos", '💔': "heartbroken",
}

// expansions turn contractions and texting forms into the words the rules
// are written in. Keys are squeezed (no repeated letters), like tokens.
var expansions = map[string][]string{
	"im": {"i", "am"}, "ive": {"i", "have"}, "id": {"i", "would"},
	"dont": {"do", "not"}, "doesnt": {"does", "not"}, "didnt": {"did", "not"},
	"cant": {"can", "not"}, "canot": {"can", "not"}, "wont": {"will", "not"},
	"isnt": {"is", "not"}, "arent": {"are", "not"}, "wasnt": {"was", "not"},
	"werent": {"were", "not"}, "havent": {"have", "not"}, "hasnt": {"has", "not"},
	"hadnt": {"had", "not"}, "wouldnt": {"would", "not"}, "couldnt": {"could", "not"},
	"shouldnt": {"should", "not"}, "aint": {"am", "not"},
	"wana": {"want", "to"}, "gona": {"going", "to"}, "tryna": {"trying", "to"},
	"kinda": {"kind", "of"}, "lema": {"let", "me"}, "lemme": {"let", "me"},
	"u": {"you"}, "ur": {"your"}, "youre": {"you", "are"}, "theyre": {"they", "are"},
	"thats": {"that", "is"}, "whats": {"what", "is"}, "its": {"it", "is"},
	"idk": {"i", "do", "not", "know"}, "idc": {"i", "do", "not", "care"},
	"rn": {"right", "now"}, "tonights": {"tonight", "is"}, "todays": {"today", "is"}, "tonite": {"tonight"}, "2nite": {"tonight"}, "2night": {"tonight"},
	"2day": {"today"}, "2moro": {"tomorrow"}, "2morow": {"tomorrow"}, "tmrw": {"tomorrow"}, "tomorow": {"tomorrow"}, "tmr": {"tomorrow"},
	"myslef": {"myself"}, "myslf": {"myself"}, "mysef": {"myself"}, "meself": {"myself"}, "mself": {"myself"},
	"sucide": {"suicide"}, "suicde": {"suicide"}, "suiside": {"suicide"}, "sucicide": {"suicide"}, "suiscide": {"suicide"}, "suicie": {"suicide"},
	"suisidarme": {"suicidarme"}, "sucidarme": {"suicidarme"}, "suisidio": {"suicidio"}, "sucidio": {"suicidio"}, "suisida": {"suicida"},
	"sucidal": {"suicidal"}, "suicdal": {"suicidal"}, "suisidal": {"suicidal"}, "sucicidal": {"suicidal"},
	"wnat": {"want"}, "wnt": {"want"}, "wamt": {"want"}, "watn": {"want"},
	"pils": {"pills"}, "pil": {"pills"}, "pilz": {"pills"},
	// Spanish texting
	"kiero": {"quiero"}, "kero": {"quiero"}, "qiero": {"quiero"}, "quero": {"quiero"},
	"q": {"que"}, "ke": {"que"}, "k": {"que"}, "xq": {"porque"}, "pq": {"porque"}, "porq": {"porque"},
	"toy": {"estoy"}, "stoy": {"estoy"}, "stoi": {"estoy"}, "estoi": {"estoy"},
	"voi": {"voy"}, "aki": {"aqui"}, "nd": {"nada"}, "sta": {"esta"}, "pa": {"para"},
	"matarm": {"matarme"}, "morirm": {"morirme"},
}

// withApostrophe are expansions only when the word was written with one:
// "I'll" but not "ill".
var withApostrophe = map[string][]string{
	"il": {"i", "will"}, "hel": {"he", "will"}, "shel": {"she", "will"},
	"youl": {"you", "will"}, "theyl": {"they", "will"},
	"hes": {"he", "is"}, "shes": {"she", "is"}, "hed": {"he", "would"}, "shed": {"she", "would"}, "theyd": {"they", "would"},
}

// merges join two words people split: "my self", "sewer slide", "un alive".
// By first word, so that a word no merge starts with costs one look-up.
var merges = map[string]map[string]string{
	"my": {"self": "myself"}, "sewer": {"slide": "sewerslide"}, "un": {"alive": "unalive"},
	"any": {"more": "anymore"}, "self": {"harm": "selfharm", "harming": "selfharm", "injury": "selfharm"},
	"auto": {"lesion": "autolesion"}, "s": {"h": "sh"},
}

// mergeHeads are the first words of merges with what they merge, checked
// before the map: most words start none.
var mergeHeads = func() []mergeHead {
	var out []mergeHead
	for w, next := range merges {
		out = append(out, mergeHead{w, next})
	}
	return out
}()

type mergeHead struct {
	first string
	next  map[string]string // merges[first]
}

func mergeAfter(prev string) map[string]string {
	for _, h := range mergeHeads {
		if h.first == prev {
			return h.next
		}
	}
	return nil
}

// expansionEnds has a bit for each (first byte, last byte) of a key of
// expansions, so that most words skip the look-up.
var expansionEnds = func() *[256][4]uint64 {
	var t [256][4]uint64
	for w := range expansions {
		t[w[0]][w[len(w)-1]/64] |= 1 << (w[len(w)-1] % 64)
	}
	return &t
}()

func expandable(w string) bool {
	if w == "" {
		return false
	}
	l := w[len(w)-1]
	return expansionEnds[w[0]][l/64]&(1<<(l%64)) != 0
}

// units split "500mg" into "500" "mg".
var units = map[string]bool{"mg": true, "g": true, "ml": true, "x": true, "pm": true, "am": true, "h": true, "hrs": true, "mgs": true}

// thirdPreterite tells apart, by its accent, a verb that someone else did
// to the writer from the writer's own present: "me ahorcó" (he choked me)
// reads as "me ahorca", "me ahorco" (I hang myself) stays; "me mató" is
// "me mata" (an idiom or someone else), "me mato" the writer. Without the
// accent the word stays as written.
var thirdPreterite = map[string]string{"ahorco": "ahorca", "mato": "mata"}

// ages: "13yo", "15yr".
var ages = map[string]bool{"yo": true, "yr": true, "yrs": true, "y": true, "yro": true, "anos": true}

var leet = map[rune]rune{'0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '@': 'a', '$': 's'}

// squeeze collapses runs of one letter: "nooo" → "no", "kill" → "kil".
func squeeze(s string) string {
	if !repeats(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	var prev rune = -1
	for _, r := range s {
		if r != prev || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
		prev = r
	}
	return b.String()
}

// repeats says whether a rune of s follows itself, when squeeze may change
// s. ASCII, most words, is read byte by byte, and there a run of digits,
// which squeeze keeps, does not count; other text is read rune by rune.
func repeats(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			var prev rune = -1
			for _, r := range s {
				if r == prev {
					return true
				}
				prev = r
			}
			return false
		}
		if i > 0 && c == s[i-1] && (c < '0' || c > '9') {
			return true
		}
	}
	return false
}

// onlyDigits says whether s is ASCII digits only (or empty), like
// strings.Trim(s, "0123456789") == "" without building the cut set.
func onlyDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// words normalises one raw word (already folded and lower case) into the
// tokens it stands for.
func words(raw string, apostrophe bool, emit func(string)) {
	if raw == "" {
		return
	}
	if expandable(raw) {
		if ex, ok := expansions[raw]; ok {
			for _, w := range ex {
				emit(w)
			}
			return
		}
	}
	looked := raw // looked up in expansions already
	letters, digits := 0, 0
	firstLetter := -1
	for i, r := range raw {
		switch {
		case unicode.IsLetter(r):
			letters++
			if firstLetter < 0 {
				firstLetter = i
			}
		case unicode.IsDigit(r) || r == '@' || r == '$':
			digits++
		}
	}
	if letters == 0 {
		if digits > 0 && onlyDigits(raw) {
			emit(raw)
		}
		return
	}
	if digits > 0 {
		if firstLetter > 0 && onlyDigits(raw[:firstLetter]) && ages[raw[firstLetter:]] {
			emit(raw[:firstLetter]) // "13yo": an age, not leetspeak
			emit("old")
			return
		}
		if firstLetter > 0 && onlyDigits(raw[:firstLetter]) && units[raw[firstLetter:]] {
			emit(raw[:firstLetter])
			emit(raw[firstLetter:])
			return
		}
		var b strings.Builder
		for _, r := range raw {
			if m, ok := leet[r]; ok {
				r = m
			}
			b.WriteRune(r)
		}
		raw = b.String()
	}
	w := squeeze(raw)
	if apostrophe {
		if ex, ok := withApostrophe[w]; ok {
			for _, x := range ex {
				emit(x)
			}
			return
		}
	}
	if w != looked && expandable(w) {
		if ex, ok := expansions[w]; ok {
			for _, x := range ex {
				emit(x)
			}
			return
		}
	}
	emit(w)
}

// normalWords normalises a phrase the way texts are, for the rules and the
// tests.
func normalWords(s string) []string {
	toks, _ := tokenize(s)
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = t.w
	}
	return out
}

// tokenize splits a text into normalised tokens with their sentence and
// clause numbers.
func tokenize(text string) ([]token, cues) {
	return appendTokens(make([]token, 0, len(text)/5+4), text)
}

// appendTokens is tokenize appending to toks, so that a reading can reuse
// the slice of the one before (Detector.scratch).
func appendTokens(toks []token, text string) ([]token, cues) {
	var c cues
	sentence, clause := 0, 0
	quoted := false
	buf := make([]byte, 0, 64) // on the stack: most words fit
	// text[lo:hi] is where the word in buf was read. Most words are written
	// in lower case and stand as they are: then the word is that part of the
	// text, and needs no string of its own.
	lo, hi := 0, 0
	apostrophe := false
	emit := func(w string) {
		w = squeeze(w)
		switch w {
		case "but", "pero", "aunque", "though", "although", "sino", "however":
			clause++
		}
		if n := len(toks); n > 0 && toks[n-1].sentence == sentence {
			if m, ok := mergeAfter(toks[n-1].w)[w]; ok {
				toks[n-1].w = m
				return
			}
		}
		toks = append(toks, token{w: w, sentence: sentence, clause: clause, quoted: quoted})
	}
	endsO := false // the word so far ends in "ó": a past tense of someone else ("me ahorcó")
	flush := func() {
		if len(buf) > 0 {
			var w string
			if hi-lo == len(buf) && text[lo:hi] == string(buf) {
				w = text[lo:hi]
			} else {
				w = string(buf)
			}
			if endsO {
				if p, ok := thirdPreterite[w]; ok {
					w = p
				}
			}
			words(w, apostrophe, emit)
			buf = buf[:0]
		}
		apostrophe = false
		endsO = false
	}
	for i := 0; i < len(text); {
		r := rune(text[i])
		var f rune
		start := i
		if r < utf8.RuneSelf {
			// ASCII, most of most texts: folding is lower-casing, and a
			// letter or digit only grows the word.
			i++
			f = r
			if 'A' <= f && f <= 'Z' {
				f += 'a' - 'A'
			}
			if 'a' <= f && f <= 'z' || '0' <= f && f <= '9' {
				if len(buf) == 0 {
					lo = start
				}
				buf = append(buf, byte(f))
				hi = i
				endsO = false
				continue
			}
		} else {
			var size int
			r, size = utf8.DecodeRuneInString(text[i:])
			i += size
			var es bool
			f, es = fold(r)
			if es {
				c.spanish++
			}
		}
		switch {
		case unicode.IsLetter(f) || unicode.IsDigit(f):
			if len(buf) == 0 {
				lo = start
			}
			buf = utf8.AppendRune(buf, f)
			hi = i
			endsO = r == 'ó' || r == 'Ó'
		case f == '@' || f == '$':
			if len(buf) > 0 || (i < len(text) && isWordByte(text[i])) {
				if len(buf) == 0 {
					lo = start
				}
				buf = append(buf, byte(f))
				hi = i
			} else {
				flush()
			}
		case f == '\'' || f == '’' || f == '‘' || f == 'ʼ' || f == '`' || f == '´':
			if len(buf) > 0 {
				apostrophe = true
			}
		case f == 0xFE0F || f == 0x200D || f >= 0x300 && unicode.Is(unicode.Mn, f):
			// variation selectors, joiners and combining marks
		case f == '.' || f == '!' || f == '?' || f == ';' || f == '\n' || f == '…' || f == '\r':
			flush()
			if n := len(toks); n > 0 && toks[n-1].sentence == sentence {
				sentence++
				clause++
			}
		case f == '¿' || f == '¡':
			c.spanish++
			flush()
			clause++
		case f == '"' || f == '“' || f == '”' || f == '«' || f == '»':
			flush()
			clause++
			quoted = !quoted
		case f == ',' || f == ':' || f == '(' || f == ')' || f == '—' || f == '–':
			flush()
			clause++
		default:
			flush()
			// a space or other ASCII is no emoji: skip the look-up
			if f < utf8.RuneSelf {
				break
			}
			if w, ok := emojiWords[f]; ok {
				emit(w)
			}
		}
	}
	flush()
	return toks, c
}

func isWordByte(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9'
}

type langWeight struct{ en, es int8 }

// langTable weighs frequent words of each language. Words both languages
// use ("no", "me") weigh nothing.
func langTable() map[string]langWeight {
	t := map[string]langWeight{}
	for _, w := range strings.Fields(`the and i you is are to of my it that this in on for with not do have am
		want just be can will all so what he she they was feel like anymore going know life die myself
		tonight today pills would could been about don't why how there their when your it's need help
		nobody anyone everyone really never much one at from or if an because think`) {
		t[squeeze(w)] = langWeight{en: 1}
	}
	for _, w := range strings.Fields(`el la los las de que y en un una es por con para mi yo estoy quiero ya pero
		muy mas todo nada se lo le del al como porque soy tengo esta este esto hoy nadie vida morir voy
		cuando hace siento si ella sus su sin hasta tambien bien algo aqui puedo quien mis estar eso
		nunca ser tu te hay dia noche ahora ganas mañana madre padre hijo hija mucho mejor muero sigo
		quisiera existir todos todas cosas casa gracias hola pues entonces siempre vez veces otra alguien
		estas eres fue era han hacer tiene muerte matar dolor sola triste miedo nos les pastillas
		puente carta despedida ayuda vivir donde cuando algo nadie`) {
		f := make([]rune, 0, len(w))
		for _, r := range w {
			x, _ := fold(r)
			f = append(f, x)
		}
		t[squeeze(string(f))] = langWeight{es: 1}
	}
	return t
}

// language decides "en" or "es": the language with more frequent words,
// Spanish characters counting double; English without cues.
func (d *Detector) language(toks []token, c cues) string {
	en, es := 0, 2*c.spanish
	for _, t := range toks {
		if t.flags&lexLang != 0 {
			en += int(t.lang.en)
			es += int(t.lang.es)
			continue
		}
		switch {
		case len(t.w) > 4 && strings.HasSuffix(t.w, "ing"):
			en++
		case len(t.w) > 5 && (strings.HasSuffix(t.w, "ando") || strings.HasSuffix(t.w, "iendo") || strings.HasSuffix(t.w, "cion") ||
			strings.HasSuffix(t.w, "arme") || strings.HasSuffix(t.w, "irme") || strings.HasSuffix(t.w, "erme") || strings.HasSuffix(t.w, "mente")):
			es++
		}
	}
	if es > en {
		return "es"
	}
	return "en"
}
