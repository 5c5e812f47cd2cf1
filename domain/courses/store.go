package courses

import (
	"context"
	"time"

	"densach/domain"
)

// Store keeps courses, their versions, modules and lessons. Writes to a
// version are refused by the database once it is published; the store
// answers that with CodeConflict course_version_published.
type Store interface {
	// Head reads a course's owner, place and versions; CodeNotFound when unknown.
	Head(ctx context.Context, id int64) (Head, error)
	// ModuleHead reads the course of a module and the version it lies in.
	ModuleHead(ctx context.Context, moduleID int64) (Head, int64, error)
	// LessonHead reads the course of a lesson and the version it lies in.
	LessonHead(ctx context.Context, lessonID int64) (Head, int64, error)
	// VersionByNumber finds a published version's id; CodeNotFound when none.
	VersionByNumber(ctx context.Context, courseID int64, number int) (int64, error)
	// Load reads a version with its tags, modules and lessons (without
	// bodies): two round trips.
	Load(ctx context.Context, versionID int64) (Version, []Module, error)
	// Lesson reads one lesson with its body, material and tags.
	Lesson(ctx context.Context, lessonID int64) (Lesson, error)
	// List lists the courses scope reads, newest change first.
	List(ctx context.Context, scope Scope, f ListFilter) (Page, error)
	// Versions lists a course's versions, newest first.
	Versions(ctx context.Context, courseID int64) ([]VersionInfo, error)

	// CentreProvince locates a centre: its province; CodeNotFound when unknown.
	CentreProvince(ctx context.Context, centreID int64) (int64, error)
	// IsProvince reports whether the unit is a province current on the
	// day today (Vietnam's civil date, midnight UTC).
	IsProvince(ctx context.Context, unitID int64, today time.Time) (bool, error)
	// TagSteps returns, for each known competence among ids, the level
	// steps its framework defines (empty when it has none).
	TagSteps(ctx context.Context, ids []int32) (map[int32][]int16, error)
	// CategoryExists reports whether an active category has the code.
	CategoryExists(ctx context.Context, code string) (bool, error)
	// MaterialKind returns the kind of a ready material of the course, or
	// "" when there is none such.
	MaterialKind(ctx context.Context, courseID, materialID int64) (string, error)

	// Create stores a course with its draft and returns its id.
	Create(ctx context.Context, c NewCourse, by int64) (int64, error)
	// UpdateDraft writes the draft's details and, when tags is not nil, its tags.
	UpdateDraft(ctx context.Context, courseID, draftID int64, d Details, tags *[]domain.CompetenceTag) error
	// OpenDraft deep-copies the published version into a new draft, unless
	// one is open; it returns the draft's id.
	OpenDraft(ctx context.Context, courseID, by int64) (int64, error)
	// DiscardDraft deletes the open draft of a course that has a published version.
	DiscardDraft(ctx context.Context, courseID int64) error
	// Publish numbers the draft and makes it the published version;
	// CodeInvalid course_empty when it has no lesson.
	Publish(ctx context.Context, courseID, by int64, at time.Time) error
	// SetStatus moves the course from one status to another; CodeConflict
	// when it is not in from.
	SetStatus(ctx context.Context, courseID int64, from, to Status) error
	// Delete deletes a never-published course.
	Delete(ctx context.Context, courseID int64) error
	// Copy makes a new draft course at the centre from a published version.
	Copy(ctx context.Context, versionID, centreID, by int64) (int64, error)

	// AddModule appends a module to a draft version.
	AddModule(ctx context.Context, courseID, versionID int64, title string) (Module, error)
	// RenameModule renames a module.
	RenameModule(ctx context.Context, courseID, moduleID int64, title string) (Module, error)
	// DeleteModule deletes a module with its lessons; the later ones move up.
	DeleteModule(ctx context.Context, courseID, moduleID int64) error
	// AddLesson appends a lesson to a module and returns its id.
	AddLesson(ctx context.Context, courseID, moduleID int64, l LessonInput) (int64, error)
	// UpdateLesson rewrites a lesson.
	UpdateLesson(ctx context.Context, courseID, lessonID int64, l LessonInput) error
	// DeleteLesson deletes a lesson; the later ones move up.
	DeleteLesson(ctx context.Context, courseID, lessonID int64) error
	// Reorder sets the draft's whole order in one transaction;
	// CodeInvalid structure_mismatch when the ids are not exactly the draft's.
	Reorder(ctx context.Context, courseID, versionID int64, order []ModuleOrder) error
}
