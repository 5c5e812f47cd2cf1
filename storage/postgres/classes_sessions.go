package postgres

import (
	"context"
	"time"

	"gorm.io/gorm"

	"densach/domain/classes"
)

// ---- Classes ----

// classRow is one row of classes.
type classRow struct {
	ID            int64 `gorm:"primaryKey"`
	CentreID      int64
	CourseID      int64
	VersionID     int64
	Title         string
	Mode          string
	VenueID       *int64
	Capacity      int
	EnrolFrom     *time.Time
	EnrolUntil    *time.Time
	StartsOn      time.Time
	EndsOn        time.Time
	CompletionPct int
	MeetingURL    string
	Status        string
	CancelReason  string
	CreatedBy     int64
	CreatedAt     time.Time `gorm:"->"`
	UpdatedAt     time.Time
}

func (classRow) TableName() string { return "classes" }

// classTeacherRow is one row of class_teachers.
type classTeacherRow struct {
	ClassID      int64 `gorm:"primaryKey"`
	PersonID     int64 `gorm:"primaryKey"`
	HomeCentreID *int64
	Position     int
}

func (classTeacherRow) TableName() string { return "class_teachers" }

func classRecordOf(c classes.Class) classRow {
	return classRow{ID: c.ID, CentreID: c.CentreID, CourseID: c.CourseID, VersionID: c.VersionID, Title: c.Title, Mode: string(c.Mode),
		VenueID: optionalID(c.VenueID), Capacity: c.Capacity, EnrolFrom: c.EnrolFrom, EnrolUntil: c.EnrolUntil, StartsOn: c.StartsOn,
		EndsOn: c.EndsOn, CompletionPct: c.CompletionPct, MeetingURL: c.MeetingURL, Status: string(c.Status), CancelReason: c.CancelReason,
		CreatedBy: c.CreatedBy}
}

type classView struct {
	Row           classRow `gorm:"embedded"`
	CentreName    string
	CommuneID     int64
	ProvinceID    int64
	VersionNumber int
	VenueName     string
}

func civilDate(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	return &d
}

