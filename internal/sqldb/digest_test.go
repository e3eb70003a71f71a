package sqldb_test

import (
	"context"
	"maps"
	"testing"
	"time"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/sqldb"
	"github.com/hearth-org/hearth/internal/sqldb/sqldbtest"
)

// The digests the authorization matrix compares see an UPDATE that keeps
// the row count, and ignore only the columns they are told to.
func TestTableDigestsSeeUpdates(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		u := &hearth.User{Handle: "digest-person", CreatedAt: time.Unix(1_700_000_000, 0)}
		if err := db.CreateUser(ctx, u, sqldb.Credentials{}); err != nil {
			t.Fatal(err)
		}
		now := time.Unix(1_700_000_100, 0)
		if err := db.CreateSession(ctx, sqldb.Session{TokenHash: "h1", UserID: u.ID, Created: now, LastSeen: now, Expires: now.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
		skip := map[string]bool{"sessions.last_seen_at": true, "sessions.expires_at": true}
		before, err := db.TableDigests(ctx, skip)
		if err != nil {
			t.Fatal(err)
		}
		c0, _ := db.WriteChanges(ctx)
		again, _ := db.TableDigests(ctx, skip)
		if !maps.Equal(before, again) {
			t.Fatal("two digests of an unchanged database differ")
		}
		if err := db.TouchSession(ctx, "h1", now.Add(time.Minute), now.Add(2*time.Hour)); err != nil {
			t.Fatal(err)
		}
		if after, _ := db.TableDigests(ctx, skip); !maps.Equal(before, after) {
			t.Fatal("a change of skipped columns only changed the digest")
		}
		if err := db.SetPreferences(ctx, u.ID, "es", ""); err != nil {
			t.Fatal(err)
		}
		after, _ := db.TableDigests(ctx, skip)
		if after["users"] == before["users"] {
			t.Fatal("an UPDATE of a user row left the users digest unchanged")
		}
		for k := range after {
			if k != "users" && after[k] != before[k] {
				t.Errorf("table %s changed too", k)
			}
		}
		if c1, _ := db.WriteChanges(ctx); c0 >= 0 && c1 <= c0 {
			t.Errorf("the writer's change count did not move: %d → %d", c0, c1)
		}
	})
}
