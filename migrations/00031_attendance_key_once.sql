-- Attendance: a keyed batch writes its Idempotency-Key's row once (issue 12,
-- Speed). Until now attendance_mark_batch claimed the key by inserting it
-- pending and, at the end, updated it with its answer (applied) or deleted
-- it (refused): two tuple versions and their WAL per applied batch, an
-- insert and a delete per refused one. Now same-key requests are serialised by a
-- transaction-level advisory lock on a 64-bit hash of (account, method,
-- path, key); the key's row is then read (replay, held, reused key,
-- answer lost, TTL or abandoned-claim take-over exactly as in 00029) and,
-- when the batch is applied, inserted completed with its answer in one
-- write. A refused batch writes no key row at all. Clients see the same
-- statuses, bodies, headers and codes. Since the function never leaves a
-- pending row, the abandoned-claim take-over only concerns rows left by
-- the generic middleware. The session row lock stays (it also orders the
-- batch after a concurrent change of the session's status or start).
-- Signature and answer unchanged.
-- +goose Up
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION attendance_mark_batch(
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
    taken boolean := false;
BEGIN
    -- The claim (p_key_fp given): requests with the same key are
    -- serialised by a transaction-level advisory lock on a 64-bit hash of
    -- the key (a collision only serialises two unrelated batches; what is
    -- answered comes from the row read after the lock). A concurrent
    -- request with the same key waits here for the first one's commit,
    -- then finds its answer. The key's row is written once, at the end.
    IF p_key IS NOT NULL AND p_key_fp IS NOT NULL THEN
        PERFORM pg_advisory_xact_lock(hashtextextended(
            p_key_account::text || E'\n' || p_key_method || E'\n' || p_key_path || E'\n' || p_key, 12));
        SELECT ik.fingerprint, ik.state, ik.content_type, ik.body, ik.created_at, ik.claimed_at INTO k
            FROM idempotency_keys ik
            WHERE ik.account_id = p_key_account AND ik.method = p_key_method AND ik.path = p_key_path AND ik.key = p_key;
        IF FOUND THEN
            -- A key older than its TTL, or an abandoned pending claim of
            -- the same request (left by the generic middleware), is taken
            -- over, as postgres.ClaimIdempotencyKey does.
            IF k.created_at < now() - make_interval(secs => p_key_ttl)
                OR (k.state = 'pending' AND k.fingerprint = p_key_fp
                    AND k.claimed_at < now() - make_interval(secs => p_key_lease)) THEN
                taken := true;
            ELSIF k.state = 'completed' AND k.fingerprint = p_key_fp AND k.content_type = 'application/vnd.densach.attendance-batch+json' THEN
                RETURN json_build_object('replayed', convert_from(k.body, 'UTF8')::json);
            ELSE
                -- An answer stored by the middleware (before 00029) is not
                -- this function's: as lost.
                RETURN json_build_object('held', json_build_object(
                    'state', CASE WHEN k.state = 'completed' THEN 'committed' ELSE k.state END,
                    'fingerprint', encode(k.fingerprint, 'hex')));
            END IF;
        END IF;
        claimed := true;
    END IF;

    SELECT cs.id, cs.class_id, cs.status, cs.starts_at, cs.teacher_id, c.centre_id
        INTO s
        FROM class_sessions cs JOIN classes c ON c.id = cs.class_id
        WHERE cs.id = p_session
        FOR NO KEY UPDATE OF cs;
    IF NOT FOUND THEN
        IF taken THEN
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
    -- The claim's end: the key's row written once, completed with the
    -- answer (this function's answer, from which the route renders the
    -- same HTTP answer again), when the batch was applied; a refused batch
    -- leaves no key (a row taken over is deleted).
    IF claimed THEN
        IF (result ->> 'applied')::boolean THEN
            INSERT INTO idempotency_keys AS ik (account_id, method, path, key, fingerprint, state, created_at, claimed_at,
                    status, content_type, body)
            VALUES (p_key_account, p_key_method, p_key_path, p_key, p_key_fp, 'completed', now(), now(),
                    200, 'application/vnd.densach.attendance-batch+json', convert_to(result::text, 'UTF8'))
            ON CONFLICT (account_id, method, path, key) DO UPDATE SET
                fingerprint = EXCLUDED.fingerprint, state = 'completed', created_at = now(), claimed_at = now(),
                status = EXCLUDED.status, content_type = EXCLUDED.content_type, body = EXCLUDED.body;
        ELSIF taken THEN
            DELETE FROM idempotency_keys
            WHERE account_id = p_key_account AND method = p_key_method AND path = p_key_path AND key = p_key;
        END IF;
    END IF;
    RETURN result;
END
$$;
-- +goose StatementEnd

-- +goose Down
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION attendance_mark_batch(
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
