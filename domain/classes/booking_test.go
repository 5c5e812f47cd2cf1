package classes_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"densach/domain"
	"densach/domain/classes"
)

// race books one slot from n goroutines at once and returns the errors.
func race(n int, book func(i int) error) []error {
	errs := make([]error, n)
	var start, done sync.WaitGroup
	start.Add(1)
	for i := range n {
		done.Add(1)
		go func() {
			defer done.Done()
			start.Wait()
			errs[i] = book(i)
		}()
	}
	start.Done()
	done.Wait()
	return errs
}

// oneWins checks that exactly one booking succeeded and every other was
// refused with 409 session_conflict naming a session.
func oneWins(t *testing.T, errs []error) {
	t.Helper()
	ok := 0
	for _, err := range errs {
		if err == nil {
			ok++
			continue
		}
		e := domain.AsError(err)
		if e.Code != domain.CodeConflict || e.Key != "session_conflict" {
			t.Fatalf("refused with %v", err)
		}
		if list, _ := e.Params["sessions"].([]map[string]any); len(list) == 0 {
			t.Errorf("the conflict names no session: %+v", e.Params)
		}
	}
	if ok != 1 {
		t.Fatalf("%d of %d bookings succeeded", ok, len(errs))
	}
}

// TestConcurrentBookings books one venue slot twenty times at once (twenty
// managers, different teachers) and one teacher twenty times at once (in
// twenty venues): PostgreSQL's exclusion constraints let exactly one
// through each time.
func TestConcurrentBookings(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	venue := w.venue(w.CentreA1, "Hội trường xã")
	var teachers []int64
	for range 20 {
		teachers = append(teachers, w.signIn(kTeacherA1).PersonID)
	}
	c := w.class(w.CentreA1, w.courseA1, venue.ID, classes.StatusOpen, teachers...)
	managers := make([]domain.Principal, 20)
	for i := range managers {
		managers[i] = w.signIn(kManagerA1)
	}
	slot := time.Date(2026, 4, 6, 19, 0, 0, 0, classes.Zone)
	oneWins(t, race(20, func(i int) error {
		_, err := w.svc.AddSession(ctx, managers[i], c.ID, classes.SessionInput{StartsAt: slot, EndsAt: slot.Add(90 * time.Minute),
			Mode: classes.ModeInPerson, VenueID: venue.ID, TeacherID: teachers[i]})
		return err
	}))
	// One teacher, twenty venues, overlapping (not equal) times.
	venues := make([]int64, 20)
	for i := range venues {
		venues[i] = w.venue(w.CentreA1, "Phòng "+string(rune('A'+i))).ID
	}
	slot = slot.AddDate(0, 0, 1)
	oneWins(t, race(20, func(i int) error {
		start := slot.Add(time.Duration(i) * time.Minute)
		_, err := w.svc.AddSession(ctx, managers[i], c.ID, classes.SessionInput{StartsAt: start, EndsAt: start.Add(time.Hour),
			Mode: classes.ModeInPerson, VenueID: venues[i], TeacherID: teachers[0]})
		return err
	}))
	// The same with whole recurrences: twenty plans over the same evenings.
	until := day("2026-05-31")
	oneWins(t, race(20, func(i int) error {
		_, err := w.svc.PlanSessions(ctx, managers[i], c.ID, classes.PlanInput{VenueID: venue.ID, TeacherID: teachers[i],
			Recurrence: classes.Recurrence{Weekdays: []int{3}, StartTime: "07:30", DurationMin: 120, From: day("2026-05-01"), Until: &until}})
		return err
	}))
	if n := w.ID(`SELECT count(*) FROM class_sessions WHERE starts_at >= '2026-05-01'`); n != 4 {
		t.Fatalf("%d sessions in May, want the 4 Wednesdays of one plan", n)
	}
}

