package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"densach/domain"
	"densach/domain/attendance"
	"densach/domain/classes"
	"densach/domain/courses"
	"densach/storage/postgres"
)

// The demo's attendance from the online-learning data: the blended demo
// class has an online catch-up session on the evening after its first day
// (a Tuesday, 20:30 to 21:30: before every other session that has begun
// since, so that the check-in stays at the latest one), which Nguyễn Thị
// Lan (demoOnlinePhone) joined through Đèn Sách three minutes after the
// start: her mark (present, source online) is derived by the rule
// (attendance.JoinOnline). The teacher marked the others in the register
// (Lò Thị Thủy present, the at-risk learner absent).
const (
	demoOnlinePhone   = "0389000103"
	demoOnlineManager = "0901000004"
)

// seedOnline makes the demo's online session and its marks, through the
// use cases on a clock set to the session's time. Run again, it finds the
// session (the class's online session that has ended) and changes nothing.
// It reports whether the online mark was made.
func seedOnline(ctx context.Context, db *postgres.DB, now time.Time) (bool, error) {
	var classID, managerAcct, teacherAcct, learner sql.NullInt64
	var firstDay time.Time
	err := db.SQL().QueryRowContext(ctx, `SELECT c.id, c.starts_on,
			(SELECT a.id FROM accounts a JOIN people p ON p.id = a.person_id WHERE p.phone = $2),
			(SELECT a.id FROM accounts a JOIN people p ON p.id = a.person_id WHERE p.phone = $3),
			(SELECT e.person_id FROM enrolments e JOIN people p ON p.id = e.person_id
				WHERE e.class_id = c.id AND e.status = 'active' AND p.phone = $4)
		FROM classes c WHERE c.title = $1 ORDER BY c.id LIMIT 1`, demoClassTitle, demoOnlineManager, demoCheckinTeacher, demoOnlinePhone).
		Scan(&classID, &firstDay, &managerAcct, &teacherAcct, &learner)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if !managerAcct.Valid || !teacherAcct.Valid || !learner.Valid {
		return false, fmt.Errorf("demo online session: the manager, the teacher or the learner %s is missing", demoOnlinePhone)
	}
	auth := postgres.NewAuth(db)
	manager, err := auth.AccountPrincipal(ctx, managerAcct.Int64)
	if err != nil {
		return false, err
	}
	teacher, err := auth.AccountPrincipal(ctx, teacherAcct.Int64)
	if err != nil {
		return false, err
	}
	var sessionID int64
	var startsAt time.Time
	err = db.SQL().QueryRowContext(ctx, `SELECT id, starts_at FROM class_sessions
		WHERE class_id = $1 AND mode = 'online' AND status = 'scheduled' AND ends_at <= $2 ORDER BY starts_at DESC LIMIT 1`, classID.Int64, now).
		Scan(&sessionID, &startsAt)
	if err == nil {
		return false, nil // made before
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return false, err
	}
	startsAt = time.Date(firstDay.Year(), firstDay.Month(), firstDay.Day()+1, 20, 30, 0, 0, classes.Zone)
	if !startsAt.Add(time.Hour).Before(now) {
		return false, nil // the class has not run a day yet
	}
	cs := &classes.Service{Store: postgres.NewClasses(db), Courses: &courses.Service{Store: postgres.NewCourses(db)},
		Now: func() time.Time { return startsAt.Add(-24 * time.Hour) }}
	s, err := cs.AddSession(ctx, manager, classID.Int64, classes.SessionInput{StartsAt: startsAt, EndsAt: startsAt.Add(time.Hour),
		Mode: classes.ModeOnline, TeacherID: teacher.PersonID})
	if err != nil {
		return false, fmt.Errorf("demo online session: %w", err)
	}
	at := startsAt.Add(3 * time.Minute)
	svc := &attendance.Service{Store: postgres.NewAttendance(db), Classes: postgres.NewClasses(db), Online: postgres.NewOnline(db),
		Now: func() time.Time { return at }}
	// The learner joins as themself: the use case needs only who they are.
	j, err := svc.JoinOnline(ctx, domain.Principal{PersonID: learner.Int64}, s.ID)
	if err != nil {
		return false, fmt.Errorf("demo online join: %w", err)
	}
	// The teacher marks the others after the session.
	at = startsAt.Add(70 * time.Minute)
	learners, err := svc.Store.Learners(ctx, classID.Int64, 0)
	if err != nil {
		return false, err
	}
	phones, err := phonesOf(ctx, db, learners)
	if err != nil {
		return false, err
	}
	in := attendance.BatchInput{Device: "Điện thoại giáo viên (dữ liệu mẫu)"}
	for _, l := range learners {
		switch phones[l.PersonID] {
		case demoOnlinePhone:
		case demoAtRiskPhone:
			in.Marks = append(in.Marks, attendance.MarkInput{PersonID: l.PersonID, Status: attendance.Absent})
		default:
			in.Marks = append(in.Marks, attendance.MarkInput{PersonID: l.PersonID, Status: attendance.Present})
		}
	}
	if len(in.Marks) > 0 {
		if _, err := svc.MarkSession(ctx, teacher, s.ID, in); err != nil {
			return false, fmt.Errorf("demo online session's register: %w", err)
		}
	}
	return j.Mark != nil && j.Mark.Source == attendance.SourceOnline, nil
}
