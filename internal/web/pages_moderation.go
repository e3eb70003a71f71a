package web

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/app"
)

// Moderation pages: a member's report form (and blocks), the review queues
// of a group and an organization, one report with the actions moderators
// take, and a person's own page of decisions and appeals.

// ---------------------------------------------------------------------------
// Reporting and blocking (members)

type reportFormPage struct {
	base
	formState
	Group   *hearth.Group
	Peers   []app.Peer
	Subject hearth.Subject // preset by the link that led here
	Reasons []hearth.ReportReason
	Form    url.Values
	Crisis  *crisisPanel // shown once after a report whose note read as a crisis
	Sent    bool
}

// Detail: the member's form, not a moderator's view.
func (p *reportFormPage) Detail() bool { return false }

// Chosen reports whether a membership is the preset subject.
func (p *reportFormPage) Chosen(id int64) bool {
	if p.Form.Has("subject_id") {
		return p.Form.Get("subject_id") == strconv.FormatInt(id, 10)
	}
	return p.Subject.Kind == hearth.SubjectMember && p.Subject.ID == id
}

func (s *Server) reportFormPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderReportForm(w, r, http.StatusOK, nil, nil)
}

func (s *Server) renderReportForm(w http.ResponseWriter, r *http.Request, status int, form url.Values, err error) error {
	g, peers, perr := s.app.Peers(r.Context(), visitorOf(r).Actor, r.PathValue("slug"))
	if perr != nil {
		return perr
	}
	p := &reportFormPage{Group: g, Peers: peers, Reasons: hearth.ReportReasons, Form: form, Crisis: s.takeSupport(w, r), Sent: r.URL.Query().Get("sent") == "1"}
	if p.Form == nil {
		p.Form = url.Values{}
	}
	q := r.URL.Query()
	if id, e := strconv.ParseInt(q.Get("id"), 10, 64); e == nil && id > 0 && (q.Get("kind") == "" || q.Get("kind") == string(hearth.SubjectMember)) {
		p.Subject = hearth.Subject{Kind: hearth.SubjectMember, ID: id}
	}
	if err != nil && !s.setFormError(r, &p.formState, err, "moderation.", "subject", "reason", "note") {
		return err
	}
	p.Title = s.locale(r).T("report.title", "name", g.Name)
	s.render(w, r, status, "report", p)
	return nil
}

func (s *Server) fileReportPage(w http.ResponseWriter, r *http.Request) error {
	form, err := parseForm(r)
	if err != nil {
		return err
	}
	slug := r.PathValue("slug")
	kind := hearth.SubjectKind(form.Get("subject_kind"))
	if kind == "" {
		kind = hearth.SubjectMember
	}
	id, _ := strconv.ParseInt(form.Get("subject_id"), 10, 64)
	country, lang := writerContext(r)
	f, err := s.app.Report(r.Context(), visitorOf(r).Actor, app.ReportRequest{ReportInput: hearth.ReportInput{Subject: hearth.Subject{Kind: kind, ID: id},
		Reason: hearth.ReportReason(form.Get("reason")), Note: form.Get("note")}, Country: country, Lang: lang, Group: slug})
	if err != nil {
		if _, status := classify(err); status == http.StatusBadRequest || status == http.StatusConflict || status == http.StatusTooManyRequests {
			return s.renderReportForm(w, r, status, form, err)
		}
		return err
	}
	s.rememberSupport(w, r, f.Support)
	return s.redirect(w, r, "/groups/"+slug+"/report?sent=1", "flash.report_sent")
}

func (s *Server) blockPage(w http.ResponseWriter, r *http.Request) error {
	return s.blocking(w, r, true)
}
func (s *Server) unblockPage(w http.ResponseWriter, r *http.Request) error {
	return s.blocking(w, r, false)
}

func (s *Server) blocking(w http.ResponseWriter, r *http.Request, block bool) error {
	id, err := pathID(r, "id", "member")
	if err != nil {
		return err
	}
	if _, err := parseForm(r); err != nil {
		return err
	}
	slug := r.PathValue("slug")
	flash := "flash.blocked"
	if block {
		err = s.app.Block(r.Context(), visitorOf(r).Actor, slug, id)
	} else {
		err, flash = s.app.Unblock(r.Context(), visitorOf(r).Actor, slug, id), "flash.unblocked"
	}
	if err != nil {
		if _, status := classify(err); status == http.StatusConflict {
			return s.renderReportForm(w, r, status, nil, err)
		}
		return err
	}
	return s.redirect(w, r, "/groups/"+slug+"/report#blocks", flash)
}

// ---------------------------------------------------------------------------
// Review queues (facilitators, organization admins)

type reportsPage struct {
	base
	formState
	Q        *app.ReviewQueue
	Settings hearth.ModerationSettings
	Form     url.Values
}

// ActionWords writes an action's kind in the page's language.
func (b *base) ActionWords(k hearth.ActionKind) string { return b.T("moderation.action." + string(k)) }

// ReasonWords writes a report's reason in the page's language.
func (b *base) ReasonWords(r hearth.ReportReason) string {
	return b.T("moderation.reason." + string(r))
}

