package classes

import (
	"context"

	"densach/domain"
)

// SessionAccess says what the caller may do with a session's materials
// (slides, handouts); the materials use case asks it (materials.SessionGate).
//
//   - see the session: whoever reads its class (GetSession), its teacher,
//     and the learners enrolled in the class (active or completed), also
//     once the class is finished;
//   - list and download its materials: those who read the class's centre in
//     full (administrators, officers of its area, the centre's managers and
//     teachers), the class's and the session's teachers, and the enrolled
//     learners — not a learner who only sees the class to enrol in it;
//   - upload and delete them: administrators, the centre's managers, the
//     class's and the session's teachers.
//
// An unknown session, or one the caller may not see, is CodeNotFound.
func (s *Service) SessionAccess(ctx context.Context, p domain.Principal, sessionID int64) (domain.SessionAccess, error) {
	ss, err := s.Store.Session(ctx, sessionID)
	if domain.ErrorCode(err) == domain.CodeNotFound {
		return domain.SessionAccess{}, errSessionNotFound
	}
	if err != nil {
		return domain.SessionAccess{}, err
	}
	c, err := s.Store.Class(ctx, ss.ClassID)
	if err != nil {
		return domain.SessionAccess{}, err
	}
	a := accessOf(p, c)
	teacher := teaches(p, c) || (ss.TeacherID != 0 && ss.TeacherID == p.PersonID)
	staff := a.manage || readsCentre(p, c.Area()) || teacher
	enrolled := false
	if !staff && p.PersonID != 0 {
		if enrolled, err = s.Store.EnrolledInClass(ctx, c.ID, p.PersonID); err != nil {
			return domain.SessionAccess{}, err
		}
	}
	out := domain.SessionAccess{SessionID: ss.ID, ClassID: c.ID, CentreID: c.CentreID, Read: a.read || staff || enrolled,
		ReadMaterials: staff || enrolled, EditMaterials: a.manage || teacher, Cancelled: ss.Status == SessionCancelled}
	if !out.Read {
		return domain.SessionAccess{}, errSessionNotFound
	}
	return out, nil
}
