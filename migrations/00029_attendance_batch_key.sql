-- Attendance: a keyed batch in ONE round trip and ONE commit (issue 12,
-- Speed). attendance_mark_batch takes the request's idempotency claim
-- (p_key_fp: the request's fingerprint; p_key_ttl, p_key_lease: how long
-- a key is kept and the lease of a pending claim, in seconds) and, in the
-- same transaction, does what the generic Idempotency-Key middleware did in
-- two more transactions:
--
-- * the claim, as postgres.ClaimIdempotencyKey: insert the key pending, or
--   take over a key older than its TTL or an abandoned pending claim of
--   the same request; when the key is held, answer {"replayed": <the stored
--   answer>} (completed, same fingerprint) or {"held": {state, fingerprint}}
--   and write nothing;
-- * the answer: when the batch is applied the key is completed with this
--   function's answer (status 200, content type
--   application/vnd.densach.attendance-batch+json: not the HTTP body, the
--   route renders the same HTTP answer from it on a replay); when it is
--   refused the key is deleted, as the middleware forgets the key of a
--   refused request. A key completed by the middleware before this
--   migration answers as one whose answer was lost (409, reload).
--
-- The answer is leaner: a row the statement wrote carries its version, not
-- the source, author, time and device that every written row shares (they
-- are given once, as "written"); building, storing and reading 40 full rows
-- was a good part of a batch's cost.
--
-- A keyed batch's key is therefore never left pending or committed: either
-- the transaction commits with marks, history and answer, or nothing of it
-- stays. Without p_key_fp, p_key still marks a key claimed by the
-- middleware committed, as 00027 did. Otherwise as 00027.
-- +goose Up
DROP FUNCTION attendance_mark_batch(bigint, json, boolean, bigint[], bigint, timestamptz, text, text, bigint, text, text, text);
-- +goose StatementBegin
CREATE FUNCTION attendance_mark_batch(
    p_session bigint, p_rows json, p_all boolean, p_centres bigint[], p_person bigint,
    p_until timestamptz, p_source text, p_device text,
    p_key_account bigint, p_key_method text, p_key_path text, p_key text,
    p_key_fp bytea, p_key_ttl double precision, p_key_lease double precision
) RETURNS json LANGUAGE plpgsql AS $$
DECLARE
    s record;
    allowed boolean;
    result json;
    k record;
    claimed boolean := false;
