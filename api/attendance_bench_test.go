package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"densach/domain"
	"densach/domain/attendance"
	"densach/storage/postgres"
	"densach/storage/postgres/pgtest"
)

// The speed target (issue 12, bench/README.md): marking a session of 40
// learners through the API (a TCP listener, every middleware, a teacher's
// token, the contract check, an Idempotency-Key, the use case's checks and
// its one statement) by 50 concurrent teachers, beside raw pgx doing the
// same upsert (40 marks, version bumped, one history row each) in one
// transaction from 50 goroutines, in the same run, in alternating rounds:
// API p99 at most 1.5× the raw p99, API throughput at least half the raw
// throughput, SQL round trips per API request counted (at most 3; one
// since migration 00029). Each round is long enough (12 batches per
// teacher) to be mostly the steady state of 50 teachers at work; the first
// batch of every round, when all 50 start in the same microsecond, is
// also reported apart (first-p99), so the start-of-round burst stays in
// view (bench/README.md, follow-up 7).

const (
	benchTeachers      = 50
	benchClassLearners = 40
	benchBatchesRound  = 12 // batches per teacher and side, in each round
)

// benchMarks is the fixture: 50 teachers of centre A1, each teaching a
// class of 40 learners with two held sessions (one marked through the API,
// one by raw pgx, so that the versions of each side are their own).
type benchMarks struct {
	e        *testEnv
	url      string
	auth     []string
	apiSess  []int64
	pgxSess  []int64
	learners [][]int64 // per teacher: person ids
	enrols   [][]int64 // per teacher: enrolment ids
	teachers []int64
	apiN     []int // per teacher: API batches sent (= the marks' version)
	pgxN     []int
	keys     int
	mu       sync.Mutex
	client   *http.Client
	pool     *pgxpool.Pool
	dbURL    string
}

func newBenchMarks(b testing.TB) *benchMarks {
	b.Helper()
	url := pgtest.NewDatabase(b)
	e := newTestEnvURL(b, url)
	w := e.w
	ctx := context.Background()
	course := pgtest.InsertCourse(b, e.db.SQL(), pgtest.Course{CentreID: w.CentreA1, Title: "Kỹ năng số", Lessons: 1, CreatedBy: w.Admin.PersonID})
	h := &benchMarks{e: e, dbURL: url, apiN: make([]int, benchTeachers), pgxN: make([]int, benchTeachers)}
	for i := range benchTeachers {
		t := e.exec(`INSERT INTO people (full_name, given_name, sort_key, search_exact, search_folded, commune_id)
			VALUES ($1, 'x', convert_to($1, 'UTF8'), 'x', 'x', $2) RETURNING id`, fmt.Sprintf("Giáo viên %02d", i), w.CommA1)
		acct := e.exec(`INSERT INTO accounts (person_id, password_hash) VALUES ($1, 'x') RETURNING id`, t)
		e.exec(`INSERT INTO role_grants (person_id, role, centre_id) VALUES ($1, 'teacher', $2)`, t, w.CentreA1)
		class := e.exec(`INSERT INTO classes (centre_id, course_id, version_id, title, mode, capacity, starts_on, ends_on, meeting_url, status, created_by)
			VALUES ($1, $2, $3, $4, 'online', 100, '2026-11-01', '2026-11-30', 'https://meet.example.org/x', 'running', $5) RETURNING id`,
			w.CentreA1, course.ID, course.VersionID, fmt.Sprintf("Lớp %02d", i), w.Admin.PersonID)
		e.exec(`INSERT INTO class_teachers (class_id, person_id, position) VALUES ($1, $2, 0)`, class, t)
		session := func(day int) int64 {
			return e.exec(`INSERT INTO class_sessions (class_id, starts_at, ends_at, mode, teacher_id, meeting_url)
				VALUES ($1, $2, $3, 'online', $4, 'https://meet.example.org/x') RETURNING id`,
				class, time.Date(2026, 11, day, 12, 0, 0, 0, time.UTC), time.Date(2026, 11, day, 13, 0, 0, 0, time.UTC), t)
		}
		h.apiSess, h.pgxSess = append(h.apiSess, session(10)), append(h.pgxSess, session(12))
		var people, enrols []int64
		rows, err := e.db.SQL().QueryContext(ctx, `WITH p AS (INSERT INTO people (full_name, given_name, sort_key, search_exact, search_folded, commune_id)
				SELECT 'Học viên ' || $1::int || '-' || g, 'x', convert_to(lpad(g::text, 4, '0'), 'UTF8'), 'x', 'x', $2 FROM generate_series(1, $3) g RETURNING id)
			INSERT INTO enrolments (person_id, course_id, version_id, class_id, status, source, enrolled_by)
			SELECT id, $4, $5, $6, 'active', 'staff', $7 FROM p RETURNING person_id, id`,
			i, w.CommA1, benchClassLearners, course.ID, course.VersionID, class, w.Admin.PersonID)
		if err != nil {
			b.Fatal(err)
		}
		for rows.Next() {
			var p, en int64
			if err := rows.Scan(&p, &en); err != nil {
				b.Fatal(err)
			}
			people, enrols = append(people, p), append(enrols, en)
		}
		rows.Close()
		h.learners, h.enrols, h.teachers = append(h.learners, people), append(h.enrols, enrols), append(h.teachers, t)
		p := domain.Principal{AccountID: acct, PersonID: t, Grants: []domain.Grant{{Role: domain.RoleTeacher, Kind: domain.ScopeCentre, PersonID: t,
			CentreID: w.CentreA1, CommuneID: w.CommA1, ProvinceID: w.ProvA}}}
		h.auth = append(h.auth, "Bearer "+e.token(p))
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	go func() { _ = e.srv.Serve(ln) }()
	b.Cleanup(func() { _ = e.srv.App().Shutdown() })
	h.url = "http://" + ln.Addr().String()
	h.client = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: benchTeachers, MaxConnsPerHost: benchTeachers, DisableCompression: true}}
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		b.Fatal(err)
	}
	cfg.MaxConns = postgres.MaxOpenConns // the server's pool size: both sides queue alike
	if h.pool, err = pgxpool.NewWithConfig(ctx, cfg); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(h.pool.Close)
	return h
}

