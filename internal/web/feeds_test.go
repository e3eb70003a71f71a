package web

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/app"
	"github.com/hearth-org/hearth/internal/feeds"
	"github.com/hearth-org/hearth/internal/feeds/feedstest"
	"github.com/hearth-org/hearth/internal/sqldb/sqldbtest"
)

// feedAnswer is a feed response read whole.
type feedAnswer struct {
	Status int
	Header http.Header
	Body   []byte
}

func (ts *testServer) feed(t *testing.T, method, path string, header map[string]string) feedAnswer {
	t.Helper()
	req, err := http.NewRequest(method, ts.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := ts.Client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	if method == http.MethodGet || method == http.MethodOptions {
		checkResponse(t, ts.Server.Routes(), method, path, res.StatusCode, b)
	}
	return feedAnswer{res.StatusCode, res.Header, b}
}

func importSample(t *testing.T, ts *testServer, org, file string) *app.ImportReport {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "feeds", "testdata", file))
	if err != nil {
		t.Fatal(err)
	}
	rep, err := ts.App.ImportMeetingGuide(context.Background(), hearth.Actor{SiteAdmin: true},
		app.MeetingGuideImport{Org: org, TimeZone: "America/Chicago", Topics: []string{"alcohol"}, Data: data})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func wantCORS(t *testing.T, a feedAnswer) {
	t.Helper()
	if a.Header.Get("Access-Control-Allow-Origin") != "*" {
		t.Errorf("Access-Control-Allow-Origin %q", a.Header.Get("Access-Control-Allow-Origin"))
	}
	if a.Header.Get("Access-Control-Allow-Credentials") != "" {
		t.Errorf("credentials allowed")
	}
}

