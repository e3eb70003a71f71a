-- +goose Up
-- A group's meeting schedules (RFC 5545). start_local is the first start as
-- a wall-clock time 'YYYY-MM-DDTHH:MM' in the group's time zone
-- (groups.time_zone), so a 19:00 meeting stays at 19:00 across daylight
-- saving; rrule is the RRULE value, '' for a one-off meeting.
CREATE TABLE meetings (
    id               INTEGER PRIMARY KEY,
    group_id         INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
    title            TEXT NOT NULL DEFAULT '',
    start_local      TEXT NOT NULL,
    duration_minutes INTEGER NOT NULL,
    rrule            TEXT NOT NULL DEFAULT '',
    mode             TEXT NOT NULL,
    venue_notes      TEXT NOT NULL DEFAULT '',
    conference_url   TEXT NOT NULL DEFAULT '',
    phone            TEXT NOT NULL DEFAULT '',
    access_code      TEXT NOT NULL DEFAULT '',
    capacity         INTEGER NOT NULL DEFAULT 0,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
);
CREATE INDEX meetings_group ON meetings(group_id);

-- How a group protects its meeting links (absent row = defaults).
CREATE TABLE group_meeting_policy (
    group_id          INTEGER PRIMARY KEY REFERENCES groups(id) ON DELETE CASCADE,
    publish_link      INTEGER NOT NULL DEFAULT 0,
    link_lead_minutes INTEGER NOT NULL DEFAULT 30,
    updated_at        INTEGER NOT NULL
);

-- One occurrence changed: cancelled (with a note) or moved to another start
-- and length. original_at names the occurrence (RFC 5545 RECURRENCE-ID) as
-- Unix seconds; start_at is the new start when moved (0 otherwise).
CREATE TABLE meeting_exceptions (
    id               INTEGER PRIMARY KEY,
    meeting_id       INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    original_at      INTEGER NOT NULL,
    cancelled        INTEGER NOT NULL DEFAULT 0,
    start_at         INTEGER NOT NULL DEFAULT 0,
    duration_minutes INTEGER NOT NULL DEFAULT 0,
    note             TEXT NOT NULL DEFAULT '',
    created_at       INTEGER NOT NULL,
    UNIQUE (meeting_id, original_at)
);

-- A seat taken for one occurrence.
CREATE TABLE rsvps (
    meeting_id  INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    original_at INTEGER NOT NULL,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (meeting_id, original_at, user_id)
);
CREATE INDEX rsvps_user ON rsvps(user_id);

-- Attendance taken by facilitators: present, absent or excused.
CREATE TABLE attendance (
    meeting_id  INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    original_at INTEGER NOT NULL,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    mark        TEXT NOT NULL,
    taken_by    INTEGER NOT NULL,
    taken_at    INTEGER NOT NULL,
    PRIMARY KEY (meeting_id, original_at, user_id)
);
CREATE INDEX attendance_user ON attendance(user_id);

-- A person's own way into a meeting's conference: /go/{token} redirects to
-- the real link while the link is showing. One per person and meeting; a
-- facilitator may revoke it (revoked_at), and only a facilitator restores it.
-- The token is kept as is: it opens nothing the conference link stored beside
-- it does not.
CREATE TABLE meeting_link_tokens (
    meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    token      TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER NOT NULL DEFAULT 0,
    revoked_by INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (meeting_id, user_id)
);

-- A person's private calendar address (only its SHA-256 is kept). Making a
-- new one replaces the old.
CREATE TABLE calendar_tokens (
    user_id    INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL
);

-- +goose Down
DROP TABLE calendar_tokens;
DROP TABLE meeting_link_tokens;
DROP TABLE attendance;
DROP TABLE rsvps;
DROP TABLE meeting_exceptions;
DROP TABLE group_meeting_policy;
DROP TABLE meetings;
