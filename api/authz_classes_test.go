package api

import (
	"context"
	"fmt"
	"testing"
	"time"

	"densach/domain/classes"
	"densach/domain/courses"
)

// TestAuthzClasses is the authorization table of the classes endpoints over
// HTTP: every role on the venues, shared teachers, classes and sessions of
// centre A1 (own scope) and centre B1 (foreign), and on the holidays of
// their provinces.
func TestAuthzClasses(t *testing.T) {
	e := newTestEnv(t)
	w := e.w
	ctx := context.Background()
	cs := e.srv.Classes
	roles, tokens := authzCallers(e)
	teacherB1 := e.exec(`INSERT INTO people (full_name, given_name, sort_key, search_exact, search_folded, commune_id)
		VALUES ('Lò Văn Dạy', 'Dạy', 'day lo van', 'lò văn dạy', 'lo van day', $1) RETURNING id`, w.CommB1)
	e.exec(`INSERT INTO role_grants (person_id, role, centre_id) VALUES ($1, 'teacher', $2)`, teacherB1, w.CentreB1)
	type scope struct {
		centre, other, province, teacher int64
		course, venue                    int64
		class                            classes.Class
	}
	n := 0
	setup := func(centre, other, province, teacher int64) *scope {
		t.Helper()
		d := publishedCourse(t, e, centre)
		v, err := cs.CreateVenue(ctx, w.Admin, classes.VenueInput{CentreID: centre, Name: "Nhà văn hoá", Capacity: 30})
		if err != nil {
			t.Fatal(err)
		}
		in := classes.ClassInput{CentreID: centre, CourseID: d.ID, Title: "Lớp kỹ năng số", Mode: classes.ModeBlended, VenueID: v.ID, Capacity: 20,
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
		return &scope{centre: centre, other: other, province: province, teacher: teacher, course: d.ID, venue: v.ID, class: c}
	}
	a1 := setup(w.CentreA1, w.CentreB1, w.ProvA, w.TeacherA1.PersonID)
	b1 := setup(w.CentreB1, w.CentreA1, w.ProvB, teacherB1)
	// slot is a new hour of its own for every booking.
	slot := func() time.Time {
		n++
		return time.Date(2026, 3, 2, 0, 0, 0, 0, classes.Zone).Add(time.Duration(n) * 2 * time.Hour)
	}
	session := func(sc *scope) int64 {
		t.Helper()
		at := slot()
		s, err := cs.AddSession(ctx, w.Admin, sc.class.ID, classes.SessionInput{StartsAt: at, EndsAt: at.Add(time.Hour), Mode: classes.ModeInPerson})
		if err != nil {
			t.Fatal(err)
		}
		return s.ID
	}
	// lendable is a new teacher of the centre, to lend.
	lendable := func(sc *scope) int64 {
		id := e.exec(`INSERT INTO people (full_name, given_name, sort_key, search_exact, search_folded, commune_id)
			VALUES ('Tòng Văn Mượn', 'Mượn', 'muon tong van', 'tòng văn mượn', 'tong van muon', $1) RETURNING id`, w.CommA1)
		e.exec(`INSERT INTO role_grants (person_id, role, centre_id) VALUES ($1, 'teacher', $2)`, id, sc.centre)
		return id
	}
	share := func(sc *scope) int64 {
		t.Helper()
		sh, err := cs.CreateShare(ctx, w.Admin, lendable(sc), sc.centre, sc.other, "")
		if err != nil {
			t.Fatal(err)
		}
		return sh.ID
	}
	// freeDay is a new day of November or December 2026 (no public holiday).
	hn := 0
	freeDay := func() time.Time {
		hn++
		return time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC).AddDate(0, 0, hn)
	}
	holiday := func(sc *scope) int64 {
		t.Helper()
		h, err := cs.AddHoliday(ctx, w.Admin, sc.province, freeDay(), "Lễ hội")
		if err != nil {
			t.Fatal(err)
		}
		return h.ID
	}
	iso := func(t time.Time) string { return t.Format(time.RFC3339) }
	// Columns: admin, officer A, officer A1, manager A1, teacher A1,
	// learner A1, manager B1, no token.
	var (
		listAll   = [8]int{200, 200, 200, 200, 200, 200, 200, 401}
		staffList = [8]int{200, 200, 200, 200, 200, 403, 200, 401}
		readA1    = [8]int{200, 200, 200, 200, 200, 404, 404, 401}
		readB1    = [8]int{200, 404, 404, 404, 404, 404, 200, 401}
		openA1    = [8]int{200, 200, 200, 200, 200, 200, 404, 401}
		runA1     = [8]int{200, 403, 403, 200, 403, 404, 404, 401}
		runOpenA1 = [8]int{200, 403, 403, 200, 403, 403, 404, 401}
		runB1     = readB1
	)
	with := func(w [8]int, ok int) [8]int {
		for i := range w {
			if w[i] == 200 {
				w[i] = ok
			}
		}
		return w
	}
	type row struct {
		name   string
		call   func(sc *scope) (method, path string, body any)
		a1, b1 [8]int
	}
	rows := []row{
		{"list_venues", func(sc *scope) (string, string, any) {
			return "GET", fmt.Sprintf("/api/v1/venues?centre_id=%d", sc.centre), nil
		}, staffList, staffList},
		{"create_venue", func(sc *scope) (string, string, any) {
			n++
			return "POST", "/api/v1/venues", map[string]any{"centre_id": sc.centre, "name": fmt.Sprintf("Phòng %d", n), "capacity": 20, "computers": 5, "internet": true}
		}, with(runA1, 201), with(runB1, 201)},
		{"get_venue", func(sc *scope) (string, string, any) { return "GET", fmt.Sprintf("/api/v1/venues/%d", sc.venue), nil }, readA1, readB1},
		{"update_venue", func(sc *scope) (string, string, any) {
			return "PUT", fmt.Sprintf("/api/v1/venues/%d", sc.venue), map[string]any{"name": "Nhà văn hoá", "address": "Bản Mới", "capacity": 35, "projector": true}
		}, runA1, runB1},
		{"list_shares", func(sc *scope) (string, string, any) {
			return "GET", fmt.Sprintf("/api/v1/centres/%d/teacher-shares", sc.centre), nil
		}, readA1, readB1},
		{"create_share", func(sc *scope) (string, string, any) {
			return "POST", "/api/v1/teacher-shares", map[string]any{"person_id": lendable(sc), "from_centre_id": sc.centre, "to_centre_id": sc.other, "note": "Công văn 7"}
		}, with(runA1, 201), with(runB1, 201)},
		{"revoke_share", func(sc *scope) (string, string, any) {
			return "DELETE", fmt.Sprintf("/api/v1/teacher-shares/%d", share(sc)), nil
		}, [8]int{204, 403, 403, 204, 403, 404, 403, 401}, [8]int{204, 403, 403, 403, 403, 404, 204, 401}},
		{"list_classes", func(sc *scope) (string, string, any) { return "GET", "/api/v1/classes?status=open", nil }, listAll, listAll},
		{"create_class", func(sc *scope) (string, string, any) {
			return "POST", "/api/v1/classes", map[string]any{"centre_id": sc.centre, "course_id": sc.course, "mode": "in_person", "venue_id": sc.venue,
				"capacity": 20, "starts_on": "2026-03-01", "ends_on": "2026-05-31", "enrol_from": "2026-02-01", "enrol_until": "2026-02-28"}
		}, with(runA1, 201), with(runB1, 201)},
		{"preview_class", func(sc *scope) (string, string, any) {
			return "POST", "/api/v1/classes/preview", map[string]any{"class": map[string]any{"centre_id": sc.centre, "course_id": sc.course, "mode": "in_person",
				"venue_id": sc.venue, "capacity": 20, "starts_on": "2026-03-01", "ends_on": "2026-05-31"},
				"plan": map[string]any{"recurrence": map[string]any{"weekdays": []int{3}, "start_time": "06:00", "duration_min": 30, "count": 2}}}
		}, runA1, runB1},
		{"get_class", func(sc *scope) (string, string, any) {
			return "GET", fmt.Sprintf("/api/v1/classes/%d", sc.class.ID), nil
		}, openA1, readB1},
		{"update_class", func(sc *scope) (string, string, any) {
			return "PUT", fmt.Sprintf("/api/v1/classes/%d", sc.class.ID), map[string]any{"title": "Lớp kỹ năng số", "mode": "blended", "venue_id": sc.venue,
				"capacity": 25, "starts_on": "2026-01-01", "ends_on": "2027-12-31", "meeting_url": "https://meet.example.org/x", "teacher_ids": []int64{sc.teacher}}
		}, runOpenA1, runB1},
		{"list_sessions", func(sc *scope) (string, string, any) {
			return "GET", fmt.Sprintf("/api/v1/classes/%d/sessions", sc.class.ID), nil
		}, openA1, readB1},
		{"add_session", func(sc *scope) (string, string, any) {
			at := slot()
			return "POST", fmt.Sprintf("/api/v1/classes/%d/sessions", sc.class.ID), map[string]any{"starts_at": iso(at), "ends_at": iso(at.Add(time.Hour)), "mode": "online"}
		}, with(runOpenA1, 201), with(runB1, 201)},
		{"plan_sessions", func(sc *scope) (string, string, any) {
			return "POST", fmt.Sprintf("/api/v1/classes/%d/sessions/plan", sc.class.ID), map[string]any{"dry_run": true,
				"recurrence": map[string]any{"weekdays": []int{2, 4}, "start_time": "19:00", "duration_min": 90, "from": "2026-02-09", "until": "2026-02-28"}}
		}, runOpenA1, runB1},
		{"get_session", func(sc *scope) (string, string, any) {
			return "GET", fmt.Sprintf("/api/v1/sessions/%d", session(sc)), nil
		}, openA1, readB1},
		{"update_session", func(sc *scope) (string, string, any) {
			return "PATCH", fmt.Sprintf("/api/v1/sessions/%d", session(sc)), map[string]any{"mode": "online"}
		}, runOpenA1, runB1},
		{"cancel_session", func(sc *scope) (string, string, any) {
			return "POST", fmt.Sprintf("/api/v1/sessions/%d/cancel", session(sc)), map[string]any{"reason": "Mưa lũ"}
		}, runOpenA1, runB1},
		{"calendar", func(sc *scope) (string, string, any) {
			return "GET", "/api/v1/sessions?from=2026-03-02T00:00:00%2B07:00&to=2026-03-09T00:00:00%2B07:00", nil
		}, staffList, staffList},
		{"calendar_of_centre", func(sc *scope) (string, string, any) {
			return "GET", fmt.Sprintf("/api/v1/sessions?centre_id=%d&from=2026-03-02T00:00:00%%2B07:00&to=2026-03-09T00:00:00%%2B07:00", sc.centre), nil
		}, [8]int{200, 200, 200, 200, 200, 403, 404, 401}, [8]int{200, 404, 404, 404, 404, 403, 200, 401}},
		{"my_sessions", func(sc *scope) (string, string, any) { return "GET", "/api/v1/me/sessions", nil }, listAll, listAll},
		{"list_holidays", func(sc *scope) (string, string, any) {
			return "GET", fmt.Sprintf("/api/v1/holidays?province_id=%d&year=2026", sc.province), nil
		}, listAll, listAll},
		{"create_holiday", func(sc *scope) (string, string, any) {
			return "POST", "/api/v1/holidays", map[string]any{"province_id": sc.province, "day": freeDay().Format(time.DateOnly), "name": "Lễ hội Gầu Tào"}
		}, [8]int{201, 201, 403, 403, 403, 403, 403, 401}, [8]int{201, 403, 403, 403, 403, 403, 403, 401}},
		{"delete_holiday", func(sc *scope) (string, string, any) {
			return "DELETE", fmt.Sprintf("/api/v1/holidays/%d", holiday(sc)), nil
		}, [8]int{204, 204, 403, 403, 403, 403, 403, 401}, [8]int{204, 403, 403, 403, 403, 403, 403, 401}},
	}
	for _, r := range rows {
		for _, tg := range []struct {
			name string
			sc   *scope
			want [8]int
		}{{"centre_A1", a1, r.a1}, {"foreign_centre_B1", b1, r.b1}} {
			for i := range roles {
				t.Run(r.name+"/"+tg.name+"/"+roles[i].name, func(t *testing.T) {
					method, path, body := r.call(tg.sc)
					status, out := e.call(method, path, tokens[i], body)
					if status != tg.want[i] {
						t.Fatalf("%s %s: %d %v, want %d", method, path, status, out, tg.want[i])
					}
				})
			}
		}
	}
}

