package postgres_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"densach/domain"
	"densach/storage/postgres"
)

// communeFixture makes a province with one ward and returns the ward's id.
func communeFixture(t *testing.T, db *postgres.DB, code string) int64 {
	t.Helper()
	prov := one(t, db, `INSERT INTO units (code, name, kind, valid_from) VALUES ($1, 'Lai Châu', 'province', '2025-07-01') RETURNING id`, code[:2])
	return one(t, db, `INSERT INTO units (code, name, kind, parent_id, valid_from) VALUES ($1, 'Tân Phong', 'ward', $2, '2025-07-01') RETURNING id`, code, prov)
}

// TestPersonWrites checks the single-row writes through the GORM row model:
// create fills what the database assigns, an update writes the changed
// columns with those derived from them, refuses names that are not a
// person's fields, and keeps the optimistic lock and the not-found answer.
func TestPersonWrites(t *testing.T) {
	db := openDB(t)
	ctx := context.Background()
	commune := communeFixture(t, db, "12001")
	store := postgres.NewPeople(db)
	by := domain.Actor{RequestID: "write-test"}
	birth := time.Date(1990, 5, 17, 0, 0, 0, 0, time.UTC)
	p := domain.Person{FullName: "Lò Văn Ánh", BirthDate: &birth, BirthYear: 1990, Sex: domain.Sex("male"), CommuneID: commune, Phone: "0912345678"}
	if err := store.CreatePerson(ctx, by, &p, ""); err != nil {
		t.Fatal(err)
	}
	got, err := store.GetPerson(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if p.ID == 0 || p.CommuneName != "Tân Phong" || !got.UpdatedAt.Equal(p.UpdatedAt) || got.Phone != "0912345678" || got.BirthDate == nil || !got.BirthDate.Equal(birth) {
		t.Fatalf("created %+v, read %+v", p, got)
	}
	if n := one(t, db, `SELECT count(*) FROM people WHERE id = $1 AND search_folded = $2 AND email IS NULL AND cccd IS NULL`, p.ID, domain.FoldForSearch(p.FullName)); n != 1 {
		t.Fatal("derived columns or NULLs not written on create")
	}

	// A rename writes the name and every column derived from it.
	before := got
	after := before
	after.FullName, after.Phone = "Lò Thị Bình", ""
	if err := store.UpdatePerson(ctx, by, before, &after, []string{"full_name", "phone"}); err != nil {
		t.Fatal(err)
	}
	if n := one(t, db, `SELECT count(*) FROM people WHERE id = $1 AND full_name = 'Lò Thị Bình' AND given_name = 'Bình'
		AND search_folded = $2 AND phone IS NULL AND birth_year = 1990`, p.ID, domain.FoldForSearch("Lò Thị Bình")); n != 1 {
		t.Fatal("rename did not write the derived columns, or cleared the phone wrongly")
	}
	var changes []byte
	if err := db.SQL().QueryRow(`SELECT changes FROM audit_log WHERE action = 'person_updated' AND entity_id = $1`, p.ID).Scan(&changes); err != nil {
		t.Fatal(err)
	}
	var audit map[string]map[string]any
	if err := json.Unmarshal(changes, &audit); err != nil || len(audit) != 2 || audit["full_name"]["old"] != "Lò Văn Ánh" || audit["phone"]["new"] != nil {
		t.Fatalf("audit %s", changes)
	}
	reread, err := store.GetPerson(ctx, p.ID)
	if err != nil || !reread.UpdatedAt.Equal(after.UpdatedAt) {
		t.Fatalf("updated_at answered %v, stored %v (%v)", after.UpdatedAt, reread.UpdatedAt, err)
	}

	cases := []struct {
		name    string
		before  domain.Person
		changed []string
		code    domain.Code
	}{
		{"stale read", before, []string{"village"}, domain.CodeConflict},
		{"gone", domain.Person{ID: 1 << 40, FullName: "X", CommuneID: commune}, []string{"village"}, domain.CodeNotFound},
		{"derived column", reread, []string{"sort_key"}, domain.CodeInternal},
		{"database column", reread, []string{"updated_at"}, domain.CodeInternal},
		{"unknown column", reread, []string{"village = 'x', full_name"}, domain.CodeInternal},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			next := tc.before
			next.Village = "Bản Mới"
			err := store.UpdatePerson(ctx, by, tc.before, &next, tc.changed)
			if domain.ErrorCode(err) != tc.code {
				t.Fatalf("got %v, want %s", err, tc.code)
			}
		})
	}
	if n := one(t, db, `SELECT count(*) FROM people WHERE village <> ''`); n != 0 {
		t.Fatal("a refused update wrote")
	}
}

// TestImportConcurrent imports one file ten times at once: the result is
// the same as importing it once (issue 7.7), for rows without phone or
// CCCD, which no unique index protects, as for the others.
func TestImportConcurrent(t *testing.T) {
	db := openDB(t)
	ctx := context.Background()
	communeFixture(t, db, "12001")
	var b strings.Builder
	b.WriteString("ho_ten;nam_sinh;ma_xa;so_dien_thoai\r\n")
	const rows = 40
	for i := range rows {
		phone := ""
		if i%4 == 0 {
			phone = fmt.Sprintf("091%07d", i)
		}
		fmt.Fprintf(&b, "Lò Văn Người %c%c;%d;12001;%s\r\n", 'A'+i/26, 'A'+i%26, 1960+i, phone)
	}
	file, err := domain.ParsePeopleCSV([]byte(b.String()), time.Now())
	if err != nil || len(file.Rows) != rows {
		t.Fatalf("%d rows: %v", len(file.Rows), err)
	}
	store := postgres.NewPeople(db)
	const n = 10
	results := make([]domain.ImportResult, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			results[i], errs[i] = store.ImportPeople(ctx, domain.Actor{RequestID: fmt.Sprint("import-", i)}, allowAll{}, file, false)
		}()
	}
	close(start)
	wg.Wait()
	created := 0
	for i := range n {
		r := results[i]
		if errs[i] != nil || len(r.Errors) != 0 || r.Updated != 0 || r.Created+r.Unchanged != rows {
			t.Fatalf("import %d: %+v, %v", i, r, errs[i])
		}
		created += r.Created
	}
	if created != rows {
		t.Fatalf("%d people created in all, want %d", created, rows)
	}
	if got := one(t, db, `SELECT count(*) FROM people`); got != rows {
		t.Fatalf("%d people stored, want %d", got, rows)
	}
	// And the file still matches: no row became ambiguous.
	again, err := store.ImportPeople(ctx, domain.Actor{}, allowAll{}, file, true)
	if err != nil || again.Unchanged != rows {
		t.Fatalf("re-import: %+v, %v", again, err)
	}
}
