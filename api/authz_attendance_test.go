package api

import (
	"context"
	"fmt"
	"testing"
	"time"

	"densach/domain/classes"
)

// attendanceClass is a class with one session held on 10 November 2026 and
// learners enrolled, made through the use cases (as the administrator).
type attendanceClass struct {
	class    classes.Class
	session  int64
	learners []int64
}

// newAttendanceClass creates a running class at a centre taught by teacher,
// with a session on day (of November 2026, 19:00 in Vietnam) and learners
// enrolled (plain SQL: the roster's use case is another branch's).
func newAttendanceClass(t *testing.T, e *testEnv, centre, teacher int64, days []int, learners ...string) attendanceClass {
	t.Helper()
	ctx := context.Background()
	w := e.w
	cs := e.srv.Classes
	d := publishedCourse(t, e, centre)
	v, err := cs.CreateVenue(ctx, w.Admin, classes.VenueInput{CentreID: centre, Name: fmt.Sprintf("Nhà văn hoá %d", len(learners)*1000+len(days)+int(teacher)), Capacity: 40})
	if err != nil {
		t.Fatal(err)
	}
	in := classes.ClassInput{CentreID: centre, CourseID: d.ID, Title: "Lớp kỹ năng số", Mode: classes.ModeInPerson, VenueID: v.ID, Capacity: 40,
		StartsOn: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), EndsOn: time.Date(2027, 1, 31, 0, 0, 0, 0, time.UTC), TeacherIDs: []int64{teacher}}
	c, err := cs.CreateClass(ctx, w.Admin, in)
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range []classes.Status{classes.StatusOpen, classes.StatusRunning} {
		in.Status = st
		if c, err = cs.UpdateClass(ctx, w.Admin, c.ID, in); err != nil {
			t.Fatal(err)
		}
	}
	out := attendanceClass{class: c}
	for i, day := range days {
		at := time.Date(2026, 11, day, 19, 0, 0, 0, classes.Zone)
		if day > 30 {
			at = time.Date(2027, 1, day-30, 19, 0, 0, 0, classes.Zone) // a session to come
		}
		s, err := cs.AddSession(ctx, w.Admin, c.ID, classes.SessionInput{StartsAt: at, EndsAt: at.Add(90 * time.Minute), Mode: classes.ModeInPerson, VenueID: v.ID})
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			out.session = s.ID
		}
	}
	commune := w.CommA1
	if centre == w.CentreB1 {
		commune = w.CommB1
	}
	for _, name := range learners {
		p := e.exec(`INSERT INTO people (full_name, given_name, sort_key, search_exact, search_folded, commune_id)
			VALUES ($1, 'x', 'x', 'x', 'x', $2) RETURNING id`, name, commune)
		e.exec(`INSERT INTO enrolments (person_id, course_id, version_id, class_id, status, source, enrolled_by)
			VALUES ($1, $2, $3, $4, 'active', 'staff', $5)`, p, c.CourseID, c.VersionID, c.ID, w.Admin.PersonID)
		out.learners = append(out.learners, p)
	}
	return out
}

func batchOf(learners []int64, status string, version int) map[string]any {
	marks := make([]map[string]any, len(learners))
	for i, l := range learners {
		marks[i] = map[string]any{"person_id": l, "status": status, "version": version}
	}
	return map[string]any{"device": "Điện thoại Android", "marks": marks}
}

