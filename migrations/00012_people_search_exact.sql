-- A search with diacritics matches search_exact with ILIKE '%…%'; without a
-- trigram index that is a scan of every person.
-- +goose Up
CREATE INDEX people_search_exact ON people USING gin (search_exact gin_trgm_ops);

-- +goose Down
DROP INDEX people_search_exact;
