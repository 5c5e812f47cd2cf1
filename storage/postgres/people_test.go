package postgres_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"densach/domain"
	"densach/storage/postgres"
	"densach/storage/postgres/pgtest"
)

func openDB(t *testing.T) *postgres.DB {
	t.Helper()
	db, err := postgres.Open(pgtest.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// one runs a statement and returns the first column of the first row.
func one(t *testing.T, db *postgres.DB, q string, args ...any) int64 {
	t.Helper()
	var id int64
	if err := db.SQL().QueryRow(q, args...).Scan(&id); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return id
}

func addPerson(t *testing.T, db *postgres.DB, name string, commune int64) int64 {
	t.Helper()
	return one(t, db, `INSERT INTO people (full_name, given_name, sort_key, search_exact, search_folded, commune_id)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
		name, domain.GivenName(name), domain.NameSortKey(name), domain.LowerForSearch(name), domain.FoldForSearch(name), commune)
}

// TestScopeFilterSQL checks that listing with each shape of Filter returns
// exactly the people Filter.Matches accepts: the SQL and the in-memory check
// are one rule.
func TestScopeFilterSQL(t *testing.T) {
	db := openDB(t)
	ctx := context.Background()
	unit := func(code, kind string, parent any) int64 {
		return one(t, db, `INSERT INTO units (code, name, kind, parent_id, valid_from) VALUES ($1, $1, $2, $3, '2025-07-01') RETURNING id`, code, kind, parent)
	}
	p1, p2 := unit("P1", "province", nil), unit("P2", "province", nil)
	c11, c12, c21 := unit("C11", "commune", p1), unit("C12", "ward", p1), unit("C21", "special_zone", p2)
	k11 := one(t, db, `INSERT INTO centres (unit_id, name) VALUES ($1, 'K11') RETURNING id`, c11)
	k21 := one(t, db, `INSERT INTO centres (unit_id, name) VALUES ($1, 'K21') RETURNING id`, c21)
	a, b, c := addPerson(t, db, "Lò Văn A", c11), addPerson(t, db, "Lò Văn B", c12), addPerson(t, db, "Lò Văn C", c21)
	d, e := addPerson(t, db, "Lò Văn D", c21), addPerson(t, db, "Lò Văn E", c11)
	one(t, db, `INSERT INTO role_grants (person_id, role, centre_id) VALUES ($1, 'teacher', $2) RETURNING id`, d, k11)
	one(t, db, `INSERT INTO role_grants (person_id, role, centre_id, revoked_at) VALUES ($1, 'learner', $2, now()) RETURNING id`, e, k21)
	all := []int64{a, b, c, d, e}

	cases := []struct {
		name string
		f    domain.Filter
		want []int64
	}{
		{"zero filter matches no one", domain.Filter{}, nil},
		{"all", domain.Filter{All: true}, all},
		{"self", domain.Filter{SelfID: a}, []int64{a}},
		{"province: people of its communes", domain.Filter{ProvinceIDs: []int64{p1}}, []int64{a, b, e}},
		{"commune", domain.Filter{CommuneIDs: []int64{c12}}, []int64{b}},
		{"centre: active grants there", domain.Filter{CentreIDs: []int64{k11}}, []int64{d}},
		{"centre: revoked grants do not count", domain.Filter{CentreIDs: []int64{k21}}, nil},
		{"self or commune", domain.Filter{SelfID: c, CommuneIDs: []int64{c12}}, []int64{b, c}},
		{"province or centre", domain.Filter{ProvinceIDs: []int64{p2}, CentreIDs: []int64{k11}}, []int64{c, d}},
		{"several communes", domain.Filter{CommuneIDs: []int64{c11, c21}}, []int64{a, c, d, e}},
		{"unknown ids", domain.Filter{ProvinceIDs: []int64{999}, CommuneIDs: []int64{998}, CentreIDs: []int64{997}}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			q := domain.PeopleQuery{Count: true}
			q.Normalize()
			page, err := postgres.NewPeople(db).ListPeople(ctx, tc.f, tc.f, q)
			if err != nil {
				t.Fatal(err)
			}
			total := page.Total
			var got []int64
			for _, p := range page.Items {
				got = append(got, p.ID)
			}
			slices.Sort(got)
			if !slices.Equal(got, tc.want) || total != len(tc.want) {
				t.Fatalf("got %v (total %d), want %v", got, total, tc.want)
			}
			// The in-memory check agrees person by person.
			for _, id := range all {
				p, err := postgres.NewPeople(db).GetPerson(ctx, id)
				if err != nil {
					t.Fatal(err)
				}
				if tc.f.Matches(p.Area()) != slices.Contains(tc.want, id) {
					t.Fatalf("Filter.Matches(%+v) disagrees with SQL for person %d", p.Area(), id)
				}
			}
		})
	}
}

// generatedFile builds an import file of n people in one commune: most with
// a phone, every third with a CCCD too, every tenth with neither.
func generatedFile(n int, commune string) []byte {
	family := []string{"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Lò", "Quàng", "Tòng", "Vì", "Đặng"}
	middle := []string{"Văn", "Thị", "Đức", "Ngọc", "Minh", "Thanh", "Hữu", "Thu", "Xuân", "Bích"}
	given := []string{"An", "Ánh", "Bình", "Chiến", "Dũng", "Đào", "Giang", "Hà", "Hùng", "Lan", "Mai", "Nam", "Oanh", "Phúc", "Quân", "Sơn", "Thảo", "Tuấn", "Vân", "Yến"}
	var b strings.Builder
	b.WriteString("ho_ten;nam_sinh;gioi_tinh;ma_xa;cccd;so_dien_thoai\r\n")
	for i := range n {
		name := family[i%10] + " " + middle[i/10%10] + " " + given[i/100%20]
		year := 1950 + i/2000%50
		sex := []string{"Nam", "Nữ"}[i%2]
		var cccd, phone string
		if i%10 != 0 {
			phone = fmt.Sprintf("091%07d", i)
		}
		if i%3 == 0 && i%10 != 0 {
			cccd = fmt.Sprintf("012%09d", i)
		}
		fmt.Fprintf(&b, "%s;%d;%s;%s;%s;%s\r\n", name, year, sex, commune, cccd, phone)
	}
	return []byte(b.String())
}

// TestImportPeopleBulk imports 20,000 generated rows and then the same file
// again, which must change nothing. It reports the time; speed is measured
// by benchmarks, not asserted here.
func TestImportPeopleBulk(t *testing.T) {
	db := openDB(t)
	ctx := context.Background()
	prov := one(t, db, `INSERT INTO units (code, name, kind, valid_from) VALUES ('12', 'Lai Châu', 'province', '2025-07-01') RETURNING id`)
	one(t, db, `INSERT INTO units (code, name, kind, parent_id, valid_from) VALUES ('12001', 'Tân Phong', 'ward', $1, '2025-07-01') RETURNING id`, prov)
	const n = 20_000
	data := generatedFile(n, "12001")

	start := time.Now()
	file, err := domain.ParsePeopleCSV(data, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	parsed := time.Since(start)
	if len(file.Rows) != n || len(file.Errors) != 0 {
		t.Fatalf("%d rows, errors %v", len(file.Rows), file.Errors[:min(5, len(file.Errors))])
	}
	by := domain.Actor{RequestID: "bulk-test"}
	start = time.Now()
	store := postgres.NewPeople(db)
	res, err := store.ImportPeople(ctx, by, allowAll{}, file, false)
	if err != nil {
		t.Fatal(err)
	}
	applied := time.Since(start)
	if res.Created != n || res.Updated != 0 || len(res.Errors) != 0 {
		t.Fatalf("first import: %+v", res)
	}
	t.Logf("import of %d rows: parse %v, apply %v", n, parsed, applied)
	if got := one(t, db, `SELECT count(*) FROM people`); got != n {
		t.Fatalf("%d people stored", got)
	}
	if got := one(t, db, `SELECT count(*) FROM audit_log WHERE action = 'person_created'`); got != n {
		t.Fatalf("%d audit rows", got)
	}

	start = time.Now()
	res, err = store.ImportPeople(ctx, by, allowAll{}, file, false)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("re-import of %d unchanged rows: %v", n, time.Since(start))
	if res.Created != 0 || res.Updated != 0 || res.Unchanged != n || len(res.Errors) != 0 {
		t.Fatalf("second import: created %d updated %d unchanged %d errors %d", res.Created, res.Updated, res.Unchanged, len(res.Errors))
	}
	if got := one(t, db, `SELECT count(*) FROM people`); got != n {
		t.Fatalf("%d people after re-import", got)
	}
	// The stored order is the Vietnamese register order.
	q := domain.PeopleQuery{PageSize: 100, Count: true}
	q.Normalize()
	page, err := store.ListPeople(ctx, domain.Filter{All: true}, domain.Filter{All: true}, q)
	if err != nil || page.Total != n {
		t.Fatal(page.Total, err)
	}
	people := page.Items
	names := make([]string, len(people))
	for i, p := range people {
		names[i] = p.FullName
	}
	if !slices.IsSortedFunc(names, domain.CompareNames) || !strings.HasSuffix(names[0], " An") {
		t.Fatalf("first page not in register order: %q", names[:5])
	}
}

// allowAll is the import guard of a caller who may do everything.
type allowAll struct{}

func (allowAll) CanPlace(domain.Area) bool                           { return true }
func (allowAll) CanEnrol(domain.Person) bool                         { return true }
func (allowAll) CanChange(domain.Person) bool                        { return true }
func (allowAll) Disclose(context.Context, []domain.Disclosure) error { return nil }
