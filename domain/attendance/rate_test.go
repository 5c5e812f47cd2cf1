package attendance_test

import (
	"context"
	"testing"
	"time"

	"densach/domain/attendance"
	"densach/domain/classes"
)

func day(d, hour int) time.Time { return time.Date(2026, 3, d, hour, 0, 0, 0, classes.Zone) }

// TestRateOf: the rate is over the planned sessions that were not
// cancelled and have been held (marked or not: an unmarked past session
// brings nothing), with the centre's weights; sessions to come are counted
// apart, never as absences.
func TestRateOf(t *testing.T) {
	sessions := []attendance.SessionFact{
		{ID: 1, StartsAt: day(2, 19)},
		{ID: 2, StartsAt: day(4, 19)},
		{ID: 3, StartsAt: day(6, 19), Cancelled: true},
		{ID: 4, StartsAt: day(9, 19)},
		{ID: 5, StartsAt: day(11, 19)}, // held, unmarked
		{ID: 6, StartsAt: day(23, 19)}, // to come
		{ID: 7, StartsAt: day(25, 19)}, // to come
		{ID: 8, StartsAt: day(27, 19)}, // to come, marked already (excused ahead of time)
	}
	marks := map[int64]attendance.Status{1: attendance.Present, 2: attendance.Late, 3: attendance.Absent, 4: attendance.Excused, 8: attendance.Excused}
	for _, c := range []struct {
		name                    string
		w                       attendance.Weights
		earned                  float64
		rate                    float64
		planned, held, upcoming int
	}{
		// planned 7 (3 cancelled), held 5 (1, 2, 4, 5 and the marked 8),
		// upcoming 2 (6, 7). Defaults: present 1 + late 1 = 2 of 5.
		{"defaults", attendance.DefaultWeights, 2, 0.4, 7, 5, 2},
		// late 0.5, excused 0.5: 1 + 0.5 + 0.5 + 0.5 = 2.5 of 5.
		{"weights", attendance.Weights{Present: 1, Late: 0.5, Excused: 0.5, Absent: 0}, 2.5, 0.5, 7, 5, 2},
	} {
		r := attendance.RateOf(sessions, marks, c.w, 0, now)
		if r.Planned != c.planned || r.Held != c.held || r.Upcoming != c.upcoming || r.Earned != c.earned || r.Rate == nil || *r.Rate != c.rate {
			t.Errorf("%s: %+v (rate %v), want planned %d held %d upcoming %d earned %v rate %v", c.name, r, deref(r.Rate), c.planned, c.held, c.upcoming, c.earned, c.rate)
		}
	}
	// Nothing held yet: no rate, everything to come (threshold 50 %: one
	// of the two is enough, so missing the next one is no risk yet).
	r := attendance.RateOf(sessions[5:7], nil, attendance.DefaultWeights, 50, now)
	if r.Rate != nil || r.Upcoming != 2 || r.Held != 0 || r.AtRisk != "" {
		t.Errorf("before the first session: %+v", r)
	}
	// A cancelled session changes nothing, even marked.
	r = attendance.RateOf(sessions[2:3], marks, attendance.DefaultWeights, 80, now)
	if r.Planned != 0 || r.Held != 0 || r.Rate != nil {
		t.Errorf("only a cancelled session: %+v", r)
	}
	// Thirds round to four places.
	three := append(append([]attendance.SessionFact{}, sessions[:2]...), attendance.SessionFact{ID: 9, StartsAt: day(3, 19)})
	r = attendance.RateOf(three, map[int64]attendance.Status{1: attendance.Present, 2: attendance.Present}, attendance.DefaultWeights, 0, now)
	if r.Rate == nil || *r.Rate != 0.6667 {
		t.Errorf("two of three: %v", deref(r.Rate))
	}
}

func deref(f *float64) any {
	if f == nil {
		return nil
	}
	return *f
}

