package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/hearth-org/hearth/internal/app"
	"github.com/hearth-org/hearth/internal/gazetteer"
	"github.com/hearth-org/hearth/internal/mail"
	"github.com/hearth-org/hearth/internal/room"
	"github.com/hearth-org/hearth/internal/roombus"
	"github.com/hearth-org/hearth/internal/sqldb"
	"github.com/hearth-org/hearth/internal/vault"
	"github.com/hearth-org/hearth/internal/web"
)

// Config is everything serve needs, from flags and HEARTH_* variables.
type Config struct {
	Addr            string
	DataDir         string
	DatabaseURL     string
	Demo            bool
	LogLevel        string
	LogFormat       string
	TrustProxy      bool
	SecureCookies   bool
	ShutdownTimeout time.Duration
	MasterKeyFile   string     // "" means master.key in the data folder
	SMTP            *mail.SMTP // nil: no mail is sent (the outbox still fills)
	BaseURL         string     // Hearth's public address, for links in emails
	NATSURL         string     // "": rooms live in this process; else shared with other processes through NATS
	NATSPrefix      string     // subject prefix on NATS ("" for roombus.DefaultPrefix)
	RoomMessages    messageLimit
	// StaffSecondFactor: staff powers need a sign-in that passed a second
	// factor (off only for demos and tests).
	StaffSecondFactor bool
}

const serveHelp = `Usage: hearth serve [flags]

Starts Hearth's web server. With no database URL it keeps an SQLite database
in the data folder; with HEARTH_DATABASE_URL=postgres://… it uses PostgreSQL.
Migrations are applied at start. SIGINT or SIGTERM stops it gracefully.

Live meeting rooms run in this process. To run several Hearth processes
behind one address (on the same PostgreSQL database), give them all the same
NATS server with --nats-url: a member connected to one process then sees, in
order, what members connected to the others write. NATS only carries
doorbells (room 42 has new messages, who is present); messages stay in the
database. Serve refuses to start when the NATS URL is set but unreachable.

While the server allocates hard (five or more garbage collections in five
seconds, as when live rooms are saturated) the collector runs at GOGC=200,
and back at Go's default of 100 once it is quieter. GOGC set in the
environment turns this off and is used as it is.`

