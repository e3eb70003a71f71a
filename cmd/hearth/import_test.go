package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func sample(t *testing.T, name string) string {
	t.Helper()
	p := filepath.Join("..", "..", "internal", "feeds", "testdata", name)
	if _, err := os.Stat(p); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestImportMeetingGuideCommand(t *testing.T) {
	data := t.TempDir()
	env := map[string]string{"HEARTH_DATA": data}

	t.Run("a feed file is imported into a new organization named after its entity", func(t *testing.T) {
		code, out, e := runCmd(t, env, "", "import", "meeting-guide", "--org", "district-9", "--timezone", "America/Chicago", sample(t, "tsml-wordpress.json"))
		if code != 0 || !strings.Contains(out, `Imported into "District 9 Intergroup" (district-9), created: 5 created, 0 updated, 0 unchanged, 0 skipped.`) {
			t.Fatalf("%d\n%s\n%s", code, out, e)
		}
		if !strings.Contains(out, "Type codes Hearth has no field for, left out: CAN (1), D (2), SP (1), ST (1).") {
			t.Errorf("codes not carried are not listed:\n%s", out)
		}
		if !strings.Contains(out, "note: row 2 (slug \"noon-nooners\"): conference_phone_notes not kept") {
			t.Errorf("what a row lost is not said:\n%s", out)
		}
	})
	t.Run("the same feed again changes nothing, flags after the file too", func(t *testing.T) {
		code, out, e := runCmd(t, env, "", "import", "meeting-guide", sample(t, "tsml-wordpress.json"), "--org", "district-9", "--timezone", "America/Chicago")
		if code != 0 || !strings.Contains(out, ": 0 created, 0 updated, 5 unchanged, 0 skipped.") {
			t.Fatalf("%d\n%s\n%s", code, out, e)
		}
	})
	t.Run("each bad row is one line with its reason, then the summary, and the exit is 0", func(t *testing.T) {
		code, out, e := runCmd(t, env, "", "import", "meeting-guide", "--org", "burlington", sample(t, "bad-rows.json"))
		if code != 0 {
			t.Fatalf("%d\n%s\n%s", code, out, e)
		}
		lines := strings.Split(strings.TrimSpace(out), "\n")
		var skipped []string
		for _, l := range lines {
			if strings.HasPrefix(l, "skipped row ") {
				skipped = append(skipped, l)
			}
		}
		for i, want := range []string{"day 9", `time "7pm"`, "no name", "Mars/Olympus_Mons", "used again", "not a JSON object", "https://", "no day"} {
			if i >= len(skipped) || !strings.Contains(skipped[i], want) {
				t.Errorf("skipped line %d should say %q:\n%s", i, want, out)
			}
		}
		if !strings.Contains(out, "2 created, 0 updated, 0 unchanged, 8 skipped.") {
			t.Errorf("summary:\n%s", out)
		}
	})
	t.Run("a feed is fetched from a URL", func(t *testing.T) {
		body, _ := os.ReadFile(sample(t, "google-sheet.json"))
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			switch r.URL.Path {
			case "/feed.json":
				w.Header().Set("Content-Type", "application/json")
				w.Write(body)
			default:
				http.NotFound(w, r)
			}
		}))
		defer srv.Close()
		code, out, e := runCmd(t, env, "", "import", "meeting-guide", "--org", "austin-aa", "--timezone", "America/Chicago", srv.URL+"/feed.json")
		if code != 0 || !strings.Contains(out, `"Austin Area Intergroup" (austin-aa), created: 4 created`) {
			t.Fatalf("%d\n%s\n%s", code, out, e)
		}
		code, _, e = runCmd(t, env, "", "import", "meeting-guide", "--org", "austin-aa", srv.URL+"/gone.json")
		if code != 1 || !strings.Contains(e, "404") {
			t.Errorf("a missing feed: %d %q", code, e)
		}
	})
	t.Run("unusable input and wrong command lines exit 2 and say why", func(t *testing.T) {
		dir := t.TempDir()
		notJSON := filepath.Join(dir, "page.html")
		os.WriteFile(notJSON, []byte("<html><body>Meetings</body></html>"), 0o600)
		object := filepath.Join(dir, "object.json")
		os.WriteFile(object, []byte(`{"meetings": []}`), 0o600)
		for _, tc := range []struct {
			args []string
			says string
		}{
			{[]string{"import", "meeting-guide", "--org", "x-org", notJSON}, "not JSON"},
			{[]string{"import", "meeting-guide", "--org", "x-org", object}, "not an array"},
			{[]string{"import", "meeting-guide", "--org", "x-org", filepath.Join(dir, "missing.json")}, "cannot read"},
			{[]string{"import", "meeting-guide", "--org", "x-org", "--topic", "knitting", sample(t, "bad-rows.json")}, "knitting"},
			{[]string{"import", "meeting-guide", sample(t, "bad-rows.json")}, "--org"},
			{[]string{"import", "meeting-guide", "--org", "x-org"}, "FILE_OR_URL"},
			{[]string{"import", "meeting-guide", "--org", "x-org", "a.json", "b.json"}, "FILE_OR_URL"},
			{[]string{"import", "csv"}, "unknown format"},
			{[]string{"import"}, "meeting-guide"},
		} {
			code, _, e := runCmd(t, env, "", tc.args...)
			if code != 2 || !strings.Contains(e, tc.says) {
				t.Errorf("%v: exit %d, %q; want 2 saying %q", tc.args[2:], code, e, tc.says)
			}
		}
		code, out, _ := runCmd(t, env, "", "import", "meeting-guide", "--org", "x-org", notJSON)
		if code != 2 || strings.Contains(out, "Imported") {
			t.Errorf("unusable input printed a summary: %q", out)
		}
	})
	t.Run("the help lists the command", func(t *testing.T) {
		_, out, _ := runCmd(t, env, "", "help")
		if !strings.Contains(out, "hearth import meeting-guide") {
			t.Errorf("%s", out)
		}
		if code, _, e := runCmd(t, env, "", "import", "meeting-guide", "--help"); code != 0 || !strings.Contains(e, "--timezone") {
			t.Errorf("%d %q", code, e)
		}
	})
}
