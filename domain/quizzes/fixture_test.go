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
	t       *testing.T
	db      *postgres.DB
	courses *courses.Service
	svc     *quizzes.Service
	done    *completions
	clock   time.Time

	provA, provB, commA1, commB1 int64
	centreA1, centreB1           int64

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
	db, err := postgres.Open(pgtest.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	w := &world{t: t, db: db, done: &completions{done: map[[2]int64]int{}}, clock: time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)}
	w.provA = w.id(`INSERT INTO units (code, name, kind, valid_from) VALUES ('12', 'Lai Châu', 'province', '2025-07-01') RETURNING id`)
	w.provB = w.id(`INSERT INTO units (code, name, kind, valid_from) VALUES ('11', 'Điện Biên', 'province', '2025-07-01') RETURNING id`)
	w.commA1 = w.id(`INSERT INTO units (code, name, kind, parent_id, valid_from) VALUES ('12001', 'Tân Phong', 'ward', $1, '2025-07-01') RETURNING id`, w.provA)
	w.commB1 = w.id(`INSERT INTO units (code, name, kind, parent_id, valid_from) VALUES ('11001', 'Mường Thanh', 'ward', $1, '2025-07-01') RETURNING id`, w.provB)
	w.centreA1 = w.id(`INSERT INTO centres (unit_id, name) VALUES ($1, 'TTHTCĐ Tân Phong') RETURNING id`, w.commA1)
	w.centreB1 = w.id(`INSERT INTO centres (unit_id, name) VALUES ($1, 'TTHTCĐ Mường Thanh') RETURNING id`, w.commB1)
	n := 0
	principal := func(commune int64, g domain.Grant) domain.Principal {
		n++
		name := "Người Thử " + string(rune('A'+n))
		id := w.id(`INSERT INTO people (full_name, given_name, sort_key, search_exact, search_folded, commune_id, phone)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, name, domain.GivenName(name), domain.NameSortKey(name),
			domain.LowerForSearch(name), domain.FoldForSearch(name), commune, "09800000"+string(rune('0'+n/10))+string(rune('0'+n%10)))
		g.PersonID = id
		return domain.Principal{PersonID: id, AccountID: id, Grants: []domain.Grant{g}}
	}
	cg := func(role domain.Role, centre, commune, prov int64) domain.Grant {
		return domain.Grant{Role: role, Kind: domain.ScopeCentre, CentreID: centre, CommuneID: commune, ProvinceID: prov}
	}
	w.admin = principal(w.commA1, domain.Grant{Role: domain.RoleAdmin, Kind: domain.ScopeSystem})
	w.officerA = principal(w.commA1, domain.Grant{Role: domain.RoleOfficer, Kind: domain.ScopeProvince, UnitID: w.provA, ProvinceID: w.provA})
	w.officerA1 = principal(w.commA1, domain.Grant{Role: domain.RoleOfficer, Kind: domain.ScopeCommune, UnitID: w.commA1, CommuneID: w.commA1, ProvinceID: w.provA})
	w.managerA1 = principal(w.commA1, cg(domain.RoleManager, w.centreA1, w.commA1, w.provA))
	w.teacherA1 = principal(w.commA1, cg(domain.RoleTeacher, w.centreA1, w.commA1, w.provA))
	w.learnerA1 = principal(w.commA1, cg(domain.RoleLearner, w.centreA1, w.commA1, w.provA))
	w.managerB1 = principal(w.commB1, cg(domain.RoleManager, w.centreB1, w.commB1, w.provB))
	w.learnerB1 = principal(w.commB1, cg(domain.RoleLearner, w.centreB1, w.commB1, w.provB))
	w.courses = &courses.Service{Store: postgres.NewCourses(db)}
	w.svc = &quizzes.Service{Store: postgres.NewQuizzes(db), Gate: w.courses, Completer: w.done, Now: func() time.Time { return w.clock }}
	return w
}

// id runs SQL and returns the first column of the first row, if any.
func (w *world) id(q string, args ...any) int64 {
	w.t.Helper()
	var id int64
	rows, err := w.db.SQL().Query(q, args...)
	if err != nil {
		w.t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	if rows.Next() {
		if err := rows.Scan(&id); err != nil {
			w.t.Fatal(err)
		}
	}
	return id
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
	t := w.t
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
	c.published, c.version = lesson.ID, w.id(`SELECT version_id FROM lessons WHERE id = $1`, lesson.ID)
	return c
}

// enrol enrols a person in the course's published version with plain SQL
// (the enrolments use case is written elsewhere).
func (w *world) enrol(p domain.Principal, c quizCourse) int64 {
	return w.id(`INSERT INTO enrolments (person_id, course_id, version_id, source, enrolled_by) VALUES ($1, $2, $3, 'self', $1) RETURNING id`,
		p.PersonID, c.id, c.version)
}

// draftLesson opens the course's draft and returns its quiz lesson.
func (w *world) draftLesson(c quizCourse) int64 {
	w.t.Helper()
	must(w.courses.OpenDraft(context.Background(), w.admin, c.id))
	return w.id(`SELECT l.id FROM lessons l JOIN courses c ON c.draft_version_id = l.version_id WHERE c.id = $1 AND l.kind = 'quiz'`, c.id)
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
