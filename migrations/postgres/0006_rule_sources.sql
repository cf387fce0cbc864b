-- Each meeting rule cites its real source, and the notice window its own:
-- the 1–2-day notice is Bản Hon commune's practice, not in Hướng dẫn 12 or 42
-- (docs/rules.md "Notice of a meeting"). Sources name regulations, never a file.
ALTER TABLE meeting_rule ADD COLUMN notice_source TEXT NOT NULL DEFAULT '';
UPDATE meeting_rule SET source = 'Hướng dẫn 12-HD/BTCTW (06/7/2018)',
    notice_source = 'Thực tiễn của Đảng ủy xã Bản Hon (Lai Châu): thông báo trước 1–2 ngày'
    WHERE effective_from = '2018-07-06';
UPDATE meeting_rule SET source = 'Hướng dẫn 42-HD/BTCTW (28/10/2025)',
    notice_source = 'Thực tiễn của Đảng ủy xã Bản Hon (Lai Châu): thông báo trước 1–2 ngày'
    WHERE effective_from = '2025-10-28';
