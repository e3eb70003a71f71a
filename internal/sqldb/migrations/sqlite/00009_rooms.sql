-- +goose Up
-- Live meeting rooms. A room is one occurrence of an online or hybrid
-- meeting, named by the meeting and the occurrence's original start (UTC
-- Unix seconds, like rsvps.original_at): one room per (meeting, occurrence).
-- opens_at and closes_at are the window members may be in it (a lead time
-- before the start, a grace after the end; they follow a moved occurrence).
-- last_seq is the last sequence number given to the room's events: a batch
-- of events takes its numbers by raising it in the transaction that stores
-- them. purged_at is when the retention sweeper deleted the room's history
-- (0: not yet). Times are Unix seconds.
CREATE TABLE rooms (
    id          INTEGER PRIMARY KEY,
    group_id    INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
    meeting_id  INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    original_at INTEGER NOT NULL,
    opens_at    INTEGER NOT NULL,
    closes_at   INTEGER NOT NULL,
    last_seq    INTEGER NOT NULL DEFAULT 0,
    locked      INTEGER NOT NULL DEFAULT 0,
    ended_at    INTEGER NOT NULL DEFAULT 0,
    purged_at   INTEGER NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL,
    UNIQUE (meeting_id, original_at)
);
CREATE INDEX rooms_group ON rooms(group_id);
CREATE INDEX rooms_unpurged ON rooms(closes_at) WHERE purged_at = 0;

-- Who entered a room: one row per person and room. Its id is how the
-- room's events name the person (actor, target), so that a guest without
-- a membership (an open online group's RSVP) is named like a member; the
-- pseudonym is the one shown in this room (the membership's, or "Guest N").
-- membership_id is 0 for a guest; it is not a foreign key because a member
-- who leaves the group has their membership deleted.
CREATE TABLE room_admissions (
    id            INTEGER PRIMARY KEY,
    room_id       INTEGER NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
    user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    membership_id INTEGER NOT NULL DEFAULT 0,
    pseudonym     TEXT NOT NULL,
    facilitator   INTEGER NOT NULL DEFAULT 0,
    admitted_at   INTEGER NOT NULL,
    UNIQUE (room_id, user_id)
);
CREATE INDEX room_admissions_user ON room_admissions(user_id);

-- A room's log. sealed is the text (a message, a round's question) sealed
-- by the vault under the group's scope, bound to "room_event:room=R:seq=S";
-- no other column holds anything a person wrote. client_key is the
-- sender's idempotency key (messages only; NULL otherwise): a retried send
-- finds its earlier row. turn_order is a round's order of admission ids,
-- comma-separated. held marks a message with method details, alert one
-- that read as a crisis.
CREATE TABLE room_events (
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

-- How long a group keeps its rooms' history after a meeting closes (0:
-- nothing is kept after the meeting), and how early its rooms open.
ALTER TABLE group_meeting_policy ADD COLUMN room_retention_days INTEGER NOT NULL DEFAULT 30;
ALTER TABLE group_meeting_policy ADD COLUMN room_lead_minutes INTEGER NOT NULL DEFAULT 15;

-- +goose Down
ALTER TABLE group_meeting_policy DROP COLUMN room_lead_minutes;
ALTER TABLE group_meeting_policy DROP COLUMN room_retention_days;
DROP TABLE room_events;
DROP TABLE room_admissions;
DROP TABLE rooms;
