-- +goose Up
-- Membership: cohorts of closed groups, intake questions and sealed answers,
-- the fair waitlist (a sequence per group, offers with deadlines), contact
-- sharing, and the history of every step. Times are Unix seconds.

-- A closed group runs cohorts one after another; the newest not ended is
-- the one people apply to, mirrored in groups.enrollment_* for the
-- directory.
CREATE TABLE cohorts (
    id                INTEGER PRIMARY KEY,
    group_id          INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
    number            INTEGER NOT NULL,
    cap               INTEGER NOT NULL,
    enrollment_opens  INTEGER NOT NULL,
    enrollment_closes INTEGER NOT NULL,
    starts            INTEGER NOT NULL,
    ends              INTEGER NOT NULL,
    sessions          INTEGER NOT NULL,
    ended_at          INTEGER NOT NULL DEFAULT 0,
    created_at        INTEGER NOT NULL,
    UNIQUE (group_id, number)
);
CREATE INDEX cohorts_running ON cohorts(ended_at, ends);

ALTER TABLE memberships ADD COLUMN cohort_id INTEGER REFERENCES cohorts(id) ON DELETE SET NULL;
ALTER TABLE memberships ADD COLUMN share_email INTEGER NOT NULL DEFAULT 0;
ALTER TABLE memberships ADD COLUMN committed_sessions INTEGER NOT NULL DEFAULT 0;
-- Order in line: assigned inside the transaction that queues, under the
-- group's lock; first come, first served.
ALTER TABLE memberships ADD COLUMN waitlist_seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE memberships ADD COLUMN waitlisted_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE memberships ADD COLUMN offer_expires_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE memberships ADD COLUMN status_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE memberships ADD COLUMN decided_at INTEGER NOT NULL DEFAULT 0;
-- The facilitators' message on an application, sealed by the vault.
ALTER TABLE memberships ADD COLUMN decision BLOB;
CREATE INDEX memberships_line ON memberships(group_id, status, waitlist_seq);
CREATE INDEX memberships_offers ON memberships(offer_expires_at) WHERE offer_expires_at > 0;

-- Seats and offers (absent row: no cap, 48-hour offers).
CREATE TABLE group_membership_settings (
    group_id    INTEGER PRIMARY KEY REFERENCES groups(id) ON DELETE CASCADE,
    member_cap  INTEGER NOT NULL DEFAULT 0,
    offer_hours INTEGER NOT NULL DEFAULT 48,
    updated_at  INTEGER NOT NULL
);

CREATE TABLE intake_questions (
    id       INTEGER PRIMARY KEY,
    group_id INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    prompt   TEXT NOT NULL,
    required INTEGER NOT NULL DEFAULT 0,
    UNIQUE (group_id, position)
);

-- An applicant's answers, sealed by the vault under the group's scope; the
-- question is kept as it was asked. Deleted with the membership.
CREATE TABLE intake_answers (
    membership_id INTEGER NOT NULL REFERENCES memberships(id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    prompt        TEXT NOT NULL,
    answer        BLOB NOT NULL,
    PRIMARY KEY (membership_id, position)
);

-- Every step of every membership. Rows outlive the membership (a member who
-- left is "a former member"); notes are sealed.
CREATE TABLE membership_events (
    id               INTEGER PRIMARY KEY,
    group_id         INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
    membership_id    INTEGER NOT NULL DEFAULT 0,
    user_id          INTEGER NOT NULL DEFAULT 0,
    actor_id         INTEGER NOT NULL DEFAULT 0,
    kind             TEXT NOT NULL,
    status           TEXT NOT NULL DEFAULT '',
    cohort_id        INTEGER NOT NULL DEFAULT 0,
    position         INTEGER NOT NULL DEFAULT 0,
    offer_expires_at INTEGER NOT NULL DEFAULT 0,
    note             BLOB,
    at               INTEGER NOT NULL
);
CREATE INDEX membership_events_group ON membership_events(group_id, id);
CREATE INDEX membership_events_user ON membership_events(user_id, group_id, id);

-- +goose Down
DROP TABLE membership_events;
DROP TABLE intake_answers;
DROP TABLE intake_questions;
DROP TABLE group_membership_settings;
DROP INDEX memberships_offers;
DROP INDEX memberships_line;
ALTER TABLE memberships DROP COLUMN decision;
ALTER TABLE memberships DROP COLUMN decided_at;
ALTER TABLE memberships DROP COLUMN status_at;
ALTER TABLE memberships DROP COLUMN offer_expires_at;
ALTER TABLE memberships DROP COLUMN waitlisted_at;
ALTER TABLE memberships DROP COLUMN waitlist_seq;
ALTER TABLE memberships DROP COLUMN committed_sessions;
ALTER TABLE memberships DROP COLUMN share_email;
ALTER TABLE memberships DROP COLUMN cohort_id;
DROP TABLE cohorts;
