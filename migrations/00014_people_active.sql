-- People are deactivated, never deleted: their records stay. A person merged
-- into another is inactive and names the person kept.
-- +goose Up
ALTER TABLE people
    ADD COLUMN active boolean NOT NULL DEFAULT true,
    ADD COLUMN merged_into_id bigint REFERENCES people (id),
    ADD CONSTRAINT people_merged_inactive CHECK (merged_into_id IS NULL OR (NOT active AND merged_into_id <> id));

-- +goose Down
ALTER TABLE people DROP CONSTRAINT people_merged_inactive, DROP COLUMN merged_into_id, DROP COLUMN active;
