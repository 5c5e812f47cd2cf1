package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"densach/domain"
)

// StartRefreshFamily stores the first refresh token of a new sign-in; the
// database draws the family id. (Expired tokens are purged by a periodic
// job: see jobs_purge.go.)
func (a *Auth) StartRefreshFamily(ctx context.Context, accountID int64, hash []byte, ttl time.Duration) error {
	const op = "postgres.StartRefreshFamily"
	err := a.db.q(ctx).Exec(`INSERT INTO refresh_tokens (account_id, family_id, token_hash, expires_at)
		VALUES (?, gen_random_uuid(), ?, now() + make_interval(secs => ?))`, accountID, hash, ttl.Seconds()).Error
	if err != nil {
		return translate(op, err)
	}
	return nil
}

// refreshState is what rotation needs to know about the presented token.
type refreshState struct {
	ID        int64
	AccountID int64
	FamilyID  string
	Expired   bool
	Used      bool
	Revoked   bool
	Disabled  bool
}

// RotateRefreshToken exchanges a refresh token for a new one in the same
// family. The row is locked (SELECT … FOR UPDATE) so that of two concurrent
// rotations of one token the second waits, then sees it used: exactly one
// succeeds, and the loser is treated as reuse.
func (a *Auth) RotateRefreshToken(ctx context.Context, oldHash, newHash []byte, ttl time.Duration) (int64, error) {
	const op = "postgres.RotateRefreshToken"
	var refused error
	var account int64
	err := a.db.tx(ctx, op, func(tx *gorm.DB) error {
		var st refreshState
		res := tx.Raw(`SELECT r.id, r.account_id, r.family_id::text AS family_id, r.expires_at <= now() AS expired,
				r.used_at IS NOT NULL AS used, r.revoked_at IS NOT NULL AS revoked, (a.disabled OR NOT p.active) AS disabled
			FROM refresh_tokens r JOIN accounts a ON a.id = r.account_id JOIN people p ON p.id = a.person_id
			WHERE r.token_hash = ? FOR UPDATE OF r`, oldHash).Scan(&st)
		if res.Error != nil {
			return res.Error
		}
		switch {
		case res.RowsAffected == 0:
			refused = refreshRefused(op, "unknown refresh token")
			return nil
		case st.Revoked:
			refused = refreshRefused(op, "revoked refresh token")
			return nil
		case st.Used || st.Disabled:
			// A second use means two parties hold the token: revoke the
			// whole sign-in, and commit that even though the caller fails.
			refused = refreshRefused(op, fmt.Sprintf("refresh token reused or account disabled: family %s revoked", st.FamilyID))
			return tx.Exec(`UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = ?::uuid AND revoked_at IS NULL`, st.FamilyID).Error
		case st.Expired:
			refused = refreshRefused(op, "expired refresh token")
			return nil
		}
		if err := tx.Exec(`UPDATE refresh_tokens SET used_at = now() WHERE id = ?`, st.ID).Error; err != nil {
			return err
		}
		account = st.AccountID
		return tx.Exec(`INSERT INTO refresh_tokens (account_id, family_id, token_hash, expires_at)
			VALUES (?, ?::uuid, ?, now() + make_interval(secs => ?))`, st.AccountID, st.FamilyID, newHash, ttl.Seconds()).Error
	})
	if err != nil {
		return 0, err
	}
	if refused != nil {
		return 0, refused
	}
	return account, nil
}

func refreshRefused(op, why string) error {
	return &domain.Error{Code: domain.CodeUnauthorized, Key: "session_expired", Message: domain.Message("session_expired", nil), Op: op, Err: errors.New(why)}
}

// RevokeRefreshFamily revokes the sign-in the token belongs to.
func (a *Auth) RevokeRefreshFamily(ctx context.Context, hash []byte) error {
	err := a.db.q(ctx).Exec(`UPDATE refresh_tokens SET revoked_at = now()
		WHERE family_id = (SELECT family_id FROM refresh_tokens WHERE token_hash = ?) AND revoked_at IS NULL`, hash).Error
	return translate("postgres.RevokeRefreshFamily", err)
}

// RevokeAccountRefreshTokens revokes every sign-in of the account.
func (a *Auth) RevokeAccountRefreshTokens(ctx context.Context, accountID int64) error {
	_, err := revokeAccountSessions(a.db.q(ctx), accountID)
	return translate("postgres.RevokeAccountRefreshTokens", err)
}

// revokeAccountSessions revokes every live refresh token of the account
// through q (a transaction or not) and reports how many there were.
func revokeAccountSessions(q *gorm.DB, accountID int64) (int64, error) {
	res := q.Exec(`UPDATE refresh_tokens SET revoked_at = now() WHERE account_id = ? AND revoked_at IS NULL`, accountID)
	return res.RowsAffected, res.Error
}
