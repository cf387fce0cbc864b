-- What a signed-in request reads about its caller (grants, the member's cell
-- and status, follow placements, dissolution dates of the grants' nodes) is
-- kept per process and checked on every request against this one counter
-- (service::caller_cache, docs/scale-out.md). Every change to those rows
-- raises it, in the changing transaction, whatever code path makes it: the
-- triggers below (once per statement where a statement may touch many rows).
-- Meeting, minutes and evaluation writes do not touch it.
CREATE TABLE caller_epoch (
    id SMALLINT PRIMARY KEY CHECK (id = 1),
    n  BIGINT NOT NULL
);
INSERT INTO caller_epoch (id, n) VALUES (1, 0);

CREATE FUNCTION bump_caller_epoch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE caller_epoch SET n = n + 1 WHERE id = 1;
    RETURN NULL;
END
$$;

CREATE TRIGGER role_grant_caller AFTER INSERT OR UPDATE OR DELETE ON role_grant
FOR EACH STATEMENT EXECUTE FUNCTION bump_caller_epoch();

CREATE TRIGGER member_caller_upd AFTER UPDATE OF status, cell_id ON member
FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.cell_id IS DISTINCT FROM NEW.cell_id)
EXECUTE FUNCTION bump_caller_epoch();
CREATE TRIGGER member_caller_del AFTER DELETE ON member
FOR EACH STATEMENT EXECUTE FUNCTION bump_caller_epoch();

CREATE TRIGGER follower_caller AFTER INSERT OR UPDATE OR DELETE ON follower
FOR EACH STATEMENT EXECUTE FUNCTION bump_caller_epoch();

CREATE TRIGGER org_caller_upd AFTER UPDATE OF dissolved_on ON org
FOR EACH ROW WHEN (OLD.dissolved_on IS DISTINCT FROM NEW.dissolved_on)
EXECUTE FUNCTION bump_caller_epoch();
CREATE TRIGGER org_caller_del AFTER DELETE ON org
FOR EACH STATEMENT EXECUTE FUNCTION bump_caller_epoch();
