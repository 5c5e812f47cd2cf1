package attendance

import (
	"context"
	"log/slog"
	"math"
	"time"

	"densach/domain"
	"densach/domain/classes"
)

// Marks from the online-learning data (issue 12).
//
// The rule. A learner of a class (live enrolment) gets a mark with source
// online for one of the class's online sessions that was not cancelled when,
// within the session's window — from OnlineOpensBefore (15 minutes) before
// its start until its end, on the server's clock — they either
//   - opened the session's meeting link through Đèn Sách (the "Vào buổi học
//     trực tuyến" action, JoinOnline), or
//   - completed a lesson of the class's course, or
//   - had its lessons open (the player reporting progress) for at least
//     OnlineShare (half) of the session's length.
// The mark is present, or late when the learner's first sign in the window
// came more than OnlineLateAfter (15 minutes) after the start.
//
// Which lessons: those of the class's own enrolment (the class's course
// version); progress is recorded per enrolment, so the link from a session
// to the learner's online work is the class enrolment itself. Time is
// measured by the server, not taken from the client's cumulative counter:
// each progress batch received in the window adds the time since the
// previous one, at most OnlineGap (a minute; the player reports every 15 s
// while it plays, a longer gap is time away). Batches queued offline and
// sent later count for nothing: they were not online during the session.
//
// An online mark is written through the register's statement (ApplyBatch,
// version 0, no person: the system) exactly as a check-in is: a learner
// already marked — by the teacher, by a check-in or by an earlier online
// derivation — stays as marked, and a teacher's mark later replaces an
// online one like any other. Derivation is idempotent: the facts only grow,
// the status follows from the first sign (which never moves later), and a
// second run finds the mark and writes nothing.
//
// When. At the moment the facts arrive (a progress batch, the join action),
// so that the teacher sees the mark during the session; and, as a safety
// net, by the periodic job derive_online_attendance (DeriveOnlinePending)
// over the presence of sessions of the last OnlineCatchUp without a mark:
// it catches a derivation that failed at event time (the progress batch is
// never refused because of it).

// The online rule's constants.
const (
	OnlineOpensBefore = 15 * time.Minute
	OnlineLateAfter   = 15 * time.Minute
	// OnlineShare is the share of the session's length a learner must
	// spend in the class's lessons (without joining or completing one).
	OnlineShare = 0.5
	// OnlineGap is the most one progress batch adds to the time spent.
	OnlineGap = time.Minute
	// OnlineCatchUp is how far back the periodic job looks.
	OnlineCatchUp = 48 * time.Hour
	// onlineDevice is the device an online mark records.
	onlineDevice = "Học trực tuyến"
)

// onlineWindow is the online rule's window of a session from startsAt to
// endsAt: from OnlineOpensBefore before the start until the end.
func onlineWindow(startsAt, endsAt time.Time) Window {
	return Window{Opens: startsAt.Add(-OnlineOpensBefore), Closes: endsAt}
}

// SessionJoinWindow is when a learner of the class joins an online session
// through Đèn Sách (JoinOnline), the rule's window; a cancelled session and
// one in person have none (ok false).
func SessionJoinWindow(ss classes.Session) (w Window, ok bool) {
	if ss.Status == classes.SessionCancelled || ss.Mode != classes.ModeOnline {
		return Window{}, false
	}
	return onlineWindow(ss.StartsAt, ss.EndsAt), true
}

// Presence is what a learner did online during one online session's window
// (the facts the rule reads).
type Presence struct {
	SessionID   int64
	EnrolmentID int64
	PersonID    int64
	FirstAt     time.Time
	LastAt      time.Time
	Seconds     int
	JoinedAt    *time.Time
	CompletedAt *time.Time
	// The session as it stands.
	StartsAt  time.Time
	EndsAt    time.Time
	Online    bool
	Cancelled bool
	// Marked: the learner already has a mark for the session (any source).
	Marked bool
}

// OnlineNeeds is the time in the lessons that qualifies for a session of
// the given length, in whole seconds (rounded up).
func OnlineNeeds(length time.Duration) int {
	return int(math.Ceil(length.Seconds() * OnlineShare))
}

