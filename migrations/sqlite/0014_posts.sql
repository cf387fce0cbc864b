-- Posts held in a cell or a base committee, with dates (issue 10; docs/rules.md
-- "Posts in a cell"): who is Bí thư, Phó Bí thư, Chi ủy viên of a cell, or
-- Bí thư, Phó Bí thư, Ủy viên Ban Thường vụ, Đảng ủy viên of a committee,
-- from which day, until which day (`valid_to`: first day no longer held;
-- NULL: still held), by which decision. Documents and figures read the post
-- held on the meeting's day, never the accounts' grants of today.
CREATE TABLE post (
    id         INTEGER PRIMARY KEY,
    org_id     INTEGER NOT NULL REFERENCES org(id),
    member_id  INTEGER NOT NULL REFERENCES member(id),
    kind       TEXT NOT NULL,
    valid_from TEXT NOT NULL,
    valid_to   TEXT,
    decision   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX post_org ON post (org_id, valid_from);
CREATE INDEX post_member ON post (member_id, valid_from);

-- Whether each follower of a cell attended a meeting they should have
-- (issue 11; docs/rules.md "Followers attend their cells' meetings"),
-- recorded with the roll call.
CREATE TABLE follower_attendance (
    meeting_id INTEGER NOT NULL REFERENCES meeting(id),
    member_id  INTEGER NOT NULL REFERENCES member(id),
    present    BOOLEAN NOT NULL,
    CONSTRAINT follower_attendance_pkey PRIMARY KEY (meeting_id, member_id)
);
CREATE INDEX follower_attendance_member ON follower_attendance (member_id);

-- Until now a cell's secretary and deputy were read from the accounts'
-- grants. Each such grant whose account has a member in that cell becomes a
-- post held since the cell was created, so existing documents keep their
-- signers: one secretary per cell (the earliest grant), any deputies.
INSERT INTO post (org_id, member_id, kind, valid_from, decision)
SELECT g.org_id, u.member_id, 'cell_secretary', o.created_on, ''
FROM role_grant g
JOIN app_user u ON u.id = g.user_id
JOIN member m ON m.id = u.member_id AND m.cell_id = g.org_id
JOIN org o ON o.id = g.org_id
WHERE g.role = 'secretary' AND NOT u.disabled
  AND g.id = (SELECT MIN(g2.id) FROM role_grant g2
              JOIN app_user u2 ON u2.id = g2.user_id
              JOIN member m2 ON m2.id = u2.member_id AND m2.cell_id = g2.org_id
              WHERE g2.role = 'secretary' AND g2.org_id = g.org_id AND NOT u2.disabled);

INSERT INTO post (org_id, member_id, kind, valid_from, decision)
SELECT g.org_id, u.member_id, 'cell_deputy', o.created_on, ''
FROM role_grant g
JOIN app_user u ON u.id = g.user_id
JOIN member m ON m.id = u.member_id AND m.cell_id = g.org_id
JOIN org o ON o.id = g.org_id
WHERE g.role = 'deputy' AND NOT u.disabled
  AND NOT EXISTS (SELECT 1 FROM post p WHERE p.org_id = g.org_id AND p.member_id = u.member_id);
