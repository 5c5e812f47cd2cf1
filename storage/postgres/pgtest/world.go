package pgtest

import (
	"context"
	"testing"

	"densach/domain"
	"densach/storage/postgres"
)

// World is the "sign-in world" the domain packages' tests share: a fresh
// migrated database with province A (communes A1 and, unless left out, A2)
// and province B (commune B1), a centre in each commune, and helpers that
// store people with grants and sign them in through the storage's
// AccountPrincipal, the path every sign-in takes. A package's tests embed
// it in their own world and add their kinds of callers and targets.
type World struct {
	T   testing.TB
	DB  *postgres.DB
	URL string // the database's URL

	ProvA, ProvB           int64
	CommA1, CommA2, CommB1 int64 // CommA2 is 0 in a world without A2
	CentreA1, CentreA2     int64 // CentreA2 is 0 in a world without A2
	CentreB1               int64
}

// NewWorld opens a fresh database for t (closed when the test ends) and
// stores the units and centres of the world, commune A2 and its centre
// included.
func NewWorld(t testing.TB) *World {
	t.Helper()
	return newWorld(t, true)
}

// NewWorldWithoutA2 is NewWorld without commune A2 and its centre, for the
// tests whose tables never need a second commune in province A.
func NewWorldWithoutA2(t testing.TB) *World {
	t.Helper()
	return newWorld(t, false)
}

func newWorld(t testing.TB, withA2 bool) *World {
	t.Helper()
	url := NewDatabase(t)
	db, err := postgres.Open(url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	w := &World{T: t, DB: db, URL: url}
	w.ProvA = w.ID(`INSERT INTO units (code, name, kind, valid_from) VALUES ('12', 'Lai Châu', 'province', '2025-07-01') RETURNING id`)
	w.ProvB = w.ID(`INSERT INTO units (code, name, kind, valid_from) VALUES ('11', 'Điện Biên', 'province', '2025-07-01') RETURNING id`)
	w.CommA1 = w.ID(`INSERT INTO units (code, name, kind, parent_id, valid_from) VALUES ('12001', 'Tân Phong', 'ward', $1, '2025-07-01') RETURNING id`, w.ProvA)
	if withA2 {
		w.CommA2 = w.ID(`INSERT INTO units (code, name, kind, parent_id, valid_from) VALUES ('12002', 'Đoàn Kết', 'ward', $1, '2025-07-01') RETURNING id`, w.ProvA)
	}
	w.CommB1 = w.ID(`INSERT INTO units (code, name, kind, parent_id, valid_from) VALUES ('11001', 'Mường Thanh', 'ward', $1, '2025-07-01') RETURNING id`, w.ProvB)
	w.CentreA1 = w.ID(`INSERT INTO centres (unit_id, name) VALUES ($1, 'TTHTCĐ Tân Phong') RETURNING id`, w.CommA1)
	if withA2 {
		w.CentreA2 = w.ID(`INSERT INTO centres (unit_id, name) VALUES ($1, 'TTHTCĐ Đoàn Kết') RETURNING id`, w.CommA2)
	}
	w.CentreB1 = w.ID(`INSERT INTO centres (unit_id, name) VALUES ($1, 'TTHTCĐ Mường Thanh') RETURNING id`, w.CommB1)
	return w
}

// ID runs SQL and returns the first column of the first row, if any; it
// fails the test on an error.
func (w *World) ID(q string, args ...any) int64 {
	w.T.Helper()
	var id int64
	rows, err := w.DB.SQL().Query(q, args...)
	if err != nil {
		w.T.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	if rows.Next() {
		if err := rows.Scan(&id); err != nil {
			w.T.Fatal(err)
		}
	}
	return id
}

// AddPerson stores a person with the name (and its sort and search forms),
// living in the commune, with the phone, and returns the person's id.
func (w *World) AddPerson(name, phone string, commune int64) int64 {
	w.T.Helper()
	return w.ID(`INSERT INTO people (full_name, given_name, sort_key, search_exact, search_folded, commune_id, phone)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, name, domain.GivenName(name), domain.NameSortKey(name),
		domain.LowerForSearch(name), domain.FoldForSearch(name), commune, phone)
}

// Grant gives the person a role in a unit or at a centre (nil for neither).
func (w *World) Grant(person int64, role string, unit, centre any) {
	w.T.Helper()
	w.ID(`INSERT INTO role_grants (person_id, role, unit_id, centre_id) VALUES ($1, $2, $3, $4)`, person, role, unit, centre)
}

// SignIn creates an account for the person and returns the principal the
// sign-in path (postgres.Auth.AccountPrincipal) derives from it.
func (w *World) SignIn(person int64) domain.Principal {
	w.T.Helper()
	acct := w.ID(`INSERT INTO accounts (person_id, password_hash) VALUES ($1, 'x') RETURNING id`, person)
	pr, err := postgres.NewAuth(w.DB).AccountPrincipal(context.Background(), acct)
	if err != nil {
		w.T.Fatal(err)
	}
	return pr
}

// GrantKind gives the person the grant of a kind of caller the domain
// tables use, and reports whether it knows the kind:
//
//	admin                       administrator
//	officer_province_A, _B      officer of province A or B
//	officer_commune_A1, _A2     officer of commune A1 or A2
//	manager_A1, _A2, _B1        manager of that centre
//	teacher_A1, _B1             teacher at that centre
//	learner_A1, _B1             learner at that centre
//	learner_no_centre           learner of no centre
//
// Kinds a package defines otherwise it handles before calling GrantKind.
func (w *World) GrantKind(person int64, kind string) bool {
	w.T.Helper()
	switch kind {
	case "admin":
		w.Grant(person, "admin", nil, nil)
	case "officer_province_A":
		w.Grant(person, "officer", w.ProvA, nil)
	case "officer_province_B":
		w.Grant(person, "officer", w.ProvB, nil)
	case "officer_commune_A1":
		w.Grant(person, "officer", w.CommA1, nil)
	case "officer_commune_A2":
		w.Grant(person, "officer", w.CommA2, nil)
	case "manager_A1":
		w.Grant(person, "manager", nil, w.CentreA1)
	case "manager_A2":
		w.Grant(person, "manager", nil, w.CentreA2)
	case "manager_B1":
		w.Grant(person, "manager", nil, w.CentreB1)
	case "teacher_A1":
		w.Grant(person, "teacher", nil, w.CentreA1)
	case "teacher_B1":
		w.Grant(person, "teacher", nil, w.CentreB1)
	case "learner_A1":
		w.Grant(person, "learner", nil, w.CentreA1)
	case "learner_B1":
		w.Grant(person, "learner", nil, w.CentreB1)
	case "learner_no_centre":
		w.Grant(person, "learner", nil, nil)
	default:
		return false
	}
	return true
}
