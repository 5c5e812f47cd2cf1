-- Progress of an enrolment, one row per lesson (never a row per heartbeat).
--
-- The player sends batches of events (open, heartbeat, complete); storage
-- merges each batch into these rows with ONE statement (INSERT … ON CONFLICT
-- DO UPDATE) whose every column is a commutative, idempotent merge, so that a
-- batch sent twice, or batches arriving out of order, leave the same state:
--   opened_at        LEAST      (the first time the lesson was seen open)
--   last_at          GREATEST   (the latest event time, the client's clock)
--   last_position_s  the position of the latest event (ties: the greatest)
--   time_spent_s     GREATEST   (the client sends its cumulative time)
--   duration_s       GREATEST
--   watched          multirange union of the seconds really played
--   completed_at     LEAST of the marks; a video is complete once the union
--                    of its played ranges covers the threshold share of its
--                    duration (never from a seek: a seek plays nothing).
-- The row keeps the lesson's key (stable across versions, so progress can
-- follow a course to its next version) and the lesson of the enrolled
-- version it was recorded for. Positions and times are whole seconds.
--
-- 00018 amended: the learner's enrolments are listed by person.
-- +goose Up
CREATE INDEX enrolments_person_idx ON enrolments (person_id, enrolled_at DESC);

CREATE TABLE lesson_progress (
    enrolment_id    bigint NOT NULL REFERENCES enrolments (id) ON DELETE CASCADE,
    lesson_key      uuid NOT NULL,
    lesson_id       bigint NOT NULL REFERENCES lessons (id),
    opened_at       timestamptz NOT NULL,
    last_at         timestamptz NOT NULL,
    completed_at    timestamptz,
    time_spent_s    integer NOT NULL DEFAULT 0 CHECK (time_spent_s >= 0),
    last_position_s integer NOT NULL DEFAULT 0 CHECK (last_position_s >= 0),
    duration_s      integer CHECK (duration_s > 0),
    watched         int4multirange NOT NULL DEFAULT '{}',
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (enrolment_id, lesson_key),
    CHECK (duration_s IS NULL OR last_position_s <= duration_s),
    CHECK (opened_at <= last_at)
);

-- The seconds a multirange covers (the played share's numerator).
-- +goose StatementBegin
CREATE FUNCTION multirange_seconds(m int4multirange) RETURNS integer
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN (SELECT coalesce(sum(upper(r) - lower(r)), 0)::integer FROM unnest(m) AS r);
-- +goose StatementEnd

-- +goose Down
DROP TABLE lesson_progress;
DROP FUNCTION multirange_seconds(int4multirange);
DROP INDEX enrolments_person_idx;
