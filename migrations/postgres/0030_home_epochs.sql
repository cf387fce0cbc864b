-- The caller cache (service::caller_cache) also keeps the latest rows of the
-- caller's grant nodes, shown on the home page: any change to a node's row
-- or versions (a rename, a move, a merge) raises the caller epoch too, in the
-- changing transaction. Tree edits are rare; meeting writes do not touch it.
CREATE TRIGGER org_version_caller AFTER INSERT OR UPDATE OR DELETE ON org_version
FOR EACH STATEMENT EXECUTE FUNCTION bump_caller_epoch();

DROP TRIGGER org_caller_upd ON org;
CREATE TRIGGER org_caller_upd AFTER UPDATE ON org
FOR EACH STATEMENT EXECUTE FUNCTION bump_caller_epoch();

-- The member home page (service::home_cache) is kept per process and used
-- while the caller epoch, the member's cell's statistics epoch (raised by
-- every audited write in the cell: meetings, documents) and this per-member
-- counter are unchanged. The counter is raised by every change to the rows
-- the page reads about the member alone: notifications (and their reading),
-- tasks, posts and supervision rounds, whatever code path makes it. Once per
-- statement, members in id order so concurrent writers lock rows in one order.
CREATE TABLE member_epoch (
    member_id BIGINT PRIMARY KEY,
    n         BIGINT NOT NULL
);

CREATE FUNCTION bump_member_epoch_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO member_epoch (member_id, n)
    SELECT DISTINCT x.member_id, 1 FROM (SELECT member_id FROM new_rows) x WHERE x.member_id IS NOT NULL ORDER BY 1
    ON CONFLICT (member_id) DO UPDATE SET n = member_epoch.n + 1;
    RETURN NULL;
END
$$;

CREATE FUNCTION bump_member_epoch_old() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO member_epoch (member_id, n)
    SELECT DISTINCT x.member_id, 1 FROM (SELECT member_id FROM old_rows) x WHERE x.member_id IS NOT NULL ORDER BY 1
    ON CONFLICT (member_id) DO UPDATE SET n = member_epoch.n + 1;
    RETURN NULL;
END
$$;

CREATE FUNCTION bump_member_epoch_both() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO member_epoch (member_id, n)
    SELECT DISTINCT x.member_id, 1 FROM (SELECT member_id FROM old_rows UNION SELECT member_id FROM new_rows) x WHERE x.member_id IS NOT NULL ORDER BY 1
    ON CONFLICT (member_id) DO UPDATE SET n = member_epoch.n + 1;
    RETURN NULL;
END
$$;

CREATE FUNCTION bump_member_epoch_round() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO member_epoch (member_id, n)
    SELECT DISTINCT x.member_id, 1 FROM (SELECT c.member_id FROM new_rows r JOIN round_cadre c ON c.round_id = r.id) x WHERE x.member_id IS NOT NULL ORDER BY 1
    ON CONFLICT (member_id) DO UPDATE SET n = member_epoch.n + 1;
    RETURN NULL;
END
$$;

CREATE TRIGGER notification_home_ins AFTER INSERT ON notification REFERENCING NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION bump_member_epoch_new();
CREATE TRIGGER notification_home_upd AFTER UPDATE ON notification REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION bump_member_epoch_both();
CREATE TRIGGER notification_home_del AFTER DELETE ON notification REFERENCING OLD TABLE AS old_rows
FOR EACH STATEMENT EXECUTE FUNCTION bump_member_epoch_old();

CREATE TRIGGER task_home_ins AFTER INSERT ON task REFERENCING NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION bump_member_epoch_new();
CREATE TRIGGER task_home_upd AFTER UPDATE ON task REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION bump_member_epoch_both();
CREATE TRIGGER task_home_del AFTER DELETE ON task REFERENCING OLD TABLE AS old_rows
FOR EACH STATEMENT EXECUTE FUNCTION bump_member_epoch_old();

CREATE TRIGGER post_home_ins AFTER INSERT ON post REFERENCING NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION bump_member_epoch_new();
CREATE TRIGGER post_home_upd AFTER UPDATE ON post REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION bump_member_epoch_both();
CREATE TRIGGER post_home_del AFTER DELETE ON post REFERENCING OLD TABLE AS old_rows
FOR EACH STATEMENT EXECUTE FUNCTION bump_member_epoch_old();

CREATE TRIGGER round_cadre_home_ins AFTER INSERT ON round_cadre REFERENCING NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION bump_member_epoch_new();
CREATE TRIGGER round_cadre_home_upd AFTER UPDATE ON round_cadre REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION bump_member_epoch_both();
CREATE TRIGGER round_cadre_home_del AFTER DELETE ON round_cadre REFERENCING OLD TABLE AS old_rows
FOR EACH STATEMENT EXECUTE FUNCTION bump_member_epoch_old();

CREATE TRIGGER supervision_round_home_upd AFTER UPDATE ON supervision_round REFERENCING NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION bump_member_epoch_round();
