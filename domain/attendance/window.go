package attendance

import "time"

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
