package api

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"densach/domain/attendance"
	"densach/domain/classes"
)

// mountAttendance registers the attendance endpoints: marking a session,
// its register and history, a class's grid, a learner's own attendance and
// the centres' weights.
func (s *Server) mountAttendance(r router) {
	r.Get("/sessions/:id/attendance", s.getSessionAttendance)
	r.Post("/sessions/:id/attendance", s.markSessionAttendance)
	// A keyed batch is claimed, applied and its answer stored in the
	// batch's one statement (one round trip, one commit).
	s.ownsIdempotencyKey("markSessionAttendance")
	r.Get("/sessions/:id/attendance/history", s.getSessionAttendanceHistory)
	r.Get("/classes/:id/attendance", s.getClassAttendance)
	r.Get("/me/attendance", s.myAttendance)
	r.Get("/centres/:id/attendance-weights", s.getAttendanceWeights)
	r.Put("/centres/:id/attendance-weights", s.setAttendanceWeights)
}

// ---- JSON shapes ----

type markInputJSON struct {
	PersonID int64  `json:"person_id"`
	Status   string `json:"status"`
	Note     string `json:"note"`
	Version  int    `json:"version"`
}

type batchJSON struct {
	Device string          `json:"device"`
	Marks  []markInputJSON `json:"marks"`
}

type markJSON struct {
	SessionID    int64     `json:"session_id"`
	EnrolmentID  int64     `json:"enrolment_id"`
	PersonID     int64     `json:"person_id"`
	Status       string    `json:"status"`
	Note         string    `json:"note"`
	Source       string    `json:"source"`
	Version      int       `json:"version"`
	MarkedBy     *int64    `json:"marked_by"`
	MarkedByName string    `json:"marked_by_name"`
	MarkedAt     time.Time `json:"marked_at"`
	Device       string    `json:"device"`
}

func toMarkJSON(m attendance.Mark) markJSON {
	return markJSON{SessionID: m.SessionID, EnrolmentID: m.EnrolmentID, PersonID: m.PersonID, Status: string(m.Status), Note: m.Note,
		Source: string(m.Source), Version: m.Version, MarkedBy: nullID(m.MarkedBy), MarkedByName: m.MarkedByName,
		MarkedAt: m.MarkedAt.In(classes.Zone), Device: m.Device}
}

type batchResultJSON struct {
	SessionID int64      `json:"session_id"`
	Changed   int        `json:"changed"`
	Marks     []markJSON `json:"marks"`
}

type rosterEntryJSON struct {
	PersonID        int64     `json:"person_id"`
	EnrolmentID     int64     `json:"enrolment_id"`
	Name            string    `json:"name"`
	EnrolmentStatus string    `json:"enrolment_status"`
	Mark            *markJSON `json:"mark"`
}

type sessionAttendanceJSON struct {
	Session       sessionJSON       `json:"session"`
	ClassID       int64             `json:"class_id"`
	ClassTitle    string            `json:"class_title"`
	CompletionPct int               `json:"completion_pct"`
	Editable      bool              `json:"editable"`
	Items         []rosterEntryJSON `json:"items"`
}

type attendanceEventJSON struct {
	ID         int64     `json:"id"`
	SessionID  int64     `json:"session_id"`
	PersonID   int64     `json:"person_id"`
	Version    int       `json:"version"`
	FromStatus *string   `json:"from_status"`
	ToStatus   string    `json:"to_status"`
	FromNote   *string   `json:"from_note"`
	ToNote     string    `json:"to_note"`
	Source     string    `json:"source"`
	ByID       *int64    `json:"by_id"`
	ByName     string    `json:"by_name"`
	At         time.Time `json:"at"`
	Device     string    `json:"device"`
}

type weightsJSON struct {
	Present float64 `json:"present"`
	Late    float64 `json:"late"`
	Excused float64 `json:"excused"`
	Absent  float64 `json:"absent"`
}

func toWeightsJSON(w attendance.Weights) weightsJSON {
	return weightsJSON{Present: w.Present, Late: w.Late, Excused: w.Excused, Absent: w.Absent}
}

