package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"densach/api"
	"densach/domain"
	"densach/storage/postgres/pgtest"
)

// killBatch is one attendance batch a teacher sends: its key, its note
// (which names it in the marks and the history) and its body.
type killBatch struct {
	teacher int
	key     string
	note    string
	body    []byte
}

// TestAttendanceBatchesSurviveKill9 (issue 12, Bad input and faults):
// killing the real server binary with SIGKILL in the middle of attendance
// batches leaves each batch whole or absent, and every acknowledged batch
// is there after the restart. Teachers mark their sessions concurrently
// (40 learners each, an Idempotency-Key per batch) until some batches are
// acknowledged; the server is killed while the others are in flight and
// started again. Then every batch stored is whole (40 history rows and, for
// the session's latest, all 40 marks), every acknowledged one is stored,
// and replaying each batch that was in doubt under its key (what the
// phone's queue does) leaves it stored exactly once: answered from the
// stored answer, 409 operation_answer_lost when it had committed without
// one, or applied then when it had not committed.
func TestAttendanceBatchesSurviveKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the server binary")
	}
	const teachers, learners = 8, 40
	w := pgtest.NewWorld(t)
	db := w.DB.SQL()
	bin := filepath.Join(t.TempDir(), "densach")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	one := func(q string, args ...any) int64 {
		t.Helper()
		var id int64
		if err := db.QueryRow(q, args...).Scan(&id); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return id
	}
	admin := one(`INSERT INTO people (full_name, given_name, sort_key, search_exact, search_folded, commune_id)
		VALUES ('Quản trị', 'x', convert_to('Quản trị', 'UTF8'), 'x', 'x', $1) RETURNING id`, w.CommA1)
	course := pgtest.InsertCourse(t, db, pgtest.Course{CentreID: w.CentreA1, Title: "Kỹ năng số", Lessons: 1, CreatedBy: admin})
	env := map[string]string{
		"DENSACH_ENV":      "development",
		"ADDR":             freeAddr(t),
		"DATABASE_URL":     w.URL,
		"MINIO_ENDPOINT":   freeAddr(t), // MinIO is not needed (TestServeStartsWithMinIODown)
		"JWT_SIGNING_KEYS": "t1:kill-test-signing-key-0123456789-abcdef",
		"JOBS_WORKERS":     "false",
		"REQUEST_TIMEOUT":  "2s", // an abandoned key's lease is twice this
		"LOG_LEVEL":        "warn",
	}
	cfg, err := loadConfig(envOf(env))
	if err != nil {
		t.Fatal(err)
	}
	tokens, err := api.NewTokens(cfg.Tokens)
	if err != nil {
		t.Fatal(err)
	}
	type teacher struct {
		auth     string
		session  int64
		learners []int64
	}
	ts := make([]teacher, teachers)
	for i := range ts {
		p := one(`INSERT INTO people (full_name, given_name, sort_key, search_exact, search_folded, commune_id)
			VALUES ($1, 'x', convert_to($1, 'UTF8'), 'x', 'x', $2) RETURNING id`, fmt.Sprintf("Giáo viên %02d", i), w.CommA1)
		acct := one(`INSERT INTO accounts (person_id, password_hash) VALUES ($1, 'x') RETURNING id`, p)
		grant := one(`INSERT INTO role_grants (person_id, role, centre_id) VALUES ($1, 'teacher', $2) RETURNING id`, p, w.CentreA1)
		class := one(`INSERT INTO classes (centre_id, course_id, version_id, title, mode, capacity, starts_on, ends_on, meeting_url, status, created_by)
			VALUES ($1, $2, $3, $4, 'online', 100, '2026-11-01', '2026-11-30', 'https://meet.example.org/x', 'running', $5) RETURNING id`,
			w.CentreA1, course.ID, course.VersionID, fmt.Sprintf("Lớp %02d", i), admin)
		if _, err := db.Exec(`INSERT INTO class_teachers (class_id, person_id, position) VALUES ($1, $2, 0)`, class, p); err != nil {
			t.Fatal(err)
		}
		ts[i].session = one(`INSERT INTO class_sessions (class_id, starts_at, ends_at, mode, teacher_id, meeting_url)
			VALUES ($1, '2026-11-10 12:00Z', '2026-11-10 13:00Z', 'online', $2, 'https://meet.example.org/x') RETURNING id`, class, p)
		rows, err := db.Query(`WITH p AS (INSERT INTO people (full_name, given_name, sort_key, search_exact, search_folded, commune_id)
				SELECT 'Học viên ' || $1::int || '-' || g, 'x', convert_to(lpad(g::text, 4, '0'), 'UTF8'), 'x', 'x', $2 FROM generate_series(1, $3) g RETURNING id)
			INSERT INTO enrolments (person_id, course_id, version_id, class_id, status, source, enrolled_by)
			SELECT id, $4, $5, $6, 'active', 'staff', $7 FROM p RETURNING person_id`, i, w.CommA1, learners, course.ID, course.VersionID, class, admin)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				t.Fatal(err)
			}
			ts[i].learners = append(ts[i].learners, id)
		}
		rows.Close()
		tok, err := tokens.Issue(domain.Principal{AccountID: acct, PersonID: p, Grants: []domain.Grant{{ID: grant, Role: domain.RoleTeacher,
			Kind: domain.ScopeCentre, PersonID: p, CentreID: w.CentreA1, CommuneID: w.CommA1, ProvinceID: w.ProvA}}})
		if err != nil {
			t.Fatal(err)
		}
		ts[i].auth = "Bearer " + tok
	}

	base := "http://" + env["ADDR"]
	client := &http.Client{Timeout: 10 * time.Second}
	var logs bytes.Buffer
	var logMu sync.Mutex
	start := func() *exec.Cmd {
		t.Helper()
		cmd := exec.Command(bin, "serve")
		cmd.Env = os.Environ()
		for k, v := range env {
			cmd.Env = append(cmd.Env, k+"="+v)
		}
		cmd.Stdout, cmd.Stderr = lockedWriter{&logMu, &logs}, lockedWriter{&logMu, &logs}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
		for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
			if resp, err := client.Get(base + "/healthz"); err == nil {
				resp.Body.Close()
				if resp.StatusCode == http.StatusOK {
					return cmd
				}
			}
			if time.Now().After(deadline) {
				logMu.Lock()
				defer logMu.Unlock()
				t.Fatalf("the server did not answer /healthz within 30 s:\n%s", logs.String())
			}
		}
	}
	send := func(b killBatch) (int, []byte, error) {
		req, _ := http.NewRequest(http.MethodPost, fmt.Sprintf("%s/api/v1/sessions/%d/attendance", base, ts[b.teacher].session), bytes.NewReader(b.body))
		req.Header.Set("Authorization", ts[b.teacher].auth)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set(api.HeaderIdempotencyKey, b.key)
		resp, err := client.Do(req)
		if err != nil {
			return 0, nil, err
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		return resp.StatusCode, body, err
	}
	// versions reads the marks' versions from a batch's answer: what the
	// phone holds for its next batch (so that a teacher is nearly always
	// in a POST, and the kill finds batches in flight).
	versions := func(answer []byte) (map[int64]int, error) {
		var r struct {
			Marks []struct {
				PersonID int64 `json:"person_id"`
				Version  int   `json:"version"`
			} `json:"marks"`
		}
		if err := json.Unmarshal(answer, &r); err != nil {
			return nil, err
		}
		out := map[int64]int{}
		for _, m := range r.Marks {
			out[m.PersonID] = m.Version
		}
		return out, nil
	}
	batch := func(i, k int, v map[int64]int) killBatch {
		note := fmt.Sprintf("t%d-b%d", i, k)
		type mark struct {
			PersonID int64  `json:"person_id"`
			Status   string `json:"status"`
			Note     string `json:"note"`
			Version  int    `json:"version"`
		}
		marks := make([]mark, len(ts[i].learners))
		for j, p := range ts[i].learners {
			marks[j] = mark{PersonID: p, Status: [2]string{"present", "absent"}[k%2], Note: note, Version: v[p]}
		}
		body, _ := json.Marshal(map[string]any{"device": "Điện thoại Android", "marks": marks})
		return killBatch{teacher: i, key: "kill-" + note, note: note, body: body}
	}

	server := start()
	var mu sync.Mutex
	acked := map[string]bool{}
	var doubt []killBatch // sent, no answer (the server died)
	killAfter := 3 * teachers
	killed := make(chan struct{})
	var once sync.Once
	var wg sync.WaitGroup
	for i := range ts {
		wg.Go(func() {
			v := map[int64]int{} // the session starts unmarked
			for k := 0; ; k++ {
				b := batch(i, k, v)
				status, body, err := send(b)
				mu.Lock()
				switch {
				case err != nil:
					doubt = append(doubt, b)
					mu.Unlock()
					return
				case status == http.StatusOK:
					acked[b.note] = true
					if v, err = versions(body); err != nil {
						mu.Unlock()
						t.Errorf("batch %s: answer %s: %v", b.note, body, err)
						return
					}
				default:
					mu.Unlock()
					t.Errorf("batch %s: status %d: %s", b.note, status, body)
					return
				}
				n := len(acked)
				mu.Unlock()
				if n >= killAfter {
					// Kill while the other teachers' batches are in flight.
					once.Do(func() {
						_ = server.Process.Signal(syscall.SIGKILL)
						_ = server.Wait()
						close(killed)
					})
				}
			}
		})
	}
	wg.Wait()
	select {
	case <-killed:
	default:
		t.Fatal("the server was never killed")
	}
	if t.Failed() {
		return
	}

	// Restarted, the server finds every batch whole or absent.
	start()
	check := func(when string) map[string]int {
		t.Helper()
		rows, err := db.Query(`SELECT to_note, count(*) FROM attendance_events GROUP BY to_note`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		stored := map[string]int{}
		for rows.Next() {
			var note string
			var n int
			if err := rows.Scan(&note, &n); err != nil {
				t.Fatal(err)
			}
			stored[note] = n
			if n != learners {
				t.Errorf("%s: batch %s has %d of %d history rows", when, note, n, learners)
			}
		}
		for note := range acked {
			if stored[note] == 0 {
				t.Errorf("%s: acknowledged batch %s is not stored", when, note)
			}
		}
		for i, x := range ts {
			var notes, marks int
			if err := db.QueryRow(`SELECT count(DISTINCT note), count(*) FROM attendance_marks WHERE session_id = $1`, x.session).Scan(&notes, &marks); err != nil {
				t.Fatal(err)
			}
			if notes > 1 || (marks != 0 && marks != learners) {
				t.Errorf("%s: teacher %d's session holds %d marks of %d batches", when, i, marks, notes)
			}
		}
		return stored
	}
	stored := check("after the restart")
	inDoubtStored := 0
	for _, b := range doubt {
		if stored[b.note] > 0 {
			inDoubtStored++
		}
	}

	// The phone's queue replays each batch in doubt under its key: stored
	// once whatever happened before the kill. A key still held by the
	// killed request answers 409 with Retry-After until its lease ends.
	replayed := map[string]string{}
	for _, b := range doubt {
		for deadline := time.Now().Add(20 * time.Second); ; {
			status, body, err := send(b)
			if err != nil {
				t.Fatalf("replay %s: %v", b.note, err)
			}
			var e struct {
				Code string `json:"key"` // the error's key (its "code" is the HTTP family)
			}
			_ = json.Unmarshal(body, &e)
			if status == http.StatusConflict && e.Code == "operation_in_progress" && time.Now().Before(deadline) {
				time.Sleep(time.Second) // the server's Retry-After
				continue
			}
			if status != http.StatusOK && !(status == http.StatusConflict && e.Code == "operation_answer_lost") {
				t.Errorf("replay %s: status %d: %s", b.note, status, body)
			}
			replayed[b.note] = strconv.Itoa(status) + " " + e.Code
			break
		}
	}
	after := check("after the replays")
	for _, b := range doubt {
		if after[b.note] != learners {
			t.Errorf("batch %s in doubt: %d history rows after its replay (%s), want %d", b.note, after[b.note], replayed[b.note], learners)
		}
	}
	t.Logf("%d batches acknowledged before the kill, %d in flight when it came (%d of them had committed), replays: %v",
		len(acked), len(doubt), inDoubtStored, replayed)
	if len(doubt) == 0 {
		t.Error("no batch was in flight when the server was killed")
	}
}

// lockedWriter serializes writes from the server's stdout and stderr.
type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
