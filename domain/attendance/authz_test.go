package attendance_test

import (
	"context"
	"testing"
	"time"

	"densach/domain"
	"densach/domain/attendance"
	"densach/storage/postgres"
)

// The columns of the table: every role in centre A1's scope and in a
// foreign one (B), plus the target class's own teacher and learner.
var callerKinds = []string{kAdmin, kOfficerA, kOfficerA1, kManagerA1, kTeacherA1, kLearnerA1, kOfficerB, kManagerB1, kTeacherB1, kLearnerB1, "class_teacher", "class_learner"}

const (
	cAdmin = iota
	cOfficerA
	cOfficerA1
	cManagerA1
	cTeacherA1 // a teacher of centre A1, not of the class
	cLearnerA1 // a learner of centre A1, not in the class
	cOfficerB
	cManagerB1
	cTeacherB1
	cLearnerB1
	cClassTeacher
	cClassLearner
	nCallers
)

type who = [nCallers]bool

// ans: ok for the allowed, forbidden for those who see the thing, else not found.
func ans(sees, may who, i int) domain.Code {
	switch {
	case may[i]:
		return ""
	case sees[i]:
		return domain.CodeForbidden
	}
	return domain.CodeNotFound
}

// TestAuthzAttendanceUseCases runs every attendance use case for every
// caller on a class of centre A1 (own scope) and one of centre B1.
func TestAuthzAttendanceUseCases(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	var callers [nCallers]domain.Principal
	for i, k := range callerKinds[:cClassTeacher] {
		callers[i] = w.signIn(k)
	}
	a1 := w.class(w.CentreA1, []int{19}, "Lò Thị Ánh")
	b1 := w.class(w.CentreB1, []int{19}, "Hà Văn Dũng")
	for _, tg := range []struct {
		name        string
		c           *class
		centre      int64
		reads, runs who
	}{
		{"centre_A1", a1, w.CentreA1,
			who{cAdmin: true, cOfficerA: true, cOfficerA1: true, cManagerA1: true, cTeacherA1: true, cClassTeacher: true},
			who{cAdmin: true, cManagerA1: true, cClassTeacher: true}},
		{"centre_B1", b1, w.CentreB1,
			who{cAdmin: true, cOfficerB: true, cManagerB1: true, cTeacherB1: true, cClassTeacher: true},
			who{cAdmin: true, cManagerB1: true, cClassTeacher: true}},
	} {
		callers[cClassTeacher] = tg.c.teacher
		callers[cClassLearner] = w.SignIn(tg.c.learners[0])
		managesCentre := who{cAdmin: true, cManagerA1: tg.centre == w.CentreA1, cManagerB1: tg.centre == w.CentreB1}
		s := tg.c.sessions[0].ID
		for i, p := range callers {
			name := tg.name + "/" + callerKinds[i]
			check := func(what string, err error, want domain.Code) {
				t.Helper()
				if codeOf(err) != want {
					t.Errorf("%s %s: %v, want %q", name, what, err, want)
				}
			}
			_, err := w.svc.MarkSession(ctx, p, s, attendance.BatchInput{Marks: marks(tg.c.learners, attendance.Present)})
			check("mark", err, ans(tg.reads, tg.runs, i))
			_, err = w.svc.SessionRoster(ctx, p, s)
			check("roster", err, ans(tg.reads, tg.reads, i))
			_, err = w.svc.SessionHistory(ctx, p, s, 0)
			check("history", err, ans(tg.reads, tg.reads, i))
			_, err = w.svc.ClassGrid(ctx, p, tg.c.ID)
			check("grid", err, ans(tg.reads, tg.reads, i))
			for _, f := range []attendance.RegisterFormat{attendance.FormatPDF, attendance.FormatXLSX} {
				_, err = w.svc.SessionRegister(ctx, p, s, f)
				check("session_register."+string(f), err, ans(tg.reads, tg.reads, i))
				_, err = w.svc.ClassRegister(ctx, p, tg.c.ID, f)
				check("class_register."+string(f), err, ans(tg.reads, tg.reads, i))
			}
			_, err = w.svc.CentreWeights(ctx, p, tg.centre)
			check("weights", err, ans(tg.reads, tg.reads, i))
			_, err = w.svc.SetCentreWeights(ctx, p, tg.centre, attendance.DefaultWeights)
			check("set_weights", err, ans(tg.reads, managesCentre, i))
			mine, err := w.svc.MyAttendance(ctx, p)
			check("mine", err, "")
			if (len(mine) == 1) != (i == cClassLearner) {
				t.Errorf("%s mine: %d classes", name, len(mine))
			}
		}
	}
}

// TestAuthzOnlineJoin is the table of the learner's join of an online
// session: only the class's own learner joins; those who see the session
// are refused (403), the rest do not find it; a refused join records
// nothing.
func TestAuthzOnlineJoin(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	var callers [nCallers]domain.Principal
	for i, k := range callerKinds[:cClassTeacher] {
		callers[i] = w.signIn(k)
	}
	clk := &clock{}
	clk.set(at19(20).Add(5 * time.Minute))
	svc := &attendance.Service{Store: postgres.NewAttendance(w.DB), Classes: postgres.NewClasses(w.DB), Online: postgres.NewOnline(w.DB), Now: clk.now}
	for _, tg := range []struct {
		name  string
		c     *class
		reads who
	}{
		{"centre_A1", w.class(w.CentreA1, nil, "Lò Thị Ánh"),
			who{cAdmin: true, cOfficerA: true, cOfficerA1: true, cManagerA1: true, cTeacherA1: true, cClassTeacher: true}},
		{"centre_B1", w.class(w.CentreB1, nil, "Hà Văn Dũng"),
			who{cAdmin: true, cOfficerB: true, cManagerB1: true, cTeacherB1: true, cClassTeacher: true}},
	} {
		if _, err := w.DB.SQL().Exec(`UPDATE classes SET mode = 'blended' WHERE id = $1`, tg.c.ID); err != nil {
			t.Fatal(err)
		}
		s := w.onlineSession(tg.c, 20)
		callers[cClassTeacher] = tg.c.teacher
		callers[cClassLearner] = w.SignIn(tg.c.learners[0])
		for i, p := range callers {
			before := w.count(`SELECT count(*) FROM online_presence`)
			_, err := svc.JoinOnline(ctx, p, s.ID)
			if want := ans(tg.reads, who{cClassLearner: true}, i); codeOf(err) != want {
				t.Errorf("%s/%s join: %v, want %q", tg.name, callerKinds[i], err, want)
			}
			if err != nil && w.count(`SELECT count(*) FROM online_presence`) != before {
				t.Errorf("%s/%s: refused, yet presence recorded", tg.name, callerKinds[i])
			}
		}
		if n := w.count(`SELECT count(*) FROM attendance_marks WHERE session_id = $1 AND source = 'online'`, s.ID); n != 1 {
			t.Errorf("%s: %d online marks, want 1 (the class's learner)", tg.name, n)
		}
	}
}
