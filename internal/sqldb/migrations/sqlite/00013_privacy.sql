-- +goose Up
-- Erasure of an account (issue 7 §2): what becomes of an erased person's
-- board posts and room messages in a group. "former_member" (the default):
-- they stay, shown as a former member's and linked to nobody; "remove":
-- they are deleted with the account.
ALTER TABLE board_settings ADD COLUMN erased_posts TEXT NOT NULL DEFAULT 'former_member';

-- +goose Down
ALTER TABLE board_settings DROP COLUMN erased_posts;
