package web

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hearth-org/hearth"
)

// The OpenAPI document is held to the route table both ways, to the domain's
// lists, and (through checkResponse, which every API test request goes
// through) to what the handlers actually answer.

// openAPIDoc is the parsed, embedded openapi.json.
type openAPIDoc map[string]any

var (
	loadSpecOnce sync.Once
	loadedSpec   openAPIDoc
	loadSpecErr  error
)

func loadSpec(t testing.TB) openAPIDoc {
	t.Helper()
	loadSpecOnce.Do(func() {
		b, err := assets.ReadFile("openapi.json")
		if err != nil {
			loadSpecErr = err
			return
		}
		loadSpecErr = json.Unmarshal(b, &loadedSpec)
	})
	if loadSpecErr != nil {
		t.Fatalf("openapi.json: %v", loadSpecErr)
	}
	return loadedSpec
}

func jsonObj(v any) map[string]any { m, _ := v.(map[string]any); return m }

// operations lists the documented "METHOD /path" pairs.
func (d openAPIDoc) operations() map[string]map[string]any {
	out := map[string]map[string]any{}
	for path, item := range jsonObj(d["paths"]) {
		for method, op := range jsonObj(item) {
			switch method {
			case "get", "put", "post", "delete", "patch", "head", "options", "trace":
				out[strings.ToUpper(method)+" "+path] = jsonObj(op)
			}
		}
	}
	return out
}

// pointer resolves a local JSON pointer ("#/components/schemas/Group").
func (d openAPIDoc) pointer(ref string) (any, bool) {
	rest, ok := strings.CutPrefix(ref, "#")
	if !ok {
		return nil, false
	}
	var cur any = map[string]any(d)
	if rest == "" {
		return cur, true
	}
	for _, part := range strings.Split(strings.TrimPrefix(rest, "/"), "/") {
		part = strings.NewReplacer("~1", "/", "~0", "~").Replace(part)
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = m[part]; !ok {
			return nil, false
		}
	}
	return cur, true
}

// deref follows $ref until it reaches a value.
func (d openAPIDoc) deref(v any) map[string]any {
	for i := 0; i < 20; i++ {
		m := jsonObj(v)
		ref, ok := m["$ref"].(string)
		if !ok {
			return m
		}
		if v, ok = d.pointer(ref); !ok {
			return nil
		}
	}
	return nil
}

// routeDocMismatches compares the API routes with the documented operations
// both ways, and each route's sign-in rule with its documented security.
func routeDocMismatches(routes []Route, d openAPIDoc) []string {
	var out []string
	ops := d.operations()
	served := map[string]bool{}
	for _, r := range routes {
		if !r.API {
			continue
		}
		key := r.Method + " " + r.Path
		served[key] = true
		op, ok := ops[key]
		if !ok {
			out = append(out, key+" is served but not documented in openapi.json")
			continue
		}
		sec, ok := op["security"].([]any)
		if !ok {
			sec, _ = d["security"].([]any)
		}
		anonymous, bearer := false, false
		for _, req := range sec {
			if len(jsonObj(req)) == 0 {
				anonymous = true
			}
			if _, ok := jsonObj(req)["bearerAuth"]; ok {
				bearer = true
			}
		}
		switch {
		case r.Auth == SignedIn && (anonymous || !bearer):
			out = append(out, key+" needs sign-in but its documented security does not require bearerAuth")
		case r.Auth == Public && !anonymous:
			out = append(out, key+" is public but documented as needing sign-in")
		}
	}
	for key := range ops {
		if !served[key] {
			out = append(out, key+" is documented but not in the route table")
		}
	}
	sort.Strings(out)
	return out
}

