-- Materials of a class session (slides, handouts): the same rows, uploads,
-- checks, quota and downloads as a course's materials, held by a session
-- instead of a course. A material is held by exactly one of them. A
-- session's materials count against its class's centre (centre_id), never
-- a province's library. Sessions are cancelled, not deleted; if one ever
-- is, its rows go with it and the cleanup job removes the objects left
-- without a row.
-- +goose Up
ALTER TABLE materials ALTER COLUMN course_id DROP NOT NULL;
ALTER TABLE materials ADD COLUMN session_id bigint REFERENCES class_sessions (id) ON DELETE CASCADE;
ALTER TABLE materials ADD CONSTRAINT materials_one_holder CHECK (num_nonnulls(course_id, session_id) = 1);
ALTER TABLE materials ADD CONSTRAINT materials_session_centre CHECK (session_id IS NULL OR centre_id IS NOT NULL);
CREATE INDEX materials_session_idx ON materials (session_id) WHERE session_id IS NOT NULL;

-- +goose Down
-- The session materials' rows go; their objects become orphans the cleanup
-- job removes.
DELETE FROM materials WHERE session_id IS NOT NULL;
DROP INDEX materials_session_idx;
ALTER TABLE materials DROP CONSTRAINT materials_session_centre;
ALTER TABLE materials DROP CONSTRAINT materials_one_holder;
ALTER TABLE materials DROP COLUMN session_id;
ALTER TABLE materials ALTER COLUMN course_id SET NOT NULL;
