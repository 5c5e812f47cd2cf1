package api

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"testing"
	"time"

	"densach/domain/classes"
)

// TestCalendarSessionsHTTP: GET /api/v1/sessions answers the week of the
// centres the caller reads, cancelled sessions included, times in
// Vietnam's offset; the range is required and at most 62 days, each
// refusal naming its field.
func TestCalendarSessionsHTTP(t *testing.T) {
	e := newTestEnv(t)
	w := e.w
	ctx := context.Background()
	cs := e.srv.Classes
	book := func(centre int64, at time.Time) (classes.Class, classes.Session) {
		t.Helper()
		d := publishedCourse(t, e, centre)
		v, err := cs.CreateVenue(ctx, w.Admin, classes.VenueInput{CentreID: centre, Name: "Nhà văn hoá bản Mới", Capacity: 30, Projector: true})
		if err != nil {
			t.Fatal(err)
		}
		c, err := cs.CreateClass(ctx, w.Admin, classes.ClassInput{CentreID: centre, CourseID: d.ID, Title: "Trồng chè an toàn", Mode: classes.ModeInPerson,
			VenueID: v.ID, Capacity: 20, StartsOn: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), EndsOn: time.Date(2026, 5, 31, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			t.Fatal(err)
		}
		s, err := cs.AddSession(ctx, w.Admin, c.ID, classes.SessionInput{StartsAt: at, EndsAt: at.Add(90 * time.Minute)})
		if err != nil {
			t.Fatal(err)
		}
		return c, s
	}
	monday := time.Date(2026, 3, 9, 0, 0, 0, 0, classes.Zone)
	a1, s1 := book(w.CentreA1, monday.Add(19*time.Hour))
	_, s2 := book(w.CentreB1, monday.Add(20*time.Hour))
	cancelled, err := cs.AddSession(ctx, w.Admin, a1.ID, classes.SessionInput{StartsAt: monday.Add(7 * time.Hour), EndsAt: monday.Add(9 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cs.CancelSession(ctx, w.Admin, cancelled.ID, "Lũ quét"); err != nil {
		t.Fatal(err)
	}
	week := "from=" + url.QueryEscape(monday.Format(time.RFC3339)) + "&to=" + url.QueryEscape(monday.AddDate(0, 0, 7).Format(time.RFC3339))
	list := func(token, query string) []map[string]any {
		t.Helper()
		st, out := e.call("GET", "/api/v1/sessions?"+query, token, nil)
		if st != 200 {
			t.Fatalf("%s: %d %v", query, st, out)
		}
		var items []map[string]any
		for _, x := range out["items"].([]any) {
			items = append(items, x.(map[string]any))
		}
		return items
	}
	ids := func(items []map[string]any) []int64 {
		var out []int64
		for _, x := range items {
			out = append(out, int64(x["id"].(float64)))
		}
		return out
	}
	for _, tc := range []struct {
		who   string
		token string
		want  []int64
	}{
		{"admin", e.token(w.Admin), []int64{cancelled.ID, s1.ID, s2.ID}},
		{"officer of province A", e.token(w.OfficerA), []int64{cancelled.ID, s1.ID}},
		{"officer of commune A1", e.token(w.OfficerA1), []int64{cancelled.ID, s1.ID}},
		{"manager A1", e.token(w.ManagerA1), []int64{cancelled.ID, s1.ID}},
		{"teacher A1", e.token(w.TeacherA1), []int64{cancelled.ID, s1.ID}},
		{"manager B1", e.token(w.ManagerB1), []int64{s2.ID}},
	} {
		if got := ids(list(tc.token, week)); !slices.Equal(got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.who, got, tc.want)
		}
	}
	mgr := e.token(w.ManagerA1)
	items := list(mgr, week+fmt.Sprintf("&centre_id=%d&class_id=%d", w.CentreA1, a1.ID))
	if len(items) != 2 || items[0]["status"] != "cancelled" || items[0]["cancel_reason"] != "Lũ quét" ||
		items[1]["status"] != "scheduled" || items[1]["starts_at"] != "2026-03-09T19:00:00+07:00" ||
		items[1]["class_title"] != "Trồng chè an toàn" || items[1]["venue_name"] != "Nhà văn hoá bản Mới" {
		t.Errorf("the class's week: %v", items)
	}
	if got := list(mgr, week+fmt.Sprintf("&venue_id=%d", s2.VenueID)); len(got) != 0 {
		t.Errorf("another centre's venue: %v", got)
	}

	// Refusals name the field.
	for _, tc := range []struct {
		query, field, code string
		status             int
	}{
		{"", "from", "required", 422},
		{"from=2026-03-09T00:00:00%2B07:00", "to", "required", 422},
		{"from=9-3-2026&to=2026-03-16T00:00:00%2B07:00", "from", "value_invalid", 422},
		{"from=2026-03-09T00:00:00%2B07:00&to=2026-05-11T00:00:00%2B07:00", "to", "range_invalid", 422},
		{"from=2026-03-16T00:00:00%2B07:00&to=2026-03-09T00:00:00%2B07:00", "to", "range_invalid", 422},
		{week + "&venue_id=abc", "venue_id", "id_invalid", 422},
		{week + "&centre_id=0", "centre_id", "id_invalid", 422},
		{week + "&centre_id=987654", "", "", 404},
	} {
		st, out := e.call("GET", "/api/v1/sessions?"+tc.query, mgr, nil)
		fields, _ := out["fields"].([]any)
		if st != tc.status {
			t.Errorf("%q: %d %v", tc.query, st, out)
			continue
		}
		if tc.field == "" {
			continue
		}
		if len(fields) == 0 || fields[0].(map[string]any)["field"] != tc.field ||
			tc.code != "" && fields[0].(map[string]any)["code"] != tc.code {
			t.Errorf("%q: %v", tc.query, out)
		}
	}
	// Learners have no calendar of centres: their schedule is /me/sessions.
	if st, out := e.call("GET", "/api/v1/sessions?"+week, e.token(w.LearnerA1), nil); st != 403 {
		t.Errorf("learner: %d %v", st, out)
	}
}
