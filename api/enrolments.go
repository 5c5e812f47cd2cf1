package api

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"densach/domain"
	"densach/domain/enrolments"
)

// mountEnrolments registers enrolment in online courses and the player's
// progress heartbeats.
func (s *Server) mountEnrolments(r router) {
	r.Post("/courses/:id/enrolments", s.enrol)
	r.Get("/courses/:id/learners", s.courseLearners)
	r.Get("/courses/:id/learners.csv", s.courseLearnersCSV)
	r.Get("/me/enrolments", s.myEnrolments)
	r.Get("/enrolments/:id", s.getEnrolment)
	r.Post("/enrolments/:id/withdraw", s.withdrawEnrolment)
	r.Post("/enrolments/:id/progress", s.recordProgress)
}

type enrolmentJSON struct {
	ID              int64      `json:"id"`
	PersonID        int64      `json:"person_id"`
	PersonName      string     `json:"person_name"`
	CourseID        int64      `json:"course_id"`
	CourseTitle     string     `json:"course_title"`
	ClassID         *int64     `json:"class_id"`
	ClassTitle      *string    `json:"class_title"`
	VersionID       int64      `json:"version_id"`
	VersionNumber   int        `json:"version_number"`
	Status          string     `json:"status"`
	Source          string     `json:"source"`
	EnrolledBy      int64      `json:"enrolled_by"`
	EnrolledAt      time.Time  `json:"enrolled_at"`
	WithdrawnAt     *time.Time `json:"withdrawn_at"`
	WithdrawnReason string     `json:"withdrawn_reason"`
	CompletedAt     *time.Time `json:"completed_at"`
}

func toEnrolmentJSON(e enrolments.Enrolment) enrolmentJSON {
	out := enrolmentJSON{ID: e.ID, PersonID: e.PersonID, PersonName: e.PersonName, CourseID: e.CourseID, CourseTitle: e.CourseTitle,
		VersionID: e.VersionID, VersionNumber: e.VersionNumber, Status: string(e.Status), Source: string(e.Source), EnrolledBy: e.EnrolledBy,
		EnrolledAt: e.EnrolledAt, WithdrawnAt: e.WithdrawnAt, WithdrawnReason: e.WithdrawnReason, CompletedAt: e.CompletedAt}
	if e.ClassID != 0 {
		out.ClassID, out.ClassTitle = &e.ClassID, &e.ClassTitle
	}
	return out
}

type enrolmentSummaryJSON struct {
	enrolmentJSON
	Percent        int        `json:"percent"`
	RequiredDone   int        `json:"required_done"`
	RequiredTotal  int        `json:"required_total"`
	LastActivityAt *time.Time `json:"last_activity_at"`
}

func toSummaryJSON(s enrolments.Summary) enrolmentSummaryJSON {
	return enrolmentSummaryJSON{enrolmentJSON: toEnrolmentJSON(s.Enrolment), Percent: s.Percent, RequiredDone: s.RequiredDone,
		RequiredTotal: s.RequiredTotal, LastActivityAt: s.LastActivityAt}
}

type lessonProgressJSON struct {
	LessonID      int64      `json:"lesson_id"`
	LessonKey     string     `json:"lesson_key"`
	OpenedAt      time.Time  `json:"opened_at"`
	LastAt        time.Time  `json:"last_at"`
	CompletedAt   *time.Time `json:"completed_at"`
	TimeSpentS    int        `json:"time_spent_s"`
	LastPositionS int        `json:"last_position_s"`
	DurationS     *int       `json:"duration_s"`
	WatchedS      int        `json:"watched_s"`
	Watched       [][2]int   `json:"watched"`
}

func toProgressJSON(states []enrolments.State) []lessonProgressJSON {
	out := make([]lessonProgressJSON, len(states))
	for i, st := range states {
		p := lessonProgressJSON{LessonID: st.LessonID, LessonKey: st.LessonKey, OpenedAt: st.OpenedAt, LastAt: st.LastAt, CompletedAt: st.CompletedAt,
			TimeSpentS: st.TimeSpentS, LastPositionS: st.LastPositionS, WatchedS: enrolments.Seconds(st.Watched), Watched: [][2]int{}}
		if st.DurationS > 0 {
			d := st.DurationS
			p.DurationS = &d
		}
		for _, seg := range st.Watched {
			p.Watched = append(p.Watched, [2]int{seg.From, seg.To})
		}
		out[i] = p
	}
	return out
}

