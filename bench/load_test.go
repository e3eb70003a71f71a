package bench

// Loading the generated directory into each engine, and caching it: an
// SQLite file under .cache/, a PostgreSQL schema bench_<N>_<version>.

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/app"
	"github.com/hearth-org/hearth/internal/gazetteer"
	"github.com/hearth-org/hearth/internal/sqldb"
)

const (
	defaultGroups      = 100_000
	defaultDatabaseURL = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
	batchSize          = 2000 // groups per transaction
)

var loadGazetteer = sync.OnceValues(gazetteer.Load)

// benchGroups is how many groups to generate: HEARTH_BENCH_GROUPS, or
// 100,000.
func benchGroups(tb testing.TB) int {
	s := os.Getenv("HEARTH_BENCH_GROUPS")
	if s == "" {
		return defaultGroups
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 100 {
		tb.Fatalf("HEARTH_BENCH_GROUPS=%q: want a whole number of at least 100", s)
	}
	return n
}

// cacheDir is where SQLite databases are kept between runs:
// HEARTH_BENCH_CACHE, or .cache next to this file.
func cacheDir() string {
	if d := os.Getenv("HEARTH_BENCH_CACHE"); d != "" {
		return d
	}
	return ".cache"
}

// dataVersion names the generated data: the generator's version and a
// fingerprint of the first groups it makes (their full content and search
// terms), so that a change to the demo texts, the gazetteer, the taxonomy
// or internal/terms invalidates the cache by itself.
func dataVersion(tb testing.TB) string {
	gaz, err := loadGazetteer()
	if err != nil {
		tb.Fatal(err)
	}
	gen := newGenerator(1000, gaz)
	h := sha256.New()
	enc := json.NewEncoder(h)
	for i := range 300 {
		gg := gen.group(i)
		enc.Encode(gg.g)
		enc.Encode(gg.org.org)
		enc.Encode(app.IndexTerms(&gg.g, gg.org.name))
	}
	return fmt.Sprintf("g%d_%s", genVersion, hex.EncodeToString(h.Sum(nil))[:8])
}

// env is one engine's benchmark database, loaded and ready.
type env struct {
	engine sqldb.Engine
	db     *sqldb.DB
	where  string // file or schema
	load   string // how the data was loaded, for the log
}

func benchClock() time.Time { return benchNow }

// openSQLite returns the cached SQLite database of n groups, generating it
// first if needed.
func openSQLite(b *testing.B, n int, version string) *env {
	ctx := context.Background()
	dir := filepath.Join(cacheDir(), fmt.Sprintf("sqlite-%d-%s", n, version))
	path := filepath.Join(dir, "hearth.db")
	note := filepath.Join(dir, "loaded.txt")
	reset := os.Getenv("HEARTH_BENCH_RESET") != ""
	// loaded.txt is written last: without it the load did not finish.
	if got, err := countSQLite(path); err != nil || got != n || reset || fileSize(note) == 0 || !sameSQLiteSchema(b, path) {
		if err := os.RemoveAll(dir); err != nil {
			b.Fatal(err)
		}
		db, err := sqldb.Open(ctx, sqldb.Options{DataDir: dir, Now: benchClock})
		if err != nil {
			b.Fatalf("open sqlite: %v", err)
		}
		took, err := loadDirectory(ctx, db, n)
		db.Close()
		if err != nil {
			b.Fatalf("load sqlite: %v", err)
		}
		size := fileSize(path) + fileSize(path+"-wal")
		msg := fmt.Sprintf("generated and loaded %d groups in %s (batches of %d groups per transaction; %s, %.0f MB)",
			n, took.Round(time.Second), batchSize, time.Now().UTC().Format(time.RFC3339), float64(size)/1e6)
		os.WriteFile(note, []byte(msg+"\n"), 0o644)
	}
	db, err := sqldb.Open(ctx, sqldb.Options{DataDir: dir, Now: benchClock})
	if err != nil {
		b.Fatalf("open sqlite: %v", err)
	}
	b.Cleanup(func() { db.Close() })
	msg, _ := os.ReadFile(note)
	return &env{engine: sqldb.SQLite, db: db, where: path, load: string(trimNL(msg))}
}

// sameSQLiteSchema reports whether the cached file has the tables, columns
// and indexes that the current migrations make. Migrations may be edited in
// place before the first release; a cache made under older ones is rebuilt.
func sameSQLiteSchema(tb testing.TB, path string) bool {
	if _, err := os.Stat(path); err != nil {
		return false
	}
	ctx := context.Background()
	dir := tb.TempDir()
	fresh, err := sqldb.Open(ctx, sqldb.Options{DataDir: dir})
	if err != nil {
		tb.Fatalf("open sqlite: %v", err)
	}
	fresh.Close()
	want, err := sqliteSchema(filepath.Join(dir, "hearth.db"))
	if err != nil {
		tb.Fatalf("read schema: %v", err)
	}
	got, err := sqliteSchema(path)
	if err != nil || !slices.Equal(got, want) {
		fmt.Fprintf(os.Stderr, "bench: %s was made under other migrations; making it again\n", path)
		return false
	}
	return true
}

// sqliteSchema lists "table.column" and "index:table.name", sorted.
func sqliteSchema(path string) ([]string, error) {
	c, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		return nil, err
	}
	defer c.Close()
	return listSchema(c, `SELECT m.name || '.' || p.name FROM sqlite_master m, pragma_table_info(m.name) p
		WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite%' AND m.name <> 'goose_db_version'
		UNION ALL SELECT 'index:' || tbl_name || '.' || name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite%'`)
}

