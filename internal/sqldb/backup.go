package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/hearth-org/hearth"
)

// Backups are one self-contained SQLite file, whatever the engine:
//
//   - SQLite: VACUUM INTO from a read connection, a consistent snapshot
//     taken while Hearth keeps writing (never a copy of the live files);
//   - PostgreSQL: one REPEATABLE READ, READ ONLY transaction copied table by
//     table into a fresh SQLite database with the same schema (both engines
//     share table and column names), so a backup restores into either
//     engine.
//
// A backup holds the wrapped data keys but never the master key: without
// the master key file it is unreadable.

// BackupResult describes a backup or a restore: rows per table.
type BackupResult struct {
	Path   string
	Bytes  int64
	Tables map[string]int64
}

// Rows is the total number of rows.
func (r *BackupResult) Rows() int64 {
	var n int64
	for _, c := range r.Tables {
		n += c
	}
	return n
}

// Backup writes a consistent backup of the database to dest: written under
// a temporary name in dest's folder, checked (integrity_check), synced,
// given mode 0600 and only then renamed to dest. An existing dest is
// refused (a Conflict error) unless force is set.
func (db *DB) Backup(ctx context.Context, dest string, force bool) (*BackupResult, error) {
	if dest == "" {
		return nil, hearth.Errorf(hearth.Invalid, "Name the backup file to write.")
	}
	dest, err := filepath.Abs(dest)
	if err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	if st, err := os.Stat(dest); err == nil {
		if !force {
			return nil, hearth.Errorf(hearth.Conflict, "%s already exists: name another file, or give --force to replace it.", dest)
		}
		if !st.Mode().IsRegular() {
			return nil, hearth.Errorf(hearth.Invalid, "%s is not a regular file.", dest)
		}
	}
	dir := filepath.Dir(dest)
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return nil, hearth.Errorf(hearth.Invalid, "The folder %s does not exist.", dir)
	}
	tmp, err := os.CreateTemp(dir, ".hearth-backup-*.tmp")
	if err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	tmpName := tmp.Name()
	tmp.Close()
	done := false
	defer func() {
		if !done {
			removeSQLiteFiles(tmpName)
		}
	}()
	switch db.engine {
	case SQLite:
		// The reader pool is read-only: VACUUM INTO reads one snapshot
		// and writes only the new file.
		if _, err := db.read.ExecContext(ctx, `VACUUM INTO ?`, tmpName); err != nil {
			return nil, fmt.Errorf("backup: vacuum into: %w", err)
		}
	case Postgres:
		if err := db.backupPostgres(ctx, tmpName); err != nil {
			return nil, err
		}
	}
	res, err := checkBackupFile(ctx, tmpName)
	if err != nil {
		return nil, fmt.Errorf("backup: the file written does not check: %w", err)
	}
	if err := syncFile(tmpName); err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	if err := os.Chmod(tmpName, 0o600); err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	if force {
		err = os.Rename(tmpName, dest)
	} else {
		// A link fails rather than replace a file that appeared meanwhile.
		if err = os.Link(tmpName, dest); err == nil {
			os.Remove(tmpName)
		} else if errors.Is(err, fs.ErrExist) {
			return nil, hearth.Errorf(hearth.Conflict, "%s already exists: name another file, or give --force to replace it.", dest)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	done = true
	syncDir(dir)
	res.Path = dest
	if st, err := os.Stat(dest); err == nil {
		res.Bytes = st.Size()
	}
	return res, nil
}

// backupPostgres copies one snapshot of every table into a new SQLite
// database at path.
func (db *DB) backupPostgres(ctx context.Context, path string) error {
	// The schema first, by the same migrations a SQLite Hearth runs.
	lite, err := Open(ctx, Options{URL: "sqlite:" + path, Logger: db.log})
	if err != nil {
		return fmt.Errorf("backup: create the backup's schema: %w", err)
	}
	if err := lite.Close(); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	dst, err := openRawSQLite(path, false)
	if err != nil {
		return err
	}
	defer dst.Close()
	if _, err := dst.ExecContext(ctx, `PRAGMA journal_mode=DELETE`); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	tables, err := sqliteTables(ctx, dst)
	if err != nil {
		return err
	}
	src, err := db.write.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	if err != nil {
		return fmt.Errorf("backup: begin snapshot: %w", err)
	}
	defer src.Rollback()
	out, err := dst.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer out.Rollback()
	for _, t := range tables {
		// Every PostgreSQL column must have its place in the file.
		if _, err := pgBooleans(ctx, src, t); err != nil {
			return fmt.Errorf("backup: %w", err)
		}
		if _, err := copyTable(ctx, src, out, t, nil); err != nil {
			return fmt.Errorf("backup: %w", err)
		}
	}
	if err := out.Commit(); err != nil {
		return fmt.Errorf("backup: commit: %w", err)
	}
	return nil
}

// RestoreOptions say where to restore and how to check the master key.
type RestoreOptions struct {
	// URL and DataDir name the database to restore into, as for Open:
	// an empty data folder (SQLite) or an empty PostgreSQL database.
	URL, DataDir string
	// CheckKeys is called with the restored database before it is put in
	// place (SQLite) or copied (PostgreSQL); an error stops the restore.
	// The command checks that the master key file opens every data key.
	CheckKeys func(ctx context.Context, db *DB) error
}

// Restore brings a backup file back into an empty database. It checks the
// backup (integrity_check, a Hearth schema no newer than this Hearth), works
// on a copy in the data folder (migrated when the backup is older), checks
// it again and the master key, and then puts it in place: renamed to
// hearth.db for SQLite, copied in one transaction for PostgreSQL. A data
// folder that holds a database, or a PostgreSQL database with rows, is
// refused with an Invalid error and left as it was.
func Restore(ctx context.Context, src string, o RestoreOptions) (*BackupResult, error) {
	st, err := os.Stat(src)
	if err != nil || !st.Mode().IsRegular() {
		return nil, hearth.Errorf(hearth.Invalid, "The backup file %s cannot be read: %v", src, errOr(err, "not a regular file"))
	}
	before, err := checkBackupFile(ctx, src)
	if err != nil {
		return nil, hearth.Errorf(hearth.Invalid, "%s is not a sound Hearth backup: %v", src, err)
	}
	if o.DataDir == "" {
		return nil, hearth.Errorf(hearth.Invalid, "Name the data folder to restore into.")
	}
	pg := strings.HasPrefix(o.URL, "postgres://") || strings.HasPrefix(o.URL, "postgresql://")
	if !pg && o.URL != "" {
		return nil, hearth.Errorf(hearth.Invalid, "The database URL must start with postgres:// (or be empty for SQLite in the data folder).")
	}
	if err := os.MkdirAll(o.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("create data folder: %w", err)
	}
	final := filepath.Join(o.DataDir, "hearth.db")
	var target *DB
	if pg {
		target, err = Open(ctx, Options{URL: o.URL})
		if err != nil {
			return nil, err
		}
		defer target.Close()
		counts, err := target.TableCounts(ctx)
		if err != nil {
			return nil, err
		}
		for t, n := range counts {
			if n > 0 {
				return nil, hearth.Errorf(hearth.Invalid, "The PostgreSQL database already holds data (table %s has %d rows): restore only into an empty database.", t, n)
			}
		}
	} else {
		for _, p := range []string{final, final + "-wal"} {
			if _, err := os.Lstat(p); err == nil {
				return nil, hearth.Errorf(hearth.Invalid, "The data folder %s already holds a database (%s): restore only into an empty data folder; move it away first.", o.DataDir, filepath.Base(p))
			}
		}
	}

	// Work on a copy, migrated to this Hearth's schema.
	work, err := copyToTemp(src, o.DataDir)
	if err != nil {
		return nil, fmt.Errorf("restore: %w", err)
	}
	defer removeSQLiteFiles(work)
	wdb, err := Open(ctx, Options{URL: "sqlite:" + work})
	if err != nil {
		return nil, fmt.Errorf("restore: open the backup: %w", err)
	}
	defer func() {
		if wdb != nil {
			wdb.Close()
		}
	}()
	if err := integrityCheck(ctx, wdb.write); err != nil {
		return nil, fmt.Errorf("restore: after migration: %w", err)
	}
	if o.CheckKeys != nil {
		if err := o.CheckKeys(ctx, wdb); err != nil {
			return nil, err
		}
	}
	if pg {
		if err := copyInto(ctx, wdb, target); err != nil {
			return nil, fmt.Errorf("restore into postgres: %w", err)
		}
		after, err := target.TableCounts(ctx)
		if err != nil {
			return nil, err
		}
		if err := sameCounts(before.Tables, after); err != nil {
			return nil, fmt.Errorf("restore: %w", err)
		}
		return &BackupResult{Path: o.URL, Bytes: st.Size(), Tables: after}, nil
	}
	// SQLite: checkpoint and close the copy, then move it into place.
	if _, err := wdb.write.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		return nil, fmt.Errorf("restore: checkpoint: %w", err)
	}
	err = wdb.Close()
	wdb = nil
	if err != nil {
		return nil, fmt.Errorf("restore: %w", err)
	}
	if err := syncFile(work); err != nil {
		return nil, fmt.Errorf("restore: %w", err)
	}
	for _, sfx := range []string{"-wal", "-shm"} {
		os.Remove(work + sfx)
	}
	if err := os.Link(work, final); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return nil, hearth.Errorf(hearth.Invalid, "The data folder %s already holds a database (hearth.db): restore only into an empty data folder.", o.DataDir)
		}
		return nil, fmt.Errorf("restore: %w", err)
	}
	syncDir(o.DataDir)
	after, err := checkBackupFile(ctx, final)
	if err != nil {
		return nil, fmt.Errorf("restore: the restored database does not check: %w", err)
	}
	if err := sameCounts(before.Tables, after.Tables); err != nil {
		return nil, fmt.Errorf("restore: %w", err)
	}
	after.Path = final
	after.Bytes = st.Size()
	return after, nil
}

