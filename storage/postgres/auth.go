package postgres

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"densach/domain"
)

// authLoginColumns maps a login kind to the column of people it matches;
// the column name is never taken from input.
var authLoginColumns = map[domain.LoginKind]string{
	domain.LoginPhone: "phone",
	domain.LoginCCCD:  "cccd",
	domain.LoginEmail: "email",
}

type authAccountRow struct {
	ID                int64
	PersonID          int64
	PasswordHash      string
	Disabled          bool
	PasswordChangedAt time.Time
}

func (r authAccountRow) domain() domain.Account {
	return domain.Account{ID: r.ID, PersonID: r.PersonID, PasswordHash: r.PasswordHash, Disabled: r.Disabled, PasswordChangedAt: r.PasswordChangedAt}
}

const authAccountColumns = `a.id, a.person_id, a.password_hash, a.disabled, a.password_changed_at`

// AccountByLogin returns the account of the person the login names.
func (db *DB) AccountByLogin(ctx context.Context, login domain.Login) (domain.Account, error) {
	const op = "postgres.AccountByLogin"
	col, ok := authLoginColumns[login.Kind]
	if !ok || login.Value == "" {
		return domain.Account{}, domain.Errorf(domain.CodeNotFound, "Không tìm thấy.")
	}
	var row authAccountRow
	res := db.q(ctx).Raw(`SELECT `+authAccountColumns+` FROM accounts a JOIN people p ON p.id = a.person_id WHERE p.`+col+` = ?`, login.Value).Scan(&row)
	if res.Error != nil {
		return domain.Account{}, translate(op, res.Error)
	}
	if res.RowsAffected == 0 {
		return domain.Account{}, domain.Errorf(domain.CodeNotFound, "Không tìm thấy.")
	}
	return row.domain(), nil
}

// Account returns an account by id.
func (db *DB) Account(ctx context.Context, id int64) (domain.Account, error) {
	var row authAccountRow
	res := db.q(ctx).Raw(`SELECT `+authAccountColumns+` FROM accounts a WHERE a.id = ?`, id).Scan(&row)
	if res.Error != nil {
		return domain.Account{}, translate("postgres.Account", res.Error)
	}
	if res.RowsAffected == 0 {
		return domain.Account{}, domain.Errorf(domain.CodeNotFound, "Không tìm thấy.")
	}
	return row.domain(), nil
}

// authGrantRow is an account with one of its active grants (if any) and
// the units the grant lies in.
type authGrantRow struct {
	PersonID       int64
	Disabled       bool
	ID             int64
	Role           string
	UnitID         *int64
	UnitKind       *string
	UnitParentID   *int64
	CentreID       *int64
	CentreUnitID   *int64
	CentreProvince *int64
}

// AccountPrincipal returns the principal of an enabled account with its
// active grants resolved to areas, in one query.
func (db *DB) AccountPrincipal(ctx context.Context, accountID int64) (domain.Principal, error) {
	const op = "postgres.AccountPrincipal"
	var rows []authGrantRow
	err := db.q(ctx).Raw(`
		SELECT a.person_id, a.disabled, g.id, g.role, g.unit_id, u.kind AS unit_kind, u.parent_id AS unit_parent_id,
		       g.centre_id, c.unit_id AS centre_unit_id, cu.parent_id AS centre_province
		FROM accounts a
		LEFT JOIN role_grants g ON g.person_id = a.person_id AND g.revoked_at IS NULL
		LEFT JOIN units u ON u.id = g.unit_id
		LEFT JOIN centres c ON c.id = g.centre_id
		LEFT JOIN units cu ON cu.id = c.unit_id
		WHERE a.id = ?
		ORDER BY g.id`, accountID).Scan(&rows).Error
	if err != nil {
		return domain.Principal{}, translate(op, err)
	}
	if len(rows) == 0 || rows[0].Disabled {
		return domain.Principal{}, &domain.Error{Code: domain.CodeUnauthorized, Op: op, Err: fmt.Errorf("account %d unknown or disabled", accountID)}
	}
	p := domain.Principal{AccountID: accountID, PersonID: rows[0].PersonID}
	for _, r := range rows {
		if r.ID == 0 {
			continue // LEFT JOIN: a person without grants
		}
		if g, ok := r.grant(); ok {
			p.Grants = append(p.Grants, g)
		}
	}
	return p, nil
}

// grant resolves a grant row to the areas the scope checks compare. An
// officer grant on a historical unit (a district before 2025) has no area
// and is left out rather than widened.
func (r authGrantRow) grant() (domain.Grant, bool) {
	val := func(p *int64) int64 {
		if p == nil {
			return 0
		}
		return *p
	}
	g := domain.Grant{ID: r.ID, PersonID: r.PersonID, Role: domain.Role(r.Role), UnitID: val(r.UnitID), CentreID: val(r.CentreID)}
	switch g.Role {
	case domain.RoleAdmin:
		g.Kind = domain.ScopeSystem
	case domain.RoleOfficer:
		kind := domain.UnitKind("")
		if r.UnitKind != nil {
			kind = domain.UnitKind(*r.UnitKind)
		}
		switch {
		case kind == domain.UnitProvince:
			g.Kind, g.ProvinceID = domain.ScopeProvince, g.UnitID
		case kind.CommuneLevel():
			g.Kind, g.CommuneID, g.ProvinceID = domain.ScopeCommune, g.UnitID, val(r.UnitParentID)
		default:
			return domain.Grant{}, false
		}
	case domain.RoleManager, domain.RoleTeacher:
		g.Kind, g.CommuneID, g.ProvinceID = domain.ScopeCentre, val(r.CentreUnitID), val(r.CentreProvince)
	case domain.RoleLearner:
		g.Kind = domain.ScopeSelf
		if g.CentreID != 0 {
			g.CommuneID, g.ProvinceID = val(r.CentreUnitID), val(r.CentreProvince)
		}
	default:
		return domain.Grant{}, false
	}
	return g, true
}

// UpgradePasswordHash replaces a hash made with old parameters.
func (db *DB) UpgradePasswordHash(ctx context.Context, accountID int64, oldHash, newHash string) error {
	err := db.q(ctx).Exec(`UPDATE accounts SET password_hash = ? WHERE id = ? AND password_hash = ?`, newHash, accountID, oldHash).Error
	return translate("postgres.UpgradePasswordHash", err)
}

// ChangePassword sets a new hash, revokes every sign-in of the account and
// records the change, all or nothing.
func (db *DB) ChangePassword(ctx context.Context, by domain.Actor, accountID int64, oldHash, newHash string) error {
	const op = "postgres.ChangePassword"
	return db.tx(ctx, op, func(tx *gorm.DB) error {
		res := tx.Exec(`UPDATE accounts SET password_hash = ?, password_changed_at = now() WHERE id = ? AND password_hash = ?`, newHash, accountID, oldHash)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return &domain.Error{Code: domain.CodeConflict, Message: "Mật khẩu vừa được thay đổi ở nơi khác, vui lòng đăng nhập lại.", Op: op}
		}
		rev := tx.Exec(`UPDATE refresh_tokens SET revoked_at = now() WHERE account_id = ? AND revoked_at IS NULL`, accountID)
		if rev.Error != nil {
			return rev.Error
		}
		return writeAudit(tx, by, "password_changed", "account", accountID, map[string]any{"sessions_revoked": rev.RowsAffected})
	})
}