func (v classView) domain() classes.Class {
	r := v.Row
	c := classes.Class{ID: r.ID, CentreID: r.CentreID, CentreName: v.CentreName, CommuneID: v.CommuneID, ProvinceID: v.ProvinceID,
		CourseID: r.CourseID, VersionID: r.VersionID, VersionNumber: v.VersionNumber, Title: r.Title, Mode: classes.Mode(r.Mode),
		VenueName: v.VenueName, Capacity: r.Capacity, EnrolFrom: civilDate(r.EnrolFrom), EnrolUntil: civilDate(r.EnrolUntil),
		StartsOn: *civilDate(&r.StartsOn), EndsOn: *civilDate(&r.EndsOn), CompletionPct: r.CompletionPct, MeetingURL: r.MeetingURL,
		Status: classes.Status(r.Status), CancelReason: r.CancelReason, CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
	if r.VenueID != nil {
		c.VenueID = *r.VenueID
	}
	return c
}

const classSelect = `SELECT c.*, ce.name AS centre_name, ce.unit_id AS commune_id, coalesce(cu.parent_id, 0) AS province_id,
	coalesce(v.number, 0) AS version_number, coalesce(vn.name, '') AS venue_name
	FROM classes c JOIN centres ce ON ce.id = c.centre_id JOIN units cu ON cu.id = ce.unit_id
	JOIN course_versions v ON v.id = c.version_id LEFT JOIN venues vn ON vn.id = c.venue_id`

// writeTeachers replaces a class's teachers.
func writeTeachers(tx *gorm.DB, c classes.Class) error {
	if err := tx.Where("class_id = ?", c.ID).Delete(&classTeacherRow{}).Error; err != nil {
		return err
	}
	if len(c.Teachers) == 0 {
		return nil
	}
	rows := make([]classTeacherRow, len(c.Teachers))
	for i, t := range c.Teachers {
		rows[i] = classTeacherRow{ClassID: c.ID, PersonID: t.PersonID, HomeCentreID: optionalID(t.HomeCentreID), Position: i + 1}
	}
	return tx.Create(&rows).Error
}

// CreateClass stores a class with its teachers.
func (s *Classes) CreateClass(ctx context.Context, c *classes.Class) error {
	return s.db.tx(ctx, "postgres.CreateClass", func(tx *gorm.DB) error {
		r := classRecordOf(*c)
		if err := tx.Create(&r).Error; err != nil {
			return err
		}
		c.ID = r.ID
		return writeTeachers(tx, *c)
	})
}

// UpdateClass replaces a class's settings and teachers; a cancelled class's
// sessions still to come are cancelled with it.
func (s *Classes) UpdateClass(ctx context.Context, c classes.Class, at time.Time) error {
	return s.db.tx(ctx, "postgres.UpdateClass", func(tx *gorm.DB) error {
		// The class row's lock serialises this update with the class's
		// enrolments and withdrawals (rosters.go).
		if _, err := lockClass(tx, c.ID); err != nil {
			return err
		}
		r := classRecordOf(c)
		if err := tx.Model(&r).Select("title", "mode", "venue_id", "capacity", "enrol_from", "enrol_until", "starts_on", "ends_on",
			"completion_pct", "meeting_url", "status", "cancel_reason").Updates(&r).Error; err != nil {
			return err
		}
		if c.Status == classes.StatusCancelled {
			if err := tx.Model(&sessionRow{}).Where("class_id = ? AND status = 'scheduled' AND ends_at > ?", c.ID, at).
				Updates(map[string]any{"status": "cancelled", "cancel_reason": c.CancelReason, "sequence": gorm.Expr("sequence + 1"), "updated_at": at}).Error; err != nil {
				return err
			}
		}
		if err := writeTeachers(tx, c); err != nil {
			return err
		}
		// A capacity raised frees seats: the waitlist moves up in order.
		_, err := promoteWaitlist(tx, c.ID)
		return err
	})
}

// withTeachers reads the teachers of the classes.
func (s *Classes) withTeachers(ctx context.Context, cs []classes.Class) error {
	if len(cs) == 0 {
		return nil
	}
	ids := make([]int64, len(cs))
	at := make(map[int64]int, len(cs))
	for i, c := range cs {
		ids[i], at[c.ID] = c.ID, i
	}
	var rows []struct {
		ClassID, PersonID int64
		Name              string
		HomeCentreID      *int64
	}
	err := s.db.q(ctx).Raw(`SELECT ct.class_id, ct.person_id, p.full_name AS name, ct.home_centre_id FROM class_teachers ct
		JOIN people p ON p.id = ct.person_id WHERE ct.class_id = ANY(?::bigint[]) ORDER BY ct.class_id, ct.position`, pgArray(ids)).Scan(&rows).Error
	for _, r := range rows {
		t := classes.Teacher{PersonID: r.PersonID, Name: r.Name}
		if r.HomeCentreID != nil {
			t.HomeCentreID = *r.HomeCentreID
		}
		cs[at[r.ClassID]].Teachers = append(cs[at[r.ClassID]].Teachers, t)
	}
	return err
}

// Class reads one class with its teachers.
func (s *Classes) Class(ctx context.Context, id int64) (classes.Class, error) {
	var r classView
	if err := s.db.q(ctx).Raw(classSelect+` WHERE c.id = ?`, id).Take(&r).Error; err != nil {
		return classes.Class{}, translate("postgres.Class", err)
	}
	out := []classes.Class{r.domain()}
	err := s.withTeachers(ctx, out)
	return out[0], translate("postgres.Class", err)
}

// Classes lists the classes a filter selects, the latest first.
func (s *Classes) Classes(ctx context.Context, f classes.ClassFilter) ([]classes.Class, error) {
	cond, args := centreScopeSQL(f.Scope)
	args = append(args, f.TeacherID, pgArray(f.OpenIn), f.CentreID, f.CentreID, string(f.Status), string(f.Status))
	var rows []classView
	err := s.db.q(ctx).Raw(classSelect+` WHERE (`+cond+`
		OR c.id IN (SELECT class_id FROM class_teachers WHERE person_id = ?)
		OR c.status IN ('open', 'running') AND cu.parent_id = ANY(?::bigint[]))
		AND (?::bigint = 0 OR c.centre_id = ?) AND (?::text = '' OR c.status = ?)
		ORDER BY c.starts_on DESC, c.id DESC LIMIT 500`, args...).Scan(&rows).Error
	if err != nil {
		return nil, translate("postgres.Classes", err)
	}
	out := make([]classes.Class, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, translate("postgres.Classes", s.withTeachers(ctx, out))
}

// ---- Sessions ----

// sessionRow is one row of class_sessions (during is generated).
type sessionRow struct {
	ID           int64 `gorm:"primaryKey"`
	ClassID      int64
	StartsAt     time.Time
	EndsAt       time.Time
	Mode         string
	VenueID      *int64
	TeacherID    *int64
	MeetingURL   string
	Status       string
	CancelReason string
	Sequence     int
	CreatedAt    time.Time `gorm:"->"`
	UpdatedAt    time.Time
}

func (sessionRow) TableName() string { return "class_sessions" }

func sessionRecordOf(ss classes.Session) sessionRow {
	return sessionRow{ID: ss.ID, ClassID: ss.ClassID, StartsAt: ss.StartsAt, EndsAt: ss.EndsAt, Mode: string(ss.Mode), VenueID: optionalID(ss.VenueID),
		TeacherID: optionalID(ss.TeacherID), MeetingURL: ss.MeetingURL, Status: string(ss.Status), CancelReason: ss.CancelReason}
}

type sessionView struct {
	Row         sessionRow `gorm:"embedded"`
	ClassTitle  string
	CentreID    int64
	VenueName   string
	TeacherName string
}

func (v sessionView) domain() classes.Session {
	r := v.Row
	ss := classes.Session{ID: r.ID, ClassID: r.ClassID, ClassTitle: v.ClassTitle, CentreID: v.CentreID, StartsAt: r.StartsAt.UTC(), EndsAt: r.EndsAt.UTC(),
		Mode: classes.Mode(r.Mode), VenueName: v.VenueName, TeacherName: v.TeacherName, MeetingURL: r.MeetingURL,
		Status: classes.SessionStatus(r.Status), CancelReason: r.CancelReason, Sequence: r.Sequence}
	if r.VenueID != nil {
		ss.VenueID = *r.VenueID
	}
	if r.TeacherID != nil {
		ss.TeacherID = *r.TeacherID
	}
	return ss
}

const sessionSelect = `SELECT s.id, s.class_id, s.starts_at, s.ends_at, s.mode, s.venue_id, s.teacher_id, s.meeting_url, s.status,
	s.cancel_reason, s.sequence, s.created_at, s.updated_at, c.title AS class_title, c.centre_id,
	coalesce(vn.name, '') AS venue_name, coalesce(p.full_name, '') AS teacher_name
	FROM class_sessions s JOIN classes c ON c.id = s.class_id LEFT JOIN venues vn ON vn.id = s.venue_id LEFT JOIN people p ON p.id = s.teacher_id`

// CreateSessions stores sessions, all or none.
func (s *Classes) CreateSessions(ctx context.Context, ss []classes.Session) error {
	if len(ss) == 0 {
		return nil
	}
	rows := make([]sessionRow, len(ss))
	for i, x := range ss {
		rows[i] = sessionRecordOf(x)
	}
	err := s.db.tx(ctx, "postgres.CreateSessions", func(tx *gorm.DB) error { return tx.Create(&rows).Error })
	if err == nil {
		for i := range ss {
			ss[i].ID = rows[i].ID
		}
	}
	return err
}

// UpdateSession stores a session's new state and bumps its sequence.
func (s *Classes) UpdateSession(ctx context.Context, ss classes.Session) error {
	r := sessionRecordOf(ss)
	err := s.db.q(ctx).Model(&sessionRow{ID: ss.ID}).Updates(map[string]any{"starts_at": r.StartsAt, "ends_at": r.EndsAt, "mode": r.Mode,
		"venue_id": r.VenueID, "teacher_id": r.TeacherID, "meeting_url": r.MeetingURL, "status": r.Status, "cancel_reason": r.CancelReason,
		"sequence": gorm.Expr("sequence + 1")}).Error
	return translate("postgres.UpdateSession", err)
}

// Session reads one session.
func (s *Classes) Session(ctx context.Context, id int64) (classes.Session, error) {
	var r sessionView
	err := s.db.q(ctx).Raw(sessionSelect+` WHERE s.id = ?`, id).Take(&r).Error
	return r.domain(), translate("postgres.Session", err)
}

// Sessions lists sessions in time order.
func (s *Classes) Sessions(ctx context.Context, f classes.SessionFilter) ([]classes.Session, error) {
	var from, to *time.Time
	if !f.From.IsZero() {
		from = &f.From
	}
	if !f.To.IsZero() {
		to = &f.To
	}
	var rows []sessionView
	err := s.db.q(ctx).Raw(sessionSelect+` WHERE (?::bigint = 0 OR s.class_id = ?) AND (?::bigint = 0 OR s.teacher_id = ?)
		AND (?::timestamptz IS NULL OR s.ends_at > ?) AND (?::timestamptz IS NULL OR s.starts_at < ?)
		AND (?::bigint = 0 OR s.class_id IN (SELECT class_id FROM enrolments WHERE person_id = ? AND status = 'active' AND class_id IS NOT NULL))
		ORDER BY s.starts_at, s.id LIMIT 2000`, f.ClassID, f.ClassID, f.TeacherID, f.TeacherID, from, from, to, to, f.LearnerID, f.LearnerID).Scan(&rows).Error
	out := make([]classes.Session, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, translate("postgres.Sessions", err)
}

// Conflicts lists the scheduled sessions overlapping wanted ones on their
// venue or teacher.
func (s *Classes) Conflicts(ctx context.Context, wanted []classes.Session) ([]classes.Conflict, error) {
	if len(wanted) == 0 {
		return nil, nil
	}
	n := len(wanted)
	own, venue, teacher := make([]int64, n), make([]int64, n), make([]int64, n)
	starts, ends := make([]time.Time, n), make([]time.Time, n)
	for i, w := range wanted {
		own[i], venue[i], teacher[i], starts[i], ends[i] = w.ID, w.VenueID, w.TeacherID, w.StartsAt, w.EndsAt
		if w.Mode == classes.ModeOnline {
			venue[i] = 0
		}
	}
	var rows []struct {
		Wanted     int
		SessionID  int64
		ClassID    int64
		ClassTitle string
		StartsAt   time.Time
		EndsAt     time.Time
		Resource   string
		VenueID    int64
		TeacherID  int64
	}
	err := s.db.q(ctx).Raw(`SELECT w.i - 1 AS wanted, s.id AS session_id, s.class_id, c.title AS class_title, s.starts_at, s.ends_at,
			CASE WHEN w.venue <> 0 AND s.venue_id = w.venue THEN 'venue' ELSE 'teacher' END AS resource,
			coalesce(s.venue_id, 0) AS venue_id, coalesce(s.teacher_id, 0) AS teacher_id
		FROM unnest(?::bigint[], ?::timestamptz[], ?::timestamptz[], ?::bigint[], ?::bigint[]) WITH ORDINALITY AS w(own, starts_at, ends_at, venue, teacher, i)
		JOIN class_sessions s ON s.status = 'scheduled' AND s.id <> w.own AND s.during && tstzrange(w.starts_at, w.ends_at, '[)')
			AND (w.venue <> 0 AND s.venue_id = w.venue OR w.teacher <> 0 AND s.teacher_id = w.teacher)
		JOIN classes c ON c.id = s.class_id
		ORDER BY w.i, s.starts_at, s.id`, pgArray(own), pgArray(starts), pgArray(ends), pgArray(venue), pgArray(teacher)).Scan(&rows).Error
	out := make([]classes.Conflict, len(rows))
	for i, r := range rows {
		out[i] = classes.Conflict{Wanted: r.Wanted, SessionID: r.SessionID, ClassID: r.ClassID, ClassTitle: r.ClassTitle, StartsAt: r.StartsAt.UTC(),
			EndsAt: r.EndsAt.UTC(), Resource: r.Resource, VenueID: r.VenueID, TeacherID: r.TeacherID}
	}
	return out, translate("postgres.Conflicts", err)
}

// ---- Holidays ----

// holidayRow is one row of holidays.
type holidayRow struct {
	ID         int64 `gorm:"primaryKey"`
	ProvinceID int64
	Day        time.Time
	Name       string
	Source     string
	CreatedAt  time.Time `gorm:"->"`
}

func (holidayRow) TableName() string { return "holidays" }

func (r holidayRow) domain() classes.Holiday {
	return classes.Holiday{ID: r.ID, ProvinceID: r.ProvinceID, Day: *civilDate(&r.Day), Name: r.Name, Source: r.Source}
}

// SeedHolidays stores a province's computed holidays of a year, once.
func (s *Classes) SeedHolidays(ctx context.Context, provinceID int64, year int, hs []classes.Holiday) error {
	return s.db.tx(ctx, "postgres.SeedHolidays", func(tx *gorm.DB) error {
		res := tx.Exec(`INSERT INTO holiday_years (province_id, year) VALUES (?, ?) ON CONFLICT DO NOTHING`, provinceID, year)
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error
		}
		for _, h := range hs {
			if err := tx.Exec(`INSERT INTO holidays (province_id, day, name, source) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`,
				provinceID, h.Day, h.Name, h.Source).Error; err != nil {
				return err
			}
		}
		return nil
	})
}

// Holidays lists a province's holidays between two civil dates.
func (s *Classes) Holidays(ctx context.Context, provinceID int64, from, to time.Time) ([]classes.Holiday, error) {
	var rows []holidayRow
	err := s.db.q(ctx).Where("province_id = ? AND day BETWEEN ? AND ?", provinceID, from, to).Order("day").Find(&rows).Error
	out := make([]classes.Holiday, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, translate("postgres.Holidays", err)
}

// CreateHoliday stores a day.
func (s *Classes) CreateHoliday(ctx context.Context, h *classes.Holiday) error {
	r := holidayRow{ProvinceID: h.ProvinceID, Day: h.Day, Name: h.Name, Source: h.Source}
	err := s.db.q(ctx).Create(&r).Error
	h.ID = r.ID
	return translate("postgres.CreateHoliday", err)
}

// Holiday reads one day.
func (s *Classes) Holiday(ctx context.Context, id int64) (classes.Holiday, error) {
	var r holidayRow
	err := s.db.q(ctx).Take(&r, id).Error
	return r.domain(), translate("postgres.Holiday", err)
}

// DeleteHoliday removes a day.
func (s *Classes) DeleteHoliday(ctx context.Context, id int64) error {
	err := s.db.q(ctx).Delete(&holidayRow{}, id).Error
	return translate("postgres.DeleteHoliday", err)
}
