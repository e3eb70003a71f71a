package app

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/schedule"
)

// Calendars (iCalendar, RFC 5545): a public feed per group, and a private
// feed per person behind a secret address whose hash alone is stored.

// calendarRefresh is how often calendar apps are asked to read a feed.
const calendarRefresh = time.Hour

// PublicBase is Hearth's configured public address ("" when none).
func (a *App) PublicBase() string {
	if a.mail == nil {
		return ""
	}
	return strings.TrimRight(a.mail.base, "/")
}

// uidHost is the host part of calendar UIDs.
func uidHost(base string) string {
	if u, err := url.Parse(base); err == nil && u.Host != "" {
		return u.Host
	}
	return "hearth.invalid"
}

// placeOf is a group's address as a calendar LOCATION.
func placeOf(g *hearth.Group) string {
	l := g.Location
	var parts []string
	for _, p := range []string{l.Address, l.City, l.Region, l.PostalCode} {
		if p = strings.TrimSpace(p); p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, ", ")
}

// GroupCalendar writes a group's public calendar: every meeting with its
// recurrence, cancellations and moves, in the group's zone. It carries
// nothing private: no member, no conference link or dial-in unless the group
// publishes them. Listed and unlisted groups have one (an unlisted group's
// page is public to whoever has its address, and so is its calendar);
// private groups do not (NotFound, as their page).
func (a *App) GroupCalendar(ctx context.Context, slug, base string, w io.Writer) error {
	g, err := a.db.GroupBySlug(ctx, slug)
	if err != nil {
		return err
	}
	if g.Visibility == hearth.Private {
		return hearth.Errorf(hearth.NotFound, "The group was not found.")
	}
	pol, err := a.db.MeetingPolicy(ctx, g.ID)
	if err != nil {
		return err
	}
	byGroup, err := a.db.MeetingsByGroup(ctx, []int64{g.ID})
	if err != nil {
		return err
	}
	ms := byGroup[g.ID]
	excs, err := a.db.ExceptionsByMeeting(ctx, meetingIDs(ms))
	if err != nil {
		return err
	}
	cal := schedule.Calendar{Name: g.Name, Description: hearth.Clip(g.Description), Refresh: calendarRefresh}
	for _, m := range ms {
		cal.Events = append(cal.Events, meetingEvent(g, m, excs[m.ID], pol, base))
	}
	return schedule.WriteCalendar(w, cal)
}

// meetingEvent is one meeting as a calendar event. The conference link and
// dial-in appear only when the group publishes them; otherwise the event
// leads to the meeting's page on Hearth, where members see the link when it
// is time.
func meetingEvent(g *hearth.Group, m *hearth.Meeting, excs []hearth.MeetingException, pol hearth.MeetingPolicy, base string) schedule.Event {
	summary := g.Name
	if m.Title != "" {
		summary += " — " + m.Title
	}
	var desc []string
	at := m.Attend
	if at.VenueNotes != "" {
		desc = append(desc, at.VenueNotes)
	}
	page := base + "/groups/" + g.Slug + fmt.Sprintf("/meetings/%d/next", m.ID)
	e := schedule.Event{UID: fmt.Sprintf("meeting-%d@%s", m.ID, uidHost(base)), Summary: summary, Start: m.Start, Duration: duration(m),
		Rule: ruleOf(m), Exceptions: excs, Stamp: m.UpdatedAt, URL: page}
	if at.Mode.HasPlace() {
		e.Location = placeOf(g)
	}
	switch {
	case pol.PublishLink && (at.ConferenceURL != "" || at.Phone != ""):
		if at.ConferenceURL != "" {
			e.URL = at.ConferenceURL
			desc = append(desc, "Join online: "+at.ConferenceURL)
			if e.Location == "" {
				e.Location = at.ConferenceURL
			}
		}
		if at.Phone != "" {
			line := "Dial in: " + at.Phone
			if at.AccessCode != "" {
				line += " (code " + at.AccessCode + ")"
			}
			desc = append(desc, line)
		}
	case at.Online() || at.Phone != "":
		desc = append(desc, fmt.Sprintf("Members see how to join on Hearth from %d minutes before the start: %s", pol.LinkLeadMinutes, page))
	}
	e.Description = strings.Join(desc, "\n")
	if e.Stamp.IsZero() {
		e.Stamp = m.CreatedAt
	}
	return e
}

// --- private calendars ---

// CalendarAddress says whether the person has a private calendar address
// and since when (zero: none).
func (a *App) CalendarAddress(ctx context.Context, actor hearth.Actor) (time.Time, error) {
	if !actor.SignedIn() {
		return time.Time{}, hearth.Errorf(hearth.Unauthorized, "Please sign in.")
	}
	return a.db.CalendarTokenCreated(ctx, actor.UserID)
}

