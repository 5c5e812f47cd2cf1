-- Self check-in (domain/attendance/checkin.go).
--
-- checkin_keys      a session's check-in secret, drawn once when a teacher
--                   first opens the session's code; the code of every 30-s
--                   step is an HMAC under it, so no rotation is written.
-- checkin_attempts  the check-in attempts counted per learner (scope
--                   'person') and per session (scope 'session') in fixed
--                   10-minute windows: the guessing limits hold across
--                   restarts and instances. A successful check-in gives its
--                   attempt back; windows older than a day are deleted as
--                   new ones are counted.
-- +goose Up
CREATE TABLE checkin_keys (
    session_id bigint PRIMARY KEY REFERENCES class_sessions (id) ON DELETE CASCADE,
    secret     bytea NOT NULL CHECK (length(secret) = 32),
    created_by bigint REFERENCES people (id),
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE checkin_attempts (
    scope        text NOT NULL CHECK (scope IN ('person', 'session')),
    subject_id   bigint NOT NULL,
    window_start timestamptz NOT NULL,
    attempts     integer NOT NULL DEFAULT 0,
    PRIMARY KEY (scope, subject_id, window_start)
);
CREATE INDEX checkin_attempts_window_idx ON checkin_attempts (window_start);
-- A learner's attempt reads the keys of the last two days (a session is open
-- from 15 minutes before its start until its end, within a day).
CREATE INDEX checkin_keys_created_idx ON checkin_keys (created_at);

-- +goose Down
DROP TABLE checkin_attempts;
DROP TABLE checkin_keys;
