package postgres

import (
	"context"
	"slices"
	"time"

	"gorm.io/gorm"

	"densach/domain"
	"densach/domain/enrolments"
)

// Enrolment in classes. Every write locks the class row first (SELECT …
// FOR NO KEY UPDATE, the lock UpdateClass's UPDATE of the row takes too),
// so that counting the seats, enrolling, withdrawing and promoting the
// waitlist of one class are serialised. It is the row lock that conflicts
// with itself but not with the key-share locks of foreign keys, so booking
// a session of the class (its class_id checked) does not wait for an
// enrolment. Lock order: the class, then its enrolments — never the other
// way — so that they cannot deadlock.

// classLock is the locked class's state.
type classLock struct {
	Capacity int
	Status   string
	CourseID int64
	// VersionID is the class's pinned course version.
	VersionID int64
}

// lockClass locks the class row and reads it; CodeNotFound when unknown.
func lockClass(tx *gorm.DB, classID int64) (classLock, error) {
	var l classLock
	err := tx.Raw(`SELECT capacity, status, course_id, version_id FROM classes WHERE id = ? FOR NO KEY UPDATE`, classID).Take(&l).Error
	return l, err
}

// seatsTaken counts a class's active and completed enrolments.
func seatsTaken(tx *gorm.DB, classID int64) (int, error) {
	var n int
	err := tx.Raw(`SELECT count(*) FROM enrolments WHERE class_id = ? AND status IN ('active', 'completed')`, classID).Scan(&n).Error
	return n, err
}

// promoteWaitlist moves the first waitlisted enrolments of a class (by
// waitlisted_at, then id) into the seats left, while the class takes
// enrolments (planned, open, running), and records an event by the system
// for each, in promotion order. The class row must be locked.
func promoteWaitlist(tx *gorm.DB, classID int64) ([]int64, error) {
	var ids []int64
	err := tx.Raw(`WITH c AS (SELECT capacity FROM classes WHERE id = ? AND status IN ('planned', 'open', 'running')),
		taken AS (SELECT count(*) AS n FROM enrolments WHERE class_id = ? AND status IN ('active', 'completed')),
		nxt AS (SELECT id FROM enrolments WHERE class_id = ? AND status = 'waitlisted'
			ORDER BY waitlisted_at, id
			LIMIT greatest(coalesce((SELECT capacity FROM c), 0) - (SELECT n FROM taken), 0))
		UPDATE enrolments e SET status = 'active', updated_at = clock_timestamp() FROM nxt WHERE e.id = nxt.id RETURNING e.id`,
		classID, classID, classID).Scan(&ids).Error
	if err != nil || len(ids) == 0 {
		return nil, err
	}
	err = tx.Exec(`INSERT INTO enrolment_events (enrolment_id, at, by_id, status, reason)
		SELECT id, clock_timestamp(), NULL, 'active', ? FROM enrolments WHERE id = ANY(?::bigint[]) ORDER BY waitlisted_at, id`,
		enrolments.ReasonPromoted, pgArray(ids)).Error
	return ids, err
}

var errEnrolmentExists = domain.Fail(domain.CodeConflict, "enrolment_exists", nil)

func init() {
	errEnrolmentExists.Fields = []domain.FieldError{domain.FieldOf("person_id", "enrolment_exists", nil)}
}

