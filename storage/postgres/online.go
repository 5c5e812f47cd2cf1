package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"densach/domain/attendance"
)

// Online keeps the online presence of learners in online sessions
// (migration 00028). It implements attendance.OnlineStore.
type Online struct{ db *DB }

// NewOnline returns the online presence store over the pool.
func NewOnline(db *DB) *Online { return &Online{db: db} }

var _ attendance.OnlineStore = (*Online)(nil)

// onlineOpensBefore is the window's opening before the start
// (attendance.OnlineOpensBefore), as SQL.
var onlineOpensBefore = fmt.Sprintf("make_interval(secs => %d)", int64(attendance.OnlineOpensBefore/time.Second))

// presenceColumns are the columns every statement answers, from the
// upserted or read row p joined with its session cs and enrolment e.
const presenceColumns = `p.session_id, p.enrolment_id, e.person_id, p.first_at, p.last_at, p.seconds, p.joined_at, p.completed_at,
	cs.starts_at, cs.ends_at, cs.mode = 'online', cs.status = 'cancelled',
	EXISTS (SELECT 1 FROM attendance_marks m WHERE m.session_id = p.session_id AND m.enrolment_id = p.enrolment_id)`

func scanPresence(rows *sql.Rows) ([]attendance.Presence, error) {
	defer rows.Close()
	var out []attendance.Presence
	for rows.Next() {
		var p attendance.Presence
		var joined, completed sql.NullTime
		if err := rows.Scan(&p.SessionID, &p.EnrolmentID, &p.PersonID, &p.FirstAt, &p.LastAt, &p.Seconds, &joined, &completed,
			&p.StartsAt, &p.EndsAt, &p.Online, &p.Cancelled, &p.Marked); err != nil {
			return nil, err
		}
		if joined.Valid {
			t := joined.Time
			p.JoinedAt = &t
		}
		if completed.Valid {
			t := completed.Time
			p.CompletedAt = &t
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// Seen implements attendance.OnlineStore in one statement: the online
// sessions of the enrolment's class whose window holds at, upserted.
func (s *Online) Seen(ctx context.Context, enrolmentID int64, at time.Time, completed bool, gap time.Duration) ([]attendance.Presence, error) {
	const op = "postgres.Online.Seen"
	rows, err := s.db.sql.QueryContext(detach(ctx), `WITH up AS (
			INSERT INTO online_presence AS p (session_id, enrolment_id, first_at, last_at, seconds, completed_at)
			SELECT cs.id, e.id, $2, $2, 0, CASE WHEN $3 THEN $2::timestamptz END
			FROM enrolments e JOIN class_sessions cs ON cs.class_id = e.class_id
			WHERE e.id = $1 AND e.status IN ('active', 'completed')
				AND cs.mode = 'online' AND cs.status = 'scheduled' AND cs.ends_at >= $2 AND cs.starts_at - `+onlineOpensBefore+` <= $2
			ON CONFLICT (session_id, enrolment_id) DO UPDATE SET
				last_at = GREATEST(p.last_at, EXCLUDED.last_at),
				seconds = p.seconds + LEAST(GREATEST(floor(extract(epoch FROM EXCLUDED.last_at - p.last_at)), 0), $4)::integer,
				completed_at = LEAST(p.completed_at, EXCLUDED.completed_at)
			RETURNING p.*
		)
		SELECT `+presenceColumns+`
		FROM up p JOIN class_sessions cs ON cs.id = p.session_id JOIN enrolments e ON e.id = p.enrolment_id
		ORDER BY p.session_id`, enrolmentID, at, completed, int(gap/time.Second))
	if err != nil {
		return nil, translate(op, err)
	}
	out, err := scanPresence(rows)
	return out, translate(op, err)
}

// Join implements attendance.OnlineStore.
func (s *Online) Join(ctx context.Context, sessionID, enrolmentID int64, at time.Time) (attendance.Presence, error) {
	const op = "postgres.Online.Join"
	rows, err := s.db.sql.QueryContext(detach(ctx), `WITH up AS (
			INSERT INTO online_presence AS p (session_id, enrolment_id, first_at, last_at, joined_at)
			VALUES ($1, $2, $3, $3, $3)
			ON CONFLICT (session_id, enrolment_id) DO UPDATE SET
				first_at = LEAST(p.first_at, EXCLUDED.first_at),
				last_at = GREATEST(p.last_at, EXCLUDED.last_at),
				joined_at = LEAST(p.joined_at, EXCLUDED.joined_at)
			RETURNING p.*
		)
		SELECT `+presenceColumns+`
		FROM up p JOIN class_sessions cs ON cs.id = p.session_id JOIN enrolments e ON e.id = p.enrolment_id`, sessionID, enrolmentID, at)
	if err != nil {
		return attendance.Presence{}, translate(op, err)
	}
	out, err := scanPresence(rows)
	if err != nil {
		return attendance.Presence{}, translate(op, err)
	}
	if len(out) != 1 {
		return attendance.Presence{}, translate(op, sql.ErrNoRows)
	}
	return out[0], nil
}

// Pending implements attendance.OnlineStore.
func (s *Online) Pending(ctx context.Context, since time.Time) ([]attendance.Presence, error) {
	const op = "postgres.Online.Pending"
	rows, err := s.db.sql.QueryContext(detach(ctx), `SELECT `+presenceColumns+`
		FROM online_presence p JOIN class_sessions cs ON cs.id = p.session_id JOIN enrolments e ON e.id = p.enrolment_id
		WHERE cs.starts_at >= $1 AND cs.status = 'scheduled' AND e.status IN ('active', 'completed')
			AND NOT EXISTS (SELECT 1 FROM attendance_marks m WHERE m.session_id = p.session_id AND m.enrolment_id = p.enrolment_id)
		ORDER BY p.session_id, p.enrolment_id`, since)
	if err != nil {
		return nil, translate(op, err)
	}
	out, err := scanPresence(rows)
	return out, translate(op, err)
}
