package api

import (
	"context"
	"fmt"
	"testing"
	"time"

	"densach/domain/attendance"
	"densach/domain/classes"
	"densach/storage/postgres"
)

// TestAuthzOnlineJoin is the authorization table of the learner's join of
// an online session over HTTP, at 19:05 on 10 November 2026 while three
// online sessions run: one of a class of centre A1 that teacher A1 teaches
// and learner A1 learns in, one of another class of centre A1, one of a
// class of centre B1. Only the class's learner joins (and gets an online
// mark); those who see the session 403, others 404; a refusal records
// nothing.
func TestAuthzOnlineJoin(t *testing.T) {
	e := newTestEnv(t)
	w := e.w
	roles, tokens := authzCallers(e)
	otherTeacher := e.exec(`INSERT INTO people (full_name, given_name, sort_key, search_exact, search_folded, commune_id)
		VALUES ('Lò Văn Dạy', 'Dạy', 'day lo van', 'lò văn dạy', 'lo van day', $1) RETURNING id`, w.CommA1)
	e.exec(`INSERT INTO role_grants (person_id, role, centre_id) VALUES ($1, 'teacher', $2)`, otherTeacher, w.CentreA1)
	teacherB1 := e.exec(`INSERT INTO people (full_name, given_name, sort_key, search_exact, search_folded, commune_id)
		VALUES ('Quàng Thị Dạy', 'Dạy', 'day quang thi', 'quàng thị dạy', 'quang thi day', $1) RETURNING id`, w.CommB1)
	e.exec(`INSERT INTO role_grants (person_id, role, centre_id) VALUES ($1, 'teacher', $2)`, teacherB1, w.CentreB1)
	own := newAttendanceClass(t, e, w.CentreA1, w.TeacherA1.PersonID, nil, "Lò Thị Ánh")
	other := newAttendanceClass(t, e, w.CentreA1, otherTeacher, nil, "Hà Văn Dũng")
	foreign := newAttendanceClass(t, e, w.CentreB1, teacherB1, nil, "Vàng Thị Én")
	e.exec(`INSERT INTO enrolments (person_id, course_id, version_id, class_id, status, source, enrolled_by)
		VALUES ($1, $2, $3, $4, 'active', 'self', $1)`, w.LearnerA1.PersonID, own.class.CourseID, own.class.VersionID, own.class.ID)
	start := time.Date(2026, 11, 10, 19, 0, 0, 0, classes.Zone)
	sessionOf := map[int64]int64{}
	for _, c := range []attendanceClass{own, other, foreign} {
		e.exec(`UPDATE classes SET mode = 'blended' WHERE id = $1 RETURNING id`, c.class.ID)
		s, err := e.srv.Classes.AddSession(context.Background(), w.Admin, c.class.ID, classes.SessionInput{StartsAt: start, EndsAt: start.Add(90 * time.Minute),
			Mode: classes.ModeOnline, MeetingURL: "https://meet.jit.si/densach-lop"})
		if err != nil {
			t.Fatal(err)
		}
		sessionOf[c.class.ID] = s.ID
	}
	at := start.Add(5 * time.Minute)
	e.srv.Attendance = &attendance.Service{Store: postgres.NewAttendance(e.db), Classes: postgres.NewClasses(e.db), Online: postgres.NewOnline(e.db),
		Now: func() time.Time { return at }}

	// Columns: admin, officer A, officer A1, manager A1, teacher A1,
	// learner A1, manager B1, no token.
	targets := []struct {
		name string
		c    attendanceClass
		join [8]int
	}{
		{"own_class_A1", own, [8]int{403, 403, 403, 403, 403, 200, 404, 401}},
		{"other_class_A1", other, [8]int{403, 403, 403, 403, 403, 404, 404, 401}},
		{"foreign_centre_B1", foreign, [8]int{403, 404, 404, 404, 404, 404, 403, 401}},
	}
	for _, tg := range targets {
		for i := range roles {
			t.Run(tg.name+"/"+roles[i].name, func(t *testing.T) {
				before := e.exec(`SELECT count(*) FROM online_presence`)
				status, out := e.call("POST", fmt.Sprintf("/api/v1/sessions/%d/online-join", sessionOf[tg.c.class.ID]), tokens[i], nil)
				if status != tg.join[i] {
					t.Fatalf("%d %v, want %d", status, out, tg.join[i])
				}
				if status != 200 && e.exec(`SELECT count(*) FROM online_presence`) != before {
					t.Fatal("refused, yet presence recorded")
				}
				if status == 200 {
					mark, _ := out["mark"].(map[string]any)
					if out["meeting_url"] != "https://meet.jit.si/densach-lop" || mark == nil || mark["source"] != "online" || mark["status"] != "present" {
						t.Fatalf("answer %v", out)
					}
				}
			})
		}
	}
	if n := e.exec(`SELECT count(*) FROM attendance_marks WHERE source = 'online'`); n != 1 {
		t.Fatalf("%d online marks, want 1", n)
	}
}
