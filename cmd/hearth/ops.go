package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/sqldb"
	"github.com/hearth-org/hearth/internal/vault"
)

// The operators' commands: backup, restore and master key rotation.

const backupHelp = `Usage: hearth backup [--data DIR | --database-url URL] [--force] FILE

Writes a consistent backup of Hearth's database to FILE while Hearth keeps
running. The backup is one SQLite file whatever the engine: SQLite is copied
with VACUUM INTO from one read snapshot (never a copy of the live files);
PostgreSQL is read in one REPEATABLE READ, READ ONLY transaction and written
table by table into the same format, so a backup restores into either
engine (hearth restore). The file is written under a temporary name, checked
(integrity_check), given mode 0600 and renamed; an existing FILE is refused
unless --force.

The backup does NOT contain the master key: what members wrote stays
encrypted in it. Back up the master key file separately (and apart from the
backups): without it no backup can be read; with both, everything can.

Exit status: 0 written, 2 for a wrong command line or an existing FILE,
1 when the backup failed (nothing is left at FILE).`

func backupCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := newFlagSet("backup", backupHelp, getenv, stderr)
	data := fs.str("data", "./hearth-data", "folder of the SQLite database")
	dbURL := fs.str("database-url", "", "PostgreSQL URL; empty for SQLite in the data folder")
	keyFile := fs.masterKeyFile()
	force := fs.Bool("force", false, "replace FILE if it exists")
	pos, err := parsePositional(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		fmt.Fprintln(stderr, "hearth backup: name one FILE to write")
		fs.Usage()
		return errUsage
	}
	if *dbURL == "" {
		// Never create an empty database just to back it up.
		if _, err := os.Stat(filepath.Join(*data, "hearth.db")); errors.Is(err, os.ErrNotExist) {
			return hearth.Errorf(hearth.Invalid, "There is no Hearth database in %s (hearth.db): give the data folder with --data or HEARTH_DATA.", *data)
		}
	}
	db, err := sqldb.Open(ctx, sqldb.Options{URL: *dbURL, DataDir: *data})
	if err != nil {
		return fmt.Errorf("open database: %w", err)
	}
	defer db.Close()
	res, err := db.Backup(ctx, pos[0], *force)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Backup written to %s (%s, %d rows in %d tables, from %s).\n", res.Path, sizeText(res.Bytes), res.Rows(), len(res.Tables), db.Engine())
	fmt.Fprintf(stdout, "It does not contain the master key. Back up the master key file %s separately: without it this backup cannot be read.\n", keyPath(*keyFile, *data))
	return nil
}

const restoreHelp = `Usage: hearth restore [--data DIR | --database-url URL] [--master-key-file F] FILE

Brings back a backup written by hearth backup, into an empty data folder
(SQLite: no hearth.db there yet) or an empty PostgreSQL database
(--database-url; its tables may exist but must hold no rows). Anything else
is refused and left as it was. Stop Hearth before restoring, and start it
after.

Restore checks the backup (integrity_check and foreign keys) before, works on
a copy (migrated when the backup comes from an older Hearth), checks it
again, and checks that the master key file opens every data key in the
backup: the file in use when the backup was made, or a later one from a
rotation that had finished. When it does not, nothing is restored.

Exit status: 0 restored, 2 for a wrong command line, a backup that is not
sound, a database that is not empty or a master key file that does not open
the backup, 1 when the restore failed.`

func restoreCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := newFlagSet("restore", restoreHelp, getenv, stderr)
	data := fs.str("data", "./hearth-data", "folder to restore the SQLite database into (the master key file's default folder too)")
	dbURL := fs.str("database-url", "", "PostgreSQL URL to restore into; empty for SQLite in the data folder")
	keyFile := fs.masterKeyFile()
	pos, err := parsePositional(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		fmt.Fprintln(stderr, "hearth restore: name one backup FILE")
		fs.Usage()
		return errUsage
	}
	key := keyPath(*keyFile, *data)
	checked := 0
	check := func(ctx context.Context, db *sqldb.DB) error {
		if _, err := os.Stat(key); errors.Is(err, os.ErrNotExist) {
			if _, _, err := db.AnyDataKey(ctx); hearth.ErrorKind(err) == hearth.NotFound {
				return nil // nothing sealed: serve will create a key file
			}
			return hearth.Errorf(hearth.Invalid, "The backup holds text sealed under a master key, and there is no master key file at %s: put there the master key file that was in use when the backup was made (or name it with --master-key-file) and run hearth restore again. Nothing was restored.", key)
		}
		mk, _, err := vault.LoadMasterKeys(key, false)
		if err != nil {
			return hearth.Errorf(hearth.Invalid, "%s Nothing was restored.", err)
		}
		v, err := vault.New(db, mk, vault.Options{})
		if err != nil {
			return err
		}
		n, err := v.CheckKeys(ctx, db)
		if err != nil {
			return hearth.Errorf(hearth.Invalid, "The master key file %s does not open this backup: %v. Give the master key file that was in use when the backup was made (--master-key-file). Nothing was restored.", key, err)
		}
		checked = n
		return nil
	}
	res, err := sqldb.Restore(ctx, pos[0], sqldb.RestoreOptions{URL: *dbURL, DataDir: *data, CheckKeys: check})
	if err != nil {
		return err
	}
	where := res.Path
	if *dbURL != "" {
		where = "the PostgreSQL database"
	}
	fmt.Fprintf(stdout, "Restored %s into %s: %d rows in %d tables; integrity checked before and after.\n", pos[0], where, res.Rows(), len(res.Tables))
	if checked > 0 {
		fmt.Fprintf(stdout, "The master key file %s opens all %d data keys.\n", key, checked)
	} else {
		fmt.Fprintln(stdout, "The backup holds no encrypted text yet.")
	}
	return nil
}

const rotateKeysHelp = `Usage: hearth admin rotate-keys [--retire-old | --add-key-only] [--batch N]

Rotates the master key while Hearth keeps running:

  1. a new key line is added to the master key file (the old ones stay);
  2. every data key is wrapped again under the new key, in batches of N,
     each batch one transaction. Texts are not re-encrypted and stay
     readable throughout: a running Hearth reads the key file again by
     itself when it meets a data key wrapped under a key it does not hold,
     and wraps new data keys under the newest key.

Interrupted (Ctrl+C, a crash), run it again: it finishes the rotation it
started instead of adding another key. Back up the key file once it has the
new key.

  --retire-old    after finishing any rewrapping, remove the old key lines
                  from the file (refused while a data key still uses one).
                  Backups made before the rotation then need the old file.
  --add-key-only  only add the new key line: when several hosts run Hearth,
                  copy the new file to each of them, then run rotate-keys
                  again to rewrap.

Run it on a host that reads the same key file as the running Hearth. Only
one rotate-keys runs at a time per database: a second one started meanwhile
says a rotation is under way, changes nothing and exits with status 2.`

var errRotationUnderWay = hearth.Coded(hearth.Conflict, "rotation_under_way",
	"A key rotation is already under way on this database (another hearth admin rotate-keys holds its lock); nothing was changed. Let it finish; if it was interrupted, run rotate-keys again.")

