-- Recommendations (kiến nghị) raised by a cell, at one of its meetings or
-- after a visit, routed to the level that can answer, assigned, answered,
-- and reported back to the cell (docs/rules.md "Recommendations (kiến
-- nghị)"). `visit_id` points at the upper-level visits (dự sinh hoạt) that
-- another part of chibo records; it has no foreign key until that table
-- exists. `raised_year`/`raised_quarter` are written from `raised_on` in Rust
-- so that counts per period group without date functions (one SQL text for
-- both databases).
CREATE TABLE recommendation (
    id                  INTEGER PRIMARY KEY,
    cell_id             INTEGER NOT NULL REFERENCES org(id),
    source              TEXT NOT NULL,
    meeting_id          INTEGER REFERENCES meeting(id),
    raised_by           INTEGER REFERENCES member(id),
    visit_id            INTEGER,
    topic               TEXT NOT NULL,
    content             TEXT NOT NULL,
    raised_on           TEXT NOT NULL,
    raised_year         INTEGER NOT NULL,
    raised_quarter      INTEGER NOT NULL,
    status              TEXT NOT NULL,
    level_id            INTEGER REFERENCES org(id),
    sent_on             TEXT,
    assignee            TEXT NOT NULL DEFAULT '',
    deadline            TEXT,
    answer              TEXT NOT NULL DEFAULT '',
    answered_on         TEXT,
    reported_meeting_id INTEGER REFERENCES meeting(id),
    closed_reason       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX recommendation_cell ON recommendation (cell_id, raised_on);
CREATE INDEX recommendation_level ON recommendation (level_id, status);
CREATE INDEX recommendation_meeting ON recommendation (meeting_id);
