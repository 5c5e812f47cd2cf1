package api

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"densach/domain/classes"
	"densach/domain/enrolments"
)

// mountRosters registers enrolment in scheduled classes: enrol, the
// roster and waitlist, the CSV import, an enrolment's history, my classes
// and the classes open near me. /classes/open comes before /classes/:id.
func (s *Server) mountRosters(r router) {
	r.Get("/classes/open", s.openClasses)
	r.Post("/classes/:id/enrolments", s.enrolInClass)
	r.Get("/classes/:id/enrolments", s.classRoster)
	r.Post("/classes/:id/enrolments/import", s.importClassEnrolments)
	r.Get("/enrolments/:id/events", s.enrolmentEvents)
	r.Get("/me/classes", s.myClasses)
}

type overlapJSON struct {
	ClassID       int64     `json:"class_id"`
	ClassTitle    string    `json:"class_title"`
	SessionID     int64     `json:"session_id"`
	ThisSessionID int64     `json:"this_session_id"`
	StartsAt      time.Time `json:"starts_at"`
	EndsAt        time.Time `json:"ends_at"`
}

type classEnrolmentJSON struct {
	ID               int64         `json:"id"`
	PersonID         int64         `json:"person_id"`
	PersonName       string        `json:"person_name"`
	ClassID          int64         `json:"class_id"`
	CourseID         int64         `json:"course_id"`
	VersionID        int64         `json:"version_id"`
	Status           string        `json:"status"`
	WaitlistPosition *int          `json:"waitlist_position"`
	Source           string        `json:"source"`
	EnrolledAt       time.Time     `json:"enrolled_at"`
	WaitlistedAt     *time.Time    `json:"waitlisted_at"`
	WithdrawnAt      *time.Time    `json:"withdrawn_at"`
	WithdrawnReason  string        `json:"withdrawn_reason"`
	Phone            string        `json:"phone"`
	BirthYear        *int          `json:"birth_year"`
	Village          string        `json:"village"`
	Overlaps         []overlapJSON `json:"overlaps"`
}

func toClassEnrolmentJSON(e enrolments.ClassEnrolment) classEnrolmentJSON {
	out := classEnrolmentJSON{ID: e.ID, PersonID: e.PersonID, PersonName: e.PersonName, ClassID: e.ClassID, CourseID: e.CourseID,
		VersionID: e.VersionID, Status: string(e.Status), Source: string(e.Source), EnrolledAt: e.EnrolledAt,
		WaitlistedAt: e.WaitlistedAt, WithdrawnAt: e.WithdrawnAt, WithdrawnReason: e.WithdrawnReason, Phone: e.Phone,
		BirthYear: optionalInt(e.BirthYear), Village: e.Village, Overlaps: make([]overlapJSON, len(e.Overlaps))}
	if e.Status == enrolments.StatusWaitlisted {
		out.WaitlistPosition = optionalInt(e.WaitlistPosition)
	}
	for i, o := range e.Overlaps {
		out.Overlaps[i] = overlapJSON{ClassID: o.ClassID, ClassTitle: o.ClassTitle, SessionID: o.SessionID, ThisSessionID: o.ThisSessionID,
			StartsAt: o.StartsAt.In(classes.Zone), EndsAt: o.EndsAt.In(classes.Zone)}
	}
	return out
}

type classEnrolRequest struct {
	PersonID int64 `json:"person_id"`
}

func (s *Server) enrolInClass(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var req classEnrolRequest
	if len(requestBody(c)) > 0 {
		if err := decode(c, &req); err != nil {
			return err
		}
	}
	e, err := s.Enrolments.EnrolInClass(c.UserContext(), principal(c), id, req.PersonID)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(toClassEnrolmentJSON(e))
}

type classRosterJSON struct {
	Items     []classEnrolmentJSON `json:"items"`
	Waitlist  []classEnrolmentJSON `json:"waitlist"`
	Capacity  int                  `json:"capacity"`
	SeatsLeft int                  `json:"seats_left"`
}

func (s *Server) classRoster(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	r, err := s.Enrolments.ClassRoster(c.UserContext(), principal(c), id)
	if err != nil {
		return err
	}
	return c.JSON(classRosterJSON{Items: mapJSON(r.Items, toClassEnrolmentJSON), Waitlist: mapJSON(r.Waitlist, toClassEnrolmentJSON),
		Capacity: r.Capacity, SeatsLeft: r.SeatsLeft})
}

type classImportJSON struct {
	DryRun     bool                `json:"dry_run"`
	TotalRows  int                 `json:"total_rows"`
	Created    int                 `json:"created"`
	Found      int                 `json:"found"`
	Enrolled   int                 `json:"enrolled"`
	Waitlisted int                 `json:"waitlisted"`
	Already    int                 `json:"already"`
	Failed     int                 `json:"failed"`
	Errors     []rowErrorJSON      `json:"errors"`
	Warnings   []importWarningJSON `json:"warnings"`
}

func (s *Server) importClassEnrolments(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	dryRun, err := boolQuery(c, "dry_run")
	if err != nil {
		return err
	}
	data, err := importBody(c)
	if err != nil {
		return err
	}
	rep, err := s.Enrolments.ImportIntoClass(c.UserContext(), principal(c), id, data, dryRun)
	if err != nil {
		return err
	}
	out := classImportJSON{DryRun: rep.DryRun, TotalRows: rep.TotalRows, Created: rep.Created, Found: rep.Found, Enrolled: rep.Enrolled,
		Waitlisted: rep.Waitlisted, Already: rep.Already, Failed: rep.Failed,
		Errors: make([]rowErrorJSON, 0, len(rep.Errors)), Warnings: make([]importWarningJSON, 0, len(rep.Warnings))}
	for _, e := range rep.Errors {
		out.Errors = append(out.Errors, rowErrorJSON{Row: e.Row, Field: e.Field, Code: e.Code, Message: e.Message, Params: e.Params})
	}
	for _, w := range rep.Warnings {
		out.Warnings = append(out.Warnings, importWarningJSON{Code: w.Code, Message: w.Message, Params: w.Params})
	}
	return c.JSON(out)
}

