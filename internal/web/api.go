package web

// The JSON API under /api/v1: the same use cases as the pages, as JSON.
// Every shape a client reads or writes is declared here once (groupJSON,
// groupInput, orgJSON, userJSON…) and described in openapi.json, which the
// tests hold to the route table and to these handlers' answers.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"mime"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/app"
	"github.com/hearth-org/hearth/internal/sqldb"
)

// ---------------------------------------------------------------------------
// Reading requests

// errNotJSON answers a body sent with another Content-Type. The kinds table
// has no 415, so it is a 400 with its own code.
var errNotJSON = hearth.Coded(hearth.Invalid, "content_type", "Send the body as JSON, with the header Content-Type: application/json.")

var errBodyTooLarge = hearth.Coded(hearth.TooLarge, "too_large",
	fmt.Sprintf("The request body is too large; the API accepts at most %d KB.", maxJSONBytes>>10))

func badJSON(format string, args ...any) *hearth.Error {
	return hearth.Coded(hearth.Invalid, "bad_json", "The JSON body could not be read: "+fmt.Sprintf(format, args...))
}

// decodeJSON reads the request body into v strictly: the Content-Type must
// be JSON, the body one JSON object of v's known fields and nothing after
// it. Every failure is an error a client can act on (400, or 413 for a body
// over the limit the wrapper set); none is a 500.
func decodeJSON(r *http.Request, v any) error {
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || (mt != "application/json" && !(strings.HasPrefix(mt, "application/") && strings.HasSuffix(mt, "+json"))) {
		return errNotJSON
	}
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
		return hearth.Coded(hearth.Invalid, "content_type", "Send the JSON body in UTF-8.")
	}
	// First pass: one well-formed JSON value, and nothing after it.
	dec := json.NewDecoder(r.Body)
	var raw json.RawMessage
	if err := dec.Decode(&raw); err != nil {
		return jsonSyntaxError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return errBodyTooLarge
		}
		return badJSON("there is more after the JSON object (at byte %d); send exactly one object.", dec.InputOffset())
	}
	if raw[0] != '{' {
		return badJSON("the body must be a JSON object, like {\"name\": \"…\"}.")
	}
	if hasNUL(raw) {
		return badJSON("text may not contain the NUL character (\\u0000).")
	}
	// Second pass: into v, refusing fields v does not have.
	dec = json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonFieldError(err)
	}
	return nil
}

func jsonSyntaxError(err error) error {
	var (
		mbe *http.MaxBytesError
		se  *json.SyntaxError
	)
	switch {
	case errors.As(err, &mbe):
		return errBodyTooLarge
	case errors.Is(err, io.EOF):
		return badJSON("the body is empty; send a JSON object.")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return badJSON("the JSON ends too early; it looks cut off.")
	case errors.As(err, &se):
		return badJSON("malformed JSON at byte %d: %s.", se.Offset, strings.TrimPrefix(se.Error(), "json: "))
	}
	return badJSON("%s.", strings.TrimPrefix(err.Error(), "json: "))
}

func jsonFieldError(err error) error {
	var ute *json.UnmarshalTypeError
	if errors.As(err, &ute) {
		field := ute.Field
		if field == "" {
			return badJSON("the body must be a JSON object.")
		}
		return &hearth.Error{Kind: hearth.Invalid, Code: "bad_json", Message: "The JSON body could not be read: a field has the wrong type.",
			Fields: []hearth.FieldError{{Field: field, Code: "type",
				Message: fmt.Sprintf("%s must be %s, not %s.", field, describeType(ute.Type), ute.Value),
				Params:  map[string]any{"Value": ute.Value}}}}
	}
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		name, _ = strconv.Unquote(name)
		return &hearth.Error{Kind: hearth.Invalid, Code: "unknown_field", Message: fmt.Sprintf("The JSON body has a field the API does not know: %q.", name),
			Fields: []hearth.FieldError{{Field: name, Code: "unknown_field",
				Message: fmt.Sprintf("%q is not a field here; check its spelling against /api/v1/openapi.json.", name)}}}
	}
	return badJSON("%s.", strings.TrimPrefix(err.Error(), "json: "))
}

func describeType(t reflect.Type) string {
	if t == nil {
		return "another type"
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.Struct, reflect.Map:
		return "an object"
	case reflect.Pointer:
		return describeType(t.Elem())
	}
	return "another type"
}

// hasNUL reports whether JSON text holds an escaped NUL character, which
// PostgreSQL cannot store in text. Escapes are read in order, so "\\u0000"
// (a backslash, then the letters u0000) is not one.
func hasNUL(b []byte) bool {
	for i := 0; i < len(b); i++ {
		if b[i] != '\\' || i+1 >= len(b) {
			continue
		}
		if b[i+1] == 'u' && i+5 < len(b) && string(b[i+2:i+6]) == "0000" {
			return true
		}
		i++ // skip the escaped character
	}
	return false
}

// slugParam returns a path parameter that must be a slug. Anything that
// cannot be one is simply not there.
func slugParam(r *http.Request, name string, what string) (string, error) {
	v := r.PathValue(name)
	if !hearth.ValidSlug(v) {
		return "", hearth.Errorf(hearth.NotFound, "The %s was not found.", what)
	}
	return v, nil
}

// ---------------------------------------------------------------------------
// Writing responses

