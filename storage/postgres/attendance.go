package postgres

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm"

	"densach/domain"
	"densach/domain/attendance"
)

// Attendance keeps marks, their history and the centres' weights. It
// implements attendance.Store.
type Attendance struct{ db *DB }

// NewAttendance returns the attendance store over the pool.
func NewAttendance(db *DB) *Attendance { return &Attendance{db: db} }

var _ attendance.Store = (*Attendance)(nil)

// MarkBatchSQL applies a batch (migrations 00025, 00027, 00029, 00031): one
// statement, the idempotency key's read and its stored answer included.
const MarkBatchSQL = `SELECT attendance_mark_batch($1, $2::json, $3, $4::bigint[], $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`

type batchRowJSON struct {
	PersonID int64  `json:"person_id"`
	Status   string `json:"status"`
	Note     string `json:"note"`
	Version  int    `json:"version"`
}

// writtenJSON is what every row the statement wrote shares.
type writtenJSON struct {
	Source       string    `json:"source"`
	MarkedBy     *int64    `json:"marked_by"`
	MarkedByName *string   `json:"marked_by_name"` // not in 00029's answers
	MarkedAt     time.Time `json:"marked_at"`
	Device       string    `json:"device"`
}

// mark is a written row's mark: its status and note from the request.
func (w writtenJSON) mark(m attendance.Mark) attendance.Mark {
	m.Source, m.MarkedBy, m.MarkedByName, m.MarkedAt, m.Device = attendance.Source(w.Source), deref(w.MarkedBy), deref(w.MarkedByName),
		w.MarkedAt.UTC(), w.Device
	return m
}

// batchHeadJSON is what every answer of the statement starts with: the
// session's facts, the verdict and what the written rows share.
type batchHeadJSON struct {
	Found    bool        `json:"found"`
	ClassID  int64       `json:"class_id"`
	CentreID int64       `json:"centre_id"`
	Status   string      `json:"status"`
	StartsAt time.Time   `json:"starts_at"`
	Allowed  bool        `json:"allowed"`
	Applied  bool        `json:"applied"`
	Written  writtenJSON `json:"written"`
}

func (h *batchHeadJSON) applied() attendance.Applied {
	return attendance.Applied{Found: h.Found, ClassID: h.ClassID, CentreID: h.CentreID, Cancelled: h.Status == "cancelled",
		StartsAt: h.StartsAt.UTC(), Allowed: h.Allowed, Applied: h.Applied}
}

// batchV2JSON is the statement's compact answer (migration 00031; stored
// for replay as application/vnd.densach.attendance-batch.v2+json): one
// row per batch row, in order, with only what the request does not carry.
type batchV2JSON struct {
	batchHeadJSON
	Rows []struct {
		// Outcome is empty for a row the statement wrote (changed): its
		// status and note are the batch row's, its source, author, time
		// and device Written's.
		Outcome     string `json:"o"`
		EnrolmentID int64  `json:"e"` // 0: not enrolled
		Version     int    `json:"v"`
		// The learner's mark, when MarkedAt is set (a row not written).
		Source       string     `json:"s"`
		MarkedBy     *int64     `json:"b"`
		MarkedByName *string    `json:"bn"`
		MarkedAt     *time.Time `json:"t"`
		Device       string     `json:"d"`
		// The mark's status and note when they are not the batch row's
		// (not unchanged).
		Status *string `json:"st"`
		Note   *string `json:"nt"`
	} `json:"rows"`
}

// batchV1JSON is 00029's answer, still replayed from keys it completed
// (application/vnd.densach.attendance-batch+json).
type batchV1JSON struct {
	batchHeadJSON
	Rows []struct {
		PersonID    int64      `json:"person_id"`
		EnrolmentID *int64     `json:"enrolment_id"`
		Status      *string    `json:"status"`
		Note        *string    `json:"note"`
		Version     int        `json:"version"`
		Source      *string    `json:"source"`
		MarkedBy    *int64     `json:"marked_by"`
		MarkedAt    *time.Time `json:"marked_at"`
		Device      *string    `json:"device"`
		Outcome     string     `json:"outcome"`
		Written     bool       `json:"written"` // source, author, time and device are Written's
	} `json:"rows"`
}

