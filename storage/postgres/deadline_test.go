package postgres_test

import (
	"context"
	"database/sql"
	"errors"
	"runtime"
	"testing"
	"time"

	"densach/storage/postgres"
)

// within runs f and fails the test unless it returns within limit (a
// statement or a wait that the deadline no longer bounds would hang).
func within(t *testing.T, limit time.Duration, f func() error) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- f() }()
	select {
	case err := <-done:
		return err
	case <-time.After(limit):
		t.Fatalf("still running after %s: the request's deadline did not bound it", limit)
		return nil
	}
}

// The request's deadline cuts a statement short, inside a transaction or
// not, and the pool stays usable afterwards.
func TestDeadlineBoundsStatements(t *testing.T) {
	db := openDB(t)
	for name, run := range map[string]func(context.Context) error{
		"statement":   func(ctx context.Context) error { return postgres.Exec(db, ctx, "SELECT pg_sleep(30)") },
		"transaction": func(ctx context.Context) error { return postgres.InTx(db, ctx, "SELECT pg_sleep(30)") },
	} {
		t.Run(name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
			defer cancel()
			err := within(t, 5*time.Second, func() error { return run(ctx) })
			if err == nil {
				t.Fatal("a 30 s statement under a 300 ms deadline succeeded")
			}
			if !errors.Is(postgres.Translate("x", err), postgres.Translate("x", context.DeadlineExceeded)) &&
				!errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("a statement past its deadline: %v", err)
			}
			if err := postgres.Exec(db, context.Background(), "SELECT 1"); err != nil {
				t.Fatalf("the pool after a cut statement: %v", err)
			}
		})
	}
}

// The wait for a pooled connection is bounded by the request's deadline:
// with every connection of the pool taken, a request gives up at its
// deadline instead of queueing until one comes back.
func TestDeadlineBoundsPoolWait(t *testing.T) {
	db := openDB(t)
	var held []*sql.Conn
	defer func() {
		for _, c := range held {
			c.Close()
		}
	}()
	for range postgres.MaxOpenConns {
		c, err := db.SQL().Conn(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		held = append(held, c)
	}
	for name, run := range map[string]func(context.Context) error{
		"statement":   func(ctx context.Context) error { return postgres.Exec(db, ctx, "SELECT 1") },
		"transaction": func(ctx context.Context) error { return postgres.InTx(db, ctx, "SELECT 1") },
	} {
		ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
		err := within(t, 5*time.Second, func() error { return run(ctx) })
		cancel()
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("%s with the pool exhausted: %v, want the deadline", name, err)
		}
	}
	held[0].Close()
	held = held[1:]
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := postgres.Exec(db, ctx, "SELECT 1"); err != nil {
		t.Fatalf("with one connection back in the pool: %v", err)
	}
}

// database/sql starts no goroutine per result set for a request's
// (cancellable) context: the rows of five queries held open at once add
// no goroutines (database/sql's Rows.awaitDone would add five).
func TestOpenRowsStartNoWatcher(t *testing.T) {
	db := openDB(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := postgres.Exec(db, ctx, "SELECT 1"); err != nil { // the pool's own goroutines start
		t.Fatal(err)
	}
	before := runtime.NumGoroutine()
	var open []*sql.Rows
	for range 5 {
		rows, err := postgres.OpenRows(db, ctx, "SELECT generate_series(1, 3)")
		if err != nil {
			t.Fatal(err)
		}
		open = append(open, rows)
	}
	during := runtime.NumGoroutine()
	for _, r := range open {
		for r.Next() {
		}
		if err := r.Err(); err != nil {
			t.Fatal(err)
		}
		r.Close()
	}
	if during-before >= len(open) {
		t.Fatalf("%d goroutines before, %d with %d result sets open", before, during, len(open))
	}
}
