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
	t                  *testing.T
	db                 *postgres.DB
	courses            *courses.Service
	svc                *classes.Service
	provA, provB       int64
	commA1, commB1     int64
	centreA1, centreB1 int64
	admin              domain.Principal
	courseA1, courseB1 int64
	n                  int
}

func newWorld(t *testing.T) *world {
	t.Helper()
	db, err := postgres.Open(pgtest.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	cs := &courses.Service{Store: postgres.NewCourses(db)}
	w := &world{t: t, db: db, courses: cs}
	w.svc = &classes.Service{Store: postgres.NewClasses(db), Courses: cs}
	w.provA = w.id(`INSERT INTO units (code, name, kind, valid_from) VALUES ('12', 'Lai Châu', 'province', '2025-07-01') RETURNING id`)
	w.provB = w.id(`INSERT INTO units (code, name, kind, valid_from) VALUES ('11', 'Điện Biên', 'province', '2025-07-01') RETURNING id`)
	w.commA1 = w.id(`INSERT INTO units (code, name, kind, parent_id, valid_from) VALUES ('12001', 'Tân Phong', 'ward', $1, '2025-07-01') RETURNING id`, w.provA)
	w.commB1 = w.id(`INSERT INTO units (code, name, kind, parent_id, valid_from) VALUES ('11001', 'Mường Thanh', 'ward', $1, '2025-07-01') RETURNING id`, w.provB)
	w.centreA1 = w.id(`INSERT INTO centres (unit_id, name) VALUES ($1, 'TTHTCĐ Tân Phong') RETURNING id`, w.commA1)
	w.centreB1 = w.id(`INSERT INTO centres (unit_id, name) VALUES ($1, 'TTHTCĐ Mường Thanh') RETURNING id`, w.commB1)
	w.admin = w.signIn(kAdmin)
	w.courseA1 = w.course(w.centreA1)
	w.courseB1 = w.course(w.centreB1)
	return w
}

// id runs SQL and returns the first column of the first row, if any.
func (w *world) id(q string, args ...any) int64 {
	w.t.Helper()
	var id int64
	rows, err := w.db.SQL().Query(q, args...)
	if err != nil {
		w.t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	if rows.Next() {
		if err := rows.Scan(&id); err != nil {
			w.t.Fatal(err)
		}
	}
	return id
}

// course creates and publishes a blended course at a centre.
func (w *world) course(centre int64) int64 {
	w.t.Helper()
	ctx := context.Background()
	d, err := w.courses.Create(ctx, w.admin, courses.NewCourse{CentreID: centre,
		Details: courses.Details{Title: "Kỹ năng số cơ bản", Summary: "Tóm tắt", Category: "digital_skills", Mode: courses.ModeBlended}})
	if err != nil {
		w.t.Fatal(err)
	}
	m, err := w.courses.AddModule(ctx, w.admin, d.ID, "Chương 1")
	if err != nil {
		w.t.Fatal(err)
	}
	if _, err := w.courses.AddLesson(ctx, w.admin, m.ID, courses.LessonInput{Kind: courses.KindText, Title: "Bài 1", BodyMD: "Nội dung", Required: true}); err != nil {
		w.t.Fatal(err)
	}
	if _, err := w.courses.Publish(ctx, w.admin, d.ID); err != nil {
		w.t.Fatal(err)
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
	w.t.Helper()
	w.n++
	name := fmt.Sprintf("Giáo Viên %c%c", 'a'+w.n/26%26, 'a'+w.n%26)
	commune := w.commA1
	switch kind {
	case kOfficerB, kManagerB1, kTeacherB1, kLearnerB1:
		commune = w.commB1
	}
	pid := w.id(`INSERT INTO people (full_name, given_name, sort_key, search_exact, search_folded, commune_id, phone)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, name, domain.GivenName(name), domain.NameSortKey(name),
		domain.LowerForSearch(name), domain.FoldForSearch(name), commune, fmt.Sprintf("096%07d", w.n))
	grant := func(role string, unit, centre any) {
		w.id(`INSERT INTO role_grants (person_id, role, unit_id, centre_id) VALUES ($1, $2, $3, $4)`, pid, role, unit, centre)
	}
	switch kind {
	case kAdmin:
		grant("admin", nil, nil)
	case kOfficerA:
		grant("officer", w.provA, nil)
	case kOfficerA1:
		grant("officer", w.commA1, nil)
	case kManagerA1:
		grant("manager", nil, w.centreA1)
	case kTeacherA1:
		grant("teacher", nil, w.centreA1)
	case kLearnerA1:
		grant("learner", nil, w.centreA1)
	case kOfficerB:
		grant("officer", w.provB, nil)
	case kManagerB1:
		grant("manager", nil, w.centreB1)
	case kTeacherB1:
		grant("teacher", nil, w.centreB1)
	case kLearnerB1:
		grant("learner", nil, w.centreB1)
	default:
		w.t.Fatalf("unknown kind %s", kind)
	}
	acct := w.id(`INSERT INTO accounts (person_id, password_hash) VALUES ($1, 'x') RETURNING id`, pid)
	pr, err := postgres.NewAuth(w.db).AccountPrincipal(context.Background(), acct)
	if err != nil {
		w.t.Fatal(err)
	}
	return pr
}

// venue adds a venue to a centre (as the administrator).
func (w *world) venue(centre int64, name string) classes.Venue {
	w.t.Helper()
	v, err := w.svc.CreateVenue(context.Background(), w.admin, classes.VenueInput{CentreID: centre, Name: name, Address: "Tổ 5", Capacity: 30, Computers: 10, Internet: true})
	if err != nil {
		w.t.Fatal(err)
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
	w.t.Helper()
	ctx := context.Background()
	in := classes.ClassInput{CentreID: centre, CourseID: course, Title: "Lớp kỹ năng số", Mode: classes.ModeBlended, VenueID: venue, Capacity: 25,
		StartsOn: day("2026-01-05"), EndsOn: day("2027-06-30"), MeetingURL: "https://meet.example.org/lop", TeacherIDs: teachers}
	c, err := w.svc.CreateClass(ctx, w.admin, in)
	if err != nil {
		w.t.Fatal(err)
	}
	for _, st := range map[classes.Status][]classes.Status{classes.StatusPlanned: nil, classes.StatusOpen: {classes.StatusOpen},
		classes.StatusRunning: {classes.StatusOpen, classes.StatusRunning}}[status] {
		in.Status = st
		if c, err = w.svc.UpdateClass(ctx, w.admin, c.ID, in); err != nil {
			w.t.Fatal(err)
		}
	}
	return c
}

// session adds a session to a class (as the administrator).
func (w *world) session(classID int64, start time.Time, venue, teacher int64) classes.Session {
	w.t.Helper()
	s, err := w.svc.AddSession(context.Background(), w.admin, classID, classes.SessionInput{StartsAt: start, EndsAt: start.Add(90 * time.Minute),
		Mode: classes.ModeInPerson, VenueID: venue, TeacherID: teacher})
	if err != nil {
		w.t.Fatal(err)
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
