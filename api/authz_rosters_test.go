package api

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"densach/domain"
	"densach/domain/classes"
)

// TestOpenAPIRosterSchemasMatchJSON: each roster schema has exactly the
// JSON names of its Go type.
func TestOpenAPIRosterSchemasMatchJSON(t *testing.T) {
	doc := parseOpenAPI(t)
	checkSchemasMatch(t, doc, map[string]any{
		"EnrolmentOverlap": overlapJSON{}, "ClassEnrolment": classEnrolmentJSON{}, "ClassEnrolmentCreate": classEnrolRequest{},
		"ClassRoster": classRosterJSON{}, "EnrolmentEvent": enrolmentEventJSON{}, "ClassImportResult": classImportJSON{},
		"NextSession": nextSessionJSON{}, "MyClass": myClassJSON{}, "OpenClass": openClassJSON{},
	})
}

// rosterScope is a class of one centre with its teacher and the commune
// its learners live in.
type rosterScope struct {
	class   classes.Class
	commune int64
	centre  int64
}

func rosterSetup(t *testing.T, e *testEnv, centre, commune, teacher int64, capacity int) *rosterScope {
	t.Helper()
	ctx := context.Background()
	cs := e.srv.Classes
	d := publishedCourse(t, e, centre)
	in := classes.ClassInput{CentreID: centre, CourseID: d.ID, Title: "Lớp tin học cho bà con", Mode: classes.ModeOnline, Capacity: capacity,
		StartsOn: time.Now().AddDate(0, 0, -7).UTC().Truncate(24 * time.Hour), EndsOn: time.Now().AddDate(0, 2, 0).UTC().Truncate(24 * time.Hour),
		MeetingURL: "https://meet.example.org/x", TeacherIDs: []int64{teacher}}
	c, err := cs.CreateClass(ctx, e.w.Admin, in)
	if err != nil {
		t.Fatal(err)
	}
	in.Status = classes.StatusOpen
	if c, err = cs.UpdateClass(ctx, e.w.Admin, c.ID, in); err != nil {
		t.Fatal(err)
	}
	return &rosterScope{class: c, commune: commune, centre: centre}
}

// rosterLearner stores a learner of the scope's centre living in its commune.
func rosterLearner(e *testEnv, sc *rosterScope, n int) int64 {
	id := e.exec(`INSERT INTO people (full_name, given_name, sort_key, search_exact, search_folded, commune_id)
		VALUES ($1, 'Học', 'hoc', 'học', 'hoc', $2) RETURNING id`, fmt.Sprintf("Học Viên %d", n), sc.commune)
	e.exec(`INSERT INTO role_grants (person_id, role, centre_id) VALUES ($1, 'learner', $2)`, id, sc.centre)
	return id
}

