package web

import (
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hearth-org/hearth"
)

// The pages where organization administrators and facilitators run their
// organizations and groups: /manage, /manage/{org}, the group form (new and
// edit) and the facilitators of a group.

// ---- /manage ----

type managePage struct {
	base
	formState
	Orgs      []*hearth.Organization
	CanCreate bool
	F         url.Values // the new-organization form
}

// orgFields are the new-organization form's fields.
var orgFields = []string{"name", "slug", "description", "website", "contact"}

func (s *Server) managePage(w http.ResponseWriter, r *http.Request) error {
	return s.renderManage(w, r, http.StatusOK, url.Values{}, nil)
}

func (s *Server) renderManage(w http.ResponseWriter, r *http.Request, status int, form url.Values, formErr error) error {
	actor := visitorOf(r).Actor
	orgs, err := s.app.ManagedOrganizations(r.Context(), actor)
	if err != nil {
		return err
	}
	p := &managePage{Orgs: orgs, CanCreate: actor.CanCreateOrganization(), F: form}
	if formErr != nil && !s.setFormError(r, &p.formState, formErr, "manage.org.", orgFields...) {
		return formErr
	}
	p.Title = s.locale(r).T("manage.title")
	s.render(w, r, status, "manage", p)
	return nil
}

func (s *Server) createOrganizationPage(w http.ResponseWriter, r *http.Request) error {
	form, err := parseForm(r)
	if err != nil {
		return err
	}
	o := &hearth.Organization{Name: form.Get("name"), Slug: form.Get("slug"), Description: crlf(form.Get("description")),
		Website: form.Get("website"), Contact: form.Get("contact")}
	if err := s.app.CreateOrganization(r.Context(), visitorOf(r).Actor, o); err != nil {
		_, status := classify(err)
		return s.renderManage(w, r, status, form, err)
	}
	return s.redirect(w, r, "/manage/"+o.Slug, "flash.organization_created")
}

// ---- /manage/{org} ----

type manageOrgPage struct {
	base
	formState
	Org    *hearth.Organization
	Groups []*hearth.Group
	Admins []*hearth.User
	Handle string // the add-an-administrator form
}

func (s *Server) manageOrgPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderManageOrg(w, r, http.StatusOK, "", nil)
}

func (s *Server) renderManageOrg(w http.ResponseWriter, r *http.Request, status int, handle string, formErr error) error {
	ctx := r.Context()
	actor := visitorOf(r).Actor
	slug := r.PathValue("org")
	org, groups, err := s.app.OrganizationGroups(ctx, actor, slug)
	if err != nil {
		return err
	}
	admins, err := s.app.OrgAdmins(ctx, actor, slug)
	if err != nil {
		return err
	}
	p := &manageOrgPage{Org: org, Groups: groups, Admins: admins, Handle: handle}
	if formErr != nil && !s.setFormError(r, &p.formState, formErr, "manage.admin.", "handle") {
		return formErr
	}
	p.Title = org.Name
	s.render(w, r, status, "manage_org", p)
	return nil
}

func (s *Server) addOrgAdminPage(w http.ResponseWriter, r *http.Request) error {
	form, err := parseForm(r)
	if err != nil {
		return err
	}
	slug := r.PathValue("org")
	handle := form.Get("handle")
	if err := s.app.AddOrgAdmin(r.Context(), visitorOf(r).Actor, slug, handle); err != nil {
		_, status := classify(err)
		return s.renderManageOrg(w, r, status, handle, err)
	}
	return s.redirect(w, r, "/manage/"+slug, "flash.admin_added")
}

// ---- the group form ----

// groupFields are the group form's fields that show their own problems;
// any other problem goes to the summary at the top.
var groupFields = []string{
	"name", "slug", "description", "what_to_expect", "topics", "format", "leadership", "facilitator_credentials",
	"policy", "enrollment_cap", "enrollment_window", "starts", "sessions", "visibility",
	"address", "city", "region", "postal_code", "country", "lat", "lon", "location", "approximate", "time_zone",
	"venue_notes", "accessibility", "languages", "age_band", "gender", "communities", "cost", "cost_note",
	"guidelines", "contact", "weekday", "start", "duration",
}

