package api

import (
	"context"
	"encoding/json"
	"io"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"densach/domain"
	"densach/storage/postgres"
)

// keyed sends a JSON request with an Idempotency-Key and returns the status,
// the raw body and whether the answer was a replay.
func (e *testEnv) keyed(method, path, token, key, body string) (int, string, bool) {
	e.t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	if key != "" {
		req.Header.Set(HeaderIdempotencyKey, key)
	}
	resp, err := e.srv.App().Test(req, -1)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(raw), resp.Header.Get("Idempotent-Replayed") == "true"
}

// fieldCode reads the code of the first field error of an error body.
func fieldCode(t *testing.T, raw string) string {
	t.Helper()
	var b ErrorBody
	if err := json.Unmarshal([]byte(raw), &b); err != nil || len(b.Fields) == 0 {
		t.Fatalf("not an error with fields: %s", raw)
	}
	return b.Fields[0].Field + "/" + b.Fields[0].Code
}

func TestIdempotentCreate(t *testing.T) {
	e := newTestEnv(t)
	admin, mgr := e.token(e.w.Admin), e.token(e.w.ManagerA1)
	named := func(name string) int64 { return e.exec(`SELECT count(*) FROM people WHERE full_name = $1`, name) }
	person := func(name string) string {
		return `{"full_name":"` + name + `","commune_id":` + jsonInt(e.w.CommA1) + `}`
	}

	// The first request commits; the client "does not get" the answer and
	// retries with the same key: the same 201, and one person only.
	status, first, replayed := e.keyed("POST", "/api/v1/people", mgr, "k-1", person("Lò Văn Một"))
	if status != 201 || replayed {
		t.Fatalf("first: %d %s", status, first)
	}
	status, again, replayed := e.keyed("POST", "/api/v1/people", mgr, "k-1", person("Lò Văn Một"))
	if status != 201 || again != first || !replayed {
		t.Fatalf("retry: %d replayed=%v %s, want the first answer %s", status, replayed, again, first)
	}
	if n := named("Lò Văn Một"); n != 1 {
		t.Fatalf("%d people after the retry, want 1", n)
	}
	if n := e.exec(`SELECT count(*) FROM audit_log WHERE action = 'person_created'`); n != 1 {
		t.Fatalf("%d audit rows, want 1", n)
	}

	// The same key with another body is refused with 422 and writes nothing.
	status, raw, _ := e.keyed("POST", "/api/v1/people", mgr, "k-1", person("Lò Văn Khác"))
	if status != 422 || fieldCode(t, raw) != "Idempotency-Key/idempotency_key_reused" || named("Lò Văn Khác") != 0 {
		t.Fatalf("other body: %d %s", status, raw)
	}
	// The key is the caller's own: another account's same key is another write.
	if status, raw, replayed := e.keyed("POST", "/api/v1/people", admin, "k-1", person("Lò Văn Một")); status != 201 || replayed || named("Lò Văn Một") != 2 {
		t.Fatalf("other account: %d %s", status, raw)
	}
	// Without a key, as before: every request writes.
	for range 2 {
		if status, raw, _ := e.keyed("POST", "/api/v1/people", mgr, "", person("Lò Văn Hai")); status != 201 {
			t.Fatalf("no key: %d %s", status, raw)
		}
	}
	if named("Lò Văn Hai") != 2 {
		t.Fatal("requests without a key must each write")
	}
	// A refused request keeps no key: corrected, the same key writes.
	if status, raw, _ := e.keyed("POST", "/api/v1/people", mgr, "k-2", `{"full_name":""}`); status != 422 {
		t.Fatalf("invalid: %d %s", status, raw)
	}
	if status, raw, _ := e.keyed("POST", "/api/v1/people", mgr, "k-2", person("Lò Văn Ba")); status != 201 || named("Lò Văn Ba") != 1 {
		t.Fatalf("after a refusal: %d %s", status, raw)
	}
	// A key that is not visible ASCII is refused.
	if status, raw, _ := e.keyed("POST", "/api/v1/people", mgr, "k 3", person("Lò Văn Bốn")); status != 422 || fieldCode(t, raw) != "Idempotency-Key/idempotency_key_invalid" {
		t.Fatalf("bad key: %d %s", status, raw)
	}
	// PATCH and DELETE take keys too: a replayed revoke does not fail.
	grant := e.exec(`INSERT INTO role_grants (person_id, role, centre_id) VALUES ($1, 'teacher', $2) RETURNING id`, e.w.ResidentA1, e.w.CentreA1)
	path := "/api/v1/people/" + jsonInt(e.w.ResidentA1) + "/roles/" + jsonInt(grant)
	for i := range 2 {
		if status, raw, replayed := e.keyed("DELETE", path, mgr, "k-4", ""); status != 204 || replayed != (i == 1) {
			t.Fatalf("revoke %d: %d %s replayed=%v", i, status, raw, replayed)
		}
	}
}

