package app

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/safety"
	"github.com/hearth-org/hearth/internal/sqldb"
	"github.com/hearth-org/hearth/internal/vault"
)

// The safety pipeline. Every text a person writes passes through screen
// before it is stored: screen reads it with the crisis detector and returns
// a Screened value, and sealWriting — the only way app stores member-written
// text — accepts nothing else, so a new feature cannot store writing that
// skipped the detector. The text is always stored and delivered: reaching
// out is never blocked. After storing it, the caller hands the Screened
// values to followUp in the same transaction: a crisis opens an escalation
// (never with the text), alerts the group's facilitators and, for tier 3,
// starts the on-call chain; the writer is shown help at once (Support).
// Nothing here bans, mutes, locks or removes anyone.
//
// Facilitator-written text (decision messages, removal and override
// reasons, escalation notes) is not a member reaching out; it stays on the
// plain vault path (a.vault.SealString) and is not screened.

// Kinds of writing the pipeline screens.
const (
	WritingIntakeAnswer = "intake_answer"
	WritingPost         = "post"
	WritingMessage      = "message"
	WritingCheckIn      = "check_in"
	WritingReport       = "report" // the note of a report (moderation)
	WritingAppeal       = "appeal" // the note of an appeal (moderation)
	// WritingSafetyPlan is a person's own safety plan: screened like any
	// writing, but a crisis reading only brings help to the writer (see
	// safetyplan.go); it is addressed to nobody.
	WritingSafetyPlan = "safety_plan"
	// WritingRoomMessage is a message in a live meeting room (rooms.go);
	// an escalation names the room it was written in.
	WritingRoomMessage = "room_message"
)

var writingKinds = []string{WritingIntakeAnswer, WritingPost, WritingMessage, WritingCheckIn, WritingReport, WritingAppeal, WritingSafetyPlan, WritingRoomMessage}

// Writing is one text a person wrote, before it is stored.
type Writing struct {
	AuthorID int64
	GroupID  int64 // 0 for writing that belongs to no group (sealed under the author's scope)
	Kind     string
	Text     string
	// Payload, when set, is what is sealed instead of Text: structured
	// writing (a safety plan as JSON) whose Text is all of its words, which
	// is what the detector reads.
	Payload []byte
	// Country (ISO 3166-1 alpha-2) and Lang ("en", "es") of the writer,
	// for the helplines they are shown if they need support; either may be
	// empty.
	Country string
	Lang    string
}

// Screened is a writing the detector has read. Only screen makes one; it is
// what sealWriting and followUp accept.
type Screened struct {
	w          Writing
	Assessment safety.Assessment
	ok         bool
}

// Crisis reports whether the writing reads as a crisis (tier 2 or more, or
// danger from another person).
func (s Screened) Crisis() bool { return s.ok && s.Assessment.Crisis }

// Held reports whether the writing gives method details (how, with what,
// doses): it is stored and delivered to staff, but held for a person to
// review before anyone else in the group could read it. For intake answers
// this hides nothing — only the group's facilitators and its organization's
// admins read answers, and they are the reviewers — so the flag only marks
// the alert "method details: review" in the queue. Features that show
// writing to other members (posts, messages) must keep held writing from
// them until a facilitator marks it reviewed; it is never deleted unseen.
func (s Screened) Held() bool { return s.ok && s.Assessment.MethodDetail }

// Kind is the kind of writing.
func (s Screened) Kind() string { return s.w.Kind }

// screen reads a writing with the crisis detector. It refuses writing built
// wrongly (a programming error), never a person's words, and makes sure the
// vault has the key the writing will be sealed under (outside any
// transaction, as the vault needs).
func (a *App) screen(ctx context.Context, w Writing) (Screened, error) {
	switch {
	case w.AuthorID <= 0:
		return Screened{}, errors.New("screen: a writing needs its author")
	case !slices.Contains(writingKinds, w.Kind):
		return Screened{}, fmt.Errorf("screen: unknown kind of writing %q", w.Kind)
	}
	if err := a.vault.EnsureKey(ctx, writingScope(w)); err != nil {
		return Screened{}, err
	}
	as := safety.Assess(w.Text)
	// Crisis = tier ≥ 2 or danger from others, whatever the detector set.
	as.Crisis = as.Tier >= 2 || slices.Contains(as.Categories, "danger_from_others")
	return Screened{w: w, Assessment: as, ok: true}, nil
}

