package web

import (
	"net/http"
	"time"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/app"
)

// The moderation API: reports, review queues, actions, appeals, posting
// rules and blocks — the same use cases as the pages (pages_moderation.go).

type labelJSON struct {
	Kind string `json:"kind"`
	URL  string `json:"url"`
}

type reportJSON struct {
	ID        int64               `json:"id"`
	Group     string              `json:"group"`
	Subject   hearth.Subject      `json:"subject"`
	SubjectAs string              `json:"subject_name"` // the subject's pseudonym in the group ("" when none)
	Reason    hearth.ReportReason `json:"reason"`
	Status    hearth.ReportStatus `json:"status"`
	CreatedAt time.Time           `json:"created_at"`
	Reporter  string              `json:"reporter"` // the reporter's pseudonym ("" for staff)
	Hidden    bool                `json:"hidden"`
	Label     *labelJSON          `json:"label"`
	Note      *string             `json:"note,omitempty"` // only on one report
}

func newLabelJSON(l *hearth.Label) *labelJSON {
	if l == nil {
		return nil
	}
	return &labelJSON{Kind: l.Kind, URL: l.URL}
}

func newReportJSON(v app.ReportView, withNote bool) reportJSON {
	j := reportJSON{ID: v.ID, Group: v.GroupSlug, Subject: v.Subject, SubjectAs: v.SubjectPseudonym, Reason: v.Reason, Status: v.Status,
		CreatedAt: v.CreatedAt, Reporter: v.ReporterPseudonym, Hidden: v.Hidden, Label: newLabelJSON(v.Label)}
	if withNote {
		j.Note = &v.Note
	}
	return j
}

type actionJSON struct {
	ID        int64               `json:"id"`
	Group     string              `json:"group"`
	Subject   hearth.Subject      `json:"subject"`
	Kind      hearth.ActionKind   `json:"kind"`
	Reason    hearth.ActionReason `json:"reason"`
	Until     *time.Time          `json:"until"`
	LabelURL  string              `json:"label_url,omitempty"`
	CreatedAt time.Time           `json:"created_at"`
}

func newActionJSON(a *hearth.ModAction, slug string) actionJSON {
	j := actionJSON{ID: a.ID, Group: slug, Subject: a.Subject, Kind: a.Kind, Reason: a.Reason, LabelURL: a.LabelURL, CreatedAt: a.CreatedAt}
	if !a.Until.IsZero() {
		u := a.Until
		j.Until = &u
	}
	return j
}

type appealJSON struct {
	ID        int64               `json:"id"`
	Status    hearth.AppealStatus `json:"status"`
	CreatedAt time.Time           `json:"created_at"`
	DecidedAt *time.Time          `json:"decided_at"`
	Note      string              `json:"note"`
	Decision  string              `json:"decision"`
}

type queueAppealJSON struct {
	appealJSON
	Member     string     `json:"member"` // the appellant's pseudonym
	Action     actionJSON `json:"action"`
	ActionNote string     `json:"action_note"`
}

type queueJSON struct {
	Reports []reportJSON      `json:"reports"`
	Appeals []queueAppealJSON `json:"appeals"`
}

func newQueueJSON(q *app.ReviewQueue) queueJSON {
	j := queueJSON{Reports: []reportJSON{}, Appeals: []queueAppealJSON{}}
	for _, r := range q.Reports {
		j.Reports = append(j.Reports, newReportJSON(r, false))
	}
	for _, ap := range q.Appeals {
		a := queueAppealJSON{appealJSON: appealJSON{ID: ap.ID, Status: ap.Status, CreatedAt: ap.CreatedAt, Note: ap.Note},
			Member: ap.Pseudonym, ActionNote: ap.ActionNote}
		if ap.Action != nil {
			a.Action = newActionJSON(ap.Action, ap.GroupSlug)
		}
		j.Appeals = append(j.Appeals, a)
	}
	return j
}

type myActionJSON struct {
	actionJSON
	GroupName string      `json:"group_name"`
	Note      string      `json:"note"`
	MutedNow  bool        `json:"muted_now"`
	CanAppeal bool        `json:"can_appeal"`
	Appeal    *appealJSON `json:"appeal"`
}

