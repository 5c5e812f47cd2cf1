package postgres

import (
	"time"

	"github.com/riverqueue/river"
)

// DeriveOnlineAttendanceArgs is the periodic job that derives the marks of
// online sessions from the online-learning data
// (QueueConfig.DeriveOnlineAttendance).
type DeriveOnlineAttendanceArgs struct{}

// Kind names the job in the queue (and on the administrator's screen).
func (DeriveOnlineAttendanceArgs) Kind() string { return "derive_online_attendance" }

// OnlineEvery is the online attendance job's period: the marks are derived
// as the data arrives; the job only catches what failed then, soon enough
// for the teacher's register of the day.
const OnlineEvery = 15 * time.Minute

// addOnlineJob registers the online attendance job and its period.
func addOnlineJob(workers *river.Workers, rc *river.Config, cfg QueueConfig) {
	if cfg.DeriveOnlineAttendance == nil {
		return
	}
	// Its output counts the marks written ("done").
	river.AddWorker(workers, &waitForObjectsWorker[DeriveOnlineAttendanceArgs]{work: cfg.DeriveOnlineAttendance})
	opts := purgeInsertOpts(OnlineEvery)
	rc.PeriodicJobs = append(rc.PeriodicJobs, river.NewPeriodicJob(river.PeriodicInterval(OnlineEvery), func() (river.JobArgs, *river.InsertOpts) {
		return DeriveOnlineAttendanceArgs{}, opts
	}, &river.PeriodicJobOpts{ID: "derive_online_attendance", RunOnStart: true}))
}