func TestOpenAPIDocument(t *testing.T) {
	ts := newTestServer(t, "sqlite")
	d := loadSpec(t)
	routes := ts.Server.Routes()

	t.Run("it is OpenAPI 3.1.0 titled Hearth API, version 1", func(t *testing.T) {
		if d["openapi"] != "3.1.0" {
			t.Errorf("openapi = %v", d["openapi"])
		}
		info := jsonObj(d["info"])
		if info["title"] != "Hearth API" || info["version"] != "1" {
			t.Errorf("info = %v", info)
		}
		if s := jsonObj(jsonObj(jsonObj(d["components"])["securitySchemes"])["bearerAuth"]); s["type"] != "http" || s["scheme"] != "bearer" {
			t.Errorf("bearerAuth = %v", s)
		}
	})

	t.Run("every API route is documented with its method and sign-in rule, and nothing else is", func(t *testing.T) {
		n := 0
		for _, r := range routes {
			if r.API {
				n++
			}
		}
		if n < 20 {
			t.Fatalf("only %d API routes in the table", n)
		}
		for _, m := range routeDocMismatches(routes, d) {
			t.Error(m)
		}
	})

	t.Run("a route added without documentation, or documentation without a route, is caught", func(t *testing.T) {
		extra := append(slices.Clone(routes), Route{Method: "GET", Path: "/api/v1/secrets", API: true, Auth: Public})
		if got := routeDocMismatches(extra, d); !slices.Contains(got, "GET /api/v1/secrets is served but not documented in openapi.json") {
			t.Errorf("an undocumented route went unnoticed: %q", got)
		}
		var fewer []Route
		for _, r := range routes {
			if !(r.API && r.Method == "DELETE") {
				fewer = append(fewer, r)
			}
		}
		if got := routeDocMismatches(fewer, d); !slices.Contains(got, "DELETE /api/v1/account/tokens/{id} is documented but not in the route table") {
			t.Errorf("a documented route missing from the table went unnoticed: %q", got)
		}
		wrongAuth := slices.Clone(routes)
		for i, r := range wrongAuth {
			if r.API && r.Path == "/api/v1/account" && r.Method == "GET" {
				wrongAuth[i].Auth = Public
			}
		}
		if got := routeDocMismatches(wrongAuth, d); len(got) != 1 {
			t.Errorf("a changed sign-in rule went unnoticed: %q", got)
		}
	})

	t.Run("every $ref resolves", func(t *testing.T) {
		refs := 0
		var walk func(v any, at string)
		walk = func(v any, at string) {
			switch v := v.(type) {
			case map[string]any:
				if ref, ok := v["$ref"].(string); ok {
					refs++
					if _, ok := d.pointer(ref); !ok {
						t.Errorf("%s: $ref %q does not resolve", at, ref)
					}
				}
				for k, x := range v {
					walk(x, at+"/"+k)
				}
			case []any:
				for i, x := range v {
					walk(x, fmt.Sprintf("%s/%d", at, i))
				}
			}
		}
		walk(map[string]any(d), "#")
		if refs < 50 {
			t.Errorf("only %d $refs: the walk is broken", refs)
		}
	})

	t.Run("every operation has an id, and its error responses use the shared Error schema", func(t *testing.T) {
		ids := map[string]string{}
		for key, op := range d.operations() {
			id, _ := op["operationId"].(string)
			if id == "" {
				t.Errorf("%s has no operationId", key)
			} else if other, dup := ids[id]; dup {
				t.Errorf("%s and %s share operationId %s", key, other, id)
			}
			ids[id] = key
			for status, r := range jsonObj(op["responses"]) {
				if status >= "400" || status == "default" {
					schema := jsonObj(jsonObj(jsonObj(d.deref(r)["content"])["application/json"])["schema"])
					if schema["$ref"] != "#/components/schemas/Error" {
						t.Errorf("%s %s does not answer with the Error schema", key, status)
					}
				}
			}
		}
	})

	t.Run("the enums are the domain's lists", func(t *testing.T) {
		var topics []string
		for _, tp := range hearth.Topics() {
			topics = append(topics, tp.Slug)
		}
		want := map[string][]string{
			"TopicSlug":            topics,
			"Format":               enumStrings(hearth.Formats),
			"Leadership":           enumStrings(hearth.Leaderships),
			"Policy":               enumStrings(hearth.Policies),
			"Visibility":           enumStrings(hearth.Visibilities),
			"Language":             hearth.Languages,
			"AgeBand":              hearth.AgeBands,
			"Gender":               hearth.Genders,
			"Community":            hearth.Communities,
			"AccessibilityFeature": hearth.AccessibilityFeatures,
			"CostKind":             enumStrings(hearth.CostKinds),
			"DayCode":              hearth.DayCodes,
			"Sort":                 enumStrings(hearth.Sorts),
			"Role":                 enumStrings([]hearth.Role{hearth.RoleMember, hearth.RoleFacilitator, hearth.RoleCoFacilitator}),
			"MembershipStatus": enumStrings([]hearth.MembershipStatus{hearth.StatusApplicant, hearth.StatusWaitlisted, hearth.StatusActive,
				hearth.StatusAlumni, hearth.StatusRemoved, hearth.StatusBanned}),
		}
		schemas := jsonObj(jsonObj(d["components"])["schemas"])
		for name, values := range want {
			var got []string
			for _, v := range jsonObj(schemas[name])["enum"].([]any) {
				got = append(got, v.(string))
			}
			if !slices.Equal(got, values) {
				t.Errorf("%s enum = %q, the domain has %q", name, got, values)
			}
		}
	})

	t.Run("the document is served as JSON, publicly cacheable", func(t *testing.T) {
		res, err := http.Get(ts.URL + "/api/v1/openapi.json")
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var got map[string]any
		if err := json.NewDecoder(res.Body).Decode(&got); err != nil {
			t.Fatal(err)
		}
		if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") ||
			!strings.Contains(res.Header.Get("Cache-Control"), "public") || got["openapi"] != "3.1.0" {
			t.Errorf("status %d, Content-Type %q, Cache-Control %q", res.StatusCode, res.Header.Get("Content-Type"), res.Header.Get("Cache-Control"))
		}
	})
}

