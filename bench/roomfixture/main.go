// Command roomfixture prepares a Hearth data folder (SQLite, or a
// PostgreSQL database) for a load run of live meeting rooms: through the
// app's own use cases it creates an organization, M online groups each
// with a one-off online meeting whose room is open now and for two hours,
// and N members spread evenly over the groups (active, guidelines
// accepted), each with a signed-in session. It writes a JSON file the
// harness (bench/rooms/cmd/loadroom) reads: for member i, in order, the
// session cookie and the path of its room's WebSocket.
//
//	go run ./bench/roomfixture --data /tmp/hearth-load --clients 2000 --rooms 200 --out /tmp/hearth-load/fixture.json
//
// Passwords are hashed with deliberately cheap argon2id parameters (the
// accounts are throwaway and nobody signs in with a password), so 2,000
// accounts take seconds, not minutes. The data folder must be new: the
// fixture refuses one that already has a database.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/app"
	"github.com/hearth-org/hearth/internal/password"
	"github.com/hearth-org/hearth/internal/sqldb"
	"github.com/hearth-org/hearth/internal/vault"
)

// Fixture is the file the harness reads.
type Fixture struct {
	Created time.Time `json:"created"`
	Rooms   int       `json:"rooms"`
	Clients []Client  `json:"clients"`
	// Opens and Closes bound the meetings' occurrence (UTC).
	Start    time.Time `json:"start"`
	Duration int       `json:"duration_minutes"`
}

// Client is one member: the cookie to send and the room's WebSocket path.
type Client struct {
	Room   int    `json:"room"`
	Cookie string `json:"cookie"` // "hearth_session=…"
	Path   string `json:"path"`   // /groups/{slug}/meetings/{meeting}/{at}/room/ws
}

