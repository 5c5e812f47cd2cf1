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
	// For a class enrolment it locks the class row first and, in the same
	// transaction, promotes the first waitlisted enrolments into the seats
	// left (each with an event by the system).
	Withdraw(ctx context.Context, id, by int64, reason string, at time.Time) error
	// ByPerson lists a person's enrolments in online courses (not those in
	// classes: see MyClasses), newest first, with progress.
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

	ClassStore
}

// ClassStore keeps the enrolments in scheduled classes. Every write locks
// the class row (SELECT … FOR UPDATE) before it counts seats, so that
// enrolments, withdrawals and capacity changes of one class are serialised
// and the waitlist is promoted in order (waitlisted_at, then id).
type ClassStore interface {
	// ClassRef reads what enrolment needs of a class; CodeNotFound when unknown.
	ClassRef(ctx context.Context, classID int64) (ClassRef, error)
	// EnrolInClass stores a live enrolment of e.PersonID in e.ClassID
	// (course and version as given) with its first event, active while the
	// active and completed enrolments are fewer than the capacity, else
	// waitlisted, and sets e.ID and e.Status. CodeConflict class_closed when
	// the class's status (read under the lock) is not in allowed;
	// enrolment_exists when the person has a live enrolment in the class.
	EnrolInClass(ctx context.Context, e *Enrolment, allowed []string, at time.Time) error
	// EnrolManyInClass enrols people in file order in one transaction (as
	// EnrolInClass; those with a live enrolment are left as they are and
	// reported Already). With dryRun nothing is written: the results say
	// what would be.
	EnrolManyInClass(ctx context.Context, classID int64, personIDs []int64, by int64, source Source, allowed []string, at time.Time, dryRun bool) ([]ClassEnrolResult, error)
	// WaitlistPosition is a waitlisted enrolment's place in its class's
	// waitlist (1 for the first).
	WaitlistPosition(ctx context.Context, enrolmentID int64) (int, error)
	// ClassRoster lists a class's active, completed and waitlisted
	// enrolments: active and completed first by name (Vietnamese order),
	// then the waitlisted in promotion order.
	ClassRoster(ctx context.Context, classID int64) ([]ClassEnrolment, error)
	// Overlaps lists the scheduled sessions of the person's other live
	// (active or waitlisted) class enrolments that overlap the class's
	// scheduled sessions not ended at now.
	Overlaps(ctx context.Context, classID, personID int64, now time.Time) ([]Overlap, error)
	// Events lists an enrolment's events, oldest first.
	Events(ctx context.Context, enrolmentID int64) ([]StatusEvent, error)
	// MyClasses lists the person's live class enrolments, classes still to
	// come or running first, with the next session not ended at now.
	MyClasses(ctx context.Context, personID int64, now time.Time) ([]MyClass, error)
	// OpenClasses lists the open classes of the provinces whose enrolment
	// window holds today, those of the communes first, then by start date.
	OpenClasses(ctx context.Context, provinceIDs, communeIDs []int64, personID int64, today, now time.Time) ([]OpenClass, error)
}
