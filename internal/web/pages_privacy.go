package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/app"
)

// Export of one's own data (issue 7 §2): a page that says what the archive
// holds, with a button; the POST answers the archive as a download.

type exportPage struct {
	base
}

func (s *Server) exportPage(w http.ResponseWriter, r *http.Request) error {
	p := &exportPage{}
	p.Title = s.locale(r).T("privacy.export_title")
	s.render(w, r, http.StatusOK, "export", p)
	return nil
}

// exportDownload makes the archive and serves it as an attachment.
func (s *Server) exportDownload(w http.ResponseWriter, r *http.Request) error {
	return s.writeExport(w, r)
}

// writeExport answers the signed-in person's archive as a JSON attachment
// named hearth-export-YYYY-MM-DD.json (pages and API alike).
func (s *Server) writeExport(w http.ResponseWriter, r *http.Request) error {
	x, err := s.app.ExportMyData(r.Context(), visitorOf(r).Actor)
	if err != nil {
		return err
	}
	b, err := json.MarshalIndent(x, "", "  ")
	if err != nil {
		return fmt.Errorf("encode export: %w", err)
	}
	name := "hearth-export-" + x.ExportedAt.UTC().Format("2006-01-02") + ".json"
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusOK)
	w.Write(append(b, '\n'))
	return nil
}

// Erasure: a page that says exactly what happens, asking for the password
// (and the second factor's code when the person has one); after it, a
// final page says the account was deleted.

type deleteAccountPage struct {
	base
	formState
	HasCode bool // the person has a second factor: ask for its code
	Done    bool // the account was deleted
}

func (s *Server) deleteAccountPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderDeleteAccount(w, r, http.StatusOK, &deleteAccountPage{})
}

func (s *Server) renderDeleteAccount(w http.ResponseWriter, r *http.Request, status int, p *deleteAccountPage) error {
	p.Title = s.locale(r).T("privacy.delete_title")
	if !p.Done {
		sf, err := s.app.SecondFactor(r.Context(), visitorOf(r).Actor)
		if err != nil {
			return err
		}
		p.HasCode = sf.On
	}
	s.render(w, r, status, "delete_account", p)
	return nil
}

func (s *Server) deleteAccount(w http.ResponseWriter, r *http.Request) error {
	form, err := parseForm(r)
	if err != nil {
		return err
	}
	_, err = s.app.EraseAccount(r.Context(), visitorOf(r).Actor,
		app.EraseInput{Password: form.Get("password"), Code: form.Get("code"), Addr: s.clientAddr(r)})
	if err != nil {
		p := &deleteAccountPage{}
		if !s.setFormError(r, &p.formState, err, "privacy.", "password", "code") {
			return err
		}
		_, status := classify(err)
		return s.renderDeleteAccount(w, r, status, p)
	}
	s.clearCookie(w, r, sessionCookie)
	// The page is rendered as a visitor who is signed out: the account is gone.
	v := *visitorOf(r)
	v.Actor, v.User, v.SessionToken = hearth.Anonymous, nil, ""
	r = r.WithContext(context.WithValue(r.Context(), ctxKey{}, &v))
	return s.renderDeleteAccount(w, r, http.StatusOK, &deleteAccountPage{Done: true})
}
