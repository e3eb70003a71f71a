package web

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/i18n"
)

// parseTemplates parses every page once at start: the layout plus one file
// per page, each defining "content".
func parseTemplates() (map[string]*template.Template, error) {
	layout, err := template.New("layout.html").Funcs(funcs).ParseFS(assets, "templates/layout.html", "templates/partials.html", "templates/partials_*.html")
	if err != nil {
		return nil, err
	}
	names, err := fs.Glob(assets, "templates/page_*.html")
	if err != nil {
		return nil, err
	}
	pages := map[string]*template.Template{}
	for _, n := range names {
		t, err := template.Must(layout.Clone()).ParseFS(assets, n)
		if err != nil {
			return nil, err
		}
		name := strings.TrimSuffix(strings.TrimPrefix(path.Base(n), "page_"), ".html")
		pages[name] = t
	}
	return pages, nil
}

var funcs = template.FuncMap{
	"join": strings.Join,
	"contains": func(list []string, v string) bool {
		for _, x := range list {
			if x == v {
				return true
			}
		}
		return false
	},
	"str": func(v any) string { return fmt.Sprint(v) },
	"add": func(a, b int) int { return a + b },
}

// base is what every page shares: the language, who is looking, where.
type base struct {
	L        *i18n.Locale
	Lang     string
	Visitor  *visitor
	Path     string
	Here     string // the current address, to come back to
	Title    string
	Flash    string // a translated one-time notice
	Zone     *time.Location
	ZoneName string
	Unread   int // the signed-in person's unread notices, for the header
}

func (b *base) getBase() *base { return b }

// T translates a message key.
func (b *base) T(key string, args ...any) string { return b.L.T(key, args...) }

// SignedIn reports whether someone is signed in.
func (b *base) SignedIn() bool { return b.Visitor != nil && b.Visitor.Actor.SignedIn() }

// Topic names a topic in the page's language.
func (b *base) Topic(slug string) string {
	if t, ok := hearth.LookupTopic(slug); ok {
		return t.Label(b.Lang)
	}
	return slug
}

// Topics lists the taxonomy for filters and forms.
func (b *base) Topics() []hearth.Topic { return hearth.Topics() }

// When writes a moment in the viewer's zone, with the date.
func (b *base) When(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return b.L.DateTime(t.In(b.Zone))
}

// WhenIn writes a moment in a given zone.
func (b *base) WhenIn(t time.Time, zone string) string {
	loc, err := time.LoadLocation(zone)
	if err != nil {
		loc = time.UTC
	}
	return b.L.DateTime(t.In(loc))
}

// ZoneDiffers reports whether a group's zone differs from the viewer's at t.
func (b *base) ZoneDiffers(t time.Time, zone string) bool {
	loc, err := time.LoadLocation(zone)
	if err != nil {
		return false
	}
	_, a := t.In(loc).Zone()
	_, v := t.In(b.Zone).Zone()
	return a != v || loc.String() != b.Zone.String() && b.ZoneName != ""
}

// Day formats a date without time.
func (b *base) Day(t time.Time) string { return b.L.Date(t) }

// Distance writes a distance in km or miles.
func (b *base) Distance(km *float64, miles bool) string {
	if km == nil {
		return ""
	}
	if miles {
		return b.L.T("distance.mi", "n", b.L.Decimal(*km/hearth.KmPerMile))
	}
	return b.L.T("distance.km", "n", b.L.Decimal(*km))
}

// Schedule writes a weekly schedule in the group's own zone: "Tuesdays at
// 7:00 PM (America/Chicago)".
func (b *base) Schedule(s hearth.Schedule) string {
	return b.L.T("schedule.weekly", "day", b.L.T("weekday.plural."+hearth.DayCode(s.Weekday)), "time", b.L.ClockMinutes(s.Start))
}

// Minutes writes a duration.
func (b *base) Minutes(n int) string { return b.L.T("duration.minutes", "count", n) }

type errorPage struct {
	base
	Status  int
	Message string
	Details []string
}

type pageData interface{ getBase() *base }

// render executes a page into a buffer first, so a template error becomes
// a clean 500 instead of half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, data pageData) {
	v := visitorOf(r)
	b := data.getBase()
	b.L = s.catalog.Locale(v.Lang)
	b.Lang = v.Lang
	b.Visitor = v
	if v.Actor.SignedIn() {
		n, err := s.app.UnreadNotices(r.Context(), v.Actor)
		if err != nil {
			s.log.Warn("count unread notices", "user_id", v.Actor.UserID, "err", err)
		}
		b.Unread = n
	}
	b.Path = r.URL.Path
	b.Here = r.URL.RequestURI()
	b.Zone = time.UTC
	if v.Zone != "" {
		if loc, err := time.LoadLocation(v.Zone); err == nil {
			b.Zone, b.ZoneName = loc, v.Zone
		}
	}
	if c, err := r.Cookie(flashCookie); err == nil && strings.HasPrefix(c.Value, "flash.") {
		b.Flash = b.L.T(c.Value)
		s.clearCookie(w, r, flashCookie)
	}
	t, ok := s.pages[name]
	if !ok {
		s.log.Error("no such page template", "page", name)
		http.Error(w, "Internal error", http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", data); err != nil {
		s.log.Error("render page", "page", name, "err", err)
		if name != "error" {
			s.render(w, r, http.StatusInternalServerError, "error", &errorPage{Status: 500, Message: b.L.T("error.internal")})
			return
		}
		http.Error(w, "Internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Language", v.Lang)
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Vary", "Cookie, Accept-Language")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// redirect ends a POST: see other, with an optional one-time notice (a
// catalog key, never a person's text).
func (s *Server) redirect(w http.ResponseWriter, r *http.Request, to, flashKey string) error {
	if flashKey != "" {
		s.setCookie(w, r, flashCookie, flashKey, time.Minute)
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

// safeNext keeps a "next" address only when it is a path on this site.
func safeNext(next, fallback string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") || strings.ContainsAny(next, "\r\n") {
		return fallback
	}
	return next
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }

// translateError gives the person's language for an error.
func (s *Server) translateError(l *i18n.Locale, e *hearth.Error) string {
	if l.Lang != "en" || e.Kind == hearth.Internal {
		if t := l.T("error." + e.Code); t != "error."+e.Code {
			return t
		}
	}
	return e.Message
}

// translateField gives the person's language for a field problem: English
// uses the domain's specific message; Spanish the catalog's, specific or
// generic by code.
func (s *Server) translateField(l *i18n.Locale, f hearth.FieldError) string {
	if l.Lang == "en" {
		return f.Message
	}
	var pairs []any
	for k, v := range f.Params {
		pairs = append(pairs, k, v)
	}
	for _, key := range []string{"field." + f.Field + "." + f.Code, "field." + f.Code} {
		if t := l.T(key, pairs...); t != key {
			return t
		}
	}
	return f.Message
}

func (s *Server) staticFiles() http.Handler {
	fsrv := http.StripPrefix("/static/", http.FileServerFS(s.static))
	return s.instrument("GET /static/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=86400")
		fsrv.ServeHTTP(w, r)
	}))
}

func (s *Server) favicon(w http.ResponseWriter, r *http.Request) error {
	b, err := fs.ReadFile(s.static, "favicon.svg")
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Header().Set("Cache-Control", "public, max-age=86400")
	w.Write(b)
	return nil
}
