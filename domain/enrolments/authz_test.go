package enrolments_test

import (
	"context"
	"testing"

	"densach/domain"
	"densach/domain/enrolments"
)

// callerKinds are the columns of the table: every role in the courses' own
// scope (province A, commune A1, centre A1) and in a foreign one (B).
var callerKinds = []string{kAdmin, kOfficerA, kOfficerA1, kManagerA1, kTeacherA1, kLearnerA1, kOfficerB, kManagerB1, kTeacherB1, kLearnerB1}

const (
	cAdmin = iota
	cOfficerA
	cOfficerA1
	cManagerA1
	cTeacherA1
	cLearnerA1
	cOfficerB
	cManagerB1
	cTeacherB1
	cLearnerB1
	nCallers
)

type who = [nCallers]bool

// ans turns a row of the table into the expected code: ok for the allowed,
// forbidden for those who see the thing but may not act, else not found.
func ans(sees, may who, i int) domain.Code {
	switch {
	case may[i]:
		return ""
	case sees[i]:
		return domain.CodeForbidden
	}
	return domain.CodeNotFound
}

var (
	readsA1   = who{cAdmin: true, cOfficerA: true, cOfficerA1: true, cManagerA1: true, cTeacherA1: true, cLearnerA1: true}
	followsA1 = who{cAdmin: true, cOfficerA: true, cOfficerA1: true, cManagerA1: true, cTeacherA1: true}
	staffA1   = who{cAdmin: true, cManagerA1: true, cTeacherA1: true}
	readsB1   = who{cAdmin: true, cOfficerB: true, cManagerB1: true, cTeacherB1: true, cLearnerB1: true}
	followsB1 = who{cAdmin: true, cOfficerB: true, cManagerB1: true, cTeacherB1: true}
	staffB1   = who{cAdmin: true, cManagerB1: true, cTeacherB1: true}
	// Staff who see a person of their area to enrol (officers of the
	// province or commune, the centre's staff): forbidden rather than not found.
	seesPeopleA1 = who{cAdmin: true, cOfficerA: true, cOfficerA1: true, cManagerA1: true, cTeacherA1: true}
	seesPeopleB1 = who{cAdmin: true, cOfficerB: true, cManagerB1: true, cTeacherB1: true}
	// The library course of province A: read by everyone of A; its
	// learners followed by the province's officers; centres of A enrol
	// the people they cover.
	readsLibA   = who{cAdmin: true, cOfficerA: true, cOfficerA1: true, cManagerA1: true, cTeacherA1: true, cLearnerA1: true}
	followsLibA = who{cAdmin: true, cOfficerA: true}
)

func and(a, b who) who {
	var out who
	for i := range a {
		out[i] = a[i] && b[i]
	}
	return out
}

