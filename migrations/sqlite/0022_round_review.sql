-- The review conference a committee holds after a round, before its
-- conclusion notice (docs/rules.md "Conclusion of a supervision round"):
-- its day and what the cadres reported and proposed.
ALTER TABLE round_conclusion ADD COLUMN review_on TEXT;
ALTER TABLE round_conclusion ADD COLUMN review_notes TEXT NOT NULL DEFAULT '';
