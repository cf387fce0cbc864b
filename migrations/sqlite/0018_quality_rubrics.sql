-- Quality rubrics (bộ tiêu chí): versioned point sheets a committee issues
-- for its subtree; a meeting's self-assessment and review; the monthly
-- scores of base organizations (docs/rules.md "Meeting quality levels",
-- "Local rubric example", "Kim Sơn monthly scoring").
CREATE TABLE rubric (
    id            INTEGER PRIMARY KEY,
    -- The issuing committee: the rubric applies to its subtree.
    org_id        INTEGER NOT NULL REFERENCES org(id),
    -- meeting | monthly
    purpose       TEXT NOT NULL,
    version       INTEGER NOT NULL,
    name          TEXT NOT NULL,
    -- draft | adopted; an adopted version never changes (but its valid_to,
    -- set when a later version is adopted).
    status        TEXT NOT NULL,
    -- domain::rubric::Definition as JSON.
    definition    TEXT NOT NULL,
    note          TEXT NOT NULL DEFAULT '',
    document      TEXT NOT NULL DEFAULT '',
    document_date TEXT,
    valid_from    TEXT,
    valid_to      TEXT,
    created_on    TEXT NOT NULL,
    adopted_on    TEXT,
    CONSTRAINT rubric_version_key UNIQUE (org_id, purpose, version)
);
CREATE INDEX rubric_in_force ON rubric (org_id, purpose, status, valid_from);

-- The organizations a draft was sent to for comments.
CREATE TABLE rubric_recipient (
    rubric_id INTEGER NOT NULL REFERENCES rubric(id),
    org_id    INTEGER NOT NULL REFERENCES org(id),
    CONSTRAINT rubric_recipient_pkey PRIMARY KEY (rubric_id, org_id)
);
CREATE INDEX rubric_recipient_org ON rubric_recipient (org_id);

CREATE TABLE rubric_comment (
    id         INTEGER PRIMARY KEY,
    rubric_id  INTEGER NOT NULL REFERENCES rubric(id),
    org_id     INTEGER NOT NULL REFERENCES org(id),
    username   TEXT NOT NULL,
    body       TEXT NOT NULL,
    created_on TEXT NOT NULL
);
CREATE INDEX rubric_comment_rubric ON rubric_comment (rubric_id, id);

-- A held meeting's grade: the cell's self-assessment, then the review by
-- its follower or the level above. Points in tenths.
CREATE TABLE meeting_assessment (
    id          INTEGER PRIMARY KEY,
    meeting_id  INTEGER NOT NULL REFERENCES meeting(id),
    -- self | review
    stage       TEXT NOT NULL,
    rubric_id   INTEGER NOT NULL REFERENCES rubric(id),
    answers     TEXT NOT NULL,
    metrics     TEXT NOT NULL,
    total_tenths INTEGER NOT NULL,
    level       TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    username    TEXT NOT NULL,
    assessed_on TEXT NOT NULL,
    CONSTRAINT meeting_assessment_stage_key UNIQUE (meeting_id, stage)
);
CREATE INDEX meeting_assessment_rubric ON meeting_assessment (rubric_id);

-- A base organization's score for a month under a rubric version: the
-- computed figures, the answers the committee's staff entered, with
-- their evidence. Points in tenths.
CREATE TABLE monthly_score (
    id            INTEGER PRIMARY KEY,
    org_id        INTEGER NOT NULL REFERENCES org(id),
    -- YYYY-MM
    month         TEXT NOT NULL,
    rubric_id     INTEGER NOT NULL REFERENCES rubric(id),
    -- The committee that ranks (the rubric's issuer).
    committee_id  INTEGER NOT NULL REFERENCES org(id),
    answers       TEXT NOT NULL,
    metrics       TEXT NOT NULL,
    evidence_note TEXT NOT NULL DEFAULT '',
    evidence_ref  TEXT NOT NULL DEFAULT '',
    total_tenths  INTEGER NOT NULL,
    level         TEXT NOT NULL,
    username      TEXT NOT NULL,
    scored_on     TEXT NOT NULL,
    CONSTRAINT monthly_score_key UNIQUE (org_id, month, rubric_id)
);
CREATE INDEX monthly_score_ranking ON monthly_score (committee_id, month, total_tenths);
CREATE INDEX monthly_score_rubric ON monthly_score (rubric_id);
