-- A member's citizen identity number (số định danh cá nhân, printed on the
-- CCCD card): 12 digits, optional, unique among members (docs/rules.md
-- "Số CCCD"). Searchable by exact match through the unique index.
ALTER TABLE member ADD COLUMN citizen_id TEXT;
CREATE UNIQUE INDEX member_citizen_id_key ON member (citizen_id);
