package postgres

import (
	"context"
	"time"

	"gorm.io/gorm"

	"densach/domain"
	"densach/domain/courses"
)

// tx is db.tx with the frozen-version refusal translated.
func (s *Courses) tx(ctx context.Context, op string, fn func(tx *gorm.DB) error) error {
	err := s.db.tx(ctx, op, fn)
	if e := domain.AsError(err); err != nil && e.Code == domain.CodeInternal && e.Err != nil {
		return translateCourse(op, e.Err)
	}
	return err
}

func tagRows[T any](tags []domain.CompetenceTag, row func(domain.CompetenceTag, *int16) T) []T {
	out := make([]T, len(tags))
	for i, t := range tags {
		out[i] = row(t, optional(t.LevelStep))
	}
	return out
}

func writeCourseTags(tx *gorm.DB, versionID int64, tags []domain.CompetenceTag) error {
	if err := tx.Where("version_id = ?", versionID).Delete(&courseTagRow{}).Error; err != nil || len(tags) == 0 {
		return err
	}
	return tx.Create(tagRows(tags, func(t domain.CompetenceTag, step *int16) courseTagRow {
		return courseTagRow{VersionID: versionID, CompetenceID: t.CompetenceID, LevelStep: step}
	})).Error
}

func writeLessonTags(tx *gorm.DB, lessonID int64, tags []domain.CompetenceTag) error {
	if err := tx.Where("lesson_id = ?", lessonID).Delete(&lessonTagRow{}).Error; err != nil || len(tags) == 0 {
		return err
	}
	return tx.Create(tagRows(tags, func(t domain.CompetenceTag, step *int16) lessonTagRow {
		return lessonTagRow{LessonID: lessonID, CompetenceID: t.CompetenceID, LevelStep: step}
	})).Error
}

// Create stores a course with its draft.
func (s *Courses) Create(ctx context.Context, c courses.NewCourse, by int64) (int64, error) {
	row := courseRow{CentreID: optional(c.CentreID), ProvinceID: optional(c.ProvinceID), Status: string(courses.StatusDraft), CreatedBy: by}
	err := s.tx(ctx, "postgres.CreateCourse", func(tx *gorm.DB) error {
		if err := tx.Omit("published_version_id", "draft_version_id", "copied_from_version_id").Create(&row).Error; err != nil {
			return err
		}
		v := versionRowOf(row.ID, c.Details, by)
		if err := tx.Omit("number", "published_at", "published_by").Create(&v).Error; err != nil {
			return err
		}
		if err := writeCourseTags(tx, v.ID, c.Tags); err != nil {
			return err
		}
		return tx.Model(&row).Update("draft_version_id", v.ID).Error
	})
	return row.ID, err
}

// UpdateDraft writes the draft's details and, when tags is not nil, its tags.
func (s *Courses) UpdateDraft(ctx context.Context, courseID, draftID int64, d courses.Details, tags *[]domain.CompetenceTag) error {
	return s.tx(ctx, "postgres.UpdateCourseDraft", func(tx *gorm.DB) error {
		if err := lockDraft(tx, courseID, draftID); err != nil {
			return err
		}
		row := versionRowOf(courseID, d, 0)
		row.ID, row.UpdatedAt = draftID, time.Now()
		if err := tx.Model(&row).Select(versionDetailColumns).Updates(&row).Error; err != nil {
			return err
		}
		if tags != nil {
			return writeCourseTags(tx, draftID, *tags)
		}
		return nil
	})
}

// OpenDraft deep-copies the published version into a new draft unless one is open.
func (s *Courses) OpenDraft(ctx context.Context, courseID, by int64) (int64, error) {
	var draft int64
	err := s.tx(ctx, "postgres.OpenCourseDraft", func(tx *gorm.DB) error {
		var c courseRow
		if err := tx.Raw(`SELECT * FROM courses WHERE id = ? FOR UPDATE`, courseID).Take(&c).Error; err != nil {
			return err
		}
		if c.DraftVersionID != nil {
			draft = *c.DraftVersionID
			return nil
		}
		if c.PublishedVersionID == nil {
			return domain.Fail(domain.CodeConflict, "course_no_draft", nil)
		}
		var err error
		if draft, err = copyVersion(tx, *c.PublishedVersionID, courseID, by); err != nil {
			return err
		}
		return tx.Exec(`UPDATE courses SET draft_version_id = ?, updated_at = now() WHERE id = ?`, draft, courseID).Error
	})
	return draft, err
}

