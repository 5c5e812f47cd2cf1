package attendance

import (
	"context"
	"fmt"
	"slices"
	"time"

	"densach/domain"
	"densach/domain/classes"
)

// Service is the attendance use cases, built by field assignment in cmd/.
type Service struct {
	Store   Store
	Classes Classes
	// Headings and Render make the paper registers (register.go).
	Headings HeadingReader
	Render   RegisterRenderer
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Checkins keeps the self check-in's secrets and attempts (checkin.go).
	Checkins CheckinStore
	// CheckinPerLearner and CheckinPerSession are the check-in's attempt
	// limits per window; 0 means the defaults.
	CheckinPerLearner, CheckinPerSession int
	// Online keeps the online presence the online rule reads (online.go);
	// nil: no marks from the online-learning data.
	Online OnlineStore
}

// MaxBatch is the most rows a batch may hold.
const MaxBatch = 500

var (
	errForbidden       = domain.Fail(domain.CodeForbidden, "forbidden", nil)
	errSessionNotFound = domain.Fail(domain.CodeNotFound, "session_not_found", nil)
	errClassNotFound   = domain.Fail(domain.CodeNotFound, "class_not_found", nil)
	errCentreNotFound  = domain.Fail(domain.CodeNotFound, "centre_not_found", nil)
	errCancelled       = domain.Fail(domain.CodeConflict, "session_cancelled", nil)
	errFuture          = domain.Fail(domain.CodeConflict, "attendance_session_future", nil)
)

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// until is the start of tomorrow in Vietnam: sessions starting before it
// may be marked (today's, even before they begin, and every past one).
func (s *Service) until() time.Time {
	d := s.now().In(classes.Zone)
	return time.Date(d.Year(), d.Month(), d.Day()+1, 0, 0, 0, 0, classes.Zone)
}

// ---- Rules ----

// authorityOf is the caller's marking authority as data.
func authorityOf(p domain.Principal) Authority {
	a := Authority{PersonID: p.PersonID}
	for _, g := range p.Grants {
		switch g.Role {
		case domain.RoleAdmin:
			a.All = true
		case domain.RoleManager:
			if g.CentreID != 0 && !slices.Contains(a.CentreIDs, g.CentreID) {
				a.CentreIDs = append(a.CentreIDs, g.CentreID)
			}
		}
	}
	return a
}

// marksAnywhere reports whether the caller holds a role that can mark some
// session: administrator, manager or teacher.
func marksAnywhere(p domain.Principal) bool {
	return p.Has(domain.RoleAdmin) || p.Has(domain.RoleManager) || p.Has(domain.RoleTeacher)
}

// teachesClass reports whether the caller is one of the class's teachers.
func teachesClass(p domain.Principal, c classes.Class) bool {
	return slices.ContainsFunc(c.Teachers, func(t classes.Teacher) bool { return t.PersonID == p.PersonID })
}

// markAllowed is who may mark a session: an administrator, a manager of
// the class's centre, the session's teacher or a teacher of the class
// (a shared teacher of another centre too).
func markAllowed(p domain.Principal, c classes.Class, ss classes.Session) bool {
	a := authorityOf(p)
	return a.All || slices.Contains(a.CentreIDs, c.CentreID) || (ss.TeacherID != 0 && ss.TeacherID == p.PersonID) || teachesClass(p, c)
}

// readsClass is who sees a class's attendance: those who mark it, officers
// of its province or commune, the managers and teachers of its centre.
func readsClass(p domain.Principal, c classes.Class) bool {
	if p.AreaFilter().Matches(c.Area()) || teachesClass(p, c) {
		return true
	}
	for _, g := range p.Grants {
		if g.Role == domain.RoleTeacher && g.CentreID == c.CentreID {
			return true
		}
	}
	return false
}

// ---- Marking ----