func serveConfig(args []string, getenv func(string) string, stderr io.Writer) (Config, error) {
	fs := newFlagSet("serve", serveHelp, getenv, stderr)
	c := Config{}
	addr := fs.str("addr", "127.0.0.1:8080", "address to listen on")
	data := fs.str("data", "./hearth-data", "folder for the SQLite database and other files")
	dbURL := fs.str("database-url", "", "PostgreSQL URL (postgres://user@host/db); empty for SQLite in the data folder")
	demo := fs.boolean("demo", false, "load the demo directory when the directory is empty (no organizations or groups); never changes existing rows")
	level := fs.str("log-level", "info", "log level: debug, info, warn or error")
	format := fs.str("log-format", "text", "log format: text or json")
	trust := fs.boolean("trust-proxy", false, "take the client address and scheme from X-Forwarded-For/-Proto (only behind your own proxy)")
	secure := fs.boolean("secure-cookies", false, "mark cookies Secure even when TLS is not seen (set behind a TLS proxy)")
	grace := fs.str("shutdown-timeout", "20s", "how long in-flight requests may take to finish at shutdown")
	keyFile := fs.masterKeyFile()
	smtpURL := fs.str("smtp-url", "", "SMTP server for email notices and reminders: smtp://user:pass@host:587?from=Hearth%20<hearth@example.org> (STARTTLS; ?starttls=required to insist) or smtps://…:465; empty: nothing is sent and pages say reminders are off")
	baseURL := fs.str("base-url", "", "Hearth's public address, used in email links (https://hearth.example.org); required with --smtp-url")
	natsURL := fs.str("nats-url", "", "NATS server (nats://host:4222) through which several Hearth processes on the same PostgreSQL database share live meeting rooms; empty: rooms live in this process only")
	natsPrefix := fs.str("nats-prefix", "hearth.rooms.", "NATS subject prefix for rooms, ending in a dot; give each Hearth installation sharing a NATS server its own")
	staff2FA := fs.boolean("staff-second-factor", true, "site admins, organization admins and facilitators must sign in with a second factor (a TOTP code or a passkey) to use their staff powers, and their sessions end after 30 idle minutes and 12 hours; false only for demos and tests")
	roomMessages := fs.str("room-message-limit", "5/10s", "how many messages one member may send in a live room: a burst, refilled over a window")
	if err := fs.parse(args); err != nil {
		return c, err
	}
	if *smtpURL != "" {
		s, err := mail.ParseSMTPURL(*smtpURL)
		if err != nil {
			fmt.Fprintf(stderr, "hearth serve: --smtp-url: %s\n", err)
			return c, errUsage
		}
		c.SMTP = s
		if *baseURL == "" {
			fmt.Fprintf(stderr, "hearth serve: --base-url is needed with --smtp-url, so that emails can link to Hearth\n")
			return c, errUsage
		}
	}
	if *baseURL != "" {
		b, err := mail.CheckBaseURL(*baseURL)
		if err != nil {
			fmt.Fprintf(stderr, "hearth serve: --base-url: %s\n", err)
			return c, errUsage
		}
		c.BaseURL = b
	}
	d, err := time.ParseDuration(*grace)
	if err != nil || d <= 0 {
		fmt.Fprintf(stderr, "hearth serve: --shutdown-timeout %q is not a duration like 20s\n", *grace)
		return c, errUsage
	}
	if !map[string]bool{"debug": true, "info": true, "warn": true, "error": true}[*level] {
		fmt.Fprintf(stderr, "hearth serve: --log-level must be debug, info, warn or error\n")
		return c, errUsage
	}
	if *format != "text" && *format != "json" {
		fmt.Fprintf(stderr, "hearth serve: --log-format must be text or json\n")
		return c, errUsage
	}
	limit, err := parseMessageLimit(*roomMessages)
	if err != nil {
		fmt.Fprintf(stderr, "hearth serve: --room-message-limit: %s\n", err)
		return c, errUsage
	}
	if *natsURL != "" && !strings.Contains(*natsURL, "://") {
		fmt.Fprintf(stderr, "hearth serve: --nats-url must look like nats://host:4222\n")
		return c, errUsage
	}
	return Config{Addr: *addr, DataDir: *data, DatabaseURL: *dbURL, Demo: *demo, LogLevel: *level, LogFormat: *format,
		TrustProxy: *trust, SecureCookies: *secure, ShutdownTimeout: d, MasterKeyFile: *keyFile, SMTP: c.SMTP, BaseURL: c.BaseURL,
		NATSURL: *natsURL, NATSPrefix: *natsPrefix, RoomMessages: limit, StaffSecondFactor: *staff2FA}, nil
}

// masterKeyFile adds the --master-key-file flag (HEARTH_MASTER_KEY_FILE) to
// a command that opens the app.
func (f *flagSet) masterKeyFile() *string {
	return f.str("master-key-file", "", "file holding the master key that encrypts what members write; created on first start (mode 0600), back it up apart from the database (default: master.key in the data folder)")
}

