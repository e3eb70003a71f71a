package app

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/safety"
	"github.com/hearth-org/hearth/internal/sqldb"
	"github.com/hearth-org/hearth/internal/vault"
)

// Moderation use cases: reports, review queues, actions with reasons,
// appeals, misinformation labels, mutes, bans, blocks and the posting
// rules for new members.
//
// People, never rules, act: nothing here runs on its own, and a report of
// a crisis concern reaches the group's facilitators at once and leads to
// nothing automatic. Every action falls on a subject (kind, id), is
// recorded (moderation_actions, never updated) with a reason code the
// person acted on reads, an optional note sealed by the vault, and an entry
// in the audit log that never holds the content. The person is told
// (moderation_action notice, no content) and may appeal once; a moderator
// other than the one who acted decides (organization administrators may
// decide their own).
//
// What "posting" means today: the text a member writes into a group is
// intake answers (an alumna applying to a later cohort); boards and rooms
// will call mayPost before storing a post or a message. A muted member is
// refused both, with the reason and the end of the mute; reporting is never
// refused by a mute (a muted person may still ask for help).

// Report limits: a person may send reportsPerHour reports an hour and
// reportsPerDay a day; crisis concerns crisisPerDay a day; and the same
// person may be the subject of crisisPerTargetPerDay crisis reports a day
// (after that their facilitators already know, and more reports would only
// be a way to harass them).
const (
	reportsPerHour        = 10
	reportsPerDay         = 30
	crisisPerDay          = 3
	crisisPerTargetPerDay = 3
	queueLimit            = 200
)

// subjectRef is what moderation needs to know about a subject: its group
// and who wrote it (or is it).
type subjectRef struct {
	GroupID  int64
	AuthorID int64
	// Membership is the subject's author's membership of the group (nil
	// when they have none).
	Membership *hearth.Membership
	// SubjectID is the subject's id (resolveSubject sets it).
	SubjectID int64
}

// subjectKind is how moderation handles one kind of subject. Boards and
// rooms add theirs (post, message) to subjectKinds.
type subjectKind struct {
	// resolve finds the subject's group and author; NotFound when none.
	resolve func(ctx context.Context, a *App, id int64) (*subjectRef, error)
	// maySee reports whether a person who does not moderate the group may
	// see the subject (and so report it).
	maySee func(ctx context.Context, a *App, actor hearth.Actor, g *hearth.Group, ref *subjectRef) (bool, error)
}

// subjectKinds is the registry of reportable kinds. Hiding and labelling
// are kept for every kind in one place (hidden_subjects, subject_labels);
// a kind's readers ask a.subjectMarks before showing its items.
var subjectKinds = map[hearth.SubjectKind]subjectKind{
	hearth.SubjectMember: {
		resolve: func(ctx context.Context, a *App, id int64) (*subjectRef, error) {
			m, err := a.db.MembershipAnyGroup(ctx, id)
			if err != nil {
				return nil, err
			}
			return &subjectRef{GroupID: m.GroupID, AuthorID: m.UserID, Membership: m}, nil
		},
		// Members see each other (by pseudonym) while both are active.
		maySee: func(ctx context.Context, a *App, actor hearth.Actor, g *hearth.Group, ref *subjectRef) (bool, error) {
			if ref.Membership.Status != hearth.StatusActive {
				return false, nil
			}
			st, err := a.MemberStanding(ctx, g, actor.UserID)
			return st.Active, err
		},
	},
	hearth.SubjectIntakeAnswer: {
		resolve: func(ctx context.Context, a *App, id int64) (*subjectRef, error) {
			m, err := a.db.MembershipAnyGroup(ctx, id)
			if err != nil {
				return nil, hearth.Errorf(hearth.NotFound, "The answers were not found.")
			}
			answers, err := a.db.IntakeAnswers(ctx, []int64{id})
			if err != nil {
				return nil, err
			}
			if len(answers[id]) == 0 {
				return nil, hearth.Errorf(hearth.NotFound, "The answers were not found.")
			}
			return &subjectRef{GroupID: m.GroupID, AuthorID: m.UserID, Membership: m}, nil
		},
		// Only the group's moderators read intake answers.
		maySee: func(context.Context, *App, hearth.Actor, *hearth.Group, *subjectRef) (bool, error) { return false, nil },
	},
	// A message in a live room (rooms.go): the id packs the room and the
	// message's sequence (RoomMessageSubject).
	hearth.SubjectMessage: roomMessageKind,
	// A post on a group's board (boards.go): the id is the post's.
	hearth.SubjectPost: boardPostKind,
}

func (a *App) resolveSubject(ctx context.Context, s hearth.Subject) (*subjectRef, *hearth.Group, error) {
	k, ok := subjectKinds[s.Kind]
	if !ok {
		return nil, nil, hearth.Errorf(hearth.NotFound, "There is nothing to report there.")
	}
	ref, err := k.resolve(ctx, a, s.ID)
	if err != nil {
		return nil, nil, err
	}
	ref.SubjectID = s.ID
	g, err := a.db.Group(ctx, ref.GroupID)
	if err != nil {
		return nil, nil, err
	}
	return ref, g, nil
}

// modAudit writes one moderation step to the audit log: codes and ids,
// never content.
func (a *App) modAudit(ctx context.Context, tx *sqldb.Tx, actorID int64, action string, g *hearth.Group, s hearth.Subject, reason string) error {
	return a.audit(ctx, tx, AuditEntry{ActorID: actorID, Action: action, GroupID: g.ID, OrgID: g.OrgID, SubjectKind: string(s.Kind), SubjectID: s.ID, Reason: reason})
}

// moderators lists who reviews a group's reports: its active facilitators
// (except except, the report's subject), or its organization's
// administrators when none remains.
func (a *App) moderators(ctx context.Context, tx *sqldb.Tx, g *hearth.Group, except int64) ([]int64, error) {
	leaders, err := tx.GroupLeaders(ctx, g.ID)
	if err != nil {
		return nil, err
	}
	leaders = slices.DeleteFunc(leaders, func(id int64) bool { return id == except })
	if len(leaders) > 0 {
		return leaders, nil
	}
	admins, err := a.db.OrgAdmins(ctx, g.OrgID)
	if err != nil {
		return nil, err
	}
	for _, u := range admins {
		if u.ID != except {
			leaders = append(leaders, u.ID)
		}
	}
	return leaders, nil
}

func reportNoteAD(id int64) string     { return fmt.Sprintf("report_note:report=%d", id) }
func actionNoteAD(id int64) string     { return fmt.Sprintf("moderation_action_note:action=%d", id) }
func appealNoteAD(id int64) string     { return fmt.Sprintf("appeal_note:appeal=%d", id) }
func appealDecisionAD(id int64) string { return fmt.Sprintf("appeal_decision:appeal=%d", id) }

// sealNote seals a moderator's note (staff text, not screened, as the
// safety pipeline documents) under the group's scope.
func (a *App) sealNote(ctx context.Context, g *hearth.Group, ad, text string) ([]byte, error) {
	if text == "" {
		return nil, nil
	}
	return a.vault.SealString(ctx, vault.GroupScope(g.ID), ad, text)
}

