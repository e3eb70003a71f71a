package e2e

import (
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// Issue 7 §1 and §4: a stolen copy of the database, its WAL, a backup, the
// server's log, the emails it sent and its metrics reveal nothing anyone
// wrote.
//
// TestNothingWrittenIsReadableAtRest runs the real binary on a fresh SQLite
// data folder (log at debug level captured to a file, email to an SMTP sink
// on loopback) and writes a unique marker through every surface where a
// person writes — through the API and the room WebSocket, the way clients
// do — including a crisis text in a post and in a room, so the safety path
// (escalation, alerts, on-call emails) runs. Then it searches, while the
// server runs, every file of the data folder (database, -wal, -shm), a
// `hearth backup` taken beside it and /metrics; and after a clean stop the
// data folder again, the whole log and every email: each marker as
// written, in lower and upper case, in hex and in base64 (three alignments,
// both alphabets). Zero hits.
//
// Text that is published by design is not marked: group names,
// descriptions and guidelines, intake questions (read by anyone applying),
// meeting titles, venue notes and cancellation notes (shown on the
// group's pages), pseudonyms and handles.
func TestNothingWrittenIsReadableAtRest(t *testing.T) {
	if os.Getenv("HEARTH_E2E") != "1" {
		t.Skip("runs the server and writes through every surface (about 20 s): set HEARTH_E2E=1 to run it")
	}
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	bin := buildHearth(t, browserEnv{root: root})
	data := t.TempDir()
	adminHandle, adminPassword := createSiteAdminWith(t, bin, data, nil)
	sink := newSMTPSink(t)
	srv := newCrashServer(t, bin, []string{"--data", data, "--log-level", "debug",
		"--smtp-url", "smtp://" + sink.addr() + "?from=hearth@example.org", "--base-url", "http://hearth.test"},
		// Staff act here through password-made API tokens (as the crash
		// test's site admin does), not a second factor.
		[]string{"HEARTH_STAFF_SECOND_FACTOR=false"})
	srv.start()
	base := srv.base
	var ms markerSet

	// ---- Setup: an organization, a closed group whose cohort is under
	// way, an open online group with a meeting whose room is open, a
	// facilitator of both on the organization's on-call list, and members
	// who gave an email (so notices are emailed).
	adminTok := apiCall(t, base, "POST", "/api/v1/tokens", "", map[string]any{"login": adminHandle, "password": adminPassword}, 201)["token"].(string)
	apiCall(t, base, "POST", "/api/v1/organizations", adminTok, map[string]any{"slug": "quiet-harbor", "name": "Quiet Harbor"}, 201)
	now := time.Now().UTC()
	const closed, open = "sealed-circle", "sealed-night"
	group := func(slug, name, policy string, extra map[string]any) {
		g := map[string]any{
			"slug": slug, "name": name, "description": "A peer circle.",
			"topics": []string{"anxiety"}, "format": "online", "leadership": "peer_led", "policy": policy,
			"languages": []string{"en"}, "audience": map[string]any{"age_band": "adults", "gender": "any"},
			"cost":       map[string]any{"kind": "free"},
			"location":   map[string]any{"city": "Chicago", "country": "US", "time_zone": "America/Chicago"},
			"schedule":   map[string]any{"weekday": "thursday", "start": "19:00", "duration_minutes": 90},
			"guidelines": "What is said here stays here.",
		}
		for k, v := range extra {
			g[k] = v
		}
		apiCall(t, base, "POST", "/api/v1/organizations/quiet-harbor/groups", adminTok, g, 201)
	}
	group(closed, "Sealed Circle", "closed", map[string]any{"enrollment": map[string]any{"cap": 8, "sessions": 8,
		"opens": now.AddDate(0, 0, -20).Format(time.DateOnly), "closes": now.AddDate(0, 0, 10).Format(time.DateOnly),
		"starts": now.AddDate(0, 0, -3).Format(time.DateOnly)}})
	// The control: a published text (the open group's description, stored
	// plainly by design) carries a marker that the search must find in the
	// running database files and the backup — proof that it reads the bytes
	// a leak would be in.
	var control markerSet
	group(open, "Sealed Night", "open", map[string]any{"description": "A peer circle. " + control.new("control: group description")})

	account := func(handle string) string {
		return apiCall(t, base, "POST", "/api/v1/account", "", map[string]any{"handle": handle,
			"password": "a long enough passphrase for " + handle, "email": handle + "@example.org"}, 201)["token"].(string)
	}
	facTok := account("maya-lead")
	for _, slug := range []string{closed, open} {
		apiCall(t, base, "POST", "/api/v1/groups/"+slug+"/facilitators", adminTok,
			map[string]any{"handle": "maya-lead", "pseudonym": "Maya", "role": "facilitator"}, 201)
	}
	apiCall(t, base, "PUT", "/api/v1/organizations/quiet-harbor/safety", adminTok, map[string]any{"on_call": []string{"maya-lead"}, "ack_minutes": 5}, 200)
	for _, slug := range []string{closed, open} {
		apiCall(t, base, "PUT", "/api/v1/groups/"+slug+"/moderation/settings", facTok, map[string]any{
			"new_member_days": 0, "new_member_posts_per_hour": 60, "posts_per_hour": 120, "approve_first_posts": false}, 200)
	}
	apiCall(t, base, "PUT", "/api/v1/groups/"+closed+"/board/settings", facTok,
		map[string]any{"allow_anonymous": true, "alumni_read": false, "deleted_days": 30}, 200)
	apiCall(t, base, "PUT", "/api/v1/groups/"+closed+"/intake", facTok,
		map[string]any{"questions": []map[string]any{{"prompt": "What brings you here?", "required": false}}}, 200)
	qs, _ := apiCall(t, base, "GET", "/api/v1/groups/"+closed+"/intake", facTok, nil, 200)["questions"].([]any)
	if len(qs) != 1 {
		t.Fatalf("intake questions: %v", qs)
	}
	question := qs[0].(map[string]any)["id"]

	// ---- Membership: intake answers, a decision message, an override
	// reason, a decline message, removal and ban reasons.
	people := []string{"Alba", "Bruno", "Carmen", "Dara", "Eli"}
	tok := map[string]string{}
	for _, name := range people {
		tok[name] = account("member-" + strings.ToLower(name))
		apiCall(t, base, "POST", "/api/v1/groups/"+closed+"/apply", tok[name], map[string]any{
			"pseudonym": name, "accept_guidelines": true, "commit_sessions": true,
			"answers": []map[string]any{{"question_id": question, "answer": "Since the winter I " + ms.new("intake answer ("+name+")") + " most nights."}}}, 201)
	}
	membership := map[string]int64{}
	applicants, _ := apiCall(t, base, "GET", "/api/v1/groups/"+closed+"/members", facTok, nil, 200)["applicants"].([]any)
	for _, a := range applicants {
		a := a.(map[string]any)
		membership[a["pseudonym"].(string)] = int64(a["id"].(float64))
	}
	if len(membership) != len(people) {
		t.Fatalf("applicants %v, want %v", membership, people)
	}
	member := func(name, action string) string {
		return fmt.Sprintf("/api/v1/groups/%s/members/%d/%s", closed, membership[name], action)
	}
	for _, name := range []string{"Alba", "Carmen", "Dara", "Eli"} {
		body := map[string]any{"override": true, "override_reason": "Came to the first session."}
		if name == "Alba" {
			body = map[string]any{"override": true, "override_reason": "She came to " + ms.new("override reason") + " in person.",
				"message": "Welcome, we talked about " + ms.new("approval message") + "."}
		}
		apiCall(t, base, "POST", member(name, "approve"), facTok, body, 200)
	}
	apiCall(t, base, "POST", member("Bruno", "decline"), facTok, map[string]any{"message": "Not this time: " + ms.new("decline message")}, 200)
	apiCall(t, base, "POST", member("Carmen", "remove"), facTok, map[string]any{"reason": "Shared " + ms.new("removal reason") + " outside."}, 200)
	apiCall(t, base, "POST", member("Dara", "ban"), facTok, map[string]any{"reason": "Threatened " + ms.new("ban reason") + "."}, 200)

	// ---- Board: a thread (title, body, own-words warning), a reply, an
	// edit of title and body, an anonymous reply in crisis, a search.
	board := "/api/v1/groups/" + closed + "/board"
	th := apiCall(t, base, "POST", board+"/threads", tok["Alba"], map[string]any{
		"title":   "When " + ms.new("board: thread title"),
		"body":    "My mother forgot my name today. " + ms.new("board: thread body"),
		"warning": "about " + ms.new("board: own-words warning")}, 201)
	thread, first := int64(th["thread_id"].(float64)), int64(th["post_id"].(float64))
	rp := apiCall(t, base, "POST", fmt.Sprintf("%s/threads/%d/replies", board, thread), tok["Eli"], map[string]any{
		"body": "Same here. " + ms.new("board: reply")}, 201)
	reply := int64(rp["post_id"].(float64))
	apiCall(t, base, "PUT", fmt.Sprintf("%s/posts/%d", board, first), tok["Alba"], map[string]any{
		"title": "Edited " + ms.new("board: edited title"),
		"body":  "Edited: " + ms.new("board: edited body")}, 200)
	crisisPost := ms.new("board: anonymous reply in crisis")
	cp := apiCall(t, base, "POST", fmt.Sprintf("%s/threads/%d/replies", board, thread), tok["Eli"], map[string]any{
		"body": "I have the pills ready tonight " + crisisPost + ", this is goodbye.", "anonymous": true}, 201)
	if cp["safety"] == nil {
		t.Errorf("the anonymous reply in crisis brought its writer no help: %v", cp)
	}
	apiCall(t, base, "GET", board+"?q="+ms.new("board: search words"), tok["Alba"], nil, 200)

	// The same through the pages, as a browser without JavaScript posts
	// them: a new thread (title, body, own-words warning) and a reply.
	albaPage := signInPage(t, base, "member-alba")
	pageForm(t, albaPage, base+"/groups/"+closed+"/board", url.Values{
		"title": {"Page " + ms.new("page: thread title")}, "body": {"From the form " + ms.new("page: thread body")},
		"warning": {"other"}, "warning_other": {"about " + ms.new("page: own-words warning")}, "key": {"page-thread-1"}})
	pageForm(t, albaPage, fmt.Sprintf("%s/groups/%s/board/%d/replies", base, closed, thread), url.Values{
		"body": {"From the reply form " + ms.new("page: reply")}, "key": {"page-reply-1"}})

	if ts, _ := apiCall(t, base, "GET", board, tok["Alba"], nil, 200)["threads"].([]any); len(ts) != 2 {
		t.Errorf("the board lists %d threads after the API's and the form's, want 2", len(ts))
	}

	// ---- Moderation: a report's note, an action's note, an appeal, an
	// appeal's decision.
	apiCall(t, base, "POST", "/api/v1/groups/"+closed+"/reports", tok["Alba"], map[string]any{
		"subject": map[string]any{"kind": "post", "id": reply}, "reason": "other",
		"note": "This post says " + ms.new("report note (post)") + "."}, 201)
	rep2 := apiCall(t, base, "POST", "/api/v1/groups/"+closed+"/reports", tok["Eli"], map[string]any{
		"subject": map[string]any{"kind": "post", "id": first}, "reason": "other",
		"note": "Please look: " + ms.new("report note (thread)")}, 201)
	reportID := rep2["report"].(map[string]any)["id"]
	apiCall(t, base, "POST", "/api/v1/groups/"+closed+"/moderation/actions", facTok, map[string]any{
		"subject": map[string]any{"kind": "post", "id": first}, "kind": "hide", "reason": "other",
		"note": "Hidden because " + ms.new("moderation action note"), "report_id": reportID}, 201)
	mine, _ := apiCall(t, base, "GET", "/api/v1/account/moderation", tok["Alba"], nil, 200)["actions"].([]any)
	if len(mine) == 0 {
		t.Fatal("Alba sees no decision about her post")
	}
	action := int64(mine[0].(map[string]any)["id"].(float64))
	ap := apiCall(t, base, "POST", fmt.Sprintf("/api/v1/account/moderation/%d/appeal", action), tok["Alba"], map[string]any{
		"note": "It was about " + ms.new("appeal note")}, 201)
	apiCall(t, base, "POST", fmt.Sprintf("/api/v1/appeals/%d/decision", int64(ap["id"].(float64))), adminTok, map[string]any{
		"overturn": true, "note": "Restored: " + ms.new("appeal decision note")}, 200)

	// ---- Safety plan (personal, sealed under the person's own key).
	apiCall(t, base, "PUT", "/api/v1/account/safety-plan", tok["Alba"], map[string]any{
		"warning_signs": []string{"When " + ms.new("safety plan: warning sign")},
		"coping":        []string{"Walk to " + ms.new("safety plan: coping")},
		"people":        []map[string]any{{"name": "Aunt " + ms.new("safety plan: person's name"), "phone": "+1 512 555 0142"}},
		"reasons":       []string{ms.new("safety plan: reasons")}}, 200)

	// ---- Live room: a message, a message in crisis, a round's question
	// and an answer in the round, a report of a message with a note, a
	// hide with a note.
	for _, name := range []string{"Alba", "Eli"} {
		apiCall(t, base, "POST", "/api/v1/groups/"+open+"/join", tok[name], map[string]any{"pseudonym": name, "accept_guidelines": true}, 201)
	}
	chicago, err := time.LoadLocation("America/Chicago")
	if err != nil {
		t.Fatal(err)
	}
	mt := apiCall(t, base, "POST", "/api/v1/groups/"+open+"/meetings", facTok, map[string]any{
		"start": time.Now().Add(2 * time.Minute).In(chicago).Format("2006-01-02T15:04"), "duration_minutes": 90, "rrule": "",
		"attend": map[string]any{"mode": "online", "conference_url": "https://meet.example.org/sealed-night"}}, 201)
	upcoming, _ := mt["upcoming"].([]any)
	if len(upcoming) == 0 {
		t.Fatalf("the new meeting has no upcoming occurrence: %v", mt)
	}
	wsPath := upcoming[0].(map[string]any)["path"].(string) + "/room/ws"
	maya := enterRoom(t, "Maya", base, wsPath, facTok)
	alba := enterRoom(t, "Alba", base, wsPath, tok["Alba"])
	eli := enterRoom(t, "Eli", base, wsPath, tok["Eli"])
	albaSeq := alba.say("a1", "Tonight I keep thinking of "+ms.new("room message"))
	eliCrisis := ms.new("room message in crisis")
	eli.say("e1", "I have the pills ready tonight "+eliCrisis+", nobody will miss me")
	maya.send(map[string]any{"type": "round_start", "round": "question", "question": "What is " + ms.new("room: round question") + " for you?", "seconds": 0})
	maya.waitFor("the round's start", func(f map[string]any) bool {
		ev, _ := f["event"].(map[string]any)
		return f["type"] == "event" && ev["kind"] == "round_start"
	})
	alba.say("a2", "For me it is "+ms.new("room: answer in a round"))
	maya.send(map[string]any{"type": "round_end"})
	rr := apiCall(t, base, "POST", fmt.Sprintf("/api/v1/rooms/%d/events/%d/report", alba.room, albaSeq), tok["Eli"], map[string]any{
		"reason": "other", "note": "It mentions " + ms.new("room: report note")}, 201)
	var roomReport any
	if r, ok := rr["report"].(map[string]any); ok {
		roomReport = r["id"]
	}
	hide := map[string]any{"reason": "other", "note": "Hidden: " + ms.new("room: hide note")}
	if roomReport != nil {
		hide["report_id"] = roomReport
	}
	apiCall(t, base, "POST", fmt.Sprintf("/api/v1/rooms/%d/events/%d/hide", alba.room, albaSeq), facTok, hide, 201)

	// ---- Safety alerts: a note on each escalation the crisis texts
	// opened.
	escs, _ := apiCall(t, base, "GET", "/api/v1/safety/escalations", facTok, nil, 200)["escalations"].([]any)
	if len(escs) < 2 {
		t.Errorf("%d safety alerts for the facilitator, want at least 2 (the anonymous reply and the room message)", len(escs))
	}
	for i, e := range escs {
		apiCall(t, base, "POST", fmt.Sprintf("/api/v1/safety/escalations/%d", int64(e.(map[string]any)["id"].(float64))), facTok, map[string]any{
			"acknowledge": true, "note": "Called her: " + ms.new(fmt.Sprintf("escalation note (%d)", i+1))}, 200)
	}

	// ---- At rest, while the server runs: every file of the data folder
	// (the WAL holds the recent writes), a backup taken beside the server,
	// and /metrics.
	emailsBefore := waitForEmails(t, sink)
	var hay []haystack
	hay = append(hay, folderFiles(t, data, "running")...)
	backup := filepath.Join(t.TempDir(), "hearth-backup.db")
	cmd := exec.Command(bin, "backup", "--data", data, backup)
	cmd.Env = hearthEnv()
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("hearth backup: %v\n%s", describeExit(err), out)
	}
	hay = append(hay, fileHay(t, backup, "backup"))
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	metrics, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || len(metrics) == 0 {
		t.Fatalf("/metrics: HTTP %d, %d bytes", resp.StatusCode, len(metrics))
	}
	hay = append(hay, haystack{"/metrics", metrics})
	walSeen := slices.ContainsFunc(hay, func(h haystack) bool {
		return strings.HasPrefix(h.name, "running: ") && strings.Contains(h.name, "-wal (") && len(h.bytes) > 0
	})
	if !walSeen {
		t.Errorf("no WAL file with bytes in the data folder while the server ran: %v", names(hay))
	}

	// ---- After a clean stop: the data folder again, the log, the emails.
	srv.stop()
	hay = append(hay, folderFiles(t, data, "stopped")...)
	hay = append(hay, fileHay(t, srv.log, "server log"))
	emails := sink.messages()
	if len(emails) == 0 {
		t.Error("no email reached the SMTP sink: the email path was not exercised")
	}
	for i, e := range emails {
		for j, r := range emailReadings(e) {
			hay = append(hay, haystack{fmt.Sprintf("email %d (reading %d)", i+1, j+1), r})
		}
	}

	controls, _ := search(control.list, hay)
	var controlIn []string
	for _, h := range controls {
		if h.form == "plain" {
			controlIn = append(controlIn, h.where)
		}
	}
	if !slices.ContainsFunc(controlIn, func(w string) bool { return strings.HasPrefix(w, "running: hearth.db") }) ||
		!slices.ContainsFunc(controlIn, func(w string) bool { return strings.HasPrefix(w, "backup") }) {
		t.Errorf("the control marker (a published group description) was not found in both the running database files and the backup (found in %v): the search does not read what it should", controlIn)
	}
	mailLinks := 0
	for _, e := range emails {
		if slices.ContainsFunc(emailReadings(e), func(b []byte) bool { return strings.Contains(string(b), "http://hearth.test/") }) {
			mailLinks++
		}
	}
	if mailLinks != len(emails) {
		t.Errorf("%d of %d emails read with a link to Hearth: the email readings are not what was sent", mailLinks, len(emails))
	}

	hits, searched := search(ms.list, hay)
	for _, h := range hits {
		t.Errorf("LEAK: %s", h)
	}
	surfaces := map[string]bool{}
	for _, m := range ms.list {
		s, _, _ := strings.Cut(m.surface, " (")
		surfaces[s] = true
	}
	t.Logf("surfaces written: %s", strings.Join(slices.Sorted(func(yield func(string) bool) {
		for s := range surfaces {
			if !yield(s) {
				return
			}
		}
	}), "; "))
	t.Logf("searched: %s", strings.Join(names(hay), ", "))
	t.Logf("confidentiality: %d markers through %d writing surfaces; %d bytes searched (data folder running and stopped, WAL, backup, log, %d emails (%d by the first check), /metrics); %d hits",
		len(ms.list), len(surfaces), searched, len(emails), emailsBefore, len(hits))
}

