package api

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// A learner may follow a course online and in one of its classes: the
// course's learners then list two lines for them, and each line (and the
// export) says which enrolment it is.
func TestCourseLearnersNameTheirClass(t *testing.T) {
	e := newTestEnv(t)
	w := e.w
	d := publishedCourse(t, e, w.CentreA1)
	name := "Hoàng Thị Mai"
	p := e.exec(`INSERT INTO people (full_name, given_name, sort_key, search_exact, search_folded, commune_id)
		VALUES ($1, 'Mai', convert_to($1, 'UTF8'), 'x', 'x', $2) RETURNING id`, name, w.CommA1)
	if _, err := e.srv.Enrolments.Enrol(context.Background(), w.Admin, d.ID, p); err != nil {
		t.Fatal(err)
	}
	class := e.exec(`INSERT INTO classes (centre_id, course_id, version_id, title, mode, capacity, starts_on, ends_on, meeting_url, status, created_by)
		SELECT $1, id, published_version_id, 'Lớp tối thứ Hai', 'blended', 20, '2026-11-01', '2026-12-31', 'https://meet.example.org/x', 'running', $2
		FROM courses WHERE id = $3 RETURNING id`, w.CentreA1, w.Admin.PersonID, d.ID)
	e.exec(`INSERT INTO enrolments (person_id, course_id, version_id, class_id, status, source, enrolled_by)
		SELECT $1, id, published_version_id, $2, 'active', 'staff', $3 FROM courses WHERE id = $4 RETURNING id`, p, class, w.Admin.PersonID, d.ID)

	tok := e.token(w.ManagerA1)
	status, out := e.call("GET", fmt.Sprintf("/api/v1/courses/%d/learners", d.ID), tok, nil)
	if status != 200 {
		t.Fatalf("%d %v", status, out)
	}
	var online, inClass int
	for _, it := range out["items"].([]any) {
		l := it.(map[string]any)
		if l["person_name"] != name {
			continue
		}
		switch {
		case l["class_id"] == nil && l["class_title"] == nil:
			online++
		case l["class_id"] == float64(class) && l["class_title"] == "Lớp tối thứ Hai":
			inClass++
		default:
			t.Fatalf("a line that says neither: %v", l)
		}
	}
	if online != 1 || inClass != 1 {
		t.Fatalf("online %d, in the class %d: %v", online, inClass, out["items"])
	}

	status, header, raw := e.raw(fmt.Sprintf("/api/v1/courses/%d/learners.csv", d.ID), tok)
	if status != 200 || !strings.HasPrefix(header.Get("Content-Type"), "text/csv") {
		t.Fatalf("%d %s: %s", status, header.Get("Content-Type"), raw)
	}
	lines := strings.Split(strings.TrimSuffix(strings.TrimPrefix(string(raw), "\ufeff"), "\r\n"), "\r\n")
	want := []string{"Họ và tên;Trạng thái;Lớp;", name + ";Đang học;Tự học trực tuyến;", name + ";Đang học;Lớp tối thứ Hai;"}
	for _, prefix := range want {
		if !slices.ContainsFunc(lines, func(l string) bool { return strings.HasPrefix(l, prefix) }) {
			t.Fatalf("no line starts %q: %q", prefix, lines)
		}
	}
}