// validate checks a batch before anything is read: every bad row is named.
func (in *BatchInput) validate() error {
	var f domain.Fields
	switch {
	case len(in.Marks) == 0:
		f.AddOf("marks", "required", domain.Params{"field": "marks"})
	case len(in.Marks) > MaxBatch:
		f.AddOf("marks", "attendance_batch_too_large", domain.Params{"max": MaxBatch})
	}
	if d, err := domain.NormalizeText(in.Device, 200); !f.AddErr("device", err) {
		in.Device = d
	}
	seen := make(map[int64]int, len(in.Marks))
	for i := range in.Marks {
		m := &in.Marks[i]
		at := fmt.Sprintf("marks[%d].", i)
		if m.PersonID <= 0 {
			f.AddOf(at+"person_id", "required", domain.Params{"field": "person_id"})
		} else if j, dup := seen[m.PersonID]; dup {
			f.AddOf(at+"person_id", "attendance_duplicate", domain.Params{"row": j + 1})
		} else {
			seen[m.PersonID] = i
		}
		if !m.Status.Valid() {
			f.AddOf(at+"status", "attendance_status_invalid", nil)
		}
		if n, err := domain.NormalizeText(m.Note, 500); !f.AddErr(at+"note", err) {
			m.Note = n
		}
		if m.Version < 0 {
			f.AddOf(at+"version", "attendance_version_invalid", nil)
		}
	}
	return f.Err()
}

// MarkSession applies a whole session's marks from one device, all or
// nothing, in one round trip to the database: refused whole when the
// caller may not mark the session (403 when they see it, else 404), the
// session is cancelled or starts after today, a row names a learner not
// enrolled in the class or has an unknown status (422 naming the rows), or
// a row's mark changed since the client saw it (409 attendance_conflict,
// naming each conflicting mark with its current values). A row equal to
// the current mark changes nothing, whatever version it carries, so a
// replayed batch is harmless.
func (s *Service) MarkSession(ctx context.Context, p domain.Principal, sessionID int64, in BatchInput) (BatchResult, error) {
	return s.mark(ctx, p, sessionID, in, SourceManual)
}

func (s *Service) mark(ctx context.Context, p domain.Principal, sessionID int64, in BatchInput, src Source) (BatchResult, error) {
	if !marksAnywhere(p) {
		return BatchResult{}, s.refusal(ctx, p, sessionID)
	}
	if err := in.validate(); err != nil {
		return BatchResult{}, err
	}
	until := s.until() // one instant for the store's gate and the answer
	ap, err := s.Store.ApplyBatch(ctx, BatchRequest{SessionID: sessionID, Rows: in.Marks, Authority: authorityOf(p), Until: until, Source: src, Device: in.Device})
	if err != nil {
		return BatchResult{}, err
	}
	if ap.Held != nil {
		claim, _ := domain.IdempotencyClaimFrom(ctx)
		if err := domain.IdempotencyHeld(*ap.Held, claim.Fingerprint); err != nil {
			return BatchResult{}, err
		}
		return BatchResult{}, domain.Wrap("attendance.MarkSession", domain.CodeInternal, fmt.Errorf("key of session %d's batch held with its answer, not replayed", sessionID))
	}
	switch {
	case !ap.Found:
		return BatchResult{}, errSessionNotFound
	case !ap.Allowed:
		return BatchResult{}, s.refusal(ctx, p, sessionID)
	case ap.Cancelled:
		return BatchResult{}, errCancelled
	case !ap.StartsAt.Before(until):
		return BatchResult{}, errFuture
	}
	var f domain.Fields
	var conflicts []Conflict
	for i, r := range ap.Rows {
		switch r.Outcome {
		case OutcomeNotEnrolled:
			f.AddOf(fmt.Sprintf("marks[%d].person_id", i), "attendance_not_enrolled", nil)
		case OutcomeConflict:
			if r.Mark != nil {
				conflicts = append(conflicts, Conflict{Row: i, Mark: *r.Mark})
			}
		}
	}
	if err := f.Err(); err != nil {
		return BatchResult{}, err
	}
	if len(conflicts) > 0 {
		return BatchResult{}, ConflictError(conflicts)
	}
	if !ap.Applied {
		return BatchResult{}, domain.Wrap("attendance.MarkSession", domain.CodeInternal, fmt.Errorf("batch of session %d not applied without a refusal", sessionID))
	}
	out := BatchResult{SessionID: sessionID, Marks: make([]Mark, 0, len(ap.Rows)), Replayed: ap.Replayed}
	for _, r := range ap.Rows {
		if r.Outcome == OutcomeChanged {
			out.Changed++
		}
		if r.Mark != nil {
			out.Marks = append(out.Marks, *r.Mark)
		}
	}
	return out, nil
}

