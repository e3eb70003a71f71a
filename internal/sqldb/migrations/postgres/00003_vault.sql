-- +goose Up
-- The vault's data keys, one per scope ('group:42', 'user:7'). wrapped is
-- the data key sealed with AES-256-GCM under the master key numbered
-- master_key_id (the master key itself is never stored here); key_id names
-- the data key inside every ciphertext it seals. Crypto-shredding sets
-- wrapped to NULL and destroyed_at: the row stays so that the scope can never
-- silently get a new key, and nothing sealed under the old one can be read.
CREATE TABLE data_keys (
    scope         TEXT PRIMARY KEY,
    key_id        BIGINT NOT NULL,
    master_key_id BIGINT NOT NULL,
    wrapped       BYTEA,
    created_at    BIGINT NOT NULL,
    destroyed_at  BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX data_keys_master ON data_keys(master_key_id);

-- +goose Down
DROP TABLE data_keys;
