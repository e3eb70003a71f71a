package vault_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/hearth-org/hearth/internal/sqldb"
	"github.com/hearth-org/hearth/internal/sqldb/sqldbtest"
	"github.com/hearth-org/hearth/internal/vault"
)

func keyLine(n int, key []byte) string {
	return fmt.Sprintf("hearth-master-key v1 %d %s\n", n, base64.StdEncoding.EncodeToString(key))
}

func TestMasterKeyFile(t *testing.T) {
	t.Run("a new key file is created with mode 0600 in a folder with mode 0700", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "data", "master.key")
		mk, created, err := vault.LoadMasterKeys(path, true)
		if err != nil || !created || mk.Current() != 1 {
			t.Fatal(created, err)
		}
		st, err := os.Stat(path)
		if err != nil || st.Mode().Perm() != 0o600 {
			t.Fatalf("file mode %v, %v", st.Mode(), err)
		}
		st, err = os.Stat(filepath.Dir(path))
		if err != nil || st.Mode().Perm() != 0o700 {
			t.Fatalf("folder mode %v, %v", st.Mode(), err)
		}
		text, _ := os.ReadFile(path)
		if !strings.Contains(string(text), "Back it up apart from the database") {
			t.Fatalf("the file does not say to back it up:\n%s", text)
		}
		entries, _ := os.ReadDir(filepath.Dir(path))
		if len(entries) != 1 {
			t.Fatalf("left temporary files behind: %v", entries)
		}
	})
	t.Run("an existing key file is read, not replaced", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "master.key")
		if _, _, err := vault.LoadMasterKeys(path, true); err != nil {
			t.Fatal(err)
		}
		before, _ := os.ReadFile(path)
		if _, created, err := vault.LoadMasterKeys(path, true); err != nil || created {
			t.Fatal(created, err)
		}
		if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
			t.Fatal("the key file changed")
		}
	})
	t.Run("processes starting together end with one key file", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "master.key")
		var wg sync.WaitGroup
		made := make(chan bool, 8)
		for range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, created, err := vault.LoadMasterKeys(path, true)
				if err != nil {
					t.Error(err)
				}
				made <- created
			}()
		}
		wg.Wait()
		close(made)
		n := 0
		for c := range made {
			if c {
				n++
			}
		}
		if n != 1 {
			t.Fatalf("%d processes created the key file", n)
		}
	})
	t.Run("without create a missing file is an error that says to restore it", func(t *testing.T) {
		_, _, err := vault.LoadMasterKeys(filepath.Join(t.TempDir(), "master.key"), false)
		if err == nil || !strings.Contains(err.Error(), "restore") {
			t.Fatalf("got %v", err)
		}
	})
	for _, mode := range []os.FileMode{0o644, 0o640, 0o604, 0o660, 0o602} {
		t.Run(fmt.Sprintf("a key file with mode %04o is refused", mode), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "master.key")
			if _, _, err := vault.LoadMasterKeys(path, true); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(path, mode); err != nil {
				t.Fatal(err)
			}
			_, _, err := vault.LoadMasterKeys(path, true)
			if !errors.Is(err, vault.ErrInsecureKeyFile) || !strings.Contains(err.Error(), "chmod 600") {
				t.Fatalf("got %v", err)
			}
		})
	}
	key := bytes.Repeat([]byte{7}, 32)
	malformed := []struct{ name, text, says string }{
		{"an empty file", "", "no key line"},
		{"only comments", "# nothing here\n\n", "no key line"},
		{"a bare base64 key", base64.StdEncoding.EncodeToString(key) + "\n", "line 1"},
		{"an unknown format version", "hearth-master-key v9 1 " + base64.StdEncoding.EncodeToString(key) + "\n", "v9"},
		{"a key number of zero", "hearth-master-key v1 0 " + base64.StdEncoding.EncodeToString(key) + "\n", "number"},
		{"a key number that is not a number", "hearth-master-key v1 one " + base64.StdEncoding.EncodeToString(key) + "\n", "number"},
		{"a short key", keyLine(1, key[:16]), "32 bytes"},
		{"a long key", keyLine(1, append(key, 1)), "32 bytes"},
		{"a key that is not base64", "hearth-master-key v1 1 not*base64*at*all*not*base64*at*all*12345\n", "32 bytes"},
		{"a key number given twice", keyLine(1, key) + keyLine(1, key), "twice"},
		{"a key line with extra words", strings.TrimSpace(keyLine(1, key)) + " extra\n", "line 1"},
	}
	for _, c := range malformed {
		t.Run("a key file with "+c.name+" is refused as malformed", func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "master.key")
			if err := os.WriteFile(path, []byte(c.text), 0o600); err != nil {
				t.Fatal(err)
			}
			_, _, err := vault.LoadMasterKeys(path, true)
			if err == nil || !strings.Contains(err.Error(), "malformed") || !strings.Contains(err.Error(), c.says) {
				t.Fatalf("got %v", err)
			}
			if strings.Contains(fmt.Sprint(err), base64.StdEncoding.EncodeToString(key)) {
				t.Fatal("the error shows the key")
			}
		})
	}
	t.Run("a file with several keys wraps with the highest number and shows no key when printed", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "master.key")
		text := "# rotated\n" + keyLine(2, bytes.Repeat([]byte{2}, 32)) + "\n" + keyLine(1, key)
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		mk, _, err := vault.LoadMasterKeys(path, false)
		if err != nil || mk.Current() != 2 {
			t.Fatalf("current %v, %v", mk, err)
		}
		for _, s := range []string{fmt.Sprint(mk), fmt.Sprintf("%#v", mk), fmt.Sprintf("%+v", mk)} {
			if strings.Contains(s, base64.StdEncoding.EncodeToString(key)) || strings.Contains(s, string(key)) {
				t.Fatalf("printing the keyring shows a key: %s", s)
			}
		}
	})
}

