package attendance

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/binary"
	"math"
	"strings"
	"time"

	"densach/domain"
	"densach/domain/classes"
)

// Self check-in: during a session the teacher's phone shows a short code
// (and a QR code holding a link with it) that changes every 30 seconds; a
// learner enrolled in the class types or scans it and is marked present
// (late after CheckinLateAfter) through the same statement as the
// teacher's register (Store.ApplyBatch, source checkin).
//
// A code is HMAC-SHA256(the session's secret, session id ‖ 30-s step),
// its first 40 bits written as 8 characters of Crockford's base32 (no I,
// L, O, U; a typed O reads as 0, I and L as 1). The secret is drawn once
// per session, when a teacher first opens its code (CheckinStore.CheckinKey);
// no rotation is ever written. The current and the previous step are
// accepted, so a code stays good 30 to 60 seconds.
//
// Guessing is limited, in PostgreSQL so that it holds across restarts and
// instances: every attempt is counted first (one statement, atomically)
// against the learner and against each session the learner could be
// checking in to now, per 10-minute window; a successful check-in gives its
// attempt back. Over CheckinPerLearner (10) or CheckinPerSession (100)
// attempts in a window, check-ins are refused (429) until the window ends.

// The check-in's timing.
const (
	// CheckinStep is how often the code changes.
	CheckinStep = 30 * time.Second
	// CheckinOpensBefore: the code is shown and accepted from this long
	// before the session starts (learners arriving early) until it ends.
	CheckinOpensBefore = 15 * time.Minute
	// CheckinLateAfter: a check-in this long after the start marks late.
	CheckinLateAfter = 15 * time.Minute
	// CheckinWindow is the rate limits' window.
	CheckinWindow = 10 * time.Minute
	// checkinLookback: a code this many steps old (10 minutes) is
	// recognised as expired rather than wrong.
	checkinLookback = 20
	// CheckinCodeLen is a code's length (40 bits).
	CheckinCodeLen = 8
	// The default limits per window.
	DefaultCheckinPerLearner = 10
	DefaultCheckinPerSession = 100
	// checkinDevice is the device a check-in mark records.
	checkinDevice = "Tự điểm danh bằng mã"
)

// checkinWindow is the self check-in's window of a session from startsAt
// to endsAt: from CheckinOpensBefore before the start until the end.
func checkinWindow(startsAt, endsAt time.Time) Window {
	return Window{Opens: startsAt.Add(-CheckinOpensBefore), Closes: endsAt}
}

// SessionCheckinWindow is when a session's self check-in is open (the
// teacher's code shown, a learner's code accepted), for a session in
// person or online alike; a cancelled session has none (ok false).
func SessionCheckinWindow(ss classes.Session) (w Window, ok bool) {
	if ss.Status == classes.SessionCancelled {
		return Window{}, false
	}
	return checkinWindow(ss.StartsAt, ss.EndsAt), true
}

// crockford is Crockford's base32 alphabet: digits and letters without
// I, L, O and U.
const crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// CheckinCodeAt is a session's code for a time step.
func CheckinCodeAt(secret []byte, sessionID, step int64) string {
	mac := hmac.New(sha256.New, secret)
	var msg [16]byte
	binary.BigEndian.PutUint64(msg[:8], uint64(sessionID))
	binary.BigEndian.PutUint64(msg[8:], uint64(step))
	mac.Write(msg[:])
	sum := mac.Sum(nil)
	v := uint64(sum[0])<<32 | uint64(sum[1])<<24 | uint64(sum[2])<<16 | uint64(sum[3])<<8 | uint64(sum[4])
	out := make([]byte, CheckinCodeLen)
	for i := CheckinCodeLen - 1; i >= 0; i-- {
		out[i] = crockford[v&31]
		v >>= 5
	}
	return string(out)
}

// CheckinStepOf is the time step of an instant.
func CheckinStepOf(t time.Time) int64 { return t.Unix() / int64(CheckinStep/time.Second) }