// OnlineStatus is the rule: the status the presence earns, and whether it
// earns one.
func OnlineStatus(p Presence) (Status, bool) {
	if !p.Online || p.Cancelled || p.FirstAt.IsZero() {
		return "", false
	}
	win := onlineWindow(p.StartsAt, p.EndsAt)
	in := func(t *time.Time) bool { return t != nil && win.Holds(*t) }
	first := p.FirstAt
	if !in(&first) {
		return "", false
	}
	enough := p.Seconds >= OnlineNeeds(p.EndsAt.Sub(p.StartsAt))
	if !in(p.JoinedAt) && !in(p.CompletedAt) && !enough {
		return "", false
	}
	if first.After(p.StartsAt.Add(OnlineLateAfter)) {
		return Late, true
	}
	return Present, true
}

// OnlineStore keeps the online presence (migration 00028).
type OnlineStore interface {
	// Seen records a progress batch of an enrolment received at (the
	// server's clock) in every online session of its class whose window
	// holds at, adding the time since the previous batch (at most gap),
	// and completed as the completion time when a lesson was first
	// completed in the batch. It returns the presence of those sessions.
	// Nothing for an enrolment that is not live or in no class.
	Seen(ctx context.Context, enrolmentID int64, at time.Time, completed bool, gap time.Duration) ([]Presence, error)
	// Join records that the enrolment's learner opened the session's
	// meeting link at at, and returns the presence.
	Join(ctx context.Context, sessionID, enrolmentID int64, at time.Time) (Presence, error)
	// Pending lists the presence of online sessions that started after
	// since whose learner has no mark yet.
	Pending(ctx context.Context, since time.Time) ([]Presence, error)
}

// deriveOnline writes the mark a presence earns, if any and if the learner
// is not marked yet: it returns the mark as it now stands (nil: none).
func (s *Service) deriveOnline(ctx context.Context, p Presence) (*Mark, bool, error) {
	st, ok := OnlineStatus(p)
	if !ok || p.Marked {
		return nil, false, nil
	}
	ap, err := s.Store.ApplyBatch(domain.WithoutIdempotencyKey(ctx), BatchRequest{SessionID: p.SessionID,
		Rows:      []MarkInput{{PersonID: p.PersonID, Status: st}},
		Authority: Authority{All: true}, Until: p.EndsAt, Source: SourceOnline, Device: onlineDevice})
	if err != nil || !ap.Found || len(ap.Rows) != 1 {
		return nil, false, err
	}
	r := ap.Rows[0]
	return r.Mark, ap.Applied && r.Outcome == OutcomeChanged, nil
}

// OnlineSeen is the progress use case's report that an enrolment's learner
// sent a progress batch now (completed: a lesson was first completed in
// it): the presence of the class's online sessions open now grows, and the
// marks it earns are written. It returns how many marks it wrote.
func (s *Service) OnlineSeen(ctx context.Context, enrolmentID int64, completed bool) (int, error) {
	if s.Online == nil {
		return 0, nil
	}
	ps, err := s.Online.Seen(ctx, enrolmentID, s.now(), completed, OnlineGap)
	if err != nil {
		return 0, err
	}
	return s.deriveAll(ctx, ps)
}

// DeriveOnlinePending is the periodic job's work: every presence of the
// last OnlineCatchUp without a mark goes through the rule again. It
// returns how many marks it wrote (0 on a second run).
func (s *Service) DeriveOnlinePending(ctx context.Context) (int64, error) {
	if s.Online == nil {
		return 0, nil
	}
	ps, err := s.Online.Pending(ctx, s.now().Add(-OnlineCatchUp))
	if err != nil {
		return 0, err
	}
	n, err := s.deriveAll(ctx, ps)
	return int64(n), err
}

// deriveAll puts each presence through the rule and counts the marks
// written.
func (s *Service) deriveAll(ctx context.Context, ps []Presence) (int, error) {
	n := 0
	for _, p := range ps {
		_, wrote, err := s.deriveOnline(ctx, p)
		if err != nil {
			return n, err
		}
		if wrote {
			n++
		}
	}
	return n, nil
}

