package jobs_test

import (
	"context"
	"testing"

	"densach/domain"
	"densach/domain/jobs"
)

// fakeStore answers every call and counts them, so a test sees whether a
// refused call reached storage.
type fakeStore struct {
	calls int
	job   jobs.Job
}

func (s *fakeStore) ListJobs(_ context.Context, q jobs.Query) (jobs.Page, error) {
	s.calls++
	return jobs.Page{Items: []jobs.Job{s.job}}, nil
}

func (s *fakeStore) GetJob(context.Context, int64) (jobs.Job, error) {
	s.calls++
	return s.job, nil
}

func (s *fakeStore) RetryJob(context.Context, domain.Actor, int64) (jobs.Job, error) {
	s.calls++
	j := s.job
	j.State = jobs.StateWaiting
	return j, nil
}

func principal(role domain.Role) domain.Principal {
	g := domain.Grant{Role: role}
	switch role {
	case domain.RoleAdmin:
		g.Kind = domain.ScopeSystem
	case domain.RoleOfficer:
		g.Kind, g.UnitID, g.ProvinceID = domain.ScopeProvince, 1, 1
	case domain.RoleManager, domain.RoleTeacher:
		g.Kind, g.CentreID, g.CommuneID, g.ProvinceID = domain.ScopeCentre, 3, 2, 1
	case domain.RoleLearner:
		g.Kind = domain.ScopeSelf
	}
	return domain.Principal{AccountID: 7, PersonID: 7, Grants: []domain.Grant{g}}
}

// TestServiceAuthorization: only administrators list or retry jobs; every
// other role, and a caller without grants, is refused before storage.
func TestServiceAuthorization(t *testing.T) {
	callers := []struct {
		name string
		p    domain.Principal
		want domain.Code
	}{
		{"admin", principal(domain.RoleAdmin), ""},
		{"officer", principal(domain.RoleOfficer), domain.CodeForbidden},
		{"manager", principal(domain.RoleManager), domain.CodeForbidden},
		{"teacher", principal(domain.RoleTeacher), domain.CodeForbidden},
		{"learner", principal(domain.RoleLearner), domain.CodeForbidden},
		{"no grants", domain.Principal{AccountID: 8, PersonID: 8}, domain.CodeForbidden},
	}
	for _, c := range callers {
		t.Run(c.name, func(t *testing.T) {
			st := &fakeStore{job: jobs.Job{ID: 1, State: jobs.StateFailed}}
			s := &jobs.Service{Store: st}
			_, err := s.List(context.Background(), c.p, jobs.Query{State: jobs.StateFailed})
			if got := domain.ErrorCode(err); got != c.want {
				t.Fatalf("List: %v, want code %q", err, c.want)
			}
			_, err = s.Retry(context.Background(), c.p, "req", 1)
			if got := domain.ErrorCode(err); got != c.want {
				t.Fatalf("Retry: %v, want code %q", err, c.want)
			}
			if c.want != "" && st.calls != 0 {
				t.Fatalf("refused caller reached storage %d times", st.calls)
			}
		})
	}
}

// TestServiceValidation checks the query's bounds and which states may be
// retried.
func TestServiceValidation(t *testing.T) {
	admin := principal(domain.RoleAdmin)
	for _, c := range []struct {
		name  string
		q     jobs.Query
		field string
	}{
		{"every state", jobs.Query{}, ""},
		{"failed", jobs.Query{State: jobs.StateFailed}, ""},
		{"unknown state", jobs.Query{State: "discarded"}, "state"},
		{"negative before", jobs.Query{Before: -1}, "before"},
		{"limit too large", jobs.Query{Limit: jobs.MaxLimit + 1}, "limit"},
		{"negative limit", jobs.Query{Limit: -1}, "limit"},
		{"largest limit", jobs.Query{Limit: jobs.MaxLimit}, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := (&jobs.Service{Store: &fakeStore{}}).List(context.Background(), admin, c.q)
			if c.field == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			e := domain.AsError(err)
			if e.Code != domain.CodeInvalid || len(e.Fields) != 1 || e.Fields[0].Field != c.field {
				t.Fatalf("%v, want invalid field %q", err, c.field)
			}
		})
	}
	for _, st := range jobs.States {
		t.Run("retry "+string(st), func(t *testing.T) {
			_, err := (&jobs.Service{Store: &fakeStore{job: jobs.Job{ID: 1, State: st}}}).Retry(context.Background(), admin, "req", 1)
			want := domain.CodeConflict
			if st == jobs.StateFailed || st == jobs.StateRetrying || st == jobs.StateCancelled {
				want = ""
			}
			if got := domain.ErrorCode(err); got != want {
				t.Fatalf("%v, want code %q", err, want)
			}
		})
	}
}
