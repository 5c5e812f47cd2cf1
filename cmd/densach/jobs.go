package main

import (
	"context"
	"log/slog"

	"densach/domain/jobs"
	"densach/domain/materials"
	"densach/storage/postgres"
)

// startJobs opens the job queue and, unless JOBS_WORKERS=false, starts its
// workers and (on the elected leader) the periodic purges.
func startJobs(ctx context.Context, cfg config, db *postgres.DB, mat materialJobs, log *slog.Logger) (*postgres.Queue, *jobs.Service, error) {
	q, err := postgres.OpenQueue(ctx, db, postgres.QueueConfig{URL: cfg.DatabaseURL, Work: cfg.JobWorkers, PollOnly: cfg.JobsPollOnly, Log: log.With("component", "jobs"),
		CleanupMaterials: mat.cleanup, SeedDemoMaterials: mat.seedDemo, DeriveOnlineAttendance: mat.deriveOnline})
	if err != nil {
		return nil, nil, err
	}
	if err := q.Start(ctx); err != nil {
		q.Close()
		return nil, nil, err
	}
	log.Info("job queue", "workers", cfg.JobWorkers, "poll_only", cfg.JobsPollOnly)
	return q, &jobs.Service{Store: q}, nil
}

// materialJobs are the periodic jobs' work beyond the purges (nil: not run
// here): the material jobs and the online attendance's derivation.
type materialJobs struct {
	cleanup, seedDemo, deriveOnline func(ctx context.Context) (int64, error)
}

// cleanupMaterials is the periodic cleanup's work: rows and objects removed.
func cleanupMaterials(svc *materials.Service) func(ctx context.Context) (int64, error) {
	return func(ctx context.Context) (int64, error) {
		rows, objs, err := svc.Cleanup(ctx)
		return rows + objs, err
	}
}

// stopJobs stops the workers in the background while the server drains,
// and returns a function that waits for them and releases the queue.
func stopJobs(ctx context.Context, q *postgres.Queue, log *slog.Logger) func() {
	done := make(chan error, 1)
	go func() { done <- q.Stop(ctx) }()
	return func() {
		if err := <-done; err != nil {
			log.Warn("job queue did not stop cleanly", "err", err)
		}
		q.Close()
	}
}

// seedJobs enqueues one run of each purge, so that the demo's job screen
// shows the periodic work before (and after) the first server runs it.
func seedJobs(ctx context.Context, cfg config, db *postgres.DB) error {
	q, err := postgres.OpenQueue(ctx, db, postgres.QueueConfig{URL: cfg.DatabaseURL})
	if err != nil {
		return err
	}
	defer q.Close()
	if err := q.EnqueuePurges(ctx); err != nil {
		return err
	}
	return q.EnqueueDemoMaterials(ctx)
}
