package enrolments_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"densach/domain"
	"densach/domain/classes"
	"densach/domain/courses"
	"densach/domain/enrolments"
	"densach/domain/people"
	"densach/storage/postgres"
)

// classWorld is the enrolments world with the classes use case and the
// people import wired as serve.go wires them.
type classWorld struct {
	*world
	classes *classes.Service
}

func newClassWorld(t *testing.T) *classWorld {
	t.Helper()
	w := newWorld(t)
	w.svc.Importer = &people.Service{People: postgres.NewPeople(w.DB), Units: postgres.NewUnits(w.DB), Disclosures: w.DB}
	return &classWorld{world: w, classes: &classes.Service{Store: postgres.NewClasses(w.DB), Courses: w.courses,
		Now: testNow}}
}

// civil is a civil date n days from today (Vietnam).
func civil(n int) *time.Time {
	d := testNow().In(time.FixedZone("ICT", 7*3600)).AddDate(0, 0, n)
	t := time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC)
	return &t
}

// classOpts are the settings a test's class differs by.
type classOpts struct {
	centre     int64
	capacity   int
	status     classes.Status
	from, till *time.Time
	teachers   []int64
}

func (w *classWorld) input(o classOpts, course int64) classes.ClassInput {
	return classes.ClassInput{CentreID: o.centre, CourseID: course, Title: "Lớp kỹ năng số", Mode: classes.ModeOnline, Capacity: o.capacity,
		StartsOn: *civil(-30), EndsOn: *civil(90), EnrolFrom: o.from, EnrolUntil: o.till, MeetingURL: "https://meet.example.org/lop",
		TeacherIDs: o.teachers}
}

// class creates a class (as the administrator) of the centre's published
// course, moved to the status asked for.
func (w *classWorld) class(o classOpts) classes.Class {
	w.T.Helper()
	ctx := context.Background()
	if o.centre == 0 {
		o.centre = w.CentreA1
	}
	if o.capacity == 0 {
		o.capacity = 25
	}
	course := w.courseA1.ID
	if o.centre == w.CentreB1 {
		course = w.courseB1.ID
	}
	in := w.input(o, course)
	c, err := w.classes.CreateClass(ctx, w.admin, in)
	if err != nil {
		w.T.Fatal(err)
	}
	path := map[classes.Status][]classes.Status{classes.StatusPlanned: nil, "": {classes.StatusOpen}, classes.StatusOpen: {classes.StatusOpen},
		classes.StatusRunning: {classes.StatusOpen, classes.StatusRunning}, classes.StatusFinished: {classes.StatusOpen, classes.StatusRunning, classes.StatusFinished},
		classes.StatusCancelled: {classes.StatusCancelled}}[o.status]
	for _, st := range path {
		in.Status, in.CancelReason = st, "Không đủ học viên"
		if c, err = w.classes.UpdateClass(ctx, w.admin, c.ID, in); err != nil {
			w.T.Fatal(err)
		}
	}
	return c
}

// setStatus moves a class to a status through the classes use case.
func (w *classWorld) setStatus(c classes.Class, st classes.Status) {
	w.T.Helper()
	in := classes.ClassInput{Title: c.Title, Mode: c.Mode, Capacity: c.Capacity, StartsOn: c.StartsOn, EndsOn: c.EndsOn,
		EnrolFrom: c.EnrolFrom, EnrolUntil: c.EnrolUntil, MeetingURL: c.MeetingURL, Status: st}
	for _, t := range c.Teachers {
		in.TeacherIDs = append(in.TeacherIDs, t.PersonID)
	}
	if _, err := w.classes.UpdateClass(context.Background(), w.admin, c.ID, in); err != nil {
		w.T.Fatal(err)
	}
}

