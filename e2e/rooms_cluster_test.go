package e2e

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hearth-org/hearth/internal/roombus/natstest"
	"github.com/hearth-org/hearth/internal/sqldb"
	"github.com/hearth-org/hearth/internal/sqldb/sqldbtest"
)

// TestRoomAcrossTwoProcesses is issue 5's proof that rooms work across
// machines: two `hearth serve` processes on loopback share one PostgreSQL
// schema and a NATS server. Member A is connected to the first, member B to
// the second, in the same room. Each sends 200 messages at the same time;
// both see all 400, in the same order, none lost, none doubled, and each
// sees the other present. Then A's network drops; B (and A, on its way
// back) keep writing; A reconnects to the other process, resumes from the
// last sequence it saw, and ends with exactly B's history.
//
// It needs PostgreSQL (HEARTH_TEST_DATABASE_URL, as every PostgreSQL test)
// and NATS (HEARTH_TEST_NATS_URL, default nats://127.0.0.1:4222); NATS
// unreachable is a failure unless HEARTH_TEST_NO_NATS=1 says there is none.
func TestRoomAcrossTwoProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts two servers: skipped in -short mode")
	}
	c := startCluster(t, natstest.URL(t))
	p1, p2, wsPath, adminTok, tokA, tokB := c.p1, c.p2, c.wsPath, c.adminTok, c.tokA, c.tokB

	clock := &sentAt{at: map[string]time.Time{}}
	a := connectRoom(t, clock, "A", p1, wsPath, tokA, 0)
	b := connectRoom(t, clock, "B", p2, wsPath, tokB, 0)

	// 1. Both write at once, each on its own process.
	const each = 200
	var wg sync.WaitGroup
	for _, c := range []*roomClient{a, b} {
		wg.Add(1)
		go func() { defer wg.Done(); c.sendMany(t, c.name, 1, each) }()
	}
	wg.Wait()
	a.waitMessages(t, 2*each)
	b.waitMessages(t, 2*each)
	a.waitAcks(t, each)
	b.waitAcks(t, each)
	checkSameHistory(t, a, b, 2*each, map[string]int{"A": each, "B": each})

	// Each sees the other, connected to the other process, as present.
	a.waitPresent(t, "Birch")
	b.waitPresent(t, "Alder")
	// Delivery across processes is rung through NATS, not left to the
	// hubs' polling of the database (every 5 s): the median is well under
	// a second even on a busy machine.
	lat := slices.Concat(a.crossLatency(), b.crossLatency())
	slices.Sort(lat)
	p50, p99 := lat[len(lat)/2], lat[len(lat)*99/100]
	t.Logf("send-to-deliver across processes, %d messages: p50 %v, p99 %v, max %v", len(lat), p50, p99, lat[len(lat)-1])
	if p50 > time.Second {
		t.Errorf("median delivery across processes took %v: the bell is not ringing", p50)
	}

	// 2. A's network drops. B writes on; A, reconnecting to the other
	// process, resumes after the last sequence it saw.
	last := a.lastSeq()
	a.drop()
	b.sendMany(t, "B", each+1, 20)
	a = connectRoom(t, clock, "A", p2, wsPath, tokA, last) // the same member, now on process 2, keeping its history
	wg.Add(2)
	go func() { defer wg.Done(); b.sendMany(t, "B", each+21, 20) }()
	go func() { defer wg.Done(); a.sendMany(t, "A", each+1, 10) }()
	wg.Wait()
	total := 2*each + 50
	b.waitMessages(t, total)
	missed := 0
	for _, m := range b.history() {
		if m.Seq > last {
			missed++
		}
	}
	a.waitMessages(t, missed)
	a.waitAcks(t, 10)
	checkResumed(t, a, b, last)
	t.Logf("both processes delivered %d messages in one order; A resumed on the other process after seq %d", total, last)

	// 3. B is removed from the group through process 1: process 2, told
	// through NATS, closes B's socket within a second, saying why.
	var birch int64
	for _, m := range apiCall(t, p1, "GET", "/api/v1/groups/evening-circle/members", adminTok, nil, 200)["members"].([]any) {
		if m := m.(map[string]any); m["pseudonym"] == "Birch" {
			birch = int64(m["id"].(float64))
		}
	}
	if birch == 0 {
		t.Fatal("Birch is not in the member list")
	}
	removed := time.Now()
	apiCall(t, p1, "POST", fmt.Sprintf("/api/v1/groups/evening-circle/members/%d/remove", birch), adminTok, map[string]any{"reason": "Asked to leave."}, 200)
	select {
	case <-b.done:
	case <-time.After(5 * time.Second):
		t.Fatal("B's socket on the other process is still open 5 s after the removal")
	}
	took := time.Since(removed)
	if b.closed == nil || b.closed.Code != 4003 {
		t.Fatalf("B's socket ended with %v, want close code 4003 (removed)", b.closed)
	}
	t.Logf("removal on process 1 closed B's socket on process 2 in %v (%q)", took, b.closed.Reason)
	if took > time.Second {
		t.Errorf("the removed member's socket closed after %v, want within a second", took)
	}
}