// batchAnswerJSON is the function's answer: the batch's (batchV2JSON), or
// under an idempotency claim the answer stored under the key (replayed;
// replayed_v1 when 00029 stored it) or the key's state (held).
type batchAnswerJSON struct {
	batchV2JSON
	Replayed   *batchV2JSON `json:"replayed"`
	ReplayedV1 *batchV1JSON `json:"replayed_v1"`
	Held       *struct {
		State       string `json:"state"`
		Fingerprint string `json:"fingerprint"` // hex
	} `json:"held"`
}

// ApplyBatch implements attendance.Store in one statement (one round trip,
// one transaction). database/sql directly, not GORM: GORM's statement
// building costs as much as the round trip; the slow-query log still sees
// the statement. Under an idempotency claim the statement locks the
// session row first, then reads the key (a key's path names its session,
// so the lock serializes the requests of one key): a stored answer is
// replayed, a key held otherwise is answered as held, and an applied batch
// stores its answer under the key in the same statement (migration 00031).
// The answer is compact: a written row carries its enrolment and new
// version, its status and note are the request row's (a replay's request
// is the same, its fingerprint says so), the source, author, time and
// device of the written rows come once; the marks are rebuilt here.
func (s *Attendance) ApplyBatch(ctx context.Context, r attendance.BatchRequest) (attendance.Applied, error) {
	const op = "postgres.ApplyBatch"
	rows := make([]batchRowJSON, len(r.Rows))
	for i, m := range r.Rows {
		rows[i] = batchRowJSON{PersonID: m.PersonID, Status: string(m.Status), Note: m.Note, Version: m.Version}
	}
	src, err := json.Marshal(rows)
	if err != nil {
		return attendance.Applied{}, domain.Wrap(op, domain.CodeInternal, err)
	}
	var keyAccount *int64
	var keyMethod, keyPath, key *string
	var keyFP []byte
	var keyTTL, keyLease *float64
	if c, ok := domain.IdempotencyClaimFrom(ctx); ok {
		ttl, lease := domain.IdempotencyTTL.Seconds(), c.Lease.Seconds()
		keyAccount, keyMethod, keyPath, key = &c.Key.AccountID, &c.Key.Method, &c.Key.Path, &c.Key.Key
		keyFP, keyTTL, keyLease = c.Fingerprint, &ttl, &lease
	} else if k, ok := domain.IdempotencyKeyFrom(ctx); ok {
		keyAccount, keyMethod, keyPath, key = &k.AccountID, &k.Method, &k.Path, &k.Key
	}
	centres := r.Authority.CentreIDs
	if centres == nil {
		centres = []int64{}
	}
	begin := time.Now()
	var raw []byte
	err = s.db.sql.QueryRowContext(detach(ctx), MarkBatchSQL, r.SessionID, string(src), r.Authority.All, pgArray(centres), r.Authority.PersonID,
		r.Until, string(r.Source), r.Device, keyAccount, keyMethod, keyPath, key, keyFP, keyTTL, keyLease).Scan(&raw)
	if err != nil {
		return attendance.Applied{}, translate(op, err)
	}
	s.db.gorm.Logger.Trace(ctx, begin, func() (string, int64) { return MarkBatchSQL, int64(len(rows)) }, nil)
	var ans batchAnswerJSON
	if err := json.Unmarshal(raw, &ans); err != nil {
		return attendance.Applied{}, domain.Wrap(op, domain.CodeInternal, err)
	}
	switch {
	case ans.Held != nil:
		fp, err := hex.DecodeString(ans.Held.Fingerprint)
		if err != nil {
			return attendance.Applied{}, domain.Wrap(op, domain.CodeInternal, err)
		}
		return attendance.Applied{Held: &domain.IdempotencyRecord{Fingerprint: fp, State: domain.IdempotencyState(ans.Held.State)}}, nil
	case ans.ReplayedV1 != nil:
		out := ans.ReplayedV1.applied(r.SessionID)
		out.Replayed = true
		return out, nil
	case ans.Replayed != nil:
		out, err := ans.Replayed.applied(r)
		out.Replayed = true
		return out, wrapInternal(op, err)
	}
	out, err := ans.batchV2JSON.applied(r)
	return out, wrapInternal(op, err)
}

