package attendance

import (
	"time"

	"densach/domain/classes"
)

// Window is when an action on a session is open, on the server's clock:
// from Opens to Closes, both included. The self check-in
// (SessionCheckinWindow) and the online join (SessionJoinWindow) each have
// one; the schedule (GET /me/sessions) carries them so that the screens
// offer an action exactly when the server takes it.
type Window struct {
	Opens  time.Time
	Closes time.Time
}

// Holds reports whether t is inside the window.
func (w Window) Holds(t time.Time) bool { return !t.Before(w.Opens) && !t.After(w.Closes) }

// MyWindows are the windows of the actions the caller of GET /me/sessions
// may take on one of their sessions (its Role says how they take part):
// the self check-in for a learner and for a teacher (who shows the code),
// the online join for a learner only (JoinOnline refuses the staff). Nil
// where none applies.
func MyWindows(ss classes.Session) (checkin, join *Window) {
	if w, ok := SessionCheckinWindow(ss); ok {
		checkin = &w
	}
	if w, ok := SessionJoinWindow(ss); ok && ss.Role == "learner" {
		join = &w
	}
	return checkin, join
}
