package enrolments

import (
	"math"
	"slices"
	"strconv"
	"time"

	"densach/domain"
	"densach/domain/courses"
)

// Segment is a half-open range of whole seconds [From, To) of a video really
// played.
type Segment struct{ From, To int }

// Union sorts and merges segments: overlapping and touching ones become one;
// empty ones are dropped.
func Union(segs []Segment) []Segment {
	out := make([]Segment, 0, len(segs))
	for _, s := range segs {
		if s.To > s.From {
			out = append(out, s)
		}
	}
	slices.SortFunc(out, func(a, b Segment) int { return a.From - b.From })
	merged := out[:0]
	for _, s := range out {
		if n := len(merged); n > 0 && s.From <= merged[n-1].To {
			merged[n-1].To = max(merged[n-1].To, s.To)
			continue
		}
		merged = append(merged, s)
	}
	if len(merged) == 0 {
		return nil
	}
	return merged
}

// Seconds is how many seconds a union of segments covers.
func Seconds(segs []Segment) int {
	n := 0
	for _, s := range Union(segs) {
		n += s.To - s.From
	}
	return n
}

// Watched reports whether the segments cover the threshold share of a
// video of duration seconds. Unknown durations complete nothing.
func Watched(segs []Segment, duration int, threshold float64) bool {
	return duration > 0 && float64(Seconds(segs)) >= threshold*float64(duration)
}

// DefaultThreshold is the share of a video that must really be played for
// it to count as complete.
const DefaultThreshold = 0.9

// Bounds of a progress event.
const (
	MaxBatch     = 500       // events in one request
	MaxDuration  = 12 * 3600 // seconds of one lesson's media
	MaxTimeSpent = 7 * 86400 // a lesson's cumulative time (clamped to it)
	ClockSkew    = 5 * time.Minute
)

// EventKind is what happened in the player.
type EventKind string

// The kinds of events.
const (
	EventOpen      EventKind = "open"
	EventHeartbeat EventKind = "heartbeat"
	EventComplete  EventKind = "complete"
)

// Event is one report of the player, as sent (seconds as fractions).
type Event struct {
	LessonID   int64
	Seq        int64 // the client's own order; informative only
	At         time.Time
	Kind       EventKind
	PositionS  float64
	Played     *[2]float64 // the range played since the last event, if any
	DurationS  float64     // 0: unknown
	TimeSpentS float64     // cumulative on the client for this lesson
}

// State is a lesson's progress as stored: every field merges with Merge so
// that the order and repetition of batches do not matter.
type State struct {
	LessonKey     string
	LessonID      int64
	OpenedAt      time.Time
	LastAt        time.Time
	CompletedAt   *time.Time
	TimeSpentS    int
	LastPositionS int
	DurationS     int // 0: unknown; kept for video lessons only
	Watched       []Segment
}

// Merge folds b into a (the same lesson), as storage's upsert does: the
// first opening, the latest event and its position, the greatest time and
// duration, the union of played seconds, and the earliest completion — a
// mark, or for a video the moment its played share first reaches threshold.
func Merge(a, b State, threshold float64) State {
	out := a
	out.LessonID = b.LessonID
	out.OpenedAt = minTime(a.OpenedAt, b.OpenedAt)
	out.LastAt = maxTime(a.LastAt, b.LastAt)
	switch {
	case b.LastAt.After(a.LastAt):
		out.LastPositionS = b.LastPositionS
	case b.LastAt.Equal(a.LastAt):
		out.LastPositionS = max(a.LastPositionS, b.LastPositionS)
	}
	out.TimeSpentS = max(a.TimeSpentS, b.TimeSpentS)
	out.DurationS = max(a.DurationS, b.DurationS)
	if out.DurationS > 0 {
		out.LastPositionS = min(out.LastPositionS, out.DurationS)
	}
	out.Watched = Union(append(slices.Clone(a.Watched), b.Watched...))
	out.CompletedAt = minTimePtr(a.CompletedAt, b.CompletedAt)
	if Watched(out.Watched, out.DurationS, threshold) {
		t := out.LastAt
		out.CompletedAt = minTimePtr(out.CompletedAt, &t)
	}
	return out
}

// Start is the state of a lesson never seen before merged with b, as the
// upsert's INSERT branch writes it.
func Start(b State, threshold float64) State {
	b.Watched = Union(b.Watched)
	if b.DurationS > 0 {
		b.LastPositionS = min(b.LastPositionS, b.DurationS)
	}
	if Watched(b.Watched, b.DurationS, threshold) {
		t := b.LastAt
		b.CompletedAt = minTimePtr(b.CompletedAt, &t)
	}
	return b
}

// Apply folds a batch of states into stored ones (by lesson key), in order.
func Apply(stored map[string]State, batch []State, threshold float64) {
	for _, b := range batch {
		if a, ok := stored[b.LessonKey]; ok {
			stored[b.LessonKey] = Merge(a, b, threshold)
		} else {
			stored[b.LessonKey] = Start(b, threshold)
		}
	}
}