// TestAuthzEnrolmentsUseCases runs every use case for every caller on the
// enrolments of learners of centre A1 and centre B1 and on their own.
func TestAuthzEnrolmentsUseCases(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	callers := make([]domain.Principal, nCallers)
	for i, k := range callerKinds {
		callers[i] = w.signIn(k)
	}
	type target struct {
		name                        string
		course                      int64
		learnerKind                 string
		reads, follows, staff, sees who
	}
	targets := []target{
		{"centre_A1", w.courseA1.ID, kLearnerA1, readsA1, followsA1, staffA1, seesPeopleA1},
		{"library_A", w.libraryA.ID, kLearnerA1, readsLibA, followsLibA, staffA1, seesPeopleA1},
		{"centre_B1", w.courseB1.ID, kLearnerB1, readsB1, followsB1, staffB1, seesPeopleB1},
	}
	for _, tg := range targets {
		for i, pr := range callers {
			name := tg.name + "/" + callerKinds[i]
			// Another learner of the target's centre, enrolled by the administrator.
			learner := w.signIn(tg.learnerKind)
			theirs := w.enrol(tg.course, learner.PersonID)
			// follow: reads the course's learners, or covers the learner.
			follow := who{}
			for j := range follow {
				follow[j] = tg.follows[j] || tg.staff[j]
			}
			t.Run("enrol_self/"+name, func(t *testing.T) {
				e, err := w.svc.Enrol(ctx, pr, tg.course, 0)
				if codeOf(err) != ans(who{}, tg.reads, i) {
					t.Fatalf("enrol self: %v", err)
				}
				if err != nil {
					return
				}
				if e.PersonID != pr.PersonID || e.Source != enrolments.SourceSelf || e.Status != enrolments.StatusActive {
					t.Fatalf("enrolment %+v", e)
				}
				// One's own: read, progress, withdraw.
				if _, err := w.svc.Get(ctx, pr, e.ID); err != nil {
					t.Fatalf("get own: %v", err)
				}
				if _, err := w.svc.Record(ctx, pr, e.ID, []enrolments.Event{{LessonID: w.lessonOf(tg.course), At: at(1), Kind: enrolments.EventOpen}}); err != nil {
					t.Fatalf("record own: %v", err)
				}
				mine, err := w.svc.Mine(ctx, pr)
				if err != nil || len(mine) == 0 || mine[0].ID != e.ID {
					t.Fatalf("mine: %+v %v", mine, err)
				}
				if _, err := w.svc.Enrol(ctx, pr, tg.course, 0); keyOf(err) != "enrolment_exists" {
					t.Fatalf("second enrolment: %v", err)
				}
				if _, err := w.svc.Withdraw(ctx, pr, e.ID, ""); err != nil {
					t.Fatalf("withdraw own: %v", err)
				}
			})
			t.Run("enrol_other/"+name, func(t *testing.T) {
				other := w.signIn(tg.learnerKind)
				// Seen: staff who read the course and see the person.
				sees := and(tg.reads, tg.sees)
				e, err := w.svc.Enrol(ctx, pr, tg.course, other.PersonID)
				if codeOf(err) != ans(sees, tg.staff, i) {
					t.Fatalf("enrol other: %v, want %q", err, ans(sees, tg.staff, i))
				}
				if err == nil && (e.PersonID != other.PersonID || e.Source != enrolments.SourceStaff || e.EnrolledBy != pr.PersonID) {
					t.Fatalf("enrolment %+v", e)
				}
			})
			t.Run("get_other/"+name, func(t *testing.T) {
				d, err := w.svc.Get(ctx, pr, theirs.ID)
				if codeOf(err) != ans(who{}, follow, i) {
					t.Fatalf("get: %v", err)
				}
				if err == nil && d.PersonID != learner.PersonID {
					t.Fatalf("got %+v", d.Enrolment)
				}
			})
			t.Run("record_other/"+name, func(t *testing.T) {
				_, err := w.svc.Record(ctx, pr, theirs.ID, []enrolments.Event{{LessonID: w.lessonOf(tg.course), At: at(1), Kind: enrolments.EventOpen}})
				if codeOf(err) != ans(follow, who{}, i) {
					t.Fatalf("record: %v", err)
				}
			})
			t.Run("learners/"+name, func(t *testing.T) {
				page, err := w.svc.Learners(ctx, pr, tg.course, enrolments.LearnerFilter{})
				if codeOf(err) != ans(tg.reads, tg.follows, i) {
					t.Fatalf("learners: %v", err)
				}
				if err == nil && len(page.Items) == 0 {
					t.Fatal("no learners")
				}
			})
			t.Run("export_learners/"+name, func(t *testing.T) {
				page, err := w.svc.ExportLearners(ctx, pr, tg.course, enrolments.LearnerFilter{Sort: enrolments.SortScore})
				if codeOf(err) != ans(tg.reads, tg.follows, i) {
					t.Fatalf("export: %v", err)
				}
				if err == nil && len(page.Items) == 0 {
					t.Fatal("no learners")
				}
			})
			t.Run("withdraw_other/"+name, func(t *testing.T) {
				_, err := w.svc.Withdraw(ctx, pr, theirs.ID, "Chuyển đi nơi khác")
				if codeOf(err) != ans(follow, tg.staff, i) {
					t.Fatalf("withdraw: %v", err)
				}
			})
		}
	}
	// Mine never lists another's enrolments.
	for i, pr := range callers {
		mine, err := w.svc.Mine(ctx, pr)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range mine {
			if e.PersonID != pr.PersonID {
				t.Fatalf("%s lists %+v", callerKinds[i], e)
			}
		}
	}
}