// cluster is two hearth processes sharing a PostgreSQL schema and NATS,
// with an open online group whose meeting's room is open now, and two
// members, Alder (A) and Birch (B).
type cluster struct {
	p1, p2     string // base URLs
	wsPath     string // the room's WebSocket path
	adminTok   string // a site admin's API token
	tokA, tokB string
}

func startCluster(t *testing.T, natsURL string) *cluster {
	t.Helper()
	dbURL, _ := sqldbtest.URL(t, sqldb.Postgres)
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	bin := buildHearth(t, browserEnv{root: root})

	var rb [6]byte
	_, _ = rand.Read(rb[:])
	keyFile := filepath.Join(t.TempDir(), "master.key")
	common := []string{"--database-url", dbURL, "--master-key-file", keyFile,
		"--nats-url", natsURL, "--nats-prefix", "test.cluster." + hex.EncodeToString(rb[:]) + ".",
		// 200 messages in a dozen seconds is more than a person writes:
		// the test raises the per-member message limit, not the frame rate.
		"--room-message-limit", "300/10s"}
	env := []string{"HEARTH_DATABASE_URL=" + dbURL}

	// The first command creates the master key file both servers then use.
	adminHandle, adminPassword := createSiteAdminWith(t, bin, t.TempDir(), common[:4])
	p1 := startHearthWith(t, bin, hearthOptions{Args: common, Env: env})
	p2 := startHearthWith(t, bin, hearthOptions{Args: common, Env: env})

	// The group, its online meeting starting in two minutes, two members.
	adminTok := apiCall(t, p1, "POST", "/api/v1/tokens", "", map[string]any{"login": adminHandle, "password": adminPassword}, 201)["token"].(string)
	apiCall(t, p1, "POST", "/api/v1/organizations", adminTok, map[string]any{"slug": "two-rivers", "name": "Two Rivers"}, 201)
	apiCall(t, p1, "POST", "/api/v1/organizations/two-rivers/groups", adminTok, map[string]any{
		"slug": "evening-circle", "name": "Evening Circle", "description": "An online peer circle.",
		"topics": []string{"anxiety"}, "format": "online", "leadership": "peer_led", "policy": "open",
		"languages": []string{"en"}, "audience": map[string]any{"age_band": "adults", "gender": "any"},
		"cost":       map[string]any{"kind": "free"},
		"location":   map[string]any{"city": "Chicago", "country": "US", "time_zone": "America/Chicago"},
		"schedule":   map[string]any{"weekday": "monday", "start": "19:00", "duration_minutes": 60},
		"guidelines": "What is said here stays here.",
	}, 201)
	chicago, err := time.LoadLocation("America/Chicago")
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now().Add(2 * time.Minute).In(chicago).Format("2006-01-02T15:04")
	mt := apiCall(t, p2, "POST", "/api/v1/groups/evening-circle/meetings", adminTok, map[string]any{
		"start": start, "duration_minutes": 90, "rrule": "", "attend": map[string]any{"mode": "online", "conference_url": "https://meet.example.org/evening-circle"}}, 201)
	upcoming, _ := mt["upcoming"].([]any)
	if len(upcoming) == 0 {
		t.Fatalf("the new meeting has no upcoming occurrence: %v", mt)
	}
	path, _ := upcoming[0].(map[string]any)["path"].(string)
	if path == "" {
		t.Fatalf("the occurrence has no path: %v", upcoming[0])
	}
	wsPath := path + "/room/ws"

	member := func(handle, pseudonym string) string {
		tok := apiCall(t, p1, "POST", "/api/v1/account", "", map[string]any{"handle": handle, "password": "a long enough passphrase " + handle}, 201)["token"].(string)
		apiCall(t, p2, "POST", "/api/v1/groups/evening-circle/join", tok, map[string]any{"pseudonym": pseudonym, "accept_guidelines": true}, 201)
		return tok
	}
	tokA, tokB := member("member-a", "Alder"), member("member-b", "Birch")
	return &cluster{p1: p1, p2: p2, wsPath: wsPath, adminTok: adminTok, tokA: tokA, tokB: tokB}

}

