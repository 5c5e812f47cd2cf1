package attendance_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"densach/domain"
	"densach/domain/attendance"
	"densach/domain/classes"
	"densach/storage/postgres"

	_ "github.com/jackc/pgx/v5/stdlib"
)

// snapshot is what the database holds of attendance: marks (session,
// person, status, note, version) and the number of history rows.
func (w *world) snapshot() string {
	w.T.Helper()
	rows, err := w.DB.SQL().Query(`SELECT session_id, person_id, status, note, version, source, device FROM attendance_marks ORDER BY 1, 2`)
	if err != nil {
		w.T.Fatal(err)
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var s, p, v int64
		var st, note, src, dev string
		if err := rows.Scan(&s, &p, &st, &note, &v, &src, &dev); err != nil {
			w.T.Fatal(err)
		}
		fmt.Fprintf(&b, "%d/%d %s %q v%d %s %s\n", s, p, st, note, v, src, dev)
	}
	fmt.Fprintf(&b, "events %d\n", w.count(`SELECT count(*) FROM attendance_events`))
	return b.String()
}

// TestMarkSession: a whole session in one request, every change in the
// history with who, when, from what and the device; a row equal to the
// current mark changes nothing.
func TestMarkSession(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	c := w.class(w.CentreA1, []int{19, 20, 23}, "Lò Thị Ánh", "Đỗ Văn Bình", "Nguyễn Thị Cúc")
	s := c.sessions[1].ID // today, 19:00: markable before it starts
	res, err := w.svc.MarkSession(ctx, c.teacher, s, attendance.BatchInput{Device: "Điện thoại A", Marks: marks(c.learners, attendance.Present)})
	if err != nil {
		t.Fatal(err)
	}
	if res.Changed != 3 || len(res.Marks) != 3 || res.Marks[0].Version != 1 || res.Marks[0].Source != attendance.SourceManual ||
		res.Marks[0].MarkedBy != c.teacher.PersonID || res.Marks[0].Device != "Điện thoại A" {
		t.Fatalf("first batch: %+v", res)
	}
	// "All present, then the exceptions": Bình late with a note.
	res, err = w.svc.MarkSession(ctx, c.teacher, s, attendance.BatchInput{Device: "Điện thoại A", Marks: []attendance.MarkInput{
		{PersonID: c.learners[0], Status: attendance.Present, Version: 1},
		{PersonID: c.learners[1], Status: attendance.Late, Note: "  Đến   muộn 10 phút ", Version: 1},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Changed != 1 || res.Marks[1].Version != 2 || res.Marks[1].Note != "Đến muộn 10 phút" || res.Marks[0].Version != 1 {
		t.Fatalf("exceptions: %+v", res)
	}
	h, err := w.svc.SessionHistory(ctx, w.admin, s, c.learners[1])
	if err != nil {
		t.Fatal(err)
	}
	if len(h) != 2 || h[0].FromStatus != "" || h[0].ToStatus != attendance.Present || h[1].FromStatus != attendance.Present ||
		h[1].ToStatus != attendance.Late || h[1].ToNote != "Đến muộn 10 phút" || h[1].ByID != c.teacher.PersonID || h[1].Device != "Điện thoại A" ||
		h[1].Version != 2 || h[1].At.IsZero() {
		t.Fatalf("history: %+v", h)
	}
	r, err := w.svc.SessionRoster(ctx, c.teacher, s)
	if err != nil {
		t.Fatal(err)
	}
	if !r.Editable || len(r.Entries) != 3 || r.Entries[1].Mark == nil || r.Entries[1].Mark.Status != attendance.Late || r.Entries[1].Mark.MarkedByName == "" {
		t.Fatalf("roster: %+v", r)
	}
	// The past session may be corrected by the centre's manager.
	mgr := w.signIn(kManagerA1)
	if _, err := w.svc.MarkSession(ctx, mgr, c.sessions[0].ID, attendance.BatchInput{Marks: marks(c.learners[:1], attendance.Absent)}); err != nil {
		t.Fatal(err)
	}
}

// TestBatchRefusedWhole: one bad row refuses the whole batch, names the
// row, and nothing is stored; so do a cancelled session, a session after
// today, an unknown status.
func TestBatchRefusedWhole(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	c := w.class(w.CentreA1, []int{18, 19, 20, 21}, "Lò Thị Ánh", "Đỗ Văn Bình", "Nguyễn Thị Cúc")
	other := w.class(w.CentreA1, []int{17}, "Hà Văn Dũng")
	if _, err := w.classes.CancelSession(ctx, w.admin, c.sessions[1].ID, "Mưa lũ"); err != nil {
		t.Fatal(err)
	}
	// A first batch stands, so "nothing applied" means nothing changed.
	if _, err := w.svc.MarkSession(ctx, c.teacher, c.sessions[0].ID, attendance.BatchInput{Marks: marks(c.learners, attendance.Present)}); err != nil {
		t.Fatal(err)
	}
	before := w.snapshot()
	bad := func(mutate func([]attendance.MarkInput) []attendance.MarkInput) []attendance.MarkInput {
		in := []attendance.MarkInput{
			{PersonID: c.learners[0], Status: attendance.Absent, Version: 1},
			{PersonID: c.learners[1], Status: attendance.Late, Version: 1},
			{PersonID: c.learners[2], Status: attendance.Excused, Version: 1},
		}
		return mutate(in)
	}
	for _, x := range []struct {
		name    string
		session int64
		rows    []attendance.MarkInput
		code    domain.Code
		key     string
		field   string
	}{
		{"learner of another class", c.sessions[0].ID, bad(func(in []attendance.MarkInput) []attendance.MarkInput {
			in[1].PersonID = other.learners[0]
			return in
		}), domain.CodeInvalid, "attendance_not_enrolled", "marks[1].person_id"},
		{"unknown person", c.sessions[0].ID, bad(func(in []attendance.MarkInput) []attendance.MarkInput {
			in[2].PersonID = 987654
			return in
		}), domain.CodeInvalid, "attendance_not_enrolled", "marks[2].person_id"},
		{"withdrawn learner", c.sessions[0].ID, bad(func(in []attendance.MarkInput) []attendance.MarkInput {
			p := w.enrol(c.Class, w.person("Vàng Thị Én", w.CommA1))
			w.ID(`UPDATE enrolments SET status = 'withdrawn', withdrawn_at = now() WHERE person_id = $1`, p)
			return append(in, attendance.MarkInput{PersonID: p, Status: attendance.Present})
		}), domain.CodeInvalid, "attendance_not_enrolled", "marks[3].person_id"},
		{"unknown status", c.sessions[0].ID, bad(func(in []attendance.MarkInput) []attendance.MarkInput {
			in[1].Status = "sick"
			return in
		}), domain.CodeInvalid, "attendance_status_invalid", "marks[1].status"},
		{"same learner twice", c.sessions[0].ID, bad(func(in []attendance.MarkInput) []attendance.MarkInput {
			return append(in, attendance.MarkInput{PersonID: c.learners[0], Status: attendance.Present, Version: 1})
		}), domain.CodeInvalid, "attendance_duplicate", "marks[3].person_id"},
		{"note too long", c.sessions[0].ID, bad(func(in []attendance.MarkInput) []attendance.MarkInput {
			in[0].Note = strings.Repeat("ă", 501)
			return in
		}), domain.CodeInvalid, "text_too_long", "marks[0].note"},
		{"empty batch", c.sessions[0].ID, nil, domain.CodeInvalid, "required", "marks"},
		{"cancelled session", c.sessions[1].ID, marks(c.learners, attendance.Present), domain.CodeConflict, "session_cancelled", ""},
		{"tomorrow's session", c.sessions[3].ID, marks(c.learners, attendance.Present), domain.CodeConflict, "attendance_session_future", ""},
		{"unknown session", 987654, marks(c.learners, attendance.Present), domain.CodeNotFound, "session_not_found", ""},
	} {
		_, err := w.svc.MarkSession(ctx, c.teacher, x.session, attendance.BatchInput{Marks: x.rows})
		e := domain.AsError(err)
		if codeOf(err) != x.code || keyOf(err) != x.key || (x.field != "" && (len(e.Fields) != 1 || e.Fields[0].Field != x.field)) {
			t.Errorf("%s: %v %+v, want %s %s %s", x.name, err, e.Fields, x.code, x.key, x.field)
		}
		if after := w.snapshot(); after != before {
			t.Errorf("%s changed the marks:\n%s\nwas\n%s", x.name, after, before)
		}
	}
}

// TestMarkAuthority: the class's or session's teacher and the centre's
// manager mark; a teacher of another class of the same centre is refused
// (403), one of another centre does not see the session (404), and nothing
// is stored.
func TestMarkAuthority(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	c := w.class(w.CentreA1, []int{19}, "Lò Thị Ánh")
	b := w.class(w.CentreB1, []int{19}, "Hà Văn Dũng")
	otherA1 := w.class(w.CentreA1, []int{18}, "Vàng Thị Én")
	// A session taught by a substitute who is not a teacher of the class.
	sub := w.signIn(kTeacherA1)
	at := time.Date(2026, 3, 20, 7, 0, 0, 0, classes.Zone)
	ss, err := w.classes.AddSession(ctx, w.admin, c.ID, classes.SessionInput{StartsAt: at, EndsAt: at.Add(time.Hour), Mode: classes.ModeInPerson, VenueID: c.venue})
	if err != nil {
		t.Fatal(err)
	}
	w.ID(`UPDATE class_sessions SET teacher_id = $1 WHERE id = $2`, sub.PersonID, ss.ID)
	in := attendance.BatchInput{Marks: marks(c.learners, attendance.Present)}
	for _, x := range []struct {
		name    string
		p       domain.Principal
		session int64
		want    domain.Code
	}{
		{"teacher of another class of the centre", otherA1.teacher, c.sessions[0].ID, domain.CodeForbidden},
		{"teacher of another centre", b.teacher, c.sessions[0].ID, domain.CodeNotFound},
		{"manager of another centre", w.signIn(kManagerB1), c.sessions[0].ID, domain.CodeNotFound},
		{"officer of the province", w.signIn(kOfficerA), c.sessions[0].ID, domain.CodeForbidden},
		{"officer of another province", w.signIn(kOfficerB), c.sessions[0].ID, domain.CodeNotFound},
		{"learner of the class", w.SignIn(c.learners[0]), c.sessions[0].ID, domain.CodeNotFound},
		{"substitute, another session of the class", sub, c.sessions[0].ID, domain.CodeForbidden},
		{"substitute, own session", sub, ss.ID, ""},
		{"class teacher", c.teacher, c.sessions[0].ID, ""},
		{"manager of the centre", w.signIn(kManagerA1), c.sessions[0].ID, ""},
		{"administrator", w.admin, c.sessions[0].ID, ""},
	} {
		before := w.snapshot()
		_, err := w.svc.MarkSession(ctx, x.p, x.session, in)
		if codeOf(err) != x.want {
			t.Errorf("%s: %v, want %q", x.name, err, x.want)
		}
		if x.want != "" && w.snapshot() != before {
			t.Errorf("%s: refused but stored", x.name)
		}
	}
}

// TestStaleVersion: an edit made from an old version of a mark is refused
// whole (409) naming each conflicting mark with its current values; the
// newer mark stays. The same edit from the current version passes.
func TestStaleVersion(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	c := w.class(w.CentreA1, []int{19}, "Lò Thị Ánh", "Đỗ Văn Bình")
	s := c.sessions[0].ID
	mgr := w.signIn(kManagerA1)
	must := func(p domain.Principal, in []attendance.MarkInput) {
		t.Helper()
		if _, err := w.svc.MarkSession(ctx, p, s, attendance.BatchInput{Device: "máy bàn", Marks: in}); err != nil {
			t.Fatal(err)
		}
	}
	must(c.teacher, marks(c.learners, attendance.Present)) // both v1
	must(mgr, []attendance.MarkInput{{PersonID: c.learners[1], Status: attendance.Excused, Note: "Ốm", Version: 1}})
	before := w.snapshot()
	// The teacher, still at version 1 of both, marks Ánh late and Bình absent.
	_, err := w.svc.MarkSession(ctx, c.teacher, s, attendance.BatchInput{Marks: []attendance.MarkInput{
		{PersonID: c.learners[0], Status: attendance.Late, Version: 1},
		{PersonID: c.learners[1], Status: attendance.Absent, Version: 1},
	}})
	e := domain.AsError(err)
	if codeOf(err) != domain.CodeConflict || e.Key != "attendance_conflict" || e.Params["count"] != 1 {
		t.Fatalf("stale edit: %v %+v", err, e)
	}
	list := e.Params["marks"].([]map[string]any)
	if len(list) != 1 || list[0]["row"] != 1 || list[0]["person_id"] != c.learners[1] || list[0]["status"] != "excused" ||
		list[0]["note"] != "Ốm" || list[0]["version"] != 2 || list[0]["marked_by"] != mgr.PersonID || list[0]["device"] != "máy bàn" {
		t.Fatalf("conflicts named: %+v", list)
	}
	if w.snapshot() != before {
		t.Fatal("a refused batch changed marks")
	}
	// A stale row equal to the current mark is no conflict.
	if _, err := w.svc.MarkSession(ctx, c.teacher, s, attendance.BatchInput{Marks: []attendance.MarkInput{
		{PersonID: c.learners[1], Status: attendance.Excused, Note: "Ốm", Version: 1}}}); err != nil {
		t.Fatalf("stale but equal: %v", err)
	}
	// From the current version it passes.
	must(c.teacher, []attendance.MarkInput{{PersonID: c.learners[0], Status: attendance.Late, Version: 1}, {PersonID: c.learners[1], Status: attendance.Absent, Version: 2}})
	if got := w.count(`SELECT version FROM attendance_marks WHERE person_id = $1`, c.learners[1]); got != 3 {
		t.Fatalf("version %d, want 3", got)
	}
}

// TestReplayedBatch: the same batch sent three times (a phone's queue
// replayed) leaves one set of marks and one history entry per change.
func TestReplayedBatch(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	c := w.class(w.CentreA1, []int{19}, "Lò Thị Ánh", "Đỗ Văn Bình")
	s := c.sessions[0].ID
	first := attendance.BatchInput{Device: "A", Marks: marks(c.learners, attendance.Present)}
	second := attendance.BatchInput{Device: "A", Marks: []attendance.MarkInput{{PersonID: c.learners[1], Status: attendance.Absent, Version: 1}}}
	var want string
	for i, order := range [][]attendance.BatchInput{{first, second}, {first, second, first, second}, {second, first}} {
		for _, b := range order {
			_, _ = w.svc.MarkSession(ctx, c.teacher, s, b)
		}
		got := w.snapshot()
		if i == 0 {
			want = got
			if !strings.Contains(got, "events 3") {
				t.Fatalf("first run: %s", got)
			}
			continue
		}
		if got != want {
			t.Fatalf("replay %d:\n%s\nwant\n%s", i, got, want)
		}
	}
}

// TestConcurrentTeachers: teachers marking the same session at once from
// what they last saw: of the batches built on the same versions one wins
// whole, the others are refused whole naming the conflicting marks; batches
// on different learners all apply; nothing is lost or half-applied.
func TestConcurrentTeachers(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	names := make([]string, 20)
	for i := range names {
		names[i] = fmt.Sprintf("Học Viên %c", 'A'+i)
	}
	c := w.class(w.CentreA1, []int{19, 20}, names...)
	mgr := w.signIn(kManagerA1)
	callers := []domain.Principal{c.teacher, mgr, w.admin, w.signIn(kManagerA1)}
	statuses := []attendance.Status{attendance.Present, attendance.Late, attendance.Excused, attendance.Absent}
	for round := range 5 {
		s := c.sessions[round%2].ID
		// What everyone saw: the current versions.
		r, err := w.svc.SessionRoster(ctx, w.admin, s)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[int64]int{}
		for _, e := range r.Entries {
			if e.Mark != nil {
				seen[e.PersonID] = e.Mark.Version
			}
		}
		eventsBefore := w.count(`SELECT count(*) FROM attendance_events WHERE session_id = $1`, s)
		var wg sync.WaitGroup
		errs := make([]error, len(callers))
		start := make(chan struct{})
		for i, p := range callers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				in := make([]attendance.MarkInput, len(c.learners))
				for j, l := range c.learners {
					in[j] = attendance.MarkInput{PersonID: l, Status: statuses[(i+round)%4], Note: fmt.Sprintf("người %d", i), Version: seen[l]}
				}
				<-start
				_, errs[i] = w.svc.MarkSession(ctx, p, s, attendance.BatchInput{Device: fmt.Sprint(i), Marks: in})
			}()
		}
		close(start)
		wg.Wait()
		winner := -1
		for i, err := range errs {
			switch {
			case err == nil && winner < 0:
				winner = i
			case err == nil:
				t.Fatalf("round %d: two batches from the same versions applied (%d and %d)", round, winner, i)
			default:
				e := domain.AsError(err)
				if e.Key != "attendance_conflict" || e.Params["count"] != len(c.learners) {
					t.Fatalf("round %d, caller %d: %v", round, i, err)
				}
				for _, m := range e.Params["marks"].([]map[string]any) {
					if m["device"] == fmt.Sprint(i) {
						t.Fatalf("round %d: a loser's own mark reported as current: %v", round, m)
					}
				}
			}
		}
		if winner < 0 {
			t.Fatalf("round %d: no batch applied: %v", round, errs)
		}
		// One whole set: the winner's, every learner, one event each.
		want := fmt.Sprintf("người %d", winner)
		if n := w.count(`SELECT count(*) FROM attendance_marks WHERE session_id = $1 AND note = $2 AND device = $3`, s, want, fmt.Sprint(winner)); n != int64(len(c.learners)) {
			t.Fatalf("round %d: %d marks of the winner, want %d\n%s", round, n, len(c.learners), w.snapshot())
		}
		if n := w.count(`SELECT count(*) FROM attendance_events WHERE session_id = $1`, s) - eventsBefore; n != int64(len(c.learners)) {
			t.Fatalf("round %d: %d events, want %d", round, n, len(c.learners))
		}
	}
	// Disjoint halves at once (two teachers splitting the register): both
	// apply, nothing lost.
	s := c.sessions[0].ID
	if _, err := w.svc.MarkSession(ctx, w.admin, s, attendance.BatchInput{Marks: marks(c.learners, attendance.Present)}); err == nil {
		t.Fatal("a batch from version 0 over marked learners applied")
	}
	r, _ := w.svc.SessionRoster(ctx, w.admin, s)
	var halves [2][]attendance.MarkInput
	for i, e := range r.Entries {
		halves[i%2] = append(halves[i%2], attendance.MarkInput{PersonID: e.PersonID, Status: attendance.Absent, Note: "chia đôi", Version: e.Mark.Version})
	}
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = w.svc.MarkSession(ctx, callers[i], s, attendance.BatchInput{Marks: halves[i]})
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	if n := w.count(`SELECT count(*) FROM attendance_marks WHERE session_id = $1 AND note = 'chia đôi'`, s); n != int64(len(c.learners)) {
		t.Fatalf("disjoint halves: %d of %d marks", n, len(c.learners))
	}
}

// statementLog collects the SQL GORM's slow-query log reports (every
// statement with a threshold of a nanosecond).
type statementLog struct {
	mu  sync.Mutex
	sql []string
}

func (l *statementLog) Enabled(context.Context, slog.Level) bool { return true }
func (l *statementLog) WithAttrs([]slog.Attr) slog.Handler       { return l }
func (l *statementLog) WithGroup(string) slog.Handler            { return l }
func (l *statementLog) Handle(_ context.Context, r slog.Record) error {
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == "sql" {
			l.mu.Lock()
			l.sql = append(l.sql, a.Value.String())
			l.mu.Unlock()
		}
		return true
	})
	return nil
}