var benchStatuses = [2]string{"present", "absent"}

// viaHTTP is teacher i marking their API session: every learner's status
// flips (so all 40 marks change), from the versions the teacher holds,
// under a fresh Idempotency-Key.
func (h *benchMarks) viaHTTP(i int) error {
	h.mu.Lock()
	k := h.apiN[i]
	h.apiN[i]++
	h.keys++
	key := fmt.Sprintf("bench-%d", h.keys)
	h.mu.Unlock()
	marks := make([]markInputJSON, benchClassLearners)
	for j, p := range h.learners[i] {
		marks[j] = markInputJSON{PersonID: p, Status: benchStatuses[k%2], Version: k}
	}
	body, _ := json.Marshal(batchJSON{Device: "Điện thoại Android", Marks: marks})
	req, _ := http.NewRequest(http.MethodPost, fmt.Sprintf("%s/api/v1/sessions/%d/attendance", h.url, h.apiSess[i]), bytes.NewReader(body))
	req.Header.Set("Authorization", h.auth[i])
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(HeaderIdempotencyKey, key)
	resp, err := h.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		out, _ := io.ReadAll(resp.Body)
		return fmt.Errorf("status %d: %s", resp.StatusCode, out)
	}
	// Read to the end for the connection's reuse, into no new buffer: the
	// clients share this process (and its garbage collector) with the
	// server, and their garbage is not the API's cost.
	_, err = io.Copy(io.Discard, resp.Body)
	return err
}

// RawMarkSQL is the raw side's upsert: the same writes as the API's batch,
// with no check at all: the 40 marks (version bumped, source, marked by,
// at, device) and one history row each, from what to what (the mark before,
// read in the same statement).
const RawMarkSQL = `WITH b AS (
		SELECT * FROM jsonb_to_recordset($2::jsonb) AS (enrolment_id bigint, person_id bigint, status text, note text)
	), old AS (
		SELECT m.enrolment_id, m.status, m.note FROM attendance_marks m JOIN b ON m.session_id = $1::bigint AND m.enrolment_id = b.enrolment_id
	), up AS (
		INSERT INTO attendance_marks AS m (session_id, enrolment_id, person_id, status, note, source, version, marked_by, marked_at, device)
		SELECT $1::bigint, enrolment_id, person_id, status, note, 'manual', 1, $3::bigint, now(), $4::text FROM b
		ON CONFLICT (session_id, enrolment_id) DO UPDATE SET status = EXCLUDED.status, note = EXCLUDED.note, source = EXCLUDED.source,
			version = m.version + 1, marked_by = EXCLUDED.marked_by, marked_at = EXCLUDED.marked_at, device = EXCLUDED.device
		RETURNING m.enrolment_id, m.status, m.note, m.source, m.version, m.marked_by, m.marked_at, m.device
	)
	INSERT INTO attendance_events (session_id, enrolment_id, version, from_status, to_status, from_note, to_note, source, by_id, at, device)
	SELECT $1::bigint, up.enrolment_id, up.version, old.status, up.status, old.note, up.note, up.source, up.marked_by, up.marked_at, up.device
	FROM up LEFT JOIN old ON old.enrolment_id = up.enrolment_id`

