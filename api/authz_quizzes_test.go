package api

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"densach/domain/courses"
	"densach/domain/quizzes"
)

// TestAuthzQuizzes is the authorization table of the quizzes endpoints over
// HTTP: every role on a published quiz of centre A1 (own scope) and of
// centre B1 (foreign), the learner enrolled in A1's; and the JSON of every
// answer before submission holds no right answer or explanation.
func TestAuthzQuizzes(t *testing.T) {
	e := newTestEnv(t)
	w := e.w
	ctx := context.Background()
	roles, tokens := authzCallers(e)
	learner := *roles[5].p
	qsvc := e.srv.Quizzes
	type quiz struct{ course, lesson, draft, question int64 }
	make := func(centre int64) quiz {
		t.Helper()
		cs := e.srv.Courses
		d, err := cs.Create(ctx, w.Admin, courses.NewCourse{CentreID: centre, Details: courses.Details{Title: "Khóa kiểm tra", Category: "digital_skills", Mode: courses.ModeOnline}})
		if err != nil {
			t.Fatal(err)
		}
		m, _ := cs.AddModule(ctx, w.Admin, d.ID, "Chương 1")
		l, err := cs.AddLesson(ctx, w.Admin, m.ID, courses.LessonInput{Kind: courses.KindQuiz, Title: "Kiểm tra", Required: true})
		if err != nil {
			t.Fatal(err)
		}
		yes := true
		q, err := qsvc.AddQuestion(ctx, w.Admin, d.ID, quizzes.QuestionInput{Kind: quizzes.KindTrueFalse, PromptMD: "Đúng không?", AnswerBool: &yes, ExplanationMD: "Vì thế."})
		if err == nil {
			_, err = qsvc.AddQuestion(ctx, w.Admin, d.ID, quizzes.QuestionInput{Kind: quizzes.KindSingle, PromptMD: "Chọn B", Options: []string{"A", "B"}, Correct: []int{1}})
		}
		if err == nil {
			_, err = cs.Publish(ctx, w.Admin, d.ID)
		}
		if err == nil {
			_, err = cs.OpenDraft(ctx, w.Admin, d.ID)
		}
		if err != nil {
			t.Fatal(err)
		}
		draft := e.exec(`SELECT l.id FROM lessons l JOIN courses c ON c.draft_version_id = l.version_id WHERE c.id = $1`, d.ID)
		return quiz{d.ID, l.ID, draft, q.ID}
	}
	a1, b1 := make(w.CentreA1), make(w.CentreB1)
	e.exec(`INSERT INTO enrolments (person_id, course_id, version_id, source, enrolled_by)
		SELECT $1, $2, version_id, 'self', $1 FROM lessons WHERE id = $3`, learner.PersonID, a1.course, a1.lesson)
	// Columns: admin, officer A, officer A1, manager A1, teacher A1,
	// learner A1, manager B1, no token.
	type row struct {
		name         string
		method, path func(q quiz) string
		body         any
		a1, b1       [8]int
	}
	p := func(f string) func(q quiz) string { return func(q quiz) string { return f } }
	staff := [8]int{200, 200, 200, 200, 200, 403, 404, 401}
	editA1 := [8]int{0, 403, 403, 0, 0, 403, 404, 401}
	onlyB := [8]int{200, 404, 404, 404, 404, 404, 200, 401}
	editB := [8]int{0, 404, 404, 404, 404, 404, 0, 401}
	learnerOnly := [8]int{403, 403, 403, 403, 403, 0, 404, 401}
	noneB := [8]int{403, 404, 404, 404, 404, 404, 403, 401}
	with := func(s [8]int, ok int) [8]int {
		for i := range s {
			if s[i] == 0 {
				s[i] = ok
			}
		}
		return s
	}
	question := map[string]any{"kind": "numeric", "prompt_md": "2 + 2 = ?", "answer_num": 4}
	rows := []row{
		{"list bank", p("GET"), func(q quiz) string { return fmt.Sprintf("/api/v1/courses/%d/quiz-questions", q.course) }, nil, staff, onlyB},
		{"add question", p("POST"), func(q quiz) string { return fmt.Sprintf("/api/v1/courses/%d/quiz-questions", q.course) }, question, with(editA1, 201), with(editB, 201)},
		{"update question", p("PUT"), func(q quiz) string { return fmt.Sprintf("/api/v1/quiz-questions/%d", q.question) }, question, with(editA1, 200), with(editB, 200)},
		{"read quiz", p("GET"), func(q quiz) string { return fmt.Sprintf("/api/v1/lessons/%d/quiz", q.lesson) }, nil, staff, onlyB},
		{"save settings", p("PUT"), func(q quiz) string { return fmt.Sprintf("/api/v1/lessons/%d/quiz", q.draft) },
			map[string]any{"pass_percent": 50, "attempt_limit": 0, "time_limit_s": 0, "shuffle_questions": true, "shuffle_options": true, "question_ids": nil},
			with(editA1, 200), with(editB, 200)},
		{"stats", p("GET"), func(q quiz) string { return fmt.Sprintf("/api/v1/lessons/%d/quiz/stats", q.lesson) }, nil, staff, onlyB},
		{"my results", p("GET"), func(q quiz) string { return fmt.Sprintf("/api/v1/lessons/%d/quiz/attempts", q.lesson) }, nil, with(learnerOnly, 200), noneB},
		{"start", p("POST"), func(q quiz) string { return fmt.Sprintf("/api/v1/lessons/%d/quiz/attempts", q.lesson) }, nil, with(learnerOnly, 201), noneB},
	}
	for _, r := range rows {
		for _, target := range []struct {
			name string
			q    quiz
			want [8]int
		}{{"centre_A1", a1, r.a1}, {"foreign_centre_B1", b1, r.b1}} {
			for i := range roles {
				t.Run(r.name+"/"+target.name+"/"+roles[i].name, func(t *testing.T) {
					status, out := e.call(r.method(target.q), r.path(target.q), tokens[i], r.body)
					if status != target.want[i] {
						t.Fatalf("%d %v, want %d", status, out, target.want[i])
					}
				})
			}
		}
	}
	// The learner's attempt: nobody else reads or submits it; its JSON
	// carries no answer before submission.
	status, started := e.call("POST", fmt.Sprintf("/api/v1/lessons/%d/quiz/attempts", a1.lesson), tokens[5], nil)
	if status != 200 { // started by the table above: resumed
		t.Fatalf("resume: %d %v", status, started)
	}
	id := int64(started["id"].(float64))
	for i := range roles {
		if i == 5 {
			continue
		}
		want := 404
		if roles[i].p == nil {
			want = 401
		}
		if st, out := e.call("GET", fmt.Sprintf("/api/v1/quiz-attempts/%d", id), tokens[i], nil); st != want {
			t.Errorf("%s reads the attempt: %d %v", roles[i].name, st, out)
		}
		if st, out := e.call("POST", fmt.Sprintf("/api/v1/quiz-attempts/%d/submit", id), tokens[i], map[string]any{"answers": []any{}}); st != want {
			t.Errorf("%s submits the attempt: %d %v", roles[i].name, st, out)
		}
	}
	_, got := e.call("GET", fmt.Sprintf("/api/v1/quiz-attempts/%d", id), tokens[5], nil)
	_, results := e.call("GET", fmt.Sprintf("/api/v1/lessons/%d/quiz/attempts", a1.lesson), tokens[5], nil)
	for name, doc := range map[string]map[string]any{"start": started, "get": got, "results": results} {
		b, _ := json.Marshal(doc)
		for _, leak := range []string{`"review"`, `"correct"`, `"answer_bool"`, `"answer_num"`, `"explanation_md"`, `"tolerance"`, "Vì thế"} {
			if strings.Contains(string(b), leak) {
				t.Errorf("%s before submission holds %s: %s", name, leak, b)
			}
		}
	}
	qs := started["questions"].([]any)
	if len(qs) != 2 {
		t.Fatalf("attempt questions: %v", qs)
	}
	// Answers to a question not in the attempt are refused; the submission
	// is scored once; a second is a conflict.
	if st, out := e.call("POST", fmt.Sprintf("/api/v1/quiz-attempts/%d/submit", id), tokens[5],
		map[string]any{"answers": []any{map[string]any{"question_id": b1.question, "value_bool": true}}}); st != 422 {
		t.Fatalf("answer to a foreign question: %d %v", st, out)
	}
	var answers []any
	for _, q := range qs {
		m := q.(map[string]any)
		if m["kind"] == "true_false" {
			answers = append(answers, map[string]any{"question_id": m["id"], "value_bool": true})
		} else {
			for j, o := range m["options"].([]any) {
				if o == "B" {
					answers = append(answers, map[string]any{"question_id": m["id"], "choices": []int{j}})
				}
			}
		}
	}
	st, done := e.call("POST", fmt.Sprintf("/api/v1/quiz-attempts/%d/submit", id), tokens[5], map[string]any{"answers": answers})
	if st != 200 || done["score"] != float64(100) || done["passed"] != true {
		t.Fatalf("submit: %d %v", st, done)
	}
	if b, _ := json.Marshal(done); !strings.Contains(string(b), "Vì thế") {
		t.Fatalf("the review lacks the explanation: %s", b)
	}
	if st, out := e.call("POST", fmt.Sprintf("/api/v1/quiz-attempts/%d/submit", id), tokens[5], map[string]any{"answers": answers}); st != 409 {
		t.Fatalf("second submission: %d %v", st, out)
	}
	// My results in every quiz: each caller's own, at once. The learner sees
	// course A1's quiz (enrolled) with the attempt just submitted, nobody
	// sees course B1's; every other caller has no enrolment, so none.
	for i := range roles {
		st, out := e.call("GET", "/api/v1/me/quiz-results", tokens[i], nil)
		if roles[i].p == nil {
			if st != 401 {
				t.Errorf("no token: my quiz results %d %v", st, out)
			}
			continue
		}
		items, _ := out["items"].([]any)
		if st != 200 {
			t.Fatalf("%s: my quiz results %d %v", roles[i].name, st, out)
		}
		if i != 5 {
			if len(items) != 0 {
				t.Errorf("%s: my quiz results hold another's: %v", roles[i].name, items)
			}
			continue
		}
		if len(items) != 1 {
			t.Fatalf("learner: my quiz results %v", items)
		}
		r := items[0].(map[string]any)
		if r["lesson_id"] != float64(a1.lesson) || r["attempts"] != float64(1) || r["best"] != float64(100) || r["latest"] != float64(100) ||
			r["passed"] != true || r["last_submitted_at"] == nil || r["course_title"] != "Khóa kiểm tra" || r["lesson_title"] != "Kiểm tra" {
			t.Errorf("learner: my quiz result %v", r)
		}
		checkSchema(t, "MyQuizResult", r)
	}
	// Deleting questions last: editors only.
	for i := range roles {
		want := [8]int{204, 403, 403, 204, 204, 403, 404, 401}[i]
		q := must2(qsvc.AddQuestion(ctx, w.Admin, a1.course, quizzes.QuestionInput{Kind: quizzes.KindTrueFalse, PromptMD: "Xóa?", AnswerBool: new(bool)}))
		if st, out := e.call("DELETE", fmt.Sprintf("/api/v1/quiz-questions/%d", q.ID), tokens[i], nil); st != want {
			t.Errorf("%s deletes a question: %d %v, want %d", roles[i].name, st, out, want)
		}
	}
}

func must2[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
