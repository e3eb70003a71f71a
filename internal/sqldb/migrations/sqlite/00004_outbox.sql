-- +goose Up
-- The mail outbox: a message is stored in the same transaction as the change
-- it tells about, then a delivery worker (internal/mail) sends it. The
-- idempotency key makes enqueueing the same message twice a no-op; a claim
-- is a lease (lease_owner until lease_until) so a crashed worker's message
-- is retried by another after the lease, never lost. last_error never holds
-- the body. expires_at (0 = never) drops a message whose news is stale (a
-- reminder for a meeting that has begun).
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    user_id         INTEGER REFERENCES users(id) ON DELETE CASCADE,
    to_address      TEXT NOT NULL,
    kind            TEXT NOT NULL,
    locale          TEXT NOT NULL,
    subject         TEXT NOT NULL,
    body            TEXT NOT NULL,
    idempotency_key TEXT NOT NULL UNIQUE,
    status          TEXT NOT NULL DEFAULT 'pending', -- pending, sending, sent, failed
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    expires_at      INTEGER NOT NULL DEFAULT 0,
    lease_owner     TEXT NOT NULL DEFAULT '',
    lease_until     INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT NOT NULL DEFAULT '',
    created_at      INTEGER NOT NULL,
    sent_at         INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX outbox_due ON outbox(status, next_attempt_at);
CREATE INDEX outbox_user ON outbox(user_id);

-- In-app notices, shown on /notices behind sign-in. They may name the group
-- (the person is signed in); they never carry what members wrote.
CREATE TABLE notices (
    id              INTEGER PRIMARY KEY,
    user_id         INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind            TEXT NOT NULL,
    group_id        INTEGER REFERENCES groups(id) ON DELETE CASCADE,
    link            TEXT NOT NULL DEFAULT '',
    about_at        INTEGER NOT NULL DEFAULT 0,
    idempotency_key TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    read_at         INTEGER NOT NULL DEFAULT 0,
    UNIQUE (user_id, idempotency_key)
);
CREATE INDEX notices_unread ON notices(user_id, read_at);

-- Email reminder choices; no row means the defaults (both on).
CREATE TABLE reminder_prefs (
    user_id    INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    before_24h INTEGER NOT NULL,
    before_1h  INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

-- +goose Down
DROP TABLE reminder_prefs;
DROP TABLE notices;
DROP TABLE outbox;
