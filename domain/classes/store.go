package classes

import (
	"context"
	"time"

	"densach/domain"
	"densach/domain/courses"
)

// Courses is what classes need of the courses use case: the course the
// caller offers, with its published version.
type Courses interface {
	Get(ctx context.Context, p domain.Principal, id int64, version string) (courses.Detail, error)
}

// Store keeps venues, teacher shares, classes, sessions and holidays.
type Store interface {
	// CentreArea locates a centre (its commune and province); CodeNotFound
	// when unknown.
	CentreArea(ctx context.Context, centreID int64) (domain.Area, error)

	CreateVenue(ctx context.Context, v *Venue) error
	UpdateVenue(ctx context.Context, v Venue) error
	Venue(ctx context.Context, id int64) (Venue, error)
	// Venues lists the venues of the centres in scope (and of centreID
	// when not 0), by name.
	Venues(ctx context.Context, scope domain.Filter, centreID int64) ([]Venue, error)

	// CreateShare records an agreement; CodeConflict teacher_share_exists
	// when one stands already.
	CreateShare(ctx context.Context, s *Share) error
	Share(ctx context.Context, id int64) (Share, error)
	// Shares lists the standing agreements from or to a centre.
	Shares(ctx context.Context, centreID int64) ([]Share, error)
	RevokeShare(ctx context.Context, id, by int64, at time.Time) error
	// TeacherCentres lists the centres where the person holds a teacher or
	// manager grant.
	TeacherCentres(ctx context.Context, personID int64) ([]int64, error)
	// SharedTo reports the centre that lends the person to centreID (0: none).
	SharedTo(ctx context.Context, personID, centreID int64) (int64, error)

	// CreateClass stores a class with its teachers.
	CreateClass(ctx context.Context, c *Class) error
	// UpdateClass replaces a class's settings and teachers; when the class
	// is cancelled, its scheduled sessions that have not ended are
	// cancelled with it (in the same transaction).
	UpdateClass(ctx context.Context, c Class, at time.Time) error
	Class(ctx context.Context, id int64) (Class, error)
	Classes(ctx context.Context, f ClassFilter) ([]Class, error)

	// CreateSessions stores sessions in one transaction (all or none) and
	// sets their ids; CodeConflict session_conflict when one overlaps a
	// booked session of its venue or teacher (the exclusion constraints).
	CreateSessions(ctx context.Context, ss []Session) error
	// UpdateSession stores a session's new state and bumps its sequence;
	// CodeConflict session_conflict as CreateSessions.
	UpdateSession(ctx context.Context, s Session) error
	Session(ctx context.Context, id int64) (Session, error)
	Sessions(ctx context.Context, f SessionFilter) ([]Session, error)
	// Calendar lists the sessions (scheduled and cancelled) a calendar
	// filter selects, in time order, at most f.Limit.
	Calendar(ctx context.Context, f CalendarFilter) ([]Session, error)
	// Conflicts lists the scheduled sessions (other than the wanted ones'
	// own ids) that overlap a wanted session on its venue or teacher.
	Conflicts(ctx context.Context, wanted []Session) ([]Conflict, error)

	// SeedHolidays stores the computed holidays of a province's year unless
	// the year was seeded before (so deleted days stay deleted).
	SeedHolidays(ctx context.Context, provinceID int64, year int, hs []Holiday) error
	// Holidays lists a province's holidays between two civil dates (inclusive).
	Holidays(ctx context.Context, provinceID int64, from, to time.Time) ([]Holiday, error)
	// CreateHoliday stores a day; CodeConflict holiday_exists when the day is one already.
	CreateHoliday(ctx context.Context, h *Holiday) error
	Holiday(ctx context.Context, id int64) (Holiday, error)
	DeleteHoliday(ctx context.Context, id int64) error
}
