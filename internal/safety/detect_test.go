package safety

import (
	"slices"
	"strings"
	"sync"
	"testing"
)

type want struct {
	tier   int
	crisis bool
	cats   []string // nil: do not check
	lang   string   // "": do not check
	method bool
}

func check(t *testing.T, text string, w want) {
	t.Helper()
	a := Assess(text)
	if a.Tier != w.tier || a.Crisis != w.crisis || (w.lang != "" && a.Language != w.lang) || (w.cats != nil && !slices.Equal(a.Categories, w.cats)) || a.MethodDetail != w.method {
		t.Errorf("%q: got %+v, want %+v", text, a, w)
	}
}

func TestAssess(t *testing.T) {
	groups := []struct {
		name  string
		texts map[string]want
	}{
		{"idioms and hyperbole are not a crisis", map[string]want{
			"this commute is killing me":                    {},
			"I could just die of embarrassment":             {},
			"I want to die of embarrassment, I tripped":     {},
			"dead tired after the night shift":              {},
			"you're killing it!":                            {},
			"I'd kill for a coffee":                         {},
			"me muero de ganas de verte":                    {lang: "es"},
			"me mata la espera":                             {lang: "es"},
			"me mato estudiando para el final":              {lang: "es"},
			"estoy muerta de cansancio":                     {lang: "es"},
			"I'm killing myself at work to finish this":     {},
			"I cut myself shaving":                          {},
			"my mom is going to kill me when she finds out": {},
			"this is my last message before the holidays":   {},
		}},
		{"negation lowers ideation to distress", map[string]want{
			"I'm not going to hurt myself, I just need to vent": {tier: 1, cats: []string{CatDistress}},
			"no voy a hacerme daño":                             {tier: 1, cats: []string{CatDistress}, lang: "es"},
			"I'm not suicidal":                                  {tier: 1, cats: []string{CatDistress}},
			"nunca me voy a matar":                              {tier: 1, cats: []string{CatDistress}, lang: "es"},
			"I can't stop thinking about killing myself":        {tier: 2, crisis: true, cats: []string{CatSuicidal}},
			"I no longer want to live":                          {tier: 2, crisis: true, cats: []string{CatSuicidal}},
		}},
		{"negation never hides tier 3", map[string]want{
			"I'm not scared anymore, I have the pills ready": {tier: 3, crisis: true, cats: []string{CatSuicidal, CatImminent}},
			"no tengo miedo, tengo las pastillas listas":     {tier: 3, crisis: true, lang: "es"},
			"I'm not going to wait, I took all my pills":     {tier: 3, crisis: true},
		}},
		{"recovery stories in the past tense are not a crisis", map[string]want{
			"five years ago I tried to end my life; today I'm grateful":    {},
			"hace años quise morir":                                        {lang: "es"},
			"I attempted suicide in 2015 and I'm glad I survived":          {},
			"de adolescente me cortaba, hoy estoy bien":                    {lang: "es"},
			"years ago I tried to kill myself and now I want to die again": {tier: 2, crisis: true},
			"I tried to kill myself last night":                            {tier: 3, crisis: true},
		}},
		{"someone else's death and prevention talk are not a crisis", map[string]want{
			"my mother died by suicide":                      {},
			"mi padre se suicidó cuando yo era niña":         {lang: "es"},
			"September is suicide prevention month":          {},
			"call 988 if you need it":                        {},
			"if you are having suicidal thoughts, reach out": {},
			"si tienes pensamientos suicidas llama al 024":   {lang: "es"},
			"they say they want to die":                      {tier: 1, cats: []string{CatDistress}},
		}},
		{"slang, misspellings, emoji, shouting and missing accents are read", map[string]want{
			"kms":                                {tier: 2, crisis: true},
			"kys":                                {},
			"lol kms this homework":              {tier: 1},
			"I want to unalive myself":           {tier: 2, crisis: true},
			"thinking about sewerslide":          {tier: 2, crisis: true},
			"su1c1de is the only way out":        {tier: 2, crisis: true},
			"i wanna die":                        {tier: 2, crisis: true},
			"I WANT TO DIEEEE":                   {tier: 2, crisis: true},
			"nooo one cares":                     {tier: 1},
			"i want to die 💊💊":                   {tier: 3, crisis: true},
			"kiero morir":                        {tier: 2, crisis: true, lang: "es"},
			"QUIERO MORIRME":                     {tier: 2, crisis: true, lang: "es"},
			"me quiero matar":                    {tier: 2, crisis: true, lang: "es"},
			"ya no aguanto mas, no quiero vivir": {tier: 2, crisis: true, lang: "es"},
		}},
		{"tier 3: a plan, means, a time, goodbyes, an act under way", map[string]want{
			"I took all my pills":                        {tier: 3, crisis: true, cats: []string{CatSuicidal, CatImminent}},
			"tengo las pastillas listas, hoy es el día":  {tier: 3, crisis: true, lang: "es"},
			"this is my last message":                    {tier: 3, crisis: true},
			"ya escribí la carta":                        {tier: 3, crisis: true, lang: "es"},
			"I'm on the bridge":                          {tier: 3, crisis: true},
			"I want to die tonight":                      {tier: 3, crisis: true},
			"me voy a matar esta noche":                  {tier: 3, crisis: true, lang: "es"},
			"I cut too deep and can't stop the bleeding": {tier: 3, crisis: true, cats: []string{CatSelfHarm, CatImminent}},
			"goodbye everyone, I can't do this anymore":  {tier: 3, crisis: true},
		}},
		{"phrases that are imminent only next to another signal", map[string]want{
			"today is the day I start my new job!": {},
			"hoy es el día de mi cumpleaños":       {lang: "es"},
			"I have a plan for the weekend":        {},
			"goodbye everyone, see you next week":  {},
			"tengo pastillas para la cabeza":       {lang: "es"},
		}},
		{"danger from another person is a crisis of its own", map[string]want{
			"he hits me":                                   {tier: 1, crisis: true, cats: []string{CatDangerFromOthers}},
			"mi pareja me amenaza con matarme":             {tier: 1, crisis: true, cats: []string{CatDangerFromOthers}, lang: "es"},
			"my stepdad touches my little sister":          {tier: 1, crisis: true, cats: []string{CatDangerFromOthers}},
			"I don't feel safe at home":                    {tier: 1, crisis: true},
			"he never hits me, we just argue":              {},
			"my dad beat me at chess again":                {},
			"my ex used to hit me years ago, now I'm safe": {tier: 1, cats: []string{CatDistress}},
		}},
		{"method details are flagged for a human to review", map[string]want{
			"what's a lethal dose of tylenol":                                      {tier: 2, crisis: true, method: true},
			"cuantas pastillas se necesitan para morir":                            {tier: 2, crisis: true, method: true, lang: "es"},
			"I took 40 pills":                                                      {tier: 3, crisis: true, method: true},
			"I take 2 pills a day for my anxiety":                                  {},
			"I've been saving my sleeping pills, I think I have enough now to die": {tier: 3, crisis: true, method: true},
			"voy a tomar 30 pastillas de paracetamol esta noche":                   {tier: 3, crisis: true, method: true, lang: "es"},
			"I want to die. how many floors do you need to fall":                   {tier: 2, crisis: true, method: true},
			"quiero morirme, ya sé cuál es la dosis letal":                         {tier: 2, crisis: true, method: true, lang: "es"},
			"I want to die":       {tier: 2, crisis: true, cats: []string{CatSuicidal}},
			"I took all my pills": {tier: 3, crisis: true},
		}},
		{"the accent says who: me ahorcó is someone else, me ahorco the writer", map[string]want{
			"mi esposo me ahorcó anoche y tengo miedo": {tier: 1, crisis: true, cats: []string{CatDangerFromOthers}, lang: "es"},
			"ya no aguanto, me ahorco":                 {tier: 2, crisis: true, cats: []string{CatSuicidal}, lang: "es"},
			"me mató de risa ese video":                {lang: "es"},
		}},
		{"the learned reading raises only what no context set aside", map[string]want{
			"I'm not going to hurt myself, I just need to vent": {tier: 1, cats: []string{CatDistress}},
			"my ex used to hit me years ago, now I'm safe":      {tier: 1, cats: []string{CatDistress}},
		}},
		{"distress", map[string]want{
			"I can't take it anymore": {tier: 1, cats: []string{CatDistress}},
			"no puedo más":            {tier: 1, cats: []string{CatDistress}, lang: "es"},
			"me siento sola y vacía":  {tier: 1, lang: "es"},
		}},
	}
	for _, g := range groups {
		t.Run(g.name, func(t *testing.T) {
			for text, w := range g.texts {
				if w.tier == 0 && w.cats == nil && !w.crisis {
					w.cats = []string{}
				}
				check(t, text, w)
			}
		})
	}
}

