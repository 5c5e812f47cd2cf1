package api

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/url"
	"sync"
	"testing"
	"time"

	"densach/storage/postgres/pgtest"
)

// syncBuffer is a log destination safe for concurrent writers.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// lines decodes the JSON log lines written so far.
func (b *syncBuffer) lines(t *testing.T) []map[string]any {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []map[string]any
	sc := bufio.NewScanner(bytes.NewReader(b.buf.Bytes()))
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("log line %q: %v", sc.Text(), err)
		}
		out = append(out, m)
	}
	return out
}

// count returns how many lines have msg and, when status is not 0, status.
func count(lines []map[string]any, msg string, status int) (n int, last map[string]any) {
	for _, l := range lines {
		if l["msg"] == msg && (status == 0 || l["status"] == float64(status)) {
			n++
			last = l
		}
	}
	return n, last
}

// A PostgreSQL outage under load used to write one error line and one
// access line per request (14 MB in 7 s). Identical failures are now
// written once, then summarised with their count per interval.
func TestRepeatedFailuresAreSummarised(t *testing.T) {
	u, err := url.Parse(pgtest.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	proxy := newTCPProxy(t, u.Host)
	u.Host = proxy.addr
	var logs syncBuffer
	e := newTestEnvWith(t, envOptions{URL: u.String(), Log: &logs})
	tok := e.token(e.w.Admin)
	if status, _ := e.call("GET", "/api/v1/units", tok, nil); status != 200 {
		t.Fatalf("units with the database up: %d", status)
	}
	proxy.cut()
	const n = 30
	for i := range n {
		if status, body := e.call("GET", "/api/v1/units", tok, nil); status != 503 {
			t.Fatalf("request #%d with the database cut: %d %v", i+1, status, body)
		}
	}
	// The first request finds the pool's cut connection (unexpected EOF),
	// the others cannot connect: two distinct failures, each written once.
	lines := logs.lines(t)
	seen := map[string]bool{}
	for _, l := range lines {
		if l["msg"] == "request failed" {
			msg, _ := l["error"].(string)
			if seen[msg] {
				t.Fatalf("an identical failure written twice: %s", msg)
			}
			seen[msg] = true
		}
	}
	if len(seen) == 0 || len(seen) > 2 {
		t.Fatalf("%d distinct error lines for %d requests against a cut database, want 1 or 2", len(seen), n)
	}
	if got, _ := count(lines, "request", 503); got != len(seen) {
		t.Fatalf("%d access lines for %d distinct failures", got, len(seen))
	}
	e.srv.failures.flushAll() // the end of the interval
	total := len(seen)
	for _, l := range logs.lines(t) {
		if l["msg"] == "request failed (repeated)" {
			if l["request_id"] != nil || l["level"] != "WARN" || l["status"] != float64(503) {
				t.Fatalf("summary line %v", l)
			}
			r, _ := l["repeated"].(float64)
			total += int(r)
		}
	}
	if total != n {
		t.Fatalf("written and summarised failures add up to %d, want %d", total, n)
	}
	if got, _ := count(logs.lines(t), "request", 200); got != 1 {
		t.Fatalf("%d access lines for the one success, want 1", got)
	}
}

// Within an interval a key is written once; the interval's end writes the
// count, and the next occurrence is written in full again. Different keys
// do not hide each other.
func TestRepeatLogInterval(t *testing.T) {
	var logs syncBuffer
	r := newRepeatLog(slog.New(slog.NewJSONHandler(&logs, nil)), 50*time.Millisecond)
	ctx := context.Background()
	for i := range 4 {
		if wrote := r.Log(ctx, slog.LevelWarn, "a", "failure a", "n", i); wrote != (i == 0) {
			t.Fatalf("occurrence %d of a: wrote=%v", i, wrote)
		}
	}
	if !r.Log(ctx, slog.LevelWarn, "b", "failure b") {
		t.Fatal("a different failure was hidden")
	}
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if n, _ := count(logs.lines(t), "failure a (repeated)", 0); n == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no summary after the interval: %v", logs.lines(t))
		}
	}
	_, summary := count(logs.lines(t), "failure a (repeated)", 0)
	if summary["repeated"] != float64(3) || summary["n"] != float64(0) {
		t.Fatalf("summary = %v", summary)
	}
	if n, _ := count(logs.lines(t), "failure b (repeated)", 0); n != 0 {
		t.Fatal("a summary for a failure that did not repeat")
	}
	if !r.Log(ctx, slog.LevelWarn, "a", "failure a") {
		t.Fatal("the first occurrence after the interval was hidden")
	}
}