BEGIN
    -- The claim (p_key_fp given): as postgres.ClaimIdempotencyKey, in this
    -- transaction. A concurrent request with the same key waits here for
    -- the first one's commit, then finds its answer.
    IF p_key IS NOT NULL AND p_key_fp IS NOT NULL THEN
        FOR turn IN 1..3 LOOP
            INSERT INTO idempotency_keys AS ik (account_id, method, path, key, fingerprint)
            VALUES (p_key_account, p_key_method, p_key_path, p_key, p_key_fp)
            ON CONFLICT (account_id, method, path, key) DO UPDATE SET
                fingerprint = EXCLUDED.fingerprint, state = 'pending', created_at = now(), claimed_at = now(),
                status = NULL, content_type = NULL, body = NULL
            WHERE ik.created_at < now() - make_interval(secs => p_key_ttl)
                OR (ik.state = 'pending' AND ik.fingerprint = EXCLUDED.fingerprint
                    AND ik.claimed_at < now() - make_interval(secs => p_key_lease))
            RETURNING true INTO claimed;
            EXIT WHEN FOUND;
            SELECT ik.fingerprint, ik.state, ik.content_type, ik.body INTO k
                FROM idempotency_keys ik
                WHERE ik.account_id = p_key_account AND ik.method = p_key_method AND ik.path = p_key_path AND ik.key = p_key;
            IF FOUND THEN
                IF k.state = 'completed' AND k.fingerprint = p_key_fp AND k.content_type = 'application/vnd.densach.attendance-batch+json' THEN
                    RETURN json_build_object('replayed', convert_from(k.body, 'UTF8')::json);
                END IF;
                -- An answer stored by the middleware (before this
                -- migration) is not this function's: as lost.
                RETURN json_build_object('held', json_build_object(
                    'state', CASE WHEN k.state = 'completed' THEN 'committed' ELSE k.state END,
                    'fingerprint', encode(k.fingerprint, 'hex')));
            END IF;
            -- released between the insert and the read: claim again
        END LOOP;
        IF claimed IS NOT TRUE THEN
            RAISE EXCEPTION 'idempotency key released three times while claiming' USING ERRCODE = '40001';
        END IF;
    END IF;

    SELECT cs.id, cs.class_id, cs.status, cs.starts_at, cs.teacher_id, c.centre_id
        INTO s
        FROM class_sessions cs JOIN classes c ON c.id = cs.class_id
        WHERE cs.id = p_session
        FOR NO KEY UPDATE OF cs;
    IF NOT FOUND THEN
        IF claimed THEN
            DELETE FROM idempotency_keys
            WHERE account_id = p_key_account AND method = p_key_method AND path = p_key_path AND key = p_key;
        END IF;
        RETURN json_build_object('found', false);
    END IF;
    allowed := p_all OR s.centre_id = ANY (p_centres) OR s.teacher_id = p_person
        OR EXISTS (SELECT 1 FROM class_teachers t WHERE t.class_id = s.class_id AND t.person_id = p_person);

    WITH x AS (
        SELECT r.n, r.person_id, r.status, coalesce(r.note, '') AS note, e.id AS enrolment_id,
            m.status AS m_status, m.note AS m_note, m.version AS m_version, m.source AS m_source, m.marked_by AS m_marked_by,
            m.marked_at AS m_marked_at, m.device AS m_device,
            CASE
                WHEN e.id IS NULL THEN 'not_enrolled'
                WHEN m.status IS NOT DISTINCT FROM r.status AND m.note IS NOT DISTINCT FROM coalesce(r.note, '') THEN 'unchanged'
                WHEN coalesce(m.version, 0) <> coalesce(r.version, 0) THEN 'conflict'
                ELSE 'changed'
            END AS outcome
        FROM ROWS FROM (json_to_recordset(p_rows) AS (person_id bigint, status text, note text, version integer)) WITH ORDINALITY
            AS r (person_id, status, note, version, n)
        LEFT JOIN enrolments e ON e.class_id = s.class_id AND e.person_id = r.person_id AND e.status IN ('active', 'completed')
        LEFT JOIN attendance_marks m ON m.session_id = s.id AND m.enrolment_id = e.id
    ), g AS (
        SELECT allowed AND s.status = 'scheduled' AND s.starts_at < p_until
            AND NOT bool_or(x.outcome IN ('not_enrolled', 'conflict')) AS ok
        FROM x
    ), up AS (
        INSERT INTO attendance_marks AS m (session_id, enrolment_id, person_id, status, note, source, version, marked_by, marked_at, device)
        SELECT s.id, x.enrolment_id, x.person_id, x.status, x.note, p_source, 1, nullif(p_person, 0), now(), p_device
        FROM x, g
        WHERE g.ok AND x.outcome = 'changed'
        ON CONFLICT (session_id, enrolment_id) DO UPDATE SET
            status = EXCLUDED.status, note = EXCLUDED.note, source = EXCLUDED.source, version = m.version + 1,
            marked_by = EXCLUDED.marked_by, marked_at = EXCLUDED.marked_at, device = EXCLUDED.device
        RETURNING m.enrolment_id, m.status, m.note, m.source, m.version, m.marked_by, m.marked_at, m.device
    ), ev AS (
        INSERT INTO attendance_events (session_id, enrolment_id, version, from_status, to_status, from_note, to_note, source, by_id, at, device)
        SELECT s.id, up.enrolment_id, up.version, x.m_status, up.status, x.m_note, up.note, up.source, up.marked_by, up.marked_at, up.device
        FROM up JOIN x ON x.enrolment_id = up.enrolment_id
    ), k AS (
        UPDATE idempotency_keys SET state = 'committed'
        FROM g
        WHERE g.ok AND p_key IS NOT NULL AND p_key_fp IS NULL
            AND account_id = p_key_account AND method = p_key_method AND path = p_key_path AND key = p_key AND state = 'pending'
    )
    -- A written row names only its version: its status and note are the
    -- batch row's, its source, author, time and device are 'written' (the
    -- same for every row the statement writes).
    SELECT json_build_object('found', true, 'class_id', s.class_id, 'centre_id', s.centre_id, 'status', s.status,
            'starts_at', s.starts_at, 'allowed', allowed, 'applied', (SELECT ok FROM g),
            'written', json_build_object('source', p_source, 'marked_by', nullif(p_person, 0), 'marked_at', now(), 'device', p_device),
            'rows', coalesce(json_agg(CASE
                WHEN up.enrolment_id IS NOT NULL THEN json_build_object('n', x.n, 'person_id', x.person_id, 'enrolment_id', x.enrolment_id,
                    'outcome', x.outcome, 'status', x.status, 'note', x.note, 'version', up.version, 'written', true)
                WHEN x.m_status IS NOT NULL THEN json_build_object('n', x.n, 'person_id', x.person_id, 'enrolment_id', x.enrolment_id,
                    'outcome', x.outcome, 'status', x.m_status, 'note', x.m_note, 'version', x.m_version, 'source', x.m_source,
                    'marked_by', x.m_marked_by, 'marked_at', x.m_marked_at, 'device', x.m_device)
                ELSE json_build_object('n', x.n, 'person_id', x.person_id, 'enrolment_id', x.enrolment_id, 'outcome', x.outcome)
            END ORDER BY x.n), '[]'::json))
        INTO result
        FROM x LEFT JOIN up ON up.enrolment_id = x.enrolment_id;
    -- The claim's end: the answer stored for replay when the batch was
    -- applied (this function's answer, from which the route renders the
    -- same HTTP answer again), the key forgotten when it was refused.
    IF claimed THEN
        IF (result ->> 'applied')::boolean THEN
            UPDATE idempotency_keys SET state = 'completed', status = 200,
                content_type = 'application/vnd.densach.attendance-batch+json',
                body = convert_to(result::text, 'UTF8')
            WHERE account_id = p_key_account AND method = p_key_method AND path = p_key_path AND key = p_key;
        ELSE
            DELETE FROM idempotency_keys
            WHERE account_id = p_key_account AND method = p_key_method AND path = p_key_path AND key = p_key;
        END IF;
    END IF;
    RETURN result;
