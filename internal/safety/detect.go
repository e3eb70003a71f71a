// Crisis detection (detect*.go) reads one text a person wrote, in English or
// Spanish, and says how worried a human should be. It is a small rule
// engine, deterministic and offline, built to get right what keyword lists
// get wrong. Five steps:
//
//  1. Normalise (tokenize and words in detect_text.go): lower case, fold
//     accents ("día" and "dia" are one word), drop apostrophes, undo
//     leetspeak inside words ("su1c1de" → "suicide"; "988" stays a number),
//     squeeze repeated letters ("nooo" → "no", and also "kill" → "kil": the
//     rules are normalised the same way, so every spelling meets), expand
//     contractions and texting forms ("don't" → "do not", "wanna" → "want
//     to", "kiero" → "quiero", "2nite" → "tonight"), join split words ("my
//     self", "sewer slide"), and turn the emoji that carry meaning here into
//     words (💊 pills, 🔪 knife, 🪦 grave, 🩸 blood, 😂 lol). SHOUTING is
//     just lower case.
//  2. Tokenise, recording for each word its sentence (. ! ? ; new line) and
//     its clause (also , : and "but"/"pero"/"aunque").
//  3. Match phrase patterns (detect_rules.go; the format is at compile in
//     detect_match.go) inside each sentence. A pattern is a sequence of word
//     sets with optional words and small gaps ("want to _ die" also matches
//     "want to just die"). Patterns are of three sorts: signals (distress,
//     suicidal, self-harm, imminent, danger from others, each with a tier),
//     idioms ("killing me", "me muero de risa", "to die for", "cut myself
//     shaving") which cancel any signal they overlap, and context markers
//     (distant past, recent, "again", recovery, prevention talk, second
//     person, laughter, a time, a means, method details).
//  4. Modify each signal by its context. Negation in the four words before
//     it in its clause ("not", "never", "no", "nunca") lowers tier 2 to 1
//     and cancels distress and danger, but never touches tier 3 (means made
//     ready, a plan, an act), except a denied intent ("I'm not going to kill
//     myself"). A distant past before it in its sentence ("years ago", "hace
//     años", "used to", "in 2015") with nothing present in between, or an
//     attempt told in the past inside a recovery story, makes it tier 0,
//     unless the sentence says it is back ("again", "otra vez"); a recent
//     one ("last night", "anoche") makes an attempt tier 3. An anniversary
//     ("three years ago tonight", "hace tres años hoy") is a distant past,
//     not tonight, and a story goes on in the past tense from one sentence
//     to the next ("Years ago I was ready. I had the pills counted out.")
//     until a sentence speaks of now; a past anchor after the signal counts
//     across its sentence when no verb there is of now ("I remember sitting
//     in the garage with the engine running, back in 2015"). A third-person
//     subject ("they want to die", "she took my pills") makes it tier 1,
//     the writer's worry. Laughter ("lol", "jaja", 😂) lowers tier 2 to 1.
//     General words ("suicide", "suicidal", "self-harm") never count inside
//     prevention talk or words to "you" ("suicide prevention month", "call
//     988 if you need it"), and bare ones only in a sentence naming the
//     writer.
//  5. Combine: the highest tier wins. Tier 3 comes from a plan, means made
//     ready, a firm intent, a time, goodbyes or an act under way, and also
//     from suicidal words with a time in their sentence or a means anywhere
//     in the text ("I want to die tonight", "quiero morir 💊"), unless the
//     writer is musing ("thinking about jumping off the roof").
//     Combinations count too, of cues in one sentence, two adjacent ones
//     or three short ones in a row that no context settled (a long post's
//     cues far apart do not add up): an ending ("this is it", "for good", "not
//     coming back", "para siempre") with a place apart ("parked at the
//     lake", "sola en la playa"), secrecy ("nobody knows where I am"), a
//     means, a note left or a goodbye; a note left with going away tonight.
//     Company or a day out ("with my friends", "surprise trip") voids the
//     place apart and the secrecy. Self-harm said with "on purpose" or "a
//     propósito" is not excused by an idiom ("me quemé el brazo"). Some phrases
//     are tier 3 only next to another signal ("hoy es el día", "I have a
//     plan", "goodbye everyone"): alone they are ordinary. Danger from
//     another person (abuse, threats, a child at risk) is a separate
//     category and gives at least tier 1. Crisis is tier ≥ 2 or danger from
//     others. MethodDetail is set for a crisis that names how, with what,
//     or how much ("a lethal dose", "40 pills").
//
// The language is decided by weighted frequent words, a few suffixes and
// Spanish characters (ñ, ¿, ¡, accents); a text without cues is English.
//
// Everything is compiled once into immutable package-level tables; Assess
// only reads them, so it is safe for concurrent use. A text of a few hundred
// bytes takes tens of microseconds (bench/safety_test.go).
package safety

import (
	"slices"
	"strconv"
	"strings"
	"sync"
)

// Categories an Assessment can name.
const (
	CatDistress         = "distress"
	CatSuicidal         = "suicidal"
	CatSelfHarm         = "self_harm"
	CatImminent         = "imminent"
	CatDangerFromOthers = "danger_from_others"
)

// Assessment is how the detector reads one text.
type Assessment struct {
	Tier         int      // 0 nothing, 1 distress, 2 suicidal or self-harm ideation, 3 imminent
	Crisis       bool     // Tier >= 2 or danger from another person
	Categories   []string // in a fixed order: distress, suicidal, self_harm, imminent, danger_from_others
	Language     string   // "en" or "es"
	MethodDetail bool     // the text gives method details (how, with what, doses): may be held for a human to review
}

// Assess reads one text. It is safe for concurrent use.
func Assess(text string) Assessment {
	return defaultDetector.Assess(text)
}

