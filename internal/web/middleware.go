package web

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/app"
	"github.com/hearth-org/hearth/internal/i18n"
)

// Cookie names.
const (
	sessionCookie = "hearth_session"
	langCookie    = "hearth_lang"
	zoneCookie    = "hearth_tz"
	flashCookie   = "hearth_flash"
)

// Request limits.
const (
	maxFormBytes = 64 << 10
	maxJSONBytes = 256 << 10
)

type ctxKey struct{}

// visitor is who is asking, found once per request.
type visitor struct {
	Actor        hearth.Actor
	User         *hearth.User
	SessionToken string
	ViaToken     bool // signed in with a bearer token (API)
	Lang         string
	Zone         string
	Route        string // the route pattern that answered, for logs and metrics
}

func visitorOf(r *http.Request) *visitor {
	if v, ok := r.Context().Value(ctxKey{}).(*visitor); ok {
		return v
	}
	return &visitor{Actor: hearth.Anonymous, Lang: "en"}
}

// identify finds the session (cookie) or token (Authorization: Bearer) and
// the person's language and zone.
func (s *Server) identify(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v := visitorOf(r)
		ctx := r.Context()
		if auth := r.Header.Get("Authorization"); strings.HasPrefix(auth, "Bearer ") {
			actor, u, err := s.app.TokenActor(ctx, strings.TrimSpace(strings.TrimPrefix(auth, "Bearer ")))
			if err != nil {
				if hearth.ErrorKind(err) != hearth.Unauthorized {
					s.log.Error("token lookup", "err", err)
				}
				s.writeAPIError(w, r, err)
				return
			}
			v.Actor, v.User, v.ViaToken = actor, u, true
		} else if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
			actor, u, err := s.app.SessionActorFrom(ctx, c.Value, app.AgentFamily(r.UserAgent()))
			switch {
			case err == nil:
				v.Actor, v.User, v.SessionToken = actor, u, c.Value
			case hearth.ErrorKind(err) == hearth.Unauthorized:
				s.clearCookie(w, r, sessionCookie)
			default:
				s.log.Error("session lookup", "err", err)
			}
		}
		choice := ""
		if c, err := r.Cookie(langCookie); err == nil {
			choice = c.Value
		} else if v.User != nil {
			choice = v.User.Locale
		}
		v.Lang = s.catalog.Match(choice, r.Header.Get("Accept-Language"))
		if c, err := r.Cookie(zoneCookie); err == nil && validZone(c.Value) {
			v.Zone = c.Value
		} else if v.User != nil && v.User.TimeZone != "" {
			v.Zone = v.User.TimeZone
		}
		next.ServeHTTP(w, r)
	})
}

func validZone(z string) bool {
	if z == "" || z == "Local" || len(z) > 64 {
		return false
	}
	_, err := time.LoadLocation(z)
	return err == nil
}

func (s *Server) locale(r *http.Request) *i18n.Locale { return s.catalog.Locale(visitorOf(r).Lang) }

// clientAddr is the address rate limits count by.
func (s *Server) clientAddr(r *http.Request) string {
	if s.trust {
		if xff := r.Header.Get("X-Forwarded-For"); xff != "" {
			parts := strings.Split(xff, ",")
			return strings.TrimSpace(parts[len(parts)-1])
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func (s *Server) isTLS(r *http.Request) bool {
	return r.TLS != nil || (s.trust && r.Header.Get("X-Forwarded-Proto") == "https")
}

func (s *Server) setCookie(w http.ResponseWriter, r *http.Request, name, value string, maxAge time.Duration) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: int(maxAge.Seconds()),
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure || s.isTLS(r)})
}

func (s *Server) clearCookie(w http.ResponseWriter, r *http.Request, name string) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure || s.isTLS(r)})
}

// securityHeaders sets a strict policy on every response: no inline script,
// nothing from other origins, no framing, no referrer.
func (s *Server) securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		if s.isTLS(r) {
			h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		next.ServeHTTP(w, r)
	})
}

// recoverPanics turns a panic into a calm 500 and a log line with the stack.
func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				s.log.Error("panic", "method", r.Method, "route", routeOf(r), "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
				s.fail(w, r, fmt.Errorf("panic: %v", p))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// logRequests logs one line per request: method, route, status, duration.
// Never a query string or a body: they may hold what someone wrote.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		v := &visitor{Actor: hearth.Anonymous, Lang: "en"}
		r = r.WithContext(context.WithValue(r.Context(), ctxKey{}, v))
		next.ServeHTTP(sw, r)
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		s.log.Info("request", "method", r.Method, "route", routeOf(r), "status", sw.status, "bytes", sw.bytes, "took", time.Since(start).Round(time.Microsecond))
	})
}