// enrolLocked enrols one person in a locked class: active while a seat is
// left (taken counts them), else waitlisted at the database's clock, so
// that the waitlist's order is the order of the lock. It returns the
// result; Already (and nothing written) when a live enrolment exists.
func enrolLocked(tx *gorm.DB, classID int64, l classLock, personID, by int64, source enrolments.Source, taken *int) (enrolments.ClassEnrolResult, error) {
	res := enrolments.ClassEnrolResult{PersonID: personID}
	var live []int64
	if err := tx.Raw(`SELECT id FROM enrolments WHERE class_id = ? AND person_id = ? AND status <> 'withdrawn'`, classID, personID).
		Scan(&live).Error; err != nil {
		return res, err
	}
	if len(live) > 0 {
		res.EnrolmentID, res.Already = live[0], true
		return res, nil
	}
	res.Status = enrolments.StatusActive
	if *taken >= l.Capacity {
		res.Status = enrolments.StatusWaitlisted
	} else {
		*taken++
	}
	err := tx.Raw(`INSERT INTO enrolments (person_id, course_id, version_id, class_id, status, source, enrolled_by, waitlisted_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, CASE WHEN ? THEN clock_timestamp() END) RETURNING id`,
		personID, l.CourseID, l.VersionID, classID, string(res.Status), string(source), by, res.Status == enrolments.StatusWaitlisted).
		Scan(&res.EnrolmentID).Error
	if err != nil {
		return res, err
	}
	b := by
	return res, tx.Create(&enrolmentEventRow{EnrolmentID: res.EnrolmentID, ByID: &b, Status: string(res.Status)}).Error
}

// EnrolInClass stores a live enrolment in a class, active or waitlisted.
func (s *Enrolments) EnrolInClass(ctx context.Context, e *enrolments.Enrolment, allowed []string, at time.Time) error {
	return s.db.tx(ctx, "postgres.EnrolInClass", func(tx *gorm.DB) error {
		l, err := lockClass(tx, e.ClassID)
		if err != nil {
			return err
		}
		if !slices.Contains(allowed, l.Status) {
			return domain.Fail(domain.CodeConflict, "class_closed", nil)
		}
		// Heal a waitlist left behind (a capacity raised by hand): the
		// waiting come before a newcomer.
		if _, err := promoteWaitlist(tx, e.ClassID); err != nil {
			return err
		}
		taken, err := seatsTaken(tx, e.ClassID)
		if err != nil {
			return err
		}
		r, err := enrolLocked(tx, e.ClassID, l, e.PersonID, e.EnrolledBy, e.Source, &taken)
		if err != nil {
			return err
		}
		if r.Already {
			return errEnrolmentExists
		}
		e.ID, e.Status, e.CourseID, e.VersionID = r.EnrolmentID, r.Status, l.CourseID, l.VersionID
		return nil
	})
}

// EnrolManyInClass enrols people in order in one transaction: one query
// finds those already enrolled, one statement inserts the others with
// their events (waitlisted_at from the database's clock, row by row in
// file order, so that the waitlist keeps the file's order).
func (s *Enrolments) EnrolManyInClass(ctx context.Context, classID int64, personIDs []int64, by int64, source enrolments.Source, allowed []string, at time.Time, dryRun bool) ([]enrolments.ClassEnrolResult, error) {
	var out []enrolments.ClassEnrolResult
	err := s.db.tx(ctx, "postgres.EnrolManyInClass", func(tx *gorm.DB) error {
		l, err := lockClass(tx, classID)
		if err != nil {
			return err
		}
		if !slices.Contains(allowed, l.Status) {
			return domain.Fail(domain.CodeConflict, "class_closed", nil)
		}
		if !dryRun {
			if _, err := promoteWaitlist(tx, classID); err != nil {
				return err
			}
		}
		taken, err := seatsTaken(tx, classID)
		if err != nil {
			return err
		}
		var live []struct{ ID, PersonID int64 }
		if err := tx.Raw(`SELECT id, person_id FROM enrolments WHERE class_id = ? AND status <> 'withdrawn' AND person_id = ANY(?::bigint[])`,
			classID, pgArray(personIDs)).Scan(&live).Error; err != nil {
			return err
		}
		enrolled := make(map[int64]int64, len(live))
		for _, e := range live {
			enrolled[e.PersonID] = e.ID
		}
		out = make([]enrolments.ClassEnrolResult, len(personIDs))
		var newIDs []int64
		var statuses []string
		at := map[int64]int{}
		for i, id := range personIDs {
			r := enrolments.ClassEnrolResult{PersonID: id}
			if e, ok := enrolled[id]; ok && id != 0 {
				r.EnrolmentID, r.Already = e, true
				out[i] = r
				continue
			}
			r.Status = enrolments.StatusActive
			if taken >= l.Capacity {
				r.Status = enrolments.StatusWaitlisted
			} else {
				taken++
			}
			if id != 0 {
				enrolled[id], at[id] = 0, i
				newIDs, statuses = append(newIDs, id), append(statuses, string(r.Status))
			}
			out[i] = r
		}
		if dryRun || len(newIDs) == 0 {
			return nil
		}
		var made []struct{ ID, PersonID int64 }
		err = tx.Raw(`WITH ins AS (
			INSERT INTO enrolments (person_id, course_id, version_id, class_id, status, source, enrolled_by, waitlisted_at)
			SELECT u.pid, ?, ?, ?, u.st, ?, ?, CASE WHEN u.st = 'waitlisted' THEN clock_timestamp() END
			FROM unnest(?::bigint[], ?::text[]) WITH ORDINALITY AS u(pid, st, ord) ORDER BY u.ord
			RETURNING id, person_id, status),
		ev AS (INSERT INTO enrolment_events (enrolment_id, by_id, status) SELECT id, ?, status FROM ins ORDER BY id)
		SELECT id, person_id FROM ins`,
			l.CourseID, l.VersionID, classID, string(source), by, pgArray(newIDs), pgArray(statuses), by).Scan(&made).Error
		for _, m := range made {
			out[at[m.PersonID]].EnrolmentID = m.ID
		}
		return err
	})
	return out, err
}

