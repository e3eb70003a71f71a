package web

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/app"
)

// Passkeys (WebAuthn) on the pages. The ceremonies need JavaScript
// (static/passkey.js): the script asks a JSON route of the page for the
// options, hands them to navigator.credentials and posts the answer back.
// They are same-origin POSTs of the browser's session like every form (the
// cross-origin guard applies). Listing, renaming and removing passkeys are
// plain forms that work without JavaScript.

// passkeySite is the relying party for a request: Hearth's configured
// public address (--base-url) when there is one, else the address the
// request was sent to (as the WebSocket origin check does). A passkey is
// bound to the host name it was made for.
func (s *Server) passkeySite(r *http.Request) app.PasskeySite {
	if len(s.origins) > 0 {
		if site, err := app.SiteFromURL(s.origins[0]); err == nil {
			return site
		}
	}
	scheme := "http"
	if s.isTLS(r) {
		scheme = "https"
	}
	site, err := app.SiteFromURL(scheme + "://" + r.Host)
	if err != nil {
		return app.PasskeySite{}
	}
	return site
}

// passkeyOptionsIn asks for a ceremony's options: purpose "register" (with
// the password, and a TOTP code when asked) or "verify" (this session
// passing its second factor).
type passkeyOptionsIn struct {
	Purpose  string `json:"purpose"`
	Name     string `json:"name"`
	Password string `json:"password"`
	Code     string `json:"code"`
}

func (s *Server) passkeyOptions(w http.ResponseWriter, r *http.Request) error {
	var in passkeyOptionsIn
	if err := decodeJSON(r, &in); err != nil {
		return s.passkeyError(w, r, err)
	}
	v := visitorOf(r)
	var (
		ch  *app.PasskeyChallenge
		err error
	)
	switch in.Purpose {
	case "register":
		ch, err = s.app.BeginPasskeyRegistration(r.Context(), v.Actor, s.passkeySite(r), app.PasskeyReauth{Name: in.Name, Password: in.Password, Code: in.Code, Addr: s.clientAddr(r)})
	case "verify":
		ch, err = s.app.BeginPasskeyVerify(r.Context(), v.Actor, s.passkeySite(r))
	default:
		var p hearth.Problems
		p.Add("purpose", "unknown", "Ask for register or verify.", nil)
		err = p.Err()
	}
	if err != nil {
		return s.passkeyError(w, r, err)
	}
	writeJSON(w, http.StatusOK, ch)
	return nil
}

// passkeyAnswerIn is the browser's answer to a ceremony: the token that
// names it, the PublicKeyCredential as JSON and, when adding one, its name.
type passkeyAnswerIn struct {
	Purpose    string          `json:"purpose"`
	Ceremony   string          `json:"ceremony"`
	Name       string          `json:"name"`
	Credential json.RawMessage `json:"credential"`
	Next       string          `json:"next"`
}

// passkeyDone is what the script does next: go to Location.
type passkeyDone struct {
	Location string           `json:"location"`
	Passkey  *app.PasskeyView `json:"passkey,omitempty"`
}

// passkeyAnswer finishes adding a passkey (purpose "register") or this
// session's verification (purpose "verify").
func (s *Server) passkeyAnswer(w http.ResponseWriter, r *http.Request) error {
	var in passkeyAnswerIn
	if err := decodeJSON(r, &in); err != nil {
		return s.passkeyError(w, r, err)
	}
	v := visitorOf(r)
	if in.Purpose == "verify" {
		if err := s.app.FinishPasskeyVerify(r.Context(), v.Actor, s.passkeySite(r), in.Ceremony, in.Credential, v.SessionToken); err != nil {
			return s.passkeyError(w, r, err)
		}
		s.setCookie(w, r, flashCookie, "flash.second_factor_verified", time.Minute)
		writeJSON(w, http.StatusOK, passkeyDone{Location: safeNext(in.Next, "/account/security")})
		return nil
	}
	pk, err := s.app.FinishPasskeyRegistration(r.Context(), v.Actor, s.passkeySite(r), in.Ceremony, in.Name, in.Credential, v.SessionToken)
	if err != nil {
		return s.passkeyError(w, r, err)
	}
	s.setCookie(w, r, flashCookie, "flash.passkey_added", time.Minute)
	writeJSON(w, http.StatusCreated, passkeyDone{Location: safeNext(in.Next, "/account/security") + "#passkeys", Passkey: pk})
	return nil
}

// passkeyError answers a ceremony's JSON route with an error, its fields'
// messages in the passkey forms' words.
func (s *Server) passkeyError(w http.ResponseWriter, r *http.Request, err error) error {
	e, status := classify(err)
	s.logFailure(r, err, status)
	loc := s.locale(r)
	body := apiErrorBody{Code: e.Code, Message: s.translateError(loc, e)}
	for _, f := range e.Fields {
		f.Message = s.fieldMessage(loc, "passkeys.", f)
		body.Fields = append(body.Fields, f)
	}
	writeJSON(w, status, apiError{Error: body})
	return nil
}

func passkeyID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, hearth.Errorf(hearth.NotFound, "The passkey was not found.")
	}
	return id, nil
}

func (s *Server) renamePasskeyPage(w http.ResponseWriter, r *http.Request) error {
	form, err := parseForm(r)
	if err != nil {
		return err
	}
	id, err := passkeyID(r)
	if err != nil {
		return err
	}
	if err := s.app.RenamePasskey(r.Context(), visitorOf(r).Actor, id, form.Get("name")); err != nil {
		p := &securityPage{PasskeyID: id}
		if !s.setFormError(r, &p.Passkey, err, "passkeys.", "name") {
			return err
		}
		_, status := classify(err)
		return s.renderSecurity(w, r, status, p)
	}
	return s.redirect(w, r, "/account/security#passkeys", "flash.passkey_renamed")
}

