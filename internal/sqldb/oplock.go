package sqldb

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"os"
)

// ErrLockHeld says another process holds an operation lock (LockOperation).
var ErrLockHeld = errors.New("another process holds the lock")

// LockOperation takes a lock, named for an operation that must never run
// twice at once against this database (hearth admin rotate-keys), that
// excludes every other process using the same database until release is
// called — or until the process ends, however it ends: a crash never
// leaves the lock behind. A lock held elsewhere is ErrLockHeld at once
// (no waiting). It does not block the database's ordinary work.
//
// On PostgreSQL it is a session advisory lock (pg_try_advisory_lock) on a
// connection kept for the purpose, so it excludes processes on every host;
// on SQLite, whose database is one local file, an exclusive advisory file
// lock (flock) on a file beside the database, "<database>.<name>.lock".
func (db *DB) LockOperation(ctx context.Context, name string) (release func(), err error) {
	if db.engine == Postgres {
		h := fnv.New64a()
		h.Write([]byte("hearth:" + name))
		key := int64(h.Sum64())
		conn, err := db.write.Conn(ctx)
		if err != nil {
			return nil, fmt.Errorf("lock %s: %w", name, err)
		}
		var ok bool
		if err := conn.QueryRowContext(ctx, `SELECT pg_try_advisory_lock($1)`, key).Scan(&ok); err != nil {
			conn.Close()
			return nil, fmt.Errorf("lock %s: %w", name, err)
		}
		if !ok {
			conn.Close()
			return nil, ErrLockHeld
		}
		return func() {
			conn.ExecContext(context.Background(), `SELECT pg_advisory_unlock($1)`, key)
			conn.Close()
		}, nil
	}
	var seq int
	var schema, file string
	if err := db.read.QueryRowContext(ctx, `SELECT seq, name, file FROM pragma_database_list WHERE name = 'main'`).Scan(&seq, &schema, &file); err != nil {
		return nil, fmt.Errorf("lock %s: find the database file: %w", name, err)
	}
	if file == "" {
		return nil, fmt.Errorf("lock %s: the database has no file", name)
	}
	f, err := os.OpenFile(file+"."+name+".lock", os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", name, err)
	}
	if err := lockFile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() {
		unlockFile(f)
		f.Close()
	}, nil
}
