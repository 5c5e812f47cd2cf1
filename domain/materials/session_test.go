package materials_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"densach/domain"
	"densach/domain/materials"
)

// classWithSession stores an open blended class at the centre (a course of
// its own with a draft version, which is all a class row needs), taught by
// teacher, with one scheduled online session they teach; it returns the
// class, its course and version, and the session.
func (w *world) classWithSession(centre, teacher int64, at time.Time) (class, course, version, session int64) {
	w.T.Helper()
	course = w.ID(`INSERT INTO courses (centre_id, created_by) VALUES ($1, $2) RETURNING id`, centre, w.admin.PersonID)
	version = w.ID(`INSERT INTO course_versions (course_id, title, category_code, created_by) VALUES ($1, 'Kỹ năng số', 'digital_skills', $2) RETURNING id`,
		course, w.admin.PersonID)
	class = w.ID(`INSERT INTO classes (centre_id, course_id, version_id, title, mode, capacity, starts_on, ends_on, status, created_by)
		VALUES ($1, $2, $3, 'Lớp kỹ năng số', 'blended', 20, '2026-01-01', '2027-12-31', 'open', $4) RETURNING id`, centre, course, version, w.admin.PersonID)
	w.ID(`INSERT INTO class_teachers (class_id, person_id, position) VALUES ($1, $2, 1)`, class, teacher)
	session = w.ID(`INSERT INTO class_sessions (class_id, starts_at, ends_at, mode, meeting_url, teacher_id)
		VALUES ($1, $2, $3, 'online', 'https://meet.example.org/lop', $4) RETURNING id`, class, at, at.Add(90*time.Minute), teacher)
	return class, course, version, session
}

// enrol stores the person's enrolment in the class with a status.
func (w *world) enrol(person, class, course, version int64, status string) {
	w.T.Helper()
	w.ID(`INSERT INTO enrolments (person_id, course_id, version_id, class_id, status, source, enrolled_by, waitlisted_at, withdrawn_at)
		VALUES ($1, $2, $3, $4, $5, 'staff', $6, CASE WHEN $5 = 'waitlisted' THEN now() END, CASE WHEN $5 = 'withdrawn' THEN now() END)`,
		person, course, version, class, status, w.admin.PersonID)
}

// requestSession asks for an upload of body to a session, failing the test
// on error.
func (w *world) requestSession(pr domain.Principal, session int64, name string, body []byte) materials.Upload {
	w.T.Helper()
	up, err := w.svc.RequestSessionUpload(context.Background(), pr, session, materials.UploadRequest{FileName: name, ContentType: "application/pdf", Size: int64(len(body))})
	if err != nil {
		w.T.Fatalf("request upload of %s: %v", name, err)
	}
	return up
}

// uploadSession requests, posts and confirms a PDF of a session.
func (w *world) uploadSession(pr domain.Principal, session int64, name string, body []byte) domain.Material {
	w.T.Helper()
	up := w.requestSession(pr, session, name, body)
	if st := post(w.T, up.Upload, body); st/100 != 2 {
		w.T.Fatalf("upload of %s answered %d", name, st)
	}
	m, err := w.svc.Confirm(context.Background(), pr, up.Material.ID)
	if err != nil {
		w.T.Fatalf("confirm %s: %v", name, err)
	}
	return m
}

