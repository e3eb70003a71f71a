// Package safety keeps people safe: the bundled, dated directory of crisis
// helplines (and, with the safety work, crisis detection). It is pure and
// offline: no request ever leaves the machine to find help.
package safety

import (
	"slices"
	"strings"
	"time"
)

// Line is one crisis service.
type Line struct {
	Name         string
	Phone        string            // dialable, for tel: links
	PhoneDisplay string            // as people write it
	SMS          string            // number to text, if any
	SMSDisplay   string            // the number as people write it
	SMSKeyword   string            // a word to send, if the service asks for one
	URL          string            // the service's own page, for services reached on the web
	Hours        map[string]string // "24/7" by language
	Languages    []string
	Verified     time.Time // when this entry was last checked against the service's own page
}

// Country is the help available in one country.
type Country struct {
	Code      string // ISO 3166-1 alpha-2; "INT" for the fallback
	Name      map[string]string
	Emergency string
	Lines     []Line
}

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

var always = map[string]string{"en": "24/7", "es": "24 horas, todos los días"}

// Directory is the bundled helpline list; this one function is the file to
// update. A test fails when any entry was last verified over a year ago.
func Directory() []Country {
	v := day("2026-11-20")
	return []Country{
		{Code: "US", Name: map[string]string{"en": "United States", "es": "Estados Unidos"}, Emergency: "911", Lines: []Line{
			{Name: "988 Suicide & Crisis Lifeline", Phone: "988", PhoneDisplay: "988", SMS: "988", SMSDisplay: "988", Hours: always, Languages: []string{"en", "es"}, Verified: v},
			{Name: "Crisis Text Line", SMS: "741741", SMSDisplay: "741741", SMSKeyword: "HOME", Hours: always, Languages: []string{"en", "es"}, Verified: v},
		}},
		{Code: "CA", Name: map[string]string{"en": "Canada", "es": "Canadá"}, Emergency: "911", Lines: []Line{
			{Name: "9-8-8 Suicide Crisis Helpline", Phone: "988", PhoneDisplay: "9-8-8", SMS: "988", SMSDisplay: "988", Hours: always, Languages: []string{"en", "fr"}, Verified: v},
		}},
		{Code: "MX", Name: map[string]string{"en": "Mexico", "es": "México"}, Emergency: "911", Lines: []Line{
			{Name: "Línea de la Vida", Phone: "+528009112000", PhoneDisplay: "800 911 2000", Hours: always, Languages: []string{"es"}, Verified: v},
		}},
		{Code: "ES", Name: map[string]string{"en": "Spain", "es": "España"}, Emergency: "112", Lines: []Line{
			{Name: "024 — Línea de atención a la conducta suicida", Phone: "024", PhoneDisplay: "024", Hours: always, Languages: []string{"es"}, Verified: v},
			{Name: "Teléfono de la Esperanza", Phone: "+34717003717", PhoneDisplay: "717 003 717", Hours: always, Languages: []string{"es"}, Verified: v},
		}},
		{Code: "GB", Name: map[string]string{"en": "United Kingdom", "es": "Reino Unido"}, Emergency: "999", Lines: []Line{
			{Name: "Samaritans", Phone: "116123", PhoneDisplay: "116 123", Hours: always, Languages: []string{"en"}, Verified: v},
			{Name: "Shout", SMS: "85258", SMSDisplay: "85258", SMSKeyword: "SHOUT", Hours: always, Languages: []string{"en"}, Verified: v},
		}},
		{Code: "IE", Name: map[string]string{"en": "Ireland", "es": "Irlanda"}, Emergency: "112", Lines: []Line{
			{Name: "Samaritans Ireland", Phone: "116123", PhoneDisplay: "116 123", Hours: always, Languages: []string{"en"}, Verified: v},
			{Name: "Text About It", SMS: "50808", SMSDisplay: "50808", SMSKeyword: "HELLO", Hours: always, Languages: []string{"en"}, Verified: v},
		}},
		{Code: "AU", Name: map[string]string{"en": "Australia", "es": "Australia"}, Emergency: "000", Lines: []Line{
			{Name: "Lifeline", Phone: "131114", PhoneDisplay: "13 11 14", SMS: "0477131114", SMSDisplay: "0477 13 11 14", Hours: always, Languages: []string{"en"}, Verified: v},
		}},
		{Code: "NZ", Name: map[string]string{"en": "New Zealand", "es": "Nueva Zelanda"}, Emergency: "111", Lines: []Line{
			{Name: "1737 Need to talk?", Phone: "1737", PhoneDisplay: "1737", SMS: "1737", SMSDisplay: "1737", Hours: always, Languages: []string{"en"}, Verified: v},
			{Name: "Lifeline Aotearoa", Phone: "0800543354", PhoneDisplay: "0800 543 354", Hours: always, Languages: []string{"en"}, Verified: v},
		}},
		{Code: "INT", Name: map[string]string{"en": "Anywhere else", "es": "En cualquier otro lugar"}, Emergency: "112", Lines: []Line{
			{Name: "Find A Helpline", URL: "https://findahelpline.com", Hours: map[string]string{"en": "a free directory of helplines in over 130 countries", "es": "un directorio gratuito de líneas de ayuda en más de 130 países"}, Languages: []string{"en", "es"}, Verified: v},
		}},
	}
}

