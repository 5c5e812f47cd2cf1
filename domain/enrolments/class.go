package enrolments

import (
	"context"
	"slices"
	"time"

	"densach/domain"
	"densach/domain/classes"
)

// Enrolment in scheduled classes: the same enrolment (one table, one
// history) as online courses, with a class_id, the class's pinned course
// version, and a capacity with a waitlist. Counting the seats and promoting
// the waitlist happen in the store under a lock on the class row, so that
// concurrent enrolments, withdrawals and capacity changes are serialised.

// The statuses of a class (migration 00021), as the enrolment rules read them.
const (
	ClassPlanned   = "planned"
	ClassOpen      = "open"
	ClassRunning   = "running"
	ClassFinished  = "finished"
	ClassCancelled = "cancelled"
)

// staffStatuses are the class statuses in which staff may enrol someone.
var staffStatuses = []string{ClassPlanned, ClassOpen, ClassRunning}

// selfStatuses are the class statuses in which a learner may enrol themself.
var selfStatuses = []string{ClassOpen}

// ClassRef is what enrolment needs of a class.
type ClassRef struct {
	ID         int64
	Title      string
	CentreID   int64
	CentreName string
	CommuneID  int64
	ProvinceID int64
	CourseID   int64
	VersionID  int64
	Capacity   int
	Status     string
	EnrolFrom  *time.Time // civil dates (midnight UTC)
	EnrolUntil *time.Time
	TeacherIDs []int64
}

func (c ClassRef) area() domain.Area {
	return domain.Area{CommuneID: c.CommuneID, ProvinceID: c.ProvinceID, CentreIDs: []int64{c.CentreID}}
}

// windowOpen reports whether today (in Vietnam) lies in the class's
// enrolment window (an open end is unbounded).
func (c ClassRef) windowOpen(now time.Time) bool {
	today := domain.Today(now)
	if c.EnrolFrom != nil && today.Before(*c.EnrolFrom) {
		return false
	}
	if c.EnrolUntil != nil && today.After(*c.EnrolUntil) {
		return false
	}
	return true
}

// Overlap is a scheduled session of another class the learner is enrolled
// in that overlaps a scheduled session (still to come) of this class.
type Overlap struct {
	ClassID       int64
	ClassTitle    string
	SessionID     int64
	ThisSessionID int64
	StartsAt      time.Time
	EndsAt        time.Time
}

// ClassEnrolment is an enrolment in a class as its roster shows it.
type ClassEnrolment struct {
	Enrolment
	// WaitlistPosition is 1 for the first waiting; 0 unless waitlisted.
	WaitlistPosition int
	Phone            string
	BirthYear        int
	Village          string
	// PersonArea locates the learner (home commune, the centres where they
	// hold roles); PersonStaff says they hold a role other than learner.
	PersonArea  domain.Area
	PersonStaff bool
	Overlaps    []Overlap
}

// Roster is a class's enrolled learners and its waitlist.
type Roster struct {
	Items     []ClassEnrolment // active and completed, by name
	Waitlist  []ClassEnrolment // in promotion order
	Capacity  int
	SeatsLeft int
}

// StatusEvent is one change of an enrolment's status.
type StatusEvent struct {
	ID     int64
	At     time.Time
	ByID   int64 // 0: the system (a waitlist promotion)
	ByName string
	Status Status
	Reason string
}

// ReasonPromoted is the reason of the event of a waitlist promotion.
const ReasonPromoted = "waitlist_promotion"

// NextSession is a class's next session not yet ended.
type NextSession struct {
	ID         int64
	StartsAt   time.Time
	EndsAt     time.Time
	Mode       string
	VenueName  string
	MeetingURL string
}

// MyClass is one of the caller's class enrolments.
type MyClass struct {
	EnrolmentID      int64
	ClassID          int64
	ClassTitle       string
	CourseID         int64
	CentreID         int64
	CentreName       string
	Mode             string
	ClassStatus      string
	Status           Status
	WaitlistPosition int
	EnrolledAt       time.Time
	StartsOn, EndsOn time.Time
	Next             *NextSession
}

