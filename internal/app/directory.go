package app

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/directory"
	"github.com/hearth-org/hearth/internal/schedule"
	"github.com/hearth-org/hearth/internal/terms"
)

// Search finds listed groups for a directory query. A place name is resolved
// with the bundled gazetteer; an unknown place is an Invalid error that says
// what to type instead.
func (a *App) Search(ctx context.Context, s hearth.Search) (*hearth.Results, error) {
	now := a.now()
	res := &hearth.Results{Page: s.Page, PerPage: s.PerPage}
	if s.PerPage <= 0 {
		res.PerPage = hearth.DefaultPerPage
	}
	if s.Page <= 0 {
		res.Page = 1
	}
	if s.Near == nil && s.Place != "" {
		p, ok := a.gaz.Lookup(s.Place)
		if !ok {
			return nil, &hearth.Error{Kind: hearth.Invalid, Code: "unknown_place", Message: "We could not find that place.",
				Fields: []hearth.FieldError{{Field: "place", Code: "unknown_place",
					Message: fmt.Sprintf("We could not find %q. Try a city name, like Austin or Madrid, or a postal code.", s.Place),
					Params:  map[string]any{"Value": s.Place}}}}
		}
		s.Near = &hearth.Point{Lat: p.Lat, Lon: p.Lon}
		res.Place = p.Label()
		if s.ViewerZone == "" {
			s.ViewerZone = p.TimeZone
		}
	}
	if s.Sort == hearth.SortDistance && s.Near == nil {
		return nil, &hearth.Error{Kind: hearth.Invalid, Code: "needs_place", Message: "To sort by distance, say where you are.",
			Fields: []hearth.FieldError{{Field: "place", Code: "needs_place", Message: "To sort by distance, say where you are: a city or a postal code."}}}
	}
	res.Near = s.Near
	viewer := time.UTC
	if s.ViewerZone != "" {
		if loc, err := time.LoadLocation(s.ViewerZone); err == nil {
			viewer = loc
		}
	}

	q := directory.Query{
		Topics:        s.Topics,
		Formats:       s.Formats,
		Leadership:    s.Leadership,
		Policy:        s.Policy,
		Languages:     s.Languages,
		AgeBand:       s.AgeBand,
		Gender:        s.Gender,
		Communities:   s.Communities,
		Access:        s.Accessibility,
		Costs:         s.Costs,
		Near:          s.Near,
		RadiusKm:      s.RadiusKm,
		ExcludeRemote: s.ExcludeRemote,
		Sort:          s.EffectiveSort(),
		Now:           now,
		Limit:         res.PerPage,
		Offset:        (res.Page - 1) * res.PerPage,
	}
	for _, w := range terms.Query(s.Text) {
		q.Words = append(q.Words, w.Stems)
	}
	if s.AcceptingNow {
		q.AcceptingAt = now
	}
	if s.HasTimeFilter() {
		q.Windows = utcWindows(s.Days, s.From, s.To, viewer, now)
	}
	index, err := a.directory(ctx)
	if err != nil {
		return nil, err
	}
	matches, total := index.Search(q)
	ids := make([]int64, len(matches))
	for i, m := range matches {
		ids[i] = m.ID
	}
	groups, err := a.db.GroupsByID(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("load results: %w", err)
	}
	res.Total = total
	res.Search = s
	_, ahead, err := a.meetingsAhead(ctx, ids, now)
	if err != nil {
		return nil, err
	}
	for i, g := range groups {
		next, _ := nextHeld(ahead[g.ID], now)
		h := hearth.Hit{Group: g, Score: matches[i].Score, NextMeeting: next}
		if s.Near != nil && g.Location.HasPoint && !g.Format.Remote() {
			d := hearth.DistanceKm(*s.Near, hearth.Point{Lat: g.Location.Lat, Lon: g.Location.Lon})
			h.DistanceKm = &d
		}
		res.Hits = append(res.Hits, h)
	}
	return res, nil
}

