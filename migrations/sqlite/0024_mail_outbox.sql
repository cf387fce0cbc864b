-- Mail goes through a durable outbox (docs/rules.md "Mail goes through a
-- durable outbox"): one row per message, written in the transaction of the
-- notice (or of the reminder), sent by the worker, retried with backoff.
CREATE TABLE mail_outbox (
    id              INTEGER PRIMARY KEY,
    meeting_id      INTEGER NOT NULL REFERENCES meeting(id),
    member_id       INTEGER NOT NULL REFERENCES member(id),
    kind            TEXT NOT NULL CHECK (kind IN ('notice', 'reminder')),
    to_address      TEXT NOT NULL,
    to_name         TEXT NOT NULL,
    subject         TEXT NOT NULL,
    body            TEXT NOT NULL,
    -- The calendar invitation as it stood when the message was queued.
    ics             TEXT,
    state           TEXT NOT NULL DEFAULT 'queued'
                    CHECK (state IN ('queued', 'sending', 'sent', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    -- queued: the next attempt; sending: the end of the worker's lease.
    next_attempt_at TEXT NOT NULL,
    last_error      TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    sent_at         TEXT
);
-- The worker's claim: due rows of the two live states, oldest first.
CREATE INDEX mail_outbox_due ON mail_outbox (state, next_attempt_at);
-- The meeting page's delivery list.
CREATE INDEX mail_outbox_meeting ON mail_outbox (meeting_id, kind, id);
-- A member is reminded of a meeting once.
CREATE UNIQUE INDEX mail_outbox_reminder_once ON mail_outbox (meeting_id, member_id)
    WHERE kind = 'reminder';
-- Whether a member opened the notice of a meeting (the reminder's question).
CREATE INDEX notification_meeting ON notification (meeting_id, member_id);