// createSiteAdminWith is createSiteAdmin with more flags (the database,
// the master key file).
func createSiteAdminWith(t *testing.T, bin, data string, flags []string) (handle, password string) {
	t.Helper()
	b := make([]byte, 18)
	_, _ = rand.Read(b)
	handle, password = "site-admin", hex.EncodeToString(b)
	args := append([]string{"admin", "create-user", "--handle", handle, "--site-admin", "--password-stdin", "--data", data}, flags...)
	cmd := exec.Command(bin, args...)
	cmd.Env = hearthEnv()
	cmd.Stdin = strings.NewReader(password + "\n")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("hearth admin create-user --site-admin: %v\n%s", describeExit(err), out.String())
	}
	return handle, password
}

// apiCall sends a JSON request and requires the status; it returns the
// decoded object.
func apiCall(t *testing.T, base, method, path, token string, body any, want int) map[string]any {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, base+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		t.Fatalf("%s %s: HTTP %d, want %d: %s", method, path, resp.StatusCode, want, raw)
	}
	out := map[string]any{}
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &out); err != nil {
			t.Fatalf("%s %s: %v: %s", method, path, err, raw)
		}
	}
	return out
}

// roomMessage is a message event as a client saw it.
type roomMessage struct {
	Seq  int64
	Text string
}

// sentAt records when each message text was sent, across clients, so the
// receivers can tell how long delivery took.
type sentAt struct {
	mu sync.Mutex
	at map[string]time.Time
}

func (s *sentAt) mark(text string) {
	s.mu.Lock()
	s.at[text] = time.Now()
	s.mu.Unlock()
}

func (s *sentAt) get(text string) (time.Time, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.at[text]
	return t, ok
}

// roomClient is one member's connection, reading in the background.
type roomClient struct {
	name  string
	ws    *wsClient
	clock *sentAt

	mu       sync.Mutex
	messages []roomMessage
	seen     map[int64]bool
	acks     map[string]int64
	present  map[string]bool
	problems []string
	closed   *closeFrameError // how the server ended the connection, if it did
	// latency is how long each message sent by the other member, through
	// the other process, took to arrive here.
	latency []time.Duration
	done    chan struct{}
	changed chan struct{}
}

// connectRoom opens the room's WebSocket on base with the token, says
// hello with after, waits for the welcome, and reads on in the background.
func connectRoom(t *testing.T, clock *sentAt, name, base, path, token string, after int64) *roomClient {
	t.Helper()
	ws, err := dialWS("ws"+strings.TrimPrefix(base, "http")+path, http.Header{"Authorization": {"Bearer " + token}, "Origin": {base}})
	if err != nil {
		t.Fatalf("%s: connect to %s: %v", name, base, err)
	}
	c := &roomClient{name: name, ws: ws, clock: clock, seen: map[int64]bool{}, acks: map[string]int64{},
		present: map[string]bool{}, done: make(chan struct{}), changed: make(chan struct{}, 1)}
	hello, _ := json.Marshal(map[string]any{"type": "hello", "after": after})
	if err := ws.WriteText(hello); err != nil {
		t.Fatalf("%s: hello: %v", name, err)
	}
	first, err := ws.ReadText(10 * time.Second)
	if err != nil {
		t.Fatalf("%s: no welcome: %v", name, err)
	}
	var w struct {
		Type     string `json:"type"`
		Presence []struct {
			Name string `json:"name"`
		} `json:"presence"`
	}
	if err := json.Unmarshal(first, &w); err != nil || w.Type != "welcome" {
		t.Fatalf("%s: first frame is not a welcome: %s", name, first)
	}
	for _, m := range w.Presence {
		c.present[m.Name] = true
	}
	go c.read()
	t.Cleanup(c.close)
	return c
}