// NormalizeCheckinCode reads a typed code: case, spaces and dashes do not
// matter, O reads as 0, I and L as 1. ok is false when it is not 8
// characters of the alphabet.
func NormalizeCheckinCode(s string) (string, bool) {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		switch {
		case r == ' ' || r == '-' || r == '\t' || r == '\u00a0':
			continue
		case r == 'O':
			r = '0'
		case r == 'I' || r == 'L':
			r = '1'
		}
		if r > 127 || !strings.ContainsRune(crockford, r) {
			return "", false
		}
		b.WriteRune(r)
	}
	if b.Len() != CheckinCodeLen {
		return "", false
	}
	return b.String(), true
}

// OpenCheckin is a session whose check-in a teacher opened (it has a
// secret), as a learner's attempt sees it.
type OpenCheckin struct {
	SessionID int64
	ClassID   int64
	StartsAt  time.Time
	EndsAt    time.Time
	Secret    []byte
	// Enrolled: the learner has an active enrolment in the class.
	Enrolled bool
}

// CheckinStore keeps the sessions' check-in secrets and the attempts.
type CheckinStore interface {
	// CheckinKey returns the session's secret, storing fresh as it the
	// first time (concurrent first calls agree on one).
	CheckinKey(ctx context.Context, sessionID int64, fresh []byte, by int64) ([]byte, error)
	// OpenCheckins lists the scheduled sessions with a secret that start
	// at startsBefore or before and end at endsAfter or after, with whether the person
	// is actively enrolled in each one's class.
	OpenCheckins(ctx context.Context, personID int64, startsBefore, endsAfter time.Time) ([]OpenCheckin, error)
	// CountAttempt counts one attempt, in one statement, for the person and
	// for each session in the window starting at window, and returns the
	// person's count and the highest session count after it.
	CountAttempt(ctx context.Context, window time.Time, personID int64, sessionIDs []int64) (person, session int, err error)
	// ReleaseAttempt gives a counted attempt back (a successful check-in).
	ReleaseAttempt(ctx context.Context, window time.Time, personID int64, sessionIDs []int64) error
}

// CheckinEntry is a learner checked in to a session.
type CheckinEntry struct {
	PersonID int64
	Name     string
	Status   Status
	At       time.Time
}

// CheckinCode is what the teacher's screen shows.
type CheckinCode struct {
	Session classes.Session
	Class   classes.Class
	Code    string
	// ExpiresAt is when the code is replaced on the screen; ValidUntil is
	// when learners can no longer use it (one step later).
	ExpiresAt  time.Time
	ValidUntil time.Time
	OpensAt    time.Time
	ClosesAt   time.Time
	LateAfter  time.Time
	Now        time.Time
	// Learners counts the class's active learners; Checkins are those who
	// checked in (marks whose source is checkin), in Vietnamese order.
	Learners int
	Checkins []CheckinEntry
}

// CheckinResult is a learner's check-in.
type CheckinResult struct {
	Session classes.Session
	Class   classes.Class
	Mark    Mark
	// Already: the learner was marked for the session before (a second
	// check-in, or the teacher's mark, which a check-in never changes).
	Already bool
}

var (
	errCheckinClosed = domain.Fail(domain.CodeConflict, "checkin_closed", nil)
)

func (s *Service) perLearner() int {
	if s.CheckinPerLearner > 0 {
		return s.CheckinPerLearner
	}
	return DefaultCheckinPerLearner
}

func (s *Service) perSession() int {
	if s.CheckinPerSession > 0 {
		return s.CheckinPerSession
	}
	return DefaultCheckinPerSession
}

func checkinNotOpen(opens time.Time) error {
	return domain.Fail(domain.CodeConflict, "checkin_not_open", domain.Params{"time": opens.In(classes.Zone).Format("15:04")})
}