func enumStrings[T ~string](in []T) []string {
	out := make([]string, len(in))
	for i, v := range in {
		out[i] = string(v)
	}
	return out
}

// queryValue writes an example value as it goes in a URL.
func queryValue(v any) string {
	switch v := v.(type) {
	case []any:
		parts := make([]string, len(v))
		for i, x := range v {
			parts[i] = queryValue(x)
		}
		return strings.Join(parts, ",")
	case float64:
		return fmt.Sprint(v)
	}
	return fmt.Sprint(v)
}

// invalidValue derives, from a parameter's schema, a value the schema
// forbids, or "" when the schema forbids nothing expressible in a URL.
func (d openAPIDoc) invalidValue(schema map[string]any) string {
	schema = d.deref(schema)
	if schema["type"] == "array" {
		return d.invalidValue(jsonObj(schema["items"]))
	}
	switch {
	case schema["enum"] != nil:
		return "no-such-value"
	case schema["maximum"] != nil:
		return fmt.Sprint(schema["maximum"].(float64) + 1)
	case schema["maxLength"] != nil:
		return strings.Repeat("x", int(schema["maxLength"].(float64))+1)
	case schema["pattern"] != nil:
		return "not valid!"
	}
	return ""
}

func TestOpenAPISearchParameters(t *testing.T) {
	d := loadSpec(t)
	forEachEngine(t, func(t *testing.T, ts *testServer) {
		op := d.operations()["GET /api/v1/groups"]
		params := op["parameters"].([]any)
		if len(params) < 24 {
			t.Fatalf("only %d search parameters documented", len(params))
		}
		for _, p := range params {
			p := d.deref(p)
			name := p["name"].(string)
			example, ok := p["example"]
			if !ok {
				t.Errorf("parameter %s has no example", name)
				continue
			}
			t.Run(name+" is accepted with its example value", func(t *testing.T) {
				res := ts.call(t, "GET", "/api/v1/groups?"+url.Values{name: {queryValue(example)}}.Encode(), "", nil)
				res.wantStatus(t, 200)
			})
			if bad := d.invalidValue(jsonObj(p["schema"])); bad != "" {
				t.Run(name+" is read: a value its schema forbids is a 400 naming it", func(t *testing.T) {
					res := ts.call(t, "GET", "/api/v1/groups?"+url.Values{name: {bad}}.Encode(), "", nil)
					res.wantStatus(t, 400)
					named := false
					for _, f := range res.fields() {
						named = named || f == name || strings.HasPrefix(name, f+"_")
					}
					if !named {
						t.Errorf("%s=%s: fields %q do not name %s", name, bad, res.fields(), name)
					}
				})
			}
		}
		t.Run("the places parameters are accepted with their example values", func(t *testing.T) {
			v := url.Values{}
			for _, p := range d.operations()["GET /api/v1/places"]["parameters"].([]any) {
				p := d.deref(p)
				v.Set(p["name"].(string), queryValue(p["example"]))
			}
			res := ts.call(t, "GET", "/api/v1/places?"+v.Encode(), "", nil)
			res.wantStatus(t, 200)
			if len(res.list("places")) == 0 {
				t.Errorf("no places for %s", v.Encode())
			}
		})
	})
}

