// Package i18n is Hearth's message catalog: every string a person reads,
// in English and Spanish, chosen from the Accept-Language header or the
// person's choice, with plural forms and dates, times and numbers written
// the way each language writes them.
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

//go:embed locales
var files embed.FS

// Supported lists the languages Hearth speaks, the default first.
var Supported = []string{"en", "es"}

// entry is one message: a plain text, or plural forms keyed one/other.
type entry struct {
	text   string
	plural map[string]string
}

func (e *entry) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		return json.Unmarshal(b, &e.text)
	}
	return json.Unmarshal(b, &e.plural)
}

// Catalog holds every language's messages. It is immutable after Load.
type Catalog struct {
	msgs    map[string]map[string]*entry
	matcher language.Matcher
	tags    []language.Tag
}

// Load reads the embedded catalogs.
func Load() (*Catalog, error) {
	c := &Catalog{msgs: map[string]map[string]*entry{}}
	for _, lang := range Supported {
		// Each language is a folder of JSON files, one per area of Hearth,
		// merged; a key defined twice is an error.
		names, err := fs.Glob(files, "locales/"+lang+"/*.json")
		if err != nil {
			return nil, err
		}
		m := map[string]*entry{}
		for _, name := range names {
			b, err := files.ReadFile(name)
			if err != nil {
				return nil, err
			}
			part := map[string]*entry{}
			if err := json.Unmarshal(b, &part); err != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
			for k, v := range part {
				if _, dup := m[k]; dup {
					return nil, fmt.Errorf("%s: key %q is defined twice", name, k)
				}
				m[k] = v
			}
		}
		c.msgs[lang] = m
		c.tags = append(c.tags, language.Make(lang))
	}
	c.matcher = language.NewMatcher(c.tags)
	return c, nil
}

// Keys returns the sorted message keys of a language (for tests).
func (c *Catalog) Keys(lang string) []string {
	keys := make([]string, 0, len(c.msgs[lang]))
	for k := range c.msgs[lang] {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Raw returns a message's texts (one text, or each plural form) for tests.
func (c *Catalog) Raw(lang, key string) []string {
	e := c.msgs[lang][key]
	if e == nil {
		return nil
	}
	if e.plural == nil {
		return []string{e.text}
	}
	var out []string
	for _, k := range []string{"one", "other"} {
		out = append(out, e.plural[k])
	}
	return out
}

// Match picks the supported language for a choice (a cookie, an account
// setting) or else an Accept-Language header.
func (c *Catalog) Match(choice, acceptLanguage string) string {
	for _, l := range Supported {
		if choice == l {
			return l
		}
	}
	if len(acceptLanguage) > 512 {
		acceptLanguage = acceptLanguage[:512]
	}
	tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(tags) == 0 {
		return Supported[0]
	}
	_, i, conf := c.matcher.Match(tags...)
	if conf == language.No {
		return Supported[0]
	}
	return Supported[i]
}

// Locale is one language's view of the catalog.
type Locale struct {
	Lang    string
	c       *Catalog
	printer *message.Printer
}

// Locale returns the view for a supported language (English otherwise).
func (c *Catalog) Locale(lang string) *Locale {
	if _, ok := c.msgs[lang]; !ok {
		lang = Supported[0]
	}
	return &Locale{Lang: lang, c: c, printer: message.NewPrinter(language.Make(lang))}
}

// T translates key, filling {name} placeholders from pairs of name, value.
// A "count" argument picks the plural form. A missing key falls back to
// English and then to the key itself, so a gap shows, never breaks.
func (l *Locale) T(key string, pairs ...any) string {
	e := l.c.msgs[l.Lang][key]
	if e == nil {
		e = l.c.msgs[Supported[0]][key]
	}
	if e == nil {
		return key
	}
	text := e.text
	if e.plural != nil {
		n := 0
		for i := 0; i+1 < len(pairs); i += 2 {
			if pairs[i] == "count" {
				n, _ = toInt(pairs[i+1])
			}
		}
		form := "other"
		if n == 1 {
			form = "one"
		}
		text = e.plural[form]
	}
	if len(pairs) == 0 || !strings.Contains(text, "{") {
		return text
	}
	args := make([]string, 0, len(pairs))
	for i := 0; i+1 < len(pairs); i += 2 {
		name := fmt.Sprint(pairs[i])
		val := pairs[i+1]
		var s string
		switch v := val.(type) {
		case int:
			s = l.Number(v)
		case int64:
			s = l.Number(int(v))
		default:
			s = fmt.Sprint(v)
		}
		args = append(args, "{"+name+"}", s)
	}
	return strings.NewReplacer(args...).Replace(text)
}

func toInt(v any) (int, bool) {
	switch n := v.(type) {
	case int:
		return n, true
	case int64:
		return int(n), true
	case string:
		i, err := strconv.Atoi(n)
		return i, err == nil
	}
	return 0, false
}

// Number writes an integer with the language's digit grouping.
func (l *Locale) Number(n int) string { return l.printer.Sprintf("%d", n) }

// Decimal writes a number with one decimal in the language's style.
func (l *Locale) Decimal(f float64) string { return l.printer.Sprintf("%.1f", f) }

var (
	weekdays = map[string][7]string{
		"en": {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"},
		"es": {"domingo", "lunes", "martes", "miércoles", "jueves", "viernes", "sábado"},
	}
	months = map[string][12]string{
		"en": {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
		"es": {"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"},
	}
)

// Weekday names a day of the week.
func (l *Locale) Weekday(d time.Weekday) string { return weekdays[l.Lang][d] }

// Clock writes a time of day: 7:00 PM in English, 19:00 in Spanish.
func (l *Locale) Clock(t time.Time) string {
	if l.Lang == "es" {
		return t.Format("15:04")
	}
	return t.Format("3:04 PM")
}

// ClockMinutes writes minutes after midnight as a time of day.
func (l *Locale) ClockMinutes(m int) string {
	return l.Clock(time.Date(2000, 1, 1, m/60, m%60, 0, 0, time.UTC))
}

// Date writes a date with its weekday: "Tuesday, March 3, 2026" or
// "martes, 3 de marzo de 2026".
func (l *Locale) Date(t time.Time) string {
	if l.Lang == "es" {
		return fmt.Sprintf("%s, %d de %s de %d", weekdays["es"][t.Weekday()], t.Day(), months["es"][t.Month()-1], t.Year())
	}
	return fmt.Sprintf("%s, %s %d, %d", weekdays["en"][t.Weekday()], months["en"][t.Month()-1], t.Day(), t.Year())
}

// DateTime writes a date and a time with the zone's abbreviation.
func (l *Locale) DateTime(t time.Time) string {
	return l.Date(t) + " · " + l.Clock(t) + " " + t.Format("MST")
}
