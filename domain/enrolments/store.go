package enrolments

import (
	"context"
	"time"

	"densach/domain"
	"densach/domain/courses"
)

// Courses is what enrolments need of the courses use case: whether and how
// the caller reads a course, and its published version.
type Courses interface {
	CourseAccess(ctx context.Context, p domain.Principal, courseID int64) (domain.CourseAccess, error)
	Get(ctx context.Context, p domain.Principal, id int64, version string) (courses.Detail, error)
}

// People locates the person being enrolled (their commune and the centres
// where they hold roles).
type People interface {
	GetPerson(ctx context.Context, id int64) (domain.Person, error)
}

// Store keeps enrolments, their history and their lessons' progress.
type Store interface {
	// Create stores a live enrolment and its first event; CodeConflict
	// enrolment_exists when the person already has a live one in the course.
	Create(ctx context.Context, e *Enrolment) error
	// Get reads one enrolment; CodeNotFound when unknown.
	Get(ctx context.Context, id int64) (Enrolment, error)
	// Withdraw withdraws a live enrolment with its reason and records the
	// event; CodeConflict enrolment_not_live when it is withdrawn already.
	Withdraw(ctx context.Context, id, by int64, reason string, at time.Time) error
	// ByPerson lists a person's enrolments, newest first, with progress.
	ByPerson(ctx context.Context, personID int64) ([]Summary, error)
	// Lessons lists a version's lessons in course order.
	Lessons(ctx context.Context, versionID int64) ([]LessonRef, error)
	// Progress reads an enrolment's lesson progress.
	Progress(ctx context.Context, enrolmentID int64) ([]State, error)
	// Record merges one batch (one state per lesson) into the enrolment's
	// progress in one statement, and returns the merged rows; none (and
	// nothing written) when the enrolment is not live (active or completed).
	Record(ctx context.Context, enrolmentID int64, batch []State, threshold float64) ([]State, error)
	// Learners lists a course's enrolments with progress.
	Learners(ctx context.Context, courseID int64, f LearnerFilter) (LearnerPage, error)
}
