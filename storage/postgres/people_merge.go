package postgres

import (
	"context"

	"gorm.io/gorm"

	"densach/domain"
)

// mergeFillable are the fields of the kept person that a merge fills from
// the duplicate when they are empty (name and commune are always set).
var mergeFillable = []string{"birth_date", "sex", "ethnicity", "village", "cccd", "phone", "email", "staff_position"}

// MergePeople merges the person fromID into keepID in one transaction:
// everything that refers to the duplicate (role grants, grants given or
// revoked by them, disclosure counts, their account when the kept person has
// none) moves to the kept person, whose empty fields are filled from the
// duplicate; the duplicate is deactivated with merged_into_id and loses its
// CCCD, phone and e-mail (they are unique), and one audit entry names both.
// CodeNotFound when either is unknown; CodeConflict when either is already
// inactive or both have an account.
func (s *People) MergePeople(ctx context.Context, by domain.Actor, keepID, fromID int64) error {
	return s.db.tx(ctx, "postgres.MergePeople", func(tx *gorm.DB) error {
		var rows []personRow
		// Both rows locked in id order, so that two merges cannot deadlock.
		err := tx.Raw(`SELECT `+personSelect()+` FROM people p LEFT JOIN units u ON u.id = p.commune_id
			WHERE p.id IN (?, ?) ORDER BY p.id FOR UPDATE OF p`, keepID, fromID).Scan(&rows).Error
		if err != nil {
			return err
		}
		var keep, from domain.Person
		for _, r := range rows {
			switch r.Record.ID {
			case keepID:
				keep = r.domain()
			case fromID:
				from = r.domain()
			}
		}
		if keep.ID == 0 || from.ID == 0 {
			return errPersonNotFound
		}
		if !keep.Active || !from.Active {
			return domain.Fail(domain.CodeConflict, "person_merge_inactive", nil)
		}
		if keep.HasAccount && from.HasAccount {
			return domain.Fail(domain.CodeConflict, "person_merge_accounts", nil)
		}
		merged, filled := fillFrom(keep, from)

		// The duplicate first gives up its unique identifiers.
		if err := tx.Exec(`UPDATE people SET active = false, merged_into_id = ?, cccd = NULL, phone = NULL, email = NULL, updated_at = now()
			WHERE id = ?`, keepID, fromID).Error; err != nil {
			return err
		}
		if len(filled) > 0 {
			cols, err := writtenColumns(filled)
			if err != nil {
				return err
			}
			rec := recordOf(merged).withNames()
			if err := tx.Model(&rec).Select(cols).Updates(&rec).Error; err != nil {
				return err
			}
		}
		// Active grants the kept person already holds are revoked on the
		// duplicate (the unique index allows one), then every grant moves.
		if err := tx.Exec(`UPDATE role_grants f SET revoked_at = now(), revoked_by = ?
			WHERE f.person_id = ? AND f.revoked_at IS NULL AND EXISTS (SELECT 1 FROM role_grants k WHERE k.person_id = ? AND k.revoked_at IS NULL
				AND k.role = f.role AND k.unit_id IS NOT DISTINCT FROM f.unit_id AND k.centre_id IS NOT DISTINCT FROM f.centre_id)`,
			nullable(by.PersonID), fromID, keepID).Error; err != nil {
			return err
		}
		moved := tx.Exec(`UPDATE role_grants SET person_id = ? WHERE person_id = ?`, keepID, fromID)
		if moved.Error != nil {
			return moved.Error
		}
		for _, col := range []string{"granted_by", "revoked_by"} {
			if err := tx.Exec(`UPDATE role_grants SET `+col+` = ? WHERE `+col+` = ?`, keepID, fromID).Error; err != nil {
				return err
			}
		}
		if err := tx.Exec(`INSERT INTO disclosure_counts (person_id, day, answers) SELECT ?, day, answers FROM disclosure_counts WHERE person_id = ?
			ON CONFLICT (person_id, day) DO UPDATE SET answers = disclosure_counts.answers + EXCLUDED.answers`, keepID, fromID).Error; err != nil {
			return err
		}
		if err := tx.Exec(`DELETE FROM disclosure_counts WHERE person_id = ?`, fromID).Error; err != nil {
			return err
		}
		accountMoved := false
		if from.HasAccount {
			// The account now signs in as the kept person: its old sign-ins end.
			if _, err := revokePersonSessions(tx, fromID); err != nil {
				return err
			}
			if err := tx.Exec(`UPDATE accounts SET person_id = ? WHERE person_id = ?`, keepID, fromID).Error; err != nil {
				return err
			}
			accountMoved = true
		}
		changes := map[string]any{"kept_id": keepID, "merged_id": fromID, "kept_name": keep.FullName, "merged_name": from.FullName,
			"grants_moved": moved.RowsAffected, "account_moved": accountMoved}
		if len(filled) > 0 {
			changes["filled"] = auditChanges(recordOf(keep), recordOf(merged), filled)
		}
		return writeAudit(tx, by, "people_merged", "person", keepID, changes)
	})
}

// fillFrom is keep with its empty fields filled from from, and the names of
// the fields filled.
func fillFrom(keep, from domain.Person) (domain.Person, []string) {
	out := keep
	var filled []string
	fill := func(name string, empty bool, set func()) {
		if empty {
			set()
			filled = append(filled, name)
		}
	}
	fill("birth_date", keep.BirthDate == nil && keep.BirthYear == 0 && (from.BirthDate != nil || from.BirthYear != 0), func() {
		out.BirthDate, out.BirthYear = from.BirthDate, from.BirthYear
	})
	fill("sex", keep.Sex == "" && from.Sex != "", func() { out.Sex = from.Sex })
	fill("ethnicity", keep.Ethnicity == "" && from.Ethnicity != "", func() { out.Ethnicity = from.Ethnicity })
	fill("village", keep.Village == "" && from.Village != "", func() { out.Village = from.Village })
	fill("cccd", keep.CCCD == "" && from.CCCD != "", func() { out.CCCD = from.CCCD })
	fill("phone", keep.Phone == "" && from.Phone != "", func() { out.Phone = from.Phone })
	fill("email", keep.Email == "" && from.Email != "", func() { out.Email = from.Email })
	fill("staff_position", keep.StaffPosition == "" && from.StaffPosition != "", func() { out.StaffPosition = from.StaffPosition })
	return out, filled
}
