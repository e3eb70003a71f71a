package sqldb

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hearth-org/hearth"
)

// CreateOrganization stores a new organization and sets its ID.
func (db *DB) CreateOrganization(ctx context.Context, o *hearth.Organization) error {
	return db.InTx(ctx, func(tx *Tx) error { return tx.CreateOrganization(ctx, o) })
}

// CreateOrganization stores a new organization inside the transaction.
func (tx *Tx) CreateOrganization(ctx context.Context, o *hearth.Organization) error {
	if o.CreatedAt.IsZero() {
		o.CreatedAt = tx.db.now().UTC().Truncate(time.Second)
	}
	id, err := tx.insert(ctx, `INSERT INTO organizations (slug, name, description, website, contact, created_at)
		VALUES (?, ?, ?, ?, ?, ?)`, o.Slug, o.Name, o.Description, o.Website, o.Contact, unix(o.CreatedAt))
	if isUnique(err) {
		return &hearth.Error{Kind: hearth.Conflict, Code: "slug_taken", Message: "That web address name is taken by another organization.",
			Fields: []hearth.FieldError{{Field: "slug", Code: "taken", Message: "Another organization already uses this web address name."}}}
	}
	if err != nil {
		return fmt.Errorf("insert organization: %w", err)
	}
	o.ID = id
	return nil
}

