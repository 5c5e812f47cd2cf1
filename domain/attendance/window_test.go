package attendance_test

import (
	"context"
	"testing"
	"time"

	"densach/domain/attendance"
	"densach/domain/classes"
	"densach/storage/postgres"
)

// TestSessionWindows: the windows the schedule carries are the rule's —
// from 15 minutes before the start until the end; the self check-in for
// any session that is not cancelled, the join for an online one only.
func TestSessionWindows(t *testing.T) {
	start := at19(20)
	end := start.Add(90 * time.Minute)
	in := classes.Session{StartsAt: start, EndsAt: end, Mode: classes.ModeInPerson, Status: classes.SessionScheduled}
	online := in
	online.Mode = classes.ModeOnline
	cancelled := online
	cancelled.Status = classes.SessionCancelled
	want := attendance.Window{Opens: start.Add(-15 * time.Minute), Closes: end}
	for _, c := range []struct {
		name              string
		ss                classes.Session
		checkin, joinable bool
	}{{"in person", in, true, false}, {"online", online, true, true}, {"cancelled", cancelled, false, false}} {
		w, ok := attendance.SessionCheckinWindow(c.ss)
		if ok != c.checkin || (ok && w != want) || (!ok && w != attendance.Window{}) {
			t.Errorf("%s: check-in window %+v %v", c.name, w, ok)
		}
		w, ok = attendance.SessionJoinWindow(c.ss)
		if ok != c.joinable || (ok && w != want) || (!ok && w != attendance.Window{}) {
			t.Errorf("%s: join window %+v %v", c.name, w, ok)
		}
	}
	for d, holds := range map[time.Duration]bool{-time.Nanosecond: false, 0: true, 105 * time.Minute: true, 105*time.Minute + time.Nanosecond: false} {
		if got := want.Holds(want.Opens.Add(d)); got != holds {
			t.Errorf("Holds(opens%+v) = %v", d, got)
		}
	}
}

// TestUseCasesFollowWindows: the check-in and the join take an action
// exactly inside the windows the schedule shows (SessionCheckinWindow,
// SessionJoinWindow): refused a second before the opening and a second
// after the close, taken at both edges; the online presence store counts
// progress in the same window. A use case that read its own
// constants apart from the windows fails here when one of them moves.
func TestUseCasesFollowWindows(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	c := w.class(w.CentreA1, []int{20}, "Lò Thị Ánh", "Đỗ Văn Bình", "Nguyễn Thị Cúc", "Hà Văn Dũng")
	if _, err := w.DB.SQL().Exec(`UPDATE classes SET mode = 'blended' WHERE id = $1`, c.ID); err != nil {
		t.Fatal(err)
	}
	clk := &clock{}
	svc := w.checkinSvc(clk)
	svc.Online = postgres.NewOnline(w.DB)

	// Self check-in, in person.
	win, ok := attendance.SessionCheckinWindow(c.sessions[0])
	if !ok {
		t.Fatal("no check-in window for a scheduled session")
	}
	s := c.sessions[0].ID
	clk.set(win.Opens.Add(-time.Second))
	if _, err := svc.SessionCheckinCode(ctx, c.teacher, s); keyOf(err) != "checkin_not_open" {
		t.Fatalf("code a second before the window: %v", err)
	}
	clk.set(win.Opens)
	cc, err := svc.SessionCheckinCode(ctx, c.teacher, s)
	if err != nil || !cc.OpensAt.Equal(win.Opens) || !cc.ClosesAt.Equal(win.Closes) {
		t.Fatalf("code at the opening: %+v %v", cc, err)
	}
	if _, err := svc.CheckIn(ctx, w.as(c.learners[0]), cc.Code); err != nil {
		t.Fatalf("check-in at the opening: %v", err)
	}
	clk.set(win.Closes)
	last, err := svc.SessionCheckinCode(ctx, c.teacher, s)
	if err != nil {
		t.Fatalf("code at the close: %v", err)
	}
	if _, err := svc.CheckIn(ctx, w.as(c.learners[1]), last.Code); err != nil {
		t.Fatalf("check-in at the close: %v", err)
	}
	clk.set(win.Closes.Add(time.Second))
	if _, err := svc.SessionCheckinCode(ctx, c.teacher, s); keyOf(err) != "checkin_closed" {
		t.Fatalf("code a second after the window: %v", err)
	}
	if _, err := svc.CheckIn(ctx, w.as(c.learners[2]), last.Code); keyOf(err) != "checkin_closed" {
		t.Fatalf("check-in a second after the window: %v", err)
	}
	// No join for an in-person session.
	if _, ok := attendance.SessionJoinWindow(c.sessions[0]); ok {
		t.Fatal("a join window for an in-person session")
	}
	if _, err := svc.JoinOnline(ctx, w.as(c.learners[3]), s); keyOf(err) != "online_session_not_online" {
		t.Fatalf("join an in-person session: %v", err)
	}

	// The online join.
	on := w.onlineSession(c, 21)
	jw, ok := attendance.SessionJoinWindow(on)
	if !ok {
		t.Fatal("no join window for an online session")
	}
	join := func(learner int, at time.Time) string {
		t.Helper()
		clk.set(at)
		_, err := svc.JoinOnline(ctx, w.as(c.learners[learner]), on.ID)
		return keyOf(err)
	}
	if k := join(0, jw.Opens.Add(-time.Second)); k != "online_join_not_open" {
		t.Fatalf("join a second before the window: %q", k)
	}
	if k := join(0, jw.Opens); k != "" {
		t.Fatalf("join at the opening: %q", k)
	}
	if k := join(1, jw.Closes); k != "" {
		t.Fatalf("join at the close: %q", k)
	}
	if k := join(2, jw.Closes.Add(time.Second)); k != "online_join_closed" {
		t.Fatalf("join a second after the window: %q", k)
	}

	// The learner's progress counts for the session from the same opening
	// (the store's statement picks the sessions whose window holds).
	enrolment := w.ID(`SELECT id FROM enrolments WHERE person_id = $1 AND class_id = $2`, c.learners[3], c.ID)
	if ps, err := svc.Online.Seen(ctx, enrolment, jw.Opens.Add(-time.Second), false, attendance.OnlineGap); err != nil || len(ps) != 0 {
		t.Fatalf("progress a second before the window: %+v %v", ps, err)
	}
	if ps, err := svc.Online.Seen(ctx, enrolment, jw.Opens, false, attendance.OnlineGap); err != nil || len(ps) != 1 || ps[0].SessionID != on.ID {
		t.Fatalf("progress at the opening: %+v %v", ps, err)
	}
	if ps, err := svc.Online.Seen(ctx, enrolment, jw.Closes.Add(time.Second), false, attendance.OnlineGap); err != nil || len(ps) != 0 {
		t.Fatalf("progress a second after the window: %+v %v", ps, err)
	}

	// A cancelled session has neither window and takes neither action.
	gone, err := w.classes.CancelSession(ctx, w.admin, on.ID, "Giáo viên ốm")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := attendance.SessionCheckinWindow(gone); ok {
		t.Fatal("a check-in window for a cancelled session")
	}
	if _, ok := attendance.SessionJoinWindow(gone); ok {
		t.Fatal("a join window for a cancelled session")
	}
	if k := join(3, jw.Opens); k != "session_cancelled" {
		t.Fatalf("join a cancelled session: %q", k)
	}
	clk.set(jw.Opens)
	if _, err := svc.SessionCheckinCode(ctx, c.teacher, on.ID); keyOf(err) != "session_cancelled" {
		t.Fatalf("code of a cancelled session: %v", err)
	}
}
