package postgres_test

import (
	"strings"
	"testing"

	"densach/migrations"
)

// TestAttendanceBatchMigrations: each migration that replaces
// attendance_mark_batch restores, going down, exactly the function before
// it (the same body), and installs its own again going up.
func TestAttendanceBatchMigrations(t *testing.T) {
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
	// Oldest first; the migrated database holds the last one's function.
	files := []string{"00029_attendance_batch_key.sql", "00031_attendance_batch_key_once.sql"}
	ups, downs := make([]string, len(files)), make([]string, len(files))
	for i, f := range files {
		ups[i], downs[i] = sections(f)
		if body(ups[i]) == "" {
			t.Fatalf("%s: no function body", f)
		}
	}
	last := len(files) - 1
	if installed() != body(ups[last]) {
		t.Fatalf("the migrated database does not hold %s's function", files[last])
	}
	for i := last; i > 0; i-- {
		if _, err := db.SQL().Exec(downs[i]); err != nil {
			t.Fatalf("%s down: %v", files[i], err)
		}
		if got := installed(); got != body(ups[i-1]) {
			t.Fatalf("after %s down, not %s's function:\n%s", files[i], files[i-1], got)
		}
	}
	for i := 1; i <= last; i++ {
		if _, err := db.SQL().Exec(ups[i]); err != nil {
			t.Fatalf("%s up again: %v", files[i], err)
		}
		if installed() != body(ups[i]) {
			t.Fatalf("%s up again: not its function", files[i])
		}
	}
}
