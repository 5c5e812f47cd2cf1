package attendance_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"densach/domain"
	"densach/domain/attendance"
	"densach/domain/classes"
	"densach/storage/postgres"
)

// clock is a settable test clock shared by the services of a test.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

// signedIn are the principals of each world's people signed in.
var signedIn = map[*world]map[int64]domain.Principal{}

// as signs a person in once (an account each) and returns the principal.
func (w *world) as(person int64) domain.Principal {
	w.T.Helper()
	if p, ok := signedIn[w][person]; ok {
		return p
	}
	if signedIn[w] == nil {
		signedIn[w] = map[int64]domain.Principal{}
	}
	p := w.SignIn(person)
	signedIn[w][person] = p
	return p
}

// checkinSvc is a fresh attendance service over the world's database (a
// new one is what a restarted or another instance holds) on the clock.
func (w *world) checkinSvc(c *clock) *attendance.Service {
	return &attendance.Service{Store: postgres.NewAttendance(w.DB), Classes: postgres.NewClasses(w.DB), Checkins: postgres.NewCheckins(w.DB), Now: c.now}
}

// at19 is 19:00 in Vietnam on a day of March 2026 (the fixture's sessions).
func at19(day int) time.Time { return time.Date(2026, 3, day, 19, 0, 0, 0, classes.Zone) }

func TestCheckinCodeShape(t *testing.T) {
	secret := make([]byte, 32)
	a := attendance.CheckinCodeAt(secret, 7, 100)
	if len(a) != attendance.CheckinCodeLen || a != attendance.CheckinCodeAt(secret, 7, 100) {
		t.Fatalf("code %q", a)
	}
	if a == attendance.CheckinCodeAt(secret, 7, 101) || a == attendance.CheckinCodeAt(secret, 8, 100) {
		t.Fatal("a code does not depend on its step and session")
	}
	other := make([]byte, 32)
	other[0] = 1
	if a == attendance.CheckinCodeAt(other, 7, 100) {
		t.Fatal("a code does not depend on the secret")
	}
	for in, want := range map[string]string{"7kq2-m9xd": "7KQ2M9XD", " 7KQ2 M9XD ": "7KQ2M9XD", "O1IL-abcd": "0111ABCD"} {
		if got, ok := attendance.NormalizeCheckinCode(in); !ok || got != want {
			t.Errorf("%q: %q %v, want %q", in, got, ok, want)
		}
	}
	for _, bad := range []string{"", "7KQ2M9X", "7KQ2M9XDA", "7KQ2M9XU", "7KQ2M9Xđ", "7KQ2;9XD"} {
		if _, ok := attendance.NormalizeCheckinCode(bad); ok {
			t.Errorf("%q accepted", bad)
		}
	}
}

