package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"densach/domain"
	"densach/domain/courses"
	"densach/domain/enrolments"
	"densach/storage/postgres"
	"densach/storage/postgres/pgtest"
)

// The speed target (issue 10, bench/README.md): progress heartbeats through
// the API (a TCP listener, every middleware, a learner's token, the
// contract check, the use case's checks and fold, one upsert) from 200
// concurrent learners sustain at least half the throughput of raw pgx doing
// the same upserts (postgres.UpsertProgressSQL with the same batch JSON) from
// 200 goroutines, both measured in the same run, in alternating rounds; p99
// reported for both.

const (
	benchLearners   = 200
	benchBeatsRound = 10 // heartbeats per learner and side, in each round
	benchVideoS     = 3600
)

// benchHeartbeats is the fixture: 200 learners of centre A1, each enrolled
// in one published online course with a video lesson, with their tokens.
type benchHeartbeats struct {
	e           *testEnv
	url         string
	lesson      enrolments.LessonRef
	enrolments  []int64
	enrolledAt  []time.Time
	auth        []string
	beat        []int // per learner: the next heartbeat's number (advances the position)
	mu          sync.Mutex
	client      *http.Client
	pool        *pgxpool.Pool
	lessonsByID map[int64]enrolments.LessonRef
}

func newBenchHeartbeats(b *testing.B) *benchHeartbeats {
	b.Helper()
	url := pgtest.NewDatabase(b)
	e := newTestEnvURL(b, url)
	w := e.w
	ctx := context.Background()
	cs := e.srv.Courses
	d, err := cs.Create(ctx, w.Admin, courses.NewCourse{CentreID: w.CentreA1, Details: courses.Details{Title: "Kỹ năng số", Category: "digital_skills", Mode: courses.ModeOnline}})
	if err != nil {
		b.Fatal(err)
	}
	m, _ := cs.AddModule(ctx, w.Admin, d.ID, "Chương 1")
	for _, in := range []courses.LessonInput{
		{Kind: courses.KindText, Title: "Bài mở đầu", BodyMD: "Nội dung", Required: true},
		{Kind: courses.KindVideo, Title: "Cài đặt ứng dụng Zalo", URL: "https://www.youtube.com/watch?v=dQw4w9WgXcQ", Required: true},
	} {
		if _, err := cs.AddLesson(ctx, w.Admin, m.ID, in); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := cs.Publish(ctx, w.Admin, d.ID); err != nil {
		b.Fatal(err)
	}
	h := &benchHeartbeats{e: e}
	// 200 learners with accounts and a learner grant at centre A1, enrolled.
	e.exec(`WITH p AS (INSERT INTO people (full_name, given_name, sort_key, search_exact, search_folded, commune_id)
			SELECT 'Học viên ' || g, 'Học viên ' || g, convert_to('hoc vien ' || lpad(g::text, 4, '0'), 'UTF8'), 'học viên ' || g, 'hoc vien ' || g, $1
			FROM generate_series(1, $2) g RETURNING id),
		a AS (INSERT INTO accounts (person_id, password_hash) SELECT id, 'x' FROM p RETURNING person_id),
		r AS (INSERT INTO role_grants (person_id, role, centre_id) SELECT person_id, 'learner', $3 FROM a RETURNING person_id)
		INSERT INTO enrolments (person_id, course_id, version_id, source, enrolled_by)
		SELECT r.person_id, $4, c.published_version_id, 'self', r.person_id FROM r, courses c WHERE c.id = $4 RETURNING id`,
		w.CommA1, benchLearners, w.CentreA1, d.ID)
	rows, err := e.db.SQL().QueryContext(ctx, `SELECT e.id, e.enrolled_at, e.person_id, a.id FROM enrolments e JOIN accounts a ON a.person_id = e.person_id
		WHERE e.course_id = $1 ORDER BY e.id`, d.ID)
	if err != nil {
		b.Fatal(err)
	}
	for rows.Next() {
		var id, person, acct int64
		var at time.Time
		if err := rows.Scan(&id, &at, &person, &acct); err != nil {
			b.Fatal(err)
		}
		p := domain.Principal{AccountID: acct, PersonID: person, Grants: []domain.Grant{{Role: domain.RoleLearner, Kind: domain.ScopeSelf, PersonID: person,
			CentreID: w.CentreA1, CommuneID: w.CommA1, ProvinceID: w.ProvA}}}
		h.enrolments, h.enrolledAt, h.auth = append(h.enrolments, id), append(h.enrolledAt, at), append(h.auth, "Bearer "+e.token(p))
	}
	rows.Close()
	if len(h.enrolments) != benchLearners {
		b.Fatalf("%d enrolments", len(h.enrolments))
	}
	h.beat = make([]int, benchLearners)
	lessons, err := postgres.NewEnrolments(e.db).Lessons(ctx, e.exec(`SELECT published_version_id FROM courses WHERE id = $1`, d.ID))
	if err != nil {
		b.Fatal(err)
	}
	h.lessonsByID = map[int64]enrolments.LessonRef{}
	for _, l := range lessons {
		h.lessonsByID[l.ID] = l
		if l.Kind == courses.KindVideo {
			h.lesson = l
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	go func() { _ = e.srv.Serve(ln) }()
	b.Cleanup(func() { _ = e.srv.App().Shutdown() })
	h.url = "http://" + ln.Addr().String()
	h.client = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: benchLearners, MaxConnsPerHost: benchLearners, DisableCompression: true}}
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

// next is learner i's next heartbeat: 15 s more of the video played.
func (h *benchHeartbeats) next(i int) enrolments.Event {
	h.mu.Lock()
	k := h.beat[i]
	h.beat[i]++
	h.mu.Unlock()
	from := float64(k*15) - float64(k*15/benchVideoS*benchVideoS) // wraps round the video
	played := [2]float64{from, from + 15}
	return enrolments.Event{LessonID: h.lesson.ID, Seq: int64(k), At: time.Now().Add(-time.Second).UTC(), Kind: enrolments.EventHeartbeat,
		PositionS: from + 15, Played: &played, DurationS: benchVideoS, TimeSpentS: float64(k*15 + 15)}
}

// viaHTTP sends learner i's heartbeat to the API.
func (h *benchHeartbeats) viaHTTP(i int) error {
	ev := h.next(i)
	body, _ := json.Marshal(map[string]any{"events": []progressEventJSON{{LessonID: ev.LessonID, Seq: ev.Seq, At: ev.At, Kind: string(ev.Kind),
		PositionS: ev.PositionS, Played: ev.Played, DurationS: ev.DurationS, TimeSpentS: ev.TimeSpentS}}})
	req, _ := http.NewRequest(http.MethodPost, fmt.Sprintf("%s/api/v1/enrolments/%d/progress", h.url, h.enrolments[i]), bytes.NewReader(body))
	req.Header.Set("Authorization", h.auth[i])
	req.Header.Set("Content-Type", "application/json")
	resp, err := h.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err == nil && resp.StatusCode != http.StatusOK {
		err = fmt.Errorf("status %d: %s", resp.StatusCode, out)
	}
	return err
}

// viaPgx runs the same upsert for learner i's heartbeat with raw pgx: the
// batch folded as the use case folds it, its JSON, UpsertProgressSQL.
func (h *benchHeartbeats) viaPgx(i int) error {
	batch, err := enrolments.Fold([]enrolments.Event{h.next(i)}, h.lessonsByID, h.enrolledAt[i], time.Now(), enrolments.DefaultThreshold)
	if err != nil {
		return err
	}
	src, err := postgres.ProgressBatchJSON(batch)
	if err != nil {
		return err
	}
	rows, err := h.pool.Query(context.Background(), postgres.UpsertProgressSQL, h.enrolments[i], string(src), enrolments.DefaultThreshold)
	if err != nil {
		return err
	}
	for rows.Next() {
	}
	rows.Close()
	return rows.Err()
}

// run has the 200 learners send benchBeatsRound heartbeats each through f
// and returns every call's latency and the wall time of the whole run.
func (h *benchHeartbeats) run(b *testing.B, f func(int) error) ([]time.Duration, time.Duration) {
	return concurrently(b, benchLearners, benchBeatsRound, f)
}

// BenchmarkHeartbeatRatio measures, in each round, 200 learners × 10
// heartbeats through the API and the same upserts by 200 goroutines over
// raw pgx, in alternating order, and reports both throughputs, their
// ratio (the figure the target bounds) and both p99s.
func BenchmarkHeartbeatRatio(b *testing.B) {
	h := newBenchHeartbeats(b)
	// Both sides must store the same state before anything is timed: one
	// heartbeat each for two learners, read back.
	if err := h.viaHTTP(0); err != nil {
		b.Fatal(err)
	}
	if err := h.viaPgx(1); err != nil {
		b.Fatal(err)
	}
	var a, c string
	if err := h.e.db.SQL().QueryRow(`SELECT
		(SELECT concat_ws(',', lesson_id, last_position_s, time_spent_s, duration_s, watched) FROM lesson_progress WHERE enrolment_id = $1),
		(SELECT concat_ws(',', lesson_id, last_position_s, time_spent_s, duration_s, watched) FROM lesson_progress WHERE enrolment_id = $2)`,
		h.enrolments[0], h.enrolments[1]).Scan(&a, &c); err != nil || a != c || a == "" {
		b.Fatalf("the two sides store differently: API %q, pgx %q (%v)", a, c, err)
	}
	h.run(b, h.viaHTTP) // warm-up: connections, caches, plans (untimed)
	h.run(b, h.viaPgx)
	var apiLat, pgxLat []time.Duration
	var apiWall, pgxWall time.Duration
	round := 0
	for b.Loop() {
		sides := []struct {
			f    func(int) error
			lat  *[]time.Duration
			wall *time.Duration
		}{{h.viaHTTP, &apiLat, &apiWall}, {h.viaPgx, &pgxLat, &pgxWall}}
		if round%2 == 1 {
			sides[0], sides[1] = sides[1], sides[0]
		}
		for _, s := range sides {
			lat, wall := h.run(b, s.f)
			*s.lat, *s.wall = append(*s.lat, lat...), *s.wall+wall
		}
		round++
	}
	apiRate := float64(len(apiLat)) / apiWall.Seconds()
	pgxRate := float64(len(pgxLat)) / pgxWall.Seconds()
	b.ReportMetric(apiRate, "api-beats/s")
	b.ReportMetric(pgxRate, "pgx-beats/s")
	b.ReportMetric(apiRate/pgxRate, "throughput-ratio")
	b.ReportMetric(float64(percentile(apiLat, 99).Nanoseconds()), "api-p99-ns")
	b.ReportMetric(float64(percentile(pgxLat, 99).Nanoseconds()), "pgx-p99-ns")
	b.ReportMetric(float64(percentile(apiLat, 50).Nanoseconds()), "api-p50-ns")
	b.ReportMetric(float64(percentile(pgxLat, 50).Nanoseconds()), "pgx-p50-ns")
}