func wrapInternal(op string, err error) error {
	if err == nil {
		return nil
	}
	return domain.Wrap(op, domain.CodeInternal, err)
}

// applied rebuilds the batch's rows from the compact answer and the
// request's rows.
func (a *batchV2JSON) applied(r attendance.BatchRequest) (attendance.Applied, error) {
	out := a.batchHeadJSON.applied()
	if !a.Found {
		return out, nil
	}
	if len(a.Rows) != len(r.Rows) {
		return attendance.Applied{}, fmt.Errorf("answer of %d rows to a batch of %d", len(a.Rows), len(r.Rows))
	}
	out.Rows = make([]attendance.BatchRow, len(a.Rows))
	marks := make([]attendance.Mark, len(a.Rows)) // one allocation for the rows' marks
	for i, x := range a.Rows {
		in := r.Rows[i]
		br := attendance.BatchRow{PersonID: in.PersonID, EnrolmentID: x.EnrolmentID, Outcome: x.Outcome}
		m := attendance.Mark{SessionID: r.SessionID, EnrolmentID: x.EnrolmentID, PersonID: in.PersonID, Status: in.Status, Note: in.Note,
			Version: x.Version}
		switch {
		case x.Outcome == "":
			br.Outcome = attendance.OutcomeChanged
			marks[i] = a.Written.mark(m)
			br.Mark = &marks[i]
		case x.MarkedAt != nil:
			m.Source, m.MarkedBy, m.MarkedByName, m.MarkedAt, m.Device = attendance.Source(x.Source), deref(x.MarkedBy), deref(x.MarkedByName),
				x.MarkedAt.UTC(), x.Device
			if x.Status != nil {
				m.Status = attendance.Status(*x.Status)
			}
			if x.Note != nil {
				m.Note = *x.Note
			}
			marks[i] = m
			br.Mark = &marks[i]
		}
		out.Rows[i] = br
	}
	return out, nil
}

// applied is 00029's answer as the batch's rows.
func (a *batchV1JSON) applied(sessionID int64) attendance.Applied {
	out := a.batchHeadJSON.applied()
	out.Rows = make([]attendance.BatchRow, len(a.Rows))
	for i, x := range a.Rows {
		br := attendance.BatchRow{PersonID: x.PersonID, EnrolmentID: deref(x.EnrolmentID), Outcome: x.Outcome}
		if x.Status != nil {
			m := attendance.Mark{SessionID: sessionID, EnrolmentID: br.EnrolmentID, PersonID: x.PersonID, Status: attendance.Status(*x.Status),
				Note: deref(x.Note), Version: x.Version, Source: attendance.Source(deref(x.Source)), MarkedBy: deref(x.MarkedBy),
				Device: deref(x.Device)}
			if x.MarkedAt != nil {
				m.MarkedAt = x.MarkedAt.UTC()
			}
			if x.Written {
				m = a.Written.mark(m)
			}
			br.Mark = &m
		}
		out.Rows[i] = br
	}
	return out
}

// Learners implements attendance.Store.
func (s *Attendance) Learners(ctx context.Context, classID, personID int64) ([]attendance.Learner, error) {
	var rows []struct {
		EnrolmentID int64
		PersonID    int64
		Name        string
		Status      string
	}
	err := s.db.q(ctx).Raw(`SELECT e.id AS enrolment_id, e.person_id, p.full_name AS name, e.status
		FROM enrolments e JOIN people p ON p.id = e.person_id
		WHERE e.class_id = ? AND e.status IN ('active', 'completed') AND (? = 0 OR e.person_id = ?)
		ORDER BY p.sort_key, p.id`, classID, personID, personID).Scan(&rows).Error
	out := make([]attendance.Learner, len(rows))
	for i, r := range rows {
		out[i] = attendance.Learner{EnrolmentID: r.EnrolmentID, PersonID: r.PersonID, Name: r.Name, Status: r.Status}
	}
	return out, translate("postgres.AttendanceLearners", err)
}

