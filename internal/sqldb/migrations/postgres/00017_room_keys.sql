-- +goose Up
-- Nothing changes on PostgreSQL: several processes append to one room log,
-- so the unique index on (room_id, actor, client_key) stays and finds a
-- retried send. (SQLite's 00017 drops its copy of that index; the numbers
-- are kept in step.)
SELECT 1;

-- +goose Down
SELECT 1;
