package attendance_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"densach/domain"
	"densach/domain/attendance"
	"densach/domain/classes"
	"densach/domain/courses"
	"densach/storage/postgres"
	"densach/storage/postgres/pgtest"
	"densach/storage/registers"
)

// now is the tests' clock: Friday 20 March 2026, noon in Vietnam.
var now = time.Date(2026, 3, 20, 12, 0, 0, 0, classes.Zone)

// world is a fresh database with province A (commune A1, centre A1) and
// province B (commune B1, centre B1), a class at each centre with sessions,
// learners enrolled in them, and callers signed in through the storage's
// AccountPrincipal.
type world struct {
	*pgtest.World
	classes *classes.Service
	svc     *attendance.Service
	admin   domain.Principal
	n       int
}

func newWorld(t *testing.T) *world {
	t.Helper()
	pw := pgtest.NewWorldWithoutA2(t)
	db := pw.DB
	cs := &courses.Service{Store: postgres.NewCourses(db)}
	w := &world{World: pw}
	clock := func() time.Time { return now }
	w.classes = &classes.Service{Store: postgres.NewClasses(db), Courses: cs, Now: clock}
	w.svc = &attendance.Service{Store: postgres.NewAttendance(db), Classes: postgres.NewClasses(db), Now: clock,
		Headings: postgres.NewAttendance(db), Render: registers.Renderer{}}
	w.admin = w.signIn(kAdmin)
	return w
}

// The kinds of callers.
const (
	kAdmin     = "admin"
	kOfficerA  = "officer_province_A"
	kOfficerA1 = "officer_commune_A1"
	kManagerA1 = "manager_A1"
	kTeacherA1 = "teacher_A1"
	kLearnerA1 = "learner_A1"
	kOfficerB  = "officer_province_B"
	kManagerB1 = "manager_B1"
	kTeacherB1 = "teacher_B1"
	kLearnerB1 = "learner_B1"
)

// person stores a person living in a commune and returns the id.
func (w *world) person(name string, commune int64) int64 {
	w.T.Helper()
	w.n++
	return w.AddPerson(name, fmt.Sprintf("096%07d", w.n), commune)
}

// signIn stores a person of the kind with its grant and an account, and
// returns the principal the sign-in path derives.
func (w *world) signIn(kind string) domain.Principal {
	w.T.Helper()
	commune := w.CommA1
	switch kind {
	case kOfficerB, kManagerB1, kTeacherB1, kLearnerB1:
		commune = w.CommB1
	}
	pid := w.person(fmt.Sprintf("Người Dùng %c%c", 'a'+w.n/26%26, 'a'+w.n%26), commune)
	if !w.GrantKind(pid, kind) {
		w.T.Fatalf("unknown kind %s", kind)
	}
	return w.SignIn(pid)
}

// class is a class at a centre with a venue, its teacher, sessions and
// learners.
type class struct {
	classes.Class
	venue    int64
	teacher  domain.Principal
	sessions []classes.Session
	learners []int64 // person ids, enrolled
}

// class creates a running in-person class at a centre (1 to 31 March 2026,
// completion 80 %) taught by a new teacher of the centre, with one session
// per day at 19:00 on each given day of March, and learners enrolled.
func (w *world) class(centre int64, days []int, learners ...string) *class {
	w.T.Helper()
	ctx := context.Background()
	kind, commune := kTeacherA1, w.CommA1
	if centre == w.CentreB1 {
		kind, commune = kTeacherB1, w.CommB1
	}
	teacher := w.signIn(kind)
	course := pgtest.InsertCourse(w.T, w.DB.SQL(), pgtest.Course{CentreID: centre, Title: "Kỹ năng số", Lessons: 1, CreatedBy: w.admin.PersonID})
	v, err := w.classes.CreateVenue(ctx, w.admin, classes.VenueInput{CentreID: centre, Name: fmt.Sprintf("Nhà văn hoá %d", w.n), Capacity: 40})
	if err != nil {
		w.T.Fatal(err)
	}
	in := classes.ClassInput{CentreID: centre, CourseID: course.ID, Title: "Lớp kỹ năng số", Mode: classes.ModeInPerson, VenueID: v.ID, Capacity: 40,
		StartsOn: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), EndsOn: time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC), TeacherIDs: []int64{teacher.PersonID}}
	c, err := w.classes.CreateClass(ctx, w.admin, in)
	if err != nil {
		w.T.Fatal(err)
	}
	for _, st := range []classes.Status{classes.StatusOpen, classes.StatusRunning} {
		in.Status = st
		if c, err = w.classes.UpdateClass(ctx, w.admin, c.ID, in); err != nil {
			w.T.Fatal(err)
		}
	}
	out := &class{Class: c, venue: v.ID, teacher: teacher}
	for _, d := range days {
		at := time.Date(2026, 3, d, 19, 0, 0, 0, classes.Zone)
		s, err := w.classes.AddSession(ctx, w.admin, c.ID, classes.SessionInput{StartsAt: at, EndsAt: at.Add(90 * time.Minute), Mode: classes.ModeInPerson, VenueID: v.ID})
		if err != nil {
			w.T.Fatal(err)
		}
		out.sessions = append(out.sessions, s)
	}
	for _, name := range learners {
		out.learners = append(out.learners, w.enrol(c, w.person(name, commune)))
	}
	return out
}

// enrol enrols a person in a class (active) with plain SQL and returns the
// person's id.
func (w *world) enrol(c classes.Class, person int64) int64 {
	w.T.Helper()
	w.ID(`INSERT INTO enrolments (person_id, course_id, version_id, class_id, status, source, enrolled_by)
		VALUES ($1, $2, $3, $4, 'active', 'staff', $5) RETURNING id`, person, c.CourseID, c.VersionID, c.ID, w.admin.PersonID)
	return person
}

// count returns the first column of a query as an integer.
func (w *world) count(q string, args ...any) int64 {
	w.T.Helper()
	return w.ID(q, args...)
}

func codeOf(err error) domain.Code {
	if err == nil {
		return ""
	}
	return domain.ErrorCode(err)
}

// keyOf is an error's first field code, or its key.
func keyOf(err error) string {
	if err == nil {
		return ""
	}
	e := domain.AsError(err)
	if len(e.Fields) > 0 {
		return e.Fields[0].Code
	}
	return e.Key
}

func marks(ids []int64, st attendance.Status) []attendance.MarkInput {
	out := make([]attendance.MarkInput, len(ids))
	for i, id := range ids {
		out[i] = attendance.MarkInput{PersonID: id, Status: st}
	}
	return out
}
