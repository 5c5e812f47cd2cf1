package api

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"densach/domain/quizzes"
)

// mountQuizzes registers the quizzes: a course's question bank and a quiz
// lesson's settings for its editors, attempts for its enrolled learners,
// and per-question statistics for staff. Scoring is the server's: an
// attempt carries no right answer or explanation until it is submitted.
func (s *Server) mountQuizzes(r router) {
	r.Get("/courses/:id/quiz-questions", s.listQuizQuestions)
	r.Post("/courses/:id/quiz-questions", s.addQuizQuestion)
	r.Put("/quiz-questions/:id", s.updateQuizQuestion)
	r.Delete("/quiz-questions/:id", s.deleteQuizQuestion)
	r.Get("/lessons/:id/quiz", s.getQuiz)
	r.Put("/lessons/:id/quiz", s.saveQuizSettings)
	r.Get("/lessons/:id/quiz/stats", s.quizStats)
	r.Get("/lessons/:id/quiz/attempts", s.myQuizResults)
	r.Get("/me/quiz-results", s.listMyQuizResults)
	r.Post("/lessons/:id/quiz/attempts", s.startQuizAttempt)
	r.Get("/quiz-attempts/:id", s.getQuizAttempt)
	r.Post("/quiz-attempts/:id/submit", s.submitQuizAttempt)
}

type quizQuestionJSON struct {
	ID            int64    `json:"id"`
	CourseID      int64    `json:"course_id"`
	Kind          string   `json:"kind"`
	PromptMD      string   `json:"prompt_md"`
	Options       []string `json:"options"`
	Correct       []int    `json:"correct"`
	AnswerBool    *bool    `json:"answer_bool"`
	AnswerNum     *float64 `json:"answer_num"`
	Tolerance     float64  `json:"tolerance"`
	ExplanationMD string   `json:"explanation_md"`
	Position      int      `json:"position"`
}

func toQuizQuestionJSON(q quizzes.Question) quizQuestionJSON {
	out := quizQuestionJSON{ID: q.ID, CourseID: q.CourseID, Kind: string(q.Kind), PromptMD: q.PromptMD, Options: q.Options, Correct: q.Correct,
		AnswerBool: q.AnswerBool, AnswerNum: q.AnswerNum, Tolerance: q.Tolerance, ExplanationMD: q.ExplanationMD, Position: q.Position}
	if out.Options == nil {
		out.Options = []string{}
	}
	if out.Correct == nil {
		out.Correct = []int{}
	}
	return out
}

func toQuizQuestionsJSON(qs []quizzes.Question) []quizQuestionJSON {
	out := make([]quizQuestionJSON, len(qs))
	for i, q := range qs {
		out[i] = toQuizQuestionJSON(q)
	}
	return out
}

type quizQuestionInput struct {
	Kind          string   `json:"kind"`
	PromptMD      string   `json:"prompt_md"`
	Options       []string `json:"options"`
	Correct       []int    `json:"correct"`
	AnswerBool    *bool    `json:"answer_bool"`
	AnswerNum     *float64 `json:"answer_num"`
	Tolerance     float64  `json:"tolerance"`
	ExplanationMD string   `json:"explanation_md"`
}

func (in quizQuestionInput) input() quizzes.QuestionInput {
	return quizzes.QuestionInput{Kind: quizzes.Kind(in.Kind), PromptMD: in.PromptMD, Options: in.Options, Correct: in.Correct,
		AnswerBool: in.AnswerBool, AnswerNum: in.AnswerNum, Tolerance: in.Tolerance, ExplanationMD: in.ExplanationMD}
}

type quizSettingsJSON struct {
	PassPercent      int     `json:"pass_percent"`
	AttemptLimit     int     `json:"attempt_limit"`
	TimeLimitS       int     `json:"time_limit_s"`
	ShuffleQuestions bool    `json:"shuffle_questions"`
	ShuffleOptions   bool    `json:"shuffle_options"`
	QuestionIDs      []int64 `json:"question_ids"`
}

func toQuizSettingsJSON(st quizzes.Settings) quizSettingsJSON {
	return quizSettingsJSON{PassPercent: st.PassPercent, AttemptLimit: st.AttemptLimit, TimeLimitS: st.TimeLimitS,
		ShuffleQuestions: st.ShuffleQuestions, ShuffleOptions: st.ShuffleOptions, QuestionIDs: st.QuestionIDs}
}