func TestLanguage(t *testing.T) {
	for text, lang := range map[string]string{
		"":                          "en",
		"ok":                        "en",
		"kms":                       "en",
		"gracias":                   "es",
		"¿qué?":                     "es",
		"no sé":                     "es",
		"I feel alone tonight":      "en",
		"me siento sola esta noche": "es",
		"hoy es el dia":             "es",
		"mi mamá dice que I need to rest but no quiero estar en la casa todo el día": "es",
		"I told my therapist que estoy bien, but I'm not":                            "en",
	} {
		if got := Assess(text).Language; got != lang {
			t.Errorf("%q: language %s, want %s", text, got, lang)
		}
	}
}

func TestNormalize(t *testing.T) {
	for in, out := range map[string]string{
		"I'm DYING":       "i am dying",
		"don’t":           "do not",
		"su1c1de":         "suicide",
		"k1ll mys3lf":     "kil myself",
		"call 988":        "cal 988",
		"nooo one":        "no one",
		"día más después": "dia mas despues",
		"500mg":           "500 mg",
		"💊🔪":              "pils knife",
		"my self":         "myself",
		"self-harm":       "selfharm",
		"2nite":           "tonight",
		"kiero":           "quiero",
		"I'll":            "i wil",
		"ill":             "il",
	} {
		if got := strings.Join(normalWords(in), " "); got != out {
			t.Errorf("%q normalises to %q, want %q", in, got, out)
		}
	}
}