// setCapacity changes a class's capacity through the classes use case.
func (w *classWorld) setCapacity(c classes.Class, capacity int) {
	w.T.Helper()
	in := classes.ClassInput{Title: c.Title, Mode: c.Mode, Capacity: capacity, StartsOn: c.StartsOn, EndsOn: c.EndsOn,
		EnrolFrom: c.EnrolFrom, EnrolUntil: c.EnrolUntil, MeetingURL: c.MeetingURL, Status: c.Status}
	for _, t := range c.Teachers {
		in.TeacherIDs = append(in.TeacherIDs, t.PersonID)
	}
	if _, err := w.classes.UpdateClass(context.Background(), w.admin, c.ID, in); err != nil {
		w.T.Fatal(err)
	}
}

// learners signs in n learners of centre A1.
func (w *classWorld) learners(n int) []domain.Principal {
	out := make([]domain.Principal, n)
	for i := range out {
		out[i] = w.signIn(kLearnerA1)
	}
	return out
}

func (w *classWorld) roster(classID int64) enrolments.Roster {
	w.T.Helper()
	r, err := w.svc.ClassRoster(context.Background(), w.admin, classID)
	if err != nil {
		w.T.Fatal(err)
	}
	return r
}

func personIDs(es []enrolments.ClassEnrolment) []int64 {
	out := make([]int64, len(es))
	for i, e := range es {
		out[i] = e.PersonID
	}
	return out
}

// checkWaitlist checks the waitlist's positions and that it is in the
// order of waiting (waitlisted_at, then id): the order of the class lock.
func checkWaitlist(t *testing.T, r enrolments.Roster) {
	t.Helper()
	for i, e := range r.Waitlist {
		if e.WaitlistPosition != i+1 || e.Status != enrolments.StatusWaitlisted || e.WaitlistedAt == nil {
			t.Fatalf("waitlist[%d] = %+v", i, e)
		}
		if i > 0 {
			prev := r.Waitlist[i-1]
			if e.WaitlistedAt.Before(*prev.WaitlistedAt) || e.ID < prev.ID {
				t.Fatalf("waitlist out of order at %d: %v/%d after %v/%d", i, e.WaitlistedAt, e.ID, prev.WaitlistedAt, prev.ID)
			}
		}
	}
}

// TestClassEnrolConcurrent: twelve learners enrol themselves at once in a
// class of five places: exactly five are active, the seven others
// waitlisted in the order they got the class's lock, never refused.
func TestClassEnrolConcurrent(t *testing.T) {
	w := newClassWorld(t)
	c := w.class(classOpts{capacity: 5, from: civil(-1), till: civil(1)})
	ls := w.learners(12)
	var wg sync.WaitGroup
	res := make([]enrolments.ClassEnrolment, len(ls))
	errs := make([]error, len(ls))
	start := make(chan struct{})
	for i, p := range ls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			res[i], errs[i] = w.svc.EnrolInClass(context.Background(), p, c.ID, 0)
		}()
	}
	close(start)
	wg.Wait()
	active, waiting := 0, 0
	for i, err := range errs {
		if err != nil {
			t.Fatalf("learner %d: %v", i, err)
		}
		switch res[i].Status {
		case enrolments.StatusActive:
			active++
		case enrolments.StatusWaitlisted:
			waiting++
			if res[i].WaitlistPosition < 1 {
				t.Errorf("waitlisted without a position: %+v", res[i])
			}
		}
		if res[i].VersionID != c.VersionID || res[i].Source != enrolments.SourceSelf || res[i].ClassID != c.ID {
			t.Errorf("enrolment %+v: want the class's version %d, source self", res[i], c.VersionID)
		}
	}
	if active != 5 || waiting != 7 {
		t.Fatalf("active %d, waitlisted %d; want 5 and 7", active, waiting)
	}
	r := w.roster(c.ID)
	if len(r.Items) != 5 || len(r.Waitlist) != 7 || r.SeatsLeft != 0 || r.Capacity != 5 {
		t.Fatalf("roster: %d seated, %d waiting, %d seats left", len(r.Items), len(r.Waitlist), r.SeatsLeft)
	}
	checkWaitlist(t, r)
	// The ones seated got their seats before anyone waited: their ids are
	// all smaller than the waitlist's.
	for _, e := range r.Items {
		if e.ID > r.Waitlist[0].ID {
			t.Errorf("seated enrolment %d came after the first waiting %d", e.ID, r.Waitlist[0].ID)
		}
	}
}