func writeNoContent(w http.ResponseWriter) {
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusNoContent)
}

// writePublicJSON writes a response every visitor gets alike, which caches
// may keep for an hour.
func writePublicJSON(w http.ResponseWriter, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, apiError{Error: apiErrorBody{Code: "internal", Message: "Something went wrong on our side."}})
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	w.Write(append(b, '\n'))
}

func rfc3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Truncate(time.Second).Format(time.RFC3339)
}

// ---------------------------------------------------------------------------
// Groups: the one JSON shape

// groupJSON is a group as the API shows it in search results, lists and (as
// the start of groupDetailJSON) on its own.
type groupJSON struct {
	ID                  int64             `json:"id"`
	Slug                string            `json:"slug"`
	Name                string            `json:"name"`
	Description         string            `json:"description"`
	Topics              []string          `json:"topics"`
	Format              hearth.Format     `json:"format"`
	Leadership          hearth.Leadership `json:"leadership"`
	Policy              hearth.Policy     `json:"policy"`
	Visibility          hearth.Visibility `json:"visibility"`
	Languages           []string          `json:"languages"`
	Audience            audienceJSON      `json:"audience"`
	Accessibility       []string          `json:"accessibility"`
	Cost                costJSON          `json:"cost"`
	Location            locationJSON      `json:"location"`
	Schedule            scheduleJSON      `json:"schedule"`
	NextMeeting         string            `json:"next_meeting"`
	AcceptingNewMembers bool              `json:"accepting_new_members"`
	DistanceKm          *float64          `json:"distance_km,omitempty"`
	URL                 string            `json:"url"`
}

// audienceJSON is read and written alike.
type audienceJSON struct {
	AgeBand     string   `json:"age_band"`
	Gender      string   `json:"gender"`
	Communities []string `json:"communities"`
}

// costJSON is read and written alike.
type costJSON struct {
	Kind hearth.CostKind `json:"kind"`
	Note string          `json:"note"`
}

// locationJSON is read and written alike. Lat and Lon come both or neither;
// the address and postal code are shown only where people go.
type locationJSON struct {
	Address     string   `json:"address,omitempty"`
	City        string   `json:"city"`
	Region      string   `json:"region"`
	PostalCode  string   `json:"postal_code,omitempty"`
	Country     string   `json:"country"`
	TimeZone    string   `json:"time_zone"`
	Approximate bool     `json:"approximate"`
	Lat         *float64 `json:"lat,omitempty"`
	Lon         *float64 `json:"lon,omitempty"`
}

// scheduleJSON is the weekly meeting time as the API shows it.
type scheduleJSON struct {
	Weekday         string `json:"weekday"` // "tuesday"
	Start           string `json:"start"`   // "19:00", in TimeZone
	DurationMinutes int    `json:"duration_minutes"`
	TimeZone        string `json:"time_zone"`
}

// enrollmentJSON is a closed group's cohort, read and written alike. Reads
// are RFC 3339 in UTC; writes also take plain dates (YYYY-MM-DD) in the
// group's time zone, a closing date meaning the end of that day.
type enrollmentJSON struct {
	Cap      int    `json:"cap"`
	Opens    string `json:"opens"`
	Closes   string `json:"closes"`
	Starts   string `json:"starts"`
	Sessions int    `json:"sessions"`
}

// membershipJSON is one's own membership of a group: never a user id.
type membershipJSON struct {
	Group             string                  `json:"group"`
	Pseudonym         string                  `json:"pseudonym"`
	Role              hearth.Role             `json:"role"`
	Status            hearth.MembershipStatus `json:"status"`
	GuidelinesVersion int                     `json:"guidelines_version"`
	JoinedAt          string                  `json:"joined_at"`
	// MustAcceptGuidelines: the group's guidelines changed since; member-only
	// things wait until they are accepted again. Present where known.
	MustAcceptGuidelines *bool `json:"must_accept_guidelines,omitempty"`
}

// orgRefJSON names the organization a group belongs to.
type orgRefJSON struct {
	Slug string `json:"slug"`
	Name string `json:"name"`
}

