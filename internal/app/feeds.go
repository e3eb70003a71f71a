package app

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/feeds"
	"github.com/hearth-org/hearth/internal/schedule"
	"github.com/hearth-org/hearth/internal/sqldb"
)

// The public meeting feeds (Meeting Guide JSON and Hearth's own) and the
// Meeting Guide import. Package feeds decides what a row means; this file
// loads what is listed, and stores what is imported through the same
// validation as any group.

// FeedVersion is a cheap fingerprint of everything the public feeds show
// (one query of counts and latest change times), and the latest change
// time: a feed built under an equal version, in a later second than that
// change, is still right apart from what time alone changes. (Change times
// are whole seconds: a feed built in the same second as a change may have
// missed a second change in that second.)
func (a *App) FeedVersion(ctx context.Context) (string, time.Time, error) {
	s, err := a.db.FeedStamp(ctx)
	if err != nil {
		return "", time.Time{}, err
	}
	latest := max(s.GroupsAt, s.MeetingsAt, s.PoliciesAt, s.ExceptionsAt)
	return fmt.Sprintf("%+v", s), time.Unix(latest, 0), nil
}

// listings loads every listed group with its organization, meetings,
// exceptions and link policy. groupURL makes a group's absolute page
// address from its slug.
func (a *App) listings(ctx context.Context, groupURL func(slug string) string) ([]feeds.Listing, error) {
	gs, err := a.db.ListedGroups(ctx)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(gs))
	orgIDs := []int64{}
	for i, g := range gs {
		ids[i] = g.ID
		if !slices.Contains(orgIDs, g.OrgID) {
			orgIDs = append(orgIDs, g.OrgID)
		}
	}
	// A group whose stored zone is unknown is left out (and logged), not
	// the whole feed.
	meetings, err := a.db.MeetingsByGroup(ctx, ids)
	if err := a.skipBadZones(err); err != nil {
		return nil, err
	}
	var mids []int64
	for _, ms := range meetings {
		mids = append(mids, meetingIDs(ms)...)
	}
	exceptions, err := a.db.ExceptionsByMeeting(ctx, mids)
	if err != nil {
		return nil, err
	}
	policies, err := a.db.MeetingPolicies(ctx, ids)
	if err != nil {
		return nil, err
	}
	orgs := map[int64]*hearth.Organization{}
	if len(orgIDs) > 0 {
		os, err := a.db.Organizations(ctx, orgIDs...)
		if err != nil {
			return nil, err
		}
		for _, o := range os {
			orgs[o.ID] = o
		}
	}
	out := make([]feeds.Listing, 0, len(gs))
	for _, g := range gs {
		out = append(out, feeds.Listing{Org: orgs[g.OrgID], Group: g, Meetings: meetings[g.ID], Exceptions: exceptions,
			PublishLink: policies[g.ID].PublishLink, GroupURL: groupURL(g.Slug)})
	}
	return out, nil
}

// FeedDocument is a serialized public feed.
type FeedDocument struct {
	Body []byte
	// StaleAt is when the feed goes out of date even if nothing is
	// written (its next listed occurrence begins); zero: not before the
	// next change.
	StaleAt time.Time
}

// MeetingGuideFeed is the Meeting Guide JSON feed of every listed group's
// weekly meetings (see package feeds for what it leaves out and why).
func (a *App) MeetingGuideFeed(ctx context.Context, groupURL func(slug string) string) (*FeedDocument, error) {
	ls, err := a.listings(ctx, groupURL)
	if err != nil {
		return nil, err
	}
	body, err := json.Marshal(feeds.MeetingGuide(ls, a.now()))
	if err != nil {
		return nil, fmt.Errorf("meeting guide feed: %w", err)
	}
	return &FeedDocument{Body: append(body, '\n')}, nil
}

