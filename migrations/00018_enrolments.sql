-- Enrolment: one concept for online courses and (later) scheduled classes.
-- A person is enrolled in a course at one of its versions (what they learn
-- and what their completion will refer to), either on their own (online
-- courses: class_id NULL) or in a class (class_id set, with the classes
-- issue: capacity, waitlists). Withdrawn enrolments stay, with their reason;
-- every change of status is kept in enrolment_events.
-- +goose Up
CREATE TABLE enrolments (
    id           bigserial PRIMARY KEY,
    person_id    bigint NOT NULL REFERENCES people (id),
    course_id    bigint NOT NULL REFERENCES courses (id),
    version_id   bigint NOT NULL REFERENCES course_versions (id),
    class_id     bigint, -- the classes issue adds its table and the foreign key
    status       text NOT NULL DEFAULT 'active'
                 CHECK (status IN ('active', 'waitlisted', 'withdrawn', 'completed')),
    source       text NOT NULL CHECK (source IN ('self', 'staff', 'import')),
    enrolled_by  bigint NOT NULL REFERENCES people (id),
    enrolled_at  timestamptz NOT NULL DEFAULT now(),
    -- waitlist order: the earliest waiting enrolment is promoted first
    waitlisted_at timestamptz,
    withdrawn_at timestamptz,
    withdrawn_reason text NOT NULL DEFAULT '' CHECK (length(withdrawn_reason) <= 500),
    completed_at timestamptz,
    updated_at   timestamptz NOT NULL DEFAULT now(),
    CHECK ((status = 'withdrawn') = (withdrawn_at IS NOT NULL)),
    CHECK ((status = 'waitlisted') <= (waitlisted_at IS NOT NULL))
);
-- One live enrolment per person in an online course, and per person in a class.
CREATE UNIQUE INDEX enrolments_online_live ON enrolments (person_id, course_id)
    WHERE class_id IS NULL AND status <> 'withdrawn';
CREATE UNIQUE INDEX enrolments_class_live ON enrolments (person_id, class_id)
    WHERE class_id IS NOT NULL AND status <> 'withdrawn';
CREATE INDEX enrolments_course_idx ON enrolments (course_id, status);
CREATE INDEX enrolments_class_idx ON enrolments (class_id, status, waitlisted_at) WHERE class_id IS NOT NULL;

CREATE TABLE enrolment_events (
    id           bigserial PRIMARY KEY,
    enrolment_id bigint NOT NULL REFERENCES enrolments (id),
    at           timestamptz NOT NULL DEFAULT now(),
    by_id        bigint REFERENCES people (id), -- NULL: the system (a waitlist promotion)
    status       text NOT NULL,
    reason       text NOT NULL DEFAULT ''
);
CREATE INDEX enrolment_events_enrolment_idx ON enrolment_events (enrolment_id, at);

-- +goose Down
DROP TABLE enrolment_events;
DROP TABLE enrolments;
