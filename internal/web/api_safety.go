package web

import (
	"net/http"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/app"
	"github.com/hearth-org/hearth/internal/safety"
)

// The safety API: the helpline directory, the crisis help returned with
// what a person wrote, the queue of safety alerts, an organization's
// on-call settings and its audit log.

type helplineJSON struct {
	Name         string   `json:"name"`
	Phone        string   `json:"phone,omitempty"`
	PhoneDisplay string   `json:"phone_display,omitempty"`
	SMS          string   `json:"sms,omitempty"`
	SMSDisplay   string   `json:"sms_display,omitempty"`
	SMSKeyword   string   `json:"sms_keyword,omitempty"`
	URL          string   `json:"url,omitempty"`
	Hours        string   `json:"hours"`
	Languages    []string `json:"languages"`
	Verified     string   `json:"verified"`
}

type helplineCountryJSON struct {
	Code      string         `json:"code"`
	Name      string         `json:"name"`
	Emergency string         `json:"emergency"`
	Lines     []helplineJSON `json:"lines"`
}

func newHelplinesJSON(list []safety.Country, lang string) []helplineCountryJSON {
	out := make([]helplineCountryJSON, 0, len(list))
	for _, c := range list {
		name := c.Name[lang]
		if name == "" {
			name = c.Name["en"]
		}
		j := helplineCountryJSON{Code: c.Code, Name: name, Emergency: c.Emergency, Lines: []helplineJSON{}}
		for _, l := range c.Lines {
			j.Lines = append(j.Lines, helplineJSON{Name: l.Name, Phone: l.Phone, PhoneDisplay: l.PhoneDisplay, SMS: l.SMS, SMSDisplay: l.SMSDisplay,
				SMSKeyword: l.SMSKeyword, URL: l.URL, Hours: lineHours(l, lang), Languages: nonNil(l.Languages), Verified: l.Verified.Format("2006-01-02")})
		}
		out = append(out, j)
	}
	return out
}

// supportJSON is the help returned to a writer whose words read as a
// crisis: their country's helplines first.
type supportJSON struct {
	Crisis     bool                  `json:"crisis"`
	Helplines  []helplineCountryJSON `json:"helplines"`
	SafetyPlan string                `json:"safety_plan"`
	StaffTold  bool                  `json:"staff_told"`
}

func newSupportJSON(sup *app.Support) *supportJSON {
	if sup == nil || !sup.Crisis {
		return nil
	}
	return &supportJSON{Crisis: true, Helplines: newHelplinesJSON(sup.Helplines, sup.Lang), SafetyPlan: sup.SafetyPlan, StaffTold: sup.StaffTold}
}

// apiHelplines lists the helpline directory, the chosen (or guessed)
// country first.
func (s *Server) apiHelplines(w http.ResponseWriter, r *http.Request) error {
	country, lang := helpChoice(r)
	if q := r.URL.Query().Get("country"); q != "" && country == "" {
		return hearth.Problems{{Field: "country", Code: "unknown", Message: "Use a country code of the directory (US, CA, MX, ES, GB, IE, AU, NZ) or INT."}}.Err()
	}
	if q := r.URL.Query().Get("lang"); q != "" && lang == "" {
		return hearth.Problems{{Field: "lang", Code: "unknown", Message: "Use en or es."}}.Err()
	}
	if country == "" {
		country = viewerCountry(r)
	}
	if lang == "" {
		lang = visitorOf(r).Lang
	}
	writeJSON(w, http.StatusOK, map[string]any{"updated": safety.Updated().Format("2006-01-02"), "country": country,
		"helplines": newHelplinesJSON(safety.ForViewer(country, lang), lang)})
	return nil
}

// ---------------------------------------------------------------------------
// Safety alerts

type escalationGroupJSON struct {
	Slug string `json:"slug"`
	Name string `json:"name"`
}

type writingJSON struct {
	Kind string  `json:"kind"`
	ID   int64   `json:"id"`
	Link *string `json:"link"`
}

type escalationJSON struct {
	ID             int64               `json:"id"`
	Group          escalationGroupJSON `json:"group"`
	Member         *string             `json:"member"`
	Tier           int                 `json:"tier"`
	Categories     []string            `json:"categories"`
	Language       string              `json:"language"`
	Held           bool                `json:"held"`
	Writing        writingJSON         `json:"writing"`
	Status         string              `json:"status"`
	CreatedAt      string              `json:"created_at"`
	AcknowledgedAt *string             `json:"acknowledged_at"`
	ResolvedAt     *string             `json:"resolved_at"`
	Outcome        *string             `json:"outcome"`
}

func optTime(t interface{ IsZero() bool }, s string) *string {
	if t.IsZero() {
		return nil
	}
	return &s
}

func optString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func newEscalationJSON(e *app.Escalation, link string) escalationJSON {
	return escalationJSON{ID: e.ID, Group: escalationGroupJSON{Slug: e.GroupSlug, Name: e.GroupName}, Member: optString(e.AuthorPseudonym),
		Tier: e.Tier, Categories: nonNil(e.Categories), Language: e.Language, Held: e.Held,
		Writing: writingJSON{Kind: e.WritingKind, ID: e.WritingID, Link: optString(link)}, Status: e.Status, CreatedAt: rfc3339(e.CreatedAt),
		AcknowledgedAt: optTime(e.AcknowledgedAt, rfc3339(e.AcknowledgedAt)), ResolvedAt: optTime(e.ResolvedAt, rfc3339(e.ResolvedAt)),
		Outcome: optString(e.Outcome)}
}

type escalationStepJSON struct {
	Kind    string  `json:"kind"`
	At      string  `json:"at"`
	Actor   *string `json:"actor"`
	Person  *string `json:"person"`
	Outcome *string `json:"outcome"`
	Note    *string `json:"note"`
}