func (c *roomClient) read() {
	defer close(c.done)
	for {
		data, err := c.ws.ReadText(5 * time.Minute)
		if err != nil {
			var ce *closeFrameError
			if errors.As(err, &ce) {
				c.mu.Lock()
				c.closed = ce
				c.mu.Unlock()
			}
			return
		}
		var f struct {
			Type    string `json:"type"`
			Key     string `json:"key"`
			Seq     int64  `json:"seq"`
			Code    string `json:"code"`
			Message string `json:"message"`
			Event   struct {
				Seq  int64  `json:"seq"`
				Kind string `json:"kind"`
				Text string `json:"text"`
			} `json:"event"`
			Members []struct {
				Name string `json:"name"`
			} `json:"members"`
		}
		if err := json.Unmarshal(data, &f); err != nil {
			c.problem("undecodable frame %s", data)
			continue
		}
		c.mu.Lock()
		switch f.Type {
		case "event":
			if f.Event.Kind == "message" {
				if c.seen[f.Event.Seq] {
					c.problems = append(c.problems, fmt.Sprintf("seq %d delivered twice", f.Event.Seq))
				}
				c.seen[f.Event.Seq] = true
				c.messages = append(c.messages, roomMessage{f.Event.Seq, f.Event.Text})
				if sent, ok := c.clock.get(f.Event.Text); ok && !strings.HasPrefix(f.Event.Text, c.name+" ") {
					c.latency = append(c.latency, time.Since(sent))
				}
			}
		case "ack":
			c.acks[f.Key] = f.Seq
		case "presence":
			clear(c.present)
			for _, m := range f.Members {
				c.present[m.Name] = true
			}
		case "error":
			c.problems = append(c.problems, fmt.Sprintf("error frame %s: %s (key %q)", f.Code, f.Message, f.Key))
		}
		c.mu.Unlock()
		select {
		case c.changed <- struct{}{}:
		default:
		}
	}
}

func (c *roomClient) problem(format string, args ...any) {
	c.mu.Lock()
	c.problems = append(c.problems, fmt.Sprintf(format, args...))
	c.mu.Unlock()
}

// sendMany sends n messages numbered from first, paced under the
// protocol's frame rate (20 a second), each with its idempotency key.
func (c *roomClient) sendMany(t *testing.T, who string, first, n int) {
	tick := time.NewTicker(60 * time.Millisecond)
	defer tick.Stop()
	for i := first; i < first+n; i++ {
		key := fmt.Sprintf("%s-%d", who, i)
		text := fmt.Sprintf("%s says hello, number %d", who, i)
		f, _ := json.Marshal(map[string]any{"type": "send", "key": key, "text": text})
		c.clock.mark(text)
		if err := c.ws.WriteText(f); err != nil {
			t.Errorf("%s: send %s: %v", c.name, key, err)
			return
		}
		<-tick.C
	}
}

// waitFor waits up to a minute for cond, read under the client's lock.
func (c *roomClient) waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.After(time.Minute)
	for {
		c.mu.Lock()
		ok, problems := cond(), slices.Clone(c.problems)
		c.mu.Unlock()
		if len(problems) > 0 {
			t.Fatalf("%s: %s", c.name, strings.Join(problems, "; "))
		}
		if ok {
			return
		}
		select {
		case <-c.changed:
		case <-c.done:
			c.mu.Lock()
			ok = cond()
			c.mu.Unlock()
			if !ok {
				t.Fatalf("%s: the connection ended while waiting for %s", c.name, what)
			}
			return
		case <-time.After(50 * time.Millisecond):
		case <-deadline:
			c.mu.Lock()
			got := len(c.messages)
			c.mu.Unlock()
			t.Fatalf("%s: timed out waiting for %s (has %d messages)", c.name, what, got)
		}
	}
}

