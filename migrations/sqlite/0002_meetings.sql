-- Meeting rules as versioned data (domain.md §4.5); a meeting is judged by
-- the version in force on its day.
CREATE TABLE meeting_rule (
    id                     INTEGER PRIMARY KEY,
    effective_from         TEXT NOT NULL,
    source                 TEXT NOT NULL,
    regular_per_year       INTEGER NOT NULL,
    thematic_per_quarter   INTEGER NOT NULL,
    ho_chi_minh_per_year   INTEGER NOT NULL,
    notice_min_days        INTEGER NOT NULL,
    notice_max_days        INTEGER NOT NULL,
    min_minutes            INTEGER,
    combined_min_minutes   INTEGER,
    docs_days_before       INTEGER,
    resolution_within_days INTEGER,
    CONSTRAINT meeting_rule_from_key UNIQUE (effective_from)
);
-- Hướng dẫn 12-HD/BTCTW (06/7/2018): monthly regular meetings, a thematic one
-- each quarter; notice 1–2 days ahead as practised (seed 002); one thematic
-- meeting a year on Ho Chi Minh (Chỉ thị 05-CT/TW).
INSERT INTO meeting_rule (effective_from, source, regular_per_year, thematic_per_quarter, ho_chi_minh_per_year,
    notice_min_days, notice_max_days, min_minutes, combined_min_minutes, docs_days_before, resolution_within_days)
VALUES ('2018-07-06', 'Hướng dẫn 12-HD/BTCTW (06/7/2018); domain.md §4.1–§4.2', 12, 1, 1, 1, 2, NULL, NULL, NULL, NULL);
-- Hướng dẫn 42-HD/BTCTW (28/10/2025): ≥ 90 minutes (120 combined), documents
-- ≥ 1 day ahead, resolution sent up within 2 days (domain.md §4.5).
INSERT INTO meeting_rule (effective_from, source, regular_per_year, thematic_per_quarter, ho_chi_minh_per_year,
    notice_min_days, notice_max_days, min_minutes, combined_min_minutes, docs_days_before, resolution_within_days)
VALUES ('2025-10-28', 'Hướng dẫn 42-HD/BTCTW (28/10/2025); domain.md §4.5', 12, 1, 1, 1, 2, 90, 120, 1, 2);

-- A cell's registered calendar: the day, time and place of its regular meeting.
CREATE TABLE cell_schedule (
    org_id       INTEGER PRIMARY KEY REFERENCES org(id),
    day_of_month INTEGER NOT NULL,
    start_time   TEXT NOT NULL,
    place        TEXT NOT NULL
);

CREATE TABLE meeting (
    id                 INTEGER PRIMARY KEY,
    org_id             INTEGER NOT NULL REFERENCES org(id),
    kind               TEXT NOT NULL,
    held_on            TEXT NOT NULL,
    start_time         TEXT NOT NULL,
    place              TEXT NOT NULL,
    topic              TEXT NOT NULL DEFAULT '',
    ho_chi_minh        BOOLEAN NOT NULL DEFAULT FALSE,
    status             TEXT NOT NULL,
    notice_sent_on     TEXT,
    docs_published_on  TEXT,
    resolution_sent_on TEXT,
    started_time       TEXT,
    ended_time         TEXT,
    chair_id           INTEGER REFERENCES member(id),
    recorder_id        INTEGER REFERENCES member(id),
    proceedings        TEXT NOT NULL DEFAULT '',
    conclusion         TEXT NOT NULL DEFAULT '',
    vote_for           INTEGER,
    vote_against       INTEGER,
    vote_abstain       INTEGER,
    resolution_title   TEXT NOT NULL DEFAULT '',
    resolution_text    TEXT NOT NULL DEFAULT '',
    number             INTEGER NOT NULL DEFAULT 0,
    signed_at          TEXT,
    signed_by          TEXT
);
CREATE INDEX meeting_org_day ON meeting (org_id, held_on);
CREATE INDEX meeting_day ON meeting (held_on);

CREATE TABLE meeting_move (
    id         INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meeting(id),
    from_on    TEXT NOT NULL,
    to_on      TEXT NOT NULL,
    reason     TEXT NOT NULL,
    at         TEXT NOT NULL,
    username   TEXT NOT NULL
);
CREATE INDEX meeting_move_meeting ON meeting_move (meeting_id);

CREATE TABLE agenda_item (
    id           INTEGER PRIMARY KEY,
    meeting_id   INTEGER NOT NULL REFERENCES meeting(id),
    position     INTEGER NOT NULL,
    title        TEXT NOT NULL,
    presenter_id INTEGER REFERENCES member(id)
);
CREATE INDEX agenda_item_meeting ON agenda_item (meeting_id, position);

CREATE TABLE meeting_document (
    id           INTEGER PRIMARY KEY,
    meeting_id   INTEGER NOT NULL REFERENCES meeting(id),
    filename     TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes   INTEGER NOT NULL,
    sha256       TEXT NOT NULL,
    data         BLOB NOT NULL,
    uploaded_at  TEXT NOT NULL
);
CREATE INDEX meeting_document_meeting ON meeting_document (meeting_id);

CREATE TABLE attendance (
    meeting_id INTEGER NOT NULL REFERENCES meeting(id),
    member_id  INTEGER NOT NULL REFERENCES member(id),
    presence   TEXT NOT NULL,
    reason     TEXT NOT NULL DEFAULT '',
    spoke      BOOLEAN NOT NULL DEFAULT FALSE,
    official   BOOLEAN NOT NULL DEFAULT FALSE,
    CONSTRAINT attendance_pkey PRIMARY KEY (meeting_id, member_id)
);
CREATE INDEX attendance_member ON attendance (member_id);

CREATE TABLE meeting_guest (
    id         INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meeting(id),
    name       TEXT NOT NULL,
    position   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX meeting_guest_meeting ON meeting_guest (meeting_id);

-- Corrections to signed minutes: recorded beside the original, never edits.
CREATE TABLE minutes_amendment (
    id         INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meeting(id),
    at         TEXT NOT NULL,
    username   TEXT NOT NULL,
    body       TEXT NOT NULL
);
CREATE INDEX minutes_amendment_meeting ON minutes_amendment (meeting_id);

-- Tasks of a resolution, one per member or group (domain.md §4.7).
CREATE TABLE task (
    id          INTEGER PRIMARY KEY,
    meeting_id  INTEGER NOT NULL REFERENCES meeting(id),
    member_id   INTEGER REFERENCES member(id),
    group_name  TEXT NOT NULL DEFAULT '',
    title       TEXT NOT NULL,
    deadline    TEXT,
    households  TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL,
    result      TEXT NOT NULL DEFAULT '',
    reviewed_in INTEGER REFERENCES meeting(id)
);
CREATE INDEX task_meeting ON task (meeting_id);
CREATE INDEX task_member_status ON task (member_id, status);

-- In-app notices to members.
CREATE TABLE notification (
    id         INTEGER PRIMARY KEY,
    member_id  INTEGER NOT NULL REFERENCES member(id),
    meeting_id INTEGER REFERENCES meeting(id),
    title      TEXT NOT NULL,
    created_at TEXT NOT NULL,
    read_at    TEXT
);
CREATE INDEX notification_member ON notification (member_id, id);