// appointFields are the appoint-a-facilitator form's fields.
var appointFields = []string{"handle", "pseudonym", "role"}

type groupFormPage struct {
	base
	formState
	New     bool
	Org     *hearth.Organization
	Slug    string // the group's current slug (edit)
	Name    string // the group's current name (edit)
	Action  string
	F       url.Values
	Leaders []leaderRow
	// MeetingsOwnSchedule: the group has more than one plain weekly
	// meeting, so its meetings page sets when it meets and the form shows
	// no schedule fields (edit).
	MeetingsOwnSchedule bool
	// The appoint-a-facilitator form (edit, organization admins).
	CanAppoint bool
	Appoint    formState
	A          url.Values
}

type leaderRow struct {
	Pseudonym, Handle string
	Role              hearth.Role
}

// topicArea is one top-level topic and its children, a fieldset of the form.
type topicArea struct {
	Area     hearth.Topic
	Children []hearth.Topic
}

// Get returns a field's value as the person gave it.
func (p *groupFormPage) Get(name string) string { return p.F.Get(name) }

// Has reports whether a multi-valued field has the value.
func (p *groupFormPage) Has(name, value string) bool { return slices.Contains(p.F[name], value) }

// Areas lists the taxonomy grouped by top-level topic.
func (p *groupFormPage) Areas() []topicArea {
	var out []topicArea
	for _, t := range hearth.Topics() {
		if t.Parent == "" {
			out = append(out, topicArea{Area: t})
			continue
		}
		for i := range out {
			if out[i].Area.Slug == t.Parent {
				out[i].Children = append(out[i].Children, t)
			}
		}
	}
	return out
}

// The values of the form's select boxes.
func (p *groupFormPage) Ages() []string    { return hearth.AgeBands }
func (p *groupFormPage) Genders() []string { return hearth.Genders }
func (p *groupFormPage) Days() []string    { return hearth.DayCodes }
func (p *groupFormPage) Roles() []hearth.Role {
	return []hearth.Role{hearth.RoleFacilitator, hearth.RoleCoFacilitator}
}

// Zones offers the common zones, plus the group's own when it is another.
func (p *groupFormPage) Zones() []string { return zonesWith(p.F.Get("time_zone")) }

func zonesWith(current string) []string {
	if current == "" || slices.Contains(commonZones, current) {
		return commonZones
	}
	return append([]string{current}, commonZones...)
}

// Described joins the ids that describe a field: its hint and, when it has
// problems, their list.
func (p *groupFormPage) Described(field string, hint bool) string {
	var ids []string
	if hint {
		ids = append(ids, field+"-hint")
	}
	if p.Bad(field) {
		ids = append(ids, field+"-errors")
	}
	return strings.Join(ids, " ")
}

// AppointDescribed is Described for the appoint form.
func (p *groupFormPage) AppointDescribed(field string, hint bool) string {
	var ids []string
	if hint {
		ids = append(ids, "appoint-"+field+"-hint")
	}
	if p.Appoint.Bad(field) {
		ids = append(ids, "appoint-"+field+"-errors")
	}
	return strings.Join(ids, " ")
}

// gfField is one text-like field of the group form, for the "gf-input"
// and "gf-textarea" templates.
type gfField struct {
	Name, Type, Mode, Value string
	Label, Hint, Described  string
	Max, Rows               int
	Bad                     bool // the field has problems of its own, listed under it
	Invalid                 bool // the field or its group (the enrollment window) has problems
	Errors                  []string
}

