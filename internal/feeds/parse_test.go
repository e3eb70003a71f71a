package feeds

import (
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hearth-org/hearth"
)

func readFeed(t *testing.T, name string, o ParseOptions) *Feed {
	t.Helper()
	data, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	f, err := ParseMeetingGuide(data, o)
	if err != nil {
		t.Fatalf("parse %s: %v", name, err)
	}
	return f
}

func rowBySlug(t *testing.T, f *Feed, slug string) Row {
	t.Helper()
	for _, r := range f.Rows {
		if r.Slug == slug {
			return r
		}
	}
	t.Fatalf("no row %q among %d rows; skipped: %v", slug, len(f.Rows), f.Skipped)
	return Row{}
}

func TestParseTSMLWordPressFeed(t *testing.T) {
	f := readFeed(t, "tsml-wordpress.json", ParseOptions{TimeZone: "America/Chicago"})
	if len(f.Rows) != 5 || len(f.Skipped) != 0 {
		t.Fatalf("rows %d, skipped %v; want 5 rows and none skipped", len(f.Rows), f.Skipped)
	}
	t.Run("the feed's entity is read from entity_url", func(t *testing.T) {
		want := Entity{Name: "District 9 Intergroup", Email: "info@district9aa.example.org", Phone: "+1-773-555-0134",
			Location: "Northwest Chicago, Illinois", URL: "https://district9aa.example.org", Logo: "https://district9aa.example.org/logo.svg"}
		if f.Entity != want {
			t.Errorf("entity %+v, want %+v", f.Entity, want)
		}
	})
	t.Run("a meeting without a timezone takes the feed's", func(t *testing.T) {
		r := rowBySlug(t, f, "sunrise-serenity")
		if r.TimeZone != "America/Chicago" || r.Days[0] != time.Sunday || r.Start != 7*60 || r.Duration != 60 {
			t.Errorf("got zone %q days %v start %d duration %d", r.TimeZone, r.Days, r.Start, r.Duration)
		}
		if !r.HasPoint || r.Lat != 41.94582 || r.Lon != -87.75216 || r.Approximate {
			t.Errorf("point %v %v,%v approximate %v", r.HasPoint, r.Lat, r.Lon, r.Approximate)
		}
	})
	t.Run("a day array gives every day, and coordinates may be strings", func(t *testing.T) {
		r := rowBySlug(t, f, "noon-nooners")
		if !slices.Equal(r.Days, []time.Weekday{1, 2, 3, 4, 5}) {
			t.Errorf("days %v", r.Days)
		}
		if !r.HasPoint || r.Lat != 41.95372 {
			t.Errorf("point %v %v", r.HasPoint, r.Lat)
		}
		if r.ConferenceURL == "" || r.ConferencePhone == "" || r.ConferencePhoneNotes == "" {
			t.Errorf("conference fields lost: %+v", r)
		}
	})
	t.Run("a meeting past midnight lasts into the next day", func(t *testing.T) {
		r := rowBySlug(t, f, "night-owls-online")
		if r.Duration != 75 || !r.Approximate {
			t.Errorf("duration %d approximate %v; want 75 and true", r.Duration, r.Approximate)
		}
	})
}

func TestParseGoogleSheetFeed(t *testing.T) {
	t.Run("without a feed zone, rows without their own are skipped with that reason", func(t *testing.T) {
		f := readFeed(t, "google-sheet.json", ParseOptions{})
		if len(f.Rows) != 2 || len(f.Skipped) != 2 {
			t.Fatalf("rows %d skipped %v; want 2 and 2", len(f.Rows), f.Skipped)
		}
		for _, s := range f.Skipped {
			if !strings.Contains(s.Reason, "no timezone") {
				t.Errorf("skip reason %q", s.Reason)
			}
		}
	})
	f := readFeed(t, "google-sheet.json", ParseOptions{TimeZone: "America/Chicago"})
	if len(f.Rows) != 4 || len(f.Skipped) != 0 {
		t.Fatalf("rows %d skipped %v", len(f.Rows), f.Skipped)
	}
	t.Run("entity_website_url is read as the entity's URL", func(t *testing.T) {
		if f.Entity.URL != "https://austinaa.example.org" || f.Entity.Name != "Austin Area Intergroup" {
			t.Errorf("entity %+v", f.Entity)
		}
	})
	t.Run("string days, comma-separated types and a missing end time are read", func(t *testing.T) {
		r := rowBySlug(t, f, "101")
		if !slices.Equal(r.Days, []time.Weekday{time.Tuesday}) || r.Duration != 60 || !slices.Equal(r.Types, []string{"C", "ST", "X"}) {
			t.Errorf("days %v duration %d types %v", r.Days, r.Duration, r.Types)
		}
		r = rowBySlug(t, f, "102")
		if !slices.Equal(r.Days, []time.Weekday{1, 3, 5}) {
			t.Errorf("days %v", r.Days)
		}
	})
	t.Run("a row's own zone wins over the feed's", func(t *testing.T) {
		if r := rowBySlug(t, f, "104"); r.TimeZone != "America/Denver" {
			t.Errorf("zone %q", r.TimeZone)
		}
	})
	t.Run("a one-digit hour is a time", func(t *testing.T) {
		if r := rowBySlug(t, f, "103"); r.Start != 6*60+30 || r.Duration != 60 {
			t.Errorf("start %d duration %d", r.Start, r.Duration)
		}
	})
}

