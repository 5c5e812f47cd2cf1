-- Idempotency keys of non-idempotent writes (Idempotency-Key header): a key
-- is claimed (pending) before the write runs, marked committed inside the
-- write's own transaction, and completed with the answer for replay. Keys
-- are purged after 24 hours.
-- +goose Up
CREATE TABLE idempotency_keys (
    account_id   bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    method       text NOT NULL,
    path         text NOT NULL,
    key          text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
    fingerprint  bytea NOT NULL,
    state        text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'committed', 'completed')),
    created_at   timestamptz NOT NULL DEFAULT now(),
    claimed_at   timestamptz NOT NULL DEFAULT now(),
    status       integer,
    content_type text,
    body         bytea,
    PRIMARY KEY (account_id, method, path, key),
    CHECK ((state = 'completed') = (status IS NOT NULL AND body IS NOT NULL))
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);

-- +goose Down
DROP TABLE idempotency_keys;