// Field describes a field for the templates. kind is an input type, or
// "numeric" and "decimal" for numbers typed as text (so that what was
// typed is kept and explained when it is not a number), or "textarea".
func (p *groupFormPage) Field(name, kind string, max int) gfField {
	f := gfField{Name: name, Type: kind, Value: p.F.Get(name), Label: p.T("groupform." + name), Max: max,
		Bad: p.Bad(name), Errors: p.FieldErrors(name)}
	switch kind {
	case "numeric", "decimal":
		f.Type, f.Mode = "text", kind
	case "textarea":
		f.Rows = 4
		if max > maxShortTextarea {
			f.Rows = 8
		}
	}
	if h := "groupform." + name + "_hint"; p.T(h) != h {
		f.Hint = p.T(h)
	}
	f.Described, f.Invalid = p.Described(name, f.Hint != ""), f.Bad
	if (name == "opens" || name == "closes") && p.Bad("enrollment_window") {
		f.Described = strings.TrimSpace(f.Described + " enrollment_window-errors")
		f.Invalid = true
	}
	return f
}

// maxShortTextarea is the longest text a small text area is meant for.
const maxShortTextarea = hearth.MaxShortTextLen

// gfChoices is a set of radio buttons or checkboxes in a fieldset.
type gfChoices struct {
	Name, Type, Legend, Hint, Described string
	Options                             []gfOption
	Bad                                 bool
	Errors                              []string
}

type gfOption struct {
	Value, Label string
	Checked      bool
}

// Choices describes the radio buttons (one value) or checkboxes (several)
// of a field.
func (p *groupFormPage) Choices(name string) gfChoices {
	var values []string
	prefix, typ := "", "radio"
	switch name {
	case "format":
		values, prefix = hearth.Strings(hearth.Formats), "format."
	case "leadership":
		values, prefix = hearth.Strings(hearth.Leaderships), "leadership."
	case "policy":
		values, prefix = hearth.Strings(hearth.Policies), "policy."
	case "visibility":
		values, prefix = hearth.Strings(hearth.Visibilities), "visibility."
	case "cost":
		values, prefix = hearth.Strings(hearth.CostKinds), "cost."
	case "languages":
		values, prefix, typ = hearth.Languages, "language.", "checkbox"
	case "accessibility":
		values, prefix, typ = hearth.AccessibilityFeatures, "access.", "checkbox"
	case "communities":
		values, prefix, typ = hearth.Communities, "community.", "checkbox"
	}
	c := gfChoices{Name: name, Type: typ, Legend: p.T("groupform." + name), Bad: p.Bad(name), Errors: p.FieldErrors(name)}
	if h := "groupform." + name + "_hint"; p.T(h) != h {
		c.Hint = p.T(h)
	}
	c.Described = p.Described(name, c.Hint != "")
	for _, v := range values {
		c.Options = append(c.Options, gfOption{Value: v, Label: p.T(prefix + v), Checked: p.Has(name, v)})
	}
	return c
}

func (s *Server) newGroupDefaults(r *http.Request) url.Values {
	v := visitorOf(r)
	return url.Values{
		"format": {string(hearth.InPerson)}, "leadership": {string(hearth.PeerLed)}, "policy": {string(hearth.Open)},
		"visibility": {string(hearth.Listed)}, "cost": {string(hearth.Free)}, "age_band": {"all"}, "gender": {"any"},
		"languages": {v.Lang}, "time_zone": {v.Zone}, "start": {"19:00"}, "duration": {"90"},
	}
}

// orgForNewGroup returns the organization when the actor may add groups to it.
func (s *Server) orgForNewGroup(r *http.Request) (*hearth.Organization, error) {
	o, err := s.app.Organization(r.Context(), r.PathValue("org"))
	if err != nil {
		return nil, err
	}
	if !visitorOf(r).Actor.CanCreateGroup(o.ID) {
		return nil, hearth.Coded(hearth.Forbidden, "forbidden", "Only this organization's administrators can add groups.")
	}
	return o, nil
}

func (s *Server) newGroupPage(w http.ResponseWriter, r *http.Request) error {
	o, err := s.orgForNewGroup(r)
	if err != nil {
		return err
	}
	p := &groupFormPage{New: true, Org: o, Action: "/manage/" + o.Slug + "/groups", F: s.newGroupDefaults(r)}
	p.Title = s.locale(r).T("groupform.new_title", "org", o.Name)
	s.render(w, r, http.StatusOK, "group_form", p)
	return nil
}

