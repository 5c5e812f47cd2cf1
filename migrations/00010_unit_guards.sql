-- Where units, centres and branches may stand, guarded in the database as
-- the last line of defence behind the units use case: a commune-level unit
-- lies in a province, and nothing new is placed under (or in) a unit that
-- has ended. The first administrator may live in no commune.
-- +goose Up

-- unit_commune_level mirrors domain.CommuneLevelKinds (a test compares them).
CREATE FUNCTION unit_commune_level(kind text) RETURNS boolean LANGUAGE sql IMMUTABLE AS
$$ SELECT kind IN ('ward', 'commune', 'special_zone') $$;

-- +goose StatementBegin
CREATE FUNCTION units_parent_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    p units%ROWTYPE;
BEGIN
    IF NEW.parent_id IS NULL THEN
        RETURN NEW;
    END IF;
    SELECT * INTO p FROM units WHERE id = NEW.parent_id;
    IF NOT FOUND THEN
        RETURN NEW; -- the foreign key answers
    END IF;
    IF unit_commune_level(NEW.kind) AND p.kind <> 'province' THEN
        RAISE EXCEPTION 'unit % (%) must lie in a province, not in a %', NEW.code, NEW.kind, p.kind
            USING ERRCODE = 'check_violation', CONSTRAINT = 'units_parent_province';
    END IF;
    -- A former unit kept as history may lie in a parent that lasted as long.
    IF p.valid_to IS NOT NULL AND (NEW.valid_to IS NULL OR NEW.valid_to > p.valid_to) THEN
        RAISE EXCEPTION 'unit % cannot be placed in unit %, which ended on %', NEW.code, p.code, p.valid_to
            USING ERRCODE = 'check_violation', CONSTRAINT = 'units_parent_current';
    END IF;
    RETURN NEW;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER units_parent_guard BEFORE INSERT OR UPDATE OF parent_id, kind, valid_to ON units
    FOR EACH ROW EXECUTE FUNCTION units_parent_guard();

-- +goose StatementBegin
CREATE FUNCTION places_unit_guard() RETURNS trigger LANGUAGE plpgsql AS $$
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
CREATE TRIGGER centres_unit_guard BEFORE INSERT OR UPDATE OF unit_id ON centres
    FOR EACH ROW EXECUTE FUNCTION places_unit_guard();
CREATE TRIGGER branches_unit_guard BEFORE INSERT OR UPDATE OF unit_id ON branches
    FOR EACH ROW EXECUTE FUNCTION places_unit_guard();

-- An administrator's authority does not depend on where they live: the
-- first one is created before any unit is loaded. Everyone else lives in a
-- commune, checked when the transaction commits (the person is written
-- before their grant).
ALTER TABLE people ALTER COLUMN commune_id DROP NOT NULL;

-- +goose StatementBegin
CREATE FUNCTION people_commune_or_admin() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    pid bigint;
BEGIN
    -- NEW's fields are resolved when read, so each table reads its own.
    IF TG_TABLE_NAME = 'people' THEN
        pid := NEW.id;
    ELSE
        pid := NEW.person_id;
    END IF;
    IF EXISTS (SELECT 1 FROM people WHERE id = pid AND commune_id IS NULL)
       AND NOT EXISTS (SELECT 1 FROM role_grants WHERE person_id = pid AND role = 'admin' AND revoked_at IS NULL) THEN
        RAISE EXCEPTION 'person % lives in no commune and holds no administrator role', pid
            USING ERRCODE = 'check_violation', CONSTRAINT = 'people_commune_or_admin';
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE CONSTRAINT TRIGGER people_commune_or_admin AFTER INSERT OR UPDATE OF commune_id ON people
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION people_commune_or_admin();
CREATE CONSTRAINT TRIGGER role_grants_commune_or_admin AFTER UPDATE OF revoked_at ON role_grants
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION people_commune_or_admin();

-- +goose Down
DROP TRIGGER role_grants_commune_or_admin ON role_grants;
DROP TRIGGER people_commune_or_admin ON people;
DROP FUNCTION people_commune_or_admin();
UPDATE people SET commune_id = (SELECT min(id) FROM units WHERE unit_commune_level(kind)) WHERE commune_id IS NULL;
ALTER TABLE people ALTER COLUMN commune_id SET NOT NULL;
DROP TRIGGER branches_unit_guard ON branches;
DROP TRIGGER centres_unit_guard ON centres;
DROP FUNCTION places_unit_guard();
DROP TRIGGER units_parent_guard ON units;
DROP FUNCTION units_parent_guard();
DROP FUNCTION unit_commune_level(text);