func (s *Server) removePasskeyPage(w http.ResponseWriter, r *http.Request) error {
	if _, err := parseForm(r); err != nil {
		return err
	}
	id, err := passkeyID(r)
	if err != nil {
		return err
	}
	if err := s.app.RemovePasskey(r.Context(), visitorOf(r).Actor, id); err != nil {
		p := &securityPage{PasskeyID: id}
		if !s.setFormError(r, &p.Passkey, err, "passkeys.") {
			return err
		}
		_, status := classify(err)
		return s.renderSecurity(w, r, status, p)
	}
	return s.redirect(w, r, "/account/security#passkeys", "flash.passkey_removed")
}

// signinPasskeyPage offers the sign-in with a passkey alone; the sign-in
// page links to it, and stays free of scripts.
func (s *Server) signinPasskeyPage(w http.ResponseWriter, r *http.Request) error {
	p := &signinPage{Next: safeNext(r.URL.Query().Get("next"), "")}
	p.Title = s.locale(r).T("passkeys.signin_submit")
	s.render(w, r, http.StatusOK, "signin_passkey", p)
	return nil
}

// signinPasskeyOptionsIn: mode "second" (after the password: the pending
// sign-in's cookie says whose) or "passwordless".
type signinPasskeyOptionsIn struct {
	Mode string `json:"mode"`
}

func (s *Server) signinPasskeyOptions(w http.ResponseWriter, r *http.Request) error {
	var in signinPasskeyOptionsIn
	if err := decodeJSON(r, &in); err != nil {
		return s.passkeyError(w, r, err)
	}
	pending := ""
	switch in.Mode {
	case "second":
		if c, err := r.Cookie(pendingCookie); err == nil {
			pending = c.Value
		}
		if pending == "" {
			return s.passkeyError(w, r, hearth.Coded(hearth.Unauthorized, "sign_in_expired", "That sign-in took too long or had too many tries; please sign in again."))
		}
	case "passwordless":
	default:
		var p hearth.Problems
		p.Add("mode", "unknown", "Ask for second or passwordless.", nil)
		return s.passkeyError(w, r, p.Err())
	}
	ch, err := s.app.BeginPasskeySignIn(r.Context(), s.passkeySite(r), pending, s.clientAddr(r))
	if err != nil {
		return s.passkeyError(w, r, err)
	}
	writeJSON(w, http.StatusOK, ch)
	return nil
}

// signinPasskey finishes a sign-in with a passkey: the browser is signed in
// with a session that passed a second factor.
func (s *Server) signinPasskey(w http.ResponseWriter, r *http.Request) error {
	var in passkeyAnswerIn
	if err := decodeJSON(r, &in); err != nil {
		return s.passkeyError(w, r, err)
	}
	pending := ""
	if c, err := r.Cookie(pendingCookie); err == nil {
		pending = c.Value
	}
	u, err := s.app.FinishPasskeySignIn(r.Context(), s.passkeySite(r), in.Ceremony, in.Credential, pending, s.clientAddr(r))
	if err != nil {
		if e := hearth.AsError(err); e != nil && e.Code == "sign_in_expired" {
			s.clearCookie(w, r, pendingCookie)
		}
		return s.passkeyError(w, r, err)
	}
	if pending != "" {
		s.clearCookie(w, r, pendingCookie)
	}
	if err := s.beginSession(w, r, u.ID, true); err != nil {
		return s.passkeyError(w, r, err)
	}
	if u.Locale != "" {
		s.setCookie(w, r, langCookie, u.Locale, 365*24*time.Hour)
	}
	s.setCookie(w, r, flashCookie, "flash.signed_in", time.Minute)
	writeJSON(w, http.StatusOK, passkeyDone{Location: safeNext(strings.TrimSpace(in.Next), "/account")})
	return nil
}

// passkeyJSON is a passkey as the API lists it.
type passkeyJSON struct {
	ID       int64      `json:"id"`
	Name     string     `json:"name"`
	Created  time.Time  `json:"created_at"`
	LastUsed *time.Time `json:"last_used_at"`
	Synced   bool       `json:"synced"`
}

func toPasskeyJSON(v app.PasskeyView) passkeyJSON {
	out := passkeyJSON{ID: v.ID, Name: v.Name, Created: v.Created, Synced: v.Synced}
	if !v.LastUsed.IsZero() {
		t := v.LastUsed
		out.LastUsed = &t
	}
	return out
}

// apiPasskeys lists the caller's passkeys (adding one needs a browser: the
// security page).
func (s *Server) apiPasskeys(w http.ResponseWriter, r *http.Request) error {
	list, err := s.app.Passkeys(r.Context(), visitorOf(r).Actor)
	if err != nil {
		return err
	}
	out := make([]passkeyJSON, 0, len(list))
	for _, v := range list {
		out = append(out, toPasskeyJSON(v))
	}
	writeJSON(w, http.StatusOK, map[string]any{"passkeys": out})
	return nil
}

func (s *Server) apiRenamePasskey(w http.ResponseWriter, r *http.Request) error {
	id, err := passkeyID(r)
	if err != nil {
		return err
	}
	var in struct {
		Name string `json:"name"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if err := s.app.RenamePasskey(r.Context(), visitorOf(r).Actor, id, in.Name); err != nil {
		return err
	}
	writeNoContent(w)
	return nil
}

func (s *Server) apiRemovePasskey(w http.ResponseWriter, r *http.Request) error {
	id, err := passkeyID(r)
	if err != nil {
		return err
	}
	if err := s.app.RemovePasskey(r.Context(), visitorOf(r).Actor, id); err != nil {
		return err
	}
	writeNoContent(w)
	return nil
}