// ActionReasonWords writes an action's reason in the page's language.
func (b *base) ActionReasonWords(r hearth.ActionReason) string {
	return b.T("moderation.action_reason." + string(r))
}

// SubjectWords names a subject for moderators.
func (b *base) SubjectWords(s hearth.Subject, name string) string {
	if name == "" {
		name = b.T("moderation.former_member")
	}
	return b.T("moderation.subject."+string(s.Kind), "name", name)
}

func (s *Server) groupReportsPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderGroupReports(w, r, http.StatusOK, nil, nil)
}

func (s *Server) renderGroupReports(w http.ResponseWriter, r *http.Request, status int, form url.Values, err error) error {
	actor := visitorOf(r).Actor
	q, qerr := s.app.GroupQueue(r.Context(), actor, r.PathValue("slug"))
	if qerr != nil {
		return qerr
	}
	p := &reportsPage{Q: q, Form: form}
	if p.Settings, qerr = s.app.ModerationSettings(r.Context(), actor, q.Group.Slug); qerr != nil {
		return qerr
	}
	if form != nil {
		p.Settings.NewMemberDays, _ = strconv.Atoi(form.Get("new_member_days"))
		p.Settings.NewMemberPostsPerHour, _ = strconv.Atoi(form.Get("new_member_posts_per_hour"))
		p.Settings.PostsPerHour, _ = strconv.Atoi(form.Get("posts_per_hour"))
		p.Settings.ApproveFirstPosts = form.Get("approve_first_posts") != ""
	}
	if err != nil && !s.setFormError(r, &p.formState, err, "moderation.", "new_member_days", "new_member_posts_per_hour", "posts_per_hour", "note") {
		return err
	}
	p.Title = s.locale(r).T("reports.title", "name", q.Group.Name)
	s.render(w, r, status, "reports", p)
	return nil
}

func (s *Server) orgReportsPage(w http.ResponseWriter, r *http.Request) error {
	q, err := s.app.OrgQueue(r.Context(), visitorOf(r).Actor, r.PathValue("org"))
	if err != nil {
		return err
	}
	p := &reportsPage{Q: q}
	p.Title = s.locale(r).T("reports.org_title", "name", q.Org.Name)
	s.render(w, r, http.StatusOK, "reports", p)
	return nil
}

func (s *Server) moderationSettingsPage(w http.ResponseWriter, r *http.Request) error {
	return s.formPost(w, r, func(slug string, f url.Values) error {
		st := hearth.ModerationSettings{ApproveFirstPosts: f.Get("approve_first_posts") != ""}
		var p hearth.Problems
		for field, dst := range map[string]*int{"new_member_days": &st.NewMemberDays, "new_member_posts_per_hour": &st.NewMemberPostsPerHour, "posts_per_hour": &st.PostsPerHour} {
			n, err := strconv.Atoi(f.Get(field))
			if err != nil {
				p.Add(field, "number", "Give a whole number.", nil)
			}
			*dst = n
		}
		if err := p.Err(); err != nil {
			return err
		}
		_, err := s.app.SetModerationSettings(r.Context(), visitorOf(r).Actor, slug, st)
		return err
	}, func(status int, form url.Values, err error) error {
		return s.renderGroupReports(w, r, status, form, err)
	},
		func(slug string) string { return "/groups/" + slug + "/reports" }, "flash.saved")
}

func (s *Server) decideAppealPage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "appeal")
	if err != nil {
		return err
	}
	form, err := parseForm(r)
	if err != nil {
		return err
	}
	ap, err := s.app.DecideAppeal(r.Context(), visitorOf(r).Actor, id, app.AppealDecision{Overturn: form.Get("decision") == "overturn", Note: form.Get("note")})
	if err != nil {
		return err
	}
	return s.redirect(w, r, fmt.Sprintf("/groups/%s/reports", s.groupSlugOf(r, ap.GroupID)), "flash.appeal_decided")
}

// groupSlugOf names a group by id for a redirect (the queue of the group
// an appeal belongs to).
func (s *Server) groupSlugOf(r *http.Request, id int64) string {
	slug, err := s.app.ModeratedGroupSlug(r.Context(), visitorOf(r).Actor, id)
	if err != nil {
		return ""
	}
	return slug
}

// ---------------------------------------------------------------------------
// One report (moderators)

type reportPage struct {
	base
	formState
	D       *app.ReportDetail
	Form    url.Values
	Kinds   []hearth.ActionKind
	Reasons []hearth.ActionReason

	postHTML template.HTML
}

// Detail marks the page as a moderator's view (the template serves the
// member's form too).
func (p *reportPage) Detail() bool { return true }

// MayTake reports whether an action fits the report's subject and viewer.
func (p *reportPage) MayTake(k hearth.ActionKind) bool {
	content := p.D.Subject.Kind.IsContent()
	switch k {
	case hearth.ActionHide:
		return content && !p.D.Hidden
	case hearth.ActionRestore:
		return content && p.D.Hidden
	case hearth.ActionLabel:
		return content
	case hearth.ActionUnlabel:
		return content && p.D.Label != nil
	case hearth.ActionBanOrg:
		return p.D.OrgAdmin
	}
	return true
}

