package main

import (
	"context"
	"fmt"
	"time"

	"densach/domain/classes"
	"densach/domain/courses"
	"densach/storage/postgres"
)

// demoVenue is the demo class's venue at Tân Phong.
const demoVenue = "Nhà văn hoá tổ dân phố số 5"

// seedClasses offers the online demo course as a blended evening class at
// Tân Phong, taught by the demo teacher at a venue of the centre, with four
// weeks of sessions from this week's Monday (Monday and Wednesday 18:30,
// holidays skipped; the second Wednesday online), through the use cases as
// the centre's manager. Once: a class of the course at the centre already
// there is left as it is. It returns the number of sessions made.
func seedClasses(ctx context.Context, db *postgres.DB, now time.Time) (int, error) {
	cs := &classes.Service{Store: postgres.NewClasses(db), Courses: &courses.Service{Store: postgres.NewCourses(db)}}
	var courseID, centreID, managerAcct, teacher, venueID int64
	var exists bool
	if err := db.SQL().QueryRowContext(ctx, `SELECT c.id, ce.id,
			(SELECT a.id FROM accounts a JOIN people p ON p.id = a.person_id WHERE p.phone = '0901000004'),
			(SELECT id FROM people WHERE phone = '0901000005'),
			coalesce((SELECT id FROM venues WHERE centre_id = ce.id AND name = $3), 0),
			EXISTS (SELECT 1 FROM classes WHERE course_id = c.id AND centre_id = ce.id)
		FROM courses c JOIN course_versions v ON v.id = c.published_version_id JOIN centres ce ON ce.id = c.centre_id
		WHERE v.title = $1 AND ce.name = $2`, demoOnlineCourse, centreTanPhong, demoVenue).
		Scan(&courseID, &centreID, &managerAcct, &teacher, &venueID, &exists); err != nil {
		return 0, fmt.Errorf("the demo class's course: %w", err)
	}
	if exists {
		return 0, nil
	}
	manager, err := postgres.NewAuth(db).AccountPrincipal(ctx, managerAcct)
	if err != nil {
		return 0, err
	}
	if venueID == 0 {
		v, err := cs.CreateVenue(ctx, manager, classes.VenueInput{CentreID: centreID, Name: demoVenue,
			Address: "Tổ dân phố số 5, phường Tân Phong, Lai Châu", Capacity: 30, Computers: 12, Projector: true, Internet: true})
		if err != nil {
			return 0, fmt.Errorf("demo venue: %w", err)
		}
		venueID = v.ID
	}
	local := now.In(classes.Zone)
	monday := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, time.UTC)
	monday = monday.AddDate(0, 0, -((int(monday.Weekday()) + 6) % 7))
	enrolFrom, until := monday.AddDate(0, 0, -7), monday.AddDate(0, 0, 27)
	in := classes.ClassInput{CentreID: centreID, CourseID: courseID, Title: demoClassTitle, Mode: classes.ModeBlended,
		VenueID: venueID, Capacity: 25, EnrolFrom: &enrolFrom, EnrolUntil: &monday, StartsOn: monday, EndsOn: monday.AddDate(0, 0, 41),
		MeetingURL: "https://meet.jit.si/densach-tan-phong-ky-nang-so", TeacherIDs: []int64{teacher}}
	c, err := cs.CreateClass(ctx, manager, in)
	if err != nil {
		return 0, fmt.Errorf("demo class: %w", err)
	}
	in.Status = classes.StatusOpen
	if _, err := cs.UpdateClass(ctx, manager, c.ID, in); err != nil {
		return 0, err
	}
	plan, err := cs.PlanSessions(ctx, manager, c.ID, classes.PlanInput{
		Recurrence: classes.Recurrence{Weekdays: []int{1, 3}, StartTime: "18:30", DurationMin: 90, From: monday, Until: &until}})
	if err != nil {
		return 0, fmt.Errorf("demo sessions: %w", err)
	}
	// The second Wednesday meets online.
	online := classes.ModeOnline
	for _, s := range plan.Sessions {
		if s.StartsAt.In(classes.Zone).Weekday() == time.Wednesday && s.StartsAt.After(time.Date(monday.Year(), monday.Month(), monday.Day()+7, 0, 0, 0, 0, classes.Zone)) {
			if _, err := cs.UpdateSession(ctx, manager, s.ID, classes.SessionPatch{Mode: &online}); err != nil {
				return 0, err
			}
			break
		}
	}
	return len(plan.Sessions), nil
}
