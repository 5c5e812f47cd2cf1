package courses_test

import (
	"context"
	"fmt"
	"testing"

	"densach/domain"
	"densach/domain/courses"
	"densach/storage/postgres"
	"densach/storage/postgres/pgtest"
)

// world is the shared sign-in world (province A with communes A1, A2,
// province B with commune B1, a centre in each commune, callers signed in
// through the storage's AccountPrincipal) with the courses service and the
// administrator.
type world struct {
	*pgtest.World
	svc   *courses.Service
	admin domain.Principal
	n     int
}

func newWorld(t *testing.T) *world {
	t.Helper()
	w := &world{World: pgtest.NewWorld(t)}
	w.svc = &courses.Service{Store: postgres.NewCourses(w.DB)}
	w.admin = w.signIn(kAdmin)
	return w
}

// The kinds of callers.
const (
	kAdmin     = "admin"
	kOfficerA  = "officer_province_A"
	kOfficerB  = "officer_province_B"
	kOfficerA1 = "officer_commune_A1"
	kOfficerA2 = "officer_commune_A2"
	kManagerA1 = "manager_A1"
	kManagerA2 = "manager_A2"
	kTeacherA1 = "teacher_A1"
	kLearnerA1 = "learner_A1"
)

// signIn stores a person of the kind with its grant and an account, and
// returns the principal the sign-in path derives from it.
func (w *world) signIn(kind string) domain.Principal {
	w.T.Helper()
	w.n++
	name := fmt.Sprintf("Người Thử %c%c", 'a'+w.n/26%26, 'a'+w.n%26)
	pid := w.AddPerson(name, fmt.Sprintf("096%07d", w.n), w.CommA1)
	if !w.GrantKind(pid, kind) {
		w.T.Fatalf("unknown kind %s", kind)
	}
	return w.SignIn(pid)
}

// The kinds of courses the tables use as targets.
const (
	tPublishedA1 = "published_A1_with_draft" // centre A1, published, a draft open
	tDraftA1     = "draft_A1"                // centre A1, never published
	tLibraryA    = "library_A"               // province A's library, published, no draft
	tLibDraftA   = "library_draft_A"         // province A's library, never published
	tPublishedB1 = "published_B1_with_draft" // centre B1, published, a draft open
)

var targetKinds = []string{tPublishedA1, tDraftA1, tLibraryA, tLibDraftA, tPublishedB1}

// course creates a course of the kind (as the administrator), with one
// module holding one text lesson, and returns it as the administrator reads
// it by default (its draft when it has one).
func (w *world) course(kind string) courses.Detail {
	w.T.Helper()
	ctx := context.Background()
	nc := courses.NewCourse{Details: courses.Details{Title: "Khóa " + kind, Summary: "Tóm tắt", Category: "digital_skills"}}
	switch kind {
	case tPublishedA1, tDraftA1:
		nc.CentreID = w.CentreA1
	case tLibraryA, tLibDraftA:
		nc.ProvinceID = w.ProvA
	case tPublishedB1:
		nc.CentreID = w.CentreB1
	}
	d, err := w.svc.Create(ctx, w.admin, nc)
	if err != nil {
		w.T.Fatal(err)
	}
	m, err := w.svc.AddModule(ctx, w.admin, d.ID, "Chương 1")
	if err != nil {
		w.T.Fatal(err)
	}
	if _, err := w.svc.AddLesson(ctx, w.admin, m.ID, courses.LessonInput{Kind: courses.KindText, Title: "Bài 1", BodyMD: "Nội dung", Required: true}); err != nil {
		w.T.Fatal(err)
	}
	if kind == tPublishedA1 || kind == tLibraryA || kind == tPublishedB1 {
		if _, err := w.svc.Publish(ctx, w.admin, d.ID); err != nil {
			w.T.Fatal(err)
		}
	}
	if kind == tPublishedA1 || kind == tPublishedB1 {
		if _, err := w.svc.OpenDraft(ctx, w.admin, d.ID); err != nil {
			w.T.Fatal(err)
		}
	}
	d, err = w.svc.Get(ctx, w.admin, d.ID, "")
	if err != nil {
		w.T.Fatal(err)
	}
	return d
}

func codeOf(err error) domain.Code {
	if err == nil {
		return ""
	}
	return domain.ErrorCode(err)
}