func newMyActionJSON(v app.ActionView) myActionJSON {
	j := myActionJSON{actionJSON: newActionJSON(v.ModAction, v.GroupSlug), GroupName: v.GroupName, Note: v.Note, MutedNow: v.MutedNow, CanAppeal: v.CanAppeal}
	if v.Appeal != nil {
		j.Appeal = &appealJSON{ID: v.Appeal.ID, Status: v.Appeal.Status, CreatedAt: v.Appeal.CreatedAt, Note: v.AppealNote, Decision: v.DecisionNote}
		if !v.Appeal.DecidedAt.IsZero() {
			d := v.Appeal.DecidedAt
			j.Appeal.DecidedAt = &d
		}
	}
	return j
}

// ---------------------------------------------------------------------------
// Reports

type reportInput struct {
	Subject hearth.Subject      `json:"subject"`
	Reason  hearth.ReportReason `json:"reason"`
	Note    string              `json:"note"`
}

type filedJSON struct {
	Report  reportJSON   `json:"report"`
	Support *supportJSON `json:"support"`
}

func (s *Server) apiReport(w http.ResponseWriter, r *http.Request) error {
	var in reportInput
	slug, err := slugAndBody(r, &in)
	if err != nil {
		return err
	}
	country, lang := writerContext(r)
	f, err := s.app.Report(r.Context(), visitorOf(r).Actor, app.ReportRequest{ReportInput: hearth.ReportInput{Subject: in.Subject, Reason: in.Reason, Note: in.Note},
		Country: country, Lang: lang, Group: slug})
	if err != nil {
		return err
	}
	// The reporter reads back only what they sent: no other names.
	writeJSON(w, http.StatusCreated, filedJSON{Report: reportJSON{ID: f.Report.ID, Subject: f.Report.Subject, Reason: f.Report.Reason,
		Status: f.Report.Status, CreatedAt: f.Report.CreatedAt, Group: slug}, Support: newSupportJSON(f.Support)})
	return nil
}

func (s *Server) apiGroupReports(w http.ResponseWriter, r *http.Request) error {
	return apiRead(w, r, s.app.GroupQueue, newQueueJSON)
}

func (s *Server) apiOrgReports(w http.ResponseWriter, r *http.Request) error {
	org, err := slugParam(r, "org", "organization")
	if err != nil {
		return err
	}
	q, err := s.app.OrgQueue(r.Context(), visitorOf(r).Actor, org)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, newQueueJSON(q))
	return nil
}

type reportDetailJSON struct {
	reportJSON
	Actions []actionJSON `json:"actions"`
}

func (s *Server) apiReportDetail(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "report")
	if err != nil {
		return err
	}
	d, err := s.app.ReportDetail(r.Context(), visitorOf(r).Actor, id)
	if err != nil {
		return err
	}
	j := reportDetailJSON{reportJSON: newReportJSON(d.ReportView, true), Actions: []actionJSON{}}
	for _, a := range d.Actions {
		j.Actions = append(j.Actions, newActionJSON(a, d.Group.Slug))
	}
	writeJSON(w, http.StatusOK, j)
	return nil
}

func (s *Server) apiDismissReport(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "report")
	if err != nil {
		return err
	}
	if err := s.app.DismissReport(r.Context(), visitorOf(r).Actor, id); err != nil {
		return err
	}
	writeNoContent(w)
	return nil
}

// ---------------------------------------------------------------------------
// Actions and appeals

type actionInput struct {
	Subject  hearth.Subject      `json:"subject"`
	Kind     hearth.ActionKind   `json:"kind"`
	Reason   hearth.ActionReason `json:"reason"`
	Note     string              `json:"note"`
	Minutes  int                 `json:"minutes"`
	ReportID int64               `json:"report_id"`
	LabelURL string              `json:"label_url"`
}