// groupDetailJSON is everything a newcomer needs to know before going.
type groupDetailJSON struct {
	groupJSON
	WhatToExpect           string          `json:"what_to_expect"`
	Guidelines             string          `json:"guidelines"`
	GuidelinesVersion      int             `json:"guidelines_version"`
	FacilitatorCredentials string          `json:"facilitator_credentials"`
	VenueNotes             string          `json:"venue_notes,omitempty"`
	Contact                string          `json:"contact"`
	Enrollment             *enrollmentJSON `json:"enrollment,omitempty"`
	Facilitators           []string        `json:"facilitators"`
	Organization           orgRefJSON      `json:"organization"`
	Membership             *membershipJSON `json:"membership,omitempty"`
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func weekdayName(d time.Weekday) string { return strings.ToLower(d.String()) }

// newGroupJSON shapes a group for every list and page of the API.
func newGroupJSON(g *hearth.Group, next time.Time, accepting bool) groupJSON {
	out := groupJSON{
		ID: g.ID, Slug: g.Slug, Name: g.Name, Description: g.Description,
		Topics: nonNil(g.Topics), Format: g.Format, Leadership: g.Leadership, Policy: g.Policy, Visibility: g.Visibility,
		Languages:     nonNil(g.Audience.Languages),
		Audience:      audienceJSON{AgeBand: g.Audience.AgeBand, Gender: g.Audience.Gender, Communities: nonNil(g.Audience.Communities)},
		Accessibility: nonNil(g.Accessibility),
		Cost:          costJSON{Kind: g.Cost.Kind, Note: g.Cost.Note},
		Location: locationJSON{City: g.Location.City, Region: g.Location.Region, Country: g.Location.Country,
			TimeZone: g.Location.TimeZone, Approximate: g.Location.Approximate},
		Schedule: scheduleJSON{Weekday: weekdayName(g.Schedule.Weekday), Start: g.Schedule.Clock(),
			DurationMinutes: g.Schedule.Duration, TimeZone: g.Location.TimeZone},
		NextMeeting:         rfc3339(next),
		AcceptingNewMembers: accepting,
		URL:                 "/groups/" + g.Slug,
	}
	if g.Location.HasPoint && !g.Format.Remote() {
		lat, lon := g.Location.Lat, g.Location.Lon
		out.Location.Lat, out.Location.Lon = &lat, &lon
	}
	return out
}

// groupNow shapes a group outside search, computing its next meeting.
func (s *Server) groupNow(g *hearth.Group) groupJSON {
	now := s.app.Now()
	loc, err := time.LoadLocation(g.Location.TimeZone)
	if err != nil {
		loc = time.UTC
	}
	return newGroupJSON(g, g.Schedule.Next(now, loc), g.AcceptingAt(now))
}

func newMembershipJSON(slug string, m *hearth.Membership) *membershipJSON {
	return &membershipJSON{Group: slug, Pseudonym: m.Pseudonym, Role: m.Role, Status: m.Status,
		GuidelinesVersion: m.GuidelinesVersion, JoinedAt: rfc3339(m.JoinedAt)}
}

func newEnrollmentJSON(e *hearth.Enrollment) *enrollmentJSON {
	if e == nil {
		return nil
	}
	return &enrollmentJSON{Cap: e.Cap, Opens: rfc3339(e.Opens), Closes: rfc3339(e.Closes), Starts: rfc3339(e.Starts), Sessions: e.Sessions}
}

// newGroupDetailJSON shapes the group page. The venue's address and notes
// are shown for groups that meet at one, and always to the people who run
// the group, so that what they fetch they can send back.
func newGroupDetailJSON(v *app.GroupView) groupDetailJSON {
	g := v.Group
	out := groupDetailJSON{
		groupJSON:    newGroupJSON(g, v.NextMeeting, v.Accepting),
		WhatToExpect: g.WhatToExpect, Guidelines: g.Guidelines, GuidelinesVersion: g.GuidelinesVersion,
		FacilitatorCredentials: g.FacilitatorCredentials, Contact: g.Contact,
		Enrollment:   newEnrollmentJSON(g.Enrollment),
		Facilitators: nonNil(v.Facilitators),
		Organization: orgRefJSON{Slug: v.Organization.Slug, Name: v.Organization.Name},
	}
	if g.Format.HasPlace() || v.CanEdit {
		out.Location.Address, out.Location.PostalCode, out.VenueNotes = g.Location.Address, g.Location.PostalCode, g.VenueNotes
	}
	if v.CanEdit && g.Location.HasPoint {
		lat, lon := g.Location.Lat, g.Location.Lon
		out.Location.Lat, out.Location.Lon = &lat, &lon
	}
	if v.Membership != nil {
		out.Membership = newMembershipJSON(g.Slug, v.Membership)
		must := v.Membership.MustAcceptGuidelines(g)
		out.Membership.MustAcceptGuidelines = &must
	}
	return out
}

// ---------------------------------------------------------------------------
// Groups: the shape for writing

// groupInput is a whole group as a client writes it (PUT replaces every
// editable field). Its fields and formats are those groupDetailJSON shows,
// so a fetched group can be changed and sent back; the read-only fields are
// accepted and ignored.
type groupInput struct {
	Slug                   string          `json:"slug"`
	Name                   string          `json:"name"`
	Description            string          `json:"description"`
	WhatToExpect           string          `json:"what_to_expect"`
	Topics                 []string        `json:"topics"`
	Format                 string          `json:"format"`
	Leadership             string          `json:"leadership"`
	FacilitatorCredentials string          `json:"facilitator_credentials"`
	Policy                 string          `json:"policy"`
	Enrollment             *enrollmentJSON `json:"enrollment"`
	Visibility             string          `json:"visibility"`
	Languages              []string        `json:"languages"`
	Audience               audienceJSON    `json:"audience"`
	Accessibility          []string        `json:"accessibility"`
	Cost                   costJSON        `json:"cost"`
	Location               locationJSON    `json:"location"`
	VenueNotes             string          `json:"venue_notes"`
	Schedule               scheduleInput   `json:"schedule"`
	Guidelines             string          `json:"guidelines"`
	Contact                string          `json:"contact"`

	// Read-only: accepted and ignored.
	ID                  json.RawMessage `json:"id"`
	URL                 json.RawMessage `json:"url"`
	NextMeeting         json.RawMessage `json:"next_meeting"`
	AcceptingNewMembers json.RawMessage `json:"accepting_new_members"`
	DistanceKm          json.RawMessage `json:"distance_km"`
	GuidelinesVersion   json.RawMessage `json:"guidelines_version"`
	Facilitators        json.RawMessage `json:"facilitators"`
	Organization        json.RawMessage `json:"organization"`
	Membership          json.RawMessage `json:"membership"`
}

// scheduleInput is the weekly meeting time as a client writes it: weekday
// "monday"…"sunday" ("mon"… too) or 0–6 from Sunday; start "HH:MM" in the
// group's time zone. The time zone may be given here or in location.
type scheduleInput struct {
	Weekday         json.RawMessage `json:"weekday"`
	Start           string          `json:"start"`
	DurationMinutes int             `json:"duration_minutes"`
	TimeZone        string          `json:"time_zone"`
}

var weekdays = map[string]time.Weekday{
	"sunday": time.Sunday, "monday": time.Monday, "tuesday": time.Tuesday, "wednesday": time.Wednesday,
	"thursday": time.Thursday, "friday": time.Friday, "saturday": time.Saturday,
	"sun": time.Sunday, "mon": time.Monday, "tue": time.Tuesday, "wed": time.Wednesday,
	"thu": time.Thursday, "fri": time.Friday, "sat": time.Saturday,
}

// clipValue shortens a value quoted back in an error message.
func clipValue(s string) string { return hearth.Clip(strings.Trim(s, `"`)) }

func parseWeekday(raw json.RawMessage) (time.Weekday, bool) {
	var name string
	if err := json.Unmarshal(raw, &name); err == nil {
		d, ok := weekdays[strings.ToLower(strings.TrimSpace(name))]
		return d, ok
	}
	var n int
	if err := json.Unmarshal(raw, &n); err == nil && n >= 0 && n <= 6 {
		return time.Weekday(n), true
	}
	return 0, false
}

// parseMoment reads an RFC 3339 time or a YYYY-MM-DD date in loc (the
// start of that day, or with endOfDay the start of the next).
func parseMoment(s string, loc *time.Location, endOfDay bool) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, true
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), true
	}
	d, err := time.ParseInLocation(time.DateOnly, s, loc)
	if err != nil {
		return time.Time{}, false
	}
	if endOfDay {
		d = d.AddDate(0, 0, 1)
	}
	return d.UTC(), true
}

