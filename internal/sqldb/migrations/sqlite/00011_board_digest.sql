-- +goose Up
-- The board digest (issue 6 §3): a person may choose one email a day that
-- only counts the board notices waiting for them. Off until chosen.
-- board_digest_at is when the last digest was queued (0: never); the next
-- one counts the unread board notices since then.
ALTER TABLE reminder_prefs ADD COLUMN board_digest INTEGER NOT NULL DEFAULT 0;
ALTER TABLE reminder_prefs ADD COLUMN board_digest_at INTEGER NOT NULL DEFAULT 0;
CREATE INDEX reminder_prefs_board_digest ON reminder_prefs(board_digest_at) WHERE board_digest = 1;

-- +goose Down
DROP INDEX reminder_prefs_board_digest;
ALTER TABLE reminder_prefs DROP COLUMN board_digest_at;
ALTER TABLE reminder_prefs DROP COLUMN board_digest;