// viaPgx is the same batch by raw pgx, in one transaction.
func (h *benchMarks) viaPgx(i int) error {
	h.mu.Lock()
	k := h.pgxN[i]
	h.pgxN[i]++
	h.mu.Unlock()
	type row struct {
		EnrolmentID int64  `json:"enrolment_id"`
		PersonID    int64  `json:"person_id"`
		Status      string `json:"status"`
		Note        string `json:"note"`
	}
	rows := make([]row, benchClassLearners)
	for j := range rows {
		rows[j] = row{EnrolmentID: h.enrols[i][j], PersonID: h.learners[i][j], Status: benchStatuses[k%2]}
	}
	src, _ := json.Marshal(rows)
	return pgx.BeginFunc(context.Background(), h.pool, func(tx pgx.Tx) error {
		_, err := tx.Exec(context.Background(), RawMarkSQL, h.pgxSess[i], string(src), h.teachers[i], "Điện thoại Android")
		return err
	})
}

// roundTrips counts the SQL statements of one keyed API batch: the
// server's attendance and idempotency stores swapped for ones over a pool
// whose slow-query log reports every statement, for one request.
func (h *benchMarks) roundTrips(b *testing.B) int {
	log := &statementLog{}
	db, err := postgres.Open(h.dbURL, postgres.WithSlowQueryLog(slog.New(log), time.Nanosecond))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	att, idem := h.e.srv.Attendance, h.e.srv.Idempotency
	h.e.srv.Attendance = &attendance.Service{Store: postgres.NewAttendance(db), Classes: postgres.NewClasses(db)}
	h.e.srv.Idempotency = db
	defer func() { h.e.srv.Attendance, h.e.srv.Idempotency = att, idem }()
	if err := h.viaHTTP(0); err != nil {
		b.Fatal(err)
	}
	return len(log.take())
}

