package quizzes

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"densach/domain"
)

// Grace is how long after its deadline a timed attempt's submission still
// counts in full (the time a slow connection takes to deliver it). Past
// deadline + Grace the rule is: the answers are kept for the record, the
// attempt is flagged late and scores zero (not passed). An open attempt
// found past that point when its learner starts again is closed the same
// way.
const Grace = 30 * time.Second

// Service is the quizzes use cases, built by field assignment in cmd/.
type Service struct {
	Store     Store
	Gate      CourseGate
	Completer LessonCompleter // nil: passing completes nothing (tests of scoring alone)
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Shuffle is rand.Shuffle unless a test sets it.
	Shuffle func(n int, swap func(i, j int))
}

var (
	errLessonNotFound   = domain.Fail(domain.CodeNotFound, "lesson_not_found", nil)
	errQuestionNotFound = domain.Fail(domain.CodeNotFound, "quiz_question_not_found", nil)
	errNotQuiz          = domain.Fail(domain.CodeInvalid, "quiz_lesson_not_quiz", nil)
	errReadOnly         = domain.Fail(domain.CodeForbidden, "course_read_only", nil)
	errStaffOnly        = domain.Fail(domain.CodeForbidden, "quiz_staff_only", nil)
	errNotEnrolled      = domain.Fail(domain.CodeForbidden, "quiz_not_enrolled", nil)
	errFrozen           = domain.Fail(domain.CodeConflict, "course_version_published", nil)
	errEmpty            = domain.Fail(domain.CodeConflict, "quiz_empty", nil)
	errLimit            = domain.Fail(domain.CodeConflict, "quiz_attempt_limit", nil)
	errAttemptNotFound  = domain.Fail(domain.CodeNotFound, "quiz_attempt_not_found", nil)
	errSubmitted        = domain.Fail(domain.CodeConflict, "quiz_already_submitted", nil)
)

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Service) shuffle() func(n int, swap func(i, j int)) {
	if s.Shuffle != nil {
		return s.Shuffle
	}
	return rand.Shuffle
}

// course asks the gate about a course and applies need (not found when
// unreadable, else forbidden with denied).
func (s *Service) course(ctx context.Context, p domain.Principal, courseID int64, need func(domain.CourseAccess) bool, denied error) error {
	a, err := s.Gate.CourseAccess(ctx, p, courseID)
	if err != nil {
		return err
	}
	if !a.Read {
		return domain.Fail(domain.CodeNotFound, "course_not_found", nil)
	}
	if need != nil && !need(a) {
		return denied
	}
	return nil
}

func readsDrafts(a domain.CourseAccess) bool  { return a.ReadDrafts }
func editsLessons(a domain.CourseAccess) bool { return a.EditLessons }

// lesson reads a quiz lesson and checks the caller against its course.
func (s *Service) lesson(ctx context.Context, p domain.Principal, lessonID int64, need func(domain.CourseAccess) bool, denied error) (Lesson, error) {
	l, err := s.Store.Lesson(ctx, lessonID)
	if domain.ErrorCode(err) == domain.CodeNotFound {
		return l, errLessonNotFound
	}
	if err != nil {
		return l, err
	}
	if err := s.course(ctx, p, l.CourseID, need, denied); err != nil {
		return l, err
	}
	if l.Kind != "quiz" {
		return l, errNotQuiz
	}
	return l, nil
}

// question reads the course of a bank question the caller may edit.
func (s *Service) question(ctx context.Context, p domain.Principal, id int64) error {
	course, err := s.Store.QuestionCourse(ctx, id)
	if domain.ErrorCode(err) == domain.CodeNotFound {
		return errQuestionNotFound
	}
	if err != nil {
		return err
	}
	return s.course(ctx, p, course, editsLessons, errReadOnly)
}

// Questions lists a course's bank, answers included: staff who read the
// course's drafts.
func (s *Service) Questions(ctx context.Context, p domain.Principal, courseID int64) ([]Question, error) {
	if err := s.course(ctx, p, courseID, readsDrafts, errStaffOnly); err != nil {
		return nil, err
	}
	return s.Store.Questions(ctx, courseID)
}

