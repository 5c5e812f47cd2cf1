-- Answers that tell a caller a CCCD, phone or e-mail belongs to someone they
-- may not change (import rows, refused creates) are counted per caller and
-- day, so that the import cannot serve as a directory lookup.
-- +goose Up
CREATE TABLE disclosure_counts (
    person_id bigint  NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    day       date    NOT NULL,
    answers   integer NOT NULL CHECK (answers >= 0),
    PRIMARY KEY (person_id, day)
);

-- +goose Down
DROP TABLE disclosure_counts;
