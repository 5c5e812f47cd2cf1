// Package audit is the use case of reading the audit log, which every store
// appends to inside its own transactions.
package audit

import (
	"context"

	"densach/domain"
)

// Entities are the entity kinds the audit log is read by.
var Entities = map[string]bool{"person": true, "person_import": true, "unit": true, "centre": true, "branch": true}

// maxEntries bounds one read of the log.
const maxEntries = 100

// Service reads the audit log. Build it by field assignment in cmd/.
type Service struct {
	Audit domain.AuditStore
}

// List reads the log of one entity kind (and one entity when entityID is
// not zero), newest first: administrators only.
func (s *Service) List(ctx context.Context, pr domain.Principal, entity string, entityID int64) ([]domain.AuditEntry, error) {
	if !pr.IsAdmin() {
		return nil, domain.Fail(domain.CodeForbidden, "audit_forbidden", nil)
	}
	if !Entities[entity] {
		return nil, domain.Invalid(domain.FieldOf("entity", "entity_invalid", nil))
	}
	return s.Audit.ListAudit(ctx, entity, entityID, maxEntries)
}