// TestAtRisk: flagged when the threshold over the planned sessions is out
// of reach even attending every session to come (cannot_reach), or will be
// if the learner misses the next one (miss_next).
func TestAtRisk(t *testing.T) {
	// Ten planned sessions, threshold 80 %: 8 weighted sessions needed.
	var sessions []attendance.SessionFact
	for i := range 10 {
		sessions = append(sessions, attendance.SessionFact{ID: int64(i + 1), StartsAt: day(2+2*i, 19)})
	}
	// Sessions on 2, 4, …, 20 March; on 11 March at noon 5 are held, 5 to come.
	clock := day(11, 12)
	mk := func(statuses ...attendance.Status) map[int64]attendance.Status {
		m := map[int64]attendance.Status{}
		for i, s := range statuses {
			if s != "" {
				m[int64(i+1)] = s
			}
		}
		return m
	}
	P, A, E, L := attendance.Present, attendance.Absent, attendance.Excused, attendance.Late
	for _, c := range []struct {
		name  string
		marks map[int64]attendance.Status
		w     attendance.Weights
		want  string
	}{
		{"all present so far", mk(P, P, P, P, P), attendance.DefaultWeights, ""},
		// 4 + 5 to come = 9 ≥ 8; missing the next: 4 + 4 = 8 ≥ 8: fine.
		{"one absence", mk(P, A, P, P, P), attendance.DefaultWeights, ""},
		// 3 + 5 = 8 reachable; missing the next: 3 + 4 = 7 < 8.
		{"two absences", mk(P, A, A, P, P), attendance.DefaultWeights, attendance.RiskMissNext},
		// 2 + 5 = 7 < 8.
		{"three absences", mk(P, A, A, A, P), attendance.DefaultWeights, attendance.RiskCannotReach},
		// An unmarked held session brings nothing: as two absences.
		{"unmarked held sessions", mk(P, "", "", P, P), attendance.DefaultWeights, attendance.RiskMissNext},
		// Excused counts 0 by default, 1 when the centre says so.
		{"excused, default weights", mk(P, E, E, E, P), attendance.DefaultWeights, attendance.RiskCannotReach},
		{"excused, weight 1", mk(P, E, E, E, P), attendance.Weights{Present: 1, Late: 1, Excused: 1}, ""},
		// Late at 0.5: 1 + 4 × 0.5 = 3, 3 + 5 = 8 reachable, 3 + 4 = 7 not.
		{"late at half", mk(P, L, L, L, L), attendance.Weights{Present: 1, Late: 0.5}, attendance.RiskMissNext},
	} {
		r := attendance.RateOf(sessions, c.marks, c.w, 80, clock)
		if r.AtRisk != c.want {
			t.Errorf("%s: %+v, want %q", c.name, r, c.want)
		}
	}
	// When every session is held, there is no next one: out of reach or fine.
	end := day(31, 23)
	if r := attendance.RateOf(sessions, mk(P, P, P, P, P, P, P, P, A, A), attendance.DefaultWeights, 80, end); r.AtRisk != "" {
		t.Errorf("8 of 10 at the end: %+v", r)
	}
	if r := attendance.RateOf(sessions, mk(P, P, P, P, P, P, P, A, A, A), attendance.DefaultWeights, 80, end); r.AtRisk != attendance.RiskCannotReach {
		t.Errorf("7 of 10 at the end: %+v", r)
	}
	// A threshold of 0 flags no one.
	if r := attendance.RateOf(sessions, nil, attendance.DefaultWeights, 0, end); r.AtRisk != "" {
		t.Errorf("threshold 0: %+v", r)
	}
}