type rateJSON struct {
	Planned  int      `json:"planned"`
	Held     int      `json:"held"`
	Upcoming int      `json:"upcoming"`
	Earned   float64  `json:"earned"`
	Rate     *float64 `json:"rate"`
	AtRisk   *string  `json:"at_risk"`
}

func toRateJSON(r attendance.Rate) rateJSON {
	out := rateJSON{Planned: r.Planned, Held: r.Held, Upcoming: r.Upcoming, Earned: r.Earned, Rate: r.Rate}
	if r.AtRisk != "" {
		risk := r.AtRisk
		out.AtRisk = &risk
	}
	return out
}

type cellJSON struct {
	SessionID int64  `json:"session_id"`
	Status    string `json:"status"`
	Note      string `json:"note"`
	Source    string `json:"source"`
	Version   int    `json:"version"`
}

type gridLearnerJSON struct {
	PersonID        int64      `json:"person_id"`
	EnrolmentID     int64      `json:"enrolment_id"`
	Name            string     `json:"name"`
	EnrolmentStatus string     `json:"enrolment_status"`
	Marks           []cellJSON `json:"marks"`
	Rate            rateJSON   `json:"rate"`
}

type gridJSON struct {
	ClassID       int64             `json:"class_id"`
	ClassTitle    string            `json:"class_title"`
	CentreID      int64             `json:"centre_id"`
	CompletionPct int               `json:"completion_pct"`
	Weights       weightsJSON       `json:"weights"`
	Editable      bool              `json:"editable"`
	WeightsEdit   bool              `json:"weights_editable"`
	AtRiskCount   int               `json:"at_risk_count"`
	Sessions      []sessionJSON     `json:"sessions"`
	Learners      []gridLearnerJSON `json:"learners"`
}

type myAttendanceSessionJSON struct {
	SessionID     int64     `json:"session_id"`
	StartsAt      time.Time `json:"starts_at"`
	EndsAt        time.Time `json:"ends_at"`
	SessionStatus string    `json:"session_status"`
	Status        *string   `json:"status"`
	Note          string    `json:"note"`
	// Source is where the mark came from (nil: unmarked).
	Source *string `json:"source"`
}

type myAttendanceClassJSON struct {
	ClassID       int64                     `json:"class_id"`
	ClassTitle    string                    `json:"class_title"`
	CentreName    string                    `json:"centre_name"`
	CompletionPct int                       `json:"completion_pct"`
	Rate          rateJSON                  `json:"rate"`
	Sessions      []myAttendanceSessionJSON `json:"sessions"`
}

// ---- Handlers ----

func (s *Server) markSessionAttendance(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var req batchJSON
	if err := decode(c, &req); err != nil {
		return err
	}
	in := attendance.BatchInput{Device: req.Device, Marks: make([]attendance.MarkInput, len(req.Marks))}
	for i, m := range req.Marks {
		in.Marks[i] = attendance.MarkInput{PersonID: m.PersonID, Status: attendance.Status(m.Status), Note: m.Note, Version: m.Version}
	}
	res, err := s.Attendance.MarkSession(c.UserContext(), principal(c), id, in)
	if err != nil {
		return keyHeld(c, err)
	}
	if res.Replayed {
		markReplayed(c)
	}
	return c.JSON(batchResultJSON{SessionID: res.SessionID, Changed: res.Changed, Marks: mapJSON(res.Marks, toMarkJSON)})
}

func (s *Server) getSessionAttendance(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	r, err := s.Attendance.SessionRoster(c.UserContext(), principal(c), id)
	if err != nil {
		return err
	}
	out := sessionAttendanceJSON{Session: toSessionJSON(r.Session), ClassID: r.Class.ID, ClassTitle: r.Class.Title, CompletionPct: r.Class.CompletionPct,
		Editable: r.Editable, Items: make([]rosterEntryJSON, len(r.Entries))}
	for i, e := range r.Entries {
		out.Items[i] = rosterEntryJSON{PersonID: e.PersonID, EnrolmentID: e.EnrolmentID, Name: e.Name, EnrolmentStatus: e.Status}
		if e.Mark != nil {
			m := toMarkJSON(*e.Mark)
			out.Items[i].Mark = &m
		}
	}
	return c.JSON(out)
}

