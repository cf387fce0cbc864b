-- Urgent issues (việc cấp bách) a base organization registers to solve in a
-- year, its monthly progress, and the upper level's assessment (Kim Sơn
-- practice, seed 003; docs/rules.md "Urgent issues (việc cấp bách)").
CREATE TABLE urgent_issue (
    id                 INTEGER PRIMARY KEY,
    org_id             INTEGER NOT NULL REFERENCES org(id),
    year               INTEGER NOT NULL,
    title              TEXT NOT NULL,
    field              TEXT NOT NULL,
    target             TEXT NOT NULL,
    deadline           TEXT,
    -- From the latest monthly report: not_started | in_progress | done.
    status             TEXT NOT NULL DEFAULT 'not_started',
    percent            INTEGER,
    -- The upper level's: good | done | not_done.
    assessment         TEXT,
    assessment_comment TEXT NOT NULL DEFAULT '',
    assessed_by        INTEGER REFERENCES org(id),
    assessed_on        TEXT,
    created_on         TEXT NOT NULL
);
CREATE INDEX urgent_issue_org_year ON urgent_issue (org_id, year);

CREATE TABLE urgent_progress (
    id          INTEGER PRIMARY KEY,
    issue_id    INTEGER NOT NULL REFERENCES urgent_issue(id),
    month       INTEGER NOT NULL,
    body        TEXT NOT NULL,
    status      TEXT NOT NULL,
    percent     INTEGER,
    reported_on TEXT NOT NULL,
    CONSTRAINT urgent_progress_month_key UNIQUE (issue_id, month)
);
