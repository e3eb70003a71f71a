// Package sqldbtest opens real, empty Hearth databases for tests: an SQLite
// file in a temporary folder, and a fresh PostgreSQL schema when
// HEARTH_TEST_DATABASE_URL is set (scripts/test.sh sets it).
package sqldbtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/hearth-org/hearth/internal/sqldb"
)

// Options tune the database a test opens.
type Options struct {
	Now func() time.Time
}

// Engines lists the engines available to this test run.
func Engines() []sqldb.Engine {
	if os.Getenv("HEARTH_TEST_DATABASE_URL") != "" {
		return []sqldb.Engine{sqldb.SQLite, sqldb.Postgres}
	}
	return []sqldb.Engine{sqldb.SQLite}
}

// ForEachEngine runs fn as a subtest on every available engine, each with
// its own empty database.
func ForEachEngine(t *testing.T, fn func(t *testing.T, db *sqldb.DB)) {
	t.Helper()
	for _, e := range Engines() {
		t.Run(string(e), func(t *testing.T) {
			fn(t, Open(t, e, Options{}))
		})
	}
}

// URL returns a database URL for a fresh, empty database of the engine,
// removed when the test ends: a file path for SQLite ("" data folder), a
// PostgreSQL URL pointing at a new schema.
func URL(t testing.TB, e sqldb.Engine) (dbURL, dataDir string) {
	t.Helper()
	if e == sqldb.SQLite {
		return "", t.TempDir()
	}
	base := os.Getenv("HEARTH_TEST_DATABASE_URL")
	if base == "" {
		t.Skip("HEARTH_TEST_DATABASE_URL is not set; scripts/test.sh sets it")
	}
	b := make([]byte, 6)
	rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("open postgres: %v", err)
	}
	ctx := context.Background()
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		admin.Close()
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		admin.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("parse HEARTH_TEST_DATABASE_URL: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), t.TempDir()
}

// Open returns a fresh, migrated database of the engine.
func Open(t testing.TB, e sqldb.Engine, o Options) *sqldb.DB {
	t.Helper()
	dbURL, dir := URL(t, e)
	db, err := sqldb.Open(context.Background(), sqldb.Options{URL: dbURL, DataDir: dir, Now: o.Now})
	if err != nil {
		t.Fatalf("open %s: %v", e, err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
