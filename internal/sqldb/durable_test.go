package sqldb_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/sqldb"
	"github.com/hearth-org/hearth/internal/sqldb/sqldbtest"
)

// Hearth acknowledges a write only once it is committed; a PostgreSQL that
// acknowledges commits before they are on disk would make that a lie.
func TestRefusesPostgresThatCouldLoseCommits(t *testing.T) {
	base, dir := sqldbtest.URL(t, sqldb.Postgres)
	with := func(t *testing.T, opts string) string {
		u, err := url.Parse(base)
		if err != nil {
			t.Fatal(err)
		}
		q := u.Query()
		q.Del("options")
		// pgx reads "+" literally: the space must be %20.
		u.RawQuery = q.Encode() + "&options=" + strings.ReplaceAll(url.QueryEscape(opts), "+", "%20")
		return u.String()
	}
	ctx := context.Background()
	t.Run("synchronous_commit off is refused, saying why", func(t *testing.T) {
		db, err := sqldb.Open(ctx, sqldb.Options{URL: with(t, "-c synchronous_commit=off"), DataDir: dir})
		if err == nil {
			db.Close()
			t.Fatal("opened a PostgreSQL with synchronous_commit off")
		}
		msg := err.Error()
		if !strings.Contains(msg, "synchronous_commit is off") || !strings.Contains(msg, "lost in a crash") {
			t.Fatalf("message: %q", msg)
		}
		if hearth.ErrorKind(err) != hearth.Unavailable {
			t.Fatalf("kind %s", hearth.ErrorKind(err))
		}
	})
	t.Run("synchronous_commit local is durable on one server and accepted", func(t *testing.T) {
		db, err := sqldb.Open(ctx, sqldb.Options{URL: with(t, "-c synchronous_commit=local"), DataDir: dir})
		if err != nil {
			t.Fatal(err)
		}
		db.Close()
	})
	t.Run("the default settings are accepted", func(t *testing.T) {
		db, err := sqldb.Open(ctx, sqldb.Options{URL: base, DataDir: dir})
		if err != nil {
			t.Fatal(err)
		}
		db.Close()
	})
}
