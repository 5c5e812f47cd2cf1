package classes

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"densach/domain"
)

var errSessionCancelled = domain.Fail(domain.CodeConflict, "session_cancelled", nil)

// PlanInput asks for a class's sessions from a recurrence. Mode, venue,
// teacher and link default to the class's (in person at its venue, unless
// the class is online; its first teacher).
type PlanInput struct {
	Recurrence Recurrence
	Mode       Mode
	VenueID    int64
	TeacherID  int64
	MeetingURL string
	// DryRun only shows what would be made, the holidays skipped and the
	// conflicts; nothing is stored.
	DryRun bool
}

// Plan is the sessions a recurrence makes.
type Plan struct {
	Sessions  []Session
	Skipped   []Skipped
	Conflicts []Conflict
	Created   bool
}

// SessionInput is one session to add or the new state of one.
type SessionInput struct {
	StartsAt   time.Time
	EndsAt     time.Time
	Mode       Mode
	VenueID    int64
	TeacherID  int64
	MeetingURL string
}

// SessionPatch changes one session: moves it, changes its venue or
// teacher, switches it between in person and online. Nil: unchanged.
type SessionPatch struct {
	StartsAt   *time.Time
	EndsAt     *time.Time
	Mode       *Mode
	VenueID    *int64
	TeacherID  *int64
	MeetingURL *string
}

// ConflictError is the answer to a booking that overlaps booked sessions:
// 409 session_conflict naming them in params.sessions.
func ConflictError(cs []Conflict) error {
	list := make([]map[string]any, len(cs))
	for i, c := range cs {
		list[i] = map[string]any{"id": c.SessionID, "class_id": c.ClassID, "class_title": c.ClassTitle,
			"starts_at": c.StartsAt.In(Zone).Format(time.RFC3339), "ends_at": c.EndsAt.In(Zone).Format(time.RFC3339),
			"resource": c.Resource}
	}
	params := domain.Params{"count": len(cs)}
	e := domain.Fail(domain.CodeConflict, "session_conflict", params)
	e.Params = domain.Params{"count": len(cs), "sessions": list}
	return e
}

// ListSessions lists a class's sessions (cancelled ones too) in order.
func (s *Service) ListSessions(ctx context.Context, p domain.Principal, classID int64) ([]Session, error) {
	if _, _, err := s.class(ctx, p, classID); err != nil {
		return nil, err
	}
	return s.Store.Sessions(ctx, SessionFilter{ClassID: classID})
}

// MySessions lists the sessions the caller teaches (role teacher) and
// those of the classes they are enrolled in, active (role learner), between
// two instants (at most a year; zero: from a day ago for 60 days), in time
// order.
func (s *Service) MySessions(ctx context.Context, p domain.Principal, from, to time.Time) ([]Session, error) {
	if from.IsZero() {
		from = s.now().AddDate(0, 0, -1)
	}
	if to.IsZero() {
		to = from.AddDate(0, 0, 60)
	}
	if !to.After(from) || to.Sub(from) > 366*24*time.Hour {
		return nil, domain.Invalid(domain.FieldOf("to", "range_invalid", domain.Params{"max": 366}))
	}
	taught, err := s.Store.Sessions(ctx, SessionFilter{TeacherID: p.PersonID, From: from, To: to})
	if err != nil {
		return nil, err
	}
	attended, err := s.Store.Sessions(ctx, SessionFilter{LearnerID: p.PersonID, From: from, To: to})
	if err != nil {
		return nil, err
	}
	out := make([]Session, 0, len(taught)+len(attended))
	seen := make(map[int64]bool, len(taught))
	for _, ss := range taught {
		ss.Role, seen[ss.ID] = "teacher", true
		out = append(out, ss)
	}
	for _, ss := range attended {
		if !seen[ss.ID] {
			ss.Role = "learner"
			out = append(out, ss)
		}
	}
	slices.SortStableFunc(out, func(a, b Session) int {
		if c := a.StartsAt.Compare(b.StartsAt); c != 0 {
			return c
		}
		return int(a.ID - b.ID)
	})
	return out, nil
}