// ConflictError is the answer to a batch with stale rows: 409
// attendance_conflict, params.marks naming each conflicting mark (its row
// in the batch and current values).
func ConflictError(cs []Conflict) error {
	list := make([]map[string]any, len(cs))
	for i, c := range cs {
		m := c.Mark
		list[i] = map[string]any{"row": c.Row, "person_id": m.PersonID, "status": string(m.Status), "note": m.Note, "version": m.Version,
			"source": string(m.Source), "marked_by": m.MarkedBy, "marked_by_name": m.MarkedByName, "marked_at": m.MarkedAt.In(classes.Zone).Format(time.RFC3339),
			"device": m.Device}
	}
	e := domain.Fail(domain.CodeConflict, "attendance_conflict", domain.Params{"count": len(cs)})
	e.Params = domain.Params{"count": len(cs), "marks": list}
	return e
}

// refusal is the answer to a caller who may not mark a session: 403 when
// they see it, else 404.
func (s *Service) refusal(ctx context.Context, p domain.Principal, sessionID int64) error {
	_, _, err := s.readable(ctx, p, sessionID)
	if err != nil {
		return err
	}
	return errForbidden
}

// readable reads a session and its class that the caller sees (else not
// found).
func (s *Service) readable(ctx context.Context, p domain.Principal, sessionID int64) (classes.Session, classes.Class, error) {
	ss, err := s.Classes.Session(ctx, sessionID)
	if domain.ErrorCode(err) == domain.CodeNotFound {
		return ss, classes.Class{}, errSessionNotFound
	}
	if err != nil {
		return ss, classes.Class{}, err
	}
	c, err := s.Classes.Class(ctx, ss.ClassID)
	if err != nil {
		return ss, c, err
	}
	if !readsClass(p, c) && !(ss.TeacherID != 0 && ss.TeacherID == p.PersonID) {
		return ss, c, errSessionNotFound
	}
	return ss, c, nil
}

// ---- Reads ----

// SessionRoster is a session's register: the class's learners (Vietnamese
// order) with their marks, and whether the caller may mark it now.
func (s *Service) SessionRoster(ctx context.Context, p domain.Principal, sessionID int64) (Roster, error) {
	ss, c, err := s.readable(ctx, p, sessionID)
	if err != nil {
		return Roster{}, err
	}
	learners, err := s.Store.Learners(ctx, c.ID, 0)
	if err != nil {
		return Roster{}, err
	}
	marks, err := s.Store.Marks(ctx, c.ID, sessionID, 0)
	if err != nil {
		return Roster{}, err
	}
	byEnrolment := make(map[int64]Mark, len(marks))
	for _, m := range marks {
		byEnrolment[m.EnrolmentID] = m
	}
	r := Roster{Session: ss, Class: c, Entries: make([]RosterEntry, len(learners)),
		Editable: markAllowed(p, c, ss) && ss.Status != classes.SessionCancelled && ss.StartsAt.Before(s.until())}
	for i, l := range learners {
		r.Entries[i].Learner = l
		if m, ok := byEnrolment[l.EnrolmentID]; ok {
			r.Entries[i].Mark = &m
		}
	}
	return r, nil
}

// SessionHistory lists the changes of a session's marks (of one learner
// when personID is not 0), oldest first.
func (s *Service) SessionHistory(ctx context.Context, p domain.Principal, sessionID, personID int64) ([]Event, error) {
	if _, _, err := s.readable(ctx, p, sessionID); err != nil {
		return nil, err
	}
	return s.Store.History(ctx, sessionID, personID)
}

// facts turns sessions into what the rate needs.
func facts(ss []classes.Session) []SessionFact {
	out := make([]SessionFact, len(ss))
	for i, x := range ss {
		out[i] = SessionFact{ID: x.ID, StartsAt: x.StartsAt, Cancelled: x.Status == classes.SessionCancelled}
	}
	return out
}

