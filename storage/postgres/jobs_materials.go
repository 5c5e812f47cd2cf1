package postgres

import (
	"context"
	"time"

	"github.com/riverqueue/river"

	"densach/domain"
)

// CleanupMaterialsArgs is the periodic job that removes what failed
// uploads leave behind (QueueConfig.CleanupMaterials).
type CleanupMaterialsArgs struct{}

// Kind names the job in the queue (and on the administrator's screen).
func (CleanupMaterialsArgs) Kind() string { return "cleanup_materials" }

// SeedDemoMaterialsArgs is the job that stores the demo course's files
// (QueueConfig.SeedDemoMaterials); `densach seed demo` enqueues it.
type SeedDemoMaterialsArgs struct{}

// Kind names the job in the queue (and on the administrator's screen).
func (SeedDemoMaterialsArgs) Kind() string { return "seed_demo_materials" }

// waitForObjectsWorker runs work and, while the object store does not
// answer (MinIO still starting), tries again shortly without using up an
// attempt: the demo's MinIO may come up minutes after the server.
type waitForObjectsWorker[T river.JobArgs] struct {
	river.WorkerDefaults[T]
	work func(ctx context.Context) (int64, error)
}

// objectsRetry is how soon a job waiting for the object store tries again.
const objectsRetry = 15 * time.Second

func (w *waitForObjectsWorker[T]) Work(ctx context.Context, job *river.Job[T]) error {
	n, err := w.work(ctx)
	if domain.ErrorCode(err) == domain.CodeUnavailable {
		return river.JobSnooze(objectsRetry)
	}
	if err != nil {
		return err
	}
	return river.RecordOutput(ctx, map[string]int64{"done": n})
}

// Timeout bounds one run.
func (w *waitForObjectsWorker[T]) Timeout(*river.Job[T]) time.Duration { return 10 * time.Minute }

// addMaterialJobs registers the material jobs cfg wires, and the cleanup's
// period.
func addMaterialJobs(workers *river.Workers, rc *river.Config, cfg QueueConfig, every time.Duration) {
	if cfg.CleanupMaterials != nil {
		// A cleanup that finds MinIO down fails and is retried like a
		// purge: an outage shows on the jobs screen.
		river.AddWorker(workers, &purgeWorker[CleanupMaterialsArgs]{purge: cfg.CleanupMaterials})
		opts := purgeInsertOpts(every)
		rc.PeriodicJobs = append(rc.PeriodicJobs, river.NewPeriodicJob(river.PeriodicInterval(every), func() (river.JobArgs, *river.InsertOpts) {
			return CleanupMaterialsArgs{}, opts
		}, &river.PeriodicJobOpts{ID: "cleanup_materials", RunOnStart: true}))
	}
	if cfg.SeedDemoMaterials != nil {
		river.AddWorker(workers, &waitForObjectsWorker[SeedDemoMaterialsArgs]{work: cfg.SeedDemoMaterials})
	}
}

// EnqueueDemoMaterials enqueues the job that stores the demo course's
// files (once per hour at most, like the purges).
func (q *Queue) EnqueueDemoMaterials(ctx context.Context) error {
	_, err := q.Insert(ctx, SeedDemoMaterialsArgs{}, &river.InsertOpts{MaxAttempts: 5, UniqueOpts: river.UniqueOpts{ByPeriod: time.Hour}})
	return err
}
