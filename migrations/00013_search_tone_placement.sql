-- The search key keeps tone marks (search_exact); since 00013 the key puts
-- the tone of oa, oe and uy on the second vowel ("hòa" and "hoà" both become
-- "hoà"), as domain.LowerForSearch does, so that either placement finds the
-- other. Keys written before are recomputed here with the same replacements
-- (the key is already lower-case NFC, so the precomposed pairs match).
-- +goose Up
UPDATE people SET search_exact = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(search_exact, 'òa', 'oà'), 'óa', 'oá'), 'ỏa', 'oả'), 'õa', 'oã'), 'ọa', 'oạ'), 'òe', 'oè'), 'óe', 'oé'), 'ỏe', 'oẻ'), 'õe', 'oẽ'), 'ọe', 'oẹ'), 'ùy', 'uỳ'), 'úy', 'uý'), 'ủy', 'uỷ'), 'ũy', 'uỹ'), 'ụy', 'uỵ')
WHERE search_exact ~ '[òóỏõọ][ae]|[ùúủũụ]y';

-- +goose Down
-- The old keys are not restored: a key with the new placement still finds
-- names typed with it, and the next write of a person rewrites the key.
SELECT 1;
