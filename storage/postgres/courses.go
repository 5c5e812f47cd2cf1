package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"

	"densach/domain"
	"densach/domain/courses"
)

// Courses keeps courses, their versions, tags, modules and lessons. It
// implements courses.Store.
type Courses struct{ db *DB }

// NewCourses returns the course store over the pool.
func NewCourses(db *DB) *Courses { return &Courses{db: db} }

var _ courses.Store = (*Courses)(nil)

var errVersionPublished = domain.Fail(domain.CodeConflict, "course_version_published", nil)

// translateCourse is translate, with the refusal of the frozen-version
// trigger (SQLSTATE 23000) as the conflict a caller can act on.
func translateCourse(op string, err error) error {
	var pg *pgconn.PgError
	if errors.As(err, &pg) && pg.Code == "23000" {
		return errVersionPublished
	}
	return translate(op, err)
}

// headRow is a course with its owner and place.
type headRow struct {
	ID                  int64
	CentreID            *int64
	ProvinceID          *int64
	OwnerName           string
	CommuneID           *int64
	AreaProvinceID      *int64
	Status              string
	PublishedVersionID  *int64
	PublishedNumber     *int
	DraftVersionID      *int64
	CopiedFromVersionID *int64
	CreatedAt           time.Time
	UpdatedAt           time.Time
	VersionID           int64 // of the module or lesson asked for
}

