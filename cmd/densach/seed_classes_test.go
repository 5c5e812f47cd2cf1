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

// weekOf is the Monday (local midnight) of the week of t.
func weekOf(t time.Time) time.Time {
	l := t.In(classes.Zone)
	return time.Date(l.Year(), l.Month(), l.Day()-(int(l.Weekday())+6)%7, 0, 0, 0, 0, classes.Zone)
}

// TestSeedDemoClasses checks what `make run` shows of the classes, through
// the use cases the screens call: the blended digital-skills class at Tân
// Phong and the in-person tea class at Đoàn Kết, open, at venues with their
// facilities, with sessions this week and next on the managers' calendars;
// the blended class's learners enrolled (the demo learner sees its
// sessions in her schedule), the tea class full with the demo learner on
// its waitlist. Seeded again it changes nothing; seeded weeks later it
// adds the sessions of the new this week and next.
func TestSeedDemoClasses(t *testing.T) {
	db, _, _ := seededDemo(t, false)
	ctx := context.Background()
	coursesSvc := &courses.Service{Store: postgres.NewCourses(db)}
	cs := &classes.Service{Store: postgres.NewClasses(db), Courses: coursesSvc}
	enrol := &enrolments.Service{Store: postgres.NewEnrolments(db), Courses: coursesSvc, People: postgres.NewPeople(db)}
	tanPhong, doanKet, learner := demoSignIn(t, db, "0901000004"), demoSignIn(t, db, "0901000007"), demoSignIn(t, db, "0901000006")

	type shown struct {
		class    classes.Class
		venue    classes.Venue
		sessions []classes.Session // this week and next
	}
	// show reads a centre's demo class as its manager's screens do: the
	// class list, the venue, the calendar of this week and next.
	show := func(now time.Time, manager domain.Principal, centre string) shown {
		t.Helper()
		list, err := cs.ListClasses(ctx, manager, 0, "")
		if err != nil {
			t.Fatal(err)
		}
		var out shown
		for _, c := range list {
			if c.CentreName == centre {
				if out.class.ID != 0 {
					t.Fatalf("two demo classes at %s", centre)
				}
				out.class = c
			}
		}
		if out.class.ID == 0 {
			t.Fatalf("no demo class at %s: %+v", centre, list)
		}
		if out.venue, err = cs.GetVenue(ctx, manager, out.class.VenueID); err != nil {
			t.Fatal(err)
		}
		monday := weekOf(now)
		if out.sessions, err = cs.Calendar(ctx, manager, classes.CalendarQuery{CentreID: out.class.CentreID, From: monday, To: monday.AddDate(0, 0, 14)}); err != nil {
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

	now := time.Now()
	blended, tea := show(now, tanPhong, centreTanPhong), show(now, doanKet, centreDoanKet)
	for _, x := range []struct {
		name  string
		s     shown
		title string
		mode  classes.Mode
		venue string
	}{
		{"blended", blended, "Kỹ năng số cơ bản — lớp buổi tối tổ 5", classes.ModeBlended, demoVenue},
		{"tea", tea, "Chè Shan tuyết — lớp thực hành bản Tả Xin Chải", classes.ModeInPerson, "Nhà văn hoá bản Tả Xin Chải"},
	} {
		c := x.s.class
		if c.Title != x.title || c.Mode != x.mode || c.Status != classes.StatusOpen || len(c.Teachers) != 1 || x.s.venue.Name != x.venue {
			t.Errorf("%s class: %+v at %+v", x.name, c, x.s.venue)
		}
		// A class's two weekdays give four sessions in two weeks; a
		// holiday (Tết is five days) takes some, never a whole week of
		// both classes together.
		if this, next := weeks(now, x.s.sessions); this+next < 2 || this+next > 4 {
			t.Errorf("%s class: %d sessions this week, %d next: %+v", x.name, this, next, x.s.sessions)
		}
	}
	if bt, bn := weeks(now, blended.sessions); true {
		if tt, tn := weeks(now, tea.sessions); bt+tt == 0 || bn+tn == 0 {
			t.Errorf("no session this week (%d+%d) or next (%d+%d)", bt, tt, bn, tn)
		}
	}
	if v := blended.venue; v.Computers != 12 || !v.Projector || !v.Internet || v.Capacity != 30 {
		t.Errorf("blended venue's facilities: %+v", v)
	}
	if v := tea.venue; !v.Projector || v.Capacity != 40 || tea.class.Capacity != 3 {
		t.Errorf("tea venue's facilities: %+v, capacity %d", v, tea.class.Capacity)
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
		"blended": "7/25 Nguyễn Văn An:active,Lù Thị Ánh:active,Lò Văn Bình:active,Tòng Thị Én:active,Nguyễn Thị Lan:active,Giàng A Páo:active,Lò Thị Thủy:active | ",
		"tea":     "3/3 Sùng Thị Dợ:active,Phạm Văn Đông:active,Lê Thị Lân:active | 1.Lù Thị Ánh",
	}
	got := map[string]string{"blended": roster(tanPhong, blended.class.ID), "tea": roster(doanKet, tea.class.ID)}
	for k := range want {
		if got[k] != want[k] {
			t.Errorf("%s roster:\n got %s\nwant %s", k, got[k], want[k])
		}
	}
	// The demo learner's schedule: the blended class's sessions, not the
	// tea class's (she waits for a seat).
	mine, err := cs.MySessions(ctx, learner, weekOf(now), weekOf(now).AddDate(0, 0, 14))
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, s := range blended.sessions {
		ids = append(ids, s.ID)
	}
	for _, s := range mine {
		if s.Role != "learner" || !slices.Contains(ids, s.ID) {
			t.Errorf("the learner's schedule holds %+v", s)
		}
	}
	if len(mine) != len(blended.sessions) {
		t.Errorf("the learner's schedule: %d sessions, the class has %d", len(mine), len(blended.sessions))
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
		centre  string
	}{{tanPhong, centreTanPhong}, {doanKet, centreDoanKet}} {
		s := show(later, x.manager, x.centre)
		if this, next := weeks(later, s.sessions); this+next < 2 {
			t.Errorf("%s five weeks later: %d sessions this week, %d next", x.centre, this, next)
		}
	}
	if _, e2 := count(); e2 != e0 {
		t.Errorf("five weeks later: %d enrolments, were %d", e2, e0)
	}
	if r := roster(doanKet, tea.class.ID); r != want["tea"] {
		t.Errorf("five weeks later, the tea roster: %s", r)
	}
}
