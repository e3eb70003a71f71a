package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/app"
	"github.com/hearth-org/hearth/internal/sqldb"
)

// The account page: who you are here, your language and time zone, and
// your personal access tokens for the API.

type accountPage struct {
	base
	User    *hearth.User
	Groups  []sqldb.MyGroup
	Manages bool // administers an organization, or the site
	Tokens  []tokenRow
	// The preferences form.
	Prefs    formState
	Locale   string
	TimeZone string
	// The new-token form, and the token just made (shown once).
	TokenForm formState
	TokenName string
	NewToken  string
	// Email reminder choices, and whether they reach the person.
	Reminders app.ReminderSettings
	// When the private calendar address was made (zero: none).
	CalendarSince time.Time
}

// ReminderState is the catalog key saying what reminders the person gets
// now (when they reach them at all).
func (p *accountPage) ReminderState() string {
	r := p.Reminders
	switch {
	case r.Before24h && r.Before1h:
		return "account.reminders_state.both"
	case r.Before24h:
		return "account.reminders_state.before_24h"
	case r.Before1h:
		return "account.reminders_state.before_1h"
	}
	return "account.reminders_state.none"
}

type tokenRow struct {
	ID       int64
	Name     string
	Created  time.Time
	LastUsed time.Time
}

// Locales lists the languages an account can choose.
func (p *accountPage) Locales() []string { return []string{"en", "es"} }

// Zones offers the common zones, plus the account's own when it is another.
func (p *accountPage) Zones() []string { return zonesWith(p.TimeZone) }

// loadAccount fills the page with the account and its tokens.
func (s *Server) loadAccount(r *http.Request, p *accountPage) error {
	ctx := r.Context()
	actor := visitorOf(r).Actor
	u, err := s.app.User(ctx, actor)
	if err != nil {
		return err
	}
	tokens, err := s.app.Tokens(ctx, actor)
	if err != nil {
		return err
	}
	if p.Groups, err = s.app.MyGroups(ctx, actor); err != nil {
		return err
	}
	if p.Reminders, err = s.app.MyReminders(ctx, actor); err != nil {
		return err
	}
	if p.CalendarSince, err = s.app.CalendarAddress(ctx, actor); err != nil {
		return err
	}
	p.User = u
	p.Manages = actor.SiteAdmin || len(actor.OrgAdminOf) > 0
	for _, t := range tokens {
		p.Tokens = append(p.Tokens, tokenRow{ID: t.ID, Name: t.Name, Created: t.Created, LastUsed: t.LastUsed})
	}
	if p.Locale == "" && p.TimeZone == "" {
		p.Locale, p.TimeZone = u.Locale, u.TimeZone
	}
	p.Title = s.locale(r).T("account.title")
	return nil
}

func (s *Server) accountPage(w http.ResponseWriter, r *http.Request) error {
	p := &accountPage{}
	if err := s.loadAccount(r, p); err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "account", p)
	return nil
}

func (s *Server) savePreferences(w http.ResponseWriter, r *http.Request) error {
	form, err := parseForm(r)
	if err != nil {
		return err
	}
	locale, zone := form.Get("locale"), form.Get("time_zone")
	if err := s.app.SetPreferences(r.Context(), visitorOf(r).Actor, locale, zone); err != nil {
		p := &accountPage{Locale: locale, TimeZone: zone}
		if !s.setFormError(r, &p.Prefs, err, "account.", "locale", "time_zone") {
			return err
		}
		if err := s.loadAccount(r, p); err != nil {
			return err
		}
		_, status := classify(err)
		s.render(w, r, status, "account", p)
		return nil
	}
	// The cookies win over the account's settings when a page is shown, so
	// they follow the choice made here.
	if locale != "" {
		s.setCookie(w, r, langCookie, locale, 365*24*time.Hour)
	} else {
		s.clearCookie(w, r, langCookie)
	}
	if zone != "" {
		s.setCookie(w, r, zoneCookie, zone, 365*24*time.Hour)
	} else {
		s.clearCookie(w, r, zoneCookie)
	}
	return s.redirect(w, r, "/account", "flash.preferences_saved")
}

func (s *Server) createTokenPage(w http.ResponseWriter, r *http.Request) error {
	form, err := parseForm(r)
	if err != nil {
		return err
	}
	name := form.Get("name")
	token, _, err := s.app.CreateToken(r.Context(), visitorOf(r).Actor, name)
	p := &accountPage{}
	status := http.StatusCreated
	if err != nil {
		if !s.setFormError(r, &p.TokenForm, err, "account.token.", "name") {
			return err
		}
		p.TokenName = name
		_, status = classify(err)
	} else {
		// Shown on this response only: the app keeps a hash, so a redirect
		// would lose it.
		p.NewToken = token
	}
	if err := s.loadAccount(r, p); err != nil {
		return err
	}
	s.render(w, r, status, "account", p)
	return nil
}

func (s *Server) revokeTokenPage(w http.ResponseWriter, r *http.Request) error {
	if _, err := parseForm(r); err != nil {
		return err
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return hearth.Errorf(hearth.NotFound, "The token was not found.")
	}
	if err := s.app.RevokeToken(r.Context(), visitorOf(r).Actor, id); err != nil {
		return err
	}
	return s.redirect(w, r, "/account#tokens", "flash.token_revoked")
}
