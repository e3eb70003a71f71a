// Package web is Hearth's HTTP face: server-rendered pages that work without
// JavaScript, the JSON API under /api/v1 with its OpenAPI document, health,
// readiness and metrics. Handlers parse input, call app, and render; every
// route is listed in routes.go.
package web

import (
	"embed"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/hearth-org/hearth/internal/app"
	"github.com/hearth-org/hearth/internal/i18n"
	"github.com/hearth-org/hearth/internal/markdown"
	"github.com/hearth-org/hearth/internal/room"
)

//go:embed templates static openapi.json
var assets embed.FS

// Config wires the HTTP handler.
type Config struct {
	App    *app.App
	Logger *slog.Logger
	// Registry receives Hearth's metrics; a new one when nil.
	Registry *prometheus.Registry
	// DBStats reports the database pools for /metrics.
	DBStats func() map[string]PoolStats
	// TrustProxy takes the client address and scheme from X-Forwarded-For
	// and X-Forwarded-Proto (only behind a proxy you run).
	TrustProxy bool
	// SecureCookies forces the Secure flag even without TLS in sight.
	SecureCookies bool
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// Rooms runs live meeting rooms (ws.go hands it each member's
	// WebSocket); nil: the room pages say rooms are off.
	Rooms *room.Hub
	// BaseURL is Hearth's public address; room WebSockets opened from its
	// pages are accepted besides those from the request's own host.
	BaseURL string
	// Boards carries the live "new posts" hint to open board pages
	// (board_live.go); nil: the hint is off (pages work as without JavaScript).
	Boards *BoardHub
}

// PoolStats is what /metrics shows of one database pool.
type PoolStats struct {
	Open, InUse, Idle int
	WaitCount         int64
	WaitDuration      time.Duration
}

// Server holds what the handlers share. It has no mutable state beyond its
// metrics.
type Server struct {
	app       *app.App
	log       *slog.Logger
	catalog   *i18n.Catalog
	pages     map[string]*template.Template
	static    fs.FS
	openapi   []byte
	metrics   *metrics
	trust     bool
	secure    bool
	now       func() time.Time
	routes    []Route
	rooms     *room.Hub
	origins   []string // accepted WebSocket origins besides the request's host
	mux       *http.ServeMux
	crossOrig *http.CrossOriginProtection
	md        *markdown.Renderer // board posts' Markdown to sanitized HTML
	boards    *BoardHub          // the board pages' live hint (nil: off)
}

// NewHandler returns Hearth's whole HTTP handler.
func NewHandler(c Config) (http.Handler, error) {
	s, err := newServer(c)
	if err != nil {
		return nil, err
	}
	return s.handler(), nil
}

func newServer(c Config) (*Server, error) {
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.Registry == nil {
		c.Registry = prometheus.NewRegistry()
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	cat, err := i18n.Load()
	if err != nil {
		return nil, err
	}
	static, err := fs.Sub(assets, "static")
	if err != nil {
		return nil, err
	}
	spec, err := assets.ReadFile("openapi.json")
	if err != nil {
		return nil, err
	}
	s := &Server{app: c.App, log: c.Logger, catalog: cat, static: static, openapi: spec,
		trust: c.TrustProxy, secure: c.SecureCookies, now: c.Now, mux: http.NewServeMux(),
		crossOrig: http.NewCrossOriginProtection(), rooms: c.Rooms, md: markdown.New(), boards: c.Boards}
	if c.BaseURL != "" {
		s.origins = append(s.origins, strings.TrimRight(c.BaseURL, "/"))
	}
	s.crossOrig.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, errCrossOrigin)
	}))
	if s.pages, err = parseTemplates(); err != nil {
		return nil, err
	}
	s.metrics = newMetrics(c.Registry, c.DBStats)
	s.registerRoutes()
	return s, nil
}

func (s *Server) handler() http.Handler {
	var h http.Handler = s.mux
	h = s.crossOrig.Handler(h)
	h = s.identify(h)
	h = s.securityHeaders(h)
	h = s.recoverPanics(h)
	h = s.logRequests(h)
	return h
}
