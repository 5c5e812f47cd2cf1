package postgres_test

import (
	"strings"
	"testing"

	"densach/migrations"
)

// TestAttendanceKeyOnceMigration: migration 00031's Down restores 00029's
// attendance_mark_batch exactly (same body), and its Up installs its own
// again over it.
func TestAttendanceKeyOnceMigration(t *testing.T) {
	db := openDB(t)
	body := func(file, section string) string {
		t.Helper()
		src, err := migrations.FS.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		up, down, ok := strings.Cut(string(src), "-- +goose Down")
		if !ok {
			t.Fatalf("%s has no Down section", file)
		}
		part := up
		if section == "down" {
			part = down
		}
		_, fn, ok := strings.Cut(part, "$$")
		fn, _, ok2 := strings.Cut(fn, "$$")
		if !ok || !ok2 {
			t.Fatalf("%s %s: no function body", file, section)
		}
		return fn
	}
	section := func(file, name string) string {
		t.Helper()
		src, err := migrations.FS.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		up, down, _ := strings.Cut(string(src), "-- +goose Down")
		if name == "down" {
			return down
		}
		_, up, _ = strings.Cut(up, "-- +goose Up")
		return up
	}
	installed := func() string {
		t.Helper()
		var src string
		if err := db.SQL().QueryRow(`SELECT prosrc FROM pg_proc WHERE proname = 'attendance_mark_batch'`).Scan(&src); err != nil {
			t.Fatal(err)
		}
		return src
	}
	const mine, before = "00031_attendance_batch_key_once.sql", "00029_attendance_batch_key.sql"
	if installed() != body(mine, "up") {
		t.Fatal("the migrated database does not hold 00031's function")
	}
	if _, err := db.SQL().Exec(section(mine, "down")); err != nil {
		t.Fatalf("00031 down: %v", err)
	}
	if got := installed(); got != body(before, "up") {
		t.Fatalf("after 00031 down, not 00029's function:\n%s", got)
	}
	if _, err := db.SQL().Exec(section(mine, "up")); err != nil {
		t.Fatalf("00031 up again: %v", err)
	}
	if installed() != body(mine, "up") {
		t.Fatal("00031 up again: not 00031's function")
	}
}
