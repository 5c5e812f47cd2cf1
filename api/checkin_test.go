package api

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"densach/domain/attendance"
	"densach/domain/classes"
	"densach/storage/postgres"
)

// TestOpenAPICheckinSchemasMatchJSON: each check-in schema has exactly the
// JSON names of its Go type.
func TestOpenAPICheckinSchemasMatchJSON(t *testing.T) {
	doc := parseOpenAPI(t)
	checkSchemasMatch(t, doc, map[string]any{
		"CheckinRequest": checkinRequestJSON{}, "CheckinEntry": checkinEntryJSON{}, "CheckinCode": checkinCodeJSON{}, "CheckinResult": checkinResultJSON{},
	})
}

// TestCheckinOverHTTP: the teacher's code carries the link to the check-in
// page; a learner checks in with the code as typed (lower case, a dash),
// the teacher's count goes up, the register shows the mark's source, and a
// wrong code is refused with its Vietnamese message.
func TestCheckinOverHTTP(t *testing.T) {
	e := newTestEnv(t)
	w := e.w
	c := newAttendanceClass(t, e, w.CentreA1, w.TeacherA1.PersonID, []int{10}, "Lò Thị Ánh")
	e.exec(`INSERT INTO enrolments (person_id, course_id, version_id, class_id, status, source, enrolled_by)
		VALUES ($1, $2, $3, $4, 'active', 'self', $1)`, w.LearnerA1.PersonID, c.class.CourseID, c.class.VersionID, c.class.ID)
	at := time.Date(2026, 11, 10, 18, 50, 0, 0, classes.Zone)
	e.srv.Attendance = &attendance.Service{Store: postgres.NewAttendance(e.db), Classes: postgres.NewClasses(e.db), Checkins: postgres.NewCheckins(e.db),
		Now: func() time.Time { return at }}
	teacher, learner := e.token(w.TeacherA1), e.token(w.LearnerA1)
	path := fmt.Sprintf("/api/v1/sessions/%d/checkin-code", c.session)
	status, code := e.call("GET", path, teacher, nil)
	if status != 200 || code["checked_in"] != float64(0) || code["learners"] != float64(2) || code["step_seconds"] != float64(30) {
		t.Fatalf("code: %d %v", status, code)
	}
	if u, _ := code["url"].(string); !strings.HasSuffix(u, "/diem-danh?ma="+code["code"].(string)) {
		t.Fatalf("url %q", u)
	}
	status, out := e.call("POST", "/api/v1/checkin", learner, map[string]any{"code": "zzzz-zzzz"})
	if status != 422 || out["key"] != "checkin_code_wrong" || !strings.Contains(out["message"].(string), "Mã không đúng") {
		t.Fatalf("wrong code: %d %v", status, out)
	}
	typed := strings.ToLower(code["code"].(string)[:4] + "-" + code["code"].(string)[4:])
	status, out = e.call("POST", "/api/v1/checkin", learner, map[string]any{"code": typed})
	if status != 200 || out["already"] != false || out["session_id"] != float64(c.session) {
		t.Fatalf("check-in: %d %v", status, out)
	}
	if m := out["mark"].(map[string]any); m["status"] != "present" || m["source"] != "checkin" {
		t.Fatalf("mark %v", m)
	}
	if status, out = e.call("POST", "/api/v1/checkin", learner, map[string]any{"code": typed}); status != 200 || out["already"] != true {
		t.Fatalf("again: %d %v", status, out)
	}
	status, code = e.call("GET", path, teacher, nil)
	if status != 200 || code["checked_in"] != float64(1) {
		t.Fatalf("count: %d %v", status, code)
	}
	status, reg := e.call("GET", fmt.Sprintf("/api/v1/sessions/%d/attendance", c.session), teacher, nil)
	if status != 200 {
		t.Fatalf("register: %d %v", status, reg)
	}
	found := false
	for _, it := range reg["items"].([]any) {
		it := it.(map[string]any)
		if it["person_id"] == float64(w.LearnerA1.PersonID) {
			found = it["mark"].(map[string]any)["source"] == "checkin"
		}
	}
	if !found {
		t.Fatalf("register without the check-in: %v", reg)
	}
}
