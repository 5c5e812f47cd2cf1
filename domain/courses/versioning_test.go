package courses_test

import (
	"context"
	"fmt"
	"reflect"
	"testing"

	"densach/domain"
	"densach/domain/courses"
)

// competence returns the id of a competence by framework and code.
func (w *world) competence(framework, code string) int32 {
	w.T.Helper()
	return int32(w.ID(`SELECT c.id FROM competences c JOIN competence_frameworks f ON f.id = c.framework_id WHERE f.code = $1 AND c.code = $2`, framework, code))
}

// lessonRows dumps a version's lessons and modules as stored.
func (w *world) lessonRows(versionID int64) string {
	w.T.Helper()
	rows, err := w.DB.SQL().Query(`SELECT m.key, m.position, m.title, l.id, l.key, l.position, l.kind, l.title, l.body_md, l.url
		FROM lessons l JOIN course_modules m ON m.id = l.module_id WHERE l.version_id = $1 ORDER BY m.position, l.position`, versionID)
	if err != nil {
		w.T.Fatal(err)
	}
	defer rows.Close()
	out := ""
	for rows.Next() {
		var mk, mt, lk, kind, title, body, url string
		var mp, lp int
		var id int64
		if err := rows.Scan(&mk, &mp, &mt, &id, &lk, &lp, &kind, &title, &body, &url); err != nil {
			w.T.Fatal(err)
		}
		out += fmt.Sprintf("%s/%d/%s %d %s/%d/%s/%s/%s/%s\n", mk, mp, mt, id, lk, lp, kind, title, body, url)
	}
	return out
}