func toQuizJSON(q quizzes.Quiz) fiber.Map {
	return fiber.Map{"lesson_id": q.LessonID, "version_id": q.VersionID, "course_id": q.CourseID, "frozen": q.Frozen,
		"settings": toQuizSettingsJSON(q.Settings), "questions": toQuizQuestionsJSON(q.Questions)}
}

type quizAnswerJSON struct {
	QuestionID int64    `json:"question_id"`
	Choices    []int    `json:"choices,omitempty"`
	ValueBool  *bool    `json:"value_bool,omitempty"`
	ValueNum   *float64 `json:"value_num,omitempty"`
}

// quizReviewJSON is present on a question only once its attempt is submitted.
type quizReviewJSON struct {
	Answer        *quizAnswerJSON `json:"answer"`
	Right         bool            `json:"right"`
	Correct       []int           `json:"correct"`
	AnswerBool    *bool           `json:"answer_bool"`
	AnswerNum     *float64        `json:"answer_num"`
	Tolerance     float64         `json:"tolerance"`
	ExplanationMD string          `json:"explanation_md"`
}

type quizShownJSON struct {
	ID       int64           `json:"id"`
	Kind     string          `json:"kind"`
	PromptMD string          `json:"prompt_md"`
	Options  []string        `json:"options"`
	Review   *quizReviewJSON `json:"review,omitempty"`
}

type quizAttemptJSON struct {
	ID            int64           `json:"id"`
	LessonID      int64           `json:"lesson_id"`
	Number        int             `json:"number"`
	StartedAt     time.Time       `json:"started_at"`
	Deadline      *time.Time      `json:"deadline"`
	SubmittedAt   *time.Time      `json:"submitted_at"`
	QuestionCount int             `json:"question_count"`
	CorrectCount  int             `json:"correct_count"`
	Score         *float64        `json:"score"`
	Passed        *bool           `json:"passed"`
	Late          bool            `json:"late"`
	PassPercent   int             `json:"pass_percent"`
	Questions     []quizShownJSON `json:"questions,omitempty"`
}

func toQuizAttemptJSON(a quizzes.Attempt) quizAttemptJSON {
	out := quizAttemptJSON{ID: a.ID, LessonID: a.LessonID, Number: a.Number, StartedAt: a.StartedAt.UTC(), Deadline: utcPtr(a.Deadline),
		SubmittedAt: utcPtr(a.SubmittedAt), QuestionCount: a.QuestionCount, CorrectCount: a.CorrectCount, Score: a.Score, Passed: a.Passed,
		Late: a.Late, PassPercent: a.PassPercent}
	for _, q := range a.Questions {
		sq := quizShownJSON{ID: q.ID, Kind: string(q.Kind), PromptMD: q.PromptMD, Options: q.Options}
		if sq.Options == nil {
			sq.Options = []string{}
		}
		if q.Reviewed {
			r := &quizReviewJSON{Right: q.Right, Correct: q.Correct, AnswerBool: q.AnswerBool, AnswerNum: q.AnswerNum, Tolerance: q.Tolerance,
				ExplanationMD: q.ExplanationMD}
			if r.Correct == nil {
				r.Correct = []int{}
			}
			if q.Answer != nil {
				r.Answer = &quizAnswerJSON{QuestionID: q.Answer.QuestionID, Choices: q.Answer.Choices, ValueBool: q.Answer.Bool, ValueNum: q.Answer.Number}
			}
			sq.Review = r
		}
		out.Questions = append(out.Questions, sq)
	}
	return out
}

func (s *Server) listQuizQuestions(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	qs, err := s.Quizzes.Questions(c.UserContext(), principal(c), id)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"items": toQuizQuestionsJSON(qs)})
}

func (s *Server) addQuizQuestion(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var in quizQuestionInput
	if err := decode(c, &in); err != nil {
		return err
	}
	q, err := s.Quizzes.AddQuestion(c.UserContext(), principal(c), id, in.input())
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(toQuizQuestionJSON(q))
}

func (s *Server) updateQuizQuestion(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var in quizQuestionInput
	if err := decode(c, &in); err != nil {
		return err
	}
	q, err := s.Quizzes.UpdateQuestion(c.UserContext(), principal(c), id, in.input())
	if err != nil {
		return err
	}
	return c.JSON(toQuizQuestionJSON(q))
}

