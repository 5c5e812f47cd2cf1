package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivertype"

	"densach/domain"
	"densach/domain/jobs"
)

// QueueConfig configures the job queue.
type QueueConfig struct {
	// URL is the PostgreSQL the queue lives in: the application's database
	// (River's tables come with our migrations).
	URL string
	// Work runs workers on this instance; without it the queue only
	// inserts, lists and retries (an instance that serves requests only).
	Work bool
	// PollOnly fetches jobs by polling instead of LISTEN/NOTIFY, for a
	// pooler in transaction mode (PgBouncer) that cannot hold a LISTEN.
	PollOnly bool
	// PurgeEvery is the period of the purge jobs (default one hour).
	PurgeEvery time.Duration
	// StopTimeout bounds how long a stop waits for running jobs before it
	// cancels them (default 10 s).
	StopTimeout time.Duration
	// AddWorkers registers workers beyond the built-in purges (tests, and
	// the coming jobs of other features).
	AddWorkers func(w *river.Workers)
	// CleanupMaterials removes failed uploads' rows and objects (the
	// materials use case), every PurgeEvery; nil: no such job.
	CleanupMaterials func(ctx context.Context) (int64, error)
	// SeedDemoMaterials stores the demo course's files once the object
	// store answers; nil: no such job.
	SeedDemoMaterials func(ctx context.Context) (int64, error)
	// DeriveOnlineAttendance derives the marks the online-learning data
	// earns that were not derived when the data arrived (the attendance use
	// case), every OnlineEvery; nil: no such job.
	DeriveOnlineAttendance func(ctx context.Context) (int64, error)
	Log                    *slog.Logger
}

// Queue is the durable job queue: River over its own small pgx pool on the
// application's database. Periodic jobs are enqueued by the one instance
// River elects leader, so several instances never run a purge twice for
// one period; any instance with workers may run the jobs.
type Queue struct {
	pool   *pgxpool.Pool
	client *river.Client[pgx.Tx]
	work   bool
}

// queueMaxConns bounds the queue's pool: one LISTEN connection, the
// producer's fetches, the leader's maintenance and a few jobs at a time.
const queueMaxConns = 6

// OpenQueue builds the queue over db's database. It starts nothing: Start
// runs the workers (when cfg.Work), Close releases the pool.
func OpenQueue(ctx context.Context, db *DB, cfg QueueConfig) (*Queue, error) {
	pc, err := pgxpool.ParseConfig(cfg.URL)
	if err != nil {
		return nil, fmt.Errorf("jobs: %w", err)
	}
	pc.MaxConns = queueMaxConns
	pool, err := pgxpool.NewWithConfig(ctx, pc)
	if err != nil {
		return nil, fmt.Errorf("jobs: pool: %w", err)
	}
	every := cfg.PurgeEvery
	if every <= 0 {
		every = time.Hour
	}
	stop := cfg.StopTimeout
	if stop <= 0 {
		stop = 10 * time.Second
	}
	log := cfg.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	rc := &river.Config{
		Logger:          log,
		PollOnly:        cfg.PollOnly,
		SoftStopTimeout: stop,
		// Failed jobs stay visible to administrators for a month.
		DiscardedJobRetentionPeriod: 30 * 24 * time.Hour,
	}
	if cfg.Work {
		workers := river.NewWorkers()
		addPurgeWorkers(workers, db)
		if cfg.AddWorkers != nil {
			cfg.AddWorkers(workers)
		}
		rc.Workers = workers
		rc.Queues = map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: 2}}
		rc.PeriodicJobs = purgePeriodicJobs(every)
		addMaterialJobs(workers, rc, cfg, every)
		addOnlineJob(workers, rc, cfg)
	}
	client, err := river.NewClient(riverpgxv5.New(pool), rc)
	if err != nil {
		pool.Close()
		return nil, fmt.Errorf("jobs: client: %w", err)
	}
	return &Queue{pool: pool, client: client, work: cfg.Work}, nil
}

// Start runs the workers and, on the elected leader, the periodic jobs. It
// returns at once; Stop ends them. An instance without workers starts
// nothing.
func (q *Queue) Start(ctx context.Context) error {
	if !q.work {
		return nil
	}
	// The client's context must outlive the signal that starts shutdown:
	// cancelling it is a hard stop, and Stop is the graceful one.
	if err := q.client.Start(context.WithoutCancel(ctx)); err != nil {
		return fmt.Errorf("jobs: start: %w", err)
	}
	return nil
}

// Stop stops fetching, lets running jobs finish (cancelling them after
// StopTimeout) and returns when they have, or when ctx ends.
func (q *Queue) Stop(ctx context.Context) error {
	if !q.work {
		return nil
	}
	return q.client.Stop(ctx)
}

// Close releases the queue's connections (after Stop).
func (q *Queue) Close() { q.pool.Close() }

