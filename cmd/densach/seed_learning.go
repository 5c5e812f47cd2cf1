package main

import (
	"context"
	"fmt"
	"time"

	"densach/domain"
	"densach/domain/courses"
	"densach/domain/enrolments"
	"densach/domain/quizzes"
	"densach/storage/postgres"
)

// demoProgress is a demo learner's path through the online demo course:
// how many of its lessons (in course order, the quiz aside) are done, how
// much of a video was watched when it is the next one, and the quiz
// attempts (the share of questions answered right in each).
type demoProgress struct {
	name     string    // the learner's full name (a demo learner of Tân Phong)
	phone    string    // or their phone (a demo account, enrolled by themself)
	done     int       // lessons complete, in order, the quiz aside
	watched  float64   // share of the next lesson played, when it is a video
	attempts []float64 // quiz attempts: share of right answers in each
}

// demoOnlineCourse is the demo's online course that learners follow.
const demoOnlineCourse = "Kỹ năng số cơ bản cho người dân"

// demoPaths are the demo learners of the online course, so that my courses
// and a course's learners show real progress bars and scores.
var demoPaths = []demoProgress{
	{phone: "0901000006", done: 2, watched: 0.4},
	{name: "Lò Văn Bình", done: 99, attempts: []float64{0.6, 1}},
	{name: "Tòng Thị Én", done: 1, attempts: []float64{0.4}},
	{name: "Nguyễn Thị Lan", done: 4, watched: 0.5},
}

