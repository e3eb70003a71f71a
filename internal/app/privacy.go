package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/room"
	"github.com/hearth-org/hearth/internal/sqldb"
	"github.com/hearth-org/hearth/internal/vault"
)

// Export of a person's own data (issue 7 §2). The archive holds what the
// person wrote (opened from the vault) and what is about them alone:
// account, memberships, marks, notices. Nothing another member wrote is
// read: every row is chosen by its writer or owner being the person, and
// the only other names are the groups'.

// ExportVersion is the archive format's version.
const ExportVersion = 1

// Export is the archive, as JSON.
type Export struct {
	Format      int                `json:"format"`
	ExportedAt  time.Time          `json:"exported_at"`
	Account     ExportAccount      `json:"account"`
	Memberships []ExportMembership `json:"memberships"`
	Posts       []ExportPost       `json:"board_posts"`
	Messages    []ExportMessage    `json:"room_messages"`
	Questions   []ExportMessage    `json:"room_round_questions"` // asked as a facilitator
	Answers     []ExportAnswer     `json:"intake_answers"`
	SafetyPlan  *ExportPlan        `json:"safety_plan"`
	Reports     []ExportFiled      `json:"reports"`
	Appeals     []ExportFiled      `json:"appeals"`
	RSVPs       []ExportMark       `json:"rsvps"`
	Attendance  []ExportMark       `json:"attendance"`
	Notices     []ExportNotice     `json:"notices"`
}

// ExportAccount is the account and its preferences.
type ExportAccount struct {
	Handle       string            `json:"handle"`
	Email        string            `json:"email,omitempty"`
	Locale       string            `json:"locale,omitempty"`
	TimeZone     string            `json:"time_zone,omitempty"`
	CreatedAt    time.Time         `json:"created_at"`
	WarningPrefs map[string]string `json:"content_warning_preferences,omitempty"`
}

// ExportMembership is one membership: the group by name, the person's
// pseudonym there.
type ExportMembership struct {
	Group     string    `json:"group"`
	GroupName string    `json:"group_name"`
	Role      string    `json:"role"`
	Status    string    `json:"status"`
	Pseudonym string    `json:"pseudonym"`
	JoinedAt  time.Time `json:"joined_at"`
}

// ExportPost is one board post the person wrote.
type ExportPost struct {
	Group     string    `json:"group"`
	ThreadID  int64     `json:"thread_id"`
	PostID    int64     `json:"post_id"`
	Title     string    `json:"title,omitempty"`
	Body      string    `json:"body"`
	Warning   string    `json:"warning,omitempty"`
	Anonymous bool      `json:"anonymous"`
	CreatedAt time.Time `json:"created_at"`
	EditedAt  time.Time `json:"edited_at,omitzero"`
}

// ExportMessage is one room message the person wrote (while retained).
type ExportMessage struct {
	Group  string    `json:"group"`
	RoomID int64     `json:"room_id"`
	Text   string    `json:"text"`
	At     time.Time `json:"at"`
}

// ExportAnswer is one intake answer.
type ExportAnswer struct {
	Group    string `json:"group"`
	Question string `json:"question"`
	Answer   string `json:"answer"`
}

// ExportPlan is the newest version of the person's safety plan.
type ExportPlan struct {
	Version int               `json:"version"`
	SavedAt time.Time         `json:"saved_at"`
	Plan    hearth.SafetyPlan `json:"plan"`
}

// ExportFiled is a report or an appeal the person filed, with their note.
type ExportFiled struct {
	Group       string    `json:"group"`
	SubjectKind string    `json:"subject_kind,omitempty"`
	Reason      string    `json:"reason,omitempty"`
	Status      string    `json:"status"`
	Note        string    `json:"note,omitempty"`
	CreatedAt   time.Time `json:"created_at"`
}

// ExportMark is an RSVP or an attendance mark.
type ExportMark struct {
	Group     string    `json:"group"`
	MeetingID int64     `json:"meeting_id"`
	Occurs    time.Time `json:"occurrence"`
	Mark      string    `json:"mark,omitempty"`
	At        time.Time `json:"at"`
}

