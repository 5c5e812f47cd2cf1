package postgres

import (
	"context"

	"gorm.io/gorm"

	"densach/domain"
)

// bootstrapDefaultName is the name of a person created by `densach user
// create` without --name; it can be corrected later in the web app.
const bootstrapDefaultName = "Quản trị hệ thống"

// BootstrapAccount makes sure a person with the login exists, has an
// account with the given password (enabled, marked must-change since the
// operator chose it, every earlier sign-in revoked when it is reset) and
// holds the role, in one transaction. Running it again changes nothing but
// the password: it is how operators create the first administrator and
// recover a lost password. auth.Service.BootstrapAccount is its one caller.
func (a *Auth) BootstrapAccount(ctx context.Context, b domain.AccountBootstrap) (domain.AccountBootstrapped, error) {
	const op = "postgres.BootstrapAccount"
	var out domain.AccountBootstrapped
	col, ok := authLoginColumns[b.Login.Kind]
	if !ok || b.Login.Value == "" {
		return out, domain.Invalid(domain.FieldOf("login", "login_invalid", nil))
	}
	if !b.Role.Valid() {
		return out, domain.Invalid(domain.FieldOf("role", "role_invalid", nil))
	}
	err := a.db.tx(ctx, op, func(tx *gorm.DB) error {
		var person struct{ ID int64 }
		if err := tx.Raw(`SELECT id FROM people WHERE `+col+` = ? FOR UPDATE`, b.Login.Value).Scan(&person).Error; err != nil {
			return err
		}
		out.PersonID = person.ID
		if out.PersonID == 0 {
			id, err := bootstrapPerson(tx, b)
			if err != nil {
				return err
			}
			out.PersonID, out.PersonCreated = id, true
		}
		var acct struct {
			ID       int64
			Inserted bool
		}
		// The operator chose the password: its owner replaces it at the
		// first sign-in, as with any password someone else set.
		err := tx.Raw(`INSERT INTO accounts (person_id, password_hash, must_change_password) VALUES (?, ?, true)
			ON CONFLICT (person_id) DO UPDATE SET password_hash = excluded.password_hash, disabled = false,
				must_change_password = true, password_changed_at = now()
			RETURNING id, (xmax = 0) AS inserted`, out.PersonID, b.PasswordHash).Scan(&acct).Error
		if err != nil {
			return err
		}
		out.AccountID, out.AccountCreated = acct.ID, acct.Inserted
		if !acct.Inserted {
			if _, err := revokeAccountSessions(tx, acct.ID); err != nil {
				return err
			}
		}
		if out.RoleGranted, err = bootstrapGrant(tx, b, out.PersonID); err != nil {
			return err
		}
		return writeAudit(tx, domain.Actor{}, "account_bootstrapped", "account", out.AccountID, map[string]any{
			"login_kind": string(b.Login.Kind), "role": string(b.Role),
			"person_created": out.PersonCreated, "account_created": out.AccountCreated, "role_granted": out.RoleGranted,
		})
	})
	return out, err
}

// bootstrapPerson creates the person the login names, living in the given
// commune or the first current commune-level unit; an administrator created
// before any unit exists lives in none.
func bootstrapPerson(tx *gorm.DB, b domain.AccountBootstrap) (int64, error) {
	name := b.FullName
	if name == "" {
		name = bootstrapDefaultName
	}
	name, err := domain.NormalizeName(name)
	if err != nil {
		return 0, err
	}
	// A current code is unique, so the order only picks the default.
	var commune struct{ ID int64 }
	err = tx.Raw(`SELECT id FROM units WHERE valid_to IS NULL AND kind IN @kinds
		AND (@code = '' OR code = @code) ORDER BY code, id LIMIT 1`, map[string]any{"code": b.CommuneCode, "kinds": communeLevelKinds()}).Scan(&commune).Error
	if err != nil {
		return 0, err
	}
	switch {
	case commune.ID == 0 && b.CommuneCode != "":
		return 0, domain.Invalid(domain.FieldOf("commune_code", "commune_code_unknown", domain.Params{"code": b.CommuneCode}))
	case commune.ID == 0 && b.Role != domain.RoleAdmin:
		return 0, domain.Invalid(domain.FieldOf("commune_code", "no_communes", nil))
	}
	// An administrator's authority does not depend on where they live, so the
	// first one, on a database without units, lives nowhere: a zero commune
	// is stored as NULL (migration 00010 allows it only for administrators).
	p := domain.Person{FullName: name, CommuneID: commune.ID}
	switch b.Login.Kind {
	case domain.LoginPhone:
		p.Phone = b.Login.Value
	case domain.LoginCCCD:
		p.CCCD = b.Login.Value
	case domain.LoginEmail:
		p.Email = b.Login.Value
	}
	// The row is written as any other new person's, name columns included.
	rec := recordOf(p).withNames()
	err = tx.Create(&rec).Error
	return rec.ID, err
}

// bootstrapGrant gives the person the role over the requested scope unless
// they already hold it, and reports whether it did.
func bootstrapGrant(tx *gorm.DB, b domain.AccountBootstrap, personID int64) (bool, error) {
	req := domain.GrantRequest{PersonID: personID, Role: b.Role, CentreID: b.CentreID}
	if b.UnitCode != "" {
		var unit struct{ ID int64 }
		err := tx.Raw(`SELECT id FROM units WHERE code = ? AND valid_to IS NULL AND (kind = ? OR kind IN ?)`,
			b.UnitCode, string(domain.UnitProvince), communeLevelKinds()).Scan(&unit).Error
		if err != nil {
			return false, err
		}
		if unit.ID == 0 {
			return false, domain.Invalid(domain.FieldOf("unit_code", "unit_code_unknown", domain.Params{"code": b.UnitCode}))
		}
		req.UnitID = unit.ID
	}
	if err := req.Validate(); err != nil {
		return false, err
	}
	res := tx.Exec(`INSERT INTO role_grants (person_id, role, unit_id, centre_id) VALUES (?, ?, NULLIF(?::bigint, 0), NULLIF(?::bigint, 0))
		ON CONFLICT (person_id, role, coalesce(unit_id, 0), coalesce(centre_id, 0)) WHERE revoked_at IS NULL DO NOTHING`,
		personID, string(req.Role), req.UnitID, req.CentreID)
	return res.RowsAffected == 1, res.Error
}
