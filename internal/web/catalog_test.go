package web

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/i18n"
)

// TestEveryStringIsTranslated checks that each message key a template or
// handler uses exists in English and Spanish, that both languages have the
// same keys, and that the enumerations the pages print all have names.
func TestEveryStringIsTranslated(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	en, es := cat.Keys("en"), cat.Keys("es")
	t.Run("English and Spanish have the same keys", func(t *testing.T) {
		for _, k := range en {
			if !slices.Contains(es, k) {
				t.Errorf("%s has no Spanish", k)
			}
		}
		for _, k := range es {
			if !slices.Contains(en, k) && !strings.HasPrefix(k, "field.") {
				t.Errorf("%s has no English", k)
			}
		}
	})
	t.Run("placeholders match between the languages", func(t *testing.T) {
		ph := regexp.MustCompile(`\{[A-Za-z]+\}`)
		for _, k := range en {
			a, b := cat.Raw("en", k), cat.Raw("es", k)
			if len(b) == 0 {
				continue
			}
			for i := range a {
				x, y := ph.FindAllString(a[i], -1), ph.FindAllString(b[i], -1)
				slices.Sort(x)
				slices.Sort(y)
				if !slices.Equal(x, y) {
					t.Errorf("%s: %v vs %v", k, x, y)
				}
			}
		}
	})
	t.Run("every key the templates and handlers use exists", func(t *testing.T) {
		used := regexp.MustCompile(`\bT "([a-z_]+\.[a-z_.]+)"|\.T\("([a-z_]+\.[a-z_.]+)"|redirect\([^)]*"(flash\.[a-z_.]+)"`)
		var keys []string
		fs.WalkDir(assets, "templates", func(p string, d fs.DirEntry, err error) error {
			if d.IsDir() {
				return nil
			}
			b, _ := fs.ReadFile(assets, p)
			for _, m := range used.FindAllStringSubmatch(string(b), -1) {
				keys = append(keys, m[1]+m[2]+m[3])
			}
			return nil
		})
		goFiles, _ := filepath.Glob("*.go")
		for _, f := range goFiles {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			b, _ := os.ReadFile(f)
			for _, m := range used.FindAllStringSubmatch(string(b), -1) {
				keys = append(keys, m[1]+m[2]+m[3])
			}
		}
		if len(keys) < 100 {
			t.Fatalf("found only %d keys: the scan is broken", len(keys))
		}
		for _, k := range keys {
			if strings.HasSuffix(k, ".") { // a prefix completed at run time, checked below
				continue
			}
			if !slices.Contains(en, k) {
				t.Errorf("template uses %s, which is not in the catalog", k)
			}
		}
	})
	t.Run("every value the pages name has a name in both languages", func(t *testing.T) {
		var want []string
		for _, f := range hearth.Formats {
			want = append(want, "format."+string(f), "where."+string(f), "attend."+string(f))
		}
		for _, l := range hearth.Leaderships {
			want = append(want, "leadership."+string(l))
		}
		for _, c := range hearth.CostKinds {
			want = append(want, "cost."+string(c))
		}
		for _, v := range hearth.Visibilities {
			want = append(want, "visibility."+string(v))
		}
		for _, s := range hearth.Sorts {
			want = append(want, "sort."+string(s))
		}
		for _, list := range []struct {
			prefix string
			values []string
		}{{"access.", hearth.AccessibilityFeatures}, {"language.", hearth.Languages}, {"age.", hearth.AgeBands},
			{"gender.", hearth.Genders}, {"community.", hearth.Communities}, {"day.", hearth.DayCodes}, {"weekday.plural.", hearth.DayCodes}} {
			for _, v := range list.values {
				want = append(want, list.prefix+v)
			}
		}
		for _, s := range []string{"active", "applicant", "waitlisted", "alumni", "removed", "banned"} {
			want = append(want, "membership.status."+s)
		}
		for _, k := range want {
			if !slices.Contains(en, k) || !slices.Contains(es, k) {
				t.Errorf("%s is missing", k)
			}
		}
	})
}
