package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"

	"densach/domain"
	"densach/domain/quizzes"
)

// Quizzes is the quizzes store: the bank, quiz lessons' settings (frozen
// at publish, see freezeQuizzes) and attempts.
type Quizzes struct{ db *DB }

// NewQuizzes returns the quizzes store over the pool.
func NewQuizzes(db *DB) *Quizzes { return &Quizzes{db: db} }

var _ quizzes.Store = (*Quizzes)(nil)

// quizQuestionRow is one row of quiz_questions; its JSON names are the
// columns', so a frozen snapshot (to_jsonb of rows) decodes into it too.
type quizQuestionRow struct {
	ID            int64     `json:"id"`
	CourseID      int64     `json:"course_id"`
	Kind          string    `json:"kind"`
	PromptMD      string    `json:"prompt_md"`
	Options       []string  `json:"options" gorm:"serializer:json"`
	Correct       []int     `json:"correct" gorm:"serializer:json"`
	AnswerBool    *bool     `json:"answer_bool"`
	AnswerNum     *float64  `json:"answer_num"`
	Tolerance     float64   `json:"tolerance"`
	ExplanationMD string    `json:"explanation_md"`
	Position      int       `json:"position"`
	CreatedAt     time.Time `json:"-"`
	UpdatedAt     time.Time `json:"-"`
}

func (quizQuestionRow) TableName() string { return "quiz_questions" }

func (r quizQuestionRow) question() quizzes.Question {
	return quizzes.Question{ID: r.ID, CourseID: r.CourseID, Kind: quizzes.Kind(r.Kind), PromptMD: r.PromptMD, Options: r.Options,
		Correct: r.Correct, AnswerBool: r.AnswerBool, AnswerNum: r.AnswerNum, Tolerance: r.Tolerance, ExplanationMD: r.ExplanationMD, Position: r.Position}
}

func questionsOf(rows []quizQuestionRow) []quizzes.Question {
	out := make([]quizzes.Question, len(rows))
	for i, r := range rows {
		out[i] = r.question()
	}
	return out
}

// quizSettingsRow is one row of quiz_settings.
type quizSettingsRow struct {
	LessonID         int64 `gorm:"primaryKey"`
	VersionID        int64
	PassPercent      int
	AttemptLimit     *int
	TimeLimitS       *int
	ShuffleQuestions bool
	ShuffleOptions   bool
	QuestionIDs      []byte `gorm:"column:question_ids"`
	Questions        []byte
	FrozenAt         *time.Time
}

func (quizSettingsRow) TableName() string { return "quiz_settings" }

// quizAttemptRow is one row of quiz_attempts (with the enrolment's person).
type quizAttemptRow struct {
	ID            int64
	EnrolmentID   int64
	PersonID      int64 `gorm:"->"`
	LessonID      int64
	Number        int
	StartedAt     time.Time
	Deadline      *time.Time
	SubmittedAt   *time.Time
	Layout        []slotJSON   `gorm:"serializer:json"`
	Answers       []answerJSON `gorm:"serializer:json"`
	Results       []bool       `gorm:"serializer:json"`
	CorrectCount  *int
	QuestionCount int
	Score         *float64
	Passed        *bool
	Late          bool
}

func (quizAttemptRow) TableName() string { return "quiz_attempts" }

type slotJSON struct {
	Q int64 `json:"q"`
	O []int `json:"o,omitempty"`
}

type answerJSON struct {
	Q int64    `json:"q"`
	C []int    `json:"c,omitempty"`
	B *bool    `json:"b,omitempty"`
	N *float64 `json:"n,omitempty"`
}

