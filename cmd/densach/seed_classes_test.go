package main

import (
	"context"
	"testing"
	"time"
)

// The demo seed schedules one blended class of the online demo course at
// Tân Phong (open, at its venue, taught by the demo teacher) with four
// weeks of Monday and Wednesday sessions, one of them online; seeded again
// it changes nothing.
func TestSeedDemoClass(t *testing.T) {
	db, _, _ := seededDemo(t, false)
	state := func() (classes, venues, sessions, online int, status string) {
		t.Helper()
		// The blended class (the tea class is seedRosters', TestSeedDemoRoster).
		if err := db.SQL().QueryRow(`SELECT (SELECT count(*) FROM classes WHERE mode = 'blended'), (SELECT count(*) FROM venues),
			(SELECT count(*) FROM class_sessions s JOIN classes c ON c.id = s.class_id WHERE c.mode = 'blended'),
			(SELECT count(*) FROM class_sessions WHERE mode = 'online'),
			(SELECT string_agg(c.status || ':' || ce.name || ':' || p.phone, ',') FROM classes c JOIN centres ce ON ce.id = c.centre_id
				JOIN class_teachers ct ON ct.class_id = c.id JOIN people p ON p.id = ct.person_id WHERE c.mode = 'blended')`).
			Scan(&classes, &venues, &sessions, &online, &status); err != nil {
			t.Fatal(err)
		}
		return
	}
	c, v, s, o, st := state()
	// Eight Mondays and Wednesdays, fewer when a holiday falls on one.
	if c != 1 || v != 1 || s < 6 || s > 8 || o != 1 || st != "open:"+centreTanPhong+":0901000005" {
		t.Fatalf("seeded: %d classes, %d venues, %d sessions (%d online), %s", c, v, s, o, st)
	}
	if n, err := seedClasses(context.Background(), db, time.Now()); err != nil || n != 0 {
		t.Fatalf("seeded again: %d, %v", n, err)
	}
	if c2, v2, s2, o2, st2 := state(); c2 != c || v2 != v || s2 != s || o2 != o || st2 != st {
		t.Fatalf("seeded twice: %d %d %d %d %s", c2, v2, s2, o2, st2)
	}
}

// The demo seed fills the tea class of three places at Tân Phong: three
// learners seated, two on the waitlist in the order enrolled, its sessions
// this week and next; seeded again it enrols nobody twice.
func TestSeedDemoRoster(t *testing.T) {
	db, _, _ := seededDemo(t, false)
	state := func() (active, waiting, sessions int, order string) {
		t.Helper()
		if err := db.SQL().QueryRow(`SELECT
			(SELECT count(*) FROM enrolments e JOIN classes c ON c.id = e.class_id WHERE c.mode = 'in_person' AND e.status = 'active'),
			(SELECT count(*) FROM enrolments e JOIN classes c ON c.id = e.class_id WHERE c.mode = 'in_person' AND e.status = 'waitlisted'),
			(SELECT count(*) FROM class_sessions s JOIN classes c ON c.id = s.class_id WHERE c.mode = 'in_person'),
			(SELECT string_agg(p.full_name, ',' ORDER BY e.waitlisted_at, e.id) FROM enrolments e JOIN classes c ON c.id = e.class_id
				JOIN people p ON p.id = e.person_id WHERE c.mode = 'in_person' AND e.status = 'waitlisted')`).
			Scan(&active, &waiting, &sessions, &order); err != nil {
			t.Fatal(err)
		}
		return
	}
	a, w, s, order := state()
	// Tuesdays and Thursdays of two weeks, fewer when a holiday falls on one.
	if a != 3 || w != 2 || s < 2 || s > 4 || order != "Nguyễn Thị Lan,Nguyễn Văn An" {
		t.Fatalf("seeded: %d active, %d waiting (%s), %d sessions", a, w, order, s)
	}
	if n, err := seedRosters(context.Background(), db, time.Now()); err != nil || n != 0 {
		t.Fatalf("seeded again: %d, %v", n, err)
	}
	if a2, w2, s2, o2 := state(); a2 != a || w2 != w || s2 != s || o2 != order {
		t.Fatalf("seeded twice: %d %d %d %s", a2, w2, s2, o2)
	}
}