// AddQuestion appends a question to a course's bank.
func (s *Service) AddQuestion(ctx context.Context, p domain.Principal, courseID int64, in QuestionInput) (Question, error) {
	if err := s.course(ctx, p, courseID, editsLessons, errReadOnly); err != nil {
		return Question{}, err
	}
	in, err := in.clean()
	if err != nil {
		return Question{}, err
	}
	return s.Store.AddQuestion(ctx, courseID, in)
}

// UpdateQuestion rewrites a bank question; published quizzes keep their
// snapshot.
func (s *Service) UpdateQuestion(ctx context.Context, p domain.Principal, id int64, in QuestionInput) (Question, error) {
	if err := s.question(ctx, p, id); err != nil {
		return Question{}, err
	}
	in, err := in.clean()
	if err != nil {
		return Question{}, err
	}
	return s.Store.UpdateQuestion(ctx, id, in)
}

// DeleteQuestion deletes a bank question; published quizzes keep it.
func (s *Service) DeleteQuestion(ctx context.Context, p domain.Principal, id int64) error {
	if err := s.question(ctx, p, id); err != nil {
		return err
	}
	return s.Store.DeleteQuestion(ctx, id)
}

// Quiz reads a quiz lesson with its rules and its questions' answers:
// staff who read the course's drafts.
func (s *Service) Quiz(ctx context.Context, p domain.Principal, lessonID int64) (Quiz, error) {
	l, err := s.lesson(ctx, p, lessonID, readsDrafts, errStaffOnly)
	if err != nil {
		return Quiz{}, err
	}
	return s.Store.Quiz(ctx, l)
}

// SaveSettings sets a draft quiz lesson's rules.
func (s *Service) SaveSettings(ctx context.Context, p domain.Principal, lessonID int64, st Settings) (Quiz, error) {
	l, err := s.lesson(ctx, p, lessonID, editsLessons, errReadOnly)
	if err != nil {
		return Quiz{}, err
	}
	if l.Published {
		return Quiz{}, errFrozen
	}
	bank, err := s.Store.Questions(ctx, l.CourseID)
	if err != nil {
		return Quiz{}, err
	}
	if err := st.check(bank); err != nil {
		return Quiz{}, err
	}
	if err := s.Store.SaveSettings(ctx, l, st); err != nil {
		return Quiz{}, err
	}
	return s.Store.Quiz(ctx, l)
}

// learner reads a quiz lesson the caller may attempt: one they may read,
// in the version of their active enrolment.
func (s *Service) learner(ctx context.Context, p domain.Principal, lessonID int64) (Lesson, int64, error) {
	l, err := s.lesson(ctx, p, lessonID, nil, nil)
	if err != nil {
		return l, 0, err
	}
	enr, err := s.Store.ActiveEnrolment(ctx, p.PersonID, l.VersionID)
	if err != nil {
		return l, 0, err
	}
	if enr == 0 || !l.Published {
		return l, 0, errNotEnrolled
	}
	return l, enr, nil
}

// expired reports whether an open attempt is past its deadline and grace.
func expired(r Record, now time.Time) bool {
	return r.Deadline != nil && now.After(r.Deadline.Add(Grace))
}

// Start starts an attempt at a quiz lesson, or resumes the open one.
// Refused past the attempt limit; an open attempt past its time is closed
// first (late, zero).
func (s *Service) Start(ctx context.Context, p domain.Principal, lessonID int64) (Attempt, bool, error) {
	l, enr, err := s.learner(ctx, p, lessonID)
	if err != nil {
		return Attempt{}, false, err
	}
	q, err := s.Store.Quiz(ctx, l)
	if err != nil {
		return Attempt{}, false, err
	}
	if len(q.Questions) == 0 {
		return Attempt{}, false, errEmpty
	}
	recs, err := s.Store.Attempts(ctx, enr, l.ID)
	if err != nil {
		return Attempt{}, false, err
	}
	now := s.now()
	if n := len(recs); n > 0 && recs[n-1].Open() {
		open := recs[n-1]
		if !expired(open, now) {
			return shown(open, q), false, nil
		}
		if _, err := s.finish(ctx, open, q, nil, now); err != nil {
			return Attempt{}, false, err
		}
	}
	if q.Settings.AttemptLimit > 0 && len(recs) >= q.Settings.AttemptLimit {
		return Attempt{}, false, errLimit
	}
	r := Record{EnrolmentID: enr, PersonID: p.PersonID, LessonID: l.ID, Number: len(recs) + 1, StartedAt: now,
		Layout: Layout(q.Questions, q.Settings, s.shuffle()), QuestionCount: len(q.Questions)}
	if q.Settings.TimeLimitS > 0 {
		d := now.Add(time.Duration(q.Settings.TimeLimitS) * time.Second)
		r.Deadline = &d
	}
	if r.ID, err = s.Store.CreateAttempt(ctx, r); err != nil {
		return Attempt{}, false, err
	}
	return shown(r, q), true, nil
}