// must returns v, or panics (failing the test) on err.
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// TestEditingPublishedKeepsVersion: editing a published course edits a new
// draft; the published version's rows and lessons stay as they were, and
// what refers to it (a class) still loads it.
func TestEditingPublishedKeepsVersion(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	mgr := w.signIn(kManagerA1)
	c11 := w.competence("tt02-2025", "1.1")
	d := must(w.svc.Create(ctx, mgr, courses.NewCourse{CentreID: w.CentreA1, Tags: []domain.CompetenceTag{{CompetenceID: c11, LevelStep: 2}},
		Details: courses.Details{Title: "Kỹ năng số cơ bản", Summary: "Dùng điện thoại an toàn", Category: "digital_skills"}}))
	m1 := must(w.svc.AddModule(ctx, mgr, d.ID, "Làm quen"))
	l1 := must(w.svc.AddLesson(ctx, mgr, m1.ID, courses.LessonInput{Kind: courses.KindText, Title: "Bật máy", BodyMD: "Nhấn nút nguồn", Required: true}))
	must(w.svc.AddLesson(ctx, mgr, m1.ID, courses.LessonInput{Kind: courses.KindLink, Title: "Tài liệu", URL: "https://example.org/a"}))
	v1 := must(w.svc.Publish(ctx, mgr, d.ID))
	if v1.Version.Number != 1 || v1.Status != courses.StatusPublished || v1.DraftVersionID != 0 {
		t.Fatalf("publish: %+v", v1.Head)
	}
	// A class keeps the version it was opened with.
	classVersion := v1.Version.ID
	before := w.lessonRows(classVersion)
	var search string
	if err := w.DB.SQL().QueryRow(`SELECT search_text FROM course_versions WHERE id = $1`, classVersion).Scan(&search); err != nil || search != "ky nang so co ban dung dien thoai an toan" {
		t.Fatalf("search_text %q %v", search, err)
	}

	// Editing needs a draft.
	title := "Kỹ năng số nâng cao"
	if _, err := w.svc.Update(ctx, mgr, d.ID, courses.DetailChanges{Title: &title}); domain.AsError(err).Key != "course_no_draft" {
		t.Fatalf("update without draft: %v", err)
	}
	body := "Đã sửa"
	if _, err := w.svc.UpdateLesson(ctx, mgr, l1.ID, courses.LessonChanges{BodyMD: &body}); domain.AsError(err).Key != "course_version_published" {
		t.Fatalf("edit a published lesson: %v", err)
	}
	draft := must(w.svc.OpenDraft(ctx, mgr, d.ID))
	again := must(w.svc.OpenDraft(ctx, mgr, d.ID))
	if draft.Version.ID == classVersion || draft.Version.Number != 0 || again.Version.ID != draft.Version.ID {
		t.Fatalf("open draft: %d, again %d, published %d", draft.Version.ID, again.Version.ID, classVersion)
	}
	if len(draft.Version.Tags) != 1 || draft.Version.Tags[0].LevelStep != 2 || len(draft.Modules) != 1 || len(draft.Modules[0].Lessons) != 2 {
		t.Fatalf("the draft is not a copy: %+v", draft)
	}
	for i, l := range draft.Modules[0].Lessons {
		if old := v1.Modules[0].Lessons[i]; l.Key != old.Key || l.ID == old.ID {
			t.Fatalf("lesson %d: key %s (was %s), id %d (was %d)", i, l.Key, old.Key, l.ID, old.ID)
		}
	}
	// Edit everything in the draft.
	must(w.svc.Update(ctx, mgr, d.ID, courses.DetailChanges{Title: &title, Tags: &[]domain.CompetenceTag{}}))
	dl := draft.Modules[0].Lessons
	must(w.svc.UpdateLesson(ctx, mgr, dl[0].ID, courses.LessonChanges{BodyMD: &body}))
	if err := w.svc.DeleteLesson(ctx, mgr, dl[1].ID); err != nil {
		t.Fatal(err)
	}
	m2 := must(w.svc.AddModule(ctx, mgr, d.ID, "Chương mới"))
	quiz := must(w.svc.AddLesson(ctx, mgr, m2.ID, courses.LessonInput{Kind: courses.KindQuiz, Title: "Kiểm tra"}))
	must(w.svc.Reorder(ctx, mgr, d.ID, []courses.ModuleOrder{{ID: m2.ID, LessonIDs: []int64{dl[0].ID, quiz.ID}}, {ID: draft.Modules[0].ID, LessonIDs: nil}}))
	v2 := must(w.svc.Publish(ctx, mgr, d.ID))
	if v2.Version.Number != 2 || v2.Version.Details.Title != title || v2.PublishedVersionID == classVersion {
		t.Fatalf("v2: %+v", v2.Version)
	}

	// Version 1 is as it was: rows, lessons, tags, and as the page loads it.
	if after := w.lessonRows(classVersion); after != before {
		t.Fatalf("version 1's lessons changed:\n%s\nwas\n%s", after, before)
	}
	old := must(w.svc.Get(ctx, mgr, d.ID, "1"))
	v1.Can, old.Can = courses.Permissions{}, courses.Permissions{}
	if !reflect.DeepEqual(old.Version, v1.Version) || !reflect.DeepEqual(old.Modules, v1.Modules) {
		t.Fatalf("version 1 loads differently:\n%+v\nwas\n%+v", old.Version, v1.Version)
	}
	learner := w.signIn(kLearnerA1)
	if got := must(w.svc.Get(ctx, learner, d.ID, "")); got.Version.Number != 2 {
		t.Fatalf("a learner reads version %d", got.Version.Number)
	}
	if got := must(w.svc.Get(ctx, learner, d.ID, "1")); got.Version.ID != classVersion {
		t.Fatalf("version 1 by number: %d", got.Version.ID)
	}
	// The database refuses changes to a published version, whoever asks.
	if _, err := w.DB.SQL().Exec(`UPDATE lessons SET title = 'x' WHERE version_id = $1`, classVersion); err == nil {
		t.Fatal("a published lesson changed")
	}
	vs := must(w.svc.Versions(ctx, mgr, d.ID))
	if len(vs) != 2 || vs[0].Number != 2 || !vs[0].Current || vs[1].Number != 1 || vs[1].Current {
		t.Fatalf("versions: %+v", vs)
	}
	// A published course is archived, not deleted; a discarded draft leaves the published version.
	if err := w.svc.Delete(ctx, mgr, d.ID); domain.AsError(err).Key != "course_published" {
		t.Fatalf("delete published: %v", err)
	}
	must(w.svc.OpenDraft(ctx, mgr, d.ID))
	if err := w.svc.DiscardDraft(ctx, mgr, d.ID); err != nil {
		t.Fatal(err)
	}
	if h := must(w.svc.Get(ctx, mgr, d.ID, "")); h.DraftVersionID != 0 || h.Version.Number != 2 {
		t.Fatalf("after discard: %+v", h.Head)
	}
	arch := must(w.svc.Archive(ctx, mgr, d.ID))
	if arch.Status != courses.StatusArchived {
		t.Fatalf("archive: %s", arch.Status)
	}
	if got := must(w.svc.Get(ctx, learner, d.ID, "1")); got.Version.ID != classVersion {
		t.Fatal("an archived course's version no longer loads")
	}
}