// Insert enqueues one job now and returns its id.
func (q *Queue) Insert(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) (int64, error) {
	res, err := q.client.Insert(ctx, args, opts)
	if err != nil {
		return 0, translate("postgres.Queue.Insert", err)
	}
	return res.Job.ID, nil
}

// riverStates maps each state of the use case to River's.
var riverStates = map[jobs.State][]rivertype.JobState{
	jobs.StateWaiting:   {rivertype.JobStateAvailable, rivertype.JobStatePending},
	jobs.StateScheduled: {rivertype.JobStateScheduled},
	jobs.StateRunning:   {rivertype.JobStateRunning},
	jobs.StateRetrying:  {rivertype.JobStateRetryable},
	jobs.StateFailed:    {rivertype.JobStateDiscarded},
	jobs.StateCompleted: {rivertype.JobStateCompleted},
	jobs.StateCancelled: {rivertype.JobStateCancelled},
}

func stateOf(s rivertype.JobState) jobs.State {
	for st, rs := range riverStates {
		for _, r := range rs {
			if r == s {
				return st
			}
		}
	}
	return jobs.State(s)
}

// maxErrorLen bounds the error text handed to the administrator.
const maxErrorLen = 500

func toJob(r *rivertype.JobRow) jobs.Job {
	j := jobs.Job{ID: r.ID, Kind: r.Kind, Queue: r.Queue, State: stateOf(r.State), Attempt: r.Attempt, MaxAttempts: r.MaxAttempts,
		CreatedAt: r.CreatedAt, ScheduledAt: r.ScheduledAt, AttemptedAt: r.AttemptedAt, FinalizedAt: r.FinalizedAt}
	if n := len(r.Errors); n > 0 {
		j.LastError = r.Errors[n-1].Error
		if rs := []rune(j.LastError); len(rs) > maxErrorLen {
			j.LastError = string(rs[:maxErrorLen]) + "…"
		}
	}
	return j
}

// ListJobs returns the jobs q selects, newest first, paged by id (keyset).
func (q *Queue) ListJobs(ctx context.Context, jq jobs.Query) (jobs.Page, error) {
	const op = "postgres.Queue.ListJobs"
	limit := jq.Limit
	if limit <= 0 {
		limit = jobs.DefaultLimit
	}
	p := river.NewJobListParams().OrderBy(river.JobListOrderByID, river.SortOrderDesc).First(limit + 1)
	if jq.State != "" {
		rs, ok := riverStates[jq.State]
		if !ok {
			return jobs.Page{}, domain.Invalid(domain.FieldOf("state", "state_invalid", nil))
		}
		p = p.States(rs...)
	}
	if jq.Before > 0 {
		p = p.Where("id < @before", river.NamedArgs{"before": jq.Before})
	}
	res, err := q.client.JobList(ctx, p)
	if err != nil {
		return jobs.Page{}, translate(op, err)
	}
	page := jobs.Page{Items: make([]jobs.Job, 0, min(len(res.Jobs), limit))}
	for i, r := range res.Jobs {
		if i == limit {
			page.Next = res.Jobs[limit-1].ID
			break
		}
		page.Items = append(page.Items, toJob(r))
	}
	return page, nil
}

// GetJob returns one job.
func (q *Queue) GetJob(ctx context.Context, id int64) (jobs.Job, error) {
	r, err := q.client.JobGet(ctx, id)
	if err != nil {
		return jobs.Job{}, jobError("postgres.Queue.GetJob", err)
	}
	return toJob(r), nil
}

// RetryJob makes a job available to run again now and records who asked,
// in one transaction: the audit row commits with the retry or not at all.
func (q *Queue) RetryJob(ctx context.Context, by domain.Actor, id int64) (jobs.Job, error) {
	const op = "postgres.Queue.RetryJob"
	var row *rivertype.JobRow
	err := pgx.BeginFunc(ctx, q.pool, func(tx pgx.Tx) error {
		r, err := q.client.JobRetryTx(ctx, tx, id)
		if err != nil {
			return err
		}
		row = r
		changes, err := json.Marshal(map[string]any{"kind": r.Kind, "attempt": r.Attempt})
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO audit_log (actor_id, action, entity, entity_id, changes, request_id)
			VALUES ($1, 'job_retried', 'job', $2, $3::jsonb, $4)`, nullable(by.PersonID), id, string(changes), by.RequestID)
		return err
	})
	if err != nil {
		return jobs.Job{}, jobError(op, err)
	}
	return toJob(row), nil
}

func jobError(op string, err error) error {
	if errors.Is(err, rivertype.ErrNotFound) {
		return &domain.Error{Code: domain.CodeNotFound, Key: "not_found", Message: domain.Message("not_found", nil), Op: op, Err: err}
	}
	return translate(op, err)
}
