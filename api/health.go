package api

import (
	"context"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"densach/domain"
)

// healthz answers while the process is alive.
func (s *Server) healthz(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(fiber.Map{"status": "ok"})
}

// readyBody is /readyz's answer: the error shape plus each dependency's state.
type readyBody struct {
	Code    string            `json:"code,omitempty"`
	Message string            `json:"message,omitempty"`
	Status  string            `json:"status"`
	Checks  map[string]string `json:"checks"`
}

// readyz answers 200 when PostgreSQL and MinIO both answer, 503 otherwise
// and while the server drains before shutdown.
func (s *Server) readyz(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	ctx, cancel := context.WithTimeout(c.UserContext(), 2*time.Second)
	defer cancel()
	checks := map[string]string{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for name, p := range map[string]Pinger{"postgres": s.DB, "objects": s.Objects} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			state := "ok"
			if err := p.Ping(ctx); err != nil {
				state = "unavailable"
				s.log.Warn("readiness check failed", "dependency", name, "error", err.Error())
			}
			mu.Lock()
			checks[name] = state
			mu.Unlock()
		}()
	}
	wg.Wait()
	body := readyBody{Status: "ready", Checks: checks}
	if s.draining.Load() {
		body.Status = "draining"
	}
	for _, state := range checks {
		if state != "ok" && body.Status == "ready" {
			body.Status = "unavailable"
		}
	}
	if body.Status != "ready" {
		body.Code = string(domain.CodeUnavailable)
		body.Message = "Hệ thống chưa sẵn sàng."
		c.Set(fiber.HeaderRetryAfter, "5")
		return c.Status(fiber.StatusServiceUnavailable).JSON(body)
	}
	return c.JSON(body)
}
