package attendance_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"densach/domain/attendance"
	"densach/domain/classes"
	"densach/domain/courses"
	"densach/domain/enrolments"
	"densach/storage/postgres"
)

// TestOnlineStatusRule is the rule's arithmetic over a session from 19:00
// to 20:30 (90 minutes: 45 minutes in the lessons qualify).
func TestOnlineStatusRule(t *testing.T) {
	start := at19(20)
	end := start.Add(90 * time.Minute)
	tp := func(d time.Duration) *time.Time { x := start.Add(d); return &x }
	base := func(first time.Duration, secs int) attendance.Presence {
		return attendance.Presence{FirstAt: start.Add(first), LastAt: start.Add(first), Seconds: secs, StartsAt: start, EndsAt: end, Online: true}
	}
	if got := attendance.OnlineNeeds(90 * time.Minute); got != 2700 {
		t.Fatalf("needs %d s for 90 min, want 2700", got)
	}
	cases := []struct {
		name string
		p    attendance.Presence
		want attendance.Status // "": no mark
	}{
		{"enough time from before the start", base(-10*time.Minute, 2700), attendance.Present},
		{"one second short", base(-10*time.Minute, 2699), ""},
		{"enough time, first seen 15 min after the start", base(15*time.Minute, 2700), attendance.Present},
		{"enough time, first seen 16 min after the start", base(16*time.Minute, 2700), attendance.Late},
		{"first seen before the window", base(-16*time.Minute, 5000), ""},
		{"first seen after the end", base(91*time.Minute, 5000), ""},
		{"joined the meeting at the start", func() attendance.Presence { p := base(0, 0); p.JoinedAt = tp(0); return p }(), attendance.Present},
		{"joined the meeting late", func() attendance.Presence { p := base(20*time.Minute, 0); p.JoinedAt = tp(20 * time.Minute); return p }(), attendance.Late},
		{"completed a lesson in the window", func() attendance.Presence {
			p := base(5*time.Minute, 60)
			p.CompletedAt = tp(30 * time.Minute)
			return p
		}(), attendance.Present},
		{"completed a lesson after the end", func() attendance.Presence {
			p := base(5*time.Minute, 60)
			p.CompletedAt = tp(95 * time.Minute)
			return p
		}(), ""},
		{"cancelled session", func() attendance.Presence { p := base(0, 5000); p.JoinedAt = tp(0); p.Cancelled = true; return p }(), ""},
		{"in-person session", func() attendance.Presence { p := base(0, 5000); p.Online = false; return p }(), ""},
		{"nothing", attendance.Presence{StartsAt: start, EndsAt: end, Online: true}, ""},
	}
	for _, c := range cases {
		st, ok := attendance.OnlineStatus(c.p)
		if ok != (c.want != "") || st != c.want {
			t.Errorf("%s: %q %v, want %q", c.name, st, ok, c.want)
		}
	}
}

// onlineSession adds an online session to the class at 19:00 to 20:30 on a
// day of March.
func (w *world) onlineSession(c *class, day int) classes.Session {
	w.T.Helper()
	s, err := w.classes.AddSession(context.Background(), w.admin, c.ID, classes.SessionInput{StartsAt: at19(day), EndsAt: at19(day).Add(90 * time.Minute),
		Mode: classes.ModeOnline, MeetingURL: "https://meet.jit.si/densach-lop"})
	if err != nil {
		w.T.Fatal(err)
	}
	return s
}

