-- Courses, their versions, structure, tags and materials.
--
-- A course is an identity owned by one centre or by a province's library
-- (exactly one of centre_id, province_id). What it says and holds lives in
-- versions: at most one open draft (number NULL, editable) and any number of
-- published versions (numbered 1, 2, …, frozen). Editing a published course
-- edits (or first opens) its draft; publishing the draft numbers it and makes
-- it the course's published version. Whatever refers to a version (a class,
-- later a completion) keeps it: published versions never change (a trigger
-- refuses it) and are never deleted while referenced.
-- +goose Up
CREATE TABLE course_categories (
    code     text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9_]{1,39}$'),
    name_vi  text NOT NULL,
    name_en  text NOT NULL,
    position smallint NOT NULL,
    active   boolean NOT NULL DEFAULT true
);

INSERT INTO course_categories (code, name_vi, name_en, position) VALUES
 ('digital_skills', 'Kỹ năng số', 'Digital skills', 1),
 ('literacy', 'Xóa mù chữ', 'Literacy', 2),
 ('agriculture', 'Nông nghiệp', 'Agriculture', 3),
 ('health', 'Sức khỏe', 'Health', 4),
 ('law', 'Pháp luật', 'Law', 5),
 ('livelihoods', 'Sinh kế', 'Livelihoods', 6),
 ('culture', 'Văn hóa', 'Culture', 7),
 ('other', 'Khác', 'Other', 99);

CREATE TABLE courses (
    id                   bigserial PRIMARY KEY,
    centre_id            bigint REFERENCES centres (id),
    province_id          bigint REFERENCES units (id),
    status               text NOT NULL DEFAULT 'draft'
                         CHECK (status IN ('draft', 'published', 'archived')),
    published_version_id bigint,
    draft_version_id     bigint,
    copied_from_version_id bigint,
    created_by           bigint NOT NULL REFERENCES people (id),
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    CHECK (num_nonnulls(centre_id, province_id) = 1),
    CHECK (status = 'draft' OR published_version_id IS NOT NULL)
);
CREATE INDEX courses_centre_idx ON courses (centre_id) WHERE centre_id IS NOT NULL;
CREATE INDEX courses_province_idx ON courses (province_id) WHERE province_id IS NOT NULL;

CREATE TABLE course_versions (
    id              bigserial PRIMARY KEY,
    course_id       bigint NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    number          integer CHECK (number > 0),
    title           text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    summary         text NOT NULL DEFAULT '' CHECK (length(summary) <= 500),
    description_md  text NOT NULL DEFAULT '' CHECK (length(description_md) <= 20000),
    category_code   text NOT NULL REFERENCES course_categories (code),
    target_groups   text[] NOT NULL DEFAULT '{}',
    estimated_hours numeric(5,1) CHECK (estimated_hours IS NULL OR estimated_hours > 0),
    mode            text NOT NULL DEFAULT 'blended' CHECK (mode IN ('online', 'in_person', 'blended')),
    sequential      boolean NOT NULL DEFAULT false,
    cover_material_id bigint,
    -- title and summary folded for search (lower case, no diacritics, đ → d),
    -- written by storage with domain.FoldForSearch.
    search_text     text NOT NULL DEFAULT '',
    created_by      bigint NOT NULL REFERENCES people (id),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    published_at    timestamptz,
    published_by    bigint REFERENCES people (id),
    UNIQUE (course_id, number),
    CHECK ((number IS NULL) = (published_at IS NULL))
);
-- At most one open draft per course.
CREATE UNIQUE INDEX course_versions_one_draft ON course_versions (course_id) WHERE number IS NULL;

ALTER TABLE courses
    ADD FOREIGN KEY (published_version_id) REFERENCES course_versions (id) DEFERRABLE INITIALLY DEFERRED,
    ADD FOREIGN KEY (draft_version_id) REFERENCES course_versions (id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED,
    ADD FOREIGN KEY (copied_from_version_id) REFERENCES course_versions (id);

-- Tags: (competence, optional step of the framework's levels).
CREATE TABLE course_tags (
    version_id    bigint NOT NULL REFERENCES course_versions (id) ON DELETE CASCADE,
    competence_id integer NOT NULL REFERENCES competences (id),
    level_step    smallint,
    PRIMARY KEY (version_id, competence_id)
);
CREATE INDEX course_tags_competence_idx ON course_tags (competence_id);

CREATE TABLE course_modules (
    id         bigserial PRIMARY KEY,
    version_id bigint NOT NULL REFERENCES course_versions (id) ON DELETE CASCADE,
    -- The same module in every version of the course (copied with it).
    key        uuid NOT NULL DEFAULT gen_random_uuid(),
    position   integer NOT NULL CHECK (position > 0),
    title      text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    UNIQUE (version_id, key),
    -- Reordering rewrites positions in one statement; the check runs at commit.
    UNIQUE (version_id, position) DEFERRABLE INITIALLY DEFERRED,
    UNIQUE (id, version_id)
);

-- Uploaded files. A material belongs to a course (every version of it may use
-- it) and counts against its owner's quota (the course's centre, or the
-- province for a library course). It becomes visible only once confirmed:
-- status 'pending' until the server has checked the stored object's size and
-- magic bytes; pending rows past expires_at, and their objects, are removed
-- by the cleanup job.
CREATE TABLE materials (
    id            bigserial PRIMARY KEY,
    course_id     bigint NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    centre_id     bigint REFERENCES centres (id),
    province_id   bigint REFERENCES units (id),
    object_key    text NOT NULL UNIQUE,
    display_name  text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 255),
    kind          text NOT NULL CHECK (kind IN ('video', 'audio', 'document', 'image')),
    content_type  text NOT NULL,
    declared_size bigint NOT NULL CHECK (declared_size > 0),
    size          bigint CHECK (size > 0),
    status        text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'ready')),
    uploaded_by   bigint NOT NULL REFERENCES people (id),
    created_at    timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NOT NULL,
    confirmed_at  timestamptz,
    CHECK (num_nonnulls(centre_id, province_id) = 1),
    CHECK ((status = 'ready') = (size IS NOT NULL AND confirmed_at IS NOT NULL))
);
CREATE INDEX materials_course_idx ON materials (course_id);
CREATE INDEX materials_centre_idx ON materials (centre_id) WHERE centre_id IS NOT NULL;
CREATE INDEX materials_province_idx ON materials (province_id) WHERE province_id IS NOT NULL;
CREATE INDEX materials_pending_idx ON materials (expires_at) WHERE status = 'pending';

