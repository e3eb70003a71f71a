package safety

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// markKind is the sort of context a marker rule gives.
type markKind uint8

const (
	markNone         markKind = iota
	markDistant               // "years ago", "hace años", "used to"
	markPresent               // "now", "today", "ahora": ends a distant past
	markAgain                 // "again", "otra vez": the past is back
	markRecent                // "last night", "an hour ago", "anoche"
	markRecovery              // "grateful", "in recovery", "sobreviví"
	markPrevention            // "prevention", "hotline", "988", "campaign"
	markSecondPerson          // "if you", "anyone who", "si tienes"
	markLaugh                 // "lol", "jaja", 😂
	markTime                  // "tonight", "hoy", "esta noche"
	markMeans                 // "pills", "rope", "puente"
	markMethod                // "20 pills", "lethal dose": method details
	markLeaving               // "moving to Denver", "vacaciones": an ordinary goodbye
	cueStrong                 // a lethal means: rope, gun, a bridge, the tracks, a car running in a garage
	cueWeak                   // medication: pills, oxycodone, lithium
	cueDecision               // "I've made my decision", "ya está decidido"
	cueFarewell               // "tell my mom I'm sorry", "perdón por todo", "last time I write here"
	cueCalm                   // "I'm not afraid anymore", "made my peace", "don't try to stop me"
	cuePlace                  // "I'm on the roof", "estoy en las vías"
	cueQuantity               // "enough", "all of them", "that many", "counted out"
	markForever               // "or ever", "para siempre": a goodbye that is not a trip
	markUrgent                // "what do I do", "acaba de escribirme": someone else in danger now
	cueFinal                  // "this is it", "for good", "para siempre", "not coming back": an ending
	cueSecret                 // "nobody knows where I am", "sin decirle a nadie": hidden away
	cueRemote                 // "I'm parked at the lake", "estoy en el coche junto al río": somewhere apart
	cueNote                   // "I left a note", "dejé una carta": a letter left behind
	cueGo                     // "I'm leaving tonight", "me voy esta noche": going away, said plainly
	markPurpose               // "on purpose", "a propósito": an injury that was meant
	markLeisure               // "with my friends", "surprise trip", "de pesca": company or a day out, not a place to end
	markDest                  // "to the airport", "a mi casa": going somewhere ordinary
	markOrdinary              // "exam", "renuncia", "lease": an ending in ordinary life (school, work, a home)
)

var markNames = map[string]markKind{
	"distant": markDistant, "present": markPresent, "again": markAgain, "recent": markRecent,
	"recovery": markRecovery, "prevention": markPrevention, "second": markSecondPerson,
	"laugh": markLaugh, "time": markTime, "means": markMeans, "method": markMethod, "leaving": markLeaving,
	"strong": cueStrong, "weak": cueWeak, "decision": cueDecision, "farewell": cueFarewell, "calm": cueCalm, "place": cuePlace, "quantity": cueQuantity, "forever": markForever, "urgent": markUrgent,
	"final": cueFinal, "secret": cueSecret, "remote": cueRemote, "note": cueNote, "go": cueGo, "purpose": markPurpose, "leisure": markLeisure, "dest": markDest, "ordinary": markOrdinary,
}

var catByName = map[string]int{
	"distress": catDistress, "suicidal": catSuicidal, "self_harm": catSelfHarm,
	"imminent": catImminent, "danger": catDanger,
}

// elem is one position of a pattern.
type elem struct {
	words    []string // normalised words, any of which matches
	ids      []int32  // the same words by number in the detector's vocabulary, sorted
	prefixes []string // words starting with one of these match
	number   bool     // any number
	min      int      // with number: at least this
	year     bool     // a year, 1900–2099
	optional bool
	gap      int // a gap element: up to gap words of anything
}

// rule is one compiled pattern with what it means.
type rule struct {
	src         string
	elems       []elem
	idiom       bool
	mark        markKind
	cat         int
	tier        int
	tierElse    int  // tier when conditional and alone, or when a past-tense verb has no time marker
	generic     bool // a general word ("suicide"): not in prevention talk or said to "you"; someone else's is worry (tier 1)
	needsSelf   bool // a bare word ("suicidal"): counts only in a sentence that names the writer
	pastVerb    bool // told in the past tense ("tried to kill myself", "quise morir")
	intent      bool // with a time in its sentence or a means in the text, tier 3
	conditional bool // tier only next to another signal, else tierElse
	method      bool // gives method details
	farewell    bool // a goodbye: void when the text says the writer only leaves; distress is company enough
	negatable   bool // a tier-3 intent that negation lowers to 1 ("I'm not going to kill myself")
	negates     bool // a word of the pattern is a negation ("not safe at home")
	need        int  // index of a required element after the first, of words only (the fewest): the rule cannot match a text without one of them; -1 none

	starts [4]uint64 // a bit for each first byte of a word a match can start at (startBytes)
}