// toGroup turns the input into the domain's group. It reports what it
// cannot read; the domain's Validate (through app) reports the rest.
func (in *groupInput) toGroup() (*hearth.Group, error) {
	var p hearth.Problems
	g := &hearth.Group{
		Slug: in.Slug, Name: in.Name, Description: in.Description, WhatToExpect: in.WhatToExpect,
		Topics: in.Topics, Format: hearth.Format(in.Format), Leadership: hearth.Leadership(in.Leadership),
		FacilitatorCredentials: in.FacilitatorCredentials, Policy: hearth.Policy(in.Policy),
		Visibility: hearth.Visibility(in.Visibility),
		Audience: hearth.Audience{AgeBand: in.Audience.AgeBand, Gender: in.Audience.Gender,
			Languages: in.Languages, Communities: in.Audience.Communities},
		Accessibility: in.Accessibility,
		Cost:          hearth.Cost{Kind: in.Cost.Kind, Note: in.Cost.Note},
		VenueNotes:    in.VenueNotes, Guidelines: in.Guidelines, Contact: in.Contact,
	}
	loc := in.Location
	zone := strings.TrimSpace(loc.TimeZone)
	if sz := strings.TrimSpace(in.Schedule.TimeZone); zone == "" {
		zone = sz
	} else if sz != "" && sz != zone {
		p.Add("time_zone", "zone_mismatch", "schedule.time_zone and location.time_zone differ; give the group's time zone once, in location.time_zone.", nil)
	}
	g.Location = hearth.Location{Address: loc.Address, City: loc.City, Region: loc.Region, PostalCode: loc.PostalCode,
		Country: loc.Country, Approximate: loc.Approximate, TimeZone: zone}
	switch {
	case loc.Lat != nil && loc.Lon != nil:
		g.Location.Lat, g.Location.Lon, g.Location.HasPoint = *loc.Lat, *loc.Lon, true
	case loc.Lat != nil:
		p.Add("lon", "required", "Give the longitude with the latitude (both or neither).", nil)
	case loc.Lon != nil:
		p.Add("lat", "required", "Give the latitude with the longitude (both or neither).", nil)
	}

	sc := in.Schedule
	g.Schedule.Duration = sc.DurationMinutes
	if len(sc.Weekday) == 0 || string(sc.Weekday) == "null" {
		p.Add("weekday", "required", "Say which day of the week the group meets, like \"tuesday\".", nil)
	} else if d, ok := parseWeekday(sc.Weekday); ok {
		g.Schedule.Weekday = d
	} else {
		p.Add("weekday", "unknown", "The weekday must be a day's name, like \"tuesday\", or a number from 0 (Sunday) to 6 (Saturday).",
			map[string]any{"Value": clipValue(string(sc.Weekday))})
	}
	if strings.TrimSpace(sc.Start) == "" {
		p.Add("start", "required", "Say when the meeting starts, like \"19:00\".", nil)
	} else if m, ok := hearth.ParseClock(sc.Start); ok {
		g.Schedule.Start = m
	} else {
		p.Add("start", "clock", "Give the start time as HH:MM on a 24-hour clock, like \"19:00\".", nil)
	}

	if e := in.Enrollment; e != nil {
		tz, err := time.LoadLocation(zone)
		if err != nil || zone == "" || zone == "Local" {
			tz = time.UTC
		}
		en := &hearth.Enrollment{Cap: e.Cap, Sessions: e.Sessions}
		var ok1, ok2, ok3 bool
		en.Opens, ok1 = parseMoment(e.Opens, tz, false)
		en.Closes, ok2 = parseMoment(e.Closes, tz, true)
		en.Starts, ok3 = parseMoment(e.Starts, tz, false)
		if !ok1 || !ok2 {
			p.Add("enrollment_window", "date", "Give the enrollment dates as YYYY-MM-DD or as RFC 3339 times, like 2026-03-01 or 2026-03-01T18:00:00Z.", nil)
		}
		if !ok3 {
			p.Add("starts", "date", "Give the start date as YYYY-MM-DD or as an RFC 3339 time, like 2026-04-07.", nil)
		}
		g.Enrollment = en
	}
	return g, p.Err()
}

