package web

import (
	"net/http"
	"time"

	"github.com/hearth-org/hearth"
)

// handlerFunc is a handler that returns its error; the wrapper renders it as
// a page or as JSON.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// handle registers a plain route (operations): errors become plain JSON.
func (s *Server) handle(pattern, auth string, fn handlerFunc) {
	s.mux.Handle(pattern, s.apiHandler(pattern, auth, fn))
	m, p := splitPattern(pattern)
	s.routes = append(s.routes, Route{Method: m, Path: p, Auth: auth})
}

// page registers an HTML route.
func (s *Server) page(pattern, auth string, fn handlerFunc) {
	s.mux.Handle(pattern, s.instrument(pattern, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if auth == SignedIn && !visitorOf(r).Actor.SignedIn() {
			if r.Method == http.MethodGet {
				http.Redirect(w, r, "/signin?next="+urlQueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			s.fail(w, r, errSignInFirst)
			return
		}
		if r.Method == http.MethodPost {
			r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
		}
		if err := fn(w, r); err != nil {
			s.fail(w, r, err)
		}
	})))
	m, p := splitPattern(pattern)
	s.routes = append(s.routes, Route{Method: m, Path: p, Auth: auth})
}

// api registers a JSON route under /api/v1.
func (s *Server) api(pattern, auth string, fn handlerFunc) {
	s.mux.Handle(pattern, s.apiHandler(pattern, auth, fn))
	m, p := splitPattern(pattern)
	s.routes = append(s.routes, Route{Method: m, Path: p, API: true, Auth: auth})
}

func (s *Server) apiHandler(pattern, auth string, fn handlerFunc) http.Handler {
	return s.instrument(pattern, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if auth == SignedIn && !visitorOf(r).Actor.SignedIn() {
			s.writeAPIError(w, r, hearth.Coded(hearth.Unauthorized, "sign_in", "Send a personal access token: Authorization: Bearer hearth_pat_…"))
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, maxJSONBytes)
		if err := fn(w, r); err != nil {
			s.writeAPIError(w, r, err)
		}
	}))
}

// instrument records the route for logs and metrics.
func (s *Server) instrument(pattern string, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		visitorOf(r).Route = pattern
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		h.ServeHTTP(sw, r)
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		s.metrics.observe(pattern, sw.status, time.Since(start))
	})
}

// fail renders an error for a page request: the form's page handles its own
// validation errors; anything reaching here gets the error page.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	done, err := s.secondFactorPage(w, r, err) // staff without a second factor (pages_security.go)
	if done {
		return
	}
	e, status := classify(err)
	s.logFailure(r, err, status)
	if status == http.StatusUnauthorized && r.Method == http.MethodGet {
		http.Redirect(w, r, "/signin?next="+urlQueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return
	}
	loc := s.locale(r)
	p := &errorPage{Status: status, Message: s.translateError(loc, e)}
	for _, f := range e.Fields {
		p.Details = append(p.Details, s.translateField(loc, f))
	}
	s.render(w, r, status, "error", p)
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) error {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	return nil
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) error {
	if err := s.app.Ready(r.Context()); err != nil {
		s.log.Warn("not ready", "err", err)
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "database unreachable"})
		return nil
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
	return nil
}