// NewCalendarAddress makes the person a new secret calendar address and
// returns its secret (shown once; only its hash is kept). The old address
// stops working.
func (a *App) NewCalendarAddress(ctx context.Context, actor hearth.Actor) (string, error) {
	if !actor.SignedIn() {
		return "", hearth.Errorf(hearth.Unauthorized, "Please sign in.")
	}
	secret, hash := newToken("")
	if err := a.db.SetCalendarToken(ctx, actor.UserID, hash); err != nil {
		return "", err
	}
	a.log.Info("calendar address made", "user_id", actor.UserID)
	return secret, nil
}

// DeleteCalendarAddress turns the person's calendar address off.
func (a *App) DeleteCalendarAddress(ctx context.Context, actor hearth.Actor) error {
	if !actor.SignedIn() {
		return hearth.Errorf(hearth.Unauthorized, "Please sign in.")
	}
	return a.db.DeleteCalendarToken(ctx, actor.UserID)
}

// PersonalCalendar writes the private calendar behind a secret address:
// every meeting of every group the person is an active member of, and each
// occurrence they hold a place at in other groups. Conference links appear
// only where the group publishes them; otherwise events lead to the
// meeting's page on Hearth (where the person's own link shows when it is
// time). An unknown secret is NotFound.
func (a *App) PersonalCalendar(ctx context.Context, secret, base string, w io.Writer) error {
	if len(secret) < 20 || len(secret) > 100 {
		return hearth.Errorf(hearth.NotFound, "The calendar was not found.")
	}
	u, err := a.db.UserByCalendarToken(ctx, hashToken(secret))
	if err != nil {
		return err
	}
	active, err := a.db.ActiveGroupsOf(ctx, u.ID)
	if err != nil {
		return err
	}
	from := a.now().Add(-31 * 24 * time.Hour)
	rsvps, err := a.db.RSVPsOf(ctx, u.ID, from)
	if err != nil {
		return err
	}
	rsvpGroups, err := a.db.GroupsWithRSVPsOf(ctx, u.ID, from)
	if err != nil {
		return err
	}
	ids := slices.Compact(slices.Sorted(slices.Values(append(slices.Clone(active), rsvpGroups...))))
	groups, err := a.db.GroupsByID(ctx, ids)
	if err != nil {
		return err
	}
	byGroup, err := a.db.MeetingsByGroup(ctx, ids)
	if err = a.skipBadZones(err); err != nil {
		return err
	}
	pols, err := a.db.MeetingPolicies(ctx, ids)
	if err != nil {
		return err
	}
	var all []*hearth.Meeting
	for _, ms := range byGroup {
		all = append(all, ms...)
	}
	excs, err := a.db.ExceptionsByMeeting(ctx, meetingIDs(all))
	if err = a.skipBadZones(err); err != nil {
		return err
	}
	cal := schedule.Calendar{Name: "Hearth", Description: "Your meetings on Hearth", Refresh: calendarRefresh}
	for _, g := range groups {
		pol, ok := pols[g.ID]
		if !ok {
			pol = hearth.MeetingPolicy{LinkLeadMinutes: hearth.DefaultLinkLeadMinutes}
		}
		member := slices.Contains(active, g.ID)
		for _, m := range byGroup[g.ID] {
			if member {
				cal.Events = append(cal.Events, meetingEvent(g, m, excs[m.ID], pol, base))
				continue
			}
			// Not a member: the occurrences they hold a place at, each as
			// its own event.
			for _, r := range rsvps {
				if r.MeetingID != m.ID {
					continue
				}
				o, err := a.findOccurrence(ctx, m, r.Original)
				if err != nil {
					continue // the schedule changed under the RSVP
				}
				e := meetingEvent(g, m, nil, pol, base)
				e.UID = fmt.Sprintf("meeting-%d-%d@%s", m.ID, o.Original.Unix(), uidHost(base))
				e.Start, e.Duration, e.Rule = o.Start, o.End.Sub(o.Start), nil
				if e.URL == base+"/groups/"+g.Slug+fmt.Sprintf("/meetings/%d/next", m.ID) {
					e.URL = base + OccurrencePath(g.Slug, m.ID, o.Original)
				}
				if o.Cancelled {
					e.Status = "CANCELLED"
				}
				cal.Events = append(cal.Events, e)
			}
		}
	}
	return schedule.WriteCalendar(w, cal)
}

// NextOccurrence returns the meeting's next occurrence that has not ended
// (for "/meetings/{id}/next" links in calendars), or NotFound.
func (a *App) NextOccurrence(ctx context.Context, actor hearth.Actor, slug string, meetingID int64) (time.Time, error) {
	_, m, err := a.visibleMeeting(ctx, actor, slug, meetingID)
	if err != nil {
		return time.Time{}, err
	}
	excs, err := a.db.ExceptionsByMeeting(ctx, []int64{m.ID})
	if err != nil {
		return time.Time{}, err
	}
	o, ok := schedule.Next(m.Start, duration(m), ruleOf(m), excs[m.ID], a.now())
	if !ok {
		return time.Time{}, hearth.Coded(hearth.NotFound, "no_next_meeting", "This meeting has no more dates.")
	}
	return o.Original, nil
}
