package api

import (
	"context"
	"errors"
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

// openSilent opens n connections that send nothing (a browser's
// pre-opened sockets) and one client that sends its headers slowly, one
// line every 50 ms, without ever finishing them.
func openSilent(t *testing.T, addr string, n int) []net.Conn {
	t.Helper()
	var conns []net.Conn
	for i := 0; i <= n; i++ {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		conns = append(conns, c)
	}
	slow := conns[n]
	if _, err := slow.Write([]byte("GET /healthz HTTP/1.1\r\nHost: densach\r\n")); err != nil {
		t.Fatal(err)
	}
	go func() {
		for {
			time.Sleep(50 * time.Millisecond)
			if _, err := slow.Write([]byte("X-Slow: 1\r\n")); err != nil {
				return
			}
		}
	}()
	return conns
}

// closedByServer fails unless the server closed c: a read ends with EOF or
// a reset, not with the read deadline.
func closedByServer(t *testing.T, c net.Conn, within time.Duration) {
	t.Helper()
	_ = c.SetReadDeadline(time.Now().Add(within))
	buf := make([]byte, 512)
	for {
		_, err := c.Read(buf)
		if err == nil {
			continue // an answer (e.g. 408) before the close is fine
		}
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			t.Fatalf("connection %s still open %s after shutdown began", c.LocalAddr(), within)
		}
		return
	}
}

// waitForLockWait returns once a statement of the test database waits on a
// row lock, i.e. the in-flight request has reached PostgreSQL.
func waitForLockWait(t *testing.T, e *testEnv) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		var n int
		if err := e.db.SQL().QueryRow(`SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("the in-flight request never reached the row lock")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestShutdownIsBoundedWithSilentConnections: five silent connections and a
// slow-header client used to keep the process alive for the 30 s read
// timeout after SIGTERM. After the drain they are closed at once, a request
// in flight still gets its answer, and a request that does not finish is cut
// off at ShutdownTimeout.
func TestShutdownIsBoundedWithSilentConnections(t *testing.T) {
	for _, tc := range []struct {
		name     string
		finishes bool // whether the in-flight request's lock is released
	}{
		{"in-flight request finishes", true},
		{"in-flight request is stuck", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newTestEnv(t)
			e.srv.cfg.DrainDelay = 200 * time.Millisecond
			e.srv.cfg.ShutdownTimeout = 2 * time.Second
			bound := e.srv.cfg.DrainDelay + e.srv.cfg.ShutdownTimeout
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
			silent := openSilent(t, ln.Addr().String(), 5)

			tok := e.token(e.w.Admin)
			answer := make(chan int, 1)
			go func() {
				req, _ := http.NewRequest("PATCH", fmt.Sprintf("%s/api/v1/people/%d", base, e.w.ResidentA1), strings.NewReader(`{"village":"Tổ 9"}`))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "Bearer "+tok)
				resp, err := (&http.Client{Timeout: 20 * time.Second}).Do(req)
				if err != nil {
					answer <- -1
					return
				}
				resp.Body.Close()
				answer <- resp.StatusCode
			}()
			waitForLockWait(t, e)

			start := time.Now()
			done := make(chan error, 1)
			go func() { done <- e.srv.Shutdown(context.Background()) }()
			for _, c := range silent {
				closedByServer(t, c, bound)
			}
			if tc.finishes {
				if err := lock.Rollback(); err != nil {
					t.Fatal(err)
				}
				if code := <-answer; code != http.StatusOK {
					t.Fatalf("in-flight request = %d, want 200", code)
				}
			}
			var serr error
			select {
			case serr = <-done:
			case <-time.After(bound + 3*time.Second):
				t.Fatalf("shutdown still running %s after it began (bound %s)", time.Since(start), bound)
			}
			elapsed := time.Since(start)
			if elapsed > bound+time.Second {
				t.Fatalf("shutdown took %s, bound %s", elapsed, bound)
			}
			if tc.finishes && serr != nil {
				t.Fatalf("shutdown with every request answered: %v", serr)
			}
			if !tc.finishes {
				if !errors.Is(serr, context.DeadlineExceeded) {
					t.Fatalf("shutdown with a stuck request = %v, want deadline exceeded", serr)
				}
				if code := <-answer; code != -1 {
					t.Fatalf("the stuck request was answered %d after its connection was closed", code)
				}
			}
			if _, err := (&http.Client{Timeout: time.Second}).Get(base + "/healthz"); err == nil {
				t.Fatal("the server still accepts requests after shutdown")
			}
		})
	}
}