// meetingsAhead loads the groups' meetings and, by group, their
// occurrences over the next three months (cancelled ones included, moved
// ones at their new time), sorted by start: the truth about when a group
// meets, where the simple weekly schedule is only a summary.
func (a *App) meetingsAhead(ctx context.Context, groupIDs []int64, now time.Time) (map[int64][]*hearth.Meeting, map[int64][]hearth.Occurrence, error) {
	if len(groupIDs) == 0 {
		return nil, nil, nil
	}
	byGroup, err := a.db.MeetingsByGroup(ctx, groupIDs)
	if err != nil {
		return nil, nil, fmt.Errorf("meetings of groups: %w", err)
	}
	var mids []int64
	for _, ms := range byGroup {
		mids = append(mids, meetingIDs(ms)...)
	}
	excs, err := a.db.ExceptionsByMeeting(ctx, mids)
	if err != nil {
		return nil, nil, fmt.Errorf("meeting exceptions: %w", err)
	}
	occs := make(map[int64][]hearth.Occurrence, len(byGroup))
	for gid, ms := range byGroup {
		var list []hearth.Occurrence
		for _, m := range ms {
			list = append(list, expand(m, excs[m.ID], now, now.Add(upcomingWindow))...)
		}
		slices.SortStableFunc(list, func(x, y hearth.Occurrence) int { return x.Start.Compare(y.Start) })
		occs[gid] = list
	}
	return byGroup, occs, nil
}

// FormOwnsSchedule reports whether the group form's simple weekly day, time
// and length still say when the group meets: while it has no meeting, or
// exactly one that recurs every week on one day without end (which saving
// the form moves). Once it has more, or another rhythm, the meetings page
// owns the schedule and the form must leave it alone (UpdateGroup would
// otherwise put the first meeting's schedule back without a word).
func (a *App) FormOwnsSchedule(ctx context.Context, g *hearth.Group) (bool, error) {
	byGroup, err := a.db.MeetingsByGroup(ctx, []int64{g.ID})
	if err != nil {
		return false, fmt.Errorf("group %d meetings: %w", g.ID, err)
	}
	ms := byGroup[g.ID]
	switch len(ms) {
	case 0:
		return true, nil
	case 1:
		r := ruleOf(ms[0])
		return r != nil && r.Freq == schedule.FreqWeekly && r.Interval == 1 && len(r.ByDay) == 1 && !r.Ends(), nil
	}
	return false, nil
}

// nextHeld finds, among occurrences sorted by start, the first that takes
// place and has not begun, and the cancelled ones before it (at most three).
func nextHeld(occs []hearth.Occurrence, now time.Time) (time.Time, []hearth.Occurrence) {
	var off []hearth.Occurrence
	for _, o := range occs {
		if o.Start.Before(now) {
			continue
		}
		if !o.Cancelled {
			return o.Start, off
		}
		if len(off) < 3 {
			off = append(off, o)
		}
	}
	return time.Time{}, off
}

// utcWindows turns days and a start-time window in the viewer's zone into
// ranges of the UTC week (inclusive), split where they wrap past Saturday.
func utcWindows(days []time.Weekday, from, to int, viewer *time.Location, now time.Time) [][2]int {
	if len(days) == 0 {
		days = []time.Weekday{0, 1, 2, 3, 4, 5, 6}
	}
	if from < 0 {
		from = 0
	}
	if to < 0 {
		to = 1439
	}
	if to >= 1440 {
		to = 1439
	}
	_, off := now.In(viewer).Zone()
	span := to - from
	if span < 0 { // past midnight: 22:00–02:00
		span += 1440
	}
	var out [][2]int
	for _, d := range days {
		start := ((int(d)*1440+from-off/60)%10080 + 10080) % 10080
		end := start + span
		if end < 10080 {
			out = append(out, [2]int{start, end})
		} else {
			out = append(out, [2]int{start, 10079}, [2]int{0, end - 10080})
		}
	}
	return out
}

// GroupView is everything a newcomer needs to know before going, and what
// the viewer may do.
type GroupView struct {
	Group        *hearth.Group
	Organization *hearth.Organization
	Facilitators []string // pseudonyms
	Membership   *hearth.Membership
	// NextMeeting is when the group next meets: the first occurrence of any
	// of its meetings (a moved one at its new time) that is not cancelled
	// and has not begun, within three months; zero when there is none.
	NextMeeting time.Time
	// CalledOff are the cancelled occurrences before NextMeeting (at most
	// three), with their notes: the page says "No meeting on …".
	CalledOff []hearth.Occurrence
	// Meetings are the group's meetings with an occurrence in the next
	// three months, recurring ones first: what "meets" means, where the
	// simple weekly schedule is only the first one's summary.
	Meetings   []*hearth.Meeting
	Accepting  bool
	CanEdit    bool
	CanAppoint bool
	// ReadsBoard: the viewer reads the group's board (an active member, or
	// an alumna where the group lets alumni read).
	ReadsBoard bool
}

