// Package sqldb stores Hearth's data in SQLite (the default, one file) or
// PostgreSQL (by URL). One SQL text serves both: it is written with ?
// placeholders and rebound for PostgreSQL; migrations are embedded, one set
// per engine, and applied at open. Nothing else in Hearth imports a driver.
package sqldb

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
	"github.com/pressly/goose/v3"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/hearth-org/hearth"
)

//go:embed migrations
var migrations embed.FS

// Engine names a database engine.
type Engine string

// The engines.
const (
	SQLite   Engine = "sqlite"
	Postgres Engine = "postgres"
)

// DB is Hearth's database: a writer pool and a reader pool (the same pool on
// PostgreSQL).
type DB struct {
	engine Engine
	write  *sql.DB
	read   *sql.DB
	log    *slog.Logger
	now    func() time.Time
	// roomStmts are the room log's statements, prepared once (SQLite).
	roomStmts *roomStatements
	// sentKeys finds retried room messages on SQLite (roomkeys.go).
	sentKeys *sentKeys
}

// Options configure Open.
type Options struct {
	// URL selects PostgreSQL (postgres://… or postgresql://…). Empty means
	// SQLite in DataDir.
	URL     string
	DataDir string
	Logger  *slog.Logger
	Now     func() time.Time // the clock; time.Now when nil
}

// Open connects, applies pending migrations and returns the database.
func Open(ctx context.Context, o Options) (*DB, error) {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	db := &DB{log: o.Logger, now: o.Now}
	switch {
	case strings.HasPrefix(o.URL, "postgres://"), strings.HasPrefix(o.URL, "postgresql://"):
		db.engine = Postgres
		pool, err := sql.Open("pgx", o.URL)
		if err != nil {
			return nil, fmt.Errorf("open postgres: %w", err)
		}
		pool.SetMaxOpenConns(max(8, 4*runtime.GOMAXPROCS(0)))
		pool.SetMaxIdleConns(max(8, 4*runtime.GOMAXPROCS(0)))
		pool.SetConnMaxIdleTime(5 * time.Minute)
		db.write, db.read = pool, pool
		if err := checkDurable(ctx, pool); err != nil {
			pool.Close()
			return nil, err
		}
	case o.URL == "" || strings.HasPrefix(o.URL, "sqlite:") || strings.HasPrefix(o.URL, "file:"):
		db.engine = SQLite
		path := strings.TrimPrefix(strings.TrimPrefix(o.URL, "sqlite:"), "file:")
		if path == "" {
			if o.DataDir == "" {
				return nil, errors.New("sqldb: no data folder and no database URL")
			}
			if err := os.MkdirAll(o.DataDir, 0o700); err != nil {
				return nil, fmt.Errorf("create data folder: %w", err)
			}
			path = filepath.Join(o.DataDir, "hearth.db")
		}
		// Pragmas in the DSN so that every pooled connection gets them.
		pragmas := "_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=foreign_keys(1)&_pragma=busy_timeout(10000)&_pragma=secure_delete(1)"
		// The writer keeps its statement journals in memory: a
		// statement writing many rows (a room's batch) journals the pages
		// it changes, and spilling that to a temporary file cost more
		// than writing the rows. Its page cache is 32 MiB rather than
		// SQLite's 2: a batch of a few thousand room messages dirties a
		// leaf of each room's and each member's index pages, more than
		// 2 MiB, and the pages that did not fit were written to the WAL
		// in the middle of the transaction and read back (at 12,000
		// messages a second, the insert's share of the server's CPU fell
		// from 19 % to 15 % with it).
		w, err := sql.Open("sqlite", "file:"+path+"?_txlock=immediate&"+pragmas+"&_pragma=temp_store(2)&_pragma=wal_autocheckpoint(10000)&_pragma=cache_size(-32768)")
		if err != nil {
			return nil, fmt.Errorf("open sqlite: %w", err)
		}
		w.SetMaxOpenConns(1)
		w.SetConnMaxIdleTime(0)
		r, err := sql.Open("sqlite", "file:"+path+"?mode=ro&"+pragmas)
		if err != nil {
			w.Close()
			return nil, fmt.Errorf("open sqlite: %w", err)
		}
		r.SetMaxOpenConns(max(4, 2*runtime.GOMAXPROCS(0)))
		r.SetMaxIdleConns(max(4, 2*runtime.GOMAXPROCS(0)))
		db.write, db.read = w, r
		db.sentKeys = newSentKeys()
	default:
		return nil, hearth.Errorf(hearth.Invalid, "The database URL must start with postgres:// (or be empty for SQLite in the data folder).")
	}
	if err := db.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if err := db.prepareRoomStatements(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// checkDurable refuses a PostgreSQL server that would acknowledge a commit
// it could lose in a crash: fsync off (the server never forces its writes to
// disk), synchronous_commit off (a commit is acknowledged before its WAL
// record is on disk) or full_page_writes off (a page torn by a crash cannot
// be repaired from the WAL). synchronous_commit = local, remote_write,
// remote_apply or on all wait for the local WAL flush, so they are accepted:
// "local" is as durable as "on" on a single server. The settings are read on
// a pooled connection, so options given in the URL (options=-c …) and
// per-role or per-database settings count.
func checkDurable(ctx context.Context, pool *sql.DB) error {
	conn, err := pool.Conn(ctx)
	if err != nil {
		return fmt.Errorf("connect to postgres: %w", err)
	}
	defer conn.Close()
	var why []string
	for _, s := range []struct{ name, bad, means string }{
		{"fsync", "off", "the server never forces its writes to disk"},
		{"synchronous_commit", "off", "commits are acknowledged before they are on disk"},
		{"full_page_writes", "off", "a page torn by a crash cannot be repaired"},
	} {
		var v string
		if err := conn.QueryRowContext(ctx, "SHOW "+s.name).Scan(&v); err != nil {
			return fmt.Errorf("read postgres setting %s: %w", s.name, err)
		}
		if strings.EqualFold(strings.TrimSpace(v), s.bad) {
			why = append(why, s.name+" is "+s.bad+" ("+s.means+")")
		}
	}
	if len(why) > 0 {
		return hearth.Errorf(hearth.Unavailable, "Hearth refuses this PostgreSQL server: %s, so writes Hearth has acknowledged could be lost in a crash. Turn the setting back on (in postgresql.conf, ALTER SYSTEM, ALTER ROLE/DATABASE … RESET, or the connection URL's options) and start again.", strings.Join(why, "; "))
	}
	return nil
}

func (db *DB) migrate(ctx context.Context) error {
	dialect, dir := goose.DialectSQLite3, "migrations/sqlite"
	if db.engine == Postgres {
		dialect, dir = goose.DialectPostgres, "migrations/postgres"
	}
	sub, err := fs.Sub(migrations, dir)
	if err != nil {
		return err
	}
	p, err := goose.NewProvider(dialect, db.write, sub, goose.WithDisableGlobalRegistry(true))
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	results, err := p.Up(ctx)
	if err != nil {
		return fmt.Errorf("apply migrations: %w", err)
	}
	for _, r := range results {
		db.log.Info("migration applied", "version", r.Source.Version, "file", r.Source.Path, "took", r.Duration)
	}
	return nil
}

// Engine reports which engine is in use.
func (db *DB) Engine() Engine { return db.engine }

// Close closes both pools: the read-only readers first, so that the
// writer's connection is the last to close and SQLite folds the
// write-ahead log back into the database file (a read-only connection
// cannot), leaving one self-contained file behind after a clean stop.
func (db *DB) Close() error {
	var err error
	if db.read != db.write {
		err = db.read.Close()
	}
	return errors.Join(err, db.write.Close())
}

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error {
	var one int
	if err := db.read.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
		return fmt.Errorf("ping: %w", err)
	}
	return nil
}

// Stats reports the pools' statistics for metrics.
func (db *DB) Stats() map[string]sql.DBStats {
	if db.read == db.write {
		return map[string]sql.DBStats{"main": db.write.Stats()}
	}
	return map[string]sql.DBStats{"write": db.write.Stats(), "read": db.read.Stats()}
}

// rebind turns ? placeholders into $1, $2… for PostgreSQL. Hearth's SQL has
// no ? inside string literals.
func (db *DB) rebind(q string) string {
	if db.engine != Postgres {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}

// Tx is one write transaction.
type Tx struct {
	tx          *sql.Tx
	db          *DB
	afterCommit []func()
}

// AfterCommit runs f once the transaction has committed (never if it rolls
// back): the place to wake workers about rows the transaction wrote.
func (t *Tx) AfterCommit(f func()) { t.afterCommit = append(t.afterCommit, f) }

func (t *Tx) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return t.tx.ExecContext(ctx, t.db.rebind(q), args...)
}

func (t *Tx) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	return t.tx.QueryRowContext(ctx, t.db.rebind(q), args...)
}

