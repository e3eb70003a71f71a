package sqldb_test

import (
	"bytes"
	"context"
	"sync"
	"testing"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/sqldb"
	"github.com/hearth-org/hearth/internal/sqldb/sqldbtest"
)

func TestDataKeys(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		first, second := bytes.Repeat([]byte{1}, 61), bytes.Repeat([]byte{2}, 61)

		t.Run("a scope without a key is NotFound, and so is the whole table while empty", func(t *testing.T) {
			if _, err := db.DataKey(ctx, "group:1"); hearth.ErrorKind(err) != hearth.NotFound {
				t.Fatalf("got %v", err)
			}
			if _, _, err := db.AnyDataKey(ctx); hearth.ErrorKind(err) != hearth.NotFound {
				t.Fatalf("got %v", err)
			}
		})
		t.Run("the first key put is stored and a second put for the scope changes nothing", func(t *testing.T) {
			created, err := db.PutDataKey(ctx, "group:1", 7, 1, first)
			if err != nil || !created {
				t.Fatalf("first put: %v %v", created, err)
			}
			created, err = db.PutDataKey(ctx, "group:1", 8, 1, second)
			if err != nil || created {
				t.Fatalf("second put: %v %v", created, err)
			}
			got, err := db.DataKey(ctx, "group:1")
			if err != nil || !bytes.Equal(got, first) {
				t.Fatalf("got %x %v", got, err)
			}
			scope, got, err := db.AnyDataKey(ctx)
			if err != nil || scope != "group:1" || !bytes.Equal(got, first) {
				t.Fatalf("any: %q %x %v", scope, got, err)
			}
		})
		t.Run("an empty key is refused", func(t *testing.T) {
			if _, err := db.PutDataKey(ctx, "group:9", 1, 1, nil); err == nil {
				t.Fatal("stored an empty key")
			}
		})
		t.Run("racing puts for a new scope store exactly one key", func(t *testing.T) {
			var wg sync.WaitGroup
			wins := make(chan []byte, 8)
			for i := range 8 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					k := bytes.Repeat([]byte{byte(10 + i)}, 61)
					created, err := db.PutDataKey(ctx, "user:5", int64(i+1), 1, k)
					if err != nil {
						t.Error(err)
					}
					if created {
						wins <- k
					}
				}()
			}
			wg.Wait()
			close(wins)
			var won [][]byte
			for k := range wins {
				won = append(won, k)
			}
			got, err := db.DataKey(ctx, "user:5")
			if len(won) != 1 || err != nil || !bytes.Equal(got, won[0]) {
				t.Fatalf("%d winners, stored %x, %v", len(won), got, err)
			}
		})
		t.Run("a destroyed key reads back empty, stays destroyed and is never replaced", func(t *testing.T) {
			if err := db.DestroyDataKey(ctx, "group:1"); err != nil {
				t.Fatal(err)
			}
			if err := db.DestroyDataKey(ctx, "group:1"); err != nil {
				t.Fatalf("destroying twice: %v", err)
			}
			got, err := db.DataKey(ctx, "group:1")
			if err != nil || len(got) != 0 {
				t.Fatalf("got %x %v", got, err)
			}
			if created, err := db.PutDataKey(ctx, "group:1", 9, 1, second); err != nil || created {
				t.Fatalf("put after destroy: %v %v", created, err)
			}
			if got, _ := db.DataKey(ctx, "group:1"); len(got) != 0 {
				t.Fatalf("a destroyed scope got a key back: %x", got)
			}
			if scope, _, err := db.AnyDataKey(ctx); err != nil || scope == "group:1" {
				t.Fatalf("any returned %q %v", scope, err)
			}
		})
		t.Run("destroying a scope that never had a key keeps it from getting one", func(t *testing.T) {
			if err := db.DestroyDataKey(ctx, "user:99"); err != nil {
				t.Fatal(err)
			}
			if created, err := db.PutDataKey(ctx, "user:99", 1, 1, first); err != nil || created {
				t.Fatalf("put after destroy: %v %v", created, err)
			}
			if got, err := db.DataKey(ctx, "user:99"); err != nil || len(got) != 0 {
				t.Fatalf("got %x %v", got, err)
			}
		})
	})
}
