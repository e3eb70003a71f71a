// Package app holds Hearth's use cases, one method per thing a person does.
// Each checks the domain's permission policy, validates, writes through sqldb
// in one transaction and returns errors of hearth's vocabulary. It is the one
// place where confidentiality and safety are guaranteed; nothing here serves
// HTTP.
package app

import (
	"context"
	"errors"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/hearth-org/hearth/internal/directory"
	"github.com/hearth-org/hearth/internal/gazetteer"
	"github.com/hearth-org/hearth/internal/mail"
	"github.com/hearth-org/hearth/internal/password"
	"github.com/hearth-org/hearth/internal/ratelimit"
	"github.com/hearth-org/hearth/internal/safety"
	"github.com/hearth-org/hearth/internal/sqldb"
	"github.com/hearth-org/hearth/internal/vault"
)

// Config wires an App.
type Config struct {
	DB        *sqldb.DB
	Gazetteer *gazetteer.Gazetteer
	Logger    *slog.Logger
	Now       func() time.Time // nil: time.Now
	// PasswordParams tunes argon2id; zero means password.Default. Tests
	// lower it to stay fast.
	PasswordParams password.Params

	// Vault seals member-written text (required: New fails without it).
	Vault *vault.Vault

	// BaseURL is Hearth's public address (https://hearth.example.org),
	// used in email links.
	BaseURL string
	// Mailer delivers the outbox; nil when no SMTP server is configured
	// (mail is still queued, and pages say reminders are off).
	Mailer *mail.Worker

	// StaffSecondFactor: staff powers (site, organization and group
	// administration, facilitation) need a sign-in that passed a second
	// factor, and staff sessions last 30 idle minutes, 12 hours at most.
	StaffSecondFactor bool
}

// App is Hearth's use cases over one database.
type App struct {
	db   *sqldb.DB
	gaz  *gazetteer.Gazetteer
	log  *slog.Logger
	now  func() time.Time
	pw   password.Params
	fake string // a hash to check against when an account does not exist

	dir *directoryState

	mail *mailer // composes notices' emails and wakes the delivery worker

	vault *vault.Vault // seals and opens member-written text

	signInByAccount *ratelimit.Limiter
	signInByAddress *ratelimit.Limiter
	signUpByAddress *ratelimit.Limiter
	recoverByAddr   *ratelimit.Limiter

	staff2FA bool // Config.StaffSecondFactor (secondfactor.go)

	roomEvictor atomic.Pointer[func(group, user int64)]         // the room hub's Evict (rooms.go)
	roomRinger  atomic.Pointer[func(room, seq int64)]           // tells the room hubs a room's log grew outside them (rooms.go)
	boardRinger atomic.Pointer[func(group, thread, post int64)] // tells the board hubs a visible post appeared (boardnotify.go)
}

// New returns an App.
func New(c Config) (*App, error) {
	if c.DB == nil || c.Vault == nil {
		return nil, errors.New("app: a database and a vault are required (member-written text is stored only sealed)")
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.PasswordParams == (password.Params{}) {
		c.PasswordParams = password.Default
	}
	fake, err := password.Hash("not a real account", c.PasswordParams)
	if err != nil {
		return nil, err
	}
	return &App{
		db: c.DB, vault: c.Vault, gaz: c.Gazetteer, log: c.Logger, now: c.Now, pw: c.PasswordParams, fake: fake, dir: &directoryState{index: directory.New()}, mail: newMailer(c),
		signInByAccount: ratelimit.New(8, 15*time.Minute, c.Now),
		signInByAddress: ratelimit.New(40, 15*time.Minute, c.Now),
		signUpByAddress: ratelimit.New(10, time.Hour, c.Now),
		recoverByAddr:   ratelimit.New(10, time.Hour, c.Now),
		staff2FA:        c.StaffSecondFactor,
	}, nil
}

// Ready reports whether the database answers.
func (a *App) Ready(ctx context.Context) error { return a.db.Ping(ctx) }

// Gazetteer returns the bundled place directory.
func (a *App) Gazetteer() *gazetteer.Gazetteer { return a.gaz }

// Now returns the app's clock reading.
func (a *App) Now() time.Time { return a.now() }

// Helplines returns the bundled crisis helplines, the viewer's country first.
func (a *App) Helplines(country, lang string) []safety.Country {
	return safety.ForViewer(country, lang)
}
