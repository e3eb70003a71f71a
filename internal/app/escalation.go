package app

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/sqldb"
	"github.com/hearth-org/hearth/internal/vault"
)

// Escalations: the queue of safety alerts that facilitators (their groups),
// organization admins and the organization's on-call people (their
// organization) work through — open, acknowledged, resolved — with notes
// (sealed) and an outcome from a fixed list; every step is recorded on the
// alert and in the audit log. The chore RunEscalations tells the next
// person on the on-call list when a tier-3 alert goes unacknowledged for the
// organization's set minutes.

// Escalation is a safety alert as listed.
type Escalation = sqldb.Escalation

// EscalationStep is one step of a safety alert.
type EscalationStep = sqldb.EscalationStep

// Outcomes of a resolved alert.
const (
	OutcomeReachedOut        = "reached_out"        // a facilitator reached the member and is supporting them
	OutcomeMemberSafe        = "member_safe"        // the member said they are safe for now
	OutcomeReferred          = "referred"           // referred to a crisis line or professional
	OutcomeEmergencyServices = "emergency_services" // emergency services were called
	OutcomeNoRisk            = "no_risk"            // reviewed: the words were not about a crisis
	OutcomeNoResponse        = "no_response"        // the member could not be reached
)

// Outcomes lists the outcomes, in the order pages offer them.
var Outcomes = []string{OutcomeReachedOut, OutcomeMemberSafe, OutcomeReferred, OutcomeEmergencyServices, OutcomeNoRisk, OutcomeNoResponse}

// MaxEscalationNoteLen bounds a note on a safety alert.
const MaxEscalationNoteLen = 2000

// EscalationView is one safety alert for someone who handles it.
type EscalationView struct {
	Escalation *Escalation
	Steps      []EscalationStep
	Notes      map[int64]string // step id → the note's text, for note steps
	// WritingLink is where the viewer may read the writing, when they may
	// ("" otherwise: on-call people outside the group read no answers).
	WritingLink string
	Outcomes    []string
}

// mayHandle reports whether the actor handles alerts of this group: its
// facilitators, its organization's admins, the organization's on-call
// people and site admins.
func (a *App) mayHandle(ctx context.Context, actor hearth.Actor, orgID, groupID int64) (bool, error) {
	if !actor.SignedIn() {
		return false, nil
	}
	if actor.AdministersOrg(orgID) || slices.Contains(actor.FacilitateOf, groupID) {
		return true, nil
	}
	orgs, err := a.onCallOrgs(ctx, actor)
	return slices.Contains(orgs, orgID), err
}

// WritingLinkFor is where the actor may read an alert's writing ("" when
// they may not).
func WritingLinkFor(actor hearth.Actor, e *Escalation) string { return writingLink(actor, e) }

// writingLink is where the actor may read an alert's writing ("" when they
// may not).
func writingLink(actor hearth.Actor, e *Escalation) string {
	if !actor.AdministersOrg(e.OrgID) && !slices.Contains(actor.FacilitateOf, e.GroupID) {
		return ""
	}
	switch e.WritingKind {
	case WritingIntakeAnswer:
		return fmt.Sprintf("/groups/%s/members#applicant-%d", e.GroupSlug, e.WritingID)
	case WritingReport:
		return fmt.Sprintf("/reports/%d", e.WritingID)
	case WritingRoomMessage:
		// The writing is named by its room: /rooms/{id} leads to the room
		// while it is open, else to its meeting (App.RoomLink).
		return fmt.Sprintf("/rooms/%d", e.WritingID)
	case WritingPost:
		// A board post, by its permanent address: the page checks the
		// reader and leads to the thread's page that holds the post
		// (App.BoardPostLink). RefusedPostID: a muted member's refused
		// post, read for a crisis and not stored.
		if e.WritingID <= 0 {
			return ""
		}
		return BoardPostPath(e.GroupSlug, e.WritingID)
	}
	return ""
}