END
$$;
-- +goose StatementEnd

-- +goose Down
DROP FUNCTION attendance_mark_batch(bigint, json, boolean, bigint[], bigint, timestamptz, text, text, bigint, text, text, text, bytea, double precision, double precision);
-- +goose StatementBegin
CREATE FUNCTION attendance_mark_batch(
    p_session bigint, p_rows json, p_all boolean, p_centres bigint[], p_person bigint,
    p_until timestamptz, p_source text, p_device text,
    p_key_account bigint, p_key_method text, p_key_path text, p_key text
) RETURNS json LANGUAGE plpgsql AS $$
DECLARE
    s record;
    allowed boolean;
    result json;
BEGIN
    SELECT cs.id, cs.class_id, cs.status, cs.starts_at, cs.teacher_id, c.centre_id
        INTO s
        FROM class_sessions cs JOIN classes c ON c.id = cs.class_id
        WHERE cs.id = p_session
        FOR NO KEY UPDATE OF cs;
    IF NOT FOUND THEN
        RETURN json_build_object('found', false);
    END IF;
    allowed := p_all OR s.centre_id = ANY (p_centres) OR s.teacher_id = p_person
        OR EXISTS (SELECT 1 FROM class_teachers t WHERE t.class_id = s.class_id AND t.person_id = p_person);

    WITH x AS (
        SELECT r.n, r.person_id, r.status, coalesce(r.note, '') AS note, e.id AS enrolment_id,
            m.status AS m_status, m.note AS m_note, m.version AS m_version, m.source AS m_source, m.marked_by AS m_marked_by,
            m.marked_at AS m_marked_at, m.device AS m_device,
            CASE
                WHEN e.id IS NULL THEN 'not_enrolled'
                WHEN m.status IS NOT DISTINCT FROM r.status AND m.note IS NOT DISTINCT FROM coalesce(r.note, '') THEN 'unchanged'
                WHEN coalesce(m.version, 0) <> coalesce(r.version, 0) THEN 'conflict'
                ELSE 'changed'
            END AS outcome
        FROM ROWS FROM (json_to_recordset(p_rows) AS (person_id bigint, status text, note text, version integer)) WITH ORDINALITY
            AS r (person_id, status, note, version, n)
        LEFT JOIN enrolments e ON e.class_id = s.class_id AND e.person_id = r.person_id AND e.status IN ('active', 'completed')
        LEFT JOIN attendance_marks m ON m.session_id = s.id AND m.enrolment_id = e.id
    ), g AS (
        SELECT allowed AND s.status = 'scheduled' AND s.starts_at < p_until
            AND NOT bool_or(x.outcome IN ('not_enrolled', 'conflict')) AS ok
        FROM x
    ), up AS (
        INSERT INTO attendance_marks AS m (session_id, enrolment_id, person_id, status, note, source, version, marked_by, marked_at, device)
        SELECT s.id, x.enrolment_id, x.person_id, x.status, x.note, p_source, 1, nullif(p_person, 0), now(), p_device
        FROM x, g
        WHERE g.ok AND x.outcome = 'changed'
        ON CONFLICT (session_id, enrolment_id) DO UPDATE SET
            status = EXCLUDED.status, note = EXCLUDED.note, source = EXCLUDED.source, version = m.version + 1,
            marked_by = EXCLUDED.marked_by, marked_at = EXCLUDED.marked_at, device = EXCLUDED.device
        RETURNING m.enrolment_id, m.status, m.note, m.source, m.version, m.marked_by, m.marked_at, m.device
    ), ev AS (
        INSERT INTO attendance_events (session_id, enrolment_id, version, from_status, to_status, from_note, to_note, source, by_id, at, device)
        SELECT s.id, up.enrolment_id, up.version, x.m_status, up.status, x.m_note, up.note, up.source, up.marked_by, up.marked_at, up.device
        FROM up JOIN x ON x.enrolment_id = up.enrolment_id
    ), k AS (
        UPDATE idempotency_keys SET state = 'committed'
        FROM g
        WHERE g.ok AND p_key IS NOT NULL
            AND account_id = p_key_account AND method = p_key_method AND path = p_key_path AND key = p_key AND state = 'pending'
    )
    SELECT json_build_object('found', true, 'class_id', s.class_id, 'centre_id', s.centre_id, 'status', s.status,
            'starts_at', s.starts_at, 'allowed', allowed, 'applied', (SELECT ok FROM g),
            'rows', coalesce(json_agg(CASE
                WHEN up.enrolment_id IS NOT NULL THEN json_build_object('n', x.n, 'person_id', x.person_id, 'enrolment_id', x.enrolment_id,
                    'outcome', x.outcome, 'status', up.status, 'note', up.note, 'version', up.version, 'source', up.source,
                    'marked_by', up.marked_by, 'marked_at', up.marked_at, 'device', up.device)
                WHEN x.m_status IS NOT NULL THEN json_build_object('n', x.n, 'person_id', x.person_id, 'enrolment_id', x.enrolment_id,
                    'outcome', x.outcome, 'status', x.m_status, 'note', x.m_note, 'version', x.m_version, 'source', x.m_source,
                    'marked_by', x.m_marked_by, 'marked_at', x.m_marked_at, 'device', x.m_device)
                ELSE json_build_object('n', x.n, 'person_id', x.person_id, 'enrolment_id', x.enrolment_id, 'outcome', x.outcome)
            END ORDER BY x.n), '[]'::json))
        INTO result
        FROM x LEFT JOIN up ON up.enrolment_id = x.enrolment_id;
    RETURN result;
END
$$;
-- +goose StatementEnd

