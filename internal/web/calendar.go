package web

import (
	"bytes"
	"net/http"
	"strings"

	"github.com/hearth-org/hearth"
)

// iCalendar feeds: /groups/{slug}/calendar.ics (public, for listed and
// unlisted groups, readable from any web site) and /calendar/{secret}.ics
// (a person's private feed behind a secret, revocable address).

const calendarType = "text/calendar; charset=utf-8"

// groupCalendar serves a group's public calendar. It carries nothing
// private, so any site may read it (Access-Control-Allow-Origin: *, never
// with credentials).
func (s *Server) groupCalendar(w http.ResponseWriter, r *http.Request) error {
	slug := r.PathValue("slug")
	if !hearth.ValidSlug(slug) {
		return hearth.Errorf(hearth.NotFound, "The group was not found.")
	}
	var buf bytes.Buffer
	if err := s.app.GroupCalendar(r.Context(), slug, s.baseURL(r), &buf); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Content-Type", calendarType)
	h.Set("Content-Disposition", `inline; filename="`+slug+`.ics"`)
	h.Set("Cache-Control", "public, max-age=900")
	w.Write(buf.Bytes())
	return nil
}

// personalCalendar serves a person's private calendar. The address is the
// secret: no cookie is needed (calendar apps have none), and none is
// honoured across sites.
func (s *Server) personalCalendar(w http.ResponseWriter, r *http.Request) error {
	file := r.PathValue("file")
	secret, ok := strings.CutSuffix(file, ".ics")
	if !ok {
		return hearth.Errorf(hearth.NotFound, "The calendar was not found.")
	}
	var buf bytes.Buffer
	if err := s.app.PersonalCalendar(r.Context(), secret, s.baseURL(r), &buf); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", calendarType)
	h.Set("Content-Disposition", `inline; filename="hearth.ics"`)
	h.Set("Cache-Control", "private, no-store")
	h.Set("X-Robots-Tag", "noindex")
	w.Write(buf.Bytes())
	return nil
}