// TestReorder: one request sets the whole order, lessons may change
// module, and a wrong set of ids or a duplicate is refused without change.
func TestReorder(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	tch := w.signIn(kTeacherA1)
	d := w.course(tDraftA1)
	a := d.Modules[0]
	b := must(w.svc.AddModule(ctx, tch, d.ID, "Chương B"))
	la := a.Lessons[0].ID
	l2 := must(w.svc.AddLesson(ctx, tch, a.ID, courses.LessonInput{Kind: courses.KindText, Title: "Bài 2"})).ID
	l3 := must(w.svc.AddLesson(ctx, tch, b.ID, courses.LessonInput{Kind: courses.KindText, Title: "Bài 3"})).ID
	got := must(w.svc.Reorder(ctx, tch, d.ID, []courses.ModuleOrder{{ID: b.ID, LessonIDs: []int64{l2, l3, la}}, {ID: a.ID}}))
	order := func(d courses.Detail) string {
		s := ""
		for _, m := range d.Modules {
			s += fmt.Sprintf("[%d@%d:", m.ID, m.Position)
			for _, l := range m.Lessons {
				s += fmt.Sprintf(" %d@%d", l.ID, l.Position)
			}
			s += "]"
		}
		return s
	}
	want := fmt.Sprintf("[%d@1: %d@1 %d@2 %d@3][%d@2:]", b.ID, l2, l3, la, a.ID)
	if order(got) != want {
		t.Fatalf("order %s, want %s", order(got), want)
	}
	other := w.course(tDraftA1)
	bad := map[string][]courses.ModuleOrder{
		"structure_mismatch/missing lesson": {{ID: b.ID, LessonIDs: []int64{l2, l3}}, {ID: a.ID}},
		"structure_mismatch/missing module": {{ID: b.ID, LessonIDs: []int64{l2, l3, la}}},
		"structure_mismatch/foreign lesson": {{ID: b.ID, LessonIDs: []int64{l2, l3, la, other.Modules[0].Lessons[0].ID}}, {ID: a.ID}},
		"structure_mismatch/foreign module": {{ID: b.ID, LessonIDs: []int64{l2, l3, la}}, {ID: a.ID}, {ID: other.Modules[0].ID}},
		"structure_duplicate/lesson twice":  {{ID: b.ID, LessonIDs: []int64{l2, l3, la}}, {ID: a.ID, LessonIDs: []int64{la}}},
		"structure_duplicate/module twice":  {{ID: b.ID, LessonIDs: []int64{l2, l3, la}}, {ID: a.ID}, {ID: a.ID}},
		"structure_mismatch/unknown lesson": {{ID: b.ID, LessonIDs: []int64{l2, l3, 999999}}, {ID: a.ID}},
		"structure_mismatch/nothing at all": {},
	}
	for name, o := range bad {
		_, err := w.svc.Reorder(ctx, tch, d.ID, o)
		if e := domain.AsError(err); e.Code != domain.CodeInvalid || len(e.Fields) != 1 || e.Fields[0].Code != name[:len(name)-len(name[indexSlash(name):])] {
			t.Errorf("%s: %v", name, err)
		}
	}
	if now := must(w.svc.Get(ctx, tch, d.ID, "")); order(now) != want {
		t.Fatalf("a refused reorder changed the order: %s", order(now))
	}
	// No two at one position anywhere.
	if n := w.ID(`SELECT count(*) FROM (SELECT module_id, position FROM lessons GROUP BY 1, 2 HAVING count(*) > 1) x`); n != 0 {
		t.Fatalf("%d duplicate lesson positions", n)
	}
	// Deleting a lesson or a module closes the gap.
	if err := w.svc.DeleteLesson(ctx, tch, l3); err != nil {
		t.Fatal(err)
	}
	if err := w.svc.DeleteModule(ctx, tch, b.ID); err != nil {
		t.Fatal(err)
	}
	now := must(w.svc.Get(ctx, tch, d.ID, ""))
	if want := fmt.Sprintf("[%d@1:]", a.ID); order(now) != want {
		t.Fatalf("after deletes %s, want %s", order(now), want)
	}
}

