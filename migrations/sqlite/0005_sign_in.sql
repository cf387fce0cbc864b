-- Sign-in hardening (issue 9). `session_epoch` is copied into a session at
-- sign-in; raising it ends every session of the account at once (the session
-- rows hold serialized data and cannot be found by user).
ALTER TABLE app_user ADD COLUMN session_epoch INTEGER NOT NULL DEFAULT 0;

-- Recent failed sign-ins, shared by every instance, that slow down guessing
-- per account and per client address. `at_secs` is Unix seconds so both
-- databases compare it as a number. Rows older than a day are purged.
CREATE TABLE login_failure (
    id       INTEGER PRIMARY KEY,
    at_secs  INTEGER NOT NULL,
    username TEXT NOT NULL,
    client   TEXT NOT NULL
);
CREATE INDEX login_failure_username ON login_failure (username, at_secs);
CREATE INDEX login_failure_client ON login_failure (client, at_secs);
CREATE INDEX login_failure_at ON login_failure (at_secs);
