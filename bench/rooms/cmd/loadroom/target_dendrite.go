package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// dendriteTarget starts Dendrite (the Go Matrix homeserver) with the
// binaries and SQLite configuration bench/rooms/dendrite.sh prepared, and
// uses the Matrix client-server API as a client would: open registration
// (m.login.dummy), one public room per group made by its first member and
// joined by the others, messages sent with PUT
// /rooms/{id}/send/m.room.message/{txnId} (answered once the event is
// persisted), and each member receiving with its own /sync long-poll.
type dendriteTarget struct {
	dir, addr, logDir string
	srv               *server
	plan              Plan
	hc                *http.Client

	tokens []string
	roomID []string

	sent, sendErrs, syncErrs, limited atomic.Int64
	mu                                sync.Mutex
	statuses                          map[string]int64
}

func (t *dendriteTarget) Name() string { return "dendrite" }
func (t *dendriteTarget) PID() int     { return t.srv.pid() }

func (t *dendriteTarget) base() string { return "http://" + t.addr + "/_matrix/client/v3" }

func (t *dendriteTarget) Setup(ctx context.Context, p Plan) error {
	t.plan = p
	t.statuses = map[string]int64{}
	t.hc = &http.Client{Transport: &http.Transport{
		DialContext:         (&net.Dialer{Timeout: 10 * time.Second}).DialContext,
		MaxIdleConns:        4 * p.Clients,
		MaxIdleConnsPerHost: 4 * p.Clients,
		IdleConnTimeout:     5 * time.Minute,
	}}
	s, err := startServer(ctx, filepath.Join(t.dir, "bin", "dendrite"),
		[]string{"--config", filepath.Join(t.dir, "dendrite.yaml"), "--really-enable-open-registration", "--http-bind-address", t.addr},
		nil, t.dir, filepath.Join(t.logDir, "dendrite.log"), t.addr, 2*time.Minute)
	if err != nil {
		return err
	}
	t.srv = s

	// Accounts, concurrently.
	t.tokens = make([]string, p.Clients)
	stamp := strconv.FormatInt(time.Now().Unix(), 36)
	if err := parallel(ctx, p.Clients, 16, func(i int) error {
		var out struct {
			AccessToken string `json:"access_token"`
		}
		err := t.call(ctx, "POST", "/register", "", map[string]any{
			"username": "m" + stamp + "x" + strconv.Itoa(i), "password": "a long enough password " + strconv.Itoa(i),
			"auth": map[string]string{"type": "m.login.dummy"}, "initial_device_display_name": "loadroom",
		}, &out)
		if err == nil && out.AccessToken == "" {
			err = errors.New("no access token")
		}
		t.tokens[i] = out.AccessToken
		return err
	}); err != nil {
		return fmt.Errorf("register: %w", err)
	}
	// Rooms: the first member of each makes it, the others join.
	t.roomID = make([]string, p.Rooms)
	if err := parallel(ctx, p.Rooms, 8, func(r int) error {
		var out struct {
			RoomID string `json:"room_id"`
		}
		err := t.call(ctx, "POST", "/createRoom", t.tokens[r*p.Size], map[string]any{
			"preset": "public_chat", "name": "Evening circle " + strconv.Itoa(r+1), "visibility": "private",
		}, &out)
		if err == nil && out.RoomID == "" {
			err = errors.New("no room id")
		}
		t.roomID[r] = out.RoomID
		return err
	}); err != nil {
		return fmt.Errorf("create rooms: %w", err)
	}
	if err := parallel(ctx, p.Clients, 16, func(i int) error {
		if i%p.Size == 0 {
			return nil
		}
		return t.call(ctx, "POST", "/rooms/"+url.PathEscape(t.roomID[p.Room(i)])+"/join", t.tokens[i], map[string]any{}, nil)
	}); err != nil {
		return fmt.Errorf("join rooms: %w", err)
	}
	return nil
}

// Acknowledged counts sends Dendrite answered 200: events persisted.
func (t *dendriteTarget) Acknowledged() int64 { return t.sent.Load() }

func (t *dendriteTarget) Close() error { t.srv.stop(); return nil }

func (t *dendriteTarget) Counters() map[string]int64 {
	m := map[string]int64{"sent": t.sent.Load(), "send_errors": t.sendErrs.Load(), "sync_errors": t.syncErrs.Load(), "limited_timelines": t.limited.Load()}
	t.mu.Lock()
	defer t.mu.Unlock()
	for k, v := range t.statuses {
		m[k] = v
	}
	return m
}

