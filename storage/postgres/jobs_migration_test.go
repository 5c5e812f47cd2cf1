package postgres_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"

	"densach/storage/postgres/pgtest"
)

// riverPool opens a pgx pool on url for River's tools.
func riverPool(t *testing.T, url string) *pgxpool.Pool {
	t.Helper()
	pool, err := pgxpool.New(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	return pool
}

// TestRiverMigrationsComplete fails when the River in go.mod has a
// migration that our goose files do not carry: River's own migrator must
// find nothing to apply on a database migrated by goose alone. After a
// River upgrade, copy its new migration into a new goose file.
func TestRiverMigrationsComplete(t *testing.T) {
	ctx := context.Background()
	m, err := rivermigrate.New(riverpgxv5.New(riverPool(t, pgtest.NewDatabase(t))), nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := m.Validate(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !res.OK {
		t.Fatalf("River %v sees our schema as not fully migrated: %v", versions(m.AllVersions()), res.Messages)
	}
	have, err := m.ExistingVersions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(versions(have), versions(m.AllVersions())) {
		t.Fatalf("river_migration records %v, River has %v", versions(have), versions(m.AllVersions()))
	}
	dry, err := m.Migrate(ctx, rivermigrate.DirectionUp, &rivermigrate.MigrateOpts{DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(dry.Versions) != 0 {
		t.Fatalf("River would still apply %d migrations", len(dry.Versions))
	}
}

func versions(ms []rivermigrate.Migration) []int {
	out := make([]int, len(ms))
	for i, m := range ms {
		out[i] = m.Version
	}
	return out
}

// TestRiverSchemaMatchesRiverMigrator compares the River objects our
// migration builds with those River's own migrator builds on an empty
// database: tables, columns, constraints, indexes, the enum's order,
// functions and triggers. It proves the one deviation (the enum value
// declared early, see 00009_river.sql) changes nothing.
func TestRiverSchemaMatchesRiverMigrator(t *testing.T) {
	ctx := context.Background()
	ours := pgtest.NewDatabase(t)
	theirs := emptyDatabase(t)
	m, err := rivermigrate.New(riverpgxv5.New(riverPool(t, theirs)), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		t.Fatal(err)
	}
	a, b := riverSchema(t, ours), riverSchema(t, theirs)
	if len(a) < 20 {
		t.Fatalf("schema snapshot has only %d lines: %v", len(a), a)
	}
	for _, l := range a {
		if !slices.Contains(b, l) {
			t.Errorf("only in our migration: %s", l)
		}
	}
	for _, l := range b {
		if !slices.Contains(a, l) {
			t.Errorf("only in River's migrator: %s", l)
		}
	}
}

// emptyDatabase creates an unmigrated database, dropped when t ends.
func emptyDatabase(t *testing.T) string {
	t.Helper()
	admin, err := sql.Open("pgx", pgtest.AdminURL())
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	name := fmt.Sprintf("densach_t_river_%d", time.Now().UnixNano())
	if _, err := admin.Exec(`CREATE DATABASE ` + name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		a, err := sql.Open("pgx", pgtest.AdminURL())
		if err != nil {
			return
		}
		defer a.Close()
		_, _ = a.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`)
	})
	u, err := url.Parse(pgtest.AdminURL())
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

// riverSchema describes every River object of the database, one line each.
func riverSchema(t *testing.T, url string) []string {
	t.Helper()
	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	queries := []string{
		`SELECT 'relation ' || relname || ' ' || relkind::text || ' ' || relpersistence::text FROM pg_class
			WHERE relname LIKE 'river%' AND relnamespace = 'public'::regnamespace`,
		`SELECT 'column ' || table_name || '.' || column_name || ' ' || udt_name || ' null=' || is_nullable ||
			' default=' || coalesce(column_default, '') || ' len=' || coalesce(character_maximum_length::text, '') || ' pos=' || ordinal_position
			FROM information_schema.columns WHERE table_schema = 'public' AND table_name LIKE 'river%'`,
		`SELECT 'constraint ' || conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint
			WHERE conrelid::regclass::text LIKE 'river%'`,
		`SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename LIKE 'river%'`,
		`SELECT 'enum ' || string_agg(enumlabel, ',' ORDER BY enumsortorder) FROM pg_enum WHERE enumtypid = 'river_job_state'::regtype`,
		`SELECT 'function ' || pg_get_functiondef(oid) FROM pg_proc WHERE proname LIKE 'river%' AND pronamespace = 'public'::regnamespace`,
		`SELECT 'trigger ' || tgname FROM pg_trigger WHERE tgrelid::regclass::text LIKE 'river%' AND NOT tgisinternal`,
	}
	var out []string
	for _, q := range queries {
		rows, err := db.Query(q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				t.Fatal(err)
			}
			out = append(out, strings.Join(strings.Fields(s), " "))
		}
		rows.Close()
	}
	slices.Sort(out)
	return out
}