// TestAuthzRosters is the authorization table of the roster endpoints over
// HTTP: every role on a class of centre A1 (own scope) and of centre B1
// (foreign).
func TestAuthzRosters(t *testing.T) {
	e := newTestEnv(t)
	w := e.w
	ctx := context.Background()
	roles, tokens := authzCallers(e)
	teacherB1 := e.exec(`INSERT INTO people (full_name, given_name, sort_key, search_exact, search_folded, commune_id)
		VALUES ('Lò Văn Dạy', 'Dạy', 'day lo van', 'lò văn dạy', 'lo van day', $1) RETURNING id`, w.CommB1)
	e.exec(`INSERT INTO role_grants (person_id, role, centre_id) VALUES ($1, 'teacher', $2)`, teacherB1, w.CentreB1)
	a1 := rosterSetup(t, e, w.CentreA1, w.CommA1, w.TeacherA1.PersonID, 500)
	b1 := rosterSetup(t, e, w.CentreB1, w.CommB1, teacherB1, 500)
	n := 0
	learner := func(sc *rosterScope) int64 { n++; return rosterLearner(e, sc, n) }
	enrolment := func(sc *rosterScope) int64 {
		t.Helper()
		en, err := e.srv.Enrolments.EnrolInClass(ctx, w.Admin, sc.class.ID, learner(sc))
		if err != nil {
			t.Fatal(err)
		}
		return en.ID
	}
	// Columns: admin, officer A, officer A1, manager A1, teacher A1 (the
	// class's teacher), learner A1, manager B1, no token.
	var (
		everyone = [8]int{200, 200, 200, 200, 200, 200, 200, 401}
		staffA1  = [8]int{201, 403, 403, 201, 201, 403, 404, 401}
		staffB1  = [8]int{201, 404, 404, 404, 404, 404, 201, 401}
		selfA1   = [8]int{201, 201, 201, 201, 201, 201, 404, 401}
		selfB1   = [8]int{201, 404, 404, 404, 404, 404, 201, 401}
		readA1   = [8]int{200, 200, 200, 200, 200, 403, 404, 401}
		readB1   = [8]int{200, 404, 404, 404, 404, 404, 200, 401}
		importA1 = [8]int{200, 403, 403, 200, 403, 403, 404, 401}
		importB1 = [8]int{200, 404, 404, 404, 404, 404, 200, 401}
		followA1 = [8]int{200, 200, 200, 200, 200, 404, 404, 401}
		withdrA1 = [8]int{200, 403, 403, 200, 200, 404, 404, 401}
	)
	type req struct {
		method, path string
		body         any
		csv          string
	}
	rows := []struct {
		name   string
		call   func(sc *rosterScope) req
		a1, b1 [8]int
	}{
		{"enrol_someone", func(sc *rosterScope) req {
			return req{"POST", fmt.Sprintf("/api/v1/classes/%d/enrolments", sc.class.ID), map[string]any{"person_id": learner(sc)}, ""}
		}, staffA1, staffB1},
		{"enrol_myself", func(sc *rosterScope) req {
			return req{"POST", fmt.Sprintf("/api/v1/classes/%d/enrolments", sc.class.ID), map[string]any{}, ""}
		}, selfA1, selfB1},
		{"roster", func(sc *rosterScope) req {
			return req{"GET", fmt.Sprintf("/api/v1/classes/%d/enrolments", sc.class.ID), nil, ""}
		}, readA1, readB1},
		{"import_dry_run", func(sc *rosterScope) req {
			n++
			return req{"POST", fmt.Sprintf("/api/v1/classes/%d/enrolments/import?dry_run=true", sc.class.ID), nil,
				fmt.Sprintf("Họ và tên,Số điện thoại,Năm sinh\nNgười Nhập,09870%05d,1990\n", n)}
		}, importA1, importB1},
		{"events", func(sc *rosterScope) req {
			return req{"GET", fmt.Sprintf("/api/v1/enrolments/%d/events", enrolment(sc)), nil, ""}
		}, followA1, readB1},
		{"withdraw", func(sc *rosterScope) req {
			return req{"POST", fmt.Sprintf("/api/v1/enrolments/%d/withdraw", enrolment(sc)), map[string]any{"reason": "Đi làm xa"}, ""}
		}, withdrA1, readB1},
		{"my_classes", func(sc *rosterScope) req { return req{"GET", "/api/v1/me/classes", nil, ""} }, everyone, everyone},
		{"open_classes", func(sc *rosterScope) req { return req{"GET", "/api/v1/classes/open", nil, ""} }, everyone, everyone},
		{"my_sessions", func(sc *rosterScope) req { return req{"GET", "/api/v1/me/sessions", nil, ""} }, everyone, everyone},
	}
	for _, r := range rows {
		for _, tg := range []struct {
			name string
			sc   *rosterScope
			want [8]int
		}{{"centre_A1", a1, r.a1}, {"foreign_centre_B1", b1, r.b1}} {
			for i := range roles {
				t.Run(r.name+"/"+tg.name+"/"+roles[i].name, func(t *testing.T) {
					q := r.call(tg.sc)
					var status int
					var out map[string]any
					if q.csv != "" {
						hr := httptest.NewRequest(q.method, q.path, strings.NewReader(q.csv))
						hr.Header.Set("Content-Type", "text/csv")
						if tokens[i] != "" {
							hr.Header.Set("Authorization", "Bearer "+tokens[i])
						}
						status, out = e.do(hr)
					} else {
						status, out = e.call(q.method, q.path, tokens[i], q.body)
					}
					if status != tg.want[i] {
						t.Fatalf("%s %s: %d %v, want %d", q.method, q.path, status, out, tg.want[i])
					}
				})
			}
		}
	}
}

