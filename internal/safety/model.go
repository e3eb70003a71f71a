package safety

// The learned reading (model*.go). The rules of detect_rules.go know
// sentences; this knows words. It is a logistic regression with three
// outputs — ideation or worse (tier ≥ 2), imminent (tier 3), danger from
// another person — over the normalised text's words, word pairs and the
// four-letter pieces of its words (so "matarme", "matarse" and "mataré"
// share "<mat"). It was trained on every labelled text in testdata
// (the evaluation set, both held-out sets, the development examples, and
// the everyday chat lines counted three times, so that the ordinary weighs
// more like it does in a room) by TestTrainModel, which writes
// model_weights.go:
//
//	go generate ./internal/safety
//
// The rules keep the last word on what they read well: the model raises a
// reading only where no rule saw a signal that a context (a negation, the
// past, someone else, an idiom, a quote, prevention talk, laughter) had set
// aside, and it never lowers one. It needs grounds (ruleView): short
// generic chat gives none. Where the rules saw nothing or only
// distress and the model is very sure, the text is ideation (tier 2); where
// the rules saw ideation and the model is very sure of a plan or an act
// under way, tier 3; where it is very sure of danger from another person,
// that category. The thresholds below were chosen on predictions made for
// each text by a model that had not seen it (the training report prints
// them).

//go:generate go test -run ^TestTrainModel$ -train

import (
	"math"
	"strings"
)

// Heads of the model.
const (
	headIdeation = iota // tier ≥ 2
	headImminent        // tier 3
	headDanger          // danger from another person
	heads
)

// thresholds are where the model's probabilities raise a reading.
type thresholds struct {
	raise2 float64 // rules below tier 2, with grounds (ruleView): ideation
	bare   float64 // the same without grounds (above 1: never)
	raise3 float64 // rules at tier 2: imminent
	danger float64 // danger from another person, with grounds
	lower  float64 // rules at tier 2: distress below this (0: never)
}

// modelThresholds are the shipped ones (see the comment above and
// TestTrainModel's report).
var modelThresholds = thresholds{raise2: 0.80, bare: 2, raise3: 0.80, danger: 0.80}

const featureLimit = 4096 // features a text contributes at most (long posts)

// model is the compiled weights: a feature's hash → its row.
type model struct {
	index map[uint64]int32
	w     [][heads]float32
	bias  [heads]float32
}

// newModel hashes the generated table once.
func newModel(feats []modelFeature, bias [heads]float32) *model {
	m := &model{index: make(map[uint64]int32, len(feats)), w: make([][heads]float32, len(feats)), bias: bias}
	for i, f := range feats {
		m.index[hashString(f.name)] = int32(i)
		m.w[i] = f.w
	}
	return m
}

// modelFeature is one row of model_weights.go.
type modelFeature struct {
	name string
	w    [heads]float32
}

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func hashString(s string) uint64 {
	h := uint64(fnvOffset)
	return hashAdd(h, s)
}

func hashAdd(h uint64, s string) uint64 {
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= fnvPrime
	}
	return h
}

func hashByte(h uint64, b byte) uint64 {
	h ^= uint64(b)
	h *= fnvPrime
	return h
}