// call makes one client-server API request with a JSON body and decodes
// a JSON answer into out (when not nil).
func (t *dendriteTarget) call(ctx context.Context, method, path, token string, body, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, t.base()+path, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := t.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		t.mu.Lock()
		t.statuses[fmt.Sprintf("http_%d", resp.StatusCode)]++
		t.mu.Unlock()
		return fmt.Errorf("%s %s: HTTP %d: %.300s", method, path, resp.StatusCode, b)
	}
	if out != nil {
		return json.Unmarshal(b, out)
	}
	return nil
}

// parallel runs f(0…n-1), at most k at once, and returns the first error.
func parallel(ctx context.Context, n, k int, f func(int) error) error {
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
	)
	sem := make(chan struct{}, k)
	for i := range n {
		mu.Lock()
		stop := first != nil
		mu.Unlock()
		if stop || ctx.Err() != nil {
			break
		}
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			if err := f(i); err != nil {
				mu.Lock()
				if first == nil {
					first = fmt.Errorf("%d: %w", i, err)
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if first != nil {
		return first
	}
	return ctx.Err()
}

// syncFilter keeps /sync answers to the timeline: no presence, account
// data or ephemeral events, members loaded lazily, and a timeline long
// enough that a burst is not cut short ("limited" is counted).
const syncFilter = `{"presence":{"not_types":["*"]},"account_data":{"not_types":["*"]},"room":{"ephemeral":{"not_types":["*"]},"account_data":{"not_types":["*"]},"state":{"lazy_load_members":true},"timeline":{"limit":500}}}`

type syncResponse struct {
	NextBatch string `json:"next_batch"`
	Rooms     struct {
		Join map[string]struct {
			Timeline struct {
				Limited bool `json:"limited"`
				Events  []struct {
					Type    string `json:"type"`
					Content struct {
						Body string `json:"body"`
					} `json:"content"`
				} `json:"events"`
			} `json:"timeline"`
		} `json:"join"`
	} `json:"rooms"`
}

type dendriteConn struct {
	t      *dendriteTarget
	token  string
	room   string
	cancel context.CancelFunc
}

func (t *dendriteTarget) sync(ctx context.Context, token, since string, timeout time.Duration) (*syncResponse, error) {
	q := url.Values{"filter": {syncFilter}, "timeout": {strconv.Itoa(int(timeout / time.Millisecond))}}
	if since != "" {
		q.Set("since", since)
	}
	var out syncResponse
	if err := t.call(ctx, "GET", "/sync?"+q.Encode(), token, nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

func (t *dendriteTarget) Dial(ctx context.Context, i int, deliver func(string)) (Conn, error) {
	token := t.tokens[i]
	// The first sync gives the position to follow from; its history
	// (the room's creation and joins) is not part of the run.
	first, err := t.sync(ctx, token, "", 0)
	if err != nil {
		return nil, fmt.Errorf("initial sync: %w", err)
	}
	cctx, cancel := context.WithCancel(context.Background())
	c := &dendriteConn{t: t, token: token, room: t.roomID[t.plan.Room(i)], cancel: cancel}
	go func() {
		since := first.NextBatch
		for cctx.Err() == nil {
			r, err := t.sync(cctx, token, since, 30*time.Second)
			if err != nil {
				if cctx.Err() == nil {
					t.syncErrs.Add(1)
					time.Sleep(time.Second)
				}
				continue
			}
			for _, room := range r.Rooms.Join {
				if room.Timeline.Limited {
					t.limited.Add(1)
				}
				for _, ev := range room.Timeline.Events {
					if ev.Type == "m.room.message" {
						deliver(ev.Content.Body)
					}
				}
			}
			since = r.NextBatch
		}
	}()
	return c, nil
}

func (c *dendriteConn) Send(ctx context.Context, id, text string) error {
	path := "/rooms/" + url.PathEscape(c.room) + "/send/m.room.message/" + url.PathEscape(id)
	err := c.t.call(ctx, "PUT", path, c.token, map[string]string{"msgtype": "m.text", "body": text}, nil)
	if err != nil {
		c.t.sendErrs.Add(1)
		return err
	}
	c.t.sent.Add(1)
	return nil
}

func (c *dendriteConn) Close() { c.cancel() }
