-- Practices of the seeds the meeting cycle lacked (issue 10, point 8;
-- docs/rules.md "A committee sets one meeting day for its cells",
-- "The cell committee agrees the content first", "Attendance and speaking of
-- members without a post and of new members").

-- A committee's meeting day for every cell below it, from a date on: kept as
-- dated rows (never edited), so a past plan is explained by the row in force.
CREATE TABLE meeting_day_policy (
    id             INTEGER PRIMARY KEY,
    org_id         INTEGER NOT NULL REFERENCES org(id),
    effective_from TEXT NOT NULL,
    day_of_month   INTEGER NOT NULL,
    start_time     TEXT,
    cells_keep_own BOOLEAN NOT NULL DEFAULT FALSE,
    set_at         TEXT NOT NULL,
    username       TEXT NOT NULL,
    CONSTRAINT meeting_day_policy_key UNIQUE (org_id, effective_from),
    CONSTRAINT meeting_day_policy_day CHECK (day_of_month BETWEEN 1 AND 28)
);

-- The cell committee (or secretary and deputy) agreed the meeting's content.
CREATE TABLE content_agreement (
    meeting_id  INTEGER PRIMARY KEY REFERENCES meeting(id),
    agreed_on   TEXT NOT NULL,
    username    TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);

-- Roll-call totals of a group of members ('no_post', 'new'), written with the
-- roll call as it stood then, so statistics sum one row a group and meeting.
CREATE TABLE attendance_group (
    meeting_id INTEGER NOT NULL REFERENCES meeting(id),
    grp        TEXT NOT NULL,
    convened   INTEGER NOT NULL,
    present    INTEGER NOT NULL,
    speakers   INTEGER NOT NULL,
    CONSTRAINT attendance_group_pkey PRIMARY KEY (meeting_id, grp)
);

-- Rollups stored before the groups existed lack their figures.
DELETE FROM stats_rollup;
