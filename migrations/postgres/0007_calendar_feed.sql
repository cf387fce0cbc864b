-- A member's private calendar address: a secret token in the URL that a
-- phone's calendar app can subscribe to without signing in. Only its SHA-256
-- is kept; a new address replaces the old one (revoking it).
CREATE TABLE calendar_feed (
    member_id  BIGINT PRIMARY KEY REFERENCES member(id),
    token_hash TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    CONSTRAINT calendar_feed_hash_key UNIQUE (token_hash)
);