// TestAuthzSessionMaterials is the authorization table of a class
// session's materials, decided by the classes use case: every role on a
// session of an open class at their own centre A1 and at the foreign centre
// B1, the class's teacher and a teacher of the centre who does not teach
// it, and learners enrolled (active, completed), waitlisted, withdrawn or
// not enrolled at all — a learner of province A sees the open class (to
// enrol) but not its files; a learner of province B enrolled in A1's class
// sees them.
func TestAuthzSessionMaterials(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	person := func(name, phone string, commune int64, g domain.Grant) domain.Principal {
		id := w.AddPerson(name, phone, commune)
		g.PersonID = id
		return domain.Principal{PersonID: id, AccountID: id, Grants: []domain.Grant{g}}
	}
	cg := func(role domain.Role, centre, commune, prov int64) domain.Grant {
		return domain.Grant{Role: role, Kind: domain.ScopeCentre, CentreID: centre, CommuneID: commune, ProvinceID: prov}
	}
	otherTeacherA1 := person("Lò Văn Khác", "0981100001", w.CommA1, cg(domain.RoleTeacher, w.CentreA1, w.CommA1, w.ProvA))
	teacherB1 := person("Quàng Thị Dạy", "0981100002", w.CommB1, cg(domain.RoleTeacher, w.CentreB1, w.CommB1, w.ProvB))
	learner := func(name, phone string) domain.Principal {
		return person(name, phone, w.CommB1, cg(domain.RoleLearner, w.CentreB1, w.CommB1, w.ProvB))
	}
	enrolled, completed := learner("Lò Thị Học", "0981100003"), learner("Tòng Văn Xong", "0981100004")
	waitlisted, withdrawn := learner("Lù Thị Chờ", "0981100005"), learner("Vàng Văn Rút", "0981100006")

	at := time.Date(2026, 3, 2, 18, 30, 0, 0, time.FixedZone("ICT", 7*3600))
	classA1, courseA1, versionA1, sessA1 := w.classWithSession(w.CentreA1, w.teacherA1.PersonID, at)
	_, _, _, sessB1 := w.classWithSession(w.CentreB1, teacherB1.PersonID, at)
	w.enrol(enrolled.PersonID, classA1, courseA1, versionA1, "active")
	w.enrol(completed.PersonID, classA1, courseA1, versionA1, "completed")
	w.enrol(waitlisted.PersonID, classA1, courseA1, versionA1, "waitlisted")
	w.enrol(withdrawn.PersonID, classA1, courseA1, versionA1, "withdrawn")

	callers := []struct {
		name string
		p    domain.Principal
	}{
		{"admin", w.admin}, {"officer_province_A", w.officerA}, {"officer_commune_A1", w.officerA1}, {"manager_A1", w.managerA1},
		{"teacher_A1_of_the_class", w.teacherA1}, {"teacher_A1_not_of_the_class", otherTeacherA1},
		{"learner_A1_not_enrolled", w.learnerA1}, {"manager_B1", w.managerB1}, {"teacher_B1_of_the_class", teacherB1},
		{"learner_B1_enrolled_in_A1", enrolled}, {"learner_B1_completed_in_A1", completed},
		{"learner_B1_waitlisted_in_A1", waitlisted}, {"learner_B1_withdrawn_from_A1", withdrawn},
	}
	// r: sees the session; d: lists and downloads its files; e: uploads and deletes.
	type want struct{ r, d, e bool }
	all, reader, seer := want{true, true, true}, want{true, true, false}, want{true, false, false} // others: none
	sessions := []struct {
		name string
		id   int64
		want map[string]want
	}{
		{"centre_A1", sessA1, map[string]want{"admin": all, "officer_province_A": reader, "officer_commune_A1": reader, "manager_A1": all,
			"teacher_A1_of_the_class": all, "teacher_A1_not_of_the_class": reader, "learner_A1_not_enrolled": seer,
			"learner_B1_enrolled_in_A1": reader, "learner_B1_completed_in_A1": reader}},
		{"foreign_centre_B1", sessB1, map[string]want{"admin": all, "manager_B1": all, "teacher_B1_of_the_class": all,
			// B1's learners see the open class of their province, not its files.
			"learner_B1_enrolled_in_A1": seer, "learner_B1_completed_in_A1": seer, "learner_B1_waitlisted_in_A1": seer, "learner_B1_withdrawn_from_A1": seer}},
	}
	for _, sc := range sessions {
		ready := w.uploadSession(w.admin, sc.id, "phieu-bai-tap.pdf", pdf(10))
		others := w.requestSession(w.uploader, sc.id, "cua-nguoi-khac.pdf", pdf(10))
		for i, c := range callers {
			wt := sc.want[c.name]
			name := sc.name + "/" + c.name
			t.Run("request_upload/"+name, func(t *testing.T) {
				up, err := w.svc.RequestSessionUpload(ctx, c.p, sc.id, materials.UploadRequest{FileName: "Bài giảng.pdf", ContentType: "application/pdf", Size: 10})
				if codeOf(err) != want0(wt.r, wt.e) {
					t.Fatalf("request upload: %v, want %q", err, want0(wt.r, wt.e))
				}
				if err != nil {
					return
				}
				if up.Material.SessionID != sc.id || up.Material.CourseID != 0 || !strings.HasPrefix(up.Upload.Key, fmt.Sprintf("materials/sessions/%d/", sc.id)) {
					t.Fatalf("pending %+v under %q", up.Material, up.Upload.Key)
				}
				if st := post(t, up.Upload, pdf(10)[:10]); st/100 != 2 {
					t.Fatalf("upload answered %d", st)
				}
				if _, err := w.svc.Confirm(ctx, c.p, up.Material.ID); err != nil {
					t.Fatalf("confirm of one's own upload: %v", err)
				}
			})
			t.Run("confirm_upload_of_another/"+name, func(t *testing.T) {
				if _, err := w.svc.Confirm(ctx, c.p, others.Material.ID); codeOf(err) != want0(wt.r, false) {
					t.Fatalf("confirm: %v, want %q", err, want0(wt.r, false))
				}
			})
			t.Run("download/"+name, func(t *testing.T) {
				d, err := w.svc.Download(ctx, c.p, ready.ID, true)
				if codeOf(err) != want0(wt.d, true) {
					t.Fatalf("download: %v, want %q", err, want0(wt.d, true))
				}
				if err == nil && (!d.Inline || d.FileName != "phieu-bai-tap.pdf" || d.ContentType != "application/pdf") {
					t.Fatalf("download %+v", d)
				}
			})
			t.Run("list/"+name, func(t *testing.T) {
				list, editable, err := w.svc.ListSession(ctx, c.p, sc.id)
				if codeOf(err) != want0(wt.r, wt.d) {
					t.Fatalf("list: %v, want %q", err, want0(wt.r, wt.d))
				}
				if err == nil && (editable != wt.e || len(list) == 0 || list[len(list)-1].ID != ready.ID) {
					t.Fatalf("list of %d, editable %v", len(list), editable)
				}
			})
			t.Run("delete/"+name, func(t *testing.T) {
				m := w.requestSession(w.admin, sc.id, fmt.Sprintf("xoa-%d.pdf", i), pdf(10))
				err := w.svc.Delete(ctx, c.p, m.Material.ID)
				if codeOf(err) != want0(wt.r, wt.e) {
					t.Fatalf("delete: %v, want %q", err, want0(wt.r, wt.e))
				}
				if left := w.ID(`SELECT count(*) FROM materials WHERE id = $1`, m.Material.ID); (err == nil) != (left == 0) {
					t.Fatalf("delete answered %v, %d rows left", err, left)
				}
			})
		}
	}
}

