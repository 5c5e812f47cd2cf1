package main

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"densach/domain"
	"densach/domain/classes"
	"densach/domain/courses"
	"densach/domain/enrolments"
	"densach/storage/postgres"
)

// demoVenue is the blended demo class's venue at Tân Phong.
const demoVenue = "Nhà văn hoá tổ dân phố số 5"

// demoClass is one class of the demo: a published course of a centre,
// offered by the centre's manager with one teacher at one venue, meeting
// twice a week, and the learners its manager enrols (in order, so those
// past the capacity wait).
type demoClass struct {
	course, centre   string // the course's title, the centre's name
	manager, teacher string // phones
	venue            classes.VenueInput
	title            string
	mode             classes.Mode
	capacity         int
	weekdays         []int
	start            string
	minutes          int
	meetingURL       string
	learners         []string // phones
}

// demoClasses are the demo's classes at two Lai Châu centres: at Tân Phong
// a blended digital-skills evening class (three learners enrolled, seats
// left for the demo learner to join herself) and an in-person tea-growing
// morning class of three places (three learners seated, two waiting in
// the order enrolled); at Đoàn Kết an in-person class of its own tea
// course, taught by its manager, with its three learners.
var demoClasses = []demoClass{
	{course: demoOnlineCourse, centre: centreTanPhong, manager: "0901000004", teacher: "0901000005", venue: tanPhongVenue,
		title: demoClassTitle, mode: classes.ModeBlended, capacity: 25, weekdays: []int{1, 3}, start: "18:30", minutes: 90,
		meetingURL: "https://meet.jit.si/densach-tan-phong-ky-nang-so",
		learners:   []string{"0389000114", "0389000103", "0389000104"}},
	{course: "Trồng chè an toàn", centre: centreTanPhong, manager: "0901000004", teacher: "0901000005", venue: tanPhongVenue,
		title: "Trồng chè an toàn — lớp sáng thứ Ba, thứ Năm", mode: classes.ModeInPerson, capacity: 3, weekdays: []int{2, 4}, start: "08:00", minutes: 120,
		learners: []string{"0389000100", "0389000101", "0389000102", "0389000103", "0389000104"}},
	{course: "Trồng và chăm sóc chè Shan tuyết", centre: centreDoanKet, manager: "0901000007", teacher: "0901000007",
		venue: classes.VenueInput{Name: "Nhà văn hoá bản Tả Xin Chải", Address: "Bản Tả Xin Chải, phường Đoàn Kết, Lai Châu", Capacity: 40, Projector: true},
		title: "Chè Shan tuyết — lớp thực hành bản Tả Xin Chải", mode: classes.ModeInPerson, capacity: 12, weekdays: []int{2, 6}, start: "07:30", minutes: 120,
		learners: []string{"0389000106", "0389000107", "0389000105"}},
}

// tanPhongVenue is the venue of Tân Phong's demo classes.
var tanPhongVenue = classes.VenueInput{Name: demoVenue, Address: "Tổ dân phố số 5, phường Tân Phong, Lai Châu", Capacity: 30, Computers: 12,
	Projector: true, Internet: true}

// seedClasses schedules the demo classes through the use cases, as their
// centres' managers: each class open for enrolment, planned twice a week
// from last week's Monday until four weeks from this week's Monday (holidays skipped; the blended
// class's second Wednesday online), and its learners enrolled. Run again, it
// leaves what is there and only adds sessions when this week or the next
// has none (a demo database seeded weeks ago), so that `make run` always
// shows this week's and next week's sessions. It returns the number of
// sessions made.
func seedClasses(ctx context.Context, db *postgres.DB, now time.Time) (int, error) {
	courseSvc := &courses.Service{Store: postgres.NewCourses(db)}
	cs := &classes.Service{Store: postgres.NewClasses(db), Courses: courseSvc}
	enrol := &enrolments.Service{Store: postgres.NewEnrolments(db), Courses: courseSvc, People: postgres.NewPeople(db)}
	local := now.In(classes.Zone)
	monday := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, time.UTC)
	monday = monday.AddDate(0, 0, -((int(monday.Weekday()) + 6) % 7))
	made := 0
	for _, dc := range demoClasses {
		n, err := seedClass(ctx, db, cs, enrol, dc, monday)
		if err != nil {
			return made, fmt.Errorf("demo class %s: %w", dc.title, err)
		}
		made += n
	}
	return made, nil
}