// TestSessionEdits moves, switches and cancels sessions: a move onto a
// booked slot is refused naming the session in the way; a cancelled
// session frees its slot; an online session holds no venue; a cancelled
// class cancels its sessions still to come.
func TestSessionEdits(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	manager := w.signIn(kManagerA1)
	teacher := w.signIn(kTeacherA1)
	venue := w.venue(w.CentreA1, "Nhà văn hoá bản Nà Khum")
	c := w.class(w.CentreA1, w.courseA1, venue.ID, classes.StatusOpen, teacher.PersonID)
	at := time.Date(2026, 4, 6, 8, 0, 0, 0, classes.Zone)
	first := w.session(c.ID, at, venue.ID, teacher.PersonID)
	second := w.session(c.ID, at.Add(2*time.Hour), venue.ID, teacher.PersonID)
	if first.StartsAt.In(classes.Zone).Hour() != 8 || first.VenueName == "" || first.TeacherName == "" {
		t.Fatalf("first %+v", first)
	}
	_, err := w.svc.UpdateSession(ctx, manager, second.ID, classes.SessionPatch{StartsAt: ptr(at.Add(30 * time.Minute)), EndsAt: ptr(at.Add(2 * time.Hour))})
	e := domain.AsError(err)
	list, _ := e.Params["sessions"].([]map[string]any)
	if e.Key != "session_conflict" || len(list) != 1 || list[0]["id"] != first.ID || list[0]["starts_at"] != "2026-04-06T08:00:00+07:00" {
		t.Fatalf("move onto a booked slot: %v %+v", err, e.Params)
	}
	// Online, the venue is free; the teacher still is not.
	online := classes.ModeOnline
	moved, err := w.svc.UpdateSession(ctx, manager, second.ID, classes.SessionPatch{Mode: &online})
	if err != nil || moved.VenueID != 0 || moved.MeetingURL != c.MeetingURL || moved.Sequence != 1 {
		t.Fatalf("switched online: %+v %v", moved, err)
	}
	if _, err := w.svc.UpdateSession(ctx, manager, second.ID, classes.SessionPatch{StartsAt: ptr(at), EndsAt: ptr(at.Add(time.Hour))}); keyOf(err) != "session_conflict" {
		t.Fatalf("teacher booked twice: %v", err)
	}
	if _, err := w.svc.CancelSession(ctx, manager, first.ID, ""); keyOf(err) != "required" {
		t.Fatalf("cancel without a reason: %v", err)
	}
	if _, err := w.svc.CancelSession(ctx, manager, first.ID, "Giáo viên ốm"); err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.UpdateSession(ctx, manager, first.ID, classes.SessionPatch{Mode: &online}); keyOf(err) != "session_cancelled" {
		t.Fatalf("edit a cancelled session: %v", err)
	}
	again := w.session(c.ID, at, venue.ID, teacher.PersonID)
	// Bad input: each names its field.
	for name, in := range map[string]classes.SessionInput{
		"ends_before_start":     {StartsAt: at.Add(time.Hour), EndsAt: at, Mode: classes.ModeInPerson},
		"session_outside_class": {StartsAt: at.AddDate(3, 0, 0), EndsAt: at.AddDate(3, 0, 0).Add(time.Hour)},
		"teacher_not_in_class":  {StartsAt: at.AddDate(0, 0, 1), EndsAt: at.AddDate(0, 0, 1).Add(time.Hour), TeacherID: manager.PersonID},
		"session_mode_invalid":  {StartsAt: at.AddDate(0, 0, 1), EndsAt: at.AddDate(0, 0, 1).Add(time.Hour), Mode: "phone"},
		"meeting_url_invalid":   {StartsAt: at.AddDate(0, 0, 1), EndsAt: at.AddDate(0, 0, 1).Add(time.Hour), Mode: classes.ModeOnline, MeetingURL: "javascript:alert(1)"},
	} {
		if _, err := w.svc.AddSession(ctx, manager, c.ID, in); keyOf(err) != name {
			t.Errorf("%s: %v", name, err)
		}
	}
	// Cancelling the class cancels what is still to come.
	in := classes.ClassInput{Title: c.Title, Mode: c.Mode, VenueID: venue.ID, Capacity: c.Capacity, StartsOn: c.StartsOn, EndsOn: c.EndsOn,
		MeetingURL: c.MeetingURL, TeacherIDs: []int64{teacher.PersonID}, Status: classes.StatusCancelled}
	if _, err := w.svc.UpdateClass(ctx, manager, c.ID, in); keyOf(err) != "required" {
		t.Fatalf("cancel a class without a reason: %v", err)
	}
	in.CancelReason = "Không đủ học viên"
	w.svc.Now = func() time.Time { return at.AddDate(0, 0, -7) }
	if _, err := w.svc.UpdateClass(ctx, manager, c.ID, in); err != nil {
		t.Fatal(err)
	}
	s, err := w.svc.GetSession(ctx, manager, again.ID)
	if err != nil || s.Status != classes.SessionCancelled || s.CancelReason != "Không đủ học viên" {
		t.Fatalf("session of a cancelled class: %+v %v", s, err)
	}
	if _, err := w.svc.AddSession(ctx, manager, c.ID, classes.SessionInput{StartsAt: at, EndsAt: at.Add(time.Hour)}); keyOf(err) != "class_closed" {
		t.Fatalf("session in a cancelled class: %v", err)
	}
}

