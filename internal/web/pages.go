package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/app"
	"github.com/hearth-org/hearth/internal/safety"
)

type homePage struct {
	base
	Areas []hearth.Topic
}

func (s *Server) homePage(w http.ResponseWriter, r *http.Request) error {
	p := &homePage{}
	for _, t := range hearth.Topics() {
		if t.Parent == "" {
			p.Areas = append(p.Areas, t)
		}
	}
	p.Title = s.locale(r).T("home.title")
	s.render(w, r, http.StatusOK, "home", p)
	return nil
}

type helpPage struct {
	base
	Countries []safety.Country
	Updated   string
	Country   string // the country chosen or guessed ("" when unknown)
}

// helpPage lists the helplines, the person's country first: the one they
// chose in the page's form (?country=, ?lang= — a GET form, no JavaScript,
// no sign-in), else the one their browser or time zone suggests
// (pages_safety.go). Choosing a language shows the page in it.
func (s *Server) helpPage(w http.ResponseWriter, r *http.Request) error {
	v := visitorOf(r)
	country, lang := helpChoice(r)
	if lang != "" {
		v.Lang = lang
	}
	if country == "" {
		country = viewerCountry(r)
	}
	loc := s.locale(r)
	p := &helpPage{Countries: s.app.Helplines(country, v.Lang), Updated: loc.Date(safety.Updated()), Country: country}
	p.Title = loc.T("help.title")
	s.render(w, r, http.StatusOK, "help", p)
	return nil
}

// acceptRegion returns the region of the first Accept-Language tag that has
// one ("es-MX" → "MX").
func acceptRegion(h string) string {
	for _, part := range strings.Split(h, ",") {
		tag, _, _ := strings.Cut(strings.TrimSpace(part), ";")
		if _, region, ok := strings.Cut(tag, "-"); ok && len(region) == 2 {
			return strings.ToUpper(region)
		}
	}
	return ""
}

type resultsPage struct {
	base
	formState
	Q          url.Values
	Results    *hearth.Results
	PlaceLabel string
	PlaceError bool
	MoreOpen   bool
	Miles      bool
	now        time.Time
}

// Has reports whether a multi-valued filter has the value.
func (p *resultsPage) Has(name, value string) bool {
	for _, v := range p.Q[name] {
		for _, part := range strings.Split(v, ",") {
			if part == value {
				return true
			}
		}
	}
	return false
}

// Accepting reports whether a closed group takes applications now.
func (p *resultsPage) Accepting(g *hearth.Group) bool { return g.AcceptingAt(p.now) }

// Next writes a meeting time in the viewer's zone when known, else the
// group's own.
func (p *resultsPage) Next(t time.Time, zone string) string {
	if t.IsZero() {
		return p.T("group.no_next_meeting")
	}
	if p.ZoneName != "" {
		return p.When(t)
	}
	return p.WhenIn(t, zone)
}

// Radius is the distance the search used, as the select shows it: the
// chosen one, or the default.
func (p *resultsPage) Radius() string {
	if r := p.Q.Get("radius"); r != "" {
		return r
	}
	return strconv.Itoa(int(hearth.DefaultRadiusKm))
}

// PlaceShown names the place searched near: as the person typed it, with
// the gazetteer's reading when it differs ("78701 (Austin, Texas, US)").
func (p *resultsPage) PlaceShown() string {
	typed := strings.TrimSpace(p.Q.Get("place"))
	if typed == "" || strings.HasPrefix(strings.ToLower(p.PlaceLabel), strings.ToLower(typed)) {
		return p.PlaceLabel
	}
	return typed + " (" + p.PlaceLabel + ")"
}

// PageURL keeps the query and changes the page.
func (p *resultsPage) PageURL(n int) string {
	q := url.Values{}
	for k, v := range p.Q {
		q[k] = v
	}
	q.Set("page", strconv.Itoa(n))
	return "/groups?" + q.Encode()
}

func (p *resultsPage) Formats() []hearth.Format         { return hearth.Formats }
func (p *resultsPage) Leaderships() []hearth.Leadership { return hearth.Leaderships }
func (p *resultsPage) Costs() []hearth.CostKind         { return hearth.CostKinds }
func (p *resultsPage) Sorts() []hearth.Sort             { return hearth.Sorts }
func (p *resultsPage) Languages() []string              { return hearth.Languages }
func (p *resultsPage) Access() []string                 { return hearth.AccessibilityFeatures }
func (p *resultsPage) Ages() []string                   { return hearth.AgeBands }
func (p *resultsPage) Genders() []string                { return hearth.Genders }
func (p *resultsPage) Communities() []string            { return hearth.Communities }
func (p *resultsPage) Days() []string                   { return hearth.DayCodes }
func (p *resultsPage) Radii() []int                     { return []int{5, 10, 25, 40, 50, 100, 250} }
func (p *resultsPage) Zones() []string                  { return commonZones }