func (s *Server) getSessionAttendanceHistory(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	person, err := queryID(c, "person_id")
	if err != nil {
		return err
	}
	list, err := s.Attendance.SessionHistory(c.UserContext(), principal(c), id, person)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"items": mapJSON(list, func(e attendance.Event) attendanceEventJSON {
		out := attendanceEventJSON{ID: e.ID, SessionID: e.SessionID, PersonID: e.PersonID, Version: e.Version, ToStatus: string(e.ToStatus),
			ToNote: e.ToNote, Source: string(e.Source), ByID: nullID(e.ByID), ByName: e.ByName, At: e.At.In(classes.Zone), Device: e.Device}
		if e.FromStatus != "" {
			from, note := string(e.FromStatus), e.FromNote
			out.FromStatus, out.FromNote = &from, &note
		}
		return out
	})})
}

func (s *Server) getClassAttendance(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	g, err := s.Attendance.ClassGrid(c.UserContext(), principal(c), id)
	if err != nil {
		return err
	}
	out := gridJSON{ClassID: g.Class.ID, ClassTitle: g.Class.Title, CentreID: g.Class.CentreID, CompletionPct: g.Class.CompletionPct,
		Weights: toWeightsJSON(g.Weights), Editable: g.Editable, WeightsEdit: g.WeightsEditable, Sessions: sessionsJSON(g.Sessions), Learners: make([]gridLearnerJSON, len(g.Learners))}
	for i, l := range g.Learners {
		gl := gridLearnerJSON{PersonID: l.PersonID, EnrolmentID: l.EnrolmentID, Name: l.Name, EnrolmentStatus: l.Status, Marks: []cellJSON{}, Rate: toRateJSON(l.Rate)}
		for _, ss := range g.Sessions {
			if m, ok := l.Marks[ss.ID]; ok {
				gl.Marks = append(gl.Marks, cellJSON{SessionID: ss.ID, Status: string(m.Status), Note: m.Note, Source: string(m.Source), Version: m.Version})
			}
		}
		if l.Rate.AtRisk != "" {
			out.AtRiskCount++
		}
		out.Learners[i] = gl
	}
	return c.JSON(out)
}

func (s *Server) myAttendance(c *fiber.Ctx) error {
	list, err := s.Attendance.MyAttendance(c.UserContext(), principal(c))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"items": mapJSON(list, func(mc attendance.MyClass) myAttendanceClassJSON {
		out := myAttendanceClassJSON{ClassID: mc.Class.ID, ClassTitle: mc.Class.Title, CentreName: mc.Class.CentreName, CompletionPct: mc.Class.CompletionPct,
			Rate: toRateJSON(mc.Rate), Sessions: make([]myAttendanceSessionJSON, len(mc.Sessions))}
		for i, ss := range mc.Sessions {
			x := myAttendanceSessionJSON{SessionID: ss.ID, StartsAt: ss.StartsAt.In(classes.Zone), EndsAt: ss.EndsAt.In(classes.Zone), SessionStatus: string(ss.Status)}
			if m, ok := mc.Marks[ss.ID]; ok {
				st, src := string(m.Status), string(m.Source)
				x.Status, x.Note, x.Source = &st, m.Note, &src
			}
			out.Sessions[i] = x
		}
		return out
	})})
}

func (s *Server) getAttendanceWeights(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	w, err := s.Attendance.CentreWeights(c.UserContext(), principal(c), id)
	if err != nil {
		return err
	}
	return c.JSON(toWeightsJSON(w))
}

func (s *Server) setAttendanceWeights(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var req weightsJSON
	if err := decode(c, &req); err != nil {
		return err
	}
	w, err := s.Attendance.SetCentreWeights(c.UserContext(), principal(c), id, attendance.Weights{Present: req.Present, Late: req.Late, Excused: req.Excused, Absent: req.Absent})
	if err != nil {
		return err
	}
	return c.JSON(toWeightsJSON(w))
}
