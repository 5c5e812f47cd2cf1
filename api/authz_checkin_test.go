package api

import (
	"fmt"
	"testing"
	"time"

	"densach/domain/attendance"
	"densach/domain/classes"
	"densach/storage/postgres"
)

// TestAuthzCheckin is the authorization table of the self check-in over
// HTTP, on the evening of 10 November 2026 while three sessions run: one of
// a class of centre A1 that teacher A1 teaches (learner A1 is its learner),
// one of another class of centre A1, one of a class of centre B1. The
// teacher's code: those who mark the session. The check-in with each
// session's code: only its class's learners; a learner whose own session
// is open is told the code is another session's.
func TestAuthzCheckin(t *testing.T) {
	e := newTestEnv(t)
	w := e.w
	roles, tokens := authzCallers(e)
	otherTeacher := e.exec(`INSERT INTO people (full_name, given_name, sort_key, search_exact, search_folded, commune_id)
		VALUES ('Lò Văn Dạy', 'Dạy', 'day lo van', 'lò văn dạy', 'lo van day', $1) RETURNING id`, w.CommA1)
	e.exec(`INSERT INTO role_grants (person_id, role, centre_id) VALUES ($1, 'teacher', $2)`, otherTeacher, w.CentreA1)
	teacherB1 := e.exec(`INSERT INTO people (full_name, given_name, sort_key, search_exact, search_folded, commune_id)
		VALUES ('Quàng Thị Dạy', 'Dạy', 'day quang thi', 'quàng thị dạy', 'quang thi day', $1) RETURNING id`, w.CommB1)
	e.exec(`INSERT INTO role_grants (person_id, role, centre_id) VALUES ($1, 'teacher', $2)`, teacherB1, w.CentreB1)
	own := newAttendanceClass(t, e, w.CentreA1, w.TeacherA1.PersonID, []int{10}, "Lò Thị Ánh")
	other := newAttendanceClass(t, e, w.CentreA1, otherTeacher, []int{10}, "Hà Văn Dũng")
	foreign := newAttendanceClass(t, e, w.CentreB1, teacherB1, []int{10}, "Vàng Thị Én")
	e.exec(`INSERT INTO enrolments (person_id, course_id, version_id, class_id, status, source, enrolled_by)
		VALUES ($1, $2, $3, $4, 'active', 'self', $1)`, w.LearnerA1.PersonID, own.class.CourseID, own.class.VersionID, own.class.ID)
	// 19:10 on 10 November in Vietnam: the three sessions run.
	at := time.Date(2026, 11, 10, 19, 10, 0, 0, classes.Zone)
	e.srv.Attendance = &attendance.Service{Store: postgres.NewAttendance(e.db), Classes: postgres.NewClasses(e.db), Checkins: postgres.NewCheckins(e.db),
		Now: func() time.Time { return at }}

	// Columns: admin, officer A, officer A1, manager A1, teacher A1,
	// learner A1, manager B1, no token.
	codeOf := map[int64]string{}
	var (
		codeOwn     = [8]int{200, 403, 403, 200, 200, 404, 404, 401}
		codeOther   = [8]int{200, 403, 403, 200, 403, 404, 404, 401}
		codeForeign = [8]int{200, 404, 404, 404, 404, 404, 200, 401}
		// Nobody but the class's learner checks in; learner A1, whose own
		// session runs, is told a foreign code is another session's.
		checkinOwn    = [8]int{403, 403, 403, 403, 403, 200, 403, 401}
		checkinOthers = [8]int{403, 403, 403, 403, 403, 409, 403, 401}
	)
	targets := []struct {
		name          string
		c             attendanceClass
		code, checkin [8]int
	}{
		{"own_class_A1", own, codeOwn, checkinOwn},
		{"other_class_A1", other, codeOther, checkinOthers},
		{"foreign_centre_B1", foreign, codeForeign, checkinOthers},
	}
	// The class's own teacher (or manager) opens each code first.
	for _, tg := range targets {
		var tok string
		switch tg.c.class.ID {
		case own.class.ID:
			tok = tokens[4]
		case other.class.ID:
			tok = tokens[3]
		default:
			tok = tokens[6]
		}
		status, out := e.call("GET", fmt.Sprintf("/api/v1/sessions/%d/checkin-code", tg.c.session), tok, nil)
		if status != 200 {
			t.Fatalf("%s: %d %v", tg.name, status, out)
		}
		codeOf[tg.c.session] = out["code"].(string)
	}
	for _, tg := range targets {
		for i := range roles {
			t.Run("checkin_code/"+tg.name+"/"+roles[i].name, func(t *testing.T) {
				status, out := e.call("GET", fmt.Sprintf("/api/v1/sessions/%d/checkin-code", tg.c.session), tokens[i], nil)
				if status != tg.code[i] {
					t.Fatalf("%d %v, want %d", status, out, tg.code[i])
				}
				if status == 200 && out["code"] != codeOf[tg.c.session] {
					t.Fatalf("code %v, want %s", out["code"], codeOf[tg.c.session])
				}
			})
			t.Run("checkin/"+tg.name+"/"+roles[i].name, func(t *testing.T) {
				before := e.exec(`SELECT count(*) FROM attendance_events`)
				status, out := e.call("POST", "/api/v1/checkin", tokens[i], map[string]any{"code": codeOf[tg.c.session]})
				if status != tg.checkin[i] {
					t.Fatalf("%d %v, want %d", status, out, tg.checkin[i])
				}
				if status != 200 && e.exec(`SELECT count(*) FROM attendance_events`) != before {
					t.Fatal("refused, yet a mark changed")
				}
			})
		}
	}
	// Stored: learner A1 checked in to the own session, once, as a check-in.
	if n := e.exec(`SELECT count(*) FROM attendance_marks WHERE source = 'checkin' AND person_id = $1 AND session_id = $2`, w.LearnerA1.PersonID, own.session); n != 1 {
		t.Fatalf("%d check-in marks, want 1", n)
	}
	if n := e.exec(`SELECT count(*) FROM attendance_events`); n != 1 {
		t.Fatalf("%d history rows, want 1", n)
	}
}
