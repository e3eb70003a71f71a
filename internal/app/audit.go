package app

import (
	"context"
	"fmt"
	"regexp"
	"time"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/sqldb"
)

// AuditEntry is one safety or moderation action to record: who (ActorID; 0
// for Hearth itself), what (Action, like "escalation.acknowledged"), where
// (GroupID, OrgID), to what (SubjectKind and SubjectID: "escalation" 12,
// "membership" 40, "post" 9…) and why (Reason: a code such as "crisis_tier_3"
// or "harassment" — never words anyone wrote).
type AuditEntry struct {
	ActorID     int64
	Action      string
	GroupID     int64
	OrgID       int64
	SubjectKind string
	SubjectID   int64
	Reason      string
}

// StoredAuditEntry is an audit entry as read back, with the actor's handle
// and the group's slug.
type StoredAuditEntry = sqldb.AuditEntry

// codeRE is what an action, subject kind or reason may be: a code, never a
// sentence (so no text anyone wrote can reach the log).
var codeRE = regexp.MustCompile(`^[a-z0-9_.:-]{0,64}$`)

// audit appends an entry to the audit log inside the caller's transaction,
// so the action and its record commit together or not at all. The log is
// append-only: nothing in Hearth updates or deletes it, and the database
// refuses to. When the group is given and the organization is not, the
// group's organization is filled in (org admins read their organization's
// entries).
func (a *App) audit(ctx context.Context, tx *sqldb.Tx, e AuditEntry) error {
	if e.Action == "" || !codeRE.MatchString(e.Action) || !codeRE.MatchString(e.SubjectKind) || !codeRE.MatchString(e.Reason) {
		// A programming error: refuse rather than store a sentence.
		return fmt.Errorf("audit: action, subject kind and reason must be codes (got %q, %q, %q)", e.Action, e.SubjectKind, e.Reason)
	}
	if e.OrgID == 0 && e.GroupID != 0 {
		org, err := tx.GroupOrg(ctx, e.GroupID)
		if err != nil {
			return fmt.Errorf("audit %s: %w", e.Action, err)
		}
		e.OrgID = org
	}
	row := &sqldb.AuditEntry{At: a.now().UTC().Truncate(1e9), ActorID: e.ActorID, Action: e.Action, OrgID: e.OrgID, GroupID: e.GroupID,
		SubjectKind: e.SubjectKind, SubjectID: e.SubjectID, Reason: e.Reason}
	return tx.AppendAudit(ctx, row)
}

// AuditPage is how many entries one page of the audit log shows.
const AuditPage = 100

// AuditLog lists an organization's audit log, newest first, a page at a
// time (before: the id the previous page ended with; 0 for the newest),
// for its administrators (and site admins). more is true when older
// entries remain.
func (a *App) AuditLog(ctx context.Context, actor hearth.Actor, orgSlug string, before int64) (o *hearth.Organization, entries []StoredAuditEntry, more bool, err error) {
	if !actor.SignedIn() {
		return nil, nil, false, hearth.Errorf(hearth.Unauthorized, "Please sign in first.")
	}
	o, err = a.db.OrganizationBySlug(ctx, orgSlug)
	if err != nil {
		return nil, nil, false, err
	}
	if !actor.AdministersOrg(o.ID) {
		return nil, nil, false, hearth.Coded(hearth.Forbidden, "forbidden", "Only this organization's administrators can read its audit log.")
	}
	list, err := a.db.AuditLog(ctx, o.ID, before, AuditPage+1)
	if err != nil {
		return nil, nil, false, err
	}
	if len(list) > AuditPage {
		return o, list[:AuditPage], true, nil
	}
	return o, list, false, nil
}

// SiteAuditLog lists every organization's audit log, for site admins.
func (a *App) SiteAuditLog(ctx context.Context, actor hearth.Actor, before int64) (entries []StoredAuditEntry, more bool, err error) {
	if !actor.SiteAdmin {
		return nil, false, hearth.Coded(hearth.Forbidden, "forbidden", "Only site administrators can read the whole audit log.")
	}
	list, err := a.db.AuditLog(ctx, 0, before, AuditPage+1)
	if err != nil {
		return nil, false, err
	}
	if len(list) > AuditPage {
		return list[:AuditPage], true, nil
	}
	return list, false, nil
}

// readAuditWindow is how often one staff member's reading of one sensitive
// record is recorded: once an hour is enough to answer "who read whose
// intake answers", without a line per page view.
const readAuditWindow = time.Hour

// auditRead records that a member of staff opened a sensitive record other
// people wrote (intake answers, a reported post or message): action like
// "intake.read", the subject, never the text. A person reading their own
// writing is not recorded.
func (a *App) auditRead(ctx context.Context, actor hearth.Actor, g *hearth.Group, action string, kind string, id int64, authorID int64) error {
	if actor.UserID == 0 || actor.UserID == authorID {
		return nil
	}
	now := a.now().UTC()
	return a.db.InTx(ctx, func(tx *sqldb.Tx) error {
		seen, err := tx.AuditedSince(ctx, actor.UserID, action, kind, id, now.Add(-readAuditWindow))
		if err != nil || seen {
			return err
		}
		return a.audit(ctx, tx, AuditEntry{ActorID: actor.UserID, Action: action, GroupID: g.ID, OrgID: g.OrgID, SubjectKind: kind, SubjectID: id})
	})
}
