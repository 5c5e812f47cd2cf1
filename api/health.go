package api

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"densach/domain"
)

// readyTimeout is readiness's own deadline, shorter than a load balancer's
// check timeout: a check that cannot tell in time answers "unavailable".
const readyTimeout = time.Second

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

// readyz answers 200 while PostgreSQL answers, and 503 when it does not or
// while the server drains before shutdown. The object store is reported but
// does not decide: every instance shares it, so pulling instances out of the
// load balancer while MinIO is down would take down what does not need
// files as well ("degraded": uploads and downloads answer 503 meanwhile).
// Each check has readyTimeout; the PostgreSQL check uses its own small pool
// (postgres.DB.Ping) so that a saturated API pool does not fail readiness,
// and the object store's check is cached (objects.Store.Ping).
func (s *Server) readyz(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	ctx, cancel := context.WithTimeout(context.Background(), readyTimeout)
	defer cancel()
	checks := map[string]string{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for name, p := range map[string]Pinger{"postgres": s.DB, "objects": s.Objects} {
		if p == nil {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			state := "ok"
			if err := p.Ping(ctx); err != nil {
				state = "unavailable"
				s.failures.Log(ctx, slog.LevelWarn, "ready:"+name+":"+err.Error(), "readiness check failed", "dependency", name, "error", err.Error())
			}
			mu.Lock()
			checks[name] = state
			mu.Unlock()
		}()
	}
	wg.Wait()
	body := readyBody{Status: "ready", Checks: checks}
	switch {
	case s.draining.Load():
		body.Status = "draining"
	case checks["postgres"] != "ok":
		body.Status = "unavailable"
	case checks["objects"] == "unavailable":
		body.Status = "degraded"
	}
	if body.Status != "ready" && body.Status != "degraded" {
		body.Code = string(domain.CodeUnavailable)
		body.Message = "Hệ thống chưa sẵn sàng."
		c.Set(fiber.HeaderRetryAfter, "5")
		return c.Status(fiber.StatusServiceUnavailable).JSON(body)
	}
	return c.JSON(body)
}