// postgresSchema lists the same for a PostgreSQL schema.
func postgresSchema(ctx context.Context, admin *sql.DB, schema string) ([]string, error) {
	return listSchema(admin, `SELECT table_name || '.' || column_name FROM information_schema.columns
		WHERE table_schema = $1 AND table_name <> 'goose_db_version'
		UNION ALL SELECT 'index:' || tablename || '.' || indexname FROM pg_indexes
		WHERE schemaname = $1 AND tablename <> 'goose_db_version'`, schema)
}

func listSchema(c *sql.DB, q string, args ...any) ([]string, error) {
	rows, err := c.Query(q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	slices.Sort(out)
	return out, rows.Err()
}

// samePostgresSchema is sameSQLiteSchema for a PostgreSQL schema: it
// migrates a scratch schema and compares.
func samePostgresSchema(tb testing.TB, admin *sql.DB, base *url.URL, schema string) bool {
	ctx := context.Background()
	scratch := schema + "_check"
	admin.ExecContext(ctx, `DROP SCHEMA IF EXISTS `+scratch+` CASCADE`)
	if _, err := admin.ExecContext(ctx, `CREATE SCHEMA `+scratch); err != nil {
		tb.Fatalf("create schema: %v", err)
	}
	defer admin.ExecContext(ctx, `DROP SCHEMA IF EXISTS `+scratch+` CASCADE`)
	u := *base
	q := u.Query()
	q.Set("search_path", scratch)
	u.RawQuery = q.Encode()
	fresh, err := sqldb.Open(ctx, sqldb.Options{URL: u.String()})
	if err != nil {
		tb.Fatalf("open postgres: %v", err)
	}
	fresh.Close()
	want, err := postgresSchema(ctx, admin, scratch)
	if err != nil {
		tb.Fatalf("read schema: %v", err)
	}
	got, err := postgresSchema(ctx, admin, schema)
	if err != nil || !slices.Equal(got, want) {
		fmt.Fprintf(os.Stderr, "bench: schema %s was made under other migrations; making it again\n", schema)
		return false
	}
	return true
}

func countSQLite(path string) (int, error) {
	if _, err := os.Stat(path); err != nil {
		return 0, err
	}
	c, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		return 0, err
	}
	defer c.Close()
	var n int
	err = c.QueryRow(`SELECT COUNT(*) FROM groups`).Scan(&n)
	return n, err
}

func fileSize(path string) int64 {
	fi, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return fi.Size()
}

func trimNL(b []byte) []byte {
	for len(b) > 0 && (b[len(b)-1] == '\n' || b[len(b)-1] == '\r') {
		b = b[:len(b)-1]
	}
	return b
}