// TestClassGridRates: the grid computes every learner's rate from what is
// stored — sessions cancelled after marking, the centre's weights changed,
// sessions to come — and flags those at risk.
func TestClassGridRates(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	// Sessions 2, 4, 6, 9, 11 March held; 23, 25, 27, 30 to come: 9 planned.
	c := w.class(w.CentreA1, []int{2, 4, 6, 9, 11, 23, 25, 27, 30}, "Lò Thị Ánh", "Đỗ Văn Bình", "Nguyễn Thị Cúc")
	ann, binh, cuc := c.learners[0], c.learners[1], c.learners[2]
	mark := func(si int, st map[int64]attendance.Status) {
		t.Helper()
		var in []attendance.MarkInput
		for p, s := range st {
			in = append(in, attendance.MarkInput{PersonID: p, Status: s})
		}
		if _, err := w.svc.MarkSession(ctx, c.teacher, c.sessions[si].ID, attendance.BatchInput{Device: "test", Marks: in}); err != nil {
			t.Fatal(err)
		}
	}
	P, A, E, L := attendance.Present, attendance.Absent, attendance.Excused, attendance.Late
	mark(0, map[int64]attendance.Status{ann: P, binh: A, cuc: P})
	mark(1, map[int64]attendance.Status{ann: P, binh: A, cuc: L})
	mark(2, map[int64]attendance.Status{ann: P, binh: P, cuc: E})
	mark(3, map[int64]attendance.Status{ann: P, binh: A})
	// session 4 (11 March) held, nobody marked.
	// The session of 6 March is cancelled afterwards: its marks no longer count.
	if _, err := w.classes.CancelSession(ctx, w.admin, c.sessions[2].ID, "Mưa lũ"); err != nil {
		t.Fatal(err)
	}
	g, err := w.svc.ClassGrid(ctx, c.teacher, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Sessions) != 9 || len(g.Learners) != 3 || g.Weights != attendance.DefaultWeights {
		t.Fatalf("grid: %d sessions, %d learners, %+v", len(g.Sessions), len(g.Learners), g.Weights)
	}
	// Vietnamese order by given name: Ánh, Bình, Cúc.
	byID := map[int64]attendance.GridLearner{}
	for _, l := range g.Learners {
		byID[l.PersonID] = l
	}
	if g.Learners[0].PersonID != ann || g.Learners[1].PersonID != binh || g.Learners[2].PersonID != cuc {
		t.Errorf("order: %v %v %v", g.Learners[0].Name, g.Learners[1].Name, g.Learners[2].Name)
	}
	// planned 8, held 4 (2, 4, 9, 11), upcoming 4. Need 80 % of 8 = 6.4.
	want := map[int64]struct {
		earned float64
		rate   float64
		risk   string
	}{
		ann:  {3, 0.75, attendance.RiskMissNext},   // 3 + 4 = 7 ≥ 6.4, but 3 + 3 = 6 < 6.4
		binh: {0, 0, attendance.RiskCannotReach},   // his one presence was on the cancelled day
		cuc:  {2, 0.5, attendance.RiskCannotReach}, // 2 + 4 = 6 < 6.4
	}
	for id, x := range want {
		r := byID[id].Rate
		if r.Planned != 8 || r.Held != 4 || r.Upcoming != 4 || r.Earned != x.earned || r.Rate == nil || *r.Rate != x.rate || r.AtRisk != x.risk {
			t.Errorf("%s: %+v (rate %v), want earned %v rate %v risk %q", byID[id].Name, r, deref(r.Rate), x.earned, x.rate, x.risk)
		}
	}
	// The manager values an excused absence at 1 and a late arrival at 0.5:
	// Cúc now has 1 + 0.5 = 1.5 (the excused session was cancelled).
	mgr := w.signIn(kManagerA1)
	if _, err := w.svc.SetCentreWeights(ctx, mgr, w.CentreA1, attendance.Weights{Present: 1, Late: 0.5, Excused: 1, Absent: 0}); err != nil {
		t.Fatal(err)
	}
	g, err = w.svc.ClassGrid(ctx, mgr, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range g.Learners {
		if l.PersonID == cuc && (l.Rate.Earned != 1.5 || *l.Rate.Rate != 0.375) {
			t.Errorf("Cúc with weights: %+v", l.Rate)
		}
	}
	// The learner sees the same figures in "my attendance".
	cucP := w.SignIn(cuc)
	mine, err := w.svc.MyAttendance(ctx, cucP)
	if err != nil {
		t.Fatal(err)
	}
	if len(mine) != 1 || mine[0].Class.ID != c.ID || mine[0].Rate.Earned != 1.5 || mine[0].Rate.AtRisk != attendance.RiskCannotReach || len(mine[0].Marks) != 3 {
		t.Errorf("my attendance: %+v", mine)
	}
}