func indexSlash(s string) int {
	for i := range s {
		if s[i] == '/' {
			return i
		}
	}
	return len(s)
}

// TestTagLevels: a level step must exist in the competence's framework
// (TT 02 has eight, TT 03 none); unknown and repeated competences are refused.
func TestTagLevels(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	mgr := w.signIn(kManagerA1)
	c11, c21, iu01 := w.competence("tt02-2025", "1.1"), w.competence("tt02-2025", "2.1"), w.competence("tt03-2014", "IU01")
	d := w.course(tDraftA1)
	cases := []struct {
		name string
		tags []domain.CompetenceTag
		code string
	}{
		{"tt02 steps 1 and 8", []domain.CompetenceTag{{CompetenceID: c11, LevelStep: 1}, {CompetenceID: c21, LevelStep: 8}}, ""},
		{"tt02 without level", []domain.CompetenceTag{{CompetenceID: c11}}, ""},
		{"tt03 without level", []domain.CompetenceTag{{CompetenceID: iu01}}, ""},
		{"tt02 step 9", []domain.CompetenceTag{{CompetenceID: c11, LevelStep: 9}}, "tag_level_invalid"},
		{"tt02 step -1", []domain.CompetenceTag{{CompetenceID: c11, LevelStep: -1}}, "tag_level_invalid"},
		{"tt03 with a level", []domain.CompetenceTag{{CompetenceID: iu01, LevelStep: 1}}, "tag_level_invalid"},
		{"unknown competence", []domain.CompetenceTag{{CompetenceID: 99999}}, "tag_competence_unknown"},
		{"twice", []domain.CompetenceTag{{CompetenceID: c11, LevelStep: 1}, {CompetenceID: c11, LevelStep: 2}}, "tag_duplicate"},
	}
	lesson := d.Modules[0].Lessons[0].ID
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, where := range []string{"course", "lesson"} {
				var err error
				if where == "course" {
					_, err = w.svc.Update(ctx, mgr, d.ID, courses.DetailChanges{Tags: &tc.tags})
				} else {
					_, err = w.svc.UpdateLesson(ctx, mgr, lesson, courses.LessonChanges{Tags: &tc.tags})
				}
				e := domain.AsError(err)
				if tc.code == "" && err != nil || tc.code != "" && (len(e.Fields) == 0 || e.Fields[0].Code != tc.code || e.Fields[0].Field != "tags") {
					t.Fatalf("%s: %v, want %q", where, err, tc.code)
				}
			}
		})
	}
	got := must(w.svc.Update(ctx, mgr, d.ID, courses.DetailChanges{Tags: &[]domain.CompetenceTag{{CompetenceID: c11, LevelStep: 2}, {CompetenceID: iu01}}}))
	if len(got.Version.Tags) != 2 || got.Version.Tags[0].LevelCode != "CB2" || got.Version.Tags[1].LevelCode != "" || !got.DigitalSkills() || !got.ITApplication() {
		t.Fatalf("tags: %+v", got.Version.Tags)
	}
}

