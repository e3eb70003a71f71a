package e2e

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"os/exec"
	"strings"
	"testing"
)

// TestFacilitatorRunsACohortAndAnOpenOnlineGroup walks issue 3's "done
// means" through the pages, in a phone-sized browser (facilitator.mjs): on a
// fresh server whose only account is a site admin, the admin creates an
// organization, a closed grief group in Europe/Madrid whose cohort has 2
// seats and 8 sessions every other Tuesday at 18:30 (set on the meetings
// page's plain fields) with one intake question, and an open online anxiety
// group with a protected conference link. Two people apply with answers and
// are approved; a third is approved into the full cohort and is number 1 in
// line; a seated member leaves and the third accepts the offered seat. A
// member joins the anxiety group, RSVPs, sees when the link appears and, for
// a one-off in 10 minutes, a personal /go/ link; logged out, no page shows
// the link. ical.js parses the cohort's public calendar (8 Tuesdays at 18:30
// Madrid on both sides of a daylight-saving change) and the member's private
// one; the Meeting Guide feed lists the anxiety group without its link and
// leaves the every-other-week cohort out. axe-core finds no violation on
// each new page, whose form buttons are reached with Tab.
func TestFacilitatorRunsACohortAndAnOpenOnlineGroup(t *testing.T) {
	env := requireBrowserEnv(t)
	bin := buildHearth(t, env)
	data := t.TempDir()
	handle, password := createSiteAdmin(t, bin, data)
	base := startHearthWith(t, bin, hearthOptions{Data: data})
	runScript(t, env, "facilitator.mjs", "facilitator", []string{base, ""},
		[]string{"HEARTH_E2E_ADMIN=" + handle, "HEARTH_E2E_ADMIN_PASSWORD=" + password})
}

// createSiteAdmin runs `hearth admin create-user --site-admin
// --password-stdin` on the data directory and returns the handle and the
// password it was given.
func createSiteAdmin(t *testing.T, bin, data string) (handle, password string) {
	t.Helper()
	b := make([]byte, 18)
	rand.Read(b)
	handle, password = "site-admin", base64.RawURLEncoding.EncodeToString(b)
	cmd := exec.Command(bin, "admin", "create-user", "--handle", handle, "--site-admin", "--password-stdin", "--data", data)
	cmd.Env = hearthEnv()
	cmd.Stdin = strings.NewReader(password + "\n")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("hearth admin create-user --site-admin: %v\n%s", describeExit(err), out.String())
	}
	if !strings.Contains(out.String(), "site admin") {
		t.Fatalf("hearth admin create-user --site-admin did not say it made a site admin:\n%s", out.String())
	}
	return handle, password
}