// want0 is the answer to a use case that needs need after read.
func want0(read, need bool) domain.Code { return want(read, need) }

// A session's files go through the course path: the same allow-list and
// size limits, the class's centre's quota (shared with its courses), the
// magic-byte check at confirm, safe download headers from the store; a
// cancelled session takes no new files (its files stay downloadable), and a
// session's file cannot become a course lesson's.
func TestSessionMaterialsPath(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	at := time.Date(2026, 3, 4, 18, 30, 0, 0, time.FixedZone("ICT", 7*3600))
	_, _, _, sess := w.classWithSession(w.CentreA1, w.teacherA1.PersonID, at)

	// The allow-list and the limits.
	if _, err := w.svc.RequestSessionUpload(ctx, w.teacherA1, sess, materials.UploadRequest{FileName: "trang.html", ContentType: "text/html", Size: 100}); !hasField(err, "content_type", "material_type_not_allowed") {
		t.Fatalf("HTML: %v", err)
	}
	if _, err := w.svc.RequestSessionUpload(ctx, w.teacherA1, sess, materials.UploadRequest{FileName: "to.pdf", ContentType: "application/pdf", Size: 51 << 20}); keyOf(err) != "material_too_large" {
		t.Fatalf("51 MB PDF: %v", err)
	}

	// The handout, downloaded with the store's safe headers.
	body := pdf(2000)
	m := w.uploadSession(w.teacherA1, sess, "Phiếu bài tập – buổi 1.pdf", body)
	d, err := w.svc.Download(ctx, w.managerA1, m.ID, false)
	if err != nil {
		t.Fatal(err)
	}
	resp, got := get(t, d.URL, nil)
	cd := resp.Header.Get("Content-Disposition")
	if resp.StatusCode != 200 || len(got) != len(body) || resp.Header.Get("Content-Type") != "application/pdf" ||
		!strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, "filename*=utf-8''") {
		t.Fatalf("GET: %d, %d bytes, %q, %q", resp.StatusCode, len(got), resp.Header.Get("Content-Type"), cd)
	}

	// The centre's quota counts it (with the courses' files).
	u, err := w.svc.Usage(ctx, w.managerA1, domain.StorageOwner{CentreID: w.CentreA1})
	if err != nil || u.Used != int64(len(body)) {
		t.Fatalf("usage %+v, %v", u, err)
	}
	tight := *w.svc
	tight.Limits.QuotaBytes = int64(len(body)) + 100
	if _, err := tight.RequestSessionUpload(ctx, w.teacherA1, sess, materials.UploadRequest{FileName: "b.pdf", ContentType: "application/pdf", Size: 101}); keyOf(err) != "storage_quota_exceeded" {
		t.Fatalf("over quota: %v", err)
	}
	if _, err := tight.RequestUpload(ctx, w.teacherA1, w.courseA1, materials.UploadRequest{FileName: "b.pdf", ContentType: "application/pdf", Size: 101}); keyOf(err) != "storage_quota_exceeded" {
		t.Fatalf("a course's file over the quota the session's file takes: %v", err)
	}

	// A renamed executable is refused at confirm and gone with its object.
	exe := append([]byte("MZ\x90\x00"), make([]byte, 300)...)
	up := w.requestSession(w.teacherA1, sess, "bai-tap.pdf", exe)
	if st := post(t, up.Upload, exe); st/100 != 2 {
		t.Fatalf("upload answered %d", st)
	}
	if _, err := w.svc.Confirm(ctx, w.teacherA1, up.Material.ID); !hasField(err, "file", "material_content_mismatch") {
		t.Fatalf("confirm of an executable: %v", err)
	}
	if w.ID(`SELECT count(*) FROM materials WHERE id = $1`, up.Material.ID) != 0 {
		t.Fatal("the refused upload's row is left")
	}
	if _, err := w.objects.Stat(ctx, up.Upload.Key); codeOf(err) != domain.CodeNotFound {
		t.Fatalf("the refused upload's object: %v", err)
	}

	// A session's file is no course's: a lesson of the class's course cannot use it.
	if w.ID(`SELECT count(*) FROM materials WHERE id = $1 AND course_id IS NULL AND session_id = $2 AND centre_id = $3`, m.ID, sess, w.CentreA1) != 1 {
		t.Fatal("the session's material row")
	}

	// Cancelled: no new files; the handout stays downloadable.
	w.ID(`UPDATE class_sessions SET status = 'cancelled', cancel_reason = 'Mưa lũ' WHERE id = $1`, sess)
	if _, err := w.svc.RequestSessionUpload(ctx, w.teacherA1, sess, materials.UploadRequest{FileName: "c.pdf", ContentType: "application/pdf", Size: 10}); keyOf(err) != "session_cancelled" {
		t.Fatalf("upload to a cancelled session: %v", err)
	}
	if _, err := w.svc.Download(ctx, w.teacherA1, m.ID, true); err != nil {
		t.Fatalf("download from a cancelled session: %v", err)
	}
	// Unknown session: not found.
	if _, _, err := w.svc.ListSession(ctx, w.admin, sess+1000); codeOf(err) != domain.CodeNotFound {
		t.Fatalf("unknown session: %v", err)
	}
	// A session's material is deleted by its teacher with its object.
	if err := w.svc.Delete(ctx, w.teacherA1, m.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := w.objects.Stat(ctx, m.ObjectKey); codeOf(err) != domain.CodeNotFound {
		t.Fatalf("the deleted material's object: %v", err)
	}
}

