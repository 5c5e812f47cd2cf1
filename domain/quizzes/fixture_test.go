package quizzes_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"densach/domain"
	"densach/domain/courses"
	"densach/domain/quizzes"
	"densach/storage/postgres"
	"densach/storage/postgres/pgtest"
)

// world is a fresh database with province A (communes A1, A2) and province
// B (commune B1), a centre in each commune, one caller per role, the real
// courses use case as the gate, and a published course with a quiz lesson
// at centre A1, in A's library and at centre B1 (each with a draft open).
type world struct {
	*pgtest.World
	courses *courses.Service
	svc     *quizzes.Service
	done    *completions
	clock   time.Time

	admin, officerA, officerA1, managerA1, teacherA1, learnerA1, managerB1, learnerB1 domain.Principal
}

// completions is the LessonCompleter fake: what passing attempts completed.
type completions struct {
	mu   sync.Mutex
	done map[[2]int64]int
}

func (c *completions) CompleteQuiz(_ context.Context, enrolmentID, lessonID int64, _ time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.done[[2]int64{enrolmentID, lessonID}]++
	return nil
}

func (c *completions) count(enrolmentID, lessonID int64) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.done[[2]int64{enrolmentID, lessonID}]
}

func newWorld(t *testing.T) *world {
	t.Helper()
	pw := pgtest.NewWorldWithoutA2(t)
	db := pw.DB
	w := &world{World: pw, done: &completions{done: map[[2]int64]int{}}, clock: time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)}
	n := 0
	principal := func(commune int64, g domain.Grant) domain.Principal {
		n++
		name := "Người Thử " + string(rune('A'+n))
		id := w.AddPerson(name, "09800000"+string(rune('0'+n/10))+string(rune('0'+n%10)), commune)
		g.PersonID = id
		return domain.Principal{PersonID: id, AccountID: id, Grants: []domain.Grant{g}}
	}
	cg := func(role domain.Role, centre, commune, prov int64) domain.Grant {
		return domain.Grant{Role: role, Kind: domain.ScopeCentre, CentreID: centre, CommuneID: commune, ProvinceID: prov}
	}
	w.admin = principal(w.CommA1, domain.Grant{Role: domain.RoleAdmin, Kind: domain.ScopeSystem})
	w.officerA = principal(w.CommA1, domain.Grant{Role: domain.RoleOfficer, Kind: domain.ScopeProvince, UnitID: w.ProvA, ProvinceID: w.ProvA})
	w.officerA1 = principal(w.CommA1, domain.Grant{Role: domain.RoleOfficer, Kind: domain.ScopeCommune, UnitID: w.CommA1, CommuneID: w.CommA1, ProvinceID: w.ProvA})
	w.managerA1 = principal(w.CommA1, cg(domain.RoleManager, w.CentreA1, w.CommA1, w.ProvA))
	w.teacherA1 = principal(w.CommA1, cg(domain.RoleTeacher, w.CentreA1, w.CommA1, w.ProvA))
	w.learnerA1 = principal(w.CommA1, cg(domain.RoleLearner, w.CentreA1, w.CommA1, w.ProvA))
	w.managerB1 = principal(w.CommB1, cg(domain.RoleManager, w.CentreB1, w.CommB1, w.ProvB))
	w.learnerB1 = principal(w.CommB1, cg(domain.RoleLearner, w.CentreB1, w.CommB1, w.ProvB))
	w.courses = &courses.Service{Store: postgres.NewCourses(db)}
	w.svc = &quizzes.Service{Store: postgres.NewQuizzes(db), Gate: w.courses, Completer: w.done, Now: func() time.Time { return w.clock }}
	return w
}

// quizCourse is a course with a quiz lesson.
type quizCourse struct {
	id        int64
	questions []quizzes.Question // the bank when published
	published int64              // the published quiz lesson
	version   int64              // its version
}

// must returns v, or panics (failing the test) on err.
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func ptr[T any](v T) *T { return &v }

