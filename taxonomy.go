package hearth

import "sort"

// Topic is one entry of the two-level topic taxonomy. A topic with no Parent
// is a top-level area ("mental health"); its children narrow it
// ("depression"). Names are bundled in English and Spanish because they are
// also search terms: a person typing "duelo" finds grief groups.
type Topic struct {
	Slug     string
	Parent   string // empty for a top-level area
	Name     map[string]string
	Synonyms []string // extra search words, any language
}

// Label returns the topic's name in the language (falls back to English).
func (t Topic) Label(lang string) string {
	if n, ok := t.Name[lang]; ok {
		return n
	}
	return t.Name["en"]
}

func topic(slug, parent, en, es string, synonyms ...string) Topic {
	return Topic{Slug: slug, Parent: parent, Name: map[string]string{"en": en, "es": es}, Synonyms: synonyms}
}

// taxonomy lists every topic, parents first. Slugs are stable identifiers
// stored in the database and used in URLs: never rename one.
var taxonomy = []Topic{
	topic("chronic-illness", "", "Chronic illness", "Enfermedad crónica", "illness", "enfermedad"),
	topic("cancer", "chronic-illness", "Cancer", "Cáncer", "oncology", "tumor", "oncología", "chemotherapy", "quimioterapia"),
	topic("diabetes", "chronic-illness", "Diabetes", "Diabetes", "insulin", "insulina"),
	topic("multiple-sclerosis", "chronic-illness", "Multiple sclerosis", "Esclerosis múltiple", "ms"),
	topic("heart-disease", "chronic-illness", "Heart disease", "Enfermedad cardíaca", "cardiac", "cardíaco", "corazón"),
	topic("chronic-pain", "chronic-illness", "Chronic pain", "Dolor crónico", "fibromyalgia", "fibromialgia"),
	topic("hiv", "chronic-illness", "HIV", "VIH"),
	topic("dementia", "chronic-illness", "Dementia and Alzheimer's", "Demencia y alzhéimer", "alzheimer", "alzheimers"),
	topic("parkinsons", "chronic-illness", "Parkinson's disease", "Enfermedad de Parkinson", "parkinson"),

	topic("mental-health", "", "Mental health", "Salud mental"),
	topic("depression", "mental-health", "Depression", "Depresión", "sadness", "tristeza"),
	topic("anxiety", "mental-health", "Anxiety", "Ansiedad", "panic", "pánico", "worry"),
	topic("bipolar", "mental-health", "Bipolar disorder", "Trastorno bipolar"),
	topic("ptsd", "mental-health", "PTSD and trauma", "TEPT y trauma", "trauma", "posttraumatic", "postraumático"),
	topic("eating-disorders", "mental-health", "Eating disorders", "Trastornos alimentarios", "anorexia", "bulimia", "binge"),
	topic("postpartum", "mental-health", "Postpartum and perinatal", "Posparto y perinatal", "perinatal", "maternal"),
	topic("schizophrenia", "mental-health", "Schizophrenia and psychosis", "Esquizofrenia y psicosis", "psychosis", "psicosis"),

	topic("addiction", "", "Addiction and recovery", "Adicciones y recuperación", "recovery", "recuperación", "sobriety", "sobriedad"),
	topic("alcohol", "addiction", "Alcohol", "Alcohol", "drinking", "alcoholism", "alcoholismo", "beber"),
	topic("drugs", "addiction", "Drugs", "Drogas", "opioids", "opioides", "substance", "sustancias"),
	topic("gambling", "addiction", "Gambling", "Juego", "betting", "apuestas", "ludopatía"),
	topic("smoking", "addiction", "Smoking and nicotine", "Tabaco y nicotina", "nicotine", "vaping", "tabaco"),
	topic("family-of-addicted", "addiction", "Families of people with addiction", "Familias de personas con adicción", "codependency", "codependencia"),

	topic("grief", "", "Grief and loss", "Duelo y pérdida", "bereavement", "loss", "duelo", "pérdida", "luto"),
	topic("loss-of-child", "grief", "Loss of a child", "Pérdida de un hijo", "child", "hijo", "hija", "miscarriage", "stillbirth"),
	topic("loss-of-partner", "grief", "Loss of a partner", "Pérdida de la pareja", "widow", "widower", "viuda", "viudo", "spouse"),
	topic("loss-to-suicide", "grief", "Loss to suicide", "Pérdida por suicidio", "survivors", "sobrevivientes"),
	topic("loss-of-parent", "grief", "Loss of a parent", "Pérdida de un padre o madre", "mother", "father", "madre", "padre"),
	topic("pet-loss", "grief", "Pet loss", "Pérdida de una mascota", "pet", "mascota", "dog", "cat"),

	topic("caregivers", "", "Caregivers", "Cuidadores", "caregiving", "carers", "cuidado", "cuidadoras"),
	topic("dementia-caregivers", "caregivers", "Caring for someone with dementia", "Cuidar a alguien con demencia", "alzheimer"),
	topic("parents-special-needs", "caregivers", "Parents of children with special needs", "Padres de niños con necesidades especiales", "autism", "autismo", "disability", "discapacidad"),

	topic("lgbtq", "", "LGBTQ+", "LGBTQ+", "lgbt", "gay", "lesbian", "lesbiana", "bisexual", "queer", "transgender", "trans", "nonbinary"),
	topic("coming-out", "lgbtq", "Coming out", "Salir del clóset", "closet", "clóset"),
	topic("trans-nonbinary", "lgbtq", "Trans and nonbinary", "Trans y no binario", "transgender", "gender"),
	topic("lgbtq-families", "lgbtq", "Parents and families of LGBTQ+ people", "Familias de personas LGBTQ+", "pflag"),

	topic("personal-development", "", "Personal development", "Desarrollo personal", "growth", "crecimiento"),
	topic("stress", "personal-development", "Stress", "Estrés", "burnout", "agotamiento"),
	topic("social-skills", "personal-development", "Social skills", "Habilidades sociales", "shyness", "timidez", "loneliness", "soledad"),
	topic("resilience", "personal-development", "Resilience", "Resiliencia"),
	topic("confidence", "personal-development", "Confidence and self-esteem", "Confianza y autoestima", "self-esteem", "autoestima"),
}

var topicIndex = func() map[string]int {
	m := make(map[string]int, len(taxonomy))
	for i, t := range taxonomy {
		m[t.Slug] = i
	}
	return m
}()

// Topics returns the whole taxonomy, parents before their children.
func Topics() []Topic { return append([]Topic(nil), taxonomy...) }

// LookupTopic returns the topic with that slug.
func LookupTopic(slug string) (Topic, bool) {
	i, ok := topicIndex[slug]
	if !ok {
		return Topic{}, false
	}
	return taxonomy[i], true
}

// TopicChildren returns the slugs of the children of a top-level topic.
func TopicChildren(slug string) []string {
	var out []string
	for _, t := range taxonomy {
		if t.Parent == slug {
			out = append(out, t.Slug)
		}
	}
	return out
}

// ExpandTopics returns the slugs themselves plus the children of any
// top-level topic among them, sorted and without duplicates: a search for
// "grief" includes "loss of a child".
func ExpandTopics(slugs []string) []string {
	set := map[string]bool{}
	for _, s := range slugs {
		set[s] = true
		for _, c := range TopicChildren(s) {
			set[c] = true
		}
	}
	out := make([]string, 0, len(set))
	for s := range set {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}