// UpdateOrganization stores changes to an organization.
func (db *DB) UpdateOrganization(ctx context.Context, o *hearth.Organization) error {
	return db.InTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE organizations SET name = ?, description = ?, website = ?, contact = ? WHERE id = ?`,
			o.Name, o.Description, o.Website, o.Contact, o.ID)
		if err != nil {
			return fmt.Errorf("update organization: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return hearth.Errorf(hearth.NotFound, "The organization was not found.")
		}
		return nil
	})
}

const orgColumns = `id, slug, name, description, website, contact, created_at`

func scanOrg(row interface{ Scan(...any) error }) (*hearth.Organization, error) {
	var o hearth.Organization
	var created int64
	if err := row.Scan(&o.ID, &o.Slug, &o.Name, &o.Description, &o.Website, &o.Contact, &created); err != nil {
		return nil, err
	}
	o.CreatedAt = fromUnix(created)
	return &o, nil
}

// Organization returns the organization with the id.
func (db *DB) Organization(ctx context.Context, id int64) (*hearth.Organization, error) {
	o, err := scanOrg(db.queryRow(ctx, `SELECT `+orgColumns+` FROM organizations WHERE id = ?`, id))
	return o, notFound(err, "The organization")
}

// OrganizationBySlug returns the organization with the slug.
func (db *DB) OrganizationBySlug(ctx context.Context, slug string) (*hearth.Organization, error) {
	o, err := scanOrg(db.queryRow(ctx, `SELECT `+orgColumns+` FROM organizations WHERE slug = ?`, slug))
	return o, notFound(err, "The organization")
}

// Organizations lists organizations by name; with ids, only those.
func (db *DB) Organizations(ctx context.Context, ids ...int64) ([]*hearth.Organization, error) {
	q := `SELECT ` + orgColumns + ` FROM organizations`
	if len(ids) > 0 {
		q += ` WHERE id IN (` + placeholders(len(ids)) + `)`
	}
	rows, err := db.query(ctx, q+` ORDER BY name, id`, anys(ids)...)
	if err != nil {
		return nil, fmt.Errorf("list organizations: %w", err)
	}
	defer rows.Close()
	var out []*hearth.Organization
	for rows.Next() {
		o, err := scanOrg(rows)
		if err != nil {
			return nil, fmt.Errorf("scan organization: %w", err)
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// DirectoryEmpty reports whether the database holds no organizations and no
// groups: the only state in which the demo directory may be loaded. Accounts
// (a first site admin, say) may exist; the demo adds no accounts.
func (db *DB) DirectoryEmpty(ctx context.Context) (bool, error) {
	var n int
	err := db.queryRow(ctx, `SELECT (SELECT COUNT(*) FROM organizations) + (SELECT COUNT(*) FROM groups)`).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("count rows: %w", err)
	}
	return n == 0, nil
}

// CreateGroup stores a new group with its tags and search terms.
func (tx *Tx) CreateGroup(ctx context.Context, g *hearth.Group, terms map[string]int) error {
	now := tx.db.now().UTC().Truncate(time.Second)
	if g.CreatedAt.IsZero() {
		g.CreatedAt = now
	}
	g.UpdatedAt = now
	if g.GuidelinesVersion == 0 {
		g.GuidelinesVersion = 1
	}
	cols, args := groupValues(g, terms)
	id, err := tx.insert(ctx, `INSERT INTO groups (org_id, slug, `+cols+`, active_members, created_at)
		VALUES (?, ?, `+placeholders(len(args))+`, ?, ?)`, append(append([]any{g.OrgID, g.Slug}, args...), g.ActiveMembers, unix(g.CreatedAt))...)
	if isUnique(err) {
		return slugTaken()
	}
	if err != nil {
		return fmt.Errorf("insert group: %w", err)
	}
	g.ID = id
	return tx.writeGroupTags(ctx, g)
}

func slugTaken() error {
	return &hearth.Error{Kind: hearth.Conflict, Code: "slug_taken", Message: "That web address name is taken by another group.",
		Fields: []hearth.FieldError{{Field: "slug", Code: "taken", Message: "Another group already uses this web address name; choose another."}}}
}

// CreateGroup stores a new group in its own transaction.
func (db *DB) CreateGroup(ctx context.Context, g *hearth.Group, terms map[string]int) error {
	return db.InTx(ctx, func(tx *Tx) error { return tx.CreateGroup(ctx, g, terms) })
}

// UpdateGroup stores changes to a group (not its organization or slug),
// replacing its tags and search terms. A changed guideline text bumps the
// guidelines version so members are asked to accept it again.
func (db *DB) UpdateGroup(ctx context.Context, g *hearth.Group, terms map[string]int) error {
	return db.InTx(ctx, func(tx *Tx) error {
		var oldGuidelines string
		var version int
		err := tx.queryRow(ctx, `SELECT guidelines, guidelines_version FROM groups WHERE id = ?`, g.ID).Scan(&oldGuidelines, &version)
		if err != nil {
			return notFound(err, "The group")
		}
		if oldGuidelines != g.Guidelines {
			version++
		}
		g.GuidelinesVersion = version
		now := tx.db.now().UTC().Truncate(time.Second)
		g.UpdatedAt = now
		cols, args := groupValues(g, terms)
		sets := make([]string, 0, 40)
		for _, c := range strings.Split(cols, ", ") {
			sets = append(sets, c+" = ?")
		}
		if _, err := tx.exec(ctx, `UPDATE groups SET slug = ?, `+strings.Join(sets, ", ")+` WHERE id = ?`,
			append(append([]any{g.Slug}, args...), g.ID)...); err != nil {
			if isUnique(err) {
				return slugTaken()
			}
			return fmt.Errorf("update group: %w", err)
		}
		if _, err := tx.exec(ctx, `DELETE FROM group_tags WHERE group_id = ?`, g.ID); err != nil {
			return fmt.Errorf("clear tags: %w", err)
		}
		return tx.writeGroupTags(ctx, g)
	})
}

// groupValues lists the group's columns that both insert and update write.
func groupValues(g *hearth.Group, terms map[string]int) (string, []any) {
	e := g.Enrollment
	if e == nil {
		e = &hearth.Enrollment{}
	}
	loc := g.Location
	cols := "name, description, what_to_expect, format, leadership, credentials, policy, " +
		"enrollment_cap, enrollment_opens, enrollment_closes, cohort_starts, sessions, visibility, " +
		"address, city, region, postal_code, country, has_point, lat, lon, approximate, time_zone, " +
		"venue_notes, cost_kind, cost_note, guidelines, guidelines_version, contact, weekday, start_minute, duration_minutes, " +
		"age_band, gender, search_terms, updated_at"
	args := []any{g.Name, g.Description, g.WhatToExpect, string(g.Format), string(g.Leadership), g.FacilitatorCredentials, string(g.Policy),
		e.Cap, unix(e.Opens), unix(e.Closes), unix(e.Starts), e.Sessions, string(g.Visibility),
		loc.Address, loc.City, loc.Region, loc.PostalCode, loc.Country, loc.HasPoint, loc.Lat, loc.Lon, loc.Approximate, loc.TimeZone,
		g.VenueNotes, string(g.Cost.Kind), g.Cost.Note, g.Guidelines, g.GuidelinesVersion, g.Contact, int(g.Schedule.Weekday), g.Schedule.Start, g.Schedule.Duration,
		g.Audience.AgeBand, g.Audience.Gender, PackTerms(terms), unix(g.UpdatedAt)}
	return cols, args
}

// Tag kinds in group_tags.
const (
	tagTopic     = "topic"
	tagLanguage  = "language"
	tagCommunity = "community"
	tagAccess    = "access"
)

func (tx *Tx) writeGroupTags(ctx context.Context, g *hearth.Group) error {
	var rows [][3]any
	add := func(kind string, values []string) {
		for _, v := range values {
			rows = append(rows, [3]any{g.ID, kind, v})
		}
	}
	add(tagTopic, g.Topics)
	add(tagLanguage, g.Audience.Languages)
	add(tagCommunity, g.Audience.Communities)
	add(tagAccess, g.Accessibility)
	if err := tx.insertMany(ctx, `INSERT INTO group_tags (group_id, kind, value) VALUES `, rows); err != nil {
		return fmt.Errorf("insert tags: %w", err)
	}
	return nil
}

// insertMany inserts rows of three values in batches.
func (tx *Tx) insertMany(ctx context.Context, prefix string, rows [][3]any) error {
	const batch = 200
	for len(rows) > 0 {
		n := min(batch, len(rows))
		var b strings.Builder
		b.WriteString(prefix)
		args := make([]any, 0, 3*n)
		for i, r := range rows[:n] {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("(?, ?, ?)")
			args = append(args, r[0], r[1], r[2])
		}
		if _, err := tx.exec(ctx, b.String(), args...); err != nil {
			return err
		}
		rows = rows[n:]
	}
	return nil
}

const groupColumns = `id, org_id, slug, name, description, what_to_expect, format, leadership, credentials, policy,
	enrollment_cap, enrollment_opens, enrollment_closes, cohort_starts, sessions, visibility,
	address, city, region, postal_code, country, has_point, lat, lon, approximate, time_zone,
	venue_notes, cost_kind, cost_note, guidelines, guidelines_version, contact, weekday, start_minute, duration_minutes,
	age_band, gender, active_members, created_at, updated_at`

func scanGroup(row interface{ Scan(...any) error }) (*hearth.Group, error) {
	var g hearth.Group
	var e hearth.Enrollment
	var opens, closes, starts, created, updated int64
	var weekday int
	var format, leadership, policy, visibility, cost string
	err := row.Scan(&g.ID, &g.OrgID, &g.Slug, &g.Name, &g.Description, &g.WhatToExpect, &format, &leadership, &g.FacilitatorCredentials, &policy,
		&e.Cap, &opens, &closes, &starts, &e.Sessions, &visibility,
		&g.Location.Address, &g.Location.City, &g.Location.Region, &g.Location.PostalCode, &g.Location.Country, &g.Location.HasPoint,
		&g.Location.Lat, &g.Location.Lon, &g.Location.Approximate, &g.Location.TimeZone,
		&g.VenueNotes, &cost, &g.Cost.Note, &g.Guidelines, &g.GuidelinesVersion, &g.Contact, &weekday, &g.Schedule.Start, &g.Schedule.Duration,
		&g.Audience.AgeBand, &g.Audience.Gender, &g.ActiveMembers, &created, &updated)
	if err != nil {
		return nil, err
	}
	g.Format, g.Leadership, g.Policy, g.Visibility, g.Cost.Kind = hearth.Format(format), hearth.Leadership(leadership), hearth.Policy(policy), hearth.Visibility(visibility), hearth.CostKind(cost)
	g.Schedule.Weekday = time.Weekday(weekday)
	g.CreatedAt, g.UpdatedAt = fromUnix(created), fromUnix(updated)
	if g.Policy == hearth.Closed {
		e.Opens, e.Closes, e.Starts = fromUnix(opens), fromUnix(closes), fromUnix(starts)
		g.Enrollment = &e
	}
	g.Topics, g.Audience.Languages, g.Audience.Communities, g.Accessibility = []string{}, []string{}, []string{}, []string{}
	return &g, nil
}

// Group returns the group with the id, with its tags.
func (db *DB) Group(ctx context.Context, id int64) (*hearth.Group, error) {
	gs, err := db.groupsWhere(ctx, `id = ?`, id)
	if err != nil {
		return nil, err
	}
	if len(gs) == 0 {
		return nil, hearth.Errorf(hearth.NotFound, "The group was not found.")
	}
	return gs[0], nil
}

// GroupBySlug returns the group with the slug, with its tags.
func (db *DB) GroupBySlug(ctx context.Context, slug string) (*hearth.Group, error) {
	gs, err := db.groupsWhere(ctx, `slug = ?`, slug)
	if err != nil {
		return nil, err
	}
	if len(gs) == 0 {
		return nil, hearth.Errorf(hearth.NotFound, "The group was not found.")
	}
	return gs[0], nil
}

// GroupsByOrganization lists an organization's groups by name.
func (db *DB) GroupsByOrganization(ctx context.Context, orgID int64) ([]*hearth.Group, error) {
	return db.groupsWhere(ctx, `org_id = ? ORDER BY name, id`, orgID)
}

// GroupsByID returns the groups with the ids, in the order of ids.
func (db *DB) GroupsByID(ctx context.Context, ids []int64) ([]*hearth.Group, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	gs, err := db.groupsWhere(ctx, `id IN (`+placeholders(len(ids))+`)`, anys(ids)...)
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]*hearth.Group, len(gs))
	for _, g := range gs {
		byID[g.ID] = g
	}
	out := make([]*hearth.Group, 0, len(ids))
	for _, id := range ids {
		if g, ok := byID[id]; ok {
			out = append(out, g)
		}
	}
	return out, nil
}

func (db *DB) groupsWhere(ctx context.Context, where string, args ...any) ([]*hearth.Group, error) {
	rows, err := db.query(ctx, `SELECT `+groupColumns+` FROM groups WHERE `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("select groups: %w", err)
	}
	var gs []*hearth.Group
	for rows.Next() {
		g, err := scanGroup(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("scan group: %w", err)
		}
		gs = append(gs, g)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return gs, db.loadTags(ctx, gs)
}

func (db *DB) loadTags(ctx context.Context, gs []*hearth.Group) error {
	if len(gs) == 0 {
		return nil
	}
	byID := make(map[int64]*hearth.Group, len(gs))
	ids := make([]int64, len(gs))
	for i, g := range gs {
		byID[g.ID] = g
		ids[i] = g.ID
	}
	for start := 0; start < len(ids); start += 500 {
		chunk := ids[start:min(start+500, len(ids))]
		rows, err := db.query(ctx, `SELECT group_id, kind, value FROM group_tags WHERE group_id IN (`+placeholders(len(chunk))+`) ORDER BY group_id, kind, value`, anys(chunk)...)
		if err != nil {
			return fmt.Errorf("select tags: %w", err)
		}
		for rows.Next() {
			var id int64
			var kind, value string
			if err := rows.Scan(&id, &kind, &value); err != nil {
				rows.Close()
				return fmt.Errorf("scan tag: %w", err)
			}
			g := byID[id]
			switch kind {
			case tagTopic:
				g.Topics = append(g.Topics, value)
			case tagLanguage:
				g.Audience.Languages = append(g.Audience.Languages, value)
			case tagCommunity:
				g.Audience.Communities = append(g.Audience.Communities, value)
			case tagAccess:
				g.Accessibility = append(g.Accessibility, value)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// ScanGroups calls fn for every group changed at or after since (every
// group when since is zero), in id order, with its tags and search terms,
// loading them in chunks. It feeds the in-memory directory.
func (db *DB) ScanGroups(ctx context.Context, since time.Time, fn func(g *hearth.Group, terms map[string]int) error) error {
	const chunk = 1000
	var after int64
	for {
		gs, err := db.groupsWhere(ctx, `id > ? AND updated_at >= ? ORDER BY id LIMIT `+fmt.Sprint(chunk), after, unix(since))
		if err != nil {
			return err
		}
		if len(gs) == 0 {
			return nil
		}
		ids := make([]int64, len(gs))
		for i, g := range gs {
			ids[i] = g.ID
		}
		packed := make(map[int64]string, len(gs))
		rows, err := db.query(ctx, `SELECT id, search_terms FROM groups WHERE id IN (`+placeholders(len(ids))+`)`, anys(ids)...)
		if err != nil {
			return fmt.Errorf("select terms: %w", err)
		}
		for rows.Next() {
			var id int64
			var s string
			if err := rows.Scan(&id, &s); err != nil {
				rows.Close()
				return fmt.Errorf("scan terms: %w", err)
			}
			packed[id] = s
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, g := range gs {
			if err := fn(g, UnpackTerms(packed[g.ID])); err != nil {
				return err
			}
		}
		after = gs[len(gs)-1].ID
	}
}

// PackTerms writes search terms as one "stem weight" a line, sorted, for
// the search_terms column: one value per group instead of a row per stem,
// so the directory loads 100,000 groups in seconds.
func PackTerms(terms map[string]int) string {
	keys := make([]string, 0, len(terms))
	for k := range terms {
		if k != "" && !strings.ContainsAny(k, " \n") {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	var b strings.Builder
	for _, k := range keys {
		b.WriteString(k)
		b.WriteByte(' ')
		b.WriteString(strconv.Itoa(terms[k]))
		b.WriteByte('\n')
	}
	return b.String()
}

// UnpackTerms reads what PackTerms wrote, skipping any malformed line.
func UnpackTerms(s string) map[string]int {
	out := make(map[string]int, strings.Count(s, "\n"))
	for line := range strings.Lines(s) {
		term, w, ok := strings.Cut(strings.TrimSuffix(line, "\n"), " ")
		n, err := strconv.Atoi(w)
		if ok && err == nil && term != "" && n > 0 {
			out[term] = n
		}
	}
	return out
}
