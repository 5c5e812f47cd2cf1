-- Indexes for sweeping stale refresh tokens and login throttle counters, so
-- the periodic DELETEs stay cheap however large the tables grow.
-- +goose Up
CREATE INDEX refresh_tokens_expires ON refresh_tokens (expires_at);
CREATE INDEX login_throttle_window ON login_throttle (window_start);

-- +goose Down
DROP INDEX login_throttle_window;
DROP INDEX refresh_tokens_expires;
