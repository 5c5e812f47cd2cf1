package postgres

import (
	"context"
	"fmt"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"densach/domain"
)

// DemoPlace is a centre or branch of the demo data.
type DemoPlace struct{ UnitCode, Name, Address string }

// DemoGrant is a role of a demo person: over a unit (officer) or a centre.
type DemoGrant struct {
	Role       domain.Role
	UnitCode   string
	CentreName string
}

// DemoPerson is a person of the demo data, identified by phone.
type DemoPerson struct {
	Person      domain.Person
	CommuneCode string
	Password    string
	Grants      []DemoGrant
}

// Demo is the demo data set: centres, branches and people in units that
// exist already (the official list is imported first).
type Demo struct {
	Centres  []DemoPlace
	Branches []DemoPlace
	People   []DemoPerson
}

// SeedDemo loads the demo data idempotently: existing rows (by centre name,
// phone) are kept, demo passwords are reset so the printed ones
// always work.
func (db *DB) SeedDemo(ctx context.Context, d Demo, hash func(context.Context, string) (string, error)) error {
	return db.tx(ctx, "postgres.SeedDemo", func(tx *gorm.DB) error {
		for _, table := range []struct {
			name   string
			places []DemoPlace
		}{{"centres", d.Centres}, {"branches", d.Branches}} {
			for _, c := range table.places {
				cols, vals := "unit_id, name", "?"
				args := []any{c.Name}
				if table.name == "centres" {
					cols, vals = cols+", address", vals+", ?"
					args = append(args, c.Address)
				}
				q := fmt.Sprintf(`INSERT INTO %s (%s) SELECT u.id, %s FROM units u WHERE u.code = ? AND u.valid_to IS NULL
					ON CONFLICT DO NOTHING`, table.name, cols, vals)
				if err := tx.Exec(q, append(args, c.UnitCode)...).Error; err != nil {
					return fmt.Errorf("%s %s: %w", table.name, c.Name, err)
				}
				var n int64
				if err := tx.Raw(`SELECT count(*) FROM `+table.name+` WHERE name = ?`, c.Name).Scan(&n).Error; err != nil || n == 0 {
					return fmt.Errorf("%s %s: no current unit with code %s (import the units first): %v", table.name, c.Name, c.UnitCode, err)
				}
			}
		}
		for _, dp := range d.People {
			if err := seedPerson(ctx, tx, dp, hash); err != nil {
				return fmt.Errorf("person %s: %w", dp.Person.FullName, err)
			}
		}
		return nil
	})
}

func seedPerson(ctx context.Context, tx *gorm.DB, dp DemoPerson, hash func(context.Context, string) (string, error)) error {
	p := dp.Person
	if err := tx.Raw(`SELECT id FROM units WHERE code = ? AND valid_to IS NULL`, dp.CommuneCode).Scan(&p.CommuneID).Error; err != nil {
		return err
	}
	// The row is written as any other new person's; a person already seeded
	// (by phone) is left as it is.
	rec := recordOf(p).withNames()
	err := tx.Clauses(clause.OnConflict{
		Columns:     []clause.Column{{Name: "phone"}},
		TargetWhere: clause.Where{Exprs: []clause.Expression{clause.Expr{SQL: "phone IS NOT NULL"}}},
		DoNothing:   true,
	}).Create(&rec).Error
	if err != nil {
		return err
	}
	var id int64
	if err := tx.Raw(`SELECT id FROM people WHERE phone = ?`, p.Phone).Scan(&id).Error; err != nil || id == 0 {
		return fmt.Errorf("person with phone %s not found after insert (commune %s?): %v", p.Phone, dp.CommuneCode, err)
	}
	if dp.Password != "" {
		h, err := hash(ctx, dp.Password)
		if err != nil {
			return err
		}
		err = tx.Exec(`INSERT INTO accounts (person_id, password_hash) VALUES (?, ?)
			ON CONFLICT (person_id) DO UPDATE SET password_hash = EXCLUDED.password_hash, disabled = false`, id, h).Error
		if err != nil {
			return err
		}
	}
	for _, g := range dp.Grants {
		var unit, centre any
		if g.UnitCode != "" {
			unit = gorm.Expr("(SELECT id FROM units WHERE code = ? AND valid_to IS NULL)", g.UnitCode)
		}
		if g.CentreName != "" {
			centre = gorm.Expr("(SELECT id FROM centres WHERE name = ?)", g.CentreName)
		}
		err := tx.Exec(`INSERT INTO role_grants (person_id, role, unit_id, centre_id) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`,
			id, string(g.Role), unit, centre).Error
		if err != nil {
			return err
		}
	}
	return nil
}
