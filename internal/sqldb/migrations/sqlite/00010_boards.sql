-- +goose Up
-- Group boards: threads and posts between meetings. Nothing a person wrote
-- is stored in the clear: a post's title (first posts), body and a
-- warning in the writer's own words are sealed together by the vault
-- under the group's scope, bound to "board_post:post=P:rev=R" (the row
-- and its version). warning holds a warning code ('' none, 'own' for the
-- writer's own words, sealed). held is '' (shown), 'approval' (a new
-- member's post waiting for a facilitator) or 'review' (method details).
-- membership_id is not a foreign key (a member who leaves has their
-- membership deleted); pseudonym is the writer's name when they posted.
-- A deleted post is marked at once (deleted_at > 0: gone from every view
-- and search) and its row, versions and sealed text are purged by the
-- sweeper after the group's deleted_days. Times are Unix seconds.
CREATE TABLE board_threads (
    id            INTEGER PRIMARY KEY,
    group_id      INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
    author_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    first_post_id INTEGER NOT NULL DEFAULT 0,
    announcement  INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL,
    last_activity INTEGER NOT NULL,
    deleted_at    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX board_threads_list ON board_threads(group_id, last_activity DESC, id DESC);
CREATE INDEX board_threads_deleted ON board_threads(deleted_at) WHERE deleted_at > 0;

CREATE TABLE board_posts (
    id            INTEGER PRIMARY KEY,
    thread_id     INTEGER NOT NULL REFERENCES board_threads(id) ON DELETE CASCADE,
    group_id      INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
    author_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    membership_id INTEGER NOT NULL DEFAULT 0,
    pseudonym     TEXT NOT NULL,
    anonymous     INTEGER NOT NULL DEFAULT 0,
    warning       TEXT NOT NULL DEFAULT '',
    sealed        BLOB,
    rev           INTEGER NOT NULL DEFAULT 1,
    held          TEXT NOT NULL DEFAULT '',
    client_key    TEXT,
    created_at    INTEGER NOT NULL,
    edited_at     INTEGER NOT NULL DEFAULT 0,
    deleted_at    INTEGER NOT NULL DEFAULT 0,
    UNIQUE (group_id, author_id, client_key)
);
CREATE INDEX board_posts_thread ON board_posts(thread_id, id);
CREATE INDEX board_posts_group ON board_posts(group_id, id DESC);
CREATE INDEX board_posts_deleted ON board_posts(deleted_at) WHERE deleted_at > 0;

-- Earlier versions of edited posts (facilitators read them), sealed as
-- they were ("board_post:post=P:rev=R"); deleted with the post.
CREATE TABLE board_revisions (
    post_id    INTEGER NOT NULL REFERENCES board_posts(id) ON DELETE CASCADE,
    rev        INTEGER NOT NULL,
    warning    TEXT NOT NULL DEFAULT '',
    sealed     BLOB,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (post_id, rev)
);

-- Supportive reactions: one of each kind per person and post.
CREATE TABLE board_reactions (
    post_id INTEGER NOT NULL REFERENCES board_posts(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind    TEXT NOT NULL,
    PRIMARY KEY (post_id, user_id, kind)
);

-- How far each reader has read each thread (the last post id seen).
CREATE TABLE board_reads (
    thread_id    INTEGER NOT NULL REFERENCES board_threads(id) ON DELETE CASCADE,
    user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    last_post_id INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (thread_id, user_id)
);
CREATE INDEX board_reads_user ON board_reads(user_id);

-- Each reader's choice per content warning ('show', 'collapse', 'hide');
-- no row: collapse.
CREATE TABLE board_warning_prefs (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    code    TEXT NOT NULL,
    choice  TEXT NOT NULL,
    PRIMARY KEY (user_id, code)
);

-- A group's board settings; no row: the defaults.
CREATE TABLE board_settings (
    group_id        INTEGER PRIMARY KEY REFERENCES groups(id) ON DELETE CASCADE,
    allow_anonymous INTEGER NOT NULL DEFAULT 0,
    alumni_read     INTEGER NOT NULL DEFAULT 0,
    deleted_days    INTEGER NOT NULL DEFAULT 30
);

-- +goose Down
DROP TABLE board_settings;
DROP TABLE board_warning_prefs;
DROP TABLE board_reads;
DROP TABLE board_reactions;
DROP TABLE board_revisions;
DROP TABLE board_posts;
DROP TABLE board_threads;
