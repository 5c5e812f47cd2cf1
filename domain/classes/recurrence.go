package classes

import (
	"slices"
	"time"

	"densach/domain"
)

// MaxSessions bounds the sessions one recurrence makes.
const MaxSessions = 200

// maxScan bounds the days a recurrence with a count looks through.
const maxScan = 3 * 366

// Recurrence makes a class's sessions: on the weekdays (ISO: 1 Monday … 7
// Sunday), at a local start time (Asia/Ho_Chi_Minh) for a duration, from a
// date until a date (inclusive) or for a count of sessions, skipping
// holidays (a skipped day does not count).
type Recurrence struct {
	Weekdays    []int
	StartTime   string // "HH:MM"
	DurationMin int
	From        time.Time // civil date
	Until       *time.Time
	Count       int
}

// Occurrence is one made session's times.
type Occurrence struct {
	StartsAt, EndsAt time.Time
}

// Skipped is a day the recurrence fell on that is a holiday.
type Skipped struct {
	Day  time.Time
	Name string
}

// Validate checks the recurrence's fields (field names under "recurrence.").
func (r Recurrence) Validate() error {
	var f domain.Fields
	if len(r.Weekdays) == 0 {
		f.AddOf("recurrence.weekdays", "weekdays_required", nil)
	}
	for _, d := range r.Weekdays {
		if d < 1 || d > 7 {
			f.AddOf("recurrence.weekdays", "weekday_invalid", nil)
			break
		}
	}
	if _, err := time.Parse("15:04", r.StartTime); err != nil {
		f.AddOf("recurrence.start_time", "start_time_invalid", nil)
	}
	if r.DurationMin < 15 || r.DurationMin > 720 {
		f.AddOf("recurrence.duration_min", "duration_invalid", domain.Params{"min": 15, "max": 720})
	}
	switch {
	case (r.Until == nil) == (r.Count == 0):
		f.AddOf("recurrence.until", "recurrence_end_required", nil)
	case r.Until != nil && r.Until.Before(r.From):
		f.AddOf("recurrence.until", "until_before_from", nil)
	case r.Until == nil && (r.Count < 0 || r.Count > MaxSessions):
		f.AddOf("recurrence.count", "recurrence_too_many", domain.Params{"max": MaxSessions})
	}
	return f.Err()
}

// At is the instant of a local time on a civil date.
func At(day time.Time, clock string) time.Time {
	t, _ := time.Parse("15:04", clock)
	return time.Date(day.Year(), day.Month(), day.Day(), t.Hour(), t.Minute(), 0, 0, Zone)
}

// Expand makes the recurrence's sessions, skipping the days holiday names
// (it answers "" for a working day). It refuses a recurrence that makes no
// session or more than MaxSessions.
func (r Recurrence) Expand(holiday func(day time.Time) string) ([]Occurrence, []Skipped, error) {
	if err := r.Validate(); err != nil {
		return nil, nil, err
	}
	var out []Occurrence
	var skipped []Skipped
	day := time.Date(r.From.Year(), r.From.Month(), r.From.Day(), 0, 0, 0, 0, time.UTC)
	for i := 0; ; i, day = i+1, day.AddDate(0, 0, 1) {
		if r.Until != nil && day.After(*r.Until) || r.Until == nil && (len(out) == r.Count || i >= maxScan) {
			break
		}
		wd := int(day.Weekday())
		if wd == 0 {
			wd = 7
		}
		if !slices.Contains(r.Weekdays, wd) {
			continue
		}
		if name := holiday(day); name != "" {
			skipped = append(skipped, Skipped{Day: day, Name: name})
			continue
		}
		if len(out) == MaxSessions {
			return nil, nil, domain.Invalid(domain.FieldOf("recurrence.until", "recurrence_too_many", domain.Params{"max": MaxSessions}))
		}
		start := At(day, r.StartTime)
		out = append(out, Occurrence{StartsAt: start, EndsAt: start.Add(time.Duration(r.DurationMin) * time.Minute)})
	}
	if len(out) == 0 {
		return nil, skipped, domain.Invalid(domain.FieldOf("recurrence.weekdays", "recurrence_empty", nil))
	}
	return out, skipped, nil
}