func (r quizAttemptRow) record() quizzes.Record {
	rec := quizzes.Record{ID: r.ID, EnrolmentID: r.EnrolmentID, PersonID: r.PersonID, LessonID: r.LessonID, Number: r.Number,
		StartedAt: r.StartedAt, Deadline: r.Deadline, SubmittedAt: r.SubmittedAt, Results: r.Results, QuestionCount: r.QuestionCount,
		Score: r.Score, Passed: r.Passed, Late: r.Late}
	if r.CorrectCount != nil {
		rec.CorrectCount = *r.CorrectCount
	}
	for _, s := range r.Layout {
		rec.Layout = append(rec.Layout, quizzes.Slot{QuestionID: s.Q, Options: s.O})
	}
	for _, a := range r.Answers {
		rec.Answers = append(rec.Answers, quizzes.Answer{QuestionID: a.Q, Choices: a.C, Bool: a.B, Number: a.N})
	}
	return rec
}

// Lesson locates a lesson.
func (s *Quizzes) Lesson(ctx context.Context, lessonID int64) (quizzes.Lesson, error) {
	var l quizzes.Lesson
	err := s.db.q(ctx).Raw(`SELECT l.id, l.version_id, v.course_id, l.kind, v.number IS NOT NULL AS published
		FROM lessons l JOIN course_versions v ON v.id = l.version_id WHERE l.id = ?`, lessonID).Row().
		Scan(&l.ID, &l.VersionID, &l.CourseID, &l.Kind, &l.Published)
	return l, translate("postgres.QuizLesson", err)
}

// QuestionCourse is the course of a bank question.
func (s *Quizzes) QuestionCourse(ctx context.Context, id int64) (int64, error) {
	var course int64
	err := s.db.q(ctx).Raw(`SELECT course_id FROM quiz_questions WHERE id = ?`, id).Row().Scan(&course)
	return course, translate("postgres.QuizQuestionCourse", err)
}

// Questions lists a course's bank in order.
func (s *Quizzes) Questions(ctx context.Context, courseID int64) ([]quizzes.Question, error) {
	var rows []quizQuestionRow
	err := s.db.q(ctx).Where("course_id = ?", courseID).Order("position, id").Find(&rows).Error
	return questionsOf(rows), translate("postgres.QuizQuestions", err)
}

func questionRowOf(courseID int64, in quizzes.QuestionInput) quizQuestionRow {
	return quizQuestionRow{CourseID: courseID, Kind: string(in.Kind), PromptMD: in.PromptMD, Options: in.Options, Correct: in.Correct,
		AnswerBool: in.AnswerBool, AnswerNum: in.AnswerNum, Tolerance: in.Tolerance, ExplanationMD: in.ExplanationMD}
}

// AddQuestion appends a question to the bank.
func (s *Quizzes) AddQuestion(ctx context.Context, courseID int64, in quizzes.QuestionInput) (quizzes.Question, error) {
	row := questionRowOf(courseID, in)
	err := s.db.tx(ctx, "postgres.AddQuizQuestion", func(tx *gorm.DB) error {
		// The course row serialises appends to its bank.
		if err := tx.Exec(`SELECT 1 FROM courses WHERE id = ? FOR UPDATE`, courseID).Error; err != nil {
			return err
		}
		if err := tx.Raw(`SELECT coalesce(max(position), 0) + 1 FROM quiz_questions WHERE course_id = ?`, courseID).Row().Scan(&row.Position); err != nil {
			return err
		}
		return tx.Omit("id", "created_at", "updated_at").Create(&row).Error
	})
	return row.question(), err
}

// UpdateQuestion rewrites a question.
func (s *Quizzes) UpdateQuestion(ctx context.Context, id int64, in quizzes.QuestionInput) (quizzes.Question, error) {
	row := questionRowOf(0, in)
	row.ID, row.UpdatedAt = id, time.Now()
	q := s.db.q(ctx)
	err := q.Model(&row).Select("kind", "prompt_md", "options", "correct", "answer_bool", "answer_num", "tolerance", "explanation_md", "updated_at").
		Updates(&row).Error
	if err == nil {
		err = q.Take(&row, id).Error
	}
	return row.question(), translate("postgres.UpdateQuizQuestion", err)
}

