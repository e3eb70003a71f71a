package app

import (
	"context"
	"fmt"
	"strings"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/demo"
	"github.com/hearth-org/hearth/internal/schedule"
	"github.com/hearth-org/hearth/internal/sqldb"
)

// Organization returns an organization by slug.
func (a *App) Organization(ctx context.Context, slug string) (*hearth.Organization, error) {
	return a.db.OrganizationBySlug(ctx, slug)
}

// ManagedOrganizations lists the organizations the actor administers (all of
// them for a site admin).
func (a *App) ManagedOrganizations(ctx context.Context, actor hearth.Actor) ([]*hearth.Organization, error) {
	if !actor.SignedIn() {
		return nil, hearth.Errorf(hearth.Unauthorized, "Please sign in.")
	}
	if actor.SiteAdmin {
		return a.db.Organizations(ctx)
	}
	if len(actor.OrgAdminOf) == 0 {
		return []*hearth.Organization{}, nil
	}
	return a.db.Organizations(ctx, actor.OrgAdminOf...)
}

// CreateOrganization adds an organization (site admins only).
func (a *App) CreateOrganization(ctx context.Context, actor hearth.Actor, o *hearth.Organization) error {
	if !actor.CanCreateOrganization() {
		return hearth.Coded(hearth.Forbidden, "forbidden", "Only site administrators can add organizations.")
	}
	o.Normalize()
	if o.Slug == "" {
		o.Slug = hearth.Slugify(o.Name)
	}
	if err := o.Validate(); err != nil {
		return err
	}
	if err := a.db.CreateOrganization(ctx, o); err != nil {
		return err
	}
	a.log.Info("organization created", "org_id", o.ID, "by", actor.UserID)
	return nil
}

// UpdateOrganization changes an organization's details (its admins).
func (a *App) UpdateOrganization(ctx context.Context, actor hearth.Actor, slug string, o *hearth.Organization) error {
	cur, err := a.db.OrganizationBySlug(ctx, slug)
	if err != nil {
		return err
	}
	if !actor.AdministersOrg(cur.ID) {
		return hearth.Coded(hearth.Forbidden, "forbidden", "Only this organization's administrators can change it.")
	}
	o.ID, o.Slug, o.CreatedAt = cur.ID, cur.Slug, cur.CreatedAt
	o.Normalize()
	if err := o.Validate(); err != nil {
		return err
	}
	return a.db.UpdateOrganization(ctx, o)
}

// AddOrgAdmin makes an account an administrator of an organization (site
// admins, or the organization's own admins).
func (a *App) AddOrgAdmin(ctx context.Context, actor hearth.Actor, orgSlug, handle string) error {
	o, err := a.db.OrganizationBySlug(ctx, orgSlug)
	if err != nil {
		return err
	}
	if !actor.AdministersOrg(o.ID) {
		return hearth.Coded(hearth.Forbidden, "forbidden", "Only this organization's administrators can add administrators.")
	}
	u, err := a.accountByHandle(ctx, handle)
	if err != nil {
		return err
	}
	if err := a.db.AddOrgAdmin(ctx, o.ID, u.ID); err != nil {
		return fmt.Errorf("add org admin: %w", err)
	}
	a.log.Info("organization admin added", "org_id", o.ID, "user_id", u.ID, "by", actor.UserID)
	return nil
}

// OrgAdmins lists an organization's administrators, for its administrators.
func (a *App) OrgAdmins(ctx context.Context, actor hearth.Actor, orgSlug string) ([]*hearth.User, error) {
	o, err := a.db.OrganizationBySlug(ctx, orgSlug)
	if err != nil {
		return nil, err
	}
	if !actor.AdministersOrg(o.ID) {
		return nil, hearth.Coded(hearth.Forbidden, "forbidden", "Only this organization's administrators can see this.")
	}
	return a.db.OrgAdmins(ctx, o.ID)
}

// OrganizationGroups lists every group of an organization, unlisted and
// private ones included, for its administrators.
func (a *App) OrganizationGroups(ctx context.Context, actor hearth.Actor, orgSlug string) (*hearth.Organization, []*hearth.Group, error) {
	o, err := a.db.OrganizationBySlug(ctx, orgSlug)
	if err != nil {
		return nil, nil, err
	}
	if !actor.AdministersOrg(o.ID) {
		return nil, nil, hearth.Coded(hearth.Forbidden, "forbidden", "Only this organization's administrators can see all its groups.")
	}
	gs, err := a.db.GroupsByOrganization(ctx, o.ID)
	return o, gs, err
}

