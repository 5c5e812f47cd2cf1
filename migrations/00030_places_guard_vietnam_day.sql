-- A centre or branch may stand only in a unit current today, and today is
-- Vietnam's day: current_date is the session's (UTC on our hosts), a day
-- behind from 00:00 to 07:00 ICT, so a unit that ended yesterday still
-- took new places until 07:00. The guard of migration 00010 now asks the
-- date in Asia/Ho_Chi_Minh, whatever the session's TimeZone.
-- +goose Up

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION places_unit_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    u units%ROWTYPE;
BEGIN
    SELECT * INTO u FROM units WHERE id = NEW.unit_id;
    IF FOUND AND (NOT unit_commune_level(u.kind) OR u.valid_to < (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date) THEN
        RAISE EXCEPTION '% must stand in a current commune-level unit, not in unit % (%, valid to %)', TG_TABLE_NAME, u.code, u.kind, u.valid_to
            USING ERRCODE = 'check_violation', CONSTRAINT = 'places_unit_current';
    END IF;
    RETURN NEW;
END;
$$;
-- +goose StatementEnd

-- +goose Down

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION places_unit_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    u units%ROWTYPE;
BEGIN
    SELECT * INTO u FROM units WHERE id = NEW.unit_id;
    IF FOUND AND (NOT unit_commune_level(u.kind) OR u.valid_to < current_date) THEN
        RAISE EXCEPTION '% must stand in a current commune-level unit, not in unit % (%, valid to %)', TG_TABLE_NAME, u.code, u.kind, u.valid_to
            USING ERRCODE = 'check_violation', CONSTRAINT = 'places_unit_current';
    END IF;
    RETURN NEW;
END;
$$;
-- +goose StatementEnd