// spec is a rule as written in detect_rules.go:
//
//	kind tier flags | pattern
//
// kind is a category (distress, suicidal, self_harm, danger), "idiom", or a
// marker (distant, present, again, recent, recovery, prevention, second,
// laugh, time, means, method, leaving) or an imminence cue (strong, weak,
// decision, farewell, calm, place, quantity). flags: g generic, s needs the
// writer named, p past verb, i intent, n a tier-3 intent that negation
// lowers, c conditional, l a farewell, m method detail, eN the tier when
// alone or unmarked, "-" none.
// Pattern elements are separated by spaces: "a|b" alternatives, "pre*" a
// prefix, "#" a number ("#10" at least 10), "#year" a year, a trailing "?"
// makes the element optional, "_" is a gap of up to two words, "__" of
// up to four and "___" of up to six. Words are normalised like texts, so "day" and "día" are one.
//
// An alternative of several words is written with "+": "no+one".
func compile(line string) []rule {
	head, pat, ok := strings.Cut(line, "|")
	if !ok {
		panic("safety: rule without pattern: " + line)
	}
	var out []rule
	for _, p := range expandSequences(strings.TrimSpace(pat)) {
		out = append(out, compileOne(head+"|"+p, line))
	}
	return out
}

// expandSequences turns alternatives of several words ("a|b+c") into
// patterns of single-word elements: "a" and "b c".
func expandSequences(pat string) []string {
	variants := []string{""}
	for _, raw := range strings.Fields(pat) {
		if !strings.Contains(raw, "+") {
			for i := range variants {
				variants[i] += " " + raw
			}
			continue
		}
		optional := strings.HasSuffix(raw, "?")
		raw = strings.TrimSuffix(raw, "?")
		var singles, choices []string
		for _, alt := range strings.Split(raw, "|") {
			if strings.Contains(alt, "+") {
				choices = append(choices, strings.ReplaceAll(alt, "+", " "))
			} else {
				singles = append(singles, alt)
			}
		}
		if len(singles) > 0 {
			choices = append(choices, strings.Join(singles, "|"))
		}
		if optional {
			choices = append(choices, "")
		}
		var next []string
		for _, v := range variants {
			for _, c := range choices {
				next = append(next, v+" "+c)
			}
		}
		variants = next
	}
	for i := range variants {
		variants[i] = strings.Join(strings.Fields(variants[i]), " ")
	}
	return variants
}

func compileOne(line, orig string) rule {
	head, pat, ok := strings.Cut(line, "|")
	if !ok {
		panic("safety: rule without pattern: " + line)
	}
	f := strings.Fields(head)
	if len(f) != 3 {
		panic("safety: rule head must be kind tier flags: " + line)
	}
	r := rule{src: strings.TrimSpace(orig)}
	_ = pat
	pat = strings.TrimSpace(pat)
	switch kind := f[0]; {
	case kind == "idiom":
		r.idiom = true
	case markNames[kind] != markNone:
		r.mark = markNames[kind]
	default:
		c, ok := catByName[kind]
		if !ok {
			panic("safety: unknown kind in " + line)
		}
		r.cat = c
	}
	t, err := strconv.Atoi(f[1])
	if err != nil || t < 0 || t > 3 {
		panic("safety: bad tier in " + line)
	}
	r.tier = t
	if fl := f[2]; fl != "-" {
		for i := 0; i < len(fl); i++ {
			switch fl[i] {
			case 'g':
				r.generic = true
			case 's':
				r.needsSelf = true
			case 'n':
				r.negatable = true
			case 'l':
				r.farewell = true
			case 'p':
				r.pastVerb = true
			case 'i':
				r.intent = true
			case 'c':
				r.conditional = true
			case 'm':
				r.method = true
			case 'e':
				i++
				if i >= len(fl) || fl[i] < '0' || fl[i] > '3' {
					panic("safety: bad e flag in " + line)
				}
				r.tierElse = int(fl[i] - '0')
			default:
				panic("safety: unknown flag in " + line)
			}
		}
	}
	for _, raw := range strings.Fields(expandMacros(pat)) {
		var e elem
		switch raw {
		case "_":
			e.gap = 2
		case "__":
			e.gap = 4
		case "___":
			e.gap = 6
		default:
			if strings.HasSuffix(raw, "?") && len(raw) > 1 {
				e.optional = true
				raw = raw[:len(raw)-1]
			}
			for _, alt := range strings.Split(raw, "|") {
				switch {
				case alt == "#":
					e.number = true
				case alt == "#year":
					e.year = true
				case strings.HasPrefix(alt, "#"):
					n, err := strconv.Atoi(alt[1:])
					if err != nil {
						panic("safety: bad number in " + line)
					}
					e.number, e.min = true, n
				case strings.HasSuffix(alt, "*"):
					w := normalWords(strings.TrimSuffix(alt, "*"))
					if len(w) != 1 {
						panic(fmt.Sprintf("safety: prefix %q is not one word in %s", alt, line))
					}
					e.prefixes = append(e.prefixes, w[0])
				default:
					w := normalWords(alt)
					if len(w) != 1 {
						panic(fmt.Sprintf("safety: %q normalises to %q, not one word, in %s", alt, w, line))
					}
					e.words = append(e.words, w[0])
				}
			}
		}
		r.elems = append(r.elems, e)
	}
	for _, e := range r.elems {
		for _, w := range e.words {
			switch w {
			case "not", "never", "no", "nunca", "jamas":
				r.negates = true
			}
		}
	}
	if len(r.elems) == 0 || r.elems[0].gap > 0 || r.elems[len(r.elems)-1].gap > 0 {
		panic("safety: a pattern cannot be empty or start or end with a gap: " + line)
	}
	if r.mark == markNone && !r.idiom && r.tier == 0 {
		panic("safety: a signal needs a tier: " + line)
	}
	return r
}