// Group returns the group page's content. A private group is NotFound to
// anyone who may not see it, so its existence is not revealed.
func (a *App) Group(ctx context.Context, actor hearth.Actor, slug string) (*GroupView, error) {
	g, err := a.db.GroupBySlug(ctx, slug)
	if err != nil {
		return nil, err
	}
	if !actor.CanSeeGroup(g) {
		return nil, hearth.Errorf(hearth.NotFound, "The group was not found.")
	}
	org, err := a.db.Organization(ctx, g.OrgID)
	if err != nil {
		return nil, fmt.Errorf("group %d organization: %w", g.ID, err)
	}
	now := a.now()
	v := &GroupView{Group: g, Organization: org, Accepting: g.AcceptingAt(now),
		CanEdit: actor.CanEditGroup(g), CanAppoint: actor.CanAppointFacilitators(g)}
	meetings, ahead, err := a.meetingsAhead(ctx, []int64{g.ID}, now)
	if err != nil {
		return nil, err
	}
	v.NextMeeting, v.CalledOff = nextHeld(ahead[g.ID], now)
	for _, m := range meetings[g.ID] {
		if slices.ContainsFunc(ahead[g.ID], func(o hearth.Occurrence) bool { return o.MeetingID == m.ID }) {
			v.Meetings = append(v.Meetings, m)
		}
	}
	slices.SortStableFunc(v.Meetings, func(x, y *hearth.Meeting) int {
		if (x.RRule == "") != (y.RRule == "") { // recurring ones first
			if x.RRule != "" {
				return -1
			}
			return 1
		}
		return x.Start.Compare(y.Start)
	})
	fs, err := a.db.Facilitators(ctx, g.ID)
	if err != nil {
		return nil, err
	}
	for _, f := range fs {
		v.Facilitators = append(v.Facilitators, f.Pseudonym)
	}
	if actor.SignedIn() {
		m, err := a.db.Membership(ctx, g.ID, actor.UserID)
		switch {
		case err == nil:
			v.Membership = m
		case hearth.ErrorKind(err) != hearth.NotFound:
			return nil, err
		}
		if m != nil && (m.Status == hearth.StatusActive || m.Status == hearth.StatusAlumni) {
			r, err := a.boardReaderOf(ctx, actor, g)
			if err != nil && hearth.ErrorKind(err) != hearth.Forbidden {
				return nil, err
			}
			v.ReadsBoard = r != nil
		}
	}
	return v, nil
}

// JoinGroup makes the actor a member of an open group under a pseudonym,
// after they accepted the group's current guidelines: at once when a seat is
// free, else on the waiting list (see Join, which also takes contact
// sharing).
func (a *App) JoinGroup(ctx context.Context, actor hearth.Actor, slug, pseudonym string, acceptedGuidelines bool) (*hearth.Membership, error) {
	return a.Join(ctx, actor, slug, JoinRequest{Pseudonym: pseudonym, AcceptGuidelines: acceptedGuidelines})
}

// IndexTerms builds a group's search terms: its name weighs most, then its
// topics (in English and Spanish, with synonyms), its organization, its
// place, and its descriptive text.
func IndexTerms(g *hearth.Group, orgName string) map[string]int {
	var topicWords []string
	for _, slug := range g.Topics {
		t, ok := hearth.LookupTopic(slug)
		if !ok {
			continue
		}
		topicWords = append(topicWords, t.Name["en"], t.Name["es"])
		topicWords = append(topicWords, t.Synonyms...)
		if parent, ok := hearth.LookupTopic(t.Parent); ok {
			topicWords = append(topicWords, parent.Name["en"], parent.Name["es"])
		}
	}
	return terms.Index(
		terms.Field{Text: g.Name, Weight: 8},
		terms.Field{Text: strings.Join(topicWords, " "), Weight: 5},
		terms.Field{Text: orgName, Weight: 3},
		terms.Field{Text: g.Location.City + " " + g.Location.Region, Weight: 2},
		terms.Field{Text: g.Description + " " + g.WhatToExpect + " " + g.FacilitatorCredentials, Weight: 1},
	)
}
