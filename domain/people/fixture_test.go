package people_test

import (
	"context"
	"fmt"
	"testing"

	"densach/domain"
	"densach/domain/people"
	"densach/storage/postgres"
	"densach/storage/postgres/pgtest"
)

// world is the shared sign-in world (province A with communes A1, A2,
// province B with commune B1, a centre in each commune, callers signed in
// through the storage's AccountPrincipal) with the people service and a
// generator of targets.
type world struct {
	*pgtest.World
	svc *people.Service
	n   int
}

func newWorld(t *testing.T) *world {
	t.Helper()
	w := &world{World: pgtest.NewWorld(t)}
	// A cheap hash keeps hundreds of password resets fast; the real one is
	// tested in domain.
	w.svc = &people.Service{People: postgres.NewPeople(w.DB), Units: postgres.NewUnits(w.DB), Disclosures: w.DB, DisclosureLimit: 1000,
		Hash: func(_ context.Context, pw string) (string, error) { return "test:" + pw, nil }}
	return w
}

// kinds of people the table uses, as callers and as targets.
const (
	kAdmin     = "admin"
	kOfficerA  = "officer_province_A"
	kOfficerB  = "officer_province_B"
	kOfficerA1 = "officer_commune_A1"
	kOfficerA2 = "officer_commune_A2"
	kManagerA1 = "manager_A1"
	kManagerA2 = "manager_A2"
	kTeacherA1 = "teacher_A1"
	kLearnerA1 = "learner_A1"
	kResident  = "no_role"
	kForeign   = "no_role_B1"
)

// person is one stored person of the table.
type person struct {
	ID          int64
	Name, Phone string
	CommuneCode string
}

// newPerson stores a person of the given kind living in commune A1 (B1 for
// kForeign and kOfficerB, A2 for the A2 kinds), with that kind's grant.
func (w *world) newPerson(kind string) person {
	w.T.Helper()
	w.n++
	p := person{Name: fmt.Sprintf("Người Thử %c%c%c", 'A'+w.n/676%26, 'a'+w.n/26%26, 'a'+w.n%26), Phone: fmt.Sprintf("097%07d", w.n), CommuneCode: "12001"}
	commune := w.CommA1
	switch kind {
	case kForeign, kOfficerB:
		commune, p.CommuneCode = w.CommB1, "11001"
	case kOfficerA2, kManagerA2:
		commune, p.CommuneCode = w.CommA2, "12002"
	}
	p.ID = w.AddPerson(p.Name, p.Phone, commune)
	switch kind {
	case kLearnerA1:
		w.Grant(p.ID, "learner", nil, nil) // a learner enrolled nowhere yet
	default:
		w.GrantKind(p.ID, kind) // kResident and kForeign have no role
	}
	return p
}

// signIn creates an account for a new person of the kind and returns the
// principal the sign-in path derives from it.
func (w *world) signIn(kind string) domain.Principal {
	w.T.Helper()
	return w.SignIn(w.newPerson(kind).ID)
}
