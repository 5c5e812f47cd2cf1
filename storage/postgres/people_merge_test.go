package postgres_test

import (
	"context"
	"testing"

	"densach/domain"
	"densach/storage/postgres"
)

// TestMergePeople merges a duplicate with an account, grants and disclosure
// counts into a person without an account: everything moves, empty fields
// are filled, kept fields stay, the duplicate is inactive and named, one
// audit entry; a second duplicate with an account is refused untouched.
func TestMergePeople(t *testing.T) {
	f := newAuthFixture(t) // f.person has an account, phone and e-mail
	ctx := context.Background()
	people := postgres.NewPeople(f.db.DB)
	by := domain.Actor{}
	keep := f.id(t, `INSERT INTO people (full_name, given_name, sort_key, search_exact, search_folded, commune_id, village, sex)
		VALUES ('Lò Văn Học', 'Học', '\x00', 'lò văn học', 'lo van hoc', $1, 'Bản Giữ', 'male') RETURNING id`, f.ward)
	f.id(t, `UPDATE people SET village = 'Bản Bỏ', birth_year = 1990, sex = 'female' WHERE id = $1`, f.person)
	f.id(t, `INSERT INTO role_grants (person_id, role, centre_id) VALUES ($1, 'learner', $2), ($3, 'learner', $2), ($1, 'teacher', $2)`, f.person, f.centre, keep)
	f.id(t, `INSERT INTO role_grants (person_id, role, centre_id, granted_by) VALUES ($1, 'manager', $2, $3)`, keep, f.centre, f.person)
	f.id(t, `INSERT INTO disclosure_counts (person_id, day, answers) VALUES ($1, '2026-01-01', 2), ($2, '2026-01-01', 3)`, f.person, keep)

	if err := people.MergePeople(ctx, by, keep, f.person); err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		name string
		q    string
		args []any
		want int64
	}{
		{"duplicate inactive and named", `SELECT count(*) FROM people WHERE id = $1 AND NOT active AND merged_into_id = $2 AND phone IS NULL AND email IS NULL`, []any{f.person, keep}, 1},
		{"kept fields stay, empty ones filled", `SELECT count(*) FROM people WHERE id = $1 AND active AND village = 'Bản Giữ' AND sex = 'male' AND birth_year = 1990 AND phone = '0912000001' AND email = 'hoc@example.vn'`, []any{keep}, 1},
		{"account moved", `SELECT count(*) FROM accounts WHERE id = $1 AND person_id = $2`, []any{f.account, keep}, 1},
		{"grants moved, the duplicate learner grant revoked", `SELECT count(*) FROM role_grants WHERE person_id = $1 AND revoked_at IS NULL`, []any{keep}, 3},
		{"no grant left on the duplicate", `SELECT count(*) FROM role_grants WHERE person_id = $1`, []any{f.person}, 0},
		{"granted_by moved", `SELECT count(*) FROM role_grants WHERE granted_by = $1`, []any{keep}, 1},
		{"disclosures summed", `SELECT answers FROM disclosure_counts WHERE person_id = $1`, []any{keep}, 5},
		{"disclosures of the duplicate gone", `SELECT count(*) FROM disclosure_counts WHERE person_id = $1`, []any{f.person}, 0},
		{"one audit entry", `SELECT count(*) FROM audit_log WHERE action = 'people_merged' AND entity_id = $1 AND (changes->>'merged_id')::bigint = $2`, []any{keep, f.person}, 1},
	}
	for _, c := range checks {
		if got := f.id(t, c.q, c.args...); got != c.want {
			t.Errorf("%s: %d, want %d", c.name, got, c.want)
		}
	}
	wantCode(t, people.MergePeople(ctx, by, keep, f.person), domain.CodeConflict) // already merged

	other := f.id(t, `INSERT INTO people (full_name, given_name, sort_key, search_exact, search_folded, commune_id)
		VALUES ('Lò Văn Học', 'Học', '\x00', 'lò văn học', 'lo van hoc', $1) RETURNING id`, f.ward)
	f.id(t, `INSERT INTO accounts (person_id, password_hash) VALUES ($1, 'y')`, other)
	wantCode(t, people.MergePeople(ctx, by, keep, other), domain.CodeConflict)
	if n := f.id(t, `SELECT count(*) FROM people WHERE id = $1 AND active`, other); n != 1 {
		t.Fatal("a refused merge changed the duplicate")
	}
	wantCode(t, people.MergePeople(ctx, by, keep, other+1000), domain.CodeNotFound)
}
