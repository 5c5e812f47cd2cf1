package api

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"densach/domain"
	"densach/domain/attendance"
	"densach/domain/classes"
)

// mountClasses registers venues, shared teachers, classes, their sessions
// and the provinces' holidays.
func (s *Server) mountClasses(r router) {
	r.Get("/venues", s.listVenues)
	r.Post("/venues", s.createVenue)
	r.Get("/venues/:id", s.getVenue)
	r.Put("/venues/:id", s.updateVenue)
	r.Get("/centres/:id/teacher-shares", s.listShares)
	r.Post("/teacher-shares", s.createShare)
	r.Delete("/teacher-shares/:id", s.revokeShare)
	r.Get("/classes", s.listClasses)
	r.Post("/classes", s.createClass)
	r.Post("/classes/preview", s.previewClass)
	r.Get("/classes/:id", s.getClass)
	r.Put("/classes/:id", s.updateClass)
	r.Get("/classes/:id/sessions", s.listSessions)
	r.Post("/classes/:id/sessions", s.addSession)
	r.Post("/classes/:id/sessions/plan", s.planSessions)
	r.Get("/sessions", s.calendar)
	r.Get("/sessions/:id", s.getSession)
	r.Patch("/sessions/:id", s.updateSession)
	r.Post("/sessions/:id/cancel", s.cancelSession)
	r.Get("/me/sessions", s.mySessions)
	r.Get("/holidays", s.listHolidays)
	r.Post("/holidays", s.createHoliday)
	r.Delete("/holidays/:id", s.deleteHoliday)
}

// ---- JSON shapes ----

type venueFieldsJSON struct {
	Name      string `json:"name"`
	Address   string `json:"address"`
	Capacity  int    `json:"capacity"`
	Computers int    `json:"computers"`
	Projector bool   `json:"projector"`
	Internet  bool   `json:"internet"`
	Active    *bool  `json:"active"`
}

type venueCreateJSON struct {
	CentreID int64 `json:"centre_id"`
	venueFieldsJSON
}

func (v venueFieldsJSON) input(centreID int64) classes.VenueInput {
	return classes.VenueInput{CentreID: centreID, Name: v.Name, Address: v.Address, Capacity: v.Capacity, Computers: v.Computers,
		Projector: v.Projector, Internet: v.Internet, Active: v.Active}
}

