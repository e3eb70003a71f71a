-- +goose Up
-- Passkeys (WebAuthn, issue 7 §3): a second factor, or both factors at once
-- when used without a password. credential_id and public_key are what the
-- authenticator made (not secret: the private key never leaves it);
-- sign_count is the authenticator's counter as last seen (a counter that
-- goes backwards means a copied authenticator, and is refused); flags keep
-- the backup-eligible/backup-state/user-verified bits the library checks at
-- each sign-in. The name the person gave it ("my phone") is member-written
-- text: it is sealed with the vault under the person's own scope
-- (user:{id}), bound to the person and the credential.
CREATE TABLE passkeys (
    id            INTEGER PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    credential_id BLOB NOT NULL UNIQUE,
    public_key    BLOB NOT NULL,
    sign_count    INTEGER NOT NULL DEFAULT 0,
    aaguid        BLOB NOT NULL,
    transports    TEXT NOT NULL DEFAULT '',
    flags         INTEGER NOT NULL DEFAULT 0,
    attestation   TEXT NOT NULL DEFAULT '',
    name_sealed   BLOB NOT NULL,
    created_at    INTEGER NOT NULL,
    last_used_at  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX passkeys_user ON passkeys(user_id, id);
-- A WebAuthn ceremony under way (its challenge and options), kept on the
-- server for a few minutes and used once: the browser holds only a random
-- token whose hash names it. user_id is 0 for a sign-in without a password
-- (the passkey itself says whose it is); pending is the hash of the
-- pending sign-in (password accepted) a second-step ceremony belongs to.
CREATE TABLE passkey_ceremonies (
    token_hash TEXT PRIMARY KEY,
    kind       TEXT NOT NULL,
    user_id    INTEGER NOT NULL DEFAULT 0,
    pending    TEXT NOT NULL DEFAULT '',
    session    BLOB NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX passkey_ceremonies_expires ON passkey_ceremonies(expires_at);

-- +goose Down
DROP TABLE passkey_ceremonies;
DROP TABLE passkeys;
