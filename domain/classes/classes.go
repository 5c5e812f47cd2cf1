package classes

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"densach/domain"
	"densach/domain/courses"
)

// classAccess is what the caller may do with one class.
type classAccess struct {
	read, manage bool
}

func teaches(p domain.Principal, c Class) bool {
	return slices.ContainsFunc(c.Teachers, func(t Teacher) bool { return t.PersonID == p.PersonID })
}

func accessOf(p domain.Principal, c Class) classAccess {
	a := classAccess{manage: managesCentre(p, c.CentreID)}
	a.read = a.manage || readsCentre(p, c.Area()) || teaches(p, c) ||
		(c.Status == StatusOpen || c.Status == StatusRunning) && slices.Contains(learnerProvinces(p), c.ProvinceID)
	return a
}

// class reads a class the caller sees (else not found).
func (s *Service) class(ctx context.Context, p domain.Principal, id int64) (Class, classAccess, error) {
	c, err := s.Store.Class(ctx, id)
	if domain.ErrorCode(err) == domain.CodeNotFound {
		return c, classAccess{}, errClassNotFound
	}
	if err != nil {
		return c, classAccess{}, err
	}
	a := accessOf(p, c)
	if !a.read && p.Has(domain.RoleLearner) {
		// A learner also reads the classes they are enrolled in (whatever
		// their status now), and the open ones of the province they live
		// in when no centre's grant places them (see enrolments' open classes).
		tie, err := s.Store.LearnerTie(ctx, c.ID, p.PersonID)
		if err != nil {
			return c, a, err
		}
		a.read = tie.Enrolled || (c.Status == StatusOpen || c.Status == StatusRunning) && tie.HomeProvinceID == c.ProvinceID
	}
	if !a.read {
		return c, a, errClassNotFound
	}
	return c, a, nil
}

// managedClass reads a class the caller manages (forbidden when they only
// read it).
func (s *Service) managedClass(ctx context.Context, p domain.Principal, id int64) (Class, error) {
	c, a, err := s.class(ctx, p, id)
	if err != nil {
		return c, err
	}
	if !a.manage {
		return c, errForbidden
	}
	return c, nil
}

// ListClasses lists the classes the caller sees: every class of the
// centres they read in full (administrators, officers of the area, the
// centre's managers and teachers), those they teach, and the open or
// running classes of a learner's province.
func (s *Service) ListClasses(ctx context.Context, p domain.Principal, centreID int64, status Status) ([]Class, error) {
	if status != "" && !validStatus(status) {
		return nil, domain.Invalid(domain.FieldOf("status", "class_status_invalid", nil))
	}
	return s.Store.Classes(ctx, ClassFilter{Scope: readScope(p), TeacherID: p.PersonID, OpenIn: learnerProvinces(p), CentreID: centreID, Status: status})
}

func validStatus(st Status) bool {
	switch st {
	case StatusPlanned, StatusOpen, StatusRunning, StatusFinished, StatusCancelled:
		return true
	}
	return false
}

// GetClass reads one class; editable says whether the caller manages it.
func (s *Service) GetClass(ctx context.Context, p domain.Principal, id int64) (Class, bool, error) {
	c, a, err := s.class(ctx, p, id)
	return c, a.manage, err
}

// CreateClass offers the published version of a course at a centre the
// caller manages: a course of that centre or of its province's library.
func (s *Service) CreateClass(ctx context.Context, p domain.Principal, in ClassInput) (Class, error) {
	c, err := s.newClass(ctx, p, in)
	if err != nil {
		return Class{}, err
	}
	if err := s.Store.CreateClass(ctx, &c); err != nil {
		return Class{}, err
	}
	return s.Store.Class(ctx, c.ID)
}

