-- Targets and indicators (chỉ tiêu) a node tracks: baseline, yearly targets,
-- actuals by period, optionally owned by a thematic resolution; training of
-- members counted per year (docs/rules.md "Targets and indicators",
-- "Training of members"). Targets and actuals are appended: a correction is
-- a new row, the latest one counts, earlier ones stay as history. Formalism
-- signals are computed from the meeting tables and stored nowhere.
CREATE TABLE indicator (
    id                    INTEGER PRIMARY KEY,
    org_id                INTEGER NOT NULL REFERENCES org(id),
    code                  TEXT NOT NULL,
    name                  TEXT NOT NULL,
    -- count | percent | amount
    unit                  TEXT NOT NULL,
    measure               TEXT NOT NULL DEFAULT '',
    baseline              DOUBLE PRECISION NOT NULL,
    baseline_numerator    DOUBLE PRECISION,
    baseline_denominator  DOUBLE PRECISION,
    baseline_on           TEXT NOT NULL,
    -- The thematic meeting whose signed resolution owns it, or a document reference.
    resolution_meeting_id INTEGER REFERENCES meeting(id),
    resolution_ref        TEXT NOT NULL DEFAULT '',
    created_on            TEXT NOT NULL,
    CONSTRAINT indicator_org_code_key UNIQUE (org_id, code)
);
CREATE INDEX indicator_code ON indicator (code, org_id);

CREATE TABLE indicator_target (
    id           INTEGER PRIMARY KEY,
    indicator_id INTEGER NOT NULL REFERENCES indicator(id),
    year         INTEGER NOT NULL,
    value        DOUBLE PRECISION NOT NULL,
    recorded_at  TEXT NOT NULL,
    username     TEXT NOT NULL
);
CREATE INDEX indicator_target_indicator ON indicator_target (indicator_id, year, id);

CREATE TABLE indicator_actual (
    id           INTEGER PRIMARY KEY,
    indicator_id INTEGER NOT NULL REFERENCES indicator(id),
    year         INTEGER NOT NULL,
    -- 0 with months 12: the year; 1-4 with months 3: a quarter; 1-12 with months 1: a month.
    part         INTEGER NOT NULL,
    months       INTEGER NOT NULL,
    value        DOUBLE PRECISION NOT NULL,
    numerator    DOUBLE PRECISION,
    denominator  DOUBLE PRECISION,
    recorded_at  TEXT NOT NULL,
    username     TEXT NOT NULL
);
CREATE INDEX indicator_actual_indicator ON indicator_actual (indicator_id, year, id);

CREATE TABLE training_record (
    id          INTEGER PRIMARY KEY,
    org_id      INTEGER NOT NULL REFERENCES org(id),
    member_id   INTEGER NOT NULL REFERENCES member(id),
    course      TEXT NOT NULL,
    -- political_theory_intermediate | political_theory_advanced | party_work | other
    level       TEXT NOT NULL,
    year        INTEGER NOT NULL,
    started_on  TEXT,
    ended_on    TEXT,
    recorded_at TEXT NOT NULL,
    username    TEXT NOT NULL
);
CREATE INDEX training_record_org_year ON training_record (org_id, year);
CREATE INDEX training_record_member ON training_record (member_id);

-- Admissions per year are counted from member.admitted_on.
CREATE INDEX member_admitted ON member (admitted_on);
-- Signals read a subtree's held meetings by day, and their tasks by meeting.
CREATE INDEX task_reviewed_in ON task (reviewed_in);
