package api

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"densach/domain/classes"
	"densach/domain/feeds"
)

// TestAuthzFeeds is the authorization table of the calendar links over
// HTTP: every role makes a link of each kind to the class, venue, teacher
// and learner of centre A1 (own scope) and of centre B1 (foreign); each
// link made answers its feed; the links are listed and revoked by their
// owner only.
func TestAuthzFeeds(t *testing.T) {
	e := newTestEnv(t)
	w := e.w
	ctx := context.Background()
	cs := e.srv.Classes
	roles, tokens := authzCallers(e)
	teacherB1 := e.exec(`INSERT INTO people (full_name, given_name, sort_key, search_exact, search_folded, commune_id)
		VALUES ('Lò Văn Dạy', 'Dạy', 'day lo van', 'lò văn dạy', 'lo van day', $1) RETURNING id`, w.CommB1)
	e.exec(`INSERT INTO role_grants (person_id, role, centre_id) VALUES ($1, 'teacher', $2)`, teacherB1, w.CentreB1)
	learnerB1 := e.exec(`INSERT INTO people (full_name, given_name, sort_key, search_exact, search_folded, commune_id)
		VALUES ('Quàng Thị Học', 'Học', 'hoc quang thi', 'quàng thị học', 'quang thi hoc', $1) RETURNING id`, w.CommB1)
	e.exec(`INSERT INTO role_grants (person_id, role, centre_id) VALUES ($1, 'learner', $2)`, learnerB1, w.CentreB1)
	type scope struct {
		class            classes.Class
		venue            int64
		teacher, learner int64
	}
	today := time.Now().In(classes.Zone)
	setup := func(centre, teacher, learner int64) scope {
		t.Helper()
		d := publishedCourse(t, e, centre)
		v, err := cs.CreateVenue(ctx, w.Admin, classes.VenueInput{CentreID: centre, Name: "Nhà văn hoá", Capacity: 30})
		if err != nil {
			t.Fatal(err)
		}
		in := classes.ClassInput{CentreID: centre, CourseID: d.ID, Title: "Lớp kỹ năng số", Mode: classes.ModeInPerson, VenueID: v.ID, Capacity: 20,
			StartsOn: time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC), EndsOn: time.Date(today.Year()+1, 12, 31, 0, 0, 0, 0, time.UTC),
			TeacherIDs: []int64{teacher}}
		c, err := cs.CreateClass(ctx, w.Admin, in)
		if err != nil {
			t.Fatal(err)
		}
		in.Status = classes.StatusOpen
		if c, err = cs.UpdateClass(ctx, w.Admin, c.ID, in); err != nil {
			t.Fatal(err)
		}
		at := time.Date(today.Year(), today.Month(), today.Day(), 19, 0, 0, 0, classes.Zone).AddDate(0, 0, 1)
		if _, err := cs.AddSession(ctx, w.Admin, c.ID, classes.SessionInput{StartsAt: at, EndsAt: at.Add(time.Hour), TeacherID: teacher}); err != nil {
			t.Fatal(err)
		}
		e.exec(`INSERT INTO enrolments (person_id, course_id, version_id, class_id, status, source, enrolled_by) VALUES ($1, $2, $3, $4, 'active', 'staff', $1)`,
			learner, c.CourseID, c.VersionID, c.ID)
		return scope{class: c, venue: v.ID, teacher: teacher, learner: learner}
	}
	a1 := setup(w.CentreA1, w.TeacherA1.PersonID, w.LearnerA1.PersonID)
	b1 := setup(w.CentreB1, teacherB1, learnerB1)

	// Columns: admin, officer A, officer A1, manager A1, teacher A1 (who
	// teaches class A1), learner A1 (enrolled in class A1), manager B1, no
	// token.
	type row struct {
		name   string
		kind   feeds.Kind
		of     func(sc scope) int64
		a1, b1 [8]int
	}
	rows := []row{
		{"class", feeds.KindClass, func(sc scope) int64 { return sc.class.ID },
			[8]int{201, 201, 201, 201, 201, 201, 404, 401}, [8]int{201, 404, 404, 404, 404, 404, 201, 401}},
		{"venue", feeds.KindVenue, func(sc scope) int64 { return sc.venue },
			[8]int{201, 201, 201, 201, 201, 404, 404, 401}, [8]int{201, 404, 404, 404, 404, 404, 201, 401}},
		{"teacher", feeds.KindTeacher, func(sc scope) int64 { return sc.teacher },
			[8]int{201, 403, 403, 201, 201, 404, 404, 401}, [8]int{201, 404, 404, 404, 404, 404, 201, 401}},
		{"learner", feeds.KindLearner, func(sc scope) int64 { return sc.learner },
			[8]int{403, 403, 403, 403, 403, 201, 404, 401}, [8]int{403, 404, 404, 404, 404, 404, 403, 401}},
	}
	for _, r := range rows {
		for _, tg := range []struct {
			name string
			sc   scope
			want [8]int
		}{{"centre_A1", a1, r.a1}, {"foreign_centre_B1", b1, r.b1}} {
			for i := range roles {
				t.Run("create_"+r.name+"/"+tg.name+"/"+roles[i].name, func(t *testing.T) {
					st, out := e.call("POST", "/api/v1/calendar-feeds", tokens[i], map[string]any{"kind": r.kind, "subject_id": r.of(tg.sc)})
					if st != tg.want[i] {
						t.Fatalf("%d %v, want %d", st, out, tg.want[i])
					}
					if st != 201 {
						return
					}
					url, _ := out["url"].(string)
					resp, body := e.fetchICal(strings.TrimPrefix(url, "http://example.com"))
					if resp.StatusCode != 200 || !strings.Contains(string(body), "BEGIN:VEVENT") {
						t.Fatalf("the link answers %d %s", resp.StatusCode, body)
					}
				})
			}
		}
	}
	// The list: every signed-in caller lists their own links.
	for i := range roles {
		t.Run("list/"+roles[i].name, func(t *testing.T) {
			st, out := e.call("GET", "/api/v1/calendar-feeds", tokens[i], nil)
			want := 200
			if tokens[i] == "" {
				want = 401
			}
			if st != want {
				t.Fatalf("%d %v", st, out)
			}
			if st == 200 {
				for _, it := range out["items"].([]any) {
					if it.(map[string]any)["url"] != nil {
						t.Fatalf("a listed link shows its url: %v", it)
					}
				}
			}
		})
	}
	// Revoking: manager A1's link, by every caller; only its owner may.
	for i := range roles {
		t.Run("revoke_manager_A1_link/"+roles[i].name, func(t *testing.T) {
			f, err := e.srv.Feeds.Create(ctx, w.ManagerA1, feeds.KindVenue, a1.venue)
			if err != nil {
				t.Fatal(err)
			}
			st, out := e.call("DELETE", fmt.Sprintf("/api/v1/calendar-feeds/%d", f.ID), tokens[i], nil)
			want := [8]int{404, 404, 404, 204, 404, 404, 404, 401}[i]
			if st != want {
				t.Fatalf("%d %v, want %d", st, out, want)
			}
			resp, _ := e.fetchICal("/ical/" + f.Token + ".ics")
			if (resp.StatusCode == 404) != (st == 204) {
				t.Fatalf("after %d the link answers %d", st, resp.StatusCode)
			}
		})
	}
}