// JoinResult is the learner's join of an online session.
type JoinResult struct {
	Session    classes.Session
	Class      classes.Class
	MeetingURL string
	// Mark is the learner's mark for the session as it now stands (nil:
	// none; a teacher's or check-in mark stays as it was).
	Mark *Mark
}

var (
	errJoinNotOnline = domain.Fail(domain.CodeConflict, "online_session_not_online", nil)
	errJoinClosed    = domain.Fail(domain.CodeConflict, "online_join_closed", nil)
)

// JoinOnline records that the caller opens an online session's meeting
// link through Đèn Sách, derives their mark (see the rule above) and
// answers the link to open. Only a learner of the class (live enrolment)
// joins: the staff who see the session are refused (403), others get 404.
// Refusals: 409 session_cancelled, online_session_not_online,
// online_join_not_open (before the window, with the time it opens),
// online_join_closed (after the end).
func (s *Service) JoinOnline(ctx context.Context, p domain.Principal, sessionID int64) (JoinResult, error) {
	ss, err := s.Classes.Session(ctx, sessionID)
	if domain.ErrorCode(err) == domain.CodeNotFound {
		return JoinResult{}, errSessionNotFound
	}
	if err != nil {
		return JoinResult{}, err
	}
	c, err := s.Classes.Class(ctx, ss.ClassID)
	if err != nil {
		return JoinResult{}, err
	}
	var enrolmentID int64
	if p.PersonID != 0 {
		mine, err := s.Store.Learners(ctx, c.ID, p.PersonID)
		if err != nil {
			return JoinResult{}, err
		}
		if len(mine) > 0 {
			enrolmentID = mine[0].EnrolmentID
		}
	}
	if enrolmentID == 0 {
		if _, _, err := s.readable(ctx, p, sessionID); err != nil {
			return JoinResult{}, err
		}
		return JoinResult{}, errForbidden
	}
	now := s.now()
	win, ok := SessionJoinWindow(ss)
	switch {
	case ss.Status == classes.SessionCancelled:
		return JoinResult{}, errCancelled
	case !ok:
		return JoinResult{}, errJoinNotOnline
	case now.Before(win.Opens):
		return JoinResult{}, domain.Fail(domain.CodeConflict, "online_join_not_open", domain.Params{"time": win.Opens.In(classes.Zone).Format("15:04")})
	case now.After(win.Closes):
		return JoinResult{}, errJoinClosed
	}
	if s.Online == nil {
		return JoinResult{}, domain.Wrap("attendance.JoinOnline", domain.CodeInternal, errNoOnlineStore)
	}
	pr, err := s.Online.Join(ctx, sessionID, enrolmentID, now)
	if err != nil {
		return JoinResult{}, err
	}
	out := JoinResult{Session: ss, Class: c, MeetingURL: ss.MeetingURL}
	if out.MeetingURL == "" {
		out.MeetingURL = c.MeetingURL
	}
	mark, _, err := s.deriveOnline(ctx, pr)
	if err != nil {
		return JoinResult{}, err
	}
	if mark == nil && pr.Marked {
		marks, err := s.Store.Marks(ctx, c.ID, sessionID, p.PersonID)
		if err != nil {
			return JoinResult{}, err
		}
		if len(marks) == 1 {
			mark = &marks[0]
		}
	}
	out.Mark = mark
	return out, nil
}

const errNoOnlineStore = checkinError("no online presence store")

// OnlineRecorder adapts the service to the progress use case's hook: a
// failure to derive is logged, never a refusal of the learner's progress
// (the periodic job derives it later).
type OnlineRecorder struct {
	Service *Service
	Log     *slog.Logger
}

// OnlineSeen implements enrolments.OnlineSeen.
func (r OnlineRecorder) OnlineSeen(ctx context.Context, enrolmentID int64, completed bool) {
	if _, err := r.Service.OnlineSeen(ctx, enrolmentID, completed); err != nil && r.Log != nil {
		r.Log.WarnContext(ctx, "online attendance not derived", "enrolment", enrolmentID, "err", err)
	}
}