func (a *App) openText(ctx context.Context, groupID int64, ad string, sealed []byte) (string, error) {
	if len(sealed) == 0 {
		return "", nil
	}
	return a.vault.OpenString(ctx, vault.GroupScope(groupID), ad, sealed)
}

// ---------------------------------------------------------------------------
// Reports

// ReportRequest is a report with where its writer is (for the helplines
// shown if their note reads as a crisis; either may be empty).
type ReportRequest struct {
	hearth.ReportInput
	Country, Lang string
	// Group, when set, is the slug of the group the subject must be in
	// (the page and API address name it).
	Group string
}

// Filed is a report just filed, with the help its writer is shown at once
// when their own note reads as a crisis (nil otherwise).
type Filed struct {
	Report  *hearth.Report
	Support *Support
}

// Report files a report of a subject the actor can see. A crisis concern
// reaches the group's facilitators at once (report_received); every report
// is limited per reporter, and crisis concerns also per person reported, so
// that reporting cannot be used to harass. The note passes through the
// safety pipeline like any writing.
func (a *App) Report(ctx context.Context, actor hearth.Actor, req ReportRequest) (*Filed, error) {
	if !actor.SignedIn() {
		return nil, hearth.Errorf(hearth.Unauthorized, "Please sign in to report something.")
	}
	in := req.ReportInput
	if err := in.Validate(); err != nil {
		return nil, err
	}
	ref, g, err := a.resolveSubject(ctx, in.Subject)
	if err != nil {
		return nil, err
	}
	if req.Group != "" && req.Group != g.Slug {
		return nil, hearth.Errorf(hearth.NotFound, "There is nothing to report there.")
	}
	if !actor.CanModerate(g) {
		ok, err := subjectKinds[in.Subject.Kind].maySee(ctx, a, actor, g, ref)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, hearth.Errorf(hearth.NotFound, "There is nothing to report there.")
		}
	}
	if ref.AuthorID == actor.UserID {
		return nil, hearth.Coded(hearth.Conflict, "self_report", "You cannot report yourself. If you need help now, open Get help now at the top of the page.")
	}
	screened, err := a.screen(ctx, Writing{AuthorID: actor.UserID, GroupID: g.ID, Kind: WritingReport, Text: in.Note, Country: req.Country, Lang: req.Lang})
	if err != nil {
		return nil, err
	}
	out := &Filed{}
	now := a.now().UTC().Truncate(time.Second)
	r := &hearth.Report{GroupID: g.ID, OrgID: g.OrgID, Subject: in.Subject, ReporterID: actor.UserID, SubjectUserID: ref.AuthorID,
		Reason: in.Reason, Status: hearth.ReportOpen, CreatedAt: now}
	err = a.db.InTx(ctx, func(tx *sqldb.Tx) error {
		// Reports by this person and about that person are counted and
		// added one transaction at a time, so two sent at once cannot both
		// slip under a limit.
		if err := tx.LockUsers(ctx, r.ReporterID, r.SubjectUserID); err != nil {
			return err
		}
		if err := a.reportAllowed(ctx, tx, r, now); err != nil {
			return err
		}
		if err := tx.InsertReport(ctx, r); err != nil {
			return err
		}
		if in.Note != "" {
			sealed, err := a.sealWriting(ctx, screened, reportNoteAD(r.ID))
			if err != nil {
				return err
			}
			if err := tx.SetReportNote(ctx, r.ID, sealed); err != nil {
				return err
			}
			switch {
			case r.Reason == hearth.ReasonCrisisConcern && screened.Crisis():
				// The note tells of someone else's crisis, and the report
				// itself brings the facilitators at once (below): an alert
				// naming the reporter as the one who may need support would
				// be wrong. The reporter is shown the helplines all the same.
				out.Support = SupportFor(req.Country, req.Lang)
				if out.Support.Lang == "" {
					out.Support.Lang = screened.Assessment.Language
					out.Support.Helplines = safety.ForViewer(req.Country, out.Support.Lang)
				}
				out.Support.Tier = screened.Assessment.Tier
				out.Support.StaffTold = true // by the report itself
			default:
				if out.Support, err = a.followUp(ctx, tx, g, r.ID, screened); err != nil {
					return err
				}
			}
		}
		to, err := a.moderators(ctx, tx, g, ref.AuthorID)
		if err != nil {
			return err
		}
		// A crisis concern is told at once, each one; other reports once a
		// day per subject, so a pile-on is one notice.
		key := fmt.Sprintf("report:%d", r.ID)
		if r.Reason != hearth.ReasonCrisisConcern {
			key = fmt.Sprintf("report:%s:%s", in.Subject, now.Format("2006-01-02"))
		}
		for _, id := range to {
			if err := a.notify(ctx, tx, Notice{UserID: id, Kind: NoticeReportReceived, GroupID: g.ID, Key: key,
				Link: fmt.Sprintf("/reports/%d", r.ID)}); err != nil {
				return err
			}
		}
		return a.modAudit(ctx, tx, actor.UserID, "report.filed", g, in.Subject, string(r.Reason))
	})
	if err != nil {
		return nil, err
	}
	a.log.Info("report filed", "report_id", r.ID, "group_id", g.ID, "reason", string(r.Reason))
	out.Report = r
	return out, nil
}

// reportAllowed applies the report limits inside the transaction.
func (a *App) reportAllowed(ctx context.Context, tx *sqldb.Tx, r *hearth.Report, now time.Time) error {
	slow := func(limit int, window time.Duration, reason hearth.ReportReason) (bool, error) {
		n, err := tx.CountReportsBy(ctx, r.ReporterID, reason, now.Add(-window))
		return n >= limit, err
	}
	for _, l := range []struct {
		limit  int
		window time.Duration
		reason hearth.ReportReason
	}{{reportsPerHour, time.Hour, ""}, {reportsPerDay, 24 * time.Hour, ""}} {
		over, err := slow(l.limit, l.window, l.reason)
		if err != nil {
			return err
		}
		if over {
			return hearth.Coded(hearth.TooMany, "report_rate", "You have sent many reports in a short time. The moderators have them; please wait a while before sending more. If someone is in danger now, call your local emergency number.")
		}
	}
	if r.Reason != hearth.ReasonCrisisConcern {
		return nil
	}
	over, err := slow(crisisPerDay, 24*time.Hour, hearth.ReasonCrisisConcern)
	if err != nil {
		return err
	}
	if over {
		return hearth.Coded(hearth.TooMany, "crisis_report_rate", "You have already raised several concerns today; the facilitators have them. If someone is in danger now, call your local emergency number.")
	}
	if r.SubjectUserID != 0 {
		n, err := tx.CountReportsAbout(ctx, r.SubjectUserID, hearth.ReasonCrisisConcern, now.Add(-24*time.Hour))
		if err != nil {
			return err
		}
		if n >= crisisPerTargetPerDay {
			return hearth.Coded(hearth.TooMany, "crisis_already_known", "The group's facilitators already know about this concern and are looking into it. If someone is in danger now, call your local emergency number.")
		}
	}
	return nil
}

