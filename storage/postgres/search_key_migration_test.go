package postgres_test

import (
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"

	"densach/domain"
	"densach/migrations"
)

// TestSearchKeyRekeyMigration checks that migration 00013, run over keys
// written before it (lower-case NFC with the tone where it was typed), gives
// the key domain.LowerForSearch writes now: the SQL and the Go are one rule.
func TestSearchKeyRekeyMigration(t *testing.T) {
	db := openDB(t)
	src, err := migrations.FS.ReadFile("00013_search_tone_placement.sql")
	if err != nil {
		t.Fatal(err)
	}
	up, _, ok := strings.Cut(string(src), "-- +goose Down")
	_, up, ok2 := strings.Cut(up, "-- +goose Up")
	if !ok || !ok2 {
		t.Fatal("00013 has no goose Up and Down sections")
	}
	province := one(t, db, `INSERT INTO units (code, name, kind, valid_from) VALUES ('P1', 'P1', 'province', '2025-07-01') RETURNING id`)
	commune := one(t, db, `INSERT INTO units (code, name, kind, parent_id, valid_from) VALUES ('X1', 'X1', 'commune', $1, '2025-07-01') RETURNING id`, province)
	names := []string{
		"Nguyễn Thị Hòa", "Trần Văn Thủy", "Lê Khỏe", "Đỗ Hoà", "Phạm Thuỷ", "Hoàng Huỳnh", "Lò Văn An",
		"Òa Óa Ỏa Õa Ọa", "Òe Óe Ỏe Õe Ọe", "Ùy Úy Ủy Ũy Ụy", "Quý Tuấn",
	}
	ids := make([]int64, len(names))
	for i, n := range names {
		ids[i] = addPerson(t, db, n, commune)
		old := norm.NFC.String(strings.ToLower(n)) // the key as written before 00013
		if _, err := db.SQL().Exec(`UPDATE people SET search_exact = $1 WHERE id = $2`, old, ids[i]); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.SQL().Exec(up); err != nil {
		t.Fatalf("00013 up: %v", err)
	}
	for i, n := range names {
		var got string
		if err := db.SQL().QueryRow(`SELECT search_exact FROM people WHERE id = $1`, ids[i]).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if want := domain.LowerForSearch(n); got != want {
			t.Errorf("%q: key after 00013 is %q, LowerForSearch gives %q", n, got, want)
		}
	}
}
