-- +goose Up
-- A room's message keys are no longer kept unique by an index on SQLite:
-- that index, scattered by member, cost as much to keep as the rest of the
-- row under load. The server finds a retried send through its memory of
-- each room's stored keys, read from this table (internal/sqldb/roomkeys.go).
-- SQLite cannot drop a table's UNIQUE constraint, so the table is built
-- again without it; PostgreSQL keeps its index.
CREATE TABLE room_events_new (
    room_id    INTEGER NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
    seq        INTEGER NOT NULL,
    kind       TEXT NOT NULL,
    actor      INTEGER NOT NULL,
    target     INTEGER NOT NULL DEFAULT 0,
    is_on      INTEGER NOT NULL DEFAULT 0,
    round      TEXT NOT NULL DEFAULT '',
    seconds    INTEGER NOT NULL DEFAULT 0,
    turn_order TEXT NOT NULL DEFAULT '',
    client_key TEXT,
    held       INTEGER NOT NULL DEFAULT 0,
    alert      INTEGER NOT NULL DEFAULT 0,
    sealed     BLOB,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (room_id, seq)
);
INSERT INTO room_events_new (room_id, seq, kind, actor, target, is_on, round, seconds, turn_order, client_key, held, alert, sealed, created_at)
    SELECT room_id, seq, kind, actor, target, is_on, round, seconds, turn_order, client_key, held, alert, sealed, created_at FROM room_events;
DROP TABLE room_events;
ALTER TABLE room_events_new RENAME TO room_events;

-- +goose Down
CREATE TABLE room_events_old (
    room_id    INTEGER NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
    seq        INTEGER NOT NULL,
    kind       TEXT NOT NULL,
    actor      INTEGER NOT NULL,
    target     INTEGER NOT NULL DEFAULT 0,
    is_on      INTEGER NOT NULL DEFAULT 0,
    round      TEXT NOT NULL DEFAULT '',
    seconds    INTEGER NOT NULL DEFAULT 0,
    turn_order TEXT NOT NULL DEFAULT '',
    client_key TEXT,
    held       INTEGER NOT NULL DEFAULT 0,
    alert      INTEGER NOT NULL DEFAULT 0,
    sealed     BLOB,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (room_id, seq),
    UNIQUE (room_id, actor, client_key)
);
INSERT INTO room_events_old (room_id, seq, kind, actor, target, is_on, round, seconds, turn_order, client_key, held, alert, sealed, created_at)
    SELECT room_id, seq, kind, actor, target, is_on, round, seconds, turn_order, client_key, held, alert, sealed, created_at FROM room_events;
DROP TABLE room_events;
ALTER TABLE room_events_old RENAME TO room_events;