func (s *Server) createGroupPage(w http.ResponseWriter, r *http.Request) error {
	o, err := s.orgForNewGroup(r)
	if err != nil {
		return err
	}
	form, err := parseForm(r)
	if err != nil {
		return err
	}
	g, problems := decodeGroupForm(form)
	if len(problems) > 0 {
		err = groupProblems(g, problems)
	} else {
		err = s.app.CreateGroup(r.Context(), visitorOf(r).Actor, o.Slug, g)
	}
	if err == nil {
		return s.redirect(w, r, "/groups/"+g.Slug, "flash.group_saved")
	}
	p := &groupFormPage{New: true, Org: o, Action: "/manage/" + o.Slug + "/groups", F: form}
	if !s.setFormError(r, &p.formState, err, "groupform.", groupFields...) {
		return err
	}
	p.Title = s.locale(r).T("groupform.new_title", "org", o.Name)
	_, status := classify(err)
	s.render(w, r, status, "group_form", p)
	return nil
}

// editForm loads what the edit page shows besides the form: the group, its
// organization and its leaders. It refuses people who may not edit.
func (s *Server) editForm(r *http.Request) (*groupFormPage, *hearth.Group, error) {
	ctx := r.Context()
	actor := visitorOf(r).Actor
	slug := r.PathValue("slug")
	v, err := s.app.Group(ctx, actor, slug)
	if err != nil {
		return nil, nil, err
	}
	if !v.CanEdit {
		return nil, nil, hearth.Coded(hearth.Forbidden, "forbidden", "Only the group's facilitators and its organization's administrators can change it.")
	}
	leaders, err := s.app.Facilitators(ctx, actor, slug)
	if err != nil {
		return nil, nil, err
	}
	g := v.Group
	owns, err := s.app.FormOwnsSchedule(ctx, g)
	if err != nil {
		return nil, nil, err
	}
	p := &groupFormPage{Org: v.Organization, Slug: g.Slug, Name: g.Name, Action: "/groups/" + g.Slug + "/edit",
		MeetingsOwnSchedule: !owns, CanAppoint: v.CanAppoint, A: url.Values{"role": {string(hearth.RoleFacilitator)}}}
	for _, m := range leaders {
		p.Leaders = append(p.Leaders, leaderRow{Pseudonym: m.Pseudonym, Handle: m.Handle, Role: m.Role})
	}
	p.Title = s.locale(r).T("groupform.edit_title", "name", g.Name)
	return p, g, nil
}

func (s *Server) editGroupPage(w http.ResponseWriter, r *http.Request) error {
	p, g, err := s.editForm(r)
	if err != nil {
		return err
	}
	p.F = encodeGroupForm(g)
	s.render(w, r, http.StatusOK, "group_form", p)
	return nil
}

func (s *Server) updateGroupPage(w http.ResponseWriter, r *http.Request) error {
	p, cur, err := s.editForm(r)
	if err != nil {
		return err
	}
	form, err := parseForm(r)
	if err != nil {
		return err
	}
	if p.MeetingsOwnSchedule {
		// The form showed no schedule fields: the meetings page sets it, and
		// whatever was sent for them is not taken.
		for k, v := range encodeGroupForm(cur) {
			if k == "weekday" || k == "start" || k == "duration" {
				form[k] = v
			}
		}
	}
	g, problems := decodeGroupForm(form)
	g.Slug = cur.Slug // the address stays; links to the group keep working
	if len(problems) > 0 {
		err = groupProblems(g, problems)
	} else {
		err = s.app.UpdateGroup(r.Context(), visitorOf(r).Actor, cur.Slug, g)
	}
	if err == nil {
		return s.redirect(w, r, "/groups/"+cur.Slug, "flash.group_saved")
	}
	if !s.setFormError(r, &p.formState, err, "groupform.", groupFields...) {
		return err
	}
	p.F = form
	_, status := classify(err)
	s.render(w, r, status, "group_form", p)
	return nil
}