// own reads an attempt of the caller's (another's is not found) with its quiz.
func (s *Service) own(ctx context.Context, p domain.Principal, id int64) (Record, Quiz, error) {
	r, err := s.Store.Attempt(ctx, id)
	if domain.ErrorCode(err) == domain.CodeNotFound || err == nil && r.PersonID != p.PersonID {
		return r, Quiz{}, errAttemptNotFound
	}
	if err != nil {
		return r, Quiz{}, err
	}
	l, err := s.Store.Lesson(ctx, r.LessonID)
	if err != nil {
		return r, Quiz{}, err
	}
	q, err := s.Store.Quiz(ctx, l)
	return r, q, err
}

// Attempt reads one of the caller's attempts: the answers only once submitted.
func (s *Service) Attempt(ctx context.Context, p domain.Principal, id int64) (Attempt, error) {
	r, q, err := s.own(ctx, p, id)
	if err != nil {
		return Attempt{}, err
	}
	return shown(r, q), nil
}

// Submit submits the caller's open attempt once: answers only to its
// questions, each at most once; scored on the server (late: zero); a
// passing attempt completes the lesson.
func (s *Service) Submit(ctx context.Context, p domain.Principal, id int64, answers []Answer) (Attempt, error) {
	r, q, err := s.own(ctx, p, id)
	if err != nil {
		return Attempt{}, err
	}
	if !r.Open() {
		return Attempt{}, errSubmitted
	}
	if err := checkAnswers(r.Layout, q, answers); err != nil {
		return Attempt{}, err
	}
	if r, err = s.finish(ctx, r, q, answers, s.now()); err != nil {
		return Attempt{}, err
	}
	return shown(r, q), nil
}

// finish scores and stores an open attempt and completes the lesson when passed.
func (s *Service) finish(ctx context.Context, r Record, q Quiz, answers []Answer, now time.Time) (Record, error) {
	res := Score(r.Layout, questionsByID(q.Questions), answers, q.Settings.PassPercent, expired(r, now), now)
	if err := s.Store.SubmitAttempt(ctx, r.ID, res); err != nil {
		return r, err
	}
	r.SubmittedAt, r.Answers, r.Results, r.CorrectCount, r.Late = &now, res.Answers, res.Results, res.CorrectCount, res.Late
	r.Score, r.Passed = &res.Score, &res.Passed
	if res.Passed && s.Completer != nil {
		if err := s.Completer.CompleteQuiz(ctx, r.EnrolmentID, r.LessonID, now); err != nil {
			return r, err
		}
	}
	return r, nil
}

func questionsByID(qs []Question) map[int64]Question {
	m := make(map[int64]Question, len(qs))
	for _, q := range qs {
		m[q.ID] = q
	}
	return m
}

// checkAnswers refuses answers to questions not in the attempt, twice to
// one question, or of the wrong shape for the question's kind.
func checkAnswers(layout []Slot, q Quiz, answers []Answer) error {
	slots := make(map[int64]Slot, len(layout))
	for _, sl := range layout {
		slots[sl.QuestionID] = sl
	}
	byID := questionsByID(q.Questions)
	var f domain.Fields
	seen := map[int64]bool{}
	for i, a := range answers {
		field := fmt.Sprintf("answers[%d]", i)
		sl, ok := slots[a.QuestionID]
		switch {
		case !ok:
			f.AddOf(field+".question_id", "quiz_question_not_in_attempt", nil)
			continue
		case seen[a.QuestionID]:
			f.AddOf(field+".question_id", "quiz_answer_twice", nil)
			continue
		}
		seen[a.QuestionID] = true
		switch byID[a.QuestionID].Kind {
		case KindSingle, KindMultiple:
			for _, c := range a.Choices {
				if c < 0 || c >= len(sl.Options) {
					f.AddOf(field+".choices", "quiz_choice_invalid", nil)
					break
				}
			}
		}
	}
	return f.Err()
}