// ReportView is a report as a review queue or its page shows it.
type ReportView struct {
	sqldb.ReportRow
	Note   string        `json:"-"` // the reporter's note, opened (detail only)
	Hidden bool          // the subject is hidden
	Label  *hearth.Label // the subject's label
}

// AppealView is a pending appeal as moderators see it.
type AppealView struct {
	sqldb.AppealRow
	Note       string // the person's appeal, opened
	ActionNote string // the moderator's note shown to the person, opened
}

// ReviewQueue is what moderators review: open reports newest first and
// pending appeals oldest first.
type ReviewQueue struct {
	Group   *hearth.Group        // the group (nil for an organization's queue)
	Org     *hearth.Organization // the organization (nil for a group's queue)
	Reports []ReportView
	Appeals []AppealView
}

// GroupQueue is a group's review queue, for its facilitators and its
// organization's administrators.
func (a *App) GroupQueue(ctx context.Context, actor hearth.Actor, slug string) (*ReviewQueue, error) {
	g, err := a.moderateGroup(ctx, actor, slug)
	if err != nil {
		return nil, err
	}
	return a.reviewQueue(ctx, g, nil)
}

// OrgQueue is an organization's review queue (every group's), for its
// administrators.
func (a *App) OrgQueue(ctx context.Context, actor hearth.Actor, orgSlug string) (*ReviewQueue, error) {
	if !actor.SignedIn() {
		return nil, hearth.Errorf(hearth.Unauthorized, "Please sign in.")
	}
	o, err := a.db.OrganizationBySlug(ctx, orgSlug)
	if err != nil {
		return nil, err
	}
	if !actor.AdministersOrg(o.ID) {
		return nil, hearth.Coded(hearth.Forbidden, "forbidden", "Only the organization's administrators can see its review queue.")
	}
	return a.reviewQueue(ctx, nil, o)
}

func (a *App) reviewQueue(ctx context.Context, g *hearth.Group, o *hearth.Organization) (*ReviewQueue, error) {
	q := &ReviewQueue{Group: g, Org: o}
	var gid, oid int64
	if g != nil {
		gid = g.ID
	} else {
		oid = o.ID
	}
	rows, err := a.db.Reports(ctx, gid, oid, hearth.ReportOpen, queueLimit)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		v, err := a.reportView(ctx, r, false)
		if err != nil {
			return nil, err
		}
		q.Reports = append(q.Reports, *v)
	}
	appeals, err := a.db.PendingAppeals(ctx, gid, oid, queueLimit)
	if err != nil {
		return nil, err
	}
	for _, ap := range appeals {
		v := AppealView{AppealRow: ap}
		if v.Note, err = a.openText(ctx, ap.GroupID, appealNoteAD(ap.ID), ap.SealedNote); err != nil {
			return nil, err
		}
		if ap.Action != nil {
			if v.ActionNote, err = a.openText(ctx, ap.GroupID, actionNoteAD(ap.Action.ID), ap.Action.SealedNote); err != nil {
				return nil, err
			}
		}
		q.Appeals = append(q.Appeals, v)
	}
	return q, nil
}

func (a *App) reportView(ctx context.Context, r sqldb.ReportRow, withNote bool) (*ReportView, error) {
	v := &ReportView{ReportRow: r}
	marks, err := a.subjectMarks(ctx, r.Subject.Kind, []int64{r.Subject.ID})
	if err != nil {
		return nil, err
	}
	m := marks[r.Subject.ID]
	v.Hidden, v.Label = m.Hidden, m.Label
	if withNote {
		if v.Note, err = a.openText(ctx, r.GroupID, reportNoteAD(r.ID), r.SealedNote); err != nil {
			return nil, err
		}
	}
	return v, nil
}

// ReportDetail is one report for its moderators: the report with its note,
// what the subject is, and what has been done about it.
type ReportDetail struct {
	ReportView
	Group   *hearth.Group
	Answers []Answer            // an intake answer subject's answers
	Message *RoomMessageView    // a room message subject, opened
	Post    *ReportedPost       // a board post subject, opened (organization admins moderate reports but do not read boards)
	Actions []*hearth.ModAction // actions taken on the subject, oldest first
	// OrgAdmin: the viewer may ban from the organization.
	OrgAdmin bool
}

// ReportDetail returns one report for the people who moderate its group.
func (a *App) ReportDetail(ctx context.Context, actor hearth.Actor, id int64) (*ReportDetail, error) {
	if !actor.SignedIn() {
		return nil, hearth.Errorf(hearth.Unauthorized, "Please sign in.")
	}
	r, err := a.db.ReportRowByID(ctx, id)
	if err != nil {
		return nil, err
	}
	g, err := a.db.Group(ctx, r.GroupID)
	if err != nil {
		return nil, err
	}
	if !actor.CanModerate(g) {
		return nil, hearth.Errorf(hearth.NotFound, "The report was not found.")
	}
	v, err := a.reportView(ctx, *r, true)
	if err != nil {
		return nil, err
	}
	d := &ReportDetail{ReportView: *v, Group: g, OrgAdmin: actor.AdministersOrg(g.OrgID)}
	if r.Subject.Kind == hearth.SubjectIntakeAnswer {
		if d.Answers, err = a.openAnswers(ctx, g.ID, []int64{r.Subject.ID}, r.Subject.ID); err != nil {
			return nil, err
		}
	}
	if r.Subject.Kind == hearth.SubjectMessage {
		// Gone when the room's retention deleted it: the report stays.
		if d.Message, err = a.roomMessageView(ctx, r.Subject.ID); err != nil && hearth.ErrorKind(err) != hearth.NotFound {
			return nil, err
		}
	}
	if r.Subject.Kind == hearth.SubjectPost {
		// Gone when its writer deleted it: the report stays.
		if d.Post, err = a.ReportedPost(ctx, actor, r.Subject.ID); err != nil && hearth.ErrorKind(err) != hearth.NotFound {
			return nil, err
		}
	}
	// Staff reading what a member wrote is recorded (who, what, never the text).
	read := map[hearth.SubjectKind]bool{hearth.SubjectIntakeAnswer: len(d.Answers) > 0, hearth.SubjectPost: d.Post != nil, hearth.SubjectMessage: d.Message != nil}
	if read[r.Subject.Kind] {
		if err := a.auditRead(ctx, actor, g, string(r.Subject.Kind)+".read", string(r.Subject.Kind), r.Subject.ID, r.SubjectUserID); err != nil {
			return nil, err
		}
	}
	if d.Actions, err = a.db.ActionsAbout(ctx, r.Subject); err != nil {
		return nil, err
	}
	return d, nil
}