func TestMeetingGuideFeedOverHTTP(t *testing.T) {
	forEachEngine(t, func(t *testing.T, ts *testServer) {
		importSample(t, ts, "district-9", "tsml-wordpress.json")
		origin := map[string]string{"Origin": "https://intergroup.example.org"}
		first := ts.feed(t, "GET", "/feeds/meeting-guide.json", origin)

		t.Run("the feed follows the spec and answers any site", func(t *testing.T) {
			if first.Status != 200 || !strings.HasPrefix(first.Header.Get("Content-Type"), "application/json") {
				t.Fatalf("status %d, %q: %s", first.Status, first.Header.Get("Content-Type"), first.Body)
			}
			feedstest.CheckMeetingGuide(t, first.Body)
			wantCORS(t, first)
			if cc := first.Header.Get("Cache-Control"); !strings.Contains(cc, "public") || !strings.Contains(cc, "max-age=") {
				t.Errorf("Cache-Control %q", cc)
			}
			if first.Header.Get("ETag") == "" || first.Header.Get("Set-Cookie") != "" {
				t.Errorf("ETag %q, Set-Cookie %q", first.Header.Get("ETag"), first.Header.Get("Set-Cookie"))
			}
		})
		var entries []feeds.MeetingGuideMeeting
		if err := json.Unmarshal(first.Body, &entries); err != nil || len(entries) != 5 {
			t.Fatalf("%d entries: %v", len(entries), err)
		}
		t.Run("each entry links to its group's page on this server", func(t *testing.T) {
			for _, e := range entries {
				if e.URL != ts.URL+"/groups/"+e.Slug {
					t.Errorf("%s: url %q", e.Slug, e.URL)
				}
			}
		})
		t.Run("a reader with the current copy gets a 304, still cross-origin", func(t *testing.T) {
			a := ts.feed(t, "GET", "/feeds/meeting-guide.json", map[string]string{"Origin": "https://x.example", "If-None-Match": first.Header.Get("ETag")})
			if a.Status != http.StatusNotModified || len(a.Body) != 0 {
				t.Errorf("status %d, %d bytes", a.Status, len(a.Body))
			}
			wantCORS(t, a)
			a = ts.feed(t, "GET", "/feeds/meeting-guide.json", map[string]string{"If-None-Match": `"something-else"`})
			if a.Status != 200 || string(a.Body) != string(first.Body) {
				t.Errorf("a stale tag got %d", a.Status)
			}
		})
		t.Run("HEAD answers the headers without the body", func(t *testing.T) {
			a := ts.feed(t, "HEAD", "/feeds/meeting-guide.json", nil)
			if a.Status != 200 || len(a.Body) != 0 || a.Header.Get("ETag") != first.Header.Get("ETag") {
				t.Errorf("status %d, %d bytes, ETag %q", a.Status, len(a.Body), a.Header.Get("ETag"))
			}
		})
		t.Run("a preflight allows GET with If-None-Match from any origin, without credentials", func(t *testing.T) {
			a := ts.feed(t, "OPTIONS", "/feeds/meeting-guide.json", map[string]string{"Origin": "https://x.example",
				"Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "if-none-match"})
			if a.Status != http.StatusNoContent || !strings.Contains(a.Header.Get("Access-Control-Allow-Methods"), "GET") ||
				!strings.Contains(a.Header.Get("Access-Control-Allow-Headers"), "If-None-Match") {
				t.Errorf("status %d, headers %v", a.Status, a.Header)
			}
			wantCORS(t, a)
		})
		t.Run("a protected group's link leaves the feed at once, and its tag changes", func(t *testing.T) {
			time.Sleep(1100 * time.Millisecond) // change times are whole seconds
			if !strings.Contains(string(first.Body), "zoom.us") {
				t.Fatalf("the imported, published link is not in the feed")
			}
			admin := ts.SiteAdmin(t, "feed-admin")
			if err := ts.App.SetMeetingPolicy(context.Background(), hearth.Actor{UserID: admin.ID, Handle: admin.Handle, SiteAdmin: true}, "noon-nooners", hearth.MeetingPolicy{PublishLink: false, LinkLeadMinutes: 30}); err != nil {
				t.Fatal(err)
			}
			a := ts.feed(t, "GET", "/feeds/meeting-guide.json", map[string]string{"If-None-Match": first.Header.Get("ETag")})
			if a.Status != 200 || a.Header.Get("ETag") == first.Header.Get("ETag") {
				t.Fatalf("status %d, same tag", a.Status)
			}
			if strings.Contains(string(a.Body), "zoom.us") || strings.Contains(string(a.Body), "81234567890") {
				t.Errorf("the protected link is still in the feed")
			}
			feedstest.CheckMeetingGuide(t, a.Body)
		})
	})
}

func TestHearthFeedOverHTTP(t *testing.T) {
	for _, e := range sqldbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			// A fixed clock: the feed's next occurrences move with time, so
			// two requests on either side of an occurrence would rightly
			// differ (it happened once, in CI just after midnight UTC).
			ts := newClockedServer(t, e, &testClock{t: time.Date(2026, 3, 4, 15, 0, 0, 0, time.UTC)})
			importSample(t, ts, "district-9", "tsml-wordpress.json")
			a := ts.feed(t, "GET", "/feeds/hearth.json", map[string]string{"Origin": "https://x.example"})
			if a.Status != 200 {
				t.Fatalf("status %d: %s", a.Status, a.Body)
			}
			wantCORS(t, a)
			var f feeds.HearthFeed
			if err := json.Unmarshal(a.Body, &f); err != nil {
				t.Fatal(err)
			}
			t.Run("every listed group is there with topics, policy, leadership and its meeting's rule and next occurrences", func(t *testing.T) {
				if len(f.Groups) != 5 {
					t.Fatalf("%d groups", len(f.Groups))
				}
				for _, g := range f.Groups {
					if len(g.Topics) == 0 || g.Policy == "" || g.Leadership != "peer_led" || len(g.Meetings) != 1 {
						t.Errorf("%s: %+v", g.Slug, g)
						continue
					}
					m := g.Meetings[0]
					if !strings.HasPrefix(m.RRule, "FREQ=WEEKLY") || m.TimeZone != "America/Chicago" || len(m.Next) == 0 {
						t.Errorf("%s meeting %+v", g.Slug, m)
					}
				}
			})
			t.Run("a preflight is answered", func(t *testing.T) {
				p := ts.feed(t, "OPTIONS", "/feeds/hearth.json", map[string]string{"Origin": "https://x.example", "Access-Control-Request-Method": "GET"})
				if p.Status != http.StatusNoContent {
					t.Errorf("status %d", p.Status)
				}
				wantCORS(t, p)
			})
			t.Run("the same data gives the same bytes and tag", func(t *testing.T) {
				b := ts.feed(t, "GET", "/feeds/hearth.json", nil)
				if b.Header.Get("ETag") != a.Header.Get("ETag") || string(b.Body) != string(a.Body) {
					t.Errorf("the feed changed without a change")
				}
			})
		})
	}
}

func TestFeedBaseURLKeepsOnlyAHostName(t *testing.T) {
	ts := newTestServer(t, "sqlite")
	s := ts.Server
	for _, tc := range []struct{ host, want string }{
		{"hearth.example:8080", "http://hearth.example:8080"},
		{"[::1]:80", "http://[::1]:80"},
		{"evil.example/<script>", "http://localhost"},
		{"", "http://localhost"},
	} {
		t.Run(tc.host+" gives "+tc.want, func(t *testing.T) {
			r, _ := http.NewRequest("GET", "http://x/feeds/hearth.json", nil)
			r.Host = tc.host
			if got := s.feedBase(r); got != tc.want {
				t.Errorf("got %q", got)
			}
		})
	}
}
