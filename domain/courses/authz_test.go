package courses_test

import (
	"context"
	"testing"

	"densach/domain"
	"densach/domain/courses"
)

// callerKinds are the columns of the table: every role, in the courses'
// own scope (province A, commune A1, centre A1) and in foreign ones.
var callerKinds = []string{kAdmin, kOfficerA, kOfficerB, kOfficerA1, kOfficerA2, kManagerA1, kManagerA2, kTeacherA1, kLearnerA1}

// The callers' indexes in callerKinds.
const (
	cAdmin = iota
	cOfficerA
	cOfficerB
	cOfficerA1
	cOfficerA2
	cManagerA1
	cManagerA2
	cTeacherA1
	cLearnerA1
)

type who = [9]bool

// courseCase is one kind of course and what each caller may do with it.
type courseCase struct {
	kind     string
	reads    who // sees the course (its published version, or its draft when it has only that)
	drafts   who // sees its draft
	manages  who // details, tags, status, delete
	lessons  who // modules, lessons, order
	hasDraft bool
	library  bool
	// published: has a published version
	published bool
}

var (
	draftsA1  = who{cAdmin: true, cOfficerA: true, cOfficerA1: true, cManagerA1: true, cTeacherA1: true}
	readsA1   = who{cAdmin: true, cOfficerA: true, cOfficerA1: true, cManagerA1: true, cTeacherA1: true, cLearnerA1: true}
	managesA1 = who{cAdmin: true, cManagerA1: true}
	lessonsA1 = who{cAdmin: true, cManagerA1: true, cTeacherA1: true}
	libraryA  = who{cAdmin: true, cOfficerA: true}
	readsLibA = who{cAdmin: true, cOfficerA: true, cOfficerA1: true, cOfficerA2: true, cManagerA1: true, cManagerA2: true, cTeacherA1: true, cLearnerA1: true}
	onlyB     = who{cAdmin: true, cOfficerB: true}
	adminOnly = who{cAdmin: true}
)

var courseCases = []courseCase{
	{tPublishedA1, readsA1, draftsA1, managesA1, lessonsA1, true, false, true},
	{tDraftA1, draftsA1, draftsA1, managesA1, lessonsA1, true, false, false},
	{tLibraryA, readsLibA, libraryA, libraryA, libraryA, false, true, true},
	{tLibDraftA, libraryA, libraryA, libraryA, libraryA, true, true, false},
	{tPublishedB1, onlyB, onlyB, adminOnly, adminOnly, true, false, true},
}

// rule is the answer to a caller: not found when they may not read, forbidden
// when they may not act, else the state's answer.
func rule(readable, allowed bool, state domain.Code) domain.Code {
	switch {
	case !readable:
		return domain.CodeNotFound
	case !allowed:
		return domain.CodeForbidden
	}
	return state
}

func when(cond bool, c domain.Code) domain.Code {
	if cond {
		return c
	}
	return ""
}