// Updated is the date the directory was last checked as a whole.
func Updated() time.Time { return day("2026-11-20") }

// ForViewer orders the directory with the viewer's country first (then the
// countries that share their language), the international fallback last.
func ForViewer(country, lang string) []Country {
	all := Directory()
	country = strings.ToUpper(country)
	rank := func(c Country) int {
		switch {
		case c.Code == country:
			return 0
		case c.Code == "INT":
			return 3
		case slices.ContainsFunc(c.Lines, func(l Line) bool { return slices.Contains(l.Languages, lang) }):
			return 1
		}
		return 2
	}
	slices.SortStableFunc(all, func(a, b Country) int { return rank(a) - rank(b) })
	return all
}

// Find returns the help of one country (its ISO code, any case) and
// whether the directory has it.
func Find(code string) (Country, bool) {
	code = strings.ToUpper(strings.TrimSpace(code))
	for _, c := range Directory() {
		if c.Code == code {
			return c, true
		}
	}
	return Country{}, false
}

// zoneCountry maps the IANA zones of the directory's countries to them, so
// a person whose only clue is their time zone still sees their country's
// lines first. Zones shared by several countries are left out.
var zoneCountry = map[string]string{
	"America/New_York": "US", "America/Chicago": "US", "America/Denver": "US", "America/Los_Angeles": "US", "America/Phoenix": "US",
	"America/Anchorage": "US", "America/Adak": "US", "Pacific/Honolulu": "US", "America/Detroit": "US", "America/Boise": "US",
	"America/Indiana/Indianapolis": "US", "America/Kentucky/Louisville": "US", "America/Juneau": "US", "America/Puerto_Rico": "US",
	"America/Toronto": "CA", "America/Vancouver": "CA", "America/Edmonton": "CA", "America/Winnipeg": "CA", "America/Halifax": "CA",
	"America/St_Johns": "CA", "America/Regina": "CA", "America/Moncton": "CA", "America/Whitehorse": "CA", "America/Iqaluit": "CA",
	"America/Mexico_City": "MX", "America/Cancun": "MX", "America/Merida": "MX", "America/Monterrey": "MX", "America/Matamoros": "MX",
	"America/Chihuahua": "MX", "America/Ciudad_Juarez": "MX", "America/Ojinaga": "MX", "America/Hermosillo": "MX", "America/Mazatlan": "MX",
	"America/Bahia_Banderas": "MX", "America/Tijuana": "MX",
	"Europe/Madrid": "ES", "Atlantic/Canary": "ES", "Africa/Ceuta": "ES",
	"Europe/London": "GB", "Europe/Belfast": "GB", "Europe/Dublin": "IE",
	"Australia/Sydney": "AU", "Australia/Melbourne": "AU", "Australia/Brisbane": "AU", "Australia/Perth": "AU", "Australia/Adelaide": "AU",
	"Australia/Hobart": "AU", "Australia/Darwin": "AU", "Australia/Canberra": "AU", "Australia/Lord_Howe": "AU", "Australia/Broken_Hill": "AU",
	"Pacific/Auckland": "NZ", "Pacific/Chatham": "NZ",
}

// CountryForZone returns the directory country of an IANA time zone ("" when
// the zone is not one of theirs).
func CountryForZone(zone string) string { return zoneCountry[zone] }
