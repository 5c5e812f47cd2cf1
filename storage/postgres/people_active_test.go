package postgres_test

import (
	"context"
	"testing"
	"time"

	"densach/domain"
	"densach/storage/postgres"
)

// TestSetActive deactivates a person: their sign-ins are revoked, the
// account reads as disabled, refresh and principal are refused, the default
// list hides them and the inactive filter shows them; reactivating undoes
// all but the revoked sign-ins, and a merged person stays inactive.
func TestSetActive(t *testing.T) {
	f := newAuthFixture(t)
	ctx := context.Background()
	people := postgres.NewPeople(f.db.DB)
	by := domain.Actor{PersonID: f.person}
	_, h := newToken(t)
	if err := f.db.StartRefreshFamily(ctx, f.account, h, time.Hour); err != nil {
		t.Fatal(err)
	}
	listed := func(inactive bool) bool {
		t.Helper()
		q := domain.PeopleQuery{Inactive: inactive}
		q.Normalize()
		page, err := people.ListPeople(ctx, domain.Filter{All: true}, domain.Filter{All: true}, q)
		if err != nil {
			t.Fatal(err)
		}
		return len(page.Items) == 1 && page.Items[0].ID == f.person
	}
	if !listed(false) || listed(true) {
		t.Fatal("an active person must be listed by default only")
	}
	if err := people.SetActive(ctx, by, f.person, false); err != nil {
		t.Fatal(err)
	}
	if n := f.id(t, `SELECT count(*) FROM refresh_tokens WHERE account_id = $1 AND revoked_at IS NULL`, f.account); n != 0 {
		t.Fatalf("%d sign-ins left after deactivation", n)
	}
	if n := f.id(t, `SELECT count(*) FROM audit_log WHERE entity_id = $1 AND action = 'person_deactivated'`, f.person); n != 1 {
		t.Fatalf("%d audit rows", n)
	}
	a, err := f.db.AccountByLogin(ctx, domain.Login{Kind: domain.LoginPhone, Value: "0912000001"})
	if err != nil || !a.Disabled {
		t.Fatalf("account of an inactive person: %+v, %v", a, err)
	}
	_, err = f.db.AccountPrincipal(ctx, f.account)
	wantCode(t, err, domain.CodeUnauthorized)
	if listed(false) || !listed(true) {
		t.Fatal("an inactive person must be listed with the inactive filter only")
	}
	p, err := people.GetPerson(ctx, f.person)
	if err != nil || p.Active {
		t.Fatalf("get: %+v, %v", p, err)
	}
	if err := people.SetActive(ctx, by, f.person, false); err != nil {
		t.Fatal(err)
	}
	if n := f.id(t, `SELECT count(*) FROM audit_log WHERE entity_id = $1 AND action = 'person_deactivated'`, f.person); n != 1 {
		t.Fatalf("deactivating twice wrote %d audit rows", n)
	}

	if err := people.SetActive(ctx, by, f.person, true); err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.AccountPrincipal(ctx, f.account); err != nil {
		t.Fatalf("principal after reactivation: %v", err)
	}
	if !listed(false) {
		t.Fatal("a reactivated person must be listed")
	}

	other := f.id(t, `INSERT INTO people (full_name, given_name, sort_key, search_exact, search_folded, commune_id)
		VALUES ('Lò Văn Hai', 'Hai', '\x01', 'lò văn hai', 'lo van hai', $1) RETURNING id`, f.ward)
	f.id(t, `UPDATE people SET active = false, merged_into_id = $2 WHERE id = $1`, other, f.person)
	wantCode(t, people.SetActive(ctx, by, other, true), domain.CodeConflict)
	wantCode(t, people.SetActive(ctx, by, f.person+1000, false), domain.CodeNotFound)
}
