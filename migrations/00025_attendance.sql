-- Attendance: one mark per learner (class enrolment) and session.
--
-- attendance_weights  per centre, what each status counts for in the rate
--                     (defaults present 1, late 1, excused 0, absent 0); a
--                     centre without a row uses the defaults.
-- attendance_marks    the current mark: status, note, where it came from
--                     (manual: the teacher's register; checkin: the learner
--                     checked in; online: the online-learning data), a
--                     version bumped on every change (optimistic concurrency:
--                     a client sends the version it saw), who marked it,
--                     when, from which device.
-- attendance_events   every change of a mark: who, when, from what to what,
--                     from which device. Never updated.
--
-- attendance_mark_batch applies a whole session's batch in ONE statement
-- (one round trip, one transaction): it locks the session row, so two
-- teachers marking the same session at once are serialized, then reads the
-- facts with a fresh snapshot, and writes only when every gate holds (the
-- caller may mark the session, it is not cancelled, it starts before the
-- limit, every learner is enrolled, no mark is stale). It always returns the
-- facts, from which the domain names the refusal. The rules themselves are
-- the domain's (domain/attendance); this function is their storage.
-- +goose Up
CREATE TABLE attendance_weights (
    centre_id  bigint PRIMARY KEY REFERENCES centres (id),
    present    numeric(3, 2) NOT NULL DEFAULT 1 CHECK (present BETWEEN 0 AND 1),
    late       numeric(3, 2) NOT NULL DEFAULT 1 CHECK (late BETWEEN 0 AND 1),
    excused    numeric(3, 2) NOT NULL DEFAULT 0 CHECK (excused BETWEEN 0 AND 1),
    absent     numeric(3, 2) NOT NULL DEFAULT 0 CHECK (absent BETWEEN 0 AND 1),
    updated_by bigint REFERENCES people (id),
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE attendance_marks (
    session_id   bigint NOT NULL REFERENCES class_sessions (id),
    enrolment_id bigint NOT NULL REFERENCES enrolments (id),
    person_id    bigint NOT NULL REFERENCES people (id),
    status       text NOT NULL CHECK (status IN ('present', 'late', 'excused', 'absent')),
    note         text NOT NULL DEFAULT '' CHECK (length(note) <= 500),
    source       text NOT NULL DEFAULT 'manual' CHECK (source IN ('manual', 'checkin', 'online')),
    version      integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    marked_by    bigint REFERENCES people (id), -- NULL: the system (online-learning data)
    marked_at    timestamptz NOT NULL DEFAULT now(),
    device       text NOT NULL DEFAULT '' CHECK (length(device) <= 200),
    PRIMARY KEY (session_id, enrolment_id)
);
CREATE INDEX attendance_marks_enrolment_idx ON attendance_marks (enrolment_id);

CREATE TABLE attendance_events (
    id           bigserial PRIMARY KEY,
    session_id   bigint NOT NULL REFERENCES class_sessions (id),
    enrolment_id bigint NOT NULL REFERENCES enrolments (id),
    version      integer NOT NULL,
    from_status  text, -- NULL: the first mark
    to_status    text NOT NULL,
    from_note    text,
    to_note      text NOT NULL,
    source       text NOT NULL,
    by_id        bigint REFERENCES people (id),
    at           timestamptz NOT NULL DEFAULT now(),
    device       text NOT NULL DEFAULT ''
);
CREATE INDEX attendance_events_mark_idx ON attendance_events (session_id, enrolment_id, id);

-- attendance_mark_batch: p_rows is a JSON array of
-- {"person_id", "status", "note", "version"} (version: the one the client
-- saw, 0 for a learner it saw unmarked). The caller's authority is
-- p_all (administrator), p_centres (centres it manages) and p_person (a
-- teacher of the session or of its class). Returns one JSON document:
-- {"found", "class_id", "centre_id", "status", "starts_at", "allowed",
--  "applied", "rows": [{"n", "person_id", "enrolment_id", "status", "note",
--  "version", "source", "marked_by", "marked_at", "device", "outcome"}]}
-- where outcome is one of not_enrolled, conflict, unchanged, changed.
-- +goose StatementBegin
CREATE FUNCTION attendance_mark_batch(
    p_session bigint, p_rows jsonb, p_all boolean, p_centres bigint[], p_person bigint,
    p_until timestamptz, p_source text, p_device text,
    p_key_account bigint, p_key_method text, p_key_path text, p_key text
) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
    s record;
    allowed boolean;
    ok boolean;
    batch jsonb;
    bad integer;
    applied jsonb := '{}';
    out_rows jsonb;
BEGIN
    SELECT cs.id, cs.class_id, cs.status, cs.starts_at, cs.teacher_id, c.centre_id
        INTO s
        FROM class_sessions cs JOIN classes c ON c.id = cs.class_id
        WHERE cs.id = p_session
        FOR UPDATE OF cs;
    IF NOT FOUND THEN
        RETURN jsonb_build_object('found', false);
    END IF;
    allowed := p_all OR s.centre_id = ANY (p_centres) OR s.teacher_id = p_person
        OR EXISTS (SELECT 1 FROM class_teachers t WHERE t.class_id = s.class_id AND t.person_id = p_person);

    -- The batch against the current marks: each statement of this function
    -- takes a fresh snapshot, so this one sees what a concurrent batch that
    -- held the session's lock committed. cur is the current mark.
    SELECT coalesce(jsonb_agg(jsonb_build_object('n', x.n, 'person_id', x.person_id, 'status', x.status, 'note', x.note,
            'enrolment_id', x.enrolment_id, 'cur', x.cur, 'outcome', x.outcome) ORDER BY x.n), '[]'::jsonb),
           count(*) FILTER (WHERE x.outcome IN ('not_enrolled', 'conflict'))
        INTO batch, bad
        FROM (
            SELECT r.n, r.person_id, r.status, coalesce(r.note, '') AS note, e.id AS enrolment_id,
                CASE WHEN m.status IS NOT NULL THEN jsonb_build_object('status', m.status, 'note', m.note, 'version', m.version,
                    'source', m.source, 'marked_by', m.marked_by, 'marked_at', m.marked_at, 'device', m.device) END AS cur,
                CASE
                    WHEN e.id IS NULL THEN 'not_enrolled'
                    WHEN m.status IS NOT DISTINCT FROM r.status AND m.note IS NOT DISTINCT FROM coalesce(r.note, '') THEN 'unchanged'
                    WHEN coalesce(m.version, 0) <> coalesce(r.version, 0) THEN 'conflict'
                    ELSE 'changed'
                END AS outcome
            FROM ROWS FROM (jsonb_to_recordset(p_rows) AS (person_id bigint, status text, note text, version integer)) WITH ORDINALITY
                AS r (person_id, status, note, version, n)
            LEFT JOIN enrolments e ON e.class_id = s.class_id AND e.person_id = r.person_id AND e.status IN ('active', 'completed')
            LEFT JOIN attendance_marks m ON m.session_id = s.id AND m.enrolment_id = e.id
        ) x;

    ok := allowed AND s.status = 'scheduled' AND s.starts_at < p_until AND bad = 0;
    IF ok THEN
        WITH b AS (
            SELECT * FROM jsonb_to_recordset(batch) AS (person_id bigint, status text, note text, enrolment_id bigint, cur jsonb, outcome text)
            WHERE outcome = 'changed'
        ), up AS (
            INSERT INTO attendance_marks AS m (session_id, enrolment_id, person_id, status, note, source, version, marked_by, marked_at, device)
            SELECT s.id, b.enrolment_id, b.person_id, b.status, b.note, p_source, 1, nullif(p_person, 0), now(), p_device
            FROM b
            ON CONFLICT (session_id, enrolment_id) DO UPDATE SET
                status = EXCLUDED.status, note = EXCLUDED.note, source = EXCLUDED.source, version = m.version + 1,
                marked_by = EXCLUDED.marked_by, marked_at = EXCLUDED.marked_at, device = EXCLUDED.device
            RETURNING m.enrolment_id, m.status, m.note, m.source, m.version, m.marked_by, m.marked_at, m.device
        ), ev AS (
            INSERT INTO attendance_events (session_id, enrolment_id, version, from_status, to_status, from_note, to_note, source, by_id, at, device)
            SELECT s.id, up.enrolment_id, up.version, b.cur ->> 'status', up.status, b.cur ->> 'note', up.note, up.source, up.marked_by, up.marked_at, up.device
            FROM up JOIN b ON b.enrolment_id = up.enrolment_id
        )
        SELECT coalesce(jsonb_object_agg(up.enrolment_id::text, jsonb_build_object('status', up.status, 'note', up.note, 'version', up.version,
                'source', up.source, 'marked_by', up.marked_by, 'marked_at', up.marked_at, 'device', up.device)), '{}'::jsonb)
            INTO applied FROM up;
        IF p_key IS NOT NULL THEN
            UPDATE idempotency_keys SET state = 'committed'
            WHERE account_id = p_key_account AND method = p_key_method AND path = p_key_path AND key = p_key AND state = 'pending';
        END IF;
    END IF;

    -- Every row with its mark as it now stands (none: no mark yet).
    SELECT coalesce(jsonb_agg(jsonb_build_object('n', b.n, 'person_id', b.person_id, 'enrolment_id', b.enrolment_id, 'outcome', b.outcome)
            || coalesce(applied -> b.enrolment_id::text, b.cur, '{}'::jsonb) ORDER BY b.n), '[]'::jsonb)
        INTO out_rows
        FROM jsonb_to_recordset(batch) AS b (n integer, person_id bigint, enrolment_id bigint, cur jsonb, outcome text);
    RETURN jsonb_build_object('found', true, 'class_id', s.class_id, 'centre_id', s.centre_id, 'status', s.status,
        'starts_at', s.starts_at, 'allowed', allowed, 'applied', ok, 'rows', out_rows);
END
$$;
-- +goose StatementEnd

-- +goose Down
DROP FUNCTION attendance_mark_batch(bigint, jsonb, boolean, bigint[], bigint, timestamptz, text, text, bigint, text, text, text);
DROP TABLE attendance_events;
DROP TABLE attendance_marks;
DROP TABLE attendance_weights;