// DismissReport closes a report that needs nothing. The reporter is not
// told who looked at it; the audit log records it.
func (a *App) DismissReport(ctx context.Context, actor hearth.Actor, id int64) error {
	if !actor.SignedIn() {
		return hearth.Errorf(hearth.Unauthorized, "Please sign in.")
	}
	r, err := a.db.Report(ctx, id)
	if err != nil {
		return err
	}
	g, err := a.db.Group(ctx, r.GroupID)
	if err != nil {
		return err
	}
	if !actor.CanModerate(g) {
		return hearth.Errorf(hearth.NotFound, "The report was not found.")
	}
	return a.db.InTx(ctx, func(tx *sqldb.Tx) error {
		ok, err := tx.ResolveReport(ctx, id, hearth.ReportDismissed, actor.UserID, a.now())
		if err != nil {
			return err
		}
		if !ok {
			return hearth.Coded(hearth.Conflict, "report_closed", "This report has already been dealt with.")
		}
		return a.modAudit(ctx, tx, actor.UserID, "report.dismissed", g, r.Subject, string(r.Reason))
	})
}

// moderateGroup loads a group the actor moderates.
func (a *App) moderateGroup(ctx context.Context, actor hearth.Actor, slug string) (*hearth.Group, error) {
	if !actor.SignedIn() {
		return nil, hearth.Errorf(hearth.Unauthorized, "Please sign in.")
	}
	return a.groupAllowed(ctx, actor, slug, actor.CanModerate, "Only the group's facilitators and its organization's administrators moderate it.")
}

// ---------------------------------------------------------------------------
// Actions

// Moderate takes an action on a subject of a group the actor moderates,
// with a reason the person acted on reads. It answers a report when
// in.ReportID names an open one about the same subject.
func (a *App) Moderate(ctx context.Context, actor hearth.Actor, slug string, s hearth.Subject, in hearth.ActionInput) (*hearth.ModAction, error) {
	g, err := a.moderateGroup(ctx, actor, slug)
	if err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	ref, sg, err := a.resolveSubject(ctx, s)
	if err != nil {
		return nil, err
	}
	if sg.ID != g.ID {
		return nil, hearth.Errorf(hearth.NotFound, "That is not in this group.")
	}
	switch {
	case !s.Kind.IsContent() && slices.Contains([]hearth.ActionKind{hearth.ActionHide, hearth.ActionRestore, hearth.ActionLabel, hearth.ActionUnlabel}, in.Kind):
		return nil, hearth.Coded(hearth.Invalid, "content_only", "A person cannot be hidden or labelled; choose warn, mute, remove or ban.")
	case ref.AuthorID == actor.UserID:
		return nil, hearth.Coded(hearth.Conflict, "self", "You cannot moderate yourself.")
	case in.Kind == hearth.ActionBanOrg && !actor.AdministersOrg(g.OrgID):
		return nil, hearth.Coded(hearth.Forbidden, "forbidden", "Only the organization's administrators can ban someone from all its groups.")
	case ref.Membership != nil && ref.Membership.Role != hearth.RoleMember && in.Kind.OnPerson() && in.Kind != hearth.ActionHide && in.Kind != hearth.ActionLabel && !actor.AdministersOrg(g.OrgID):
		return nil, hearth.Coded(hearth.Forbidden, "forbidden", "Only the organization's administrators can act on a facilitator.")
	}
	if err := a.vault.EnsureKey(ctx, vault.GroupScope(g.ID)); err != nil {
		return nil, err
	}
	now := a.now().UTC().Truncate(time.Second)
	act := &hearth.ModAction{GroupID: g.ID, OrgID: g.OrgID, Subject: s, TargetUserID: ref.AuthorID, ActorID: actor.UserID, Kind: in.Kind,
		Reason: in.Reason, ReportID: in.ReportID, LabelURL: in.LabelURL, CreatedAt: now}
	if in.Kind == hearth.ActionMute {
		act.Until = now.Add(time.Duration(in.Minutes) * time.Minute)
	}
	reindex := map[int64]bool{}
	err = a.seatTx(ctx, g, func(tx *sqldb.Tx) error {
		if in.ReportID != 0 {
			r, err := tx.Report(ctx, in.ReportID)
			if err != nil || r.GroupID != g.ID || r.Subject != s {
				return hearth.Errorf(hearth.NotFound, "The report was not found.")
			}
		}
		if err := tx.InsertAction(ctx, act); err != nil {
			return err
		}
		sealed, err := a.sealNote(ctx, g, actionNoteAD(act.ID), in.Note)
		if err != nil {
			return err
		}
		if sealed != nil {
			act.SealedNote = sealed
			if err := tx.SetActionNote(ctx, act.ID, sealed); err != nil {
				return err
			}
		}
		if err := a.applyAction(ctx, tx, actor, g, ref, act, reindex); err != nil {
			return err
		}
		if in.ReportID != 0 {
			ok, err := tx.ResolveReport(ctx, in.ReportID, hearth.ReportActioned, actor.UserID, now)
			if err != nil {
				return err
			}
			if !ok {
				return hearth.Coded(hearth.Conflict, "report_closed", "This report has already been dealt with.")
			}
		}
		if act.Kind.OnPerson() && act.TargetUserID != 0 {
			if err := a.notify(ctx, tx, Notice{UserID: act.TargetUserID, Kind: NoticeModerationAction, GroupID: g.ID,
				Key: fmt.Sprintf("moderation_action:%d", act.ID), Link: "/moderation"}); err != nil {
				return err
			}
		}
		return a.modAudit(ctx, tx, actor.UserID, "moderation."+string(act.Kind), g, s, string(act.Reason))
	})
	if err != nil {
		return nil, err
	}
	for id := range reindex {
		a.reindexGroup(ctx, id)
	}
	a.log.Info("moderation action", "action_id", act.ID, "group_id", g.ID, "kind", string(act.Kind), "by", actor.UserID)
	return act, nil
}

