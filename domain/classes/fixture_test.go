package classes_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"densach/domain"
	"densach/domain/classes"
	"densach/domain/courses"
	"densach/storage/postgres"
	"densach/storage/postgres/pgtest"
)

// world is a fresh database with province A (commune A1, centre A1) and
// province B (commune B1, centre B1), a published course at each centre and
// callers signed in through the storage's AccountPrincipal, the path every
// sign-in takes.
type world struct {
	*pgtest.World
	courses            *courses.Service
	svc                *classes.Service
	admin              domain.Principal
	courseA1, courseB1 int64
	n                  int
}

func newWorld(t *testing.T) *world {
	t.Helper()
	pw := pgtest.NewWorldWithoutA2(t)
	db := pw.DB
	cs := &courses.Service{Store: postgres.NewCourses(db)}
	w := &world{World: pw, courses: cs}
	w.svc = &classes.Service{Store: postgres.NewClasses(db), Courses: cs}
	w.admin = w.signIn(kAdmin)
	w.courseA1 = w.course(w.CentreA1)
	w.courseB1 = w.course(w.CentreB1)
	return w
}

// course creates and publishes a blended course at a centre.
func (w *world) course(centre int64) int64 {
	w.T.Helper()
	ctx := context.Background()
	d, err := w.courses.Create(ctx, w.admin, courses.NewCourse{CentreID: centre,
		Details: courses.Details{Title: "Kỹ năng số cơ bản", Summary: "Tóm tắt", Category: "digital_skills", Mode: courses.ModeBlended}})
	if err != nil {
		w.T.Fatal(err)
	}
	m, err := w.courses.AddModule(ctx, w.admin, d.ID, "Chương 1")
	if err != nil {
		w.T.Fatal(err)
	}
	if _, err := w.courses.AddLesson(ctx, w.admin, m.ID, courses.LessonInput{Kind: courses.KindText, Title: "Bài 1", BodyMD: "Nội dung", Required: true}); err != nil {
		w.T.Fatal(err)
	}
	if _, err := w.courses.Publish(ctx, w.admin, d.ID); err != nil {
		w.T.Fatal(err)
	}
	return d.ID
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

// signIn stores a person of the kind (living in its commune) with its
// grant and an account, and returns the principal the sign-in path derives.
func (w *world) signIn(kind string) domain.Principal {
	w.T.Helper()
	w.n++
	name := fmt.Sprintf("Giáo Viên %c%c", 'a'+w.n/26%26, 'a'+w.n%26)
	commune := w.CommA1
	switch kind {
	case kOfficerB, kManagerB1, kTeacherB1, kLearnerB1:
		commune = w.CommB1
	}
	pid := w.AddPerson(name, fmt.Sprintf("096%07d", w.n), commune)
	if !w.GrantKind(pid, kind) {
		w.T.Fatalf("unknown kind %s", kind)
	}
	return w.SignIn(pid)
}

// venue adds a venue to a centre (as the administrator).
func (w *world) venue(centre int64, name string) classes.Venue {
	w.T.Helper()
	v, err := w.svc.CreateVenue(context.Background(), w.admin, classes.VenueInput{CentreID: centre, Name: name, Address: "Tổ 5", Capacity: 30, Computers: 10, Internet: true})
	if err != nil {
		w.T.Fatal(err)
	}
	return v
}

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// class creates a blended class at a centre with a venue and teachers (as
// the administrator), in the given status.
func (w *world) class(centre, course, venue int64, status classes.Status, teachers ...int64) classes.Class {
	w.T.Helper()
	ctx := context.Background()
	in := classes.ClassInput{CentreID: centre, CourseID: course, Title: "Lớp kỹ năng số", Mode: classes.ModeBlended, VenueID: venue, Capacity: 25,
		StartsOn: day("2026-01-05"), EndsOn: day("2027-06-30"), MeetingURL: "https://meet.example.org/lop", TeacherIDs: teachers}
	c, err := w.svc.CreateClass(ctx, w.admin, in)
	if err != nil {
		w.T.Fatal(err)
	}
	for _, st := range map[classes.Status][]classes.Status{classes.StatusPlanned: nil, classes.StatusOpen: {classes.StatusOpen},
		classes.StatusRunning: {classes.StatusOpen, classes.StatusRunning}}[status] {
		in.Status = st
		if c, err = w.svc.UpdateClass(ctx, w.admin, c.ID, in); err != nil {
			w.T.Fatal(err)
		}
	}
	return c
}

// session adds a session to a class (as the administrator).
func (w *world) session(classID int64, start time.Time, venue, teacher int64) classes.Session {
	w.T.Helper()
	s, err := w.svc.AddSession(context.Background(), w.admin, classID, classes.SessionInput{StartsAt: start, EndsAt: start.Add(90 * time.Minute),
		Mode: classes.ModeInPerson, VenueID: venue, TeacherID: teacher})
	if err != nil {
		w.T.Fatal(err)
	}
	return s
}

func codeOf(err error) domain.Code {
	if err == nil {
		return ""
	}
	return domain.ErrorCode(err)
}

func keyOf(err error) string {
	if e := domain.AsError(err); e != nil {
		if len(e.Fields) > 0 {
			return e.Fields[0].Code
		}
		return e.Key
	}
	return ""
}
