-- +goose Up
-- Safety: what follows when someone writes crisis language. An escalation
-- names the writing (its kind and id) and what the detector found, never the
-- text; each step (alerted, escalated, acknowledged, noted, resolved) is a
-- row; notes are written by facilitators and sealed by the vault. Each
-- organization keeps an ordered safety on-call list and the minutes an alert
-- may go unacknowledged before the next person is told. The audit log is
-- append-only: triggers refuse UPDATE and DELETE. Times are Unix seconds.

CREATE TABLE safety_settings (
    org_id      INTEGER PRIMARY KEY REFERENCES organizations(id) ON DELETE CASCADE,
    ack_minutes INTEGER NOT NULL DEFAULT 5,
    updated_at  INTEGER NOT NULL
);

CREATE TABLE safety_oncall (
    org_id   INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    user_id  INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    added_at INTEGER NOT NULL,
    PRIMARY KEY (org_id, position),
    UNIQUE (org_id, user_id)
);

CREATE TABLE escalations (
    id              INTEGER PRIMARY KEY,
    org_id          INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    group_id        INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
    author_id       INTEGER REFERENCES users(id) ON DELETE SET NULL,
    tier            INTEGER NOT NULL,
    categories      TEXT NOT NULL DEFAULT '',
    language        TEXT NOT NULL DEFAULT '',
    held            INTEGER NOT NULL DEFAULT 0,
    writing_kind    TEXT NOT NULL,
    writing_id      INTEGER NOT NULL,
    status          TEXT NOT NULL DEFAULT 'open',
    created_at      INTEGER NOT NULL,
    acknowledged_at INTEGER NOT NULL DEFAULT 0,
    acknowledged_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    resolved_at     INTEGER NOT NULL DEFAULT 0,
    resolved_by     INTEGER REFERENCES users(id) ON DELETE SET NULL,
    outcome         TEXT NOT NULL DEFAULT '',
    -- The next escalation: when (0: none due) and which place of the
    -- on-call chain comes next.
    next_at         INTEGER NOT NULL DEFAULT 0,
    next_step       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX escalations_group ON escalations(group_id, status, created_at);
CREATE INDEX escalations_org ON escalations(org_id, status, created_at);
CREATE INDEX escalations_due ON escalations(next_at) WHERE next_at > 0;

CREATE TABLE escalation_steps (
    id            INTEGER PRIMARY KEY,
    escalation_id INTEGER NOT NULL REFERENCES escalations(id) ON DELETE CASCADE,
    kind          TEXT NOT NULL,
    actor_id      INTEGER REFERENCES users(id) ON DELETE SET NULL,
    user_id       INTEGER REFERENCES users(id) ON DELETE SET NULL,
    note          BLOB,
    outcome       TEXT NOT NULL DEFAULT '',
    at            INTEGER NOT NULL
);
CREATE INDEX escalation_steps_of ON escalation_steps(escalation_id, id);

CREATE TABLE audit_log (
    id           INTEGER PRIMARY KEY,
    at           INTEGER NOT NULL,
    actor_id     INTEGER NOT NULL DEFAULT 0,
    action       TEXT NOT NULL,
    org_id       INTEGER NOT NULL DEFAULT 0,
    group_id     INTEGER NOT NULL DEFAULT 0,
    subject_kind TEXT NOT NULL DEFAULT '',
    subject_id   INTEGER NOT NULL DEFAULT 0,
    reason       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_org ON audit_log(org_id, id);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

-- +goose Down
DROP TRIGGER audit_log_no_delete;
DROP TRIGGER audit_log_no_update;
DROP TABLE audit_log;
DROP TABLE escalation_steps;
DROP TABLE escalations;
DROP TABLE safety_oncall;
DROP TABLE safety_settings;
