package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm"

	"densach/domain"
)

// writeAudit appends one row to the audit log inside tx, so that the record
// of a write commits or rolls back with the write itself. Every store calls
// it for every write; changes is usually {"field": {"old": …, "new": …}}.
func writeAudit(tx *gorm.DB, by domain.Actor, action, entity string, id int64, changes map[string]any) error {
	if changes == nil {
		changes = map[string]any{}
	}
	raw, err := json.Marshal(changes)
	if err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	return tx.Exec(`INSERT INTO audit_log (actor_id, action, entity, entity_id, changes, request_id) VALUES (?, ?, ?, ?, ?::jsonb, ?)`,
		nullable(by.PersonID), action, entity, nullable(id), string(raw), by.RequestID).Error
}

// change is the audit shape of one changed field.
func change(before, after any) map[string]any { return map[string]any{"old": before, "new": after} }

type auditRow struct {
	ID        int64
	At        time.Time
	ActorID   *int64
	Action    string
	Entity    string
	EntityID  *int64
	Changes   []byte
	RequestID string
}

// Audit reads the audit log. It implements domain.AuditStore.
type Audit struct{ db *DB }

// NewAudit returns the audit log reader over the pool.
func NewAudit(db *DB) *Audit { return &Audit{db: db} }

// ListAudit reads the audit log of one entity, newest first; entityID 0
// reads the whole entity kind.
func (a *Audit) ListAudit(ctx context.Context, entity string, entityID int64, limit int) ([]domain.AuditEntry, error) {
	const op = "postgres.ListAudit"
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	q := a.db.q(ctx).Table("audit_log").Where("entity = ?", entity)
	if entityID != 0 {
		q = q.Where("entity_id = ?", entityID)
	}
	var rows []auditRow
	if err := q.Order("at DESC, id DESC").Limit(limit).Find(&rows).Error; err != nil {
		return nil, translate(op, err)
	}
	out := make([]domain.AuditEntry, 0, len(rows))
	for _, r := range rows {
		e := domain.AuditEntry{ID: r.ID, At: r.At, Action: r.Action, Entity: r.Entity, RequestID: r.RequestID}
		if r.ActorID != nil {
			e.ActorID = *r.ActorID
		}
		if r.EntityID != nil {
			e.EntityID = *r.EntityID
		}
		if err := json.Unmarshal(r.Changes, &e.Changes); err != nil {
			return nil, translate(op, err)
		}
		out = append(out, e)
	}
	return out, nil
}