// applyAction makes an action's effect inside its transaction.
func (a *App) applyAction(ctx context.Context, tx *sqldb.Tx, actor hearth.Actor, g *hearth.Group, ref *subjectRef, act *hearth.ModAction, reindex map[int64]bool) error {
	s := act.Subject
	switch act.Kind {
	case hearth.ActionHide:
		hidden, err := tx.IsHidden(ctx, s)
		if err != nil {
			return err
		}
		if hidden {
			return hearth.Coded(hearth.Conflict, "already_hidden", "This is already hidden.")
		}
		if err := tx.SetHidden(ctx, s, g.ID, act.ID, act.CreatedAt); err != nil {
			return err
		}
		if s.Kind == hearth.SubjectMessage {
			return a.hideInRoom(ctx, tx, actor, act)
		}
		return nil
	case hearth.ActionRestore:
		ok, err := tx.Unhide(ctx, s)
		if err == nil && !ok {
			err = hearth.Coded(hearth.Conflict, "not_hidden", "This is not hidden.")
		}
		if err == nil && s.Kind == hearth.SubjectMessage {
			err = a.showInRoom(ctx, tx, actor.UserID, s, act.CreatedAt)
		}
		return err
	case hearth.ActionLabel:
		return tx.SetLabel(ctx, &hearth.Label{Subject: s, Kind: hearth.LabelUnverifiedHealthClaim, URL: act.LabelURL, CreatedAt: act.CreatedAt}, g.ID, act.ID)
	case hearth.ActionUnlabel:
		ok, err := tx.DeleteLabel(ctx, s)
		if err == nil && !ok {
			err = hearth.Coded(hearth.Conflict, "not_labelled", "This has no label.")
		}
		return err
	case hearth.ActionWarn:
		return nil
	case hearth.ActionMute:
		m, err := tx.Membership(ctx, g.ID, ref.AuthorID)
		if err != nil || m.Status != hearth.StatusActive {
			return hearth.Coded(hearth.Conflict, "not_member", "Only an active member can be muted.")
		}
		return tx.SetMute(ctx, g.ID, ref.AuthorID, act.Until, act.ID)
	case hearth.ActionRemove:
		m, err := tx.Membership(ctx, g.ID, ref.AuthorID)
		if err != nil {
			return hearth.Coded(hearth.Conflict, "not_member", "This person is not a member of the group.")
		}
		if err := a.endMembership(ctx, tx, actor, g, m, hearth.StatusRemoved, hearth.EventRemoved); err != nil {
			return err
		}
		reindex[g.ID] = true
		return nil
	case hearth.ActionBanOrg:
		if err := tx.AddOrgBan(ctx, g.OrgID, ref.AuthorID, act.ID, act.CreatedAt); err != nil {
			return err
		}
		ms, err := tx.OrgMemberships(ctx, g.OrgID, ref.AuthorID)
		if err != nil {
			return err
		}
		for _, m := range ms {
			if !m.Status.CanBecome(hearth.StatusBanned) {
				continue
			}
			mg := g
			if m.GroupID != g.ID {
				if mg, err = a.db.Group(ctx, m.GroupID); err != nil {
					return err
				}
				if err := tx.LockGroup(ctx, mg.ID); err != nil {
					return err
				}
			}
			if err := a.endMembership(ctx, tx, actor, mg, m, hearth.StatusBanned, hearth.EventBanned); err != nil {
				return err
			}
			reindex[mg.ID] = true
		}
		return nil
	}
	return fmt.Errorf("moderate: unknown action %q", act.Kind)
}

// endMembership removes or bans a membership as RemoveMember does (its
// answers go, its seat goes to the line); the person is told by the
// moderation notice, which carries the reason.
func (a *App) endMembership(ctx context.Context, tx *sqldb.Tx, actor hearth.Actor, g *hearth.Group, m *hearth.Membership, to hearth.MembershipStatus, kind hearth.EventKind) error {
	if !m.Status.CanBecome(to) {
		return hearth.Coded(hearth.Conflict, "status", fmt.Sprintf("This person is %s; they cannot be %s.", m.Status, to))
	}
	now := a.now().UTC().Truncate(time.Second)
	m.Status, m.StatusAt, m.OfferExpires, m.WaitlistSeq, m.DecidedAt, m.SealedDecision = to, now, time.Time{}, 0, time.Time{}, nil
	if err := tx.SaveMembership(ctx, m); err != nil {
		return err
	}
	if err := tx.PutIntakeAnswers(ctx, m.ID, nil); err != nil {
		return err
	}
	a.evictFromRooms(tx, g.ID, m.UserID)
	e := &hearth.MembershipEvent{GroupID: g.ID, MembershipID: m.ID, UserID: m.UserID, ActorID: actor.UserID, Kind: kind, Status: to, CohortID: m.CohortID}
	return a.record(ctx, tx, g, e, "", "")
}

// ---------------------------------------------------------------------------
// Appeals

// Appeal appeals an action that fell on the actor, once, with a note.
func (a *App) Appeal(ctx context.Context, actor hearth.Actor, actionID int64, note string) (*hearth.Appeal, error) {
	if !actor.SignedIn() {
		return nil, hearth.Errorf(hearth.Unauthorized, "Please sign in.")
	}
	act, err := a.db.Action(ctx, actionID)
	if err != nil || act.TargetUserID != actor.UserID {
		return nil, hearth.Errorf(hearth.NotFound, "The decision was not found.")
	}
	if !act.Kind.Appealable() {
		return nil, hearth.Coded(hearth.Conflict, "not_appealable", "This decision cannot be appealed.")
	}
	if err := hearth.ValidateAppeal(note); err != nil {
		return nil, err
	}
	g, err := a.db.Group(ctx, act.GroupID)
	if err != nil {
		return nil, err
	}
	screened, err := a.screen(ctx, Writing{AuthorID: actor.UserID, GroupID: g.ID, Kind: WritingAppeal, Text: strings.TrimSpace(note)})
	if err != nil {
		return nil, err
	}
	ap := &hearth.Appeal{ActionID: act.ID, GroupID: g.ID, UserID: actor.UserID, Status: hearth.AppealPending, CreatedAt: a.now().UTC().Truncate(time.Second)}
	err = a.db.InTx(ctx, func(tx *sqldb.Tx) error {
		if err := tx.InsertAppeal(ctx, ap); err != nil {
			return err
		}
		sealed, err := a.sealWriting(ctx, screened, appealNoteAD(ap.ID))
		if err != nil {
			return err
		}
		if err := tx.SetAppealNote(ctx, ap.ID, sealed); err != nil {
			return err
		}
		// Someone appealing may be in distress: a crisis in the appeal
		// alerts the facilitators like any writing (never an action).
		if _, err := a.followUp(ctx, tx, g, ap.ID, screened); err != nil {
			return err
		}
		to, err := a.moderators(ctx, tx, g, actor.UserID)
		if err != nil {
			return err
		}
		for _, id := range to {
			if err := a.notify(ctx, tx, Notice{UserID: id, Kind: NoticeReportReceived, GroupID: g.ID, Key: fmt.Sprintf("appeal:%d", ap.ID),
				Link: "/groups/" + g.Slug + "/reports"}); err != nil {
				return err
			}
		}
		return a.modAudit(ctx, tx, actor.UserID, "appeal.filed", g, act.Subject, string(act.Kind))
	})
	if err != nil {
		return nil, err
	}
	return ap, nil
}

// AppealDecision is a moderator's answer to an appeal.
type AppealDecision struct {
	Overturn bool   `json:"overturn"`
	Note     string `json:"note,omitempty"` // shown to the person
}

