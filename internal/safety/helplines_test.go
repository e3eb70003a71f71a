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

func TestHelplineLookups(t *testing.T) {
	t.Run("a time zone names its country, when only one country uses it", func(t *testing.T) {
		for zone, want := range map[string]string{"Europe/Madrid": "ES", "Atlantic/Canary": "ES", "America/Mexico_City": "MX",
			"America/Toronto": "CA", "America/Chicago": "US", "Europe/London": "GB", "Europe/Dublin": "IE", "Australia/Sydney": "AU",
			"Pacific/Auckland": "NZ", "Europe/Paris": "", "": ""} {
			if got := CountryForZone(zone); got != want {
				t.Errorf("%q: %q, want %q", zone, got, want)
			}
		}
	})
	t.Run("every zone of the table is a real zone of a directory country", func(t *testing.T) {
		for zone, code := range zoneCountry {
			if _, err := time.LoadLocation(zone); err != nil {
				t.Errorf("%s: %v", zone, err)
			}
			if _, ok := Find(code); !ok {
				t.Errorf("%s names %s, not in the directory", zone, code)
			}
		}
	})
	t.Run("Find takes any case and refuses what is not there", func(t *testing.T) {
		if c, ok := Find(" es "); !ok || c.Lines[0].Phone != "024" {
			t.Fatalf("%+v %v", c, ok)
		}
		if _, ok := Find("ZZ"); ok {
			t.Fatal("found ZZ")
		}
	})
	t.Run("the fallback can be reached on the web", func(t *testing.T) {
		c, _ := Find("INT")
		if len(c.Lines) == 0 || !strings.HasPrefix(c.Lines[0].URL, "https://") {
			t.Fatalf("%+v", c)
		}
	})
}
