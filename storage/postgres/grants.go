package postgres

import (
	"context"
	"time"

	"gorm.io/gorm"

	"densach/domain"
)

// grantRow is an active grant with the names and places of its scope.
type grantRow struct {
	ID             int64
	PersonID       int64
	Role           string
	UnitID         *int64
	UnitName       *string
	UnitKind       *string
	UnitParent     *int64
	CentreID       *int64
	CentreName     *string
	CentreUnit     *int64
	CentreProvince *int64
	GrantedAt      time.Time
}

const grantQuery = `SELECT g.id, g.person_id, g.role, g.unit_id, u.name AS unit_name, u.kind AS unit_kind, u.parent_id AS unit_parent,
	g.centre_id, c.name AS centre_name, c.unit_id AS centre_unit, cu.parent_id AS centre_province, g.granted_at
	FROM role_grants g
	LEFT JOIN units u ON u.id = g.unit_id
	LEFT JOIN centres c ON c.id = g.centre_id
	LEFT JOIN units cu ON cu.id = c.unit_id
	WHERE g.revoked_at IS NULL`

// domain resolves a grant row to the areas the scope checks compare, and
// reports whether the grant is effective: an officer grant on a historical
// unit (a district before 2025) has no area, is listed but never widened
// into a scope.
func (r grantRow) domain() (domain.Grant, bool) {
	g := domain.Grant{ID: r.ID, PersonID: r.PersonID, Role: domain.Role(r.Role), UnitID: deref(r.UnitID), UnitName: deref(r.UnitName),
		CentreID: deref(r.CentreID), CentreName: deref(r.CentreName), GrantedAt: r.GrantedAt}
	switch g.Role {
	case domain.RoleAdmin:
		g.Kind = domain.ScopeSystem
	case domain.RoleOfficer:
		switch kind := domain.UnitKind(deref(r.UnitKind)); {
		case kind == domain.UnitProvince:
			g.Kind, g.ProvinceID = domain.ScopeProvince, g.UnitID
		case kind.CommuneLevel():
			g.Kind, g.CommuneID, g.ProvinceID = domain.ScopeCommune, g.UnitID, deref(r.UnitParent)
		default:
			g.Kind = domain.ScopeCommune
			return g, false
		}
	case domain.RoleManager, domain.RoleTeacher:
		g.Kind, g.CommuneID, g.ProvinceID = domain.ScopeCentre, deref(r.CentreUnit), deref(r.CentreProvince)
	case domain.RoleLearner:
		// A learner acts on themselves only; the centre is where they enrol.
		g.Kind = domain.ScopeSelf
		g.CommuneID, g.ProvinceID = deref(r.CentreUnit), deref(r.CentreProvince)
	default:
		return g, false
	}
	return g, true
}

// loadGrants reads the active grants of many people in one query, so that a
// page of people costs two queries however long it is.
func loadGrants(q *gorm.DB, personIDs []int64) (map[int64][]domain.Grant, error) {
	out := map[int64][]domain.Grant{}
	if len(personIDs) == 0 {
		return out, nil
	}
	var rows []grantRow
	if err := q.Raw(grantQuery+` AND g.person_id IN ? ORDER BY g.person_id, g.id`, personIDs).Scan(&rows).Error; err != nil {
		return nil, err
	}
	for _, r := range rows {
		g, _ := r.domain()
		out[r.PersonID] = append(out[r.PersonID], g)
	}
	return out, nil
}

// GrantRole stores an active grant and reads it back with its names.
func (s *People) GrantRole(ctx context.Context, by domain.Actor, g *domain.Grant) error {
	return s.db.tx(ctx, "postgres.GrantRole", func(tx *gorm.DB) error {
		unit, centre := nullable(g.UnitID), nullable(g.CentreID)
		var id int64
		err := tx.Raw(`INSERT INTO role_grants (person_id, role, unit_id, centre_id, granted_by) VALUES (?, ?, ?, ?, ?) RETURNING id`,
			g.PersonID, string(g.Role), unit, centre, nullable(by.PersonID)).Scan(&id).Error
		if err != nil {
			return err
		}
		var r grantRow
		if err := tx.Raw(grantQuery+` AND g.id = ?`, id).Scan(&r).Error; err != nil {
			return err
		}
		*g, _ = r.domain()
		return writeAudit(tx, by, "role_granted", "person", g.PersonID, map[string]any{
			"grant_id": g.ID, "role": g.Role, "unit_id": unit, "centre_id": centre})
	})
}

// RevokeGrant revokes an active grant. Revoking an administrator grant locks
// every active one first, so two administrators revoking each other at the
// same moment cannot leave the system with none.
func (s *People) RevokeGrant(ctx context.Context, by domain.Actor, personID, grantID int64) error {
	return s.db.tx(ctx, "postgres.RevokeGrant", func(tx *gorm.DB) error {
		var g struct {
			Role     string
			UnitID   *int64
			CentreID *int64
		}
		err := tx.Raw(`SELECT role, unit_id, centre_id FROM role_grants WHERE id = ? AND person_id = ? AND revoked_at IS NULL FOR UPDATE`, grantID, personID).Scan(&g).Error
		if err != nil {
			return err
		}
		if g.Role == "" {
			return domain.Fail(domain.CodeNotFound, "role_not_found", nil)
		}
		if g.Role == string(domain.RoleAdmin) {
			var admins []int64
			if err := tx.Raw(`SELECT id FROM role_grants WHERE role = 'admin' AND revoked_at IS NULL FOR UPDATE`).Scan(&admins).Error; err != nil {
				return err
			}
			if len(admins) <= 1 {
				return domain.Fail(domain.CodeConflict, "last_admin", nil)
			}
		}
		if err := tx.Exec(`UPDATE role_grants SET revoked_at = now(), revoked_by = ? WHERE id = ?`, nullable(by.PersonID), grantID).Error; err != nil {
			return err
		}
		return writeAudit(tx, by, "role_revoked", "person", personID, map[string]any{
			"grant_id": grantID, "role": g.Role, "unit_id": g.UnitID, "centre_id": g.CentreID})
	})
}
