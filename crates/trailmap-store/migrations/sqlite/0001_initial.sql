-- Trailmap store schema, version 1 (SQLite). Keep in step with ../postgres/0001_initial.sql:
-- the same tables, columns and constraints; only id columns and BLOB differ.
-- Times are BIGINT milliseconds since the Unix epoch. AUTOINCREMENT: ids are never reused,
-- so an old link to a deleted map cannot open a newer one.

CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email TEXT NOT NULL UNIQUE,
    handle TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    site_admin BOOLEAN NOT NULL DEFAULT FALSE,
    created_at BIGINT NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE login_attempts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    attempt_key TEXT NOT NULL,
    success BOOLEAN NOT NULL,
    attempted_at BIGINT NOT NULL
);
CREATE INDEX login_attempts_key ON login_attempts(attempt_key, attempted_at);

CREATE TABLE workspaces (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE memberships (
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('owner', 'editor', 'commenter', 'viewer')),
    joined_at BIGINT NOT NULL,
    PRIMARY KEY (workspace_id, user_id)
);
CREATE INDEX memberships_user ON memberships(user_id);

CREATE TABLE invitations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash TEXT NOT NULL UNIQUE,
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    email TEXT,
    role TEXT NOT NULL CHECK (role IN ('owner', 'editor', 'commenter', 'viewer')),
    invited_by BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    accepted_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    accepted_at BIGINT,
    revoked_at BIGINT
);
CREATE INDEX invitations_workspace ON invitations(workspace_id);

CREATE TABLE maps (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    slug TEXT NOT NULL,
    title TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('current', 'future')),
    journey_id TEXT,
    counterpart_id BIGINT REFERENCES maps(id) ON DELETE SET NULL,
    latest_version BIGINT NOT NULL CHECK (latest_version >= 1),
    created_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (workspace_id, slug)
);

-- The primary key is the UNIQUE (map_id, number) that makes two saves on one base impossible.
CREATE TABLE map_versions (
    map_id BIGINT NOT NULL REFERENCES maps(id) ON DELETE CASCADE,
    number BIGINT NOT NULL CHECK (number >= 1),
    yaml TEXT NOT NULL,
    author_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    message TEXT NOT NULL,
    restored_from BIGINT,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (map_id, number)
);

CREATE TABLE comments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    map_id BIGINT NOT NULL REFERENCES maps(id) ON DELETE CASCADE,
    version BIGINT,
    target TEXT NOT NULL,
    parent_id BIGINT REFERENCES comments(id) ON DELETE CASCADE,
    author_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    body TEXT NOT NULL,
    resolved BOOLEAN NOT NULL DEFAULT FALSE,
    resolved_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    resolved_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX comments_map ON comments(map_id, target);
CREATE INDEX comments_parent ON comments(parent_id);

CREATE TABLE mentions (
    comment_id BIGINT NOT NULL REFERENCES comments(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (comment_id, user_id)
);
CREATE INDEX mentions_user ON mentions(user_id);

CREATE TABLE activity (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    map_id BIGINT REFERENCES maps(id) ON DELETE SET NULL,
    actor_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    kind TEXT NOT NULL,
    detail TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX activity_map ON activity(map_id, id);
CREATE INDEX activity_workspace ON activity(workspace_id, id);

CREATE TABLE share_links (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash TEXT NOT NULL UNIQUE,
    map_id BIGINT NOT NULL REFERENCES maps(id) ON DELETE CASCADE,
    created_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT,
    revoked_at BIGINT,
    last_used_at BIGINT
);
CREATE INDEX share_links_map ON share_links(map_id);

CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash TEXT NOT NULL UNIQUE,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT,
    revoked_at BIGINT
);
CREATE INDEX api_tokens_user ON api_tokens(user_id);

CREATE TABLE analyses (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    map_id BIGINT NOT NULL REFERENCES maps(id) ON DELETE CASCADE,
    version BIGINT,
    name TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
    progress DOUBLE PRECISION NOT NULL DEFAULT 0,
    error TEXT,
    result_json TEXT,
    created_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX analyses_map ON analyses(map_id);
CREATE INDEX analyses_status ON analyses(status, id);

CREATE TABLE analysis_inputs (
    analysis_id BIGINT NOT NULL REFERENCES analyses(id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    name TEXT NOT NULL,
    bytes BLOB NOT NULL,
    PRIMARY KEY (analysis_id, position)
);
