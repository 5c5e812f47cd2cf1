package enrolments_test

import (
	"context"
	"fmt"
	"testing"

	"densach/domain"
	"densach/domain/classes"
	"densach/domain/enrolments"
)

// The callers of the class table: every kind, plus a teacher of the class
// (a teacher of centre A1 named in class A1; class B1's teacher of B1).
const (
	cClassTeacher = nCallers
	nClassCallers = nCallers + 1
)

type classWho = [nClassCallers]bool

func classAns(sees, may classWho, i int) domain.Code {
	switch {
	case may[i]:
		return ""
	case sees[i]:
		return domain.CodeForbidden
	}
	return domain.CodeNotFound
}

// TestAuthzClassEnrolments runs the class enrolment use cases for every
// caller on a class of centre A1 (own for A's callers) and one of B1
// (foreign for them): staff enrolment, the roster, the import, an
// enrolment's history and its withdrawal.
func TestAuthzClassEnrolments(t *testing.T) {
	w := newClassWorld(t)
	ctx := context.Background()
	callers := make([]domain.Principal, nClassCallers)
	for i, k := range callerKinds {
		callers[i] = w.signIn(k)
	}
	type target struct {
		name                         string
		class                        classes.Class
		learnerKind                  string
		sees, reads, staff, managers classWho
	}
	teacherA := w.signIn(kTeacherA1)
	teacherB := w.signIn(kTeacherB1)
	classA := w.class(classOpts{teachers: []int64{teacherA.PersonID}})
	classB := w.class(classOpts{centre: w.CentreB1, teachers: []int64{teacherB.PersonID}})
	targets := []target{
		{"class A1", classA, kLearnerA1,
			classWho{cAdmin: true, cOfficerA: true, cOfficerA1: true, cManagerA1: true, cTeacherA1: true, cLearnerA1: true, cClassTeacher: true},
			classWho{cAdmin: true, cOfficerA: true, cOfficerA1: true, cManagerA1: true, cTeacherA1: true, cClassTeacher: true},
			classWho{cAdmin: true, cManagerA1: true, cClassTeacher: true},
			classWho{cAdmin: true, cManagerA1: true}},
		{"class B1", classB, kLearnerB1,
			classWho{cAdmin: true, cOfficerB: true, cManagerB1: true, cTeacherB1: true, cLearnerB1: true, cClassTeacher: true},
			classWho{cAdmin: true, cOfficerB: true, cManagerB1: true, cTeacherB1: true, cClassTeacher: true},
			classWho{cAdmin: true, cManagerB1: true, cClassTeacher: true},
			classWho{cAdmin: true, cManagerB1: true}},
	}
	csv := func(n int) []byte {
		return []byte(fmt.Sprintf("ho_ten,so_dien_thoai,nam_sinh\nNgười Nhập %c,098%07d,1990\n", 'a'+n%26, 5000000+n))
	}
	for _, tg := range targets {
		for i := range nClassCallers {
			p := callers[i]
			if i == cClassTeacher {
				p = teacherA
				if tg.class.ID == classB.ID {
					p = teacherB
				}
			}
			name := "class teacher"
			if i < nCallers {
				name = callerKinds[i]
			}
			t.Run(tg.name+"/"+name, func(t *testing.T) {
				learner := w.signIn(tg.learnerKind)
				_, err := w.svc.EnrolInClass(ctx, p, tg.class.ID, learner.PersonID)
				if want := classAns(tg.sees, tg.staff, i); codeOf(err) != want {
					t.Errorf("enrol: %v, want %q", err, want)
				}
				// Enrolling oneself: whoever sees the open class.
				_, err = w.svc.EnrolInClass(ctx, p, tg.class.ID, 0)
				if want := classAns(tg.sees, tg.sees, i); codeOf(err) != want {
					t.Errorf("enrol myself: %v, want %q", err, want)
				}
				// My classes and the open classes answer every caller (their own).
				if _, err := w.svc.MyClasses(ctx, p); err != nil {
					t.Errorf("my classes: %v", err)
				}
				if _, err := w.svc.OpenClasses(ctx, p); err != nil {
					t.Errorf("open classes: %v", err)
				}
				_, err = w.svc.ClassRoster(ctx, p, tg.class.ID)
				if want := classAns(tg.sees, tg.reads, i); codeOf(err) != want {
					t.Errorf("roster: %v, want %q", err, want)
				}
				_, err = w.svc.ImportIntoClass(ctx, p, tg.class.ID, csv(i), true)
				if want := classAns(tg.sees, tg.managers, i); codeOf(err) != want {
					t.Errorf("import: %v, want %q", err, want)
				}
				// An enrolment made by the administrator: its history and withdrawal.
				other := w.signIn(tg.learnerKind)
				e, err := w.svc.EnrolInClass(ctx, w.admin, tg.class.ID, other.PersonID)
				if err != nil {
					t.Fatal(err)
				}
				_, err = w.svc.Events(ctx, p, e.ID)
				if want := classAns(tg.reads, tg.reads, i); codeOf(err) != want {
					t.Errorf("events: %v, want %q", err, want)
				}
				_, err = w.svc.Withdraw(ctx, p, e.ID, "Lý do")
				if want := classAns(tg.reads, tg.staff, i); codeOf(err) != want {
					t.Errorf("withdraw: %v, want %q", err, want)
				}
			})
		}
	}

	// The learner themself reads their enrolment's history and withdraws it.
	l := w.signIn(kLearnerA1)
	e, err := w.svc.EnrolInClass(ctx, l, classA.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	if evs, err := w.svc.Events(ctx, l, e.ID); err != nil || len(evs) != 1 || evs[0].ByID != l.PersonID {
		t.Fatalf("own events: %+v, %v", evs, err)
	}
	if _, err := w.svc.Withdraw(ctx, l, e.ID, ""); err != nil {
		t.Fatalf("own withdrawal: %v", err)
	}
}

// TestClassEnrolPeople: whom staff may enrol. Nobody enrols a person they
// do not cover (another commune's learner: not found for a manager who
// cannot see them) or who holds a wider role than theirs.
func TestClassEnrolPeople(t *testing.T) {
	w := newClassWorld(t)
	ctx := context.Background()
	teacher := w.signIn(kTeacherA1)
	c := w.class(classOpts{teachers: []int64{teacher.PersonID}})
	manager := w.signIn(kManagerA1)
	cases := []struct {
		name   string
		caller domain.Principal
		target string
		want   string
	}{
		{"manager enrols a learner of the commune", manager, kLearnerA1, ""},
		{"manager enrols a teacher of the centre", manager, kTeacherA1, ""},
		{"manager enrols another manager of the centre", manager, kManagerA1, ""},
		{"manager may not enrol a commune officer", manager, kOfficerA1, "enrolment_wider_role"},
		{"manager may not enrol a province officer", manager, kOfficerA, "enrolment_wider_role"},
		{"manager does not cover a learner of B1", manager, kLearnerB1, "person_not_found"},
		{"class teacher enrols a learner", teacher, kLearnerA1, ""},
		{"class teacher enrols a fellow teacher", teacher, kTeacherA1, ""},
		{"class teacher may not enrol a manager", teacher, kManagerA1, "enrolment_wider_role"},
		{"admin enrols a province officer", w.admin, kOfficerB, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			target := w.signIn(tc.target)
			e, err := w.svc.EnrolInClass(ctx, tc.caller, c.ID, target.PersonID)
			if keyOf(err) != tc.want && !(tc.want == "" && err == nil) {
				t.Fatalf("got %v, want %q", err, tc.want)
			}
			if err == nil && (e.Source != enrolments.SourceStaff || e.EnrolledBy != tc.caller.PersonID) {
				t.Fatalf("enrolment %+v", e)
			}
		})
	}
	// A person unknown: not found.
	if _, err := w.svc.EnrolInClass(ctx, manager, c.ID, 999999); keyOf(err) != "person_not_found" {
		t.Fatalf("unknown person: %v", err)
	}
	// An unknown class: not found.
	if _, err := w.svc.EnrolInClass(ctx, manager, 999999, 0); keyOf(err) != "class_not_found" {
		t.Fatalf("unknown class: %v", err)
	}
}
