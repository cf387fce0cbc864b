-- Organization tree with history (domain.md §2.4): identity in `org`,
-- effective-dated name/parent/kind in `org_version`.
CREATE TABLE org (
    id           INTEGER PRIMARY KEY,
    created_on   TEXT NOT NULL,
    dissolved_on TEXT,
    successor_id INTEGER REFERENCES org(id)
);

CREATE TABLE org_version (
    id         INTEGER PRIMARY KEY,
    org_id     INTEGER NOT NULL REFERENCES org(id),
    parent_id  INTEGER REFERENCES org(id),
    name       TEXT NOT NULL,
    name_key   TEXT NOT NULL,
    kind       TEXT NOT NULL,
    cell_type  TEXT,
    valid_from TEXT NOT NULL,
    valid_to   TEXT,
    CONSTRAINT org_version_dates CHECK (valid_to IS NULL OR valid_to > valid_from)
);
CREATE INDEX org_version_parent ON org_version (parent_id, valid_from);
CREATE INDEX org_version_org ON org_version (org_id, valid_from);
CREATE UNIQUE INDEX org_version_current ON org_version (org_id) WHERE valid_to IS NULL;
CREATE INDEX org_version_name ON org_version (name_key);

CREATE TABLE org_event (
    id           INTEGER PRIMARY KEY,
    org_id       INTEGER NOT NULL REFERENCES org(id),
    kind         TEXT NOT NULL,
    happened_on  TEXT NOT NULL,
    other_org_id INTEGER REFERENCES org(id),
    decision     TEXT NOT NULL DEFAULT '',
    detail       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX org_event_org ON org_event (org_id, happened_on);

-- Member registry (domain.md §3). `cell_id` and `status` are the current
-- values; history lives in member_placement and member_status.
CREATE TABLE member (
    id           INTEGER PRIMARY KEY,
    full_name    TEXT NOT NULL,
    name_key     TEXT NOT NULL,
    sort_key     BLOB NOT NULL,
    birth_date   TEXT,
    gender       TEXT NOT NULL,
    ethnicity    TEXT NOT NULL,
    religion     TEXT NOT NULL,
    hometown     TEXT NOT NULL,
    residence    TEXT NOT NULL,
    admitted_on  TEXT,
    official_on  TEXT,
    card_number  TEXT,
    education    TEXT NOT NULL,
    theory_level TEXT NOT NULL,
    occupation   TEXT NOT NULL,
    phone        TEXT NOT NULL,
    email        TEXT NOT NULL,
    status       TEXT NOT NULL,
    cell_id      INTEGER NOT NULL REFERENCES org(id),
    CONSTRAINT member_card_number_key UNIQUE (card_number)
);
CREATE INDEX member_cell_sort ON member (cell_id, sort_key, id);
CREATE INDEX member_cell_status ON member (cell_id, status);

CREATE TABLE member_status (
    id         INTEGER PRIMARY KEY,
    member_id  INTEGER NOT NULL REFERENCES member(id),
    status     TEXT NOT NULL,
    valid_from TEXT NOT NULL,
    valid_to   TEXT,
    reason     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX member_status_member ON member_status (member_id, valid_from);

-- kind: 'home' (exactly one at a time) or 'temporary' (host cell while away).
CREATE TABLE member_placement (
    id         INTEGER PRIMARY KEY,
    member_id  INTEGER NOT NULL REFERENCES member(id),
    org_id     INTEGER NOT NULL REFERENCES org(id),
    kind       TEXT NOT NULL,
    valid_from TEXT NOT NULL,
    valid_to   TEXT,
    note       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX member_placement_org ON member_placement (org_id, kind, valid_from);
CREATE INDEX member_placement_member ON member_placement (member_id, valid_from);

CREATE TABLE app_user (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    display_name  TEXT NOT NULL,
    member_id     INTEGER REFERENCES member(id),
    disabled      BOOLEAN NOT NULL DEFAULT FALSE,
    CONSTRAINT app_user_username_key UNIQUE (username)
);

CREATE TABLE role_grant (
    id      INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES app_user(id),
    role    TEXT NOT NULL,
    org_id  INTEGER NOT NULL REFERENCES org(id),
    CONSTRAINT role_grant_key UNIQUE (user_id, role, org_id)
);

CREATE TABLE api_token (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES app_user(id),
    token_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    CONSTRAINT api_token_hash_key UNIQUE (token_hash)
);

-- Every write, with the state before and after (JSON text).
CREATE TABLE audit_log (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    user_id   INTEGER REFERENCES app_user(id),
    username  TEXT NOT NULL,
    action    TEXT NOT NULL,
    entity    TEXT NOT NULL,
    entity_id INTEGER NOT NULL,
    org_id    INTEGER REFERENCES org(id),
    summary   TEXT NOT NULL,
    before    TEXT,
    after     TEXT
);
CREATE INDEX audit_log_org ON audit_log (org_id, id);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id, id);
