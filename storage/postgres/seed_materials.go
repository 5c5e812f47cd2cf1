package postgres

import (
	"context"

	"gorm.io/gorm"

	"densach/domain"
)

// DemoMaterialCourse finds the course a demo file goes to by the title of
// any of its versions: its id, owner and creator. CodeNotFound when the
// demo has no such course (the courses' seed did not run).
func (db *DB) DemoMaterialCourse(ctx context.Context, title string) (int64, domain.StorageOwner, int64, error) {
	var r struct {
		ID, CreatedBy        int64
		CentreID, ProvinceID *int64
	}
	err := db.q(ctx).Raw(`SELECT c.id, c.created_by, c.centre_id, c.province_id FROM courses c
		WHERE EXISTS (SELECT 1 FROM course_versions v WHERE v.course_id = c.id AND v.title = ?) ORDER BY c.id LIMIT 1`, title).Scan(&r).Error
	if err == nil && r.ID == 0 {
		err = gorm.ErrRecordNotFound
	}
	if err != nil {
		return 0, domain.StorageOwner{}, 0, translate("postgres.DemoMaterialCourse", err)
	}
	var o domain.StorageOwner
	if r.CentreID != nil {
		o.CentreID = *r.CentreID
	}
	if r.ProvinceID != nil {
		o.ProvinceID = *r.ProvinceID
	}
	return r.ID, o, r.CreatedBy, nil
}

// HasMaterialNamed reports whether a course has a material of that name.
func (db *DB) HasMaterialNamed(ctx context.Context, courseID int64, name string) (bool, error) {
	var n int64
	err := db.q(ctx).Table("materials").Where("course_id = ? AND display_name = ?", courseID, name).Count(&n).Error
	return n > 0, translate("postgres.HasMaterialNamed", err)
}

// SeedDemoMaterial stores a ready material whose file is already in the
// object store, unless its course has one of that name (then it reports
// false), and makes the course's lessons of lessonKind that have neither a
// file nor a link use it. Published lessons too: the demo's course is
// published by its seed before its files can be stored (MinIO may come up
// minutes later), and filling in those lessons is the demo seed's business
// only, so the trigger that freezes published versions is set aside for
// that one statement (session_replication_role; the development database's
// superuser). Where that is not allowed, only draft lessons get the file.
func (db *DB) SeedDemoMaterial(ctx context.Context, m *domain.Material, lessonKind string) (bool, error) {
	created := false
	err := db.tx(ctx, "postgres.SeedDemoMaterial", func(tx *gorm.DB) error {
		var n int64
		if err := tx.Table("materials").Where("course_id = ? AND display_name = ?", m.CourseID, m.DisplayName).Count(&n).Error; err != nil || n > 0 {
			return err
		}
		r := materialRow{CourseID: m.CourseID, CentreID: optionalID(m.CentreID), ProvinceID: optionalID(m.ProvinceID), ObjectKey: m.ObjectKey,
			DisplayName: m.DisplayName, Kind: string(m.Kind), ContentType: m.ContentType, DeclaredSize: m.DeclaredSize, Size: &m.Size,
			Status: string(domain.MaterialReady), UploadedBy: m.UploadedBy, ExpiresAt: m.ExpiresAt, ConfirmedAt: &m.ExpiresAt}
		if err := tx.Create(&r).Error; err != nil {
			return err
		}
		m.ID, created = r.ID, true
		const attach = `UPDATE lessons SET material_id = ? WHERE kind = ? AND material_id IS NULL AND url = ''
			AND version_id IN (SELECT id FROM course_versions WHERE course_id = ? AND (number IS NULL) = ?)`
		if err := tx.Exec(attach, m.ID, lessonKind, m.CourseID, true).Error; err != nil {
			return err
		}
		tx.SavePoint("published")
		if err := tx.Exec(`SET LOCAL session_replication_role = replica`).Error; err != nil {
			tx.RollbackTo("published")
			return nil
		}
		if err := tx.Exec(attach, m.ID, lessonKind, m.CourseID, false).Error; err != nil {
			return err
		}
		return tx.Exec(`SET LOCAL session_replication_role = origin`).Error
	})
	return created, err
}
