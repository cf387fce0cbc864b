-- Each meeting keeps its roll-call totals, written with the roll call, so
-- attendance statistics sum one row per meeting instead of one per member
-- convened (16 rows a meeting on average).
ALTER TABLE meeting ADD COLUMN present_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE meeting ADD COLUMN convened_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE meeting ADD COLUMN speaker_count INTEGER NOT NULL DEFAULT 0;

UPDATE meeting SET present_count = t.present, convened_count = t.convened, speaker_count = t.speakers
FROM (
    SELECT meeting_id,
           SUM(CASE WHEN presence = 'present' THEN 1 ELSE 0 END) AS present,
           SUM(CASE WHEN presence <> 'exempt' THEN 1 ELSE 0 END) AS convened,
           SUM(CASE WHEN presence = 'present' AND spoke THEN 1 ELSE 0 END) AS speakers
    FROM attendance GROUP BY meeting_id
) t
WHERE meeting.id = t.meeting_id;
