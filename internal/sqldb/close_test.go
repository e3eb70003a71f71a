package sqldb_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/sqldb"
)

// TestCloseLeavesOneFile: after a clean stop the write-ahead log is folded
// back into the database file, so the data folder holds one self-contained
// file (what an operator copies, and what the confidentiality test reads).
func TestCloseLeavesOneFile(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := sqldb.Open(ctx, sqldb.Options{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	o := &hearth.Organization{Slug: "close-test", Name: "Close Test"}
	if err := db.CreateOrganization(ctx, o); err != nil {
		t.Fatal(err)
	}
	// A reader has been used, so both pools hold connections.
	if _, err := db.Organization(ctx, o.ID); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	matches, err := filepath.Glob(filepath.Join(dir, "*.db-wal"))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range matches {
		if st, err := os.Stat(m); err == nil && st.Size() > 0 {
			t.Errorf("%s is %d bytes after a clean close: the log was not folded back", filepath.Base(m), st.Size())
		}
	}
}