func main() {
	data := flag.String("data", "", "Hearth data folder to create (SQLite database and master key)")
	dbURL := flag.String("database-url", "", "PostgreSQL URL instead of SQLite (the data folder still holds the master key)")
	clients := flag.Int("clients", 2000, "members")
	rooms := flag.Int("rooms", 200, "groups, one room each; members are spread evenly")
	out := flag.String("out", "", "fixture JSON to write (default DATA/fixture.json)")
	workers := flag.Int("workers", 4, "accounts made at once")
	flag.Parse()
	if err := run(context.Background(), *data, *dbURL, *clients, *rooms, *out, *workers); err != nil {
		fmt.Fprintln(os.Stderr, "roomfixture:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, data, dbURL string, clients, rooms int, out string, workers int) error {
	if data == "" {
		return errors.New("--data is required")
	}
	if clients < 1 || rooms < 1 || clients%rooms != 0 {
		return errors.New("--clients must be a positive multiple of --rooms")
	}
	if out == "" {
		out = filepath.Join(data, "fixture.json")
	}
	if dbURL == "" {
		if _, err := os.Stat(filepath.Join(data, "hearth.db")); err == nil {
			return fmt.Errorf("%s already has a database: give a new folder", data)
		}
	}
	if err := os.MkdirAll(data, 0o700); err != nil {
		return err
	}
	t0 := time.Now()
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	db, err := sqldb.Open(ctx, sqldb.Options{URL: dbURL, DataDir: data, Logger: log})
	if err != nil {
		return err
	}
	defer db.Close()
	v, _, err := vault.OpenFile(ctx, db, filepath.Join(data, "master.key"), true, vault.Options{})
	if err != nil {
		if dbURL != "" {
			// run.sh makes a new data folder (and master key) each run, but
			// a PostgreSQL database outlives it.
			return fmt.Errorf("%w\n(the fixture needs an empty PostgreSQL database each time: for example dropdb/createdb it, or give another one)", err)
		}
		return err
	}
	a, err := app.New(app.Config{DB: db, Vault: v, Logger: log,
		PasswordParams: password.Params{Memory: 1024, Time: 1, Threads: 1}})
	if err != nil {
		return err
	}

	site := hearth.Actor{SiteAdmin: true, UserID: -1}
	if err := a.CreateOrganization(ctx, site, &hearth.Organization{Slug: "load-circles", Name: "Load test circles"}); err != nil {
		return fmt.Errorf("organization: %w", err)
	}

	// The meetings start two minutes from now (a one-off meeting must be in
	// the future) and last two hours: their rooms open 15 minutes before.
	start := time.Now().UTC().Truncate(time.Minute).Add(2 * time.Minute)
	const duration = 120
	f := Fixture{Created: time.Now().UTC(), Rooms: rooms, Start: start, Duration: duration}
	paths := make([]string, rooms)
	slugs := make([]string, rooms)
	for r := range rooms {
		g := &hearth.Group{
			Name:        "Evening circle " + strconv.Itoa(r+1),
			Description: "An online peer support circle, for the room load test.",
			Topics:      []string{"grief"},
			Audience:    hearth.Audience{AgeBand: "adults", Gender: "any", Languages: []string{"en"}},
			Format:      hearth.Online, Leadership: hearth.PeerLed, Policy: hearth.Open, Visibility: hearth.Listed,
			Location:   hearth.Location{TimeZone: "UTC"},
			Cost:       hearth.Cost{Kind: hearth.Free},
			Guidelines: "What is said here stays here.",
			Schedule:   hearth.Schedule{Weekday: start.Weekday(), Start: start.Hour()*60 + start.Minute(), Duration: duration},
		}
		if err := a.CreateGroup(ctx, site, "load-circles", g); err != nil {
			return fmt.Errorf("group %d: %w", r, err)
		}
		m, err := a.CreateMeeting(ctx, site, g.Slug, app.MeetingInput{
			Title: "Evening circle", Start: start.Format("2006-01-02T15:04"), Duration: duration,
			Attend: hearth.Attend{Mode: hearth.Online, ConferenceURL: "https://meet.example.org/circle-" + strconv.Itoa(r+1)},
		})
		if err != nil {
			return fmt.Errorf("meeting of group %d: %w", r, err)
		}
		slugs[r] = g.Slug
		paths[r] = fmt.Sprintf("/groups/%s/meetings/%d/%d/room/ws", g.Slug, m.ID, start.Unix())
	}
	fmt.Fprintf(os.Stderr, "roomfixture: %d groups and meetings in %.1fs\n", rooms, time.Since(t0).Seconds())

	// Members: member i is in room i/size, as the harness expects.
	size := clients / rooms
	f.Clients = make([]Client, clients)
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
	)
	jobs := make(chan int)
	for range max(workers, 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				c, err := member(ctx, a, i, slugs[i/size], paths[i/size])
				mu.Lock()
				if err != nil && first == nil {
					first = fmt.Errorf("member %d: %w", i, err)
				}
				c.Room = i / size
				f.Clients[i] = c
				mu.Unlock()
			}
		}()
	}
	for i := range clients {
		mu.Lock()
		failed := first != nil
		mu.Unlock()
		if failed {
			break
		}
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	if first != nil {
		return first
	}
	b, err := json.MarshalIndent(f, "", " ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(out, append(b, '\n'), 0o600); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "roomfixture: %d members with sessions in %d rooms, %.1fs in all; wrote %s\n", clients, rooms, time.Since(t0).Seconds(), out)
	return nil
}

// member makes one account, signs it in, and joins it to its group with
// the guidelines accepted, as a person would through the pages.
func member(ctx context.Context, a *app.App, i int, slug, path string) (Client, error) {
	handle := "member" + strconv.Itoa(i+1)
	u, _, err := a.CreateUser(ctx, handle, "", "a long enough password "+strconv.Itoa(i), false)
	if err != nil {
		return Client{}, err
	}
	token, _, err := a.StartSession(ctx, u.ID)
	if err != nil {
		return Client{}, err
	}
	actor, _, err := a.SessionActor(ctx, token)
	if err != nil {
		return Client{}, err
	}
	if _, err := a.JoinGroup(ctx, actor, slug, "Member "+strconv.Itoa(i+1), true); err != nil {
		return Client{}, err
	}
	return Client{Cookie: "hearth_session=" + token, Path: path}, nil
}