// WaitlistPosition is a waitlisted enrolment's place in its class's waitlist.
func (s *Enrolments) WaitlistPosition(ctx context.Context, enrolmentID int64) (int, error) {
	var n int
	err := s.db.q(ctx).Raw(`SELECT count(*) FROM enrolments w JOIN enrolments e ON e.class_id = w.class_id
		WHERE e.id = ? AND w.status = 'waitlisted' AND (w.waitlisted_at, w.id) <= (e.waitlisted_at, e.id)`, enrolmentID).Scan(&n).Error
	return n, translate("postgres.WaitlistPosition", err)
}

// ClassRef reads what enrolment needs of a class.
func (s *Enrolments) ClassRef(ctx context.Context, classID int64) (enrolments.ClassRef, error) {
	var r struct {
		ID, CentreID, CommuneID, ProvinceID, CourseID, VersionID int64
		Title, CentreName, Status                                string
		Capacity                                                 int
		EnrolFrom, EnrolUntil                                    *time.Time
	}
	err := s.db.q(ctx).Raw(`SELECT c.id, c.centre_id, ce.unit_id AS commune_id, coalesce(cu.parent_id, 0) AS province_id, c.course_id,
		c.version_id, c.title, ce.name AS centre_name, c.status, c.capacity, c.enrol_from, c.enrol_until
		FROM classes c JOIN centres ce ON ce.id = c.centre_id JOIN units cu ON cu.id = ce.unit_id WHERE c.id = ?`, classID).Take(&r).Error
	if err != nil {
		return enrolments.ClassRef{}, translate("postgres.ClassRef", err)
	}
	c := enrolments.ClassRef{ID: r.ID, Title: r.Title, CentreID: r.CentreID, CentreName: r.CentreName, CommuneID: r.CommuneID,
		ProvinceID: r.ProvinceID, CourseID: r.CourseID, VersionID: r.VersionID, Capacity: r.Capacity, Status: r.Status,
		EnrolFrom: civilDate(r.EnrolFrom), EnrolUntil: civilDate(r.EnrolUntil)}
	err = s.db.q(ctx).Raw(`SELECT person_id FROM class_teachers WHERE class_id = ? ORDER BY position`, classID).Scan(&c.TeacherIDs).Error
	return c, translate("postgres.ClassRef", err)
}

