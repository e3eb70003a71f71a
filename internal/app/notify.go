package app

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/i18n"
	"github.com/hearth-org/hearth/internal/mail"
	"github.com/hearth-org/hearth/internal/sqldb"
)

// The kinds of notice (see internal/mail for what each says).
const (
	NoticeApplicationReceived  = mail.ApplicationReceived
	NoticeApplicationApproved  = mail.ApplicationApproved
	NoticeApplicationDeclined  = mail.ApplicationDeclined
	NoticeWaitlistJoined       = mail.WaitlistJoined
	NoticeWaitlistOffer        = mail.WaitlistOffer // At: when the offer lapses
	NoticeWaitlistOfferExpired = mail.WaitlistOfferExpired
	NoticeSeatConfirmed        = mail.SeatConfirmed
	NoticeRemoved              = mail.Removed
	NoticeMeetingCancelled     = mail.MeetingCancelled // At: the cancelled occurrence's start
	NoticeMeetingMoved         = mail.MeetingMoved     // At: the new start
	NoticeReminder24h          = mail.Reminder24h      // At: the meeting's start
	NoticeReminder1h           = mail.Reminder1h       // At: the meeting's start
	NoticeSafetyAlert          = mail.SafetyAlert      // to facilitators: a member may need support (never what they wrote)
	NoticeEscalation           = mail.Escalation       // to the next on-call person: nobody acknowledged in time
	NoticeModerationAction     = mail.ModerationAction // to the person acted on (or whose appeal was decided)
	NoticeReportReceived       = mail.ReportReceived   // to moderators: a report or appeal to review
	// Board notices (NoticeBoardReply, NoticeBoardMention,
	// NoticeBoardAnnouncement) are in boardnotify.go: in-app only, counted
	// by the optional daily digest (mail.BoardDigest).
)

// Notice is one thing to tell one person.
type Notice struct {
	UserID  int64
	Kind    string // one of the Notice* kinds
	GroupID int64  // the group it is about (named on /notices only); 0 for none
	// Key makes the notice happen once: a second notify with the same
	// person and key does nothing (no second notice, no second email).
	// Name the event, e.g. "reminder_1h:occurrence:42:1767200400".
	Key string
	// Link is a path inside Hearth the notice leads to on /notices (never
	// put in an email: a group's address names it).
	Link string
	// At is the moment the notice is about: the meeting's start for
	// reminders and meeting changes, the deadline of a waitlist offer. Kinds
	// that show a time require it.
	At time.Time
}

// ReminderPrefs are a person's email reminder choices.
type ReminderPrefs = sqldb.ReminderPrefs

// StoredNotice is a notice as listed on /notices: with its group's slug,
// name and time zone, and whether it was read.
type StoredNotice = sqldb.Notice

// mailer is how the app composes mail and wakes the delivery worker.
type mailer struct {
	base   string
	worker *mail.Worker // nil: no SMTP server configured

	once     sync.Once
	composer *mail.Composer
	err      error
}

func newMailer(c Config) *mailer { return &mailer{base: c.BaseURL, worker: c.Mailer} }

func (m *mailer) compose(f mail.Facts) (string, string, error) {
	m.once.Do(func() {
		cat, err := i18n.Load()
		if err != nil {
			m.err = fmt.Errorf("load catalog for mail: %w", err)
			return
		}
		m.composer = mail.NewComposer(cat, m.base)
	})
	if m.err != nil {
		return "", "", m.err
	}
	return m.composer.Compose(f)
}

// UseMail sets Hearth's public address and the delivery worker after New:
// the command opens the database inside the app's construction and can only
// then build the worker. Call it before the app serves anyone.
func (a *App) UseMail(baseURL string, w *mail.Worker) {
	a.mail.base, a.mail.worker = baseURL, w
}

// notDeliveredAfter is how long a notice's email stays worth sending when
// it is about no particular moment (SMTP down, or set up only later).
const notDeliveredAfter = 7 * 24 * time.Hour

