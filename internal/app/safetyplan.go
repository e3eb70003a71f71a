package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/sqldb"
	"github.com/hearth-org/hearth/internal/vault"
)

// The safety plan (issue 4, section 3): a person's private plan in the
// structure clinicians use, hearth.SafetyPlan.
//
// Who reads it: its owner, and nobody else — no facilitator, no
// organization admin, no site admin. Every use case here takes the plan of
// the signed-in actor; none takes another person's id, so there is no
// address at which anyone could ask for someone else's plan.
//
// How it is kept: each save is a new version, the whole plan sealed as JSON
// with the vault under the person's own scope (vault.UserScope), bound by
// associated data to the person and the version number. The newest
// hearth.PlanVersionsKept versions are kept; older ones are deleted in the
// same transaction, for good. Deleting the plan deletes every version.
// Nothing about a plan is logged or audited (a log line or an audit row
// saying that someone keeps a safety plan would itself say something
// about them); failures are logged by the web layer with ids only.
//
// Safety: the plan is text a person writes, so the crisis detector reads it
// (safety.Assess, over every item) before it is stored. A plan is *meant*
// to name warning signs and what to do in a crisis, and it is addressed to
// nobody: a crisis reading of one's own plan never alerts a facilitator, an
// on-call list or anyone else, opens no escalation, writes no audit entry
// and changes nothing about the person's standing anywhere — that would
// punish the very work a safety plan is. It only brings help to the
// writer: the answer carries Support (helplines for their country and
// language, as app.SupportFor gives them, StaffTold false), which the page
// and the API show at once. Method details (MethodDetail) hold nothing back
// here: nobody but the writer ever reads the plan.
//
// The plan goes through the pipeline like every writing (a.screen, kind
// WritingSafetyPlan, over all of its words; a.sealWriting seals it whole as
// JSON under the author's scope). Only a tier-3 reading or danger from
// another person brings the help panel: a plan is meant to name warning
// signs such as thoughts of suicide, and the plan page lists helplines
// anyway, so a tier-2 reading would show the panel after every save.

// SafetyPlanView is a person's plan as they see it.
type SafetyPlanView struct {
	Plan     hearth.SafetyPlan
	Version  int       // the version shown; 0 when there is no plan yet
	SavedAt  time.Time // when it was saved
	Latest   int       // the newest version's number (0: none)
	Versions []sqldb.PlanVersion
	Kept     int // how many versions are kept (hearth.PlanVersionsKept)
}

// Current reports whether the view shows the newest version.
func (v *SafetyPlanView) Current() bool { return v.Version == v.Latest }

// SafetyPlanInput is a plan to save, with where its writer is (for the
// helplines the safety screen's answer lists).
type SafetyPlanInput struct {
	Plan    hearth.SafetyPlan
	Country string // ISO 3166-1 alpha-2, or ""
	Lang    string // "en" or "es"
}

// SafetyPlanSaved says what a save did.
type SafetyPlanSaved struct {
	Version int
	SavedAt time.Time
	Pruned  int64 // older versions deleted for good by this save
	// Support is the help to show the writer at once when the plan reads
	// as a crisis (tier 2 or more, or danger from another person); nil
	// otherwise. Nobody else is ever told (StaffTold is false).
	Support *Support
}

func planAD(userID int64, version int) string {
	return fmt.Sprintf("safety_plan:user=%d:version=%d", userID, version)
}

// SafetyPlan returns the actor's own plan: the newest version, or the given
// earlier one still kept. A person without a plan gets an empty view
// (Version 0), not an error; a version that is not (or no longer) kept is
// NotFound.
func (a *App) SafetyPlan(ctx context.Context, actor hearth.Actor, version int) (*SafetyPlanView, error) {
	if !actor.SignedIn() {
		return nil, hearth.Coded(hearth.Unauthorized, "sign_in", "Sign in to see your safety plan.")
	}
	if version < 0 {
		return nil, hearth.Errorf(hearth.NotFound, "That version of your safety plan was not found.")
	}
	versions, err := a.db.SafetyPlanVersions(ctx, actor.UserID)
	if err != nil {
		return nil, err
	}
	v := &SafetyPlanView{Versions: versions, Kept: hearth.PlanVersionsKept}
	if len(versions) == 0 {
		if version != 0 {
			return nil, hearth.Errorf(hearth.NotFound, "That version of your safety plan was not found.")
		}
		return v, nil
	}
	v.Latest = versions[0].Version
	sp, err := a.db.SafetyPlan(ctx, actor.UserID, version)
	if err != nil {
		if hearth.ErrorKind(err) == hearth.NotFound {
			return nil, hearth.Errorf(hearth.NotFound, "That version of your safety plan was not found.")
		}
		return nil, err
	}
	plan, err := a.openPlan(ctx, sp)
	if err != nil {
		return nil, err
	}
	v.Plan, v.Version, v.SavedAt = plan, sp.Version, sp.SavedAt
	return v, nil
}

