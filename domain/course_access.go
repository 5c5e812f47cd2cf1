package domain

// CourseAccess is what a caller may do with one course, as decided by the
// courses use cases. Other aggregates that hang off a course (materials)
// ask for it instead of deciding themselves.
type CourseAccess struct {
	CourseID   int64
	CentreID   int64 // the owning centre, 0 for a province library course
	ProvinceID int64 // the owning province for a library course; else the centre's province
	// Read: the caller may see the course's published version (a course
	// they may not read is reported as not found).
	Read bool
	// ReadDrafts: the caller may also see the open draft.
	ReadDrafts bool
	// EditLessons: the caller may change modules, lessons and their files.
	EditLessons bool
}