// TestAuthzCoursesUseCases runs every courses use case for every caller
// against a fresh course of each kind, in an order where each step's state
// is known: reads, edits of the draft, structure, copy, then the versioning
// steps and the deletion.
func TestAuthzCoursesUseCases(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	callers := make([]domain.Principal, len(callerKinds))
	for i, k := range callerKinds {
		callers[i] = w.signIn(k)
	}
	for _, tc := range courseCases {
		for i, pr := range callers {
			t.Run(tc.kind+"/"+callerKinds[i], func(t *testing.T) {
				d := w.course(tc.kind)
				id := d.ID
				check := func(op string, err error, want domain.Code) {
					t.Helper()
					if codeOf(err) != want {
						t.Errorf("%s: %v, want %q", op, err, want)
					}
				}
				// Reads.
				got, err := w.svc.Get(ctx, pr, id, "")
				check("get", err, rule(tc.reads[i], true, ""))
				// The default version: the draft for editors (and for a course
				// that has nothing else), else the published one.
				wantDraft := tc.hasDraft && (tc.lessons[i] || !tc.published)
				if err == nil && (got.Version.Number == 0) != wantDraft {
					t.Errorf("get: default version %d, want the draft: %v", got.Version.Number, wantDraft)
				}
				if err == nil && (got.Can.EditDetails != tc.manages[i] || got.Can.EditLessons != tc.lessons[i] || got.Can.Publish != tc.manages[i]) {
					t.Errorf("get: can %+v", got.Can)
				}
				_, err = w.svc.Get(ctx, pr, id, courses.VersionDraft)
				check("get draft", err, when(!tc.drafts[i] || !tc.hasDraft, domain.CodeNotFound))
				_, err = w.svc.Get(ctx, pr, id, "1")
				check("get version 1", err, when(!tc.reads[i] || !tc.published, domain.CodeNotFound))
				vs, err := w.svc.Versions(ctx, pr, id)
				check("versions", err, rule(tc.reads[i], true, ""))
				for _, v := range vs {
					if v.Number == 0 && !tc.drafts[i] {
						t.Errorf("versions: the draft is listed to a caller who may not read it")
					}
				}
				a, err := w.svc.CourseAccess(ctx, pr, id)
				check("access", err, rule(tc.reads[i], true, ""))
				if a.Read != tc.reads[i] || a.ReadDrafts != tc.drafts[i] || a.EditLessons != tc.lessons[i] || a.CourseID != id {
					t.Errorf("access: %+v", a)
				}
				if tc.library && (a.ProvinceID != w.ProvA || a.CentreID != 0) || !tc.library && (a.CentreID == 0 || a.ProvinceID != 0) {
					t.Errorf("access owner: %+v", a)
				}
				// The list agrees with the single reads.
				page, err := w.svc.List(ctx, pr, courses.ListFilter{Limit: 100})
				check("list", err, "")
				listed := false
				for _, it := range page.Items {
					if it.ID == id {
						listed = true
						if it.HasDraft && !tc.drafts[i] {
							t.Errorf("list: has_draft shown to a caller who may not read drafts")
						}
					}
				}
				if listed != tc.reads[i] {
					t.Errorf("list: listed %v, want %v", listed, tc.reads[i])
				}

				// The admin's view: the draft when there is one.
				mod := d.Modules[0]
				lessonID := mod.Lessons[0].ID
				versionReadable := tc.reads[i]
				if tc.hasDraft {
					versionReadable = tc.drafts[i]
				}
				structRule := rule(versionReadable, tc.lessons[i], when(!tc.hasDraft, domain.CodeConflict))
				_, err = w.svc.GetLesson(ctx, pr, lessonID)
				check("get lesson", err, rule(versionReadable, true, ""))

				title := "Tên mới"
				_, err = w.svc.Update(ctx, pr, id, courses.DetailChanges{Title: &title})
				check("update", err, rule(tc.reads[i], tc.manages[i], when(!tc.hasDraft, domain.CodeConflict)))
				order := []courses.ModuleOrder{{ID: mod.ID, LessonIDs: []int64{lessonID}}}
				_, err = w.svc.Reorder(ctx, pr, id, order)
				check("reorder", err, rule(tc.reads[i], tc.lessons[i], when(!tc.hasDraft, domain.CodeConflict)))
				_, err = w.svc.RenameModule(ctx, pr, mod.ID, "Chương mới")
				check("rename module", err, structRule)
				added, err := w.svc.AddLesson(ctx, pr, mod.ID, courses.LessonInput{Kind: courses.KindLink, Title: "Liên kết", URL: "https://example.org/"})
				check("add lesson", err, structRule)
				body := "Nội dung mới"
				_, err = w.svc.UpdateLesson(ctx, pr, lessonID, courses.LessonChanges{BodyMD: &body})
				check("update lesson", err, structRule)
				del := lessonID
				if added.ID != 0 {
					del = added.ID
				}
				check("delete lesson", w.svc.DeleteLesson(ctx, pr, del), structRule)
				newMod, err := w.svc.AddModule(ctx, pr, id, "Chương thêm")
				check("add module", err, rule(tc.reads[i], tc.lessons[i], when(!tc.hasDraft, domain.CodeConflict)))
				delMod := mod.ID
				if newMod.ID != 0 {
					delMod = newMod.ID
				}
				check("delete module", w.svc.DeleteModule(ctx, pr, delMod), structRule)

				// Copy into centre A1.
				_, err = w.svc.Copy(ctx, pr, id, w.CentreA1)
				var copyState domain.Code
				switch {
				case !tc.library:
					copyState = domain.CodeInvalid
				case !(i == cAdmin || i == cManagerA1):
					copyState = domain.CodeForbidden
				case !tc.published:
					copyState = domain.CodeConflict
				}
				check("copy", err, rule(tc.reads[i], true, copyState))
				// Copy into the foreign centre B1: only the administrator
				// manages it, and a library of province A stays in province A.
				_, err = w.svc.Copy(ctx, pr, id, w.CentreB1)
				copyB1 := domain.CodeInvalid
				switch {
				case tc.library && i != cAdmin:
					copyB1 = domain.CodeForbidden
				case tc.library && !tc.published:
					copyB1 = domain.CodeConflict
				}
				check("copy into B1", err, rule(tc.reads[i], true, copyB1))
				if tc.reads[i] && got.Can.Copy != (tc.library && tc.published && (i == cAdmin || i == cManagerA1 || i == cManagerA2)) {
					t.Errorf("can.copy = %v", got.Can.Copy)
				}

				// Versioning: open a draft, discard it, publish, archive, unarchive, delete.
				_, err = w.svc.OpenDraft(ctx, pr, id)
				check("open draft", err, rule(tc.reads[i], tc.lessons[i], ""))
				check("discard draft", w.svc.DiscardDraft(ctx, pr, id), rule(tc.reads[i], tc.manages[i], when(!tc.published, domain.CodeConflict)))
				_, err = w.svc.Publish(ctx, pr, id)
				check("publish", err, rule(tc.reads[i], tc.manages[i], when(tc.published, domain.CodeConflict)))
				_, err = w.svc.Archive(ctx, pr, id)
				check("archive", err, rule(tc.reads[i], tc.manages[i], ""))
				_, err = w.svc.Unarchive(ctx, pr, id)
				check("unarchive", err, rule(tc.reads[i], tc.manages[i], ""))
				check("delete", w.svc.Delete(ctx, pr, id), rule(tc.reads[i], tc.manages[i], domain.CodeConflict))
				if !tc.published {
					// A never-published course is deleted by whoever manages it.
					fresh := w.course(tc.kind)
					check("delete never published", w.svc.Delete(ctx, pr, fresh.ID), rule(tc.drafts[i], tc.manages[i], ""))
				}
			})
		}
	}
}