// OpenClass is a class open for enrolment, as a learner looks for one.
type OpenClass struct {
	ID             int64
	Title          string
	CourseID       int64
	Mode           string
	Status         string
	CentreID       int64
	CentreName     string
	CommuneID      int64
	CommuneName    string
	ProvinceID     int64
	Near           string // "commune" or "province"
	Capacity       int
	SeatsLeft      int
	WaitlistCount  int
	EnrolFrom      *time.Time
	EnrolUntil     *time.Time
	StartsOn       time.Time
	EndsOn         time.Time
	SessionsAhead  int
	FirstSessionAt *time.Time
	MyEnrolmentID  int64
	MyStatus       Status
}

// ClassEnrolResult is what enrolling one person in a class did: the
// status given, or Already when the person had a live enrolment.
type ClassEnrolResult struct {
	PersonID    int64
	EnrolmentID int64
	Status      Status
	Already     bool
}

var (
	errClassNotFound = domain.Fail(domain.CodeNotFound, "class_not_found", nil)
	errClassClosed   = domain.Fail(domain.CodeConflict, "class_closed", nil)
	errWiderRole     = domain.Fail(domain.CodeForbidden, "enrolment_wider_role", nil)
)

func errWindowClosed(c ClassRef) error {
	params := domain.Params{"status": c.Status, "from": "", "until": ""}
	if c.EnrolFrom != nil {
		params["from"] = c.EnrolFrom.Format("02/01/2006")
	}
	if c.EnrolUntil != nil {
		params["until"] = c.EnrolUntil.Format("02/01/2006")
	}
	return domain.Fail(domain.CodeConflict, "enrolment_window_closed", params)
}

// ---- who may do what with a class's enrolments ----

// classReads reports whether the caller reads the class as its staff
// (and so its roster): the classes use case's rule, classes.StaffReads.
func classReads(p domain.Principal, c ClassRef) bool { return classes.StaffReads(p, c.class()) }

// classSees reports whether the caller sees the class at all: the classes
// use case's rule, classes.ReadsClass (its staff, and learners of its
// province while it is open or running).
func classSees(p domain.Principal, c ClassRef) bool { return classes.ReadsClass(p, c.class()) }

// class is the ClassRef as the classes use case's read rules take it.
func (c ClassRef) class() classes.Class {
	cl := classes.Class{ID: c.ID, CentreID: c.CentreID, CommuneID: c.CommuneID, ProvinceID: c.ProvinceID, Status: classes.Status(c.Status)}
	for _, id := range c.TeacherIDs {
		cl.Teachers = append(cl.Teachers, classes.Teacher{PersonID: id})
	}
	return cl
}

// classRank is the caller's standing to enrol others in the class: 5 an
// administrator, 2 a manager of the class's centre, 1 a teacher of the
// class, 0 none.
func classRank(p domain.Principal, c ClassRef) int {
	r := 0
	for _, g := range p.Grants {
		switch {
		case g.Role == domain.RoleAdmin:
			return 5
		case g.Role == domain.RoleManager && g.CentreID == c.CentreID:
			r = max(r, 2)
		}
	}
	if r == 0 && slices.Contains(c.TeacherIDs, p.PersonID) {
		r = 1
	}
	return r
}

// roleRank orders roles by the authority they carry over others.
func roleRank(g domain.Grant) int {
	switch g.Role {
	case domain.RoleAdmin:
		return 5
	case domain.RoleOfficer:
		if g.Kind == domain.ScopeProvince {
			return 4
		}
		return 3
	case domain.RoleManager:
		return 2
	case domain.RoleTeacher:
		return 1
	}
	return 0
}

// classCovers reports whether staff of the given rank in the class covers
// the person: an administrator everyone; a manager or teacher the people
// of the class centre's commune and those who hold a role at that centre.
func classCovers(rank int, c ClassRef, person domain.Area) bool {
	if rank == 5 {
		return true
	}
	return rank > 0 && (person.CommuneID == c.CommuneID || slices.Contains(person.CentreIDs, c.CentreID))
}