func writingScope(w Writing) vault.Scope {
	if w.GroupID != 0 {
		return vault.GroupScope(w.GroupID)
	}
	return vault.UserScope(w.AuthorID)
}

// sealWriting seals a screened writing's text under its group's scope (its
// author's when it has no group), bound by ad to the row it is stored in.
// It is the only way member-written text is sealed in app.
func (a *App) sealWriting(ctx context.Context, s Screened, ad string) ([]byte, error) {
	if !s.ok {
		return nil, errors.New("seal writing: the text did not pass through the safety pipeline")
	}
	if s.w.Payload != nil {
		return a.vault.Seal(ctx, writingScope(s.w), ad, s.w.Payload)
	}
	return a.vault.SealString(ctx, writingScope(s.w), ad, s.w.Text)
}

// SafetyPlanPath is where a member writes and reads their safety plan.
const SafetyPlanPath = "/account/safety-plan"

// Support is what the writer is shown at once when what they wrote reads
// as a crisis: helplines for their country and language and their safety
// plan. Nil when there is nothing to show.
type Support struct {
	Crisis    bool
	Tier      int
	Country   string // the country the helplines were chosen for ("" when unknown)
	Lang      string
	Helplines []safety.Country // the writer's country first, the fallback last
	// SafetyPlan is the path of the writer's safety plan.
	SafetyPlan string
	// StaffTold is true when the group's facilitators (or its
	// organization's admins) were told that someone may need support.
	StaffTold bool
}

// SupportFor returns the help shown to a person in a country and language
// (the crisis panel), without any writing: for pages that offer it again.
func SupportFor(country, lang string) *Support {
	return &Support{Crisis: true, Country: strings.ToUpper(country), Lang: lang, Helplines: safety.ForViewer(country, lang), SafetyPlan: SafetyPlanPath}
}