// DeleteQuestion deletes a question; settings that chose it lose it.
func (s *Quizzes) DeleteQuestion(ctx context.Context, id int64) error {
	return s.db.tx(ctx, "postgres.DeleteQuizQuestion", func(tx *gorm.DB) error {
		err := tx.Exec(`UPDATE quiz_settings SET question_ids = (SELECT coalesce(jsonb_agg(e), '[]') FROM jsonb_array_elements(question_ids) e
			WHERE e <> to_jsonb(CAST(@qid AS bigint))) WHERE frozen_at IS NULL AND question_ids @> to_jsonb(CAST(@qid AS bigint))`, map[string]any{"qid": id}).Error
		if err != nil {
			return err
		}
		return tx.Exec(`DELETE FROM quiz_questions WHERE id = ?`, id).Error
	})
}

// Quiz reads a quiz lesson's settings and questions.
func (s *Quizzes) Quiz(ctx context.Context, l quizzes.Lesson) (quizzes.Quiz, error) {
	q := quizzes.Quiz{LessonID: l.ID, VersionID: l.VersionID, CourseID: l.CourseID, Settings: quizzes.DefaultSettings}
	var rows []quizSettingsRow
	if err := s.db.q(ctx).Where("lesson_id = ?", l.ID).Limit(1).Find(&rows).Error; err != nil {
		return q, translate("postgres.Quiz", err)
	}
	var bank []quizQuestionRow
	if len(rows) == 1 {
		r := rows[0]
		q.Settings = quizzes.Settings{PassPercent: r.PassPercent, ShuffleQuestions: r.ShuffleQuestions, ShuffleOptions: r.ShuffleOptions}
		if r.AttemptLimit != nil {
			q.Settings.AttemptLimit = *r.AttemptLimit
		}
		if r.TimeLimitS != nil {
			q.Settings.TimeLimitS = *r.TimeLimitS
		}
		if r.QuestionIDs != nil {
			if err := json.Unmarshal(r.QuestionIDs, &q.Settings.QuestionIDs); err != nil {
				return q, translate("postgres.Quiz", err)
			}
		}
		if r.FrozenAt != nil {
			q.Frozen = true
			if err := json.Unmarshal(r.Questions, &bank); err != nil {
				return q, translate("postgres.Quiz", err)
			}
			q.Questions = questionsOf(bank)
			return q, nil
		}
	}
	err := s.db.q(ctx).Raw(`SELECT q.* FROM quiz_questions q WHERE q.course_id = ? AND (?::jsonb IS NULL OR q.id IN
		(SELECT jsonb_array_elements_text(?::jsonb)::bigint)) ORDER BY q.position, q.id`,
		l.CourseID, nullJSON(q.Settings.QuestionIDs), nullJSON(q.Settings.QuestionIDs)).Scan(&bank).Error
	q.Questions = questionsOf(bank)
	return q, translate("postgres.Quiz", err)
}

// nullJSON is ids as a JSON array, or SQL NULL for nil.
func nullJSON(ids []int64) any {
	if ids == nil {
		return nil
	}
	b, _ := json.Marshal(ids)
	return string(b)
}

func nullInt(n int) any {
	if n == 0 {
		return nil
	}
	return n
}

// SaveSettings writes a draft quiz lesson's settings.
func (s *Quizzes) SaveSettings(ctx context.Context, l quizzes.Lesson, st quizzes.Settings) error {
	err := s.db.q(ctx).Exec(`INSERT INTO quiz_settings (lesson_id, version_id, pass_percent, attempt_limit, time_limit_s,
			shuffle_questions, shuffle_options, question_ids) VALUES (?, ?, ?, ?, ?, ?, ?, ?::jsonb)
		ON CONFLICT (lesson_id) DO UPDATE SET pass_percent = EXCLUDED.pass_percent, attempt_limit = EXCLUDED.attempt_limit,
			time_limit_s = EXCLUDED.time_limit_s, shuffle_questions = EXCLUDED.shuffle_questions,
			shuffle_options = EXCLUDED.shuffle_options, question_ids = EXCLUDED.question_ids`,
		l.ID, l.VersionID, st.PassPercent, nullInt(st.AttemptLimit), nullInt(st.TimeLimitS), st.ShuffleQuestions, st.ShuffleOptions,
		nullJSON(st.QuestionIDs)).Error
	var pg *pgconn.PgError
	if errors.As(err, &pg) && pg.Code == "23000" {
		return errVersionPublished
	}
	return translate("postgres.SaveQuizSettings", err)
}

