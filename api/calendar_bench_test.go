package api

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"testing"
	"time"

	"densach/domain"
	"densach/domain/classes"
)

// The speed target (issue 11, bench/README.md): the week calendar of a
// centre with 50 classes and a learner's schedule, p99 at 100 concurrent
// clients through the real HTTP server (a TCP listener, every middleware, a
// real token, the contract check, JSON) at most 2× the p99 of the same use
// cases called without HTTP (classes.Service.Calendar and MySessions) by 100
// goroutines, both measured in the same run, in alternating rounds, over the
// same pool of database connections.

const (
	benchCalendarClasses  = 50 // per centre, at centre A1 and at centre B1
	benchCalendarVenues   = 10 // per centre
	benchCalendarTeachers = 25 // per centre: each teaches two classes
	benchCalendarWeeks    = 16 // each class's length: two sessions a week
)

// benchCalendarCourses name the classes of the five courses offered.
var benchCalendarCourses = []string{"Kỹ năng số cơ bản", "Trồng chè an toàn", "Dịch vụ công trực tuyến", "Chăn nuôi gà thả vườn",
	"Thanh toán không dùng tiền mặt"}

// benchCalendarSlots are the weekly times of the classes: two sessions a
// week, 90 minutes each; no two slots overlap, so the classes sharing a
// venue or a teacher (never in the same slot) book without conflict.
var benchCalendarSlots = []struct {
	weekdays []int
	start    string
}{{[]int{1, 3}, "07:30"}, {[]int{1, 3}, "14:00"}, {[]int{1, 3}, "19:00"}, {[]int{2, 4}, "07:30"}, {[]int{2, 4}, "19:00"}}

// benchCalendar is the fixture: centres A1 and B1 with 50 classes each,
// their sessions of a term, and the week measured.
type benchCalendar struct {
	manager  domain.Principal
	schedule []domain.Principal // the callers of /me/sessions: learners enrolled in four classes
	from, to time.Time
}

