-- Conclusion notice of a supervision round (docs/rules.md "Conclusion of a
-- supervision round"): one per round, a draft its planners edit, then issued
-- with a number in the committee's TB series and kept as issued.
CREATE TABLE round_conclusion (
    id           INTEGER PRIMARY KEY,
    round_id     INTEGER NOT NULL REFERENCES supervision_round(id),
    opening      TEXT NOT NULL,
    did_well     TEXT NOT NULL,
    shortcomings TEXT NOT NULL,
    closing      TEXT NOT NULL,
    deadline     TEXT NOT NULL,
    number       INTEGER,
    issued_on    TEXT,
    updated_at   TEXT NOT NULL,
    CONSTRAINT round_conclusion_key UNIQUE (round_id)
);

-- Each shortcoming of an issued conclusion is followed up like an
-- inspection's: a finding now comes from an inspection or from a round, and
-- a later round of the same committee may judge it (verified_round).
-- SQLite cannot drop NOT NULL in place: the table is rebuilt.
CREATE TABLE inspection_finding_new (
    id             INTEGER PRIMARY KEY,
    inspection_id  INTEGER REFERENCES inspection(id),
    cell_id        INTEGER NOT NULL REFERENCES org(id),
    kind           TEXT NOT NULL,
    body           TEXT NOT NULL,
    deadline       TEXT,
    status         TEXT NOT NULL,
    answer         TEXT NOT NULL DEFAULT '',
    answered_on    TEXT,
    verified_in    INTEGER REFERENCES inspection(id),
    round_id       INTEGER REFERENCES supervision_round(id),
    verified_round INTEGER REFERENCES supervision_round(id),
    CONSTRAINT inspection_finding_source CHECK ((inspection_id IS NULL) <> (round_id IS NULL))
);
INSERT INTO inspection_finding_new (id, inspection_id, cell_id, kind, body, deadline, status, answer, answered_on, verified_in)
    SELECT id, inspection_id, cell_id, kind, body, deadline, status, answer, answered_on, verified_in FROM inspection_finding;
DROP TABLE inspection_finding;
ALTER TABLE inspection_finding_new RENAME TO inspection_finding;
CREATE INDEX inspection_finding_inspection ON inspection_finding (inspection_id, cell_id);
CREATE INDEX inspection_finding_cell ON inspection_finding (cell_id, status);
CREATE INDEX inspection_finding_round ON inspection_finding (round_id);