// DecideAppeal answers a pending appeal: the action stands, or is undone
// (hidden content shows again, a label comes off, a mute or a ban is
// lifted; a removed or banned person may join again). The moderator who
// took the action cannot decide its appeal unless they administer the
// organization.
func (a *App) DecideAppeal(ctx context.Context, actor hearth.Actor, appealID int64, d AppealDecision) (*hearth.Appeal, error) {
	if !actor.SignedIn() {
		return nil, hearth.Errorf(hearth.Unauthorized, "Please sign in.")
	}
	ap, err := a.db.Appeal(ctx, appealID)
	if err != nil {
		return nil, err
	}
	g, err := a.db.Group(ctx, ap.GroupID)
	if err != nil {
		return nil, err
	}
	if !actor.CanModerate(g) || ap.UserID == actor.UserID {
		return nil, hearth.Errorf(hearth.NotFound, "The appeal was not found.")
	}
	act, err := a.db.Action(ctx, ap.ActionID)
	if err != nil {
		return nil, err
	}
	if act.ActorID == actor.UserID && !actor.AdministersOrg(g.OrgID) {
		return nil, hearth.Coded(hearth.Forbidden, "own_action", "Someone other than the moderator who took this decision must decide its appeal.")
	}
	d.Note = strings.TrimSpace(d.Note)
	if err := hearth.ValidateNote("note", d.Note, false, hearth.MaxModNoteLen); err != nil {
		return nil, err
	}
	now := a.now().UTC().Truncate(time.Second)
	reindex := map[int64]bool{}
	err = a.seatTx(ctx, g, func(tx *sqldb.Tx) error {
		ap.Status, ap.DecidedAt, ap.DecidedBy = hearth.AppealUpheld, now, actor.UserID
		if d.Overturn {
			ap.Status = hearth.AppealOverturned
		}
		var err error
		if ap.SealedDecision, err = a.sealNote(ctx, g, appealDecisionAD(ap.ID), d.Note); err != nil {
			return err
		}
		ok, err := tx.DecideAppeal(ctx, ap)
		if err != nil {
			return err
		}
		if !ok {
			return hearth.Coded(hearth.Conflict, "appeal_decided", "This appeal has already been decided.")
		}
		if d.Overturn {
			if err := a.undoAction(ctx, tx, actor, g, act, reindex); err != nil {
				return err
			}
		}
		if err := a.notify(ctx, tx, Notice{UserID: ap.UserID, Kind: NoticeModerationAction, GroupID: g.ID,
			Key: fmt.Sprintf("appeal_decided:%d", ap.ID), Link: "/moderation"}); err != nil {
			return err
		}
		return a.modAudit(ctx, tx, actor.UserID, "appeal."+string(ap.Status), g, act.Subject, string(act.Kind))
	})
	if err != nil {
		return nil, err
	}
	for id := range reindex {
		a.reindexGroup(ctx, id)
	}
	return ap, nil
}

// undoAction reverses an action whose appeal succeeded (actor decided it).
func (a *App) undoAction(ctx context.Context, tx *sqldb.Tx, actor hearth.Actor, g *hearth.Group, act *hearth.ModAction, reindex map[int64]bool) error {
	switch act.Kind {
	case hearth.ActionHide:
		ok, err := tx.Unhide(ctx, act.Subject)
		if err == nil && ok && act.Subject.Kind == hearth.SubjectMessage {
			err = a.showInRoom(ctx, tx, actor.UserID, act.Subject, a.now())
		}
		return err
	case hearth.ActionLabel:
		_, err := tx.DeleteLabel(ctx, act.Subject)
		return err
	case hearth.ActionMute:
		return tx.DeleteMute(ctx, g.ID, act.TargetUserID, act.ID)
	case hearth.ActionRemove, hearth.ActionBanOrg:
		if act.Kind == hearth.ActionBanOrg {
			if err := tx.DeleteOrgBan(ctx, act.OrgID, act.TargetUserID, act.ID); err != nil {
				return err
			}
		}
		ms, err := tx.OrgMemberships(ctx, act.OrgID, act.TargetUserID)
		if err != nil {
			return err
		}
		for _, m := range ms {
			// The person may join again: the ended membership goes (its
			// history stays in the events).
			if (act.Kind == hearth.ActionRemove && m.GroupID == g.ID && m.Status == hearth.StatusRemoved) ||
				(act.Kind == hearth.ActionBanOrg && m.Status == hearth.StatusBanned) {
				if err := tx.DeleteMembership(ctx, m.GroupID, m.ID); err != nil {
					return err
				}
				reindex[m.GroupID] = true
			}
		}
	}
	return nil
}

// ---------------------------------------------------------------------------
// A person's own moderation page

// ActionView is an action as the person it fell on reads it.
type ActionView struct {
	sqldb.ActionRow
	Note         string // the moderator's note to the person
	AppealNote   string // what the person wrote
	DecisionNote string // the answer to the appeal
	MutedNow     bool   // a mute still running
	CanAppeal    bool
}

// MyModeration lists the actions that fell on the actor, newest first.
func (a *App) MyModeration(ctx context.Context, actor hearth.Actor) ([]ActionView, error) {
	if !actor.SignedIn() {
		return nil, hearth.Errorf(hearth.Unauthorized, "Please sign in.")
	}
	rows, err := a.db.ActionsOn(ctx, actor.UserID, queueLimit)
	if err != nil {
		return nil, err
	}
	now := a.now()
	out := make([]ActionView, 0, len(rows))
	for _, r := range rows {
		v := ActionView{ActionRow: r}
		if v.Note, err = a.openText(ctx, r.GroupID, actionNoteAD(r.ID), r.SealedNote); err != nil {
			return nil, err
		}
		if r.Appeal != nil {
			if v.AppealNote, err = a.openText(ctx, r.GroupID, appealNoteAD(r.Appeal.ID), r.Appeal.SealedNote); err != nil {
				return nil, err
			}
			if v.DecisionNote, err = a.openText(ctx, r.GroupID, appealDecisionAD(r.Appeal.ID), r.Appeal.SealedDecision); err != nil {
				return nil, err
			}
		}
		if r.Kind == hearth.ActionMute && r.Until.After(now) {
			m, err := a.db.MuteOf(ctx, r.GroupID, actor.UserID, now)
			if err != nil {
				return nil, err
			}
			v.MutedNow = m != nil && m.ActionID == r.ID
		}
		v.CanAppeal = r.Kind.Appealable() && r.Appeal == nil
		out = append(out, v)
	}
	return out, nil
}

// MuteView is a running mute as its person reads it.
type MuteView struct {
	Until  time.Time           `json:"until"`
	Reason hearth.ActionReason `json:"reason"`
}

// MyMute returns the actor's running mute in a group (nil: none).
func (a *App) MyMute(ctx context.Context, g *hearth.Group, userID int64) (*MuteView, error) {
	m, err := a.db.MuteOf(ctx, g.ID, userID, a.now())
	if err != nil || m == nil {
		return nil, err
	}
	act, err := a.db.Action(ctx, m.ActionID)
	if err != nil {
		return nil, err
	}
	return &MuteView{Until: m.Until, Reason: act.Reason}, nil
}

// mutedError is the refusal a muted member reads: why and until when (the
// Until parameter lets pages write it in the reader's zone).
func mutedError(m *MuteView) error {
	return &hearth.Error{Kind: hearth.Forbidden, Code: "muted",
		Message: fmt.Sprintf("A moderator has paused your posting in this group until %s (reason: %s). You can read why, and appeal, on your moderation page.",
			m.Until.UTC().Format("2006-01-02 15:04 UTC"), strings.ReplaceAll(string(m.Reason), "_", " ")),
		Fields: []hearth.FieldError{{Field: "muted", Code: "until", Message: "Posting is paused until " + m.Until.UTC().Format(time.RFC3339) + ".",
			Params: map[string]any{"Until": m.Until.UTC().Format(time.RFC3339), "Reason": string(m.Reason)}}}}
}

