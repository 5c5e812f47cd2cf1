package materials_test

import (
	"context"
	"fmt"
	"testing"

	"densach/domain"
	"densach/domain/materials"
)

// The columns of the table: every role, in the courses' own scope (centre
// A1 in commune A1 of province A, A's library) and a foreign one (centre B1).
const (
	cAdmin = iota
	cOfficerA
	cOfficerA1
	cManagerA1
	cTeacherA1
	cLearnerA1
	cManagerB1
	nCallers
)

var callerNames = [nCallers]string{"admin", "officer_province_A", "officer_commune_A1", "manager_A1", "teacher_A1", "learner_A1", "manager_B1"}

// courseCase is what each caller may do with one course, as the gate says
// (issue 9): read it, read its drafts, edit its lessons.
type courseCase struct {
	name                   string
	id                     func(w *world) int64
	read, drafts, editable [nCallers]bool
}

var courseCases = []courseCase{
	{"centre_A1", func(w *world) int64 { return w.courseA1 },
		[nCallers]bool{cAdmin: true, cOfficerA: true, cOfficerA1: true, cManagerA1: true, cTeacherA1: true, cLearnerA1: true},
		[nCallers]bool{cAdmin: true, cOfficerA: true, cOfficerA1: true, cManagerA1: true, cTeacherA1: true},
		[nCallers]bool{cAdmin: true, cManagerA1: true, cTeacherA1: true}},
	{"library_A", func(w *world) int64 { return w.libraryA },
		[nCallers]bool{cAdmin: true, cOfficerA: true, cOfficerA1: true, cManagerA1: true, cTeacherA1: true, cLearnerA1: true},
		[nCallers]bool{cAdmin: true, cOfficerA: true},
		[nCallers]bool{cAdmin: true, cOfficerA: true}},
	{"foreign_centre_B1", func(w *world) int64 { return w.courseB1 },
		[nCallers]bool{cAdmin: true, cManagerB1: true},
		[nCallers]bool{cAdmin: true, cManagerB1: true},
		[nCallers]bool{cAdmin: true, cManagerB1: true}},
}

// want is the answer to a use case that needs need[i] after read[i]: not
// found for a course the caller may not read, forbidden without need.
func want(read, need bool) domain.Code {
	switch {
	case !read:
		return domain.CodeNotFound
	case !need:
		return domain.CodeForbidden
	}
	return ""
}

// publishWith gives the course a published version with a lesson using the
// material (a draft filled, then numbered: published versions are frozen).
func (w *world) publishWith(course, material int64) {
	w.T.Helper()
	v := w.ID(`INSERT INTO course_versions (course_id, title, category_code, created_by) VALUES ($1, 'Khoá học', 'digital_skills', $2) RETURNING id`, course, w.admin.PersonID)
	m := w.ID(`INSERT INTO course_modules (version_id, position, title) VALUES ($1, 1, 'Phần 1') RETURNING id`, v)
	w.ID(`INSERT INTO lessons (module_id, version_id, position, kind, title, material_id) VALUES ($1, $2, 1, 'document', 'Bài 1', $3)`, m, v, material)
	w.ID(`UPDATE course_versions SET number = 1, published_at = now(), published_by = $2 WHERE id = $1`, v, w.admin.PersonID)
	w.ID(`UPDATE courses SET status = 'published', published_version_id = $1 WHERE id = $2`, v, course)
}