func TestRulesCompile(t *testing.T) {
	t.Run("every rule compiles and bad ones are refused", func(t *testing.T) {
		if len(New().rules) < 300 {
			t.Fatalf("only %d rules", len(New().rules))
		}
		for _, bad := range []string{"suicidal 2 - want to", "suicidal 9 - | die", "nope 1 - | die", "suicidal 2 - | _ die", "suicidal 2 - | don't", "suicidal 0 - | die", "suicidal 2 q | die"} {
			func() {
				defer func() {
					if recover() == nil {
						t.Errorf("%q compiled", bad)
					}
				}()
				compile(bad)
			}()
		}
	})
	t.Run("several-word alternatives expand", func(t *testing.T) {
		got := expandSequences("a|b+c d? e|f+g?")
		if len(got) != 6 || !slices.Contains(got, "a d? e") || !slices.Contains(got, "b c d? f g") || !slices.Contains(got, "a d?") {
			t.Fatalf("%q", got)
		}
	})
}

func TestAssessIsSafeForConcurrentUse(t *testing.T) {
	dev := loadDev(t)
	want := make([]Assessment, len(dev))
	for i, c := range dev {
		want[i] = Assess(c.text)
	}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i, c := range dev {
				if a := Assess(c.text); a.Tier != want[i].Tier || !slices.Equal(a.Categories, want[i].Categories) {
					t.Errorf("%q read differently under load", c.text)
					return
				}
			}
		}()
	}
	wg.Wait()
}

func FuzzAssess(f *testing.F) {
	for _, c := range []string{"", "kms", "I want to die tonight 💊", "tengo las pastillas listas, hoy es el día", "he hits me", "no voy a hacerme daño",
		"\xff\xfe", "’’’", "1111 2222", "a.b.c.d", "@@@ $$$", "¿¡", strings.Repeat("no ", 50) + "die"} {
		f.Add(c)
	}
	f.Fuzz(func(t *testing.T, text string) {
		a := Assess(text)
		if a.Tier < 0 || a.Tier > 3 {
			t.Fatalf("tier %d", a.Tier)
		}
		danger := slices.Contains(a.Categories, CatDangerFromOthers)
		if a.Crisis != (a.Tier >= 2 || danger) {
			t.Fatalf("crisis %v with tier %d and %v", a.Crisis, a.Tier, a.Categories)
		}
		if a.Language != "en" && a.Language != "es" {
			t.Fatalf("language %q", a.Language)
		}
		if a.Tier == 3 != slices.Contains(a.Categories, CatImminent) {
			t.Fatalf("tier %d with %v", a.Tier, a.Categories)
		}
		if a.Tier == 0 && len(a.Categories) > 0 && !danger {
			t.Fatalf("tier 0 with %v", a.Categories)
		}
		if a.MethodDetail && a.Tier < 2 {
			t.Fatalf("method detail at tier %d", a.Tier)
		}
		if b := Assess(text); b.Tier != a.Tier || !slices.Equal(a.Categories, b.Categories) || a.Language != b.Language || a.MethodDetail != b.MethodDetail {
			t.Fatal("not deterministic")
		}
	})
}