// TestAuthzAttendance is the authorization table of the attendance
// endpoints over HTTP: every role on a class of centre A1 that teacher A1
// teaches, on another class of centre A1 (teacher A1 teaches another class
// there) and on a class of centre B1 (foreign).
func TestAuthzAttendance(t *testing.T) {
	e := newTestEnv(t)
	w := e.w
	roles, tokens := authzCallers(e)
	otherTeacher := e.exec(`INSERT INTO people (full_name, given_name, sort_key, search_exact, search_folded, commune_id)
		VALUES ('Lò Văn Dạy', 'Dạy', 'day lo van', 'lò văn dạy', 'lo van day', $1) RETURNING id`, w.CommA1)
	e.exec(`INSERT INTO role_grants (person_id, role, centre_id) VALUES ($1, 'teacher', $2)`, otherTeacher, w.CentreA1)
	teacherB1 := e.exec(`INSERT INTO people (full_name, given_name, sort_key, search_exact, search_folded, commune_id)
		VALUES ('Quàng Thị Dạy', 'Dạy', 'day quang thi', 'quàng thị dạy', 'quang thi day', $1) RETURNING id`, w.CommB1)
	e.exec(`INSERT INTO role_grants (person_id, role, centre_id) VALUES ($1, 'teacher', $2)`, teacherB1, w.CentreB1)
	own := newAttendanceClass(t, e, w.CentreA1, w.TeacherA1.PersonID, []int{10}, "Lò Thị Ánh", "Đỗ Văn Bình")
	other := newAttendanceClass(t, e, w.CentreA1, otherTeacher, []int{12}, "Hà Văn Dũng")
	foreign := newAttendanceClass(t, e, w.CentreB1, teacherB1, []int{14}, "Vàng Thị Én")
	// The learner of the table is enrolled in the own class: a learner
	// still does not see the register of the others.
	e.exec(`INSERT INTO enrolments (person_id, course_id, version_id, class_id, status, source, enrolled_by)
		VALUES ($1, $2, $3, $4, 'active', 'self', $1)`, w.LearnerA1.PersonID, own.class.CourseID, own.class.VersionID, own.class.ID)

	// Columns: admin, officer A, officer A1, manager A1, teacher A1,
	// learner A1, manager B1, no token.
	var (
		readsA1 = [8]int{200, 200, 200, 200, 200, 404, 404, 401}
		readsB1 = [8]int{200, 404, 404, 404, 404, 404, 200, 401}
		marksA1 = [8]int{200, 403, 403, 200, 200, 404, 404, 401}
		// Teacher A1 sees the other class of the centre but does not teach it.
		marksOther = [8]int{200, 403, 403, 200, 403, 404, 404, 401}
		runsA1     = [8]int{200, 403, 403, 200, 403, 404, 404, 401}
		runsB1     = readsB1
		everyone   = [8]int{200, 200, 200, 200, 200, 200, 200, 401}
	)
	type target struct {
		name   string
		c      attendanceClass
		centre int64
	}
	type row struct {
		name string
		call func(tg target) (method, path string, body any)
		// want per target: own, other, foreign
		want [3][8]int
	}
	rows := []row{
		{"mark_session", func(tg target) (string, string, any) {
			return "POST", fmt.Sprintf("/api/v1/sessions/%d/attendance", tg.c.session), batchOf(tg.c.learners, "present", 0)
		}, [3][8]int{marksA1, marksOther, readsB1}},
		{"session_register", func(tg target) (string, string, any) {
			return "GET", fmt.Sprintf("/api/v1/sessions/%d/attendance", tg.c.session), nil
		}, [3][8]int{readsA1, readsA1, readsB1}},
		{"session_history", func(tg target) (string, string, any) {
			return "GET", fmt.Sprintf("/api/v1/sessions/%d/attendance/history", tg.c.session), nil
		}, [3][8]int{readsA1, readsA1, readsB1}},
		{"class_grid", func(tg target) (string, string, any) {
			return "GET", fmt.Sprintf("/api/v1/classes/%d/attendance", tg.c.class.ID), nil
		}, [3][8]int{readsA1, readsA1, readsB1}},
		{"weights", func(tg target) (string, string, any) {
			return "GET", fmt.Sprintf("/api/v1/centres/%d/attendance-weights", tg.centre), nil
		}, [3][8]int{readsA1, readsA1, readsB1}},
		{"set_weights", func(tg target) (string, string, any) {
			return "PUT", fmt.Sprintf("/api/v1/centres/%d/attendance-weights", tg.centre), map[string]any{"present": 1, "late": 0.75, "excused": 0.5, "absent": 0}
		}, [3][8]int{runsA1, runsA1, runsB1}},
		{"my_attendance", func(tg target) (string, string, any) { return "GET", "/api/v1/me/attendance", nil }, [3][8]int{everyone, everyone, everyone}},
	}
	targets := []target{{"own_class_A1", own, w.CentreA1}, {"other_class_A1", other, w.CentreA1}, {"foreign_centre_B1", foreign, w.CentreB1}}
	for _, r := range rows {
		for ti, tg := range targets {
			for i := range roles {
				t.Run(r.name+"/"+tg.name+"/"+roles[i].name, func(t *testing.T) {
					before := e.exec(`SELECT count(*) FROM attendance_events`)
					method, path, body := r.call(tg)
					status, out := e.call(method, path, tokens[i], body)
					if status != r.want[ti][i] {
						t.Fatalf("%s %s: %d %v, want %d", method, path, status, out, r.want[ti][i])
					}
					if status != 200 && e.exec(`SELECT count(*) FROM attendance_events`) != before {
						t.Fatal("refused, yet a mark changed")
					}
				})
			}
		}
	}
	// What was stored: every class's learners present once (later batches
	// were equal, so they changed nothing).
	if n := e.exec(`SELECT count(*) FROM attendance_events`); n != 4 {
		t.Fatalf("%d history rows, want 4", n)
	}
	// Weights were set by the managers and the administrator only.
	if n := e.exec(`SELECT count(*) FROM attendance_weights WHERE late = 0.75`); n != 2 {
		t.Fatalf("%d centres with new weights, want 2", n)
	}
}
