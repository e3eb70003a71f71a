-- +goose Up
-- A group's meeting schedules (RFC 5545). start_local is the first start as
-- a wall-clock time 'YYYY-MM-DDTHH:MM' in the group's time zone
-- (groups.time_zone), so a 19:00 meeting stays at 19:00 across daylight
-- saving; rrule is the RRULE value, '' for a one-off meeting. link_key is
-- the secret personal link tokens are derived from (32 random bytes sealed
-- by the vault under the group's scope, bound to the meeting's id); NULL
-- until sealed, which happens right after the meeting is written (or by the
-- reminder chore), never on a read. zone is the group's zone when the
-- meeting was last written or moved: when the group's zone changes, places
-- and attendance marks (kept by UTC instant) are moved to the same wall
-- clock in the new zone and zone follows.
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
    link_key         BLOB,
    zone             TEXT NOT NULL DEFAULT '',
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
-- and length. original_local names the occurrence (RFC 5545 RECURRENCE-ID)
-- and start_local is the new start when moved ('' otherwise), both as
-- wall-clock times 'YYYY-MM-DDTHH:MM' in the group's zone, like
-- meetings.start_local: when the group's zone changes they keep their local
-- time, as the meeting does.
CREATE TABLE meeting_exceptions (
    id               INTEGER PRIMARY KEY,
    meeting_id       INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    original_local   TEXT NOT NULL,
    cancelled        INTEGER NOT NULL DEFAULT 0,
    start_local      TEXT NOT NULL DEFAULT '',
    duration_minutes INTEGER NOT NULL DEFAULT 0,
    note             TEXT NOT NULL DEFAULT '',
    created_at       INTEGER NOT NULL,
    UNIQUE (meeting_id, original_local)
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

-- Personal links: /go/{token} redirects a person to the conference while
-- the link is showing. Tokens are not stored: each is derived from the
-- meeting's link_key, the person and their generation here (0 without a
-- row). A facilitator's revocation sets revoked; restoring clears it and
-- moves the generation on, so the old token stays dead.
CREATE TABLE meeting_link_access (
    meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    generation INTEGER NOT NULL DEFAULT 0,
    revoked    INTEGER NOT NULL DEFAULT 0,
    changed_at INTEGER NOT NULL,
    changed_by INTEGER NOT NULL,
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
DROP TABLE meeting_link_access;
DROP TABLE attendance;
DROP TABLE rsvps;
DROP TABLE meeting_exceptions;
DROP TABLE group_meeting_policy;
DROP TABLE meetings;
