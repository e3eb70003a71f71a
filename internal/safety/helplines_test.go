package safety

import (
	"strings"
	"testing"
	"time"
)

func TestHelplineDirectory(t *testing.T) {
	dir := Directory()
	t.Run("covers the countries Hearth serves first, plus a fallback", func(t *testing.T) {
		have := map[string]bool{}
		for _, c := range dir {
			have[c.Code] = true
		}
		for _, code := range []string{"US", "CA", "MX", "ES", "GB", "IE", "AU", "NZ", "INT"} {
			if !have[code] {
				t.Errorf("no helplines for %s", code)
			}
		}
	})
	t.Run("no entry was last verified more than a year ago", func(t *testing.T) {
		for _, c := range dir {
			for _, l := range c.Lines {
				if age := time.Since(l.Verified); age > 365*24*time.Hour {
					t.Errorf("%s / %s was last verified %s (%d days ago): check it against the service and update the date",
						c.Code, l.Name, l.Verified.Format("2006-01-02"), int(age.Hours()/24))
				}
			}
		}
	})
	t.Run("every line can be reached and has an English and Spanish name for its country", func(t *testing.T) {
		for _, c := range dir {
			if c.Name["en"] == "" || c.Name["es"] == "" || c.Emergency == "" {
				t.Errorf("%s lacks a name or emergency number", c.Code)
			}
			for _, l := range c.Lines {
				if c.Code != "INT" && l.Phone == "" && l.SMS == "" {
					t.Errorf("%s / %s has neither a phone nor a text number", c.Code, l.Name)
				}
				if strings.ContainsAny(l.Phone, " -()") {
					t.Errorf("%s / %s phone %q is not dialable", c.Code, l.Name, l.Phone)
				}
			}
		}
	})
	t.Run("the viewer's country comes first and the fallback last", func(t *testing.T) {
		got := ForViewer("mx", "es")
		if got[0].Code != "MX" || got[len(got)-1].Code != "INT" {
			t.Fatalf("order %s … %s", got[0].Code, got[len(got)-1].Code)
		}
		if got[1].Code != "ES" && got[1].Code != "US" {
			t.Fatalf("second %s should share Spanish", got[1].Code)
		}
	})
}