func newLogger(c Config, w io.Writer) *slog.Logger {
	var lv slog.Level
	_ = lv.UnmarshalText([]byte(c.LogLevel))
	opts := &slog.HandlerOptions{Level: lv}
	if c.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// openApp opens the database, the vault (with the master key file in the
// data folder) and the gazetteer and builds the use cases.
func openApp(ctx context.Context, dbURL, dataDir string, log *slog.Logger) (*app.App, *sqldb.DB, error) {
	return openAppKeyed(ctx, dbURL, dataDir, "", log, nil)
}

// openAppKeyed is openApp with the master key file's path ("" for
// master.key in the data folder). When it creates that file (first start,
// empty database) it says so on notice (when not nil) and in the log: where
// it is and that it must be backed up apart from the database. It refuses a
// key file others may read, a malformed one, one that does not match the
// database, and a missing one when the database already holds sealed text.
func openAppKeyed(ctx context.Context, dbURL, dataDir, keyFile string, log *slog.Logger, notice io.Writer) (*app.App, *sqldb.DB, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	db, err := sqldb.Open(ctx, sqldb.Options{URL: dbURL, DataDir: dataDir, Logger: log})
	if err != nil {
		return nil, nil, fmt.Errorf("open database: %w", err)
	}
	if keyFile == "" {
		keyFile = filepath.Join(dataDir, "master.key")
	}
	v, created, err := vault.OpenFile(ctx, db, keyFile, true, vault.Options{})
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	if abs, err := filepath.Abs(keyFile); err == nil {
		keyFile = abs
	}
	if created {
		log.Warn("created a new master key file: back it up apart from the database; without it nothing members wrote can be read", "path", keyFile)
		if notice != nil {
			fmt.Fprintf(notice, "Created the master key file %s.\nBack it up now, apart from the database: without it nothing members wrote can be read, and whoever has both can read it all.\n", keyFile)
		}
	} else {
		log.Info("master key file read", "path", keyFile)
	}
	gaz, err := gazetteer.Load()
	if err != nil {
		db.Close()
		return nil, nil, fmt.Errorf("load gazetteer: %w", err)
	}
	a, err := app.New(app.Config{DB: db, Gazetteer: gaz, Vault: v, Logger: log})
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	return a, db, nil
}

func serve(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	c, err := serveConfig(args, getenv, stderr)
	if err != nil {
		return err
	}
	log := newLogger(c, stderr)
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	a, db, err := openAppKeyed(ctx, c.DatabaseURL, c.DataDir, c.MasterKeyFile, log, stdout)
	if err != nil {
		return err
	}
	defer db.Close()
	log.Info("database ready", "engine", db.Engine())
	a.SetStaffSecondFactor(c.StaffSecondFactor)
	if !c.StaffSecondFactor {
		log.Warn("staff sign in without a second factor: for demos and tests only (--staff-second-factor=false)")
	}
	// Mail: the outbox always fills; a worker delivers it when SMTP is set.
	var mailer *mail.Worker
	if c.SMTP != nil {
		mailer = mail.NewWorker(mail.WorkerConfig{DB: db, SMTP: c.SMTP, Logger: log, BaseURL: c.BaseURL})
	} else {
		log.Warn("no SMTP server (--smtp-url): emails are kept in the outbox, not sent, and pages say reminders are off")
	}
	a.UseMail(c.BaseURL, mailer)
	if c.Demo {
		loaded, err := a.LoadDemo(ctx)
		if err != nil {
			return fmt.Errorf("load demo directory: %w", err)
		}
		if !loaded {
			log.Info("demo directory not loaded: the database already has organizations or groups")
		}
	}
	// The directory's search index is built before the server listens, so
	// the first visitor gets an answer at full speed.
	if err := a.LoadDirectory(ctx); err != nil {
		return err
	}

	// Live rooms: one hub for every room of this process. With
	// --nats-url its Bell reaches the other processes (and serve refuses
	// to start when NATS cannot be reached); without, rooms stay here.
	process := newProcessID()
	bell, closeBell, err := newBell(c, process, log)
	if err != nil {
		return err
	}
	defer closeBell()
	hub := room.NewHub(room.HubConfig{Store: a.RoomStore(), Bell: bell, Logger: log, Process: process,
		OnPresence: a.RoomPresence, ScreenRefused: a.ScreenRefusedRoomMessage, MessageBurst: c.RoomMessages.Burst, MessageWindow: c.RoomMessages.Window})
	defer hub.Close() // before the bell: members are told to reconnect, then the bus drains
	a.SetRoomEvictor(hub.Evict)
	a.SetRoomRinger(func(r, seq int64) { hub.Rung(r, seq); bell.Ring(r, seq) })

	// The live "new posts" hint of open board pages: this process's hub
	// and, through NATS, the other processes' (numbers only on the wire).
	boards := web.NewBoardHub(log)
	defer boards.Close() // before the bell closes
	ringBoards := boards.Rung
	if nb, ok := bell.(*roombus.Bell); ok {
		go func() {
			if err := nb.ListenBoards(ctx, boards); err != nil && ctx.Err() == nil {
				log.Warn("board bus", "err", err)
			}
		}()
		ringBoards = func(g, t, p int64) { boards.Rung(g, t, p); nb.RingBoard(g, t, p) }
	}
	a.SetBoardRinger(ringBoards)

	reg := prometheus.NewRegistry()
	reg.MustRegister(web.OutboxCollector(a))
	handler, err := web.NewHandler(web.Config{App: a, Logger: log, Registry: reg, DBStats: poolStats(db), TrustProxy: c.TrustProxy, SecureCookies: c.SecureCookies,
		Rooms: hub, Boards: boards, BaseURL: c.BaseURL})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", c.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", c.Addr, err)
	}
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	url := "http://" + ln.Addr().String()
	if strings.HasPrefix(c.Addr, ":") {
		url = "http://localhost" + c.Addr
	}
	log.Info("Hearth is listening", "url", url)
	fmt.Fprintf(stdout, "Hearth is running at %s — press Ctrl+C to stop.\n", url)

	go maintain(ctx, a, log)
	go returnMemory(ctx, log, 5*time.Second, 2<<20, getenv("GOGC") == "")
	mailDone := make(chan struct{})
	if mailer != nil {
		go func() { mailer.Run(ctx); close(mailDone) }()
	} else {
		close(mailDone)
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing in-flight requests", "timeout", c.ShutdownTimeout)
	sctx, cancel := context.WithTimeout(context.Background(), c.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	<-mailDone // a message being sent gets mail.ShutdownGrace to finish
	log.Info("stopped")
	return nil
}

// maintain runs the chores until ctx ends: every 15 seconds it picks up
// directory changes other processes made, runs the membership chores and
// escalates unacknowledged safety alerts; every minute it sends the
// meeting reminders that are due, deletes room history past its
// retention and purges deleted board posts past their window; hourly it
// re-places meeting times for daylight saving, deletes expired sessions
// and sends the board digests.
func maintain(ctx context.Context, a *app.App, log *slog.Logger) {
	hourly := time.NewTicker(time.Hour)
	defer hourly.Stop()
	often := time.NewTicker(15 * time.Second)
	defer often.Stop()
	minutely := time.NewTicker(time.Minute)
	defer minutely.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-often.C:
			if err := a.RefreshDirectory(ctx); err != nil && ctx.Err() == nil {
				log.Warn("refresh directory", "err", err)
			}
			// Lapsed waitlist offers pass to the next in line; cohorts
			// whose last session is over make their members alumni.
			if err := a.RunMembershipChores(ctx); err != nil && ctx.Err() == nil {
				log.Warn("membership chores", "err", err)
			}
			// Safety alerts nobody acknowledged in time go to the next
			// person on call (each step keyed and recorded).
			if err := a.RunEscalations(ctx); err != nil && ctx.Err() == nil {
				log.Warn("safety escalations", "err", err)
			}
		case <-minutely.C:
			// Reminders 24 h and 1 h before each meeting; each is keyed,
			// so several processes and restarts send it once.
			if _, err := a.SendReminders(ctx); err != nil && ctx.Err() == nil {
				log.Warn("send reminders", "err", err)
			}
			// Room history past its group's retention is deleted for
			// good (0 days: as soon as the meeting's room closes).
			if err := a.SweepRoomHistory(ctx); err != nil && ctx.Err() == nil {
				log.Warn("sweep room history", "err", err)
			}
			// Board posts deleted longer ago than their group's window
			// are purged: rows and sealed text gone (0 days: now).
			if err := a.SweepBoards(ctx); err != nil && ctx.Err() == nil {
				log.Warn("sweep boards", "err", err)
			}
		case <-hourly.C:
			if err := a.RefreshSchedules(ctx); err != nil && ctx.Err() == nil {
				log.Warn("refresh schedules", "err", err)
			}
			if err := a.DeleteExpiredSessions(ctx); err != nil && ctx.Err() == nil {
				log.Warn("delete expired sessions", "err", err)
			}
			// Board digests: at most one email a day per person who chose
			// it, counting waiting replies, mentions and announcements —
			// never a group's name or anyone's words.
			if err := a.SendBoardDigests(ctx); err != nil && ctx.Err() == nil {
				log.Warn("board digests", "err", err)
			}
		}
	}
}

func poolStats(db *sqldb.DB) func() map[string]web.PoolStats {
	return func() map[string]web.PoolStats {
		out := map[string]web.PoolStats{}
		for name, st := range db.Stats() {
			out[name] = web.PoolStats{Open: st.OpenConnections, InUse: st.InUse, Idle: st.Idle, WaitCount: st.WaitCount, WaitDuration: st.WaitDuration}
		}
		return out
	}
}
