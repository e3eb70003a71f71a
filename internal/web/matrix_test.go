package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/app"
)

// The authorization matrix (issue 7 §5): every route of the router's table
// — pages, API, WebSocket — requested as each of ten roles against a closed
// group of each visibility, over the real HTTP stack, on SQLite (the
// answers are decided in app and web, above the storage; the board walk
// and the route walk in authz_test.go run the refusals on PostgreSQL too).
//
// Answers are classed: A allowed (the request passed authorization: a
// success, or a validation/conflict answer about the request itself), S
// sign in first (401, or a page's redirect to /signin), F 403, N 404, E a
// server error (always a failure).

// mxClass classes a response.
func mxClass(status int, loc string) byte {
	switch {
	case status >= 500:
		return 'E'
	case status == http.StatusUnauthorized, (status == http.StatusSeeOther || status == http.StatusFound) && strings.HasPrefix(loc, "/signin?next="):
		return 'S'
	case status == http.StatusForbidden:
		return 'F'
	case status == http.StatusNotFound:
		return 'N'
	}
	return 'A'
}

// An expectation is the set of classes a cell may answer.
type mxWant string

const (
	wAllow  mxWant = "A"
	wSignIn mxWant = "S"
	wDeny   mxWant = "FN" // 403 or 404
	wHidden mxWant = "N"  // 404: the thing does not exist for them
	wForbid mxWant = "F"
)

func (w mxWant) allows() bool { return strings.Contains(string(w), "A") }

// mxWS are the WebSocket routes: requested with an upgrade handshake.
func mxWS(path string) bool {
	return strings.HasSuffix(path, "/room/ws") || strings.HasSuffix(path, "/board/live")
}

// mxSafe methods write nothing.
func mxSafe(method string) bool { return method == "GET" || method == "HEAD" || method == "OPTIONS" }

// mxCell is one request's answer.
type mxCell struct {
	status int
	loc    string
	class  byte
	body   string
}

// mxRequest sends one cell: pages with the person's session cookie (same
// origin, so the cross-origin guard lets a form through), the API with the
// person's token; the anonymous role with neither.
func (w *mxWorld) mxRequest(t *testing.T, g *mxGroup, who *mxPerson, b *browser, r Route) mxCell {
	t.Helper()
	key := r.Method + " " + r.Path
	path := r.Path
	for k, v := range g.fill {
		path = strings.ReplaceAll(path, k, v)
	}
	if mxSpareMeeting[key] {
		path = strings.Replace(r.Path, "{meeting}", strconv.FormatInt(g.ids["spare_meeting"], 10), 1)
		for k, v := range g.fill {
			path = strings.ReplaceAll(path, k, v)
		}
	}
	if strings.Contains(key, "/sessions/{id}") {
		path = strings.ReplaceAll(path, "{id}", g.session)
	}
	path = strings.ReplaceAll(path, "{handle}", "mx-bystander") // whose second factor is reset
	if strings.Contains(key, "{id}") {
		path = strings.ReplaceAll(path, "{id}", strconv.FormatInt(mxID(key, g), 10))
	}
	path = strings.TrimSuffix(path, "{$}")
	if path == "/static/" {
		path = "/static/hearth.css"
	}
	if strings.Contains(path, "{") {
		t.Fatalf("%s: no value for a parameter of %s", key, path)
	}
	var body io.Reader
	ctype := ""
	api := r.API || strings.HasPrefix(r.Path, "/api/")
	if api {
		v, ok := mxJSON(g)[key]
		if !ok && !mxSafe(r.Method) {
			v = map[string]any{} // an empty object where the route reads none
		}
		if v != nil {
			raw, _ := json.Marshal(v)
			body, ctype = bytes.NewReader(raw), "application/json"
		}
	} else if !mxSafe(r.Method) {
		f := mxForms(g)[key]
		if f == nil {
			f = url.Values{}
		}
		body, ctype = strings.NewReader(f.Encode()), "application/x-www-form-urlencoded"
	}
	req, err := http.NewRequest(r.Method, w.ts.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	req.Header.Set("Accept-Language", "en")
	if !mxSafe(r.Method) || mxWS(r.Path) {
		req.Header.Set("Origin", w.ts.URL)
		req.Header.Set("Sec-Fetch-Site", "same-origin")
	}
	if mxWS(r.Path) {
		req.Header.Set("Connection", "Upgrade")
		req.Header.Set("Upgrade", "websocket")
		req.Header.Set("Sec-WebSocket-Version", "13")
		req.Header.Set("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
	}
	client := w.ts.Client
	if who != nil {
		switch {
		case api:
			req.Header.Set("Authorization", "Bearer "+who.token)
		default:
			client = b.client
		}
	}
	res, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s: %v", key, err)
	}
	defer res.Body.Close()
	var raw []byte
	if res.StatusCode != http.StatusSwitchingProtocols {
		raw, _ = io.ReadAll(io.LimitReader(res.Body, 1<<16))
	}
	loc := res.Header.Get("Location")
	return mxCell{status: res.StatusCode, loc: loc, class: mxClass(res.StatusCode, loc), body: string(raw)}
}

// mxOwnSession are the page routes that end or replace the session.
var mxOwnSession = map[string]bool{"POST /signin": true, "POST /signup": true, "POST /signout": true, "POST /recover": true,
	"POST /signin/code": true, "POST /account/security/sessions/end-all": true, "POST /account/security/sessions/{id}/end": true,
	"POST /signin/passkey": true}

// person2 is a second browser of the person, with a session of its own.
func (w *mxWorld) person2(t *testing.T, p *mxPerson) *browser {
	t.Helper()
	session, _, err := w.ts.App.StartSessionWith(context.Background(), p.user.ID, app.SessionStart{SecondFactor: true})
	if err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, w.ts, "en")
	base, _ := url.Parse(w.ts.URL)
	b.client.Jar.SetCookies(base, []*http.Cookie{{Name: sessionCookie, Value: session, Path: "/"}})
	return b
}

// mxID is the {id} of a route: whose or which id depends on the route.
func mxID(key string, g *mxGroup) int64 {
	switch {
	case strings.Contains(key, "/sessions/{id}"):
		return 0 // see mxRequest: a session's id is a string
	case strings.Contains(key, "/tokens/"):
		return g.ids["token"] // the active member's spare token
	case strings.Contains(key, "/escalations/"):
		return g.ids["alert"]
	case strings.Contains(key, "/members/{id}/approve"), strings.Contains(key, "/members/{id}/decline"):
		return g.ids["candidate"] // an applicant of no role
	case strings.Contains(key, "/members/{id}/remove"), strings.Contains(key, "/members/{id}/ban"):
		return g.ids["queued"] // a person in line, of no role
	case strings.Contains(key, "/cohorts/"):
		return g.ids["cohort"]
	case strings.HasPrefix(key, "GET /reports/"), strings.Contains(key, " /reports/"), strings.Contains(key, "/api/v1/reports/"):
		return g.ids["report"]
	case strings.Contains(key, "/appeals/"):
		return g.ids["appeal"]
	case strings.Contains(key, "/moderation/{id}/appeal"):
		return g.ids["action"]
	}
	// members, blocks, trusted posters: the active member's membership
	return g.ids["active"]
}

