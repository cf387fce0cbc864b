-- What a signed-in request reads about its caller (grants, the member's cell
-- and status, follow placements, dissolution dates of the grants' nodes) is
-- kept per process and checked on every request against this one counter
-- (service::caller_cache, docs/scale-out.md). Every change to those rows
-- raises it, in the changing transaction, whatever code path makes it: the
-- triggers below. Meeting, minutes and evaluation writes do not touch it.
CREATE TABLE caller_epoch (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n  INTEGER NOT NULL
);
INSERT INTO caller_epoch (id, n) VALUES (1, 0);

CREATE TRIGGER role_grant_caller_ins AFTER INSERT ON role_grant
BEGIN UPDATE caller_epoch SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER role_grant_caller_upd AFTER UPDATE ON role_grant
BEGIN UPDATE caller_epoch SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER role_grant_caller_del AFTER DELETE ON role_grant
BEGIN UPDATE caller_epoch SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER member_caller_upd AFTER UPDATE OF status, cell_id ON member
WHEN OLD.status IS NOT NEW.status OR OLD.cell_id IS NOT NEW.cell_id
BEGIN UPDATE caller_epoch SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER member_caller_del AFTER DELETE ON member
BEGIN UPDATE caller_epoch SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER follower_caller_ins AFTER INSERT ON follower
BEGIN UPDATE caller_epoch SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER follower_caller_upd AFTER UPDATE ON follower
BEGIN UPDATE caller_epoch SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER follower_caller_del AFTER DELETE ON follower
BEGIN UPDATE caller_epoch SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER org_caller_upd AFTER UPDATE OF dissolved_on ON org
WHEN OLD.dissolved_on IS NOT NEW.dissolved_on
BEGIN UPDATE caller_epoch SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER org_caller_del AFTER DELETE ON org
BEGIN UPDATE caller_epoch SET n = n + 1 WHERE id = 1; END;