// eachFeature calls fn with the hash of every feature of the tokens, and,
// when name is true, its name (for training). Features: "w word", "b word
// word" (two words in a row in one sentence, "<s>" opening it) and "c
// abcd" (four letters of "<word>", for words of three letters or more).
func eachFeature(toks []token, name bool, fn func(h uint64, name string)) {
	n := 0
	for i := range toks {
		if n >= featureLimit {
			return
		}
		w := toks[i].w
		h := hashAdd(hashString("w "), w)
		if name {
			fn(h, "w "+w)
		} else {
			fn(h, "")
		}
		prev := "<s>"
		if i > 0 && toks[i-1].sentence == toks[i].sentence {
			prev = toks[i-1].w
		}
		h = hashAdd(hashByte(hashAdd(hashString("b "), prev), ' '), w)
		if name {
			fn(h, "b "+prev+" "+w)
		} else {
			fn(h, "")
		}
		n += 2
		if len(w) < 3 {
			continue
		}
		// "<word>": four-byte windows (the words are folded to ASCII
		// letters and digits, except a few rare runes: bytes are fine)
		for j := -1; j+4 <= len(w)+1; j++ {
			h := hashString("c ")
			for k := j; k < j+4; k++ {
				switch {
				case k < 0:
					h = hashByte(h, '<')
				case k >= len(w):
					h = hashByte(h, '>')
				default:
					h = hashByte(h, w[k])
				}
			}
			if name {
				var b strings.Builder
				b.WriteString("c ")
				for k := j; k < j+4; k++ {
					switch {
					case k < 0:
						b.WriteByte('<')
					case k >= len(w):
						b.WriteByte('>')
					default:
						b.WriteByte(w[k])
					}
				}
				fn(h, b.String())
			} else {
				fn(h, "")
			}
			n++
		}
	}
}

// wordFeatures adds the weights of the word, pair and letter features of
// the tokens to z: eachFeature without names, without a call per feature.
func (m *model) wordFeatures(toks []token, z *[heads]float64) {
	look := func(h uint64) {
		if i, ok := m.index[h]; ok {
			w := &m.w[i]
			z[0] += float64(w[0])
			z[1] += float64(w[1])
			z[2] += float64(w[2])
		}
	}
	hw, hb, hc := hashString("w "), hashString("b "), hashString("c ")
	hs := hashAdd(hb, "<s>")
	n := 0
	for i := range toks {
		if n >= featureLimit {
			return
		}
		w := toks[i].w
		look(hashAdd(hw, w))
		prev := hs
		if i > 0 && toks[i-1].sentence == toks[i].sentence {
			prev = hashAdd(hb, toks[i-1].w)
		}
		look(hashAdd(hashByte(prev, ' '), w))
		n += 2
		if len(w) < 3 {
			continue
		}
		for j := -1; j+4 <= len(w)+1; j++ {
			h := hc
			for k := j; k < j+4; k++ {
				switch {
				case k < 0:
					h = hashByte(h, '<')
				case k >= len(w):
					h = hashByte(h, '>')
				default:
					h = hashByte(h, w[k])
				}
			}
			look(h)
			n++
		}
	}
}

// probabilities scores the tokens.
func (m *model) probabilities(toks []token) [heads]float64 {
	var z [heads]float64
	for k := range z {
		z[k] = float64(m.bias[k])
	}
	add := func(h uint64, _ string) {
		if i, ok := m.index[h]; ok {
			w := &m.w[i]
			z[0] += float64(w[0])
			z[1] += float64(w[1])
			z[2] += float64(w[2])
		}
	}
	m.wordFeatures(toks, &z)
	eachCueFeature(toks, false, add)
	var p [heads]float64
	for k := range z {
		p[k] = 1 / (1 + math.Exp(-z[k]))
	}
	return p
}

// ruleView is what the rules left for the model to weigh.
type ruleView struct {
	setAside    bool // a signal of tier 2 or more was set aside by its context, or an idiom was found ("me mato estudiando")
	dangerAside bool // a danger signal was denied ("he never hits me")

	// Grounds: the model raises a reading only where the text gives it
	// some (crisis: a signal or a cue the rules kept, or a word of death, a
	// means or blood; danger: a word of harm or a danger signal). Short,
	// generic chat ("good evening everyone", "I'll pass this time") gives
	// none, however sure the model is: it learned from texts of which
	// nearly half are crises, and a room is not like that.
	crisisGrounds bool
	dangerGrounds bool
}

