package postgres

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"time"

	"densach/domain/attendance"
)

// Checkins keeps the sessions' check-in secrets and the check-in attempts
// (migration 00026). It implements attendance.CheckinStore.
type Checkins struct{ db *DB }

// NewCheckins returns the check-in store over the pool.
func NewCheckins(db *DB) *Checkins { return &Checkins{db: db} }

var _ attendance.CheckinStore = (*Checkins)(nil)

// CheckinKey implements attendance.CheckinStore: read, else insert (a
// concurrent first insert wins and is read back by a new statement).
func (s *Checkins) CheckinKey(ctx context.Context, sessionID int64, fresh []byte, by int64) ([]byte, error) {
	const op = "postgres.CheckinKey"
	read := func() ([]byte, error) {
		var secret []byte
		err := s.db.sql.QueryRowContext(detach(ctx), `SELECT secret FROM checkin_keys WHERE session_id = $1`, sessionID).Scan(&secret)
		return secret, err
	}
	secret, err := read()
	if err == nil {
		return secret, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return nil, translate(op, err)
	}
	var byID *int64
	if by != 0 {
		byID = &by
	}
	err = s.db.sql.QueryRowContext(detach(ctx), `INSERT INTO checkin_keys (session_id, secret, created_by) VALUES ($1, $2, $3)
		ON CONFLICT (session_id) DO NOTHING RETURNING secret`, sessionID, fresh, byID).Scan(&secret)
	if errors.Is(err, sql.ErrNoRows) {
		secret, err = read()
	}
	if err != nil {
		return nil, translate(op, err)
	}
	// Old attempt windows go as sessions open (rarely, off the learners'
	// path).
	if _, err := s.db.sql.ExecContext(detach(ctx), `DELETE FROM checkin_attempts WHERE window_start < now() - interval '1 day'`); err != nil {
		return nil, translate(op, err)
	}
	return secret, nil
}

// OpenCheckins implements attendance.CheckinStore.
func (s *Checkins) OpenCheckins(ctx context.Context, personID int64, startsBefore, endsAfter time.Time) ([]attendance.OpenCheckin, error) {
	const op = "postgres.OpenCheckins"
	rows, err := s.db.sql.QueryContext(detach(ctx), `SELECT cs.id, cs.class_id, cs.starts_at, cs.ends_at, k.secret,
			EXISTS (SELECT 1 FROM enrolments e WHERE e.class_id = cs.class_id AND e.person_id = $1 AND e.status = 'active')
		FROM checkin_keys k JOIN class_sessions cs ON cs.id = k.session_id
		WHERE k.created_at > $3::timestamptz - interval '2 days' AND cs.status = 'scheduled' AND cs.starts_at <= $2 AND cs.ends_at >= $3
		ORDER BY cs.id`, personID, startsBefore, endsAfter)
	if err != nil {
		return nil, translate(op, err)
	}
	defer rows.Close()
	var out []attendance.OpenCheckin
	for rows.Next() {
		var o attendance.OpenCheckin
		if err := rows.Scan(&o.SessionID, &o.ClassID, &o.StartsAt, &o.EndsAt, &o.Secret, &o.Enrolled); err != nil {
			return nil, translate(op, err)
		}
		o.StartsAt, o.EndsAt = o.StartsAt.UTC(), o.EndsAt.UTC()
		out = append(out, o)
	}
	return out, translate(op, rows.Err())
}

// CountAttempt implements attendance.CheckinStore in one statement: an
// upsert per subject (the person, then the sessions in id order, so that
// concurrent attempts lock rows in one order), returning the counts.
func (s *Checkins) CountAttempt(ctx context.Context, window time.Time, personID int64, sessionIDs []int64) (int, int, error) {
	ids := slices.Sorted(slices.Values(sessionIDs))
	if ids == nil {
		ids = []int64{}
	}
	var person, session int
	err := s.db.sql.QueryRowContext(detach(ctx), `WITH subjects AS (
			SELECT 0 AS n, 'person' AS scope, $2::bigint AS subject_id
			UNION ALL SELECT 1, 'session', x FROM unnest($3::bigint[]) AS x
		), up AS (
			INSERT INTO checkin_attempts AS a (scope, subject_id, window_start, attempts)
			SELECT scope, subject_id, $1, 1 FROM subjects ORDER BY n, subject_id
			ON CONFLICT (scope, subject_id, window_start) DO UPDATE SET attempts = a.attempts + 1
			RETURNING a.scope, a.attempts
		)
		SELECT coalesce(max(attempts) FILTER (WHERE scope = 'person'), 0), coalesce(max(attempts) FILTER (WHERE scope = 'session'), 0) FROM up`,
		window, personID, pgArray(ids)).Scan(&person, &session)
	return person, session, translate("postgres.CountAttempt", err)
}

// ReleaseAttempt implements attendance.CheckinStore.
func (s *Checkins) ReleaseAttempt(ctx context.Context, window time.Time, personID int64, sessionIDs []int64) error {
	ids := sessionIDs
	if ids == nil {
		ids = []int64{}
	}
	_, err := s.db.sql.ExecContext(detach(ctx), `UPDATE checkin_attempts SET attempts = attempts - 1
		WHERE window_start = $1 AND attempts > 0 AND ((scope = 'person' AND subject_id = $2) OR (scope = 'session' AND subject_id = ANY ($3::bigint[])))`,
		window, personID, pgArray(ids))
	return translate("postgres.ReleaseAttempt", err)
}
