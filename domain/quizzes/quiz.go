// Package quizzes is the use case of quizzes: a question bank per course,
// the settings of each quiz lesson (frozen with the course version when it
// is published), and learners' attempts scored on the server. Whether a
// caller may see or edit a course is the courses use case's decision,
// asked through CourseGate; who may attempt is the learner of an active
// enrolment in the version that holds the quiz lesson.
package quizzes

import (
	"context"
	"time"

	"densach/domain"
)

// Kind is the kind of a question.
type Kind string

// The question kinds.
const (
	KindSingle    Kind = "single"     // one right option
	KindMultiple  Kind = "multiple"   // every right option and no other
	KindTrueFalse Kind = "true_false" // true or false
	KindNumeric   Kind = "numeric"    // a number within a tolerance
)

// Question is a question of a course's bank, with its answer.
type Question struct {
	ID            int64
	CourseID      int64
	Kind          Kind
	PromptMD      string
	Options       []string // choice kinds
	Correct       []int    // choice kinds: indexes into Options
	AnswerBool    *bool    // true_false
	AnswerNum     *float64 // numeric
	Tolerance     float64  // numeric
	ExplanationMD string
	Position      int
}

// QuestionInput is a question as an editor writes it.
type QuestionInput struct {
	Kind          Kind
	PromptMD      string
	Options       []string
	Correct       []int
	AnswerBool    *bool
	AnswerNum     *float64
	Tolerance     float64
	ExplanationMD string
}

// Settings are a quiz lesson's rules.
type Settings struct {
	PassPercent      int // 0–100; default 70
	AttemptLimit     int // 0: unlimited
	TimeLimitS       int // 0: untimed
	ShuffleQuestions bool
	ShuffleOptions   bool
	// QuestionIDs chooses questions of the bank, in the bank's order; nil:
	// the whole bank.
	QuestionIDs []int64
}

// DefaultSettings are a quiz lesson's rules until someone sets them.
var DefaultSettings = Settings{PassPercent: 70}

// Quiz is a quiz lesson as its editors see it: the rules and the questions
// with their answers (the frozen snapshot for a published version).
type Quiz struct {
	LessonID  int64
	VersionID int64
	CourseID  int64
	Frozen    bool
	Settings  Settings
	Questions []Question
}

// Lesson locates a lesson for the use case.
type Lesson struct {
	ID        int64
	VersionID int64
	CourseID  int64
	Kind      string
	Published bool // the lesson's version is published (frozen)
}

// Slot is one question of an attempt as it was shown: the question and its
// options' original indexes in the order shown.
type Slot struct {
	QuestionID int64
	Options    []int
}

// Answer is a learner's answer to one question; Choices are positions in
// the options as shown in the attempt.
type Answer struct {
	QuestionID int64
	Choices    []int
	Bool       *bool
	Number     *float64
}

// Record is an attempt as stored.
type Record struct {
	ID            int64
	EnrolmentID   int64
	PersonID      int64 // the enrolment's learner
	LessonID      int64
	Number        int
	StartedAt     time.Time
	Deadline      *time.Time
	SubmittedAt   *time.Time
	Layout        []Slot
	Answers       []Answer
	Results       []bool // per slot, after submission
	CorrectCount  int
	QuestionCount int
	Score         *float64
	Passed        *bool
	Late          bool
}

// Open reports whether the attempt awaits its submission.
func (r Record) Open() bool { return r.SubmittedAt == nil }

// ShownQuestion is a question of an attempt as the learner sees it. The
// answer fields are filled only once the attempt is submitted.
type ShownQuestion struct {
	ID       int64
	Kind     Kind
	PromptMD string
	Options  []string // in the order shown

	Reviewed      bool // the fields below are set
	Answer        *Answer
	Right         bool
	Correct       []int // positions as shown
	AnswerBool    *bool
	AnswerNum     *float64
	Tolerance     float64
	ExplanationMD string
}

// Attempt is an attempt as its learner sees it.
type Attempt struct {
	ID            int64
	LessonID      int64
	Number        int
	StartedAt     time.Time
	Deadline      *time.Time
	SubmittedAt   *time.Time
	QuestionCount int
	CorrectCount  int
	Score         *float64
	Passed        *bool
	Late          bool
	PassPercent   int
	Questions     []ShownQuestion // nil in lists
}

