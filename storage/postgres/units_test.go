package postgres_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"densach/domain"
	"densach/storage/postgres"
	"densach/storage/postgres/pgtest"
)

// TestUnitGuards: the database refuses, whoever writes, a commune-level unit
// outside a province, anything current under an ended unit, a centre or
// branch outside a current commune-level unit, and a person without a
// commune who is not an administrator (migration 00010).
func TestUnitGuards(t *testing.T) {
	db, err := postgres.Open(pgtest.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	id := func(q string, args ...any) int64 {
		t.Helper()
		var id int64
		if err := db.SQL().QueryRow(q, args...).Scan(&id); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return id
	}
	prov := id(`INSERT INTO units (code, name, kind, valid_from) VALUES ('12', 'Lai Châu', 'province', '2004-01-01') RETURNING id`)
	ended := id(`INSERT INTO units (code, name, kind, valid_from, valid_to) VALUES ('02', 'Hà Giang', 'province', '1991-10-01', '2025-06-30') RETURNING id`)
	ward := id(`INSERT INTO units (code, name, kind, parent_id, valid_from) VALUES ('03408', 'Tân Phong', 'ward', $1, '2025-07-01') RETURNING id`, prov)
	former := id(`INSERT INTO units (code, name, kind, parent_id, valid_from, valid_to) VALUES ('03387', 'Tân Phong', 'ward', $1, '2000-01-01', '2025-06-30') RETURNING id`, prov)
	// History may lie in a unit that lasted as long.
	id(`INSERT INTO units (code, name, kind, parent_id, valid_from, valid_to) VALUES ('00700', 'Cũ', 'commune', $1, '2000-01-01', '2025-06-30') RETURNING id`, ended)

	refused := []struct {
		name, constraint, q string
		args                []any
	}{
		{"commune under a ward", "units_parent_province", `INSERT INTO units (code, name, kind, parent_id, valid_from) VALUES ('X1', 'Thử', 'commune', $1, '2026-01-01')`, []any{ward}},
		{"current commune under an ended province", "units_parent_current", `INSERT INTO units (code, name, kind, parent_id, valid_from) VALUES ('X2', 'Thử', 'commune', $1, '2026-01-01')`, []any{ended}},
		{"former commune outlasting its province", "units_parent_current", `INSERT INTO units (code, name, kind, parent_id, valid_from, valid_to) VALUES ('X3', 'Thử', 'commune', $1, '2000-01-01', '2025-12-31')`, []any{ended}},
		{"commune moved under a ward", "units_parent_province", `UPDATE units SET parent_id = $1 WHERE code = '03387'`, []any{ward}},
		{"centre in an ended unit", "places_unit_current", `INSERT INTO centres (unit_id, name) VALUES ($1, 'Thử')`, []any{former}},
		{"centre in a province", "places_unit_current", `INSERT INTO centres (unit_id, name) VALUES ($1, 'Thử')`, []any{prov}},
		{"branch in an ended unit", "places_unit_current", `INSERT INTO branches (unit_id, name) VALUES ($1, 'Thử')`, []any{former}},
		{"person without commune", "people_commune_or_admin", `INSERT INTO people (full_name, given_name, sort_key, search_exact, search_folded) VALUES ('Lò Văn A', 'A', '\x00', 'lò văn a', 'lo van a')`, nil},
	}
	for _, tc := range refused {
		_, err := db.SQL().Exec(tc.q, tc.args...)
		if err == nil || !strings.Contains(err.Error(), "SQLSTATE 23514") {
			t.Errorf("%s: got %v, want a check violation", tc.name, err)
		}
		// The storage edge names the field.
		if f := domain.AsError(postgres.Translate("test", err)); err != nil && (len(f.Fields) != 1 || f.Code != domain.CodeInvalid) {
			t.Errorf("%s: translated to %+v", tc.name, f)
		}
	}
	for _, q := range []string{
		`INSERT INTO centres (unit_id, name) VALUES (` + strconv.FormatInt(ward, 10) + `, 'TTHTCĐ phường Tân Phong')`,
		`INSERT INTO branches (unit_id, name) VALUES (` + strconv.FormatInt(ward, 10) + `, 'Chi hội Tân Phong')`,
	} {
		if _, err := db.SQL().Exec(q); err != nil {
			t.Errorf("%s: %v", q, err)
		}
	}

	// An administrator may live nowhere, and keeps the role while they do.
	tx, err := db.SQL().Begin()
	if err != nil {
		t.Fatal(err)
	}
	var admin int64
	if err := tx.QueryRow(`INSERT INTO people (full_name, given_name, sort_key, search_exact, search_folded) VALUES ('Quản Trị', 'Trị', '\x00', 'quản trị', 'quan tri') RETURNING id`).Scan(&admin); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(`INSERT INTO role_grants (person_id, role) VALUES ($1, 'admin')`, admin); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatalf("administrator without commune: %v", err)
	}
	if _, err := db.SQL().Exec(`UPDATE role_grants SET revoked_at = now() WHERE person_id = $1`, admin); err == nil {
		t.Error("revoking the only role of a person without commune was accepted")
	}
}

