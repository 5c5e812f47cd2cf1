// Package pgtest gives each test a fresh, migrated PostgreSQL database,
// cloned from a template database that is migrated once per set of
// migration files.
package pgtest

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"

	"densach/migrations"
	"densach/storage/postgres"
)

var counter atomic.Int64

// AdminURL is the maintenance database URL from TEST_DATABASE_URL (default:
// the local server with trust auth).
func AdminURL() string {
	if u := os.Getenv("TEST_DATABASE_URL"); u != "" {
		return u
	}
	return "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
}

// Required reports whether a missing service must fail the run instead of
// skipping the test: under CI and under `make test` (which sets
// DENSACH_REQUIRE_SERVICES).
func Required() bool {
	return os.Getenv("CI") != "" || os.Getenv("DENSACH_REQUIRE_SERVICES") != ""
}

// redact hides the password of a database URL.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "an unparsable URL"
	}
	return u.Redacted()
}

// NewDatabase creates a fresh migrated database for t, drops it when the
// test ends, and returns its URL. Without a reachable server the test fails
// when Required and is skipped elsewhere with the reason.
func NewDatabase(t testing.TB) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	admin, err := sql.Open("pgx", AdminURL())
	if err != nil {
		t.Fatalf("pgtest: open: %v", err)
	}
	defer admin.Close()
	if err := admin.PingContext(ctx); err != nil {
		if Required() {
			t.Fatalf("pgtest: PostgreSQL is required under CI and `make test`, and it does not answer at TEST_DATABASE_URL (%s): %v", redact(AdminURL()), err)
		}
		t.Skipf("pgtest: PostgreSQL does not answer at TEST_DATABASE_URL (%s); run the tests through `make test`, which starts it: %v", redact(AdminURL()), err)
	}
	tmpl, err := template(ctx, admin)
	if err != nil {
		t.Fatalf("pgtest: template: %v", err)
	}
	name := fmt.Sprintf("densach_t_%d_%d_%d", os.Getpid(), time.Now().UnixNano()%1e9, counter.Add(1))
	if _, err := admin.ExecContext(ctx, fmt.Sprintf(`CREATE DATABASE %s TEMPLATE %s`, name, tmpl)); err != nil {
		t.Fatalf("pgtest: create %s: %v", name, err)
	}
	t.Cleanup(func() {
		a, err := sql.Open("pgx", AdminURL())
		if err != nil {
			return
		}
		defer a.Close()
		_, _ = a.Exec(fmt.Sprintf(`DROP DATABASE IF EXISTS %s WITH (FORCE)`, name))
	})
	return withDatabase(AdminURL(), name)
}

// template returns the name of a migrated template database for the current
// migration files, creating it under an advisory lock so that parallel test
// binaries build it once.
func template(ctx context.Context, admin *sql.DB) (string, error) {
	name := "densach_tmpl_" + migrationsHash()
	conn, err := admin.Conn(ctx)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock(727401)`); err != nil {
		return "", err
	}
	defer conn.ExecContext(context.Background(), `SELECT pg_advisory_unlock(727401)`)
	var exists bool
	if err := conn.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists); err != nil {
		return "", err
	}
	if exists {
		return name, nil
	}
	building := name + "_building"
	_, _ = conn.ExecContext(ctx, fmt.Sprintf(`DROP DATABASE IF EXISTS %s`, building))
	if _, err := conn.ExecContext(ctx, fmt.Sprintf(`CREATE DATABASE %s`, building)); err != nil {
		return "", err
	}
	db, err := postgres.Open(withDatabase(AdminURL(), building))
	if err != nil {
		return "", err
	}
	err = postgres.MigrateUp(ctx, db.SQL(), slog.New(slog.DiscardHandler))
	db.Close()
	if err != nil {
		return "", err
	}
	if _, err := conn.ExecContext(ctx, fmt.Sprintf(`ALTER DATABASE %s RENAME TO %s`, building, name)); err != nil {
		return "", err
	}
	return name, nil
}

func migrationsHash() string {
	h := sha256.New()
	_ = fs.WalkDir(migrations.FS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(migrations.FS, path)
		if err != nil {
			return err
		}
		h.Write([]byte(path))
		h.Write(b)
		return nil
	})
	return hex.EncodeToString(h.Sum(nil))[:16]
}

func withDatabase(raw, name string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	u.Path = "/" + strings.TrimPrefix(name, "/")
	return u.String()
}
