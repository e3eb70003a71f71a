package i18n

import (
	"testing"
	"time"
)

func TestCatalog(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	t.Run("the language comes from a choice first, then Accept-Language, then English", func(t *testing.T) {
		cases := []struct{ choice, header, want string }{
			{"es", "en-US", "es"},
			{"", "es-MX,es;q=0.9,en;q=0.5", "es"},
			{"", "fr-FR,es;q=0.5", "es"},
			{"", "de-DE", "en"},
			{"klingon", "", "en"},
			{"", "this is not a header;;;,,q=", "en"},
		}
		for _, tc := range cases {
			if got := c.Match(tc.choice, tc.header); got != tc.want {
				t.Errorf("Match(%q, %q) = %q, want %q", tc.choice, tc.header, got, tc.want)
			}
		}
	})
	t.Run("plural forms follow the count and numbers are grouped per language", func(t *testing.T) {
		en, es := c.Locale("en"), c.Locale("es")
		if got := en.T("results.count", "count", 1); got != "1 group found" {
			t.Errorf("en one: %q", got)
		}
		if got := en.T("results.count", "count", 1234); got != "1,234 groups found" {
			t.Errorf("en other: %q", got)
		}
		if got := es.T("results.count", "count", 1234); got != "1.234 grupos encontrados" {
			t.Errorf("es other: %q", got)
		}
	})
	t.Run("a missing key shows itself instead of breaking the page", func(t *testing.T) {
		if got := c.Locale("es").T("no.such.key"); got != "no.such.key" {
			t.Errorf("%q", got)
		}
	})
	t.Run("dates and times are written the way each language writes them", func(t *testing.T) {
		d := time.Date(2026, 3, 3, 19, 0, 0, 0, time.UTC)
		if got := c.Locale("en").Date(d) + " " + c.Locale("en").Clock(d); got != "Tuesday, March 3, 2026 7:00 PM" {
			t.Errorf("en %q", got)
		}
		if got := c.Locale("es").Date(d) + " " + c.Locale("es").Clock(d); got != "martes, 3 de marzo de 2026 19:00" {
			t.Errorf("es %q", got)
		}
	})
}
