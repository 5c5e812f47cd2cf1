package postgres

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"densach/domain"
	"densach/domain/courses"
	"densach/domain/enrolments"
)

// Enrolments keeps enrolments, their events and their lessons' progress. It
// implements enrolments.Store.
type Enrolments struct{ db *DB }

// NewEnrolments returns the enrolment store over the pool.
func NewEnrolments(db *DB) *Enrolments { return &Enrolments{db: db} }

var _ enrolments.Store = (*Enrolments)(nil)

// enrolmentRow is one row of enrolments.
type enrolmentRow struct {
	ID              int64 `gorm:"primaryKey"`
	PersonID        int64
	CourseID        int64
	VersionID       int64
	ClassID         *int64
	Status          string
	Source          string
	EnrolledBy      int64
	EnrolledAt      time.Time `gorm:"->"`
	WaitlistedAt    *time.Time
	WithdrawnAt     *time.Time
	WithdrawnReason string
	CompletedAt     *time.Time
	UpdatedAt       time.Time `gorm:"->"`
}

func (enrolmentRow) TableName() string { return "enrolments" }

// enrolmentEventRow is one row of enrolment_events.
type enrolmentEventRow struct {
	ID          int64 `gorm:"primaryKey"`
	EnrolmentID int64
	At          time.Time `gorm:"->"`
	ByID        *int64
	Status      string
	Reason      string
}

func (enrolmentEventRow) TableName() string { return "enrolment_events" }

// lessonProgressRow is one row of lesson_progress, as read (watched as the
// multirange's text).
type lessonProgressRow struct {
	EnrolmentID   int64
	LessonKey     string
	LessonID      int64
	OpenedAt      time.Time
	LastAt        time.Time
	CompletedAt   *time.Time
	TimeSpentS    int
	LastPositionS int
	DurationS     *int
	Watched       string
	UpdatedAt     time.Time
}

func (lessonProgressRow) TableName() string { return "lesson_progress" }

func (r lessonProgressRow) domain() enrolments.State {
	s := enrolments.State{LessonKey: r.LessonKey, LessonID: r.LessonID, OpenedAt: r.OpenedAt.UTC(), LastAt: r.LastAt.UTC(),
		TimeSpentS: r.TimeSpentS, LastPositionS: r.LastPositionS, Watched: parseMultirange(r.Watched)}
	if r.CompletedAt != nil {
		t := r.CompletedAt.UTC()
		s.CompletedAt = &t
	}
	if r.DurationS != nil {
		s.DurationS = *r.DurationS
	}
	return s
}

// parseMultirange reads an int4multirange's text, "{[0,10),[20,30)}".
func parseMultirange(s string) []enrolments.Segment {
	s = strings.Trim(s, "{}")
	var out []enrolments.Segment
	for _, part := range strings.Split(s, ")") {
		part = strings.Trim(part, ",[ ")
		from, to, ok := strings.Cut(part, ",")
		if !ok {
			continue
		}
		f, err1 := strconv.Atoi(from)
		t, err2 := strconv.Atoi(to)
		if err1 == nil && err2 == nil {
			out = append(out, enrolments.Segment{From: f, To: t})
		}
	}
	return out
}

// multirange writes segments as an int4multirange's text.
func multirange(segs []enrolments.Segment) string {
	var b strings.Builder
	b.WriteByte('{')
	for i, s := range segs {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "[%d,%d)", s.From, s.To)
	}
	b.WriteByte('}')
	return b.String()
}

// enrolmentView is an enrolment with what pages show of it.
type enrolmentView struct {
	Row           enrolmentRow `gorm:"embedded"`
	PersonName    string
	CourseTitle   string
	VersionNumber *int
	ClassTitle    *string
}