// BenchmarkMarkSessionRatio measures, in each round, 50 teachers × 4
// batches of 40 marks through the API and the same upserts by 50
// goroutines over raw pgx, in alternating order, and reports both
// throughputs and p99s, their ratios (the figures the target bounds) and
// the SQL round trips of one API batch.
func BenchmarkMarkSessionRatio(b *testing.B) {
	h := newBenchMarks(b)
	// Both sides must store the same marks and history before anything is
	// timed: two batches each (the second changes marks that exist).
	for range 2 {
		if err := h.viaHTTP(1); err != nil {
			b.Fatal(err)
		}
		if err := h.viaPgx(1); err != nil {
			b.Fatal(err)
		}
	}
	var a, c string
	if err := h.e.db.SQL().QueryRow(`SELECT
		(SELECT string_agg(concat_ws(',', status, note, source, version, marked_by, device), ';' ORDER BY person_id) FROM attendance_marks WHERE session_id = $1),
		(SELECT string_agg(concat_ws(',', status, note, source, version, marked_by, device), ';' ORDER BY person_id) FROM attendance_marks WHERE session_id = $2)`,
		h.apiSess[1], h.pgxSess[1]).Scan(&a, &c); err != nil || a != c || a == "" {
		b.Fatalf("the two sides store differently:\nAPI %q\npgx %q (%v)", a, c, err)
	}
	// And the same history: from what to what, version, by whom, device.
	if err := h.e.db.SQL().QueryRow(`SELECT
		(SELECT string_agg(concat_ws(',', e.person_id, ev.version, ev.from_status, ev.to_status, ev.from_note, ev.to_note, ev.source, ev.by_id, ev.device), ';'
			ORDER BY e.person_id, ev.version) FROM attendance_events ev JOIN enrolments e ON e.id = ev.enrolment_id WHERE ev.session_id = $1),
		(SELECT string_agg(concat_ws(',', e.person_id, ev.version, ev.from_status, ev.to_status, ev.from_note, ev.to_note, ev.source, ev.by_id, ev.device), ';'
			ORDER BY e.person_id, ev.version) FROM attendance_events ev JOIN enrolments e ON e.id = ev.enrolment_id WHERE ev.session_id = $2)`,
		h.apiSess[1], h.pgxSess[1]).Scan(&a, &c); err != nil || a != c || a == "" {
		b.Fatalf("the two sides keep different histories:\nAPI %q\npgx %q (%v)", a, c, err)
	}
	trips := h.roundTrips(b)
	if trips > 3 {
		b.Fatalf("an API batch took %d SQL round trips", trips)
	}
	concurrently(b, benchTeachers, benchBatchesRound, h.viaHTTP) // warm-up (untimed)
	concurrently(b, benchTeachers, benchBatchesRound, h.viaPgx)
	var apiLat, pgxLat []time.Duration
	var apiWall, pgxWall time.Duration
	var apiCPU, pgxCPU cpuTimes
	round := 0
	for b.Loop() {
		sides := []struct {
			f    func(int) error
			lat  *[]time.Duration
			wall *time.Duration
			cpu  *cpuTimes
		}{{h.viaHTTP, &apiLat, &apiWall, &apiCPU}, {h.viaPgx, &pgxLat, &pgxWall, &pgxCPU}}
		if round%2 == 1 {
			sides[0], sides[1] = sides[1], sides[0]
		}
		for _, s := range sides {
			var lat []time.Duration
			var wall time.Duration
			*s.cpu = s.cpu.add(measureCPU(func() { lat, wall = concurrently(b, benchTeachers, benchBatchesRound, s.f) }))
			*s.lat, *s.wall = append(*s.lat, lat...), *s.wall+wall
		}
		round++
	}
	apiRate := float64(len(apiLat)) / apiWall.Seconds()
	pgxRate := float64(len(pgxLat)) / pgxWall.Seconds()
	apiP99, pgxP99 := percentile(apiLat, 99), percentile(pgxLat, 99)
	b.ReportMetric(apiRate, "api-batches/s")
	b.ReportMetric(pgxRate, "pgx-batches/s")
	b.ReportMetric(apiRate/pgxRate, "throughput-ratio")
	b.ReportMetric(float64(apiP99.Nanoseconds()), "api-p99-ns")
	b.ReportMetric(float64(pgxP99.Nanoseconds()), "pgx-p99-ns")
	b.ReportMetric(float64(apiP99)/float64(pgxP99), "p99-ratio")
	b.ReportMetric(float64(percentile(apiLat, 50).Nanoseconds()), "api-p50-ns")
	b.ReportMetric(float64(percentile(pgxLat, 50).Nanoseconds()), "pgx-p50-ns")
	// The first batch of each teacher in each round: all 50 sent at once.
	apiFirst, pgxFirst := percentile(firstOfRound(apiLat), 99), percentile(firstOfRound(pgxLat), 99)
	b.ReportMetric(float64(apiFirst.Nanoseconds()), "api-first-p99-ns")
	b.ReportMetric(float64(pgxFirst.Nanoseconds()), "pgx-first-p99-ns")
	b.ReportMetric(float64(apiFirst)/float64(pgxFirst), "first-p99-ratio")
	b.ReportMetric(float64(trips), "sql-round-trips")
	// Where each side's CPU went, per batch: this process (the API side:
	// server and HTTP clients; the raw side: its goroutines and pgx) and
	// PostgreSQL's processes.
	perBatch := func(d time.Duration, n int) float64 { return float64(d.Microseconds()) / 1000 / float64(n) }
	b.ReportMetric(perBatch(apiCPU.process, len(apiLat)), "api-go-cpu-ms/batch")
	b.ReportMetric(perBatch(pgxCPU.process, len(pgxLat)), "pgx-go-cpu-ms/batch")
	if apiCPU.postgres > 0 {
		b.ReportMetric(perBatch(apiCPU.postgres, len(apiLat)), "api-pg-cpu-ms/batch")
		b.ReportMetric(perBatch(pgxCPU.postgres, len(pgxLat)), "pgx-pg-cpu-ms/batch")
	}
}

// firstOfRound picks, from a side's latencies (concurrently's blocks of
// benchBatchesRound per teacher, round after round), each teacher's first
// batch of each round.
func firstOfRound(lat []time.Duration) []time.Duration {
	out := make([]time.Duration, 0, len(lat)/benchBatchesRound)
	for i := 0; i < len(lat); i += benchBatchesRound {
		out = append(out, lat[i])
	}
	return out
}
