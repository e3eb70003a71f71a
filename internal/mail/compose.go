package mail

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hearth-org/hearth/internal/i18n"
)

// The kinds of notice Hearth sends. Each has an in-app text
// (notice.<kind> in the catalog) and an email (mail.<kind>.subject and
// mail.<kind>.body).
const (
	ApplicationReceived  = "application_received"   // to facilitators: someone applied
	ApplicationApproved  = "application_approved"   // to the applicant
	ApplicationDeclined  = "application_declined"   // to the applicant
	WaitlistJoined       = "waitlist_joined"        // to the person now in line
	WaitlistOffer        = "waitlist_offer"         // a seat is offered until At
	WaitlistOfferExpired = "waitlist_offer_expired" // the offer lapsed
	SeatConfirmed        = "seat_confirmed"         // the person has a seat
	Removed              = "removed"                // a facilitator removed the person
	MeetingCancelled     = "meeting_cancelled"      // the occurrence at At is cancelled
	MeetingMoved         = "meeting_moved"          // the occurrence now starts at At
	Reminder24h          = "reminder_24h"           // the meeting starts at At, in about a day
	Reminder1h           = "reminder_1h"            // the meeting starts at At, in about an hour
	SafetyAlert          = "safety_alert"           // to facilitators and on-call: a member may need support (never what they wrote)
	Escalation           = "escalation"             // to the next on-call person: nobody has acknowledged an alert yet
	ModerationAction     = "moderation_action"      // to the person a moderator acted on, or whose appeal was decided (never the reason's words)
	ReportReceived       = "report_received"        // to moderators: a report or an appeal waits in the review queue
	BoardDigest          = "board_digest"           // at most daily, to who chose it: how many board replies, mentions and announcements wait (Facts' counts; never a group, never a word anyone wrote)
)

// Kinds lists every kind of notice.
var Kinds = []string{
	ApplicationReceived, ApplicationApproved, ApplicationDeclined,
	WaitlistJoined, WaitlistOffer, WaitlistOfferExpired, SeatConfirmed, Removed,
	MeetingCancelled, MeetingMoved, Reminder24h, Reminder1h,
	SafetyAlert, Escalation,
	ModerationAction, ReportReceived,
	BoardDigest,
}

// Known reports whether kind is one of Kinds.
func Known(kind string) bool { return slices.Contains(Kinds, kind) }

// Timed reports whether a kind is about a moment (a meeting, an offer's
// deadline) that its texts show, so a notice of it must carry one.
func Timed(kind string) bool {
	switch kind {
	case WaitlistOffer, MeetingCancelled, MeetingMoved, Reminder24h, Reminder1h:
		return true
	}
	return false
}

// Composer writes emails from the message catalog.
type Composer struct {
	cat  *i18n.Catalog
	base string
}

// NewComposer returns a composer whose links start with baseURL (Hearth's
// public address, like https://hearth.example.org); with no base URL the
// email says to sign in to Hearth, without a link.
func NewComposer(cat *i18n.Catalog, baseURL string) *Composer {
	return &Composer{cat: cat, base: strings.TrimRight(baseURL, "/")}
}

// Facts are all an email may know: what happened, when, and how to write
// it for the reader. Deliberately no group and no text anyone wrote.
type Facts struct {
	Kind     string
	Locale   string    // the reader's language; "" for the default
	TimeZone string    // the reader's IANA zone; "" for UTC
	At       time.Time // the moment a timed kind is about

	// The board digest's counts: new replies in threads the reader
	// follows, mentions of them, announcements. Numbers only.
	Replies, Mentions, Announcements int
}

// Compose returns the subject and plain-text body of an email.
func (c *Composer) Compose(f Facts) (subject, body string, err error) {
	if !Known(f.Kind) {
		return "", "", fmt.Errorf("compose: unknown notice kind %q", f.Kind)
	}
	if Timed(f.Kind) && f.At.IsZero() {
		return "", "", fmt.Errorf("compose: a %s notice needs its time", f.Kind)
	}
	loc := c.cat.Locale(f.Locale)
	when := ""
	if !f.At.IsZero() {
		when = FormatWhen(loc, f.At, f.TimeZone)
	}
	subject = loc.T("mail." + f.Kind + ".subject")
	var b strings.Builder
	b.WriteString(loc.T("mail.greeting"))
	b.WriteString("\n\n")
	if f.Kind == BoardDigest {
		b.WriteString(digestBody(loc, f))
	} else {
		b.WriteString(loc.T("mail."+f.Kind+".body", "when", when))
	}
	b.WriteString("\n\n")
	if c.base != "" {
		b.WriteString(loc.T("mail.read_on_hearth"))
		b.WriteString("\n")
		b.WriteString(c.base + "/notices")
	} else {
		b.WriteString(loc.T("mail.read_on_hearth_nolink"))
	}
	b.WriteString("\n\n-- \n")
	b.WriteString(loc.T("mail.footer.discreet"))
	b.WriteString("\n")
	if c.base != "" {
		b.WriteString(loc.T("mail.footer.why", "account", c.base+"/account"))
	} else {
		b.WriteString(loc.T("mail.footer.why_nolink"))
	}
	b.WriteString("\n")
	return subject, b.String(), nil
}

// digestBody says how many board notices wait, counts only: "You have 3
// new replies and 1 announcement on Hearth."
func digestBody(loc *i18n.Locale, f Facts) string {
	var parts []string
	for _, c := range []struct {
		key string
		n   int
	}{{"mail.board_digest.replies", f.Replies}, {"mail.board_digest.mentions", f.Mentions}, {"mail.board_digest.announcements", f.Announcements}} {
		if c.n > 0 {
			parts = append(parts, loc.T(c.key, "count", c.n))
		}
	}
	var what string
	switch len(parts) {
	case 0:
		return loc.T("mail.board_digest.body_none")
	case 1:
		what = parts[0]
	default:
		what = loc.T("mail.board_digest.and", "list", strings.Join(parts[:len(parts)-1], loc.T("mail.board_digest.comma")), "last", parts[len(parts)-1])
	}
	return loc.T("mail.board_digest.body", "what", what)
}

// FormatWhen writes a moment in the reader's zone and language, with the
// zone's abbreviation ("Tuesday, March 3, 2026 6:30 PM CET").
func FormatWhen(loc *i18n.Locale, t time.Time, zone string) string {
	z, err := time.LoadLocation(zone)
	if zone == "" || err != nil {
		z = time.UTC
	}
	return loc.DateTime(t.In(z))
}
