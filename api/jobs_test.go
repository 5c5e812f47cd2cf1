package api

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"densach/domain/jobs"
	"densach/storage/postgres"
	"densach/storage/postgres/pgtest"
)

// failingArgs is a job whose worker always fails.
type failingArgs struct{}

func (failingArgs) Kind() string { return "test_always_fails" }

type failingWorker struct {
	river.WorkerDefaults[failingArgs]
}

func (failingWorker) Work(context.Context, *river.Job[failingArgs]) error {
	return errors.New("the test worker fails on purpose")
}

// newJobsEnv is a test server whose job queue holds two failed jobs and one
// completed job; its workers are stopped again, so nothing moves while the
// test reads.
func newJobsEnv(t *testing.T) (e *testEnv, failedA, failedB, done int64) {
	t.Helper()
	url := pgtest.NewDatabase(t)
	e = newTestEnvURL(t, url)
	ctx := context.Background()
	q, err := postgres.OpenQueue(ctx, e.db, postgres.QueueConfig{URL: url, Work: true,
		AddWorkers: func(w *river.Workers) { river.AddWorker(w, &failingWorker{}) }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(q.Close)
	insert := func(a river.JobArgs, opts *river.InsertOpts) int64 {
		id, err := q.Insert(ctx, a, opts)
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	failedA = insert(failingArgs{}, &river.InsertOpts{MaxAttempts: 1})
	failedB = insert(failingArgs{}, &river.InsertOpts{MaxAttempts: 1})
	done = insert(postgres.PurgeLoginThrottleArgs{}, nil)
	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	want := map[int64]jobs.State{failedA: jobs.StateFailed, failedB: jobs.StateFailed, done: jobs.StateCompleted}
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		reached := 0
		for id, st := range want {
			if j, err := q.GetJob(ctx, id); err == nil && j.State == st {
				reached++
			}
		}
		if reached == len(want) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the jobs did not reach %v", want)
		}
	}
	sctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := q.Stop(sctx); err != nil {
		t.Fatal(err)
	}
	e.srv.Jobs = &jobs.Service{Store: q}
	return e, failedA, failedB, done
}

// TestAuthzJobs is the authorization table of the job queue: administrators
// list jobs and retry failed ones; every other role is refused with 403 and
// changes nothing; no token is 401.
func TestAuthzJobs(t *testing.T) {
	e, failedA, failedB, done := newJobsEnv(t)
	roles := authzRoles(e.w)
	tokens := make([]string, len(roles))
	for i, r := range roles {
		if r.p != nil {
			tokens[i] = e.token(*r.p)
		}
	}
	adminReads := [8]int{200, 403, 403, 403, 403, 403, 403, 401}
	rows := []struct {
		name, method, path string
		wantID             int64
		want               [8]int
	}{
		{"list failed jobs", "GET", "/api/v1/jobs?state=failed", failedB, adminReads},
		{"list every job", "GET", "/api/v1/jobs", done, adminReads},
		{"list completed jobs", "GET", "/api/v1/jobs?state=completed&limit=10", done, adminReads},
		{"retry a failed job", "POST", fmt.Sprintf("/api/v1/jobs/%d/retry", failedA), failedA, adminReads},
		{"retry a completed job", "POST", fmt.Sprintf("/api/v1/jobs/%d/retry", done), 0, [8]int{409, 403, 403, 403, 403, 403, 403, 401}},
		{"retry a missing job", "POST", "/api/v1/jobs/999999/retry", 0, [8]int{404, 403, 403, 403, 403, 403, 403, 401}},
	}
	for _, rw := range rows {
		for i, r := range roles {
			t.Run(rw.name+"/"+r.name, func(t *testing.T) {
				status, body := e.call(rw.method, rw.path, tokens[i], nil)
				if status != rw.want[i] {
					t.Fatalf("%s %s as %s: status %d, want %d; body %v", rw.method, rw.path, r.name, status, rw.want[i], body)
				}
				if status == 200 || status == 401 || status == 403 {
					checkAuthzBody(t, status, body, rw.wantID)
				}
			})
		}
	}
	// Only the administrator's retry is in the audit log.
	if n := e.exec(`SELECT count(*) FROM audit_log WHERE action = 'job_retried'`); n != 1 {
		t.Fatalf("%d job_retried audit rows, want 1 (the administrator's)", n)
	}
	if n := e.exec(`SELECT count(*) FROM audit_log WHERE action = 'job_retried' AND entity_id = $1 AND actor_id = $2`, failedA, e.w.Admin.PersonID); n != 1 {
		t.Fatalf("the administrator's retry of job %d is not audited", failedA)
	}
	// Refused retries left the other failed job alone.
	st, body := e.call("GET", "/api/v1/jobs?state=failed", tokens[0], nil)
	items, _ := body["items"].([]any)
	if st != 200 || len(items) != 1 {
		t.Fatalf("after the table: %d %v, want only job %d failed", st, body, failedB)
	}
	j, _ := items[0].(map[string]any)
	if j["id"] != float64(failedB) || j["state"] != "failed" || j["kind"] != "test_always_fails" || j["last_error"] != "the test worker fails on purpose" {
		t.Fatalf("failed job: %v", j)
	}
}

// TestListJobsRefusesBadQueries checks the 422 answers of the list.
func TestListJobsRefusesBadQueries(t *testing.T) {
	e, _, _, _ := newJobsEnv(t)
	admin := e.token(e.w.Admin)
	for _, c := range []struct{ query, field string }{
		{"state=discarded", "state"},
		{"state=%00", "state"},
		{"before=0", "before"},
		{"before=x", "before"},
		{"limit=201", "limit"},
		{"limit=abc", "limit"},
	} {
		t.Run(c.query, func(t *testing.T) {
			status, body := e.call("GET", "/api/v1/jobs?"+c.query, admin, nil)
			fields, _ := body["fields"].([]any)
			if status != 422 || len(fields) != 1 || fields[0].(map[string]any)["field"] != c.field {
				t.Fatalf("%s: %d %v, want 422 on field %s", c.query, status, body, c.field)
			}
		})
	}
}

// TestJobSchemaMatchesJSON keeps the document's Job and JobList in step with
// the handlers' types.
func TestJobSchemaMatchesJSON(t *testing.T) {
	doc := parseOpenAPI(t)
	for name, v := range map[string]any{"Job": jobJSON{}} {
		var inDoc []string
		for p := range doc.Components.Schemas[name].Properties {
			inDoc = append(inDoc, p)
		}
		inGo := jsonNames(reflect.TypeOf(v))
		sort.Strings(inDoc)
		sort.Strings(inGo)
		if !slices.Equal(inDoc, inGo) {
			t.Errorf("schema %s has %v; %T has %v", name, inDoc, v, inGo)
		}
	}
}
