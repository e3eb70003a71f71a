package mail

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"math/big"
	"net/url"
	"os"
	"strconv"
	"time"

	"github.com/hearth-org/hearth/internal/sqldb"
)

// WorkerConfig wires a Worker. Zero values take the defaults.
type WorkerConfig struct {
	DB     *sqldb.DB
	SMTP   *SMTP
	Logger *slog.Logger
	Now    func() time.Time
	// Owner names this worker in leases; unique per process by default.
	Owner string
	// BaseURL's host ends every Message-ID (…@hearth.example.org).
	BaseURL string
	// Poll is how often the outbox is read when nothing woke the worker
	// (default 10s). Lease is how long a claim lasts (default 2m); a send
	// taking more than half of it is abandoned and retried later. MaxAttempts counts claims before a
	// message is given up (default 8). Backoff is the first retry's delay
	// (default 1m), doubled each time up to MaxBackoff (default 6h), with
	// up to half of it again at random.
	Poll        time.Duration
	Lease       time.Duration
	MaxAttempts int
	Backoff     time.Duration
	MaxBackoff  time.Duration
}

// Worker delivers the outbox through SMTP. Run it once per process; several
// processes may share one PostgreSQL database.
type Worker struct {
	c    WorkerConfig
	wake chan struct{}
	// soon lists the extra looks after a wake-up, for a message whose
	// transaction commits a moment after the wake.
	soon []time.Duration
}

// NewWorker returns a worker.
func NewWorker(c WorkerConfig) *Worker {
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Owner == "" {
		host, _ := os.Hostname()
		b := make([]byte, 4)
		rand.Read(b)
		c.Owner = fmt.Sprintf("%s:%d:%s", host, os.Getpid(), hex.EncodeToString(b))
	}
	if c.Poll <= 0 {
		c.Poll = 10 * time.Second
	}
	if c.Lease <= 0 {
		c.Lease = 2 * time.Minute
	}
	if c.MaxAttempts <= 0 {
		c.MaxAttempts = 8
	}
	if c.Backoff <= 0 {
		c.Backoff = time.Minute
	}
	if c.MaxBackoff <= 0 {
		c.MaxBackoff = 6 * time.Hour
	}
	return &Worker{c: c, wake: make(chan struct{}, 1), soon: []time.Duration{200 * time.Millisecond, time.Second, 3 * time.Second}}
}

// Wake asks the worker to look at the outbox now. It never blocks.
func (w *Worker) Wake() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// Run delivers until ctx ends. A message being sent when ctx ends may take
// up to ShutdownGrace to finish (so a stop rarely leaves a message sent but
// not recorded); past that it is abandoned and its lease makes it due again.
func (w *Worker) Run(ctx context.Context) {
	w.c.Logger.Info("mail delivery started", "smtp", w.c.SMTP.String(), "owner", w.c.Owner)
	sendCtx, cancelSend := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelSend()
	stopGrace := context.AfterFunc(ctx, func() { time.AfterFunc(ShutdownGrace, cancelSend) })
	defer stopGrace()
	timer := time.NewTimer(0)
	defer timer.Stop()
	purge := time.NewTicker(time.Hour)
	defer purge.Stop()
	var extra []time.Duration
	for {
		select {
		case <-ctx.Done():
			w.c.Logger.Info("mail delivery stopped")
			return
		case <-w.wake:
			extra = w.soon
		case <-timer.C:
		case <-purge.C:
			if n, err := w.c.DB.PurgeMail(ctx, w.c.Now().Add(-Keep)); err != nil && ctx.Err() == nil {
				w.c.Logger.Warn("purge sent mail", "err", err)
			} else if n > 0 {
				w.c.Logger.Info("sent and failed mail purged", "count", n)
			}
			continue
		}
		if _, err := w.deliverDue(ctx, sendCtx); err != nil && ctx.Err() == nil {
			w.c.Logger.Warn("mail delivery", "err", err)
		}
		next := w.c.Poll
		if len(extra) > 0 {
			next, extra = extra[0], extra[1:]
		}
		timer.Reset(next)
	}
}

