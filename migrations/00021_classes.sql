-- Classes: a published course version offered at a centre, on a calendar.
--
-- venues          a centre's places (the centre itself, a village cultural
--                 house, a school, the commune hall) with their capacity and
--                 facilities.
-- teacher_shares  a centre's agreement that one of its teachers teaches for
--                 another centre (a shared teacher); recorded by a manager of
--                 the lending centre, revocable. A class may name a teacher
--                 of another centre only while such an agreement stands.
-- classes         the offering: course and its published version (frozen, so
--                 the class always teaches what it announced), mode, default
--                 venue, capacity, enrolment window, dates, completion
--                 threshold (attendance %), status.
-- class_teachers  the class's teachers; home_centre_id is the lending centre
--                 for a shared teacher (NULL: a teacher of the class's centre).
-- class_sessions  one meeting: an instant range (timestamptz, shown in
--                 Asia/Ho_Chi_Minh), in person at a venue or online with a
--                 meeting link, one teacher. Cancelled sessions stay (with
--                 their reason) and book nothing.
-- holidays        public holidays per province (editable data), seeded per
--                 year on demand from the solar and lunar rules (Tết, Giỗ Tổ
--                 Hùng Vương…); holiday_years remembers which years are
--                 seeded so that a holiday deleted by an officer stays deleted.
--
-- No double-booking is PostgreSQL's job: two exclusion constraints (btree_gist)
-- refuse a second non-cancelled session of the same venue or the same teacher
-- whose time range overlaps, so two managers booking at once cannot both
-- succeed, whatever the application checked before.
-- +goose Up
CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE venues (
    id          bigserial PRIMARY KEY,
    centre_id   bigint NOT NULL REFERENCES centres (id),
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    address     text NOT NULL DEFAULT '' CHECK (length(address) <= 500),
    capacity    integer NOT NULL CHECK (capacity BETWEEN 1 AND 10000),
    computers   integer NOT NULL DEFAULT 0 CHECK (computers BETWEEN 0 AND 10000),
    projector   boolean NOT NULL DEFAULT false,
    internet    boolean NOT NULL DEFAULT false,
    active      boolean NOT NULL DEFAULT true,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX venues_centre_name ON venues (centre_id, lower(name));

CREATE TABLE teacher_shares (
    id             bigserial PRIMARY KEY,
    person_id      bigint NOT NULL REFERENCES people (id),
    from_centre_id bigint NOT NULL REFERENCES centres (id),
    to_centre_id   bigint NOT NULL REFERENCES centres (id),
    note           text NOT NULL DEFAULT '' CHECK (length(note) <= 500),
    agreed_by      bigint NOT NULL REFERENCES people (id),
    agreed_at      timestamptz NOT NULL DEFAULT now(),
    revoked_by     bigint REFERENCES people (id),
    revoked_at     timestamptz,
    CHECK (from_centre_id <> to_centre_id)
);
CREATE UNIQUE INDEX teacher_shares_live ON teacher_shares (person_id, from_centre_id, to_centre_id) WHERE revoked_at IS NULL;
CREATE INDEX teacher_shares_to ON teacher_shares (to_centre_id) WHERE revoked_at IS NULL;

CREATE TABLE classes (
    id               bigserial PRIMARY KEY,
    centre_id        bigint NOT NULL REFERENCES centres (id),
    course_id        bigint NOT NULL REFERENCES courses (id),
    version_id       bigint NOT NULL REFERENCES course_versions (id),
    title            text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    mode             text NOT NULL CHECK (mode IN ('online', 'in_person', 'blended')),
    venue_id         bigint REFERENCES venues (id),
    capacity         integer NOT NULL CHECK (capacity BETWEEN 1 AND 10000),
    enrol_from       date,
    enrol_until      date,
    starts_on        date NOT NULL,
    ends_on          date NOT NULL,
    completion_pct   smallint NOT NULL DEFAULT 80 CHECK (completion_pct BETWEEN 0 AND 100),
    meeting_url      text NOT NULL DEFAULT '' CHECK (length(meeting_url) <= 500),
    status           text NOT NULL DEFAULT 'planned'
                     CHECK (status IN ('planned', 'open', 'running', 'finished', 'cancelled')),
    cancel_reason    text NOT NULL DEFAULT '' CHECK (length(cancel_reason) <= 500),
    created_by       bigint NOT NULL REFERENCES people (id),
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CHECK (ends_on >= starts_on),
    CHECK (enrol_until IS NULL OR enrol_from IS NULL OR enrol_until >= enrol_from)
);
CREATE INDEX classes_centre_idx ON classes (centre_id, starts_on);
CREATE INDEX classes_course_idx ON classes (course_id);

ALTER TABLE enrolments ADD CONSTRAINT enrolments_class_fk FOREIGN KEY (class_id) REFERENCES classes (id);

CREATE TABLE class_teachers (
    class_id       bigint NOT NULL REFERENCES classes (id) ON DELETE CASCADE,
    person_id      bigint NOT NULL REFERENCES people (id),
    home_centre_id bigint REFERENCES centres (id),
    position       smallint NOT NULL,
    PRIMARY KEY (class_id, person_id)
);
CREATE INDEX class_teachers_person_idx ON class_teachers (person_id);

CREATE TABLE class_sessions (
    id            bigserial PRIMARY KEY,
    class_id      bigint NOT NULL REFERENCES classes (id),
    starts_at     timestamptz NOT NULL,
    ends_at       timestamptz NOT NULL,
    during        tstzrange GENERATED ALWAYS AS (tstzrange(starts_at, ends_at, '[)')) STORED,
    mode          text NOT NULL CHECK (mode IN ('in_person', 'online')),
    venue_id      bigint REFERENCES venues (id),
    teacher_id    bigint REFERENCES people (id),
    meeting_url   text NOT NULL DEFAULT '' CHECK (length(meeting_url) <= 500),
    status        text NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'cancelled')),
    cancel_reason text NOT NULL DEFAULT '' CHECK (length(cancel_reason) <= 500),
    -- bumped on every change (the calendar feeds' SEQUENCE)
    sequence      integer NOT NULL DEFAULT 0,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CHECK (ends_at > starts_at),
    CHECK (ends_at - starts_at <= interval '12 hours'),
    CHECK (mode = 'online' OR venue_id IS NOT NULL),
    CHECK (mode = 'in_person' OR venue_id IS NULL),
    CHECK ((status = 'cancelled') = (cancel_reason <> '')),
    CONSTRAINT class_sessions_venue_free EXCLUDE USING gist (venue_id WITH =, during WITH &&)
        WHERE (status = 'scheduled' AND venue_id IS NOT NULL),
    CONSTRAINT class_sessions_teacher_free EXCLUDE USING gist (teacher_id WITH =, during WITH &&)
        WHERE (status = 'scheduled' AND teacher_id IS NOT NULL)
);
CREATE INDEX class_sessions_class_idx ON class_sessions (class_id, starts_at);
CREATE INDEX class_sessions_during_idx ON class_sessions USING gist (during);

CREATE TABLE holidays (
    id          bigserial PRIMARY KEY,
    province_id bigint NOT NULL REFERENCES units (id),
    day         date NOT NULL,
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    -- 'computed': seeded from the rules; 'manual': added by an officer
    source      text NOT NULL CHECK (source IN ('computed', 'manual')),
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX holidays_province_day ON holidays (province_id, day);

CREATE TABLE holiday_years (
    province_id bigint NOT NULL REFERENCES units (id),
    year        integer NOT NULL CHECK (year BETWEEN 1900 AND 2199),
    seeded_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (province_id, year)
);

-- +goose Down
DROP TABLE holiday_years;
DROP TABLE holidays;
DROP TABLE class_sessions;
DROP TABLE class_teachers;
ALTER TABLE enrolments DROP CONSTRAINT enrolments_class_fk;
DROP TABLE classes;
DROP TABLE teacher_shares;
DROP TABLE venues;