// TestAuthzMaterialsUseCases runs every material use case for every caller
// on a course of their own centre, their province's library and a foreign
// centre, with the gate's answers deciding, plus the uploader rule.
func TestAuthzMaterialsUseCases(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	callers := [nCallers]domain.Principal{w.admin, w.officerA, w.officerA1, w.managerA1, w.teacherA1, w.learnerA1, w.managerB1}
	for _, cc := range courseCases {
		course := cc.id(w)
		// A material a published lesson uses, one only the draft could use,
		// and someone else's upload that is not confirmed yet.
		used := w.upload(w.admin, course, "dung-trong-bai.pdf", "application/pdf", pdf(10))
		w.publishWith(course, used.ID)
		unused := w.upload(w.admin, course, "chua-dung.pdf", "application/pdf", pdf(10))
		others := w.request(w.uploader, course, "cua-nguoi-khac.pdf", "application/pdf", pdf(10))
		for i, pr := range callers {
			name := cc.name + "/" + callerNames[i]
			t.Run("request_upload/"+name, func(t *testing.T) {
				up, err := w.svc.RequestUpload(ctx, pr, course, materials.UploadRequest{FileName: "tai-lieu.pdf", ContentType: "application/pdf", Size: 10})
				if codeOf(err) != want(cc.read[i], cc.editable[i]) {
					t.Fatalf("request upload: %v, want %q", err, want(cc.read[i], cc.editable[i]))
				}
				if err != nil {
					return
				}
				// The uploader confirms their own upload.
				if st := post(t, up.Upload, pdf(10)[:10]); st/100 != 2 {
					t.Fatalf("upload answered %d", st)
				}
				if _, err := w.svc.Confirm(ctx, pr, up.Material.ID); err != nil {
					t.Fatalf("confirm of one's own upload: %v", err)
				}
			})
			t.Run("confirm_upload_of_another/"+name, func(t *testing.T) {
				_, err := w.svc.Confirm(ctx, pr, others.Material.ID)
				wantCode := want(cc.read[i], false)
				if codeOf(err) != wantCode {
					t.Fatalf("confirm: %v, want %q", err, wantCode)
				}
			})
			t.Run("download_used_by_published_lesson/"+name, func(t *testing.T) {
				_, err := w.svc.Download(ctx, pr, used.ID, true)
				if codeOf(err) != want(cc.read[i], true) {
					t.Fatalf("download: %v, want %q", err, want(cc.read[i], true))
				}
			})
			t.Run("download_unused/"+name, func(t *testing.T) {
				_, err := w.svc.Download(ctx, pr, unused.ID, false)
				if codeOf(err) != want(cc.drafts[i], true) {
					t.Fatalf("download: %v, want %q", err, want(cc.drafts[i], true))
				}
			})
			t.Run("list/"+name, func(t *testing.T) {
				list, err := w.svc.List(ctx, pr, course)
				if codeOf(err) != want(cc.read[i], cc.drafts[i]) {
					t.Fatalf("list: %v, want %q", err, want(cc.read[i], cc.drafts[i]))
				}
				if err == nil && len(list) < 2 {
					t.Fatalf("list of %d materials", len(list))
				}
			})
			t.Run("delete/"+name, func(t *testing.T) {
				m := w.request(w.admin, course, fmt.Sprintf("xoa-%d.pdf", i), "application/pdf", pdf(10))
				err := w.svc.Delete(ctx, pr, m.Material.ID)
				if codeOf(err) != want(cc.read[i], cc.editable[i]) {
					t.Fatalf("delete: %v, want %q", err, want(cc.read[i], cc.editable[i]))
				}
				left := w.ID(`SELECT count(*) FROM materials WHERE id = $1`, m.Material.ID)
				if (err == nil) != (left == 0) {
					t.Fatalf("delete answered %v, %d rows left", err, left)
				}
				if cc.editable[i] {
					if err := w.svc.Delete(ctx, pr, used.ID); keyOf(err) != "material_in_use" {
						t.Fatalf("delete of a material in use: %v", err)
					}
				}
			})
		}
	}
	usage := []struct {
		name  string
		owner domain.StorageOwner
		sees  [nCallers]bool
		empty bool // nothing stored there yet
	}{
		{"centre_A1", domain.StorageOwner{CentreID: w.CentreA1}, [nCallers]bool{cAdmin: true, cOfficerA: true, cOfficerA1: true, cManagerA1: true, cTeacherA1: true}, false},
		{"library_A", domain.StorageOwner{ProvinceID: w.ProvA}, [nCallers]bool{cAdmin: true, cOfficerA: true}, false},
		{"foreign_centre_B1", domain.StorageOwner{CentreID: w.CentreB1}, [nCallers]bool{cAdmin: true, cManagerB1: true}, false},
		{"foreign_library_B", domain.StorageOwner{ProvinceID: w.ProvB}, [nCallers]bool{cAdmin: true}, true},
	}
	for _, u := range usage {
		for i, pr := range callers {
			t.Run("storage_usage/"+u.name+"/"+callerNames[i], func(t *testing.T) {
				got, err := w.svc.Usage(ctx, pr, u.owner)
				if codeOf(err) != want(true, u.sees[i]) {
					t.Fatalf("usage: %v, want %q", err, want(true, u.sees[i]))
				}
				if err == nil && ((got.Used <= 0) != u.empty || got.Quota != materials.DefaultQuotaBytes) {
					t.Fatalf("usage %+v", got)
				}
			})
		}
	}
}
