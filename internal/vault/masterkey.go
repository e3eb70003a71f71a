package vault

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
)

// The master key file is text, so that it can be printed, copied to a
// password manager or typed back in:
//
//	# Hearth master key. …comment lines…
//	hearth-master-key v1 1 <base64 of 32 random bytes>
//
// Each key line is "hearth-master-key", the format version "v1", the key's
// number (1 and up) and the key in standard base64. A file may hold several
// key lines: the highest number wraps new data keys, the others still unwrap
// the data keys they wrapped (room for rotating the master key). Blank lines
// and lines starting with # are ignored.
const (
	keyLinePrefix = "hearth-master-key"
	keyLineFormat = "v1"
	masterKeySize = 32
)

// MasterKeys is the master keyring read from a master key file.
type MasterKeys struct {
	keys    map[uint32][]byte
	current uint32
}

// Current reports the number of the master key that wraps new data keys.
func (m *MasterKeys) Current() uint32 { return m.current }

// String never shows a key.
func (m *MasterKeys) String() string {
	return fmt.Sprintf("vault.MasterKeys{current: %d, keys: %d}", m.current, len(m.keys))
}

// GoString never shows a key either.
func (m *MasterKeys) GoString() string { return m.String() }

// ErrInsecureKeyFile means the master key file can be read by others than
// its owner.
var ErrInsecureKeyFile = errors.New("the master key file can be read by other users")

// LoadMasterKeys reads the master key file at path. With create set and no
// file there, it first creates one holding a new random key (the folder with
// mode 0700, the file with 0600) and reports created. It refuses a file that
// group or others may read or write, and a malformed one, with an error that
// says what to do.
func LoadMasterKeys(path string, create bool) (mk *MasterKeys, created bool, err error) {
	if path == "" {
		return nil, false, errors.New("no master key file given")
	}
	if create {
		created, err = createKeyFile(path)
		if err != nil {
			return nil, false, err
		}
	}
	mk, err = readKeyFile(path)
	if err != nil {
		return nil, false, err
	}
	return mk, created, nil
}

func readKeyFile(path string) (*MasterKeys, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("master key file %s does not exist: restore it from your backup (without it nothing stored encrypted can be read)", path)
	}
	if err != nil {
		return nil, fmt.Errorf("open master key file: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("master key file: %w", err)
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("master key file %s is not a regular file", path)
	}
	if runtime.GOOS != "windows" && st.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("%w: %s has mode %04o; run: chmod 600 %s", ErrInsecureKeyFile, path, st.Mode().Perm(), path)
	}
	if st.Size() > 64<<10 {
		return nil, fmt.Errorf("master key file %s is malformed: it is larger than any key file Hearth writes", path)
	}
	mk := &MasterKeys{keys: map[uint32][]byte{}}
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		id, key, err := parseKeyLine(line)
		if err != nil {
			return nil, fmt.Errorf("master key file %s is malformed: line %d: %v", path, n, err)
		}
		if _, dup := mk.keys[id]; dup {
			return nil, fmt.Errorf("master key file %s is malformed: line %d: key number %d appears twice", path, n, id)
		}
		mk.keys[id] = key
		mk.current = max(mk.current, id)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("master key file %s: %w", path, err)
	}
	if len(mk.keys) == 0 {
		return nil, fmt.Errorf("master key file %s is malformed: it holds no key line (%q)", path, keyLinePrefix+" "+keyLineFormat+" 1 <base64>")
	}
	return mk, nil
}

func parseKeyLine(line string) (uint32, []byte, error) {
	f := strings.Fields(line)
	if len(f) != 4 || f[0] != keyLinePrefix {
		return 0, nil, fmt.Errorf("expected %q", keyLinePrefix+" "+keyLineFormat+" <number> <base64 key>")
	}
	if f[1] != keyLineFormat {
		return 0, nil, fmt.Errorf("format %q is not one this version of Hearth reads (%s)", f[1], keyLineFormat)
	}
	id, err := strconv.ParseUint(f[2], 10, 32)
	if err != nil || id == 0 {
		return 0, nil, fmt.Errorf("key number %q is not a whole number from 1", f[2])
	}
	key, err := base64.StdEncoding.Strict().DecodeString(f[3])
	if err != nil || len(key) != masterKeySize {
		return 0, nil, fmt.Errorf("the key is not %d bytes in base64", masterKeySize)
	}
	return uint32(id), key, nil
}

// createKeyFile writes a new key file at path unless one exists. The file is
// written whole under a temporary name and then linked into place, so two
// processes starting together end with one key and nobody reads half a file.
func createKeyFile(path string) (bool, error) {
	if _, err := os.Lstat(path); err == nil {
		return false, nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return false, fmt.Errorf("master key file: %w", err)
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return false, fmt.Errorf("create master key folder: %w", err)
	}
	key := make([]byte, masterKeySize)
	rand.Read(key)
	var b bytes.Buffer
	b.WriteString("# Hearth master key. It unlocks every encrypted text in Hearth's database.\n")
	b.WriteString("# Back it up apart from the database: a backup of the database is unreadable\n")
	b.WriteString("# without it, and if it is lost, so is everything members wrote.\n")
	fmt.Fprintf(&b, "%s %s %d %s\n", keyLinePrefix, keyLineFormat, 1, base64.StdEncoding.EncodeToString(key))
	tmp, err := os.CreateTemp(dir, ".master-key-*")
	if err != nil {
		return false, fmt.Errorf("create master key file: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return false, fmt.Errorf("create master key file: %w", err)
	}
	if _, err := tmp.Write(b.Bytes()); err != nil {
		tmp.Close()
		return false, fmt.Errorf("write master key file: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return false, fmt.Errorf("write master key file: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return false, fmt.Errorf("write master key file: %w", err)
	}
	if err := os.Link(tmp.Name(), path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return false, nil // another process created it first
		}
		return false, fmt.Errorf("create master key file: %w", err)
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return true, nil
}