// newClass checks a class to create, as CreateClass does, without storing it.
func (s *Service) newClass(ctx context.Context, p domain.Principal, in ClassInput) (Class, error) {
	area, err := s.centreArea(ctx, in.CentreID)
	if err != nil {
		return Class{}, err
	}
	if !managesCentre(p, in.CentreID) {
		if readsCentre(p, area) {
			return Class{}, errForbidden
		}
		return Class{}, errCentreNotFound
	}
	c := Class{CentreID: in.CentreID, CommuneID: area.CommuneID, ProvinceID: area.ProvinceID, Status: StatusPlanned, CreatedBy: p.PersonID, CompletionPct: 80}
	var f domain.Fields
	d, err := s.Courses.Get(ctx, p, in.CourseID, courses.VersionPublished)
	switch {
	case domain.ErrorCode(err) == domain.CodeNotFound:
		f.AddOf("course_id", "class_course_not_published", nil)
	case err != nil:
		return Class{}, err
	case d.Status != courses.StatusPublished:
		f.AddOf("course_id", "class_course_not_published", nil)
	case d.CentreID != in.CentreID && (d.ProvinceID == 0 || d.ProvinceID != area.ProvinceID):
		f.AddOf("course_id", "class_course_elsewhere", nil)
	default:
		c.CourseID, c.VersionID = d.ID, d.PublishedVersionID
		if strings.TrimSpace(in.Title) == "" {
			in.Title = d.Version.Details.Title
		}
	}
	if err := s.apply(ctx, &c, in, &f); err != nil {
		return Class{}, err
	}
	return c, f.Err()
}

// UpdateClass replaces a class's settings, teachers and status (a
// cancellation needs a reason and cancels the sessions still to come).
// The course version stays the one the class was created with.
func (s *Service) UpdateClass(ctx context.Context, p domain.Principal, id int64, in ClassInput) (Class, error) {
	c, err := s.managedClass(ctx, p, id)
	if err != nil {
		return c, err
	}
	if c.Status == StatusFinished || c.Status == StatusCancelled {
		return Class{}, errClassClosed
	}
	var f domain.Fields
	if in.Status != "" && in.Status != c.Status {
		if !validStatus(in.Status) {
			f.AddOf("status", "class_status_invalid", nil)
		} else if !slices.Contains(next[c.Status], in.Status) {
			f.AddOf("status", "class_status_move", domain.Params{"from": string(c.Status), "to": string(in.Status)})
		} else {
			c.Status = in.Status
		}
	}
	if c.Status == StatusCancelled {
		checkText(&f, "cancel_reason", in.CancelReason, true, 500)
		c.CancelReason = strings.TrimSpace(in.CancelReason)
	}
	startsOn, endsOn := c.StartsOn, c.EndsOn
	if err := s.apply(ctx, &c, in, &f); err != nil {
		return Class{}, err
	}
	if (!c.StartsOn.Equal(startsOn) || !c.EndsOn.Equal(endsOn)) && c.Status != StatusCancelled {
		if err := s.checkSessionsWithin(ctx, c, &f); err != nil {
			return Class{}, err
		}
	}
	if err := f.Err(); err != nil {
		return Class{}, err
	}
	if err := s.Store.UpdateClass(ctx, c, s.now()); err != nil {
		return Class{}, err
	}
	return s.Store.Class(ctx, id)
}

// checkSessionsWithin refuses new dates that would leave scheduled sessions
// of the class outside them, naming how many and the first: they are moved
// or cancelled first, so no session hangs outside its class.
func (s *Service) checkSessionsWithin(ctx context.Context, c Class, f *domain.Fields) error {
	if c.StartsOn.IsZero() || c.EndsOn.IsZero() {
		return nil
	}
	ss, err := s.Store.Sessions(ctx, SessionFilter{ClassID: c.ID})
	if err != nil {
		return err
	}
	var outside []Session
	for _, ss := range ss {
		if d := civil(ss.StartsAt.In(Zone)); ss.Status == SessionScheduled && (d.Before(c.StartsOn) || d.After(c.EndsOn)) {
			outside = append(outside, ss)
		}
	}
	if len(outside) > 0 {
		field := "starts_on"
		if !civil(outside[0].StartsAt.In(Zone)).Before(c.StartsOn) {
			field = "ends_on"
		}
		f.AddOf(field, "sessions_outside_dates", domain.Params{"count": len(outside),
			"first": outside[0].StartsAt.In(Zone).Format("02/01/2006 15:04")})
	}
	return nil
}