// ClassRoster lists a class's live enrolments: the seated by name, then the
// waitlist in order.
func (s *Enrolments) ClassRoster(ctx context.Context, classID int64) ([]enrolments.ClassEnrolment, error) {
	var rows []struct {
		View             enrolmentView `gorm:"embedded"`
		Phone            string
		BirthYear        int
		Village          string
		PersonCommuneID  int64
		PersonProvinceID int64
		CentreIDs        string
		PersonStaff      bool
	}
	err := s.db.q(ctx).Raw(enrolmentCols+`, coalesce(p.phone, '') AS phone, coalesce(p.birth_year, 0) AS birth_year, p.village,
		p.commune_id AS person_commune_id, coalesce(pu.parent_id, 0) AS person_province_id,
		coalesce((SELECT array_agg(DISTINCT g.centre_id)::text FROM role_grants g WHERE g.person_id = p.id AND g.revoked_at IS NULL
			AND g.centre_id IS NOT NULL), '{}') AS centre_ids,
		EXISTS (SELECT 1 FROM role_grants g WHERE g.person_id = p.id AND g.revoked_at IS NULL AND g.role <> 'learner') AS person_staff`+
		enrolmentFrom+` LEFT JOIN units pu ON pu.id = p.commune_id
		WHERE e.class_id = ? AND e.status <> 'withdrawn'
		ORDER BY e.status = 'waitlisted', CASE WHEN e.status = 'waitlisted' THEN NULL ELSE p.sort_key END, e.waitlisted_at, e.id`, classID).
		Scan(&rows).Error
	if err != nil {
		return nil, translate("postgres.ClassRoster", err)
	}
	out := make([]enrolments.ClassEnrolment, len(rows))
	for i, r := range rows {
		out[i] = enrolments.ClassEnrolment{Enrolment: r.View.domain(), Phone: r.Phone, BirthYear: r.BirthYear, Village: r.Village,
			PersonArea: domain.Area{PersonID: r.View.Row.PersonID, CommuneID: r.PersonCommuneID, ProvinceID: r.PersonProvinceID,
				CentreIDs: parseIDArray(r.CentreIDs)}, PersonStaff: r.PersonStaff}
	}
	return out, nil
}

// parseIDArray reads a bigint[]'s text, "{1,2}".
func parseIDArray(s string) []int64 {
	var out []int64
	var n int64
	in := false
	for _, r := range s + "}" {
		if r >= '0' && r <= '9' {
			n, in = n*10+int64(r-'0'), true
			continue
		}
		if in {
			out = append(out, n)
		}
		n, in = 0, false
	}
	return out
}

// Overlaps lists the person's other live classes' sessions overlapping the
// class's sessions still to come.
func (s *Enrolments) Overlaps(ctx context.Context, classID, personID int64, now time.Time) ([]enrolments.Overlap, error) {
	var rows []struct {
		ClassID, SessionID, ThisSessionID int64
		ClassTitle                        string
		StartsAt, EndsAt                  time.Time
	}
	err := s.db.q(ctx).Raw(`SELECT o.class_id, c.title AS class_title, o.id AS session_id, t.id AS this_session_id, o.starts_at, o.ends_at
		FROM class_sessions t
		JOIN class_sessions o ON o.during && t.during AND o.class_id <> t.class_id AND o.status = 'scheduled'
		JOIN enrolments e ON e.class_id = o.class_id AND e.person_id = ? AND e.status IN ('active', 'waitlisted')
		JOIN classes c ON c.id = o.class_id
		WHERE t.class_id = ? AND t.status = 'scheduled' AND t.ends_at > ?
		ORDER BY o.starts_at, o.id, t.id LIMIT 200`, personID, classID, now).Scan(&rows).Error
	if err != nil {
		return nil, translate("postgres.Overlaps", err)
	}
	out := make([]enrolments.Overlap, len(rows))
	for i, r := range rows {
		out[i] = enrolments.Overlap{ClassID: r.ClassID, ClassTitle: r.ClassTitle, SessionID: r.SessionID, ThisSessionID: r.ThisSessionID,
			StartsAt: r.StartsAt.UTC(), EndsAt: r.EndsAt.UTC()}
	}
	return out, nil
}