func rotateKeys(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := newFlagSet("admin rotate-keys", rotateKeysHelp, getenv, stderr)
	data := fs.str("data", "./hearth-data", "folder of the SQLite database")
	dbURL := fs.str("database-url", "", "PostgreSQL URL; empty for SQLite in the data folder")
	keyFile := fs.masterKeyFile()
	retire := fs.Bool("retire-old", false, "remove the old key lines once no data key uses them")
	addOnly := fs.Bool("add-key-only", false, "only add the new key line (for several hosts)")
	batch := fs.Int("batch", 500, "data keys rewrapped per transaction")
	if err := fs.parse(args); err != nil {
		return err
	}
	if *retire && *addOnly {
		fmt.Fprintln(stderr, "hearth admin rotate-keys: --retire-old and --add-key-only do not go together")
		return errUsage
	}
	if *batch < 1 || *batch > 100000 {
		fmt.Fprintln(stderr, "hearth admin rotate-keys: --batch must be from 1 to 100000")
		return errUsage
	}
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	key := keyPath(*keyFile, *data)
	db, err := sqldb.Open(ctx, sqldb.Options{URL: *dbURL, DataDir: *data})
	if err != nil {
		return fmt.Errorf("open database: %w", err)
	}
	defer db.Close()
	// One rotation at a time: two would each add a key line numbered alike
	// and the second file written would drop the key the first rewraps
	// under. The lock is held until the end (a crash releases it).
	release, err := db.LockOperation(ctx, "rotate-keys")
	if errors.Is(err, sqldb.ErrLockHeld) {
		return errRotationUnderWay
	}
	if err != nil {
		return err
	}
	defer release()
	v, _, err := vault.OpenFile(ctx, db, key, false, vault.Options{})
	if err != nil {
		return err
	}
	current := v.CurrentMasterKey()
	use, err := db.MasterKeyUse(ctx)
	if err != nil {
		return err
	}
	pending := int64(0)
	for id, n := range use {
		if id != int64(current) {
			pending += n
		}
	}
	switch {
	case *retire:
		// Finish first whatever is left under an older key.
	case pending > 0:
		fmt.Fprintf(stdout, "A rotation to master key %d is not finished (%d data keys still under an older key): finishing it.\n", current, pending)
	default:
		next, err := vault.AddMasterKey(key)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Added master key %d to %s. Back up this file now.\n", next, key)
		if *addOnly {
			fmt.Fprintln(stdout, "Copy it to every host that runs Hearth, then run hearth admin rotate-keys again to rewrap the data keys.")
			return nil
		}
	}
	if *addOnly {
		fmt.Fprintln(stdout, "No key was added: finish the rotation under way first (hearth admin rotate-keys).")
		return nil
	}
	n, err := v.Rewrap(ctx, db, *batch, nil)
	current = v.CurrentMasterKey()
	if err != nil {
		if ctx.Err() != nil {
			fmt.Fprintf(stdout, "Stopped after rewrapping %d data keys; everything stays readable. Run hearth admin rotate-keys again to finish.\n", n)
			return fmt.Errorf("rotation interrupted")
		}
		return err
	}
	fmt.Fprintf(stdout, "Rewrapped %d data keys under master key %d; every data key now uses it.\n", n, current)
	if !*retire {
		fmt.Fprintf(stdout, "The old key lines stay in %s; remove them with hearth admin rotate-keys --retire-old.\n", key)
		return nil
	}
	removed, err := vault.RetireMasterKeys(ctx, db, key)
	if err != nil {
		return err
	}
	if len(removed) == 0 {
		fmt.Fprintln(stdout, "No old key to retire: the file holds only the current key.")
		return nil
	}
	ids := make([]string, len(removed))
	for i, id := range removed {
		ids[i] = fmt.Sprint(id)
	}
	fmt.Fprintf(stdout, "Retired master key %s from %s. Backups made before the rotation need the old key file; keep a copy of it with them, or destroy both.\n", strings.Join(ids, ", "), key)
	return nil
}

// parsePositional parses flags that may come before or after the
// positional arguments, and returns the positional ones.
func parsePositional(fs *flagSet, args []string) ([]string, error) {
	var pos []string
	for rest := args; ; {
		if err := fs.Parse(rest); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, errUsage
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		rest = fs.Args()[1:]
	}
}

// keyPath is the master key file's path: the flag's, or master.key in the
// data folder.
func keyPath(flagValue, dataDir string) string {
	p := flagValue
	if p == "" {
		p = filepath.Join(dataDir, "master.key")
	}
	if abs, err := filepath.Abs(p); err == nil {
		return abs
	}
	return p
}

func sizeText(n int64) string {
	switch {
	case n >= 10<<20:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 10<<10:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
