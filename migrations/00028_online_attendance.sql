-- Online attendance (issue 12): what a learner of a class did online during
-- one of its online sessions, from which the attendance rule
-- (domain/attendance/online.go) derives a mark with source 'online'.
--
-- online_presence  one row per online session and class enrolment, written
--                  only while the session's window is open (from 15 minutes
--                  before its start until its end), on the server's clock:
--                  first_at  the first sign of the learner in the window
--                            (a progress batch of the class's lessons, or
--                            the join action);
--                  last_at   the latest such sign;
--                  seconds   time with the lessons open: each progress
--                            batch adds the time since last_at, at most one
--                            minute (the player reports every 15 s while it
--                            plays; a longer gap is time away);
--                  joined_at the learner opened the session's meeting link
--                            through Đèn Sách (the join action);
--                  completed_at a lesson of the class's course was first
--                            completed in the window.
-- Nothing here is a mark: the rule reads these facts and writes through
-- attendance_mark_batch like the register and the check-in.
-- +goose Up
CREATE TABLE online_presence (
    session_id   bigint NOT NULL REFERENCES class_sessions (id) ON DELETE CASCADE,
    enrolment_id bigint NOT NULL REFERENCES enrolments (id) ON DELETE CASCADE,
    first_at     timestamptz NOT NULL,
    last_at      timestamptz NOT NULL,
    seconds      integer NOT NULL DEFAULT 0 CHECK (seconds >= 0),
    joined_at    timestamptz,
    completed_at timestamptz,
    PRIMARY KEY (session_id, enrolment_id),
    CHECK (first_at <= last_at)
);
CREATE INDEX online_presence_enrolment_idx ON online_presence (enrolment_id);
-- A progress batch looks for the online sessions of the enrolment's class
-- whose window holds now.
CREATE INDEX class_sessions_online_idx ON class_sessions (class_id, ends_at) WHERE mode = 'online' AND status = 'scheduled';

-- +goose Down
DROP INDEX class_sessions_online_idx;
DROP TABLE online_presence;
