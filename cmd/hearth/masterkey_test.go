package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hearth-org/hearth/internal/sqldb"
	"github.com/hearth-org/hearth/internal/vault"
)

func TestMasterKeyAtStart(t *testing.T) {
	ctx := context.Background()
	t.Run("the first start creates the key file, says where it is and to back it up", func(t *testing.T) {
		data := t.TempDir()
		var notice bytes.Buffer
		_, db, err := openAppKeyed(ctx, "", data, "", nil, &notice)
		if err != nil {
			t.Fatal(err)
		}
		db.Close()
		path := filepath.Join(data, "master.key")
		st, err := os.Stat(path)
		if err != nil || st.Mode().Perm() != 0o600 {
			t.Fatalf("key file: %v %v", st, err)
		}
		if !strings.Contains(notice.String(), path) || !strings.Contains(notice.String(), "Back it up") {
			t.Fatalf("notice: %q", notice.String())
		}
		notice.Reset()
		_, db, err = openAppKeyed(ctx, "", data, "", nil, &notice)
		if err != nil {
			t.Fatal(err)
		}
		db.Close()
		if notice.Len() != 0 {
			t.Fatalf("the second start spoke of a new key: %q", notice.String())
		}
	})
	t.Run("--master-key-file puts the key where it says", func(t *testing.T) {
		data, keys := t.TempDir(), filepath.Join(t.TempDir(), "secrets", "hearth.key")
		_, db, err := openAppKeyed(ctx, "", data, keys, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		db.Close()
		if _, err := os.Stat(keys); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(filepath.Join(data, "master.key")); err == nil {
			t.Fatal("a key file was also written in the data folder")
		}
	})
	refused := []struct {
		name, says string
		prepare    func(t *testing.T, path string)
	}{
		{"a key file others can read", "chmod 600", func(t *testing.T, path string) {
			if err := os.WriteFile(path, []byte("hearth-master-key v1 1 "+strings.Repeat("A", 43)+"=\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			os.Chmod(path, 0o644)
		}},
		{"a malformed key file", "malformed", func(t *testing.T, path string) {
			if err := os.WriteFile(path, []byte("not a key\n"), 0o600); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, c := range refused {
		t.Run("serve refuses to start with "+c.name, func(t *testing.T) {
			data := t.TempDir()
			path := filepath.Join(data, "master.key")
			c.prepare(t, path)
			code, _, e := runCmd(t, map[string]string{"HEARTH_DATA": data, "HEARTH_ADDR": "127.0.0.1:0", "HEARTH_MASTER_KEY_FILE": path}, "", "serve")
			if code != 1 || !strings.Contains(e, c.says) {
				t.Fatalf("exit %d: %q", code, e)
			}
		})
	}
	t.Run("serve refuses to start when the key file is lost but the database holds sealed text", func(t *testing.T) {
		data := t.TempDir()
		// Seal something, so that the database depends on the key.
		db, err := sqldb.Open(ctx, sqldb.Options{DataDir: data})
		if err != nil {
			t.Fatal(err)
		}
		v, _, err := vault.OpenFile(ctx, db, filepath.Join(data, "master.key"), true, vault.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := v.SealString(ctx, vault.GroupScope(1), "post:1", "something said in the group"); err != nil {
			t.Fatal(err)
		}
		db.Close()
		if err := os.Remove(filepath.Join(data, "master.key")); err != nil {
			t.Fatal(err)
		}
		code, _, e := runCmd(t, map[string]string{"HEARTH_DATA": data, "HEARTH_ADDR": "127.0.0.1:0"}, "", "serve")
		if code != 1 || !strings.Contains(e, "restore") {
			t.Fatalf("exit %d: %q", code, e)
		}
		if _, err := os.Stat(filepath.Join(data, "master.key")); err == nil {
			t.Fatal("a new key file replaced the lost one")
		}
	})
}
