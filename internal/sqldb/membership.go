package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hearth-org/hearth"
)

// Membership storage: memberships with their place in line and offers,
// cohorts, intake questions and sealed answers, seat settings and the event
// history. Every rule lives in internal/app, which calls these inside one
// transaction per use case and locks the group first (LockGroup) so that a
// seat is counted and taken by one transaction at a time.

// reader is what both the database (its reader pool) and a transaction can
// query, so that one function reads in either.
type reader interface {
	queryRow(ctx context.Context, q string, args ...any) *sql.Row
	query(ctx context.Context, q string, args ...any) (*sql.Rows, error)
}

// rowScanner is a row being read: *sql.Row or *sql.Rows.
type rowScanner interface{ Scan(...any) error }

// list runs a query and reads every row with scan; what names the list in
// errors. No rows give a nil list.
func list[T any](ctx context.Context, r reader, what string, scan func(rowScanner) (T, error), q string, args ...any) ([]T, error) {
	rows, err := r.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// nonNil turns a nil list into an empty one (for lists the API writes as
// []).
func nonNil[T any](xs []T, err error) ([]T, error) {
	if xs == nil && err == nil {
		xs = []T{}
	}
	return xs, err
}

func membershipCols(p string) string {
	return p + "id, " + p + "group_id, " + p + "user_id, " + p + "role, " + p + "status, " + p + "pseudonym, " + p + "guidelines_version, " +
		p + "joined_at, COALESCE(" + p + "cohort_id, 0), " + p + "share_email, " + p + "committed_sessions, " + p + "waitlist_seq, " +
		p + "waitlisted_at, " + p + "offer_expires_at, " + p + "status_at, " + p + "decided_at, " + p + "decision"
}

func scanMembership(row rowScanner, extra ...any) (*hearth.Membership, error) {
	var m hearth.Membership
	var role, status string
	var joined, waitlisted, offer, statusAt, decided int64
	err := row.Scan(append([]any{&m.ID, &m.GroupID, &m.UserID, &role, &status, &m.Pseudonym, &m.GuidelinesVersion, &joined,
		&m.CohortID, &m.ShareEmail, &m.CommittedSessions, &m.WaitlistSeq, &waitlisted, &offer, &statusAt, &decided, &m.SealedDecision}, extra...)...)
	if err != nil {
		return nil, err
	}
	m.Role, m.Status = hearth.Role(role), hearth.MembershipStatus(status)
	m.JoinedAt, m.WaitlistedAt, m.OfferExpires, m.StatusAt, m.DecidedAt = fromUnix(joined), fromUnix(waitlisted), fromUnix(offer), fromUnix(statusAt), fromUnix(decided)
	return &m, nil
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// LockGroup takes the group's row lock for the rest of the transaction, so
// that counting and taking seats, and numbering the line, happen one
// transaction at a time. SQLite's single writer already serializes write
// transactions (BEGIN IMMEDIATE); PostgreSQL locks the row.
func (t *Tx) LockGroup(ctx context.Context, groupID int64) error {
	if t.db.engine != Postgres {
		return nil
	}
	var id int64
	err := t.queryRow(ctx, `SELECT id FROM groups WHERE id = ? FOR UPDATE`, groupID).Scan(&id)
	return notFound(err, "The group")
}

// Membership returns a person's membership of a group inside the
// transaction.
func (t *Tx) Membership(ctx context.Context, groupID, userID int64) (*hearth.Membership, error) {
	m, err := scanMembership(t.queryRow(ctx, `SELECT `+membershipCols("")+` FROM memberships WHERE group_id = ? AND user_id = ?`, groupID, userID))
	return m, notFound(err, "The membership")
}

// MembershipByID returns one of a group's memberships by its id.
func (t *Tx) MembershipByID(ctx context.Context, groupID, id int64) (*hearth.Membership, error) {
	m, err := scanMembership(t.queryRow(ctx, `SELECT `+membershipCols("")+` FROM memberships WHERE group_id = ? AND id = ?`, groupID, id))
	return m, notFound(err, "The member")
}

// MembershipByID returns one of a group's memberships by its id.
func (db *DB) MembershipByID(ctx context.Context, groupID, id int64) (*hearth.Membership, error) {
	m, err := scanMembership(db.queryRow(ctx, `SELECT `+membershipCols("")+` FROM memberships WHERE group_id = ? AND id = ?`, groupID, id))
	return m, notFound(err, "The member")
}

// pseudonymTaken is the Conflict for a name someone in the group already uses.
func pseudonymTaken() error {
	return &hearth.Error{Kind: hearth.Conflict, Code: "pseudonym_taken", Message: "Someone in this group already uses that name.",
		Fields: []hearth.FieldError{{Field: "pseudonym", Code: "taken", Message: "Someone in this group already uses that name; choose another."}}}
}

// InsertMembership stores a new membership with every field. A taken
// pseudonym or an existing membership is a Conflict.
func (t *Tx) InsertMembership(ctx context.Context, m *hearth.Membership) error {
	now := t.db.now().UTC().Truncate(time.Second)
	if m.JoinedAt.IsZero() {
		m.JoinedAt = now
	}
	if m.StatusAt.IsZero() {
		m.StatusAt = now
	}
	id, err := t.insert(ctx, `INSERT INTO memberships (group_id, user_id, role, status, pseudonym, pseudonym_key, guidelines_version, joined_at,
		cohort_id, share_email, committed_sessions, waitlist_seq, waitlisted_at, offer_expires_at, status_at, decided_at, decision)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		m.GroupID, m.UserID, string(m.Role), string(m.Status), m.Pseudonym, pseudonymKey(m.Pseudonym), m.GuidelinesVersion, unix(m.JoinedAt),
		nullID(m.CohortID), m.ShareEmail, m.CommittedSessions, m.WaitlistSeq, unix(m.WaitlistedAt), unix(m.OfferExpires), unix(m.StatusAt),
		unix(m.DecidedAt), m.SealedDecision)
	if isUnique(err) {
		if strings.Contains(err.Error(), "pseudonym") {
			return pseudonymTaken()
		}
		return hearth.Coded(hearth.Conflict, "already_member", "You already belong to this group.")
	}
	if err != nil {
		return fmt.Errorf("insert membership: %w", err)
	}
	m.ID = id
	return nil
}

// SaveMembership stores a membership's changed state (status, cohort,
// place in line, offer, decision, guidelines, contact sharing, pseudonym).
func (t *Tx) SaveMembership(ctx context.Context, m *hearth.Membership) error {
	res, err := t.exec(ctx, `UPDATE memberships SET role = ?, status = ?, pseudonym = ?, pseudonym_key = ?, guidelines_version = ?, cohort_id = ?,
		share_email = ?, committed_sessions = ?, waitlist_seq = ?, waitlisted_at = ?, offer_expires_at = ?, status_at = ?, decided_at = ?, decision = ?
		WHERE id = ? AND group_id = ?`,
		string(m.Role), string(m.Status), m.Pseudonym, pseudonymKey(m.Pseudonym), m.GuidelinesVersion, nullID(m.CohortID),
		m.ShareEmail, m.CommittedSessions, m.WaitlistSeq, unix(m.WaitlistedAt), unix(m.OfferExpires), unix(m.StatusAt), unix(m.DecidedAt), m.SealedDecision,
		m.ID, m.GroupID)
	if isUnique(err) {
		return pseudonymTaken()
	}
	if err != nil {
		return fmt.Errorf("save membership %d: %w", m.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return hearth.Errorf(hearth.NotFound, "The membership was not found.")
	}
	return nil
}

// DeleteMembership removes a membership and, with it, its intake answers.
func (t *Tx) DeleteMembership(ctx context.Context, groupID, id int64) error {
	if _, err := t.exec(ctx, `DELETE FROM intake_answers WHERE membership_id = ?`, id); err != nil {
		return fmt.Errorf("delete answers: %w", err)
	}
	if _, err := t.exec(ctx, `DELETE FROM memberships WHERE id = ? AND group_id = ?`, id, groupID); err != nil {
		return fmt.Errorf("delete membership %d: %w", id, err)
	}
	return nil
}

// SeatsTaken counts the active members (facilitators take no seat) of the
// group, or of one cohort when cohortID is not 0.
func (t *Tx) SeatsTaken(ctx context.Context, groupID, cohortID int64) (int, error) {
	q := `SELECT COUNT(*) FROM memberships WHERE group_id = ? AND status = ? AND role = ?`
	args := []any{groupID, string(hearth.StatusActive), string(hearth.RoleMember)}
	if cohortID != 0 {
		q += ` AND cohort_id = ?`
		args = append(args, cohortID)
	}
	var n int
	if err := t.queryRow(ctx, q, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count seats: %w", err)
	}
	return n, nil
}

// SetSeatCount records the seats taken on the group row, which the
// directory reads ("accepting now"); updated_at moves so that other
// processes see it.
func (t *Tx) SetSeatCount(ctx context.Context, groupID int64, n int) error {
	_, err := t.exec(ctx, `UPDATE groups SET active_members = ?, updated_at = ? WHERE id = ?`, n, t.db.now().Unix(), groupID)
	if err != nil {
		return fmt.Errorf("count seats: %w", err)
	}
	return nil
}

// Line returns the group's waiting list, first in line first.
func (t *Tx) Line(ctx context.Context, groupID int64) ([]*hearth.Membership, error) {
	return line(ctx, t, groupID)
}

// Line returns the group's waiting list, first in line first.
func (db *DB) Line(ctx context.Context, groupID int64) ([]*hearth.Membership, error) {
	return line(ctx, db, groupID)
}

func line(ctx context.Context, r reader, groupID int64) ([]*hearth.Membership, error) {
	return memberships(ctx, r, `SELECT `+membershipCols("")+` FROM memberships WHERE group_id = ? AND status = ? ORDER BY waitlist_seq, id`,
		groupID, string(hearth.StatusWaitlisted))
}

func memberships(ctx context.Context, r reader, q string, args ...any) ([]*hearth.Membership, error) {
	return list(ctx, r, "list memberships", func(row rowScanner) (*hearth.Membership, error) { return scanMembership(row) }, q, args...)
}

// NextWaitlistSeq returns the next number in the group's line. Call it
// with the group locked: numbers are then handed out one at a time, in the
// order transactions queue people.
func (t *Tx) NextWaitlistSeq(ctx context.Context, groupID int64) (int64, error) {
	var n int64
	if err := t.queryRow(ctx, `SELECT COALESCE(MAX(waitlist_seq), 0) + 1 FROM memberships WHERE group_id = ?`, groupID).Scan(&n); err != nil {
		return 0, fmt.Errorf("next in line: %w", err)
	}
	return n, nil
}

// LinePosition is a waitlisted membership's place in line (1 = next).
func (t *Tx) LinePosition(ctx context.Context, m *hearth.Membership) (int, error) {
	return linePosition(ctx, t, m)
}

// LinePosition is a waitlisted membership's place in line (1 = next).
func (db *DB) LinePosition(ctx context.Context, m *hearth.Membership) (int, error) {
	return linePosition(ctx, db, m)
}

func linePosition(ctx context.Context, r reader, m *hearth.Membership) (int, error) {
	var n int
	err := r.queryRow(ctx, `SELECT COUNT(*) FROM memberships WHERE group_id = ? AND status = ? AND (waitlist_seq < ? OR (waitlist_seq = ? AND id < ?))`,
		m.GroupID, string(hearth.StatusWaitlisted), m.WaitlistSeq, m.WaitlistSeq, m.ID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("place in line: %w", err)
	}
	return n + 1, nil
}

// AddEvent records one step of a membership's history.
func (t *Tx) AddEvent(ctx context.Context, e *hearth.MembershipEvent) error {
	if e.At.IsZero() {
		e.At = t.db.now().UTC().Truncate(time.Second)
	}
	id, err := t.insert(ctx, `INSERT INTO membership_events (group_id, membership_id, user_id, actor_id, kind, status, cohort_id, position, offer_expires_at, note, at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, e.GroupID, e.MembershipID, e.UserID, e.ActorID, string(e.Kind), string(e.Status), e.CohortID, e.Position,
		unix(e.OfferExpires), e.SealedNote, unix(e.At))
	if err != nil {
		return fmt.Errorf("record %s: %w", e.Kind, err)
	}
	e.ID = id
	return nil
}

// EventRow is an event with the member's current pseudonym ("" when the
// membership is gone: a former member) and the acting person's.
type EventRow struct {
	hearth.MembershipEvent
	Pseudonym      string
	ActorPseudonym string
}

// MembershipEvents lists a group's history, newest first; with userID, one
// person's steps only. At most limit rows.
func (db *DB) MembershipEvents(ctx context.Context, groupID, userID int64, limit int) ([]EventRow, error) {
	q := `SELECT e.id, e.group_id, e.membership_id, e.user_id, e.actor_id, e.kind, e.status, e.cohort_id, e.position, e.offer_expires_at, e.note, e.at,
		COALESCE(m.pseudonym, ''), COALESCE(a.pseudonym, '')
		FROM membership_events e
		LEFT JOIN memberships m ON m.id = e.membership_id AND m.group_id = e.group_id
		LEFT JOIN memberships a ON a.user_id = e.actor_id AND a.group_id = e.group_id AND e.actor_id <> 0
		WHERE e.group_id = ?`
	args := []any{groupID}
	if userID != 0 {
		q += ` AND e.user_id = ?`
		args = append(args, userID)
	}
	q += fmt.Sprintf(` ORDER BY e.id DESC LIMIT %d`, max(1, limit))
	return list(ctx, db, "list events", func(row rowScanner) (EventRow, error) {
		var e EventRow
		var kind, status string
		var offer, at int64
		err := row.Scan(&e.ID, &e.GroupID, &e.MembershipID, &e.UserID, &e.ActorID, &kind, &status, &e.CohortID, &e.Position, &offer, &e.SealedNote, &at,
			&e.Pseudonym, &e.ActorPseudonym)
		e.Kind, e.Status, e.OfferExpires, e.At = hearth.EventKind(kind), hearth.MembershipStatus(status), fromUnix(offer), fromUnix(at)
		return e, err
	}, q, args...)
}

// ---------------------------------------------------------------------------
// Cohorts

const cohortCols = `id, group_id, number, cap, enrollment_opens, enrollment_closes, starts, ends, sessions, ended_at, created_at`

func scanCohort(row rowScanner) (*hearth.Cohort, error) {
	var c hearth.Cohort
	var opens, closes, starts, ends, ended, created int64
	if err := row.Scan(&c.ID, &c.GroupID, &c.Number, &c.Cap, &opens, &closes, &starts, &ends, &c.Sessions, &ended, &created); err != nil {
		return nil, err
	}
	c.Opens, c.Closes, c.Starts, c.Ends, c.EndedAt, c.Created = fromUnix(opens), fromUnix(closes), fromUnix(starts), fromUnix(ends), fromUnix(ended), fromUnix(created)
	return &c, nil
}

// InsertCohort stores the group's next cohort, numbering it.
func (t *Tx) InsertCohort(ctx context.Context, c *hearth.Cohort) error {
	if c.Created.IsZero() {
		c.Created = t.db.now().UTC().Truncate(time.Second)
	}
	if err := t.queryRow(ctx, `SELECT COALESCE(MAX(number), 0) + 1 FROM cohorts WHERE group_id = ?`, c.GroupID).Scan(&c.Number); err != nil {
		return fmt.Errorf("number cohort: %w", err)
	}
	id, err := t.insert(ctx, `INSERT INTO cohorts (group_id, number, cap, enrollment_opens, enrollment_closes, starts, ends, sessions, ended_at, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, c.GroupID, c.Number, c.Cap, unix(c.Opens), unix(c.Closes), unix(c.Starts), unix(c.Ends), c.Sessions,
		unix(c.EndedAt), unix(c.Created))
	if err != nil {
		return fmt.Errorf("insert cohort: %w", err)
	}
	c.ID = id
	return nil
}

// UpdateCohort stores a cohort's changed terms or its end.
func (t *Tx) UpdateCohort(ctx context.Context, c *hearth.Cohort) error {
	_, err := t.exec(ctx, `UPDATE cohorts SET cap = ?, enrollment_opens = ?, enrollment_closes = ?, starts = ?, ends = ?, sessions = ?, ended_at = ?
		WHERE id = ? AND group_id = ?`, c.Cap, unix(c.Opens), unix(c.Closes), unix(c.Starts), unix(c.Ends), c.Sessions, unix(c.EndedAt), c.ID, c.GroupID)
	if err != nil {
		return fmt.Errorf("update cohort %d: %w", c.ID, err)
	}
	return nil
}

// CurrentCohort returns the group's newest cohort that has not ended (the
// one people apply to), or NotFound.
func (t *Tx) CurrentCohort(ctx context.Context, groupID int64) (*hearth.Cohort, error) {
	return currentCohort(ctx, t, groupID)
}

// CurrentCohort returns the group's newest cohort that has not ended.
func (db *DB) CurrentCohort(ctx context.Context, groupID int64) (*hearth.Cohort, error) {
	return currentCohort(ctx, db, groupID)
}

func currentCohort(ctx context.Context, r reader, groupID int64) (*hearth.Cohort, error) {
	c, err := scanCohort(r.queryRow(ctx, `SELECT `+cohortCols+` FROM cohorts WHERE group_id = ? AND ended_at = 0 ORDER BY number DESC LIMIT 1`, groupID))
	return c, notFound(err, "The cohort")
}

// Cohort returns one of the group's cohorts.
func (t *Tx) Cohort(ctx context.Context, groupID, id int64) (*hearth.Cohort, error) {
	c, err := scanCohort(t.queryRow(ctx, `SELECT `+cohortCols+` FROM cohorts WHERE group_id = ? AND id = ?`, groupID, id))
	return c, notFound(err, "The cohort")
}

// Cohorts lists a group's cohorts, newest first.
func (db *DB) Cohorts(ctx context.Context, groupID int64) ([]*hearth.Cohort, error) {
	return cohortsWhere(ctx, db, `group_id = ? ORDER BY number DESC`, groupID)
}

// CohortsToEnd lists the cohorts not yet ended whose last session is over
// at now, oldest first.
func (db *DB) CohortsToEnd(ctx context.Context, now time.Time) ([]*hearth.Cohort, error) {
	return cohortsWhere(ctx, db, `ended_at = 0 AND ends > 0 AND ends <= ? ORDER BY ends, id`, now.Unix())
}

func cohortsWhere(ctx context.Context, r reader, where string, args ...any) ([]*hearth.Cohort, error) {
	return nonNil(list(ctx, r, "list cohorts", scanCohort, `SELECT `+cohortCols+` FROM cohorts WHERE `+where, args...))
}

// SetGroupEnrollment mirrors the current cohort's terms on the group row
// (the directory and the group page read them there).
func (t *Tx) SetGroupEnrollment(ctx context.Context, groupID int64, e *hearth.Enrollment) error {
	_, err := t.exec(ctx, `UPDATE groups SET enrollment_cap = ?, enrollment_opens = ?, enrollment_closes = ?, cohort_starts = ?, sessions = ?, updated_at = ?
		WHERE id = ?`, e.Cap, unix(e.Opens), unix(e.Closes), unix(e.Starts), e.Sessions, t.db.now().Unix(), groupID)
	if err != nil {
		return fmt.Errorf("group enrollment: %w", err)
	}
	return nil
}

// GroupEnrollment reads the group's enrollment columns inside the
// transaction (after the lock, so that they are current).
func (t *Tx) GroupEnrollment(ctx context.Context, groupID int64) (hearth.Policy, *hearth.Enrollment, int, error) {
	var e hearth.Enrollment
	var policy string
	var opens, closes, starts int64
	var version int
	err := t.queryRow(ctx, `SELECT policy, enrollment_cap, enrollment_opens, enrollment_closes, cohort_starts, sessions, guidelines_version FROM groups WHERE id = ?`, groupID).
		Scan(&policy, &e.Cap, &opens, &closes, &starts, &e.Sessions, &version)
	if err != nil {
		return "", nil, 0, notFound(err, "The group")
	}
	e.Opens, e.Closes, e.Starts = fromUnix(opens), fromUnix(closes), fromUnix(starts)
	return hearth.Policy(policy), &e, version, nil
}

// ---------------------------------------------------------------------------
// Seat settings

// MembershipSettings returns a group's seat settings (defaults when never
// set).
func (t *Tx) MembershipSettings(ctx context.Context, groupID int64) (hearth.MembershipSettings, error) {
	return membershipSettings(ctx, t, groupID)
}

// MembershipSettings returns a group's seat settings.
func (db *DB) MembershipSettings(ctx context.Context, groupID int64) (hearth.MembershipSettings, error) {
	return membershipSettings(ctx, db, groupID)
}

func membershipSettings(ctx context.Context, r reader, groupID int64) (hearth.MembershipSettings, error) {
	s := hearth.MembershipSettings{OfferHours: hearth.DefaultOfferHours}
	err := r.queryRow(ctx, `SELECT member_cap, offer_hours FROM group_membership_settings WHERE group_id = ?`, groupID).Scan(&s.Cap, &s.OfferHours)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return s, fmt.Errorf("membership settings: %w", err)
	}
	return s, nil
}

// SetMembershipSettings stores a group's seat settings.
func (t *Tx) SetMembershipSettings(ctx context.Context, groupID int64, s hearth.MembershipSettings) error {
	now := t.db.now().Unix()
	res, err := t.exec(ctx, `UPDATE group_membership_settings SET member_cap = ?, offer_hours = ?, updated_at = ? WHERE group_id = ?`, s.Cap, s.OfferHours, now, groupID)
	if err != nil {
		return fmt.Errorf("membership settings: %w", err)
	}
	if n, _ := res.RowsAffected(); n > 0 {
		return nil
	}
	_, err = t.exec(ctx, `INSERT INTO group_membership_settings (group_id, member_cap, offer_hours, updated_at) VALUES (?, ?, ?, ?)`, groupID, s.Cap, s.OfferHours, now)
	if err != nil {
		return fmt.Errorf("membership settings: %w", err)
	}
	return nil
}

// ---------------------------------------------------------------------------
// Intake

// IntakeQuestions lists a group's intake questions in order.
func (db *DB) IntakeQuestions(ctx context.Context, groupID int64) ([]hearth.IntakeQuestion, error) {
	return intakeQuestions(ctx, db, groupID)
}

// IntakeQuestions lists a group's intake questions inside the transaction.
func (t *Tx) IntakeQuestions(ctx context.Context, groupID int64) ([]hearth.IntakeQuestion, error) {
	return intakeQuestions(ctx, t, groupID)
}

func intakeQuestions(ctx context.Context, r reader, groupID int64) ([]hearth.IntakeQuestion, error) {
	return nonNil(list(ctx, r, "intake questions", func(row rowScanner) (hearth.IntakeQuestion, error) {
		var q hearth.IntakeQuestion
		err := row.Scan(&q.ID, &q.GroupID, &q.Position, &q.Prompt, &q.Required)
		return q, err
	}, `SELECT id, group_id, position, prompt, required FROM intake_questions WHERE group_id = ? ORDER BY position`, groupID))
}

// ReplaceIntakeQuestions stores a group's questions in place of the old
// ones. Answers already given keep the question as it was asked.
func (t *Tx) ReplaceIntakeQuestions(ctx context.Context, groupID int64, qs []hearth.IntakeQuestion) error {
	if _, err := t.exec(ctx, `DELETE FROM intake_questions WHERE group_id = ?`, groupID); err != nil {
		return fmt.Errorf("clear intake questions: %w", err)
	}
	for i := range qs {
		qs[i].GroupID = groupID
		id, err := t.insert(ctx, `INSERT INTO intake_questions (group_id, position, prompt, required) VALUES (?, ?, ?, ?)`, groupID, qs[i].Position, qs[i].Prompt, qs[i].Required)
		if err != nil {
			return fmt.Errorf("insert intake question: %w", err)
		}
		qs[i].ID = id
	}
	return nil
}

// SealedAnswer is one intake answer as stored: the question as asked and
// the answer sealed by the vault.
type SealedAnswer struct {
	MembershipID int64
	Position     int
	Prompt       string
	Sealed       []byte
}

// PutIntakeAnswers replaces a membership's answers.
func (t *Tx) PutIntakeAnswers(ctx context.Context, membershipID int64, answers []SealedAnswer) error {
	if _, err := t.exec(ctx, `DELETE FROM intake_answers WHERE membership_id = ?`, membershipID); err != nil {
		return fmt.Errorf("clear answers: %w", err)
	}
	for _, a := range answers {
		if _, err := t.exec(ctx, `INSERT INTO intake_answers (membership_id, position, prompt, answer) VALUES (?, ?, ?, ?)`,
			membershipID, a.Position, a.Prompt, a.Sealed); err != nil {
			return fmt.Errorf("insert answer: %w", err)
		}
	}
	return nil
}

// IntakeAnswers returns the sealed answers of the memberships, by
// membership id, in question order.
func (db *DB) IntakeAnswers(ctx context.Context, membershipIDs []int64) (map[int64][]SealedAnswer, error) {
	out := map[int64][]SealedAnswer{}
	if len(membershipIDs) == 0 {
		return out, nil
	}
	as, err := list(ctx, db, "intake answers", func(row rowScanner) (SealedAnswer, error) {
		var a SealedAnswer
		err := row.Scan(&a.MembershipID, &a.Position, &a.Prompt, &a.Sealed)
		return a, err
	}, `SELECT membership_id, position, prompt, answer FROM intake_answers WHERE membership_id IN (`+placeholders(len(membershipIDs))+`)
		ORDER BY membership_id, position`, anys(membershipIDs)...)
	for _, a := range as {
		out[a.MembershipID] = append(out[a.MembershipID], a)
	}
	return out, err
}

// ---------------------------------------------------------------------------
// Lists for facilitators and chores

// MemberRow is a membership as the group's facilitators see it: the
// pseudonym and only the contact the member chose to share.
type MemberRow struct {
	*hearth.Membership
	SharedEmail string // "" unless the member shares it and has one
	CohortNo    int    // the cohort's number, 0 for none
}

// GroupMemberships lists every membership of a group (all statuses), line
// order for the waitlisted and pseudonym order for the rest.
func (db *DB) GroupMemberships(ctx context.Context, groupID int64) ([]MemberRow, error) {
	return list(ctx, db, "list members", func(row rowScanner) (MemberRow, error) {
		var r MemberRow
		var err error
		r.Membership, err = scanMembership(row, &r.SharedEmail, &r.CohortNo)
		return r, err
	}, `SELECT `+membershipCols("m.")+`, CASE WHEN m.share_email THEN COALESCE(u.email, '') ELSE '' END, COALESCE(c.number, 0)
		FROM memberships m JOIN users u ON u.id = m.user_id LEFT JOIN cohorts c ON c.id = m.cohort_id
		WHERE m.group_id = ? ORDER BY m.status, m.waitlist_seq, m.pseudonym_key, m.id`, groupID)
}

// DueOffer names a waitlist offer whose time is up.
type DueOffer struct {
	GroupID, MembershipID int64
}

// DueOffers lists offers that expired at or before now, oldest first.
func (db *DB) DueOffers(ctx context.Context, now time.Time) ([]DueOffer, error) {
	return list(ctx, db, "due offers", func(row rowScanner) (DueOffer, error) {
		var d DueOffer
		err := row.Scan(&d.GroupID, &d.MembershipID)
		return d, err
	}, `SELECT group_id, id FROM memberships WHERE offer_expires_at > 0 AND offer_expires_at <= ? AND status = ? ORDER BY offer_expires_at, id`,
		now.Unix(), string(hearth.StatusWaitlisted))
}

// CohortMembers lists a cohort's memberships of a status.
func (t *Tx) CohortMembers(ctx context.Context, groupID, cohortID int64, status hearth.MembershipStatus) ([]*hearth.Membership, error) {
	return memberships(ctx, t, `SELECT `+membershipCols("")+` FROM memberships WHERE group_id = ? AND cohort_id = ? AND status = ? ORDER BY id`,
		groupID, cohortID, string(status))
}

// GroupLeaders lists the user ids of the group's active facilitators.
func (t *Tx) GroupLeaders(ctx context.Context, groupID int64) ([]int64, error) {
	return list(ctx, t, "list leaders", func(row rowScanner) (int64, error) {
		var id int64
		err := row.Scan(&id)
		return id, err
	}, `SELECT user_id FROM memberships WHERE group_id = ? AND status = ? AND role <> ? ORDER BY user_id`,
		groupID, string(hearth.StatusActive), string(hearth.RoleMember))
}

// UserEmail returns an account's email ("" when none).
func (db *DB) UserEmail(ctx context.Context, userID int64) (string, error) {
	var e string
	err := db.queryRow(ctx, `SELECT COALESCE(email, '') FROM users WHERE id = ?`, userID).Scan(&e)
	return e, notFound(err, "The account")
}

// LastCohort returns the group's newest cohort, ended or not, or NotFound.
func (t *Tx) LastCohort(ctx context.Context, groupID int64) (*hearth.Cohort, error) {
	c, err := scanCohort(t.queryRow(ctx, `SELECT `+cohortCols+` FROM cohorts WHERE group_id = ? ORDER BY number DESC LIMIT 1`, groupID))
	return c, notFound(err, "The cohort")
}

// SetEventNote stores an event's sealed note (sealed after the event got
// its id, which the note's associated data names).
func (t *Tx) SetEventNote(ctx context.Context, eventID int64, sealed []byte) error {
	if _, err := t.exec(ctx, `UPDATE membership_events SET note = ? WHERE id = ?`, sealed, eventID); err != nil {
		return fmt.Errorf("event note: %w", err)
	}
	return nil
}
