package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/app"
	"github.com/hearth-org/hearth/internal/i18n"
	"github.com/hearth-org/hearth/internal/safety"
)

// Safety pages: the crisis panel a writer sees at once, the queue of
// safety alerts for facilitators, admins and on-call people, an
// organization's on-call settings and its audit log.

// supportCookie carries, across the redirect that ends a POST, that the
// page it leads to should show the crisis panel ("1"; "2" when the group's
// facilitators were told). It holds no text and no id.
const supportCookie = "hearth_support"

// crisisPanel is what the partial crisis_panel shows: help in the
// writer's country and language, their safety plan, and whether staff were
// told.
type crisisPanel struct {
	L         *i18n.Locale
	Lang      string
	Country   *safety.Country // the writer's country; nil when unknown
	Fallback  safety.Country  // help anywhere else
	StaffTold bool
	Plan      string
	HelpLink  string // /help with their country and language chosen
}

// T translates a message key.
func (c *crisisPanel) T(key string, args ...any) string { return c.L.T(key, args...) }

// Hours gives a line's hours in the panel's language.
func (c *crisisPanel) Hours(l safety.Line) string { return lineHours(l, c.Lang) }

func lineHours(l safety.Line, lang string) string {
	if h := l.Hours[lang]; h != "" {
		return h
	}
	return l.Hours["en"]
}

// viewerCountry is the country whose helplines come first for this
// request: the one chosen (?country=), the region of the browser's
// language (es-ES), or the country of the person's time zone.
func viewerCountry(r *http.Request) string {
	if c := strings.ToUpper(strings.TrimSpace(r.URL.Query().Get("country"))); c != "" {
		if _, ok := safety.Find(c); ok {
			return c
		}
	}
	if c := acceptRegion(r.Header.Get("Accept-Language")); c != "" {
		return c
	}
	return safety.CountryForZone(visitorOf(r).Zone)
}

// panelFor builds the crisis panel for the request's viewer.
func (s *Server) panelFor(r *http.Request, sup *app.Support) *crisisPanel {
	v := visitorOf(r)
	country := sup.Country
	if country == "" {
		country = viewerCountry(r)
	}
	p := &crisisPanel{L: s.catalog.Locale(v.Lang), Lang: v.Lang, StaffTold: sup.StaffTold, Plan: sup.SafetyPlan}
	if p.Plan == "" {
		p.Plan = app.SafetyPlanPath
	}
	if c, ok := safety.Find(country); ok && c.Code != "INT" {
		p.Country = &c
	}
	p.Fallback, _ = safety.Find("INT")
	p.HelpLink = "/help?lang=" + v.Lang
	if p.Country != nil {
		p.HelpLink += "&country=" + p.Country.Code
	}
	return p
}

// rememberSupport marks the page the redirect leads to to show the crisis
// panel.
func (s *Server) rememberSupport(w http.ResponseWriter, r *http.Request, sup *app.Support) {
	if sup == nil || !sup.Crisis {
		return
	}
	v := "1"
	if sup.StaffTold {
		v = "2"
	}
	s.setCookie(w, r, supportCookie, v, 10*time.Minute)
}

// takeSupport returns the crisis panel a redirect asked for (once), or nil.
func (s *Server) takeSupport(w http.ResponseWriter, r *http.Request) *crisisPanel {
	c, err := r.Cookie(supportCookie)
	if err != nil || (c.Value != "1" && c.Value != "2") {
		return nil
	}
	s.clearCookie(w, r, supportCookie)
	return s.panelFor(r, &app.Support{Crisis: true, StaffTold: c.Value == "2"})
}

// writerSupport completes what app returned with the viewer's country when
// the form did not say it.
func writerContext(r *http.Request) (country, lang string) {
	return viewerCountry(r), visitorOf(r).Lang
}

// ---------------------------------------------------------------------------
// The queue

type escalationsPage struct {
	base
	Status string
	List   []*app.Escalation
}

// Cats writes an alert's categories in the viewer's language.
func (b *base) Cats(cats []string) string {
	out := make([]string, 0, len(cats))
	for _, c := range cats {
		out = append(out, b.T("safety.category."+c))
	}
	return strings.Join(out, ", ")
}

// Zoned writes a moment for an alert's group, in both zones when they
// differ.
func (b *base) Zoned(t time.Time, zone string) string { return b.zoned(t, zone) }

func (s *Server) escalationsPage(w http.ResponseWriter, r *http.Request) error {
	status := r.URL.Query().Get("status")
	if status == "" {
		status = "open"
	}
	if status == "all" {
		status = ""
	}
	list, err := s.app.EscalationQueue(r.Context(), visitorOf(r).Actor, status)
	if err != nil {
		return err
	}
	p := &escalationsPage{Status: status, List: list}
	if p.Status == "" {
		p.Status = "all"
	}
	p.Title = s.locale(r).T("safety.queue.title")
	s.render(w, r, http.StatusOK, "escalations", p)
	return nil
}

type escalationPage struct {
	base
	formState
	V       *app.EscalationView
	Note    string
	Outcome string
}

// StepText writes one step of an alert.
func (p *escalationPage) StepText(st app.EscalationStep) string {
	who := st.ActorHandle
	if who == "" {
		who = p.T("safety.step.hearth")
	}
	return p.T("safety.step."+st.Kind, "actor", who, "person", st.UserHandle, "outcome", p.T("safety.outcome."+orDash(st.Outcome)))
}

func orDash(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

func (s *Server) escalationPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderEscalation(w, r, http.StatusOK, "", "", nil)
}

func escalationID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, hearth.Errorf(hearth.NotFound, "The safety alert was not found.")
	}
	return id, nil
}