func (s *Server) apiModerate(w http.ResponseWriter, r *http.Request) error {
	var in actionInput
	slug, err := slugAndBody(r, &in)
	if err != nil {
		return err
	}
	act, err := s.app.Moderate(r.Context(), visitorOf(r).Actor, slug, in.Subject, hearth.ActionInput{Kind: in.Kind, Reason: in.Reason, Note: in.Note,
		Minutes: in.Minutes, ReportID: in.ReportID, LabelURL: in.LabelURL})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, newActionJSON(act, slug))
	return nil
}

func (s *Server) apiMyModeration(w http.ResponseWriter, r *http.Request) error {
	list, err := s.app.MyModeration(r.Context(), visitorOf(r).Actor)
	if err != nil {
		return err
	}
	out := []myActionJSON{}
	for _, v := range list {
		out = append(out, newMyActionJSON(v))
	}
	writeJSON(w, http.StatusOK, map[string]any{"actions": out})
	return nil
}

type appealInput struct {
	Note string `json:"note"`
}

func (s *Server) apiAppeal(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "decision")
	if err != nil {
		return err
	}
	var in appealInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	ap, err := s.app.Appeal(r.Context(), visitorOf(r).Actor, id, in.Note)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, appealJSON{ID: ap.ID, Status: ap.Status, CreatedAt: ap.CreatedAt, Note: in.Note})
	return nil
}

func (s *Server) apiDecideAppeal(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "appeal")
	if err != nil {
		return err
	}
	var in app.AppealDecision
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	ap, err := s.app.DecideAppeal(r.Context(), visitorOf(r).Actor, id, in)
	if err != nil {
		return err
	}
	j := appealJSON{ID: ap.ID, Status: ap.Status, CreatedAt: ap.CreatedAt, Decision: in.Note}
	d := ap.DecidedAt
	j.DecidedAt = &d
	writeJSON(w, http.StatusOK, j)
	return nil
}

// ---------------------------------------------------------------------------
// Posting rules, trust, blocks

func (s *Server) apiModerationSettings(w http.ResponseWriter, r *http.Request) error {
	slug, err := slugParam(r, "slug", "group")
	if err != nil {
		return err
	}
	st, err := s.app.ModerationSettings(r.Context(), visitorOf(r).Actor, slug)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, st)
	return nil
}

func (s *Server) apiSetModerationSettings(w http.ResponseWriter, r *http.Request) error {
	var in hearth.ModerationSettings
	slug, err := slugAndBody(r, &in)
	if err != nil {
		return err
	}
	st, err := s.app.SetModerationSettings(r.Context(), visitorOf(r).Actor, slug, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, st)
	return nil
}

func (s *Server) apiTrustPoster(w http.ResponseWriter, r *http.Request) error {
	slug, err := slugParam(r, "slug", "group")
	if err != nil {
		return err
	}
	id, err := pathID(r, "id", "member")
	if err != nil {
		return err
	}
	if err := s.app.TrustPoster(r.Context(), visitorOf(r).Actor, slug, id); err != nil {
		return err
	}
	writeNoContent(w)
	return nil
}

func (s *Server) apiPeers(w http.ResponseWriter, r *http.Request) error {
	slug, err := slugParam(r, "slug", "group")
	if err != nil {
		return err
	}
	_, peers, err := s.app.Peers(r.Context(), visitorOf(r).Actor, slug)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"members": peers})
	return nil
}

func (s *Server) apiBlock(w http.ResponseWriter, r *http.Request) error {
	return s.apiBlocking(w, r, true)
}

func (s *Server) apiUnblock(w http.ResponseWriter, r *http.Request) error {
	return s.apiBlocking(w, r, false)
}

func (s *Server) apiBlocking(w http.ResponseWriter, r *http.Request, block bool) error {
	slug, err := slugParam(r, "slug", "group")
	if err != nil {
		return err
	}
	id, err := pathID(r, "id", "member")
	if err != nil {
		return err
	}
	if block {
		err = s.app.Block(r.Context(), visitorOf(r).Actor, slug, id)
	} else {
		err = s.app.Unblock(r.Context(), visitorOf(r).Actor, slug, id)
	}
	if err != nil {
		return err
	}
	writeNoContent(w)
	return nil
}
