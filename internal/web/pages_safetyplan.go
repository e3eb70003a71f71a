package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/app"
	"github.com/hearth-org/hearth/internal/i18n"
	"github.com/hearth-org/hearth/internal/safety"
)

// The safety plan pages (issue 4, section 3): /account/safety-plan to read
// and write one's own plan, /account/safety-plan/print for paper, and
// /account/safety-plan.json to take it away. They show only the signed-in
// person's own plan; there is no address for anyone else's. Every answer
// carries Cache-Control: no-store (render sets it for pages; the export and
// the print page set it too), so no shared cache or back button keeps a
// copy.
//
// The form works without JavaScript: each section shows its items and a
// few empty lines; "Add more lines" posts the form back and it is shown again
// with more empty lines (nothing is saved until "Save my plan"). The first
// button of the form is a Save button, so Enter in a field saves.

// planBlankLines is how many empty lines a section shows to fill in, and
// how many "Add more lines" adds.
const planBlankLines = 2

// Flash keys of the plan page: saved, and saved with words that read as a
// crisis (the page then shows the helplines first).
const (
	flashPlanSaved        = "flash.safety_plan_saved"
	flashPlanSavedSupport = "flash.safety_plan_saved_support"
)

type safetyPlanPage struct {
	base
	View        *app.SafetyPlanView
	Sections    []planSectionForm
	Form        formState
	Delete      formState
	Support     bool             // the plan just saved reads as a crisis: help first
	Country     *safety.Country  // the viewer's country's help, for the panel and the suggestions (nil: unknown)
	Fallback    safety.Country   // help anywhere else
	Suggestions []planSuggestion // helplines of the viewer's country not yet in the plan
	Kept        int
	Printing    bool
}

// planSectionForm is one section of the plan as the form shows it.
type planSectionForm struct {
	Key        string
	Number     int
	Contacts   bool
	Rows       []planRow
	Problems   []string // about the section as a whole (too many items)
	CanAddMore bool
	Focus      int // index of the row to focus after "Add more lines" (-1: none)
}

// planRow is one line of a section: text, or a contact's name and phone.
type planRow struct {
	Index       int
	Text        string
	Phone       string
	Errors      []string // the text's or the name's problems
	PhoneErrors []string
}

// N is the row's number as people count.
func (r planRow) N() int { return r.Index + 1 }

// planSuggestion is a helpline the person may add to section 5.
type planSuggestion struct {
	Value string // "US:0": country code and line index; "US:emergency"
	Name  string
	Phone string
}

// Dial gives a number as a tel: link dials it.
func (p *safetyPlanPage) Dial(phone string) string { return hearth.PlanDial(phone) }

// PlanCountryName names a country of the directory in the page's language.
func (p *safetyPlanPage) PlanCountryName(c *safety.Country) string {
	if n := c.Name[p.Lang]; n != "" {
		return n
	}
	return c.Name["en"]
}

// SectionTitle is a section's heading key's text.
func (p *safetyPlanPage) SectionTitle(key string) string {
	return p.T("safety_plan.section." + key)
}

// planCountry is the person's country as the crisis panel and /help guess
// it (?country=, the browser's language region, the time zone's country);
// "" when unknown.
func planCountry(r *http.Request) string { return viewerCountry(r) }

// fillPlanHelp sets the viewer's country's help (the international
// fallback when the country is unknown or not in the directory) and the
// section 5 suggestions not already in the plan.
func (s *Server) fillPlanHelp(r *http.Request, p *safetyPlanPage, plan *hearth.SafetyPlan) {
	p.Fallback, _ = safety.Find("INT")
	c, ok := safety.Find(planCountry(r))
	if !ok || c.Code == "INT" {
		return
	}
	p.Country = &c
	have := map[string]bool{}
	for _, pc := range plan.Professionals {
		have[hearth.PlanDial(pc.Phone)] = true
	}
	for _, pc := range plan.People {
		have[hearth.PlanDial(pc.Phone)] = true
	}
	for _, sg := range planSuggestions(c, s.locale(r)) {
		if !have[hearth.PlanDial(sg.Phone)] {
			p.Suggestions = append(p.Suggestions, sg)
		}
	}
}