// EscalationQueue lists the safety alerts the actor handles, newest first:
// status "open", "acknowledged", "resolved" or "" for all.
func (a *App) EscalationQueue(ctx context.Context, actor hearth.Actor, status string) ([]*Escalation, error) {
	if !actor.SignedIn() {
		return nil, hearth.Errorf(hearth.Unauthorized, "Please sign in first.")
	}
	if status != "" && !slices.Contains([]string{sqldb.EscalationOpen, sqldb.EscalationAcknowledged, sqldb.EscalationResolved}, status) {
		return nil, hearth.Problems{{Field: "status", Code: "invalid", Message: "Choose open, acknowledged or resolved."}}.Err()
	}
	oncall, err := a.onCallOrgs(ctx, actor)
	if err != nil {
		return nil, err
	}
	f := sqldb.EscalationFilter{All: actor.SiteAdmin, GroupIDs: actor.FacilitateOf, OrgIDs: append(slices.Clone(actor.OrgAdminOf), oncall...), Status: status}
	if !f.All && len(f.GroupIDs) == 0 && len(f.OrgIDs) == 0 {
		return nil, hearth.Coded(hearth.Forbidden, "forbidden", "Only facilitators, organization administrators and on-call people see safety alerts.")
	}
	return a.db.Escalations(ctx, f)
}

// handled loads an alert for someone who handles it; others are told it
// does not exist.
func (a *App) handled(ctx context.Context, actor hearth.Actor, id int64) (*Escalation, error) {
	if !actor.SignedIn() {
		return nil, hearth.Errorf(hearth.Unauthorized, "Please sign in first.")
	}
	e, err := a.db.Escalation(ctx, id)
	if err != nil {
		return nil, err
	}
	ok, err := a.mayHandle(ctx, actor, e.OrgID, e.GroupID)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, hearth.Errorf(hearth.NotFound, "The safety alert was not found.")
	}
	return e, nil
}

