package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestSafetyCheck(t *testing.T) {
	t.Run("each line of input gets one JSON line with exactly the four fields, in order", func(t *testing.T) {
		in := "tengo las pastillas listas, hoy es el día\n\nhe hits me\r\nthis commute is killing me\ni wanna die"
		code, out, errOut := runCmd(t, nil, in, "safety", "check")
		if code != 0 || errOut != "" {
			t.Fatalf("exit %d, stderr %q", code, errOut)
		}
		lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
		want := []struct {
			tier   int
			crisis bool
			cats   []string
			lang   string
		}{
			{3, true, []string{"suicidal", "imminent"}, "es"},
			{0, false, []string{}, "en"},
			{1, true, []string{"danger_from_others"}, "en"},
			{0, false, []string{}, "en"},
			{2, true, []string{"suicidal"}, "en"},
		}
		if len(lines) != len(want) {
			t.Fatalf("%d lines for %d texts: %q", len(lines), len(want), out)
		}
		for i, l := range lines {
			var m map[string]json.RawMessage
			if err := json.Unmarshal([]byte(l), &m); err != nil {
				t.Fatalf("line %d is not JSON: %q", i+1, l)
			}
			if len(m) != 4 || !strings.HasPrefix(l, `{"tier":`) {
				t.Errorf("line %d has other fields than tier, crisis, categories, language: %s", i+1, l)
			}
			var got checkLine
			if err := json.Unmarshal([]byte(l), &got); err != nil {
				t.Fatal(err)
			}
			w := want[i]
			if got.Tier != w.tier || got.Crisis != w.crisis || got.Language != w.lang || strings.Join(got.Categories, ",") != strings.Join(w.cats, ",") || got.Categories == nil {
				t.Errorf("line %d: got %s, want tier %d crisis %v %v %s", i+1, l, w.tier, w.crisis, w.cats, w.lang)
			}
		}
	})
	t.Run("empty input prints nothing and exits 0", func(t *testing.T) {
		if code, out, _ := runCmd(t, nil, "", "safety", "check"); code != 0 || out != "" {
			t.Fatalf("%d %q", code, out)
		}
	})
	t.Run("a very long line is read whole", func(t *testing.T) {
		long := strings.Repeat("the weather is fine and ", 20000) + "i want to die"
		code, out, _ := runCmd(t, nil, long+"\n", "safety", "check")
		if code != 0 || !strings.Contains(out, `"tier":2`) {
			t.Fatalf("%d %q", code, out)
		}
	})
	t.Run("help exits 0 and says what the fields mean", func(t *testing.T) {
		for _, args := range [][]string{{"safety", "--help"}, {"safety", "check", "--help"}, {"safety", "help"}} {
			code, out, _ := runCmd(t, nil, "", args...)
			if code != 0 || !strings.Contains(out, "danger_from_others") || !strings.Contains(out, "blank line") {
				t.Errorf("%v: %d %q", args, code, out)
			}
		}
		if _, out, _ := runCmd(t, nil, "", "help"); !strings.Contains(out, "hearth safety check") {
			t.Errorf("hearth help does not list safety check: %q", out)
		}
	})
	t.Run("a wrong command line exits 2 with a message", func(t *testing.T) {
		for _, args := range [][]string{{"safety"}, {"safety", "scan"}, {"safety", "check", "file.txt"}} {
			code, _, e := runCmd(t, nil, "", args...)
			if code != 2 || e == "" {
				t.Errorf("%v: %d %q", args, code, e)
			}
		}
	})
}