// groundTerms are the words that give grounds for ideation or worse: death
// and killing, a means, blood and cutting — not the everyday words of the
// cue classes ("live", "end", "train", "cut", "deep"). The words of the
// harm class give grounds for danger. A text of groundWords words or more
// in which the writer speaks of themself gives grounds too (and, with a
// word of fear, for danger).
var (
	groundTerms = func() map[string]bool {
		m := map[string]bool{}
		for _, w := range strings.Fields(`die dying dead death kill killing killed suicide suicidal unalive kms kys exist existing disappear wake
			morir muero morirme muerto muerta muerte matar matarme mato suicidar suicidarme suicidio existir desaparecer despertar
			pills pill rope noose gun knife blade blades razor bridge roof ledge tracks overdose bottle poison bleach
			pastillas pastilla cuerda soga pistola arma navaja cuchillo cuchilla puente vias azotea frasco veneno sobredosis
			bleeding blood cutting cuts sangre sangrando sangra cortes cortarme`) {
			for _, n := range normalWords(w) {
				m[n] = true
			}
		}
		return m
	}()
	dangerGroundClasses  = classBits("harm")
	selfClass, fearClass = classBits("self"), classBits("fear")
	groundWords          = 15
)

func classBits(names ...string) uint32 {
	var b uint32
	for i, c := range cueClasses {
		for _, n := range names {
			if c.name == n {
				b |= 1 << i
			}
		}
	}
	return b
}

// words adds the grounds the words of the text give.
func (v *ruleView) words(toks []token) {
	var all uint32
	term := false
	for i := range toks {
		all |= toks[i].cue
		term = term || toks[i].flags&lexTerm != 0
	}
	long := len(toks) >= groundWords && all&selfClass != 0
	v.crisisGrounds = v.crisisGrounds || term || long
	v.dangerGrounds = v.dangerGrounds || all&dangerGroundClasses != 0 || (long && all&fearClass != 0)
}

// raise applies the model's reading to the rules' assessment.
func raise(a Assessment, v ruleView, p [heads]float64) Assessment {
	return raiseWith(a, v, p, modelThresholds)
}

func raiseWith(a Assessment, v ruleView, p [heads]float64, th thresholds) Assessment {
	cats := map[string]bool{}
	for _, c := range a.Categories {
		cats[c] = true
	}
	changed := false
	if a.Tier == 2 && p[headIdeation] < th.lower {
		a.Tier = 1
		delete(cats, CatSuicidal)
		delete(cats, CatSelfHarm)
		changed = true
	}
	if a.Tier < 2 && !v.setAside && ((v.crisisGrounds && p[headIdeation] >= th.raise2) || p[headIdeation] >= th.bare) {
		a.Tier = 2
		cats[CatSuicidal] = true
		changed = true
	}
	if a.Tier == 2 && !v.setAside && v.crisisGrounds && p[headImminent] >= th.raise3 && p[headIdeation] >= th.raise3 {
		a.Tier = 3
		cats[CatImminent] = true
		if !cats[CatSelfHarm] {
			cats[CatSuicidal] = true
		}
		changed = true
	}
	if !cats[CatDangerFromOthers] && !v.dangerAside && v.dangerGrounds && p[headDanger] >= th.danger {
		cats[CatDangerFromOthers] = true
		a.Tier = max(a.Tier, 1)
		changed = true
	}
	if !changed {
		return a
	}
	if a.Tier >= 2 {
		delete(cats, CatDistress)
	} else if !cats[CatDangerFromOthers] {
		cats[CatDistress] = true
	}
	a.Categories = a.Categories[:0:0]
	for _, c := range catNames {
		if cats[c] {
			a.Categories = append(a.Categories, c)
		}
	}
	a.Crisis = a.Tier >= 2 || cats[CatDangerFromOthers]
	return a
}

// aside records a signal that its context set aside or lowered.
func (v *ruleView) aside(r *rule) {
	if r.cat == catDanger {
		v.dangerAside = true
	} else if r.tier >= 2 {
		v.setAside = true
	}
}

