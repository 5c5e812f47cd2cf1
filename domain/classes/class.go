// Package classes holds the use cases of scheduled classes: a centre's
// venues, teachers shared between centres, classes (a published course
// version offered at a centre), their sessions on the calendar and the
// public holidays sessions skip.
package classes

import (
	"time"
	_ "time/tzdata" // Asia/Ho_Chi_Minh wherever the binary runs

	"densach/domain"
)

// Zone is the time zone sessions are shown and entered in.
var Zone = mustZone("Asia/Ho_Chi_Minh")

func mustZone(name string) *time.Location {
	z, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return z
}

// Venue is one of a centre's places.
type Venue struct {
	ID         int64
	CentreID   int64
	CentreName string
	Name       string
	Address    string
	Capacity   int
	Computers  int
	Projector  bool
	Internet   bool
	Active     bool
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// VenueInput creates or replaces a venue (CentreID only on create).
type VenueInput struct {
	CentreID  int64
	Name      string
	Address   string
	Capacity  int
	Computers int
	Projector bool
	Internet  bool
	Active    *bool
}

// Share is a centre's agreement that one of its teachers teaches for
// another centre.
type Share struct {
	ID           int64
	PersonID     int64
	PersonName   string
	FromCentreID int64
	ToCentreID   int64
	Note         string
	AgreedBy     int64
	AgreedAt     time.Time
	RevokedAt    *time.Time
}

// Mode is how a class meets; a session is in person or online.
type Mode string

// The modes.
const (
	ModeInPerson Mode = "in_person"
	ModeOnline   Mode = "online"
	ModeBlended  Mode = "blended"
)

// Status is where a class is in its life.
type Status string

// The statuses of a class.
const (
	StatusPlanned   Status = "planned"
	StatusOpen      Status = "open"
	StatusRunning   Status = "running"
	StatusFinished  Status = "finished"
	StatusCancelled Status = "cancelled"
)

// next lists the statuses a class may move to from each.
var next = map[Status][]Status{
	StatusPlanned: {StatusOpen, StatusCancelled},
	StatusOpen:    {StatusPlanned, StatusRunning, StatusCancelled},
	StatusRunning: {StatusFinished, StatusCancelled},
}

// Teacher is one of a class's teachers; HomeCentreID is the lending
// centre of a shared teacher (0 for a teacher of the class's centre).
type Teacher struct {
	PersonID     int64
	Name         string
	HomeCentreID int64
}

// Class is a published course version offered at a centre.
type Class struct {
	ID            int64
	CentreID      int64
	CentreName    string
	CommuneID     int64
	ProvinceID    int64
	CourseID      int64
	VersionID     int64
	VersionNumber int
	Title         string
	Mode          Mode
	VenueID       int64
	VenueName     string
	Capacity      int
	EnrolFrom     *time.Time // civil dates (midnight UTC)
	EnrolUntil    *time.Time
	StartsOn      time.Time
	EndsOn        time.Time
	CompletionPct int
	MeetingURL    string
	Status        Status
	CancelReason  string
	Teachers      []Teacher
	CreatedBy     int64
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// Area is where the class is, for scope checks.
func (c Class) Area() domain.Area {
	return domain.Area{CommuneID: c.CommuneID, ProvinceID: c.ProvinceID, CentreIDs: []int64{c.CentreID}}
}

// ClassInput creates or replaces a class's settings. CentreID and CourseID
// are read on create only (the version pinned is the course's published
// one); Status on update only.
type ClassInput struct {
	CentreID      int64
	CourseID      int64
	Title         string
	Mode          Mode
	VenueID       int64
	Capacity      int
	EnrolFrom     *time.Time
	EnrolUntil    *time.Time
	StartsOn      time.Time
	EndsOn        time.Time
	CompletionPct *int
	MeetingURL    string
	TeacherIDs    []int64
	Status        Status
	CancelReason  string
}

// ClassFilter selects the classes a list shows.
type ClassFilter struct {
	// Scope: the centres whose classes the caller reads in full.
	Scope domain.Filter
	// TeacherID also shows the classes the caller teaches.
	TeacherID int64
	// OpenIn also shows open and running classes of these provinces.
	OpenIn   []int64
	CentreID int64
	Status   Status
}

// SessionStatus is whether a session is to be held.
type SessionStatus string

// The statuses of a session.
const (
	SessionScheduled SessionStatus = "scheduled"
	SessionCancelled SessionStatus = "cancelled"
)

// Session is one meeting of a class.
type Session struct {
	ID           int64
	ClassID      int64
	ClassTitle   string
	CentreID     int64
	StartsAt     time.Time
	EndsAt       time.Time
	Mode         Mode // in_person or online
	VenueID      int64
	VenueName    string
	TeacherID    int64
	TeacherName  string
	MeetingURL   string
	Status       SessionStatus
	CancelReason string
	Sequence     int
	// Role is, in the caller's own sessions, "teacher" or "learner".
	Role string
}

// SessionFilter selects sessions.
type SessionFilter struct {
	ClassID   int64
	TeacherID int64
	// LearnerID selects the sessions of the classes the person is
	// enrolled in (active).
	LearnerID int64
	From, To  time.Time // zero: unbounded
}

// Conflict is a booked session that overlaps a wanted one on the same
// venue or teacher.
type Conflict struct {
	SessionID  int64
	ClassID    int64
	ClassTitle string
	StartsAt   time.Time
	EndsAt     time.Time
	Resource   string // "venue" or "teacher"
	VenueID    int64
	TeacherID  int64
	// Wanted is the index of the wanted session it overlaps (in a batch).
	Wanted int
}
