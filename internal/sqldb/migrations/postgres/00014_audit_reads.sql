-- +goose Up
-- Staff reading sensitive records is audited (issue 7 §4): "who read whose
-- intake answers". A read is recorded at most once an hour per reader and
-- record; this index answers "did this reader open this record lately".
CREATE INDEX audit_log_reads ON audit_log (actor_id, subject_kind, subject_id, action, at);

-- +goose Down
DROP INDEX audit_log_reads;
