package api

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"densach/domain"
)

// authzRoles are the callers of every authorization table, in the order of
// the want columns; a nil principal sends no token.
func authzRoles(w world) []struct {
	name string
	p    *domain.Principal
} {
	return []struct {
		name string
		p    *domain.Principal
	}{
		{"admin", &w.Admin},
		{"officer_province_A", &w.OfficerA},
		{"officer_commune_A1", &w.OfficerA1},
		{"manager_A1", &w.ManagerA1},
		{"teacher_A1", &w.TeacherA1},
		{"learner_A1", &w.LearnerA1},
		{"manager_B1", &w.ManagerB1},
		{"no_token", nil},
	}
}

// authzCallers are authzRoles with the learner's grant at centre A1 as the
// sign-in path resolves it (the centre's commune and province), and an
// access token each ("" for no token).
func authzCallers(e *testEnv) ([]struct {
	name string
	p    *domain.Principal
}, []string) {
	w := e.w
	learner := w.LearnerA1
	learner.Grants = []domain.Grant{{Role: domain.RoleLearner, Kind: domain.ScopeSelf, CentreID: w.CentreA1, CommuneID: w.CommA1, ProvinceID: w.ProvA}}
	roles := authzRoles(w)
	roles[5].p = &learner
	tokens := make([]string, len(roles))
	for i, r := range roles {
		if r.p != nil {
			tokens[i] = e.token(*r.p)
		}
	}
	return roles, tokens
}

// Expected statuses per role, in authzRoles order.
var (
	everyoneReads = [8]int{200, 200, 200, 200, 200, 200, 200, 401}
	adminOnly     = [8]int{201, 403, 403, 403, 403, 403, 403, 401}
	placeInA1     = [8]int{201, 201, 201, 403, 403, 403, 403, 401}
	placeInA2     = [8]int{201, 201, 403, 403, 403, 403, 403, 401}
	placeInB1     = [8]int{201, 403, 403, 403, 403, 403, 403, 401}
)

