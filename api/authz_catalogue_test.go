package api

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"

	"densach/domain"
	"densach/storage/postgres/pgtest"
)

// catalogueRoles are authzRoles and a learner enrolled at centre A1 (the
// harness's learner is enrolled nowhere), in the order of the want columns.
func catalogueRoles(e *testEnv) []struct {
	name string
	p    *domain.Principal
} {
	w := e.w
	roles := authzRoles(w)
	id := e.exec(`INSERT INTO people (full_name, given_name, sort_key, search_exact, search_folded, commune_id, phone)
		VALUES ('Lò Thị Học', 'Học', '\x00', 'lò thị học', 'lo thi hoc', $1, '0912999001') RETURNING id`, w.CommA1)
	acct := e.exec(`INSERT INTO accounts (person_id, password_hash) VALUES ($1, 'x') RETURNING id`, id)
	g := domain.Grant{Role: domain.RoleLearner, Kind: domain.ScopeSelf, CentreID: w.CentreA1, CommuneID: w.CommA1, ProvinceID: w.ProvA, PersonID: id}
	g.ID = e.exec(`INSERT INTO role_grants (person_id, role, centre_id) VALUES ($1, 'learner', $2) RETURNING id`, id, w.CentreA1)
	learner := domain.Principal{AccountID: acct, PersonID: id, Grants: []domain.Grant{g}}
	last := roles[len(roles)-1] // no token stays last
	roles = append(roles[:len(roles)-1], struct {
		name string
		p    *domain.Principal
	}{"learner_at_A1", &learner}, last)
	return roles
}

// TestAuthzCatalogue is the authorization table of the reference data and
// the catalogue over HTTP: every role reads the frameworks and categories,
// administrators alone add and change categories (and what a refused write
// would have changed is not stored), and the catalogue lists each course
// (own and foreign centre, each library, a draft) to exactly the roles that
// may see it.
func TestAuthzCatalogue(t *testing.T) {
	e := newTestEnv(t)
	w := e.w
	roles := catalogueRoles(e)
	// Columns: admin, officer_province_A, officer_commune_A1, manager_A1,
	// teacher_A1, learner_A1 (no centre), manager_B1, learner_at_A1, no_token.
	tokens := make([]string, len(roles))
	for i, r := range roles {
		if r.p != nil {
			tokens[i] = e.token(*r.p)
		}
	}
	type row struct {
		name, method, path string
		body               func(i int) map[string]any
		want               [9]int
		// stored counts, after the call, the rows a success writes.
		stored func(i int) int64
	}
	everyone := [9]int{200, 200, 200, 200, 200, 200, 200, 200, 401}
	adminOnly := func(ok int) [9]int { return [9]int{ok, 403, 403, 403, 403, 403, 403, 403, 401} }
	rows := []row{
		{name: "list competences", method: "GET", path: "/api/v1/competences", want: everyone},
		{name: "list categories", method: "GET", path: "/api/v1/course-categories", want: everyone},
		{name: "create category", method: "POST", path: "/api/v1/course-categories", want: adminOnly(201),
			body: func(i int) map[string]any {
				return map[string]any{"code": fmt.Sprintf("authz_%d", i), "name_vi": "Thử", "name_en": "Test"}
			},
			stored: func(i int) int64 {
				return e.exec(`SELECT count(*) FROM course_categories WHERE code = $1`, fmt.Sprintf("authz_%d", i))
			}},
		{name: "rename category", method: "PATCH", path: "/api/v1/course-categories/culture", want: adminOnly(200),
			body: func(i int) map[string]any { return map[string]any{"name_vi": fmt.Sprintf("Văn hóa %d", i)} },
			stored: func(i int) int64 {
				return e.exec(`SELECT count(*) FROM course_categories WHERE code = 'culture' AND name_vi = $1`, fmt.Sprintf("Văn hóa %d", i))
			}},
		{name: "rename unknown category", method: "PATCH", path: "/api/v1/course-categories/no_such", want: adminOnly(404),
			body: func(int) map[string]any { return map[string]any{"active": false} }},
	}
	for _, rw := range rows {
		for i, r := range roles {
			t.Run(rw.name+"/"+r.name, func(t *testing.T) {
				var body any
				if rw.body != nil {
					body = rw.body(i)
				}
				status, got := e.call(rw.method, rw.path, tokens[i], body)
				if status != rw.want[i] {
					t.Fatalf("%s %s as %s: status %d, want %d; body %v", rw.method, rw.path, r.name, status, rw.want[i], got)
				}
				if codes := map[int]string{401: "unauthorized", 403: "forbidden", 404: "not_found"}; codes[status] != "" && got["code"] != codes[status] {
					t.Fatalf("error body %v", got)
				}
				if rw.stored != nil {
					if n := rw.stored(i); (n == 1) != (status < 300) {
						t.Fatalf("answered %d, %d rows stored", status, n)
					}
				}
			})
		}
	}

	// The catalogue: who finds which course.
	author := w.ManagerA1.PersonID
	type courseRow struct {
		name    string
		centre  int64
		library int64
		draft   bool
		visible [9]bool
	}
	courses := []courseRow{
		{name: "centre A1", centre: w.CentreA1, visible: [9]bool{true, true, true, true, true, false, false, true, false}},
		{name: "centre A2", centre: w.CentreA2, visible: [9]bool{true, true, false, false, false, false, false, false, false}},
		{name: "centre B1", centre: w.CentreB1, visible: [9]bool{true, false, false, false, false, false, true, false, false}},
		{name: "library A", library: w.ProvA, visible: [9]bool{true, true, true, true, true, false, false, true, false}},
		{name: "library B", library: w.ProvB, visible: [9]bool{true, false, false, false, false, false, true, false, false}},
		{name: "draft at A1", centre: w.CentreA1, draft: true},
	}
	ids := make([]int64, len(courses))
	for j, c := range courses {
		ids[j] = pgtest.InsertCourse(t, e.db.SQL(), pgtest.Course{CentreID: c.centre, ProvinceID: c.library, Title: "Sử dụng điện thoại: " + c.name,
			Category: "digital_skills", Mode: domain.ModeOnline, Tags: []string{"2.1"}, Lessons: 1, CreatedBy: author, Draft: c.draft}).ID
	}
	for _, path := range []string{"/api/v1/catalogue", "/api/v1/catalogue?q=dien+thoai", "/api/v1/catalogue?q=%C4%91i%E1%BB%87n%20tho%E1%BA%A1i&category=digital_skills&mode=online"} {
		for i, r := range roles {
			t.Run("catalogue "+path+"/"+r.name, func(t *testing.T) {
				status, got := e.call("GET", path, tokens[i], nil)
				if r.p == nil {
					if status != 401 {
						t.Fatalf("no token: %d", status)
					}
					return
				}
				if status != 200 {
					t.Fatalf("status %d: %v", status, got)
				}
				var listed []int64
				items, _ := got["items"].([]any)
				for _, it := range items {
					m, _ := it.(map[string]any)
					listed = append(listed, int64(m["course_id"].(float64)))
				}
				for j, c := range courses {
					if slices.Contains(listed, ids[j]) != c.visible[i] {
						t.Errorf("%s: listed %v, visible %v", c.name, slices.Contains(listed, ids[j]), c.visible[i])
					}
				}
			})
		}
	}
}

