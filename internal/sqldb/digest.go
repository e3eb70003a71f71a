package sqldb

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// TableDigests returns, for each of Hearth's tables, its row count and a
// SHA-256 digest of its full content: every row's every column (but those
// named in skip as "table.column"), independent of row order. Two digests
// are equal only when no row was added, removed or changed in a column
// not skipped. For tests that check a refused request changed nothing: a
// small database's tables are read whole.
func (db *DB) TableDigests(ctx context.Context, skip map[string]bool) (map[string]string, error) {
	names, err := db.tableNames(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(names))
	for _, n := range names {
		d, err := db.tableDigest(ctx, n, skip)
		if err != nil {
			return nil, err
		}
		out[n] = d
	}
	return out, nil
}

func (db *DB) tableDigest(ctx context.Context, table string, skip map[string]bool) (string, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT * FROM `+quoteIdent(table))
	if err != nil {
		return "", fmt.Errorf("digest %s: %w", table, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return "", err
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	keep := make([]bool, len(cols))
	for i, c := range cols {
		keep[i] = !skip[table+"."+c]
	}
	var rowSums []string
	var b []byte
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return "", fmt.Errorf("digest %s: %w", table, err)
		}
		b = b[:0]
		for i, v := range vals {
			if !keep[i] {
				continue
			}
			b = append(b, cols[i]...)
			switch x := v.(type) {
			case nil:
				b = append(b, "=n"...)
			case int64:
				b = strconv.AppendInt(append(b, "=i"...), x, 10)
			case float64:
				b = strconv.AppendFloat(append(b, "=f"...), x, 'g', -1, 64)
			case bool:
				b = strconv.AppendBool(append(b, "=b"...), x)
			case []byte:
				b = append(append(b, "=x"...), x...)
			case string:
				b = append(append(b, "=s"...), x...)
			default:
				b = fmt.Appendf(append(b, "=?"...), "%T:%v", x, x)
			}
			b = append(b, 0, 0)
		}
		s := sha256.Sum256(b)
		rowSums = append(rowSums, string(s[:]))
	}
	if err := rows.Err(); err != nil {
		return "", err
	}
	slices.Sort(rowSums)
	all := sha256.Sum256([]byte(strings.Join(rowSums, "\n")))
	return fmt.Sprintf("%d rows %s", len(rowSums), hex.EncodeToString(all[:8])), nil
}

// WriteChanges counts the rows every INSERT, UPDATE and DELETE changed
// through the writer since it connected (SQLite's total_changes() on the
// one writer connection), so a test can tell cheaply that nothing was
// written between two calls. -1 when it cannot tell (PostgreSQL): digest.
func (db *DB) WriteChanges(ctx context.Context) (int64, error) {
	if db.engine != SQLite {
		return -1, nil
	}
	var n int64
	err := db.write.QueryRowContext(ctx, `SELECT total_changes()`).Scan(&n)
	return n, err
}