func (s *Server) appointFacilitatorPage(w http.ResponseWriter, r *http.Request) error {
	form, err := parseForm(r)
	if err != nil {
		return err
	}
	slug := r.PathValue("slug")
	err = s.app.AppointFacilitator(r.Context(), visitorOf(r).Actor, slug, form.Get("handle"), form.Get("pseudonym"), hearth.Role(form.Get("role")))
	if err == nil {
		return s.redirect(w, r, "/groups/"+slug+"/edit#facilitators", "flash.facilitator_appointed")
	}
	p, g, perr := s.editForm(r)
	if perr != nil {
		return perr
	}
	if !s.setFormError(r, &p.Appoint, err, "groupform.appoint.", appointFields...) {
		return err
	}
	p.F = encodeGroupForm(g)
	p.A = url.Values{"handle": {form.Get("handle")}, "pseudonym": {form.Get("pseudonym")}, "role": {form.Get("role")}}
	_, status := classify(err)
	s.render(w, r, status, "group_form", p)
	return nil
}

// ---- decoding and encoding the group form ----

// decodeGroupForm reads every field of the group form into a group. What
// cannot be read at all (a cap that is not a number, a date or a time that
// is not one) comes back as field problems in English, with codes the
// catalog translates; the domain's rules are checked later, by
// hearth.Group.Validate. It never fails on arbitrary input.
func decodeGroupForm(v url.Values) (*hearth.Group, []hearth.FieldError) {
	var p hearth.Problems
	get := func(name string) string { return strings.TrimSpace(v.Get(name)) }
	list := func(name string) []string { return slices.Clone(v[name]) }
	g := &hearth.Group{
		Slug:                   get("slug"),
		Name:                   get("name"),
		Description:            crlf(v.Get("description")),
		WhatToExpect:           crlf(v.Get("what_to_expect")),
		Topics:                 list("topics"),
		Format:                 hearth.Format(get("format")),
		Leadership:             hearth.Leadership(get("leadership")),
		FacilitatorCredentials: get("facilitator_credentials"),
		Policy:                 hearth.Policy(get("policy")),
		Visibility:             hearth.Visibility(get("visibility")),
		VenueNotes:             crlf(v.Get("venue_notes")),
		Accessibility:          list("accessibility"),
		Guidelines:             crlf(v.Get("guidelines")),
		Contact:                get("contact"),
		Audience: hearth.Audience{
			AgeBand:     get("age_band"),
			Gender:      get("gender"),
			Languages:   list("languages"),
			Communities: list("communities"),
		},
		Cost: hearth.Cost{Kind: hearth.CostKind(get("cost")), Note: get("cost_note")},
		Location: hearth.Location{
			Address:     get("address"),
			City:        get("city"),
			Region:      get("region"),
			PostalCode:  get("postal_code"),
			Country:     strings.ToUpper(get("country")),
			Approximate: v.Get("approximate") != "",
			TimeZone:    get("time_zone"),
		},
	}

	// Position: both or neither; neither lets the app find it.
	latS, lonS := get("lat"), get("lon")
	switch {
	case latS == "" && lonS == "":
	case latS == "" || lonS == "":
		field := "lat"
		if lonS == "" {
			field = "lon"
		}
		p.Add(field, "point_incomplete", "Give both latitude and longitude, or leave both empty to have the position found from the postal code or city.", nil)
	default:
		lat, okLat := parseDecimal(latS)
		lon, okLon := parseDecimal(lonS)
		if !okLat {
			p.Add("lat", "not_number", "The latitude must be a number, like 30.27.", nil)
		}
		if !okLon {
			p.Add("lon", "not_number", "The longitude must be a number, like -97.74.", nil)
		}
		if okLat && okLon {
			g.Location.Lat, g.Location.Lon, g.Location.HasPoint = lat, lon, true
		}
	}

	// Schedule.
	startOK := false
	if d, ok := weekdayOf(get("weekday")); ok {
		g.Schedule.Weekday = d
	} else {
		p.Add("weekday", "not_day", "Choose the day of the week the group meets.", nil)
	}
	if m, ok := hearth.ParseClock(get("start")); ok {
		g.Schedule.Start, startOK = m, true
	} else {
		p.Add("start", "not_time", "Give the start time as hours and minutes, like 19:00.", nil)
	}
	if n, ok := parseCount(get("duration")); ok {
		g.Schedule.Duration = n
	} else {
		p.Add("duration", "not_number", "Give the length of a meeting in whole minutes, like 90.", nil)
	}

	// Enrollment: read for closed groups only; an open group has none.
	if g.Policy == hearth.Closed {
		capS, sessS, opensS, closesS, startsS := get("enrollment_cap"), get("sessions"), get("opens"), get("closes"), get("starts")
		if capS+sessS+opensS+closesS+startsS != "" {
			e := &hearth.Enrollment{}
			if capS != "" {
				if n, ok := parseCount(capS); ok {
					e.Cap = n
				} else {
					p.Add("enrollment_cap", "not_number", "The enrollment cap must be a whole number of people, like 12.", nil)
				}
			}
			if sessS != "" {
				if n, ok := parseCount(sessS); ok {
					e.Sessions = n
				} else {
					p.Add("sessions", "not_number", "The number of sessions must be a whole number, like 8.", nil)
				}
			}
			// Dates are days in the group's own time zone.
			loc := time.UTC
			if z := g.Location.TimeZone; z != "" && z != "Local" {
				if l, err := time.LoadLocation(z); err == nil {
					loc = l
				}
			} else if opensS+closesS+startsS != "" {
				p.Add("time_zone", "zone_for_dates", "Choose the group's time zone, so that the enrollment dates fall on the right days.", nil)
			}
			if opensS != "" {
				if y, m, d, ok := parseDay(opensS); ok {
					e.Opens = time.Date(y, m, d, 0, 0, 0, 0, loc)
				} else {
					p.Add("enrollment_window", "opens_not_date", "Give the day enrollment opens as a date, like 2026-09-01.", nil)
				}
			}
			if closesS != "" {
				if y, m, d, ok := parseDay(closesS); ok {
					e.Closes = time.Date(y, m, d, 23, 59, 59, 0, loc)
				} else {
					p.Add("enrollment_window", "closes_not_date", "Give the day enrollment closes as a date, like 2026-09-20.", nil)
				}
			}
			if startsS != "" {
				if y, m, d, ok := parseDay(startsS); ok {
					min := 0
					if startOK {
						min = g.Schedule.Start // the first session is a meeting
					}
					e.Starts = time.Date(y, m, d, min/60, min%60, 0, 0, loc)
				} else {
					p.Add("starts", "not_date", "Give the day of the first session as a date, like 2026-10-01.", nil)
				}
			}
			g.Enrollment = e
		}
	}
	return g, []hearth.FieldError(p)
}