func (r headRow) domain() courses.Head {
	return courses.Head{ID: r.ID, CentreID: deref(r.CentreID), ProvinceID: deref(r.ProvinceID), OwnerName: r.OwnerName,
		CommuneID: deref(r.CommuneID), AreaProvinceID: deref(r.AreaProvinceID), Status: courses.Status(r.Status),
		PublishedVersionID: deref(r.PublishedVersionID), PublishedNumber: deref(r.PublishedNumber), DraftVersionID: deref(r.DraftVersionID),
		CopiedFromVersion: deref(r.CopiedFromVersionID), CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

// headFrom is the owner and place of the courses c; the statement adds its
// FROM item for c and its condition.
const headSelect = `SELECT c.id, c.centre_id, c.province_id, coalesce(ce.name, pu.name, '') AS owner_name, ce.unit_id AS commune_id,
	coalesce(cu.parent_id, c.province_id) AS area_province_id, c.status, c.published_version_id, pv.number AS published_number,
	c.draft_version_id, c.copied_from_version_id, c.created_at, c.updated_at`

const headJoins = ` LEFT JOIN centres ce ON ce.id = c.centre_id LEFT JOIN units cu ON cu.id = ce.unit_id
	LEFT JOIN units pu ON pu.id = c.province_id LEFT JOIN course_versions pv ON pv.id = c.published_version_id`

// Head reads a course's owner, place and versions.
func (s *Courses) Head(ctx context.Context, id int64) (courses.Head, error) {
	var r headRow
	err := s.db.q(ctx).Raw(headSelect+` FROM courses c`+headJoins+` WHERE c.id = ?`, id).Take(&r).Error
	return r.domain(), translate("postgres.CourseHead", err)
}

// ModuleHead reads the course of a module and its version.
func (s *Courses) ModuleHead(ctx context.Context, moduleID int64) (courses.Head, int64, error) {
	var r headRow
	err := s.db.q(ctx).Raw(headSelect+`, m.version_id FROM course_modules m JOIN course_versions v ON v.id = m.version_id
		JOIN courses c ON c.id = v.course_id`+headJoins+` WHERE m.id = ?`, moduleID).Take(&r).Error
	return r.domain(), r.VersionID, translate("postgres.ModuleHead", err)
}

// LessonHead reads the course of a lesson and its version.
func (s *Courses) LessonHead(ctx context.Context, lessonID int64) (courses.Head, int64, error) {
	var r headRow
	err := s.db.q(ctx).Raw(headSelect+`, l.version_id FROM lessons l JOIN course_versions v ON v.id = l.version_id
		JOIN courses c ON c.id = v.course_id`+headJoins+` WHERE l.id = ?`, lessonID).Take(&r).Error
	return r.domain(), r.VersionID, translate("postgres.LessonHead", err)
}

// VersionByNumber finds a published version's id.
func (s *Courses) VersionByNumber(ctx context.Context, courseID int64, number int) (int64, error) {
	var id int64
	err := s.db.q(ctx).Raw(`SELECT id FROM course_versions WHERE course_id = ? AND number = ?`, courseID, number).Take(&id).Error
	return id, translate("postgres.VersionByNumber", err)
}

// tagJSON aggregates the tags of table (course_tags or lesson_tags, alias
// t) matching cond into a JSON array with what a page shows of each.
func tagJSON(table, cond string) string {
	return `(SELECT coalesce(json_agg(json_build_object('competence_id', co.id, 'level_step', coalesce(t.level_step, 0),
		'code', co.code, 'name_vi', co.name_vi, 'name_en', co.name_en, 'framework_code', f.code, 'framework_kind', f.kind,
		'level_code', coalesce(cl.code, '')) ORDER BY f.id, co.position), '[]')
		FROM ` + table + ` t JOIN competences co ON co.id = t.competence_id JOIN competence_frameworks f ON f.id = co.framework_id
		LEFT JOIN competence_levels cl ON cl.framework_id = co.framework_id AND cl.step = t.level_step WHERE ` + cond + `)`
}

type tagJSONRow struct {
	CompetenceID  int32  `json:"competence_id"`
	LevelStep     int16  `json:"level_step"`
	Code          string `json:"code"`
	NameVI        string `json:"name_vi"`
	NameEN        string `json:"name_en"`
	FrameworkCode string `json:"framework_code"`
	FrameworkKind string `json:"framework_kind"`
	LevelCode     string `json:"level_code"`
}

func parseTags(raw string) ([]courses.TagRef, error) {
	var rows []tagJSONRow
	if err := json.Unmarshal([]byte(raw), &rows); err != nil {
		return nil, err
	}
	out := make([]courses.TagRef, len(rows))
	for i, r := range rows {
		out[i] = courses.TagRef{CompetenceTag: domain.CompetenceTag{CompetenceID: r.CompetenceID, LevelStep: r.LevelStep}, Code: r.Code,
			NameVI: r.NameVI, NameEN: r.NameEN, FrameworkCode: r.FrameworkCode, FrameworkKind: domain.FrameworkKind(r.FrameworkKind), LevelCode: r.LevelCode}
	}
	return out, nil
}

// structureRow is a module and one of its lessons (none: a module without
// lessons), with the lesson's material and tags.
type structureRow struct {
	MID, MPosition      int64
	MKey, MTitle        string
	ID                  *int64
	ModuleID, VersionID int64
	CourseID            int64
	Key                 *string
	Position            *int
	Kind, Title, URL    *string
	BodyMD              *string `gorm:"column:body_md"`
	MaterialID          *int64
	Required            *bool
	EstimatedMinutes    *int
	MatName, MatType    *string
	MatKind             *string
	MatSize             *int64
	Tags                string
}

func (r structureRow) lesson() (courses.Lesson, error) {
	tags, err := parseTags(r.Tags)
	l := courses.Lesson{ID: deref(r.ID), ModuleID: r.ModuleID, VersionID: r.VersionID, CourseID: r.CourseID, Key: deref(r.Key),
		Position: deref(r.Position), Kind: courses.LessonKind(deref(r.Kind)), Title: deref(r.Title), BodyMD: deref(r.BodyMD), URL: deref(r.URL),
		Required: deref(r.Required), EstimatedMinutes: deref(r.EstimatedMinutes), Tags: tags}
	if r.MaterialID != nil {
		l.Material = &courses.Material{ID: *r.MaterialID, DisplayName: deref(r.MatName), Size: deref(r.MatSize), ContentType: deref(r.MatType), Kind: deref(r.MatKind)}
	}
	return l, err
}

// lessonColumnsSQL are the columns of a lesson with its material and tags.
const lessonColumnsSQL = `l.id, l.module_id, l.version_id, l.key::text AS key, l.position, l.kind, l.title, l.url, l.material_id, l.required,
	l.estimated_minutes, mat.display_name AS mat_name, mat.content_type AS mat_type, mat.kind AS mat_kind, mat.size AS mat_size`

// coverJoinSQL joins the cover cm of the version whose cover_material_id
// column is col, when it is a ready image (anything else is no cover), and
// coverColumnsSQL reads its object.
func coverJoinSQL(col string) string {
	return `LEFT JOIN materials cm ON cm.id = ` + col + ` AND cm.kind = 'image' AND cm.status = 'ready'`
}

const coverColumnsSQL = `cm.object_key AS cover_key, cm.content_type AS cover_type`

// coverOf is the cover read through coverColumnsSQL.
func coverOf(key, contentType *string) domain.CoverImage {
	return domain.CoverImage{ObjectKey: deref(key), ContentType: deref(contentType)}
}

// Load reads a version with its tags (one statement), then its modules
// and lessons with their materials and tags (one statement).
func (s *Courses) Load(ctx context.Context, versionID int64) (courses.Version, []courses.Module, error) {
	var vr struct {
		Row       courseVersionRow `gorm:"embedded"`
		Tags      string
		CoverKey  *string
		CoverType *string
	}
	q := s.db.q(ctx)
	err := q.Raw(`SELECT v.*, `+tagJSON("course_tags", "t.version_id = v.id")+` AS tags, `+coverColumnsSQL+`
		FROM course_versions v `+coverJoinSQL("v.cover_material_id")+` WHERE v.id = ?`, versionID).Take(&vr).Error
	if err != nil {
		return courses.Version{}, nil, translate("postgres.LoadCourseVersion", err)
	}
	v := vr.Row.domain()
	v.Cover = coverOf(vr.CoverKey, vr.CoverType)
	if v.Tags, err = parseTags(vr.Tags); err != nil {
		return v, nil, domain.Wrap("postgres.LoadCourseVersion", domain.CodeInternal, err)
	}
	var rows []structureRow
	err = q.Raw(`SELECT m.id AS m_id, m.key::text AS m_key, m.position AS m_position, m.title AS m_title, `+lessonColumnsSQL+`, `+
		tagJSON("lesson_tags", "t.lesson_id = l.id")+` AS tags
		FROM course_modules m LEFT JOIN lessons l ON l.module_id = m.id LEFT JOIN materials mat ON mat.id = l.material_id
		WHERE m.version_id = ? ORDER BY m.position, l.position`, versionID).Scan(&rows).Error
	if err != nil {
		return v, nil, translate("postgres.LoadCourseStructure", err)
	}
	mods := []courses.Module{}
	for _, r := range rows {
		if n := len(mods); n == 0 || mods[n-1].ID != r.MID {
			mods = append(mods, courses.Module{ID: r.MID, Key: r.MKey, Position: int(r.MPosition), Title: r.MTitle, Lessons: []courses.Lesson{}})
		}
		if r.ID == nil {
			continue
		}
		l, err := r.lesson()
		if err != nil {
			return v, nil, domain.Wrap("postgres.LoadCourseStructure", domain.CodeInternal, err)
		}
		l.CourseID = vr.Row.CourseID
		m := &mods[len(mods)-1]
		m.Lessons = append(m.Lessons, l)
	}
	return v, mods, nil
}

// Lesson reads one lesson with its body, material and tags.
func (s *Courses) Lesson(ctx context.Context, lessonID int64) (courses.Lesson, error) {
	var r structureRow
	err := s.db.q(ctx).Raw(`SELECT `+lessonColumnsSQL+`, l.body_md, v.course_id, `+tagJSON("lesson_tags", "t.lesson_id = l.id")+` AS tags
		FROM lessons l JOIN course_versions v ON v.id = l.version_id LEFT JOIN materials mat ON mat.id = l.material_id WHERE l.id = ?`, lessonID).Take(&r).Error
	if err != nil {
		return courses.Lesson{}, translate("postgres.Lesson", err)
	}
	l, err := r.lesson()
	if err != nil {
		return l, domain.Wrap("postgres.Lesson", domain.CodeInternal, err)
	}
	return l, nil
}

// courseScopeSQL turns a read scope into two conditions on courses c (joined
// with centres ce and units cu): the courses read with their drafts, and
// those read at all.
func courseScopeSQL(sc courses.Scope) (drafts string, draftArgs []any, reads string, readArgs []any) {
	if sc.All {
		return "true", nil, "true", nil
	}
	drafts = `(c.centre_id = ANY(?::bigint[]) OR ce.unit_id = ANY(?::bigint[]) OR cu.parent_id = ANY(?::bigint[]) OR c.province_id = ANY(?::bigint[]))`
	draftArgs = []any{pgArray(sc.DraftCentreIDs), pgArray(sc.DraftCommuneIDs), pgArray(sc.DraftProvinceIDs), pgArray(sc.LibraryDraftProvinceIDs)}
	reads = `(` + drafts + ` OR c.published_version_id IS NOT NULL AND (c.centre_id = ANY(?::bigint[]) OR c.province_id = ANY(?::bigint[])))`
	readArgs = append(append([]any{}, draftArgs...), pgArray(sc.CentreIDs), pgArray(sc.LibraryProvinceIDs))
	return drafts, draftArgs, reads, readArgs
}

type summaryRow struct {
	ID              int64
	CentreID        *int64
	ProvinceID      *int64
	OwnerName       string
	Status          string
	Title           string
	Summary         string
	CategoryCode    string
	Mode            string
	EstimatedHours  *float64
	HasDraft        bool
	PublishedNumber *int
	UpdatedAt       time.Time
	CoverKey        *string
	CoverType       *string
}

// List lists the courses the scope reads, newest change first: the draft's
// title for those read with drafts, else the published one's.
func (s *Courses) List(ctx context.Context, sc courses.Scope, f courses.ListFilter) (courses.Page, error) {
	drafts, dargs, reads, rargs := courseScopeSQL(sc)
	var args []any
	sql := `SELECT c.id, c.centre_id, c.province_id, coalesce(ce.name, pu.name, '') AS owner_name, c.status, v.title, v.summary, v.category_code,
		v.mode, v.estimated_hours, (c.draft_version_id IS NOT NULL AND ` + drafts + `) AS has_draft, pv.number AS published_number, c.updated_at, ` + coverColumnsSQL + `
		FROM courses c` + headJoins + `
		JOIN course_versions v ON v.id = CASE WHEN ` + drafts + ` THEN coalesce(c.draft_version_id, c.published_version_id) ELSE c.published_version_id END
		` + coverJoinSQL("v.cover_material_id") + `
		WHERE ` + reads
	args = append(append(append(args, dargs...), dargs...), rargs...)
	if f.CentreID != 0 {
		sql += ` AND c.centre_id = ?`
		args = append(args, f.CentreID)
	}
	if f.ProvinceID != 0 {
		sql += ` AND c.province_id = ?`
		args = append(args, f.ProvinceID)
	}
	if f.Status != "" {
		sql += ` AND c.status = ?`
		args = append(args, string(f.Status))
	}
	if f.Q != "" {
		sql += ` AND v.search_text LIKE ?`
		args = append(args, "%"+likeEscape(f.Q)+"%")
	}
	if f.After != nil {
		sql += ` AND (c.updated_at, c.id) < (?, ?)`
		args = append(args, f.After.UpdatedAt, f.After.ID)
	}
	sql += ` ORDER BY c.updated_at DESC, c.id DESC LIMIT ?`
	args = append(args, f.Limit+1)
	var rows []summaryRow
	if err := s.db.q(ctx).Raw(sql, args...).Scan(&rows).Error; err != nil {
		return courses.Page{}, translate("postgres.ListCourses", err)
	}
	page := courses.Page{Items: make([]courses.Summary, 0, len(rows))}
	for i, r := range rows {
		if i == f.Limit {
			page.Next = &courses.Cursor{UpdatedAt: rows[i-1].UpdatedAt, ID: rows[i-1].ID}
			break
		}
		item := courses.Summary{ID: r.ID, OwnerKind: "centre", OwnerID: deref(r.CentreID), OwnerName: r.OwnerName, Status: courses.Status(r.Status),
			Title: r.Title, Summary: r.Summary, Category: r.CategoryCode, Mode: courses.Mode(r.Mode), EstimatedHours: r.EstimatedHours,
			HasDraft: r.HasDraft, PublishedNumber: deref(r.PublishedNumber), UpdatedAt: r.UpdatedAt, Cover: coverOf(r.CoverKey, r.CoverType)}
		if r.ProvinceID != nil {
			item.OwnerKind, item.OwnerID = "province", *r.ProvinceID
		}
		page.Items = append(page.Items, item)
	}
	return page, nil
}

// likeEscape escapes LIKE's wildcards.
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// Versions lists a course's versions, the draft first, then newest first.
func (s *Courses) Versions(ctx context.Context, courseID int64) ([]courses.VersionInfo, error) {
	var rows []struct {
		ID          int64
		Number      *int
		Title       string
		Current     bool
		CreatedAt   time.Time
		PublishedAt *time.Time
	}
	err := s.db.q(ctx).Raw(`SELECT v.id, v.number, v.title, v.id = c.published_version_id AS current, v.created_at, v.published_at
		FROM course_versions v JOIN courses c ON c.id = v.course_id WHERE v.course_id = ? ORDER BY v.number DESC NULLS FIRST`, courseID).Scan(&rows).Error
	if err != nil {
		return nil, translate("postgres.CourseVersions", err)
	}
	out := make([]courses.VersionInfo, len(rows))
	for i, r := range rows {
		out[i] = courses.VersionInfo{ID: r.ID, Number: deref(r.Number), Title: r.Title, Current: r.Current, CreatedAt: r.CreatedAt, PublishedAt: r.PublishedAt}
	}
	return out, nil
}

// CentreProvince returns the province of a centre.
func (s *Courses) CentreProvince(ctx context.Context, centreID int64) (int64, error) {
	var id int64
	err := s.db.q(ctx).Raw(`SELECT coalesce(u.parent_id, 0) FROM centres c JOIN units u ON u.id = c.unit_id WHERE c.id = ?`, centreID).Take(&id).Error
	return id, translate("postgres.CentreProvince", err)
}

// IsProvince reports whether the unit is a province current on the day
// today.
func (s *Courses) IsProvince(ctx context.Context, unitID int64, today time.Time) (bool, error) {
	var ok bool
	err := s.db.q(ctx).Raw(`SELECT EXISTS (SELECT 1 FROM units WHERE id = ? AND kind = 'province' AND (valid_to IS NULL OR valid_to >= ?::date))`,
		unitID, today.Format(time.DateOnly)).
		Take(&ok).Error
	return ok, translate("postgres.IsProvince", err)
}

// TagSteps returns the level steps of each known competence's framework.
func (s *Courses) TagSteps(ctx context.Context, ids []int32) (map[int32][]int16, error) {
	var rows []struct {
		ID    int32
		Steps string
	}
	err := s.db.q(ctx).Raw(`SELECT co.id, coalesce((SELECT json_agg(cl.step ORDER BY cl.step) FROM competence_levels cl
		WHERE cl.framework_id = co.framework_id), '[]') AS steps FROM competences co WHERE co.id IN ?`, ids).Scan(&rows).Error
	if err != nil {
		return nil, translate("postgres.TagSteps", err)
	}
	out := make(map[int32][]int16, len(rows))
	for _, r := range rows {
		var steps []int16
		if err := json.Unmarshal([]byte(r.Steps), &steps); err != nil {
			return nil, domain.Wrap("postgres.TagSteps", domain.CodeInternal, err)
		}
		out[r.ID] = steps
	}
	return out, nil
}

// CategoryExists reports whether an active category has the code.
func (s *Courses) CategoryExists(ctx context.Context, code string) (bool, error) {
	var ok bool
	err := s.db.q(ctx).Raw(`SELECT EXISTS (SELECT 1 FROM course_categories WHERE code = ? AND active)`, code).Take(&ok).Error
	return ok, translate("postgres.CategoryExists", err)
}

// MaterialKind returns the kind of a ready material of the course, "" when none.
func (s *Courses) MaterialKind(ctx context.Context, courseID, materialID int64) (string, error) {
	var kinds []string
	err := s.db.q(ctx).Raw(`SELECT kind FROM materials WHERE id = ? AND course_id = ? AND status = 'ready'`, materialID, courseID).Scan(&kinds).Error
	if err != nil || len(kinds) == 0 {
		return "", translate("postgres.MaterialKind", err)
	}
	return kinds[0], nil
}

// lockDraft locks the course row and checks that versionID is still its
// draft (a publish may have come between the use case's check and the write).
func lockDraft(tx *gorm.DB, courseID, versionID int64) error {
	var draft *int64
	if err := tx.Raw(`SELECT draft_version_id FROM courses WHERE id = ? FOR UPDATE`, courseID).Row().Scan(&draft); err != nil {
		return err
	}
	if draft == nil || *draft != versionID {
		return errVersionPublished
	}
	return tx.Exec(`UPDATE courses SET updated_at = now() WHERE id = ?`, courseID).Error
}
