package api

import (
	"context"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
)

// TestShutdownDrains checks the SIGTERM sequence: readiness fails first while
// requests are still served, in-flight requests finish, then the listener
// closes.
func TestShutdownDrains(t *testing.T) {
	e := newTestEnv(t)
	e.srv.cfg.DrainDelay = 500 * time.Millisecond
	released := make(chan struct{})
	e.srv.App().Get("/test/slow", func(c *fiber.Ctx) error {
		<-released
		return c.SendString("done")
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = e.srv.Serve(ln) }()
	base := "http://" + ln.Addr().String()
	client := &http.Client{Timeout: 10 * time.Second}

	slow := make(chan int, 1)
	go func() {
		resp, err := client.Get(base + "/test/slow")
		if err != nil {
			slow <- -1
			return
		}
		resp.Body.Close()
		slow <- resp.StatusCode
	}()
	time.Sleep(100 * time.Millisecond) // let the slow request arrive

	done := make(chan error, 1)
	go func() { done <- e.srv.Shutdown(context.Background()) }()
	time.Sleep(100 * time.Millisecond) // inside the drain delay

	resp, err := client.Get(base + "/readyz")
	if err != nil {
		t.Fatalf("readyz during drain: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("readyz during drain = %d, want 503", resp.StatusCode)
	}

	close(released)
	if code := <-slow; code != http.StatusOK {
		t.Fatalf("in-flight request = %d, want 200", code)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("shutdown: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("shutdown did not finish")
	}
	if _, err := (&http.Client{Timeout: time.Second}).Get(base + "/healthz"); err == nil {
		t.Fatal("the server still accepts requests after shutdown")
	}
}