// Detector holds the compiled rules. The zero value is not usable; use New.
type Detector struct {
	rules   []rule
	vocab   map[string]int32 // every word of the rules, numbered
	byFirst [][]head         // by word number: the rules whose pattern starts with it
	anyHead []head           // rules whose first element is a prefix or a number
	lex     map[string]lexEntry
	model   *model    // the learned reading (model.go)
	scratch sync.Pool // *scratch, one per reading under way
}

// head is a rule where a match may start, with the ids of its needed
// element (rule.need) at hand: most rules a word starts need a word the
// text does not have, and are skipped at the cost of a bit test. Most
// needed elements are one word: its id is kept here, not behind a pointer.
type head struct {
	rule  int32
	need0 int32   // the first id of the needed element, -1 if the rule needs none
	need  []int32 // the others
}

// can says whether the text whose words are present may match the rule.
func (h *head) can(present []uint64) bool {
	if h.need0 < 0 {
		return true
	}
	if present[h.need0/64]&(1<<(h.need0%64)) != 0 {
		return true
	}
	for _, id := range h.need {
		if present[id/64]&(1<<(id%64)) != 0 {
			return true
		}
	}
	return false
}

// scratch is what one reading needs by word of the rules and by token,
// kept between readings so that a text does not allocate it anew.
type scratch struct {
	present []uint64 // by vocabulary number, a bit: the text has the word
	anyHead []*head
	toks    []token
	found   []match
	markers []match  // ctx.markers
	span    [][2]int // ctx.span
	kinds   []uint32 // ctx.kinds
	self    []bool   // ctx.self
	now     []bool   // ctx.now
}

// reuse returns s with length n, cleared, in its own array when that is
// large enough.
func reuse[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	s = s[:n]
	clear(s)
	return s
}

var defaultDetector = New()

// New compiles the bundled rules. It panics if a rule does not compile,
// which the tests catch.
func New() *Detector {
	d := &Detector{vocab: map[string]int32{}, model: newModel(modelFeatures, modelBias)}
	for _, s := range ruleSpecs {
		d.rules = append(d.rules, compile(s)...)
	}
	// Number the words, so matching compares integers.
	for i := range d.rules {
		for j := range d.rules[i].elems {
			e := &d.rules[i].elems[j]
			for _, w := range e.words {
				id, ok := d.vocab[w]
				if !ok {
					id = int32(len(d.vocab))
					d.vocab[w] = id
				}
				e.ids = append(e.ids, id)
			}
			slices.Sort(e.ids)
			e.ids = slices.Compact(e.ids)
		}
	}
	// The element each rule needs besides its first: a text without any of
	// its words cannot match it, so Assess skips the rule at once.
	for i := range d.rules {
		r := &d.rules[i]
		r.need = -1
		for j := 1; j < len(r.elems); j++ {
			e := &r.elems[j]
			if e.optional || e.gap > 0 || e.number || e.year || len(e.prefixes) > 0 || len(e.ids) == 0 {
				continue
			}
			if r.need < 0 || len(e.ids) < len(r.elems[r.need].ids) {
				r.need = j
			}
		}
	}
	d.lex = buildLex(d.vocab, langTable())
	nv := (len(d.vocab) + 63) / 64
	d.scratch.New = func() any { return &scratch{present: make([]uint64, nv)} }
	d.byFirst = make([][]head, len(d.vocab))
	for i := range d.rules {
		r := &d.rules[i]
		h := head{rule: int32(i), need0: -1}
		if r.need >= 0 {
			ids := r.elems[r.need].ids
			h.need0, h.need = ids[0], ids[1:]
		}
		r.starts = startBytes(&r.elems[0])
		first := r.elems[0]
		if first.optional || first.gap > 0 || first.number || first.year || len(first.prefixes) > 0 {
			d.anyHead = append(d.anyHead, h)
			continue
		}
		for _, id := range first.ids {
			d.byFirst[id] = append(d.byFirst[id], h)
		}
	}
	return d
}

// startBytes is the set of first bytes of the words the element accepts
// (rule.starts): every byte when it is optional or a gap, or accepts a
// word of no length.
func startBytes(e *elem) (set [4]uint64) {
	all := e.optional || e.gap > 0
	add := func(b byte) { set[b/64] |= 1 << (b % 64) }
	for _, w := range e.words {
		if w == "" {
			all = true
			continue
		}
		add(w[0])
	}
	for _, p := range e.prefixes {
		if p == "" {
			all = true
			continue
		}
		add(p[0])
	}
	if e.number || e.year {
		for b := byte('0'); b <= '9'; b++ {
			add(b)
		}
	}
	if all {
		return [4]uint64{^uint64(0), ^uint64(0), ^uint64(0), ^uint64(0)}
	}
	return set
}

// match is one rule found at tokens [start, end).
type match struct {
	rule       *rule
	start, end int
	sentence   int
}

// Assess reads one text.
func (d *Detector) Assess(text string) Assessment {
	sc := d.scratch.Get().(*scratch)
	defer d.put(sc)
	a, v, toks := d.read(text, sc)
	if len(toks) == 0 {
		return a
	}
	v.words(toks)
	if !v.crisisGrounds && !v.dangerGrounds && modelThresholds.bare > 1 {
		return a // nothing the model may raise: no need to score
	}
	return raise(a, v, d.model.probabilities(toks))
}

// put returns sc to the pool without the words of its last text: they
// are parts of it, and a text someone wrote should not outlive its reading.
func (d *Detector) put(sc *scratch) {
	clear(sc.toks)
	d.scratch.Put(sc)
}

// ruleReading is the rules' reading of a text, before the model's. The
// tokens are the caller's.
func (d *Detector) ruleReading(text string) (Assessment, ruleView, []token) {
	return d.read(text, d.scratch.New().(*scratch))
}