// notify tells a person that something happened, inside the caller's
// transaction, so the change and its notice commit together. It stores an
// in-app notice (shown on /notices) and, when the person gave an email,
// queues an email composed from the catalog in their language: the email
// says only that something happened and links to /notices; it names no
// group and carries nothing anyone wrote. Reminders honour the person's
// reminder choices. Calling it again with the same person and key does
// nothing.
func (a *App) notify(ctx context.Context, tx *sqldb.Tx, n Notice) error {
	if err := n.check(); err != nil {
		return err
	}
	row := &sqldb.Notice{UserID: n.UserID, Kind: n.Kind, GroupID: n.GroupID, Link: n.Link, About: n.At, Key: n.Key,
		CreatedAt: a.now().UTC().Truncate(time.Second)}
	added, err := tx.AddNotice(ctx, row)
	if err != nil || !added || boardNoticeKind(n.Kind) {
		// Board notices are in-app only: the daily digest counts them
		// (boardnotify.go).
		return err
	}
	c, err := tx.UserContact(ctx, n.UserID)
	if err != nil {
		return fmt.Errorf("notify %d: %w", n.UserID, err)
	}
	if c.Email == "" || (mail.Timed(n.Kind) && !n.At.After(row.CreatedAt)) {
		// No address, or the moment it is about has passed: the notice is
		// enough.
		a.log.Debug("notice stored", "notice_id", row.ID, "user_id", n.UserID, "kind", n.Kind, "email", false)
		return nil
	}
	if n.Kind == NoticeReminder24h || n.Kind == NoticeReminder1h {
		p, err := tx.ReminderPrefs(ctx, n.UserID)
		if err != nil {
			return err
		}
		if (n.Kind == NoticeReminder24h && !p.Before24h) || (n.Kind == NoticeReminder1h && !p.Before1h) {
			return nil
		}
	}
	// Times are written in the person's zone; for someone who chose none,
	// in the group's (the zone names no group).
	zone := c.TimeZone
	if zone == "" && n.GroupID != 0 && !n.At.IsZero() {
		if zone, err = tx.GroupTimeZone(ctx, n.GroupID); err != nil {
			return fmt.Errorf("notify %d: %w", n.UserID, err)
		}
	}
	subject, body, err := a.mail.compose(mail.Facts{Kind: n.Kind, Locale: c.Locale, TimeZone: zone, At: n.At})
	if err != nil {
		return err
	}
	notAfter := row.CreatedAt.Add(notDeliveredAfter)
	if mail.Timed(n.Kind) {
		notAfter = n.At
	}
	err = tx.EnqueueMail(ctx, sqldb.OutboxMail{UserID: n.UserID, To: c.Email, Kind: n.Kind, Locale: c.Locale,
		Subject: subject, Body: body, Key: fmt.Sprintf("notice:%d:%s", n.UserID, n.Key), NotAfter: notAfter})
	if err != nil {
		return err
	}
	a.log.Debug("notice stored", "notice_id", row.ID, "user_id", n.UserID, "kind", n.Kind, "email", true)
	// Wake the worker once the message is committed (never for one rolled back).
	if w := a.mail.worker; w != nil {
		tx.AfterCommit(w.Wake)
	}
	return nil
}

// check rejects a notice built wrongly: these are programming errors, not
// a person's input.
func (n Notice) check() error {
	switch {
	case n.UserID <= 0:
		return fmt.Errorf("notify: no recipient")
	case !mail.Known(n.Kind) && !boardNoticeKind(n.Kind):
		return fmt.Errorf("notify: unknown kind %q", n.Kind)
	case n.Key == "" || len(n.Key) > 200:
		return fmt.Errorf("notify %s: the key must have 1 to 200 bytes", n.Kind)
	case n.Link != "" && (!strings.HasPrefix(n.Link, "/") || strings.HasPrefix(n.Link, "//") || strings.ContainsAny(n.Link, "\\\r\n")):
		return fmt.Errorf("notify %s: the link must be a path inside Hearth", n.Kind)
	case mail.Timed(n.Kind) && n.At.IsZero():
		return fmt.Errorf("notify %s: this kind needs its time (At)", n.Kind)
	}
	return nil
}

// Notify tells a person something in a transaction of its own (for chores
// that change nothing else, like a reminder run). See notify.
func (a *App) Notify(ctx context.Context, n Notice) error {
	return a.db.InTx(ctx, func(tx *sqldb.Tx) error { return a.notify(ctx, tx, n) })
}

// RemindersEnabled reports whether Hearth can send email at all (an SMTP
// server is configured).
func (a *App) RemindersEnabled() bool { return a.mail.worker != nil }

