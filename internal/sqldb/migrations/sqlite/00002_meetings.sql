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

-- +goose Down
DROP TABLE group_meeting_policy;
DROP TABLE meetings;