ALTER TABLE course_versions
    ADD FOREIGN KEY (cover_material_id) REFERENCES materials (id);

CREATE TABLE lessons (
    id          bigserial PRIMARY KEY,
    module_id   bigint NOT NULL,
    version_id  bigint NOT NULL REFERENCES course_versions (id) ON DELETE CASCADE,
    -- The same lesson in every version of the course (copied with it), so that
    -- a learner's progress can follow a course to its next version.
    key         uuid NOT NULL DEFAULT gen_random_uuid(),
    position    integer NOT NULL CHECK (position > 0),
    kind        text NOT NULL CHECK (kind IN ('text', 'video', 'document', 'link', 'quiz')),
    title       text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    body_md     text NOT NULL DEFAULT '' CHECK (length(body_md) <= 100000),
    url         text NOT NULL DEFAULT '' CHECK (length(url) <= 2000),
    material_id bigint REFERENCES materials (id),
    required    boolean NOT NULL DEFAULT true,
    estimated_minutes integer CHECK (estimated_minutes IS NULL OR estimated_minutes > 0),
    -- A lesson lies in a module of its own version.
    FOREIGN KEY (module_id, version_id) REFERENCES course_modules (id, version_id) ON DELETE CASCADE,
    UNIQUE (version_id, key),
    UNIQUE (module_id, position) DEFERRABLE INITIALLY DEFERRED
);
CREATE INDEX lessons_module_idx ON lessons (module_id);
CREATE INDEX lessons_version_idx ON lessons (version_id);
CREATE INDEX lessons_material_idx ON lessons (material_id) WHERE material_id IS NOT NULL;

CREATE TABLE lesson_tags (
    lesson_id     bigint NOT NULL REFERENCES lessons (id) ON DELETE CASCADE,
    competence_id integer NOT NULL REFERENCES competences (id),
    level_step    smallint,
    PRIMARY KEY (lesson_id, competence_id)
);

-- Published versions are frozen: their rows, tags, modules and lessons never
-- change and are not deleted (a course with published versions is archived,
-- not deleted).
-- +goose StatementBegin
CREATE FUNCTION refuse_published_version_change() RETURNS trigger AS $$
DECLARE
    vids bigint[];
BEGIN
    IF TG_TABLE_NAME = 'course_versions' THEN
        IF OLD.number IS NOT NULL THEN
            RAISE EXCEPTION 'published course version % is frozen', OLD.id
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
    ELSE
        IF TG_TABLE_NAME = 'lesson_tags' THEN
            SELECT array_agg(version_id) INTO vids FROM lessons
            WHERE id IN (CASE WHEN TG_OP <> 'INSERT' THEN OLD.lesson_id END,
                         CASE WHEN TG_OP <> 'DELETE' THEN NEW.lesson_id END);
        ELSE
            vids := ARRAY[CASE WHEN TG_OP <> 'INSERT' THEN OLD.version_id END,
                          CASE WHEN TG_OP <> 'DELETE' THEN NEW.version_id END];
        END IF;
        IF EXISTS (SELECT 1 FROM course_versions WHERE id = ANY (vids) AND number IS NOT NULL) THEN
            RAISE EXCEPTION 'published course version is frozen'
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd

CREATE TRIGGER course_versions_frozen BEFORE UPDATE OR DELETE ON course_versions
    FOR EACH ROW EXECUTE FUNCTION refuse_published_version_change();
CREATE TRIGGER course_modules_frozen BEFORE INSERT OR UPDATE OR DELETE ON course_modules
    FOR EACH ROW EXECUTE FUNCTION refuse_published_version_change();
CREATE TRIGGER lessons_frozen BEFORE INSERT OR UPDATE OR DELETE ON lessons
    FOR EACH ROW EXECUTE FUNCTION refuse_published_version_change();
CREATE TRIGGER course_tags_frozen BEFORE INSERT OR UPDATE OR DELETE ON course_tags
    FOR EACH ROW EXECUTE FUNCTION refuse_published_version_change();
CREATE TRIGGER lesson_tags_frozen BEFORE INSERT OR UPDATE OR DELETE ON lesson_tags
    FOR EACH ROW EXECUTE FUNCTION refuse_published_version_change();

-- +goose Down
DROP TABLE lesson_tags;
DROP TABLE lessons;
ALTER TABLE course_versions DROP CONSTRAINT course_versions_cover_material_id_fkey;
DROP TABLE materials;
DROP TABLE course_modules;
DROP TABLE course_tags;
ALTER TABLE courses DROP CONSTRAINT courses_published_version_id_fkey,
    DROP CONSTRAINT courses_draft_version_id_fkey,
    DROP CONSTRAINT courses_copied_from_version_id_fkey;
DROP TABLE course_versions;
DROP TABLE courses;
DROP TABLE course_categories;
DROP FUNCTION refuse_published_version_change();
