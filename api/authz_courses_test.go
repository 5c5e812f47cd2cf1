package api

import (
	"context"
	"fmt"
	"testing"

	"densach/domain"
	"densach/domain/courses"
)

// courseCallers are the callers of the courses authorization table: every
// role in the courses' own scope (province A, commune A1, centre A1), a
// manager of another province, and no token.
type courseCaller struct {
	name string
	p    *domain.Principal
}

const (
	ccAdmin = iota
	ccOfficerA
	ccOfficerA1
	ccManagerA1
	ccTeacherA1
	ccLearnerA1
	ccManagerB1
	ccNoToken
)

type set8 = [8]bool

// courseTarget is a kind of course and who may do what with it.
type courseTarget struct {
	kind                            string
	reads, drafts, manages, lessons set8
	hasDraft, library, published    bool
}

// status is the HTTP answer: 401 without a token, 404 unreadable, 403 read
// but not allowed, else the state's status.
func (tc courseTarget) status(i int, readable, allowed bool, state int) int {
	switch {
	case i == ccNoToken:
		return 401
	case !readable:
		return 404
	case !allowed:
		return 403
	}
	return state
}

func pick(cond bool, yes, no int) int {
	if cond {
		return yes
	}
	return no
}

// TestAuthzCourses is the authorization table of every courses endpoint:
// each caller against a fresh course of each kind (own centre, library of
// the own province published and never published, another province's
// centre), every endpoint in an order where each answer is known, with the
// exact status.
func TestAuthzCourses(t *testing.T) {
	e := newTestEnv(t)
	w := e.w
	ctx := context.Background()
	learner := w.LearnerA1
	learner.Grants = []domain.Grant{{Role: domain.RoleLearner, Kind: domain.ScopeSelf, CentreID: w.CentreA1, CommuneID: w.CommA1, ProvinceID: w.ProvA}}
	callers := []courseCaller{{"admin", &w.Admin}, {"officer_province_A", &w.OfficerA}, {"officer_commune_A1", &w.OfficerA1},
		{"manager_A1", &w.ManagerA1}, {"teacher_A1", &w.TeacherA1}, {"learner_A1", &learner}, {"manager_B1", &w.ManagerB1}, {"no_token", nil}}
	tokens := make([]string, len(callers))
	for i, c := range callers {
		if c.p != nil {
			tokens[i] = e.token(*c.p)
		}
	}
	svc := e.srv.Courses
	draftsA1 := set8{ccAdmin: true, ccOfficerA: true, ccOfficerA1: true, ccManagerA1: true, ccTeacherA1: true}
	readsA1 := set8{ccAdmin: true, ccOfficerA: true, ccOfficerA1: true, ccManagerA1: true, ccTeacherA1: true, ccLearnerA1: true}
	libA := set8{ccAdmin: true, ccOfficerA: true}
	onlyB := set8{ccAdmin: true, ccManagerB1: true}
	targets := []courseTarget{
		{"published_A1", readsA1, draftsA1, set8{ccAdmin: true, ccManagerA1: true}, set8{ccAdmin: true, ccManagerA1: true, ccTeacherA1: true}, true, false, true},
		{"draft_A1", draftsA1, draftsA1, set8{ccAdmin: true, ccManagerA1: true}, set8{ccAdmin: true, ccManagerA1: true, ccTeacherA1: true}, true, false, false},
		{"library_A", readsA1, libA, libA, libA, false, true, true},
		{"library_draft_A", libA, libA, libA, libA, true, true, false},
		{"published_B1", onlyB, onlyB, onlyB, onlyB, true, false, true},
	}
	// fresh makes a course of the kind as the administrator: one module,
	// one text lesson; published ones get a draft open unless library_A.
	fresh := func(kind string) courses.Detail {
		t.Helper()
		nc := courses.NewCourse{Details: courses.Details{Title: "Khóa " + kind, Category: "digital_skills"}}
		switch kind {
		case "published_A1", "draft_A1":
			nc.CentreID = w.CentreA1
		case "published_B1":
			nc.CentreID = w.CentreB1
		default:
			nc.ProvinceID = w.ProvA
		}
		d, err := svc.Create(ctx, w.Admin, nc)
		if err != nil {
			t.Fatal(err)
		}
		m, err := svc.AddModule(ctx, w.Admin, d.ID, "Chương 1")
		if err == nil {
			_, err = svc.AddLesson(ctx, w.Admin, m.ID, courses.LessonInput{Kind: courses.KindText, Title: "Bài 1", Required: true})
		}
		if err == nil && (kind == "published_A1" || kind == "library_A" || kind == "published_B1") {
			_, err = svc.Publish(ctx, w.Admin, d.ID)
			if err == nil && kind != "library_A" {
				_, err = svc.OpenDraft(ctx, w.Admin, d.ID)
			}
		}
		if err == nil {
			d, err = svc.Get(ctx, w.Admin, d.ID, "")
		}
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	for _, tc := range targets {
		for i := range callers {
			t.Run(tc.kind+"/"+callers[i].name, func(t *testing.T) {
				d := fresh(tc.kind)
				course := fmt.Sprintf("/api/v1/courses/%d", d.ID)
				mod := d.Modules[0].ID
				lesson := d.Modules[0].Lessons[0].ID
				call := func(method, path string, body any, want int) map[string]any {
					t.Helper()
					status, out := e.call(method, path, tokens[i], body)
					if status != want {
						t.Errorf("%s %s: %d %v, want %d", method, path, status, out, want)
					}
					return out
				}
				r, m, l := tc.reads[i], tc.manages[i], tc.lessons[i]
				versionReadable := pick(tc.hasDraft, b2i(tc.drafts[i]), b2i(r)) == 1
				structState := pick(tc.hasDraft, 0, 409)
				ok := func(code int) int { return code }

				call("GET", course, nil, tc.status(i, r, true, 200))
				call("GET", course+"?version=draft", nil, tc.status(i, r, true, pick(tc.drafts[i] && tc.hasDraft, 200, 404)))
				call("GET", course+"?version=1", nil, tc.status(i, r, true, pick(tc.published, 200, 404)))
				call("GET", course+"/versions", nil, tc.status(i, r, true, 200))
				list := call("GET", "/api/v1/courses?page_size=100", nil, pick(i == ccNoToken, 401, 200))
				if items, _ := list["items"].([]any); i != ccNoToken {
					listed := false
					for _, it := range items {
						listed = listed || it.(map[string]any)["id"] == float64(d.ID)
					}
					if listed != r {
						t.Errorf("list: listed %v, want %v", listed, r)
					}
				}
				call("GET", fmt.Sprintf("/api/v1/lessons/%d", lesson), nil, tc.status(i, versionReadable, true, 200))
				call("PATCH", course, map[string]any{"title": "Tên mới"}, tc.status(i, r, m, pick(tc.hasDraft, 200, 409)))
				call("PUT", course+"/structure", map[string]any{"modules": []any{map[string]any{"id": mod, "lesson_ids": []int64{lesson}}}},
					tc.status(i, r, l, pick(tc.hasDraft, 200, 409)))
				call("PATCH", fmt.Sprintf("/api/v1/modules/%d", mod), map[string]any{"title": "Chương mới"}, tc.status(i, versionReadable, l, pick(structState == 0, 200, 409)))
				added := call("POST", fmt.Sprintf("/api/v1/modules/%d/lessons", mod), map[string]any{"kind": "link", "title": "Liên kết", "url": "https://example.org/"},
					tc.status(i, versionReadable, l, pick(structState == 0, 201, 409)))
				call("PATCH", fmt.Sprintf("/api/v1/lessons/%d", lesson), map[string]any{"body_md": "Nội dung mới"}, tc.status(i, versionReadable, l, pick(structState == 0, 200, 409)))
				del := lesson
				if id, ok := added["id"].(float64); ok && added["kind"] == "link" {
					del = int64(id)
				}
				call("DELETE", fmt.Sprintf("/api/v1/lessons/%d", del), nil, tc.status(i, versionReadable, l, pick(structState == 0, 204, 409)))
				newMod := call("POST", course+"/modules", map[string]any{"title": "Chương thêm"}, tc.status(i, r, l, pick(tc.hasDraft, 201, 409)))
				delMod := mod
				if id, ok := newMod["id"].(float64); ok && newMod["title"] == "Chương thêm" {
					delMod = int64(id)
				}
				call("DELETE", fmt.Sprintf("/api/v1/modules/%d", delMod), nil, tc.status(i, versionReadable, l, pick(structState == 0, 204, 409)))
				copyState := 201
				switch {
				case !tc.library:
					copyState = 422
				case i != ccAdmin && i != ccManagerA1:
					copyState = 403
				case !tc.published:
					copyState = 409
				}
				call("POST", course+"/copy", map[string]any{"centre_id": w.CentreA1}, tc.status(i, r, true, copyState))
				// Into the foreign centre B1: only the administrator manages it
				// here, and a library of province A stays in province A.
				copyB1 := 422
				switch {
				case tc.library && i != ccAdmin && i != ccManagerB1:
					copyB1 = 403
				case tc.library && !tc.published:
					copyB1 = 409
				}
				call("POST", course+"/copy", map[string]any{"centre_id": w.CentreB1}, tc.status(i, r, true, copyB1))
				call("POST", course+"/draft", nil, tc.status(i, r, l, ok(200)))
				call("DELETE", course+"/draft", nil, tc.status(i, r, m, pick(tc.published, 204, 409)))
				call("POST", course+"/publish", nil, tc.status(i, r, m, pick(tc.published, 409, 200)))
				call("POST", course+"/archive", nil, tc.status(i, r, m, 200))
				call("POST", course+"/unarchive", nil, tc.status(i, r, m, 200))
				call("DELETE", course, nil, tc.status(i, r, m, 409))
				if !tc.published {
					other := fresh(tc.kind)
					call("DELETE", fmt.Sprintf("/api/v1/courses/%d", other.ID), nil, tc.status(i, tc.drafts[i], m, 204))
				}
			})
		}
	}
	// Creating: at the own centre, another province's centre, the own
	// province's library.
	places := []struct {
		name    string
		body    map[string]any
		allowed set8
	}{
		{"centre_A1", map[string]any{"centre_id": w.CentreA1}, set8{ccAdmin: true, ccManagerA1: true}},
		{"centre_B1", map[string]any{"centre_id": w.CentreB1}, set8{ccAdmin: true, ccManagerB1: true}},
		{"library_A", map[string]any{"province_id": w.ProvA}, set8{ccAdmin: true, ccOfficerA: true}},
	}
	for _, pl := range places {
		for i := range callers {
			pl.body["title"], pl.body["category"] = "Khóa mới", "health"
			status, out := e.call("POST", "/api/v1/courses", tokens[i], pl.body)
			want := pick(i == ccNoToken, 401, pick(pl.allowed[i], 201, 403))
			if status != want {
				t.Errorf("create at %s by %s: %d %v, want %d", pl.name, callers[i].name, status, out, want)
			}
		}
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
