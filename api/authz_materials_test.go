package api

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
	"time"

	"densach/domain"
	"densach/domain/classes"
	"densach/domain/materials"
	"densach/domain/materials/gatetest"
	"densach/storage/postgres"
)

// materialsEnv is the test server with the materials use case over the real
// MinIO and a gate that applies issue 9's course rules, three courses
// (centre A1, province A's library, centre B1) and an uploader whose
// uploads are nobody else's.
type materialsEnv struct {
	*testEnv
	svc                          *materials.Service
	courseA1, libraryA, courseB1 int64
	uploader                     domain.Principal
	// learner is a learner of centre A1 (the fixture's has no centre).
	learner domain.Principal
}

func newMaterialsEnv(t *testing.T) *materialsEnv {
	t.Helper()
	store := testObjects(t)
	e := newTestEnv(t)
	w := e.w
	m := &materialsEnv{testEnv: e}
	m.courseA1 = e.exec(`INSERT INTO courses (centre_id, created_by) VALUES ($1, $2) RETURNING id`, w.CentreA1, w.ManagerA1.PersonID)
	m.libraryA = e.exec(`INSERT INTO courses (province_id, created_by) VALUES ($1, $2) RETURNING id`, w.ProvA, w.OfficerA.PersonID)
	m.courseB1 = e.exec(`INSERT INTO courses (centre_id, created_by) VALUES ($1, $2) RETURNING id`, w.CentreB1, w.ManagerB1.PersonID)
	gate := &gatetest.Gate{Courses: map[int64]gatetest.Course{
		m.courseA1: {CentreID: w.CentreA1, CommuneID: w.CommA1, ProvinceID: w.ProvA},
		m.libraryA: {ProvinceID: w.ProvA},
		m.courseB1: {CentreID: w.CentreB1, CommuneID: w.CommB1, ProvinceID: w.ProvB},
	}}
	m.svc = &materials.Service{Store: postgres.NewMaterials(e.db), Objects: store, Gate: gate, Units: postgres.NewUnits(e.db)}
	e.srv.Materials = m.svc
	m.uploader = domain.Principal{PersonID: w.ResidentA2, Grants: []domain.Grant{{Role: domain.RoleAdmin, Kind: domain.ScopeSystem}}}
	m.learner = w.LearnerA1
	m.learner.Grants = []domain.Grant{{Role: domain.RoleLearner, Kind: domain.ScopeCentre, CentreID: w.CentreA1, CommuneID: w.CommA1, ProvinceID: w.ProvA}}
	return m
}

// postForm uploads body to a presigned policy as a browser form does.
func postForm(t *testing.T, url string, fields map[string]any, body []byte) int {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		_ = mw.WriteField(k, fmt.Sprint(v))
	}
	fw, _ := mw.CreateFormFile("file", "f")
	_, _ = fw.Write(body)
	_ = mw.Close()
	resp, err := (&http.Client{Timeout: 30 * time.Second}).Post(url, mw.FormDataContentType(), &buf)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode
}

func testPDF() []byte { return []byte("%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n") }

// ready uploads and confirms a PDF through the use case.
func (m *materialsEnv) ready(course int64, name string) domain.Material {
	m.t.Helper()
	return readyPDF(m.t.(*testing.T), m.svc, m.uploader, course, name)
}

// readyPDF uploads a PDF as p to the store and confirms it, through the
// use case.
func readyPDF(t *testing.T, svc *materials.Service, p domain.Principal, course int64, name string) domain.Material {
	t.Helper()
	ctx := context.Background()
	body := testPDF()
	up, err := svc.RequestUpload(ctx, p, course, materials.UploadRequest{FileName: name, ContentType: "application/pdf", Size: int64(len(body))})
	if err != nil {
		t.Fatal(err)
	}
	fields := map[string]any{}
	for k, v := range up.Upload.Fields {
		fields[k] = v
	}
	if st := postForm(t, up.Upload.URL, fields, body); st/100 != 2 {
		t.Fatalf("upload answered %d", st)
	}
	mat, err := svc.Confirm(ctx, p, up.Material.ID)
	if err != nil {
		t.Fatal(err)
	}
	return mat
}

