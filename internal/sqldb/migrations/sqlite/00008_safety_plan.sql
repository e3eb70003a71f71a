-- +goose Up
-- A person's safety plan, one row per saved version. The plan is sealed
-- whole with the vault under the person's own scope (user:{id}), bound by
-- associated data to the person and the version, so only its owner's key
-- opens it and a row moved to another person or version does not open. No
-- column says anything about what the plan holds. The application keeps the
-- newest versions (hearth.PlanVersionsKept) and deletes older ones for good
-- (secure_delete overwrites them).
CREATE TABLE safety_plans (
    id       INTEGER PRIMARY KEY,
    user_id  INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    version  INTEGER NOT NULL,
    sealed   BLOB NOT NULL,
    saved_at INTEGER NOT NULL,
    UNIQUE (user_id, version)
);

-- +goose Down
DROP TABLE safety_plans;
