package main

import (
	"context"
	"testing"
	"time"

	"densach/domain/attendance"
	"densach/domain/classes"
	"densach/storage/postgres"
)

// TestSeedDemoAttendance checks what `make run` shows of attendance, through
// the use cases the screens call: each demo class has held sessions (it
// began the week before), every one of them marked; in the blended class
// the manager's grid flags Nguyễn Văn An at risk (absent every time) and
// shows Lò Thị Thủy's check-in at the last held session (source checkin,
// marked by herself); the others are fine. Seeded again, nothing changes.
func TestSeedDemoAttendance(t *testing.T) {
	// The seed's clock and the test's are one: a session that begins
	// between the seed and the checks would be held but unmarked.
	checkDemoAttendance(t, pinSeedClock(t, time.Now()))
}

// TestSeedDemoAttendanceAtAwkwardHours: the demo seeded (and its grids
// read) at the hours the browser tests depend on, in this week of
// Vietnam's: while the blended class's Monday session has just begun and
// the tea class's Tuesday session is under way (each checked in to or
// marked as it is), a minute either side of midnight (00:01 is the day
// before in UTC), and the week's last minute.
func TestSeedDemoAttendanceAtAwkwardHours(t *testing.T) {
	monday := weekOf(time.Now())
	at := func(day, h, m int) time.Time {
		return monday.AddDate(0, 0, day).Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute)
	}
	for _, c := range []struct {
		name string
		at   time.Time
	}{
		{"Monday 18:31", at(0, 18, 31)},
		{"Monday 23:59", at(0, 23, 59)},
		{"Tuesday 00:01", at(1, 0, 1)},
		{"Tuesday 08:05", at(1, 8, 5)},
		{"Sunday 23:59", at(6, 23, 59)},
	} {
		t.Run(c.name, func(t *testing.T) { checkDemoAttendance(t, pinSeedClock(t, c.at)) })
	}
}

// checkDemoAttendance seeds the demo with its clock at now and checks its
// attendance as the screens show it then.
func checkDemoAttendance(t *testing.T, now time.Time) {
	t.Helper()
	db, _, _ := seededDemo(t, false)
	ctx := context.Background()
	svc := &attendance.Service{Store: postgres.NewAttendance(db), Classes: postgres.NewClasses(db), Now: func() time.Time { return now }}
	tanPhong, doanKet := demoSignIn(t, db, "0901000004"), demoSignIn(t, db, "0901000007")

	classID := func(title string) int64 {
		t.Helper()
		var id int64
		if err := db.SQL().QueryRow(`SELECT id FROM classes WHERE title = $1`, title).Scan(&id); err != nil {
			t.Fatal(err)
		}
		return id
	}
	for _, dc := range demoClasses {
		manager := tanPhong
		if dc.centre == centreDoanKet {
			manager = doanKet
		}
		g, err := svc.ClassGrid(ctx, manager, classID(dc.title))
		if err != nil {
			t.Fatal(err)
		}
		if !g.Editable || !g.WeightsEditable {
			t.Errorf("%s: the manager may not edit the grid (%v) or the weights (%v)", dc.title, g.Editable, g.WeightsEditable)
		}
		var held []int64
		for _, s := range g.Sessions {
			if s.Status != classes.SessionCancelled && s.StartsAt.Before(now) {
				held = append(held, s.ID)
			}
		}
		if len(held) < 2 {
			t.Fatalf("%s: %d held sessions, want the week before's at least", dc.title, len(held))
		}
		last := held[len(held)-1]
		for _, l := range g.Learners {
			for _, id := range held {
				if _, ok := l.Marks[id]; !ok {
					t.Errorf("%s: %s unmarked at held session %d", dc.title, l.Name, id)
				}
			}
			if l.Rate.Upcoming == 0 || l.Rate.Held != len(held) {
				t.Errorf("%s: %s's rate %+v (held %d)", dc.title, l.Name, l.Rate, len(held))
			}
			atRisk := l.Name == "Nguyễn Văn An" && dc.title == demoClassTitle
			if (l.Rate.AtRisk != "") != atRisk {
				t.Errorf("%s: %s at risk %q", dc.title, l.Name, l.Rate.AtRisk)
			}
			if atRisk && (l.Rate.Rate == nil || *l.Rate.Rate != 0) {
				t.Errorf("%s: the at-risk learner's rate %+v", dc.title, l.Rate)
			}
			m := l.Marks[last]
			checkin := l.Name == "Lò Thị Thủy" && dc.title == demoClassTitle
			if (m.Source == attendance.SourceCheckin) != checkin {
				t.Errorf("%s: %s's last mark %+v", dc.title, l.Name, m)
			}
			if checkin && (m.Status != attendance.Present || m.MarkedBy != l.PersonID) {
				t.Errorf("the check-in %+v", m)
			}
			if !checkin && (m.Source != attendance.SourceManual || m.MarkedBy != g.Class.Teachers[0].PersonID) {
				t.Errorf("%s: %s's last mark %+v, want the teacher's", dc.title, l.Name, m)
			}
		}
	}
	// One late (with a note) in the tea class, one excused in the Shan tuyết
	// class: the grid has every status but one to show.
	var late, excused int
	if err := db.SQL().QueryRow(`SELECT count(*) FILTER (WHERE status = 'late' AND note <> ''), count(*) FILTER (WHERE status = 'excused' AND note <> '')
		FROM attendance_marks`).Scan(&late, &excused); err != nil {
		t.Fatal(err)
	}
	if late != 1 || excused != 1 {
		t.Errorf("%d late, %d excused", late, excused)
	}
	var marks0, events0 int
	count := func() (marks, events int) {
		if err := db.SQL().QueryRow(`SELECT (SELECT count(*) FROM attendance_marks), (SELECT count(*) FROM attendance_events)`).Scan(&marks, &events); err != nil {
			t.Fatal(err)
		}
		return
	}
	marks0, events0 = count()
	if n, err := seedAttendance(ctx, db, now); err != nil || n != 0 {
		t.Fatalf("seeded again: %d, %v", n, err)
	}
	if m, e := count(); m != marks0 || e != events0 {
		t.Errorf("seeded twice: %d marks, %d events; were %d, %d", m, e, marks0, events0)
	}
}