// followUp acts on screened writing once it is stored, inside the same
// transaction: when any of it reads as a crisis, it opens one escalation
// for the writing (writingID: the row it is stored in — the membership for
// intake answers), alerts the group's facilitators (its organization's
// admins when nobody leads it) with a notice that says only that a member
// may need support, records each step in the audit log and, for tier 3,
// alerts the first person on the organization's on-call list at once and
// schedules the rest of the chain. It returns what the writer is shown (nil
// when nothing reads as a crisis). The author's membership is never
// touched.
func (a *App) followUp(ctx context.Context, tx *sqldb.Tx, g *hearth.Group, writingID int64, ss ...Screened) (*Support, error) {
	var worst *Screened
	cats := []string{}
	held := false
	for i := range ss {
		s := &ss[i]
		if !s.ok {
			return nil, errors.New("follow up: the text did not pass through the safety pipeline")
		}
		if !s.Crisis() {
			continue
		}
		if worst == nil || s.Assessment.Tier > worst.Assessment.Tier {
			worst = s
		}
		for _, c := range s.Assessment.Categories {
			if !slices.Contains(cats, c) {
				cats = append(cats, c)
			}
		}
		held = held || s.Held()
	}
	if worst == nil {
		return nil, nil
	}
	slices.Sort(cats)
	now := a.now().UTC().Truncate(time.Second)
	e := &sqldb.Escalation{OrgID: g.OrgID, GroupID: g.ID, AuthorID: worst.w.AuthorID, Tier: worst.Assessment.Tier, Categories: cats,
		Language: worst.Assessment.Language, Held: held, WritingKind: worst.w.Kind, WritingID: writingID, CreatedAt: now}
	if e.Tier >= 3 {
		minutes, err := tx.AckMinutes(ctx, g.OrgID)
		if err != nil {
			return nil, err
		}
		e.NextAt = now.Add(time.Duration(minutes) * time.Minute)
	}
	if err := tx.InsertEscalation(ctx, e); err != nil {
		return nil, err
	}
	if err := tx.AddEscalationStep(ctx, &sqldb.EscalationStep{EscalationID: e.ID, Kind: sqldb.StepRaised, At: now}); err != nil {
		return nil, err
	}
	if err := a.audit(ctx, tx, AuditEntry{Action: "escalation.raised", OrgID: g.OrgID, GroupID: g.ID, SubjectKind: "escalation", SubjectID: e.ID,
		Reason: fmt.Sprintf("crisis_tier_%d", e.Tier)}); err != nil {
		return nil, err
	}
	if held {
		if err := a.audit(ctx, tx, AuditEntry{Action: "writing.held", OrgID: g.OrgID, GroupID: g.ID, SubjectKind: worst.w.Kind, SubjectID: writingID,
			Reason: "method_detail"}); err != nil {
			return nil, err
		}
	}
	staff, err := tx.GroupLeaders(ctx, g.ID)
	if err != nil {
		return nil, err
	}
	if len(staff) == 0 || (len(staff) == 1 && staff[0] == e.AuthorID) {
		admins, err := a.db.OrgAdmins(ctx, g.OrgID)
		if err != nil {
			return nil, err
		}
		for _, u := range admins {
			staff = append(staff, u.ID)
		}
	}
	told := 0
	for _, id := range staff {
		if id == e.AuthorID {
			continue // the writer is not alerted about themselves
		}
		if err := a.alert(ctx, tx, e, id, sqldb.StepAlerted, NoticeSafetyAlert, "alert", now); err != nil {
			return nil, err
		}
		told++
	}
	// Tier 3 also alerts the organization's safety on-call list at once:
	// its first person who was not told above. If nobody acknowledges
	// within the organization's minutes, the chore (RunEscalations) tells
	// the next one, and so on.
	if e.Tier >= 3 {
		chain, err := a.chain(ctx, tx, g.OrgID)
		if err != nil {
			return nil, err
		}
		for i, id := range chain {
			if id == e.AuthorID || slices.Contains(staff, id) {
				continue
			}
			if err := a.alert(ctx, tx, e, id, sqldb.StepAlerted, NoticeSafetyAlert, "on_call", now); err != nil {
				return nil, err
			}
			e.NextStep = i + 1
			told++
			if err := tx.SaveEscalation(ctx, e); err != nil {
				return nil, err
			}
			break
		}
	}
	tx.AfterCommit(func() {
		a.log.Info("safety alert raised", "escalation_id", e.ID, "group_id", g.ID, "tier", e.Tier, "alerted", told)
	})
	sup := SupportFor(worst.w.Country, worst.w.Lang)
	if sup.Lang == "" {
		sup.Lang = worst.Assessment.Language
		sup.Helplines = safety.ForViewer(worst.w.Country, sup.Lang)
	}
	sup.Tier, sup.StaffTold = e.Tier, told > 0
	return sup, nil
}

// alert tells one person about an escalation (a notice that says only that
// a member may need support, with an email when they gave one) and records
// the step and its audit entry.
func (a *App) alert(ctx context.Context, tx *sqldb.Tx, e *sqldb.Escalation, userID int64, step, kind, key string, at time.Time) error {
	if err := a.notify(ctx, tx, Notice{UserID: userID, Kind: kind, GroupID: e.GroupID, Key: fmt.Sprintf("escalation:%d:%s:%d", e.ID, key, userID),
		Link: EscalationPath(e.ID)}); err != nil {
		return err
	}
	if err := tx.AddEscalationStep(ctx, &sqldb.EscalationStep{EscalationID: e.ID, Kind: step, UserID: userID, At: at}); err != nil {
		return err
	}
	return a.audit(ctx, tx, AuditEntry{Action: "escalation." + step, OrgID: e.OrgID, GroupID: e.GroupID, SubjectKind: "escalation", SubjectID: e.ID,
		Reason: map[string]string{sqldb.StepAlerted: "crisis_language", sqldb.StepEscalated: "not_acknowledged"}[step]})
}

// EscalationPath is the page of one safety alert.
func EscalationPath(id int64) string { return fmt.Sprintf("/safety/escalations/%d", id) }
