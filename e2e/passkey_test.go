package e2e

import (
	"strings"
	"testing"
)

// TestPasskeySignInInABrowser walks passkeys (issue 7 §3) in headless
// Chromium with a virtual authenticator (passkey.mjs): a site admin, with
// the staff rule on, signs in with the password, adds a passkey on the
// security page from the keyboard (their staff powers count from then
// on), is refused with a wrong password, signs out, signs in with the
// passkey alone and then with password and passkey — each time with staff
// powers. The browser talks to http://localhost: a passkey belongs to a
// host name, and Hearth (without --base-url) takes it from the address the
// request was sent to.
func TestPasskeySignInInABrowser(t *testing.T) {
	env := requireBrowserEnv(t)
	bin := buildHearth(t, env)
	data := t.TempDir()
	handle, password := createSiteAdmin(t, bin, data)
	base := startHearthWith(t, bin, hearthOptions{Data: data, Env: []string{"HEARTH_STAFF_SECOND_FACTOR=true"}})
	base = strings.Replace(base, "127.0.0.1", "localhost", 1)
	runScript(t, env, "passkey.mjs", "passkey", []string{base, ""},
		[]string{"HEARTH_E2E_ADMIN=" + handle, "HEARTH_E2E_ADMIN_PASSWORD=" + password})
}