// ClassGrid is a class's attendance: its learners × its sessions, with
// each learner's rate and at-risk flag.
func (s *Service) ClassGrid(ctx context.Context, p domain.Principal, classID int64) (Grid, error) {
	c, err := s.Classes.Class(ctx, classID)
	if domain.ErrorCode(err) == domain.CodeNotFound {
		return Grid{}, errClassNotFound
	}
	if err != nil {
		return Grid{}, err
	}
	if !readsClass(p, c) {
		return Grid{}, errClassNotFound
	}
	g := Grid{Class: c, Editable: weighsCentre(p, c.CentreID) || teachesClass(p, c), WeightsEditable: weighsCentre(p, c.CentreID)}
	if g.Sessions, err = s.Classes.Sessions(ctx, classes.SessionFilter{ClassID: classID}); err != nil {
		return Grid{}, err
	}
	if g.Weights, err = s.Store.Weights(ctx, c.CentreID); err != nil {
		return Grid{}, err
	}
	learners, err := s.Store.Learners(ctx, classID, 0)
	if err != nil {
		return Grid{}, err
	}
	marks, err := s.Store.Marks(ctx, classID, 0, 0)
	if err != nil {
		return Grid{}, err
	}
	byEnrolment := map[int64]map[int64]Mark{}
	for _, m := range marks {
		if byEnrolment[m.EnrolmentID] == nil {
			byEnrolment[m.EnrolmentID] = map[int64]Mark{}
		}
		byEnrolment[m.EnrolmentID][m.SessionID] = m
	}
	sf, now := facts(g.Sessions), s.now()
	g.Learners = make([]GridLearner, len(learners))
	for i, l := range learners {
		ms := byEnrolment[l.EnrolmentID]
		if ms == nil {
			ms = map[int64]Mark{}
		}
		g.Learners[i] = GridLearner{Learner: l, Marks: ms, Rate: RateOf(sf, statuses(ms), g.Weights, c.CompletionPct, now)}
	}
	return g, nil
}

func statuses(ms map[int64]Mark) map[int64]Status {
	out := make(map[int64]Status, len(ms))
	for id, m := range ms {
		out[id] = m.Status
	}
	return out
}

// MyAttendance is the caller's own attendance in each class they are
// enrolled in (active or completed), with their rate and at-risk flag.
func (s *Service) MyAttendance(ctx context.Context, p domain.Principal) ([]MyClass, error) {
	ids, err := s.Store.LearnerClasses(ctx, p.PersonID)
	if err != nil {
		return nil, err
	}
	out := make([]MyClass, 0, len(ids))
	now := s.now()
	for _, id := range ids {
		c, err := s.Classes.Class(ctx, id)
		if err != nil {
			return nil, err
		}
		mc := MyClass{Class: c, Marks: map[int64]Mark{}}
		if mc.Sessions, err = s.Classes.Sessions(ctx, classes.SessionFilter{ClassID: id}); err != nil {
			return nil, err
		}
		w, err := s.Store.Weights(ctx, c.CentreID)
		if err != nil {
			return nil, err
		}
		marks, err := s.Store.Marks(ctx, id, 0, p.PersonID)
		if err != nil {
			return nil, err
		}
		for _, m := range marks {
			mc.Marks[m.SessionID] = m
		}
		mc.Rate = RateOf(facts(mc.Sessions), statuses(mc.Marks), w, c.CompletionPct, now)
		out = append(out, mc)
	}
	return out, nil
}

// ---- Weights ----

// CentreWeights reads a centre's weights (those who see its classes).
func (s *Service) CentreWeights(ctx context.Context, p domain.Principal, centreID int64) (Weights, error) {
	a, err := s.Classes.CentreArea(ctx, centreID)
	if domain.ErrorCode(err) == domain.CodeNotFound {
		return Weights{}, errCentreNotFound
	}
	if err != nil {
		return Weights{}, err
	}
	if !readsClass(p, classes.Class{CentreID: centreID, CommuneID: a.CommuneID, ProvinceID: a.ProvinceID}) {
		return Weights{}, errCentreNotFound
	}
	return s.Store.Weights(ctx, centreID)
}

// weighsCentre reports whether the caller sets a centre's weights (and
// marks all its classes): administrators and the centre's managers.
func weighsCentre(p domain.Principal, centreID int64) bool {
	a := authorityOf(p)
	return a.All || slices.Contains(a.CentreIDs, centreID)
}

// SetCentreWeights changes a centre's weights: its managers or an
// administrator; each weight between 0 and 1.
func (s *Service) SetCentreWeights(ctx context.Context, p domain.Principal, centreID int64, w Weights) (Weights, error) {
	if _, err := s.CentreWeights(ctx, p, centreID); err != nil {
		return Weights{}, err
	}
	if !weighsCentre(p, centreID) {
		return Weights{}, errForbidden
	}
	var f domain.Fields
	for _, x := range []struct {
		field string
		v     float64
	}{{"present", w.Present}, {"late", w.Late}, {"excused", w.Excused}, {"absent", w.Absent}} {
		if x.v < 0 || x.v > 1 {
			f.AddOf(x.field, "attendance_weight_invalid", nil)
		}
	}
	if err := f.Err(); err != nil {
		return Weights{}, err
	}
	if err := s.Store.SetWeights(ctx, centreID, w, p.PersonID); err != nil {
		return Weights{}, err
	}
	return s.Store.Weights(ctx, centreID)
}
