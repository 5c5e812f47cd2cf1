-- People, their sign-in accounts and their roles.
-- +goose Up
CREATE TABLE people (
    id             bigserial PRIMARY KEY,
    full_name      text NOT NULL CHECK (length(full_name) BETWEEN 1 AND 100 AND full_name = normalize(full_name, NFC)),
    given_name     text NOT NULL,
    sort_key       bytea NOT NULL,
    search_exact   text NOT NULL,
    search_folded  text NOT NULL,
    birth_date     date,
    birth_year     integer CHECK (birth_year BETWEEN 1900 AND 2100),
    sex            text CHECK (sex IN ('male', 'female')),
    ethnicity      text NOT NULL DEFAULT '' CHECK (length(ethnicity) <= 50),
    commune_id     bigint NOT NULL REFERENCES units (id),
    village        text NOT NULL DEFAULT '' CHECK (length(village) <= 100),
    cccd           text CHECK (cccd ~ '^([0-9]{12}|[0-9]{9})$'),
    phone          text CHECK (phone ~ '^0[0-9]{9}$'),
    email          text CHECK (email = lower(email) AND length(email) <= 254),
    staff_position text CHECK (staff_position IN ('chair', 'vice_chair', 'member')),
    branch_id      bigint REFERENCES branches (id),
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    CHECK (birth_date IS NULL OR birth_year = extract(year FROM birth_date))
);
CREATE UNIQUE INDEX people_cccd ON people (cccd) WHERE cccd IS NOT NULL;
CREATE UNIQUE INDEX people_phone ON people (phone) WHERE phone IS NOT NULL;
CREATE UNIQUE INDEX people_email ON people (email) WHERE email IS NOT NULL;
CREATE INDEX people_commune_sort ON people (commune_id, sort_key, id);
CREATE INDEX people_sort ON people (sort_key, id);
CREATE INDEX people_search_folded ON people USING gin (search_folded gin_trgm_ops);

CREATE TABLE accounts (
    id                  bigserial PRIMARY KEY,
    person_id           bigint NOT NULL UNIQUE REFERENCES people (id),
    password_hash       text NOT NULL,
    disabled            boolean NOT NULL DEFAULT false,
    password_changed_at timestamptz NOT NULL DEFAULT now(),
    created_at          timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE role_grants (
    id          bigserial PRIMARY KEY,
    person_id   bigint NOT NULL REFERENCES people (id),
    role        text NOT NULL CHECK (role IN ('admin', 'officer', 'manager', 'teacher', 'learner')),
    unit_id     bigint REFERENCES units (id),
    centre_id   bigint REFERENCES centres (id),
    granted_by  bigint REFERENCES people (id),
    granted_at  timestamptz NOT NULL DEFAULT now(),
    revoked_by  bigint REFERENCES people (id),
    revoked_at  timestamptz,
    -- Each role has exactly the scope it needs.
    CHECK (CASE role
        WHEN 'admin'   THEN unit_id IS NULL AND centre_id IS NULL
        WHEN 'officer' THEN unit_id IS NOT NULL AND centre_id IS NULL
        WHEN 'manager' THEN centre_id IS NOT NULL AND unit_id IS NULL
        WHEN 'teacher' THEN centre_id IS NOT NULL AND unit_id IS NULL
        WHEN 'learner' THEN unit_id IS NULL
    END)
);
CREATE UNIQUE INDEX role_grants_active ON role_grants (person_id, role, coalesce(unit_id, 0), coalesce(centre_id, 0)) WHERE revoked_at IS NULL;
CREATE INDEX role_grants_centre ON role_grants (centre_id) WHERE revoked_at IS NULL;

-- +goose Down
DROP TABLE role_grants;
DROP TABLE accounts;
DROP TABLE people;