// TestOnlineMarks: progress batches and joins during an online session
// (through the progress use case and the join action) derive marks by the
// rule; manual and check-in marks are never changed; a teacher's mark
// replaces an online one; cancelled sessions and withdrawn learners get
// nothing; the periodic derivation is idempotent.
func TestOnlineMarks(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	names := []string{"Lò Văn An", "Lò Văn Bình", "Lò Văn Cường", "Lò Văn Dũng", "Lò Văn Em", "Lò Văn Giang", "Lò Văn Hà", "Lò Văn Khánh", "Lò Văn Long", "Lò Văn Minh"}
	c := w.class(w.CentreA1, nil, names...)
	// A blended class: its sessions may be online.
	if _, err := w.DB.SQL().Exec(`UPDATE classes SET mode = 'blended' WHERE id = $1`, c.ID); err != nil {
		t.Fatal(err)
	}
	a, b, cc, d, e, f, g, h, k, m := c.learners[0], c.learners[1], c.learners[2], c.learners[3], c.learners[4], c.learners[5], c.learners[6], c.learners[7], c.learners[8], c.learners[9]
	s := w.onlineSession(c, 20)
	cancelled := w.onlineSession(c, 21)
	if _, err := w.classes.CancelSession(ctx, w.admin, cancelled.ID, "Giáo viên ốm"); err != nil {
		t.Fatal(err)
	}
	clk := &clock{}
	svc := &attendance.Service{Store: postgres.NewAttendance(w.DB), Classes: postgres.NewClasses(w.DB), Checkins: postgres.NewCheckins(w.DB),
		Online: postgres.NewOnline(w.DB), Now: clk.now}
	enrol := &enrolments.Service{Store: postgres.NewEnrolments(w.DB), Courses: &courses.Service{Store: postgres.NewCourses(w.DB)}, Now: clk.now,
		Online: attendance.OnlineRecorder{Service: svc}}
	lesson := w.ID(`SELECT id FROM lessons WHERE version_id = $1 ORDER BY position LIMIT 1`, c.VersionID)
	enrolmentOf := func(person int64) int64 {
		return w.ID(`SELECT id FROM enrolments WHERE person_id = $1 AND class_id = $2`, person, c.ID)
	}
	// progress sends one heartbeat per minute from..to (inclusive) as the
	// person, on the clock.
	progress := func(person int64, from, to time.Time, kind enrolments.EventKind) {
		t.Helper()
		for x := from; !x.After(to); x = x.Add(time.Minute) {
			clk.set(x)
			if _, err := enrol.Record(ctx, w.as(person), enrolmentOf(person), []enrolments.Event{{LessonID: lesson, At: x, Kind: kind, TimeSpentS: float64(x.Sub(from) / time.Second)}}); err != nil {
				t.Fatalf("record %d at %v: %v", person, x, err)
			}
		}
	}
	mark := func(person int64) *attendance.Mark {
		t.Helper()
		ms, err := w.svc.Store.Marks(ctx, c.ID, s.ID, person)
		if err != nil {
			t.Fatal(err)
		}
		if len(ms) == 0 {
			return nil
		}
		return &ms[0]
	}
	start := at19(20)

	// The teacher marks F absent and G checks in (as the check-in writes)
	// before anything online happens.
	clk.set(start.Add(-20 * time.Minute))
	if _, err := svc.MarkSession(ctx, c.teacher, s.ID, attendance.BatchInput{Marks: []attendance.MarkInput{{PersonID: f, Status: attendance.Absent}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Store.ApplyBatch(ctx, attendance.BatchRequest{SessionID: s.ID, Rows: []attendance.MarkInput{{PersonID: g, Status: attendance.Late}},
		Authority: attendance.Authority{All: true, PersonID: g}, Until: s.EndsAt, Source: attendance.SourceCheckin}); err != nil {
		t.Fatal(err)
	}

	// A: in the lessons from 18:50 to 19:40 (50 minutes) → present, as soon
	// as 45 minutes are reached.
	progress(a, start.Add(-10*time.Minute), start.Add(34*time.Minute), enrolments.EventHeartbeat)
	if got := mark(a); got != nil {
		t.Fatalf("A marked after 44 minutes: %+v", got)
	}
	progress(a, start.Add(35*time.Minute), start.Add(40*time.Minute), enrolments.EventHeartbeat)
	if got := mark(a); got == nil || got.Status != attendance.Present || got.Source != attendance.SourceOnline || got.MarkedBy != 0 {
		t.Fatalf("A: %+v, want present from online by the system", got)
	}
	// B: from 19:20 to 20:10 → late.
	progress(b, start.Add(20*time.Minute), start.Add(70*time.Minute), enrolments.EventHeartbeat)
	if got := mark(b); got == nil || got.Status != attendance.Late || got.Source != attendance.SourceOnline {
		t.Fatalf("B: %+v, want late from online", got)
	}
	// C: 19:00 to 19:30 only → too little time, no mark.
	progress(cc, start, start.Add(30*time.Minute), enrolments.EventHeartbeat)
	// D: in the lessons and completes one before the window (18:00 to
	// 18:40) → nothing.
	progress(d, start.Add(-60*time.Minute), start.Add(-20*time.Minute), enrolments.EventHeartbeat)
	progress(d, start.Add(-20*time.Minute), start.Add(-20*time.Minute), enrolments.EventComplete)
	// E: opens at 19:05 and completes the lesson at 19:10 → present.
	progress(e, start.Add(5*time.Minute), start.Add(9*time.Minute), enrolments.EventHeartbeat)
	progress(e, start.Add(10*time.Minute), start.Add(10*time.Minute), enrolments.EventComplete)
	// F (marked absent by the teacher) and G (checked in) are in the
	// lessons the whole session and join: their marks stay.
	progress(f, start, start.Add(80*time.Minute), enrolments.EventHeartbeat)
	progress(g, start, start.Add(80*time.Minute), enrolments.EventHeartbeat)
	clk.set(start.Add(2 * time.Minute))
	jf, err := svc.JoinOnline(ctx, w.as(f), s.ID)
	if err != nil || jf.Mark == nil || jf.Mark.Source != attendance.SourceManual || jf.Mark.Status != attendance.Absent || jf.MeetingURL != "https://meet.jit.si/densach-lop" {
		t.Fatalf("F joins: %+v %v", jf, err)
	}
	// H joins at 19:20 → late; joining again changes nothing.
	clk.set(start.Add(20 * time.Minute))
	jh, err := svc.JoinOnline(ctx, w.as(h), s.ID)
	if err != nil || jh.Mark == nil || jh.Mark.Status != attendance.Late || jh.Mark.Source != attendance.SourceOnline {
		t.Fatalf("H joins: %+v %v", jh, err)
	}
	clk.set(start.Add(21 * time.Minute))
	if jh2, err := svc.JoinOnline(ctx, w.as(h), s.ID); err != nil || jh2.Mark == nil || jh2.Mark.Version != 1 {
		t.Fatalf("H joins again: %+v %v", jh2, err)
	}
	// K is withdrawn: refused, nothing recorded, whatever the presence.
	if _, err := w.DB.SQL().Exec(`UPDATE enrolments SET status = 'withdrawn', withdrawn_at = now() WHERE id = $1`, enrolmentOf(k)); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.JoinOnline(ctx, w.as(k), s.ID); keyOf(err) != "session_not_found" {
		t.Fatalf("withdrawn K joins: %v", err)
	}
	if ps, err := svc.Online.Seen(ctx, enrolmentOf(k), start.Add(30*time.Minute), true, time.Minute); err != nil || len(ps) != 0 {
		t.Fatalf("withdrawn K seen: %v %v", ps, err)
	}
	// The cancelled session: M is in the lessons during it and tries to
	// join → nothing.
	clk.set(at19(21))
	if _, err := svc.JoinOnline(ctx, w.as(m), cancelled.ID); keyOf(err) != "session_cancelled" {
		t.Fatalf("join a cancelled session: %v", err)
	}
	progress(m, at19(21), at19(21).Add(80*time.Minute), enrolments.EventHeartbeat)
	if n := w.count(`SELECT count(*) FROM online_presence WHERE session_id = $1`, cancelled.ID); n != 0 {
		t.Fatalf("%d presence rows for a cancelled session", n)
	}
	// Outside the window: refused with when it opens, or as closed.
	clk.set(start.Add(-16 * time.Minute))
	if _, err := svc.JoinOnline(ctx, w.as(cc), s.ID); keyOf(err) != "online_join_not_open" {
		t.Fatalf("join early: %v", err)
	}
	clk.set(start.Add(91 * time.Minute))
	if _, err := svc.JoinOnline(ctx, w.as(cc), s.ID); keyOf(err) != "online_join_closed" {
		t.Fatalf("join after the end: %v", err)
	}

	want := map[int64]string{a: "present/online", b: "late/online", cc: "", d: "", e: "present/online", f: "absent/manual", g: "late/checkin", h: "late/online", k: "", m: ""}
	check := func(when string) {
		t.Helper()
		for person, ws := range want {
			got := ""
			if mk := mark(person); mk != nil {
				got = fmt.Sprintf("%s/%s", mk.Status, mk.Source)
			}
			if got != ws {
				t.Errorf("%s: person %d: %q, want %q", when, person, got, ws)
			}
		}
	}
	check("at event time")
	events := w.count(`SELECT count(*) FROM attendance_events WHERE session_id = $1`, s.ID)

	// The periodic job finds nothing left to derive, twice.
	clk.set(start.Add(3 * time.Hour))
	for i := range 2 {
		if n, err := svc.DeriveOnlinePending(ctx); err != nil || n != 0 {
			t.Fatalf("run %d: %d marks, %v", i, n, err)
		}
	}
	// A presence whose derivation did not happen at event time (recorded
	// here straight through the store): the job derives it once.
	l := w.enrol(c.Class, w.person("Lò Thị Nga", w.CommA1))
	clk.set(start.Add(30 * time.Minute))
	if _, err := svc.Online.Join(ctx, s.ID, enrolmentOf(l), clk.now()); err != nil {
		t.Fatal(err)
	}
	clk.set(start.Add(3 * time.Hour))
	for i, wantN := range []int64{1, 0} {
		if n, err := svc.DeriveOnlinePending(ctx); err != nil || n != wantN {
			t.Fatalf("run %d: %d marks, %v; want %d", i, n, err, wantN)
		}
	}
	want[l] = "late/online"
	check("after the job")
	if n := w.count(`SELECT count(*) FROM attendance_events WHERE session_id = $1`, s.ID); n != events+1 {
		t.Fatalf("%d history rows, want %d", n, events+1)
	}

	// The teacher's mark replaces an online one (with the version seen).
	clk.set(start.Add(100 * time.Minute))
	ma := mark(a)
	if _, err := svc.MarkSession(ctx, c.teacher, s.ID, attendance.BatchInput{Marks: []attendance.MarkInput{{PersonID: a, Status: attendance.Excused, Version: ma.Version}}}); err != nil {
		t.Fatal(err)
	}
	if got := mark(a); got.Source != attendance.SourceManual || got.Status != attendance.Excused {
		t.Fatalf("A after the teacher: %+v", got)
	}
	// …and more online time never brings it back (nothing to derive).
	if n, err := svc.DeriveOnlinePending(ctx); err != nil || n != 0 {
		t.Fatalf("after the teacher: %d %v", n, err)
	}
}