// TestSharedTeacher: a teacher of another centre teaches a class only with
// that centre's agreement, and then sees the class.
func TestSharedTeacher(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	managerA1, managerB1 := w.signIn(kManagerA1), w.signIn(kManagerB1)
	teacherB1 := w.signIn(kTeacherB1)
	in := classes.ClassInput{CentreID: w.CentreA1, CourseID: w.courseA1, Mode: classes.ModeOnline, Capacity: 20, StartsOn: day("2026-03-01"),
		EndsOn: day("2026-04-30"), MeetingURL: "https://meet.example.org/a", TeacherIDs: []int64{teacherB1.PersonID}}
	if _, err := w.svc.CreateClass(ctx, managerA1, in); keyOf(err) != "teacher_not_shared" {
		t.Fatalf("without an agreement: %v", err)
	}
	if _, err := w.svc.CreateShare(ctx, managerA1, teacherB1.PersonID, w.CentreB1, w.CentreA1, ""); codeOf(err) != domain.CodeNotFound {
		t.Fatalf("the borrowing centre records the agreement: %v", err)
	}
	sh, err := w.svc.CreateShare(ctx, managerB1, teacherB1.PersonID, w.CentreB1, w.CentreA1, "Công văn 15/TTHTCĐ")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.CreateShare(ctx, managerB1, teacherB1.PersonID, w.CentreB1, w.CentreA1, ""); keyOf(err) != "teacher_share_exists" {
		t.Fatalf("twice: %v", err)
	}
	if _, err := w.svc.CreateShare(ctx, managerB1, managerA1.PersonID, w.CentreB1, w.CentreA1, ""); keyOf(err) != "teacher_not_at_centre" {
		t.Fatalf("someone else's teacher: %v", err)
	}
	c, err := w.svc.CreateClass(ctx, managerA1, in)
	if err != nil || len(c.Teachers) != 1 || c.Teachers[0].HomeCentreID != w.CentreB1 {
		t.Fatalf("with the agreement: %+v %v", c, err)
	}
	if _, _, err := w.svc.GetClass(ctx, teacherB1, c.ID); err != nil {
		t.Fatalf("the shared teacher reads the class: %v", err)
	}
	// Revoked: no new class names them; the class that does keeps them.
	if err := w.svc.RevokeShare(ctx, managerB1, sh.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.CreateClass(ctx, managerA1, in); keyOf(err) != "teacher_not_shared" {
		t.Fatalf("after the revocation: %v", err)
	}
	in.Title = c.Title
	if _, err := w.svc.UpdateClass(ctx, managerA1, c.ID, in); err != nil {
		t.Fatalf("the class keeps its teacher: %v", err)
	}
	// Other refusals of a class.
	bad := in
	bad.CourseID = w.courseB1
	if _, err := w.svc.CreateClass(ctx, managerA1, bad); keyOf(err) != "class_course_not_published" {
		t.Fatalf("a course of another province: %v", err)
	}
	bad = in
	bad.TeacherIDs, bad.EndsOn = nil, day("2026-01-01")
	if _, err := w.svc.CreateClass(ctx, managerA1, bad); keyOf(err) != "ends_before_start" {
		t.Fatalf("ends before it starts: %v", err)
	}
}

// TestTwoTransactions books one venue slot from two open transactions with
// plain SQL: the second waits on the first and, once the first commits,
// fails the venue's exclusion constraint (a rolled-back first would have
// let it through).
func TestTwoTransactions(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	venue := w.venue(w.CentreA1, "Hội trường")
	c := w.class(w.CentreA1, w.courseA1, venue.ID, classes.StatusOpen)
	insert := `INSERT INTO class_sessions (class_id, starts_at, ends_at, mode, venue_id) VALUES ($1, $2, $3, 'in_person', $4)`
	at := time.Date(2026, 4, 7, 19, 0, 0, 0, classes.Zone)
	tx1, err := w.DB.SQL().BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx1.ExecContext(ctx, insert, c.ID, at, at.Add(time.Hour), venue.ID); err != nil {
		t.Fatal(err)
	}
	second := make(chan error, 1)
	go func() {
		tx2, err := w.DB.SQL().BeginTx(ctx, nil)
		if err != nil {
			second <- err
			return
		}
		defer tx2.Rollback()
		_, err = tx2.ExecContext(ctx, insert, c.ID, at.Add(30*time.Minute), at.Add(90*time.Minute), venue.ID)
		if err == nil {
			err = tx2.Commit()
		}
		second <- err
	}()
	select {
	case err := <-second:
		t.Fatalf("the second booking did not wait for the first: %v", err)
	case <-time.After(300 * time.Millisecond):
	}
	if err := tx1.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := <-second; err == nil || !strings.Contains(err.Error(), "class_sessions_venue_free") {
		t.Fatalf("second booking: %v", err)
	}
	// A cancelled session books nothing: the slot is free again.
	w.ID(`UPDATE class_sessions SET status = 'cancelled', cancel_reason = 'Mất điện' WHERE class_id = $1`, c.ID)
	if _, err := w.DB.SQL().ExecContext(ctx, insert, c.ID, at, at.Add(time.Hour), venue.ID); err != nil {
		t.Fatalf("after the cancellation: %v", err)
	}
}

// TestClassDatesKeepSessions: new dates that would leave scheduled sessions
// outside the class are refused, naming how many and the first; once the
// session is cancelled the dates move.
func TestClassDatesKeepSessions(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	manager := w.signIn(kManagerA1)
	teacher := w.signIn(kTeacherA1)
	venue := w.venue(w.CentreA1, "Nhà văn hoá bản Nà Khum")
	c := w.class(w.CentreA1, w.courseA1, venue.ID, classes.StatusOpen, teacher.PersonID)
	early := w.session(c.ID, time.Date(2026, 2, 2, 18, 30, 0, 0, classes.Zone), venue.ID, teacher.PersonID)
	w.session(c.ID, time.Date(2026, 9, 7, 18, 30, 0, 0, classes.Zone), venue.ID, teacher.PersonID)
	in := classes.ClassInput{Title: c.Title, Mode: c.Mode, VenueID: c.VenueID, Capacity: c.Capacity, StartsOn: day("2026-03-01"),
		EndsOn: c.EndsOn, MeetingURL: c.MeetingURL, TeacherIDs: []int64{teacher.PersonID}}
	_, err := w.svc.UpdateClass(ctx, manager, c.ID, in)
	e := domain.AsError(err)
	if len(e.Fields) != 1 || e.Fields[0].Field != "starts_on" || e.Fields[0].Code != "sessions_outside_dates" ||
		e.Fields[0].Params["count"] != 1 || e.Fields[0].Params["first"] != "02/02/2026 18:30" {
		t.Fatalf("a start after a session: %v %+v", err, e.Fields)
	}
	in.StartsOn, in.EndsOn = c.StartsOn, day("2026-06-30")
	if _, err := w.svc.UpdateClass(ctx, manager, c.ID, in); keyOf(err) != "sessions_outside_dates" {
		t.Fatalf("an end before a session: %v", err)
	}
	if _, err := w.svc.CancelSession(ctx, manager, early.ID, "Dời lịch"); err != nil {
		t.Fatal(err)
	}
	in.StartsOn, in.EndsOn = day("2026-03-01"), c.EndsOn
	if got, err := w.svc.UpdateClass(ctx, manager, c.ID, in); err != nil || !got.StartsOn.Equal(day("2026-03-01")) {
		t.Fatalf("with the early session cancelled: %+v %v", got, err)
	}
}
