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

// Escalation statuses.
const (
	EscalationOpen         = "open"
	EscalationAcknowledged = "acknowledged"
	EscalationResolved     = "resolved"
)

// Escalation is what follows one piece of writing the crisis detector read
// as a crisis: who wrote it, where, what the detector found and which
// writing it was (its kind and id) — never the text.
type Escalation struct {
	ID          int64
	OrgID       int64
	GroupID     int64
	AuthorID    int64 // 0 once the account is gone
	Tier        int
	Categories  []string
	Language    string
	Held        bool // the writing gives method details: held for a person to review
	WritingKind string
	WritingID   int64

	Status         string
	CreatedAt      time.Time
	AcknowledgedAt time.Time
	AcknowledgedBy int64
	ResolvedAt     time.Time
	ResolvedBy     int64
	Outcome        string

	// NextAt is when nobody having acknowledged makes the next person be
	// told (zero: nothing is due); NextStep the place in the on-call chain
	// that comes next.
	NextAt   time.Time
	NextStep int

	// Filled when reading.
	GroupSlug       string
	GroupName       string
	GroupZone       string
	AuthorPseudonym string // the author's pseudonym in the group
}

const escalationCols = `e.id, e.org_id, e.group_id, COALESCE(e.author_id, 0), e.tier, e.categories, e.language, e.held, e.writing_kind, e.writing_id,
	e.status, e.created_at, e.acknowledged_at, COALESCE(e.acknowledged_by, 0), e.resolved_at, COALESCE(e.resolved_by, 0), e.outcome,
	e.next_at, e.next_step, g.slug, g.name, g.time_zone, COALESCE(m.pseudonym, '')`

const escalationFrom = ` FROM escalations e JOIN groups g ON g.id = e.group_id
	LEFT JOIN memberships m ON m.group_id = e.group_id AND m.user_id = e.author_id`

func scanEscalation(row rowScanner) (*Escalation, error) {
	var e Escalation
	var cats string
	var created, acked, resolved, next int64
	err := row.Scan(&e.ID, &e.OrgID, &e.GroupID, &e.AuthorID, &e.Tier, &cats, &e.Language, &e.Held, &e.WritingKind, &e.WritingID,
		&e.Status, &created, &acked, &e.AcknowledgedBy, &resolved, &e.ResolvedBy, &e.Outcome, &next, &e.NextStep,
		&e.GroupSlug, &e.GroupName, &e.GroupZone, &e.AuthorPseudonym)
	if err != nil {
		return nil, err
	}
	if cats != "" {
		e.Categories = strings.Split(cats, ",")
	}
	e.CreatedAt, e.AcknowledgedAt, e.ResolvedAt, e.NextAt = fromUnix(created), fromUnix(acked), fromUnix(resolved), fromUnix(next)
	return &e, nil
}

