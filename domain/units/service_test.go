package units_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"densach/domain"
	"densach/domain/units"
	"densach/storage/postgres"
	"densach/storage/postgres/pgtest"
	"densach/storage/sheets"
)

// fixture is a database with province A (communes A1 and A2), province B
// (commune B1), a ward W of A, and a province that has ended with a former
// commune in it.
type fixture struct {
	db                         *postgres.DB
	svc                        *units.Service
	provA, provB, a1, a2, b1   int64
	ended, endedCommune, centr int64
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	db, err := postgres.Open(pgtest.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	f := &fixture{db: db, svc: &units.Service{Units: postgres.NewUnits(db), Workbook: sheets.FirstSheet, Now: func() time.Time { return time.Date(2026, 1, 15, 9, 0, 0, 0, time.UTC) }}}
	f.provA = f.id(t, `INSERT INTO units (code, name, kind, valid_from) VALUES ('12', 'Lai Châu', 'province', '2004-01-01') RETURNING id`)
	f.provB = f.id(t, `INSERT INTO units (code, name, kind, valid_from) VALUES ('11', 'Điện Biên', 'province', '2004-01-01') RETURNING id`)
	f.ended = f.id(t, `INSERT INTO units (code, name, kind, valid_from, valid_to) VALUES ('02', 'Hà Giang', 'province', '1991-10-01', '2025-06-30') RETURNING id`)
	commune := func(code, name string, parent int64) int64 {
		return f.id(t, `INSERT INTO units (code, name, kind, parent_id, valid_from) VALUES ($1, $2, 'ward', $3, '2025-07-01') RETURNING id`, code, name, parent)
	}
	f.a1, f.a2, f.b1 = commune("03408", "Tân Phong", f.provA), commune("03388", "Đoàn Kết", f.provA), commune("03158", "Mường Thanh", f.provB)
	f.endedCommune = f.id(t, `INSERT INTO units (code, name, kind, parent_id, valid_from, valid_to) VALUES ('00700', 'Cũ', 'commune', $1, '2000-01-01', '2025-06-30') RETURNING id`, f.ended)
	f.centr = f.id(t, `INSERT INTO centres (unit_id, name) VALUES ($1, 'TTHTCĐ phường Tân Phong') RETURNING id`, f.a1)
	return f
}

func (f *fixture) id(t *testing.T, q string, args ...any) int64 {
	t.Helper()
	var id int64
	if err := f.db.SQL().QueryRow(q, args...).Scan(&id); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return id
}

// principals are one caller per role, with grants as sign-in resolves them.
func (f *fixture) principals() []struct {
	name string
	p    domain.Principal
} {
	g := func(person int64, gs ...domain.Grant) domain.Principal {
		return domain.Principal{AccountID: person, PersonID: person, Grants: gs}
	}
	return []struct {
		name string
		p    domain.Principal
	}{
		{"admin", g(1, domain.Grant{Role: domain.RoleAdmin, Kind: domain.ScopeSystem})},
		{"system", domain.System()},
		{"officer_province_A", g(2, domain.Grant{Role: domain.RoleOfficer, Kind: domain.ScopeProvince, UnitID: f.provA, ProvinceID: f.provA})},
		{"officer_commune_A1", g(3, domain.Grant{Role: domain.RoleOfficer, Kind: domain.ScopeCommune, UnitID: f.a1, CommuneID: f.a1, ProvinceID: f.provA})},
		{"manager_A1", g(4, domain.Grant{Role: domain.RoleManager, Kind: domain.ScopeCentre, CentreID: f.centr, CommuneID: f.a1, ProvinceID: f.provA})},
		{"teacher_A1", g(5, domain.Grant{Role: domain.RoleTeacher, Kind: domain.ScopeCentre, CentreID: f.centr, CommuneID: f.a1, ProvinceID: f.provA})},
		{"learner_A1", g(6, domain.Grant{Role: domain.RoleLearner, Kind: domain.ScopeCentre, CentreID: f.centr, CommuneID: f.a1, ProvinceID: f.provA})},
		{"nobody", domain.Principal{}},
	}
}

// TestServiceAuthorization is the authorization table of the geography use
// case, without HTTP: units are created and merged by administrators (and
// the system); centres and branches by administrators anywhere and officers
// in their area; everyone reads.
func TestServiceAuthorization(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	const (
		ok  = ""
		no  = domain.CodeForbidden
		bad = domain.CodeInvalid
	)
	type op struct {
		name string
		do   func(p domain.Principal, n int) error
		want [8]domain.Code // in principals() order
	}
	newUnit := func(parent int64) func(domain.Principal, int) error {
		return func(p domain.Principal, n int) error {
			_, err := f.svc.Create(ctx, p, units.NewUnit{Code: fmt.Sprintf("T%d-%d", parent, n), Name: "Xã thử", Kind: domain.UnitCommune, ParentID: &parent, ValidFrom: "2026-01-01"})
			return err
		}
	}
	centre := func(unit int64) func(domain.Principal, int) error {
		return func(p domain.Principal, n int) error {
			_, err := f.svc.CreateCentre(ctx, p, units.NewPlace{UnitID: unit, Name: fmt.Sprintf("Trung tâm thử %d", n)})
			return err
		}
	}
	branch := func(unit int64) func(domain.Principal, int) error {
		return func(p domain.Principal, n int) error {
			_, err := f.svc.CreateBranch(ctx, p, units.NewPlace{UnitID: unit, Name: fmt.Sprintf("Chi hội thử %d", n)})
			return err
		}
	}
	read := func(p domain.Principal, _ int) error {
		if _, err := f.svc.List(ctx, p, domain.UnitFilter{}); err != nil {
			return err
		}
		if _, err := f.svc.GetCentre(ctx, p, f.centr); err != nil {
			return err
		}
		_, err := f.svc.ListBranches(ctx, p, domain.PlaceFilter{})
		return err
	}
	ops := []op{
		{"read", read, [8]domain.Code{ok, ok, ok, ok, ok, ok, ok, ok}},
		{"create unit in province A", newUnit(f.provA), [8]domain.Code{ok, ok, no, no, no, no, no, no}},
		{"create unit in province B", newUnit(f.provB), [8]domain.Code{ok, ok, no, no, no, no, no, no}},
		{"create unit under a ward", newUnit(f.a1), [8]domain.Code{bad, bad, no, no, no, no, no, no}},
		{"create unit in an ended province", newUnit(f.ended), [8]domain.Code{bad, bad, no, no, no, no, no, no}},
		{"merge", func(p domain.Principal, n int) error {
			succ := f.id(t, `INSERT INTO units (code, name, kind, parent_id, valid_from) VALUES ($1, 'Kế thừa', 'commune', $2, '2026-01-01') RETURNING id`, fmt.Sprintf("M%d", n), f.provB)
			pred := f.id(t, `INSERT INTO units (code, name, kind, parent_id, valid_from) VALUES ($1, 'Tiền thân', 'commune', $2, '2020-01-01') RETURNING id`, fmt.Sprintf("P%d", n), f.provB)
			_, err := f.svc.Merge(ctx, p, succ, []int64{pred}, time.Time{})
			return err
		}, [8]domain.Code{ok, ok, no, no, no, no, no, no}},
		{"create centre in A1", centre(f.a1), [8]domain.Code{ok, ok, ok, ok, no, no, no, no}},
		{"create centre in A2", centre(f.a2), [8]domain.Code{ok, ok, ok, no, no, no, no, no}},
		{"create centre in B1", centre(f.b1), [8]domain.Code{ok, ok, no, no, no, no, no, no}},
		{"create centre in an ended commune", centre(f.endedCommune), [8]domain.Code{bad, bad, bad, bad, bad, bad, bad, bad}},
		{"create branch in A1", branch(f.a1), [8]domain.Code{ok, ok, ok, ok, no, no, no, no}},
		{"create branch in B1", branch(f.b1), [8]domain.Code{ok, ok, no, no, no, no, no, no}},
		{"import", func(p domain.Principal, n int) error {
			_, err := f.svc.Import(ctx, p, []units.Entry{{Code: fmt.Sprintf("I%d", n), Name: "Xã nhập", Kind: domain.UnitCommune, ProvinceCode: "12"}})
			return err
		}, [8]domain.Code{ok, ok, no, no, no, no, no, no}},
		// The file import the admin screen sends, into the callers' own
		// province A and the foreign province B, previewed and applied.
		{"import file into province A", importFile(f, "12", false), [8]domain.Code{ok, ok, no, no, no, no, no, no}},
		{"import file into province B", importFile(f, "11", false), [8]domain.Code{ok, ok, no, no, no, no, no, no}},
		{"preview file into province A", importFile(f, "12", true), [8]domain.Code{ok, ok, no, no, no, no, no, no}},
		{"preview file into province B", importFile(f, "11", true), [8]domain.Code{ok, ok, no, no, no, no, no, no}},
	}
	n := 0
	for _, o := range ops {
		for i, who := range f.principals() {
			n++
			err := o.do(who.p, n)
			if got := domain.ErrorCode(err); err != nil && got != o.want[i] || err == nil && o.want[i] != ok {
				t.Errorf("%s by %s: got %v, want %q", o.name, who.name, err, o.want[i])
			}
		}
	}
}

// importFile imports (or previews) a one-commune CSV list into a province,
// and checks that only an applied import writes.
func importFile(f *fixture, province string, dryRun bool) func(domain.Principal, int) error {
	return func(p domain.Principal, n int) error {
		code := fmt.Sprintf("9%04d", n)
		list := "Mã;Tên;Cấp;Mã TP;Tỉnh / Thành Phố\n" + code + ";Xã Nhập Thử;Xã;" + province + ";Tỉnh X\n"
		res, err := f.svc.ImportFile(context.Background(), p, []byte(list), dryRun)
		if err != nil {
			return err
		}
		var stored int
		if err := f.db.SQL().QueryRow(`SELECT count(*) FROM units WHERE code = $1`, code).Scan(&stored); err != nil {
			return err
		}
		if res.Created != 1 || dryRun != (stored == 0) {
			return fmt.Errorf("dry run %v: created %d, %d stored", dryRun, res.Created, stored)
		}
		return nil
	}
}

// TestImportFilePreview: a preview counts what an import would create and
// link, conflicts included, and writes nothing; the import then does the
// same; an unreadable file names the file field.
func TestImportFilePreview(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	admin := domain.System()
	list := "\xef\xbb\xbfMã,Tên,Cấp,Mã TP,Tỉnh / Thành Phố,Hiệu lực từ,Hiệu lực đến,Sáp nhập vào\n" +
		"15,Tỉnh Mới,Tỉnh,,,2025-07-01,,\n" +
		"90001,Phường Mới,Phường,15,Tỉnh Mới,2025-07-01,,\n" +
		"00901,Xã Cũ Một,Xã,15,Tỉnh Mới,2000-01-01,2025-06-30,90001\n" +
		"00902,Xã Cũ Hai,Xã,15,Tỉnh Mới,2000-01-01,2025-06-30,90001\n" +
		"03408,Phường Khác Tên,Phường,12,Tỉnh Lai Châu,2025-07-01,,\n"
	count := func() int {
		var n int
		if err := f.db.SQL().QueryRow(`SELECT count(*) FROM units`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := count()
	pre, err := f.svc.ImportFile(ctx, admin, []byte(list), true)
	if err != nil {
		t.Fatal(err)
	}
	if pre.Created != 4 || pre.Linked != 2 || len(pre.Conflicts) != 1 || count() != before {
		t.Fatalf("preview %+v, units %d → %d", pre, before, count())
	}
	got, err := f.svc.ImportFile(ctx, admin, []byte(list), false)
	if err != nil {
		t.Fatal(err)
	}
	if got.Created != pre.Created || got.Linked != pre.Linked || len(got.Conflicts) != 1 || count() != before+4 {
		t.Fatalf("import %+v after preview %+v, units %d → %d", got, pre, before, count())
	}
	again, err := f.svc.ImportFile(ctx, admin, []byte(list), true)
	if err != nil || again.Created != 0 || again.Linked != 0 || again.Unchanged != 5 { // the four, and province 12 named in the last row
		t.Fatalf("preview after the import: %+v, %v", again, err)
	}
	for _, bad := range []string{"PK\x03\x04 not a workbook", "a,\"b\nc"} {
		_, err := f.svc.ImportFile(ctx, admin, []byte(bad), true)
		if e := domain.AsError(err); e == nil || len(e.Fields) != 1 || e.Fields[0].Field != "file" || e.Fields[0].Code != "list_unreadable" {
			t.Errorf("%q: %v, want a list_unreadable field error on file", bad, err)
		}
	}
}

// TestCreateUnitParent: a commune-level unit lies in a current province, and
// the refusal names the field and why.
func TestCreateUnitParent(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	admin := domain.System()
	for _, tc := range []struct {
		name      string
		parent    int64
		fieldCode string
	}{
		{"under a ward", f.a1, "parent_not_province"},
		{"under an ended province", f.ended, "parent_ended"},
		{"under a former commune", f.endedCommune, "parent_not_province"},
		{"under no unit", 999999, "parent_unknown"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.svc.Create(ctx, admin, units.NewUnit{Code: "X" + tc.fieldCode, Name: "Xã thử", Kind: domain.UnitCommune, ParentID: &tc.parent, ValidFrom: "2026-01-01"})
			e := domain.AsError(err)
			if e == nil || e.Code != domain.CodeInvalid || len(e.Fields) != 1 || e.Fields[0].Code != tc.fieldCode {
				t.Fatalf("got %v, want invalid %s", err, tc.fieldCode)
			}
		})
	}
	u, err := f.svc.Create(ctx, admin, units.NewUnit{Code: "03999", Name: "Xã mới", Kind: domain.UnitCommune, ParentID: &f.provA, ValidFrom: "2026-01-01", PredecessorIDs: []int64{f.a2}})
	if err != nil || u.ID == 0 {
		t.Fatalf("a commune in a current province: %+v, %v", u, err)
	}
	pred, err := f.svc.Get(ctx, admin, f.a2)
	if err != nil || pred.ValidTo == nil || len(pred.SuccessorIDs) != 1 || pred.SuccessorIDs[0] != u.ID {
		t.Fatalf("the predecessor after the merge: %+v, %v", pred, err)
	}
}

// TestMyCentres is the use case's table for the home pages' centres: each
// caller gets the centres of its own grants (with the managers as contacts,
// inactive ones left out) and nothing of any other centre.
func TestMyCentres(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	person := func(name, phone string, active bool) int64 {
		return f.id(t, `INSERT INTO people (full_name, given_name, sort_key, search_exact, search_folded, commune_id, phone, active)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
			name, domain.GivenName(name), domain.NameSortKey(name), domain.LowerForSearch(name), domain.FoldForSearch(name), f.a1, phone, active)
	}
	grant := func(person, centre int64) {
		f.id(t, `INSERT INTO role_grants (person_id, role, centre_id) VALUES ($1, 'manager', $2) RETURNING id`, person, centre)
	}
	grant(person("Nguyễn Văn Quản", "0912000001", true), f.centr)
	grant(person("Lò Văn Cũ", "0912000002", false), f.centr) // deactivated: no longer a contact
	centreB := f.id(t, `INSERT INTO centres (unit_id, name, address) VALUES ($1, 'TTHTCĐ phường Mường Thanh', 'Tổ 3') RETURNING id`, f.b1)
	grant(person("Quàng Văn Biên", "0912000003", true), centreB)

	managerB := domain.Principal{AccountID: 9, PersonID: 9, Grants: []domain.Grant{{Role: domain.RoleManager, Kind: domain.ScopeCentre, CentreID: centreB, CommuneID: f.b1, ProvinceID: f.provB}}}
	callers := append(f.principals(), struct {
		name string
		p    domain.Principal
	}{"manager_B1", managerB})
	want := map[string][]int64{"manager_A1": {f.centr}, "teacher_A1": {f.centr}, "learner_A1": {f.centr}, "manager_B1": {centreB}}
	contact := map[int64]domain.CentreContact{f.centr: {Name: "Nguyễn Văn Quản", Phone: "0912000001"}, centreB: {Name: "Quàng Văn Biên", Phone: "0912000003"}}
	for _, who := range callers {
		got, err := f.svc.MyCentres(ctx, who.p)
		if err != nil {
			t.Fatalf("%s: %v", who.name, err)
		}
		if len(got) != len(want[who.name]) {
			t.Fatalf("%s: %d centres, want %v", who.name, len(got), want[who.name])
		}
		for i, c := range got {
			id := want[who.name][i]
			if c.ID != id || len(c.Contacts) != 1 || c.Contacts[0] != contact[id] || len(c.Roles) != 1 {
				t.Errorf("%s: got %+v, want centre %d with contact %+v", who.name, c, id, contact[id])
			}
		}
	}
}