type escalationDetailJSON struct {
	escalationJSON
	Steps []escalationStepJSON `json:"steps"`
}

func newEscalationDetailJSON(v *app.EscalationView) escalationDetailJSON {
	out := escalationDetailJSON{escalationJSON: newEscalationJSON(v.Escalation, v.WritingLink), Steps: []escalationStepJSON{}}
	for _, st := range v.Steps {
		j := escalationStepJSON{Kind: st.Kind, At: rfc3339(st.At), Actor: optString(st.ActorHandle), Person: optString(st.UserHandle), Outcome: optString(st.Outcome)}
		if n, ok := v.Notes[st.ID]; ok {
			j.Note = &n
		}
		out.Steps = append(out.Steps, j)
	}
	return out
}

func (s *Server) apiEscalations(w http.ResponseWriter, r *http.Request) error {
	actor := visitorOf(r).Actor
	list, err := s.app.EscalationQueue(r.Context(), actor, r.URL.Query().Get("status"))
	if err != nil {
		return err
	}
	out := make([]escalationJSON, 0, len(list))
	for _, e := range list {
		out = append(out, newEscalationJSON(e, app.WritingLinkFor(actor, e)))
	}
	writeJSON(w, http.StatusOK, map[string]any{"escalations": out})
	return nil
}

func (s *Server) apiEscalation(w http.ResponseWriter, r *http.Request) error {
	id, err := escalationID(r)
	if err != nil {
		return err
	}
	v, err := s.app.EscalationDetail(r.Context(), visitorOf(r).Actor, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, newEscalationDetailJSON(v))
	return nil
}

type escalationActionInput struct {
	Acknowledge bool   `json:"acknowledge"`
	Note        string `json:"note"`
	Resolve     bool   `json:"resolve"`
	Outcome     string `json:"outcome"`
	Reviewed    bool   `json:"reviewed"`
	Reopen      bool   `json:"reopen"`
}

func (s *Server) apiActOnEscalation(w http.ResponseWriter, r *http.Request) error {
	id, err := escalationID(r)
	if err != nil {
		return err
	}
	var in escalationActionInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	act := app.EscalationAction{Acknowledge: in.Acknowledge, Note: in.Note, Resolve: in.Resolve, Outcome: in.Outcome, Reviewed: in.Reviewed, Reopen: in.Reopen}
	if _, err := s.app.ActOnEscalation(r.Context(), visitorOf(r).Actor, id, act); err != nil {
		return err
	}
	return s.apiEscalation(w, r)
}

// ---------------------------------------------------------------------------
// An organization's safety settings and audit log

type onCallJSON struct {
	Position int    `json:"position"`
	Handle   string `json:"handle"`
}

type safetySettingsJSON struct {
	OnCall     []onCallJSON `json:"on_call"`
	AckMinutes int          `json:"ack_minutes"`
}

func newSafetySettingsJSON(st *app.SafetySettings) safetySettingsJSON {
	out := safetySettingsJSON{OnCall: []onCallJSON{}, AckMinutes: st.AckMinutes}
	for _, p := range st.OnCall {
		out.OnCall = append(out.OnCall, onCallJSON{Position: p.Position, Handle: p.Handle})
	}
	return out
}

func (s *Server) apiOrgSafety(w http.ResponseWriter, r *http.Request) error {
	st, err := s.app.OrgSafety(r.Context(), visitorOf(r).Actor, r.PathValue("org"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, newSafetySettingsJSON(st))
	return nil
}

type safetySettingsInput struct {
	OnCall     []string `json:"on_call"`
	AckMinutes *int     `json:"ack_minutes"`
}

func (s *Server) apiSetOrgSafety(w http.ResponseWriter, r *http.Request) error {
	var in safetySettingsInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	minutes := 5
	if in.AckMinutes != nil {
		minutes = *in.AckMinutes
	}
	st, err := s.app.SetOrgSafety(r.Context(), visitorOf(r).Actor, r.PathValue("org"), in.OnCall, minutes)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, newSafetySettingsJSON(st))
	return nil
}

type auditEntryJSON struct {
	ID          int64   `json:"id"`
	At          string  `json:"at"`
	Action      string  `json:"action"`
	Actor       *string `json:"actor"`
	Group       *string `json:"group"`
	SubjectKind string  `json:"subject_kind"`
	SubjectID   int64   `json:"subject_id"`
	Reason      string  `json:"reason"`
}

func (s *Server) apiAuditLog(w http.ResponseWriter, r *http.Request) error {
	before, err := pageCursor(r.URL.Query().Get("before"))
	if err != nil {
		return err
	}
	_, list, more, err := s.app.AuditLog(r.Context(), visitorOf(r).Actor, r.PathValue("org"), before)
	if err != nil {
		return err
	}
	out := make([]auditEntryJSON, 0, len(list))
	for _, e := range list {
		out = append(out, auditEntryJSON{ID: e.ID, At: rfc3339(e.At), Action: e.Action, Actor: optString(e.ActorHandle), Group: optString(e.GroupSlug),
			SubjectKind: e.SubjectKind, SubjectID: e.SubjectID, Reason: e.Reason})
	}
	var next *int64
	if more && len(list) > 0 {
		id := list[len(list)-1].ID
		next = &id
	}
	writeJSON(w, http.StatusOK, map[string]any{"entries": out, "next_before": next})
	return nil
}

// appliedJSON is an application's answer when an intake answer read as a
// crisis: the membership as the applicant sees it, and help.
type appliedJSON struct {
	membershipViewJSON
	Safety *supportJSON `json:"safety,omitempty"`
}