// InsertEscalation stores a new escalation in the caller's transaction.
func (t *Tx) InsertEscalation(ctx context.Context, e *Escalation) error {
	if e.OrgID == 0 || e.GroupID == 0 || e.WritingKind == "" || e.WritingID == 0 {
		return errors.New("insert escalation: organization, group and writing are required")
	}
	if e.Status == "" {
		e.Status = EscalationOpen
	}
	id, err := t.insert(ctx, `INSERT INTO escalations (org_id, group_id, author_id, tier, categories, language, held, writing_kind, writing_id,
		status, created_at, next_at, next_step) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.OrgID, e.GroupID, nullID(e.AuthorID), e.Tier, strings.Join(e.Categories, ","), e.Language, e.Held, e.WritingKind, e.WritingID,
		e.Status, unix(e.CreatedAt), unix(e.NextAt), e.NextStep)
	if err != nil {
		return fmt.Errorf("insert escalation: %w", err)
	}
	e.ID = id
	return nil
}

// LockEscalation reads an escalation for change: on PostgreSQL its row
// stays locked until the transaction ends (SQLite's single writer already
// serializes), so an acknowledgement and the escalation chore never both
// act on it.
func (t *Tx) LockEscalation(ctx context.Context, id int64) (*Escalation, error) {
	lock := ""
	if t.db.engine == Postgres {
		lock = " FOR UPDATE OF e"
	}
	e, err := scanEscalation(t.queryRow(ctx, `SELECT `+escalationCols+escalationFrom+` WHERE e.id = ?`+lock, id))
	return e, notFound(err, "The safety alert")
}

// SaveEscalation stores an escalation's state (status, acknowledgement,
// resolution, outcome, held and the next step).
func (t *Tx) SaveEscalation(ctx context.Context, e *Escalation) error {
	_, err := t.exec(ctx, `UPDATE escalations SET status = ?, acknowledged_at = ?, acknowledged_by = ?, resolved_at = ?, resolved_by = ?,
		outcome = ?, held = ?, next_at = ?, next_step = ? WHERE id = ?`,
		e.Status, unix(e.AcknowledgedAt), nullID(e.AcknowledgedBy), unix(e.ResolvedAt), nullID(e.ResolvedBy),
		e.Outcome, e.Held, unix(e.NextAt), e.NextStep, e.ID)
	if err != nil {
		return fmt.Errorf("save escalation %d: %w", e.ID, err)
	}
	return nil
}

// Escalation reads one escalation.
func (db *DB) Escalation(ctx context.Context, id int64) (*Escalation, error) {
	e, err := scanEscalation(db.queryRow(ctx, `SELECT `+escalationCols+escalationFrom+` WHERE e.id = ?`, id))
	return e, notFound(err, "The safety alert")
}

// EscalationFilter chooses escalations to list: those of the groups or
// organizations named (both empty and All false: none), of one status
// ("" for any), newest first.
type EscalationFilter struct {
	All      bool // every organization (site admins)
	OrgIDs   []int64
	GroupIDs []int64
	Status   string
	Limit    int
}

// Escalations lists escalations, newest first.
func (db *DB) Escalations(ctx context.Context, f EscalationFilter) ([]*Escalation, error) {
	var where []string
	var args []any
	if !f.All {
		var scope []string
		if len(f.OrgIDs) > 0 {
			scope = append(scope, "e.org_id IN ("+placeholders(len(f.OrgIDs))+")")
			args = append(args, anys(f.OrgIDs)...)
		}
		if len(f.GroupIDs) > 0 {
			scope = append(scope, "e.group_id IN ("+placeholders(len(f.GroupIDs))+")")
			args = append(args, anys(f.GroupIDs)...)
		}
		if len(scope) == 0 {
			return []*Escalation{}, nil
		}
		where = append(where, "("+strings.Join(scope, " OR ")+")")
	}
	if f.Status != "" {
		where = append(where, "e.status = ?")
		args = append(args, f.Status)
	}
	if f.Limit <= 0 {
		f.Limit = 200
	}
	q := `SELECT ` + escalationCols + escalationFrom
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += fmt.Sprintf(" ORDER BY e.id DESC LIMIT %d", f.Limit)
	return nonNil(list(ctx, db, "list escalations", scanEscalation, q, args...))
}

// DueEscalations lists the ids of escalations whose next step is due.
func (db *DB) DueEscalations(ctx context.Context, now time.Time, limit int) ([]int64, error) {
	return list(ctx, db, "due escalations", func(row rowScanner) (int64, error) {
		var id int64
		err := row.Scan(&id)
		return id, err
	}, fmt.Sprintf(`SELECT id FROM escalations WHERE next_at > 0 AND next_at <= ? AND status = ? ORDER BY next_at, id LIMIT %d`, limit),
		unix(now), EscalationOpen)
}

// Escalation step kinds.
const (
	StepRaised       = "raised"       // the detector read a crisis; the escalation began
	StepAlerted      = "alerted"      // a person (UserID) was told at once
	StepEscalated    = "escalated"    // nobody acknowledged in time: the next person (UserID) was told
	StepExhausted    = "exhausted"    // nobody is left to tell; the alert stays open in the queue
	StepAcknowledged = "acknowledged" // a person (ActorID) took it
	StepNote         = "note"         // a person (ActorID) wrote a note (sealed)
	StepReviewed     = "reviewed"     // held writing was reviewed and released
	StepResolved     = "resolved"     // closed with an outcome
	StepReopened     = "reopened"     // opened again
)

// EscalationStep is one step of an escalation.
type EscalationStep struct {
	ID           int64
	EscalationID int64
	Kind         string
	ActorID      int64  // who acted (0: Hearth itself)
	UserID       int64  // who was told (alerted, escalated)
	Note         []byte // sealed; only for notes
	Outcome      string
	At           time.Time

	// Filled when reading: the handles of the people involved (staff
	// only: facilitators, admins and on-call people).
	ActorHandle string
	UserHandle  string
}

// AddEscalationStep records a step in the caller's transaction.
func (t *Tx) AddEscalationStep(ctx context.Context, s *EscalationStep) error {
	if s.At.IsZero() {
		s.At = t.db.now()
	}
	id, err := t.insert(ctx, `INSERT INTO escalation_steps (escalation_id, kind, actor_id, user_id, note, outcome, at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		s.EscalationID, s.Kind, nullID(s.ActorID), nullID(s.UserID), s.Note, s.Outcome, unix(s.At))
	if err != nil {
		return fmt.Errorf("add escalation step: %w", err)
	}
	s.ID = id
	return nil
}

// EscalationSteps lists an escalation's steps in order.
func (db *DB) EscalationSteps(ctx context.Context, escalationID int64) ([]EscalationStep, error) {
	return nonNil(list(ctx, db, "escalation steps", func(row rowScanner) (EscalationStep, error) {
		var s EscalationStep
		var at int64
		err := row.Scan(&s.ID, &s.EscalationID, &s.Kind, &s.ActorID, &s.UserID, &s.Note, &s.Outcome, &at, &s.ActorHandle, &s.UserHandle)
		s.At = fromUnix(at)
		return s, err
	}, `SELECT s.id, s.escalation_id, s.kind, COALESCE(s.actor_id, 0), COALESCE(s.user_id, 0), s.note, s.outcome, s.at,
		COALESCE(a.handle, ''), COALESCE(u.handle, '')
		FROM escalation_steps s LEFT JOIN users a ON a.id = s.actor_id LEFT JOIN users u ON u.id = s.user_id
		WHERE s.escalation_id = ? ORDER BY s.id`, escalationID))
}

// AlertedUsers lists who has been told about an escalation so far.
func (t *Tx) AlertedUsers(ctx context.Context, escalationID int64) ([]int64, error) {
	return list(ctx, t, "alerted users", func(row rowScanner) (int64, error) {
		var id int64
		err := row.Scan(&id)
		return id, err
	}, `SELECT DISTINCT user_id FROM escalation_steps WHERE escalation_id = ? AND user_id IS NOT NULL ORDER BY user_id`, escalationID)
}

// EscalationAlerted reports whether the person was told about the
// escalation (alerted or escalated to).
func (db *DB) EscalationAlerted(ctx context.Context, escalationID, userID int64) (bool, error) {
	var n int
	err := db.queryRow(ctx, `SELECT COUNT(*) FROM escalation_steps WHERE escalation_id = ? AND user_id = ?`, escalationID, userID).Scan(&n)
	return n > 0, err
}

// ---------------------------------------------------------------------------
// On-call lists and settings

// DefaultAckMinutes is how long an alert may go unacknowledged before the
// next person is told, when the organization set nothing.
const DefaultAckMinutes = 5

// OnCallPerson is one place on an organization's safety on-call list.
type OnCallPerson struct {
	Position int    `json:"position"`
	UserID   int64  `json:"-"`
	Handle   string `json:"handle"`
}

// OnCall lists an organization's safety on-call list in order.
func (db *DB) OnCall(ctx context.Context, orgID int64) ([]OnCallPerson, error) {
	return onCall(ctx, db, orgID)
}

// OnCall lists an organization's safety on-call list in order, inside the
// transaction.
func (t *Tx) OnCall(ctx context.Context, orgID int64) ([]OnCallPerson, error) {
	return onCall(ctx, t, orgID)
}

func onCall(ctx context.Context, r reader, orgID int64) ([]OnCallPerson, error) {
	return nonNil(list(ctx, r, "on-call list", func(row rowScanner) (OnCallPerson, error) {
		var p OnCallPerson
		err := row.Scan(&p.Position, &p.UserID, &p.Handle)
		return p, err
	}, `SELECT o.position, o.user_id, u.handle FROM safety_oncall o JOIN users u ON u.id = o.user_id WHERE o.org_id = ? ORDER BY o.position`, orgID))
}

// SetOnCall replaces an organization's on-call list with the people in the
// order given.
func (t *Tx) SetOnCall(ctx context.Context, orgID int64, userIDs []int64, at time.Time) error {
	if _, err := t.exec(ctx, `DELETE FROM safety_oncall WHERE org_id = ?`, orgID); err != nil {
		return fmt.Errorf("set on-call list: %w", err)
	}
	for i, id := range userIDs {
		if _, err := t.exec(ctx, `INSERT INTO safety_oncall (org_id, position, user_id, added_at) VALUES (?, ?, ?, ?)`, orgID, i+1, id, unix(at)); err != nil {
			if isUnique(err) {
				return hearth.Errorf(hearth.Invalid, "A person can be on the list only once.")
			}
			return fmt.Errorf("set on-call list: %w", err)
		}
	}
	return nil
}

// OnCallOrgs lists the organizations whose on-call list names the person.
func (db *DB) OnCallOrgs(ctx context.Context, userID int64) ([]int64, error) {
	return list(ctx, db, "on-call organizations", func(row rowScanner) (int64, error) {
		var id int64
		err := row.Scan(&id)
		return id, err
	}, `SELECT org_id FROM safety_oncall WHERE user_id = ? ORDER BY org_id`, userID)
}

// LeadsInOrg reports whether the person facilitates an active group of the
// organization.
func (db *DB) LeadsInOrg(ctx context.Context, orgID, userID int64) (bool, error) {
	var n int
	err := db.queryRow(ctx, `SELECT COUNT(*) FROM memberships m JOIN groups g ON g.id = m.group_id
		WHERE g.org_id = ? AND m.user_id = ? AND m.status = ? AND m.role <> ?`,
		orgID, userID, string(hearth.StatusActive), string(hearth.RoleMember)).Scan(&n)
	return n > 0, err
}

// AckMinutes returns the minutes an organization lets an alert go
// unacknowledged before the next person is told.
func (t *Tx) AckMinutes(ctx context.Context, orgID int64) (int, error) {
	return ackMinutes(ctx, t, orgID)
}

// AckMinutes returns the minutes an organization lets an alert go
// unacknowledged before the next person is told.
func (db *DB) AckMinutes(ctx context.Context, orgID int64) (int, error) {
	return ackMinutes(ctx, db, orgID)
}

func ackMinutes(ctx context.Context, r reader, orgID int64) (int, error) {
	var n int
	err := r.queryRow(ctx, `SELECT ack_minutes FROM safety_settings WHERE org_id = ?`, orgID).Scan(&n)
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return DefaultAckMinutes, nil
		}
		return 0, fmt.Errorf("safety settings: %w", err)
	}
	return n, nil
}

// SetAckMinutes stores an organization's acknowledgement time.
func (t *Tx) SetAckMinutes(ctx context.Context, orgID int64, minutes int, at time.Time) error {
	_, err := t.exec(ctx, `INSERT INTO safety_settings (org_id, ack_minutes, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (org_id) DO UPDATE SET ack_minutes = excluded.ack_minutes, updated_at = excluded.updated_at`, orgID, minutes, unix(at))
	if err != nil {
		return fmt.Errorf("set safety settings: %w", err)
	}
	return nil
}

// SetEscalationNote stores a note's sealed text on its step (sealed after
// the step exists, so the seal is bound to the step's id).
func (t *Tx) SetEscalationNote(ctx context.Context, stepID int64, sealed []byte) error {
	_, err := t.exec(ctx, `UPDATE escalation_steps SET note = ? WHERE id = ? AND kind = ?`, sealed, stepID, StepNote)
	if err != nil {
		return fmt.Errorf("set escalation note: %w", err)
	}
	return nil
}