// TestAuthzUnits is the authorization table of the geography: units, centres
// and branches are read by every signed-in person in any scope; units are
// created by administrators only; centres and branches by administrators
// anywhere and by officers inside their province or commune. Every answer is
// checked for its status and shape, and every write for what was stored.
func TestAuthzUnits(t *testing.T) {
	e := newTestEnv(t)
	w := e.w
	branchA1 := e.exec(`INSERT INTO branches (unit_id, name) VALUES ($1, 'Chi hội Tân Phong') RETURNING id`, w.CommA1)
	branchB1 := e.exec(`INSERT INTO branches (unit_id, name) VALUES ($1, 'Chi hội Mường Thanh') RETURNING id`, w.CommB1)

	type row struct {
		name   string
		method string
		path   string
		// body builds a request body unique to the caller (n), so that no
		// create collides with an earlier one.
		body func(n int) map[string]any
		// table is the table a create writes to; the test counts the rows
		// with the body's name (units: code) to see what was stored.
		table string
		// wantID is an id that a read must return (get: the object; list:
		// one of the items).
		wantID int64
		want   [8]int
	}
	unitBody := func(parent int64) func(int) map[string]any {
		return func(n int) map[string]any {
			return map[string]any{"code": fmt.Sprintf("T%d_%d", parent, n), "name": fmt.Sprintf("Phường thử %d-%d", parent, n),
				"kind": "ward", "parent_id": parent, "valid_from": "2025-07-01"}
		}
	}
	centreBody := func(unit int64) func(int) map[string]any {
		return func(n int) map[string]any {
			return map[string]any{"unit_id": unit, "name": fmt.Sprintf("Trung tâm thử %d-%d", unit, n), "address": "Tổ 1"}
		}
	}
	branchBody := func(unit int64) func(int) map[string]any {
		return func(n int) map[string]any {
			return map[string]any{"unit_id": unit, "name": fmt.Sprintf("Chi hội thử %d-%d", unit, n)}
		}
	}
	id := func(x int64) string { return fmt.Sprint(x) }
	rows := []row{
		{name: "list units", method: "GET", path: "/api/v1/units", wantID: w.CommB1, want: everyoneReads},
		{name: "list units own province A", method: "GET", path: "/api/v1/units?parent_id=" + id(w.ProvA), wantID: w.CommA1, want: everyoneReads},
		{name: "list units foreign province B", method: "GET", path: "/api/v1/units?parent_id=" + id(w.ProvB), wantID: w.CommB1, want: everyoneReads},
		{name: "get unit own province A", method: "GET", path: "/api/v1/units/" + id(w.ProvA), wantID: w.ProvA, want: everyoneReads},
		{name: "get unit own commune A1", method: "GET", path: "/api/v1/units/" + id(w.CommA1), wantID: w.CommA1, want: everyoneReads},
		{name: "get unit foreign province B", method: "GET", path: "/api/v1/units/" + id(w.ProvB), wantID: w.ProvB, want: everyoneReads},
		{name: "get unit foreign commune B1", method: "GET", path: "/api/v1/units/" + id(w.CommB1), wantID: w.CommB1, want: everyoneReads},
		{name: "create unit in own province A", method: "POST", path: "/api/v1/units", body: unitBody(w.ProvA), table: "units", want: adminOnly},
		{name: "create unit in foreign province B", method: "POST", path: "/api/v1/units", body: unitBody(w.ProvB), table: "units", want: adminOnly},

		{name: "list centres", method: "GET", path: "/api/v1/centres", wantID: w.CentreB1, want: everyoneReads},
		{name: "list centres own commune A1", method: "GET", path: "/api/v1/centres?unit_id=" + id(w.CommA1), wantID: w.CentreA1, want: everyoneReads},
		{name: "list centres own province A", method: "GET", path: "/api/v1/centres?province_id=" + id(w.ProvA), wantID: w.CentreA2, want: everyoneReads},
		{name: "list centres foreign commune B1", method: "GET", path: "/api/v1/centres?unit_id=" + id(w.CommB1), wantID: w.CentreB1, want: everyoneReads},
		{name: "list centres foreign province B", method: "GET", path: "/api/v1/centres?province_id=" + id(w.ProvB), wantID: w.CentreB1, want: everyoneReads},
		{name: "get centre own commune A1", method: "GET", path: "/api/v1/centres/" + id(w.CentreA1), wantID: w.CentreA1, want: everyoneReads},
		{name: "get centre own province A", method: "GET", path: "/api/v1/centres/" + id(w.CentreA2), wantID: w.CentreA2, want: everyoneReads},
		{name: "get centre foreign commune B1", method: "GET", path: "/api/v1/centres/" + id(w.CentreB1), wantID: w.CentreB1, want: everyoneReads},
		{name: "create centre in own commune A1", method: "POST", path: "/api/v1/centres", body: centreBody(w.CommA1), table: "centres", want: placeInA1},
		{name: "create centre in commune A2 of own province A", method: "POST", path: "/api/v1/centres", body: centreBody(w.CommA2), table: "centres", want: placeInA2},
		{name: "create centre in foreign commune B1", method: "POST", path: "/api/v1/centres", body: centreBody(w.CommB1), table: "centres", want: placeInB1},

		{name: "list branches", method: "GET", path: "/api/v1/branches", wantID: branchB1, want: everyoneReads},
		{name: "list branches own commune A1", method: "GET", path: "/api/v1/branches?unit_id=" + id(w.CommA1), wantID: branchA1, want: everyoneReads},
		{name: "list branches foreign commune B1", method: "GET", path: "/api/v1/branches?unit_id=" + id(w.CommB1), wantID: branchB1, want: everyoneReads},
		{name: "list branches foreign province B", method: "GET", path: "/api/v1/branches?province_id=" + id(w.ProvB), wantID: branchB1, want: everyoneReads},
		{name: "create branch in own commune A1", method: "POST", path: "/api/v1/branches", body: branchBody(w.CommA1), table: "branches", want: placeInA1},
		{name: "create branch in commune A2 of own province A", method: "POST", path: "/api/v1/branches", body: branchBody(w.CommA2), table: "branches", want: placeInA2},
		{name: "create branch in foreign commune B1", method: "POST", path: "/api/v1/branches", body: branchBody(w.CommB1), table: "branches", want: placeInB1},
	}

	roles := authzRoles(w)
	tokens := make([]string, len(roles))
	for i, r := range roles {
		if r.p != nil {
			tokens[i] = e.token(*r.p)
		}
	}
	for _, rw := range rows {
		for i, r := range roles {
			t.Run(rw.name+"/"+r.name, func(t *testing.T) {
				var body any
				var name string
				if rw.body != nil {
					b := rw.body(i)
					body, name = b, b["name"].(string)
				}
				status, got := e.call(rw.method, rw.path, tokens[i], body)
				if status != rw.want[i] {
					t.Fatalf("%s %s as %s: status %d, want %d; body %v", rw.method, rw.path, r.name, status, rw.want[i], got)
				}
				checkAuthzBody(t, status, got, rw.wantID)
				if rw.table == "" {
					return
				}
				stored := e.exec(`SELECT count(*) FROM `+rw.table+` WHERE name = $1`, name)
				switch {
				case status == http.StatusCreated && stored != 1:
					t.Fatalf("created %q, but %d rows are stored", name, stored)
				case status != http.StatusCreated && stored != 0:
					t.Fatalf("refused with %d, yet %q was stored", status, name)
				case status == http.StatusCreated && got["name"] != name:
					t.Fatalf("created body %v, want name %q", got, name)
				}
			})
		}
	}
}