// fill enrols n new learners of A1 into the class (as the administrator),
// one after the other.
func (w *classWorld) fill(classID int64, n int) []enrolments.ClassEnrolment {
	w.T.Helper()
	out := make([]enrolments.ClassEnrolment, n)
	for i := range out {
		l := w.signIn(kLearnerA1)
		e, err := w.svc.EnrolInClass(context.Background(), w.admin, classID, l.PersonID)
		if err != nil {
			w.T.Fatal(err)
		}
		if e.Source != enrolments.SourceStaff {
			w.T.Fatalf("source %s", e.Source)
		}
		out[i] = e
	}
	return out
}

// TestClassWaitlistPromotionConcurrentWithdrawals: five seated, five
// waiting; three seated withdraw at once: the first three waiting are
// promoted, in order, each with an event by the system; the other two move
// up to positions 1 and 2. Then a capacity raised by two frees two places
// at once: both are promoted, in order.
func TestClassWaitlistPromotionConcurrentWithdrawals(t *testing.T) {
	w := newClassWorld(t)
	ctx := context.Background()
	c := w.class(classOpts{capacity: 5})
	es := w.fill(c.ID, 10)
	seated, waiting := es[:5], es[5:]
	for i, e := range waiting {
		if e.Status != enrolments.StatusWaitlisted || e.WaitlistPosition != i+1 {
			t.Fatalf("waiting[%d]: %s at %d", i, e.Status, e.WaitlistPosition)
		}
	}
	var wg sync.WaitGroup
	start := make(chan struct{})
	errs := make([]error, 3)
	for i := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, errs[i] = w.svc.Withdraw(ctx, w.admin, seated[i].ID, "Chuyển nơi ở")
		}()
	}
	close(start)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	r := w.roster(c.ID)
	want := append(personIDs(seated[3:]), personIDs(waiting[:3])...)
	got := personIDs(r.Items)
	slices.Sort(want)
	slices.Sort(got)
	if !slices.Equal(got, want) || r.SeatsLeft != 0 {
		t.Fatalf("seated %v, want %v (seats left %d)", got, want, r.SeatsLeft)
	}
	if !slices.Equal(personIDs(r.Waitlist), personIDs(waiting[3:])) {
		t.Fatalf("waitlist %v, want %v", personIDs(r.Waitlist), personIDs(waiting[3:]))
	}
	checkWaitlist(t, r)
	// Each promotion is in the history, by the system, after the waiting.
	var promotedAt []int64
	for _, e := range waiting[:3] {
		evs, err := w.svc.Events(ctx, w.admin, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(evs) != 2 || evs[0].Status != enrolments.StatusWaitlisted || evs[1].Status != enrolments.StatusActive ||
			evs[1].ByID != 0 || evs[1].Reason != enrolments.ReasonPromoted {
			t.Fatalf("events of %d: %+v", e.ID, evs)
		}
		promotedAt = append(promotedAt, evs[1].ID)
	}
	if !slices.IsSorted(promotedAt) {
		t.Errorf("promotions out of order: %v", promotedAt)
	}
	// A withdrawn enrolment's history: enrolled, withdrawn with its reason.
	evs, err := w.svc.Events(ctx, w.admin, seated[0].ID)
	if err != nil || len(evs) != 2 || evs[1].Status != enrolments.StatusWithdrawn || evs[1].Reason != "Chuyển nơi ở" || evs[1].ByID != w.admin.PersonID {
		t.Fatalf("events of a withdrawn enrolment: %+v, %v", evs, err)
	}

	// Two places at once: the capacity raised from 5 to 7.
	c, _, err = w.classes.GetClass(ctx, w.admin, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	w.setCapacity(c, 7)
	r = w.roster(c.ID)
	if len(r.Items) != 7 || len(r.Waitlist) != 0 || r.SeatsLeft != 0 {
		t.Fatalf("after the capacity increase: %d seated, %d waiting", len(r.Items), len(r.Waitlist))
	}
	// A newcomer now waits (full again) at position 1.
	late := w.fill(c.ID, 1)[0]
	if late.Status != enrolments.StatusWaitlisted || late.WaitlistPosition != 1 {
		t.Fatalf("newcomer: %s at %d", late.Status, late.WaitlistPosition)
	}
	// A withdrawal of a waiting enrolment promotes nobody.
	if _, err := w.svc.Withdraw(ctx, w.admin, late.ID, "Bận việc nhà"); err != nil {
		t.Fatal(err)
	}
	if r := w.roster(c.ID); len(r.Items) != 7 || len(r.Waitlist) != 0 {
		t.Fatalf("after a waiting withdrawal: %d seated, %d waiting", len(r.Items), len(r.Waitlist))
	}
	// The course's learners are the seated: nobody waiting is listed.
	page, err := w.svc.Learners(ctx, w.admin, c.CourseID, enrolments.LearnerFilter{Limit: 100})
	if err != nil || len(page.Items) != 7 {
		t.Fatalf("the course's learners: %d, %v; want the 7 seated", len(page.Items), err)
	}
	// Seats are not taken back: a capacity under the seated is refused.
	in := classes.ClassInput{Title: c.Title, Mode: c.Mode, Capacity: 6, StartsOn: c.StartsOn, EndsOn: c.EndsOn,
		EnrolFrom: c.EnrolFrom, EnrolUntil: c.EnrolUntil, MeetingURL: c.MeetingURL, Status: c.Status}
	for _, t := range c.Teachers {
		in.TeacherIDs = append(in.TeacherIDs, t.PersonID)
	}
	_, err = w.classes.UpdateClass(ctx, w.admin, c.ID, in)
	if e := domain.AsError(err); e == nil || len(e.Fields) != 1 || e.Fields[0].Field != "capacity" ||
		e.Fields[0].Code != "capacity_below_enrolled" || e.Fields[0].Params["count"] != 7 {
		t.Fatalf("capacity 6 under 7 seated: %v", err)
	}
}

// TestClassWaitlistRacingWithdrawalsAndEnrolments: withdrawals, new
// enrolments and a capacity increase race; at the end the seated are
// never more than the capacity, nobody waits while a seat is free, and the
// waitlist is in order.
func TestClassWaitlistRacingWithdrawalsAndEnrolments(t *testing.T) {
	w := newClassWorld(t)
	ctx := context.Background()
	c := w.class(classOpts{capacity: 4})
	es := w.fill(c.ID, 8)
	newcomers := w.learners(6)
	var wg sync.WaitGroup
	start := make(chan struct{})
	var mu sync.Mutex
	var errs []error
	run := func(f func() error) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			if err := f(); err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}
		}()
	}
	for _, e := range es[:3] {
		run(func() error { _, err := w.svc.Withdraw(ctx, w.admin, e.ID, "Ốm"); return err })
	}
	for _, p := range newcomers {
		run(func() error { _, err := w.svc.EnrolInClass(ctx, w.admin, c.ID, p.PersonID); return err })
	}
	run(func() error { w.setCapacity(c, 6); return nil })
	close(start)
	wg.Wait()
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	r := w.roster(c.ID)
	// 8 + 6 − 3 = 11 live; 6 seated, 5 waiting.
	if len(r.Items) != 6 || len(r.Waitlist) != 5 || r.SeatsLeft != 0 {
		t.Fatalf("%d seated, %d waiting, %d seats left", len(r.Items), len(r.Waitlist), r.SeatsLeft)
	}
	checkWaitlist(t, r)
	// The first waiting before the race (es[4..7]) are promoted before any newcomer.
	seated := personIDs(r.Items)
	for _, e := range es[4:6] {
		if !slices.Contains(seated, e.PersonID) {
			t.Errorf("%d waited first but is not seated", e.PersonID)
		}
	}
}