// refuseMuted refuses a muted member's text in a group (membership.go's
// Apply calls it; boards and rooms through mayPost).
func (a *App) refuseMuted(ctx context.Context, g *hearth.Group, userID int64) error {
	m, err := a.MyMute(ctx, g, userID)
	if err != nil {
		return err
	}
	if m != nil {
		return mutedError(m)
	}
	return nil
}

// refuseOrgBanned refuses someone banned from the group's organization
// (Join and Apply call it inside their transaction).
func (a *App) refuseOrgBanned(ctx context.Context, tx *sqldb.Tx, g *hearth.Group, userID int64) error {
	banned, err := tx.OrgBanned(ctx, g.OrgID, userID)
	if err != nil {
		return err
	}
	if banned {
		return hearth.Coded(hearth.Forbidden, "banned", "You cannot join this group.")
	}
	return nil
}

// ---------------------------------------------------------------------------
// Marks on subjects: hidden, labelled

// SubjectMark is what readers of a kind show with an item.
type SubjectMark struct {
	Hidden bool
	Label  *hearth.Label
}

// subjectMarks returns the marks of a kind's items, by id (items without
// marks are absent). Boards and rooms call it before showing items.
func (a *App) subjectMarks(ctx context.Context, kind hearth.SubjectKind, ids []int64) (map[int64]SubjectMark, error) {
	hidden, err := a.db.Hidden(ctx, kind, ids)
	if err != nil {
		return nil, err
	}
	labels, err := a.db.Labels(ctx, kind, ids)
	if err != nil {
		return nil, err
	}
	out := map[int64]SubjectMark{}
	for id := range hidden {
		out[id] = SubjectMark{Hidden: true}
	}
	for id, l := range labels {
		m := out[id]
		m.Label = &l
		out[id] = m
	}
	return out, nil
}

// SubjectMarks is subjectMarks for pages that show a kind's items.
func (a *App) SubjectMarks(ctx context.Context, kind hearth.SubjectKind, ids []int64) (map[int64]SubjectMark, error) {
	return a.subjectMarks(ctx, kind, ids)
}

// ---------------------------------------------------------------------------
// Blocks

// Blocks is what one person blocked: per group, the people whose content
// is hidden from them.
type Blocks map[int64]map[int64]bool

// Hides reports whether the viewer blocked the author in the group.
func (b Blocks) Hides(groupID, authorID int64) bool { return b[groupID][authorID] }

// blocked returns the viewer's blocks, for later features to hide blocked
// members' content.
func (a *App) blocked(ctx context.Context, viewerID int64) (Blocks, error) {
	rows, err := a.db.BlocksBy(ctx, viewerID)
	if err != nil {
		return nil, err
	}
	out := Blocks{}
	for _, r := range rows {
		if out[r.GroupID] == nil {
			out[r.GroupID] = map[int64]bool{}
		}
		out[r.GroupID][r.BlockedID] = true
	}
	return out, nil
}

// mayReach refuses anything one person would send another in a group when
// either blocked the other.
func (a *App) mayReach(ctx context.Context, groupID, from, to int64) error {
	blocked, err := a.db.BlockedEither(ctx, groupID, from, to)
	if err != nil {
		return err
	}
	if blocked {
		return hearth.Coded(hearth.Forbidden, "blocked", "You cannot send anything to this member.")
	}
	return nil
}

// BlockView is a block as its author sees it.
type BlockView struct {
	sqldb.BlockRow
	GroupSlug string
	GroupName string
}

// Block hides a member of the group from the actor (an active member of
// it): their content is hidden for the actor and neither can send the
// other anything. The blocked member is not told.
func (a *App) Block(ctx context.Context, actor hearth.Actor, slug string, membershipID int64) error {
	g, target, err := a.blockTarget(ctx, actor, slug, membershipID)
	if err != nil {
		return err
	}
	return a.db.InTx(ctx, func(tx *sqldb.Tx) error {
		return tx.AddBlock(ctx, hearth.Block{GroupID: g.ID, BlockerID: actor.UserID, BlockedID: target.UserID, CreatedAt: a.now().UTC().Truncate(time.Second)})
	})
}

// Unblock lifts a block.
func (a *App) Unblock(ctx context.Context, actor hearth.Actor, slug string, membershipID int64) error {
	if !actor.SignedIn() {
		return hearth.Errorf(hearth.Unauthorized, "Please sign in.")
	}
	g, err := a.visibleGroupForMember(ctx, actor, slug)
	if err != nil {
		return err
	}
	m, err := a.db.MembershipByID(ctx, g.ID, membershipID)
	if err != nil {
		return err
	}
	return a.db.InTx(ctx, func(tx *sqldb.Tx) error {
		ok, err := tx.DeleteBlock(ctx, g.ID, actor.UserID, m.UserID)
		if err == nil && !ok {
			err = hearth.Coded(hearth.Conflict, "not_blocked", "You have not blocked this member.")
		}
		return err
	})
}

func (a *App) blockTarget(ctx context.Context, actor hearth.Actor, slug string, membershipID int64) (*hearth.Group, *hearth.Membership, error) {
	if !actor.SignedIn() {
		return nil, nil, hearth.Errorf(hearth.Unauthorized, "Please sign in.")
	}
	g, err := a.seenGroup(ctx, actor, slug)
	if err != nil {
		return nil, nil, err
	}
	st, err := a.MemberStanding(ctx, g, actor.UserID)
	if err != nil {
		return nil, nil, err
	}
	if !st.Active {
		return nil, nil, hearth.Coded(hearth.Forbidden, "not_member", "Only the group's members can block someone in it.")
	}
	m, err := a.db.MembershipByID(ctx, g.ID, membershipID)
	if err != nil || m.Status != hearth.StatusActive {
		return nil, nil, hearth.Errorf(hearth.NotFound, "The member was not found.")
	}
	if m.UserID == actor.UserID {
		return nil, nil, hearth.Coded(hearth.Conflict, "self", "You cannot block yourself.")
	}
	return g, m, nil
}

// MyBlocks lists the members the actor blocked, newest first.
func (a *App) MyBlocks(ctx context.Context, actor hearth.Actor) ([]BlockView, error) {
	if !actor.SignedIn() {
		return nil, hearth.Errorf(hearth.Unauthorized, "Please sign in.")
	}
	rows, err := a.db.BlocksBy(ctx, actor.UserID)
	if err != nil {
		return nil, err
	}
	out := make([]BlockView, 0, len(rows))
	names := map[int64]*hearth.Group{}
	for _, r := range rows {
		g := names[r.GroupID]
		if g == nil {
			if g, err = a.db.Group(ctx, r.GroupID); err != nil {
				return nil, err
			}
			names[r.GroupID] = g
		}
		out = append(out, BlockView{BlockRow: r, GroupSlug: g.Slug, GroupName: g.Name})
	}
	return out, nil
}

// ---------------------------------------------------------------------------
// Posting rules

// PostGate is what mayPost decided for a post that may go out.
type PostGate struct {
	// Hold: the post waits for a facilitator's approval (a new member in a
	// group that approves first posts). Store it hidden from others and
	// put it in the review queue.
	Hold bool
}

