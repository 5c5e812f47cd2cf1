package postgres

import (
	"context"
	"time"

	"gorm.io/gorm"

	"densach/domain"
)

// Materials keeps course materials' rows (their files live in the object
// store). It implements domain.MaterialStore.
type Materials struct{ db *DB }

// NewMaterials returns the material store over the pool.
func NewMaterials(db *DB) *Materials { return &Materials{db: db} }

var _ domain.MaterialStore = (*Materials)(nil)

// materialRow is one row of materials.
type materialRow struct {
	ID           int64 `gorm:"primaryKey"`
	CourseID     *int64
	SessionID    *int64
	CentreID     *int64
	ProvinceID   *int64
	ObjectKey    string
	DisplayName  string
	Kind         string
	ContentType  string
	DeclaredSize int64
	Size         *int64
	Status       string
	UploadedBy   int64
	CreatedAt    time.Time `gorm:"->"`
	ExpiresAt    time.Time
	ConfirmedAt  *time.Time
}

func (materialRow) TableName() string { return "materials" }

func (r materialRow) domain() domain.Material {
	m := domain.Material{ID: r.ID, ObjectKey: r.ObjectKey, DisplayName: r.DisplayName, Kind: domain.MaterialKind(r.Kind),
		ContentType: r.ContentType, DeclaredSize: r.DeclaredSize, Status: domain.MaterialStatus(r.Status), UploadedBy: r.UploadedBy,
		CreatedAt: r.CreatedAt, ExpiresAt: r.ExpiresAt, ConfirmedAt: r.ConfirmedAt}
	if r.CourseID != nil {
		m.CourseID = *r.CourseID
	}
	if r.SessionID != nil {
		m.SessionID = *r.SessionID
	}
	if r.CentreID != nil {
		m.CentreID = *r.CentreID
	}
	if r.ProvinceID != nil {
		m.ProvinceID = *r.ProvinceID
	}
	if r.Size != nil {
		m.Size = *r.Size
	}
	return m
}

