package api

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestShutdownDrains checks the SIGTERM sequence: readiness fails first while
// requests are still served, in-flight requests finish, then the listener
// closes.
func TestShutdownDrains(t *testing.T) {
	e := newTestEnv(t)
	e.srv.cfg.DrainDelay = 500 * time.Millisecond
	// The in-flight request is a real edit that waits on a row lock the test
	// holds, so it is still running when shutdown begins.
	lock, err := e.db.SQL().BeginTx(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Rollback()
	if _, err := lock.Exec(`SELECT 1 FROM people WHERE id = $1 FOR UPDATE`, e.w.ResidentA1); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = e.srv.Serve(ln) }()
	base := "http://" + ln.Addr().String()
	client := &http.Client{Timeout: 10 * time.Second}

	tok := e.token(e.w.Admin)
	slow := make(chan int, 1)
	go func() {
		req, _ := http.NewRequest("PATCH", fmt.Sprintf("%s/api/v1/people/%d", base, e.w.ResidentA1), strings.NewReader(`{"village":"Tổ 9"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := client.Do(req)
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

	if err := lock.Rollback(); err != nil { // let the edit finish
		t.Fatal(err)
	}
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