func jsonInt(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// TestIdempotentConcurrentDuplicates sends one keyed create eight times at
// once: one writes, the others wait their turn (409) or replay its answer.
func TestIdempotentConcurrentDuplicates(t *testing.T) {
	e := newTestEnv(t)
	mgr := e.token(e.w.ManagerA1)
	body := `{"full_name":"Lò Văn Song","commune_id":` + jsonInt(e.w.CommA1) + `}`
	var wg sync.WaitGroup
	statuses := make([]int, 8)
	for i := range statuses {
		wg.Go(func() { statuses[i], _, _ = e.keyed("POST", "/api/v1/people", mgr, "same", body) })
	}
	wg.Wait()
	created := 0
	for _, s := range statuses {
		switch s {
		case 201:
			created++
		case 409:
		default:
			t.Fatalf("statuses %v", statuses)
		}
	}
	if created == 0 {
		t.Fatalf("statuses %v: none created", statuses)
	}
	if n := e.exec(`SELECT count(*) FROM people WHERE full_name = 'Lò Văn Song'`); n != 1 {
		t.Fatalf("%d people from one key, want 1 (statuses %v)", n, statuses)
	}
	if status, _, replayed := e.keyed("POST", "/api/v1/people", mgr, "same", body); status != 201 || !replayed {
		t.Fatalf("afterwards: %d replayed=%v", status, replayed)
	}
}

// TestIdempotentStates drives the key through the states a crash leaves.
func TestIdempotentStates(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	mgr := e.token(e.w.ManagerA1)
	body := `{"full_name":"Lò Văn Treo","commune_id":` + jsonInt(e.w.CommA1) + `}`
	k := domain.IdempotencyKey{AccountID: e.w.ManagerA1.AccountID, Method: "POST", Path: "/api/v1/people", Key: "crash"}
	fp := fingerprintOf("POST", "/api/v1/people", "", []byte(body))
	named := func() int64 { return e.exec(`SELECT count(*) FROM people WHERE full_name = 'Lò Văn Treo'`) }

	// A request still running (claimed, not committed): a retry waits.
	if _, claimed, err := e.db.ClaimIdempotencyKey(ctx, k, fp, time.Minute); err != nil || !claimed {
		t.Fatalf("claim: %v %v", claimed, err)
	}
	if status, raw, _ := e.keyed("POST", k.Path, mgr, k.Key, body); status != 409 || fieldCode(t, raw) != "Idempotency-Key/idempotency_in_progress" || named() != 0 {
		t.Fatalf("in progress: %d %s", status, raw)
	}
	// The request died before its write committed: after the lease the retry
	// writes.
	e.exec(`UPDATE idempotency_keys SET claimed_at = now() - interval '1 hour'`)
	if status, raw, _ := e.keyed("POST", k.Path, mgr, k.Key, body); status != 201 || named() != 1 {
		t.Fatalf("after the lease: %d %s", status, raw)
	}
	// The write committed but its answer was never stored (the database went
	// away just after): the retry says so instead of writing twice.
	e.exec(`UPDATE idempotency_keys SET state = 'committed', status = NULL, content_type = NULL, body = NULL`)
	if status, raw, _ := e.keyed("POST", k.Path, mgr, k.Key, body); status != 409 || fieldCode(t, raw) != "Idempotency-Key/idempotency_answer_lost" || named() != 1 {
		t.Fatalf("answer lost: %d %s", status, raw)
	}

	// A write under a key marks it committed in its own transaction.
	k2 := domain.IdempotencyKey{AccountID: e.w.Admin.AccountID, Method: "POST", Path: "/api/v1/centres", Key: "tx"}
	if _, claimed, err := e.db.ClaimIdempotencyKey(ctx, k2, fp, time.Minute); err != nil || !claimed {
		t.Fatalf("claim: %v %v", claimed, err)
	}
	if err := postgres.NewUnits(e.db).CreateCentre(domain.WithIdempotencyKey(ctx, k2), domain.Actor{PersonID: e.w.Admin.PersonID}, &domain.Centre{UnitID: e.w.CommA2, Name: "TTHTCĐ thứ hai"}); err != nil {
		t.Fatal(err)
	}
	if n := e.exec(`SELECT count(*) FROM idempotency_keys WHERE key = 'tx' AND state = 'committed'`); n != 1 {
		t.Fatal("the write did not mark its key committed")
	}
	// Keys expire: older than the TTL they are claimed anew, and purged.
	e.exec(`UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = 'crash'`)
	if _, claimed, err := e.db.ClaimIdempotencyKey(ctx, k, fp, time.Minute); err != nil || !claimed {
		t.Fatalf("expired key not claimed anew: %v %v", claimed, err)
	}
	e.exec(`UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = 'crash'`)
	n, err := e.db.PurgeIdempotencyKeys(ctx, time.Now().Add(-domain.IdempotencyTTL))
	if err != nil || n != 1 || e.exec(`SELECT count(*) FROM idempotency_keys`) != 1 {
		t.Fatalf("purge: %d %v", n, err)
	}
	// After a failure a committed key stays; after a refusal it goes.
	if err := e.db.ReleaseIdempotencyKey(ctx, k2, false); err != nil || e.exec(`SELECT count(*) FROM idempotency_keys WHERE key = 'tx'`) != 1 {
		t.Fatalf("a committed key must survive a failure: %v", err)
	}
	if err := e.db.ReleaseIdempotencyKey(ctx, k2, true); err != nil || e.exec(`SELECT count(*) FROM idempotency_keys WHERE key = 'tx'`) != 0 {
		t.Fatalf("a refused request must forget its key: %v", err)
	}
}

// TestOpenAPIWritesDeclareIdempotencyKey checks that every signed-in write
// in the document declares the Idempotency-Key header the server honours.
func TestOpenAPIWritesDeclareIdempotencyKey(t *testing.T) {
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(openAPIDocument, &doc); err != nil {
		t.Fatal(err)
	}
	n := 0
	for path, item := range doc.Paths {
		if !strings.HasPrefix(path, "/api/v1/") || strings.HasPrefix(path, "/api/v1/auth/") {
			continue
		}
		for method, raw := range item {
			if method != "post" && method != "put" && method != "patch" && method != "delete" {
				continue
			}
			n++
			if !strings.Contains(string(raw), `"#/components/parameters/IdempotencyKey"`) {
				t.Errorf("%s %s does not declare the Idempotency-Key header", method, path)
			}
		}
	}
	if n == 0 {
		t.Fatal("no write operation in the document")
	}
}