// TableCounts returns the number of rows in each of Hearth's tables.
func (db *DB) TableCounts(ctx context.Context) (map[string]int64, error) {
	names, err := db.tableNames(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string]int64{}
	for _, n := range names {
		var c int64
		if err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+quoteIdent(n)).Scan(&c); err != nil {
			return nil, fmt.Errorf("count %s: %w", n, err)
		}
		out[n] = c
	}
	return out, nil
}

// tableNames lists Hearth's tables (not the migrations' bookkeeping).
func (db *DB) tableNames(ctx context.Context) ([]string, error) {
	q := `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'goose_db_version' ORDER BY name`
	if db.engine == Postgres {
		q = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()
			AND table_type = 'BASE TABLE' AND table_name <> 'goose_db_version' ORDER BY table_name`
	}
	rows, err := db.read.QueryContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("list tables: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// table is one table's name, columns and the tables it references.
type table struct {
	name string
	cols []string
	refs []string
}

// sqliteTables reads the tables of a SQLite database in an order where a
// table comes after those it references (a table referencing itself is
// copied in primary-key order).
func sqliteTables(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}) ([]table, error) {
	rows, err := q.QueryContext(ctx, `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'goose_db_version' ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("list tables: %w", err)
	}
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return nil, err
		}
		names = append(names, n)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	byName := map[string]*table{}
	for _, n := range names {
		t := &table{name: n}
		cols, err := q.QueryContext(ctx, `SELECT name FROM pragma_table_info(?) ORDER BY cid`, n)
		if err != nil {
			return nil, fmt.Errorf("columns of %s: %w", n, err)
		}
		for cols.Next() {
			var c string
			if err := cols.Scan(&c); err != nil {
				cols.Close()
				return nil, err
			}
			t.cols = append(t.cols, c)
		}
		cols.Close()
		fks, err := q.QueryContext(ctx, `SELECT DISTINCT "table" FROM pragma_foreign_key_list(?)`, n)
		if err != nil {
			return nil, fmt.Errorf("references of %s: %w", n, err)
		}
		for fks.Next() {
			var r string
			if err := fks.Scan(&r); err != nil {
				fks.Close()
				return nil, err
			}
			if r != n {
				t.refs = append(t.refs, r)
			}
		}
		fks.Close()
		byName[n] = t
	}
	// Depth-first topological order.
	var out []table
	state := map[string]int{} // 1 visiting, 2 done
	var visit func(n string) error
	visit = func(n string) error {
		t, ok := byName[n]
		if !ok || state[n] == 2 {
			return nil
		}
		if state[n] == 1 {
			return fmt.Errorf("tables reference each other in a cycle through %s", n)
		}
		state[n] = 1
		for _, r := range t.refs {
			if err := visit(r); err != nil {
				return err
			}
		}
		state[n] = 2
		out = append(out, *t)
		return nil
	}
	for _, n := range names {
		if err := visit(n); err != nil {
			return nil, err
		}
	}
	return out, nil
}