// ActiveEnrolment is the person's active enrolment in the version.
func (s *Quizzes) ActiveEnrolment(ctx context.Context, personID, versionID int64) (int64, error) {
	var ids []int64
	err := s.db.q(ctx).Raw(`SELECT id FROM enrolments WHERE person_id = ? AND version_id = ? AND status = 'active' ORDER BY id LIMIT 1`,
		personID, versionID).Scan(&ids).Error
	if err != nil || len(ids) == 0 {
		return 0, translate("postgres.QuizEnrolment", err)
	}
	return ids[0], nil
}

const attemptSelect = `SELECT a.*, e.person_id FROM quiz_attempts a JOIN enrolments e ON e.id = a.enrolment_id `

// Attempts lists an enrolment's attempts at a lesson, oldest first.
func (s *Quizzes) Attempts(ctx context.Context, enrolmentID, lessonID int64) ([]quizzes.Record, error) {
	var rows []quizAttemptRow
	err := s.db.q(ctx).Raw(attemptSelect+`WHERE a.enrolment_id = ? AND a.lesson_id = ? ORDER BY a.number`, enrolmentID, lessonID).Scan(&rows).Error
	out := make([]quizzes.Record, len(rows))
	for i, r := range rows {
		out[i] = r.record()
	}
	return out, translate("postgres.QuizAttempts", err)
}

// CreateAttempt stores a new open attempt.
func (s *Quizzes) CreateAttempt(ctx context.Context, r quizzes.Record) (int64, error) {
	row := quizAttemptRow{EnrolmentID: r.EnrolmentID, LessonID: r.LessonID, Number: r.Number, StartedAt: r.StartedAt, Deadline: r.Deadline,
		QuestionCount: r.QuestionCount}
	for _, sl := range r.Layout {
		row.Layout = append(row.Layout, slotJSON{Q: sl.QuestionID, O: sl.Options})
	}
	err := s.db.q(ctx).Omit("id", "answers", "results", "correct_count", "score", "passed", "submitted_at").Create(&row).Error
	var pg *pgconn.PgError
	if errors.As(err, &pg) && pg.Code == "23505" {
		return 0, domain.Fail(domain.CodeConflict, "quiz_attempt_conflict", nil)
	}
	return row.ID, translate("postgres.CreateQuizAttempt", err)
}

// Attempt reads an attempt.
func (s *Quizzes) Attempt(ctx context.Context, id int64) (quizzes.Record, error) {
	var rows []quizAttemptRow
	err := s.db.q(ctx).Raw(attemptSelect+`WHERE a.id = ?`, id).Scan(&rows).Error
	if err == nil && len(rows) == 0 {
		err = gorm.ErrRecordNotFound
	}
	if err != nil {
		return quizzes.Record{}, translate("postgres.QuizAttempt", err)
	}
	return rows[0].record(), nil
}