// HearthFeed is Hearth's own feed: every listed group with its topics,
// policy, cohort, leadership and every meeting with its rule and next
// occurrences.
func (a *App) HearthFeed(ctx context.Context, groupURL func(slug string) string) (*FeedDocument, error) {
	ls, err := a.listings(ctx, groupURL)
	if err != nil {
		return nil, err
	}
	f, staleAt := feeds.Hearth(ls, a.now())
	body, err := json.Marshal(f)
	if err != nil {
		return nil, fmt.Errorf("hearth feed: %w", err)
	}
	return &FeedDocument{Body: append(body, '\n'), StaleAt: staleAt}, nil
}

// ---------------------------------------------------------------------------
// Import

// MeetingGuideImport is one import of a Meeting Guide feed.
type MeetingGuideImport struct {
	Org      string // the organization's slug: created when it does not exist
	TimeZone string // for rows without one
	Topics   []string
	Language string // of rows whose types name none; "en" when empty
	Data     []byte
}

// ImportReport says what an import did, row by row where it matters.
type ImportReport struct {
	Org        *hearth.Organization
	OrgCreated bool
	Created    int
	Updated    int
	Unchanged  int
	Skipped    []feeds.Skip
	Notes      []string       // rows imported with something left behind
	NotCarried map[string]int // type codes Hearth has no field for → rows
}

