package postgres

import (
	"context"

	"gorm.io/gorm"

	"densach/domain"
)

// DemoCourse is a demo course that files go to: its id, owner, creator
// (a person) and the creator's account (0 when they have none).
type DemoCourse struct {
	ID             int64
	Owner          domain.StorageOwner
	CreatedBy      int64
	CreatorAccount int64
}

// DemoCourseByTitle finds a course by the title of any of its versions
// (the first made, if several). CodeNotFound when there is none (the
// courses' seed did not run).
func (db *DB) DemoCourseByTitle(ctx context.Context, title string) (DemoCourse, error) {
	return db.demoCourse(ctx, "postgres.DemoCourseByTitle",
		`EXISTS (SELECT 1 FROM course_versions v WHERE v.course_id = c.id AND v.title = ?)`, title)
}

// DemoCourseByID reads a course's owner and creator.
func (db *DB) DemoCourseByID(ctx context.Context, id int64) (DemoCourse, error) {
	return db.demoCourse(ctx, "postgres.DemoCourseByID", `c.id = ?`, id)
}

func (db *DB) demoCourse(ctx context.Context, op, where string, arg any) (DemoCourse, error) {
	var r struct {
		ID, CreatedBy, CreatorAccount int64
		CentreID, ProvinceID          *int64
	}
	err := db.q(ctx).Raw(`SELECT c.id, c.created_by, c.centre_id, c.province_id,
		coalesce((SELECT a.id FROM accounts a WHERE a.person_id = c.created_by), 0) AS creator_account
		FROM courses c WHERE `+where+` ORDER BY c.id LIMIT 1`, arg).Scan(&r).Error
	if err == nil && r.ID == 0 {
		err = gorm.ErrRecordNotFound
	}
	if err != nil {
		return DemoCourse{}, translate(op, err)
	}
	c := DemoCourse{ID: r.ID, CreatedBy: r.CreatedBy, CreatorAccount: r.CreatorAccount}
	if r.CentreID != nil {
		c.Owner.CentreID = *r.CentreID
	}
	if r.ProvinceID != nil {
		c.Owner.ProvinceID = *r.ProvinceID
	}
	return c, nil
}

// MaterialNamed returns the id of a course's material of that name, 0 when
// it has none.
func (db *DB) MaterialNamed(ctx context.Context, courseID int64, name string) (int64, error) {
	var ids []int64
	err := db.q(ctx).Table("materials").Where("course_id = ? AND display_name = ?", courseID, name).Order("id").Limit(1).Pluck("id", &ids).Error
	if err != nil || len(ids) == 0 {
		return 0, translate("postgres.MaterialNamed", err)
	}
	return ids[0], nil
}

// SeedDemoMaterial stores a ready material whose file is already in the
// object store, unless its course (or its session) has one of that name
// (then it sets m.ID to that one and reports false).
func (db *DB) SeedDemoMaterial(ctx context.Context, m *domain.Material) (bool, error) {
	created := false
	err := db.tx(ctx, "postgres.SeedDemoMaterial", func(tx *gorm.DB) error {
		var ids []int64
		held := tx.Table("materials").Where("course_id = ?", m.CourseID)
		if m.SessionID != 0 {
			held = tx.Table("materials").Where("session_id = ?", m.SessionID)
		}
		if err := held.Where("display_name = ?", m.DisplayName).Pluck("id", &ids).Error; err != nil {
			return err
		}
		if len(ids) > 0 {
			m.ID = ids[0]
			return nil
		}
		r := materialRow{CourseID: optionalID(m.CourseID), SessionID: optionalID(m.SessionID), CentreID: optionalID(m.CentreID), ProvinceID: optionalID(m.ProvinceID), ObjectKey: m.ObjectKey,
			DisplayName: m.DisplayName, Kind: string(m.Kind), ContentType: m.ContentType, DeclaredSize: m.DeclaredSize, Size: &m.Size,
			Status: string(domain.MaterialReady), UploadedBy: m.UploadedBy, ExpiresAt: m.ExpiresAt, ConfirmedAt: &m.ExpiresAt}
		if err := tx.Create(&r).Error; err != nil {
			return err
		}
		m.ID, created = r.ID, true
		return nil
	})
	return created, err
}

// DemoSession is a demo class's session that a handout goes to: its id,
// its class's centre and its teacher (who uploads it).
type DemoSession struct {
	ID, CentreID, TeacherID int64
}

// DemoFirstSession finds the first scheduled session with a teacher of the
// class of that title (the first such class). CodeNotFound when there is
// none (the classes' seed did not run).
func (db *DB) DemoFirstSession(ctx context.Context, classTitle string) (DemoSession, error) {
	var s DemoSession
	err := db.q(ctx).Raw(`SELECT s.id, c.centre_id, s.teacher_id FROM class_sessions s JOIN classes c ON c.id = s.class_id
		WHERE c.id = (SELECT id FROM classes WHERE title = ? ORDER BY id LIMIT 1) AND s.status = 'scheduled' AND s.teacher_id IS NOT NULL
		ORDER BY s.starts_at, s.id LIMIT 1`, classTitle).Scan(&s).Error
	if err == nil && s.ID == 0 {
		err = gorm.ErrRecordNotFound
	}
	return s, translate("postgres.DemoFirstSession", err)
}

// SessionMaterialNamed returns the id of a session's material of that
// name, 0 when it has none.
func (db *DB) SessionMaterialNamed(ctx context.Context, sessionID int64, name string) (int64, error) {
	var ids []int64
	err := db.q(ctx).Table("materials").Where("session_id = ? AND display_name = ?", sessionID, name).Order("id").Limit(1).Pluck("id", &ids).Error
	if err != nil || len(ids) == 0 {
		return 0, translate("postgres.SessionMaterialNamed", err)
	}
	return ids[0], nil
}