// groupAllowed loads a group for someone who wants to act on it: NotFound
// when they may not even see it (a private group stays secret), Forbidden
// when they may see it but not do this.
func (a *App) groupAllowed(ctx context.Context, actor hearth.Actor, slug string, may func(*hearth.Group) bool, forbidden string) (*hearth.Group, error) {
	g, err := a.db.GroupBySlug(ctx, slug)
	if err != nil {
		return nil, err
	}
	if !may(g) {
		if !actor.CanSeeGroup(g) {
			return nil, hearth.Errorf(hearth.NotFound, "The group was not found.")
		}
		return nil, hearth.Coded(hearth.Forbidden, "forbidden", forbidden)
	}
	return g, nil
}

// accountByHandle finds the account someone names in a form; an unknown
// handle is a problem with that field.
func (a *App) accountByHandle(ctx context.Context, handle string) (*hearth.User, error) {
	u, _, err := a.db.UserByHandle(ctx, hearth.NormalizeHandle(handle))
	if hearth.ErrorKind(err) == hearth.NotFound {
		return nil, &hearth.Error{Kind: hearth.Invalid, Code: "invalid", Message: "Please correct the highlighted fields.",
			Fields: []hearth.FieldError{{Field: "handle", Code: "no_account", Message: "No account has that handle. Ask the person to sign up first."}}}
	}
	return u, err
}

// prepareGroup normalizes and validates a group, filling its position and
// time zone from the gazetteer when only a postal code or city was given.
func (a *App) prepareGroup(g *hearth.Group) error {
	g.Normalize()
	if g.Slug == "" {
		g.Slug = hearth.Slugify(g.Name)
	}
	loc := &g.Location
	if !loc.HasPoint && (loc.PostalCode != "" || loc.City != "") && a.gaz != nil {
		for _, q := range []string{joinNonEmpty(loc.PostalCode, loc.Country), joinNonEmpty(loc.City, loc.Region), joinNonEmpty(loc.City, loc.Country), loc.City} {
			if q == "" || strings.HasPrefix(q, ", ") {
				continue
			}
			if p, ok := a.gaz.Lookup(q); ok && (loc.Country == "" || p.Country == loc.Country) {
				loc.Lat, loc.Lon, loc.HasPoint = p.Lat, p.Lon, true
				loc.Approximate = loc.Approximate || g.Format.Remote()
				if loc.TimeZone == "" {
					loc.TimeZone = p.TimeZone
				}
				if loc.Country == "" {
					loc.Country = p.Country
				}
				break
			}
		}
	}
	return g.Validate()
}

func joinNonEmpty(a, b string) string {
	if a == "" {
		return ""
	}
	if b == "" {
		return a
	}
	return a + ", " + b
}

// CreateGroup adds a group to an organization (its administrators).
func (a *App) CreateGroup(ctx context.Context, actor hearth.Actor, orgSlug string, g *hearth.Group) error {
	o, err := a.db.OrganizationBySlug(ctx, orgSlug)
	if err != nil {
		return err
	}
	if !actor.CanCreateGroup(o.ID) {
		return hearth.Coded(hearth.Forbidden, "forbidden", "Only this organization's administrators can add groups.")
	}
	g.OrgID, g.ID, g.ActiveMembers = o.ID, 0, 0
	if err := a.prepareGroup(g); err != nil {
		return err
	}
	terms := IndexTerms(g, o.Name)
	// A new group gets one weekly, ongoing meeting from its schedule.
	if err := a.db.InTx(ctx, func(tx *sqldb.Tx) error {
		if err := tx.CreateGroup(ctx, g, terms); err != nil {
			return err
		}
		return a.ensureMeeting(ctx, tx, g)
	}); err != nil {
		return err
	}
	a.indexGroup(g, terms)
	if g.Policy == hearth.Closed {
		a.resettle(ctx, g.ID) // membership.go: its first cohort, from its enrollment terms
	}
	a.log.Info("group created", "group_id", g.ID, "org_id", o.ID, "by", actor.UserID)
	return nil
}