type querier interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}

// copyTable copies every row of t from src into dst (statements written
// with $n placeholders when dst is PostgreSQL: pgBool names its boolean
// columns, nil for SQLite, which stores them as 0 and 1).
func copyTable(ctx context.Context, src querier, dst *sql.Tx, t table, pgBool map[string]bool) (int64, error) {
	cols := make([]string, len(t.cols))
	for i, c := range t.cols {
		cols[i] = quoteIdent(c)
	}
	order := ""
	if slices.Contains(t.cols, "id") {
		order = " ORDER BY id"
	}
	rows, err := src.QueryContext(ctx, `SELECT `+strings.Join(cols, ", ")+` FROM `+quoteIdent(t.name)+order)
	if err != nil {
		return 0, fmt.Errorf("read %s: %w", t.name, err)
	}
	defer rows.Close()
	ph := make([]string, len(cols))
	for i := range ph {
		if pgBool != nil {
			ph[i] = fmt.Sprintf("$%d", i+1)
		} else {
			ph[i] = "?"
		}
	}
	ins, err := dst.PrepareContext(ctx, `INSERT INTO `+quoteIdent(t.name)+` (`+strings.Join(cols, ", ")+`) VALUES (`+strings.Join(ph, ", ")+`)`)
	if err != nil {
		return 0, fmt.Errorf("prepare %s: %w", t.name, err)
	}
	defer ins.Close()
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	var n int64
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return n, fmt.Errorf("read %s: %w", t.name, err)
		}
		for i, v := range vals {
			switch x := v.(type) {
			case bool:
				if pgBool == nil {
					vals[i] = map[bool]int64{false: 0, true: 1}[x]
				}
			case int64:
				if pgBool[t.cols[i]] {
					vals[i] = x != 0
				}
			}
		}
		if _, err := ins.ExecContext(ctx, vals...); err != nil {
			return n, fmt.Errorf("write %s: %w", t.name, err)
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return n, fmt.Errorf("read %s: %w", t.name, err)
	}
	return n, nil
}

