package audit

import (
	"context"
	"testing"

	"densach/domain"
)

// readLog records what reached the store.
type readLog struct{ calls int }

func (r *readLog) ListAudit(ctx context.Context, entity string, entityID int64, limit int) ([]domain.AuditEntry, error) {
	r.calls++
	return []domain.AuditEntry{{Entity: entity, EntityID: entityID}}, nil
}

// TestListAuthorization: only administrators (and the system) read the log,
// and only of known entity kinds; a refused read never reaches the store.
func TestListAuthorization(t *testing.T) {
	grant := func(r domain.Role, k domain.ScopeKind) domain.Principal {
		return domain.Principal{PersonID: 7, Grants: []domain.Grant{{Role: r, Kind: k, UnitID: 1, CentreID: 1}}}
	}
	for _, tc := range []struct {
		name   string
		p      domain.Principal
		entity string
		want   domain.Code
	}{
		{"admin", grant(domain.RoleAdmin, domain.ScopeSystem), "person", ""},
		{"system", domain.System(), "unit", ""},
		{"admin, unknown entity", grant(domain.RoleAdmin, domain.ScopeSystem), "accounts", domain.CodeInvalid},
		{"province officer", grant(domain.RoleOfficer, domain.ScopeProvince), "person", domain.CodeForbidden},
		{"commune officer", grant(domain.RoleOfficer, domain.ScopeCommune), "person", domain.CodeForbidden},
		{"manager", grant(domain.RoleManager, domain.ScopeCentre), "centre", domain.CodeForbidden},
		{"teacher", grant(domain.RoleTeacher, domain.ScopeCentre), "person", domain.CodeForbidden},
		{"learner", grant(domain.RoleLearner, domain.ScopeSelf), "person", domain.CodeForbidden},
		{"nobody", domain.Principal{}, "person", domain.CodeForbidden},
	} {
		t.Run(tc.name, func(t *testing.T) {
			store := &readLog{}
			s := &Service{Audit: store}
			got, err := s.List(context.Background(), tc.p, tc.entity, 3)
			if domain.ErrorCode(err) != tc.want || err != nil && tc.want == "" {
				t.Fatalf("got %v, want %q", err, tc.want)
			}
			if tc.want != "" && store.calls != 0 {
				t.Fatal("a refused read reached the store")
			}
			if tc.want == "" && (len(got) != 1 || got[0].EntityID != 3) {
				t.Fatalf("entries %+v", got)
			}
		})
	}
}