// SubmitAttempt stores the result of an open attempt, once.
func (s *Quizzes) SubmitAttempt(ctx context.Context, id int64, r quizzes.Result) error {
	answers := make([]answerJSON, len(r.Answers))
	for i, a := range r.Answers {
		answers[i] = answerJSON{Q: a.QuestionID, C: a.Choices, B: a.Bool, N: a.Number}
	}
	ab, _ := json.Marshal(answers)
	rb, _ := json.Marshal(r.Results)
	res := s.db.q(ctx).Exec(`UPDATE quiz_attempts SET submitted_at = ?, answers = ?::jsonb, results = ?::jsonb, correct_count = ?,
		score = ?, passed = ?, late = ? WHERE id = ? AND submitted_at IS NULL`,
		r.At, string(ab), string(rb), r.CorrectCount, r.Score, r.Passed, r.Late, id)
	if res.Error != nil {
		return translate("postgres.SubmitQuizAttempt", res.Error)
	}
	if res.RowsAffected == 0 {
		return domain.Fail(domain.CodeConflict, "quiz_already_submitted", nil)
	}
	return nil
}

// Stats counts submitted attempts and right answers per question over
// every version of the lesson, in two statements.
func (s *Quizzes) Stats(ctx context.Context, lessonID int64) (quizzes.Stats, error) {
	st := quizzes.Stats{LessonID: lessonID, Questions: []quizzes.QuestionStat{}}
	const lessons = `(SELECT o.id FROM lessons o JOIN lessons l ON l.key = o.key AND l.id = @lesson
		JOIN course_versions ov ON ov.id = o.version_id JOIN course_versions lv ON lv.id = l.version_id AND lv.course_id = ov.course_id)`
	args := map[string]any{"lesson": lessonID}
	q := s.db.q(ctx)
	err := q.Raw(`SELECT count(*), count(*) FILTER (WHERE passed) FROM quiz_attempts WHERE submitted_at IS NOT NULL AND lesson_id IN `+lessons, args).
		Row().Scan(&st.Attempts, &st.Passed)
	if err != nil {
		return st, translate("postgres.QuizStats", err)
	}
	var rows []struct {
		QuestionID int64
		PromptMD   string
		Kind       string
		Answered   int
		Right      int
	}
	// Each submitted attempt's layout and results line up slot by slot;
	// the prompt is the newest among the snapshots and the bank.
	err = q.Raw(`WITH r AS (
			SELECT (sl.value->>'q')::bigint AS qid, (a.results->>(sl.ordinality::int - 1))::boolean AS ok
			FROM quiz_attempts a, jsonb_array_elements(a.layout) WITH ORDINALITY sl
			WHERE a.submitted_at IS NOT NULL AND a.lesson_id IN `+lessons+`),
		p AS (
			SELECT DISTINCT ON (qid) qid, prompt, kind FROM (
				SELECT q.id AS qid, q.prompt_md AS prompt, q.kind, 2 AS rank, now() AS at FROM quiz_questions q WHERE q.id IN (SELECT qid FROM r)
				UNION ALL
				SELECT (e->>'id')::bigint, e->>'prompt_md', e->>'kind', 1, qs.frozen_at FROM quiz_settings qs, jsonb_array_elements(qs.questions) e
				WHERE qs.lesson_id IN `+lessons+`) x
			ORDER BY qid, rank DESC, at DESC)
		SELECT r.qid AS question_id, coalesce(p.prompt, '') AS prompt_md, coalesce(p.kind, '') AS kind,
			count(*) AS answered, count(*) FILTER (WHERE r.ok) AS "right"
		FROM r LEFT JOIN p ON p.qid = r.qid GROUP BY r.qid, p.prompt, p.kind ORDER BY min(r.qid)`, args).Scan(&rows).Error
	for _, r := range rows {
		qs := quizzes.QuestionStat{QuestionID: r.QuestionID, PromptMD: r.PromptMD, Kind: quizzes.Kind(r.Kind), Answered: r.Answered, Right: r.Right}
		if r.Answered > 0 {
			qs.Share = float64(r.Right) / float64(r.Answered)
		}
		st.Questions = append(st.Questions, qs)
	}
	return st, translate("postgres.QuizStats", err)
}