// TestAuthzCreateCourse: who may create a course where.
func TestAuthzCreateCourse(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	type place struct {
		name       string
		centre     int64
		province   int64
		allowedFor who
	}
	places := []place{
		{"centre_A1", w.CentreA1, 0, who{cAdmin: true, cManagerA1: true}},
		{"centre_B1", w.CentreB1, 0, who{cAdmin: true}},
		{"library_A", 0, w.ProvA, who{cAdmin: true, cOfficerA: true}},
		{"library_B", 0, w.ProvB, who{cAdmin: true, cOfficerB: true}},
	}
	for i, k := range callerKinds {
		pr := w.signIn(k)
		for _, pl := range places {
			t.Run(pl.name+"/"+k, func(t *testing.T) {
				d, err := w.svc.Create(ctx, pr, courses.NewCourse{CentreID: pl.centre, ProvinceID: pl.province,
					Details: courses.Details{Title: "Khóa mới", Category: "health"}})
				want := when(!pl.allowedFor[i], domain.CodeForbidden)
				if codeOf(err) != want {
					t.Fatalf("create: %v, want %q", err, want)
				}
				if err == nil && (d.Status != courses.StatusDraft || d.Version.Number != 0 || !d.Can.EditDetails) {
					t.Fatalf("create: %+v", d)
				}
			})
		}
	}
	_, err := w.svc.Create(ctx, w.admin, courses.NewCourse{CentreID: w.CentreA1, ProvinceID: w.ProvA, Details: courses.Details{Title: "x", Category: "health"}})
	if codeOf(err) != domain.CodeInvalid {
		t.Fatalf("both owners: %v", err)
	}
	_, err = w.svc.Create(ctx, w.admin, courses.NewCourse{ProvinceID: w.CommA1, Details: courses.Details{Title: "x", Category: "health"}})
	if codeOf(err) != domain.CodeInvalid {
		t.Fatalf("a commune as library: %v", err)
	}
}
