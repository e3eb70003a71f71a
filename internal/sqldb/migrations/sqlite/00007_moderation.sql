-- +goose Up
-- Moderation: reports, actions with reasons, appeals, hidden and labelled
-- subjects, mutes, organization bans, blocks, new-member posting rules.
-- Member-written text (report notes, moderators' notes, appeals) is sealed
-- by the vault. A subject is (kind, id): member, intake_answer, post,
-- message. Times are Unix seconds.

CREATE TABLE reports (
    id              INTEGER PRIMARY KEY,
    group_id        INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
    org_id          INTEGER NOT NULL,
    subject_kind    TEXT NOT NULL,
    subject_id      INTEGER NOT NULL,
    subject_user_id INTEGER NOT NULL DEFAULT 0,
    reporter_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    reason          TEXT NOT NULL,
    status          TEXT NOT NULL,
    note            BLOB,
    created_at      INTEGER NOT NULL,
    resolved_at     INTEGER NOT NULL DEFAULT 0,
    resolved_by     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX reports_group ON reports(group_id, status, id);
CREATE INDEX reports_org ON reports(org_id, status, id);
CREATE INDEX reports_reporter ON reports(reporter_id, created_at);
CREATE INDEX reports_target ON reports(subject_user_id, reason, created_at);
-- One open report per person and subject.
CREATE UNIQUE INDEX reports_open_once ON reports(reporter_id, subject_kind, subject_id) WHERE status = 'open';

-- Rows are never updated or deleted by Hearth (kept as long as the group).
CREATE TABLE moderation_actions (
    id             INTEGER PRIMARY KEY,
    group_id       INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
    org_id         INTEGER NOT NULL,
    subject_kind   TEXT NOT NULL,
    subject_id     INTEGER NOT NULL,
    target_user_id INTEGER NOT NULL DEFAULT 0,
    actor_id       INTEGER NOT NULL,
    kind           TEXT NOT NULL,
    reason         TEXT NOT NULL,
    until_at       INTEGER NOT NULL DEFAULT 0,
    report_id      INTEGER NOT NULL DEFAULT 0,
    label_url      TEXT NOT NULL DEFAULT '',
    note           BLOB,
    created_at     INTEGER NOT NULL
);
CREATE INDEX moderation_actions_target ON moderation_actions(target_user_id, id);
CREATE INDEX moderation_actions_subject ON moderation_actions(subject_kind, subject_id, id);

-- One appeal per action.
CREATE TABLE appeals (
    id         INTEGER PRIMARY KEY,
    action_id  INTEGER NOT NULL UNIQUE REFERENCES moderation_actions(id) ON DELETE CASCADE,
    group_id   INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    status     TEXT NOT NULL,
    note       BLOB,
    decision   BLOB,
    created_at INTEGER NOT NULL,
    decided_at INTEGER NOT NULL DEFAULT 0,
    decided_by INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX appeals_group ON appeals(group_id, status, id);

-- Content no longer shown (kept for appeal and review).
CREATE TABLE hidden_subjects (
    subject_kind TEXT NOT NULL,
    subject_id   INTEGER NOT NULL,
    group_id     INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
    action_id    INTEGER NOT NULL,
    hidden_at    INTEGER NOT NULL,
    PRIMARY KEY (subject_kind, subject_id)
);

-- "Unverified health claim" with a link to reliable information.
CREATE TABLE subject_labels (
    subject_kind TEXT NOT NULL,
    subject_id   INTEGER NOT NULL,
    group_id     INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
    kind         TEXT NOT NULL,
    url          TEXT NOT NULL,
    action_id    INTEGER NOT NULL,
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (subject_kind, subject_id)
);

-- A member who may not post in a group until a time.
CREATE TABLE mutes (
    group_id  INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
    user_id   INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    until_at  INTEGER NOT NULL,
    action_id INTEGER NOT NULL,
    PRIMARY KEY (group_id, user_id)
);

-- A person who may not join any of an organization's groups.
CREATE TABLE org_bans (
    org_id     INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    action_id  INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (org_id, user_id)
);

-- A member hiding another member of the same group.
CREATE TABLE blocks (
    group_id   INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
    blocker_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    blocked_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (group_id, blocker_id, blocked_id)
);
CREATE INDEX blocks_blocked ON blocks(blocked_id);

-- New members' posting rules (absent row: the defaults).
CREATE TABLE moderation_settings (
    group_id                  INTEGER PRIMARY KEY REFERENCES groups(id) ON DELETE CASCADE,
    new_member_days           INTEGER NOT NULL,
    new_member_posts_per_hour INTEGER NOT NULL,
    posts_per_hour            INTEGER NOT NULL,
    approve_first_posts       INTEGER NOT NULL DEFAULT 0,
    updated_at                INTEGER NOT NULL
);

-- New members a facilitator trusts: their posts no longer wait.
CREATE TABLE trusted_posters (
    group_id   INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    trusted_by INTEGER NOT NULL,
    trusted_at INTEGER NOT NULL,
    PRIMARY KEY (group_id, user_id)
);

-- One row per post allowed by mayPost: the posting rate's window.
CREATE TABLE post_marks (
    group_id INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
    user_id  INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    at       INTEGER NOT NULL
);
CREATE INDEX post_marks_user ON post_marks(group_id, user_id, at);

-- +goose Down
DROP TABLE post_marks;
DROP TABLE trusted_posters;
DROP TABLE moderation_settings;
DROP TABLE blocks;
DROP TABLE org_bans;
DROP TABLE mutes;
DROP TABLE subject_labels;
DROP TABLE hidden_subjects;
DROP TABLE appeals;
DROP TABLE moderation_actions;
DROP TABLE reports;
