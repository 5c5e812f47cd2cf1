package postgres

import (
	"context"
	"strings"
	"time"

	"densach/domain/classes"
)

// Calendar lists the sessions of the centres in scope overlapping
// [f.From, f.To), in time order: one query joining the session to its
// class, centre, commune, venue and teacher. Only the conditions a filter
// sets are written (no "? = 0 OR" that would keep a cached generic plan
// from using an index), and the range is bounded on starts_at from both
// sides — a session lasts at most classes.MaxSessionHours — so a centre's
// week is read through class_sessions (class_id, starts_at) for each of the
// centre's classes (classes (centre_id, …)).
func (s *Classes) Calendar(ctx context.Context, f classes.CalendarFilter) ([]classes.Session, error) {
	var where strings.Builder
	args := []any{f.From.Add(-classes.MaxSessionHours * time.Hour), f.To, f.From}
	where.WriteString(` WHERE s.starts_at > ? AND s.starts_at < ? AND s.ends_at > ?`)
	if !f.Scope.All {
		cond, scope := centreScopeSQL(f.Scope)
		where.WriteString(` AND ` + cond)
		args = append(args, scope...)
	}
	for _, c := range []struct {
		sql string
		id  int64
	}{{` AND c.centre_id = ?`, f.CentreID}, {` AND s.venue_id = ?`, f.VenueID}, {` AND s.teacher_id = ?`, f.TeacherID}, {` AND s.class_id = ?`, f.ClassID}} {
		if c.id != 0 {
			where.WriteString(c.sql)
			args = append(args, c.id)
		}
	}
	args = append(args, f.Limit)
	var rows []sessionView
	err := s.db.q(ctx).Raw(sessionSelect+` JOIN centres ce ON ce.id = c.centre_id JOIN units cu ON cu.id = ce.unit_id`+where.String()+
		` ORDER BY s.starts_at, s.id LIMIT ?`, args...).Scan(&rows).Error
	out := make([]classes.Session, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, translate("postgres.Calendar", err)
}