// read is ruleReading with the scratch to use: the tokens it returns are
// sc's, valid until sc is used again.
func (d *Detector) read(text string, sc *scratch) (Assessment, ruleView, []token) {
	toks, cues := appendTokens(sc.toks[:0], text)
	sc.toks = toks
	for i := range toks {
		t := &toks[i]
		t.id, t.num = -1, -1
		if e, ok := d.lex[t.w]; ok {
			t.id, t.lex = e.id, e.lex
		}
		if len(t.w) > 0 && len(t.w) <= 6 && t.w[0] >= '0' && t.w[0] <= '9' {
			if n, err := strconv.Atoi(t.w); err == nil {
				t.num = n
			}
		}
	}
	a := Assessment{Language: d.language(toks, cues)}
	if len(toks) == 0 {
		return a, ruleView{}, toks
	}
	// which words of the rules the text holds
	present := sc.present
	clear(present)
	for i := range toks {
		if id := toks[i].id; id >= 0 {
			present[id/64] |= 1 << (id % 64)
		}
	}
	// The rules that may start anywhere, kept in order, once per text.
	anyHead := sc.anyHead[:0]
	for i := range d.anyHead {
		if h := &d.anyHead[i]; h.can(present) {
			anyHead = append(anyHead, h)
		}
	}
	sc.anyHead = anyHead
	found := sc.found[:0]
	for i := range toks {
		if id := toks[i].id; id >= 0 {
			heads := d.byFirst[id]
			for j := range heads {
				h := &heads[j]
				if !h.can(present) {
					continue
				}
				if end, ok := d.rules[h.rule].matchAt(toks, i); ok {
					found = append(found, match{rule: &d.rules[h.rule], start: i, end: end, sentence: toks[i].sentence})
				}
			}
		}
		w := toks[i].w
		for _, h := range anyHead {
			r := &d.rules[h.rule]
			if w != "" && r.starts[w[0]/64]&(1<<(w[0]%64)) == 0 {
				continue // its first element cannot take this word
			}
			if end, ok := r.matchAt(toks, i); ok {
				found = append(found, match{rule: r, start: i, end: end, sentence: toks[i].sentence})
			}
		}
	}
	sc.found = found
	a, v := d.combine(a, toks, found, sc)
	return a, v, toks
}

// ctx is what the markers of a text say.
type ctx struct {
	markers  []match  // in text order
	span     [][2]int // per sentence: its markers are markers[lo:hi]
	kinds    []uint32 // per sentence: the marker kinds in it, a bit each
	self     []bool   // per sentence: it names the writer
	recovery bool
	time     bool
	means    bool
	method   bool   // method details ("20 pills"): they matter when there is a crisis
	leaving  bool   // an ordinary goodbye: moving, a trip, "see you next week"
	spanish  bool   // the text is Spanish: "he" is "I have", verbs say who
	urgent   bool   // the writer asks what to do about someone in danger now
	carried  []bool // per sentence: a story in the past tense that goes on from a distant past before it
	now      []bool // per sentence: a verb of the present ("I have", "tengo")
}

func (c *ctx) in(kind markKind, sentence int) bool {
	return c.kinds[sentence]&(1<<kind) != 0
}

// index builds the per-sentence views of the markers.
func (c *ctx) index(toks []token) {
	n := toks[len(toks)-1].sentence + 1
	c.span = reuse(c.span, n)
	c.kinds = reuse(c.kinds, n)
	c.self = reuse(c.self, n)
	for i := range c.span {
		c.span[i] = [2]int{0, 0}
	}
	for i, m := range c.markers {
		sp := &c.span[m.sentence]
		if sp[1] == 0 {
			sp[0] = i
		}
		sp[1] = i + 1
		c.kinds[m.sentence] |= 1 << m.rule.mark
	}
	past, now := make([]bool, n), reuse(c.now, n)
	c.now = now
	for _, t := range toks {
		if t.flags&lexFirst != 0 || (c.spanish && t.flags&lexSpanishFirst != 0) {
			c.self[t.sentence] = true
		}
		past[t.sentence] = past[t.sentence] || t.flags&lexPast != 0
		now[t.sentence] = now[t.sentence] || t.flags&lexNow != 0
	}
	// "Three years ago I was ready to die. I had the pills counted out.
	// Tonight I'm cooking dinner": the second sentence is still the past.
	c.carried = make([]bool, n)
	const present = 1<<markPresent | 1<<markRecent | 1<<markTime | 1<<markAgain
	for s := 1; s < n; s++ {
		if !past[s] || now[s] || c.kinds[s]&present != 0 {
			continue
		}
		prev := c.kinds[s-1]&(1<<markDistant) != 0 && c.kinds[s-1]&(1<<markAgain) == 0
		c.carried[s] = prev || c.carried[s-1]
	}
}

// pastWords are verbs of a story told in the past; nowWords say it is the
// present ("I have the pills", "tengo").
var pastWords = setOfWords(`had was were took wrote sat tried did felt wanted thought stood drove kept bought counted left swallowed cut
	tenia tenian estaba estaban fue era tome escribi quise intente pense senti compre guarde conte deje trague corte`)

var nowWords = setOfWords(`am have has want need feel keep is are gonna tengo quiero estoy necesito siento voy sigo es son esta`)