// lessonOf is the first lesson of the course's published version.
func (w *world) lessonOf(courseID int64) int64 {
	return w.ID(`SELECT l.id FROM lessons l JOIN courses c ON c.published_version_id = l.version_id WHERE c.id = $1 ORDER BY l.position LIMIT 1`, courseID)
}

// TestEnrolRefusals covers courses that are not open to online enrolment.
func TestEnrolRefusals(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	learner := w.signIn(kLearnerA1)
	manager := w.signIn(kManagerA1)
	if _, err := w.svc.Enrol(ctx, manager, w.inPersonA1.ID, learner.PersonID); keyOf(err) != "enrolment_course_not_online" {
		t.Fatalf("in person: %v", err)
	}
	if _, err := w.svc.Enrol(ctx, manager, w.draftA1.ID, learner.PersonID); keyOf(err) != "enrolment_course_not_open" {
		t.Fatalf("draft: %v", err)
	}
	if _, err := w.svc.Enrol(ctx, learner, w.draftA1.ID, 0); codeOf(err) != domain.CodeNotFound {
		t.Fatalf("draft by a learner: %v", err)
	}
	if _, err := w.svc.Enrol(ctx, manager, w.courseA1.ID, 987654); codeOf(err) != domain.CodeNotFound {
		t.Fatalf("unknown person: %v", err)
	}
	if _, err := w.courses.Archive(ctx, w.admin, w.libraryA.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.Enrol(ctx, learner, w.libraryA.ID, 0); keyOf(err) != "enrolment_course_not_open" {
		t.Fatalf("archived: %v", err)
	}
	e := w.enrol(w.courseA1.ID, learner.PersonID)
	if _, err := w.svc.Withdraw(ctx, manager, e.ID, ""); keyOf(err) != "required" {
		t.Fatalf("staff withdrawal without a reason: %v", err)
	}
	// Recorded before the withdrawal: the enrolment's facts are cached; the
	// store's upsert still refuses to write after it.
	if _, err := w.svc.Record(ctx, learner, e.ID, []enrolments.Event{{LessonID: w.textA1, At: at(1), Kind: enrolments.EventOpen}}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.Withdraw(ctx, learner, e.ID, "Bận việc nhà"); err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.Withdraw(ctx, learner, e.ID, ""); keyOf(err) != "enrolment_not_live" {
		t.Fatalf("withdrawn twice: %v", err)
	}
	if _, err := w.svc.Record(ctx, learner, e.ID, []enrolments.Event{{LessonID: w.textA1, At: at(2), Kind: enrolments.EventComplete}}); keyOf(err) != "enrolment_not_live" {
		t.Fatalf("progress after withdrawal: %v", err)
	}
	if n := w.ID(`SELECT count(*) FROM lesson_progress WHERE enrolment_id = $1 AND completed_at IS NOT NULL`, e.ID); n != 0 {
		t.Fatalf("%d lessons completed after the withdrawal", n)
	}
	// Enrolled again after a withdrawal: a new enrolment; the history kept.
	again, err := w.svc.Enrol(ctx, learner, w.courseA1.ID, 0)
	if err != nil || again.ID == e.ID {
		t.Fatalf("re-enrol: %+v %v", again, err)
	}
	if n := w.ID(`SELECT count(*) FROM enrolment_events WHERE enrolment_id = $1`, e.ID); n != 2 {
		t.Fatalf("%d events", n)
	}
}
