package sqldb

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hearth-org/hearth"
)

// FeedStamp says, cheaply, whether anything a public feed shows may have
// changed: the latest change and the number of rows of every table the
// feeds read. Two equal stamps mean the same feed (a deletion lowers a
// count; a change moves a time).
type FeedStamp struct {
	Groups, Meetings, Policies, Exceptions, Organizations int64
	GroupsAt, MeetingsAt, PoliciesAt, ExceptionsAt        int64 // Unix seconds
}

// FeedStamp reads the feed stamp in one query.
func (db *DB) FeedStamp(ctx context.Context) (FeedStamp, error) {
	var s FeedStamp
	err := db.queryRow(ctx, `SELECT
		(SELECT COUNT(*) FROM groups), (SELECT COALESCE(MAX(updated_at), 0) FROM groups),
		(SELECT COUNT(*) FROM meetings), (SELECT COALESCE(MAX(updated_at), 0) FROM meetings),
		(SELECT COUNT(*) FROM group_meeting_policy), (SELECT COALESCE(MAX(updated_at), 0) FROM group_meeting_policy),
		(SELECT COUNT(*) FROM meeting_exceptions), (SELECT COALESCE(MAX(created_at), 0) FROM meeting_exceptions),
		(SELECT COUNT(*) FROM organizations)`).Scan(
		&s.Groups, &s.GroupsAt, &s.Meetings, &s.MeetingsAt, &s.Policies, &s.PoliciesAt, &s.Exceptions, &s.ExceptionsAt, &s.Organizations)
	if err != nil {
		return s, fmt.Errorf("feed stamp: %w", err)
	}
	return s, nil
}

// ListedGroups returns every listed group with its tags, by id.
func (db *DB) ListedGroups(ctx context.Context) ([]*hearth.Group, error) {
	return db.groupsWhere(ctx, `visibility = ? ORDER BY id`, string(hearth.Listed))
}

// UpdateImportedGroup stores an imported row's changes to an existing group
// inside the caller's transaction (the import writes a group and its
// meeting together), replacing its tags and search terms. Like
// UpdateGroup, a changed guideline text bumps the version.
func (tx *Tx) UpdateImportedGroup(ctx context.Context, g *hearth.Group, terms map[string]int) error {
	var oldGuidelines string
	var version int
	err := tx.queryRow(ctx, `SELECT guidelines, guidelines_version FROM groups WHERE id = ? AND org_id = ?`, g.ID, g.OrgID).Scan(&oldGuidelines, &version)
	if err != nil {
		return notFound(err, "The group")
	}
	if oldGuidelines != g.Guidelines {
		version++
	}
	g.GuidelinesVersion = version
	g.UpdatedAt = tx.db.now().UTC().Truncate(time.Second)
	cols, args := groupValues(g, terms)
	sets := make([]string, 0, 40)
	for _, c := range strings.Split(cols, ", ") {
		sets = append(sets, c+" = ?")
	}
	if _, err := tx.exec(ctx, `UPDATE groups SET `+strings.Join(sets, ", ")+` WHERE id = ?`, append(args, g.ID)...); err != nil {
		return fmt.Errorf("update imported group: %w", err)
	}
	if _, err := tx.exec(ctx, `DELETE FROM group_tags WHERE group_id = ?`, g.ID); err != nil {
		return fmt.Errorf("clear tags: %w", err)
	}
	return tx.writeGroupTags(ctx, g)
}

// GroupSlugTaken reports whether any group, in any organization, has the
// slug.
func (db *DB) GroupSlugTaken(ctx context.Context, slug string) (bool, error) {
	var n int
	if err := db.queryRow(ctx, `SELECT COUNT(*) FROM groups WHERE slug = ?`, slug).Scan(&n); err != nil {
		return false, fmt.Errorf("check slug: %w", err)
	}
	return n > 0, nil
}
