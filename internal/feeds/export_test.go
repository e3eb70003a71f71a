package feeds

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/feeds/feedstest"
)

var now = time.Date(2026, 3, 4, 15, 0, 0, 0, time.UTC)

func madrid(t *testing.T) *time.Location {
	loc, err := time.LoadLocation("Europe/Madrid")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func listing(t *testing.T, slug string, meetings ...*hearth.Meeting) Listing {
	loc := madrid(t)
	g := &hearth.Group{ID: int64(len(slug)), Slug: slug, Name: "Grief circle " + slug, Description: "We talk about loss.",
		Topics: []string{"grief"}, Format: hearth.InPerson, Leadership: hearth.PeerLed, Policy: hearth.Open, Visibility: hearth.Listed,
		Audience:      hearth.Audience{AgeBand: "all", Gender: "any", Languages: []string{"es", "en"}},
		Location:      hearth.Location{Address: "Calle Mayor 1", City: "Madrid", Country: "ES", Lat: 40.4168, Lon: -3.7038, HasPoint: true, TimeZone: loc.String()},
		Accessibility: []string{"wheelchair"}, Cost: hearth.Cost{Kind: hearth.Free},
		Schedule:  hearth.Schedule{Weekday: time.Tuesday, Start: 18*60 + 30, Duration: 90},
		UpdatedAt: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
	for _, m := range meetings {
		m.GroupID = g.ID
		m.Start = m.Start.In(loc)
	}
	return Listing{Org: &hearth.Organization{Slug: "duelo", Name: "Duelo Madrid", Website: "https://duelo.example.org", Contact: "hola@duelo.example.org"},
		Group: g, Meetings: meetings, GroupURL: "https://hearth.example/groups/" + slug}
}

func meeting(id int64, start time.Time, rule string, mode hearth.Format) *hearth.Meeting {
	return &hearth.Meeting{ID: id, Start: start, Duration: 90, RRule: rule,
		Attend:    hearth.Attend{Mode: mode, ConferenceURL: "https://meet.example/abc", Phone: "+34 910 000 000", AccessCode: "4321"},
		UpdatedAt: time.Date(2026, 2, 1, 10, 0, 0, 0, time.UTC)}
}

func TestMeetingGuideExport(t *testing.T) {
	loc := madrid(t)
	tue := time.Date(2026, 1, 6, 18, 30, 0, 0, loc)
	ls := []Listing{
		listing(t, "weekly-circle", meeting(1, tue, "FREQ=WEEKLY;BYDAY=TU", hearth.InPerson)),
		listing(t, "two-days", meeting(2, tue, "FREQ=WEEKLY;BYDAY=TU,TH", hearth.Hybrid), meeting(3, tue, "FREQ=WEEKLY", hearth.Hybrid)),
		listing(t, "monthly-only", meeting(4, time.Date(2026, 1, 13, 18, 30, 0, 0, loc), "FREQ=MONTHLY;BYDAY=2TU", hearth.InPerson)),
		listing(t, "every-other-week", meeting(5, tue, "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", hearth.InPerson)),
		listing(t, "one-off", meeting(6, time.Date(2026, 5, 1, 10, 0, 0, 0, loc), "", hearth.InPerson)),
		listing(t, "ended", meeting(7, tue, "FREQ=WEEKLY;BYDAY=TU;COUNT=4", hearth.InPerson)),
		listing(t, "daily", meeting(8, tue, "FREQ=DAILY", hearth.InPerson)),
		listing(t, "no-meeting-rows"),
		listing(t, strings.Repeat("a-very-long-group-name-", 3)+"x", meeting(9, tue, "FREQ=WEEKLY", hearth.InPerson), meeting(10, tue, "FREQ=WEEKLY;BYDAY=WE", hearth.InPerson)),
	}
	mon := time.Date(2026, 1, 5, 9, 0, 0, 0, loc)
	ls = append(ls, listing(t, "stable", meeting(31, mon, "FREQ=WEEKLY;BYDAY=MO", hearth.InPerson), meeting(30, tue, "FREQ=WEEKLY;BYDAY=TU", hearth.InPerson)))
	ls[1].PublishLink = true
	ls[1].Group.Format = hearth.Hybrid
	unlisted := listing(t, "unlisted-group", meeting(11, tue, "FREQ=WEEKLY", hearth.InPerson))
	unlisted.Group.Visibility = hearth.Unlisted
	ls = append(ls, unlisted)

	out := MeetingGuide(ls, now)
	data, err := json.Marshal(out)
	if err != nil {
		t.Fatal(err)
	}
	feedstest.CheckMeetingGuide(t, data)

	bySlug := map[string]MeetingGuideMeeting{}
	for _, e := range out {
		bySlug[e.Slug] = e
	}
	t.Run("only weekly meetings still going of listed groups are exported", func(t *testing.T) {
		var slugs []string
		for _, e := range out {
			slugs = append(slugs, e.Slug)
		}
		for _, gone := range []string{"monthly-only", "every-other-week", "one-off", "ended", "unlisted-group"} {
			if slices.Contains(slugs, gone) {
				t.Errorf("%s exported: %v", gone, slugs)
			}
		}
		if len(out) != 9 {
			t.Errorf("%d entries, want 9: %v", len(out), slugs)
		}
	})
	t.Run("a weekly meeting is written to the letter", func(t *testing.T) {
		e := bySlug["weekly-circle"]
		want := `{"name":"Grief circle weekly-circle","slug":"weekly-circle","day":2,"time":"18:30","end_time":"20:00","timezone":"Europe/Madrid",` +
			`"types":["EN","O","S","X"],"notes":"We talk about loss.","formatted_address":"Calle Mayor 1, Madrid, ES","address":"Calle Mayor 1",` +
			`"city":"Madrid","country":"ES","region":"Madrid","latitude":40.4168,"longitude":-3.7038,"approximate":"no",` +
			`"url":"https://hearth.example/groups/weekly-circle","updated":"2026-02-01 10:00:00","entity":"Duelo Madrid",` +
			`"entity_email":"hola@duelo.example.org","entity_url":"https://duelo.example.org","entity_website_url":"https://duelo.example.org"}`
		got, _ := json.Marshal(e)
		if string(got) != want {
			t.Errorf("got\n%s\nwant\n%s", got, want)
		}
	})
	t.Run("a meeting on several days is one entry with a day array, and a group's second meeting gets its own slug", func(t *testing.T) {
		e := bySlug["two-days"]
		if !slices.Equal(e.Day, Days{time.Tuesday, time.Thursday}) {
			t.Errorf("days %v", e.Day)
		}
		if _, ok := bySlug["two-days-3"]; !ok {
			t.Errorf("no entry two-days-3 for the second meeting")
		}
	})
	t.Run("a group's oldest meeting keeps the group's slug when an earlier one is added", func(t *testing.T) {
		if bySlug["stable"].Time != "18:30" || bySlug["stable-31"].Time != "09:00" {
			t.Errorf("stable %+v, stable-31 %+v", bySlug["stable"], bySlug["stable-31"])
		}
	})
	t.Run("a group that publishes its link exports it, dialable", func(t *testing.T) {
		e := bySlug["two-days"]
		if e.ConferenceURL != "https://meet.example/abc" || e.ConferencePhone != "+34910000000" || e.ConferencePhoneNotes != "4321" {
			t.Errorf("conference %q %q %q", e.ConferenceURL, e.ConferencePhone, e.ConferencePhoneNotes)
		}
	})
	t.Run("a protected group exports its page and no link", func(t *testing.T) {
		for _, e := range out {
			if e.Slug == "two-days" || e.Slug == "two-days-3" {
				continue
			}
			if e.ConferenceURL != "" || e.ConferencePhone != "" || e.ConferencePhoneNotes != "" || !strings.HasPrefix(e.URL, "https://hearth.example/groups/") {
				t.Errorf("%s: conference %q %q, url %q", e.Slug, e.ConferenceURL, e.ConferencePhone, e.URL)
			}
		}
		data, _ := json.Marshal(out)
		if strings.Contains(string(data), "meet.example") && strings.Count(string(data), "meet.example") != 2 {
			t.Errorf("the link appears beyond the publishing group's entries")
		}
	})
	t.Run("a daily meeting is every day of the week", func(t *testing.T) {
		if e := bySlug["daily"]; len(e.Day) != 7 {
			t.Errorf("days %v", e.Day)
		}
	})
	t.Run("a group without meeting rows exports its simple schedule", func(t *testing.T) {
		if e := bySlug["no-meeting-rows"]; e.Time != "18:30" || e.EndTime != "20:00" || !slices.Equal(e.Day, Days{time.Tuesday}) {
			t.Errorf("got %+v", e)
		}
	})
	t.Run("long slugs are cut to 64 characters, stable and unique", func(t *testing.T) {
		var long []string
		for _, e := range out {
			if strings.HasPrefix(e.Slug, "a-very-long") {
				long = append(long, e.Slug)
			}
		}
		if len(long) != 2 || long[0] == long[1] || len(long[0]) > 64 || len(long[1]) > 64 {
			t.Errorf("slugs %v", long)
		}
		again := MeetingGuide(ls, now)
		if again[len(again)-1].Slug != out[len(out)-1].Slug {
			t.Errorf("slug changed between builds")
		}
	})
}

func TestTypesFor(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(g *hearth.Group)
		want []string
	}{
		{"an open English group", func(g *hearth.Group) {}, []string{"EN", "O"}},
		{"a closed cohort", func(g *hearth.Group) { g.Policy = hearth.Closed }, []string{"C", "EN"}},
		{"women in Spanish with wheelchair access", func(g *hearth.Group) {
			g.Audience.Gender, g.Audience.Languages, g.Accessibility = "women", []string{"es"}, []string{"wheelchair", "parking"}
		}, []string{"O", "S", "W", "X"}},
		{"LGBTQ young adults signing in ASL", func(g *hearth.Group) {
			g.Audience.Communities, g.Audience.AgeBand, g.Audience.Languages = []string{"lgbtq", "veterans"}, "young_adults", []string{"asl", "en"}
		}, []string{"ASL", "EN", "LGBTQ", "O", "Y"}},
		{"a language the spec has no code for", func(g *hearth.Group) { g.Audience.Languages = []string{"vi"} }, []string{"O"}},
	} {
		t.Run(tc.name+" has the codes "+strings.Join(tc.want, " "), func(t *testing.T) {
			g := &hearth.Group{Policy: hearth.Open, Audience: hearth.Audience{AgeBand: "all", Gender: "any", Languages: []string{"en"}}}
			tc.edit(g)
			if got := TypesFor(g); !slices.Equal(got, tc.want) {
				t.Errorf("got %v", got)
			}
			for _, c := range TypesFor(g) {
				if !slices.Contains(feedstest.SpecTypes, c) {
					t.Errorf("%s is not a spec code", c)
				}
			}
		})
	}
}

// TestRowsSurviveConvertAndExport: a feed row read, turned into a group and
// a meeting and exported again keeps its meeting (the storage half of the
// round trip is tested in internal/app).
func TestRowsSurviveConvertAndExport(t *testing.T) {
	for _, name := range []string{"tsml-wordpress.json", "google-sheet.json"} {
		data, _ := os.ReadFile("testdata/" + name)
		f, err := ParseMeetingGuide(data, ParseOptions{TimeZone: "America/Chicago"})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range f.Rows {
			t.Run(name+" "+r.Slug+" comes back out as it went in", func(t *testing.T) {
				im := r.Convert(ImportOptions{Topics: []string{"alcohol"}})
				g, m := im.Group, im.Meeting
				g.Slug, g.ID, g.UpdatedAt = GroupSlug(r.Slug), 1, now
				loc, _ := time.LoadLocation(r.TimeZone)
				m.ID, m.Start = 1, FirstStart(now, r.Days, r.Start, loc)
				out := MeetingGuide([]Listing{{Group: &g, Meetings: []*hearth.Meeting{&m}, PublishLink: im.PublishLink}}, now)
				if len(out) != 1 {
					t.Fatalf("%d entries", len(out))
				}
				e := out[0]
				if e.Name != r.Name || !slices.Equal([]time.Weekday(e.Day), r.Days) || e.TimeZone != r.TimeZone {
					t.Errorf("name/day/zone: %q %v %q", e.Name, e.Day, e.TimeZone)
				}
				start, _ := hearth.ParseClock(e.Time)
				end, _ := hearth.ParseClock(e.EndTime)
				if start != r.Start || (end-start+1440)%1440 != r.Duration%1440 {
					t.Errorf("time %s–%s for start %d duration %d", e.Time, e.EndTime, r.Start, r.Duration)
				}
				if r.HasPoint && (e.Latitude == nil || *e.Latitude != round5(r.Lat) || *e.Longitude != round5(r.Lon)) {
					t.Errorf("coordinates lost")
				}
				if r.ConferenceURL != e.ConferenceURL || dialString(r.ConferencePhone) != e.ConferencePhone {
					t.Errorf("conference %q %q", e.ConferenceURL, e.ConferencePhone)
				}
				for _, c := range r.Types {
					if _, mapped := importCodes[c]; mapped && c != codeTempClosed && !slices.Contains(e.Types, c) && !(c == "G" || c == "L" || c == "BI" || c == "T") {
						t.Errorf("type %s lost: %v", c, e.Types)
					}
				}
			})
		}
	}
}