func (v enrolmentView) domain() enrolments.Enrolment {
	r := v.Row
	e := enrolments.Enrolment{ID: r.ID, PersonID: r.PersonID, PersonName: v.PersonName, CourseID: r.CourseID, VersionID: r.VersionID,
		CourseTitle: v.CourseTitle, Status: enrolments.Status(r.Status), Source: enrolments.Source(r.Source), EnrolledBy: r.EnrolledBy,
		EnrolledAt: r.EnrolledAt.UTC(), WaitlistedAt: utcTime(r.WaitlistedAt), WithdrawnAt: utcTime(r.WithdrawnAt), WithdrawnReason: r.WithdrawnReason, CompletedAt: utcTime(r.CompletedAt)}
	if r.ClassID != nil {
		e.ClassID, e.ClassTitle = *r.ClassID, deref(v.ClassTitle)
	}
	if v.VersionNumber != nil {
		e.VersionNumber = *v.VersionNumber
	}
	return e
}

func utcTime(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

const (
	enrolmentCols = `SELECT e.*, p.full_name AS person_name, v.title AS course_title, v.number AS version_number, ec.title AS class_title`
	enrolmentFrom = ` FROM enrolments e JOIN people p ON p.id = e.person_id JOIN course_versions v ON v.id = e.version_id
		LEFT JOIN classes ec ON ec.id = e.class_id`
	// enrolmentSelect reads enrolments with what pages show of them.
	enrolmentSelect = enrolmentCols + enrolmentFrom
)

// Create stores a live enrolment and its first event.
func (s *Enrolments) Create(ctx context.Context, e *enrolments.Enrolment) error {
	return s.db.tx(ctx, "postgres.CreateEnrolment", func(tx *gorm.DB) error {
		r := enrolmentRow{PersonID: e.PersonID, CourseID: e.CourseID, VersionID: e.VersionID, ClassID: optionalID(e.ClassID),
			Status: string(e.Status), Source: string(e.Source), EnrolledBy: e.EnrolledBy}
		if err := tx.Create(&r).Error; err != nil {
			return err
		}
		e.ID = r.ID
		by := e.EnrolledBy
		return tx.Create(&enrolmentEventRow{EnrolmentID: r.ID, ByID: &by, Status: r.Status}).Error
	})
}

// Get reads one enrolment.
func (s *Enrolments) Get(ctx context.Context, id int64) (enrolments.Enrolment, error) {
	var r enrolmentView
	err := s.db.q(ctx).Raw(enrolmentSelect+` WHERE e.id = ?`, id).Take(&r).Error
	return r.domain(), translate("postgres.GetEnrolment", err)
}

// Withdraw withdraws a live enrolment and records the event.
func (s *Enrolments) Withdraw(ctx context.Context, id, by int64, reason string, at time.Time) error {
	return s.db.tx(ctx, "postgres.WithdrawEnrolment", func(tx *gorm.DB) error {
		// A class enrolment locks its class first (see rosters.go), then
		// frees its seat and promotes the waitlist in the same transaction.
		var classID *int64
		if err := tx.Raw(`SELECT class_id FROM enrolments WHERE id = ?`, id).Scan(&classID).Error; err != nil {
			return err
		}
		if classID != nil {
			if _, err := lockClass(tx, *classID); err != nil {
				return err
			}
		}
		res := tx.Model(&enrolmentRow{}).Where("id = ? AND status <> 'withdrawn'", id).
			Updates(map[string]any{"status": "withdrawn", "withdrawn_at": at, "withdrawn_reason": reason, "updated_at": at})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return domain.Fail(domain.CodeConflict, "enrolment_not_live", nil)
		}
		if err := tx.Create(&enrolmentEventRow{EnrolmentID: id, ByID: &by, Status: "withdrawn", Reason: reason}).Error; err != nil {
			return err
		}
		if classID != nil {
			_, err := promoteWaitlist(tx, *classID)
			return err
		}
		return nil
	})
}

// progressJoin adds an enrolment's course progress (alias s): counts over
// the required lessons of its version, or over all when none is required.
const progressJoin = ` LEFT JOIN LATERAL (
	SELECT count(*) FILTER (WHERE l.required) AS req_total,
	       count(*) FILTER (WHERE l.required AND lp.completed_at IS NOT NULL) AS req_done,
	       count(*) AS all_total,
	       count(*) FILTER (WHERE lp.completed_at IS NOT NULL) AS all_done,
	       max(lp.last_at) AS last_activity_at
	FROM lessons l LEFT JOIN lesson_progress lp ON lp.enrolment_id = e.id AND lp.lesson_key = l.key
	WHERE l.version_id = e.version_id) s ON true`