func (t *Tx) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return t.tx.QueryContext(ctx, t.db.rebind(q), args...)
}

// insert runs an INSERT … RETURNING id.
func (t *Tx) insert(ctx context.Context, q string, args ...any) (int64, error) {
	var id int64
	err := t.queryRow(ctx, q+" RETURNING id", args...).Scan(&id)
	return id, err
}

// InTx runs fn in one write transaction: all of it is stored, or none.
func (db *DB) InTx(ctx context.Context, fn func(*Tx) error) (err error) {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer func() {
		if p := recover(); p != nil {
			tx.Rollback()
			panic(p)
		}
		if err != nil {
			tx.Rollback()
		}
	}()
	t := &Tx{tx: tx, db: db}
	if err = fn(t); err != nil {
		return err
	}
	if err = tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	for _, f := range t.afterCommit {
		f()
	}
	return nil
}

func (db *DB) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	return db.read.QueryRowContext(ctx, db.rebind(q), args...)
}

func (db *DB) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return db.read.QueryContext(ctx, db.rebind(q), args...)
}

// isUnique reports whether err is a unique-constraint violation, on either
// engine.
func isUnique(err error) bool {
	var se *sqlite.Error
	if errors.As(err, &se) {
		c := se.Code()
		return c == sqlite3.SQLITE_CONSTRAINT_UNIQUE || c == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code == "23505"
	}
	return false
}

// uniqueOn reports whether err is a unique-constraint violation that names
// the column (SQLite says "table.column", PostgreSQL "table_column_key").
func uniqueOn(err error, table, column string) bool {
	if !isUnique(err) {
		return false
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return strings.Contains(pe.ConstraintName, table+"_"+column)
	}
	return strings.Contains(err.Error(), table+"."+column)
}

// notFound turns sql.ErrNoRows into a NotFound error a person may read.
func notFound(err error, what string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return hearth.Errorf(hearth.NotFound, "%s was not found.", what)
	}
	return err
}

func unix(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}

func fromUnix(s int64) time.Time {
	if s == 0 {
		return time.Time{}
	}
	return time.Unix(s, 0).UTC()
}

// placeholders returns "?, ?, ?" for n values.
func placeholders(n int) string {
	if n <= 0 {
		return ""
	}
	return strings.Repeat("?, ", n-1) + "?"
}

func anys[T any](in []T) []any {
	out := make([]any, len(in))
	for i, v := range in {
		out[i] = v
	}
	return out
}
