-- An account whose password someone else chose (an administrator, a manager,
-- the bootstrap command) must have it changed by its owner at first sign-in;
-- until then the sign-in reaches only the profile, the password change and
-- sign-out.
-- +goose Up
ALTER TABLE accounts ADD COLUMN must_change_password boolean NOT NULL DEFAULT false;

-- +goose Down
ALTER TABLE accounts DROP COLUMN must_change_password;
