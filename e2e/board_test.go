package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// boardPerson is one account board.mjs signs in with.
type boardPerson struct {
	Login    string `json:"login"`
	Password string `json:"password"`
	Name     string `json:"name"` // the pseudonym in the group ("" for the outsider)
}

// boardSetup is what board.mjs is given.
type boardSetup struct {
	Base        string        `json:"base"`
	Slug        string        `json:"slug"`
	Group       string        `json:"group"` // the group's name
	Facilitator boardPerson   `json:"facilitator"`
	Members     []boardPerson `json:"members"` // Alba (writes), Bruno (collapse, then show), Carmen (hide; the anonymous post)
	Outsider    boardPerson   `json:"outsider"`
	OutsiderTok string        `json:"outsider_token"` // for the API, besides the pages
}

// TestGroupBoardInTheBrowser is issue 6's "done means" in Chromium
// (board.mjs): a closed caregivers' group whose cohort is under way, a
// facilitator and three members, and someone outside the group. A member
// starts a thread behind the content warning "death" and replies; a member
// who kept the default sees it collapsed and opens it with the keyboard; a
// member who chose "hide" sees one line in its place; a reader who chose
// "show" sees it open. An anonymous post in crisis shows its writer help at
// once, other members "a member", and reaches the facilitator's safety
// queue, whose link leads to the post and who wrote it. A script tag and a
// javascript: link are harmless. The outsider gets no board page and reads
// no title. Without JavaScript a member reads and replies; at 360 px no page
// scrolls sideways; axe-core finds nothing on the board, thread, new-thread
// and content-warning pages in English and Spanish. A new member's post
// with a web address comes back on the form with the words kept. With the
// board open on one page, a reply by someone else makes its polite live
// region say "New posts".
func TestGroupBoardInTheBrowser(t *testing.T) {
	env := requireBrowserEnv(t)
	bin := buildHearth(t, env)
	data := t.TempDir()
	adminHandle, adminPassword := createSiteAdmin(t, bin, data)
	base := startHearthWith(t, bin, hearthOptions{Data: data})

	adminTok := apiCall(t, base, "POST", "/api/v1/tokens", "", map[string]any{"login": adminHandle, "password": adminPassword}, 201)["token"].(string)
	apiCall(t, base, "POST", "/api/v1/organizations", adminTok, map[string]any{"slug": "harbor-care", "name": "Harbor Care"}, 201)
	// A closed group whose cohort started three days ago: between sessions.
	now := time.Now().UTC()
	slug, name := "caregivers-circle", "Caregivers Circle"
	apiCall(t, base, "POST", "/api/v1/organizations/harbor-care/groups", adminTok, map[string]any{
		"slug": slug, "name": name, "description": "A closed circle for people caring for a parent or partner with dementia.",
		"topics": []string{"dementia-caregivers"}, "format": "online", "leadership": "professional_led", "policy": "closed",
		"languages": []string{"en", "es"}, "audience": map[string]any{"age_band": "adults", "gender": "any"},
		"cost":     map[string]any{"kind": "free"},
		"location": map[string]any{"city": "Austin", "country": "US", "time_zone": "America/Chicago"},
		"schedule": map[string]any{"weekday": "thursday", "start": "19:00", "duration_minutes": 90},
		"enrollment": map[string]any{"cap": 8, "sessions": 8,
			"opens": now.AddDate(0, 0, -20).Format(time.DateOnly), "closes": now.AddDate(0, 0, 10).Format(time.DateOnly),
			"starts": now.AddDate(0, 0, -3).Format(time.DateOnly)},
		"guidelines": "What is said here stays here.",
	}, 201)

	account := func(handle string) (tok, password string) {
		password = "a long enough passphrase for " + handle
		tok = apiCall(t, base, "POST", "/api/v1/account", "", map[string]any{"handle": handle, "password": password}, 201)["token"].(string)
		return tok, password
	}
	facTok, facPassword := account("maya-lead")
	apiCall(t, base, "POST", "/api/v1/groups/"+slug+"/facilitators", adminTok,
		map[string]any{"handle": "maya-lead", "pseudonym": "Maya", "role": "facilitator"}, 201)
	setup := boardSetup{Base: base, Slug: slug, Group: name,
		Facilitator: boardPerson{Login: "maya-lead", Password: facPassword, Name: "Maya"}}
	for _, n := range []string{"Alba", "Bruno", "Carmen"} {
		handle := fmt.Sprintf("carer-%d", len(setup.Members)+1) // never the pseudonym: pages must not leak it
		tok, password := account(handle)
		apiCall(t, base, "POST", "/api/v1/groups/"+slug+"/apply", tok,
			map[string]any{"pseudonym": n, "accept_guidelines": true, "commit_sessions": true}, 201)
		setup.Members = append(setup.Members, boardPerson{Login: handle, Password: password, Name: n})
	}
	applicants, _ := apiCall(t, base, "GET", "/api/v1/groups/"+slug+"/members", facTok, nil, 200)["applicants"].([]any)
	if len(applicants) != 3 {
		t.Fatalf("%d applicants, want 3: %v", len(applicants), applicants)
	}
	for _, a := range applicants {
		id := int64(a.(map[string]any)["id"].(float64))
		// The cohort has started (the test cannot wait for enrollment to
		// close), so the facilitator overrides, as for someone who came to
		// the first session.
		m := apiCall(t, base, "POST", fmt.Sprintf("/api/v1/groups/%s/members/%d/approve", slug, id), facTok,
			map[string]any{"override": true, "override_reason": "Came to the first session."}, 200)
		if m["status"] != "active" {
			t.Fatalf("approved applicant %d is %v, want active", id, m["status"])
		}
	}
	apiCall(t, base, "PUT", "/api/v1/groups/"+slug+"/board/settings", facTok,
		map[string]any{"allow_anonymous": true, "alumni_read": false, "deleted_days": 30}, 200)
	outTok, outPassword := account("someone-else")
	setup.Outsider, setup.OutsiderTok = boardPerson{Login: "someone-else", Password: outPassword}, outTok

	raw, err := json.Marshal(setup)
	if err != nil {
		t.Fatal(err)
	}
	setupFile := filepath.Join(t.TempDir(), "board.json")
	if err := os.WriteFile(setupFile, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	runScript(t, env, "board.mjs", "board", []string{setupFile, ""}, nil)
}
