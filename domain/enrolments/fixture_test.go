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
	t                *testing.T
	db               *postgres.DB
	courses          *courses.Service
	svc              *enrolments.Service
	provA, provB     int64
	commA1, commB1   int64
	centreA1         int64
	centreB1         int64
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

func newWorld(t *testing.T) *world {
	t.Helper()
	db, err := postgres.Open(pgtest.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	cs := &courses.Service{Store: postgres.NewCourses(db)}
	w := &world{t: t, db: db, courses: cs}
	w.svc = &enrolments.Service{Store: postgres.NewEnrolments(db), Courses: cs, People: postgres.NewPeople(db),
		Now: func() time.Time { return time.Now().Add(2 * time.Hour) }}
	w.provA = w.id(`INSERT INTO units (code, name, kind, valid_from) VALUES ('12', 'Lai Châu', 'province', '2025-07-01') RETURNING id`)
	w.provB = w.id(`INSERT INTO units (code, name, kind, valid_from) VALUES ('11', 'Điện Biên', 'province', '2025-07-01') RETURNING id`)
	w.commA1 = w.id(`INSERT INTO units (code, name, kind, parent_id, valid_from) VALUES ('12001', 'Tân Phong', 'ward', $1, '2025-07-01') RETURNING id`, w.provA)
	w.commB1 = w.id(`INSERT INTO units (code, name, kind, parent_id, valid_from) VALUES ('11001', 'Mường Thanh', 'ward', $1, '2025-07-01') RETURNING id`, w.provB)
	w.centreA1 = w.id(`INSERT INTO centres (unit_id, name) VALUES ($1, 'TTHTCĐ Tân Phong') RETURNING id`, w.commA1)
	w.centreB1 = w.id(`INSERT INTO centres (unit_id, name) VALUES ($1, 'TTHTCĐ Mường Thanh') RETURNING id`, w.commB1)
	w.admin = w.signIn(kAdmin)
	w.courseA1 = w.course(courses.NewCourse{CentreID: w.centreA1}, courses.ModeOnline, true)
	w.courseB1 = w.course(courses.NewCourse{CentreID: w.centreB1}, courses.ModeBlended, true)
	w.libraryA = w.course(courses.NewCourse{ProvinceID: w.provA}, courses.ModeOnline, true)
	w.inPersonA1 = w.course(courses.NewCourse{CentreID: w.centreA1}, courses.ModeInPerson, true)
	w.draftA1 = w.course(courses.NewCourse{CentreID: w.centreA1}, courses.ModeOnline, false)
	ls := w.courseA1.Modules[0].Lessons
	w.textA1, w.videoA1 = ls[0].ID, ls[1].ID
	d, err := cs.OpenDraft(context.Background(), w.admin, w.courseA1.ID)
	if err != nil {
		t.Fatal(err)
	}
	w.otherVersionLess = d.Modules[0].Lessons[0].ID
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

// course creates a course with a text lesson and a video lesson and
// publishes it (or not).
func (w *world) course(nc courses.NewCourse, mode courses.Mode, publish bool) courses.Detail {
	w.t.Helper()
	ctx := context.Background()
	nc.Details = courses.Details{Title: "Kỹ năng số", Summary: "Tóm tắt", Category: "digital_skills", Mode: mode}
	d, err := w.courses.Create(ctx, w.admin, nc)
	if err != nil {
		w.t.Fatal(err)
	}
	m, err := w.courses.AddModule(ctx, w.admin, d.ID, "Chương 1")
	if err != nil {
		w.t.Fatal(err)
	}
	for _, l := range []courses.LessonInput{
		{Kind: courses.KindText, Title: "Bài 1", BodyMD: "Nội dung", Required: true},
		{Kind: courses.KindVideo, Title: "Bài 2", URL: "https://example.org/video.mp4", Required: true},
	} {
		if _, err := w.courses.AddLesson(ctx, w.admin, m.ID, l); err != nil {
			w.t.Fatal(err)
		}
	}
	if publish {
		if d, err = w.courses.Publish(ctx, w.admin, d.ID); err != nil {
			w.t.Fatal(err)
		}
	}
	d, err = w.courses.Get(ctx, w.admin, d.ID, "")
	if err != nil {
		w.t.Fatal(err)
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
	w.t.Helper()
	w.n++
	name := fmt.Sprintf("Người Học %c%c", 'a'+w.n/26%26, 'a'+w.n%26)
	commune := w.commA1
	switch kind {
	case kOfficerB, kManagerB1, kTeacherB1, kLearnerB1:
		commune = w.commB1
	}
	pid := w.id(`INSERT INTO people (full_name, given_name, sort_key, search_exact, search_folded, commune_id, phone)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, name, domain.GivenName(name), domain.NameSortKey(name),
		domain.LowerForSearch(name), domain.FoldForSearch(name), commune, fmt.Sprintf("097%07d", w.n))
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

// enrol enrols the person (as the administrator) and fails the test on error.
func (w *world) enrol(courseID, personID int64) enrolments.Enrolment {
	w.t.Helper()
	e, err := w.svc.Enrol(context.Background(), w.admin, courseID, personID)
	if err != nil {
		w.t.Fatal(err)
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
