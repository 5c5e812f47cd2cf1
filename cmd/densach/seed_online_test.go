package main

import (
	"context"
	"testing"
	"time"

	"densach/domain/attendance"
	"densach/storage/postgres"
)

// TestSeedDemoOnline: the demo's blended class has an online session that
// has ended, where the learner who joined through Đèn Sách has a mark with
// source online (derived by the rule, marked by nobody) and the others the
// teacher's marks; seeding again makes nothing.
func TestSeedDemoOnline(t *testing.T) {
	db, _, _ := seededDemo(t, false)
	ctx := context.Background()
	var session int64
	if err := db.SQL().QueryRow(`SELECT cs.id FROM classes c JOIN class_sessions cs ON cs.class_id = c.id
		WHERE c.title = $1 AND cs.mode = 'online' AND cs.status = 'scheduled' AND cs.ends_at <= now()`, demoClassTitle).Scan(&session); err != nil {
		t.Fatal(err)
	}
	if made, err := seedOnline(ctx, db, time.Now()); err != nil || made {
		t.Fatalf("seeded again: made %v, %v", made, err)
	}
	svc := &attendance.Service{Store: postgres.NewAttendance(db), Classes: postgres.NewClasses(db)}
	roster, err := svc.SessionRoster(ctx, demoSignIn(t, db, demoCheckinTeacher), session)
	if err != nil {
		t.Fatal(err)
	}
	phones, err := phonesOf(ctx, db, func() []attendance.Learner {
		out := make([]attendance.Learner, len(roster.Entries))
		for i, e := range roster.Entries {
			out[i] = e.Learner
		}
		return out
	}())
	if err != nil {
		t.Fatal(err)
	}
	online := 0
	for _, e := range roster.Entries {
		if e.Mark == nil {
			t.Errorf("%s unmarked", e.Name)
			continue
		}
		isOnline := e.Mark.Source == attendance.SourceOnline
		if isOnline != (phones[e.PersonID] == demoOnlinePhone) {
			t.Errorf("%s: %+v", e.Name, e.Mark)
		}
		if isOnline {
			online++
			if e.Mark.Status != attendance.Present || e.Mark.MarkedBy != 0 {
				t.Errorf("online mark %+v", e.Mark)
			}
		}
	}
	if online != 1 {
		t.Fatalf("%d online marks, want 1", online)
	}
	var presence int
	if err := db.SQL().QueryRow(`SELECT count(*) FROM online_presence WHERE session_id = $1 AND joined_at IS NOT NULL`, session).Scan(&presence); err != nil || presence != 1 {
		t.Fatalf("%d joins recorded, %v", presence, err)
	}
}
