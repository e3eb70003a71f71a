package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hearth-org/hearth"
)

// ---------------------------------------------------------------------------
// A small API client for tests. Every answer from /api/v1 is also checked
// against openapi.json.

type apiResult struct {
	Status int
	Header http.Header
	Body   []byte
	JSON   map[string]any
	what   string
}

// send makes a request with a raw body and content type.
func (ts *testServer) send(t testing.TB, method, path, token, contentType string, body io.Reader) *apiResult {
	t.Helper()
	req, err := http.NewRequest(method, ts.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return ts.do(t, req)
}

// do makes a request and checks the answer against openapi.json.
func (ts *testServer) do(t testing.TB, req *http.Request) *apiResult {
	t.Helper()
	method, path := req.Method, req.URL.RequestURI()
	res, err := ts.Client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("%s %s: read: %v", method, path, err)
	}
	r := &apiResult{Status: res.StatusCode, Header: res.Header, Body: b, what: method + " " + path}
	if len(bytes.TrimSpace(b)) > 0 {
		if err := json.Unmarshal(b, &r.JSON); err != nil {
			t.Fatalf("%s %s: %d, not a JSON object: %v: %s", method, path, res.StatusCode, err, b)
		}
	}
	checkResponse(t, ts.Server.Routes(), method, req.URL.Path, res.StatusCode, b)
	return r
}

// call makes a request with a JSON body: nil for none, a string or []byte
// as is, anything else marshalled. A body the server accepts is checked
// against the documented request body.
func (ts *testServer) call(t testing.TB, method, path, token string, body any) *apiResult {
	t.Helper()
	var raw []byte
	switch b := body.(type) {
	case nil:
		return ts.send(t, method, path, token, "", nil)
	case string:
		raw = []byte(b)
	case []byte:
		raw = b
	default:
		var err error
		if raw, err = json.Marshal(b); err != nil {
			t.Fatal(err)
		}
	}
	res := ts.send(t, method, path, token, "application/json", bytes.NewReader(raw))
	if res.Status < 300 {
		p, _, _ := strings.Cut(path, "?")
		checkRequest(t, ts.Server.Routes(), method, p, raw)
	}
	return res
}

func (r *apiResult) wantStatus(t testing.TB, want int) {
	t.Helper()
	if r.Status != want {
		t.Fatalf("%s: status %d, want %d: %s", r.what, r.Status, want, r.Body)
	}
}

// wantError checks an error answer: its status, a code, a message, and the
// fields named (none when fields is empty).
func (r *apiResult) wantError(t testing.TB, status int, fields ...string) {
	t.Helper()
	r.wantStatus(t, status)
	e := jsonObj(r.JSON["error"])
	if e["code"] == "" || e["code"] == nil || e["message"] == "" || e["message"] == nil {
		t.Errorf("%s: error without code or message: %s", r.what, r.Body)
	}
	for _, f := range fields {
		if !slices.Contains(r.fields(), f) {
			t.Errorf("%s: error fields %q do not name %q: %s", r.what, r.fields(), f, r.Body)
		}
	}
}

func (r *apiResult) code() string { s, _ := jsonObj(r.JSON["error"])["code"].(string); return s }

func (r *apiResult) message() string {
	s, _ := jsonObj(r.JSON["error"])["message"].(string)
	return s
}

func (r *apiResult) fields() []string {
	var out []string
	for _, f := range jsonList(jsonObj(r.JSON["error"])["fields"]) {
		out = append(out, jsonObj(f)["field"].(string))
	}
	return out
}

func (r *apiResult) list(key string) []any { return jsonList(r.JSON[key]) }

// slugs lists the slugs of the groups in a search or list answer.
func (r *apiResult) slugs() []string {
	var out []string
	for _, g := range r.list("groups") {
		out = append(out, jsonObj(g)["slug"].(string))
	}
	return out
}