// distantPast says whether the signal at m is told as a distant past: a
// distant-past marker before it in its sentence with nothing present
// between them ("five years ago I tried…", not "years ago I was bullied and
// now I want to die"), or one after it in its clause ("I tried … years
// ago"), and no "again" in the sentence.
func (c *ctx) distantPast(toks []token, m match) bool {
	if c.in(markAgain, m.sentence) {
		return false
	}
	if c.carried[m.sentence] {
		return true
	}
	sentence := c.markers[c.span[m.sentence][0]:c.span[m.sentence][1]]
	for _, d := range sentence {
		if d.rule.mark != markDistant {
			continue
		}
		if d.end <= m.start {
			present := false
			for _, p := range sentence {
				if (p.rule.mark == markPresent || p.rule.mark == markRecent) && p.sentence == m.sentence && p.start >= d.end && p.end <= m.start {
					present = true
					break
				}
			}
			if !present {
				return true
			}
		} else if d.start >= m.end && (toks[d.start].clause == toks[m.end-1].clause || !c.now[m.sentence]) {
			// "I tried … years ago"; "I remember sitting in the garage with
			// the engine running, back in 2015" (no verb of now in between)
			return true
		}
	}
	return false
}

// negated says whether a negation word stands in the six words before
// the match, in its clause, with no "and" between ("zero urges to drink or
// to harm myself", not "I'm not okay and I want to die").
func negated(toks []token, m match) bool {
	cl := toks[m.start].clause
	for i := m.start - 1; i >= 0 && i >= m.start-6; i-- {
		if toks[i].clause != cl {
			return false
		}
		switch toks[i].w {
		case "and", "y", "so", "because", "porque", "then", "entonces", "asi":
			return false // "I'm not okay and I want to die"
		case "not", "never", "no", "nunca", "jamas", "ni", "zero", "cero", "without", "sin", "ningun", "ninguna":
			if i+2 < len(toks) && toks[i+1].w == "longer" {
				if toks[i+2].w == "want" || toks[i+2].w == "wish" || toks[i+2].w == "care" || toks[i+2].w == "se" {
					continue // "I no longer want to live"
				}
				return true // "I no longer think about ending it"
			}
			if i+2 < len(toks) && toks[i+1].w == "tengo" && (toks[i+2].w == "ganas" || toks[i+2].w == "intencion" || toks[i+2].w == "planes" || toks[i+2].w == "pensado") {
				return true // "no tengo ganas de morirme": a denial
			}
			if i+1 < len(toks) {
				switch toks[i+1].w {
				// "not sure I want to live", "no one", "no longer", "can't stop",
				// "no sé": not a denial of what follows.
				case "sure", "know", "think", "one", "body", "longer", "stop", "help", "se", "matter", "even", "mas", "puedo", "aguanto", "tengo", "hay", "soporto",
					"idea", "clue", "reason", "wonder", "doubt", "way", "point", "sense", "tiene", "le", "encuentro", "veo", "sirvo", "valgo":
					continue
				}
			}
			return true
		}
	}
	return false
}

// musing says whether the match is something the writer thinks about
// ("thinking about jumping off the roof") rather than means to do: a
// thinking word stands before it in its clause. It keeps ideation with a
// means named at tier 2.
func musing(toks []token, m match) bool {
	cl := toks[m.start].clause
	for i := m.start - 1; i >= 0 && i >= m.start-4 && toks[i].clause == cl; i-- {
		switch toks[i].w {
		case "thinking", "think", "thought", "thoughts", "considering", "imagine", "imagining", "fantasize", "fantasizing", "dream",
			"pensando", "pienso", "pensar", "pensamientos", "imagino", "imaginando", "fantaseo", "sueno":
			return true
		}
	}
	return false
}

// negatedInside says whether a negation stands inside the match: "he never
// hits me" (a danger pattern leaves a gap after its subject).
func negatedInside(toks []token, m match) bool {
	if m.rule.negates {
		return false // the pattern says "not" itself: "not safe at home"
	}
	for i := m.start; i < m.end; i++ {
		switch toks[i].w {
		case "not", "never", "no", "nunca", "jamas":
			if i+1 < m.end && (toks[i+1].w == "stop" || toks[i+1].w == "deja" || toks[i+1].w == "let") {
				continue
			}
			return true
		}
	}
	return false
}

// thirdPerson says whether the subject of the match is someone else: a
// third-person word comes before it in its clause before any first-person
// one. A match that names the writer ("better off without me") is the
// writer's own.
func thirdPerson(toks []token, m match, spanish bool) bool {
	third := func(w string) bool {
		if spanish && (w == "he" || w == "se") {
			return false // "he" is "I have"; "se" is too common to say who
		}
		return thirdWords[w]
	}
	// The subject just before the match decides first: "she took all my
	// pills" is someone else's act, "I took all my pills" the writer's,
	// "se tomó todas las pastillas" someone else's.
	cl := toks[m.start].clause
	for i := m.start - 1; i >= 0 && i >= m.start-3 && toks[i].clause == cl; i-- {
		w := toks[i].w
		if adverbs[w] {
			continue
		}
		if firstPerson[w] || (spanish && spanishFirst[w] && w != "me") {
			return false
		}
		if third(w) || (spanish && w == "se" && m.rule.tier == 3) {
			return true
		}
		break
	}
	for i := m.start; i < m.end; i++ {
		w := toks[i].w
		switch {
		case w == "me":
			if i > m.start { // "without me"; a leading Spanish "me" is an object: "(he) me golpeó"
				return false
			}
		case firstPerson[w], spanish && spanishFirst[w]:
			return false
		}
	}
	for i := m.start - 1; i >= 0; i-- {
		if toks[i].clause != cl {
			return false
		}
		if firstPerson[toks[i].w] || (spanish && spanishFirst[toks[i].w] && toks[i].w != "me") {
			return false
		}
		if third(toks[i].w) {
			return true
		}
	}
	return false
}

// reported says whether the match is someone else's words quoted: inside
// quotation marks, with a verb of saying outside them in its sentence
// ("\"kms\" said my teenager").
func reported(toks []token, m match) bool {
	if !toks[m.start].quoted {
		return false
	}
	for i := range toks {
		if toks[i].sentence == m.sentence && !toks[i].quoted && (sayWords[toks[i].w] || songWords[toks[i].w]) {
			return true
		}
	}
	return false
}

