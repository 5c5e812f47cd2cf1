package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"densach/domain"
	"densach/domain/attendance"
	"densach/storage/postgres"
)

// The demo's check-in: the blended demo class's teacher shows the code and
// Lò Thị Thủy (demoCheckinPhone) checks in to its latest session that has begun.
const demoCheckinTeacher = "0901000005"

// seedCheckin checks the demo learner in to the blended demo class's latest
// session that has begun, through the check-in use cases on a clock set to
// five minutes after its start (or now, if sooner): the teacher's screen
// draws the session's code, the learner sends it, and the mark is written
// by the register's statement with source checkin. A session in the past
// is checked in "as it happened then"; the mark's marked_at is still the
// database's clock (the statement stamps now()). Run again, it changes
// nothing: a learner already marked stays so. It reports whether a mark
// was made.
func seedCheckin(ctx context.Context, db *postgres.DB, now time.Time) (bool, error) {
	var sessionID, teacherAcct, learner sql.NullInt64
	var startsAt time.Time
	err := db.SQL().QueryRowContext(ctx, `SELECT cs.id, cs.starts_at,
			(SELECT a.id FROM accounts a JOIN people p ON p.id = a.person_id WHERE p.phone = $2),
			(SELECT e.person_id FROM enrolments e JOIN people p ON p.id = e.person_id
				WHERE e.class_id = c.id AND e.status = 'active' AND p.phone = $3)
		FROM classes c JOIN class_sessions cs ON cs.class_id = c.id
		WHERE c.title = $1 AND cs.status = 'scheduled' AND cs.starts_at <= $4
		ORDER BY cs.starts_at DESC LIMIT 1`, demoClassTitle, demoCheckinTeacher, demoCheckinPhone, now).
		Scan(&sessionID, &startsAt, &teacherAcct, &learner)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil // no session has begun yet: nothing to check in to
	}
	if err != nil {
		return false, err
	}
	if !teacherAcct.Valid || !learner.Valid {
		return false, fmt.Errorf("demo check-in: the teacher %s or the learner %s is missing", demoCheckinTeacher, demoCheckinPhone)
	}
	at := startsAt.Add(5 * time.Minute)
	if now.Before(at) {
		at = now
	}
	svc := &attendance.Service{Store: postgres.NewAttendance(db), Classes: postgres.NewClasses(db), Checkins: postgres.NewCheckins(db),
		Now: func() time.Time { return at }}
	teacher, err := postgres.NewAuth(db).AccountPrincipal(ctx, teacherAcct.Int64)
	if err != nil {
		return false, err
	}
	code, err := svc.SessionCheckinCode(ctx, teacher, sessionID.Int64)
	if err != nil {
		return false, fmt.Errorf("demo check-in code: %w", err)
	}
	// The learner checks in as themself: the use case needs only who they are.
	r, err := svc.CheckIn(ctx, domain.Principal{PersonID: learner.Int64}, code.Code)
	if err != nil {
		return false, fmt.Errorf("demo check-in: %w", err)
	}
	return !r.Already, nil
}