// seedLearning enrols the demo learners in the online demo course and
// records their progress and quiz attempts through the use cases, once (a
// learner already enrolled in the course is left as they are).
func seedLearning(ctx context.Context, db *postgres.DB) (int, error) {
	cs := &courses.Service{Store: postgres.NewCourses(db)}
	enrol := &enrolments.Service{Store: postgres.NewEnrolments(db), Courses: cs, People: postgres.NewPeople(db)}
	qs := &quizzes.Service{Store: postgres.NewQuizzes(db), Gate: cs, Completer: enrol}
	auth := postgres.NewAuth(db)
	var courseID, managerAcct int64
	if err := db.SQL().QueryRowContext(ctx, `SELECT c.id, (SELECT a.id FROM accounts a JOIN people p ON p.id = a.person_id WHERE p.phone = '0901000004')
		FROM courses c JOIN course_versions v ON v.id = c.published_version_id JOIN centres ce ON ce.id = c.centre_id
		WHERE v.title = $1 AND ce.name = $2`, demoOnlineCourse, centreTanPhong).Scan(&courseID, &managerAcct); err != nil {
		return 0, fmt.Errorf("the online demo course: %w", err)
	}
	manager, err := auth.AccountPrincipal(ctx, managerAcct)
	if err != nil {
		return 0, err
	}
	made := 0
	for _, dp := range demoPaths {
		var person, acct, centre, commune, province int64
		if err := db.SQL().QueryRowContext(ctx, `SELECT p.id, coalesce((SELECT id FROM accounts WHERE person_id = p.id), 0),
			ce.id, ce.unit_id, coalesce(u.parent_id, 0)
			FROM people p JOIN role_grants g ON g.person_id = p.id AND g.role = 'learner' JOIN centres ce ON ce.id = g.centre_id JOIN units u ON u.id = ce.unit_id
			WHERE (p.phone = $1 OR p.full_name = $2 AND $1 = '') AND ce.name = $3 LIMIT 1`, dp.phone, dp.name, centreTanPhong).
			Scan(&person, &acct, &centre, &commune, &province); err != nil {
			return made, fmt.Errorf("demo learner %s%s: %w", dp.phone, dp.name, err)
		}
		var enrolled bool
		if err := db.SQL().QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM enrolments WHERE person_id = $1 AND course_id = $2)`, person, courseID).Scan(&enrolled); err != nil {
			return made, err
		}
		if enrolled {
			continue
		}
		// The learner as they sign in: their account's principal, or (a
		// demo learner without an account) their learner grant at the centre.
		learner := domain.Principal{PersonID: person, Grants: []domain.Grant{{Role: domain.RoleLearner, Kind: domain.ScopeSelf, PersonID: person,
			CentreID: centre, CommuneID: commune, ProvinceID: province}}}
		if acct != 0 {
			if learner, err = auth.AccountPrincipal(ctx, acct); err != nil {
				return made, err
			}
		}
		var e enrolments.Enrolment
		if dp.phone != "" {
			e, err = enrol.Enrol(ctx, learner, courseID, 0)
		} else {
			e, err = enrol.Enrol(ctx, manager, courseID, person)
		}
		if err != nil {
			return made, fmt.Errorf("enrol %s%s: %w", dp.phone, dp.name, err)
		}
		if err := walkDemoPath(ctx, enrol, qs, learner, e.ID, dp); err != nil {
			return made, fmt.Errorf("progress of %s%s: %w", dp.phone, dp.name, err)
		}
		made++
	}
	return made, nil
}

// walkDemoPath records a learner's progress as the player would send it
// (one batch), then their quiz attempts.
func walkDemoPath(ctx context.Context, enrol *enrolments.Service, qs *quizzes.Service, learner domain.Principal, enrolmentID int64, dp demoProgress) error {
	d, err := enrol.Get(ctx, learner, enrolmentID)
	if err != nil {
		return err
	}
	at := time.Now().Add(-time.Second)
	var events []enrolments.Event
	var quiz int64
	done := 0
	for _, l := range d.Lessons {
		if l.Kind == courses.KindQuiz {
			quiz = l.ID
			continue
		}
		switch {
		case done < dp.done:
			events = append(events, enrolments.Event{LessonID: l.ID, At: at, Kind: enrolments.EventOpen, TimeSpentS: 240})
			if l.Kind == courses.KindVideo {
				const length = 300
				events = append(events, enrolments.Event{LessonID: l.ID, At: at, Kind: enrolments.EventHeartbeat, PositionS: length,
					Played: &[2]float64{0, length}, DurationS: length, TimeSpentS: length})
			} else {
				events = append(events, enrolments.Event{LessonID: l.ID, At: at, Kind: enrolments.EventComplete, TimeSpentS: 240})
			}
		case done == dp.done && dp.watched > 0 && l.Kind == courses.KindVideo:
			played := 300 * dp.watched
			events = append(events, enrolments.Event{LessonID: l.ID, At: at, Kind: enrolments.EventHeartbeat, PositionS: played,
				Played: &[2]float64{0, played}, DurationS: 300, TimeSpentS: played})
		}
		done++
	}
	if len(events) > 0 {
		if _, err := enrol.Record(ctx, learner, enrolmentID, events); err != nil {
			return err
		}
	}
	for _, share := range dp.attempts {
		if quiz == 0 {
			break
		}
		if err := demoAttempt(ctx, qs, learner, quiz, share); err != nil {
			return err
		}
	}
	return nil
}

// demoAttempt starts an attempt and answers the first share of its
// questions right (as the demo bank says) and the rest wrong.
func demoAttempt(ctx context.Context, qs *quizzes.Service, learner domain.Principal, lessonID int64, share float64) error {
	a, _, err := qs.Start(ctx, learner, lessonID)
	if err != nil {
		return err
	}
	right := int(share*float64(len(a.Questions)) + 0.5)
	answers := make([]quizzes.Answer, 0, len(a.Questions))
	for i, q := range a.Questions {
		answers = append(answers, demoAnswer(q, i < right))
	}
	_, err = qs.Submit(ctx, learner, a.ID, answers)
	return err
}

// demoAnswer answers a shown question from the demo bank, right or wrong.
func demoAnswer(q quizzes.ShownQuestion, right bool) quizzes.Answer {
	var bank quizzes.QuestionInput
	for _, dq := range demoQuizzes {
		for _, in := range dq.questions {
			if in.PromptMD == q.PromptMD {
				bank = in
			}
		}
	}
	a := quizzes.Answer{QuestionID: q.ID}
	switch q.Kind {
	case quizzes.KindTrueFalse:
		b := bank.AnswerBool != nil && *bank.AnswerBool == right
		a.Bool = &b
	case quizzes.KindNumeric:
		n := 0.0
		if bank.AnswerNum != nil {
			n = *bank.AnswerNum
		}
		if !right {
			n += 10 + bank.Tolerance
		}
		a.Number = &n
	default:
		correct := map[string]bool{}
		for _, c := range bank.Correct {
			correct[bank.Options[c]] = true
		}
		for i, o := range q.Options {
			if correct[o] == right && (right || len(a.Choices) == 0) {
				a.Choices = append(a.Choices, i)
			}
		}
		if len(a.Choices) == 0 {
			a.Choices = []int{0}
		}
	}
	return a
}
