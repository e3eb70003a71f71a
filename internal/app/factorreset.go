package app

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/i18n"
	"github.com/hearth-org/hearth/internal/sqldb"
	"github.com/hearth-org/hearth/internal/vault"
)

// An administrator's reset of someone's lost second factor (issue 7 §3).
// Staff must use a second factor; someone who lost both their phone and
// their recovery codes would otherwise be locked out for good.
//
// Who may reset whose:
//   - a site admin: anyone but themselves;
//   - an organization admin: a person with a membership (of any status) in a
//     group of an organization they administer, who is neither a site admin
//     nor an organization admin anywhere, and who facilitates no group
//     outside the organizations the resetter administers (so one
//     organization's admin never weakens another organization's staff);
//   - nobody resets their own second factor this way (they have their
//     recovery codes, or ask another administrator).
//
// The resetter's own sign-in must have passed their second factor. A
// person the organization admin has no relation to is NotFound (nothing
// says the account exists); one they know but may not reset is Forbidden.
//
// The reset, in one transaction: the second factor's secret and recovery
// codes removed, every passkey removed, every session ended and
// every API token revoked, an audit entry (who, whom, when; action
// second_factor.reset), the reason the resetter gave sealed under the
// person's scope (factor_resets), and the person told: an in-app notice and,
// when they gave an address, an email without any secret that says a reset
// was made and to contact their organization if they did not ask for it.
// The reason is never logged.

// FactorResetReasonMax is the longest reason a resetter may give, in
// characters.
const FactorResetReasonMax = 300

// NoticeSecondFactorReset tells a person an administrator reset their
// second factor (in-app notice and email).
const NoticeSecondFactorReset = "second_factor_reset"

// FactorResetInfo is what the reset page shows about the person.
type FactorResetInfo struct {
	UserID    int64
	Handle    string
	HasFactor bool
	Staff     bool // a facilitator somewhere: must set up a new factor at next sign-in
	History   []FactorResetRecord
}

// FactorResetRecord is one earlier reset, as the resetters see it.
type FactorResetRecord struct {
	At     time.Time
	By     string // the resetter's handle; "" when their account is gone
	Reason string // "" when it can no longer be read (the person erased)
}

// FactorResetDone is what a reset did.
type FactorResetDone struct {
	Handle   string
	Sessions int64 // sessions ended
	Tokens   int64 // API tokens revoked
	Passkeys int64 // passkeys removed
}

// mayResetFactor decides whether the actor may reset the person's second
// factor and returns the person and the organization the reset is
// recorded under (0: a site admin's, in the site's audit log only).
func (a *App) mayResetFactor(ctx context.Context, actor hearth.Actor, handle string) (*sqldb.FactorResetSubject, int64, error) {
	if err := a.MayResetFactors(actor); err != nil {
		return nil, 0, err
	}
	u, _, err := a.db.UserByHandle(ctx, strings.TrimSpace(handle))
	if hearth.ErrorKind(err) == hearth.NotFound {
		return nil, 0, errResetNotFound
	}
	if err != nil {
		return nil, 0, err
	}
	userID := u.ID
	if actor.UserID == userID {
		return nil, 0, hearth.Coded(hearth.Forbidden, "factor_reset_self",
			"You cannot reset your own second factor: use one of your recovery codes, or ask another administrator.")
	}
	s, err := a.db.FactorResetSubject(ctx, userID)
	if err != nil {
		return nil, 0, err
	}
	if actor.SiteAdmin {
		return s, 0, nil
	}
	var via int64
	for _, o := range s.InOrgs {
		if slices.Contains(actor.OrgAdminOf, o) {
			via = o
			break
		}
	}
	if via == 0 {
		return nil, 0, errResetNotFound
	}
	if s.SiteAdmin || s.OrgAdmin {
		return nil, 0, hearth.Coded(hearth.Forbidden, "factor_reset_admin",
			"Only a site administrator can reset the second factor of an administrator.")
	}
	for _, o := range s.LeadOrgs {
		if !slices.Contains(actor.OrgAdminOf, o) {
			return nil, 0, hearth.Coded(hearth.Forbidden, "factor_reset_other_org",
				"This person also leads a group of another organization: ask a site administrator to reset their second factor.")
		}
	}
	return s, via, nil
}