// pending announces an upload of the uploader's.
func (m *materialsEnv) pending(course int64, name string) int64 {
	m.t.Helper()
	up, err := m.svc.RequestUpload(context.Background(), m.uploader, course, materials.UploadRequest{FileName: name, ContentType: "application/pdf", Size: 10})
	if err != nil {
		m.t.Fatal(err)
	}
	return up.Material.ID
}

// TestAuthzMaterials is the authorization table of the material endpoints
// over HTTP: every role on a course of their own centre, their province's
// library and a foreign centre (as the courses gate answers), the uploader
// rule, and storage usage per owner.
func TestAuthzMaterials(t *testing.T) {
	m := newMaterialsEnv(t)
	w := m.w
	roles := authzRoles(w)
	roles[5].p = &m.learner
	tokens := make([]string, len(roles))
	for i, r := range roles {
		if r.p != nil {
			tokens[i] = m.token(*r.p)
		}
	}
	// Columns: admin, officer A, officer A1, manager A1, teacher A1,
	// learner A1, manager B1, no token.
	type course struct {
		name                   string
		id                     int64
		read, drafts, editable [8]bool
	}
	courses := []course{
		{"centre_A1", m.courseA1, [8]bool{true, true, true, true, true, true}, [8]bool{true, true, true, true, true}, [8]bool{0: true, 3: true, 4: true}},
		{"library_A", m.libraryA, [8]bool{true, true, true, true, true, true}, [8]bool{0: true, 1: true}, [8]bool{0: true, 1: true}},
		{"foreign_centre_B1", m.courseB1, [8]bool{0: true, 6: true}, [8]bool{0: true, 6: true}, [8]bool{0: true, 6: true}},
	}
	status := func(ok int, read, need bool, i int) int {
		switch {
		case roles[i].p == nil:
			return 401
		case !read:
			return 404
		case !need:
			return 403
		}
		return ok
	}
	for _, c := range courses {
		used := m.ready(c.id, "dung-trong-bai.pdf")
		// A published version whose lesson uses it.
		v := m.exec(`INSERT INTO course_versions (course_id, title, category_code, created_by) VALUES ($1, 'Khoá học', 'digital_skills', $2) RETURNING id`, c.id, w.Admin.PersonID)
		mod := m.exec(`INSERT INTO course_modules (version_id, position, title) VALUES ($1, 1, 'Phần 1') RETURNING id`, v)
		m.exec(`INSERT INTO lessons (module_id, version_id, position, kind, title, material_id) VALUES ($1, $2, 1, 'document', 'Bài 1', $3)`, mod, v, used.ID)
		m.exec(`UPDATE course_versions SET number = 1, published_at = now(), published_by = $2 WHERE id = $1`, v, w.Admin.PersonID)
		unused := m.ready(c.id, "chua-dung.pdf")
		others := m.pending(c.id, "cua-nguoi-khac.pdf")
		for i, r := range roles {
			rows := []struct {
				name, method, path string
				body               any
				want               int
			}{
				{"request_upload", "POST", fmt.Sprintf("/api/v1/courses/%d/uploads", c.id),
					map[string]any{"file_name": "Bài giảng.pdf", "content_type": "application/pdf", "size": 100}, status(201, c.read[i], c.editable[i], i)},
				{"confirm_upload_of_another", "POST", fmt.Sprintf("/api/v1/materials/%d/confirm", others), nil, status(200, c.read[i], false, i)},
				{"download_used_by_published_lesson", "GET", fmt.Sprintf("/api/v1/materials/%d/download?inline=true", used.ID), nil, status(200, c.read[i], true, i)},
				{"download_unused", "GET", fmt.Sprintf("/api/v1/materials/%d/download", unused.ID), nil, status(200, c.drafts[i], true, i)},
				{"list", "GET", fmt.Sprintf("/api/v1/courses/%d/materials", c.id), nil, status(200, c.read[i], c.drafts[i], i)},
				{"delete", "DELETE", fmt.Sprintf("/api/v1/materials/%d", m.pending(c.id, fmt.Sprintf("xoa-%d.pdf", i))), nil, status(204, c.read[i], c.editable[i], i)},
			}
			for _, rw := range rows {
				t.Run(rw.name+"/"+c.name+"/"+r.name, func(t *testing.T) {
					st, body := m.call(rw.method, rw.path, tokens[i], rw.body)
					if st != rw.want {
						t.Fatalf("%s %s as %s: %d, want %d; %v", rw.method, rw.path, r.name, st, rw.want, body)
					}
					switch {
					case st >= 400 && (body["code"] == nil || body["message"] == ""):
						t.Fatalf("error body %v", body)
					case st == 201 && body["material_id"] == nil:
						t.Fatalf("upload grant %v", body)
					case rw.name == "download_used_by_published_lesson" && st == 200 && (body["url"] == "" || body["size"] != float64(len(testPDF())) || body["inline"] != true):
						t.Fatalf("download %v", body)
					}
				})
			}
		}
	}
	usage := []struct {
		name  string
		query string
		sees  [8]bool
		empty bool // nothing stored there yet
	}{
		{"centre_A1", fmt.Sprintf("centre_id=%d", w.CentreA1), [8]bool{true, true, true, true, true}, false},
		{"library_A", fmt.Sprintf("province_id=%d", w.ProvA), [8]bool{0: true, 1: true}, false},
		{"foreign_centre_B1", fmt.Sprintf("centre_id=%d", w.CentreB1), [8]bool{0: true, 6: true}, false},
		{"foreign_library_B", fmt.Sprintf("province_id=%d", w.ProvB), [8]bool{0: true}, true},
	}
	for _, u := range usage {
		for i, r := range roles {
			t.Run("storage_usage/"+u.name+"/"+r.name, func(t *testing.T) {
				st, body := m.call("GET", "/api/v1/storage-usage?"+u.query, tokens[i], nil)
				if want := status(200, true, u.sees[i], i); st != want {
					t.Fatalf("usage as %s: %d, want %d; %v", r.name, st, want, body)
				}
				if st == 200 && ((body["used"].(float64) <= 0) != u.empty || body["quota"].(float64) != materials.DefaultQuotaBytes) {
					t.Fatalf("usage %v", body)
				}
			})
		}
	}
}