// check validates a session of the class (its times, mode, venue, teacher
// and link) and fills defaults.
func (s *Service) check(ctx context.Context, c Class, ss *Session, f *domain.Fields, prefix string) error {
	if !ss.EndsAt.After(ss.StartsAt) {
		f.AddOf(prefix+"ends_at", "ends_before_start", nil)
	} else if ss.EndsAt.Sub(ss.StartsAt) > 12*time.Hour {
		f.AddOf(prefix+"ends_at", "duration_invalid", domain.Params{"min": 15, "max": 720})
	}
	if d := ss.StartsAt.In(Zone); !ss.StartsAt.IsZero() && (civil(d).Before(c.StartsOn) || civil(d).After(c.EndsOn)) {
		f.AddOf(prefix+"starts_at", "session_outside_class", domain.Params{"from": c.StartsOn.Format(time.DateOnly), "to": c.EndsOn.Format(time.DateOnly)})
	}
	if ss.Mode == "" {
		ss.Mode = ModeInPerson
		if c.Mode == ModeOnline {
			ss.Mode = ModeOnline
		}
	}
	switch {
	case ss.Mode != ModeInPerson && ss.Mode != ModeOnline:
		f.AddOf(prefix+"mode", "session_mode_invalid", nil)
	case c.Mode != ModeBlended && ss.Mode != c.Mode:
		f.AddOf(prefix+"mode", "session_mode_class", nil)
	case ss.Mode == ModeOnline:
		ss.VenueID = 0
		if ss.MeetingURL == "" {
			ss.MeetingURL = c.MeetingURL
		}
		if ss.MeetingURL == "" {
			f.AddOf(prefix+"meeting_url", "meeting_url_required", nil)
		}
		checkURL(f, prefix+"meeting_url", ss.MeetingURL)
	default:
		ss.MeetingURL = ""
		if ss.VenueID == 0 {
			ss.VenueID = c.VenueID
		}
		if ss.VenueID == 0 {
			f.AddOf(prefix+"venue_id", "venue_required", nil)
			break
		}
		v, err := s.Store.Venue(ctx, ss.VenueID)
		if err != nil && domain.ErrorCode(err) != domain.CodeNotFound {
			return err
		}
		if err != nil || v.CentreID != c.CentreID || !v.Active {
			f.AddOf(prefix+"venue_id", "venue_not_at_centre", nil)
		}
	}
	if ss.TeacherID != 0 && !slices.ContainsFunc(c.Teachers, func(t Teacher) bool { return t.PersonID == ss.TeacherID }) {
		f.AddOf(prefix+"teacher_id", "teacher_not_in_class", nil)
	}
	return nil
}

