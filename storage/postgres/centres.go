package postgres

import (
	"context"
	"time"

	"gorm.io/gorm"

	"densach/domain"
)

type centreRow struct {
	ID        int64
	UnitID    int64
	UnitName  string
	Name      string
	Address   string
	CreatedAt time.Time
}

func (r centreRow) domain() domain.Centre {
	return domain.Centre{ID: r.ID, UnitID: r.UnitID, UnitName: r.UnitName, Name: r.Name, Address: r.Address, CreatedAt: r.CreatedAt}
}

func placesQuery(tx *gorm.DB, table string, f domain.PlaceFilter) *gorm.DB {
	q := tx.Table(table + " c").Select("c.*, u.name AS unit_name").Joins("JOIN units u ON u.id = c.unit_id")
	if f.UnitID != 0 {
		q = q.Where("c.unit_id = ?", f.UnitID)
	}
	if f.ProvinceID != 0 {
		q = q.Where("u.parent_id = ?", f.ProvinceID)
	}
	return q
}

// ListCentres lists the open centres, by unit or province.
func (s *Units) ListCentres(ctx context.Context, f domain.PlaceFilter) ([]domain.Centre, error) {
	var rows []centreRow
	if err := placesQuery(s.db.q(ctx), "centres", f).Where("c.closed_on IS NULL").Find(&rows).Error; err != nil {
		return nil, translate("postgres.ListCentres", err)
	}
	out := make([]domain.Centre, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	domain.SortCentres(out)
	return out, nil
}

// GetCentre reads one centre.
func (s *Units) GetCentre(ctx context.Context, id int64) (domain.Centre, error) {
	var r centreRow
	if err := placesQuery(s.db.q(ctx), "centres", domain.PlaceFilter{}).Where("c.id = ?", id).Take(&r).Error; err != nil {
		return domain.Centre{}, translate("postgres.GetCentre", err)
	}
	return r.domain(), nil
}

// CentreContacts lists the active managers of the centres, by centre, with
// the phone each gave (empty when none), sorted the Vietnamese way.
func (s *Units) CentreContacts(ctx context.Context, centreIDs []int64) (map[int64][]domain.CentreContact, error) {
	out := map[int64][]domain.CentreContact{}
	if len(centreIDs) == 0 {
		return out, nil
	}
	var rows []struct {
		CentreID int64
		FullName string
		Phone    *string
	}
	err := s.db.q(ctx).Raw(`SELECT DISTINCT g.centre_id, p.full_name, p.phone, p.sort_key
		FROM role_grants g JOIN people p ON p.id = g.person_id
		WHERE g.role = 'manager' AND g.revoked_at IS NULL AND p.active AND g.centre_id IN ?
		ORDER BY g.centre_id, p.sort_key`, centreIDs).Scan(&rows).Error
	if err != nil {
		return nil, translate("postgres.CentreContacts", err)
	}
	for _, r := range rows {
		c := domain.CentreContact{Name: r.FullName}
		if r.Phone != nil {
			c.Phone = *r.Phone
		}
		out[r.CentreID] = append(out[r.CentreID], c)
	}
	return out, nil
}

// CentreArea locates a centre: itself, its commune and its province.
func (s *Units) CentreArea(ctx context.Context, id int64) (domain.Area, error) {
	var a struct{ CommuneID, ProvinceID int64 }
	err := s.db.q(ctx).Raw(`SELECT c.unit_id AS commune_id, coalesce(u.parent_id, 0) AS province_id
		FROM centres c JOIN units u ON u.id = c.unit_id WHERE c.id = ?`, id).Take(&a).Error
	if err != nil {
		return domain.Area{}, translate("postgres.CentreArea", err)
	}
	return domain.Area{CommuneID: a.CommuneID, ProvinceID: a.ProvinceID, CentreIDs: []int64{id}}, nil
}

// CreateCentre adds a centre to a commune-level unit.
func (s *Units) CreateCentre(ctx context.Context, by domain.Actor, c *domain.Centre) error {
	return s.db.tx(ctx, "postgres.CreateCentre", func(tx *gorm.DB) error {
		err := tx.Raw(`INSERT INTO centres (unit_id, name, address) VALUES (?, ?, ?) RETURNING id, created_at`, c.UnitID, c.Name, c.Address).
			Row().Scan(&c.ID, &c.CreatedAt)
		if err != nil {
			return err
		}
		return writeAudit(tx, by, "centre_created", "centre", c.ID, map[string]any{"unit_id": c.UnitID, "name": c.Name, "address": c.Address})
	})
}

// ListBranches lists association branches, by unit or province.
func (s *Units) ListBranches(ctx context.Context, f domain.PlaceFilter) ([]domain.Branch, error) {
	var rows []centreRow
	if err := placesQuery(s.db.q(ctx), "branches", f).Find(&rows).Error; err != nil {
		return nil, translate("postgres.ListBranches", err)
	}
	out := make([]domain.Branch, len(rows))
	for i, r := range rows {
		out[i] = domain.Branch{ID: r.ID, UnitID: r.UnitID, UnitName: r.UnitName, Name: r.Name}
	}
	domain.SortBranches(out)
	return out, nil
}

// CreateBranch adds an association branch to a commune-level unit.
func (s *Units) CreateBranch(ctx context.Context, by domain.Actor, b *domain.Branch) error {
	return s.db.tx(ctx, "postgres.CreateBranch", func(tx *gorm.DB) error {
		if err := tx.Raw(`INSERT INTO branches (unit_id, name) VALUES (?, ?) RETURNING id`, b.UnitID, b.Name).Row().Scan(&b.ID); err != nil {
			return err
		}
		return writeAudit(tx, by, "branch_created", "branch", b.ID, map[string]any{"unit_id": b.UnitID, "name": b.Name})
	})
}
