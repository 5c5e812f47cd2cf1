package main

import (
	"context"
	"database/sql"
	"errors"
	"testing"
	"time"

	"densach/domain/attendance"
	"densach/storage/postgres"
)

// TestSeedDemoCheckin: the demo has a learner of the blended class checked
// in (source checkin, through the check-in use case) to its latest session
// that has begun, which the teacher's register shows; seeding again makes
// no second mark.
func TestSeedDemoCheckin(t *testing.T) {
	now := pinSeedClock(t, time.Now()) // the seed's clock and the test's are one
	db, _, _ := seededDemo(t, false)
	ctx := context.Background()
	var session int64
	err := db.SQL().QueryRow(`SELECT cs.id FROM classes c JOIN class_sessions cs ON cs.class_id = c.id
		WHERE c.title = $1 AND cs.status = 'scheduled' AND cs.starts_at <= $2 ORDER BY cs.starts_at DESC LIMIT 1`, demoClassTitle, now).Scan(&session)
	if errors.Is(err, sql.ErrNoRows) {
		// Seeded before this week's first session began: check in as at
		// ten minutes into it.
		var starts time.Time
		if err := db.SQL().QueryRow(`SELECT cs.id, cs.starts_at FROM classes c JOIN class_sessions cs ON cs.class_id = c.id
			WHERE c.title = $1 AND cs.status = 'scheduled' ORDER BY cs.starts_at LIMIT 1`, demoClassTitle).Scan(&session, &starts); err != nil {
			t.Fatal(err)
		}
		now = starts.Add(10 * time.Minute)
		if made, err := seedCheckin(ctx, db, now); err != nil || !made {
			t.Fatalf("seed check-in: %v %v", made, err)
		}
	} else if err != nil {
		t.Fatal(err)
	}
	if made, err := seedCheckin(ctx, db, now); err != nil || made {
		t.Fatalf("seeded again: made %v, %v", made, err)
	}
	svc := &attendance.Service{Store: postgres.NewAttendance(db), Classes: postgres.NewClasses(db), Checkins: postgres.NewCheckins(db)}
	roster, err := svc.SessionRoster(ctx, demoSignIn(t, db, demoCheckinTeacher), session)
	if err != nil {
		t.Fatal(err)
	}
	checkedIn := 0
	for _, e := range roster.Entries {
		if e.Mark != nil && e.Mark.Source == attendance.SourceCheckin {
			checkedIn++
			if e.Mark.Status != attendance.Present || e.Mark.MarkedBy != e.PersonID {
				t.Errorf("check-in mark %+v", e.Mark)
			}
		}
	}
	if checkedIn != 1 {
		t.Fatalf("%d learners checked in, want 1: %+v", checkedIn, roster.Entries)
	}
	var events int
	if err := db.SQL().QueryRow(`SELECT count(*) FROM attendance_events WHERE session_id = $1 AND source = 'checkin'`, session).Scan(&events); err != nil || events != 1 {
		t.Fatalf("%d check-in events, %v", events, err)
	}
}