// progressCols are the columns progressJoin gives, with the percentage
// (rounded down, as enrolments.Percent).
const progressCols = `, CASE WHEN s.req_total > 0 THEN s.req_total ELSE s.all_total END AS required_total,
	CASE WHEN s.req_total > 0 THEN s.req_done ELSE s.all_done END AS required_done,
	CASE WHEN s.req_total > 0 THEN s.req_done * 100 / s.req_total
	     WHEN s.all_total > 0 THEN s.all_done * 100 / s.all_total ELSE 0 END AS percent,
	s.last_activity_at`

type enrolmentSummaryRow struct {
	View           enrolmentView `gorm:"embedded"`
	RequiredTotal  int
	RequiredDone   int
	Percent        int
	LastActivityAt *time.Time
	SortKey        []byte
	Score          *float64
}

func (r enrolmentSummaryRow) domain() enrolments.Summary {
	return enrolments.Summary{Enrolment: r.View.domain(), Percent: r.Percent, RequiredDone: r.RequiredDone,
		RequiredTotal: r.RequiredTotal, LastActivityAt: utcTime(r.LastActivityAt)}
}

// ByPerson lists a person's online enrolments (class_id NULL), newest
// first, with progress.
func (s *Enrolments) ByPerson(ctx context.Context, personID int64) ([]enrolments.Summary, error) {
	var rows []enrolmentSummaryRow
	sel := enrolmentCols + progressCols + enrolmentFrom
	err := s.db.q(ctx).Raw(sel+progressJoin+` WHERE e.person_id = ? AND e.class_id IS NULL ORDER BY e.enrolled_at DESC, e.id DESC`, personID).Scan(&rows).Error
	if err != nil {
		return nil, translate("postgres.EnrolmentsByPerson", err)
	}
	out := make([]enrolments.Summary, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, nil
}

type lessonRefRow struct {
	ID             int64
	Key            string
	ModuleID       int64
	ModuleTitle    string
	ModulePosition int
	Position       int
	Kind           string
	Title          string
	Required       bool
}

// Lessons lists a version's lessons in course order.
func (s *Enrolments) Lessons(ctx context.Context, versionID int64) ([]enrolments.LessonRef, error) {
	var rows []lessonRefRow
	err := s.db.q(ctx).Raw(`SELECT l.id, l.key, l.module_id, m.title AS module_title, m.position AS module_position, l.position, l.kind, l.title, l.required
		FROM lessons l JOIN course_modules m ON m.id = l.module_id WHERE l.version_id = ? ORDER BY m.position, l.position`, versionID).Scan(&rows).Error
	if err != nil {
		return nil, translate("postgres.VersionLessons", err)
	}
	out := make([]enrolments.LessonRef, len(rows))
	for i, r := range rows {
		out[i] = enrolments.LessonRef{ID: r.ID, Key: r.Key, ModuleID: r.ModuleID, ModuleTitle: r.ModuleTitle, ModulePosition: r.ModulePosition,
			Position: r.Position, Kind: courses.LessonKind(r.Kind), Title: r.Title, Required: r.Required}
	}
	return out, nil
}

const progressSelect = `SELECT enrolment_id, lesson_key, lesson_id, opened_at, last_at, completed_at, time_spent_s, last_position_s, duration_s, watched::text AS watched, updated_at FROM lesson_progress`

// Progress reads an enrolment's lesson progress.
func (s *Enrolments) Progress(ctx context.Context, enrolmentID int64) ([]enrolments.State, error) {
	var rows []lessonProgressRow
	if err := s.db.q(ctx).Raw(progressSelect+` WHERE enrolment_id = ? ORDER BY lesson_key`, enrolmentID).Scan(&rows).Error; err != nil {
		return nil, translate("postgres.Progress", err)
	}
	return progressStates(rows), nil
}

func progressStates(rows []lessonProgressRow) []enrolments.State {
	out := make([]enrolments.State, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out
}

// batchRow is one lesson of a batch as the upsert's JSON source reads it.
type batchRow struct {
	LessonKey     string     `json:"lesson_key"`
	LessonID      int64      `json:"lesson_id"`
	OpenedAt      time.Time  `json:"opened_at"`
	LastAt        time.Time  `json:"last_at"`
	CompletedAt   *time.Time `json:"completed_at"`
	TimeSpentS    int        `json:"time_spent_s"`
	LastPositionS int        `json:"last_position_s"`
	DurationS     *int       `json:"duration_s"`
	Watched       string     `json:"watched"`
}

// UpsertProgressSQL merges a batch (the JSON array $2, one element per
// lesson) into enrolment $1's progress in one statement; $3 is the video
// threshold. Nothing is written unless the enrolment is live (active or
// completed). Every SET is the merge of enrolments.Merge (and the INSERT
// branch enrolments.Start), so that replays and reordering change nothing.
// A video's duration is the only one kept, so a known duration marks a row
// whose completion comes from its played share.
const UpsertProgressSQL = `INSERT INTO lesson_progress AS p
	(enrolment_id, lesson_key, lesson_id, opened_at, last_at, completed_at, time_spent_s, last_position_s, duration_s, watched, updated_at)
SELECT $1, r.lesson_key, r.lesson_id, r.opened_at, r.last_at,
	LEAST(r.completed_at, CASE WHEN r.duration_s > 0 AND multirange_seconds(r.watched::int4multirange) >= $3::float8 * r.duration_s THEN r.last_at END),
	r.time_spent_s, LEAST(r.last_position_s, coalesce(r.duration_s, r.last_position_s)), r.duration_s, r.watched::int4multirange, now()
FROM jsonb_to_recordset($2::jsonb) AS r(lesson_key uuid, lesson_id bigint, opened_at timestamptz, last_at timestamptz,
	completed_at timestamptz, time_spent_s integer, last_position_s integer, duration_s integer, watched text)
WHERE EXISTS (SELECT 1 FROM enrolments e WHERE e.id = $1 AND e.status IN ('active', 'completed'))
ON CONFLICT (enrolment_id, lesson_key) DO UPDATE SET
	lesson_id = EXCLUDED.lesson_id,
	opened_at = LEAST(p.opened_at, EXCLUDED.opened_at),
	last_at = GREATEST(p.last_at, EXCLUDED.last_at),
	last_position_s = LEAST(CASE WHEN EXCLUDED.last_at > p.last_at THEN EXCLUDED.last_position_s
	                             WHEN EXCLUDED.last_at < p.last_at THEN p.last_position_s
	                             ELSE GREATEST(p.last_position_s, EXCLUDED.last_position_s) END,
	                        coalesce(GREATEST(p.duration_s, EXCLUDED.duration_s), 2147483647)),
	time_spent_s = GREATEST(p.time_spent_s, EXCLUDED.time_spent_s),
	duration_s = GREATEST(p.duration_s, EXCLUDED.duration_s),
	watched = p.watched + EXCLUDED.watched,
	completed_at = LEAST(p.completed_at, EXCLUDED.completed_at,
		CASE WHEN GREATEST(p.duration_s, EXCLUDED.duration_s) > 0
		      AND multirange_seconds(p.watched + EXCLUDED.watched) >= $3::float8 * GREATEST(p.duration_s, EXCLUDED.duration_s)
		     THEN GREATEST(p.last_at, EXCLUDED.last_at) END),
	updated_at = now()
RETURNING enrolment_id, lesson_key, lesson_id, opened_at, last_at, completed_at, time_spent_s, last_position_s, duration_s, watched::text AS watched, updated_at`

// ProgressBatchJSON is the JSON source of UpsertProgressSQL for a batch.
func ProgressBatchJSON(batch []enrolments.State) ([]byte, error) {
	rows := make([]batchRow, len(batch))
	for i, b := range batch {
		rows[i] = batchRow{LessonKey: b.LessonKey, LessonID: b.LessonID, OpenedAt: b.OpenedAt, LastAt: b.LastAt, CompletedAt: b.CompletedAt,
			TimeSpentS: b.TimeSpentS, LastPositionS: b.LastPositionS, Watched: multirange(enrolments.Union(b.Watched))}
		if b.DurationS > 0 {
			d := b.DurationS
			rows[i].DurationS = &d
		}
	}
	return json.Marshal(rows)
}

// Record merges one batch into the enrolment's progress in one statement.
func (s *Enrolments) Record(ctx context.Context, enrolmentID int64, batch []enrolments.State, threshold float64) ([]enrolments.State, error) {
	src, err := ProgressBatchJSON(batch)
	if err != nil {
		return nil, err
	}
	// database/sql directly, not GORM: this is the heartbeat's one
	// statement, and GORM's statement building and reflection cost as much
	// as the driver's round trip. The slow-query log still sees it.
	begin := time.Now()
	rs, err := s.db.sql.QueryContext(detach(ctx), UpsertProgressSQL, enrolmentID, string(src), threshold)
	if err != nil {
		return nil, translate("postgres.RecordProgress", err)
	}
	defer rs.Close()
	var rows []lessonProgressRow
	for rs.Next() {
		var r lessonProgressRow
		if err := rs.Scan(&r.EnrolmentID, &r.LessonKey, &r.LessonID, &r.OpenedAt, &r.LastAt, &r.CompletedAt, &r.TimeSpentS,
			&r.LastPositionS, &r.DurationS, &r.Watched, &r.UpdatedAt); err != nil {
			return nil, translate("postgres.RecordProgress", err)
		}
		rows = append(rows, r)
	}
	if err := rs.Err(); err != nil {
		return nil, translate("postgres.RecordProgress", err)
	}
	s.db.gorm.Logger.Trace(ctx, begin, func() (string, int64) { return UpsertProgressSQL, int64(len(rows)) }, nil)
	return progressStates(rows), nil
}

// learnerKeys are the sort keys of the learners' list: the expression and
// how a cursor's text compares with it.
var learnerKeys = map[enrolments.LearnerSort]struct{ expr, param string }{
	enrolments.SortName:     {"p.sort_key", "decode(?, 'hex')"},
	enrolments.SortProgress: {"percent", "?::integer"},
	enrolments.SortEnrolled: {"e.enrolled_at", "?::timestamptz"},
	enrolments.SortActivity: {"coalesce(s.last_activity_at, '-infinity')", "?::timestamptz"},
	enrolments.SortScore:    {"coalesce(score, -1)", "?::numeric"},
}

// scoreJoin adds an enrolment's quiz score (alias q): the mean of the best
// submitted score of each quiz lesson attempted.
const scoreJoin = ` LEFT JOIN LATERAL (
	SELECT round(avg(b.best), 2) AS score FROM (
		SELECT max(a.score) AS best FROM quiz_attempts a
		WHERE a.enrolment_id = e.id AND a.submitted_at IS NOT NULL GROUP BY a.lesson_id) b) q ON true`

type quizScoreRow struct {
	EnrolmentID int64
	LessonKey   string
	Attempts    int
	Best        float64
	Latest      float64
	Passed      bool
}

// quizScores reads the learners' results per quiz lesson (by key, so that
// attempts in older versions count), keyed by enrolment.
func (s *Enrolments) quizScores(ctx context.Context, ids []int64) (map[int64][]enrolments.QuizScore, error) {
	out := map[int64][]enrolments.QuizScore{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []quizScoreRow
	err := s.db.q(ctx).Raw(`SELECT a.enrolment_id, l.key AS lesson_key, count(*) AS attempts, max(a.score) AS best,
		(array_agg(a.score ORDER BY a.submitted_at DESC, a.id DESC))[1] AS latest, bool_or(a.passed) AS passed
		FROM quiz_attempts a JOIN lessons l ON l.id = a.lesson_id
		WHERE a.enrolment_id IN ? AND a.submitted_at IS NOT NULL
		GROUP BY a.enrolment_id, l.key ORDER BY a.enrolment_id, l.key`, ids).Scan(&rows).Error
	if err != nil {
		return nil, translate("postgres.QuizScores", err)
	}
	for _, r := range rows {
		out[r.EnrolmentID] = append(out[r.EnrolmentID], enrolments.QuizScore{LessonKey: r.LessonKey, Best: r.Best, Latest: r.Latest,
			Attempts: r.Attempts, Passed: r.Passed})
	}
	return out, nil
}

// quizLessons lists the quiz lessons of the course's published version.
func (s *Enrolments) quizLessons(ctx context.Context, courseID int64) ([]enrolments.QuizLesson, error) {
	var rows []enrolments.QuizLesson
	err := s.db.q(ctx).Raw(`SELECT l.key, l.title FROM lessons l JOIN course_modules m ON m.id = l.module_id
		JOIN courses c ON c.published_version_id = l.version_id
		WHERE c.id = ? AND l.kind = 'quiz' ORDER BY m.position, l.position`, courseID).Scan(&rows).Error
	return rows, translate("postgres.QuizLessons", err)
}

// Learners lists a course's enrolments with progress, in keyset pages.
func (s *Enrolments) Learners(ctx context.Context, courseID int64, f enrolments.LearnerFilter) (enrolments.LearnerPage, error) {
	k := learnerKeys[f.Sort]
	sel := enrolmentCols + progressCols + `, p.sort_key, q.score` + enrolmentFrom
	inner := sel + progressJoin + scoreJoin + ` WHERE e.course_id = ?`
	args := []any{courseID}
	if f.Status == "" {
		// The course's learners: seated (active, completed), not those
		// withdrawn or still waiting for a seat in a class.
		inner += ` AND e.status IN ('active', 'completed')`
	} else {
		inner += ` AND e.status = ?`
		args = append(args, string(f.Status))
	}
	expr := strings.ReplaceAll(k.expr, "s.last_activity_at", "last_activity_at")
	expr = strings.ReplaceAll(expr, "p.sort_key", "sort_key")
	expr = strings.ReplaceAll(expr, "e.enrolled_at", "enrolled_at")
	q := `SELECT * FROM (` + inner + `) q`
	dir, cmp := "ASC", ">"
	if f.Desc {
		dir, cmp = "DESC", "<"
	}
	if f.After != nil {
		q += fmt.Sprintf(` WHERE (%s, id) %s (%s, ?)`, expr, cmp, k.param)
		args = append(args, f.After.Key, f.After.ID)
	}
	q += fmt.Sprintf(` ORDER BY %s %s, id %s LIMIT ?`, expr, dir, dir)
	args = append(args, f.Limit+1)
	var rows []enrolmentSummaryRow
	if err := s.db.q(ctx).Raw(q, args...).Scan(&rows).Error; err != nil {
		return enrolments.LearnerPage{}, translate("postgres.Learners", err)
	}
	var page enrolments.LearnerPage
	var ids []int64
	for i, r := range rows {
		if i == f.Limit {
			last := rows[i-1]
			page.Next = &enrolments.LearnerCursor{ID: last.View.Row.ID, Key: learnerCursorKey(f.Sort, last)}
			break
		}
		page.Items = append(page.Items, enrolments.Learner{Summary: r.domain(), Score: r.Score})
		ids = append(ids, r.View.Row.ID)
	}
	scores, err := s.quizScores(ctx, ids)
	if err != nil {
		return enrolments.LearnerPage{}, err
	}
	for i := range page.Items {
		page.Items[i].Quizzes = scores[page.Items[i].ID]
	}
	page.QuizLessons, err = s.quizLessons(ctx, courseID)
	return page, err
}

func learnerCursorKey(sort enrolments.LearnerSort, r enrolmentSummaryRow) string {
	switch sort {
	case enrolments.SortProgress:
		return strconv.Itoa(r.Percent)
	case enrolments.SortEnrolled:
		return r.View.Row.EnrolledAt.UTC().Format(time.RFC3339Nano)
	case enrolments.SortActivity:
		if r.LastActivityAt == nil {
			return "-infinity"
		}
		return r.LastActivityAt.UTC().Format(time.RFC3339Nano)
	case enrolments.SortScore:
		if r.Score == nil {
			return "-1"
		}
		return strconv.FormatFloat(*r.Score, 'f', -1, 64)
	}
	return hex.EncodeToString(r.SortKey)
}