// groupProblems combines what the form could not read with every rule of
// the domain the rest of the group breaks, so that the person sees all of
// it at once; a field the form already flagged shows only the form's word.
// Rules the app may still satisfy (a position and zone found from the
// postal code or city, a slug made from the name) are left to it.
func groupProblems(g *hearth.Group, decoded []hearth.FieldError) error {
	p := slices.Clone(hearth.Problems(decoded))
	flagged := map[string]bool{}
	for _, f := range decoded {
		flagged[f.Field] = true
	}
	c := *g
	c.Normalize()
	if c.Slug == "" {
		c.Slug = hearth.Slugify(c.Name)
	}
	findable := !c.Location.HasPoint && (c.Location.PostalCode != "" || c.Location.City != "")
	if e := hearth.AsError(c.Validate()); e != nil {
		for _, f := range e.Fields {
			switch {
			case flagged[f.Field]:
			case findable && f.Field == "location":
			case findable && f.Field == "time_zone" && f.Code == "required":
			default:
				p = append(p, f)
			}
		}
	}
	return p.Err()
}

// encodeGroupForm writes a group as the form's values: the inverse of
// decodeGroupForm.
func encodeGroupForm(g *hearth.Group) url.Values {
	v := url.Values{}
	set := func(name, value string) {
		if value != "" {
			v.Set(name, value)
		}
	}
	set("slug", g.Slug)
	set("name", g.Name)
	set("description", g.Description)
	set("what_to_expect", g.WhatToExpect)
	v["topics"] = slices.Clone(g.Topics)
	set("format", string(g.Format))
	set("leadership", string(g.Leadership))
	set("facilitator_credentials", g.FacilitatorCredentials)
	set("policy", string(g.Policy))
	set("visibility", string(g.Visibility))
	loc := g.Location
	set("address", loc.Address)
	set("city", loc.City)
	set("region", loc.Region)
	set("postal_code", loc.PostalCode)
	set("country", loc.Country)
	if loc.HasPoint {
		set("lat", strconv.FormatFloat(loc.Lat, 'f', -1, 64))
		set("lon", strconv.FormatFloat(loc.Lon, 'f', -1, 64))
	}
	if loc.Approximate {
		set("approximate", "1")
	}
	set("time_zone", loc.TimeZone)
	set("venue_notes", g.VenueNotes)
	v["accessibility"] = slices.Clone(g.Accessibility)
	v["languages"] = slices.Clone(g.Audience.Languages)
	v["communities"] = slices.Clone(g.Audience.Communities)
	set("age_band", g.Audience.AgeBand)
	set("gender", g.Audience.Gender)
	set("cost", string(g.Cost.Kind))
	set("cost_note", g.Cost.Note)
	set("guidelines", g.Guidelines)
	set("contact", g.Contact)
	set("weekday", hearth.DayCode(g.Schedule.Weekday))
	set("start", g.Schedule.Clock())
	set("duration", strconv.Itoa(g.Schedule.Duration))
	if e := g.Enrollment; e != nil {
		zone, err := time.LoadLocation(loc.TimeZone)
		if err != nil {
			zone = time.UTC
		}
		day := func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.In(zone).Format(time.DateOnly)
		}
		set("enrollment_cap", strconv.Itoa(e.Cap))
		set("sessions", strconv.Itoa(e.Sessions))
		set("opens", day(e.Opens))
		set("closes", day(e.Closes))
		set("starts", day(e.Starts))
	}
	for k, vs := range v {
		if len(vs) == 0 {
			delete(v, k)
		}
	}
	return v
}