var errResetNotFound = hearth.Coded(hearth.NotFound, "factor_reset_not_found", "No person with that handle is in a group of an organization you administer.")

// MayResetFactors reports (nil) whether the actor may reset anyone's
// second factor at all: a site or organization admin whose sign-in passed
// their own second factor.
func (a *App) MayResetFactors(actor hearth.Actor) error {
	if !actor.SignedIn() {
		return hearth.Errorf(hearth.Unauthorized, "Please sign in first.")
	}
	if actor.StaffWithheld || ((actor.SiteAdmin || len(actor.OrgAdminOf) > 0) && !actor.SecondFactor) {
		// An administrator whose sign-in did not pass their own second
		// factor may not take someone else's away.
		return hearth.ErrSecondFactorRequired
	}
	if !actor.SiteAdmin && len(actor.OrgAdminOf) == 0 {
		return hearth.Coded(hearth.Forbidden, "forbidden", "Only site and organization administrators can reset someone's second factor.")
	}
	return nil
}

// FactorReset returns what the reset page shows about a person the actor
// may reset.
func (a *App) FactorReset(ctx context.Context, actor hearth.Actor, handle string) (*FactorResetInfo, error) {
	s, _, err := a.mayResetFactor(ctx, actor, handle)
	if err != nil {
		return nil, err
	}
	info := &FactorResetInfo{UserID: s.UserID, Handle: s.Handle, HasFactor: s.HasFactor, Staff: s.SiteAdmin || s.OrgAdmin || len(s.LeadOrgs) > 0}
	userID := s.UserID
	list, err := a.db.FactorResets(ctx, userID)
	if err != nil {
		return nil, err
	}
	for _, r := range list {
		rec := FactorResetRecord{At: r.At, By: r.ActorHandle}
		if reason, err := a.vault.OpenString(ctx, vault.UserScope(userID), factorResetAD(userID), r.Reason); err == nil {
			rec.Reason = reason
		}
		info.History = append(info.History, rec)
	}
	return info, nil
}

func factorResetAD(userID int64) string { return "factor_reset:user=" + strconv.FormatInt(userID, 10) }

// checkResetReason returns the reason trimmed, or an Invalid error.
func checkResetReason(reason string) (string, error) {
	reason = strings.TrimSpace(reason)
	n := utf8.RuneCountInString(reason)
	bad := !utf8.ValidString(reason) || strings.ContainsFunc(reason, func(r rune) bool { return unicode.IsControl(r) })
	if n == 0 || n > FactorResetReasonMax || bad {
		return "", &hearth.Error{Kind: hearth.Invalid, Code: "invalid", Message: "Please correct the highlighted fields.",
			Fields: []hearth.FieldError{{Field: "reason", Code: "length",
				Message: fmt.Sprintf("Say in 1 to %d characters, on one line, why the second factor is reset (for example: lost phone and codes, identity checked by phone).", FactorResetReasonMax),
				Params:  map[string]any{"Min": 1, "Max": FactorResetReasonMax}}}}
	}
	return reason, nil
}