func (s *Server) renderEscalation(w http.ResponseWriter, r *http.Request, status int, note, outcome string, formErr error) error {
	id, err := escalationID(r)
	if err != nil {
		return err
	}
	v, err := s.app.EscalationDetail(r.Context(), visitorOf(r).Actor, id)
	if err != nil {
		return err
	}
	p := &escalationPage{V: v, Note: note, Outcome: outcome}
	if formErr != nil && !s.setFormError(r, &p.formState, formErr, "safety.", "note", "outcome") {
		return formErr
	}
	p.Title = s.locale(r).T("safety.alert.title", "id", id)
	s.render(w, r, status, "escalation", p)
	return nil
}

func (s *Server) actOnEscalationPage(w http.ResponseWriter, r *http.Request) error {
	id, err := escalationID(r)
	if err != nil {
		return err
	}
	form, err := parseForm(r)
	if err != nil {
		return err
	}
	act := app.EscalationAction{Note: form.Get("note"), Outcome: form.Get("outcome")}
	flash := "flash.safety_noted"
	switch form.Get("do") {
	case "acknowledge":
		act.Acknowledge, flash = true, "flash.safety_acknowledged"
	case "resolve":
		act.Resolve, flash = true, "flash.safety_resolved"
	case "reviewed":
		act.Reviewed, flash = true, "flash.safety_reviewed"
	case "reopen":
		act.Reopen, flash = true, "flash.safety_reopened"
	}
	if _, err := s.app.ActOnEscalation(r.Context(), visitorOf(r).Actor, id, act); err != nil {
		_, status := classify(err)
		return s.renderEscalation(w, r, status, act.Note, act.Outcome, err)
	}
	return s.redirect(w, r, app.EscalationPath(id), flash)
}

// ---------------------------------------------------------------------------
// An organization's safety settings and audit log

type orgSafetyPage struct {
	base
	formState
	S          *app.SafetySettings
	OnCall     string // the list as typed, one handle a line
	AckMinutes string
}

func (s *Server) orgSafetyPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderOrgSafety(w, r, http.StatusOK, nil, "", "")
}

func (s *Server) renderOrgSafety(w http.ResponseWriter, r *http.Request, status int, formErr error, onCall, minutes string) error {
	st, err := s.app.OrgSafety(r.Context(), visitorOf(r).Actor, r.PathValue("org"))
	if err != nil {
		return err
	}
	p := &orgSafetyPage{S: st, OnCall: onCall, AckMinutes: minutes}
	if formErr == nil {
		var hs []string
		for _, o := range st.OnCall {
			hs = append(hs, o.Handle)
		}
		p.OnCall, p.AckMinutes = strings.Join(hs, "\n"), strconv.Itoa(st.AckMinutes)
	} else if !s.setFormError(r, &p.formState, formErr, "safety.", "on_call", "ack_minutes") {
		return formErr
	}
	p.Title = s.locale(r).T("safety.settings.title", "name", st.Org.Name)
	s.render(w, r, status, "org_safety", p)
	return nil
}

func (s *Server) saveOrgSafetyPage(w http.ResponseWriter, r *http.Request) error {
	form, err := parseForm(r)
	if err != nil {
		return err
	}
	onCall, minutes := form.Get("on_call"), strings.TrimSpace(form.Get("ack_minutes"))
	n, convErr := strconv.Atoi(minutes)
	if convErr != nil {
		n = 0 // refused with the range message
	}
	handles := strings.FieldsFunc(onCall, func(r rune) bool { return r == '\n' || r == '\r' || r == ',' })
	if _, err := s.app.SetOrgSafety(r.Context(), visitorOf(r).Actor, r.PathValue("org"), handles, n); err != nil {
		_, status := classify(err)
		return s.renderOrgSafety(w, r, status, err, onCall, minutes)
	}
	return s.redirect(w, r, "/manage/"+r.PathValue("org")+"/safety", "flash.safety_settings_saved")
}

type auditPage struct {
	base
	Org     *hearth.Organization
	Entries []app.StoredAuditEntry
	More    bool
	Next    int64
}

// AuditAction writes an audit entry's action in the viewer's language.
func (p *auditPage) AuditAction(e app.StoredAuditEntry) string {
	if t := p.T("audit.action." + e.Action); t != "audit.action."+e.Action {
		return t
	}
	return e.Action
}

func (s *Server) auditPage(w http.ResponseWriter, r *http.Request) error {
	before, _ := strconv.ParseInt(r.URL.Query().Get("before"), 10, 64)
	org, entries, more, err := s.app.AuditLog(r.Context(), visitorOf(r).Actor, r.PathValue("org"), before)
	if err != nil {
		return err
	}
	p := &auditPage{Org: org, Entries: entries, More: more}
	if more && len(entries) > 0 {
		p.Next = entries[len(entries)-1].ID
	}
	p.Title = s.locale(r).T("audit.title", "name", org.Name)
	s.render(w, r, http.StatusOK, "audit", p)
	return nil
}

// ---------------------------------------------------------------------------
// Get help now

// helpChoice reads the help page's form: a country of the directory and a
// language Hearth speaks (others are ignored).
func helpChoice(r *http.Request) (country, lang string) {
	q := r.URL.Query()
	if c, ok := safety.Find(q.Get("country")); ok {
		country = c.Code
	}
	if l := q.Get("lang"); slices.Contains(i18n.Supported, l) {
		lang = l
	}
	return country, lang
}

// CountryName names a country of the directory in the page's language.
func (b *base) CountryName(c safety.Country) string {
	if n := c.Name[b.Lang]; n != "" {
		return n
	}
	return c.Name["en"]
}

// LineHours gives a line's hours in the page's language.
func (b *base) LineHours(l safety.Line) string { return lineHours(l, b.Lang) }
