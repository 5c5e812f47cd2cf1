package enrolments_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"densach/domain"
	"densach/domain/courses"
	"densach/domain/enrolments"
	"densach/storage/postgres"
	"densach/storage/postgres/pgtest"
)

// world is a fresh database with province A (commune A1, centre A1) and
// province B (commune B1, centre B1), published courses at both centres
// (a text and a video lesson) and in A's library, an in-person course and
// an unpublished one at A1, and callers signed in through the storage's
// AccountPrincipal, the path every sign-in takes.
type world struct {
	*pgtest.World
	courses          *courses.Service
	svc              *enrolments.Service
	admin            domain.Principal
	courseA1         courses.Detail
	courseB1         courses.Detail
	libraryA         courses.Detail
	inPersonA1       courses.Detail
	draftA1          courses.Detail
	n                int
	textA1, videoA1  int64 // lessons of courseA1's published version
	otherVersionLess int64 // a lesson of the draft of courseA1
}

// testNow is the use cases' clock in these tests: two hours ahead of the
// machine's, so that what the tests write "now" is never in the clock's
// future. Dates the tests compute ("today in Vietnam") come from it too.
func testNow() time.Time { return time.Now().Add(2 * time.Hour) }

func newWorld(t *testing.T) *world {
	t.Helper()
	pw := pgtest.NewWorldWithoutA2(t)
	db := pw.DB
	cs := &courses.Service{Store: postgres.NewCourses(db)}
	w := &world{World: pw, courses: cs}
	w.svc = &enrolments.Service{Store: postgres.NewEnrolments(db), Courses: cs, People: postgres.NewPeople(db),
		Now: testNow}
	w.admin = w.signIn(kAdmin)
	w.courseA1 = w.course(courses.NewCourse{CentreID: w.CentreA1}, courses.ModeOnline, true)
	w.courseB1 = w.course(courses.NewCourse{CentreID: w.CentreB1}, courses.ModeBlended, true)
	w.libraryA = w.course(courses.NewCourse{ProvinceID: w.ProvA}, courses.ModeOnline, true)
	w.inPersonA1 = w.course(courses.NewCourse{CentreID: w.CentreA1}, courses.ModeInPerson, true)
	w.draftA1 = w.course(courses.NewCourse{CentreID: w.CentreA1}, courses.ModeOnline, false)
	ls := w.courseA1.Modules[0].Lessons
	w.textA1, w.videoA1 = ls[0].ID, ls[1].ID
	d, err := cs.OpenDraft(context.Background(), w.admin, w.courseA1.ID)
	if err != nil {
		t.Fatal(err)
	}
	w.otherVersionLess = d.Modules[0].Lessons[0].ID
	return w
}

// course creates a course with a text lesson and a video lesson and
// publishes it (or not).
func (w *world) course(nc courses.NewCourse, mode courses.Mode, publish bool) courses.Detail {
	w.T.Helper()
	ctx := context.Background()
	nc.Details = courses.Details{Title: "Kỹ năng số", Summary: "Tóm tắt", Category: "digital_skills", Mode: mode}
	d, err := w.courses.Create(ctx, w.admin, nc)
	if err != nil {
		w.T.Fatal(err)
	}
	m, err := w.courses.AddModule(ctx, w.admin, d.ID, "Chương 1")
	if err != nil {
		w.T.Fatal(err)
	}
	for _, l := range []courses.LessonInput{
		{Kind: courses.KindText, Title: "Bài 1", BodyMD: "Nội dung", Required: true},
		{Kind: courses.KindVideo, Title: "Bài 2", URL: "https://example.org/video.mp4", Required: true},
	} {
		if _, err := w.courses.AddLesson(ctx, w.admin, m.ID, l); err != nil {
			w.T.Fatal(err)
		}
	}
	if publish {
		if d, err = w.courses.Publish(ctx, w.admin, d.ID); err != nil {
			w.T.Fatal(err)
		}
	}
	d, err = w.courses.Get(ctx, w.admin, d.ID, "")
	if err != nil {
		w.T.Fatal(err)
	}
	return d
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
	name := fmt.Sprintf("Người Học %c%c", 'a'+w.n/26%26, 'a'+w.n%26)
	commune := w.CommA1
	switch kind {
	case kOfficerB, kManagerB1, kTeacherB1, kLearnerB1:
		commune = w.CommB1
	}
	pid := w.AddPerson(name, fmt.Sprintf("097%07d", w.n), commune)
	if !w.GrantKind(pid, kind) {
		w.T.Fatalf("unknown kind %s", kind)
	}
	return w.SignIn(pid)
}

// enrol enrols the person (as the administrator) and fails the test on error.
func (w *world) enrol(courseID, personID int64) enrolments.Enrolment {
	w.T.Helper()
	e, err := w.svc.Enrol(context.Background(), w.admin, courseID, personID)
	if err != nil {
		w.T.Fatal(err)
	}
	return e
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

func played(a, b float64) *[2]float64 { return &[2]float64{a, b} }

// base is the events' clock: after the enrolments, before the service's now.
var base = time.Now().UTC().Add(time.Minute).Truncate(time.Second)

func at(m int) time.Time { return base.Add(time.Duration(m) * time.Minute) }