// Fold checks a batch of events against the lessons of the enrolled
// version and folds it into one state per lesson, in the order lessons
// first appear. Events are refused (with the field of their index) for a
// lesson outside the version, a bad kind, a time from the future, negative
// or impossible values, or a completion mark on a quiz (quizzes complete by
// a passing attempt). Positions past the duration and played ranges outside
// it are clamped; times before the enrolment are moved to it.
func Fold(events []Event, lessons map[int64]LessonRef, enrolledAt, now time.Time, threshold float64) ([]State, error) {
	var f domain.Fields
	if len(events) == 0 {
		f.AddOf("events", "progress_batch_empty", nil)
	}
	if len(events) > MaxBatch {
		f.AddOf("events", "progress_batch_too_large", domain.Params{"max": MaxBatch})
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	byKey := map[string]int{}
	var out []State
	for i, e := range events {
		field := func(name string) string { return "events[" + itoa(i) + "]." + name }
		l, ok := lessons[e.LessonID]
		if !ok {
			f.AddOf(field("lesson_id"), "progress_lesson_not_enrolled", nil)
			continue
		}
		bad := false
		invalid := func(name string) {
			f.AddOf(field(name), "progress_value_invalid", nil)
			bad = true
		}
		switch e.Kind {
		case EventOpen, EventHeartbeat:
		case EventComplete:
			if l.Kind == courses.KindQuiz {
				f.AddOf(field("kind"), "progress_quiz_completion", nil)
				bad = true
			}
		default:
			f.AddOf(field("kind"), "progress_kind_invalid", nil)
			bad = true
		}
		switch {
		case e.At.IsZero():
			f.AddOf(field("at"), "required", domain.Params{"field": "at"})
			bad = true
		case e.At.After(now.Add(ClockSkew)):
			f.AddOf(field("at"), "progress_at_future", nil)
			bad = true
		}
		if !finite(e.PositionS) || e.PositionS < 0 || e.PositionS > MaxDuration {
			invalid("position_s")
		}
		if !finite(e.DurationS) || e.DurationS < 0 || e.DurationS > MaxDuration {
			invalid("duration_s")
		}
		if !finite(e.TimeSpentS) || e.TimeSpentS < 0 {
			invalid("time_spent_s")
		}
		if p := e.Played; p != nil && (!finite(p[0]) || !finite(p[1]) || p[0] < 0 || p[1] < p[0] || p[1] > MaxDuration) {
			invalid("played")
		}
		if bad {
			continue
		}
		s := stateOf(e, l, enrolledAt, now)
		if j, ok := byKey[l.Key]; ok {
			out[j] = Merge(out[j], s, threshold)
		} else {
			byKey[l.Key] = len(out)
			out = append(out, Start(s, threshold))
		}
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// stateOf is one checked event as a state: clamped into the enrolment's
// time and the media's duration, whole seconds (played ranges rounded, so
// that consecutive ranges join).
func stateOf(e Event, l LessonRef, enrolledAt, now time.Time) State {
	at := e.At
	if at.Before(enrolledAt) {
		at = enrolledAt
	}
	if at.After(now) {
		at = now
	}
	at = at.UTC().Truncate(time.Microsecond)
	s := State{LessonKey: l.Key, LessonID: l.ID, OpenedAt: at, LastAt: at,
		TimeSpentS: int(min(e.TimeSpentS, MaxTimeSpent)), LastPositionS: int(e.PositionS)}
	if l.Kind == courses.KindVideo {
		s.DurationS = int(math.Round(e.DurationS))
		if p := e.Played; p != nil {
			from, to := int(math.Round(p[0])), int(math.Round(p[1]))
			if s.DurationS > 0 {
				from, to = min(from, s.DurationS), min(to, s.DurationS)
			}
			if to > from {
				s.Watched = []Segment{{from, to}}
			}
		}
		if s.DurationS > 0 {
			s.LastPositionS = min(s.LastPositionS, s.DurationS)
		}
	} else if e.Kind == EventComplete {
		s.CompletedAt = &at
	}
	return s
}

// Percent is a course's progress: the share of its required lessons
// complete (of all lessons when none is marked required), rounded down so
// that 100 means everything is done.
func Percent(lessons []LessonRef, done func(key string) bool) int {
	total, n := 0, 0
	anyRequired := slices.ContainsFunc(lessons, func(l LessonRef) bool { return l.Required })
	for _, l := range lessons {
		if anyRequired && !l.Required {
			continue
		}
		total++
		if done(l.Key) {
			n++
		}
	}
	if total == 0 {
		return 0
	}
	return n * 100 / total
}

// Resume is where the learner left off: the lesson last worked on and its
// position, or the first lesson not complete (the first lesson) when
// nothing was opened yet. Lessons are in course order.
func Resume(lessons []LessonRef, states []State) (lessonID int64, positionS int) {
	var last *State
	for i := range states {
		if last == nil || states[i].LastAt.After(last.LastAt) {
			last = &states[i]
		}
	}
	if last != nil {
		for _, l := range lessons {
			if l.Key == last.LessonKey {
				return l.ID, last.LastPositionS
			}
		}
	}
	if len(lessons) > 0 {
		return lessons[0].ID, 0
	}
	return 0, 0
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

func minTime(a, b time.Time) time.Time {
	if a.IsZero() || (!b.IsZero() && b.Before(a)) {
		return b
	}
	return a
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

func minTimePtr(a, b *time.Time) *time.Time {
	switch {
	case a == nil:
		return b
	case b == nil || !b.Before(*a):
		return a
	}
	return b
}

func itoa(i int) string { return strconv.Itoa(i) }