// ImportMeetingGuide imports a Meeting Guide feed into an organization (site
// admins, or the organization's admins when it exists). Every row becomes a
// listed, peer-led group with one weekly meeting, validated like any group
// and indexed for search; a row is written whole (group, meeting and link
// policy in one transaction) or not at all. Rows are matched by slug inside
// the organization, so importing the same feed again changes nothing: a row
// whose group and meeting already say the same is left alone. A group keeps
// what the feed does not carry (topics, guidelines, contact, policy,
// visibility, cost) when it is updated.
//
// The error is non-nil only when nothing could be tried: unusable input
// (not JSON, not an array), an unknown topic or language, or no right to
// import.
func (a *App) ImportMeetingGuide(ctx context.Context, actor hearth.Actor, in MeetingGuideImport) (*ImportReport, error) {
	var p hearth.Problems
	if len(in.Topics) == 0 {
		p.Add("topics", "required", "Say what the feed's meetings are about: at least one topic, like alcohol.", nil)
	}
	for _, t := range in.Topics {
		if _, ok := hearth.LookupTopic(t); !ok {
			p.Add("topics", "unknown", fmt.Sprintf("%q is not a topic Hearth knows.", hearth.Clip(t)), map[string]any{"Value": hearth.Clip(t)})
		}
	}
	if in.Language == "" {
		in.Language = "en"
	}
	if !slices.Contains(hearth.Languages, in.Language) {
		p.Add("language", "unknown", fmt.Sprintf("%q is not a language Hearth knows; use one of: %s.", hearth.Clip(in.Language), strings.Join(hearth.Languages, ", ")), nil)
	}
	if !hearth.ValidSlug(in.Org) {
		p.Add("org", "slug", "The organization's web address name must be 3–80 lower-case letters, digits or hyphens.", nil)
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	feed, err := feeds.ParseMeetingGuide(in.Data, feeds.ParseOptions{TimeZone: in.TimeZone})
	if err != nil {
		return nil, err
	}
	rep := &ImportReport{Skipped: feed.Skipped, NotCarried: map[string]int{}}

	o, err := a.db.OrganizationBySlug(ctx, in.Org)
	switch {
	case err == nil:
		if !actor.AdministersOrg(o.ID) {
			return nil, hearth.Coded(hearth.Forbidden, "forbidden", "Only this organization's administrators can import meetings into it.")
		}
	case hearth.ErrorKind(err) == hearth.NotFound:
		if !actor.CanCreateOrganization() {
			return nil, hearth.Coded(hearth.Forbidden, "forbidden", "Only site administrators can import into a new organization.")
		}
		if len(feed.Rows) == 0 {
			rep.Org = &hearth.Organization{Slug: in.Org}
			return rep, nil // nothing to import: no organization made
		}
		if o, err = a.importOrganization(ctx, actor, in.Org, feed.Entity); err != nil {
			return nil, err
		}
		rep.OrgCreated = true
	default:
		return nil, err
	}
	rep.Org = o

	existing, err := a.db.GroupsByOrganization(ctx, o.ID)
	if err != nil {
		return nil, err
	}
	bySlug := make(map[string]*hearth.Group, len(existing))
	ids := make([]int64, len(existing))
	for i, g := range existing {
		bySlug[g.Slug] = g
		ids[i] = g.ID
	}
	// A group whose stored zone is unknown is left out (and logged), not
	// the whole feed.
	meetings, err := a.db.MeetingsByGroup(ctx, ids)
	if err := a.skipBadZones(err); err != nil {
		return nil, err
	}
	policies, err := a.db.MeetingPolicies(ctx, ids)
	if err != nil {
		return nil, err
	}
	claimed := map[string]int{} // Hearth slug → feed row that took it
	opts := feeds.ImportOptions{Topics: in.Topics, Language: in.Language}
	for i := range feed.Rows {
		r := &feed.Rows[i]
		im := r.Convert(opts)
		for _, c := range im.NotCarried {
			rep.NotCarried[c]++
		}
		skip := func(reason string) {
			rep.Skipped = append(rep.Skipped, feeds.Skip{Index: r.Index, Slug: r.Slug, Name: r.Name, Reason: reason})
		}
		slug, cur, reason, err := a.importSlug(ctx, o, r.Slug, bySlug, claimed)
		if err != nil {
			return rep, err
		}
		if reason != "" {
			skip(reason)
			continue
		}
		outcome, reason, err := a.importRow(ctx, o, slug, r, im, cur, meetings[idOf(cur)], policies[idOf(cur)])
		if err != nil {
			return rep, fmt.Errorf("import %s: %w", r, err)
		}
		if reason != "" {
			skip(reason)
			continue
		}
		claimed[slug] = r.Index
		switch outcome {
		case created:
			rep.Created++
		case updated:
			rep.Updated++
		default:
			rep.Unchanged++
		}
		for _, n := range im.Notes {
			rep.Notes = append(rep.Notes, fmt.Sprintf("%s: %s", r, n))
		}
	}
	slices.SortFunc(rep.Skipped, func(x, y feeds.Skip) int { return x.Index - y.Index })
	a.log.Info("meeting guide import", "org_id", o.ID, "created", rep.Created, "updated", rep.Updated,
		"unchanged", rep.Unchanged, "skipped", len(rep.Skipped), "by", actor.UserID)
	return rep, nil
}

func idOf(g *hearth.Group) int64 {
	if g == nil {
		return 0
	}
	return g.ID
}

// importOrganization creates the organization an import names, after the
// feed's entity when there is one.
func (a *App) importOrganization(ctx context.Context, actor hearth.Actor, slug string, e feeds.Entity) (*hearth.Organization, error) {
	name := e.Name
	if name == "" {
		name = strings.ReplaceAll(slug, "-", " ")
		name = strings.ToUpper(name[:1]) + name[1:]
	}
	o := &hearth.Organization{Slug: slug, Name: clipText(name, hearth.MaxNameLen)}
	if strings.HasPrefix(e.URL, "https://") || strings.HasPrefix(e.URL, "http://") {
		o.Website = e.URL
	}
	o.Contact = e.Email
	if o.Contact == "" {
		o.Contact = e.Phone
	}
	if o.Description = "Meetings imported from a Meeting Guide feed"; e.Location != "" {
		o.Description += " (" + e.Location + ")"
	}
	o.Description += "."
	err := a.CreateOrganization(ctx, actor, o)
	if fe := hearth.AsError(err); fe != nil && fe.Kind == hearth.Invalid {
		// A contact or website the domain refuses is dropped, not fatal.
		o.Contact, o.Website = "", ""
		err = a.CreateOrganization(ctx, actor, o)
	}
	return o, err
}

func clipText(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return strings.TrimSpace(string(r[:n]))
}

// importSlug decides which Hearth group a feed slug is: the organization's
// group with the slug (or with the slug prefixed by the organization's, used
// when another organization has the plain one), or a free slug for a new
// group. A reason is given when the row cannot have one.
func (a *App) importSlug(ctx context.Context, o *hearth.Organization, feedSlug string, bySlug map[string]*hearth.Group, claimed map[string]int) (string, *hearth.Group, string, error) {
	base := feeds.GroupSlug(feedSlug)
	prefixed := hearth.Slugify(o.Slug + "-" + base)
	if len(prefixed) > 80 {
		prefixed = strings.Trim(prefixed[:80], "-")
	}
	candidates := []string{base, prefixed}
	for _, c := range candidates {
		if g, ok := bySlug[c]; ok {
			if first, dup := claimed[c]; dup {
				return "", nil, fmt.Sprintf("its slug gives the same Hearth address (%s) as row %d's", c, first), nil
			}
			return c, g, "", nil
		}
	}
	for _, c := range candidates {
		if first, dup := claimed[c]; dup {
			return "", nil, fmt.Sprintf("its slug gives the same Hearth address (%s) as row %d's", c, first), nil
		}
		taken, err := a.db.GroupSlugTaken(ctx, c)
		if err != nil {
			return "", nil, "", err
		}
		if !taken {
			return c, nil, "", nil
		}
	}
	return "", nil, fmt.Sprintf("the Hearth addresses %s and %s are both taken by other organizations' groups", base, prefixed), nil
}

type importOutcome int

const (
	unchanged importOutcome = iota
	created
	updated
)

// importRow validates a row's group and meeting and writes them in one
// transaction, or says why it cannot (reason) or that nothing changed.
func (a *App) importRow(ctx context.Context, o *hearth.Organization, slug string, r *feeds.Row, im feeds.Imported,
	cur *hearth.Group, curMeetings []*hearth.Meeting, curPolicy hearth.MeetingPolicy) (importOutcome, string, error) {
	g := im.Group
	g.Slug, g.OrgID = slug, o.ID
	if cur != nil {
		// What the feed does not carry stays as the organization set it.
		g.ID, g.CreatedAt, g.ActiveMembers, g.GuidelinesVersion = cur.ID, cur.CreatedAt, cur.ActiveMembers, cur.GuidelinesVersion
		g.Topics, g.Leadership, g.FacilitatorCredentials = cur.Topics, cur.Leadership, cur.FacilitatorCredentials
		g.Policy, g.Enrollment, g.Visibility = cur.Policy, cur.Enrollment, cur.Visibility
		g.Guidelines, g.Contact, g.Cost = cur.Guidelines, cur.Contact, cur.Cost
		rest := strings.TrimSpace(strings.TrimPrefix(cur.WhatToExpect, feeds.ClosedMeetingNote))
		if im.Group.WhatToExpect != "" {
			g.WhatToExpect = strings.TrimSpace(feeds.ClosedMeetingNote + "\n\n" + rest)
		} else {
			g.WhatToExpect = rest
		}
	}
	if err := a.prepareGroup(&g); err != nil {
		if reason := problemText(err); reason != "" {
			return unchanged, reason, nil
		}
		return unchanged, "", err
	}
	loc, err := time.LoadLocation(g.Location.TimeZone)
	if err != nil {
		return unchanged, "", err
	}

	// The meeting: the group's first weekly meeting, kept on its first date
	// while the feed still puts it on one of its days at the same time.
	m := im.Meeting
	var curM *hearth.Meeting
	for _, cm := range curMeetings {
		if cm.RRule != "" && (curM == nil || cm.ID < curM.ID) {
			curM = cm
		}
	}
	m.Start = feeds.FirstStart(a.now(), r.Days, r.Start, loc)
	if curM != nil {
		m.ID, m.GroupID, m.Title, m.Capacity = curM.ID, curM.GroupID, curM.Title, curM.Capacity
		if curM.Start.Hour()*60+curM.Start.Minute() == r.Start && slices.Contains(r.Days, curM.Start.Weekday()) {
			m.Start = curM.Start.In(loc)
		}
	}
	m.Normalize()
	problems := m.Validate()
	rule, err := schedule.ParseRule(m.RRule)
	if err == nil {
		err = schedule.ValidateSchedule(m.Start, &rule, true)
	}
	if err != nil {
		appendProblems(&problems, err)
	} else {
		m.RRule = rule.String()
	}
	if err := problems.Err(); err != nil {
		return unchanged, problemText(err), nil
	}

	publish := im.PublishLink && !curPolicy.PublishLink
	groupSame := cur != nil && sameGroup(cur, &g)
	meetingSame := curM != nil && sameMeeting(curM, &m)
	if groupSame && meetingSame && !publish {
		return unchanged, "", nil
	}
	terms := IndexTerms(&g, o.Name)
	err = a.db.InTx(ctx, func(tx *sqldb.Tx) error {
		switch {
		case cur == nil:
			if err := tx.CreateGroup(ctx, &g, terms); err != nil {
				return err
			}
		case !groupSame:
			if err := tx.UpdateImportedGroup(ctx, &g, terms); err != nil {
				return err
			}
		}
		m.GroupID = g.ID
		switch {
		case curM == nil:
			if err := tx.InsertMeeting(ctx, &m); err != nil {
				return err
			}
		case !meetingSame:
			if err := tx.UpdateMeeting(ctx, &m); err != nil {
				return err
			}
			// As when a facilitator changes a schedule: exceptions and
			// places on dates the new schedule no longer has go, and the
			// people holding those places are told.
			if _, err := a.pruneExceptions(ctx, tx, &m); err != nil {
				return err
			}
			if _, err := a.dropPlaces(ctx, tx, &g, &m); err != nil {
				return err
			}
		}
		if publish {
			lead := curPolicy.LinkLeadMinutes
			if lead == 0 {
				lead = hearth.DefaultLinkLeadMinutes
			}
			// The feed published the link: Hearth keeps publishing it.
			return tx.SetMeetingPolicy(ctx, g.ID, hearth.MeetingPolicy{PublishLink: true, LinkLeadMinutes: lead})
		}
		return nil
	})
	if err != nil {
		if reason := problemText(err); reason != "" {
			return unchanged, reason, nil
		}
		return unchanged, "", err
	}
	if cur == nil || !groupSame {
		a.indexGroup(&g, terms)
	}
	if cur == nil {
		a.log.Info("group imported", "group_id", g.ID, "org_id", o.ID)
		return created, "", nil
	}
	return updated, "", nil
}

// problemText turns a validation or conflict error into one line for the
// import report; "" for any other error.
func problemText(err error) string {
	e := hearth.AsError(err)
	if e == nil || e.Kind == hearth.Internal {
		return ""
	}
	if len(e.Fields) == 0 {
		return e.Message
	}
	parts := make([]string, 0, len(e.Fields))
	for _, f := range e.Fields {
		parts = append(parts, f.Field+": "+f.Message)
	}
	return strings.Join(parts, "; ")
}

// sameGroup reports whether a stored group already says what the import
// would write.
func sameGroup(cur, next *hearth.Group) bool {
	strip := func(g hearth.Group) []byte {
		g.ID, g.CreatedAt, g.UpdatedAt, g.ActiveMembers, g.GuidelinesVersion = 0, time.Time{}, time.Time{}, 0, 0
		if g.Enrollment != nil {
			e := *g.Enrollment
			e.Opens, e.Closes, e.Starts = e.Opens.UTC(), e.Closes.UTC(), e.Starts.UTC()
			g.Enrollment = &e
		}
		b, _ := json.Marshal(g)
		return b
	}
	return string(strip(*cur)) == string(strip(*next))
}

// sameMeeting reports whether a stored meeting already says what the
// import would write.
func sameMeeting(cur, next *hearth.Meeting) bool {
	return cur.Start.Format("2006-01-02T15:04") == next.Start.Format("2006-01-02T15:04") &&
		cur.Duration == next.Duration && cur.RRule == next.RRule && cur.Attend == next.Attend &&
		cur.Title == next.Title && cur.Capacity == next.Capacity
}