// planSuggestions lists the lines of a country one can call, and its
// emergency number.
func planSuggestions(c safety.Country, l *i18n.Locale) []planSuggestion {
	var out []planSuggestion
	for i, line := range c.Lines {
		if line.Phone == "" {
			continue
		}
		out = append(out, planSuggestion{Value: c.Code + ":" + strconv.Itoa(i), Name: line.Name, Phone: line.PhoneDisplay})
	}
	if c.Emergency != "" {
		out = append(out, planSuggestion{Value: c.Code + ":emergency", Name: l.T("safety_plan.emergency_services"), Phone: c.Emergency})
	}
	return out
}

// resolveSuggestion turns a chosen suggestion back into a contact, from the
// directory (never from the form's words).
func resolveSuggestion(value string, l *i18n.Locale) (hearth.PlanContact, bool) {
	code, which, ok := strings.Cut(value, ":")
	if !ok {
		return hearth.PlanContact{}, false
	}
	for _, c := range safety.Directory() {
		if c.Code != code {
			continue
		}
		for _, sg := range planSuggestions(c, l) {
			if sg.Value == code+":"+which {
				return hearth.PlanContact{Name: sg.Name, Phone: sg.Phone}, true
			}
		}
	}
	return hearth.PlanContact{}, false
}

// planSections lays the plan out for the form: every item, then blanks
// empty lines (more for the section the person asked to grow), never more
// lines than a section may hold.
func planSections(plan *hearth.SafetyPlan, grow string, blanks int) []planSectionForm {
	var out []planSectionForm
	for i, key := range hearth.PlanSections() {
		sec := planSectionForm{Key: key, Number: i + 1, Contacts: hearth.PlanSectionHasContacts(key), Focus: -1}
		if sec.Contacts {
			for j, c := range plan.Contacts(key) {
				sec.Rows = append(sec.Rows, planRow{Index: j, Text: c.Name, Phone: c.Phone})
			}
		} else {
			for j, l := range plan.Lines(key) {
				sec.Rows = append(sec.Rows, planRow{Index: j, Text: l})
			}
		}
		n := blanks
		if key == grow {
			n += planBlankLines
			sec.Focus = len(sec.Rows)
		}
		for ; n > 0 && len(sec.Rows) < hearth.MaxPlanItems; n-- {
			sec.Rows = append(sec.Rows, planRow{Index: len(sec.Rows)})
		}
		if sec.Focus >= len(sec.Rows) {
			sec.Focus = -1
		}
		sec.CanAddMore = len(sec.Rows) < hearth.MaxPlanItems
		out = append(out, sec)
	}
	return out
}

// planFromForm reads the plan the form sent: one value per line, in order;
// a contact section sends names and phones in pairs. The rows stay in
// place (empty ones too) so problems point at the right line.
func planFromForm(form map[string][]string) (hearth.SafetyPlan, error) {
	var plan hearth.SafetyPlan
	for _, key := range hearth.PlanSections() {
		if hearth.PlanSectionHasContacts(key) {
			names, phones := form[key+"_name"], form[key+"_phone"]
			if len(names) != len(phones) {
				return plan, errBadForm
			}
			var cs []hearth.PlanContact
			for i := range names {
				cs = append(cs, hearth.PlanContact{Name: names[i], Phone: phones[i]})
			}
			plan.SetContacts(key, cs)
			continue
		}
		plan.SetLines(key, slices.Clone(form[key]))
	}
	return plan, nil
}

// planFormIndexes maps each item the app will see (empty rows dropped, as
// Normalize does) to the row it had in the form, per section.
func planFormIndexes(plan *hearth.SafetyPlan) map[string][]int {
	idx := map[string][]int{}
	for _, key := range hearth.PlanSections() {
		if hearth.PlanSectionHasContacts(key) {
			for i, c := range plan.Contacts(key) {
				if strings.TrimSpace(c.Name) != "" || strings.TrimSpace(c.Phone) != "" {
					idx[key] = append(idx[key], i)
				}
			}
			continue
		}
		for i, l := range plan.Lines(key) {
			if strings.TrimSpace(l) != "" {
				idx[key] = append(idx[key], i)
			}
		}
	}
	return idx
}

// planProblem translates one of the plan's field problems.
func planProblem(l *i18n.Locale, fe hearth.FieldError) string {
	key := "safety_plan.error." + fe.Code
	pairs := make([]any, 0, 2*len(fe.Params))
	for k, v := range fe.Params {
		pairs = append(pairs, strings.ToLower(k), v)
	}
	if t := l.T(key, pairs...); t != key {
		return t
	}
	return fe.Message
}

