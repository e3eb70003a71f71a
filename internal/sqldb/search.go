package sqldb

import (
	"context"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/hearth-org/hearth"
)

// GroupQuery is a directory search, prepared by the app: words already
// stemmed, places resolved to points, the viewer's day and time windows
// already placed in the UTC week. Only listed groups are ever returned.
type GroupQuery struct {
	Words         [][]string // every word must match one of its stems
	Topics        []string   // any of (already expanded to children)
	Formats       []string   // any of
	Leadership    []string   // any of
	Policy        string     // exact, or empty
	AcceptingAt   time.Time  // zero: no filter
	Languages     []string   // any of
	AgeBand       string     // the band or groups for all ages
	Gender        string     // the gender or groups for anyone
	Communities   []string   // any of
	Access        []string   // all of
	Costs         []string   // any of
	Windows       [][2]int   // UTC week-minute ranges, inclusive; empty: any time
	Near          *hearth.Point
	RadiusKm      float64
	ExcludeRemote bool
	Sort          hearth.Sort
	NowWeekMinute int // the UTC week minute now, for "soonest"
	Limit, Offset int
}

// GroupMatch is one group found, with its text score.
type GroupMatch struct {
	ID    int64
	Score int
}

// SearchGroups runs a directory search and returns one page of matches in
// order, and how many match in all. The same query gives the same groups in
// the same order on SQLite and PostgreSQL: every order ends with the id.
func (db *DB) SearchGroups(ctx context.Context, q GroupQuery) ([]GroupMatch, int, error) {
	var (
		where []string
		args  []any
		from  = "groups g"
		score = "0"
	)
	// Text: a grouped subquery over the stems; HAVING keeps groups that
	// match every word.
	var textArgs []any
	if len(q.Words) > 0 {
		var all []string
		var having []string
		for _, w := range q.Words {
			all = append(all, w...)
			having = append(having, `MAX(CASE WHEN t.term IN (`+placeholders(len(w))+`) THEN 1 ELSE 0 END) = 1`)
		}
		for _, s := range all {
			textArgs = append(textArgs, s)
		}
		for _, w := range q.Words {
			for _, s := range w {
				textArgs = append(textArgs, s)
			}
		}
		from = `groups g JOIN (SELECT t.group_id, CAST(SUM(t.weight) AS BIGINT) AS score FROM group_terms t WHERE t.term IN (` + placeholders(len(all)) +
			`) GROUP BY t.group_id HAVING ` + strings.Join(having, " AND ") + `) s ON s.group_id = g.id`
		score = "s.score"
	}

	where = append(where, "g.visibility = ?")
	args = append(args, string(hearth.Listed))
	tag := func(kind string, values []string, all bool) {
		if len(values) == 0 {
			return
		}
		if all {
			where = append(where, `(SELECT COUNT(*) FROM group_tags x WHERE x.group_id = g.id AND x.kind = ? AND x.value IN (`+placeholders(len(values))+`)) = ?`)
			args = append(args, kind)
			args = append(args, anys(values)...)
			args = append(args, len(values))
			return
		}
		where = append(where, `EXISTS (SELECT 1 FROM group_tags x WHERE x.group_id = g.id AND x.kind = ? AND x.value IN (`+placeholders(len(values))+`))`)
		args = append(args, kind)
		args = append(args, anys(values)...)
	}
	in := func(col string, values []string) {
		if len(values) == 0 {
			return
		}
		where = append(where, col+` IN (`+placeholders(len(values))+`)`)
		args = append(args, anys(values)...)
	}
	tag(tagTopic, q.Topics, false)
	in("g.format", q.Formats)
	in("g.leadership", q.Leadership)
	if q.Policy != "" {
		where = append(where, "g.policy = ?")
		args = append(args, q.Policy)
	}
	if !q.AcceptingAt.IsZero() {
		t := q.AcceptingAt.Unix()
		where = append(where, `(g.policy = ? OR (g.enrollment_opens <= ? AND g.enrollment_closes > ? AND g.active_members < g.enrollment_cap))`)
		args = append(args, string(hearth.Open), t, t)
	}
	tag(tagLanguage, q.Languages, false)
	if q.AgeBand != "" {
		where = append(where, "g.age_band IN (?, ?)")
		args = append(args, q.AgeBand, "all")
	}
	if q.Gender != "" {
		where = append(where, "g.gender IN (?, ?)")
		args = append(args, q.Gender, "any")
	}
	tag(tagCommunity, q.Communities, false)
	tag(tagAccess, q.Access, true)
	in("g.cost_kind", q.Costs)
	if len(q.Windows) > 0 {
		var ors []string
		for _, w := range q.Windows {
			ors = append(ors, "g.week_minute_utc BETWEEN ? AND ?")
			args = append(args, w[0], w[1])
		}
		where = append(where, "("+strings.Join(ors, " OR ")+")")
	}
	if q.ExcludeRemote {
		where = append(where, "NOT g.remote")
	}

	dot := "0"
	var dotArgs []any
	if q.Near != nil {
		radius := q.RadiusKm
		if radius <= 0 {
			radius = hearth.DefaultRadiusKm
		}
		x, y, z := q.Near.UnitVector()
		dot = "(g.geo_x * ? + g.geo_y * ? + g.geo_z * ?)"
		dotArgs = []any{x, y, z}
		// A bounding box lets the index narrow the rows; the dot product
		// then keeps those within the great-circle radius.
		dLat := radius / hearth.EarthRadiusKm * 180 / math.Pi
		local := `(g.has_point AND NOT g.remote AND g.lat BETWEEN ? AND ?`
		largs := []any{q.Near.Lat - dLat, q.Near.Lat + dLat}
		if c := math.Cos(q.Near.Lat * math.Pi / 180); c > 0.05 {
			dLon := dLat / c
			if q.Near.Lon-dLon > -180 && q.Near.Lon+dLon < 180 {
				local += ` AND g.lon BETWEEN ? AND ?`
				largs = append(largs, q.Near.Lon-dLon, q.Near.Lon+dLon)
			}
		}
		local += ` AND ` + dot + ` >= ?)`
		largs = append(largs, x, y, z, math.Cos(radius/hearth.EarthRadiusKm))
		if q.ExcludeRemote {
			where = append(where, local)
		} else {
			where = append(where, "(g.remote OR "+local+")")
		}
		args = append(args, largs...)
	}

	soonest := "((g.week_minute_utc - ?) % 10080 + 10080) % 10080"
	var order string
	var orderArgs []any
	switch q.Sort {
	case hearth.SortDistance:
		order = "CASE WHEN g.remote THEN 1 ELSE 0 END, " + dot + " DESC, " + soonest
		orderArgs = append(append(orderArgs, dotArgs...), q.NowWeekMinute)
	case hearth.SortName:
		order = "g.name"
		if db.engine == Postgres {
			order += ` COLLATE "C"`
		}
	case hearth.SortSoonest:
		order = soonest
		orderArgs = append(orderArgs, q.NowWeekMinute)
	default: // relevance: text score, then nearest, then soonest
		var keys []string
		if len(q.Words) > 0 {
			keys = append(keys, score+" DESC")
		}
		if q.Near != nil {
			keys = append(keys, "CASE WHEN g.remote THEN 1 ELSE 0 END", dot+" DESC")
			orderArgs = append(orderArgs, dotArgs...)
		}
		order = strings.Join(append(keys, soonest), ", ")
		orderArgs = append(orderArgs, q.NowWeekMinute)
	}
	order += ", g.id"

	cond := strings.Join(where, " AND ")
	limit, offset := q.Limit, q.Offset
	if limit <= 0 {
		limit = hearth.DefaultPerPage
	}
	sqlText := `SELECT g.id, ` + score + `, COUNT(*) OVER () FROM ` + from + ` WHERE ` + cond + ` ORDER BY ` + order + ` LIMIT ? OFFSET ?`
	all := append(append(append(append([]any{}, textArgs...), args...), orderArgs...), limit, offset)
	rows, err := db.query(ctx, sqlText, all...)
	if err != nil {
		return nil, 0, fmt.Errorf("search groups: %w", err)
	}
	defer rows.Close()
	var out []GroupMatch
	total := 0
	for rows.Next() {
		var m GroupMatch
		if err := rows.Scan(&m.ID, &m.Score, &total); err != nil {
			return nil, 0, fmt.Errorf("scan match: %w", err)
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("search groups: %w", err)
	}
	if len(out) == 0 && offset > 0 {
		// Past the last page: count on its own.
		err := db.queryRow(ctx, `SELECT COUNT(*) FROM `+from+` WHERE `+cond, append(append([]any{}, textArgs...), args...)...).Scan(&total)
		if err != nil {
			return nil, 0, fmt.Errorf("count groups: %w", err)
		}
	}
	return out, total, nil
}