// commonZones are offered for showing times; any IANA name works in the API.
var commonZones = []string{
	"America/New_York", "America/Chicago", "America/Denver", "America/Phoenix", "America/Los_Angeles",
	"America/Anchorage", "Pacific/Honolulu", "America/Toronto", "America/Vancouver", "America/Halifax",
	"America/Mexico_City", "America/Tijuana", "America/Bogota", "America/Lima", "America/Argentina/Buenos_Aires",
	"America/Puerto_Rico", "Europe/London", "Europe/Dublin", "Europe/Madrid", "Atlantic/Canary",
	"Australia/Sydney", "Australia/Perth", "Pacific/Auckland", "UTC",
}

func (s *Server) resultsPage(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	p := &resultsPage{Q: q, now: s.now()}
	loc := s.locale(r)
	p.Title = loc.T("results.title")
	for _, k := range []string{"topic", "language", "policy", "accepting", "leadership", "day", "from", "to", "tz", "cost", "access", "age", "gender", "community", "sort"} {
		if q.Get(k) != "" {
			p.MoreOpen = true
		}
	}
	search, err := hearth.ParseSearch(q)
	if err == nil {
		if search.ViewerZone == "" {
			search.ViewerZone = visitorOf(r).Zone
		}
		var res *hearth.Results
		res, err = s.app.Search(r.Context(), search)
		if err == nil {
			p.Results = res
			p.PlaceLabel = res.Place
			p.Miles = res.Search.Miles
			if res.Search.ViewerZone != "" {
				visitorOf(r).Zone = res.Search.ViewerZone
			}
		}
	}
	status := http.StatusOK
	if err != nil {
		if !s.setError(r, &p.formState, err) {
			return err
		}
		e := hearth.AsError(err)
		for _, f := range e.Fields {
			if f.Field == "place" {
				p.PlaceError = true
			}
		}
		status = http.StatusBadRequest
	}
	s.render(w, r, status, "results", p)
	return nil
}

type groupPage struct {
	base
	formState
	V         *app.GroupView
	Pseudonym string
	Upcoming  *upcomingMeetings // the next meetings (pages_meetings.go)
	now       time.Time
}

// OpensLater reports whether a closed group's enrollment has not opened yet.
func (p *groupPage) OpensLater() bool {
	e := p.V.Group.Enrollment
	return e != nil && p.now.Before(e.Opens)
}

// Zones lists the zones a visitor can show times in.
func (p *groupPage) Zones() []string { return commonZones }

// Enrolling reports whether a closed group takes applications now (within
// its enrollment window; a full cohort still takes them: approved
// applicants queue).
func (p *groupPage) Enrolling() bool {
	e := p.V.Group.Enrollment
	return e != nil && !p.now.Before(e.Opens) && p.now.Before(e.Closes)
}

// ReturnPath is the group page's path, to come back to after signing up.
func (p *groupPage) ReturnPath() string { return "/groups/" + p.V.Group.Slug }

// ShowViewerTime reports whether the viewer's zone differs from the group's.
func (p *groupPage) ShowViewerTime() bool {
	return !p.V.NextMeeting.IsZero() && p.ShowBoth(p.V.NextMeeting, p.V.Group.Location.TimeZone)
}

func (s *Server) groupPage(w http.ResponseWriter, r *http.Request) error {
	v, err := s.app.Group(r.Context(), visitorOf(r).Actor, r.PathValue("slug"))
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "group", s.groupPageOf(r, v))
	return nil
}

// groupPageOf builds the group page's data; the page shown again with the
// join form's problems is built here too, so it keeps every section.
func (s *Server) groupPageOf(r *http.Request, v *app.GroupView) *groupPage {
	p := &groupPage{V: v, now: s.now()}
	p.Upcoming = s.upcomingFor(r, v.Group)
	p.Title = v.Group.Name
	return p
}

func (s *Server) joinGroup(w http.ResponseWriter, r *http.Request) error {
	return s.joinMembership(w, r) // pages_membership.go: contact sharing, the line
}

func (s *Server) setLocale(w http.ResponseWriter, r *http.Request) error {
	form, err := parseForm(r)
	if err != nil {
		return err
	}
	lang := form.Get("lang")
	if !slices.Contains([]string{"en", "es"}, lang) {
		return hearth.Coded(hearth.Invalid, "unknown_language", "Choose English or Spanish.")
	}
	s.setCookie(w, r, langCookie, lang, 365*24*time.Hour)
	v := visitorOf(r)
	if v.Actor.SignedIn() && v.User != nil {
		if err := s.app.SetPreferences(r.Context(), v.Actor, lang, v.User.TimeZone); err != nil {
			s.log.Warn("save language", "err", err)
		}
	}
	return s.redirect(w, r, safeNext(form.Get("next"), "/"), "")
}

