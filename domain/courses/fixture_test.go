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

// world is a fresh database with province A (communes A1, A2) and province
// B (commune B1), a centre in each commune, and callers signed in through
// the storage's AccountPrincipal, the path every sign-in takes.
type world struct {
	t                      *testing.T
	db                     *postgres.DB
	svc                    *courses.Service
	provA, provB           int64
	commA1, commA2, commB1 int64
	centreA1, centreA2     int64
	centreB1               int64
	admin                  domain.Principal
	n                      int
}

func newWorld(t *testing.T) *world {
	t.Helper()
	db, err := postgres.Open(pgtest.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	w := &world{t: t, db: db, svc: &courses.Service{Store: postgres.NewCourses(db)}}
	w.provA = w.id(`INSERT INTO units (code, name, kind, valid_from) VALUES ('12', 'Lai Châu', 'province', '2025-07-01') RETURNING id`)
	w.provB = w.id(`INSERT INTO units (code, name, kind, valid_from) VALUES ('11', 'Điện Biên', 'province', '2025-07-01') RETURNING id`)
	w.commA1 = w.id(`INSERT INTO units (code, name, kind, parent_id, valid_from) VALUES ('12001', 'Tân Phong', 'ward', $1, '2025-07-01') RETURNING id`, w.provA)
	w.commA2 = w.id(`INSERT INTO units (code, name, kind, parent_id, valid_from) VALUES ('12002', 'Đoàn Kết', 'ward', $1, '2025-07-01') RETURNING id`, w.provA)
	w.commB1 = w.id(`INSERT INTO units (code, name, kind, parent_id, valid_from) VALUES ('11001', 'Mường Thanh', 'ward', $1, '2025-07-01') RETURNING id`, w.provB)
	w.centreA1 = w.id(`INSERT INTO centres (unit_id, name) VALUES ($1, 'TTHTCĐ Tân Phong') RETURNING id`, w.commA1)
	w.centreA2 = w.id(`INSERT INTO centres (unit_id, name) VALUES ($1, 'TTHTCĐ Đoàn Kết') RETURNING id`, w.commA2)
	w.centreB1 = w.id(`INSERT INTO centres (unit_id, name) VALUES ($1, 'TTHTCĐ Mường Thanh') RETURNING id`, w.commB1)
	w.admin = w.signIn(kAdmin)
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
	w.t.Helper()
	w.n++
	name := fmt.Sprintf("Người Thử %c%c", 'a'+w.n/26%26, 'a'+w.n%26)
	pid := w.id(`INSERT INTO people (full_name, given_name, sort_key, search_exact, search_folded, commune_id, phone)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, name, domain.GivenName(name), domain.NameSortKey(name),
		domain.LowerForSearch(name), domain.FoldForSearch(name), w.commA1, fmt.Sprintf("096%07d", w.n))
	grant := func(role string, unit, centre any) {
		w.id(`INSERT INTO role_grants (person_id, role, unit_id, centre_id) VALUES ($1, $2, $3, $4)`, pid, role, unit, centre)
	}
	switch kind {
	case kAdmin:
		grant("admin", nil, nil)
	case kOfficerA:
		grant("officer", w.provA, nil)
	case kOfficerB:
		grant("officer", w.provB, nil)
	case kOfficerA1:
		grant("officer", w.commA1, nil)
	case kOfficerA2:
		grant("officer", w.commA2, nil)
	case kManagerA1:
		grant("manager", nil, w.centreA1)
	case kManagerA2:
		grant("manager", nil, w.centreA2)
	case kTeacherA1:
		grant("teacher", nil, w.centreA1)
	case kLearnerA1:
		grant("learner", nil, w.centreA1)
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
	w.t.Helper()
	ctx := context.Background()
	nc := courses.NewCourse{Details: courses.Details{Title: "Khóa " + kind, Summary: "Tóm tắt", Category: "digital_skills"}}
	switch kind {
	case tPublishedA1, tDraftA1:
		nc.CentreID = w.centreA1
	case tLibraryA, tLibDraftA:
		nc.ProvinceID = w.provA
	case tPublishedB1:
		nc.CentreID = w.centreB1
	}
	d, err := w.svc.Create(ctx, w.admin, nc)
	if err != nil {
		w.t.Fatal(err)
	}
	m, err := w.svc.AddModule(ctx, w.admin, d.ID, "Chương 1")
	if err != nil {
		w.t.Fatal(err)
	}
	if _, err := w.svc.AddLesson(ctx, w.admin, m.ID, courses.LessonInput{Kind: courses.KindText, Title: "Bài 1", BodyMD: "Nội dung", Required: true}); err != nil {
		w.t.Fatal(err)
	}
	if kind == tPublishedA1 || kind == tLibraryA || kind == tPublishedB1 {
		if _, err := w.svc.Publish(ctx, w.admin, d.ID); err != nil {
			w.t.Fatal(err)
		}
	}
	if kind == tPublishedA1 || kind == tPublishedB1 {
		if _, err := w.svc.OpenDraft(ctx, w.admin, d.ID); err != nil {
			w.t.Fatal(err)
		}
	}
	d, err = w.svc.Get(ctx, w.admin, d.ID, "")
	if err != nil {
		w.t.Fatal(err)
	}
	return d
}

func codeOf(err error) domain.Code {
	if err == nil {
		return ""
	}
	return domain.ErrorCode(err)
}