// sampleQuestions are one question of each kind.
var sampleQuestions = []quizzes.QuestionInput{
	{Kind: quizzes.KindSingle, PromptMD: "Thủ đô của Việt Nam là?", Options: []string{"Huế", "Hà Nội", "Đà Nẵng"}, Correct: []int{1}, ExplanationMD: "Hà Nội là thủ đô."},
	{Kind: quizzes.KindMultiple, PromptMD: "Những số nào là số chẵn?", Options: []string{"2", "3", "4", "5"}, Correct: []int{0, 2}},
	{Kind: quizzes.KindTrueFalse, PromptMD: "Mã OTP được đọc cho người lạ.", AnswerBool: ptr(false)},
	{Kind: quizzes.KindNumeric, PromptMD: "3 × 0,5 = ?", AnswerNum: ptr(1.5), Tolerance: 0.01},
}

// makeCourse creates a course (centre or library), a quiz lesson, the
// sample bank and settings, and publishes it, as the administrator.
func (w *world) makeCourse(centre, province int64, s quizzes.Settings) quizCourse {
	t := w.T
	t.Helper()
	ctx := context.Background()
	d := must(w.courses.Create(ctx, w.admin, courses.NewCourse{CentreID: centre, ProvinceID: province,
		Details: courses.Details{Title: "Khóa có bài kiểm tra", Category: "digital_skills", Mode: courses.ModeOnline}}))
	m := must(w.courses.AddModule(ctx, w.admin, d.ID, "Chương 1"))
	lesson := must(w.courses.AddLesson(ctx, w.admin, m.ID, courses.LessonInput{Kind: courses.KindQuiz, Title: "Kiểm tra", Required: true}))
	c := quizCourse{id: d.ID}
	for _, in := range sampleQuestions {
		c.questions = append(c.questions, must(w.svc.AddQuestion(ctx, w.admin, d.ID, in)))
	}
	must(w.svc.SaveSettings(ctx, w.admin, lesson.ID, s))
	must(w.courses.Publish(ctx, w.admin, d.ID))
	c.published, c.version = lesson.ID, w.ID(`SELECT version_id FROM lessons WHERE id = $1`, lesson.ID)
	return c
}

// enrol enrols a person in the course's published version with plain SQL
// (the enrolments use case is written elsewhere).
func (w *world) enrol(p domain.Principal, c quizCourse) int64 {
	return w.ID(`INSERT INTO enrolments (person_id, course_id, version_id, source, enrolled_by) VALUES ($1, $2, $3, 'self', $1) RETURNING id`,
		p.PersonID, c.id, c.version)
}

// draftLesson opens the course's draft and returns its quiz lesson.
func (w *world) draftLesson(c quizCourse) int64 {
	w.T.Helper()
	must(w.courses.OpenDraft(context.Background(), w.admin, c.id))
	return w.ID(`SELECT l.id FROM lessons l JOIN courses c ON c.draft_version_id = l.version_id WHERE c.id = $1 AND l.kind = 'quiz'`, c.id)
}

// rightAnswers answers every question of an attempt right (through the
// shown order of options).
func rightAnswers(a quizzes.Attempt, bank []quizzes.Question) []quizzes.Answer {
	byID := map[int64]quizzes.Question{}
	for _, q := range bank {
		byID[q.ID] = q
	}
	var out []quizzes.Answer
	for _, sq := range a.Questions {
		q := byID[sq.ID]
		an := quizzes.Answer{QuestionID: q.ID, Bool: q.AnswerBool, Number: q.AnswerNum}
		for pos, text := range sq.Options {
			for _, c := range q.Correct {
				if q.Options[c] == text {
					an.Choices = append(an.Choices, pos)
				}
			}
		}
		out = append(out, an)
	}
	return out
}

func codeOf(err error) domain.Code {
	var e *domain.Error
	if errors.As(err, &e) {
		return e.Code
	}
	if err != nil {
		return "other: " + domain.Code(err.Error())
	}
	return ""
}

func keyOf(err error) string {
	if e := domain.AsError(err); e != nil {
		return e.Key
	}
	return ""
}

// started returns a started attempt, or panics on err.
func started(a quizzes.Attempt, _ bool, err error) quizzes.Attempt { return must(a, err) }
