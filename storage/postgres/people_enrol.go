package postgres

import (
	"gorm.io/gorm"

	"densach/domain"
)

// enrolLearners makes each of ids a learner of centre unless they already
// are one, with a role_granted audit row for each new grant, and returns how
// many were enrolled. Re-running it grants nothing twice: the active-grant
// unique index turns a repeat into no row.
func enrolLearners(tx *gorm.DB, by domain.Actor, centre int64, ids []int64) (int, error) {
	if len(ids) == 0 {
		return 0, nil
	}
	r := tx.Exec(`WITH granted AS (
			INSERT INTO role_grants (person_id, role, centre_id, granted_by)
			SELECT id, 'learner', ?, ? FROM unnest(?::bigint[]) AS id
			ON CONFLICT DO NOTHING
			RETURNING id, person_id)
		INSERT INTO audit_log (actor_id, action, entity, entity_id, changes, request_id)
		SELECT ?, 'role_granted', 'person', person_id,
			jsonb_build_object('grant_id', id, 'role', 'learner', 'unit_id', NULL, 'centre_id', ?::bigint, 'import', true), ?
		FROM granted`,
		centre, nullable(by.PersonID), pgArray(ids), nullable(by.PersonID), centre, by.RequestID)
	return int(r.RowsAffected), r.Error
}

// unenrolled counts the people of ids who are not yet learners of centre:
// what enrolLearners would grant them, for a dry run.
func unenrolled(tx *gorm.DB, centre int64, ids []int64) (int, error) {
	if len(ids) == 0 {
		return 0, nil
	}
	var n int
	err := tx.Raw(`SELECT count(*) FROM unnest(?::bigint[]) AS p(id) WHERE NOT EXISTS (
		SELECT 1 FROM role_grants g WHERE g.person_id = p.id AND g.role = 'learner' AND g.centre_id = ? AND g.revoked_at IS NULL)`,
		pgArray(ids), centre).Scan(&n).Error
	return n, err
}