// ReminderPrefs returns a person's email reminder choices (both on until
// they choose). The meetings' reminder run reads them; notify honours them
// too.
func (a *App) ReminderPrefs(ctx context.Context, userID int64) (ReminderPrefs, error) {
	return a.db.ReminderPrefs(ctx, userID)
}

// ReminderSettings are a person's reminder choices and whether reminders
// will reach them.
type ReminderSettings struct {
	ReminderPrefs
	// Active is true when emails will be sent: a mail server is set up and
	// the person gave an email.
	Active bool `json:"active"`
	// OffReason says why not: "no_mail_server" or "no_email".
	OffReason string `json:"off_reason,omitempty"`
	// BoardDigest: at most one email a day counting the board notices
	// waiting (off until chosen; boardnotify.go).
	BoardDigest bool `json:"board_digest"`
}

// Reminder off reasons.
const (
	RemindersOffNoMailServer = "no_mail_server"
	RemindersOffNoEmail      = "no_email"
)

// MyReminders returns the signed-in person's reminder settings.
func (a *App) MyReminders(ctx context.Context, actor hearth.Actor) (ReminderSettings, error) {
	if !actor.SignedIn() {
		return ReminderSettings{}, hearth.Errorf(hearth.Unauthorized, "Please sign in first.")
	}
	p, err := a.db.ReminderPrefs(ctx, actor.UserID)
	if err != nil {
		return ReminderSettings{}, err
	}
	u, err := a.db.User(ctx, actor.UserID)
	if err != nil {
		return ReminderSettings{}, err
	}
	s := ReminderSettings{ReminderPrefs: p, Active: true}
	if s.BoardDigest, err = a.db.BoardDigest(ctx, actor.UserID); err != nil {
		return ReminderSettings{}, err
	}
	switch {
	case !a.RemindersEnabled():
		s.Active, s.OffReason = false, RemindersOffNoMailServer
	case u.Email == "":
		s.Active, s.OffReason = false, RemindersOffNoEmail
	}
	return s, nil
}

// SetMyReminders stores the signed-in person's reminder choices.
func (a *App) SetMyReminders(ctx context.Context, actor hearth.Actor, p ReminderPrefs) (ReminderSettings, error) {
	if !actor.SignedIn() {
		return ReminderSettings{}, hearth.Errorf(hearth.Unauthorized, "Please sign in first.")
	}
	if err := a.db.SetReminderPrefs(ctx, actor.UserID, p); err != nil {
		return ReminderSettings{}, err
	}
	a.log.Info("reminder choices saved", "user_id", actor.UserID, "before_24h", p.Before24h, "before_1h", p.Before1h)
	return a.MyReminders(ctx, actor)
}

// NoticePage is how many notices one page of /notices shows.
const NoticePage = 50

// MyNotices lists the signed-in person's notices, newest first, a page at a
// time (before: the id the previous page ended with; 0 for the newest). more
// is true when older notices remain.
func (a *App) MyNotices(ctx context.Context, actor hearth.Actor, before int64) (notices []StoredNotice, more bool, err error) {
	if !actor.SignedIn() {
		return nil, false, hearth.Errorf(hearth.Unauthorized, "Please sign in first.")
	}
	list, err := a.db.Notices(ctx, actor.UserID, before, NoticePage+1)
	if err != nil {
		return nil, false, err
	}
	if len(list) > NoticePage {
		return list[:NoticePage], true, nil
	}
	return list, false, nil
}

// UnreadNotices counts the signed-in person's unread notices (0 for nobody).
func (a *App) UnreadNotices(ctx context.Context, actor hearth.Actor) (int, error) {
	if !actor.SignedIn() {
		return 0, nil
	}
	return a.db.UnreadNotices(ctx, actor.UserID)
}

// MarkNoticesRead marks the person's notices up to upTo (0: all) as read
// and says how many were unread.
func (a *App) MarkNoticesRead(ctx context.Context, actor hearth.Actor, upTo int64) (int64, error) {
	if !actor.SignedIn() {
		return 0, hearth.Errorf(hearth.Unauthorized, "Please sign in first.")
	}
	return a.db.MarkNoticesRead(ctx, actor.UserID, upTo, a.now())
}
