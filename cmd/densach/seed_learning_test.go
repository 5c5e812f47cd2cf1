package main

import (
	"context"
	"testing"

	"densach/storage/postgres"
)

// The demo seed gives every demo course a quiz of 4–5 questions (frozen in
// the published ones) and the online course learners with progress and
// attempts; seeded again it changes nothing.
func TestSeedDemoLearning(t *testing.T) {
	db, _, _ := seededDemo(t, true)
	state := func() string {
		t.Helper()
		var s string
		if err := db.SQL().QueryRow(`SELECT concat_ws(' | ',
			(SELECT string_agg(n::text, ',' ORDER BY id) FROM (SELECT c.id, count(q.id) AS n FROM courses c LEFT JOIN quiz_questions q ON q.course_id = c.id GROUP BY c.id) b),
			(SELECT string_agg(coalesce(jsonb_array_length(qs.questions), -1)::text, ',' ORDER BY c.id) FROM courses c
				JOIN lessons l ON l.version_id = coalesce(c.published_version_id, c.draft_version_id) AND l.kind = 'quiz'
				JOIN quiz_settings qs ON qs.lesson_id = l.id),
			(SELECT count(*) FROM course_versions),
			(SELECT count(*) FROM enrolments WHERE class_id IS NULL), (SELECT count(*) FROM lesson_progress), (SELECT count(*) FROM quiz_attempts))`).Scan(&s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	// Questions per course; frozen questions of each current quiz (-1: a
	// draft's); versions; online enrolments (the demo classes' are
	// seedClasses'), progress rows, attempts.
	const want = "5,5,4,4,4 | 5,5,4,-1,4 | 5 | 4 | 14 | 3"
	if got := state(); got != want {
		t.Fatalf("seeded: %s, want %s", got, want)
	}
	if _, err := seedCourses(context.Background(), db, nil); err != nil {
		t.Fatal(err)
	}
	if n, err := seedLearning(context.Background(), db); err != nil || n != 0 {
		t.Fatalf("learners enrolled again: %d, %v", n, err)
	}
	if got := state(); got != want {
		t.Fatalf("seeded twice: %s, want %s", got, want)
	}
	// The demo learner's and Bình's progress as my courses shows it.
	store := postgres.NewEnrolments(db)
	var learner, binh int64
	if err := db.SQL().QueryRow(`SELECT (SELECT id FROM people WHERE phone = '0901000006'), (SELECT id FROM people WHERE full_name = 'Lò Văn Bình')`).Scan(&learner, &binh); err != nil {
		t.Fatal(err)
	}
	for who, want := range map[int64]int{learner: 40, binh: 100} {
		mine, err := store.ByPerson(context.Background(), who)
		if err != nil || len(mine) != 1 || mine[0].Percent != want {
			t.Fatalf("person %d: %+v %v, want %d%%", who, mine, err, want)
		}
	}
}
