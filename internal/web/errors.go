package web

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/hearth-org/hearth"
)

// statusOf is the one table from error kinds to HTTP status.
var statusOf = map[hearth.Kind]int{
	hearth.Invalid:      http.StatusBadRequest,
	hearth.NotFound:     http.StatusNotFound,
	hearth.Conflict:     http.StatusConflict,
	hearth.Unauthorized: http.StatusUnauthorized,
	hearth.Forbidden:    http.StatusForbidden,
	hearth.TooMany:      http.StatusTooManyRequests,
	hearth.TooLarge:     http.StatusRequestEntityTooLarge,
	hearth.Unavailable:  http.StatusServiceUnavailable,
	hearth.Internal:     http.StatusInternalServerError,
}

var (
	errNoRoute     = hearth.Coded(hearth.NotFound, "no_route", "There is nothing at this address.")
	errCrossOrigin = hearth.Coded(hearth.Forbidden, "cross_origin", "This form was sent from another site, so it was refused. Please go back, reload the page and try again.")
	errBadForm     = hearth.Coded(hearth.Invalid, "bad_form", "The form could not be read. Please reload the page and try again.")
	errTooLarge    = hearth.Coded(hearth.TooLarge, "too_large", "What you sent is too large.")
	errSignInFirst = hearth.Coded(hearth.Unauthorized, "sign_in", "Please sign in first.")
)

// classify returns the person-readable error and its status. Anything not
// of hearth's vocabulary is internal: logged with its chain, shown calmly.
func classify(err error) (*hearth.Error, int) {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return errTooLarge, http.StatusRequestEntityTooLarge
	}
	e := hearth.AsError(err)
	if e == nil {
		return hearth.Coded(hearth.Internal, "internal", "Something went wrong on our side. Please try again in a moment."), http.StatusInternalServerError
	}
	st, ok := statusOf[e.Kind]
	if !ok {
		st = http.StatusInternalServerError
	}
	return e, st
}

// apiError is the JSON shape of every API error.
type apiError struct {
	Error apiErrorBody `json:"error"`
}

type apiErrorBody struct {
	Code    string              `json:"code"`
	Message string              `json:"message"`
	Fields  []hearth.FieldError `json:"fields,omitempty"`
}

func (s *Server) writeAPIError(w http.ResponseWriter, r *http.Request, err error) {
	err = s.secondFactorGate(r, err)
	e, status := classify(err)
	s.logFailure(r, err, status)
	loc := s.locale(r)
	body := apiErrorBody{Code: e.Code, Message: s.translateError(loc, e)}
	for _, f := range e.Fields {
		f.Message = s.translateField(loc, f)
		body.Fields = append(body.Fields, f)
	}
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="hearth"`)
	}
	writeJSON(w, status, apiError{Error: body})
}

// logFailure logs a failed request by its route pattern, never its path:
// paths carry secrets (/calendar/{file}, /go/{token}) and query strings
// carry what people typed.
func (s *Server) logFailure(r *http.Request, err error, status int) {
	if status >= 500 {
		s.log.Error("request failed", "method", r.Method, "route", routeOf(r), "status", status, "err", err)
	}
}

// routeOf names the route that answered a request: the mux's pattern, else
// the one instrument recorded, else "unmatched".
func routeOf(r *http.Request) string {
	if r.Pattern != "" {
		return r.Pattern
	}
	if v := visitorOf(r); v.Route != "" {
		return v.Route
	}
	return "unmatched"
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	enc.Encode(v)
}
