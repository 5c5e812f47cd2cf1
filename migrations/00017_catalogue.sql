-- The catalogue's search: published courses found by their title and summary
-- with or without diacritics ("ky nang so" finds "Kỹ năng số"). The text is
-- course_versions.search_text, written by storage as
-- domain.FoldForSearch(title || ' ' || summary) (lower case, no diacritics,
-- đ → d); the query is folded by the same function, so both sides compare
-- plain ASCII-like text and need no unaccent (whose rules are not ours and
-- differ from FoldForSearch for đ and some letters).
--
-- Where the index lives: the text is a version's, so the index is on
-- course_versions, partial on published versions (number IS NOT NULL).
-- Drafts are left out: they are never searched and are rewritten on every
-- edit, which a GIN index makes expensive. Superseded published versions stay
-- in it; they are frozen (never updated) and few, and the catalogue's join
-- on courses.published_version_id drops them. An index on courses would need
-- the text copied there at every publish, a second copy to keep in step, for
-- no gain. The catalogue query repeats "number IS NOT NULL" so that the
-- planner may use the partial index.
-- +goose Up
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE INDEX course_versions_search ON course_versions
    USING gin (search_text gin_trgm_ops) WHERE number IS NOT NULL;

-- From a matching version to its course (the catalogue keeps a version only
-- when it is its course's current published one).
CREATE INDEX courses_published_version ON courses (published_version_id)
    WHERE status = 'published';

-- +goose Down
DROP INDEX courses_published_version;
DROP INDEX course_versions_search;