// ---------------------------------------------------------------------------
// Holding answers to the document

var pathParam = regexp.MustCompile(`\{[^}]+\}`)

// routeRegexp matches the paths a route pattern serves ({slug}: one segment).
func routeRegexp(pattern string) *regexp.Regexp {
	parts := pathParam.Split(pattern, -1)
	for i, p := range parts {
		parts[i] = regexp.QuoteMeta(p)
	}
	return regexp.MustCompile("^" + strings.Join(parts, "[^/]+") + "$")
}

// checkResponse validates an API answer against the documented response for
// its route and status: an undocumented status, a missing or undocumented
// field, a wrong type or an out-of-list value fails the test.
func checkResponse(t testing.TB, routes []Route, method, path string, status int, body []byte) {
	t.Helper()
	d := loadSpec(t)
	var route string
	for _, r := range routes {
		if !r.API || r.Method != method {
			continue
		}
		if routeRegexp(r.Path).MatchString(path) {
			route = r.Path
			break
		}
	}
	if route == "" {
		return // not an API route (a 404 for an unknown address, say)
	}
	op := d.operations()[method+" "+route]
	responses := jsonObj(op["responses"])
	r, ok := responses[fmt.Sprint(status)]
	if !ok {
		if status >= 500 {
			r, ok = responses["default"]
		}
		if !ok {
			t.Errorf("%s %s answered %d, which openapi.json does not document for %s %s", method, path, status, method, route)
			return
		}
	}
	content := jsonObj(d.deref(r)["content"])
	if content == nil {
		if len(strings.TrimSpace(string(body))) != 0 {
			t.Errorf("%s %s %d: documented without a body, answered %q", method, path, status, body)
		}
		return
	}
	schema := jsonObj(jsonObj(content["application/json"])["schema"])
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		t.Errorf("%s %s %d: not JSON: %v", method, path, status, err)
		return
	}
	for _, p := range d.validate(schema, v, "$") {
		t.Errorf("%s %s %d does not match openapi.json: %s", method, path, status, p)
	}
}

// checkRequest validates a request body the server accepted against the
// documented request body of its route: what works must be documented.
func checkRequest(t testing.TB, routes []Route, method, path string, body []byte) {
	t.Helper()
	d := loadSpec(t)
	for _, r := range routes {
		if !r.API || r.Method != method || !routeRegexp(r.Path).MatchString(path) {
			continue
		}
		rb := d.deref(d.operations()[method+" "+r.Path]["requestBody"])
		schema := jsonObj(jsonObj(jsonObj(rb["content"])["application/json"])["schema"])
		if schema == nil {
			t.Errorf("%s %s accepted a body, but openapi.json documents none", method, path)
			return
		}
		var v any
		if err := json.Unmarshal(body, &v); err != nil {
			t.Errorf("%s %s accepted a body that is not JSON: %v", method, path, err)
			return
		}
		for _, p := range d.validate(schema, v, "$") {
			t.Errorf("%s %s accepted a body that openapi.json forbids: %s", method, path, p)
		}
		return
	}
}

