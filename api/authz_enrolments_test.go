package api

import (
	"context"
	"fmt"
	"io"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"densach/domain"
	"densach/domain/courses"
)

// TestAuthzEnrolments is the authorization table of the enrolment endpoints
// over HTTP: every role on a published online course of centre A1 (own
// scope) and of centre B1 (foreign), on the enrolment of another learner of
// the course's centre and on the caller's own. A learner never reads or
// writes another learner's progress.
func TestAuthzEnrolments(t *testing.T) {
	e := newTestEnv(t)
	w := e.w
	ctx := context.Background()
	roles, tokens := authzCallers(e)
	type course struct{ id, lesson, commune int64 }
	publish := func(centre, commune int64) course {
		t.Helper()
		cs := e.srv.Courses
		d, err := cs.Create(ctx, w.Admin, courses.NewCourse{CentreID: centre, Details: courses.Details{Title: "Kỹ năng số", Category: "digital_skills", Mode: courses.ModeOnline}})
		if err != nil {
			t.Fatal(err)
		}
		m, _ := cs.AddModule(ctx, w.Admin, d.ID, "Chương 1")
		if _, err := cs.AddLesson(ctx, w.Admin, m.ID, courses.LessonInput{Kind: courses.KindText, Title: "Bài 1", BodyMD: "Nội dung", Required: true}); err != nil {
			t.Fatal(err)
		}
		if _, err := cs.Publish(ctx, w.Admin, d.ID); err != nil {
			t.Fatal(err)
		}
		lesson := e.exec(`SELECT l.id FROM lessons l JOIN courses c ON c.published_version_id = l.version_id WHERE c.id = $1`, d.ID)
		return course{d.ID, lesson, commune}
	}
	a1, b1 := publish(w.CentreA1, w.CommA1), publish(w.CentreB1, w.CommB1)
	n := 0
	// resident is a new person of the commune (no account): someone to enrol.
	resident := func(commune int64) int64 {
		n++
		name := fmt.Sprintf("Lò Thị Mai %d", n)
		return e.exec(`INSERT INTO people (full_name, given_name, sort_key, search_exact, search_folded, commune_id)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
			name, domain.GivenName(name), domain.NameSortKey(name), domain.LowerForSearch(name), domain.FoldForSearch(name), commune)
	}
	// theirs enrols a new resident of the course's commune (by the administrator).
	theirs := func(c course) int64 {
		t.Helper()
		en, err := e.srv.Enrolments.Enrol(ctx, w.Admin, c.id, resident(c.commune))
		if err != nil {
			t.Fatal(err)
		}
		return en.ID
	}
	aTheirs, bTheirs := theirs(a1), theirs(b1)
	progress := func(c course) map[string]any {
		return map[string]any{"events": []any{map[string]any{"lesson_id": c.lesson, "at": time.Now().UTC().Add(-time.Minute).Format(time.RFC3339), "kind": "complete"}}}
	}
	// Columns: admin, officer A, officer A1, manager A1, teacher A1,
	// learner A1, manager B1, no token.
	type row struct {
		name   string
		call   func(c course, enrolment int64) (method, path string, body any)
		a1, b1 [8]int
	}
	rows := []row{
		{"enrol_other", func(c course, _ int64) (string, string, any) {
			return "POST", fmt.Sprintf("/api/v1/courses/%d/enrolments", c.id), map[string]any{"person_id": resident(c.commune)}
		}, [8]int{201, 403, 403, 201, 201, 404, 404, 401}, [8]int{201, 404, 404, 404, 404, 404, 201, 401}},
		{"get_other", func(_ course, id int64) (string, string, any) {
			return "GET", fmt.Sprintf("/api/v1/enrolments/%d", id), nil
		},
			[8]int{200, 200, 200, 200, 200, 404, 404, 401}, [8]int{200, 404, 404, 404, 404, 404, 200, 401}},
		{"progress_other", func(c course, id int64) (string, string, any) {
			return "POST", fmt.Sprintf("/api/v1/enrolments/%d/progress", id), progress(c)
		}, [8]int{403, 403, 403, 403, 403, 404, 404, 401}, [8]int{403, 404, 404, 404, 404, 404, 403, 401}},
		{"learners", func(c course, _ int64) (string, string, any) {
			return "GET", fmt.Sprintf("/api/v1/courses/%d/learners", c.id), nil
		},
			[8]int{200, 200, 200, 200, 200, 403, 404, 401}, [8]int{200, 404, 404, 404, 404, 404, 200, 401}},
		{"learners_csv", func(c course, _ int64) (string, string, any) {
			return "GET", fmt.Sprintf("/api/v1/courses/%d/learners.csv?sort=score", c.id), nil
		}, [8]int{200, 200, 200, 200, 200, 403, 404, 401}, [8]int{200, 404, 404, 404, 404, 404, 200, 401}},
		{"withdraw_other", func(c course, _ int64) (string, string, any) {
			return "POST", fmt.Sprintf("/api/v1/enrolments/%d/withdraw", theirs(c)), map[string]any{"reason": "Chuyển đi nơi khác"}
		}, [8]int{200, 403, 403, 200, 200, 404, 404, 401}, [8]int{200, 404, 404, 404, 404, 404, 200, 401}},
		// One's own: enrol, read, record, withdraw (in that order).
		{"enrol_self", func(c course, _ int64) (string, string, any) {
			return "POST", fmt.Sprintf("/api/v1/courses/%d/enrolments", c.id), nil
		}, [8]int{201, 201, 201, 201, 201, 201, 404, 401}, [8]int{201, 404, 404, 404, 404, 404, 201, 401}},
	}
	for _, r := range rows {
		for _, tg := range []struct {
			name      string
			c         course
			enrolment int64
			want      [8]int
		}{{"centre_A1", a1, aTheirs, r.a1}, {"foreign_centre_B1", b1, bTheirs, r.b1}} {
			for i := range roles {
				t.Run(r.name+"/"+tg.name+"/"+roles[i].name, func(t *testing.T) {
					method, path, body := r.call(tg.c, tg.enrolment)
					status, out := e.call(method, path, tokens[i], body)
					if status != tg.want[i] {
						t.Fatalf("%s %s: %d %v, want %d", method, path, status, out, tg.want[i])
					}
					if r.name != "enrol_self" || status != 201 {
						return
					}
					own := int64(out["id"].(float64))
					if st, out := e.call("POST", path, tokens[i], nil); st != 409 {
						t.Fatalf("enrolled twice: %d %v", st, out)
					}
					if st, out := e.call("GET", fmt.Sprintf("/api/v1/enrolments/%d", own), tokens[i], nil); st != 200 {
						t.Fatalf("get own: %d %v", st, out)
					}
					if st, out := e.call("POST", fmt.Sprintf("/api/v1/enrolments/%d/progress", own), tokens[i], progress(tg.c)); st != 200 {
						t.Fatalf("record own: %d %v", st, out)
					}
					if st, out := e.call("POST", fmt.Sprintf("/api/v1/enrolments/%d/withdraw", own), tokens[i], map[string]any{"reason": ""}); st != 200 {
						t.Fatalf("withdraw own: %d %v", st, out)
					}
				})
			}
		}
	}
	// My enrolments: every signed-in caller, only their own.
	for i := range roles {
		status, out := e.call("GET", "/api/v1/me/enrolments", tokens[i], nil)
		if roles[i].p == nil {
			if status != 401 {
				t.Errorf("no token: %d", status)
			}
			continue
		}
		if status != 200 {
			t.Fatalf("%s: %d %v", roles[i].name, status, out)
		}
		for _, it := range out["items"].([]any) {
			if pid := int64(it.(map[string]any)["person_id"].(float64)); pid != roles[i].p.PersonID {
				t.Errorf("%s lists the enrolment of person %d", roles[i].name, pid)
			}
		}
	}
	// Nothing the learner tried wrote another learner's progress.
	if n := e.exec(`SELECT count(*) FROM lesson_progress WHERE enrolment_id IN ($1, $2)`, aTheirs, bTheirs); n != 0 {
		t.Fatalf("%d progress rows written on others' enrolments", n)
	}
}

// TestCourseLearnersScores lists a course's learners with their quiz
// scores, sorted by score, and exports them as a formula-safe CSV.
func TestCourseLearnersScores(t *testing.T) {
	e := newTestEnv(t)
	w := e.w
	ctx := context.Background()
	cs := e.srv.Courses
	d, err := cs.Create(ctx, w.Admin, courses.NewCourse{CentreID: w.CentreA1, Details: courses.Details{Title: "Kỹ năng số", Category: "digital_skills", Mode: courses.ModeOnline}})
	if err != nil {
		t.Fatal(err)
	}
	m, _ := cs.AddModule(ctx, w.Admin, d.ID, "Chương 1")
	if _, err := cs.AddLesson(ctx, w.Admin, m.ID, courses.LessonInput{Kind: courses.KindQuiz, Title: "Kiểm tra cuối khóa", Required: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := cs.Publish(ctx, w.Admin, d.ID); err != nil {
		t.Fatal(err)
	}
	quiz := e.exec(`SELECT l.id FROM lessons l JOIN courses c ON c.published_version_id = l.version_id WHERE c.id = $1`, d.ID)
	person := func(name string) int64 {
		return e.exec(`INSERT INTO people (full_name, given_name, sort_key, search_exact, search_folded, commune_id)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
			name, domain.GivenName(name), domain.NameSortKey(name), domain.LowerForSearch(name), domain.FoldForSearch(name), w.CommA1)
	}
	attempt := func(enrolment int64, number int, score float64) {
		e.exec(`INSERT INTO quiz_attempts (enrolment_id, lesson_id, number, started_at, submitted_at, layout, question_count, correct_count, score, passed)
			VALUES ($1, $2, $3::int, now() - make_interval(mins => 60 - $3::int), now() - make_interval(mins => 60 - $3::int), '[]', 4, 0, $4::numeric, $4::numeric >= 70) RETURNING id`,
			enrolment, quiz, number, score)
	}
	names := []string{"Nguyễn Văn An", "=HYPERLINK(\"http://x\")", "Lò Thị Bình"}
	scores := [][]float64{{90, 60}, {}, {50}}
	for i, name := range names {
		en, err := e.srv.Enrolments.Enrol(ctx, w.Admin, d.ID, person(name))
		if err != nil {
			t.Fatal(err)
		}
		for j, s := range scores[i] {
			attempt(en.ID, j+1, s)
		}
	}
	tok := e.token(w.ManagerA1)
	status, out := e.call("GET", fmt.Sprintf("/api/v1/courses/%d/learners?sort=score&order=desc", d.ID), tok, nil)
	if status != 200 {
		t.Fatalf("%d %v", status, out)
	}
	items := out["items"].([]any)
	first := items[0].(map[string]any)
	q := first["quizzes"].([]any)[0].(map[string]any)
	if first["person_name"] != "Nguyễn Văn An" || first["score"] != 90.0 || q["best"] != 90.0 || q["latest"] != 60.0 || q["attempts"] != 2.0 || q["passed"] != true {
		t.Fatalf("first by score: %v", first)
	}
	if last := items[2].(map[string]any); last["score"] != nil || len(last["quizzes"].([]any)) != 0 {
		t.Fatalf("last by score: %v", last)
	}
	if ql := out["quiz_lessons"].([]any); len(ql) != 1 || ql[0].(map[string]any)["title"] != "Kiểm tra cuối khóa" {
		t.Fatalf("quiz lessons: %v", ql)
	}
	// Paging by score keeps the order across pages.
	var got []string
	cursor := ""
	for {
		_, page := e.call("GET", fmt.Sprintf("/api/v1/courses/%d/learners?sort=score&page_size=1%s", d.ID, cursor), tok, nil)
		for _, it := range page["items"].([]any) {
			got = append(got, it.(map[string]any)["person_name"].(string))
		}
		next, _ := page["next_cursor"].(string)
		if next == "" {
			break
		}
		cursor = "&cursor=" + next
	}
	if strings.Join(got, "|") != names[1]+"|Lò Thị Bình|Nguyễn Văn An" {
		t.Fatalf("by score ascending: %q", got)
	}
	// The export: BOM, semicolons, the quiz columns, the formula neutralised.
	req := httptest.NewRequest("GET", fmt.Sprintf("/api/v1/courses/%d/learners.csv", d.ID), nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := e.srv.App().Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	body := string(raw)
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") || !strings.HasPrefix(body, "\ufeffHọ và tên;") {
		t.Fatalf("%d %s: %q", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	lines := strings.Split(strings.TrimSuffix(body, "\r\n"), "\r\n")
	if len(lines) != 4 || !strings.Contains(lines[0], "Kiểm tra cuối khóa: điểm cao nhất") {
		t.Fatalf("lines: %q", lines)
	}
	// In the name order (Vietnamese: given name, then full name) An before Bình.
	an := slices.IndexFunc(lines, func(l string) bool { return strings.HasPrefix(l, "Nguyễn Văn An;Đang học;") })
	binh := slices.IndexFunc(lines, func(l string) bool { return strings.HasPrefix(l, "Lò Thị Bình;") })
	if an < 1 || binh < an || !strings.HasSuffix(lines[an], ";0;0/1;;90;90;60;2") || !strings.HasSuffix(lines[binh], ";50;50;50;1") {
		t.Fatalf("lines: %q", lines)
	}
	for _, l := range lines {
		if strings.HasPrefix(l, "=") || strings.Contains(l, ";=") || strings.Contains(l, ";\"=") {
			t.Fatalf("a formula survives: %q", l)
		}
	}
	if !strings.Contains(body, `"'=HYPERLINK(""http://x"")"`) {
		t.Fatalf("the formula cell: %q", body)
	}
}

// TestCSVSafe neutralises every cell a spreadsheet would run.
func TestCSVSafe(t *testing.T) {
	for in, want := range map[string]string{"=1+1": "'=1+1", "+84": "'+84", "-2": "'-2", "@SUM(A1)": "'@SUM(A1)", "\tx": "'\tx", "\rx": "'\rx",
		"Lò Thị Mai": "Lò Thị Mai", "": "", "90,5": "90,5", "a=b": "a=b"} {
		if got := csvSafe(in); got != want {
			t.Errorf("csvSafe(%q) = %q, want %q", in, got, want)
		}
	}
}