// songWords say that quoted words are a song's or a film's ("the Johnny
// Cash cover that starts \"I hurt myself today\"").
var songWords = setOfWords(`song songs lyric lyrics line lines cover sings sang singing chorus verse album track movie film quote quoting
	cancion canciones letra canta cantaba cantando coro estrofa disco pelicula cita frase`)

var sayWords = setOfWords(`said says say told tells wrote writes write asked asks called call posted texted
	dijo dice dicen dijeron escribio escribe escriben pregunto pregunta grito llamo publico`)

var firstPerson = setOfWords("i me my myself yo mi")

// thirdWords name someone else. Not "el" nor "tu": folded, they are also
// "the" and "your".
var thirdWords = setOfWords(`he she they who people someone somebody everyone friend friends son daughter
	kids kid brother sister mom dad mother father wife husband partner boyfriend girlfriend you your
	uncle aunt cousin grandma grandpa grandmother grandfather niece nephew neighbor neighbour roommate coworker classmate
	boss teacher coach sponsor patient client teen teenager stepdad stepmom
	ella ellos ellas alguien usted novio novia esposo esposa marido pareja papa padre mama madre
	padrastro tio jefe hermano hermana amigo amiga hijo hija tia primo prima abuelo abuela sobrino sobrina
	vecino vecina suegra suegro cunado cunada companero companera paciente`)

var adverbs = setOfWords("just already also then finally really actually ya tambien solo casi almost")

func setOfWords(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[squeeze(w)] = true
	}
	return m
}

