-- Quizzes: a question bank per course, the settings of each quiz lesson,
-- and learners' attempts.
--
-- Versioning. The bank (quiz_questions) belongs to the course and is edited
-- in place by whoever may edit the course's lessons. A quiz lesson's
-- settings (quiz_settings) belong to the lesson row, and lessons are per
-- version: opening a draft copies the published version's settings onto the
-- draft's lessons (storage's copyVersion, matched by lesson key), and
-- publishing freezes them: the publish transaction fills `questions` with a
-- snapshot of the chosen questions as they are at that moment (the bank's
-- ids kept, so statistics follow a question across versions). A published
-- version's quiz is read from its snapshot only, so a later bank edit
-- changes the next version, never a published one; a trigger refuses any
-- change to a frozen row. Quiz lessons published before this migration are
-- frozen here with no questions (their bank was empty); a new version
-- brings questions to them.
-- +goose Up
CREATE TABLE quiz_questions (
    id             bigserial PRIMARY KEY,
    course_id      bigint NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    kind           text NOT NULL CHECK (kind IN ('single', 'multiple', 'true_false', 'numeric')),
    prompt_md      text NOT NULL CHECK (length(prompt_md) BETWEEN 1 AND 5000),
    -- Choice kinds: the options' texts, and the indexes of the right ones.
    options        jsonb NOT NULL DEFAULT '[]',
    correct        jsonb NOT NULL DEFAULT '[]',
    -- true_false: the right answer.
    answer_bool    boolean,
    -- numeric: the right answer, accepted within ± tolerance.
    answer_num     double precision,
    tolerance      double precision NOT NULL DEFAULT 0 CHECK (tolerance >= 0),
    explanation_md text NOT NULL DEFAULT '' CHECK (length(explanation_md) <= 5000),
    position       integer NOT NULL CHECK (position > 0),
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    CHECK ((kind = 'true_false') = (answer_bool IS NOT NULL)),
    CHECK ((kind = 'numeric') = (answer_num IS NOT NULL))
);
CREATE INDEX quiz_questions_course_idx ON quiz_questions (course_id, position);

CREATE TABLE quiz_settings (
    lesson_id         bigint PRIMARY KEY REFERENCES lessons (id) ON DELETE CASCADE,
    version_id        bigint NOT NULL REFERENCES course_versions (id) ON DELETE CASCADE,
    pass_percent      smallint NOT NULL DEFAULT 70 CHECK (pass_percent BETWEEN 0 AND 100),
    attempt_limit     smallint CHECK (attempt_limit > 0),          -- NULL: unlimited
    time_limit_s      integer CHECK (time_limit_s BETWEEN 30 AND 86400), -- NULL: untimed
    shuffle_questions boolean NOT NULL DEFAULT false,
    shuffle_options   boolean NOT NULL DEFAULT false,
    question_ids      jsonb,    -- a JSON array of bank ids; NULL: the whole bank
    -- The frozen snapshot (a JSON array of quiz_questions rows), written
    -- when the version is published; NULL while it is a draft.
    questions         jsonb,
    frozen_at         timestamptz,
    CHECK ((questions IS NULL) = (frozen_at IS NULL))
);
CREATE INDEX quiz_settings_version_idx ON quiz_settings (version_id);

-- +goose StatementBegin
CREATE FUNCTION refuse_frozen_quiz_change() RETURNS trigger AS $$
BEGIN
    IF OLD.frozen_at IS NOT NULL THEN
        RAISE EXCEPTION 'the quiz of a published course version is frozen'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd
CREATE TRIGGER quiz_settings_frozen BEFORE UPDATE OR DELETE ON quiz_settings
    FOR EACH ROW EXECUTE FUNCTION refuse_frozen_quiz_change();

INSERT INTO quiz_settings (lesson_id, version_id, questions, frozen_at)
SELECT l.id, l.version_id, '[]', now() FROM lessons l JOIN course_versions v ON v.id = l.version_id
WHERE l.kind = 'quiz' AND v.number IS NOT NULL;

-- Attempts. `layout` is what the learner was shown, fixed at start: the
-- questions in their (possibly shuffled) order, each with its options'
-- order ([{"q": question id, "o": [original option indexes in shown
-- order]}]); answers refer to shown positions and are mapped back through
-- it. Scores are percentages; `results` keeps right/wrong per question for
-- the statistics. At most one open attempt per enrolment and lesson;
-- `number` counts attempts against the limit (unique, so two concurrent
-- starts cannot both take the last one).
CREATE TABLE quiz_attempts (
    id             bigserial PRIMARY KEY,
    enrolment_id   bigint NOT NULL REFERENCES enrolments (id),
    lesson_id      bigint NOT NULL REFERENCES lessons (id),
    number         smallint NOT NULL CHECK (number > 0),
    started_at     timestamptz NOT NULL,
    deadline       timestamptz,
    submitted_at   timestamptz,
    layout         jsonb NOT NULL,
    answers        jsonb,
    results        jsonb,
    correct_count  integer,
    question_count integer NOT NULL,
    score          numeric(5,2) CHECK (score BETWEEN 0 AND 100),
    passed         boolean,
    late           boolean NOT NULL DEFAULT false,
    UNIQUE (enrolment_id, lesson_id, number),
    CHECK ((submitted_at IS NULL) = (score IS NULL)),
    CHECK ((submitted_at IS NULL) = (passed IS NULL))
);
CREATE UNIQUE INDEX quiz_attempts_one_open ON quiz_attempts (enrolment_id, lesson_id) WHERE submitted_at IS NULL;
CREATE INDEX quiz_attempts_lesson_idx ON quiz_attempts (lesson_id) WHERE submitted_at IS NOT NULL;

-- +goose Down
DROP TABLE quiz_attempts;
DROP TABLE quiz_settings;
DROP FUNCTION refuse_frozen_quiz_change();
DROP TABLE quiz_questions;
