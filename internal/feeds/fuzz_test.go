package feeds

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// FuzzParseMeetingGuide: no input makes the parser panic, every row it
// keeps is usable (days 0–6, a clock time, a positive duration, a zone that
// loads), every row is either kept or reported, and a kept row converts to
// a group and meeting without panicking.
func FuzzParseMeetingGuide(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.json")
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data, "America/Chicago")
		f.Add(data, "")
	}
	f.Add([]byte(`[{"name":"x","slug":1,"day":[0,"6"],"time":"23:59","end_time":"00:00","timezone":"UTC","conference_url":"https://a"}]`), "")
	f.Add([]byte(`[null, 1, "a", [], {}]`), "UTC")
	f.Add([]byte(`{"a":1}`), "")
	f.Fuzz(func(t *testing.T, data []byte, zone string) {
		feed, err := ParseMeetingGuide(data, ParseOptions{TimeZone: zone})
		if err != nil {
			return
		}
		var raw []json.RawMessage
		if json.Unmarshal(data, &raw) == nil && len(feed.Rows)+len(feed.Skipped) != len(raw) {
			t.Fatalf("%d rows + %d skipped != %d in the feed", len(feed.Rows), len(feed.Skipped), len(raw))
		}
		for _, r := range feed.Rows {
			if len(r.Days) == 0 || r.Slug == "" || r.Name == "" {
				t.Fatalf("row kept without day, slug or name: %+v", r)
			}
			for _, d := range r.Days {
				if d < time.Sunday || d > time.Saturday {
					t.Fatalf("day %d", d)
				}
			}
			if r.Start < 0 || r.Start >= 1440 || r.Duration <= 0 || r.Duration > 1440 {
				t.Fatalf("start %d duration %d", r.Start, r.Duration)
			}
			loc, err := time.LoadLocation(r.TimeZone)
			if err != nil {
				t.Fatalf("zone %q kept: %v", r.TimeZone, err)
			}
			im := r.Convert(ImportOptions{Topics: []string{"alcohol"}})
			FirstStart(time.Now(), r.Days, r.Start, loc)
			_ = GroupSlug(r.Slug)
			if im.Meeting.RRule == "" {
				t.Fatal("weekly rule missing")
			}
		}
	})
}