// copyQuizSettings copies a version's quiz settings onto the new draft's
// lessons (matched by key), unfrozen; across courses (a library course
// copied to a centre) the chosen ids name the other course's bank, so the
// copy takes the whole bank instead (the bank is the course's own).
func copyQuizSettings(tx *gorm.DB, from, to int64) error {
	return tx.Exec(`INSERT INTO quiz_settings (lesson_id, version_id, pass_percent, attempt_limit, time_limit_s, shuffle_questions, shuffle_options, question_ids)
		SELECT nl.id, @to, qs.pass_percent, qs.attempt_limit, qs.time_limit_s, qs.shuffle_questions, qs.shuffle_options,
			CASE WHEN fv.course_id = tv.course_id THEN qs.question_ids END
		FROM quiz_settings qs JOIN lessons ol ON ol.id = qs.lesson_id JOIN lessons nl ON nl.version_id = @to AND nl.key = ol.key
		JOIN course_versions fv ON fv.id = @from JOIN course_versions tv ON tv.id = @to
		WHERE ol.version_id = @from`, map[string]any{"to": to, "from": from}).Error
}

// freezeQuizzes gives every quiz lesson of a version being published its
// settings (the defaults when none were set) and the frozen snapshot of
// its questions, in two statements, inside the publishing transaction.
func freezeQuizzes(tx *gorm.DB, versionID, courseID int64) error {
	args := map[string]any{"v": versionID, "c": courseID}
	err := tx.Exec(`INSERT INTO quiz_settings (lesson_id, version_id) SELECT id, version_id FROM lessons
		WHERE version_id = @v AND kind = 'quiz' ON CONFLICT (lesson_id) DO NOTHING`, args).Error
	if err != nil {
		return err
	}
	return tx.Exec(`UPDATE quiz_settings qs SET frozen_at = now(), questions = coalesce((
			SELECT jsonb_agg(to_jsonb(q) - 'created_at' - 'updated_at' ORDER BY q.position, q.id) FROM quiz_questions q
			WHERE q.course_id = @c AND (qs.question_ids IS NULL OR q.id IN (SELECT jsonb_array_elements_text(qs.question_ids)::bigint))), '[]')
		WHERE qs.version_id = @v AND qs.frozen_at IS NULL`, args).Error
}

// MyQuizzes lists the quiz lessons of the versions the person is actively
// enrolled in, newest enrolment first then in course order, with their
// submitted attempts summed up: one statement for the whole page.
func (s *Quizzes) MyQuizzes(ctx context.Context, personID int64) ([]quizzes.MyQuiz, error) {
	var rows []quizzes.MyQuiz
	err := s.db.q(ctx).Raw(`SELECT e.id AS enrolment_id, v.title AS course_title, l.id AS lesson_id, l.title AS lesson_title,
			coalesce(qs.pass_percent, 70) AS pass_percent, qs.attempt_limit,
			count(a.submitted_at) AS attempts,
			max(a.score) FILTER (WHERE a.submitted_at IS NOT NULL) AS best,
			(array_agg(a.score ORDER BY a.submitted_at DESC) FILTER (WHERE a.submitted_at IS NOT NULL))[1] AS latest,
			coalesce(bool_or(a.passed) FILTER (WHERE a.submitted_at IS NOT NULL), false) AS passed,
			max(a.submitted_at) AS last_submitted_at
		FROM enrolments e
		JOIN course_versions v ON v.id = e.version_id
		JOIN lessons l ON l.version_id = e.version_id AND l.kind = 'quiz'
		JOIN course_modules m ON m.id = l.module_id
		LEFT JOIN quiz_settings qs ON qs.lesson_id = l.id
		LEFT JOIN quiz_attempts a ON a.enrolment_id = e.id AND a.lesson_id = l.id
		WHERE e.person_id = ? AND e.status = 'active'
		GROUP BY e.id, v.title, l.id, l.title, m.position, l.position, qs.pass_percent, qs.attempt_limit
		ORDER BY e.enrolled_at DESC, e.id DESC, m.position, l.position`, personID).Scan(&rows).Error
	return rows, translate("postgres.MyQuizzes", err)
}
