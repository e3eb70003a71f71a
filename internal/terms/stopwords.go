package terms

// Stopword policy.
//
// A token is dropped (neither indexed nor searched) when, after
// normalisation (accent folding, lower case, splitting on anything that is
// not a letter or digit), it is in one of the three lists below. The lists
// are written in ordinary spelling, accents and apostrophes included, and are
// passed through the same tokenizer as documents and queries when the
// package is initialised. That is why "más" also drops "mas", and why "don't"
// drops the token "don" (the "t" is too short to be a token anyway).
//
// Note that stopword matching is on whole normalised tokens, not stems:
// "supportive" is kept (its stem is "support") although "support" is a
// noise word.

// englishStopwords is the Snowball English stopword list plus a few common
// function words (also, can, will, may, via, …) and "near"/"nearby", which
// only say where ("groups near me"); location is not a text match.
const englishStopwords = `
i me my myself we our ours ourselves you your yours yourself yourselves
he him his himself she her hers herself it its itself they them their theirs
themselves what which who whom this that these those am is are was were be
been being have has had having do does did doing would should could ought
i'm you're he's she's it's we're they're i've you've we've they've i'd you'd
he'd she'd we'd they'd i'll you'll he'll she'll we'll they'll isn't aren't
wasn't weren't hasn't haven't hadn't doesn't don't didn't won't wouldn't
shan't shouldn't can't cannot couldn't mustn't let's that's who's what's
here's there's when's where's why's how's a an the and but if or because as
until while of at by for with about against between into through during
before after above below to from up down in out on off over under again
further then once here there when where why how all any both each few more
most other some such no nor not only own same so than too very
also can will just may might must shall via per etc yet upon within without
onto whose whether every us near nearby
`

// spanishStopwords is the Snowball Spanish stopword list with two deliberate
// changes, plus a few common function words (según, hacia, cada, usted, …)
// and "cerca" (near).
//
//   - "son" (they are) is NOT a stopword: it collides with the English noun
//     "son", which matters in a directory of grief groups ("loss of a son").
//   - The forms of "sentir" that Snowball lists (siente, sentido, …) are NOT
//     stopwords: feelings are content in support-group descriptions.
const spanishStopwords = `
de la que el en y a los del se las por un para con no una su al lo como más
pero sus le ya o este sí porque esta entre cuando muy sin sobre también me
hasta hay donde quien desde todo nos durante todos uno les ni contra otros
ese eso ante ellos e esto mí antes algunos qué unos yo otro otras otra él
tanto esa estos mucho quienes nada muchos cual poco ella estar estas algunas
algo nosotros mi mis tú te ti tu tus ellas nosotras vosotros vosotras os mío
mía míos mías tuyo tuya tuyos tuyas suyo suya suyos suyas nuestro nuestra
nuestros nuestras vuestro vuestra vuestros vuestras esos esas
estoy estás está estamos estáis están esté estés estemos estéis estén estaré
estarás estará estaremos estaréis estarán estaría estarías estaríamos
estaríais estarían estaba estabas estábamos estabais estaban estuve
estuviste estuvo estuvimos estuvisteis estuvieron estuviera estuvieras
estuviéramos estuvierais estuvieran estuviese estuvieses estuviésemos
estuvieseis estuviesen estando estado estada estados estadas estad
he has ha hemos habéis han haya hayas hayamos hayáis hayan habré habrás habrá
habremos habréis habrán habría habrías habríamos habríais habrían había
habías habíamos habíais habían hube hubiste hubo hubimos hubisteis hubieron
hubiera hubieras hubiéramos hubierais hubieran hubiese hubieses hubiésemos
hubieseis hubiesen habiendo habido habida habidos habidas
soy eres es somos sois sea seas seamos seáis sean seré serás será seremos
seréis serán sería serías seríamos seríais serían era eras éramos erais eran
fui fuiste fue fuimos fuisteis fueron fuera fueras fuéramos fuerais fueran
fuese fueses fuésemos fueseis fuesen
tengo tienes tiene tenemos tenéis tienen tenga tengas tengamos tengáis
tengan tendré tendrás tendrá tendremos tendréis tendrán tendría tendrías
tendríamos tendríais tendrían tenía tenías teníamos teníais tenían tuve
tuviste tuvo tuvimos tuvisteis tuvieron tuviera tuvieras tuviéramos
tuvierais tuvieran tuviese tuvieses tuviésemos tuvieseis tuviesen teniendo
tenido tenida tenidos tenidas tened
según hacia tras cada aunque pues así sino usted ustedes cuál cuáles
mientras aquí allí ahí cerca
`

// noiseWords appear in nearly every group in the directory, so they carry no
// information for search. A query made only of these (and stopwords), such
// as "support groups" or "grupos de apoyo", returns no words, and the caller
// shows all groups.
const noiseWords = `
support group groups meeting meetings
apoyo grupo grupos reunión reuniones
`

// stopwords holds the normalised forms of all three lists.
var stopwords = buildStopwords(englishStopwords, spanishStopwords, noiseWords)

func buildStopwords(lists ...string) map[string]struct{} {
	m := make(map[string]struct{}, 600)
	for _, list := range lists {
		tokenize(list, func(tok []byte, _, _ int) bool {
			m[string(tok)] = struct{}{}
			return true
		})
	}
	return m
}

// isStopword reports whether the normalised token tok is dropped.
func isStopword(tok string) bool {
	_, ok := stopwords[tok]
	return ok
}