type venueJSON struct {
	ID         int64     `json:"id"`
	CentreID   int64     `json:"centre_id"`
	CentreName string    `json:"centre_name"`
	Name       string    `json:"name"`
	Address    string    `json:"address"`
	Capacity   int       `json:"capacity"`
	Computers  int       `json:"computers"`
	Projector  bool      `json:"projector"`
	Internet   bool      `json:"internet"`
	Active     bool      `json:"active"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
}

func toVenueJSON(v classes.Venue) venueJSON {
	return venueJSON{ID: v.ID, CentreID: v.CentreID, CentreName: v.CentreName, Name: v.Name, Address: v.Address, Capacity: v.Capacity,
		Computers: v.Computers, Projector: v.Projector, Internet: v.Internet, Active: v.Active, CreatedAt: v.CreatedAt, UpdatedAt: v.UpdatedAt}
}

type shareCreateJSON struct {
	PersonID     int64  `json:"person_id"`
	FromCentreID int64  `json:"from_centre_id"`
	ToCentreID   int64  `json:"to_centre_id"`
	Note         string `json:"note"`
}

type shareJSON struct {
	ID           int64     `json:"id"`
	PersonID     int64     `json:"person_id"`
	PersonName   string    `json:"person_name"`
	FromCentreID int64     `json:"from_centre_id"`
	ToCentreID   int64     `json:"to_centre_id"`
	Note         string    `json:"note"`
	AgreedBy     int64     `json:"agreed_by"`
	AgreedAt     time.Time `json:"agreed_at"`
}

func toShareJSON(s classes.Share) shareJSON {
	return shareJSON{ID: s.ID, PersonID: s.PersonID, PersonName: s.PersonName, FromCentreID: s.FromCentreID, ToCentreID: s.ToCentreID,
		Note: s.Note, AgreedBy: s.AgreedBy, AgreedAt: s.AgreedAt}
}

type classFieldsJSON struct {
	Title         string  `json:"title"`
	Mode          string  `json:"mode"`
	VenueID       *int64  `json:"venue_id"`
	Capacity      int     `json:"capacity"`
	EnrolFrom     *string `json:"enrol_from"`
	EnrolUntil    *string `json:"enrol_until"`
	StartsOn      string  `json:"starts_on"`
	EndsOn        string  `json:"ends_on"`
	CompletionPct *int    `json:"completion_pct"`
	MeetingURL    string  `json:"meeting_url"`
	TeacherIDs    []int64 `json:"teacher_ids"`
}

type classCreateJSON struct {
	CentreID int64 `json:"centre_id"`
	CourseID int64 `json:"course_id"`
	classFieldsJSON
}

type classUpdateJSON struct {
	classFieldsJSON
	Status       string `json:"status"`
	CancelReason string `json:"cancel_reason"`
}

// dateOf reads an optional civil date ("" or null: none).
func dateOf(f *domain.Fields, field string, s *string) *time.Time {
	if s == nil || *s == "" {
		return nil
	}
	d, err := time.Parse(time.DateOnly, *s)
	if err != nil {
		f.AddOf(field, "date_invalid", nil)
		return nil
	}
	return &d
}

func (j classFieldsJSON) input(f *domain.Fields) classes.ClassInput {
	in := classes.ClassInput{Title: j.Title, Mode: classes.Mode(j.Mode), Capacity: j.Capacity, CompletionPct: j.CompletionPct,
		MeetingURL: j.MeetingURL, TeacherIDs: j.TeacherIDs, EnrolFrom: dateOf(f, "enrol_from", j.EnrolFrom), EnrolUntil: dateOf(f, "enrol_until", j.EnrolUntil)}
	if j.VenueID != nil {
		in.VenueID = *j.VenueID
	}
	if d := dateOf(f, "starts_on", &j.StartsOn); d != nil {
		in.StartsOn = *d
	}
	if d := dateOf(f, "ends_on", &j.EndsOn); d != nil {
		in.EndsOn = *d
	}
	return in
}

type classTeacherJSON struct {
	PersonID     int64  `json:"person_id"`
	Name         string `json:"name"`
	HomeCentreID *int64 `json:"home_centre_id"`
}

type classJSON struct {
	ID            int64              `json:"id"`
	CentreID      int64              `json:"centre_id"`
	CentreName    string             `json:"centre_name"`
	CourseID      int64              `json:"course_id"`
	VersionID     int64              `json:"version_id"`
	VersionNumber int                `json:"version_number"`
	Title         string             `json:"title"`
	Mode          string             `json:"mode"`
	VenueID       *int64             `json:"venue_id"`
	VenueName     string             `json:"venue_name"`
	Capacity      int                `json:"capacity"`
	EnrolFrom     *string            `json:"enrol_from"`
	EnrolUntil    *string            `json:"enrol_until"`
	StartsOn      string             `json:"starts_on"`
	EndsOn        string             `json:"ends_on"`
	CompletionPct int                `json:"completion_pct"`
	MeetingURL    string             `json:"meeting_url"`
	Status        string             `json:"status"`
	CancelReason  string             `json:"cancel_reason"`
	Teachers      []classTeacherJSON `json:"teachers"`
	Editable      bool               `json:"editable"`
	CreatedAt     time.Time          `json:"created_at"`
	UpdatedAt     time.Time          `json:"updated_at"`
}

func dateString(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := t.Format(time.DateOnly)
	return &s
}

func toClassJSON(c classes.Class, editable bool) classJSON {
	out := classJSON{ID: c.ID, CentreID: c.CentreID, CentreName: c.CentreName, CourseID: c.CourseID, VersionID: c.VersionID,
		VersionNumber: c.VersionNumber, Title: c.Title, Mode: string(c.Mode), VenueID: nullID(c.VenueID), VenueName: c.VenueName,
		Capacity: c.Capacity, EnrolFrom: dateString(c.EnrolFrom), EnrolUntil: dateString(c.EnrolUntil), StartsOn: c.StartsOn.Format(time.DateOnly),
		EndsOn: c.EndsOn.Format(time.DateOnly), CompletionPct: c.CompletionPct, MeetingURL: c.MeetingURL, Status: string(c.Status),
		CancelReason: c.CancelReason, Teachers: []classTeacherJSON{}, Editable: editable, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt}
	for _, t := range c.Teachers {
		out.Teachers = append(out.Teachers, classTeacherJSON{PersonID: t.PersonID, Name: t.Name, HomeCentreID: nullID(t.HomeCentreID)})
	}
	return out
}

type sessionJSON struct {
	ID           int64     `json:"id"`
	ClassID      int64     `json:"class_id"`
	ClassTitle   string    `json:"class_title"`
	StartsAt     time.Time `json:"starts_at"`
	EndsAt       time.Time `json:"ends_at"`
	Mode         string    `json:"mode"`
	VenueID      *int64    `json:"venue_id"`
	VenueName    string    `json:"venue_name"`
	TeacherID    *int64    `json:"teacher_id"`
	TeacherName  string    `json:"teacher_name"`
	MeetingURL   string    `json:"meeting_url"`
	Status       string    `json:"status"`
	CancelReason string    `json:"cancel_reason"`
	Sequence     int       `json:"sequence"`
	Role         string    `json:"role,omitempty"`
}

// toSessionJSON writes times in Vietnam's offset (+07:00).
func toSessionJSON(s classes.Session) sessionJSON {
	return sessionJSON{ID: s.ID, ClassID: s.ClassID, ClassTitle: s.ClassTitle, StartsAt: s.StartsAt.In(classes.Zone), EndsAt: s.EndsAt.In(classes.Zone),
		Mode: string(s.Mode), VenueID: nullID(s.VenueID), VenueName: s.VenueName, TeacherID: nullID(s.TeacherID), TeacherName: s.TeacherName,
		MeetingURL: s.MeetingURL, Status: string(s.Status), CancelReason: s.CancelReason, Sequence: s.Sequence, Role: s.Role}
}

func sessionsJSON(list []classes.Session) []sessionJSON { return mapJSON(list, toSessionJSON) }

// mySessionJSON is a session of the caller's schedule (GET /me/sessions)
// with the windows of its attendance actions, as the attendance domain
// computes them: a screen offers the check-in and the online join inside
// them and keeps no copy of the rule. Null where none applies.
type mySessionJSON struct {
	sessionJSON
	CheckinOpensAt  *time.Time `json:"checkin_opens_at"`
	CheckinClosesAt *time.Time `json:"checkin_closes_at"`
	JoinOpensAt     *time.Time `json:"join_opens_at"`
	JoinClosesAt    *time.Time `json:"join_closes_at"`
}

func toMySessionJSON(s classes.Session) mySessionJSON {
	out := mySessionJSON{sessionJSON: toSessionJSON(s)}
	checkin, join := attendance.MyWindows(s)
	if checkin != nil {
		out.CheckinOpensAt, out.CheckinClosesAt = windowEdges(*checkin)
	}
	if join != nil {
		out.JoinOpensAt, out.JoinClosesAt = windowEdges(*join)
	}
	return out
}

// windowEdges writes a window's edges in Vietnam's offset, as the session's
// times.
func windowEdges(w attendance.Window) (opens, closes *time.Time) {
	o, c := w.Opens.In(classes.Zone), w.Closes.In(classes.Zone)
	return &o, &c
}

// mapJSON converts each element with out; an empty list stays a non-nil slice so it encodes as [].
func mapJSON[T, J any](list []T, out func(T) J) []J {
	items := make([]J, len(list))
	for i, v := range list {
		items[i] = out(v)
	}
	return items
}

type sessionCreateJSON struct {
	StartsAt   time.Time `json:"starts_at"`
	EndsAt     time.Time `json:"ends_at"`
	Mode       string    `json:"mode"`
	VenueID    int64     `json:"venue_id"`
	TeacherID  int64     `json:"teacher_id"`
	MeetingURL string    `json:"meeting_url"`
}

type sessionPatchJSON struct {
	StartsAt   *time.Time `json:"starts_at"`
	EndsAt     *time.Time `json:"ends_at"`
	Mode       *string    `json:"mode"`
	VenueID    *int64     `json:"venue_id"`
	TeacherID  *int64     `json:"teacher_id"`
	MeetingURL *string    `json:"meeting_url"`
}

type recurrenceJSON struct {
	Weekdays    []int   `json:"weekdays"`
	StartTime   string  `json:"start_time"`
	DurationMin int     `json:"duration_min"`
	From        *string `json:"from"`
	Until       *string `json:"until"`
	Count       int     `json:"count"`
}

type planRequestJSON struct {
	Recurrence recurrenceJSON `json:"recurrence"`
	Mode       string         `json:"mode"`
	VenueID    int64          `json:"venue_id"`
	TeacherID  int64          `json:"teacher_id"`
	MeetingURL string         `json:"meeting_url"`
	DryRun     bool           `json:"dry_run"`
}

type skippedJSON struct {
	Day  string `json:"day"`
	Name string `json:"name"`
}

type conflictJSON struct {
	SessionID  int64     `json:"session_id"`
	ClassID    int64     `json:"class_id"`
	ClassTitle string    `json:"class_title"`
	StartsAt   time.Time `json:"starts_at"`
	EndsAt     time.Time `json:"ends_at"`
	Resource   string    `json:"resource"`
	Wanted     int       `json:"wanted"`
}

type planJSON struct {
	Sessions  []sessionJSON  `json:"sessions"`
	Skipped   []skippedJSON  `json:"skipped"`
	Conflicts []conflictJSON `json:"conflicts"`
	Created   bool           `json:"created"`
}

type cancelJSON struct {
	Reason string `json:"reason"`
}

type holidayCreateJSON struct {
	ProvinceID int64  `json:"province_id"`
	Day        string `json:"day"`
	Name       string `json:"name"`
}

type holidayJSON struct {
	ID         int64  `json:"id"`
	ProvinceID int64  `json:"province_id"`
	Day        string `json:"day"`
	Name       string `json:"name"`
	Source     string `json:"source"`
}

func toHolidayJSON(h classes.Holiday) holidayJSON {
	return holidayJSON{ID: h.ID, ProvinceID: h.ProvinceID, Day: h.Day.Format(time.DateOnly), Name: h.Name, Source: h.Source}
}

// ---- Venues ----

func (s *Server) listVenues(c *fiber.Ctx) error {
	centre, err := queryID(c, "centre_id")
	if err != nil {
		return err
	}
	list, err := s.Classes.ListVenues(c.UserContext(), principal(c), centre)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"items": mapJSON(list, toVenueJSON)})
}

func (s *Server) createVenue(c *fiber.Ctx) error {
	var req venueCreateJSON
	if err := decode(c, &req); err != nil {
		return err
	}
	v, err := s.Classes.CreateVenue(c.UserContext(), principal(c), req.input(req.CentreID))
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(toVenueJSON(v))
}

func (s *Server) getVenue(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	v, err := s.Classes.GetVenue(c.UserContext(), principal(c), id)
	if err != nil {
		return err
	}
	return c.JSON(toVenueJSON(v))
}

func (s *Server) updateVenue(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var req venueFieldsJSON
	if err := decode(c, &req); err != nil {
		return err
	}
	v, err := s.Classes.UpdateVenue(c.UserContext(), principal(c), id, req.input(0))
	if err != nil {
		return err
	}
	return c.JSON(toVenueJSON(v))
}

// ---- Shared teachers ----

func (s *Server) listShares(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	list, err := s.Classes.ListShares(c.UserContext(), principal(c), id)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"items": mapJSON(list, toShareJSON)})
}

func (s *Server) createShare(c *fiber.Ctx) error {
	var req shareCreateJSON
	if err := decode(c, &req); err != nil {
		return err
	}
	sh, err := s.Classes.CreateShare(c.UserContext(), principal(c), req.PersonID, req.FromCentreID, req.ToCentreID, req.Note)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(toShareJSON(sh))
}

func (s *Server) revokeShare(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	if err := s.Classes.RevokeShare(c.UserContext(), principal(c), id); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// ---- Classes ----

func (s *Server) listClasses(c *fiber.Ctx) error {
	centre, err := queryID(c, "centre_id")
	if err != nil {
		return err
	}
	p := principal(c)
	list, err := s.Classes.ListClasses(c.UserContext(), p, centre, classes.Status(c.Query("status")))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"items": mapJSON(list, func(cl classes.Class) classJSON { return toClassJSON(cl, s.Classes.Manages(p, cl)) })})
}

func (s *Server) createClass(c *fiber.Ctx) error {
	var req classCreateJSON
	if err := decode(c, &req); err != nil {
		return err
	}
	var f domain.Fields
	in := req.input(&f)
	if err := f.Err(); err != nil {
		return err
	}
	in.CentreID, in.CourseID = req.CentreID, req.CourseID
	cl, err := s.Classes.CreateClass(c.UserContext(), principal(c), in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(toClassJSON(cl, true))
}

func (s *Server) getClass(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	cl, editable, err := s.Classes.GetClass(c.UserContext(), principal(c), id)
	if err != nil {
		return err
	}
	return c.JSON(toClassJSON(cl, editable))
}

func (s *Server) updateClass(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var req classUpdateJSON
	if err := decode(c, &req); err != nil {
		return err
	}
	var f domain.Fields
	in := req.input(&f)
	if err := f.Err(); err != nil {
		return err
	}
	in.Status, in.CancelReason = classes.Status(req.Status), req.CancelReason
	cl, err := s.Classes.UpdateClass(c.UserContext(), principal(c), id, in)
	if err != nil {
		return err
	}
	return c.JSON(toClassJSON(cl, true))
}

// ---- Sessions ----

func (s *Server) listSessions(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	list, err := s.Classes.ListSessions(c.UserContext(), principal(c), id)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"items": sessionsJSON(list)})
}

func (s *Server) addSession(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var req sessionCreateJSON
	if err := decode(c, &req); err != nil {
		return err
	}
	ss, err := s.Classes.AddSession(c.UserContext(), principal(c), id, classes.SessionInput{StartsAt: req.StartsAt, EndsAt: req.EndsAt,
		Mode: classes.Mode(req.Mode), VenueID: req.VenueID, TeacherID: req.TeacherID, MeetingURL: req.MeetingURL})
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(toSessionJSON(ss))
}

func (s *Server) planSessions(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var req planRequestJSON
	if err := decode(c, &req); err != nil {
		return err
	}
	var f domain.Fields
	in := req.input(&f, "")
	if err := f.Err(); err != nil {
		return err
	}
	plan, err := s.Classes.PlanSessions(c.UserContext(), principal(c), id, in)
	if err != nil {
		return err
	}
	status := fiber.StatusOK
	if plan.Created {
		status = fiber.StatusCreated
	}
	return c.Status(status).JSON(toPlanJSON(plan))
}

// previewClass is the class wizard's dry run for a class not saved yet.
func (s *Server) previewClass(c *fiber.Ctx) error {
	var req struct {
		Class classCreateJSON `json:"class"`
		Plan  planRequestJSON `json:"plan"`
	}
	if err := decode(c, &req); err != nil {
		return err
	}
	var f, cf domain.Fields
	class := req.Class.input(&cf)
	for _, e := range cf {
		// The class's own field errors (codes checked where they are made),
		// named under "class." as the request nests them.
		e.Field = "class." + e.Field
		f = append(f, e)
	}
	class.CentreID, class.CourseID = req.Class.CentreID, req.Class.CourseID
	in := req.Plan.input(&f, "plan.")
	if err := f.Err(); err != nil {
		return err
	}
	plan, err := s.Classes.PreviewClass(c.UserContext(), principal(c), class, in)
	if err != nil {
		return err
	}
	return c.JSON(toPlanJSON(plan))
}

// input reads a plan request; prefix names its fields within a larger body.
func (r planRequestJSON) input(f *domain.Fields, prefix string) classes.PlanInput {
	rec := classes.Recurrence{Weekdays: r.Recurrence.Weekdays, StartTime: r.Recurrence.StartTime, DurationMin: r.Recurrence.DurationMin,
		Count: r.Recurrence.Count, Until: dateOf(f, prefix+"recurrence.until", r.Recurrence.Until)}
	if from := dateOf(f, prefix+"recurrence.from", r.Recurrence.From); from != nil {
		rec.From = *from
	}
	return classes.PlanInput{Recurrence: rec, Mode: classes.Mode(r.Mode), VenueID: r.VenueID, TeacherID: r.TeacherID,
		MeetingURL: r.MeetingURL, DryRun: r.DryRun}
}

func toPlanJSON(plan classes.Plan) planJSON {
	out := planJSON{Sessions: sessionsJSON(plan.Sessions), Skipped: []skippedJSON{}, Conflicts: []conflictJSON{}, Created: plan.Created}
	for _, sk := range plan.Skipped {
		out.Skipped = append(out.Skipped, skippedJSON{Day: sk.Day.Format(time.DateOnly), Name: sk.Name})
	}
	for _, x := range plan.Conflicts {
		out.Conflicts = append(out.Conflicts, conflictJSON{SessionID: x.SessionID, ClassID: x.ClassID, ClassTitle: x.ClassTitle,
			StartsAt: x.StartsAt.In(classes.Zone), EndsAt: x.EndsAt.In(classes.Zone), Resource: x.Resource, Wanted: x.Wanted})
	}
	return out
}

func (s *Server) getSession(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	ss, err := s.Classes.GetSession(c.UserContext(), principal(c), id)
	if err != nil {
		return err
	}
	return c.JSON(toSessionJSON(ss))
}

func (s *Server) updateSession(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var req sessionPatchJSON
	if err := decode(c, &req); err != nil {
		return err
	}
	patch := classes.SessionPatch{StartsAt: req.StartsAt, EndsAt: req.EndsAt, VenueID: req.VenueID, TeacherID: req.TeacherID, MeetingURL: req.MeetingURL}
	if req.Mode != nil {
		m := classes.Mode(*req.Mode)
		patch.Mode = &m
	}
	ss, err := s.Classes.UpdateSession(c.UserContext(), principal(c), id, patch)
	if err != nil {
		return err
	}
	return c.JSON(toSessionJSON(ss))
}

func (s *Server) cancelSession(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var req cancelJSON
	if err := decode(c, &req); err != nil {
		return err
	}
	ss, err := s.Classes.CancelSession(c.UserContext(), principal(c), id, req.Reason)
	if err != nil {
		return err
	}
	return c.JSON(toSessionJSON(ss))
}

// instantsQuery reads the optional instants from and to (RFC 3339; zero
// when absent).
func instantsQuery(c *fiber.Ctx) (from, to time.Time, err error) {
	var f domain.Fields
	for _, q := range []struct {
		name string
		t    *time.Time
	}{{"from", &from}, {"to", &to}} {
		if raw := c.Query(q.name); raw != "" {
			v, err := time.Parse(time.RFC3339, raw)
			if err != nil {
				f.AddOf(q.name, "date_invalid", nil)
			}
			*q.t = v
		}
	}
	return from, to, f.Err()
}

// calendar is the manager's week or month calendar: the sessions of the
// centres the caller reads between from and to.
func (s *Server) calendar(c *fiber.Ctx) error {
	var q classes.CalendarQuery
	for _, id := range []struct {
		name string
		v    *int64
	}{{"centre_id", &q.CentreID}, {"venue_id", &q.VenueID}, {"teacher_id", &q.TeacherID}, {"class_id", &q.ClassID}} {
		v, err := queryID(c, id.name)
		if err != nil {
			return err
		}
		*id.v = v
	}
	var err error
	if q.From, q.To, err = instantsQuery(c); err != nil {
		return err
	}
	list, err := s.Classes.Calendar(c.UserContext(), principal(c), q)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"items": sessionsJSON(list)})
}

func (s *Server) mySessions(c *fiber.Ctx) error {
	var from, to time.Time
	for name, t := range map[string]*time.Time{"from": &from, "to": &to} {
		if raw := c.Query(name); raw != "" {
			v, err := time.Parse(time.RFC3339, raw)
			if err != nil {
				return domain.Invalid(domain.FieldOf(name, "date_invalid", nil))
			}
			*t = v
		}
	}
	list, err := s.Classes.MySessions(c.UserContext(), principal(c), from, to)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"items": mapJSON(list, toMySessionJSON)})
}

// ---- Holidays ----

func (s *Server) listHolidays(c *fiber.Ctx) error {
	province, err := queryID(c, "province_id")
	if err != nil {
		return err
	}
	year, err := intQuery(c, "year")
	if err != nil {
		return err
	}
	list, err := s.Classes.ListHolidays(c.UserContext(), principal(c), province, year)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"items": mapJSON(list, toHolidayJSON)})
}

func (s *Server) createHoliday(c *fiber.Ctx) error {
	var req holidayCreateJSON
	if err := decode(c, &req); err != nil {
		return err
	}
	var f domain.Fields
	d := dateOf(&f, "day", &req.Day)
	if err := f.Err(); err != nil {
		return err
	}
	var day time.Time
	if d != nil {
		day = *d
	}
	h, err := s.Classes.AddHoliday(c.UserContext(), principal(c), req.ProvinceID, day, req.Name)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(toHolidayJSON(h))
}

func (s *Server) deleteHoliday(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	if err := s.Classes.DeleteHoliday(c.UserContext(), principal(c), id); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
