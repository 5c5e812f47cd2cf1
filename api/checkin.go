package api

import (
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"densach/domain/attendance"
	"densach/domain/classes"
)

// mountCheckin registers the self check-in: the teacher's code and the
// learner's check-in.
func (s *Server) mountCheckin(r router) {
	r.Get("/sessions/:id/checkin-code", s.getSessionCheckinCode)
	r.Post("/checkin", s.checkIn)
}

type checkinEntryJSON struct {
	PersonID int64     `json:"person_id"`
	Name     string    `json:"name"`
	Status   string    `json:"status"`
	At       time.Time `json:"at"`
}

type checkinCodeJSON struct {
	SessionID   int64              `json:"session_id"`
	ClassID     int64              `json:"class_id"`
	ClassTitle  string             `json:"class_title"`
	StartsAt    time.Time          `json:"starts_at"`
	EndsAt      time.Time          `json:"ends_at"`
	Code        string             `json:"code"`
	StepSeconds int                `json:"step_seconds"`
	ExpiresAt   time.Time          `json:"expires_at"`
	ValidUntil  time.Time          `json:"valid_until"`
	URL         string             `json:"url"`
	OpensAt     time.Time          `json:"opens_at"`
	ClosesAt    time.Time          `json:"closes_at"`
	LateAfter   time.Time          `json:"late_after"`
	ServerTime  time.Time          `json:"server_time"`
	Learners    int                `json:"learners"`
	CheckedIn   int                `json:"checked_in"`
	Checkins    []checkinEntryJSON `json:"checkins"`
}

type checkinRequestJSON struct {
	Code string `json:"code"`
}

type checkinResultJSON struct {
	SessionID  int64     `json:"session_id"`
	ClassID    int64     `json:"class_id"`
	ClassTitle string    `json:"class_title"`
	StartsAt   time.Time `json:"starts_at"`
	EndsAt     time.Time `json:"ends_at"`
	Already    bool      `json:"already"`
	Mark       markJSON  `json:"mark"`
}

// checkinURL is the learner's check-in page with the code, on the site's
// public address (or the request's when none is configured).
func (s *Server) checkinURL(c *fiber.Ctx, code string) string {
	base := s.cfg.PublicURL
	if base == "" {
		base = c.BaseURL()
	}
	return strings.TrimRight(base, "/") + "/diem-danh?ma=" + url.QueryEscape(code)
}

func (s *Server) getSessionCheckinCode(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	cc, err := s.Attendance.SessionCheckinCode(c.UserContext(), principal(c), id)
	if err != nil {
		return err
	}
	z := classes.Zone
	out := checkinCodeJSON{SessionID: cc.Session.ID, ClassID: cc.Class.ID, ClassTitle: cc.Class.Title, StartsAt: cc.Session.StartsAt.In(z),
		EndsAt: cc.Session.EndsAt.In(z), Code: cc.Code, StepSeconds: int(attendance.CheckinStep / time.Second), ExpiresAt: cc.ExpiresAt.In(z),
		ValidUntil: cc.ValidUntil.In(z), URL: s.checkinURL(c, cc.Code), OpensAt: cc.OpensAt.In(z), ClosesAt: cc.ClosesAt.In(z),
		LateAfter: cc.LateAfter.In(z), ServerTime: cc.Now.In(z), Learners: cc.Learners, CheckedIn: len(cc.Checkins),
		Checkins: make([]checkinEntryJSON, len(cc.Checkins))}
	for i, e := range cc.Checkins {
		out.Checkins[i] = checkinEntryJSON{PersonID: e.PersonID, Name: e.Name, Status: string(e.Status), At: e.At.In(z)}
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(out)
}

func (s *Server) checkIn(c *fiber.Ctx) error {
	var req checkinRequestJSON
	if err := decode(c, &req); err != nil {
		return err
	}
	r, err := s.Attendance.CheckIn(c.UserContext(), principal(c), req.Code)
	if err != nil {
		return err
	}
	z := classes.Zone
	return c.JSON(checkinResultJSON{SessionID: r.Session.ID, ClassID: r.Class.ID, ClassTitle: r.Class.Title, StartsAt: r.Session.StartsAt.In(z),
		EndsAt: r.Session.EndsAt.In(z), Already: r.Already, Mark: toMarkJSON(r.Mark)})
}