// copyVersion deep-copies a version (details, tags, modules, lessons,
// lesson tags, quiz settings; keys and material ids kept) into a new draft
// of courseID, in six statements whatever its size.
func copyVersion(tx *gorm.DB, from, courseID, by int64) (int64, error) {
	var to int64
	err := tx.Raw(`INSERT INTO course_versions (course_id, title, summary, description_md, category_code, target_groups, estimated_hours,
			mode, sequential, cover_material_id, search_text, created_by)
		SELECT ?, title, summary, description_md, category_code, target_groups, estimated_hours, mode, sequential, cover_material_id, search_text, ?
		FROM course_versions WHERE id = ? RETURNING id`, courseID, by, from).Row().Scan(&to)
	if err != nil {
		return 0, err
	}
	for _, q := range []string{
		`INSERT INTO course_tags (version_id, competence_id, level_step) SELECT @to, competence_id, level_step FROM course_tags WHERE version_id = @from`,
		`INSERT INTO course_modules (version_id, key, position, title) SELECT @to, key, position, title FROM course_modules WHERE version_id = @from`,
		`INSERT INTO lessons (module_id, version_id, key, position, kind, title, body_md, url, material_id, required, estimated_minutes)
		 SELECT nm.id, @to, l.key, l.position, l.kind, l.title, l.body_md, l.url, l.material_id, l.required, l.estimated_minutes
		 FROM lessons l JOIN course_modules om ON om.id = l.module_id JOIN course_modules nm ON nm.version_id = @to AND nm.key = om.key
		 WHERE l.version_id = @from`,
		`INSERT INTO lesson_tags (lesson_id, competence_id, level_step)
		 SELECT nl.id, lt.competence_id, lt.level_step FROM lesson_tags lt JOIN lessons ol ON ol.id = lt.lesson_id
		 JOIN lessons nl ON nl.version_id = @to AND nl.key = ol.key WHERE ol.version_id = @from`,
	} {
		if err := tx.Exec(q, map[string]any{"to": to, "from": from}).Error; err != nil {
			return 0, err
		}
	}
	// The quiz lessons' settings travel with their lessons (quizzes.go).
	return to, copyQuizSettings(tx, from, to)
}

// DiscardDraft deletes the open draft.
func (s *Courses) DiscardDraft(ctx context.Context, courseID int64) error {
	return s.tx(ctx, "postgres.DiscardCourseDraft", func(tx *gorm.DB) error {
		var c courseRow
		if err := tx.Raw(`SELECT * FROM courses WHERE id = ? FOR UPDATE`, courseID).Take(&c).Error; err != nil {
			return err
		}
		if c.DraftVersionID == nil || c.PublishedVersionID == nil {
			return domain.Fail(domain.CodeConflict, "course_no_draft", nil)
		}
		if err := tx.Exec(`UPDATE courses SET draft_version_id = NULL, updated_at = now() WHERE id = ?`, courseID).Error; err != nil {
			return err
		}
		return tx.Exec(`DELETE FROM course_versions WHERE id = ?`, *c.DraftVersionID).Error
	})
}

// Publish numbers the draft and makes it the published version.
func (s *Courses) Publish(ctx context.Context, courseID, by int64, at time.Time) error {
	return s.tx(ctx, "postgres.PublishCourse", func(tx *gorm.DB) error {
		var c courseRow
		if err := tx.Raw(`SELECT * FROM courses WHERE id = ? FOR UPDATE`, courseID).Take(&c).Error; err != nil {
			return err
		}
		if c.DraftVersionID == nil {
			return domain.Fail(domain.CodeConflict, "course_no_draft", nil)
		}
		draft := *c.DraftVersionID
		var lessons int64
		if err := tx.Raw(`SELECT count(*) FROM lessons WHERE version_id = ?`, draft).Row().Scan(&lessons); err != nil {
			return err
		}
		if lessons == 0 {
			return domain.Fail(domain.CodeInvalid, "course_empty", nil)
		}
		// The quiz lessons' questions are frozen with the version (quizzes.go).
		if err := freezeQuizzes(tx, draft, courseID); err != nil {
			return err
		}
		err := tx.Exec(`UPDATE course_versions SET number = (SELECT coalesce(max(number), 0) + 1 FROM course_versions WHERE course_id = ?),
			published_at = ?, published_by = ?, updated_at = now() WHERE id = ?`, courseID, at, by, draft).Error
		if err != nil {
			return err
		}
		return tx.Exec(`UPDATE courses SET published_version_id = ?, draft_version_id = NULL, status = 'published', updated_at = now() WHERE id = ?`,
			draft, courseID).Error
	})
}

// SetStatus moves a course between statuses.
func (s *Courses) SetStatus(ctx context.Context, courseID int64, from, to courses.Status) error {
	res := s.db.q(ctx).Exec(`UPDATE courses SET status = ?, updated_at = now() WHERE id = ? AND status = ?`, string(to), courseID, string(from))
	if res.Error != nil {
		return translate("postgres.SetCourseStatus", res.Error)
	}
	if res.RowsAffected == 0 {
		return domain.Fail(domain.CodeConflict, "concurrent_change", nil)
	}
	return nil
}