// Events lists an enrolment's events, oldest first.
func (s *Enrolments) Events(ctx context.Context, enrolmentID int64) ([]enrolments.StatusEvent, error) {
	var rows []struct {
		ID     int64
		At     time.Time
		ByID   *int64
		ByName string
		Status string
		Reason string
	}
	err := s.db.q(ctx).Raw(`SELECT ev.id, ev.at, ev.by_id, coalesce(p.full_name, '') AS by_name, ev.status, ev.reason
		FROM enrolment_events ev LEFT JOIN people p ON p.id = ev.by_id WHERE ev.enrolment_id = ? ORDER BY ev.at, ev.id`, enrolmentID).Scan(&rows).Error
	if err != nil {
		return nil, translate("postgres.EnrolmentEvents", err)
	}
	out := make([]enrolments.StatusEvent, len(rows))
	for i, r := range rows {
		out[i] = enrolments.StatusEvent{ID: r.ID, At: r.At.UTC(), ByName: r.ByName, Status: enrolments.Status(r.Status), Reason: r.Reason}
		if r.ByID != nil {
			out[i].ByID = *r.ByID
		}
	}
	return out, nil
}

// MyClasses lists the person's live class enrolments with the next session.
func (s *Enrolments) MyClasses(ctx context.Context, personID int64, now time.Time) ([]enrolments.MyClass, error) {
	var rows []struct {
		EnrolmentID, ClassID, CourseID, CentreID int64
		ClassTitle, CentreName, Mode             string
		ClassStatus, Status                      string
		WaitlistPosition                         int
		EnrolledAt                               time.Time
		StartsOn, EndsOn                         time.Time
		NextID                                   *int64
		NextStartsAt, NextEndsAt                 *time.Time
		NextMode, NextVenueName, NextMeetingURL  *string
	}
	err := s.db.q(ctx).Raw(`SELECT e.id AS enrolment_id, c.id AS class_id, c.course_id, c.centre_id, c.title AS class_title,
		ce.name AS centre_name, c.mode, c.status AS class_status, e.status, e.enrolled_at, c.starts_on, c.ends_on,
		CASE WHEN e.status = 'waitlisted' THEN (SELECT count(*) FROM enrolments w WHERE w.class_id = e.class_id
			AND w.status = 'waitlisted' AND (w.waitlisted_at, w.id) <= (e.waitlisted_at, e.id)) ELSE 0 END AS waitlist_position,
		n.id AS next_id, n.starts_at AS next_starts_at, n.ends_at AS next_ends_at, n.mode AS next_mode,
		n.venue_name AS next_venue_name, n.meeting_url AS next_meeting_url
		FROM enrolments e JOIN classes c ON c.id = e.class_id JOIN centres ce ON ce.id = c.centre_id
		LEFT JOIN LATERAL (SELECT s.id, s.starts_at, s.ends_at, s.mode, coalesce(v.name, '') AS venue_name, s.meeting_url
			FROM class_sessions s LEFT JOIN venues v ON v.id = s.venue_id
			WHERE s.class_id = c.id AND s.status = 'scheduled' AND s.ends_at > ? ORDER BY s.starts_at LIMIT 1) n ON true
		WHERE e.person_id = ? AND e.status <> 'withdrawn'
		ORDER BY c.status IN ('finished', 'cancelled'), n.starts_at NULLS LAST, c.starts_on, e.id`, now, personID).Scan(&rows).Error
	if err != nil {
		return nil, translate("postgres.MyClasses", err)
	}
	out := make([]enrolments.MyClass, len(rows))
	for i, r := range rows {
		m := enrolments.MyClass{EnrolmentID: r.EnrolmentID, ClassID: r.ClassID, ClassTitle: r.ClassTitle, CourseID: r.CourseID,
			CentreID: r.CentreID, CentreName: r.CentreName, Mode: r.Mode, ClassStatus: r.ClassStatus, Status: enrolments.Status(r.Status),
			WaitlistPosition: r.WaitlistPosition, EnrolledAt: r.EnrolledAt.UTC(), StartsOn: *civilDate(&r.StartsOn), EndsOn: *civilDate(&r.EndsOn)}
		if r.NextID != nil {
			m.Next = &enrolments.NextSession{ID: *r.NextID, StartsAt: r.NextStartsAt.UTC(), EndsAt: r.NextEndsAt.UTC(), Mode: *r.NextMode,
				VenueName: *r.NextVenueName, MeetingURL: *r.NextMeetingURL}
		}
		out[i] = m
	}
	return out, nil
}

