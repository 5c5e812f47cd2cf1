-- Imports match people who have neither CCCD nor phone by commune, name and
-- birth year; without this index each such row scans its whole commune.
-- +goose Up
CREATE INDEX people_commune_name ON people (commune_id, search_exact, (coalesce(birth_year, 0)));

-- +goose Down
DROP INDEX people_commune_name;
