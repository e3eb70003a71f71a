package sqldb

import (
	"context"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
)

// RowsForTest returns every row of a table as text, columns in name order
// and values normalized so that both engines print a row alike (booleans
// as 0/1, bytes in hex), sorted.
func (db *DB) RowsForTest(ctx context.Context, table string) ([]string, error) {
	probe, err := db.read.QueryContext(ctx, `SELECT * FROM `+quoteIdent(table)+` LIMIT 0`)
	if err != nil {
		return nil, err
	}
	cols, err := probe.Columns()
	probe.Close()
	if err != nil {
		return nil, err
	}
	slices.Sort(cols)
	quoted := make([]string, len(cols))
	for i, c := range cols {
		quoted[i] = quoteIdent(c)
	}
	rows, err := db.read.QueryContext(ctx, `SELECT `+strings.Join(quoted, ", ")+` FROM `+quoteIdent(table))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	var out []string
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		var b strings.Builder
		for i, v := range vals {
			switch x := v.(type) {
			case bool:
				v = map[bool]int{false: 0, true: 1}[x]
			case []byte:
				v = "x" + hex.EncodeToString(x)
			case nil:
				v = "NULL"
			}
			fmt.Fprintf(&b, "%s=%v|", cols[i], v)
		}
		out = append(out, b.String())
	}
	slices.Sort(out)
	return out, rows.Err()
}

// MisrememberSentKeyForTest makes the SQLite handle's memory of a room's
// keys say that (actor, key) was stored as seq, as a hash shared by two
// keys would (roomkeys.go); false when the room is not remembered.
func (db *DB) MisrememberSentKeyForTest(room, actor int64, key string, seq int64) bool {
	s := db.sentKeys
	if s == nil {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	rk := s.rooms[room]
	if rk == nil {
		return false
	}
	s.add(rk, actor, key, seq)
	return true
}

// LimitSentKeysForTest sets how many keys the SQLite handle remembers over
// all rooms before it forgets the idlest half of them, and returns how
// many rooms it remembers now.
func (db *DB) LimitSentKeysForTest(n int) (rooms int) {
	s := db.sentKeys
	s.mu.Lock()
	defer s.mu.Unlock()
	s.limit = n
	return len(s.rooms)
}