// SessionCheckinCode is the session's current code for the teacher's
// screen, with who checked in so far: those who may mark the session
// (403 for others who see it, else 404), from CheckinOpensBefore before
// its start until its end (409 checkin_not_open / checkin_closed), not
// for a cancelled session (409 session_cancelled).
func (s *Service) SessionCheckinCode(ctx context.Context, p domain.Principal, sessionID int64) (CheckinCode, error) {
	ss, c, err := s.readable(ctx, p, sessionID)
	if err != nil {
		return CheckinCode{}, err
	}
	if !markAllowed(p, c, ss) {
		return CheckinCode{}, errForbidden
	}
	win, ok := SessionCheckinWindow(ss)
	if !ok {
		return CheckinCode{}, errCancelled
	}
	now := s.now()
	out := CheckinCode{Session: ss, Class: c, OpensAt: win.Opens, ClosesAt: win.Closes,
		LateAfter: ss.StartsAt.Add(CheckinLateAfter), Now: now}
	switch {
	case now.Before(out.OpensAt):
		return CheckinCode{}, checkinNotOpen(out.OpensAt)
	case now.After(out.ClosesAt):
		return CheckinCode{}, errCheckinClosed
	}
	fresh := make([]byte, 32)
	if _, err := rand.Read(fresh); err != nil {
		return CheckinCode{}, domain.Wrap("attendance.SessionCheckinCode", domain.CodeInternal, err)
	}
	secret, err := s.Checkins.CheckinKey(ctx, sessionID, fresh, p.PersonID)
	if err != nil {
		return CheckinCode{}, err
	}
	step := CheckinStepOf(now)
	out.Code = CheckinCodeAt(secret, sessionID, step)
	out.ExpiresAt = time.Unix((step+1)*int64(CheckinStep/time.Second), 0).UTC()
	out.ValidUntil = out.ExpiresAt.Add(CheckinStep)
	learners, err := s.Store.Learners(ctx, c.ID, 0)
	if err != nil {
		return CheckinCode{}, err
	}
	marks, err := s.Store.Marks(ctx, c.ID, sessionID, 0)
	if err != nil {
		return CheckinCode{}, err
	}
	byEnrolment := make(map[int64]Mark, len(marks))
	for _, m := range marks {
		byEnrolment[m.EnrolmentID] = m
	}
	out.Checkins = []CheckinEntry{}
	for _, l := range learners { // Vietnamese order
		if l.Status == "active" {
			out.Learners++
		}
		if m, ok := byEnrolment[l.EnrolmentID]; ok && m.Source == SourceCheckin {
			out.Checkins = append(out.Checkins, CheckinEntry{PersonID: l.PersonID, Name: l.Name, Status: m.Status, At: m.MarkedAt})
		}
	}
	return out, nil
}

