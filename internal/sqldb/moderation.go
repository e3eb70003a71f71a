package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/hearth-org/hearth"
)

// Moderation storage: reports, actions (append-only), appeals, hidden and
// labelled subjects, mutes, organization bans, blocks, new-member posting
// rules and the posting rate's marks. The rules live in internal/app; notes
// arrive here sealed.

// ---------------------------------------------------------------------------
// Reports

const reportCols = `r.id, r.group_id, r.org_id, r.subject_kind, r.subject_id, r.subject_user_id, r.reporter_id, r.reason, r.status, r.note, r.created_at, r.resolved_at, r.resolved_by`

func scanReport(row rowScanner, extra ...any) (*hearth.Report, error) {
	var r hearth.Report
	var kind, reason, status string
	var created, resolved int64
	err := row.Scan(append([]any{&r.ID, &r.GroupID, &r.OrgID, &kind, &r.Subject.ID, &r.SubjectUserID, &r.ReporterID, &reason, &status,
		&r.SealedNote, &created, &resolved, &r.ResolvedBy}, extra...)...)
	if err != nil {
		return nil, err
	}
	r.Subject.Kind, r.Reason, r.Status = hearth.SubjectKind(kind), hearth.ReportReason(reason), hearth.ReportStatus(status)
	r.CreatedAt, r.ResolvedAt = fromUnix(created), fromUnix(resolved)
	return &r, nil
}