func (s *Server) deleteQuizQuestion(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	if err := s.Quizzes.DeleteQuestion(c.UserContext(), principal(c), id); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (s *Server) getQuiz(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	q, err := s.Quizzes.Quiz(c.UserContext(), principal(c), id)
	if err != nil {
		return err
	}
	return c.JSON(toQuizJSON(q))
}

func (s *Server) saveQuizSettings(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var in quizSettingsJSON
	if err := decode(c, &in); err != nil {
		return err
	}
	q, err := s.Quizzes.SaveSettings(c.UserContext(), principal(c), id, quizzes.Settings{PassPercent: in.PassPercent, AttemptLimit: in.AttemptLimit,
		TimeLimitS: in.TimeLimitS, ShuffleQuestions: in.ShuffleQuestions, ShuffleOptions: in.ShuffleOptions, QuestionIDs: in.QuestionIDs})
	if err != nil {
		return err
	}
	return c.JSON(toQuizJSON(q))
}

func (s *Server) quizStats(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	st, err := s.Quizzes.Stats(c.UserContext(), principal(c), id)
	if err != nil {
		return err
	}
	items := make([]fiber.Map, len(st.Questions))
	for i, q := range st.Questions {
		items[i] = fiber.Map{"question_id": q.QuestionID, "prompt_md": q.PromptMD, "kind": string(q.Kind), "answered": q.Answered,
			"right": q.Right, "share": q.Share}
	}
	return c.JSON(fiber.Map{"lesson_id": st.LessonID, "attempts": st.Attempts, "passed": st.Passed, "questions": items})
}

func (s *Server) myQuizResults(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	r, err := s.Quizzes.MyResults(c.UserContext(), principal(c), id)
	if err != nil {
		return err
	}
	attempts := make([]quizAttemptJSON, len(r.Attempts))
	for i, a := range r.Attempts {
		attempts[i] = toQuizAttemptJSON(a)
	}
	return c.JSON(fiber.Map{"lesson_id": r.LessonID, "settings": toQuizSettingsJSON(r.Settings), "attempts": attempts,
		"best": r.Best, "latest": r.Latest, "passed": r.Passed, "attempts_left": r.AttemptsLeft})
}

type myQuizResultJSON struct {
	EnrolmentID     int64      `json:"enrolment_id"`
	CourseTitle     string     `json:"course_title"`
	LessonID        int64      `json:"lesson_id"`
	LessonTitle     string     `json:"lesson_title"`
	PassPercent     int        `json:"pass_percent"`
	AttemptLimit    *int       `json:"attempt_limit"`
	Attempts        int        `json:"attempts"`
	Best            *float64   `json:"best"`
	Latest          *float64   `json:"latest"`
	Passed          bool       `json:"passed"`
	LastSubmittedAt *time.Time `json:"last_submitted_at"`
}

func (s *Server) listMyQuizResults(c *fiber.Ctx) error {
	list, err := s.Quizzes.MyQuizzes(c.UserContext(), principal(c))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"items": mapJSON(list, func(q quizzes.MyQuiz) myQuizResultJSON {
		return myQuizResultJSON{EnrolmentID: q.EnrolmentID, CourseTitle: q.CourseTitle, LessonID: q.LessonID, LessonTitle: q.LessonTitle,
			PassPercent: q.PassPercent, AttemptLimit: q.AttemptLimit, Attempts: q.Attempts, Best: q.Best, Latest: q.Latest,
			Passed: q.Passed, LastSubmittedAt: q.LastSubmittedAt}
	})})
}

func (s *Server) startQuizAttempt(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	a, created, err := s.Quizzes.Start(c.UserContext(), principal(c), id)
	if err != nil {
		return err
	}
	if created {
		c.Status(fiber.StatusCreated)
	}
	return c.JSON(toQuizAttemptJSON(a))
}

func (s *Server) getQuizAttempt(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	a, err := s.Quizzes.Attempt(c.UserContext(), principal(c), id)
	if err != nil {
		return err
	}
	return c.JSON(toQuizAttemptJSON(a))
}

type quizSubmission struct {
	Answers []quizAnswerJSON `json:"answers"`
}

func (s *Server) submitQuizAttempt(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var in quizSubmission
	if err := decode(c, &in); err != nil {
		return err
	}
	answers := make([]quizzes.Answer, len(in.Answers))
	for i, a := range in.Answers {
		answers[i] = quizzes.Answer{QuestionID: a.QuestionID, Choices: a.Choices, Bool: a.ValueBool, Number: a.ValueNum}
	}
	a, err := s.Quizzes.Submit(c.UserContext(), principal(c), id, answers)
	if err != nil {
		return err
	}
	return c.JSON(toQuizAttemptJSON(a))
}
