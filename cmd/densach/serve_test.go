package main

import (
	"context"
	"encoding/json"
	"log/slog"
	"net"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"densach/api"
	"densach/domain/courses"
	"densach/domain/jobs"
	"densach/storage/objects"
	"densach/storage/postgres"
	"densach/storage/postgres/pgtest"
)

// freeAddr returns a loopback address nothing listens on right now.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// With MinIO down (nothing listens at MINIO_ENDPOINT) the server still
// starts, serves, and reports MinIO's state in readiness; SIGTERM stops it
// within SHUTDOWN_DRAIN + SHUTDOWN_TIMEOUT.
func TestServeStartsWithMinIODown(t *testing.T) {
	addr, minio := freeAddr(t), freeAddr(t)
	cfg, err := loadConfig(envOf(map[string]string{
		"ADDR":             addr,
		"DATABASE_URL":     pgtest.NewDatabase(t),
		"MINIO_ENDPOINT":   minio,
		"JWT_SIGNING_KEYS": "t1:serve-test-signing-key-0123456789-abcdef",
		"SHUTDOWN_TIMEOUT": "1s",
	}))
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	done := make(chan error, 1)
	go func() { done <- serve(ctx, cfg, slog.New(slog.DiscardHandler)) }()

	client := &http.Client{Timeout: 5 * time.Second}
	var resp *http.Response
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		select {
		case err := <-done:
			t.Fatalf("serve stopped with MinIO down: %v", err)
		default:
		}
		if resp, err = client.Get("http://" + addr + "/readyz"); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the server did not start: %v", err)
		}
	}
	var body struct {
		Status string
		Checks map[string]string
	}
	_ = json.NewDecoder(resp.Body).Decode(&body)
	resp.Body.Close()
	if resp.StatusCode != 200 || body.Status != "degraded" || body.Checks["objects"] != "unavailable" || body.Checks["postgres"] != "ok" {
		t.Fatalf("readyz with MinIO down: %d %+v", resp.StatusCode, body)
	}
	// Pages may send uploads to MinIO and load its files (presigned URLs).
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "connect-src 'self' http://"+minio+";") ||
		!strings.Contains(csp, "media-src 'self' http://"+minio+";") || !strings.Contains(csp, "img-src 'self' data: blob: http://"+minio+";") {
		t.Errorf("the policy does not name MinIO at %s: %q", minio, csp)
	}
	if resp, err := client.Get("http://" + addr + "/api/v1/openapi.json"); err != nil || resp.StatusCode != 200 {
		t.Fatalf("a route that needs no files: %v %v", resp, err)
	} else {
		resp.Body.Close()
	}

	stop() // SIGTERM
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve after SIGTERM: %v", err)
		}
	case <-time.After(cfg.DrainDelay + cfg.ShutdownTimeout + 3*time.Second):
		t.Fatal("serve did not stop within its bound")
	}
}

func TestConfigShutdownTimeoutAndSlowQuery(t *testing.T) {
	c, err := loadConfig(envOf(nil))
	if err != nil || c.ShutdownTimeout != 5*time.Second || c.SlowQuery != 200*time.Millisecond {
		t.Fatalf("defaults: SHUTDOWN_TIMEOUT %s, SLOW_QUERY_THRESHOLD %s, %v", c.ShutdownTimeout, c.SlowQuery, err)
	}
	c, err = loadConfig(envOf(map[string]string{"SHUTDOWN_TIMEOUT": "2s", "SLOW_QUERY_THRESHOLD": "0"}))
	if err != nil || c.ShutdownTimeout != 2*time.Second || c.SlowQuery != 0 {
		t.Fatalf("set: %s %s %v", c.ShutdownTimeout, c.SlowQuery, err)
	}
	for _, name := range []string{"SHUTDOWN_TIMEOUT", "SLOW_QUERY_THRESHOLD"} {
		if _, err := loadConfig(envOf(map[string]string{name: "soon"})); err == nil {
			t.Errorf("%s=soon accepted", name)
		}
	}
}

// Every use case the handlers call is wired: a field of api.Deps left nil
// (as a merge once did with the courses and materials) fails its endpoints.
func TestAPIDepsAreAllWired(t *testing.T) {
	db, err := postgres.Open(pgtest.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cfg, err := loadConfig(envOf(map[string]string{"JWT_SIGNING_KEYS": "t1:serve-test-signing-key-0123456789-abcdef"}))
	if err != nil {
		t.Fatal(err)
	}
	store, err := objects.Open(cfg.Objects)
	if err != nil {
		t.Fatal(err)
	}
	tokens, err := api.NewTokens(cfg.Tokens)
	if err != nil {
		t.Fatal(err)
	}
	coursesSvc := &courses.Service{Store: postgres.NewCourses(db)}
	deps := apiDeps(cfg, db, store, tokens, slog.New(slog.DiscardHandler), services{courses: coursesSvc,
		materials: materialsService(cfg, db, store, coursesSvc), jobs: &jobs.Service{}})
	v := reflect.ValueOf(deps)
	for i := range v.NumField() {
		if f := v.Field(i); f.IsZero() {
			t.Errorf("api.Deps.%s is not wired", v.Type().Field(i).Name)
		}
	}
}