// cueClasses are small word classes the model also sees in combination:
// for each sentence, every class and every pair of classes it holds ("k
// self+die"), and every pair in the whole text ("t means+time"). They let
// it learn that a wish, a death word and the writer in one sentence mean
// more than each word does, whatever the sentence.
var cueClasses = []struct{ name, words string }{
	{"self", `i me my myself mine yo mi mis conmigo estoy tengo quiero voy siento puedo soy necesito quisiera`},
	{"die", `die dying dead death kill killing killed suicide suicidal end ending alive live living exist existing disappear unalive kms wake
		morir muero morirme muerto muerta muerte matar matarme mato suicidar suicidarme suicidio vivir viviendo existir desaparecer acabar terminar despertar irme`},
	{"want", `want wish hope rather ready wanna prefer quiero quisiera ojala deseo prefiero ganas pido`},
	{"means", `pills pill rope noose gun knife blade blades razor bridge roof ledge train tracks overdose bottle poison bleach
		pastillas pastilla cuerda soga pistola arma navaja cuchillo cuchilla puente vias azotea frasco veneno tren`},
	{"time", `tonight today tomorrow now soon friday saturday sunday monday weekend hour
		hoy noche manana ahora pronto viernes sabado domingo lunes finde hora`},
	{"farewell", `goodbye bye last thank thanks sorry forgive farewell hear miss
		adios despedida despedirme ultima ultimo gracias perdon perdonen perdoname extranen`},
	{"arrange", `gave give giving arranged sorted insurance papers letter note will account passwords affairs
		regale regalo arreglado arreglar papeles seguro carta nota testamento cuentas`},
	{"neg", `not never no nunca jamas ni nothing nada`},
	{"past", `ago years was were used had did hace anos era fue estaba tenia antes`},
	{"other", `he she they his her him friend son daughter mom dad husband wife boyfriend girlfriend ex brother sister
		el ella ellos amigo amiga hijo hija mama papa esposo esposa marido novio novia hermano hermana`},
	{"harm", `hit hits hitting beat beats hurt hurts choke choked push pushed slap threaten threatened threatens rape locked
		pega pegar golpea golpear golpes amenaza amenazo encierra empuja viola ahorca`},
	{"fear", `scared afraid fear terrified unsafe miedo asustada asustado aterrada`},
	{"burden", `burden better without worry problem anymore carga problema mejor sin preocupen mas`},
	{"noone", `nobody anyone everyone nadie todos todo`},
	{"blood", `bleeding blood cut cutting cuts deep sangre sangrando sangra corte cortar cortes hondo profundo`},
	{"laugh", `lol lmao haha jaja jeje xd joke kidding broma`},
	{"quote", `said says told song lyrics dijo dice cancion letra`},
}

// cueWords maps a normalised word to its classes, a bit each.
var cueWords = func() map[string]uint32 {
	m := map[string]uint32{}
	for i, c := range cueClasses {
		for _, w := range strings.Fields(c.words) {
			for _, n := range normalWords(w) {
				m[n] |= 1 << i
			}
		}
	}
	return m
}()

// eachCueFeature calls fn with the class features of the tokens.
func eachCueFeature(toks []token, name bool, fn func(h uint64, name string)) {
	var text, sent uint32
	emit := func(prefix string, set uint32) {
		for i := range cueClasses {
			if set&(1<<i) == 0 {
				continue
			}
			h := hashAdd(hashString(prefix), cueClasses[i].name)
			if prefix == "k " {
				if name {
					fn(h, prefix+cueClasses[i].name)
				} else {
					fn(h, "")
				}
			}
			for j := i + 1; j < len(cueClasses); j++ {
				if set&(1<<j) == 0 {
					continue
				}
				hj := hashAdd(hashByte(h, '+'), cueClasses[j].name)
				if name {
					fn(hj, prefix+cueClasses[i].name+"+"+cueClasses[j].name)
				} else {
					fn(hj, "")
				}
			}
		}
	}
	for i := range toks {
		if i > 0 && toks[i].sentence != toks[i-1].sentence {
			emit("k ", sent)
			sent = 0
		}
		c := cueWords[toks[i].w]
		sent |= c
		text |= c
	}
	emit("k ", sent)
	emit("t ", text)
}