func (c *roomClient) waitMessages(t *testing.T, n int) {
	t.Helper()
	c.waitFor(t, fmt.Sprintf("%d messages", n), func() bool { return len(c.messages) >= n })
	time.Sleep(300 * time.Millisecond) // anything extra (a double) would show now
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.messages) != n {
		t.Fatalf("%s: %d messages, want exactly %d", c.name, len(c.messages), n)
	}
}

func (c *roomClient) waitAcks(t *testing.T, n int) {
	t.Helper()
	c.waitFor(t, fmt.Sprintf("%d acks", n), func() bool { return len(c.acks) >= n })
}

func (c *roomClient) waitPresent(t *testing.T, pseudonym string) {
	t.Helper()
	c.waitFor(t, pseudonym+" present", func() bool { return c.present[pseudonym] })
}

func (c *roomClient) crossLatency() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.latency)
}

func (c *roomClient) lastSeq() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.messages) == 0 {
		return 0
	}
	return c.messages[len(c.messages)-1].Seq
}

func (c *roomClient) history() []roomMessage {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.messages)
}

// drop loses the network: no close frame.
func (c *roomClient) drop() {
	c.ws.Drop()
	<-c.done
}

func (c *roomClient) close() {
	c.ws.Close()
	select {
	case <-c.done:
	case <-time.After(5 * time.Second):
	}
}

// checkSameHistory requires both clients to hold the same n messages in the
// same strictly increasing order, with each sender's messages once each.
func checkSameHistory(t *testing.T, a, b *roomClient, n int, perSender map[string]int) {
	t.Helper()
	ha, hb := a.history(), b.history()
	if !slices.Equal(ha, hb) {
		for i := range min(len(ha), len(hb)) {
			if ha[i] != hb[i] {
				t.Fatalf("histories differ at %d: A has %+v, B has %+v", i, ha[i], hb[i])
			}
		}
		t.Fatalf("histories differ: A has %d messages, B %d", len(ha), len(hb))
	}
	checkHistory(t, ha, n, perSender)
}

func checkHistory(t *testing.T, h []roomMessage, n int, perSender map[string]int) {
	t.Helper()
	if len(h) != n {
		t.Fatalf("%d messages, want %d", len(h), n)
	}
	texts := map[string]bool{}
	count := map[string]int{}
	for i, m := range h {
		if i > 0 && m.Seq <= h[i-1].Seq {
			t.Fatalf("message %d has seq %d after %d", i, m.Seq, h[i-1].Seq)
		}
		if texts[m.Text] {
			t.Fatalf("%q delivered twice", m.Text)
		}
		texts[m.Text] = true
		who, _, _ := strings.Cut(m.Text, " ")
		count[who]++
	}
	for who, want := range perSender {
		if count[who] != want {
			t.Errorf("%d messages from %s, want %d", count[who], who, want)
		}
	}
}

// checkResumed requires A's messages since its reconnection to be exactly
// B's after the sequence A resumed from, and B's whole history to hold
// every message of both once.
func checkResumed(t *testing.T, a, b *roomClient, after int64) {
	t.Helper()
	hb := b.history()
	checkHistory(t, hb, 450, map[string]int{"A": 210, "B": 240})
	var want []roomMessage
	for _, m := range hb {
		if m.Seq > after {
			want = append(want, m)
		}
	}
	if got := a.history(); !slices.Equal(got, want) {
		t.Fatalf("after resuming from seq %d on the other process, A has %d messages, want B's %d (first: %v vs %v)",
			after, len(got), len(want), first(got), first(want))
	}
}

func first(h []roomMessage) any {
	if len(h) == 0 {
		return nil
	}
	return h[0]
}