func (r *apiResult) group(slug string) map[string]any {
	for _, g := range r.list("groups") {
		if jsonObj(g)["slug"] == slug {
			return jsonObj(g)
		}
	}
	return nil
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// ---------------------------------------------------------------------------
// Seed data, made through the app

var (
	austinVenue = hearth.Location{Address: "1100 Congress Ave", City: "Austin", Region: "Texas", PostalCode: "78701", Country: "US",
		Lat: 30.2747, Lon: -97.7404, HasPoint: true, TimeZone: "America/Chicago"}
	dallasVenue = hearth.Location{Address: "1500 Marilla St", City: "Dallas", Region: "Texas", Country: "US",
		Lat: 32.7767, Lon: -96.7970, HasPoint: true, TimeZone: "America/Chicago"}
)

func newTestGroup(slug, name string, change func(g *hearth.Group)) *hearth.Group {
	g := &hearth.Group{Slug: slug, Name: name, Description: "A place to talk with people who understand.",
		WhatToExpect: "We sit in a circle; nobody has to speak.", Topics: []string{"loss-of-partner"},
		Format: hearth.InPerson, Leadership: hearth.PeerLed, Policy: hearth.Open,
		Audience: hearth.Audience{Languages: []string{"en"}}, Location: austinVenue,
		Guidelines: "Be kind. What is said here stays here.",
		Schedule:   hearth.Schedule{Weekday: time.Tuesday, Start: 19 * 60, Duration: 90}}
	if change != nil {
		change(g)
	}
	return g
}

type seeded struct {
	admin      *hearth.User
	adminToken string
	org        string
}

// seedDirectory makes an organization with five groups: four listed (in
// Austin, online, in Dallas, a closed cohort in Austin) and one private.
func seedDirectory(t *testing.T, ts *testServer) *seeded {
	t.Helper()
	ctx := context.Background()
	admin := ts.SiteAdmin(t, "site-admin")
	actor := hearth.Actor{UserID: admin.ID, Handle: admin.Handle, SiteAdmin: true}
	org := &hearth.Organization{Slug: "texas-peers", Name: "Texas Peers", Description: "Peer support across Texas.", Contact: "hello@texaspeers.example"}
	if err := ts.App.CreateOrganization(ctx, actor, org); err != nil {
		t.Fatal(err)
	}
	now := ts.App.Now()
	groups := []*hearth.Group{
		newTestGroup("grief-circle-austin", "Grief Circle Austin", nil),
		newTestGroup("anxiety-online", "Anxiety Online Circle", func(g *hearth.Group) {
			g.Format, g.Leadership, g.Topics = hearth.Online, hearth.ProfessionalLed, []string{"anxiety"}
			g.Audience.Languages = []string{"en", "es"}
			g.Location = hearth.Location{City: "Denver", Region: "Colorado", Country: "US", TimeZone: "America/Denver"}
			g.Schedule = hearth.Schedule{Weekday: time.Thursday, Start: 18 * 60, Duration: 60}
		}),
		newTestGroup("dallas-caregivers", "Cuidadores de Dallas", func(g *hearth.Group) {
			g.Topics, g.Audience.Languages, g.Location = []string{"dementia-caregivers"}, []string{"es"}, dallasVenue
			g.Cost = hearth.Cost{Kind: hearth.Donation}
			g.Schedule = hearth.Schedule{Weekday: time.Saturday, Start: 10 * 60, Duration: 90}
		}),
		newTestGroup("cancer-cohort", "Cancer Cohort Austin", func(g *hearth.Group) {
			g.Format, g.Leadership, g.Policy, g.Topics = hearth.Hybrid, hearth.ProfessionalLed, hearth.Closed, []string{"cancer"}
			g.Enrollment = &hearth.Enrollment{Cap: 12, Opens: now.AddDate(0, 0, -7), Closes: now.AddDate(0, 0, 14), Starts: now.AddDate(0, 0, 21), Sessions: 8}
			g.Cost = hearth.Cost{Kind: hearth.Fee, Note: "$10 a session, waived on request"}
			g.Schedule = hearth.Schedule{Weekday: time.Monday, Start: 17*60 + 30, Duration: 90}
		}),
		newTestGroup("quiet-room", "Quiet Room", func(g *hearth.Group) {
			g.Format, g.Visibility, g.Topics = hearth.Online, hearth.Private, []string{"depression"}
			g.Location = hearth.Location{TimeZone: "America/Chicago"}
		}),
	}
	for _, g := range groups {
		if err := ts.App.CreateGroup(ctx, actor, org.Slug, g); err != nil {
			t.Fatalf("seed %s: %v", g.Slug, err)
		}
	}
	return &seeded{admin: admin, adminToken: ts.Token(t, admin), org: org.Slug}
}

// ---------------------------------------------------------------------------
// Directory

func TestAPISearch(t *testing.T) {
	forEachEngine(t, func(t *testing.T, ts *testServer) {
		seedDirectory(t, ts)
		alice := ts.SignUp(t, "member-alice7", "alice7@example.net")
		ts.call(t, "POST", "/api/v1/groups/grief-circle-austin/join", ts.Token(t, alice),
			map[string]any{"pseudonym": "River", "accept_guidelines": true}).wantStatus(t, 201)

		finds := []struct {
			name, query string
			want        []string
		}{
			{"search by text finds the group named for it", "q=grief", []string{"grief-circle-austin"}},
			{"a parent topic finds groups of its children", "topic=grief", []string{"grief-circle-austin"}},
			{"the online filter finds listed online groups, never private ones", "format=online", []string{"anxiety-online"}},
			{"a language filter finds groups meeting in it", "language=es", []string{"anxiety-online", "dallas-caregivers"}},
			{"closed groups accepting now are found", "policy=closed&accepting=true", []string{"cancer-cohort"}},
			{"a cost filter finds groups with a fee", "cost=fee", []string{"cancer-cohort"}},
			{"a day filter in the viewer's zone finds Saturday groups", "day=sat&tz=America/Chicago", []string{"dallas-caregivers"}},
			{"a place finds groups nearby and remote ones", "place=Austin", []string{"grief-circle-austin", "cancer-cohort", "anxiety-online"}},
			{"a point with remote excluded finds only groups near it", "near=32.78,-96.80&radius_km=30&remote=exclude", []string{"dallas-caregivers"}},
			{"everything listed is found with no filter", "", []string{"grief-circle-austin", "anxiety-online", "dallas-caregivers", "cancer-cohort"}},
		}
		for _, c := range finds {
			t.Run(c.name, func(t *testing.T) {
				res := ts.call(t, "GET", "/api/v1/groups?"+c.query, "", nil)
				res.wantStatus(t, 200)
				if !sameSet(res.slugs(), c.want) {
					t.Errorf("?%s found %q, want %q", c.query, res.slugs(), c.want)
				}
				if int(res.JSON["total"].(float64)) != len(c.want) {
					t.Errorf("total = %v, want %d", res.JSON["total"], len(c.want))
				}
			})
		}

		t.Run("a place search says where it looked and how far each venue is", func(t *testing.T) {
			res := ts.call(t, "GET", "/api/v1/groups?place=Austin", "", nil)
			res.wantStatus(t, 200)
			if place, _ := res.JSON["place"].(string); !strings.HasPrefix(place, "Austin") {
				t.Errorf("place = %q", place)
			}
			if jsonObj(res.JSON["near"])["lat"] == nil {
				t.Errorf("near = %v", res.JSON["near"])
			}
			for _, slug := range []string{"grief-circle-austin", "cancer-cohort"} {
				d, ok := res.group(slug)["distance_km"].(float64)
				if !ok || d > 10 {
					t.Errorf("%s distance_km = %v, want a few km", slug, res.group(slug)["distance_km"])
				}
			}
			if _, ok := res.group("anxiety-online")["distance_km"]; ok {
				t.Error("an online group has a distance")
			}
			if loc := jsonObj(res.group("anxiety-online")["location"]); loc["lat"] != nil {
				t.Errorf("an online group shows a position: %v", loc)
			}
		})

		t.Run("a point search measures from the point", func(t *testing.T) {
			res := ts.call(t, "GET", "/api/v1/groups?near=32.7767,-96.797", "", nil)
			res.wantStatus(t, 200)
			d, ok := res.group("dallas-caregivers")["distance_km"].(float64)
			if !ok || d > 0.5 {
				t.Errorf("distance_km = %v", res.group("dallas-caregivers")["distance_km"])
			}
			if res.JSON["place"] != nil {
				t.Errorf("place = %v for a point", res.JSON["place"])
			}
		})

		t.Run("a group in results has the documented shape", func(t *testing.T) {
			res := ts.call(t, "GET", "/api/v1/groups?q=cancer", "", nil)
			g := res.group("cancer-cohort")
			if g == nil {
				t.Fatalf("not found: %s", res.Body)
			}
			sched := jsonObj(g["schedule"])
			if sched["weekday"] != "monday" || sched["start"] != "17:30" || sched["duration_minutes"] != 90.0 || sched["time_zone"] != "America/Chicago" {
				t.Errorf("schedule = %v", sched)
			}
			next, err := time.Parse(time.RFC3339, g["next_meeting"].(string))
			if err != nil || !strings.HasSuffix(g["next_meeting"].(string), "Z") || next.Before(time.Now().Add(-time.Minute)) || next.After(time.Now().AddDate(0, 0, 8)) {
				t.Errorf("next_meeting = %v", g["next_meeting"])
			}
			if next.In(mustZone(t, "America/Chicago")).Weekday() != time.Monday {
				t.Errorf("next_meeting %v is not a Monday in Chicago", next)
			}
			if g["accepting_new_members"] != true || g["url"] != "/groups/cancer-cohort" || jsonObj(g["cost"])["kind"] != "fee" {
				t.Errorf("group = %v", g)
			}
			if a := jsonObj(g["audience"]); a["age_band"] != "all" || a["gender"] != "any" {
				t.Errorf("audience = %v", a)
			}
			if _, ok := jsonObj(g["location"])["address"]; ok {
				t.Error("search results carry a street address")
			}
		})

		t.Run("pages split results in the order asked", func(t *testing.T) {
			res := ts.call(t, "GET", "/api/v1/groups?sort=name&per_page=2&page=2", "", nil)
			res.wantStatus(t, 200)
			if !slices.Equal(res.slugs(), []string{"dallas-caregivers", "grief-circle-austin"}) || res.JSON["pages"] != 2.0 || res.JSON["page"] != 2.0 || res.JSON["per_page"] != 2.0 {
				t.Errorf("page 2 = %q: %s", res.slugs(), res.Body)
			}
		})

		bad := []struct {
			name, query string
			fields      []string
		}{
			{"an unknown format is refused, naming it", "format=underwater", []string{"format"}},
			{"an unknown topic is refused", "topic=astrology", []string{"topic"}},
			{"out-of-range coordinates are refused", "near=95,200", []string{"near"}},
			{"a page of zero is refused", "page=0", []string{"page"}},
			{"a page that is not a number is refused", "page=two", []string{"page"}},
			{"too many per page is refused", "per_page=1000", []string{"per_page"}},
			{"every problem is named at once", "format=x&cost=y&page=-1", []string{"format", "cost", "page"}},
			{"an unknown place is refused, naming place", "place=Qwxzyvillezz", []string{"place"}},
			{"sorting by distance without a place is refused", "sort=distance", []string{"sort"}},
			{"an unknown time zone is refused", "tz=Mars/Olympus", []string{"tz"}},
		}
		for _, c := range bad {
			t.Run(c.name, func(t *testing.T) {
				res := ts.call(t, "GET", "/api/v1/groups?"+c.query, "", nil)
				res.wantError(t, 400, c.fields...)
			})
		}

		t.Run("NUL bytes and broken UTF-8 in any parameter are never a 500", func(t *testing.T) {
			op := loadSpec(t).operations()["GET /api/v1/groups"]
			for _, p := range op["parameters"].([]any) {
				name := loadSpec(t).deref(p)["name"].(string)
				for _, v := range []string{"%00", "a%00b", "%FF%FE", "%C3%28,%00"} {
					res := ts.call(t, "GET", "/api/v1/groups?"+name+"="+v, "", nil)
					if res.Status >= 500 {
						t.Errorf("%s=%s: %d %s", name, v, res.Status, res.Body)
					}
				}
			}
			for _, path := range []string{"/api/v1/places?q=%00", "/api/v1/places?q=%FF", "/api/v1/groups/%00", "/api/v1/organizations/%FF"} {
				if res := ts.call(t, "GET", path, "", nil); res.Status >= 500 {
					t.Errorf("%s: %d %s", path, res.Status, res.Body)
				}
			}
			for _, body := range []string{`{"login": "a\u0000b", "password": "whatever it is"}`, "{\"login\": \"\xff\xfe\", \"password\": \"whatever it is\"}"} {
				if res := ts.call(t, "POST", "/api/v1/tokens", "", body); res.Status >= 500 {
					t.Errorf("sign-in with %q: %d %s", body, res.Status, res.Body)
				}
			}
		})

		t.Run("errors speak the language asked for", func(t *testing.T) {
			req, _ := http.NewRequest("GET", ts.URL+"/api/v1/groups?format=underwater&page=0", nil)
			req.Header.Set("Accept-Language", "es-MX,es;q=0.9")
			res := ts.do(t, req)
			res.wantError(t, 400, "format", "page")
			if res.message() != "Corrige los campos señalados." || !strings.Contains(strings.Join(fieldMessages(res), " "), "«underwater»") {
				t.Errorf("Spanish error = %s", res.Body)
			}
		})

		t.Run("search answers carry no handle or email of anyone", func(t *testing.T) {
			for _, q := range []string{"", "per_page=100", "place=Austin", "q=grief", "q=member-alice7", "q=alice7@example.net"} {
				res := ts.call(t, "GET", "/api/v1/groups?"+q, "", nil)
				for _, secret := range []string{"member-alice7", "alice7@example.net", "site-admin", "River"} {
					if q == "" || !strings.Contains(q, secret) {
						if bytes.Contains(res.Body, []byte(secret)) {
							t.Errorf("?%s reveals %q: %s", q, secret, res.Body)
						}
					}
				}
			}
		})

		t.Run("topics list the taxonomy in English and Spanish", func(t *testing.T) {
			res := ts.call(t, "GET", "/api/v1/topics", "", nil)
			res.wantStatus(t, 200)
			topics := res.list("topics")
			if len(topics) != len(hearth.Topics()) {
				t.Fatalf("%d topics", len(topics))
			}
			grief := jsonObj(topics[slices.IndexFunc(topics, func(x any) bool { return jsonObj(x)["slug"] == "loss-of-partner" })])
			if grief["parent"] != "grief" || jsonObj(grief["name"])["es"] != "Pérdida de la pareja" {
				t.Errorf("loss-of-partner = %v", grief)
			}
			if !strings.Contains(res.Header.Get("Cache-Control"), "public") {
				t.Errorf("Cache-Control = %q", res.Header.Get("Cache-Control"))
			}
		})

		t.Run("places are suggested as one types, at most the limit", func(t *testing.T) {
			res := ts.call(t, "GET", "/api/v1/places?q=aus&limit=3", "", nil)
			res.wantStatus(t, 200)
			places := res.list("places")
			if len(places) == 0 || len(places) > 3 {
				t.Fatalf("%d places: %s", len(places), res.Body)
			}
			if p := jsonObj(places[0]); !strings.HasPrefix(p["label"].(string), "Aus") || p["time_zone"] == "" {
				t.Errorf("first place = %v", p)
			}
			res = ts.call(t, "GET", "/api/v1/places?q=san&limit=500", "", nil)
			res.wantStatus(t, 200)
			if n := len(res.list("places")); n != 20 {
				t.Errorf("limit=500 gave %d places, want 20", n)
			}
		})

		t.Run("places need q of at most 120 characters and a sane limit", func(t *testing.T) {
			ts.call(t, "GET", "/api/v1/places", "", nil).wantError(t, 400, "q")
			ts.call(t, "GET", "/api/v1/places?q="+strings.Repeat("a", 121), "", nil).wantError(t, 400, "q")
			ts.call(t, "GET", "/api/v1/places?q=aus&limit=0", "", nil).wantError(t, 400, "limit")
			ts.call(t, "GET", "/api/v1/places?q=aus&limit=many", "", nil).wantError(t, 400, "limit")
		})
	})
}

func mustZone(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// ---------------------------------------------------------------------------
// Request bodies

func TestAPIRequestBodies(t *testing.T) {
	forEachEngine(t, func(t *testing.T, ts *testServer) {
		seed := seedDirectory(t, ts)
		ctx := context.Background()
		groupsPath := "/api/v1/organizations/" + seed.org + "/groups"
		countGroups := func(t *testing.T) int {
			_, gs, err := ts.App.OrganizationGroups(ctx, ts.Actor(t, seed.adminToken), seed.org)
			if err != nil {
				t.Fatal(err)
			}
			return len(gs)
		}
		before := countGroups(t)
		huge := `{"name": "` + strings.Repeat("a", 2<<20) + `"}`

		cases := []struct {
			name, contentType, body string
			status                  int
			code                    string
			field                   string
			inMessage               string
		}{
			{"malformed JSON is refused with where it broke", "application/json", `{"name": "Circle",, }`, 400, "bad_json", "", "byte"},
			{"a cut-off body is refused", "application/json", `{"name": "Circ`, 400, "bad_json", "", "cut off"},
			{"an empty body is refused", "application/json", ``, 400, "bad_json", "", "empty"},
			{"a body that is not an object is refused", "application/json", `["name"]`, 400, "bad_json", "", "object"},
			{"a form is refused for its content type", "application/x-www-form-urlencoded", `name=Circle`, 400, "content_type", "", "application/json"},
			{"a body without a content type is refused", "", `{"name": "Circle"}`, 400, "content_type", "", "Content-Type"},
			{"an unknown field is refused, naming it", "application/json", `{"name": "Circle", "nmae": "x"}`, 400, "unknown_field", "nmae", "nmae"},
			{"an unknown nested field is refused, naming it", "application/json", `{"name": "Circle", "schedule": {"weekday": "monday", "hour": 3}}`, 400, "unknown_field", "hour", "hour"},
			{"a field of the wrong type is refused, naming it", "application/json", `{"name": 5}`, 400, "bad_json", "name", "string"},
			{"a nested field of the wrong type is refused, naming its path", "application/json", `{"schedule": {"duration_minutes": "long"}}`, 400, "bad_json", "schedule.duration_minutes", "whole number"},
			{"a second object after the first is refused", "application/json", `{"name": "Circle"} {"name": "Other"}`, 400, "bad_json", "", "more after"},
			{"text with a NUL character is refused", "application/json", `{"name": "Circ\u0000le"}`, 400, "bad_json", "", "NUL"},
			{"a 2 MB body is refused as too large", "application/json", huge, 413, "too_large", "", "large"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				res := ts.send(t, "POST", groupsPath, seed.adminToken, c.contentType, strings.NewReader(c.body))
				res.wantStatus(t, c.status)
				if res.code() != c.code {
					t.Errorf("code = %q, want %q: %s", res.code(), c.code, res.Body)
				}
				if c.field != "" && !slices.Contains(res.fields(), c.field) {
					t.Errorf("fields %q do not name %q", res.fields(), c.field)
				}
				if !strings.Contains(res.message()+" "+strings.Join(fieldMessages(res), " "), c.inMessage) {
					t.Errorf("message %q does not say %q", res.message(), c.inMessage)
				}
				if n := countGroups(t); n != before {
					t.Errorf("%d groups after a refused body, %d before", n, before)
				}
			})
		}

		t.Run("a refused sign-up body makes no account", func(t *testing.T) {
			for _, body := range []string{`{"handle": "newcomer-1", "password": "long enough password", "extra": 1}`,
				`{"handle": "newcomer-1", "password": "long enough password"`, huge} {
				res := ts.call(t, "POST", "/api/v1/account", "", body)
				if res.Status < 400 || res.Status >= 500 {
					t.Fatalf("status %d: %s", res.Status, res.Body)
				}
			}
			res := ts.send(t, "POST", "/api/v1/account", "", "text/plain", strings.NewReader(`{"handle": "newcomer-1", "password": "long enough password"}`))
			res.wantError(t, 400)
			if _, _, err := ts.App.CreateUser(ctx, "newcomer-1", "", testPassword, false); err != nil {
				t.Errorf("the handle was taken by a refused request: %v", err)
			}
		})

		t.Run("a refused update leaves the group as it was", func(t *testing.T) {
			res := ts.call(t, "PUT", "/api/v1/groups/grief-circle-austin", seed.adminToken, `{"name": "Renamed", "colour": "blue"}`)
			res.wantError(t, 400, "colour")
			v, err := ts.App.Group(ctx, hearth.Anonymous, "grief-circle-austin")
			if err != nil || v.Group.Name != "Grief Circle Austin" {
				t.Errorf("group after a refused update: %v %v", v, err)
			}
		})
	})
}

func fieldMessages(r *apiResult) []string {
	var out []string
	for _, f := range jsonList(jsonObj(r.JSON["error"])["fields"]) {
		out = append(out, jsonObj(f)["message"].(string))
	}
	return out
}

// ---------------------------------------------------------------------------
// Accounts and tokens

func TestAPIAccounts(t *testing.T) {
	forEachEngine(t, func(t *testing.T, ts *testServer) {
		var token string
		t.Run("signing up gives the account, a recovery code and a working token", func(t *testing.T) {
			res := ts.call(t, "POST", "/api/v1/account", "", map[string]any{"handle": "Quiet-River", "password": testPassword, "locale": "es"})
			res.wantStatus(t, 201)
			token, _ = res.JSON["token"].(string)
			u := jsonObj(res.JSON["user"])
			if !strings.HasPrefix(token, "hearth_pat_") || len(res.JSON["recovery_code"].(string)) < 20 || u["handle"] != "quiet-river" || u["locale"] != "es" {
				t.Fatalf("sign-up = %s", res.Body)
			}
			if _, ok := u["email"]; ok {
				t.Errorf("an account without email shows one: %v", u)
			}
			me := ts.call(t, "GET", "/api/v1/account", token, nil)
			me.wantStatus(t, 200)
			if me.JSON["handle"] != "quiet-river" || me.JSON["site_admin"] != false {
				t.Errorf("account = %s", me.Body)
			}
			tokens := ts.call(t, "GET", "/api/v1/account/tokens", token, nil)
			if len(tokens.list("tokens")) != 1 || jsonObj(tokens.list("tokens")[0])["name"] != "sign-up" {
				t.Errorf("tokens = %s", tokens.Body)
			}
		})
		if token == "" {
			t.FailNow()
		}

		t.Run("a taken handle is a conflict naming handle", func(t *testing.T) {
			ts.call(t, "POST", "/api/v1/account", "", map[string]any{"handle": "quiet-river", "password": testPassword}).wantError(t, 409, "handle")
		})
		t.Run("a short password and an unknown locale are refused, naming both", func(t *testing.T) {
			ts.call(t, "POST", "/api/v1/account", "", map[string]any{"handle": "someone-new", "password": "short"}).wantError(t, 400, "password")
			ts.call(t, "POST", "/api/v1/account", "", map[string]any{"handle": "someone-new", "password": testPassword, "locale": "fr"}).wantError(t, 400, "locale")
		})

		t.Run("without a token the account is 401 with a Bearer challenge", func(t *testing.T) {
			res := ts.call(t, "GET", "/api/v1/account", "", nil)
			res.wantError(t, 401)
			if !strings.HasPrefix(res.Header.Get("WWW-Authenticate"), "Bearer") {
				t.Errorf("WWW-Authenticate = %q", res.Header.Get("WWW-Authenticate"))
			}
		})

		t.Run("preferences are saved and shown", func(t *testing.T) {
			ts.call(t, "PUT", "/api/v1/account/preferences", token, map[string]any{"locale": "en", "time_zone": "Europe/Madrid"}).wantStatus(t, 204)
			me := ts.call(t, "GET", "/api/v1/account", token, nil)
			if me.JSON["locale"] != "en" || me.JSON["time_zone"] != "Europe/Madrid" {
				t.Errorf("account = %s", me.Body)
			}
			ts.call(t, "PUT", "/api/v1/account/preferences", token, map[string]any{"time_zone": "Mars/Olympus"}).wantError(t, 400, "time_zone")
		})

		t.Run("a new token is shown once, listed by name, and stops working when revoked", func(t *testing.T) {
			res := ts.call(t, "POST", "/api/v1/account/tokens", token, map[string]any{"name": "my script"})
			res.wantStatus(t, 201)
			script := res.JSON["token"].(string)
			id := int64(res.JSON["id"].(float64))
			ts.call(t, "GET", "/api/v1/account", script, nil).wantStatus(t, 200)
			list := ts.call(t, "GET", "/api/v1/account/tokens", token, nil)
			if !bytes.Contains(list.Body, []byte(`"my script"`)) || bytes.Contains(list.Body, []byte(script)) {
				t.Errorf("tokens = %s", list.Body)
			}
			ts.call(t, "DELETE", fmt.Sprintf("/api/v1/account/tokens/%d", id), token, nil).wantStatus(t, 204)
			revoked := ts.call(t, "GET", "/api/v1/account", script, nil)
			revoked.wantError(t, 401)
			if !strings.HasPrefix(revoked.Header.Get("WWW-Authenticate"), "Bearer") {
				t.Errorf("WWW-Authenticate = %q", revoked.Header.Get("WWW-Authenticate"))
			}
			ts.call(t, "GET", "/api/v1/groups", script, nil).wantError(t, 401)
			ts.call(t, "DELETE", fmt.Sprintf("/api/v1/account/tokens/%d", id), token, nil).wantError(t, 404)
			ts.call(t, "DELETE", "/api/v1/account/tokens/abc", token, nil).wantError(t, 404)
			ts.call(t, "POST", "/api/v1/account/tokens", token, map[string]any{"name": ""}).wantError(t, 400, "name")
		})

		t.Run("someone else's token cannot be revoked", func(t *testing.T) {
			other := ts.SignUp(t, "someone-else", "")
			otherToken := ts.Token(t, other)
			list := ts.call(t, "GET", "/api/v1/account/tokens", otherToken, nil)
			id := int64(jsonObj(list.list("tokens")[0])["id"].(float64))
			ts.call(t, "DELETE", fmt.Sprintf("/api/v1/account/tokens/%d", id), token, nil).wantError(t, 404)
			ts.call(t, "GET", "/api/v1/account", otherToken, nil).wantStatus(t, 200)
		})

		t.Run("signing in with handle or email and password gives a new token", func(t *testing.T) {
			ts.SignUp(t, "email-user", "email.user@example.net")
			for _, login := range []string{"quiet-river", "Email.User@example.net"} {
				res := ts.call(t, "POST", "/api/v1/tokens", "", map[string]any{"login": login, "password": testPassword, "name": "cli"})
				res.wantStatus(t, 201)
				ts.call(t, "GET", "/api/v1/account", res.JSON["token"].(string), nil).wantStatus(t, 200)
			}
		})

		t.Run("a wrong password is 401 with the same answer whether or not the account exists", func(t *testing.T) {
			exists := ts.call(t, "POST", "/api/v1/tokens", "", map[string]any{"login": "quiet-river", "password": "not the password"})
			missing := ts.call(t, "POST", "/api/v1/tokens", "", map[string]any{"login": "nobody-at-all", "password": "not the password"})
			exists.wantError(t, 401)
			missing.wantError(t, 401)
			if !bytes.Equal(exists.Body, missing.Body) {
				t.Errorf("the answers differ:\n%s\n%s", exists.Body, missing.Body)
			}
		})

		t.Run("guessing one account's password is stopped with 429, even with the right one", func(t *testing.T) {
			ts.SignUp(t, "guessed-at", "")
			for i := 0; i < 8; i++ {
				ts.call(t, "POST", "/api/v1/tokens", "", map[string]any{"login": "guessed-at", "password": fmt.Sprintf("guess number %d", i)}).wantError(t, 401)
			}
			res := ts.call(t, "POST", "/api/v1/tokens", "", map[string]any{"login": "guessed-at", "password": testPassword})
			res.wantError(t, 429)
			if !strings.Contains(res.message(), "minutes") {
				t.Errorf("429 message = %q", res.message())
			}
			ts.call(t, "POST", "/api/v1/tokens", "", map[string]any{"login": "quiet-river", "password": testPassword}).wantStatus(t, 201)
		})
	})
}

// ---------------------------------------------------------------------------
// Organizations and groups

// groupBody is a whole group as a client writes it.
func groupBody(slug, name string) map[string]any {
	return map[string]any{
		"slug": slug, "name": name, "description": "Newly bereaved? Come as you are.",
		"topics": []string{"grief"}, "format": "in_person", "leadership": "peer_led", "policy": "open",
		"languages": []string{"en", "es"}, "audience": map[string]any{"age_band": "adults", "gender": "any", "communities": []string{"veterans"}},
		"accessibility": []string{"wheelchair"}, "cost": map[string]any{"kind": "free"},
		"location": map[string]any{"address": "300 W 2nd St", "city": "Austin", "region": "Texas", "postal_code": "78701",
			"country": "US", "lat": 30.2651, "lon": -97.7468, "time_zone": "America/Chicago"},
		"venue_notes": "Room 2, up the stairs.",
		"schedule":    map[string]any{"weekday": "wednesday", "start": "18:30", "duration_minutes": 75},
		"guidelines":  "Confidentiality.",
	}
}

func TestAPIOrganizationsAndGroups(t *testing.T) {
	forEachEngine(t, func(t *testing.T, ts *testServer) {
		ctx := context.Background()
		seed := seedDirectory(t, ts)
		bob := ts.SignUp(t, "org-bob", "bob@example.net")
		bobToken := ts.Token(t, bob)
		carolToken := ts.Token(t, ts.SignUp(t, "plain-carol", ""))

		t.Run("a site admin creates an organization; others may not", func(t *testing.T) {
			org := map[string]any{"slug": "hill-country-hospice", "name": "Hill Country Hospice", "description": "Care at the end of life.",
				"website": "https://hospice.example", "contact": "+1 512 555 0100"}
			res := ts.call(t, "POST", "/api/v1/organizations", seed.adminToken, org)
			res.wantStatus(t, 201)
			if res.Header.Get("Location") != "/api/v1/organizations/hill-country-hospice" || res.JSON["name"] != "Hill Country Hospice" {
				t.Errorf("created: %v %s", res.Header.Get("Location"), res.Body)
			}
			ts.call(t, "POST", "/api/v1/organizations", bobToken, map[string]any{"name": "Bob's Own"}).wantError(t, 403)
			ts.call(t, "POST", "/api/v1/organizations", "", map[string]any{"name": "Nobody's"}).wantError(t, 401)
			ts.call(t, "POST", "/api/v1/organizations", seed.adminToken, org).wantError(t, 409, "slug")
			ts.call(t, "POST", "/api/v1/organizations", seed.adminToken, map[string]any{"name": "X", "website": "ftp://x"}).wantError(t, 400, "name", "website")
			got := ts.call(t, "GET", "/api/v1/organizations/hill-country-hospice", "", nil)
			got.wantStatus(t, 200)
			if !reflect.DeepEqual(got.JSON, res.JSON) {
				t.Errorf("read %v, created %v", got.JSON, res.JSON)
			}
			ts.call(t, "GET", "/api/v1/organizations/no-such-org", "", nil).wantError(t, 404)
		})

		t.Run("an organization admin changes its details but not its slug", func(t *testing.T) {
			res := ts.call(t, "PUT", "/api/v1/organizations/"+seed.org, seed.adminToken,
				map[string]any{"name": "Texas Peers", "description": "Peer support in every corner of Texas.", "contact": "hello@texaspeers.example"})
			res.wantStatus(t, 200)
			if res.JSON["description"] != "Peer support in every corner of Texas." || res.JSON["slug"] != seed.org {
				t.Errorf("updated = %s", res.Body)
			}
			ts.call(t, "PUT", "/api/v1/organizations/"+seed.org, seed.adminToken, map[string]any{"slug": "renamed", "name": "Texas Peers"}).wantError(t, 400, "slug")
			ts.call(t, "PUT", "/api/v1/organizations/"+seed.org, bobToken, map[string]any{"name": "Mine Now"}).wantError(t, 403)
		})

		t.Run("an added admin manages the organization and creates groups", func(t *testing.T) {
			ts.call(t, "POST", "/api/v1/organizations/"+seed.org+"/groups", bobToken, groupBody("bobs-circle", "Bob's Circle")).wantError(t, 403)
			ts.call(t, "POST", "/api/v1/organizations/"+seed.org+"/admins", bobToken, map[string]any{"handle": "org-bob"}).wantError(t, 403)
			ts.call(t, "POST", "/api/v1/organizations/"+seed.org+"/admins", seed.adminToken, map[string]any{"handle": "no-such-person"}).wantError(t, 400, "handle")
			ts.call(t, "POST", "/api/v1/organizations/"+seed.org+"/admins", seed.adminToken, map[string]any{"handle": "Org-Bob"}).wantStatus(t, 204)
			ts.call(t, "POST", "/api/v1/organizations/"+seed.org+"/admins", seed.adminToken, map[string]any{"handle": "org-bob"}).wantStatus(t, 204)
			orgs := ts.call(t, "GET", "/api/v1/organizations", bobToken, nil)
			orgs.wantStatus(t, 200)
			if len(orgs.list("organizations")) != 1 || jsonObj(orgs.list("organizations")[0])["slug"] != seed.org {
				t.Errorf("bob's organizations = %s", orgs.Body)
			}
			if none := ts.call(t, "GET", "/api/v1/organizations", carolToken, nil); len(none.list("organizations")) != 0 {
				t.Errorf("carol's organizations = %s", none.Body)
			}
			res := ts.call(t, "POST", "/api/v1/organizations/"+seed.org+"/groups", bobToken, groupBody("bobs-circle", "Bob's Circle"))
			res.wantStatus(t, 201)
			if res.Header.Get("Location") != "/api/v1/groups/bobs-circle" || res.JSON["slug"] != "bobs-circle" {
				t.Errorf("created: %s", res.Body)
			}
		})

		t.Run("a group's fields come back as written", func(t *testing.T) {
			res := ts.call(t, "GET", "/api/v1/groups/bobs-circle", "", nil)
			res.wantStatus(t, 200)
			g := res.JSON
			loc := jsonObj(g["location"])
			if g["name"] != "Bob's Circle" || loc["address"] != "300 W 2nd St" || loc["lat"] != 30.2651 || g["venue_notes"] != "Room 2, up the stairs." ||
				!reflect.DeepEqual(g["languages"], []any{"en", "es"}) || jsonObj(g["audience"])["age_band"] != "adults" ||
				!reflect.DeepEqual(jsonObj(g["audience"])["communities"], []any{"veterans"}) || g["guidelines_version"] != 1.0 ||
				jsonObj(g["organization"])["slug"] != seed.org || g["membership"] != nil {
				t.Errorf("group = %s", res.Body)
			}
			if s := jsonObj(g["schedule"]); s["weekday"] != "wednesday" || s["start"] != "18:30" || s["time_zone"] != "America/Chicago" {
				t.Errorf("schedule = %v", s)
			}
		})

		t.Run("a slug taken twice is a conflict and there is still one group", func(t *testing.T) {
			ts.call(t, "POST", "/api/v1/organizations/"+seed.org+"/groups", seed.adminToken, groupBody("bobs-circle", "Another Circle")).wantError(t, 409, "slug")
			_, gs, err := ts.App.OrganizationGroups(ctx, ts.Actor(t, seed.adminToken), seed.org)
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, g := range gs {
				if g.Slug == "bobs-circle" {
					n++
					if g.Name != "Bob's Circle" {
						t.Errorf("the first group became %q", g.Name)
					}
				}
			}
			if n != 1 {
				t.Errorf("%d groups named bobs-circle", n)
			}
		})

		t.Run("invalid groups are refused naming each field", func(t *testing.T) {
			path := "/api/v1/organizations/" + seed.org + "/groups"
			closed := groupBody("closed-without-cap", "Closed Without Cap")
			closed["policy"] = "closed"
			ts.call(t, "POST", path, seed.adminToken, closed).wantError(t, 400, "enrollment_cap")
			g := groupBody("bad-group", "Bad Group")
			g["topics"], g["format"] = []string{"astrology"}, "telepathy"
			g["schedule"] = map[string]any{"weekday": "someday", "start": "25:00", "duration_minutes": 90}
			ts.call(t, "POST", path, seed.adminToken, g).wantError(t, 400, "weekday", "start")
			g["schedule"] = map[string]any{"weekday": 9, "start": "19:00", "duration_minutes": 5}
			ts.call(t, "POST", path, seed.adminToken, g).wantError(t, 400, "weekday")
			g["schedule"] = map[string]any{"weekday": 2, "start": "19:00", "duration_minutes": 5}
			ts.call(t, "POST", path, seed.adminToken, g).wantError(t, 400, "topics", "format", "duration")
			half := groupBody("half-point", "Half a Point")
			delete(jsonObj(half["location"]), "lon")
			ts.call(t, "POST", path, seed.adminToken, half).wantError(t, 400, "lon")
			ts.call(t, "POST", "/api/v1/organizations/no-such-org/groups", seed.adminToken, groupBody("orphan", "Orphan Group")).wantError(t, 404)
		})

		t.Run("a closed group takes enrollment dates in its own time zone", func(t *testing.T) {
			g := groupBody("spring-cohort", "Spring Cohort")
			g["policy"] = "closed"
			g["enrollment"] = map[string]any{"cap": 10, "opens": "2030-01-01", "closes": "2030-01-31", "starts": "2030-02-03T18:00:00-06:00", "sessions": 6}
			res := ts.call(t, "POST", "/api/v1/organizations/"+seed.org+"/groups", seed.adminToken, g)
			res.wantStatus(t, 201)
			want := map[string]any{"cap": 10.0, "opens": "2030-01-01T06:00:00Z", "closes": "2030-02-01T06:00:00Z", "starts": "2030-02-04T00:00:00Z", "sessions": 6.0}
			if !reflect.DeepEqual(res.JSON["enrollment"], want) || res.JSON["accepting_new_members"] != false {
				t.Errorf("enrollment = %v, want %v", res.JSON["enrollment"], want)
			}
			g["enrollment"] = map[string]any{"cap": 10, "opens": "January", "closes": "2030-01-31", "starts": "2030-02-03", "sessions": 6}
			g["slug"] = "spring-cohort-2"
			ts.call(t, "POST", "/api/v1/organizations/"+seed.org+"/groups", seed.adminToken, g).wantError(t, 400, "enrollment_window")
		})

		t.Run("a fetched group sent back through PUT is unchanged", func(t *testing.T) {
			for _, slug := range []string{"grief-circle-austin", "anxiety-online", "cancer-cohort", "quiet-room", "bobs-circle"} {
				before := ts.call(t, "GET", "/api/v1/groups/"+slug, seed.adminToken, nil)
				before.wantStatus(t, 200)
				put := ts.call(t, "PUT", "/api/v1/groups/"+slug, seed.adminToken, before.Body)
				put.wantStatus(t, 200)
				after := ts.call(t, "GET", "/api/v1/groups/"+slug, seed.adminToken, nil)
				if !reflect.DeepEqual(before.JSON, after.JSON) || !reflect.DeepEqual(put.JSON, after.JSON) {
					t.Errorf("%s changed:\nbefore %s\nafter  %s", slug, before.Body, after.Body)
				}
			}
		})

		t.Run("PUT replaces the editable fields", func(t *testing.T) {
			g := groupBody("", "Bob's Wednesday Circle")
			g["schedule"] = map[string]any{"weekday": 3, "start": "08:30", "duration_minutes": 60}
			g["guidelines"] = "Confidentiality, always."
			res := ts.call(t, "PUT", "/api/v1/groups/bobs-circle", bobToken, g)
			res.wantStatus(t, 200)
			s := jsonObj(res.JSON["schedule"])
			if res.JSON["slug"] != "bobs-circle" || res.JSON["name"] != "Bob's Wednesday Circle" || s["weekday"] != "wednesday" || s["start"] != "08:30" ||
				res.JSON["guidelines_version"] != 2.0 {
				t.Errorf("updated = %s", res.Body)
			}
			g["slug"] = "bobs-new-circle"
			res = ts.call(t, "PUT", "/api/v1/groups/bobs-circle", bobToken, g)
			res.wantStatus(t, 200)
			ts.call(t, "GET", "/api/v1/groups/bobs-new-circle", "", nil).wantStatus(t, 200)
			ts.call(t, "GET", "/api/v1/groups/bobs-circle", "", nil).wantError(t, 404)
			ts.call(t, "PUT", "/api/v1/groups/bobs-new-circle", carolToken, g).wantError(t, 403)
			ts.call(t, "PUT", "/api/v1/groups/bobs-new-circle", "", g).wantError(t, 401)
			ts.call(t, "PUT", "/api/v1/groups/no-such-group", seed.adminToken, g).wantError(t, 404)
			ts.call(t, "PUT", "/api/v1/groups/quiet-room", carolToken, g).wantError(t, 404)
		})

		t.Run("once meetings set the schedule, PUT may not change it and changes nothing", func(t *testing.T) {
			ts.call(t, "POST", "/api/v1/groups/bobs-new-circle/meetings", bobToken, map[string]any{
				"start": "2027-01-05T19:00", "duration_minutes": 60, "rrule": "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", "ongoing": true,
				"attend": map[string]any{"mode": "in_person"}}).wantStatus(t, 201)
			ts.call(t, "POST", "/api/v1/groups/bobs-new-circle/meetings", bobToken, map[string]any{
				"start": "2027-01-08T10:00", "duration_minutes": 60, "rrule": "FREQ=MONTHLY;BYDAY=2FR", "ongoing": true,
				"attend": map[string]any{"mode": "in_person"}}).wantStatus(t, 201)
			before := ts.call(t, "GET", "/api/v1/groups/bobs-new-circle", "", nil)
			g := groupBody("bobs-new-circle", "Renamed Along The Way")
			g["schedule"] = map[string]any{"weekday": 5, "start": "07:00", "duration_minutes": 45}
			ts.call(t, "PUT", "/api/v1/groups/bobs-new-circle", bobToken, g).wantError(t, 400, "schedule")
			after := ts.call(t, "GET", "/api/v1/groups/bobs-new-circle", "", nil)
			if after.JSON["name"] != before.JSON["name"] || !reflect.DeepEqual(after.JSON["schedule"], before.JSON["schedule"]) {
				t.Errorf("a refused PUT changed the group: %s", after.Body)
			}
			g["schedule"] = before.JSON["schedule"]
			ts.call(t, "PUT", "/api/v1/groups/bobs-new-circle", bobToken, g).wantStatus(t, 200)
		})

		t.Run("a private group is not found by outsiders and is seen by its admins", func(t *testing.T) {
			ts.call(t, "GET", "/api/v1/groups/quiet-room", "", nil).wantError(t, 404)
			ts.call(t, "GET", "/api/v1/groups/quiet-room", carolToken, nil).wantError(t, 404)
			res := ts.call(t, "GET", "/api/v1/groups/quiet-room", bobToken, nil)
			res.wantStatus(t, 200)
			if res.JSON["visibility"] != "private" {
				t.Errorf("visibility = %v", res.JSON["visibility"])
			}
			list := ts.call(t, "GET", "/api/v1/organizations/"+seed.org+"/groups", bobToken, nil)
			list.wantStatus(t, 200)
			if list.group("quiet-room") == nil || jsonObj(list.JSON["organization"])["slug"] != seed.org {
				t.Errorf("the admin's list misses the private group: %q", list.slugs())
			}
			ts.call(t, "GET", "/api/v1/organizations/"+seed.org+"/groups", carolToken, nil).wantError(t, 403)
		})

		t.Run("a bad slug in the address is simply not found", func(t *testing.T) {
			ts.call(t, "GET", "/api/v1/groups/NOT%20A%20SLUG", "", nil).wantError(t, 404)
			ts.call(t, "GET", "/api/v1/groups/a%00b", "", nil).wantError(t, 404)
			ts.call(t, "GET", "/api/v1/organizations/x", "", nil).wantError(t, 404)
		})
	})
}

// ---------------------------------------------------------------------------
// Membership and facilitators

func TestAPIMembership(t *testing.T) {
	forEachEngine(t, func(t *testing.T, ts *testServer) {
		seed := seedDirectory(t, ts)
		alice := ts.SignUp(t, "member-alice", "alice@example.net")
		aliceToken := ts.Token(t, alice)
		daveToken := ts.Token(t, ts.SignUp(t, "member-dave", ""))
		ts.SignUp(t, "guide-bea", "")
		join := func(token, slug string, body any) *apiResult {
			return ts.call(t, "POST", "/api/v1/groups/"+slug+"/join", token, body)
		}

		t.Run("joining an open group makes an active membership under the pseudonym", func(t *testing.T) {
			res := join(aliceToken, "grief-circle-austin", map[string]any{"pseudonym": "  River ", "accept_guidelines": true})
			res.wantStatus(t, 201)
			if res.JSON["pseudonym"] != "River" || res.JSON["role"] != "member" || res.JSON["status"] != "active" || res.JSON["group"] != "grief-circle-austin" {
				t.Errorf("membership = %s", res.Body)
			}
			g := ts.call(t, "GET", "/api/v1/groups/grief-circle-austin", aliceToken, nil)
			if m := jsonObj(g.JSON["membership"]); m["pseudonym"] != "River" || m["status"] != "active" {
				t.Errorf("the group does not show alice's membership: %s", g.Body)
			}
			if anon := ts.call(t, "GET", "/api/v1/groups/grief-circle-austin", "", nil); anon.JSON["membership"] != nil {
				t.Errorf("an anonymous visitor sees a membership: %s", anon.Body)
			}
		})
		t.Run("joining twice is a conflict", func(t *testing.T) {
			res := join(aliceToken, "grief-circle-austin", map[string]any{"pseudonym": "Other", "accept_guidelines": true})
			res.wantError(t, 409)
			if res.code() != "already_member" {
				t.Errorf("code = %q", res.code())
			}
		})
		t.Run("a pseudonym someone in the group uses is a conflict naming pseudonym", func(t *testing.T) {
			join(daveToken, "grief-circle-austin", map[string]any{"pseudonym": "river", "accept_guidelines": true}).wantError(t, 409, "pseudonym")
		})
		t.Run("the guidelines must be accepted and the pseudonym sensible", func(t *testing.T) {
			join(daveToken, "grief-circle-austin", map[string]any{"pseudonym": "Stone"}).wantError(t, 400, "accept_guidelines")
			join(daveToken, "grief-circle-austin", map[string]any{"pseudonym": "<b>", "accept_guidelines": true}).wantError(t, 400, "pseudonym")
		})
		t.Run("a closed group is a conflict that says how to apply", func(t *testing.T) {
			res := join(daveToken, "cancer-cohort", map[string]any{"pseudonym": "Stone", "accept_guidelines": true})
			res.wantError(t, 409)
			if res.code() != "closed_group" || !strings.Contains(res.message(), "apply") {
				t.Errorf("closed group: %s", res.Body)
			}
		})
		t.Run("a private group cannot be joined by outsiders, nor any without a token", func(t *testing.T) {
			join(daveToken, "quiet-room", map[string]any{"pseudonym": "Stone", "accept_guidelines": true}).wantError(t, 404)
			join("", "grief-circle-austin", map[string]any{"pseudonym": "Stone", "accept_guidelines": true}).wantError(t, 401)
			join(daveToken, "no-such-group", map[string]any{"pseudonym": "Stone", "accept_guidelines": true}).wantError(t, 404)
		})

		t.Run("admins appoint facilitators; members keep their pseudonym", func(t *testing.T) {
			path := "/api/v1/groups/grief-circle-austin/facilitators"
			res := ts.call(t, "POST", path, seed.adminToken, map[string]any{"handle": "member-alice", "role": "co_facilitator"})
			res.wantStatus(t, 201)
			if res.JSON["handle"] != "member-alice" || res.JSON["pseudonym"] != "River" || res.JSON["role"] != "co_facilitator" {
				t.Errorf("appointed = %s", res.Body)
			}
			res = ts.call(t, "POST", path, seed.adminToken, map[string]any{"handle": "guide-bea", "pseudonym": "Guide"})
			res.wantStatus(t, 201)
			if res.JSON["role"] != "facilitator" || res.JSON["pseudonym"] != "Guide" {
				t.Errorf("appointed = %s", res.Body)
			}
			ts.call(t, "POST", path, seed.adminToken, map[string]any{"handle": "guide-bea", "role": "boss"}).wantError(t, 400, "role")
			ts.call(t, "POST", path, seed.adminToken, map[string]any{"handle": "nobody-here", "pseudonym": "Ghost"}).wantError(t, 400, "handle")
			ts.call(t, "POST", path, aliceToken, map[string]any{"handle": "member-dave", "pseudonym": "Stone"}).wantError(t, 403)

			list := ts.call(t, "GET", path, seed.adminToken, nil)
			list.wantStatus(t, 200)
			var handles []string
			for _, f := range list.list("facilitators") {
				handles = append(handles, jsonObj(f)["handle"].(string))
			}
			if !sameSet(handles, []string{"member-alice", "guide-bea"}) {
				t.Errorf("facilitators = %s", list.Body)
			}
			ts.call(t, "GET", path, aliceToken, nil).wantStatus(t, 200) // a co-facilitator now
			mine := ts.call(t, "GET", "/api/v1/groups/grief-circle-austin", aliceToken, nil)
			if m := jsonObj(mine.JSON["membership"]); m["role"] != "co_facilitator" {
				t.Errorf("alice's membership = %v", m)
			}
			ts.call(t, "PUT", "/api/v1/groups/grief-circle-austin", aliceToken, mine.Body).wantStatus(t, 200)
			ts.call(t, "PUT", "/api/v1/groups/grief-circle-austin", daveToken, mine.Body).wantError(t, 403)
			ts.call(t, "GET", path, daveToken, nil).wantError(t, 403)
			ts.call(t, "GET", path, "", nil).wantError(t, 401)

			public := ts.call(t, "GET", "/api/v1/groups/grief-circle-austin", "", nil)
			if !reflect.DeepEqual(public.JSON["facilitators"], []any{"Guide", "River"}) {
				t.Errorf("public facilitators = %v", public.JSON["facilitators"])
			}
			for _, secret := range []string{"member-alice", "guide-bea", "alice@example.net"} {
				if bytes.Contains(public.Body, []byte(secret)) {
					t.Errorf("the public group page reveals %q", secret)
				}
			}
		})
	})
}

// ---------------------------------------------------------------------------
// Decoding never panics

func decodeGroupBytes(b []byte) (*hearth.Group, error) {
	req, err := http.NewRequest("PUT", "/api/v1/groups/x", bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	var in groupInput
	if err := decodeJSON(req, &in); err != nil {
		return nil, err
	}
	return in.toGroup()
}

func FuzzDecodeGroupInput(f *testing.F) {
	full, _ := json.Marshal(groupBody("fuzz-circle", "Fuzz Circle"))
	closed := groupBody("fuzz-cohort", "Fuzz Cohort")
	closed["policy"] = "closed"
	closed["enrollment"] = map[string]any{"cap": 10, "opens": "2030-01-01", "closes": "2030-01-31T23:00:00Z", "starts": "2030-02-03", "sessions": 6}
	closedJSON, _ := json.Marshal(closed)
	for _, seed := range []string{
		string(full), string(closedJSON), `{}`, `null`, `[]`, `""`, `{"schedule":{"weekday":"mon","start":"7:05"}}`,
		`{"schedule":{"weekday":-1,"start":"24:00"}}`, `{"schedule":{"weekday":1e400}}`, `{"schedule":{"weekday":{"x":1}}}`,
		`{"location":{"lat":1}}`, `{"location":{"lat":1e400,"lon":0}}`, `{"enrollment":{"opens":"2030-13-45","closes":"","starts":"x"}}`,
		`{"enrollment":null,"location":{"time_zone":"../../etc/passwd"},"schedule":{"time_zone":"Local"}}`,
		`{"name":"\u0000"}`, `{"name":"\\u0000"}`, `{"name":"\ud800"}`, `{"topics":[1,2]}`, `{"id":{"deep":[1,{"x":null}]}}`,
		`{"a":1}{"b":2}`, `{"name":`, "\xff\xfe", `{"schedule":{"weekday":"\u00e9"}}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		g, err := decodeGroupBytes(b)
		if err != nil {
			if e := hearth.AsError(err); e == nil || (e.Kind != hearth.Invalid && e.Kind != hearth.TooLarge) {
				t.Fatalf("decoding %q: an error of the wrong kind: %v", b, err)
			}
			return
		}
		g.Normalize()
		_ = g.Validate()
	})
}

func TestAPIDecodesAValidGroupInput(t *testing.T) {
	b, _ := json.Marshal(groupBody("fuzz-circle", "Fuzz Circle"))
	g, err := decodeGroupBytes(b)
	if err != nil {
		t.Fatal(err)
	}
	g.Normalize()
	if err := g.Validate(); err != nil {
		t.Fatalf("a good group is invalid: %v", err)
	}
	if g.Schedule.Weekday != time.Wednesday || g.Schedule.Start != 18*60+30 || !g.Location.HasPoint || g.Location.TimeZone != "America/Chicago" {
		t.Errorf("group = %+v", g)
	}
}

func TestAPIRecovery(t *testing.T) {
	forEachEngine(t, func(t *testing.T, ts *testServer) {
		r := ts.call(t, "POST", "/api/v1/account", "", map[string]any{"handle": "lost-key", "password": "the first passphrase"})
		r.wantStatus(t, http.StatusCreated)
		first, _ := r.JSON["recovery_code"].(string)
		t.Run("a wrong code is refused", func(t *testing.T) {
			ts.call(t, "POST", "/api/v1/account/recover", "", map[string]any{"handle": "lost-key", "recovery_code": "AAAAA-BBBBB-CCCCC-DDDDD", "password": "a second passphrase"}).
				wantError(t, http.StatusUnauthorized)
		})
		t.Run("the right code sets the password and gives a new code, once", func(t *testing.T) {
			r := ts.call(t, "POST", "/api/v1/account/recover", "", map[string]any{"handle": "Lost-Key", "recovery_code": strings.ToLower(first), "password": "a second passphrase"})
			r.wantStatus(t, http.StatusOK)
			if next, _ := r.JSON["recovery_code"].(string); next == "" || next == first || r.JSON["token"] == "" {
				t.Fatalf("%s", r.Body)
			}
			ts.call(t, "POST", "/api/v1/tokens", "", map[string]any{"login": "lost-key", "password": "a second passphrase"}).wantStatus(t, http.StatusCreated)
			ts.call(t, "POST", "/api/v1/account/recover", "", map[string]any{"handle": "lost-key", "recovery_code": first, "password": "a third passphrase"}).
				wantError(t, http.StatusUnauthorized)
		})
	})
}

func TestAPIMyGroups(t *testing.T) {
	forEachEngine(t, func(t *testing.T, ts *testServer) {
		seedDirectory(t, ts)
		u := ts.SignUp(t, "joiner", "")
		token := ts.Token(t, u)
		r := ts.call(t, "GET", "/api/v1/account/groups", token, nil)
		r.wantStatus(t, http.StatusOK)
		if len(r.list("memberships")) != 0 {
			t.Fatalf("a new account lists %s", r.Body)
		}
		ts.call(t, "POST", "/api/v1/groups/grief-circle-austin/join", token, map[string]any{"pseudonym": "Wren", "accept_guidelines": true}).wantStatus(t, http.StatusCreated)
		r = ts.call(t, "GET", "/api/v1/account/groups", token, nil)
		ms := r.list("memberships")
		if len(ms) != 1 || jsonObj(ms[0])["group"] != "grief-circle-austin" || jsonObj(ms[0])["pseudonym"] != "Wren" {
			t.Fatalf("%s", r.Body)
		}
		ts.call(t, "GET", "/api/v1/account/groups", "", nil).wantError(t, http.StatusUnauthorized)
	})
}