func TestParseReportsEveryBadRow(t *testing.T) {
	f := readFeed(t, "bad-rows.json", ParseOptions{})
	var good []string
	for _, r := range f.Rows {
		good = append(good, r.Slug)
	}
	if !slices.Equal(good, []string{"good-before", "good-after"}) {
		t.Errorf("rows %v; want good-before and good-after", good)
	}
	want := map[int]string{
		2: "day 9 is not a number from 0",
		3: `time "7pm" is not a time of day`,
		4: "no name",
		5: `timezone "Mars/Olympus_Mons" is not a time zone`,
		6: "the slug is used again (first by row 1)",
		7: "not a JSON object",
		8: "does not start with https://",
		9: "no day",
	}
	if len(f.Skipped) != len(want) {
		t.Errorf("skipped %d rows, want %d: %v", len(f.Skipped), len(want), f.Skipped)
	}
	for _, s := range f.Skipped {
		if !strings.Contains(s.Reason, want[s.Index]) || want[s.Index] == "" {
			t.Errorf("row %d: reason %q, want it to say %q", s.Index, s.Reason, want[s.Index])
		}
		if !strings.HasPrefix(s.String(), "row ") {
			t.Errorf("skip line %q", s)
		}
	}
}

func TestParseRefusesUnusableInput(t *testing.T) {
	for _, tc := range []struct {
		name, data, code string
		opts             ParseOptions
	}{
		{"text that is not JSON", "<html>Not found</html>", "not_json", ParseOptions{}},
		{"a JSON object instead of an array", `{"meetings": []}`, "not_array", ParseOptions{}},
		{"a JSON string", `"hello"`, "not_array", ParseOptions{}},
		{"a default zone that does not exist", `[]`, "bad_zone", ParseOptions{TimeZone: "Nowhere/Land"}},
	} {
		t.Run("it refuses "+tc.name, func(t *testing.T) {
			_, err := ParseMeetingGuide([]byte(tc.data), tc.opts)
			e := hearth.AsError(err)
			if e == nil || e.Code != tc.code || e.Kind != hearth.Invalid {
				t.Errorf("err %v; want code %s", err, tc.code)
			}
		})
	}
	t.Run("an empty array is an empty feed", func(t *testing.T) {
		f, err := ParseMeetingGuide([]byte(" [ ] "), ParseOptions{})
		if err != nil || len(f.Rows) != 0 || len(f.Skipped) != 0 {
			t.Errorf("feed %+v err %v", f, err)
		}
	})
}

func TestDayForms(t *testing.T) {
	for _, tc := range []struct {
		day  string
		want []time.Weekday
		bad  bool
	}{
		{`0`, []time.Weekday{0}, false},
		{`6`, []time.Weekday{6}, false},
		{`"3"`, []time.Weekday{3}, false},
		{`[5, 1, 1]`, []time.Weekday{1, 5}, false},
		{`["0", 6]`, []time.Weekday{0, 6}, false},
		{`7`, nil, true},
		{`-1`, nil, true},
		{`[]`, nil, true},
		{`"Monday"`, nil, true},
		{`1.5`, nil, true},
		{`{"d": 1}`, nil, true},
	} {
		t.Run("day "+tc.day, func(t *testing.T) {
			data := `[{"name":"Test meeting","slug":"t","day":` + tc.day + `,"time":"19:00","timezone":"UTC","conference_phone":"+15555550100"}]`
			f, err := ParseMeetingGuide([]byte(data), ParseOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if tc.bad {
				if len(f.Rows) != 0 || len(f.Skipped) != 1 {
					t.Errorf("rows %v skipped %v; want it skipped", f.Rows, f.Skipped)
				}
				return
			}
			if len(f.Rows) != 1 || !slices.Equal(f.Rows[0].Days, tc.want) {
				t.Errorf("rows %v skipped %v; want days %v", f.Rows, f.Skipped, tc.want)
			}
		})
	}
}