// Results are a learner's attempts at one quiz lesson.
type Results struct {
	LessonID     int64
	Settings     Settings
	Attempts     []Attempt // oldest first, without questions
	Best         *float64
	Latest       *float64
	Passed       bool
	AttemptsLeft *int // nil: unlimited
}

// QuestionStat is how one question fared over submitted attempts.
type QuestionStat struct {
	QuestionID int64
	PromptMD   string
	Kind       Kind
	Answered   int // attempts that showed it
	Right      int
	// Share is Right / Answered (0 when nobody answered).
	Share float64
}

// Stats are a quiz lesson's statistics across every version of the lesson.
type Stats struct {
	LessonID  int64
	Attempts  int
	Passed    int
	Questions []QuestionStat
}

// Result is what scoring decides.
type Result struct {
	Answers      []Answer
	Results      []bool
	CorrectCount int
	Score        float64
	Passed       bool
	Late         bool
	At           time.Time
}

// CourseGate answers what a caller may do with a course; the courses use
// case implements it.
type CourseGate interface {
	CourseAccess(ctx context.Context, p domain.Principal, courseID int64) (domain.CourseAccess, error)
}

// LessonCompleter marks a quiz lesson complete for an enrolment (the
// enrolments use case, which keeps progress); it must be idempotent.
type LessonCompleter interface {
	CompleteQuiz(ctx context.Context, enrolmentID, lessonID int64, at time.Time) error
}

// Store keeps the bank, the settings and the attempts.
type Store interface {
	// Lesson locates a lesson; CodeNotFound when unknown.
	Lesson(ctx context.Context, lessonID int64) (Lesson, error)
	// QuestionCourse is the course of a bank question; CodeNotFound when unknown.
	QuestionCourse(ctx context.Context, questionID int64) (int64, error)
	// Questions lists a course's bank in order.
	Questions(ctx context.Context, courseID int64) ([]Question, error)
	// AddQuestion appends a question to the bank.
	AddQuestion(ctx context.Context, courseID int64, in QuestionInput) (Question, error)
	// UpdateQuestion rewrites a question.
	UpdateQuestion(ctx context.Context, id int64, in QuestionInput) (Question, error)
	// DeleteQuestion deletes a question (published snapshots keep it).
	DeleteQuestion(ctx context.Context, id int64) error
	// Quiz reads a quiz lesson: its settings (DefaultSettings when none
	// are stored) and its questions, the frozen snapshot when published,
	// else resolved from the bank.
	Quiz(ctx context.Context, l Lesson) (Quiz, error)
	// SaveSettings writes a draft quiz lesson's settings; CodeConflict
	// course_version_published when frozen.
	SaveSettings(ctx context.Context, l Lesson, s Settings) error
	// ActiveEnrolment is the person's active enrolment in the version, 0 when none.
	ActiveEnrolment(ctx context.Context, personID, versionID int64) (int64, error)
	// Attempts lists an enrolment's attempts at a lesson, oldest first.
	Attempts(ctx context.Context, enrolmentID, lessonID int64) ([]Record, error)
	// CreateAttempt stores a new open attempt; CodeConflict
	// quiz_attempt_conflict when another start won the race.
	CreateAttempt(ctx context.Context, r Record) (int64, error)
	// Attempt reads an attempt; CodeNotFound when unknown.
	Attempt(ctx context.Context, id int64) (Record, error)
	// SubmitAttempt stores the result of an open attempt; CodeConflict
	// quiz_already_submitted when it was submitted already.
	SubmitAttempt(ctx context.Context, id int64, r Result) error
	// MyQuizzes lists, in one statement, the quiz lessons of the versions a
	// person is actively enrolled in, with their submitted attempts summed up.
	MyQuizzes(ctx context.Context, personID int64) ([]MyQuiz, error)
	// Stats counts submitted attempts and right answers per question over
	// every version of the lesson (by its key).
	Stats(ctx context.Context, lessonID int64) (Stats, error)
}

// MyQuiz is one quiz lesson of a course the learner is enrolled in, with
// their results there: "my results" lists them all at once.
type MyQuiz struct {
	EnrolmentID     int64
	CourseTitle     string
	LessonID        int64
	LessonTitle     string
	PassPercent     int
	AttemptLimit    *int
	Attempts        int // submitted
	Best, Latest    *float64
	Passed          bool
	LastSubmittedAt *time.Time
}