// TestRostersHTTP walks the contract: a full class waitlists (201), the
// roster shows the waitlist, a withdrawal promotes the first waiting, the
// history names the system, and the learner sees their classes and
// sessions (role learner).
func TestRostersHTTP(t *testing.T) {
	e := newTestEnv(t)
	w := e.w
	ctx := context.Background()
	sc := rosterSetup(t, e, w.CentreA1, w.CommA1, w.TeacherA1.PersonID, 1)
	at := time.Now().Add(72 * time.Hour).Truncate(time.Hour)
	if _, err := e.srv.Classes.AddSession(ctx, w.Admin, sc.class.ID, classes.SessionInput{StartsAt: at, EndsAt: at.Add(time.Hour), Mode: classes.ModeOnline,
		TeacherID: w.TeacherA1.PersonID}); err != nil {
		t.Fatal(err)
	}
	mgr := e.token(w.ManagerA1)
	path := fmt.Sprintf("/api/v1/classes/%d/enrolments", sc.class.ID)
	first, second := rosterLearner(e, sc, 1), rosterLearner(e, sc, 2)
	st, a := e.call("POST", path, mgr, map[string]any{"person_id": first})
	if st != 201 || a["status"] != "active" || a["waitlist_position"] != nil || a["version_id"] != float64(sc.class.VersionID) {
		t.Fatalf("first: %d %v", st, a)
	}
	st, b := e.call("POST", path, mgr, map[string]any{"person_id": second})
	if st != 201 || b["status"] != "waitlisted" || b["waitlist_position"] != float64(1) {
		t.Fatalf("second: %d %v", st, b)
	}
	checkSchema(t, "ClassEnrolment", b)
	if st, out := e.call("POST", path, mgr, map[string]any{"person_id": second}); st != 409 || out["key"] != "enrolment_exists" {
		t.Fatalf("twice: %d %v", st, out)
	}
	st, r := e.call("GET", path, mgr, nil)
	if st != 200 || len(r["items"].([]any)) != 1 || len(r["waitlist"].([]any)) != 1 || r["seats_left"] != float64(0) || r["capacity"] != float64(1) {
		t.Fatalf("roster: %d %v", st, r)
	}
	checkSchema(t, "ClassRoster", r)
	st, out := e.call("POST", fmt.Sprintf("/api/v1/enrolments/%v/withdraw", a["id"]), mgr, map[string]any{"reason": "Chuyển đi"})
	if st != 200 || out["status"] != "withdrawn" {
		t.Fatalf("withdraw: %d %v", st, out)
	}
	st, ev := e.call("GET", fmt.Sprintf("/api/v1/enrolments/%v/events", b["id"]), mgr, nil)
	items, _ := ev["items"].([]any)
	if st != 200 || len(items) != 2 {
		t.Fatalf("events: %d %v", st, ev)
	}
	checkSchema(t, "EnrolmentEventList", ev)
	if last := items[1].(map[string]any); last["status"] != "active" || last["by_id"] != nil || last["reason"] != "waitlist_promotion" {
		t.Fatalf("promotion event: %v", last)
	}
	// The promoted learner signs in: my classes, my sessions.
	tok := e.token(learnerPrincipal(e, second))
	st, mine := e.call("GET", "/api/v1/me/classes", tok, nil)
	list, _ := mine["items"].([]any)
	if st != 200 || len(list) != 1 {
		t.Fatalf("my classes: %d %v", st, mine)
	}
	checkSchema(t, "MyClassList", mine)
	if m := list[0].(map[string]any); m["status"] != "active" || m["next_session"] == nil || m["centre_name"] == "" {
		t.Fatalf("my class: %v", m)
	}
	st, ss := e.call("GET", "/api/v1/me/sessions", tok, nil)
	sl, _ := ss["items"].([]any)
	if st != 200 || len(sl) != 1 || sl[0].(map[string]any)["role"] != "learner" {
		t.Fatalf("my sessions: %d %v", st, ss)
	}
	checkSchema(t, "MySessionList", ss)
	st, ss = e.call("GET", "/api/v1/me/sessions", e.token(w.TeacherA1), nil)
	sl, _ = ss["items"].([]any)
	if st != 200 || len(sl) != 1 || sl[0].(map[string]any)["role"] != "teacher" {
		t.Fatalf("teacher's sessions: %d %v", st, ss)
	}
	st, open := e.call("GET", "/api/v1/classes/open", tok, nil)
	ol, _ := open["items"].([]any)
	if st != 200 || len(ol) != 1 || ol[0].(map[string]any)["my_status"] != "active" || ol[0].(map[string]any)["near"] != "commune" {
		t.Fatalf("open classes: %d %v", st, open)
	}
	checkSchema(t, "OpenClassList", open)
	// The import: a CSV body, the report's counts.
	hr := httptest.NewRequest("POST", path+"/import", strings.NewReader("\ufeffHọ và tên;Số điện thoại;Năm sinh;Giới tính;Dân tộc;Thôn\r\nLò Thị Én;0977000111;1992;Nữ;Thái;Bản Hon\r\nSai;12;1992;Nữ;Thái;Bản Hon\r\n"))
	hr.Header.Set("Content-Type", "text/csv")
	hr.Header.Set("Authorization", "Bearer "+mgr)
	st, rep := e.do(hr)
	if st != 200 || rep["created"] != float64(1) || rep["waitlisted"] != float64(1) || rep["failed"] != float64(1) || len(rep["errors"].([]any)) != 1 {
		t.Fatalf("import: %d %v", st, rep)
	}
	checkSchema(t, "ClassImportResult", rep)
}

// learnerPrincipal gives a learner of centre A1 (see rosterLearner) an
// account and the principal its sign-in derives.
func learnerPrincipal(e *testEnv, personID int64) domain.Principal {
	acct := e.exec(`INSERT INTO accounts (person_id, password_hash) VALUES ($1, 'x') RETURNING id`, personID)
	w := e.w
	return domain.Principal{AccountID: acct, PersonID: personID, Grants: []domain.Grant{{Role: domain.RoleLearner, Kind: domain.ScopeCentre,
		CentreID: w.CentreA1, CommuneID: w.CommA1, ProvinceID: w.ProvA}}}
}

// checkSchema validates a decoded JSON answer against a component schema of
// the contract (kin-openapi, refs resolved), so that the answers the
// screens are built against keep the contract's shape.
func checkSchema(t *testing.T, name string, v any) {
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
