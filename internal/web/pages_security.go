package web

import (
	"net/http"
	"time"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/app"
)

// Sign-in with a second factor, the account's security page (the TOTP
// second factor, its recovery codes, active sessions, signing out
// everywhere), and the answer to staff whose sign-in lacks a second factor.

// pendingCookie carries a sign-in whose password was accepted while its
// second factor is asked for: not a session.
const pendingCookie = "hearth_pending"

// beginSession signs the browser in, noting whether the sign-in passed the
// second factor and the browser's family (never the full user agent).
func (s *Server) beginSession(w http.ResponseWriter, r *http.Request, userID int64, secondFactor bool) error {
	_, err := s.beginSessionToken(w, r, userID, secondFactor)
	return err
}

// beginSessionToken is beginSession returning the new session's token.
func (s *Server) beginSessionToken(w http.ResponseWriter, r *http.Request, userID int64, secondFactor bool) (string, error) {
	if old := visitorOf(r).SessionToken; old != "" {
		_ = s.app.EndSession(r.Context(), old)
	}
	token, exp, err := s.app.StartSessionWith(r.Context(), userID, app.SessionStart{SecondFactor: secondFactor, Agent: app.AgentFamily(r.UserAgent())})
	if err != nil {
		return "", err
	}
	s.setCookie(w, r, sessionCookie, token, exp.Sub(s.app.Now()))
	return token, nil
}

// signinStep is the sign-in form's first step: the password. A person with
// a second factor is asked for its code next; anyone else is signed in.
func (s *Server) signinStep(w http.ResponseWriter, r *http.Request) error {
	form, err := parseForm(r)
	if err != nil {
		return err
	}
	next := form.Get("next")
	u, pending, err := s.app.SignInStart(r.Context(), form.Get("login"), form.Get("password"), s.clientAddr(r))
	if err != nil {
		p := &signinPage{Login: form.Get("login"), Next: next}
		if !s.setError(r, &p.formState, err) {
			return err
		}
		p.Title = s.locale(r).T("signin.title")
		_, status := classify(err)
		s.render(w, r, status, "signin", p)
		return nil
	}
	if pending != "" {
		s.setCookie(w, r, pendingCookie, pending, app.PendingSignIn)
		p := &signinCodePage{Next: safeNext(next, "")}
		s.factors(r, p, pending)
		p.Title = s.locale(r).T("security.signin_code.title")
		s.render(w, r, http.StatusOK, "signin_code", p)
		return nil
	}
	token, err := s.beginSessionToken(w, r, u.ID, false)
	if err != nil {
		return err
	}
	if u.Locale != "" {
		s.setCookie(w, r, langCookie, u.Locale, 365*24*time.Hour)
	}
	// Staff whose sign-in has no second factor (none set up yet, or just
	// reset by an administrator) go to the security page first.
	if actor, _, err := s.app.SessionActor(r.Context(), token); err == nil && actor.StaffWithheld {
		to := "/account/security"
		if n := safeNext(next, ""); n != "" {
			to += "?next=" + urlQueryEscape(n)
		}
		return s.redirect(w, r, to, "flash.signed_in")
	}
	return s.redirect(w, r, safeNext(next, "/account"), "flash.signed_in")
}

type signinCodePage struct {
	base
	formState
	Next string
	// The second factors the account has: a TOTP code, passkeys.
	TOTP, Passkeys bool
}

// factors fills in which second factors a pending sign-in may use.
func (s *Server) factors(r *http.Request, p *signinCodePage, pending string) {
	p.TOTP, p.Passkeys = s.app.PendingFactors(r.Context(), pending)
}

// signinCodePage shows the second step again (a reload); without a live
// pending sign-in it sends the person back to the first step.
func (s *Server) signinCodePage(w http.ResponseWriter, r *http.Request) error {
	c, err := r.Cookie(pendingCookie)
	if err != nil || !s.app.SignInPending(r.Context(), c.Value) {
		http.Redirect(w, r, "/signin", http.StatusSeeOther)
		return nil
	}
	p := &signinCodePage{Next: safeNext(r.URL.Query().Get("next"), "")}
	s.factors(r, p, c.Value)
	p.Title = s.locale(r).T("security.signin_code.title")
	s.render(w, r, http.StatusOK, "signin_code", p)
	return nil
}