// Over HTTP: announce, upload to the store with a plain client, confirm,
// download and a range request; a renamed executable is refused at confirm
// and gone; an SVG is refused before the upload.
func TestMaterialsOverHTTP(t *testing.T) {
	m := newMaterialsEnv(t)
	tok := m.token(m.w.TeacherA1)
	body := append(testPDF(), bytes.Repeat([]byte("0"), 1000)...)
	st, grant := m.call("POST", fmt.Sprintf("/api/v1/courses/%d/uploads", m.courseA1), tok,
		map[string]any{"file_name": "../Bài 1\x07.pdf", "content_type": "application/pdf", "size": len(body)})
	if st != 201 {
		t.Fatalf("upload request: %d %v", st, grant)
	}
	up := grant["upload"].(map[string]any)
	if st := postForm(t, up["url"].(string), up["fields"].(map[string]any), body); st/100 != 2 {
		t.Fatalf("upload answered %d", st)
	}
	id := grant["material_id"].(float64)
	st, mat := m.call("POST", fmt.Sprintf("/api/v1/materials/%.0f/confirm", id), tok, nil)
	if st != 200 || mat["status"] != "ready" || mat["display_name"] != "Bài 1.pdf" || mat["size"] != float64(len(body)) {
		t.Fatalf("confirm: %d %v", st, mat)
	}
	st, d := m.call("GET", fmt.Sprintf("/api/v1/materials/%.0f/download?inline=true", id), m.token(m.w.ManagerA1), nil)
	if st != 200 || d["content_type"] != "application/pdf" || d["file_name"] != "Bài 1.pdf" {
		t.Fatalf("download: %d %v", st, d)
	}
	req, _ := http.NewRequest("GET", d["url"].(string), nil)
	req.Header.Set("Range", "bytes=5-14")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusPartialContent || !bytes.Equal(got, body[5:15]) || !strings.HasPrefix(resp.Header.Get("Content-Disposition"), "inline;") {
		t.Fatalf("range GET: %d %q %q", resp.StatusCode, got, resp.Header.Get("Content-Disposition"))
	}

	exe := append([]byte("MZ\x90\x00"), bytes.Repeat([]byte{0}, 500)...)
	st, grant = m.call("POST", fmt.Sprintf("/api/v1/courses/%d/uploads", m.courseA1), tok,
		map[string]any{"file_name": "bai-tap.pdf", "content_type": "application/pdf", "size": len(exe)})
	if st != 201 {
		t.Fatalf("upload request: %d %v", st, grant)
	}
	up = grant["upload"].(map[string]any)
	if st := postForm(t, up["url"].(string), up["fields"].(map[string]any), exe); st/100 != 2 {
		t.Fatalf("upload answered %d", st)
	}
	st, refused := m.call("POST", fmt.Sprintf("/api/v1/materials/%.0f/confirm", grant["material_id"].(float64)), tok, nil)
	if st != 422 || refused["code"] != "invalid" || m.exec(`SELECT count(*) FROM materials WHERE id = $1`, int64(grant["material_id"].(float64))) != 0 {
		t.Fatalf("confirm of an executable: %d %v", st, refused)
	}
	for _, ct := range []string{"image/svg+xml", "text/html"} {
		st, body := m.call("POST", fmt.Sprintf("/api/v1/courses/%d/uploads", m.courseA1), tok, map[string]any{"file_name": "x.svg", "content_type": ct, "size": 10})
		if st != 422 || !strings.Contains(fmt.Sprint(body["fields"]), "material_type_not_allowed") {
			t.Fatalf("%s: %d %v", ct, st, body)
		}
	}
	st, big := m.call("POST", fmt.Sprintf("/api/v1/courses/%d/uploads", m.courseA1), tok, map[string]any{"file_name": "x.pdf", "content_type": "application/pdf", "size": 51 << 20})
	if st != 413 || !strings.Contains(fmt.Sprint(big["message"]), "50 MB") {
		t.Fatalf("an oversized PDF: %d %v", st, big)
	}
}