// OpenClasses lists the open classes of the provinces whose window holds today.
func (s *Enrolments) OpenClasses(ctx context.Context, provinceIDs, communeIDs []int64, personID int64, today, now time.Time) ([]enrolments.OpenClass, error) {
	var rows []struct {
		ID, CourseID, CentreID, CommuneID, ProvinceID int64
		Title, Mode, Status, CentreName, CommuneName  string
		Near                                          string
		Capacity, Taken, Waiting, SessionsAhead       int
		EnrolFrom, EnrolUntil                         *time.Time
		StartsOn, EndsOn                              time.Time
		FirstSessionAt                                *time.Time
		MyEnrolmentID                                 *int64
		MyStatus                                      *string
	}
	err := s.db.q(ctx).Raw(`SELECT c.id, c.course_id, c.centre_id, ce.unit_id AS commune_id, cu.parent_id AS province_id, c.title, c.mode,
		c.status, ce.name AS centre_name, cu.name AS commune_name,
		CASE WHEN ce.unit_id = ANY(?::bigint[]) THEN 'commune' ELSE 'province' END AS near,
		c.capacity, c.enrol_from, c.enrol_until, c.starts_on, c.ends_on,
		(SELECT count(*) FROM enrolments e WHERE e.class_id = c.id AND e.status IN ('active', 'completed')) AS taken,
		(SELECT count(*) FROM enrolments e WHERE e.class_id = c.id AND e.status = 'waitlisted') AS waiting,
		(SELECT count(*) FROM class_sessions s WHERE s.class_id = c.id AND s.status = 'scheduled' AND s.ends_at > ?) AS sessions_ahead,
		(SELECT min(s.starts_at) FROM class_sessions s WHERE s.class_id = c.id AND s.status = 'scheduled' AND s.ends_at > ?) AS first_session_at,
		m.id AS my_enrolment_id, m.status AS my_status
		FROM classes c JOIN centres ce ON ce.id = c.centre_id JOIN units cu ON cu.id = ce.unit_id
		LEFT JOIN enrolments m ON m.class_id = c.id AND m.person_id = ? AND m.status <> 'withdrawn'
		WHERE c.status = 'open' AND cu.parent_id = ANY(?::bigint[])
		  AND (c.enrol_from IS NULL OR c.enrol_from <= ?) AND (c.enrol_until IS NULL OR c.enrol_until >= ?)
		ORDER BY ce.unit_id = ANY(?::bigint[]) DESC, c.starts_on, c.id LIMIT 500`,
		pgArray(communeIDs), now, now, personID, pgArray(provinceIDs), today, today, pgArray(communeIDs)).Scan(&rows).Error
	if err != nil {
		return nil, translate("postgres.OpenClasses", err)
	}
	out := make([]enrolments.OpenClass, len(rows))
	for i, r := range rows {
		o := enrolments.OpenClass{ID: r.ID, Title: r.Title, CourseID: r.CourseID, Mode: r.Mode, Status: r.Status, CentreID: r.CentreID,
			CentreName: r.CentreName, CommuneID: r.CommuneID, CommuneName: r.CommuneName, ProvinceID: r.ProvinceID, Near: r.Near,
			Capacity: r.Capacity, SeatsLeft: max(r.Capacity-r.Taken, 0), WaitlistCount: r.Waiting, EnrolFrom: civilDate(r.EnrolFrom),
			EnrolUntil: civilDate(r.EnrolUntil), StartsOn: *civilDate(&r.StartsOn), EndsOn: *civilDate(&r.EndsOn),
			SessionsAhead: r.SessionsAhead, FirstSessionAt: utcTime(r.FirstSessionAt)}
		if r.MyEnrolmentID != nil {
			o.MyEnrolmentID, o.MyStatus = *r.MyEnrolmentID, enrolments.Status(*r.MyStatus)
		}
		out[i] = o
	}
	return out, nil
}
