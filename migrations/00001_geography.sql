-- Administrative units, centres and association branches.
-- +goose Up
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE units (
    id          bigserial PRIMARY KEY,
    code        text NOT NULL,
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    kind        text NOT NULL CHECK (kind IN ('province', 'ward', 'commune', 'special_zone', 'city', 'district', 'town')),
    parent_id   bigint REFERENCES units (id),
    valid_from  date NOT NULL,
    valid_to    date,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CHECK (valid_to IS NULL OR valid_to >= valid_from),
    CHECK ((kind = 'province') = (parent_id IS NULL))
);
-- A code is reused only by a unit whose validity does not overlap.
CREATE UNIQUE INDEX units_code_current ON units (code) WHERE valid_to IS NULL;
CREATE INDEX units_parent ON units (parent_id);

-- Successor links keep the history of merged and split units.
CREATE TABLE unit_successions (
    predecessor_id bigint NOT NULL REFERENCES units (id),
    successor_id   bigint NOT NULL REFERENCES units (id),
    effective_on   date NOT NULL,
    PRIMARY KEY (predecessor_id, successor_id),
    CHECK (predecessor_id <> successor_id)
);
CREATE INDEX unit_successions_successor ON unit_successions (successor_id);

CREATE TABLE centres (
    id          bigserial PRIMARY KEY,
    unit_id     bigint NOT NULL REFERENCES units (id),
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    address     text NOT NULL DEFAULT '' CHECK (length(address) <= 300),
    established_on date,
    closed_on   date,
    merged_into_id bigint REFERENCES centres (id),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX centres_name_unit ON centres (unit_id, name);

CREATE TABLE branches (
    id          bigserial PRIMARY KEY,
    unit_id     bigint NOT NULL REFERENCES units (id),
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX branches_name_unit ON branches (unit_id, name);

-- +goose Down
DROP TABLE branches;
DROP TABLE centres;
DROP TABLE unit_successions;
DROP TABLE units;