// UpdateGroup changes a group (its organization's admins and its
// facilitators). The organization, member count and creation time stay.
func (a *App) UpdateGroup(ctx context.Context, actor hearth.Actor, slug string, g *hearth.Group) error {
	cur, err := a.groupAllowed(ctx, actor, slug, actor.CanEditGroup, "Only the group's facilitators and its organization's administrators can change it.")
	if err != nil {
		return err
	}
	g.ID, g.OrgID, g.ActiveMembers, g.CreatedAt, g.GuidelinesVersion = cur.ID, cur.OrgID, cur.ActiveMembers, cur.CreatedAt, cur.GuidelinesVersion
	if err := a.prepareGroup(g); err != nil {
		return err
	}
	if err := a.CheckEnrollmentCap(ctx, cur, g.Enrollment); err != nil { // membership.go: never below seated members
		return err
	}
	// Once a group's meetings are more than one plain weekly meeting, they
	// set its schedule: a different simple schedule is refused rather than
	// dropped without a word.
	if g.Schedule != cur.Schedule {
		owns, err := a.FormOwnsSchedule(ctx, cur)
		if err != nil {
			return err
		}
		if !owns {
			var p hearth.Problems
			p.Add("schedule", "set_by_meetings", "This group's meetings set its schedule; change them on the meetings page (or the meetings API) and leave the schedule as it is here.", nil)
			return p.Err()
		}
	}
	o, err := a.db.Organization(ctx, cur.OrgID)
	if err != nil {
		return err
	}
	terms := IndexTerms(g, o.Name)
	if err := a.db.UpdateGroup(ctx, g, terms); err != nil {
		return err
	}
	a.indexGroup(g, terms)
	a.resettle(ctx, g.ID) // membership.go: a raised cap offers seats to the line
	// The simple schedule and the first recurring meeting stay in step
	// (meetings.go: groupSaved).
	if err := a.groupSaved(ctx, g, cur.Schedule); err != nil {
		return err
	}
	a.log.Info("group updated", "group_id", g.ID, "by", actor.UserID)
	return nil
}

// AppointFacilitator makes an account a facilitator of a group under a
// pseudonym (the organization's admins). An existing member keeps their
// pseudonym and is promoted.
func (a *App) AppointFacilitator(ctx context.Context, actor hearth.Actor, groupSlug, handle, pseudonym string, role hearth.Role) error {
	g, err := a.groupAllowed(ctx, actor, groupSlug, actor.CanAppointFacilitators, "Only the organization's administrators can appoint facilitators.")
	if err != nil {
		return err
	}
	if role == "" {
		role = hearth.RoleFacilitator
	}
	if role != hearth.RoleFacilitator && role != hearth.RoleCoFacilitator {
		return &hearth.Error{Kind: hearth.Invalid, Code: "invalid", Message: "Please correct the highlighted fields.",
			Fields: []hearth.FieldError{{Field: "role", Code: "unknown", Message: "Choose facilitator or co-facilitator.", Params: map[string]any{"Value": string(role)}}}}
	}
	u, err := a.accountByHandle(ctx, handle)
	if err != nil {
		return err
	}
	m, err := a.db.Membership(ctx, g.ID, u.ID)
	switch {
	case err == nil && m.Status == hearth.StatusActive:
		err = a.db.SetRole(ctx, g.ID, u.ID, role)
	case err == nil:
		return hearth.Coded(hearth.Conflict, "not_active", "That person is not an active member of this group.")
	case hearth.ErrorKind(err) == hearth.NotFound:
		pseudonym = hearth.NormalizePseudonym(pseudonym)
		if verr := hearth.ValidatePseudonym(pseudonym); verr != nil {
			return verr
		}
		err = a.db.CreateMembership(ctx, &hearth.Membership{GroupID: g.ID, UserID: u.ID, Role: role, Status: hearth.StatusActive,
			Pseudonym: pseudonym, GuidelinesVersion: g.GuidelinesVersion})
	}
	if err != nil {
		return err
	}
	a.reindexGroup(ctx, g.ID)
	a.log.Info("facilitator appointed", "group_id", g.ID, "user_id", u.ID, "role", role, "by", actor.UserID)
	return nil
}

// Facilitators lists the people leading a group with their handles, for
// the organization's admins and the group's facilitators.
func (a *App) Facilitators(ctx context.Context, actor hearth.Actor, groupSlug string) ([]sqldb.Member, error) {
	g, err := a.groupAllowed(ctx, actor, groupSlug, actor.CanEditGroup, "Only the people who run this group can see this.")
	if err != nil {
		return nil, err
	}
	return a.db.Facilitators(ctx, g.ID)
}