// apply checks and copies the settings shared by create and update.
func (s *Service) apply(ctx context.Context, c *Class, in ClassInput, f *domain.Fields) error {
	checkText(f, "title", in.Title, true, 200)
	c.Title = strings.TrimSpace(in.Title)
	switch in.Mode {
	case ModeInPerson, ModeOnline, ModeBlended:
		c.Mode = in.Mode
	default:
		f.AddOf("mode", "mode_invalid", nil)
	}
	if in.Capacity < 1 || in.Capacity > 10000 {
		f.AddOf("capacity", "capacity_invalid", domain.Params{"max": 10000})
	}
	c.Capacity = in.Capacity
	if in.StartsOn.IsZero() {
		f.AddOf("starts_on", "required", domain.Params{"field": "starts_on"})
	}
	if in.EndsOn.IsZero() {
		f.AddOf("ends_on", "required", domain.Params{"field": "ends_on"})
	} else if in.EndsOn.Before(in.StartsOn) {
		f.AddOf("ends_on", "ends_before_start", nil)
	}
	c.StartsOn, c.EndsOn = in.StartsOn, in.EndsOn
	if in.EnrolFrom != nil && in.EnrolUntil != nil && in.EnrolUntil.Before(*in.EnrolFrom) {
		f.AddOf("enrol_until", "ends_before_start", nil)
	}
	c.EnrolFrom, c.EnrolUntil = in.EnrolFrom, in.EnrolUntil
	if in.CompletionPct != nil {
		if *in.CompletionPct < 0 || *in.CompletionPct > 100 {
			f.AddOf("completion_pct", "percent_invalid", nil)
		}
		c.CompletionPct = *in.CompletionPct
	}
	checkURL(f, "meeting_url", in.MeetingURL)
	c.MeetingURL = in.MeetingURL
	c.VenueID = in.VenueID
	if in.VenueID != 0 {
		v, err := s.Store.Venue(ctx, in.VenueID)
		if err != nil && domain.ErrorCode(err) != domain.CodeNotFound {
			return err
		}
		if err != nil || v.CentreID != c.CentreID || !v.Active {
			f.AddOf("venue_id", "venue_not_at_centre", nil)
		}
	}
	if c.Mode == ModeOnline && in.VenueID != 0 {
		f.AddOf("venue_id", "venue_online_class", nil)
	}
	teachers, err := s.teachers(ctx, c.CentreID, in.TeacherIDs, c.Teachers, f)
	if err != nil {
		return err
	}
	c.Teachers = teachers
	return nil
}

// teachers checks a class's teachers: each teaches (or manages) at the
// class's centre, or another centre where they teach lends them to it.
// Teachers the class already had keep their standing (an agreement revoked
// since does not remove them).
func (s *Service) teachers(ctx context.Context, centreID int64, ids []int64, had []Teacher, f *domain.Fields) ([]Teacher, error) {
	var out []Teacher
	if len(ids) > 20 {
		f.AddOf("teacher_ids", "too_many", domain.Params{"max": 20})
		return nil, nil
	}
	for i, id := range ids {
		field := fmt.Sprintf("teacher_ids[%d]", i)
		if slices.ContainsFunc(out, func(t Teacher) bool { return t.PersonID == id }) {
			continue
		}
		if i := slices.IndexFunc(had, func(t Teacher) bool { return t.PersonID == id }); i >= 0 {
			out = append(out, had[i])
			continue
		}
		centres, err := s.Store.TeacherCentres(ctx, id)
		if err != nil {
			return nil, err
		}
		switch {
		case slices.Contains(centres, centreID):
			out = append(out, Teacher{PersonID: id})
		case len(centres) == 0:
			f.AddOf(field, "teacher_not_found", nil)
		default:
			from, err := s.Store.SharedTo(ctx, id, centreID)
			if err != nil {
				return nil, err
			}
			if from == 0 {
				f.AddOf(field, "teacher_not_shared", nil)
				continue
			}
			out = append(out, Teacher{PersonID: id, HomeCentreID: from})
		}
	}
	return out, nil
}

// Manages reports whether the caller runs the class (its centre's managers
// and administrators): a list shows it as editable.
func (s *Service) Manages(p domain.Principal, c Class) bool { return managesCentre(p, c.CentreID) }