// TestAuthzSessionMaterials is the authorization table of a class
// session's materials over HTTP (the classes use case deciding): every role
// on a session of an open class at their own centre A1 and at the foreign
// centre B1, the class's teacher and a teacher of the centre who does not
// teach it, a learner of province A who is not enrolled (sees the open
// class, not its files), one enrolled (active), one waitlisted and a
// learner of province B enrolled in A1's class; the session itself (GET
// /sessions/{id}) for the same callers.
func TestAuthzSessionMaterials(t *testing.T) {
	m := newMaterialsEnv(t)
	e, w := m.testEnv, m.w
	ctx := context.Background()
	cs := e.srv.Classes
	m.svc.Sessions = cs
	roles, tokens := authzCallers(e)
	learner := func(name string, commune, centre int64) domain.Principal {
		id := e.exec(`INSERT INTO people (full_name, given_name, sort_key, search_exact, search_folded, commune_id)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, name, domain.GivenName(name), domain.NameSortKey(name), domain.LowerForSearch(name), domain.FoldForSearch(name), commune)
		e.exec(`INSERT INTO role_grants (person_id, role, centre_id) VALUES ($1, 'learner', $2)`, id, centre)
		return signInAs(t, e, id)
	}
	teacher := func(name string, commune, centre int64) domain.Principal {
		id := e.exec(`INSERT INTO people (full_name, given_name, sort_key, search_exact, search_folded, commune_id)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, name, domain.GivenName(name), domain.NameSortKey(name), domain.LowerForSearch(name), domain.FoldForSearch(name), commune)
		e.exec(`INSERT INTO role_grants (person_id, role, centre_id) VALUES ($1, 'teacher', $2)`, id, centre)
		return signInAs(t, e, id)
	}
	otherTeacher := teacher("Lò Văn Khác", w.CommA1, w.CentreA1)
	teacherB1 := teacher("Quàng Thị Dạy", w.CommB1, w.CentreB1)
	enrolledA1, waitlistedA1 := learner("Lò Thị Học", w.CommA1, w.CentreA1), learner("Lù Thị Chờ", w.CommA1, w.CentreA1)
	enrolledB1 := learner("Tòng Văn Xa", w.CommB1, w.CentreB1)
	extra := []struct {
		name string
		p    domain.Principal
	}{{"teacher_A1_not_of_the_class", otherTeacher}, {"teacher_B1_of_the_class", teacherB1}, {"learner_A1_enrolled", enrolledA1},
		{"learner_A1_waitlisted", waitlistedA1}, {"learner_B1_enrolled_in_A1", enrolledB1}}
	for _, x := range extra {
		roles = append(roles, struct {
			name string
			p    *domain.Principal
		}{x.name, &x.p})
		tokens = append(tokens, e.token(x.p))
	}
	setup := func(centre, teacher int64, at time.Time) (classes.Class, int64) {
		t.Helper()
		d := publishedCourse(t, e, centre)
		in := classes.ClassInput{CentreID: centre, CourseID: d.ID, Title: "Lớp kỹ năng số", Mode: classes.ModeOnline, Capacity: 20,
			StartsOn: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), EndsOn: time.Date(2027, 12, 31, 0, 0, 0, 0, time.UTC),
			MeetingURL: "https://meet.example.org/x", TeacherIDs: []int64{teacher}}
		c, err := cs.CreateClass(ctx, w.Admin, in)
		if err != nil {
			t.Fatal(err)
		}
		in.Status = classes.StatusOpen
		if c, err = cs.UpdateClass(ctx, w.Admin, c.ID, in); err != nil {
			t.Fatal(err)
		}
		s, err := cs.AddSession(ctx, w.Admin, c.ID, classes.SessionInput{StartsAt: at, EndsAt: at.Add(90 * time.Minute), Mode: classes.ModeOnline, TeacherID: teacher})
		if err != nil {
			t.Fatal(err)
		}
		return c, s.ID
	}
	at := time.Date(2026, 3, 2, 18, 30, 0, 0, classes.Zone)
	classA1, sessA1 := setup(w.CentreA1, w.TeacherA1.PersonID, at)
	_, sessB1 := setup(w.CentreB1, teacherB1.PersonID, at)
	enrol := func(p domain.Principal, c classes.Class, status string) {
		e.exec(`INSERT INTO enrolments (person_id, course_id, version_id, class_id, status, source, enrolled_by, waitlisted_at)
			VALUES ($1, $2, $3, $4, $5, 'staff', $6, CASE WHEN $5 = 'waitlisted' THEN now() END)`, p.PersonID, c.CourseID, c.VersionID, c.ID, status, w.Admin.PersonID)
	}
	enrol(enrolledA1, classA1, "active")
	enrol(waitlistedA1, classA1, "waitlisted")
	enrol(enrolledB1, classA1, "active")

	// r: sees the session; d: lists and downloads its files; e: uploads and deletes.
	type want struct{ r, d, e bool }
	all, reader, seer := want{true, true, true}, want{true, true, false}, want{true, false, false} // others: none
	sessions := []struct {
		name string
		id   int64
		want map[string]want
	}{
		{"centre_A1", sessA1, map[string]want{"admin": all, "officer_province_A": reader, "officer_commune_A1": reader, "manager_A1": all,
			"teacher_A1": all, "teacher_A1_not_of_the_class": reader, "learner_A1": seer, "learner_A1_enrolled": reader,
			"learner_A1_waitlisted": seer, "learner_B1_enrolled_in_A1": reader}},
		{"foreign_centre_B1", sessB1, map[string]want{"admin": all, "manager_B1": all, "teacher_B1_of_the_class": all,
			"learner_B1_enrolled_in_A1": seer}},
	}
	status := func(ok int, read, need bool, i int) int {
		switch {
		case roles[i].p == nil:
			return 401
		case !read:
			return 404
		case !need:
			return 403
		}
		return ok
	}
	for _, sc := range sessions {
		ready := readySessionPDF(t, m.svc, w.Admin, sc.id, "phieu-bai-tap.pdf")
		others, err := m.svc.RequestSessionUpload(ctx, m.uploader, sc.id, materials.UploadRequest{FileName: "cua-nguoi-khac.pdf", ContentType: "application/pdf", Size: 10})
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range roles {
			wt := sc.want[r.name]
			pending, err := m.svc.RequestSessionUpload(ctx, w.Admin, sc.id, materials.UploadRequest{FileName: fmt.Sprintf("xoa-%d.pdf", i), ContentType: "application/pdf", Size: 10})
			if err != nil {
				t.Fatal(err)
			}
			rows := []struct {
				name, method, path string
				body               any
				want               int
			}{
				{"get_session", "GET", fmt.Sprintf("/api/v1/sessions/%d", sc.id), nil, status(200, wt.r, true, i)},
				{"request_upload", "POST", fmt.Sprintf("/api/v1/sessions/%d/uploads", sc.id),
					map[string]any{"file_name": "Bài giảng.pdf", "content_type": "application/pdf", "size": 100}, status(201, wt.r, wt.e, i)},
				{"confirm_upload_of_another", "POST", fmt.Sprintf("/api/v1/materials/%d/confirm", others.Material.ID), nil, status(200, wt.r, false, i)},
				{"download", "GET", fmt.Sprintf("/api/v1/materials/%d/download?inline=true", ready.ID), nil, status(200, wt.d, true, i)},
				{"list", "GET", fmt.Sprintf("/api/v1/sessions/%d/materials", sc.id), nil, status(200, wt.r, wt.d, i)},
				{"delete", "DELETE", fmt.Sprintf("/api/v1/materials/%d", pending.Material.ID), nil, status(204, wt.r, wt.e, i)},
			}
			for _, rw := range rows {
				t.Run(rw.name+"/"+sc.name+"/"+r.name, func(t *testing.T) {
					st, body := m.call(rw.method, rw.path, tokens[i], rw.body)
					if st != rw.want {
						t.Fatalf("%s %s as %s: %d, want %d; %v", rw.method, rw.path, r.name, st, rw.want, body)
					}
					switch {
					case st >= 400 && (body["code"] == nil || body["message"] == ""):
						t.Fatalf("error body %v", body)
					case st == 201 && (body["material_id"] == nil || body["material"].(map[string]any)["session_id"] != float64(sc.id)):
						t.Fatalf("upload grant %v", body)
					case rw.name == "download" && st == 200 && (body["url"] == "" || body["inline"] != true || body["file_name"] != "phieu-bai-tap.pdf"):
						t.Fatalf("download %v", body)
					case rw.name == "list" && st == 200 && (body["editable"] != wt.e || len(body["items"].([]any)) == 0):
						t.Fatalf("list %v", body)
					case rw.name == "delete" && (st == 204) != (m.exec(`SELECT count(*) FROM materials WHERE id = $1`, pending.Material.ID) == 0):
						t.Fatalf("delete answered %d with the row %s", st, "left or gone")
					}
				})
			}
		}
	}
}