// DeliverDue sends every message due now, one at a time, and reports how
// many were sent. It stops early when ctx ends.
func (w *Worker) DeliverDue(ctx context.Context) (sent int, err error) {
	return w.deliverDue(ctx, ctx)
}

// Keep is how long sent and failed messages stay in the outbox (for an
// operator to see what happened) before Run deletes them.
const Keep = 30 * 24 * time.Hour

// ShutdownGrace is how long Run lets a message being sent finish after its
// context ends.
const ShutdownGrace = 10 * time.Second

// deliverDue claims while ctx lasts and sends with sendCtx.
func (w *Worker) deliverDue(ctx, sendCtx context.Context) (sent int, err error) {
	for ctx.Err() == nil {
		m, ok, err := w.c.DB.ClaimMail(ctx, w.c.Owner, w.c.Now(), w.c.Lease)
		if err != nil || !ok {
			return sent, err
		}
		delivered, err := w.deliver(sendCtx, m)
		if err != nil {
			return sent, err
		}
		if delivered {
			sent++
		}
	}
	return sent, nil
}

// deliver sends one claimed message and records what happened.
func (w *Worker) deliver(ctx context.Context, m *sqldb.OutboxMail) (bool, error) {
	log := w.c.Logger.With("mail_id", m.ID, "kind", m.Kind, "attempt", m.Attempts)
	if m.Attempts > w.c.MaxAttempts {
		// Claimed again and again without an answer (a worker dying on it).
		log.Warn("mail given up", "reason", "too many attempts")
		return false, w.c.DB.FailMail(ctx, m.ID, w.c.Owner, "gave up after "+strconv.Itoa(m.Attempts-1)+" attempts; "+m.LastError)
	}
	// The whole conversation must end well inside the lease, or another
	// worker could take the message while this one is still sending it.
	sendCtx, cancel := context.WithTimeout(ctx, w.c.Lease/2)
	err := w.c.SMTP.Send(sendCtx, Message{To: m.To, Subject: m.Subject, Body: m.Body, MessageID: w.MessageID(m), Date: m.CreatedAt, Locale: m.Locale})
	cancel()
	if ctx.Err() != nil {
		// Shutting down: leave the claim; the lease makes it due again.
		return false, nil
	}
	// Records are written with a fresh context so a shutdown that begins
	// right after the server accepted the message still records it.
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	switch {
	case err == nil:
		log.Info("mail sent")
		return true, w.c.DB.MarkMailSent(rctx, m.ID, w.c.Now())
	case Permanent(err):
		log.Warn("mail refused for good", "err", err)
		return false, w.c.DB.FailMail(rctx, m.ID, w.c.Owner, err.Error())
	case m.Attempts >= w.c.MaxAttempts:
		log.Warn("mail given up", "err", err)
		return false, w.c.DB.FailMail(rctx, m.ID, w.c.Owner, fmt.Sprintf("gave up after %d attempts: %s", m.Attempts, err))
	default:
		next := w.c.Now().Add(w.backoff(m.Attempts))
		log.Info("mail will be retried", "err", err, "at", next.UTC().Format(time.RFC3339))
		return false, w.c.DB.RetryMail(rctx, m.ID, w.c.Owner, next, err.Error())
	}
}

// backoff is the delay after the attempt-th failure: Backoff·2^(attempt-1),
// at most MaxBackoff, plus up to half of it at random so that many messages
// failing together do not retry together.
func (w *Worker) backoff(attempt int) time.Duration {
	d := w.c.Backoff
	for i := 1; i < attempt && d < w.c.MaxBackoff; i++ {
		d *= 2
	}
	d = min(d, w.c.MaxBackoff)
	if half := int64(d / 2); half > 0 {
		n, err := rand.Int(rand.Reader, big.NewInt(half))
		if err == nil {
			d += time.Duration(n.Int64())
		}
	}
	return d
}

// MessageID is the message's Message-ID: made from its outbox id and
// creation time, the same on every attempt, so a receiver can drop a
// duplicate sent just before a crash.
func (w *Worker) MessageID(m *sqldb.OutboxMail) string {
	host := "hearth.invalid"
	if u, err := url.Parse(w.c.BaseURL); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	return fmt.Sprintf("outbox-%d.%d@%s", m.ID, m.CreatedAt.Unix(), host)
}