// crlf turns the CR LF line ends browsers send from a textarea into LF.
func crlf(s string) string { return strings.ReplaceAll(s, "\r\n", "\n") }

// parseCount reads a whole number of at most six digits.
func parseCount(s string) (int, bool) {
	if s == "" || len(s) > 6 {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0, false
	}
	return n, true
}

// parseDecimal reads a finite decimal number, with a point or a comma.
func parseDecimal(s string) (float64, bool) {
	if len(s) > 400 { // room for the longest float64 written out in full
		return 0, false
	}
	if !strings.Contains(s, ".") {
		s = strings.Replace(s, ",", ".", 1)
	}
	for _, r := range s {
		if !(r >= '0' && r <= '9' || r == '.' || r == '-' || r == '+') {
			return 0, false // no NaN, Inf, hex or exponents
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false
	}
	return f, true
}

// parseDay reads YYYY-MM-DD between the years 2000 and 2200.
func parseDay(s string) (int, time.Month, int, bool) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil || t.Year() < 2000 || t.Year() > 2200 {
		return 0, 0, 0, false
	}
	return t.Year(), t.Month(), t.Day(), true
}

// weekdayOf reads a day code (mon, tue…).
func weekdayOf(code string) (time.Weekday, bool) {
	if code == "" {
		return 0, false
	}
	for d := time.Sunday; d <= time.Saturday; d++ {
		if hearth.DayCode(d) == strings.ToLower(code) {
			return d, true
		}
	}
	return 0, false
}
