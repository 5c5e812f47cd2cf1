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

// Auth keeps accounts, refresh tokens and login throttling (the
// domain.AuthStore) on the shared connection pool.
type Auth struct {
	db *DB
}

// NewAuth returns the auth store over db.
func NewAuth(db *DB) *Auth { return &Auth{db: db} }

var _ domain.AuthStore = (*Auth)(nil)

type authAccountRow struct {
	ID                 int64
	PersonID           int64
	PasswordHash       string
	Disabled           bool
	PasswordChangedAt  time.Time
	MustChangePassword bool
}

func (r authAccountRow) domain() domain.Account {
	return domain.Account{ID: r.ID, PersonID: r.PersonID, PasswordHash: r.PasswordHash, Disabled: r.Disabled,
		PasswordChangedAt: r.PasswordChangedAt, MustChangePassword: r.MustChangePassword}
}

// AccountByLogin returns the account of the person the login names.
func (a *Auth) AccountByLogin(ctx context.Context, login domain.Login) (domain.Account, error) {
	col, ok := authLoginColumns[login.Kind]
	if !ok || login.Value == "" {
		return domain.Account{}, domain.Fail(domain.CodeNotFound, "not_found", nil)
	}
	return a.account(ctx, "postgres.AccountByLogin", `WHERE p.`+col+` = ?`, login.Value)
}

// Account returns an account by id.
func (a *Auth) Account(ctx context.Context, id int64) (domain.Account, error) {
	return a.account(ctx, "postgres.Account", `WHERE a.id = ?`, id)
}

// account reads the one account (aliased a, its person p) that where
// selects; the account of an inactive person reads as disabled;
// CodeNotFound when there is none.
func (a *Auth) account(ctx context.Context, op, where string, arg any) (domain.Account, error) {
	var row authAccountRow
	res := a.db.q(ctx).Raw(`SELECT a.id, a.person_id, a.password_hash, (a.disabled OR NOT p.active) AS disabled, a.password_changed_at, a.must_change_password
		FROM accounts a JOIN people p ON p.id = a.person_id `+where, arg).Scan(&row)
	if res.Error != nil {
		return domain.Account{}, translate(op, res.Error)
	}
	if res.RowsAffected == 0 {
		return domain.Account{}, domain.Fail(domain.CodeNotFound, "not_found", nil)
	}
	return row.domain(), nil
}

// AccountPrincipal returns the principal of an enabled account with its
// effective grants resolved to areas (the same resolution that lists grants).
// Every sign-in and refresh calls it, so the account and its grants come in
// one round trip: one row per grant, or one row of NULL grant columns.
func (a *Auth) AccountPrincipal(ctx context.Context, accountID int64) (domain.Principal, error) {
	const op = "postgres.AccountPrincipal"
	var rows []struct {
		AccountPersonID    int64
		MustChangePassword bool
		Grant              grantRow `gorm:"embedded"`
	}
	err := a.db.q(ctx).Raw(`SELECT a.person_id AS account_person_id, a.must_change_password, gr.* FROM accounts a
		LEFT JOIN (`+grantQuery+`) gr ON gr.person_id = a.person_id
		WHERE a.id = ? AND NOT a.disabled AND (SELECT active FROM people ap WHERE ap.id = a.person_id) ORDER BY gr.id`, accountID).Scan(&rows).Error
	if err != nil {
		return domain.Principal{}, translate(op, err)
	}
	if len(rows) == 0 {
		return domain.Principal{}, &domain.Error{Code: domain.CodeUnauthorized, Op: op, Err: fmt.Errorf("account %d unknown or disabled", accountID)}
	}
	p := domain.Principal{AccountID: accountID, PersonID: rows[0].AccountPersonID, MustChangePassword: rows[0].MustChangePassword}
	for _, r := range rows {
		if r.Grant.ID == 0 {
			continue // the account's person holds no grant
		}
		if g, effective := r.Grant.domain(); effective {
			p.Grants = append(p.Grants, g)
		}
	}
	return p, nil
}

// UpgradePasswordHash replaces a hash made with old parameters.
func (a *Auth) UpgradePasswordHash(ctx context.Context, accountID int64, oldHash, newHash string) error {
	err := a.db.q(ctx).Exec(`UPDATE accounts SET password_hash = ? WHERE id = ? AND password_hash = ?`, newHash, accountID, oldHash).Error
	return translate("postgres.UpgradePasswordHash", err)
}

// ChangePassword sets a new hash, revokes every sign-in of the account and
// records the change, all or nothing.
func (a *Auth) ChangePassword(ctx context.Context, by domain.Actor, accountID int64, oldHash, newHash string) error {
	const op = "postgres.ChangePassword"
	return a.db.tx(ctx, op, func(tx *gorm.DB) error {
		res := tx.Exec(`UPDATE accounts SET password_hash = ?, password_changed_at = now(), must_change_password = false
			WHERE id = ? AND password_hash = ?`, newHash, accountID, oldHash)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return &domain.Error{Code: domain.CodeConflict, Key: "password_changed", Message: domain.Message("password_changed", nil), Op: op}
		}
		revoked, err := revokeAccountSessions(tx, accountID)
		if err != nil {
			return err
		}
		return writeAudit(tx, by, "password_changed", "account", accountID, map[string]any{"sessions_revoked": revoked})
	})
}

// RequirePasswordChange marks the account's password as chosen by someone
// else, so that its owner must replace it at the next sign-in.
func (a *Auth) RequirePasswordChange(ctx context.Context, accountID int64) error {
	const op = "postgres.RequirePasswordChange"
	res := a.db.q(ctx).Exec(`UPDATE accounts SET must_change_password = true WHERE id = ?`, accountID)
	if res.Error != nil {
		return translate(op, res.Error)
	}
	if res.RowsAffected == 0 {
		return &domain.Error{Code: domain.CodeNotFound, Key: "not_found", Message: domain.Message("not_found", nil), Op: op}
	}
	return nil
}
