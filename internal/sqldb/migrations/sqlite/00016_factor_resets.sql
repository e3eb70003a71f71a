-- +goose Up
-- An administrator's reset of a person's lost second factor (issue 7 §3):
-- the audit log says who reset whose factor and when (action
-- second_factor.reset); this row keeps the reason the resetter gave, sealed
-- with the vault under the person's own scope (user:{id}), so a copy of the
-- database does not show it and erasing the person makes it unreadable.
-- audit_id is the audit entry it explains. Like the audit log it is never
-- changed, but it goes with the person when their account is erased, and
-- forgets the resetter (actor_id NULL) when theirs is.
CREATE TABLE factor_resets (
    id          INTEGER PRIMARY KEY,
    audit_id    INTEGER NOT NULL,
    at          INTEGER NOT NULL,
    actor_id    INTEGER REFERENCES users(id) ON DELETE SET NULL,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    reason      BLOB NOT NULL
);
CREATE INDEX factor_resets_user ON factor_resets(user_id, id);

-- +goose Down
DROP TABLE factor_resets;
