package api

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"densach/domain"
	"densach/domain/attendance"
	"densach/storage/postgres"
	"densach/storage/postgres/pgtest"
)

// statementLog collects the SQL the slow-query log reports: with a
// threshold of a nanosecond, every statement (one round trip each).
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

// marksState is what the database holds of a session's marks and history.
func marksState(e *testEnv, session int64) string {
	e.t.Helper()
	rows, err := e.db.SQL().Query(`SELECT person_id, status, note, version FROM attendance_marks WHERE session_id = $1 ORDER BY person_id`, session)
	if err != nil {
		e.t.Fatal(err)
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var p int64
		var st, note string
		var v int
		if err := rows.Scan(&p, &st, &note, &v); err != nil {
			e.t.Fatal(err)
		}
		fmt.Fprintf(&b, "%d %s %q v%d; ", p, st, note, v)
	}
	fmt.Fprintf(&b, "events %d", e.exec(`SELECT count(*) FROM attendance_events WHERE session_id = $1`, session))
	return b.String()
}

// answerShape validates a decoded JSON answer against a component schema of
// the contract (kin-openapi, refs resolved): the screens are built on it.
func answerShape(t *testing.T, name string, v any) {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData(openAPIDocument)
	if err != nil {
		t.Fatal(err)
	}
	ref := doc.Components.Schemas[name]
	if ref == nil || ref.Value == nil {
		t.Fatalf("no schema %s", name)
	}
	if err := ref.Value.VisitJSON(v, openapi3.MultiErrors()); err != nil {
		t.Errorf("%s: %v\n%v", name, err, v)
	}
}