// setTimeZone remembers the zone a visitor wants times shown in (a cookie,
// and the account's setting when signed in).
func (s *Server) setTimeZone(w http.ResponseWriter, r *http.Request) error {
	form, err := parseForm(r)
	if err != nil {
		return err
	}
	zone := form.Get("tz")
	if zone != "" && !validZone(zone) {
		return &hearth.Error{Kind: hearth.Invalid, Code: "invalid", Message: "Please correct the highlighted fields.",
			Fields: []hearth.FieldError{{Field: "tz", Code: "unknown", Message: "Choose a time zone from the list.", Params: map[string]any{"Value": zone}}}}
	}
	if zone == "" {
		s.clearCookie(w, r, zoneCookie)
	} else {
		s.setCookie(w, r, zoneCookie, zone, 365*24*time.Hour)
	}
	v := visitorOf(r)
	if v.Actor.SignedIn() && v.User != nil {
		if err := s.app.SetPreferences(r.Context(), v.Actor, v.User.Locale, zone); err != nil {
			s.log.Warn("save time zone", "err", err)
		}
	}
	return s.redirect(w, r, safeNext(form.Get("next"), "/"), "")
}

type signupPage struct {
	base
	formState
	Handle, Email, Next string
}

func (s *Server) signupPage(w http.ResponseWriter, r *http.Request) error {
	p := &signupPage{Next: safeNext(r.URL.Query().Get("next"), "")}
	p.Title = s.locale(r).T("signup.title")
	s.render(w, r, http.StatusOK, "signup", p)
	return nil
}

type signupDonePage struct {
	base
	Handle, Code, Next string
}

func (s *Server) signup(w http.ResponseWriter, r *http.Request) error {
	form, err := parseForm(r)
	if err != nil {
		return err
	}
	next := safeNext(form.Get("next"), "/account")
	su := hearth.SignUp{Handle: form.Get("handle"), Email: form.Get("email"), Password: form.Get("password"),
		PasswordConfirm: form.Get("password_confirm"), Locale: visitorOf(r).Lang}
	u, code, err := s.app.SignUp(r.Context(), su, s.clientAddr(r))
	if err != nil {
		p := &signupPage{Handle: form.Get("handle"), Email: form.Get("email"), Next: form.Get("next")}
		if !s.setError(r, &p.formState, err, "handle", "email", "password", "password_confirm") {
			return err
		}
		p.Title = s.locale(r).T("signup.title")
		_, status := classify(err)
		s.render(w, r, status, "signup", p)
		return nil
	}
	if err := s.startSession(w, r, u.ID); err != nil {
		return err
	}
	// The recovery code is shown on this response only, never stored.
	p := &signupDonePage{Handle: u.Handle, Code: code, Next: next}
	p.Title = s.locale(r).T("done.title")
	s.render(w, r, http.StatusCreated, "signup_done", p)
	return nil
}

func (s *Server) startSession(w http.ResponseWriter, r *http.Request, userID int64) error {
	if old := visitorOf(r).SessionToken; old != "" {
		_ = s.app.EndSession(r.Context(), old)
	}
	token, exp, err := s.app.StartSession(r.Context(), userID)
	if err != nil {
		return err
	}
	// The cookie lasts as long as the session can, measured on the app's
	// clock (the one sessions are kept by); the server ends idle sessions.
	s.setCookie(w, r, sessionCookie, token, exp.Sub(s.app.Now()))
	return nil
}

type signinPage struct {
	base
	formState
	Login, Next string
}

func (s *Server) signinPage(w http.ResponseWriter, r *http.Request) error {
	p := &signinPage{Next: safeNext(r.URL.Query().Get("next"), "")}
	p.Title = s.locale(r).T("signin.title")
	s.render(w, r, http.StatusOK, "signin", p)
	return nil
}

func (s *Server) signout(w http.ResponseWriter, r *http.Request) error {
	if t := visitorOf(r).SessionToken; t != "" {
		if err := s.app.EndSession(r.Context(), t); err != nil {
			return err
		}
	}
	s.clearCookie(w, r, sessionCookie)
	return s.redirect(w, r, "/", "flash.signed_out")
}

type recoverPage struct {
	base
	formState
	Handle string
}

func (s *Server) recoverPage(w http.ResponseWriter, r *http.Request) error {
	p := &recoverPage{}
	p.Title = s.locale(r).T("recover.title")
	s.render(w, r, http.StatusOK, "recover", p)
	return nil
}

func (s *Server) recover(w http.ResponseWriter, r *http.Request) error {
	form, err := parseForm(r)
	if err != nil {
		return err
	}
	u, code, err := s.app.Recover(r.Context(), form.Get("handle"), form.Get("code"), form.Get("password"), form.Get("password_confirm"), s.clientAddr(r))
	if err != nil {
		p := &recoverPage{Handle: form.Get("handle")}
		if !s.setError(r, &p.formState, err, "password", "password_confirm") {
			return err
		}
		p.Title = s.locale(r).T("recover.title")
		_, status := classify(err)
		s.render(w, r, status, "recover", p)
		return nil
	}
	if err := s.startSession(w, r, u.ID); err != nil {
		return err
	}
	p := &signupDonePage{Handle: u.Handle, Code: code, Next: "/account"}
	p.Title = s.locale(r).T("done.title")
	s.render(w, r, http.StatusOK, "signup_done", p)
	return nil
}