func (a *App) openPlan(ctx context.Context, sp *sqldb.SealedPlan) (hearth.SafetyPlan, error) {
	var plan hearth.SafetyPlan
	b, err := a.vault.Open(ctx, vault.UserScope(sp.UserID), planAD(sp.UserID, sp.Version), sp.Sealed)
	if err != nil {
		if errors.Is(err, vault.ErrDestroyed) {
			return plan, hearth.Errorf(hearth.NotFound, "Your safety plan was erased and can no longer be read.")
		}
		return plan, fmt.Errorf("open safety plan of user %d version %d: %w", sp.UserID, sp.Version, err)
	}
	if err := json.Unmarshal(b, &plan); err != nil {
		return plan, fmt.Errorf("read safety plan of user %d version %d: %w", sp.UserID, sp.Version, err)
	}
	return plan, nil
}

// SaveSafetyPlan stores the plan as the actor's newest version, after the
// safety screen, and deletes versions beyond the number kept. Bad input is
// refused with field problems and changes nothing. Saving an empty plan is
// allowed (it is a version too: the person cleared their plan); to remove
// it altogether, DeleteSafetyPlan.
func (a *App) SaveSafetyPlan(ctx context.Context, actor hearth.Actor, in SafetyPlanInput) (*SafetyPlanSaved, error) {
	if !actor.SignedIn() {
		return nil, hearth.Coded(hearth.Unauthorized, "sign_in", "Sign in to keep a safety plan.")
	}
	plan := in.Plan
	plan.Normalize()
	if err := plan.Validate(); err != nil {
		return nil, err
	}
	body, err := json.Marshal(plan)
	if err != nil {
		return nil, fmt.Errorf("encode safety plan: %w", err)
	}
	scr, err := a.screen(ctx, Writing{AuthorID: actor.UserID, Kind: WritingSafetyPlan, Text: plan.Text(), Payload: body,
		Country: in.Country, Lang: in.Lang})
	if err != nil {
		return nil, err
	}
	saved := &SafetyPlanSaved{}
	if as := scr.Assessment; as.Tier >= 3 || slices.Contains(as.Categories, "danger_from_others") {
		lang := in.Lang
		if lang == "" {
			lang = as.Language
		}
		saved.Support = SupportFor(in.Country, lang)
		saved.Support.Tier = as.Tier
	}
	now := a.now().UTC().Truncate(time.Second)
	err = a.db.InTx(ctx, func(tx *sqldb.Tx) error {
		v, err := tx.NextSafetyPlanVersion(ctx, actor.UserID)
		if err != nil {
			return err
		}
		sealed, err := a.sealWriting(ctx, scr, planAD(actor.UserID, v))
		if err != nil {
			return err
		}
		pruned, err := tx.AddSafetyPlan(ctx, sqldb.SealedPlan{UserID: actor.UserID, Version: v, Sealed: sealed, SavedAt: now}, hearth.PlanVersionsKept)
		if err != nil {
			return err
		}
		saved.Version, saved.SavedAt, saved.Pruned = v, now, pruned
		return nil
	})
	if err != nil {
		return nil, err
	}
	return saved, nil
}

// DeleteSafetyPlan deletes every version of the actor's plan, for good, and
// reports how many there were.
func (a *App) DeleteSafetyPlan(ctx context.Context, actor hearth.Actor) (int64, error) {
	if !actor.SignedIn() {
		return 0, hearth.Coded(hearth.Unauthorized, "sign_in", "Sign in to delete your safety plan.")
	}
	var n int64
	err := a.db.InTx(ctx, func(tx *sqldb.Tx) (err error) {
		n, err = tx.DeleteSafetyPlans(ctx, actor.UserID)
		return err
	})
	return n, err
}