// seedCalendarBench builds the fixture through the use cases, as a manager
// would with the class wizard: at each centre 10 venues, 25 teachers and 50
// classes (five courses, in person, two teachers' classes per teacher),
// each planned from a recurrence of two sessions a week for 16 weeks,
// starting over eight successive Mondays so that the measured week (Monday
// 9 March 2026) finds every class under way, Tết skipped for the earliest;
// one session in twenty is then cancelled. Centre A1's manager then enrols
// 100 learners in four classes each (enrolBenchLearners).
func seedCalendarBench(b *testing.B, e *testEnv) benchCalendar {
	b.Helper()
	ctx := context.Background()
	w := e.w
	cs := e.srv.Classes
	fx := benchCalendar{manager: w.ManagerA1, from: time.Date(2026, 3, 9, 0, 0, 0, 0, classes.Zone)}
	fx.to = fx.from.AddDate(0, 0, 7)
	n := 0
	for _, centre := range []struct {
		id, commune, province int64
		manager               domain.Principal
	}{{w.CentreA1, w.CommA1, w.ProvA, w.ManagerA1}, {w.CentreB1, w.CommB1, w.ProvB, w.ManagerB1}} {
		var courseIDs, venues []int64
		for range benchCalendarCourses {
			courseIDs = append(courseIDs, publishedCourse(b, e, centre.id).ID)
		}
		for i := range benchCalendarVenues {
			v, err := cs.CreateVenue(ctx, centre.manager, classes.VenueInput{CentreID: centre.id, Name: fmt.Sprintf("Nhà văn hoá bản %d", i+1),
				Address: "Bản " + fmt.Sprint(i+1), Capacity: 40, Computers: 10 * (i % 2), Projector: i%3 == 0, Internet: i%2 == 0})
			if err != nil {
				b.Fatal(err)
			}
			venues = append(venues, v.ID)
		}
		var teachers []domain.Principal
		for range benchCalendarTeachers {
			n++
			name := fmt.Sprintf("Giáo Viên Số %d", n)
			id := e.exec(`INSERT INTO people (full_name, given_name, sort_key, search_exact, search_folded, commune_id)
				VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, name, domain.GivenName(name), domain.NameSortKey(name), domain.LowerForSearch(name),
				domain.FoldForSearch(name), centre.commune)
			acct := e.exec(`INSERT INTO accounts (person_id, password_hash) VALUES ($1, 'x') RETURNING id`, id)
			g := domain.Grant{PersonID: id, Role: domain.RoleTeacher, Kind: domain.ScopeCentre, CentreID: centre.id, CommuneID: centre.commune, ProvinceID: centre.province}
			g.ID = e.exec(`INSERT INTO role_grants (person_id, role, centre_id) VALUES ($1, 'teacher', $2) RETURNING id`, id, centre.id)
			teachers = append(teachers, domain.Principal{AccountID: acct, PersonID: id, Grants: []domain.Grant{g}})
		}
		var classIDs []int64
		for k := range benchCalendarClasses {
			slot := benchCalendarSlots[k/benchCalendarVenues]
			starts := time.Date(2026, 1, 12, 0, 0, 0, 0, time.UTC).AddDate(0, 0, 7*(k%8))
			in := classes.ClassInput{CentreID: centre.id, CourseID: courseIDs[k%len(courseIDs)],
				Title: fmt.Sprintf("%s — lớp %d", benchCalendarCourses[k%len(courseIDs)], k+1), Mode: classes.ModeInPerson,
				VenueID: venues[k%benchCalendarVenues], Capacity: 25, StartsOn: starts, EndsOn: starts.AddDate(0, 0, 7*benchCalendarWeeks+28),
				TeacherIDs: []int64{teachers[k%benchCalendarTeachers].PersonID}}
			c, err := cs.CreateClass(ctx, centre.manager, in)
			if err != nil {
				b.Fatal(err)
			}
			for _, st := range []classes.Status{classes.StatusOpen, classes.StatusRunning} {
				in.Status = st
				if c, err = cs.UpdateClass(ctx, centre.manager, c.ID, in); err != nil {
					b.Fatal(err)
				}
			}
			classIDs = append(classIDs, c.ID)
			plan, err := cs.PlanSessions(ctx, centre.manager, c.ID, classes.PlanInput{Recurrence: classes.Recurrence{Weekdays: slot.weekdays,
				StartTime: slot.start, DurationMin: 90, Count: 2 * benchCalendarWeeks}})
			if err != nil {
				b.Fatal(err)
			}
			for i, s := range plan.Sessions {
				if (i+k)%20 == 0 {
					if _, err := cs.CancelSession(ctx, centre.manager, s.ID, "Giáo viên đi tập huấn"); err != nil {
						b.Fatal(err)
					}
				}
			}
		}
		if centre.id == w.CentreA1 {
			fx.schedule = enrolBenchLearners(b, e, centre.manager, centre.commune, classIDs)
		}
	}
	e.exec(`VACUUM ANALYZE`)
	return fx
}

// enrolBenchLearners stores 100 learners of the commune and has the
// centre's manager enrol each in four of its classes (through the roster's
// use case, eight learners a class), and returns their principals.
func enrolBenchLearners(b *testing.B, e *testEnv, manager domain.Principal, commune int64, classIDs []int64) []domain.Principal {
	b.Helper()
	var out []domain.Principal
	for j := range benchClients {
		name := fmt.Sprintf("Học Viên Số %d", j+1)
		id := e.exec(`INSERT INTO people (full_name, given_name, sort_key, search_exact, search_folded, commune_id, birth_year)
			VALUES ($1, $2, $3, $4, $5, $6, 1980 + $7::int % 30) RETURNING id`, name, domain.GivenName(name), domain.NameSortKey(name),
			domain.LowerForSearch(name), domain.FoldForSearch(name), commune, j)
		acct := e.exec(`INSERT INTO accounts (person_id, password_hash) VALUES ($1, 'x') RETURNING id`, id)
		g := domain.Grant{PersonID: id, Role: domain.RoleLearner, Kind: domain.ScopeSelf}
		g.ID = e.exec(`INSERT INTO role_grants (person_id, role) VALUES ($1, 'learner') RETURNING id`, id)
		out = append(out, domain.Principal{AccountID: acct, PersonID: id, Grants: []domain.Grant{g}})
		for _, k := range []int{j, j + 13, j + 26, j + 39} {
			en, err := e.srv.Enrolments.EnrolInClass(context.Background(), manager, classIDs[k%len(classIDs)], id)
			if err != nil {
				b.Fatal(err)
			}
			if en.Status != "active" {
				b.Fatalf("learner %d in class %d: %s", j, k, en.Status)
			}
		}
	}
	return out
}

// BenchmarkCalendarRatio measures, in each round, four sides in an order
// rotated every round: the week calendar of centre A1 (its manager, 50
// classes, about a hundred sessions) through HTTP and through the use case,
// and the schedule of the week (/me/sessions; each client one of the 100
// learners, their own token, eight sessions of four classes) through HTTP and through the use case; each side is 100 clients
// × 10 requests. It reports the p99s (nearest rank over all rounds), p50s
// for context, and the two ratios the target bounds: week-p99-ratio and
// schedule-p99-ratio.
func BenchmarkCalendarRatio(b *testing.B) {
	e := newTestEnv(b)
	fx := seedCalendarBench(b, e)
	ctx := context.Background()
	cs := e.srv.Classes

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	go func() { _ = e.srv.Serve(ln) }()
	b.Cleanup(func() { _ = e.srv.App().Shutdown() })
	base := "http://" + ln.Addr().String()
	rng := "from=" + url.QueryEscape(fx.from.Format(time.RFC3339)) + "&to=" + url.QueryEscape(fx.to.Format(time.RFC3339))
	weekURL := fmt.Sprintf("%s/api/v1/sessions?centre_id=%d&%s", base, e.w.CentreA1, rng)
	scheduleURL := base + "/api/v1/me/sessions?" + rng
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: benchClients, MaxConnsPerHost: benchClients, DisableCompression: true}}
	// get reads the whole answer; the timed loop does not decode it (the
	// use case's side encodes nothing either).
	get := func(url, token string) ([]byte, error) {
		req, _ := http.NewRequest(http.MethodGet, url, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := client.Do(req)
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err == nil && resp.StatusCode != http.StatusOK {
			err = fmt.Errorf("%s: status %d: %s", url, resp.StatusCode, body)
		}
		return body, err
	}
	managerToken := e.token(fx.manager)
	scheduleTokens := make([]string, len(fx.schedule))
	for i, p := range fx.schedule {
		scheduleTokens[i] = e.token(p)
	}
	query := classes.CalendarQuery{CentreID: e.w.CentreA1, From: fx.from, To: fx.to}
	weekHTTP := func(int) ([]byte, error) { return get(weekURL, managerToken) }
	weekDirect := func(int) ([]classes.Session, error) { return cs.Calendar(ctx, fx.manager, query) }
	scheduleHTTP := func(i int) ([]byte, error) { return get(scheduleURL, scheduleTokens[i%len(scheduleTokens)]) }
	scheduleDirect := func(i int) ([]classes.Session, error) {
		return cs.MySessions(ctx, fx.schedule[i%len(fx.schedule)], fx.from, fx.to)
	}

	// Both sides must answer the same sessions before anything is timed.
	for _, pair := range []struct {
		name           string
		http           func(int) ([]byte, error)
		direct         func(int) ([]classes.Session, error)
		callers, least int
	}{{"week", weekHTTP, weekDirect, 1, 80}, {"schedule", scheduleHTTP, scheduleDirect, len(fx.schedule), 6}} {
		for i := range pair.callers {
			list, err := pair.direct(i)
			if err != nil {
				b.Fatal(err)
			}
			body, err := pair.http(i)
			if err != nil {
				b.Fatal(err)
			}
			var answered struct {
				Items []struct {
					ID int64 `json:"id"`
				} `json:"items"`
			}
			if err := json.Unmarshal(body, &answered); err != nil {
				b.Fatal(err)
			}
			var want, got []int64
			for _, s := range list {
				want = append(want, s.ID)
			}
			for _, s := range answered.Items {
				got = append(got, s.ID)
			}
			if len(want) < pair.least || !slices.Equal(want, got) {
				b.Fatalf("%s of caller %d: the two sides answer differently (or too little): use case %v, HTTP %v", pair.name, i, want, got)
			}
		}
	}

	type side struct {
		call func(int) error
		lat  []time.Duration
	}
	sides := []*side{
		{call: func(i int) error { _, err := weekHTTP(i); return err }},
		{call: func(i int) error { _, err := weekDirect(i); return err }},
		{call: func(i int) error { _, err := scheduleHTTP(i); return err }},
		{call: func(i int) error { _, err := scheduleDirect(i); return err }},
	}
	run := func(s *side) []time.Duration {
		lat, _ := concurrently(b, benchClients, benchRequestsPerRun, s.call)
		return lat
	}
	for _, s := range sides { // warm-up: connections, caches, plans (untimed)
		run(s)
	}
	round := 0
	for b.Loop() {
		for j := range sides {
			s := sides[(j+round)%len(sides)]
			s.lat = append(s.lat, run(s)...)
		}
		round++
	}
	for i, name := range []string{"week-http", "week-direct", "schedule-http", "schedule-direct"} {
		b.ReportMetric(float64(percentile(sides[i].lat, 99).Nanoseconds()), name+"-p99-ns")
		b.ReportMetric(float64(percentile(sides[i].lat, 50).Nanoseconds()), name+"-p50-ns")
	}
	ratio := func(h, d *side) float64 { return float64(percentile(h.lat, 99)) / float64(percentile(d.lat, 99)) }
	b.ReportMetric(ratio(sides[0], sides[1]), "week-p99-ratio")
	b.ReportMetric(ratio(sides[2], sides[3]), "schedule-p99-ratio")
}
