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

// world is a fresh database with province A (communes A1, A2) and province
// B (commune B1), a centre in each commune, the callers (signed in through
// the storage's AccountPrincipal, the path every sign-in takes) and a
// generator of targets.
type world struct {
	t                      *testing.T
	db                     *postgres.DB
	svc                    *people.Service
	provA, provB           int64
	commA1, commA2, commB1 int64
	centreA1, centreA2     int64
	centreB1               int64
	n                      int
}

func newWorld(t *testing.T) *world {
	t.Helper()
	db, err := postgres.Open(pgtest.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	w := &world{t: t, db: db}
	// A cheap hash keeps hundreds of password resets fast; the real one is
	// tested in domain.
	w.svc = &people.Service{People: postgres.NewPeople(db), Units: postgres.NewUnits(db), Disclosures: db, DisclosureLimit: 1000,
		Hash: func(_ context.Context, pw string) (string, error) { return "test:" + pw, nil }}
	w.provA = w.id(`INSERT INTO units (code, name, kind, valid_from) VALUES ('12', 'Lai Châu', 'province', '2025-07-01') RETURNING id`)
	w.provB = w.id(`INSERT INTO units (code, name, kind, valid_from) VALUES ('11', 'Điện Biên', 'province', '2025-07-01') RETURNING id`)
	w.commA1 = w.id(`INSERT INTO units (code, name, kind, parent_id, valid_from) VALUES ('12001', 'Tân Phong', 'ward', $1, '2025-07-01') RETURNING id`, w.provA)
	w.commA2 = w.id(`INSERT INTO units (code, name, kind, parent_id, valid_from) VALUES ('12002', 'Đoàn Kết', 'ward', $1, '2025-07-01') RETURNING id`, w.provA)
	w.commB1 = w.id(`INSERT INTO units (code, name, kind, parent_id, valid_from) VALUES ('11001', 'Mường Thanh', 'ward', $1, '2025-07-01') RETURNING id`, w.provB)
	w.centreA1 = w.id(`INSERT INTO centres (unit_id, name) VALUES ($1, 'TTHTCĐ Tân Phong') RETURNING id`, w.commA1)
	w.centreA2 = w.id(`INSERT INTO centres (unit_id, name) VALUES ($1, 'TTHTCĐ Đoàn Kết') RETURNING id`, w.commA2)
	w.centreB1 = w.id(`INSERT INTO centres (unit_id, name) VALUES ($1, 'TTHTCĐ Mường Thanh') RETURNING id`, w.commB1)
	return w
}

// id runs SQL and returns the first column of the first row, if any.
func (w *world) id(q string, args ...any) int64 {
	w.t.Helper()
	var id int64
	rows, err := w.db.SQL().Query(q, args...)
	if err != nil {
		w.t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	if rows.Next() {
		if err := rows.Scan(&id); err != nil {
			w.t.Fatal(err)
		}
	}
	return id
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
	w.t.Helper()
	w.n++
	p := person{Name: fmt.Sprintf("Người Thử %c%c%c", 'A'+w.n/676%26, 'a'+w.n/26%26, 'a'+w.n%26), Phone: fmt.Sprintf("097%07d", w.n), CommuneCode: "12001"}
	commune := w.commA1
	switch kind {
	case kForeign, kOfficerB:
		commune, p.CommuneCode = w.commB1, "11001"
	case kOfficerA2, kManagerA2:
		commune, p.CommuneCode = w.commA2, "12002"
	}
	p.ID = w.id(`INSERT INTO people (full_name, given_name, sort_key, search_exact, search_folded, commune_id, phone)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, p.Name, domain.GivenName(p.Name), domain.NameSortKey(p.Name),
		domain.LowerForSearch(p.Name), domain.FoldForSearch(p.Name), commune, p.Phone)
	grant := func(role string, unit, centre any) {
		w.id(`INSERT INTO role_grants (person_id, role, unit_id, centre_id) VALUES ($1, $2, $3, $4)`, p.ID, role, unit, centre)
	}
	switch kind {
	case kAdmin:
		grant("admin", nil, nil)
	case kOfficerA:
		grant("officer", w.provA, nil)
	case kOfficerB:
		grant("officer", w.provB, nil)
	case kOfficerA1:
		grant("officer", w.commA1, nil)
	case kOfficerA2:
		grant("officer", w.commA2, nil)
	case kManagerA1:
		grant("manager", nil, w.centreA1)
	case kManagerA2:
		grant("manager", nil, w.centreA2)
	case kTeacherA1:
		grant("teacher", nil, w.centreA1)
	case kLearnerA1:
		grant("learner", nil, nil) // a learner enrolled nowhere yet
	}
	return p
}

// signIn creates an account for a new person of the kind and returns the
// principal the sign-in path derives from it.
func (w *world) signIn(kind string) domain.Principal {
	w.t.Helper()
	p := w.newPerson(kind)
	acct := w.id(`INSERT INTO accounts (person_id, password_hash) VALUES ($1, 'x') RETURNING id`, p.ID)
	pr, err := postgres.NewAuth(w.db).AccountPrincipal(context.Background(), acct)
	if err != nil {
		w.t.Fatal(err)
	}
	return pr
}
