package postgres

import (
	"context"

	"gorm.io/gorm"

	"densach/domain"
)

// People keeps people, their role grants and their accounts: the
// PostgreSQL implementation of domain.PeopleStore over the shared pool.
type People struct{ db *DB }

// NewPeople returns the people store over db.
func NewPeople(db *DB) *People { return &People{db: db} }

var _ domain.PeopleStore = (*People)(nil)

// deref reads an optional column, zero when NULL.
func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// nullable stores an empty optional value (an empty string, a zero id or
// year) as NULL, which the unique indexes on phone, CCCD and e-mail skip and
// foreign keys accept.
func nullable[T comparable](v T) any {
	var zero T
	if v == zero {
		return nil
	}
	return v
}

// GetPerson reads one person with their active grants.
func (s *People) GetPerson(ctx context.Context, id int64) (domain.Person, error) {
	const op = "postgres.GetPerson"
	var r personRow
	err := s.db.q(ctx).Table("people p").Joins("LEFT JOIN units u ON u.id = p.commune_id").Select(personSelect()).Where("p.id = ?", id).Take(&r).Error
	if err != nil {
		return domain.Person{}, translate(op, err)
	}
	p := r.domain()
	grants, err := loadGrants(s.db.q(ctx), []int64{id})
	if err != nil {
		return domain.Person{}, translate(op, err)
	}
	p.Grants = grants[id]
	return p, nil
}

// CreatePerson inserts a person, their account when a hash is given, and the
// audit row, in one transaction.
func (s *People) CreatePerson(ctx context.Context, by domain.Actor, p *domain.Person, passwordHash string) error {
	return s.db.tx(ctx, "postgres.CreatePerson", func(tx *gorm.DB) error {
		rec := recordOf(*p).withNames()
		rec.ID = 0
		if err := tx.Create(&rec).Error; err != nil {
			return err
		}
		name, kind, err := communeName(tx, p.CommuneID)
		if err != nil {
			return err
		}
		province := p.ProvinceID
		*p = rec.person()
		p.CommuneName, p.CommuneKind, p.ProvinceID = name, kind, province
		p.Active = true
		changes := createdChanges(rec)
		if passwordHash != "" {
			// The creator chose the password: the new person changes it at
			// the first sign-in.
			if err := tx.Exec(`INSERT INTO accounts (person_id, password_hash, must_change_password) VALUES (?, ?, true)`, p.ID, passwordHash).Error; err != nil {
				return err
			}
			p.HasAccount = true
			changes["account"] = "created"
		}
		return writeAudit(tx, by, "person_created", "person", p.ID, changes)
	})
}

// communeName reads the name and kind of a person's commune, so that a write
// answers with the stored person without reading the person again.
func communeName(tx *gorm.DB, id int64) (string, domain.UnitKind, error) {
	var u struct{ Name, Kind string }
	err := tx.Raw(`SELECT name, kind FROM units WHERE id = ?`, id).Scan(&u).Error
	return u.Name, domain.UnitKind(u.Kind), err
}

// UpdatePerson writes the changed fields if the row is still as read.
func (s *People) UpdatePerson(ctx context.Context, by domain.Actor, before domain.Person, p *domain.Person, changed []string) error {
	if len(changed) == 0 {
		return nil
	}
	cols, err := writtenColumns(changed)
	if err != nil {
		return err
	}
	return s.db.tx(ctx, "postgres.UpdatePerson", func(tx *gorm.DB) error {
		rec := recordOf(*p).withNames()
		// GORM adds updated_at to the Select and sets it; the WHERE on the
		// old value is the optimistic lock.
		res := tx.Model(&rec).Select(cols).Where("updated_at = ?", before.UpdatedAt).Updates(&rec)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			var n int64
			if err := tx.Model(&personRecord{}).Where("id = ?", p.ID).Count(&n).Error; err != nil {
				return err
			}
			if n == 0 {
				return errPersonNotFound
			}
			return domain.Fail(domain.CodeConflict, "person_changed", nil)
		}
		p.UpdatedAt = rec.UpdatedAt
		if p.CommuneID != before.CommuneID {
			if p.CommuneName, p.CommuneKind, err = communeName(tx, p.CommuneID); err != nil {
				return err
			}
		}
		return writeAudit(tx, by, "person_updated", "person", p.ID, auditChanges(recordOf(before), recordOf(*p), changed))
	})
}

// errPersonNotFound answers a write to a person who does not exist.
var errPersonNotFound = domain.Fail(domain.CodeNotFound, "person_not_found", nil)

// SetPassword creates or resets the person's account and signs them out
// everywhere, so that an old password or a stolen session stops working.
// When by is someone else, the owner must change the password at the next
// sign-in.
func (s *People) SetPassword(ctx context.Context, by domain.Actor, personID int64, passwordHash string) (bool, error) {
	var created bool
	err := s.db.tx(ctx, "postgres.SetPassword", func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&personRecord{}).Where("id = ?", personID).Count(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			return errPersonNotFound
		}
		var acct struct {
			ID      int64
			Created bool
		}
		// A password someone else chose must be changed by its owner at
		// the next sign-in.
		mustChange := by.PersonID != personID
		err := tx.Raw(`INSERT INTO accounts (person_id, password_hash, must_change_password) VALUES (?, ?, ?)
			ON CONFLICT (person_id) DO UPDATE SET password_hash = EXCLUDED.password_hash, password_changed_at = now(),
				must_change_password = EXCLUDED.must_change_password
			RETURNING id, (xmax = 0) AS created`, personID, passwordHash, mustChange).Scan(&acct).Error
		if err != nil {
			return err
		}
		created = acct.Created
		if _, err := revokeAccountSessions(tx, acct.ID); err != nil {
			return err
		}
		action := "password_reset"
		if created {
			action = "account_created"
		}
		return writeAudit(tx, by, action, "person", personID, map[string]any{"account_id": acct.ID})
	})
	return created, err
}
