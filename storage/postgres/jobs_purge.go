package postgres

import (
	"context"
	"time"

	"github.com/riverqueue/river"

	"densach/domain"
)

// PurgeExpiredRefreshTokens deletes refresh tokens that expired more than a
// day ago (the day keeps a reused token recognisable as reuse for a while)
// and reports how many went. The periodic purge job calls it.
func (db *DB) PurgeExpiredRefreshTokens(ctx context.Context) (int64, error) {
	res := db.q(ctx).Exec(`DELETE FROM refresh_tokens WHERE expires_at < now() - interval '1 day'`)
	return res.RowsAffected, translate("postgres.PurgeExpiredRefreshTokens", res.Error)
}

// PurgeLoginThrottle deletes login-throttle counters whose window started
// more than a day ago: they limit nothing any more. The periodic purge job
// calls it.
func (db *DB) PurgeLoginThrottle(ctx context.Context) (int64, error) {
	res := db.q(ctx).Exec(`DELETE FROM login_throttle WHERE window_start < now() - interval '1 day'`)
	return res.RowsAffected, translate("postgres.PurgeLoginThrottle", res.Error)
}

// PurgeRequestRecords deletes what is kept about single requests once it
// protects nothing: idempotency keys older than a day (retries come within
// minutes) and daily disclosure counters of days before yesterday (the
// allowance is per day, Vietnam's). The periodic purge job calls it.
func (db *DB) PurgeRequestRecords(ctx context.Context) (int64, error) {
	return db.purgeRequestRecords(ctx, time.Now())
}

// purgeRequestRecords is PurgeRequestRecords at the instant now.
func (db *DB) purgeRequestRecords(ctx context.Context, now time.Time) (int64, error) {
	n, err := db.PurgeIdempotencyKeys(ctx, now.Add(-24*time.Hour))
	if err != nil {
		return n, err
	}
	res := db.q(ctx).Exec(`DELETE FROM disclosure_counts WHERE day < ?::date - 1`, domain.Today(now).Format(time.DateOnly))
	return n + res.RowsAffected, translate("postgres.PurgeRequestRecords", res.Error)
}

// PurgeRefreshTokensArgs is the job that runs PurgeExpiredRefreshTokens.
type PurgeRefreshTokensArgs struct{}

// Kind names the job in the queue (and on the administrator's screen).
func (PurgeRefreshTokensArgs) Kind() string { return "purge_refresh_tokens" }

// PurgeLoginThrottleArgs is the job that runs PurgeLoginThrottle.
type PurgeLoginThrottleArgs struct{}

// Kind names the job in the queue (and on the administrator's screen).
func (PurgeLoginThrottleArgs) Kind() string { return "purge_login_throttle" }

// PurgeRequestRecordsArgs is the job that runs PurgeRequestRecords.
type PurgeRequestRecordsArgs struct{}

// Kind names the job in the queue (and on the administrator's screen).
func (PurgeRequestRecordsArgs) Kind() string { return "purge_request_records" }

// purgeWorker runs one purge; its count goes to the job's output.
type purgeWorker[T river.JobArgs] struct {
	river.WorkerDefaults[T]
	purge func(ctx context.Context) (int64, error)
}

func (w *purgeWorker[T]) Work(ctx context.Context, job *river.Job[T]) error {
	n, err := w.purge(ctx)
	if err != nil {
		return err
	}
	return river.RecordOutput(ctx, map[string]int64{"deleted": n})
}

// Timeout bounds one purge; a slower one fails and is retried.
func (w *purgeWorker[T]) Timeout(*river.Job[T]) time.Duration { return 5 * time.Minute }

func addPurgeWorkers(w *river.Workers, db *DB) {
	river.AddWorker(w, &purgeWorker[PurgeRefreshTokensArgs]{purge: db.PurgeExpiredRefreshTokens})
	river.AddWorker(w, &purgeWorker[PurgeLoginThrottleArgs]{purge: db.PurgeLoginThrottle})
	river.AddWorker(w, &purgeWorker[PurgeRequestRecordsArgs]{purge: db.PurgeRequestRecords})
}

// purgeInsertOpts make a purge unique per period, so that a restart or a
// new leader within the period (RunOnStart) does not purge twice, and a
// purge tries a few times rather than River's default 25.
func purgeInsertOpts(every time.Duration) *river.InsertOpts {
	return &river.InsertOpts{MaxAttempts: 5, UniqueOpts: river.UniqueOpts{ByPeriod: every}}
}

// purgePeriodicJobs are the purges, every period and once when an instance
// becomes leader.
func purgePeriodicJobs(every time.Duration) []*river.PeriodicJob {
	opts := purgeInsertOpts(every)
	return []*river.PeriodicJob{
		river.NewPeriodicJob(river.PeriodicInterval(every), func() (river.JobArgs, *river.InsertOpts) {
			return PurgeRefreshTokensArgs{}, opts
		}, &river.PeriodicJobOpts{ID: "purge_refresh_tokens", RunOnStart: true}),
		river.NewPeriodicJob(river.PeriodicInterval(every), func() (river.JobArgs, *river.InsertOpts) {
			return PurgeLoginThrottleArgs{}, opts
		}, &river.PeriodicJobOpts{ID: "purge_login_throttle", RunOnStart: true}),
		river.NewPeriodicJob(river.PeriodicInterval(every), func() (river.JobArgs, *river.InsertOpts) {
			return PurgeRequestRecordsArgs{}, opts
		}, &river.PeriodicJobOpts{ID: "purge_request_records", RunOnStart: true}),
	}
}

// EnqueuePurges enqueues one run of each purge now (unique per hour, like
// the periodic ones): the demo seed leaves them for the first server.
func (q *Queue) EnqueuePurges(ctx context.Context) error {
	for _, a := range []river.JobArgs{PurgeRefreshTokensArgs{}, PurgeLoginThrottleArgs{}, PurgeRequestRecordsArgs{}} {
		if _, err := q.Insert(ctx, a, purgeInsertOpts(time.Hour)); err != nil {
			return err
		}
	}
	return nil
}
