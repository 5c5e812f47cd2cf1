package postgres

import (
	"context"

	"gorm.io/gorm"

	"densach/domain"
)

// SetActive deactivates or reactivates a person, in one transaction with
// its audit entry. Deactivating also signs the person's account out
// everywhere; sign-in and refresh refuse an inactive person's account. A
// person already in that state is left alone (no audit entry); a merged
// person cannot be reactivated (CodeConflict).
func (s *People) SetActive(ctx context.Context, by domain.Actor, personID int64, active bool) error {
	return s.db.tx(ctx, "postgres.SetActive", func(tx *gorm.DB) error {
		var cur struct {
			Found  bool
			Active bool
			Merged bool
		}
		err := tx.Raw(`SELECT true AS found, active, merged_into_id IS NOT NULL AS merged FROM people WHERE id = ? FOR UPDATE`, personID).Scan(&cur).Error
		if err != nil {
			return err
		}
		switch {
		case !cur.Found:
			return errPersonNotFound
		case cur.Active == active:
			return nil
		case active && cur.Merged:
			return domain.Fail(domain.CodeConflict, "person_merged", nil)
		}
		if err := tx.Exec(`UPDATE people SET active = ?, updated_at = now() WHERE id = ?`, active, personID).Error; err != nil {
			return err
		}
		changes := map[string]any{"active": active}
		action := "person_activated"
		if !active {
			action = "person_deactivated"
			n, err := revokePersonSessions(tx, personID)
			if err != nil {
				return err
			}
			changes["sessions_revoked"] = n
		}
		return writeAudit(tx, by, action, "person", personID, changes)
	})
}

// revokePersonSessions revokes every refresh token of the person's account.
func revokePersonSessions(tx *gorm.DB, personID int64) (int64, error) {
	res := tx.Exec(`UPDATE refresh_tokens SET revoked_at = now() WHERE revoked_at IS NULL
		AND account_id IN (SELECT id FROM accounts WHERE person_id = ?)`, personID)
	return res.RowsAffected, res.Error
}