// TestCompetencesCacheable: the frameworks answer carries an ETag and a
// private max-age; the same ETag in If-None-Match answers 304 without a body.
func TestCompetencesCacheable(t *testing.T) {
	e := newTestEnv(t)
	tok := e.token(e.w.LearnerA1)
	get := func(etag string) *http.Response {
		req := httptest.NewRequest("GET", "/api/v1/competences", nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		if etag != "" {
			req.Header.Set("If-None-Match", etag)
		}
		resp, err := e.srv.App().Test(req, -1)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { resp.Body.Close() })
		return resp
	}
	first := get("")
	etag := first.Header.Get("ETag")
	if first.StatusCode != 200 || etag == "" || first.Header.Get("Cache-Control") != "private, max-age=3600" {
		t.Fatalf("first: %d, ETag %q, Cache-Control %q", first.StatusCode, etag, first.Header.Get("Cache-Control"))
	}
	again := get(etag)
	if again.StatusCode != 304 || again.ContentLength > 0 {
		t.Fatalf("If-None-Match: %d (length %d), want 304 without a body", again.StatusCode, again.ContentLength)
	}
	if other := get(`"stale"`); other.StatusCode != 200 {
		t.Fatalf("stale ETag: %d", other.StatusCode)
	}
}

// TestCataloguePagingHTTP: pages of one course walk the whole catalogue by
// next_cursor; a broken cursor is refused with 422.
func TestCataloguePagingHTTP(t *testing.T) {
	e := newTestEnv(t)
	tok := e.token(e.w.Admin)
	for i := range 3 {
		pgtest.InsertCourse(t, e.db.SQL(), pgtest.Course{CentreID: e.w.CentreA1, Title: fmt.Sprintf("Kỹ năng số %d", i), CreatedBy: e.w.ManagerA1.PersonID})
	}
	seen := map[float64]bool{}
	path := "/api/v1/catalogue?q=ky+nang+so&page_size=1"
	for range 5 {
		status, got := e.call("GET", path, tok, nil)
		if status != 200 {
			t.Fatalf("%s: %d %v", path, status, got)
		}
		for _, it := range got["items"].([]any) {
			seen[it.(map[string]any)["course_id"].(float64)] = true
		}
		next, _ := got["next_cursor"].(string)
		if next == "" {
			break
		}
		path = "/api/v1/catalogue?q=ky+nang+so&page_size=1&cursor=" + next
	}
	if len(seen) != 3 {
		t.Fatalf("walked %d courses, want 3", len(seen))
	}
	for _, bad := range []string{"xyz", "AAAAAAAAAAAAAAAAAAA", encodeCatalogueCursor(domain.CatalogueCursor{Bucket: 9, CourseID: 1})} {
		if status, got := e.call("GET", "/api/v1/catalogue?cursor="+bad, tok, nil); status != 422 || !hasFieldError(got, "cursor", "cursor_invalid") {
			t.Fatalf("cursor %q: %d %v", bad, status, got)
		}
	}
}
