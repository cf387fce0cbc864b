-- Which way an indicator improves: 'higher' (coverage, admissions) or
-- 'lower' (a poverty rate, violations) (docs/rules.md "Targets and
-- indicators", direction).
ALTER TABLE indicator ADD COLUMN direction TEXT NOT NULL DEFAULT 'higher';

-- Formalism signals counted per node and period, kept fresh like the
-- statistics rollups (docs/architecture.md "Formalism signals on the
-- dashboard"): a row is used only while `epoch` is the node's stats_epoch.
-- `span` is 'YYYY-MM-DD/YYYY-MM-DD'; `body` a JSON object rule -> count of
-- the signals of the node's own meetings and of the grades it decided.
CREATE TABLE signal_count (
    org_id INTEGER NOT NULL REFERENCES org(id),
    span   TEXT NOT NULL,
    epoch  INTEGER NOT NULL,
    name   TEXT NOT NULL,
    body   TEXT NOT NULL,
    PRIMARY KEY (org_id, span)
);