// ExportNotice is one notice (a kind and a link: notices carry no text).
type ExportNotice struct {
	Kind      string    `json:"kind"`
	Group     string    `json:"group,omitempty"`
	Link      string    `json:"link,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	Read      bool      `json:"read"`
}

// ExportMyData builds the signed-in person's archive and records in the
// audit log that they exported it (no content).
func (a *App) ExportMyData(ctx context.Context, actor hearth.Actor) (*Export, error) {
	if !actor.SignedIn() {
		return nil, hearth.Coded(hearth.Unauthorized, "sign_in", "Sign in to export your data.")
	}
	uid := actor.UserID
	d, err := a.db.ExportUser(ctx, uid)
	if err != nil {
		return nil, err
	}
	x := &Export{Format: ExportVersion, ExportedAt: a.now().UTC().Truncate(time.Second),
		Account: ExportAccount{Handle: d.Account.Handle, Email: d.Account.Email, Locale: d.Account.Locale,
			TimeZone: d.Account.TimeZone, CreatedAt: d.Account.CreatedAt},
		Memberships: []ExportMembership{}, Posts: []ExportPost{}, Messages: []ExportMessage{}, Questions: []ExportMessage{}, Answers: []ExportAnswer{},
		Reports: []ExportFiled{}, Appeals: []ExportFiled{}, RSVPs: []ExportMark{}, Attendance: []ExportMark{}, Notices: []ExportNotice{}}
	if x.Account.WarningPrefs, err = a.warningPrefs(ctx, uid); err != nil {
		return nil, err
	}
	for _, m := range d.Memberships {
		x.Memberships = append(x.Memberships, ExportMembership{Group: m.GroupSlug, GroupName: m.GroupName, Role: m.Role,
			Status: m.Status, Pseudonym: m.Pseudonym, JoinedAt: m.JoinedAt})
	}
	for _, p := range d.Posts {
		pl, err := a.openPost(ctx, p.GroupID, p.ID, p.Rev, p.Sealed)
		if err != nil {
			return nil, err
		}
		e := ExportPost{Group: p.GroupSlug, ThreadID: p.ThreadID, PostID: p.ID, Body: pl.Body, Warning: pl.Warning,
			Anonymous: p.Anonymous, CreatedAt: p.CreatedAt}
		if p.First {
			e.Title = pl.Title
		}
		if !p.EditedAt.IsZero() && p.EditedAt.Unix() != 0 {
			e.EditedAt = p.EditedAt
		}
		x.Posts = append(x.Posts, e)
	}
	for _, m := range d.Messages {
		ev := &sqldb.RoomEvent{Room: m.RoomID, Seq: m.Seq, Kind: "message", Actor: m.Actor, Key: m.Key, Sealed: m.Sealed}
		t, err := a.openRoomText(ctx, m.GroupID, ev)
		if err != nil {
			return nil, err
		}
		x.Messages = append(x.Messages, ExportMessage{Group: m.GroupSlug, RoomID: m.RoomID, Text: t, At: m.At})
	}
	questions, err := a.db.ExportRoundQuestions(ctx, uid)
	if err != nil {
		return nil, err
	}
	for _, m := range questions {
		ev := &sqldb.RoomEvent{Room: m.RoomID, Seq: m.Seq, Kind: room.KindRoundStart, Actor: m.Actor, Sealed: m.Sealed}
		t, err := a.openRoomText(ctx, m.GroupID, ev)
		if err != nil {
			return nil, err
		}
		x.Questions = append(x.Questions, ExportMessage{Group: m.GroupSlug, RoomID: m.RoomID, Text: t, At: m.At})
	}
	for _, s := range d.Answers {
		t, err := a.openText(ctx, s.GroupID, answerAD(s.MembershipID, s.Position), s.Sealed)
		if err != nil {
			return nil, fmt.Errorf("open intake answer: %w", err)
		}
		x.Answers = append(x.Answers, ExportAnswer{Group: s.GroupSlug, Question: s.Prompt, Answer: t})
	}
	if sp, err := a.db.SafetyPlan(ctx, uid, 0); err == nil {
		plan, err := a.openPlan(ctx, sp)
		if err != nil {
			return nil, err
		}
		x.SafetyPlan = &ExportPlan{Version: sp.Version, SavedAt: sp.SavedAt, Plan: plan}
	} else if hearth.ErrorKind(err) != hearth.NotFound {
		return nil, err
	}
	for _, r := range d.Reports {
		t, err := a.openText(ctx, r.GroupID, reportNoteAD(r.ID), r.Sealed)
		if err != nil {
			return nil, fmt.Errorf("open report note: %w", err)
		}
		x.Reports = append(x.Reports, ExportFiled{Group: r.GroupSlug, SubjectKind: r.SubjectKind, Reason: r.Reason, Status: r.Status,
			Note: t, CreatedAt: r.CreatedAt})
	}
	for _, ap := range d.Appeals {
		t, err := a.openText(ctx, ap.GroupID, appealNoteAD(ap.ID), ap.Sealed)
		if err != nil {
			return nil, fmt.Errorf("open appeal note: %w", err)
		}
		x.Appeals = append(x.Appeals, ExportFiled{Group: ap.GroupSlug, Status: ap.Status, Note: t, CreatedAt: ap.CreatedAt})
	}
	for _, m := range d.RSVPs {
		x.RSVPs = append(x.RSVPs, ExportMark{Group: m.GroupSlug, MeetingID: m.MeetingID, Occurs: m.Original, At: m.At})
	}
	for _, m := range d.Attendance {
		x.Attendance = append(x.Attendance, ExportMark{Group: m.GroupSlug, MeetingID: m.MeetingID, Occurs: m.Original, Mark: m.Mark, At: m.At})
	}
	for _, n := range d.Notices {
		x.Notices = append(x.Notices, ExportNotice{Kind: n.Kind, Group: n.GroupSlug, Link: n.Link, CreatedAt: n.CreatedAt, Read: n.Read})
	}
	if err := a.db.InTx(ctx, func(tx *sqldb.Tx) error {
		return a.audit(ctx, tx, AuditEntry{ActorID: uid, Action: "account.exported", SubjectKind: "user", SubjectID: uid})
	}); err != nil {
		return nil, err
	}
	a.log.InfoContext(ctx, "account exported", "user", uid)
	return x, nil
}

// ---------------------------------------------------------------------------
// Erasure

// EraseInput is what erasing one's account needs: the password, and the
// current code when the person has a second factor. Addr is the caller's
// address (for the sign-in limits).
type EraseInput struct {
	Password, Code, Addr string
}

// Erased is what an erasure did (counts only).
type Erased struct {
	PostsKept, PostsRemoved, Messages int64
}

// EraseAccount deletes the signed-in person's account and everything of
// theirs in one transaction, then destroys their personal key (vault scope
// user:{id}), so copies of the database in old backups can no longer open
// what was sealed under it (their safety plan, their second factor's
// secret). Their board posts and room messages stay as a former member's,
// linked to nobody, or are deleted, as each group's policy says
// (erased_posts). Only the person themself can do it, with their password
// (and second factor).
func (a *App) EraseAccount(ctx context.Context, actor hearth.Actor, in EraseInput) (*Erased, error) {
	if !actor.SignedIn() {
		return nil, hearth.Coded(hearth.Unauthorized, "sign_in", "Sign in to delete your account.")
	}
	uid := actor.UserID
	u, err := a.db.User(ctx, uid)
	if err != nil {
		return nil, err
	}
	if in.Password == "" {
		var p hearth.Problems
		p.Add("password", "required", "Enter your password to delete your account.", nil)
		return nil, p.Err()
	}
	checked, err := a.checkPassword(ctx, u.Handle, in.Password, in.Addr)
	if err == errSignIn || (err == nil && checked.ID != uid) {
		// The person is signed in: a wrong password is a problem of the
		// request, not of who they are.
		var p hearth.Problems
		p.Add("password", "wrong", "That is not your password.", nil)
		return nil, p.Err()
	}
	if err != nil {
		return nil, err
	}
	on, err := a.db.HasSecondFactor(ctx, uid)
	if err != nil {
		return nil, err
	}
	if on {
		if err := a.checkSecondFactor(ctx, uid, in.Code); err != nil {
			return nil, err
		}
	}
	var tag [8]byte
	rand.Read(tag[:])
	var e *sqldb.Erasure
	err = a.db.InTx(ctx, func(tx *sqldb.Tx) error {
		var err error
		if e, err = tx.EraseUser(ctx, uid, "former-"+hex.EncodeToString(tag[:]), a.now()); err != nil {
			return err
		}
		return a.audit(ctx, tx, AuditEntry{ActorID: uid, Action: "account.erased", SubjectKind: "user", SubjectID: uid})
	})
	if err != nil {
		return nil, err
	}
	// After the commit: the personal key. A failure here leaves the account
	// gone and the key in place; it is logged, and the call fails so the
	// person can be told (the key can be shredded again by an operator).
	if err := a.vault.Shred(ctx, vault.UserScope(uid)); err != nil {
		a.log.ErrorContext(ctx, "erase: shred personal key", "user", uid, "err", err)
		return nil, err
	}
	if f := a.roomEvictor.Load(); f != nil {
		for _, g := range e.Groups {
			(*f)(g, uid)
		}
	}
	a.log.InfoContext(ctx, "account erased", "user", uid, "posts_kept", e.PostsKept, "posts_removed", e.PostsRemoved)
	return &Erased{PostsKept: e.PostsKept, PostsRemoved: e.PostsRemoved, Messages: e.Messages}, nil
}