// PostHTML is a reported board post's Markdown, rendered and sanitized
// like on the board.
func (p *reportPage) PostHTML() template.HTML { return p.postHTML }

// MuteChoices are the mute lengths the form offers, in minutes: an hour,
// a day, a week, thirty days.
func (p *reportPage) MuteChoices() []string { return []string{"60", "1440", "10080", "43200"} }

func (s *Server) reportPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderReport(w, r, http.StatusOK, nil, nil)
}

func (s *Server) renderReport(w http.ResponseWriter, r *http.Request, status int, form url.Values, err error) error {
	id, perr := pathID(r, "id", "report")
	if perr != nil {
		return perr
	}
	d, derr := s.app.ReportDetail(r.Context(), visitorOf(r).Actor, id)
	if derr != nil {
		return derr
	}
	p := &reportPage{D: d, Form: form, Kinds: hearth.ActionKinds, Reasons: hearth.ActionReasons}
	if d.Post != nil {
		p.postHTML = s.renderMarkdown(d.Post.Body)
	}
	if p.Form == nil {
		p.Form = url.Values{"minutes": {"1440"}}
	}
	if err != nil && !s.setFormError(r, &p.formState, err, "moderation.", "kind", "reason", "note", "minutes", "label_url") {
		return err
	}
	p.Title = s.locale(r).T("report.review_title", "name", d.Group.Name)
	s.render(w, r, status, "report", p)
	return nil
}

func (s *Server) actOnReportPage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "report")
	if err != nil {
		return err
	}
	form, err := parseForm(r)
	if err != nil {
		return err
	}
	actor := visitorOf(r).Actor
	d, err := s.app.ReportDetail(r.Context(), actor, id)
	if err != nil {
		return err
	}
	minutes, _ := strconv.Atoi(form.Get("minutes"))
	in := hearth.ActionInput{Kind: hearth.ActionKind(form.Get("kind")), Reason: hearth.ActionReason(form.Get("reason")), Note: form.Get("note"),
		Minutes: minutes, LabelURL: form.Get("label_url")}
	// Only an action on the person or content answers the report; hiding,
	// restoring and labels leave it open until dismissed or acted on.
	if d.Status == hearth.ReportOpen {
		in.ReportID = id
	}
	if _, err := s.app.Moderate(r.Context(), actor, d.Group.Slug, d.Subject, in); err != nil {
		if _, status := classify(err); status == http.StatusBadRequest || status == http.StatusConflict {
			return s.renderReport(w, r, status, form, err)
		}
		return err
	}
	return s.redirect(w, r, "/groups/"+d.Group.Slug+"/reports", "flash.action_taken")
}

func (s *Server) dismissReportPage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "report")
	if err != nil {
		return err
	}
	if _, err := parseForm(r); err != nil {
		return err
	}
	actor := visitorOf(r).Actor
	d, err := s.app.ReportDetail(r.Context(), actor, id)
	if err != nil {
		return err
	}
	if err := s.app.DismissReport(r.Context(), actor, id); err != nil {
		if _, status := classify(err); status == http.StatusConflict {
			return s.renderReport(w, r, status, nil, err)
		}
		return err
	}
	return s.redirect(w, r, "/groups/"+d.Group.Slug+"/reports", "flash.report_dismissed")
}

// ---------------------------------------------------------------------------
// A person's own decisions and appeals

type moderationPage struct {
	base
	formState
	Actions []app.ActionView
	Blocks  []app.BlockView
	Form    url.Values
	Failed  int64 // the action whose appeal form has a problem
}

func (s *Server) myModerationPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderMyModeration(w, r, http.StatusOK, 0, nil, nil)
}

func (s *Server) renderMyModeration(w http.ResponseWriter, r *http.Request, status int, failed int64, form url.Values, err error) error {
	actor := visitorOf(r).Actor
	list, lerr := s.app.MyModeration(r.Context(), actor)
	if lerr != nil {
		return lerr
	}
	blocks, lerr := s.app.MyBlocks(r.Context(), actor)
	if lerr != nil {
		return lerr
	}
	p := &moderationPage{Actions: list, Blocks: blocks, Form: form, Failed: failed}
	if p.Form == nil {
		p.Form = url.Values{}
	}
	if err != nil && !s.setFormError(r, &p.formState, err, "moderation.", "note") {
		return err
	}
	p.Title = s.locale(r).T("moderation.title")
	s.render(w, r, status, "moderation", p)
	return nil
}

func (s *Server) appealPage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "decision")
	if err != nil {
		return err
	}
	form, err := parseForm(r)
	if err != nil {
		return err
	}
	if _, err := s.app.Appeal(r.Context(), visitorOf(r).Actor, id, form.Get("note")); err != nil {
		if _, status := classify(err); status == http.StatusBadRequest || status == http.StatusConflict {
			return s.renderMyModeration(w, r, status, id, form, err)
		}
		return err
	}
	return s.redirect(w, r, "/moderation", "flash.appeal_sent")
}