// signinCode is the second step: a code from the app or a recovery code.
func (s *Server) signinCode(w http.ResponseWriter, r *http.Request) error {
	form, err := parseForm(r)
	if err != nil {
		return err
	}
	next := safeNext(form.Get("next"), "")
	pending := ""
	if c, err := r.Cookie(pendingCookie); err == nil {
		pending = c.Value
	}
	u, err := s.app.SignInSecond(r.Context(), pending, form.Get("code"), s.clientAddr(r))
	if err != nil {
		if e := hearth.AsError(err); e != nil && e.Code == "sign_in_expired" {
			s.clearCookie(w, r, pendingCookie)
			p := &signinPage{Next: next}
			s.setError(r, &p.formState, err)
			p.Title = s.locale(r).T("signin.title")
			s.render(w, r, http.StatusUnauthorized, "signin", p)
			return nil
		}
		p := &signinCodePage{Next: next}
		s.factors(r, p, pending)
		if !s.setFormError(r, &p.formState, err, "security.", "code") {
			return err
		}
		p.Title = s.locale(r).T("security.signin_code.title")
		_, status := classify(err)
		s.render(w, r, status, "signin_code", p)
		return nil
	}
	s.clearCookie(w, r, pendingCookie)
	if err := s.beginSession(w, r, u.ID, true); err != nil {
		return err
	}
	if u.Locale != "" {
		s.setCookie(w, r, langCookie, u.Locale, 365*24*time.Hour)
	}
	return s.redirect(w, r, safeNext(next, "/account"), "flash.signed_in")
}

type securityPage struct {
	base
	State    *app.SecondFactorState
	Sessions []app.SessionView
	// Withheld: the person is staff and this sign-in has not passed a
	// second factor, so their staff powers wait for it.
	Withheld bool
	// Passed: this sign-in passed the second factor.
	Passed bool
	// InSession: signed in with a browser session (not a token).
	InSession bool
	// NewCodes are the recovery codes just made, shown this once.
	NewCodes []string
	Confirm  formState
	Disable  formState
	Verify   formState
	Next     string
	// Passkeys are the person's passkeys (pages_passkeys.go); Passkey is
	// the state of the form of the one numbered PasskeyID.
	Passkeys  []app.PasskeyView
	Passkey   formState
	PasskeyID int64
}

// HasFactor reports whether the person has a second factor of any kind.
func (p *securityPage) HasFactor() bool { return p.State.On || len(p.Passkeys) > 0 }

func (s *Server) loadSecurity(r *http.Request, p *securityPage) error {
	ctx := r.Context()
	v := visitorOf(r)
	var err error
	if p.State, err = s.app.SecondFactor(ctx, v.Actor); err != nil {
		return err
	}
	if p.Sessions, err = s.app.Sessions(ctx, v.Actor, v.SessionToken); err != nil {
		return err
	}
	if p.Passkeys, err = s.app.Passkeys(ctx, v.Actor); err != nil {
		return err
	}
	p.Withheld, p.Passed, p.InSession = v.Actor.StaffWithheld, v.Actor.SecondFactor, v.SessionToken != ""
	if p.Next == "" {
		p.Next = safeNext(r.URL.Query().Get("next"), "")
	}
	p.Title = s.locale(r).T("security.title")
	return nil
}

func (s *Server) renderSecurity(w http.ResponseWriter, r *http.Request, status int, p *securityPage) error {
	if err := s.loadSecurity(r, p); err != nil {
		return err
	}
	s.render(w, r, status, "security", p)
	return nil
}

func (s *Server) securityPageHandler(w http.ResponseWriter, r *http.Request) error {
	return s.renderSecurity(w, r, http.StatusOK, &securityPage{})
}

// beginTOTPPage makes a new secret to add to an authenticator app; the page
// then shows it and asks for a code.
func (s *Server) beginTOTPPage(w http.ResponseWriter, r *http.Request) error {
	if _, err := parseForm(r); err != nil {
		return err
	}
	if _, err := s.app.BeginTOTP(r.Context(), visitorOf(r).Actor); err != nil {
		return err
	}
	return s.redirect(w, r, "/account/security#setup", "")
}