// mayPost is the check boards and rooms call before storing a post or a
// message a member writes in a group: nil when it may go out now. It
// refuses (with why, and until when) a person who is not an active member,
// a muted member, a new member's link or a post over the rate; a post that
// must wait for approval is refused with code "held_for_approval" — callers
// that can hold posts call postGate instead. A call that returns nil counts
// towards the posting rate.
func (a *App) mayPost(ctx context.Context, groupID, userID int64, text string) error {
	gate, err := a.postGate(ctx, groupID, userID, text)
	if err != nil {
		return err
	}
	if gate.Hold {
		return hearth.Coded(hearth.Forbidden, "held_for_approval", "In this group a facilitator approves new members' first posts.")
	}
	return nil
}

// postGate applies the posting rules and, when the post may be stored,
// counts it towards the rate.
func (a *App) postGate(ctx context.Context, groupID, userID int64, text string) (PostGate, error) {
	var gate PostGate
	g, err := a.db.Group(ctx, groupID)
	if err != nil {
		return gate, err
	}
	st, err := a.MemberStanding(ctx, g, userID)
	if err != nil {
		return gate, err
	}
	if !st.Active {
		return gate, hearth.Coded(hearth.Forbidden, "not_member", "Only the group's members can post in it.")
	}
	if err := a.refuseMuted(ctx, g, userID); err != nil {
		return gate, err
	}
	now := a.now().UTC().Truncate(time.Second)
	err = a.db.InTx(ctx, func(tx *sqldb.Tx) error {
		m, err := tx.Membership(ctx, groupID, userID)
		if err != nil {
			return err
		}
		set, err := tx.ModerationSettings(ctx, groupID)
		if err != nil {
			return err
		}
		newMember := !st.Leads && now.Before(m.JoinedAt.Add(time.Duration(set.NewMemberDays)*24*time.Hour))
		limit := set.PostsPerHour
		if newMember {
			limit = set.NewMemberPostsPerHour
			if hearth.ContainsLink(text) {
				return hearth.Coded(hearth.Forbidden, "new_member_links", fmt.Sprintf("New members cannot post links for their first %d days in this group. Please write it without the link.", set.NewMemberDays))
			}
		}
		if !st.Leads {
			n, oldest, err := tx.CountPostMarks(ctx, groupID, userID, now.Add(-time.Hour))
			if err != nil {
				return err
			}
			if n >= limit {
				wait := oldest.Add(time.Hour).Sub(now).Round(time.Minute)
				return &hearth.Error{Kind: hearth.TooMany, Code: "post_rate", Message: fmt.Sprintf("You have posted often in the last hour; please wait %d minutes.", max(1, int(wait.Minutes()))),
					Fields: []hearth.FieldError{{Field: "text", Code: "post_rate", Message: "Please wait before posting again.", Params: map[string]any{"Minutes": max(1, int(wait.Minutes()))}}}}
			}
		}
		if newMember && set.ApproveFirstPosts {
			trusted, err := tx.TrustedPoster(ctx, groupID, userID)
			if err != nil {
				return err
			}
			gate.Hold = !trusted
		}
		return tx.AddPostMark(ctx, groupID, userID, now)
	})
	return gate, err
}

// ModerationSettings returns a group's posting rules (its moderators).
func (a *App) ModerationSettings(ctx context.Context, actor hearth.Actor, slug string) (hearth.ModerationSettings, error) {
	g, err := a.moderateGroup(ctx, actor, slug)
	if err != nil {
		return hearth.ModerationSettings{}, err
	}
	return a.db.ModerationSettings(ctx, g.ID)
}

// SetModerationSettings stores a group's posting rules.
func (a *App) SetModerationSettings(ctx context.Context, actor hearth.Actor, slug string, s hearth.ModerationSettings) (hearth.ModerationSettings, error) {
	g, err := a.moderateGroup(ctx, actor, slug)
	if err != nil {
		return s, err
	}
	if err := s.Validate(); err != nil {
		return s, err
	}
	err = a.db.InTx(ctx, func(tx *sqldb.Tx) error {
		if err := tx.SetModerationSettings(ctx, g.ID, s, a.now()); err != nil {
			return err
		}
		return a.modAudit(ctx, tx, actor.UserID, "moderation.settings", g, hearth.Subject{}, "")
	})
	return s, err
}

// TrustPoster lets a new member's posts out without approval.
func (a *App) TrustPoster(ctx context.Context, actor hearth.Actor, slug string, membershipID int64) error {
	g, err := a.moderateGroup(ctx, actor, slug)
	if err != nil {
		return err
	}
	m, err := a.db.MembershipByID(ctx, g.ID, membershipID)
	if err != nil {
		return err
	}
	return a.db.InTx(ctx, func(tx *sqldb.Tx) error {
		if err := tx.TrustPoster(ctx, g.ID, m.UserID, actor.UserID, a.now()); err != nil {
			return err
		}
		return a.modAudit(ctx, tx, actor.UserID, "moderation.trust", g, hearth.Subject{Kind: hearth.SubjectMember, ID: m.ID}, "")
	})
}

// Peer is another active member of a group as a member sees them: a
// pseudonym, and whether the viewer blocked them.
type Peer struct {
	MembershipID int64  `json:"membership_id"`
	Pseudonym    string `json:"pseudonym"`
	Blocked      bool   `json:"blocked"`
}

// Peers lists the group's other active members for one of its active
// members (or its moderators): whom they may report or block.
func (a *App) Peers(ctx context.Context, actor hearth.Actor, slug string) (*hearth.Group, []Peer, error) {
	if !actor.SignedIn() {
		return nil, nil, hearth.Errorf(hearth.Unauthorized, "Please sign in.")
	}
	g, err := a.seenGroup(ctx, actor, slug)
	if err != nil {
		return nil, nil, err
	}
	st, err := a.MemberStanding(ctx, g, actor.UserID)
	if err != nil {
		return nil, nil, err
	}
	if !st.Active && !actor.CanModerate(g) {
		return nil, nil, hearth.Coded(hearth.Forbidden, "not_member", "Only the group's members see who else belongs to it.")
	}
	rows, err := a.db.GroupMemberships(ctx, g.ID)
	if err != nil {
		return nil, nil, err
	}
	blocks, err := a.blocked(ctx, actor.UserID)
	if err != nil {
		return nil, nil, err
	}
	out := []Peer{}
	for _, r := range rows {
		if r.Status != hearth.StatusActive || r.UserID == actor.UserID {
			continue
		}
		out = append(out, Peer{MembershipID: r.ID, Pseudonym: r.Pseudonym, Blocked: blocks.Hides(g.ID, r.UserID)})
	}
	return g, out, nil
}

// ModeratedGroupSlug names a group the actor moderates, by id (pages go
// back to its queue after deciding an appeal).
func (a *App) ModeratedGroupSlug(ctx context.Context, actor hearth.Actor, groupID int64) (string, error) {
	g, err := a.db.Group(ctx, groupID)
	if err != nil {
		return "", err
	}
	if !actor.CanModerate(g) {
		return "", hearth.Errorf(hearth.NotFound, "The group was not found.")
	}
	return g.Slug, nil
}