// showPlanProblems puts the app's field problems next to the lines they
// are about. The app numbers items after dropping empty lines; indexes maps
// them back to the form's rows.
func (s *Server) showPlanProblems(r *http.Request, p *safetyPlanPage, err error, indexes map[string][]int) bool {
	e, status := classify(err)
	if status >= 500 || status == http.StatusForbidden || status == http.StatusNotFound || status == http.StatusUnauthorized {
		return false
	}
	l := s.locale(r)
	p.Form.Errors = []string{s.translateError(l, e)}
	if len(e.Fields) > 0 {
		p.Form.Errors[0] = l.T("safety_plan.error.summary")
	}
	for _, fe := range e.Fields {
		msg := planProblem(l, fe)
		section, rest, _ := strings.Cut(fe.Field, "[")
		si := slices.Index(hearth.PlanSections(), section)
		if si < 0 {
			p.Form.Errors = append(p.Form.Errors, msg)
			continue
		}
		sec := &p.Sections[si]
		if rest == "" {
			sec.Problems = append(sec.Problems, msg)
			p.Form.Errors = append(p.Form.Errors, l.T("safety_plan.section."+section)+": "+msg)
			continue
		}
		num, part, _ := strings.Cut(rest, "]")
		i, convErr := strconv.Atoi(num)
		if convErr != nil || i < 0 || i >= len(indexes[section]) || indexes[section][i] >= len(sec.Rows) {
			p.Form.Errors = append(p.Form.Errors, msg)
			continue
		}
		row := &sec.Rows[indexes[section][i]]
		// Say which line, as the person sees it.
		msg = l.T("safety_plan.error.line", "n", row.N(), "problem", msg)
		if part == ".phone" {
			row.PhoneErrors = append(row.PhoneErrors, msg)
		} else {
			row.Errors = append(row.Errors, msg)
		}
		p.Form.Errors = append(p.Form.Errors, l.T("safety_plan.section."+section)+": "+msg)
	}
	return true
}

func (s *Server) loadPlanPage(r *http.Request, p *safetyPlanPage, version int) error {
	v, err := s.app.SafetyPlan(r.Context(), visitorOf(r).Actor, version)
	if err != nil {
		return err
	}
	p.View, p.Kept = v, v.Kept
	p.Title = s.locale(r).T("safety_plan.title")
	return nil
}

// planVersionParam reads ?version=N (0 when absent). Anything else is a
// version that does not exist.
func planVersionParam(r *http.Request) (int, error) {
	raw := r.URL.Query().Get("version")
	if raw == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < 1 {
		return 0, hearth.Errorf(hearth.NotFound, "That version of your safety plan was not found.")
	}
	return n, nil
}

func (s *Server) safetyPlanPage(w http.ResponseWriter, r *http.Request) error {
	version, err := planVersionParam(r)
	if err != nil {
		return err
	}
	p := &safetyPlanPage{}
	if err := s.loadPlanPage(r, p, version); err != nil {
		return err
	}
	if c, err := r.Cookie(flashCookie); err == nil && c.Value == flashPlanSavedSupport {
		p.Support = true
	}
	p.Sections = planSections(&p.View.Plan, "", planBlankLines)
	s.fillPlanHelp(r, p, &p.View.Plan)
	s.render(w, r, http.StatusOK, "safety_plan", p)
	return nil
}

// saveSafetyPlan saves the form, or shows it again with more lines when
// the person asked for them ("more" names the section).
func (s *Server) saveSafetyPlan(w http.ResponseWriter, r *http.Request) error {
	form, err := parseForm(r)
	if err != nil {
		return err
	}
	plan, err := planFromForm(form)
	if err != nil {
		return err
	}
	l := s.locale(r)
	var chosen []hearth.PlanContact
	for _, v := range form["suggest"] {
		if c, ok := resolveSuggestion(v, l); ok {
			chosen = append(chosen, c)
		}
	}
	p := &safetyPlanPage{}
	if more := form.Get("more"); more != "" {
		if !slices.Contains(hearth.PlanSections(), more) {
			return errBadForm
		}
		plan.Professionals = append(plan.Professionals, chosen...)
		plan.Normalize()
		if err := s.loadPlanPage(r, p, 0); err != nil {
			return err
		}
		p.Sections = planSections(&plan, more, planBlankLines)
		s.fillPlanHelp(r, p, &plan)
		s.render(w, r, http.StatusOK, "safety_plan", p)
		return nil
	}
	indexes := planFormIndexes(&plan)
	full := plan
	full.Professionals = append(slices.Clone(plan.Professionals), chosen...)
	saved, err := s.app.SaveSafetyPlan(r.Context(), visitorOf(r).Actor, app.SafetyPlanInput{Plan: full, Country: planCountry(r), Lang: visitorOf(r).Lang})
	if err != nil {
		if lerr := s.loadPlanPage(r, p, 0); lerr != nil {
			return lerr
		}
		// Show what was sent, every line in place, chosen suggestions
		// added as lines of section 5.
		shown := plan
		shown.Professionals = append(slices.Clone(plan.Professionals), chosen...)
		p.Sections = planSections(&shown, "", 0)
		for k := range chosen {
			indexes[hearth.PlanProfessionals] = append(indexes[hearth.PlanProfessionals], len(plan.Professionals)+k)
		}
		if !s.showPlanProblems(r, p, err, indexes) {
			return err
		}
		s.fillPlanHelp(r, p, &shown)
		_, status := classify(err)
		s.render(w, r, status, "safety_plan", p)
		return nil
	}
	flash := flashPlanSaved
	if saved.Support != nil {
		flash = flashPlanSavedSupport
	}
	return s.redirect(w, r, "/account/safety-plan", flash)
}