// Delete deletes a never-published course with its draft and materials' rows.
func (s *Courses) Delete(ctx context.Context, courseID int64) error {
	return s.tx(ctx, "postgres.DeleteCourse", func(tx *gorm.DB) error {
		res := tx.Exec(`DELETE FROM courses WHERE id = ? AND published_version_id IS NULL`, courseID)
		if res.Error == nil && res.RowsAffected == 0 {
			return domain.Fail(domain.CodeConflict, "course_published", nil)
		}
		return res.Error
	})
}

// Copy makes a new draft course at the centre from a published version;
// its modules and lessons get keys of their own (another course).
func (s *Courses) Copy(ctx context.Context, versionID, centreID, by int64) (int64, error) {
	row := courseRow{CentreID: &centreID, Status: string(courses.StatusDraft), CopiedFromVersionID: &versionID, CreatedBy: by}
	err := s.tx(ctx, "postgres.CopyCourse", func(tx *gorm.DB) error {
		if err := tx.Omit("published_version_id", "draft_version_id").Create(&row).Error; err != nil {
			return err
		}
		draft, err := copyVersion(tx, versionID, row.ID, by)
		if err != nil {
			return err
		}
		for _, q := range []string{
			`UPDATE course_modules SET key = gen_random_uuid() WHERE version_id = ?`,
			`UPDATE lessons SET key = gen_random_uuid() WHERE version_id = ?`,
		} {
			if err := tx.Exec(q, draft).Error; err != nil {
				return err
			}
		}
		return tx.Model(&row).Update("draft_version_id", draft).Error
	})
	return row.ID, err
}

// AddModule appends a module to a draft.
func (s *Courses) AddModule(ctx context.Context, courseID, versionID int64, title string) (courses.Module, error) {
	row := courseModuleRow{VersionID: versionID, Key: newKey(), Title: title}
	err := s.tx(ctx, "postgres.AddModule", func(tx *gorm.DB) error {
		if err := lockDraft(tx, courseID, versionID); err != nil {
			return err
		}
		if err := tx.Raw(`SELECT coalesce(max(position), 0) + 1 FROM course_modules WHERE version_id = ?`, versionID).Row().Scan(&row.Position); err != nil {
			return err
		}
		return tx.Create(&row).Error
	})
	return courses.Module{ID: row.ID, Key: row.Key, Position: row.Position, Title: row.Title, Lessons: []courses.Lesson{}}, err
}

// moduleVersion is the version of a module.
func moduleVersion(tx *gorm.DB, moduleID int64) (int64, error) {
	var vid int64
	err := tx.Raw(`SELECT version_id FROM course_modules WHERE id = ?`, moduleID).Take(&vid).Error
	return vid, err
}

// RenameModule renames a module of the draft.
func (s *Courses) RenameModule(ctx context.Context, courseID, moduleID int64, title string) (courses.Module, error) {
	var row courseModuleRow
	err := s.tx(ctx, "postgres.RenameModule", func(tx *gorm.DB) error {
		vid, err := moduleVersion(tx, moduleID)
		if err != nil {
			return err
		}
		if err := lockDraft(tx, courseID, vid); err != nil {
			return err
		}
		if err := tx.Model(&courseModuleRow{ID: moduleID}).Update("title", title).Error; err != nil {
			return err
		}
		return tx.Raw(`SELECT id, version_id, key::text AS key, position, title FROM course_modules WHERE id = ?`, moduleID).Take(&row).Error
	})
	if err != nil {
		return courses.Module{}, err
	}
	_, mods, err := s.Load(ctx, row.VersionID)
	for _, m := range mods {
		if m.ID == moduleID {
			return m, err
		}
	}
	return courses.Module{ID: row.ID, Key: row.Key, Position: row.Position, Title: row.Title, Lessons: []courses.Lesson{}}, err
}

// DeleteModule deletes a module with its lessons; the later modules move up.
func (s *Courses) DeleteModule(ctx context.Context, courseID, moduleID int64) error {
	return s.tx(ctx, "postgres.DeleteModule", func(tx *gorm.DB) error {
		var m courseModuleRow
		if err := tx.Raw(`SELECT id, version_id, key::text AS key, position, title FROM course_modules WHERE id = ?`, moduleID).Take(&m).Error; err != nil {
			return err
		}
		if err := lockDraft(tx, courseID, m.VersionID); err != nil {
			return err
		}
		if err := tx.Delete(&courseModuleRow{ID: moduleID}).Error; err != nil {
			return err
		}
		return tx.Exec(`UPDATE course_modules SET position = position - 1 WHERE version_id = ? AND position > ?`, m.VersionID, m.Position).Error
	})
}