// TestCopyFromLibrary: a manager copies a published library course into
// their centre as a new draft that keeps the library's materials.
func TestCopyFromLibrary(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	officer := w.signIn(kOfficerA)
	mgr := w.signIn(kManagerA1)
	iu01 := w.competence("tt03-2014", "IU01")
	lib := must(w.svc.Create(ctx, officer, courses.NewCourse{ProvinceID: w.ProvA, Tags: []domain.CompetenceTag{{CompetenceID: iu01}},
		Details: courses.Details{Title: "Ứng dụng CNTT cho cán bộ Hội", Category: "digital_skills"}}))
	mod := must(w.svc.AddModule(ctx, officer, lib.ID, "Máy tính"))
	mat := w.ID(`INSERT INTO materials (course_id, province_id, object_key, display_name, kind, content_type, declared_size, size, status, uploaded_by, expires_at, confirmed_at)
		VALUES ($1, $2, 'materials/test.pdf', 'bai-giang.pdf', 'document', 'application/pdf', 100, 100, 'ready', $3, now(), now()) RETURNING id`, lib.ID, w.ProvA, officer.PersonID)
	doc := must(w.svc.AddLesson(ctx, officer, mod.ID, courses.LessonInput{Kind: courses.KindDocument, Title: "Bài giảng", MaterialID: mat, Required: true}))
	if doc.Material == nil || doc.Material.Size != 100 || doc.Material.DisplayName != "bai-giang.pdf" {
		t.Fatalf("lesson material: %+v", doc.Material)
	}
	if _, err := w.svc.Copy(ctx, mgr, lib.ID, w.CentreA1); domain.ErrorCode(err) != domain.CodeNotFound {
		t.Fatalf("copy of an unpublished library course the manager cannot see: %v", err)
	}
	if _, err := w.svc.Copy(ctx, w.admin, lib.ID, w.CentreA1); domain.AsError(err).Key != "course_not_published" {
		t.Fatalf("copy of an unpublished library course: %v", err)
	}
	pub := must(w.svc.Publish(ctx, officer, lib.ID))
	cp := must(w.svc.Copy(ctx, mgr, lib.ID, w.CentreA1))
	if cp.ID == lib.ID || cp.CentreID != w.CentreA1 || cp.ProvinceID != 0 || cp.Status != courses.StatusDraft || cp.CopiedFromVersion != pub.Version.ID ||
		cp.Version.Number != 0 || cp.Version.Details.Title != "Ứng dụng CNTT cho cán bộ Hội" || len(cp.Version.Tags) != 1 || !cp.Can.EditDetails {
		t.Fatalf("copy: %+v", cp)
	}
	cl := cp.Modules[0].Lessons[0]
	if cl.Material == nil || cl.Material.ID != mat || cl.Key == pub.Modules[0].Lessons[0].Key || cp.Modules[0].Key == pub.Modules[0].Key {
		t.Fatalf("copied lesson: %+v", cl)
	}
	// The copy is the centre's own: edited without touching the library,
	// and its lesson keeps the library's file (shared read-only).
	title := "Bài giảng (trung tâm)"
	if l := must(w.svc.UpdateLesson(ctx, mgr, cl.ID, courses.LessonChanges{Title: &title})); l.Material == nil || l.Material.ID != mat {
		t.Fatalf("the copied lesson lost its file: %+v", l)
	}
	must(w.svc.Publish(ctx, mgr, cp.ID))
	if again := must(w.svc.Get(ctx, officer, lib.ID, "")); again.Modules[0].Lessons[0].Title != "Bài giảng" {
		t.Fatal("the library changed")
	}
	// A file of another course cannot be attached anew.
	_, err := w.svc.AddLesson(ctx, officer, must(w.svc.OpenDraft(ctx, officer, lib.ID)).Modules[0].ID, courses.LessonInput{Kind: courses.KindVideo, Title: "Phim", MaterialID: mat})
	if e := domain.AsError(err); len(e.Fields) == 0 || e.Fields[0].Code != "lesson_material_invalid" {
		t.Fatalf("a document as a video: %v", err)
	}
	// Refusals: another province's centre, a centre course, a centre the caller does not manage.
	if _, err := w.svc.Copy(ctx, w.admin, lib.ID, w.CentreB1); domain.AsError(err).Fields[0].Code != "course_copy_province" {
		t.Fatalf("copy into province B: %v", err)
	}
	if _, err := w.svc.Copy(ctx, mgr, cp.ID, w.CentreA1); domain.AsError(err).Fields[0].Code != "course_copy_not_library" {
		t.Fatalf("copy of a centre course: %v", err)
	}
	if _, err := w.svc.Copy(ctx, mgr, lib.ID, w.CentreA2); domain.ErrorCode(err) != domain.CodeForbidden {
		t.Fatalf("copy into another centre: %v", err)
	}
}
