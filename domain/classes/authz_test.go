package classes_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"densach/domain"
	"densach/domain/classes"
)

// callerKinds are the columns of the table: every role in centre A1's own
// scope (province A, commune A1, centre A1) and in a foreign one (B).
var callerKinds = []string{kAdmin, kOfficerA, kOfficerA1, kManagerA1, kTeacherA1, kLearnerA1, kOfficerB, kManagerB1, kTeacherB1, kLearnerB1}

const (
	cAdmin = iota
	cOfficerA
	cOfficerA1
	cManagerA1
	cTeacherA1
	cLearnerA1
	cOfficerB
	cManagerB1
	cTeacherB1
	cLearnerB1
	nCallers
)

type who = [nCallers]bool

// ans turns a row of the table into the expected code: ok for the allowed,
// forbidden for those who see the thing but may not act, else not found.
func ans(sees, may who, i int) domain.Code {
	switch {
	case may[i]:
		return ""
	case sees[i]:
		return domain.CodeForbidden
	}
	return domain.CodeNotFound
}

func or(a, b who) who {
	var out who
	for i := range a {
		out[i] = a[i] || b[i]
	}
	return out
}

var (
	everyone = who{true, true, true, true, true, true, true, true, true, true}
	readsA1  = who{cAdmin: true, cOfficerA: true, cOfficerA1: true, cManagerA1: true, cTeacherA1: true}
	runsA1   = who{cAdmin: true, cManagerA1: true}
	readsB1  = who{cAdmin: true, cOfficerB: true, cManagerB1: true, cTeacherB1: true}
	runsB1   = who{cAdmin: true, cManagerB1: true}
	// Learners of the province also read the open and running classes.
	openA1   = or(readsA1, who{cLearnerA1: true})
	openB1   = or(readsB1, who{cLearnerB1: true})
	holidayA = who{cAdmin: true, cOfficerA: true}
	holidayB = who{cAdmin: true, cOfficerB: true}
)