// copyInto copies every table of a SQLite database into an empty
// PostgreSQL one in one transaction, then moves each identity column's
// sequence past the largest id copied.
func copyInto(ctx context.Context, from, to *DB) error {
	tables, err := sqliteTables(ctx, from.read)
	if err != nil {
		return err
	}
	tx, err := to.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, t := range tables {
		bools, err := pgBooleans(ctx, tx, t)
		if err != nil {
			return err
		}
		if _, err := copyTable(ctx, from.read, tx, t, bools); err != nil {
			return err
		}
		if slices.Contains(t.cols, "id") {
			var seq sql.NullString
			if err := tx.QueryRowContext(ctx, `SELECT pg_get_serial_sequence($1, 'id')`, quoteIdent(t.name)).Scan(&seq); err != nil {
				return fmt.Errorf("sequence of %s: %w", t.name, err)
			}
			if seq.Valid {
				if _, err := tx.ExecContext(ctx, `SELECT setval($1, COALESCE((SELECT MAX(id) FROM `+quoteIdent(t.name)+`), 0) + 1, false)`, seq.String); err != nil {
					return fmt.Errorf("sequence of %s: %w", t.name, err)
				}
			}
		}
	}
	return tx.Commit()
}

// pgBooleans checks that a PostgreSQL table has exactly the SQLite table's
// columns and says which of them are boolean.
func pgBooleans(ctx context.Context, q querier, t table) (map[string]bool, error) {
	pgCols := map[string]string{}
	rows, err := q.QueryContext(ctx, `SELECT column_name, data_type FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name = $1`, t.name)
	if err != nil {
		return nil, fmt.Errorf("columns of %s: %w", t.name, err)
	}
	for rows.Next() {
		var c, ty string
		if err := rows.Scan(&c, &ty); err != nil {
			rows.Close()
			return nil, err
		}
		pgCols[c] = ty
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(pgCols) != len(t.cols) {
		return nil, fmt.Errorf("table %s has %d columns in SQLite and %d in PostgreSQL", t.name, len(t.cols), len(pgCols))
	}
	bools := map[string]bool{}
	for _, c := range t.cols {
		ty, ok := pgCols[c]
		if !ok {
			return nil, fmt.Errorf("table %s: column %s is missing in PostgreSQL", t.name, c)
		}
		bools[c] = ty == "boolean"
	}
	return bools, nil
}

// checkBackupFile opens a backup read-only, runs integrity_check and
// foreign_key_check, checks it is a Hearth database whose schema this
// Hearth knows, and counts its rows.
func checkBackupFile(ctx context.Context, path string) (*BackupResult, error) {
	db, err := openRawSQLite(path, true)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	if err := integrityCheck(ctx, db); err != nil {
		return nil, err
	}
	var version int64
	if err := db.QueryRowContext(ctx, `SELECT MAX(version_id) FROM goose_db_version`).Scan(&version); err != nil {
		return nil, errors.New("it holds no Hearth schema (no migrations table)")
	}
	if latest := latestMigration(); version > latest {
		return nil, fmt.Errorf("it was written by a newer Hearth (schema %d; this Hearth knows up to %d): restore it with that version", version, latest)
	}
	tables, err := sqliteTables(ctx, db)
	if err != nil {
		return nil, err
	}
	if !slices.ContainsFunc(tables, func(t table) bool { return t.name == "data_keys" }) {
		return nil, errors.New("it holds no Hearth schema (no data_keys table)")
	}
	res := &BackupResult{Path: path, Tables: map[string]int64{}}
	for _, t := range tables {
		var n int64
		if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+quoteIdent(t.name)).Scan(&n); err != nil {
			return nil, fmt.Errorf("count %s: %w", t.name, err)
		}
		res.Tables[t.name] = n
	}
	return res, nil
}