// validate checks v against a JSON Schema (the subset openapi.json uses).
func (d openAPIDoc) validate(schema map[string]any, v any, at string) []string {
	if ref, ok := schema["$ref"].(string); ok {
		target, ok := d.pointer(ref)
		if !ok {
			return []string{at + ": unresolved " + ref}
		}
		return d.validate(jsonObj(target), v, at)
	}
	var out []string
	fail := func(format string, args ...any) { out = append(out, at+": "+fmt.Sprintf(format, args...)) }
	if types := schemaTypes(schema["type"]); len(types) > 0 && !slices.ContainsFunc(types, func(ty string) bool { return hasType(v, ty) }) {
		fail("%s is not of type %v", shortJSON(v), types)
		return out
	}
	if e, ok := schema["enum"].([]any); ok && !slices.Contains(e, v) {
		fail("%s is not one of %v", shortJSON(v), e)
	}
	for _, sub := range jsonList(schema["allOf"]) {
		out = append(out, d.validate(jsonObj(sub), v, at)...)
	}
	if one := jsonList(schema["oneOf"]); len(one) > 0 {
		n := 0
		for _, sub := range one {
			if len(d.validate(jsonObj(sub), v, at)) == 0 {
				n++
			}
		}
		if n != 1 {
			fail("%s matches %d of oneOf, not exactly one", shortJSON(v), n)
		}
	}
	switch v := v.(type) {
	case string:
		if n, ok := schema["maxLength"].(float64); ok && float64(len([]rune(v))) > n {
			fail("longer than %v", n)
		}
		if n, ok := schema["minLength"].(float64); ok && float64(len([]rune(v))) < n {
			fail("shorter than %v", n)
		}
		if p, ok := schema["pattern"].(string); ok && !regexp.MustCompile(p).MatchString(v) {
			fail("%q does not match %s", v, p)
		}
		if schema["format"] == "date-time" {
			if _, err := time.Parse(time.RFC3339, v); err != nil {
				fail("%q is not an RFC 3339 time", v)
			}
		}
	case float64:
		if n, ok := schema["minimum"].(float64); ok && v < n {
			fail("%v is below %v", v, n)
		}
		if n, ok := schema["maximum"].(float64); ok && v > n {
			fail("%v is above %v", v, n)
		}
	case []any:
		items := jsonObj(schema["items"])
		for i, x := range v {
			if items != nil {
				out = append(out, d.validate(items, x, fmt.Sprintf("%s[%d]", at, i))...)
			}
		}
		if n, ok := schema["maxItems"].(float64); ok && float64(len(v)) > n {
			fail("more than %v items", n)
		}
	case map[string]any:
		props := jsonObj(schema["properties"])
		for _, req := range jsonList(schema["required"]) {
			if _, ok := v[req.(string)]; !ok {
				fail("required field %q is missing", req)
			}
		}
		for k, x := range v {
			if p, ok := props[k]; ok {
				out = append(out, d.validate(jsonObj(p), x, at+"."+k)...)
			}
		}
		closed := schema["additionalProperties"] == false || schema["unevaluatedProperties"] == false
		if closed {
			known := d.evaluatedProperties(schema)
			for k := range v {
				if !known[k] {
					fail("field %q is not documented", k)
				}
			}
		}
	}
	return out
}

// evaluatedProperties lists the properties a schema and its allOf declare.
func (d openAPIDoc) evaluatedProperties(schema map[string]any) map[string]bool {
	out := map[string]bool{}
	for k := range jsonObj(schema["properties"]) {
		out[k] = true
	}
	for _, sub := range jsonList(schema["allOf"]) {
		for k := range d.evaluatedProperties(d.deref(sub)) {
			out[k] = true
		}
	}
	return out
}

func jsonList(v any) []any { a, _ := v.([]any); return a }

func schemaTypes(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case []any:
		var out []string
		for _, x := range v {
			out = append(out, x.(string))
		}
		return out
	}
	return nil
}

func hasType(v any, ty string) bool {
	switch ty {
	case "null":
		return v == nil
	case "boolean":
		_, ok := v.(bool)
		return ok
	case "string":
		_, ok := v.(string)
		return ok
	case "number":
		_, ok := v.(float64)
		return ok
	case "integer":
		f, ok := v.(float64)
		return ok && f == math.Trunc(f)
	case "array":
		_, ok := v.([]any)
		return ok
	case "object":
		_, ok := v.(map[string]any)
		return ok
	}
	return false
}

func shortJSON(v any) string {
	b, _ := json.Marshal(v)
	if len(b) > 60 {
		return string(b[:60]) + "…"
	}
	return string(b)
}

func TestOpenAPIValidatorCatchesDrift(t *testing.T) {
	d := loadSpec(t)
	group := jsonObj(jsonObj(jsonObj(d["components"])["schemas"])["GroupDetail"])
	good := map[string]any{}
	if problems := d.validate(group, good, "$"); len(problems) == 0 {
		t.Error("an empty object passed as a GroupDetail")
	}
	user := jsonObj(jsonObj(jsonObj(d["components"])["schemas"])["User"])
	u := map[string]any{"id": 1.0, "handle": "river", "locale": "", "time_zone": "", "site_admin": false, "created_at": "2026-01-02T03:04:05Z"}
	if problems := d.validate(user, u, "$"); len(problems) != 0 {
		t.Errorf("a good user failed: %q", problems)
	}
	u["password_hash"] = "x"
	if problems := d.validate(user, u, "$"); len(problems) != 1 {
		t.Errorf("an undocumented field passed: %q", problems)
	}
}
