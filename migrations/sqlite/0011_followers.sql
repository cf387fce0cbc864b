-- Who follows whom: a committee places its members and cadres to follow a
-- cell or base organization in its subtree (cấp ủy viên phụ trách, cán bộ
-- theo dõi), for a period. The follower is told of the cell's meetings
-- (Hướng dẫn 42-HD/BTCTW, 28/10/2025) and reads them. `valid_to` is the
-- first day no longer followed (NULL: still following).
CREATE TABLE follower (
    id         INTEGER PRIMARY KEY,
    org_id     INTEGER NOT NULL REFERENCES org(id),
    member_id  INTEGER NOT NULL REFERENCES member(id),
    kind       TEXT NOT NULL,
    valid_from TEXT NOT NULL,
    valid_to   TEXT
);
CREATE INDEX follower_org ON follower (org_id, valid_from);
CREATE INDEX follower_member ON follower (member_id, valid_from);
