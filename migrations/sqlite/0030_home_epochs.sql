-- The caller cache (service::caller_cache) also keeps the latest rows of the
-- caller's grant nodes, shown on the home page: any change to a node's row
-- or versions (a rename, a move, a merge) raises the caller epoch too, in the
-- changing transaction. Tree edits are rare; meeting writes do not touch it.
CREATE TRIGGER org_version_caller_ins AFTER INSERT ON org_version
BEGIN UPDATE caller_epoch SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER org_version_caller_upd AFTER UPDATE ON org_version
BEGIN UPDATE caller_epoch SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER org_version_caller_del AFTER DELETE ON org_version
BEGIN UPDATE caller_epoch SET n = n + 1 WHERE id = 1; END;

DROP TRIGGER org_caller_upd;
CREATE TRIGGER org_caller_upd AFTER UPDATE ON org
BEGIN UPDATE caller_epoch SET n = n + 1 WHERE id = 1; END;

-- The member home page (service::home_cache) is kept per process and used
-- while the caller epoch, the member's cell's statistics epoch (raised by
-- every audited write in the cell: meetings, documents) and this per-member
-- counter are unchanged. The counter is raised by every change to the rows
-- the page reads about the member alone: notifications (and their reading),
-- tasks, posts and supervision rounds, whatever code path makes it.
CREATE TABLE member_epoch (
    member_id INTEGER PRIMARY KEY,
    n         INTEGER NOT NULL
);

CREATE TRIGGER notification_home_ins AFTER INSERT ON notification
BEGIN
    INSERT INTO member_epoch (member_id, n) SELECT NEW.member_id, 1 WHERE NEW.member_id IS NOT NULL
    ON CONFLICT (member_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER notification_home_upd AFTER UPDATE ON notification
BEGIN
    INSERT INTO member_epoch (member_id, n) SELECT OLD.member_id, 1 WHERE OLD.member_id IS NOT NULL
    ON CONFLICT (member_id) DO UPDATE SET n = n + 1;
    INSERT INTO member_epoch (member_id, n) SELECT NEW.member_id, 1 WHERE NEW.member_id IS NOT NULL
    ON CONFLICT (member_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER notification_home_del AFTER DELETE ON notification
BEGIN
    INSERT INTO member_epoch (member_id, n) SELECT OLD.member_id, 1 WHERE OLD.member_id IS NOT NULL
    ON CONFLICT (member_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER task_home_ins AFTER INSERT ON task
BEGIN
    INSERT INTO member_epoch (member_id, n) SELECT NEW.member_id, 1 WHERE NEW.member_id IS NOT NULL
    ON CONFLICT (member_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER task_home_upd AFTER UPDATE ON task
BEGIN
    INSERT INTO member_epoch (member_id, n) SELECT OLD.member_id, 1 WHERE OLD.member_id IS NOT NULL
    ON CONFLICT (member_id) DO UPDATE SET n = n + 1;
    INSERT INTO member_epoch (member_id, n) SELECT NEW.member_id, 1 WHERE NEW.member_id IS NOT NULL
    ON CONFLICT (member_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER task_home_del AFTER DELETE ON task
BEGIN
    INSERT INTO member_epoch (member_id, n) SELECT OLD.member_id, 1 WHERE OLD.member_id IS NOT NULL
    ON CONFLICT (member_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER post_home_ins AFTER INSERT ON post
BEGIN
    INSERT INTO member_epoch (member_id, n) SELECT NEW.member_id, 1 WHERE NEW.member_id IS NOT NULL
    ON CONFLICT (member_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER post_home_upd AFTER UPDATE ON post
BEGIN
    INSERT INTO member_epoch (member_id, n) SELECT OLD.member_id, 1 WHERE OLD.member_id IS NOT NULL
    ON CONFLICT (member_id) DO UPDATE SET n = n + 1;
    INSERT INTO member_epoch (member_id, n) SELECT NEW.member_id, 1 WHERE NEW.member_id IS NOT NULL
    ON CONFLICT (member_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER post_home_del AFTER DELETE ON post
BEGIN
    INSERT INTO member_epoch (member_id, n) SELECT OLD.member_id, 1 WHERE OLD.member_id IS NOT NULL
    ON CONFLICT (member_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER round_cadre_home_ins AFTER INSERT ON round_cadre
BEGIN
    INSERT INTO member_epoch (member_id, n) SELECT NEW.member_id, 1 WHERE NEW.member_id IS NOT NULL
    ON CONFLICT (member_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER round_cadre_home_upd AFTER UPDATE ON round_cadre
BEGIN
    INSERT INTO member_epoch (member_id, n) SELECT OLD.member_id, 1 WHERE OLD.member_id IS NOT NULL
    ON CONFLICT (member_id) DO UPDATE SET n = n + 1;
    INSERT INTO member_epoch (member_id, n) SELECT NEW.member_id, 1 WHERE NEW.member_id IS NOT NULL
    ON CONFLICT (member_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER round_cadre_home_del AFTER DELETE ON round_cadre
BEGIN
    INSERT INTO member_epoch (member_id, n) SELECT OLD.member_id, 1 WHERE OLD.member_id IS NOT NULL
    ON CONFLICT (member_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER supervision_round_home_upd AFTER UPDATE ON supervision_round
BEGIN
    INSERT INTO member_epoch (member_id, n) SELECT member_id, 1 FROM round_cadre WHERE round_id = NEW.id
    ON CONFLICT (member_id) DO UPDATE SET n = n + 1;
END;