// EscalationDetail returns one safety alert with its steps and notes.
func (a *App) EscalationDetail(ctx context.Context, actor hearth.Actor, id int64) (*EscalationView, error) {
	e, err := a.handled(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	steps, err := a.db.EscalationSteps(ctx, id)
	if err != nil {
		return nil, err
	}
	v := &EscalationView{Escalation: e, Steps: steps, Notes: map[int64]string{}, WritingLink: writingLink(actor, e), Outcomes: Outcomes}
	for _, s := range steps {
		if len(s.Note) == 0 {
			continue
		}
		text, err := a.vault.OpenString(ctx, vault.GroupScope(e.GroupID), escalationNoteAD(s.ID), s.Note)
		if err != nil {
			return nil, fmt.Errorf("open note of escalation %d: %w", id, err)
		}
		v.Notes[s.ID] = text
	}
	return v, nil
}

func escalationNoteAD(step int64) string { return fmt.Sprintf("escalation_note:step=%d", step) }

// EscalationAction is what a person does to a safety alert.
type EscalationAction struct {
	Acknowledge bool   // take it: stops the on-call chain
	Note        string // facilitator-written (sealed; not screened: it is staff writing, not a member reaching out)
	Resolve     bool   // close it with Outcome
	Outcome     string
	Reviewed    bool // the held writing was read by a person and may be released
	Reopen      bool // open a resolved alert again
}

// ActOnEscalation acknowledges, notes, marks reviewed, resolves or reopens
// a safety alert, in one transaction, each step recorded on the alert and
// in the audit log. Acknowledging (and resolving, which acknowledges)
// stops the on-call chain. Nothing here touches the author's membership.
func (a *App) ActOnEscalation(ctx context.Context, actor hearth.Actor, id int64, act EscalationAction) (*Escalation, error) {
	e, err := a.handled(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	act.Note = strings.TrimSpace(act.Note)
	var p hearth.Problems
	if err := hearth.ValidateNote("note", act.Note, false, MaxEscalationNoteLen); err != nil {
		p = append(p, hearth.AsError(err).Fields...)
	}
	if act.Resolve && !slices.Contains(Outcomes, act.Outcome) {
		p.Add("outcome", "required", "Choose what happened.", nil)
	}
	if !act.Acknowledge && !act.Resolve && !act.Reviewed && !act.Reopen && act.Note == "" {
		p.Add("note", "required", "Write a note, or choose what to do.", nil)
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	if err := a.vault.EnsureKey(ctx, vault.GroupScope(e.GroupID)); err != nil {
		return nil, err
	}
	err = a.db.InTx(ctx, func(tx *sqldb.Tx) error {
		cur, err := tx.LockEscalation(ctx, id)
		if err != nil {
			return err
		}
		e = cur
		now := a.now().UTC().Truncate(time.Second)
		step := func(kind, outcome string) (*sqldb.EscalationStep, error) {
			s := &sqldb.EscalationStep{EscalationID: e.ID, Kind: kind, ActorID: actor.UserID, Outcome: outcome, At: now}
			if err := tx.AddEscalationStep(ctx, s); err != nil {
				return nil, err
			}
			return s, a.audit(ctx, tx, AuditEntry{ActorID: actor.UserID, Action: "escalation." + kind, OrgID: e.OrgID, GroupID: e.GroupID,
				SubjectKind: "escalation", SubjectID: e.ID, Reason: outcome})
		}
		if act.Reopen {
			if e.Status != sqldb.EscalationResolved {
				return hearth.Coded(hearth.Conflict, "not_resolved", "This alert is not resolved.")
			}
			e.Status, e.ResolvedAt, e.ResolvedBy, e.Outcome = sqldb.EscalationAcknowledged, time.Time{}, 0, ""
			if _, err := step(sqldb.StepReopened, ""); err != nil {
				return err
			}
		} else if e.Status == sqldb.EscalationResolved && (act.Acknowledge || act.Resolve) {
			return hearth.Coded(hearth.Conflict, "already_resolved", "This alert is already resolved.")
		}
		if (act.Acknowledge || act.Resolve) && e.Status == sqldb.EscalationOpen {
			e.Status, e.AcknowledgedAt, e.AcknowledgedBy = sqldb.EscalationAcknowledged, now, actor.UserID
			e.NextAt = time.Time{}
			if _, err := step(sqldb.StepAcknowledged, ""); err != nil {
				return err
			}
		}
		if act.Note != "" {
			s, err := step(sqldb.StepNote, "")
			if err != nil {
				return err
			}
			sealed, err := a.vault.SealString(ctx, vault.GroupScope(e.GroupID), escalationNoteAD(s.ID), act.Note)
			if err != nil {
				return err
			}
			if err := tx.SetEscalationNote(ctx, s.ID, sealed); err != nil {
				return err
			}
		}
		if act.Reviewed && e.Held {
			e.Held = false
			if _, err := step(sqldb.StepReviewed, "method_detail"); err != nil {
				return err
			}
		}
		if act.Resolve {
			e.Status, e.ResolvedAt, e.ResolvedBy, e.Outcome, e.NextAt = sqldb.EscalationResolved, now, actor.UserID, act.Outcome, time.Time{}
			if _, err := step(sqldb.StepResolved, act.Outcome); err != nil {
				return err
			}
		}
		return tx.SaveEscalation(ctx, e)
	})
	if err != nil {
		return nil, err
	}
	a.log.Info("safety alert updated", "escalation_id", e.ID, "by", actor.UserID, "status", e.Status)
	return e, nil
}

// RunEscalations is the chore serve runs every 15 seconds: each tier-3
// alert nobody has acknowledged within its organization's minutes is sent
// to the next person of the chain — the organization's on-call list in
// order, then its admins — skipping anyone already told; when nobody is
// left, the alert stays open in the queue. Each step is recorded. Safe to
// run from several processes at once (the alert's row is locked).
func (a *App) RunEscalations(ctx context.Context) error {
	due, err := a.db.DueEscalations(ctx, a.now(), 100)
	if err != nil {
		return err
	}
	var errs []error
	for _, id := range due {
		if err := a.escalate(ctx, id); err != nil {
			a.log.Error("escalate safety alert", "escalation_id", id, "err", err)
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("%d safety alerts could not be escalated: %w", len(errs), errs[0])
	}
	return nil
}

func (a *App) escalate(ctx context.Context, id int64) error {
	var told int64
	err := a.db.InTx(ctx, func(tx *sqldb.Tx) error {
		e, err := tx.LockEscalation(ctx, id)
		if err != nil {
			return err
		}
		now := a.now().UTC().Truncate(time.Second)
		if e.Status != sqldb.EscalationOpen || e.NextAt.IsZero() || e.NextAt.After(now) {
			return nil // acknowledged meanwhile, or another process did it
		}
		chain, err := a.chain(ctx, tx, e.OrgID)
		if err != nil {
			return err
		}
		already, err := tx.AlertedUsers(ctx, e.ID)
		if err != nil {
			return err
		}
		for e.NextStep < len(chain) && (chain[e.NextStep] == e.AuthorID || slices.Contains(already, chain[e.NextStep])) {
			e.NextStep++
		}
		if e.NextStep >= len(chain) {
			e.NextAt = time.Time{}
			if err := tx.AddEscalationStep(ctx, &sqldb.EscalationStep{EscalationID: e.ID, Kind: sqldb.StepExhausted, At: now}); err != nil {
				return err
			}
			if err := a.audit(ctx, tx, AuditEntry{Action: "escalation.exhausted", OrgID: e.OrgID, GroupID: e.GroupID, SubjectKind: "escalation",
				SubjectID: e.ID, Reason: "not_acknowledged"}); err != nil {
				return err
			}
			return tx.SaveEscalation(ctx, e)
		}
		told = chain[e.NextStep]
		if err := a.alert(ctx, tx, e, told, sqldb.StepEscalated, NoticeEscalation, "escalate", now); err != nil {
			return err
		}
		minutes, err := tx.AckMinutes(ctx, e.OrgID)
		if err != nil {
			return err
		}
		e.NextStep++
		e.NextAt = now.Add(time.Duration(minutes) * time.Minute)
		return tx.SaveEscalation(ctx, e)
	})
	if err == nil && told != 0 {
		a.log.Info("safety alert escalated", "escalation_id", id, "to", told)
	}
	return err
}

// chain is who an unacknowledged alert goes to next: the organization's
// on-call list in order, then its admins.
func (a *App) chain(ctx context.Context, tx *sqldb.Tx, orgID int64) ([]int64, error) {
	list, err := tx.OnCall(ctx, orgID)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for _, p := range list {
		ids = append(ids, p.UserID)
	}
	admins, err := a.db.OrgAdmins(ctx, orgID)
	if err != nil {
		return nil, err
	}
	for _, u := range admins {
		if !slices.Contains(ids, u.ID) {
			ids = append(ids, u.ID)
		}
	}
	return ids, nil
}

// ---------------------------------------------------------------------------
// An organization's safety settings

// SafetySettings are an organization's on-call list and how long an alert
// may go unacknowledged before the next person is told.
type SafetySettings struct {
	Org        *hearth.Organization
	OnCall     []sqldb.OnCallPerson
	AckMinutes int
}

// MaxOnCall bounds an on-call list.
const MaxOnCall = 20

// OrgSafety returns an organization's safety settings, for its admins.
func (a *App) OrgSafety(ctx context.Context, actor hearth.Actor, orgSlug string) (*SafetySettings, error) {
	o, err := a.adminOrg(ctx, actor, orgSlug)
	if err != nil {
		return nil, err
	}
	list, err := a.db.OnCall(ctx, o.ID)
	if err != nil {
		return nil, err
	}
	m, err := a.db.AckMinutes(ctx, o.ID)
	if err != nil {
		return nil, err
	}
	return &SafetySettings{Org: o, OnCall: list, AckMinutes: m}, nil
}

func (a *App) adminOrg(ctx context.Context, actor hearth.Actor, orgSlug string) (*hearth.Organization, error) {
	if !actor.SignedIn() {
		return nil, hearth.Errorf(hearth.Unauthorized, "Please sign in first.")
	}
	o, err := a.db.OrganizationBySlug(ctx, orgSlug)
	if err != nil {
		return nil, err
	}
	if !actor.AdministersOrg(o.ID) {
		return nil, hearth.Coded(hearth.Forbidden, "forbidden", "Only this organization's administrators can change its safety settings.")
	}
	return o, nil
}

// SetOrgSafety replaces an organization's on-call list (handles in order:
// each must be an administrator of the organization or a facilitator of
// one of its groups) and its acknowledgement minutes (1 to 120).
func (a *App) SetOrgSafety(ctx context.Context, actor hearth.Actor, orgSlug string, handles []string, ackMinutes int) (*SafetySettings, error) {
	o, err := a.adminOrg(ctx, actor, orgSlug)
	if err != nil {
		return nil, err
	}
	var p hearth.Problems
	if ackMinutes < 1 || ackMinutes > 120 {
		p.Add("ack_minutes", "range", "Choose between 1 and 120 minutes.", map[string]any{"Min": 1, "Max": 120})
	}
	var ids []int64
	seen := map[string]bool{}
	for _, h := range handles {
		h = hearth.NormalizeHandle(strings.TrimPrefix(strings.TrimSpace(h), "@"))
		if h == "" {
			continue
		}
		if seen[h] {
			p.Add("on_call", "duplicate", fmt.Sprintf("%s is on the list twice.", h), map[string]any{"Handle": h})
			continue
		}
		seen[h] = true
		u, _, err := a.db.UserByHandle(ctx, h)
		if hearth.ErrorKind(err) == hearth.NotFound {
			p.Add("on_call", "no_account", fmt.Sprintf("No account has the handle %s.", h), map[string]any{"Handle": h})
			continue
		}
		if err != nil {
			return nil, err
		}
		staff, err := a.isOrgStaff(ctx, o.ID, u)
		if err != nil {
			return nil, err
		}
		if !staff {
			p.Add("on_call", "not_staff", fmt.Sprintf("%s is neither an administrator of this organization nor a facilitator of one of its groups.", h),
				map[string]any{"Handle": h})
			continue
		}
		ids = append(ids, u.ID)
	}
	if len(ids) > MaxOnCall {
		p.Add("on_call", "too_many", fmt.Sprintf("An on-call list has at most %d people.", MaxOnCall), map[string]any{"Max": MaxOnCall})
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	err = a.db.InTx(ctx, func(tx *sqldb.Tx) error {
		now := a.now().UTC().Truncate(time.Second)
		if err := tx.SetOnCall(ctx, o.ID, ids, now); err != nil {
			return err
		}
		if err := tx.SetAckMinutes(ctx, o.ID, ackMinutes, now); err != nil {
			return err
		}
		return a.audit(ctx, tx, AuditEntry{ActorID: actor.UserID, Action: "safety.settings_changed", OrgID: o.ID, SubjectKind: "organization",
			SubjectID: o.ID, Reason: fmt.Sprintf("on_call_%d_ack_%d", len(ids), ackMinutes)})
	})
	if err != nil {
		return nil, err
	}
	a.log.Info("safety settings saved", "org_id", o.ID, "by", actor.UserID, "on_call", len(ids), "ack_minutes", ackMinutes)
	return a.OrgSafety(ctx, actor, orgSlug)
}

func (a *App) isOrgStaff(ctx context.Context, orgID int64, u *hearth.User) (bool, error) {
	admins, err := a.db.OrgAdmins(ctx, orgID)
	if err != nil {
		return false, err
	}
	if slices.ContainsFunc(admins, func(x *hearth.User) bool { return x.ID == u.ID }) {
		return true, nil
	}
	return a.db.LeadsInOrg(ctx, orgID, u.ID)
}