// InsertReport stores a new open report and sets its id. A second open
// report of the same subject by the same person is a Conflict.
func (t *Tx) InsertReport(ctx context.Context, r *hearth.Report) error {
	id, err := t.insert(ctx, `INSERT INTO reports (group_id, org_id, subject_kind, subject_id, subject_user_id, reporter_id, reason, status, note, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, r.GroupID, r.OrgID, string(r.Subject.Kind), r.Subject.ID, r.SubjectUserID, r.ReporterID,
		string(r.Reason), string(r.Status), r.SealedNote, unix(r.CreatedAt))
	if isUnique(err) {
		return hearth.Coded(hearth.Conflict, "already_reported", "You have already reported this; the group's moderators will look at it.")
	}
	if err != nil {
		return fmt.Errorf("insert report: %w", err)
	}
	r.ID = id
	return nil
}

// SetReportNote stores a report's sealed note (sealed once the report has
// its id, which the note's associated data names).
func (t *Tx) SetReportNote(ctx context.Context, id int64, sealed []byte) error {
	if _, err := t.exec(ctx, `UPDATE reports SET note = ? WHERE id = ?`, sealed, id); err != nil {
		return fmt.Errorf("report note: %w", err)
	}
	return nil
}

// CountReportsBy counts the reports a person made since a moment (of one
// reason, or of any when reason is "").
func (t *Tx) CountReportsBy(ctx context.Context, reporterID int64, reason hearth.ReportReason, since time.Time) (int, error) {
	var n int
	err := t.queryRow(ctx, `SELECT COUNT(*) FROM reports WHERE reporter_id = ? AND created_at >= ? AND (? = '' OR reason = ?)`,
		reporterID, unix(since), string(reason), string(reason)).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count reports: %w", err)
	}
	return n, nil
}

// CountReportsAbout counts the reports of one reason about a person since
// a moment, by anyone.
func (t *Tx) CountReportsAbout(ctx context.Context, subjectUserID int64, reason hearth.ReportReason, since time.Time) (int, error) {
	var n int
	err := t.queryRow(ctx, `SELECT COUNT(*) FROM reports WHERE subject_user_id = ? AND reason = ? AND created_at >= ?`,
		subjectUserID, string(reason), unix(since)).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count reports: %w", err)
	}
	return n, nil
}

// Report returns one report inside the transaction.
func (t *Tx) Report(ctx context.Context, id int64) (*hearth.Report, error) {
	r, err := scanReport(t.queryRow(ctx, `SELECT `+reportCols+` FROM reports r WHERE r.id = ?`, id))
	return r, notFound(err, "The report")
}

// Report returns one report.
func (db *DB) Report(ctx context.Context, id int64) (*hearth.Report, error) {
	r, err := scanReport(db.queryRow(ctx, `SELECT `+reportCols+` FROM reports r WHERE r.id = ?`, id))
	return r, notFound(err, "The report")
}

// ResolveReport closes an open report (actioned or dismissed). It reports
// false when the report was no longer open.
func (t *Tx) ResolveReport(ctx context.Context, id int64, status hearth.ReportStatus, by int64, at time.Time) (bool, error) {
	res, err := t.exec(ctx, `UPDATE reports SET status = ?, resolved_by = ?, resolved_at = ? WHERE id = ? AND status = ?`,
		string(status), by, unix(at), id, string(hearth.ReportOpen))
	if err != nil {
		return false, fmt.Errorf("resolve report: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// ReportRow is a report as a review queue shows it: the reporter's and the
// subject's pseudonyms in the group ("" when they have none) and the group.
type ReportRow struct {
	*hearth.Report
	ReporterPseudonym string
	SubjectPseudonym  string
	GroupSlug         string
	GroupName         string
}

// Reports lists reports of one group (groupID > 0) or one organization
// (orgID > 0) with a status, newest first.
func (db *DB) Reports(ctx context.Context, groupID, orgID int64, status hearth.ReportStatus, limit int) ([]ReportRow, error) {
	where, arg := `r.group_id = ?`, groupID
	if groupID == 0 {
		where, arg = `r.org_id = ?`, orgID
	}
	return nonNil(list(ctx, db, "list reports", func(row rowScanner) (ReportRow, error) {
		var x ReportRow
		var err error
		x.Report, err = scanReport(row, &x.ReporterPseudonym, &x.SubjectPseudonym, &x.GroupSlug, &x.GroupName)
		return x, err
	}, `SELECT `+reportCols+`, COALESCE(rm.pseudonym, ''), COALESCE(sm.pseudonym, ''), g.slug, g.name
		FROM reports r JOIN groups g ON g.id = r.group_id
		LEFT JOIN memberships rm ON rm.group_id = r.group_id AND rm.user_id = r.reporter_id
		LEFT JOIN memberships sm ON sm.group_id = r.group_id AND sm.user_id = r.subject_user_id AND r.subject_user_id <> 0
		WHERE `+where+` AND r.status = ? ORDER BY r.id DESC LIMIT ?`, arg, string(status), limit))
}

// ReportRowByID returns one report with the names a queue shows.
func (db *DB) ReportRowByID(ctx context.Context, id int64) (*ReportRow, error) {
	var x ReportRow
	var err error
	x.Report, err = scanReport(db.queryRow(ctx, `SELECT `+reportCols+`, COALESCE(rm.pseudonym, ''), COALESCE(sm.pseudonym, ''), g.slug, g.name
		FROM reports r JOIN groups g ON g.id = r.group_id
		LEFT JOIN memberships rm ON rm.group_id = r.group_id AND rm.user_id = r.reporter_id
		LEFT JOIN memberships sm ON sm.group_id = r.group_id AND sm.user_id = r.subject_user_id AND r.subject_user_id <> 0
		WHERE r.id = ?`, id), &x.ReporterPseudonym, &x.SubjectPseudonym, &x.GroupSlug, &x.GroupName)
	if err != nil {
		return nil, notFound(err, "The report")
	}
	return &x, nil
}

// ---------------------------------------------------------------------------
// Actions (append-only: there is no update or delete)

const actionCols = `x.id, x.group_id, x.org_id, x.subject_kind, x.subject_id, x.target_user_id, x.actor_id, x.kind, x.reason, x.until_at, x.report_id, x.label_url, x.note, x.created_at`

func scanAction(row rowScanner, extra ...any) (*hearth.ModAction, error) {
	var m hearth.ModAction
	var skind, kind, reason string
	var until, created int64
	err := row.Scan(append([]any{&m.ID, &m.GroupID, &m.OrgID, &skind, &m.Subject.ID, &m.TargetUserID, &m.ActorID, &kind, &reason, &until,
		&m.ReportID, &m.LabelURL, &m.SealedNote, &created}, extra...)...)
	if err != nil {
		return nil, err
	}
	m.Subject.Kind, m.Kind, m.Reason = hearth.SubjectKind(skind), hearth.ActionKind(kind), hearth.ActionReason(reason)
	m.Until, m.CreatedAt = fromUnix(until), fromUnix(created)
	return &m, nil
}

// InsertAction records a moderation action and sets its id. The note is
// stored sealed with SetActionNote once the id is known.
func (t *Tx) InsertAction(ctx context.Context, m *hearth.ModAction) error {
	id, err := t.insert(ctx, `INSERT INTO moderation_actions (group_id, org_id, subject_kind, subject_id, target_user_id, actor_id, kind, reason,
		until_at, report_id, label_url, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		m.GroupID, m.OrgID, string(m.Subject.Kind), m.Subject.ID, m.TargetUserID, m.ActorID, string(m.Kind), string(m.Reason),
		unix(m.Until), m.ReportID, m.LabelURL, unix(m.CreatedAt))
	if err != nil {
		return fmt.Errorf("insert action: %w", err)
	}
	m.ID = id
	return nil
}

// SetActionNote stores the sealed note of an action just inserted (the
// only write to an action after its insert, in the same transaction).
func (t *Tx) SetActionNote(ctx context.Context, id int64, sealed []byte) error {
	if _, err := t.exec(ctx, `UPDATE moderation_actions SET note = ? WHERE id = ? AND note IS NULL`, sealed, id); err != nil {
		return fmt.Errorf("action note: %w", err)
	}
	return nil
}

// Action returns one action inside the transaction.
func (t *Tx) Action(ctx context.Context, id int64) (*hearth.ModAction, error) {
	m, err := scanAction(t.queryRow(ctx, `SELECT `+actionCols+` FROM moderation_actions x WHERE x.id = ?`, id))
	return m, notFound(err, "The action")
}

// ActionRow is an action as its person sees it, with its group and appeal.
type ActionRow struct {
	*hearth.ModAction
	GroupSlug string
	GroupName string
	Appeal    *hearth.Appeal // nil: not appealed
}

const appealCols = `a.id, a.action_id, a.group_id, a.user_id, a.status, a.note, a.decision, a.created_at, a.decided_at, a.decided_by`

func scanAppeal(row rowScanner, extra ...any) (*hearth.Appeal, error) {
	var ap hearth.Appeal
	var status string
	var created, decided int64
	err := row.Scan(append([]any{&ap.ID, &ap.ActionID, &ap.GroupID, &ap.UserID, &status, &ap.SealedNote, &ap.SealedDecision, &created, &decided, &ap.DecidedBy}, extra...)...)
	if err != nil {
		return nil, err
	}
	ap.Status, ap.CreatedAt, ap.DecidedAt = hearth.AppealStatus(status), fromUnix(created), fromUnix(decided)
	return &ap, nil
}

// ActionsOn lists the actions that fell on a person, newest first, with
// their appeals.
func (db *DB) ActionsOn(ctx context.Context, userID int64, limit int) ([]ActionRow, error) {
	rows, err := list(ctx, db, "list actions", func(row rowScanner) (ActionRow, error) {
		var x ActionRow
		var err error
		x.ModAction, err = scanAction(row, &x.GroupSlug, &x.GroupName)
		return x, err
	}, `SELECT `+actionCols+`, g.slug, g.name FROM moderation_actions x JOIN groups g ON g.id = x.group_id
		WHERE x.target_user_id = ? ORDER BY x.id DESC LIMIT ?`, userID, limit)
	if err != nil || len(rows) == 0 {
		return nonNil(rows, err)
	}
	ids := make([]any, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	appeals, err := list(ctx, db, "list appeals", func(row rowScanner) (*hearth.Appeal, error) { return scanAppeal(row) },
		`SELECT `+appealCols+` FROM appeals a WHERE a.action_id IN (`+placeholders(len(ids))+`)`, ids...)
	if err != nil {
		return nil, err
	}
	byAction := map[int64]*hearth.Appeal{}
	for _, ap := range appeals {
		byAction[ap.ActionID] = ap
	}
	for i := range rows {
		rows[i].Appeal = byAction[rows[i].ID]
	}
	return rows, nil
}

// ---------------------------------------------------------------------------
// Appeals

// InsertAppeal stores a person's appeal of an action; a second appeal of
// the same action is a Conflict.
func (t *Tx) InsertAppeal(ctx context.Context, ap *hearth.Appeal) error {
	id, err := t.insert(ctx, `INSERT INTO appeals (action_id, group_id, user_id, status, created_at) VALUES (?, ?, ?, ?, ?)`,
		ap.ActionID, ap.GroupID, ap.UserID, string(ap.Status), unix(ap.CreatedAt))
	if isUnique(err) {
		return hearth.Coded(hearth.Conflict, "already_appealed", "You have already appealed this; each decision can be appealed once.")
	}
	if err != nil {
		return fmt.Errorf("insert appeal: %w", err)
	}
	ap.ID = id
	return nil
}

// SetAppealNote stores the appellant's sealed note.
func (t *Tx) SetAppealNote(ctx context.Context, id int64, sealed []byte) error {
	if _, err := t.exec(ctx, `UPDATE appeals SET note = ? WHERE id = ?`, sealed, id); err != nil {
		return fmt.Errorf("appeal note: %w", err)
	}
	return nil
}

// Appeal returns one appeal inside the transaction.
func (t *Tx) Appeal(ctx context.Context, id int64) (*hearth.Appeal, error) {
	ap, err := scanAppeal(t.queryRow(ctx, `SELECT `+appealCols+` FROM appeals a WHERE a.id = ?`, id))
	return ap, notFound(err, "The appeal")
}

// DecideAppeal records the decision on a pending appeal. It reports false
// when the appeal was already decided.
func (t *Tx) DecideAppeal(ctx context.Context, ap *hearth.Appeal) (bool, error) {
	res, err := t.exec(ctx, `UPDATE appeals SET status = ?, decision = ?, decided_at = ?, decided_by = ? WHERE id = ? AND status = ?`,
		string(ap.Status), ap.SealedDecision, unix(ap.DecidedAt), ap.DecidedBy, ap.ID, string(hearth.AppealPending))
	if err != nil {
		return false, fmt.Errorf("decide appeal: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// AppealRow is a pending appeal as moderators see it: the action, the
// person's pseudonym in the group, the group.
type AppealRow struct {
	*hearth.Appeal
	Action    *hearth.ModAction
	Pseudonym string
	GroupSlug string
	GroupName string
}

// PendingAppeals lists the undecided appeals of a group (groupID > 0) or an
// organization (orgID > 0), oldest first.
func (db *DB) PendingAppeals(ctx context.Context, groupID, orgID int64, limit int) ([]AppealRow, error) {
	where, arg := `a.group_id = ?`, groupID
	if groupID == 0 {
		where, arg = `x.org_id = ?`, orgID
	}
	rows, err := list(ctx, db, "list appeals", func(row rowScanner) (AppealRow, error) {
		var r AppealRow
		var err error
		r.Appeal, err = scanAppeal(row, &r.Pseudonym, &r.GroupSlug, &r.GroupName)
		return r, err
	}, `SELECT `+appealCols+`, COALESCE(m.pseudonym, ''), g.slug, g.name
		FROM appeals a JOIN moderation_actions x ON x.id = a.action_id JOIN groups g ON g.id = a.group_id
		LEFT JOIN memberships m ON m.group_id = a.group_id AND m.user_id = a.user_id
		WHERE `+where+` AND a.status = ? ORDER BY a.id LIMIT ?`, arg, string(hearth.AppealPending), limit)
	if err != nil || len(rows) == 0 {
		return nonNil(rows, err)
	}
	ids := make([]any, len(rows))
	for i, r := range rows {
		ids[i] = r.ActionID
	}
	actions, err := list(ctx, db, "list appealed actions", func(row rowScanner) (*hearth.ModAction, error) { return scanAction(row) },
		`SELECT `+actionCols+` FROM moderation_actions x WHERE x.id IN (`+placeholders(len(ids))+`)`, ids...)
	if err != nil {
		return nil, err
	}
	byID := map[int64]*hearth.ModAction{}
	for _, x := range actions {
		byID[x.ID] = x
	}
	for i := range rows {
		rows[i].Action = byID[rows[i].ActionID]
	}
	return rows, nil
}

// ---------------------------------------------------------------------------
// Hidden and labelled subjects

// SetHidden marks a subject hidden (again: no error).
func (t *Tx) SetHidden(ctx context.Context, s hearth.Subject, groupID, actionID int64, at time.Time) error {
	_, err := t.exec(ctx, `INSERT INTO hidden_subjects (subject_kind, subject_id, group_id, action_id, hidden_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (subject_kind, subject_id) DO NOTHING`, string(s.Kind), s.ID, groupID, actionID, unix(at))
	if err != nil {
		return fmt.Errorf("hide: %w", err)
	}
	return nil
}

// Unhide shows a subject again; it reports whether it was hidden.
func (t *Tx) Unhide(ctx context.Context, s hearth.Subject) (bool, error) {
	res, err := t.exec(ctx, `DELETE FROM hidden_subjects WHERE subject_kind = ? AND subject_id = ?`, string(s.Kind), s.ID)
	if err != nil {
		return false, fmt.Errorf("unhide: %w", err)
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// Hidden returns which of the subjects (all of one kind) are hidden.
func (db *DB) Hidden(ctx context.Context, kind hearth.SubjectKind, ids []int64) (map[int64]bool, error) {
	out := map[int64]bool{}
	if len(ids) == 0 {
		return out, nil
	}
	got, err := list(ctx, db, "hidden", func(row rowScanner) (int64, error) {
		var id int64
		return id, row.Scan(&id)
	}, `SELECT subject_id FROM hidden_subjects WHERE subject_kind = ? AND subject_id IN (`+placeholders(len(ids))+`)`,
		append([]any{string(kind)}, anys(ids)...)...)
	for _, id := range got {
		out[id] = true
	}
	return out, err
}

// IsHidden reports whether one subject is hidden, inside the transaction.
func (t *Tx) IsHidden(ctx context.Context, s hearth.Subject) (bool, error) {
	var n int
	err := t.queryRow(ctx, `SELECT COUNT(*) FROM hidden_subjects WHERE subject_kind = ? AND subject_id = ?`, string(s.Kind), s.ID).Scan(&n)
	return n > 0, err
}

// SetLabel puts (or replaces) a label on a subject.
func (t *Tx) SetLabel(ctx context.Context, l *hearth.Label, groupID, actionID int64) error {
	if _, err := t.exec(ctx, `DELETE FROM subject_labels WHERE subject_kind = ? AND subject_id = ?`, string(l.Subject.Kind), l.Subject.ID); err != nil {
		return fmt.Errorf("label: %w", err)
	}
	_, err := t.exec(ctx, `INSERT INTO subject_labels (subject_kind, subject_id, group_id, kind, url, action_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		string(l.Subject.Kind), l.Subject.ID, groupID, l.Kind, l.URL, actionID, unix(l.CreatedAt))
	if err != nil {
		return fmt.Errorf("label: %w", err)
	}
	return nil
}

// DeleteLabel takes a subject's label off; it reports whether there was one.
func (t *Tx) DeleteLabel(ctx context.Context, s hearth.Subject) (bool, error) {
	res, err := t.exec(ctx, `DELETE FROM subject_labels WHERE subject_kind = ? AND subject_id = ?`, string(s.Kind), s.ID)
	if err != nil {
		return false, fmt.Errorf("unlabel: %w", err)
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// Labels returns the labels of the subjects (all of one kind), by id.
func (db *DB) Labels(ctx context.Context, kind hearth.SubjectKind, ids []int64) (map[int64]hearth.Label, error) {
	out := map[int64]hearth.Label{}
	if len(ids) == 0 {
		return out, nil
	}
	got, err := list(ctx, db, "labels", func(row rowScanner) (hearth.Label, error) {
		var l hearth.Label
		var k string
		var at int64
		err := row.Scan(&k, &l.Subject.ID, &l.Kind, &l.URL, &at)
		l.Subject.Kind, l.CreatedAt = hearth.SubjectKind(k), fromUnix(at)
		return l, err
	}, `SELECT subject_kind, subject_id, kind, url, created_at FROM subject_labels WHERE subject_kind = ? AND subject_id IN (`+placeholders(len(ids))+`)`,
		append([]any{string(kind)}, anys(ids)...)...)
	for _, l := range got {
		out[l.Subject.ID] = l
	}
	return out, err
}

// ---------------------------------------------------------------------------
// Mutes and organization bans

// SetMute mutes a person in a group until a moment (replacing any mute).
func (t *Tx) SetMute(ctx context.Context, groupID, userID int64, until time.Time, actionID int64) error {
	if _, err := t.exec(ctx, `DELETE FROM mutes WHERE group_id = ? AND user_id = ?`, groupID, userID); err != nil {
		return fmt.Errorf("mute: %w", err)
	}
	if _, err := t.exec(ctx, `INSERT INTO mutes (group_id, user_id, until_at, action_id) VALUES (?, ?, ?, ?)`, groupID, userID, unix(until), actionID); err != nil {
		return fmt.Errorf("mute: %w", err)
	}
	return nil
}

// DeleteMute lifts the mute an action set (a later mute stays).
func (t *Tx) DeleteMute(ctx context.Context, groupID, userID, actionID int64) error {
	if _, err := t.exec(ctx, `DELETE FROM mutes WHERE group_id = ? AND user_id = ? AND action_id = ?`, groupID, userID, actionID); err != nil {
		return fmt.Errorf("unmute: %w", err)
	}
	return nil
}

// Mute is a person's mute in a group.
type Mute struct {
	Until    time.Time
	ActionID int64
}

// MuteOf returns a person's mute in a group that lasts past now (nil: none).
func (db *DB) MuteOf(ctx context.Context, groupID, userID int64, now time.Time) (*Mute, error) {
	return muteOf(ctx, db, groupID, userID, now)
}

// MuteOf returns a person's live mute in a group inside the transaction.
func (t *Tx) MuteOf(ctx context.Context, groupID, userID int64, now time.Time) (*Mute, error) {
	return muteOf(ctx, t, groupID, userID, now)
}

func muteOf(ctx context.Context, r reader, groupID, userID int64, now time.Time) (*Mute, error) {
	var m Mute
	var until int64
	err := r.queryRow(ctx, `SELECT until_at, action_id FROM mutes WHERE group_id = ? AND user_id = ? AND until_at > ?`, groupID, userID, unix(now)).Scan(&until, &m.ActionID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("mute: %w", err)
	}
	m.Until = fromUnix(until)
	return &m, nil
}

// AddOrgBan bans a person from an organization's groups (again: no error).
func (t *Tx) AddOrgBan(ctx context.Context, orgID, userID, actionID int64, at time.Time) error {
	_, err := t.exec(ctx, `INSERT INTO org_bans (org_id, user_id, action_id, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (org_id, user_id) DO NOTHING`,
		orgID, userID, actionID, unix(at))
	if err != nil {
		return fmt.Errorf("ban: %w", err)
	}
	return nil
}

// DeleteOrgBan lifts the ban an action set.
func (t *Tx) DeleteOrgBan(ctx context.Context, orgID, userID, actionID int64) error {
	if _, err := t.exec(ctx, `DELETE FROM org_bans WHERE org_id = ? AND user_id = ? AND action_id = ?`, orgID, userID, actionID); err != nil {
		return fmt.Errorf("unban: %w", err)
	}
	return nil
}

// OrgBanned reports whether a person is banned from an organization.
func (t *Tx) OrgBanned(ctx context.Context, orgID, userID int64) (bool, error) {
	var n int
	if err := t.queryRow(ctx, `SELECT COUNT(*) FROM org_bans WHERE org_id = ? AND user_id = ?`, orgID, userID).Scan(&n); err != nil {
		return false, fmt.Errorf("ban: %w", err)
	}
	return n > 0, nil
}

// OrgMemberships lists a person's memberships in an organization's groups.
func (t *Tx) OrgMemberships(ctx context.Context, orgID, userID int64) ([]*hearth.Membership, error) {
	return memberships(ctx, t, `SELECT `+membershipCols("m.")+` FROM memberships m JOIN groups g ON g.id = m.group_id
		WHERE g.org_id = ? AND m.user_id = ? ORDER BY m.id`, orgID, userID)
}

// ---------------------------------------------------------------------------
// Blocks

// AddBlock records that blocker hides blocked in a group (again: no error).
func (t *Tx) AddBlock(ctx context.Context, b hearth.Block) error {
	_, err := t.exec(ctx, `INSERT INTO blocks (group_id, blocker_id, blocked_id, created_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (group_id, blocker_id, blocked_id) DO NOTHING`, b.GroupID, b.BlockerID, b.BlockedID, unix(b.CreatedAt))
	if err != nil {
		return fmt.Errorf("block: %w", err)
	}
	return nil
}

// DeleteBlock removes a block; it reports whether there was one.
func (t *Tx) DeleteBlock(ctx context.Context, groupID, blockerID, blockedID int64) (bool, error) {
	res, err := t.exec(ctx, `DELETE FROM blocks WHERE group_id = ? AND blocker_id = ? AND blocked_id = ?`, groupID, blockerID, blockedID)
	if err != nil {
		return false, fmt.Errorf("unblock: %w", err)
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// BlockRow is a block with the blocked member's membership in the group.
type BlockRow struct {
	hearth.Block
	MembershipID int64
	Pseudonym    string
}

// BlocksBy lists the blocks a person made (in every group), newest first.
func (db *DB) BlocksBy(ctx context.Context, blockerID int64) ([]BlockRow, error) {
	return nonNil(list(ctx, db, "list blocks", func(row rowScanner) (BlockRow, error) {
		var b BlockRow
		var at int64
		err := row.Scan(&b.GroupID, &b.BlockerID, &b.BlockedID, &at, &b.MembershipID, &b.Pseudonym)
		b.CreatedAt = fromUnix(at)
		return b, err
	}, `SELECT b.group_id, b.blocker_id, b.blocked_id, b.created_at, COALESCE(m.id, 0), COALESCE(m.pseudonym, '')
		FROM blocks b LEFT JOIN memberships m ON m.group_id = b.group_id AND m.user_id = b.blocked_id
		WHERE b.blocker_id = ? ORDER BY b.created_at DESC, b.blocked_id`, blockerID))
}

// BlockedEither reports whether one of two people blocked the other in a
// group.
func (db *DB) BlockedEither(ctx context.Context, groupID, a, b int64) (bool, error) {
	var n int
	err := db.queryRow(ctx, `SELECT COUNT(*) FROM blocks WHERE group_id = ? AND ((blocker_id = ? AND blocked_id = ?) OR (blocker_id = ? AND blocked_id = ?))`,
		groupID, a, b, b, a).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("block: %w", err)
	}
	return n > 0, nil
}

// ---------------------------------------------------------------------------
// New-member posting rules

// ModerationSettings returns a group's posting rules (the defaults when
// never set).
func (db *DB) ModerationSettings(ctx context.Context, groupID int64) (hearth.ModerationSettings, error) {
	return moderationSettings(ctx, db, groupID)
}

// ModerationSettings returns a group's posting rules inside the transaction.
func (t *Tx) ModerationSettings(ctx context.Context, groupID int64) (hearth.ModerationSettings, error) {
	return moderationSettings(ctx, t, groupID)
}

func moderationSettings(ctx context.Context, r reader, groupID int64) (hearth.ModerationSettings, error) {
	s := hearth.DefaultModerationSettings
	err := r.queryRow(ctx, `SELECT new_member_days, new_member_posts_per_hour, posts_per_hour, approve_first_posts FROM moderation_settings WHERE group_id = ?`,
		groupID).Scan(&s.NewMemberDays, &s.NewMemberPostsPerHour, &s.PostsPerHour, &s.ApproveFirstPosts)
	if errors.Is(err, sql.ErrNoRows) {
		return hearth.DefaultModerationSettings, nil
	}
	if err != nil {
		return s, fmt.Errorf("moderation settings: %w", err)
	}
	return s, nil
}

// SetModerationSettings stores a group's posting rules.
func (t *Tx) SetModerationSettings(ctx context.Context, groupID int64, s hearth.ModerationSettings, at time.Time) error {
	_, err := t.exec(ctx, `INSERT INTO moderation_settings (group_id, new_member_days, new_member_posts_per_hour, posts_per_hour, approve_first_posts, updated_at)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (group_id) DO UPDATE SET new_member_days = excluded.new_member_days,
		new_member_posts_per_hour = excluded.new_member_posts_per_hour, posts_per_hour = excluded.posts_per_hour,
		approve_first_posts = excluded.approve_first_posts, updated_at = excluded.updated_at`,
		groupID, s.NewMemberDays, s.NewMemberPostsPerHour, s.PostsPerHour, s.ApproveFirstPosts, unix(at))
	if err != nil {
		return fmt.Errorf("moderation settings: %w", err)
	}
	return nil
}

// TrustPoster lifts the approval of a new member's posts in a group.
func (t *Tx) TrustPoster(ctx context.Context, groupID, userID, by int64, at time.Time) error {
	_, err := t.exec(ctx, `INSERT INTO trusted_posters (group_id, user_id, trusted_by, trusted_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (group_id, user_id) DO NOTHING`, groupID, userID, by, unix(at))
	if err != nil {
		return fmt.Errorf("trust: %w", err)
	}
	return nil
}

// TrustedPoster reports whether a facilitator trusts a member's posts.
func (t *Tx) TrustedPoster(ctx context.Context, groupID, userID int64) (bool, error) {
	var n int
	if err := t.queryRow(ctx, `SELECT COUNT(*) FROM trusted_posters WHERE group_id = ? AND user_id = ?`, groupID, userID).Scan(&n); err != nil {
		return false, fmt.Errorf("trust: %w", err)
	}
	return n > 0, nil
}

// CountPostMarks counts a person's posts in a group since a moment.
func (t *Tx) CountPostMarks(ctx context.Context, groupID, userID int64, since time.Time) (int, time.Time, error) {
	var n int
	var oldest sql.NullInt64
	err := t.queryRow(ctx, `SELECT COUNT(*), MIN(at) FROM post_marks WHERE group_id = ? AND user_id = ? AND at >= ?`, groupID, userID, unix(since)).Scan(&n, &oldest)
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("post rate: %w", err)
	}
	return n, fromUnix(oldest.Int64), nil
}

// AddPostMark records one post for the rate, and forgets marks older than
// a day.
func (t *Tx) AddPostMark(ctx context.Context, groupID, userID int64, at time.Time) error {
	if _, err := t.exec(ctx, `DELETE FROM post_marks WHERE group_id = ? AND user_id = ? AND at < ?`, groupID, userID, unix(at.Add(-24*time.Hour))); err != nil {
		return fmt.Errorf("post rate: %w", err)
	}
	if _, err := t.exec(ctx, `INSERT INTO post_marks (group_id, user_id, at) VALUES (?, ?, ?)`, groupID, userID, unix(at)); err != nil {
		return fmt.Errorf("post rate: %w", err)
	}
	return nil
}

// MembershipAnyGroup returns a membership by its id alone (a subject names
// only the id; the caller checks the group).
func (db *DB) MembershipAnyGroup(ctx context.Context, id int64) (*hearth.Membership, error) {
	m, err := scanMembership(db.queryRow(ctx, `SELECT `+membershipCols("")+` FROM memberships WHERE id = ?`, id))
	return m, notFound(err, "The member")
}

// ActionsAbout lists the actions taken on a subject, oldest first.
func (db *DB) ActionsAbout(ctx context.Context, s hearth.Subject) ([]*hearth.ModAction, error) {
	return nonNil(list(ctx, db, "list actions", func(row rowScanner) (*hearth.ModAction, error) { return scanAction(row) },
		`SELECT `+actionCols+` FROM moderation_actions x WHERE x.subject_kind = ? AND x.subject_id = ? ORDER BY x.id`, string(s.Kind), s.ID))
}

// Action returns one action.
func (db *DB) Action(ctx context.Context, id int64) (*hearth.ModAction, error) {
	m, err := scanAction(db.queryRow(ctx, `SELECT `+actionCols+` FROM moderation_actions x WHERE x.id = ?`, id))
	return m, notFound(err, "The action")
}

// Appeal returns one appeal.
func (db *DB) Appeal(ctx context.Context, id int64) (*hearth.Appeal, error) {
	ap, err := scanAppeal(db.queryRow(ctx, `SELECT `+appealCols+` FROM appeals a WHERE a.id = ?`, id))
	return ap, notFound(err, "The appeal")
}