func (s *Server) confirmTOTPPage(w http.ResponseWriter, r *http.Request) error {
	form, err := parseForm(r)
	if err != nil {
		return err
	}
	v := visitorOf(r)
	p := &securityPage{Next: safeNext(form.Get("next"), "")}
	codes, err := s.app.ConfirmTOTP(r.Context(), v.Actor, form.Get("code"), v.SessionToken)
	if err != nil {
		if !s.setFormError(r, &p.Confirm, err, "security.", "code") {
			return err
		}
		_, status := classify(err)
		return s.renderSecurity(w, r, status, p)
	}
	// The codes are shown on this response only: only their hashes are kept.
	p.NewCodes = codes
	if v.SessionToken != "" {
		// The session passed the second factor just now: its staff powers
		// count from this request on.
		v.Actor.SecondFactor, v.Actor.StaffWithheld = true, false
	}
	return s.renderSecurity(w, r, http.StatusOK, p)
}

func (s *Server) disableTOTPPage(w http.ResponseWriter, r *http.Request) error {
	form, err := parseForm(r)
	if err != nil {
		return err
	}
	if err := s.app.DisableTOTP(r.Context(), visitorOf(r).Actor, form.Get("code")); err != nil {
		p := &securityPage{}
		if !s.setFormError(r, &p.Disable, err, "security.", "code") {
			return err
		}
		_, status := classify(err)
		return s.renderSecurity(w, r, status, p)
	}
	return s.redirect(w, r, "/account/security", "flash.second_factor_off")
}

// verifyPage lets a session that began without the second factor (after
// sign-up or recovery) pass it.
func (s *Server) verifyPage(w http.ResponseWriter, r *http.Request) error {
	form, err := parseForm(r)
	if err != nil {
		return err
	}
	v := visitorOf(r)
	next := safeNext(form.Get("next"), "/account/security")
	if err := s.app.VerifySession(r.Context(), v.Actor, v.SessionToken, form.Get("code")); err != nil {
		p := &securityPage{Next: form.Get("next")}
		if !s.setFormError(r, &p.Verify, err, "security.", "code") {
			return err
		}
		_, status := classify(err)
		return s.renderSecurity(w, r, status, p)
	}
	return s.redirect(w, r, next, "flash.second_factor_verified")
}

func (s *Server) endSessionPage(w http.ResponseWriter, r *http.Request) error {
	if _, err := parseForm(r); err != nil {
		return err
	}
	if err := s.app.EndSessionByID(r.Context(), visitorOf(r).Actor, r.PathValue("id")); err != nil {
		return err
	}
	return s.redirect(w, r, "/account/security#sessions", "flash.session_ended")
}

func (s *Server) endEverywherePage(w http.ResponseWriter, r *http.Request) error {
	form, err := parseForm(r)
	if err != nil {
		return err
	}
	if _, _, err := s.app.EndEverywhere(r.Context(), visitorOf(r).Actor, form.Get("tokens") == "yes"); err != nil {
		return err
	}
	s.clearCookie(w, r, sessionCookie)
	return s.redirect(w, r, "/signin", "flash.signed_out_everywhere")
}

// secondFactorPage is secondFactorGate for a page: a GET refused for want
// of a second factor is sent to the security page (and back after);
// it reports whether it answered.
func (s *Server) secondFactorPage(w http.ResponseWriter, r *http.Request, err error) (bool, error) {
	err = s.secondFactorGate(r, err)
	if hearth.AsError(err) == hearth.ErrSecondFactorRequired && r.Method == http.MethodGet {
		http.Redirect(w, r, "/account/security?next="+urlQueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return true, err
	}
	return false, err
}

// secondFactorGate answers a staff member whose sign-in has not passed a
// second factor: what their staff role would have allowed was refused
// (403 forbidden), so they are told to set one up (second_factor_required)
// rather than that they may not. A 404 stays a 404, so that nothing says a
// private group exists.
func (s *Server) secondFactorGate(r *http.Request, err error) error {
	if !visitorOf(r).Actor.StaffWithheld || hearth.ErrorKind(err) != hearth.Forbidden {
		return err
	}
	// Only a refusal of permission: a member's own refusals (muted,
	// members only, not yours…) keep their words.
	if e := hearth.AsError(err); e == nil || (e.Code != string(hearth.Forbidden) && e.Code != "not_facilitator") {
		return err
	}
	return hearth.ErrSecondFactorRequired
}