func (l *statementLog) take() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := l.sql
	l.sql = nil
	return out
}

// TestMarkRoundTrips: marking a session of 40 learners is one statement
// (one round trip), whether it applies, conflicts or names a bad row; the
// API adds at most the idempotency key's claim and answer (api tests).
func TestMarkRoundTrips(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	names := make([]string, 40)
	for i := range names {
		names[i] = fmt.Sprintf("Học Viên %02d", i)
	}
	c := w.class(w.CentreA1, []int{19}, names...)
	log := &statementLog{}
	db, err := postgres.Open(w.URL, postgres.WithSlowQueryLog(slog.New(log), time.Nanosecond))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	svc := &attendance.Service{Store: postgres.NewAttendance(db), Classes: postgres.NewClasses(db), Now: func() time.Time { return now }}
	s := c.sessions[0].ID
	all := marks(c.learners, attendance.Present)
	stale := marks(c.learners, attendance.Absent)
	bad := append(marks(c.learners, attendance.Late), attendance.MarkInput{PersonID: 987654, Status: attendance.Late})
	for _, x := range []struct {
		name string
		in   []attendance.MarkInput
		ok   bool
	}{{"apply", all, true}, {"replay", all, true}, {"conflict", stale, false}, {"bad row", bad, false}} {
		log.take()
		_, err := svc.MarkSession(ctx, c.teacher, s, attendance.BatchInput{Marks: x.in})
		if (err == nil) != x.ok {
			t.Fatalf("%s: %v", x.name, err)
		}
		if stmts := log.take(); len(stmts) != 1 {
			t.Fatalf("%s: %d statements, want 1:\n%s", x.name, len(stmts), strings.Join(stmts, "\n"))
		}
	}
}

