package main

import (
	"context"
	"fmt"
	"time"

	"densach/domain/classes"
	"densach/domain/courses"
	"densach/domain/enrolments"
	"densach/storage/postgres"
)

// demoFarmCourse is the in-person agriculture course the demo's full class
// offers.
const demoFarmCourse = "Trồng chè an toàn"

// demoFarmLearners are the Tân Phong demo learners (without accounts)
// enrolled by the centre's manager, in this order, in the tea class of
// three places: the first three seated, the last two on the waitlist.
var demoFarmLearners = []string{"Lò Văn Bình", "Tòng Thị Én", "Giàng A Páo", "Nguyễn Thị Lan", "Nguyễn Văn An"}

// seedRosters offers the in-person tea-growing course at Tân Phong as a
// morning class of three places at the demo venue, taught by the demo
// teacher on Tuesdays and Thursdays this week and next, and enrols five
// demo learners in it as the centre's manager through the use cases: three
// active, two waitlisted. Once: a class of the course at the centre already
// there is left as it is. It returns the number of enrolments made.
func seedRosters(ctx context.Context, db *postgres.DB, now time.Time) (int, error) {
	cs := &courses.Service{Store: postgres.NewCourses(db)}
	cls := &classes.Service{Store: postgres.NewClasses(db), Courses: cs}
	enrol := &enrolments.Service{Store: postgres.NewEnrolments(db), Courses: cs, People: postgres.NewPeople(db)}
	var courseID, centreID, managerAcct, teacher, venueID int64
	var exists bool
	if err := db.SQL().QueryRowContext(ctx, `SELECT c.id, ce.id,
			(SELECT a.id FROM accounts a JOIN people p ON p.id = a.person_id WHERE p.phone = '0901000004'),
			(SELECT id FROM people WHERE phone = '0901000005'),
			coalesce((SELECT id FROM venues WHERE centre_id = ce.id AND name = $3), 0),
			EXISTS (SELECT 1 FROM classes WHERE course_id = c.id AND centre_id = ce.id)
		FROM courses c JOIN course_versions v ON v.id = c.published_version_id JOIN centres ce ON ce.id = c.centre_id
		WHERE v.title = $1 AND ce.name = $2`, demoFarmCourse, centreTanPhong, demoVenue).
		Scan(&courseID, &centreID, &managerAcct, &teacher, &venueID, &exists); err != nil {
		return 0, fmt.Errorf("the demo tea class's course: %w", err)
	}
	if exists || venueID == 0 {
		return 0, nil
	}
	manager, err := postgres.NewAuth(db).AccountPrincipal(ctx, managerAcct)
	if err != nil {
		return 0, err
	}
	local := now.In(classes.Zone)
	monday := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, time.UTC)
	monday = monday.AddDate(0, 0, -((int(monday.Weekday()) + 6) % 7))
	enrolFrom, enrolUntil, until := monday.AddDate(0, 0, -7), monday.AddDate(0, 0, 13), monday.AddDate(0, 0, 13)
	in := classes.ClassInput{CentreID: centreID, CourseID: courseID, Title: "Trồng chè an toàn — lớp sáng thứ Ba, thứ Năm", Mode: classes.ModeInPerson,
		VenueID: venueID, Capacity: 3, EnrolFrom: &enrolFrom, EnrolUntil: &enrolUntil, StartsOn: monday, EndsOn: until, TeacherIDs: []int64{teacher}}
	c, err := cls.CreateClass(ctx, manager, in)
	if err != nil {
		return 0, fmt.Errorf("demo tea class: %w", err)
	}
	in.Status = classes.StatusOpen
	if _, err := cls.UpdateClass(ctx, manager, c.ID, in); err != nil {
		return 0, err
	}
	if _, err := cls.PlanSessions(ctx, manager, c.ID, classes.PlanInput{
		Recurrence: classes.Recurrence{Weekdays: []int{2, 4}, StartTime: "08:00", DurationMin: 120, From: monday, Until: &until}}); err != nil {
		return 0, fmt.Errorf("demo tea sessions: %w", err)
	}
	made := 0
	for _, name := range demoFarmLearners {
		var person int64
		if err := db.SQL().QueryRowContext(ctx, `SELECT p.id FROM people p JOIN role_grants g ON g.person_id = p.id AND g.role = 'learner'
			JOIN centres ce ON ce.id = g.centre_id WHERE p.full_name = $1 AND ce.name = $2 LIMIT 1`, name, centreTanPhong).Scan(&person); err != nil {
			return made, fmt.Errorf("demo learner %s: %w", name, err)
		}
		if _, err := enrol.EnrolInClass(ctx, manager, c.ID, person); err != nil {
			return made, fmt.Errorf("enrol %s: %w", name, err)
		}
		made++
	}
	return made, nil
}
