package api

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// repeatLogInterval is how often a run of identical failures is summarised.
const repeatLogInterval = 10 * time.Second

// maxRepeatRuns bounds the distinct failures remembered at once; beyond it
// failures are logged one by one, as before.
const maxRepeatRuns = 1000

// repeatLog writes the first of a run of identical failures at once and then
// one summary line per interval saying how many more happened, so that an
// outage under load writes a few lines instead of one per request.
type repeatLog struct {
	log      *slog.Logger
	interval time.Duration
	mu       sync.Mutex
	runs     map[string]*repeatRun
}

// repeatRun is one failure seen in the current interval.
type repeatRun struct {
	level    slog.Level
	msg      string
	args     []any
	repeated int
}

func newRepeatLog(log *slog.Logger, interval time.Duration) *repeatLog {
	return &repeatLog{log: log, interval: interval, runs: map[string]*repeatRun{}}
}

// Log writes msg unless a failure with the same key was written within the
// interval, in which case it only counts it. It reports whether it wrote.
func (r *repeatLog) Log(ctx context.Context, level slog.Level, key, msg string, args ...any) bool {
	r.mu.Lock()
	if run, ok := r.runs[key]; ok {
		run.repeated++
		r.mu.Unlock()
		return false
	}
	if len(r.runs) < maxRepeatRuns {
		r.runs[key] = &repeatRun{level: level, msg: msg, args: args}
		time.AfterFunc(r.interval, func() { r.flush(key) })
	}
	r.mu.Unlock()
	r.log.Log(ctx, level, msg, args...)
	return true
}

// flush ends key's interval and writes how many identical failures it hid.
func (r *repeatLog) flush(key string) {
	r.mu.Lock()
	run, ok := r.runs[key]
	delete(r.runs, key)
	r.mu.Unlock()
	if !ok || run.repeated == 0 {
		return
	}
	args := []any{"repeated", run.repeated, "interval", r.interval.String()}
	for i := 0; i+1 < len(run.args); i += 2 {
		if run.args[i] != "request_id" { // the first request's id would mislead
			args = append(args, run.args[i], run.args[i+1])
		}
	}
	r.log.Log(context.Background(), run.level, run.msg+" (repeated)", args...)
}

// flushAll writes every pending summary (at shutdown, and in tests).
func (r *repeatLog) flushAll() {
	r.mu.Lock()
	keys := make([]string, 0, len(r.runs))
	for k := range r.runs {
		keys = append(keys, k)
	}
	r.mu.Unlock()
	for _, k := range keys {
		r.flush(k)
	}
}
