package main

import (
	"context"
	"fmt"
	"time"

	"densach/domain/attendance"
	"densach/domain/classes"
	"densach/storage/postgres"
)

// The demo's attendance: who is marked how in the held sessions.
const (
	// demoAtRiskPhone is Nguyễn Văn An, of the blended class: absent from
	// every held session, so that the grid flags him (he cannot reach the
	// class's 80 %, or will not if he misses the next session).
	demoAtRiskPhone = "0389000104"
	// demoCheckinPhone is Lò Thị Thủy, of the blended class: the teacher
	// leaves her unmarked at its last held session, where she checked in
	// herself (seedCheckin, through the check-in use cases).
	demoCheckinPhone = "0389000114"
	// demoLatePhone is Lò Văn Bình, of the tea class: late once.
	demoLatePhone = "0389000100"
	// demoExcusedPhone is Sùng Thị Dợ, of the Shan tuyết class: excused
	// once, with a note.
	demoExcusedPhone = "0389000105"
)

// seedAttendance marks the held sessions of the demo classes (those that
// started before now) through the attendance use case, as each class's
// teacher, when the class has no mark yet: everyone present except the
// at-risk learner (absent), one late and one excused with a note; the
// check-in learner is left to seedCheckin at the blended class's last held
// session. It returns the number of sessions marked.
func seedAttendance(ctx context.Context, db *postgres.DB, now time.Time) (int, error) {
	store := postgres.NewAttendance(db)
	cstore := postgres.NewClasses(db)
	svc := &attendance.Service{Store: store, Classes: cstore, Now: func() time.Time { return now }}
	auth := postgres.NewAuth(db)
	marked := 0
	for _, dc := range demoClasses {
		var classID, teacherAcct int64
		var hasMarks bool
		if err := db.SQL().QueryRowContext(ctx, `SELECT coalesce((SELECT min(id) FROM classes WHERE title = $1), 0),
				(SELECT a.id FROM accounts a JOIN people p ON p.id = a.person_id WHERE p.phone = $2),
				EXISTS (SELECT 1 FROM attendance_marks m JOIN class_sessions s ON s.id = m.session_id
					WHERE s.class_id = (SELECT min(id) FROM classes WHERE title = $1))`,
			dc.title, dc.teacher).Scan(&classID, &teacherAcct, &hasMarks); err != nil {
			return marked, fmt.Errorf("demo attendance of %s: %w", dc.title, err)
		}
		if classID == 0 || hasMarks {
			continue
		}
		teacher, err := auth.AccountPrincipal(ctx, teacherAcct)
		if err != nil {
			return marked, err
		}
		sessions, err := cstore.Sessions(ctx, classes.SessionFilter{ClassID: classID, To: now})
		if err != nil {
			return marked, err
		}
		learners, err := store.Learners(ctx, classID, 0)
		if err != nil {
			return marked, err
		}
		phones, err := phonesOf(ctx, db, learners)
		if err != nil {
			return marked, err
		}
		var held []classes.Session
		for _, s := range sessions {
			if s.Status != classes.SessionCancelled && s.StartsAt.Before(now) {
				held = append(held, s)
			}
		}
		for i, s := range held {
			last := i == len(held)-1
			in := attendance.BatchInput{Device: "Điện thoại giáo viên (dữ liệu mẫu)"}
			for _, l := range learners {
				m := attendance.MarkInput{PersonID: l.PersonID, Status: attendance.Present}
				switch phones[l.PersonID] {
				case demoAtRiskPhone:
					m.Status = attendance.Absent
				case demoLatePhone:
					if i == 0 {
						m.Status, m.Note = attendance.Late, "Đến muộn 15 phút"
					}
				case demoExcusedPhone:
					if i == 0 {
						m.Status, m.Note = attendance.Excused, "Xin phép nghỉ: đi khám bệnh"
					}
				case demoCheckinPhone:
					if last && dc.title == demoClassTitle {
						continue
					}
				}
				in.Marks = append(in.Marks, m)
			}
			if len(in.Marks) > 0 {
				if _, err := svc.MarkSession(ctx, teacher, s.ID, in); err != nil {
					return marked, fmt.Errorf("demo attendance of %s, session %d: %w", dc.title, s.ID, err)
				}
			}
			marked++
		}
	}
	return marked, nil
}

// phonesOf maps the learners' person ids to their phones.
func phonesOf(ctx context.Context, db *postgres.DB, learners []attendance.Learner) (map[int64]string, error) {
	out := make(map[int64]string, len(learners))
	for _, l := range learners {
		var phone string
		if err := db.SQL().QueryRowContext(ctx, `SELECT coalesce(phone, '') FROM people WHERE id = $1`, l.PersonID).Scan(&phone); err != nil {
			return nil, err
		}
		out[l.PersonID] = phone
	}
	return out, nil
}
