-- Supervision rounds and unannounced visits (docs/rules.md "Supervision
-- rounds and unannounced visits"): a committee sends cadres to attend the
-- regular meetings of cells in its subtree; each cadre picks a registered
-- meeting, unannounced. Every row hangs off the round (its committee), never
-- off the visited cell, so nothing of a visit reaches the cell's users or
-- its base organization's staff until the meeting has taken place.
CREATE TABLE supervision_round (
    id         INTEGER PRIMARY KEY,
    org_id     INTEGER NOT NULL REFERENCES org(id),
    scope_id   INTEGER NOT NULL REFERENCES org(id),
    name       TEXT NOT NULL,
    purpose    TEXT NOT NULL DEFAULT '',
    starts_on  TEXT NOT NULL,
    ends_on    TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX supervision_round_org ON supervision_round (org_id, starts_on);

CREATE TABLE round_cadre (
    id        INTEGER PRIMARY KEY,
    round_id  INTEGER NOT NULL REFERENCES supervision_round(id),
    member_id INTEGER NOT NULL REFERENCES member(id),
    position  TEXT NOT NULL DEFAULT '',
    CONSTRAINT round_cadre_key UNIQUE (round_id, member_id)
);
CREATE INDEX round_cadre_member ON round_cadre (member_id);

-- A visit: one cadre of a round at one meeting, with its introduction letter
-- (numbered in the committee's GGT series), the cadre's report once filed
-- and the briefing the cadre brings (one document).
CREATE TABLE visit (
    id              INTEGER PRIMARY KEY,
    round_id        INTEGER NOT NULL REFERENCES supervision_round(id),
    member_id       INTEGER NOT NULL REFERENCES member(id),
    meeting_id      INTEGER NOT NULL REFERENCES meeting(id),
    letter_number   INTEGER NOT NULL,
    letter_on       TEXT NOT NULL,
    reported_at     TEXT,
    on_time         BOOLEAN,
    started_time    TEXT,
    procedure_kept  TEXT,
    present         INTEGER,
    convened        INTEGER,
    quality         TEXT,
    fixes           TEXT NOT NULL DEFAULT '',
    briefing_name   TEXT,
    briefing_type   TEXT,
    briefing_sha256 TEXT,
    briefing_data   BLOB,
    CONSTRAINT visit_key UNIQUE (round_id, member_id, meeting_id)
);
CREATE INDEX visit_meeting ON visit (meeting_id);

-- What members raised at the visited meeting, one row a line: each may
-- become a recommendation (kiến nghị) followed up later.
CREATE TABLE visit_raised (
    id       INTEGER PRIMARY KEY,
    visit_id INTEGER NOT NULL REFERENCES visit(id),
    position INTEGER NOT NULL,
    line     TEXT NOT NULL
);
CREATE INDEX visit_raised_visit ON visit_raised (visit_id, position);