// widerRole reports whether the person holds a role carrying more
// authority than the caller's standing in the class.
func widerRole(rank int, person domain.Person) bool {
	for _, g := range person.Grants {
		if roleRank(g) > rank {
			return true
		}
	}
	return false
}

// classRef reads a class the caller sees (else not found).
func (s *Service) classRef(ctx context.Context, p domain.Principal, id int64) (ClassRef, error) {
	c, err := s.Store.ClassRef(ctx, id)
	if domain.ErrorCode(err) == domain.CodeNotFound {
		return c, errClassNotFound
	}
	if err != nil {
		return c, err
	}
	if !classSees(p, c) && !s.learnerNear(ctx, p, c) {
		return c, errClassNotFound
	}
	return c, nil
}

// learnerNear reports whether a learner without a centre in the class's
// province lives there, so that the open classes listed for them (see
// OpenClasses) are the ones they may join.
func (s *Service) learnerNear(ctx context.Context, p domain.Principal, c ClassRef) bool {
	if (c.Status != ClassOpen && c.Status != ClassRunning) || !p.Has(domain.RoleLearner) {
		return false
	}
	me, err := s.People.GetPerson(ctx, p.PersonID)
	return err == nil && me.ProvinceID == c.ProvinceID
}

// staffPerson checks that the caller may enrol the person in the class:
// they cover the person, who holds no wider role than the caller's.
func (s *Service) staffPerson(ctx context.Context, p domain.Principal, c ClassRef, rank int, personID int64) error {
	person, err := s.People.GetPerson(ctx, personID)
	if domain.ErrorCode(err) == domain.CodeNotFound {
		return errPersonNotIn
	}
	if err != nil {
		return err
	}
	if !classCovers(rank, c, person.Area()) {
		if p.PeopleFilter(domain.ActRead).Matches(person.Area()) {
			return errForbidden
		}
		return errPersonNotIn
	}
	if widerRole(rank, person) {
		return errWiderRole
	}
	return nil
}

// EnrolInClass enrols a person in a class at the class's course version:
// the caller themself (personID 0 or their own) while the class is open
// and its enrolment window is open, or someone they cover (the class
// centre's managers, the class's teachers, administrators) while the class
// is planned, open or running. A full class waitlists the person. The
// answer lists the learner's other classes' sessions at the same time.
func (s *Service) EnrolInClass(ctx context.Context, p domain.Principal, classID, personID int64) (ClassEnrolment, error) {
	c, err := s.classRef(ctx, p, classID)
	if err != nil {
		return ClassEnrolment{}, err
	}
	e := Enrolment{PersonID: p.PersonID, CourseID: c.CourseID, VersionID: c.VersionID, ClassID: c.ID, Source: SourceSelf, EnrolledBy: p.PersonID}
	allowed := selfStatuses
	if personID != 0 && personID != p.PersonID {
		rank := classRank(p, c)
		if rank == 0 {
			return ClassEnrolment{}, errForbidden
		}
		if err := s.staffPerson(ctx, p, c, rank, personID); err != nil {
			return ClassEnrolment{}, err
		}
		e.PersonID, e.Source, allowed = personID, SourceStaff, staffStatuses
		if !slices.Contains(allowed, c.Status) {
			return ClassEnrolment{}, errClassClosed
		}
	} else {
		switch {
		case c.Status == ClassFinished || c.Status == ClassCancelled:
			return ClassEnrolment{}, errClassClosed
		case c.Status != ClassOpen || !c.windowOpen(s.now()):
			return ClassEnrolment{}, errWindowClosed(c)
		}
	}
	if err := s.Store.EnrolInClass(ctx, &e, allowed, s.now()); err != nil {
		if domain.AsError(err) != nil && domain.AsError(err).Key == "class_closed" && e.Source == SourceSelf {
			return ClassEnrolment{}, errWindowClosed(c)
		}
		return ClassEnrolment{}, err
	}
	out, err := s.classEnrolment(ctx, e.ID)
	if err != nil {
		return out, err
	}
	out.Overlaps, err = s.Store.Overlaps(ctx, c.ID, e.PersonID, s.now())
	return out, err
}