// CheckIn checks the caller in with a code. The code names the session;
// only a learner actively enrolled in its class checks in, marked present
// (late from CheckinLateAfter after the start) through the register's
// statement with source checkin; a learner already marked stays as marked
// (Already; checking in twice is harmless, and a teacher's mark is never
// overwritten). Refusals: 422 checkin_code_invalid (not a code's shape,
// not counted), 429 checkin_too_many_attempts, 422 checkin_code_wrong,
// 422 checkin_code_expired, 409 checkin_closed (the session ended),
// 409 checkin_other_session (a code of another class's session while one
// of the learner's own is open), 403 checkin_not_enrolled.
func (s *Service) CheckIn(ctx context.Context, p domain.Principal, code string) (CheckinResult, error) {
	norm, ok := NormalizeCheckinCode(code)
	if !ok {
		return CheckinResult{}, domain.Fail(domain.CodeInvalid, "checkin_code_invalid", domain.Params{"length": CheckinCodeLen})
	}
	now := s.now()
	open, err := s.Checkins.OpenCheckins(ctx, p.PersonID, now.Add(CheckinOpensBefore), now.Add(-CheckinWindow))
	if err != nil {
		return CheckinResult{}, err
	}
	// The sessions the learner could be checking in to now carry the
	// attempt too: a session's code is guessed by its own learners.
	var candidates []int64
	for _, o := range open {
		if o.Enrolled && checkinWindow(o.StartsAt, o.EndsAt).Holds(now) {
			candidates = append(candidates, o.SessionID)
		}
	}
	window := now.Truncate(CheckinWindow)
	mine, most, err := s.Checkins.CountAttempt(ctx, window, p.PersonID, candidates)
	if err != nil {
		return CheckinResult{}, err
	}
	if mine > s.perLearner() || most > s.perSession() {
		left := int(math.Ceil(window.Add(CheckinWindow).Sub(now).Minutes()))
		return CheckinResult{}, domain.Fail(domain.CodeRateLimited, "checkin_too_many_attempts", domain.Params{"minutes": max(left, 1)})
	}

	step := CheckinStepOf(now)
	var hit *OpenCheckin
	age := int64(-1)
	for i := range open {
		o := &open[i]
		back := int64(1)
		if o.Enrolled {
			back = checkinLookback // an old code of one's own session is "expired"
		}
		for a := int64(0); a <= back; a++ {
			if subtle.ConstantTimeCompare([]byte(CheckinCodeAt(o.Secret, o.SessionID, step-a)), []byte(norm)) == 1 {
				if hit == nil || a < age {
					hit, age = o, a
				}
				break
			}
		}
	}
	if hit == nil {
		return CheckinResult{}, domain.Fail(domain.CodeInvalid, "checkin_code_wrong", nil)
	}
	win := checkinWindow(hit.StartsAt, hit.EndsAt)
	switch {
	case now.After(win.Closes):
		return CheckinResult{}, errCheckinClosed
	case now.Before(win.Opens):
		return CheckinResult{}, checkinNotOpen(win.Opens)
	case age > 1:
		return CheckinResult{}, domain.Fail(domain.CodeInvalid, "checkin_code_expired", nil)
	case !hit.Enrolled && len(candidates) > 0:
		return CheckinResult{}, domain.Fail(domain.CodeConflict, "checkin_other_session", nil)
	case !hit.Enrolled:
		return CheckinResult{}, domain.Fail(domain.CodeForbidden, "checkin_not_enrolled", nil)
	}

	st := Present
	if now.After(hit.StartsAt.Add(CheckinLateAfter)) {
		st = Late
	}
	// The code is the authority: the learner proved presence, and the
	// statement still checks the enrolment. Version 0: a learner already
	// marked (by a check-in or by the teacher) is left as marked.
	ap, err := s.Store.ApplyBatch(ctx, BatchRequest{SessionID: hit.SessionID, Rows: []MarkInput{{PersonID: p.PersonID, Status: st}},
		Authority: Authority{All: true, PersonID: p.PersonID}, Until: hit.EndsAt, Source: SourceCheckin, Device: checkinDevice})
	if err != nil {
		return CheckinResult{}, err
	}
	switch {
	case !ap.Found:
		return CheckinResult{}, errSessionNotFound
	case ap.Cancelled:
		return CheckinResult{}, errCancelled
	case len(ap.Rows) != 1 || ap.Rows[0].Outcome == OutcomeNotEnrolled:
		return CheckinResult{}, domain.Fail(domain.CodeForbidden, "checkin_not_enrolled", nil)
	}
	row := ap.Rows[0]
	if row.Mark == nil {
		return CheckinResult{}, domain.Wrap("attendance.CheckIn", domain.CodeInternal, errCheckinNoMark)
	}
	if err := s.Checkins.ReleaseAttempt(ctx, window, p.PersonID, candidates); err != nil {
		return CheckinResult{}, err
	}
	out := CheckinResult{Mark: *row.Mark, Already: row.Outcome != OutcomeChanged}
	if out.Session, err = s.Classes.Session(ctx, hit.SessionID); err != nil {
		return CheckinResult{}, err
	}
	if out.Class, err = s.Classes.Class(ctx, hit.ClassID); err != nil {
		return CheckinResult{}, err
	}
	return out, nil
}

type checkinError string

func (e checkinError) Error() string { return string(e) }

const errCheckinNoMark = checkinError("check-in applied without a mark")
