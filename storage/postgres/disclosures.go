package postgres

import (
	"context"
	"time"

	"gorm.io/gorm"

	"densach/domain"
)

// RecordDisclosures counts the disclosures against the caller's allowance
// of the day and audits each one, in one transaction: the upsert is atomic,
// so parallel imports cannot pass the limit together.
func (db *DB) RecordDisclosures(ctx context.Context, by domain.Actor, at time.Time, limit int, ds []domain.Disclosure) error {
	if len(ds) == 0 {
		return nil
	}
	return db.tx(ctx, "postgres.RecordDisclosures", func(tx *gorm.DB) error {
		var answers int
		err := tx.Raw(`INSERT INTO disclosure_counts AS d (person_id, day, answers) VALUES (?, ?, ?)
			ON CONFLICT (person_id, day) DO UPDATE SET answers = d.answers + EXCLUDED.answers
			RETURNING answers`, by.PersonID, domain.Today(at).Format(time.DateOnly), len(ds)).Scan(&answers).Error
		if err != nil {
			return err
		}
		if answers > limit {
			return domain.Fail(domain.CodeRateLimited, "disclosure_limit", domain.Params{"max": limit})
		}
		for _, d := range ds {
			changes := map[string]any{"field": d.Field}
			if d.Row != 0 {
				changes["row"] = d.Row
			}
			if err := writeAudit(tx, by, "identifier_disclosed", "person", d.PersonID, changes); err != nil {
				return err
			}
		}
		return nil
	})
}