// readySessionPDF uploads a PDF of a session as p and confirms it.
func readySessionPDF(t *testing.T, svc *materials.Service, p domain.Principal, session int64, name string) domain.Material {
	t.Helper()
	ctx := context.Background()
	body := testPDF()
	up, err := svc.RequestSessionUpload(ctx, p, session, materials.UploadRequest{FileName: name, ContentType: "application/pdf", Size: int64(len(body))})
	if err != nil {
		t.Fatal(err)
	}
	fields := map[string]any{}
	for k, v := range up.Upload.Fields {
		fields[k] = v
	}
	if st := postForm(t, up.Upload.URL, fields, body); st/100 != 2 {
		t.Fatalf("upload answered %d", st)
	}
	mat, err := svc.Confirm(ctx, p, up.Material.ID)
	if err != nil {
		t.Fatal(err)
	}
	return mat
}

// signInAs gives the person an account and returns the principal the
// sign-in path derives from their grants.
func signInAs(t *testing.T, e *testEnv, person int64) domain.Principal {
	t.Helper()
	acct := e.exec(`INSERT INTO accounts (person_id, password_hash) VALUES ($1, 'x') RETURNING id`, person)
	p, err := postgres.NewAuth(e.db).AccountPrincipal(context.Background(), acct)
	if err != nil {
		t.Fatal(err)
	}
	return p
}