// TestAuthzClassesUseCases runs every use case of venues, shared teachers,
// classes, sessions and holidays for every caller on centre A1 (own scope)
// and centre B1 (foreign).
func TestAuthzClassesUseCases(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	callers := make([]domain.Principal, nCallers)
	for i, k := range callerKinds {
		callers[i] = w.signIn(k)
	}
	type target struct {
		name                 string
		centre, other        int64
		course, province     int64
		teacher              domain.Principal // a teacher of the centre, to share
		reads, runs, open    who
		readsOther, holidays who
	}
	targets := []target{
		{"centre_A1", w.CentreA1, w.CentreB1, w.courseA1, w.ProvA, w.signIn(kTeacherA1), readsA1, runsA1, openA1, readsB1, holidayA},
		{"centre_B1", w.CentreB1, w.CentreA1, w.courseB1, w.ProvB, w.signIn(kTeacherB1), readsB1, runsB1, openB1, readsA1, holidayB},
	}
	for ti, tg := range targets {
		venue := w.venue(tg.centre, "Nhà văn hoá bản")
		planned := w.class(tg.centre, tg.course, venue.ID, classes.StatusPlanned)
		open := w.class(tg.centre, tg.course, venue.ID, classes.StatusOpen, tg.teacher.PersonID)
		for i, pr := range callers {
			name := tg.name + "/" + callerKinds[i]
			// Each caller books its own slot: a day of its own, a week per target.
			slot := time.Date(2026, 3, 2+i, 8+ti, 0, 0, 0, classes.Zone)
			check := func(t *testing.T, what string, err error, want domain.Code) {
				t.Helper()
				if codeOf(err) != want {
					t.Fatalf("%s: %v, want %q", what, err, want)
				}
			}
			t.Run("venues/"+name, func(t *testing.T) {
				vs, err := w.svc.ListVenues(ctx, pr, tg.centre)
				if i == cLearnerA1 || i == cLearnerB1 {
					check(t, "list", err, domain.CodeForbidden)
					return
				}
				check(t, "list", err, "")
				if got := slices.ContainsFunc(vs, func(v classes.Venue) bool { return v.ID == venue.ID }); got != tg.reads[i] {
					t.Fatalf("listed %v, want %v", got, tg.reads[i])
				}
				_, err = w.svc.GetVenue(ctx, pr, venue.ID)
				check(t, "get", err, ans(tg.reads, tg.reads, i))
				_, err = w.svc.CreateVenue(ctx, pr, classes.VenueInput{CentreID: tg.centre, Name: "Phòng " + callerKinds[i], Capacity: 20})
				check(t, "create", err, ans(tg.reads, tg.runs, i))
				_, err = w.svc.UpdateVenue(ctx, pr, venue.ID, classes.VenueInput{Name: "Nhà văn hoá bản", Address: "Bản Mới", Capacity: 40, Projector: true})
				check(t, "update", err, ans(tg.reads, tg.runs, i))
			})
			t.Run("learner_venues/"+name, func(t *testing.T) {
				if i == cLearnerA1 || i == cLearnerB1 {
					_, err := w.svc.GetVenue(ctx, pr, venue.ID)
					check(t, "get", err, domain.CodeNotFound)
				}
			})
			t.Run("shares/"+name, func(t *testing.T) {
				_, err := w.svc.ListShares(ctx, pr, tg.centre)
				check(t, "list", err, ans(tg.reads, tg.reads, i))
				teacher := w.signIn(map[bool]string{true: kTeacherA1, false: kTeacherB1}[tg.centre == w.CentreA1])
				sh, err := w.svc.CreateShare(ctx, pr, teacher.PersonID, tg.centre, tg.other, "Công văn số 12")
				check(t, "create", err, ans(tg.reads, tg.runs, i))
				if err != nil {
					sh, err = w.svc.CreateShare(ctx, w.admin, teacher.PersonID, tg.centre, tg.other, "")
					if err != nil {
						t.Fatal(err)
					}
				}
				err = w.svc.RevokeShare(ctx, pr, sh.ID)
				check(t, "revoke", err, ans(or(tg.reads, tg.readsOther), tg.runs, i))
			})
			t.Run("classes/"+name, func(t *testing.T) {
				list, err := w.svc.ListClasses(ctx, pr, 0, "")
				check(t, "list", err, "")
				has := func(id int64) bool {
					return slices.ContainsFunc(list, func(c classes.Class) bool { return c.ID == id })
				}
				if has(planned.ID) != tg.reads[i] || has(open.ID) != tg.open[i] {
					t.Fatalf("listed planned %v open %v", has(planned.ID), has(open.ID))
				}
				_, _, err = w.svc.GetClass(ctx, pr, planned.ID)
				check(t, "get planned", err, ans(tg.reads, tg.reads, i))
				_, editable, err := w.svc.GetClass(ctx, pr, open.ID)
				check(t, "get open", err, ans(tg.open, tg.open, i))
				if err == nil && editable != tg.runs[i] {
					t.Fatalf("editable %v", editable)
				}
				in := classes.ClassInput{CentreID: tg.centre, CourseID: tg.course, Mode: classes.ModeInPerson, VenueID: venue.ID, Capacity: 20,
					StartsOn: day("2026-03-01"), EndsOn: day("2026-05-31")}
				_, err = w.svc.CreateClass(ctx, pr, in)
				check(t, "create", err, ans(tg.reads, tg.runs, i))
				_, err = w.svc.PreviewClass(ctx, pr, in, classes.PlanInput{Recurrence: classes.Recurrence{Weekdays: []int{2}, StartTime: "06:00", DurationMin: 30, Count: 2}})
				check(t, "preview", err, ans(tg.reads, tg.runs, i))
				in = classes.ClassInput{Title: open.Title, Mode: open.Mode, VenueID: venue.ID, Capacity: 30, StartsOn: open.StartsOn, EndsOn: open.EndsOn,
					MeetingURL: open.MeetingURL, TeacherIDs: []int64{tg.teacher.PersonID}}
				_, err = w.svc.UpdateClass(ctx, pr, open.ID, in)
				check(t, "update", err, ans(tg.open, tg.runs, i))
			})
			t.Run("sessions/"+name, func(t *testing.T) {
				mine := w.session(open.ID, slot.Add(4*time.Hour), venue.ID, 0)
				_, err := w.svc.ListSessions(ctx, pr, open.ID)
				check(t, "list", err, ans(tg.open, tg.open, i))
				_, err = w.svc.GetSession(ctx, pr, mine.ID)
				check(t, "get", err, ans(tg.open, tg.open, i))
				until := day("2026-03-31")
				_, err = w.svc.PlanSessions(ctx, pr, open.ID, classes.PlanInput{DryRun: true,
					Recurrence: classes.Recurrence{Weekdays: []int{2, 4}, StartTime: "19:00", DurationMin: 90, From: day("2026-03-01"), Until: &until}})
				check(t, "plan", err, ans(tg.open, tg.runs, i))
				_, err = w.svc.AddSession(ctx, pr, open.ID, classes.SessionInput{StartsAt: slot, EndsAt: slot.Add(time.Hour), Mode: classes.ModeOnline})
				check(t, "add", err, ans(tg.open, tg.runs, i))
				later := slot.Add(2 * time.Hour)
				_, err = w.svc.UpdateSession(ctx, pr, mine.ID, classes.SessionPatch{StartsAt: &later, EndsAt: ptr(later.Add(time.Hour))})
				check(t, "update", err, ans(tg.open, tg.runs, i))
				_, err = w.svc.CancelSession(ctx, pr, mine.ID, "Mưa lũ")
				check(t, "cancel", err, ans(tg.open, tg.runs, i))
			})
			t.Run("calendar/"+name, func(t *testing.T) {
				// A scheduled and a cancelled session of the open class on
				// the caller's day; the calendar of the day lists both for
				// those who read the centre.
				held := w.session(open.ID, slot.Add(6*time.Hour), venue.ID, 0)
				dropped := w.session(open.ID, slot.Add(8*time.Hour), venue.ID, 0)
				if _, err := w.svc.CancelSession(ctx, w.admin, dropped.ID, "Mưa lũ"); err != nil {
					t.Fatal(err)
				}
				from, to := slot.Add(-8*time.Hour), slot.Add(16*time.Hour)
				learner := i == cLearnerA1 || i == cLearnerB1
				for _, centre := range []int64{0, tg.centre} {
					list, err := w.svc.Calendar(ctx, pr, classes.CalendarQuery{CentreID: centre, From: from, To: to})
					switch {
					case learner:
						check(t, "calendar", err, domain.CodeForbidden)
						continue
					case centre != 0:
						check(t, "calendar of the centre", err, ans(tg.reads, tg.reads, i))
					default:
						check(t, "calendar", err, "")
					}
					var ids []int64
					for _, x := range list {
						ids = append(ids, x.ID)
					}
					if want := tg.reads[i]; slices.Contains(ids, held.ID) != want || slices.Contains(ids, dropped.ID) != want {
						t.Fatalf("centre %d: listed %v, want %d and %d: %v", centre, ids, held.ID, dropped.ID, want)
					}
				}
			})
			t.Run("holidays/"+name, func(t *testing.T) {
				hs, err := w.svc.ListHolidays(ctx, pr, tg.province, 2026)
				check(t, "list", err, "")
				if len(hs) < 10 {
					t.Fatalf("%d holidays", len(hs))
				}
				h, err := w.svc.AddHoliday(ctx, pr, tg.province, time.Date(2026, 10, 1+i, 0, 0, 0, 0, time.UTC), "Lễ hội Then Kin Pang")
				check(t, "add", err, ans(everyone, tg.holidays, i))
				if err != nil {
					h, err = w.svc.AddHoliday(ctx, w.admin, tg.province, time.Date(2026, 10, 1+i, 0, 0, 0, 0, time.UTC), "Lễ hội Then Kin Pang")
					if err != nil {
						t.Fatal(err)
					}
				}
				check(t, "delete", w.svc.DeleteHoliday(ctx, pr, h.ID), ans(everyone, tg.holidays, i))
			})
		}
	}
	// A teacher lists only the sessions they teach.
	tg := targets[0]
	c := w.class(tg.centre, tg.course, 0, classes.StatusOpen, tg.teacher.PersonID)
	v := w.venue(tg.centre, "Trường tiểu học")
	s := w.session(c.ID, time.Now().Add(24*time.Hour), v.ID, tg.teacher.PersonID)
	for i, pr := range append(callers, tg.teacher) {
		list, err := w.svc.MySessions(ctx, pr, time.Time{}, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range list {
			if x.TeacherID != pr.PersonID {
				t.Fatalf("caller %d lists %+v", i, x)
			}
		}
		if pr.PersonID == tg.teacher.PersonID && (len(list) != 1 || list[0].ID != s.ID) {
			t.Fatalf("the teacher's sessions: %+v", list)
		}
	}
}

func ptr[T any](v T) *T { return &v }