// TestCommuneLevelKindsAgree: the SQL function the guards use and
// domain.CommuneLevelKinds name the same kinds.
func TestCommuneLevelKindsAgree(t *testing.T) {
	db, err := postgres.Open(pgtest.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	for _, k := range []domain.UnitKind{domain.UnitProvince, domain.UnitWard, domain.UnitCommune, domain.UnitSpecialZone, domain.UnitCity, domain.UnitDistrict, domain.UnitTown} {
		var sql bool
		if err := db.SQL().QueryRow(`SELECT unit_commune_level($1)`, string(k)).Scan(&sql); err != nil {
			t.Fatal(err)
		}
		if sql != k.CommuneLevel() {
			t.Errorf("%s: SQL says %v, Go says %v", k, sql, k.CommuneLevel())
		}
	}
}

// TestLinkSuccessions: linking closes the current predecessors the day
// before, and linking again adds nothing.
func TestLinkSuccessions(t *testing.T) {
	db, err := postgres.Open(pgtest.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	ctx := context.Background()
	s := postgres.NewUnits(db)
	prov := domain.Unit{Code: "12", Name: "Lai Châu", Kind: domain.UnitProvince, ValidFrom: time.Date(2004, 1, 1, 0, 0, 0, 0, time.UTC)}
	if err := s.CreateUnit(ctx, domain.Actor{}, &prov, nil); err != nil {
		t.Fatal(err)
	}
	mk := func(code string, from time.Time) domain.Unit {
		u := domain.Unit{Code: code, Name: "Xã " + code, Kind: domain.UnitCommune, ParentID: &prov.ID, ValidFrom: from}
		if err := s.CreateUnit(ctx, domain.Actor{}, &u, nil); err != nil {
			t.Fatal(err)
		}
		return u
	}
	on := time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)
	a, b := mk("00001", time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)), mk("00002", time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC))
	succ := mk("00003", on)
	for i, want := range []int{2, 0} {
		n, err := s.LinkSuccessions(ctx, domain.Actor{}, succ.ID, []int64{a.ID, b.ID, a.ID}, on)
		if err != nil || n != want {
			t.Fatalf("run %d: linked %d, %v; want %d", i+1, n, err, want)
		}
	}
	got, err := s.GetUnit(ctx, a.ID)
	if err != nil || got.ValidTo == nil || !got.ValidTo.Equal(on.AddDate(0, 0, -1)) || len(got.SuccessorIDs) != 1 {
		t.Fatalf("predecessor: %+v, %v", got, err)
	}
	if _, err := s.LinkSuccessions(ctx, domain.Actor{}, succ.ID, []int64{succ.ID}, on); domain.ErrorCode(err) != domain.CodeInvalid {
		t.Fatalf("a unit succeeding itself: %v", err)
	}
}