// openPostgres returns the PostgreSQL schema bench_<n>_<version> of n
// groups, loading it first if needed; it skips the benchmark when the
// server does not answer.
func openPostgres(b *testing.B, n int, version string) *env {
	ctx := context.Background()
	base := os.Getenv("HEARTH_BENCH_DATABASE_URL")
	if base == "" {
		base = defaultDatabaseURL
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		b.Skipf("PostgreSQL half skipped: cannot use HEARTH_BENCH_DATABASE_URL %q: %v", base, err)
	}
	b.Cleanup(func() { admin.Close() })
	pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := admin.PingContext(pctx); err != nil {
		b.Skipf("PostgreSQL half skipped: %s does not answer (%v); set HEARTH_BENCH_DATABASE_URL to a reachable server", redact(base), err)
	}
	schema := fmt.Sprintf("bench_%d_%s", n, version)
	u, err := url.Parse(base)
	if err != nil {
		b.Fatalf("parse HEARTH_BENCH_DATABASE_URL: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()

	// The schema's comment is written last: without it the load (or the
	// VACUUM ANALYZE after it) did not finish.
	var got int
	var done sql.NullString
	err = admin.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM `+schema+`.groups), obj_description(`+quote(schema)+`::regnamespace, 'pg_namespace')`).Scan(&got, &done)
	if err != nil || got != n || done.String == "" || os.Getenv("HEARTH_BENCH_RESET") != "" || !samePostgresSchema(b, admin, u, schema) {
		if _, err := admin.ExecContext(ctx, `DROP SCHEMA IF EXISTS `+schema+` CASCADE`); err != nil {
			b.Fatalf("drop schema: %v", err)
		}
		if _, err := admin.ExecContext(ctx, `CREATE SCHEMA `+schema); err != nil {
			b.Fatalf("create schema: %v", err)
		}
		db, err := sqldb.Open(ctx, sqldb.Options{URL: u.String(), Now: benchClock})
		if err != nil {
			b.Fatalf("open postgres: %v", err)
		}
		took, err := loadDirectory(ctx, db, n)
		db.Close()
		if err != nil {
			b.Fatalf("load postgres: %v", err)
		}
		// A server that has been running has been vacuumed and analyzed by
		// autovacuum; do it now rather than let it happen mid-run.
		t0 := time.Now()
		tables, err := listSchema(admin, `SELECT tablename FROM pg_tables WHERE schemaname = $1`, schema)
		if err != nil {
			b.Fatalf("list tables: %v", err)
		}
		for _, t := range tables {
			if _, err := admin.ExecContext(ctx, `VACUUM ANALYZE `+schema+`.`+t); err != nil {
				b.Fatalf("vacuum %s: %v", t, err)
			}
		}
		var size int64
		admin.QueryRowContext(ctx, `SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0) FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
			WHERE s.nspname = $1 AND c.relkind = 'r'`, schema).Scan(&size)
		msg := fmt.Sprintf("generated and loaded %d groups in %s (batches of %d groups per transaction), then VACUUM ANALYZE in %s (%s, %.0f MB)",
			n, took.Round(time.Second), batchSize, time.Since(t0).Round(time.Second), time.Now().UTC().Format(time.RFC3339), float64(size)/1e6)
		if _, err := admin.ExecContext(ctx, `COMMENT ON SCHEMA `+schema+` IS `+quote(msg)); err != nil {
			b.Fatalf("comment on schema: %v", err)
		}
	}
	var msg sql.NullString
	admin.QueryRowContext(ctx, `SELECT obj_description(oid, 'pg_namespace') FROM pg_namespace WHERE nspname = $1`, schema).Scan(&msg)
	db, err := sqldb.Open(ctx, sqldb.Options{URL: u.String(), Now: benchClock})
	if err != nil {
		b.Fatalf("open postgres: %v", err)
	}
	b.Cleanup(func() { db.Close() })
	return &env{engine: sqldb.Postgres, db: db, where: "schema " + schema, load: msg.String}
}

func quote(s string) string {
	out := []byte{'\''}
	for i := 0; i < len(s); i++ {
		if s[i] == '\'' {
			out = append(out, '\'')
		}
		out = append(out, s[i])
	}
	return string(append(out, '\''))
}

func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "the database URL"
	}
	return u.Redacted()
}

// loadDirectory generates n groups and stores them through sqldb, batchSize
// groups per transaction, with the search terms the app would index. The
// generator runs ahead of the writer in its own goroutine.
func loadDirectory(ctx context.Context, db *sqldb.DB, n int) (time.Duration, error) {
	gaz, err := loadGazetteer()
	if err != nil {
		return 0, err
	}
	start := time.Now()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type row struct {
		gg    genGroup
		terms map[string]int
	}
	batches := make(chan []row, 2)
	genErr := make(chan error, 1)
	go func() {
		defer close(batches)
		gen := newGenerator(n, gaz)
		var batch []row
		for i := range n {
			gg := gen.group(i)
			g := &gg.g
			// What app.prepareGroup does when the position is known.
			g.Normalize()
			if err := g.Validate(); err != nil {
				genErr <- fmt.Errorf("generated group %d (%s) is invalid: %w", i, g.Slug, describe(err))
				return
			}
			batch = append(batch, row{gg: gg, terms: app.IndexTerms(g, gg.org.name)})
			if len(batch) == batchSize || i == n-1 {
				select {
				case batches <- batch:
				case <-ctx.Done():
					return
				}
				batch = nil
			}
		}
		genErr <- nil
	}()
	done := 0
	lastLog := time.Now()
	for batch := range batches {
		err := db.InTx(ctx, func(tx *sqldb.Tx) error {
			for _, r := range batch {
				o := r.gg.org
				if o.org.ID == 0 {
					o.org.Normalize()
					if err := tx.CreateOrganization(ctx, &o.org); err != nil {
						return fmt.Errorf("organization %s: %w", o.org.Slug, err)
					}
				}
				r.gg.g.OrgID = o.org.ID
				if err := tx.CreateGroup(ctx, &r.gg.g, r.terms); err != nil {
					return fmt.Errorf("group %s: %w", r.gg.g.Slug, err)
				}
			}
			return nil
		})
		if err != nil {
			cancel()
			for range batches { // let the generator stop
			}
			return 0, err
		}
		done += len(batch)
		if time.Since(lastLog) > 15*time.Second {
			fmt.Fprintf(os.Stderr, "bench: %s: %d of %d groups loaded (%s)\n", db.Engine(), done, n, time.Since(start).Round(time.Second))
			lastLog = time.Now()
		}
	}
	if err := <-genErr; err != nil {
		return 0, err
	}
	return time.Since(start), nil
}

func describe(err error) error {
	var he *hearth.Error
	if errors.As(err, &he) && len(he.Fields) > 0 {
		var fs []string
		for _, f := range he.Fields {
			fs = append(fs, f.Field+": "+f.Message)
		}
		return fmt.Errorf("%w (%s)", err, slices.Compact(fs))
	}
	return err
}
