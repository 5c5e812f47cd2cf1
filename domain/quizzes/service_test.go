package quizzes_test

import (
	"context"
	"testing"
	"time"

	"densach/domain"
	"densach/domain/quizzes"
)

// TestAttemptFlow starts, resumes, submits and re-reads an attempt: no
// answers before submission, scored right through shuffled order,
// submission once, the lesson completed once passed, best and latest.
func TestAttemptFlow(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	c := w.makeCourse(w.CentreA1, 0, quizzes.Settings{PassPercent: 75, AttemptLimit: 3, ShuffleQuestions: true, ShuffleOptions: true})
	enr := w.enrol(w.learnerA1, c)
	a, created, err := w.svc.Start(ctx, w.learnerA1, c.published)
	if err != nil || !created || len(a.Questions) != 4 {
		t.Fatalf("start: %+v %v %v", a, created, err)
	}
	for _, q := range a.Questions {
		if q.Reviewed || q.Correct != nil || q.AnswerBool != nil || q.AnswerNum != nil || q.ExplanationMD != "" {
			t.Fatalf("open attempt shows an answer: %+v", q)
		}
	}
	again, created, err := w.svc.Start(ctx, w.learnerA1, c.published)
	if err != nil || created || again.ID != a.ID {
		t.Fatalf("second start did not resume: %+v %v %v", again, created, err)
	}
	// Someone else's attempt is not found, for reading and submitting.
	if _, err := w.svc.Attempt(ctx, w.learnerB1, a.ID); codeOf(err) != domain.CodeNotFound {
		t.Fatalf("another's attempt: %v", err)
	}
	if _, err := w.svc.Submit(ctx, w.admin, a.ID, nil); codeOf(err) != domain.CodeNotFound {
		t.Fatalf("submit another's attempt: %v", err)
	}
	// Answers to a question not in the attempt, or twice, are refused.
	foreign := w.makeCourse(w.CentreA1, 0, quizzes.Settings{})
	right := rightAnswers(a, c.questions)
	if _, err := w.svc.Submit(ctx, w.learnerA1, a.ID, append(right, quizzes.Answer{QuestionID: foreign.questions[0].ID, Choices: []int{0}})); keyOf(err) != "invalid_input" && codeOf(err) != domain.CodeInvalid {
		t.Fatalf("answer to a question not in the attempt: %v", err)
	}
	if _, err := w.svc.Submit(ctx, w.learnerA1, a.ID, append(right, right[0])); codeOf(err) != domain.CodeInvalid {
		t.Fatalf("answer twice: %v", err)
	}
	if w.ID(`SELECT count(*) FROM quiz_attempts WHERE submitted_at IS NOT NULL`) != 0 {
		t.Fatal("a refused submission was stored")
	}
	// Three of four right: 75 %, passed.
	three := right[:3]
	done, err := w.svc.Submit(ctx, w.learnerA1, a.ID, three)
	if err != nil || done.Score == nil || *done.Score != 75 || !*done.Passed {
		t.Fatalf("submit: %+v %v", done, err)
	}
	for _, q := range done.Questions {
		if !q.Reviewed {
			t.Fatal("submitted attempt not reviewed")
		}
		if q.Kind == quizzes.KindSingle && (len(q.Correct) != 1 || q.Options[q.Correct[0]] != "Hà Nội" || q.ExplanationMD == "") {
			t.Fatalf("review of the single question: %+v", q)
		}
	}
	if _, err := w.svc.Submit(ctx, w.learnerA1, a.ID, right); codeOf(err) != domain.CodeConflict {
		t.Fatalf("second submission: %v", err)
	}
	if w.done.count(enr, c.published) != 1 {
		t.Fatal("passing did not complete the lesson once")
	}
	// A second, failing attempt: best 75, latest 0.
	b := started(w.svc.Start(ctx, w.learnerA1, c.published))
	if b.Number != 2 {
		t.Fatalf("second attempt number %d", b.Number)
	}
	must(w.svc.Submit(ctx, w.learnerA1, b.ID, nil))
	res := must(w.svc.MyResults(ctx, w.learnerA1, c.published))
	if len(res.Attempts) != 2 || *res.Best != 75 || *res.Latest != 0 || !res.Passed || *res.AttemptsLeft != 1 {
		t.Fatalf("results: %+v", res)
	}
}

