package web

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/gobwas/ws"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/app"
)

// The live "new posts" hint of a group's board (issue 6 §3). An open board
// or thread page (static/board.js) holds a WebSocket to
// /groups/{slug}/board/live, upgraded only for readers of that board (the
// same answer as the board page for anyone else) and only from Hearth's own
// pages. When a post becomes visible, app rings the BoardHub (and, through
// internal/roombus, the hubs of other processes), which sends every
// connection on that group's board one frame:
//
//	{"t":"new","thread":123}
//
// and nothing else: no title, no text, no writer. The page then offers to
// reload; it is complete without the script. A connection lives at most
// boardLiveLifetime, then closes with 1001 and the script connects again
// (authorized again: a member who left stops hearing within that time). An
// alumna who still reads her cohort's threads hears only of those.

const (
	// boardLiveQueue is how many frames wait per connection; more are
	// dropped (the page already offers to reload).
	boardLiveQueue = 8
	// boardLiveLifetime is how long one connection is kept.
	boardLiveLifetime = 30 * time.Minute
)

// BoardHub fans board rings out to the connections of this process. Its
// methods are safe for concurrent use.
type BoardHub struct {
	log      *slog.Logger
	lifetime time.Duration

	mu     sync.Mutex
	groups map[int64]map[*boardConn]struct{}
	closed bool
	done   chan struct{}
}

type boardConn struct {
	pass  app.BoardLivePass // the group, and for an alumna the threads of her time
	queue chan int64        // thread ids
}

// NewBoardHub returns an empty hub (log nil: discard).
func NewBoardHub(log *slog.Logger) *BoardHub {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &BoardHub{log: log, lifetime: boardLiveLifetime, groups: map[int64]map[*boardConn]struct{}{}, done: make(chan struct{})}
}

// Rung tells the group's open pages that a post became visible in thread
// (post is not sent: the page needs only to know there is something new).
// It never blocks.
func (h *BoardHub) Rung(group, thread, post int64) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for bc := range h.groups[group] {
		if !bc.pass.Hears(thread) {
			continue
		}
		select {
		case bc.queue <- thread:
		default:
		}
	}
}

// Connections counts the open connections.
func (h *BoardHub) Connections() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := 0
	for _, conns := range h.groups {
		n += len(conns)
	}
	return n
}

// Close closes every connection (1001: the page may connect again later)
// and refuses new ones.
func (h *BoardHub) Close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.closed {
		h.closed = true
		close(h.done)
	}
}

func (h *BoardHub) add(bc *boardConn) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return false
	}
	g := bc.pass.GroupID
	if h.groups[g] == nil {
		h.groups[g] = map[*boardConn]struct{}{}
	}
	h.groups[g][bc] = struct{}{}
	return true
}

func (h *BoardHub) remove(bc *boardConn) {
	h.mu.Lock()
	defer h.mu.Unlock()
	g := bc.pass.GroupID
	delete(h.groups[g], bc)
	if len(h.groups[g]) == 0 {
		delete(h.groups, g)
	}
}

// serve holds one connection until the client leaves, the lifetime ends or
// the hub closes. The client sends nothing that matters: what it sends is
// read (pings answered) and dropped.
func (h *BoardHub) serve(c *wsConn, pass app.BoardLivePass) {
	bc := &boardConn{pass: pass, queue: make(chan int64, boardLiveQueue)}
	if !h.add(bc) {
		c.Close(int(ws.StatusGoingAway), "The server is restarting.")
		return
	}
	defer h.remove(bc)
	gone := make(chan struct{})
	go func() {
		defer close(gone)
		for {
			if _, err := c.Read(context.Background()); err != nil {
				return
			}
		}
	}()
	timer := time.NewTimer(h.lifetime)
	defer timer.Stop()
	for {
		select {
		case thread := <-bc.queue:
			frame := []byte(`{"t":"new","thread":` + strconv.FormatInt(thread, 10) + `}`)
			if err := c.Write(context.Background(), [][]byte{frame}); err != nil {
				return
			}
		case <-gone:
			c.drop()
			return
		case <-timer.C:
			c.Close(int(ws.StatusGoingAway), "Connect again.")
			return
		case <-h.done:
			c.Close(int(ws.StatusGoingAway), "The server is restarting.")
			return
		}
	}
}

// Errors answered before the upgrade.
var (
	errBoardLiveOrigin = hearth.Coded(hearth.Forbidden, "board_live_origin", "The board's live updates open only from Hearth's own pages.")
	errBoardLiveOff    = hearth.Coded(hearth.Unavailable, "board_live_off", "Live board updates are not running on this server; reload the page to see new posts.")
	errBoardLiveWS     = hearth.Coded(hearth.Invalid, "websocket_only", "This address takes a WebSocket connection.")
)

// boardLive is GET /groups/{slug}/board/live: the hint's WebSocket.
func (s *Server) boardLive(w http.ResponseWriter, r *http.Request) error {
	return s.serveBoardLive(w, r, s.boards)
}

// serveBoardLive upgrades a reader of the group's board to the hint's
// WebSocket: the page's origin and the reader are checked first (who may
// not read the board gets the board page's answer, before any upgrade).
func (s *Server) serveBoardLive(w http.ResponseWriter, r *http.Request, hub *BoardHub) error {
	if !s.originAllowed(r) {
		return errBoardLiveOrigin
	}
	pass, err := s.app.BoardLive(r.Context(), visitorOf(r).Actor, r.PathValue("slug"))
	if err != nil {
		return err
	}
	if hub == nil {
		return errBoardLiveOff
	}
	if !isUpgrade(r) {
		return errBoardLiveWS
	}
	c, err := upgrade(w, r)
	if err != nil {
		s.log.Info("board live upgrade failed", "err", err)
		return nil // the upgrader answered the client
	}
	go hub.serve(c, pass)
	return nil
}
