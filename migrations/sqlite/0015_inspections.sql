-- Inspections of cells' meetings by their base committee every six months
-- (Hòa Bình agencies' bloc practice), and the follow-up of each shortcoming:
-- the cell answers what it did, a later inspection judges it fixed or not.
CREATE TABLE inspection (
    id         INTEGER PRIMARY KEY,
    org_id     INTEGER NOT NULL REFERENCES org(id),
    year       INTEGER NOT NULL,
    half       INTEGER NOT NULL,
    title      TEXT NOT NULL,
    created_on TEXT NOT NULL,
    CONSTRAINT inspection_period_key UNIQUE (org_id, year, half)
);

CREATE TABLE inspection_finding (
    id            INTEGER PRIMARY KEY,
    inspection_id INTEGER NOT NULL REFERENCES inspection(id),
    cell_id       INTEGER NOT NULL REFERENCES org(id),
    kind          TEXT NOT NULL,
    body          TEXT NOT NULL,
    deadline      TEXT,
    status        TEXT NOT NULL,
    answer        TEXT NOT NULL DEFAULT '',
    answered_on   TEXT,
    -- The later inspection that judged it fixed or not.
    verified_in   INTEGER REFERENCES inspection(id)
);
CREATE INDEX inspection_finding_inspection ON inspection_finding (inspection_id, cell_id);
CREATE INDEX inspection_finding_cell ON inspection_finding (cell_id, status);
