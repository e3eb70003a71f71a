// Package mail composes Hearth's emails and delivers them from the durable
// outbox (internal/sqldb's outbox table) through SMTP.
//
// # What an email may say
//
// An email can be read by someone else in the house: on a shared computer, a
// lock screen, a partner's phone. So every email Hearth sends only says that
// something happened ("your application has an answer", "a meeting starts in
// about an hour") and links to <base URL>/notices, where the person reads the
// details after signing in. No email names the group — not in the subject,
// not in the body, not in a link (a group's address contains its name) — and
// no email carries anything a member or facilitator wrote. Texts come from
// the message catalog (internal/i18n, mail.json) in the person's language.
//
// # Delivery guarantees, honestly
//
// A message is written to the outbox in the same database transaction as the
// change it tells about, so a change is never committed without its email nor
// an email queued for a change that rolled back. The idempotency key makes
// queueing the same message twice a no-op (each reminder is queued once).
//
// The Worker claims one due message at a time with a lease (status
// "sending", lease_owner, lease_until). If the worker crashes or hangs, the
// message becomes claimable again when the lease runs out, so it is not
// lost. Several processes on one PostgreSQL may run workers: claims use
// FOR UPDATE SKIP LOCKED there; SQLite has one writer.
//
// SMTP gives no stronger guarantee than "at least once": if a process dies
// after the server accepted a message but before the outbox recorded it as
// sent, the message is sent again after the lease. Every message therefore
// carries a Message-ID derived from its outbox id, the same on every attempt,
// so a receiving system can recognise and drop the duplicate. Failures
// answered with a temporary error (4xx, a dropped connection, a timeout) are
// retried with exponential backoff and jitter up to a limit, then marked
// failed; a permanent refusal (5xx to the sender, recipient or data) fails at
// once. A message may carry a deadline (a reminder's meeting start): past it
// the message is dropped unsent rather than delivered late.
//
// Without SMTP configured no worker runs: the outbox still records every
// message (nothing is sent) and pages say reminders are off. Messages queued
// then are sent once SMTP is configured, unless their deadline has passed
// (internal/app gives every notice's email one: the moment it is about, or
// seven days). Sent and failed messages are deleted after Keep (30 days).
package mail