// combine applies the modifiers to every signal and folds them into one
// assessment. The markers and their per-sentence views are kept in sc.
func (d *Detector) combine(a Assessment, toks []token, found []match, sc *scratch) (Assessment, ruleView) {
	var v ruleView
	c := ctx{markers: sc.markers[:0], span: sc.span, kinds: sc.kinds, self: sc.self, now: sc.now}
	defer func() { sc.markers, sc.span, sc.kinds, sc.self, sc.now = c.markers, c.span, c.kinds, c.self, c.now }()
	var idioms, signals []match
	for _, m := range found {
		switch {
		case m.rule.idiom:
			idioms = append(idioms, m)
		case m.rule.mark != markNone:
			c.markers = append(c.markers, m)
			switch m.rule.mark {
			case markRecovery:
				c.recovery = true
			case markTime:
				c.time = true
			case markMeans:
				c.means = true
			case markMethod:
				c.method = true
			case markLeaving:
				c.leaving = true
			case markUrgent:
				c.urgent = true
			}
		default:
			signals = append(signals, m)
		}
	}
	c.spanish = a.Language == "es"
	c.index(toks)
	// A figure of speech, a distant past, recovery, prevention talk, words to
	// "you", laughter, an ordinary leaving or a day out: contexts the rules
	// know, which the model does not overrule.
	// A sentence that holds one of them, or a signal its context set aside,
	// is settled: its cues do not combine with the next sentence's.
	ns := len(c.kinds)
	settled := make([]bool, ns)
	v.setAside = len(idioms) > 0
	for _, m := range idioms {
		settled[m.sentence] = true
	}
	for _, m := range c.markers {
		switch m.rule.mark {
		case markDistant, markRecovery, markPrevention, markSecondPerson, markLaugh, markLeaving, markLeisure, markDest, markOrdinary:
			v.setAside = true
			settled[m.sentence] = settled[m.sentence] || m.rule.mark != markLeaving
		}
	}
	if c.leaving {
		for _, m := range c.markers {
			if m.rule.mark == markForever {
				c.leaving = false // "not next week or ever"
			}
		}
	}
	if c.leaving {
		for _, m := range c.markers {
			if m.rule.mark == markLeaving {
				settled[m.sentence] = true
			}
		}
	}
	var cats [5]bool // distress, suicidal, self_harm, imminent, danger
	tier := 0
	type pending struct {
		m     match
		cat   int
		else_ int
	}
	var conditional []pending
	high, low := 0, 0 // signals of tier 2 or more, and of tier 1: company for conditional ones
	acting := 0       // suicidal signals that are not musing: with a cue, imminent
	// Per sentence: a signal of any tier, one of tier 1, a farewell signal
	// that is not an ordinary leaving. Cues combine only with company in
	// their own or the next sentence: a long post of ordinary sentences
	// holds a time here and a goodbye there.
	sigAt, lowAt, byeAt := make([]bool, ns), make([]bool, ns), make([]bool, ns)
	for _, m := range signals {
		r := m.rule
		// an idiom ("me quemé la mano") does not excuse a hurt made on purpose
		// an idiom inside a longer threat does not excuse it ("si lo dejo
		// me mata"): only one that reaches outside the threat does
		idiom := overlapsAny(m, idioms) && !(r.cat == catDanger && !slices.ContainsFunc(idioms, func(o match) bool {
			return overlaps(m, o) && (o.start <= m.start && o.end >= m.end || o.start < m.start || o.end > m.end)
		}))
		if (idiom && !(r.cat == catSelfHarm && c.in(markPurpose, m.sentence))) || (r.farewell && c.leaving) || reported(toks, m) {
			v.aside(r)
			settled[m.sentence] = true
			continue
		}
		if r.farewell && !r.conditional && !c.in(markSecondPerson, m.sentence) && !c.distantPast(toks, m) {
			byeAt[m.sentence] = true
		}
		t := r.tier
		cat := r.cat
		neg := negated(toks, m)
		past := c.distantPast(toks, m)
		switch {
		case cat == catDanger:
			if neg || negatedInside(toks, m) {
				v.aside(r)
				settled[m.sentence] = true
				continue
			}
			if past {
				v.aside(r)
				settled[m.sentence] = true
				t, cat = 1, catDistress
			}
		case r.generic && (c.in(markPrevention, m.sentence) || c.in(markSecondPerson, m.sentence)):
			v.aside(r)
			settled[m.sentence] = true
			continue
		case r.needsSelf && !c.self[m.sentence] && m.start-sentenceStart(toks, m.start) > 2:
			// a bare "suicidal" counts when its sentence names the writer, or
			// opens its sentence with no subject ("feeling suicidal again")
			v.aside(r)
			settled[m.sentence] = true
			continue
		case r.generic && thirdPerson(toks, m, c.spanish):
			t, cat = 1, catDistress
		case r.pastVerb:
			// an attempt or a wish told in the past
			switch {
			case (thirdPerson(toks, m, c.spanish) || someoneElse(toks, m.start, c.spanish)) && !c.urgent:
				// "my uncle overdosed last weekend": someone else's, the writer's worry
				v.aside(r)
				settled[m.sentence] = true
				t, cat = 1, catDistress
			case c.in(markAgain, m.sentence):
			case past:
				v.aside(r)
				settled[m.sentence] = true
				continue
			case c.in(markRecent, m.sentence):
				t = r.tier + 1
			case c.recovery:
				v.aside(r)
				settled[m.sentence] = true
				continue
			default:
				t = r.tierElse
			}
		case past:
			v.aside(r)
			settled[m.sentence] = true
			continue
		case t == 3:
			// Negation never hides tier 3, except the denial of an intent
			// ("I'm not going to kill myself"): that is what it says. Someone
			// else's act is the writer's worry, unless it is happening now
			// ("my friend just texted me she took all her pills, what do I do?").
			if ((thirdPerson(toks, m, c.spanish) || saidBySomeoneElse(toks, m, c.spanish)) && !c.urgent) || (r.negatable && neg) {
				t, cat = 1, catDistress
			}
		case t == 2:
			if thirdPerson(toks, m, c.spanish) || saidBySomeoneElse(toks, m, c.spanish) {
				t, cat = 1, catDistress
			} else if neg || (cat == catSuicidal && c.in(markLaugh, m.sentence)) {
				// laughter marks hyperbole ("kms lol"); it does not excuse
				// an act of self-harm ("me volví a cortar jaja")
				t, cat = 1, catDistress
			}
		case t == 1:
			if neg || c.in(markLaugh, m.sentence) {
				continue
			}
		}
		if t > 3 {
			t = 3
		}
		if t < r.tier && !r.pastVerb {
			v.aside(r)
			settled[m.sentence] = true
		}
		if r.conditional {
			conditional = append(conditional, pending{m: m, cat: cat, else_: r.tierElse})
			continue
		}
		if t <= 0 {
			continue
		}
		if t >= 2 || cat == catDanger {
			high++
		} else {
			low++
			lowAt[m.sentence] = true
		}
		sigAt[m.sentence] = true
		if t >= 2 && cat == catSuicidal && !musing(toks, m) {
			acting++
		}
		if r.method {
			a.MethodDetail = true
		}
		if t == 2 && r.intent && (c.in(markTime, m.sentence) || c.means) && (cat == catSuicidal || cat == catSelfHarm) && !musing(toks, m) {
			t = 3
		}
		if t == 3 {
			cats[catImminent] = true
			if cat == catDistress || cat == catImminent {
				cat = catSuicidal
			}
		}
		cats[cat] = true
		if cat == catDanger {
			t = max(t, 1)
		}
		tier = max(tier, t)
	}
	// Conditional phrases ("hoy es el día", "I have a plan") count only next
	// to a crisis signal anywhere in the text or a second conditional
	// phrase in the same or an adjacent sentence; farewells ("goodbye
	// everyone") also next to distress in the same sentence or an adjacent
	// one when neither is settled.
	for i, p := range conditional {
		ok := high > 0 || (p.m.rule.farewell && nearBy(lowAt, settled, p.m.sentence))
		for j, q := range conditional {
			if ok || j > 64 {
				break
			}
			ok = i != j && q.m.rule != p.m.rule && !overlaps(p.m, q.m) && abs(q.m.sentence-p.m.sentence) <= 1
		}
		t := p.m.rule.tier
		if !ok {
			t = p.else_
		}
		if t <= 0 {
			continue
		}
		if p.m.rule.method {
			a.MethodDetail = true
		}
		cat := p.cat
		if t == 3 {
			cats[catImminent] = true
			if cat == catDistress || cat == catImminent {
				cat = catSuicidal
			}
		}
		cats[cat] = true
		tier = max(tier, t)
	}
	// Imminence from cues that together say a plan is under way, even when
	// no single phrase does: a lethal means with a time, a decision or a
	// farewell; medication with a decision, a farewell or a quantity; a
	// decision with a time; a farewell with a time or a calm resolve; any
	// crisis signal with a means, a decision or a farewell; an ending
	// ("this is it", "for good", "para siempre") with a place apart, secrecy,
	// a means, a note or a goodbye; secrecy ("nobody knows where I am") with
	// a place apart or a means; a note left with going away tonight.
	if tier < 3 && d.imminent(&c, toks, idioms, acting > 0, sigAt, byeAt, settled) {
		tier = 3
		cats[catImminent] = true
		if !cats[catSuicidal] && !cats[catSelfHarm] {
			cats[catSuicidal] = true
		}
	}
	if tier >= 2 {
		cats[catDistress] = false // the higher category says it
	}
	if tier == 1 && !cats[catDistress] && !cats[catDanger] {
		cats[catDistress] = true
	}
	for i, on := range cats {
		if on {
			a.Categories = append(a.Categories, catNames[i])
		}
	}
	if c.method && tier >= 2 {
		a.MethodDetail = true
	}
	// Grounds for the model to raise a reading (model.go): a signal the
	// rules kept, or a cue of a plan (a means, a farewell, a decision, a
	// place…) outside prevention talk and words to "you".
	v.crisisGrounds = tier >= 1
	for _, m := range c.markers {
		switch m.rule.mark {
		case markMeans, markMethod, cueStrong, cueWeak, cueDecision, cueFarewell, cueCalm, cuePlace, cueQuantity,
			cueFinal, cueSecret, cueRemote, cueNote, cueGo:
			if !c.in(markPrevention, m.sentence) && !c.in(markSecondPerson, m.sentence) {
				v.crisisGrounds = true
			}
		}
	}
	v.dangerGrounds = cats[catDanger]
	a.Tier = tier
	a.Crisis = tier >= 2 || cats[catDanger]
	return a, v
}

