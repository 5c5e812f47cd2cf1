package domain

// CourseAccess is what a caller may do with one course, as decided by the
// courses use cases. Other aggregates that hang off a course (materials)
// ask for it instead of deciding themselves.
type CourseAccess struct {
	CourseID int64
	// The owner, exactly one set (as in the courses table): the centre, or
	// the province whose library holds the course.
	CentreID   int64
	ProvinceID int64
	// Read: the caller may see the course's published version (a course
	// they may not read is reported as not found).
	Read bool
	// ReadDrafts: the caller may also see the open draft.
	ReadDrafts bool
	// EditLessons: the caller may change modules, lessons and their files.
	EditLessons bool
}
