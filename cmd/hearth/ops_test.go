package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/app"
)

// The operator's round trip on the command line: back up, restore into an
// empty folder with the right key (and not with a wrong one or none), rotate
// the master key and retire the old one, with a safety plan readable at
// every step.
func TestBackupRestoreAndRotateOnTheCommandLine(t *testing.T) {
	ctx := context.Background()
	data := t.TempDir()
	env := map[string]string{"HEARTH_DATA": data}
	const marker = "I will phone Rosa before the night gets long"
	a, db, err := openAppKeyed(ctx, "", data, "", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	u, _, err := a.CreateUser(ctx, "willow", "", "a long enough passphrase", false)
	if err != nil {
		t.Fatal(err)
	}
	actor := hearth.Actor{UserID: u.ID, Handle: u.Handle}
	if _, err := a.SaveSafetyPlan(ctx, actor, app.SafetyPlanInput{Plan: hearth.SafetyPlan{Coping: []string{marker}}, Lang: "en"}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	readPlan := func(t *testing.T, dir, keyFile string) {
		t.Helper()
		a, db, err := openAppKeyed(ctx, "", dir, keyFile, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		p, err := a.SafetyPlan(ctx, actor, 0)
		if err != nil || len(p.Plan.Coping) != 1 || p.Plan.Coping[0] != marker {
			t.Fatalf("plan %+v, %v", p, err)
		}
	}

	backup := filepath.Join(t.TempDir(), "hearth.backup")
	t.Run("backup writes one 0600 file and says the key is not in it", func(t *testing.T) {
		code, out, e := runCmd(t, env, "", "backup", backup)
		if code != 0 || !strings.Contains(out, "does not contain the master key") || !strings.Contains(out, filepath.Join(data, "master.key")) {
			t.Fatalf("%d %q %q", code, out, e)
		}
		st, err := os.Stat(backup)
		if err != nil || st.Mode().Perm() != 0o600 {
			t.Fatalf("%v %v", st, err)
		}
		b, _ := os.ReadFile(backup)
		if strings.Contains(string(b), marker) {
			t.Fatal("the plan is readable in the backup file")
		}
	})
	t.Run("an existing file is refused without --force", func(t *testing.T) {
		if code, _, e := runCmd(t, env, "", "backup", backup); code != 2 || !strings.Contains(e, "--force") {
			t.Fatalf("%d %q", code, e)
		}
		if code, _, e := runCmd(t, env, "", "backup", "--force", backup); code != 0 {
			t.Fatalf("%d %q", code, e)
		}
	})
	t.Run("a folder without a database is not backed up", func(t *testing.T) {
		empty := t.TempDir()
		code, _, e := runCmd(t, map[string]string{"HEARTH_DATA": empty}, "", "backup", filepath.Join(empty, "x.backup"))
		if code != 2 || !strings.Contains(e, "no Hearth database") {
			t.Fatalf("%d %q", code, e)
		}
		if _, err := os.Stat(filepath.Join(empty, "hearth.db")); err == nil {
			t.Fatal("an empty database was created")
		}
	})
	t.Run("restore needs the master key file that opens the backup", func(t *testing.T) {
		into := t.TempDir()
		code, _, e := runCmd(t, map[string]string{"HEARTH_DATA": into}, "", "restore", backup)
		if code != 2 || !strings.Contains(e, "no master key file") {
			t.Fatalf("%d %q", code, e)
		}
		other := filepath.Join(t.TempDir(), "other.key")
		_, odb, err := openAppKeyed(ctx, "", t.TempDir(), other, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		odb.Close()
		code, _, e = runCmd(t, map[string]string{"HEARTH_DATA": into, "HEARTH_MASTER_KEY_FILE": other}, "", "restore", backup)
		if code != 2 || !strings.Contains(e, "does not open this backup") {
			t.Fatalf("%d %q", code, e)
		}
		if m, _ := filepath.Glob(filepath.Join(into, "*")); len(m) != 0 {
			t.Fatalf("a refused restore left %v", m)
		}
	})
	restored := t.TempDir()
	t.Run("restore into an empty folder with the key brings the plan back", func(t *testing.T) {
		env := map[string]string{"HEARTH_DATA": restored, "HEARTH_MASTER_KEY_FILE": filepath.Join(data, "master.key")}
		code, out, e := runCmd(t, env, "", "restore", backup)
		if code != 0 || !strings.Contains(out, "integrity checked before and after") || !strings.Contains(out, "opens all") {
			t.Fatalf("%d %q %q", code, out, e)
		}
		readPlan(t, restored, filepath.Join(data, "master.key"))
		if code, _, e := runCmd(t, env, "", "restore", backup); code != 2 || !strings.Contains(e, "already holds a database") {
			t.Fatalf("second restore: %d %q", code, e)
		}
	})
	t.Run("rotate-keys adds a key and rewraps; --retire-old removes the old line", func(t *testing.T) {
		code, out, e := runCmd(t, env, "", "admin", "rotate-keys")
		if code != 0 || !strings.Contains(out, "Added master key 2") || !strings.Contains(out, "under master key 2") {
			t.Fatalf("%d %q %q", code, out, e)
		}
		readPlan(t, data, "")
		code, out, e = runCmd(t, env, "", "admin", "rotate-keys", "--retire-old")
		if code != 0 || !strings.Contains(out, "Retired master key 1") {
			t.Fatalf("%d %q %q", code, out, e)
		}
		text, _ := os.ReadFile(filepath.Join(data, "master.key"))
		if strings.Contains(string(text), "hearth-master-key v1 1 ") {
			t.Fatalf("old key still in the file:\n%s", text)
		}
		readPlan(t, data, "")
		// The restored copy still uses key 1: the retired file opens it no more.
		if _, _, err := openAppKeyed(ctx, "", restored, filepath.Join(data, "master.key"), nil, nil); err == nil {
			t.Fatal("the retired key file opened a database sealed under the old key")
		}
	})
	t.Run("every new command has help", func(t *testing.T) {
		for _, args := range [][]string{{"backup", "--help"}, {"restore", "--help"}, {"admin", "rotate-keys", "--help"}} {
			code, _, e := runCmd(t, env, "", args...)
			if code != 0 || !strings.Contains(e, "Usage: hearth") || !strings.Contains(e, "HEARTH_") {
				t.Errorf("%v: %d %q", args, code, e)
			}
		}
		for _, args := range [][]string{{"backup"}, {"restore"}, {"backup", "a", "b"}, {"admin", "rotate-keys", "--retire-old", "--add-key-only"}} {
			if code, _, e := runCmd(t, env, "", args...); code != 2 || e == "" {
				t.Errorf("%v: %d %q", args, code, e)
			}
		}
	})
}