func optionalID(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

// ownerClause selects an owner's materials.
func ownerClause(q *gorm.DB, o domain.StorageOwner) *gorm.DB {
	if o.CentreID != 0 {
		return q.Where("centre_id = ?", o.CentreID)
	}
	return q.Where("province_id = ?", o.ProvinceID)
}

// usedSQL sums materials as the quota counts them: ready ones by their
// size, pending ones by the size they announced.
const usedSQL = "coalesce(sum(coalesce(size, declared_size)), 0)"

// CreatePendingMaterial stores a pending material when the owner's quota
// admits it. A transaction-scoped advisory lock on the owner serialises
// concurrent uploads of one centre (or library) between the sum and the
// insert.
func (s *Materials) CreatePendingMaterial(ctx context.Context, by domain.Actor, m *domain.Material, quota int64) error {
	o := domain.StorageOwner{CentreID: m.CentreID, ProvinceID: m.ProvinceID}
	return s.db.tx(ctx, "postgres.CreatePendingMaterial", func(tx *gorm.DB) error {
		lock := "materials:centre"
		id := o.CentreID
		if id == 0 {
			lock, id = "materials:province", o.ProvinceID
		}
		if err := tx.Exec(`SELECT pg_advisory_xact_lock(hashtext(?), ?::int)`, lock, id).Error; err != nil {
			return err
		}
		var used int64
		if err := ownerClause(tx.Table("materials"), o).Select(usedSQL).Row().Scan(&used); err != nil {
			return err
		}
		if used+m.DeclaredSize > quota {
			p := domain.Params{"used": used, "quota": quota, "size": m.DeclaredSize,
				"used_text": domain.FormatBytes(used), "quota_text": domain.FormatBytes(quota), "size_text": domain.FormatBytes(m.DeclaredSize)}
			return &domain.Error{Code: domain.CodeTooLarge, Key: "storage_quota_exceeded", Message: domain.Message("storage_quota_exceeded", p), Params: p,
				Fields: []domain.FieldError{domain.FieldOf("size", "storage_quota_exceeded", p)}}
		}
		r := materialRow{CourseID: optionalID(m.CourseID), SessionID: optionalID(m.SessionID), CentreID: optionalID(m.CentreID), ProvinceID: optionalID(m.ProvinceID), ObjectKey: m.ObjectKey,
			DisplayName: m.DisplayName, Kind: string(m.Kind), ContentType: m.ContentType, DeclaredSize: m.DeclaredSize,
			Status: string(domain.MaterialPending), UploadedBy: m.UploadedBy, ExpiresAt: m.ExpiresAt}
		if err := tx.Create(&r).Error; err != nil {
			return err
		}
		if err := tx.Raw(`SELECT created_at FROM materials WHERE id = ?`, r.ID).Row().Scan(&r.CreatedAt); err != nil {
			return err
		}
		*m = r.domain()
		return writeAudit(tx, by, "material_upload_requested", "material", m.ID, map[string]any{"course_id": r.CourseID, "session_id": r.SessionID,
			"display_name": m.DisplayName, "content_type": m.ContentType, "declared_size": m.DeclaredSize})
	})
}

// GetMaterial reads one material.
func (s *Materials) GetMaterial(ctx context.Context, id int64) (domain.Material, error) {
	var r materialRow
	if err := s.db.q(ctx).Take(&r, id).Error; err != nil {
		return domain.Material{}, translate("postgres.GetMaterial", err)
	}
	return r.domain(), nil
}

// ConfirmMaterial makes a pending material ready with its stored size.
func (s *Materials) ConfirmMaterial(ctx context.Context, by domain.Actor, id, size int64) (domain.Material, error) {
	var r materialRow
	err := s.db.tx(ctx, "postgres.ConfirmMaterial", func(tx *gorm.DB) error {
		res := tx.Exec(`UPDATE materials SET status = 'ready', size = ?, confirmed_at = now() WHERE id = ? AND status = 'pending'`, size, id)
		if res.Error != nil {
			return res.Error
		}
		if err := tx.Take(&r, id).Error; err != nil {
			return err
		}
		if res.RowsAffected == 0 {
			return nil
		}
		return writeAudit(tx, by, "material_confirmed", "material", id, map[string]any{"size": size})
	})
	return r.domain(), err
}

// inUseSQL is true for a material a lesson or a course cover refers to.
const inUseSQL = `EXISTS (SELECT 1 FROM lessons l WHERE l.material_id = materials.id)
	OR EXISTS (SELECT 1 FROM course_versions v WHERE v.cover_material_id = materials.id)`

// DeleteMaterial removes a material nothing refers to.
func (s *Materials) DeleteMaterial(ctx context.Context, by domain.Actor, id int64) error {
	return s.db.tx(ctx, "postgres.DeleteMaterial", func(tx *gorm.DB) error {
		var r struct {
			ObjectKey string
			InUse     bool
		}
		if err := tx.Raw(`SELECT object_key, `+inUseSQL+` AS in_use FROM materials WHERE id = ? FOR UPDATE`, id).Scan(&r).Error; err != nil {
			return err
		}
		switch {
		case r.ObjectKey == "":
			return gorm.ErrRecordNotFound
		case r.InUse:
			return domain.Fail(domain.CodeConflict, "material_in_use", nil)
		}
		if err := tx.Exec(`DELETE FROM materials WHERE id = ?`, id).Error; err != nil {
			return err
		}
		return writeAudit(tx, by, "material_deleted", "material", id, map[string]any{"object_key": r.ObjectKey})
	})
}

// ListCourseMaterials lists a course's ready materials and uploader's
// pending ones, newest first.
func (s *Materials) ListCourseMaterials(ctx context.Context, courseID, uploader int64) ([]domain.Material, error) {
	return s.list(ctx, "postgres.ListCourseMaterials", "course_id", courseID, uploader)
}

// ListSessionMaterials lists a class session's ready materials and
// uploader's pending ones, newest first.
func (s *Materials) ListSessionMaterials(ctx context.Context, sessionID, uploader int64) ([]domain.Material, error) {
	return s.list(ctx, "postgres.ListSessionMaterials", "session_id", sessionID, uploader)
}

func (s *Materials) list(ctx context.Context, op, column string, id, uploader int64) ([]domain.Material, error) {
	var rows []materialRow
	err := s.db.q(ctx).Where(column+" = ? AND (status = 'ready' OR uploaded_by = ?)", id, uploader).
		Order("created_at DESC, id DESC").Find(&rows).Error
	if err != nil {
		return nil, translate(op, err)
	}
	out := make([]domain.Material, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, nil
}

// MaterialRefs lists the courses whose versions use a material, split by
// published and draft versions.
func (s *Materials) MaterialRefs(ctx context.Context, id int64) ([]domain.MaterialRef, error) {
	var rows []struct {
		CourseID  int64
		Published bool
	}
	err := s.db.q(ctx).Raw(`SELECT DISTINCT v.course_id, v.number IS NOT NULL AS published
		FROM course_versions v
		WHERE v.cover_material_id = ? OR EXISTS (SELECT 1 FROM lessons l WHERE l.version_id = v.id AND l.material_id = ?)
		ORDER BY 1, 2 DESC`, id, id).Scan(&rows).Error
	if err != nil {
		return nil, translate("postgres.MaterialRefs", err)
	}
	out := make([]domain.MaterialRef, len(rows))
	for i, r := range rows {
		out[i] = domain.MaterialRef{CourseID: r.CourseID, Published: r.Published}
	}
	return out, nil
}

// StorageUsed sums an owner's materials as the quota counts them.
func (s *Materials) StorageUsed(ctx context.Context, o domain.StorageOwner) (int64, error) {
	var used int64
	err := ownerClause(s.db.q(ctx).Table("materials"), o).Select(usedSQL).Row().Scan(&used)
	return used, translate("postgres.StorageUsed", err)
}

// ExpiredMaterials returns pending materials past their expiry.
func (s *Materials) ExpiredMaterials(ctx context.Context, t time.Time, limit int) ([]domain.Material, error) {
	var rows []materialRow
	err := s.db.q(ctx).Where("status = 'pending' AND expires_at < ?", t).Order("expires_at, id").Limit(limit).Find(&rows).Error
	if err != nil {
		return nil, translate("postgres.ExpiredMaterials", err)
	}
	out := make([]domain.Material, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, nil
}

// DeleteExpiredMaterial removes a material still pending and past t (a
// confirm that came first keeps it). The cleanup is the system's, so it
// writes no audit row.
func (s *Materials) DeleteExpiredMaterial(ctx context.Context, id int64, t time.Time) (bool, error) {
	res := s.db.q(ctx).Exec(`DELETE FROM materials WHERE id = ? AND status = 'pending' AND expires_at < ?`, id, t)
	return res.RowsAffected == 1, translate("postgres.DeleteExpiredMaterial", res.Error)
}

// MaterialKeys returns which of keys a material row holds.
func (s *Materials) MaterialKeys(ctx context.Context, keys []string) (map[string]bool, error) {
	var held []string
	if len(keys) > 0 {
		if err := s.db.q(ctx).Table("materials").Where("object_key IN ?", keys).Pluck("object_key", &held).Error; err != nil {
			return nil, translate("postgres.MaterialKeys", err)
		}
	}
	out := make(map[string]bool, len(held))
	for _, k := range held {
		out[k] = true
	}
	return out, nil
}

// CourseOwner returns the owner of a course (CodeNotFound when there is
// none).
func (s *Materials) CourseOwner(ctx context.Context, courseID int64) (domain.StorageOwner, error) {
	var r struct{ CentreID, ProvinceID *int64 }
	if err := s.db.q(ctx).Raw(`SELECT centre_id, province_id FROM courses WHERE id = ?`, courseID).Scan(&r).Error; err != nil {
		return domain.StorageOwner{}, translate("postgres.CourseOwner", err)
	}
	if r.CentreID == nil && r.ProvinceID == nil {
		return domain.StorageOwner{}, translate("postgres.CourseOwner", gorm.ErrRecordNotFound)
	}
	var o domain.StorageOwner
	if r.CentreID != nil {
		o.CentreID = *r.CentreID
	}
	if r.ProvinceID != nil {
		o.ProvinceID = *r.ProvinceID
	}
	return o, nil
}