// ---------------------------------------------------------------------------
// Directory

type pointJSON struct {
	Lat float64 `json:"lat"`
	Lon float64 `json:"lon"`
}

type searchJSON struct {
	Groups  []groupJSON `json:"groups"`
	Total   int         `json:"total"`
	Page    int         `json:"page"`
	PerPage int         `json:"per_page"`
	Pages   int         `json:"pages"`
	Place   string      `json:"place,omitempty"`
	Near    *pointJSON  `json:"near,omitempty"`
}

func (s *Server) apiSearch(w http.ResponseWriter, r *http.Request) error {
	q, err := hearth.ParseSearch(r.URL.Query())
	if err != nil {
		return err
	}
	res, err := s.app.Search(r.Context(), q)
	if err != nil {
		return err
	}
	now := s.app.Now()
	out := searchJSON{Groups: make([]groupJSON, 0, len(res.Hits)), Total: res.Total, Page: res.Page, PerPage: res.PerPage,
		Pages: res.Pages(), Place: res.Place}
	if res.Near != nil {
		out.Near = &pointJSON{Lat: res.Near.Lat, Lon: res.Near.Lon}
	}
	for _, h := range res.Hits {
		g := newGroupJSON(h.Group, h.NextMeeting, h.Group.AcceptingAt(now))
		if h.DistanceKm != nil {
			d := math.Round(*h.DistanceKm*100) / 100
			g.DistanceKm = &d
		}
		out.Groups = append(out.Groups, g)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

type topicJSON struct {
	Slug   string            `json:"slug"`
	Parent *string           `json:"parent"`
	Name   map[string]string `json:"name"`
}

func (s *Server) apiTopics(w http.ResponseWriter, r *http.Request) error {
	ts := hearth.Topics()
	out := struct {
		Topics []topicJSON `json:"topics"`
	}{Topics: make([]topicJSON, 0, len(ts))}
	for _, t := range ts {
		tj := topicJSON{Slug: t.Slug, Name: map[string]string{"en": t.Label("en"), "es": t.Label("es")}}
		if t.Parent != "" {
			parent := t.Parent
			tj.Parent = &parent
		}
		out.Topics = append(out.Topics, tj)
	}
	writePublicJSON(w, out)
	return nil
}

type placeJSON struct {
	Label    string  `json:"label"`
	Lat      float64 `json:"lat"`
	Lon      float64 `json:"lon"`
	TimeZone string  `json:"time_zone"`
	Country  string  `json:"country"`
}

// Place suggestion limits.
const (
	maxPlaceQuery   = 120
	defaultPlaces   = 8
	maxPlaceResults = 20
)

func (s *Server) apiPlaces(w http.ResponseWriter, r *http.Request) error {
	v := r.URL.Query()
	var p hearth.Problems
	q := strings.TrimSpace(v.Get("q"))
	switch {
	case q == "":
		p.Add("q", "required", "Type the start of a city's name or a postal code.", nil)
	case !utf8.ValidString(q) || strings.ContainsRune(q, 0):
		p.Add("q", "invalid_text", "The text contains characters that are not valid text.", nil)
	case utf8.RuneCountInString(q) > maxPlaceQuery:
		p.Add("q", "too_long", fmt.Sprintf("Type at most %d characters.", maxPlaceQuery), map[string]any{"Max": maxPlaceQuery})
	}
	limit := defaultPlaces
	if raw := strings.TrimSpace(v.Get("limit")); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 {
			p.Add("limit", "out_of_range", fmt.Sprintf("limit must be a whole number from 1 to %d.", maxPlaceResults), map[string]any{"Min": 1, "Max": maxPlaceResults})
		}
		limit = min(n, maxPlaceResults)
	}
	if err := p.Err(); err != nil {
		return err
	}
	out := struct {
		Places []placeJSON `json:"places"`
	}{Places: []placeJSON{}}
	for _, pl := range s.app.Gazetteer().Suggest(q, limit) {
		out.Places = append(out.Places, placeJSON{Label: pl.Label(), Lat: pl.Lat, Lon: pl.Lon, TimeZone: pl.TimeZone, Country: pl.Country})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) apiOpenAPI(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	w.Write(s.openapi)
	return nil
}

// ---------------------------------------------------------------------------
// One group

func (s *Server) apiGroup(w http.ResponseWriter, r *http.Request) error {
	slug, err := slugParam(r, "slug", "group")
	if err != nil {
		return err
	}
	v, err := s.app.Group(r.Context(), visitorOf(r).Actor, slug)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, newGroupDetailJSON(v))
	return nil
}

// writeGroup answers with the group as its editor now sees it.
func (s *Server) writeGroup(w http.ResponseWriter, r *http.Request, status int, slug string) error {
	v, err := s.app.Group(r.Context(), visitorOf(r).Actor, slug)
	if err != nil {
		return err
	}
	if status == http.StatusCreated {
		w.Header().Set("Location", "/api/v1/groups/"+slug)
	}
	writeJSON(w, status, newGroupDetailJSON(v))
	return nil
}

type joinInput struct {
	Pseudonym        string `json:"pseudonym"`
	AcceptGuidelines bool   `json:"accept_guidelines"`
	ShareEmail       bool   `json:"share_email"` // let the facilitators see the account's email
}

func (s *Server) apiJoin(w http.ResponseWriter, r *http.Request) error {
	slug, err := slugParam(r, "slug", "group")
	if err != nil {
		return err
	}
	var in joinInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	m, err := s.app.Join(r.Context(), visitorOf(r).Actor, slug, app.JoinRequest{Pseudonym: in.Pseudonym, AcceptGuidelines: in.AcceptGuidelines, ShareEmail: in.ShareEmail})
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/groups/"+slug)
	writeJSON(w, http.StatusCreated, newMembershipJSON(slug, m))
	return nil
}

func (s *Server) apiUpdateGroup(w http.ResponseWriter, r *http.Request) error {
	slug, err := slugParam(r, "slug", "group")
	if err != nil {
		return err
	}
	var in groupInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	g, err := in.toGroup()
	if err != nil {
		return err
	}
	if strings.TrimSpace(g.Slug) == "" {
		g.Slug = slug // keep the address unless a new one is given
	}
	if err := s.app.UpdateGroup(r.Context(), visitorOf(r).Actor, slug, g); err != nil {
		return err
	}
	return s.writeGroup(w, r, http.StatusOK, g.Slug)
}

func (s *Server) apiCreateGroup(w http.ResponseWriter, r *http.Request) error {
	org, err := slugParam(r, "org", "organization")
	if err != nil {
		return err
	}
	var in groupInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	g, err := in.toGroup()
	if err != nil {
		return err
	}
	if err := s.app.CreateGroup(r.Context(), visitorOf(r).Actor, org, g); err != nil {
		return err
	}
	return s.writeGroup(w, r, http.StatusCreated, g.Slug)
}

// facilitatorJSON is a group's leader as its staff see them.
type facilitatorJSON struct {
	Handle    string      `json:"handle"`
	Pseudonym string      `json:"pseudonym"`
	Role      hearth.Role `json:"role"`
	Since     string      `json:"since"`
}

func newFacilitatorJSON(m sqldb.Member) facilitatorJSON {
	return facilitatorJSON{Handle: m.Handle, Pseudonym: m.Pseudonym, Role: m.Role, Since: rfc3339(m.JoinedAt)}
}

func (s *Server) apiFacilitators(w http.ResponseWriter, r *http.Request) error {
	slug, err := slugParam(r, "slug", "group")
	if err != nil {
		return err
	}
	ms, err := s.app.Facilitators(r.Context(), visitorOf(r).Actor, slug)
	if err != nil {
		return err
	}
	out := struct {
		Facilitators []facilitatorJSON `json:"facilitators"`
	}{Facilitators: make([]facilitatorJSON, 0, len(ms))}
	for _, m := range ms {
		out.Facilitators = append(out.Facilitators, newFacilitatorJSON(m))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

type appointInput struct {
	Handle    string `json:"handle"`
	Pseudonym string `json:"pseudonym"`
	Role      string `json:"role"`
}

func (s *Server) apiAppointFacilitator(w http.ResponseWriter, r *http.Request) error {
	slug, err := slugParam(r, "slug", "group")
	if err != nil {
		return err
	}
	var in appointInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	actor := visitorOf(r).Actor
	if err := s.app.AppointFacilitator(r.Context(), actor, slug, in.Handle, in.Pseudonym, hearth.Role(in.Role)); err != nil {
		return err
	}
	ms, err := s.app.Facilitators(r.Context(), actor, slug)
	if err != nil {
		return err
	}
	handle := hearth.NormalizeHandle(in.Handle)
	for _, m := range ms {
		if m.Handle == handle {
			writeJSON(w, http.StatusCreated, newFacilitatorJSON(m))
			return nil
		}
	}
	return fmt.Errorf("appointed facilitator %q of %s is not listed", handle, slug)
}

// ---------------------------------------------------------------------------
// Organizations

// orgJSON is an organization as anyone may see it.
type orgJSON struct {
	Slug        string `json:"slug"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Website     string `json:"website"`
	Contact     string `json:"contact"`
}

func newOrgJSON(o *hearth.Organization) orgJSON {
	return orgJSON{Slug: o.Slug, Name: o.Name, Description: o.Description, Website: o.Website, Contact: o.Contact}
}

// orgInput is an organization as a client writes it; the slug is set once,
// at creation.
type orgInput struct {
	Slug        string `json:"slug"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Website     string `json:"website"`
	Contact     string `json:"contact"`
}

func (in orgInput) organization() *hearth.Organization {
	return &hearth.Organization{Slug: in.Slug, Name: in.Name, Description: in.Description, Website: in.Website, Contact: in.Contact}
}

func (s *Server) apiOrganizations(w http.ResponseWriter, r *http.Request) error {
	orgs, err := s.app.ManagedOrganizations(r.Context(), visitorOf(r).Actor)
	if err != nil {
		return err
	}
	out := struct {
		Organizations []orgJSON `json:"organizations"`
	}{Organizations: make([]orgJSON, 0, len(orgs))}
	for _, o := range orgs {
		out.Organizations = append(out.Organizations, newOrgJSON(o))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) apiCreateOrganization(w http.ResponseWriter, r *http.Request) error {
	var in orgInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	o := in.organization()
	if err := s.app.CreateOrganization(r.Context(), visitorOf(r).Actor, o); err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/organizations/"+o.Slug)
	writeJSON(w, http.StatusCreated, newOrgJSON(o))
	return nil
}

func (s *Server) apiOrganization(w http.ResponseWriter, r *http.Request) error {
	slug, err := slugParam(r, "org", "organization")
	if err != nil {
		return err
	}
	o, err := s.app.Organization(r.Context(), slug)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, newOrgJSON(o))
	return nil
}

func (s *Server) apiUpdateOrganization(w http.ResponseWriter, r *http.Request) error {
	slug, err := slugParam(r, "org", "organization")
	if err != nil {
		return err
	}
	var in orgInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if in.Slug != "" && strings.ToLower(strings.TrimSpace(in.Slug)) != slug {
		return &hearth.Error{Kind: hearth.Invalid, Code: "invalid", Message: "Please correct the highlighted fields.",
			Fields: []hearth.FieldError{{Field: "slug", Code: "fixed", Message: "An organization's web address name cannot change; leave slug out or send the current one."}}}
	}
	o := in.organization()
	if err := s.app.UpdateOrganization(r.Context(), visitorOf(r).Actor, slug, o); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, newOrgJSON(o))
	return nil
}

func (s *Server) apiOrganizationGroups(w http.ResponseWriter, r *http.Request) error {
	slug, err := slugParam(r, "org", "organization")
	if err != nil {
		return err
	}
	o, gs, err := s.app.OrganizationGroups(r.Context(), visitorOf(r).Actor, slug)
	if err != nil {
		return err
	}
	out := struct {
		Organization orgJSON     `json:"organization"`
		Groups       []groupJSON `json:"groups"`
	}{Organization: newOrgJSON(o), Groups: make([]groupJSON, 0, len(gs))}
	for _, g := range gs {
		out.Groups = append(out.Groups, s.groupNow(g))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

type handleInput struct {
	Handle string `json:"handle"`
}

func (s *Server) apiAddOrgAdmin(w http.ResponseWriter, r *http.Request) error {
	slug, err := slugParam(r, "org", "organization")
	if err != nil {
		return err
	}
	var in handleInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if err := s.app.AddOrgAdmin(r.Context(), visitorOf(r).Actor, slug, in.Handle); err != nil {
		return err
	}
	writeNoContent(w)
	return nil
}

// ---------------------------------------------------------------------------
// Accounts and tokens

// userJSON is one's own account.
type userJSON struct {
	ID        int64  `json:"id"`
	Handle    string `json:"handle"`
	Email     string `json:"email,omitempty"`
	Locale    string `json:"locale"`
	TimeZone  string `json:"time_zone"`
	SiteAdmin bool   `json:"site_admin"`
	CreatedAt string `json:"created_at"`
}

func newUserJSON(u *hearth.User) userJSON {
	return userJSON{ID: u.ID, Handle: u.Handle, Email: u.Email, Locale: u.Locale, TimeZone: u.TimeZone,
		SiteAdmin: u.SiteAdmin, CreatedAt: rfc3339(u.CreatedAt)}
}

type signUpInput struct {
	Handle   string `json:"handle"`
	Password string `json:"password"`
	Email    string `json:"email"`
	Locale   string `json:"locale"`
}

type signUpJSON struct {
	User         userJSON `json:"user"`
	RecoveryCode string   `json:"recovery_code"`
	Token        string   `json:"token"`
}

// recoverInput is a lost password's way back: the handle, the recovery code
// shown at sign-up, and a new password.
type recoverInput struct {
	Handle       string `json:"handle"`
	RecoveryCode string `json:"recovery_code"`
	Password     string `json:"password"`
}

// apiRecover sets a new password with the recovery code, ends every session
// of the account, and answers like sign-up: a new one-time recovery code and
// a new token.
func (s *Server) apiRecover(w http.ResponseWriter, r *http.Request) error {
	var in recoverInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	ctx := r.Context()
	u, code, err := s.app.Recover(ctx, in.Handle, in.RecoveryCode, in.Password, in.Password, s.clientAddr(r))
	if err != nil {
		return err
	}
	token, _, err := s.app.CreateToken(ctx, hearth.Actor{UserID: u.ID, Handle: u.Handle}, "recovery")
	if err != nil {
		return fmt.Errorf("token for recovered account %d: %w", u.ID, err)
	}
	writeJSON(w, http.StatusOK, signUpJSON{User: newUserJSON(u), RecoveryCode: code, Token: token})
	return nil
}

func (s *Server) apiSignUp(w http.ResponseWriter, r *http.Request) error {
	var in signUpInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if in.Locale != "" && in.Locale != "en" && in.Locale != "es" {
		return &hearth.Error{Kind: hearth.Invalid, Code: "invalid", Message: "Please correct the highlighted fields.",
			Fields: []hearth.FieldError{{Field: "locale", Code: "unknown", Message: "Choose en (English) or es (Spanish), or leave locale out.",
				Params: map[string]any{"Value": clipValue(in.Locale)}}}}
	}
	ctx := r.Context()
	u, code, err := s.app.SignUp(ctx, hearth.SignUp{Handle: in.Handle, Email: in.Email, Password: in.Password,
		PasswordConfirm: in.Password, Locale: in.Locale}, s.clientAddr(r))
	if err != nil {
		return err
	}
	token, _, err := s.app.CreateToken(ctx, hearth.Actor{UserID: u.ID, Handle: u.Handle}, "sign-up")
	if err != nil {
		return fmt.Errorf("token for new account %d: %w", u.ID, err)
	}
	w.Header().Set("Location", "/api/v1/account")
	writeJSON(w, http.StatusCreated, signUpJSON{User: newUserJSON(u), RecoveryCode: code, Token: token})
	return nil
}

func (s *Server) apiAccount(w http.ResponseWriter, r *http.Request) error {
	u, err := s.app.User(r.Context(), visitorOf(r).Actor)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, newUserJSON(u))
	return nil
}

type preferencesInput struct {
	Locale   string `json:"locale"`
	TimeZone string `json:"time_zone"`
}

// apiMyGroups lists the caller's memberships, newest first.
func (s *Server) apiMyGroups(w http.ResponseWriter, r *http.Request) error {
	groups, err := s.app.MyGroups(r.Context(), visitorOf(r).Actor)
	if err != nil {
		return err
	}
	out := make([]*membershipJSON, len(groups))
	for i := range groups {
		out[i] = newMembershipJSON(groups[i].GroupSlug, &groups[i].Membership)
	}
	writeJSON(w, http.StatusOK, map[string]any{"memberships": out})
	return nil
}

func (s *Server) apiPreferences(w http.ResponseWriter, r *http.Request) error {
	var in preferencesInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if err := s.app.SetPreferences(r.Context(), visitorOf(r).Actor, strings.TrimSpace(in.Locale), strings.TrimSpace(in.TimeZone)); err != nil {
		return err
	}
	writeNoContent(w)
	return nil
}

// tokenJSON is a personal access token as listed: never the token itself.
type tokenJSON struct {
	ID         int64   `json:"id"`
	Name       string  `json:"name"`
	CreatedAt  string  `json:"created_at"`
	LastUsedAt *string `json:"last_used_at"`
}

// newTokenJSON is a token just made, shown this once.
type newTokenJSON struct {
	Token     string `json:"token"`
	ID        int64  `json:"id"`
	Name      string `json:"name"`
	CreatedAt string `json:"created_at"`
}

func (s *Server) apiTokens(w http.ResponseWriter, r *http.Request) error {
	ts, err := s.app.Tokens(r.Context(), visitorOf(r).Actor)
	if err != nil {
		return err
	}
	out := struct {
		Tokens []tokenJSON `json:"tokens"`
	}{Tokens: make([]tokenJSON, 0, len(ts))}
	for _, t := range ts {
		tj := tokenJSON{ID: t.ID, Name: t.Name, CreatedAt: rfc3339(t.Created)}
		if !t.LastUsed.IsZero() {
			lu := rfc3339(t.LastUsed)
			tj.LastUsedAt = &lu
		}
		out.Tokens = append(out.Tokens, tj)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

type tokenNameInput struct {
	Name string `json:"name"`
}

func (s *Server) createToken(w http.ResponseWriter, r *http.Request, actor hearth.Actor, name string) error {
	token, t, err := s.app.CreateToken(r.Context(), actor, name)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, newTokenJSON{Token: token, ID: t.ID, Name: t.Name, CreatedAt: rfc3339(t.Created)})
	return nil
}

func (s *Server) apiCreateToken(w http.ResponseWriter, r *http.Request) error {
	var in tokenNameInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	return s.createToken(w, r, visitorOf(r).Actor, in.Name)
}

func (s *Server) apiRevokeToken(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return hearth.Errorf(hearth.NotFound, "The token was not found.")
	}
	if err := s.app.RevokeToken(r.Context(), visitorOf(r).Actor, id); err != nil {
		return err
	}
	writeNoContent(w)
	return nil
}

type signInInput struct {
	Login    string `json:"login"`
	Password string `json:"password"`
	Name     string `json:"name"`
}

// apiSignInToken is signing in for API clients: a handle (or email) and
// password give a new token. Failures answer alike whether or not the
// account exists, and count against the same limits as the sign-in page.
func (s *Server) apiSignInToken(w http.ResponseWriter, r *http.Request) error {
	var in signInInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	u, err := s.app.SignIn(r.Context(), in.Login, in.Password, s.clientAddr(r))
	if err != nil {
		return err
	}
	name := strings.TrimSpace(in.Name)
	if name == "" {
		name = "sign-in"
	}
	return s.createToken(w, r, hearth.Actor{UserID: u.ID, Handle: u.Handle}, name)
}