type enrolmentEventJSON struct {
	ID     int64     `json:"id"`
	At     time.Time `json:"at"`
	ByID   *int64    `json:"by_id"`
	ByName string    `json:"by_name"`
	Status string    `json:"status"`
	Reason string    `json:"reason"`
}

func (s *Server) enrolmentEvents(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	list, err := s.Enrolments.Events(c.UserContext(), principal(c), id)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"items": mapJSON(list, func(e enrolments.StatusEvent) enrolmentEventJSON {
		return enrolmentEventJSON{ID: e.ID, At: e.At, ByID: nullID(e.ByID), ByName: e.ByName, Status: string(e.Status), Reason: e.Reason}
	})})
}

type nextSessionJSON struct {
	ID         int64     `json:"id"`
	StartsAt   time.Time `json:"starts_at"`
	EndsAt     time.Time `json:"ends_at"`
	Mode       string    `json:"mode"`
	VenueName  string    `json:"venue_name"`
	MeetingURL string    `json:"meeting_url"`
}

type myClassJSON struct {
	EnrolmentID      int64            `json:"enrolment_id"`
	ClassID          int64            `json:"class_id"`
	ClassTitle       string           `json:"class_title"`
	CourseID         int64            `json:"course_id"`
	CentreID         int64            `json:"centre_id"`
	CentreName       string           `json:"centre_name"`
	Mode             string           `json:"mode"`
	ClassStatus      string           `json:"class_status"`
	Status           string           `json:"status"`
	WaitlistPosition *int             `json:"waitlist_position"`
	EnrolledAt       time.Time        `json:"enrolled_at"`
	StartsOn         string           `json:"starts_on"`
	EndsOn           string           `json:"ends_on"`
	NextSession      *nextSessionJSON `json:"next_session"`
}

func (s *Server) myClasses(c *fiber.Ctx) error {
	list, err := s.Enrolments.MyClasses(c.UserContext(), principal(c))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"items": mapJSON(list, func(m enrolments.MyClass) myClassJSON {
		out := myClassJSON{EnrolmentID: m.EnrolmentID, ClassID: m.ClassID, ClassTitle: m.ClassTitle, CourseID: m.CourseID, CentreID: m.CentreID,
			CentreName: m.CentreName, Mode: m.Mode, ClassStatus: m.ClassStatus, Status: string(m.Status), EnrolledAt: m.EnrolledAt,
			StartsOn: m.StartsOn.Format(time.DateOnly), EndsOn: m.EndsOn.Format(time.DateOnly)}
		if m.Status == enrolments.StatusWaitlisted {
			out.WaitlistPosition = optionalInt(m.WaitlistPosition)
		}
		if n := m.Next; n != nil {
			out.NextSession = &nextSessionJSON{ID: n.ID, StartsAt: n.StartsAt.In(classes.Zone), EndsAt: n.EndsAt.In(classes.Zone), Mode: n.Mode,
				VenueName: n.VenueName, MeetingURL: n.MeetingURL}
		}
		return out
	})})
}

type openClassJSON struct {
	ID             int64      `json:"id"`
	Title          string     `json:"title"`
	CourseID       int64      `json:"course_id"`
	Mode           string     `json:"mode"`
	Status         string     `json:"status"`
	CentreID       int64      `json:"centre_id"`
	CentreName     string     `json:"centre_name"`
	CommuneID      int64      `json:"commune_id"`
	CommuneName    string     `json:"commune_name"`
	Near           string     `json:"near"`
	Capacity       int        `json:"capacity"`
	SeatsLeft      int        `json:"seats_left"`
	WaitlistCount  int        `json:"waitlist_count"`
	EnrolFrom      *string    `json:"enrol_from"`
	EnrolUntil     *string    `json:"enrol_until"`
	StartsOn       string     `json:"starts_on"`
	EndsOn         string     `json:"ends_on"`
	SessionsAhead  int        `json:"sessions_ahead"`
	FirstSessionAt *time.Time `json:"first_session_at"`
	MyEnrolmentID  *int64     `json:"my_enrolment_id"`
	MyStatus       *string    `json:"my_status"`
}

func (s *Server) openClasses(c *fiber.Ctx) error {
	list, err := s.Enrolments.OpenClasses(c.UserContext(), principal(c))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"items": mapJSON(list, func(o enrolments.OpenClass) openClassJSON {
		out := openClassJSON{ID: o.ID, Title: o.Title, CourseID: o.CourseID, Mode: o.Mode, Status: o.Status, CentreID: o.CentreID,
			CentreName: o.CentreName, CommuneID: o.CommuneID, CommuneName: o.CommuneName, Near: o.Near, Capacity: o.Capacity,
			SeatsLeft: o.SeatsLeft, WaitlistCount: o.WaitlistCount, EnrolFrom: dateString(o.EnrolFrom), EnrolUntil: dateString(o.EnrolUntil),
			StartsOn: o.StartsOn.Format(time.DateOnly), EndsOn: o.EndsOn.Format(time.DateOnly), SessionsAhead: o.SessionsAhead,
			MyEnrolmentID: nullID(o.MyEnrolmentID)}
		if o.FirstSessionAt != nil {
			t := o.FirstSessionAt.In(classes.Zone)
			out.FirstSessionAt = &t
		}
		if o.MyStatus != "" {
			st := string(o.MyStatus)
			out.MyStatus = &st
		}
		return out
	})})
}
