package classes_test

import (
	"context"
	"testing"
	"time"

	"densach/domain"
	"densach/domain/classes"
)

// TestCalendarSessions: the calendar of a range lists the sessions that
// overlap it (one running into it from the day before, not one ending as
// it starts nor one starting as it ends), scheduled and cancelled, in time
// order, with class title, venue and teacher; centre, venue, teacher and
// class narrow it; bad ranges are refused naming the field.
func TestCalendarSessions(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	mgr := w.signIn(kManagerA1)
	teacher := w.signIn(kTeacherA1)
	hall := w.venue(w.CentreA1, "Hội trường xã")
	school := w.venue(w.CentreA1, "Trường tiểu học")
	c1 := w.class(w.CentreA1, w.courseA1, hall.ID, classes.StatusOpen, teacher.PersonID)
	c2 := w.class(w.CentreA1, w.courseA1, school.ID, classes.StatusOpen)
	other := w.class(w.CentreB1, w.courseB1, w.venue(w.CentreB1, "Nhà văn hoá").ID, classes.StatusOpen)
	// The week of Monday 2026-03-09, local time.
	from := time.Date(2026, 3, 9, 0, 0, 0, 0, classes.Zone)
	to := from.AddDate(0, 0, 7)
	add := func(c classes.Class, start time.Time, d time.Duration, venue, teacher int64) classes.Session {
		t.Helper()
		s, err := w.svc.AddSession(ctx, w.admin, c.ID, classes.SessionInput{StartsAt: start, EndsAt: start.Add(d), Mode: classes.ModeInPerson,
			VenueID: venue, TeacherID: teacher})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	night := add(c1, from.Add(-2*time.Hour), 4*time.Hour, hall.ID, teacher.PersonID) // Sunday 22:00 to Monday 02:00
	add(c2, from.Add(-90*time.Minute), 90*time.Minute, school.ID, 0)                 // ends as the week starts
	mon := add(c1, from.Add(19*time.Hour), 90*time.Minute, hall.ID, teacher.PersonID)
	wed := add(c2, from.AddDate(0, 0, 2).Add(8*time.Hour), time.Hour, school.ID, 0)
	wedHall := add(c2, from.AddDate(0, 0, 2).Add(14*time.Hour), time.Hour, hall.ID, 0)
	sun := add(c1, to.Add(-3*time.Hour), 2*time.Hour, hall.ID, teacher.PersonID)
	add(c1, to, time.Hour, hall.ID, teacher.PersonID) // starts as the week ends
	add(other, from.Add(19*time.Hour), time.Hour, 0, 0)
	if _, err := w.svc.CancelSession(ctx, mgr, wed.ID, "Mất điện"); err != nil {
		t.Fatal(err)
	}

	ids := func(list []classes.Session) []int64 {
		out := make([]int64, len(list))
		for i, s := range list {
			out[i] = s.ID
		}
		return out
	}
	same := func(got, want []int64) bool {
		if len(got) != len(want) {
			return false
		}
		for i := range got {
			if got[i] != want[i] {
				return false
			}
		}
		return true
	}
	for _, tc := range []struct {
		name string
		q    classes.CalendarQuery
		want []int64
	}{
		{"week", classes.CalendarQuery{}, []int64{night.ID, mon.ID, wed.ID, wedHall.ID, sun.ID}},
		{"centre", classes.CalendarQuery{CentreID: w.CentreA1}, []int64{night.ID, mon.ID, wed.ID, wedHall.ID, sun.ID}},
		{"venue", classes.CalendarQuery{VenueID: hall.ID}, []int64{night.ID, mon.ID, wedHall.ID, sun.ID}},
		{"teacher", classes.CalendarQuery{TeacherID: teacher.PersonID}, []int64{night.ID, mon.ID, sun.ID}},
		{"class", classes.CalendarQuery{ClassID: c2.ID}, []int64{wed.ID, wedHall.ID}},
		{"class and venue", classes.CalendarQuery{ClassID: c2.ID, VenueID: hall.ID}, []int64{wedHall.ID}},
		{"nothing matches", classes.CalendarQuery{VenueID: hall.ID, CentreID: w.CentreA1, TeacherID: mgr.PersonID}, []int64{}},
	} {
		q := tc.q
		q.From, q.To = from, to
		list, err := w.svc.Calendar(ctx, mgr, q)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if !same(ids(list), tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, ids(list), tc.want)
		}
	}
	// What one session carries.
	list, err := w.svc.Calendar(ctx, mgr, classes.CalendarQuery{ClassID: c2.ID, From: from, To: to})
	if err != nil {
		t.Fatal(err)
	}
	if s := list[0]; s.Status != classes.SessionCancelled || s.CancelReason != "Mất điện" || s.ClassTitle != c2.Title || s.VenueName != "Trường tiểu học" ||
		s.CentreID != w.CentreA1 || !s.StartsAt.Equal(wed.StartsAt) {
		t.Errorf("cancelled session: %+v", s)
	}
	list, err = w.svc.Calendar(ctx, mgr, classes.CalendarQuery{TeacherID: teacher.PersonID, From: from, To: to})
	if err != nil {
		t.Fatal(err)
	}
	if s := list[1]; s.Status != classes.SessionScheduled || s.TeacherName == "" || s.TeacherID != teacher.PersonID || s.VenueName != "Hội trường xã" {
		t.Errorf("scheduled session: %+v", s)
	}

	// The centre of another province is not found for the manager.
	if _, err := w.svc.Calendar(ctx, mgr, classes.CalendarQuery{CentreID: w.CentreB1, From: from, To: to}); codeOf(err) != domain.CodeNotFound {
		t.Errorf("foreign centre: %v", err)
	}
	if _, err := w.svc.Calendar(ctx, mgr, classes.CalendarQuery{CentreID: 987654, From: from, To: to}); keyOf(err) != "centre_not_found" {
		t.Errorf("unknown centre: %v", err)
	}

	// Bad ranges name the field.
	for _, tc := range []struct {
		name     string
		from, to time.Time
		field    []string
		code     string
	}{
		{"no range", time.Time{}, time.Time{}, []string{"from", "to"}, "required"},
		{"no end", from, time.Time{}, []string{"to"}, "required"},
		{"no start", time.Time{}, to, []string{"from"}, "required"},
		{"ends before it starts", to, from, []string{"to"}, "range_invalid"},
		{"empty", from, from, []string{"to"}, "range_invalid"},
		{"63 days", from, from.AddDate(0, 0, 63), []string{"to"}, "range_invalid"},
	} {
		_, err := w.svc.Calendar(ctx, mgr, classes.CalendarQuery{From: tc.from, To: tc.to})
		e := domain.AsError(err)
		if e == nil || e.Code != domain.CodeInvalid || len(e.Fields) != len(tc.field) {
			t.Fatalf("%s: %v", tc.name, err)
		}
		for i, f := range e.Fields {
			if f.Field != tc.field[i] || f.Code != tc.code {
				t.Errorf("%s: %+v", tc.name, e.Fields)
			}
		}
	}
	if _, err := w.svc.Calendar(ctx, mgr, classes.CalendarQuery{From: from, To: from.AddDate(0, 0, classes.MaxCalendarDays)}); err != nil {
		t.Errorf("62 days: %v", err)
	}
}