type markRow struct {
	SessionID    int64
	EnrolmentID  int64
	PersonID     int64
	Status       string
	Note         string
	Source       string
	Version      int
	MarkedBy     *int64
	MarkedByName *string
	MarkedAt     time.Time
	Device       string
}

func (r markRow) domain() attendance.Mark {
	m := attendance.Mark{SessionID: r.SessionID, EnrolmentID: r.EnrolmentID, PersonID: r.PersonID, Status: attendance.Status(r.Status),
		Note: r.Note, Source: attendance.Source(r.Source), Version: r.Version, MarkedAt: r.MarkedAt.UTC(), Device: r.Device}
	if r.MarkedBy != nil {
		m.MarkedBy = *r.MarkedBy
	}
	if r.MarkedByName != nil {
		m.MarkedByName = *r.MarkedByName
	}
	return m
}

// Marks implements attendance.Store: the marks of live enrolments only.
func (s *Attendance) Marks(ctx context.Context, classID, sessionID, personID int64) ([]attendance.Mark, error) {
	var rows []markRow
	err := s.db.q(ctx).Raw(`SELECT m.session_id, m.enrolment_id, m.person_id, m.status, m.note, m.source, m.version, m.marked_by,
			b.full_name AS marked_by_name, m.marked_at, m.device
		FROM attendance_marks m JOIN class_sessions cs ON cs.id = m.session_id
		JOIN enrolments e ON e.id = m.enrolment_id AND e.status IN ('active', 'completed')
		LEFT JOIN people b ON b.id = m.marked_by
		WHERE cs.class_id = ? AND (?::bigint = 0 OR m.session_id = ?) AND (?::bigint = 0 OR m.person_id = ?)
		ORDER BY cs.starts_at, m.session_id, m.enrolment_id`, classID, sessionID, sessionID, personID, personID).Scan(&rows).Error
	out := make([]attendance.Mark, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, translate("postgres.AttendanceMarks", err)
}

// History implements attendance.Store.
func (s *Attendance) History(ctx context.Context, sessionID, personID int64) ([]attendance.Event, error) {
	var rows []struct {
		ID          int64
		SessionID   int64
		EnrolmentID int64
		PersonID    int64
		Version     int
		FromStatus  *string
		ToStatus    string
		FromNote    *string
		ToNote      string
		Source      string
		ByID        *int64
		ByName      *string
		At          time.Time
		Device      string
	}
	err := s.db.q(ctx).Raw(`SELECT ev.id, ev.session_id, ev.enrolment_id, e.person_id, ev.version, ev.from_status, ev.to_status,
			ev.from_note, ev.to_note, ev.source, ev.by_id, b.full_name AS by_name, ev.at, ev.device
		FROM attendance_events ev JOIN enrolments e ON e.id = ev.enrolment_id LEFT JOIN people b ON b.id = ev.by_id
		WHERE ev.session_id = ? AND (?::bigint = 0 OR e.person_id = ?)
		ORDER BY ev.id LIMIT 5000`, sessionID, personID, personID).Scan(&rows).Error
	out := make([]attendance.Event, len(rows))
	for i, r := range rows {
		ev := attendance.Event{ID: r.ID, SessionID: r.SessionID, EnrolmentID: r.EnrolmentID, PersonID: r.PersonID, Version: r.Version,
			ToStatus: attendance.Status(r.ToStatus), ToNote: r.ToNote, Source: attendance.Source(r.Source), At: r.At.UTC(), Device: r.Device}
		if r.FromStatus != nil {
			ev.FromStatus = attendance.Status(*r.FromStatus)
		}
		if r.FromNote != nil {
			ev.FromNote = *r.FromNote
		}
		if r.ByID != nil {
			ev.ByID = *r.ByID
		}
		if r.ByName != nil {
			ev.ByName = *r.ByName
		}
		out[i] = ev
	}
	return out, translate("postgres.AttendanceHistory", err)
}

// Weights implements attendance.Store.
func (s *Attendance) Weights(ctx context.Context, centreID int64) (attendance.Weights, error) {
	var rows []struct{ Present, Late, Excused, Absent float64 }
	err := s.db.q(ctx).Raw(`SELECT present::float8 AS present, late::float8 AS late, excused::float8 AS excused, absent::float8 AS absent
		FROM attendance_weights WHERE centre_id = ?`, centreID).Scan(&rows).Error
	if err != nil || len(rows) == 0 {
		return attendance.DefaultWeights, translate("postgres.AttendanceWeights", err)
	}
	r := rows[0]
	return attendance.Weights{Present: r.Present, Late: r.Late, Excused: r.Excused, Absent: r.Absent}, nil
}

// SetWeights implements attendance.Store.
func (s *Attendance) SetWeights(ctx context.Context, centreID int64, w attendance.Weights, by int64) error {
	return s.db.tx(ctx, "postgres.SetAttendanceWeights", func(tx *gorm.DB) error {
		return tx.Exec(`INSERT INTO attendance_weights (centre_id, present, late, excused, absent, updated_by, updated_at)
			VALUES (?, round(?::numeric, 2), round(?::numeric, 2), round(?::numeric, 2), round(?::numeric, 2), ?, now())
			ON CONFLICT (centre_id) DO UPDATE SET present = EXCLUDED.present, late = EXCLUDED.late, excused = EXCLUDED.excused,
				absent = EXCLUDED.absent, updated_by = EXCLUDED.updated_by, updated_at = now()`,
			centreID, w.Present, w.Late, w.Excused, w.Absent, by).Error
	})
}

// LearnerClasses implements attendance.Store.
func (s *Attendance) LearnerClasses(ctx context.Context, personID int64) ([]int64, error) {
	var ids []int64
	err := s.db.q(ctx).Raw(`SELECT e.class_id FROM enrolments e JOIN classes c ON c.id = e.class_id
		WHERE e.person_id = ? AND e.status IN ('active', 'completed') ORDER BY c.starts_on DESC, c.id`, personID).Scan(&ids).Error
	return ids, translate("postgres.LearnerClasses", err)
}

// RegisterHeading implements attendance.HeadingReader: the class's centre,
// its commune (or ward) and province, and the title of the course version
// the class teaches.
func (s *Attendance) RegisterHeading(ctx context.Context, classID int64) (attendance.Heading, error) {
	var r struct {
		CentreName   string
		CommuneName  string
		CommuneKind  string
		ProvinceName string
		CourseTitle  string
	}
	res := s.db.q(ctx).Raw(`SELECT ce.name AS centre_name, cu.name AS commune_name, cu.kind AS commune_kind,
			coalesce(pu.name, '') AS province_name, v.title AS course_title
		FROM classes c JOIN centres ce ON ce.id = c.centre_id JOIN units cu ON cu.id = ce.unit_id
		LEFT JOIN units pu ON pu.id = cu.parent_id JOIN course_versions v ON v.id = c.version_id
		WHERE c.id = ?`, classID).Scan(&r)
	if res.Error != nil {
		return attendance.Heading{}, translate("postgres.RegisterHeading", res.Error)
	}
	if res.RowsAffected == 0 {
		return attendance.Heading{}, domain.Fail(domain.CodeNotFound, "class_not_found", nil)
	}
	return attendance.Heading{CentreName: r.CentreName, CommuneName: r.CommuneName, CommuneKind: r.CommuneKind,
		ProvinceName: r.ProvinceName, CourseTitle: r.CourseTitle}, nil
}
