// Package enrolments is the use case of enrolment (one concept for online
// courses and, with the classes issue, scheduled classes) and of the
// learner's progress through the lessons of the course version they are
// enrolled in. Whether a caller may read a course is the courses use case's
// decision, asked through Courses.
package enrolments

import (
	"time"

	"densach/domain/courses"
)

// Status is where an enrolment stands.
type Status string

// The statuses (migration 00018).
const (
	StatusActive     Status = "active"
	StatusWaitlisted Status = "waitlisted"
	StatusWithdrawn  Status = "withdrawn"
	StatusCompleted  Status = "completed"
)

// Source is how the enrolment came about.
type Source string

// The sources.
const (
	SourceSelf   Source = "self"
	SourceStaff  Source = "staff"
	SourceImport Source = "import"
)

// MaxReason bounds a withdrawal's reason (as the migration's CHECK).
const MaxReason = 500

// Enrolment is one person enrolled in a course at one of its versions.
type Enrolment struct {
	ID              int64
	PersonID        int64
	PersonName      string
	CourseID        int64
	VersionID       int64
	VersionNumber   int
	CourseTitle     string
	ClassID         int64  // 0: an online enrolment (no class)
	ClassTitle      string // the class's title, as read
	Status          Status
	Source          Source
	EnrolledBy      int64
	EnrolledAt      time.Time
	WaitlistedAt    *time.Time
	WithdrawnAt     *time.Time
	WithdrawnReason string
	CompletedAt     *time.Time
}

// Live reports whether the enrolment still counts (not withdrawn).
func (e Enrolment) Live() bool { return e.Status != StatusWithdrawn }

// LessonRef is a lesson of the enrolled version, in course order.
type LessonRef struct {
	ID             int64
	Key            string
	ModuleID       int64
	ModuleTitle    string
	Kind           courses.LessonKind
	Title          string
	Required       bool
	ModulePosition int
	Position       int
}

// Summary is an enrolment with its course progress, as "my courses" lists it.
type Summary struct {
	Enrolment
	Percent        int
	RequiredDone   int
	RequiredTotal  int
	LastActivityAt *time.Time
}

// Detail is an enrolment with the outline of its version, each lesson's
// progress, the course percentage and where to continue.
type Detail struct {
	Enrolment
	Lessons         []LessonRef
	Progress        []State
	Percent         int
	ResumeLessonID  int64
	ResumePositionS int
}

// LearnerSort is how a course's learners are ordered.
type LearnerSort string

// The orders.
const (
	SortName     LearnerSort = "name"
	SortProgress LearnerSort = "progress"
	SortEnrolled LearnerSort = "enrolled_at"
	SortActivity LearnerSort = "last_activity"
	// SortScore orders by the learner's quiz score (see Learner.Score);
	// learners without a submitted attempt come first ascending.
	SortScore LearnerSort = "score"
)

// LearnerFilter narrows and orders a course's learners.
type LearnerFilter struct {
	Status Status // "": the seated (active and completed), not the waitlisted
	Sort   LearnerSort
	Desc   bool
	Limit  int
	After  *LearnerCursor
}

// LearnerCursor is the position after the last learner of a page: the sort
// key's value (as text) and the enrolment id.
type LearnerCursor struct {
	Key string
	ID  int64
}

// Learner is one line of a course's learners: progress and quiz scores.
type Learner struct {
	Summary
	// Score is the mean of the best scores of the quiz lessons the learner
	// has submitted an attempt of; nil before any.
	Score *float64
	// Quizzes are the learner's results per quiz lesson attempted.
	Quizzes []QuizScore
}

// QuizScore is a learner's results in one quiz lesson (by its key, stable
// across versions): best and latest submitted scores.
type QuizScore struct {
	LessonKey string
	Best      float64
	Latest    float64
	Attempts  int
	Passed    bool
}

// QuizLesson is a quiz lesson of the course's published version, a column
// of the learners' table.
type QuizLesson struct {
	Key   string
	Title string
}

// LearnerPage is a page of learners, with the course's quiz lessons.
type LearnerPage struct {
	Items       []Learner
	Next        *LearnerCursor
	QuizLessons []QuizLesson
}