// checkAuthzBody checks the shape of an answer: the error shape with the
// code of its status, or the object (or list) containing wantID.
func checkAuthzBody(t *testing.T, status int, body map[string]any, wantID int64) {
	t.Helper()
	codes := map[int]string{401: "unauthorized", 403: "forbidden"}
	if code, isErr := codes[status]; isErr {
		if body["code"] != code || body["message"] == "" || body["request_id"] == "" {
			t.Fatalf("error body %v, want code %q with a message and request id", body, code)
		}
		return
	}
	if status == http.StatusCreated {
		if n, _ := body["id"].(float64); n <= 0 {
			t.Fatalf("created body without an id: %v", body)
		}
		return
	}
	if items, isList := body["items"].([]any); isList {
		for _, it := range items {
			if m, _ := it.(map[string]any); m["id"] == float64(wantID) {
				return
			}
		}
		t.Fatalf("list of %d items does not contain id %d: %v", len(items), wantID, body)
	}
	if body["id"] != float64(wantID) {
		t.Fatalf("body %v, want id %d", body, wantID)
	}
}

// TestAuthzUnitsImport is the authorization table of the official list
// import over HTTP: every role, a list for the callers' own province A and
// for the foreign province B, previewed and applied. Only administrators
// import; a preview writes nothing, an import writes the list's unit.
func TestAuthzUnitsImport(t *testing.T) {
	e := newTestEnv(t)
	roles := authzRoles(e.w)
	want := [8]int{200, 403, 403, 403, 403, 403, 403, 401}
	n := 0
	for _, province := range []struct{ name, code string }{{"own province A", "12"}, {"foreign province B", "11"}} {
		for _, dryRun := range []bool{true, false} {
			for i, r := range roles {
				n++
				code := fmt.Sprintf("8%04d", n)
				t.Run(fmt.Sprintf("%s/dry_run=%v/%s", province.name, dryRun, r.name), func(t *testing.T) {
					list := "Mã;Tên;Cấp;Mã TP;Tỉnh / Thành Phố\n" + code + ";Xã Nhập Thử;Xã;" + province.code + ";Tỉnh X\n"
					req := httptest.NewRequest("POST", fmt.Sprintf("/api/v1/units/import?dry_run=%v", dryRun), strings.NewReader(list))
					req.Header.Set("Content-Type", "text/csv")
					if r.p != nil {
						req.Header.Set("Authorization", "Bearer "+e.token(*r.p))
					}
					status, got := e.do(req)
					if status != want[i] {
						t.Fatalf("as %s: status %d, want %d; body %v", r.name, status, want[i], got)
					}
					stored := e.exec(`SELECT count(*) FROM units WHERE code = $1`, code)
					if status != http.StatusOK {
						checkAuthzBody(t, status, got, 0)
						if stored != 0 {
							t.Fatalf("refused with %d, yet unit %s was stored", status, code)
						}
						return
					}
					if got["created"] != float64(1) || got["dry_run"] != dryRun || (stored == 1) == dryRun {
						t.Fatalf("dry run %v: body %v, %d stored", dryRun, got, stored)
					}
				})
			}
		}
	}
}