// LoadDemo fills an empty directory with the demo organizations and groups
// and reports whether it did: each group with its meeting schedules (every
// week, every other week, monthly by weekday or by date; one occurrence
// cancelled with a note), its conference link or dial-in (published by a
// few open recovery meetings, protected for the rest), and each closed
// group with its intake questions and current cohort. A database with any
// organization or group is never touched; existing accounts are left as
// they are, and no account is made.
func (a *App) LoadDemo(ctx context.Context) (bool, error) {
	empty, err := a.db.DirectoryEmpty(ctx)
	if err != nil || !empty {
		return false, err
	}
	dir := demo.Directory(a.now())
	type written struct {
		g     hearth.Group
		terms map[string]int
	}
	var done []written
	err = a.db.InTx(ctx, func(tx *sqldb.Tx) error {
		done = done[:0]
		for _, d := range dir {
			o := d.Org
			o.Normalize()
			if err := o.Validate(); err != nil {
				return fmt.Errorf("demo organization %s: %w", o.Slug, err)
			}
			if err := tx.CreateOrganization(ctx, &o); err != nil {
				return err
			}
			for _, dg := range d.Groups {
				g := dg.Group
				g.OrgID = o.ID
				if err := a.prepareGroup(&g); err != nil {
					return fmt.Errorf("demo group %s: %w", g.Slug, err)
				}
				terms := IndexTerms(&g, o.Name)
				if err := tx.CreateGroup(ctx, &g, terms); err != nil {
					return fmt.Errorf("demo group %s: %w", g.Slug, err)
				}
				if err := a.storeDemoMeetings(ctx, tx, &g, dg); err != nil {
					return fmt.Errorf("demo group %s: %w", g.Slug, err)
				}
				done = append(done, written{g, terms})
			}
		}
		return nil
	})
	if err != nil {
		return false, err
	}
	// Closed groups get their current cohort from their enrollment terms,
	// once their meetings are committed: a cohort ends after its last
	// scheduled session (cohortEnd reads the stored meetings).
	err = a.db.InTx(ctx, func(tx *sqldb.Tx) error {
		for i := range done {
			if g := &done[i].g; g.Policy == hearth.Closed {
				if err := a.settle(ctx, tx, g); err != nil {
					return fmt.Errorf("demo group %s cohort: %w", g.Slug, err)
				}
			}
		}
		return nil
	})
	if err != nil {
		return false, err
	}
	for i := range done {
		a.indexGroup(&done[i].g, done[i].terms)
	}
	a.log.Info("demo directory loaded", "organizations", len(dir), "groups", len(done))
	return true, nil
}

// storeDemoMeetings stores a demo group's meetings with their exceptions,
// its link policy and intake questions, checked as a facilitator's input
// would be. The group's simple schedule is kept equal to its first
// recurring meeting.
func (a *App) storeDemoMeetings(ctx context.Context, tx *sqldb.Tx, g *hearth.Group, dg demo.Group) error {
	for _, dm := range dg.Meetings {
		m := dm.Meeting
		m.GroupID = g.ID
		m.Normalize()
		if err := m.Validate().Err(); err != nil {
			return fmt.Errorf("meeting: %w", err)
		}
		if err := schedule.ValidateSchedule(m.Start, ruleOf(&m), true); err != nil {
			return fmt.Errorf("meeting schedule %q: %w", m.RRule, err)
		}
		if err := tx.InsertMeeting(ctx, &m); err != nil {
			return err
		}
		for _, e := range dm.Exceptions {
			e.MeetingID = m.ID
			if err := e.Validate().Err(); err != nil {
				return fmt.Errorf("meeting exception: %w", err)
			}
			if !schedule.Occurs(m.Start, ruleOf(&m), e.Original) {
				return fmt.Errorf("meeting exception at %v: not an occurrence of %q", e.Original, m.RRule)
			}
			if err := tx.PutException(ctx, &e); err != nil {
				return err
			}
		}
	}
	if err := a.ensureMeeting(ctx, tx, g); err != nil {
		return err
	}
	if sched, err := a.syncSchedule(ctx, tx, g); err != nil {
		return err
	} else if sched != nil {
		g.Schedule = *sched
	}
	if dg.PublishLink {
		if err := tx.SetMeetingPolicy(ctx, g.ID, hearth.MeetingPolicy{PublishLink: true, LinkLeadMinutes: hearth.DefaultLinkLeadMinutes}); err != nil {
			return err
		}
	}
	if len(dg.Intake) > 0 {
		qs := hearth.NormalizeIntake(dg.Intake)
		if err := hearth.ValidateIntake(qs); err != nil {
			return fmt.Errorf("intake: %w", err)
		}
		if err := tx.ReplaceIntakeQuestions(ctx, g.ID, qs); err != nil {
			return err
		}
	}
	return nil
}

// RefreshSchedules recomputes where weekly meetings fall in the UTC week
// for the day and time filters; run hourly, so a 19:00 meeting stays at
// 19:00 local across daylight-saving changes.
func (a *App) RefreshSchedules(ctx context.Context) error {
	index, err := a.directory(ctx)
	if err != nil {
		return err
	}
	if n := index.RefreshTimes(a.now()); n > 0 {
		a.log.Info("meeting times moved with daylight saving", "groups", n)
	}
	return nil
}
