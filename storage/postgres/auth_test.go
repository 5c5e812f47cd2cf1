package postgres_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"densach/domain"
	"densach/storage/postgres"
	"densach/storage/postgres/pgtest"
)

// authFixture is a fresh database with one province, one ward, a centre
// and a person with an account.
type authFixture struct {
	db                      *postgres.DB
	prov, ward, old, centre int64
	person, account         int64
}

func newAuthFixture(t *testing.T) *authFixture {
	t.Helper()
	db, err := postgres.Open(pgtest.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	f := &authFixture{db: db}
	f.prov = f.id(t, `INSERT INTO units (code, name, kind, valid_from) VALUES ('12', 'Lai Châu', 'province', '2025-07-01') RETURNING id`)
	f.ward = f.id(t, `INSERT INTO units (code, name, kind, parent_id, valid_from) VALUES ('12001', 'Tân Phong', 'ward', $1, '2025-07-01') RETURNING id`, f.prov)
	f.old = f.id(t, `INSERT INTO units (code, name, kind, parent_id, valid_from, valid_to) VALUES ('105', 'Tam Đường', 'district', $1, '2004-01-01', '2025-06-30') RETURNING id`, f.prov)
	f.centre = f.id(t, `INSERT INTO centres (unit_id, name) VALUES ($1, 'TTHTCĐ phường Tân Phong') RETURNING id`, f.ward)
	f.person = f.id(t, `INSERT INTO people (full_name, given_name, sort_key, search_exact, search_folded, commune_id, phone, email)
		VALUES ('Lò Văn Học', 'Học', '\x00', 'lò văn học', 'lo van hoc', $1, '0912000001', 'hoc@example.vn') RETURNING id`, f.ward)
	f.account = f.id(t, `INSERT INTO accounts (person_id, password_hash) VALUES ($1, 'x') RETURNING id`, f.person)
	return f
}

// id runs SQL and returns the first column of the first row, if any.
func (f *authFixture) id(t *testing.T, q string, args ...any) int64 {
	t.Helper()
	var id int64
	rows, err := f.db.SQL().Query(q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	if rows.Next() {
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
	}
	return id
}

func newToken(t *testing.T) (string, []byte) {
	t.Helper()
	raw, hash, err := domain.NewRefreshToken()
	if err != nil {
		t.Fatal(err)
	}
	return raw, hash
}

func wantCode(t *testing.T, err error, code domain.Code) {
	t.Helper()
	if got := domain.ErrorCode(err); got != code {
		t.Fatalf("got %v (%q), want %q", err, got, code)
	}
}

// TestRotateRefreshTokenConcurrent rotates one token from many goroutines
// at once: the row lock lets exactly one win. The losers count as reuse, so
// the whole family ends revoked, the winner's new token included.
func TestRotateRefreshTokenConcurrent(t *testing.T) {
	f := newAuthFixture(t)
	ctx := context.Background()
	_, old := newToken(t)
	if err := f.db.StartRefreshFamily(ctx, f.account, old, time.Hour); err != nil {
		t.Fatal(err)
	}
	const n = 8
	var wg sync.WaitGroup
	start := make(chan struct{})
	errs := make([]error, n)
	news := make([][]byte, n)
	for i := range n {
		_, news[i] = newToken(t)
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, errs[i] = f.db.RotateRefreshToken(ctx, old, news[i], time.Hour)
		}()
	}
	close(start)
	wg.Wait()
	won := -1
	for i, err := range errs {
		switch domain.ErrorCode(err) {
		case "":
			if won >= 0 {
				t.Fatalf("rotations %d and %d both succeeded", won, i)
			}
			won = i
		case domain.CodeUnauthorized:
		default:
			t.Fatalf("rotation %d: unexpected error %v", i, err)
		}
	}
	if won < 0 {
		t.Fatal("no rotation succeeded")
	}
	_, next := newToken(t)
	_, err := f.db.RotateRefreshToken(ctx, news[won], next, time.Hour)
	wantCode(t, err, domain.CodeUnauthorized)
	if live := f.id(t, `SELECT count(*) FROM refresh_tokens WHERE revoked_at IS NULL`); live != 0 {
		t.Fatalf("%d tokens still live after reuse", live)
	}
}

func TestRotateRefreshToken(t *testing.T) {
	f := newAuthFixture(t)
	ctx := context.Background()
	start := func(t *testing.T) []byte {
		t.Helper()
		_, h := newToken(t)
		if err := f.db.StartRefreshFamily(ctx, f.account, h, time.Hour); err != nil {
			t.Fatal(err)
		}
		return h
	}
	rotate := func(old []byte) ([]byte, error) {
		_, h := newToken(t)
		acct, err := f.db.RotateRefreshToken(ctx, old, h, time.Hour)
		if err == nil && acct != f.account {
			t.Fatalf("rotation returned account %d, want %d", acct, f.account)
		}
		return h, err
	}

	t.Run("chain of rotations", func(t *testing.T) {
		h := start(t)
		for range 3 {
			next, err := rotate(h)
			if err != nil {
				t.Fatal(err)
			}
			h = next
		}
		fam := f.id(t, `SELECT count(DISTINCT family_id) FROM refresh_tokens WHERE token_hash = $1 OR used_at IS NOT NULL`, h)
		if fam != 1 {
			t.Fatalf("rotations spread over %d families", fam)
		}
	})
	t.Run("reuse revokes the family", func(t *testing.T) {
		h := start(t)
		next, err := rotate(h)
		if err != nil {
			t.Fatal(err)
		}
		_, err = rotate(h)
		wantCode(t, err, domain.CodeUnauthorized)
		_, err = rotate(next)
		wantCode(t, err, domain.CodeUnauthorized)
	})
	t.Run("unknown", func(t *testing.T) {
		_, h := newToken(t)
		_, err := rotate(h)
		wantCode(t, err, domain.CodeUnauthorized)
	})
	t.Run("expired", func(t *testing.T) {
		h := start(t)
		f.id(t, `UPDATE refresh_tokens SET expires_at = now() - interval '1 second' WHERE token_hash = $1`, h)
		_, err := rotate(h)
		wantCode(t, err, domain.CodeUnauthorized)
	})
	t.Run("revoked by logout", func(t *testing.T) {
		h := start(t)
		if err := f.db.RevokeRefreshFamily(ctx, h); err != nil {
			t.Fatal(err)
		}
		_, err := rotate(h)
		wantCode(t, err, domain.CodeUnauthorized)
		// Revoking an unknown token is not an error.
		_, unknown := newToken(t)
		if err := f.db.RevokeRefreshFamily(ctx, unknown); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("revoked everywhere", func(t *testing.T) {
		a, b := start(t), start(t)
		if err := f.db.RevokeAccountRefreshTokens(ctx, f.account); err != nil {
			t.Fatal(err)
		}
		for _, h := range [][]byte{a, b} {
			_, err := rotate(h)
			wantCode(t, err, domain.CodeUnauthorized)
		}
	})
	t.Run("disabled account", func(t *testing.T) {
		h := start(t)
		f.id(t, `UPDATE accounts SET disabled = true WHERE id = $1`, f.account)
		defer f.id(t, `UPDATE accounts SET disabled = false WHERE id = $1`, f.account)
		_, err := rotate(h)
		wantCode(t, err, domain.CodeUnauthorized)
	})
}

func TestThrottle(t *testing.T) {
	f := newAuthFixture(t)
	ctx := context.Background()
	login := domain.ThrottleRule{Key: "login:phone:0912000001", Max: 3, Window: 15 * time.Minute}
	addr := domain.ThrottleRule{Key: "addr:192.0.2.1", Max: 5, Window: 15 * time.Minute}
	for i := 1; i <= 3; i++ {
		wait, err := f.db.ThrottleAttempt(ctx, login, addr)
		if err != nil || wait != 0 {
			t.Fatalf("attempt %d: wait %v, err %v", i, wait, err)
		}
	}
	wait, err := f.db.ThrottleAttempt(ctx, login, addr)
	if err != nil || wait < 14*time.Minute || wait > 15*time.Minute {
		t.Fatalf("4th attempt: wait %v, err %v; want about 15 minutes", wait, err)
	}
	// Another login from the same address reaches the address limit.
	other := domain.ThrottleRule{Key: "login:phone:0912000002", Max: 3, Window: 15 * time.Minute}
	if wait, _ := f.db.ThrottleAttempt(ctx, other, addr); wait != 0 {
		t.Fatal("5th attempt from one address was limited")
	}
	if wait, _ := f.db.ThrottleAttempt(ctx, other, addr); wait == 0 {
		t.Fatal("6th attempt from one address was not limited")
	}
	// A success clears the login's counter and gives its attempt back.
	if err := f.db.ThrottleSuccess(ctx, []string{login.Key}, []string{addr.Key}); err != nil {
		t.Fatal(err)
	}
	if n := f.id(t, `SELECT count(*) FROM login_throttle WHERE key = $1`, login.Key); n != 0 {
		t.Fatal("success left the login's counter")
	}
	if n := f.id(t, `SELECT failures FROM login_throttle WHERE key = $1`, addr.Key); n != 5 {
		t.Fatalf("address counter %d after giving one of 6 back, want 5", n)
	}
	// Once the window has passed, counting starts again.
	f.id(t, `UPDATE login_throttle SET window_start = now() - interval '16 minutes'`)
	if wait, err := f.db.ThrottleAttempt(ctx, other, addr); err != nil || wait != 0 {
		t.Fatalf("after the window: wait %v, err %v", wait, err)
	}
	if n := f.id(t, `SELECT failures FROM login_throttle WHERE key = $1`, addr.Key); n != 1 {
		t.Fatalf("address counter %d in a new window, want 1", n)
	}
}

// TestThrottleConcurrent checks that parallel attempts cannot pass the limit
// together: counting happens before the attempt, atomically.
func TestThrottleConcurrent(t *testing.T) {
	f := newAuthFixture(t)
	ctx := context.Background()
	rule := domain.ThrottleRule{Key: "login:phone:0912000001", Max: 5, Window: time.Minute}
	var wg sync.WaitGroup
	var mu sync.Mutex
	allowed := 0
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			wait, err := f.db.ThrottleAttempt(ctx, rule)
			if err != nil {
				t.Error(err)
				return
			}
			if wait == 0 {
				mu.Lock()
				allowed++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if allowed != rule.Max {
		t.Fatalf("%d attempts allowed, want %d", allowed, rule.Max)
	}
}

func TestAccountPrincipal(t *testing.T) {
	f := newAuthFixture(t)
	ctx := context.Background()
	grant := func(role string, unit, centre any) int64 {
		return f.id(t, `INSERT INTO role_grants (person_id, role, unit_id, centre_id) VALUES ($1, $2, $3, $4) RETURNING id`, f.person, role, unit, centre)
	}
	p, err := f.db.AccountPrincipal(ctx, f.account)
	if err != nil || p.PersonID != f.person || p.AccountID != f.account || len(p.Grants) != 0 {
		t.Fatalf("without grants: %+v, %v", p, err)
	}
	ids := []int64{
		grant("admin", nil, nil),
		grant("officer", f.prov, nil),
		grant("officer", f.ward, nil),
		grant("manager", nil, f.centre),
		grant("teacher", nil, f.centre),
		grant("learner", nil, f.centre),
	}
	grant("officer", f.old, nil) // a historical district: no area, left out
	revoked := grant("learner", nil, nil)
	f.id(t, `UPDATE role_grants SET revoked_at = now() WHERE id = $1`, revoked)

	p, err = f.db.AccountPrincipal(ctx, f.account)
	if err != nil {
		t.Fatal(err)
	}
	want := []domain.Grant{
		{ID: ids[0], Role: domain.RoleAdmin, Kind: domain.ScopeSystem},
		{ID: ids[1], Role: domain.RoleOfficer, Kind: domain.ScopeProvince, UnitID: f.prov, ProvinceID: f.prov},
		{ID: ids[2], Role: domain.RoleOfficer, Kind: domain.ScopeCommune, UnitID: f.ward, CommuneID: f.ward, ProvinceID: f.prov},
		{ID: ids[3], Role: domain.RoleManager, Kind: domain.ScopeCentre, CentreID: f.centre, CommuneID: f.ward, ProvinceID: f.prov},
		{ID: ids[4], Role: domain.RoleTeacher, Kind: domain.ScopeCentre, CentreID: f.centre, CommuneID: f.ward, ProvinceID: f.prov},
		{ID: ids[5], Role: domain.RoleLearner, Kind: domain.ScopeSelf, CentreID: f.centre, CommuneID: f.ward, ProvinceID: f.prov},
	}
	if len(p.Grants) != len(want) {
		t.Fatalf("got %d grants %+v, want %d", len(p.Grants), p.Grants, len(want))
	}
	for i, g := range p.Grants {
		w := want[i]
		w.PersonID = f.person
		// Names and times are for display; the scope fields are what count.
		g.UnitName, g.CentreName, g.GrantedAt = "", "", time.Time{}
		if fmt.Sprintf("%+v", g) != fmt.Sprintf("%+v", w) {
			t.Errorf("grant %d:\n got %+v\nwant %+v", i, g, w)
		}
	}

	f.id(t, `UPDATE accounts SET disabled = true WHERE id = $1`, f.account)
	_, err = f.db.AccountPrincipal(ctx, f.account)
	wantCode(t, err, domain.CodeUnauthorized)
	_, err = f.db.AccountPrincipal(ctx, f.account+1000)
	wantCode(t, err, domain.CodeUnauthorized)
}

func TestAccountByLogin(t *testing.T) {
	f := newAuthFixture(t)
	ctx := context.Background()
	f.id(t, `UPDATE people SET cccd = '012345678901' WHERE id = $1`, f.person)
	for _, l := range []domain.Login{
		{Kind: domain.LoginPhone, Value: "0912000001"},
		{Kind: domain.LoginCCCD, Value: "012345678901"},
		{Kind: domain.LoginEmail, Value: "hoc@example.vn"},
	} {
		a, err := f.db.AccountByLogin(ctx, l)
		if err != nil || a.ID != f.account || a.PersonID != f.person || a.PasswordHash != "x" {
			t.Errorf("%s: %+v, %v", l.Kind, a, err)
		}
	}
	_, err := f.db.AccountByLogin(ctx, domain.Login{Kind: domain.LoginPhone, Value: "0912999999"})
	wantCode(t, err, domain.CodeNotFound)
	_, err = f.db.AccountByLogin(ctx, domain.Login{Kind: "full_name", Value: "Lò Văn Học"})
	wantCode(t, err, domain.CodeNotFound)
}

func TestChangePassword(t *testing.T) {
	f := newAuthFixture(t)
	ctx := context.Background()
	_, h := newToken(t)
	if err := f.db.StartRefreshFamily(ctx, f.account, h, time.Hour); err != nil {
		t.Fatal(err)
	}
	by := domain.Actor{PersonID: f.person, RequestID: "req-1"}
	// A stale current hash means someone changed the password meanwhile.
	err := f.db.ChangePassword(ctx, by, f.account, "stale", "new-hash")
	wantCode(t, err, domain.CodeConflict)
	if live := f.id(t, `SELECT count(*) FROM refresh_tokens WHERE revoked_at IS NULL`); live != 1 {
		t.Fatal("a refused change revoked sign-ins")
	}
	if err := f.db.ChangePassword(ctx, by, f.account, "x", "new-hash"); err != nil {
		t.Fatal(err)
	}
	a, err := f.db.Account(ctx, f.account)
	if err != nil || a.PasswordHash != "new-hash" || time.Since(a.PasswordChangedAt) > time.Minute {
		t.Fatalf("account after change: %+v, %v", a, err)
	}
	if live := f.id(t, `SELECT count(*) FROM refresh_tokens WHERE revoked_at IS NULL`); live != 0 {
		t.Fatal("the change left sign-ins live")
	}
	entries, err := postgres.NewAudit(f.db).ListAudit(ctx, "account", f.account, 10)
	if err != nil || len(entries) != 1 {
		t.Fatalf("audit: %+v, %v", entries, err)
	}
	e := entries[0]
	if e.Action != "password_changed" || e.ActorID != f.person || e.RequestID != "req-1" || fmt.Sprint(e.Changes) != "map[sessions_revoked:1]" {
		t.Fatalf("audit entry %+v", e)
	}
}