// TestAuthzMyCentres is the authorization table of GET /centres/mine over
// HTTP: every role, in its own and a foreign scope, gets exactly the
// centres it holds a role at (with their managers as contacts) and never
// another centre; without a token, 401.
func TestAuthzMyCentres(t *testing.T) {
	e := newTestEnv(t)
	w := e.w
	// A learner enrolled at centre A1 (the world's learner has no centre).
	learner := w.LearnerA1
	learner.Grants = append(append([]domain.Grant{}, learner.Grants...), domain.Grant{Role: domain.RoleLearner, Kind: domain.ScopeCentre, CentreID: w.CentreA1, CommuneID: w.CommA1, ProvinceID: w.ProvA})
	learner.Grants[len(learner.Grants)-1].ID = e.exec(`INSERT INTO role_grants (person_id, role, centre_id) VALUES ($1, 'learner', $2) RETURNING id`, learner.PersonID, w.CentreA1)
	managerA1 := "Nguyễn Văn Quản"
	managerB1 := "Quàng Văn Biên"
	cases := []struct {
		name     string
		p        *domain.Principal
		status   int
		centres  []int64
		contacts map[int64]string
	}{
		{"admin", &w.Admin, 200, nil, nil},
		{"officer_province_A", &w.OfficerA, 200, nil, nil},
		{"officer_commune_A1", &w.OfficerA1, 200, nil, nil},
		{"manager_A1", &w.ManagerA1, 200, []int64{w.CentreA1}, map[int64]string{w.CentreA1: managerA1}},
		{"teacher_A1", &w.TeacherA1, 200, []int64{w.CentreA1}, map[int64]string{w.CentreA1: managerA1}},
		{"learner_A1 without a centre", &w.LearnerA1, 200, nil, nil},
		{"learner_A1 enrolled at A1", &learner, 200, []int64{w.CentreA1}, map[int64]string{w.CentreA1: managerA1}},
		{"manager_B1", &w.ManagerB1, 200, []int64{w.CentreB1}, map[int64]string{w.CentreB1: managerB1}},
		{"no_token", nil, 401, nil, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			token := ""
			if tc.p != nil {
				token = e.token(*tc.p)
			}
			status, got := e.call("GET", "/api/v1/centres/mine", token, nil)
			if status != tc.status {
				t.Fatalf("status %d, want %d: %v", status, tc.status, got)
			}
			if status != 200 {
				checkAuthzBody(t, status, got, 0)
				return
			}
			items, _ := got["items"].([]any)
			if len(items) != len(tc.centres) {
				t.Fatalf("%d centres, want %v: %v", len(items), tc.centres, got)
			}
			for i, it := range items {
				m := it.(map[string]any)
				id := int64(m["id"].(float64))
				if id != tc.centres[i] {
					t.Fatalf("centre %d, want %d: %v", id, tc.centres[i], got)
				}
				contacts, _ := m["contacts"].([]any)
				if len(contacts) != 1 || contacts[0].(map[string]any)["name"] != tc.contacts[id] || contacts[0].(map[string]any)["phone"] == "" {
					t.Fatalf("contacts of centre %d: %v, want %s with a phone", id, contacts, tc.contacts[id])
				}
			}
		})
	}
}