// seedClass schedules one demo class (or tops up its sessions) and enrols
// its learners when it has none yet.
func seedClass(ctx context.Context, db *postgres.DB, cs *classes.Service, enrol *enrolments.Service, dc demoClass, monday time.Time) (int, error) {
	auth := postgres.NewAuth(db)
	var courseID, centreID, managerAcct, teacher, venueID, classID int64
	if err := db.SQL().QueryRowContext(ctx, `SELECT c.id, ce.id,
			(SELECT a.id FROM accounts a JOIN people p ON p.id = a.person_id WHERE p.phone = $3),
			(SELECT id FROM people WHERE phone = $4),
			coalesce((SELECT id FROM venues WHERE centre_id = ce.id AND name = $5), 0),
			coalesce((SELECT min(id) FROM classes WHERE course_id = c.id AND centre_id = ce.id), 0)
		FROM courses c JOIN course_versions v ON v.id = c.published_version_id JOIN centres ce ON ce.id = c.centre_id
		WHERE v.title = $1 AND ce.name = $2`, dc.course, dc.centre, dc.manager, dc.teacher, dc.venue.Name).
		Scan(&courseID, &centreID, &managerAcct, &teacher, &venueID, &classID); err != nil {
		return 0, fmt.Errorf("its course: %w", err)
	}
	manager, err := auth.AccountPrincipal(ctx, managerAcct)
	if err != nil {
		return 0, err
	}
	if venueID == 0 {
		in := dc.venue
		in.CentreID = centreID
		v, err := cs.CreateVenue(ctx, manager, in)
		if err != nil {
			return 0, fmt.Errorf("its venue: %w", err)
		}
		venueID = v.ID
	}
	made := 0
	if classID == 0 {
		// The class began the week before this one, so that the demo has
		// held sessions to show attendance for, whatever the weekday.
		first := monday.AddDate(0, 0, -7)
		enrolFrom, enrolUntil := first.AddDate(0, 0, -7), monday.AddDate(0, 0, 11)
		in := classes.ClassInput{CentreID: centreID, CourseID: courseID, Title: dc.title, Mode: dc.mode, VenueID: venueID, Capacity: dc.capacity,
			EnrolFrom: &enrolFrom, EnrolUntil: &enrolUntil, StartsOn: first, EndsOn: monday.AddDate(0, 0, 41), MeetingURL: dc.meetingURL,
			TeacherIDs: []int64{teacher}}
		c, err := cs.CreateClass(ctx, manager, in)
		if err != nil {
			return 0, err
		}
		in.Status = classes.StatusOpen
		if _, err := cs.UpdateClass(ctx, manager, c.ID, in); err != nil {
			return 0, err
		}
		classID = c.ID
		if made, err = planDemoSessions(ctx, cs, manager, c.ID, dc, monday, first); err != nil {
			return made, err
		}
	} else if made, err = topUpDemoSessions(ctx, db, cs, manager, classID, dc, monday); err != nil {
		return made, err
	}
	return made, enrolDemoLearners(ctx, db, enrol, manager, classID, dc)
}

// planDemoSessions plans a class's sessions from a day (a new class: the
// Monday of the week before) until four weeks after this week's Monday; a blended class's second Wednesday meets online.
func planDemoSessions(ctx context.Context, cs *classes.Service, manager domain.Principal, classID int64, dc demoClass, monday, from time.Time) (int, error) {
	until := monday.AddDate(0, 0, 27)
	plan, err := cs.PlanSessions(ctx, manager, classID, classes.PlanInput{
		Recurrence: classes.Recurrence{Weekdays: dc.weekdays, StartTime: dc.start, DurationMin: dc.minutes, From: from, Until: &until}})
	if err != nil {
		return 0, fmt.Errorf("its sessions: %w", err)
	}
	if dc.mode == classes.ModeBlended {
		online := classes.ModeOnline
		nextWeek := time.Date(monday.Year(), monday.Month(), monday.Day()+7, 0, 0, 0, 0, classes.Zone)
		for _, s := range plan.Sessions {
			if s.StartsAt.In(classes.Zone).Weekday() == time.Wednesday && !s.StartsAt.Before(nextWeek) {
				if _, err := cs.UpdateSession(ctx, manager, s.ID, classes.SessionPatch{Mode: &online}); err != nil {
					return len(plan.Sessions), err
				}
				break
			}
		}
	}
	return len(plan.Sessions), nil
}