// TestCheckinExpiryAndWindow: a code is good for its step and the next,
// then refused as expired; the code is shown from 15 minutes before the
// start until the end; a check-in after 15 minutes marks late; one after
// the end is refused.
func TestCheckinExpiryAndWindow(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	c := w.class(w.CentreA1, []int{20}, "Lò Thị Ánh", "Đỗ Văn Bình", "Nguyễn Thị Cúc", "Hà Văn Dũng")
	s := c.sessions[0]
	clk := &clock{t: at19(20).Add(-16 * time.Minute)}
	svc := w.checkinSvc(clk)
	learner := func(i int) domain.Principal { return w.as(c.learners[i]) }

	if _, err := svc.SessionCheckinCode(ctx, c.teacher, s.ID); keyOf(err) != "checkin_not_open" {
		t.Fatalf("16 minutes before: %v", err)
	}
	clk.set(at19(20).Add(-15 * time.Minute))
	cc, err := svc.SessionCheckinCode(ctx, c.teacher, s.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(cc.Code) != 8 || !cc.ExpiresAt.After(clk.now()) || cc.ValidUntil.Sub(cc.ExpiresAt) != attendance.CheckinStep || cc.Learners != 4 || len(cc.Checkins) != 0 {
		t.Fatalf("code: %+v", cc)
	}
	// Early: present.
	r, err := svc.CheckIn(ctx, learner(0), cc.Code[:4]+"-"+cc.Code[4:])
	if err != nil {
		t.Fatal(err)
	}
	if r.Already || r.Mark.Status != attendance.Present || r.Mark.Source != attendance.SourceCheckin || r.Session.ID != s.ID || r.Mark.MarkedBy != c.learners[0] {
		t.Fatalf("check-in: %+v", r)
	}
	// The screen's next code; the one before still works one more step.
	clk.set(cc.ExpiresAt.Add(5 * time.Second))
	next, err := svc.SessionCheckinCode(ctx, c.teacher, s.ID)
	if err != nil || next.Code == cc.Code {
		t.Fatalf("next code: %+v %v", next, err)
	}
	if _, err := svc.CheckIn(ctx, learner(1), cc.Code); err != nil {
		t.Fatalf("previous step's code: %v", err)
	}
	// Two steps later it is expired (a clear refusal, nothing stored).
	clk.set(cc.ValidUntil.Add(time.Second))
	before := w.snapshot()
	if _, err := svc.CheckIn(ctx, learner(2), cc.Code); keyOf(err) != "checkin_code_expired" || codeOf(err) != domain.CodeInvalid {
		t.Fatalf("expired code: %v", err)
	}
	if w.snapshot() != before {
		t.Fatal("a refused check-in stored something")
	}
	// 20 minutes after the start: late.
	clk.set(at19(20).Add(20 * time.Minute))
	cur, err := svc.SessionCheckinCode(ctx, c.teacher, s.ID)
	if err != nil {
		t.Fatal(err)
	}
	if r, err = svc.CheckIn(ctx, learner(2), cur.Code); err != nil || r.Mark.Status != attendance.Late {
		t.Fatalf("late check-in: %+v %v", r, err)
	}
	if cur, err = svc.SessionCheckinCode(ctx, c.teacher, s.ID); err != nil || len(cur.Checkins) != 3 {
		t.Fatalf("the teacher's count: %+v %v", cur, err)
	}
	// At the end the code is still shown; a second later the check-in is closed.
	clk.set(s.EndsAt)
	last, err := svc.SessionCheckinCode(ctx, c.teacher, s.ID)
	if err != nil {
		t.Fatal(err)
	}
	clk.set(s.EndsAt.Add(time.Second))
	if _, err := svc.SessionCheckinCode(ctx, c.teacher, s.ID); keyOf(err) != "checkin_closed" {
		t.Fatalf("after the end: %v", err)
	}
	if _, err := svc.CheckIn(ctx, learner(3), last.Code); keyOf(err) != "checkin_closed" {
		t.Fatalf("check-in after the end: %v", err)
	}
	if _, err := svc.CheckIn(ctx, learner(3), "7KQ2-M9X"); keyOf(err) != "checkin_code_invalid" {
		t.Fatalf("malformed: %v", err)
	}
}

// TestCheckinSessionBinding: a code names its session; a learner of
// another class is refused (another session's code while their own is
// open, or not enrolled), so is a waitlisted learner; a cancelled
// session shows no code.
func TestCheckinSessionBinding(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	a := w.class(w.CentreA1, []int{20}, "Lò Thị Ánh", "Đỗ Văn Bình")
	b := w.class(w.CentreA1, []int{21}, "Hà Văn Dũng")
	// b's session moved to the same evening as a's, in another venue.
	clk := &clock{t: at19(20).Add(5 * time.Minute)}
	svc := w.checkinSvc(clk)
	if _, err := w.DB.SQL().Exec(`UPDATE class_sessions SET starts_at = $1, ends_at = $2 WHERE id = $3`, at19(20), at19(20).Add(90*time.Minute), b.sessions[0].ID); err != nil {
		t.Fatal(err)
	}
	ca, err := svc.SessionCheckinCode(ctx, a.teacher, a.sessions[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	cb, err := svc.SessionCheckinCode(ctx, b.teacher, b.sessions[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if ca.Code == cb.Code {
		t.Fatal("two sessions share a code")
	}
	before := w.snapshot()
	// A learner of a, with a's session open, types b's code.
	if _, err := svc.CheckIn(ctx, w.as(a.learners[0]), cb.Code); keyOf(err) != "checkin_other_session" || codeOf(err) != domain.CodeConflict {
		t.Fatalf("another session's code: %v", err)
	}
	// A learner of no class here.
	stranger := w.signIn(kLearnerA1)
	if _, err := svc.CheckIn(ctx, stranger, ca.Code); keyOf(err) != "checkin_not_enrolled" || codeOf(err) != domain.CodeForbidden {
		t.Fatalf("not enrolled: %v", err)
	}
	// A waitlisted learner of a.
	waiting := w.person("Vàng Thị Én", w.CommA1)
	w.ID(`INSERT INTO enrolments (person_id, course_id, version_id, class_id, status, source, enrolled_by, waitlisted_at)
		VALUES ($1, $2, $3, $4, 'waitlisted', 'staff', $5, now()) RETURNING id`, waiting, a.CourseID, a.VersionID, a.ID, w.admin.PersonID)
	if _, err := svc.CheckIn(ctx, w.as(waiting), ca.Code); keyOf(err) != "checkin_not_enrolled" {
		t.Fatalf("waitlisted: %v", err)
	}
	// The teacher of a sees nothing of b's code; the session binds.
	if w.snapshot() != before {
		t.Fatal("a refused check-in stored something")
	}
	r, err := svc.CheckIn(ctx, w.as(b.learners[0]), cb.Code)
	if err != nil || r.Session.ID != b.sessions[0].ID {
		t.Fatalf("b's learner: %+v %v", r, err)
	}
	// A cancelled session shows no code.
	if _, err := w.DB.SQL().Exec(`UPDATE class_sessions SET status = 'cancelled', cancel_reason = 'Mưa lũ' WHERE id = $1`, a.sessions[0].ID); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.SessionCheckinCode(ctx, a.teacher, a.sessions[0].ID); keyOf(err) != "session_cancelled" {
		t.Fatalf("cancelled: %v", err)
	}
	if _, err := svc.CheckIn(ctx, w.as(a.learners[1]), ca.Code); keyOf(err) != "checkin_code_wrong" {
		t.Fatalf("cancelled session's code: %v", err)
	}
}

// TestCheckinIdempotentAndCorrected: checking in twice changes nothing;
// the check-in shows in the session's register with its source, the
// teacher corrects it through the register, and a later check-in leaves
// the teacher's mark.
func TestCheckinIdempotentAndCorrected(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	c := w.class(w.CentreA1, []int{20}, "Lò Thị Ánh", "Đỗ Văn Bình")
	s := c.sessions[0].ID
	clk := &clock{t: at19(20)}
	svc := w.checkinSvc(clk)
	cc, err := svc.SessionCheckinCode(ctx, c.teacher, s)
	if err != nil {
		t.Fatal(err)
	}
	me := w.as(c.learners[0])
	if r, err := svc.CheckIn(ctx, me, cc.Code); err != nil || r.Already {
		t.Fatalf("first: %+v %v", r, err)
	}
	once := w.snapshot()
	for range 2 {
		if r, err := svc.CheckIn(ctx, me, cc.Code); err != nil || !r.Already || r.Mark.Version != 1 {
			t.Fatalf("again: %+v %v", r, err)
		}
	}
	if w.snapshot() != once {
		t.Fatalf("checking in again changed the marks:\n%s\nwas\n%s", w.snapshot(), once)
	}
	roster, err := svc.SessionRoster(ctx, c.teacher, s)
	if err != nil {
		t.Fatal(err)
	}
	e := roster.Entries[0]
	if e.PersonID != c.learners[0] || e.Mark == nil || e.Mark.Source != attendance.SourceCheckin || roster.Entries[1].Mark != nil {
		t.Fatalf("register: %+v", roster.Entries)
	}
	// The teacher corrects it.
	if _, err := svc.MarkSession(ctx, c.teacher, s, attendance.BatchInput{Marks: []attendance.MarkInput{{PersonID: c.learners[0], Status: attendance.Absent, Note: "Về sớm", Version: e.Mark.Version}}}); err != nil {
		t.Fatal(err)
	}
	r, err := svc.CheckIn(ctx, me, cc.Code)
	if err != nil || !r.Already || r.Mark.Status != attendance.Absent || r.Mark.Source != attendance.SourceManual {
		t.Fatalf("after the teacher's mark: %+v %v", r, err)
	}
	if n := w.count(`SELECT count(*) FROM attendance_events WHERE session_id = $1`, s); n != 2 {
		t.Fatalf("%d events, want 2 (check-in, correction)", n)
	}
	// The history names the check-in's source and device.
	h, err := svc.SessionHistory(ctx, c.teacher, s, 0)
	if err != nil || len(h) != 2 || h[0].Source != attendance.SourceCheckin || h[0].ByID != c.learners[0] || h[1].FromStatus != attendance.Present {
		t.Fatalf("history: %+v %v", h, err)
	}
}

// TestCheckinRateLimits: wrong codes are limited per learner (and the
// limit holds for a new service instance, as after a restart), per
// session across its learners, and under concurrent attempts exactly the
// limit gets through; a successful check-in is not counted.
func TestCheckinRateLimits(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	c := w.class(w.CentreA1, []int{20}, "Lò Thị Ánh", "Đỗ Văn Bình", "Nguyễn Thị Cúc", "Hà Văn Dũng", "Vàng Thị Én")
	s := c.sessions[0].ID
	clk := &clock{t: at19(20).Add(time.Minute)}
	svc := w.checkinSvc(clk)
	cc, err := svc.SessionCheckinCode(ctx, c.teacher, s)
	if err != nil {
		t.Fatal(err)
	}
	wrong := "ZZZZ-ZZZZ"
	if wrong == cc.Code {
		wrong = "YYYY-YYYY"
	}
	// A successful check-in does not count against the learner.
	ok := w.as(c.learners[4])
	for range 12 {
		if _, err := svc.CheckIn(ctx, ok, cc.Code); err != nil {
			t.Fatalf("repeated right code: %v", err)
		}
	}

	ánh := w.as(c.learners[0])
	for i := range attendance.DefaultCheckinPerLearner {
		if _, err := svc.CheckIn(ctx, ánh, wrong); keyOf(err) != "checkin_code_wrong" {
			t.Fatalf("attempt %d: %v", i+1, err)
		}
	}
	if _, err := svc.CheckIn(ctx, ánh, cc.Code); keyOf(err) != "checkin_too_many_attempts" || codeOf(err) != domain.CodeRateLimited {
		t.Fatalf("over the learner's limit, even the right code: %v", err)
	}
	// A restart: a new service over the same database still refuses.
	restarted := w.checkinSvc(clk)
	if _, err := restarted.CheckIn(ctx, ánh, cc.Code); keyOf(err) != "checkin_too_many_attempts" {
		t.Fatalf("after a restart: %v", err)
	}
	// Others are not limited by her.
	if _, err := restarted.CheckIn(ctx, w.as(c.learners[1]), cc.Code); err != nil {
		t.Fatalf("another learner: %v", err)
	}
	// The next window lets her try again.
	clk.set(clk.now().Truncate(attendance.CheckinWindow).Add(attendance.CheckinWindow))
	cur, err := restarted.SessionCheckinCode(ctx, c.teacher, s)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := restarted.CheckIn(ctx, ánh, cur.Code); err != nil {
		t.Fatalf("next window: %v", err)
	}

	// Per session: a limit of 6 attempts per window on the session, spent
	// by two learners, refuses the session's other learners too.
	tight := w.checkinSvc(clk)
	tight.CheckinPerSession = 6
	cúc, dũng := w.as(c.learners[2]), w.as(c.learners[3])
	for i := range 6 {
		p := cúc
		if i%2 == 1 {
			p = dũng
		}
		if _, err := tight.CheckIn(ctx, p, wrong); keyOf(err) != "checkin_code_wrong" {
			t.Fatalf("session attempt %d: %v", i+1, err)
		}
	}
	// (ánh's successful check-in above gave its attempt back.)
	if _, err := tight.CheckIn(ctx, w.as(c.learners[2]), cur.Code); keyOf(err) != "checkin_too_many_attempts" {
		t.Fatalf("over the session's limit: %v", err)
	}
	if n := w.count(`SELECT attempts FROM checkin_attempts WHERE scope = 'session' AND subject_id = $1 AND window_start = $2`, s, clk.now().Truncate(attendance.CheckinWindow)); n != 7 {
		t.Fatalf("session attempts %d, want 7", n)
	}

	// Concurrent wrong attempts by one learner: exactly the limit answers
	// "wrong", the rest are refused.
	clk.set(clk.now().Add(attendance.CheckinWindow))
	if _, err := svc.SessionCheckinCode(ctx, c.teacher, s); err != nil {
		t.Fatal(err)
	}
	guesser := w.as(c.learners[3])
	var wrongs, limited, other atomic.Int32
	var wg sync.WaitGroup
	for range 30 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := w.checkinSvc(clk).CheckIn(ctx, guesser, wrong)
			switch keyOf(err) {
			case "checkin_code_wrong":
				wrongs.Add(1)
			case "checkin_too_many_attempts":
				limited.Add(1)
			default:
				other.Add(1)
				t.Errorf("concurrent attempt: %v", err)
			}
		}()
	}
	wg.Wait()
	if wrongs.Load() != int32(attendance.DefaultCheckinPerLearner) || limited.Load() != 30-int32(attendance.DefaultCheckinPerLearner) {
		t.Fatalf("concurrent: %d wrong, %d limited, %d other", wrongs.Load(), limited.Load(), other.Load())
	}
}

// TestAuthzCheckinCode: who sees a session's code (those who mark it),
// 403 for the others who see the session, else 404; every role checks in
// only to a class they are a learner of.
func TestAuthzCheckinCode(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	var callers [nCallers]domain.Principal
	for i, k := range callerKinds[:cClassTeacher] {
		callers[i] = w.signIn(k)
	}
	a1 := w.class(w.CentreA1, []int{20}, "Lò Thị Ánh")
	b1 := w.class(w.CentreB1, []int{20}, "Hà Văn Dũng")
	clk := &clock{t: at19(20).Add(10 * time.Minute)}
	svc := w.checkinSvc(clk)
	for _, tg := range []struct {
		name        string
		c           *class
		reads, runs who
	}{
		{"centre_A1", a1,
			who{cAdmin: true, cOfficerA: true, cOfficerA1: true, cManagerA1: true, cTeacherA1: true, cClassTeacher: true},
			who{cAdmin: true, cManagerA1: true, cClassTeacher: true}},
		{"centre_B1", b1,
			who{cAdmin: true, cOfficerB: true, cManagerB1: true, cTeacherB1: true, cClassTeacher: true},
			who{cAdmin: true, cManagerB1: true, cClassTeacher: true}},
	} {
		callers[cClassTeacher] = tg.c.teacher
		callers[cClassLearner] = w.as(tg.c.learners[0])
		s := tg.c.sessions[0].ID
		code, err := svc.SessionCheckinCode(ctx, tg.c.teacher, s)
		if err != nil {
			t.Fatal(err)
		}
		for i, p := range callers {
			name := tg.name + "/" + callerKinds[i]
			if _, err := svc.SessionCheckinCode(ctx, p, s); codeOf(err) != ans(tg.reads, tg.runs, i) {
				t.Errorf("%s code: %v, want %q", name, err, ans(tg.reads, tg.runs, i))
			}
			before := w.snapshot()
			_, err := svc.CheckIn(ctx, p, code.Code)
			want := domain.CodeForbidden // checkin_not_enrolled: not a learner of the class
			if i == cClassLearner {
				want = ""
			}
			if codeOf(err) != want {
				t.Errorf("%s check-in: %v, want %q", name, err, want)
			}
			if want != "" && w.snapshot() != before {
				t.Errorf("%s: a refused check-in stored something", name)
			}
		}
	}
}