// macros name word sets used by many rules.
var macros = map[string]string{
	"$SUBJ":  "he|she|they|parents|mum|aunt|grandma|grandmother|sister|caregiver|foster|husband|boyfriend|bf|wife|girlfriend|gf|partner|ex|dad|father|stepdad|stepfather|mom|mother|stepmom|stepmother|uncle|brother|cousin|boss|neighbor|neighbour|roommate|grandpa|grandfather|coach|teacher|pastor|priest|man|guy|someone",
	"$SUJ":   "el|ella|ellos|esposo|marido|novio|novia|pareja|ex|papa|padre|padrastro|mama|madre|madrastra|tio|hermano|primo|jefe|vecino|abuelo|profesor|maestro|companero|alguien|hombre|senor",
	"$KIN":   "sister|brother|son|daughter|kids|children|child|baby|kid|siblings|mom|mum|mother",
	"$PAR":   "hija|hijo|hijos|hijas|hermana|hermano|hermanita|hermanito|hermanos|ninos|nina|nino|bebe|nietos|nieta|nieto|mama|madre|mami|prima|primo",
	"$MEANS": "pills|pils|rope|noose|gun|knife|razor|blade|blades|meds|medication|tablets|pastillas|pildoras|cuerda|soga|pistola|arma|navaja|cuchillo|cuchilla|veneno|poison|bleach",
	"$WEAK":  "pills|pils|meds|medication|medications|tablets|oxycodone|oxy|lithium|insulin|tylenol|paracetamol|painkillers|sleeping|pastillas|pildoras|medicinas|medicamentos|oxicodona|litio|insulina|ansioliticos|somniferos|calmantes|antidepresivos",
	"$READY": "ready|prepared|lined|counted|tied|loaded|cargada|cargado|listas|listos|lista|listo|preparadas|preparados|preparada|preparado|contadas",
}

func expandMacros(s string) string {
	if !strings.Contains(s, "$") {
		return s
	}
	for k, v := range macros {
		s = strings.ReplaceAll(s, k, v)
	}
	return s
}

func (e *elem) accepts(t *token) bool {
	if t.id >= 0 && len(e.ids) > 0 {
		if len(e.ids) <= 8 {
			for _, id := range e.ids {
				if id == t.id {
					return true
				}
			}
		} else if _, ok := slices.BinarySearch(e.ids, t.id); ok {
			return true
		}
	}
	for _, p := range e.prefixes {
		if strings.HasPrefix(t.w, p) {
			return true
		}
	}
	if t.num >= 0 {
		if e.year && len(t.w) == 4 && t.num >= 1900 && t.num <= 2099 {
			return true
		}
		return e.number && t.num >= e.min
	}
	return false
}

// matchAt matches the rule from token i; it returns the end of the match.
// A match stays inside one sentence.
func (r *rule) matchAt(toks []token, i int) (int, bool) {
	return r.step(toks, 0, i, toks[i].sentence)
}

func (r *rule) step(toks []token, ei, pos, sentence int) (int, bool) {
	if ei == len(r.elems) {
		return pos, true
	}
	e := &r.elems[ei]
	if e.gap > 0 {
		for skip := 0; skip <= e.gap; skip++ {
			p := pos + skip
			if p >= len(toks) || toks[p].sentence != sentence {
				break
			}
			if end, ok := r.step(toks, ei+1, p, sentence); ok {
				return end, true
			}
		}
		return 0, false
	}
	if pos < len(toks) && toks[pos].sentence == sentence && e.accepts(&toks[pos]) {
		if end, ok := r.step(toks, ei+1, pos+1, sentence); ok {
			return end, true
		}
	}
	if e.optional {
		return r.step(toks, ei+1, pos, sentence)
	}
	return 0, false
}
