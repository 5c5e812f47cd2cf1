package api

import (
	"context"
	"fmt"
	"testing"

	"densach/domain"
	"densach/domain/courses"
	"densach/domain/materials"
	"densach/storage/postgres"
)

// TestAuthzMaterialsWithTheCoursesGate is the materials' authorization table
// with the real gate — the courses use case, wired as cmd/densach wires it —
// instead of gatetest: a published course of centre A1 whose lesson uses an
// uploaded file, plus a file no lesson uses, and every role in its own and
// a foreign scope (principals as sign-in makes them) downloading,
// uploading, confirming, listing and deleting. What the course rules of
// issue 9 say: 404 where the caller may not read the course (or, for a
// file, no version they read uses it), 403 where they read but may not edit.
func TestAuthzMaterialsWithTheCoursesGate(t *testing.T) {
	store := testObjects(t)
	e := newTestEnvWith(t, envOptions{Objects: store})
	w := e.w
	ctx := context.Background()
	mats, svc := e.srv.Materials, e.srv.Courses
	if mats == nil || mats.Gate != svc {
		t.Fatal("the harness does not wire the materials with the courses use case as their gate")
	}
	auth := postgres.NewAuth(e.db)
	signedIn := func(acct int64) domain.Principal {
		t.Helper()
		p, err := auth.AccountPrincipal(ctx, acct)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	n := 0
	// newcomer is a new person with an account and one grant.
	newcomer := func(name string, commune int64, role domain.Role, unit, centre int64) domain.Principal {
		t.Helper()
		n++
		person := e.exec(`INSERT INTO people (full_name, given_name, sort_key, search_exact, search_folded, commune_id, phone)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, name, domain.GivenName(name), domain.NameSortKey(name),
			domain.LowerForSearch(name), domain.FoldForSearch(name), commune, fmt.Sprintf("0913%06d", n))
		acct := e.exec(`INSERT INTO accounts (person_id, password_hash) VALUES ($1, 'x') RETURNING id`, person)
		e.exec(`INSERT INTO role_grants (person_id, role, unit_id, centre_id) VALUES ($1, $2, nullif($3, 0), nullif($4, 0))`, person, string(role), unit, centre)
		return signedIn(acct)
	}
	callers := []courseCaller{
		{"admin", ptr(signedIn(w.Admin.AccountID))},
		{"officer_province_A", ptr(signedIn(w.OfficerA.AccountID))},
		{"officer_province_B", ptr(newcomer("Lò Văn Biên", w.CommB1, domain.RoleOfficer, w.ProvB, 0))},
		{"officer_commune_A1", ptr(signedIn(w.OfficerA1.AccountID))},
		{"officer_commune_A2", ptr(newcomer("Tòng Văn Kết", w.CommA2, domain.RoleOfficer, w.CommA2, 0))},
		{"manager_A1", ptr(signedIn(w.ManagerA1.AccountID))},
		{"manager_A2", ptr(newcomer("Vàng Thị Quản", w.CommA2, domain.RoleManager, 0, w.CentreA2))},
		{"manager_B1", ptr(signedIn(w.ManagerB1.AccountID))},
		{"teacher_A1", ptr(signedIn(w.TeacherA1.AccountID))},
		{"teacher_A2", ptr(newcomer("Hà Văn Giảng", w.CommA2, domain.RoleTeacher, 0, w.CentreA2))},
		{"learner_A1", ptr(newcomer("Lò Thị Học", w.CommA1, domain.RoleLearner, 0, w.CentreA1))},
		{"learner_A2", ptr(newcomer("Lù Văn Trò", w.CommA2, domain.RoleLearner, 0, w.CentreA2))},
		{"no_token", nil},
	}
	// Who reads the course's published version, its drafts (and unused
	// files), and edits its lessons (uploads, confirms, deletes).
	reads := map[string]bool{"admin": true, "officer_province_A": true, "officer_commune_A1": true, "manager_A1": true, "teacher_A1": true, "learner_A1": true}
	drafts := map[string]bool{"admin": true, "officer_province_A": true, "officer_commune_A1": true, "manager_A1": true, "teacher_A1": true}
	edits := map[string]bool{"admin": true, "manager_A1": true, "teacher_A1": true}

	// The course, as its manager builds it: a file used by a published
	// lesson, and one no lesson uses. Pending uploads are another
	// teacher's of A1 (not a caller: only the uploader confirms).
	manager := *callers[5].p
	other := newcomer("Đèo Thị Soạn", w.CommA1, domain.RoleTeacher, 0, w.CentreA1)
	d, err := svc.Create(ctx, manager, courses.NewCourse{CentreID: w.CentreA1, Details: courses.Details{Title: "Kỹ năng số", Category: "digital_skills"}})
	if err != nil {
		t.Fatal(err)
	}
	used := readyPDF(t, mats, manager, d.ID, "cam-nang.pdf")
	unused := readyPDF(t, mats, manager, d.ID, "chua-dung.pdf")
	m, err := svc.AddModule(ctx, manager, d.ID, "Phần 1")
	if err == nil {
		_, err = svc.AddLesson(ctx, manager, m.ID, courses.LessonInput{Kind: courses.KindDocument, Title: "Cẩm nang", MaterialID: used.ID, Required: true})
	}
	if err == nil {
		_, err = svc.Publish(ctx, manager, d.ID)
	}
	if err != nil {
		t.Fatal(err)
	}
	pending := func() int64 {
		t.Helper()
		up, err := mats.RequestUpload(ctx, other, d.ID, materials.UploadRequest{FileName: "cua-nguoi-khac.pdf", ContentType: "application/pdf", Size: 10})
		if err != nil {
			t.Fatal(err)
		}
		return up.Material.ID
	}
	others := pending()

	status := func(name string, readable, allowed bool, ok int) int {
		switch {
		case name == "no_token":
			return 401
		case !readable:
			return 404
		case !allowed:
			return 403
		}
		return ok
	}
	for _, c := range callers {
		tok := ""
		if c.p != nil {
			tok = e.token(*c.p)
		}
		r, dr, ed := reads[c.name], drafts[c.name], edits[c.name]
		rows := []struct {
			name, method, path string
			body               any
			want               int
		}{
			{"download_used_by_published_lesson", "GET", fmt.Sprintf("/api/v1/materials/%d/download?inline=true", used.ID), nil, status(c.name, r, true, 200)},
			{"download_unused", "GET", fmt.Sprintf("/api/v1/materials/%d/download", unused.ID), nil, status(c.name, dr, true, 200)},
			{"list", "GET", fmt.Sprintf("/api/v1/courses/%d/materials", d.ID), nil, status(c.name, r, dr, 200)},
			{"request_upload", "POST", fmt.Sprintf("/api/v1/courses/%d/uploads", d.ID),
				map[string]any{"file_name": "Bài giảng.pdf", "content_type": "application/pdf", "size": len(testPDF())}, status(c.name, r, ed, 201)},
			{"confirm_upload_of_another", "POST", fmt.Sprintf("/api/v1/materials/%d/confirm", others), nil, status(c.name, r, false, 200)},
			{"delete_pending", "DELETE", fmt.Sprintf("/api/v1/materials/%d", pending()), nil, status(c.name, r, ed, 204)},
			{"delete_used", "DELETE", fmt.Sprintf("/api/v1/materials/%d", used.ID), nil, status(c.name, r, ed, 409)},
		}
		for _, rw := range rows {
			t.Run(rw.name+"/"+c.name, func(t *testing.T) {
				st, body := e.call(rw.method, rw.path, tok, rw.body)
				if st != rw.want {
					t.Fatalf("%s %s as %s: %d, want %d; %v", rw.method, rw.path, c.name, st, rw.want, body)
				}
				switch {
				case st >= 400 && (body["code"] == nil || body["message"] == ""):
					t.Fatalf("error body %v", body)
				case rw.name == "download_used_by_published_lesson" && st == 200 && (body["url"] == "" || body["inline"] != true):
					t.Fatalf("download %v", body)
				case rw.name == "delete_used" && st == 409 && body["key"] != "material_in_use":
					t.Fatalf("delete of a used file %v", body)
				case rw.name == "confirm_upload_of_another" && ed && body["key"] != "material_not_yours":
					t.Fatalf("an editor confirming another's upload %v", body)
				case rw.name == "request_upload" && st == 201:
					// The caller's own upload, posted to the store, confirms.
					up := body["upload"].(map[string]any)
					if got := postForm(t, up["url"].(string), up["fields"].(map[string]any), testPDF()); got/100 != 2 {
						t.Fatalf("upload answered %d", got)
					}
					st, mat := e.call("POST", fmt.Sprintf("/api/v1/materials/%.0f/confirm", body["material_id"].(float64)), tok, nil)
					if st != 200 || mat["status"] != "ready" {
						t.Fatalf("confirm of the own upload: %d %v", st, mat)
					}
				}
			})
		}
	}
}

func ptr[T any](v T) *T { return &v }