// A centre's quota holds under concurrent announcements from its courses'
// editors and its sessions' teachers at once (the lock per owner is shared):
// of twenty 100-byte uploads against 1000 bytes, exactly ten are admitted.
func TestSessionAndCourseUploadsShareTheQuotaUnderConcurrency(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	at := time.Date(2026, 3, 6, 18, 30, 0, 0, time.FixedZone("ICT", 7*3600))
	_, _, _, sess := w.classWithSession(w.CentreA1, w.teacherA1.PersonID, at)
	svc := *w.svc
	svc.Limits.QuotaBytes = 1000
	start := make(chan struct{})
	errs := make(chan error, 20)
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			in := materials.UploadRequest{FileName: fmt.Sprintf("tep-%d.pdf", i), ContentType: "application/pdf", Size: 100}
			var err error
			if i%2 == 0 {
				_, err = svc.RequestSessionUpload(ctx, w.teacherA1, sess, in)
			} else {
				_, err = svc.RequestUpload(ctx, w.teacherA1, w.courseA1, in)
			}
			errs <- err
		}()
	}
	close(start)
	wg.Wait()
	close(errs)
	ok, over := 0, 0
	for err := range errs {
		switch {
		case err == nil:
			ok++
		case keyOf(err) == "storage_quota_exceeded":
			over++
		default:
			t.Fatalf("unexpected: %v", err)
		}
	}
	u, err := svc.Usage(ctx, w.managerA1, domain.StorageOwner{CentreID: w.CentreA1})
	if ok != 10 || over != 10 || err != nil || u.Used != 1000 {
		t.Fatalf("%d admitted, %d refused; usage %+v, %v", ok, over, u, err)
	}
}