// mxWho is the person of a role for a group (nil for anonymous).
func (w *mxWorld) mxWho(g *mxGroup, role string) *mxPerson {
	if p, ok := g.people[role]; ok {
		return p
	}
	return w.shared[role]
}

// mxUnchecked are the columns a refused request may change, because
// serving any request as someone changes them; every other column of every
// table is compared, whole, before and after each refused write.
var mxUnchecked = map[string]bool{
	// The session a page request comes with records its use: when it was
	// last seen, its sliding idle expiry, the browser's family.
	"sessions.last_seen_at": true, "sessions.expires_at": true, "sessions.agent": true,
	// The token an API request comes with records when it was last used.
	"api_tokens.last_used_at": true,
}

// mxDigests are every table's row count and a digest of its full content
// (all columns but mxUnchecked), so a refused request that updated an
// existing row is seen, not only one that added or removed rows.
func (w *mxWorld) mxDigests(t *testing.T) map[string]string {
	t.Helper()
	d, err := w.db.TableDigests(context.Background(), mxUnchecked)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestAuthorizationMatrix(t *testing.T) {
	w := newMxWorld(t)
	routes := w.ts.Server.Routes()
	keys := map[string]Route{}
	for _, r := range routes {
		keys[r.Method+" "+r.Path] = r
	}
	for _, k := range slices.Sorted(maps.Keys(keys)) {
		if _, ok := mxExpect[k]; !ok {
			t.Errorf("route %s has no entry in mxExpect: say who may call it", k)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(mxExpect)) {
		if _, ok := keys[k]; !ok {
			t.Errorf("mxExpect has %s, which is no longer a route: remove it", k)
		}
	}
	var cells, allowedOK, refusedOK, badAllow, badRefuse, succeeded int
	observed := map[string]map[hearth.Visibility][]byte{}
	rebuilt := map[string]int{}
	// The tables as last digested, and the writer's change count then: a
	// digest is taken again only when some row was written since.
	var last map[string]string
	lastChanges := int64(-1)
	digest := func() map[string]string {
		n, err := w.db.WriteChanges(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if last == nil || n < 0 || n != lastChanges {
			last, lastChanges = w.mxDigests(t), n
		}
		return last
	}
	for _, vis := range mxVisibilities {
		g := w.group(t, vis)
		for _, k := range slices.Sorted(maps.Keys(keys)) {
			r := keys[k]
			rule := mxExpect[k]
			sig := make([]byte, 0, len(mxRoles))
			for _, role := range mxRoles {
				who := w.mxWho(g, role)
				var b *browser
				if who != nil {
					b = who.b
					if mxOwnSession[k] {
						// Signing in, up or out ends or replaces the
						// browser's session: these cells get one of their own.
						b = w.person2(t, who)
					}
				}
				// The tables before a write.
				var before map[string]string
				if !mxSafe(r.Method) {
					before = digest()
				}
				c := w.mxRequest(t, g, who, b, r)
				cells++
				sig = append(sig, c.class)
				if os.Getenv("MX_DEBUG") != "" && strings.Contains(k, os.Getenv("MX_DEBUG")) {
					t.Logf("%s as %s, %s: %d %s %.300s", k, role, vis, c.status, c.loc, c.body) // MX_DEBUG=<part of a route> shows its cells
				}
				var want mxWant = "?"
				if rule != nil {
					want = rule(role, vis)
				}
				where := fmt.Sprintf("%s as %s, %s group", k, role, vis)
				switch {
				case c.class == 'E':
					t.Errorf("%s: server error %d: %.300s", where, c.status, c.body)
				case strings.IndexByte(string(want), c.class) >= 0 && c.class == 'A':
					allowedOK++
					if c.status < 400 {
						succeeded++
					}
				case strings.IndexByte(string(want), c.class) >= 0:
					refusedOK++
				case c.class == 'A':
					badAllow++
					if rule != nil {
						t.Errorf("UNEXPECTED ALLOW: %s: %d %s %.200s (want %s)", where, c.status, c.loc, c.body, want)
					}
				default:
					badRefuse++
					if rule != nil {
						t.Errorf("unexpected refusal: %s: %d %s %.200s (want %s)", where, c.status, c.loc, c.body, want)
					}
				}
				if before != nil && c.class != 'A' {
					if after := digest(); !maps.Equal(before, after) {
						t.Errorf("%s: refused (%d) but tables changed: %v", where, c.status, mxDiff(before, after))
					}
				}
				if who != nil && mxOwnSession[k] && c.class == 'A' {
					who.b = w.person2(t, who) // signed out everywhere: a session again for what follows
				}
				if c.class == 'A' && c.status < 400 && mxConsumed(k, role) {
					if target, ok := mxRefreshes[k]; ok {
						w.refreshTarget(t, g, target) // what the write used up, made anew
					} else {
						rebuilt[k]++
						g = w.group(t, vis) // the write used up the group's state: a fresh one for what follows
					}
				}
			}
			// The leads' requests appoint and add a bystander: the
			// outsiders of the matrix stay outsiders.
			for _, role := range []string{"other_member", "other_org_admin"} {
				if a := w.ts.Actor(t, w.shared[role].token); len(a.FacilitateOf) > 0 || (role == "other_member" && a.Staff()) {
					t.Fatalf("after %s the %s holds a role: %+v", k, role, a)
				}
			}
			if observed[k] == nil {
				observed[k] = map[hearth.Visibility][]byte{}
			}
			observed[k][vis] = sig
		}
	}
	if testing.Verbose() || t.Failed() {
		var b strings.Builder
		fmt.Fprintf(&b, "observed (roles: %s):\n", strings.Join(mxRoles, " "))
		for _, k := range slices.Sorted(maps.Keys(observed)) {
			fmt.Fprintf(&b, "%-80s %s %s %s\n", k, observed[k][hearth.Listed], observed[k][hearth.Unlisted], observed[k][hearth.Private])
		}
		t.Log(b.String())
	}
	t.Logf("Authorization matrix: %d routes × %d roles × %d visibilities = %d requests; allowed as expected %d (%d succeeded outright, the rest answered about the request itself), refused as expected %d, unexpected allows %d, unexpected refusals %d; seeding took %s",
		len(keys), len(mxRoles), len(mxVisibilities), cells, allowedOK, succeeded, refusedOK, badAllow, badRefuse, w.seeding.Round(1e6))
	t.Logf("groups seeded afresh after a consuming write: %v", rebuilt)
	if cells != len(keys)*len(mxRoles)*len(mxVisibilities) {
		t.Errorf("requested %d cells, want %d", cells, len(keys)*len(mxRoles)*len(mxVisibilities))
	}
}

func mxDiff(a, b map[string]string) string {
	var out []string
	for k := range b {
		if a[k] != b[k] {
			out = append(out, fmt.Sprintf("%s %s → %s", k, a[k], b[k]))
		}
	}
	sort.Strings(out)
	return strings.Join(out, ", ")
}

// mxConsumes are the writes that use up what the group's cells rely on
// (a membership left or decided, a cohort ended, a meeting, occurrence or
// post gone, the active member's token, calendar address or appeal used,
// the group's own settings rewritten): after one is allowed for a role
// listed ("" for any role) and succeeded (an answer about the request
// itself changed nothing), the visibility's group is seeded afresh.
var mxConsumes = map[string][]string{
	"DELETE /api/v1/account/tokens/{id}":                       {"active"},
	"POST /account/tokens/{id}/revoke":                         {"active"},
	"DELETE /api/v1/account/calendar":                          {"active"},
	"POST /api/v1/account/calendar":                            {"active"},
	"POST /account/calendar":                                   {"active"},
	"POST /account/security/sessions/{id}/end":                 {"active"},
	"POST /account/security/sessions/end-all":                  {"active"},
	"DELETE /api/v1/groups/{slug}/board/posts/{post}":          {""},
	"POST /groups/{slug}/board/posts/{post}/delete":            {""},
	"POST /groups/{slug}/board/posts/{post}/moderate":          {""},
	"DELETE /api/v1/groups/{slug}/meetings/{meeting}":          {""},
	"POST /groups/{slug}/meetings/{meeting}/delete":            {""},
	"PUT /api/v1/groups/{slug}/meetings/{meeting}":             {""},
	"POST /groups/{slug}/meetings/{meeting}":                   {""},
	"POST /api/v1/groups/{slug}/meetings/{meeting}/exceptions": {""},
	"POST /groups/{slug}/meetings/{meeting}/{at}/change":       {""},
	"POST /api/v1/groups/{slug}/membership/leave":              {""},
	"POST /groups/{slug}/membership/leave":                     {""},
	"POST /api/v1/groups/{slug}/membership/offer/accept":       {""},
	"POST /groups/{slug}/membership/offer/accept":              {""},
	"POST /api/v1/groups/{slug}/membership/offer/decline":      {""},
	"POST /groups/{slug}/membership/offer/decline":             {""},
	"POST /api/v1/groups/{slug}/apply":                         {""},
	"POST /groups/{slug}/apply":                                {""},
	"POST /api/v1/groups/{slug}/members/{id}/approve":          {""},
	"POST /groups/{slug}/members/{id}/approve":                 {""},
	"POST /api/v1/groups/{slug}/members/{id}/decline":          {""},
	"POST /groups/{slug}/members/{id}/decline":                 {""},
	"POST /api/v1/groups/{slug}/members/{id}/remove":           {""},
	"POST /groups/{slug}/members/{id}/remove":                  {""},
	"POST /api/v1/groups/{slug}/members/{id}/ban":              {""},
	"POST /api/v1/groups/{slug}/cohorts/{id}/end":              {""},
	"POST /groups/{slug}/cohorts/{id}/end":                     {""},
	"PUT /api/v1/groups/{slug}/seats":                          {""},
	"POST /groups/{slug}/seats":                                {""},
	"POST /groups/{slug}/edit":                                 {""},
	"POST /api/v1/account/moderation/{id}/appeal":              {""},
	"POST /moderation/{id}/appeal":                             {""},
	"POST /api/v1/appeals/{id}/decision":                       {""},
	"POST /appeals/{id}/decide":                                {""},
	"POST /api/v1/reports/{id}/dismiss":                        {""},
	"POST /reports/{id}/dismiss":                               {""},
	"POST /reports/{id}/act":                                   {""},
	"POST /api/v1/rooms/{room}/events/{seq}/hide":              {""},
}

// mxRefreshes are the consuming writes whose used-up thing is made anew
// (refreshTarget) rather than the whole group seeded again.
var mxRefreshes = map[string]string{
	"DELETE /api/v1/account/tokens/{id}": "token", "POST /account/tokens/{id}/revoke": "token",
	"DELETE /api/v1/account/calendar": "calendar", "POST /api/v1/account/calendar": "calendar", "POST /account/calendar": "calendar",
	"POST /account/security/sessions/{id}/end": "session", "POST /account/security/sessions/end-all": "session",
	"DELETE /api/v1/groups/{slug}/board/posts/{post}": "post", "POST /groups/{slug}/board/posts/{post}/delete": "post",
	"POST /groups/{slug}/board/posts/{post}/moderate": "post",
	"DELETE /api/v1/groups/{slug}/meetings/{meeting}": "spare_meeting", "POST /groups/{slug}/meetings/{meeting}/delete": "spare_meeting",
	"PUT /api/v1/groups/{slug}/meetings/{meeting}": "spare_meeting", "POST /groups/{slug}/meetings/{meeting}": "spare_meeting",
	"POST /api/v1/groups/{slug}/members/{id}/approve": "candidate", "POST /groups/{slug}/members/{id}/approve": "candidate",
	"POST /api/v1/groups/{slug}/members/{id}/decline": "candidate", "POST /groups/{slug}/members/{id}/decline": "candidate",
	"POST /api/v1/groups/{slug}/members/{id}/remove": "queued", "POST /groups/{slug}/members/{id}/remove": "queued",
	"POST /api/v1/groups/{slug}/members/{id}/ban": "queued",
	"POST /api/v1/account/moderation/{id}/appeal": "action", "POST /moderation/{id}/appeal": "action",
	"POST /api/v1/appeals/{id}/decision": "appeal", "POST /appeals/{id}/decide": "appeal",
	"POST /api/v1/reports/{id}/dismiss": "report", "POST /reports/{id}/dismiss": "report", "POST /reports/{id}/act": "report",
	"POST /api/v1/groups/{slug}/meetings/{meeting}/exceptions": "occurrence", "POST /groups/{slug}/meetings/{meeting}/{at}/change": "occurrence",
}

// mxSpareMeeting are the routes that change or delete a meeting: they get
// a spare one, so the occurrence under way stays for the other routes.
var mxSpareMeeting = map[string]bool{
	"DELETE /api/v1/groups/{slug}/meetings/{meeting}": true, "POST /groups/{slug}/meetings/{meeting}/delete": true,
	"PUT /api/v1/groups/{slug}/meetings/{meeting}": true, "POST /groups/{slug}/meetings/{meeting}": true,
}

func mxConsumed(key, role string) bool {
	for _, r := range mxConsumes[key] {
		if r == "" || r == role {
			return true
		}
	}
	return false
}

// mxRule says what a role may get on a route in a group of a visibility.
type mxRule func(role string, vis hearth.Visibility) mxWant

// The role families.
var (
	mxMemberships = []string{"applicant", "waitlisted", "active", "removed", "banned", "facilitator"} // a membership row in the group
	mxSeers       = []string{"active", "facilitator", "site_admin"}                                   // who sees a private group
)

func mxIn(role string, set []string) bool { return slices.Contains(set, role) }

// rPublic: anyone, signed in or not.
func rPublic(string, hearth.Visibility) mxWant { return wAllow }

// rCredential: anyone may try; a wrong or missing code or password is
// answered 401, which is about the credential, not the caller's rights.
func rCredential(string, hearth.Visibility) mxWant { return "AS" }

// rSelf: any account, on its own things.
func rSelf(role string, _ hearth.Visibility) mxWant {
	if role == "anonymous" {
		return wSignIn
	}
	return wAllow
}

// rGroup: the roles named, on the group; anyone else is refused, and in a
// private group whoever does not see it (not an active member, a
// facilitator or an admin) is told it does not exist.
func rGroup(allowed ...string) mxRule {
	return func(role string, vis hearth.Visibility) mxWant {
		switch {
		case role == "anonymous":
			return wSignIn
		case mxIn(role, allowed):
			return wAllow
		case vis == hearth.Private && !mxIn(role, mxSeers):
			return wHidden
		}
		return wDeny
	}
}

// rJoin: any account that sees the group but those named.
func rJoin(refused ...string) mxRule {
	return func(role string, vis hearth.Visibility) mxWant {
		switch {
		case role == "anonymous":
			return wSignIn
		case vis == hearth.Private && !mxIn(role, mxSeers):
			return wHidden
		case mxIn(role, refused):
			return wDeny
		}
		return wAllow
	}
}

// rGroupPublic: a group's public face: anyone, signed in or not, in a
// listed or unlisted group; only who sees it in a private one.
func rGroupPublic(role string, vis hearth.Visibility) mxWant {
	if vis != hearth.Private || mxIn(role, mxSeers) {
		return wAllow
	}
	return wHidden
}

// rPersonal: one's own standing in a group (membership page, application
// form, guidelines): any account in a listed or unlisted group; in a
// private one, those with a membership row and admins.
func rPersonal(role string, vis hearth.Visibility) mxWant {
	switch {
	case role == "anonymous":
		return wSignIn
	case vis != hearth.Private || mxIn(role, mxMemberships) || role == "site_admin":
		return wAllow
	}
	return wHidden
}

// rOwnMembership: acts on one's own membership row (leave, offers,
// contact sharing): whoever has none is told there is none.
func rOwnMembership(role string, _ hearth.Visibility) mxWant {
	switch {
	case role == "anonymous":
		return wSignIn
	case mxIn(role, mxMemberships):
		return wAllow
	}
	return wHidden
}

// rFixed: the roles named, whatever the group's visibility (organization
// and site administration); anyone else refused.
func rFixed(allowed ...string) mxRule {
	return func(role string, _ hearth.Visibility) mxWant {
		switch {
		case role == "anonymous":
			return wSignIn
		case mxIn(role, allowed):
			return wAllow
		}
		return wDeny
	}
}

// rOwnID: a thing addressed by id (a token, a report, an alert, a
// decision): the roles named; for anyone else it does not exist.
func rOwnID(allowed ...string) mxRule {
	return func(role string, _ hearth.Visibility) mxWant {
		switch {
		case role == "anonymous":
			return wSignIn
		case mxIn(role, allowed):
			return wAllow
		}
		return wHidden
	}
}

// rExcept: a rule, with some roles answered otherwise.
func rExcept(base mxRule, roles map[string]mxWant) mxRule {
	return func(role string, vis hearth.Visibility) mxWant {
		if w, ok := roles[role]; ok {
			return w
		}
		return base(role, vis)
	}
}

// rNobody: no role reaches the thing addressed (an address of the matrix's
// own that no seeded thing has: a live room's id, an expired link token).
func rNobody(anonymous mxWant, others mxWant) mxRule {
	return func(role string, _ hearth.Visibility) mxWant {
		if role == "anonymous" {
			return anonymous
		}
		return others
	}
}

var (
	mxLead      = rGroup("facilitator", "site_admin")
	mxLeadOnly  = rGroup("facilitator") // the board's moderation: its facilitators, not site admins
	mxMember    = rGroup("active", "facilitator", "site_admin")
	mxBoardUser = rGroup("active", "facilitator") // the board: its members and facilitators only
	mxWriter    = rGroup("active")                // the post's own writer (the active member wrote {post})
	mxOrgAdmin  = rFixed("site_admin")            // {org} is administered by nobody of the matrix but site admins
	mxStaffQ    = rFixed("facilitator", "other_org_admin", "site_admin")
	mxCaseID    = rOwnID("facilitator", "site_admin") // a report or alert of the group
	mxActiveID  = rOwnID("active")                    // the active member's own token, warning, session
	mxGone      = mxWant("AN")                        // allowed, or 404 for nothing to undo
)

// mxExpect says, for every route of the table, who may call it.
var mxExpect = map[string]mxRule{
	// Operations, static files, public pages and feeds.
	"GET /healthz": rPublic, "GET /readyz": rPublic, "GET /metrics": rPublic, "GET /static/": rPublic, "GET /favicon.ico": rPublic,
	"GET /{$}": rPublic, "GET /help": rPublic, "GET /groups": rPublic, "POST /locale": rPublic, "POST /timezone": rPublic,
	"GET /signup": rPublic, "POST /signup": rPublic, "GET /signin": rPublic, "POST /signin": rPublic, "POST /signout": rPublic,
	"GET /recover": rPublic, "POST /recover": rCredential, "GET /signin/code": rPublic, "POST /signin/code": rCredential,
	"GET /feeds/hearth.json": rPublic, "OPTIONS /feeds/hearth.json": rPublic, "GET /feeds/meeting-guide.json": rPublic,
	"OPTIONS /feeds/meeting-guide.json": rPublic,
	"GET /api/v1/openapi.json":          rPublic, "GET /api/v1/topics": rPublic, "GET /api/v1/places": rPublic, "GET /api/v1/groups": rPublic,
	"GET /api/v1/helplines": rPublic, "POST /api/v1/account": rPublic, "POST /api/v1/tokens": rPublic, "POST /api/v1/account/recover": rCredential,
	"GET /api/v1/organizations/{org}": rPublic,
	// A personal calendar's secret address is its own key; a bad meeting link token is refused.
	"GET /calendar/{file}": rPublic, "GET /go/{token}": rNobody(wForbid, wForbid),

	// One's own account.
	"GET /account": rSelf, "POST /account/preferences": rSelf, "POST /account/tokens": rSelf, "POST /account/reminders": rSelf,
	"GET /account/security": rSelf, "POST /account/security/totp": rSelf, "POST /account/security/totp/confirm": rCredential,
	"POST /account/security/totp/disable": rSelf, "POST /account/security/verify": rSelf, "POST /account/security/sessions/end-all": rSelf,
	"POST /account/security/sessions/{id}/end": mxActiveID, "POST /account/tokens/{id}/revoke": mxActiveID, "DELETE /api/v1/account/tokens/{id}": mxActiveID,
	// Passkeys: the ceremonies are JSON (a form body is a 4xx about the request); {id} is a passkey nobody of the matrix has.
	"POST /account/security/passkeys/options": rSelf, "POST /account/security/passkeys": rSelf,
	"POST /account/security/passkeys/{id}/rename": rNobody(wSignIn, wHidden), "POST /account/security/passkeys/{id}/remove": rNobody(wSignIn, wHidden),
	"GET /signin/passkey": rPublic, "POST /signin/passkey/options": rPublic, "POST /signin/passkey": rCredential,
	"GET /api/v1/account/passkeys": rSelf, "PUT /api/v1/account/passkeys/{id}": rNobody(wSignIn, wHidden), "DELETE /api/v1/account/passkeys/{id}": rNobody(wSignIn, wHidden),
	"GET /notices": rSelf, "POST /notices/read": rSelf, "GET /manage": rSelf, "GET /moderation": rSelf,
	"GET /account/content-warnings": rSelf, "POST /account/content-warnings": rSelf,
	"GET /account/calendar": rSelf, "POST /account/calendar": rSelf,
	"GET /account/safety-plan": rSelf, "POST /account/safety-plan": rSelf, "POST /account/safety-plan/delete": rSelf,
	"GET /account/safety-plan/print": rSelf, "GET /account/safety-plan.json": rSelf,
	"GET /account/export": rSelf, "POST /account/export": rSelf, "GET /api/v1/account/export": rSelf,
	"GET /api/v1/account": rSelf, "PUT /api/v1/account/preferences": rSelf, "GET /api/v1/account/groups": rSelf,
	"GET /api/v1/account/notices": rSelf, "POST /api/v1/account/notices/read": rSelf, "GET /api/v1/account/reminders": rSelf,
	"PUT /api/v1/account/reminders": rSelf, "GET /api/v1/account/tokens": rSelf, "POST /api/v1/account/tokens": rSelf,
	"GET /api/v1/account/calendar": rSelf, "POST /api/v1/account/calendar": rSelf, "DELETE /api/v1/account/calendar": rSelf,
	"GET /api/v1/account/safety-plan": rSelf, "PUT /api/v1/account/safety-plan": rSelf, "DELETE /api/v1/account/safety-plan": rSelf,
	"GET /api/v1/account/content-warnings": rSelf, "PUT /api/v1/account/content-warnings": rSelf,
	"GET /api/v1/account/moderation": rSelf, "GET /api/v1/organizations": rSelf,
	// Erasing one's own account: sent without the confirming password, so
	// each cell reaches the check and erases nothing (the account's owner
	// is the only one it could act on: there is no id in the address).
	"GET /account/delete": rSelf, "POST /account/delete": rSelf, "DELETE /api/v1/account": rSelf,
	// One's own warnings' appeals.
	"POST /moderation/{id}/appeal": mxActiveID, "POST /api/v1/account/moderation/{id}/appeal": mxActiveID,

	// Organizations: {org} is administered by no role of the matrix but the site admin.
	"POST /manage/organizations": mxOrgAdmin, "POST /api/v1/organizations": mxOrgAdmin,
	"GET /manage/{org}": mxOrgAdmin, "POST /manage/{org}/admins": mxOrgAdmin, "GET /manage/{org}/safety": mxOrgAdmin,
	"POST /manage/{org}/safety": mxOrgAdmin, "GET /manage/{org}/audit": mxOrgAdmin, "GET /manage/{org}/groups/new": mxOrgAdmin,
	"POST /manage/{org}/groups": mxOrgAdmin, "GET /manage/{org}/reports": mxOrgAdmin,
	"PUT /api/v1/organizations/{org}": mxOrgAdmin, "GET /api/v1/organizations/{org}/groups": mxOrgAdmin,
	"POST /api/v1/organizations/{org}/groups": mxOrgAdmin, "POST /api/v1/organizations/{org}/admins": mxOrgAdmin,
	"GET /api/v1/organizations/{org}/safety": mxOrgAdmin, "PUT /api/v1/organizations/{org}/safety": mxOrgAdmin,
	"GET /api/v1/organizations/{org}/audit": mxOrgAdmin, "GET /api/v1/organizations/{org}/reports": mxOrgAdmin,
	// Resetting someone's lost second factor (app/factorreset.go): the page
	// is any administrator's; the reset aims at the bystander, in no group
	// of the other organization (404 for its admin), reset by the site admin.
	"GET /manage/second-factor-reset":  rFixed("other_org_admin", "site_admin"),
	"POST /manage/second-factor-reset": rFixed("site_admin"), "POST /api/v1/users/{handle}/second-factor/reset": rFixed("site_admin"),
	// Safety alerts: each person's queue; one alert for the group's staff.
	"GET /safety/escalations": mxStaffQ, "GET /api/v1/safety/escalations": mxStaffQ,
	"GET /safety/escalations/{id}": mxCaseID, "POST /safety/escalations/{id}": mxCaseID,
	"GET /api/v1/safety/escalations/{id}": mxCaseID, "POST /api/v1/safety/escalations/{id}": mxCaseID,
	// Reports and appeals of the group.
	"GET /reports/{id}": mxCaseID, "POST /reports/{id}/act": mxCaseID, "POST /reports/{id}/dismiss": mxCaseID,
	"GET /api/v1/reports/{id}": mxCaseID, "POST /api/v1/reports/{id}/dismiss": mxCaseID,
	// An appeal of the facilitator's own warning is decided by someone else.
	"POST /appeals/{id}/decide":          rExcept(rOwnID("site_admin"), map[string]mxWant{"facilitator": wForbid}),
	"POST /api/v1/appeals/{id}/decision": rExcept(rOwnID("site_admin"), map[string]mxWant{"facilitator": wForbid}),

	// The group's public face.
	"GET /groups/{slug}": rGroupPublic, "GET /api/v1/groups/{slug}": rGroupPublic, "GET /api/v1/groups/{slug}/intake": rGroupPublic,
	"GET /api/v1/groups/{slug}/meetings": rGroupPublic, "GET /api/v1/groups/{slug}/occurrences": rGroupPublic,
	"GET /api/v1/groups/{slug}/meetings/{meeting}/occurrences/{at}": rGroupPublic,
	"GET /groups/{slug}/meetings/{meeting}/next":                    rGroupPublic, "GET /groups/{slug}/meetings/{meeting}/{at}": rGroupPublic,
	// A private group has no public calendar, for anyone.
	"GET /groups/{slug}/calendar.ics": func(role string, vis hearth.Visibility) mxWant {
		if vis == hearth.Private {
			return wHidden
		}
		return wAllow
	},
	// Joining and applying: any account that sees the group (a closed
	// group answers joining with "apply instead"), not who was removed or
	// banned from it; one's own standing.
	"POST /groups/{slug}/join": rJoin(), "POST /api/v1/groups/{slug}/join": rJoin(),
	"POST /groups/{slug}/apply": rJoin("removed", "banned"), "POST /api/v1/groups/{slug}/apply": rJoin("removed", "banned"),
	"GET /groups/{slug}/apply": rPersonal, "GET /groups/{slug}/membership": rPersonal, "GET /api/v1/groups/{slug}/membership": rPersonal,
	"GET /groups/{slug}/membership/leave": rPersonal, "POST /groups/{slug}/membership/guidelines": rOwnMembership,
	"POST /api/v1/groups/{slug}/membership/guidelines": rOwnMembership,
	"POST /groups/{slug}/membership/leave":             rOwnMembership, "POST /api/v1/groups/{slug}/membership/leave": rOwnMembership,
	"POST /groups/{slug}/membership/offer/accept": rOwnMembership, "POST /api/v1/groups/{slug}/membership/offer/accept": rOwnMembership,
	"POST /groups/{slug}/membership/offer/decline": rOwnMembership, "POST /api/v1/groups/{slug}/membership/offer/decline": rOwnMembership,
	"POST /groups/{slug}/membership/contact": rOwnMembership, "PUT /api/v1/groups/{slug}/membership/contact": rOwnMembership,

	// The group's staff: facilitators and admins.
	"GET /groups/{slug}/edit": mxLead, "POST /groups/{slug}/edit": mxLead, "PUT /api/v1/groups/{slug}": mxLead,
	"GET /groups/{slug}/members": mxLead, "GET /api/v1/groups/{slug}/members": mxLead,
	"POST /groups/{slug}/members/{id}/approve": mxLead, "POST /groups/{slug}/members/{id}/decline": mxLead, "POST /groups/{slug}/members/{id}/remove": mxLead,
	"POST /api/v1/groups/{slug}/members/{id}/approve": mxLead, "POST /api/v1/groups/{slug}/members/{id}/decline": mxLead,
	"POST /api/v1/groups/{slug}/members/{id}/remove": mxLead, "POST /api/v1/groups/{slug}/members/{id}/ban": mxLead,
	"POST /groups/{slug}/intake": mxLead, "PUT /api/v1/groups/{slug}/intake": mxLead,
	"POST /groups/{slug}/cohorts": mxLead, "POST /groups/{slug}/cohorts/{id}/end": mxLead, "GET /api/v1/groups/{slug}/cohorts": mxLead,
	"POST /api/v1/groups/{slug}/cohorts": mxLead, "POST /api/v1/groups/{slug}/cohorts/{id}/end": mxLead,
	"POST /groups/{slug}/seats": mxLead, "PUT /api/v1/groups/{slug}/seats": mxLead,
	"GET /api/v1/groups/{slug}/facilitators": mxLead,
	// Appointing facilitators: the organization's admins, not the facilitators.
	"POST /groups/{slug}/facilitators": rGroup("site_admin"), "POST /api/v1/groups/{slug}/facilitators": rGroup("site_admin"),
	"GET /groups/{slug}/meetings": mxLead, "POST /groups/{slug}/meetings": mxLead, "POST /groups/{slug}/meetings/{meeting}": mxLead,
	"POST /groups/{slug}/meetings/{meeting}/delete": mxLead, "POST /groups/{slug}/meeting-policy": mxLead,
	"POST /groups/{slug}/meeting-links/{meeting}/{person}": mxLead, "POST /groups/{slug}/meetings/{meeting}/{at}/change": mxLead,
	"POST /groups/{slug}/meetings/{meeting}/{at}/attendance": mxLead, "POST /groups/{slug}/room-settings": mxLead,
	"POST /api/v1/groups/{slug}/meetings": mxLead, "PUT /api/v1/groups/{slug}/meetings/{meeting}": mxLead,
	"DELETE /api/v1/groups/{slug}/meetings/{meeting}": mxLead, "POST /api/v1/groups/{slug}/meetings/{meeting}/exceptions": mxLead,
	"DELETE /api/v1/groups/{slug}/meetings/{meeting}/exceptions/{at}":          rExcept(mxLead, map[string]mxWant{"facilitator": mxGone, "site_admin": mxGone}),
	"GET /api/v1/groups/{slug}/meetings/{meeting}/occurrences/{at}/attendance": mxLead,
	"PUT /api/v1/groups/{slug}/meetings/{meeting}/occurrences/{at}/attendance": mxLead,
	"GET /api/v1/groups/{slug}/meeting-policy":                                 mxLead, "PUT /api/v1/groups/{slug}/meeting-policy": mxLead,
	"GET /api/v1/groups/{slug}/room-settings": mxLead, "PUT /api/v1/groups/{slug}/room-settings": mxLead,
	"DELETE /api/v1/groups/{slug}/meetings/{meeting}/links/{person}": mxLead, "POST /api/v1/groups/{slug}/meetings/{meeting}/links/{person}": mxLead,
	"GET /groups/{slug}/reports": mxLead, "GET /api/v1/groups/{slug}/reports": mxLead,
	"POST /groups/{slug}/moderation/settings": mxLead, "GET /api/v1/groups/{slug}/moderation/settings": mxLead,
	"PUT /api/v1/groups/{slug}/moderation/settings": mxLead, "POST /api/v1/groups/{slug}/moderation/actions": mxLead,
	"POST /api/v1/groups/{slug}/moderation/trusted/{id}": mxLead,

	// Members of the group: attendance, peers, reports, places at a meeting.
	"GET /groups/{slug}/attendance": mxMember, "GET /api/v1/groups/{slug}/attendance": mxMember, "GET /api/v1/groups/{slug}/peers": mxMember,
	"GET /groups/{slug}/report": mxMember, "POST /groups/{slug}/report": rExcept(mxMember, nil), "POST /api/v1/groups/{slug}/reports": mxMember,
	"POST /groups/{slug}/meetings/{meeting}/{at}/rsvp": mxMember, "POST /api/v1/groups/{slug}/meetings/{meeting}/occurrences/{at}/rsvp": mxMember,
	"POST /groups/{slug}/meetings/{meeting}/{at}/rsvp/cancel":               mxMember,
	"DELETE /api/v1/groups/{slug}/meetings/{meeting}/occurrences/{at}/rsvp": rExcept(mxMember, map[string]mxWant{"active": mxGone, "facilitator": mxGone, "site_admin": mxGone}),
	// Blocking a member: the group's people; unblocking through the API
	// is a no-op on one's own block list for anyone who may see the group.
	"POST /groups/{slug}/blocks/{id}": mxBoardUser, "PUT /api/v1/groups/{slug}/blocks/{id}": mxBoardUser,
	"POST /groups/{slug}/blocks/{id}/delete": mxMember,
	"DELETE /api/v1/groups/{slug}/blocks/{id}": func(role string, vis hearth.Visibility) mxWant {
		return rPersonal(role, vis)
	},
	// The live room of the occurrence under way: its members and facilitators.
	"GET /groups/{slug}/meetings/{meeting}/{at}/room":    rOwnID("active", "facilitator"),
	"GET /groups/{slug}/meetings/{meeting}/{at}/room/ws": rOwnID("active", "facilitator"),
	// A room and a message in it by id: the matrix has no live room (room 0): nobody reaches it.
	"GET /rooms/{room}": rNobody(wSignIn, wHidden), "POST /api/v1/rooms/{room}/events/{seq}/report": rNobody(wSignIn, wHidden),
	"POST /api/v1/rooms/{room}/events/{seq}/hide": rNobody(wSignIn, wHidden),

	// The board: its members and facilitators read and write; site admins do not read it.
	"GET /groups/{slug}/board": mxBoardUser, "POST /groups/{slug}/board": mxBoardUser, "GET /groups/{slug}/board/new": mxBoardUser,
	"GET /groups/{slug}/board/live": mxBoardUser, "GET /groups/{slug}/board/{thread}": mxBoardUser,
	"POST /groups/{slug}/board/{thread}/replies": mxBoardUser, "GET /groups/{slug}/board/posts/{post}": mxBoardUser,
	"POST /groups/{slug}/board/posts/{post}/reactions": mxBoardUser, "GET /groups/{slug}/board/posts/{post}/report": mxBoardUser,
	"POST /groups/{slug}/board/posts/{post}/report": rGroup("active", "facilitator", "site_admin"),
	"GET /api/v1/groups/{slug}/board":               mxBoardUser, "POST /api/v1/groups/{slug}/board/threads": mxBoardUser,
	"GET /api/v1/groups/{slug}/board/threads/{thread}": mxBoardUser, "POST /api/v1/groups/{slug}/board/threads/{thread}/replies": mxBoardUser,
	"GET /api/v1/groups/{slug}/board/posts/{post}":                  mxBoardUser,
	"PUT /api/v1/groups/{slug}/board/posts/{post}/reactions/{kind}": mxBoardUser, "DELETE /api/v1/groups/{slug}/board/posts/{post}/reactions/{kind}": mxBoardUser,
	// A post's own writer edits and deletes it, not its facilitators.
	"GET /groups/{slug}/board/posts/{post}/edit": mxWriter, "POST /groups/{slug}/board/posts/{post}/edit": mxWriter,
	"GET /groups/{slug}/board/posts/{post}/delete": mxWriter, "POST /groups/{slug}/board/posts/{post}/delete": mxWriter,
	"PUT /api/v1/groups/{slug}/board/posts/{post}": mxWriter, "DELETE /api/v1/groups/{slug}/board/posts/{post}": mxWriter,
	// The board's moderation: its facilitators; site admins change its settings but read no post.
	"GET /groups/{slug}/board/posts/{post}/history": mxLeadOnly, "GET /api/v1/groups/{slug}/board/posts/{post}/history": mxLeadOnly,
	"POST /groups/{slug}/board/posts/{post}/approve": mxLeadOnly, "POST /api/v1/groups/{slug}/board/posts/{post}/approve": mxLeadOnly,
	"POST /groups/{slug}/board/posts/{post}/moderate": mxLeadOnly, "GET /groups/{slug}/board/settings": mxLeadOnly,
	"POST /groups/{slug}/board/settings": mxLead, "GET /api/v1/groups/{slug}/board/settings": mxLead, "PUT /api/v1/groups/{slug}/board/settings": mxLead,
}

// mxRolesExcept is every role but those named.
func mxRolesExcept(not ...string) []string {
	var out []string
	for _, r := range mxRoles {
		if !slices.Contains(not, r) {
			out = append(out, r)
		}
	}
	return out
}

// mxForms are the page forms: each one a request that succeeds for a
// role allowed to make it, so a refusal is the permission check answering.
func mxForms(g *mxGroup) map[string]url.Values {
	id := func(k string) string { return strconv.FormatInt(g.ids[k], 10) }
	meeting := url.Values{"frequency": {"weekly"}, "day": {"tue"}, "start_date": {"2030-01-01"}, "start_time": {"18:30"},
		"duration_minutes": {"60"}, "ends": {"ongoing"}, "mode": {"in_person"}}
	f := map[string]url.Values{
		"POST /groups/{slug}/membership/guidelines":              {"accept_guidelines": {"yes"}},
		"POST /manage/second-factor-reset":                       {"handle": {"mx-bystander"}, "reason": {"matrix: lost phone and codes"}},
		"POST /locale":                                           {"lang": {"en"}},
		"POST /timezone":                                         {"tz": {"America/Chicago"}},
		"POST /signup":                                           {"handle": {"mx-new-" + g.slug}, "password": {testPassword}, "password_confirm": {testPassword}},
		"POST /signin":                                           {"login": {"mx-bystander"}, "password": {testPassword}},
		"POST /recover":                                          {"handle": {"mx-bystander"}, "code": {"not-the-code"}, "password": {testPassword}, "password_confirm": {testPassword}},
		"POST /account/preferences":                              {"locale": {"en"}, "time_zone": {"America/Chicago"}},
		"POST /account/tokens":                                   {"name": {"matrix"}},
		"POST /account/reminders":                                {"board_digest_shown": {"1"}},
		"POST /account/safety-plan":                              {"warning_signs": {"Not sleeping"}},
		"POST /account/safety-plan/delete":                       {"confirm": {"yes"}},
		"POST /manage/organizations":                             {"name": {"Matrix Made Org"}},
		"POST /manage/{org}/admins":                              {"handle": {"mx-bystander"}},
		"POST /manage/{org}/groups":                              openGroupForm("Matrix Made Group " + g.slug),
		"POST /groups/{slug}/join":                               {"pseudonym": {"Joiner"}, "accept_guidelines": {"yes"}},
		"POST /groups/{slug}/apply":                              {"pseudonym": {"Applier"}, "accept_guidelines": {"yes"}, "commit_sessions": {"yes"}},
		"POST /groups/{slug}/membership/contact":                 {"share_email": {"yes"}},
		"POST /groups/{slug}/edit":                               formWith(closedGroupForm("Matrix Renamed"), map[string][]string{"visibility": {string(g.vis)}}),
		"POST /groups/{slug}/facilitators":                       {"handle": {"mx-bystander"}, "pseudonym": {"Co-lead"}, "role": {"facilitator"}},
		"POST /groups/{slug}/members/{id}/approve":               {"message": {"Welcome"}},
		"POST /groups/{slug}/members/{id}/decline":               {"message": {"Sorry"}},
		"POST /groups/{slug}/members/{id}/remove":                {"reason": {"Matrix removal"}},
		"POST /groups/{slug}/intake":                             {"prompt_1": {"Why do you want to join?"}, "required_1": {"yes"}},
		"POST /groups/{slug}/cohorts":                            {"cap": {"8"}, "sessions": {"6"}, "opens": {"2027-06-01"}, "closes": {"2027-06-20"}, "starts": {"2027-07-01"}},
		"POST /groups/{slug}/seats":                              {"cap": {"1"}, "offer_hours": {"24"}},
		"POST /groups/{slug}/report":                             {"subject_kind": {"post"}, "subject_id": {id("opening")}, "reason": {"spam"}},
		"POST /groups/{slug}/moderation/settings":                {"new_member_days": {"0"}, "new_member_posts_per_hour": {"120"}, "posts_per_hour": {"600"}},
		"POST /reports/{id}/act":                                 {"kind": {"warn"}, "reason": {"spam"}},
		"POST /appeals/{id}/decide":                              {"decision": {"uphold"}},
		"POST /moderation/{id}/appeal":                           {"note": {"I did not."}},
		"POST /groups/{slug}/meetings":                           meeting,
		"POST /groups/{slug}/meetings/{meeting}":                 meeting,
		"POST /groups/{slug}/meeting-policy":                     {"publish_link": {"no"}, "link_lead_minutes": {"30"}},
		"POST /groups/{slug}/room-settings":                      {"room_retention_days": {"30"}, "room_lead_minutes": {"60"}},
		"POST /groups/{slug}/meeting-links/{meeting}/{person}":   {"action": {"revoke"}},
		"POST /groups/{slug}/meetings/{meeting}/{at}/change":     {"action": {"cancel"}, "note": {"Cancelled"}},
		"POST /groups/{slug}/meetings/{meeting}/{at}/attendance": {"mark_" + g.fill["{person}"]: {"present"}},
		"POST /safety/escalations/{id}":                          {"do": {"acknowledge"}},
		"POST /manage/{org}/safety":                              {"on_call": {""}, "ack_minutes": {"5"}},
	}
	for k, v := range boardForms {
		f[k] = v
	}
	return f
}

// mxJSON are the API bodies, likewise.
func mxJSON(g *mxGroup) map[string]any {
	meeting := map[string]any{"start": "2030-01-01T18:30", "duration_minutes": 60, "rrule": "FREQ=WEEKLY;BYDAY=TU", "ongoing": true,
		"attend": map[string]any{"mode": "in_person"}}
	at, _ := strconv.ParseInt(g.fill["{at}"], 10, 64)
	j := map[string]any{
		"POST /api/v1/groups/{slug}/membership/guidelines":                         map[string]any{"accept_guidelines": true},
		"POST /api/v1/account":                                                     map[string]any{"handle": "mx-api-" + g.slug, "password": testPassword},
		"POST /api/v1/tokens":                                                      map[string]any{"handle": "mx-bystander", "password": testPassword, "name": "matrix"},
		"POST /api/v1/account/recover":                                             map[string]any{"handle": "mx-bystander", "recovery_code": "not-the-code", "password": testPassword},
		"POST /api/v1/users/{handle}/second-factor/reset":                          map[string]any{"reason": "matrix: lost phone and codes"},
		"PUT /api/v1/account/preferences":                                          map[string]any{"locale": "en", "time_zone": "America/Chicago"},
		"PUT /api/v1/account/reminders":                                            map[string]any{"day_before": true, "hour_before": true},
		"POST /api/v1/account/tokens":                                              map[string]any{"name": "matrix"},
		"PUT /api/v1/account/safety-plan":                                          map[string]any{"plan": map[string]any{"warning_signs": []string{"Not sleeping"}}},
		"POST /api/v1/organizations":                                               map[string]any{"slug": "mx-made-" + g.slug, "name": "Matrix Made Org"},
		"PUT /api/v1/organizations/{org}":                                          map[string]any{"name": "Matrix Org"},
		"POST /api/v1/organizations/{org}/admins":                                  map[string]any{"handle": "mx-bystander"},
		"POST /api/v1/organizations/{org}/groups":                                  groupBody("mx-made-"+g.slug, "Matrix Made Group"),
		"PUT /api/v1/organizations/{org}/safety":                                   map[string]any{"on_call": []string{}, "ack_minutes": 5},
		"PUT /api/v1/groups/{slug}":                                                g.body,
		"POST /api/v1/groups/{slug}/facilitators":                                  map[string]any{"handle": "mx-bystander", "pseudonym": "Co-lead", "role": "facilitator"},
		"POST /api/v1/groups/{slug}/join":                                          map[string]any{"pseudonym": "Joiner", "accept_guidelines": true},
		"POST /api/v1/groups/{slug}/apply":                                         map[string]any{"pseudonym": "Applier", "accept_guidelines": true, "commit_sessions": true},
		"PUT /api/v1/groups/{slug}/membership/contact":                             map[string]any{"share_email": true},
		"PUT /api/v1/groups/{slug}/intake":                                         map[string]any{"questions": []any{map[string]any{"prompt": "Why?", "required": true}}},
		"POST /api/v1/groups/{slug}/members/{id}/approve":                          map[string]any{"message": "Welcome"},
		"POST /api/v1/groups/{slug}/members/{id}/decline":                          map[string]any{"message": "Sorry"},
		"POST /api/v1/groups/{slug}/members/{id}/remove":                           map[string]any{"reason": "Matrix removal"},
		"POST /api/v1/groups/{slug}/members/{id}/ban":                              map[string]any{"reason": "Matrix ban"},
		"POST /api/v1/groups/{slug}/cohorts":                                       map[string]any{"cap": 8, "sessions": 6, "opens": "2027-06-01", "closes": "2027-06-20", "starts": "2027-07-01"},
		"POST /api/v1/groups/{slug}/cohorts/{id}/end":                              map[string]any{},
		"PUT /api/v1/groups/{slug}/seats":                                          map[string]any{"cap": 1, "offer_hours": 24},
		"POST /api/v1/groups/{slug}/meetings":                                      meeting,
		"PUT /api/v1/groups/{slug}/meetings/{meeting}":                             meeting,
		"POST /api/v1/groups/{slug}/meetings/{meeting}/exceptions":                 map[string]any{"original_start": time.Unix(at, 0).UTC().Format(time.RFC3339), "action": "cancel"},
		"PUT /api/v1/groups/{slug}/meetings/{meeting}/occurrences/{at}/attendance": map[string]any{"marks": map[string]any{g.fill["{person}"]: "present"}},
		"PUT /api/v1/groups/{slug}/meeting-policy":                                 map[string]any{"publish_link": false, "link_lead_minutes": 30},
		"PUT /api/v1/groups/{slug}/room-settings":                                  map[string]any{"room_retention_days": 30, "room_lead_minutes": 60},
		"POST /api/v1/safety/escalations/{id}":                                     map[string]any{"acknowledge": true},
		"POST /api/v1/groups/{slug}/reports":                                       map[string]any{"subject": map[string]any{"kind": "post", "id": g.ids["opening"]}, "reason": "spam"},
		"POST /api/v1/groups/{slug}/moderation/actions": map[string]any{"subject": map[string]any{"kind": "member", "id": g.ids["active"]},
			"kind": "warn", "reason": "guidelines"},
		"PUT /api/v1/groups/{slug}/moderation/settings": map[string]any{"new_member_days": 0, "new_member_posts_per_hour": 120, "posts_per_hour": 600},
		"POST /api/v1/account/moderation/{id}/appeal":   map[string]any{"note": "I did not."},
		"POST /api/v1/appeals/{id}/decision":            map[string]any{"overturn": false},
		"PUT /api/v1/account/content-warnings":          map[string]any{"hide": []string{}},
		"POST /api/v1/account/notices/read":             map[string]any{},
	}
	for k, v := range boardJSONBodies {
		j[k] = v
	}
	return j
}
