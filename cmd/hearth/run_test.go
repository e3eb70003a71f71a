package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func runCmd(t *testing.T, env map[string]string, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), append([]string{"hearth"}, args...), func(k string) string { return env[k] }, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func TestCommandLine(t *testing.T) {
	data := t.TempDir()
	env := map[string]string{"HEARTH_DATA": data}
	t.Run("help and version exit 0", func(t *testing.T) {
		for _, args := range [][]string{{"help"}, {"version"}, {"serve", "--help"}, {"admin", "create-user", "--help"}, {"admin", "help"}} {
			if code, _, _ := runCmd(t, env, "", args...); code != 0 {
				t.Errorf("%v exited %d", args, code)
			}
		}
	})
	t.Run("every command's help says what it does", func(t *testing.T) {
		_, _, e := runCmd(t, env, "", "serve", "--help")
		if !strings.Contains(e, "HEARTH_DATABASE_URL") || !strings.Contains(e, "--demo") && !strings.Contains(e, "-demo") {
			t.Fatal(e)
		}
	})
	t.Run("unknown commands and bad flags exit 2 with a message", func(t *testing.T) {
		for _, args := range [][]string{{}, {"fly"}, {"serve", "--no-such-flag"}, {"serve", "--log-level", "loud"}, {"serve", "--shutdown-timeout", "soon"},
			{"admin"}, {"admin", "create-user"}, {"admin", "add-org-admin", "--org", "x"}} {
			code, _, e := runCmd(t, env, "", args...)
			if code != 2 || e == "" {
				t.Errorf("%v exited %d: %q", args, code, e)
			}
		}
	})
	t.Run("create-user makes a site admin and prints the password and recovery code once", func(t *testing.T) {
		code, out, e := runCmd(t, env, "", "admin", "create-user", "--handle", "First-Admin", "--site-admin")
		if code != 0 || !strings.Contains(out, `site admin account "first-admin"`) || !strings.Contains(out, "Password (shown once): ") || !strings.Contains(out, "Recovery code") {
			t.Fatalf("%d %q %q", code, out, e)
		}
	})
	t.Run("create-user reads a password from stdin and refuses a weak one", func(t *testing.T) {
		if code, _, e := runCmd(t, env, "short\n", "admin", "create-user", "--handle", "second", "--password-stdin"); code != 2 || !strings.Contains(e, "at least") {
			t.Fatalf("%d %q", code, e)
		}
		code, out, _ := runCmd(t, env, "a long enough passphrase\n", "admin", "create-user", "--handle", "second", "--password-stdin")
		if code != 0 || strings.Contains(out, "Password (shown once)") {
			t.Fatalf("%d %q", code, out)
		}
	})
	t.Run("a taken handle exits 2 and says so", func(t *testing.T) {
		if code, _, e := runCmd(t, env, "", "admin", "create-user", "--handle", "second"); code != 2 || !strings.Contains(e, "taken") {
			t.Fatalf("%d %q", code, e)
		}
	})
	t.Run("add-org-admin names a missing organization", func(t *testing.T) {
		if code, _, e := runCmd(t, env, "", "admin", "add-org-admin", "--org", "nowhere", "--handle", "second"); code != 2 || !strings.Contains(e, "not found") {
			t.Fatalf("%d %q", code, e)
		}
	})
	t.Run("a non-postgres database URL is refused clearly", func(t *testing.T) {
		code, _, e := runCmd(t, map[string]string{"HEARTH_DATA": data, "HEARTH_DATABASE_URL": "mysql://x"}, "", "admin", "create-user", "--handle", "third")
		if code != 2 || !strings.Contains(e, "postgres://") {
			t.Fatalf("%d %q", code, e)
		}
	})
}