// TestClassEnrolRefusals: outside the window, a class not open, cancelled
// or finished, and twice.
func TestClassEnrolRefusals(t *testing.T) {
	w := newClassWorld(t)
	ctx := context.Background()
	l := w.signIn(kLearnerA1)
	manager := w.signIn(kManagerA1)
	cases := []struct {
		name      string
		o         classOpts
		self, mgr string // expected keys ("" = enrolled)
	}{
		{"window passed", classOpts{from: civil(-10), till: civil(-1)}, "enrolment_window_closed", ""},
		{"window not yet", classOpts{from: civil(2), till: civil(10)}, "enrolment_window_closed", ""},
		{"open window", classOpts{from: civil(0), till: civil(0)}, "", ""},
		{"planned", classOpts{status: classes.StatusPlanned}, "class_not_found", ""},
		{"running", classOpts{status: classes.StatusRunning}, "enrolment_window_closed", ""},
		{"cancelled", classOpts{status: classes.StatusCancelled}, "class_not_found", "class_closed"},
		{"finished", classOpts{status: classes.StatusFinished}, "class_not_found", "class_closed"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := w.class(tc.o)
			_, err := w.svc.EnrolInClass(ctx, l, c.ID, 0)
			if keyOf(err) != tc.self && !(tc.self == "" && err == nil) {
				t.Errorf("self: %v, want %s", err, tc.self)
			}
			other := w.signIn(kLearnerA1)
			_, err = w.svc.EnrolInClass(ctx, manager, c.ID, other.PersonID)
			if keyOf(err) != tc.mgr && !(tc.mgr == "" && err == nil) {
				t.Errorf("manager: %v, want %s", err, tc.mgr)
			}
			if tc.mgr == "" {
				_, err = w.svc.EnrolInClass(ctx, manager, c.ID, other.PersonID)
				if keyOf(err) != "enrolment_exists" || codeOf(err) != domain.CodeConflict {
					t.Errorf("twice: %v", err)
				}
			}
		})
	}
	// Withdrawn, one may enrol again; self twice is refused the same way.
	c := w.class(classOpts{})
	e, err := w.svc.EnrolInClass(ctx, l, c.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.EnrolInClass(ctx, l, c.ID, 0); keyOf(err) != "enrolment_exists" {
		t.Fatalf("self twice: %v", err)
	}
	if _, err := w.svc.Withdraw(ctx, l, e.ID, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.EnrolInClass(ctx, l, c.ID, 0); err != nil {
		t.Fatalf("again after withdrawal: %v", err)
	}
}

// TestClassEnrolOverlaps: a learner enrolled in a class whose session
// overlaps a session of the new class is warned, not refused.
func TestClassEnrolOverlaps(t *testing.T) {
	w := newClassWorld(t)
	ctx := context.Background()
	l := w.signIn(kLearnerA1)
	a, b, other := w.class(classOpts{}), w.class(classOpts{}), w.class(classOpts{})
	at := time.Now().Add(48 * time.Hour).Truncate(time.Hour)
	add := func(c classes.Class, start time.Time) classes.Session {
		s, err := w.classes.AddSession(ctx, w.admin, c.ID, classes.SessionInput{StartsAt: start, EndsAt: start.Add(2 * time.Hour), Mode: classes.ModeOnline})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	sa := add(a, at)
	add(a, at.Add(24*time.Hour))
	sb := add(b, at.Add(time.Hour))
	add(b, at.Add(72*time.Hour))
	add(other, at) // a class the learner is not in
	if _, err := w.svc.EnrolInClass(ctx, l, a.ID, 0); err != nil {
		t.Fatal(err)
	}
	e, err := w.svc.EnrolInClass(ctx, l, b.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(e.Overlaps) != 1 || e.Overlaps[0].SessionID != sa.ID || e.Overlaps[0].ThisSessionID != sb.ID || e.Overlaps[0].ClassID != a.ID {
		t.Fatalf("overlaps: %+v", e.Overlaps)
	}
	// The learner's sessions: both classes', role learner, in time order.
	ss, err := w.classes.MySessions(ctx, l, time.Time{}, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if len(ss) != 4 || ss[0].ID != sa.ID || ss[1].ID != sb.ID {
		t.Fatalf("my sessions: %+v", ss)
	}
	for _, s := range ss {
		if s.Role != "learner" {
			t.Fatalf("role %q", s.Role)
		}
	}
	mine, err := w.svc.MyClasses(ctx, l)
	if err != nil || len(mine) != 2 || mine[0].ClassID != a.ID || mine[0].Next == nil || mine[0].Next.ID != sa.ID {
		t.Fatalf("my classes: %+v, %v", mine, err)
	}
}

// TestOpenClasses: a learner sees the open classes of their province whose
// window is open, their commune's first.
func TestOpenClasses(t *testing.T) {
	w := newClassWorld(t)
	ctx := context.Background()
	// A centre of another commune of province A.
	comm := w.ID(`INSERT INTO units (code, name, kind, parent_id, valid_from) VALUES ('12099', 'Xã Khác', 'commune', $1, '2025-07-01') RETURNING id`, w.ProvA)
	centre := w.ID(`INSERT INTO centres (unit_id, name) VALUES ($1, 'TTHTCĐ Xã Khác') RETURNING id`, comm)
	farCourse := w.course(courses.NewCourse{CentreID: centre}, courses.ModeOnline, true)
	far, err := w.classes.CreateClass(ctx, w.admin, w.input(classOpts{centre: centre, capacity: 3}, farCourse.ID))
	if err != nil {
		t.Fatal(err)
	}
	in := w.input(classOpts{centre: centre, capacity: 3}, farCourse.ID)
	in.Status = classes.StatusOpen
	if _, err := w.classes.UpdateClass(ctx, w.admin, far.ID, in); err != nil {
		t.Fatal(err)
	}
	near := w.class(classOpts{capacity: 2})
	w.class(classOpts{from: civil(-5), till: civil(-1)}) // window passed
	w.class(classOpts{status: classes.StatusPlanned})    // not open
	b1 := w.class(classOpts{centre: w.CentreB1})         // another province
	l := w.signIn(kLearnerA1)
	if _, err := w.svc.EnrolInClass(ctx, l, near.ID, 0); err != nil {
		t.Fatal(err)
	}
	list, err := w.svc.OpenClasses(ctx, l)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].ID != near.ID || list[0].Near != "commune" || list[1].ID != far.ID || list[1].Near != "province" {
		t.Fatalf("open classes: %+v", list)
	}
	if list[0].SeatsLeft != 1 || list[0].MyStatus != enrolments.StatusActive || list[1].MyEnrolmentID != 0 || list[1].SeatsLeft != 3 {
		t.Fatalf("seats and my enrolment: %+v", list)
	}
	// A learner without a centre, living in commune A1: the same list, and
	// they may join what it lists; a manager (no learner) gets none.
	home := w.signIn("learner_no_centre")
	if list, err := w.svc.OpenClasses(ctx, home); err != nil || len(list) != 2 || list[0].ID != near.ID {
		t.Fatalf("centre-less learner's open classes: %+v, %v", list, err)
	}
	if e, err := w.svc.EnrolInClass(ctx, home, far.ID, 0); err != nil || e.Status != enrolments.StatusActive {
		t.Fatalf("centre-less learner enrols: %+v, %v", e, err)
	}
	// They read the class they may join, and keep reading it once enrolled
	// and the class has moved on (finished); not another province's.
	if _, _, err := w.classes.GetClass(ctx, home, near.ID); err != nil {
		t.Fatalf("centre-less learner reads an open class near them: %v", err)
	}
	if _, _, err := w.classes.GetClass(ctx, home, b1.ID); domain.ErrorCode(err) != domain.CodeNotFound {
		t.Fatalf("centre-less learner reads another province's class: %v", err)
	}
	w.setStatus(far, classes.StatusRunning)
	w.setStatus(far, classes.StatusFinished)
	if c, _, err := w.classes.GetClass(ctx, home, far.ID); err != nil || c.Status != classes.StatusFinished {
		t.Fatalf("an enrolled learner reads their finished class: %+v %v", c, err)
	}
	if _, _, err := w.classes.GetClass(ctx, l, far.ID); domain.ErrorCode(err) != domain.CodeNotFound {
		t.Fatalf("a learner not enrolled reads a finished class: %v", err)
	}
	if list, err := w.svc.OpenClasses(ctx, w.signIn(kManagerA1)); err != nil || len(list) != 0 {
		t.Fatalf("a manager's open classes: %+v, %v", list, err)
	}
	// Someone of province B sees none of them.
	if list, err := w.svc.OpenClasses(ctx, w.signIn(kLearnerB1)); err != nil || len(list) != 1 || list[0].ProvinceID != w.ProvB {
		t.Fatalf("B's open classes: %+v, %v", list, err)
	}
}

// TestClassImport: a CSV into a class of three places finds the existing
// person by phone, creates the others, enrols three and waitlists the
// fourth, reports the bad rows (and applies nothing of them); a dry run
// says the same without writing; the same file again enrols nobody twice.
func TestClassImport(t *testing.T) {
	w := newClassWorld(t)
	ctx := context.Background()
	manager := w.signIn(kManagerA1)
	c := w.class(classOpts{capacity: 3})
	existing := w.AddPerson("Lò Thị Mai", "0981234567", w.CommA1)
	file := []byte("\ufeffHọ và tên,Số điện thoại,CCCD,Năm sinh,Giới tính,Dân tộc,Thôn\r\n" +
		"Lò Thị Mai,0981234567,,1985,Nữ,Thái,Bản Nà Khum\r\n" + // existing, by phone
		"Nguyễn Thị Hoa,,012180012345,1980,Nữ,Kinh,Tổ 3\r\n" +
		"Tòng Văn Xuân,0912000001,,1990,Nam,Thái,Bản Hon\r\n" +
		"Vàng A Sử,0912000002,,1978,Nam,Mông,Bản Sang\r\n" +
		"Lường Văn Sai,09123,,1980,Nam,Thái,Bản Hon\r\n" + // bad phone
		",0912000003,,1980,Nam,Thái,Bản Hon\r\n" + // no name
		"Lò Văn Trùng,0912000001,,1991,Nam,Thái,Bản Hon\r\n") // same phone as row 4
	dry, err := w.svc.ImportIntoClass(ctx, manager, c.ID, file, true)
	if err != nil {
		t.Fatal(err)
	}
	if !dry.DryRun || dry.TotalRows != 7 || dry.Created != 3 || dry.Found != 1 || dry.Enrolled != 3 || dry.Waitlisted != 1 || dry.Already != 0 || dry.Failed != 3 {
		t.Fatalf("dry run: %+v", dry)
	}
	if r := w.roster(c.ID); len(r.Items)+len(r.Waitlist) != 0 {
		t.Fatalf("a dry run enrolled %d", len(r.Items)+len(r.Waitlist))
	}
	rowFields := func(rep enrolments.ClassImport) []string {
		var out []string
		for _, e := range rep.Errors {
			out = append(out, fmt.Sprintf("%d/%s/%s", e.Row, e.Field, e.Code))
		}
		return out
	}
	wantErrs := rowFields(dry)
	if len(wantErrs) != 3 || !slices.Equal(wantErrs, []string{"6/phone/phone_length", "7/full_name/name_required", "8/phone/duplicate_in_file"}) {
		t.Fatalf("row errors: %v", wantErrs)
	}
	rep, err := w.svc.ImportIntoClass(ctx, manager, c.ID, file, false)
	if err != nil {
		t.Fatal(err)
	}
	if rep.DryRun || rep.Created != 3 || rep.Found != 1 || rep.Enrolled != 3 || rep.Waitlisted != 1 || rep.Already != 0 || rep.Failed != 3 ||
		!slices.Equal(rowFields(rep), wantErrs) {
		t.Fatalf("import: %+v", rep)
	}
	r := w.roster(c.ID)
	if len(r.Items) != 3 || len(r.Waitlist) != 1 {
		t.Fatalf("roster: %d seated, %d waiting", len(r.Items), len(r.Waitlist))
	}
	// In file order: the first three seated, the fourth (Vàng A Sử) waiting.
	if r.Waitlist[0].PersonName != "Vàng A Sử" || r.Waitlist[0].Source != enrolments.SourceImport {
		t.Fatalf("waitlist: %+v", r.Waitlist[0])
	}
	if evs, err := w.svc.Events(ctx, manager, r.Waitlist[0].ID); err != nil || len(evs) != 1 ||
		evs[0].Status != enrolments.StatusWaitlisted || evs[0].ByID != manager.PersonID {
		t.Fatalf("events of an imported enrolment: %+v, %v", evs, err)
	}
	if !slices.Contains(personIDs(r.Items), existing) {
		t.Fatalf("the existing person %d is not enrolled: %v", existing, personIDs(r.Items))
	}
	// The same file again: everybody found, nobody enrolled twice.
	again, err := w.svc.ImportIntoClass(ctx, manager, c.ID, file, false)
	if err != nil {
		t.Fatal(err)
	}
	if again.Created != 0 || again.Found != 4 || again.Enrolled != 0 || again.Waitlisted != 0 || again.Already != 4 {
		t.Fatalf("again: %+v", again)
	}
	if r := w.roster(c.ID); len(r.Items) != 3 || len(r.Waitlist) != 1 {
		t.Fatalf("roster after the second import: %d seated, %d waiting", len(r.Items), len(r.Waitlist))
	}
	// A file the people import refuses as a whole (UTF-16) is refused the same way.
	if _, err := w.svc.ImportIntoClass(ctx, manager, c.ID, []byte("\xff\xfeh\x00o\x00"), false); keyOf(err) != "csv_utf16" {
		t.Fatalf("utf-16: %v", err)
	}
	// A cancelled class takes no import.
	cancelled := w.class(classOpts{status: classes.StatusCancelled})
	if _, err := w.svc.ImportIntoClass(ctx, manager, cancelled.ID, file, true); keyOf(err) != "class_closed" {
		t.Fatalf("cancelled: %v", err)
	}
}

// TestClassRosterMasking: the roster shows a learner's phone to those who
// cover them (administrators, the centre's manager, the officers over the
// commune) and masks it for the others who read the roster (teachers), as
// the people list does.
func TestClassRosterMasking(t *testing.T) {
	w := newClassWorld(t)
	ctx := context.Background()
	teacher := w.signIn(kTeacherA1)
	c := w.class(classOpts{teachers: []int64{teacher.PersonID}})
	l := w.signIn(kLearnerA1)
	if _, err := w.svc.EnrolInClass(ctx, l, c.ID, 0); err != nil {
		t.Fatal(err)
	}
	var phone string
	if err := w.DB.SQL().QueryRow(`SELECT phone FROM people WHERE id = $1`, l.PersonID).Scan(&phone); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		p      domain.Principal
		masked bool
	}{{"admin", w.admin, false}, {"manager", w.signIn(kManagerA1), false}, {"officer of the province", w.signIn(kOfficerA), false},
		{"teacher of the class", teacher, true}, {"teacher of the centre", w.signIn(kTeacherA1), true}} {
		r, err := w.svc.ClassRoster(ctx, tc.p, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		got := r.Items[0].Phone
		if (got != phone) != tc.masked || got == "" || (tc.masked && got != domain.MaskPhone(phone)) {
			t.Errorf("%s sees %q (stored %q), masked %v", tc.name, got, phone, tc.masked)
		}
	}
}