// TestKeysFromAnOlderMasterKeyStillOpen: after a new master key is added to
// the file (rotation), data keys wrapped by the older one still unwrap, and
// new scopes are wrapped by the newer one.
func TestKeysFromAnOlderMasterKeyStillOpen(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		path := filepath.Join(t.TempDir(), "master.key")
		first := bytes.Repeat([]byte{1}, 32)
		if err := os.WriteFile(path, []byte(keyLine(1, first)), 0o600); err != nil {
			t.Fatal(err)
		}
		v1, _, err := vault.OpenFile(ctx, db, path, false, vault.Options{})
		if err != nil {
			t.Fatal(err)
		}
		old, err := v1.SealString(ctx, vault.GroupScope(1), "post:1", "before rotation")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(keyLine(1, first)+keyLine(2, bytes.Repeat([]byte{2}, 32))), 0o600); err != nil {
			t.Fatal(err)
		}
		v2, _, err := vault.OpenFile(ctx, db, path, false, vault.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if got, err := v2.OpenString(ctx, vault.GroupScope(1), "post:1", old); err != nil || got != "before rotation" {
			t.Fatalf("got %q, %v", got, err)
		}
		if _, err := v2.SealString(ctx, vault.GroupScope(2), "post:1", "after rotation"); err != nil {
			t.Fatal(err)
		}
		// Only the old key: the new scope's key is wrapped by key 2, absent.
		if err := os.WriteFile(path, []byte(keyLine(1, first)), 0o600); err != nil {
			t.Fatal(err)
		}
		mk, _, err := vault.LoadMasterKeys(path, false)
		if err != nil {
			t.Fatal(err)
		}
		v3, err := vault.New(db, mk, vault.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if err := v3.EnsureKey(ctx, vault.GroupScope(2)); !errors.Is(err, vault.ErrWrongMasterKey) || !strings.Contains(err.Error(), "master key 2") {
			t.Fatalf("got %v", err)
		}
	})
}

// TestSealedTextIsNotInTheDatabaseFiles writes a sealed marker and, as a
// control, an unsealed one into the SQLite database the same way, then reads
// the raw files (main and write-ahead log) while the database is open: the
// control is found (the search works), the sealed marker and the master key
// are not.
func TestSealedTextIsNotInTheDatabaseFiles(t *testing.T) {
	ctx := context.Background()
	dbURL, dir := sqldbtest.URL(t, sqldb.SQLite)
	db, err := sqldb.Open(ctx, sqldb.Options{URL: dbURL, DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	keyFile := filepath.Join(t.TempDir(), "master.key")
	v, _, err := vault.OpenFile(ctx, db, keyFile, true, vault.Options{})
	if err != nil {
		t.Fatal(err)
	}
	const marker = "MARKER-7f3a9c-sealed-grief-story"
	const control = "MARKER-7f3a9c-control-unsealed"
	sealed, err := v.SealString(ctx, vault.GroupScope(5), "post:1", strings.Repeat(marker+" ", 20))
	if err != nil {
		t.Fatal(err)
	}
	// The data_keys table is the one table this package writes; it stores
	// both blobs exactly as given.
	if _, err := db.PutDataKey(ctx, "test:sealed", 1, 1, sealed); err != nil {
		t.Fatal(err)
	}
	if _, err := db.PutDataKey(ctx, "test:control", 1, 1, []byte(control)); err != nil {
		t.Fatal(err)
	}
	var raw []byte
	for _, name := range []string{"hearth.db", "hearth.db-wal"} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			t.Fatal(err)
		}
		raw = append(raw, b...)
	}
	if !bytes.Contains(raw, []byte(control)) {
		t.Fatal("the unsealed control marker is not in the database files: the search proves nothing")
	}
	if bytes.Contains(raw, []byte(marker)) {
		t.Fatal("the sealed marker is readable in the database files")
	}
	text, err := os.ReadFile(keyFile)
	if err != nil {
		t.Fatal(err)
	}
	fields := strings.Fields(string(text[bytes.LastIndex(text, []byte("hearth-master-key")):]))
	master, err := base64.StdEncoding.DecodeString(fields[3])
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(raw, master) || bytes.Contains(raw, []byte(fields[3])) {
		t.Fatal("the master key is in the database files")
	}
}