// integrityCheck runs PRAGMA integrity_check and foreign_key_check.
func integrityCheck(ctx context.Context, db querier) error {
	rows, err := db.QueryContext(ctx, `PRAGMA integrity_check`)
	if err != nil {
		return fmt.Errorf("integrity check: %w", err)
	}
	var problems []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			rows.Close()
			return err
		}
		if s != "ok" {
			problems = append(problems, s)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("integrity check: %w", err)
	}
	if len(problems) > 0 {
		if len(problems) > 5 {
			problems = append(problems[:5], "…")
		}
		return fmt.Errorf("integrity check failed: %s", strings.Join(problems, "; "))
	}
	fk, err := db.QueryContext(ctx, `PRAGMA foreign_key_check`)
	if err != nil {
		return fmt.Errorf("foreign key check: %w", err)
	}
	defer fk.Close()
	if fk.Next() {
		return errors.New("foreign key check failed: a row refers to a missing row")
	}
	return fk.Err()
}

func latestMigration() int64 {
	entries, _ := fs.ReadDir(migrations, "migrations/sqlite")
	var latest int64
	for _, e := range entries {
		var v int64
		if _, err := fmt.Sscanf(e.Name(), "%d_", &v); err == nil {
			latest = max(latest, v)
		}
	}
	return latest
}

func sameCounts(want, got map[string]int64) error {
	for t, n := range want {
		if got[t] != n {
			return fmt.Errorf("table %s has %d rows after the restore, the backup had %d", t, got[t], n)
		}
	}
	return nil
}

// openRawSQLite opens one connection to a SQLite file, without migrations:
// read-only, or writable with foreign keys off (for loading).
func openRawSQLite(path string, readOnly bool) (*sql.DB, error) {
	dsn := "file:" + path + "?_pragma=foreign_keys(0)&_pragma=busy_timeout(10000)"
	if readOnly {
		dsn = "file:" + path + "?mode=ro&_pragma=busy_timeout(10000)"
	}
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	db.SetMaxOpenConns(1)
	return db, nil
}

// copyToTemp copies src to a new file (mode 0600) in dir.
func copyToTemp(src, dir string) (string, error) {
	in, err := os.Open(src)
	if err != nil {
		return "", err
	}
	defer in.Close()
	out, err := os.CreateTemp(dir, ".hearth-restore-*.db")
	if err != nil {
		return "", err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		os.Remove(out.Name())
		return "", err
	}
	if err := out.Close(); err != nil {
		os.Remove(out.Name())
		return "", err
	}
	return out.Name(), nil
}

func removeSQLiteFiles(path string) {
	for _, sfx := range []string{"", "-wal", "-shm", "-journal"} {
		os.Remove(path + sfx)
	}
}

func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

func errOr(err error, s string) string {
	if err != nil {
		return err.Error()
	}
	return s
}
