-- +goose Up
-- Times are Unix seconds (INTEGER) on both engines so that one SQL path
-- compares them alike.
CREATE TABLE organizations (
    id          INTEGER PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    website     TEXT NOT NULL DEFAULT '',
    contact     TEXT NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL
);

CREATE TABLE groups (
    id                INTEGER PRIMARY KEY,
    org_id            INTEGER NOT NULL REFERENCES organizations(id),
    slug              TEXT NOT NULL UNIQUE,
    name              TEXT NOT NULL,
    description       TEXT NOT NULL,
    what_to_expect    TEXT NOT NULL DEFAULT '',
    format            TEXT NOT NULL,
    leadership        TEXT NOT NULL,
    credentials       TEXT NOT NULL DEFAULT '',
    policy            TEXT NOT NULL,
    enrollment_cap    INTEGER NOT NULL DEFAULT 0,
    enrollment_opens  INTEGER NOT NULL DEFAULT 0,
    enrollment_closes INTEGER NOT NULL DEFAULT 0,
    cohort_starts     INTEGER NOT NULL DEFAULT 0,
    sessions          INTEGER NOT NULL DEFAULT 0,
    visibility        TEXT NOT NULL,
    address           TEXT NOT NULL DEFAULT '',
    city              TEXT NOT NULL DEFAULT '',
    region            TEXT NOT NULL DEFAULT '',
    postal_code       TEXT NOT NULL DEFAULT '',
    country           TEXT NOT NULL DEFAULT '',
    has_point         INTEGER NOT NULL DEFAULT 0,
    lat               REAL NOT NULL DEFAULT 0,
    lon               REAL NOT NULL DEFAULT 0,
    approximate       INTEGER NOT NULL DEFAULT 0,
    time_zone         TEXT NOT NULL,
    venue_notes       TEXT NOT NULL DEFAULT '',
    cost_kind         TEXT NOT NULL,
    cost_note         TEXT NOT NULL DEFAULT '',
    guidelines        TEXT NOT NULL DEFAULT '',
    guidelines_version INTEGER NOT NULL DEFAULT 1,
    contact           TEXT NOT NULL DEFAULT '',
    weekday           INTEGER NOT NULL,
    start_minute      INTEGER NOT NULL,
    duration_minutes  INTEGER NOT NULL,
    age_band          TEXT NOT NULL,
    gender            TEXT NOT NULL,
    search_terms      TEXT NOT NULL DEFAULT '', -- stems and weights made in Go (internal/terms), one "stem weight" a line
    active_members    INTEGER NOT NULL DEFAULT 0,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL
);
CREATE INDEX groups_org ON groups(org_id);
-- The directory is searched in memory (internal/directory); the database
-- is the record. updated_at lets other processes pick up changes.
CREATE INDEX groups_updated ON groups(updated_at);

-- Multi-valued attributes: kind is topic, language, community or access.
CREATE TABLE group_tags (
    group_id INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
    kind     TEXT NOT NULL,
    value    TEXT NOT NULL,
    PRIMARY KEY (kind, value, group_id)
) WITHOUT ROWID;
CREATE INDEX group_tags_group ON group_tags(group_id, kind);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    handle        TEXT NOT NULL UNIQUE,
    email         TEXT UNIQUE,
    password_hash TEXT NOT NULL,
    recovery_hash TEXT NOT NULL DEFAULT '',
    site_admin    INTEGER NOT NULL DEFAULT 0,
    locale        TEXT NOT NULL DEFAULT '',
    time_zone     TEXT NOT NULL DEFAULT '',
    created_at    INTEGER NOT NULL
);

CREATE TABLE org_admins (
    org_id  INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (org_id, user_id)
);
CREATE INDEX org_admins_user ON org_admins(user_id);

CREATE TABLE memberships (
    id                 INTEGER PRIMARY KEY,
    group_id           INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
    user_id            INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role               TEXT NOT NULL,
    status             TEXT NOT NULL,
    pseudonym          TEXT NOT NULL,
    pseudonym_key      TEXT NOT NULL,
    guidelines_version INTEGER NOT NULL DEFAULT 0,
    joined_at          INTEGER NOT NULL,
    UNIQUE (group_id, user_id),
    UNIQUE (group_id, pseudonym_key)
);
CREATE INDEX memberships_user ON memberships(user_id);

CREATE TABLE sessions (
    token_hash   TEXT PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   INTEGER NOT NULL,
    last_used_at INTEGER NOT NULL DEFAULT 0,
    revoked_at   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX api_tokens_user ON api_tokens(user_id);

-- +goose Down
DROP TABLE api_tokens;
DROP TABLE sessions;
DROP TABLE memberships;
DROP TABLE org_admins;
DROP TABLE users;
DROP TABLE group_tags;
DROP TABLE groups;
DROP TABLE organizations;