// topUpDemoSessions adds sessions to a demo class seeded before when this
// week or the next has none: from the day after its last session (this
// week's Monday at the earliest), its end date moved on as needed. A class
// closed since, or a slot taken since by a session made in the demo, is
// left as it is.
func topUpDemoSessions(ctx context.Context, db *postgres.DB, cs *classes.Service, manager domain.Principal, classID int64, dc demoClass, monday time.Time) (int, error) {
	start := time.Date(monday.Year(), monday.Month(), monday.Day(), 0, 0, 0, 0, classes.Zone)
	var thisWeek, nextWeek bool
	var last sql.NullTime
	if err := db.SQL().QueryRowContext(ctx, `SELECT
			EXISTS (SELECT 1 FROM class_sessions WHERE class_id = $1 AND status = 'scheduled' AND starts_at >= $2 AND starts_at < $3),
			EXISTS (SELECT 1 FROM class_sessions WHERE class_id = $1 AND status = 'scheduled' AND starts_at >= $3 AND starts_at < $4),
			(SELECT max(starts_at) FROM class_sessions WHERE class_id = $1)`,
		classID, start, start.AddDate(0, 0, 7), start.AddDate(0, 0, 14)).Scan(&thisWeek, &nextWeek, &last); err != nil {
		return 0, err
	}
	if thisWeek && nextWeek {
		return 0, nil
	}
	c, _, err := cs.GetClass(ctx, manager, classID)
	if err != nil {
		return 0, err
	}
	if c.Status == classes.StatusFinished || c.Status == classes.StatusCancelled {
		return 0, nil
	}
	from := monday
	if last.Valid {
		if l := last.Time.In(classes.Zone); !l.Before(start) {
			from = time.Date(l.Year(), l.Month(), l.Day()+1, 0, 0, 0, 0, time.UTC)
		}
	}
	if until := monday.AddDate(0, 0, 41); c.EndsOn.Before(until) {
		in := classes.ClassInput{Title: c.Title, Mode: c.Mode, VenueID: c.VenueID, Capacity: c.Capacity, EnrolFrom: c.EnrolFrom, EnrolUntil: c.EnrolUntil,
			StartsOn: c.StartsOn, EndsOn: until, CompletionPct: &c.CompletionPct, MeetingURL: c.MeetingURL, Status: c.Status}
		for _, t := range c.Teachers {
			in.TeacherIDs = append(in.TeacherIDs, t.PersonID)
		}
		if _, err := cs.UpdateClass(ctx, manager, classID, in); err != nil {
			return 0, err
		}
	}
	n, err := planDemoSessions(ctx, cs, manager, classID, dc, monday, from)
	if err != nil && domain.AsError(err).Key == "session_conflict" {
		return 0, nil
	}
	return n, err
}

// enrolDemoLearners enrols a demo class's learners through the roster's use
// case when the class has no enrolment yet: its manager enrols them in
// order, those past the capacity on the waitlist.
func enrolDemoLearners(ctx context.Context, db *postgres.DB, enrol *enrolments.Service, manager domain.Principal, classID int64, dc demoClass) error {
	var enrolled bool
	if err := db.SQL().QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM enrolments WHERE class_id = $1)`, classID).Scan(&enrolled); err != nil || enrolled {
		return err
	}
	for _, phone := range dc.learners {
		var person int64
		if err := db.SQL().QueryRowContext(ctx, `SELECT id FROM people WHERE phone = $1`, phone).Scan(&person); err != nil {
			return fmt.Errorf("learner %s: %w", phone, err)
		}
		if _, err := enrol.EnrolInClass(ctx, manager, classID, person); err != nil {
			return fmt.Errorf("enrol %s: %w", phone, err)
		}
	}
	return nil
}
