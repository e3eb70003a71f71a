package web

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hearth-org/hearth/internal/app"
)

// The public feeds: GET /feeds/meeting-guide.json (the Meeting Guide JSON
// format) and GET /feeds/hearth.json (Hearth's own). Many sites read them —
// an intergroup's meeting finder embeds them from another origin — so they
// answer cross-origin requests (no credentials), are cached in memory,
// serialized once per change, and carry an ETag so a reader that has the
// current feed gets a 304.

// feedMaxAge is how long readers and caches may keep a feed, and how long
// this process keeps one whose change it could not see (an organization's
// renamed, say: organizations carry no change time).
const feedMaxAge = 5 * time.Minute

// feedCache keeps the serialized feeds.
type feedCache struct {
	s       *Server
	mu      sync.Mutex
	entries map[string]*feedEntry // by kind and base address
	build   sync.Mutex            // one rebuild at a time
}

type feedEntry struct {
	version string
	body    []byte
	etag    string
	built   time.Time
	staleAt time.Time
}

type feedBuilder func(ctx context.Context, groupURL func(slug string) string) (*app.FeedDocument, error)

// registerFeeds adds the feed routes (called from registerRoutes).
func (s *Server) registerFeeds() {
	c := &feedCache{s: s, entries: map[string]*feedEntry{}}
	s.api("GET /feeds/meeting-guide.json", Public, c.serve("meeting-guide", s.app.MeetingGuideFeed))
	s.api("OPTIONS /feeds/meeting-guide.json", Public, feedPreflight)
	s.api("GET /feeds/hearth.json", Public, c.serve("hearth", s.app.HearthFeed))
	s.api("OPTIONS /feeds/hearth.json", Public, feedPreflight)
}

// corsOpen lets any site read a public answer, without credentials.
func corsOpen(h http.Header) {
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Access-Control-Expose-Headers", "ETag, Content-Length")
	h.Set("Cross-Origin-Resource-Policy", "cross-origin")
}

// feedPreflight answers a CORS preflight: GET and HEAD from any origin,
// with the conditional-request headers a reader may send.
func feedPreflight(w http.ResponseWriter, r *http.Request) error {
	h := w.Header()
	corsOpen(h)
	h.Set("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS")
	h.Set("Access-Control-Allow-Headers", "If-None-Match, If-Modified-Since, Cache-Control")
	h.Set("Access-Control-Max-Age", "86400")
	h.Set("Allow", "GET, HEAD, OPTIONS")
	h.Set("Cache-Control", "public, max-age=86400")
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (c *feedCache) serve(kind string, build feedBuilder) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		h := w.Header()
		corsOpen(h)
		base := c.s.feedBase(r)
		e, err := c.get(r.Context(), kind+" "+base, base, build)
		if err != nil {
			return err
		}
		maxAge := feedMaxAge
		if !e.staleAt.IsZero() {
			maxAge = min(maxAge, max(0, e.staleAt.Sub(c.s.now())))
		}
		h.Set("Content-Type", "application/json; charset=utf-8")
		h.Set("Cache-Control", fmt.Sprintf("public, max-age=%d", int(maxAge.Seconds())))
		h.Set("ETag", e.etag)
		if etagMatches(r.Header.Get("If-None-Match"), e.etag) {
			w.WriteHeader(http.StatusNotModified)
			return nil
		}
		h.Set("Content-Length", strconv.Itoa(len(e.body)))
		w.WriteHeader(http.StatusOK)
		if r.Method != http.MethodHead {
			w.Write(e.body)
		}
		return nil
	}
}

// get returns the cached feed, rebuilt when anything it shows changed
// (the app's feed version moved), when an occurrence it lists began, or
// when it is older than feedMaxAge.
func (c *feedCache) get(ctx context.Context, key, base string, build feedBuilder) (*feedEntry, error) {
	version, changed, err := c.s.app.FeedVersion(ctx)
	if err != nil {
		return nil, err
	}
	fresh := func(e *feedEntry) bool {
		now := c.s.now()
		return e != nil && e.version == version && now.Sub(e.built) < feedMaxAge && (e.staleAt.IsZero() || now.Before(e.staleAt)) &&
			e.built.Unix() > changed.Unix() // built after the second of the last change ended
	}
	c.mu.Lock()
	e := c.entries[key]
	c.mu.Unlock()
	if fresh(e) {
		return e, nil
	}
	c.build.Lock()
	defer c.build.Unlock()
	c.mu.Lock()
	e = c.entries[key]
	c.mu.Unlock()
	if fresh(e) {
		return e, nil // built while this request waited
	}
	doc, err := build(ctx, func(slug string) string { return base + "/groups/" + slug })
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(doc.Body)
	e = &feedEntry{version: version, body: doc.Body, etag: `"` + hex.EncodeToString(sum[:16]) + `"`, built: c.s.now(), staleAt: doc.StaleAt}
	c.mu.Lock()
	if len(c.entries) >= 16 { // a few host names at most; never grow without bound
		clear(c.entries)
	}
	c.entries[key] = e
	c.mu.Unlock()
	return e, nil
}

// etagMatches reads If-None-Match: "*", or a list of (weak or strong) tags.
func etagMatches(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || t == etag {
			return true
		}
	}
	return false
}

// feedBase is Hearth's public address for the absolute links feeds carry:
// the configured one, or the address this request reached Hearth at, its
// host (the proxy's when trusted) kept only when it looks like a host name.
func (s *Server) feedBase(r *http.Request) string {
	if b := s.app.PublicBase(); b != "" {
		return strings.TrimSuffix(b, "/")
	}
	scheme := "http"
	if s.isTLS(r) {
		scheme = "https"
	}
	host := r.Host
	if s.trust {
		if fh := r.Header.Get("X-Forwarded-Host"); fh != "" {
			host = strings.TrimSpace(strings.Split(fh, ",")[0])
		}
	}
	if host == "" || len(host) > 255 || strings.Trim(strings.ToLower(host), "abcdefghijklmnopqrstuvwxyz0123456789.-:[]") != "" {
		host = "localhost"
	}
	return scheme + "://" + host
}
