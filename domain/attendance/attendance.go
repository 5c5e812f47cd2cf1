// Package attendance is the attendance use cases: a teacher (of the session
// or its class) or the centre's manager marks a whole session in one
// request, all or nothing, with a version per mark and a history of every
// change; rates over the planned sessions and the at-risk rule; the
// session's roster, the class's grid and a learner's own attendance.
package attendance

import (
	"math"
	"time"

	"densach/domain/classes"
)

// Status is a mark's status.
type Status string

// The statuses.
const (
	Present Status = "present"
	Late    Status = "late"
	Excused Status = "excused"
	Absent  Status = "absent"
)

// Valid reports whether s is one of the four statuses.
func (s Status) Valid() bool {
	return s == Present || s == Late || s == Excused || s == Absent
}

// Source is where a mark came from.
type Source string

// The sources: the teacher's register, the learner's check-in, the online
// learning data.
const (
	SourceManual  Source = "manual"
	SourceCheckin Source = "checkin"
	SourceOnline  Source = "online"
)

// Weights are what each status counts for in a rate, each between 0 and 1.
type Weights struct {
	Present, Late, Excused, Absent float64
}

// DefaultWeights are a centre's weights until its manager changes them.
var DefaultWeights = Weights{Present: 1, Late: 1, Excused: 0, Absent: 0}

// hundredths is a weight in hundredths (exact arithmetic for the rules).
func (w Weights) hundredths(s Status) int64 {
	var v float64
	switch s {
	case Present:
		v = w.Present
	case Late:
		v = w.Late
	case Excused:
		v = w.Excused
	case Absent:
		v = w.Absent
	}
	return int64(math.Round(v * 100))
}

// best is the largest weight, in hundredths: what a session still to come
// can bring at most.
func (w Weights) best() int64 {
	return max(w.hundredths(Present), w.hundredths(Late), w.hundredths(Excused), w.hundredths(Absent))
}

// Mark is a learner's current mark for a session.
type Mark struct {
	SessionID    int64
	EnrolmentID  int64
	PersonID     int64
	Status       Status
	Note         string
	Source       Source
	Version      int
	MarkedBy     int64
	MarkedByName string
	MarkedAt     time.Time
	Device       string
}

// MarkInput is one row of a batch: the learner, the new status and note,
// and the version of the mark the client saw (0: it saw the learner
// unmarked).
type MarkInput struct {
	PersonID int64
	Status   Status
	Note     string
	Version  int
}

// BatchInput is a whole session's marks from one device.
type BatchInput struct {
	Device string
	Marks  []MarkInput
}

// BatchResult is what a batch changed: every row's mark as it now stands.
type BatchResult struct {
	SessionID int64
	Changed   int // rows whose mark changed (the others were already so)
	Marks     []Mark
	// Replayed: the answer stored under the request's idempotency key
	// (domain.WithIdempotencyClaim), nothing written now.
	Replayed bool
}

// Conflict is a mark that changed since the client saw it: its current
// values.
type Conflict struct {
	Row  int // index in the batch
	Mark Mark
}

// Event is one change of a mark.
type Event struct {
	ID          int64
	SessionID   int64
	EnrolmentID int64
	PersonID    int64
	Version     int
	FromStatus  Status // "": the first mark
	ToStatus    Status
	FromNote    string
	ToNote      string
	Source      Source
	ByID        int64
	ByName      string
	At          time.Time
	Device      string
}

// Learner is a learner of a class (a live class enrolment).
type Learner struct {
	EnrolmentID int64
	PersonID    int64
	Name        string
	SortKey     string
	Status      string // enrolment status: active or completed
}

// RosterEntry is a learner of a session's class with their mark (nil:
// unmarked).
type RosterEntry struct {
	Learner
	Mark *Mark
}

// Roster is a session's register.
type Roster struct {
	Session  classes.Session
	Class    classes.Class
	Entries  []RosterEntry
	Editable bool // the caller may mark this session now
}

// Rate is a learner's attendance in a class.
//
// Planned counts the class's sessions that were not cancelled. A session
// counts as held for the learner once it has started or once the learner is
// marked for it; a held session without a mark brings nothing (it is not
// left out of the rate). Upcoming are the planned sessions still to come
// without a mark: shown apart, counted neither as present nor as absent.
// Rate is Earned over Held (nil before any session is held).
type Rate struct {
	Planned  int
	Held     int
	Upcoming int
	Earned   float64 // weighted sessions attended
	Rate     *float64
	// AtRisk: "" (fine), "cannot_reach" (even attending every session to
	// come, the learner stays under the class's threshold over the planned
	// sessions) or "miss_next" (missing the next session alone would put
	// the threshold out of reach).
	AtRisk string
}

// The at-risk flags.
const (
	RiskCannotReach = "cannot_reach"
	RiskMissNext    = "miss_next"
)

// SessionFact is what the rate needs of a session.
type SessionFact struct {
	ID        int64
	StartsAt  time.Time
	Cancelled bool
}

// RateOf computes a learner's rate in a class from its sessions, the
// learner's marks (by session id), the centre's weights, the class's
// completion threshold (percent) and the clock.
func RateOf(sessions []SessionFact, marks map[int64]Status, w Weights, thresholdPct int, now time.Time) Rate {
	var r Rate
	var earned int64 // hundredths
	for _, s := range sessions {
		if s.Cancelled {
			continue
		}
		r.Planned++
		st, marked := marks[s.ID]
		switch {
		case marked:
			r.Held++
			earned += w.hundredths(st)
		case s.StartsAt.After(now):
			r.Upcoming++
		default:
			r.Held++
		}
	}
	r.Earned = float64(earned) / 100
	if r.Held > 0 {
		v := math.Round(float64(earned)*100/float64(r.Held)) / 10000
		r.Rate = &v
	}
	if r.Planned == 0 || thresholdPct <= 0 {
		return r
	}
	// earned/planned >= pct/100, in hundredths: earned*100 >= pct*planned*100.
	need := int64(thresholdPct) * int64(r.Planned) * 100
	best := w.best()
	switch {
	case (earned+int64(r.Upcoming)*best)*100 < need:
		r.AtRisk = RiskCannotReach
	case r.Upcoming > 0 && (earned+int64(r.Upcoming-1)*best)*100 < need:
		r.AtRisk = RiskMissNext
	}
	return r
}

// GridLearner is one row of a class's grid: the learner, their mark in each
// session (by session id) and their rate.
type GridLearner struct {
	Learner
	Marks map[int64]Mark
	Rate  Rate
}

// Grid is a class's attendance: learners × sessions.
type Grid struct {
	Class    classes.Class
	Sessions []classes.Session
	Weights  Weights
	Learners []GridLearner
	Editable bool // the caller may mark the class's sessions
	// WeightsEditable: the caller may change the centre's weights.
	WeightsEditable bool
}

// MyClass is a learner's own attendance in one class.
type MyClass struct {
	Class    classes.Class
	Sessions []classes.Session
	Marks    map[int64]Mark
	Rate     Rate
}
