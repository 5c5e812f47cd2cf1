package classes

import (
	"context"
	"time"

	"densach/domain"
)

// MaxCalendarDays is the longest range a calendar asks for (a month view
// with the days of the weeks around it).
const MaxCalendarDays = 62

// MaxCalendarSessions is the most sessions one calendar answer holds; a
// wider ask is refused (calendar_too_many) rather than cut short.
const MaxCalendarSessions = 3000

// MaxSessionHours is the longest a session lasts (the database refuses
// longer ones); a calendar looks this far before its start for sessions
// still running into it.
const MaxSessionHours = 12

// CalendarQuery is what a manager's week or month calendar asks for: the
// sessions between two instants, of one centre, venue, teacher or class
// when set (0: any).
type CalendarQuery struct {
	CentreID  int64
	VenueID   int64
	TeacherID int64
	ClassID   int64
	From, To  time.Time
}

// CalendarFilter selects the sessions of a calendar: those of the centres
// in Scope (and of the centre, venue, teacher and class when not 0) that
// overlap [From, To), at most Limit.
type CalendarFilter struct {
	Scope     domain.Filter
	CentreID  int64
	VenueID   int64
	TeacherID int64
	ClassID   int64
	From, To  time.Time
	Limit     int
}

// Calendar lists the sessions, scheduled and cancelled, of the centres the
// caller reads in full (administrators, officers of the area, the centres'
// managers and teachers) that overlap [From, To), in time order. The range
// is required and at most MaxCalendarDays; a centre the caller does not
// read is not found; learners are refused.
func (s *Service) Calendar(ctx context.Context, p domain.Principal, q CalendarQuery) ([]Session, error) {
	scope := readScope(p)
	if scope.Empty() {
		return nil, errForbidden
	}
	var f domain.Fields
	if q.From.IsZero() {
		f.AddOf("from", "required", domain.Params{"field": "from"})
	}
	if q.To.IsZero() {
		f.AddOf("to", "required", domain.Params{"field": "to"})
	}
	if !q.From.IsZero() && !q.To.IsZero() && (!q.To.After(q.From) || q.To.Sub(q.From) > MaxCalendarDays*24*time.Hour) {
		f.AddOf("to", "range_invalid", domain.Params{"max": MaxCalendarDays})
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	if q.CentreID != 0 {
		a, err := s.centreArea(ctx, q.CentreID)
		if err != nil {
			return nil, err
		}
		if !readsCentre(p, a) {
			return nil, errCentreNotFound
		}
	}
	list, err := s.Store.Calendar(ctx, CalendarFilter{Scope: scope, CentreID: q.CentreID, VenueID: q.VenueID, TeacherID: q.TeacherID,
		ClassID: q.ClassID, From: q.From, To: q.To, Limit: MaxCalendarSessions + 1})
	if err != nil {
		return nil, err
	}
	if len(list) > MaxCalendarSessions {
		return nil, domain.Invalid(domain.FieldOf("to", "calendar_too_many", domain.Params{"max": MaxCalendarSessions}))
	}
	return list, nil
}