// TestAttemptLimitAndTime refuses a start past the limit and scores a
// submission past deadline + grace zero (flagged late), one within the
// grace in full.
func TestAttemptLimitAndTime(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	c := w.makeCourse(w.CentreA1, 0, quizzes.Settings{PassPercent: 50, AttemptLimit: 2, TimeLimitS: 600})
	w.enrol(w.learnerA1, c)
	a := started(w.svc.Start(ctx, w.learnerA1, c.published))
	if a.Deadline == nil || !a.Deadline.Equal(w.clock.Add(10*time.Minute)) {
		t.Fatalf("deadline %v", a.Deadline)
	}
	w.clock = w.clock.Add(10*time.Minute + quizzes.Grace) // at the edge: in full
	done := must(w.svc.Submit(ctx, w.learnerA1, a.ID, rightAnswers(a, c.questions)))
	if *done.Score != 100 || done.Late {
		t.Fatalf("within grace: %+v", done)
	}
	b := started(w.svc.Start(ctx, w.learnerA1, c.published))
	w.clock = w.clock.Add(10*time.Minute + quizzes.Grace + time.Second)
	late := must(w.svc.Submit(ctx, w.learnerA1, b.ID, rightAnswers(b, c.questions)))
	if *late.Score != 0 || *late.Passed || !late.Late {
		t.Fatalf("late: %+v", late)
	}
	if _, _, err := w.svc.Start(ctx, w.learnerA1, c.published); keyOf(err) != "quiz_attempt_limit" {
		t.Fatalf("third start: %v", err)
	}
	// An open attempt abandoned past its time is closed (late) when the
	// learner starts again.
	d := w.makeCourse(w.CentreA1, 0, quizzes.Settings{TimeLimitS: 60})
	w.enrol(w.learnerA1, d)
	first := started(w.svc.Start(ctx, w.learnerA1, d.published))
	w.clock = w.clock.Add(time.Hour)
	second, created, err := w.svc.Start(ctx, w.learnerA1, d.published)
	if err != nil || !created || second.ID == first.ID {
		t.Fatalf("start after an abandoned attempt: %+v %v", second, err)
	}
	if old := must(w.svc.Attempt(ctx, w.learnerA1, first.ID)); old.SubmittedAt == nil || !old.Late || *old.Score != 0 {
		t.Fatalf("abandoned attempt: %+v", old)
	}
}

// TestPublishedQuizFrozen edits the bank after publishing: the published
// quiz keeps its questions and settings; the draft copies the settings and
// the next version takes the edited bank.
func TestPublishedQuizFrozen(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	c := w.makeCourse(w.CentreA1, 0, quizzes.Settings{PassPercent: 80, AttemptLimit: 2, QuestionIDs: nil})
	chosen := []int64{0, 0}
	first := c.questions[0]
	in := sampleQuestions[0]
	in.PromptMD = "Đã sửa"
	must(w.svc.UpdateQuestion(ctx, w.managerA1, first.ID, in))
	if err := w.svc.DeleteQuestion(ctx, w.teacherA1, c.questions[3].ID); err != nil {
		t.Fatal(err)
	}
	q := must(w.svc.Quiz(ctx, w.managerA1, c.published))
	if !q.Frozen || len(q.Questions) != 4 || q.Questions[0].PromptMD != sampleQuestions[0].PromptMD || q.Settings.PassPercent != 80 {
		t.Fatalf("published quiz changed: %+v", q)
	}
	if _, err := w.svc.SaveSettings(ctx, w.admin, c.published, quizzes.Settings{PassPercent: 10}); keyOf(err) != "course_version_published" {
		t.Fatalf("settings of a published quiz: %v", err)
	}
	// Learners attempt the frozen quiz even after the bank changed.
	w.enrol(w.learnerA1, c)
	a := started(w.svc.Start(ctx, w.learnerA1, c.published))
	if done := must(w.svc.Submit(ctx, w.learnerA1, a.ID, rightAnswers(a, c.questions))); *done.Score != 100 {
		t.Fatalf("frozen quiz scored %v", *done.Score)
	}
	draft := w.draftLesson(c)
	dq := must(w.svc.Quiz(ctx, w.managerA1, draft))
	if dq.Frozen || dq.Settings.PassPercent != 80 || dq.Settings.AttemptLimit != 2 || len(dq.Questions) != 3 || dq.Questions[0].PromptMD != "Đã sửa" {
		t.Fatalf("draft quiz: %+v", dq)
	}
	chosen[0], chosen[1] = c.questions[2].ID, c.questions[0].ID
	must(w.svc.SaveSettings(ctx, w.teacherA1, draft, quizzes.Settings{PassPercent: 50, QuestionIDs: chosen}))
	if _, err := w.svc.SaveSettings(ctx, w.teacherA1, draft, quizzes.Settings{QuestionIDs: []int64{c.questions[3].ID}}); codeOf(err) != domain.CodeInvalid {
		t.Fatalf("a deleted question chosen: %v", err)
	}
	// Deleting a chosen question drops it from the draft's choice.
	extra := must(w.svc.AddQuestion(ctx, w.admin, c.id, sampleQuestions[2]))
	must(w.svc.SaveSettings(ctx, w.teacherA1, draft, quizzes.Settings{PassPercent: 50, QuestionIDs: append(chosen, extra.ID)}))
	if err := w.svc.DeleteQuestion(ctx, w.admin, extra.ID); err != nil {
		t.Fatal(err)
	}
	if got := must(w.svc.Quiz(ctx, w.admin, draft)).Settings.QuestionIDs; len(got) != 2 || got[0] != chosen[0] || got[1] != chosen[1] {
		t.Fatalf("choice after deleting a chosen question: %v", got)
	}
	must(w.courses.Publish(ctx, w.admin, c.id))
	pq := must(w.svc.Quiz(ctx, w.managerA1, draft))
	if !pq.Frozen || len(pq.Questions) != 2 || pq.Questions[0].ID != c.questions[0].ID || pq.Settings.PassPercent != 50 {
		t.Fatalf("second version's quiz: %+v", pq)
	}
	// Statistics follow the lesson across versions.
	st := must(w.svc.Stats(ctx, w.managerA1, draft))
	if st.Attempts != 1 || st.Passed != 1 || len(st.Questions) != 4 || st.Questions[0].Share != 1 || st.Questions[0].PromptMD != "Đã sửa" {
		t.Fatalf("stats: %+v", st)
	}
}