// ResetSecondFactor resets a person's second factor for the actor (see the
// rules above), with the reason the actor gives.
func (a *App) ResetSecondFactor(ctx context.Context, actor hearth.Actor, handle, reason string) (*FactorResetDone, error) {
	s, via, err := a.mayResetFactor(ctx, actor, handle)
	if err != nil {
		return nil, err
	}
	userID := s.UserID
	reason, err = checkResetReason(reason)
	if err != nil {
		return nil, err
	}
	// Sealed before the transaction: sealing may store a new data key.
	sealed, err := a.vault.SealString(ctx, vault.UserScope(userID), factorResetAD(userID), reason)
	if err != nil {
		return nil, fmt.Errorf("seal reset reason: %w", err)
	}
	now := a.now().UTC().Truncate(time.Second)
	done := &FactorResetDone{Handle: s.Handle}
	err = a.db.InTx(ctx, func(tx *sqldb.Tx) error {
		if err := tx.LockUsers(ctx, userID); err != nil {
			return err
		}
		ns, nt, err := tx.ResetSecondFactor(ctx, userID, now)
		if err != nil {
			return err
		}
		done.Sessions, done.Tokens = ns, nt
		if done.Passkeys, err = a.RemoveAllPasskeys(ctx, tx, userID); err != nil {
			return err
		}
		entry := &sqldb.AuditEntry{At: now, ActorID: actor.UserID, Action: "second_factor.reset", OrgID: via,
			SubjectKind: "user", SubjectID: userID, Reason: "staff_reset"}
		if err := tx.AppendAudit(ctx, entry); err != nil {
			return err
		}
		if err := tx.AddFactorReset(ctx, &sqldb.FactorReset{AuditID: entry.ID, At: now, ActorID: actor.UserID, UserID: userID, Reason: sealed}); err != nil {
			return err
		}
		return a.tellFactorReset(ctx, tx, userID, entry.ID, now)
	})
	if err != nil {
		return nil, err
	}
	a.log.Info("second factor reset", "actor_id", actor.UserID, "user_id", userID, "org_id", via, "sessions", done.Sessions, "tokens", done.Tokens, "passkeys", done.Passkeys)
	return done, nil
}

// tellFactorReset stores the in-app notice of a reset and, when the person
// gave an address, queues its email: it says a reset was made and what to
// do if they did not ask for it; never a code, never the reason.
func (a *App) tellFactorReset(ctx context.Context, tx *sqldb.Tx, userID, auditID int64, now time.Time) error {
	key := "second_factor_reset:" + strconv.FormatInt(auditID, 10)
	n := &sqldb.Notice{UserID: userID, Kind: NoticeSecondFactorReset, Link: "/account/security", Key: key, CreatedAt: now}
	if _, err := tx.AddNotice(ctx, n); err != nil {
		return err
	}
	c, err := tx.UserContact(ctx, userID)
	if err != nil || c.Email == "" {
		return err
	}
	subject, body, err := a.factorResetMail(c.Locale)
	if err != nil {
		return err
	}
	err = tx.EnqueueMail(ctx, sqldb.OutboxMail{UserID: userID, To: c.Email, Kind: NoticeSecondFactorReset, Locale: c.Locale,
		Subject: subject, Body: body, Key: "notice:" + strconv.FormatInt(userID, 10) + ":" + key, NotAfter: now.Add(notDeliveredAfter)})
	if err != nil {
		return err
	}
	if w := a.mail.worker; w != nil {
		tx.AfterCommit(w.Wake)
	}
	return nil
}

// factorResetMail writes the reset's email from the catalog, in the shape
// of the other notices' emails (internal/mail does not know this kind yet).
func (a *App) factorResetMail(locale string) (string, string, error) {
	cat, err := i18n.Load()
	if err != nil {
		return "", "", fmt.Errorf("load catalog for mail: %w", err)
	}
	loc := cat.Locale(locale)
	base := strings.TrimRight(a.mail.base, "/")
	var b strings.Builder
	b.WriteString(loc.T("mail.greeting") + "\n\n")
	b.WriteString(loc.T("mail.second_factor_reset.body") + "\n\n")
	if base != "" {
		b.WriteString(loc.T("mail.read_on_hearth") + "\n" + base + "/notices")
	} else {
		b.WriteString(loc.T("mail.read_on_hearth_nolink"))
	}
	b.WriteString("\n\n-- \n" + loc.T("mail.footer.discreet") + "\n")
	if base != "" {
		b.WriteString(loc.T("mail.footer.why", "account", base+"/account"))
	} else {
		b.WriteString(loc.T("mail.footer.why_nolink"))
	}
	b.WriteString("\n")
	return loc.T("mail.second_factor_reset.subject"), b.String(), nil
}
