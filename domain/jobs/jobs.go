// Package jobs is the background job queue as an administrator sees it:
// the jobs by state (failed ones first of all) and a retry of a failed one.
// The queue itself (River on PostgreSQL) lives in storage; the periodic
// work it runs is registered in cmd/.
package jobs

import (
	"context"
	"time"

	"densach/domain"
)

// State is where a job stands, in words an administrator reads; storage
// maps the queue's own states onto these.
type State string

// The states of a job.
const (
	StateWaiting   State = "waiting"   // ready to run, waiting for a worker
	StateScheduled State = "scheduled" // to run at a later time
	StateRunning   State = "running"   // a worker holds it
	StateRetrying  State = "retrying"  // an attempt failed; it will be tried again
	StateFailed    State = "failed"    // every attempt failed: the queue gave up
	StateCompleted State = "completed" // done
	StateCancelled State = "cancelled" // stopped on purpose
)

// States lists every state in the order a screen shows them.
var States = []State{StateFailed, StateRetrying, StateRunning, StateWaiting, StateScheduled, StateCompleted, StateCancelled}

// Valid reports whether s is a known state.
func (s State) Valid() bool {
	for _, v := range States {
		if s == v {
			return true
		}
	}
	return false
}

// Retryable reports whether an administrator may run a job in state s
// again: only a job that has stopped without success.
func (s State) Retryable() bool {
	return s == StateFailed || s == StateRetrying || s == StateCancelled
}

// Job is one job of the queue.
type Job struct {
	ID          int64
	Kind        string
	Queue       string
	State       State
	Attempt     int
	MaxAttempts int
	CreatedAt   time.Time
	ScheduledAt time.Time
	AttemptedAt *time.Time
	FinalizedAt *time.Time
	// LastError is the error of the latest failed attempt, for the
	// administrator's diagnosis; empty when no attempt failed.
	LastError string
}

// Query selects a page of jobs, newest first.
type Query struct {
	State  State // empty: every state
	Before int64 // keyset: only jobs with a smaller id (0: from the newest)
	Limit  int   // 0: DefaultLimit
}

// Page is one page of jobs; Next is the Before of the following page, 0
// when this is the last.
type Page struct {
	Items []Job
	Next  int64
}

// Limits of a page.
const (
	DefaultLimit = 50
	MaxLimit     = 200
)

// Store is the queue as the use case needs it.
type Store interface {
	// ListJobs returns the jobs q selects, newest first, at most q.Limit.
	ListJobs(ctx context.Context, q Query) (Page, error)
	// GetJob returns one job; CodeNotFound when there is none.
	GetJob(ctx context.Context, id int64) (Job, error)
	// RetryJob makes a job available to run again now and records in the
	// audit log that by asked for it; CodeNotFound when there is none.
	RetryJob(ctx context.Context, by domain.Actor, id int64) (Job, error)
}

// Service is the use case of the job queue. Only administrators see jobs:
// their arguments and errors may name anyone in the system.
type Service struct {
	Store Store
}

// List returns a page of jobs; administrators only.
func (s *Service) List(ctx context.Context, pr domain.Principal, q Query) (Page, error) {
	if !pr.IsAdmin() {
		return Page{}, forbidden()
	}
	var f domain.Fields
	if q.State != "" && !q.State.Valid() {
		f.AddOf("state", "state_invalid", nil)
	}
	if q.Before < 0 {
		f.AddOf("before", "id_invalid", domain.Params{"name": "before"})
	}
	switch {
	case q.Limit == 0:
		q.Limit = DefaultLimit
	case q.Limit < 0 || q.Limit > MaxLimit:
		f.AddOf("limit", "limit_out_of_range", domain.Params{"min": 1, "max": MaxLimit})
	}
	if err := f.Err(); err != nil {
		return Page{}, err
	}
	return s.Store.ListJobs(ctx, q)
}

// Retry runs a failed, retrying or cancelled job again now; administrators
// only. A job that is waiting, running or done is refused (conflict).
// requestID ties the audit row to the request's log lines.
func (s *Service) Retry(ctx context.Context, pr domain.Principal, requestID string, id int64) (Job, error) {
	if !pr.IsAdmin() {
		return Job{}, forbidden()
	}
	j, err := s.Store.GetJob(ctx, id)
	if err != nil {
		return Job{}, err
	}
	if !j.State.Retryable() {
		return Job{}, &domain.Error{Code: domain.CodeConflict, Key: "job_not_retryable", Message: domain.Message("job_not_retryable", nil),
			Fields: []domain.FieldError{domain.FieldOf("id", "job_not_retryable", nil)}}
	}
	return s.Store.RetryJob(ctx, domain.Actor{PersonID: pr.PersonID, RequestID: requestID}, id)
}

func forbidden() error {
	return domain.Fail(domain.CodeForbidden, "forbidden", nil)
}