// TestBatchesWholeWhenConnectionsDie: batches whose database connection is
// killed mid-statement (what a server killed with kill -9 leaves behind:
// its connections vanish) are whole or absent, and every batch that was
// acknowledged is stored. A killer terminates backends running a batch
// (about one per acknowledged batch) while four teachers mark.
func TestBatchesWholeWhenConnectionsDie(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	const learners = 40
	names := make([]string, learners)
	for i := range names {
		names[i] = fmt.Sprintf("Học Viên %02d", i)
	}
	var cls []*class
	for range 4 {
		cls = append(cls, w.class(w.CentreA1, []int{19}, names...))
	}
	killer, err := sql.Open("pgx", w.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer killer.Close()
	stop := make(chan struct{})
	var kills, acks atomic.Int64
	var kw sync.WaitGroup
	kw.Go(func() {
		for {
			select {
			case <-stop:
				return
			case <-time.After(2 * time.Millisecond):
			}
			// One kill per acknowledged batch at most: on a loaded machine
			// batches last longer than the killer's period, and killing
			// them all would prove nothing.
			if kills.Load() > acks.Load() {
				continue
			}
			var n int64
			if err := killer.QueryRow(`SELECT count(pg_terminate_backend(pid)) FROM (SELECT pid FROM pg_stat_activity
				WHERE datname = current_database() AND pid <> pg_backend_pid() AND state = 'active'
					AND query LIKE 'SELECT attendance_mark_batch%' LIMIT 1) x`).Scan(&n); err == nil {
				kills.Add(n)
			}
		}
	})
	var mu sync.Mutex
	acked, failed := map[string]bool{}, 0
	var wg sync.WaitGroup
	for i, c := range cls {
		wg.Go(func() {
			s := c.sessions[0].ID
			for k := range 20 {
				// What the teacher's phone knows: re-read after every answer
				// (an error leaves it unsure whether the batch was stored).
				r, err := w.svc.SessionRoster(ctx, w.admin, s)
				if err != nil {
					continue
				}
				note := fmt.Sprintf("t%d-b%d", i, k)
				in := make([]attendance.MarkInput, len(r.Entries))
				for j, e := range r.Entries {
					v := 0
					if e.Mark != nil {
						v = e.Mark.Version
					}
					in[j] = attendance.MarkInput{PersonID: e.PersonID, Status: attendance.Present, Note: note, Version: v}
				}
				_, err = w.svc.MarkSession(ctx, c.teacher, s, attendance.BatchInput{Marks: in})
				mu.Lock()
				if err == nil {
					acked[note] = true
					acks.Add(1)
				} else {
					failed++
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	close(stop)
	kw.Wait()
	if failed == 0 || len(acked) == 0 {
		t.Fatalf("the test killed nothing useful: %d acknowledged, %d failed, %d backends killed", len(acked), failed, kills.Load())
	}
	// Read back on fresh connections: a pooled one may be a backend the
	// killer terminated as its batch ended (its FATAL waits to be read).
	check, err := sql.Open("pgx", w.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer check.Close()
	// Every batch is whole (40 history rows) or absent, and every
	// acknowledged one is whole.
	rows, err := check.Query(`SELECT to_note, count(*) FROM attendance_events GROUP BY to_note`)
	if err != nil {
		t.Fatal(err)
	}
	stored := map[string]bool{}
	for rows.Next() {
		var note string
		var n int
		if err := rows.Scan(&note, &n); err != nil {
			t.Fatal(err)
		}
		if n != learners {
			t.Errorf("batch %s: %d of %d history rows", note, n, learners)
		}
		stored[note] = true
	}
	rows.Close()
	for note := range acked {
		if !stored[note] {
			t.Errorf("acknowledged batch %s is not stored", note)
		}
	}
	// Each session's marks are one batch's, whole.
	for _, c := range cls {
		var n int
		if err := check.QueryRow(`SELECT count(DISTINCT note) FROM attendance_marks WHERE session_id = $1`, c.sessions[0].ID).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n > 1 {
			t.Errorf("session %d holds marks of %d batches", c.sessions[0].ID, n)
		}
	}
	t.Logf("%d batches acknowledged, %d failed, %d stored, %d backends killed", len(acked), failed, len(stored), kills.Load())
}