// TestClassesConflictHTTP: a booking in the way answers 409 naming the
// session that holds the slot, with times in Vietnam's offset.
func TestClassesConflictHTTP(t *testing.T) {
	e := newTestEnv(t)
	w := e.w
	d := publishedCourse(t, e, w.CentreA1)
	mgr := e.token(w.ManagerA1)
	st, v := e.call("POST", "/api/v1/venues", mgr, map[string]any{"centre_id": w.CentreA1, "name": "Hội trường", "capacity": 40})
	if st != 201 {
		t.Fatalf("venue: %d %v", st, v)
	}
	st, c := e.call("POST", "/api/v1/classes", mgr, map[string]any{"centre_id": w.CentreA1, "course_id": d.ID, "mode": "in_person",
		"venue_id": v["id"], "capacity": 20, "starts_on": "2026-03-01", "ends_on": "2026-04-30", "teacher_ids": []int64{w.TeacherA1.PersonID}})
	if st != 201 || c["title"] != "Kỹ năng số" || c["status"] != "planned" {
		t.Fatalf("class: %d %v", st, c)
	}
	path := fmt.Sprintf("/api/v1/classes/%d/sessions", int64(c["id"].(float64)))
	st, s := e.call("POST", path, mgr, map[string]any{"starts_at": "2026-03-03T19:00:00+07:00", "ends_at": "2026-03-03T20:30:00+07:00"})
	if st != 201 || s["starts_at"] != "2026-03-03T19:00:00+07:00" || s["venue_id"] != v["id"] {
		t.Fatalf("session: %d %v", st, s)
	}
	st, out := e.call("POST", path, mgr, map[string]any{"starts_at": "2026-03-03T12:30:00Z", "ends_at": "2026-03-03T13:30:00Z"})
	params, _ := out["params"].(map[string]any)
	list, _ := params["sessions"].([]any)
	if st != 409 || out["key"] != "session_conflict" || len(list) != 1 || list[0].(map[string]any)["id"] != s["id"] ||
		list[0].(map[string]any)["starts_at"] != "2026-03-03T19:00:00+07:00" {
		t.Fatalf("overlap: %d %v", st, out)
	}
	// The plan shows the conflict before saving, then refuses it.
	plan := map[string]any{"dry_run": true, "recurrence": map[string]any{"weekdays": []int{2}, "start_time": "19:30", "duration_min": 60, "count": 3}}
	st, out = e.call("POST", path+"/plan", mgr, plan)
	if conflicts, _ := out["conflicts"].([]any); st != 200 || len(conflicts) != 1 || len(out["sessions"].([]any)) != 3 {
		t.Fatalf("dry run: %d %v", st, out)
	}
	plan["dry_run"] = false
	if st, out = e.call("POST", path+"/plan", mgr, plan); st != 409 {
		t.Fatalf("plan: %d %v", st, out)
	}
	if st, out = e.call("POST", path+"/plan", mgr, map[string]any{"recurrence": map[string]any{"weekdays": []int{9}, "start_time": "19:30", "duration_min": 60, "count": 3}}); st != 422 {
		t.Fatalf("weekday 9: %d %v", st, out)
	}
	// The wizard's preview of a class not saved yet shows the same conflict,
	// naming the class in the way, and stores nothing; its errors name the
	// part of the body.
	preview := map[string]any{"class": map[string]any{"centre_id": w.CentreA1, "course_id": d.ID, "mode": "blended", "venue_id": v["id"], "capacity": 10,
		"starts_on": "2026-03-01", "ends_on": "2026-03-31"}, "plan": map[string]any{"recurrence": map[string]any{"weekdays": []int{2}, "start_time": "19:30", "duration_min": 60, "count": 2}}}
	st, out = e.call("POST", "/api/v1/classes/preview", mgr, preview)
	conflicts, _ := out["conflicts"].([]any)
	if st != 200 || len(conflicts) != 1 || conflicts[0].(map[string]any)["class_title"] != "Kỹ năng số" || conflicts[0].(map[string]any)["resource"] != "venue" ||
		out["created"] != false || len(out["skipped"].([]any)) != 0 {
		t.Fatalf("preview: %d %v", st, out)
	}
	if st, l := e.call("GET", fmt.Sprintf("/api/v1/classes?centre_id=%d", w.CentreA1), mgr, nil); st != 200 || len(l["items"].([]any)) != 1 {
		t.Fatalf("the preview stored a class: %d %v", st, l)
	}
	preview["class"].(map[string]any)["ends_on"] = "2026-02-01"
	st, out = e.call("POST", "/api/v1/classes/preview", mgr, preview)
	if fields, _ := out["fields"].([]any); st != 422 || len(fields) != 1 || fields[0].(map[string]any)["field"] != "class.ends_on" {
		t.Fatalf("preview ends before it starts: %d %v", st, out)
	}
}

// publishedCourse publishes a blended course of one lesson at a centre.
func publishedCourse(t testing.TB, e *testEnv, centre int64) courses.Detail {
	t.Helper()
	ctx, cs, admin := context.Background(), e.srv.Courses, e.w.Admin
	d, err := cs.Create(ctx, admin, courses.NewCourse{CentreID: centre, Details: courses.Details{Title: "Kỹ năng số", Category: "digital_skills", Mode: courses.ModeBlended}})
	if err != nil {
		t.Fatal(err)
	}
	m, err := cs.AddModule(ctx, admin, d.ID, "Chương 1")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cs.AddLesson(ctx, admin, m.ID, courses.LessonInput{Kind: courses.KindText, Title: "Bài 1", BodyMD: "Nội dung", Required: true}); err != nil {
		t.Fatal(err)
	}
	if d, err = cs.Publish(ctx, admin, d.ID); err != nil {
		t.Fatal(err)
	}
	return d
}
