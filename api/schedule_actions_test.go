package api

import (
	"context"
	"net/url"
	"testing"
	"time"

	"densach/domain/attendance"
	"densach/domain/classes"
)

// TestScheduleWindows: GET /me/sessions carries, for each session, the
// windows of its self check-in and of its online join exactly as the
// attendance domain computes them (SessionCheckinWindow, SessionJoinWindow):
// an in-person session has a check-in window and no join window, an online
// one both, a cancelled one neither; the learner and the teacher read the
// same windows.
func TestScheduleWindows(t *testing.T) {
	e := newTestEnv(t)
	w := e.w
	ctx := context.Background()
	c := newAttendanceClass(t, e, w.CentreA1, w.TeacherA1.PersonID, []int{10})
	e.exec(`INSERT INTO enrolments (person_id, course_id, version_id, class_id, status, source, enrolled_by)
		VALUES ($1, $2, $3, $4, 'active', 'self', $1)`, w.LearnerA1.PersonID, c.class.CourseID, c.class.VersionID, c.class.ID)
	e.exec(`UPDATE classes SET mode = 'blended' WHERE id = $1 RETURNING id`, c.class.ID)
	addOnline := func(day int) classes.Session {
		t.Helper()
		at := time.Date(2026, 11, day, 19, 0, 0, 0, classes.Zone)
		s, err := e.srv.Classes.AddSession(ctx, w.Admin, c.class.ID, classes.SessionInput{StartsAt: at, EndsAt: at.Add(90 * time.Minute),
			Mode: classes.ModeOnline, MeetingURL: "https://meet.jit.si/densach-lop"})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	onlineID, cancelledID := addOnline(11).ID, addOnline(12).ID
	if _, err := e.srv.Classes.CancelSession(ctx, w.Admin, cancelledID, "Giáo viên ốm"); err != nil {
		t.Fatal(err)
	}
	// Teacher A1 teaches the three sessions; the expected windows are the
	// domain's over each session as stored (times, mode, status).
	e.exec(`UPDATE class_sessions SET teacher_id = $1 WHERE class_id = $2 RETURNING id`, w.TeacherA1.PersonID, c.class.ID)
	want := map[int64]classes.Session{}
	for _, id := range []int64{c.session, onlineID, cancelledID} {
		ss, err := e.srv.Classes.GetSession(ctx, w.Admin, id)
		if err != nil {
			t.Fatal(err)
		}
		want[id] = ss
	}
	inPerson, online, cancelled := want[c.session], want[onlineID], want[cancelledID]
	if inPerson.Mode != classes.ModeInPerson || online.Mode != classes.ModeOnline || cancelled.Status != classes.SessionCancelled {
		t.Fatalf("sessions: %+v", want)
	}

	// edges is what the answer should carry for a window: its edges, or
	// null twice.
	edges := func(win attendance.Window, ok bool) [2]any {
		if !ok {
			return [2]any{nil, nil}
		}
		return [2]any{win.Opens, win.Closes}
	}
	// read reads an answer's edge as an instant (nil stays nil).
	read := func(v any) any {
		if v == nil {
			return nil
		}
		at, err := time.Parse(time.RFC3339, v.(string))
		if err != nil {
			t.Fatalf("edge %v: %v", v, err)
		}
		return at
	}
	same := func(a, b [2]any) bool {
		for i := range a {
			x, xok := a[i].(time.Time)
			y, yok := b[i].(time.Time)
			if xok != yok || (xok && !x.Equal(y)) || (!xok && (a[i] != nil || b[i] != nil)) {
				return false
			}
		}
		return true
	}
	q := url.Values{"from": {"2026-11-01T00:00:00+07:00"}, "to": {"2026-12-01T00:00:00+07:00"}}.Encode()
	for _, who := range []struct {
		name string
		tok  string
		role string
	}{{"learner", e.token(w.LearnerA1), "learner"}, {"teacher", e.token(w.TeacherA1), "teacher"}} {
		status, out := e.call("GET", "/api/v1/me/sessions?"+q, who.tok, nil)
		items, _ := out["items"].([]any)
		if status != 200 || len(items) != len(want) {
			t.Fatalf("%s: %d %v", who.name, status, out)
		}
		checkSchema(t, "MySessionList", out)
		for _, it := range items {
			it := it.(map[string]any)
			ss, ok := want[int64(it["id"].(float64))]
			if !ok || it["role"] != who.role {
				t.Fatalf("%s: unexpected item %v", who.name, it)
			}
			checkin := [2]any{read(it["checkin_opens_at"]), read(it["checkin_closes_at"])}
			join := [2]any{read(it["join_opens_at"]), read(it["join_closes_at"])}
			if wc := edges(attendance.SessionCheckinWindow(ss)); !same(checkin, wc) {
				t.Errorf("%s: session %d (%s, %s): check-in window %v, the domain's %v", who.name, ss.ID, ss.Mode, ss.Status, checkin, wc)
			}
			wj := edges(attendance.SessionJoinWindow(ss))
			if who.role != "learner" {
				wj = [2]any{nil, nil} // only a learner joins: a teacher's schedule offers no join
			}
			if !same(join, wj) {
				t.Errorf("%s: session %d (%s, %s): join window %v, the domain's %v", who.name, ss.ID, ss.Mode, ss.Status, join, wj)
			}
		}
	}
	// What the domain's windows are for these three sessions (the rule, so
	// that the comparison above compares something).
	if _, ok := attendance.SessionJoinWindow(inPerson); ok {
		t.Error("a join window for an in-person session")
	}
	if win, ok := attendance.SessionJoinWindow(online); !ok || !win.Opens.Equal(online.StartsAt.Add(-15*time.Minute)) || !win.Closes.Equal(online.EndsAt) {
		t.Errorf("online session's join window %+v %v", win, ok)
	}
	if _, ok := attendance.SessionCheckinWindow(cancelled); ok {
		t.Error("a check-in window for a cancelled session")
	}
}