var catNames = [...]string{CatDistress, CatSuicidal, CatSelfHarm, CatImminent, CatDangerFromOthers}

const (
	catDistress = iota
	catSuicidal
	catSelfHarm
	catImminent
	catDanger
)

// nearBy says whether at holds the sentence s, or one next to it when
// neither is settled.
func nearBy(at, settled []bool, s int) bool {
	if at[s] {
		return true
	}
	if settled[s] {
		return false
	}
	return (s > 0 && at[s-1] && !settled[s-1]) || (s+1 < len(at) && at[s+1] && !settled[s+1])
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func overlaps(a, b match) bool { return a.start < b.end && b.start < a.end }

func overlapsAny(m match, list []match) bool {
	return slices.ContainsFunc(list, func(o match) bool { return overlaps(m, o) })
}

// spanishFirst are Spanish verb forms that say "I".
var spanishFirst = setOfWords(`he estoy tengo soy quiero voy pienso siento necesito quisiera deseo puedo
	sigo estuve tuve fui hice me`)

// sentenceStart is the index of the first token of the sentence of token i.
func sentenceStart(toks []token, i int) int {
	s := toks[i].sentence
	for i > 0 && toks[i-1].sentence == s {
		i--
	}
	return i
}

// imminent combines the cues of a text. A cue does not count inside
// prevention talk, words to "you", a distant past or a negation.
func (d *Detector) imminent(c *ctx, toks []token, idioms []match, acting bool, sigAt, byeAt, settled []bool) bool {
	ns := len(c.kinds)
	hasAt := make([]uint32, ns) // per sentence: the cue kinds it holds
	type cueRule struct {
		r *rule
		s int
	}
	var byes, strongs []cueRule // farewell and lethal-means rules, by sentence
	for _, m := range c.markers {
		k := m.rule.mark
		switch k {
		case cueStrong, cueWeak, cueDecision, cueFarewell, cueCalm, cuePlace, cueQuantity, markTime, markMeans,
			cueFinal, cueSecret, cueRemote, cueNote, cueGo:
		default:
			continue
		}
		if c.in(markPrevention, m.sentence) || c.in(markSecondPerson, m.sentence) || c.distantPast(toks, m) || overlapsAny(m, idioms) {
			continue
		}
		if k == cueFarewell && c.leaving {
			continue
		}
		if k == cueSecret && (toks[m.end-1].w == "knows" || toks[m.end-1].w == "sabe") && m.end < len(toks) && toks[m.end].clause == toks[m.end-1].clause {
			continue // a bare "nobody knows" ends its clause; "nobody knows how I feel" is not hiding
		}
		if (k == cueDecision || k == cueFarewell || k == cuePlace || k == cueRemote || k == cueNote || k == cueGo) && negated(toks, m) {
			continue
		}
		if k == cueDecision && negatedInside(toks, m) {
			continue // "I don't know how I'm going to get through tomorrow"
		}
		if (k == cueQuantity || k == cuePlace || k == cueDecision || k == cueRemote || k == cueNote || k == cueGo || k == cueFinal) && someoneElse(toks, m.start, c.spanish) && !c.urgent && !saysI(toks[m.start].w, c.spanish) {
			continue
		}
		hasAt[m.sentence] |= 1 << k
		if k == cueFarewell {
			byes = append(byes, cueRule{m.rule, m.sentence})
		}
		if k == cueStrong {
			strongs = append(strongs, cueRule{m.rule, m.sentence})
		}
	}
	voidFinal, voidGoing, voidNote, voidSecret, voidRemote := c.leaving, c.leaving, false, false, false // "moving to Denver for good"
	for _, m := range c.markers {
		switch m.rule.mark {
		case markLeisure:
			voidSecret, voidRemote = true, true // "at the lake with my friends", "surprise trip"
		case markDest:
			voidGoing = true // "leaving tonight for the airport"
		case markOrdinary:
			voidFinal, voidGoing, voidNote, voidSecret, voidRemote = true, true, true, true, true // "my last exam, this is it", "carta de renuncia"
		}
	}
	// distinct counts the different rules of list in sentences lo..hi.
	distinct := func(list []cueRule, lo, hi int) int {
		n := 0
		for i, x := range list {
			if x.s < lo || x.s > hi {
				continue
			}
			dup := false
			for _, y := range list[:i] {
				if y.r == x.r && y.s >= lo && y.s <= hi {
					dup = true
					break
				}
			}
			if !dup {
				n++
			}
		}
		return n
	}
	// The cues must be together: in one sentence, in two next to each
	// other, or in three short ones in a row ("I'm on the roof. It's seven
	// floors. I just wanted someone to know."), none of them settled (see
	// combine). A suicidal signal of the writer's (acting) counts wherever
	// it is.
	words := make([]int, ns)
	for i := range toks {
		words[toks[i].sentence]++
	}
	for w := 0; w < 3*ns; w++ {
		lo, hi := w/3, w/3+w%3
		if hi >= ns || (lo != hi && (settled[lo] || settled[hi] || settled[lo+1])) {
			continue
		}
		if hi-lo == 2 && words[lo]+words[lo+1]+words[hi] > maxShortRun {
			continue
		}
		var mask uint32
		farewell, anySignal := false, false
		for s := lo; s <= hi; s++ {
			mask |= hasAt[s]
			farewell = farewell || byeAt[s]
			anySignal = anySignal || sigAt[s]
		}
		if mask == 0 && !farewell {
			continue
		}
		has := func(k markKind) bool { return mask&(1<<k) != 0 }
		nbyes, nstrongs := distinct(byes, lo, hi), distinct(strongs, lo, hi)
		strong := has(cueStrong) || has(cuePlace)
		weak := has(cueWeak)
		time, decision, calm, quantity := has(markTime), has(cueDecision), has(cueCalm), has(cueQuantity)
		bye := has(cueFarewell) || farewell
		final := has(cueFinal) && !voidFinal
		secret := has(cueSecret) && !voidSecret
		remote := has(cueRemote) && !voidRemote
		note := has(cueNote) && !voidNote
		going := has(cueGo) && !voidGoing
		switch {
		case final && (remote || secret || strong || weak || note || decision || bye || calm): // "at the lake, this is it"
		case final && (time || going) && (anySignal || secret || remote): // "I want out, tonight, for good"
		case secret && (remote || strong || weak || bye): // "in my car by the river, nobody knows I'm here"
		case remote && has(cueStrong): // "I took the gun and I'm sitting in the woods"
		case note && (going || calm || bye || acting): // "left a note, I'm leaving tonight"
		case nbyes >= 2 || (nbyes == 1 && farewell): // "goodbye everyone ... sorry for everything"
		case nstrongs >= 2: // "I filled the tub and I have the razor"
		case has(cuePlace) && (has(cueStrong) || weak || time || bye || calm || decision): // "in the garage with the car running"
		case strong && (time || decision || bye || calm):
		case weak && (decision || bye || calm || quantity):
		case weak && time && anySignal:
		case decision && (time || bye || calm):
		case bye && (time || calm):
		default:
			continue
		}
		return true
	}
	// A suicidal signal of the writer's with a means, a decision, a goodbye
	// or a quantity anywhere in the text.
	if acting {
		var all uint32
		for _, m := range hasAt {
			all |= m
		}
		if all&(1<<cueStrong|1<<cuePlace|1<<cueDecision|1<<cueFarewell|1<<cueQuantity) != 0 || slices.Contains(byeAt, true) {
			return true
		}
	}
	return false
}

// maxShortRun is the most words three sentences in a row may hold for
// their cues to combine.
const maxShortRun = 20

// saysI says whether w names the writer ("I", "estoy"): a cue that opens
// with it is the writer's own, whoever was named before.
func saysI(w string, spanish bool) bool {
	return firstPerson[w] || (spanish && spanishFirst[w] && w != "me")
}

// someoneElse says whether the nearest subject in the four words before
// token i, in its clause, is someone else ("she took all my pills").
func someoneElse(toks []token, i int, spanish bool) bool {
	cl := toks[i].clause
	for j := i - 1; j >= 0 && j >= i-4 && toks[j].clause == cl; j-- {
		w := toks[j].w
		if firstPerson[w] || (spanish && spanishFirst[w] && w != "me") {
			return false
		}
		if thirdWords[w] && !(spanish && w == "he") || (spanish && w == "se") {
			return true
		}
	}
	return false
}

// saidBySomeoneElse says whether the match is words someone else said: a
// verb of saying stands before it in its sentence, and the one saying it
// is not the writer ("my 13-year-old said 'I'm going to unalive myself'",
// "mi hija dijo 'me quiero morir'"; not "I told her I want to die").
func saidBySomeoneElse(toks []token, m match, spanish bool) bool {
	s := toks[m.start].sentence
	for j := m.start - 1; j >= 0 && j >= m.start-5 && toks[j].sentence == s; j-- {
		w := toks[j].w
		if !sayWords[w] || w == "write" || w == "call" || w == "say" || w == "ask" {
			continue
		}
		// who says it: the words before the verb
		for k := j - 1; k >= 0 && k >= j-4 && toks[k].sentence == s; k-- {
			x := toks[k].w
			if x == "i" || x == "yo" || (spanish && x == "le") {
				return false
			}
			if x == "my" || x == "mi" || thirdWords[x] || kinWords[x] {
				return true
			}
		}
		if spanish && (w == "dijo" || w == "dice" || w == "escribio" || w == "grito") {
			return true // a third-person verb says who
		}
		return false
	}
	return false
}

var kinWords = setOfWords(`teen teenager teenagers kid kids son daughter child niece nephew student students hija hijo nina nino sobrina sobrino alumno alumna adolescente`)

// buildLex gathers, per word, its vocabulary number and what every word
// list that is read for each token says of it, so that a token costs one
// look-up rather than one per list.
func buildLex(vocab map[string]int32, lang map[string]langWeight) map[string]lexEntry {
	m := map[string]lexEntry{}
	get := func(w string) lexEntry {
		e, ok := m[w]
		if !ok {
			e.id = -1
		}
		return e
	}
	for w, id := range vocab {
		e := get(w)
		e.id = id
		m[w] = e
	}
	for w, c := range cueWords {
		e := get(w)
		e.cue = c
		m[w] = e
	}
	for w, l := range lang {
		e := get(w)
		e.lang = l
		e.flags |= lexLang
		m[w] = e
	}
	for _, list := range []struct {
		words map[string]bool
		flag  uint8
	}{{groundTerms, lexTerm}, {firstPerson, lexFirst}, {spanishFirst, lexSpanishFirst}, {pastWords, lexPast}, {nowWords, lexNow}} {
		for w, on := range list.words {
			if on {
				e := get(w)
				e.flags |= list.flag
				m[w] = e
			}
		}
	}
	return m
}