// waitForEmails waits until the SMTP sink has had no new message for a
// second (the mail worker sends what was queued at once) and returns how
// many it has; at most 20 s.
func waitForEmails(t *testing.T, sink *smtpSink) int {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	n, quietSince := len(sink.messages()), time.Now()
	for time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
		if m := len(sink.messages()); m != n {
			n, quietSince = m, time.Now()
		} else if n > 0 && time.Since(quietSince) > time.Second {
			break
		}
	}
	return n
}

// folderFiles reads every file of the data folder (the database, its -wal
// and -shm, the master key file, anything else).
func folderFiles(t *testing.T, dir, when string) []haystack {
	t.Helper()
	var out []haystack
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out = append(out, fileHay(t, p, when+": "+rel))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func fileHay(t *testing.T, path, name string) haystack {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	return haystack{name: fmt.Sprintf("%s (%d bytes)", name, len(b)), bytes: b}
}

func names(hs []haystack) []string {
	out := make([]string, len(hs))
	for i, h := range hs {
		out[i] = h.name
	}
	return out
}

// signInPage signs a member in through the sign-in form and returns a
// client holding the session cookie.
func signInPage(t *testing.T, base, handle string) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	c := &http.Client{Jar: jar, Timeout: 10 * time.Second}
	pageForm(t, c, base+"/signin", url.Values{"login": {handle}, "password": {"a long enough passphrase for " + handle}})
	u, _ := url.Parse(base)
	if len(jar.Cookies(u)) == 0 {
		t.Fatalf("signing %s in through the form left no cookie", handle)
	}
	return c
}

// pageForm posts a form as a browser does and requires the page it ends
// on (after redirects) to answer 200.
func pageForm(t *testing.T, c *http.Client, to string, form url.Values) {
	t.Helper()
	resp, err := c.PostForm(to, form)
	if err != nil {
		t.Fatalf("POST %s: %v", to, err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("POST %s: HTTP %d (after redirects, at %s): %.300s", to, resp.StatusCode, resp.Request.URL, body)
	}
}