func jsonOf(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// TestAttendanceIdempotentReplays: a phone's queue of keyed batches sent
// three times, in any order, yields one set of marks; each replay answers
// the first answer.
func TestAttendanceIdempotentReplays(t *testing.T) {
	e := newTestEnv(t)
	w := e.w
	c := newAttendanceClass(t, e, w.CentreA1, w.TeacherA1.PersonID, []int{10}, "Lò Thị Ánh", "Đỗ Văn Bình", "Nguyễn Thị Cúc")
	tok := e.token(w.TeacherA1)
	path := fmt.Sprintf("/api/v1/sessions/%d/attendance", c.session)
	first := jsonOf(batchOf(c.learners, "present", 0))
	second := jsonOf(map[string]any{"device": "Điện thoại Android", "marks": []map[string]any{
		{"person_id": c.learners[1], "status": "late", "note": "Muộn 10 phút", "version": 1}}})
	third := jsonOf(map[string]any{"device": "Điện thoại Android", "marks": []map[string]any{
		{"person_id": c.learners[2], "status": "excused", "version": 1}}})
	queue := []struct{ key, body string }{{"q-1", first}, {"q-2", second}, {"q-3", third}}
	answers := map[string]string{}
	for _, i := range []int{0, 1, 2} {
		st, body, replayed := e.keyed("POST", path, tok, queue[i].key, queue[i].body)
		if st != 200 || replayed {
			t.Fatalf("%s: %d %s", queue[i].key, st, body)
		}
		answers[queue[i].key] = body
	}
	want := marksState(e, c.session)
	if !strings.Contains(want, "events 5") {
		t.Fatalf("after the queue: %s", want)
	}
	// The whole queue again, twice, in other orders.
	for _, order := range [][]int{{2, 0, 1}, {1, 2, 0, 0, 2}} {
		for _, i := range order {
			st, body, replayed := e.keyed("POST", path, tok, queue[i].key, queue[i].body)
			if st != 200 || !replayed || body != answers[queue[i].key] {
				t.Fatalf("replay of %s: %d replayed=%v %s\nfirst answer %s", queue[i].key, st, replayed, body, answers[queue[i].key])
			}
		}
		if got := marksState(e, c.session); got != want {
			t.Fatalf("after replays: %s\nwant %s", got, want)
		}
	}
	// The queue replayed without keys (the keys were lost) in reverse
	// order: the rows older than the marks conflict, nothing is applied
	// twice, the marks stay.
	st, body, _ := e.keyed("POST", path, tok, "", first)
	if st != 409 || !strings.Contains(body, `"key":"attendance_conflict"`) {
		t.Fatalf("first batch again without its key: %d %s", st, body)
	}
	if got := marksState(e, c.session); got != want {
		t.Fatalf("after a keyless replay: %s\nwant %s", got, want)
	}
}

// TestAttendanceRoundTrips: marking a session of 40 learners over HTTP
// costs ONE SQL round trip, with an Idempotency-Key (claimed, applied and
// its answer stored by the batch's one statement) or without; a replay
// and a refused keyed batch cost one too. (Until migration 00029 a keyed
// batch took three, its replay two.) The replay is the first answer, and
// the answer stored for it is compact (migration 00031).
func TestAttendanceRoundTrips(t *testing.T) {
	url := pgtest.NewDatabase(t)
	e := newTestEnvURL(t, url)
	w := e.w
	names := make([]string, 40)
	for i := range names {
		names[i] = fmt.Sprintf("Học Viên %02d", i)
	}
	c := newAttendanceClass(t, e, w.CentreA1, w.TeacherA1.PersonID, []int{10}, names...)
	log := &statementLog{}
	db, err := postgres.Open(url, postgres.WithSlowQueryLog(slog.New(log), time.Nanosecond))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	e.srv.Attendance = &attendance.Service{Store: postgres.NewAttendance(db), Classes: postgres.NewClasses(db)}
	e.srv.Idempotency = db
	tok := e.token(w.TeacherA1)
	path := fmt.Sprintf("/api/v1/sessions/%d/attendance", c.session)
	all := jsonOf(batchOf(c.learners, "present", 0))
	stale := jsonOf(batchOf(c.learners, "absent", 0))
	answers := map[string]string{}
	for _, x := range []struct {
		name, key, body string
		status          int
		max             int
	}{
		{"keyed", "k-1", all, 200, 1},
		{"replay", "k-1", all, 200, 1}, // the statement's claim finds the stored answer
		{"keyless", "", jsonOf(batchOf(c.learners, "present", 1)), 200, 1},
		{"stale", "k-2", stale, 409, 1},
	} {
		log.take()
		st, body, replayed := e.keyed("POST", path, tok, x.key, x.body)
		if st != x.status {
			t.Fatalf("%s: %d %s", x.name, st, body)
		}
		answers[x.name] = body
		if x.name == "replay" && (!replayed || body != answers["keyed"]) {
			t.Fatalf("replay: replayed=%v %s\nfirst answer %s", replayed, body, answers["keyed"])
		}
		stmts := log.take()
		if len(stmts) > x.max || len(stmts) == 0 {
			t.Fatalf("%s: %d round trips, want at most %d:\n%s", x.name, len(stmts), x.max, strings.Join(stmts, "\n"))
		}
		t.Logf("%s: %d round trips", x.name, len(stmts))
	}
	// The stored answer of 40 written rows is compact: under 2 KB, so
	// PostgreSQL keeps it inline, uncompressed (a compressed value is
	// smaller than its text).
	var size, stored int64
	var ctype string
	if err := e.db.SQL().QueryRow(`SELECT octet_length(body), pg_column_size(body), content_type FROM idempotency_keys WHERE key = 'k-1'`).
		Scan(&size, &stored, &ctype); err != nil {
		t.Fatal(err)
	}
	if size >= 2000 || stored < size || ctype != "application/vnd.densach.attendance-batch.v2+json" {
		t.Fatalf("stored answer of 40 rows: %d bytes, %d stored, %s", size, stored, ctype)
	}
	t.Logf("stored answer of 40 rows: %d bytes (%d stored); HTTP answer %d bytes", size, stored, len(answers["keyed"]))
}

// TestAttendanceHTTPAnswers: what a client meets — the bad row named, the
// conflicting marks with their current values, a session after today, the
// register and the grid.
func TestAttendanceHTTPAnswers(t *testing.T) {
	e := newTestEnv(t)
	w := e.w
	// Sessions on 10 and 12 November 2026 and one in January 2027 (to come).
	c := newAttendanceClass(t, e, w.CentreA1, w.TeacherA1.PersonID, []int{10, 12, 35}, "Lò Thị Ánh", "Đỗ Văn Bình")
	tok, mgr := e.token(w.TeacherA1), e.token(w.ManagerA1)
	path := fmt.Sprintf("/api/v1/sessions/%d/attendance", c.session)
	before := marksState(e, c.session)
	// One bad row: unknown status (the contract names it), nothing stored.
	bad := batchOf(c.learners, "present", 0)
	bad["marks"].([]map[string]any)[1]["status"] = "sick"
	st, out := e.call("POST", path, tok, bad)
	if st != 422 || !strings.Contains(jsonOf(out["fields"]), "marks") || !strings.Contains(jsonOf(out["fields"]), "status") {
		t.Fatalf("unknown status: %d %v", st, out)
	}
	// One bad row: a person not in the class.
	bad = batchOf(append(c.learners, w.ResidentA1), "present", 0)
	st, out = e.call("POST", path, tok, bad)
	fields, _ := out["fields"].([]any)
	if st != 422 || len(fields) != 1 || fields[0].(map[string]any)["field"] != "marks[2].person_id" || fields[0].(map[string]any)["code"] != "attendance_not_enrolled" {
		t.Fatalf("not enrolled: %d %v", st, out)
	}
	if marksState(e, c.session) != before {
		t.Fatal("a refused batch stored marks")
	}
	// The session of January: 409.
	var future int64 = e.exec(`SELECT id FROM class_sessions WHERE class_id = $1 ORDER BY starts_at DESC LIMIT 1`, c.class.ID)
	st, out = e.call("POST", fmt.Sprintf("/api/v1/sessions/%d/attendance", future), tok, batchOf(c.learners, "present", 0))
	if st != 409 || out["key"] != "attendance_session_future" {
		t.Fatalf("future session: %d %v", st, out)
	}
	// Marks, then a stale edit from the manager: 409 naming the mark.
	if st, out = e.call("POST", path, tok, batchOf(c.learners, "present", 0)); st != 200 || out["changed"] != float64(2) {
		t.Fatalf("mark: %d %v", st, out)
	}
	answerShape(t, "AttendanceBatchResult", out)
	// The marks a batch answers name who made them, as the register does
	// (the phone writes them into its cached roster).
	for _, m := range out["marks"].([]any) {
		if m.(map[string]any)["marked_by_name"] != "Trần Thị Giáo" {
			t.Fatalf("batch answer's mark without its author's name: %v", m)
		}
	}
	edit := map[string]any{"device": "máy tính", "marks": []map[string]any{{"person_id": c.learners[0], "status": "late", "note": "Đến muộn", "version": 1}}}
	if st, out = e.call("POST", path, tok, edit); st != 200 {
		t.Fatalf("edit: %d %v", st, out)
	}
	st, out = e.call("POST", path, mgr, map[string]any{"marks": []map[string]any{{"person_id": c.learners[0], "status": "absent", "version": 1}}})
	params, _ := out["params"].(map[string]any)
	if st != 409 || out["key"] != "attendance_conflict" || params == nil {
		t.Fatalf("stale edit: %d %v", st, out)
	}
	named := params["marks"].([]any)[0].(map[string]any)
	if named["status"] != "late" || named["note"] != "Đến muộn" || named["version"] != float64(2) || named["person_id"] != float64(c.learners[0]) ||
		named["marked_by_name"] != "Trần Thị Giáo" ||
		!strings.HasSuffix(named["marked_at"].(string), "+07:00") {
		t.Fatalf("conflict names: %v", named)
	}
	// The register.
	st, out = e.call("GET", path, mgr, nil)
	items, _ := out["items"].([]any)
	if st != 200 || out["editable"] != true || len(items) != 2 {
		t.Fatalf("register: %d %v", st, out)
	}
	answerShape(t, "SessionAttendance", out)
	first := items[0].(map[string]any)
	if first["name"] != "Lò Thị Ánh" || first["mark"].(map[string]any)["status"] != "late" || first["mark"].(map[string]any)["marked_by_name"] != "Trần Thị Giáo" {
		t.Fatalf("register row: %v", first)
	}
	// The history of Ánh: two changes, with the device.
	st, out = e.call("GET", fmt.Sprintf("%s/history?person_id=%d", path, c.learners[0]), mgr, nil)
	hist, _ := out["items"].([]any)
	if st != 200 || len(hist) != 2 || hist[1].(map[string]any)["from_status"] != "present" || hist[1].(map[string]any)["device"] != "máy tính" {
		t.Fatalf("history: %d %v", st, out)
	}
	answerShape(t, "AttendanceEventList", out)
	// The grid: 3 planned, 2 held (10 and 12 November), 1 to come; Ánh
	// late (1), Bình present (1), nobody marked on the 12th. Threshold 80 %
	// of 3 = 2.4: 1 + 1 = 2 < 2.4, so both cannot reach it.
	st, out = e.call("GET", fmt.Sprintf("/api/v1/classes/%d/attendance", c.class.ID), mgr, nil)
	if st != 200 || out["at_risk_count"] != float64(2) || len(out["sessions"].([]any)) != 3 {
		t.Fatalf("grid: %d %v", st, out)
	}
	answerShape(t, "AttendanceGrid", out)
	rate := out["learners"].([]any)[0].(map[string]any)["rate"].(map[string]any)
	if rate["planned"] != float64(3) || rate["held"] != float64(2) || rate["upcoming"] != float64(1) || rate["rate"] != 0.5 || rate["at_risk"] != "cannot_reach" {
		t.Fatalf("grid rate: %v", rate)
	}
	// The learner's own view: Ánh's two held sessions and the one to come.
	anh := e.exec(`INSERT INTO accounts (person_id, password_hash) VALUES ($1, 'x') RETURNING id`, c.learners[0])
	st, out = e.call("GET", "/api/v1/me/attendance", e.token(domain.Principal{AccountID: anh, PersonID: c.learners[0],
		Grants: []domain.Grant{{Role: domain.RoleLearner, Kind: domain.ScopeSelf}}}), nil)
	mine, _ := out["items"].([]any)
	if st != 200 || len(mine) != 1 || len(mine[0].(map[string]any)["sessions"].([]any)) != 3 ||
		mine[0].(map[string]any)["rate"].(map[string]any)["at_risk"] != "cannot_reach" {
		t.Fatalf("my attendance: %d %v", st, out)
	}
	answerShape(t, "MyAttendanceList", out)
	// The centre's weights: the defaults, then the manager's.
	st, out = e.call("GET", fmt.Sprintf("/api/v1/centres/%d/attendance-weights", w.CentreA1), tok, nil)
	if st != 200 || out["present"] != float64(1) || out["excused"] != float64(0) {
		t.Fatalf("weights: %d %v", st, out)
	}
	answerShape(t, "AttendanceWeights", out)
	st, out = e.call("PUT", fmt.Sprintf("/api/v1/centres/%d/attendance-weights", w.CentreA1), mgr, map[string]any{"present": 1, "late": 1, "excused": 1.5, "absent": 0})
	if st != 422 {
		t.Fatalf("weight 1.5: %d %v", st, out)
	}
}

// TestAttendanceKeyStates: the batch keeps its Idempotency-Key itself
// (ownsIdempotencyKey) and answers as the generic middleware does: the same
// key with another body 422 idempotency_key_reused, a refused batch keeps
// no key, a key whose write committed without its answer 409
// operation_answer_lost, a claim still running 409 operation_in_progress
// with Retry-After, an abandoned one or an expired key is taken over, an
// answer stored in 00029's format is still replayed, every replay is byte
// for byte the first answer, and duplicates sent at once (all waiting at
// the session's lock) apply once and all answer the first answer.
func TestAttendanceKeyStates(t *testing.T) {
	e := newTestEnv(t)
	w := e.w
	c := newAttendanceClass(t, e, w.CentreA1, w.TeacherA1.PersonID, []int{10, 12}, "Lò Thị Ánh", "Đỗ Văn Bình")
	tok := e.token(w.TeacherA1)
	path := fmt.Sprintf("/api/v1/sessions/%d/attendance", c.session)
	keys := func(k string) int64 { return e.exec(`SELECT count(*) FROM idempotency_keys WHERE key = $1`, k) }

	st, first, _ := e.keyed("POST", path, tok, "a-1", jsonOf(batchOf(c.learners, "present", 0)))
	if st != 200 || e.exec(`SELECT count(*) FROM idempotency_keys WHERE key = 'a-1' AND state = 'completed'`) != 1 {
		t.Fatalf("first: %d %s", st, first)
	}
	before := marksState(e, c.session)
	if st, raw, replayed := e.keyed("POST", path, tok, "a-1", jsonOf(batchOf(c.learners, "present", 0))); st != 200 || !replayed || raw != first {
		t.Fatalf("replay: %d replayed=%v %s\nfirst answer %s", st, replayed, raw, first)
	}
	st, raw, _ := e.keyed("POST", path, tok, "a-1", jsonOf(batchOf(c.learners, "late", 1)))
	if st != 422 || fieldCode(t, raw) != "Idempotency-Key/idempotency_key_reused" || marksState(e, c.session) != before {
		t.Fatalf("same key, other body: %d %s", st, raw)
	}

	// Refused (stale versions): the key is forgotten, the corrected batch
	// under the same key applies.
	st, raw, _ = e.keyed("POST", path, tok, "a-2", jsonOf(batchOf(c.learners, "absent", 0)))
	if st != 409 || !strings.Contains(raw, `"key":"attendance_conflict"`) || keys("a-2") != 0 || marksState(e, c.session) != before {
		t.Fatalf("stale: %d %s, %d keys", st, raw, keys("a-2"))
	}
	st, raw, replayed := e.keyed("POST", path, tok, "a-2", jsonOf(batchOf(c.learners, "absent", 1)))
	if st != 200 || replayed || !strings.Contains(raw, `"changed":2`) {
		t.Fatalf("corrected under the same key: %d replayed=%v %s", st, replayed, raw)
	}

	// The states a crash of the generic path leaves.
	body := jsonOf(batchOf(c.learners, "late", 2))
	st, raw, _ = e.keyed("POST", path, tok, "a-3", body)
	if st != 200 {
		t.Fatalf("a-3: %d %s", st, raw)
	}
	e.exec(`UPDATE idempotency_keys SET state = 'committed', status = NULL, content_type = NULL, body = NULL WHERE key = 'a-3'`)
	if st, raw, _ = e.keyed("POST", path, tok, "a-3", body); st != 409 || !strings.Contains(raw, `"key":"operation_answer_lost"`) {
		t.Fatalf("committed without answer: %d %s", st, raw)
	}
	e.exec(`UPDATE idempotency_keys SET state = 'pending', claimed_at = now() WHERE key = 'a-3'`)
	req := httptest.NewRequest("POST", path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set(HeaderIdempotencyKey, "a-3")
	resp, err := e.srv.App().Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 409 || resp.Header.Get("Retry-After") != "1" {
		t.Fatalf("pending: %d Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	// Abandoned (its lease is over): taken over; the marks are already
	// so, nothing changes, the answer is stored.
	e.exec(`UPDATE idempotency_keys SET claimed_at = now() - interval '1 hour' WHERE key = 'a-3'`)
	if st, raw, replayed = e.keyed("POST", path, tok, "a-3", body); st != 200 || replayed || !strings.Contains(raw, `"changed":0`) {
		t.Fatalf("abandoned claim: %d replayed=%v %s", st, replayed, raw)
	}
	if st, again, replayed := e.keyed("POST", path, tok, "a-3", body); st != 200 || !replayed || again != raw {
		t.Fatalf("replay of the taken-over key: %d replayed=%v %s\nfirst answer %s", st, replayed, again, raw)
	}
	// Expired (older than its TTL), with another request's fingerprint:
	// taken over too, its row overwritten with the new answer.
	e.exec(`UPDATE idempotency_keys SET created_at = now() - interval '25 hours', fingerprint = '\x00' WHERE key = 'a-3'`)
	if st, again, replayed := e.keyed("POST", path, tok, "a-3", body); st != 200 || replayed || again != raw ||
		e.exec(`SELECT count(*) FROM idempotency_keys WHERE key = 'a-3' AND state = 'completed' AND created_at > now() - interval '1 minute'`) != 1 {
		t.Fatalf("expired key: %d replayed=%v %s", st, replayed, again)
	}

	// An answer stored by migration 00029 (its content type, its rows with
	// person, outcome, status and note) is still replayed, byte for byte
	// the answer the batch gave.
	v1body := jsonOf(batchOf(c.learners, "absent", 3))
	st, v1first, _ := e.keyed("POST", path, tok, "a-5", v1body)
	if st != 200 || !strings.Contains(v1first, `"changed":2`) {
		t.Fatalf("a-5: %d %s", st, v1first)
	}
	if e.exec(`UPDATE idempotency_keys k SET content_type = 'application/vnd.densach.attendance-batch+json', body = convert_to((
		SELECT json_build_object('found', true, 'class_id', cs.class_id, 'centre_id', c.centre_id, 'status', cs.status, 'starts_at', cs.starts_at,
			'allowed', true, 'applied', true,
			'written', (SELECT json_build_object('source', source, 'marked_by', marked_by, 'marked_at', marked_at, 'device', device)
				FROM attendance_marks WHERE session_id = cs.id LIMIT 1),
			'rows', (SELECT json_agg(json_build_object('n', array_position($2::bigint[], m.person_id), 'person_id', m.person_id,
					'enrolment_id', m.enrolment_id, 'outcome', 'changed', 'status', m.status, 'note', m.note, 'version', m.version, 'written', true)
				ORDER BY array_position($2::bigint[], m.person_id))
				FROM attendance_marks m WHERE m.session_id = cs.id))
		FROM class_sessions cs JOIN classes c ON c.id = cs.class_id WHERE cs.id = $1)::text, 'UTF8')
		WHERE key = 'a-5' RETURNING 1`, c.session, "{"+strings.ReplaceAll(strings.Trim(fmt.Sprint(c.learners), "[]"), " ", ",")+"}") != 1 {
		t.Fatal("a-5's answer not rewritten in 00029's format")
	}
	// 00029's answers did not name the marks' author (00031 added it): its
	// replay is the answer 00029 gave, without the name.
	v1answer := strings.ReplaceAll(v1first, `"marked_by_name":"Trần Thị Giáo"`, `"marked_by_name":""`)
	if v1answer == v1first {
		t.Fatalf("a-5's first answer does not name its author: %s", v1first)
	}
	if st, raw, replayed = e.keyed("POST", path, tok, "a-5", v1body); st != 200 || !replayed || raw != v1answer {
		t.Fatalf("replay of an answer stored by 00029: %d replayed=%v %s\nits answer %s", st, replayed, raw, v1answer)
	}

	// Eight duplicates at once on the other session: one applies, the
	// others wait for its commit and replay its answer.
	other := e.exec(`SELECT id FROM class_sessions WHERE class_id = (SELECT class_id FROM class_sessions WHERE id = $1) AND id <> $1 ORDER BY starts_at LIMIT 1`, c.session)
	opath := fmt.Sprintf("/api/v1/sessions/%d/attendance", other)
	obody := jsonOf(batchOf(c.learners, "excused", 0))
	var wg sync.WaitGroup
	type answer struct {
		st       int
		body     string
		replayed bool
	}
	answers := make([]answer, 8)
	// The session row held meanwhile, so that all eight are in the
	// database, waiting, before any goes on.
	hold, err := e.db.SQL().Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer hold.Rollback()
	if _, err := hold.Exec(`SELECT 1 FROM class_sessions WHERE id = $1 FOR UPDATE`, other); err != nil {
		t.Fatal(err)
	}
	for i := range answers {
		wg.Go(func() {
			st, body, replayed := e.keyed("POST", opath, tok, "a-4", obody)
			answers[i] = answer{st, body, replayed}
		})
	}
	for waiting, deadline := int64(0), time.Now().Add(20*time.Second); waiting < int64(len(answers)); {
		if time.Now().After(deadline) {
			t.Fatalf("duplicates: %d of %d waiting at the session's lock", waiting, len(answers))
		}
		time.Sleep(10 * time.Millisecond)
		waiting = e.exec(`SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`)
	}
	if err := hold.Commit(); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	fresh := 0
	for _, a := range answers {
		if a.st != 200 || a.body != answers[0].body {
			t.Fatalf("duplicates: %+v", answers)
		}
		if !a.replayed {
			fresh++
		}
	}
	if fresh != 1 || e.exec(`SELECT count(*) FROM attendance_events WHERE session_id = $1`, other) != 2 {
		t.Fatalf("duplicates: %d not replayed, %d events", fresh, e.exec(`SELECT count(*) FROM attendance_events WHERE session_id = $1`, other))
	}
}