// AddLesson appends a lesson to a module of the draft.
func (s *Courses) AddLesson(ctx context.Context, courseID, moduleID int64, in courses.LessonInput) (int64, error) {
	row := lessonRowOf(in)
	row.ModuleID, row.Key = moduleID, newKey()
	err := s.tx(ctx, "postgres.AddLesson", func(tx *gorm.DB) error {
		var err error
		if row.VersionID, err = moduleVersion(tx, moduleID); err != nil {
			return err
		}
		if err := lockDraft(tx, courseID, row.VersionID); err != nil {
			return err
		}
		if err := tx.Raw(`SELECT coalesce(max(position), 0) + 1 FROM lessons WHERE module_id = ?`, moduleID).Row().Scan(&row.Position); err != nil {
			return err
		}
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		return writeLessonTags(tx, row.ID, in.Tags)
	})
	return row.ID, err
}

// lessonVersion locks the draft a lesson lies in.
func lessonVersion(tx *gorm.DB, courseID, lessonID int64) (lessonRow, error) {
	var l lessonRow
	if err := tx.Raw(`SELECT id, module_id, version_id, position FROM lessons WHERE id = ?`, lessonID).Take(&l).Error; err != nil {
		return l, err
	}
	return l, lockDraft(tx, courseID, l.VersionID)
}

// UpdateLesson rewrites a lesson of the draft.
func (s *Courses) UpdateLesson(ctx context.Context, courseID, lessonID int64, in courses.LessonInput) error {
	return s.tx(ctx, "postgres.UpdateLesson", func(tx *gorm.DB) error {
		if _, err := lessonVersion(tx, courseID, lessonID); err != nil {
			return err
		}
		row := lessonRowOf(in)
		row.ID = lessonID
		if err := tx.Model(&row).Select(lessonColumns).Updates(&row).Error; err != nil {
			return err
		}
		return writeLessonTags(tx, lessonID, in.Tags)
	})
}

// DeleteLesson deletes a lesson; the later ones of its module move up.
func (s *Courses) DeleteLesson(ctx context.Context, courseID, lessonID int64) error {
	return s.tx(ctx, "postgres.DeleteLesson", func(tx *gorm.DB) error {
		l, err := lessonVersion(tx, courseID, lessonID)
		if err != nil {
			return err
		}
		if err := tx.Delete(&lessonRow{ID: lessonID}).Error; err != nil {
			return err
		}
		return tx.Exec(`UPDATE lessons SET position = position - 1 WHERE module_id = ? AND position > ?`, l.ModuleID, l.Position).Error
	})
}

// Reorder sets the draft's whole order in one transaction. The unique
// positions are checked at commit (deferred), so no intermediate state
// matters and no final state can hold two at one position.
func (s *Courses) Reorder(ctx context.Context, courseID, versionID int64, order []courses.ModuleOrder) error {
	return s.tx(ctx, "postgres.ReorderCourse", func(tx *gorm.DB) error {
		if err := lockDraft(tx, courseID, versionID); err != nil {
			return err
		}
		var mods, lessons []int64
		if err := tx.Raw(`SELECT id FROM course_modules WHERE version_id = ?`, versionID).Scan(&mods).Error; err != nil {
			return err
		}
		if err := tx.Raw(`SELECT id FROM lessons WHERE version_id = ?`, versionID).Scan(&lessons).Error; err != nil {
			return err
		}
		var mIDs, mPos, lIDs, lMods, lPos []int64
		for i, m := range order {
			mIDs, mPos = append(mIDs, m.ID), append(mPos, int64(i+1))
			for j, l := range m.LessonIDs {
				lIDs, lMods, lPos = append(lIDs, l), append(lMods, m.ID), append(lPos, int64(j+1))
			}
		}
		if !sameSet(mods, mIDs) || !sameSet(lessons, lIDs) {
			return domain.Invalid(domain.FieldOf("modules", "structure_mismatch", nil))
		}
		if len(mIDs) > 0 {
			if err := tx.Exec(`UPDATE course_modules m SET position = v.pos FROM unnest(?::bigint[], ?::int[]) AS v(id, pos)
				WHERE m.id = v.id AND m.version_id = ?`, pgArray(mIDs), pgArray(mPos), versionID).Error; err != nil {
				return err
			}
		}
		if len(lIDs) > 0 {
			return tx.Exec(`UPDATE lessons l SET module_id = v.mid, position = v.pos FROM unnest(?::bigint[], ?::bigint[], ?::int[]) AS v(id, mid, pos)
				WHERE l.id = v.id AND l.version_id = ?`, pgArray(lIDs), pgArray(lMods), pgArray(lPos), versionID).Error
		}
		return nil
	})
}

// sameSet reports whether two lists of distinct ids hold the same ids.
func sameSet(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	in := make(map[int64]bool, len(a))
	for _, x := range a {
		in[x] = true
	}
	for _, x := range b {
		if !in[x] {
			return false
		}
	}
	return true
}
