-- +goose Up
-- A second factor for sign-in (issue 7 §3): TOTP (RFC 6238). The secret is
-- sealed with the vault under the person's own scope (user:{id}), bound to
-- the person; enabled_at is 0 while it is being set up (not yet confirmed
-- with a code). last_step is the last 30-second step whose code was
-- accepted: a code is never accepted twice.
CREATE TABLE second_factors (
    user_id    INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    sealed     BLOB NOT NULL,
    enabled_at INTEGER NOT NULL DEFAULT 0,
    last_step  INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);
-- Single-use recovery codes for the second factor (hashes only).
CREATE TABLE second_factor_codes (
    user_id   INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    used_at   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (user_id, code_hash)
);
-- A password accepted, the second factor still to come: not a session.
CREATE TABLE pending_signins (
    token_hash TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    expires_at INTEGER NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX pending_signins_user ON pending_signins(user_id);
-- Whether a session or token passed a second factor, and the browser's
-- family (never its full user agent, never an address) for the list of
-- active sessions.
ALTER TABLE sessions ADD COLUMN second_factor INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN agent TEXT NOT NULL DEFAULT '';
ALTER TABLE api_tokens ADD COLUMN second_factor INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE api_tokens DROP COLUMN second_factor;
ALTER TABLE sessions DROP COLUMN agent;
ALTER TABLE sessions DROP COLUMN second_factor;
DROP TABLE pending_signins;
DROP TABLE second_factor_codes;
DROP TABLE second_factors;