// shown is an attempt as its learner sees it: the questions in the
// attempt's order with options as shown; answers, right options and
// explanations only once submitted.
func shown(r Record, q Quiz) Attempt {
	a := Attempt{ID: r.ID, LessonID: r.LessonID, Number: r.Number, StartedAt: r.StartedAt, Deadline: r.Deadline, SubmittedAt: r.SubmittedAt,
		QuestionCount: r.QuestionCount, CorrectCount: r.CorrectCount, Score: r.Score, Passed: r.Passed, Late: r.Late, PassPercent: q.Settings.PassPercent}
	byID := questionsByID(q.Questions)
	given := map[int64]Answer{}
	for _, an := range r.Answers {
		given[an.QuestionID] = an
	}
	a.Questions = make([]ShownQuestion, 0, len(r.Layout))
	for i, sl := range r.Layout {
		qq := byID[sl.QuestionID]
		sq := ShownQuestion{ID: qq.ID, Kind: qq.Kind, PromptMD: qq.PromptMD, Options: make([]string, len(sl.Options))}
		for j, o := range sl.Options {
			if o < len(qq.Options) {
				sq.Options[j] = qq.Options[o]
			}
		}
		if !r.Open() {
			sq.Reviewed = true
			if an, ok := given[sl.QuestionID]; ok {
				sq.Answer = &an
			}
			sq.Right = i < len(r.Results) && r.Results[i]
			for j, o := range sl.Options {
				for _, c := range qq.Correct {
					if c == o {
						sq.Correct = append(sq.Correct, j)
					}
				}
			}
			sq.AnswerBool, sq.AnswerNum, sq.Tolerance, sq.ExplanationMD = qq.AnswerBool, qq.AnswerNum, qq.Tolerance, qq.ExplanationMD
		}
		a.Questions = append(a.Questions, sq)
	}
	return a
}

// MyQuizzes lists the quiz lessons of the courses the caller is actively
// enrolled in, with their results in each (their own data: any caller).
func (s *Service) MyQuizzes(ctx context.Context, p domain.Principal) ([]MyQuiz, error) {
	return s.Store.MyQuizzes(ctx, p.PersonID)
}

// MyResults lists the caller's attempts at a quiz lesson with the best and
// latest score.
func (s *Service) MyResults(ctx context.Context, p domain.Principal, lessonID int64) (Results, error) {
	l, enr, err := s.learner(ctx, p, lessonID)
	if err != nil {
		return Results{}, err
	}
	q, err := s.Store.Quiz(ctx, l)
	if err != nil {
		return Results{}, err
	}
	recs, err := s.Store.Attempts(ctx, enr, l.ID)
	if err != nil {
		return Results{}, err
	}
	res := Results{LessonID: l.ID, Settings: q.Settings, Attempts: make([]Attempt, 0, len(recs))}
	for _, r := range recs {
		a := shown(r, q)
		a.Questions = nil
		res.Attempts = append(res.Attempts, a)
		if r.Score == nil {
			continue
		}
		sc := *r.Score
		if res.Best == nil || sc > *res.Best {
			res.Best = &sc
		}
		res.Latest = &sc
		res.Passed = res.Passed || *r.Passed
	}
	if lim := q.Settings.AttemptLimit; lim > 0 {
		left := max(lim-len(recs), 0)
		res.AttemptsLeft = &left
	}
	return res, nil
}

// Stats are a quiz lesson's per-question statistics: staff who read the
// course's drafts.
func (s *Service) Stats(ctx context.Context, p domain.Principal, lessonID int64) (Stats, error) {
	if _, err := s.lesson(ctx, p, lessonID, readsDrafts, errStaffOnly); err != nil {
		return Stats{}, err
	}
	return s.Store.Stats(ctx, lessonID)
}
