-- Each kind of a cell's documents has its own number series per year
-- (docs/rules.md "Number series of a cell's documents"): minutes (BB) and
-- resolution (NQ) are numbered when signed, a notice (TB) when issued. A
-- number, once given, is kept and never given again: the counter only goes
-- up, and (org, year, kind, number) is unique.
CREATE TABLE document_counter (
    org_id      INTEGER NOT NULL REFERENCES org(id),
    year        INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    last_number INTEGER NOT NULL,
    CONSTRAINT document_counter_pkey PRIMARY KEY (org_id, year, kind)
);

CREATE TABLE document_number (
    id         INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meeting(id),
    org_id     INTEGER NOT NULL REFERENCES org(id),
    year       INTEGER NOT NULL,
    kind       TEXT NOT NULL,
    number     INTEGER NOT NULL,
    issued_on  TEXT NOT NULL,
    CONSTRAINT document_number_key UNIQUE (org_id, year, kind, number),
    CONSTRAINT document_number_meeting_key UNIQUE (meeting_id, kind)
);

-- The cell's own evaluation of the meeting (Tốt / Khá / Trung bình / Kém),
-- and the chair's post when the minutes were signed, which titles the
-- signature for good (docs/rules.md "Who signs and with which title").
ALTER TABLE meeting ADD COLUMN quality TEXT;
ALTER TABLE meeting ADD COLUMN chair_post TEXT;

-- Documents numbered before: the minutes and resolution of a signed meeting
-- both carried its one number; notices had none and get theirs in the order
-- they were sent.
INSERT INTO document_number (meeting_id, org_id, year, kind, number, issued_on)
SELECT id, org_id, CAST(substr(CAST(held_on AS TEXT), 1, 4) AS BIGINT), k.kind, number, held_on
FROM meeting CROSS JOIN (SELECT 'BB' AS kind UNION ALL SELECT 'NQ') k
WHERE signed_at IS NOT NULL AND number > 0;
INSERT INTO document_number (meeting_id, org_id, year, kind, number, issued_on)
SELECT id, org_id, y, 'TB', ROW_NUMBER() OVER (PARTITION BY org_id, y ORDER BY notice_sent_on, held_on, id), notice_sent_on
FROM (SELECT id, org_id, held_on, notice_sent_on, CAST(substr(CAST(notice_sent_on AS TEXT), 1, 4) AS BIGINT) AS y
      FROM meeting WHERE notice_sent_on IS NOT NULL) n;
INSERT INTO document_counter (org_id, year, kind, last_number)
SELECT org_id, year, kind, MAX(number) FROM document_number GROUP BY org_id, year, kind;