// civil is the civil date of a local time (midnight UTC).
func civil(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// book stores new sessions, or answers the conflicts that stopped them.
func (s *Service) book(ctx context.Context, ss []Session) error {
	err := s.Store.CreateSessions(ctx, ss)
	return s.named(ctx, ss, err)
}

// named turns a refused booking into the conflict error naming the booked
// sessions in the way.
func (s *Service) named(ctx context.Context, ss []Session, err error) error {
	if e := domain.AsError(err); err == nil || e.Key != "session_conflict" {
		return err
	}
	cs, cerr := s.Store.Conflicts(ctx, ss)
	if cerr != nil {
		return cerr
	}
	return ConflictError(cs)
}

// PlanSessions makes a class's sessions from a recurrence, skipping the
// holidays of the centre's province, and stores them all or none (a
// manager of the class's centre). A dry run answers the plan with the
// conflicts; a real one refuses conflicts with 409 naming them.
func (s *Service) PlanSessions(ctx context.Context, p domain.Principal, classID int64, in PlanInput) (Plan, error) {
	c, err := s.managedClass(ctx, p, classID)
	if err != nil {
		return Plan{}, err
	}
	if c.Status == StatusFinished || c.Status == StatusCancelled {
		return Plan{}, errClassClosed
	}
	return s.plan(ctx, c, in)
}

// PreviewClass answers the sessions a recurrence would make for a class not
// saved yet (the class wizard's dry run, before anything is stored): the
// class is checked as CreateClass checks it, with its errors; then the plan,
// the holidays skipped and the conflicts, as a dry run of PlanSessions.
func (s *Service) PreviewClass(ctx context.Context, p domain.Principal, class ClassInput, in PlanInput) (Plan, error) {
	c, err := s.newClass(ctx, p, class)
	if err != nil {
		return Plan{}, prefixed(err, "class.")
	}
	in.DryRun = true
	plan, err := s.plan(ctx, c, in)
	return plan, prefixed(err, "plan.")
}

// prefixed names the fields of an invalid input's error as parts of a
// larger body ("class.venue_id"); other errors are left as they are.
func prefixed(err error, prefix string) error {
	var e *domain.Error
	if !errors.As(err, &e) || len(e.Fields) == 0 {
		return err
	}
	out := *e
	out.Fields = make([]domain.FieldError, len(e.Fields))
	for i, f := range e.Fields {
		f.Field = prefix + f.Field
		out.Fields[i] = f
	}
	return &out
}

// plan makes the sessions of class c from a recurrence: a dry run answers
// them with their conflicts, otherwise they are all stored or none.
func (s *Service) plan(ctx context.Context, c Class, in PlanInput) (Plan, error) {
	r := in.Recurrence
	if r.From.IsZero() {
		r.From = c.StartsOn
	}
	if err := r.Validate(); err != nil {
		return Plan{}, err
	}
	last := r.From.AddDate(0, 0, maxScan)
	if r.Until != nil && r.Until.Before(last) {
		last = *r.Until
	}
	holiday, err := s.holidays(ctx, c.ProvinceID, r.From, last)
	if err != nil {
		return Plan{}, err
	}
	occ, skipped, err := r.Expand(holiday)
	if err != nil {
		return Plan{}, err
	}
	if in.TeacherID == 0 && len(c.Teachers) > 0 {
		in.TeacherID = c.Teachers[0].PersonID
	}
	plan := Plan{Skipped: skipped}
	var f domain.Fields
	for _, o := range occ {
		ss := Session{ClassID: c.ID, ClassTitle: c.Title, CentreID: c.CentreID, StartsAt: o.StartsAt, EndsAt: o.EndsAt, Mode: in.Mode,
			VenueID: in.VenueID, TeacherID: in.TeacherID, MeetingURL: in.MeetingURL, Status: SessionScheduled}
		var sf domain.Fields
		if err := s.check(ctx, c, &ss, &sf, ""); err != nil {
			return Plan{}, err
		}
		for _, fe := range sf {
			if !slices.ContainsFunc(f, func(x domain.FieldError) bool { return x.Field == fe.Field && x.Code == fe.Code }) {
				f = append(f, fe)
			}
		}
		plan.Sessions = append(plan.Sessions, ss)
	}
	if err := f.Err(); err != nil {
		return Plan{}, err
	}
	if in.DryRun {
		plan.Conflicts, err = s.Store.Conflicts(ctx, plan.Sessions)
		return plan, err
	}
	if err := s.book(ctx, plan.Sessions); err != nil {
		return Plan{}, err
	}
	plan.Created = true
	return plan, nil
}

// AddSession adds one session to a class.
func (s *Service) AddSession(ctx context.Context, p domain.Principal, classID int64, in SessionInput) (Session, error) {
	c, err := s.managedClass(ctx, p, classID)
	if err != nil {
		return Session{}, err
	}
	if c.Status == StatusFinished || c.Status == StatusCancelled {
		return Session{}, errClassClosed
	}
	ss := Session{ClassID: c.ID, StartsAt: in.StartsAt, EndsAt: in.EndsAt, Mode: in.Mode, VenueID: in.VenueID, TeacherID: in.TeacherID,
		MeetingURL: in.MeetingURL, Status: SessionScheduled}
	var f domain.Fields
	if err := s.check(ctx, c, &ss, &f, ""); err != nil {
		return Session{}, err
	}
	if err := f.Err(); err != nil {
		return Session{}, err
	}
	batch := []Session{ss}
	if err := s.book(ctx, batch); err != nil {
		return Session{}, err
	}
	return s.Store.Session(ctx, batch[0].ID)
}

// session reads a session with its class, for a caller who manages it.
func (s *Service) managedSession(ctx context.Context, p domain.Principal, id int64) (Session, Class, error) {
	ss, err := s.Store.Session(ctx, id)
	if domain.ErrorCode(err) == domain.CodeNotFound {
		return ss, Class{}, errSessionNotFound
	}
	if err != nil {
		return ss, Class{}, err
	}
	c, err := s.managedClass(ctx, p, ss.ClassID)
	if domain.ErrorCode(err) == domain.CodeNotFound {
		return ss, c, errSessionNotFound
	}
	if err != nil {
		return ss, c, err
	}
	if ss.Status == SessionCancelled {
		return ss, c, errSessionCancelled
	}
	return ss, c, nil
}

// GetSession reads one session of a class the caller sees, that they
// teach, or that they are enrolled in (SessionAccess.Read).
func (s *Service) GetSession(ctx context.Context, p domain.Principal, id int64) (Session, error) {
	if _, err := s.SessionAccess(ctx, p, id); err != nil {
		return Session{}, err
	}
	return s.Store.Session(ctx, id)
}

// UpdateSession moves a session, changes its venue or teacher or switches
// it between in person and online; a booked slot in the way answers 409
// naming the session that holds it.
func (s *Service) UpdateSession(ctx context.Context, p domain.Principal, id int64, in SessionPatch) (Session, error) {
	ss, c, err := s.managedSession(ctx, p, id)
	if err != nil {
		return ss, err
	}
	if in.StartsAt != nil {
		ss.StartsAt = *in.StartsAt
	}
	if in.EndsAt != nil {
		ss.EndsAt = *in.EndsAt
	}
	if in.Mode != nil {
		ss.Mode = *in.Mode
		if ss.Mode == ModeInPerson && in.VenueID == nil {
			ss.VenueID = 0 // the class's venue
		}
	}
	if in.VenueID != nil {
		ss.VenueID = *in.VenueID
	}
	if in.TeacherID != nil {
		ss.TeacherID = *in.TeacherID
	}
	if in.MeetingURL != nil {
		ss.MeetingURL = strings.TrimSpace(*in.MeetingURL)
	}
	var f domain.Fields
	if err := s.check(ctx, c, &ss, &f, ""); err != nil {
		return Session{}, err
	}
	if err := f.Err(); err != nil {
		return Session{}, err
	}
	if err := s.named(ctx, []Session{ss}, s.Store.UpdateSession(ctx, ss)); err != nil {
		return Session{}, err
	}
	return s.Store.Session(ctx, id)
}

// CancelSession cancels a session with a reason; it stays listed and frees
// its venue and teacher.
func (s *Service) CancelSession(ctx context.Context, p domain.Principal, id int64, reason string) (Session, error) {
	ss, _, err := s.managedSession(ctx, p, id)
	if err != nil {
		return ss, err
	}
	var f domain.Fields
	checkText(&f, "reason", reason, true, 500)
	if err := f.Err(); err != nil {
		return Session{}, err
	}
	ss.Status, ss.CancelReason = SessionCancelled, strings.TrimSpace(reason)
	if err := s.Store.UpdateSession(ctx, ss); err != nil {
		return Session{}, err
	}
	return s.Store.Session(ctx, id)
}
