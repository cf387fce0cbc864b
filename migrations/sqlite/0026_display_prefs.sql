-- Each account's reading preferences (docs/rules.md "Reading preferences"):
-- larger text and higher contrast for elderly members, kept per user so a
-- shared phone or a new one shows the same pages.
ALTER TABLE app_user ADD COLUMN large_text BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE app_user ADD COLUMN high_contrast BOOLEAN NOT NULL DEFAULT FALSE;