// classEnrolment reads one class enrolment with its waitlist position.
func (s *Service) classEnrolment(ctx context.Context, id int64) (ClassEnrolment, error) {
	e, err := s.Store.Get(ctx, id)
	if err != nil {
		return ClassEnrolment{}, err
	}
	out := ClassEnrolment{Enrolment: e}
	if e.Status == StatusWaitlisted {
		out.WaitlistPosition, err = s.Store.WaitlistPosition(ctx, id)
	}
	return out, err
}

// ClassRoster lists a class's learners and its waitlist: for those who
// read the class's centre in full and its teachers; a learner who sees the
// class is forbidden. Phones are masked for callers who do not cover the
// learner.
func (s *Service) ClassRoster(ctx context.Context, p domain.Principal, classID int64) (Roster, error) {
	c, err := s.classRef(ctx, p, classID)
	if err != nil {
		return Roster{}, err
	}
	if !classReads(p, c) {
		return Roster{}, errForbidden
	}
	list, err := s.Store.ClassRoster(ctx, classID)
	if err != nil {
		return Roster{}, err
	}
	r := Roster{Capacity: c.Capacity, Items: []ClassEnrolment{}, Waitlist: []ClassEnrolment{}}
	manage := p.PeopleFilter(domain.ActManage)
	taken := 0
	for _, e := range list {
		sees := e.PersonID == p.PersonID
		if !sees && manage.Matches(e.PersonArea) {
			sees = true
			if e.PersonStaff { // whether their roles are the caller's to cover
				person, err := s.People.GetPerson(ctx, e.PersonID)
				if err != nil {
					return Roster{}, err
				}
				sees = p.Covers(person)
			}
		}
		if !sees {
			e.Phone = domain.MaskPhone(e.Phone)
		}
		switch e.Status {
		case StatusWaitlisted:
			e.WaitlistPosition = len(r.Waitlist) + 1
			r.Waitlist = append(r.Waitlist, e)
		case StatusActive, StatusCompleted:
			taken++
			r.Items = append(r.Items, e)
		}
	}
	r.SeatsLeft = max(c.Capacity-taken, 0)
	return r, nil
}

// Events lists an enrolment's history, oldest first: for the learner and
// the staff who follow them.
func (s *Service) Events(ctx context.Context, p domain.Principal, id int64) ([]StatusEvent, error) {
	if _, _, err := s.enrolment(ctx, p, id); err != nil {
		return nil, err
	}
	return s.Store.Events(ctx, id)
}

// MyClasses lists the caller's live class enrolments.
func (s *Service) MyClasses(ctx context.Context, p domain.Principal) ([]MyClass, error) {
	return s.Store.MyClasses(ctx, p.PersonID, s.now())
}

// OpenClasses lists the open classes whose enrolment window is open today
// in a learner's provinces (of their learner grants, and where they live):
// those of their commune first. Callers who are no learner get none.
func (s *Service) OpenClasses(ctx context.Context, p domain.Principal) ([]OpenClass, error) {
	var provinces, communes []int64
	add := func(xs []int64, x int64) []int64 {
		if x == 0 || slices.Contains(xs, x) {
			return xs
		}
		return append(xs, x)
	}
	for _, g := range p.Grants {
		if g.Role == domain.RoleLearner {
			provinces, communes = add(provinces, g.ProvinceID), add(communes, g.CommuneID)
		}
	}
	if p.PersonID != 0 && p.Has(domain.RoleLearner) {
		if me, err := s.People.GetPerson(ctx, p.PersonID); err == nil {
			provinces, communes = add(provinces, me.ProvinceID), add(communes, me.CommuneID)
		} else if domain.ErrorCode(err) != domain.CodeNotFound {
			return nil, err
		}
	}
	if len(provinces) == 0 {
		return []OpenClass{}, nil
	}
	return s.Store.OpenClasses(ctx, provinces, communes, p.PersonID, domain.Today(s.now()), s.now())
}
