package api

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"densach/domain/classes"
)

// mountOnlineMarks registers the learner's join of an online session (the
// attendance from the online-learning data).
func (s *Server) mountOnlineMarks(r router) {
	r.Post("/sessions/:id/online-join", s.joinOnline)
}

type onlineJoinJSON struct {
	SessionID  int64     `json:"session_id"`
	ClassID    int64     `json:"class_id"`
	ClassTitle string    `json:"class_title"`
	StartsAt   time.Time `json:"starts_at"`
	EndsAt     time.Time `json:"ends_at"`
	MeetingURL string    `json:"meeting_url"`
	Mark       *markJSON `json:"mark"`
}

func (s *Server) joinOnline(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	r, err := s.Attendance.JoinOnline(c.UserContext(), principal(c), id)
	if err != nil {
		return err
	}
	z := classes.Zone
	out := onlineJoinJSON{SessionID: r.Session.ID, ClassID: r.Class.ID, ClassTitle: r.Class.Title, StartsAt: r.Session.StartsAt.In(z),
		EndsAt: r.Session.EndsAt.In(z), MeetingURL: r.MeetingURL}
	if r.Mark != nil {
		m := toMarkJSON(*r.Mark)
		out.Mark = &m
	}
	return c.JSON(out)
}
