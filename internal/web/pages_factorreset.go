package web

import (
	"net/http"
	"strings"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/app"
)

// An administrator's reset of someone's lost second factor (app/factorreset.go
// says who may reset whose): a page that finds the person by handle, shows
// earlier resets and asks for a reason, and the same as an API route.

type factorResetPage struct {
	base
	formState
	Handle string               // the person looked up ("" before a look-up)
	Person *app.FactorResetInfo // nil until found
	Reason string
	Max    int
}

// factorResetPageHandler is GET /manage/second-factor-reset[?handle=…]:
// the look-up form and, for a person the actor may reset, the reset form.
func (s *Server) factorResetPageHandler(w http.ResponseWriter, r *http.Request) error {
	return s.renderFactorReset(w, r, http.StatusOK, strings.TrimSpace(r.URL.Query().Get("handle")), "", nil)
}

func (s *Server) renderFactorReset(w http.ResponseWriter, r *http.Request, status int, handle, reason string, formErr error) error {
	actor := visitorOf(r).Actor
	if err := s.app.MayResetFactors(actor); err != nil {
		done, err := s.secondFactorPage(w, r, err)
		if done {
			return nil
		}
		return err
	}
	p := &factorResetPage{Handle: handle, Reason: reason, Max: app.FactorResetReasonMax}
	p.Title = s.locale(r).T("factor_reset.title")
	if handle != "" {
		info, err := s.app.FactorReset(r.Context(), actor, handle)
		if err != nil {
			if !s.setFormError(r, &p.formState, err, "factor_reset.", "handle") {
				_, st := classify(err)
				if st != http.StatusNotFound && st != http.StatusForbidden {
					return err
				}
				// Not a person the actor may reset: said on the form, with
				// the status of the refusal.
				p.Errors = []string{s.translateError(s.locale(r), hearth.AsError(err))}
				status = st
			}
		} else {
			p.Person = info
		}
	}
	if formErr != nil && !s.setFormError(r, &p.formState, formErr, "factor_reset.", "reason") {
		return formErr
	}
	s.render(w, r, status, "factor_reset", p)
	return nil
}

// resetFactorPage is POST /manage/second-factor-reset: handle and reason.
func (s *Server) resetFactorPage(w http.ResponseWriter, r *http.Request) error {
	form, err := parseForm(r)
	if err != nil {
		return err
	}
	handle, reason := strings.TrimSpace(form.Get("handle")), form.Get("reason")
	if _, err := s.app.ResetSecondFactor(r.Context(), visitorOf(r).Actor, handle, reason); err != nil {
		if hearth.ErrorKind(err) == hearth.Invalid {
			_, status := classify(err)
			return s.renderFactorReset(w, r, status, handle, reason, err)
		}
		return err
	}
	return s.redirect(w, r, "/manage/second-factor-reset?handle="+urlQueryEscape(handle), "flash.factor_reset")
}

// apiResetFactor is POST /api/v1/users/{handle}/second-factor/reset with
// {"reason": "…"}: 200 with what was ended.
func (s *Server) apiResetFactor(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Reason string `json:"reason"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	done, err := s.app.ResetSecondFactor(r.Context(), visitorOf(r).Actor, r.PathValue("handle"), in.Reason)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"handle": done.Handle, "sessions_ended": done.Sessions, "tokens_revoked": done.Tokens, "passkeys_removed": done.Passkeys})
	return nil
}
