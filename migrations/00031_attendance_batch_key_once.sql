-- Attendance: a keyed batch writes its Idempotency-Key once, and its answer
-- is compact (issue 12, Speed). Same arguments and checks as 00029's
-- attendance_mark_batch; what changed:
--
-- * The session row is locked FIRST, then the key is read, and the key's
--   row is written ONCE. 00029 claimed the key by inserting it pending
--   before the lock and updated it with the answer at the end (two writes
--   of the row, the second of a ~6 KB answer). Here a key's scope
--   (account, method, path) names its session: the path is
--   /api/v1/sessions/{id}/attendance, so two requests with the same key
--   always lock the same session row (FOR NO KEY UPDATE conflicts with
--   itself). The second waits on that lock until the first commits; its
--   next statement (READ COMMITTED: a fresh snapshot) reads the key the
--   first stored and replays its answer. The session lock therefore
--   serializes a key's requests as the pending row did, and no pending row
--   is needed: the key is read after the lock —
--     - completed with the same fingerprint and an answer of this function
--       (either content type below): {"replayed": answer} (or
--       {"replayed_v1": answer}, 00029's format), nothing written;
--     - held otherwise, as 00029 answers it: {"held": {state,
--       fingerprint}} (a pending row, or one completed by the middleware
--       before 00029, which answers as committed: its answer is lost), and
--       nothing written;
--     - absent, older than its TTL (p_key_ttl), or an abandoned pending
--       claim of the same fingerprint (p_key_lease): the batch is applied,
--       and when it is applied the key is inserted completed with its
--       answer in ONE statement (ON CONFLICT DO UPDATE over the expired or
--       abandoned row, or over one a purge had not removed yet). A refused
--       batch stores nothing (no key inserted, none deleted).
--   A missing session answers found = false and stores nothing, whatever
--   the key holds.
-- * A compact answer, returned and stored for replay under the content type
--   application/vnd.densach.attendance-batch.v2+json (under 2 KB for 40
--   written rows, so PostgreSQL stores it inline, uncompressed). Rows are in
--   the batch's order, one per batch row, and carry only what the request
--   does not: a written row {"e": enrolment, "v": new version} (its status
--   and note are the batch row's: a replay carries the same body, its
--   fingerprint says so; its source, author, time and device are
--   "written", once); any other row its outcome "o" and enrolment "e", and
--   when the learner has a mark, its version "v", source "s", author "b"
--   and the author's name "bn", time "t" and device "d", with its status
--   "st" and note "nt" unless they are the batch row's (unchanged). The
--   written rows' author is named once ("written".marked_by_name; null for
--   a system mark): the teacher's phone writes the answered marks into its
--   cached roster, which shows who marked. Answers stored by 00029
--   (application/vnd.densach.attendance-batch+json) are still replayed.
--
-- Without p_key_fp, p_key still marks a key claimed by the middleware
-- committed, as 00027 did. Otherwise as 00029.
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
    applied boolean;
    result json;
    k record;
    keyed boolean := p_key IS NOT NULL AND p_key_fp IS NOT NULL;
