package postgres_test

import (
	"strings"
	"testing"

	"densach/migrations"
)

// TestAttendanceKeyOnceMigration: migration 00031's Down restores 00029's
// attendance_mark_batch exactly (the same body), and its Up installs its
// own again over it.
func TestAttendanceKeyOnceMigration(t *testing.T) {
	db := openDB(t)
	sections := func(file string) (up, down string) {
		t.Helper()
		src, err := migrations.FS.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		up, down, ok := strings.Cut(string(src), "-- +goose Down")
		_, up, ok2 := strings.Cut(up, "-- +goose Up")
		if !ok || !ok2 {
			t.Fatalf("%s has no goose Up and Down sections", file)
		}
		return up, down
	}
	body := func(section string) string { // the function's body, between $$
		_, fn, _ := strings.Cut(section, "$$")
		fn, _, _ = strings.Cut(fn, "$$")
		return fn
	}
	installed := func() string {
		t.Helper()
		var src string
		if err := db.SQL().QueryRow(`SELECT prosrc FROM pg_proc WHERE proname = 'attendance_mark_batch'`).Scan(&src); err != nil {
			t.Fatal(err)
		}
		return src
	}
	up, down := sections("00031_attendance_batch_key_once.sql")
	before, _ := sections("00029_attendance_batch_key.sql")
	if body(up) == "" || body(before) == "" || installed() != body(up) {
		t.Fatal("the migrated database does not hold 00031's function")
	}
	if _, err := db.SQL().Exec(down); err != nil {
		t.Fatalf("00031 down: %v", err)
	}
	if got := installed(); got != body(before) {
		t.Fatalf("after 00031 down, not 00029's function:\n%s", got)
	}
	if _, err := db.SQL().Exec(up); err != nil {
		t.Fatalf("00031 up again: %v", err)
	}
	if installed() != body(up) {
		t.Fatal("00031 up again: not 00031's function")
	}
}
