package main

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"densach/domain"
	"densach/domain/classes"
	"densach/domain/courses"
	"densach/domain/enrolments"
	"densach/storage/postgres"
)

// demoSignIn is the principal of a demo account, as signing in derives it.
func demoSignIn(t *testing.T, db *postgres.DB, phone string) domain.Principal {
	t.Helper()
	var acct int64
	if err := db.SQL().QueryRow(`SELECT a.id FROM accounts a JOIN people p ON p.id = a.person_id WHERE p.phone = $1`, phone).Scan(&acct); err != nil {
		t.Fatalf("account %s: %v", phone, err)
	}
	p, err := postgres.NewAuth(db).AccountPrincipal(context.Background(), acct)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// pinSeedClock stops the demo's clock at at for the test (seedDemo reads
// it once) and answers at.
func pinSeedClock(t *testing.T, at time.Time) time.Time {
	t.Helper()
	was := seedNow
	seedNow = func() time.Time { return at }
	t.Cleanup(func() { seedNow = was })
	return at
}

// weekOf is the Monday (local midnight) of the week of t.
func weekOf(t time.Time) time.Time {
	l := t.In(classes.Zone)
	return time.Date(l.Year(), l.Month(), l.Day()-(int(l.Weekday())+6)%7, 0, 0, 0, 0, classes.Zone)
}

// TestSeedDemoClasses checks what `make run` shows of the classes, through
// the use cases the screens call: at Tân Phong the blended digital-skills
// class and the in-person tea class, at Đoàn Kết the in-person Shan tuyết
// tea class; all open, at venues with their facilities, with sessions this
// week and next on the managers' calendars and in the teachers' and
// learners' schedules; learners enrolled, the Tân Phong tea class full
// with two waiting in order; the demo learner finds them among the open
// classes near her, with the seats left. Seeded again it changes nothing;
// seeded weeks later it adds the sessions of the new this week and next.
func TestSeedDemoClasses(t *testing.T) {
	// The seed's clock and the checks' are one: seeded at 23:59:59 on a
	// Sunday, "this week" is the seed's week for both.
	now := pinSeedClock(t, time.Now())
	db, _, _ := seededDemo(t, false)
	ctx := context.Background()
	coursesSvc := &courses.Service{Store: postgres.NewCourses(db)}
	cs := &classes.Service{Store: postgres.NewClasses(db), Courses: coursesSvc}
	enrol := &enrolments.Service{Store: postgres.NewEnrolments(db), Courses: coursesSvc, People: postgres.NewPeople(db)}
	tanPhong, doanKet := demoSignIn(t, db, "0901000004"), demoSignIn(t, db, "0901000007")
	personOf := func(phone string) domain.Principal {
		t.Helper()
		var id int64
		if err := db.SQL().QueryRow(`SELECT id FROM people WHERE phone = $1`, phone).Scan(&id); err != nil {
			t.Fatal(err)
		}
		return domain.Principal{PersonID: id}
	}

	type shown struct {
		class    classes.Class
		venue    classes.Venue
		sessions []classes.Session // this week and next
	}
	// show reads a demo class as its manager's screens do: the class list,
	// the venue, the centre's calendar of this week and next.
	show := func(now time.Time, manager domain.Principal, title string) shown {
		t.Helper()
		list, err := cs.ListClasses(ctx, manager, 0, "")
		if err != nil {
			t.Fatal(err)
		}
		var out shown
		for _, c := range list {
			if c.Title == title {
				if out.class.ID != 0 {
					t.Fatalf("two classes %s", title)
				}
				out.class = c
			}
		}
		if out.class.ID == 0 {
			t.Fatalf("no demo class %s: %+v", title, list)
		}
		if out.venue, err = cs.GetVenue(ctx, manager, out.class.VenueID); err != nil {
			t.Fatal(err)
		}
		monday := weekOf(now)
		if out.sessions, err = cs.Calendar(ctx, manager, classes.CalendarQuery{CentreID: out.class.CentreID, ClassID: out.class.ID,
			From: monday, To: monday.AddDate(0, 0, 14)}); err != nil {
			t.Fatal(err)
		}
		return out
	}
	// weeks counts the scheduled sessions of this week and of next week.
	weeks := func(now time.Time, ss []classes.Session) (this, next int) {
		monday := weekOf(now)
		for _, s := range ss {
			switch {
			case s.Status != classes.SessionScheduled:
			case s.StartsAt.Before(monday.AddDate(0, 0, 7)):
				this++
			default:
				next++
			}
		}
		return
	}
	// roster is the class page's seats taken, learners (by name, the
	// Vietnamese way: given name first) and waitlist (in order).
	roster := func(manager domain.Principal, classID int64) string {
		t.Helper()
		r, err := enrol.ClassRoster(ctx, manager, classID)
		if err != nil {
			t.Fatal(err)
		}
		var in, wait []string
		for _, e := range r.Items {
			in = append(in, e.PersonName+":"+string(e.Status))
		}
		for _, e := range r.Waitlist {
			wait = append(wait, fmt.Sprintf("%d.%s", e.WaitlistPosition, e.PersonName))
		}
		return fmt.Sprintf("%d/%d %s | %s", r.Capacity-r.SeatsLeft, r.Capacity, strings.Join(in, ","), strings.Join(wait, ","))
	}
	ids := func(ss []classes.Session) []int64 {
		var out []int64
		for _, s := range ss {
			out = append(out, s.ID)
		}
		slices.Sort(out)
		return out
	}
	// schedule is a person's sessions of this week and next (my schedule),
	// each of the role given.
	schedule := func(now time.Time, p domain.Principal, role string) []int64 {
		t.Helper()
		mine, err := cs.MySessions(ctx, p, weekOf(now), weekOf(now).AddDate(0, 0, 14))
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range mine {
			if s.Role != role {
				t.Errorf("person %d's schedule: %+v, want role %s", p.PersonID, s, role)
			}
		}
		return ids(mine)
	}

	const (
		blendedTitle = "Kỹ năng số cơ bản — lớp buổi tối tổ 5"
		teaTitle     = "Trồng chè an toàn — lớp sáng thứ Ba, thứ Năm"
		shanTitle    = "Chè Shan tuyết — lớp thực hành bản Tả Xin Chải"
	)
	blended, tea, shan := show(now, tanPhong, blendedTitle), show(now, tanPhong, teaTitle), show(now, doanKet, shanTitle)
	for _, x := range []struct {
		s      shown
		centre string
		mode   classes.Mode
		venue  string
	}{
		{blended, centreTanPhong, classes.ModeBlended, demoVenue},
		{tea, centreTanPhong, classes.ModeInPerson, demoVenue},
		{shan, centreDoanKet, classes.ModeInPerson, "Nhà văn hoá bản Tả Xin Chải"},
	} {
		c := x.s.class
		if c.CentreName != x.centre || c.Mode != x.mode || c.Status != classes.StatusOpen || len(c.Teachers) != 1 || x.s.venue.Name != x.venue {
			t.Errorf("%s: %+v at %+v", c.Title, c, x.s.venue)
		}
		// A class's two weekdays give four sessions in two weeks; a
		// holiday (Tết is five days) takes some, never all.
		if this, next := weeks(now, x.s.sessions); this+next < 1 || this+next > 4 {
			t.Errorf("%s: %d sessions this week, %d next: %+v", c.Title, this, next, x.s.sessions)
		}
	}
	var this, next int
	for _, x := range []shown{blended, tea, shan} {
		t, n := weeks(now, x.sessions)
		this, next = this+t, next+n
	}
	if this == 0 || next == 0 {
		t.Errorf("%d sessions this week, %d next", this, next)
	}
	if v := blended.venue; v.Computers != 12 || !v.Projector || !v.Internet || v.Capacity != 30 {
		t.Errorf("Tân Phong venue's facilities: %+v", v)
	}
	if v := shan.venue; !v.Projector || v.Capacity != 40 {
		t.Errorf("Đoàn Kết venue's facilities: %+v", v)
	}
	online := 0
	for _, s := range blended.sessions {
		if s.Mode == classes.ModeOnline {
			online++
		}
	}
	if online > 1 {
		t.Errorf("%d online sessions in two weeks", online)
	}
	want := map[string]string{
		blendedTitle: "3/25 Nguyễn Văn An:active,Nguyễn Thị Lan:active,Lò Thị Thủy:active | ",
		teaTitle:     "3/3 Lò Văn Bình:active,Tòng Thị Én:active,Giàng A Páo:active | 1.Nguyễn Thị Lan,2.Nguyễn Văn An",
		shanTitle:    "3/12 Sùng Thị Dợ:active,Phạm Văn Đông:active,Lê Thị Lân:active | ",
	}
	rosters := func() map[string]string {
		return map[string]string{blendedTitle: roster(tanPhong, blended.class.ID), teaTitle: roster(tanPhong, tea.class.ID), shanTitle: roster(doanKet, shan.class.ID)}
	}
	for k, got := range rosters() {
		if got != want[k] {
			t.Errorf("%s roster:\n got %s\nwant %s", k, got, want[k])
		}
	}
	// Schedules: Bình's is the tea class's; Lan's the blended class's (she
	// waits for a seat in the tea class); the demo teacher's both; the
	// Đoàn Kết manager teaches his.
	for _, x := range []struct {
		who  domain.Principal
		role string
		want []int64
	}{
		{personOf("0389000100"), "learner", ids(tea.sessions)},
		{personOf("0389000103"), "learner", ids(blended.sessions)},
		{personOf("0901000005"), "teacher", ids(append(slices.Clone(blended.sessions), tea.sessions...))},
		{doanKet, "teacher", ids(shan.sessions)},
	} {
		if got := schedule(now, x.who, x.role); !slices.Equal(got, x.want) {
			t.Errorf("person %d's schedule: %v, want %v", x.who.PersonID, got, x.want)
		}
	}
	// The demo learner (not enrolled: the demo is hers to try) finds the
	// three classes near her with their seats left.
	open, err := enrol.OpenClasses(ctx, demoSignIn(t, db, "0901000006"))
	if err != nil {
		t.Fatal(err)
	}
	seats := map[string]int{}
	for _, c := range open {
		seats[c.Title] = c.SeatsLeft
	}
	if seats[blendedTitle] != 22 || seats[teaTitle] != 0 || seats[shanTitle] != 9 {
		t.Errorf("open classes near the demo learner: %+v", open)
	}

	// Seeded again the same week: nothing changes.
	count := func() (sessions, enrolled int) {
		t.Helper()
		if err := db.SQL().QueryRow(`SELECT (SELECT count(*) FROM class_sessions), (SELECT count(*) FROM enrolments WHERE class_id IS NOT NULL)`).
			Scan(&sessions, &enrolled); err != nil {
			t.Fatal(err)
		}
		return
	}
	s0, e0 := count()
	if n, err := seedClasses(ctx, db, now); err != nil || n != 0 {
		t.Fatalf("seeded again: %d, %v", n, err)
	}
	if s1, e1 := count(); s1 != s0 || e1 != e0 {
		t.Fatalf("seeded twice: %d sessions, %d enrolments; were %d, %d", s1, e1, s0, e0)
	}
	// Seeded five weeks later (make run on an old demo database): this week
	// and next have sessions again; the learners stay as they were.
	later := now.AddDate(0, 0, 35)
	if n, err := seedClasses(ctx, db, later); err != nil || n == 0 {
		t.Fatalf("seeded five weeks later: %d, %v", n, err)
	}
	for _, x := range []struct {
		manager domain.Principal
		title   string
	}{{tanPhong, blendedTitle}, {tanPhong, teaTitle}, {doanKet, shanTitle}} {
		s := show(later, x.manager, x.title)
		if this, next := weeks(later, s.sessions); this+next == 0 {
			t.Errorf("%s five weeks later: %d sessions this week, %d next", x.title, this, next)
		}
	}
	if _, e2 := count(); e2 != e0 {
		t.Errorf("five weeks later: %d enrolments, were %d", e2, e0)
	}
	for k, got := range rosters() {
		if got != want[k] {
			t.Errorf("five weeks later, %s roster: %s", k, got)
		}
	}
}
