package domain

// SessionAccess is what a caller may do with one class session's
// materials, as decided by the classes use cases (who runs, teaches, reads
// or attends the class). The materials use case asks for it instead of
// deciding itself, as it asks the courses use case about a course.
type SessionAccess struct {
	SessionID int64
	ClassID   int64
	// CentreID is the class's centre, whose quota the session's materials
	// count against.
	CentreID int64
	// Read: the caller may see the session (a session they may not see is
	// reported as not found).
	Read bool
	// ReadMaterials: the caller may list and download the session's
	// materials: those who read the class's centre in full (administrators,
	// its officers, managers and teachers), the class's and the session's
	// teachers, and the learners enrolled in the class (active or completed).
	ReadMaterials bool
	// EditMaterials: the caller may upload and delete them: administrators,
	// the centre's managers, the class's and the session's teachers.
	EditMaterials bool
	// Cancelled: the session is cancelled and takes no new files.
	Cancelled bool
}
