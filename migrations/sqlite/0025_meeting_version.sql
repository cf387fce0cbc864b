-- A meeting's version, raised by every write to its row or its roll call
-- (docs/rules.md "Offline recording and explicit conflicts"): a change
-- recorded offline carries the version it was based on, and the server
-- refuses it with both versions when the meeting changed meanwhile.
ALTER TABLE meeting ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
