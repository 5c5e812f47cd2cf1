package postgres_test

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"densach/domain"
	"densach/domain/jobs"
	"densach/storage/postgres"
	"densach/storage/postgres/pgtest"
)

// queueFixture is a fresh database with its queue.
type queueFixture struct {
	db  *postgres.DB
	q   *postgres.Queue
	url string
}

func newQueueFixture(t *testing.T, work bool, add func(*river.Workers)) *queueFixture {
	t.Helper()
	url := pgtest.NewDatabase(t)
	db, err := postgres.Open(url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	q, err := postgres.OpenQueue(context.Background(), db, postgres.QueueConfig{URL: url, Work: work, AddWorkers: add})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(q.Close)
	return &queueFixture{db: db, q: q, url: url}
}

// start runs the workers until the test ends.
func (f *queueFixture) start(t *testing.T) {
	t.Helper()
	if err := f.q.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := f.q.Stop(ctx); err != nil {
			t.Errorf("stop: %v", err)
		}
	})
}

func (f *queueFixture) exec(t *testing.T, q string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := f.db.SQL().QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// waitJobs polls the queue until every id is in state, failing after a
// generous bound (a guard against a hang, not a timing assertion).
func (f *queueFixture) waitJobs(t *testing.T, state jobs.State, ids ...int64) map[int64]jobs.Job {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		got := map[int64]jobs.Job{}
		for _, id := range ids {
			j, err := f.q.GetJob(context.Background(), id)
			if err != nil {
				t.Fatal(err)
			}
			if j.State == state {
				got[id] = j
			}
		}
		if len(got) == len(ids) {
			return got
		}
		if time.Now().After(deadline) {
			t.Fatalf("jobs %v did not all reach %q: %v", ids, state, got)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestPurgeJobsDeleteExpiredRows runs both purges through the queue's
// workers and checks that they delete what is stale and keep the rest.
func TestPurgeJobsDeleteExpiredRows(t *testing.T) {
	f := newQueueFixture(t, true, nil)
	prov := f.exec(t, `INSERT INTO units (code, name, kind, valid_from) VALUES ('12', 'Lai Châu', 'province', '2025-07-01') RETURNING id`)
	ward := f.exec(t, `INSERT INTO units (code, name, kind, parent_id, valid_from) VALUES ('12001', 'Tân Phong', 'ward', $1, '2025-07-01') RETURNING id`, prov)
	person := f.exec(t, `INSERT INTO people (full_name, given_name, sort_key, search_exact, search_folded, commune_id, phone)
		VALUES ('Lò Văn Học', 'Học', '\x00', 'lò văn học', 'lo van hoc', $1, '0912000001') RETURNING id`, ward)
	account := f.exec(t, `INSERT INTO accounts (person_id, password_hash) VALUES ($1, 'x') RETURNING id`, person)
	token := func(expires string) int64 {
		return f.exec(t, `INSERT INTO refresh_tokens (account_id, family_id, token_hash, expires_at)
			VALUES ($1, gen_random_uuid(), uuid_send(gen_random_uuid()), now() + $2::interval) RETURNING id`, account, expires)
	}
	staleToken, dayOldToken, liveToken := token("-3 days"), token("-1 hour"), token("30 days")
	throttle := func(key, started string) {
		f.exec(t, `INSERT INTO login_throttle (key, failures, window_start) VALUES ($1, 3, now() + $2::interval) RETURNING 1`, key, started)
	}
	throttle("stale", "-2 days")
	throttle("recent", "-1 hour")
	idemKey := func(key, age string) {
		f.exec(t, `INSERT INTO idempotency_keys (account_id, method, path, key, fingerprint, created_at)
			VALUES ($1, 'POST', '/api/v1/people', $2, '\x00', now() - $3::interval) RETURNING 1`, account, key, age)
	}
	idemKey("stale", "25 hours")
	idemKey("recent", "1 hour")
	f.exec(t, `INSERT INTO disclosure_counts (person_id, day, answers) VALUES ($1, current_date - 3, 4), ($1, current_date, 2) RETURNING 1`, person)

	f.start(t)
	ctx := context.Background()
	var ids []int64
	for _, a := range []river.JobArgs{postgres.PurgeRefreshTokensArgs{}, postgres.PurgeLoginThrottleArgs{}, postgres.PurgeRequestRecordsArgs{}} {
		id, err := f.q.Insert(ctx, a, nil)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	f.waitJobs(t, jobs.StateCompleted, ids...)

	for _, c := range []struct {
		name string
		id   int64
		want int64
	}{{"token expired 3 days ago", staleToken, 0}, {"token expired an hour ago", dayOldToken, 1}, {"live token", liveToken, 1}} {
		if got := f.exec(t, `SELECT count(*) FROM refresh_tokens WHERE id = $1`, c.id); got != c.want {
			t.Errorf("%s: %d rows left, want %d", c.name, got, c.want)
		}
	}
	for key, want := range map[string]int64{"stale": 0, "recent": 1} {
		if got := f.exec(t, `SELECT count(*) FROM login_throttle WHERE key = $1`, key); got != want {
			t.Errorf("throttle %q: %d rows left, want %d", key, got, want)
		}
	}
	for key, want := range map[string]int64{"stale": 0, "recent": 1} {
		if got := f.exec(t, `SELECT count(*) FROM idempotency_keys WHERE key = $1`, key); got != want {
			t.Errorf("idempotency key %q: %d rows left, want %d", key, got, want)
		}
	}
	if got := f.exec(t, `SELECT count(*) FROM disclosure_counts WHERE day = current_date`); got != 1 {
		t.Errorf("today's disclosure count: %d rows, want 1", got)
	}
	if got := f.exec(t, `SELECT count(*) FROM disclosure_counts WHERE day < current_date - 1`); got != 0 {
		t.Errorf("old disclosure counts: %d rows left, want 0", got)
	}
}

// TestPurgesArePeriodic checks that a starting instance enqueues both purges
// by itself (the leader's run-on-start), so no sign-in has to trigger them.
func TestPurgesArePeriodic(t *testing.T) {
	f := newQueueFixture(t, true, nil)
	f.start(t)
	deadline := time.Now().Add(60 * time.Second)
	for {
		kinds := map[string]bool{}
		page, err := f.q.ListJobs(context.Background(), jobs.Query{Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		for _, j := range page.Items {
			kinds[j.Kind] = true
		}
		if kinds["purge_refresh_tokens"] && kinds["purge_login_throttle"] {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("no periodic purge enqueued: %v", page.Items)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// failArgs is a job whose worker always fails.
type failArgs struct{}

func (failArgs) Kind() string { return "test_always_fails" }

type failWorker struct{ river.WorkerDefaults[failArgs] }

func (failWorker) Work(context.Context, *river.Job[failArgs]) error {
	return errors.New("the test worker fails on purpose")
}

// TestFailedJobsListed makes a job fail for good and checks that the
// administrator's use case lists it among the failed jobs with its error,
// not among the others, pages by id, and retries it on request.
func TestFailedJobsListed(t *testing.T) {
	f := newQueueFixture(t, true, func(w *river.Workers) { river.AddWorker(w, &failWorker{}) })
	ctx := context.Background()
	var failed []int64
	for range 3 {
		id, err := f.q.Insert(ctx, failArgs{}, &river.InsertOpts{MaxAttempts: 1})
		if err != nil {
			t.Fatal(err)
		}
		failed = append(failed, id)
	}
	done, err := f.q.Insert(ctx, postgres.PurgeLoginThrottleArgs{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	f.start(t)
	f.waitJobs(t, jobs.StateFailed, failed...)
	f.waitJobs(t, jobs.StateCompleted, done)

	svc := &jobs.Service{Store: f.q}
	admin := domain.Principal{AccountID: 1, PersonID: 1, Grants: []domain.Grant{{Role: domain.RoleAdmin, Kind: domain.ScopeSystem}}}
	page, err := svc.List(ctx, admin, jobs.Query{State: jobs.StateFailed})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) != 3 || page.Next != 0 {
		t.Fatalf("failed jobs: %+v, want the 3 failed ones on one page", page)
	}
	for i, j := range page.Items {
		if j.ID != failed[2-i] || j.Kind != "test_always_fails" || j.State != jobs.StateFailed || j.Attempt != 1 || j.FinalizedAt == nil {
			t.Errorf("item %d: %+v, want failed job %d, newest first", i, j, failed[2-i])
		}
		if !strings.Contains(j.LastError, "fails on purpose") {
			t.Errorf("item %d: last error %q, want the worker's error", i, j.LastError)
		}
	}

	first, err := svc.List(ctx, admin, jobs.Query{State: jobs.StateFailed, Limit: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(first.Items) != 2 || first.Next != failed[1] {
		t.Fatalf("first page of 2: %+v, want next %d", first, failed[1])
	}
	second, err := svc.List(ctx, admin, jobs.Query{State: jobs.StateFailed, Limit: 2, Before: first.Next})
	if err != nil {
		t.Fatal(err)
	}
	if len(second.Items) != 1 || second.Items[0].ID != failed[0] || second.Next != 0 {
		t.Fatalf("second page: %+v, want only job %d", second, failed[0])
	}

	completed, err := svc.List(ctx, admin, jobs.Query{State: jobs.StateCompleted})
	if err != nil {
		t.Fatal(err)
	}
	for _, j := range completed.Items {
		if j.Kind == "test_always_fails" {
			t.Fatalf("a failed job listed as completed: %+v", j)
		}
	}

	if _, err := svc.Retry(ctx, admin, "req-1", done); domain.ErrorCode(err) != domain.CodeConflict {
		t.Fatalf("retry of a completed job: %v, want conflict", err)
	}
	if _, err := svc.Retry(ctx, admin, "req-2", 1<<40); domain.ErrorCode(err) != domain.CodeNotFound {
		t.Fatalf("retry of a missing job: %v, want not found", err)
	}
	retried, err := svc.Retry(ctx, admin, "req-3", failed[0])
	if err != nil {
		t.Fatal(err)
	}
	audited := f.exec(t, `SELECT count(*) FROM audit_log WHERE action = 'job_retried' AND entity = 'job' AND entity_id = $1
		AND actor_id = $2 AND request_id = 'req-3' AND changes->>'kind' = 'test_always_fails'`, failed[0], admin.PersonID)
	if total := f.exec(t, `SELECT count(*) FROM audit_log WHERE action = 'job_retried'`); audited != 1 || total != 1 {
		t.Fatalf("audit: %d rows for the retry (of %d job_retried rows), want exactly 1 (refused retries leave none)", audited, total)
	}
	if retried.State == jobs.StateFailed {
		t.Fatalf("retried job still failed: %+v", retried)
	}
	again := f.waitJobs(t, jobs.StateFailed, failed[0])[failed[0]]
	if again.Attempt != 2 {
		t.Fatalf("retried job ran %d times, want 2", again.Attempt)
	}
}

// TestTwoInstancesEnqueuePurgesOnce starts two instances with workers on one
// database: River's leader election lets one enqueue the periodic purges,
// and their uniqueness per period would refuse a second copy anyway, so
// each purge is enqueued and run once.
func TestTwoInstancesEnqueuePurgesOnce(t *testing.T) {
	f := newQueueFixture(t, true, nil)
	second, err := postgres.OpenQueue(context.Background(), f.db, postgres.QueueConfig{URL: f.url, Work: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(second.Close)
	f.start(t)
	if err := second.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_ = second.Stop(ctx)
	})
	deadline := time.Now().Add(60 * time.Second)
	for f.exec(t, `SELECT count(*) FROM river_job WHERE state = 'completed'`) < 2 {
		if time.Now().After(deadline) {
			t.Fatal("the purges did not complete")
		}
		time.Sleep(50 * time.Millisecond)
	}
	// A second enqueue of the purges in the same period (what a newly
	// elected leader's run-on-start does) is skipped as a duplicate; a
	// plain insert without uniqueness is not, which shows the count can move.
	if _, err := second.Insert(context.Background(), postgres.PurgeRefreshTokensArgs{}, nil); err != nil {
		t.Fatal(err)
	}
	if err := second.EnqueuePurges(context.Background()); err != nil {
		t.Fatal(err)
	}
	for kind, want := range map[string]int64{"purge_refresh_tokens": 2, "purge_login_throttle": 1} {
		if got := f.exec(t, `SELECT count(*) FROM river_job WHERE kind = $1`, kind); got != want {
			t.Errorf("%s: %d jobs, want %d", kind, got, want)
		}
	}
	if n := f.exec(t, `SELECT count(*) FROM river_job WHERE attempt > 1`); n != 0 {
		t.Errorf("%d jobs ran more than once", n)
	}
}

// TestOnlineAttendanceJobRuns: with the online attendance work wired, the
// queue enqueues its periodic job on start and runs it, and the job's
// output counts the marks the work reports.
func TestOnlineAttendanceJobRuns(t *testing.T) {
	url := pgtest.NewDatabase(t)
	db, err := postgres.Open(url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	var runs atomic.Int64
	q, err := postgres.OpenQueue(context.Background(), db, postgres.QueueConfig{URL: url, Work: true,
		DeriveOnlineAttendance: func(context.Context) (int64, error) { runs.Add(1); return 3, nil }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(q.Close)
	f := &queueFixture{db: db, q: q, url: url}
	f.start(t)
	id := f.exec(t, `SELECT coalesce((SELECT id FROM river_job WHERE kind = 'derive_online_attendance' LIMIT 1), 0)`)
	for deadline := time.Now().Add(60 * time.Second); id == 0; id = f.exec(t, `SELECT coalesce((SELECT id FROM river_job WHERE kind = 'derive_online_attendance' LIMIT 1), 0)`) {
		if time.Now().After(deadline) {
			t.Fatal("the online attendance job was never enqueued")
		}
		time.Sleep(50 * time.Millisecond)
	}
	f.waitJobs(t, jobs.StateCompleted, id)
	if runs.Load() == 0 {
		t.Fatal("the job completed without running the work")
	}
	if out := f.exec(t, `SELECT coalesce((metadata->'output'->>'done')::bigint, -1) FROM river_job WHERE id = $1`, id); out != 3 {
		t.Errorf("job output done = %d, want 3", out)
	}
}
