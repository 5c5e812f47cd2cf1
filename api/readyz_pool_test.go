package api

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"net"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"densach/domain"
	"densach/storage/objects"
	"densach/storage/objects/objtest"
	"densach/storage/postgres"
	"densach/storage/postgres/pgtest"
)

// Readiness says "ready" while PostgreSQL answers even when every
// connection of the API's pool is taken (500 concurrent clients used to
// make 3–8 % of checks fail): it pings through its own small pool.
func TestReadyzUnderSaturatedPool(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	var held []*sql.Conn
	t.Cleanup(func() {
		for _, c := range held {
			c.Close()
		}
	})
	for range postgres.MaxOpenConns {
		c, err := e.db.SQL().Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		held = append(held, c)
	}
	// The API's pool is saturated: a request waits for a connection.
	qctx, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancel()
	if err := e.db.SQL().PingContext(qctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("a ping through the saturated API pool = %v, want a timeout", err)
	}
	for i := range 3 {
		if status, body := e.call("GET", "/readyz", "", nil); status != 200 || body["status"] != "ready" {
			t.Fatalf("readyz #%d under a saturated pool: %d %v", i+1, status, body)
		}
	}
}

// blackhole accepts connections and never answers, like a PostgreSQL that
// hangs.
func blackhole(t *testing.T, addr string) {
	t.Helper()
	var ln net.Listener
	var err error
	for range 50 {
		if ln, err = net.Listen("tcp", addr); err == nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			t.Cleanup(func() { c.Close() })
		}
	}()
}

// When PostgreSQL hangs, readiness answers 503 within its own deadline
// (readyTimeout), not the request's or a load balancer's.
func TestReadyzAnswersWithinItsDeadline(t *testing.T) {
	u, err := url.Parse(pgtest.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	proxy := newTCPProxy(t, u.Host)
	u.Host = proxy.addr
	e := newTestEnvURL(t, u.String())
	if status, body := e.call("GET", "/readyz", "", nil); status != 200 {
		t.Fatalf("readyz with the database up: %d %v", status, body)
	}
	proxy.cut()
	blackhole(t, proxy.addr)
	start := time.Now()
	status, body := e.call("GET", "/readyz", "", nil)
	elapsed := time.Since(start)
	if status != 503 || body["code"] != "unavailable" {
		t.Fatalf("readyz with a hanging database: %d %v", status, body)
	}
	if elapsed > readyTimeout+900*time.Millisecond { // the old check took 2 s
		t.Fatalf("readyz with a hanging database took %s, its deadline is %s", elapsed, readyTimeout)
	}
}

// With MinIO down the server serves what needs no files and readiness
// answers at once ("degraded", 200: every instance shares MinIO, so pulling
// them out would stop everything); when MinIO comes back without the bucket,
// the bucket is created again and readiness says "ready".
func TestReadyzWithMinIODownThenBackWithoutBucket(t *testing.T) {
	cfg := objtest.Config(t) // a fresh bucket name: MinIO comes back without it
	proxy := newTCPProxy(t, cfg.Endpoint)
	proxy.cut()
	cfg.Endpoint = proxy.addr
	cfg.ProbeInterval = 100 * time.Millisecond
	cfg.ProbeTimeout = 500 * time.Millisecond
	store, err := objects.Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	e := newTestEnvWith(t, envOptions{Objects: store})
	tok := e.token(e.w.Admin)

	start := time.Now()
	for i := range 5 {
		status, body := e.call("GET", "/readyz", "", nil)
		checks, _ := body["checks"].(map[string]any)
		if status != 200 || body["status"] != "degraded" || checks["objects"] != "unavailable" || checks["postgres"] != "ok" {
			t.Fatalf("readyz #%d with MinIO down: %d %v", i+1, status, body)
		}
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("five readiness checks with MinIO down took %s (one used to take 2 s)", d)
	}
	if status, body := e.call("GET", "/api/v1/units", tok, nil); status != 200 {
		t.Fatalf("a request that needs no files with MinIO down: %d %v", status, body)
	}
	// An object operation answers 503 in the one error shape, with the
	// store's Vietnamese message (a test-only route: no route uses files yet).
	e.srv.app.Post("/test/object", func(c *fiber.Ctx) error {
		_, err := store.Stat(c.UserContext(), "materials/1/x")
		return err
	})
	req := httptest.NewRequest("POST", "/test/object", nil)
	resp, err := e.srv.App().Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	var body ErrorBody
	_ = json.NewDecoder(resp.Body).Decode(&body)
	resp.Body.Close()
	want := domain.ErrObjectsUnavailable("", nil).Message
	if resp.StatusCode != 503 || body.Code != domain.CodeUnavailable || body.Message != want || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("an object operation with MinIO down: %d %+v", resp.StatusCode, body)
	}

	proxy.restore()
	for deadline := time.Now().Add(15 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		status, body := e.call("GET", "/readyz", "", nil)
		if status == 200 && body["status"] == "ready" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("readyz after MinIO came back: %d %v", status, body)
		}
	}
	ok, err := objtest.Client(t, cfg).BucketExists(context.Background(), cfg.Bucket)
	if err != nil || !ok {
		t.Fatalf("the bucket after MinIO came back: exists=%v, %v", ok, err)
	}
}