func (s *Server) deleteSafetyPlan(w http.ResponseWriter, r *http.Request) error {
	form, err := parseForm(r)
	if err != nil {
		return err
	}
	if form.Get("confirm") != "yes" {
		p := &safetyPlanPage{}
		if err := s.loadPlanPage(r, p, 0); err != nil {
			return err
		}
		p.Sections = planSections(&p.View.Plan, "", planBlankLines)
		s.fillPlanHelp(r, p, &p.View.Plan)
		l := s.locale(r)
		p.Delete.Errors = []string{l.T("safety_plan.delete_confirm_needed")}
		p.Delete.fields = map[string][]string{"confirm": {l.T("safety_plan.delete_confirm_needed")}}
		s.render(w, r, http.StatusBadRequest, "safety_plan", p)
		return nil
	}
	if _, err := s.app.DeleteSafetyPlan(r.Context(), visitorOf(r).Actor); err != nil {
		return err
	}
	return s.redirect(w, r, "/account/safety-plan", "flash.safety_plan_deleted")
}

func (s *Server) safetyPlanPrintPage(w http.ResponseWriter, r *http.Request) error {
	version, err := planVersionParam(r)
	if err != nil {
		return err
	}
	p := &safetyPlanPage{Printing: true}
	if err := s.loadPlanPage(r, p, version); err != nil {
		return err
	}
	p.Sections = planSections(&p.View.Plan, "", planBlankLines)
	s.fillPlanHelp(r, p, &p.View.Plan)
	s.render(w, r, http.StatusOK, "safety_plan_print", p)
	return nil
}

// safetyPlanExport downloads the plan as JSON: the same shape as
// GET /api/v1/account/safety-plan.
func (s *Server) safetyPlanExport(w http.ResponseWriter, r *http.Request) error {
	version, err := planVersionParam(r)
	if err != nil {
		return err
	}
	v, err := s.app.SafetyPlan(r.Context(), visitorOf(r).Actor, version)
	if err != nil {
		return err
	}
	b, err := json.MarshalIndent(newSafetyPlanJSON(v), "", "  ")
	if err != nil {
		return fmt.Errorf("encode safety plan export: %w", err)
	}
	name := "safety-plan.json"
	if !v.SavedAt.IsZero() {
		name = "safety-plan-" + v.SavedAt.UTC().Format("2006-01-02") + ".json"
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Write(append(b, '\n'))
	return nil
}

// Lines returns a text section of the plan shown (for the print page).
func (p *safetyPlanPage) Lines(section string) []string { return p.View.Plan.Lines(section) }

// Contacts returns a contacts section of the plan shown.
func (p *safetyPlanPage) Contacts(section string) []hearth.PlanContact {
	return p.View.Plan.Contacts(section)
}

// VersionQuery is "?version=N" when the page shows an earlier version.
func (p *safetyPlanPage) VersionQuery() string {
	if p.View == nil || p.View.Current() {
		return ""
	}
	return "?version=" + strconv.Itoa(p.View.Version)
}

// planHelp is what the "plan-helplines" template shows: a country's help
// in the page's words.
type planHelp struct {
	P        *safetyPlanPage
	C        *safety.Country
	Fallback safety.Country
}

// HelpBox gives the viewer's country's help to the "plan-helplines"
// template (nil C: the international fallback).
func (p *safetyPlanPage) HelpBox() planHelp {
	return planHelp{P: p, C: p.Country, Fallback: p.Fallback}
}
