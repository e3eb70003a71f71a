package app

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/hearth-org/hearth/internal/sqldb"
	"github.com/hearth-org/hearth/internal/sqldb/sqldbtest"
	"github.com/hearth-org/hearth/internal/vault"
)

// TestThePipelineCannotBeSkipped checks the guards that keep later
// features honest: nothing is sealed or followed up without passing
// through screen, and the audit log takes codes, never sentences.
func TestThePipelineCannotBeSkipped(t *testing.T) {
	ctx := context.Background()
	db := sqldbtest.Open(t, sqldb.SQLite, sqldbtest.Options{})
	v, _, err := vault.OpenFile(ctx, db, filepath.Join(t.TempDir(), "master.key"), true, vault.Options{})
	if err != nil {
		t.Fatal(err)
	}
	a, err := New(Config{DB: db, Vault: v})
	if err != nil {
		t.Fatal(err)
	}
	t.Run("a writing that did not pass through screen is not sealed", func(t *testing.T) {
		if _, err := a.sealWriting(ctx, Screened{}, "ad"); err == nil {
			t.Fatal("sealed")
		}
		if _, err := a.followUp(ctx, nil, nil, 1, Screened{}); err == nil {
			t.Fatal("followed up")
		}
	})
	t.Run("screen refuses a writing built wrongly", func(t *testing.T) {
		for _, w := range []Writing{{Kind: WritingPost, Text: "hi"}, {AuthorID: 1, Kind: "diary", Text: "hi"}} {
			if _, err := a.screen(ctx, w); err == nil {
				t.Errorf("%+v screened", w)
			}
		}
	})
	t.Run("screened writing is sealed and opens back to the same text", func(t *testing.T) {
		s, err := a.screen(ctx, Writing{AuthorID: 9, GroupID: 0, Kind: WritingCheckIn, Text: "a calm day"})
		if err != nil || s.Crisis() || s.Held() {
			t.Fatalf("%+v %v", s, err)
		}
		b, err := a.sealWriting(ctx, s, "check_in:1")
		if err != nil {
			t.Fatal(err)
		}
		if got, err := a.vault.OpenString(ctx, vault.UserScope(9), "check_in:1", b); err != nil || got != "a calm day" {
			t.Fatalf("%q %v", got, err)
		}
	})
	t.Run("the audit log refuses a sentence where a code belongs", func(t *testing.T) {
		err := db.InTx(ctx, func(tx *sqldb.Tx) error {
			return a.audit(ctx, tx, AuditEntry{Action: "report.filed", OrgID: 1, Reason: "she said she has the pills ready"})
		})
		if err == nil {
			t.Fatal("stored")
		}
		list, _ := db.AuditLog(ctx, 0, 0, 10)
		if len(list) != 0 {
			t.Fatalf("%+v", list)
		}
	})
}