// TestCalendarTooMany: more sessions than one answer holds is refused, not
// cut short.
func TestCalendarTooMany(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	c := w.class(w.CentreA1, w.courseA1, 0, classes.StatusOpen)
	from := time.Date(2026, 3, 9, 0, 0, 0, 0, classes.Zone)
	batch := make([]classes.Session, classes.MaxCalendarSessions+1)
	for i := range batch {
		start := from.Add(time.Duration(i) * time.Minute)
		batch[i] = classes.Session{ClassID: c.ID, StartsAt: start, EndsAt: start.Add(time.Hour), Mode: classes.ModeOnline,
			MeetingURL: "https://meet.example.org/lop", Status: classes.SessionScheduled}
	}
	if err := w.svc.Store.CreateSessions(ctx, batch[:classes.MaxCalendarSessions]); err != nil {
		t.Fatal(err)
	}
	mgr := w.signIn(kManagerA1)
	q := classes.CalendarQuery{CentreID: w.CentreA1, From: from, To: from.AddDate(0, 0, 7)}
	if list, err := w.svc.Calendar(ctx, mgr, q); err != nil || len(list) != classes.MaxCalendarSessions {
		t.Fatalf("%d sessions: %v", len(list), err)
	}
	if err := w.svc.Store.CreateSessions(ctx, batch[classes.MaxCalendarSessions:]); err != nil {
		t.Fatal(err)
	}
	_, err := w.svc.Calendar(ctx, mgr, q)
	if e := domain.AsError(err); e == nil || len(e.Fields) != 1 || e.Fields[0].Field != "to" || e.Fields[0].Code != "calendar_too_many" {
		t.Fatalf("one too many: %v", err)
	}
}
