-- Statistics rollups (issue #5): the figures of a branch node's subtree, kept
-- so that a province or the national root is answered from a few rows instead
-- of rescanning every member and meeting below it.
--
-- `stats_epoch` counts the changes under a node. Every audited write bumps the
-- epoch of the node it touches and of every node that was ever its ancestor
-- (any version of the tree), in the write's own transaction. A rollup row is
-- valid while its `epoch` equals the node's current epoch and its `stamp`
-- (the dates the figures depend on) matches the request.
CREATE TABLE stats_epoch (
    org_id INTEGER PRIMARY KEY REFERENCES org(id),
    epoch  INTEGER NOT NULL
);

CREATE TABLE stats_rollup (
    org_id INTEGER NOT NULL REFERENCES org(id),
    -- 'org:day', 'org:<month end>' or 'meet:<year>'
    family TEXT NOT NULL,
    stamp  TEXT NOT NULL,
    epoch  INTEGER NOT NULL,
    -- JSON object metric -> count
    body   TEXT NOT NULL,
    PRIMARY KEY (org_id, family)
);
