package api

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"densach/domain"
	"densach/domain/jobs"
)

// mountJobs registers the background job queue as administrators see it.
func (s *Server) mountJobs(r router) {
	r.Get("/jobs", s.listJobs)
	r.Post("/jobs/:id/retry", s.retryJob)
}

type jobJSON struct {
	ID          int64      `json:"id"`
	Kind        string     `json:"kind"`
	Queue       string     `json:"queue"`
	State       string     `json:"state"`
	Attempt     int        `json:"attempt"`
	MaxAttempts int        `json:"max_attempts"`
	CreatedAt   time.Time  `json:"created_at"`
	ScheduledAt time.Time  `json:"scheduled_at"`
	AttemptedAt *time.Time `json:"attempted_at"`
	FinalizedAt *time.Time `json:"finalized_at"`
	LastError   *string    `json:"last_error"`
}

func toJobJSON(j jobs.Job) jobJSON {
	out := jobJSON{ID: j.ID, Kind: j.Kind, Queue: j.Queue, State: string(j.State), Attempt: j.Attempt, MaxAttempts: j.MaxAttempts,
		CreatedAt: j.CreatedAt.UTC(), ScheduledAt: j.ScheduledAt.UTC(), AttemptedAt: utcPtr(j.AttemptedAt), FinalizedAt: utcPtr(j.FinalizedAt)}
	if j.LastError != "" {
		out.LastError = &j.LastError
	}
	return out
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// jobsService is the job use case, or 503 on a server wired without one.
func (s *Server) jobsService() (*jobs.Service, error) {
	if s.Jobs == nil {
		return nil, domain.Fail(domain.CodeUnavailable, "jobs_disabled", nil)
	}
	return s.Jobs, nil
}

func (s *Server) listJobs(c *fiber.Ctx) error {
	svc, err := s.jobsService()
	if err != nil {
		return err
	}
	var f domain.Fields
	q := jobs.Query{State: jobs.State(c.Query("state"))}
	q.Before, err = queryID(c, "before")
	f.AddErr("before", err)
	q.Limit, err = intQuery(c, "limit")
	f.AddErr("limit", err)
	if err := f.Err(); err != nil {
		return err
	}
	page, err := svc.List(c.UserContext(), principal(c), q)
	if err != nil {
		return err
	}
	items := make([]jobJSON, len(page.Items))
	for i, j := range page.Items {
		items[i] = toJobJSON(j)
	}
	var next *int64
	if page.Next != 0 {
		next = &page.Next
	}
	return c.JSON(fiber.Map{"items": items, "next_before": next})
}

func (s *Server) retryJob(c *fiber.Ctx) error {
	svc, err := s.jobsService()
	if err != nil {
		return err
	}
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	j, err := svc.Retry(c.UserContext(), principal(c), requestID(c), id)
	if err != nil {
		return err
	}
	return c.JSON(toJobJSON(j))
}