type enrolRequest struct {
	PersonID int64 `json:"person_id"`
}

func (s *Server) enrol(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var req enrolRequest
	if len(requestBody(c)) > 0 {
		if err := decode(c, &req); err != nil {
			return err
		}
	}
	e, err := s.Enrolments.Enrol(c.UserContext(), principal(c), id, req.PersonID)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(toEnrolmentJSON(e))
}

func (s *Server) myEnrolments(c *fiber.Ctx) error {
	list, err := s.Enrolments.Mine(c.UserContext(), principal(c))
	if err != nil {
		return err
	}
	items := make([]enrolmentSummaryJSON, len(list))
	for i, e := range list {
		items[i] = toSummaryJSON(e)
	}
	return c.JSON(fiber.Map{"items": items})
}

type lessonRefJSON struct {
	ID          int64  `json:"id"`
	Key         string `json:"key"`
	ModuleID    int64  `json:"module_id"`
	ModuleTitle string `json:"module_title"`
	Kind        string `json:"kind"`
	Title       string `json:"title"`
	Required    bool   `json:"required"`
}

func (s *Server) getEnrolment(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	d, err := s.Enrolments.Get(c.UserContext(), principal(c), id)
	if err != nil {
		return err
	}
	lessons := make([]lessonRefJSON, len(d.Lessons))
	for i, l := range d.Lessons {
		lessons[i] = lessonRefJSON{ID: l.ID, Key: l.Key, ModuleID: l.ModuleID, ModuleTitle: l.ModuleTitle, Kind: string(l.Kind), Title: l.Title, Required: l.Required}
	}
	return c.JSON(fiber.Map{"enrolment": toEnrolmentJSON(d.Enrolment), "lessons": lessons, "progress": toProgressJSON(d.Progress),
		"percent": d.Percent, "resume": fiber.Map{"lesson_id": nullID(d.ResumeLessonID), "position_s": d.ResumePositionS}})
}

type withdrawRequest struct {
	Reason string `json:"reason"`
}

func (s *Server) withdrawEnrolment(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var req withdrawRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	e, err := s.Enrolments.Withdraw(c.UserContext(), principal(c), id, req.Reason)
	if err != nil {
		return err
	}
	return c.JSON(toEnrolmentJSON(e))
}

type progressEventJSON struct {
	LessonID   int64       `json:"lesson_id"`
	Seq        int64       `json:"seq"`
	At         time.Time   `json:"at"`
	Kind       string      `json:"kind"`
	PositionS  float64     `json:"position_s"`
	Played     *[2]float64 `json:"played"`
	DurationS  float64     `json:"duration_s"`
	TimeSpentS float64     `json:"time_spent_s"`
}

type progressRequest struct {
	Events []progressEventJSON `json:"events"`
}

func (s *Server) recordProgress(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var req progressRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	events := make([]enrolments.Event, len(req.Events))
	for i, e := range req.Events {
		events[i] = enrolments.Event{LessonID: e.LessonID, Seq: e.Seq, At: e.At, Kind: enrolments.EventKind(e.Kind), PositionS: e.PositionS,
			Played: e.Played, DurationS: e.DurationS, TimeSpentS: e.TimeSpentS}
	}
	states, err := s.Enrolments.Record(c.UserContext(), principal(c), id, events)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"items": toProgressJSON(states)})
}

type quizScoreJSON struct {
	LessonKey string  `json:"lesson_key"`
	Best      float64 `json:"best"`
	Latest    float64 `json:"latest"`
	Attempts  int     `json:"attempts"`
	Passed    bool    `json:"passed"`
}

type learnerJSON struct {
	enrolmentSummaryJSON
	Score   *float64        `json:"score"`
	Quizzes []quizScoreJSON `json:"quizzes"`
}

type quizLessonJSON struct {
	Key   string `json:"key"`
	Title string `json:"title"`
}

// learnerFilter reads the learners' list parameters (sort, order, status).
func learnerFilter(c *fiber.Ctx) enrolments.LearnerFilter {
	return enrolments.LearnerFilter{Status: enrolments.Status(c.Query("status")), Sort: enrolments.LearnerSort(c.Query("sort")),
		Desc: c.Query("order") == "desc"}
}