BEGIN
    -- The lock first: it serializes the requests of one key (see above).
    SELECT cs.id, cs.class_id, cs.status, cs.starts_at, cs.teacher_id, c.centre_id
        INTO s
        FROM class_sessions cs JOIN classes c ON c.id = cs.class_id
        WHERE cs.id = p_session
        FOR NO KEY UPDATE OF cs;
    IF NOT FOUND THEN
        RETURN json_build_object('found', false);
    END IF;

    -- The key, as it stands after the lock (this statement's snapshot sees
    -- what an earlier request of the key committed).
    IF keyed THEN
        SELECT ik.fingerprint, ik.state, ik.content_type, ik.body, ik.created_at, ik.claimed_at INTO k
            FROM idempotency_keys ik
            WHERE ik.account_id = p_key_account AND ik.method = p_key_method AND ik.path = p_key_path AND ik.key = p_key;
        -- Held unless expired or an abandoned claim of this request (the
        -- rows ClaimIdempotencyKey takes over).
        IF FOUND AND (k.created_at < now() - make_interval(secs => p_key_ttl)
                OR (k.state = 'pending' AND k.fingerprint = p_key_fp
                    AND k.claimed_at < now() - make_interval(secs => p_key_lease))) IS NOT TRUE THEN
            IF k.state = 'completed' AND k.fingerprint = p_key_fp THEN
                IF k.content_type = 'application/vnd.densach.attendance-batch.v2+json' THEN
                    RETURN json_build_object('replayed', convert_from(k.body, 'UTF8')::json);
                ELSIF k.content_type = 'application/vnd.densach.attendance-batch+json' THEN
                    RETURN json_build_object('replayed_v1', convert_from(k.body, 'UTF8')::json);
                END IF;
            END IF;
            -- An answer stored by the middleware (before 00029) is not
            -- this function's: as lost.
            RETURN json_build_object('held', json_build_object(
                'state', CASE WHEN k.state = 'completed' THEN 'committed' ELSE k.state END,
                'fingerprint', encode(k.fingerprint, 'hex')));
        END IF;
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
    ), mk AS (
        UPDATE idempotency_keys SET state = 'committed'
        FROM g
        WHERE g.ok AND p_key IS NOT NULL AND p_key_fp IS NULL
            AND account_id = p_key_account AND method = p_key_method AND path = p_key_path AND key = p_key AND state = 'pending'
    )
    -- The compact answer (see above).
    SELECT json_build_object('found', true, 'class_id', s.class_id, 'centre_id', s.centre_id, 'status', s.status,
            'starts_at', s.starts_at, 'allowed', allowed, 'applied', (SELECT ok FROM g),
            'written', json_build_object('source', p_source, 'marked_by', nullif(p_person, 0),
                'marked_by_name', (SELECT p.full_name FROM people p WHERE p.id = p_person), 'marked_at', now(), 'device', p_device),
            'rows', coalesce(json_agg(CASE
                WHEN up.enrolment_id IS NOT NULL THEN json_build_object('e', x.enrolment_id, 'v', up.version)
                WHEN x.outcome = 'unchanged' THEN json_build_object('o', x.outcome, 'e', x.enrolment_id, 'v', x.m_version,
                    's', x.m_source, 'b', x.m_marked_by, 'bn', (SELECT p.full_name FROM people p WHERE p.id = x.m_marked_by),
                    't', x.m_marked_at, 'd', x.m_device)
                WHEN x.m_status IS NOT NULL THEN json_build_object('o', x.outcome, 'e', x.enrolment_id, 'v', x.m_version,
                    's', x.m_source, 'b', x.m_marked_by, 'bn', (SELECT p.full_name FROM people p WHERE p.id = x.m_marked_by),
                    't', x.m_marked_at, 'd', x.m_device, 'st', x.m_status, 'nt', x.m_note)
                ELSE json_build_object('o', x.outcome, 'e', x.enrolment_id)
            END ORDER BY x.n), '[]'::json)),
        (SELECT ok FROM g)
        INTO result, applied
        FROM x LEFT JOIN up ON up.enrolment_id = x.enrolment_id;
    -- The key, once: completed with the answer when the batch was applied;
    -- a refused batch leaves the key as it was read (absent, expired or
    -- abandoned: free for the next request). The WHERE is the read's
    -- take-over rule again: a row held otherwise cannot appear under the
    -- session lock, and would not be overwritten.
    IF keyed AND applied THEN
        INSERT INTO idempotency_keys AS ik (account_id, method, path, key, fingerprint, state, status, content_type, body)
        VALUES (p_key_account, p_key_method, p_key_path, p_key, p_key_fp, 'completed', 200,
            'application/vnd.densach.attendance-batch.v2+json', convert_to(result::text, 'UTF8'))
        ON CONFLICT (account_id, method, path, key) DO UPDATE SET
            fingerprint = EXCLUDED.fingerprint, state = EXCLUDED.state, created_at = now(), claimed_at = now(),
            status = EXCLUDED.status, content_type = EXCLUDED.content_type, body = EXCLUDED.body
        WHERE ik.created_at < now() - make_interval(secs => p_key_ttl)
            OR (ik.state = 'pending' AND ik.fingerprint = EXCLUDED.fingerprint
                AND ik.claimed_at < now() - make_interval(secs => p_key_lease));
        IF NOT FOUND THEN
            RAISE EXCEPTION 'idempotency key % held by another transaction under the session lock', p_key USING ERRCODE = '40001';
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
