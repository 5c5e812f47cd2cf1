package feeds_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"densach/domain"
	"densach/domain/classes"
	"densach/domain/courses"
	"densach/domain/feeds"
	"densach/storage/postgres"
	"densach/storage/postgres/pgtest"
)

// world is a fresh database with province A (commune A1, centre A1) and
// province B (commune B1, centre B1), a published course and an open class
// with a venue at each centre, and callers signed in through the storage's
// AccountPrincipal.
type world struct {
	*pgtest.World
	classes *classes.Service
	svc     *feeds.Service
	admin   domain.Principal
	n       int
	now     time.Time
}

func newWorld(t *testing.T) *world {
	t.Helper()
	pw := pgtest.NewWorldWithoutA2(t)
	w := &world{World: pw, now: time.Now()}
	cs := &courses.Service{Store: postgres.NewCourses(pw.DB)}
	w.classes = &classes.Service{Store: postgres.NewClasses(pw.DB), Courses: cs}
	w.svc = &feeds.Service{Store: postgres.NewFeeds(pw.DB), Classes: postgres.NewClasses(pw.DB), Now: func() time.Time { return w.now }}
	w.admin = w.signIn("admin")
	return w
}

// signIn stores a person of the kind, living in its centre's commune, with
// its grant and an account.
func (w *world) signIn(kind string) domain.Principal {
	w.T.Helper()
	w.n++
	commune := w.CommA1
	if kind[len(kind)-1] == 'B' || kind[len(kind)-2:] == "B1" {
		commune = w.CommB1
	}
	pid := w.AddPerson(fmt.Sprintf("Lò Thị Hoa %c%c", 'a'+w.n/26%26, 'a'+w.n%26), fmt.Sprintf("097%07d", w.n), commune)
	if !w.GrantKind(pid, kind) {
		w.T.Fatalf("unknown kind %s", kind)
	}
	return w.SignIn(pid)
}

// place is a centre's course, venue and open class.
type place struct {
	centre int64
	venue  classes.Venue
	class  classes.Class
}

// place makes a published course, a venue and an open blended class taught
// by teacher at a centre (as the administrator).
func (w *world) place(centre, teacher int64) place {
	w.T.Helper()
	ctx := context.Background()
	cs := w.classes.Courses.(*courses.Service)
	d, err := cs.Create(ctx, w.admin, courses.NewCourse{CentreID: centre,
		Details: courses.Details{Title: "Kỹ năng số cơ bản", Summary: "Tóm tắt", Category: "digital_skills", Mode: courses.ModeBlended}})
	if err != nil {
		w.T.Fatal(err)
	}
	m, err := cs.AddModule(ctx, w.admin, d.ID, "Chương 1")
	if err != nil {
		w.T.Fatal(err)
	}
	if _, err := cs.AddLesson(ctx, w.admin, m.ID, courses.LessonInput{Kind: courses.KindText, Title: "Bài 1", BodyMD: "Nội dung", Required: true}); err != nil {
		w.T.Fatal(err)
	}
	if _, err := cs.Publish(ctx, w.admin, d.ID); err != nil {
		w.T.Fatal(err)
	}
	v, err := w.classes.CreateVenue(ctx, w.admin, classes.VenueInput{CentreID: centre, Name: "Nhà văn hoá bản Nà Lại", Address: "Tổ 5, phường Tân Phong", Capacity: 30})
	if err != nil {
		w.T.Fatal(err)
	}
	start := w.now.In(classes.Zone)
	in := classes.ClassInput{CentreID: centre, CourseID: d.ID, Title: "Tin học cho bà con dân tộc Thái", Mode: classes.ModeBlended, VenueID: v.ID, Capacity: 25,
		StartsOn:   time.Date(start.Year(), start.Month(), start.Day(), 0, 0, 0, 0, time.UTC).AddDate(0, 0, -90),
		EndsOn:     time.Date(start.Year(), start.Month(), start.Day(), 0, 0, 0, 0, time.UTC).AddDate(1, 6, 0),
		MeetingURL: "https://meet.example.org/tin-hoc", TeacherIDs: []int64{teacher}}
	c, err := w.classes.CreateClass(ctx, w.admin, in)
	if err != nil {
		w.T.Fatal(err)
	}
	in.Status = classes.StatusOpen
	if c, err = w.classes.UpdateClass(ctx, w.admin, c.ID, in); err != nil {
		w.T.Fatal(err)
	}
	return place{centre: centre, venue: v, class: c}
}

// session adds an in-person session at the place's venue, taught by teacher,
// starting days from now at 19:00 in Vietnam.
func (w *world) session(p place, days int, teacher int64) classes.Session {
	w.T.Helper()
	d := w.now.In(classes.Zone).AddDate(0, 0, days)
	start := time.Date(d.Year(), d.Month(), d.Day(), 19, 0, 0, 0, classes.Zone)
	s, err := w.classes.AddSession(context.Background(), w.admin, p.class.ID, classes.SessionInput{StartsAt: start, EndsAt: start.Add(90 * time.Minute),
		Mode: classes.ModeInPerson, VenueID: p.venue.ID, TeacherID: teacher})
	if err != nil {
		w.T.Fatal(err)
	}
	return s
}

// enrol enrols a person in a class (active), as the roster would.
func (w *world) enrol(person int64, c classes.Class) int64 {
	w.T.Helper()
	return w.ID(`INSERT INTO enrolments (person_id, course_id, version_id, class_id, status, source, enrolled_by)
		VALUES ($1, $2, $3, $4, 'active', 'staff', $1) RETURNING id`, person, c.CourseID, c.VersionID, c.ID)
}

func codeOf(err error) domain.Code {
	if err == nil {
		return ""
	}
	return domain.ErrorCode(err)
}

// postgresPrincipal is a person's principal as their grants stand now.
func postgresPrincipal(t *testing.T, w *world, person int64) (domain.Principal, error) {
	t.Helper()
	return postgres.NewFeeds(w.DB).Principal(context.Background(), person)
}

func keyOf(err error) string {
	if e := domain.AsError(err); err != nil && e != nil {
		return e.Key
	}
	return ""
}