func (s *Server) courseLearners(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	pg, err := parsePaging(c, true)
	if err != nil {
		return err
	}
	f := learnerFilter(c)
	f.Limit = pg.PageSize
	if pg.Cursor != "" {
		var cur enrolments.LearnerCursor
		raw, err := base64.RawURLEncoding.DecodeString(pg.Cursor)
		if err != nil || json.Unmarshal(raw, &cur) != nil || cur.ID <= 0 {
			return domain.Invalid(domain.FieldOf("cursor", "cursor_invalid", nil))
		}
		f.After = &cur
	}
	page, err := s.Enrolments.Learners(c.UserContext(), principal(c), id, f)
	if err != nil {
		return err
	}
	items := make([]learnerJSON, len(page.Items))
	for i, l := range page.Items {
		items[i] = learnerJSON{enrolmentSummaryJSON: toSummaryJSON(l.Summary), Score: l.Score, Quizzes: []quizScoreJSON{}}
		for _, q := range l.Quizzes {
			items[i].Quizzes = append(items[i].Quizzes, quizScoreJSON(q))
		}
	}
	quizLessons := make([]quizLessonJSON, len(page.QuizLessons))
	for i, q := range page.QuizLessons {
		quizLessons[i] = quizLessonJSON(q)
	}
	var next *string
	if page.Next != nil {
		raw, _ := json.Marshal(page.Next)
		n := base64.RawURLEncoding.EncodeToString(raw)
		next = &n
	}
	return c.JSON(fiber.Map{"items": items, "next_cursor": next, "quiz_lessons": quizLessons})
}

// learnerStatusVI names an enrolment's status in the export.
var learnerStatusVI = map[enrolments.Status]string{enrolments.StatusActive: "Đang học", enrolments.StatusWaitlisted: "Chờ chỗ",
	enrolments.StatusWithdrawn: "Đã rút", enrolments.StatusCompleted: "Đã hoàn thành"}

// vietnamTime is the time zone of the export's dates.
var vietnamTime = time.FixedZone("ICT", 7*60*60)

// courseLearnersCSV exports a course's learners as the list shows them
// (same filter and order, every page): progress, the quiz score and, per
// quiz lesson of the published version, best and latest score.
func (s *Server) courseLearnersCSV(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	page, err := s.Enrolments.ExportLearners(c.UserContext(), principal(c), id, learnerFilter(c))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="hoc-vien-khoa-%d.csv"`, id))
	return c.Send(csvFile(learnerRows(page)))
}

// learnerRows is the export's table: a heading row, then one per learner.
func learnerRows(page enrolments.LearnerPage) [][]string {
	head := []string{"Họ và tên", "Trạng thái", "Lớp", "Ngày ghi danh", "Tiến độ (%)", "Bài bắt buộc đã xong", "Hoạt động gần nhất", "Điểm kiểm tra"}
	for _, q := range page.QuizLessons {
		head = append(head, q.Title+": điểm cao nhất", q.Title+": điểm lần gần nhất", q.Title+": số lần làm")
	}
	num := func(f float64) string { return strings.Replace(strconv.FormatFloat(f, 'f', -1, 64), ".", ",", 1) }
	when := func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return t.In(vietnamTime).Format("02/01/2006 15:04")
	}
	rows := [][]string{head}
	for _, l := range page.Items {
		score := ""
		if l.Score != nil {
			score = num(*l.Score)
		}
		enrolled := l.EnrolledAt
		class := "Tự học trực tuyến"
		if l.ClassID != 0 {
			class = l.ClassTitle
		}
		r := []string{l.PersonName, learnerStatusVI[l.Status], class, when(&enrolled), strconv.Itoa(l.Percent),
			fmt.Sprintf("%d/%d", l.RequiredDone, l.RequiredTotal), when(l.LastActivityAt), score}
		for _, q := range page.QuizLessons {
			cells := []string{"", "", "0"}
			for _, got := range l.Quizzes {
				if got.LessonKey == q.Key {
					cells = []string{num(got.Best), num(got.Latest), strconv.Itoa(got.Attempts)}
				}
			}
			r = append(r, cells...)
		}
		rows = append(rows, r)
	}
	return rows
}
